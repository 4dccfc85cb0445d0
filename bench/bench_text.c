/*
 * bench_text.c - time the analysis pipeline phase by phase on one input
 * file: reading, tokenising + interning, stemming + compound splitting,
 * the TF-IDF matrix, the whole analysis_run (which includes clustering)
 * and the JSON writer.  Prints figures, asserts nothing; built and run by
 * bench/text.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "analyze/analyze_cli.h"
#include "bench_util.h"
#include "text/corpus.h"
#include "pipeline/input.h"
#include "text/lang.h"

int main(int argc, char **argv)
{
	const char *lang = argc > 2 ? argv[2] : "sv";
	struct input in;
	struct lang l;
	struct corpus c;
	struct corpus_matrix m;
	struct analysis_input ai;
	struct analysis_opts o;
	struct analysis_result *r;
	struct buf out;
	char err[256], *data;
	size_t len, i;
	double t0, t1, t2, t3, t4;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_text FILE.csv [sv|en]\n");
		return 2;
	}
	if (!(data = analyze_read_file("bench_text", argv[1], (size_t)1 << 31, &len)))
		return 1;
	t0 = bench_now();
	if (input_parse(&in, input_detect(argv[1], data, len), data, len, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 1;
	}
	t1 = bench_now();
	printf("answers              %zu\n", in.n);
	printf("read CSV             %.3f s\n", t1 - t0);
	if (lang_open(&l, lang))
		return 1;
	corpus_init(&c, &l);
	t0 = bench_now();
	for (i = 0; i < in.n; i++)
		corpus_add(&c, in.v[i].text, strlen(in.v[i].text));
	t1 = bench_now();
	if (corpus_finish(&c, 1, NULL, 0))
		return 1;
	t2 = bench_now();
	if (corpus_matrix(&c, NULL, 0, &m))
		return 1;
	t3 = bench_now();
	printf("tokenise + intern    %.3f s  (%zu tokens, %zu words)\n", t1 - t0, c.ntok, c.words.n);
	printf("stem + compounds     %.3f s  (%zu terms)\n", t2 - t1, c.terms.n);
	printf("TF-IDF matrix        %.3f s  (%u non-zeros)\n", t3 - t2, m.doc_start[m.ndocs]);
	printf("text pipeline total  %.3f s\n", t3 - t0);
	corpus_matrix_free(&m);
	corpus_free(&c);
	lang_close(&l);
	ai.v = in.v;
	ai.n = in.n;
	memset(&o, 0, sizeof(o));
	o.lang = lang;
	t0 = bench_now();
	if (analysis_run(&ai, &o, &r))
		return 1;
	t1 = bench_now();
	buf_init(&out, (size_t)1 << 32);
	if (analysis_write_json(r, &out))
		return 1;
	t4 = bench_now();
	printf("analysis_run         %.3f s  (with clustering; %zu themes)\n", t1 - t0, r->nthemes);
	printf("write JSON           %.3f s  (%zu bytes)\n", t4 - t1, out.len);
	buf_free(&out);
	analysis_result_free(r);
	input_free(&in);
	free(data);
	return 0;
}

/*
 * fuzz_tokenize.c - libFuzzer target for the text pipeline: NFC, the
 * tokeniser, folding, stop words, stemming and compound splitting.  Each
 * input line is one answer; invalid UTF-8 must be reported, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "text/corpus.h"
#include "text/lang.h"
#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lang sv;
	static int loaded;
	struct corpus c;
	struct corpus_matrix m;
	struct text_tokens toks = { 0 };
	struct buf fold;
	const char *p = (const char *)data, *end = p + size;
	size_t i;

	if (!loaded) {
		if (lang_open(&sv, "sv"))
			abort();
		loaded = 1;
	}
	buf_init(&fold, 1 << 20);
	/* The tokeniser on raw bytes: must not read out of bounds. */
	if (text_tokenize(p, size, &toks) == AN_OK)
		for (i = 0; i < toks.len; i++) {
			if (toks.v[i].off + toks.v[i].len > size || !toks.v[i].len)
				abort();
			text_fold(p + toks.v[i].off, toks.v[i].len, &fold);
		}
	text_tokens_free(&toks);
	buf_free(&fold);
	corpus_init(&c, &sv);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		int err;

		if (!eol)
			eol = end;
		err = corpus_add(&c, p, (size_t)(eol - p));
		if (err != AN_OK && err != AN_EUTF8 && err != AN_ETOOBIG)
			abort();
		if (err == AN_EUTF8 && text_valid(p, (size_t)(eol - p)))
			abort();
		p = eol < end ? eol + 1 : end;
	}
	if (corpus_finish(&c, 1, NULL, 0) == AN_OK && corpus_matrix(&c, NULL, 0, &m) == AN_OK) {
		uint32_t *surface = corpus_surfaces(&c);

		for (i = 0; i + 1 <= m.ndocs; i++)
			if (m.doc_start[i] > m.doc_start[i + 1])
				abort();
		free(surface);
		corpus_matrix_free(&m);
	}
	corpus_free(&c);
	return 0;
}

/*
 * curate_speed.c - what people's decisions cost a re-analysis: the same
 * answers analysed with no decisions and with 50 decisions of every kind
 * (rename, merge, split, adopt, move, also), best of N runs each, wall
 * time of curate_parse + analysis_run in milliseconds.  The decisions are
 * made from a first run's result, as a facilitator would make them, so
 * every one of them applies.  Prints figures, asserts nothing; built and
 * run by bench/speed.sh.  Usage: curate_speed ANSWERS.csv [RUNS (1-1000)]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "analyze/analyze_cli.h"
#include "bench_util.h"
#include "curate/curate.h"
#include "pipeline/input.h"

#define NDECISIONS 50

static void add(json_t *list, json_t *d)
{
	if (!d || json_array_size(list) >= NDECISIONS) {
		json_decref(d);
		return;
	}
	json_array_append_new(list, d);
}

/* 50 decisions of every kind, all naming themes and answers of `r`. */
static char *make_decisions(const struct analysis_result *r)
{
	json_t *list = json_array();
	size_t t, given = 0, i, n = 0;
	char id[32], *text;

	for (t = 0; t < r->nthemes && r->themes[t].origin == ANALYSIS_GIVEN; t++)
		given++;
	for (t = 0; t < given && t < 5; t++)
		add(list, json_pack("{s:s, s:s, s:s}", "kind", "rename", "theme", r->themes[t].id, "label",
				    "Nytt namn"));
	for (t = 0; t + 1 < given && t < 5; t++) {
		snprintf(id, sizeof(id), "s%zu", t + 1);
		add(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "split", "theme", r->themes[t].id, "term",
				    r->themes[t].given[r->themes[t].ngiven - 1], "id", id, "label", "Delat"));
	}
	if (given >= 3)
		add(list, json_pack("{s:s, s:s, s:s}", "kind", "merge", "theme", r->themes[given - 1].id, "into",
				    r->themes[given - 2].id));
	for (t = given; t < r->nthemes && n < 8; t++, n++) {
		const struct analysis_theme *th = &r->themes[t];
		json_t *terms = json_array(), *answers = json_array();

		for (i = 0; i < th->nterms; i++)
			json_array_append_new(terms, json_string(th->terms[i]));
		for (i = 0; i < r->nanswers; i++)
			if (r->assign[i].nmatches && r->assign[i].matches[0].theme == t)
				json_array_append_new(answers, json_string(r->ids[i]));
		snprintf(id, sizeof(id), "c%zu", n + 1);
		add(list, json_pack("{s:s, s:s, s:s, s:o, s:o}", "kind", "adopt", "id", id, "label", th->label,
				    "terms", terms, "answers", answers));
	}
	for (i = 0; json_array_size(list) < NDECISIONS && given && i < r->nanswers; i++) {
		const char *to = r->themes[i % given].id;

		if (i % 3 == 0)
			add(list, json_pack("{s:s, s:s, s:s}", "kind", "also", "answer", r->ids[i], "theme", to));
		else if (i % 3 == 1)
			add(list, json_pack("{s:s, s:s, s:s}", "kind", "move", "answer", r->ids[i], "to", to));
		else
			add(list, json_pack("{s:s, s:s, s:n}", "kind", "move", "answer", r->ids[i], "to"));
	}
	text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	return text;
}

/* Best of `runs`: parse the decisions (when given) and analyse. */
static double best_ms(const struct analysis_input *ai, const char *decisions, int runs, size_t *themes)
{
	double best = -1;
	int i;

	for (i = 0; i < runs; i++) {
		struct analysis_opts o;
		struct analysis_result *r = NULL;
		struct curate c = { 0 };
		char err[256] = "";
		double t0 = bench_now(), t;

		memset(&o, 0, sizeof(o));
		o.seed = 1;
		o.err = err;
		o.errlen = sizeof(err);
		if (decisions) {
			if (curate_parse(&c, decisions, strlen(decisions), err, sizeof(err))) {
				fprintf(stderr, "curate_speed: %s\n", err);
				exit(1);
			}
			o.curation = &c;
		}
		if (analysis_run(ai, &o, &r)) {
			fprintf(stderr, "curate_speed: %s\n", err);
			exit(1);
		}
		t = (bench_now() - t0) * 1e3;
		*themes = r->nthemes;
		analysis_result_free(r);
		curate_free(&c);
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	struct input in;
	struct analysis_input ai;
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	char err[256], *data, *decisions;
	long runs = 5;
	char *end = NULL;
	size_t len, plain_themes = 0, curated_themes = 0;
	double plain, curated;

	if (argc > 2)
		runs = strtol(argv[2], &end, 10);
	if (argc < 2 || (end && (*end || end == argv[2] || runs < 1 || runs > 1000))) {
		fprintf(stderr, "usage: curate_speed ANSWERS.csv [RUNS (1-1000)]\n");
		return 2;
	}
	if (!(data = analyze_read_file("curate_speed", argv[1], (size_t)1 << 30, &len)))
		return 1;
	if (input_parse(&in, INPUT_CSV, data, len, err, sizeof(err))) {
		fprintf(stderr, "curate_speed: %s: %s\n", argv[1], err);
		return 1;
	}
	free(data);
	ai.v = in.v;
	ai.n = in.n;
	memset(&o, 0, sizeof(o));
	o.seed = 1;
	if (analysis_run(&ai, &o, &r) || !(decisions = make_decisions(r)))
		return 1;
	analysis_result_free(r);
	plain = best_ms(&ai, NULL, (int)runs, &plain_themes);
	curated = best_ms(&ai, decisions, (int)runs, &curated_themes);
	printf("re-analysis of %zu answers (best of %ld), wall time ms:\n", in.n, runs);
	printf("  no decisions   %8.1f ms  (%zu themes)\n", plain, plain_themes);
	printf("  %d decisions   %8.1f ms  (%zu themes)\n", NDECISIONS, curated, curated_themes);
	free(decisions);
	input_free(&in);
	return 0;
}

/*
 * fuzz_input.c - libFuzzer target for the readers (CSV, JSON lines, themes
 * file) and, for small valid inputs, the whole analysis and its writers.
 * Bad input must come back as an error with a message, never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "pipeline/input.h"
#include "themes/themes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void analyse(const struct input *in)
{
	struct analysis_input ai = { in->v, in->n };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct buf b;

	memset(&o, 0, sizeof(o));
	o.k = 2;
	if (analysis_run(&ai, &o, &r))
		return;
	buf_init(&b, 1 << 24);
	if (analysis_write_json(r, &b) || analysis_write_md(r, &b) || analysis_write_csv(r, &b))
		abort();
	buf_free(&b);
	analysis_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char err[256];
	struct input in;
	struct themes t;
	int fmt;

	for (fmt = INPUT_CSV; fmt <= INPUT_JSONL; fmt++) {
		err[0] = '\0';
		if (input_parse(&in, (enum input_format)fmt, s, size, err, sizeof(err)) == AN_OK) {
			if (in.n <= 16)
				analyse(&in);
			input_free(&in);
		} else if (!err[0]) {
			abort();
		}
	}
	err[0] = '\0';
	if (themes_parse(&t, s, size, err, sizeof(err)) == AN_OK)
		themes_free(&t);
	else if (strncmp(err, "line ", 5))
		abort();
	return 0;
}

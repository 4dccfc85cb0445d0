/*
 * analyze_cli.c - `inspel analyze`: read answers, analyse them, write a report.
 *
 * Option parsing is strict (unknown options and bad values are usage errors,
 * exit 2) because a typo in --k or --themes would otherwise silently change
 * the result a plan writer copies into a plan.
 */
#include "analyze/analyze_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "core/buf.h"
#include "curate/curate.h"
#include "pipeline/input.h"
#include "text/lang.h"
#include "themes/themes.h"

#define CLI_MAX_INPUT ((size_t)1 << 30)      /* bytes of input file */
#define CLI_MAX_THEMES_FILE ((size_t)1 << 20)
#define CLI_MAX_DECISIONS_FILE ((size_t)256 << 20)
#define CLI_MAX_OUTPUT ((size_t)4 << 30)

struct cli_opts {
	const char *input, *lang, *themes, *format, *out, *decisions;
	unsigned k;
	unsigned long long seed;
};

static void usage(FILE *f)
{
	fputs("usage: inspel analyze --input FILE [--lang sv|en] [--themes FILE|none]\n"
	      "                      [--k N|auto] [--seed N] [--format json|md|csv] [--out FILE]\n"
	      "                      [--decisions FILE]\n", f);
}

static int parse_unsigned(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct cli_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->lang = "sv";
	o->format = "json";
	for (i = 1; i < argc; i++) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long long n;

		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			usage(stdout);
			exit(0);
		}
		if (!val) {
			fprintf(stderr, "inspel analyze: %s needs a value\n", opt);
			return -1;
		}
		i++;
		if (!strcmp(opt, "--input")) {
			o->input = val;
		} else if (!strcmp(opt, "--lang")) {
			o->lang = val;
		} else if (!strcmp(opt, "--themes")) {
			o->themes = val;
		} else if (!strcmp(opt, "--format")) {
			if (strcmp(val, "json") && strcmp(val, "md") && strcmp(val, "csv")) {
				fprintf(stderr, "inspel analyze: --format must be json, md or csv, not '%s'\n", val);
				return -1;
			}
			o->format = val;
		} else if (!strcmp(opt, "--out")) {
			o->out = val;
		} else if (!strcmp(opt, "--decisions")) {
			o->decisions = val;
		} else if (!strcmp(opt, "--k")) {
			if (!strcmp(val, "auto")) {
				o->k = 0;
			} else if (parse_unsigned(val, 1000, &n) || n == 0) {
				fprintf(stderr, "inspel analyze: --k must be 1..1000 or auto, not '%s'\n", val);
				return -1;
			} else {
				o->k = (unsigned)n;
			}
		} else if (!strcmp(opt, "--seed")) {
			if (parse_unsigned(val, (unsigned long long)-1, &n)) {
				fprintf(stderr, "inspel analyze: --seed must be a non-negative integer, not '%s'\n", val);
				return -1;
			}
			o->seed = n;
		} else {
			fprintf(stderr, "inspel analyze: unknown option '%s'\n", opt);
			return -1;
		}
	}
	if (!o->input) {
		fputs("inspel analyze: --input FILE is required\n", stderr);
		return -1;
	}
	return 0;
}

char *analyze_read_file(const char *who, const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", who, path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		enum buf_err e = buf_add(&b, chunk, n);

		if (e) {
			fprintf(stderr, "%s: %s: %s\n", who, path,
				e == BUF_TOOBIG ? "file too large" : "out of memory");
			goto fail;
		}
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: read error\n", who, path);
		goto fail;
	}
	fclose(f);
	return buf_detach(&b, len);
fail:
	fclose(f);
	buf_free(&b);
	return NULL;
}

static int write_output(const char *path, const struct buf *b)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	int ok;

	if (!f) {
		fprintf(stderr, "inspel analyze: %s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fwrite(b->data ? b->data : "", 1, b->len, f) == b->len;
	ok = (path ? fclose(f) : fflush(f)) == 0 && ok;
	if (!ok)
		fprintf(stderr, "inspel analyze: %s: write error\n", path ? path : "stdout");
	return ok ? 0 : -1;
}

int analyze_main(int argc, char **argv)
{
	struct cli_opts o;
	struct analysis_opts ao;
	struct analysis_input ai;
	struct analysis_result *res = NULL;
	struct input in = { 0 };
	struct curate cur = { 0 };
	struct buf out;
	char *data = NULL, *themes_text = NULL, msg[512];
	size_t len, tlen;
	int rc = 1, err;

	if (parse_args(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	if (!lang_known(o.lang)) {
		fprintf(stderr, "inspel analyze: --lang must be sv or en, not '%s'\n", o.lang);
		usage(stderr);
		return 2;
	}
	buf_init(&out, CLI_MAX_OUTPUT);
	memset(&ao, 0, sizeof(ao));
	ao.lang = o.lang;
	ao.k = o.k;
	ao.seed = o.seed;
	ao.err = msg;
	ao.errlen = sizeof(msg);
	if (o.themes && !strcmp(o.themes, "none")) {
		ao.no_themes = 1;
	} else if (o.themes) {
		struct themes check;

		if (!(themes_text = analyze_read_file("inspel analyze", o.themes, CLI_MAX_THEMES_FILE, &tlen)))
			goto out;
		if ((err = themes_parse(&check, themes_text, tlen, msg, sizeof(msg)))) {
			fprintf(stderr, "inspel analyze: %s: %s\n", o.themes, msg);
			goto out;
		}
		themes_free(&check);
		ao.themes_text = themes_text;
	}
	if (o.decisions) {
		if (!(data = analyze_read_file("inspel analyze", o.decisions, CLI_MAX_DECISIONS_FILE, &len)))
			goto out;
		if ((err = curate_parse(&cur, data, len, msg, sizeof(msg)))) {
			fprintf(stderr, "inspel analyze: %s: %s\n", o.decisions, msg);
			goto out;
		}
		free(data);
		data = NULL;
		ao.curation = &cur;
	}
	if (!(data = analyze_read_file("inspel analyze", o.input, CLI_MAX_INPUT, &len)))
		goto out;
	if ((err = input_parse(&in, input_detect(o.input, data, len), data, len, msg, sizeof(msg)))) {
		fprintf(stderr, "inspel analyze: %s: %s\n", o.input, msg);
		goto out;
	}
	free(data);
	data = NULL;
	ai.v = in.v;
	ai.n = in.n;
	msg[0] = '\0';
	if ((err = analysis_run(&ai, &ao, &res))) {
		/* The analysis names a decision that cannot be applied as "decision N: ...". */
		fprintf(stderr, "inspel analyze: %s: %s\n",
			o.decisions && !strncmp(msg, "decision ", 9) ? o.decisions : o.input,
			msg[0] ? msg : an_strerror(err));
		goto out;
	}
	if (!strcmp(o.format, "md"))
		err = analysis_write_md(res, &out);
	else if (!strcmp(o.format, "csv"))
		err = analysis_write_csv(res, &out);
	else
		err = analysis_write_json(res, &out);
	if (err) {
		fprintf(stderr, "inspel analyze: writing the report: %s\n", an_strerror(err));
		goto out;
	}
	if (write_output(o.out, &out))
		goto out;
	rc = 0;
out:
	analysis_result_free(res);
	input_free(&in);
	curate_free(&cur);
	buf_free(&out);
	free(data);
	free(themes_text);
	return rc;
}

/*
 * report_cli.c - `inspel report`: the plan writers' report from the command line.
 *
 * The same path as the console's download button (store -> synthesis ->
 * report_model -> report_render), so a file made here and one downloaded
 * from a running server say the same.  The database is opened as is (it is
 * never created here), and a report file is written to a temporary name
 * beside the target and renamed into place, so a reader never sees half a
 * report.
 */
#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/srv_err.h"
#include "base/tz.h"
#include "store/store.h"
#include "synth/synth.h"

struct report_opts {
	const char *db, *workshop, *series, *format, *lang, *out, *tz;
	bool no_redact;
};

static void usage(FILE *f)
{
	fputs("usage: inspel report --db PATH (--workshop CODE | --series ID) --format html|md|csv|json|docx|xlsx\n"
	      "                     [--lang sv|en] [--tz ZONE] [--no-redact] [--out FILE|-]\n"
	      "  --workshop CODE  the workshop's join code (or its id)\n"
	      "  --series ID      a series id (from the console or GET /api/series)\n"
	      "  --lang           language of the report's own words (default sv)\n"
	      "  --tz             the time zone of the report's times (default " TZ_DEFAULT ")\n"
	      "  --no-redact      answers as written; by default personal numbers, phone\n"
	      "                   numbers and e-mail addresses in answers are replaced\n"
	      "  --out            the file to write (default -, standard output)\n", f);
}

/* 0, or -1 after printing the reason (a usage error). */
static int parse_args(int argc, char **argv, struct report_opts *o, bool *help)
{
	int i;

	memset(o, 0, sizeof *o);
	o->lang = "sv";
	*help = false;
	for (i = 1; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		const char **slot = strcmp(opt, "--db") == 0 ? &o->db : strcmp(opt, "--workshop") == 0 ? &o->workshop :
				    strcmp(opt, "--series") == 0 ? &o->series : strcmp(opt, "--format") == 0 ? &o->format :
				    strcmp(opt, "--lang") == 0 ? &o->lang : strcmp(opt, "--out") == 0 ? &o->out :
				    strcmp(opt, "--tz") == 0 ? &o->tz : NULL;

		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			*help = true;
			return 0;
		}
		if (strcmp(opt, "--no-redact") == 0) {
			o->no_redact = true;
			i--;    /* a flag: no value follows */
			continue;
		}
		if (!slot) {
			fprintf(stderr, "inspel report: unknown option '%s'\n", opt);
			return -1;
		}
		if (!val) {
			fprintf(stderr, "inspel report: %s needs a value\n", opt);
			return -1;
		}
		*slot = val;
	}
	if (!o->db) {
		fputs("inspel report: --db PATH is required\n", stderr);
		return -1;
	}
	if (!o->workshop == !o->series) {
		fputs("inspel report: give exactly one of --workshop CODE and --series ID\n", stderr);
		return -1;
	}
	if (!o->format) {
		fputs("inspel report: --format is required (html, md, csv, json, docx or xlsx)\n", stderr);
		return -1;
	}
	return 0;
}

/* The scope the options name, checked against the store.  0, or 1 after printing why. */
static int find_scope(struct store *st, const struct report_opts *o, struct synth_scope *scope)
{
	json_t *obj = NULL;
	char code[LIMIT_CODE_LEN + 1];
	int err;

	memset(scope, 0, sizeof *scope);
	if (o->series) {
		scope->kind = SYNTH_SERIES;
		err = store_series_get(st, o->series, &obj);
		if (!err)
			snprintf(scope->id, sizeof scope->id, "%s", o->series);
	} else {
		scope->kind = SYNTH_WORKSHOP;
		err = store_workshop_by_code(st, o->workshop, &obj);
		if (!err) {
			snprintf(scope->id, sizeof scope->id, "%s", json_string_value(json_object_get(obj, "id")));
		} else if (err == SRV_ENOTFOUND && strlen(o->workshop) == LIMIT_WORKSHOP_ID_LEN) {
			err = store_workshop_code(st, o->workshop, code);
			if (!err)
				snprintf(scope->id, sizeof scope->id, "%s", o->workshop);
		}
	}
	json_decref(obj);
	if (err == SRV_ENOTFOUND) {
		fprintf(stderr, "inspel report: no %s '%s' in %s\n", o->series ? "series" : "workshop with join code",
			o->series ? o->series : o->workshop, o->db);
		return 1;
	}
	if (err) {
		fprintf(stderr, "inspel report: %s: %s\n", o->db, srv_strerror(err));
		return 1;
	}
	return 0;
}

/* Write the `n` bytes at `p` to `fd`.  0 or -1 (errno set). */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The report to standard output, or to `path` through a temporary file and rename.  0 or 1. */
static int write_report(const char *path, const struct buf *b)
{
	const char *data = b->data ? b->data : "";
	char tmp[4096];
	int fd, n;

	if (!path || strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, b->len)) {
			fprintf(stderr, "inspel report: standard output: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	n = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		fprintf(stderr, "inspel report: %s: path too long\n", path);
		return 1;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "inspel report: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (fchmod(fd, 0644) || write_all(fd, data, b->len) || fsync(fd)) {
		fprintf(stderr, "inspel report: %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return 1;
	}
	if (close(fd) || rename(tmp, path)) {
		fprintf(stderr, "inspel report: %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return 1;
	}
	return 0;
}

int report_main(int argc, char **argv)
{
	struct report_opts o;
	struct store *st = NULL;
	struct synth *sy = NULL;
	struct synth_result *res = NULL;
	struct synth_scope scope;
	enum report_format f;
	json_t *model = NULL;
	struct buf out;
	char msg[512] = "";
	bool help;
	int rc = 1, err;

	if (parse_args(argc, argv, &o, &help)) {
		usage(stderr);
		return 2;
	}
	if (help) {
		usage(stdout);
		return 0;
	}
	if (!report_format_parse(o.format, &f)) {
		fprintf(stderr, "inspel report: --format must be html, md, csv, json, docx or xlsx, not '%s'\n", o.format);
		return 2;
	}
	if (o.tz && !tz_valid(o.tz)) {
		fprintf(stderr, "inspel report: --tz must be a time zone of the tz database (like %s), not '%s'\n",
			TZ_DEFAULT, o.tz);
		return 2;
	}
	if (!report_lang_ok(o.lang)) {
		fprintf(stderr, "inspel report: --lang must be sv or en, not '%s'\n", o.lang);
		return 2;
	}
	if (access(o.db, R_OK | W_OK)) {
		fprintf(stderr, "inspel report: %s: %s\n", o.db, strerror(errno));
		return 1;
	}
	buf_init(&out, REPORT_MAX);
	if (store_open(&st, o.db)) {
		fprintf(stderr, "inspel report: cannot open database %s\n", o.db);
		goto out;
	}
	if (find_scope(st, &o, &scope))
		goto out;
	if ((err = synth_open(&sy)) || (err = synth_get(sy, st, &scope, &res, msg, sizeof msg))) {
		fprintf(stderr, "inspel report: analysing the answers: %s\n", msg[0] ? msg : srv_strerror(err));
		goto out;
	}
	if ((err = report_model(st, res, o.lang, NULL, o.tz, !o.no_redact, &model)) || (err = report_render(model, f, &out))) {
		fprintf(stderr, "inspel report: writing the report: %s\n",
			err == SRV_EFULL ? "the report is too large" : srv_strerror(err));
		goto out;
	}
	rc = write_report(o.out, &out);
out:
	json_decref(model);
	synth_put(res);
	synth_close(sy);
	store_close(st);
	buf_free(&out);
	return rc;
}

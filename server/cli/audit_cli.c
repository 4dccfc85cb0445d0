/*
 * audit_cli.c - `inspel audit`: the audit log of a database, newest first,
 * one entry a line.
 *
 * The log is read straight from the database file, so it can be read
 * while the server runs or after it stopped; a workshop is named by its id
 * or its join code, as on every command line.
 */
#include "cli/audit_cli.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct audit_opts {
	const char *db, *workshop, *series, *since;
};

static int audit_usage(void)
{
	fprintf(stderr, "usage: inspel audit --db PATH [--workshop ID|CODE] [--series ID] [--since TIME]\n"
			"  Who created workshops and series, opened and closed questions, hid answers,\n"
			"  made decisions, ran votes, downloaded reports and changed keys; newest first.\n"
			"  TIME is a date (2026-11-23) or a UTC time (2026-11-23T09:00:00Z).\n");
	return 2;
}

/* A date or time in store_now's form, or its date alone: compared as text, both order right. */
static bool audit_time_ok(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i, n = strlen(s);

	if (n != 10 && n != sizeof form - 1)
		return false;
	for (i = 0; i < n; i++)
		if (form[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != form[i])
			return false;
	return true;
}

static bool audit_parse(int argc, char **argv, struct audit_opts *o)
{
	int i;

	memset(o, 0, sizeof *o);
	for (i = 1; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--db") == 0	 ? &o->db
				    : strcmp(argv[i], "--workshop") == 0 ? &o->workshop
				    : strcmp(argv[i], "--series") == 0	 ? &o->series
				    : strcmp(argv[i], "--since") == 0	 ? &o->since
									 : NULL;
		if (!slot || *slot || i + 1 >= argc)
			return false;
		*slot = argv[++i];
	}
	return o->db && (!o->since || audit_time_ok(o->since));
}

/* One entry: time, action, who, what it concerns, the detail. */
static void audit_print(const json_t *e)
{
	const char *label = json_string_value(json_object_get(e, "key_label"));
	const char *ws = json_string_value(json_object_get(e, "workshop_id"));
	const char *series = json_string_value(json_object_get(e, "series_id"));
	const json_t *key = json_object_get(e, "key_id");
	char who[160], where[80];
	char *detail = NULL;

	if (json_is_integer(key))
		snprintf(who, sizeof who, "key %lld%s%s", (long long)json_integer_value(key), label ? " " : "",
			 label ? label : "");
	else
		snprintf(who, sizeof who, "command line");
	snprintf(where, sizeof where, "%s%s%s%s%s", ws ? "workshop " : "", ws ? ws : "", ws && series ? ", " : "",
		 series ? "series " : "", series ? series : "");
	if (!json_is_null(json_object_get(e, "detail")))
		detail = json_dumps(json_object_get(e, "detail"), JSON_COMPACT);
	printf("%-20s %-16s %-28s %-26s %s\n", json_string_value(json_object_get(e, "created")),
	       json_string_value(json_object_get(e, "action")), who, where[0] ? where : "-", detail ? detail : "");
	free(detail);
}

int audit_cli_main(int argc, char **argv)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct audit_opts o;
	struct store *st = NULL;
	json_t *list = NULL, *e;
	size_t i;
	int err, status = 1;

	if (!audit_parse(argc, argv, &o))
		return audit_usage();
	if (store_open(&st, o.db)) {
		fprintf(stderr, "inspel audit: cannot open database %s\n", o.db);
		return 1;
	}
	/* An entry outlives its workshop, so an id nothing answers to is still asked for as given. */
	if (o.workshop && store_workshop_resolve(st, o.workshop, ws) == SRV_OK)
		o.workshop = ws;
	err = store_audit_list(st, o.workshop, o.series, o.since, 0, &list);
	if (err) {
		fprintf(stderr, "inspel audit: %s\n", srv_strerror(err));
		goto out;
	}
	printf("%-20s %-16s %-28s %-26s %s\n", "TIME", "ACTION", "WHO", "CONCERNS", "DETAIL");
	json_array_foreach(list, i, e)
		audit_print(e);
	status = 0;
out:
	json_decref(list);
	store_close(st);
	return status;
}

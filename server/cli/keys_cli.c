/*
 * keys_cli.c - the `inspel keys` subcommand: add, list, revoke facilitator
 * keys in a database, and grant a key a workshop or a series.
 *
 * A new key is printed once, alone on the last line, and only its hash is
 * stored (base/keys.h), so a key that is lost is revoked, never recovered.
 * A key sees only what it created or was granted unless it is an admin key
 * (--admin, or the first key of a database); every change made here goes
 * into the audit log as done from the command line.
 */
#include "cli/keys_cli.h"
#include "base/keys.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KEYS_DAYS_MAX 36500          /* --expires: a hundred years at most */

struct keys_opts {
	const char *cmd, *db, *label, *id, *workshop, *series;
	bool admin;
	unsigned days;                /* --expires DAYS; 0: never */
};

static int keys_usage(void)
{
	fprintf(stderr, "usage: inspel keys add --db PATH [--label TEXT] [--admin] [--expires DAYS]\n"
			"       inspel keys list --db PATH\n"
			"       inspel keys revoke --db PATH ID\n"
			"       inspel keys grant --db PATH ID (--workshop ID|CODE | --series ID)\n"
			"  A key sees only the workshops and series it created or was granted;\n"
			"  --admin makes one that sees them all (so is the first key of a database).\n");
	return 2;
}

/* A key id from the command line; 0 when it is not one. */
static int64_t keys_id(const char *arg)
{
	char *end;
	long long id;

	errno = 0;
	id = strtoll(arg, &end, 10);
	return errno || end == arg || *end || id <= 0 ? 0 : (int64_t)id;
}

/* Record a change made from the command line; a failure is reported, the change stays. */
static void keys_audit(struct store *st, enum store_audit_action action, const char *workshop, const char *series,
		       json_t *detail)
{
	if (store_audit_add(st, 0, action, workshop, series, detail))
		fprintf(stderr, "inspel keys: could not record %s in the audit log\n", store_audit_name(action));
	json_decref(detail);
}

/* The stored key `id` of `list` (store_key_list), or NULL. */
static json_t *keys_find(json_t *list, int64_t id)
{
	json_t *k;
	size_t i;

	json_array_foreach(list, i, k)
		if (json_integer_value(json_object_get(k, "id")) == id)
			return k;
	return NULL;
}

static int keys_add(struct store *st, const struct keys_opts *o)
{
	struct store_key_new in = { .label = o->label, .admin = o->admin };
	char key[KEYS_TEXT_LEN + 1], expires[STORE_TIME_LEN + 1];
	unsigned char hash[KEYS_HASH_LEN];
	json_t *list = NULL;
	bool admin = o->admin;
	int64_t id;

	if (o->days) {
		store_time(time(NULL) + (time_t)o->days * 86400, expires);
		in.expires = expires;
	}
	if (keys_generate(key) || keys_hash(key, strlen(key), hash) || store_key_create(st, hash, &in, &id)) {
		fprintf(stderr, "inspel keys add: could not store a new key\n");
		return 1;
	}
	/* The first key of a database is an admin key even unasked: say so. */
	if (!store_key_list(st, &list))
		admin = json_is_true(json_object_get(keys_find(list, id), "admin"));
	json_decref(list);
	keys_audit(st, STORE_AUDIT_KEY_ADD, NULL, NULL,
		   json_pack("{s:I,s:b,s:s?}", "key", (json_int_t)id, "admin", admin, "expires", in.expires));
	printf("key %lld%s%s%s%s%s (shown once; only its hash is stored):\n%s\n", (long long)id, o->label ? " " : "",
	       o->label ? o->label : "", admin ? ", admin: sees every workshop" : "",
	       in.expires ? ", expires " : "", in.expires ? in.expires : "", key);
	return 0;
}

static int keys_list(struct store *st)
{
	char now[STORE_TIME_LEN + 1], scope[32];
	json_t *list = NULL, *k, *g;
	size_t i, j;

	if (store_key_list(st, &list)) {
		fprintf(stderr, "inspel keys list: database error\n");
		return 1;
	}
	store_now(now);
	printf("%-6s %-20s %-20s %-20s %-8s %-8s %s\n", "ID", "CREATED", "LAST USED", "EXPIRES", "STATE", "SCOPE", "LABEL");
	json_array_foreach(list, i, k) {
		const char *label = json_string_value(json_object_get(k, "label"));
		const char *last = json_string_value(json_object_get(k, "last_used"));
		const char *expires = json_string_value(json_object_get(k, "expires"));
		json_t *grants = json_object_get(k, "grants");
		const char *state = json_is_true(json_object_get(k, "revoked")) ? "revoked"
				    : expires && strcmp(expires, now) <= 0     ? "expired"
									       : "active";
		if (json_is_true(json_object_get(k, "admin")))
			snprintf(scope, sizeof scope, "admin");
		else if (json_array_size(grants))
			snprintf(scope, sizeof scope, "own+%zu", json_array_size(grants));
		else
			snprintf(scope, sizeof scope, "own");
		printf("%-6lld %-20s %-20s %-20s %-8s %-8s %s\n", (long long)json_integer_value(json_object_get(k, "id")),
		       json_string_value(json_object_get(k, "created")), last ? last : "never", expires ? expires : "never",
		       state, scope, label ? label : "");
		json_array_foreach(grants, j, g) {
			const char *ws = json_string_value(json_object_get(g, "workshop"));
			printf("       grant: %s %s\n", ws ? "workshop" : "series",
			       ws ? ws : json_string_value(json_object_get(g, "series")));
		}
	}
	json_decref(list);
	return 0;
}

static int keys_revoke(struct store *st, int64_t id)
{
	int err = store_key_revoke(st, id);

	if (err) {
		fprintf(stderr, "inspel keys revoke: %s\n", err == SRV_ENOTFOUND ? "no such key" : srv_strerror(err));
		return 1;
	}
	keys_audit(st, STORE_AUDIT_KEY_REVOKE, NULL, NULL, json_pack("{s:I}", "key", (json_int_t)id));
	printf("revoked key %lld\n", (long long)id);
	return 0;
}

static int keys_grant(struct store *st, int64_t id, const struct keys_opts *o)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	int err = SRV_OK;

	if (o->workshop) {
		err = store_workshop_resolve(st, o->workshop, ws);
		if (err == SRV_ENOTFOUND) {
			fprintf(stderr, "inspel keys grant: no workshop with id or join code '%s'\n", o->workshop);
			return 1;
		}
	}
	if (!err)
		err = store_key_grant(st, id, o->workshop ? ws : NULL, o->series);
	if (err == SRV_ENOTFOUND) {
		fprintf(stderr, "inspel keys grant: no active key %lld or no series '%s'\n", (long long)id,
			o->series ? o->series : "");
		return 1;
	}
	if (err) {
		fprintf(stderr, "inspel keys grant: %s\n", srv_strerror(err));
		return 1;
	}
	keys_audit(st, STORE_AUDIT_KEY_GRANT, o->workshop ? ws : NULL, o->series,
		   json_pack("{s:I}", "key", (json_int_t)id));
	printf("key %lld may now see %s %s\n", (long long)id, o->workshop ? "workshop" : "series",
	       o->workshop ? ws : o->series);
	return 0;
}

/* Parse argv into *o; false on a usage error. */
static bool keys_parse(int argc, char **argv, struct keys_opts *o)
{
	bool add, takes_id;
	int i;

	memset(o, 0, sizeof *o);
	o->cmd = argv[1];
	add = strcmp(o->cmd, "add") == 0;
	takes_id = strcmp(o->cmd, "revoke") == 0 || strcmp(o->cmd, "grant") == 0;
	if (!add && !takes_id && strcmp(o->cmd, "list") != 0)
		return false;
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;
		unsigned long days;
		if (strcmp(a, "--db") == 0 && v)
			o->db = argv[++i];
		else if (add && strcmp(a, "--label") == 0 && v)
			o->label = argv[++i];
		else if (add && strcmp(a, "--admin") == 0)
			o->admin = true;
		else if (add && strcmp(a, "--expires") == 0 && v) {
			errno = 0;
			days = strtoul(v, &end, 10);
			if (errno || end == v || *end || *v == '-' || days < 1 || days > KEYS_DAYS_MAX)
				return false;
			o->days = (unsigned)days;
			i++;
		} else if (strcmp(o->cmd, "grant") == 0 && strcmp(a, "--workshop") == 0 && v)
			o->workshop = argv[++i];
		else if (strcmp(o->cmd, "grant") == 0 && strcmp(a, "--series") == 0 && v)
			o->series = argv[++i];
		else if (takes_id && a[0] != '-' && !o->id)
			o->id = a;
		else
			return false;
	}
	if (!o->db || takes_id != (o->id != NULL))
		return false;
	return strcmp(o->cmd, "grant") != 0 || (!o->workshop != !o->series);
}

int keys_cli_main(int argc, char **argv)
{
	struct keys_opts o;
	struct store *st = NULL;
	int64_t id = 0;
	int status;

	if (argc < 2 || !keys_parse(argc, argv, &o))
		return keys_usage();
	if (o.id && !(id = keys_id(o.id))) {
		fprintf(stderr, "inspel keys %s: not a key id: %s\n", o.cmd, o.id);
		return 2;
	}
	if (store_open(&st, o.db)) {
		fprintf(stderr, "inspel keys: cannot open database %s\n", o.db);
		return 1;
	}
	if (strcmp(o.cmd, "add") == 0)
		status = keys_add(st, &o);
	else if (strcmp(o.cmd, "list") == 0)
		status = keys_list(st);
	else if (strcmp(o.cmd, "revoke") == 0)
		status = keys_revoke(st, id);
	else
		status = keys_grant(st, id, &o);
	store_close(st);
	return status;
}

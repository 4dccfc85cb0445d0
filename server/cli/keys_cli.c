/*
 * keys_cli.c - the `inspel keys` subcommand: add, list and revoke
 * facilitator keys in a database.
 *
 * A new key is printed once, alone on the last line, and only its hash is
 * stored (base/keys.h), so a key that is lost is revoked, never recovered.
 */
#include "cli/keys_cli.h"
#include "base/keys.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int keys_usage(void)
{
	fprintf(stderr, "usage: inspel keys add --db PATH [--label TEXT]\n"
			"       inspel keys list --db PATH\n"
			"       inspel keys revoke --db PATH ID\n");
	return 2;
}

static int keys_add(struct store *st, const char *label)
{
	char key[KEYS_TEXT_LEN + 1];
	unsigned char hash[KEYS_HASH_LEN];
	int64_t id;

	if (keys_generate(key) || keys_hash(key, strlen(key), hash) || store_key_add(st, hash, label, &id)) {
		fprintf(stderr, "inspel keys add: could not store a new key\n");
		return 1;
	}
	printf("key %lld%s%s (shown once; only its hash is stored):\n%s\n", (long long)id,
	       label ? " " : "", label ? label : "", key);
	return 0;
}

static int keys_list(struct store *st)
{
	json_t *list = NULL, *k;
	size_t i;

	if (store_key_list(st, &list)) {
		fprintf(stderr, "inspel keys list: database error\n");
		return 1;
	}
	printf("%-6s %-20s %-8s %s\n", "ID", "CREATED", "STATE", "LABEL");
	json_array_foreach(list, i, k) {
		const char *label = json_string_value(json_object_get(k, "label"));
		printf("%-6lld %-20s %-8s %s\n", (long long)json_integer_value(json_object_get(k, "id")),
		       json_string_value(json_object_get(k, "created")),
		       json_is_true(json_object_get(k, "revoked")) ? "revoked" : "active", label ? label : "");
	}
	json_decref(list);
	return 0;
}

static int keys_revoke(struct store *st, const char *arg)
{
	char *end;
	long long id;
	int err;

	errno = 0;
	id = strtoll(arg, &end, 10);
	if (errno || end == arg || *end || id <= 0) {
		fprintf(stderr, "inspel keys revoke: not a key id: %s\n", arg);
		return 2;
	}
	err = store_key_revoke(st, id);
	if (err) {
		fprintf(stderr, "inspel keys revoke: %s\n", err == SRV_ENOTFOUND ? "no such key" : srv_strerror(err));
		return 1;
	}
	printf("revoked key %lld\n", id);
	return 0;
}

int keys_cli_main(int argc, char **argv)
{
	const char *cmd, *db = NULL, *label = NULL, *id = NULL;
	struct store *st = NULL;
	int i, status;

	if (argc < 2)
		return keys_usage();
	cmd = argv[1];
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			db = argv[++i];
		else if (strcmp(argv[i], "--label") == 0 && i + 1 < argc && strcmp(cmd, "add") == 0)
			label = argv[++i];
		else if (argv[i][0] != '-' && !id && strcmp(cmd, "revoke") == 0)
			id = argv[i];
		else
			return keys_usage();
	}
	if (!db || (strcmp(cmd, "revoke") == 0) != (id != NULL))
		return keys_usage();
	if (strcmp(cmd, "add") && strcmp(cmd, "list") && strcmp(cmd, "revoke"))
		return keys_usage();
	if (store_open(&st, db)) {
		fprintf(stderr, "inspel keys: cannot open database %s\n", db);
		return 1;
	}
	if (strcmp(cmd, "add") == 0)
		status = keys_add(st, label);
	else if (strcmp(cmd, "list") == 0)
		status = keys_list(st);
	else
		status = keys_revoke(st, id);
	store_close(st);
	return status;
}

/*
 * keys.c - facilitator keys and the `inspel keys` subcommand.
 *
 * The key text itself is hashed (not its decoded bytes) so verification
 * never has to parse attacker input; comparison is constant-time so the
 * response time does not leak how many leading bytes were right.
 */
#include "keys.h"
#include "rnd.h"
#include "srv_err.h"
#include "store.h"

#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int keys_generate(char text[KEYS_TEXT_LEN + 1])
{
	static const char alphabet[] = RND_BASE32_ALPHABET;
	unsigned char raw[KEYS_BYTES];
	unsigned acc = 0;
	int bits = 0, err;
	size_t i, n = 0;

	err = rnd_bytes(raw, sizeof raw);
	if (err)
		return err;
	for (i = 0; i < sizeof raw; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			text[n++] = alphabet[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		text[n++] = alphabet[(acc << (5 - bits)) & 31];
	text[n] = '\0';
	return n == KEYS_TEXT_LEN ? SRV_OK : SRV_ESYS;
}

int keys_hash(const char *text, size_t len, unsigned char hash[KEYS_HASH_LEN])
{
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, text, len, hash) == 0 ? SRV_OK : SRV_ESYS;
}

bool keys_equal(const unsigned char a[KEYS_HASH_LEN], const unsigned char b[KEYS_HASH_LEN])
{
	unsigned char diff = 0;
	size_t i;

	for (i = 0; i < KEYS_HASH_LEN; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

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
	json_array_foreach(json_object_get(list, "keys"), i, k) {
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

int keys_main(int argc, char **argv)
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

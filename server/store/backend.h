/*
 * backend.h - how a storage backend plugs in behind store.h.
 *
 * curl's vtls pattern: store.c owns the public functions, the lock and the
 * choice of backend; a backend is one file that fills a struct
 * store_backend with its operations and defines its own struct store_conn
 * (one connection).  Operations take that connection and are called with
 * the store's lock held (store_assert_locked checks it from inside), so a
 * backend needs no locking of its own.  Each operation has the contract of
 * the store.h function of the same name without "store_".  To add a
 * backend: write the file, add its table to `backends` in store.c.
 */
#ifndef INSPEL_STORE_BACKEND_H
#define INSPEL_STORE_BACKEND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/srv_err.h"
#include "store/store.h"

struct store_conn;

struct store_backend {
	const char *name;
	/* True when this backend serves `path` (a file path or a URI). */
	bool (*serves)(const char *path);
	/* Open a connection for `owner` (for store_assert_locked); *out NULL on error. */
	enum srv_err (*open)(struct store *owner, const char *path, struct store_conn **out);
	void (*close)(struct store_conn *c);
	enum srv_err (*schema_version)(struct store_conn *c, int *version);
	enum srv_err (*key_create)(struct store_conn *c, const unsigned char hash[KEYS_HASH_LEN], const struct store_key_new *in, int64_t *id);
	enum srv_err (*key_auth)(struct store_conn *c, const char *text, struct store_key *key);
	enum srv_err (*key_revoke)(struct store_conn *c, int64_t id);
	enum srv_err (*key_count)(struct store_conn *c, int64_t *count);
	enum srv_err (*key_list)(struct store_conn *c, json_t **out);
	enum srv_err (*workshop_create)(struct store_conn *c, int64_t key_id, const char *title, json_t *organisations, json_t *questions, json_t **out);
	enum srv_err (*workshop_get)(struct store_conn *c, const char *id, bool hidden, json_t **out);
	enum srv_err (*workshop_by_code)(struct store_conn *c, const char *code, json_t **out);
	enum srv_err (*workshop_list)(struct store_conn *c, json_t **out);
	enum srv_err (*workshop_newest)(struct store_conn *c, char id[LIMIT_WORKSHOP_ID_LEN + 1]);
	enum srv_err (*workshop_code)(struct store_conn *c, const char *id, char code[LIMIT_CODE_LEN + 1]);
	enum srv_err (*question_set_open)(struct store_conn *c, int64_t question_id, bool open, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);
	enum srv_err (*begin)(struct store_conn *c);
	enum srv_err (*commit)(struct store_conn *c);
	void (*rollback)(struct store_conn *c);
	enum srv_err (*answer_submit)(struct store_conn *c, const struct store_answer_in *in, struct store_answer_out *out);
	enum srv_err (*answer_set_hidden)(struct store_conn *c, int64_t id, bool hidden, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);
	enum srv_err (*answer_list)(struct store_conn *c, const char *workshop_id, json_t **out);
	enum srv_err (*answer_latest)(struct store_conn *c, const char *workshop_id, json_t **out);
	enum srv_err (*counts)(struct store_conn *c, const char *workshop_id, json_t **out);
	enum srv_err (*answer_texts)(struct store_conn *c, const char *workshop_id, int64_t question_id, json_t **out);
	enum srv_err (*question_ids)(struct store_conn *c, const char *workshop_id, json_t **out);
	enum srv_err (*workshop_ids)(struct store_conn *c, json_t **out);
	enum srv_err (*series_create)(struct store_conn *c, int64_t key_id, const char *title, json_t **out);
	enum srv_err (*series_get)(struct store_conn *c, const char *id, json_t **out);
	enum srv_err (*series_list)(struct store_conn *c, json_t **out);
	enum srv_err (*workshop_set_series)(struct store_conn *c, const char *workshop_id, const char *series_id);
	enum srv_err (*scope_answers)(struct store_conn *c, const char *workshop_id, const char *series_id, json_t **out);
	enum srv_err (*decision_add)(struct store_conn *c, const char *workshop_id, const char *series_id, int64_t key_id, const json_t *detail, json_t **out);
	enum srv_err (*decision_undo)(struct store_conn *c, const char *workshop_id, const char *series_id, int64_t key_id, int64_t decision_id, json_t **out);
	enum srv_err (*decision_list)(struct store_conn *c, const char *workshop_id, const char *series_id, json_t **out);
	enum srv_err (*vote_open)(struct store_conn *c, const char *workshop_id, int64_t key_id, int dots, const json_t *themes, json_t **out);
	enum srv_err (*vote_set_open)(struct store_conn *c, int64_t id, bool open, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);
	enum srv_err (*vote_get)(struct store_conn *c, int64_t id, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);
	enum srv_err (*vote_list)(struct store_conn *c, const char *workshop_id, json_t **out);
	enum srv_err (*vote_current)(struct store_conn *c, const char *workshop_id, json_t **out);
	enum srv_err (*secret)(struct store_conn *c, unsigned char out[PTOKEN_SECRET_LEN]);
	enum srv_err (*workshop_set_closed)(struct store_conn *c, const char *id, bool closed, json_t **out);
	enum srv_err (*workshop_delete)(struct store_conn *c, const char *id, json_t **out);
	enum srv_err (*series_delete)(struct store_conn *c, const char *id, json_t **out);
	enum srv_err (*purge)(struct store_conn *c, const char *before, bool dry_run, json_t **out);
	enum srv_err (*participant_erase)(struct store_conn *c, const char *workshop_id, const char *code, json_t **out);
	enum srv_err (*backup)(struct store_conn *c, const char *dest);
	enum srv_err (*restore)(struct store_conn *c, const char *from);
	/* Not a connection's: checks a file (store_verify_file). */
	enum srv_err (*verify_file)(const char *path, int *version, char *msg, size_t size);
	enum srv_err (*ballot_submit)(struct store_conn *c, const struct store_ballot_in *in, bool *created, json_t **vote, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);
	enum srv_err (*answer_set_held)(struct store_conn *c, int64_t id, bool held, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);
	/* Access: grants, what a key may see, presenter secrets, the audit log. */
	enum srv_err (*key_grant)(struct store_conn *c, int64_t key_id, const char *workshop_id, const char *series_id);
	enum srv_err (*key_may_see)(struct store_conn *c, int64_t key_id, enum store_object kind, const char *id);
	enum srv_err (*workshop_list_for)(struct store_conn *c, int64_t key_id, json_t **out);
	enum srv_err (*series_list_for)(struct store_conn *c, int64_t key_id, json_t **out);
	enum srv_err (*presenter_secret)(struct store_conn *c, const char *id, char secret[STORE_SECRET_LEN + 1]);
	enum srv_err (*presenter_renew)(struct store_conn *c, const char *id, char secret[STORE_SECRET_LEN + 1]);
	enum srv_err (*audit_add)(struct store_conn *c, int64_t key_id, const char *action, const char *workshop_id, const char *series_id, const json_t *detail);
	enum srv_err (*audit_list)(struct store_conn *c, const char *workshop_id, const char *series_id, const char *since, size_t limit, json_t **out);
};

extern const struct store_backend store_sqlite;

/* Abort unless the calling thread holds `s`'s lock (a backend's check). */
void store_assert_locked(const struct store *s);

#endif

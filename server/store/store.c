/*
 * store.c - the store's public functions: one lock, one backend per store.
 *
 * Every call takes the store's mutex, runs the backend's operation and
 * releases it, so the lock is taken in exactly one place and callers never
 * hold one of their own; a write transaction keeps it from store_begin to
 * store_commit or store_rollback.  The backend is chosen by store_open from
 * the path it is given (store/backend.h).
 */
#include "store/store.h"
#include "store/backend.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct store {
	const struct store_backend *be;
	struct store_conn *conn;
	pthread_mutex_t lock;
	pthread_t owner;            /* valid while `locked` */
	bool locked;
	bool in_tx;                 /* between a successful store_begin and its end */
};

static const struct store_backend *const backends[] = {
	&store_sqlite,                /* last: it serves every path */
};

void store_time(time_t t, char out[STORE_TIME_LEN + 1])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, STORE_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void store_now(char out[STORE_TIME_LEN + 1])
{
	store_time(time(NULL), out);
}

static void store_lock(struct store *s)
{
	/* A thread calling back into its own store would wait for itself. */
	assert(!(s->locked && pthread_equal(s->owner, pthread_self())));
	pthread_mutex_lock(&s->lock);
	s->owner = pthread_self();
	s->locked = true;
}

static void store_unlock(struct store *s)
{
	store_assert_locked(s);
	s->locked = false;
	pthread_mutex_unlock(&s->lock);
}

void store_assert_locked(const struct store *s)
{
	assert(s->locked && pthread_equal(s->owner, pthread_self()));
	(void)s;
}

#define STORE_CALL(s, op, ...)                                      \
	do {                                                        \
		enum srv_err err_;                                  \
		store_lock(s);                                      \
		err_ = (s)->be->op((s)->conn, __VA_ARGS__);         \
		store_unlock(s);                                    \
		return err_;                                        \
	} while (0)

enum srv_err store_open(struct store **out, const char *path)
{
	struct store *s;
	size_t i;
	enum srv_err err;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return SRV_ENOMEM;
	if (pthread_mutex_init(&s->lock, NULL)) {
		free(s);
		return SRV_ESYS;
	}
	for (i = 0; !backends[i]->serves(path); i++)
		assert(i + 1 < sizeof backends / sizeof backends[0]);
	s->be = backends[i];
	store_lock(s);
	err = s->be->open(s, path, &s->conn);
	store_unlock(s);
	if (err) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return err;
	}
	*out = s;
	return SRV_OK;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	assert(!s->in_tx);
	store_lock(s);
	s->be->close(s->conn);
	store_unlock(s);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

enum srv_err store_begin(struct store *s)
{
	enum srv_err err;

	store_lock(s);
	assert(!s->in_tx);
	err = s->be->begin(s->conn);
	if (err) {
		store_unlock(s);
		return err;
	}
	s->in_tx = true;
	return SRV_OK;
}

enum srv_err store_commit(struct store *s)
{
	enum srv_err err;

	store_assert_locked(s);
	assert(s->in_tx);
	err = s->be->commit(s->conn);
	if (err)
		s->be->rollback(s->conn);
	s->in_tx = false;
	store_unlock(s);
	return err;
}

void store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	store_assert_locked(s);
	s->be->rollback(s->conn);
	s->in_tx = false;
	store_unlock(s);
}

enum srv_err store_answer_submit(struct store *s, const struct store_answer_in *in, struct store_answer_out *out)
{
	store_assert_locked(s);
	assert(s->in_tx);
	return s->be->answer_submit(s->conn, in, out);
}

enum srv_err store_schema_version(struct store *s, int *version)
{
	STORE_CALL(s, schema_version, version);
}

enum srv_err store_key_create(struct store *s, const unsigned char hash[KEYS_HASH_LEN], const struct store_key_new *in,
			      int64_t *id)
{
	STORE_CALL(s, key_create, hash, in, id);
}

enum srv_err store_key_add(struct store *s, const unsigned char hash[KEYS_HASH_LEN], const char *label, int64_t *id)
{
	struct store_key_new in = { .label = label };

	return store_key_create(s, hash, &in, id);
}

enum srv_err store_key_auth(struct store *s, const char *text, struct store_key *key)
{
	STORE_CALL(s, key_auth, text, key);
}

enum srv_err store_key_verify(struct store *s, const char *text, int64_t *key_id)
{
	struct store_key key;
	enum srv_err err;

	err = store_key_auth(s, text, &key);
	if (!err && key_id)
		*key_id = key.id;
	return err;
}

enum srv_err store_key_revoke(struct store *s, int64_t id)
{
	STORE_CALL(s, key_revoke, id);
}

enum srv_err store_key_count(struct store *s, int64_t *count)
{
	STORE_CALL(s, key_count, count);
}

enum srv_err store_key_list(struct store *s, json_t **out)
{
	STORE_CALL(s, key_list, out);
}

enum srv_err store_workshop_create(struct store *s, int64_t key_id, const char *title, json_t *organisations, json_t *questions, json_t **out)
{
	STORE_CALL(s, workshop_create, key_id, title, organisations, questions, out);
}

enum srv_err store_workshop_get(struct store *s, const char *id, bool hidden, json_t **out)
{
	STORE_CALL(s, workshop_get, id, hidden, out);
}

enum srv_err store_workshop_by_code(struct store *s, const char *code, json_t **out)
{
	STORE_CALL(s, workshop_by_code, code, out);
}

enum srv_err store_workshop_list(struct store *s, json_t **out)
{
	STORE_CALL(s, workshop_list, out);
}

enum srv_err store_workshop_newest(struct store *s, char id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, workshop_newest, id);
}

enum srv_err store_workshop_code(struct store *s, const char *id, char code[LIMIT_CODE_LEN + 1])
{
	STORE_CALL(s, workshop_code, id, code);
}

enum srv_err store_workshop_resolve(struct store *s, const char *text, char id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	char code[LIMIT_CODE_LEN + 1];
	json_t *w = NULL;
	enum srv_err err;

	if (strlen(text) <= LIMIT_WORKSHOP_ID_LEN && (err = store_workshop_code(s, text, code)) != SRV_ENOTFOUND) {
		if (!err)
			snprintf(id, LIMIT_WORKSHOP_ID_LEN + 1, "%s", text);
		return err;
	}
	err = store_workshop_by_code(s, text, &w);
	if (!err)
		snprintf(id, LIMIT_WORKSHOP_ID_LEN + 1, "%s", json_string_value(json_object_get(w, "id")));
	json_decref(w);
	return err;
}

enum srv_err store_question_set_open(struct store *s, int64_t question_id, bool open, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, question_set_open, question_id, open, out, workshop_id);
}

enum srv_err store_answer_set_hidden(struct store *s, int64_t id, bool hidden, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, answer_set_hidden, id, hidden, out, workshop_id);
}

enum srv_err store_answer_list(struct store *s, const char *workshop_id, json_t **out)
{
	STORE_CALL(s, answer_list, workshop_id, out);
}

enum srv_err store_answer_latest(struct store *s, const char *workshop_id, json_t **out)
{
	STORE_CALL(s, answer_latest, workshop_id, out);
}

enum srv_err store_counts(struct store *s, const char *workshop_id, json_t **out)
{
	STORE_CALL(s, counts, workshop_id, out);
}

enum srv_err store_answer_texts(struct store *s, const char *workshop_id, int64_t question_id, json_t **out)
{
	STORE_CALL(s, answer_texts, workshop_id, question_id, out);
}

enum srv_err store_question_ids(struct store *s, const char *workshop_id, json_t **out)
{
	STORE_CALL(s, question_ids, workshop_id, out);
}

enum srv_err store_workshop_ids(struct store *s, json_t **out)
{
	STORE_CALL(s, workshop_ids, out);
}

enum srv_err store_series_create(struct store *s, int64_t key_id, const char *title, json_t **out)
{
	STORE_CALL(s, series_create, key_id, title, out);
}

enum srv_err store_series_get(struct store *s, const char *id, json_t **out)
{
	STORE_CALL(s, series_get, id, out);
}

enum srv_err store_series_list(struct store *s, json_t **out)
{
	STORE_CALL(s, series_list, out);
}

enum srv_err store_workshop_set_series(struct store *s, const char *workshop_id, const char *series_id)
{
	STORE_CALL(s, workshop_set_series, workshop_id, series_id);
}

enum srv_err store_scope_answers(struct store *s, const char *workshop_id, const char *series_id, json_t **out)
{
	STORE_CALL(s, scope_answers, workshop_id, series_id, out);
}

enum srv_err store_decision_add(struct store *s, const char *workshop_id, const char *series_id, int64_t key_id, const json_t *detail, json_t **out)
{
	STORE_CALL(s, decision_add, workshop_id, series_id, key_id, detail, out);
}

enum srv_err store_decision_undo(struct store *s, const char *workshop_id, const char *series_id, int64_t key_id, int64_t decision_id, json_t **out)
{
	STORE_CALL(s, decision_undo, workshop_id, series_id, key_id, decision_id, out);
}

enum srv_err store_decision_list(struct store *s, const char *workshop_id, const char *series_id, json_t **out)
{
	STORE_CALL(s, decision_list, workshop_id, series_id, out);
}

enum srv_err store_vote_open(struct store *s, const char *workshop_id, int64_t key_id, int dots, const json_t *themes, json_t **out)
{
	STORE_CALL(s, vote_open, workshop_id, key_id, dots, themes, out);
}

enum srv_err store_vote_set_open(struct store *s, int64_t id, bool open, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, vote_set_open, id, open, out, workshop_id);
}

enum srv_err store_vote_get(struct store *s, int64_t id, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, vote_get, id, out, workshop_id);
}

enum srv_err store_vote_list(struct store *s, const char *workshop_id, json_t **out)
{
	STORE_CALL(s, vote_list, workshop_id, out);
}

enum srv_err store_vote_current(struct store *s, const char *workshop_id, json_t **out)
{
	STORE_CALL(s, vote_current, workshop_id, out);
}

enum srv_err store_ballot_submit(struct store *s, const struct store_ballot_in *in, bool *created, json_t **vote, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, ballot_submit, in, created, vote, workshop_id);
}

enum srv_err store_secret(struct store *s, unsigned char out[PTOKEN_SECRET_LEN])
{
	STORE_CALL(s, secret, out);
}

enum srv_err store_workshop_set_closed(struct store *s, const char *id, bool closed, json_t **out)
{
	STORE_CALL(s, workshop_set_closed, id, closed, out);
}

enum srv_err store_workshop_delete(struct store *s, const char *id, json_t **out)
{
	STORE_CALL(s, workshop_delete, id, out);
}

enum srv_err store_series_delete(struct store *s, const char *id, json_t **out)
{
	STORE_CALL(s, series_delete, id, out);
}

enum srv_err store_purge(struct store *s, const char *before, bool dry_run, json_t **out)
{
	STORE_CALL(s, purge, before, dry_run, out);
}

enum srv_err store_participant_erase(struct store *s, const char *workshop_id, const char *code, json_t **out)
{
	STORE_CALL(s, participant_erase, workshop_id, code, out);
}

enum srv_err store_backup(struct store *s, const char *dest)
{
	STORE_CALL(s, backup, dest);
}

enum srv_err store_restore(struct store *s, const char *from)
{
	STORE_CALL(s, restore, from);
}

enum srv_err store_verify_file(const char *path, int *version, char *msg, size_t size)
{
	size_t i;

	for (i = 0; !backends[i]->serves(path); i++)
		assert(i + 1 < sizeof backends / sizeof backends[0]);
	return backends[i]->verify_file(path, version, msg, size);
}

enum srv_err store_answer_set_held(struct store *s, int64_t id, bool held, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	STORE_CALL(s, answer_set_held, id, held, out, workshop_id);
}

/* ---- access and audit ---- */

enum srv_err store_key_grant(struct store *s, int64_t key_id, const char *workshop_id, const char *series_id)
{
	STORE_CALL(s, key_grant, key_id, workshop_id, series_id);
}

enum srv_err store_key_may_see(struct store *s, int64_t key_id, enum store_object kind, const char *id)
{
	STORE_CALL(s, key_may_see, key_id, kind, id);
}

enum srv_err store_workshop_list_for(struct store *s, int64_t key_id, json_t **out)
{
	assert(key_id > 0);
	STORE_CALL(s, workshop_list_for, key_id, out);
}

enum srv_err store_series_list_for(struct store *s, int64_t key_id, json_t **out)
{
	assert(key_id > 0);
	STORE_CALL(s, series_list_for, key_id, out);
}

enum srv_err store_presenter_secret(struct store *s, const char *id, char secret[STORE_SECRET_LEN + 1])
{
	STORE_CALL(s, presenter_secret, id, secret);
}

enum srv_err store_presenter_renew(struct store *s, const char *id, char secret[STORE_SECRET_LEN + 1])
{
	STORE_CALL(s, presenter_renew, id, secret);
}

enum srv_err store_presenter_check(struct store *s, const char *id, const char *secret)
{
	unsigned char want[KEYS_HASH_LEN], got[KEYS_HASH_LEN];
	char stored[STORE_SECRET_LEN + 1];
	enum srv_err err;

	err = store_presenter_secret(s, id, stored);
	if (err == SRV_ENOTFOUND)
		return SRV_EAUTH;
	if (err)
		return err;
	/* Hashes of equal length, compared in constant time: the time taken says nothing of the secret. */
	if (!stored[0] || keys_hash(stored, strlen(stored), want) || keys_hash(secret, strlen(secret), got))
		return SRV_EAUTH;
	return keys_equal(want, got) ? SRV_OK : SRV_EAUTH;
}

static const char *const store_audit_names[STORE_AUDIT_COUNT] = {
	[STORE_AUDIT_WORKSHOP_CREATE] = "workshop.create",
	[STORE_AUDIT_WORKSHOP_SERIES] = "workshop.series",
	[STORE_AUDIT_SERIES_CREATE] = "series.create",
	[STORE_AUDIT_QUESTION_OPEN] = "question.open",
	[STORE_AUDIT_QUESTION_CLOSE] = "question.close",
	[STORE_AUDIT_ANSWER_HIDE] = "answer.hide",
	[STORE_AUDIT_ANSWER_SHOW] = "answer.show",
	[STORE_AUDIT_DECISION_ADD] = "decision.add",
	[STORE_AUDIT_DECISION_UNDO] = "decision.undo",
	[STORE_AUDIT_VOTE_OPEN] = "vote.open",
	[STORE_AUDIT_VOTE_CLOSE] = "vote.close",
	[STORE_AUDIT_REPORT] = "report.download",
	[STORE_AUDIT_PRESENTER_RENEW] = "presenter.renew",
	[STORE_AUDIT_KEY_ADD] = "key.add",
	[STORE_AUDIT_KEY_GRANT] = "key.grant",
	[STORE_AUDIT_KEY_REVOKE] = "key.revoke",
	[STORE_AUDIT_ANSWER_RELEASE] = "answer.release",
	[STORE_AUDIT_ANSWER_HOLD] = "answer.hold",
	[STORE_AUDIT_WORKSHOP_CLOSE] = "workshop.close",
	[STORE_AUDIT_WORKSHOP_REOPEN] = "workshop.reopen",
	[STORE_AUDIT_WORKSHOP_DELETE] = "workshop.delete",
	[STORE_AUDIT_SERIES_DELETE] = "series.delete",
	[STORE_AUDIT_PARTICIPANT_ERASE] = "participant.erase",
	[STORE_AUDIT_PURGE] = "database.purge",
};

const char *store_audit_name(enum store_audit_action action)
{
	assert((unsigned)action < STORE_AUDIT_COUNT && store_audit_names[action]);
	return store_audit_names[action];
}

enum srv_err store_audit_add(struct store *s, int64_t key_id, enum store_audit_action action,
			     const char *workshop_id, const char *series_id, const json_t *detail)
{
	STORE_CALL(s, audit_add, key_id, store_audit_name(action), workshop_id, series_id, detail);
}

enum srv_err store_audit_list(struct store *s, const char *workshop_id, const char *series_id, const char *since,
			      size_t limit, json_t **out)
{
	STORE_CALL(s, audit_list, workshop_id, series_id, since, limit, out);
}

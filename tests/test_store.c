/*
 * test_store.c - the SQLite store: migrations, workshops, answers with
 * idempotent retries, hiding, keys, and everything still there after a
 * reopen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/keys.h"
#include "base/rnd.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "test_db.h"

static int setup(void **state)
{
	return test_db_setup(state, "store");
}

static int teardown(void **state)
{
	return test_db_teardown(state);
}

static int submit(struct store *st, const char *code, int64_t qid, const char *answer_id, const char *text,
		  const char *org, bool retry_only, struct store_answer_out *out)
{
	struct store_answer_in in = { .code = code, .question_id = qid, .answer_id = answer_id,
				      .client_id = "phone-0001", .text = text, .organisation = org,
				      .retry_only = retry_only };
	int err;

	assert_int_equal(store_begin(st), SRV_OK);
	err = store_answer_submit(st, &in, out);
	assert_int_equal(store_commit(st), SRV_OK);
	return err;
}

/* Undo migrations 6, 5 and 4: what a database written by the version-3 program holds. */
#define UNDO_TO_3 \
	"DROP TABLE grants; DROP TABLE audit; DROP INDEX workshops_created_by;" \
	"ALTER TABLE workshops DROP COLUMN presenter; ALTER TABLE keys DROP COLUMN admin;" \
	"ALTER TABLE keys DROP COLUMN expires; ALTER TABLE keys DROP COLUMN last_used;" \
	"ALTER TABLE answers DROP COLUMN held; ALTER TABLE answers DROP COLUMN flagged;" \
	"DROP INDEX ballots_voter; ALTER TABLE ballots DROP COLUMN voter;" \
	"ALTER TABLE workshops DROP COLUMN closed; DROP TABLE secrets;"

/* Undo migrations 6 to 3: what a database written by the version-2 program holds. */
#define DOWNGRADE_TO_2 UNDO_TO_3 \
	"DROP TABLE ballot_dots; DROP TABLE ballots; DROP TABLE vote_themes; DROP TABLE votes;" \
	"DROP TABLE decisions; DROP INDEX workshops_series; ALTER TABLE workshops DROP COLUMN series;" \
	"DROP TABLE series; DROP INDEX answers_scope; PRAGMA user_version = 2;"

/*
 * Close the store and turn its file back into schema version 2 (then run
 * `more`, "" for nothing): what an older program left.  Returns the raw
 * connection for the caller to inspect and sqlite3_close.
 */
static sqlite3 *downgrade(struct test_db *f, const char *more)
{
	sqlite3 *raw = NULL;

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, DOWNGRADE_TO_2, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, more, NULL, NULL, NULL), SQLITE_OK);
	return raw;
}

/* Reopen the store, which migrates the file to the current schema. */
static void reopen_migrated(struct test_db *f)
{
	int v = 0;

	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(store_schema_version(f->st, &v), SRV_OK);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
}

static void test_migrate_twice(void **state)
{
	struct test_db *f = *state;
	struct store *again = NULL;
	int v = -1;

	assert_int_equal(store_schema_version(f->st, &v), SRV_OK);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
	/* A second connection finds the schema current and changes nothing. */
	assert_int_equal(store_open(&again, f->path), SRV_OK);
	assert_int_equal(store_schema_version(again, &v), SRV_OK);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
	store_close(again);
}

/* A version-1 database (counts not yet in columns) gets its counts computed by migration 2. */
static void test_migration_2_counts(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *counts = NULL, *a = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	char ws[LIMIT_WORKSHOP_ID_LEN + 1], owner[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t q1 = test_db_question_id(w, 0);
	struct store_answer_out out;

	snprintf(ws, sizeof ws, "%s", json_string_value(json_object_get(w, "id")));
	test_db_open_question(f->st, q1);
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Ett", NULL, false, &out), SRV_OK);
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code, q1, "answer-0002", "Två", NULL, false, &out), SRV_OK);
	assert_int_equal(store_answer_set_hidden(f->st, json_integer_value(json_object_get(out.answer, "id")), true,
						 &a, owner), SRV_OK);
	json_decref(out.answer);
	json_decref(a);

	/* Turn the file back into schema version 1. */
	sqlite3_close(downgrade(f, "ALTER TABLE questions DROP COLUMN visible;"
				   "ALTER TABLE questions DROP COLUMN hidden; PRAGMA user_version = 1;"));
	reopen_migrated(f);
	assert_int_equal(store_counts(f->st, ws, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 1);
	json_decref(counts);
	json_decref(w);
}

static void test_workshop_template(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *got = NULL, *qs;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *id = json_string_value(json_object_get(w, "id"));
	char lower[LIMIT_CODE_LEN + 1];
	size_t i;

	assert_int_equal(strlen(id), LIMIT_WORKSHOP_ID_LEN);
	assert_int_equal(strlen(code), LIMIT_CODE_LEN);
	assert_int_equal(strspn(code, RND_CODE_ALPHABET), LIMIT_CODE_LEN);
	qs = json_object_get(w, "questions");
	assert_int_equal(json_array_size(qs), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 0), "section")), "Dialog 1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 3), "section")), "Dialog 2");
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(qs, 0), "text")), "mönster/trender"));
	assert_false(json_is_true(json_object_get(json_array_get(qs, 0), "open")));
	assert_int_equal(json_array_size(json_object_get(w, "organisations")), 5);

	/* Join codes match in any case. */
	for (i = 0; i <= LIMIT_CODE_LEN; i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	assert_int_equal(store_workshop_by_code(f->st, lower, &got), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(got, "id")), id);
	assert_null(json_object_get(json_array_get(json_object_get(got, "questions"), 0), "answers"));
	json_decref(got);
	assert_int_equal(store_workshop_by_code(f->st, "ZZZZZZ", &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_get(f->st, "nosuchworkshop00", false, &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_get(f->st, id, true, &got), SRV_OK);
	/* Where phones join is the HTTP layer's business: the store model has no URL. */
	assert_null(json_object_get(got, "join_url"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(got, "questions"), 0),
							    "hidden")), 0);
	json_decref(got);
	json_decref(w);
}

static void test_answers(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *counts = NULL, *list = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *ws = json_string_value(json_object_get(w, "id"));
	int64_t q1 = test_db_question_id(w, 0), q2 = test_db_question_id(w, 1);
	struct store_answer_out out;
	json_int_t first_id;

	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Kontinuitet.", NULL, false, &out), SRV_ECLOSED);
	test_db_open_question(f->st, q1);
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Kontinuitet.", "Kommun", false, &out), SRV_OK);
	assert_true(out.created);
	assert_string_equal(out.workshop_id, ws);
	first_id = json_integer_value(json_object_get(out.answer, "id"));
	assert_string_equal(json_string_value(json_object_get(out.answer, "organisation")), "Kommun");
	assert_true(json_is_null(json_object_get(out.answer, "group")));
	json_decref(out.answer);

	/* The same answer again is a retry: the stored one, not a second row. */
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Kontinuitet.", "Kommun", false, &out), SRV_OK);
	assert_false(out.created);
	assert_int_equal(json_integer_value(json_object_get(out.answer, "id")), first_id);
	json_decref(out.answer);
	/* A rate-limited retry still succeeds; a rate-limited new answer does not. */
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Kontinuitet.", NULL, true, &out), SRV_OK);
	assert_false(out.created);
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code, q1, "answer-0002", "Teamsamverkan", NULL, true, &out), SRV_ERATE);

	/* Same answer_id, different text or question: conflict. */
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Något annat", NULL, false, &out), SRV_ECONFLICT);
	test_db_open_question(f->st, q2);
	assert_int_equal(submit(f->st, code, q2, "answer-0001", "Kontinuitet.", NULL, false, &out), SRV_ECONFLICT);

	assert_int_equal(submit(f->st, "ZZZZZZ", q1, "answer-0003", "x", NULL, false, &out), SRV_ENOTFOUND);
	assert_int_equal(submit(f->st, code, 999999, "answer-0003", "x", NULL, false, &out), SRV_ENOTFOUND);
	assert_int_equal(submit(f->st, code, q1, "answer-0003", "x", "Marsbas", false, &out), SRV_EINVAL);
	assert_int_equal(submit(f->st, code, q2, "answer-0004", "Hemmonitorering", NULL, false, &out), SRV_OK);
	json_decref(out.answer);

	/* Two answers in one transaction with the same answer_id: one row. */
	{
		struct store_answer_in in = { .code = code, .question_id = q1, .answer_id = "answer-0005",
					      .text = "Dokumentation (AI)" };
		struct store_answer_out a, b;
		assert_int_equal(store_begin(f->st), SRV_OK);
		assert_int_equal(store_answer_submit(f->st, &in, &a), SRV_OK);
		assert_int_equal(store_answer_submit(f->st, &in, &b), SRV_OK);
		assert_int_equal(store_commit(f->st), SRV_OK);
		assert_true(a.created);
		assert_false(b.created);
		assert_true(json_equal(json_object_get(a.answer, "id"), json_object_get(b.answer, "id")));
		json_decref(a.answer);
		json_decref(b.answer);
	}
	/* A rolled-back batch leaves nothing behind. */
	{
		struct store_answer_in in = { .code = code, .question_id = q1, .answer_id = "answer-0006",
					      .text = "Rolled back" };
		struct store_answer_out a;
		assert_int_equal(store_begin(f->st), SRV_OK);
		assert_int_equal(store_answer_submit(f->st, &in, &a), SRV_OK);
		json_decref(a.answer);
		store_rollback(f->st);
	}

	assert_int_equal(store_counts(f->st, ws, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 3);
	json_decref(counts);
	assert_int_equal(store_answer_list(f->st, ws, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 3);
	assert_non_null(json_object_get(json_array_get(list, 0), "question"));
	json_decref(list);
	json_decref(w);
}

static void test_hide(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *a = NULL, *counts = NULL, *latest = NULL, *texts = NULL;
	json_t *got = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *ws = json_string_value(json_object_get(w, "id"));
	int64_t q1 = test_db_question_id(w, 0);
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	struct store_answer_out out;
	json_int_t id;

	test_db_open_question(f->st, q1);
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Olämpligt", NULL, false, &out), SRV_OK);
	id = json_integer_value(json_object_get(out.answer, "id"));
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code, q1, "answer-0002", "Kontinuitet", NULL, false, &out), SRV_OK);
	json_decref(out.answer);

	assert_int_equal(store_answer_set_hidden(f->st, id, true, &a, owner), SRV_OK);
	assert_true(json_is_true(json_object_get(a, "hidden")));
	assert_string_equal(owner, ws);
	json_decref(a);
	/* Hiding twice must not count twice. */
	assert_int_equal(store_answer_set_hidden(f->st, id, true, &a, owner), SRV_OK);
	json_decref(a);
	assert_int_equal(store_answer_set_hidden(f->st, 999999, true, &a, owner), SRV_ENOTFOUND);

	assert_int_equal(store_counts(f->st, ws, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 1);
	json_decref(counts);
	assert_int_equal(store_answer_latest(f->st, ws, &latest), SRV_OK);
	assert_int_equal(json_array_size(latest), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(latest, 0), "text")), "Kontinuitet");
	json_decref(latest);
	assert_int_equal(store_answer_texts(f->st, ws, q1, &texts), SRV_OK);
	assert_int_equal(json_array_size(texts), 1);
	json_decref(texts);
	assert_int_equal(store_workshop_get(f->st, ws, true, &got), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(got, "questions"), 0),
							    "hidden")), 1);
	json_decref(got);

	assert_int_equal(store_answer_set_hidden(f->st, id, false, &a, owner), SRV_OK);
	json_decref(a);
	assert_int_equal(store_counts(f->st, ws, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 2);
	json_decref(counts);
	json_decref(w);
}

/*
 * An answer with personal data is stored flagged and, when asked, held:
 * out of the latest answers and the word-cloud texts, "held" in scope
 * rows, counted all the same, until it is let through.
 */
static void test_held(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *a = NULL, *counts = NULL, *rows = NULL, *list = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *ws = json_string_value(json_object_get(w, "id"));
	int64_t q1 = test_db_question_id(w, 0);
	struct store_answer_in in = { .code = code, .question_id = q1, .answer_id = "answer-pii1",
				      .text = "Ring 070-123 45 67", .flagged = true, .held = true };
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	struct store_answer_out out;
	json_int_t held_id, plain_id;

	test_db_open_question(f->st, q1);
	assert_int_equal(store_begin(f->st), SRV_OK);
	assert_int_equal(store_answer_submit(f->st, &in, &out), SRV_OK);
	assert_int_equal(store_commit(f->st), SRV_OK);
	assert_true(json_is_true(json_object_get(out.answer, "flagged")));
	assert_true(json_is_true(json_object_get(out.answer, "held")));
	held_id = json_integer_value(json_object_get(out.answer, "id"));
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code, q1, "answer-0002", "Kontinuitet", NULL, false, &out), SRV_OK);
	assert_true(json_is_false(json_object_get(out.answer, "flagged")));
	assert_true(json_is_false(json_object_get(out.answer, "held")));
	plain_id = json_integer_value(json_object_get(out.answer, "id"));
	json_decref(out.answer);
	/* A stored retry reads the flags back from the row. */
	assert_int_equal(store_begin(f->st), SRV_OK);
	assert_int_equal(store_answer_submit(f->st, &in, &out), SRV_OK);
	assert_int_equal(store_commit(f->st), SRV_OK);
	assert_false(out.created);
	assert_true(json_is_true(json_object_get(out.answer, "held")));
	json_decref(out.answer);

	assert_int_equal(store_answer_latest(f->st, ws, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), plain_id);
	json_decref(list);
	assert_int_equal(store_answer_texts(f->st, ws, q1, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(store_answer_texts(f->st, ws, 0, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(store_counts(f->st, ws, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 2);
	json_decref(counts);
	assert_int_equal(store_scope_answers(f->st, ws, NULL, &rows), SRV_OK);
	assert_true(json_is_true(json_object_get(json_array_get(rows, 0), "held")));
	assert_true(json_is_false(json_object_get(json_array_get(rows, 1), "held")));
	json_decref(rows);
	assert_int_equal(store_answer_list(f->st, ws, &list), SRV_OK);
	assert_true(json_is_true(json_object_get(json_array_get(list, 0), "flagged")));
	assert_true(json_is_string(json_object_get(json_array_get(list, 0), "question")));
	json_decref(list);

	/* Let through; hold again; an answer without personal data is never held. */
	assert_int_equal(store_answer_set_held(f->st, held_id, false, &a, owner), SRV_OK);
	assert_true(json_is_false(json_object_get(a, "held")));
	assert_true(json_is_true(json_object_get(a, "flagged")));
	assert_string_equal(owner, ws);
	json_decref(a);
	assert_int_equal(store_answer_latest(f->st, ws, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(store_answer_set_held(f->st, held_id, true, &a, owner), SRV_OK);
	assert_true(json_is_true(json_object_get(a, "held")));
	json_decref(a);
	assert_int_equal(store_answer_set_held(f->st, plain_id, true, &a, owner), SRV_OK);
	assert_true(json_is_false(json_object_get(a, "held")));
	json_decref(a);
	assert_int_equal(store_answer_set_held(f->st, 999999, false, &a, owner), SRV_ENOTFOUND);
	/* Held without a finding is no hold. */
	in.answer_id = "answer-0003";
	in.text = "Inget personligt";
	in.flagged = false;
	assert_int_equal(store_begin(f->st), SRV_OK);
	assert_int_equal(store_answer_submit(f->st, &in, &out), SRV_OK);
	assert_int_equal(store_commit(f->st), SRV_OK);
	assert_true(json_is_false(json_object_get(out.answer, "held")));
	json_decref(out.answer);
	json_decref(w);
}

static void test_keys(void **state)
{
	struct test_db *f = *state;
	char key[KEYS_TEXT_LEN + 1], other[KEYS_TEXT_LEN + 1];
	unsigned char hash[KEYS_HASH_LEN];
	int64_t id = 0, found = 0, count = -1;
	json_t *list = NULL;

	assert_int_equal(keys_generate(key), SRV_OK);
	assert_int_equal(keys_generate(other), SRV_OK);
	assert_int_equal(strlen(key), KEYS_TEXT_LEN);
	assert_string_not_equal(key, other);
	assert_int_equal(keys_hash(key, strlen(key), hash), SRV_OK);
	assert_int_equal(store_key_add(f->st, hash, "test", &id), SRV_OK);
	assert_int_equal(store_key_count(f->st, &count), SRV_OK);
	assert_int_equal(count, 1);
	assert_int_equal(store_key_verify(f->st, key, &found), SRV_OK);
	assert_int_equal(found, id);
	assert_int_equal(store_key_verify(f->st, other, &found), SRV_EAUTH);
	assert_int_equal(store_key_verify(f->st, "", &found), SRV_EAUTH);
	assert_int_equal(store_key_revoke(f->st, id), SRV_OK);
	assert_int_equal(store_key_verify(f->st, key, &found), SRV_EAUTH);
	assert_int_equal(store_key_revoke(f->st, 12345), SRV_ENOTFOUND);
	assert_int_equal(store_key_count(f->st, &count), SRV_OK);
	assert_int_equal(count, 0);
	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	assert_true(json_is_true(json_object_get(json_array_get(list, 0), "revoked")));
	/* Only the hash is stored: the key text appears nowhere in the listing. */
	{
		char *dump = json_dumps(list, 0);
		assert_null(strstr(dump, key));
		free(dump);
	}
	json_decref(list);
}

static void test_keys_equal(void **state)
{
	unsigned char a[KEYS_HASH_LEN] = { 0 }, b[KEYS_HASH_LEN] = { 0 };

	assert_true(keys_equal(a, b));
	b[KEYS_HASH_LEN - 1] = 1;
	assert_false(keys_equal(a, b));
	b[KEYS_HASH_LEN - 1] = 0;
	b[0] = 0x80;
	assert_false(keys_equal(a, b));
}

static void test_reopen(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", json_pack("[s,s]", "Region", "Kommun")), *got = NULL, *list = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	char ws[LIMIT_WORKSHOP_ID_LEN + 1], newest[LIMIT_WORKSHOP_ID_LEN + 1];
	unsigned char hash[KEYS_HASH_LEN];
	struct store_answer_out out;
	int64_t q1 = test_db_question_id(w, 0);

	snprintf(ws, sizeof ws, "%s", json_string_value(json_object_get(w, "id")));
	test_db_open_question(f->st, q1);
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Läkarkontinuitet är viktigt", "Region", false, &out),
			 SRV_OK);
	json_decref(out.answer);
	assert_int_equal(keys_hash("reopen-key", 10, hash), SRV_OK);
	assert_int_equal(store_key_add(f->st, hash, NULL, NULL), SRV_OK);
	json_decref(w);

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(store_workshop_newest(f->st, newest), SRV_OK);
	assert_string_equal(newest, ws);
	assert_int_equal(store_workshop_get(f->st, ws, false, &got), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(got, "organisations")), 2);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(got, "questions"), 0), "open")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(got, "questions"), 0),
							    "answers")), 1);
	json_decref(got);
	assert_int_equal(store_answer_list(f->st, ws, &list), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0),
							      "text")), "Läkarkontinuitet är viktigt");
	json_decref(list);
	assert_int_equal(store_key_verify(f->st, "reopen-key", NULL), SRV_OK);
	assert_int_equal(store_workshop_list(f->st, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
}

/* A version-2 database (no series, decisions or votes) keeps its data and gains the new tables. */
static void test_migration_3_from_v2(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *got = NULL, *series = NULL, *votes = NULL;
	json_t *rows = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t q1 = test_db_question_id(w, 0);
	struct store_answer_out out;
	sqlite3 *raw;
	sqlite3_stmt *check;

	snprintf(ws, sizeof ws, "%s", json_string_value(json_object_get(w, "id")));
	test_db_open_question(f->st, q1);
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Kontinuitet", NULL, false, &out), SRV_OK);
	json_decref(out.answer);

	raw = downgrade(f, "");
	assert_int_equal(sqlite3_prepare_v2(raw, "SELECT count(*) FROM sqlite_master WHERE name IN"
					    " ('series', 'votes', 'decisions', 'ballots')", -1, &check, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(check), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(check, 0), 0);
	sqlite3_finalize(check);
	sqlite3_close(raw);

	reopen_migrated(f);
	assert_int_equal(store_workshop_get(f->st, ws, false, &got), SRV_OK);
	assert_true(json_is_null(json_object_get(got, "series")));
	json_decref(got);
	assert_int_equal(store_scope_answers(f->st, ws, NULL, &rows), SRV_OK);
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "text")), "Kontinuitet");
	json_decref(rows);
	assert_int_equal(store_vote_list(f->st, ws, &votes), SRV_OK);
	assert_int_equal(json_array_size(votes), 0);
	json_decref(votes);
	assert_int_equal(store_series_create(f->st, 0, "Värmland 2026", &series), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, ws, json_string_value(json_object_get(series, "id"))), SRV_OK);
	json_decref(series);
	json_decref(w);
}

static void test_series(void **state)
{
	struct test_db *f = *state;
	json_t *w1 = test_db_workshop(f->st, "Karlstad", NULL), *w2 = test_db_workshop(f->st, "Karlstad", NULL);
	json_t *a = NULL, *b = NULL, *got = NULL, *list = NULL, *ws;
	const char *id1 = json_string_value(json_object_get(w1, "id"));
	const char *id2 = json_string_value(json_object_get(w2, "id"));
	const char *code1 = json_string_value(json_object_get(w1, "code"));
	struct store_answer_out out;
	char sa[LIMIT_WORKSHOP_ID_LEN + 1];

	assert_true(json_is_null(json_object_get(w1, "series")));
	assert_int_equal(store_series_create(f->st, 0, "Värmland 2026", &a), SRV_OK);
	assert_int_equal(store_series_create(f->st, 0, "Dalarna", &b), SRV_OK);
	snprintf(sa, sizeof sa, "%s", json_string_value(json_object_get(a, "id")));
	assert_int_equal(strlen(sa), LIMIT_WORKSHOP_ID_LEN);
	assert_int_equal(strspn(sa, RND_BASE32_ALPHABET), LIMIT_WORKSHOP_ID_LEN);
	assert_string_equal(json_string_value(json_object_get(a, "title")), "Värmland 2026");
	assert_true(json_is_string(json_object_get(a, "created")));
	assert_int_equal(json_array_size(json_object_get(a, "workshops")), 0);

	/* Workshops join in creation order, with their visible answer counts. */
	test_db_open_question(f->st, test_db_question_id(w1, 0));
	assert_int_equal(submit(f->st, code1, test_db_question_id(w1, 0), "answer-0001", "Ett", NULL, false, &out), SRV_OK);
	json_decref(out.answer);
	assert_int_equal(store_workshop_set_series(f->st, id2, sa), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, id1, sa), SRV_OK);
	assert_int_equal(store_series_get(f->st, sa, &got), SRV_OK);
	ws = json_object_get(got, "workshops");
	assert_int_equal(json_array_size(ws), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ws, 0), "id")), id1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ws, 0), "code")), code1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ws, 0), "answers")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ws, 1), "answers")), 0);
	json_decref(got);
	assert_int_equal(store_workshop_get(f->st, id1, false, &got), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(got, "series")), sa);
	json_decref(got);

	/* A workshop is in at most one series: moving it takes it out of the first. */
	assert_int_equal(store_workshop_set_series(f->st, id2, json_string_value(json_object_get(b, "id"))), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, id1, NULL), SRV_OK);
	assert_int_equal(store_series_get(f->st, sa, &got), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(got, "workshops")), 0);
	json_decref(got);
	assert_int_equal(store_workshop_list(f->st, &list), SRV_OK);
	ws = list;
	assert_string_equal(json_string_value(json_object_get(json_array_get(ws, 0), "series")),
			    json_string_value(json_object_get(b, "id")));
	assert_true(json_is_null(json_object_get(json_array_get(ws, 1), "series")));
	json_decref(list);

	/* Newest first. */
	assert_int_equal(store_series_list(f->st, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0),
							      "title")), "Dalarna");
	assert_int_equal(json_array_size(json_object_get(json_array_get(list, 0),
							 "workshops")), 1);
	json_decref(list);

	assert_int_equal(store_series_get(f->st, "nosuchseries0000", &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_set_series(f->st, id1, "nosuchseries0000"), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_set_series(f->st, "nosuchworkshop00", sa), SRV_ENOTFOUND);
	json_decref(a);
	json_decref(b);
	json_decref(w1);
	json_decref(w2);
}

static void test_scope_answers(void **state)
{
	struct test_db *f = *state;
	json_t *w1 = test_db_workshop(f->st, "Karlstad", NULL), *w2 = test_db_workshop(f->st, "Arvika", NULL);
	json_t *series = NULL, *empty = NULL, *rows = NULL, *r, *hidden = NULL;
	const char *id1 = json_string_value(json_object_get(w1, "id"));
	const char *id2 = json_string_value(json_object_get(w2, "id"));
	const char *code1 = json_string_value(json_object_get(w1, "code"));
	const char *code2 = json_string_value(json_object_get(w2, "code"));
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	struct store_answer_out out;
	int64_t hidden_id;

	test_db_open_question(f->st, test_db_question_id(w1, 1));
	test_db_open_question(f->st, test_db_question_id(w2, 0));
	/* w2's answer is stored first: the series order is by workshop, not by time. */
	assert_int_equal(submit(f->st, code2, test_db_question_id(w2, 0), "answer-0001", "Andra", NULL, false, &out), SRV_OK);
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code1, test_db_question_id(w1, 1), "answer-0002", "Första", "Kommun", false, &out),
			 SRV_OK);
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code1, test_db_question_id(w1, 1), "answer-0003", "Dold", NULL, false, &out), SRV_OK);
	hidden_id = json_integer_value(json_object_get(out.answer, "id"));
	json_decref(out.answer);
	assert_int_equal(store_answer_set_hidden(f->st, hidden_id, true, &hidden, owner), SRV_OK);
	json_decref(hidden);

	assert_int_equal(store_scope_answers(f->st, id1, NULL, &rows), SRV_OK);
	assert_int_equal(json_array_size(rows), 2);
	r = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(r, "text")), "Första");
	assert_string_equal(json_string_value(json_object_get(r, "answer_id")), "answer-0002");
	assert_int_equal(json_integer_value(json_object_get(r, "question_id")), test_db_question_id(w1, 1));
	assert_int_equal(json_integer_value(json_object_get(r, "position")), 2);
	assert_string_equal(json_string_value(json_object_get(r, "section")), "Dialog 1");
	assert_true(json_is_string(json_object_get(r, "question")));
	assert_string_equal(json_string_value(json_object_get(r, "organisation")), "Kommun");
	assert_true(json_is_null(json_object_get(r, "group")));
	assert_true(json_is_false(json_object_get(r, "hidden")));
	assert_string_equal(json_string_value(json_object_get(r, "workshop_id")), id1);
	assert_string_equal(json_string_value(json_object_get(r, "workshop")), "Karlstad");
	assert_string_equal(json_string_value(json_object_get(r, "code")), code1);
	assert_true(json_is_string(json_object_get(r, "created")));
	assert_true(json_is_integer(json_object_get(r, "id")));
	assert_true(json_is_false(json_object_get(r, "held")));
	assert_int_equal(json_object_size(r), 15);
	assert_true(json_is_true(json_object_get(json_array_get(rows, 1), "hidden")));
	json_decref(rows);

	assert_int_equal(store_series_create(f->st, 0, "Serie", &series), SRV_OK);
	assert_int_equal(store_series_create(f->st, 0, "Tom", &empty), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, id2, json_string_value(json_object_get(series, "id"))), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, id1, json_string_value(json_object_get(series, "id"))), SRV_OK);
	assert_int_equal(store_scope_answers(f->st, NULL, json_string_value(json_object_get(series, "id")), &rows),
			 SRV_OK);
	assert_int_equal(json_array_size(rows), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "workshop_id")), id1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "text")), "Andra");
	json_decref(rows);
	assert_int_equal(store_scope_answers(f->st, NULL, json_string_value(json_object_get(empty, "id")), &rows),
			 SRV_OK);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);

	assert_int_equal(store_scope_answers(f->st, "nosuchworkshop00", NULL, &rows), SRV_ENOTFOUND);
	assert_int_equal(store_scope_answers(f->st, NULL, "nosuchseries0000", &rows), SRV_ENOTFOUND);
	assert_int_equal(store_scope_answers(f->st, NULL, NULL, &rows), SRV_EINVAL);
	assert_int_equal(store_scope_answers(f->st, id1, json_string_value(json_object_get(series, "id")), &rows),
			 SRV_EINVAL);
	json_decref(series);
	json_decref(empty);
	json_decref(w1);
	json_decref(w2);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One query for the whole scope: 5,000 answers must come back in milliseconds, not per-row lookups. */
static void test_scope_answers_fast(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *rows = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *id = json_string_value(json_object_get(w, "id"));
	struct store_answer_out out;
	char answer_id[32], text[64];
	double t0, best = 1e9;
	int i;

	test_db_open_question(f->st, test_db_question_id(w, 0));
	assert_int_equal(store_begin(f->st), SRV_OK);
	for (i = 0; i < 5000; i++) {
		struct store_answer_in in = { .code = code, .question_id = test_db_question_id(w, 0), .answer_id = answer_id,
					      .text = text };
		snprintf(answer_id, sizeof answer_id, "answer-%05d", i);
		snprintf(text, sizeof text, "Svar nummer %d om kontinuitet och tillgänglighet", i);
		assert_int_equal(store_answer_submit(f->st, &in, &out), SRV_OK);
		json_decref(out.answer);
	}
	assert_int_equal(store_commit(f->st), SRV_OK);
	for (i = 0; i < 3; i++) {
		t0 = now_ms();
		assert_int_equal(store_scope_answers(f->st, id, NULL, &rows), SRV_OK);
		if (now_ms() - t0 < best)
			best = now_ms() - t0;
		assert_int_equal(json_array_size(rows), 5000);
		json_decref(rows);
	}
	print_message("store_scope_answers: 5000 answers in %.1f ms\n", best);
	/* Generous for sanitizer builds; the release build takes a few ms. */
	assert_true(best < 500.0);
	json_decref(w);
}

static void test_decisions(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *other = test_db_workshop(f->st, "Arvika", NULL);
	json_t *series = NULL;
	json_t *detail = json_pack("{s:s,s:s,s:s}", "kind", "rename", "theme", "kontinuitet", "label", "Fast läkare");
	json_t *merge = json_pack("{s:s,s:s,s:s}", "kind", "merge", "theme", "c1", "into", "samverkan");
	json_t *bad = json_pack("{s:s}", "theme", "x");
	json_t *d1 = NULL, *d2 = NULL, *undo = NULL, *list = NULL, *got = NULL, *rec;
	const char *ws = json_string_value(json_object_get(w, "id"));
	const char *ws2 = json_string_value(json_object_get(other, "id"));
	unsigned char hash[KEYS_HASH_LEN];
	int64_t key_id, id1, id2;
	const char *sid;

	assert_int_equal(keys_hash("decision-key", 12, hash), SRV_OK);
	assert_int_equal(store_key_add(f->st, hash, "demo", &key_id), SRV_OK);
	assert_int_equal(store_decision_add(f->st, ws, NULL, key_id, detail, &d1), SRV_OK);
	id1 = json_integer_value(json_object_get(d1, "id"));
	assert_true(id1 > 0);
	assert_string_equal(json_string_value(json_object_get(d1, "kind")), "rename");
	assert_true(json_equal(json_object_get(d1, "detail"), detail));
	assert_int_equal(json_integer_value(json_object_get(d1, "key_id")), key_id);
	assert_string_equal(json_string_value(json_object_get(d1, "key_label")), "demo");
	assert_true(json_is_string(json_object_get(d1, "created")));
	assert_true(json_is_null(json_object_get(d1, "undone_by")));
	/* No key (the command line): key_id and key_label are null. */
	assert_int_equal(store_decision_add(f->st, ws, NULL, 0, merge, &d2), SRV_OK);
	id2 = json_integer_value(json_object_get(d2, "id"));
	assert_true(json_is_null(json_object_get(d2, "key_id")));
	assert_true(json_is_null(json_object_get(d2, "key_label")));

	assert_int_equal(store_decision_undo(f->st, ws, NULL, key_id, id1, &undo), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(undo, "kind")), "undo");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(undo, "detail"), "decision")), id1);
	assert_int_equal(store_decision_list(f->st, ws, NULL, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 3);
	rec = json_array_get(list, 0);
	assert_int_equal(json_integer_value(json_object_get(rec, "undone_by")),
			 json_integer_value(json_object_get(undo, "id")));
	assert_true(json_is_null(json_object_get(json_array_get(list, 1), "undone_by")));
	json_decref(list);

	/* Twice, an undo itself, another scope's decision, no such decision. */
	assert_int_equal(store_decision_undo(f->st, ws, NULL, key_id, id1, &got), SRV_ECONFLICT);
	assert_int_equal(store_decision_undo(f->st, ws, NULL, key_id, json_integer_value(json_object_get(undo, "id")),
					     &got), SRV_ECONFLICT);
	assert_int_equal(store_decision_undo(f->st, ws2, NULL, key_id, id2, &got), SRV_ENOTFOUND);
	assert_int_equal(store_decision_undo(f->st, ws, NULL, key_id, 999999, &got), SRV_ENOTFOUND);
	/* A failed undo leaves nothing behind. */
	assert_int_equal(store_decision_list(f->st, ws, NULL, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);

	/* A series has its own decisions. */
	assert_int_equal(store_series_create(f->st, key_id, "Serie", &series), SRV_OK);
	sid = json_string_value(json_object_get(series, "id"));
	assert_int_equal(store_decision_add(f->st, NULL, sid, key_id, merge, &got), SRV_OK);
	json_decref(got);
	assert_int_equal(store_decision_list(f->st, NULL, sid, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(store_decision_undo(f->st, NULL, sid, key_id, id2, &got), SRV_ENOTFOUND);
	assert_int_equal(store_decision_list(f->st, ws2, NULL, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	assert_int_equal(store_decision_add(f->st, "nosuchworkshop00", NULL, key_id, detail, &got), SRV_ENOTFOUND);
	assert_int_equal(store_decision_add(f->st, NULL, "nosuchseries0000", key_id, detail, &got), SRV_ENOTFOUND);
	assert_int_equal(store_decision_add(f->st, ws, sid, key_id, detail, &got), SRV_EINVAL);
	assert_int_equal(store_decision_add(f->st, ws, NULL, key_id, bad, &got), SRV_EINVAL);
	assert_int_equal(store_decision_list(f->st, "nosuchworkshop00", NULL, &list), SRV_ENOTFOUND);

	/* Still there after a reopen. */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(store_decision_list(f->st, ws, NULL, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 3);
	assert_true(json_equal(json_object_get(json_array_get(list, 1), "detail"), merge));
	json_decref(list);

	json_decref(series);
	json_decref(d1);
	json_decref(d2);
	json_decref(undo);
	json_decref(detail);
	json_decref(merge);
	json_decref(bad);
	json_decref(w);
	json_decref(other);
}

static json_t *vote_themes(size_t n)
{
	json_t *themes = json_array();
	char id[32], label[40];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "t%zu", i);
		snprintf(label, sizeof label, "Tema %zu", i);
		json_array_append_new(themes, json_pack("{s:s,s:s}", "id", id, "label", label));
	}
	return themes;
}

static void test_votes(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *themes = vote_themes(3), *v1 = NULL, *v2 = NULL, *got = NULL;
	json_t *many = vote_themes(LIMIT_VOTE_THEMES_MAX + 1), *empty = json_array(), *dup = vote_themes(2);
	json_t *list = NULL;
	const char *ws = json_string_value(json_object_get(w, "id"));
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t id1, id2;

	assert_int_equal(store_vote_current(f->st, ws, &got), SRV_OK);
	assert_true(json_is_null(got));
	json_decref(got);
	assert_int_equal(store_vote_open(f->st, ws, 0, 3, themes, &v1), SRV_OK);
	id1 = json_integer_value(json_object_get(v1, "id"));
	assert_string_equal(json_string_value(json_object_get(v1, "workshop_id")), ws);
	assert_int_equal(json_integer_value(json_object_get(v1, "dots")), 3);
	assert_true(json_is_true(json_object_get(v1, "open")));
	assert_true(json_is_null(json_object_get(v1, "closed")));
	assert_true(json_equal(json_object_get(v1, "themes"), themes));
	assert_int_equal(json_integer_value(json_object_get(v1, "ballots")), 0);
	assert_int_equal(json_array_size(json_object_get(v1, "results")), 3);
	/* No dots yet: the vote's theme order. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(v1, "results"), 0),
							      "theme")), "t0");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(v1, "results"), 0),
							    "dots")), 0);

	/* Opening a second vote closes the first. */
	assert_int_equal(store_vote_open(f->st, ws, 0, LIMIT_VOTE_DOTS_MAX, themes, &v2), SRV_OK);
	id2 = json_integer_value(json_object_get(v2, "id"));
	assert_int_equal(store_vote_get(f->st, id1, &got, owner), SRV_OK);
	assert_string_equal(owner, ws);
	assert_true(json_is_false(json_object_get(got, "open")));
	assert_true(json_is_string(json_object_get(got, "closed")));
	json_decref(got);
	assert_int_equal(store_vote_current(f->st, ws, &got), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(got, "id")), id2);
	json_decref(got);

	/* Reopening the first closes the second. */
	assert_int_equal(store_vote_set_open(f->st, id1, true, &got, owner), SRV_OK);
	assert_string_equal(owner, ws);
	assert_true(json_is_true(json_object_get(got, "open")));
	assert_true(json_is_null(json_object_get(got, "closed")));
	json_decref(got);
	assert_int_equal(store_vote_get(f->st, id2, &got, NULL), SRV_OK);
	assert_true(json_is_false(json_object_get(got, "open")));
	json_decref(got);
	assert_int_equal(store_vote_set_open(f->st, id1, false, &got, owner), SRV_OK);
	assert_true(json_is_false(json_object_get(got, "open")));
	json_decref(got);
	assert_int_equal(store_vote_current(f->st, ws, &got), SRV_OK);
	assert_true(json_is_null(got));
	json_decref(got);

	assert_int_equal(store_vote_list(f->st, ws, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")),
			 id1);
	json_decref(list);

	/* Refused: dots out of range, no themes, too many, a theme twice, a theme without label. */
	assert_int_equal(store_vote_open(f->st, ws, 0, 0, themes, &got), SRV_EINVAL);
	assert_int_equal(store_vote_open(f->st, ws, 0, LIMIT_VOTE_DOTS_MAX + 1, themes, &got), SRV_EINVAL);
	assert_int_equal(store_vote_open(f->st, ws, 0, 3, empty, &got), SRV_EINVAL);
	assert_int_equal(store_vote_open(f->st, ws, 0, 3, many, &got), SRV_EINVAL);
	json_object_set_new(json_array_get(dup, 1), "id", json_string("t0"));
	assert_int_equal(store_vote_open(f->st, ws, 0, 3, dup, &got), SRV_EINVAL);
	json_object_del(json_array_get(dup, 1), "label");
	assert_int_equal(store_vote_open(f->st, ws, 0, 3, dup, &got), SRV_EINVAL);
	assert_int_equal(store_vote_open(f->st, "nosuchworkshop00", 0, 3, themes, &got), SRV_ENOTFOUND);
	/* A refused vote changed nothing. */
	assert_int_equal(store_vote_list(f->st, ws, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 2);
	json_decref(list);
	assert_int_equal(store_vote_get(f->st, 999999, &got, NULL), SRV_ENOTFOUND);
	assert_int_equal(store_vote_set_open(f->st, 999999, true, &got, owner), SRV_ENOTFOUND);
	assert_int_equal(store_vote_list(f->st, "nosuchworkshop00", &list), SRV_ENOTFOUND);
	assert_int_equal(store_vote_current(f->st, "nosuchworkshop00", &got), SRV_ENOTFOUND);

	json_decref(v1);
	json_decref(v2);
	json_decref(themes);
	json_decref(many);
	json_decref(empty);
	json_decref(dup);
	json_decref(w);
}

/*
 * Cast a ballot as phone `client`, with a participant token of the code's
 * workshop (a new token each time: the phone is known by its client_id).
 */
static int ballot(struct store *st, const char *code, int64_t vote_id, const char *client, const char *dots_json,
		  bool *created, json_t **vote)
{
	json_t *dots = json_loads(dots_json, 0, NULL), *w = NULL;
	unsigned char secret[PTOKEN_SECRET_LEN];
	char token[PTOKEN_LEN + 1] = "";
	struct store_ballot_in in = { .code = code, .vote_id = vote_id, .client_id = client, .token = token,
				      .dots = dots };
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	int err;

	assert_non_null(dots);
	assert_int_equal(store_secret(st, secret), SRV_OK);
	if (store_workshop_by_code(st, code, &w) == SRV_OK)
		assert_int_equal(ptoken_issue(secret, json_string_value(json_object_get(w, "id")), token), SRV_OK);
	json_decref(w);
	*vote = NULL;
	err = store_ballot_submit(st, &in, created, vote, owner);
	json_decref(dots);
	return err;
}

static json_int_t result_of(json_t *vote, size_t i, const char *field)
{
	return json_integer_value(json_object_get(json_array_get(json_object_get(vote, "results"), i), field));
}

static void test_ballots(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *other = test_db_workshop(f->st, "Arvika", NULL);
	json_t *themes = vote_themes(3);
	json_t *v = NULL, *ov = NULL, *got = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *ocode = json_string_value(json_object_get(other, "code"));
	const char *ws = json_string_value(json_object_get(w, "id"));
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	bool created = false;
	int64_t vid;

	assert_int_equal(store_vote_open(f->st, ws, 0, 3, themes, &v), SRV_OK);
	vid = json_integer_value(json_object_get(v, "id"));
	assert_int_equal(store_vote_open(f->st, json_string_value(json_object_get(other, "id")), 0, 3, themes, &ov),
			 SRV_OK);

	assert_int_equal(ballot(f->st, code, vid, "phone-0001", "{\"t1\": 2, \"t2\": 1}", &created, &got), SRV_OK);
	assert_true(created);
	assert_int_equal(json_integer_value(json_object_get(got, "ballots")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(got, "results"), 0),
							      "theme")), "t1");
	assert_int_equal(result_of(got, 0, "dots"), 2);
	assert_int_equal(result_of(got, 0, "voters"), 1);
	json_decref(got);
	/* The code's case does not matter; a retry with the same dots is not stored twice. */
	assert_int_equal(ballot(f->st, code, vid, "phone-0001", "{\"t2\": 1, \"t1\": 2}", &created, &got), SRV_OK);
	assert_false(created);
	assert_int_equal(json_integer_value(json_object_get(got, "ballots")), 1);
	json_decref(got);
	/* The same phone with other dots, or fewer of them, is refused. */
	assert_int_equal(ballot(f->st, code, vid, "phone-0001", "{\"t1\": 3}", &created, &got), SRV_ECONFLICT);
	assert_int_equal(ballot(f->st, code, vid, "phone-0001", "{\"t1\": 2}", &created, &got), SRV_ECONFLICT);
	assert_int_equal(ballot(f->st, code, vid, "phone-0001", "{\"t1\": 2, \"t2\": 1, \"t0\": 1}", &created, &got),
			 SRV_ECONFLICT);

	/* Results: most dots first, ties in the vote's theme order; voters count phones. */
	assert_int_equal(ballot(f->st, code, vid, "phone-0002", "{\"t2\": 1, \"t0\": 1}", &created, &got), SRV_OK);
	assert_true(created);
	assert_int_equal(json_integer_value(json_object_get(got, "ballots")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(got, "results"), 0),
							      "theme")), "t1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(got, "results"), 1),
							      "theme")), "t2");
	assert_int_equal(result_of(got, 1, "dots"), 2);
	assert_int_equal(result_of(got, 1, "voters"), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(got, "results"), 2),
							      "label")), "Tema 0");
	assert_int_equal(result_of(got, 0, "dots") + result_of(got, 1, "dots") + result_of(got, 2, "dots"), 5);
	json_decref(got);

	/* Invalid ballots store nothing. */
	assert_int_equal(ballot(f->st, code, vid, "phone-0003", "{\"nosuch\": 1}", &created, &got), SRV_EINVAL);
	assert_int_equal(ballot(f->st, code, vid, "phone-0003", "{\"t0\": 2, \"t1\": 2}", &created, &got), SRV_EINVAL);
	assert_int_equal(ballot(f->st, code, vid, "phone-0003", "{\"t0\": 0}", &created, &got), SRV_EINVAL);
	assert_int_equal(ballot(f->st, code, vid, "phone-0003", "{\"t0\": 1.5}", &created, &got), SRV_EINVAL);
	assert_int_equal(ballot(f->st, code, vid, "phone-0003", "{}", &created, &got), SRV_EINVAL);
	assert_int_equal(ballot(f->st, "ZZZZZZ", vid, "phone-0003", "{\"t0\": 1}", &created, &got), SRV_ENOTFOUND);
	assert_int_equal(ballot(f->st, "bad", vid, "phone-0003", "{\"t0\": 1}", &created, &got), SRV_ENOTFOUND);
	assert_int_equal(ballot(f->st, ocode, vid, "phone-0003", "{\"t0\": 1}", &created, &got), SRV_ENOTFOUND);
	assert_int_equal(ballot(f->st, code, 999999, "phone-0003", "{\"t0\": 1}", &created, &got), SRV_ENOTFOUND);
	assert_int_equal(store_vote_get(f->st, vid, &got, NULL), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(got, "ballots")), 2);
	json_decref(got);

	/* Closed: new ballots get SRV_ECLOSED, a stored one's retry still succeeds. */
	assert_int_equal(store_vote_set_open(f->st, vid, false, &got, owner), SRV_OK);
	json_decref(got);
	assert_int_equal(ballot(f->st, code, vid, "phone-0003", "{\"t0\": 1}", &created, &got), SRV_ECLOSED);
	assert_int_equal(ballot(f->st, code, vid, "phone-0002", "{\"t2\": 1, \"t0\": 1}", &created, &got), SRV_OK);
	assert_false(created);
	json_decref(got);

	/* Everything survives a reopen, and the unique ballot per phone still holds. */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(store_vote_set_open(f->st, vid, true, &got, owner), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(got, "ballots")), 2);
	assert_int_equal(result_of(got, 0, "dots"), 2);
	json_decref(got);
	assert_int_equal(ballot(f->st, code, vid, "phone-0001", "{\"t0\": 1}", &created, &got), SRV_ECONFLICT);

	json_decref(v);
	json_decref(ov);
	json_decref(themes);
	json_decref(w);
	json_decref(other);
}

/* ---- keys' scope, grants, presenter secrets, the audit log ---- */

/* A new key with `in`; its text into key (KEYS_TEXT_LEN + 1), its id returned. */
static int64_t new_key(struct store *st, const struct store_key_new *in, char *key)
{
	unsigned char hash[KEYS_HASH_LEN];
	int64_t id = 0;

	assert_int_equal(keys_generate(key), SRV_OK);
	assert_int_equal(keys_hash(key, strlen(key), hash), SRV_OK);
	assert_int_equal(store_key_create(st, hash, in, &id), SRV_OK);
	assert_true(id > 0);
	return id;
}

/* The template workshop `title` made by key `key_id`; the caller decrefs it. */
static json_t *workshop_by(struct store *st, int64_t key_id, const char *title)
{
	json_t *qs = NULL, *orgs = template_organisations(), *w = NULL;

	assert_int_equal(template_questions(TEMPLATE_DEFAULT, &qs), SRV_OK);
	assert_int_equal(store_workshop_create(st, key_id, title, orgs, qs, &w), SRV_OK);
	json_decref(qs);
	json_decref(orgs);
	return w;
}

/* The ids of a list of workshops or series, as one string "a b c" into out. */
static void list_ids(json_t *list, char *out, size_t size)
{
	json_t *v;
	size_t i, len = 0;

	out[0] = '\0';
	json_array_foreach(list, i, v)
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "",
					json_string_value(json_object_get(v, "id")));
	json_decref(list);
}

/* Run `sql` on the store's file through a second, raw connection. */
static void raw_exec(struct test_db *f, const char *sql)
{
	sqlite3 *raw = NULL;

	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	sqlite3_busy_timeout(raw, 5000);
	assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
}

/* The first key of a database is its admin; later ones are not unless asked; expired keys are refused. */
static void test_key_admin_expires(void **state)
{
	struct test_db *f = *state;
	struct store_key_new plain = { .label = "Anna" }, admin = { .label = "IT", .admin = true };
	struct store_key_new old = { .label = "gone", .expires = "2000-01-01T00:00:00Z" };
	struct store_key_new later = { .label = "later", .expires = "2999-01-01T00:00:00Z" };
	char k1[KEYS_TEXT_LEN + 1], k2[KEYS_TEXT_LEN + 1], k3[KEYS_TEXT_LEN + 1], k4[KEYS_TEXT_LEN + 1];
	char k5[KEYS_TEXT_LEN + 1];
	struct store_key key;
	int64_t first, second, third, count = -1;
	json_t *list = NULL;

	first = new_key(f->st, &plain, k1);
	second = new_key(f->st, &plain, k2);
	third = new_key(f->st, &admin, k3);
	new_key(f->st, &old, k4);
	new_key(f->st, &later, k5);
	assert_int_equal(store_key_auth(f->st, k1, &key), SRV_OK);
	assert_int_equal(key.id, first);
	assert_true(key.admin);
	assert_int_equal(store_key_auth(f->st, k2, &key), SRV_OK);
	assert_int_equal(key.id, second);
	assert_false(key.admin);
	assert_int_equal(store_key_auth(f->st, k3, &key), SRV_OK);
	assert_int_equal(key.id, third);
	assert_true(key.admin);
	/* Expired is refused exactly like unknown, and not counted as active. */
	assert_int_equal(store_key_auth(f->st, k4, &key), SRV_EAUTH);
	assert_int_equal(store_key_verify(f->st, k4, NULL), SRV_EAUTH);
	assert_int_equal(store_key_auth(f->st, k5, &key), SRV_OK);
	assert_int_equal(store_key_count(f->st, &count), SRV_OK);
	assert_int_equal(count, 4);

	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 5);
	assert_true(json_is_true(json_object_get(json_array_get(list, 0), "admin")));
	assert_true(json_is_false(json_object_get(json_array_get(list, 1), "admin")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "expires")),
			    "2000-01-01T00:00:00Z");
	assert_true(json_is_null(json_object_get(json_array_get(list, 0), "expires")));
	assert_true(json_is_string(json_object_get(json_array_get(list, 0), "last_used")));
	/* k4 never got in, so it was never used. */
	assert_true(json_is_null(json_object_get(json_array_get(list, 3), "last_used")));
	assert_int_equal(json_array_size(json_object_get(json_array_get(list, 0), "grants")), 0);
	json_decref(list);
}

/* last_used is written when a key is used, but at most once a minute. */
static void test_key_last_used(void **state)
{
	struct test_db *f = *state;
	struct store_key_new in = { .label = "Anna" };
	char key[KEYS_TEXT_LEN + 1], now[STORE_TIME_LEN + 1];
	struct store_key got;
	json_t *list = NULL;

	new_key(f->st, &in, key);
	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	assert_true(json_is_null(json_object_get(json_array_get(list, 0), "last_used")));
	json_decref(list);

	store_now(now);
	assert_int_equal(store_key_auth(f->st, key, &got), SRV_OK);
	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	assert_true(strcmp(json_string_value(json_object_get(json_array_get(list, 0), "last_used")), now) >= 0);
	json_decref(list);

	/* Used less than a minute ago (here: "in the future"): not written again. */
	raw_exec(f, "UPDATE keys SET last_used = '2999-01-01T00:00:00Z'");
	assert_int_equal(store_key_auth(f->st, key, &got), SRV_OK);
	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "last_used")),
			    "2999-01-01T00:00:00Z");
	json_decref(list);

	/* Used long ago: written now. */
	raw_exec(f, "UPDATE keys SET last_used = '2000-01-01T00:00:00Z'");
	assert_int_equal(store_key_auth(f->st, key, &got), SRV_OK);
	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	assert_true(strcmp(json_string_value(json_object_get(json_array_get(list, 0), "last_used")), now) >= 0);
	json_decref(list);
}

/* Who sees what: the creator, a grant, a series, the admin; questions, answers and votes by their workshop. */
static void test_key_may_see(void **state)
{
	struct test_db *f = *state;
	struct store_key_new in = { .label = "x" };
	char ka[KEYS_TEXT_LEN + 1], kb[KEYS_TEXT_LEN + 1], kc[KEYS_TEXT_LEN + 1], ids[256], want[256];
	char num[24], vnum[24], anum[24];
	int64_t admin, a, b, c;
	json_t *wa, *wb, *series = NULL, *themes = vote_themes(2), *vote = NULL, *list = NULL;
	struct store_answer_out out;
	const char *ws_a, *ws_b, *ser;

	admin = new_key(f->st, &in, kc);   /* the first key: admin */
	a = new_key(f->st, &in, ka);
	b = new_key(f->st, &in, kb);
	c = new_key(f->st, &in, kc);
	wa = workshop_by(f->st, a, "A");
	wb = workshop_by(f->st, b, "B");
	ws_a = json_string_value(json_object_get(wa, "id"));
	ws_b = json_string_value(json_object_get(wb, "id"));
	assert_int_equal(store_series_create(f->st, a, "A's series", &series), SRV_OK);
	ser = json_string_value(json_object_get(series, "id"));

	assert_int_equal(store_key_may_see(f->st, a, STORE_WORKSHOP, ws_a), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, a, STORE_WORKSHOP, ws_b), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, b, STORE_WORKSHOP, ws_a), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, admin, STORE_WORKSHOP, ws_a), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, admin, STORE_WORKSHOP, "nosuchworkshop00"), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, a, STORE_SERIES, ser), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, b, STORE_SERIES, ser), SRV_ENOTFOUND);

	/* A question, an answer and a vote belong to their workshop's scope. */
	snprintf(num, sizeof num, "%lld", (long long)test_db_question_id(wa, 0));
	test_db_open_question(f->st, test_db_question_id(wa, 0));
	assert_int_equal(submit(f->st, json_string_value(json_object_get(wa, "code")), test_db_question_id(wa, 0),
				"answer-0001", "Kontinuitet", NULL, false, &out), SRV_OK);
	snprintf(anum, sizeof anum, "%lld", (long long)json_integer_value(json_object_get(out.answer, "id")));
	json_decref(out.answer);
	assert_int_equal(store_vote_open(f->st, ws_a, a, 2, themes, &vote), SRV_OK);
	snprintf(vnum, sizeof vnum, "%lld", (long long)json_integer_value(json_object_get(vote, "id")));
	json_decref(vote);
	assert_int_equal(store_key_may_see(f->st, a, STORE_QUESTION, num), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, b, STORE_QUESTION, num), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, a, STORE_ANSWER, anum), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, b, STORE_ANSWER, anum), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, a, STORE_VOTE, vnum), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, b, STORE_VOTE, vnum), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, admin, STORE_VOTE, vnum), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, admin, STORE_VOTE, "999999"), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, admin, STORE_QUESTION, "1x"), SRV_ENOTFOUND);
	assert_int_equal(store_key_may_see(f->st, admin, STORE_ANSWER, "-1"), SRV_ENOTFOUND);

	/* Lists: each key its own, the admin every one, newest first. */
	assert_int_equal(store_workshop_list_for(f->st, a, &list), SRV_OK);
	list_ids(list, ids, sizeof ids);
	assert_string_equal(ids, ws_a);
	assert_int_equal(store_workshop_list_for(f->st, admin, &list), SRV_OK);
	list_ids(list, ids, sizeof ids);
	snprintf(want, sizeof want, "%s %s", ws_b, ws_a);
	assert_string_equal(ids, want);
	assert_int_equal(store_workshop_list_for(f->st, c, &list), SRV_OK);
	list_ids(list, ids, sizeof ids);
	assert_string_equal(ids, "");
	assert_int_equal(store_series_list_for(f->st, b, &list), SRV_OK);
	list_ids(list, ids, sizeof ids);
	assert_string_equal(ids, "");
	assert_int_equal(store_series_list_for(f->st, a, &list), SRV_OK);
	list_ids(list, ids, sizeof ids);
	assert_string_equal(ids, ser);

	/* A grant of a workshop: c sees it and what is in it. */
	assert_int_equal(store_key_grant(f->st, c, ws_b, NULL), SRV_OK);
	assert_int_equal(store_key_grant(f->st, c, ws_b, NULL), SRV_OK);   /* twice is no error */
	assert_int_equal(store_key_may_see(f->st, c, STORE_WORKSHOP, ws_b), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, c, STORE_WORKSHOP, ws_a), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_list_for(f->st, c, &list), SRV_OK);
	list_ids(list, ids, sizeof ids);
	assert_string_equal(ids, ws_b);

	/* A workshop in a series is seen by whoever sees the series. */
	assert_int_equal(store_workshop_set_series(f->st, ws_b, ser), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, a, STORE_WORKSHOP, ws_b), SRV_OK);
	assert_int_equal(store_key_grant(f->st, c, NULL, ser), SRV_OK);
	assert_int_equal(store_key_may_see(f->st, c, STORE_SERIES, ser), SRV_OK);
	/* ...but not a workshop outside it. */
	assert_int_equal(store_key_may_see(f->st, c, STORE_QUESTION, num), SRV_ENOTFOUND);
	snprintf(num, sizeof num, "%lld", (long long)test_db_question_id(wb, 0));
	assert_int_equal(store_key_may_see(f->st, a, STORE_QUESTION, num), SRV_OK);

	/* Grants need exactly one existing thing and an active key. */
	assert_int_equal(store_key_grant(f->st, c, ws_a, ser), SRV_EINVAL);
	assert_int_equal(store_key_grant(f->st, c, NULL, NULL), SRV_EINVAL);
	assert_int_equal(store_key_grant(f->st, c, "nosuchworkshop00", NULL), SRV_ENOTFOUND);
	assert_int_equal(store_key_grant(f->st, 9999, ws_a, NULL), SRV_ENOTFOUND);
	assert_int_equal(store_key_revoke(f->st, b), SRV_OK);
	assert_int_equal(store_key_grant(f->st, b, ws_a, NULL), SRV_ENOTFOUND);

	assert_int_equal(store_key_list(f->st, &list), SRV_OK);
	{
		json_t *grants = json_object_get(json_array_get(list, 3), "grants");
		assert_int_equal(json_array_size(grants), 2);
		assert_string_equal(json_string_value(json_object_get(json_array_get(grants, 0), "workshop")), ws_b);
		assert_string_equal(json_string_value(json_object_get(json_array_get(grants, 1), "series")), ser);
	}
	json_decref(list);
	json_decref(series);
	json_decref(themes);
	json_decref(wa);
	json_decref(wb);
}

/* Each workshop has a presenter secret: checked in constant time, renewable, in no workshop object. */
static void test_presenter_secret(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *got = NULL;
	const char *ws = json_string_value(json_object_get(w, "id"));
	char secret[STORE_SECRET_LEN + 1], renewed[STORE_SECRET_LEN + 1], *dump;

	assert_int_equal(store_presenter_secret(f->st, ws, secret), SRV_OK);
	assert_int_equal(strlen(secret), STORE_SECRET_LEN);
	assert_int_equal(store_presenter_check(f->st, ws, secret), SRV_OK);
	assert_int_equal(store_presenter_check(f->st, ws, "wrong"), SRV_EAUTH);
	assert_int_equal(store_presenter_check(f->st, ws, ""), SRV_EAUTH);
	assert_int_equal(store_presenter_check(f->st, "nosuchworkshop00", secret), SRV_EAUTH);
	assert_int_equal(store_presenter_secret(f->st, "nosuchworkshop00", renewed), SRV_ENOTFOUND);

	dump = json_dumps(w, 0);
	assert_null(strstr(dump, secret));
	free(dump);
	assert_int_equal(store_workshop_get(f->st, ws, true, &got), SRV_OK);
	dump = json_dumps(got, 0);
	assert_null(strstr(dump, secret));
	free(dump);
	json_decref(got);

	assert_int_equal(store_presenter_renew(f->st, ws, renewed), SRV_OK);
	assert_string_not_equal(renewed, secret);
	assert_int_equal(store_presenter_check(f->st, ws, secret), SRV_EAUTH);
	assert_int_equal(store_presenter_check(f->st, ws, renewed), SRV_OK);
	assert_int_equal(store_presenter_renew(f->st, "nosuchworkshop00", renewed), SRV_ENOTFOUND);
	json_decref(w);
}

/* Audit entries: who, what, where; newest first; filtered by workshop, series and time. */
static void test_audit(void **state)
{
	struct test_db *f = *state;
	struct store_key_new in = { .label = "Anna Processledare" };
	char key[KEYS_TEXT_LEN + 1];
	json_t *detail = json_pack("{s:i}", "question", 17), *list = NULL, *e;
	int64_t anna = new_key(f->st, &in, key);

	assert_int_equal(store_audit_add(f->st, anna, STORE_AUDIT_WORKSHOP_CREATE, "wsone", NULL, NULL), SRV_OK);
	assert_int_equal(store_audit_add(f->st, anna, STORE_AUDIT_QUESTION_OPEN, "wsone", NULL, detail), SRV_OK);
	assert_int_equal(store_audit_add(f->st, 0, STORE_AUDIT_KEY_GRANT, "wstwo", NULL, NULL), SRV_OK);
	assert_int_equal(store_audit_add(f->st, anna, STORE_AUDIT_REPORT, NULL, "serone", NULL), SRV_OK);
	raw_exec(f, "UPDATE audit SET created = '2020-01-01T00:00:00Z' WHERE id = 1");

	assert_int_equal(store_audit_list(f->st, "wsone", NULL, NULL, 0, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 2);
	e = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(e, "action")), "question.open");
	assert_int_equal(json_integer_value(json_object_get(e, "key_id")), anna);
	assert_string_equal(json_string_value(json_object_get(e, "key_label")), "Anna Processledare");
	assert_string_equal(json_string_value(json_object_get(e, "workshop_id")), "wsone");
	assert_true(json_is_null(json_object_get(e, "series_id")));
	assert_true(json_equal(json_object_get(e, "detail"), detail));
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "action")), "workshop.create");
	assert_true(json_is_null(json_object_get(json_array_get(list, 1), "detail")));
	json_decref(list);

	assert_int_equal(store_audit_list(f->st, NULL, NULL, NULL, 0, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 4);
	e = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(e, "action")), "key.grant");
	assert_true(json_is_null(json_object_get(e, "key_id")));
	assert_true(json_is_null(json_object_get(e, "key_label")));
	json_decref(list);
	assert_int_equal(store_audit_list(f->st, NULL, "serone", NULL, 0, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "action")), "report.download");
	json_decref(list);
	assert_int_equal(store_audit_list(f->st, NULL, NULL, "2021-01-01T00:00:00Z", 0, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 3);
	json_decref(list);
	assert_int_equal(store_audit_list(f->st, NULL, NULL, NULL, 2, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "action")), "report.download");
	json_decref(list);
	for (int i = 0; i < STORE_AUDIT_COUNT; i++)
		assert_non_null(strchr(store_audit_name((enum store_audit_action)i), '.'));
	json_decref(detail);
}

/* A version-3 database: its oldest key becomes the admin, the others keep what they made; workshops get secrets. */
static void test_migration_4_from_v3(void **state)
{
	struct test_db *f = *state;
	unsigned char hash[KEYS_HASH_LEN];
	char secret[STORE_SECRET_LEN + 1];
	int64_t first = 0, second = 0;
	struct store_key key;
	json_t *w, *list = NULL;
	const char *ws;
	sqlite3 *raw = NULL;

	assert_int_equal(keys_hash("first-key", 9, hash), SRV_OK);
	assert_int_equal(store_key_add(f->st, hash, "first", &first), SRV_OK);
	assert_int_equal(keys_hash("second-key", 10, hash), SRV_OK);
	assert_int_equal(store_key_add(f->st, hash, "second", &second), SRV_OK);
	w = workshop_by(f->st, second, "Karlstad");
	ws = json_string_value(json_object_get(w, "id"));

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, UNDO_TO_3 "PRAGMA user_version = 3;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	reopen_migrated(f);

	assert_int_equal(store_key_auth(f->st, "first-key", &key), SRV_OK);
	assert_true(key.admin);
	assert_int_equal(store_key_auth(f->st, "second-key", &key), SRV_OK);
	assert_false(key.admin);
	assert_int_equal(store_key_may_see(f->st, second, STORE_WORKSHOP, ws), SRV_OK);
	assert_int_equal(store_workshop_list_for(f->st, second, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 1);
	json_decref(list);
	assert_int_equal(store_presenter_secret(f->st, ws, secret), SRV_OK);
	assert_int_equal(strlen(secret), 32);
	assert_int_equal(store_presenter_check(f->st, ws, secret), SRV_OK);
	assert_int_equal(store_audit_list(f->st, NULL, NULL, NULL, 0, &list), SRV_OK);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	json_decref(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_2_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workshop_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test(test_keys_equal),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_3_from_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_answers_fast, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decisions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_votes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ballots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_admin_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_last_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_may_see, setup, teardown),
		cmocka_unit_test_setup_teardown(test_presenter_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_4_from_v3, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

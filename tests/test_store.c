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
#include <unistd.h>

#include "keys.h"
#include "rnd.h"
#include "srv_err.h"
#include "store.h"
#include "template.h"

struct fixture {
	char dir[64];
	char path[96];
	struct store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/inspel-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	if (store_open(&f->st, f->path))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char p[128];

	store_close(f->st);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Create the template workshop with `orgs` (stolen; NULL: the default list); caller decrefs the result. */
static json_t *make_workshop(struct store *st, json_t *orgs)
{
	json_t *qs = NULL, *w = NULL;

	assert_int_equal(template_questions(TEMPLATE_DEFAULT, &qs), SRV_OK);
	if (!orgs)
		orgs = template_organisations();
	assert_int_equal(store_workshop_create(st, 0, "Primärvårdsdialog Karlstad", orgs, qs, &w), SRV_OK);
	json_decref(qs);
	json_decref(orgs);
	return w;
}

static int64_t question_id(json_t *w, size_t i)
{
	return json_integer_value(json_object_get(json_array_get(json_object_get(w, "questions"), i), "id"));
}

static void open_question(struct store *st, int64_t qid)
{
	char ws[STORE_WORKSHOP_ID_LEN + 1];
	json_t *q = NULL;

	assert_int_equal(store_question_set_open(st, qid, true, &q, ws), SRV_OK);
	assert_true(json_is_true(json_object_get(q, "open")));
	json_decref(q);
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

static void test_migrate_twice(void **state)
{
	struct fixture *f = *state;
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
	struct fixture *f = *state;
	json_t *w = make_workshop(f->st, NULL), *counts = NULL, *a = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	char ws[STORE_WORKSHOP_ID_LEN + 1], owner[STORE_WORKSHOP_ID_LEN + 1];
	int64_t q1 = question_id(w, 0);
	struct store_answer_out out;
	sqlite3 *raw;
	int v = 0;

	snprintf(ws, sizeof ws, "%s", json_string_value(json_object_get(w, "id")));
	open_question(f->st, q1);
	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Ett", NULL, false, &out), SRV_OK);
	json_decref(out.answer);
	assert_int_equal(submit(f->st, code, q1, "answer-0002", "Två", NULL, false, &out), SRV_OK);
	assert_int_equal(store_answer_set_hidden(f->st, json_integer_value(json_object_get(out.answer, "id")), true,
						 &a, owner), SRV_OK);
	json_decref(out.answer);
	json_decref(a);
	store_close(f->st);
	f->st = NULL;

	/* Turn the file back into schema version 1. */
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "ALTER TABLE questions DROP COLUMN visible;"
					   "ALTER TABLE questions DROP COLUMN hidden;"
					   "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);

	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(store_schema_version(f->st, &v), SRV_OK);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
	assert_int_equal(store_counts(f->st, ws, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), 1);
	json_decref(counts);
	json_decref(w);
}

static void test_workshop_template(void **state)
{
	struct fixture *f = *state;
	json_t *w = make_workshop(f->st, NULL), *got = NULL, *qs;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *id = json_string_value(json_object_get(w, "id"));
	char lower[STORE_CODE_LEN + 1];
	size_t i;

	assert_int_equal(strlen(id), STORE_WORKSHOP_ID_LEN);
	assert_int_equal(strlen(code), STORE_CODE_LEN);
	assert_int_equal(strspn(code, RND_CODE_ALPHABET), STORE_CODE_LEN);
	qs = json_object_get(w, "questions");
	assert_int_equal(json_array_size(qs), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 0), "section")), "Dialog 1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(qs, 3), "section")), "Dialog 2");
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(qs, 0), "text")), "mönster/trender"));
	assert_false(json_is_true(json_object_get(json_array_get(qs, 0), "open")));
	assert_int_equal(json_array_size(json_object_get(w, "organisations")), 5);

	/* Join codes match in any case. */
	for (i = 0; i <= STORE_CODE_LEN; i++)
		lower[i] = (char)(code[i] >= 'A' && code[i] <= 'Z' ? code[i] + 32 : code[i]);
	assert_int_equal(store_workshop_by_code(f->st, lower, &got), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(got, "id")), id);
	assert_null(json_object_get(json_array_get(json_object_get(got, "questions"), 0), "answers"));
	json_decref(got);
	assert_int_equal(store_workshop_by_code(f->st, "ZZZZZZ", &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_get(f->st, "nosuchworkshop00", false, NULL, &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_get(f->st, id, true, "http://h:1", &got), SRV_OK);
	assert_non_null(strstr(json_string_value(json_object_get(got, "join_url")), "http://h:1/j/"));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(got, "questions"), 0),
							    "hidden")), 0);
	json_decref(got);
	json_decref(w);
}

static void test_answers(void **state)
{
	struct fixture *f = *state;
	json_t *w = make_workshop(f->st, NULL), *counts = NULL, *list = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *ws = json_string_value(json_object_get(w, "id"));
	int64_t q1 = question_id(w, 0), q2 = question_id(w, 1);
	struct store_answer_out out;
	json_int_t first_id;

	assert_int_equal(submit(f->st, code, q1, "answer-0001", "Kontinuitet.", NULL, false, &out), SRV_ECLOSED);
	open_question(f->st, q1);
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
	open_question(f->st, q2);
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
	assert_int_equal(json_array_size(json_object_get(list, "answers")), 3);
	assert_non_null(json_object_get(json_array_get(json_object_get(list, "answers"), 0), "question"));
	json_decref(list);
	json_decref(w);
}

static void test_hide(void **state)
{
	struct fixture *f = *state;
	json_t *w = make_workshop(f->st, NULL), *a = NULL, *counts = NULL, *latest = NULL, *texts = NULL, *got = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	const char *ws = json_string_value(json_object_get(w, "id"));
	int64_t q1 = question_id(w, 0);
	char owner[STORE_WORKSHOP_ID_LEN + 1];
	struct store_answer_out out;
	json_int_t id;

	open_question(f->st, q1);
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
	assert_int_equal(store_workshop_get(f->st, ws, true, NULL, &got), SRV_OK);
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

static void test_keys(void **state)
{
	struct fixture *f = *state;
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
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(list, "keys"), 0), "revoked")));
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
	struct fixture *f = *state;
	json_t *w = make_workshop(f->st, json_pack("[s,s]", "Region", "Kommun")), *got = NULL, *list = NULL;
	const char *code = json_string_value(json_object_get(w, "code"));
	char ws[STORE_WORKSHOP_ID_LEN + 1], newest[STORE_WORKSHOP_ID_LEN + 1];
	unsigned char hash[KEYS_HASH_LEN];
	struct store_answer_out out;
	int64_t q1 = question_id(w, 0);

	snprintf(ws, sizeof ws, "%s", json_string_value(json_object_get(w, "id")));
	open_question(f->st, q1);
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
	assert_int_equal(store_workshop_get(f->st, ws, false, NULL, &got), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(got, "organisations")), 2);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(got, "questions"), 0), "open")));
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(got, "questions"), 0),
							    "answers")), 1);
	json_decref(got);
	assert_int_equal(store_answer_list(f->st, ws, &list), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(list, "answers"), 0),
							      "text")), "Läkarkontinuitet är viktigt");
	json_decref(list);
	assert_int_equal(store_key_verify(f->st, "reopen-key", NULL), SRV_OK);
	assert_int_equal(store_workshop_list(f->st, NULL, &list), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(list, "workshops")), 1);
	json_decref(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_2_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workshop_template, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test(test_keys_equal),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

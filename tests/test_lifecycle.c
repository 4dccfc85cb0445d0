/*
 * test_lifecycle.c - the store's lifecycle and data-protection functions:
 * closing and reopening, deleting a workshop or a series with everything
 * under it, purging by last activity, erasing one participant by their
 * code, the answer cap, participant tokens and codes, and backup, verify
 * and restore.
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

#include "base/pcode.h"
#include "base/ptoken.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "test_db.h"

static int setup(void **state)
{
	return test_db_setup(state, "lifecycle");
}

static int teardown(void **state)
{
	return test_db_teardown(state);
}

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_int_t num(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

/* Submit one answer as phone `client` in its own transaction; the answer's result code. */
static int answer(struct store *st, const char *code, int64_t qid, const char *answer_id, const char *client,
		  int64_t cap)
{
	struct store_answer_in in = { .code = code, .question_id = qid, .answer_id = answer_id, .client_id = client,
				      .text = "Kontinuitet med fast läkare", .max_answers = cap };
	struct store_answer_out out = { 0 };
	int err;

	assert_int_equal(store_begin(st), SRV_OK);
	err = store_answer_submit(st, &in, &out);
	assert_int_equal(store_commit(st), SRV_OK);
	json_decref(out.answer);
	return err;
}

/* A ballot of one dot on "t0" by phone `client` with token `token` (NULL: a fresh one of workshop `ws`). */
static int ballot(struct store *st, const char *code, const char *ws, int64_t vote_id, const char *client,
		  const char *token, bool *created)
{
	unsigned char secret[PTOKEN_SECRET_LEN];
	char fresh[PTOKEN_LEN + 1];
	json_t *dots = json_pack("{s:i}", "t0", 1), *vote = NULL;
	struct store_ballot_in in = { .code = code, .vote_id = vote_id, .client_id = client, .dots = dots };
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	int err;

	if (!token) {
		assert_int_equal(store_secret(st, secret), SRV_OK);
		assert_int_equal(ptoken_issue(secret, ws, fresh), SRV_OK);
		token = fresh;
	}
	in.token = token;
	err = store_ballot_submit(st, &in, created, &vote, owner);
	json_decref(vote);
	json_decref(dots);
	return err;
}

/* A vote of three themes t0..t2 in workshop `ws`; its id. */
static int64_t open_vote(struct store *st, const char *ws)
{
	json_t *themes = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "id", "t0", "label", "T0", "id", "t1", "label",
				   "T1", "id", "t2", "label", "T2");
	json_t *v = NULL;
	int64_t id;

	assert_int_equal(store_vote_open(st, ws, 0, 3, themes, &v), SRV_OK);
	id = num(v, "id");
	json_decref(v);
	json_decref(themes);
	return id;
}

static int64_t total_answers(struct store *st, const char *ws)
{
	json_t *counts = NULL;
	int64_t n;

	assert_int_equal(store_counts(st, ws, &counts), SRV_OK);
	n = num(counts, "total");
	json_decref(counts);
	return n;
}

static void test_tokens_and_codes(void **state)
{
	unsigned char secret[PTOKEN_SECRET_LEN] = { 1, 2, 3 }, other[PTOKEN_SECRET_LEN] = { 9 };
	char token[PTOKEN_LEN + 1], voter[PTOKEN_VOTER_LEN + 1], bad[PTOKEN_LEN + 1], code[PCODE_LEN + 1];
	char again[PCODE_LEN + 1];

	assert_int_equal(ptoken_issue(secret, "ws1", token), SRV_OK);
	assert_int_equal(strlen(token), PTOKEN_LEN);
	assert_int_equal(ptoken_check(secret, "ws1", token, voter), SRV_OK);
	assert_memory_equal(voter, token, PTOKEN_VOTER_LEN);
	/* Bound to its workshop and to the server's secret; any changed character fails. */
	assert_int_equal(ptoken_check(secret, "ws2", token, voter), SRV_EAUTH);
	assert_int_equal(ptoken_check(other, "ws1", token, voter), SRV_EAUTH);
	memcpy(bad, token, sizeof bad);
	bad[PTOKEN_LEN - 1] = bad[PTOKEN_LEN - 1] == '0' ? '1' : '0';
	assert_int_equal(ptoken_check(secret, "ws1", bad, voter), SRV_EAUTH);
	memcpy(bad, token, sizeof bad);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_int_equal(ptoken_check(secret, "ws1", bad, voter), SRV_EAUTH);
	assert_int_equal(ptoken_check(secret, "ws1", NULL, voter), SRV_EAUTH);
	assert_int_equal(ptoken_check(secret, "ws1", "", voter), SRV_EAUTH);
	assert_int_equal(ptoken_check(secret, "ws1", "x.y", voter), SRV_EAUTH);

	/* The code the phone shows (web/js/phoneid.js computes the same; tests/http/phoneid checks). */
	assert_int_equal(pcode_of_client("phone-aaaa-01", code), SRV_OK);
	assert_string_equal(code, "4YA9BPET");
	assert_int_equal(pcode_of_client("phone-aaaa-02", again), SRV_OK);
	assert_string_not_equal(code, again);
	assert_true(pcode_normalise("4ya9-bpet", again));
	assert_string_equal(again, code);
	assert_false(pcode_normalise("4ya9-bpe", again));
	assert_false(pcode_normalise("4ya9-bpetx", again));
	assert_false(pcode_normalise("4ya9-bpeu", again));
}

static void test_close_reopen(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *got = NULL;
	const char *code = str(w, "code"), *ws = str(w, "id");
	int64_t q = test_db_question_id(w, 0), vote;
	bool created;

	test_db_open_question(f->st, q);
	assert_true(json_is_null(json_object_get(w, "closed")));
	assert_int_equal(answer(f->st, code, q, "answer-0001", "phone-0001", 0), SRV_OK);
	vote = open_vote(f->st, ws);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0001", NULL, &created), SRV_OK);

	assert_int_equal(store_workshop_set_closed(f->st, ws, true, &got), SRV_OK);
	assert_true(json_is_string(json_object_get(got, "closed")));
	json_decref(got);
	/* The code joins no one and takes no new answers or ballots; stored retries still succeed. */
	assert_int_equal(store_workshop_by_code(f->st, code, &got), SRV_EGONE);
	assert_int_equal(answer(f->st, code, q, "answer-0002", "phone-0002", 0), SRV_EGONE);
	assert_int_equal(answer(f->st, code, q, "answer-0001", "phone-0001", 0), SRV_OK);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0002", NULL, &created), SRV_EGONE);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0001", NULL, &created), SRV_OK);
	assert_false(created);
	/* Facilitators read everything. */
	assert_int_equal(store_workshop_get(f->st, ws, true, &got), SRV_OK);
	json_decref(got);
	assert_int_equal(total_answers(f->st, ws), 1);

	assert_int_equal(store_workshop_set_closed(f->st, ws, false, &got), SRV_OK);
	assert_true(json_is_null(json_object_get(got, "closed")));
	json_decref(got);
	assert_int_equal(store_workshop_by_code(f->st, code, &got), SRV_OK);
	json_decref(got);
	assert_int_equal(answer(f->st, code, q, "answer-0002", "phone-0002", 0), SRV_OK);
	assert_int_equal(store_workshop_set_closed(f->st, "nosuchworkshop00", true, &got), SRV_ENOTFOUND);
	json_decref(w);
}

static void test_cap(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *a = NULL;
	const char *code = str(w, "code"), *ws = str(w, "id");
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t q = test_db_question_id(w, 0);

	test_db_open_question(f->st, q);
	assert_int_equal(answer(f->st, code, q, "answer-0001", "phone-0001", 2), SRV_OK);
	assert_int_equal(answer(f->st, code, q, "answer-0002", "phone-0001", 2), SRV_OK);
	assert_int_equal(answer(f->st, code, q, "answer-0003", "phone-0001", 2), SRV_ELIMIT);
	/* A retry of a stored answer is not a new one; hidden answers still count. */
	assert_int_equal(answer(f->st, code, q, "answer-0002", "phone-0001", 2), SRV_OK);
	assert_int_equal(store_answer_set_hidden(f->st, 1, true, &a, owner), SRV_OK);
	json_decref(a);
	assert_int_equal(answer(f->st, code, q, "answer-0003", "phone-0001", 2), SRV_ELIMIT);
	assert_int_equal(answer(f->st, code, q, "answer-0003", "phone-0001", 3), SRV_OK);
	assert_int_equal(total_answers(f->st, ws), 2);
	json_decref(w);
}

static void test_ballot_tokens(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *other = test_db_workshop(f->st, "Arvika", NULL);
	const char *code = str(w, "code"), *ws = str(w, "id");
	unsigned char secret[PTOKEN_SECRET_LEN];
	char token[PTOKEN_LEN + 1], foreign[PTOKEN_LEN + 1];
	int64_t vote = open_vote(f->st, ws);
	bool created;

	assert_int_equal(store_secret(f->st, secret), SRV_OK);
	assert_int_equal(ptoken_issue(secret, ws, token), SRV_OK);
	assert_int_equal(ptoken_issue(secret, str(other, "id"), foreign), SRV_OK);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0001", "", &created), SRV_EAUTH);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0001", foreign, &created), SRV_EAUTH);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0001", token, &created), SRV_OK);
	assert_true(created);
	/* One token is one voter, whatever client_id comes with it: the same dots are a retry, others a conflict. */
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0002", token, &created), SRV_OK);
	assert_false(created);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0003", token, &created), SRV_OK);
	assert_false(created);
	/* And the secret stays the same when the database is opened again. */
	store_close(f->st);
	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0009", token, &created), SRV_OK);
	assert_false(created);
	json_decref(w);
	json_decref(other);
}

/* How many rows `sql` counts, on a raw connection of the test database. */
static long long rows(struct test_db *f, const char *sql)
{
	sqlite3 *raw = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return n;
}

static void test_delete(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *keep = test_db_workshop(f->st, "Arvika", NULL);
	json_t *series = NULL, *gone = NULL, *dec = NULL, *rec = NULL, *got = NULL;
	const char *code = str(w, "code"), *ws = str(w, "id"), *kcode = str(keep, "code");
	int64_t q = test_db_question_id(w, 0), kq = test_db_question_id(keep, 0), vote;
	bool created;

	test_db_open_question(f->st, q);
	test_db_open_question(f->st, kq);
	assert_int_equal(answer(f->st, code, q, "answer-0001", "phone-0001", 0), SRV_OK);
	assert_int_equal(answer(f->st, code, q, "answer-0002", "phone-0002", 0), SRV_OK);
	assert_int_equal(answer(f->st, kcode, kq, "answer-0001", "phone-0001", 0), SRV_OK);
	vote = open_vote(f->st, ws);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-0001", NULL, &created), SRV_OK);
	dec = json_pack("{s:s,s:s,s:s}", "kind", "rename", "theme", "kontinuitet", "label", "Fast läkare");
	assert_int_equal(store_decision_add(f->st, ws, NULL, 0, dec, &rec), SRV_OK);
	json_decref(rec);
	/* An undone decision: the undo refers to its target, and both go. */
	assert_int_equal(store_decision_undo(f->st, ws, NULL, 0, 1, &rec), SRV_OK);
	json_decref(rec);
	assert_int_equal(store_series_create(f->st, 0, "Värmland", &series), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, ws, str(series, "id")), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->st, str(keep, "id"), str(series, "id")), SRV_OK);
	assert_int_equal(store_decision_add(f->st, NULL, str(series, "id"), 0, dec, &rec), SRV_OK);
	json_decref(rec);

	assert_int_equal(store_workshop_delete(f->st, ws, &gone), SRV_OK);
	assert_string_equal(str(gone, "title"), "Karlstad");
	assert_string_equal(str(gone, "series"), str(series, "id"));
	assert_int_equal(num(gone, "answers"), 2);
	assert_int_equal(num(gone, "votes"), 1);
	assert_int_equal(num(gone, "ballots"), 1);
	assert_int_equal(num(gone, "decisions"), 2);
	json_decref(gone);
	assert_int_equal(store_workshop_get(f->st, ws, false, &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_by_code(f->st, code, &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_delete(f->st, ws, &gone), SRV_ENOTFOUND);
	/* Nothing of it is left in any table; the other workshop is untouched. */
	assert_int_equal(rows(f, "SELECT count(*) FROM answers"), 1);
	assert_int_equal(rows(f, "SELECT count(*) FROM questions WHERE workshop NOT IN (SELECT pk FROM workshops)"), 0);
	assert_int_equal(rows(f, "SELECT count(*) FROM votes"), 0);
	assert_int_equal(rows(f, "SELECT count(*) FROM vote_themes"), 0);
	assert_int_equal(rows(f, "SELECT count(*) FROM ballots"), 0);
	assert_int_equal(rows(f, "SELECT count(*) FROM ballot_dots"), 0);
	assert_int_equal(rows(f, "SELECT count(*) FROM decisions WHERE workshop IS NOT NULL"), 0);
	assert_int_equal(rows(f, "SELECT count(*) FROM answers WHERE text LIKE '%Kontinuitet%'"), 1);
	assert_int_equal(total_answers(f->st, str(keep, "id")), 1);
	/* The writer's cached workshop is checked: an answer to the deleted code is refused. */
	assert_int_equal(answer(f->st, code, q, "answer-0003", "phone-0001", 0), SRV_ENOTFOUND);

	/* A series delete keeps its workshops, out of any series. */
	assert_int_equal(store_series_delete(f->st, str(series, "id"), &gone), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(gone, "workshops")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(gone, "workshops"), 0)), str(keep, "id"));
	assert_int_equal(num(gone, "decisions"), 1);
	json_decref(gone);
	assert_int_equal(store_series_get(f->st, str(series, "id"), &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_get(f->st, str(keep, "id"), false, &got), SRV_OK);
	assert_true(json_is_null(json_object_get(got, "series")));
	json_decref(got);
	assert_int_equal(store_series_delete(f->st, str(series, "id"), &gone), SRV_ENOTFOUND);
	assert_int_equal(rows(f, "PRAGMA foreign_key_check"), -1);
	json_decref(dec);
	json_decref(series);
	json_decref(w);
	json_decref(keep);
}

static void test_purge(void **state)
{
	struct test_db *f = *state;
	json_t *old = test_db_workshop(f->st, "Gammal", NULL), *busy = test_db_workshop(f->st, "Aktiv", NULL);
	json_t *fresh = test_db_workshop(f->st, "Ny", NULL), *series = NULL, *res = NULL, *got = NULL;
	int64_t q = test_db_question_id(busy, 0);
	sqlite3 *raw = NULL;

	assert_int_equal(store_series_create(f->st, 0, "Gammal serie", &series), SRV_OK);
	test_db_open_question(f->st, q);
	assert_int_equal(answer(f->st, str(busy, "code"), q, "answer-0001", "phone-0001", 0), SRV_OK);
	/* Back-date: "Gammal" and "Aktiv" were made in 2020, but "Aktiv" got an answer since. */
	assert_int_equal(sqlite3_open(f->path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "UPDATE workshops SET created = '2020-01-01T00:00:00Z' WHERE title <> 'Ny';"
				      "UPDATE series SET created = '2020-01-01T00:00:00Z';", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(raw);

	assert_int_equal(store_purge(f->st, "2021-01-01T00:00:00Z", true, &res), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(res, "workshops")), 1);
	assert_string_equal(str(json_array_get(json_object_get(res, "workshops"), 0), "title"), "Gammal");
	assert_string_equal(str(json_array_get(json_object_get(res, "workshops"), 0), "last_activity"),
			    "2020-01-01T00:00:00Z");
	assert_int_equal(json_array_size(json_object_get(res, "series")), 1);
	json_decref(res);
	/* A dry run deletes nothing. */
	assert_int_equal(store_workshop_get(f->st, str(old, "id"), false, &got), SRV_OK);
	json_decref(got);

	assert_int_equal(store_purge(f->st, "2021-01-01T00:00:00Z", false, &res), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(res, "workshops")), 1);
	assert_int_equal(json_array_size(json_object_get(res, "series")), 1);
	json_decref(res);
	assert_int_equal(store_workshop_get(f->st, str(old, "id"), false, &got), SRV_ENOTFOUND);
	assert_int_equal(store_series_get(f->st, str(series, "id"), &got), SRV_ENOTFOUND);
	assert_int_equal(store_workshop_get(f->st, str(busy, "id"), false, &got), SRV_OK);
	json_decref(got);
	assert_int_equal(store_workshop_get(f->st, str(fresh, "id"), false, &got), SRV_OK);
	json_decref(got);
	/* Nothing else is that old now. */
	assert_int_equal(store_purge(f->st, "2021-01-01T00:00:00Z", false, &res), SRV_OK);
	assert_int_equal(json_array_size(json_object_get(res, "workshops")), 0);
	json_decref(res);
	json_decref(series);
	json_decref(old);
	json_decref(busy);
	json_decref(fresh);
}

static void test_erase(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *other = test_db_workshop(f->st, "Arvika", NULL);
	json_t *res = NULL, *a = NULL, *v = NULL;
	const char *code = str(w, "code"), *ws = str(w, "id");
	char pc[PCODE_LEN + 1], owner[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t q1 = test_db_question_id(w, 0), q2 = test_db_question_id(w, 1), oq = test_db_question_id(other, 0);
	int64_t vote;
	bool created;

	test_db_open_question(f->st, q1);
	test_db_open_question(f->st, q2);
	test_db_open_question(f->st, oq);
	assert_int_equal(answer(f->st, code, q1, "answer-0001", "phone-aaaa-01", 0), SRV_OK);
	assert_int_equal(answer(f->st, code, q2, "answer-0002", "phone-aaaa-01", 0), SRV_OK);
	assert_int_equal(answer(f->st, code, q1, "answer-0003", "phone-bbbb-01", 0), SRV_OK);
	/* The same phone id in another workshop is not touched (real phones send another id there). */
	assert_int_equal(answer(f->st, str(other, "code"), oq, "answer-0001", "phone-aaaa-01", 0), SRV_OK);
	assert_int_equal(store_answer_set_hidden(f->st, 2, true, &a, owner), SRV_OK);
	json_decref(a);
	vote = open_vote(f->st, ws);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-aaaa-01", NULL, &created), SRV_OK);
	assert_int_equal(ballot(f->st, code, ws, vote, "phone-bbbb-01", NULL, &created), SRV_OK);

	assert_int_equal(pcode_of_client("phone-aaaa-01", pc), SRV_OK);
	assert_int_equal(store_participant_erase(f->st, ws, pc, &res), SRV_OK);
	assert_int_equal(num(res, "answers"), 2);
	assert_int_equal(num(res, "ballots"), 1);
	assert_int_equal(json_array_size(json_object_get(res, "erased")), 2);
	assert_int_equal(num(json_array_get(json_object_get(res, "erased"), 0), "question_id"), q1);
	json_decref(res);
	/* Counts stay right (one visible answer left), the vote has one ballot, the other workshop keeps its answer. */
	assert_int_equal(total_answers(f->st, ws), 1);
	assert_int_equal(rows(f, "SELECT sum(hidden) FROM questions"), 0);
	assert_int_equal(store_vote_get(f->st, vote, &v, NULL), SRV_OK);
	assert_int_equal(num(v, "ballots"), 1);
	json_decref(v);
	assert_int_equal(total_answers(f->st, str(other, "id")), 1);
	/* Again: nothing left with that code. */
	assert_int_equal(store_participant_erase(f->st, ws, pc, &res), SRV_OK);
	assert_int_equal(num(res, "answers"), 0);
	assert_int_equal(num(res, "ballots"), 0);
	json_decref(res);
	assert_int_equal(store_participant_erase(f->st, "nosuchworkshop00", pc, &res), SRV_ENOTFOUND);
	json_decref(w);
	json_decref(other);
}

static void test_backup_restore(void **state)
{
	struct test_db *f = *state;
	json_t *w = test_db_workshop(f->st, "Karlstad", NULL), *got = NULL;
	const char *code = str(w, "code"), *ws = str(w, "id");
	char copy[sizeof f->path + 16], msg[256];
	unsigned char secret[PTOKEN_SECRET_LEN], restored[PTOKEN_SECRET_LEN];
	int64_t q = test_db_question_id(w, 0);
	struct test_db target;
	int version = 0;
	FILE *junk;

	test_db_open_question(f->st, q);
	assert_int_equal(answer(f->st, code, q, "answer-0001", "phone-0001", 0), SRV_OK);
	snprintf(copy, sizeof copy, "%s.backup", f->path);
	assert_int_equal(store_backup(f->st, copy), SRV_OK);
	/* Never over an existing file. */
	assert_int_equal(store_backup(f->st, copy), SRV_EDB);
	assert_int_equal(store_verify_file(copy, &version, msg, sizeof msg), SRV_OK);
	assert_string_equal(msg, "ok");
	assert_int_equal(version, STORE_SCHEMA_VERSION);
	/* A self-contained file: no -wal beside it. */
	snprintf(msg, sizeof msg, "%s-wal", copy);
	assert_int_not_equal(access(msg, F_OK), 0);

	/* Restore into a fresh database: same workshop, same answers, same secret. */
	assert_int_equal(test_db_open(&target, "restore"), 0);
	assert_int_equal(store_restore(target.st, copy), SRV_OK);
	store_close(target.st);
	assert_int_equal(store_open(&target.st, target.path), SRV_OK);
	assert_int_equal(store_workshop_get(target.st, ws, false, &got), SRV_OK);
	json_decref(got);
	assert_int_equal(total_answers(target.st, ws), 1);
	assert_int_equal(store_secret(f->st, secret), SRV_OK);
	assert_int_equal(store_secret(target.st, restored), SRV_OK);
	assert_memory_equal(secret, restored, sizeof secret);
	test_db_remove(&target);

	/* What is not a database of ours is refused with a reason. */
	assert_int_equal(store_verify_file("/nonexistent/inspel.db", &version, msg, sizeof msg), SRV_EDB);
	snprintf(copy, sizeof copy, "%s.junk", f->path);
	junk = fopen(copy, "w");
	assert_non_null(junk);
	fputs("not a database, just some text that is long enough to be looked at", junk);
	fclose(junk);
	assert_int_equal(store_verify_file(copy, &version, msg, sizeof msg), SRV_EDB);
	assert_true(msg[0] != '\0');
	unlink(copy);
	snprintf(copy, sizeof copy, "%s.backup", f->path);
	unlink(copy);
	json_decref(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokens_and_codes),
		cmocka_unit_test_setup_teardown(test_close_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ballot_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_restore, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_writer.c - group commit: every job gets exactly one `done` after
 * its batch committed (checked inside `done` on a connection of its own,
 * so an acknowledgement before COMMIT fails whatever the timing),
 * duplicates inside one batch store one row, new answers reach presenters,
 * retries refund their rate-limit token, and a batch whose COMMIT fails
 * fails every job, refunds its tokens and leaves no row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live/events.h"
#include "live/live.h"
#include "live/ratelimit.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "wire/template.h"
#include "live/hub.h"
#include "live/writer.h"

#define JOBS 200

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int finished;
static const char *done_db;     /* the database `done` looks into: the fixture's */

/*
 * Rows with answer_id `answer_id` that a new connection to `path` sees, or
 * -1 on an error.  A reader of its own sees only committed transactions.
 */
static int rows_seen(const char *path, const char *answer_id)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM answers WHERE answer_id = ?", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, answer_id, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/*
 * A job's `done`: when job->arg is an int, it receives the rows another
 * connection sees at this very moment (the writer thread; cmocka's
 * assertions belong to the main thread, which checks the number).
 */
static void on_done(struct writer_job *job)
{
	if (job->arg)
		*(int *)job->arg = rows_seen(done_db, job->in.answer_id);
	pthread_mutex_lock(&lock);
	finished++;
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
}

static void wait_for(int n)
{
	pthread_mutex_lock(&lock);
	while (finished < n)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void nop(void *arg)
{
	(void)arg;
}

/* A database with one workshop whose first question is open, and a running writer. */
struct fixture {
	struct hub hub;
	char dir[32], path[64], code[LIMIT_CODE_LEN + 1], wsid[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t qid;
	struct store *st;
	struct events *ev;
	struct live *lv;
	struct writer *w;
	struct ratelimit rl;
};

static void fixture_open(struct fixture *f, size_t max_queue)
{
	char owner[LIMIT_WORKSHOP_ID_LEN + 1];
	json_t *qs = NULL, *orgs, *ws = NULL, *q = NULL;

	memset(f, 0, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/inspel-writer-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/w.db", f->dir);
	assert_int_equal(store_open(&f->st, f->path), SRV_OK);
	assert_int_equal(template_questions(TEMPLATE_DEFAULT, &qs), SRV_OK);
	orgs = template_organisations();
	assert_int_equal(store_workshop_create(f->st, 0, "Writer", orgs, qs, &ws), SRV_OK);
	snprintf(f->code, sizeof f->code, "%s", json_string_value(json_object_get(ws, "code")));
	snprintf(f->wsid, sizeof f->wsid, "%s", json_string_value(json_object_get(ws, "id")));
	f->qid = json_integer_value(json_object_get(json_array_get(json_object_get(ws, "questions"), 0), "id"));
	assert_int_equal(store_question_set_open(f->st, f->qid, true, &q, owner), SRV_OK);
	json_decref(q);
	json_decref(ws);
	json_decref(qs);
	json_decref(orgs);

	assert_int_equal(events_open(&f->ev), SRV_OK);
	assert_int_equal(live_open(&f->lv, f->path, f->ev), SRV_OK);
	assert_int_equal(ratelimit_init(&f->rl, 1, 1, 100), SRV_OK);
	hub_init(&f->hub, f->ev, f->lv, NULL);
	assert_int_equal(writer_open(&f->w, f->path, max_queue, &f->hub, &f->rl), SRV_OK);
	done_db = f->path;
}

/* Stop everything, free it and remove the database; every event stream must be closed. */
static void fixture_close(struct fixture *f)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char file[96];
	size_t i;

	writer_close(f->w);
	live_close(f->lv);
	events_close(f->ev);
	ratelimit_free(&f->rl);
	store_close(f->st);
	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(file, sizeof file, "%s%s", f->path, suffix[i]);
		unlink(file);
	}
	assert_int_equal(rmdir(f->dir), 0);
}

static void test_group_commit(void **state)
{
	char ids[JOBS][32], buf[4096];
	int seen[JOBS];
	struct writer_job *jobs = calloc(JOBS, sizeof *jobs);
	struct events_sub *wall = NULL;
	struct fixture f;
	json_t *counts = NULL;
	ssize_t n;
	int i, created = 0, retries = 0, events = 0;

	assert_non_null(jobs);
	fixture_open(&f, JOBS);
	assert_int_equal(events_subscribe(f.ev, f.wsid, true, nop, nop, NULL, &wall), SRV_OK);

	/* Half the jobs repeat the answer_id of the one before: a retry racing its original. */
	assert_true(ratelimit_take(&f.rl, "phone", ratelimit_now(), NULL));
	for (i = 0; i < JOBS; i++) {
		snprintf(ids[i], sizeof ids[i], "answer-%04d", i - i % 2);
		jobs[i].in.code = f.code;
		jobs[i].in.question_id = f.qid;
		jobs[i].in.answer_id = ids[i];
		jobs[i].in.text = "Kontinuitet";
		jobs[i].done = on_done;
		seen[i] = -2;
		jobs[i].arg = &seen[i];
		if (i == 1)
			jobs[i].rate_key = "phone";
		assert_int_equal(writer_submit(f.w, &jobs[i]), SRV_OK);
	}
	wait_for(JOBS);
	for (i = 0; i < JOBS; i++) {
		assert_int_equal(jobs[i].err, SRV_OK);
		/* Acknowledged only once committed: any reader saw the row when `done` ran. */
		assert_int_equal(seen[i], 1);
		created += jobs[i].out.created;
		retries += !jobs[i].out.created;
		if (i % 2)
			assert_true(json_equal(json_object_get(jobs[i].out.answer, "id"),
					       json_object_get(jobs[i - 1].out.answer, "id")));
	}
	for (i = 0; i < JOBS; i++)
		json_decref(jobs[i].out.answer);
	assert_int_equal(created, JOBS / 2);
	assert_int_equal(retries, JOBS / 2);
	/* Job 1 was a retry, so its token came back. */
	assert_true(ratelimit_take(&f.rl, "phone", ratelimit_now(), NULL));

	/* The presenter got one answer event per new answer. */
	while ((n = events_sub_read(wall, buf, sizeof buf - 1)) > 0) {
		char *p = buf;
		buf[n] = '\0';
		while ((p = strstr(p, "event: answer\n")) != NULL) {
			events++;
			p++;
		}
	}
	assert_int_equal(events, JOBS / 2);

	writer_stop(f.w);
	/* A stopped writer refuses work and never calls done. */
	assert_int_equal(writer_submit(f.w, &jobs[0]), SRV_ESTOPPED);
	assert_int_equal(finished, JOBS);
	assert_int_equal(store_counts(f.st, f.wsid, &counts), SRV_OK);
	assert_int_equal(json_integer_value(json_object_get(counts, "total")), JOBS / 2);
	json_decref(counts);

	events_unsubscribe(wall);
	fixture_close(&f);
	free(jobs);
}

/*
 * A batch the database refuses is rolled back, every job gets SRV_EDB (503)
 * and its token back: the phone sends the answer again, and a retry never
 * costs a token.
 */
static void test_failed_batch_refunds(void **state)
{
	struct writer_job job;
	struct fixture f;
	sqlite3 *db;
	int before;

	fixture_open(&f, 8);
	/* Without its answers table every store_answer_submit is a database error. */
	assert_int_equal(sqlite3_open(f.path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE answers", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	assert_true(ratelimit_take(&f.rl, "phone", ratelimit_now(), NULL));
	memset(&job, 0, sizeof job);
	job.in.code = f.code;
	job.in.question_id = f.qid;
	job.in.answer_id = "answer-0001";
	job.in.text = "Kontinuitet";
	job.rate_key = "phone";
	job.done = on_done;
	before = finished;
	assert_int_equal(writer_submit(f.w, &job), SRV_OK);
	wait_for(before + 1);
	assert_int_equal(job.err, SRV_EDB);
	assert_null(job.out.answer);
	assert_true(ratelimit_take(&f.rl, "phone", ratelimit_now(), NULL));
	fixture_close(&f);
}

/* Run `sql` on a connection of the test's own (a second client of the database). */
static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/*
 * COMMIT itself fails, after BEGIN and every INSERT succeeded: every job of
 * the batch gets SRV_EDB (503), its token back, and no row is stored; the
 * writer then stores the phones' retries.
 *
 * How: a second client adds a trigger that, for each new answer, writes a
 * row whose DEFERRABLE INITIALLY DEFERRED foreign key points at no
 * workshop.  SQLite checks deferred keys at COMMIT only, so the INSERTs
 * pass and COMMIT returns SQLITE_CONSTRAINT_FOREIGNKEY with the transaction
 * still open: the same path as a disk that fills up or fails at the
 * COMMIT's write and fsync, which a test cannot cause on demand.  (In WAL
 * mode a reader never blocks COMMIT, and a writer blocks BEGIN IMMEDIATE,
 * not COMMIT, so locks cannot do it.)
 */
static void test_failed_commit(void **state)
{
	static const char *const phones[] = { "phone-a", "phone-b", "phone-c" };
	enum { N = sizeof phones / sizeof phones[0] };
	struct writer_job jobs[N];
	char ids[N][32];
	int seen[N], before;
	struct fixture f;
	size_t i;

	fixture_open(&f, 8);
	exec_sql(f.path,
		 "CREATE TABLE commit_guard (workshop INTEGER REFERENCES workshops(pk) DEFERRABLE INITIALLY DEFERRED);"
		 "CREATE TRIGGER commit_guard AFTER INSERT ON answers BEGIN INSERT INTO commit_guard VALUES (-1); END;");

	memset(jobs, 0, sizeof jobs);
	before = finished;
	for (i = 0; i < N; i++) {
		assert_true(ratelimit_take(&f.rl, phones[i], ratelimit_now(), NULL));
		snprintf(ids[i], sizeof ids[i], "answer-commit-%zu", i);
		jobs[i].in.code = f.code;
		jobs[i].in.question_id = f.qid;
		jobs[i].in.answer_id = ids[i];
		jobs[i].in.text = "Kontinuitet";
		jobs[i].rate_key = phones[i];
		jobs[i].done = on_done;
		seen[i] = -2;
		jobs[i].arg = &seen[i];
		assert_int_equal(writer_submit(f.w, &jobs[i]), SRV_OK);
	}
	wait_for(before + N);
	for (i = 0; i < N; i++) {
		assert_int_equal(jobs[i].err, SRV_EDB);
		assert_int_equal(jobs[i].out.created, 0);
		assert_null(jobs[i].out.answer);
		assert_int_equal(seen[i], 0);
		assert_int_equal(rows_seen(f.path, ids[i]), 0);
		/* The burst is one token: only a refund gives the phone another. */
		assert_true(ratelimit_take(&f.rl, phones[i], ratelimit_now(), NULL));
	}

	/* The database accepts again: the same answers (the phones' retries) are stored once each. */
	exec_sql(f.path, "DROP TRIGGER commit_guard; DROP TABLE commit_guard;");
	before = finished;
	for (i = 0; i < N; i++) {
		jobs[i].rate_key = NULL;
		seen[i] = -2;
		assert_int_equal(writer_submit(f.w, &jobs[i]), SRV_OK);
	}
	wait_for(before + N);
	for (i = 0; i < N; i++) {
		assert_int_equal(jobs[i].err, SRV_OK);
		assert_int_equal(jobs[i].out.created, 1);
		assert_int_equal(seen[i], 1);
		json_decref(jobs[i].out.answer);
	}
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_commit),
		cmocka_unit_test(test_failed_batch_refunds),
		cmocka_unit_test(test_failed_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

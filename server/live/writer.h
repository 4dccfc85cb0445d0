/*
 * writer.h - the one thread that writes answers, in group-committed batches.
 *
 * Request handlers validate an answer, suspend their connection and submit
 * a job; the writer takes everything queued (up to WRITER_BATCH_MAX), runs
 * it in one transaction, and after COMMIT (the fsync) calls each job's
 * `done`, which resumes the connection.  So no answer is acknowledged before
 * it is on disk, and under load one fsync covers hundreds of answers.
 */
#ifndef INSPEL_WRITER_H
#define INSPEL_WRITER_H

#include <stddef.h>

#include "store/store.h"
#include "base/srv_err.h"

#define WRITER_BATCH_MAX 2048

struct writer;
struct hub;
struct ratelimit;

struct writer_job {
	struct store_answer_in in;      /* strings owned by the submitter */
	const char *rate_key;           /* token taken under this key, refunded for a retry or a failed store; or NULL */
	void (*done)(struct writer_job *job);  /* called on the writer thread after COMMIT */
	void *arg;                      /* for `done` */
	int err;                        /* result: SRV_OK or a store_answer_submit error */
	struct store_answer_out out;    /* on SRV_OK; out.answer belongs to the submitter */
	struct writer_job *next;        /* queue link, the writer's */
};

/*
 * Open a connection to `db_path` and start the thread.  At most `max_queue`
 * jobs wait at once.  New answers go to the hub `hub` (events, stale live
 * data and syntheses); `rl` receives refunds.  *out is stopped and freed by writer_close.
 * SRV_OK, SRV_EDB, SRV_ENOMEM, SRV_ESYS.
 */
enum srv_err writer_open(struct writer **out, const char *db_path, size_t max_queue,
		const struct hub *hub, struct ratelimit *rl);

/*
 * Queue a job; `done` will be called exactly once, on the writer thread.
 * SRV_EFULL when the queue is full, SRV_ESTOPPED after writer_close began;
 * `done` is not called then.
 */
enum srv_err writer_submit(struct writer *w, struct writer_job *job);

/* Refuse new jobs, finish every queued one and join the thread.  Idempotent. */
void writer_stop(struct writer *w);

/* writer_stop, then free.  NULL is a no-op. */
void writer_close(struct writer *w);

/* Batches committed and answers stored so far (for the shutdown log and benchmarks). */
void writer_stats(struct writer *w, unsigned long long *batches, unsigned long long *answers);

#endif

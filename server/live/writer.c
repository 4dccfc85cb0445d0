/*
 * writer.c - group commit of answers.
 *
 * The queue is a singly linked FIFO of caller-owned jobs, so submitting
 * allocates nothing.  A failed COMMIT fails every job of the batch (the
 * transaction is all or nothing); a database error on one answer rolls back
 * the batch too rather than acknowledging answers of a half-applied
 * transaction.
 */
#include "live/writer.h"
#include "live/hub.h"
#include "live/ratelimit.h"
#include "base/srv_err.h"

#include <jansson.h>
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct writer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	struct writer_job *head, *tail;
	size_t queued, max_queue;
	bool stopping;
	bool joined;
	struct store *store;
	const struct hub *hub;
	struct ratelimit *rl;
	unsigned long long batches, answers;
};

enum srv_err writer_submit(struct writer *w, struct writer_job *job)
{
	int err = SRV_OK;

	job->next = NULL;
	job->err = SRV_OK;
	memset(&job->out, 0, sizeof job->out);
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		err = SRV_ESTOPPED;
	} else if (w->queued >= w->max_queue) {
		err = SRV_EFULL;
	} else {
		if (w->tail)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		w->queued++;
		assert(w->queued <= w->max_queue);
		pthread_cond_signal(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
	return err;
}

/* Run one batch in a transaction; every job gets its err/out set. */
static void writer_run_batch(struct writer *w, struct writer_job *batch)
{
	struct writer_job *j;
	int err;

	err = store_begin(w->store);
	for (j = batch; j && !err; j = j->next) {
		j->err = store_answer_submit(w->store, &j->in, &j->out);
		if (j->err == SRV_EDB || j->err == SRV_ENOMEM)
			err = j->err;
	}
	if (!err)
		err = store_commit(w->store);
	if (!err)
		return;
	store_rollback(w->store);
	for (j = batch; j; j = j->next) {
		json_decref(j->out.answer);
		memset(&j->out, 0, sizeof j->out);
		j->err = err;
	}
}

/* After COMMIT (or ROLLBACK): tell presenters, refund retries, resume the requests. */
static void writer_finish_batch(struct writer *w, struct writer_job *batch)
{
	char marked_ws[LIMIT_WORKSHOP_ID_LEN + 1] = "";
	int64_t marked_q = 0;
	struct writer_job *j, *next;
	double now = ratelimit_now();
	unsigned long long stored = 0;

	for (j = batch; j; j = next) {
		/* `done` may free the job (the request can complete at once). */
		next = j->next;
		if (!j->err && j->out.created) {
			int64_t q = j->in.question_id;
			hub_answer_shown(w->hub, j->out.workshop_id, j->out.answer);
			/* Consecutive answers mostly hit one question: mark it once. */
			if (marked_q != q || strcmp(marked_ws, j->out.workshop_id) != 0) {
				hub_answers_changed(w->hub, j->out.workshop_id, q);
				memcpy(marked_ws, j->out.workshop_id, sizeof marked_ws);
				marked_q = q;
			}
			stored++;
		} else if (j->rate_key && (!j->err || j->err == SRV_EDB || j->err == SRV_ENOMEM)) {
			/*
			 * A stored retry, or an answer we failed to store: the phone
			 * will send it again, and a retry never costs a token.
			 */
			ratelimit_refund(w->rl, j->rate_key, now);
		}
		j->done(j);
	}
	pthread_mutex_lock(&w->lock);
	w->batches++;
	w->answers += stored;
	pthread_mutex_unlock(&w->lock);
}

static void *writer_thread(void *arg)
{
	struct writer *w = arg;
	struct writer_job *batch, *last;
	size_t n;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->head) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		batch = last = w->head;
		for (n = 1; n < WRITER_BATCH_MAX && last->next; n++)
			last = last->next;
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		assert(n <= w->queued);
		w->queued -= n;
		assert((w->queued == 0) == (w->head == NULL));
		pthread_mutex_unlock(&w->lock);

		writer_run_batch(w, batch);
		writer_finish_batch(w, batch);
	}
	return NULL;
}

enum srv_err writer_open(struct writer **out, const char *db_path, size_t max_queue,
		const struct hub *hub, struct ratelimit *rl)
{
	struct writer *w;
	int err;

	*out = NULL;
	w = calloc(1, sizeof *w);
	if (!w)
		return SRV_ENOMEM;
	err = store_open(&w->store, db_path);
	if (err) {
		free(w);
		return err;
	}
	w->max_queue = max_queue;
	w->hub = hub;
	w->rl = rl;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->thread, NULL, writer_thread, w)) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		store_close(w->store);
		free(w);
		return SRV_ESYS;
	}
	*out = w;
	return SRV_OK;
}

void writer_stop(struct writer *w)
{
	if (w->joined)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	w->joined = true;
}

void writer_close(struct writer *w)
{
	if (!w)
		return;
	writer_stop(w);
	store_close(w->store);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void writer_stats(struct writer *w, unsigned long long *batches, unsigned long long *answers)
{
	pthread_mutex_lock(&w->lock);
	*batches = w->batches;
	*answers = w->answers;
	pthread_mutex_unlock(&w->lock);
}

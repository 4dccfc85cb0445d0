/*
 * live.c - coalesced counts, cached word clouds, presenters' themes and pings.
 *
 * Marks are a small list of (workshop, question) entries with dirty flags,
 * one entry per question plus one per workshop (question 0) that also
 * carries the counts and themes flags.  The thread copies the dirty set
 * under the lock and does the database and analysis work without it, so
 * marking from the writer thread never waits for a word count.  Themes go
 * through the shared synthesis cache, read on this thread's connection,
 * and only for workshops a presenter is watching.
 */
#include "live/live.h"
#include "pipeline/analysis.h"
#include "live/events.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "synth/synth.h"
#include "text/words.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct live_entry {
	struct live_entry *next;
	char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t question_id;          /* 0: the workshop as a whole */
	bool words_dirty;
	bool counts_dirty;            /* only on question 0 entries */
	bool themes_dirty;            /* only on question 0 entries */
	bool themes_now;              /* a decision: skip the LIVE_THEMES_MS wait */
	long long themes_ms;          /* when the summary was last published */
	uint64_t themes_rev;          /* and its rev (0: none yet) */
	char *words;                  /* cached JSON array text, or NULL */
};

struct live {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool stopping;
	struct store *store;
	struct events *ev;
	struct synth *synth;          /* NULL: no themes */
	struct live_entry *entries;
};

/* Find or add an entry; lock held.  NULL when out of memory. */
static struct live_entry *live_entry(struct live *lv, const char *workshop_id, int64_t question_id)
{
	struct live_entry *e;

	for (e = lv->entries; e; e = e->next)
		if (e->question_id == question_id && strcmp(e->workshop_id, workshop_id) == 0)
			return e;
	e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	snprintf(e->workshop_id, sizeof e->workshop_id, "%s", workshop_id);
	e->question_id = question_id;
	e->next = lv->entries;
	lv->entries = e;
	return e;
}

void live_mark(struct live *lv, const char *workshop_id, int64_t question_id)
{
	struct live_entry *q, *w;

	pthread_mutex_lock(&lv->lock);
	q = question_id > 0 ? live_entry(lv, workshop_id, question_id) : NULL;
	w = live_entry(lv, workshop_id, 0);
	if (q)
		q->words_dirty = true;
	if (w) {
		w->words_dirty = true;
		w->counts_dirty = true;
		w->themes_dirty = true;
	}
	pthread_mutex_unlock(&lv->lock);
}

void live_decided(struct live *lv, const char *workshop_id)
{
	struct live_entry *w;

	pthread_mutex_lock(&lv->lock);
	w = live_entry(lv, workshop_id, 0);
	if (w) {
		w->themes_dirty = true;
		w->themes_now = true;
		pthread_cond_signal(&lv->cond);
	}
	pthread_mutex_unlock(&lv->lock);
}

enum srv_err live_words(struct live *lv, const char *workshop_id, int64_t question_id, char **json)
{
	struct live_entry *e;
	const char *src = "[]";

	pthread_mutex_lock(&lv->lock);
	for (e = lv->entries; e; e = e->next)
		if (e->question_id == question_id && strcmp(e->workshop_id, workshop_id) == 0) {
			if (e->words)
				src = e->words;
			break;
		}
	*json = strdup(src);
	pthread_mutex_unlock(&lv->lock);
	return *json ? SRV_OK : SRV_ENOMEM;
}

/* Word cloud of one question or workshop as JSON array text; NULL on failure. */
static char *live_compute_words(struct live *lv, const char *workshop_id, int64_t question_id)
{
	json_t *texts = NULL, *arr = NULL, *v;
	const char **ptrs = NULL;
	struct words w = { 0 };
	char *out = NULL;
	size_t i, n;

	if (store_answer_texts(lv->store, workshop_id, question_id, &texts))
		return NULL;
	n = json_array_size(texts);
	ptrs = calloc(n ? n : 1, sizeof *ptrs);
	if (!ptrs)
		goto fail;
	json_array_foreach(texts, i, v)
		ptrs[i] = json_string_value(v);
	if (words_count(&w, "sv", ptrs, n, LIVE_WORDS_MAX))
		goto fail;
	arr = json_array();
	if (!arr)
		goto fail;
	for (i = 0; i < w.len; i++)
		json_array_append_new(arr, json_pack("{s:s,s:I}", "word", w.v[i].word,
						     "count", (json_int_t)w.v[i].count));
	out = json_dumps(arr, JSON_COMPACT);
fail:
	words_free(&w);
	json_decref(arr);
	json_decref(texts);
	free(ptrs);
	return out;
}

struct live_job {
	char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1];
	int64_t question_id;
};

/* Copy the entries whose `flag` is set into a new array and clear the flags. */
static size_t live_take(struct live *lv, bool counts, struct live_job **jobs)
{
	struct live_entry *e;
	size_t n = 0, i = 0;

	*jobs = NULL;
	pthread_mutex_lock(&lv->lock);
	for (e = lv->entries; e; e = e->next)
		n += counts ? e->counts_dirty : e->words_dirty;
	if (n > 0)
		*jobs = malloc(n * sizeof **jobs);
	for (e = lv->entries; e && *jobs; e = e->next) {
		bool *flag = counts ? &e->counts_dirty : &e->words_dirty;
		if (!*flag)
			continue;
		*flag = false;
		memcpy((*jobs)[i].workshop_id, e->workshop_id, sizeof e->workshop_id);
		(*jobs)[i].question_id = e->question_id;
		i++;
	}
	pthread_mutex_unlock(&lv->lock);
	return *jobs ? n : 0;
}

static void live_publish_counts(struct live *lv)
{
	struct live_job *jobs;
	size_t i, n = live_take(lv, true, &jobs);

	for (i = 0; i < n; i++) {
		json_t *counts;
		if (store_counts(lv->store, jobs[i].workshop_id, &counts))
			continue;
		events_publish_json(lv->ev, jobs[i].workshop_id, EVENTS_ALL, EVENTS_COUNTS, counts);
		json_decref(counts);
	}
	free(jobs);
}

static void live_refresh_words(struct live *lv)
{
	struct live_job *jobs;
	size_t i, n = live_take(lv, false, &jobs);

	for (i = 0; i < n; i++) {
		struct live_entry *e;
		char *words = live_compute_words(lv, jobs[i].workshop_id, jobs[i].question_id);
		if (!words)
			continue;
		if (jobs[i].question_id > 0) {
			json_t *ev = json_pack("{s:I,s:o}", "question_id", (json_int_t)jobs[i].question_id,
					       "words", json_loads(words, 0, NULL));
			events_publish_json(lv->ev, jobs[i].workshop_id, EVENTS_ANSWERS, EVENTS_WORDS, ev);
			json_decref(ev);
		}
		pthread_mutex_lock(&lv->lock);
		e = live_entry(lv, jobs[i].workshop_id, jobs[i].question_id);
		if (e) {
			free(e->words);
			e->words = words;
			words = NULL;
		}
		pthread_mutex_unlock(&lv->lock);
		free(words);
	}
	free(jobs);
}

static long long live_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Workshops whose summary is due: stale, watched by a presenter, and last
 * published LIVE_THEMES_MS ago or changed by a decision.  A stale workshop
 * nobody watches is dropped from the list: a presenter that connects
 * later gets a fresh summary in its snapshot.
 */
static size_t live_take_themes(struct live *lv, long long now, struct live_job **jobs)
{
	struct live_entry *e;
	size_t n = 0, i = 0;

	*jobs = NULL;
	pthread_mutex_lock(&lv->lock);
	for (e = lv->entries; e; e = e->next)
		n += e->question_id == 0 && e->themes_dirty;
	if (n > 0)
		*jobs = malloc(n * sizeof **jobs);
	for (e = lv->entries; e && *jobs; e = e->next) {
		if (e->question_id != 0 || !e->themes_dirty || (!e->themes_now && now - e->themes_ms < LIVE_THEMES_MS))
			continue;
		e->themes_dirty = false;
		e->themes_now = false;
		if (!events_wanted(lv->ev, e->workshop_id, EVENTS_ANSWERS))
			continue;
		e->themes_ms = now;
		memcpy((*jobs)[i].workshop_id, e->workshop_id, sizeof e->workshop_id);
		i++;
	}
	pthread_mutex_unlock(&lv->lock);
	if (i == 0) {
		free(*jobs);
		*jobs = NULL;
	}
	return i;
}

/* Recompute and publish the summaries that are due (null while a workshop has no visible answer). */
static void live_refresh_themes(struct live *lv)
{
	struct live_job *jobs;
	size_t i, n = live_take_themes(lv, live_ms(), &jobs);

	for (i = 0; i < n; i++) {
		struct synth_scope scope = { .kind = SYNTH_WORKSHOP };
		struct synth_result *r;
		struct live_entry *e;
		bool fresh;
		json_t *view;

		snprintf(scope.id, sizeof scope.id, "%s", jobs[i].workshop_id);
		if (synth_get(lv->synth, lv->store, &scope, &r, NULL, 0))
			continue;
		pthread_mutex_lock(&lv->lock);
		e = live_entry(lv, jobs[i].workshop_id, 0);
		fresh = e && e->themes_rev != r->rev;
		if (fresh)
			e->themes_rev = r->rev;
		pthread_mutex_unlock(&lv->lock);
		if (fresh) {
			view = r->res->nanswers ? synth_view(r, false) : json_null();
			events_publish_json(lv->ev, jobs[i].workshop_id, EVENTS_ANSWERS, EVENTS_THEMES, view);
			json_decref(view);
		}
		synth_put(r);
	}
	free(jobs);
}

/* Mark every question of every workshop so the first pass fills the cache. */
static void live_mark_all(struct live *lv)
{
	json_t *ws = NULL, *qs, *w, *q;
	size_t i, j;

	if (store_workshop_ids(lv->store, &ws))
		return;
	json_array_foreach(ws, i, w) {
		const char *id = json_string_value(w);
		if (store_question_ids(lv->store, id, &qs))
			continue;
		json_array_foreach(qs, j, q)
			live_mark(lv, id, json_integer_value(q));
		live_mark(lv, id, 0);
		json_decref(qs);
	}
	json_decref(ws);
}

static void *live_thread(void *arg)
{
	struct live *lv = arg;
	long long now, last_words = 0, last_ping;
	struct timespec until;

	live_mark_all(lv);
	last_ping = live_ms();
	pthread_mutex_lock(&lv->lock);
	while (!lv->stopping) {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += LIVE_COUNTS_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&lv->cond, &lv->lock, &until);
		if (lv->stopping)
			break;
		pthread_mutex_unlock(&lv->lock);
		live_publish_counts(lv);
		now = live_ms();
		if (now - last_words >= LIVE_WORDS_MS) {
			last_words = now;
			live_refresh_words(lv);
		}
		if (lv->synth)
			live_refresh_themes(lv);
		if (now - last_ping >= LIVE_PING_MS) {
			last_ping = now;
			events_ping(lv->ev);
		}
		pthread_mutex_lock(&lv->lock);
	}
	pthread_mutex_unlock(&lv->lock);
	return NULL;
}

enum srv_err live_open(struct live **out, const char *db_path, struct events *ev)
{
	return live_open_synth(out, db_path, ev, NULL);
}

enum srv_err live_open_synth(struct live **out, const char *db_path, struct events *ev, struct synth *sy)
{
	struct live *lv;
	pthread_condattr_t attr;
	int err;

	*out = NULL;
	lv = calloc(1, sizeof *lv);
	if (!lv)
		return SRV_ENOMEM;
	err = store_open(&lv->store, db_path);
	if (err) {
		free(lv);
		return err;
	}
	lv->ev = ev;
	lv->synth = sy;
	pthread_mutex_init(&lv->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&lv->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&lv->thread, NULL, live_thread, lv)) {
		pthread_cond_destroy(&lv->cond);
		pthread_mutex_destroy(&lv->lock);
		store_close(lv->store);
		free(lv);
		return SRV_ESYS;
	}
	*out = lv;
	return SRV_OK;
}

void live_close(struct live *lv)
{
	struct live_entry *e, *next;

	if (!lv)
		return;
	pthread_mutex_lock(&lv->lock);
	lv->stopping = true;
	pthread_cond_signal(&lv->cond);
	pthread_mutex_unlock(&lv->lock);
	pthread_join(lv->thread, NULL);
	for (e = lv->entries; e; e = next) {
		next = e->next;
		free(e->words);
		free(e);
	}
	store_close(lv->store);
	pthread_cond_destroy(&lv->cond);
	pthread_mutex_destroy(&lv->lock);
	free(lv);
}

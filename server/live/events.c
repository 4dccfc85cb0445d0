/*
 * events.c - per-workshop subscriber lists with bounded queues.
 *
 * One mutex guards everything: publishing is a memcpy per subscriber and
 * workshops are few, so a finer scheme would only add lock-order hazards
 * with libmicrohttpd's own locks.  Topics (one per workshop with
 * subscribers) are kept in a short list and reused.
 */
#include "live/events.h"
#include "core/buf.h"
#include "base/srv_err.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_ID_MAX 64

struct events_sub {
	struct events *ev;
	struct events_topic *topic;
	struct events_sub *prev, *next;
	bool answers;
	bool sleeping;       /* sleep_fn called, wake_fn not yet */
	bool over;           /* dropped or shut down: the next read ends the stream */
	struct buf queue;
	size_t read_off;     /* bytes of queue already handed out */
	void (*sleep_fn)(void *);
	void (*wake_fn)(void *);
	void *cb_arg;
};

struct events_topic {
	struct events_topic *next;
	char workshop_id[EVENTS_ID_MAX + 1];
	/* [0]: phones, [1]: presenters (?answers=1); answer events walk only [1]. */
	struct events_sub *subs[2];
};

struct events {
	pthread_mutex_t lock;
	struct events_topic *topics;
	size_t count;
	bool stopped;
};

enum srv_err events_open(struct events **out)
{
	struct events *ev = calloc(1, sizeof *ev);

	*out = NULL;
	if (!ev)
		return SRV_ENOMEM;
	pthread_mutex_init(&ev->lock, NULL);
	*out = ev;
	return SRV_OK;
}

void events_close(struct events *ev)
{
	struct events_topic *t, *next;

	if (!ev)
		return;
	assert(ev->count == 0);
	for (t = ev->topics; t; t = next) {
		next = t->next;
		free(t);
	}
	pthread_mutex_destroy(&ev->lock);
	free(ev);
}

/* Call with the lock held. */
static struct events_topic *events_topic(struct events *ev, const char *workshop_id, bool create)
{
	struct events_topic *t;

	for (t = ev->topics; t; t = t->next)
		if (strcmp(t->workshop_id, workshop_id) == 0)
			return t;
	if (!create)
		return NULL;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	snprintf(t->workshop_id, sizeof t->workshop_id, "%s", workshop_id);
	t->next = ev->topics;
	ev->topics = t;
	return t;
}

enum srv_err events_subscribe(struct events *ev, const char *workshop_id, bool answers,
		     void (*sleep_fn)(void *), void (*wake_fn)(void *), void *cb_arg,
		     struct events_sub **out)
{
	struct events_sub *sub;
	struct events_topic *t;
	int err = SRV_OK;

	*out = NULL;
	if (strlen(workshop_id) > EVENTS_ID_MAX)
		return SRV_EINVAL;
	sub = calloc(1, sizeof *sub);
	if (!sub)
		return SRV_ENOMEM;
	buf_init(&sub->queue, EVENTS_QUEUE_MAX);
	sub->ev = ev;
	sub->answers = answers;
	sub->sleep_fn = sleep_fn;
	sub->wake_fn = wake_fn;
	sub->cb_arg = cb_arg;
	pthread_mutex_lock(&ev->lock);
	if (ev->stopped) {
		err = SRV_ESTOPPED;
	} else if (!(t = events_topic(ev, workshop_id, true))) {
		err = SRV_ENOMEM;
	} else {
		sub->topic = t;
		sub->next = t->subs[answers];
		if (sub->next)
			sub->next->prev = sub;
		t->subs[answers] = sub;
		ev->count++;
	}
	pthread_mutex_unlock(&ev->lock);
	if (err) {
		free(sub);
		return err;
	}
	*out = sub;
	return SRV_OK;
}

/* Wake a subscriber whose reader went to sleep on an empty queue.  Lock held. */
static void events_wake(struct events_sub *sub)
{
	if (sub->sleeping) {
		sub->sleeping = false;
		sub->wake_fn(sub->cb_arg);
	}
}

/* Everything queued was read: start over, with the ordinary cap again after a big snapshot.  Lock held. */
static void events_drained(struct events_sub *sub)
{
	buf_reset(&sub->queue);
	sub->queue.max = EVENTS_QUEUE_MAX;
	sub->read_off = 0;
}

/* Append a frame to a subscriber's queue; drop it when over the limit.  Lock held. */
static int events_append(struct events_sub *sub, const char *frame, size_t len)
{
	enum buf_err berr;

	if (sub->over)
		return SRV_OK;
	/* Reclaim what the reader consumed before growing. */
	if (sub->read_off > 0 && sub->read_off == sub->queue.len)
		events_drained(sub);
	assert(sub->read_off <= sub->queue.len);
	berr = buf_add(&sub->queue, frame, len);
	/* The queue's cap is the bound that keeps one slow phone from holding memory. */
	assert(berr || sub->queue.len <= sub->queue.max);
	if (berr) {
		sub->over = true;
		buf_free(&sub->queue);
		sub->read_off = 0;
	}
	events_wake(sub);
	return berr == BUF_OK ? SRV_OK : berr == BUF_NOMEM ? SRV_ENOMEM : SRV_EFULL;
}

static const char *const events_names[EVENTS_NAME_COUNT] = {
	[EVENTS_SNAPSHOT] = "snapshot", [EVENTS_ANSWER] = "answer", [EVENTS_HIDE] = "hide",
	[EVENTS_QUESTION] = "question", [EVENTS_COUNTS] = "counts", [EVENTS_WORDS] = "words",
	[EVENTS_THEMES] = "themes", [EVENTS_VOTE] = "vote",
};

const char *events_name(enum events_name name)
{
	assert((unsigned)name < EVENTS_NAME_COUNT && events_names[name]);
	return events_names[name];
}

/* "event: NAME\ndata: JSON\n\n"; JSON from jansson never contains a newline. */
static int events_frame(struct buf *b, enum events_name event, const char *data)
{
	assert(!strchr(data, '\n'));
	return buf_printf(b, "event: %s\ndata: %s\n\n", events_name(event), data) ? SRV_ENOMEM : SRV_OK;
}

enum srv_err events_sub_prepend(struct events_sub *sub, enum events_name event, const char *data)
{
	struct buf frame;
	int err;

	/*
	 * A presenter's snapshot (200 answers of up to 1000 code points) can
	 * pass EVENTS_QUEUE_MAX by itself; that cap is about lagging behind,
	 * so the snapshot has its own and the backlog allowance comes on top.
	 */
	buf_init(&frame, EVENTS_SNAPSHOT_MAX + EVENTS_QUEUE_MAX);
	err = events_frame(&frame, event, data);
	if (!err && frame.len > EVENTS_SNAPSHOT_MAX)
		err = SRV_EFULL;
	if (!err) {
		pthread_mutex_lock(&sub->ev->lock);
		/* What was published since subscribing goes behind the snapshot. */
		if (!sub->over && sub->queue.len > sub->read_off &&
		    buf_add(&frame, sub->queue.data + sub->read_off, sub->queue.len - sub->read_off))
			err = SRV_ENOMEM;
		if (!err && !sub->over) {
			buf_free(&sub->queue);
			sub->queue = frame;
			sub->queue.max = frame.len + EVENTS_QUEUE_MAX;
			sub->read_off = 0;
			buf_init(&frame, 0);
			events_wake(sub);
		}
		pthread_mutex_unlock(&sub->ev->lock);
	}
	buf_free(&frame);
	return err;
}

ssize_t events_sub_read(struct events_sub *sub, char *dst, size_t max)
{
	struct events *ev = sub->ev;
	ssize_t n = 0;
	size_t avail;

	pthread_mutex_lock(&ev->lock);
	if (sub->over) {
		n = -1;
	} else {
		avail = sub->queue.len - sub->read_off;
		if (avail == 0) {
			sub->sleeping = true;
			sub->sleep_fn(sub->cb_arg);
		} else {
			if (avail > max)
				avail = max;
			memcpy(dst, sub->queue.data + sub->read_off, avail);
			sub->read_off += avail;
			if (sub->read_off == sub->queue.len)
				events_drained(sub);
			n = (ssize_t)avail;
		}
	}
	pthread_mutex_unlock(&ev->lock);
	return n;
}

void events_unsubscribe(struct events_sub *sub)
{
	struct events *ev;

	if (!sub)
		return;
	ev = sub->ev;
	pthread_mutex_lock(&ev->lock);
	if (sub->prev)
		sub->prev->next = sub->next;
	else
		sub->topic->subs[sub->answers] = sub->next;
	if (sub->next)
		sub->next->prev = sub->prev;
	ev->count--;
	pthread_mutex_unlock(&ev->lock);
	buf_free(&sub->queue);
	free(sub);
}

void events_publish(struct events *ev, const char *workshop_id, enum events_audience audience,
		    enum events_name event, const char *data)
{
	struct events_topic *t;
	struct events_sub *sub;
	int list;
	struct buf frame;

	buf_init(&frame, EVENTS_QUEUE_MAX);
	if (events_frame(&frame, event, data))
		goto out;
	pthread_mutex_lock(&ev->lock);
	t = events_topic(ev, workshop_id, false);
	for (list = audience == EVENTS_ANSWERS ? 1 : 0; t && list < (audience == EVENTS_PHONES ? 1 : 2); list++)
		for (sub = t->subs[list]; sub; sub = sub->next)
			events_append(sub, frame.data, frame.len);
	pthread_mutex_unlock(&ev->lock);
out:
	buf_free(&frame);
}

void events_publish_json(struct events *ev, const char *workshop_id, enum events_audience audience,
			 enum events_name event, const json_t *data)
{
	char *text = data ? json_dumps(data, JSON_COMPACT) : NULL;

	if (text)
		events_publish(ev, workshop_id, audience, event, text);
	free(text);
}

bool events_wanted(struct events *ev, const char *workshop_id, enum events_audience audience)
{
	struct events_topic *t;
	bool found;

	pthread_mutex_lock(&ev->lock);
	t = events_topic(ev, workshop_id, false);
	found = t && ((audience != EVENTS_PHONES && t->subs[1]) || (audience != EVENTS_ANSWERS && t->subs[0]));
	pthread_mutex_unlock(&ev->lock);
	return found;
}

void events_end(struct events *ev, const char *workshop_id, enum events_audience audience)
{
	struct events_topic *t;
	struct events_sub *sub;
	int list;

	pthread_mutex_lock(&ev->lock);
	t = events_topic(ev, workshop_id, false);
	for (list = audience == EVENTS_ANSWERS ? 1 : 0; t && list < (audience == EVENTS_PHONES ? 1 : 2); list++)
		for (sub = t->subs[list]; sub; sub = sub->next) {
			sub->over = true;
			events_wake(sub);
		}
	pthread_mutex_unlock(&ev->lock);
}

void events_ping(struct events *ev)
{
	static const char ping[] = ": ping\n\n";
	struct events_topic *t;
	struct events_sub *sub;
	int list;

	pthread_mutex_lock(&ev->lock);
	for (t = ev->topics; t; t = t->next)
		for (list = 0; list < 2; list++)
			for (sub = t->subs[list]; sub; sub = sub->next)
				events_append(sub, ping, sizeof ping - 1);
	pthread_mutex_unlock(&ev->lock);
}

size_t events_count(struct events *ev)
{
	size_t n;

	pthread_mutex_lock(&ev->lock);
	n = ev->count;
	pthread_mutex_unlock(&ev->lock);
	return n;
}

void events_shutdown(struct events *ev)
{
	struct events_topic *t;
	struct events_sub *sub;
	int list;

	pthread_mutex_lock(&ev->lock);
	ev->stopped = true;
	for (t = ev->topics; t; t = t->next)
		for (list = 0; list < 2; list++)
			for (sub = t->subs[list]; sub; sub = sub->next) {
				sub->over = true;
				events_wake(sub);
			}
	pthread_mutex_unlock(&ev->lock);
}

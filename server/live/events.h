/*
 * events.h - Server-Sent Events broadcaster.
 *
 * Subscribers are grouped by workshop; each has its own bounded byte queue
 * of formatted SSE frames.  A publisher formats an event once and appends
 * it to every matching queue; a subscriber whose queue would pass
 * EVENTS_QUEUE_MAX is dropped (its stream ends, the browser reconnects and
 * gets a fresh snapshot), so one slow phone cannot hold memory hostage.
 *
 * The module knows nothing about HTTP: the connection layer hands each
 * subscriber a `sleep` callback (called, under the broadcaster's lock, when
 * a read finds the queue empty) and a `wake` callback (called under the
 * same lock when data arrives for a sleeping subscriber).  Holding one lock
 * across both makes "suspend, then resume" ordering impossible to get wrong.
 * All functions are thread-safe.
 */
#ifndef INSPEL_EVENTS_H
#define INSPEL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>
#include "base/srv_err.h"

#define EVENTS_QUEUE_MAX (512 * 1024)      /* how far a stream may lag behind */
#define EVENTS_SNAPSHOT_MAX (8 * 1024 * 1024) /* the snapshot event, which may be larger */

struct events;
struct events_sub;

/* The names of the stream's events (docs/API.md); events_name gives each one's text. */
enum events_name {
	EVENTS_SNAPSHOT,  /* first event of every stream: the whole state */
	EVENTS_ANSWER,    /* an answer stored or shown again (presenters) */
	EVENTS_HIDE,      /* an answer hidden (presenters) */
	EVENTS_QUESTION,  /* a question opened or closed */
	EVENTS_COUNTS,    /* visible answers per question, coalesced */
	EVENTS_WORDS,     /* a question's word cloud (presenters) */
	EVENTS_THEMES,    /* the presenter's themes summary */
	EVENTS_VOTE,      /* a vote opened, closed or got a ballot */
	EVENTS_NAME_COUNT
};

/* The event's name on the wire ("snapshot", "answer", ...); never NULL. */
const char *events_name(enum events_name name);

/* Which subscribers an event goes to. */
enum events_audience {
	EVENTS_ALL,       /* phones and presenters */
	EVENTS_ANSWERS,   /* only streams opened with ?answers=1 */
	EVENTS_PHONES,    /* only streams opened without ?answers=1 (what the room may see, e.g. a vote without results) */
};

/* Create a broadcaster; *out is freed with events_close.  SRV_OK or SRV_ENOMEM. */
enum srv_err events_open(struct events **out);

/* Free the broadcaster; every subscriber must have been released first. */
void events_close(struct events *ev);

/*
 * Register a subscriber of `workshop_id`.  It starts with an empty queue;
 * put the snapshot in with events_sub_prepend before the first read.  *out is
 * released with events_unsubscribe.  SRV_ESTOPPED after events_shutdown,
 * SRV_ENOMEM.
 */
enum srv_err events_subscribe(struct events *ev, const char *workshop_id, bool answers,
		     void (*sleep_fn)(void *), void (*wake_fn)(void *), void *cb_arg,
		     struct events_sub **out);

/*
 * Put one event at the front of this subscriber's queue, ahead of anything
 * published since it subscribed: the snapshot.  Subscribing before reading
 * the snapshot means no change can fall between the two (a change may be
 * seen twice instead; clients key answers by id).  The event may be up to
 * EVENTS_SNAPSHOT_MAX bytes, and the subscriber may still fall
 * EVENTS_QUEUE_MAX behind it.  SRV_OK, SRV_ENOMEM, SRV_EFULL (over
 * EVENTS_SNAPSHOT_MAX).
 */
enum srv_err events_sub_prepend(struct events_sub *sub, enum events_name event, const char *data);

/*
 * Copy up to `max` queued bytes into `dst`.  Returns the byte count; 0 when
 * the queue is empty (sleep_fn has then been called); -1 when the stream is
 * over (dropped or shutting down).
 */
ssize_t events_sub_read(struct events_sub *sub, char *dst, size_t max);

/* Remove and free a subscriber.  NULL is a no-op. */
void events_unsubscribe(struct events_sub *sub);

/* Send `event` with JSON `data` to every subscriber of a workshop in `audience`. */
void events_publish(struct events *ev, const char *workshop_id, enum events_audience audience,
		    enum events_name event, const char *data);

/*
 * events_publish with `data` serialised as compact JSON.  A NULL `data` or a
 * failed serialisation (out of memory) publishes nothing: live updates are
 * best effort, the client's next snapshot repairs what it missed.
 */
void events_publish_json(struct events *ev, const char *workshop_id, enum events_audience audience,
			 enum events_name event, const json_t *data);

/* Does any subscriber of the workshop belong to `audience`?  Lets publishers skip formatting. */
bool events_wanted(struct events *ev, const char *workshop_id, enum events_audience audience);

/*
 * End the streams of a workshop in `audience` (their next read ends them;
 * clients reconnect and are checked again), e.g. when the credential they
 * were opened with stopped working.
 */
void events_end(struct events *ev, const char *workshop_id, enum events_audience audience);

/* Send an SSE comment line (": ping") to every subscriber, to keep proxies and NATs open. */
void events_ping(struct events *ev);

/* Number of subscribers right now. */
size_t events_count(struct events *ev);

/* End every stream and refuse new subscribers. */
void events_shutdown(struct events *ev);

#endif

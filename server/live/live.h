/*
 * live.h - the background thread that keeps derived, live data fresh.
 *
 * Commits and hides only mark a workshop/question "changed"; this thread
 * turns the marks into coalesced `counts` events (every LIVE_COUNTS_MS),
 * recomputes word clouds of changed questions (at most once a second per
 * question, so analysis never runs in a request), caches them for the words
 * route and snapshots, recomputes the themes summary of workshops a
 * presenter is watching (at most every LIVE_THEMES_MS, at once after a
 * decision) and publishes it as the `themes` event, and sends the SSE
 * keep-alive ping.  It has its own database connection.
 */
#ifndef INSPEL_LIVE_H
#define INSPEL_LIVE_H

#include <stdint.h>
#include "base/srv_err.h"

#define LIVE_COUNTS_MS 400
#define LIVE_WORDS_MS 1000
#define LIVE_PING_MS 15000
#define LIVE_WORDS_MAX 60
#define LIVE_THEMES_MS 1500

struct live;
struct events;
struct synth;

/*
 * Open a connection to `db_path` and start the thread; every existing
 * question's word cloud is computed once at start.  *out is stopped and
 * freed by live_close.  SRV_OK, SRV_EDB, SRV_ENOMEM, SRV_ESYS.
 */
enum srv_err live_open(struct live **out, const char *db_path, struct events *ev);

/*
 * live_open with the synthesis cache `sy` (not owned; must outlive the
 * thread): presenters get `themes` events.  live_open is this with `sy`
 * NULL.  (Making syntheses stale is the hub's job, live/hub.h.)
 */
enum srv_err live_open_synth(struct live **out, const char *db_path, struct events *ev, struct synth *sy);

/* Stop and join the thread, free the cache.  NULL is a no-op. */
void live_close(struct live *lv);

/* The visible answers of this question (and so of its workshop) changed; called by the hub. */
void live_mark(struct live *lv, const char *workshop_id, int64_t question_id);

/*
 * A decision changed the workshop's synthesis (the caller already touched
 * it in the cache): its presenters get the new summary on the thread's
 * next pass, without waiting out LIVE_THEMES_MS.
 */
void live_decided(struct live *lv, const char *workshop_id);

/*
 * The cached word cloud of one question (question_id > 0) or of the whole
 * workshop (0) as JSON array text `[{"word": ..., "count": n}, ...]`; "[]"
 * when nothing is cached yet.  *json is the caller's to free.  SRV_OK or
 * SRV_ENOMEM.
 */
enum srv_err live_words(struct live *lv, const char *workshop_id, int64_t question_id, char **json);

#endif

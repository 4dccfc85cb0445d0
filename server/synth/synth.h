/*
 * synth.h - the synthesis of a scope (one workshop or one series): its
 * visible answers run through analysis_run with the scope's active
 * decisions, cached until something it depends on changes.
 *
 * Design: results are immutable and reference-counted, so the live thread,
 * request handlers and the report share one without copying or holding a
 * lock while they read it.  Staleness is a generation count per workshop
 * and per scope, bumped by synth_touch_* (cheap, from any thread); a
 * result remembers the generations it was computed at.  Reading the
 * answers takes the caller's store lock briefly; the analysis itself runs
 * without any lock, and two threads asking for the same stale scope compute
 * it once (the second waits for the first).  At most a fixed number of
 * results stay cached (least recently used evicted); a scope's bookkeeping
 * outlives its result, so an evicted scope recomputes with the next rev.
 */
#ifndef INSPEL_SYNTH_H
#define INSPEL_SYNTH_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "base/srv_err.h"

#define SYNTH_SEED 1
#define SYNTH_LANG "sv"
#define SYNTH_REVS 8            /* revisions whose discovered themes a decision may still name */
#define SYNTH_SUMMARY_QUOTES 2  /* quotes per theme in the presenter's summary */
#define SYNTH_MAX_SCOPES 64     /* cached results kept, least recently used evicted */

struct synth;
struct analysis_result;

enum synth_kind { SYNTH_WORKSHOP, SYNTH_SERIES };

struct synth_scope {
	enum synth_kind kind;
	char id[LIMIT_WORKSHOP_ID_LEN + 1];
};

/*
 * One computed synthesis.  Read-only once returned (synth_view_full fills
 * its own private cache under its own lock); release with synth_put.
 */
struct synth_result {
	struct synth_scope scope;
	uint64_t rev;                   /* increases with every computation of this scope */
	char analysed[STORE_TIME_LEN + 1]; /* when, ISO 8601 UTC */
	json_t *answers;                /* store_scope_answers rows, hidden ones included */
	size_t *row;                    /* analysis answer i is answers[row[i]] (visible ones only) */
	struct analysis_result *res;    /* analysis ids are the answers' "id" as decimal strings */
	json_t *records;                /* store_decision_list's "decisions": every record, undone and undos too */
	json_t *decisions;              /* the active decision objects applied, in order (array) */
	char *themes_text;              /* the themes file in use */
	bool themes_default;            /* true: the shipped one, no "themes" decision */
	/* private */
	unsigned refs;
	uint64_t gen;
	pthread_mutex_t full_lock;      /* guards building full_json */
	char *full_json;                /* synth_view_full's bytes once built; read with acquire */
	size_t full_len;
};

/* A cache with nothing in it; *out is freed with synth_close.  SRV_OK or SRV_ENOMEM. */
enum srv_err synth_open(struct synth **out);

/*
 * synth_open keeping at most `max` results (>= 1; synth_open uses
 * SYNTH_MAX_SCOPES).  Past that, synth_get drops the cache's reference to the
 * least recently used result, with its discovered-theme snapshots; the
 * scope's staleness stamps and rev counter stay.  SRV_OK, SRV_ENOMEM, or
 * SRV_EINVAL when max is 0.
 */
enum srv_err synth_open_max(struct synth **out, size_t max);

/* Free the cache; results still held elsewhere stay valid until synth_put.  NULL is a no-op. */
void synth_close(struct synth *sy);

/* The answers of a workshop changed (commit, hide): its result and its series' are stale. */
void synth_touch_workshop(struct synth *sy, const char *workshop_id);

/* A scope's decisions or (for a series) its workshops changed. */
void synth_touch_scope(struct synth *sy, const struct synth_scope *scope);

/*
 * The current synthesis of `scope`: the cached one when nothing changed
 * since, else computed now, reading `st` (any thread's store: it locks
 * itself).  SRV_OK with *out (release with synth_put); SRV_ENOTFOUND (no
 * such workshop or series), SRV_EDB, SRV_ENOMEM, SRV_EINVAL (the stored
 * decisions could not be applied; message in err[0..errlen), may be NULL).
 */
enum srv_err synth_get(struct synth *sy, struct store *st, const struct synth_scope *scope,
	      struct synth_result **out, char *err, size_t errlen);

/* Take one more reference to a result. */
void synth_hold(struct synth_result *r);

/* Drop a reference; the last one frees the result.  NULL is a no-op. */
void synth_put(struct synth_result *r);

/*
 * The themes view of docs/API.md: with `full` the facilitator's (every
 * answer and its themes), else the presenter's summary.  New reference,
 * NULL when out of memory.
 */
json_t *synth_view(const struct synth_result *r, bool full);

/*
 * The facilitator's full view (synth_view(r, true)) as compact JSON, built
 * on the first call and kept with the result; concurrent first calls build
 * it once.  SRV_OK with *json (NUL-terminated, owned by r, valid until
 * the caller's synth_put) and *len; SRV_ENOMEM (a later call retries).
 */
enum srv_err synth_view_full(struct synth_result *r, const char **json, size_t *len);

/*
 * The "adopt" decision object for discovered theme `theme_id` ("new-N") as
 * it was in revision `rev` of the scope: {"kind": "adopt", "id": new_id,
 * "label", "terms", "answers"}.  SRV_OK with *adopt (caller decrefs);
 * SRV_ECONFLICT when that revision is no longer kept (older than the last
 * SYNTH_REVS, or the scope's result was evicted since); SRV_ENOTFOUND when
 * the revision had no such theme.
 */
enum srv_err synth_discovered(struct synth *sy, const struct synth_scope *scope, uint64_t rev, const char *theme_id,
		     const char *new_id, json_t **adopt);

/* Index of theme `id` in r->res->themes, or -1. */
long synth_theme_index(const struct synth_result *r, const char *id);

/* Index into r->answers of the answer with server id `id`, or -1 (hidden answers included). */
long synth_answer_row(const struct synth_result *r, int64_t id);

#endif

/*
 * hub.h - the one place that hears "something changed" and tells everyone.
 *
 * Whoever changes state (the writer after a COMMIT, a route after a store
 * call, the demo seeding) tells the hub what changed, and the hub alone
 * decides what that means: which live data go stale (counts, word clouds,
 * presenters' themes, in live.h), which syntheses go stale (synth.h), and
 * which events go out to whom, under names from enum events_name.  So a new
 * kind of change is one function here, and nothing else calls
 * synth_touch_*, live_mark, live_decided or events_publish_json for it.
 *
 * A struct hub only points at components it does not own; it is filled once
 * by hub_init before any thread can use it and is read-only afterwards, so
 * every function is as thread-safe as the components (they all are).
 */
#ifndef INSPEL_HUB_H
#define INSPEL_HUB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "synth/synth.h"

struct events;
struct live;

struct hub {
	struct events *ev;
	struct live *lv;
	struct synth *sy;       /* may be NULL: no synthesis to invalidate */
};

/* Point the hub at the components (not owned; they must outlive every use). */
void hub_init(struct hub *h, struct events *ev, struct live *lv, struct synth *sy);

/*
 * The visible answers of question `question_id` (0: of the workshop as a
 * whole, e.g. after seeding) of workshop `ws` changed: counts, word clouds,
 * the presenters' themes and every synthesis holding the workshop go stale.
 */
void hub_answers_changed(const struct hub *h, const char *ws, int64_t question_id);

/*
 * Answer `answer` (an answer object of the store) was stored or shown
 * again: presenters get it as an `answer` event, unless it is held for
 * personal data ("held": true).  Does not mark anything stale (the writer
 * marks once per run of answers to one question).
 */
void hub_answer_shown(const struct hub *h, const char *ws, const json_t *answer);

/* Answer `answer` was hidden (or shown, `hidden` false): the event, then hub_answers_changed. */
void hub_answer_hidden(const struct hub *h, const char *ws, const json_t *answer, bool hidden);

/*
 * Held answer `answer` was let through ("held" false now) or held again:
 * unless it is hidden, presenters get it as an `answer` event or lose it
 * with a `hide` event; then hub_answers_changed (its words and quotes).
 */
void hub_answer_held(const struct hub *h, const char *ws, const json_t *answer);

/* Question `question` (a question object) was opened or closed: everyone gets a `question` event. */
void hub_question_changed(const struct hub *h, const char *ws, const json_t *question);

/*
 * A decision of `scope` was recorded or undone: its synthesis goes stale,
 * and a workshop's presenters get the new themes summary without waiting.
 */
void hub_decided(const struct hub *h, const struct synth_scope *scope);

/* A workshop joined or left series `series_id` (NULL: none): that series' synthesis goes stale. */
void hub_series_changed(const struct hub *h, const char *series_id);

/*
 * Vote `vote` (a vote object with ballots and results) was opened, closed
 * or got a ballot: phones get it without "ballots" and "results",
 * presenters with them.
 */
void hub_vote_changed(const struct hub *h, const char *ws, const json_t *vote);

/* Vote `vote` got a ballot: presenters get the new results (phones' view did not change). */
void hub_vote_counted(const struct hub *h, const char *ws, const json_t *vote);

/*
 * Answers `erased` ([{"id", "question_id"}]) of workshop `ws` were erased
 * (a participant asked): presenters drop each (a `hide` event), and the
 * counts, word clouds and syntheses of their questions go stale.
 */
void hub_answers_erased(const struct hub *h, const char *ws, const json_t *erased);

/* Workshop `ws`, of series `series_id` (or NULL), was deleted: every synthesis holding it goes stale. */
void hub_workshop_deleted(const struct hub *h, const char *ws, const char *series_id);

/*
 * Workshop `ws` got a new presenter link: the streams opened for
 * presenters (?answers=1) end, so a screen holding the old link is
 * refused when it reconnects, and the console reconnects with its key.
 */
void hub_presenter_renewed(const struct hub *h, const char *ws);

/* A vote as phones see it: without "ballots" and "results".  New reference, or NULL when out of memory. */
json_t *hub_vote_for_phones(const json_t *vote);

#endif

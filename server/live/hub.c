/*
 * hub.c - what each change means: stale live data, stale syntheses, events.
 *
 * Every function is a short, fixed list of consequences; a change's
 * consequences are written down once, here, instead of beside each of the
 * places that can cause it.
 */
#include "live/hub.h"
#include "live/events.h"
#include "live/live.h"
#include "synth/synth.h"

#include <assert.h>
#include <stdio.h>

void hub_init(struct hub *h, struct events *ev, struct live *lv, struct synth *sy)
{
	assert(ev && lv);
	h->ev = ev;
	h->lv = lv;
	h->sy = sy;
}

void hub_answers_changed(const struct hub *h, const char *ws, int64_t question_id)
{
	live_mark(h->lv, ws, question_id);
	if (h->sy)
		synth_touch_workshop(h->sy, ws);
}

void hub_answer_shown(const struct hub *h, const char *ws, const json_t *answer)
{
	/* Personal data stays off the projector until a facilitator lets it through. */
	if (json_is_true(json_object_get(answer, "held")))
		return;
	/* Serialising every answer for nobody would cost the writer thread. */
	if (events_wanted(h->ev, ws, EVENTS_ANSWERS))
		events_publish_json(h->ev, ws, EVENTS_ANSWERS, EVENTS_ANSWER, answer);
}

/* Presenters drop answer `answer` from the wall. */
static void hub_answer_off_wall(const struct hub *h, const char *ws, const json_t *answer)
{
	json_t *ev = json_pack("{s:O,s:O}", "id", json_object_get(answer, "id"), "question_id",
			       json_object_get(answer, "question_id"));

	events_publish_json(h->ev, ws, EVENTS_ANSWERS, EVENTS_HIDE, ev);
	json_decref(ev);
}

void hub_answer_hidden(const struct hub *h, const char *ws, const json_t *answer, bool hidden)
{
	if (hidden)
		hub_answer_off_wall(h, ws, answer);
	else
		hub_answer_shown(h, ws, answer);
	hub_answers_changed(h, ws, json_integer_value(json_object_get(answer, "question_id")));
}

void hub_answer_held(const struct hub *h, const char *ws, const json_t *answer)
{
	if (!json_is_true(json_object_get(answer, "hidden"))) {
		if (json_is_true(json_object_get(answer, "held")))
			hub_answer_off_wall(h, ws, answer);
		else
			hub_answer_shown(h, ws, answer);
	}
	hub_answers_changed(h, ws, json_integer_value(json_object_get(answer, "question_id")));
}

void hub_question_changed(const struct hub *h, const char *ws, const json_t *question)
{
	events_publish_json(h->ev, ws, EVENTS_ALL, EVENTS_QUESTION, question);
}

void hub_decided(const struct hub *h, const struct synth_scope *scope)
{
	if (h->sy)
		synth_touch_scope(h->sy, scope);
	if (scope->kind == SYNTH_WORKSHOP)
		live_decided(h->lv, scope->id);
}

void hub_series_changed(const struct hub *h, const char *series_id)
{
	struct synth_scope scope = { .kind = SYNTH_SERIES };

	if (!series_id || !h->sy)
		return;
	snprintf(scope.id, sizeof scope.id, "%s", series_id);
	synth_touch_scope(h->sy, &scope);
}

void hub_presenter_renewed(const struct hub *h, const char *ws)
{
	events_end(h->ev, ws, EVENTS_ANSWERS);
}

json_t *hub_vote_for_phones(const json_t *vote)
{
	json_t *v = json_copy((json_t *)vote);

	if (v) {
		json_object_del(v, "ballots");
		json_object_del(v, "results");
	}
	return v;
}

void hub_vote_changed(const struct hub *h, const char *ws, const json_t *vote)
{
	json_t *phones;

	if (events_wanted(h->ev, ws, EVENTS_PHONES)) {
		phones = hub_vote_for_phones(vote);
		events_publish_json(h->ev, ws, EVENTS_PHONES, EVENTS_VOTE, phones);
		json_decref(phones);
	}
	hub_vote_counted(h, ws, vote);
}

void hub_vote_counted(const struct hub *h, const char *ws, const json_t *vote)
{
	events_publish_json(h->ev, ws, EVENTS_ANSWERS, EVENTS_VOTE, vote);
}

void hub_answers_erased(const struct hub *h, const char *ws, const json_t *erased)
{
	const json_t *a;
	size_t i;

	json_array_foreach(erased, i, a) {
		events_publish_json(h->ev, ws, EVENTS_ANSWERS, EVENTS_HIDE, a);
		hub_answers_changed(h, ws, json_integer_value(json_object_get(a, "question_id")));
	}
	hub_answers_changed(h, ws, 0);
}

void hub_workshop_deleted(const struct hub *h, const char *ws, const char *series_id)
{
	hub_answers_changed(h, ws, 0);
	hub_series_changed(h, series_id);
}

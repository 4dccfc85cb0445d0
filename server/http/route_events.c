/*
 * route_events.c - what the room sees live: a workshop's event stream
 * (SSE) and its word cloud.
 *
 * A stream subscribes first and reads its snapshot second, so nothing
 * committed in between is lost (it may be seen twice).  The response is
 * MHD_create_response_from_callback: its reader copies queued bytes and,
 * with nothing queued, the broadcaster suspends the connection from inside
 * the reader and resumes it when data arrives, so an idle stream costs no
 * thread and no polling.  Word clouds come from the live thread's cache;
 * this file never counts words.
 */
#include "http/routes.h"
#include "live/events.h"
#include "live/live.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTE_SSE_BLOCK 16384

/* GET /api/workshops/ID/words?question_id=N */
enum MHD_Result route_words(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	const char *arg = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "question_id");
	const char *ws = p->workshop;
	json_t *ids = NULL, *v, *words;
	int64_t qid = 0;
	bool found = false;
	char *text = NULL;
	size_t i;
	int err;

	if (arg && !req_parse_id(arg, &qid))
		return http_error(r->conn, 404, "no such question");
	err = route_workshop_exists(r, ws);
	if (!err) {
		err = store_question_ids(r->app->store, ws, &ids);
	}
	if (err)
		return route_store_result(r, err, NULL, "workshop");
	json_array_foreach(ids, i, v)
		found |= json_integer_value(v) == qid;
	json_decref(ids);
	if (qid && !found)
		return http_error(r->conn, 404, "no such question");
	if ((err = live_words(r->app->live, ws, qid, &text)))
		return route_error(r, err, "out of memory");
	words = json_loads(text, 0, NULL);
	free(text);
	return http_json(r->conn, 200, json_pack("{s:o,s:o}", "question_id", qid ? json_integer(qid) : json_null(),
						 "words", words ? words : json_array()));
}

/* ---- the event stream ---- */

static void route_sse_sleep(void *conn)
{
	MHD_suspend_connection(conn);
}

static void route_sse_wake(void *conn)
{
	MHD_resume_connection(conn);
}

static ssize_t route_sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	ssize_t n = events_sub_read(cls, buf, max);

	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void route_sse_free(void *cls)
{
	events_unsubscribe(cls);
}

/* The snapshot event's data: workshop, plus latest answers, words and themes for presenters, and the vote. */
static int route_snapshot(struct http_req *r, const char *ws, bool answers, char **out)
{
	json_t *w = NULL, *latest = NULL, *words, *q;
	size_t i;
	int err;

	err = store_workshop_get(r->app->store, ws, false, &w);
	if (!err && answers)
		err = store_answer_latest(r->app->store, ws, &latest);
	if (!err && !(w = route_workshop_wire(r, w)))
		err = SRV_ENOMEM;
	if (err)
		goto out;
	if (answers) {
		json_object_set_new(w, "answers", latest);
		latest = NULL;
		words = json_object();
		json_array_foreach(json_object_get(w, "questions"), i, q) {
			char key[LIMIT_ID_TEXT], *text = NULL;
			json_int_t id = json_integer_value(json_object_get(q, "id"));
			snprintf(key, sizeof key, "%lld", (long long)id);
			if (!live_words(r->app->live, ws, id, &text))
				json_object_set_new(words, key, json_loads(text, 0, NULL));
			free(text);
		}
		json_object_set_new(w, "words", words);
		if ((err = route_themes_attach(r, ws, w)))
			goto out;
	}
	if ((err = route_votes_attach(r, ws, answers, w)))
		goto out;
	*out = json_dumps(w, JSON_COMPACT);
	err = *out ? SRV_OK : SRV_ENOMEM;
out:
	json_decref(w);
	json_decref(latest);
	return err;
}

/* GET /api/workshops/ID/events[?answers=1] */
enum MHD_Result route_events(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	bool answers = route_wants_answers(r);
	const char *ws = p->workshop;
	struct events_sub *sub = NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *snapshot = NULL;
	int err;

	err = route_workshop_exists(r, ws);
	if (err)
		return route_store_result(r, err, NULL, "workshop");
	/* Subscribe before reading the snapshot so no change falls in between. */
	err = events_subscribe(r->app->events, ws, answers, route_sse_sleep, route_sse_wake, r->conn, &sub);
	if (err == SRV_ESTOPPED)
		return route_error(r, err, "the server is shutting down");
	if (err)
		return route_error(r, err, srv_strerror(err));
	err = route_snapshot(r, ws, answers, &snapshot);
	if (!err)
		err = events_sub_prepend(sub, EVENTS_SNAPSHOT, snapshot);
	free(snapshot);
	if (err) {
		events_unsubscribe(sub);
		/* Whatever failed (the store, memory, a snapshot over the queue's cap), the stream is lost. */
		return route_store_result(r, err == SRV_ENOTFOUND ? err : SRV_EDB, NULL, "workshop");
	}
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, ROUTE_SSE_BLOCK, route_sse_read, sub,
						 route_sse_free);
	if (!resp) {
		events_unsubscribe(sub);
		return MHD_NO;
	}
	http_security_headers(resp);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/*
 * api.c - routes of docs/API.md.
 *
 * Each route checks, in this order: method (405), key (401), content type
 * (415), JSON shape (400), field rules (422), then touches the store.
 * Answers are the exception to "touch the store here": they are handed to
 * the writer thread with the connection suspended, and answered when the
 * writer resumes it after COMMIT.  Reads use the handlers' one shared
 * connection under app->store_lock; every store call is short.
 * Paths, ids and bodies are parsed by request.c, which knows nothing of
 * libmicrohttpd or SQLite so that it can be fuzzed; this file only decides
 * what to do with what it returns.
 */
#include "http/api.h"
#include "curate/vocab.h"
#include "live/events.h"
#include "live/live.h"
#include "http/qr.h"
#include "wire/request.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_URL_MAX 512
#define API_SSE_BLOCK 16384

enum MHD_Result api_retry_later(struct MHD_Connection *c, unsigned status, const char *msg, unsigned secs)
{
	char value[16];

	snprintf(value, sizeof value, "%u", secs);
	return http_error_header(c, status, msg, "Retry-After", value);
}

static enum MHD_Result api_method_not_allowed(struct MHD_Connection *c, const char *allow)
{
	return http_error_header(c, 405, "method not allowed", "Allow", allow);
}

/* SRV_OK when the request carries an active facilitator key. */
static int api_auth(struct http_req *r, int64_t *key_id)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	int err;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return SRV_EAUTH;
	h += 7;
	while (*h == ' ')
		h++;
	if (!*h || strlen(h) > 256)
		return SRV_EAUTH;
	pthread_mutex_lock(&r->app->store_lock);
	err = store_key_verify(r->app->store, h, key_id);
	pthread_mutex_unlock(&r->app->store_lock);
	return err;
}

/* 415 unless the body is declared JSON; *ret then holds the handler's return value. */
bool api_json_type(struct http_req *r, enum MHD_Result *ret)
{
	if (req_is_json_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return true;
	*ret = http_error(r->conn, 415, "Content-Type must be application/json");
	return false;
}

/* Send the error a request parser found. */
enum MHD_Result api_refuse(struct http_req *r, const struct req_error *err)
{
	return http_error(r->conn, err->status, err->msg);
}

/* ---- answers ---- */

static void api_answer_done(struct writer_job *job)
{
	struct http_req *r = job->arg;

	r->state = HTTP_REQ_WRITTEN;
	MHD_resume_connection(r->conn);
}

static enum MHD_Result api_answer_result(struct http_req *r)
{
	struct MHD_Connection *c = r->conn;
	json_t *answer;

	switch (r->job.err) {
	case SRV_OK:
		answer = r->job.out.answer;
		r->job.out.answer = NULL;
		return http_json(c, r->job.out.created ? 201 : 200, answer);
	case SRV_ENOTFOUND:
		return http_error(c, 404, "unknown join code or question");
	case SRV_ECONFLICT:
		return http_error(c, 409, "answer_id already used for a different question or text");
	case SRV_ECLOSED:
		return http_error(c, 409, "the question is closed");
	case SRV_EINVAL:
		return http_error(c, 422, "organisation is not in the workshop's list");
	case SRV_ERATE:
		return api_retry_later(c, 429, "too many answers, try again later", r->retry_after);
	case SRV_ESTOPPED:
		return api_retry_later(c, 503, "the server is shutting down", 5);
	case SRV_EFULL:
		return api_retry_later(c, 503, "the server is busy", 1);
	default:
		return api_retry_later(c, 503, "could not store the answer", 1);
	}
}

static enum MHD_Result api_post_answer(struct http_req *r)
{
	struct writer_job *job = &r->job;
	struct req_answer *a = &r->answer;
	struct req_error rerr;
	enum MHD_Result ret;
	char ip[64];
	int err;

	if (atomic_load(&r->app->stopping))
		return api_retry_later(r->conn, 503, "the server is shutting down", 5);
	if (!api_json_type(r, &ret))
		return ret;
	if (!req_answer_parse(r->body.data, r->body.len, a, &rerr))
		return api_refuse(r, &rerr);

	memset(job, 0, sizeof *job);
	job->in.code = a->code;
	job->in.question_id = a->question_id;
	job->in.answer_id = a->answer_id;
	job->in.client_id = a->client_id;
	job->in.text = a->text;
	job->in.group = a->group;
	job->in.organisation = a->organisation;
	job->done = api_answer_done;
	job->arg = r;
	if (a->client_id) {
		snprintf(r->rate_key, sizeof r->rate_key, "c:%s", a->client_id);
	} else {
		http_client_ip(r->conn, ip, sizeof ip);
		snprintf(r->rate_key, sizeof r->rate_key, "i:%s", ip);
	}
	/* Out of tokens is not yet a 429: a retry of a stored answer must still get 200. */
	if (ratelimit_take(&r->app->rate, r->rate_key, ratelimit_now(), &r->retry_after))
		job->rate_key = r->rate_key;
	else
		job->in.retry_only = true;

	/* Suspend before submitting, so the writer can never resume us first. */
	r->state = HTTP_REQ_WRITING;
	MHD_suspend_connection(r->conn);
	err = writer_submit(r->app->writer, job);
	if (err) {
		if (job->rate_key)
			ratelimit_refund(&r->app->rate, r->rate_key, ratelimit_now());
		job->err = err;
		r->state = HTTP_REQ_WRITTEN;
		MHD_resume_connection(r->conn);
	}
	return MHD_YES;
}

static enum MHD_Result api_patch_answer(struct http_req *r, int64_t id)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *answer = NULL;
	bool hidden;
	int err;

	if (!api_json_type(r, &ret))
		return ret;
	if (!req_answer_patch_parse(r->body.data, r->body.len, &hidden, &rerr))
		return api_refuse(r, &rerr);
	pthread_mutex_lock(&r->app->store_lock);
	err = store_answer_set_hidden(r->app->store, id, hidden, &answer, ws);
	pthread_mutex_unlock(&r->app->store_lock);
	if (err)
		return api_store_result(r, err, NULL, "answer");
	if (hidden) {
		json_t *ev = json_pack("{s:O,s:O}", "id", json_object_get(answer, "id"),
				       "question_id", json_object_get(answer, "question_id"));
		events_publish_json(r->app->events, ws, EVENTS_ANSWERS, "hide", ev);
		json_decref(ev);
	} else {
		events_publish_json(r->app->events, ws, EVENTS_ANSWERS, "answer", answer);
	}
	live_mark(r->app->live, ws, json_integer_value(json_object_get(answer, "question_id")));
	return http_json(r->conn, 200, answer);
}

/* ---- questions and workshops ---- */

static enum MHD_Result api_patch_question(struct http_req *r, int64_t id)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *q = NULL;
	bool open;
	int err;

	if (!api_json_type(r, &ret))
		return ret;
	if (!req_question_patch_parse(r->body.data, r->body.len, &open, &rerr))
		return api_refuse(r, &rerr);
	pthread_mutex_lock(&r->app->store_lock);
	err = store_question_set_open(r->app->store, id, open, &q, ws);
	pthread_mutex_unlock(&r->app->store_lock);
	if (err)
		return api_store_result(r, err, NULL, "question");
	events_publish_json(r->app->events, ws, EVENTS_ALL, "question", q);
	return http_json(r->conn, 200, q);
}

static enum MHD_Result api_post_workshop(struct http_req *r, int64_t key_id)
{
	char base[API_URL_MAX], url[API_URL_MAX + 16];
	struct req_workshop in;
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *w = NULL;
	int err;

	if (!api_json_type(r, &ret))
		return ret;
	if (!req_workshop_parse(r->body.data, r->body.len, &in, &rerr))
		return api_refuse(r, &rerr);
	pthread_mutex_lock(&r->app->store_lock);
	err = store_workshop_create(r->app->store, key_id, in.title, in.organisations, in.questions, &w);
	pthread_mutex_unlock(&r->app->store_lock);
	req_workshop_free(&in);
	if (err)
		return http_error(r->conn, 500, "could not create the workshop");
	http_base_url(r, base, sizeof base);
	snprintf(url, sizeof url, "%s/j/%s", base, json_string_value(json_object_get(w, "code")));
	json_object_set_new(w, "join_url", json_string(url));
	return http_json(r->conn, 201, w);
}

/* Does workshop `id` exist?  SRV_OK, SRV_ENOTFOUND or SRV_EDB. */
int api_workshop_exists(struct http_req *r, const char *id)
{
	char code[LIMIT_CODE_LEN + 1];
	int err;

	pthread_mutex_lock(&r->app->store_lock);
	err = store_workshop_code(r->app->store, id, code);
	pthread_mutex_unlock(&r->app->store_lock);
	return err;
}

enum MHD_Result api_store_result(struct http_req *r, int err, json_t *obj, const char *what)
{
	char msg[64];

	if (err == SRV_ENOTFOUND) {
		snprintf(msg, sizeof msg, "no such %s", what);
		return http_error(r->conn, 404, msg);
	}
	if (err)
		return http_error(r->conn, 500, "database error");
	return http_json(r->conn, 200, obj);
}

/* ---- participant reads ---- */

static enum MHD_Result api_join(struct http_req *r, const char *code)
{
	json_t *w = NULL;
	int err;

	pthread_mutex_lock(&r->app->store_lock);
	err = store_workshop_by_code(r->app->store, code, &w);
	pthread_mutex_unlock(&r->app->store_lock);
	if (!err)
		err = api_vote_attach(r, json_string_value(json_object_get(w, "id")), false, w);
	return api_store_result(r, err, w, "join code");
}

static enum MHD_Result api_qr(struct http_req *r, const char *code)
{
	char base[API_URL_MAX], url[API_URL_MAX + 16], *svg = NULL;
	json_t *w = NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len;
	int err;

	pthread_mutex_lock(&r->app->store_lock);
	err = store_workshop_by_code(r->app->store, code, &w);
	pthread_mutex_unlock(&r->app->store_lock);
	if (err)
		return api_store_result(r, err, NULL, "join code");
	http_base_url(r, base, sizeof base);
	snprintf(url, sizeof url, "%s/j/%s", base, json_string_value(json_object_get(w, "code")));
	json_decref(w);
	if (qr_svg(url, &svg, &len))
		return http_error(r->conn, 500, "could not make the QR code");
	resp = MHD_create_response_from_buffer(len, svg, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(svg);
		return MHD_NO;
	}
	http_security_headers(resp);
	MHD_add_response_header(resp, "Content-Type", "image/svg+xml");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result api_words(struct http_req *r, const char *ws)
{
	const char *arg = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "question_id");
	json_t *ids = NULL, *v, *words;
	int64_t qid = 0;
	bool found = false;
	char *text = NULL;
	size_t i;
	int err;

	if (arg && !req_parse_id(arg, &qid))
		return http_error(r->conn, 404, "no such question");
	err = api_workshop_exists(r, ws);
	if (!err) {
		pthread_mutex_lock(&r->app->store_lock);
		err = store_question_ids(r->app->store, ws, &ids);
		pthread_mutex_unlock(&r->app->store_lock);
	}
	if (err)
		return api_store_result(r, err, NULL, "workshop");
	json_array_foreach(ids, i, v)
		found |= json_integer_value(v) == qid;
	json_decref(ids);
	if (qid && !found)
		return http_error(r->conn, 404, "no such question");
	if (live_words(r->app->live, ws, qid, &text))
		return http_error(r->conn, 500, "out of memory");
	words = json_loads(text, 0, NULL);
	free(text);
	return http_json(r->conn, 200, json_pack("{s:o,s:o}", "question_id", qid ? json_integer(qid) : json_null(),
						 "words", words ? words : json_array()));
}

/* ---- event stream ---- */

static void api_sse_sleep(void *conn)
{
	MHD_suspend_connection(conn);
}

static void api_sse_wake(void *conn)
{
	MHD_resume_connection(conn);
}

static ssize_t api_sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	ssize_t n = events_sub_read(cls, buf, max);

	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : n;
}

static void api_sse_free(void *cls)
{
	events_unsubscribe(cls);
}

/* The snapshot event's data: workshop, plus latest answers and words for presenters. */
static int api_snapshot(struct http_req *r, const char *ws, bool answers, char **out)
{
	char base[API_URL_MAX];
	json_t *w = NULL, *latest = NULL, *words, *q;
	size_t i;
	int err;

	http_base_url(r, base, sizeof base);
	pthread_mutex_lock(&r->app->store_lock);
	err = store_workshop_get(r->app->store, ws, false, base, &w);
	if (!err && answers)
		err = store_answer_latest(r->app->store, ws, &latest);
	pthread_mutex_unlock(&r->app->store_lock);
	if (err)
		goto out;
	if (answers) {
		json_object_set_new(w, "answers", latest);
		latest = NULL;
		words = json_object();
		json_array_foreach(json_object_get(w, "questions"), i, q) {
			char key[24], *text = NULL;
			json_int_t id = json_integer_value(json_object_get(q, "id"));
			snprintf(key, sizeof key, "%lld", (long long)id);
			if (!live_words(r->app->live, ws, id, &text))
				json_object_set_new(words, key, json_loads(text, 0, NULL));
			free(text);
		}
		json_object_set_new(w, "words", words);
		if ((err = api_synth_attach(r, ws, w)))
			goto out;
	}
	if ((err = api_vote_attach(r, ws, answers, w)))
		goto out;
	*out = json_dumps(w, JSON_COMPACT);
	err = *out ? SRV_OK : SRV_ENOMEM;
out:
	json_decref(w);
	json_decref(latest);
	return err;
}

static enum MHD_Result api_events(struct http_req *r, const char *ws)
{
	const char *arg = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "answers");
	bool answers = arg && strcmp(arg, "1") == 0;
	struct events_sub *sub = NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *snapshot = NULL;
	int err;

	err = api_workshop_exists(r, ws);
	if (err)
		return api_store_result(r, err, NULL, "workshop");
	/* Subscribe before reading the snapshot so no change falls in between. */
	err = events_subscribe(r->app->events, ws, answers, api_sse_sleep, api_sse_wake, r->conn, &sub);
	if (err == SRV_ESTOPPED)
		return api_retry_later(r->conn, 503, "the server is shutting down", 5);
	if (err)
		return http_error(r->conn, 500, "out of memory");
	err = api_snapshot(r, ws, answers, &snapshot);
	if (!err)
		err = events_sub_prepend(sub, "snapshot", snapshot);
	free(snapshot);
	if (err) {
		events_unsubscribe(sub);
		return api_store_result(r, err == SRV_ENOTFOUND ? err : SRV_EDB, NULL, "workshop");
	}
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, API_SSE_BLOCK, api_sse_read, sub, api_sse_free);
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

/* ---- dispatch ---- */

static enum MHD_Result api_facilitator(struct http_req *r, const struct req_route *rt, const char *method,
				       int64_t key_id)
{
	char base[API_URL_MAX];
	json_t *obj = NULL;
	int64_t id;
	int err;

	if (req_is(rt, 1, "workshops", NULL)) {
		if (strcmp(method, "POST") == 0)
			return api_post_workshop(r, key_id);
		http_base_url(r, base, sizeof base);
		pthread_mutex_lock(&r->app->store_lock);
		err = store_workshop_list(r->app->store, base, &obj);
		pthread_mutex_unlock(&r->app->store_lock);
		return api_store_result(r, err, obj, "workshop");
	}
	if (req_is(rt, 2, "workshops", NULL)) {
		if (strcmp(method, "PATCH") == 0)
			return api_synth_patch_workshop(r, rt->seg[1]);
		http_base_url(r, base, sizeof base);
		pthread_mutex_lock(&r->app->store_lock);
		err = store_workshop_get(r->app->store, rt->seg[1], true, base, &obj);
		pthread_mutex_unlock(&r->app->store_lock);
		return api_store_result(r, err, obj, "workshop");
	}
	if (req_is(rt, 3, "workshops", "answers")) {
		err = api_workshop_exists(r, rt->seg[1]);
		if (!err) {
			pthread_mutex_lock(&r->app->store_lock);
			err = store_answer_list(r->app->store, rt->seg[1], &obj);
			pthread_mutex_unlock(&r->app->store_lock);
		}
		return api_store_result(r, err, obj, "workshop");
	}
	if (req_is(rt, 2, "questions", NULL))
		return req_parse_id(rt->seg[1], &id) ? api_patch_question(r, id)
						     : http_error(r->conn, 404, "no such question");
	if (req_is(rt, 2, "answers", NULL))
		return req_parse_id(rt->seg[1], &id) ? api_patch_answer(r, id)
						     : http_error(r->conn, 404, "no such answer");
	return http_error(r->conn, 404, "not found");
}

enum MHD_Result api_handle(struct http_req *r, const char *url, const char *method)
{
	struct req_route rt;
	const char *allow = NULL;
	bool facilitator = false;
	int64_t key_id = 0;
	int err;

	if (r->state == HTTP_REQ_WRITTEN)
		return api_answer_result(r);
	if (!req_split(url, &rt) || rt.n == 0)
		return http_error(r->conn, 404, "not found");

	/* Which methods each known route takes, and whether it needs a key. */
	if (req_is(&rt, 1, "health", NULL) || req_is(&rt, 1, "decision-kinds", NULL) || req_is(&rt, 2, "join", NULL) ||
	    req_is(&rt, 3, "join", "qr.svg") ||
	    req_is(&rt, 3, "workshops", "events") || req_is(&rt, 3, "workshops", "words")) {
		allow = "GET, HEAD";
	} else if (req_is(&rt, 1, "answers", NULL)) {
		allow = "POST";
	} else if (req_is(&rt, 1, "workshops", NULL)) {
		allow = "GET, HEAD, POST";
		facilitator = true;
	} else if (req_is(&rt, 2, "workshops", NULL)) {
		allow = "GET, HEAD, PATCH";
		facilitator = true;
	} else if (req_is(&rt, 3, "workshops", "answers")) {
		allow = "GET, HEAD";
		facilitator = true;
	} else if (req_is(&rt, 2, "questions", NULL) || req_is(&rt, 2, "answers", NULL)) {
		allow = "PATCH";
		facilitator = true;
	}
	if (!allow)
		allow = api_synth_allow(&rt, &facilitator);
	if (!allow)
		allow = api_vote_allow(&rt, &facilitator);
	if (!allow)
		return http_error(r->conn, 404, "not found");
	if (!req_method_allowed(allow, method))
		return api_method_not_allowed(r->conn, allow);

	if (facilitator) {
		err = api_auth(r, &key_id);
		if (err == SRV_EAUTH)
			return http_error(r->conn, 401, "a valid facilitator key is required");
		if (err)
			return http_error(r->conn, 500, "database error");
		if (api_synth_allow(&rt, &facilitator))
			return api_synth_handle(r, &rt, method, key_id);
		if (api_vote_allow(&rt, &facilitator))
			return api_vote_handle(r, &rt, method, key_id);
		return api_facilitator(r, &rt, method, key_id);
	}
	if (api_vote_allow(&rt, &facilitator))
		return api_vote_handle(r, &rt, method, 0);
	if (req_is(&rt, 1, "health", NULL))
		return http_json(r->conn, 200, json_pack("{s:b}", "ok", 1));
	if (req_is(&rt, 1, "decision-kinds", NULL))
		return http_json(r->conn, 200, vocab_json());
	if (req_is(&rt, 2, "join", NULL))
		return api_join(r, rt.seg[1]);
	if (req_is(&rt, 3, "join", "qr.svg"))
		return api_qr(r, rt.seg[1]);
	if (req_is(&rt, 3, "workshops", "events"))
		return api_events(r, rt.seg[1]);
	if (req_is(&rt, 3, "workshops", "words"))
		return api_words(r, rt.seg[1]);
	return api_post_answer(r);
}

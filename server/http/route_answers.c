/*
 * route_answers.c - answers: the phones' POST, which goes through the
 * writer thread, and the facilitator's hiding, letting through and full
 * list.
 *
 * An answer is the one route that does not touch the store itself: the
 * handler validates it, suspends the connection and hands a job to the
 * writer, which resumes the connection after COMMIT; the daemon then
 * routes the request again and this file replies with the job's result.
 * What lives across that suspension (the parsed body the job points into,
 * the rate-limit key, the job) is one struct route_answer_job that the request
 * owns through http_req_keep, so nothing outside this file knows of it.
 * Whether the text holds personal data is found here, before the writer
 * stores it (analysis/text/pii.h); with the server's hold on, such an
 * answer is stored held: off the projector until let through.
 */
#include "http/routes.h"
#include "text/pii.h"
#include "live/hub.h"
#include "live/writer.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* POST /api/answers while the writer has it. */
struct route_answer_job {
	struct req_answer answer;     /* the parsed body; the job's strings point into it */
	char rate_key[96];            /* "c:CLIENT_ID" or "i:IP" */
	unsigned retry_after;         /* seconds until the phone's bucket has a token */
	struct writer_job job;
};

static void route_answer_job_free(void *state)
{
	struct route_answer_job *ap = state;

	req_answer_free(&ap->answer);
	json_decref(ap->job.out.answer);
	free(ap);
}

/* The writer's `done`, on the writer thread. */
static void route_answer_written(struct writer_job *job)
{
	http_req_resume(job->arg);
}

/* The reply once the writer is done with the job. */
static enum MHD_Result route_answer_reply(struct http_req *r, struct route_answer_job *ap)
{
	int err = ap->job.err;
	json_t *answer;
	char msg[80];

	switch (err) {
	case SRV_OK:
		answer = ap->job.out.answer;
		ap->job.out.answer = NULL;
		return http_json(r->conn, ap->job.out.created ? 201 : 200, answer);
	case SRV_ENOTFOUND:
		return route_error(r, err, "unknown join code or question");
	case SRV_ECONFLICT:
		return route_error(r, err, "answer_id already used for a different question or text");
	case SRV_ECLOSED:
		return route_error(r, err, "the question is closed");
	case SRV_EGONE:
		return route_error(r, err, "the workshop is closed");
	case SRV_ELIMIT:
		snprintf(msg, sizeof msg, "the workshop has reached its limit of %lld answers",
			 (long long)r->app->max_answers);
		return route_error(r, err, msg);
	case SRV_EINVAL:
		return route_error(r, err, "organisation is not in the workshop's list");
	case SRV_ERATE:
		return route_retry_later(r, route_status(err), "too many answers, try again later", ap->retry_after);
	case SRV_ESTOPPED:
		return route_error(r, err, "the server is shutting down");
	case SRV_EFULL:
		return route_error(r, err, "the server is busy");
	default:
		/* The batch rolled back, so nothing is stored: a phone's write is worth retrying. */
		return route_retry_later(r, 503, "could not store the answer", 1);
	}
}

/* POST /api/answers */
enum MHD_Result route_answer_post(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	const struct req_answer *a;
	struct route_answer_job *ap;
	struct writer_job *job;
	struct req_answer in;
	struct req_error rerr;
	enum MHD_Result ret;
	char ip[64];
	int err;

	if (r->state == HTTP_REQ_WRITTEN) {
		assert(r->route_state);
		return route_answer_reply(r, r->route_state);
	}
	if (atomic_load(&r->app->stopping))
		return route_error(r, SRV_ESTOPPED, "the server is shutting down");
	if (!route_json_type(r, &ret))
		return ret;
	if (!req_answer_parse(r->body.data, r->body.len, &in, &rerr))
		return route_refuse(r, &rerr);
	ap = calloc(1, sizeof *ap);
	if (!ap) {
		req_answer_free(&in);
		return route_error(r, SRV_ENOMEM, "out of memory");
	}
	ap->answer = in;              /* the strings move with it */
	http_req_keep(r, ap, route_answer_job_free);
	a = &ap->answer;

	job = &ap->job;
	job->in.code = a->code;
	job->in.question_id = a->question_id;
	job->in.answer_id = a->answer_id;
	job->in.client_id = a->client_id;
	job->in.text = a->text;
	job->in.group = a->group;
	job->in.organisation = a->organisation;
	job->in.max_answers = r->app->max_answers;
	/* Found here, on the request's thread, so the writer's batch pays nothing for it. */
	job->in.flagged = pii_found(a->text, strlen(a->text));
	job->in.held = r->app->pii_hold;
	job->done = route_answer_written;
	job->arg = r;
	if (a->client_id) {
		snprintf(ap->rate_key, sizeof ap->rate_key, "c:%s", a->client_id);
	} else {
		http_client_ip(r->conn, ip, sizeof ip);
		snprintf(ap->rate_key, sizeof ap->rate_key, "i:%s", ip);
	}
	/* Out of tokens is not yet a 429: a retry of a stored answer must still get 200. */
	if (ratelimit_take(&r->app->rate, ap->rate_key, ratelimit_now(), &ap->retry_after))
		job->rate_key = ap->rate_key;
	else
		job->in.retry_only = true;

	/* Suspend before submitting, so the writer can never resume us first. */
	http_req_suspend(r);
	err = writer_submit(r->app->writer, job);
	if (err) {
		if (job->rate_key)
			ratelimit_refund(&r->app->rate, ap->rate_key, ratelimit_now());
		job->err = err;
		http_req_resume(r);
	}
	return MHD_YES;
}

/* PATCH /api/answers/ID: hide or show it, let it through or hold it again. */
enum MHD_Result route_answer_patch(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct req_answer_patch patch;
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *answer = NULL;
	int64_t id;
	int err = SRV_OK;

	if (!req_parse_id(p->id, &id))
		return http_error(r->conn, 404, "no such answer");
	if (!route_json_type(r, &ret))
		return ret;
	if (!req_answer_patch_parse(r->body.data, r->body.len, &patch, &rerr))
		return route_refuse(r, &rerr);
	if (patch.set_hidden) {
		err = store_answer_set_hidden(r->app->store, id, patch.hidden, &answer, ws);
		if (!err)
			hub_answer_hidden(&r->app->hub, ws, answer, patch.hidden);
	}
	if (!err && patch.set_released) {
		json_decref(answer);
		answer = NULL;
		err = store_answer_set_held(r->app->store, id, !patch.released, &answer, ws);
		if (!err)
			hub_answer_held(&r->app->hub, ws, answer);
	}
	if (err) {
		json_decref(answer);
		return route_store_result(r, err, NULL, "answer");
	}
	if (patch.set_hidden)
		route_audit(r, key_id, patch.hidden ? STORE_AUDIT_ANSWER_HIDE : STORE_AUDIT_ANSWER_SHOW, ws, NULL,
			    json_pack("{s:I}", "answer", (json_int_t)id));
	if (patch.set_released)
		route_audit(r, key_id, patch.released ? STORE_AUDIT_ANSWER_RELEASE : STORE_AUDIT_ANSWER_HOLD, ws, NULL,
			    json_pack("{s:I}", "answer", (json_int_t)id));
	return http_json(r->conn, 200, answer);
}

/* GET /api/workshops/ID/answers */
enum MHD_Result route_answer_list(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *obj = NULL;
	int err;

	err = route_workshop_exists(r, p->workshop);
	if (!err) {
		err = store_answer_list(r->app->store, p->workshop, &obj);
	}
	if (!err && !(obj = json_pack("{s:o}", "answers", obj)))
		err = SRV_ENOMEM;
	return route_store_result(r, err, obj, "workshop");
}

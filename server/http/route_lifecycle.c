/*
 * route_lifecycle.c - the end of a workshop's life and a participant's
 * rights: close and reopen a workshop, delete a workshop or a series,
 * erase one participant's answers and ballots by the code their phone
 * shows, and the participant token a phone gets when it joins.
 *
 * Every change is one store call (one transaction) followed by the hub,
 * so the room's screens and the syntheses forget what is gone.  Deleting
 * asks for the id or the exact title in the body: the API's confirmation,
 * so that a wrong id or a slip of the mouse deletes nothing.  What
 * docs/PRIVACY.md promises about these routes is implemented here and in
 * the store; the audit log (another part) hooks in at the "audit:" marks.
 */
#include "http/routes.h"
#include "base/ptoken.h"
#include "base/srv_err.h"
#include "live/hub.h"
#include "live/ratelimit.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTE_TOKEN_HEADER "X-Participant-Token"

/* The workshop after a close or reopen, as the API shows it. */
static enum MHD_Result route_workshop_closed_reply(struct http_req *r, const struct req_params *p, int64_t key_id,
						   bool closed)
{
	json_t *w = NULL;
	int err;

	err = store_workshop_set_closed(r->app->store, p->workshop, closed, &w);
	if (!err)
		route_audit(r, key_id, closed ? STORE_AUDIT_WORKSHOP_CLOSE : STORE_AUDIT_WORKSHOP_REOPEN, p->workshop,
			    NULL, NULL);
	if (!err && !(w = route_workshop_wire(r, w)))
		err = SRV_ENOMEM;
	return route_store_result(r, err, w, "workshop");
}

/* POST /api/workshops/ID/close */
enum MHD_Result route_workshop_close(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	return route_workshop_closed_reply(r, p, key_id, true);
}

/* POST /api/workshops/ID/reopen */
enum MHD_Result route_workshop_reopen(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	return route_workshop_closed_reply(r, p, key_id, false);
}

/*
 * Read {"confirm"} and check it names `obj` (a workshop or series object:
 * its "id" or exact "title").  True when it does; otherwise the reply is
 * queued into *ret.
 */
static bool route_confirmed(struct http_req *r, const json_t *obj, const char *what, enum MHD_Result *ret)
{
	struct req_error rerr;
	char *confirm = NULL, msg[96];
	bool ok;

	if (!route_json_type(r, ret))
		return false;
	if (!req_confirm_parse(r->body.data, r->body.len, &confirm, &rerr)) {
		*ret = route_refuse(r, &rerr);
		return false;
	}
	ok = strcmp(confirm, json_string_value(json_object_get(obj, "id"))) == 0 ||
	     strcmp(confirm, json_string_value(json_object_get(obj, "title"))) == 0;
	free(confirm);
	if (!ok) {
		snprintf(msg, sizeof msg, "confirm must be the %s's id or exact title", what);
		*ret = http_error(r->conn, 422, msg);
	}
	return ok;
}

/* DELETE /api/workshops/ID */
enum MHD_Result route_workshop_delete(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *w = NULL, *gone = NULL;
	enum MHD_Result ret;
	int err;

	err = store_workshop_get(r->app->store, p->workshop, false, &w);
	if (err)
		return route_store_result(r, err, NULL, "workshop");
	if (!route_confirmed(r, w, "workshop", &ret)) {
		json_decref(w);
		return ret;
	}
	json_decref(w);
	err = store_workshop_delete(r->app->store, p->workshop, &gone);
	if (err)
		return route_store_result(r, err, NULL, "workshop");
	route_audit(r, key_id, STORE_AUDIT_WORKSHOP_DELETE, p->workshop, NULL, json_deep_copy(gone));
	hub_workshop_deleted(&r->app->hub, p->workshop, json_string_value(json_object_get(gone, "series")));
	return http_json(r->conn, 200, gone);
}

/* DELETE /api/series/SID */
enum MHD_Result route_series_delete(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *series = NULL, *gone = NULL;
	enum MHD_Result ret;
	int err;

	err = store_series_get(r->app->store, p->series, &series);
	if (err)
		return route_store_result(r, err, NULL, "series");
	if (!route_confirmed(r, series, "series", &ret)) {
		json_decref(series);
		return ret;
	}
	json_decref(series);
	err = store_series_delete(r->app->store, p->series, &gone);
	if (err)
		return route_store_result(r, err, NULL, "series");
	route_audit(r, key_id, STORE_AUDIT_SERIES_DELETE, NULL, p->series, json_deep_copy(gone));
	hub_series_changed(&r->app->hub, p->series);
	return http_json(r->conn, 200, gone);
}

/* POST /api/workshops/ID/erase */
enum MHD_Result route_participant_erase(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char code[PCODE_LEN + 1];
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *res = NULL, *vote = NULL;
	int err;

	if (!route_json_type(r, &ret))
		return ret;
	if (!req_erase_parse(r->body.data, r->body.len, code, &rerr))
		return route_refuse(r, &rerr);
	/* The vote lock: erased ballots change the results the presenters see, in commit order. */
	pthread_mutex_lock(&r->app->vote_lock);
	err = store_participant_erase(r->app->store, p->workshop, code, &res);
	if (!err && json_integer_value(json_object_get(res, "ballots")) > 0 &&
	    !store_vote_current(r->app->store, p->workshop, &vote) && !json_is_null(vote))
		hub_vote_changed(&r->app->hub, p->workshop, vote);
	pthread_mutex_unlock(&r->app->vote_lock);
	json_decref(vote);
	if (err)
		return route_store_result(r, err, NULL, "workshop");
	route_audit(r, key_id, STORE_AUDIT_PARTICIPANT_ERASE, p->workshop, NULL,
		    json_pack("{s:s,s:O,s:O}", "code", code, "answers", json_object_get(res, "answers"), "ballots",
			      json_object_get(res, "ballots")));
	hub_answers_erased(&r->app->hub, p->workshop, json_object_get(res, "erased"));
	json_object_del(res, "erased");
	if (json_integer_value(json_object_get(res, "answers")) == 0 &&
	    json_integer_value(json_object_get(res, "ballots")) == 0) {
		json_decref(res);
		return http_error(r->conn, 404, "no answers or ballots with that participant code in this workshop");
	}
	return http_json(r->conn, 200, res);
}

enum srv_err route_join_token(struct http_req *r, const char *ws, json_t *obj)
{
	unsigned char secret[PTOKEN_SECRET_LEN];
	const char *held = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, ROUTE_TOKEN_HEADER);
	char token[PTOKEN_LEN + 1], voter[PTOKEN_VOTER_LEN + 1], key[80], ip[64];
	json_t *value;
	int err;

	err = store_secret(r->app->store, secret);
	if (err)
		return err;
	/* A phone that kept its token gets it back, and spends none of its address's budget. */
	if (held && ptoken_check(secret, ws, held, voter) == SRV_OK) {
		value = json_string(held);
	} else {
		http_client_ip(r->conn, ip, sizeof ip);
		snprintf(key, sizeof key, "j:%s", ip);
		if (ratelimit_take(&r->app->token_rate, key, ratelimit_now(), NULL)) {
			err = ptoken_issue(secret, ws, token);
			value = err ? NULL : json_string(token);
		} else {
			/* The phone can answer without one and asks again when it votes. */
			value = json_null();
		}
	}
	if (err)
		return err;
	return json_object_set_new(obj, "token", value) ? SRV_ENOMEM : SRV_OK;
}

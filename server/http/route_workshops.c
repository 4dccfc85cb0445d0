/*
 * route_workshops.c - workshops and their questions (facilitator), and
 * joining one by its code (phones: the workshop object and its QR code).
 *
 * Every route here is a few indexed statements on the handlers' shared
 * store; changes to a question reach the room through the hub.  The store
 * knows nothing of URLs: join_url is added here (route_workshop_wire).
 *
 * A join code is the only secret between the room and its workshop, so
 * every lookup by code is charged to the caller's network (app->join_rate):
 * a wrong code costs RATELIMIT_JOIN_MISS_COST tokens, a right one a single
 * token, which lets a room behind one NAT address in and keeps guessing slow.
 */
#include "http/routes.h"
#include "http/qr.h"
#include "live/hub.h"
#include "live/ratelimit.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where phones join workshop `code`: "BASE/j/CODE" into `out`. */
static void route_join_url(struct http_req *r, const char *code, char *out, size_t size)
{
	char base[ROUTE_URL_MAX];

	http_base_url(r, base, sizeof base);
	snprintf(out, size, "%s/j/%s", base, code ? code : "");
}

json_t *route_workshop_wire(struct http_req *r, json_t *w)
{
	char url[ROUTE_URL_MAX + 16];
	json_t *out = w ? json_object() : NULL, *v;
	const char *k;
	bool ok = out != NULL;

	route_join_url(r, json_string_value(json_object_get(w, "code")), url, sizeof url);
	json_object_foreach(w, k, v) {
		ok = ok && !json_object_set(out, k, v);
		if (strcmp(k, "series") == 0)
			ok = ok && !json_object_set_new(out, "join_url", json_string(url));
	}
	json_decref(w);
	if (!ok) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* GET /api/workshops */
enum MHD_Result route_workshop_list(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *list = NULL, *arr = NULL, *w;
	size_t i;
	int err;

	err = store_workshop_list_for(r->app->store, key_id, &list);
	if (!err && !(arr = json_array()))
		err = SRV_ENOMEM;
	json_array_foreach(list, i, w)
		if (!err && json_array_append_new(arr, route_workshop_wire(r, json_incref(w))))
			err = SRV_ENOMEM;
	json_decref(list);
	if (err) {
		json_decref(arr);
		return route_store_result(r, err, NULL, "workshop");
	}
	return http_json(r->conn, 200, json_pack("{s:o}", "workshops", arr));
}

/* POST /api/workshops */
enum MHD_Result route_workshop_create(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char url[ROUTE_URL_MAX + 16];
	struct req_workshop in;
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *w = NULL;
	int err;

	if (!route_json_type(r, &ret))
		return ret;
	if (!req_workshop_parse(r->body.data, r->body.len, &in, &rerr))
		return route_refuse(r, &rerr);
	err = store_workshop_create(r->app->store, key_id, in.title, in.organisations, in.questions, &w);
	req_workshop_free(&in);
	if (err)
		return route_error(r, err, "could not create the workshop");
	route_audit(r, key_id, STORE_AUDIT_WORKSHOP_CREATE, json_string_value(json_object_get(w, "id")), NULL,
		    json_pack("{s:O}", "title", json_object_get(w, "title")));
	route_join_url(r, json_string_value(json_object_get(w, "code")), url, sizeof url);
	json_object_set_new(w, "join_url", json_string(url));
	if (route_presenter_attach(r, json_string_value(json_object_get(w, "id")), w)) {
		json_decref(w);
		return route_error(r, SRV_ENOMEM, "out of memory");
	}
	return http_json(r->conn, 201, w);
}

/* GET /api/workshops/ID */
enum MHD_Result route_workshop_get(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *obj = NULL;
	int err;

	err = store_workshop_get(r->app->store, p->workshop, true, &obj);
	if (!err && !(obj = route_workshop_wire(r, obj)))
		err = SRV_ENOMEM;
	if (!err)
		err = route_presenter_attach(r, p->workshop, obj);
	return route_store_result(r, err, obj, "workshop");
}

/* PATCH /api/questions/ID */
enum MHD_Result route_question_patch(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *q = NULL;
	int64_t id;
	bool open;
	int err;

	if (!req_parse_id(p->id, &id))
		return http_error(r->conn, 404, "no such question");
	if (!route_json_type(r, &ret))
		return ret;
	if (!req_question_patch_parse(r->body.data, r->body.len, &open, &rerr))
		return route_refuse(r, &rerr);
	err = store_question_set_open(r->app->store, id, open, &q, ws);
	if (err)
		return route_store_result(r, err, NULL, "question");
	hub_question_changed(&r->app->hub, ws, q);
	route_audit(r, key_id, open ? STORE_AUDIT_QUESTION_OPEN : STORE_AUDIT_QUESTION_CLOSE, ws, NULL,
		    json_pack("{s:I}", "question", (json_int_t)id));
	return http_json(r->conn, 200, q);
}

/*
 * Charge a lookup by code to the caller's network (`net`, HTTP_NET_MAX
 * bytes) at the cost of a wrong code; false when its budget is spent, and
 * *ret then holds the 429 with Retry-After.
 */
static bool route_join_charge(struct http_req *r, char *net, enum MHD_Result *ret)
{
	unsigned retry = 1;

	http_client_net(r->conn, net, HTTP_NET_MAX);
	if (ratelimit_take_n(&r->app->join_rate, net, RATELIMIT_JOIN_MISS_COST, ratelimit_now(), &retry))
		return true;
	*ret = route_retry_later(r, 429, "too many join codes tried from this network", retry);
	return false;
}

/* A lookup that found its workshop (or failed on our side) costs one token: give back the rest. */
static void route_join_settle(struct http_req *r, const char *net, int err)
{
	if (err != SRV_ENOTFOUND)
		ratelimit_refund_n(&r->app->join_rate, net, RATELIMIT_JOIN_MISS_COST - 1, ratelimit_now());
}

/* GET /api/join/CODE */
enum MHD_Result route_join(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char net[HTTP_NET_MAX];
	enum MHD_Result ret;
	json_t *w = NULL;
	int err;

	if (!route_join_charge(r, net, &ret))
		return ret;
	err = store_workshop_by_code(r->app->store, p->code, &w);
	route_join_settle(r, net, err);
	if (err == SRV_EGONE)
		return route_error(r, err, "this workshop is closed: its join code no longer works");
	if (!err)
		err = route_votes_attach(r, json_string_value(json_object_get(w, "id")), false, w);
	if (!err)
		err = route_join_token(r, json_string_value(json_object_get(w, "id")), w);
	if (err)
		json_decref(w);
	return route_store_result(r, err, err ? NULL : w, "join code");
}

/* GET /api/join/CODE/qr.svg */
enum MHD_Result route_join_qr(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char url[ROUTE_URL_MAX + 16], net[HTTP_NET_MAX], *svg = NULL;
	json_t *w = NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len;
	int err;

	if (!route_join_charge(r, net, &ret))
		return ret;
	err = store_workshop_by_code(r->app->store, p->code, &w);
	route_join_settle(r, net, err);
	if (err == SRV_EGONE)
		return route_error(r, err, "this workshop is closed: its join code no longer works");
	if (err)
		return route_store_result(r, err, NULL, "join code");
	route_join_url(r, json_string_value(json_object_get(w, "code")), url, sizeof url);
	json_decref(w);
	/* The URL is ours (base URL and a stored code), so failing to encode it is the server's fault. */
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

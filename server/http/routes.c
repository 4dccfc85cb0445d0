/*
 * routes.c - the one table of the API's routes, and the dispatch on it.
 *
 * Each row says which methods a path pattern takes, who may call it and
 * which handler serves it; nothing else decides a route.  The order of
 * refusals is fixed here for every route: unknown path 404, known path
 * with another method 405 (Allow lists every method of every row whose
 * pattern matches), facilitator row without an active key 401.  Paths are
 * split and matched by request.c (pure, fuzzed); this file only walks the
 * table.  It also holds what every handler shares, first the one mapping
 * from srv_err to HTTP status, so a code means the same status everywhere.
 */
#include "http/routes.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ROUTE_KEY_MAX 256          /* longest Bearer token looked up */

/* ---- errors ---- */

/* Each srv_err's status, indexed by -err; Retry-After seconds where the client should come back. */
static const struct {
	unsigned status;
	unsigned retry_after;
} route_statuses[] = {
	[-SRV_OK] = { 200, 0 },
	[-SRV_ENOMEM] = { 500, 0 },
	[-SRV_EDB] = { 500, 0 },
	[-SRV_ENOTFOUND] = { 404, 0 },
	[-SRV_ECONFLICT] = { 409, 0 },
	[-SRV_ECLOSED] = { 409, 0 },
	[-SRV_EUTF8] = { 422, 0 },
	[-SRV_EEMPTY] = { 422, 0 },
	[-SRV_ETOOLONG] = { 422, 0 },
	[-SRV_EINVAL] = { 422, 0 },
	[-SRV_EFULL] = { 503, 1 },
	[-SRV_ESTOPPED] = { 503, 5 },
	[-SRV_ERATE] = { 429, 0 },      /* Retry-After is the phone's bucket's: the answers route sends it */
	[-SRV_EAUTH] = { 401, 0 },
	[-SRV_ESYS] = { 500, 0 },
	[-SRV_EGONE] = { 410, 0 },
	[-SRV_ELIMIT] = { 409, 0 },
};

#define ROUTE_NSTATUSES (sizeof route_statuses / sizeof route_statuses[0])

unsigned route_status(int err)
{
	/* Not a code of enum srv_err: the server failed. */
	if (err > 0 || (size_t)-err >= ROUTE_NSTATUSES)
		return 500;
	assert(route_statuses[-err].status);
	return route_statuses[-err].status;
}

enum MHD_Result route_error(struct http_req *r, int err, const char *msg)
{
	unsigned status = route_status(err);

	assert(err != SRV_OK);
	if (err <= 0 && (size_t)-err < ROUTE_NSTATUSES && route_statuses[-err].retry_after)
		return route_retry_later(r, status, msg, route_statuses[-err].retry_after);
	return http_error(r->conn, status, msg);
}

enum MHD_Result route_retry_later(struct http_req *r, unsigned status, const char *msg, unsigned secs)
{
	char value[16];

	snprintf(value, sizeof value, "%u", secs);
	return http_error_header(r->conn, status, msg, "Retry-After", value);
}

bool route_json_type(struct http_req *r, enum MHD_Result *ret)
{
	if (req_is_json_type(MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return true;
	*ret = http_error(r->conn, 415, "Content-Type must be application/json");
	return false;
}

enum MHD_Result route_refuse(struct http_req *r, const struct req_error *err)
{
	return http_error(r->conn, err->status, err->msg);
}

enum MHD_Result route_store_result(struct http_req *r, int err, json_t *obj, const char *what)
{
	char msg[64];

	if (err == SRV_ENOTFOUND) {
		snprintf(msg, sizeof msg, "no such %s", what);
		return http_error(r->conn, 404, msg);
	}
	if (err)
		return route_error(r, err, "database error");
	return http_json(r->conn, 200, obj);
}

enum srv_err route_workshop_exists(struct http_req *r, const char *id)
{
	char code[LIMIT_CODE_LEN + 1];
	int err;

	err = store_workshop_code(r->app->store, id, code);
	return err;
}

/* ---- the table ---- */

enum route_who {
	ROUTE_PARTICIPANT,            /* anyone: phones, the presenter screen */
	ROUTE_FACILITATOR,            /* an active facilitator key (Authorization: Bearer KEY) */
};

struct route {
	unsigned methods;             /* enum req_method bits */
	const char *pattern;          /* below "/api"; ":name" segments fill struct req_params */
	enum route_who who;
	route_fn *fn;
};

enum MHD_Result route_health(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	return http_json(r->conn, 200, json_pack("{s:b}", "ok", 1));
}

/* Every GET route answers HEAD as well (libmicrohttpd leaves the body out). */
#define GET (REQ_GET | REQ_HEAD)
#define POST REQ_POST
#define PATCH REQ_PATCH
#define DELETE REQ_DELETE
#define ANYONE ROUTE_PARTICIPANT
#define KEY ROUTE_FACILITATOR

/* In the order of docs/API.md. */
static const struct route routes[] = {
	{ GET,   "/health",                          ANYONE, route_health },
	{ GET,   "/join/:code",                      ANYONE, route_join },
	{ POST,  "/answers",                         ANYONE, route_answer_post },
	{ GET,   "/join/:code/qr.svg",               ANYONE, route_join_qr },
	{ GET,   "/workshops/:workshop/events",      ANYONE, route_events },
	{ GET,   "/workshops/:workshop/words",       ANYONE, route_words },

	{ POST,  "/workshops",                       KEY,    route_workshop_create },
	{ GET,   "/workshops",                       KEY,    route_workshop_list },
	{ GET,   "/workshops/:workshop",             KEY,    route_workshop_get },
	{ PATCH, "/questions/:id",                   KEY,    route_question_patch },
	{ PATCH, "/answers/:id",                     KEY,    route_answer_patch },
	{ GET,   "/workshops/:workshop/answers",     KEY,    route_answer_list },

	{ GET,   "/workshops/:workshop/themes",      KEY,    route_themes },
	{ GET,   "/series/:series/themes",           KEY,    route_themes },
	{ POST,  "/workshops/:workshop/decisions",   KEY,    route_decision_post },
	{ POST,  "/series/:series/decisions",        KEY,    route_decision_post },
	{ GET,   "/workshops/:workshop/decisions",   KEY,    route_decision_list },
	{ GET,   "/series/:series/decisions",        KEY,    route_decision_list },
	{ GET,   "/workshops/:workshop/themes-file", KEY,    route_themes_file },
	{ GET,   "/series/:series/themes-file",      KEY,    route_themes_file },
	{ GET,   "/decision-kinds",                  ANYONE, route_decision_kinds },

	{ POST,  "/workshops/:workshop/votes",       KEY,    route_vote_open },
	{ PATCH, "/votes/:id",                       KEY,    route_vote_patch },
	{ GET,   "/workshops/:workshop/votes",       KEY,    route_vote_list },
	{ POST,  "/ballots",                         ANYONE, route_ballot_post },

	{ POST,  "/series",                          KEY,    route_series_create },
	{ GET,   "/series",                          KEY,    route_series_list },
	{ GET,   "/series/:series",                  KEY,    route_series_get },
	{ PATCH, "/workshops/:workshop",             KEY,    route_workshop_patch },

	{ GET,   "/workshops/:workshop/report",      KEY,    route_report },
	{ GET,   "/series/:series/report",           KEY,    route_report },

	{ POST,  "/workshops/:workshop/close",       KEY,    route_workshop_close },
	{ POST,  "/workshops/:workshop/reopen",      KEY,    route_workshop_reopen },
	{ DELETE, "/workshops/:workshop",            KEY,    route_workshop_delete },
	{ DELETE, "/series/:series",                 KEY,    route_series_delete },
	{ POST,  "/workshops/:workshop/erase",       KEY,    route_participant_erase },
};

#undef GET
#undef POST
#undef PATCH
#undef DELETE
#undef ANYONE
#undef KEY

/* SRV_OK when the request carries an active facilitator key, whose id goes to *key_id. */
static int route_auth(struct http_req *r, int64_t *key_id)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	int err;

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return SRV_EAUTH;
	h += 7;
	while (*h == ' ')
		h++;
	if (!*h || strlen(h) > ROUTE_KEY_MAX)
		return SRV_EAUTH;
	err = store_key_verify(r->app->store, h, key_id);
	return err;
}

enum MHD_Result route_handle(struct http_req *r, const char *url, const char *method)
{
	const struct route *hit = NULL;
	struct req_route rt;
	struct req_params p, match;
	unsigned want = req_method(method), allow = 0;
	char list[REQ_ALLOW_MAX];
	int64_t key_id = 0;
	size_t i;
	int err;

	/* A suspended request is never routed; a resumed one comes back to the route that suspended it. */
	assert(r->state == HTTP_REQ_NEW || r->state == HTTP_REQ_WRITTEN);
	if (!req_split(url, &rt))
		return http_error(r->conn, 404, "not found");
	memset(&p, 0, sizeof p);
	for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		if (!req_match(&rt, routes[i].pattern, &match))
			continue;
		allow |= routes[i].methods;
		if (routes[i].methods & want) {
			/* One handler per path and method: rows that could both serve a request are a bug. */
			assert(!hit);
			hit = &routes[i];
			p = match;
		}
	}
	if (!allow)
		return http_error(r->conn, 404, "not found");
	if (!hit)
		return http_error_header(r->conn, 405, "method not allowed", "Allow", req_allow(allow, list, sizeof list));
	if (hit->who == ROUTE_FACILITATOR) {
		err = route_auth(r, &key_id);
		if (err == SRV_EAUTH)
			return route_error(r, err, "a valid facilitator key is required");
		if (err)
			return route_error(r, err, "database error");
	}
	return hit->fn(r, &p, key_id);
}

/*
 * routes.c - the one table of the API's routes, and the dispatch on it.
 *
 * Each row says which methods a path pattern takes, who may call it and
 * which handler serves it; nothing else decides a route.  The order of
 * refusals is fixed here for every route: unknown path 404, known path
 * with another method 405 (Allow lists every method of every row whose
 * pattern matches), facilitator row without an active key 401, a key that
 * may not see what the path names 404 (the answer for what does not exist,
 * so a key learns nothing of other keys' workshops).  That last check is
 * made here and nowhere else, after matching: a path's :workshop and
 * :series directly, its :id through the workshop the question, answer or
 * vote belongs to (store_key_may_see); handlers never check scope, except
 * that listing routes list what the key may see.  Paths are split and
 * matched by request.c (pure, fuzzed); this file only walks the table.  It
 * also holds what every handler shares, first the one mapping from srv_err
 * to HTTP status, so a code means the same status everywhere.
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
	ROUTE_PARTICIPANT,            /* anyone: phones */
	ROUTE_ROOM,                   /* anyone; with ?answers=1 only a presenter, as below */
	ROUTE_PRESENTER,              /* the :workshop's presenter link (Authorization: Presenter SECRET), or a key as below */
	ROUTE_FACILITATOR,            /* an active key (Authorization: Bearer KEY) that may see what the path names */
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
#define ROOM ROUTE_ROOM
#define PRESENTER ROUTE_PRESENTER
#define KEY ROUTE_FACILITATOR

/* In the order of docs/API.md. */
static const struct route routes[] = {
	{ GET,   "/health",                          ANYONE, route_health },
	{ GET,   "/join/:code",                      ANYONE, route_join },
	{ POST,  "/answers",                         ANYONE, route_answer_post },
	{ GET,   "/join/:code/qr.svg",               ANYONE, route_join_qr },
	{ GET,   "/workshops/:workshop/events",      ROOM,   route_events },
	{ GET,   "/workshops/:workshop/words",       PRESENTER, route_words },

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
	{ POST,  "/workshops/:workshop/presenter",   KEY,    route_presenter_renew },
	{ GET,   "/workshops/:workshop/audit",       KEY,    route_audit_list },
	{ GET,   "/series/:series/audit",            KEY,    route_audit_list },
};

#undef GET
#undef POST
#undef PATCH
#undef DELETE
#undef ANYONE
#undef ROOM
#undef PRESENTER
#undef KEY

bool route_wants_answers(struct http_req *r)
{
	const char *arg = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "answers");

	return arg && strcmp(arg, "1") == 0;
}

/* The credential of `scheme` ("Bearer", "Presenter") in the Authorization header, or NULL. */
static const char *route_credential(struct http_req *r, const char *scheme)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	size_t n = strlen(scheme);

	if (!h || strncasecmp(h, scheme, n) != 0 || h[n] != ' ')
		return NULL;
	h += n;
	while (*h == ' ')
		h++;
	if (!*h || strlen(h) > ROUTE_KEY_MAX)
		return NULL;
	return h;
}

/* What a facilitator row's :id names, by the path's first segment. */
static const struct {
	const char *prefix;
	enum store_object kind;
	const char *name;
} route_id_kinds[] = {
	{ "/questions/", STORE_QUESTION, "question" },
	{ "/answers/", STORE_ANSWER, "answer" },
	{ "/votes/", STORE_VOTE, "vote" },
};

/*
 * SRV_OK when `key` may see what the path names: its :workshop, its
 * :series, or the workshop of its :id.  SRV_ENOTFOUND, with *what naming
 * the kind, when it may not or when there is no such thing: one answer for
 * both.  A path that names nothing passes (lists are filtered by their
 * handlers; what a key creates is its own).  An admin key sees everything,
 * so it needs no lookup, and the handler's own checks keep their order.
 */
static int route_may_see(struct http_req *r, const char *pattern, const struct req_params *p,
			 const struct store_key *key, const char **what)
{
	enum store_object kind;
	const char *id;
	size_t i, n = sizeof route_id_kinds / sizeof route_id_kinds[0];

	if (key->admin)
		return SRV_OK;
	if (p->workshop) {
		kind = STORE_WORKSHOP;
		id = p->workshop;
		*what = "workshop";
	} else if (p->series) {
		kind = STORE_SERIES;
		id = p->series;
		*what = "series";
	} else if (p->id) {
		for (i = 0; i < n && strncmp(pattern, route_id_kinds[i].prefix, strlen(route_id_kinds[i].prefix)); i++)
			;
		/* A new :id row must say above what its id names; until then it is closed to scoped keys. */
		assert(i < n);
		*what = i < n ? route_id_kinds[i].name : "thing";
		if (i == n)
			return SRV_ENOTFOUND;
		kind = route_id_kinds[i].kind;
		id = p->id;
	} else {
		return SRV_OK;
	}
	return store_key_may_see(r->app->store, key->id, kind, id);
}

/*
 * Who calls, as row `hit` asks: SRV_OK with *key_id (0 for anyone and for
 * a presenter link); SRV_EAUTH without a credential that works here (a
 * presenter link is checked against the path's workshop, so a wrong one
 * and an unknown workshop look alike); SRV_ENOTFOUND (*what says of what)
 * for a key that may not see what the path names; SRV_EDB.
 */
static int route_caller(struct http_req *r, const struct route *hit, const struct req_params *p, int64_t *key_id,
			const char **what)
{
	struct store_key key = { 0 };
	const char *secret;
	int err;

	*key_id = 0;
	if (hit->who == ROUTE_PARTICIPANT || (hit->who == ROUTE_ROOM && !route_wants_answers(r)))
		return SRV_OK;
	if (hit->who != ROUTE_FACILITATOR && (secret = route_credential(r, "Presenter"))) {
		assert(p->workshop);
		return store_presenter_check(r->app->store, p->workshop, secret);
	}
	secret = route_credential(r, "Bearer");
	err = secret ? store_key_auth(r->app->store, secret, &key) : SRV_EAUTH;
	if (!err)
		err = route_may_see(r, hit->pattern, p, &key, what);
	if (!err)
		*key_id = key.id;
	return err;
}

enum MHD_Result route_handle(struct http_req *r, const char *url, const char *method)
{
	const struct route *hit = NULL;
	struct req_route rt;
	struct req_params p, match;
	unsigned want = req_method(method), allow = 0;
	const char *what = "";
	char list[REQ_ALLOW_MAX], msg[32];
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
	err = route_caller(r, hit, &p, &key_id, &what);
	if (err == SRV_EAUTH)
		return route_error(r, err, hit->who == ROUTE_FACILITATOR ? "a valid facilitator key is required"
									  : "a facilitator key or the presenter link is required");
	if (err == SRV_ENOTFOUND) {
		snprintf(msg, sizeof msg, "no such %s", what);
		return http_error(r->conn, 404, msg);
	}
	if (err)
		return route_error(r, err, "database error");
	return hit->fn(r, &p, key_id);
}

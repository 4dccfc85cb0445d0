/*
 * route_themes.c - a scope's synthesis: its themes view, themes file and
 * decisions (curation), for a workshop or a series, and the scope helpers
 * the report and vote routes share.
 *
 * A decision is checked in three steps: decision.c checks the body alone,
 * this file resolves its theme and answer ids against the scope's current
 * synthesis (adopting discovered themes first), and curate_parse checks
 * the exact list about to be stored, so nothing stored can later fail to
 * apply.  Decisions are made one at a time (one mutex for the whole
 * server): the fresh "cN" ids they take must be unique in their scope, and
 * people curate at the speed of a discussion, not of a phone wall.
 */
#include "http/routes.h"
#include "pipeline/analysis.h"
#include "curate/curate.h"
#include "curate/vocab.h"
#include "wire/decision.h"
#include "live/live.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTE_MAX_ADOPTS 3         /* discovered themes one decision may name: merge and move name two */

bool route_scope_set(enum synth_kind kind, const char *id, struct synth_scope *scope)
{
	size_t len = strlen(id);

	scope->kind = kind;
	if (len > LIMIT_WORKSHOP_ID_LEN)
		return false;
	memcpy(scope->id, id, len + 1);
	return true;
}

bool route_scope(const struct req_params *p, struct synth_scope *scope)
{
	/* The table gives a scope route exactly one of the two. */
	assert(!p->workshop != !p->series);
	return p->series ? route_scope_set(SYNTH_SERIES, p->series, scope)
			 : route_scope_set(SYNTH_WORKSHOP, p->workshop, scope);
}

const char *route_scope_name(const struct synth_scope *scope)
{
	return scope->kind == SYNTH_SERIES ? "series" : "workshop";
}

/* The store's two scope arguments. */
static const char *route_scope_ws(const struct synth_scope *s)
{
	return s->kind == SYNTH_WORKSHOP ? s->id : NULL;
}

static const char *route_scope_series(const struct synth_scope *s)
{
	return s->kind == SYNTH_SERIES ? s->id : NULL;
}

enum MHD_Result route_no_scope(struct http_req *r, const struct req_params *p)
{
	return http_error(r->conn, 404, p->series ? "no such series" : "no such workshop");
}

enum MHD_Result route_synth_error(struct http_req *r, int err, const struct synth_scope *scope, const char *msg)
{
	if (err == SRV_EINVAL)
		return route_error(r, err, msg[0] ? msg : "the decisions could not be applied");
	if (err == SRV_ENOMEM)
		return route_error(r, err, "out of memory");
	return route_store_result(r, err, NULL, route_scope_name(scope));
}

enum srv_err route_synth_get(struct http_req *r, const struct synth_scope *scope, struct synth_result **out, char *msg)
{
	msg[0] = '\0';
	return synth_get(r->app->synth, r->app->store, scope, out, msg, ROUTE_SYNTH_ERR);
}

/* ---- themes, themes file ---- */

/* The themes view, or with `file` the themes file in use, of the scope the path names. */
static enum MHD_Result route_themes_view(struct http_req *r, const struct req_params *p, bool file)
{
	struct synth_scope scope;
	struct synth_result *res;
	char msg[ROUTE_SYNTH_ERR], *body;
	const char *json;
	json_t *obj;
	size_t len;
	int err;

	if (!route_scope(p, &scope))
		return route_no_scope(r, p);
	err = route_synth_get(r, &scope, &res, msg);
	if (err)
		return route_synth_error(r, err, &scope, msg);
	if (file) {
		obj = json_pack("{s:s,s:b}", "text", res->themes_text, "default", res->themes_default);
		synth_put(res);
		return http_json(r->conn, 200, obj);
	}
	/* The full view is serialised once per result; each request sends a copy (http_send owns it). */
	err = synth_view_full(res, &json, &len);
	body = err ? NULL : malloc(len ? len : 1);
	if (body)
		memcpy(body, json, len);
	synth_put(res);
	if (!body)
		return http_error(r->conn, 500, "out of memory");
	return http_send(r->conn, 200, "application/json", body, len);
}

/* GET /api/workshops/ID/themes, /api/series/SID/themes */
enum MHD_Result route_themes(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	return route_themes_view(r, p, false);
}

/* GET /api/workshops/ID/themes-file, /api/series/SID/themes-file */
enum MHD_Result route_themes_file(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	return route_themes_view(r, p, true);
}

enum srv_err route_themes_attach(struct http_req *r, const char *ws, json_t *obj)
{
	struct synth_scope scope = { .kind = SYNTH_WORKSHOP };
	struct synth_result *res;
	char msg[ROUTE_SYNTH_ERR];
	json_t *view;
	int err;

	snprintf(scope.id, sizeof scope.id, "%s", ws);
	err = route_synth_get(r, &scope, &res, msg);
	if (err == SRV_EINVAL)
		return json_object_set_new(obj, "themes", json_null()) ? SRV_ENOMEM : SRV_OK;
	if (err)
		return err;
	view = res->res->nanswers ? synth_view(res, false) : json_null();
	synth_put(res);
	if (!view || json_object_set_new(obj, "themes", view))
		return SRV_ENOMEM;
	return SRV_OK;
}

/* ---- decisions ---- */

/* Raise *max to N when `id` is a curated theme id "cN". */
static void route_max_c(const char *id, long long *max)
{
	long long n;

	if (id && id[0] == 'c' && id[1] && strspn(id + 1, "0123456789") == strlen(id + 1) && strlen(id) < 16) {
		n = strtoll(id + 1, NULL, 10);
		if (n > *max)
			*max = n;
	}
}

/* The highest N of the "cN" ids taken in the scope: by any recorded decision or current theme. */
static long long route_max_curated(const struct synth_result *res)
{
	long long max = 0;
	const json_t *rec;
	size_t i, t;

	json_array_foreach(res->records, i, rec)
		route_max_c(json_string_value(json_object_get(json_object_get(rec, "detail"), "id")), &max);
	for (t = 0; t < res->res->nthemes; t++)
		route_max_c(res->res->themes[t].id, &max);
	return max;
}

/* What resolving one decision produced: the adopt decisions to record before it. */
struct route_resolve {
	const struct synth_scope *scope;
	const struct synth_result *res;
	const struct decision *d;
	long long next_c;                         /* next free cN */
	json_t *adopts[ROUTE_MAX_ADOPTS];
	char adopted_from[ROUTE_MAX_ADOPTS][DECISION_ID_MAX + 1];
	size_t nadopts;
	struct req_error err;
};

static void route_resolve_set(struct route_resolve *rs, unsigned status, const char *msg)
{
	rs->err.status = status;
	snprintf(rs->err.msg, sizeof rs->err.msg, "%s", msg);
}

/*
 * Resolve member `key` of the detail (a theme id) against the current
 * synthesis: a given or curated theme stays, a discovered one is adopted
 * (as it was at d->rev) and replaced by its new cN.  A missing or null
 * member is fine (move's optional "from", "to": null).
 */
static bool route_resolve_theme(struct route_resolve *rs, struct synth *sy, json_t *detail, const char *key)
{
	const char *id = json_string_value(json_object_get(detail, key));
	char new_id[LIMIT_ID_TEXT], msg[REQ_MSG_MAX];
	long t;
	size_t i;
	int err;

	if (!id)
		return true;
	t = synth_theme_index(rs->res, id);
	if (t >= 0 && rs->res->res->themes[t].origin != ANALYSIS_DISCOVERED)
		return true;
	if (!decision_is_discovered(id)) {
		snprintf(msg, sizeof msg, "no such theme: %s", id);
		route_resolve_set(rs, 422, msg);
		return false;
	}
	if (!rs->d->has_rev) {
		route_resolve_set(rs, 422, "a discovered theme (new-N) needs \"rev\", the revision the client showed");
		return false;
	}
	/* The same discovered theme named twice is adopted once. */
	for (i = 0; i < rs->nadopts; i++)
		if (strcmp(rs->adopted_from[i], id) == 0)
			return json_object_set(detail, key, json_object_get(rs->adopts[i], "id")) == 0;
	if (rs->nadopts == ROUTE_MAX_ADOPTS) {
		route_resolve_set(rs, 422, "too many discovered themes in one decision");
		return false;
	}
	snprintf(new_id, sizeof new_id, "c%lld", rs->next_c);
	err = synth_discovered(sy, rs->scope, (uint64_t)rs->d->rev, id, new_id, &rs->adopts[rs->nadopts]);
	if (err == SRV_ECONFLICT) {
		route_resolve_set(rs, 409, "the themes changed; reload");
		return false;
	}
	if (err == SRV_ENOTFOUND) {
		snprintf(msg, sizeof msg, "no such theme in revision %lld: %s", (long long)rs->d->rev, id);
		route_resolve_set(rs, 422, msg);
		return false;
	}
	if (err) {
		route_resolve_set(rs, 500, "out of memory");
		return false;
	}
	snprintf(rs->adopted_from[rs->nadopts], sizeof rs->adopted_from[0], "%s", id);
	rs->nadopts++;
	rs->next_c++;
	if (json_object_set_new(detail, key, json_string(new_id))) {
		route_resolve_set(rs, 500, "out of memory");
		return false;
	}
	return true;
}

/* Resolve every theme and answer the decision names; a split also gets its new id. */
static bool route_resolve(struct route_resolve *rs, struct synth *sy)
{
	static const char *const keys[] = { "theme", "into", "from", "to" };
	json_t *detail = rs->d->detail;
	char id[LIMIT_ID_TEXT];
	size_t i;

	if ((rs->d->kind == VOCAB_MOVE || rs->d->kind == VOCAB_ALSO) &&
	    synth_answer_row(rs->res, rs->d->answer) < 0) {
		route_resolve_set(rs, 422, rs->scope->kind == SYNTH_SERIES ? "no such answer in this series"
									   : "no such answer in this workshop");
		return false;
	}
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!route_resolve_theme(rs, sy, detail, keys[i]))
			return false;
	if (rs->d->kind == VOCAB_MERGE &&
	    strcmp(json_string_value(json_object_get(detail, "theme")), json_string_value(json_object_get(detail, "into"))) == 0) {
		route_resolve_set(rs, 422, "a theme cannot be merged into itself");
		return false;
	}
	if (rs->d->kind == VOCAB_MOVE && json_is_string(json_object_get(detail, "from")) &&
	    json_equal(json_object_get(detail, "from"), json_object_get(detail, "to"))) {
		route_resolve_set(rs, 422, "from and to are the same theme");
		return false;
	}
	if (rs->d->kind == VOCAB_SPLIT) {
		snprintf(id, sizeof id, "c%lld", rs->next_c++);
		if (json_object_set_new(detail, "id", json_string(id))) {
			route_resolve_set(rs, 500, "out of memory");
			return false;
		}
	}
	return true;
}

/* The list about to be stored, checked exactly as the analysis will read it. */
static bool route_decisions_check(struct route_resolve *rs)
{
	json_t *list = json_array();
	struct curate c = { 0 };
	char *text = NULL, why[REQ_MSG_MAX];
	size_t i;
	int code = -1;

	for (i = 0; list && i < rs->nadopts; i++)
		if (json_array_append(list, rs->adopts[i]))
			break;
	if (list && i == rs->nadopts && !json_array_append(list, rs->d->detail))
		text = json_dumps(list, JSON_COMPACT);
	why[0] = '\0';
	if (text)
		code = curate_parse(&c, text, strlen(text), why, sizeof why);
	curate_free(&c);
	free(text);
	json_decref(list);
	if (code && !why[0])
		route_resolve_set(rs, 500, "out of memory");
	else if (code)
		route_resolve_set(rs, 422, why);
	return code == 0;
}

static enum MHD_Result route_undo(struct http_req *r, const struct synth_scope *scope, const struct decision *d,
				  int64_t key_id)
{
	json_t *rec = NULL;
	int err;

	err = store_decision_undo(r->app->store, route_scope_ws(scope), route_scope_series(scope), key_id, d->undo,
				  &rec);
	if (err == SRV_ENOTFOUND)
		return http_error(r->conn, 404, "no such decision in this scope");
	if (err == SRV_ECONFLICT)
		return http_error(r->conn, 409, "that decision is already undone, or is itself an undo");
	if (err)
		return route_error(r, err, "database error");
	hub_decided(&r->app->hub, scope);
	route_audit(r, key_id, STORE_AUDIT_DECISION_UNDO, route_scope_ws(scope), route_scope_series(scope),
		    json_pack("{s:O,s:I}", "decision", json_object_get(rec, "id"), "undone", (json_int_t)d->undo));
	return http_json(r->conn, 201, json_pack("{s:[o]}", "decisions", rec));
}

/* Resolve, check and record one decision (and the adoptions it needs); app->decision_lock held. */
static enum MHD_Result route_decide(struct http_req *r, const struct synth_scope *scope, const struct decision *d,
				    int64_t key_id)
{
	struct route_resolve rs;
	struct synth_result *res = NULL;
	char msg[ROUTE_SYNTH_ERR];
	json_t *out = NULL, *rec;
	enum MHD_Result ret;
	size_t i;
	int err;

	memset(&rs, 0, sizeof rs);
	err = route_synth_get(r, scope, &res, msg);
	if (err)
		return route_synth_error(r, err, scope, msg);
	rs.scope = scope;
	rs.res = res;
	rs.d = d;
	rs.next_c = route_max_curated(res) + 1;
	if (!route_resolve(&rs, r->app->synth) || !route_decisions_check(&rs)) {
		ret = http_error(r->conn, rs.err.status, rs.err.msg);
		goto out;
	}
	out = json_array();
	if (!out) {
		ret = http_error(r->conn, 500, "out of memory");
		goto out;
	}
	for (i = 0; !err && i <= rs.nadopts; i++) {
		rec = NULL;
		err = store_decision_add(r->app->store, route_scope_ws(scope), route_scope_series(scope), key_id,
					 i < rs.nadopts ? rs.adopts[i] : d->detail, &rec);
		if (!err && json_array_append_new(out, rec))
			err = SRV_ENOMEM;
	}
	/* Even a failure after an adoption was recorded changed the scope. */
	if (json_array_size(out) > 0)
		hub_decided(&r->app->hub, scope);
	json_array_foreach(out, i, rec)
		route_audit(r, key_id, STORE_AUDIT_DECISION_ADD, route_scope_ws(scope), route_scope_series(scope),
			    json_pack("{s:O,s:O}", "decision", json_object_get(rec, "id"), "kind", json_object_get(rec, "kind")));
	if (err) {
		ret = route_synth_error(r, err, scope, "");
		goto out;
	}
	ret = http_json(r->conn, 201, json_pack("{s:O}", "decisions", out));
out:
	for (i = 0; i < rs.nadopts; i++)
		json_decref(rs.adopts[i]);
	json_decref(out);
	synth_put(res);
	return ret;
}

/* POST /api/workshops/ID/decisions, /api/series/SID/decisions */
enum MHD_Result route_decision_post(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	struct synth_scope scope;
	struct decision d;
	struct req_error rerr;
	enum MHD_Result ret;

	if (!route_scope(p, &scope))
		return route_no_scope(r, p);
	if (!route_json_type(r, &ret))
		return ret;
	if (!decision_parse(r->body.data, r->body.len, &d, &rerr))
		return route_refuse(r, &rerr);
	if (d.kind == VOCAB_UNDO) {
		ret = route_undo(r, &scope, &d, key_id);
	} else {
		pthread_mutex_lock(&r->app->decision_lock);
		ret = route_decide(r, &scope, &d, key_id);
		pthread_mutex_unlock(&r->app->decision_lock);
	}
	decision_free(&d);
	return ret;
}

/* GET /api/decision-kinds: the vocabulary of decisions, for the console's sentences. */
enum MHD_Result route_decision_kinds(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	return http_json(r->conn, 200, vocab_json());
}

/* GET /api/workshops/ID/decisions, /api/series/SID/decisions */
enum MHD_Result route_decision_list(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	struct synth_scope scope;
	json_t *list = NULL;
	int err;

	if (!route_scope(p, &scope))
		return route_no_scope(r, p);
	err = store_decision_list(r->app->store, route_scope_ws(&scope), route_scope_series(&scope), &list);
	if (!err && !(list = json_pack("{s:o}", "decisions", list)))
		err = SRV_ENOMEM;
	return route_store_result(r, err, list, route_scope_name(&scope));
}

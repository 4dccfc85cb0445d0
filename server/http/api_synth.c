/*
 * api_synth.c - routes of the synthesis: themes, decisions, the themes
 * file, reports (under a workshop or a series), the series themselves and
 * a workshop's series membership.
 *
 * A decision is checked in three steps: decision.c checks the body alone,
 * this file resolves its theme and answer ids against the scope's current
 * synthesis (adopting discovered themes first), and curate_parse checks
 * the exact list about to be stored, so nothing stored can later fail to
 * apply.  Decisions are made one at a time (one mutex for the whole
 * server): the fresh "cN" ids they take must be unique in their scope, and
 * people curate at the speed of a discussion, not of a phone wall.
 */
#include "http/api.h"
#include "pipeline/analysis.h"
#include "curate/curate.h"
#include "wire/decision.h"
#include "live/live.h"
#include "report/report.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "synth/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_SYNTH_ERR 256
#define API_SYNTH_MAX_ADOPTS 3   /* discovered themes one decision may name: merge and move name two */

static pthread_mutex_t api_decision_lock = PTHREAD_MUTEX_INITIALIZER;

static bool api_synth_scope_route(const struct req_route *rt)
{
	return rt->n == 3 && (strcmp(rt->seg[0], "workshops") == 0 || strcmp(rt->seg[0], "series") == 0) &&
	       (strcmp(rt->seg[2], "themes") == 0 || strcmp(rt->seg[2], "decisions") == 0 ||
		strcmp(rt->seg[2], "themes-file") == 0 || strcmp(rt->seg[2], "report") == 0);
}

const char *api_synth_allow(const struct req_route *rt, bool *facilitator)
{
	if (api_synth_scope_route(rt)) {
		*facilitator = true;
		return strcmp(rt->seg[2], "decisions") == 0 ? "GET, HEAD, POST" : "GET, HEAD";
	}
	if (req_is(rt, 1, "series", NULL)) {
		*facilitator = true;
		return "GET, HEAD, POST";
	}
	if (req_is(rt, 2, "series", NULL)) {
		*facilitator = true;
		return "GET, HEAD";
	}
	return NULL;
}

/* Fill a scope of `kind` with `id`; false when the id is too long to be one (404). */
static bool api_scope_set(enum synth_kind kind, const char *id, struct synth_scope *scope)
{
	size_t len = strlen(id);

	scope->kind = kind;
	if (len > LIMIT_WORKSHOP_ID_LEN)
		return false;
	memcpy(scope->id, id, len + 1);
	return true;
}

/* The scope a route names; false when the id cannot be one (404). */
static bool api_scope(const struct req_route *rt, struct synth_scope *scope)
{
	return api_scope_set(strcmp(rt->seg[0], "series") == 0 ? SYNTH_SERIES : SYNTH_WORKSHOP, rt->seg[1], scope);
}

static const char *api_scope_name(const struct synth_scope *scope)
{
	return scope->kind == SYNTH_SERIES ? "series" : "workshop";
}

/* The store's two scope arguments. */
static const char *api_scope_ws(const struct synth_scope *s)
{
	return s->kind == SYNTH_WORKSHOP ? s->id : NULL;
}

static const char *api_scope_series(const struct synth_scope *s)
{
	return s->kind == SYNTH_SERIES ? s->id : NULL;
}

/* Send the error of a failed synth_get. */
static enum MHD_Result api_synth_error(struct http_req *r, int err, const struct synth_scope *scope, const char *msg)
{
	if (err == SRV_EINVAL)
		return http_error(r->conn, 500, msg[0] ? msg : "the decisions could not be applied");
	if (err == SRV_ENOMEM)
		return http_error(r->conn, 500, "out of memory");
	return api_store_result(r, err, NULL, api_scope_name(scope));
}

static int api_synth_get(struct http_req *r, const struct synth_scope *scope, struct synth_result **out, char *msg)
{
	msg[0] = '\0';
	return synth_get(r->app->synth, r->app->store, &r->app->store_lock, scope, out, msg, API_SYNTH_ERR);
}

/* ---- themes, themes file ---- */

static enum MHD_Result api_themes(struct http_req *r, const struct synth_scope *scope, bool file)
{
	struct synth_result *res;
	char msg[API_SYNTH_ERR], *body;
	const char *json;
	json_t *obj;
	size_t len;
	int err;

	err = api_synth_get(r, scope, &res, msg);
	if (err)
		return api_synth_error(r, err, scope, msg);
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

int api_synth_attach(struct http_req *r, const char *ws, json_t *obj)
{
	struct synth_scope scope = { .kind = SYNTH_WORKSHOP };
	struct synth_result *res;
	char msg[API_SYNTH_ERR];
	json_t *view;
	int err;

	snprintf(scope.id, sizeof scope.id, "%s", ws);
	err = api_synth_get(r, &scope, &res, msg);
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
static void api_max_c(const char *id, long long *max)
{
	long long n;

	if (id && id[0] == 'c' && id[1] && strspn(id + 1, "0123456789") == strlen(id + 1) && strlen(id) < 16) {
		n = strtoll(id + 1, NULL, 10);
		if (n > *max)
			*max = n;
	}
}

/* The highest N of the "cN" ids taken in the scope: by any recorded decision or current theme. */
static long long api_max_curated(const struct synth_result *res)
{
	long long max = 0;
	const json_t *rec;
	size_t i, t;

	json_array_foreach(res->records, i, rec)
		api_max_c(json_string_value(json_object_get(json_object_get(rec, "detail"), "id")), &max);
	for (t = 0; t < res->res->nthemes; t++)
		api_max_c(res->res->themes[t].id, &max);
	return max;
}

/* What resolving one decision produced: the adopt decisions to record before it. */
struct api_resolve {
	const struct synth_scope *scope;
	const struct synth_result *res;
	const struct decision *d;
	long long next_c;                         /* next free cN */
	json_t *adopts[API_SYNTH_MAX_ADOPTS];
	char adopted_from[API_SYNTH_MAX_ADOPTS][DECISION_ID_MAX + 1];
	size_t nadopts;
	struct req_error err;
};

static void api_resolve_set(struct api_resolve *rs, unsigned status, const char *msg)
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
static bool api_resolve_theme(struct api_resolve *rs, struct synth *sy, json_t *detail, const char *key)
{
	const char *id = json_string_value(json_object_get(detail, key));
	char new_id[24], msg[REQ_MSG_MAX];
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
		api_resolve_set(rs, 422, msg);
		return false;
	}
	if (!rs->d->has_rev) {
		api_resolve_set(rs, 422, "a discovered theme (new-N) needs \"rev\", the revision the client showed");
		return false;
	}
	/* The same discovered theme named twice is adopted once. */
	for (i = 0; i < rs->nadopts; i++)
		if (strcmp(rs->adopted_from[i], id) == 0)
			return json_object_set(detail, key, json_object_get(rs->adopts[i], "id")) == 0;
	if (rs->nadopts == API_SYNTH_MAX_ADOPTS) {
		api_resolve_set(rs, 422, "too many discovered themes in one decision");
		return false;
	}
	snprintf(new_id, sizeof new_id, "c%lld", rs->next_c);
	err = synth_discovered(sy, rs->scope, (uint64_t)rs->d->rev, id, new_id, &rs->adopts[rs->nadopts]);
	if (err == SRV_ECONFLICT) {
		api_resolve_set(rs, 409, "the themes changed; reload");
		return false;
	}
	if (err == SRV_ENOTFOUND) {
		snprintf(msg, sizeof msg, "no such theme in revision %lld: %s", (long long)rs->d->rev, id);
		api_resolve_set(rs, 422, msg);
		return false;
	}
	if (err) {
		api_resolve_set(rs, 500, "out of memory");
		return false;
	}
	snprintf(rs->adopted_from[rs->nadopts], sizeof rs->adopted_from[0], "%s", id);
	rs->nadopts++;
	rs->next_c++;
	if (json_object_set_new(detail, key, json_string(new_id))) {
		api_resolve_set(rs, 500, "out of memory");
		return false;
	}
	return true;
}

/* Resolve every theme and answer the decision names; a split also gets its new id. */
static bool api_resolve(struct api_resolve *rs, struct synth *sy)
{
	static const char *const keys[] = { "theme", "into", "from", "to" };
	json_t *detail = rs->d->detail;
	char id[24];
	size_t i;

	if ((rs->d->kind == VOCAB_MOVE || rs->d->kind == VOCAB_ALSO) &&
	    synth_answer_row(rs->res, rs->d->answer) < 0) {
		api_resolve_set(rs, 422, rs->scope->kind == SYNTH_SERIES ? "no such answer in this series"
									 : "no such answer in this workshop");
		return false;
	}
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!api_resolve_theme(rs, sy, detail, keys[i]))
			return false;
	if (rs->d->kind == VOCAB_MERGE &&
	    strcmp(json_string_value(json_object_get(detail, "theme")), json_string_value(json_object_get(detail, "into"))) == 0) {
		api_resolve_set(rs, 422, "a theme cannot be merged into itself");
		return false;
	}
	if (rs->d->kind == VOCAB_MOVE && json_is_string(json_object_get(detail, "from")) &&
	    json_equal(json_object_get(detail, "from"), json_object_get(detail, "to"))) {
		api_resolve_set(rs, 422, "from and to are the same theme");
		return false;
	}
	if (rs->d->kind == VOCAB_SPLIT) {
		snprintf(id, sizeof id, "c%lld", rs->next_c++);
		if (json_object_set_new(detail, "id", json_string(id))) {
			api_resolve_set(rs, 500, "out of memory");
			return false;
		}
	}
	return true;
}

/* The list about to be stored, checked exactly as the analysis will read it. */
static bool api_decisions_check(struct api_resolve *rs)
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
		api_resolve_set(rs, 500, "out of memory");
	else if (code)
		api_resolve_set(rs, 422, why);
	return code == 0;
}

/* A decision changed a scope: the next read recomputes, and a workshop's presenter hears of it soon. */
static void api_decided(struct http_req *r, const struct synth_scope *scope)
{
	synth_touch_scope(r->app->synth, scope);
	if (scope->kind == SYNTH_WORKSHOP)
		live_decided(r->app->live, scope->id);
}

static enum MHD_Result api_undo(struct http_req *r, const struct synth_scope *scope, const struct decision *d,
				int64_t key_id)
{
	json_t *rec = NULL;
	int err;

	pthread_mutex_lock(&r->app->store_lock);
	err = store_decision_undo(r->app->store, api_scope_ws(scope), api_scope_series(scope), key_id, d->undo, &rec);
	pthread_mutex_unlock(&r->app->store_lock);
	if (err == SRV_ENOTFOUND)
		return http_error(r->conn, 404, "no such decision in this scope");
	if (err == SRV_ECONFLICT)
		return http_error(r->conn, 409, "that decision is already undone, or is itself an undo");
	if (err)
		return http_error(r->conn, 500, "database error");
	api_decided(r, scope);
	return http_json(r->conn, 201, json_pack("{s:[o]}", "decisions", rec));
}

/* Resolve, check and record one decision (and the adoptions it needs); api_decision_lock held. */
static enum MHD_Result api_decide(struct http_req *r, const struct synth_scope *scope, const struct decision *d,
				  int64_t key_id)
{
	struct api_resolve rs;
	struct synth_result *res = NULL;
	char msg[API_SYNTH_ERR];
	json_t *out = NULL, *rec;
	enum MHD_Result ret;
	size_t i;
	int err;

	memset(&rs, 0, sizeof rs);
	err = api_synth_get(r, scope, &res, msg);
	if (err)
		return api_synth_error(r, err, scope, msg);
	rs.scope = scope;
	rs.res = res;
	rs.d = d;
	rs.next_c = api_max_curated(res) + 1;
	if (!api_resolve(&rs, r->app->synth) || !api_decisions_check(&rs)) {
		ret = http_error(r->conn, rs.err.status, rs.err.msg);
		goto out;
	}
	out = json_array();
	if (!out) {
		ret = http_error(r->conn, 500, "out of memory");
		goto out;
	}
	pthread_mutex_lock(&r->app->store_lock);
	for (i = 0; !err && i <= rs.nadopts; i++) {
		rec = NULL;
		err = store_decision_add(r->app->store, api_scope_ws(scope), api_scope_series(scope), key_id,
					 i < rs.nadopts ? rs.adopts[i] : d->detail, &rec);
		if (!err && json_array_append_new(out, rec))
			err = SRV_ENOMEM;
	}
	pthread_mutex_unlock(&r->app->store_lock);
	/* Even a failure after an adoption was recorded changed the scope. */
	if (json_array_size(out) > 0)
		api_decided(r, scope);
	if (err) {
		ret = api_synth_error(r, err, scope, "");
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

static enum MHD_Result api_post_decision(struct http_req *r, const struct synth_scope *scope, int64_t key_id)
{
	struct decision d;
	struct req_error rerr;
	enum MHD_Result ret;

	if (!api_json_type(r, &ret))
		return ret;
	if (!decision_parse(r->body.data, r->body.len, &d, &rerr))
		return api_refuse(r, &rerr);
	if (d.kind == VOCAB_UNDO) {
		ret = api_undo(r, scope, &d, key_id);
	} else {
		pthread_mutex_lock(&api_decision_lock);
		ret = api_decide(r, scope, &d, key_id);
		pthread_mutex_unlock(&api_decision_lock);
	}
	decision_free(&d);
	return ret;
}

static enum MHD_Result api_get_decisions(struct http_req *r, const struct synth_scope *scope)
{
	json_t *list = NULL;
	int err;

	pthread_mutex_lock(&r->app->store_lock);
	err = store_decision_list(r->app->store, api_scope_ws(scope), api_scope_series(scope), &list);
	pthread_mutex_unlock(&r->app->store_lock);
	return api_store_result(r, err, list, api_scope_name(scope));
}

/* ---- reports ---- */

static enum MHD_Result api_report(struct http_req *r, const struct synth_scope *scope)
{
	const char *fmt = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "format");
	const char *lang = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "lang");
	struct synth_result *res = NULL;
	struct MHD_Response *resp;
	enum report_format f = REPORT_HTML;
	enum MHD_Result ret;
	char msg[API_SYNTH_ERR], name[160], disposition[200];
	json_t *model = NULL;
	struct buf out;
	size_t len;
	char *body;
	int err;

	if (fmt && !report_format_parse(fmt, &f))
		return http_error(r->conn, 400, "format must be html, md, csv, json or docx");
	if (!lang)
		lang = "sv";
	if (!report_lang_ok(lang))
		return http_error(r->conn, 400, "lang must be sv or en");
	err = api_synth_get(r, scope, &res, msg);
	if (err)
		return api_synth_error(r, err, scope, msg);
	buf_init(&out, REPORT_MAX);
	err = report_model(r->app->store, &r->app->store_lock, res, lang, NULL, &model);
	if (!err)
		err = report_render(model, f, &out);
	if (err) {
		buf_free(&out);
		json_decref(model);
		synth_put(res);
		if (err == SRV_EFULL)
			return http_error(r->conn, 500, "the report is too large");
		return api_synth_error(r, err, scope, err == SRV_EINVAL ? "the report could not be made" : "");
	}
	report_filename(model, f, name, sizeof name);
	json_decref(model);
	synth_put(res);
	body = buf_detach(&out, &len);
	if (!body)
		return http_error(r->conn, 500, "out of memory");
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
	http_security_headers(resp);
	MHD_add_response_header(resp, "Content-Type", report_content_type(f));
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- series ---- */

static enum MHD_Result api_post_series(struct http_req *r, int64_t key_id)
{
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *s = NULL;
	char *title;
	int err;

	if (!api_json_type(r, &ret))
		return ret;
	if (!req_series_parse(r->body.data, r->body.len, &title, &rerr))
		return api_refuse(r, &rerr);
	pthread_mutex_lock(&r->app->store_lock);
	err = store_series_create(r->app->store, key_id, title, &s);
	pthread_mutex_unlock(&r->app->store_lock);
	free(title);
	if (err)
		return http_error(r->conn, 500, "could not create the series");
	return http_json(r->conn, 201, s);
}

enum MHD_Result api_synth_patch_workshop(struct http_req *r, const char *workshop_id)
{
	struct synth_scope before = { .kind = SYNTH_SERIES }, after = { .kind = SYNTH_SERIES };
	const char *msg = "no such workshop";
	struct req_error rerr;
	enum MHD_Result ret;
	char base[512], *series = NULL;
	json_t *w = NULL;
	int err;

	if (!api_json_type(r, &ret))
		return ret;
	if (!req_workshop_patch_parse(r->body.data, r->body.len, &series, &rerr))
		return api_refuse(r, &rerr);
	http_base_url(r, base, sizeof base);
	pthread_mutex_lock(&r->app->store_lock);
	/* The series it leaves is stale too, so read it first. */
	err = store_workshop_get(r->app->store, workshop_id, true, base, &w);
	if (!err) {
		const char *old = json_string_value(json_object_get(w, "series"));
		if (old)
			api_scope_set(SYNTH_SERIES, old, &before);
		json_decref(w);
		w = NULL;
		msg = "no such series";
		err = series && !api_scope_set(SYNTH_SERIES, series, &after)
			      ? SRV_ENOTFOUND
			      : store_workshop_set_series(r->app->store, workshop_id, series);
		if (!err)
			err = store_workshop_get(r->app->store, workshop_id, true, base, &w);
	}
	pthread_mutex_unlock(&r->app->store_lock);
	free(series);
	if (err == SRV_ENOTFOUND)
		return http_error(r->conn, 404, msg);
	if (err)
		return http_error(r->conn, 500, "database error");
	if (before.id[0])
		synth_touch_scope(r->app->synth, &before);
	if (after.id[0])
		synth_touch_scope(r->app->synth, &after);
	return http_json(r->conn, 200, w);
}

enum MHD_Result api_synth_handle(struct http_req *r, const struct req_route *rt, const char *method, int64_t key_id)
{
	struct synth_scope scope;
	json_t *obj = NULL;
	int err;

	if (req_is(rt, 1, "series", NULL)) {
		if (strcmp(method, "POST") == 0)
			return api_post_series(r, key_id);
		pthread_mutex_lock(&r->app->store_lock);
		err = store_series_list(r->app->store, &obj);
		pthread_mutex_unlock(&r->app->store_lock);
		return api_store_result(r, err, obj, "series");
	}
	if (req_is(rt, 2, "series", NULL)) {
		if (strlen(rt->seg[1]) > LIMIT_WORKSHOP_ID_LEN)
			return http_error(r->conn, 404, "no such series");
		pthread_mutex_lock(&r->app->store_lock);
		err = store_series_get(r->app->store, rt->seg[1], &obj);
		pthread_mutex_unlock(&r->app->store_lock);
		return api_store_result(r, err, obj, "series");
	}
	if (!api_scope(rt, &scope))
		return http_error(r->conn, 404, strcmp(rt->seg[0], "series") == 0 ? "no such series" : "no such workshop");
	if (strcmp(rt->seg[2], "themes") == 0)
		return api_themes(r, &scope, false);
	if (strcmp(rt->seg[2], "themes-file") == 0)
		return api_themes(r, &scope, true);
	if (strcmp(rt->seg[2], "report") == 0)
		return api_report(r, &scope);
	if (strcmp(method, "POST") == 0)
		return api_post_decision(r, &scope, key_id);
	return api_get_decisions(r, &scope);
}

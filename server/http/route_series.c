/*
 * route_series.c - series of workshops: making and listing them, and a
 * workshop joining or leaving one (PATCH /api/workshops/ID).
 *
 * A series' synthesis reads its member workshops, so a change of
 * membership touches the scope of the series left and of the series
 * joined: the next read of either recomputes.  What a series' themes,
 * decisions and report are is the scope routes' (route_themes.c,
 * route_reports.c).
 */
#include "http/routes.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* GET /api/series */
enum MHD_Result route_series_list(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *obj = NULL;
	int err;

	err = store_series_list_for(r->app->store, key_id, &obj);
	if (!err && !(obj = json_pack("{s:o}", "series", obj)))
		err = SRV_ENOMEM;
	return route_store_result(r, err, obj, "series");
}

/* POST /api/series */
enum MHD_Result route_series_create(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *s = NULL;
	char *title;
	int err;

	if (!route_json_type(r, &ret))
		return ret;
	if (!req_series_parse(r->body.data, r->body.len, &title, &rerr))
		return route_refuse(r, &rerr);
	err = store_series_create(r->app->store, key_id, title, &s);
	free(title);
	if (err)
		return route_error(r, err, "could not create the series");
	route_audit(r, key_id, STORE_AUDIT_SERIES_CREATE, NULL, json_string_value(json_object_get(s, "id")),
		    json_pack("{s:O}", "title", json_object_get(s, "title")));
	return http_json(r->conn, 201, s);
}

/* GET /api/series/SID */
enum MHD_Result route_series_get(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *obj = NULL;
	int err;

	if (strlen(p->series) > LIMIT_WORKSHOP_ID_LEN)
		return http_error(r->conn, 404, "no such series");
	err = store_series_get(r->app->store, p->series, &obj);
	return route_store_result(r, err, obj, "series");
}

/* PATCH /api/workshops/ID {"series": "SID" | null} */
enum MHD_Result route_workshop_patch(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	struct synth_scope before = { .kind = SYNTH_SERIES }, after = { .kind = SYNTH_SERIES };
	const char *workshop_id = p->workshop, *msg = "no such workshop";
	struct req_error rerr;
	enum MHD_Result ret;
	char *series = NULL;
	json_t *w = NULL;
	int err;

	if (!route_json_type(r, &ret))
		return ret;
	if (!req_workshop_patch_parse(r->body.data, r->body.len, &series, &rerr))
		return route_refuse(r, &rerr);
	/* The series it leaves is stale too, so read it first. */
	err = store_workshop_get(r->app->store, workshop_id, true, &w);
	if (!err) {
		const char *old = json_string_value(json_object_get(w, "series"));
		if (old)
			route_scope_set(SYNTH_SERIES, old, &before);
		json_decref(w);
		w = NULL;
		msg = "no such series";
		/* The series named in the body must be one the key may see, as a path's would. */
		err = series && !route_scope_set(SYNTH_SERIES, series, &after) ? SRV_ENOTFOUND : SRV_OK;
		if (!err && series)
			err = store_key_may_see(r->app->store, key_id, STORE_SERIES, series);
		if (!err)
			err = store_workshop_set_series(r->app->store, workshop_id, series);
		if (!err)
			err = store_workshop_get(r->app->store, workshop_id, true, &w);
	}
	free(series);
	if (err == SRV_ENOTFOUND)
		return http_error(r->conn, 404, msg);
	if (err)
		return route_error(r, err, "database error");
	hub_series_changed(&r->app->hub, before.id[0] ? before.id : NULL);
	hub_series_changed(&r->app->hub, after.id[0] ? after.id : NULL);
	route_audit(r, key_id, STORE_AUDIT_WORKSHOP_SERIES, workshop_id, after.id[0] ? after.id : before.id[0] ? before.id : NULL,
		    json_pack("{s:s?,s:s?}", "series", after.id[0] ? after.id : NULL, "from", before.id[0] ? before.id : NULL));
	return http_json(r->conn, 200, route_workshop_wire(r, w));
}

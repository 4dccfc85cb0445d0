/*
 * route_access.c - who may look besides the keys, and who did what: the
 * presenter link of a workshop, and the audit log.
 *
 * Whether a request may reach a route at all is the dispatch's business
 * (routes.c), never a handler's.  This file makes and renews the presenter
 * link, which opens a workshop's projector view without a key, and records
 * and lists the audit log.  The link carries its secret in the URL's
 * fragment ("#s=..."), which browsers never send, so it stays out of every
 * server's and proxy's log; the page sends it in a header instead.
 */
#include "http/routes.h"
#include "live/hub.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define ROUTE_AUDIT_MAX 1000       /* entries a scope's audit log shows, newest first */

void route_audit(struct http_req *r, int64_t key_id, enum store_audit_action action, const char *ws,
		 const char *series, json_t *detail)
{
	int err = store_audit_add(r->app->store, key_id, action, ws, series, detail);

	if (err)
		fprintf(stderr, "audit: %s by key %lld not recorded: %s\n", store_audit_name(action), (long long)key_id,
			srv_strerror(err));
	json_decref(detail);
}

/* "BASE/present/ID#s=SECRET" as "presenter_url" of `obj`. */
static enum srv_err route_presenter_set(struct http_req *r, const char *ws, const char *secret, json_t *obj)
{
	char base[ROUTE_URL_MAX], url[ROUTE_URL_MAX + LIMIT_WORKSHOP_ID_LEN + STORE_SECRET_LEN + 16];

	http_base_url(r, base, sizeof base);
	snprintf(url, sizeof url, "%s/present/%s#s=%s", base, ws, secret);
	return json_object_set_new(obj, "presenter_url", json_string(url)) ? SRV_ENOMEM : SRV_OK;
}

enum srv_err route_presenter_attach(struct http_req *r, const char *ws, json_t *obj)
{
	char secret[STORE_SECRET_LEN + 1];
	int err;

	err = store_presenter_secret(r->app->store, ws, secret);
	return err ? err : route_presenter_set(r, ws, secret, obj);
}

/* POST /api/workshops/ID/presenter: a new presenter link; the old one stops working at once. */
enum MHD_Result route_presenter_renew(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char secret[STORE_SECRET_LEN + 1];
	json_t *obj = NULL;
	int err;

	err = store_presenter_renew(r->app->store, p->workshop, secret);
	if (!err) {
		hub_presenter_renewed(&r->app->hub, p->workshop);
		route_audit(r, key_id, STORE_AUDIT_PRESENTER_RENEW, p->workshop, NULL, NULL);
		obj = json_object();
		err = obj ? route_presenter_set(r, p->workshop, secret, obj) : SRV_ENOMEM;
	}
	return route_store_result(r, err, obj, "workshop");
}

/* GET /api/workshops/ID/audit, /api/series/SID/audit */
enum MHD_Result route_audit_list(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *list = NULL, *series = NULL;
	int err;

	if (p->workshop) {
		err = route_workshop_exists(r, p->workshop);
	} else {
		err = strlen(p->series) > LIMIT_WORKSHOP_ID_LEN ? SRV_ENOTFOUND
								: store_series_get(r->app->store, p->series, &series);
		json_decref(series);
	}
	if (!err)
		err = store_audit_list(r->app->store, p->workshop, p->series, NULL, ROUTE_AUDIT_MAX, &list);
	if (!err && !(list = json_pack("{s:o}", "audit", list)))
		err = SRV_ENOMEM;
	return route_store_result(r, err, list, p->workshop ? "workshop" : "series");
}

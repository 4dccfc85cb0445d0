/*
 * routes.h - the JSON API of docs/API.md: one table of routes (routes.c)
 * and the handlers it names, one file per resource.
 *
 * A row of the table is (methods, path pattern, who may call, handler).
 * routes.c matches the path (404 when no row's pattern does), the method
 * (405 with an Allow header of every method the path takes) and the
 * caller (401 for a facilitator row without an active key, or a presenter
 * row without a key or the workshop's presenter link; 404 for a key that
 * may not see what the path names), then calls the row's handler.  The
 * handler checks the rest in the order of docs/API.md: content type (415),
 * JSON shape (400), field rules (422), then the store.
 *
 * Every handler has the signature of route_fn: the request, the path's
 * parameters (pointing into a buffer that lives for the call) and the
 * facilitator key's id (0 on participant routes and for a presenter link).
 * A handler always queues a response or suspends the connection; it
 * returns MHD_NO only when the connection must be dropped.
 */
#ifndef INSPEL_ROUTES_H
#define INSPEL_ROUTES_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "store/store.h"
#include "synth/synth.h"
#include "wire/request.h"
#include "base/srv_err.h"

#define ROUTE_URL_MAX 512          /* bytes of a base URL (join links) */

/*
 * Route a request whose URL starts with "/api" once its body is read, and
 * again (state HTTP_REQ_WRITTEN) once the writer resumed it.
 */
enum MHD_Result route_handle(struct http_req *r, const char *url, const char *method);

typedef enum MHD_Result route_fn(struct http_req *r, const struct req_params *p, int64_t key_id);

/* ---- the handlers, by file ---- */

/* routes.c */
route_fn route_health;
route_fn route_decision_kinds;

/* route_workshops.c: workshops, questions, joining */
route_fn route_workshop_list, route_workshop_create, route_workshop_get, route_question_patch;
route_fn route_join, route_join_qr;

/* route_answers.c: the phones' answers (through the writer), hiding, the full list */
route_fn route_answer_post, route_answer_patch, route_answer_list;

/* route_events.c: what the room sees live, the event stream and the word cloud */
route_fn route_events, route_words;

/* route_themes.c: a scope's themes, themes file and decisions */
route_fn route_themes, route_themes_file, route_decision_list, route_decision_post;

/* route_reports.c */
route_fn route_report;

/* route_votes.c */
route_fn route_vote_list, route_vote_open, route_vote_patch, route_ballot_post;

/* route_series.c: series, and a workshop's membership (PATCH /api/workshops/ID) */
route_fn route_series_list, route_series_create, route_series_get, route_workshop_patch;

/* route_lifecycle.c: closing and deleting, a participant's erasure */
route_fn route_workshop_close, route_workshop_reopen, route_workshop_delete, route_series_delete;
route_fn route_participant_erase;
/* route_access.c: the presenter link, the audit log */
route_fn route_presenter_renew, route_audit_list;

/* ---- what the handlers share (routes.c) ---- */

/* Does the request ask for the presenter's view (?answers=1)? */
bool route_wants_answers(struct http_req *r);

/* The HTTP status of an srv_err: one per code, the table in routes.c.  200 for SRV_OK. */
unsigned route_status(int err);

/*
 * {"error": msg} with the status of `err` (route_status), and Retry-After
 * when that status asks the client to come back (503).
 */
enum MHD_Result route_error(struct http_req *r, int err, const char *msg);

/* An error with a Retry-After header of `secs`. */
enum MHD_Result route_retry_later(struct http_req *r, unsigned status, const char *msg, unsigned secs);

/* 415 unless the body is declared JSON; *ret then holds the handler's return value. */
bool route_json_type(struct http_req *r, enum MHD_Result *ret);

/* Send the error a request parser found. */
enum MHD_Result route_refuse(struct http_req *r, const struct req_error *err);

/*
 * The reply of a store call: 404 "no such <what>" for SRV_ENOTFOUND, the
 * status of any other error with "database error", else 200 with `obj`
 * (stolen).
 */
enum MHD_Result route_store_result(struct http_req *r, int err, json_t *obj, const char *what);

/* SRV_OK when workshop `id` exists, SRV_ENOTFOUND, SRV_EDB. */
enum srv_err route_workshop_exists(struct http_req *r, const char *id);

/*
 * Workshop `w` (a store workshop object) as the API shows it: with
 * "join_url" (where phones join) after "series".  Steals `w`; a new
 * object, or NULL when out of memory (or `w` NULL).
 */
json_t *route_workshop_wire(struct http_req *r, json_t *w);

/* ---- who did what, and the presenter link (route_access.c) ---- */

/*
 * Record in the audit log that key `key_id` did `action` to workshop `ws`
 * and/or series `series` (either may be NULL), with `detail` (stolen; may
 * be NULL).  Called by a handler once its change is stored.  Best effort:
 * a failure is reported on stderr and does not undo or refuse the request.
 */
void route_audit(struct http_req *r, int64_t key_id, enum store_audit_action action, const char *ws,
		 const char *series, json_t *detail);

/*
 * Add "presenter_url" (BASE/present/ID#s=SECRET, the projector's link) to
 * `obj`, a facilitator's workshop object of workshop `ws`.  SRV_OK or an
 * srv_err.
 */
enum srv_err route_presenter_attach(struct http_req *r, const char *ws, json_t *obj);

/* ---- scopes: a workshop or a series (route_themes.c) ---- */

#define ROUTE_SYNTH_ERR 256        /* bytes of a synthesis error message */

/* Fill a scope of `kind` with `id`; false when the id is too long to be one (404). */
bool route_scope_set(enum synth_kind kind, const char *id, struct synth_scope *scope);

/* The scope the path names (p->workshop or p->series); false when the id cannot be one (404). */
bool route_scope(const struct req_params *p, struct synth_scope *scope);

/* 404 "no such workshop" or "no such series": the path's scope id cannot be one. */
enum MHD_Result route_no_scope(struct http_req *r, const struct req_params *p);

/* "workshop" or "series". */
const char *route_scope_name(const struct synth_scope *scope);

/* synth_get on the handlers' connection; msg[ROUTE_SYNTH_ERR] says why on SRV_EINVAL. */
enum srv_err route_synth_get(struct http_req *r, const struct synth_scope *scope, struct synth_result **out, char *msg);

/*
 * Send a synthesis error: its status (route_status), with `msg` (or a
 * default) for SRV_EINVAL, "out of memory", or 404 "no such workshop" /
 * "no such series".
 */
enum MHD_Result route_synth_error(struct http_req *r, int err, const struct synth_scope *scope, const char *msg);

/* ---- what route files add to a snapshot or join object of workshop `ws` ---- */

/*
 * The phone's participant token as "token" (route_lifecycle.c): the one it
 * sent in X-Participant-Token when that is valid for `ws`, else a new one
 * while the client address's issuance budget lasts, else null.  SRV_OK or
 * an srv_err.
 */
enum srv_err route_join_token(struct http_req *r, const char *ws, json_t *obj);

/* The presenter's themes summary as "themes" (route_themes.c).  SRV_OK or an srv_err. */
enum srv_err route_themes_attach(struct http_req *r, const char *ws, json_t *obj);

/*
 * The vote as "vote" (route_votes.c): the open one for phones; with
 * `answers` the latest, open or closed, with results.  SRV_OK or an srv_err.
 */
enum srv_err route_votes_attach(struct http_req *r, const char *ws, bool answers, json_t *obj);

#endif

/*
 * api.h - the JSON API of docs/API.md and the event stream.
 */
#ifndef INSPEL_API_H
#define INSPEL_API_H

#include <microhttpd.h>

#include "http/http.h"

/*
 * Handle a request whose URL starts with "/api/" once its body is read
 * (or, in state HTTP_REQ_WRITTEN, once the writer finished its job).
 * Always queues a response or suspends; returns MHD_NO only when the
 * connection must be dropped.
 */
enum MHD_Result api_handle(struct http_req *r, const char *url, const char *method);

/* ---- shared by the route files (api.c, api_synth.c, api_vote.c) ---- */

/* An error with a Retry-After header of `secs`. */
enum MHD_Result api_retry_later(struct MHD_Connection *c, unsigned status, const char *msg, unsigned secs);

/* 415 unless the body is declared JSON; *ret then holds the handler's return value. */
bool api_json_type(struct http_req *r, enum MHD_Result *ret);

/* Send the error a request parser found. */
enum MHD_Result api_refuse(struct http_req *r, const struct req_error *err);

/*
 * Workshop `w` (a store workshop object) as the API shows it: with
 * "join_url" (where phones join) after "series".  Steals `w`; a new
 * object, or NULL when out of memory (or `w` NULL).
 */
json_t *api_workshop_wire(struct http_req *r, json_t *w);

/* SRV_OK when workshop `id` exists, SRV_ENOTFOUND, SRV_EDB. */
int api_workshop_exists(struct http_req *r, const char *id);

/* 404 "no such <what>" for SRV_ENOTFOUND, 500 for other errors, else 200 with `obj` (stolen). */
enum MHD_Result api_store_result(struct http_req *r, int err, json_t *obj, const char *what);

/*
 * A route file claims the routes it serves: the methods it allows (for
 * 405 and the Allow header) and whether a key is needed, or NULL when the
 * route is not its own.  api_handle checks method and key, then calls the
 * file's handler with the key's id (0 for participant routes).
 */
const char *api_synth_allow(const struct req_route *rt, bool *facilitator);
enum MHD_Result api_synth_handle(struct http_req *r, const struct req_route *rt, const char *method, int64_t key_id);
const char *api_vote_allow(const struct req_route *rt, bool *facilitator);
enum MHD_Result api_vote_handle(struct http_req *r, const struct req_route *rt, const char *method, int64_t key_id);

/* PATCH /api/workshops/ID {"series": ...} (api_synth.c). */
enum MHD_Result api_synth_patch_workshop(struct http_req *r, const char *workshop_id);

/*
 * Add what a route file contributes to a snapshot or join object `obj` of
 * workshop `ws`: the presenter's themes summary ("themes", api_synth.c,
 * only asked for ?answers=1 streams) and the vote ("vote", api_vote.c: the
 * open one for phones; with `answers` the latest, open or closed, with
 * results).  SRV_OK or an srv_err (the snapshot fails).
 */
int api_synth_attach(struct http_req *r, const char *ws, json_t *obj);
int api_vote_attach(struct http_req *r, const char *ws, bool answers, json_t *obj);

#endif

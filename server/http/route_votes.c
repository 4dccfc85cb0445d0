/*
 * route_votes.c - voting on themes with dots: opening, closing and listing
 * votes (facilitator), ballots from phones, and the open vote in join
 * objects and snapshots (phones: the open vote; presenters: the latest,
 * open or closed, so a screen opened after the close still shows the result).
 *
 * A vote offers themes of the current synthesis, so opening one reads the
 * synthesis first.  Ballots are rare next to answers, so they are written
 * directly on the handlers' shared store rather than through the answer
 * writer; the store's busy timeout bounds how long one can wait for the
 * writer's commit.  Every vote write and its event happen under
 * app->vote_lock, so events leave in commit order.  Phones never see
 * results: every vote event is published twice, without results to
 * EVENTS_PHONES and with them to EVENTS_ANSWERS (the presenter).
 */
#include "http/routes.h"
#include "pipeline/analysis.h"
#include "live/events.h"
#include "wire/request.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "synth/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUTE_VOTE_ERR 160   /* bytes of a refusal or synthesis error message */

/* Send a vote (open or closed) to the room: phones without results, presenters with them. */
static void route_vote_publish(struct http_req *r, const char *ws, const json_t *vote)
{
	hub_vote_changed(&r->app->hub, ws, vote);
}

/* Publish vote `id` as it is now (another vote closed it), under the caller's vote lock.  Best effort. */
static void route_vote_publish_id(struct http_req *r, const char *ws, json_int_t id)
{
	json_t *vote = NULL;

	if (!store_vote_get(r->app->store, id, &vote, NULL))
		route_vote_publish(r, ws, vote);
	json_decref(vote);
}

/*
 * Tell the room about `vote`, first about vote `previous` (0: none) when
 * opening `vote` closed it.  Under app->vote_lock.
 */
static void route_vote_announce(struct http_req *r, const char *ws, json_int_t previous, const json_t *vote)
{
	if (previous && previous != json_integer_value(json_object_get(vote, "id")))
		route_vote_publish_id(r, ws, previous);
	route_vote_publish(r, ws, vote);
}

/* The open vote's id of workshop `ws` (0 when none), under the caller's vote lock. */
static json_int_t route_vote_open_id(struct http_req *r, const char *ws)
{
	json_t *vote = NULL;
	json_int_t id;

	if (store_vote_current(r->app->store, ws, &vote))
		return 0;
	id = json_integer_value(json_object_get(vote, "id"));
	json_decref(vote);
	return id;
}

/* A theme a vote may offer by default: its size and place in the synthesis. */
struct route_vote_pick {
	size_t size;
	size_t index;
};

/* Larger size first; equal sizes keep the synthesis' order (qsort is not stable by itself). */
static int route_vote_pick_cmp(const void *a, const void *b)
{
	const struct route_vote_pick *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Append theme `t` of the synthesis to `list` as a vote offers it: {"id", "label"}.  False when out of memory. */
static bool route_vote_offer(json_t *list, const struct synth_result *res, size_t t)
{
	const struct analysis_theme *th = &res->res->themes[t];

	return json_array_append_new(list, json_pack("{s:s,s:s}", "id", th->id, "label", th->label)) == 0;
}

/*
 * The {"id", "label"} list a vote offers into *out: the named themes (each
 * must be in the synthesis `res`), or by default every theme with answers,
 * largest first, at most LIMIT_VOTE_THEMES_MAX.  On refusal *status and
 * msg say why (422 unknown theme or none with answers, 500 out of memory).
 */
static bool route_vote_themes(const struct synth_result *res, const json_t *named, json_t **out,
			      unsigned *status, char *msg, size_t msglen)
{
	const struct analysis_result *an = res->res;
	struct route_vote_pick *picks = NULL;
	size_t i, count = 0;
	json_t *list = json_array(), *n;

	*status = 500;
	snprintf(msg, msglen, "out of memory");
	if (!list)
		return false;
	if (named) {
		json_array_foreach(named, i, n) {
			long t = synth_theme_index(res, json_string_value(n));
			if (t < 0) {
				*status = 422;
				snprintf(msg, msglen, "unknown theme: %.100s", json_string_value(n));
				goto fail;
			}
			if (!route_vote_offer(list, res, (size_t)t))
				goto fail;
		}
		*out = list;
		return true;
	}
	picks = calloc(an->nthemes + 1, sizeof *picks);
	if (!picks)
		goto fail;
	for (i = 0; i < an->nthemes; i++)
		if (an->themes[i].size > 0)
			picks[count++] = (struct route_vote_pick){ an->themes[i].size, i };
	if (count == 0) {
		*status = 422;
		snprintf(msg, msglen, "no themes: no theme has answers yet");
		goto fail;
	}
	qsort(picks, count, sizeof *picks, route_vote_pick_cmp);
	for (i = 0; i < count && i < LIMIT_VOTE_THEMES_MAX; i++)
		if (!route_vote_offer(list, res, picks[i].index))
			goto fail;
	free(picks);
	*out = list;
	return true;
fail:
	free(picks);
	json_decref(list);
	return false;
}

/* POST /api/workshops/ID/votes */
enum MHD_Result route_vote_open(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	struct synth_scope scope = { .kind = SYNTH_WORKSHOP };
	struct synth_result *res = NULL;
	const char *ws = p->workshop;
	json_t *themes = NULL, *vote = NULL;
	char msg[ROUTE_VOTE_ERR] = "";
	json_int_t previous = 0;
	struct req_error rerr;
	struct req_vote in;
	enum MHD_Result ret;
	unsigned status;
	int err;

	if (!route_json_type(r, &ret))
		return ret;
	if (!req_vote_parse(r->body.data, r->body.len, &in, &rerr))
		return route_refuse(r, &rerr);
	if (strlen(ws) > LIMIT_WORKSHOP_ID_LEN) {
		ret = http_error(r->conn, 404, "no such workshop");
		goto out;
	}
	snprintf(scope.id, sizeof scope.id, "%s", ws);
	err = synth_get(r->app->synth, r->app->store, &scope, &res, msg, sizeof msg);
	if (err) {
		if (err != SRV_ENOTFOUND)
			fprintf(stderr, "votes: synthesis of %s: %s\n", ws, msg[0] ? msg : srv_strerror(err));
		ret = err == SRV_ENOTFOUND ? http_error(r->conn, 404, "no such workshop")
					   : route_error(r, err, "could not compute the themes");
		goto out;
	}
	if (!route_vote_themes(res, in.themes, &themes, &status, msg, sizeof msg)) {
		ret = http_error(r->conn, status, msg);
		goto out;
	}
	pthread_mutex_lock(&r->app->vote_lock);
	previous = route_vote_open_id(r, ws);
	err = store_vote_open(r->app->store, ws, key_id, in.dots, themes, &vote);
	if (!err)
		route_vote_announce(r, ws, previous, vote);
	pthread_mutex_unlock(&r->app->vote_lock);
	if (!err)
		route_audit(r, key_id, STORE_AUDIT_VOTE_OPEN, ws, NULL, json_pack("{s:O}", "vote", json_object_get(vote, "id")));
	ret = err ? route_store_result(r, err, NULL, "workshop") : http_json(r->conn, 201, vote);
out:
	req_vote_free(&in);
	json_decref(themes);
	synth_put(res);
	return ret;
}

/* PATCH /api/votes/VID */
enum MHD_Result route_vote_patch(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	json_t *vote = NULL;
	json_int_t previous = 0;
	struct req_error rerr;
	enum MHD_Result ret;
	int64_t id;
	bool open;
	int err = SRV_OK;

	if (!req_parse_id(p->id, &id))
		return http_error(r->conn, 404, "no such vote");
	if (!route_json_type(r, &ret))
		return ret;
	if (!req_vote_patch_parse(r->body.data, r->body.len, &open, &rerr))
		return route_refuse(r, &rerr);
	pthread_mutex_lock(&r->app->vote_lock);
	/* Reopening closes the workshop's open vote; the room must hear that one closed. */
	if (open) {
		err = store_vote_get(r->app->store, id, &vote, ws);
		if (!err)
			previous = route_vote_open_id(r, ws);
		json_decref(vote);
		vote = NULL;
	}
	if (!err)
		err = store_vote_set_open(r->app->store, id, open, &vote, ws);
	if (!err)
		route_vote_announce(r, ws, previous, vote);
	pthread_mutex_unlock(&r->app->vote_lock);
	if (!err)
		route_audit(r, key_id, open ? STORE_AUDIT_VOTE_OPEN : STORE_AUDIT_VOTE_CLOSE, ws, NULL,
			    json_pack("{s:I}", "vote", (json_int_t)id));
	return err ? route_store_result(r, err, NULL, "vote") : http_json(r->conn, 200, vote);
}

/* GET /api/workshops/ID/votes */
enum MHD_Result route_vote_list(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	json_t *list = NULL;
	int err;

	err = store_vote_list(r->app->store, p->workshop, &list);
	if (!err && !(list = json_pack("{s:o}", "votes", list)))
		err = SRV_ENOMEM;
	return route_store_result(r, err, list, "workshop");
}

static enum MHD_Result route_ballot_error(struct http_req *r, int err)
{
	switch (err) {
	case SRV_ENOTFOUND:
		return route_error(r, err, "unknown join code or vote");
	case SRV_ECLOSED:
		return route_error(r, err, "the vote is closed");
	case SRV_EGONE:
		return route_error(r, err, "the workshop is closed");
	case SRV_EAUTH:
		return route_error(r, err, "a participant token is required: join the workshop again");
	case SRV_ECONFLICT:
		return route_error(r, err, "this phone has already voted");
	case SRV_EINVAL:
		return route_error(r, err, "a theme is not in the vote, or more dots than the vote gives");
	case SRV_EDB:
		/* Most likely the database stayed busy past the timeout: a phone's write is worth retrying. */
		return route_retry_later(r, 503, "could not store the ballot", 1);
	default:
		return route_error(r, err, "could not store the ballot");
	}
}

/* POST /api/ballots */
enum MHD_Result route_ballot_post(struct http_req *r, const struct req_params *p, int64_t key_id)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct store_ballot_in in;
	struct req_ballot b;
	struct req_error rerr;
	enum MHD_Result ret;
	json_t *vote = NULL, *reply;
	bool created = false;
	int err;

	if (atomic_load(&r->app->stopping))
		return route_error(r, SRV_ESTOPPED, "the server is shutting down");
	if (!route_json_type(r, &ret))
		return ret;
	if (!req_ballot_parse(r->body.data, r->body.len, &b, &rerr))
		return route_refuse(r, &rerr);
	in = (struct store_ballot_in){ .code = b.code, .vote_id = b.vote_id, .client_id = b.client_id,
				       .token = b.token, .dots = b.dots };
	pthread_mutex_lock(&r->app->vote_lock);
	err = store_ballot_submit(r->app->store, &in, &created, &vote, ws);
	/* Published under the vote lock, so the presenter sees the counts in commit order. */
	if (!err && created)
		hub_vote_counted(&r->app->hub, ws, vote);
	pthread_mutex_unlock(&r->app->vote_lock);
	json_decref(vote);
	if (err) {
		req_ballot_free(&b);
		return route_ballot_error(r, err);
	}
	reply = json_pack("{s:I,s:O}", "vote_id", (json_int_t)b.vote_id, "dots", b.dots);
	req_ballot_free(&b);
	return http_json(r->conn, created ? 201 : 200, reply);
}

/*
 * The vote a presenter shows into *out: the open vote, or when none is open
 * the one opened last (closed, with its final result), or json null.  Under
 * no lock: it only reads.  The full list is read only when no vote is open;
 * a workshop holds a handful of votes.
 */
static int route_vote_latest(struct http_req *r, const char *ws, json_t **out)
{
	json_t *list = NULL;
	size_t n;
	int err;

	err = store_vote_current(r->app->store, ws, out);
	if (err || !json_is_null(*out))
		return err;
	err = store_vote_list(r->app->store, ws, &list);
	if (err)
		return err;
	n = json_array_size(list);
	if (n > 0)
		*out = json_incref(json_array_get(list, n - 1));
	json_decref(list);
	return SRV_OK;
}

enum srv_err route_votes_attach(struct http_req *r, const char *ws, bool answers, json_t *obj)
{
	json_t *vote = NULL;
	int err;

	err = answers ? route_vote_latest(r, ws, &vote) : store_vote_current(r->app->store, ws, &vote);
	if (err)
		return err;
	if (!answers && !json_is_null(vote)) {
		json_t *phones = hub_vote_for_phones(vote);
		json_decref(vote);
		vote = phones;
		if (!vote)
			return SRV_ENOMEM;
	}
	return json_object_set_new(obj, "vote", vote) ? SRV_ENOMEM : SRV_OK;
}

/*
 * synth.c - the per-scope synthesis cache (see synth.h).
 *
 * Staleness uses one logical clock: every touch stamps the workshop or
 * scope with the next tick, and a result remembers the tick at which its
 * store read began.  A result is stale when its scope or any workshop it
 * was read from carries a later stamp.  Because a commit happens before
 * its touch, and the tick is taken before the read, a change is either in
 * the read or stamped after it, never lost.  The cache lock guards only
 * this bookkeeping; the store read takes only the store's own lock, call
 * by call, and the analysis runs under no lock at all.
 *
 * The cache keeps at most `max` results.  Eviction drops only the entry's
 * result and discovered snapshots (the big parts); the entry itself, with
 * its stamp and rev counter, stays, so staleness and revs stay right and an
 * evicted scope simply recomputes.  Dropping the snapshots keeps the bound
 * real (a scope's 8 snapshots list every discovered answer id); a decision
 * naming new-N of an evicted scope's revision gets the documented 409.
 */
#include "synth/synth.h"
#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "curate/curate.h"
#include "base/srv_err.h"
#include "themes/themes.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#define SYNTH_ID_TEXT 24   /* a decimal int64 and its NUL */

/* The last change stamp of one workshop. */
struct synth_ws {
	struct synth_ws *next;
	char id[LIMIT_WORKSHOP_ID_LEN + 1];
	uint64_t stamp;
};

/* The discovered themes of one revision: {"new-N": {"label", "terms", "answers"}}. */
struct synth_disc {
	uint64_t rev;
	json_t *themes;
};

struct synth_entry {
	struct synth_entry *next;
	struct synth_scope scope;
	uint64_t stamp;                    /* last synth_touch_scope */
	uint64_t rev;                      /* of the last computation */
	uint64_t used;                     /* sy->uses when last served, for eviction */
	struct synth_result *cur;          /* held; NULL before the first computation or once evicted */
	char (*deps)[LIMIT_WORKSHOP_ID_LEN + 1];   /* workshops `cur` was read from */
	size_t ndeps;
	bool computing;
	struct synth_disc disc[SYNTH_REVS];   /* ring, by rev % SYNTH_REVS */
};

struct synth {
	pthread_mutex_t lock;
	pthread_cond_t done;               /* a computation finished */
	uint64_t clock;
	uint64_t uses;                     /* counts synth_get answers, for LRU */
	size_t ncached;                    /* entries with a result */
	size_t max;                        /* most entries with a result */
	struct synth_ws *ws;
	struct synth_entry *entries;
};

enum srv_err synth_open_max(struct synth **out, size_t max)
{
	struct synth *sy;

	*out = NULL;
	if (max == 0)
		return SRV_EINVAL;
	sy = calloc(1, sizeof *sy);
	if (!sy)
		return SRV_ENOMEM;
	pthread_mutex_init(&sy->lock, NULL);
	pthread_cond_init(&sy->done, NULL);
	sy->clock = 1;
	sy->max = max;
	*out = sy;
	return SRV_OK;
}

enum srv_err synth_open(struct synth **out)
{
	return synth_open_max(out, SYNTH_MAX_SCOPES);
}

/* Drop an entry's result, its workshops and its discovered snapshots; keep stamp and rev. */
static void synth_entry_drop(struct synth_entry *e)
{
	size_t i;

	synth_put(e->cur);
	e->cur = NULL;
	free(e->deps);
	e->deps = NULL;
	e->ndeps = 0;
	for (i = 0; i < SYNTH_REVS; i++) {
		json_decref(e->disc[i].themes);
		e->disc[i].themes = NULL;
		e->disc[i].rev = 0;
	}
}

static void synth_entry_free(struct synth_entry *e)
{
	synth_entry_drop(e);
	free(e);
}

/*
 * Evict least recently used results until at most sy->max remain, never
 * `keep` (the one just computed); lock held.  The scan is linear, but it
 * only runs after a computation, which costs far more.
 */
static void synth_evict(struct synth *sy, const struct synth_entry *keep)
{
	while (sy->ncached > sy->max) {
		struct synth_entry *e, *lru = NULL;
		for (e = sy->entries; e; e = e->next)
			if (e->cur && e != keep && (!lru || e->used < lru->used))
				lru = e;
		if (!lru)
			return;
		synth_entry_drop(lru);
		sy->ncached--;
	}
}

void synth_close(struct synth *sy)
{
	struct synth_entry *e, *enext;
	struct synth_ws *w, *wnext;

	if (!sy)
		return;
	for (e = sy->entries; e; e = enext) {
		enext = e->next;
		synth_entry_free(e);
	}
	for (w = sy->ws; w; w = wnext) {
		wnext = w->next;
		free(w);
	}
	pthread_cond_destroy(&sy->done);
	pthread_mutex_destroy(&sy->lock);
	free(sy);
}

static bool synth_same_scope(const struct synth_scope *a, const struct synth_scope *b)
{
	return a->kind == b->kind && strcmp(a->id, b->id) == 0;
}

/* The entry of a scope, added when `add`; lock held.  NULL when absent or out of memory. */
static struct synth_entry *synth_entry(struct synth *sy, const struct synth_scope *scope, bool add)
{
	struct synth_entry *e;

	for (e = sy->entries; e; e = e->next)
		if (synth_same_scope(&e->scope, scope))
			return e;
	if (!add || !(e = calloc(1, sizeof *e)))
		return NULL;
	e->scope.kind = scope->kind;
	snprintf(e->scope.id, sizeof e->scope.id, "%s", scope->id);
	e->next = sy->entries;
	sy->entries = e;
	return e;
}

/* A workshop's change stamp (0: never touched); lock held. */
static uint64_t synth_ws_stamp(const struct synth *sy, const char *id)
{
	const struct synth_ws *w;

	for (w = sy->ws; w; w = w->next)
		if (strcmp(w->id, id) == 0)
			return w->stamp;
	return 0;
}

void synth_touch_workshop(struct synth *sy, const char *workshop_id)
{
	struct synth_ws *w;

	pthread_mutex_lock(&sy->lock);
	for (w = sy->ws; w; w = w->next)
		if (strcmp(w->id, workshop_id) == 0)
			break;
	if (!w && (w = calloc(1, sizeof *w))) {
		snprintf(w->id, sizeof w->id, "%s", workshop_id);
		w->next = sy->ws;
		sy->ws = w;
	}
	/* Out of memory: bump every scope instead, so nothing is served stale. */
	if (w) {
		w->stamp = ++sy->clock;
	} else {
		struct synth_entry *e;
		uint64_t t = ++sy->clock;
		for (e = sy->entries; e; e = e->next)
			e->stamp = t;
	}
	pthread_mutex_unlock(&sy->lock);
}

void synth_touch_scope(struct synth *sy, const struct synth_scope *scope)
{
	struct synth_entry *e;

	pthread_mutex_lock(&sy->lock);
	e = synth_entry(sy, scope, false);
	if (e)
		e->stamp = ++sy->clock;
	pthread_mutex_unlock(&sy->lock);
}

/* Is the entry's current result still good?  Lock held. */
static bool synth_fresh(const struct synth *sy, const struct synth_entry *e)
{
	size_t i;

	if (!e->cur || e->stamp > e->cur->gen)
		return false;
	for (i = 0; i < e->ndeps; i++)
		if (synth_ws_stamp(sy, e->deps[i]) > e->cur->gen)
			return false;
	return true;
}

void synth_hold(struct synth_result *r)
{
	/* Only a holder may take another reference: a result at 0 is being freed. */
	unsigned refs = __atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);

	assert(refs > 1);
	(void)refs;
}

void synth_put(struct synth_result *r)
{
	unsigned refs;

	if (!r)
		return;
	refs = __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL);
	/* An underflow wraps to a huge count: a put without its hold. */
	assert(refs < (1u << 31));
	if (refs > 0)
		return;
	pthread_mutex_destroy(&r->full_lock);
	free(r->full_json);
	json_decref(r->answers);
	free(r->row);
	analysis_result_free(r->res);
	json_decref(r->records);
	json_decref(r->decisions);
	free(r->themes_text);
	free(r);
}

/* What one computation read from the store. */
struct synth_read {
	json_t *answers;     /* store_scope_answers */
	json_t *records;     /* store_decision_list's "decisions" */
	char (*deps)[LIMIT_WORKSHOP_ID_LEN + 1];
	size_t ndeps;
};

static void synth_read_free(struct synth_read *rd)
{
	json_decref(rd->answers);
	json_decref(rd->records);
	free(rd->deps);
	memset(rd, 0, sizeof *rd);
}

/* The workshops a series consists of, from store_series_get. */
static int synth_read_deps(struct store *st, const struct synth_scope *scope, struct synth_read *rd)
{
	json_t *series = NULL, *list, *w;
	size_t i, n;
	int err;

	if (scope->kind == SYNTH_WORKSHOP) {
		rd->deps = calloc(1, sizeof *rd->deps);
		if (!rd->deps)
			return SRV_ENOMEM;
		snprintf(rd->deps[0], sizeof rd->deps[0], "%s", scope->id);
		rd->ndeps = 1;
		return SRV_OK;
	}
	err = store_series_get(st, scope->id, &series);
	if (err)
		return err;
	list = json_object_get(series, "workshops");
	n = json_array_size(list);
	rd->deps = calloc(n ? n : 1, sizeof *rd->deps);
	if (!rd->deps) {
		json_decref(series);
		return SRV_ENOMEM;
	}
	json_array_foreach(list, i, w) {
		const char *id = json_string_value(json_object_get(w, "id"));
		snprintf(rd->deps[rd->ndeps++], sizeof rd->deps[0], "%s", id ? id : "");
	}
	json_decref(series);
	return SRV_OK;
}

/* Everything a computation needs from the store. */
static int synth_read(struct store *st, const struct synth_scope *scope,
		      struct synth_read *rd)
{
	const char *ws = scope->kind == SYNTH_WORKSHOP ? scope->id : NULL;
	const char *series = scope->kind == SYNTH_SERIES ? scope->id : NULL;
	json_t *list = NULL;
	int err;

	memset(rd, 0, sizeof *rd);
	err = synth_read_deps(st, scope, rd);
	if (!err)
		err = store_scope_answers(st, ws, series, &rd->answers);
	if (!err)
		err = store_decision_list(st, ws, series, &list);
	if (!err) {
		rd->records = json_incref(list);
		if (!json_is_array(rd->records))
			err = SRV_EDB;
	}
	json_decref(list);
	if (err)
		synth_read_free(rd);
	return err;
}

/* The details of the decisions that are in force: not undone, not undos, in order.  NULL: no memory. */
static json_t *synth_active(const json_t *records)
{
	json_t *active = json_array(), *rec;
	size_t i;

	if (!active)
		return NULL;
	json_array_foreach(records, i, rec) {
		const char *kind = json_string_value(json_object_get(rec, "kind"));
		json_t *undone = json_object_get(rec, "undone_by");
		if (!kind || strcmp(kind, "undo") == 0 || (undone && !json_is_null(undone)))
			continue;
		if (json_array_append(active, json_object_get(rec, "detail"))) {
			json_decref(active);
			return NULL;
		}
	}
	return active;
}

static const char *synth_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Run the analysis over the visible answers into r (answers, decisions already set). */
static int synth_analyse(struct synth_result *r, const struct curate *cur, char *err, size_t errlen)
{
	struct analysis_answer *in = NULL;
	char (*ids)[SYNTH_ID_TEXT] = NULL;
	struct analysis_input input;
	struct analysis_opts opts;
	size_t i, n = 0, total = json_array_size(r->answers);
	char why[256];
	json_t *a;
	int code, ret = SRV_ENOMEM;

	in = calloc(total ? total : 1, sizeof *in);
	ids = calloc(total ? total : 1, sizeof *ids);
	r->row = calloc(total ? total : 1, sizeof *r->row);
	if (!in || !ids || !r->row)
		goto out;
	json_array_foreach(r->answers, i, a) {
		if (json_is_true(json_object_get(a, "hidden")))
			continue;
		snprintf(ids[n], sizeof ids[n], "%lld", (long long)json_integer_value(json_object_get(a, "id")));
		in[n].id = ids[n];
		in[n].text = synth_str(a, "text");
		in[n].question = synth_str(a, "question");
		in[n].group = synth_str(a, "group");
		in[n].organisation = synth_str(a, "organisation");
		in[n].workshop = synth_str(a, "workshop");
		if (!in[n].text)
			in[n].text = "";
		r->row[n++] = i;
	}
	input.v = in;
	input.n = n;
	memset(&opts, 0, sizeof opts);
	opts.lang = SYNTH_LANG;
	opts.seed = SYNTH_SEED;
	opts.curation = cur->n ? cur : NULL;
	why[0] = '\0';
	opts.err = why;
	opts.errlen = sizeof why;
	code = analysis_run(&input, &opts, &r->res);
	if (code == AN_ENOMEM) {
		ret = SRV_ENOMEM;
	} else if (code) {
		if (err && errlen)
			snprintf(err, errlen, "the analysis failed: %s", why[0] ? why : an_strerror(code));
		ret = SRV_EINVAL;
	} else {
		ret = SRV_OK;
	}
out:
	free(in);
	free(ids);
	return ret;
}

/* Release an array from synth_theme_arrays (n: its themes); NULL entries and a NULL arr are fine. */
static void synth_theme_arrays_free(json_t **arr, size_t n)
{
	size_t t;

	for (t = 0; arr && t < n; t++)
		json_decref(arr[t]);
	free(arr);
}

/* A new empty JSON array for each theme of res, or NULL (no memory); free with synth_theme_arrays_free. */
static json_t **synth_theme_arrays(const struct analysis_result *res)
{
	json_t **arr = calloc(res->nthemes ? res->nthemes : 1, sizeof *arr);
	size_t t;

	for (t = 0; arr && t < res->nthemes; t++)
		if (!(arr[t] = json_array())) {
			synth_theme_arrays_free(arr, res->nthemes);
			return NULL;
		}
	return arr;
}

/* The discovered themes of a result, as synth_discovered hands them out.  NULL: no memory. */
static json_t *synth_disc_snapshot(const struct synth_result *r)
{
	const struct analysis_result *res = r->res;
	json_t *all = json_object(), **answers = synth_theme_arrays(res);
	size_t t, i, k;

	if (!all || !answers)
		goto fail;
	for (t = 0; t < res->nthemes; t++) {
		const struct analysis_theme *th = &res->themes[t];
		json_t *terms, *obj;
		if (th->origin != ANALYSIS_DISCOVERED)
			continue;
		terms = json_array();
		obj = json_object();
		for (k = 0; terms && k < th->nterms; k++)
			json_array_append_new(terms, json_string(th->terms[k]));
		if (!terms || !obj ||
		    json_object_set_new(obj, "label", json_string(th->label)) ||
		    json_object_set_new(obj, "terms", terms) || json_object_set(obj, "answers", answers[t]) ||
		    json_object_set_new(all, th->id, obj))
			goto fail;
	}
	for (i = 0; i < res->nanswers; i++)
		for (k = 0; k < res->assign[i].nmatches; k++) {
			uint32_t t2 = res->assign[i].matches[k].theme;
			if (t2 < res->nthemes && res->themes[t2].origin == ANALYSIS_DISCOVERED &&
			    json_array_append_new(answers[t2], json_string(res->ids[i])))
				goto fail;
		}
	synth_theme_arrays_free(answers, res->nthemes);
	return all;
fail:
	synth_theme_arrays_free(answers, res->nthemes);
	json_decref(all);
	return NULL;
}

/* Compute a scope from scratch into a new result (refs 1) and its discovered snapshot. */
static int synth_compute(struct store *st, const struct synth_scope *scope, uint64_t gen,
			 struct synth_read *rd, struct synth_result **out, json_t **disc, char *err, size_t errlen)
{
	struct curate cur = { 0 };
	struct synth_result *r;
	char *text = NULL, why[256];
	const char *themes;
	int code, ret;

	*out = NULL;
	*disc = NULL;
	ret = synth_read(st, scope, rd);
	if (ret)
		return ret;
	r = calloc(1, sizeof *r);
	if (!r)
		return SRV_ENOMEM;
	r->refs = 1;
	r->gen = gen;
	pthread_mutex_init(&r->full_lock, NULL);
	r->scope = *scope;
	store_now(r->analysed);
	r->answers = json_incref(rd->answers);
	r->records = json_incref(rd->records);
	ret = SRV_ENOMEM;
	r->decisions = synth_active(r->records);
	if (!r->decisions || !(text = json_dumps(r->decisions, JSON_COMPACT)))
		goto fail;
	why[0] = '\0';
	code = curate_parse(&cur, text, strlen(text), why, sizeof why);
	if (code == AN_ENOMEM)
		goto fail;
	if (code) {
		if (err && errlen)
			snprintf(err, errlen, "the stored decisions cannot be applied: %s", why);
		ret = SRV_EINVAL;
		goto fail;
	}
	themes = curate_themes_text(&cur);
	r->themes_default = themes == NULL;
	r->themes_text = strdup(themes ? themes : themes_default());
	if (!r->themes_text)
		goto fail;
	ret = synth_analyse(r, &cur, err, errlen);
	if (ret)
		goto fail;
	*disc = synth_disc_snapshot(r);
	if (!*disc) {
		ret = SRV_ENOMEM;
		goto fail;
	}
	*out = r;
	r = NULL;
fail:
	curate_free(&cur);
	free(text);
	synth_put(r);
	return ret;
}

enum srv_err synth_get(struct synth *sy, struct store *st, const struct synth_scope *scope,
	      struct synth_result **out, char *err, size_t errlen)
{
	struct synth_read rd = { 0 };
	struct synth_result *r = NULL;
	struct synth_entry *e;
	json_t *disc = NULL;
	uint64_t gen;
	int ret;

	*out = NULL;
	pthread_mutex_lock(&sy->lock);
	for (;;) {
		e = synth_entry(sy, scope, true);
		if (!e) {
			pthread_mutex_unlock(&sy->lock);
			return SRV_ENOMEM;
		}
		if (synth_fresh(sy, e)) {
			e->used = ++sy->uses;
			synth_hold(e->cur);
			*out = e->cur;
			pthread_mutex_unlock(&sy->lock);
			return SRV_OK;
		}
		if (!e->computing)
			break;
		pthread_cond_wait(&sy->done, &sy->lock);
	}
	e->computing = true;
	gen = sy->clock;
	pthread_mutex_unlock(&sy->lock);

	ret = synth_compute(st, scope, gen, &rd, &r, &disc, err, errlen);

	pthread_mutex_lock(&sy->lock);
	/*
	 * `e` is still valid: only the thread computing an entry removes it
	 * (below), and waiters look their entry up again after every wait.
	 */
	e->computing = false;
	if (ret && e->rev == 0) {
		/*
		 * Never computed (an unknown scope, say): keep no entry for it.
		 * One computed before keeps its entry even when evicted, so its
		 * rev never restarts.
		 */
		struct synth_entry **p;
		for (p = &sy->entries; *p != e; p = &(*p)->next)
			;
		*p = e->next;
		synth_entry_free(e);
	} else if (!ret) {
		struct synth_disc *slot;
		r->rev = ++e->rev;
		e->used = ++sy->uses;
		if (!e->cur)
			sy->ncached++;
		synth_put(e->cur);
		e->cur = r;
		synth_hold(r);
		free(e->deps);
		e->deps = rd.deps;
		e->ndeps = rd.ndeps;
		rd.deps = NULL;
		slot = &e->disc[r->rev % SYNTH_REVS];
		json_decref(slot->themes);
		slot->rev = r->rev;
		slot->themes = disc;
		disc = NULL;
		*out = r;
		synth_evict(sy, e);
	}
	pthread_cond_broadcast(&sy->done);
	pthread_mutex_unlock(&sy->lock);
	synth_read_free(&rd);
	json_decref(disc);
	return ret;
}

/* `s` cut to at most `max` code points (s is valid UTF-8).  New string or NULL. */
static json_t *synth_cut(const char *s, size_t max)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t len = strlen(s), off = 0, n = 0;
	ucs4_t uc;
	int step;

	while (off < len && n < max) {
		step = u8_mbtouc(&uc, p + off, len - off);
		off += (size_t)(step > 0 ? step : 1);
		n++;
	}
	return json_stringn(s, off);
}

enum srv_err synth_discovered(struct synth *sy, const struct synth_scope *scope, uint64_t rev, const char *theme_id,
		     const char *new_id, json_t **adopt)
{
	struct synth_entry *e;
	json_t *theme, *terms = NULL, *answers = NULL;
	const char *label;
	int ret = SRV_ECONFLICT;

	*adopt = NULL;
	pthread_mutex_lock(&sy->lock);
	e = synth_entry(sy, scope, false);
	if (!e || !e->disc[rev % SYNTH_REVS].themes || e->disc[rev % SYNTH_REVS].rev != rev)
		goto out;
	ret = SRV_ENOTFOUND;
	theme = json_object_get(e->disc[rev % SYNTH_REVS].themes, theme_id);
	if (!theme)
		goto out;
	/* Deep copies: the snapshot's arrays must not be shared with a decision the caller edits. */
	terms = json_deep_copy(json_object_get(theme, "terms"));
	answers = json_deep_copy(json_object_get(theme, "answers"));
	label = synth_str(theme, "label");
	ret = SRV_ENOMEM;
	if (!terms || !answers || !label)
		goto out;
	while (json_array_size(terms) > CURATE_MAX_TERMS)
		json_array_remove(terms, json_array_size(terms) - 1);
	*adopt = json_pack("{s:s,s:s,s:o,s:O,s:O}", "kind", "adopt", "id", new_id,
			   "label", synth_cut(label, CURATE_MAX_LABEL), "terms", terms, "answers", answers);
	if (*adopt)
		ret = SRV_OK;
out:
	pthread_mutex_unlock(&sy->lock);
	json_decref(terms);
	json_decref(answers);
	return ret;
}

long synth_theme_index(const struct synth_result *r, const char *id)
{
	size_t t;

	for (t = 0; t < r->res->nthemes; t++)
		if (strcmp(r->res->themes[t].id, id) == 0)
			return (long)t;
	return -1;
}

long synth_answer_row(const struct synth_result *r, int64_t id)
{
	json_t *a;
	size_t i;

	json_array_foreach(r->answers, i, a)
		if (json_integer_value(json_object_get(a, "id")) == id)
			return (long)i;
	return -1;
}

/* ---- views ---- */

static const char *synth_origin(enum analysis_origin o)
{
	return o == ANALYSIS_GIVEN ? "given" : o == ANALYSIS_DISCOVERED ? "discovered" : "curated";
}

/* The server answer of analysis answer i. */
static const json_t *synth_answer(const struct synth_result *r, size_t i)
{
	return json_array_get(r->answers, r->row[i]);
}

static json_t *synth_strings(char **v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static const char *const synth_dim_names[ANALYSIS_NDIMS] = { "question", "group", "organisation", "workshop" };

/* {"question": [{"value", "count", "total"}], "group": ..., "organisation": ..., "workshop": ...} */
static json_t *synth_shares(const struct analysis_theme *th)
{
	json_t *all = json_object();
	size_t d, k;

	for (d = 0; all && d < ANALYSIS_NDIMS; d++) {
		json_t *list = json_array();
		for (k = 0; list && k < th->nshares[d]; k++)
			if (json_array_append_new(list, json_pack("{s:s,s:I,s:I}", "value", th->shares[d][k].value,
								  "count", (json_int_t)th->shares[d][k].count,
								  "total", (json_int_t)th->shares[d][k].total))) {
				json_decref(list);
				list = NULL;
			}
		if (!list || json_object_set_new(all, synth_dim_names[d], list)) {
			json_decref(all);
			all = NULL;
		}
	}
	return all;
}

/*
 * One theme of a view; `answers` (full view) is stolen.  The presenter's
 * summary quotes at most SYNTH_SUMMARY_QUOTES answers and never one held
 * for personal data; the facilitator's view lists every quote's id.
 */
static json_t *synth_theme(const struct synth_result *r, size_t t, bool full, json_t *answers)
{
	const struct analysis_theme *th = &r->res->themes[t];
	json_t *obj, *quotes = json_array();
	size_t k;

	for (k = 0; quotes && k < th->nquotes && (full || json_array_size(quotes) < SYNTH_SUMMARY_QUOTES); k++) {
		const json_t *a = synth_answer(r, th->quotes[k].answer);
		json_t *q;
		if (!full && json_is_true(json_object_get(a, "held")))
			continue;
		q = full ? json_incref(json_object_get(a, "id"))
			 : json_pack("{s:O,s:O}", "id", json_object_get(a, "id"), "text", json_object_get(a, "text"));
		if (json_array_append_new(quotes, q)) {
			json_decref(quotes);
			quotes = NULL;
		}
	}
	obj = json_pack("{s:s,s:s,s:s,s:I,s:o*}", "id", th->id, "label", th->label, "origin", synth_origin(th->origin),
			"size", (json_int_t)th->size, "terms", synth_strings(th->terms, th->nterms));
	if (!obj || !quotes || json_object_set_new(obj, "quotes", quotes))
		goto fail;
	quotes = NULL;
	if (!full)
		return obj;
	if (json_object_set_new(obj, "primary", json_integer((json_int_t)th->primary)) ||
	    json_object_set_new(obj, "given", synth_strings(th->given, th->ngiven)) ||
	    json_object_set_new(obj, "learned", synth_strings(th->learned, th->nlearned)) ||
	    json_object_set_new(obj, "renamed", json_boolean(th->renamed)) ||
	    json_object_set_new(obj, "merged", synth_strings(th->merged, th->nmerged)) ||
	    json_object_set_new(obj, "merged_labels", synth_strings(th->merged_labels, th->nmerged)) ||
	    json_object_set_new(obj, "shares", synth_shares(th)) || json_object_set(obj, "answers", answers))
		goto fail;
	json_decref(answers);
	return obj;
fail:
	json_decref(quotes);
	json_decref(obj);
	json_decref(answers);
	return NULL;
}

/* One entry of the full view's "answers", and its id appended to each of its themes' lists. */
static json_t *synth_view_answer(const struct synth_result *r, size_t i, json_t **theme_answers)
{
	const struct analysis_assignment *as = &r->res->assign[i];
	const json_t *a = synth_answer(r, i);
	json_t *obj, *themes = json_array(), *human = json_array();
	size_t k;

	for (k = 0; themes && human && k < as->nmatches; k++) {
		const struct analysis_theme *th = &r->res->themes[as->matches[k].theme];
		if (json_array_append_new(themes, json_string(th->id)) ||
		    (as->matches[k].human && json_array_append_new(human, json_string(th->id))) ||
		    json_array_append(theme_answers[as->matches[k].theme], json_object_get(a, "id")))
			goto fail;
	}
	obj = json_pack("{s:O,s:O,s:O,s:O?,s:O?,s:O,s:o,s:o,s:f,s:s?}", "id", json_object_get(a, "id"),
			"text", json_object_get(a, "text"), "question_id", json_object_get(a, "question_id"),
			"group", json_object_get(a, "group"), "organisation", json_object_get(a, "organisation"),
			"workshop_id", json_object_get(a, "workshop_id"), "themes", themes, "human", human,
			"confidence", (double)as->confidence, "evidence", as->evidence);
	return obj;
fail:
	json_decref(themes);
	json_decref(human);
	return NULL;
}

json_t *synth_view(const struct synth_result *r, bool full)
{
	const struct analysis_result *res = r->res;
	json_t *view = NULL, *themes = json_array(), *unassigned = NULL, *answers = NULL, **theme_answers = NULL;
	size_t i, t, nunassigned = 0;

	if (!themes)
		return NULL;
	if (full) {
		unassigned = json_array();
		answers = json_array();
		theme_answers = synth_theme_arrays(res);
		if (!unassigned || !answers || !theme_answers)
			goto fail;
	}
	for (i = 0; i < res->nanswers; i++) {
		if (res->assign[i].nmatches == 0) {
			nunassigned++;
			if (full && json_array_append(unassigned, json_object_get(synth_answer(r, i), "id")))
				goto fail;
		}
		if (full && json_array_append_new(answers, synth_view_answer(r, i, theme_answers)))
			goto fail;
	}
	for (t = 0; t < res->nthemes; t++) {
		json_t *th = synth_theme(r, t, full, full ? theme_answers[t] : NULL);
		if (full)
			theme_answers[t] = NULL;
		if (json_array_append_new(themes, th))
			goto fail;
	}
	if (full)
		view = json_pack("{s:s,s:s,s:I,s:s,s:I,s:O,s:O,s:O}", "scope",
				 r->scope.kind == SYNTH_WORKSHOP ? "workshop" : "series", "id", r->scope.id,
				 "rev", (json_int_t)r->rev, "analysed", r->analysed, "total", (json_int_t)res->nanswers,
				 "themes", themes, "unassigned", unassigned, "answers", answers);
	else
		view = json_pack("{s:I,s:I,s:I,s:O}", "rev", (json_int_t)r->rev, "total", (json_int_t)res->nanswers,
				 "unassigned", (json_int_t)nunassigned, "themes", themes);
fail:
	synth_theme_arrays_free(theme_answers, res->nthemes);
	json_decref(themes);
	json_decref(unassigned);
	json_decref(answers);
	return view;
}

enum srv_err synth_view_full(struct synth_result *r, const char **json, size_t *len)
{
	char *text = __atomic_load_n(&r->full_json, __ATOMIC_ACQUIRE);
	json_t *view;

	if (!text) {
		pthread_mutex_lock(&r->full_lock);
		text = r->full_json;
		if (!text) {
			view = synth_view(r, true);
			/* Reals (the answers' confidence) with 4 digits, as the analysis JSON has them. */
			text = view ? json_dumps(view, JSON_COMPACT | JSON_REAL_PRECISION(4)) : NULL;
			json_decref(view);
			if (text) {
				r->full_len = strlen(text);
				__atomic_store_n(&r->full_json, text, __ATOMIC_RELEASE);
			}
		}
		pthread_mutex_unlock(&r->full_lock);
		if (!text)
			return SRV_ENOMEM;
	}
	*json = text;
	*len = r->full_len;
	return SRV_OK;
}

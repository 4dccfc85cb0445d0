/*
 * model.c - the report model: one JSON document built from a synthesis and the store.
 *
 * Design: the model is built once from a synthesis plus a few store reads
 * (this is the only file of the report that reads either), and every
 * count in it is an array of answer ids (a theme's answers, its answers
 * per question/workshop/table/organisation, the unassigned and hidden
 * answers), so a number in any format is the length of a list a reader
 * can check against the appendix or the CSV.  Decisions get the labels
 * their themes had when they were made, so no renderer needs the
 * decision history.
 */
#include "report/model.h"
#include "curate/vocab.h"
#include "text/pii.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "text/text.h"
#include "themes/themes.h"
#include "base/srv_err.h"
#include "base/tz.h"
#include "store/store.h"
#include "report/render.h"
#include "report/report.h"   /* report_lang_ok */

/* json_object_set_new / json_array_append_new that remember failure. */
static void put(json_t *o, const char *key, json_t *v, bool *ok)
{
	if (!v || !o || json_object_set_new(o, key, v))
		*ok = false;
}

static void push(json_t *a, json_t *v, bool *ok)
{
	if (!v || !a || json_array_append_new(a, v))
		*ok = false;
}

/* report_sort that remembers failure. */
static void sort_array(json_t *arr, int (*cmp)(const void *, const void *, void *), void *arg, bool *ok)
{
	if (!report_sort(arr, cmp, arg))
		*ok = false;
}

static json_t *strings(char **v, size_t n, bool *ok)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		push(a, json_string(v[i]), ok);
	return a;
}

/* A copy of `key` of `from` into `to` (null when absent). */
static void copy(json_t *to, const json_t *from, const char *key, bool *ok)
{
	json_t *v = json_object_get(from, key);

	put(to, key, v ? json_deep_copy(v) : json_null(), ok);
}

/*
 * One breakdown of a theme: entries {"value", "answers": [ids]} keyed in
 * `keys` (object: key -> entry, borrowed) by report_value_key, showing
 * the value or, when `shown` (table names: key -> the spelling first
 * written) has its key, that.
 */
static void by_add(json_t *arr, json_t *keys, const char *dim, const json_t *value, const json_t *shown,
		   json_int_t id, struct buf *scratch, bool *ok)
{
	const char *k = report_value_key(dim, value, scratch);
	json_t *entry;

	if (!k) {
		*ok = false;
		return;
	}
	if (!*k)
		value = NULL;
	else if (json_is_string(json_object_get(shown, k)))
		value = json_object_get(shown, k);
	if (!(entry = json_object_get(keys, k))) {
		entry = json_pack("{s:O,s:[]}", "value", value ? (json_t *)value : json_null(), "answers");
		if (!entry || json_object_set(keys, k, entry) || json_array_append_new(arr, entry)) {
			*ok = false;
			return;
		}
	}
	push(json_object_get(entry, "answers"), json_integer(id), ok);
}

/* Table names as first written among the analysed answers, by key (object: key -> name; a new reference). */
static json_t *table_names(const struct synth_result *r, bool *ok)
{
	json_t *shown = json_object();
	struct buf scratch;
	size_t i;

	buf_init(&scratch, TEXT_MAX_LEN);
	for (i = 0; shown && *ok && i < r->res->nanswers; i++) {
		const json_t *value = json_object_get(json_array_get(r->answers, r->row[i]), "group");
		const char *k = report_value_key("group", value, &scratch);

		if (!k)
			*ok = false;
		else if (*k && !json_object_get(shown, k) && json_object_set(shown, k, (json_t *)value))
			*ok = false;
	}
	buf_free(&scratch);
	if (!shown)
		*ok = false;
	return shown;
}

/* The rank of a question or workshop (its order in the model) in `ranks`: "i<question id>" or the workshop id. */
static long rank_of(const json_t *ranks, const json_t *value)
{
	char key[64];

	if (json_is_integer(value))
		snprintf(key, sizeof key, "i%lld", (long long)json_integer_value(value));
	else
		snprintf(key, sizeof key, "%s", json_string_value(value) ? json_string_value(value) : "");
	return (long)json_integer_value(json_object_get(ranks, key));
}

/* Question and workshop breakdowns in report order; tables and organisations by size, then name, "not given" last. */
static int by_cmp_ranked(const void *a, const void *b, void *ranks)
{
	long x = rank_of(ranks, json_object_get(*(json_t *const *)a, "value"));
	long y = rank_of(ranks, json_object_get(*(json_t *const *)b, "value"));

	return (x > y) - (x < y);
}

static int by_cmp_size(const void *a, const void *b, void *unused)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	size_t nx = report_n(x, "answers"), ny = report_n(y, "answers");
	const char *sx = json_string_value(json_object_get(x, "value"));
	const char *sy = json_string_value(json_object_get(y, "value"));

	(void)unused;
	if (nx != ny)
		return nx < ny ? 1 : -1;
	if (!sx || !sy)
		return !sx - !sy;
	return strcmp(sx, sy);
}

/* Does vote result `res` (of a vote on theme id/label) count for theme `t`? */
static bool vote_matches(const json_t *t, const json_t *res)
{
	const char *id = report_s(res, "theme");
	const json_t *m;
	size_t i;

	if (strcmp(id, report_s(t, "id")) == 0)
		return strcmp(report_s(t, "origin"), "discovered") ||
		       strcmp(report_s(res, "label"), report_s(t, "label")) == 0;
	json_array_foreach(json_object_get(t, "merged"), i, m)
		if (json_is_string(m) && strcmp(json_string_value(m), id) == 0)
			return true;
	return false;
}

static int theme_cmp(const void *a, const void *b, void *unused)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	size_t nx = report_n(x, "answers"), ny = report_n(y, "answers");
	json_int_t ox = json_integer_value(json_object_get(x, "order"));
	json_int_t oy = json_integer_value(json_object_get(y, "order"));

	(void)unused;
	if (nx != ny)
		return nx < ny ? 1 : -1;
	return (ox > oy) - (ox < oy);
}

/* The themes of the result with their answer lists, breakdowns and votes. */
static json_t *model_themes(const struct synth_result *r, const json_t *votes, const json_t *ranks, bool *ok)
{
	const struct analysis_result *res = r->res;
	json_t *themes = json_array(), *keys[REPORT_NDIMS], *shown = table_names(r, ok);
	struct buf scratch;
	size_t t, i, d;

	buf_init(&scratch, TEXT_MAX_LEN);

	for (t = 0; themes && t < res->nthemes; t++) {
		const struct analysis_theme *th = &res->themes[t];
		json_t *o = json_object(), *ids = json_array(), *prim = json_array(), *by = json_object(), *q = json_array();
		json_t *tv = json_array(), *vote;
		const char *origin = th->origin == ANALYSIS_DISCOVERED ? "discovered" :
				     th->origin == ANALYSIS_CURATED ? "curated" : "given";

		put(o, "id", json_string(th->id), ok);
		put(o, "label", json_string(th->label), ok);
		put(o, "origin", json_string(origin), ok);
		put(o, "renamed", json_boolean(th->renamed), ok);
		put(o, "merged", strings(th->merged, th->nmerged, ok), ok);
		put(o, "merged_labels", strings(th->merged_labels, th->nmerged, ok), ok);
		put(o, "terms", strings(th->terms, th->nterms, ok), ok);
		put(o, "given", strings(th->given, th->ngiven, ok), ok);
		put(o, "order", json_integer((json_int_t)t), ok);
		for (d = 0; d < REPORT_NDIMS; d++) {
			keys[d] = json_object();
			put(by, report_dims[d].dim, json_array(), ok);
		}
		for (i = 0; *ok && i < res->nanswers; i++) {
			const struct analysis_assignment *as = &res->assign[i];
			const json_t *row = json_array_get(r->answers, r->row[i]);
			json_int_t id = json_integer_value(json_object_get(row, "id"));
			size_t m;

			for (m = 0; m < as->nmatches && as->matches[m].theme != t; m++)
				;
			if (m == as->nmatches)
				continue;
			push(ids, json_integer(id), ok);
			if (m == 0)
				push(prim, json_integer(id), ok);
			for (d = 0; d < REPORT_NDIMS; d++) {
				by_add(json_object_get(by, report_dims[d].dim), keys[d], report_dims[d].dim,
				       json_object_get(row, report_answer_key(report_dims[d].dim)),
				       strcmp(report_dims[d].dim, "group") ? NULL : shown, id, &scratch, ok);
			}
		}
		for (d = 0; d < REPORT_NDIMS; d++) {
			json_decref(keys[d]);
			sort_array(json_object_get(by, report_dims[d].dim), d < 2 ? by_cmp_ranked : by_cmp_size, (void *)ranks, ok);
		}
		for (i = 0; i < th->nquotes; i++) {
			const json_t *row = json_array_get(r->answers, r->row[th->quotes[i].answer]);

			push(q, json_integer(json_integer_value(json_object_get(row, "id"))), ok);
		}
		json_array_foreach(votes, i, vote) {
			const json_t *rr;
			size_t k;

			json_array_foreach(json_object_get(vote, "results"), k, rr) {
				json_t *e;

				if (!vote_matches(o, rr))
					continue;
				e = json_object();
				put(e, "vote", json_incref(json_object_get(vote, "id")), ok);
				copy(e, vote, "workshop_id", ok);
				copy(e, rr, "theme", ok);
				copy(e, rr, "label", ok);
				copy(e, rr, "dots", ok);
				copy(e, rr, "voters", ok);
				push(tv, e, ok);
			}
		}
		put(o, "size", json_integer((json_int_t)json_array_size(ids)), ok);
		put(o, "primary", json_integer((json_int_t)json_array_size(prim)), ok);
		put(o, "answers", ids, ok);
		put(o, "primary_answers", prim, ok);
		put(o, "quotes", q, ok);
		put(o, "by", by, ok);
		put(o, "votes", tv, ok);
		push(themes, o, ok);
	}
	sort_array(themes, theme_cmp, NULL, ok);
	json_decref(shown);
	buf_free(&scratch);
	return themes;
}

/* The answers of the scope for the model, with the themes of each visible one. */
/* Answer text `row`'s "text" as the report shows it: redacted (pii_redact) or as written. */
static json_t *model_text(const json_t *row, const char *lang, bool redact, bool *ok)
{
	const json_t *v = json_object_get(row, "text");
	struct buf b;
	json_t *out;

	if (!redact || !json_is_string(v))
		return v ? json_deep_copy(v) : json_null();
	buf_init(&b, 4 * json_string_length(v) + 64);
	if (pii_redact(json_string_value(v), json_string_length(v), lang, &b)) {
		*ok = false;
		buf_free(&b);
		return json_null();
	}
	out = json_stringn(b.data ? b.data : "", b.len);
	buf_free(&b);
	return out;
}

static json_t *model_answers(const struct synth_result *r, const char *lang, bool redact, json_t **analysed,
			     json_t **hidden, json_t **unassigned, bool *ok)
{
	const struct analysis_result *res = r->res;
	size_t n = json_array_size(r->answers), i, m;
	size_t *which = malloc((n ? n : 1) * sizeof *which);
	json_t *out = json_array();

	*analysed = json_array();
	*hidden = json_array();
	*unassigned = json_array();
	if (!which) {
		*ok = false;
		return out;
	}
	for (i = 0; i < n; i++)
		which[i] = SIZE_MAX;
	for (i = 0; i < res->nanswers; i++)
		if (r->row[i] < n)
			which[r->row[i]] = i;
	for (i = 0; *ok && i < n; i++) {
		const json_t *row = json_array_get(r->answers, i);
		json_t *a = json_object(), *th = json_array(), *hu = json_array();
		json_int_t id = json_integer_value(json_object_get(row, "id"));
		bool is_hidden = json_is_true(json_object_get(row, "hidden"));

		put(a, "id", json_integer(id), ok);
		copy(a, row, "workshop_id", ok);
		copy(a, row, "question_id", ok);
		copy(a, row, "group", ok);
		copy(a, row, "organisation", ok);
		put(a, "text", model_text(row, lang, redact, ok), ok);
		copy(a, row, "created", ok);
		put(a, "hidden", json_boolean(is_hidden), ok);
		if (which[i] != SIZE_MAX) {
			const struct analysis_assignment *as = &res->assign[which[i]];

			push(*analysed, json_integer(id), ok);
			for (m = 0; m < as->nmatches; m++) {
				push(th, json_string(res->themes[as->matches[m].theme].id), ok);
				if (as->matches[m].human)
					push(hu, json_string(res->themes[as->matches[m].theme].id), ok);
			}
			if (!as->nmatches)
				push(*unassigned, json_integer(id), ok);
			put(a, "none_by_decision", json_boolean(as->human_none), ok);
		} else {
			push(*hidden, json_integer(id), ok);
			put(a, "none_by_decision", json_false(), ok);
		}
		put(a, "themes", th, ok);
		put(a, "human", hu, ok);
		push(out, a, ok);
	}
	free(which);
	return out;
}

/*
 * ---- the labels decisions name themes by ----
 *
 * A decision records theme ids ("samverkan", "c1"); the people who made it
 * saw labels.  Walking the decisions in order from the shipped themes file
 * tracks the label every theme had at each point: adopt and split name
 * theirs, a rename changes one (and its undo changes it back), a themes
 * decision brings its file's labels.
 */

/* Does an active rename (object: decision id -> {"theme", "before", "label"}) name theme `id`? */
static bool renamed_now(json_t *renames, const char *id)
{
	const char *key;
	const json_t *r;

	json_object_foreach(renames, key, r)
		if (strcmp(report_s(r, "theme"), id) == 0)
			return true;
	return false;
}

/* known[id] = label for each theme of themes file `text`, except the ones a rename in force labels (a bad file adds nothing). */
static void file_labels(json_t *known, json_t *renames, const char *text, bool *ok)
{
	struct themes th = { 0 };
	char err[128];
	size_t i;
	int rc = themes_parse(&th, text, strlen(text), err, sizeof err);

	if (rc) {
		if (rc == AN_ENOMEM)
			*ok = false;
		return;
	}
	for (i = 0; i < th.n; i++)
		if (!renamed_now(renames, th.v[i].id))
			put(known, th.v[i].id, json_string(th.v[i].label), ok);
	themes_free(&th);
}

/*
 * The label a reader knows theme `id` by: the one it had at this point of
 * the decisions, else its label in the result, else the label it had when
 * merged away, else the id itself.
 */
static const char *theme_label(const json_t *known, const json_t *themes, const char *id)
{
	const json_t *t, *m;
	size_t i, k;

	if (json_is_string(json_object_get(known, id)))
		return report_s(known, id);
	json_array_foreach(themes, i, t)
		if (strcmp(report_s(t, "id"), id) == 0)
			return report_s(t, "label");
	json_array_foreach(themes, i, t)
		json_array_foreach(json_object_get(t, "merged"), k, m)
			if (json_is_string(m) && strcmp(json_string_value(m), id) == 0 &&
			    json_is_string(json_array_get(json_object_get(t, "merged_labels"), k)))
				return json_string_value(json_array_get(json_object_get(t, "merged_labels"), k));
	return id;
}

/* Decision `target` was taken back: a rename's theme gets its label back, a themes file's labels give way to the one before. */
static void undo_labels(json_t *known, json_t *renames, json_t *files, json_int_t target, bool *ok)
{
	char key[LIMIT_ID_TEXT];
	const json_t *r, *f;
	size_t i;

	snprintf(key, sizeof key, "%lld", (long long)target);
	if ((r = json_object_get(renames, key))) {
		if (strcmp(report_s(known, report_s(r, "theme")), report_s(r, "label")) == 0)
			put(known, report_s(r, "theme"), json_string(report_s(r, "before")), ok);
		json_object_del(renames, key);
		return;
	}
	json_array_foreach(files, i, f) {
		if (json_integer_value(json_object_get(f, "id")) != target)
			continue;
		json_array_remove(files, i);
		f = json_array_get(files, json_array_size(files) - 1);
		file_labels(known, renames, f ? report_s(json_object_get(f, "detail"), "text") : themes_default(), ok);
		return;
	}
}

/*
 * Give every decision the labels of the themes its detail names:
 * "theme_label", "into_label", "from_label", "to_label" (and for a rename
 * "label_before", the label it replaced), so every format writes labels.
 */
static void model_decision_labels(const json_t *themes, json_t *decisions, bool *ok)
{
	static const char *const fields[] = { "theme", "into", "from", "to" };
	json_t *known = json_object(), *renames = json_object(), *files = json_array(), *d;
	size_t i, f;

	if (!known || !renames || !files) {
		*ok = false;
		goto out;
	}
	file_labels(known, renames, themes_default(), ok);
	json_array_foreach(decisions, i, d) {
		const json_t *x = json_object_get(d, "detail");
		const struct vocab_def *def = vocab_find(report_s(d, "kind"));
		const char *theme = report_s(x, "theme"), *label = report_s(x, "label");
		char name[16];

		for (f = 0; f < sizeof fields / sizeof fields[0]; f++) {
			const char *id = json_string_value(json_object_get(x, fields[f]));

			snprintf(name, sizeof name, "%s_label", fields[f]);
			if (id)
				put(d, name, json_string(theme_label(known, themes, id)), ok);
		}
		switch (def ? def->kind : VOCAB_NKINDS) {
		case VOCAB_RENAME:
			if (!*theme || !*label)
				break;
			snprintf(name, sizeof name, "%lld", (long long)json_integer_value(json_object_get(d, "id")));
			put(d, "label_before", json_string(report_s(d, "theme_label")), ok);
			put(renames, name, json_pack("{s:s, s:s, s:s}", "theme", theme, "before", report_s(d, "theme_label"),
						     "label", label), ok);
			put(known, theme, json_string(label), ok);
			break;
		case VOCAB_ADOPT:
		case VOCAB_SPLIT:
			if (*report_s(x, "id") && *label)
				put(known, report_s(x, "id"), json_string(label), ok);
			break;
		case VOCAB_THEMES:
			if (!json_is_string(json_object_get(x, "text")))
				break;
			push(files, json_incref(d), ok);
			file_labels(known, renames, report_s(x, "text"), ok);
			break;
		case VOCAB_UNDO:
			undo_labels(known, renames, files, json_integer_value(json_object_get(x, "decision")), ok);
			break;
		case VOCAB_MERGE:
		case VOCAB_MOVE:
		case VOCAB_ALSO:
		case VOCAB_NKINDS:
			/* No label changes hands. */
			break;
		}
	}
out:
	json_decref(known);
	json_decref(renames);
	json_decref(files);
}

/* Workshops and questions of the scope, and the store's votes and decisions. */
static int model_store(struct store *st, const struct synth_result *r, json_t *model, bool *ok)
{
	const bool series = r->scope.kind == SYNTH_SERIES;
	json_t *scope = NULL, *ws_list = json_array(), *qs = json_array(), *votes = json_array();
	json_t *ids = json_array(), *w;
	size_t i, k;
	int err;

	if (series) {
		if ((err = store_series_get(st, r->scope.id, &scope)))
			goto fail;
		json_array_foreach(json_object_get(scope, "workshops"), i, w)
			push(ids, json_incref(json_object_get(w, "id")), ok);
	} else {
		push(ids, json_string(r->scope.id), ok);
	}
	json_array_foreach(ids, i, w) {
		json_t *ws = NULL, *vl = NULL, *q, *v;

		if ((err = store_workshop_get(st, json_string_value(w), false, &ws)))
			goto fail;
		if (!series && !scope)
			scope = json_incref(ws);
		{
			json_t *o = json_object();

			copy(o, ws, "id", ok);
			copy(o, ws, "code", ok);
			copy(o, ws, "title", ok);
			copy(o, ws, "created", ok);
			push(ws_list, o, ok);
		}
		json_array_foreach(json_object_get(ws, "questions"), k, q) {
			json_t *o = json_object();

			copy(o, q, "id", ok);
			put(o, "workshop_id", json_incref(json_object_get(ws, "id")), ok);
			copy(o, q, "section", ok);
			copy(o, q, "position", ok);
			copy(o, q, "text", ok);
			push(qs, o, ok);
		}
		json_decref(ws);
		if ((err = store_vote_list(st, json_string_value(w), &vl)))
			goto fail;
		json_array_foreach(vl, k, v) {
			if (!json_object_get(v, "workshop_id"))
				put(v, "workshop_id", json_incref(w), ok);
			push(votes, json_incref(v), ok);
		}
		json_decref(vl);
	}
	{
		json_t *s = json_object();

		put(s, "kind", json_string(series ? "series" : "workshop"), ok);
		put(s, "id", json_string(r->scope.id), ok);
		copy(s, scope, "title", ok);
		if (!series)
			copy(s, scope, "code", ok);
		copy(s, scope, "created", ok);
		put(model, "scope", s, ok);
	}
	put(model, "workshops", ws_list, ok);
	put(model, "questions", qs, ok);
	put(model, "votes", votes, ok);
	/* The records the synthesis read, so the log matches what was applied. */
	put(model, "decisions", json_incref(r->records), ok);
	json_decref(scope);
	json_decref(ids);
	return SRV_OK;
fail:
	json_decref(scope);
	json_decref(ws_list);
	json_decref(qs);
	json_decref(votes);
	json_decref(ids);
	return err;
}

enum srv_err report_model(struct store *st, const struct synth_result *r, const char *lang, const char *now,
			  const char *tz, bool redact, json_t **model)
{
	json_t *m = json_object(), *syn = json_object(), *ranks = json_object(), *answers, *analysed, *hidden;
	json_t *unassigned, *v;
	char stamp[STORE_TIME_LEN + 1];
	bool ok = m && syn && ranks;
	size_t i;
	int err;

	*model = NULL;
	if (!tz && tz_valid(TZ_DEFAULT))
		tz = TZ_DEFAULT;
	if (!report_lang_ok(lang) || !r || !r->res || (tz && !tz_valid(tz))) {
		json_decref(m);
		json_decref(syn);
		json_decref(ranks);
		return SRV_EINVAL;
	}
	if (!now) {
		store_now(stamp);
		now = stamp;
	}
	put(m, "format", json_string(REPORT_MODEL_NAME), &ok);
	put(m, "version", json_integer(REPORT_MODEL_VERSION), &ok);
	put(m, "lang", json_string(lang), &ok);
	put(m, "generated", json_string(now), &ok);
	if (tz)
		put(m, "tz", json_string(tz), &ok);
	put(m, "redacted", json_boolean(redact), &ok);
	err = model_store(st, r, m, &ok);
	if (err)
		goto fail;
	put(syn, "rev", json_integer((json_int_t)r->rev), &ok);
	put(syn, "analysed", json_string(r->analysed), &ok);
	put(syn, "lang", json_string(r->res->lang), &ok);
	put(syn, "seed", json_integer((json_int_t)r->res->seed), &ok);
	put(syn, "themes_default", json_boolean(r->themes_default), &ok);
	put(syn, "themes_text", json_string(r->themes_text ? r->themes_text : ""), &ok);
	put(m, "synthesis", syn, &ok);
	syn = NULL;
	answers = model_answers(r, lang, redact, &analysed, &hidden, &unassigned, &ok);
	/* Ranks of questions and workshops order the theme breakdowns. */
	json_array_foreach(json_object_get(m, "questions"), i, v) {
		char key[32];

		snprintf(key, sizeof key, "i%lld", (long long)json_integer_value(json_object_get(v, "id")));
		put(ranks, key, json_integer((json_int_t)i), &ok);
	}
	json_array_foreach(json_object_get(m, "workshops"), i, v)
		put(ranks, report_s(v, "id"), json_integer((json_int_t)i), &ok);
	put(m, "themes", ok ? model_themes(r, json_object_get(m, "votes"), ranks, &ok) : json_array(), &ok);
	if (ok)
		model_decision_labels(json_object_get(m, "themes"), json_object_get(m, "decisions"), &ok);
	put(m, "answers", answers, &ok);
	put(m, "analysed", analysed, &ok);
	put(m, "hidden", hidden, &ok);
	put(m, "unassigned", unassigned, &ok);
	if (!ok) {
		err = SRV_ENOMEM;
		goto fail;
	}
	json_decref(ranks);
	*model = m;
	return SRV_OK;
fail:
	json_decref(m);
	json_decref(syn);
	json_decref(ranks);
	return err;
}

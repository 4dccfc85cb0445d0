/*
 * text.c - the words and sentences every report format prints.
 *
 * Each sentence is written piece by piece through the format's text writer
 * (report_out.text), separators too: in DOCX every piece is its own run,
 * in HTML and Markdown escaping a separator changes nothing.  The method
 * note and the decision sentences are built as plain text first (their
 * order of words differs between the languages) and escaped as one piece.
 */
#include "report/text.h"
#include "curate/vocab.h"
#include "text/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "base/srv_err.h"

const char *report_t(const struct report_index *ix, enum label t)
{
	return label_text(t, ix->lang);
}

const char *report_count(const struct report_index *ix, size_t n, enum label word)
{
	return label_count(word, (long long)n, ix->lang);
}

long long report_theme_dots(const json_t *t)
{
	const json_t *v;
	long long n = 0;
	size_t i;

	json_array_foreach(json_object_get(t, "votes"), i, v)
		n += (long long)json_integer_value(json_object_get(v, "dots"));
	return n;
}

const char *report_origin(const struct report_index *ix, const json_t *theme)
{
	const char *o = report_s(theme, "origin");

	if (strcmp(o, "discovered") == 0)
		return report_t(ix, LABEL_ORIGIN_DISCOVERED);
	if (strcmp(o, "curated") == 0)
		return report_t(ix, LABEL_ORIGIN_CURATED);
	return report_t(ix, LABEL_ORIGIN_GIVEN);
}

static int column_cmp(const void *a, const void *b, void *unused)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t nx = json_integer_value(json_object_get(x, "answers"));
	json_int_t ny = json_integer_value(json_object_get(y, "answers"));
	const char *sx = json_string_value(json_object_get(x, "value"));
	const char *sy = json_string_value(json_object_get(y, "value"));

	(void)unused;
	if (!sx || !sy)
		return !sx - !sy;
	if (nx != ny)
		return nx < ny ? 1 : -1;
	return strcmp(sx, sy);
}

/* A new column {"value", "key", "answers": 0} appended to `cols` and set in `seen` under its key; NULL when out of memory. */
static json_t *cross_column(json_t *cols, json_t *seen, const json_t *value, const char *key)
{
	json_t *c = json_pack("{s:O,s:s,s:I}", "value", *key ? (json_t *)value : json_null(), "key", key, "answers",
			      (json_int_t)0);

	if (!c || json_object_set(seen, key, c) || json_array_append_new(cols, c))
		return NULL;
	return c;
}

/*
 * The columns of a theme x `dim` table: a new array of {"value", "key",
 * "answers": n} with n the analysed answers with that value (grouped by
 * report_value_key, so one table written two ways is one column, shown as
 * first written).  Workshops and questions come in model order, other
 * values by count.  NULL when out of memory.
 */
static json_t *cross_columns(const struct report_index *ix, const char *dim)
{
	const json_t *m = ix->model, *id, *a;
	json_t *cols = json_array(), *seen = json_object();
	const char *key = report_answer_key(dim), *list = NULL, *k;
	bool ok = cols && seen;
	struct buf scratch;
	size_t i;

	buf_init(&scratch, TEXT_MAX_LEN);
	if (strcmp(dim, "workshop") == 0)
		list = "workshops";
	else if (strcmp(dim, "question") == 0)
		list = "questions";
	if (list) {
		json_array_foreach(json_object_get(m, list), i, a) {
			const json_t *value = json_object_get(a, "id");

			if (!ok || !(k = report_value_key(dim, value, &scratch)) || !cross_column(cols, seen, value, k))
				ok = false;
		}
	}
	json_array_foreach(json_object_get(m, "analysed"), i, id) {
		const json_t *val;
		json_t *c;

		a = report_answer(ix, json_integer_value(id));
		val = json_object_get(a, key);
		if (!ok || !a)
			continue;
		if (!(k = report_value_key(dim, val, &scratch))) {
			ok = false;
			continue;
		}
		if (!*k && list)
			continue;
		if (!(c = json_object_get(seen, k)) && !(c = cross_column(cols, seen, val, k))) {
			ok = false;
			continue;
		}
		json_integer_set(json_object_get(c, "answers"), json_integer_value(json_object_get(c, "answers")) + 1);
	}
	json_decref(seen);
	buf_free(&scratch);
	if (ok && !list)
		ok = report_sort(cols, column_cmp, NULL);
	if (!ok) {
		json_decref(cols);
		return NULL;
	}
	return cols;
}

/* How many of theme `t`'s answers have column `col`'s value in breakdown `dim` (by key). */
static size_t cross_count(const json_t *t, const char *dim, const json_t *col, struct buf *scratch)
{
	const char *want = report_s(col, "key"), *k;
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(t, "by"), dim), i, e)
		if ((k = report_value_key(dim, json_object_get(e, "value"), scratch)) && strcmp(k, want) == 0)
			return report_n(e, "answers");
	return 0;
}

/* One cross table being written. */
struct cross {
	struct report_out *o;
	const struct report_index *ix;
	const struct report_table *tb;
	const char *dim;
	const json_t *cols;
	struct report_cell c;
	struct buf scratch;
};

/* A row: `first` in column 0, then one cell per column and the total (theme `t` in a body row). */
static void cross_row(struct cross *x, const json_t *t, const char *first)
{
	struct report_cell *c = &x->c;

	c->col = 0;
	c->text = first;
	x->tb->row(x->o, c, false);
	x->tb->cell(x->o, c);
	for (c->col = 1; c->col < c->ncols; c->col++) {
		const json_t *col = json_array_get(x->cols, c->col - 1);   /* NULL: the total */
		const json_t *value = json_object_get(col, "value");

		c->text = NULL;
		if (c->part == REPORT_HEAD)
			c->text = col ? report_value(x->ix, x->dim, value) : report_t(x->ix, LABEL_TOTAL);
		else if (c->part == REPORT_BODY)
			c->n = (long long)(col ? cross_count(t, x->dim, col, &x->scratch) : report_n(t, "answers"));
		else
			c->n = col ? (long long)json_integer_value(json_object_get(col, "answers")) :
				     (long long)report_n(x->ix->model, "analysed");
		x->tb->cell(x->o, c);
	}
	x->tb->row(x->o, c, true);
}

void report_cross_table(struct report_out *o, const struct report_index *ix, const char *dim,
			const struct report_table *tb)
{
	json_t *cols = cross_columns(ix, dim);
	struct cross x = { o, ix, tb, dim, cols, { REPORT_HEAD, 0, json_array_size(cols) + 2, 0, NULL, 0 }, { 0 } };
	const json_t *t;
	size_t i;

	if (!cols) {
		o->e = o->e ? o->e : BUF_NOMEM;
		return;
	}
	buf_init(&x.scratch, TEXT_MAX_LEN);
	cross_row(&x, NULL, report_t(ix, LABEL_THEME));
	x.c.part = REPORT_BODY;
	json_array_foreach(json_object_get(ix->model, "themes"), i, t) {
		if (!report_theme_shown(t))
			continue;
		x.c.theme = i;
		cross_row(&x, t, report_s(t, "label"));
	}
	x.c.part = REPORT_FOOT;
	cross_row(&x, NULL, report_t(ix, LABEL_ANALYSED_ROW));
	buf_free(&x.scratch);
	json_decref(cols);
}

const char *report_value(const struct report_index *ix, const char *dim, const json_t *value)
{
	if (strcmp(dim, "question") == 0 && json_is_integer(value)) {
		const json_t *q = report_question(ix, json_integer_value(value));

		return q ? report_s(q, "text") : report_t(ix, LABEL_NOT_GIVEN);
	}
	if (strcmp(dim, "workshop") == 0 && json_is_string(value)) {
		const json_t *w = report_workshop(ix, json_string_value(value));

		return w ? report_s(w, "title") : json_string_value(value);
	}
	if (strcmp(dim, "group") == 0 && report_table_name(ix, value))
		return report_table_name(ix, value);
	if (json_is_string(value) && *json_string_value(value))
		return json_string_value(value);
	return report_t(ix, LABEL_NOT_GIVEN);
}

const char *report_voted_as(const json_t *t, const json_t *vote)
{
	const char *as = report_s(vote, "theme"), *label = report_s(vote, "label");

	if (!*as || strcmp(as, report_s(t, "id")) == 0)
		return NULL;
	return *label ? label : as;
}

/*
 * ---- sentences every format prints ----
 * Separators go through o->text too: in DOCX every piece is its own run,
 * in HTML and Markdown escaping them changes nothing.
 */

void report_title(struct report_out *o, const struct report_index *ix)
{
	report_text(o, report_t(ix, LABEL_TITLE));
	report_text(o, ": ");
	report_text(o, report_s(json_object_get(ix->model, "scope"), "title"));
}

void report_meta_line(struct report_out *o, const struct report_index *ix)
{
	char when[REPORT_WHEN_LEN];
	const json_t *m = ix->model, *scope = json_object_get(m, "scope");

	report_text(o, report_t(ix, ix->series ? LABEL_SERIES : LABEL_WORKSHOP));
	if (!ix->series) {
		report_text(o, " · ");
		report_text(o, report_t(ix, LABEL_CODE));
		report_text(o, " ");
		report_text(o, report_s(scope, "code"));
	}
	report_text(o, " · ");
	report_text(o, report_t(ix, LABEL_ANALYSED));
	report_text(o, " ");
	report_text(o, report_when(ix, report_s(json_object_get(m, "synthesis"), "analysed"), when));
	report_text(o, " · ");
	report_text(o, report_t(ix, LABEL_GENERATED));
	report_text(o, " ");
	report_text(o, report_when(ix, report_s(m, "generated"), when));
}

void report_origin_line(struct report_out *o, const struct report_index *ix, const json_t *t)
{
	const json_t *v;
	size_t k;

	report_text(o, report_origin(ix, t));
	if (json_is_true(json_object_get(t, "renamed"))) {
		report_text(o, "; ");
		report_text(o, report_t(ix, LABEL_RENAMED));
	}
	/* By label, as the room saw them: an id like "new-3" means nothing to the reader. */
	if (report_n(t, "merged_labels")) {
		report_text(o, "; ");
		report_text(o, report_t(ix, LABEL_MERGED));
		json_array_foreach(json_object_get(t, "merged_labels"), k, v) {
			report_text(o, k ? ", " : " ");
			report_text(o, json_string_value(v) ? json_string_value(v) : "");
		}
	}
}

void report_breakdown_items(struct report_out *o, const struct report_index *ix, const json_t *t, const char *dim)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(t, "by"), dim), i, e) {
		if (i)
			report_text(o, "; ");
		report_text(o, report_value(ix, dim, json_object_get(e, "value")));
		report_textf(o, " (%zu)", report_n(e, "answers"));
	}
}

/* "<n> <word>": the count and the word after it, singular for one. */
static void count_words(struct report_out *o, const struct report_index *ix, long long n, enum label word)
{
	report_textf(o, "%lld ", n);
	report_text(o, label_count(word, n, ix->lang));
}

void report_vote_counts(struct report_out *o, const struct report_index *ix, const json_t *t, const json_t *v)
{
	count_words(o, ix, (long long)json_integer_value(json_object_get(v, "dots")), LABEL_N_DOTS);
	report_text(o, ", ");
	count_words(o, ix, (long long)json_integer_value(json_object_get(v, "voters")), LABEL_N_VOTERS);
	if (report_voted_as(t, v)) {
		report_text(o, " (");
		report_text(o, report_t(ix, LABEL_VOTED_AS));
		report_text(o, " ");
		report_text(o, report_voted_as(t, v));
		report_text(o, ")");
	}
}

void report_vote_meta(struct report_out *o, const struct report_index *ix, const json_t *v)
{
	count_words(o, ix, (long long)json_integer_value(json_object_get(v, "dots")), LABEL_N_DOTS);
	report_text(o, " ");
	report_text(o, report_t(ix, LABEL_PER_PHONE));
	report_text(o, " · ");
	count_words(o, ix, (long long)json_integer_value(json_object_get(v, "ballots")), LABEL_BALLOTS);
	report_text(o, " · ");
	report_text(o, report_t(ix, json_is_true(json_object_get(v, "open")) ? LABEL_OPEN : LABEL_CLOSED));
}

void report_decision_item(struct report_out *o, const struct report_index *ix, const json_t *d)
{
	char when[REPORT_WHEN_LEN];
	struct buf line;

	buf_init(&line, o->b->max);
	if (report_decision_text(ix, d, &line) && !o->e)
		o->e = BUF_NOMEM;
	report_text(o, line.data ? line.data : "");
	report_text(o, " — ");
	report_text(o, report_when_exact(ix, report_s(d, "created"), when));
	report_text(o, ", ");
	report_text(o, report_t(ix, LABEL_BY));
	report_text(o, " ");
	report_text(o, json_is_string(json_object_get(d, "key_label")) ? report_s(d, "key_label") : report_t(ix, LABEL_SOMEONE));
	buf_free(&line);
}

void report_terms(struct report_out *o, const json_t *t)
{
	const json_t *term;
	size_t k;

	json_array_foreach(json_object_get(t, "terms"), k, term) {
		if (k)
			report_text(o, ", ");
		report_text(o, json_string_value(term) ? json_string_value(term) : "");
	}
}

void report_empty_themes(struct report_out *o, const struct report_index *ix)
{
	const json_t *t;
	size_t i, n = 0;

	json_array_foreach(json_object_get(ix->model, "themes"), i, t) {
		if (report_theme_shown(t))
			continue;
		if (n++)
			report_text(o, ", ");
		report_text(o, report_s(t, "label"));
	}
}

void report_method_paragraphs(struct report_out *o, const struct report_index *ix, const char *open,
			      const char *close)
{
	struct buf text;
	char *p, *nl, *next;
	int err;

	buf_init(&text, o->b->max);
	if ((err = report_method_text(ix, &text)) && !o->e)
		o->e = err == SRV_EFULL ? BUF_TOOBIG : BUF_NOMEM;
	for (p = text.data; p && *p; p = next) {
		nl = strchr(p, '\n');
		next = nl ? nl + 1 : p + strlen(p);
		if (nl)
			*nl = '\0';
		report_put(o, open);
		report_text(o, p);
		report_put(o, close);
	}
	buf_free(&text);
}

/* ---- method note ---- */

static size_t count_origin(const json_t *themes, const char *origin, bool nonempty)
{
	const json_t *t;
	size_t i, n = 0;

	json_array_foreach(themes, i, t)
		n += strcmp(report_s(t, "origin"), origin) == 0 && (!nonempty || report_n(t, "answers"));
	return n;
}

#define QUOTE_CHARS 60   /* characters of an answer a decision quotes, "…" included (as the console) */

/*
 * vocab_describe's namer for the report: themes by the labels the model
 * resolved for the record, answers by a short quote, an undo by the
 * sentence of what it took back.  `quote` and `target` hold what the
 * callbacks return until vocab_describe is done.
 */
struct namer_ctx {
	const struct report_index *ix;
	const json_t *decision;
	bool nested;           /* describing an undo's target: no deeper */
	struct buf quote, target;
};

/* The label the model resolved for the theme in `field` of the decision ("theme" -> "theme_label"); NULL: the id. */
static const char *decision_theme(void *ctx, const char *field, const char *id)
{
	const struct namer_ctx *c = ctx;
	char name[16];
	const json_t *label;

	(void)id;
	snprintf(name, sizeof name, "%s_label", field);
	label = json_object_get(c->decision, name);
	return json_is_string(label) ? json_string_value(label) : NULL;
}

/*
 * ”The first words of the answer…” (white space runs as one space), as the
 * console shows it; NULL (the id is shown) for an answer the model does
 * not have or a hidden one, whose text no report shows.
 */
static const char *decision_answer(void *ctx, const char *id)
{
	struct namer_ctx *c = ctx;
	const json_t *a;
	const uint8_t *p, *end;
	char *stop;
	long long n = strtoll(id, &stop, 10);
	size_t chars = 0, cut = 0;
	enum buf_err e;
	bool space = false;

	a = *id && !*stop ? report_answer(c->ix, n) : NULL;
	if (!a || json_is_true(json_object_get(a, "hidden")))
		return NULL;
	p = (const uint8_t *)report_s(a, "text");
	end = p + strlen((const char *)p);
	buf_reset(&c->quote);
	e = buf_adds(&c->quote, "”");
	for (; !e && p < end && chars <= QUOTE_CHARS; ) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));

		if (uc == ' ' || uc == '\t' || uc == '\n' || uc == '\r') {
			space = chars > 0;
		} else {
			if (space) {
				/* A cut after a space drops it: "… sjukdomar…". */
				if (++chars == QUOTE_CHARS - 1)
					cut = c->quote.len;
				e = buf_addc(&c->quote, ' ');
			}
			if (!e)
				e = buf_add(&c->quote, p, (size_t)k);
			if (++chars == QUOTE_CHARS - 1)
				cut = c->quote.len;
			space = false;
		}
		p += k > 0 ? k : 1;
	}
	/* Longer than QUOTE_CHARS: the first QUOTE_CHARS - 1 and "…". */
	if (!e && chars > QUOTE_CHARS) {
		buf_truncate(&c->quote, cut);
		e = buf_adds(&c->quote, "…");
	}
	if (!e)
		e = buf_adds(&c->quote, "”");
	return e ? NULL : c->quote.data;
}

static enum buf_err describe(const struct report_index *ix, const json_t *decision, bool nested, struct buf *out);

/* What decision `id` of the model did (an undo's target), in the report's words; NULL: "#id". */
static const char *decision_target(void *ctx, json_int_t id)
{
	struct namer_ctx *c = ctx;
	const json_t *d;
	size_t i;

	if (c->nested)
		return NULL;
	json_array_foreach(json_object_get(c->ix->model, "decisions"), i, d)
		if (json_integer_value(json_object_get(d, "id")) == id) {
			buf_reset(&c->target);
			return describe(c->ix, d, true, &c->target) ? NULL : c->target.data;
		}
	return NULL;
}

static enum buf_err describe(const struct report_index *ix, const json_t *decision, bool nested, struct buf *out)
{
	struct namer_ctx c = { ix, decision, nested, { 0 }, { 0 } };
	const struct vocab_namer namer = { decision_theme, decision_answer, decision_target, &c };
	enum buf_err e;

	buf_init(&c.quote, out->max);
	buf_init(&c.target, out->max);
	e = vocab_describe(report_s(decision, "kind"), json_object_get(decision, "detail"), VOCAB_REPORT, ix->lang,
			   &namer, out);
	buf_free(&c.quote);
	buf_free(&c.target);
	return e;
}

/* The sentence of a decision record comes from the one vocabulary (analysis/curate/vocab.h). */
enum srv_err report_decision_text(const struct report_index *ix, const json_t *decision, struct buf *out)
{
	return report_buf_err(describe(ix, decision, false, out));
}

/* `one` when n is 1, else `many`: the method note's sentences agree with their numbers. */
static const char *agree(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

enum srv_err report_method_text(const struct report_index *ix, struct buf *out)
{
	const json_t *m = ix->model, *syn = json_object_get(m, "synthesis"), *themes = json_object_get(m, "themes");
	const json_t *d;
	bool en = strcmp(ix->lang, "en") == 0, dflt = json_is_true(json_object_get(syn, "themes_default"));
	size_t given = count_origin(themes, "given", false), given_used = count_origin(themes, "given", true);
	size_t disc = count_origin(themes, "discovered", false), cur = count_origin(themes, "curated", false);
	size_t i, active = 0, undone = 0, ws = report_n(m, "workshops"), nans = report_n(m, "answers");
	size_t nhidden = report_n(m, "hidden"), nanalysed = report_n(m, "analysed"), nun = report_n(m, "unassigned");
	char analysed[REPORT_WHEN_LEN], generated[REPORT_WHEN_LEN];
	enum buf_err e;

	json_array_foreach(json_object_get(m, "decisions"), i, d) {
		if (strcmp(report_s(d, "kind"), "undo") == 0)
			continue;
		if (json_is_null(json_object_get(d, "undone_by")) || !json_object_get(d, "undone_by"))
			active++;
		else
			undone++;
	}
	report_when(ix, report_s(syn, "analysed"), analysed);
	report_when(ix, report_s(m, "generated"), generated);
	if (en)
		e = buf_printf(out,
			"The data: %zu answer%s from %zu workshop%s, collected on phones during the dialogue. %zu answer%s "
			"hidden by the facilitator and %s left out of everything except the CSV and JSON files. The remaining "
			"%zu answer%s analysed on %s (revision %lld); this report was created on %s.\n",
			nans, agree(nans, "", "s"), ws, agree(ws, "", "s"), nhidden, agree(nhidden, " was", "s were"),
			agree(nhidden, "is", "are"), nanalysed, agree(nanalysed, " was", "s were"), analysed,
			(long long)json_integer_value(json_object_get(syn, "rev")), generated);
	else
		e = buf_printf(out,
			"Underlaget: %zu svar från %zu workshop%s, lämnade på mobiler under dialogen. %zu svar doldes av "
			"processledaren och är inte med i något utom CSV- och JSON-filerna. %s %zu svar%s analyserades %s "
			"(version %lld); rapporten skapades %s.\n",
			nans, ws, agree(ws, "", "par"), nhidden, agree(nanalysed, "Det övriga", "De övriga"), nanalysed,
			agree(nanalysed, "et", "en"), analysed, (long long)json_integer_value(json_object_get(syn, "rev")),
			generated);
	if (!e && en)
		e = buf_printf(out,
			"How the themes were made: each answer was matched against the key terms of a list of %zu theme%s "
			"(%s), with Swedish compound words split and word forms reduced to their stem; %zu of them %s "
			"found in the answers. An answer can belong to several themes. Answers no listed theme covered "
			"were grouped by similarity of their words (clustering), giving %zu discovered theme%s labelled by "
			"%s most distinctive words. %zu answer%s no theme at all. Quotes are the answers closest to "
			"the middle of their theme.\n",
			given, agree(given, "", "s"), dflt ? "the shipped primary-care list" : "a list edited for this report",
			given_used, agree(given_used, "was", "were"), disc, agree(disc, "", "s"), agree(disc, "its", "their"),
			nun, agree(nun, " fits", "s fit"));
	else if (!e)
		e = buf_printf(out,
			"Så togs temana fram: varje svar jämfördes med nyckelorden i en lista med %zu %s (%s), med "
			"sammansatta ord uppdelade och ordformer förda till sin stam; %zu av dem fanns i svaren. Ett svar "
			"kan höra till flera teman. Svar som inget tema i listan täckte grupperades efter hur lika deras ord "
			"är (klustring), vilket gav %zu %s med de mest utmärkande orden som rubrik. %zu svar "
			"passar inget tema alls. Citaten är de svar som ligger närmast mitten av sitt tema.\n",
			given, agree(given, "tema", "teman"),
			dflt ? "den medföljande listan för primärvård" : "en lista som redigerats för den här rapporten",
			given_used, disc, agree(disc, "upptäckt tema", "upptäckta teman"), nun);
	if (!e && en)
		e = buf_printf(out,
			"What people curated by hand: %zu decision%s in force (renaming, merging or splitting themes, "
			"moving answers, editing the themes list) and %zu %s taken back; %zu theme%s made by a "
			"person. Every decision is listed below with who made it and when, and is applied again every time "
			"the answers are analysed, so answers that came in later are sorted the same way.\n",
			active, agree(active, " is", "s are"), undone, agree(undone, "was", "were"), cur,
			agree(cur, " was", "s were"));
	else if (!e)
		e = buf_printf(out,
			"Vad personer har bearbetat för hand: %zu beslut gäller (byta namn på, slå ihop eller dela teman, "
			"flytta svar, ändra temalistan) och %zu har ångrats; %zu %s har skapats av en person. Varje beslut "
			"står nedan med vem som fattade det och när, och tillämpas på nytt varje gång svaren analyseras, så "
			"svar som kom in senare sorteras på samma sätt.\n",
			active, undone, cur, agree(cur, "tema", "teman"));
	if (!e)
		e = buf_adds(out, en ?
			"Every number in this report is the count of a list of answers: the appendix lists them by theme "
			"with their ids, and the CSV and JSON versions of this report hold the same lists.\n" :
			"Varje tal i rapporten är antalet svar i en lista: bilagan visar dem per tema med deras id, och "
			"rapportens CSV- och JSON-versioner innehåller samma listor.\n");
	return report_buf_err(e);
}

/*
 * report.c - the report model (one JSON document) and what every format shares.
 *
 * Design: the model is built once from a synthesis plus a few store reads,
 * and every count in it is an array of answer ids (a theme's answers, its
 * answers per question/workshop/table/organisation, the unassigned and
 * hidden answers), so a number in any format is the length of a list a
 * reader can check against the appendix or the CSV.  Renderers only see
 * the model; this file also holds the labels in both languages and the
 * method note, so the five formats say the same thing.
 */
#include "report/report.h"
#include "report/render.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "base/srv_err.h"
#include "themes/themes.h"

const struct report_dim report_dims[REPORT_NDIMS] = {
	{ "question", RT_BY_QUESTION, false },
	{ "workshop", RT_BY_WORKSHOP, true },
	{ "group", RT_BY_GROUP, false },
	{ "organisation", RT_BY_ORGANISATION, false },
};

bool report_format_parse(const char *s, enum report_format *f)
{
	static const char *const names[] = { "html", "md", "csv", "json", "docx" };
	size_t i;

	for (i = 0; s && i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum report_format)i;
			return true;
		}
	}
	return false;
}

const char *report_content_type(enum report_format f)
{
	switch (f) {
	case REPORT_HTML: return "text/html; charset=utf-8";
	case REPORT_MD: return "text/markdown; charset=utf-8";
	case REPORT_CSV: return "text/csv; charset=utf-8";
	case REPORT_JSON: return "application/json";
	case REPORT_DOCX: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	}
	return "application/octet-stream";
}

const char *report_extension(enum report_format f)
{
	switch (f) {
	case REPORT_HTML: return "html";
	case REPORT_MD: return "md";
	case REPORT_CSV: return "csv";
	case REPORT_JSON: return "json";
	case REPORT_DOCX: return "docx";
	}
	return "bin";
}

bool report_lang_ok(const char *lang)
{
	return lang && (strcmp(lang, "sv") == 0 || strcmp(lang, "en") == 0);
}

int report_buf_err(enum buf_err e)
{
	return e == BUF_OK ? SRV_OK : e == BUF_TOOBIG ? SRV_EFULL : SRV_ENOMEM;
}

void report_put(struct report_out *o, const char *s)
{
	if (!o->e)
		o->e = buf_adds(o->b, s);
}

void report_putn(struct report_out *o, const char *s, size_t n)
{
	if (!o->e)
		o->e = buf_add(o->b, s, n);
}

void report_putf(struct report_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->e)
		return;
	va_start(ap, fmt);
	o->e = buf_vprintf(o->b, fmt, ap);
	va_end(ap);
}

void report_text(struct report_out *o, const char *s)
{
	o->text(o, s);
}

void report_wrap(struct report_out *o, const char *before, const char *s, const char *after)
{
	report_put(o, before);
	o->text(o, s);
	report_put(o, after);
}

void report_textf(struct report_out *o, const char *fmt, ...)
{
	char s[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	o->text(o, s);
}

/* ---- labels ---- */

static const char *const texts[RT_COUNT][2] = {
	[RT_TITLE] = { "Inspel från dialog", "Input from dialogue" },
	[RT_WORKSHOP] = { "Workshop", "Workshop" },
	[RT_SERIES] = { "Serie", "Series" },
	[RT_CODE] = { "Kod", "Code" },
	[RT_GENERATED] = { "Rapporten skapad", "Report created" },
	[RT_ANALYSED] = { "Analyserad", "Analysed" },
	[RT_CONTENTS] = { "Innehåll", "Contents" },
	[RT_SUMMARY] = { "Sammanfattning", "Summary" },
	[RT_THEMES] = { "Teman", "Themes" },
	[RT_THEME] = { "Tema", "Theme" },
	[RT_ANSWERS] = { "Svar", "Answers" },
	[RT_PRIMARY] = { "som huvudtema", "as main theme" },
	[RT_TERMS] = { "Nyckelord", "Key terms" },
	[RT_QUOTES] = { "Citat", "Quotes" },
	[RT_BY_QUESTION] = { "Per fråga", "By question" },
	[RT_BY_WORKSHOP] = { "Per workshop", "By workshop" },
	[RT_BY_GROUP] = { "Per bord", "By table" },
	[RT_BY_ORGANISATION] = { "Per organisation", "By organisation" },
	[RT_VOTES] = { "Röstning", "Voting" },
	[RT_VOTE] = { "Omröstning", "Vote" },
	[RT_DOTS] = { "Prickar", "Dots" },
	[RT_VOTERS] = { "Röstande", "Voters" },
	[RT_BALLOTS] = { "röstsedlar", "ballots" },
	[RT_OPEN] = { "pågår", "open" },
	[RT_CLOSED] = { "avslutad", "closed" },
	[RT_NO_VOTES] = { "Ingen röstning har hållits.", "No vote was held." },
	[RT_UNASSIGNED] = { "Svar utan tema", "Answers that fit no theme" },
	[RT_UNASSIGNED_INTRO] = { "Dessa svar passar inte in i något tema. De bör läsas för sig.",
				  "These answers fit no theme. They should be read on their own." },
	[RT_NONE_UNASSIGNED] = { "Alla svar hör till minst ett tema.", "Every answer belongs to at least one theme." },
	[RT_METHOD] = { "Om metoden", "About the method" },
	[RT_APPENDIX] = { "Bilaga: alla svar per tema", "Appendix: every answer by theme" },
	[RT_APPENDIX_INTRO] = { "Varje svar som ligger bakom ett tal i rapporten. Ett svar kan höra till flera teman.",
				"Every answer behind a number in the report. An answer can belong to several themes." },
	[RT_ID] = { "Id", "Id" },
	[RT_QUESTION] = { "Fråga", "Question" },
	[RT_GROUP] = { "Bord", "Table" },
	[RT_ORGANISATION] = { "Organisation", "Organisation" },
	[RT_TEXT] = { "Svar", "Answer" },
	[RT_NOT_GIVEN] = { "(ej angivet)", "(not given)" },
	[RT_ORIGIN_GIVEN] = { "från temalistan", "from the themes list" },
	[RT_ORIGIN_DISCOVERED] = { "upptäckt i svaren", "discovered in the answers" },
	[RT_ORIGIN_CURATED] = { "skapat av en person", "made by a person" },
	[RT_RENAMED] = { "rubriken ändrad för hand", "label changed by hand" },
	[RT_MERGED] = { "sammanslaget med", "merged with" },
	[RT_TABLE_WORKSHOP] = { "Tema per workshop", "Theme by workshop" },
	[RT_TABLE_ORGANISATION] = { "Tema per organisation", "Theme by organisation" },
	[RT_TOTAL] = { "Totalt", "Total" },
	[RT_EMPTY_THEMES] = { "Teman i temalistan som inget svar tog upp", "Themes in the list no answer touched" },
	[RT_SEE_APPENDIX] = { "alla svar i bilagan", "every answer in the appendix" },
	[RT_DECISIONS] = { "Beslut som personer har fattat", "Decisions people made" },
	[RT_NO_DECISIONS] = { "Inga beslut; temana är som analysen gav dem.",
			      "No decisions; the themes are as the analysis made them." },
	[RT_UNDONE] = { "ångrat", "undone" },
	[RT_BY] = { "av", "by" },
	[RT_NO_THEMES] = { "Inga teman.", "No themes." },
	[RT_SHARE_NOTE] = { "Ett svar kan höra till flera teman, så summan kan bli större än antalet svar.",
			    "An answer can belong to several themes, so the sum can exceed the number of answers." },
	[RT_N_ANSWERS] = { "svar", "answers" },
	[RT_N_ANALYSED] = { "svar analyserade", "answers analysed" },
	[RT_N_THEMES] = { "teman", "themes" },
	[RT_N_UNASSIGNED] = { "utan tema", "fit no theme" },
	[RT_N_HIDDEN] = { "dolda svar utelämnade", "hidden answers left out" },
	[RT_ANALYSED_ROW] = { "Analyserade svar", "Answers analysed" },
	[RT_PER_PHONE] = { "per mobil", "per phone" },
	[RT_SOMEONE] = { "en processledare", "a facilitator" },
	[RT_N_DOTS] = { "prickar", "dots" },
	[RT_N_VOTERS] = { "röstande", "voters" },
	[RT_VOTED_AS] = { "som", "as" },
};

const char *report_t(const struct report_index *ix, enum report_text t)
{
	return texts[t][strcmp(ix->lang, "en") == 0];
}

const char *report_origin(const struct report_index *ix, const json_t *theme)
{
	const char *o = report_s(theme, "origin");

	if (strcmp(o, "discovered") == 0)
		return report_t(ix, RT_ORIGIN_DISCOVERED);
	if (strcmp(o, "curated") == 0)
		return report_t(ix, RT_ORIGIN_CURATED);
	return report_t(ix, RT_ORIGIN_GIVEN);
}

const char *report_s(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

const char *report_when(const char *iso, char out[32])
{
	if (strlen(iso) == 20 && iso[10] == 'T' && iso[19] == 'Z')
		snprintf(out, 32, "%.10s %.5s UTC", iso, iso + 11);
	else
		snprintf(out, 32, "%s", iso);
	return out;
}

size_t report_n(const json_t *o, const char *key)
{
	return json_array_size(json_object_get(o, key));
}

/* ---- the index renderers use ---- */

static int index_by(json_t *map, const json_t *list, const char *idkey)
{
	const json_t *e;
	size_t i;
	char key[32];

	json_array_foreach(list, i, e) {
		const json_t *id = json_object_get(e, idkey);
		const char *k = json_string_value(id);

		if (json_is_integer(id)) {
			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
			k = key;
		}
		if (!k || !json_is_object(e))
			return SRV_EINVAL;
		if (json_object_set(map, k, (json_t *)e))
			return SRV_ENOMEM;
	}
	return SRV_OK;
}

int report_index_build(const json_t *model, struct report_index *ix)
{
	static const char *const arrays[] = { "workshops", "questions", "answers", "themes", "analysed",
					      "hidden", "unassigned", "votes", "decisions" };
	const json_t *scope = json_object_get(model, "scope");
	size_t i;
	int err;

	memset(ix, 0, sizeof *ix);
	if (!json_is_object(model) || strcmp(report_s(model, "format"), REPORT_MODEL_NAME) ||
	    json_integer_value(json_object_get(model, "version")) != REPORT_MODEL_VERSION ||
	    !report_lang_ok(report_s(model, "lang")) || !json_is_object(scope) ||
	    !json_is_object(json_object_get(model, "synthesis")))
		return SRV_EINVAL;
	for (i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		if (!json_is_array(json_object_get(model, arrays[i])))
			return SRV_EINVAL;
	ix->model = model;
	ix->lang = report_s(model, "lang");
	ix->series = strcmp(report_s(scope, "kind"), "series") == 0;
	ix->answers = json_object();
	ix->questions = json_object();
	ix->workshops = json_object();
	if (!ix->answers || !ix->questions || !ix->workshops) {
		err = SRV_ENOMEM;
		goto fail;
	}
	if ((err = index_by(ix->answers, json_object_get(model, "answers"), "id")) ||
	    (err = index_by(ix->questions, json_object_get(model, "questions"), "id")) ||
	    (err = index_by(ix->workshops, json_object_get(model, "workshops"), "id")))
		goto fail;
	return SRV_OK;
fail:
	report_index_free(ix);
	return err;
}

void report_index_free(struct report_index *ix)
{
	json_decref(ix->answers);
	json_decref(ix->questions);
	json_decref(ix->workshops);
	ix->answers = ix->questions = ix->workshops = NULL;
}

const json_t *report_answer(const struct report_index *ix, json_int_t id)
{
	char key[32];

	snprintf(key, sizeof key, "%lld", (long long)id);
	return json_object_get(ix->answers, key);
}

const json_t *report_question(const struct report_index *ix, json_int_t id)
{
	char key[32];

	snprintf(key, sizeof key, "%lld", (long long)id);
	return json_object_get(ix->questions, key);
}

const json_t *report_workshop(const struct report_index *ix, const char *id)
{
	return id ? json_object_get(ix->workshops, id) : NULL;
}

/* ---- JSON helpers ---- */

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

/* Sort a JSON array in place (qsort_r: the report may be built on several threads at once). */
static void sort_array(json_t *arr, int (*cmp)(const void *, const void *, void *), void *arg, bool *ok)
{
	size_t i, n = json_array_size(arr);
	json_t **v;

	if (n < 2)
		return;
	if (!(v = calloc(n, sizeof *v))) {
		*ok = false;
		return;
	}
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort_r(v, n, sizeof *v, cmp, arg);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		push(arr, v[i], ok);
	free(v);
}

/* ---- derived tables ---- */

bool report_theme_shown(const json_t *t)
{
	return report_n(t, "answers") > 0;
}

static const char *answer_key(const char *dim)
{
	return strcmp(dim, "question") == 0 ? "question_id" : strcmp(dim, "workshop") == 0 ? "workshop_id" : dim;
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

/*
 * The columns of a theme x `dim` table: a new array of {"value", "answers":
 * n} with n the analysed answers with that value.  NULL when out of memory.
 */
static json_t *cross_columns(const struct report_index *ix, const char *dim)
{
	const json_t *m = ix->model, *id, *a;
	json_t *cols = json_array(), *seen = json_object();
	const char *key = answer_key(dim);
	bool ok = cols && seen;
	size_t i;

	if (strcmp(dim, "workshop") == 0) {
		json_array_foreach(json_object_get(m, "workshops"), i, a) {
			json_t *c = json_pack("{s:O,s:I}", "value", json_object_get(a, "id"), "answers", (json_int_t)0);

			if (!c || json_object_set(seen, report_s(a, "id"), c) || json_array_append_new(cols, c))
				ok = false;
		}
	}
	json_array_foreach(json_object_get(m, "analysed"), i, id) {
		const json_t *val;
		const char *k;
		json_t *c;

		a = report_answer(ix, json_integer_value(id));
		val = json_object_get(a, key);
		k = json_is_string(val) && *json_string_value(val) ? json_string_value(val) : NULL;
		if (!ok || !a || (!k && strcmp(dim, "workshop") == 0))
			continue;
		if (!(c = json_object_get(seen, k ? k : ""))) {
			c = json_pack("{s:O,s:I}", "value", k ? (json_t *)val : json_null(), "answers", (json_int_t)0);
			if (!c || json_object_set(seen, k ? k : "", c) || json_array_append_new(cols, c)) {
				ok = false;
				continue;
			}
		}
		json_integer_set(json_object_get(c, "answers"), json_integer_value(json_object_get(c, "answers")) + 1);
	}
	json_decref(seen);
	if (ok && strcmp(dim, "workshop"))
		sort_array(cols, column_cmp, NULL, &ok);
	if (!ok) {
		json_decref(cols);
		return NULL;
	}
	return cols;
}

/* How many of theme `t`'s answers have `value` in breakdown `dim`. */
static size_t cross_count(const json_t *t, const char *dim, const json_t *value)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(t, "by"), dim), i, e)
		if (json_equal(json_object_get(e, "value"), (json_t *)value))
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
			c->text = col ? report_value(x->ix, x->dim, value) : report_t(x->ix, RT_TOTAL);
		else if (c->part == REPORT_BODY)
			c->n = (long long)(col ? cross_count(t, x->dim, value) : report_n(t, "answers"));
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
	struct cross x = { o, ix, tb, dim, cols, { REPORT_HEAD, 0, json_array_size(cols) + 2, 0, NULL, 0 } };
	const json_t *t;
	size_t i;

	if (!cols) {
		o->e = o->e ? o->e : BUF_NOMEM;
		return;
	}
	cross_row(&x, NULL, report_t(ix, RT_THEME));
	x.c.part = REPORT_BODY;
	json_array_foreach(json_object_get(ix->model, "themes"), i, t) {
		if (!report_theme_shown(t))
			continue;
		x.c.theme = i;
		cross_row(&x, t, report_s(t, "label"));
	}
	x.c.part = REPORT_FOOT;
	cross_row(&x, NULL, report_t(ix, RT_ANALYSED_ROW));
	json_decref(cols);
}

const char *report_value(const struct report_index *ix, const char *dim, const json_t *value)
{
	if (strcmp(dim, "question") == 0 && json_is_integer(value)) {
		const json_t *q = report_question(ix, json_integer_value(value));

		return q ? report_s(q, "text") : report_t(ix, RT_NOT_GIVEN);
	}
	if (strcmp(dim, "workshop") == 0 && json_is_string(value)) {
		const json_t *w = report_workshop(ix, json_string_value(value));

		return w ? report_s(w, "title") : json_string_value(value);
	}
	if (json_is_string(value) && *json_string_value(value))
		return json_string_value(value);
	return report_t(ix, RT_NOT_GIVEN);
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

size_t report_shown_count(const struct report_index *ix)
{
	const json_t *t;
	size_t i, n = 0;

	json_array_foreach(json_object_get(ix->model, "themes"), i, t)
		n += report_theme_shown(t);
	return n;
}

void report_title(struct report_out *o, const struct report_index *ix)
{
	report_text(o, report_t(ix, RT_TITLE));
	report_text(o, ": ");
	report_text(o, report_s(json_object_get(ix->model, "scope"), "title"));
}

void report_meta_line(struct report_out *o, const struct report_index *ix)
{
	char when[32];
	const json_t *m = ix->model, *scope = json_object_get(m, "scope");

	report_text(o, report_t(ix, ix->series ? RT_SERIES : RT_WORKSHOP));
	if (!ix->series) {
		report_text(o, " · ");
		report_text(o, report_t(ix, RT_CODE));
		report_text(o, " ");
		report_text(o, report_s(scope, "code"));
	}
	report_text(o, " · ");
	report_text(o, report_t(ix, RT_ANALYSED));
	report_text(o, " ");
	report_text(o, report_when(report_s(json_object_get(m, "synthesis"), "analysed"), when));
	report_text(o, " · ");
	report_text(o, report_t(ix, RT_GENERATED));
	report_text(o, " ");
	report_text(o, report_when(report_s(m, "generated"), when));
}

void report_origin_line(struct report_out *o, const struct report_index *ix, const json_t *t)
{
	const json_t *v;
	size_t k;

	report_text(o, report_origin(ix, t));
	if (json_is_true(json_object_get(t, "renamed"))) {
		report_text(o, "; ");
		report_text(o, report_t(ix, RT_RENAMED));
	}
	/* By label, as the room saw them: an id like "new-3" means nothing to the reader. */
	if (report_n(t, "merged_labels")) {
		report_text(o, "; ");
		report_text(o, report_t(ix, RT_MERGED));
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

void report_vote_counts(struct report_out *o, const struct report_index *ix, const json_t *t, const json_t *v)
{
	report_textf(o, "%lld ", (long long)json_integer_value(json_object_get(v, "dots")));
	report_text(o, report_t(ix, RT_N_DOTS));
	report_textf(o, ", %lld ", (long long)json_integer_value(json_object_get(v, "voters")));
	report_text(o, report_t(ix, RT_N_VOTERS));
	if (report_voted_as(t, v)) {
		report_text(o, " (");
		report_text(o, report_t(ix, RT_VOTED_AS));
		report_text(o, " ");
		report_text(o, report_voted_as(t, v));
		report_text(o, ")");
	}
}

void report_vote_meta(struct report_out *o, const struct report_index *ix, const json_t *v)
{
	report_textf(o, "%lld ", (long long)json_integer_value(json_object_get(v, "dots")));
	report_text(o, report_t(ix, RT_N_DOTS));
	report_text(o, " ");
	report_text(o, report_t(ix, RT_PER_PHONE));
	report_text(o, " · ");
	report_textf(o, "%lld ", (long long)json_integer_value(json_object_get(v, "ballots")));
	report_text(o, report_t(ix, RT_BALLOTS));
	report_text(o, " · ");
	report_text(o, report_t(ix, json_is_true(json_object_get(v, "open")) ? RT_OPEN : RT_CLOSED));
}

void report_decision_item(struct report_out *o, const struct report_index *ix, const json_t *d)
{
	char when[32];
	struct buf line;

	buf_init(&line, o->b->max);
	if (report_decision_text(ix, d, &line) && !o->e)
		o->e = BUF_NOMEM;
	report_text(o, line.data ? line.data : "");
	report_text(o, " — ");
	report_text(o, report_when(report_s(d, "created"), when));
	report_text(o, ", ");
	report_text(o, report_t(ix, RT_BY));
	report_text(o, " ");
	report_text(o, json_is_string(json_object_get(d, "key_label")) ? report_s(d, "key_label") : report_t(ix, RT_SOMEONE));
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

/*
 * The label the model resolved for the theme a decision names in `field`
 * of its detail ("theme" -> "theme_label"); the id when the model has none.
 */
static const char *decision_theme(const json_t *decision, const char *field)
{
	char name[16];
	const json_t *label;

	snprintf(name, sizeof name, "%s_label", field);
	label = json_object_get(decision, name);
	return json_is_string(label) ? json_string_value(label) : report_s(json_object_get(decision, "detail"), field);
}

int report_decision_text(const struct report_index *ix, const json_t *decision, struct buf *out)
{
	const json_t *d = json_object_get(decision, "detail");
	const char *kind = report_s(decision, "kind");
	bool en = strcmp(ix->lang, "en") == 0;
	enum buf_err e;

	if (strcmp(kind, "rename") == 0)
		e = buf_printf(out, en ? "Renamed theme %s to \"%s\"" : "Bytte namn på temat %s till \"%s\"",
			       decision_theme(decision, "theme"), report_s(d, "label"));
	else if (strcmp(kind, "merge") == 0)
		e = buf_printf(out, en ? "Merged theme %s into %s" : "Slog ihop temat %s med %s",
			       decision_theme(decision, "theme"), decision_theme(decision, "into"));
	else if (strcmp(kind, "split") == 0)
		e = buf_printf(out, en ? "Split the term \"%s\" off theme %s as \"%s\"" :
				    "Bröt ut ordet \"%s\" ur temat %s som \"%s\"",
			       report_s(d, "term"), decision_theme(decision, "theme"), report_s(d, "label"));
	else if (strcmp(kind, "adopt") == 0)
		e = buf_printf(out, en ? "Kept a discovered theme as \"%s\" (%zu answers)" :
				    "Behöll ett upptäckt tema som \"%s\" (%zu svar)",
			       report_s(d, "label"), report_n(d, "answers"));
	else if (strcmp(kind, "move") == 0 && json_is_null(json_object_get(d, "to")))
		e = buf_printf(out, en ? "Answer %s fits no theme" : "Svar %s passar inget tema", report_s(d, "answer"));
	else if (strcmp(kind, "move") == 0)
		e = buf_printf(out, en ? "Moved answer %s%s%s to theme %s" : "Flyttade svar %s%s%s till temat %s",
			       report_s(d, "answer"), json_is_string(json_object_get(d, "from")) ? (en ? " from " : " från ") : "",
			       decision_theme(decision, "from"), decision_theme(decision, "to"));
	else if (strcmp(kind, "also") == 0)
		e = buf_printf(out, en ? "Put answer %s in theme %s as well" : "Lade svar %s även i temat %s",
			       report_s(d, "answer"), decision_theme(decision, "theme"));
	else if (strcmp(kind, "themes") == 0)
		e = buf_adds(out, en ? "Edited the themes list" : "Ändrade temalistan");
	else if (strcmp(kind, "undo") == 0)
		e = buf_printf(out, en ? "Took back decision %lld" : "Ångrade beslut %lld",
			       (long long)json_integer_value(json_object_get(d, "decision")));
	else
		e = buf_printf(out, "%s", kind);
	return report_buf_err(e);
}

int report_method_text(const struct report_index *ix, struct buf *out)
{
	const json_t *m = ix->model, *syn = json_object_get(m, "synthesis"), *themes = json_object_get(m, "themes");
	const json_t *d;
	bool en = strcmp(ix->lang, "en") == 0, dflt = json_is_true(json_object_get(syn, "themes_default"));
	size_t given = count_origin(themes, "given", false), given_used = count_origin(themes, "given", true);
	size_t disc = count_origin(themes, "discovered", false), cur = count_origin(themes, "curated", false);
	size_t i, active = 0, undone = 0, ws = report_n(m, "workshops");
	char analysed[32], generated[32];
	enum buf_err e;

	json_array_foreach(json_object_get(m, "decisions"), i, d) {
		if (strcmp(report_s(d, "kind"), "undo") == 0)
			continue;
		if (json_is_null(json_object_get(d, "undone_by")) || !json_object_get(d, "undone_by"))
			active++;
		else
			undone++;
	}
	e = buf_printf(out, en ?
		"The data: %zu answers from %zu workshop%s, collected on phones during the dialogue. %zu answers were "
		"hidden by the facilitator and are left out of everything except the CSV and JSON files. The remaining %zu "
		"answers were analysed on %s (revision %lld); this report was created on %s.\n" :
		"Underlaget: %zu svar från %zu workshop%s, lämnade på mobiler under dialogen. %zu svar doldes av "
		"processledaren och är inte med i något utom CSV- och JSON-filerna. De övriga %zu svaren analyserades %s "
		"(version %lld); rapporten skapades %s.\n",
		report_n(m, "answers"), ws, en ? (ws == 1 ? "" : "s") : (ws == 1 ? "" : "par"), report_n(m, "hidden"),
		report_n(m, "analysed"), report_when(report_s(syn, "analysed"), analysed),
		(long long)json_integer_value(json_object_get(syn, "rev")), report_when(report_s(m, "generated"), generated));
	if (!e)
		e = buf_printf(out, en ?
			"How the themes were made: each answer was matched against the key terms of a list of %zu themes "
			"(%s), with Swedish compound words split and word forms reduced to their stem; %zu of them were "
			"found in the answers. An answer can belong to several themes. Answers no listed theme covered "
			"were grouped by similarity of their words (clustering), giving %zu discovered themes labelled by "
			"their most distinctive words. %zu answers fit no theme at all. Quotes are the answers closest to "
			"the middle of their theme.\n" :
			"Så togs temana fram: varje svar jämfördes med nyckelorden i en lista med %zu teman (%s), med "
			"sammansatta ord uppdelade och ordformer förda till sin stam; %zu av dem fanns i svaren. Ett svar "
			"kan höra till flera teman. Svar som inget tema i listan täckte grupperades efter hur lika deras ord "
			"är (klustring), vilket gav %zu upptäckta teman med de mest utmärkande orden som rubrik. %zu svar "
			"passar inget tema alls. Citaten är de svar som ligger närmast mitten av sitt tema.\n",
			given, dflt ? (en ? "the shipped primary-care list" : "den medföljande listan för primärvård") :
				      (en ? "a list edited for this report" : "en lista som redigerats för den här rapporten"),
			given_used, disc, report_n(m, "unassigned"));
	if (!e)
		e = buf_printf(out, en ?
			"What people curated by hand: %zu decisions are in force (renaming, merging or splitting themes, "
			"moving answers, editing the themes list) and %zu were taken back; %zu themes were made by a "
			"person. Every decision is listed below with who made it and when, and is applied again every time "
			"the answers are analysed, so answers that came in later are sorted the same way.\n" :
			"Vad personer har bearbetat för hand: %zu beslut gäller (byta namn på, slå ihop eller dela teman, "
			"flytta svar, ändra temalistan) och %zu har ångrats; %zu teman har skapats av en person. Varje beslut "
			"står nedan med vem som fattade det och när, och tillämpas på nytt varje gång svaren analyseras, så "
			"svar som kom in senare sorteras på samma sätt.\n",
			active, undone, cur);
	if (!e)
		e = buf_adds(out, en ?
			"Every number in this report is the count of a list of answers: the appendix lists them by theme "
			"with their ids, and the CSV and JSON versions of this report hold the same lists.\n" :
			"Varje tal i rapporten är antalet svar i en lista: bilagan visar dem per tema med deras id, och "
			"rapportens CSV- och JSON-versioner innehåller samma listor.\n");
	return report_buf_err(e);
}

/* ---- the model ---- */

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
 * One breakdown of a theme: entries {"value", "answers": [ids]} keyed by
 * the value's text in `keys` (object: key -> entry, borrowed).
 */
static void by_add(json_t *arr, json_t *keys, const json_t *value, json_int_t id, bool *ok)
{
	char key[64];
	const char *k;
	json_t *entry;

	if (json_is_integer(value)) {
		snprintf(key, sizeof key, "i%lld", (long long)json_integer_value(value));
		k = key;
	} else if (json_is_string(value)) {
		k = json_string_value(value);
		if (!*k)
			value = NULL;
	} else {
		k = "";
		value = NULL;
	}
	if (!(entry = json_object_get(keys, k))) {
		entry = json_pack("{s:O,s:[]}", "value", value ? (json_t *)value : json_null(), "answers");
		if (!entry || json_object_set(keys, k, entry) || json_array_append_new(arr, entry)) {
			*ok = false;
			return;
		}
	}
	push(json_object_get(entry, "answers"), json_integer(id), ok);
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
	json_t *themes = json_array(), *keys[REPORT_NDIMS];
	size_t t, i, d;

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
				by_add(json_object_get(by, report_dims[d].dim), keys[d],
				       json_object_get(row, answer_key(report_dims[d].dim)), id, ok);
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
	return themes;
}

/* The answers of the scope for the model, with the themes of each visible one. */
static json_t *model_answers(const struct synth_result *r, json_t **analysed, json_t **hidden, json_t **unassigned,
			     bool *ok)
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
		copy(a, row, "text", ok);
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
		const char *kind = report_s(d, "kind"), *theme = report_s(x, "theme"), *label = report_s(x, "label");
		char name[16];

		for (f = 0; f < sizeof fields / sizeof fields[0]; f++) {
			const char *id = json_string_value(json_object_get(x, fields[f]));

			snprintf(name, sizeof name, "%s_label", fields[f]);
			if (id)
				put(d, name, json_string(theme_label(known, themes, id)), ok);
		}
		if (strcmp(kind, "rename") == 0 && *theme && *label) {
			snprintf(name, sizeof name, "%lld", (long long)json_integer_value(json_object_get(d, "id")));
			put(d, "label_before", json_string(report_s(d, "theme_label")), ok);
			put(renames, name, json_pack("{s:s, s:s, s:s}", "theme", theme, "before", report_s(d, "theme_label"),
						     "label", label), ok);
			put(known, theme, json_string(label), ok);
		} else if ((strcmp(kind, "adopt") == 0 || strcmp(kind, "split") == 0) && *report_s(x, "id") && *label) {
			put(known, report_s(x, "id"), json_string(label), ok);
		} else if (strcmp(kind, "themes") == 0 && json_is_string(json_object_get(x, "text"))) {
			push(files, json_incref(d), ok);
			file_labels(known, renames, report_s(x, "text"), ok);
		} else if (strcmp(kind, "undo") == 0) {
			undo_labels(known, renames, files, json_integer_value(json_object_get(x, "decision")), ok);
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

int report_model(struct store *st, pthread_mutex_t *lock, const struct synth_result *r, const char *lang,
		 const char *now, json_t **model)
{
	json_t *m = json_object(), *syn = json_object(), *ranks = json_object(), *answers, *analysed, *hidden;
	json_t *unassigned, *v;
	char stamp[STORE_TIME_LEN + 1];
	bool ok = m && syn && ranks;
	size_t i;
	int err;

	*model = NULL;
	if (!report_lang_ok(lang) || !r || !r->res) {
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
	if (lock)
		pthread_mutex_lock(lock);
	err = model_store(st, r, m, &ok);
	if (lock)
		pthread_mutex_unlock(lock);
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
	answers = model_answers(r, &analysed, &hidden, &unassigned, &ok);
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

/* ---- rendering ---- */

struct dump_ctx {
	struct buf *out;
	enum buf_err e;
};

static int dump_to_buf(const char *s, size_t len, void *data)
{
	struct dump_ctx *c = data;

	c->e = buf_add(c->out, s, len);
	return c->e ? -1 : 0;
}

int report_render(const json_t *model, enum report_format f, struct buf *out)
{
	struct report_index ix;
	struct dump_ctx dc = { out, BUF_OK };
	size_t max = out->max;
	int err;

	if ((err = report_index_build(model, &ix)))
		return err;
	if (out->max > REPORT_MAX)
		out->max = REPORT_MAX;
	switch (f) {
	case REPORT_HTML: err = report_render_html(&ix, out); break;
	case REPORT_MD: err = report_render_md(&ix, out); break;
	case REPORT_CSV: err = report_render_csv(&ix, out); break;
	case REPORT_DOCX: err = report_render_docx(&ix, out); break;
	case REPORT_JSON:
		if (json_dump_callback(model, dump_to_buf, &dc, JSON_INDENT(1) | JSON_PRESERVE_ORDER))
			err = dc.e ? report_buf_err(dc.e) : SRV_ENOMEM;
		else
			err = report_buf_err(buf_addc(out, '\n'));
		break;
	default: err = SRV_EINVAL;
	}
	out->max = max;
	report_index_free(&ix);
	return err;
}

void report_filename(const json_t *model, enum report_format f, char *out, size_t size)
{
	const char *title = report_s(json_object_get(model, "scope"), "title");
	const char *date = report_s(model, "generated");
	const uint8_t *p, *end;
	uint8_t *nfd;
	size_t len = 0, i, n = 0;
	bool dash = true;
	char slug[64];

	/* Decomposed, "Vårdcentral Öst" is V a (ring) r d ...: letters keep their base, marks drop out. */
	nfd = u8_normalize(UNINORM_NFD, (const uint8_t *)title, strlen(title), NULL, &len);
	for (p = nfd, end = nfd ? nfd + len : NULL; p && p < end && n < sizeof slug - 1;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));

		p += k > 0 ? k : 1;
		if (uc >= 'A' && uc <= 'Z')
			uc = uc - 'A' + 'a';
		if ((uc >= 'a' && uc <= 'z') || (uc >= '0' && uc <= '9')) {
			slug[n++] = (char)uc;
			dash = false;
		} else if (uc_combining_class(uc) == 0 && !dash) {
			slug[n++] = '-';
			dash = true;
		}
	}
	free(nfd);
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	snprintf(out, size, "inspel-%s%s%.10s.%s", slug, n ? "-" : "", strlen(date) >= 10 ? date : "rapport",
		 report_extension(f));
	for (i = 0; out[i]; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= '0' && out[i] <= '9') || out[i] == '-' || out[i] == '.'))
			out[i] = '-';
}

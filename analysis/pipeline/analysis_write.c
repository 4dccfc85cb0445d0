/*
 * analysis_write.c - the writers of analysis.h: JSON, Markdown, CSV.
 *
 * Answer text is escaped by core/escape.h (so a CSV cell never runs as a
 * formula, Markdown never becomes markup) and the words around it come
 * from core/labels.h, the table the report uses too.
 *
 * JSON: each theme is encoded by jansson and framed here; the assignments
 * (one per answer, most of the output) are written directly in the bytes
 * jansson would write, which is much faster and never holds 100,000
 * assignments as one tree.  Numbers are printed with 4 significant digits,
 * which keeps the output stable and readable.
 */
#include "pipeline/analysis.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "core/an_err.h"
#include "core/escape.h"
#include "core/labels.h"

#define JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(4))

static const char *const dim_names[ANALYSIS_NDIMS] = { "question", "group", "organisation", "workshop" };
static const char *const origin_names[] = { "given", "discovered", "curated" };

/* Append `v` as compact JSON and release it; a NULL `v` means a failed build. */
static int put_json(struct buf *out, json_t *v)
{
	enum buf_err e;

	if (!v)
		return AN_ENOMEM;
	e = esc_json_value(out, v, JSON_FLAGS | JSON_ENCODE_ANY);
	json_decref(v);
	return e ? buf_an_err(e) : AN_OK;
}

/* json_object_set_new that remembers failure instead of returning it. */
static void set(json_t *o, const char *key, json_t *v, int *ok)
{
	if (!v || json_object_set_new(o, key, v))
		*ok = 0;
}

static void append(json_t *a, json_t *v, int *ok)
{
	if (!v || json_array_append_new(a, v))
		*ok = 0;
}

static json_t *theme_json(const struct analysis_result *r, const struct analysis_theme *t)
{
	json_t *o = json_object(), *terms = json_array(), *quotes = json_array(), *shares = json_object();
	json_t *merged = json_array(), *merged_labels = json_array(), *learned = json_array();
	size_t i;
	int ok = o && terms && quotes && shares && merged && merged_labels && learned, dim;

	if (!ok) {
		json_decref(o);
		json_decref(terms);
		json_decref(quotes);
		json_decref(shares);
		json_decref(merged);
		json_decref(merged_labels);
		json_decref(learned);
		return NULL;
	}
	set(o, "id", json_string(t->id), &ok);
	set(o, "label", json_string(t->label), &ok);
	set(o, "seeded", json_boolean(t->seeded), &ok);
	set(o, "origin", json_string(origin_names[t->origin]), &ok);
	set(o, "renamed", json_boolean(t->renamed), &ok);
	for (i = 0; i < t->nmerged; i++) {
		append(merged, json_string(t->merged[i]), &ok);
		append(merged_labels, json_string(t->merged_labels[i]), &ok);
	}
	set(o, "merged", merged, &ok);
	set(o, "merged_labels", merged_labels, &ok);
	set(o, "size", json_integer((json_int_t)t->size), &ok);
	set(o, "primary", json_integer((json_int_t)t->primary), &ok);
	set(o, "share", json_real(r->nanswers ? (double)t->size / (double)r->nanswers : 0), &ok);
	for (i = 0; i < t->nterms; i++)
		append(terms, json_string(t->terms[i]), &ok);
	set(o, "terms", terms, &ok);
	for (i = 0; i < t->nlearned; i++)
		append(learned, json_string(t->learned[i]), &ok);
	set(o, "learned", learned, &ok);
	for (i = 0; i < t->nquotes; i++) {
		json_t *q = json_object();

		if (q) {
			set(q, "id", json_string(r->ids[t->quotes[i].answer]), &ok);
			set(q, "text", json_string(r->texts[t->quotes[i].answer]), &ok);
			set(q, "score", json_real(t->quotes[i].score), &ok);
		}
		append(quotes, q, &ok);
	}
	set(o, "quotes", quotes, &ok);
	for (dim = 0; dim < ANALYSIS_NDIMS; dim++) {
		json_t *a = json_array();

		for (i = 0; a && i < t->nshares[dim]; i++) {
			const struct analysis_share *s = &t->shares[dim][i];
			json_t *e = json_object();

			if (e) {
				set(e, "value", json_string(s->value), &ok);
				set(e, "count", json_integer((json_int_t)s->count), &ok);
				set(e, "total", json_integer((json_int_t)s->total), &ok);
				set(e, "share", json_real((double)s->count / (double)s->total), &ok);
			}
			append(a, e, &ok);
		}
		set(shares, dim_names[dim], a, &ok);
	}
	set(o, "shares", shares, &ok);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * Assignments are written by hand rather than through jansson: one jansson
 * tree per answer took a quarter of a whole 20,000-answer run.  The bytes
 * are those jansson writes with JSON_FLAGS (tests/test_analysis.c checks).
 */

/* A JSON string as jansson encodes it (ids and texts were checked as UTF-8 by check_answers). */
static int json_str(struct buf *out, const char *s)
{
	return buf_an_err(esc_json(out, s));
}

/* A real as jansson writes it with JSON_REAL_PRECISION(4): "%.4g", ".0"
 * added when there is neither '.' nor 'e', no '+' or leading zeros in the
 * exponent.  Returns AN_OK, AN_ENOMEM or AN_ETOOBIG. */
static int json_real4(struct buf *out, double v)
{
	char num[32], *exp;
	int n = snprintf(num, sizeof(num), "%.4g", v);

	if (n < 0 || (size_t)n >= sizeof(num) - 2)
		return AN_ENOMEM;
	if (!strchr(num, '.') && !strchr(num, 'e'))
		memcpy(num + n, ".0", 3);
	if ((exp = strchr(num, 'e'))) {
		char *digits = exp + 1, *from;

		if (*digits == '-')
			digits++;
		from = digits;
		if (*from == '+')
			from++;
		while (*from == '0' && from[1])
			from++;
		memmove(digits, from, strlen(from) + 1);
	}
	return buf_an_err(buf_adds(out, num));
}

/*
 * {"id", "theme": primary or null, "themes": [...], "score": primary's,
 *  "scores": [... parallel to themes], "terms": {theme id: [matched terms]},
 *  "confidence": 0..1 for the primary theme, "evidence": why, or null}
 * and, only when a decision placed the answer, "human": [theme ids a
 * decision put it in] and/or "human_none": true (it fits no theme).
 * Returns as json_str.
 */
static int assignment_json(struct buf *out, const struct analysis_result *r, size_t d)
{
	const struct analysis_assignment *as = &r->assign[d];
	size_t m, i;
	int err, first = 1;

#define TRY(x) do { if ((err = (x))) return err; } while (0)
#define PUT(s) TRY(buf_an_err(buf_adds(out, s)))
	PUT("{\"id\":");
	TRY(json_str(out, r->ids[d]));
	PUT(",\"theme\":");
	if (as->nmatches)
		TRY(json_str(out, r->themes[as->matches[0].theme].id));
	else
		PUT("null");
	PUT(",\"themes\":[");
	for (m = 0; m < as->nmatches; m++) {
		if (m)
			PUT(",");
		TRY(json_str(out, r->themes[as->matches[m].theme].id));
	}
	PUT("],\"score\":");
	TRY(json_real4(out, as->nmatches ? as->matches[0].score : 0));
	PUT(",\"scores\":[");
	for (m = 0; m < as->nmatches; m++) {
		if (m)
			PUT(",");
		TRY(json_real4(out, as->matches[m].score));
	}
	PUT("],\"terms\":{");
	for (m = 0; m < as->nmatches; m++) {
		const struct analysis_match *mt = &as->matches[m];

		if (!mt->nterms)
			continue;
		if (!first)
			PUT(",");
		first = 0;
		TRY(json_str(out, r->themes[mt->theme].id));
		PUT(":[");
		for (i = 0; i < mt->nterms; i++) {
			if (i)
				PUT(",");
			TRY(json_str(out, r->themes[mt->theme].given[mt->terms[i]]));
		}
		PUT("]");
	}
	PUT("},\"confidence\":");
	TRY(json_real4(out, as->confidence));
	PUT(",\"evidence\":");
	if (as->evidence)
		TRY(json_str(out, as->evidence));
	else
		PUT("null");
	first = 1;
	for (m = 0; m < as->nmatches; m++) {
		if (!as->matches[m].human)
			continue;
		PUT(first ? ",\"human\":[" : ",");
		first = 0;
		TRY(json_str(out, r->themes[as->matches[m].theme].id));
	}
	if (!first)
		PUT("]");
	if (as->human_none)
		PUT(",\"human_none\":true");
	PUT("}");
#undef PUT
#undef TRY
	return AN_OK;
}

/*
 * Every writer promises valid UTF-8 output, so ids and texts are checked
 * once up front; also counts the answers that fit no theme.  Returns AN_OK
 * or AN_EUTF8.
 */
static int check_answers(const struct analysis_result *r, size_t *unassigned)
{
	size_t i;

	*unassigned = 0;
	for (i = 0; i < r->nanswers; i++) {
		if (u8_check((const uint8_t *)r->ids[i], strlen(r->ids[i])) ||
		    u8_check((const uint8_t *)r->texts[i], strlen(r->texts[i])) ||
		    (r->assign[i].evidence && u8_check((const uint8_t *)r->assign[i].evidence, strlen(r->assign[i].evidence))))
			return AN_EUTF8;
		*unassigned += !r->assign[i].nmatches;
	}
	return AN_OK;
}

int analysis_write_json(const struct analysis_result *r, struct buf *out)
{
	size_t i, unassigned = 0;
	int err;

	if ((err = check_answers(r, &unassigned)))
		return err;
	if ((err = buf_an_err(buf_printf(out, "{\n\"answers\": %zu,\n\"lang\": \"%s\",\n\"seed\": %llu,\n"
					    "\"unassigned\": %zu,\n\"themes\": [",
				       r->nanswers, r->lang, (unsigned long long)r->seed, unassigned))))
		return err;
	for (i = 0; i < r->nthemes; i++)
		if ((err = buf_an_err(buf_adds(out, i ? ",\n" : "\n"))) ||
		    (err = put_json(out, theme_json(r, &r->themes[i]))))
			return err;
	if ((err = buf_an_err(buf_adds(out, "\n],\n\"assignments\": ["))))
		return err;
	for (i = 0; i < r->nanswers; i++)
		if ((err = buf_an_err(buf_adds(out, i ? ",\n" : "\n"))) ||
		    (err = assignment_json(out, r, i)))
			return err;
	return buf_an_err(buf_adds(out, "\n]\n}\n"));
}

/* ---- Markdown ---- */

/* A label in the analysis's language. */
static const char *word(const struct analysis_result *r, enum label id)
{
	return label_text(id, r->lang);
}

/* The word after a count of `n` in the analysis's language: "1 answer", "2 answers". */
static const char *words(const struct analysis_result *r, size_t n, enum label id)
{
	return label_count(id, (long long)n, r->lang);
}

/* Text on one line (a line break becomes a space), its markup escaped; `line_start`: it opens a line. */
static int md_inline(struct buf *out, const char *s, bool line_start)
{
	return esc_md(out, s, NULL, line_start) ? AN_ENOMEM : AN_OK;
}

static int pct(size_t a, size_t b)
{
	return b ? (int)((double)a * 100.0 / (double)b + 0.5) : 0;
}

static size_t *themes_by_size(const struct analysis_result *r)
{
	size_t *order = malloc((r->nthemes ? r->nthemes : 1) * sizeof(*order)), i, j;

	if (!order)
		return NULL;
	/* Insertion sort: few themes, and it is stable (ties keep file/discovery order). */
	for (i = 0; i < r->nthemes; i++) {
		for (j = i; j > 0 && r->themes[order[j - 1]].size < r->themes[i].size; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	return order;
}

/* " · what: a, b, c" on the theme's line; nothing when `n` is 0.  Nonzero when `out` is full. */
static int md_list(struct buf *out, const char *what, char *const *v, size_t n)
{
	size_t i;

	if (n && buf_printf(out, " · %s: ", what))
		return -1;
	for (i = 0; i < n; i++)
		if ((i && buf_adds(out, ", ")) || md_inline(out, v[i], false))
			return -1;
	return 0;
}

/* `by_hand`: answers a decision placed in this theme. */
static int md_theme(const struct analysis_result *r, size_t rank,
		    const struct analysis_theme *t, size_t by_hand, struct buf *out)
{
	static const enum label dims[ANALYSIS_NDIMS] = { LABEL_BY_QUESTION, LABEL_BY_GROUP, LABEL_BY_ORGANISATION,
							 LABEL_BY_WORKSHOP };
	const char *origin = word(r, t->origin == ANALYSIS_CURATED ? LABEL_THEME_CURATED :
				     t->origin == ANALYSIS_DISCOVERED ? LABEL_THEME_DISCOVERED : LABEL_THEME_GIVEN);
	size_t i;
	int dim;

	if (buf_printf(out, "## %zu. ", rank) || md_inline(out, t->label, false) ||
	    buf_printf(out, " (%zu %s, %d %%)\n\n*%s*", t->size, words(r, t->size, LABEL_N_ANSWERS), pct(t->size, r->nanswers),
		       origin))
		return AN_ENOMEM;
	if (md_list(out, word(r, LABEL_TERMS), t->terms, t->nterms) ||
	    (t->renamed && buf_printf(out, " · %s", word(r, LABEL_RENAMED_SHORT))) ||
	    md_list(out, word(r, LABEL_MERGED), t->merged_labels, t->nmerged))
		return AN_ENOMEM;
	if (by_hand && buf_printf(out, " · %zu %s", by_hand, words(r, by_hand, LABEL_N_BY_HAND)))
		return AN_ENOMEM;
	if (buf_adds(out, "\n\n"))
		return AN_ENOMEM;
	for (dim = 0; dim < ANALYSIS_NDIMS; dim++) {
		if (!t->nshares[dim])
			continue;
		if (buf_printf(out, "%s:\n", word(r, dims[dim])))
			return AN_ENOMEM;
		for (i = 0; i < t->nshares[dim]; i++) {
			const struct analysis_share *s = &t->shares[dim][i];

			if (buf_adds(out, "- ") || md_inline(out, s->value, true) ||
			    buf_printf(out, ": %zu %s %zu (%d %%)\n", s->count, word(r, LABEL_OF), s->total, pct(s->count, s->total)))
				return AN_ENOMEM;
		}
		if (buf_adds(out, "\n"))
			return AN_ENOMEM;
	}
	for (i = 0; i < t->nquotes; i++)
		if (buf_adds(out, "> ") || md_inline(out, r->texts[t->quotes[i].answer], true) || buf_adds(out, "\n\n"))
			return AN_ENOMEM;
	return AN_OK;
}

int analysis_write_md(const struct analysis_result *r, struct buf *out)
{
	size_t *order = themes_by_size(r), i, m, rank = 0, unassigned = 0, shown = 0, unused = 0;
	size_t *by_hand = calloc(r->nthemes ? r->nthemes : 1, sizeof(*by_hand));
	int err = AN_ENOMEM;

	if (!order || !by_hand)
		goto out;
	for (i = 0; i < r->nanswers; i++)
		for (m = 0; m < r->assign[i].nmatches; m++)
			by_hand[r->assign[i].matches[m].theme] += r->assign[i].matches[m].human != 0;
	if ((err = check_answers(r, &unassigned)))
		goto out;
	err = AN_ENOMEM;
	if (buf_printf(out, "# %s\n\n%zu %s, %zu %s. %s: %zu.\n\n", word(r, LABEL_ANALYSIS_TITLE), r->nanswers,
		       words(r, r->nanswers, LABEL_N_ANSWERS), r->nthemes, words(r, r->nthemes, LABEL_N_THEMES),
		       word(r, LABEL_FIT_NO_THEME),
		       unassigned))
		goto out;
	for (i = 0; i < r->nthemes; i++) {
		if (!r->themes[order[i]].size) {
			unused++;
			continue;
		}
		if ((err = md_theme(r, ++rank, &r->themes[order[i]], by_hand[order[i]], out)))
			goto out;
	}
	err = AN_ENOMEM;
	if (unused) {
		if (buf_printf(out, "%s: ", word(r, LABEL_GIVEN_UNUSED)))
			goto out;
		for (i = 0; i < r->nthemes; i++)
			if (!r->themes[order[i]].size &&
			    ((shown++ && buf_adds(out, ", ")) || md_inline(out, r->themes[order[i]].label, false)))
				goto out;
		if (buf_adds(out, ".\n\n"))
			goto out;
	}
	if (unassigned) {
		shown = 0;
		if (buf_printf(out, "## %s (%zu)\n\n", word(r, LABEL_FIT_NO_THEME), unassigned))
			goto out;
		for (i = 0; i < r->nanswers && shown < 100; i++) {
			if (r->assign[i].nmatches)
				continue;
			shown++;
			if (buf_adds(out, "- ") || md_inline(out, r->texts[i], true) ||
			    (r->assign[i].human_none && buf_printf(out, " *(%s)*", word(r, LABEL_PLACED_BY_HAND))) ||
			    buf_adds(out, "\n"))
				goto out;
		}
		if (unassigned > shown &&
		    buf_printf(out, "- … %s %zu %s\n", word(r, LABEL_AND), unassigned - shown, word(r, LABEL_MORE)))
			goto out;
	}
	err = AN_OK;
out:
	free(order);
	free(by_hand);
	return err;
}

/* ---- CSV ---- */

/* One field: quoted when needed, formulas defused, control characters dropped (core/escape.h). */
static int csv_field(struct buf *out, const char *s)
{
	return esc_csv(out, s) ? AN_ENOMEM : AN_OK;
}

/* Whether any decision placed an answer: only then does the CSV carry a "human" column. */
static int any_human(const struct analysis_result *r)
{
	size_t d, m;

	for (d = 0; d < r->nanswers; d++) {
		if (r->assign[d].human_none)
			return 1;
		for (m = 0; m < r->assign[d].nmatches; m++)
			if (r->assign[d].matches[m].human)
				return 1;
	}
	return 0;
}

/*
 * One row per answer.  With decisions that placed answers, a "human"
 * column before the text lists the themes a decision put the answer in,
 * or "-" when a decision said it fits no theme (then it has no theme).
 */
int analysis_write_csv(const struct analysis_result *r, struct buf *out)
{
	struct buf cell;
	size_t d, m, i;
	int err = AN_ENOMEM, human = any_human(r);

	buf_init(&cell, 16u * 1024 * 1024);
	if (buf_adds(out, human ? "id,theme,label,themes,score,terms,human,text\r\n"
				: "id,theme,label,themes,score,terms,text\r\n"))
		goto out;
	for (d = 0; d < r->nanswers; d++) {
		const struct analysis_assignment *as = &r->assign[d];
		const struct analysis_theme *p = as->nmatches ? &r->themes[as->matches[0].theme] : NULL;

		if (csv_field(out, r->ids[d]) || buf_addc(out, ',') || csv_field(out, p ? p->id : "") ||
		    buf_addc(out, ',') || csv_field(out, p ? p->label : "") || buf_addc(out, ','))
			goto out;
		buf_reset(&cell);
		for (m = 0; m < as->nmatches; m++)
			if ((m && buf_addc(&cell, ';')) || buf_adds(&cell, r->themes[as->matches[m].theme].id))
				goto out;
		if (csv_field(out, cell.data ? cell.data : "") ||
		    buf_printf(out, ",%.4g,", as->nmatches ? (double)as->matches[0].score : 0.0))
			goto out;
		buf_reset(&cell);
		for (m = 0; m < as->nmatches; m++) {
			const struct analysis_theme *t = &r->themes[as->matches[m].theme];

			for (i = 0; i < as->matches[m].nterms; i++)
				if ((cell.len && buf_addc(&cell, ';')) || buf_adds(&cell, t->given[as->matches[m].terms[i]]))
					goto out;
		}
		if (csv_field(out, cell.data ? cell.data : "") || buf_addc(out, ','))
			goto out;
		if (human) {
			buf_reset(&cell);
			for (m = 0; m < as->nmatches; m++)
				if (as->matches[m].human && ((cell.len && buf_addc(&cell, ';')) ||
							     buf_adds(&cell, r->themes[as->matches[m].theme].id)))
					goto out;
			/* "-" (a decision said: no theme) is ours, not a formula: written as it is. */
			if (as->human_none ? buf_addc(out, '-') != BUF_OK : csv_field(out, cell.data ? cell.data : "") != AN_OK)
				goto out;
			if (buf_addc(out, ','))
				goto out;
		}
		if (csv_field(out, r->texts[d]) || buf_adds(out, "\r\n"))
			goto out;
	}
	err = AN_OK;
out:
	buf_free(&cell);
	return err;
}

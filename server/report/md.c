/*
 * md.c - the report as Markdown (CommonMark with GFM tables).
 *
 * Text from the model is escaped by esc_md (core/escape.h) so an answer
 * can never become markup: < > & as HTML entities (so no tag survives even
 * in a renderer that ignores backslashes), the other inline Markdown
 * punctuation (\ ` * _ [ ] # | ~ !) with a backslash always, and the
 * characters that only start a block (- + = and "1." / "1)") when they
 * open a line.  Control characters are dropped; a newline becomes the
 * context's line break (a hard break in quotes and list items, a space in
 * table cells).
 */
#include "report/text.h"

#include "core/escape.h"

/*
 * Escape `s` (core/escape.h); `nl` replaces each line break (NULL: a
 * space).  `start` says the text opens a line, where block markers need
 * escaping too.
 */
static void md(struct report_out *o, const char *s, const char *nl, bool start)
{
	if (!o->e)
		o->e = esc_md(o->b, s, nl, start);
}

static void text(struct report_out *o, const char *s)
{
	md(o, s, NULL, false);
}

/* A paragraph of its own: it opens a line. */
static void paragraph(struct report_out *o, const char *s)
{
	md(o, s, NULL, true);
}

/* The header of a table of theme rows with two number columns `a` and `b`. */
static void table_head(struct report_out *o, const struct report_index *ix, enum label a, enum label b)
{
	report_wrap(o, "| ", report_t(ix, LABEL_THEME), " | ");
	report_wrap(o, "", report_t(ix, a), " | ");
	report_wrap(o, "", report_t(ix, b), " |\n|---|---:|---:|\n");
}

static void breakdown(struct report_out *o, const struct report_index *ix, const json_t *t, const char *dim,
		      enum label title)
{
	report_wrap(o, "- ", report_t(ix, title), ": ");
	report_breakdown_items(o, ix, t, dim);
	report_put(o, "\n");
}

static void theme(struct report_out *o, const struct report_index *ix, const json_t *t)
{
	const json_t *v;
	size_t k;

	report_wrap(o, "\n### ", report_s(t, "label"), "\n\n*");
	report_origin_line(o, ix, t);
	report_putf(o, "*\n\n**%zu %s** (%zu ", report_n(t, "answers"), report_count(ix, report_n(t, "answers"), LABEL_N_ANSWERS),
		    report_n(t, "primary_answers"));
	text(o, report_t(ix, LABEL_PRIMARY));
	report_wrap(o, "; ", report_t(ix, LABEL_SEE_APPENDIX), ")\n\n");
	report_wrap(o, "- ", report_t(ix, LABEL_TERMS), ": ");
	report_terms(o, t);
	report_put(o, "\n");
	for (k = 0; k < REPORT_NDIMS; k++)
		if (ix->series || !report_dims[k].series_only)
			breakdown(o, ix, t, report_dims[k].dim, report_dims[k].title);
	json_array_foreach(json_object_get(t, "votes"), k, v) {
		report_put(o, "- ");
		text(o, report_t(ix, LABEL_VOTE));
		report_putf(o, " %lld: ", (long long)json_integer_value(json_object_get(v, "vote")));
		report_vote_counts(o, ix, t, v);
		report_put(o, "\n");
	}
	if (report_n(t, "quotes")) {
		report_put(o, "\n");
		json_array_foreach(json_object_get(t, "quotes"), k, v) {
			report_put(o, "> ");
			md(o, report_s(report_answer(ix, json_integer_value(v)), "text"), "\\\n> ", true);
			report_putf(o, " \\[%lld\\]\n\n", (long long)json_integer_value(v));
		}
	}
}

/* The cells of a theme x dimension table (report_cross_table): a GFM table, numbers right-aligned. */
static void cross_row(struct report_out *o, const struct report_cell *c, bool end)
{
	size_t k;

	if (!end)
		return;
	report_put(o, " |\n");
	if (c->part != REPORT_HEAD)
		return;
	report_put(o, "|---");
	for (k = 1; k < c->ncols; k++)
		report_put(o, "|---:");
	report_put(o, "|\n");
}

static void cross_cell(struct report_out *o, const struct report_cell *c)
{
	report_put(o, c->col ? " | " : "| ");
	if (c->text)
		text(o, c->text);
	else
		report_putf(o, "%lld", c->n);
}

static void cross_table(struct report_out *o, const struct report_index *ix, const char *dim, enum label title)
{
	static const struct report_table tb = { cross_row, cross_cell };

	report_wrap(o, "\n## ", report_t(ix, title), "\n\n");
	report_cross_table(o, ix, dim, &tb);
	report_wrap(o, "\n", report_t(ix, LABEL_SHARE_NOTE), "\n");
}

/* Answers as list items: "- [id] text (question; workshop; table; organisation)". */
static void answer_list(struct report_out *o, const struct report_index *ix, const json_t *ids)
{
	const json_t *id;
	size_t i;

	json_array_foreach(ids, i, id) {
		const json_t *a = report_answer(ix, json_integer_value(id));
		const json_t *q = report_question(ix, json_integer_value(json_object_get(a, "question_id")));
		const json_t *w = report_workshop(ix, json_string_value(json_object_get(a, "workshop_id")));

		report_putf(o, "- \\[%lld\\] ", (long long)json_integer_value(id));
		md(o, report_s(a, "text"), "\\\n  ", false);
		report_put(o, "\\\n  *");
		text(o, report_s(q, "text"));
		if (ix->series) {
			report_put(o, " · ");
			text(o, report_s(w, "title"));
		}
		report_wrap(o, " · ", report_value(ix, "group", json_object_get(a, "group")), "");
		report_wrap(o, " · ", report_value(ix, "organisation", json_object_get(a, "organisation")), "*\n");
	}
}

static void votes(struct report_out *o, const struct report_index *ix)
{
	const json_t *v, *r;
	size_t i, k;

	report_wrap(o, "\n## ", report_t(ix, LABEL_VOTES), "\n\n");
	if (!report_n(ix->model, "votes")) {
		text(o, report_t(ix, LABEL_NO_VOTES));
		report_put(o, "\n");
	}
	json_array_foreach(json_object_get(ix->model, "votes"), i, v) {
		const json_t *w = report_workshop(ix, json_string_value(json_object_get(v, "workshop_id")));

		report_put(o, "### ");
		text(o, report_t(ix, LABEL_VOTE));
		report_putf(o, " %lld · ", (long long)json_integer_value(json_object_get(v, "id")));
		text(o, report_s(w, "title"));
		report_put(o, "\n\n");
		report_vote_meta(o, ix, v);
		report_put(o, "\n\n");
		table_head(o, ix, LABEL_DOTS, LABEL_VOTERS);
		json_array_foreach(json_object_get(v, "results"), k, r) {
			report_put(o, "| ");
			text(o, report_s(r, "label"));
			report_putf(o, " | %lld | %lld |\n", (long long)json_integer_value(json_object_get(r, "dots")),
				    (long long)json_integer_value(json_object_get(r, "voters")));
		}
		report_put(o, "\n");
	}
}

static void method(struct report_out *o, const struct report_index *ix)
{
	const json_t *d;
	size_t i;
	bool empty = report_shown_count(ix) < report_n(ix->model, "themes");

	report_wrap(o, "\n## ", report_t(ix, LABEL_METHOD), "\n\n");
	{
		struct report_out po = { o->b, o->e, paragraph };

		report_method_paragraphs(&po, ix, "", "\n\n");
		o->e = po.e;
	}
	report_put(o, "\n");
	if (empty) {
		text(o, report_t(ix, LABEL_EMPTY_THEMES));
		report_put(o, ": ");
		report_empty_themes(o, ix);
	}
	report_put(o, empty ? ".\n\n### " : "### ");
	text(o, report_t(ix, LABEL_DECISIONS));
	report_put(o, "\n\n");
	if (!report_n(ix->model, "decisions")) {
		text(o, report_t(ix, LABEL_NO_DECISIONS));
		report_put(o, "\n");
	}
	json_array_foreach(json_object_get(ix->model, "decisions"), i, d) {
		bool undone = json_is_integer(json_object_get(d, "undone_by"));

		report_putf(o, "%zu\\. %s\\[%lld\\] ", i + 1, undone ? "~~" : "",
			    (long long)json_integer_value(json_object_get(d, "id")));
		report_decision_item(o, ix, d);
		if (undone) {
			report_wrap(o, "~~ (", report_t(ix, LABEL_UNDONE), ")");
		}
		report_put(o, "  \n");
	}
}

enum srv_err report_render_md(const struct report_index *ix, struct buf *out)
{
	struct report_out o = { out, BUF_OK, text };
	const json_t *m = ix->model, *t;
	size_t i;

	report_put(&o, "# ");
	report_title(&o, ix);
	report_put(&o, "\n\n");
	report_meta_line(&o, ix);
	report_putf(&o, "\n\n%zu %s · %zu %s · %zu %s\n\n", report_n(m, "analysed"),
		    report_count(ix, report_n(m, "analysed"), LABEL_N_ANALYSED), report_n(m, "unassigned"),
		    report_count(ix, report_n(m, "unassigned"), LABEL_N_UNASSIGNED), report_n(m, "hidden"),
		    report_count(ix, report_n(m, "hidden"), LABEL_N_HIDDEN));
	report_wrap(&o, "## ", report_t(ix, LABEL_SUMMARY), "\n\n");
	table_head(&o, ix, LABEL_ANSWERS, LABEL_PRIMARY);
	json_array_foreach(json_object_get(m, "themes"), i, t) {
		if (!report_theme_shown(t))
			continue;
		report_put(&o, "| ");
		text(&o, report_s(t, "label"));
		report_putf(&o, " | %zu | %zu |\n", report_n(t, "answers"), report_n(t, "primary_answers"));
	}
	report_wrap(&o, "\n", report_t(ix, LABEL_SHARE_NOTE), "\n\n");
	report_wrap(&o, "## ", report_t(ix, LABEL_THEMES), "\n");
	json_array_foreach(json_object_get(m, "themes"), i, t)
		if (report_theme_shown(t))
			theme(&o, ix, t);
	if (ix->series) {
		cross_table(&o, ix, "workshop", LABEL_THEME_BY_WORKSHOP);
		cross_table(&o, ix, "organisation", LABEL_THEME_BY_ORGANISATION);
	}
	report_put(&o, "\n## ");
	text(&o, report_t(ix, LABEL_UNASSIGNED));
	report_putf(&o, " (%zu)\n\n", report_n(m, "unassigned"));
	text(&o, report_t(ix, report_n(m, "unassigned") ? LABEL_UNASSIGNED_INTRO : LABEL_NONE_UNASSIGNED));
	report_put(&o, "\n\n");
	answer_list(&o, ix, json_object_get(m, "unassigned"));
	votes(&o, ix);
	method(&o, ix);
	report_wrap(&o, "\n## ", report_t(ix, LABEL_APPENDIX), "\n\n");
	text(&o, report_t(ix, LABEL_APPENDIX_INTRO));
	report_put(&o, "\n");
	json_array_foreach(json_object_get(m, "themes"), i, t) {
		if (!report_theme_shown(t))
			continue;
		report_put(&o, "\n### ");
		text(&o, report_s(t, "label"));
		report_putf(&o, " (%zu)\n\n", report_n(t, "answers"));
		answer_list(&o, ix, json_object_get(t, "answers"));
	}
	return report_buf_err(o.e);
}

/*
 * html.c - the report as one self-contained HTML page.
 *
 * Everything is inline (CSS in <style>, charts as <svg>), there is no
 * script and no URL other than in-page anchors, so the file opens offline,
 * prints well and leaks nothing when mailed around.  Every piece of text
 * from the model goes through esc() (core/escape.h), which also drops
 * control characters and bidi overrides; every count links to the
 * appendix table that lists the answers behind it.
 */
#include "report/text.h"

#include <string.h>
#include <unistr.h>

#include "core/escape.h"

#define BAR_W 360      /* px of the longest bar */
#define ROW_H 22
#define LABEL_W 260
#define DOTS_MAX 40    /* dots drawn one by one; a row with more shows "Σ N" */
#define LABEL_CHARS 36 /* characters of a label that fit LABEL_W */

static const char css[] =
	"body{font-family:Georgia,'Times New Roman',serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
	"color:#1b1b1b;line-height:1.45}"
	"h1{font-size:1.9rem;margin-bottom:.2rem}h2{border-bottom:2px solid #2a5d84;padding-bottom:.2rem;margin-top:2.5rem}"
	"h3{margin-top:1.8rem;color:#2a5d84}h4{margin:1rem 0 .3rem}"
	".meta{color:#555;font-size:.95rem}"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.92rem}"
	"th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}"
	"th{background:#eef3f7}td.n,th.n{text-align:right;white-space:nowrap}"
	".text{white-space:pre-wrap}table.by{width:auto;min-width:60%}"
	"blockquote{margin:.4rem 0 .4rem 1rem;padding:.2rem .8rem;border-left:4px solid #2a5d84;background:#f6f8fa;"
	"white-space:pre-wrap}"
	".origin{color:#555;font-style:italic}.terms{font-family:Helvetica,Arial,sans-serif;font-size:.9rem}"
	"svg{max-width:100%;height:auto}svg text{font-family:Helvetica,Arial,sans-serif;font-size:13px}"
	"nav ol{padding-left:1.4rem}a{color:#2a5d84}"
	"@page{margin:18mm 16mm}"
	"@media print{body{max-width:none;margin:0;font-size:10.5pt}nav,#summary,#themes,#appendix,#method"
	"{break-before:page;page-break-before:always}.theme{break-inside:avoid-page}tr,blockquote,svg"
	"{break-inside:avoid;page-break-inside:avoid}a{color:inherit;text-decoration:none}thead{display:table-header-group}}";

/* Text as HTML (core/escape.h): & < > " ' escaped, control characters but TAB and LF dropped. */
static void escn(struct report_out *o, const char *s, size_t n)
{
	if (!o->e)
		o->e = esc_html(o->b, s, n);
}

static void esc(struct report_out *o, const char *s)
{
	escn(o, s, strlen(s));
}

/* At most `max` characters of `s`, escaped, with "…" when cut (chart labels have a fixed width). */
static void esc_cut(struct report_out *o, const char *s, size_t max)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + strlen(s);
	size_t n = 0;

	while (p < end && n < max) {
		ucs4_t uc;

		p += u8_mbtouc(&uc, p, (size_t)(end - p));
		n++;
	}
	escn(o, s, (size_t)(p - (const uint8_t *)s));
	if (p < end)
		report_put(o, "…");
}

static const json_t *themes_of(const struct report_index *ix)
{
	return json_object_get(ix->model, "themes");
}

static void header(struct report_out *o, const struct report_index *ix)
{
	const json_t *m = ix->model;

	report_putf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
		    strcmp(ix->lang, "en") == 0 ? "en" : "sv");
	report_title(o, ix);
	report_putf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
	report_title(o, ix);
	report_put(o, "</h1>\n<p class=\"meta\">");
	report_meta_line(o, ix);
	report_putf(o, "</p>\n<p class=\"meta\">%zu %s · %zu %s · <a href=\"#unassigned\">%zu %s</a> · %zu %s</p>\n"
		    "</header>\n", report_n(m, "analysed"), report_count(ix, report_n(m, "analysed"), LABEL_N_ANALYSED),
		    report_shown_count(ix), report_count(ix, report_shown_count(ix), LABEL_N_THEMES),
		    report_n(m, "unassigned"), report_count(ix, report_n(m, "unassigned"), LABEL_N_UNASSIGNED),
		    report_n(m, "hidden"), report_count(ix, report_n(m, "hidden"), LABEL_N_HIDDEN));
}

/* One entry of the table of contents: a link to the section `anchor`. */
static void toc_item(struct report_out *o, const char *anchor, const char *label)
{
	report_putf(o, "<li><a href=\"#%s\">", anchor);
	esc(o, label);
	report_put(o, "</a></li>\n");
}

static void toc(struct report_out *o, const struct report_index *ix)
{
	const json_t *t;
	size_t i;

	report_wrap(o, "<nav>\n<h2>", report_t(ix, LABEL_CONTENTS), "</h2>\n<ol>\n");
	toc_item(o, "summary", report_t(ix, LABEL_SUMMARY));
	report_wrap(o, "<li><a href=\"#themes\">", report_t(ix, LABEL_THEMES), "</a>\n<ol>\n");
	json_array_foreach(themes_of(ix), i, t) {
		if (!report_theme_shown(t))
			continue;
		report_putf(o, "<li><a href=\"#t%zu\">", i);
		esc(o, report_s(t, "label"));
		report_putf(o, "</a> (%zu)</li>\n", report_n(t, "answers"));
	}
	report_put(o, "</ol></li>\n");
	if (ix->series) {
		toc_item(o, "by-workshop", report_t(ix, LABEL_THEME_BY_WORKSHOP));
		toc_item(o, "by-organisation", report_t(ix, LABEL_THEME_BY_ORGANISATION));
	}
	toc_item(o, "unassigned", report_t(ix, LABEL_UNASSIGNED));
	toc_item(o, "votes", report_t(ix, LABEL_VOTES));
	toc_item(o, "method", report_t(ix, LABEL_METHOD));
	toc_item(o, "appendix", report_t(ix, LABEL_APPENDIX));
	report_put(o, "</ol>\n</nav>\n");
}

/* A horizontal bar chart of theme sizes. */
static void size_chart(struct report_out *o, const struct report_index *ix)
{
	const json_t *t;
	size_t i, max = 1, n = report_shown_count(ix), row = 0;

	if (!n)
		return;
	json_array_foreach(themes_of(ix), i, t)
		if (report_n(t, "answers") > max)
			max = report_n(t, "answers");
	report_putf(o, "<svg role=\"img\" viewBox=\"0 0 %d %zu\" width=\"%d\" "
		    "height=\"%zu\" aria-label=\"", LABEL_W + BAR_W + 60, n * ROW_H + 4, LABEL_W + BAR_W + 60,
		    n * ROW_H + 4);
	esc(o, report_t(ix, LABEL_THEMES));
	report_put(o, "\">\n");
	json_array_foreach(themes_of(ix), i, t) {
		size_t size = report_n(t, "answers"), w = size * BAR_W / max;

		if (!size)
			continue;
		report_putf(o, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", LABEL_W - 6, row * ROW_H + 16);
		esc_cut(o, report_s(t, "label"), LABEL_CHARS);
		report_putf(o, "</text><rect x=\"%d\" y=\"%zu\" width=\"%zu\" height=\"%d\" fill=\"#2a5d84\"/>"
			    "<text x=\"%zu\" y=\"%zu\">%zu</text>\n", LABEL_W, row * ROW_H + 4, w ? w : 1, ROW_H - 6,
			    LABEL_W + (w ? w : 1) + 5, row * ROW_H + 16, size);
		row++;
	}
	report_put(o, "</svg>\n");
}

static void summary(struct report_out *o, const struct report_index *ix)
{
	const json_t *t;
	size_t i;
	bool votes = report_n(ix->model, "votes") > 0;

	report_wrap(o, "<section id=\"summary\">\n<h2>", report_t(ix, LABEL_SUMMARY), "</h2>\n");
	if (!report_shown_count(ix)) {
		report_wrap(o, "<p>", report_t(ix, LABEL_NO_THEMES), "</p>\n</section>\n");
		return;
	}
	size_chart(o, ix);
	report_wrap(o, "<table>\n<thead><tr><th>", report_t(ix, LABEL_THEME), "</th>");
	report_wrap(o, "<th class=\"n\">", report_t(ix, LABEL_ANSWERS), "</th>");
	report_wrap(o, "<th class=\"n\">", report_t(ix, LABEL_PRIMARY), "</th>");
	if (votes)
		report_wrap(o, "<th class=\"n\">", report_t(ix, LABEL_DOTS), "</th>");
	report_put(o, "</tr></thead>\n<tbody>\n");
	json_array_foreach(themes_of(ix), i, t) {
		if (!report_theme_shown(t))
			continue;
		report_putf(o, "<tr><td><a href=\"#t%zu\">", i);
		esc(o, report_s(t, "label"));
		report_putf(o, "</a></td><td class=\"n\"><a href=\"#a-t%zu\">%zu</a></td><td class=\"n\">%zu</td>", i,
			    report_n(t, "answers"), report_n(t, "primary_answers"));
		if (votes)
			report_putf(o, "<td class=\"n\">%lld</td>", report_theme_dots(t));
		report_put(o, "</tr>\n");
	}
	report_wrap(o, "</tbody>\n</table>\n<p class=\"meta\">", report_t(ix, LABEL_SHARE_NOTE), "</p>\n</section>\n");
}

/* One breakdown of a theme as a two-column table. */
static void breakdown(struct report_out *o, const struct report_index *ix, const json_t *t, const char *dim,
		      enum label title)
{
	const json_t *e;
	size_t i;

	report_wrap(o, "<h4>", report_t(ix, title), "</h4>\n<table class=\"by\">\n<tbody>\n");
	json_array_foreach(json_object_get(json_object_get(t, "by"), dim), i, e) {
		report_put(o, "<tr><td>");
		esc(o, report_value(ix, dim, json_object_get(e, "value")));
		report_putf(o, "</td><td class=\"n\">%zu</td></tr>\n", report_n(e, "answers"));
	}
	report_put(o, "</tbody>\n</table>\n");
}

static void theme_section(struct report_out *o, const struct report_index *ix, const json_t *t, size_t i)
{
	const json_t *v;
	size_t k;

	report_putf(o, "<section class=\"theme\" id=\"t%zu\">\n<h3>", i);
	esc(o, report_s(t, "label"));
	report_put(o, "</h3>\n<p class=\"origin\">");
	report_origin_line(o, ix, t);
	report_putf(o, "</p>\n<p><a href=\"#a-t%zu\"><strong>%zu</strong> ", i, report_n(t, "answers"));
	esc(o, report_count(ix, report_n(t, "answers"), LABEL_N_ANSWERS));
	report_putf(o, "</a> (%zu ", report_n(t, "primary_answers"));
	esc(o, report_t(ix, LABEL_PRIMARY));
	report_wrap(o, ") · ", report_t(ix, LABEL_SEE_APPENDIX), "</p>\n");
	report_wrap(o, "<p class=\"terms\"><strong>", report_t(ix, LABEL_TERMS), ":</strong> ");
	report_terms(o, t);
	report_put(o, "</p>\n");
	if (report_n(t, "quotes")) {
		report_wrap(o, "<h4>", report_t(ix, LABEL_QUOTES), "</h4>\n");
		json_array_foreach(json_object_get(t, "quotes"), k, v) {
			const json_t *a = report_answer(ix, json_integer_value(v));

			report_put(o, "<blockquote>");
			esc(o, report_s(a, "text"));
			report_putf(o, " <a href=\"#t%zu-%lld\">[%lld]</a></blockquote>\n", i,
				    (long long)json_integer_value(v), (long long)json_integer_value(v));
		}
	}
	for (k = 0; k < REPORT_NDIMS; k++)
		if (ix->series || !report_dims[k].series_only)
			breakdown(o, ix, t, report_dims[k].dim, report_dims[k].title);
	if (report_n(t, "votes")) {
		report_wrap(o, "<h4>", report_t(ix, LABEL_VOTES), "</h4>\n<ul>\n");
		json_array_foreach(json_object_get(t, "votes"), k, v) {
			report_putf(o, "<li><a href=\"#v%lld\">", (long long)json_integer_value(json_object_get(v, "vote")));
			esc(o, report_t(ix, LABEL_VOTE));
			report_putf(o, " %lld</a>: ", (long long)json_integer_value(json_object_get(v, "vote")));
			report_vote_counts(o, ix, t, v);
			report_put(o, "</li>\n");
		}
		report_put(o, "</ul>\n");
	}
	report_put(o, "</section>\n");
}

/* The cells of a theme x dimension table (report_cross_table). */
static void cross_row(struct report_out *o, const struct report_cell *c, bool end)
{
	if (!end)
		report_put(o, c->part == REPORT_HEAD ? "<table>\n<thead><tr>" : "<tr>");
	else
		report_put(o, c->part == REPORT_HEAD ? "</tr></thead>\n<tbody>\n" :
			      c->part == REPORT_BODY ? "</tr>\n" : "</tr>\n</tbody>\n</table>\n");
}

static void cross_cell(struct report_out *o, const struct report_cell *c)
{
	const char *tag = c->part == REPORT_BODY ? "td" : "th";

	if (c->part == REPORT_BODY && c->col == 0) {
		report_putf(o, "<td><a href=\"#t%zu\">", c->theme);
		report_wrap(o, "", c->text, "</a></td>");
		return;
	}
	report_putf(o, c->col ? "<%s class=\"n\">" : "<%s>", tag);
	if (c->text)
		esc(o, c->text);
	else
		report_putf(o, "%lld", c->n);
	report_putf(o, "</%s>", tag);
}

/* A theme x dimension table (series reports). */
static void cross_table(struct report_out *o, const struct report_index *ix, const char *dim, const char *anchor,
			enum label title)
{
	static const struct report_table tb = { cross_row, cross_cell };

	report_putf(o, "<section id=\"%s\">\n<h2>", anchor);
	report_wrap(o, "", report_t(ix, title), "</h2>\n");
	report_cross_table(o, ix, dim, &tb);
	report_wrap(o, "<p class=\"meta\">", report_t(ix, LABEL_SHARE_NOTE), "</p>\n</section>\n");
}

/* A table of answers: id, question, (workshop), table, organisation, text; rows anchored as prefix-ID. */
static void answer_table(struct report_out *o, const struct report_index *ix, const json_t *ids, const char *prefix)
{
	const json_t *id;
	size_t i;

	report_wrap(o, "<table>\n<thead><tr><th class=\"n\">", report_t(ix, LABEL_ID), "</th>");
	report_wrap(o, "<th>", report_t(ix, LABEL_QUESTION), "</th>");
	if (ix->series)
		report_wrap(o, "<th>", report_t(ix, LABEL_WORKSHOP), "</th>");
	report_wrap(o, "<th>", report_t(ix, LABEL_TABLE), "</th>");
	report_wrap(o, "<th>", report_t(ix, LABEL_ORGANISATION), "</th>");
	report_wrap(o, "<th>", report_t(ix, LABEL_TEXT), "</th></tr></thead>\n<tbody>\n");
	json_array_foreach(ids, i, id) {
		const json_t *a = report_answer(ix, json_integer_value(id));
		const json_t *q = report_question(ix, json_integer_value(json_object_get(a, "question_id")));
		const json_t *w = report_workshop(ix, json_string_value(json_object_get(a, "workshop_id")));

		report_putf(o, "<tr id=\"%s-%lld\"><td class=\"n\">%lld</td>", prefix,
			    (long long)json_integer_value(id), (long long)json_integer_value(id));
		report_wrap(o, "<td>", report_s(q, "text"), "</td>");
		if (ix->series)
			report_wrap(o, "<td>", report_s(w, "title"), "</td>");
		report_wrap(o, "<td>", report_value(ix, "group", json_object_get(a, "group")), "</td>");
		report_wrap(o, "<td>", report_value(ix, "organisation", json_object_get(a, "organisation")), "</td>");
		report_wrap(o, "<td class=\"text\">", report_s(a, "text"), "</td></tr>\n");
	}
	report_put(o, "</tbody>\n</table>\n");
}

static void unassigned(struct report_out *o, const struct report_index *ix)
{
	const json_t *ids = json_object_get(ix->model, "unassigned");

	report_put(o, "<section id=\"unassigned\">\n<h2>");
	esc(o, report_t(ix, LABEL_UNASSIGNED));
	report_putf(o, " (%zu)</h2>\n<p>", json_array_size(ids));
	if (!json_array_size(ids)) {
		esc(o, report_t(ix, LABEL_NONE_UNASSIGNED));
		report_put(o, "</p>\n</section>\n");
		return;
	}
	esc(o, report_t(ix, LABEL_UNASSIGNED_INTRO));
	report_put(o, "</p>\n");
	answer_table(o, ix, ids, "u");
	report_put(o, "</section>\n");
}

/* One vote: its dots per theme as rows of dots, and the same numbers as a table. */
static void vote(struct report_out *o, const struct report_index *ix, const json_t *v)
{
	char when[REPORT_WHEN_LEN];
	const json_t *res = json_object_get(v, "results"), *r;
	const json_t *w = report_workshop(ix, json_string_value(json_object_get(v, "workshop_id")));
	long long id = (long long)json_integer_value(json_object_get(v, "id"));
	size_t i, n = json_array_size(res);

	report_putf(o, "<h3 id=\"v%lld\">", id);
	esc(o, report_t(ix, LABEL_VOTE));
	report_putf(o, " %lld · ", id);
	esc(o, report_s(w, "title"));
	report_put(o, "</h3>\n<p class=\"meta\">");
	report_vote_meta(o, ix, v);
	report_wrap(o, " · ", report_when(ix, report_s(v, "created"), when), "</p>\n");
	if (!n)
		return;
	report_putf(o, "<svg role=\"img\" viewBox=\"0 0 %d %zu\" width=\"%d\" "
		    "height=\"%zu\" aria-label=\"", LABEL_W + DOTS_MAX * 9 + 60, n * ROW_H + 4,
		    LABEL_W + DOTS_MAX * 9 + 60, n * ROW_H + 4);
	esc(o, report_t(ix, LABEL_DOTS));
	report_put(o, "\">\n");
	json_array_foreach(res, i, r) {
		json_int_t dots = json_integer_value(json_object_get(r, "dots")), d;

		report_putf(o, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">", LABEL_W - 6, i * ROW_H + 16);
		esc_cut(o, report_s(r, "label"), LABEL_CHARS);
		report_put(o, "</text>");
		for (d = 0; d < dots && d < DOTS_MAX; d++)
			report_putf(o, "<circle cx=\"%lld\" cy=\"%zu\" r=\"3.5\" fill=\"#c0392b\"/>",
				    (long long)(LABEL_W + 5 + d * 9), i * ROW_H + 12);
		report_putf(o, "<text x=\"%lld\" y=\"%zu\">%s%lld</text>\n",
			    (long long)(LABEL_W + 8 + (dots < DOTS_MAX ? dots : DOTS_MAX) * 9), i * ROW_H + 16,
			    dots > DOTS_MAX ? "Σ " : "", (long long)dots);
	}
	report_wrap(o, "</svg>\n<table>\n<thead><tr><th>", report_t(ix, LABEL_THEME), "</th>");
	report_wrap(o, "<th class=\"n\">", report_t(ix, LABEL_DOTS), "</th>");
	report_wrap(o, "<th class=\"n\">", report_t(ix, LABEL_VOTERS), "</th></tr></thead>\n<tbody>\n");
	json_array_foreach(res, i, r) {
		report_put(o, "<tr><td>");
		esc(o, report_s(r, "label"));
		report_putf(o, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td></tr>\n",
			    (long long)json_integer_value(json_object_get(r, "dots")),
			    (long long)json_integer_value(json_object_get(r, "voters")));
	}
	report_put(o, "</tbody>\n</table>\n");
}

static void votes(struct report_out *o, const struct report_index *ix)
{
	const json_t *v;
	size_t i;

	report_wrap(o, "<section id=\"votes\">\n<h2>", report_t(ix, LABEL_VOTES), "</h2>\n");
	if (!report_n(ix->model, "votes"))
		report_wrap(o, "<p>", report_t(ix, LABEL_NO_VOTES), "</p>\n");
	json_array_foreach(json_object_get(ix->model, "votes"), i, v)
		vote(o, ix, v);
	report_put(o, "</section>\n");
}

static void method(struct report_out *o, const struct report_index *ix)
{
	const json_t *d;
	size_t i;

	report_wrap(o, "<section id=\"method\">\n<h2>", report_t(ix, LABEL_METHOD), "</h2>\n");
	report_method_paragraphs(o, ix, "<p>", "</p>\n");
	if (report_shown_count(ix) < report_n(ix->model, "themes")) {
		report_wrap(o, "<p>", report_t(ix, LABEL_EMPTY_THEMES), ": ");
		report_empty_themes(o, ix);
		report_put(o, ".</p>\n");
	}
	report_wrap(o, "<h3>", report_t(ix, LABEL_DECISIONS), "</h3>\n");
	if (!report_n(ix->model, "decisions")) {
		report_wrap(o, "<p>", report_t(ix, LABEL_NO_DECISIONS), "</p>\n");
	} else {
		report_put(o, "<ol>\n");
		json_array_foreach(json_object_get(ix->model, "decisions"), i, d) {
			bool undone = json_is_integer(json_object_get(d, "undone_by"));

			report_putf(o, "<li>%s[%lld] ", undone ? "<s>" : "", (long long)json_integer_value(json_object_get(d, "id")));
			report_decision_item(o, ix, d);
			report_put(o, undone ? "</s> (" : "");
			if (undone)
				esc(o, report_t(ix, LABEL_UNDONE));
			report_put(o, undone ? ")</li>\n" : "</li>\n");
		}
		report_put(o, "</ol>\n");
	}
	report_put(o, "</section>\n");
}

static void appendix(struct report_out *o, const struct report_index *ix)
{
	const json_t *t;
	size_t i;

	report_wrap(o, "<section id=\"appendix\">\n<h2>", report_t(ix, LABEL_APPENDIX), "</h2>\n");
	report_wrap(o, "<p>", report_t(ix, LABEL_APPENDIX_INTRO), "</p>\n");
	json_array_foreach(themes_of(ix), i, t) {
		char prefix[32];

		if (!report_theme_shown(t))
			continue;
		report_putf(o, "<h3 id=\"a-t%zu\"><a href=\"#t%zu\">", i, i);
		esc(o, report_s(t, "label"));
		report_putf(o, "</a> (%zu)</h3>\n", report_n(t, "answers"));
		snprintf(prefix, sizeof prefix, "t%zu", i);
		answer_table(o, ix, json_object_get(t, "answers"), prefix);
	}
	report_put(o, "</section>\n");
}

enum srv_err report_render_html(const struct report_index *ix, struct buf *out)
{
	struct report_out o = { out, BUF_OK, esc };
	const json_t *t;
	size_t i;

	header(&o, ix);
	toc(&o, ix);
	summary(&o, ix);
	report_wrap(&o, "<section id=\"themes\">\n<h2>", report_t(ix, LABEL_THEMES), "</h2>\n");
	json_array_foreach(themes_of(ix), i, t)
		if (report_theme_shown(t))
			theme_section(&o, ix, t, i);
	report_put(&o, "</section>\n");
	if (ix->series) {
		cross_table(&o, ix, "workshop", "by-workshop", LABEL_THEME_BY_WORKSHOP);
		cross_table(&o, ix, "organisation", "by-organisation", LABEL_THEME_BY_ORGANISATION);
	}
	unassigned(&o, ix);
	votes(&o, ix);
	method(&o, ix);
	appendix(&o, ix);
	report_put(&o, "</body>\n</html>\n");
	return report_buf_err(o.e);
}

/*
 * text.h - the words and sentences every report format prints (not part of the contract).
 *
 * The labels come from core/labels.h in the model's language; the
 * sentences (the meta line, a theme's origin, a vote's counts, a
 * decision, the method note) and the theme x dimension table are written
 * here once, piece by piece through the format's text writer
 * (report_out.text), so the five formats say the same thing and each
 * keeps its own escaping and markup.
 */
#ifndef INSPEL_REPORT_TEXT_H
#define INSPEL_REPORT_TEXT_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/labels.h"
#include "report/render.h"
#include "base/srv_err.h"

/* Label `t` in the model's language; a static string. */
const char *report_t(const struct report_index *ix, enum label t);

/* The word after a count of `n` in the model's language, singular for one ("1 dot", "2 dots"); static. */
const char *report_count(const struct report_index *ix, size_t n, enum label word);

/* The dots theme `t` got over every vote of the report. */
long long report_theme_dots(const json_t *t);

/* The origin of a theme object in words ("given" -> "från temalistan"). */
const char *report_origin(const struct report_index *ix, const json_t *theme);

/* A breakdown value as text: the question's text, the workshop's title, a table or organisation name, or "(not given)". */
const char *report_value(const struct report_index *ix, const char *dim, const json_t *value);

/*
 * The theme a vote result of theme `t` was cast on when it is not `t`'s own
 * (a theme merged into `t`): its label as the voters saw it, or its id when
 * the result has no label; else NULL.  Points into `vote`.
 */
const char *report_voted_as(const json_t *t, const json_t *vote);

/*
 * The method note as plain-text paragraphs (each ends in '\n') in the
 * model's language: how the themes were made, what people curated, the
 * date and the data.  Renderers escape it like any other text.  SRV_OK,
 * SRV_ENOMEM or SRV_EFULL (`out` full; it may hold part of the note).
 */
enum srv_err report_method_text(const struct report_index *ix, struct buf *out);

/* One decision record as a sentence ("Renamed theme Kontinuitet to ...", themes by the labels the model resolved) appended to out; errors as above. */
enum srv_err report_decision_text(const struct report_index *ix, const json_t *decision, struct buf *out);

/*
 * The sentences every format prints the same way, written piece by piece
 * through o->text (errors stay in o->e):
 * report_title: "Input from dialogue: <scope title>";
 * report_meta_line: "Workshop · Code H7K2QX · Analysed <when> · Report created <when>";
 * report_origin_line: "<origin>[; label changed by hand][; merged with <label>, <label>]" of theme `t`;
 * report_breakdown_items: "value (n); value (n)" of breakdown `dim` of theme `t`;
 * report_vote_counts: "<dots> dots, <voters> voters[ (as <theme>)]" of vote result `v` of theme `t`;
 * report_vote_meta: "<dots> dots per phone · <ballots> ballots · open|closed" of vote `v`;
 * report_decision_item: "<decision> — <when>, by <who>" of decision `d`;
 * report_terms: the key terms of theme `t`, ", " between;
 * report_empty_themes: the labels of the themes without a section, ", " between.
 */
void report_title(struct report_out *o, const struct report_index *ix);
void report_meta_line(struct report_out *o, const struct report_index *ix);
void report_origin_line(struct report_out *o, const struct report_index *ix, const json_t *t);
void report_breakdown_items(struct report_out *o, const struct report_index *ix, const json_t *t, const char *dim);
void report_vote_counts(struct report_out *o, const struct report_index *ix, const json_t *t, const json_t *v);
void report_vote_meta(struct report_out *o, const struct report_index *ix, const json_t *v);
void report_decision_item(struct report_out *o, const struct report_index *ix, const json_t *d);
void report_terms(struct report_out *o, const json_t *t);
void report_empty_themes(struct report_out *o, const struct report_index *ix);

/*
 * The method note (report_method_text) one paragraph at a time: `open`,
 * the paragraph through o->text, `close`.
 */
void report_method_paragraphs(struct report_out *o, const struct report_index *ix, const char *open,
			      const char *close);

/*
 * A theme x `dim` table ("question", "workshop", "group", "organisation";
 * the reports show workshop and organisation for a series, the workbook
 * every one): a header row (Theme, one column per value, Total), a row per
 * theme with a section, and a footer row (Answers analysed, the analysed
 * answers per value, all of them).  Columns: questions and workshops in
 * model order, other values by count (most first), "not given" last; a
 * table written two ways is one column (report_value_key).  The walk is the same in every
 * format; `row` and `cell` write the format's markup.  A cell carries text
 * (a label or a column's value) or, when text is NULL, the number n.
 * Errors stay in o->e (BUF_NOMEM when the columns cannot be made).
 */
enum report_part { REPORT_HEAD, REPORT_BODY, REPORT_FOOT };
struct report_cell {
	enum report_part part;
	size_t col, ncols;   /* this cell's column and the row's number of cells */
	size_t theme;        /* REPORT_BODY: the theme's index in the model */
	const char *text;
	long long n;
};
struct report_table {
	void (*row)(struct report_out *o, const struct report_cell *c, bool end);
	void (*cell)(struct report_out *o, const struct report_cell *c);
};
void report_cross_table(struct report_out *o, const struct report_index *ix, const char *dim,
			const struct report_table *tb);

#endif

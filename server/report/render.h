/*
 * render.h - what the report renderers share (not part of the contract).
 *
 * Every renderer reads only the model (report.h); these helpers give it
 * lookups by id, the labels in the report's language, the few derived
 * numbers (counts of id lists), the sentences and the theme x dimension
 * table all formats print, so the formats never disagree.  The shared
 * writers emit text through the format's own escaping writer
 * (report_out.text) and leave the markup to the format.
 */
#ifndef INSPEL_REPORT_INT_H
#define INSPEL_REPORT_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "base/srv_err.h"

#define REPORT_MODEL_NAME "inspel-report"
#define REPORT_MODEL_VERSION 1

/* Lookups into a model: borrowed references, valid while the model lives. */
struct report_index {
	const json_t *model;
	const char *lang;
	json_t *answers;     /* object: answer id (decimal) -> answer object */
	json_t *questions;   /* object: question id (decimal) -> question object */
	json_t *workshops;   /* object: workshop id -> workshop object */
	bool series;         /* the scope is a series */
};

/*
 * Check that `model` has the shape report_model makes and index it.  SRV_OK
 * (free with report_index_free), SRV_EINVAL or SRV_ENOMEM.
 */
int report_index_build(const json_t *model, struct report_index *ix);
void report_index_free(struct report_index *ix);

/* The answer, question or workshop with this id, or NULL. */
const json_t *report_answer(const struct report_index *ix, json_int_t id);
const json_t *report_question(const struct report_index *ix, json_int_t id);
const json_t *report_workshop(const struct report_index *ix, const char *id);

/* An ISO 8601 UTC time ("2026-11-23T10:02:11Z") as "2026-11-23 10:02 UTC" in out; anything else as it is. */
const char *report_when(const char *iso, char out[32]);

/* Member `key` of `o` as a string; "" when missing or not a string. */
const char *report_s(const json_t *o, const char *key);

/* Length of the array member `key` of `o` (0 when missing). */
size_t report_n(const json_t *o, const char *key);

/* The labels every format prints, in the model's language. */
enum report_text {
	RT_TITLE, RT_WORKSHOP, RT_SERIES, RT_CODE, RT_GENERATED, RT_ANALYSED, RT_CONTENTS, RT_SUMMARY,
	RT_THEMES, RT_THEME, RT_ANSWERS, RT_PRIMARY, RT_TERMS, RT_QUOTES, RT_BY_QUESTION, RT_BY_WORKSHOP,
	RT_BY_GROUP, RT_BY_ORGANISATION, RT_VOTES, RT_VOTE, RT_DOTS, RT_VOTERS, RT_BALLOTS, RT_OPEN,
	RT_CLOSED, RT_NO_VOTES, RT_UNASSIGNED, RT_UNASSIGNED_INTRO, RT_NONE_UNASSIGNED, RT_METHOD,
	RT_APPENDIX, RT_APPENDIX_INTRO, RT_ID, RT_QUESTION, RT_GROUP, RT_ORGANISATION, RT_TEXT,
	RT_NOT_GIVEN, RT_ORIGIN_GIVEN, RT_ORIGIN_DISCOVERED, RT_ORIGIN_CURATED, RT_RENAMED, RT_MERGED,
	RT_TABLE_WORKSHOP, RT_TABLE_ORGANISATION, RT_TOTAL, RT_EMPTY_THEMES, RT_SEE_APPENDIX,
	RT_DECISIONS, RT_NO_DECISIONS, RT_UNDONE, RT_BY, RT_NO_THEMES, RT_SHARE_NOTE, RT_N_ANSWERS,
	RT_N_ANALYSED, RT_N_THEMES, RT_N_UNASSIGNED, RT_N_HIDDEN, RT_ANALYSED_ROW, RT_PER_PHONE, RT_SOMEONE,
	RT_N_DOTS, RT_N_VOTERS, RT_VOTED_AS,
	RT_COUNT
};
const char *report_t(const struct report_index *ix, enum report_text t);

/* The origin of a theme object in words ("given" -> "från temafilen"). */
const char *report_origin(const struct report_index *ix, const json_t *theme);

/*
 * The method note as plain-text paragraphs (each ends in '\n') in the
 * model's language: how the themes were made, what people curated, the
 * date and the data.  Renderers escape it like any other text.  SRV_OK,
 * SRV_ENOMEM or SRV_EFULL (`out` full; it may hold part of the note).
 */
int report_method_text(const struct report_index *ix, struct buf *out);

/* One decision record as a sentence ("Renamed theme Kontinuitet to ...", themes by the labels the model resolved) appended to out; errors as above. */
int report_decision_text(const struct report_index *ix, const json_t *decision, struct buf *out);

/* A breakdown value as text: the question's text, the workshop's title, a table or organisation name, or "(not given)". */
const char *report_value(const struct report_index *ix, const char *dim, const json_t *value);

/* Does theme `t` get a section (it has at least one answer)? */
bool report_theme_shown(const json_t *t);

/* How many themes of the model get a section. */
size_t report_shown_count(const struct report_index *ix);

/* The breakdowns of a theme every format prints, in order; `series_only` ones only in a series report. */
struct report_dim {
	const char *dim;
	enum report_text title;
	bool series_only;
};
#define REPORT_NDIMS 4
extern const struct report_dim report_dims[REPORT_NDIMS];

/*
 * Sticky output: after the first failed append every later call does
 * nothing, so a renderer checks `e` once at the end.  `text` is the
 * format's writer of one piece of model text (escaped; in DOCX a run): the
 * shared sentence writers below send every word and separator through it,
 * so each format keeps its own escaping and markup.
 */
struct report_out {
	struct buf *b;
	enum buf_err e;
	void (*text)(struct report_out *o, const char *s);
};
void report_put(struct report_out *o, const char *s);
void report_putn(struct report_out *o, const char *s, size_t n);
void report_putf(struct report_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * One piece of text through o->text; report_textf formats it first (at
 * most 95 bytes); report_wrap puts markup `before` and `after` around it.
 */
void report_text(struct report_out *o, const char *s);
void report_textf(struct report_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_wrap(struct report_out *o, const char *before, const char *s, const char *after);

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
 * A theme x `dim` table ("workshop", "organisation"; series reports): a
 * header row (Theme, one column per value, Total), a row per theme with a
 * section, and a footer row (Answers analysed, the analysed answers per
 * value, all of them).  Columns: workshops in model order, other values by
 * count (most first), "not given" last.  The walk is the same in every
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

/*
 * The theme a vote result of theme `t` was cast on when it is not `t`'s own
 * (a theme merged into `t`): its label as the voters saw it, or its id when
 * the result has no label; else NULL.  Points into `vote`.
 */
const char *report_voted_as(const json_t *t, const json_t *vote);

/* Map a buf error to an srv_err. */
int report_buf_err(enum buf_err e);

/* Per-format renderers (html.c, md.c, csv.c, docx.c). */
int report_render_html(const struct report_index *ix, struct buf *out);
int report_render_md(const struct report_index *ix, struct buf *out);
int report_render_csv(const struct report_index *ix, struct buf *out);
int report_render_docx(const struct report_index *ix, struct buf *out);

#endif

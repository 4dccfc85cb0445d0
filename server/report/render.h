/*
 * render.h - what the report renderers share (not part of the contract).
 *
 * A renderer sees only the model (report.h), never the store or the
 * synthesis: render.c indexes the model by id, checks its shape, and gives
 * every renderer the same sticky output and the few numbers derived from
 * it (lengths of id lists).  The words and sentences every format prints
 * are in text.h; the escaping of model text is core/escape.h, called by
 * each format's own writer.
 */
#ifndef INSPEL_REPORT_RENDER_H
#define INSPEL_REPORT_RENDER_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/labels.h"
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
	const char *tz;      /* the zone times are shown in (base/tz.h); NULL: UTC, the model has no "tz" */
	json_t *tables;      /* object: a table name's key (report_value_key) -> the name as first written */
	struct buf *scratch; /* for report_table_name */
};

/*
 * Check that `model` has the shape report_model makes and index it.  SRV_OK
 * (free with report_index_free), SRV_EINVAL or SRV_ENOMEM.
 */
enum srv_err report_index_build(const json_t *model, struct report_index *ix);
void report_index_free(struct report_index *ix);

/* The answer, question or workshop with this id, or NULL. */
const json_t *report_answer(const struct report_index *ix, json_int_t id);
const json_t *report_question(const struct report_index *ix, json_int_t id);
const json_t *report_workshop(const struct report_index *ix, const char *id);

/*
 * An ISO 8601 UTC time of the model ("2026-11-23T10:02:11Z") in the
 * model's time zone, as "2026-11-23 11:02 CET" ("... 10:02 UTC" in a model
 * without "tz"), into out; anything else as it is.  report_when_exact adds
 * the seconds ("11:02:11 CET"): decisions follow each other within a
 * minute, and their log must tell them apart.
 */
#define REPORT_WHEN_LEN 48
const char *report_when(const struct report_index *ix, const char *iso, char out[REPORT_WHEN_LEN]);
const char *report_when_exact(const struct report_index *ix, const char *iso, char out[REPORT_WHEN_LEN]);

/* Member `key` of `o` as a string; "" when missing or not a string. */
const char *report_s(const json_t *o, const char *key);

/* Length of the array member `key` of `o` (0 when missing). */
size_t report_n(const json_t *o, const char *key);

/* Does theme `t` get a section (it has at least one answer)? */
bool report_theme_shown(const json_t *t);

/* How many themes of the model get a section. */
size_t report_shown_count(const struct report_index *ix);

/* The breakdowns of a theme, in the order every format prints them; `series_only` ones only in a series report. */
struct report_dim {
	const char *dim;
	enum label title;
	bool series_only;
};
#define REPORT_NDIMS 4
extern const struct report_dim report_dims[REPORT_NDIMS];

/*
 * The name a table (an answer's "group") is shown by: the spelling first
 * written among the analysed answers of its key ("bord 1" -> "Bord 1"
 * when that came first), else the value itself; NULL when not given.
 */
const char *report_table_name(const struct report_index *ix, const json_t *group);

/* The member of an answer that breakdown `dim` groups by ("question" -> "question_id"). */
const char *report_answer_key(const char *dim);

/*
 * The key breakdown `dim` groups `value` by: "i<id>" for a question id, a
 * table name's text_key (analysis/text/text.h: "bord 3" and "Bord  3" are
 * one table), any other string itself, "" for null or "" (not given).
 * Points into `scratch` or `value`; NULL when out of memory.
 */
const char *report_value_key(const char *dim, const json_t *value, struct buf *scratch);

/*
 * The labels ("; " between, as the answer lists them: main theme first) and
 * ids (" " between) of answer `a`'s themes, appended to `names` and `ids`;
 * `labels` maps theme id -> label (an id without one is shown as itself).
 * BUF_OK or the first failed append's error (the CSV and the workbook).
 */
enum buf_err report_answer_themes(const json_t *labels, const json_t *a, struct buf *names, struct buf *ids);

/*
 * Sort a JSON array in place by `cmp` (given `arg`, as qsort_r: reports
 * are built on several threads at once).  False when out of memory (the
 * array may then have lost elements).
 */
bool report_sort(json_t *arr, int (*cmp)(const void *, const void *, void *), void *arg);

/*
 * Sticky output: after the first failed append every later call does
 * nothing, so a renderer checks `e` once at the end.  `text` is the
 * format's writer of one piece of model text (escaped; in DOCX a run): the
 * shared sentence writers (text.h) send every word and separator through
 * it, so each format keeps its own escaping and markup.
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

/* Map a buf error to an srv_err. */
enum srv_err report_buf_err(enum buf_err e);

/*
 * Per-format renderers (html.c, md.c, csv.c, docx.c, xlsx.c): append the
 * report to `out`; SRV_OK, SRV_ENOMEM, SRV_EFULL (xlsx also SRV_ESYS: its
 * temporary file failed).
 */
enum srv_err report_render_html(const struct report_index *ix, struct buf *out);
enum srv_err report_render_md(const struct report_index *ix, struct buf *out);
enum srv_err report_render_csv(const struct report_index *ix, struct buf *out);
enum srv_err report_render_docx(const struct report_index *ix, struct buf *out);
enum srv_err report_render_xlsx(const struct report_index *ix, struct buf *out);

#endif

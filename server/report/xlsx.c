/*
 * xlsx.c - the report as an Excel workbook, one sheet per view.
 *
 * Plan writers work in Excel, and a Swedish Excel opens a comma-separated
 * file as one column, so the report also comes as a real workbook, written
 * by libxlsxwriter: the themes, the answers with their themes, theme x
 * question, theme x table, theme x organisation (and theme x workshop in a
 * series) and the votes.  Every text cell is written as a string
 * (worksheet_write_string), never as a formula, so an answer starting with
 * "=" is shown, not run; every count is a number; the header row is bold
 * and frozen; columns are as wide as their content, long texts wrap.
 * Hidden answers are left out, as in the other documents (HTML, Markdown,
 * DOCX).
 *
 * libxlsxwriter (1.1.4, Debian 12) writes to a file only, so the workbook
 * goes to a temporary file (mkstemps under $TMPDIR or /tmp), is read back
 * into the output and removed.  The library calls gmtime() and tmpfile()
 * and keeps no lock of its own, so one workbook is made at a time.
 */
#include "report/text.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>
#include <xlsxwriter.h>

#include "core/escape.h"
#include "base/tz.h"

#define CELL_UNITS_MAX 32767   /* UTF-16 units Excel keeps in a cell */
#define WIDTH_TEXT_MAX 60.0    /* characters: a wider text wraps */
#define WIDTH_HEAD_MAX 24.0    /* characters of a header above numbers (a question over its count) */
#define WIDTH_MIN 6.0
#define MEASURED_COLS 64       /* columns given a width; the rest keep Excel's */
#define JOINED_MAX (1u << 20)  /* bytes of a list joined into one cell before it is cut to CELL_UNITS_MAX */

static pthread_mutex_t xlsx_lock = PTHREAD_MUTEX_INITIALIZER;

/* The workbook being written: its formats, a scratch buffer, and the first error. */
struct book {
	const struct report_index *ix;
	lxw_workbook *wb;
	lxw_format *head, *text, *num, *total;
	json_t *labels;          /* theme id -> label */
	const char *dim;         /* the breakdown of the theme x dimension sheet being made */
	struct buf scratch;
	enum srv_err err;
};

/*
 * One sheet, filled twice by its fill function: first measuring (the
 * widths each column's content wants), then writing, when the widths are
 * known and each row can be given the height its wrapped text needs (not
 * every program grows a row by itself).
 */
struct sheet {
	struct book *bk;
	lxw_worksheet *ws;       /* NULL while measuring */
	lxw_row_t row;
	size_t ncols;
	size_t lines;            /* the current row's tallest cell, in lines */
	double want[MEASURED_COLS], width[MEASURED_COLS];
	bool numeric[MEASURED_COLS];
};

static void fail(struct book *bk, enum srv_err err)
{
	if (!bk->err)
		bk->err = err;
}

static void lxw_check(struct book *bk, lxw_error e)
{
	if (e == LXW_NO_ERROR)
		return;
	fail(bk, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? SRV_ENOMEM :
		 e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE ? SRV_EFULL : SRV_ESYS);
}

/*
 * `s` as cell text in bk->scratch: the characters no display format
 * writes dropped (core/escape.h), cut to what Excel keeps.  NULL when out
 * of memory.
 */
static const char *cell_text(struct book *bk, const char *s)
{
	const uint8_t *p, *end;
	size_t units = 0;
	enum buf_err e;

	buf_reset(&bk->scratch);
	if ((e = esc_text(&bk->scratch, s, strlen(s)))) {
		fail(bk, report_buf_err(e));
		return NULL;
	}
	for (p = (const uint8_t *)bk->scratch.data, end = p ? p + bk->scratch.len : NULL; p && p < end;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));

		units += uc > 0xffff ? 2 : 1;
		if (units > CELL_UNITS_MAX) {
			buf_truncate(&bk->scratch, (size_t)(p - (const uint8_t *)bk->scratch.data));
			break;
		}
		p += k > 0 ? k : 1;
	}
	return bk->scratch.data ? bk->scratch.data : "";
}

/*
 * The lines of `t` and its longest line and word in characters; with
 * `width` > 0, the lines it takes wrapped in a column that wide.
 */
static size_t text_lines(const char *t, double width, size_t *longest, size_t *word)
{
	const uint8_t *p = (const uint8_t *)t, *end = p + strlen(t);
	size_t per = width > 3 ? (size_t)width - 2 : 1, lines = 0, l = 0, w = 0;

	*longest = *word = 0;
	for (;;) {
		ucs4_t uc = '\n';
		int k = p < end ? u8_mbtouc(&uc, p, (size_t)(end - p)) : 0;

		if (uc == '\n') {
			lines += l ? (l + per - 1) / per : 1;
			if (p >= end)
				break;
			l = w = 0;
		} else {
			l++;
			w = uc == ' ' ? 0 : w + 1;
			*longest = l > *longest ? l : *longest;
			*word = w > *word ? w : *word;
		}
		p += k > 0 ? k : 1;
	}
	return lines;
}

/* Cell text `t` in column `col`: measured while measuring, its wrapped lines counted while writing. */
static void sheet_cell(struct sheet *sh, lxw_col_t col, const char *t, bool head, bool numeric)
{
	size_t longest, word, lines;

	if (col >= MEASURED_COLS)
		return;
	lines = text_lines(t, sh->ws ? sh->width[col] : 0, &longest, &word);
	if (sh->ws) {
		sh->lines = lines > sh->lines ? lines : sh->lines;
		return;
	}
	if (col >= sh->ncols)
		sh->ncols = col + 1U;
	/* A header wants its whole text up to WIDTH_HEAD_MAX, never less than its longest word. */
	if (head && (double)longest > WIDTH_HEAD_MAX)
		longest = word > WIDTH_HEAD_MAX ? word : (size_t)WIDTH_HEAD_MAX;
	if ((double)longest > sh->want[col])
		sh->want[col] = (double)longest;
	if (!head)
		sh->numeric[col] = numeric;
}

static void put_text(struct sheet *sh, lxw_col_t col, const char *s, lxw_format *fmt)
{
	const char *t;

	if (sh->bk->err || !(t = cell_text(sh->bk, s ? s : "")))
		return;
	if (sh->ws && *t)
		lxw_check(sh->bk, worksheet_write_string(sh->ws, sh->row, col, t, fmt));
	sheet_cell(sh, col, t, fmt == sh->bk->head, false);
}

static void put_num(struct sheet *sh, lxw_col_t col, long long n, lxw_format *fmt)
{
	char digits[32];

	if (sh->bk->err)
		return;
	snprintf(digits, sizeof digits, "%lld", n);
	if (sh->ws)
		lxw_check(sh->bk, worksheet_write_number(sh->ws, sh->row, col, (double)n, fmt));
	sheet_cell(sh, col, digits, false, true);
}

/* A header cell: bold, wrapping, on a shaded ground. */
static void put_head(struct sheet *sh, lxw_col_t col, const char *s)
{
	put_text(sh, col, s, sh->bk->head);
}

/* The row written so far gets the height of its tallest cell; the next row begins. */
static void next_row(struct sheet *sh)
{
	if (sh->ws && sh->lines > 1 && !sh->bk->err) {
		double h = LXW_DEF_ROW_HEIGHT * (double)sh->lines;

		lxw_check(sh->bk, worksheet_set_row(sh->ws, sh->row, h > 409 ? 409 : h, NULL));
	}
	sh->lines = 0;
	sh->row++;
}

/*
 * Make sheet `name` from `fill` (called twice: measuring, then writing),
 * with the header row frozen and the first `frozen_cols` columns, and for a
 * list an autofilter over its rows.
 */
static void sheet_make(struct book *bk, enum label name, void (*fill)(struct sheet *), lxw_col_t frozen_cols,
		       bool filter)
{
	struct sheet sh;
	lxw_col_t c;

	memset(&sh, 0, sizeof sh);
	sh.bk = bk;
	fill(&sh);
	for (c = 0; c < sh.ncols; c++) {
		double w = sh.want[c] + 2, cap = sh.numeric[c] ? WIDTH_HEAD_MAX : WIDTH_TEXT_MAX;

		sh.width[c] = w < WIDTH_MIN ? WIDTH_MIN : w > cap ? cap : w;
	}
	if (bk->err)
		return;
	if (!(sh.ws = workbook_add_worksheet(bk->wb, report_t(bk->ix, name)))) {
		fail(bk, SRV_ENOMEM);
		return;
	}
	for (c = 0; c < sh.ncols; c++)
		lxw_check(bk, worksheet_set_column(sh.ws, c, c, sh.width[c], NULL));
	sh.row = 0;
	fill(&sh);
	next_row(&sh);
	worksheet_freeze_panes(sh.ws, 1, frozen_cols);
	/* Printed: A4 landscape, as wide as the page, the header on every page. */
	worksheet_set_landscape(sh.ws);
	worksheet_set_paper(sh.ws, 9);
	worksheet_fit_to_pages(sh.ws, 1, 0);
	lxw_check(bk, worksheet_repeat_rows(sh.ws, 0, 0));
	if (filter && sh.row > 1 && sh.ncols)
		lxw_check(bk, worksheet_autofilter(sh.ws, 0, 0, sh.row - 1, (lxw_col_t)(sh.ncols - 1)));
}

/* ---- the sheets ---- */

/* The text a report_out writes into a buffer (a sentence of text.c as one cell). */
static void plain(struct report_out *o, const char *s)
{
	report_put(o, s);
}

/* Every theme: answers, as main theme, dots (when there were votes), origin, key terms, id. */
static void themes_sheet(struct sheet *sh)
{
	struct book *bk = sh->bk;
	const struct report_index *ix = bk->ix;
	bool votes = report_n(ix->model, "votes") > 0;
	const json_t *t;
	struct buf line;
	size_t i;
	lxw_col_t c = 0;

	put_head(sh, c++, report_t(ix, LABEL_THEME));
	put_head(sh, c++, report_t(ix, LABEL_ANSWERS));
	put_head(sh, c++, report_t(ix, LABEL_PRIMARY));
	if (votes)
		put_head(sh, c++, report_t(ix, LABEL_DOTS));
	put_head(sh, c++, report_t(ix, LABEL_ORIGIN));
	put_head(sh, c++, report_t(ix, LABEL_TERMS));
	put_head(sh, c, report_t(ix, LABEL_THEME_ID));
	buf_init(&line, JOINED_MAX);
	json_array_foreach(json_object_get(ix->model, "themes"), i, t) {
		struct report_out lo = { &line, BUF_OK, plain };

		next_row(sh);
		c = 0;
		put_text(sh, c++, report_s(t, "label"), bk->text);
		put_num(sh, c++, (long long)report_n(t, "answers"), bk->num);
		put_num(sh, c++, (long long)report_n(t, "primary_answers"), bk->num);
		if (votes)
			put_num(sh, c++, report_theme_dots(t), bk->num);
		buf_reset(&line);
		report_origin_line(&lo, ix, t);
		put_text(sh, c++, line.data ? line.data : "", bk->text);
		buf_reset(&line);
		report_terms(&lo, t);
		put_text(sh, c++, line.data ? line.data : "", bk->text);
		put_text(sh, c, report_s(t, "id"), bk->text);
		if (lo.e)
			fail(bk, report_buf_err(lo.e));
	}
	buf_free(&line);
}

/* Every analysed answer with its question, table, organisation and themes (hidden ones are in no document). */
static void answers_sheet(struct sheet *sh)
{
	struct book *bk = sh->bk;
	const struct report_index *ix = bk->ix;
	const json_t *id;
	struct buf names, ids;
	size_t i;
	lxw_col_t c = 0;

	put_head(sh, c++, report_t(ix, LABEL_ID));
	if (ix->series)
		put_head(sh, c++, report_t(ix, LABEL_WORKSHOP));
	put_head(sh, c++, report_t(ix, LABEL_QUESTION));
	put_head(sh, c++, report_t(ix, LABEL_TABLE));
	put_head(sh, c++, report_t(ix, LABEL_ORGANISATION));
	put_head(sh, c++, report_t(ix, LABEL_TEXT));
	put_head(sh, c++, report_t(ix, LABEL_THEMES));
	put_head(sh, c, report_t(ix, LABEL_THEME_IDS));
	buf_init(&names, JOINED_MAX);
	buf_init(&ids, JOINED_MAX);
	json_array_foreach(json_object_get(ix->model, "analysed"), i, id) {
		const json_t *a = report_answer(ix, json_integer_value(id));
		const json_t *q = report_question(ix, json_integer_value(json_object_get(a, "question_id")));
		enum buf_err e;

		if (!a || bk->err)
			continue;
		next_row(sh);
		c = 0;
		put_num(sh, c++, (long long)json_integer_value(id), bk->num);
		if (ix->series)
			put_text(sh, c++, report_s(report_workshop(ix, report_s(a, "workshop_id")), "title"), bk->text);
		put_text(sh, c++, report_s(q, "text"), bk->text);
		put_text(sh, c++, report_table_name(ix, json_object_get(a, "group")), bk->text);
		put_text(sh, c++, report_s(a, "organisation"), bk->text);
		put_text(sh, c++, report_s(a, "text"), bk->text);
		if ((e = report_answer_themes(bk->labels, a, &names, &ids)))
			fail(bk, report_buf_err(e));
		put_text(sh, c++, names.data ? names.data : "", bk->text);
		put_text(sh, c, ids.data ? ids.data : "", bk->text);
	}
	buf_free(&names);
	buf_free(&ids);
}

/* A theme x dimension sheet through report_cross_table: the walk's cells go to the sheet this report_out carries. */
struct cross_out {
	struct report_out o;   /* first: the walk's callbacks get &o */
	struct sheet *sh;
};

static void cross_row(struct report_out *o, const struct report_cell *c, bool end)
{
	struct sheet *sh = ((struct cross_out *)o)->sh;

	if (!end && c->part != REPORT_HEAD)
		next_row(sh);
}

/* Headers as headers; the footer row and the total column bold. */
static void cross_cell(struct report_out *o, const struct report_cell *c)
{
	struct sheet *sh = ((struct cross_out *)o)->sh;
	struct book *bk = sh->bk;
	bool total = c->part == REPORT_FOOT || c->col + 1 == c->ncols;

	if (c->col >= LXW_COL_MAX)
		return;
	if (c->part == REPORT_HEAD)
		put_head(sh, (lxw_col_t)c->col, c->text);
	else if (c->text)
		put_text(sh, (lxw_col_t)c->col, c->text, c->part == REPORT_FOOT ? bk->total : bk->text);
	else
		put_num(sh, (lxw_col_t)c->col, c->n, total ? bk->total : bk->num);
}

static void cross_sheet(struct sheet *sh)
{
	static const struct report_table tb = { cross_row, cross_cell };
	struct buf unused;
	struct cross_out co = { { &unused, BUF_OK, plain }, sh };

	buf_init(&unused, 0);
	report_cross_table(&co.o, sh->bk->ix, sh->bk->dim, &tb);
	if (co.o.e)
		fail(sh->bk, report_buf_err(co.o.e));
}

/* One row per result of every vote; a vote nobody took part in still gets its row. */
static void votes_sheet(struct sheet *sh)
{
	struct book *bk = sh->bk;
	const struct report_index *ix = bk->ix;
	const json_t *v, *r;
	size_t i, k;
	lxw_col_t c = 0;

	put_head(sh, c++, report_t(ix, LABEL_VOTE));
	put_head(sh, c++, report_t(ix, LABEL_WORKSHOP));
	put_head(sh, c++, report_t(ix, LABEL_STATUS));
	put_head(sh, c++, report_t(ix, LABEL_DOTS_PER_PHONE));
	put_head(sh, c++, report_t(ix, LABEL_BALLOTS_COL));
	put_head(sh, c++, report_t(ix, LABEL_THEME));
	put_head(sh, c++, report_t(ix, LABEL_DOTS));
	put_head(sh, c, report_t(ix, LABEL_VOTERS));
	json_array_foreach(json_object_get(ix->model, "votes"), i, v) {
		const json_t *w = report_workshop(ix, report_s(v, "workshop_id"));
		const json_t *results = json_object_get(v, "results");

		for (k = 0; k < (json_array_size(results) ? json_array_size(results) : 1); k++) {
			r = json_array_get(results, k);
			next_row(sh);
			c = 0;
			put_num(sh, c++, (long long)json_integer_value(json_object_get(v, "id")), bk->num);
			put_text(sh, c++, report_s(w, "title"), bk->text);
			put_text(sh, c++, report_t(ix, json_is_true(json_object_get(v, "open")) ? LABEL_OPEN : LABEL_CLOSED),
				 bk->text);
			put_num(sh, c++, (long long)json_integer_value(json_object_get(v, "dots")), bk->num);
			put_num(sh, c++, (long long)json_integer_value(json_object_get(v, "ballots")), bk->num);
			if (!r)
				continue;
			put_text(sh, c++, report_s(r, "label"), bk->text);
			put_num(sh, c++, (long long)json_integer_value(json_object_get(r, "dots")), bk->num);
			put_num(sh, c, (long long)json_integer_value(json_object_get(r, "voters")), bk->num);
		}
	}
	if (!report_n(ix->model, "votes")) {
		next_row(sh);
		put_text(sh, 0, report_t(ix, LABEL_NO_VOTES), NULL);
	}
}

/* ---- the workbook ---- */

static void formats(struct book *bk)
{
	if (!(bk->head = workbook_add_format(bk->wb)) || !(bk->text = workbook_add_format(bk->wb)) ||
	    !(bk->num = workbook_add_format(bk->wb)) || !(bk->total = workbook_add_format(bk->wb))) {
		fail(bk, SRV_ENOMEM);
		return;
	}
	format_set_bold(bk->head);
	format_set_text_wrap(bk->head);
	format_set_align(bk->head, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(bk->head, 0xEEF3F7);
	format_set_bottom(bk->head, LXW_BORDER_THIN);
	format_set_text_wrap(bk->text);
	format_set_align(bk->text, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(bk->num, LXW_ALIGN_VERTICAL_TOP);
	format_set_bold(bk->total);
	format_set_align(bk->total, LXW_ALIGN_VERTICAL_TOP);
}

/* The sheets of the model into `path`; SRV_OK or the first error. */
static enum srv_err write_book(const struct report_index *ix, const char *path)
{
	static const struct {
		const char *dim;
		enum label name;
	} cross[] = { { "question", LABEL_THEME_BY_QUESTION }, { "group", LABEL_THEME_BY_TABLE },
		      { "organisation", LABEL_THEME_BY_ORGANISATION }, { "workshop", LABEL_THEME_BY_WORKSHOP } };
	struct book bk = { .ix = ix, .labels = json_object() };
	const json_t *t;
	size_t i;
	struct buf title;
	struct report_out to = { &title, BUF_OK, plain };
	lxw_doc_properties props = { 0 };
	time_t created;
	lxw_error e;

	buf_init(&bk.scratch, 4u * CELL_UNITS_MAX + 16);
	buf_init(&title, 1u << 16);
	if (!bk.labels || !(bk.wb = workbook_new(path))) {
		json_decref(bk.labels);
		buf_free(&bk.scratch);
		buf_free(&title);
		return bk.labels ? SRV_ESYS : SRV_ENOMEM;
	}
	formats(&bk);
	/* The properties name the report and its date, so one model always makes the same bytes. */
	report_title(&to, ix);
	if (to.e)
		fail(&bk, report_buf_err(to.e));
	else if (cell_text(&bk, title.data ? title.data : "") && !(props.title = strdup(bk.scratch.data ? bk.scratch.data : "")))
		fail(&bk, SRV_ENOMEM);
	props.author = "inspel";
	props.created = tz_parse_utc(report_s(ix->model, "generated"), &created) ? created : 0;
	if (!bk.err)
		lxw_check(&bk, workbook_set_properties(bk.wb, &props));
	json_array_foreach(json_object_get(ix->model, "themes"), i, t)
		if (json_object_set(bk.labels, report_s(t, "id"), json_object_get(t, "label")))
			fail(&bk, SRV_ENOMEM);
	sheet_make(&bk, LABEL_THEMES, themes_sheet, 1, true);
	sheet_make(&bk, LABEL_ANSWERS, answers_sheet, 1, true);
	for (i = 0; i < sizeof cross / sizeof cross[0]; i++) {
		if (strcmp(cross[i].dim, "workshop") == 0 && !ix->series)
			continue;
		bk.dim = cross[i].dim;
		sheet_make(&bk, cross[i].name, cross_sheet, 1, false);
	}
	sheet_make(&bk, LABEL_VOTES, votes_sheet, 0, report_n(ix->model, "votes") > 0);
	/* workbook_close writes the file and frees the workbook, whatever happened before. */
	e = workbook_close(bk.wb);
	if (!bk.err)
		lxw_check(&bk, e);
	free(props.title);
	json_decref(bk.labels);
	buf_free(&bk.scratch);
	buf_free(&title);
	return bk.err;
}

/* Append the file open at `fd` to `out`: SRV_OK, SRV_EFULL (over out->max), SRV_ENOMEM, SRV_ESYS. */
static enum srv_err read_back(int fd, struct buf *out)
{
	struct stat st;
	char chunk[65536];
	size_t at = out->len;
	ssize_t n;
	enum srv_err err = SRV_OK;

	if (fstat(fd, &st) || lseek(fd, 0, SEEK_SET) < 0)
		return SRV_ESYS;
	if ((size_t)st.st_size > out->max - out->len)
		return SRV_EFULL;
	while (!err && (n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		err = n < 0 ? SRV_ESYS : report_buf_err(buf_add(out, chunk, (size_t)n));
	}
	if (!err && out->len - at != (size_t)st.st_size)
		err = SRV_ESYS;
	if (err)
		buf_truncate(out, at);
	return err;
}

enum srv_err report_render_xlsx(const struct report_index *ix, struct buf *out)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	enum srv_err err;
	int fd;

	if (snprintf(path, sizeof path, "%s/inspel-report-XXXXXX.xlsx", dir && *dir ? dir : "/tmp") >= (int)sizeof path)
		return SRV_ESYS;
	if ((fd = mkstemps(path, 5)) < 0)
		return SRV_ESYS;
	pthread_mutex_lock(&xlsx_lock);
	err = write_book(ix, path);
	pthread_mutex_unlock(&xlsx_lock);
	/* libxlsxwriter wrote the file under its name; `fd` still is that file. */
	if (!err)
		err = read_back(fd, out);
	close(fd);
	unlink(path);
	return err;
}

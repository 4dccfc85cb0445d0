/*
 * docx.c - the report as a Word document (Office Open XML).
 *
 * The smallest package Word and LibreOffice open without repair: content
 * types, package and document relationships, core and app properties,
 * styles (headings, quote, a bordered table style) and the document.  The
 * zip is built by libzip entirely in memory (a buffer source that the
 * archive is written into and then read back), so no temporary file is
 * ever made.  Text is XML-escaped by esc_xml (core/escape.h), which drops
 * anything XML 1.0 cannot carry (control characters, U+FFFE/U+FFFF, broken
 * UTF-8).
 */
#include "report/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <zip.h>

#include "core/escape.h"

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char content_types[] = XML_HEAD
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" "
	"ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\" "
	"ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char package_rels[] = XML_HEAD
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "/officeDocument\" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" "
	"Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
	"Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL_NS "/extended-properties\" Target=\"docProps/app.xml\"/>"
	"</Relationships>";

static const char document_rels[] = XML_HEAD
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL_NS "/styles\" Target=\"styles.xml\"/>"
	"</Relationships>";

static const char app_xml[] = XML_HEAD
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>inspel</Application></Properties>";

#define BORDERS(tag) "<w:" tag "><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" \
	"<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" \
	"<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" \
	"<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" \
	"<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" \
	"<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/></w:" tag ">"

#define HEADING(id, name, level, size, before) \
	"<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>" \
	"<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>" \
	"<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"" before "\" w:after=\"120\"/>" \
	"<w:outlineLvl w:val=\"" level "\"/></w:pPr>" \
	"<w:rPr><w:b/><w:color w:val=\"2A5D84\"/><w:sz w:val=\"" size "\"/><w:szCs w:val=\"" size "\"/></w:rPr></w:style>"

/* styles.xml is styles_head, the language ("sv-SE"), styles_tail. */
static const char styles_head[] = XML_HEAD
	"<w:styles xmlns:w=\"" W_NS "\">"
	"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" "
	"w:cs=\"Calibri\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"";

static const char styles_tail[] = "\"/></w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
	"</w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr>"
	"<w:rPr><w:b/><w:sz w:val=\"48\"/><w:szCs w:val=\"48\"/></w:rPr></w:style>"
	HEADING("Heading1", "heading 1", "0", "34", "480")
	HEADING("Heading2", "heading 2", "1", "28", "360")
	HEADING("Heading3", "heading 3", "2", "24", "240")
	HEADING("Heading4", "heading 4", "3", "21", "200")
	"<w:style w:type=\"paragraph\" w:styleId=\"Quote\"><w:name w:val=\"Quote\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:next w:val=\"Normal\"/><w:uiPriority w:val=\"29\"/><w:qFormat/><w:pPr><w:pBdr>"
	"<w:left w:val=\"single\" w:sz=\"18\" w:space=\"8\" w:color=\"2A5D84\"/></w:pBdr>"
	"<w:ind w:left=\"567\" w:right=\"567\"/></w:pPr><w:rPr><w:i/><w:color w:val=\"333333\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Meta\"><w:name w:val=\"Meta\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:rPr><w:color w:val=\"555555\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>"
	"<w:style w:type=\"paragraph\" w:styleId=\"Cell\"><w:name w:val=\"Cell\"/><w:basedOn w:val=\"Normal\"/>"
	"<w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"19\"/><w:szCs w:val=\"19\"/></w:rPr></w:style>"
	"<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
	"<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
	"<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
	"</w:tblCellMar></w:tblPr></w:style>"
	"<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
	"<w:basedOn w:val=\"TableNormal\"/><w:tblPr>" BORDERS("tblBorders") "</w:tblPr></w:style>"
	"</w:styles>";

/*
 * Text as XML character data (core/escape.h): & < > " escaped; what XML
 * 1.0 cannot hold (C0 controls but tab and newline, U+FFFE, U+FFFF, broken
 * UTF-8) is dropped, and so are the other characters no format writes.
 * Inside a run (`in_run`) a newline becomes a line break and a tab a tab,
 * each between two text elements.
 */
static void xmln(struct report_out *o, const char *s, size_t len, bool in_run)
{
	if (!o->e)
		o->e = esc_xml(o->b, s, len, in_run ? "</w:t><w:br/><w:t xml:space=\"preserve\">" : NULL,
			       in_run ? "</w:t><w:tab/><w:t xml:space=\"preserve\">" : NULL);
}

static void xml(struct report_out *o, const char *s)
{
	xmln(o, s, strlen(s), true);
}

/* Escaped text outside a run (docProps/core.xml). */
static void xml_plain(struct report_out *o, const char *s)
{
	xmln(o, s, strlen(s), false);
}

/* A run of text, bold when asked. */
static void run(struct report_out *o, const char *s, bool bold)
{
	report_put(o, bold ? "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">" : "<w:r><w:t xml:space=\"preserve\">");
	xml(o, s);
	report_put(o, "</w:t></w:r>");
}

/* A plain run: the renderer's report_out text writer. */
static void text_run(struct report_out *o, const char *s)
{
	run(o, s, false);
}

/* A run "<before><n><after>". */
static void run_n(struct report_out *o, bool bold, const char *before, long long n, const char *after)
{
	char text[96];

	snprintf(text, sizeof text, "%s%lld%s", before, n, after);
	run(o, text, bold);
}

/* A run "<n> <label><after>" ("12 svar · "). */
static void run_count(struct report_out *o, bool bold, long long n, const char *label, const char *after)
{
	run_n(o, bold, "", n, " ");
	run(o, label, bold);
	run(o, after, bold);
}

static void p_open(struct report_out *o, const char *style)
{
	if (style)
		report_putf(o, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
	else
		report_put(o, "<w:p>");
}

/* One paragraph of one run. */
static void para(struct report_out *o, const char *style, const char *text)
{
	p_open(o, style);
	run(o, text, false);
	report_put(o, "</w:p>");
}

static void page_break(struct report_out *o)
{
	report_put(o, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
}

/* ---- tables ---- */

#define TEXT_WIDTH 9638      /* twips between the page margins */
#define CELL_PAD 276         /* twips of a cell that hold no text: margins (2 x 108) and a little air */
#define CELL_EM 190          /* twips of an em of the 9.5 pt cell text */
#define WORD_MAX 2900        /* twips: a longer word may break; no column is made wider for it */
#define LINE_MAX 9600        /* twips a column's longest line may want */
#define DOTS_MAX 40          /* dots drawn one by one in a vote table, as in the HTML report */
#define DOTS_UNBROKEN 20     /* dots a column makes room for on one line */

enum cell_kind { CELL_TEXT, CELL_NUMBER, CELL_DOTS };

/* One cell of a table being built: text borrowed from the model or a label, or a number. */
struct tcell {
	const char *text;
	long long n;
	enum cell_kind kind;
	bool bold;
};

/*
 * A table is gathered cell by cell (row after row, `ncols` to a row, the
 * first row its header) and written whole by tab_write, which first measures
 * every column: Word's automatic layout splits header words
 * ("Organisatio-n") and gives a number as much room as an answer, so the
 * widths are fixed and chosen from the content: no column narrower than its
 * longest word, numbers narrow, the rest of the page to the long texts.
 */
struct tab {
	struct tcell *cells;
	size_t n, cap, ncols;
	bool oom;
};

static void tab_init(struct tab *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

static void tab_add(struct tab *t, struct tcell c)
{
	if (t->oom)
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct tcell *v = realloc(t->cells, cap * sizeof *v);

		if (!v) {
			t->oom = true;
			return;
		}
		t->cells = v;
		t->cap = cap;
	}
	t->cells[t->n++] = c;
}

static void tab_text(struct tab *t, const char *s, bool bold)
{
	tab_add(t, (struct tcell){ s ? s : "", 0, CELL_TEXT, bold });
}

static void tab_num(struct tab *t, long long n, bool bold)
{
	tab_add(t, (struct tcell){ NULL, n, CELL_NUMBER, bold });
}

static void tab_dots(struct tab *t, long long n)
{
	tab_add(t, (struct tcell){ NULL, n, CELL_DOTS, false });
}

/*
 * The width of character `uc` in thousandths of an em, generous: Word may
 * show Calibri, LibreOffice a wider stand-in (DejaVu Sans), and no header
 * may break inside a word in either.  Bold is a tenth wider.
 */
static unsigned char_width(ucs4_t uc, bool bold)
{
	unsigned w;

	if (uc == 'm' || uc == 'M' || uc == 'W' || uc == 0x25CF)
		w = 1000;
	else if (uc == 'w')
		w = 840;
	else if (uc < 0x80 && strchr("iljI!.,:;|'` ", (int)uc))
		w = 320;
	else if (uc < 0x80 && strchr("ftr()-[]/", (int)uc))
		w = 440;
	else if ((uc >= 'A' && uc <= 'Z') || uc == 0xC5 || uc == 0xC4 || uc == 0xD6 || uc == 0xC9)
		w = 740;
	else
		w = 640;
	return bold ? w * 11 / 10 : w;
}

/* The longest word and the longest line of `s` in twips of the cell text (each capped). */
static void measure(const char *s, bool bold, size_t *word, size_t *line)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + strlen(s);
	size_t w = 0, l = 0;

	*word = *line = 0;
	while (p < end) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));
		size_t cw = (size_t)char_width(uc, bold) * CELL_EM / 1000;

		p += k > 0 ? k : 1;
		if (uc == '\n') {
			w = l = 0;
			continue;
		}
		l += cw;
		w = uc == ' ' || uc == '\t' || uc == '-' || uc == '/' ? 0 : w + cw;
		if (w > *word)
			*word = w;
		if (l > *line)
			*line = l;
	}
	if (*word > WORD_MAX)
		*word = WORD_MAX;
	if (*line > LINE_MAX)
		*line = LINE_MAX;
}

/* The twips cell `c` needs on one line: its longest word and line. */
static void cell_width(const struct tcell *c, size_t *word, size_t *line)
{
	char digits[32];
	size_t dot = (size_t)char_width(0x25CF, false) * CELL_EM / 1000, n;

	if (c->kind == CELL_TEXT) {
		measure(c->text, c->bold, word, line);
		return;
	}
	if (c->kind == CELL_DOTS) {
		/* A row of dots may wrap after DOTS_UNBROKEN of them. */
		n = (size_t)(c->n < 0 ? 0 : c->n > DOTS_MAX ? DOTS_MAX + 2 : c->n);
		*line = n * dot;
		*word = (n < DOTS_UNBROKEN ? n : DOTS_UNBROKEN) * dot;
		return;
	}
	snprintf(digits, sizeof digits, "%lld", c->n);
	measure(digits, c->bold, word, line);
}

/*
 * Column widths in twips, adding up to TEXT_WIDTH: each column at least its
 * longest word (the header's too), the room left shared by what each
 * column's longest line wants beyond that.  When even the words do not fit
 * (a theme x workshop table of many workshops), every column shrinks alike.
 */
static void tab_widths(const struct tab *t, unsigned *width)
{
	size_t c, i, min_sum = 0, extra_sum = 0;
	size_t *min = calloc(t->ncols, sizeof *min), *want = calloc(t->ncols, sizeof *want);

	if (!min || !want) {
		for (c = 0; c < t->ncols; c++)
			width[c] = (unsigned)(TEXT_WIDTH / t->ncols);
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		size_t word, line;

		c = i % t->ncols;
		cell_width(&t->cells[i], &word, &line);
		if (word + CELL_PAD > min[c])
			min[c] = word + CELL_PAD;
		if (line + CELL_PAD > want[c])
			want[c] = line + CELL_PAD;
	}
	for (c = 0; c < t->ncols; c++) {
		min_sum += min[c];
		extra_sum += want[c] - min[c];
	}
	for (c = 0; c < t->ncols; c++) {
		size_t w;

		if (min_sum >= TEXT_WIDTH)
			w = min[c] * TEXT_WIDTH / min_sum;
		else if (extra_sum > TEXT_WIDTH - min_sum)
			w = min[c] + (want[c] - min[c]) * (TEXT_WIDTH - min_sum) / extra_sum;
		else if (extra_sum)
			/* Everything fits on one line: the page's rest to the columns of text. */
			w = want[c] + (want[c] - min[c]) * (TEXT_WIDTH - min_sum - extra_sum) / extra_sum;
		else
			w = min[c] + (TEXT_WIDTH - min_sum) / t->ncols;
		width[c] = (unsigned)w;
	}
out:
	free(min);
	free(want);
}

/* One cell: text in the Cell style, a number right-aligned, dots red; bold for headers and totals. */
static void write_cell(struct report_out *o, const struct tcell *c, unsigned width)
{
	char text[32];

	report_putf(o, "<w:tc><w:tcPr><w:tcW w:w=\"%u\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"Cell\"/>%s"
		    "</w:pPr>", width, c->kind == CELL_NUMBER ? "<w:jc w:val=\"right\"/>" : "");
	if (c->kind == CELL_TEXT) {
		run(o, c->text, c->bold);
	} else if (c->kind == CELL_NUMBER) {
		snprintf(text, sizeof text, "%lld", c->n);
		run(o, text, c->bold);
	} else if (c->n > 0) {
		long long k;

		report_put(o, "<w:r><w:rPr><w:color w:val=\"C0392B\"/></w:rPr><w:t xml:space=\"preserve\">");
		for (k = 0; k < c->n && k < DOTS_MAX; k++)
			report_put(o, "●");
		report_put(o, c->n > DOTS_MAX ? " …</w:t></w:r>" : "</w:t></w:r>");
	}
	report_put(o, "</w:p></w:tc>");
}

/* Write the table gathered in `t` (and free it): its measured grid, a repeated header row, rows not split. */
static void tab_write(struct report_out *o, struct tab *t)
{
	unsigned *width = t->ncols ? calloc(t->ncols, sizeof *width) : NULL;
	size_t i, c;

	if (t->oom || !width) {
		if (!o->e)
			o->e = BUF_NOMEM;
		goto out;
	}
	tab_widths(t, width);
	report_put(o, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>");
	report_putf(o, "<w:tblW w:w=\"%d\" w:type=\"dxa\"/>", TEXT_WIDTH);
	report_put(o, BORDERS("tblBorders") "<w:tblLayout w:type=\"fixed\"/>"
		      "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" "
		      "w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (c = 0; c < t->ncols; c++)
		report_putf(o, "<w:gridCol w:w=\"%u\"/>", width[c]);
	report_put(o, "</w:tblGrid>");
	for (i = 0; i + t->ncols <= t->n; i += t->ncols) {
		report_put(o, i ? "<w:tr><w:trPr><w:cantSplit/></w:trPr>" :
				  "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
		for (c = 0; c < t->ncols; c++)
			write_cell(o, &t->cells[i + c], width[c]);
		report_put(o, "</w:tr>");
	}
	/* Word wants a paragraph between two tables and after the last one. */
	report_put(o, "</w:tbl><w:p/>");
out:
	free(width);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

static const json_t *themes_of(const struct report_index *ix)
{
	return json_object_get(ix->model, "themes");
}

/* "Label: value (n); value (n)" paragraph of one breakdown. */
static void breakdown(struct report_out *o, const struct report_index *ix, const json_t *t, const char *dim,
		      enum label title)
{
	p_open(o, NULL);
	run(o, report_t(ix, title), true);
	run(o, ": ", true);
	report_breakdown_items(o, ix, t, dim);
	report_put(o, "</w:p>");
}

/* The answers per question as a table, each question once: its text is too long to run on in a paragraph. */
static void breakdown_questions(struct report_out *o, const struct report_index *ix, const json_t *t)
{
	const json_t *e;
	struct tab tb;
	size_t i;

	tab_init(&tb, 2);
	tab_text(&tb, report_t(ix, LABEL_QUESTION), true);
	tab_text(&tb, report_t(ix, LABEL_ANSWERS), true);
	json_array_foreach(json_object_get(json_object_get(t, "by"), "question"), i, e) {
		tab_text(&tb, report_value(ix, "question", json_object_get(e, "value")), false);
		tab_num(&tb, (long long)report_n(e, "answers"), false);
	}
	tab_write(o, &tb);
}

static void theme(struct report_out *o, const struct report_index *ix, const json_t *t)
{
	const json_t *v;
	size_t k;
	long long n = (long long)report_n(t, "answers");
	struct buf line;
	struct report_out lo = { NULL, BUF_OK, report_put };

	para(o, "Heading2", report_s(t, "label"));
	p_open(o, "Meta");
	report_origin_line(o, ix, t);
	report_put(o, "</w:p>");
	p_open(o, NULL);
	run_count(o, true, n, report_count(ix, (size_t)n, LABEL_N_ANSWERS), "");
	run_n(o, false, " (", (long long)report_n(t, "primary_answers"), " ");
	run(o, report_t(ix, LABEL_PRIMARY), false);
	run(o, "; ", false);
	run(o, report_t(ix, LABEL_SEE_APPENDIX), false);
	run(o, ")", false);
	report_put(o, "</w:p>");
	/* The terms as one run: joined unescaped into `line` first. */
	buf_init(&line, o->b->max);
	lo.b = &line;
	report_terms(&lo, t);
	if (!o->e)
		o->e = lo.e;
	p_open(o, NULL);
	run(o, report_t(ix, LABEL_TERMS), true);
	run(o, ": ", true);
	run(o, line.data ? line.data : "", false);
	report_put(o, "</w:p>");
	buf_free(&line);
	for (k = 0; k < REPORT_NDIMS; k++)
		if ((ix->series || !report_dims[k].series_only) && strcmp(report_dims[k].dim, "question"))
			breakdown(o, ix, t, report_dims[k].dim, report_dims[k].title);
	json_array_foreach(json_object_get(t, "votes"), k, v) {
		p_open(o, NULL);
		run(o, report_t(ix, LABEL_VOTE), true);
		run_n(o, true, " ", (long long)json_integer_value(json_object_get(v, "vote")), ": ");
		report_vote_counts(o, ix, t, v);
		report_put(o, "</w:p>");
	}
	breakdown_questions(o, ix, t);
	if (report_n(t, "quotes"))
		para(o, "Heading3", report_t(ix, LABEL_QUOTES));
	json_array_foreach(json_object_get(t, "quotes"), k, v) {
		p_open(o, "Quote");
		run(o, report_s(report_answer(ix, json_integer_value(v)), "text"), false);
		run_n(o, false, " [", (long long)json_integer_value(v), "]");
		report_put(o, "</w:p>");
	}
}

/*
 * The cells of a theme x dimension table (report_cross_table) go into a
 * tab (header and footer bold) through a report_out that carries it.
 */
struct cross_out {
	struct report_out o;   /* first: the walk's callbacks get &o */
	struct tab *tab;
};

static void cross_row(struct report_out *o, const struct report_cell *c, bool end)
{
	(void)o;
	(void)c;
	(void)end;
}

static void cross_cell(struct report_out *o, const struct report_cell *c)
{
	struct tab *tb = ((struct cross_out *)o)->tab;

	if (c->col == 0 && c->part == REPORT_HEAD)
		tb->ncols = c->ncols;
	if (c->text)
		tab_text(tb, c->text, c->part != REPORT_BODY);
	else
		tab_num(tb, c->n, c->part != REPORT_BODY);
}

static void cross_table(struct report_out *o, const struct report_index *ix, const char *dim, enum label title)
{
	static const struct report_table rt = { cross_row, cross_cell };
	struct tab tb;
	struct cross_out co = { { o->b, o->e, o->text }, &tb };

	para(o, "Heading1", report_t(ix, title));
	tab_init(&tb, 1);
	report_cross_table(&co.o, ix, dim, &rt);
	o->e = co.o.e;
	tab_write(o, &tb);
	para(o, "Meta", report_t(ix, LABEL_SHARE_NOTE));
}

/* A table of answers: id, (workshop), table, organisation, text; the question is the heading above it. */
static void answer_rows(struct report_out *o, const struct report_index *ix, const json_t *ids, json_int_t question)
{
	const json_t *id;
	struct tab tb;
	size_t i;

	tab_init(&tb, ix->series ? 5 : 4);
	tab_text(&tb, report_t(ix, LABEL_ID), true);
	if (ix->series)
		tab_text(&tb, report_t(ix, LABEL_WORKSHOP), true);
	tab_text(&tb, report_t(ix, LABEL_TABLE), true);
	tab_text(&tb, report_t(ix, LABEL_ORGANISATION), true);
	tab_text(&tb, report_t(ix, LABEL_TEXT), true);
	json_array_foreach(ids, i, id) {
		const json_t *a = report_answer(ix, json_integer_value(id));

		if (json_integer_value(json_object_get(a, "question_id")) != question)
			continue;
		tab_num(&tb, (long long)json_integer_value(id), false);
		if (ix->series)
			tab_text(&tb, report_s(report_workshop(ix, json_string_value(json_object_get(a, "workshop_id"))),
					       "title"), false);
		tab_text(&tb, report_value(ix, "group", json_object_get(a, "group")), false);
		tab_text(&tb, report_value(ix, "organisation", json_object_get(a, "organisation")), false);
		tab_text(&tb, report_s(a, "text"), false);
	}
	tab_write(o, &tb);
}

/*
 * Answers grouped by question, questions in model order: a heading with
 * the question and its count, then the table of its answers, so a long
 * question is read once instead of on every row.
 */
static void answer_table(struct report_out *o, const struct report_index *ix, const json_t *ids)
{
	const json_t *id;
	json_t *counts = json_object();   /* question id (decimal) -> answers of `ids`; the order as first met */
	const char *key;
	json_t *n;
	size_t i;
	char k[32];

	if (!counts) {
		o->e = o->e ? o->e : BUF_NOMEM;
		return;
	}
	/* Questions in model order, then any an answer names that the model lacks. */
	json_array_foreach(json_object_get(ix->model, "questions"), i, id) {
		snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(id, "id")));
		if (json_object_set_new(counts, k, json_integer(0)))
			o->e = o->e ? o->e : BUF_NOMEM;
	}
	json_array_foreach(ids, i, id) {
		snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(
			report_answer(ix, json_integer_value(id)), "question_id")));
		n = json_object_get(counts, k);
		if (n ? json_integer_set(n, json_integer_value(n) + 1) : json_object_set_new(counts, k, json_integer(1)))
			o->e = o->e ? o->e : BUF_NOMEM;
	}
	json_object_foreach(counts, key, n) {
		json_int_t q = strtoll(key, NULL, 10);
		const json_t *question = report_question(ix, q);

		if (!json_integer_value(n))
			continue;
		p_open(o, "Heading4");
		run(o, question ? report_s(question, "text") : report_t(ix, LABEL_NOT_GIVEN), false);
		run_n(o, false, " (", (long long)json_integer_value(n), ")");
		report_put(o, "</w:p>");
		answer_rows(o, ix, ids, q);
	}
	json_decref(counts);
}

static void votes(struct report_out *o, const struct report_index *ix)
{
	const json_t *v, *r;
	size_t i, k;

	para(o, "Heading1", report_t(ix, LABEL_VOTES));
	if (!report_n(ix->model, "votes"))
		para(o, NULL, report_t(ix, LABEL_NO_VOTES));
	json_array_foreach(json_object_get(ix->model, "votes"), i, v) {
		const json_t *w = report_workshop(ix, json_string_value(json_object_get(v, "workshop_id")));
		struct tab tb;

		p_open(o, "Heading3");
		run(o, report_t(ix, LABEL_VOTE), false);
		run_n(o, false, " ", (long long)json_integer_value(json_object_get(v, "id")), " · ");
		run(o, report_s(w, "title"), false);
		report_put(o, "</w:p>");
		p_open(o, "Meta");
		report_vote_meta(o, ix, v);
		report_put(o, "</w:p>");
		/* The dots drawn one by one, as the HTML report's chart, and the numbers beside them. */
		tab_init(&tb, 4);
		tab_text(&tb, report_t(ix, LABEL_THEME), true);
		tab_text(&tb, "", true);
		tab_text(&tb, report_t(ix, LABEL_DOTS), true);
		tab_text(&tb, report_t(ix, LABEL_VOTERS), true);
		json_array_foreach(json_object_get(v, "results"), k, r) {
			long long dots = (long long)json_integer_value(json_object_get(r, "dots"));

			tab_text(&tb, report_s(r, "label"), false);
			tab_dots(&tb, dots);
			tab_num(&tb, dots, false);
			tab_num(&tb, (long long)json_integer_value(json_object_get(r, "voters")), false);
		}
		tab_write(o, &tb);
	}
}

static void method(struct report_out *o, const struct report_index *ix)
{
	const json_t *d;
	size_t i;

	para(o, "Heading1", report_t(ix, LABEL_METHOD));
	report_method_paragraphs(o, ix, "<w:p>", "</w:p>");
	if (report_shown_count(ix) < report_n(ix->model, "themes")) {
		p_open(o, NULL);
		run(o, report_t(ix, LABEL_EMPTY_THEMES), true);
		run(o, ": ", true);
		report_empty_themes(o, ix);
		report_put(o, "</w:p>");
	}
	para(o, "Heading3", report_t(ix, LABEL_DECISIONS));
	if (!report_n(ix->model, "decisions"))
		para(o, NULL, report_t(ix, LABEL_NO_DECISIONS));
	json_array_foreach(json_object_get(ix->model, "decisions"), i, d) {
		p_open(o, NULL);
		run_n(o, true, "[", (long long)json_integer_value(json_object_get(d, "id")), "] ");
		report_decision_item(o, ix, d);
		if (json_is_integer(json_object_get(d, "undone_by"))) {
			run(o, " (", false);
			run(o, report_t(ix, LABEL_UNDONE), false);
			run(o, ")", false);
		}
		report_put(o, "</w:p>");
	}
}

/* "<n> <word><after>" in the Meta line, the word singular for one. */
static void count(struct report_out *o, const struct report_index *ix, size_t n, enum label word, const char *after)
{
	run_count(o, false, (long long)n, report_count(ix, n, word), after);
}

/* Every theme with answers: answers, as main theme, and the dots of the votes when there were any (as HTML). */
static void summary(struct report_out *o, const struct report_index *ix)
{
	bool votes = report_n(ix->model, "votes") > 0;
	const json_t *t;
	struct tab tb;
	size_t i;

	tab_init(&tb, votes ? 4 : 3);
	tab_text(&tb, report_t(ix, LABEL_THEME), true);
	tab_text(&tb, report_t(ix, LABEL_ANSWERS), true);
	tab_text(&tb, report_t(ix, LABEL_PRIMARY), true);
	if (votes)
		tab_text(&tb, report_t(ix, LABEL_DOTS), true);
	json_array_foreach(themes_of(ix), i, t) {
		if (!report_theme_shown(t))
			continue;
		tab_text(&tb, report_s(t, "label"), false);
		tab_num(&tb, (long long)report_n(t, "answers"), false);
		tab_num(&tb, (long long)report_n(t, "primary_answers"), false);
		if (votes)
			tab_num(&tb, report_theme_dots(t), false);
	}
	tab_write(o, &tb);
}

static void document(struct report_out *o, const struct report_index *ix)
{
	const json_t *m = ix->model, *t;
	size_t i;

	report_put(o, XML_HEAD "<w:document xmlns:w=\"" W_NS "\" xmlns:r=\"" REL_NS "\"><w:body>");
	p_open(o, "Title");
	report_title(o, ix);
	report_put(o, "</w:p>");
	p_open(o, "Meta");
	report_meta_line(o, ix);
	report_put(o, "</w:p>");
	p_open(o, "Meta");
	count(o, ix, report_n(m, "analysed"), LABEL_N_ANALYSED, " · ");
	count(o, ix, report_n(m, "unassigned"), LABEL_N_UNASSIGNED, " · ");
	count(o, ix, report_n(m, "hidden"), LABEL_N_HIDDEN, "");
	report_put(o, "</w:p>");
	para(o, "Heading1", report_t(ix, LABEL_SUMMARY));
	summary(o, ix);
	para(o, "Meta", report_t(ix, LABEL_SHARE_NOTE));
	para(o, "Heading1", report_t(ix, LABEL_THEMES));
	json_array_foreach(themes_of(ix), i, t)
		if (report_theme_shown(t))
			theme(o, ix, t);
	if (ix->series) {
		cross_table(o, ix, "workshop", LABEL_THEME_BY_WORKSHOP);
		cross_table(o, ix, "organisation", LABEL_THEME_BY_ORGANISATION);
	}
	p_open(o, "Heading1");
	run(o, report_t(ix, LABEL_UNASSIGNED), false);
	run_n(o, false, " (", (long long)report_n(m, "unassigned"), ")");
	report_put(o, "</w:p>");
	para(o, NULL, report_t(ix, report_n(m, "unassigned") ? LABEL_UNASSIGNED_INTRO : LABEL_NONE_UNASSIGNED));
	if (report_n(m, "unassigned"))
		answer_table(o, ix, json_object_get(m, "unassigned"));
	votes(o, ix);
	method(o, ix);
	page_break(o);
	para(o, "Heading1", report_t(ix, LABEL_APPENDIX));
	para(o, NULL, report_t(ix, LABEL_APPENDIX_INTRO));
	json_array_foreach(themes_of(ix), i, t) {
		if (!report_theme_shown(t))
			continue;
		p_open(o, "Heading2");
		run(o, report_s(t, "label"), false);
		run_n(o, false, " (", (long long)report_n(t, "answers"), ")");
		report_put(o, "</w:p>");
		answer_table(o, ix, json_object_get(t, "answers"));
	}
	report_put(o, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" "
		      "w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
		      "</w:body></w:document>");
}

static const char *doc_lang(const struct report_index *ix)
{
	return strcmp(ix->lang, "en") == 0 ? "en-GB" : "sv-SE";
}

static void styles(struct report_out *o, const struct report_index *ix)
{
	report_put(o, styles_head);
	report_put(o, doc_lang(ix));
	report_put(o, styles_tail);
}

static void core(struct report_out *o, const struct report_index *ix)
{
	report_put(o, XML_HEAD "<cp:coreProperties "
		      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
		      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
		      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	report_title(o, ix);
	report_putf(o, "</dc:title><dc:creator>inspel</dc:creator><dc:language>%s</dc:language>"
		    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">", doc_lang(ix));
	xml_plain(o, report_s(ix->model, "generated"));
	report_put(o, "</dcterms:created></cp:coreProperties>");
}

/* Add one entry; the bytes must live until zip_close.  0 or -1. */
static int add(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(za, data, len, 0);

	if (!s)
		return -1;
	if (zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		return -1;
	}
	return 0;
}

enum srv_err report_render_docx(const struct report_index *ix, struct buf *out)
{
	struct buf doc, props, sty;
	struct report_out od = { &doc, BUF_OK, text_run }, op = { &props, BUF_OK, xml_plain }, os = { &sty, BUF_OK, xml_plain };
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	zip_error_t ze;
	zip_stat_t st;
	int err = SRV_ENOMEM;

	buf_init(&doc, out->max);
	buf_init(&props, 1u << 16);
	buf_init(&sty, 1u << 16);
	document(&od, ix);
	core(&op, ix);
	styles(&os, ix);
	if (od.e || op.e || os.e) {
		err = report_buf_err(od.e ? od.e : op.e ? op.e : os.e);
		goto out;
	}
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze)))
		goto out;
	zip_source_keep(src);
	if (!(za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)))
		goto out;
	if (add(za, "[Content_Types].xml", content_types, sizeof content_types - 1) ||
	    add(za, "_rels/.rels", package_rels, sizeof package_rels - 1) ||
	    add(za, "word/document.xml", doc.data, doc.len) ||
	    add(za, "word/styles.xml", sty.data, sty.len) ||
	    add(za, "word/_rels/document.xml.rels", document_rels, sizeof document_rels - 1) ||
	    add(za, "docProps/core.xml", props.data, props.len) ||
	    add(za, "docProps/app.xml", app_xml, sizeof app_xml - 1))
		goto out;
	if (zip_close(za) < 0)
		goto out;
	za = NULL;
	/* The archive now lives in `src`; copy its bytes out. */
	if (zip_source_open(src) < 0)
		goto out;
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) {
		err = SRV_ENOMEM;
	} else if (st.size > out->max - out->len) {
		err = SRV_EFULL;
	} else {
		size_t at = out->len;
		zip_int64_t n;
		char chunk[65536];

		err = SRV_OK;
		while (!err && (n = zip_source_read(src, chunk, sizeof chunk)) > 0)
			err = report_buf_err(buf_add(out, chunk, (size_t)n));
		if (!err && out->len - at != st.size)
			err = SRV_ENOMEM;
	}
	zip_source_close(src);
out:
	if (za)
		zip_discard(za);
	zip_source_free(src);
	buf_free(&doc);
	buf_free(&props);
	buf_free(&sty);
	return err;
}

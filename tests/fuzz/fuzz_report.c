/*
 * fuzz_report.c - libFuzzer target for the report renderers (server/report
 * without model.c): the input builds a report model, every format renders
 * it, and each output must read back as its format.
 *
 * The model has the shape report_model makes (workshops, questions,
 * answers, themes with their breakdowns, votes, decisions), its strings
 * drawn from hostile pieces: markup, CSV and formula characters, Markdown
 * punctuation, line breaks, control characters, ESC sequences, bidi
 * overrides, non-characters.  The checks are made apart from the code under
 * test: HTML's title and body and every XML part of the DOCX parse as XML
 * (libxml2), Markdown holds no '<', the CSV parses strictly (RFC 4180,
 * CRLF rows) into a header and one row per answer of 9 fields with no cell
 * or ';'-piece that a spreadsheet would run, JSON loads back equal to the
 * model, the XLSX is a zip whose every XML part parses and whose sheets
 * hold no formula, and no display format carries a control character, an
 * ESC or a bidi override.  One input in four renders into a small buffer
 * instead, where the only other answer allowed is SRV_EFULL.  DOCX is made
 * for one input in four and XLSX for one in eight: zipping (a deflate
 * stream per part, and for XLSX a temporary file) costs many times the
 * other formats together, and their text goes through the same escaping
 * each time.  A model names its time zone or none (UTC).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <zip.h>

#include "core/buf.h"
#include "base/srv_err.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the model from the input ---- */

struct in {
	const uint8_t *p;
	size_t n;
};

static unsigned byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* A number in [0, n). */
static unsigned pick(struct in *in, unsigned n)
{
	return n ? byte(in) % n : 0;
}

/* What a byte of 0x80 or more stands for in a string: the pieces that break formats. */
static const char *const pieces[] = {
	"å", "Ö", "—", "…", "\xf0\x9f\x98\x80", "e\xcc\x81", "\xe2\x80\x8f",
	"\xe2\x80\xae", "\xe2\x80\xaa", "\xe2\x81\xa6", "\xe2\x81\xa9", "\xef\xbf\xbe", "\xef\xbf\xbf", "\xc2\x9b",
	"\xc2\x85", "\x1b[31m", "\x1b]0;titel\x07", "\x1b]8;;http://x\x1b\\", "\x1b", "\x7f", "\x01", "\x0b",
	"]]>", "<script>", "</td>", "<!--", "&amp;", "&#39;", "&", "<", ">", "\"", "'", "\r\n", "\r", "\n", "\t",
	"=", "+", "-", "@", ";", ",", " ", "=HYPERLINK(\"x\")", ";=1+1;", "*", "_", "#", "|", "~", "!", "`", "[",
	"]", "\\", "1.", "2)", "> ", "- ", "\n- ", "\n# ", "\n=", "  ", "Kontinuitet", "Bord 1", "Region",
};

/* A string of up to 23 pieces: ASCII bytes as themselves (NUL as 'x'), others a piece. */
static json_t *text(struct in *in)
{
	unsigned n = pick(in, 24), i;
	struct buf b;
	json_t *s;

	buf_init(&b, 4096);
	for (i = 0; i < n; i++) {
		unsigned c = byte(in);

		if (c >= 0x80)
			buf_adds(&b, pieces[(c - 0x80) % (sizeof pieces / sizeof pieces[0])]);
		else
			buf_addc(&b, c ? (char)c : 'x');
	}
	s = json_string(b.data ? b.data : "");
	buf_free(&b);
	if (!s)
		abort();
	return s;
}

static json_t *text_or_null(struct in *in)
{
	return byte(in) % 4 ? text(in) : json_null();
}

static void set(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		abort();
}

static void add(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v))
		abort();
}

static json_t *when(void)
{
	return json_string("2026-11-23T10:00:00Z");
}

/* Add answer `id` to the breakdown entry of `value` in `list` (made when new). */
static void by_add(json_t *list, const json_t *value, json_int_t id)
{
	json_t *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (json_equal(json_object_get(e, "value"), (json_t *)value)) {
			add(json_object_get(e, "answers"), json_integer(id));
			return;
		}
	e = json_pack("{s:O, s:[I]}", "value", (json_t *)value, "answers", id);
	add(list, e);
}

static json_t *workshops(struct in *in, unsigned n)
{
	json_t *a = json_array();
	unsigned i;
	char id[16];

	for (i = 0; i < n; i++) {
		json_t *w = json_object();

		snprintf(id, sizeof id, "w%u", i);
		set(w, "id", json_string(id));
		set(w, "code", json_string("H7K2QX"));
		set(w, "title", text(in));
		set(w, "created", when());
		add(a, w);
	}
	return a;
}

static json_t *questions(struct in *in, unsigned n, unsigned nw)
{
	json_t *a = json_array();
	unsigned i;
	char id[16];

	for (i = 0; i < n; i++) {
		json_t *q = json_object();

		snprintf(id, sizeof id, "w%u", pick(in, nw));
		set(q, "id", json_integer(10 + i));
		set(q, "workshop_id", json_string(id));
		set(q, "section", text(in));
		set(q, "position", json_integer(i + 1));
		set(q, "text", text(in));
		add(a, q);
	}
	return a;
}

static json_t *answers(struct in *in, unsigned n, unsigned nw, unsigned nq)
{
	json_t *a = json_array();
	unsigned i;
	char id[16];

	for (i = 0; i < n; i++) {
		json_t *x = json_object();

		snprintf(id, sizeof id, "w%u", pick(in, nw));
		set(x, "id", json_integer(1 + i));
		set(x, "workshop_id", json_string(id));
		set(x, "question_id", json_integer(10 + pick(in, nq + 1)));   /* nq + 10: no such question */
		set(x, "group", text_or_null(in));
		set(x, "organisation", text_or_null(in));
		set(x, "text", text(in));
		set(x, "created", when());
		set(x, "hidden", json_boolean(byte(in) % 5 == 0));
		set(x, "themes", json_array());
		set(x, "human", json_array());
		set(x, "none_by_decision", json_false());
		add(a, x);
	}
	return a;
}

/* Themes, each taking some of the visible answers (and naming itself in their "themes"). */
static json_t *themes(struct in *in, unsigned n, json_t *answer_list, unsigned nv)
{
	static const char *const origins[] = { "given", "discovered", "curated" };
	static const char *const dims[] = { "question", "workshop", "group", "organisation" };
	static const char *const keys[] = { "question_id", "workshop_id", "group", "organisation" };
	json_t *a = json_array(), *x;
	unsigned t, k, d;
	size_t i;
	char id[16];

	for (t = 0; t < n; t++) {
		json_t *o = json_object(), *ids = json_array(), *prim = json_array(), *quotes = json_array();
		json_t *by = json_object(), *merged = json_array(), *merged_labels = json_array(), *terms = json_array();
		json_t *votes = json_array();

		snprintf(id, sizeof id, "t%u", t);
		for (d = 0; d < 4; d++)
			set(by, dims[d], json_array());
		json_array_foreach(answer_list, i, x) {
			json_int_t aid = json_integer_value(json_object_get(x, "id"));

			if (json_is_true(json_object_get(x, "hidden")) || byte(in) % 2)
				continue;
			add(json_object_get(x, "themes"), json_string(id));
			add(ids, json_integer(aid));
			if (json_array_size(json_object_get(x, "themes")) == 1)
				add(prim, json_integer(aid));
			if (json_array_size(quotes) < 2)
				add(quotes, json_integer(aid));
			for (d = 0; d < 4; d++)
				by_add(json_object_get(by, dims[d]), json_object_get(x, keys[d]), aid);
		}
		for (k = pick(in, 3); k > 0; k--) {
			snprintf(id, sizeof id, "m%u", k);
			add(merged, json_string(id));
			add(merged_labels, text(in));
		}
		for (k = pick(in, 4); k > 0; k--)
			add(terms, text(in));
		for (k = 0; k < nv; k++)
			if (byte(in) % 2)
				add(votes, json_pack("{s:I, s:s, s:o, s:o, s:I, s:I}", "vote", (json_int_t)(1 + k), "workshop_id",
						     "w0", "theme", byte(in) % 2 ? json_string("t0") : json_string("m1"),
						     "label", text(in), "dots", (json_int_t)pick(in, 60),
						     "voters", (json_int_t)pick(in, 20)));
		snprintf(id, sizeof id, "t%u", t);
		set(o, "id", json_string(id));
		set(o, "label", text(in));
		set(o, "origin", json_string(origins[pick(in, 3)]));
		set(o, "renamed", json_boolean(byte(in) % 2));
		set(o, "merged", merged);
		set(o, "merged_labels", merged_labels);
		set(o, "terms", terms);
		set(o, "given", json_array());
		set(o, "order", json_integer(t));
		set(o, "size", json_integer((json_int_t)json_array_size(ids)));
		set(o, "primary", json_integer((json_int_t)json_array_size(prim)));
		set(o, "answers", ids);
		set(o, "primary_answers", prim);
		set(o, "quotes", quotes);
		set(o, "by", by);
		set(o, "votes", votes);
		add(a, o);
	}
	return a;
}

static json_t *votes(struct in *in, unsigned n, unsigned nw)
{
	json_t *a = json_array();
	unsigned i, k;
	char id[16];

	for (i = 0; i < n; i++) {
		json_t *v = json_object(), *results = json_array();

		for (k = pick(in, 4); k > 0; k--)
			add(results, json_pack("{s:s, s:o, s:I, s:I}", "theme", k % 2 ? "t0" : "t1", "label", text(in),
					       "dots", (json_int_t)pick(in, 100), "voters", (json_int_t)pick(in, 30)));
		snprintf(id, sizeof id, "w%u", pick(in, nw));
		set(v, "id", json_integer(1 + i));
		set(v, "workshop_id", json_string(id));
		set(v, "dots", json_integer(pick(in, 10)));
		set(v, "open", json_boolean(byte(in) % 2));
		set(v, "created", when());
		set(v, "ballots", json_integer(pick(in, 30)));
		set(v, "results", results);
		add(a, v);
	}
	return a;
}

static json_t *decisions(struct in *in, unsigned n)
{
	static const char *const kinds[] = { "rename", "merge", "split", "adopt", "move", "also", "themes", "undo", "odd" };
	json_t *a = json_array();
	unsigned i;

	for (i = 0; i < n; i++) {
		const char *kind = kinds[pick(in, sizeof kinds / sizeof kinds[0])];
		json_t *d = json_object(), *detail = json_object();

		set(detail, "kind", json_string(kind));
		set(detail, "theme", json_string("t0"));
		set(detail, "label", text(in));
		set(detail, "into", json_string("t1"));
		set(detail, "term", text(in));
		set(detail, "answer", json_string("3"));
		set(detail, "to", byte(in) % 2 ? json_null() : json_string("t1"));
		set(detail, "from", json_string("t0"));
		set(detail, "decision", json_integer(1));
		set(detail, "answers", json_pack("[i, i]", 1, 2));
		set(d, "id", json_integer(1 + i));
		set(d, "kind", json_string(kind));
		set(d, "detail", detail);
		if (byte(in) % 2) {
			set(d, "theme_label", text(in));
			set(d, "into_label", text(in));
			set(d, "label_before", text(in));
		}
		set(d, "key_label", text_or_null(in));
		set(d, "created", when());
		set(d, "undone_by", byte(in) % 3 ? json_null() : json_integer(9));
		add(a, d);
	}
	return a;
}

/* A whole model; *nanswers: how many answers it has. */
static json_t *model(struct in *in, size_t *nanswers)
{
	json_t *m = json_object(), *scope = json_object(), *syn = json_object();
	json_t *analysed = json_array(), *hidden = json_array(), *unassigned = json_array(), *ans, *x;
	unsigned nw = 1 + pick(in, 3), nq = pick(in, 4), na = pick(in, 14), nt = pick(in, 5), nv = pick(in, 3);
	bool series = byte(in) % 2;
	size_t i;

	set(m, "format", json_string("inspel-report"));
	set(m, "version", json_integer(1));
	set(m, "lang", json_string(byte(in) % 2 ? "en" : "sv"));
	set(m, "generated", when());
	if (byte(in) % 2)
		set(m, "tz", json_string(byte(in) % 2 ? "Europe/Stockholm" : "UTC"));
	set(scope, "kind", json_string(series ? "series" : "workshop"));
	set(scope, "id", json_string(series ? "s0" : "w0"));
	set(scope, "title", text(in));
	if (!series)
		set(scope, "code", json_string("H7K2QX"));
	set(scope, "created", when());
	set(m, "scope", scope);
	set(syn, "rev", json_integer(pick(in, 100)));
	set(syn, "analysed", byte(in) % 8 ? when() : text(in));
	set(syn, "lang", json_string("sv"));
	set(syn, "seed", json_integer(1));
	set(syn, "themes_default", json_boolean(byte(in) % 2));
	set(syn, "themes_text", json_string(""));
	set(m, "synthesis", syn);
	set(m, "workshops", workshops(in, nw));
	set(m, "questions", questions(in, nq, nw));
	ans = answers(in, na, nw, nq);
	set(m, "themes", themes(in, nt, ans, nv));
	set(m, "votes", votes(in, nv, nw));
	set(m, "decisions", decisions(in, pick(in, 5)));
	json_array_foreach(ans, i, x) {
		json_t *id = json_incref(json_object_get(x, "id"));

		if (json_is_true(json_object_get(x, "hidden"))) {
			add(hidden, id);
			continue;
		}
		add(analysed, id);
		if (!json_array_size(json_object_get(x, "themes")))
			add(unassigned, json_incref(id));
	}
	set(m, "answers", ans);
	set(m, "analysed", analysed);
	set(m, "hidden", hidden);
	set(m, "unassigned", unassigned);
	*nanswers = na;
	return m;
}

/* ---- the checks ---- */

static void fail(const char *what, const char *doc, size_t len)
{
	fprintf(stderr, "fuzz_report: %s\n%.*s\n", what, (int)(len > 4000 ? 4000 : len), doc);
	abort();
}

/* No byte a display format must not carry: C0 but TAB/LF (and CR where `cr`), DEL, ESC, C1, bidi overrides. */
static void check_clean(const char *s, size_t len, bool cr, const char *what)
{
	static const char *const bad[] = { "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
					   "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xc2\x9b",
					   "\xc2\x85", "\xef\xbf\xbe", "\xef\xbf\xbf" };
	size_t i, k;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && !(cr && c == '\r')) || c == 0x7f)
			fail(what, s, len);
	}
	for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
		if (memmem(s, len, bad[k], strlen(bad[k])))
			fail(what, s, len);
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* s[0..len) is a well-formed XML document. */
static void check_xml(const char *s, size_t len, const char *what)
{
	xmlDocPtr doc = xmlReadMemory(s, (int)len, "report.xml", "UTF-8",
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	if (!doc)
		fail(what, s, len);
	xmlFreeDoc(doc);
}

/* The element `name` of `html` with its content ("<title>...</title>") parses as XML. */
static void check_html_part(const char *html, size_t len, const char *open, const char *close)
{
	const char *a = memmem(html, len, open, strlen(open));
	const char *b = a ? memmem(a, len - (size_t)(a - html), close, strlen(close)) : NULL;

	if (!b)
		fail(open, html, len);
	check_xml(a, (size_t)(b - a) + strlen(close), "HTML part is not well-formed");
}

static void check_html(const char *s, size_t len)
{
	check_clean(s, len, false, "HTML carries a control or bidi character");
	check_html_part(s, len, "<title>", "</title>");
	check_html_part(s, len, "<body>", "</body>");
}

static void check_md(const char *s, size_t len)
{
	check_clean(s, len, false, "Markdown carries a control or bidi character");
	if (memchr(s, '<', len))
		fail("Markdown carries a raw '<'", s, len);
}

/* Would a spreadsheet run this piece of a cell as a formula? */
static bool formula(const char *p, size_t n)
{
	size_t i = 0;

	if (n && p[0] == '\'')
		return false;
	if (n && (p[0] == '\t' || p[0] == '\r'))
		return true;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return i < n && (p[i] == '=' || p[i] == '+' || p[i] == '-' || p[i] == '@');
}

static void check_cell(const char *cell, size_t n, const char *doc, size_t len)
{
	size_t at = 0, i;

	for (i = 0; i <= n; i++) {
		if (i < n && cell[i] != ';')
			continue;
		if (formula(cell + at, i - at))
			fail("CSV cell would run as a formula", doc, len);
		at = i + 1;
	}
}

/* RFC 4180 strictly: BOM, quoted or plain fields, CRLF after every row; 9 fields a row, a header and one row per answer. */
static void check_csv(const char *s, size_t len, size_t nanswers)
{
	struct buf cell;
	size_t i = 3, rows = 0, fields = 0;

	if (len < 3 || memcmp(s, "\xEF\xBB\xBF", 3))
		fail("CSV has no byte order mark", s, len);
	check_clean(s, len, true, "CSV carries a control or bidi character");
	buf_init(&cell, len + 1);
	while (i < len) {
		buf_reset(&cell);
		if (s[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					fail("CSV: unterminated quoted field", s, len);
				if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
					i++;
				else if (s[i] == '"')
					break;
				buf_addc(&cell, s[i]);
			}
			i++;
		} else {
			for (; i < len && s[i] != ',' && s[i] != '\r'; i++) {
				if (s[i] == '"' || s[i] == '\n')
					fail("CSV: quote or line feed in a plain field", s, len);
				buf_addc(&cell, s[i]);
			}
		}
		check_cell(cell.data ? cell.data : "", cell.len, s, len);
		fields++;
		if (i < len && s[i] == ',') {
			i++;
			continue;
		}
		if (i + 1 >= len || s[i] != '\r' || s[i + 1] != '\n')
			fail("CSV: a field ends in something else than a comma or CRLF", s, len);
		i += 2;
		if (fields != 9)
			fail("CSV: a row without 9 fields", s, len);
		fields = 0;
		rows++;
	}
	buf_free(&cell);
	if (fields || rows != nanswers + 1)
		fail("CSV: not a header and one row per answer", s, len);
}

static void check_docx(const char *s, size_t len)
{
	static const char *const parts[] = { "[Content_Types].xml", "_rels/.rels", "word/document.xml",
					     "word/styles.xml", "word/_rels/document.xml.rels", "docProps/core.xml",
					     "docProps/app.xml" };
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	size_t k;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(s, len, 0, &ze)))
		abort();
	if (!(za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)))
		fail("DOCX is not a zip", "", 0);
	if (zip_get_num_entries(za, 0) != (zip_int64_t)(sizeof parts / sizeof parts[0]))
		fail("DOCX has other parts", "", 0);
	for (k = 0; k < sizeof parts / sizeof parts[0]; k++) {
		zip_stat_t st;
		zip_file_t *f;
		char *xml;

		if (zip_stat(za, parts[k], 0, &st) < 0 || !(f = zip_fopen(za, parts[k], 0)))
			fail(parts[k], "", 0);
		if (!(xml = malloc(st.size + 1)) || zip_fread(f, xml, st.size) != (zip_int64_t)st.size)
			abort();
		zip_fclose(f);
		check_clean(xml, st.size, false, parts[k]);
		check_xml(xml, st.size, parts[k]);
		free(xml);
	}
	zip_close(za);
}

/* Every entry of the XLSX is there once, parses as XML, and no sheet holds a formula. */
static void check_xlsx(const char *s, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t k, n;
	bool book = false;

	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(s, len, 0, &ze)))
		abort();
	if (!(za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)))
		fail("XLSX is not a zip", "", 0);
	n = zip_get_num_entries(za, 0);
	for (k = 0; k < n; k++) {
		const char *name = zip_get_name(za, (zip_uint64_t)k, 0);
		zip_stat_t st;
		zip_file_t *f;
		char *xml;

		if (!name || zip_stat_index(za, (zip_uint64_t)k, 0, &st) < 0 || !(f = zip_fopen_index(za, (zip_uint64_t)k, 0)))
			fail("XLSX entry", name ? name : "", 0);
		if (!(xml = malloc(st.size + 1)) || zip_fread(f, xml, st.size) != (zip_int64_t)st.size)
			abort();
		zip_fclose(f);
		book |= strcmp(name, "xl/workbook.xml") == 0;
		check_clean(xml, st.size, false, name);
		check_xml(xml, st.size, name);
		if (strncmp(name, "xl/worksheets/", 14) == 0 && memmem(xml, st.size, "<f>", 3))
			fail("XLSX sheet holds a formula", xml, st.size);
		free(xml);
	}
	if (!book)
		fail("XLSX has no workbook", "", 0);
	zip_close(za);
}

static void check_json(const char *s, size_t len, const json_t *m)
{
	json_t *back = json_loadb(s, len, 0, NULL);

	if (!back || !json_equal(back, (json_t *)m))
		fail("JSON does not load back as the model", s, len);
	json_decref(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct in in = { data, size };
	unsigned mode = byte(&in);   /* % 4 == 0: a small buffer; % 8 < 2: DOCX too; % 8 == 2: XLSX too */
	size_t nanswers, max = mode % 4 == 0 ? 64 + (size_t)byte(&in) * 97 : REPORT_MAX;
	json_t *m;
	enum report_format f;

	if (!init) {
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, silent);
		init = true;
	}
	m = model(&in, &nanswers);
	for (f = REPORT_HTML; f <= REPORT_XLSX; f++) {
		struct buf out;
		int rc;

		if ((f == REPORT_DOCX && mode % 8 >= 2) || (f == REPORT_XLSX && mode % 8 != 2))
			continue;
		buf_init(&out, max);
		rc = report_render(m, f, &out);
		if (rc == SRV_EFULL && max < REPORT_MAX) {
			buf_free(&out);
			continue;
		}
		if (rc != SRV_OK)
			fail("a model of the right shape did not render", srv_strerror(rc), strlen(srv_strerror(rc)));
		switch (f) {
		case REPORT_HTML: check_html(out.data, out.len); break;
		case REPORT_MD: check_md(out.data, out.len); break;
		case REPORT_CSV: check_csv(out.data, out.len, nanswers); break;
		case REPORT_JSON: check_json(out.data, out.len, m); break;
		case REPORT_DOCX: check_docx(out.data, out.len); break;
		case REPORT_XLSX: check_xlsx(out.data, out.len); break;
		}
		buf_free(&out);
	}
	json_decref(m);
	return 0;
}

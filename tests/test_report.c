/*
 * test_report.c - the report renderers against a hand-built model with
 * hostile answer text (markup, quotes, commas, newlines, formulas, control
 * characters, Markdown and XML metacharacters), and report_model against a
 * real store and synthesis: every count is the length of its id list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "test_csv.h"
#include "pipeline/analysis.h"
#include "core/buf.h"
#include "core/labels.h"
#include "report/report.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "synth/synth.h"
#include "wire/template.h"

/* A model as report_model makes it: one workshop, two themes, a hidden and an unassigned answer, a vote. */
static const char fixture[] =
	"{\"format\": \"inspel-report\", \"version\": 1, \"lang\": \"sv\", \"generated\": \"2026-11-23T10:00:00Z\","
	" \"tz\": \"Europe/Stockholm\","
	" \"scope\": {\"kind\": \"workshop\", \"id\": \"aaaaaaaaaaaaaaaa\", \"title\": \"Dialog <Karlstad> & \\\"Öst\\\"\","
	"   \"code\": \"H7K2QX\", \"created\": \"2026-11-23T09:00:00Z\"},"
	" \"synthesis\": {\"rev\": 3, \"analysed\": \"2026-11-23T09:59:00Z\", \"lang\": \"sv\", \"seed\": 1,"
	"   \"themes_default\": true, \"themes_text\": \"\"},"
	" \"workshops\": [{\"id\": \"aaaaaaaaaaaaaaaa\", \"code\": \"H7K2QX\", \"title\": \"Dialog <Karlstad> & \\\"Öst\\\"\","
	"   \"created\": \"2026-11-23T09:00:00Z\"}],"
	" \"questions\": [{\"id\": 17, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"section\": \"Dialog 1\", \"position\": 1,"
	"   \"text\": \"Vad är viktigt, och varför?\"}],"
	" \"answers\": ["
	"  {\"id\": 1, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"question_id\": 17, \"group\": \"Bord 1\","
	"   \"organisation\": \"Kommun\", \"text\": \"Kontinuitet, fast läkare.\", \"created\": \"2026-11-23T09:10:00Z\","
	"   \"hidden\": false, \"themes\": [\"kontinuitet\"], \"human\": [], \"none_by_decision\": false},"
	"  {\"id\": 2, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"question_id\": 17, \"group\": \"=Bord\\r2\","
	"   \"organisation\": \"@Region\", \"text\": \"<script>alert(\\\"x\\\")</script>, \\\"quoted\\\"\\nnew line =cmd \\u0001"
	" *bold* _it_ [l](u) # h ]]> &amp;\", \"created\": \"2026-11-23T09:11:00Z\","
	"   \"hidden\": false, \"themes\": [\"c1\", \"kontinuitet\"], \"human\": [\"c1\"], \"none_by_decision\": false},"
	"  {\"id\": 3, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"question_id\": 17, \"group\": null,"
	"   \"organisation\": null, \"text\": \"=1+1\", \"created\": \"2026-11-23T09:12:00Z\","
	"   \"hidden\": false, \"themes\": [], \"human\": [], \"none_by_decision\": false},"
	"  {\"id\": 4, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"question_id\": 17, \"group\": null,"
	"   \"organisation\": null, \"text\": \"Dolt svar som inte får synas\", \"created\": \"2026-11-23T09:13:00Z\","
	"   \"hidden\": true, \"themes\": [], \"human\": [], \"none_by_decision\": false}],"
	" \"analysed\": [1, 2, 3], \"hidden\": [4], \"unassigned\": [3],"
	" \"themes\": ["
	"  {\"id\": \"kontinuitet\", \"label\": \"Kontinuitet\", \"origin\": \"given\", \"renamed\": false, \"merged\": [],"
	"   \"merged_labels\": [], \"terms\": [\"kontinuitet\"], \"given\": [\"kontinuitet\"], \"order\": 0, \"size\": 2, \"primary\": 1,"
	"   \"answers\": [1, 2], \"primary_answers\": [1], \"quotes\": [1, 2],"
	"   \"by\": {\"question\": [{\"value\": 17, \"answers\": [1, 2]}],"
	"          \"workshop\": [{\"value\": \"aaaaaaaaaaaaaaaa\", \"answers\": [1, 2]}],"
	"          \"group\": [{\"value\": \"Bord 1\", \"answers\": [1]}, {\"value\": \"=Bord\\r2\", \"answers\": [2]}],"
	"          \"organisation\": [{\"value\": \"@Region\", \"answers\": [2]}, {\"value\": \"Kommun\", \"answers\": [1]}]},"
	"   \"votes\": [{\"vote\": 4, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"theme\": \"kontinuitet\","
	"               \"label\": \"Kontinuitet\", \"dots\": 5, \"voters\": 3}]},"
	"  {\"id\": \"c1\", \"label\": \"Säkerhet <b>&</b> ]]>\", \"origin\": \"curated\", \"renamed\": true,"
	"   \"merged\": [\"new-2\"], \"merged_labels\": [\"Tillgänglighet via telefon\"],"
	"   \"terms\": [\"script\"], \"given\": [\"script\"], \"order\": 7, \"size\": 1, \"primary\": 1,"
	"   \"answers\": [2], \"primary_answers\": [2], \"quotes\": [2],"
	"   \"by\": {\"question\": [{\"value\": 17, \"answers\": [2]}],"
	"          \"workshop\": [{\"value\": \"aaaaaaaaaaaaaaaa\", \"answers\": [2]}],"
	"          \"group\": [{\"value\": \"=Bord\\r2\", \"answers\": [2]}],"
	"          \"organisation\": [{\"value\": \"@Region\", \"answers\": [2]}]}, \"votes\": []},"
	"  {\"id\": \"kompetens\", \"label\": \"Kompetensförsörjning\", \"origin\": \"given\", \"renamed\": false,"
	"   \"merged\": [], \"merged_labels\": [], \"terms\": [], \"given\": [\"kompetens\"], \"order\": 1, \"size\": 0, \"primary\": 0,"
	"   \"answers\": [], \"primary_answers\": [], \"quotes\": [],"
	"   \"by\": {\"question\": [], \"workshop\": [], \"group\": [], \"organisation\": []}, \"votes\": []}],"
	" \"votes\": [{\"id\": 4, \"workshop_id\": \"aaaaaaaaaaaaaaaa\", \"dots\": 3, \"open\": false,"
	"   \"created\": \"2026-11-23T09:30:00Z\", \"closed\": \"2026-11-23T09:40:00Z\","
	"   \"themes\": [{\"id\": \"kontinuitet\", \"label\": \"Kontinuitet\"}], \"ballots\": 3,"
	"   \"results\": [{\"theme\": \"kontinuitet\", \"label\": \"Kontinuitet <i>\", \"dots\": 5, \"voters\": 3}]}],"
	" \"decisions\": [{\"id\": 9, \"kind\": \"rename\", \"detail\": {\"kind\": \"rename\", \"theme\": \"c1\","
	"   \"label\": \"Säkerhet <b>&</b> ]]>\"}, \"theme_label\": \"Trygg <vård>\", \"label_before\": \"Trygg <vård>\","
	"   \"key_id\": 1, \"key_label\": \"<demo>\","
	"   \"created\": \"2026-11-23T09:20:00Z\", \"undone_by\": null}]}";

static json_t *load_fixture(void)
{
	json_error_t e;
	json_t *m = json_loads(fixture, 0, &e);

	if (!m)
		fail_msg("fixture: %s at line %d", e.text, e.line);
	return m;
}

/* Render `m` as `f` into a fresh NUL-terminated buffer (caller frees). */
static char *render(const json_t *m, enum report_format f, size_t *len)
{
	struct buf b;

	buf_init(&b, REPORT_MAX);
	assert_int_equal(report_render(m, f, &b), SRV_OK);
	return buf_detach(&b, len);
}

/* Read entry `name` of the zip in `data` into a NUL-terminated string (caller frees), or NULL. */
static char *zip_entry(zip_t *za, const char *name)
{
	zip_stat_t st;
	zip_file_t *f;
	char *s;

	if (zip_stat(za, name, 0, &st) < 0)
		return NULL;
	s = calloc(1, st.size + 1);
	f = zip_fopen(za, name, 0);
	assert_non_null(s);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, s, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	return s;
}

/* The zip archive in docx[0..len) (checked for consistency); close with zip_close. */
static zip_t *open_docx(char *docx, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;

	assert_memory_equal(docx, "PK\x03\x04", 4);
	zip_error_init(&ze);
	src = zip_source_buffer_create(docx, len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	assert_non_null(za);
	return za;
}

static void test_formats(void **state)
{
	enum report_format f;

	(void)state;
	assert_true(report_format_parse("docx", &f));
	assert_int_equal(f, REPORT_DOCX);
	assert_true(report_format_parse("csv", &f));
	assert_int_equal(f, REPORT_CSV);
	assert_false(report_format_parse("pdf", &f));
	assert_false(report_format_parse("HTML", &f));
	assert_false(report_format_parse(NULL, &f));
	assert_string_equal(report_extension(REPORT_MD), "md");
	assert_string_equal(report_content_type(REPORT_DOCX),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_non_null(strstr(report_content_type(REPORT_CSV), "text/csv"));
	assert_true(report_lang_ok("sv"));
	assert_true(report_lang_ok("en"));
	assert_false(report_lang_ok("de"));
	assert_false(report_lang_ok(NULL));
}

static void test_filename(void **state)
{
	json_t *m = load_fixture();
	char name[160];

	(void)state;
	report_filename(m, REPORT_HTML, name, sizeof name);
	assert_string_equal(name, "inspel-dialog-karlstad-ost-2026-11-23.html");
	json_object_set_new(json_object_get(m, "scope"), "title", json_string("../../etc/passwd\"\r\n"));
	report_filename(m, REPORT_DOCX, name, sizeof name);
	assert_string_equal(name, "inspel-etc-passwd-2026-11-23.docx");
	json_object_set_new(json_object_get(m, "scope"), "title", json_string("Ωμέγα"));
	report_filename(m, REPORT_CSV, name, sizeof name);
	assert_string_equal(name, "inspel-2026-11-23.csv");
	json_decref(m);
}

static void test_html(void **state)
{
	json_t *m = load_fixture();
	char *html = render(m, REPORT_HTML, NULL), *p;

	(void)state;
	assert_non_null(strstr(html, "<html lang=\"sv\">"));
	assert_null(strstr(html, "<script"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
	assert_non_null(strstr(html, "Säkerhet &lt;b&gt;&amp;&lt;/b&gt; ]]&gt;"));
	assert_non_null(strstr(html, "&amp;amp;"));
	assert_null(strchr(html, '\x01'));
	assert_null(strstr(html, "http:"));
	assert_null(strstr(html, "https:"));
	assert_null(strstr(html, "Dolt svar"));            /* hidden answers are never shown */
	assert_non_null(strstr(html, "<svg"));
	assert_non_null(strstr(html, "@media print"));
	/* counts link to the appendix, which lists the answers behind them */
	assert_non_null(strstr(html, "<a href=\"#a-t0\">2</a>"));
	assert_non_null(strstr(html, "<h3 id=\"a-t0\">"));
	assert_non_null(strstr(html, "<tr id=\"t0-2\">"));
	assert_non_null(strstr(html, "id=\"unassigned\""));
	assert_non_null(strstr(html, "<tr id=\"u-3\">"));
	assert_non_null(strstr(html, "id=\"method\""));
	assert_non_null(strstr(html, "Kompetensförsörjning"));  /* listed as a theme no answer touched */
	/* a decision names its theme by the label the model resolved, escaped, never by the id */
	assert_non_null(strstr(html, "Bytte namn på temat Trygg &lt;vård&gt; till &quot;Säkerhet &lt;b&gt;&amp;&lt;/b&gt; ]]&gt;&quot;"));
	assert_null(strstr(html, "temat c1"));
	assert_null(strstr(html, "id=\"by-workshop\""));        /* only series have the cross tables */
	/* every href is an in-page anchor */
	for (p = html; (p = strstr(p, "href=\"")); p += 6)
		assert_int_equal(p[6], '#');
	free(html);
	json_decref(m);
}

static void test_html_series_en(void **state)
{
	json_t *m = load_fixture();
	char *html;

	(void)state;
	json_object_set_new(m, "lang", json_string("en"));
	json_object_set_new(json_object_get(m, "scope"), "kind", json_string("series"));
	html = render(m, REPORT_HTML, NULL);
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, ">Themes</h2>"));
	assert_non_null(strstr(html, "id=\"by-workshop\""));
	assert_non_null(strstr(html, "id=\"by-organisation\""));
	free(html);
	json_decref(m);
}

static void test_markdown(void **state)
{
	json_t *m = load_fixture();
	char *md = render(m, REPORT_MD, NULL);

	(void)state;
	assert_null(strstr(md, "<script"));
	assert_non_null(strstr(md, "&lt;script&gt;alert(\"x\")&lt;/script&gt;"));
	assert_non_null(strstr(md, "\\*bold\\* \\_it\\_ \\[l\\](u) \\# h \\]\\]&gt; &amp;amp;"));
	assert_null(strchr(md, '\x01'));
	/* the newline inside a quote stays inside the quote */
	assert_non_null(strstr(md, "\"quoted\"\\\n> new line =cmd"));
	assert_non_null(strstr(md, "- \\[3\\] =1+1\\\n"));
	assert_non_null(strstr(md, "# Inspel från dialog: Dialog &lt;Karlstad&gt; &amp; \"Öst\""));
	assert_non_null(strstr(md, "Bytte namn på temat Trygg &lt;vård&gt; till"));
	assert_null(strstr(md, "temat c1"));
	free(md);
	json_decref(m);
}

/* Block markers at the start of a line inside an answer stay text. */
static void test_markdown_blocks(void **state)
{
	json_t *m = load_fixture();
	char *md;

	(void)state;
	json_object_set_new((json_t *)json_array_get(json_object_get(m, "answers"), 0), "text",
			    json_string("Kontinuitet\n# rubrik\n- punkt\n+ plus\n12. tolv\n3) tre\n===\n`kod`"));
	md = render(m, REPORT_MD, NULL);
	assert_non_null(strstr(md, "> Kontinuitet\\\n> \\# rubrik\\\n> \\- punkt\\\n> \\+ plus\\\n> 12\\. tolv\\\n"
				   "> 3\\) tre\\\n> \\===\\\n> \\`kod\\` \\[1\\]\n"));
	free(md);
	json_decref(m);
}

static void test_csv(void **state)
{
	json_t *m = load_fixture();
	char *csv = render(m, REPORT_CSV, NULL);

	(void)state;
	assert_memory_equal(csv, "\xEF\xBB\xBFid,workshop,question,group,organisation,text,themes,theme_ids,hidden\r\n", 72);
	assert_non_null(strstr(csv, "\r\n1,\"Dialog <Karlstad> & \"\"Öst\"\"\",\"Vad är viktigt, och varför?\",Bord 1,"
				    "Kommun,\"Kontinuitet, fast läkare.\",Kontinuitet,kontinuitet,false\r\n"));
	/* quotes doubled, comma and newline kept inside one quoted field, formulas guarded */
	assert_non_null(strstr(csv, ",\"'=Bord\r2\",'@Region,\"<script>alert(\"\"x\"\")</script>, \"\"quoted\"\"\nnew line =cmd"));
	/* a list of theme labels holds ';', so it is quoted (Swedish Excel splits on ';') */
	assert_non_null(strstr(csv, ",\"Säkerhet <b>&</b> ]]>; Kontinuitet\",c1 kontinuitet,false\r\n"));
	assert_non_null(strstr(csv, "\r\n3,"));
	assert_non_null(strstr(csv, ",,,'=1+1,,,false\r\n"));
	/* the hidden answer is a row, marked hidden, with no themes */
	assert_non_null(strstr(csv, ",Dolt svar som inte får synas,,,true\r\n"));
	free(csv);
	json_decref(m);
}

/* Each ';'-separated piece of a cell is guarded; a bare line feed is quoted; controls never reach the file. */
static void test_csv_pieces(void **state)
{
	json_t *m = load_fixture();
	json_t *a = json_array_get(json_object_get(m, "answers"), 0);
	char *csv;

	(void)state;
	json_object_set_new(a, "text", json_string("Bra;=1+1;"));
	json_object_set_new(a, "group", json_string("rad ett\nrad två"));
	json_object_set_new(a, "organisation", json_string("\x1b[31m+46\x1b[0m"));
	csv = render(m, REPORT_CSV, NULL);
	assert_non_null(strstr(csv, ",\"rad ett\nrad två\",'+46,\"Bra;'=1+1;\",Kontinuitet,"));
	assert_null(strchr(csv, '\x1b'));
	free(csv);
	json_decref(m);
}

/* Terminal escapes and bidi overrides in model text reach no format. */
static void test_dropped_everywhere(void **state)
{
	static const char *const bad[] = { "\x1b", "\xe2\x80\xae", "\xe2\x81\xa6", "\x01" };
	json_t *m = load_fixture();
	enum report_format f;
	size_t len, k;

	(void)state;
	json_object_set_new(json_array_get(json_object_get(m, "answers"), 0), "text",
			    json_string("Kontinuitet \x1b[2J\x1b]0;x\x07\xe2\x80\xae" "dlof\xe2\x81\xa6 \x01slut"));
	json_object_set_new(json_array_get(json_object_get(m, "themes"), 0), "label",
			    json_string("Kontinuitet\xe2\x80\xae"));
	for (f = REPORT_HTML; f <= REPORT_XLSX; f++) {
		char *out, *text;
		zip_t *za = NULL;

		if (f == REPORT_JSON)
			continue;
		out = render(m, f, &len);
		text = out;
		if (f == REPORT_DOCX || f == REPORT_XLSX) {
			za = open_docx(out, len);
			text = zip_entry(za, f == REPORT_DOCX ? "word/document.xml" : "xl/sharedStrings.xml");
		}
		assert_non_null(strstr(text, "Kontinuitet dlof slut"));
		for (k = 0; k < sizeof bad / sizeof bad[0]; k++)
			if (strstr(text, bad[k]))
				fail_msg("format %d keeps bad character %zu", (int)f, k);
		if (za) {
			free(text);
			zip_close(za);
		}
		free(out);
	}
	json_decref(m);
}

/* Every label is there in both languages. */
static void test_labels(void **state)
{
	enum label l;

	(void)state;
	for (l = 0; l < LABEL_COUNT; l++) {
		assert_true(*label_text(l, "sv"));
		assert_true(*label_text(l, "en"));
	}
	assert_string_equal(label_text(LABEL_TERMS, "sv"), "Nyckelord");
	assert_string_equal(label_text(LABEL_TERMS, "en"), "Key terms");
}

static void test_json_roundtrip(void **state)
{
	json_t *m = load_fixture(), *back;
	json_error_t e;
	size_t len;
	char *text = render(m, REPORT_JSON, &len);

	(void)state;
	back = json_loadb(text, len, 0, &e);
	assert_non_null(back);
	assert_true(json_equal(m, back));
	json_decref(back);
	free(text);
	json_decref(m);
}

static void test_docx(void **state)
{
	static const char *const entries[] = { "[Content_Types].xml", "_rels/.rels", "word/document.xml",
					       "word/styles.xml", "word/_rels/document.xml.rels", "docProps/core.xml",
					       "docProps/app.xml" };
	json_t *m = load_fixture();
	size_t len, i;
	char *docx, *doc, *core, *styles, *p;
	zip_t *za;

	(void)state;
	/* U+FFFF and U+0002 are valid UTF-8 but not XML 1.0 characters */
	json_object_set_new((json_t *)json_array_get(json_object_get(m, "answers"), 0), "text",
			    json_string("Kontinu\xEF\xBF\xBFit\x02" "et.\tFast"));
	docx = render(m, REPORT_DOCX, &len);
	za = open_docx(docx, len);
	assert_int_equal(zip_get_num_entries(za, 0), 7);
	for (i = 0; i < sizeof entries / sizeof entries[0]; i++) {
		char *e = zip_entry(za, entries[i]);

		assert_non_null(e);
		assert_memory_equal(e, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>", 55);
		free(e);
	}
	doc = zip_entry(za, "word/document.xml");
	core = zip_entry(za, "docProps/core.xml");
	styles = zip_entry(za, "word/styles.xml");
	assert_non_null(strstr(doc, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
	assert_non_null(strstr(doc, "<w:br/>"));
	assert_non_null(strstr(doc, "Kontinuitet.</w:t><w:tab/><w:t xml:space=\"preserve\">Fast"));
	assert_null(strstr(doc, "\xEF\xBF\xBF"));
	assert_non_null(strstr(doc, "Säkerhet &lt;b&gt;&amp;&lt;/b&gt; ]]&gt;"));
	assert_non_null(strstr(doc, "Bytte namn på temat Trygg &lt;vård&gt; till"));
	assert_null(strstr(doc, "temat c1"));
	assert_non_null(strstr(doc, "&amp;amp;"));
	assert_null(strstr(doc, "]]>"));
	assert_null(strstr(doc, "<script"));
	assert_null(strchr(doc, '\x01'));
	assert_null(strstr(doc, "Dolt svar"));
	assert_non_null(strstr(doc, "<w:pStyle w:val=\"Heading1\"/>"));
	assert_non_null(strstr(doc, "<w:pStyle w:val=\"Quote\"/>"));
	assert_non_null(strstr(doc, "<w:tblStyle w:val=\"TableGrid\"/>"));
	assert_non_null(strstr(core, "Dialog &lt;Karlstad&gt; &amp; &quot;Öst&quot;"));
	for (p = "Heading1"; p; p = strcmp(p, "Heading1") == 0 ? "Heading2" : strcmp(p, "Heading2") == 0 ? "Heading3" :
							     strcmp(p, "Heading3") == 0 ? "Quote" : strcmp(p, "Quote") == 0 ? "TableGrid" : NULL) {
		char id[40];

		snprintf(id, sizeof id, "w:styleId=\"%s\"", p);
		assert_non_null(strstr(styles, id));
	}
	free(doc);
	free(core);
	free(styles);
	zip_close(za);
	free(docx);
	json_decref(m);
}

/* What a reader sees of HTML or of a DOCX document.xml: the tags dropped, in place. */
static void strip_tags(char *s)
{
	char *w = s;
	bool tag = false;

	for (; *s; s++) {
		if (*s == '<')
			tag = true;
		else if (*s == '>' && tag)
			tag = false;
		else if (!tag)
			*w++ = *s;
	}
	*w = '\0';
}

/* The sentences every format shares are written once (report.c), so each format reads the same. */
static void test_same_sentences(void **state)
{
	static const char *const sentences[] = {
		/* Times in the workshop's zone (November: CET, UTC+1), not UTC. */
		"Workshop · Kod H7K2QX · Analyserad 2026-11-23 10:59 CET · Rapporten skapad 2026-11-23 11:00 CET",
		"skapat av en person; rubriken ändrad för hand; sammanslaget med Tillgänglighet via telefon",
		"Nyckelord: script",
		"5 prickar, 3 röstande (som Telefontider)",
		"3 prickar per mobil · 3 röstsedlar · pågår",
		/* Decisions with their seconds: several are often made within a minute. */
		" — 2026-11-23 10:20:00 CET, av en processledare",
		"ångrat",
		"Teman i temalistan som inget svar tog upp: Kompetensförsörjning",
	};
	json_t *m = load_fixture();
	json_t *decision = json_array_get(json_object_get(m, "decisions"), 0);
	const json_t *theme = json_array_get(json_object_get(m, "themes"), 0);
	char *text[3], *docx;
	zip_t *za;
	size_t len, i, f;

	(void)state;
	json_object_set_new(decision, "undone_by", json_integer(10));
	json_object_set_new(decision, "key_label", json_null());
	json_object_set_new(json_array_get(json_object_get(m, "votes"), 0), "open", json_true());
	/* A vote cast on a theme since merged into this one is named by the label voters saw. */
	json_object_set_new(json_array_get(json_object_get(theme, "votes"), 0), "theme", json_string("new-5"));
	json_object_set_new(json_array_get(json_object_get(theme, "votes"), 0), "label", json_string("Telefontider"));
	text[0] = render(m, REPORT_HTML, NULL);
	text[1] = render(m, REPORT_MD, NULL);
	docx = render(m, REPORT_DOCX, &len);
	za = open_docx(docx, len);
	text[2] = zip_entry(za, "word/document.xml");
	assert_non_null(text[2]);
	strip_tags(text[0]);
	strip_tags(text[2]);
	for (f = 0; f < 3; f++) {
		for (i = 0; i < sizeof sentences / sizeof sentences[0]; i++)
			if (!strstr(text[f], sentences[i]))
				fail_msg("format %zu lacks \"%s\"", f, sentences[i]);
		/* Merged and voted-on themes are never named by a bare id the reader never saw. */
		if (strstr(text[f], "new-2") || strstr(text[f], "new-5"))
			fail_msg("format %zu names a theme by its id", f);
		free(text[f]);
	}
	zip_close(za);
	free(docx);
	json_decref(m);
}

/* What a reader sees of a format (HTML and DOCX without their tags), as a new string. */
static char *seen(const json_t *m, enum report_format f)
{
	size_t len;
	char *out = render(m, f, &len), *text;
	zip_t *za;

	if (f != REPORT_DOCX) {
		if (f == REPORT_HTML)
			strip_tags(out);
		return out;
	}
	za = open_docx(out, len);
	text = zip_entry(za, "word/document.xml");
	assert_non_null(text);
	zip_close(za);
	free(out);
	strip_tags(text);
	return text;
}

/* `want` is in every display format of `m`. */
static void said_everywhere(const json_t *m, const char *want)
{
	static const enum report_format formats[] = { REPORT_HTML, REPORT_MD, REPORT_DOCX };
	size_t f;

	for (f = 0; f < sizeof formats / sizeof formats[0]; f++) {
		char *text = seen(m, formats[f]);

		if (!strstr(text, want))
			fail_msg("format %d lacks \"%s\"", (int)formats[f], want);
		free(text);
	}
}

/* A count of one takes the singular: "1 prick", never "1 prickar" or "1 answers were hidden". */
static void test_plurals(void **state)
{
	json_t *m = load_fixture();
	json_t *vote = json_array_get(json_object_get(m, "votes"), 0);
	json_t *result = json_array_get(json_object_get(vote, "results"), 0);
	json_t *theme_vote = json_array_get(json_object_get(json_array_get(json_object_get(m, "themes"), 0), "votes"), 0);
	char *text;

	(void)state;
	json_object_set_new(result, "dots", json_integer(1));
	json_object_set_new(result, "voters", json_integer(1));
	json_object_set_new(theme_vote, "dots", json_integer(1));
	json_object_set_new(theme_vote, "voters", json_integer(1));
	json_object_set_new(vote, "dots", json_integer(1));
	json_object_set_new(vote, "ballots", json_integer(1));
	/* The fixture has one hidden answer, one that fits no theme, one decision and one theme made by a person. */
	said_everywhere(m, "1 prick, 1 röstande");
	said_everywhere(m, "1 prick per mobil · 1 röstsedel");
	said_everywhere(m, "1 dolt svar utelämnat");
	said_everywhere(m, "3 svar analyserade");
	said_everywhere(m, "1 svar doldes av processledaren");
	said_everywhere(m, "De övriga 3 svaren analyserades");
	said_everywhere(m, "1 beslut gäller");
	said_everywhere(m, "1 tema har skapats av en person");
	text = seen(m, REPORT_HTML);
	assert_non_null(strstr(text, "2 teman"));
	assert_null(strstr(text, "1 prickar"));
	free(text);
	json_object_set_new(m, "lang", json_string("en"));
	said_everywhere(m, "1 dot, 1 voter");
	said_everywhere(m, "1 dot per phone · 1 ballot");
	said_everywhere(m, "1 hidden answer left out");
	said_everywhere(m, "1 answer was hidden by the facilitator and is left out");
	said_everywhere(m, "The remaining 3 answers were analysed");
	said_everywhere(m, "1 answer fits no theme at all");
	said_everywhere(m, "1 decision is in force");
	said_everywhere(m, "1 theme was made by a person");
	said_everywhere(m, "(1 as main theme");
	text = seen(m, REPORT_MD);
	assert_null(strstr(text, "1 dots"));
	assert_null(strstr(text, "1 voters"));
	assert_null(strstr(text, "1 answers"));
	free(text);
	/* More than one stays plural. */
	json_object_set_new(json_array_get(json_object_get(m, "answers"), 0), "hidden", json_true());
	json_array_append_new(json_object_get(m, "hidden"), json_integer(1));
	said_everywhere(m, "2 answers were hidden by the facilitator and are left out");
	json_decref(m);
}

/*
 * Times are shown in the model's zone, summer time too; a model without a
 * zone shows UTC; a zone not in the tz database is refused.
 */
static void test_time_zone(void **state)
{
	json_t *m = load_fixture();
	struct buf b;
	char name[160];

	(void)state;
	json_object_set_new(m, "generated", json_string("2026-06-30T22:30:00Z"));
	said_everywhere(m, "Rapporten skapad 2026-07-01 00:30 CEST");
	report_filename(m, REPORT_HTML, name, sizeof name);
	assert_string_equal(name, "inspel-dialog-karlstad-ost-2026-07-01.html");
	json_object_set_new(m, "tz", json_string("UTC"));
	said_everywhere(m, "Rapporten skapad 2026-06-30 22:30 UTC");
	json_object_del(m, "tz");
	said_everywhere(m, "Rapporten skapad 2026-06-30 22:30 UTC");
	report_filename(m, REPORT_HTML, name, sizeof name);
	assert_string_equal(name, "inspel-dialog-karlstad-ost-2026-06-30.html");
	json_object_set_new(m, "tz", json_string("America/New_York"));
	said_everywhere(m, "Rapporten skapad 2026-06-30 18:30 EDT");
	buf_init(&b, REPORT_MAX);
	json_object_set_new(m, "tz", json_string("Mars/Olympus_Mons"));
	assert_int_equal(report_render(m, REPORT_HTML, &b), SRV_EINVAL);
	json_object_set_new(m, "tz", json_string("../../etc/passwd"));
	assert_int_equal(report_render(m, REPORT_HTML, &b), SRV_EINVAL);
	json_object_set_new(m, "tz", json_string("Europe"));
	assert_int_equal(report_render(m, REPORT_HTML, &b), SRV_EINVAL);
	json_object_set_new(m, "tz", json_integer(1));
	assert_int_equal(report_render(m, REPORT_HTML, &b), SRV_EINVAL);
	buf_free(&b);
	json_decref(m);
}

/* The decision log says what an undo took back, and quotes answers as the console does (never a hidden one). */
static void test_decision_log(void **state)
{
	json_t *m = load_fixture(), *d = json_object_get(m, "decisions");
	char *text;

	(void)state;
	json_object_set_new(json_array_get(json_object_get(m, "answers"), 0), "text",
			    json_string("Kontinuitet är viktigt för alla som har kroniska sjukdomar och behöver träffa samma "
					"läkare varje gång"));
	json_object_set_new(json_array_get(d, 0), "undone_by", json_integer(11));
	json_array_append_new(d, json_pack("{s:i, s:s, s:{s:s, s:s, s:s}, s:s, s:i, s:s, s:s, s:n}", "id", 10, "kind", "move",
					  "detail", "kind", "move", "answer", "1", "to", "c1", "to_label", "Säkerhet",
					  "key_id", 1, "key_label", "make run", "created", "2026-11-23T09:21:07Z",
					  "undone_by"));
	json_array_append_new(d, json_pack("{s:i, s:s, s:{s:s, s:i}, s:i, s:s, s:s, s:n}", "id", 11, "kind", "undo",
					  "detail", "kind", "undo", "decision", 9, "key_id", 1, "key_label", "make run",
					  "created", "2026-11-23T09:21:09Z", "undone_by"));
	json_array_append_new(d, json_pack("{s:i, s:s, s:{s:s, s:s, s:s}, s:s, s:i, s:s, s:s, s:n}", "id", 12, "kind", "also",
					  "detail", "kind", "also", "answer", "4", "theme", "c1", "theme_label", "Säkerhet",
					  "key_id", 1, "key_label", "make run", "created", "2026-11-23T09:21:10Z",
					  "undone_by"));
	said_everywhere(m, "Flyttade svar ”Kontinuitet är viktigt för alla som har kroniska sjukdomar…” till temat Säkerhet"
			   " — 2026-11-23 10:21:07 CET, av make run");
	text = seen(m, REPORT_HTML);
	assert_non_null(strstr(text, "Ångrade: Bytte namn på temat Trygg &lt;vård&gt; till &quot;Säkerhet &lt;b&gt;&amp;&lt;/b&gt; ]]&gt;&quot;"
				     " — 2026-11-23 10:21:09 CET, av make run"));
	/* A hidden answer is named by its id: its text is in no document. */
	assert_non_null(strstr(text, "Lade svar 4 även i temat Säkerhet"));
	assert_null(strstr(text, "Dolt svar"));
	assert_null(strstr(text, "Ångrade beslut"));
	free(text);
	json_object_set_new(m, "lang", json_string("en"));
	said_everywhere(m, "Moved answer ”Kontinuitet är viktigt för alla som har kroniska sjukdomar…” to theme Säkerhet");
	text = seen(m, REPORT_MD);
	assert_non_null(strstr(text, "Took back: Renamed theme Trygg &lt;vård&gt; to \"Säkerhet &lt;b&gt;&amp;&lt;/b&gt; \\]\\]&gt;\""));
	free(text);
	json_decref(m);
}

/* The width in twips of every column of the first table after `from` in a document.xml; how many. */
static size_t grid_of(const char *doc, const char *from, unsigned *w, size_t max)
{
	const char *p = strstr(doc, from), *end;
	size_t n = 0;

	assert_non_null(p);
	p = strstr(p, "<w:tblGrid>");
	assert_non_null(p);
	end = strstr(p, "</w:tblGrid>");
	while ((p = strstr(p, "<w:gridCol w:w=\"")) && p < end && n < max) {
		p += strlen("<w:gridCol w:w=\"");
		w[n++] = (unsigned)strtoul(p, NULL, 10);
	}
	return n;
}

/*
 * Word tables: widths fixed from the content (labels wide, numbers narrow,
 * no header word split), a dots column in the summary and dots in the
 * vote table as in HTML, the appendix grouped by question.
 */
static void test_docx_tables(void **state)
{
	json_t *m = load_fixture();
	size_t len, n, i;
	unsigned w[8], sum = 0;
	char *docx = render(m, REPORT_DOCX, &len), *doc, *text;
	zip_t *za = open_docx(docx, len);

	(void)state;
	doc = zip_entry(za, "word/document.xml");
	assert_null(strstr(doc, "<w:tcW w:w=\"0\" w:type=\"auto\"/>"));
	assert_null(strstr(doc, "<w:tblW w:w=\"5000\" w:type=\"pct\"/>"));
	assert_non_null(strstr(doc, "<w:tblLayout w:type=\"fixed\"/>"));
	/* The summary: Theme, Answers, as main theme, Dots; the label column the widest, the page's width in all. */
	n = grid_of(doc, ">Sammanfattning<", w, 8);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		sum += w[i];
	assert_true(sum <= 9638 && sum >= 9600);
	assert_true(w[0] > w[1] && w[0] > w[2] && w[0] > w[3]);
	/*
	 * An appendix table: Id, Table, Organisation, Answer.  "Organisation"
	 * fits on one line even in the widest font a reader may see it in:
	 * 7.3 em of DejaVu Sans Bold at 9.5 pt (190 twips an em) and the
	 * cell's margins (2 x 108).
	 */
	n = grid_of(doc, ">Bilaga: alla svar per tema<", w, 8);
	assert_int_equal(n, 4);
	assert_true(w[2] >= 73 * 190 / 10 + 216);
	assert_true(w[3] > w[0] && w[3] > w[1] && w[3] > w[2]);
	assert_non_null(strstr(doc, "<w:pStyle w:val=\"Heading4\"/>"));
	assert_non_null(strstr(doc, "●●●●●"));
	free(doc);
	zip_close(za);
	free(docx);
	text = seen(m, REPORT_DOCX);
	assert_non_null(strstr(text, "TemaSvarsom huvudtemaPrickar"));
	assert_non_null(strstr(text, "Kontinuitet215"));   /* 2 answers, 1 as main theme, 5 dots */
	/* Each question is a heading over its answers, never a column repeated on every row. */
	assert_null(strstr(text, "IdFrågaBord"));
	assert_non_null(strstr(text, "Vad är viktigt, och varför? (2)IdBordOrganisationSvar1Bord 1Kommun"));
	free(text);
	json_decref(m);
}

/* Entry `name` of the XLSX in x[0..len), or NULL. */
static char *xlsx_entry(char *x, size_t len, const char *name)
{
	zip_t *za = open_docx(x, len);
	char *e = zip_entry(za, name);

	zip_close(za);
	return e;
}

/*
 * The workbook: one sheet per view, text as strings (never a formula), counts
 * as numbers, the header bold and frozen, hidden answers left out.
 */
static void test_xlsx(void **state)
{
	static const char *const sheets[] = { "Teman", "Svar", "Tema per fråga", "Tema per bord", "Tema per organisation",
					      "Röstning" };
	json_t *m = load_fixture();
	size_t len, i;
	char *x = render(m, REPORT_XLSX, &len), *book, *strings, *sheet, *styles, *p, name[64];

	(void)state;
	assert_string_equal(report_extension(REPORT_XLSX), "xlsx");
	assert_string_equal(report_content_type(REPORT_XLSX), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	book = xlsx_entry(x, len, "xl/workbook.xml");
	strings = xlsx_entry(x, len, "xl/sharedStrings.xml");
	styles = xlsx_entry(x, len, "xl/styles.xml");
	assert_non_null(book);
	assert_non_null(strings);
	for (i = 0, p = book; i < sizeof sheets / sizeof sheets[0]; i++) {
		snprintf(name, sizeof name, "<sheet name=\"%s\"", sheets[i]);
		assert_non_null(p = strstr(p, name));
	}
	assert_null(strstr(book, "Tema per workshop"));   /* a workshop report has one workshop */
	for (i = 1; i <= sizeof sheets / sizeof sheets[0]; i++) {
		snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", i);
		sheet = xlsx_entry(x, len, name);
		assert_non_null(sheet);
		assert_null(strstr(sheet, "<f>"));   /* no formula anywhere */
		if (i == 1) {
			assert_non_null(strstr(sheet, "state=\"frozen\""));
			assert_non_null(strstr(sheet, "<v>2</v>"));   /* Kontinuitet's 2 answers, a number */
			assert_non_null(strstr(sheet, "<autoFilter"));
		}
		free(sheet);
	}
	/* Hostile text is text: a formula shown as written, markup escaped, controls dropped. */
	assert_non_null(strstr(strings, "<t>=1+1</t>"));
	assert_non_null(strstr(strings, "&lt;script&gt;alert(\"x\")&lt;/script&gt;"));
	assert_non_null(strstr(strings, "Säkerhet &lt;b&gt;&amp;&lt;/b&gt; ]]&gt;; Kontinuitet"));
	assert_null(strchr(strings, '\x01'));
	assert_null(strstr(strings, "_x0001_"));
	assert_null(strstr(strings, "Dolt svar"));
	assert_non_null(strstr(styles, "<b/>"));
	free(book);
	free(strings);
	free(styles);
	free(x);
	/* A series gets its theme x workshop sheet; English names. */
	json_object_set_new(m, "lang", json_string("en"));
	json_object_set_new(json_object_get(m, "scope"), "kind", json_string("series"));
	x = render(m, REPORT_XLSX, &len);
	book = xlsx_entry(x, len, "xl/workbook.xml");
	assert_non_null(strstr(book, "<sheet name=\"Themes\""));
	assert_non_null(strstr(book, "<sheet name=\"Theme by workshop\""));
	assert_non_null(strstr(book, "<sheet name=\"Voting\""));
	free(book);
	free(x);
	json_decref(m);
}

static void test_bad_model(void **state)
{
	json_t *m = load_fixture();
	struct buf b;

	(void)state;
	buf_init(&b, REPORT_MAX);
	json_object_set_new(m, "version", json_integer(2));
	assert_int_equal(report_render(m, REPORT_HTML, &b), SRV_EINVAL);
	json_object_set_new(m, "version", json_integer(1));
	json_object_set_new(m, "themes", json_string("no"));
	assert_int_equal(report_render(m, REPORT_MD, &b), SRV_EINVAL);
	assert_int_equal(report_render(json_object_get(m, "scope"), REPORT_JSON, &b), SRV_EINVAL);
	buf_free(&b);
	json_decref(m);
}

static void test_too_big(void **state)
{
	json_t *m = load_fixture();
	enum report_format f;
	struct buf b;

	(void)state;
	for (f = REPORT_HTML; f <= REPORT_XLSX; f++) {
		buf_init(&b, 200);
		assert_int_equal(report_render(m, f, &b), SRV_EFULL);
		buf_free(&b);
	}
	json_decref(m);
}

/*
 * At every size a report either fits whole or is refused: never a success
 * with something cut out (jansson writes on after failing on an object's
 * key; the JSON dump must not).
 */
static void test_cut_nowhere(void **state)
{
	json_t *m = load_fixture();
	enum report_format f;
	size_t full, max;
	struct buf b;
	char *whole;

	(void)state;
	/* a long key with a short value last, as "unassigned": [] may be */
	json_object_set_new(m, "a_long_key_at_the_end", json_array());
	for (f = REPORT_HTML; f < REPORT_DOCX; f++) {
		whole = render(m, f, &full);
		for (max = 1; max <= full; max += f == REPORT_JSON ? 1 : 1 + max / 64) {
			int rc;

			buf_init(&b, max);
			rc = report_render(m, f, &b);
			if (rc != SRV_EFULL || max == full) {
				assert_int_equal(rc, SRV_OK);
				assert_int_equal(b.len, full);
				assert_memory_equal(b.data, whole, full);
			}
			buf_free(&b);
		}
		free(whole);
	}
	json_decref(m);
}

/* ---- report_model against a real store and synthesis ---- */

static int64_t submit(struct store *st, const char *code, int64_t qid, const char *aid, const char *text,
		      const char *group, const char *org)
{
	struct store_answer_in in = { .code = code, .question_id = qid, .answer_id = aid, .text = text,
				      .group = group, .organisation = org };
	struct store_answer_out out = { 0 };
	int64_t id;

	assert_int_equal(store_begin(st), SRV_OK);
	assert_int_equal(store_answer_submit(st, &in, &out), SRV_OK);
	assert_int_equal(store_commit(st), SRV_OK);
	id = json_integer_value(json_object_get(out.answer, "id"));
	json_decref(out.answer);
	return id;
}

/* Record decision `detail` (JSON text) of workshop `ws`; its id. */
static json_int_t decide(struct store *st, const char *ws, const char *detail)
{
	json_t *d = json_loads(detail, 0, NULL), *rec = NULL;
	json_int_t id;

	assert_non_null(d);
	assert_int_equal(store_decision_add(st, ws, NULL, 0, d, &rec), SRV_OK);
	id = json_integer_value(json_object_get(rec, "id"));
	json_decref(rec);
	json_decref(d);
	return id;
}

/* The decision of the model with this kind and detail.theme (the first one). */
static const json_t *decision_of(const json_t *model, const char *kind, const char *theme)
{
	const json_t *d;
	size_t i;

	json_array_foreach(json_object_get(model, "decisions"), i, d)
		if (strcmp(json_string_value(json_object_get(d, "kind")), kind) == 0 &&
		    strcmp(json_string_value(json_object_get(json_object_get(d, "detail"), "theme")), theme) == 0)
			return d;
	fail_msg("no %s decision of %s", kind, theme);
	return NULL;
}

static void test_model_from_store(void **state)
{
	static const char *const texts[] = { "Kontinuitet.", "Fast läkarkontakt är viktigt", "Läkarkontinuitet",
					     "Teamsamverkan mellan region och kommun", "SIP och samverkan",
					     "Hemmonitorering", "Digitala vårdmöten och AI", "Administration tar tid",
					     "<b>Dolt</b>" };
	char dir[] = "/tmp/inspel-report-XXXXXX", path[64], code[LIMIT_CODE_LEN + 1], aid[32], wsid[LIMIT_WORKSHOP_ID_LEN + 1];
	struct store *st = NULL;
	struct synth *sy = NULL;
	struct synth_result *res = NULL;
	struct synth_scope scope = { .kind = SYNTH_WORKSHOP };
	json_t *qs = NULL, *ws = NULL, *model = NULL, *orgs = template_organisations(), *t, *id, *hidden = NULL;
	int64_t qid, last = 0;
	json_int_t renamed;
	size_t i, k, sum;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/r.db", dir);
	assert_int_equal(store_open(&st, path), SRV_OK);
	assert_int_equal(template_questions(TEMPLATE_DEFAULT, &qs), SRV_OK);
	assert_int_equal(store_workshop_create(st, 0, "Rapport test", orgs, qs, &ws), SRV_OK);
	snprintf(code, sizeof code, "%s", json_string_value(json_object_get(ws, "code")));
	snprintf(wsid, sizeof wsid, "%s", json_string_value(json_object_get(ws, "id")));
	qid = json_integer_value(json_object_get(json_array_get(json_object_get(ws, "questions"), 0), "id"));
	assert_int_equal(store_question_set_open(st, qid, true, &t, wsid), SRV_OK);
	json_decref(t);
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		snprintf(aid, sizeof aid, "report-answer-%zu", i);
		/* One table written three ways (stored before names were tidied): one table in the report. */
		last = submit(st, code, qid, aid, texts[i], i % 3 == 0 ? "Bord 1" : i % 3 == 1 ? "bord 1" : "BORD  1 ",
			      i % 2 ? "Region" : "Kommun");
	}
	assert_int_equal(store_answer_set_hidden(st, last, true, &hidden, wsid), SRV_OK);
	json_decref(hidden);
	/*
	 * A given theme renamed; another renamed and the rename taken back, then
	 * merged into the first: each decision names its themes by the labels
	 * they had at that point.
	 */
	decide(st, wsid, "{\"kind\": \"rename\", \"theme\": \"kontinuitet\", \"label\": \"Kontinuitet och trygghet\"}");
	renamed = decide(st, wsid, "{\"kind\": \"rename\", \"theme\": \"samverkan\", \"label\": \"Tillfälligt namn\"}");
	assert_int_equal(store_decision_undo(st, wsid, NULL, 0, renamed, &t), SRV_OK);
	json_decref(t);
	decide(st, wsid, "{\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"kontinuitet\"}");
	snprintf(scope.id, sizeof scope.id, "%s", wsid);
	assert_int_equal(synth_open(&sy), SRV_OK);
	assert_int_equal(synth_get(sy, st, &scope, &res, NULL, 0), SRV_OK);
	assert_int_equal(report_model(st, res, "sv", "2026-11-23T10:00:00Z", NULL, false, &model), SRV_OK);

	assert_string_equal(json_string_value(json_object_get(model, "generated")), "2026-11-23T10:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_object_get(model, "scope"), "title")), "Rapport test");
	assert_int_equal(json_array_size(json_object_get(model, "answers")), 9);
	assert_int_equal(json_array_size(json_object_get(model, "analysed")), 8);
	assert_int_equal(json_array_size(json_object_get(model, "hidden")), 1);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(model, "hidden"), 0)), last);
	/* every theme's size is its id list, and each breakdown adds up to it */
	json_array_foreach(json_object_get(model, "themes"), i, t) {
		const char *dims[] = { "question", "workshop", "group", "organisation" };
		size_t d;

		assert_int_equal(json_integer_value(json_object_get(t, "size")), json_array_size(json_object_get(t, "answers")));
		for (d = 0; d < 4; d++) {
			const json_t *e;

			sum = 0;
			json_array_foreach(json_object_get(json_object_get(t, "by"), dims[d]), k, e)
				sum += json_array_size(json_object_get(e, "answers"));
			assert_int_equal(sum, json_array_size(json_object_get(t, "answers")));
		}
		json_array_foreach(json_object_get(t, "answers"), k, id)
			assert_int_not_equal(json_integer_value(id), last);
		if (json_array_size(json_object_get(t, "answers"))) {
			const json_t *groups = json_object_get(json_object_get(t, "by"), "group");

			assert_int_equal(json_array_size(groups), 1);
			assert_string_equal(json_string_value(json_object_get(json_array_get(groups, 0), "value")), "Bord 1");
		}
	}
	/* the kontinuitet theme holds the continuity answers and no hidden one */
	t = NULL;
	json_array_foreach(json_object_get(model, "themes"), i, id)
		if (strcmp(json_string_value(json_object_get(id, "id")), "kontinuitet") == 0)
			t = id;
	assert_non_null(t);
	assert_true(json_array_size(json_object_get(t, "answers")) >= 2);
	assert_string_equal(json_string_value(json_object_get(decision_of(model, "rename", "kontinuitet"), "label_before")),
			    "Kontinuitet");
	assert_string_equal(json_string_value(json_object_get(decision_of(model, "rename", "samverkan"), "theme_label")),
			    "Teamsamverkan och samordning");
	assert_string_equal(json_string_value(json_object_get(decision_of(model, "merge", "samverkan"), "theme_label")),
			    "Teamsamverkan och samordning");
	assert_string_equal(json_string_value(json_object_get(decision_of(model, "merge", "samverkan"), "into_label")),
			    "Kontinuitet och trygghet");
	{
		static const char *const lines[] = {
			"Bytte namn på temat Kontinuitet till &quot;Kontinuitet och trygghet&quot;",
			"Bytte namn på temat Teamsamverkan och samordning till &quot;Tillfälligt namn&quot;",
			"Slog ihop temat Teamsamverkan och samordning med Kontinuitet och trygghet",
		};
		size_t len;
		char *csv = render(model, REPORT_CSV, NULL), *html = render(model, REPORT_HTML, NULL);
		char *md = render(model, REPORT_MD, NULL), *docx = render(model, REPORT_DOCX, &len), *doc;
		zip_t *za = open_docx(docx, len);

		doc = zip_entry(za, "word/document.xml");
		assert_non_null(strstr(csv, ",<b>Dolt</b>,,,true\r\n"));
		assert_null(strstr(html, "Dolt"));
		for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
			assert_non_null(strstr(html, lines[i]));
			assert_non_null(strstr(doc, lines[i]));
			/* Markdown writes quotes as they are */
			assert_non_null(i < 2 ? strstr(md, i ? "temat Teamsamverkan och samordning till \"Tillfälligt namn\"" :
							    "temat Kontinuitet till \"Kontinuitet och trygghet\"") :
					    strstr(md, lines[i]));
		}
		{
			/* The theme x table sheet has one column for the three spellings. */
			size_t xlen;
			char *x = render(model, REPORT_XLSX, &xlen), *strings = xlsx_entry(x, xlen, "xl/sharedStrings.xml");

			assert_non_null(strstr(strings, "<t>Bord 1</t>"));
			assert_null(strstr(strings, "<t>bord 1</t>"));
			free(strings);
			free(x);
		}
		for (i = 0; i < 3; i++) {
			const char *text = i == 0 ? html : i == 1 ? md : doc;

			assert_null(strstr(text, "temat kontinuitet"));
			assert_null(strstr(text, "temat samverkan"));
			assert_null(strstr(text, "med kontinuitet"));
		}
		free(doc);
		zip_close(za);
		free(docx);
		free(md);
		free(csv);
		free(html);
	}
	json_decref(model);
	synth_put(res);
	synth_close(sy);
	json_decref(ws);
	json_decref(qs);
	json_decref(orgs);
	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

/* A line break alone (no comma, no quote) is reason enough to quote: the row stays one row. */
static void test_csv_line_breaks(void **state)
{
	json_t *m = load_fixture(), *answers = json_object_get(m, "answers");
	char *csv;

	(void)state;
	json_object_set_new(json_array_get(answers, 0), "text", json_string("Kontinuitet\nfast läkare"));
	json_object_set_new(json_array_get(answers, 0), "group", json_string("Bord\n1"));
	json_object_set_new(json_array_get(answers, 2), "text", json_string("Samverkan\rmed skolan"));
	csv = render(m, REPORT_CSV, NULL);
	assert_non_null(strstr(csv, "\r\n1,\"Dialog <Karlstad> & \"\"Öst\"\"\",\"Vad är viktigt, och varför?\",\"Bord\n1\","
				    "Kommun,\"Kontinuitet\nfast läkare\",Kontinuitet,kontinuitet,false\r\n"));
	assert_non_null(strstr(csv, ",,,\"Samverkan\rmed skolan\",,,false\r\n"));
	/* A header and one record per answer, hidden included. */
	assert_int_equal(csv_records(csv), 1 + (int)json_array_size(answers));
	free(csv);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_filename),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_series_en),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_markdown_blocks),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_pieces),
		cmocka_unit_test(test_csv_line_breaks),
		cmocka_unit_test(test_dropped_everywhere),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_docx),
		cmocka_unit_test(test_same_sentences),
		cmocka_unit_test(test_plurals),
		cmocka_unit_test(test_time_zone),
		cmocka_unit_test(test_decision_log),
		cmocka_unit_test(test_docx_tables),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_bad_model),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_cut_nowhere),
		cmocka_unit_test(test_model_from_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

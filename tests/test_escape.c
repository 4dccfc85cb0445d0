/*
 * test_escape.c - core/escape.h: each format's escaping, the formula guard,
 * the characters no display format writes, and that a failed append
 * leaves the buffer as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/escape.h"

enum fmt { CSV, MD, MD_BLOCK, HTML, XML, XML_RUN, JSON, TEXT };

/* `s` escaped as `f` (Markdown inline, newlines as spaces, unless MD_BLOCK); a fresh string. */
static char *esc(enum fmt f, const char *s)
{
	struct buf b;
	enum buf_err e = BUF_OK;

	buf_init(&b, 1u << 20);
	switch (f) {
	case CSV: e = esc_csv(&b, s); break;
	case MD: e = esc_md(&b, s, NULL, false); break;
	case MD_BLOCK: e = esc_md(&b, s, "\\\n> ", true); break;
	case HTML: e = esc_html(&b, s, strlen(s)); break;
	case XML: e = esc_xml(&b, s, strlen(s), NULL, NULL); break;
	case XML_RUN: e = esc_xml(&b, s, strlen(s), "<br/>", "<tab/>"); break;
	case JSON: e = esc_json(&b, s); break;
	case TEXT: e = esc_text(&b, s, strlen(s)); break;
	}
	assert_int_equal(e, BUF_OK);
	return buf_detach(&b, NULL);
}

#define assert_esc(f, in, want) do { \
		char *got_ = esc(f, in); \
		assert_string_equal(got_, want); \
		free(got_); \
	} while (0)

static void test_csv_quoting(void **state)
{
	(void)state;
	assert_esc(CSV, "", "");
	assert_esc(CSV, "Kontinuitet", "Kontinuitet");
	assert_esc(CSV, "a, b", "\"a, b\"");
	assert_esc(CSV, "Bra; mer tid", "\"Bra; mer tid\"");
	assert_esc(CSV, "säger \"nej\"", "\"säger \"\"nej\"\"\"");
	assert_esc(CSV, "\"", "\"\"\"\"");
	/* a bare line feed, with no comma or quote, is still quoted */
	assert_esc(CSV, "rad ett\nrad två", "\"rad ett\nrad två\"");
	assert_esc(CSV, "cr\ronly", "\"cr\ronly\"");
	assert_esc(CSV, "tab\tinside", "tab\tinside");
}

static void test_csv_formula(void **state)
{
	(void)state;
	assert_esc(CSV, "=1+1", "'=1+1");
	assert_esc(CSV, "+46 70", "'+46 70");
	assert_esc(CSV, "-5", "'-5");
	assert_esc(CSV, "@SUM(A1)", "'@SUM(A1)");
	assert_esc(CSV, "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_esc(CSV, "\tTAB", "'\tTAB");
	assert_esc(CSV, "\r=x", "\"'\r=x\"");
	/* leading blanks do not hide a formula */
	assert_esc(CSV, "  =1+1", "'  =1+1");
	assert_esc(CSV, "\n=1+1", "\"'\n=1+1\"");
	/* each ';'-separated piece is guarded: Swedish Excel splits on ';' */
	assert_esc(CSV, "Bra;=1+1;", "\"Bra;'=1+1;\"");
	assert_esc(CSV, "a; -b;+c;@d", "\"a;' -b;'+c;'@d\"");
	assert_esc(CSV, "=a;=b", "\"'=a;'=b\"");
	/* a dropped control character does not hide one either */
	assert_esc(CSV, "\x01=1+1", "'=1+1");
	assert_esc(CSV, "x;\x1b[31m=1", "\"x;'=1\"");
	/* not formulas */
	assert_esc(CSV, "a=b", "a=b");
	assert_esc(CSV, "Bra - mycket", "Bra - mycket");
	assert_esc(CSV, "'=1", "'=1");
}

/* Characters no display format writes: the same in each. */
static void test_dropped(void **state)
{
	static const enum fmt fmts[] = { CSV, MD, HTML, XML, TEXT };
	static const char *const in[] = {
		"a\x01" "b\x7f" "c",                         /* C0 and DEL */
		"a\x1b[1;31mb\x1b[0mc",                      /* ANSI colours */
		"a\x1b]0;title\x07" "b\x1b]8;;u\x1b\\c",     /* OSC, BEL and ST terminated */
		"a\x1b" "7b\x1b(Bc",                         /* ESC 7, ESC ( B */
		"a\xe2\x80\xae" "b\xe2\x81\xa6" "c",         /* U+202E RLO, U+2066 LRI */
		"a\xe2\x80\xaa\xe2\x80\xac\xe2\x81\xa9" "bc",/* U+202A, U+202C, U+2069 */
		"a\xc2\x9b" "b\xc2\x85" "c",                 /* C1: CSI, NEL */
		"a\xef\xbf\xbe" "b\xef\xbf\xbf" "c",         /* U+FFFE, U+FFFF */
		"a\xff" "b\xc3" "c",                         /* not UTF-8 */
	};
	size_t i, f;

	(void)state;
	for (f = 0; f < sizeof fmts / sizeof fmts[0]; f++)
		for (i = 0; i < sizeof in / sizeof in[0]; i++) {
			char *got = esc(fmts[f], in[i]);

			if (strcmp(got, "abc"))
				fail_msg("format %zu, input %zu: \"%s\"", f, i, got);
			free(got);
		}
	/* an unterminated control string drops only its introducer */
	assert_esc(HTML, "a\x1b]0;title", "a0;title");
	assert_esc(HTML, "a\x1b", "a");
	/* marks that are not overrides stay (U+200F RIGHT-TO-LEFT MARK), and so does ordinary text */
	assert_esc(HTML, "a\xe2\x80\x8f" "b", "a\xe2\x80\x8f" "b");
	assert_esc(CSV, "Vårdcentral Öst – ok", "Vårdcentral Öst – ok");
}

static void test_markdown(void **state)
{
	(void)state;
	assert_esc(MD, "Kontinuitet, fast läkare.", "Kontinuitet, fast läkare.");
	assert_esc(MD, "<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y");
	assert_esc(MD, "*a* _b_ [c](d) `e` #f |g| ~h~ !i \\j",
		   "\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\#f \\|g\\| \\~h\\~ \\!i \\\\j");
	assert_esc(MD, "rad\nny\r\nrad\rtre", "rad ny rad tre");
	/* block markers only where a line opens */
	assert_esc(MD, "- a - b", "- a - b");
	assert_esc(MD_BLOCK, "- a\n+ b\n= c\n12. d\n3) e\n  - f\n1x.", "\\- a\\\n> \\+ b\\\n> \\= c\\\n> 12\\. d\\\n> "
		   "3\\) e\\\n>   \\- f\\\n> 1x.");
}

static void test_html_xml(void **state)
{
	(void)state;
	assert_esc(HTML, "<script>alert(\"x\")</script> & 'y'",
		   "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
	assert_esc(HTML, "rad\r\nny\trad", "rad\nny\trad");
	assert_esc(XML, "<w:t> & \"q\" 'a' ]]>", "&lt;w:t&gt; &amp; &quot;q&quot; 'a' ]]&gt;");
	assert_esc(XML, "a\r\nb\tc", "a\nb\tc");
	assert_esc(XML_RUN, "a\r\nb\tc", "a<br/>b<tab/>c");
}

/* Plain text for a writer that escapes for itself (an XLSX cell): markup and formulas as written, CR gone. */
static void test_text(void **state)
{
	(void)state;
	assert_esc(TEXT, "<b>=1+1</b> & \"q\"", "<b>=1+1</b> & \"q\"");
	assert_esc(TEXT, "rad\r\nny\trad\rtre", "rad\nny\tradtre");
}

static void test_json(void **state)
{
	(void)state;
	assert_esc(JSON, "", "\"\"");
	assert_esc(JSON, "a\"b\\c/d", "\"a\\\"b\\\\c/d\"");
	assert_esc(JSON, "\b\f\n\r\t\x01\x1f\x7f", "\"\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\"");
	/* data, not display: bidi overrides are kept */
	assert_esc(JSON, "\xe2\x80\xae", "\"\xe2\x80\xae\"");
}

/* A failed call leaves the buffer as it was, NUL-terminated; a call that fits writes it all. */
static void test_all_or_nothing(void **state)
{
	struct buf b;
	size_t max, before;

	(void)state;
#define ALL_OR_NOTHING(call) do { \
		before = b.len; \
		if ((call) != BUF_OK) { \
			assert_int_equal(b.len, before); \
			assert_int_equal(b.data[before], '\0'); \
		} \
	} while (0)
	for (max = 2; max < 64; max++) {
		buf_init(&b, max);
		assert_int_equal(buf_adds(&b, "x"), BUF_OK);
		ALL_OR_NOTHING(esc_csv(&b, "Bra;=1+1, \"ja\"\nnej"));
		if (b.len > 1)
			assert_string_equal(b.data, "x\"Bra;'=1+1, \"\"ja\"\"\nnej\"");
		ALL_OR_NOTHING(esc_md(&b, "<a> *b*\nc", "\\\n", true));
		ALL_OR_NOTHING(esc_html(&b, "<&>\x01", 4));
		ALL_OR_NOTHING(esc_xml(&b, "<&>\n", 4, "<br/>", NULL));
		ALL_OR_NOTHING(esc_json(&b, "\"\n\x01"));
		buf_free(&b);
	}
#undef ALL_OR_NOTHING
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_dropped),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_html_xml),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_all_or_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

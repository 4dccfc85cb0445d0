/*
 * test_themes.c - the themes file, term compilation and theme matching.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "text/lang.h"
#include "themes/themes.h"

static void test_parse_ok(void **state)
{
	struct themes t;
	char err[128];
	const char *text = "# comment\n\n  a | Label A | one, two words , SIP\r\nb|B|x\n";

	(void)state;
	assert_int_equal(themes_parse(&t, text, strlen(text), err, sizeof(err)), AN_OK);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0].id, "a");
	assert_string_equal(t.v[0].label, "Label A");
	assert_int_equal(t.v[0].nterms, 3);
	assert_string_equal(t.v[0].terms[1].text, "two words");
	assert_string_equal(t.v[1].terms[0].text, "x");
	themes_free(&t);
}

static void expect_error(const char *text, int code, const char *msg)
{
	struct themes t;
	char err[128];

	assert_int_equal(themes_parse(&t, text, strlen(text), err, sizeof(err)), code);
	assert_string_equal(err, msg);
	assert_int_equal(t.n, 0);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("a | A | x\nb | B\n", AN_EINVAL, "line 2: expected 'id | label | term, term, ...'");
	expect_error("a | A | x\n\nBad Id | B | y\n", AN_EINVAL,
		     "line 3: the id must be 1-48 characters a-z, 0-9, '-' or '_'");
	expect_error("a |  | x\n", AN_EINVAL, "line 1: the label is empty");
	expect_error("a | A | x,, y\n", AN_EINVAL, "line 1: empty term (two commas in a row or a comma at the end?)");
	expect_error("a | A | x\na | B | y\n", AN_EINVAL, "line 2: this theme id is already used on an earlier line");
	expect_error("a | A | x | y\n", AN_EINVAL, "line 1: expected 'id | label | term, term, ...'");
	expect_error("# only comments\n", AN_EINVAL, "line 1: no themes in the file");
	expect_error("a | A | \xC3\x28\n", AN_EUTF8, "line 1: not valid UTF-8");
}

static void test_compile(void **state)
{
	struct themes t;
	struct lang l;
	char err[128];
	const char *text = "d | D | digital, AI, fast läkarkontakt, och, team\n";

	(void)state;
	assert_int_equal(lang_open(&l, "sv"), AN_OK);
	assert_int_equal(themes_parse(&t, text, strlen(text), err, sizeof(err)), AN_OK);
	assert_int_equal(themes_compile(&t, &l), AN_OK);
	assert_int_equal(t.v[0].terms[0].nkeys, 1);
	assert_string_equal(t.v[0].terms[0].keys[0], "digital");
	assert_true(t.v[0].terms[0].prefix[0]);
	assert_string_equal(t.v[0].terms[1].keys[0], "ai");
	assert_false(t.v[0].terms[1].prefix[0]);
	assert_int_equal(t.v[0].terms[2].nkeys, 2);
	assert_string_equal(t.v[0].terms[2].folded[1], "läkarkontakt");
	/* A stop word alone gives no keys; a short stem never prefix-matches. */
	assert_int_equal(t.v[0].terms[3].nkeys, 0);
	assert_false(t.v[0].terms[4].prefix[0]);
	themes_free(&t);
	lang_close(&l);
}

/* Run the analysis on `texts` with `themes`; returns the result (caller frees). */
static struct analysis_result *run(const char *const *texts, size_t n, const char *themes)
{
	struct analysis_answer a[16];
	struct analysis_input in = { a, n };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	size_t i;

	assert_true(n <= 16);
	memset(a, 0, sizeof(a));
	for (i = 0; i < n; i++)
		a[i].text = texts[i];
	memset(&o, 0, sizeof(o));
	o.themes_text = themes;
	o.seed = 1;
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	return r;
}

/* The given-theme ids of answer `d`, joined with '+', primary first (discovered themes left out). */
static const char *themes_of(const struct analysis_result *r, size_t d)
{
	static char s[256];
	size_t m, used = 0;

	s[0] = '\0';
	for (m = 0; m < r->assign[d].nmatches; m++) {
		const char *id = r->themes[r->assign[d].matches[m].theme].id;
		size_t len = strlen(id);

		if (!r->themes[r->assign[d].matches[m].theme].seeded)
			continue;
		assert_true(used + len + 2 < sizeof(s));
		if (used)
			s[used++] = '+';
		memcpy(s + used, id, len + 1);
		used += len;
	}
	return s;
}

static void test_derived_forms(void **state)
{
	const char *texts[] = {
		"Digitala vårdmöten", "Mer digitalisering", "Digitaliseringen av vården", "Digitalt stöd",
		"Diggande musik", "Hemmonitorering", "Läkarkontinuitet", "kontinuiteten brister",
	};
	const char *themes = "dig | Digitalt | digital, monitorering\nkon | Kontinuitet | kontinuitet\n";
	struct analysis_result *r = run(texts, 8, themes);

	(void)state;
	assert_string_equal(themes_of(r, 0), "dig");
	assert_string_equal(themes_of(r, 1), "dig");
	assert_string_equal(themes_of(r, 2), "dig");
	assert_string_equal(themes_of(r, 3), "dig");
	/* "dig" is a prefix of digital, but never matches through it. */
	assert_string_equal(themes_of(r, 4), "");
	assert_string_equal(themes_of(r, 5), "dig");
	assert_string_equal(themes_of(r, 6), "kon");
	assert_string_equal(themes_of(r, 7), "kon");
	analysis_result_free(r);
}

static void test_multi_theme_and_scores(void **state)
{
	const char *texts[] = {
		"Teamsamverkan och digitala vårdmöten",
		"Samverkan",
		"Samverkan kring många andra saker som patienter kronikerna hembesök",
	};
	struct analysis_result *r = run(texts, 3, NULL);
	const struct analysis_assignment *a = &r->assign[0];

	(void)state;
	/* Both themes are visible, each with its matched terms. */
	assert_int_equal(a->nmatches, 2);
	assert_string_equal(themes_of(r, 0), "digitalisering+samverkan");
	assert_true(a->matches[0].score >= a->matches[1].score);
	assert_true(a->matches[1].nterms >= 1);
	assert_string_equal(r->themes[a->matches[1].theme].given[a->matches[1].terms[0]], "samverkan");
	/* A one-word answer is all theme; a long one is partly (kronikerna and
	 * hembesök are the older people's theme, samverkan is one word of five). */
	assert_true(r->assign[1].matches[0].score > 0.99f);
	assert_string_equal(themes_of(r, 2), "aldre+samverkan");
	assert_true(r->assign[2].matches[1].score < 0.5f);
	analysis_result_free(r);
}

static void test_phrase_needs_all_words(void **state)
{
	const char *texts[] = { "Fast läkarkontakt", "Fast anställning", "Läkarkontakt" };
	const char *themes = "kon | K | fast läkarkontakt\n";
	struct analysis_result *r = run(texts, 3, themes);

	(void)state;
	assert_string_equal(themes_of(r, 0), "kon");
	assert_string_equal(themes_of(r, 1), "");
	assert_string_equal(themes_of(r, 2), "");
	analysis_result_free(r);
}

/* A term reaches the other word classes of its family through derivational roots. */
static void test_word_classes(void **state)
{
	const char *texts[] = {
		"Vi måste rekrytera fler sjuksköterskor", "Nyligen rekryterade läkare", "Samordnade insatser",
		"Färre unga röker", "Digitalt stöd i hemmet", "Kontinuerlig uppföljning", "Rekordmånga besök",
		"Samordnaren ringer", "Rekryteringen tar tid",
	};
	const char *themes = "kom | K | rekrytering\nsam | S | samordning\nfor | F | rökning\n"
			     "dig | D | digitalisering\nkon | C | kontinuitet\n";
	struct analysis_result *r = run(texts, 9, themes);

	(void)state;
	assert_string_equal(themes_of(r, 0), "kom");
	assert_string_equal(themes_of(r, 1), "kom");
	assert_string_equal(themes_of(r, 2), "sam");
	assert_string_equal(themes_of(r, 3), "for");
	assert_string_equal(themes_of(r, 4), "dig");
	/* "kontinuerlig" (continuous) is not "kontinuitet", and "rekord" is no root of "rekrytering". */
	assert_string_equal(themes_of(r, 5), "");
	assert_string_equal(themes_of(r, 6), "");
	assert_string_equal(themes_of(r, 7), "sam");
	assert_string_equal(themes_of(r, 8), "kom");
	analysis_result_free(r);
}

/* A hyphenated word reaches an abbreviation: its head is a part of its own. */
static void test_hyphen_compounds(void **state)
{
	const char *texts[] = {
		"Bättre IT-stöd", "Fler SIP-möten", "Stöd till KOL-patienter", "Fler e-tjänster",
		"Bättre hälsa", "Mer it-stöd", "Patienter med KOL",
	};
	const char *themes = "dig | D | IT, e-hälsa\nsam | S | SIP\nkol | K | KOL\n";
	struct analysis_result *r = run(texts, 7, themes);
	size_t t;

	(void)state;
	assert_string_equal(themes_of(r, 0), "dig");
	assert_string_equal(themes_of(r, 1), "sam");
	assert_string_equal(themes_of(r, 2), "kol");
	assert_string_equal(themes_of(r, 3), "dig");
	/* "e-hälsa" is reached through "e-", never through "hälsa" alone. */
	assert_string_equal(themes_of(r, 4), "");
	/* The answer's side needs no capitals. */
	assert_string_equal(themes_of(r, 5), "dig");
	assert_string_equal(themes_of(r, 6), "kol");
	/* The head of "KOL-patienter" is shown as the acronym it is. */
	for (t = 0; t < r->nthemes; t++)
		if (!strcmp(r->themes[t].id, "kol"))
			assert_string_equal(r->themes[t].terms[0], "KOL");
	analysis_result_free(r);

	/* A themes file may also hold the hyphenated word: "IT-stöd" finds "IT-system" and "IT". */
	{
		const char *texts2[] = { "Nya IT-system", "Mer IT", "Stöd i hemmet" };
		struct analysis_result *r2 = run(texts2, 3, "dig | D | IT-stöd\n");

		assert_string_equal(themes_of(r2, 0), "dig");
		assert_string_equal(themes_of(r2, 1), "dig");
		assert_string_equal(themes_of(r2, 2), "");
		analysis_result_free(r2);
	}
}

/* A term of several words matches them in order with a few words between. */
static void test_phrase_window(void **state)
{
	const char *texts[] = {
		"Alla ska ha en fast och namngiven läkarkontakt", "Tidiga och samordnade insatser för barn",
		"Läkarkontakten är fast", "Fast anställda sköterskor ger trygghet, bra stöd och en god läkarkontakt",
		"Tidiga insatser",
	};
	const char *themes = "kon | K | fast läkarkontakt\nfor | F | tidiga insatser\n";
	struct analysis_result *r = run(texts, 5, themes);

	(void)state;
	assert_string_equal(themes_of(r, 0), "kon");
	assert_string_equal(themes_of(r, 1), "for");
	/* Order matters, and so does distance. */
	assert_string_equal(themes_of(r, 2), "");
	assert_string_equal(themes_of(r, 3), "");
	assert_string_equal(themes_of(r, 4), "for");
	analysis_result_free(r);
}

/* The shipped primary-care themes: every strategy area reached, each term where a plan writer puts it. */
static void test_shipped_themes(void **state)
{
	const char *texts[] = {
		"Bättre samverkan mellan hemsjukvården och vårdcentralen",
		"Den psykiska ohälsan ökar bland unga",
		"Fler hembesök hos sköra äldre",
		"Elevhälsan och BVC behöver fler resurser för barnfamiljer",
		"Samma läkare varje gång",
		"Kortare väntetider på vårdcentralen",
		"Invånarna ska kunna påverka vården",
		"Levnadsvanor och fysisk aktivitet",
		"Rekrytera fler distriktssköterskor",
		"Videomöten och e-tjänster",
		"Läkemedelsgenomgångar för multisjuka",
		"Ångest och depression hos vuxna",
	};
	static const char *const expect[] = {
		"samverkan", "psykisk-halsa", "aldre", "barn-unga", "kontinuitet", "tillganglighet",
		"delaktighet", "forebyggande", "kompetens", "digitalisering", "aldre", "psykisk-halsa",
	};
	struct analysis_result *r = run(texts, 12, NULL);
	size_t d;

	(void)state;
	assert_int_equal(r->nthemes >= 10, 1);
	for (d = 0; d < 12; d++) {
		assert_true(r->assign[d].nmatches > 0);
		assert_string_equal(r->themes[r->assign[d].matches[0].theme].id, expect[d]);
	}
	/* Home health care is coordination now, not accessibility. */
	assert_string_equal(themes_of(r, 0), "samverkan");
	analysis_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_derived_forms),
		cmocka_unit_test(test_multi_theme_and_scores),
		cmocka_unit_test(test_phrase_needs_all_words),
		cmocka_unit_test(test_word_classes),
		cmocka_unit_test(test_hyphen_compounds),
		cmocka_unit_test(test_phrase_window),
		cmocka_unit_test(test_shipped_themes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_lang.c - language data: stop words, Snowball stemming, word lists.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "text/lang.h"

static void stem_is(struct lang *l, const char *w, const char *expect)
{
	size_t n;
	const char *s = lang_stem(l, w, strlen(w), &n);

	assert_non_null(s);
	assert_int_equal(n, strlen(expect));
	assert_memory_equal(s, expect, n);
}

static void test_swedish(void **state)
{
	struct lang l;

	(void)state;
	assert_int_equal(lang_open(&l, "sv"), AN_OK);
	assert_true(l.compounds);
	assert_true(lang_is_stop(&l, "och", 3));
	assert_true(lang_is_stop(&l, "är", strlen("är")));
	assert_true(lang_is_stop(&l, "viktigt", 7));
	assert_false(lang_is_stop(&l, "vård", strlen("vård")));
	assert_false(lang_is_stop(&l, "kontinuitet", 11));
	/* "samma" carries meaning here: "samma läkare". */
	assert_false(lang_is_stop(&l, "samma", 5));
	stem_is(&l, "digitala", "digital");
	stem_is(&l, "digitaliseringen", "digitalisering");
	stem_is(&l, "vårdcentralen", "vårdcentral");
	/* Snowball leaves the definite -an; suffixes.txt strips it, so the noun
	 * meets its verb ("samverka") and "ohälsan" meets "ohälsa". */
	stem_is(&l, "samverkans", "samverk");
	stem_is(&l, "samverka", "samverk");
	stem_is(&l, "ohälsan", "ohäls");
	stem_is(&l, "ohälsa", "ohäls");
	/* ... but not when too little would remain ("plan", "organ"). */
	stem_is(&l, "plan", "plan");
	stem_is(&l, "organ", "organ");
	assert_true(strstr(l.lexicon, "\nkontinuitet\n") != NULL);
	lang_close(&l);
}

/* Derivational roots: prefixes of a stem before a suffix of suffixes.txt. */
static void test_roots(void **state)
{
	struct lang l;
	size_t roots[LANG_MAX_ROOTS];

	(void)state;
	assert_int_equal(lang_open(&l, "sv"), AN_OK);
	assert_int_equal(lang_roots(&l, "rekrytering", 11, roots), 2);
	assert_int_equal(roots[0], strlen("rekryt"));
	assert_int_equal(roots[1], strlen("rekryter"));
	assert_int_equal(lang_roots(&l, "digitalisering", 14, roots), 3);
	assert_int_equal(roots[0], strlen("digital"));
	assert_int_equal(lang_roots(&l, "rökning", strlen("rökning"), roots), 2);
	assert_int_equal(roots[0], strlen("rök"));
	/* Too short a root ("ring" would leave "r"), or no suffix at all. */
	assert_int_equal(lang_roots(&l, "ring", 4, roots), 0);
	assert_int_equal(lang_roots(&l, "kontinuitet", 11, roots), 0);
	lang_close(&l);
	assert_int_equal(lang_open(&l, "en"), AN_OK);
	assert_int_equal(lang_roots(&l, "recruiting", 10, roots), 0);
	lang_close(&l);
}

static void test_english(void **state)
{
	struct lang l;

	(void)state;
	assert_int_equal(lang_open(&l, "en"), AN_OK);
	assert_false(l.compounds);
	assert_true(lang_is_stop(&l, "the", 3));
	assert_true(lang_is_stop(&l, "it", 2));
	assert_false(lang_is_stop(&l, "och", 3));
	stem_is(&l, "waiting", "wait");
	stem_is(&l, "doctors", "doctor");
	lang_close(&l);
}

static void test_unknown(void **state)
{
	struct lang l;

	(void)state;
	assert_int_equal(lang_open(&l, "xx"), AN_ELANG);
	assert_int_equal(lang_open(&l, NULL), AN_ELANG);
}

static int count_line(void *ctx, const char *w, size_t len)
{
	size_t *n = ctx;

	assert_true(len > 0);
	assert_true(w[0] != ' ' && w[len - 1] != ' ');
	(*n)++;
	return 0;
}

static void test_each_line(void **state)
{
	size_t n = 0;

	(void)state;
	assert_int_equal(lang_each_line("# comment\n  one  \n\ntwo # trailing\r\nthree", count_line, &n), AN_OK);
	assert_int_equal(n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swedish),
		cmocka_unit_test(test_roots),
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_each_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

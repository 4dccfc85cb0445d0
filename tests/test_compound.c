/*
 * test_compound.c - Swedish compound splitting, directly and via the corpus.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "text/compound.h"
#include "text/corpus.h"
#include "text/lang.h"

/* The parts of `word` after splitting inside a corpus that contains it, as "a+b". */
static void parts_of(const char *word, char *out, size_t outlen)
{
	struct lang l;
	struct corpus c;
	const char *extra[] = { "kontinuitet", "samverkan", "team" };
	int64_t id;
	size_t k, used = 0;

	assert_int_equal(lang_open(&l, "sv"), AN_OK);
	corpus_init(&c, &l);
	assert_int_equal(corpus_add(&c, word, strlen(word)), AN_OK);
	assert_int_equal(corpus_finish(&c, 1, extra, 3), AN_OK);
	id = dict_find(&c.words, word, strlen(word));
	assert_true(id >= 0);
	out[0] = '\0';
	for (k = 0; k < c.w[id].nparts; k++) {
		const char *p = dict_str(&c.words, c.w[id].part_surface[k]);
		int n = snprintf(out + used, outlen - used, "%s%s", k ? "+" : "", p);

		assert_true(n > 0 && (size_t)n < outlen - used);
		used += (size_t)n;
	}
	corpus_free(&c);
	lang_close(&l);
}

static void check(const char *word, const char *expect)
{
	char got[256];

	parts_of(word, got, sizeof(got));
	assert_string_equal(got, expect);
}

static void test_linking_e(void **state)
{
	(void)state;
	check("läkarkontinuitet", "läkare+kontinuitet");
}

static void test_plain(void **state)
{
	(void)state;
	check("teamsamverkan", "team+samverkan");
	check("hemmonitorering", "hem+monitorering");
}

static void test_linking_s(void **state)
{
	(void)state;
	check("samverkansarenor", "samverkan+arenor");
	check("kompetensförsörjningen", "kompetens+försörjningen");
}

static void test_no_split(void **state)
{
	(void)state;
	/* Simple words and words of unknown parts stay whole. */
	check("kontinuitet", "");
	check("digitalisering", "");
	check("xyzqwerty", "");
}

static void test_part_terms(void **state)
{
	struct lang l;
	struct corpus c;
	const char *text = "Läkarkontinuitet och kontinuitet";
	int64_t whole, part;

	(void)state;
	assert_int_equal(lang_open(&l, "sv"), AN_OK);
	corpus_init(&c, &l);
	assert_int_equal(corpus_add(&c, text, strlen(text)), AN_OK);
	assert_int_equal(corpus_finish(&c, 1, NULL, 0), AN_OK);
	whole = dict_find(&c.words, "läkarkontinuitet", strlen("läkarkontinuitet"));
	part = dict_find(&c.words, "kontinuitet", strlen("kontinuitet"));
	assert_true(whole >= 0 && part >= 0);
	/* The compound's last part is the same term as the simple word. */
	assert_int_equal(c.w[whole].nparts, 2);
	assert_int_equal(c.w[whole].part_term[1], c.w[part].term);
	assert_int_not_equal(c.w[whole].term, c.w[part].term);
	corpus_free(&c);
	lang_close(&l);
}

static void test_direct(void **state)
{
	struct lang l;
	struct compound c;
	struct compound_part parts[COMPOUND_MAX_PARTS];
	const char *w = "vårdcentral";

	(void)state;
	assert_int_equal(lang_open(&l, "sv"), AN_OK);
	compound_init(&c);
	assert_int_equal(compound_add(&c, &l, "vård", 5), AN_OK);
	assert_int_equal(compound_add(&c, &l, "central", 7), AN_OK);
	assert_int_equal(compound_split(&c, w, strlen(w), parts), 2);
	assert_string_equal(parts[0].form, "vård");
	assert_string_equal(parts[1].form, "central");
	/* Parts below the minimum length are not used. */
	assert_int_equal(compound_split(&c, "vård", 5, parts), 0);
	compound_free(&c);
	lang_close(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linking_e),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_linking_s),
		cmocka_unit_test(test_no_split),
		cmocka_unit_test(test_part_terms),
		cmocka_unit_test(test_direct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

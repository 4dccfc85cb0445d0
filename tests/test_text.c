/*
 * test_text.c - UTF-8 checks, NFC, folding and the tokeniser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "text/text.h"

/* Tokenise `s` and join the tokens as "tok|tok|..." with '^' after acronyms and '#' after numbers. */
static void tokens_of(const char *s, char *out, size_t outlen)
{
	struct text_tokens t = { 0 };
	size_t i, used = 0;

	assert_int_equal(text_tokenize(s, strlen(s), &t), AN_OK);
	out[0] = '\0';
	for (i = 0; i < t.len; i++) {
		int n = snprintf(out + used, outlen - used, "%s%.*s%s%s", i ? "|" : "", (int)t.v[i].len,
				 s + t.v[i].off, (t.v[i].flags & TEXT_ACRONYM) ? "^" : "",
				 (t.v[i].flags & TEXT_NUMBER) ? "#" : "");

		assert_true(n > 0 && (size_t)n < outlen - used);
		used += (size_t)n;
	}
	text_tokens_free(&t);
}

static void check(const char *s, const char *expect)
{
	char got[1024];

	tokens_of(s, got, sizeof(got));
	assert_string_equal(got, expect);
}

static void test_swedish_letters(void **state)
{
	(void)state;
	check("Vårdcentralen är öppen, äldreomsorg!", "Vårdcentralen|är|öppen|äldreomsorg");
	check("Hälso- och sjukvården", "Hälso|och|sjukvården");
}

static void test_acronyms(void **state)
{
	(void)state;
	check("SIP och KOL, AI i IT-stöd", "SIP^|och|KOL^|AI^|IT-stöd");
	check("Mer VFU på SÄBO", "Mer|VFU^|på|SÄBO^");
	/* Shouted text has no acronyms. */
	check("SLUTA GÖRA", "SLUTA|GÖRA");
	/* Too long for an acronym. */
	check("DIGITALISERING nu", "DIGITALISERING|nu");
}

/* Flags of the tokens of s, one per token. */
static void flags_are(const char *s, const unsigned *expect, size_t n)
{
	struct text_tokens t = { 0 };
	size_t i;

	assert_int_equal(text_tokenize(s, strlen(s), &t), AN_OK);
	assert_int_equal(t.len, n);
	for (i = 0; i < n; i++)
		assert_int_equal(t.v[i].flags, expect[i]);
	text_tokens_free(&t);
}

/* An acronym before a hyphen marks the word ("IT-stöd", "KOL-patienter"), not shouting or lower case. */
static void test_acronym_head(void **state)
{
	static const unsigned heads[] = { TEXT_ACRONYM_HEAD, TEXT_ACRONYM_HEAD, 0, 0, 0 };
	static const unsigned shouted[] = { 0, 0, 0 };

	(void)state;
	flags_are("IT-stöd KOL-patienter it-stöd e-hälsa Covid-19", heads, 5);
	flags_are("SLUTA MED IT-STÖD", shouted, 3);
}

static void test_numbers_and_joiners(void **state)
{
	(void)state;
	check("1177 och covid-19 år 2023", "1177#|och|covid-19|år|2023#");
	check("e-hälsa - och", "e-hälsa|och");
	check("fråga 1 a", "fråga|1#");
}

static void test_emoji_and_punctuation(void **state)
{
	(void)state;
	check("Bra 👍 team🙂arbete", "Bra|team|arbete");
	check("(AI)", "AI^");
	check("...!!!", "");
	check("", "");
}

static void test_invalid_utf8(void **state)
{
	struct buf b;
	const char bad[] = "ok \xC3\x28 nej";
	const char nul[] = { 'a', '\0', 'b' };

	(void)state;
	buf_init(&b, 1024);
	assert_false(text_valid(bad, strlen(bad)));
	assert_false(text_valid(nul, sizeof(nul)));
	assert_true(text_valid("åäö", strlen("åäö")));
	assert_int_equal(text_nfc(bad, strlen(bad), &b), AN_EUTF8);
	assert_int_equal(text_fold("\xFF", 1, &b), AN_EUTF8);
	/* The tokeniser itself never fails on bad bytes: they separate words. */
	check(bad, "ok|nej");
	buf_free(&b);
}

static void test_nfc_and_fold(void **state)
{
	struct buf b;
	const char decomposed[] = "la\xCC\x88kare";   /* a + combining diaeresis */

	(void)state;
	buf_init(&b, 1024);
	assert_int_equal(text_nfc(decomposed, strlen(decomposed), &b), AN_OK);
	assert_string_equal(b.data, "läkare");
	assert_int_equal(text_fold("ÅÄÖ Läkare SIP", strlen("ÅÄÖ Läkare SIP"), &b), AN_OK);
	assert_string_equal(b.data, "åäö läkare sip");
	assert_int_equal(text_fold(decomposed, strlen(decomposed), &b), AN_OK);
	assert_string_equal(b.data, "läkare");
	buf_free(&b);
}

static void test_too_long(void **state)
{
	static char big[TEXT_MAX_LEN + 2];
	struct buf b;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	buf_init(&b, 4 * TEXT_MAX_LEN);
	assert_int_equal(text_nfc(big, sizeof(big) - 1, &b), AN_ETOOBIG);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swedish_letters),
		cmocka_unit_test(test_acronyms),
		cmocka_unit_test(test_acronym_head),
		cmocka_unit_test(test_numbers_and_joiners),
		cmocka_unit_test(test_emoji_and_punctuation),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nfc_and_fold),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

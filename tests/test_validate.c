/*
 * test_validate.c - the text rules of server/validate.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/srv_err.h"
#include "wire/validate.h"

static char *check(const char *in, size_t min, size_t max, int want)
{
	char *out = (char *)0x1;
	int err = validate_text(in, strlen(in), min, max, &out);

	assert_int_equal(err, want);
	if (want != SRV_OK)
		assert_null(out);
	return out;
}

static void test_trim(void **state)
{
	char *out = check(" \t\n Kontinuitet. \u00a0\n", 1, 1000, SRV_OK);

	assert_string_equal(out, "Kontinuitet.");
	free(out);
}

static void test_empty(void **state)
{
	check("", 1, 1000, SRV_EEMPTY);
	check("   \t\n", 1, 1000, SRV_EEMPTY);
	free(check("   ", 0, 60, SRV_OK));
}

static void test_invalid_utf8(void **state)
{
	check("abc\xff", 1, 1000, SRV_EUTF8);
	check("\xc3", 1, 1000, SRV_EUTF8);             /* truncated sequence */
	check("\xed\xa0\x80", 1, 1000, SRV_EUTF8);     /* UTF-16 surrogate */
	check("\xc0\xaf", 1, 1000, SRV_EUTF8);         /* overlong "/" */
}

/*
 * U+0000 is UTF-8, but the result is a C string: accepting it would return
 * "abc" for "abc\0<1000 more letters>" and so dodge the length limit
 * (found by tests/fuzz/fuzz_validate.c).
 */
static void test_nul_refused(void **state)
{
	static const char text[] = "p3f0a9c1\0\0\0-0002";
	char *out = (char *)0x1;

	assert_int_equal(validate_text(text, sizeof text - 1, 1, 3, &out), SRV_EUTF8);
	assert_null(out);
	assert_int_equal(validate_text("\0", 1, 0, 60, &out), SRV_EUTF8);
	assert_null(out);
}

/* `n` copies of "ö" (2 bytes each) so byte and code point counts differ. */
static char *repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit), i;
	char *s = malloc(len * n + 1);

	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

static void test_length_counts_code_points(void **state)
{
	char *ok = repeat("\xc3\xb6", 1000), *bad = repeat("\xc3\xb6", 1001), *out;

	out = check(ok, 1, 1000, SRV_OK);
	assert_int_equal(strlen(out), 2000);
	free(out);
	check(bad, 1, 1000, SRV_ETOOLONG);
	free(ok);
	free(bad);
}

static void test_nfc(void **state)
{
	/* "a" + combining diaeresis becomes precomposed "ä" and counts once. */
	char *dec = repeat("a\xcc\x88", 1000), *out;

	out = check("la\xcc\x88kare", 1, 1000, SRV_OK);
	assert_string_equal(out, "l\xc3\xa4kare");
	free(out);
	out = check(dec, 1, 1000, SRV_OK);
	assert_int_equal(strlen(out), 2000);
	free(out);
	free(dec);
}

/* Characters from U+0300 up that NFC changes, to prove the fast path is not taken for them. */
static void test_nfc_beyond_fast_path(void **state)
{
	char *out;

	out = check("\xe2\x84\xab", 1, 10, SRV_OK);          /* U+212B ANGSTROM SIGN -> U+00C5 */
	assert_string_equal(out, "\xc3\x85");
	free(out);
	out = check("\xcd\x80", 1, 10, SRV_OK);               /* U+0340 -> U+0300 */
	assert_string_equal(out, "\xcc\x80");
	free(out);
	out = check("R\xc3\xa5" "d \xc3\xb6\xc3\xa4 \xc3\xa9", 1, 10, SRV_OK);  /* already NFC, copied */
	assert_string_equal(out, "R\xc3\xa5" "d \xc3\xb6\xc3\xa4 \xc3\xa9");
	free(out);
}

static void test_id(void **state)
{
	assert_true(validate_id("p3f0a9c1-0001"));
	assert_true(validate_id("abcdefgh"));
	assert_true(validate_id("A_b-C_d-E_f-G_h-012345678901234567890123456789012345678901234567"));
	assert_false(validate_id("abcdefg"));                 /* 7 */
	assert_false(validate_id("abcdefgh!"));
	assert_false(validate_id("abcd efgh"));
	assert_false(validate_id("\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5"));
	assert_false(validate_id("a123456789012345678901234567890123456789012345678901234567890123x")); /* 65 */
	assert_true(validate_id("a12345678901234567890123456789012345678901234567890123456789012")); /* 64 */
}

static void test_org(void **state)
{
	const char *const orgs[] = { "Region", "Kommun", "Privat vårdgivare" };

	assert_true(validate_org_allowed("Kommun", orgs, 3));
	assert_true(validate_org_allowed("Privat vårdgivare", orgs, 3));
	assert_false(validate_org_allowed("kommun", orgs, 3));
	assert_false(validate_org_allowed("Skola", orgs, 3));
	assert_true(validate_org_allowed("Skola", NULL, 0));
}

/* A table name: trimmed, inner white space one space, first letter capitalised, the rest as written. */
static void test_table(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "bord 3 ", "Bord 3" }, { "  bord \t  3", "Bord 3" }, { "Bord 3", "Bord 3" }, { "BORD 3", "BORD 3" },
		{ "\u00e4ldre\u00a0\u00a0team", "\u00c4ldre team" }, { "3", "3" }, { "   ", "" },
		{ "a\xcc\x88ldre", "\xc3\x84ldre" },   /* decomposed: NFC, then its capital */
		{ "\xc7\x86ungla", "\xc7\x85ungla" },   /* a digraph takes its title case, not its capital */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;

		assert_int_equal(validate_table(cases[i].in, strlen(cases[i].in), 60, &out), SRV_OK);
		assert_string_equal(out, cases[i].want);
		free(out);
	}
	{
		char *out = (char *)0x1;

		assert_int_equal(validate_table("\xff", 1, 60, &out), SRV_EUTF8);
		assert_null(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_nul_refused),
		cmocka_unit_test(test_length_counts_code_points),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_nfc_beyond_fast_path),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_org),
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

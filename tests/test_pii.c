/*
 * test_pii.c - personal data in free text: personal and coordination
 * numbers (generated with the Luhn rule over whole years), phone numbers
 * as people write them, e-mail addresses, the numbers that must never be
 * flagged (years, dates, money, counts, postcodes, times, bad check
 * digits), spans, and redaction.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "core/buf.h"
#include "text/pii.h"

/* The Luhn check digit of nine digits YYMMDDNNN. */
static char luhn_digit(const char nine[9])
{
	unsigned sum = 0, i, v;

	for (i = 0; i < 9; i++) {
		v = (unsigned)(nine[i] - '0') * (i % 2 == 0 ? 2u : 1u);
		sum += v > 9 ? v - 9 : v;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

enum form { F_LONG_DASH, F_LONG, F_SHORT_DASH, F_SHORT, F_SHORT_PLUS, F_COUNT };

/*
 * The number of someone born on year-month-day with birth number `serial`
 * (0-999), written in `form`; `day_add` 60 makes a coordination number and
 * `check_add` 1-9 a wrong check digit.
 */
static void make_number(char *out, size_t size, int year, int month, int day, int serial, enum form form,
			int day_add, int check_add)
{
	char nine[32], check;

	snprintf(nine, sizeof nine, "%02u%02u%02u%03u", (unsigned)year % 100u, (unsigned)month % 100u,
		 (unsigned)(day + day_add) % 100u, (unsigned)serial % 1000u);
	check = luhn_digit(nine);
	check = (char)('0' + (check - '0' + check_add) % 10);
	switch (form) {
	case F_LONG_DASH: snprintf(out, size, "%02d%.6s-%.3s%c", year / 100, nine, nine + 6, check); break;
	case F_LONG: snprintf(out, size, "%02d%.9s%c", year / 100, nine, check); break;
	case F_SHORT_DASH: snprintf(out, size, "%.6s-%.3s%c", nine, nine + 6, check); break;
	case F_SHORT: snprintf(out, size, "%.9s%c", nine, check); break;
	case F_SHORT_PLUS: snprintf(out, size, "%.6s+%.3s%c", nine, nine + 6, check); break;
	case F_COUNT: break;
	}
}

static bool leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* text holds exactly one span, of `kind`, and it is `what`. */
static void expect_one(const char *text, enum pii_kind kind, const char *what)
{
	struct pii_span sp[4];
	size_t n = pii_scan(text, strlen(text), sp, 4);
	const char *at = strstr(text, what);

	if (n != 1 || sp[0].kind != kind || !at || sp[0].start != (size_t)(at - text) ||
	    sp[0].end != sp[0].start + strlen(what)) {
		print_error("expected one %s \"%s\" in \"%s\", found %zu", pii_kind_name(kind), what, text, n);
		if (n)
			print_error(" first: %s [%zu, %zu) \"%.*s\"\n", pii_kind_name(sp[0].kind), sp[0].start,
				    sp[0].end, (int)(sp[0].end - sp[0].start), text + sp[0].start);
		fail();
	}
	assert_true(pii_found(text, strlen(text)));
}

static void expect_none(const char *text)
{
	struct pii_span sp[1];
	size_t n = pii_scan(text, strlen(text), sp, 1);

	if (n != 0) {
		print_error("expected nothing in \"%s\", found %s \"%.*s\"\n", text, pii_kind_name(sp[0].kind),
			    (int)(sp[0].end - sp[0].start), text + sp[0].start);
		fail();
	}
	assert_false(pii_found(text, strlen(text)));
}

/* ---- personal and coordination numbers ---- */

static void test_pnr_every_day(void **state)
{
	static const int years[] = { 1912, 1945, 1999, 2000, 2004, 2023 };
	char num[32], text[96];
	size_t y;
	int m, d, f, serial = 0;

	(void)state;
	for (y = 0; y < sizeof years / sizeof years[0]; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= days_in(years[y], m); d++)
				for (f = 0; f < F_COUNT; f++) {
					serial = (serial + 37) % 1000;
					make_number(num, sizeof num, years[y], m, d, serial, (enum form)f, 0, 0);
					snprintf(text, sizeof text, "min mamma på Solgläntan, %s, fick vänta", num);
					expect_one(text, PII_PERSONNUMMER, num);
					/*
					 * Every wrong check digit is refused.  Ten digits in a row
					 * that start with 0 are a phone number all the same
					 * (040-101 61 80 is Malmö): held either way.
					 */
					make_number(num, sizeof num, years[y], m, d, serial, (enum form)f, 0, 1 + serial % 9);
					snprintf(text, sizeof text, "min mamma på Solgläntan, %s, fick vänta", num);
					if (f == F_SHORT && num[0] == '0' && num[1] != '0')
						expect_one(text, PII_PHONE, num);
					else
						expect_none(text);
				}
}

static void test_samordningsnummer(void **state)
{
	char num[32], text[96];
	int m, d, f;

	(void)state;
	for (m = 1; m <= 12; m++)
		for (d = 1; d <= days_in(1988, m); d++)
			for (f = 0; f < F_COUNT; f++) {
				make_number(num, sizeof num, 1988, m, d, d * 7 + m, (enum form)f, 60, 0);
				snprintf(text, sizeof text, "Samordningsnr %s.", num);
				expect_one(text, PII_SAMORDNINGSNUMMER, num);
			}
	/* Day 32 + 60 and day 0 + 60 are no days. */
	make_number(num, sizeof num, 1988, 1, 32, 123, F_LONG_DASH, 60, 0);
	expect_none(num);
	make_number(num, sizeof num, 1988, 1, 0, 123, F_LONG_DASH, 60, 0);
	expect_none(num);
	/* 29 February + 60 only in a leap year. */
	make_number(num, sizeof num, 1988, 2, 29, 123, F_LONG_DASH, 60, 0);
	expect_one(num, PII_SAMORDNINGSNUMMER, num);
	make_number(num, sizeof num, 1989, 2, 29, 123, F_LONG_DASH, 60, 0);
	expect_none(num);
}

static void test_pnr_bad_dates(void **state)
{
	static const struct { int y, m, d; } bad[] = {
		{ 1945, 2, 30 }, { 1945, 4, 31 }, { 1945, 6, 31 }, { 1945, 9, 31 }, { 1945, 11, 31 },
		{ 1945, 0, 12 }, { 1945, 13, 12 }, { 1945, 12, 0 }, { 1945, 1, 32 }, { 1945, 2, 29 },
		{ 1900, 2, 29 }, { 2023, 2, 29 }, { 1945, 20, 1 }, { 1945, 99, 99 },
	};
	char num[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make_number(num, sizeof num, bad[i].y, bad[i].m, bad[i].d, 123, F_LONG_DASH, 0, 0);
		expect_none(num);
		make_number(num, sizeof num, bad[i].y, bad[i].m, bad[i].d, 123, F_LONG, 0, 0);
		expect_none(num);
	}
	/* Leap days: exact with a century, any year divisible by four without. */
	make_number(num, sizeof num, 2000, 2, 29, 123, F_LONG, 0, 0);
	expect_one(num, PII_PERSONNUMMER, num);
	make_number(num, sizeof num, 1944, 2, 29, 123, F_SHORT_DASH, 0, 0);
	expect_one(num, PII_PERSONNUMMER, num);
	make_number(num, sizeof num, 1945, 2, 29, 123, F_SHORT_DASH, 0, 0);
	expect_none(num);
	/* Only centuries 18, 19 and 20. */
	expect_one("184503121230", PII_PERSONNUMMER, "184503121230");
	expect_none("174503121230");
	expect_none("214503121230");
}

static void test_pnr_real_looking(void **state)
{
	(void)state;
	/* Skatteverket's Tolvan Tolvansson, and numbers as people paste them. */
	expect_one("Tolvan har 19121212-1212.", PII_PERSONNUMMER, "19121212-1212");
	expect_one("pnr 121212-1212", PII_PERSONNUMMER, "121212-1212");
	expect_one("121212+1212 (över hundra år)", PII_PERSONNUMMER, "121212+1212");
	expect_one("1212121212", PII_PERSONNUMMER, "1212121212");
	expect_one("191212121212", PII_PERSONNUMMER, "191212121212");
	expect_one("min far (811218-9876) fick ingen tid", PII_PERSONNUMMER, "811218-9876");
	expect_one("\"19811218-9876\"", PII_PERSONNUMMER, "19811218-9876");
	expect_one("pnr:19811218-9876;", PII_PERSONNUMMER, "19811218-9876");
	expect_one("Personnummer 19450312-1230", PII_PERSONNUMMER, "19450312-1230");
	/* A 20xx child with a leading zero is still a personal number, not a phone. */
	expect_one("barnet 050312-1238 väntade", PII_PERSONNUMMER, "050312-1238");
	/* The wrong check digit, and the right digits inside something longer. */
	expect_none("Tolvan har 19121212-1213.");
	expect_none("121212-1211");
	expect_none("11212121212");
	expect_none("1191212121212");
	expect_none("19121212-12120");
	expect_none("19121212-121");
	expect_none("ärende 19121212-1212-3");
	expect_none("ärende 7-121212-1212");
	expect_none("19121212+1212");
	expect_none("1912121-21212");
	/* Organisation numbers have a month of 20 or more. */
	expect_none("Region Värmland 232100-0156, Ericsson 556016-0680, kommunen 212000-1355");
}

/* ---- phone numbers ---- */

static void test_phone_valid(void **state)
{
	static const char *const phones[] = {
		"070-123 45 67", "070-1234567", "0701234567", "070 123 45 67", "070 12 34 567", "073-987 65 43",
		"076-123 45 67", "079-123 45 67", "072 - 123 45 67", "0701-23 45 67", "070 123 4567",
		"08-123 456 78", "08-12 34 56", "08-123 45 67", "08 123 456 78", "0812345678", "(08) 123 456 78",
		"(08)123 45 67", "(054) 12 34 56", "031-12 34 56", "031-123 45 67", "031-7123456", "054-14 00 00",
		"0570-123 45", "0570-12 34 56", "0771-11 22 33", "020-12 34 56", "010-123 45 67",
		"+46 70 123 45 67", "+46701234567", "+46 (0)70-123 45 67", "+46 (0) 70 123 45 67", "+46-70-123 45 67",
		"+46 8 123 456 78", "+4681234567", "+46 31 12 34 56", "0046 70 123 45 67", "0046701234567",
		"+46 070-123 45 67", "070\xC2\xA0" "123\xC2\xA0" "45\xC2\xA0" "67", "070\xE2\x80\x93" "123 45 67",
		"08\xE2\x80\x91" "123 456 78",
	};
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof phones / sizeof phones[0]; i++) {
		snprintf(text, sizeof text, "Ring mig på %s om ni undrar.", phones[i]);
		expect_one(text, PII_PHONE, phones[i]);
		expect_one(phones[i], PII_PHONE, phones[i]);
		snprintf(text, sizeof text, "tel:%s", phones[i]);
		expect_one(text, PII_PHONE, phones[i]);
		snprintf(text, sizeof text, "(%s)", phones[i]);
		expect_one(text, PII_PHONE, phones[i]);
	}
	/* A number that goes on: the phone is the part that fits. */
	expect_one("070-123 45 67 20 gånger", PII_PHONE, "070-123 45 67");
	expect_one("ring 08-123 456 78, 12 gånger", PII_PHONE, "08-123 456 78");
}

static void test_not_flagged(void **state)
{
	static const char *const texts[] = {
		/* years, dates, times */
		"2024", "år 2024 och 2025", "1945", "2024-03-12", "12/3", "12/3 2024", "3/12-24", "den 12 mars 2024",
		"2024-03-12 08:30", "kl. 08.30", "08.00-17.00", "öppet 08-17", "8-17", "mellan 08.00 och 16.30",
		"08:00-16:30", "v. 12", "vecka 12-14", "2023/2024", "20240312", "240312", "12.03.2024",
		"08-12-2024", "08-03-1999",
		/* money, counts, percentages */
		"15 000 kr", "1 500 000", "1 500 000 kr", "12 034 567 890 kr", "3 012 345 678 kronor", "15000 kr",
		"1500000", "0 kr", "0,5 %", "100 %", "10 000 invånare", "3-4 gånger", "ca 0-1 000 000 kr",
		"1.500.000", "2 050 000 kr", "under 0,08 procent",
		/* postcodes, short numbers, ids */
		"123 45 Karlstad", "652 25 Karlstad", "1177", "ring 1177", "112", "114 14", "0771-1177",
		"SE45 5000 0000 0583 9825 7466", "bankgiro 5050-1055", "ärendenr 1234567890",
		/* too short or too long to be a phone, or no Swedish prefix */
		"070-123 45", "070-123 45 678 9", "07012345678", "08-123 4", "0 70 123 45 67", "00 70 123 45 67",
		"+47 22 12 34 56", "+1 555 123 4567", "+4670123", "05-12 34 56", "02 03 04 05",
		"abc0701234567", "0701234567abc", "070-123 45 67kr",
		/* invalid check digits (looks like a personal number, is not) */
		"19450312-1234", "450312-1234", "4503121234", "194503121234", "19811218-9875",
		/* not e-mail addresses */
		"@anna", "anna@", "anna@region", "anna @ region.se", "a@b.c", "a@.se", "a@-x.se", "a@x-.se",
		"mejla@ mig", "@@", "x@y.s3",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		expect_none(texts[i]);
}

/* ---- e-mail addresses ---- */

static void test_email(void **state)
{
	static const char *const mails[] = {
		"anna.svensson@regionvarmland.se", "a@b.se", "x+tag@gmail.com", "åsa.öberg@kommun.se",
		"kontakt@vård-central.se", "first_last%x@mail.example.org", "0701234567@sms.telia.se",
		"19450312-1230@example.com", "n@a.co",
	};
	char text[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof mails / sizeof mails[0]; i++) {
		snprintf(text, sizeof text, "Mejla %s.", mails[i]);
		expect_one(text, PII_EMAIL, mails[i]);
		snprintf(text, sizeof text, "<%s>", mails[i]);
		expect_one(text, PII_EMAIL, mails[i]);
		expect_one(mails[i], PII_EMAIL, mails[i]);
	}
	/* Leading dots are not part of it; a trailing full stop neither. */
	expect_one("...anna@x.se...", PII_EMAIL, "anna@x.se");
	expect_one("”anna@x.se”", PII_EMAIL, "anna@x.se");
}

/* ---- several findings, spans, redaction ---- */

static void test_spans(void **state)
{
	const char *text = "Mamma 19450312-1230, ring 070-123 45 67 eller anna@x.se; pappa 121212+1212 08-123 456 78";
	struct pii_span sp[8];
	size_t n;

	(void)state;
	n = pii_scan(text, strlen(text), sp, 8);
	assert_int_equal(n, 5);
	assert_int_equal(sp[0].kind, PII_PERSONNUMMER);
	assert_int_equal(sp[1].kind, PII_PHONE);
	assert_int_equal(sp[2].kind, PII_EMAIL);
	assert_int_equal(sp[3].kind, PII_PERSONNUMMER);
	assert_int_equal(sp[4].kind, PII_PHONE);
	assert_int_equal(sp[4].end, strlen(text));
	/* More than max: the count is still right, only max are written. */
	assert_int_equal(pii_scan(text, strlen(text), sp, 2), 5);
	assert_int_equal(pii_scan(text, strlen(text), NULL, 0), 5);
	/* Two phones in a row, separated only by a space. */
	n = pii_scan("070-123 45 67 070-765 43 21", 27, sp, 8);
	assert_int_equal(n, 2);
	assert_int_equal(sp[1].start, 14);
	/* A personal number right before a phone, and a phone before an address. */
	assert_int_equal(pii_scan("19450312-1230 070-1234567", 25, sp, 8), 2);
	assert_int_equal(pii_scan("08-123 456 78.x@y.se", 20, sp, 8), 2);
	/* Only within len; NULs and broken UTF-8 are just bytes. */
	assert_int_equal(pii_scan("070-1234567", 10, sp, 8), 0);
	assert_int_equal(pii_scan("a\0b 0701234567 \xff\xfe", 18, sp, 8), 1);
	assert_int_equal(sp[0].start, 4);
	assert_int_equal(pii_scan("\xc3", 1, sp, 8), 0);
	assert_int_equal(pii_scan("x@\xc3", 3, sp, 8), 0);
	assert_int_equal(pii_scan("+4", 2, sp, 8), 0);
	assert_int_equal(pii_scan("(0", 2, sp, 8), 0);
	assert_int_equal(pii_scan("", 0, sp, 8), 0);
	assert_string_equal(pii_kind_name(PII_SAMORDNINGSNUMMER), "samordningsnummer");
	assert_string_equal(pii_kind_name(PII_EMAIL), "email");
}

static void redact_is(const char *text, const char *lang, const char *expect)
{
	struct buf b;

	buf_init(&b, 1 << 16);
	assert_int_equal(pii_redact(text, strlen(text), lang, &b), AN_OK);
	assert_non_null(b.data);
	assert_string_equal(b.data, expect);
	buf_free(&b);
}

static void test_redact(void **state)
{
	struct buf b;

	(void)state;
	redact_is("min mamma på Solgläntan, 19450312-1230, fick vänta", "sv",
		  "min mamma på Solgläntan, [personnummer], fick vänta");
	redact_is("Ring 070-123 45 67 eller mejla anna.svensson@region.se.", "sv",
		  "Ring [telefon] eller mejla [e-post].");
	redact_is("Ring 070-123 45 67 eller mejla anna.svensson@region.se.", "en",
		  "Ring [phone] eller mejla [e-mail].");
	redact_is("Samordningsnummer 19450372-1234 och 121212-1212", "en",
		  "Samordningsnummer 19450372-1234 och [personal number]");
	redact_is("Inget här: 15 000 kr, 2024-03-12, 123 45 Karlstad.", "sv",
		  "Inget här: 15 000 kr, 2024-03-12, 123 45 Karlstad.");
	redact_is("", "sv", "");
	redact_is("19121212-1212", "sv", "[personnummer]");

	buf_init(&b, 1 << 16);
	assert_int_equal(pii_redact("19121212-1212", 13, "de", &b), AN_ELANG);
	assert_int_equal(b.len, 0);
	assert_null(pii_label(PII_PHONE, NULL));
	assert_string_equal(pii_label(PII_SAMORDNINGSNUMMER, "sv"), "[personnummer]");
	buf_free(&b);
	/* A full buffer is an error, never a silently cut text. */
	buf_init(&b, 10);
	assert_int_equal(pii_redact("Ring 070-1234567 nu", 19, "sv", &b), AN_ETOOBIG);
	buf_free(&b);
}

/* A coordination number's check digit: 19450372-1234 above is refused only for its check digit. */
static void test_coordination_check(void **state)
{
	char num[32];

	(void)state;
	make_number(num, sizeof num, 1945, 3, 12, 123, F_LONG_DASH, 60, 0);
	assert_string_equal(num, "19450372-1237");
	expect_one(num, PII_SAMORDNINGSNUMMER, num);
	expect_none("19450372-1234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pnr_every_day),
		cmocka_unit_test(test_samordningsnummer),
		cmocka_unit_test(test_pnr_bad_dates),
		cmocka_unit_test(test_pnr_real_looking),
		cmocka_unit_test(test_coordination_check),
		cmocka_unit_test(test_phone_valid),
		cmocka_unit_test(test_not_flagged),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_redact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

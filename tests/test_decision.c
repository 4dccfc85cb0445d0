/*
 * test_decision.c - decision bodies: every kind normalised as curate.h
 * reads it, and each refusal with the status and message docs/API.md
 * promises (shape 400 before rules 422).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/decision.h"

/* Parse `body`, expect success, and compare the detail's compact JSON with `want` (NULL: no comparison). */
static void accepts(const char *body, const char *want, struct decision *d)
{
	struct req_error err = { 0 };
	char *got;

	if (!decision_parse(body, strlen(body), d, &err))
		fail_msg("refused %s: %u %s", body, err.status, err.msg);
	if (!want)
		return;
	got = json_dumps(d->detail, JSON_COMPACT | JSON_SORT_KEYS);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Parse `body`, expect refusal with `status` and a message containing `part`. */
static void refuses(const char *body, unsigned status, const char *part)
{
	struct req_error err = { 0 };
	struct decision d;

	if (decision_parse(body, strlen(body), &d, &err))
		fail_msg("accepted %s", body);
	assert_int_equal(err.status, status);
	if (!strstr(err.msg, part))
		fail_msg("%s: message \"%s\" lacks \"%s\"", body, err.msg, part);
	assert_null(d.detail);
}

static void test_kinds(void **state)
{
	struct decision d;

	(void)state;
	accepts("{\"kind\":\"rename\",\"theme\":\"kontinuitet\",\"label\":\"  Fast  läkare \"}",
		"{\"kind\":\"rename\",\"label\":\"Fast  läkare\",\"theme\":\"kontinuitet\"}", &d);
	assert_int_equal(d.kind, VOCAB_RENAME);
	assert_false(d.has_rev);
	decision_free(&d);

	accepts("{\"kind\":\"merge\",\"theme\":\"new-2\",\"into\":\"samverkan\",\"rev\":7}",
		"{\"into\":\"samverkan\",\"kind\":\"merge\",\"theme\":\"new-2\"}", &d);
	assert_true(d.has_rev);
	assert_int_equal(d.rev, 7);
	decision_free(&d);

	accepts("{\"kind\":\"split\",\"theme\":\"tillganglighet\",\"term\":\"telefon\",\"label\":\"Telefon\"}",
		"{\"kind\":\"split\",\"label\":\"Telefon\",\"term\":\"telefon\",\"theme\":\"tillganglighet\"}", &d);
	decision_free(&d);

	accepts("{\"kind\":\"move\",\"answer\":305,\"to\":\"b\"}", "{\"answer\":\"305\",\"kind\":\"move\",\"to\":\"b\"}", &d);
	assert_int_equal(d.answer, 305);
	decision_free(&d);
	accepts("{\"kind\":\"move\",\"answer\":7,\"from\":\"a\",\"to\":null}",
		"{\"answer\":\"7\",\"from\":\"a\",\"kind\":\"move\",\"to\":null}", &d);
	decision_free(&d);
	accepts("{\"kind\":\"move\",\"answer\":7,\"from\":null,\"to\":\"a\",\"rev\":null}",
		"{\"answer\":\"7\",\"kind\":\"move\",\"to\":\"a\"}", &d);
	decision_free(&d);

	accepts("{\"kind\":\"also\",\"answer\":12,\"theme\":\"c1\"}", "{\"answer\":\"12\",\"kind\":\"also\",\"theme\":\"c1\"}",
		&d);
	decision_free(&d);

	accepts("{\"kind\":\"themes\",\"text\":\"# egna\\na | A | alfa, beta\\nb | B | gamma\\n\"}",
		"{\"kind\":\"themes\",\"text\":\"# egna\\na | A | alfa, beta\\nb | B | gamma\\n\"}", &d);
	assert_int_equal(d.kind, VOCAB_THEMES);
	decision_free(&d);

	accepts("{\"kind\":\"undo\",\"decision\":12}", NULL, &d);
	assert_int_equal(d.kind, VOCAB_UNDO);
	assert_int_equal(d.undo, 12);
	assert_null(d.detail);
	decision_free(&d);
}

/* A decomposed "å" (a + U+030A) is stored precomposed and counts as one character. */
static void test_nfc_and_lengths(void **state)
{
	struct decision d;
	char body[1024], label[512];
	size_t i;

	(void)state;
	accepts("{\"kind\":\"rename\",\"theme\":\"t\",\"label\":\"a\\u030a\"}",
		"{\"kind\":\"rename\",\"label\":\"\xc3\xa5\",\"theme\":\"t\"}", &d);
	decision_free(&d);

	/* 100 "ö" (200 bytes) is the longest label; 101 is one too many. */
	for (i = 0; i < 101; i++)
		memcpy(label + 2 * i, "\xc3\xb6", 2);
	label[202] = '\0';
	snprintf(body, sizeof body, "{\"kind\":\"rename\",\"theme\":\"t\",\"label\":\"%.200s\"}", label);
	accepts(body, NULL, &d);
	assert_int_equal(json_string_length(json_object_get(d.detail, "label")), 200);
	decision_free(&d);
	snprintf(body, sizeof body, "{\"kind\":\"rename\",\"theme\":\"t\",\"label\":\"%s\"}", label);
	refuses(body, 422, "label is too long");
	snprintf(body, sizeof body, "{\"kind\":\"split\",\"theme\":\"t\",\"label\":\"x\",\"term\":\"%s\"}", label);
	refuses(body, 422, "term is too long");

	refuses("{\"kind\":\"rename\",\"theme\":\"t\",\"label\":\"   \"}", 422, "label is empty");
	refuses("{\"kind\":\"split\",\"theme\":\"t\",\"term\":\"\",\"label\":\"x\"}", 422, "term is empty");
	refuses("{\"kind\":\"rename\",\"theme\":\"t\",\"label\":\"a\\nb\"}", 422, "line break");
	refuses("{\"kind\":\"split\",\"theme\":\"t\",\"term\":\"a, b\",\"label\":\"x\"}", 422, "comma");
}

static void test_refusals(void **state)
{
	(void)state;
	refuses("", 400, "malformed JSON");
	refuses("[1]", 400, "JSON object");
	refuses("{\"theme\":\"a\"}", 400, "kind is required");
	refuses("{\"kind\":\"delete\"}", 422, "unknown kind");
	refuses("{\"kind\":\"rename\",\"theme\":\"a\",\"label\":\"x\",\"tehme\":\"b\"}", 400, "unknown member \"tehme\"");
	refuses("{\"kind\":\"rename\",\"label\":\"x\"}", 400, "theme must be a theme id");
	refuses("{\"kind\":\"rename\",\"theme\":\"Stor Bokstav\",\"label\":\"x\"}", 422, "a-z 0-9");
	refuses("{\"kind\":\"merge\",\"theme\":\"a\",\"into\":\"a\"}", 422, "merged into itself");
	refuses("{\"kind\":\"merge\",\"theme\":\"a\",\"into\":5}", 400, "into must be");
	refuses("{\"kind\":\"move\",\"answer\":\"305\",\"to\":\"b\"}", 400, "answer must be an integer");
	refuses("{\"kind\":\"move\",\"answer\":0,\"to\":\"b\"}", 422, "positive");
	refuses("{\"kind\":\"move\",\"answer\":3}", 400, "to is required");
	refuses("{\"kind\":\"move\",\"answer\":3,\"from\":\"b\",\"to\":\"b\"}", 422, "same theme");
	refuses("{\"kind\":\"also\",\"answer\":3}", 400, "theme must be");
	refuses("{\"kind\":\"undo\",\"decision\":-4}", 422, "positive");
	refuses("{\"kind\":\"undo\"}", 400, "decision must be");
	refuses("{\"kind\":\"rename\",\"theme\":\"a\",\"label\":\"x\",\"rev\":\"7\"}", 400, "rev");
	refuses("{\"kind\":\"rename\",\"theme\":\"a\",\"label\":\"x\",\"rev\":-1}", 400, "rev");
	refuses("{\"kind\":\"rename\",\"kind\":\"merge\"}", 400, "malformed JSON");
	refuses("{\"kind\":\"rename\",\"theme\":\"a\",\"label\":\"\xff\"}", 422, "UTF-8");
}

/* The kinds and fields a client may send are the table's (curate/vocab.h). */
static void test_table(void **state)
{
	static const char adopt[] = "{\"kind\":\"adopt\",\"id\":\"c1\"}";
	struct req_error err = { 0 };
	struct decision d;

	(void)state;
	/* Adopt is made by the server only; the message lists what a client may send. */
	assert_false(decision_parse(adopt, strlen(adopt), &d, &err));
	assert_int_equal(err.status, 422);
	assert_string_equal(err.msg, "unknown kind (rename, merge, split, move, also, themes, undo)");
	/* A split's new id is the server's to give. */
	refuses("{\"kind\":\"split\",\"theme\":\"t\",\"term\":\"x\",\"label\":\"X\",\"id\":\"c9\"}", 400,
		"unknown member \"id\" for a split decision");
	/* Fields are checked in the table's order: move's "to" before "from". */
	refuses("{\"kind\":\"move\",\"answer\":3,\"from\":\"A b\"}", 400, "to is required (a theme id, or null for no theme)");
	/* The detail keeps the table's order of fields. */
	accepts("{\"from\":\"a\",\"to\":\"b\",\"answer\":9,\"kind\":\"move\"}", NULL, &d);
	{
		char *got = json_dumps(d.detail, JSON_COMPACT);

		assert_string_equal(got, "{\"kind\":\"move\",\"answer\":\"9\",\"to\":\"b\",\"from\":\"a\"}");
		free(got);
	}
	decision_free(&d);
}

/* A themes file that does not parse is refused with the line it fails on; a huge one by size. */
static void test_themes_file(void **state)
{
	struct req_error err = { 0 };
	struct decision d;
	char *body;
	size_t n = VOCAB_TEXT_MAX + 100, i;

	(void)state;
	refuses("{\"kind\":\"themes\",\"text\":\"a | A | alfa\\nden här raden saknar fält\\n\"}", 422, "line 2");
	refuses("{\"kind\":\"themes\",\"text\":\"Ogiltigt Id | A | alfa\\n\"}", 422, "line 1");
	refuses("{\"kind\":\"themes\",\"text\":42}", 400, "text must be a string");

	body = malloc(n + 64);
	assert_non_null(body);
	i = (size_t)snprintf(body, n + 64, "{\"kind\":\"themes\",\"text\":\"");
	memset(body + i, 'x', n - i);
	snprintf(body + n, 64, "\"}");
	assert_false(decision_parse(body, strlen(body), &d, &err));
	assert_int_equal(err.status, 422);
	assert_non_null(strstr(err.msg, "64 KiB"));
	free(body);
}

static void test_ids(void **state)
{
	(void)state;
	assert_true(decision_theme_id_ok("new-12"));
	assert_true(decision_theme_id_ok("fast_lakare-2"));
	assert_false(decision_theme_id_ok(""));
	assert_false(decision_theme_id_ok("Ab"));
	assert_false(decision_theme_id_ok("a b"));
	assert_false(decision_theme_id_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 49 */
	assert_true(decision_is_discovered("new-3"));
	assert_false(decision_is_discovered("new-"));
	assert_false(decision_is_discovered("new-3a"));
	assert_false(decision_is_discovered("c3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_nfc_and_lengths),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_themes_file),
		cmocka_unit_test(test_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

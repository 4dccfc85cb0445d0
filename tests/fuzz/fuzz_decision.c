/*
 * fuzz_decision.c - libFuzzer target for server/decision.c.  A refused
 * body must come back as 400/422/500 with a message and nothing held; an
 * accepted one must be a decision the rules allow, checked here apart
 * from the code under test: only its kind's members, theme ids by the
 * themes file rule, labels and terms NFC, trimmed and 1-100 code points,
 * answer ids as positive decimal strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>
#include <unistr.h>

#include "wire/decision.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_id(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t len;

	if (!s)
		abort();
	len = strlen(s);
	if (len < 1 || len > DECISION_ID_MAX || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != len)
		abort();
}

static void check_text(const json_t *v, size_t max)
{
	const char *s = json_string_value(v);
	const uint8_t *u = (const uint8_t *)s;
	size_t len, cps, nlen = 0;
	uint8_t *nfc;

	if (!s)
		abort();
	len = strlen(s);
	if (u8_check(u, len))
		abort();
	cps = u8_mbsnlen(u, len);
	if (cps < 1 || cps > max || s[0] == ' ' || s[len - 1] == ' ')
		abort();
	nfc = u8_normalize(UNINORM_NFC, u, len, NULL, &nlen);
	if (!nfc || nlen != len || memcmp(nfc, u, len) != 0)
		abort();
	free(nfc);
}

static void check_answer(const json_t *v, int64_t id)
{
	const char *s = json_string_value(v);

	if (!s || id <= 0 || !s[0] || strspn(s, "0123456789") != strlen(s) || strtoll(s, NULL, 10) != id)
		abort();
}

/* Only these members, each present. */
static void check_members(const json_t *d, size_t n, const char *const *keys)
{
	size_t i;

	if (json_object_size(d) != n + 1 || !json_is_string(json_object_get(d, "kind")))
		abort();
	for (i = 0; i < n; i++)
		if (!json_object_get(d, keys[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req_error err;
	struct decision d;
	const json_t *x = NULL;

	if (!decision_parse((const char *)data, size, &d, &err)) {
		if ((err.status != 400 && err.status != 422 && err.status != 500) || !err.msg[0] || d.detail)
			abort();
		return 0;
	}
	if (d.has_rev && d.rev < 0)
		abort();
	switch (d.kind) {
	case VOCAB_RENAME:
		check_members(d.detail, 2, (const char *const[]){ "theme", "label" });
		check_id(json_object_get(d.detail, "theme"));
		check_text(json_object_get(d.detail, "label"), VOCAB_LABEL_MAX);
		break;
	case VOCAB_MERGE:
		check_members(d.detail, 2, (const char *const[]){ "theme", "into" });
		check_id(json_object_get(d.detail, "theme"));
		check_id(json_object_get(d.detail, "into"));
		if (json_equal(json_object_get(d.detail, "theme"), json_object_get(d.detail, "into")))
			abort();
		break;
	case VOCAB_SPLIT:
		check_members(d.detail, 3, (const char *const[]){ "theme", "term", "label" });
		check_id(json_object_get(d.detail, "theme"));
		check_text(json_object_get(d.detail, "term"), VOCAB_TERM_MAX);
		check_text(json_object_get(d.detail, "label"), VOCAB_LABEL_MAX);
		if (strpbrk(json_string_value(json_object_get(d.detail, "term")), ",|\n"))
			abort();
		break;
	case VOCAB_MOVE:
		x = json_object_get(d.detail, "from");
		check_members(d.detail, x ? 3 : 2, (const char *const[]){ "answer", "to", "from" });
		check_answer(json_object_get(d.detail, "answer"), d.answer);
		if (x)
			check_id(x);
		if (!json_is_null(json_object_get(d.detail, "to")))
			check_id(json_object_get(d.detail, "to"));
		break;
	case VOCAB_ALSO:
		check_members(d.detail, 2, (const char *const[]){ "answer", "theme" });
		check_answer(json_object_get(d.detail, "answer"), d.answer);
		check_id(json_object_get(d.detail, "theme"));
		break;
	case VOCAB_THEMES:
		check_members(d.detail, 1, (const char *const[]){ "text" });
		if (json_string_length(json_object_get(d.detail, "text")) > VOCAB_TEXT_MAX)
			abort();
		break;
	case VOCAB_UNDO:
		if (d.detail || d.undo <= 0)
			abort();
		break;
	case VOCAB_ADOPT:     /* made by the server only */
	case VOCAB_NKINDS:
		abort();
	}
	decision_free(&d);
	return 0;
}

/*
 * fuzz_validate.c - libFuzzer target for server/validate.c with arbitrary
 * bytes.  The first byte picks the code point limits, the rest is the
 * text.  Whatever validate_text accepts must be what docs/API.md promises
 * (valid UTF-8, NFC, trimmed, within the limits), and validate_id must
 * agree with a plain reading of its rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "base/srv_err.h"
#include "wire/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_space_at_start(const uint8_t *s, size_t len)
{
	ucs4_t uc;

	return len > 0 && u8_mbtouc(&uc, s, len) > 0 && uc_is_property_white_space(uc);
}

static bool is_space_at_end(const uint8_t *s, size_t len)
{
	const uint8_t *p = u8_prev(&(ucs4_t){ 0 }, s + len, s);
	ucs4_t uc;

	if (!p)
		return false;
	u8_mbtouc(&uc, p, (size_t)(s + len - p));
	return uc_is_property_white_space(uc);
}

static void check_text(const uint8_t *in, size_t len, size_t min, size_t max)
{
	char *out = (char *)1;
	int err = validate_text((const char *)in, len, min, max, &out);
	const uint8_t *u;
	size_t olen, cps, nlen = 0;
	uint8_t *nfc;

	if (err) {
		if (out || (err != SRV_EUTF8 && err != SRV_EEMPTY && err != SRV_ETOOLONG && err != SRV_ENOMEM))
			abort();
		/* Only text that is not UTF-8 (or holds a NUL, which no C string can carry) may say so. */
		if (err == SRV_EUTF8 && !u8_check(in, len) && !memchr(in, 0, len))
			abort();
		return;
	}
	if (u8_check(in, len) || memchr(in, 0, len))
		abort();
	u = (const uint8_t *)out;
	olen = strlen(out);
	cps = u8_mbsnlen(u, olen);
	if (u8_check(u, olen) || cps < min || cps > max)
		abort();
	if (is_space_at_start(u, olen) || is_space_at_end(u, olen))
		abort();
	nfc = u8_normalize(UNINORM_NFC, u, olen, NULL, &nlen);
	if (olen > 0 && (!nfc || nlen != olen || memcmp(nfc, u, olen) != 0))
		abort();
	free(nfc);
	free(out);
}

static void check_id(const uint8_t *in, size_t len)
{
	char *s = malloc(len + 1);
	bool want;
	size_t n, i;

	if (!s)
		return;
	memcpy(s, in, len);
	s[len] = '\0';
	n = strlen(s);
	want = n >= VALIDATE_ID_MIN && n <= VALIDATE_ID_MAX;
	for (i = 0; i < n && want; i++)
		want = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", s[i]) != NULL;
	if (validate_id(s) != want)
		abort();
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t limits[] = { VALIDATE_TEXT_MAX, VALIDATE_TAG_MAX, VALIDATE_TITLE_MAX,
					 VALIDATE_QUESTION_MAX, 1, 3 };
	size_t max;

	if (size == 0)
		return 0;
	max = limits[data[0] % (sizeof limits / sizeof limits[0])];
	check_text(data + 1, size - 1, (data[0] & 0x80) ? 1 : 0, max);
	check_id(data + 1, size - 1);
	return 0;
}

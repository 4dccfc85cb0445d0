/*
 * validate.c - UTF-8, NFC, trimming and length rules.
 *
 * libunistring does the Unicode work (u8_check, u8_normalize, the white
 * space property), so the rules here are only about order: check, then
 * normalise, then trim, then count, because normalisation can change both
 * the bytes and the number of code points.
 */
#include "wire/validate.h"
#include "base/srv_err.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

/*
 * True when every code point is below U+0300.  All of those have NFC quick
 * check "Yes" and combining class 0, so such text is NFC as it stands; in
 * UTF-8 they are exactly the texts without a byte >= 0xCC.  Swedish answers
 * (ASCII plus å ä ö é) nearly always qualify.
 */
static bool validate_below_u0300(const uint8_t *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] >= 0xCC)
			return false;
	return true;
}

enum srv_err validate_text(const char *in, size_t len, size_t min_cp, size_t max_cp, char **out)
{
	const uint8_t *s = (const uint8_t *)in;
	uint8_t *norm = NULL;
	size_t norm_len = 0, start = 0, end, i, cps;
	char *res;
	ucs4_t uc;
	int n;

	*out = NULL;
	/* U+0000 is UTF-8 but would silently cut the C string we return short. */
	if (u8_check(s, len) || memchr(s, 0, len))
		return SRV_EUTF8;
	if (validate_below_u0300(s, len)) {
		/* Already NFC: copy instead of paying for u8_normalize. */
		norm = malloc(len + 1);
		if (!norm)
			return SRV_ENOMEM;
		memcpy(norm, s, len);
		norm_len = len;
	} else {
		norm = u8_normalize(UNINORM_NFC, s, len, NULL, &norm_len);
		if (!norm && len > 0)
			return SRV_ENOMEM;
	}

	/* Trim leading white space one code point at a time. */
	while (start < norm_len) {
		n = u8_mbtouc(&uc, norm + start, norm_len - start);
		if (!uc_is_property_white_space(uc))
			break;
		start += (size_t)n;
	}
	/* Trim trailing white space: step back over continuation bytes. */
	end = norm_len;
	while (end > start) {
		i = end - 1;
		while (i > start && (norm[i] & 0xC0) == 0x80)
			i--;
		u8_mbtouc(&uc, norm + i, end - i);
		if (!uc_is_property_white_space(uc))
			break;
		end = i;
	}
	cps = u8_mbsnlen(norm + start, end - start);
	if (cps < min_cp) {
		free(norm);
		return SRV_EEMPTY;
	}
	if (cps > max_cp) {
		free(norm);
		return SRV_ETOOLONG;
	}
	res = malloc(end - start + 1);
	if (!res) {
		free(norm);
		return SRV_ENOMEM;
	}
	if (end > start)
		memcpy(res, norm + start, end - start);
	res[end - start] = '\0';
	free(norm);
	*out = res;
	return SRV_OK;
}

enum srv_err validate_table(const char *in, size_t len, size_t max_cp, char **out)
{
	uint8_t *t, *nfc, lead[6];
	const uint8_t *p, *end;
	size_t w = 0, n = 0;
	bool space = false, first = true;
	char *text;
	enum srv_err err = validate_text(in, len, 0, max_cp, &text);
	int k;

	*out = NULL;
	if (err)
		return err;
	t = (uint8_t *)text;
	/* Squeeze white space in place; the title-cased first letter may take more bytes, so it goes apart. */
	for (p = t, end = t + strlen((char *)t); p < end; p += k) {
		ucs4_t uc;

		k = u8_mbtouc(&uc, p, (size_t)(end - p));
		if (uc_is_property_white_space(uc)) {
			space = true;
			continue;
		}
		if (space)
			t[w++] = ' ';
		space = false;
		if (first) {
			int m = u8_uctomb(lead, uc_totitle(uc), sizeof lead);

			first = false;
			n = m > 0 ? (size_t)m : 0;
			continue;
		}
		memmove(t + w, p, (size_t)k);
		w += (size_t)k;
	}
	*out = malloc(n + w + 1);
	if (!*out) {
		free(t);
		return SRV_ENOMEM;
	}
	memcpy(*out, lead, n);
	memcpy(*out + n, t, w);
	(*out)[n + w] = '\0';
	free(t);
	/* A letter in title case next to combining marks may compose differently: NFC again. */
	if (!validate_below_u0300((uint8_t *)*out, n + w)) {
		size_t nlen = 0;

		nfc = u8_normalize(UNINORM_NFC, (uint8_t *)*out, n + w, NULL, &nlen);
		if (!nfc || !(t = realloc(nfc, nlen + 1))) {
			free(nfc);
			free(*out);
			*out = NULL;
			return SRV_ENOMEM;
		}
		t[nlen] = '\0';
		free(*out);
		*out = (char *)t;
	}
	return SRV_OK;
}

bool validate_id(const char *id)
{
	size_t i;

	assert(id);
	for (i = 0; id[i]; i++) {
		char c = id[i];
		if (i >= VALIDATE_ID_MAX)
			return false;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return i >= VALIDATE_ID_MIN;
}

bool validate_org_allowed(const char *org, const char *const *allowed, size_t n)
{
	size_t i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++)
		if (strcmp(org, allowed[i]) == 0)
			return true;
	return false;
}

/*
 * text.c - UTF-8 checking, NFC, case folding and tokenising with libunistring.
 *
 * Most answers are plain ASCII or Latin letters, so ASCII gets a fast path
 * everywhere; anything else goes through libunistring, which knows Unicode
 * properly.  The tokeniser makes no allocation per token: it fills an array
 * the caller reuses from text to text.
 */
#include "text/text.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "core/an_err.h"

#define ACRONYM_MAX_LETTERS 6

void text_tokens_free(struct text_tokens *t)
{
	free(t->v);
	t->v = NULL;
	t->len = t->cap = 0;
}

static int is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * Whether the valid UTF-8 s[0..len) is certainly NFC already: every code
 * point below U+0300 is stable under NFC (the first combining marks start
 * there), which covers Swedish and most Latin text, so u8_normalize is
 * only paid for text that might change.  Lead bytes below 0xCC encode
 * exactly the code points below U+0300.
 */
static int below_combining(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0xCC)
			return 0;
	return 1;
}

int text_valid(const char *s, size_t len)
{
	if (memchr(s, '\0', len))
		return 0;
	return u8_check((const uint8_t *)s, len) == NULL;
}

/* Copy a libunistring result into `out`, freeing it when it was malloc'd. */
static int take_result(uint8_t *res, size_t n, const uint8_t *stackbuf, struct buf *out)
{
	int err;

	if (!res)
		return AN_ENOMEM;
	buf_reset(out);
	err = buf_an_err(buf_add(out, res, n));
	if (res != stackbuf)
		free(res);
	return err;
}

enum an_err text_nfc(const char *s, size_t len, struct buf *out)
{
	uint8_t stackbuf[512];
	size_t n = sizeof(stackbuf);
	uint8_t *res;

	if (len > TEXT_MAX_LEN)
		return AN_ETOOBIG;
	if (!text_valid(s, len))
		return AN_EUTF8;
	if (below_combining(s, len)) {
		buf_reset(out);
		return buf_an_err(buf_add(out, s, len));
	}
	res = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, stackbuf, &n);
	return take_result(res, n, stackbuf, out);
}

enum an_err text_fold(const char *s, size_t len, struct buf *out)
{
	uint8_t stackbuf[512];
	size_t n = sizeof(stackbuf), i;
	uint8_t *res;
	int err;

	if (len > TEXT_MAX_LEN)
		return AN_ETOOBIG;
	if (!text_valid(s, len))
		return AN_EUTF8;
	if (is_ascii(s, len)) {
		buf_reset(out);
		if ((err = buf_an_err(buf_add(out, s, len))))
			return err;
		for (i = 0; i < len; i++)
			if (out->data[i] >= 'A' && out->data[i] <= 'Z')
				out->data[i] = (char)(out->data[i] - 'A' + 'a');
		return AN_OK;
	}
	res = u8_casefold((const uint8_t *)s, len, NULL, UNINORM_NFC, stackbuf, &n);
	return take_result(res, n, stackbuf, out);
}

enum an_err text_key(const char *s, size_t len, struct buf *out)
{
	enum an_err err = text_fold(s, len, out);
	const uint8_t *p, *end;
	size_t w = 0;
	bool space = false;

	if (err)
		return err;
	/* Squeeze in place: the key is never longer than the folded text. */
	for (p = (const uint8_t *)out->data, end = p + out->len; p && p < end;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, p, (size_t)(end - p));

		if (uc_is_property_white_space(uc)) {
			space = w > 0;
		} else {
			if (space)
				out->data[w++] = ' ';
			space = false;
			memmove(out->data + w, p, (size_t)k);
			w += (size_t)k;
		}
		p += k;
	}
	buf_truncate(out, w);
	return AN_OK;
}

static int is_word_char(ucs4_t c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	return uc_is_alpha(c) || uc_is_digit(c) || uc_is_general_category(c, UC_CATEGORY_M);
}

static int is_joiner(ucs4_t c)
{
	return c == '-' || c == '\'' || c == 0x2019;
}

static int push_token(struct text_tokens *out, size_t off, size_t len, unsigned flags)
{
	if (out->len == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 32;
		struct text_token *v = realloc(out->v, cap * sizeof(*v));

		if (!v)
			return AN_ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->len].off = off;
	out->v[out->len].len = len;
	out->v[out->len].flags = flags;
	out->len++;
	return AN_OK;
}

/*
 * Decode one code point at s[i].  u8_mbtouc turns an invalid sequence into
 * U+FFFD and always consumes at least one byte, so even unchecked input
 * cannot stall or overrun the tokeniser.
 */
static size_t decode(const char *s, size_t len, size_t i, ucs4_t *c)
{
	int n;

	if ((unsigned char)s[i] < 0x80) {
		*c = (unsigned char)s[i];
		return 1;
	}
	n = u8_mbtouc(c, (const uint8_t *)s + i, len - i);
	assert(n > 0);
	return (size_t)n;
}

enum an_err text_tokenize(const char *s, size_t len, struct text_tokens *out)
{
	size_t i = 0, capital_words = 0, long_capital_words = 0, lower_words = 0, t;
	int err;

	out->len = 0;
	while (i < len) {
		size_t start, end, chars = 0, letters = 0, uppers = 0, digits = 0, n;
		size_t head_letters = 0, head_uppers = 0;
		int in_head = 1;
		ucs4_t c;
		unsigned flags = 0;

		n = decode(s, len, i, &c);
		if (!is_word_char(c)) {
			i += n;
			continue;
		}
		start = i;
		for (;;) {
			n = decode(s, len, i, &c);
			if (c < 0x80 && is_word_char(c)) {
				chars++;
				if (c <= '9') {
					digits++;
				} else {
					letters++;
					uppers += c <= 'Z';
				}
				i += n;
			} else if (is_word_char(c)) {
				chars++;
				if (uc_is_digit(c)) {
					digits++;
				} else if (uc_is_alpha(c)) {
					letters++;
					if (uc_tolower(c) != c)
						uppers++;
				}
				i += n;
			} else if (is_joiner(c) && i + n < len) {
				ucs4_t next;

				decode(s, len, i + n, &next);
				if (!is_word_char(next))
					break;
				if (c == '-' && in_head) {
					in_head = 0;
					head_letters = letters;
					head_uppers = uppers;
				}
				i += n;
			} else {
				break;
			}
			if (i >= len)
				break;
		}
		end = i;
		if (letters == 0 && digits > 0)
			flags |= TEXT_NUMBER;
		if (letters >= 2 && uppers == letters && letters <= ACRONYM_MAX_LETTERS)
			flags |= TEXT_ACRONYM;
		if (!in_head && head_letters >= 2 && head_uppers == head_letters && head_letters <= ACRONYM_MAX_LETTERS &&
		    head_letters < letters)
			flags |= TEXT_ACRONYM_HEAD;
		if (letters >= 2 && uppers == letters) {
			capital_words++;
			long_capital_words += letters >= 5;
		}
		else if (letters >= 2)
			lower_words++;
		if (chars < 2 && !(flags & TEXT_NUMBER))
			continue;
		if ((err = push_token(out, start, end - start, flags)))
			return err;
	}
	/*
	 * In shouted text ("SLUTA GÖRA") capitals say nothing about acronyms.
	 * Acronyms are short, so it takes a long capital word to call it
	 * shouting: "SIP och KOL, AI" is not.
	 */
	if (long_capital_words && capital_words >= lower_words)
		for (t = 0; t < out->len; t++)
			out->v[t].flags &= ~(unsigned)(TEXT_ACRONYM | TEXT_ACRONYM_HEAD);
	return AN_OK;
}

/*
 * compound.c - dynamic programming over a stem's character boundaries.
 *
 * best[i] is the cheapest split of stem[0..i) into known non-final parts:
 * cost is (number of parts, minus the sum of squared part lengths), so one
 * part beats two and long parts beat short ones, which keeps "kontinuitet"
 * from becoming "konti" + "nuitet" when both happened to be known.  The final
 * part may be a known stem, since the word was stemmed before splitting
 * ("samverkansaren" ends in "aren", the stem of arena/arenor).  A bitmap of
 * the first three bytes of every known string lets the search skip start
 * positions no known part can begin at, which is most of them.
 */
#include "text/compound.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "core/an_err.h"
#include "text/lang.h"

enum { COMPOUND_FORM = 1, COMPOUND_STEM = 2 };

void compound_init(struct compound *c)
{
	dict_init(&c->known);
	c->kind = NULL;
	c->kind_cap = 0;
	memset(c->prefix3, 0, sizeof(c->prefix3));
}

static unsigned prefix_bit(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return ((unsigned)u[0] * 31u * 31u + (unsigned)u[1] * 31u + u[2]) % COMPOUND_PREFIX_BITS;
}

/* 0 when no known string starts with the 3 bytes at s (which must exist). */
static int may_start(const struct compound *c, const char *s)
{
	unsigned b = prefix_bit(s);

	return c->prefix3[b / 8] & (1u << (b % 8));
}

void compound_free(struct compound *c)
{
	dict_free(&c->known);
	free(c->kind);
	compound_init(c);
}

/* Characters, not bytes, decide whether a part is long enough; words are valid UTF-8 here. */
static size_t utf8_chars(const char *s, size_t len)
{
	return u8_mbsnlen((const uint8_t *)s, len);
}

static int mark(struct compound *c, const char *w, size_t len, uint8_t bit)
{
	uint32_t id;
	int err = dict_intern(&c->known, w, len, &id);

	if (err)
		return err;
	if (id >= c->kind_cap) {
		size_t cap = c->kind_cap ? c->kind_cap * 2 : 1024;
		uint8_t *k;

		while (cap <= id)
			cap *= 2;
		k = realloc(c->kind, cap);
		if (!k)
			return AN_ENOMEM;
		memset(k + c->kind_cap, 0, cap - c->kind_cap);
		c->kind = k;
		c->kind_cap = cap;
	}
	c->kind[id] |= bit;
	if (len >= 3) {
		unsigned b = prefix_bit(w);

		c->prefix3[b / 8] |= (uint8_t)(1u << (b % 8));
	}
	return AN_OK;
}

enum an_err compound_add(struct compound *c, struct lang *l, const char *w, size_t len)
{
	const char *stem;
	size_t stemlen;
	int err;

	if (utf8_chars(w, len) < COMPOUND_MIN_PART || len > COMPOUND_MAX_WORD)
		return AN_OK;
	if ((err = mark(c, w, len, COMPOUND_FORM)))
		return err;
	stem = lang_stem(l, w, len, &stemlen);
	if (!stem)
		return AN_ENOMEM;
	if (utf8_chars(stem, stemlen) < COMPOUND_MIN_PART)
		return AN_OK;
	return mark(c, stem, stemlen, COMPOUND_STEM);
}

static uint8_t kind_of(const struct compound *c, const char *s, size_t len)
{
	int64_t id = dict_find(&c->known, s, len);

	return id < 0 ? 0 : c->kind[id];
}

/*
 * Whether s[0..len) can be a non-final part; writes its full form.  The
 * dropped vowel is tried after the form itself, so a known "läkar" would win
 * over "läkare", which is fine: both stem alike.
 */
static int nonfinal_part(const struct compound *c, const char *s, size_t len, char *form, size_t *formlen)
{
	static const char vowels[] = "ea";
	size_t v;

	if (kind_of(c, s, len) & COMPOUND_FORM) {
		memcpy(form, s, len);
		*formlen = len;
		return 1;
	}
	for (v = 0; v < sizeof(vowels) - 1; v++) {
		memcpy(form, s, len);
		form[len] = vowels[v];
		if (kind_of(c, form, len + 1) & COMPOUND_FORM) {
			*formlen = len + 1;
			return 1;
		}
	}
	return 0;
}

struct dp_cell {
	int parts;           /* 0 = unreachable (except at position 0) */
	long score;          /* sum of squared part lengths in characters */
	size_t from;         /* where the last part started */
	size_t part_end;     /* end of the last part before any link 's' or '-' */
};

size_t compound_split(const struct compound *c, const char *stem, size_t len,
		      struct compound_part parts[COMPOUND_MAX_PARTS])
{
	struct dp_cell best[COMPOUND_MAX_WORD + 1];
	size_t i, j, n, end, chars_before[COMPOUND_MAX_WORD + 1];
	char form[COMPOUND_MAX_WORD + 2];
	int final_parts = 0;
	long final_score = 0;
	size_t final_from = 0, formlen, k;

	if (len > COMPOUND_MAX_WORD || utf8_chars(stem, len) < 2 * COMPOUND_MIN_PART)
		return 0;
	chars_before[0] = 0;
	for (i = 1; i <= len; i++)
		chars_before[i] = chars_before[i - 1] + (((unsigned char)stem[i - 1] & 0xC0) != 0x80);
	memset(best, 0, sizeof(best));
	/* best[i]: stem[0..i) is covered by non-final parts (and links). */
	for (i = 0; i < len; i++) {
		if (i > 0 && !best[i].parts)
			continue;
		if (((unsigned char)stem[i] & 0xC0) == 0x80)
			continue;
		if (best[i].parts >= COMPOUND_MAX_PARTS - 1 || i + 3 > len || !may_start(c, stem + i))
			continue;
		for (j = i + 1; j < len; j++) {
			long sq;
			size_t chars = chars_before[j] - chars_before[i], link;

			if (((unsigned char)stem[j] & 0xC0) == 0x80 || chars < COMPOUND_MIN_PART)
				continue;
			if (!nonfinal_part(c, stem + i, j - i, form, &formlen))
				continue;
			sq = best[i].score + (long)(chars * chars);
			/* The next part may start right here, after a link 's' or after a hyphen. */
			for (link = 0; link <= 1; link++) {
				struct dp_cell *cell;

				end = j + link;
				if (link && stem[j] != 's' && stem[j] != '-')
					continue;
				if (end >= len)
					continue;
				cell = &best[end];
				if (!cell->parts || best[i].parts + 1 < cell->parts ||
				    (best[i].parts + 1 == cell->parts && sq > cell->score)) {
					cell->parts = best[i].parts + 1;
					cell->score = sq;
					cell->from = i;
					cell->part_end = j;
				}
			}
		}
	}
	for (i = 1; i < len; i++) {
		size_t chars = chars_before[len] - chars_before[i];
		long sq;

		if (!best[i].parts || chars < COMPOUND_MIN_PART)
			continue;
		if (!may_start(c, stem + i) || !kind_of(c, stem + i, len - i))
			continue;
		sq = best[i].score + (long)(chars * chars);
		if (!final_parts || best[i].parts + 1 < final_parts ||
		    (best[i].parts + 1 == final_parts && sq > final_score)) {
			final_parts = best[i].parts + 1;
			final_score = sq;
			final_from = i;
		}
	}
	if (!final_parts)
		return 0;
	n = (size_t)final_parts;
	assert(n >= 2 && n <= COMPOUND_MAX_PARTS);
	/* Walk back from the final part, filling parts[] from the end. */
	parts[n - 1].len = len - final_from;
	memcpy(parts[n - 1].form, stem + final_from, len - final_from);
	parts[n - 1].form[len - final_from] = '\0';
	i = final_from;
	for (k = n - 1; k > 0; k--) {
		const struct dp_cell *cell = &best[i];
		int ok = nonfinal_part(c, stem + cell->from, cell->part_end - cell->from,
				       parts[k - 1].form, &parts[k - 1].len);

		assert(ok);
		(void)ok;
		parts[k - 1].form[parts[k - 1].len] = '\0';
		i = cell->from;
	}
	assert(i == 0);
	return n;
}

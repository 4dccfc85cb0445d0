/*
 * lang.c - language table and embedded data files.
 *
 * Adding a language: put stopwords.txt (and, for a compounding language,
 * words.txt) under analysis/data/<code>/, embed them below and add a row to
 * `languages` naming the Snowball algorithm.  Nothing else changes.
 */
#include "text/lang.h"

#include <libstemmer.h>
#include <string.h>
#include <unistr.h>

#include "core/an_err.h"
#include "core/embed.h"

EMBED_FILE(lang_sv_stop, "analysis/data/sv/stopwords.txt");
EMBED_FILE(lang_sv_words, "analysis/data/sv/words.txt");
EMBED_FILE(lang_sv_suffixes, "analysis/data/sv/suffixes.txt");
EMBED_FILE(lang_en_stop, "analysis/data/en/stopwords.txt");

struct lang_def {
	const char *code, *snowball;
	const unsigned char *stopwords, *words, *suffixes;
	int compounds;
};

static const struct lang_def languages[] = {
	{ "sv", "swedish", lang_sv_stop, lang_sv_words, lang_sv_suffixes, 1 },
	{ "en", "english", lang_en_stop, NULL, NULL, 0 },
};

int lang_each_line(const char *text, int (*fn)(void *ctx, const char *w, size_t len), void *ctx)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n'), *end, *hash;
		int err;

		if (!eol)
			eol = p + strlen(p);
		end = eol;
		hash = memchr(p, '#', (size_t)(end - p));
		if (hash)
			end = hash;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (end > p && (err = fn(ctx, p, (size_t)(end - p))))
			return err;
		p = *eol ? eol + 1 : eol;
	}
	return AN_OK;
}

static int add_stop(void *ctx, const char *w, size_t len)
{
	uint32_t id;

	return dict_intern(ctx, w, len, &id);
}

/* One line of suffixes.txt: "inflect|derive SUFFIX MIN". */
static int add_suffix(void *ctx, const char *w, size_t len)
{
	struct lang *l = ctx;
	const char *end = w + len, *kind = w, *suf, *num;
	size_t kindlen, suflen, min = 0, *n;
	struct lang_suffix *v;

	for (suf = kind; suf < end && *suf != ' ' && *suf != '\t'; suf++)
		;
	kindlen = (size_t)(suf - kind);
	while (suf < end && (*suf == ' ' || *suf == '\t'))
		suf++;
	for (num = suf; num < end && *num != ' ' && *num != '\t'; num++)
		;
	suflen = (size_t)(num - suf);
	while (num < end && (*num == ' ' || *num == '\t'))
		num++;
	if (num == end || !suflen || suflen > UINT8_MAX)
		return AN_EINVAL;
	for (; num < end; num++) {
		if (*num < '0' || *num > '9' || min > 99)
			return AN_EINVAL;
		min = min * 10 + (size_t)(*num - '0');
	}
	if (kindlen == 7 && !memcmp(kind, "inflect", 7)) {
		v = l->inflect;
		n = &l->ninflect;
	} else if (kindlen == 6 && !memcmp(kind, "derive", 6)) {
		v = l->derive;
		n = &l->nderive;
	} else {
		return AN_EINVAL;
	}
	if (*n == LANG_MAX_SUFFIXES)
		return AN_EINVAL;
	v[*n].s = suf;
	v[*n].len = (uint8_t)suflen;
	v[(*n)++].min = (uint8_t)min;
	return AN_OK;
}

int lang_known(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		if (code && !strcmp(code, languages[i].code))
			return 1;
	return 0;
}

enum an_err lang_open(struct lang *l, const char *code)
{
	size_t i;
	int err;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		if (code && !strcmp(code, languages[i].code))
			break;
	if (i == sizeof(languages) / sizeof(languages[0]))
		return AN_ELANG;
	l->code = languages[i].code;
	l->compounds = languages[i].compounds;
	l->lexicon = languages[i].words ? (const char *)languages[i].words : "";
	dict_init(&l->stop);
	l->stemmer = sb_stemmer_new(languages[i].snowball, "UTF_8");
	if (!l->stemmer)
		return AN_ELANG;
	if ((err = lang_each_line((const char *)languages[i].stopwords, add_stop, &l->stop)))
		goto fail;
	if (languages[i].suffixes && (err = lang_each_line((const char *)languages[i].suffixes, add_suffix, l)))
		goto fail;
	return AN_OK;
fail:
	lang_close(l);
	return err;
}

void lang_close(struct lang *l)
{
	if (l->stemmer)
		sb_stemmer_delete(l->stemmer);
	dict_free(&l->stop);
	memset(l, 0, sizeof(*l));
}

int lang_is_stop(const struct lang *l, const char *w, size_t len)
{
	return dict_find(&l->stop, w, len) >= 0;
}

/* Whether s[0..len) ends with `x` and keeps at least x->min characters before it. */
static int strips(const struct lang_suffix *x, const char *s, size_t len)
{
	return len > x->len && !memcmp(s + len - x->len, x->s, x->len) &&
	       u8_mbsnlen((const uint8_t *)s, len - x->len) >= x->min;
}

const char *lang_stem(struct lang *l, const char *w, size_t len, size_t *outlen)
{
	const sb_symbol *s;
	size_t i;

	if (len > 1024) {
		/* Snowball takes an int length; nothing real is this long. */
		*outlen = len;
		return w;
	}
	s = sb_stemmer_stem(l->stemmer, (const sb_symbol *)w, (int)len);
	if (!s)
		return NULL;
	*outlen = (size_t)sb_stemmer_length(l->stemmer);
	for (i = 0; i < l->ninflect; i++)
		if (strips(&l->inflect[i], (const char *)s, *outlen)) {
			*outlen -= l->inflect[i].len;
			break;
		}
	return (const char *)s;
}

size_t lang_roots(const struct lang *l, const char *s, size_t len, size_t out[LANG_MAX_ROOTS])
{
	size_t i, n = 0;

	for (i = 0; i < l->nderive && n < LANG_MAX_ROOTS; i++)
		if (strips(&l->derive[i], s, len))
			out[n++] = len - l->derive[i].len;
	return n;
}

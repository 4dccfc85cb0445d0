/*
 * themes.c - parse and compile the themes file.
 *
 * Parsing is strict and names the line, since a themes file is written by
 * hand and a silently dropped line would silently drop a theme.  Terms are
 * compiled with the same tokeniser, folding, stop words and stemmer as the
 * answers, so a term and an answer word meet in the same form.
 */
#include "themes/themes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "core/an_err.h"
#include "core/buf.h"
#include "core/embed.h"
#include "text/lang.h"
#include "text/text.h"

EMBED_FILE(themes_primarvard, "analysis/data/themes/primarvard.txt");

const char *themes_default(void)
{
	return (const char *)themes_primarvard;
}

void theme_term_free(struct theme_term *tt)
{
	size_t k;

	free(tt->text);
	for (k = 0; k < tt->nkeys; k++) {
		free(tt->keys[k]);
		free(tt->folded[k]);
	}
	memset(tt, 0, sizeof(*tt));
}

void theme_free(struct theme *th)
{
	size_t j;

	free(th->id);
	free(th->label);
	for (j = 0; j < th->nterms; j++)
		theme_term_free(&th->terms[j]);
	free(th->terms);
	memset(th, 0, sizeof(*th));
}

void themes_free(struct themes *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		theme_free(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

static char *dup_range(const char *s, const char *e)
{
	return strndup(s, (size_t)(e - s));
}

int themes_valid_id(const char *s, size_t len)
{
	size_t i;

	if (!len || len > THEMES_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static size_t count_words(const char *s, const char *e)
{
	size_t n = 0;
	int in = 0;

	for (; s < e; s++) {
		int space = *s == ' ' || *s == '\t';

		if (!space && !in)
			n++;
		in = !space;
	}
	return n;
}

/* Parse the terms field s..e into th; *why gets a message on failure. */
static int parse_terms(struct theme *th, const char *s, const char *e, const char **why)
{
	while (s <= e) {
		const char *comma = memchr(s, ',', (size_t)(e - s)), *te = comma ? comma : e, *ts = s;
		struct theme_term *tt;

		trim(&ts, &te);
		if (ts == te) {
			*why = "empty term (two commas in a row or a comma at the end?)";
			return AN_EINVAL;
		}
		if (count_words(ts, te) > THEMES_MAX_KEYS) {
			*why = "a term has more than 6 words";
			return AN_EINVAL;
		}
		if (th->nterms == THEMES_MAX_TERMS) {
			*why = "more than 512 terms in one theme";
			return AN_ETOOBIG;
		}
		tt = &th->terms[th->nterms];
		memset(tt, 0, sizeof(*tt));
		if (!(tt->text = dup_range(ts, te)))
			return AN_ENOMEM;
		th->nterms++;
		if (!comma)
			break;
		s = comma + 1;
	}
	return AN_OK;
}

static int parse_line(struct themes *t, const char *s, const char *e, const char **why)
{
	const char *bar1 = memchr(s, '|', (size_t)(e - s)), *bar2;
	const char *is = s, *ie, *ls, *le;
	struct theme *th;
	size_t i;

	bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(e - bar1 - 1)) : NULL;
	if (!bar2 || memchr(bar2 + 1, '|', (size_t)(e - bar2 - 1))) {
		*why = "expected 'id | label | term, term, ...'";
		return AN_EINVAL;
	}
	ie = bar1;
	trim(&is, &ie);
	ls = bar1 + 1;
	le = bar2;
	trim(&ls, &le);
	if (!themes_valid_id(is, (size_t)(ie - is))) {
		*why = "the id must be 1-48 characters a-z, 0-9, '-' or '_'";
		return AN_EINVAL;
	}
	if (ls == le) {
		*why = "the label is empty";
		return AN_EINVAL;
	}
	for (i = 0; i < t->n; i++)
		if (strlen(t->v[i].id) == (size_t)(ie - is) && !memcmp(t->v[i].id, is, (size_t)(ie - is))) {
			*why = "this theme id is already used on an earlier line";
			return AN_EINVAL;
		}
	if (t->n == THEMES_MAX) {
		*why = "more than 64 themes";
		return AN_ETOOBIG;
	}
	th = &t->v[t->n];
	memset(th, 0, sizeof(*th));
	t->n++;
	if (!(th->id = dup_range(is, ie)) || !(th->label = dup_range(ls, le)) ||
	    !(th->terms = calloc(THEMES_MAX_TERMS, sizeof(*th->terms))))
		return AN_ENOMEM;
	return parse_terms(th, bar2 + 1, e, why);
}

enum an_err themes_parse(struct themes *t, const char *text, size_t len, char *err, size_t errlen)
{
	const char *p = text, *end = text + len, *why = NULL;
	size_t line = 0;
	int rc = AN_OK;

	t->n = 0;
	t->v = calloc(THEMES_MAX, sizeof(*t->v));
	if (!t->v)
		return AN_ENOMEM;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *s = p, *e;

		if (!eol)
			eol = end;
		e = eol;
		line++;
		p = eol < end ? eol + 1 : end;
		if (e - s > THEMES_MAX_LINE) {
			why = "line longer than 16384 bytes";
			rc = AN_ETOOBIG;
			goto fail;
		}
		if (!text_valid(s, (size_t)(e - s))) {
			why = "not valid UTF-8";
			rc = AN_EUTF8;
			goto fail;
		}
		trim(&s, &e);
		if (s == e || *s == '#')
			continue;
		if ((rc = parse_line(t, s, e, &why)))
			goto fail;
	}
	if (!t->n) {
		why = "no themes in the file";
		rc = AN_EINVAL;
		goto fail;
	}
	return AN_OK;
fail:
	if (rc == AN_ENOMEM)
		snprintf(err, errlen, "line %zu: out of memory", line);
	else
		snprintf(err, errlen, "line %zu: %s", line, why ? why : an_strerror(rc));
	themes_free(t);
	return rc;
}

/*
 * The roots of key k, whose folded word is folded[0..len): the head of a
 * hyphenated abbreviation ("it" of "IT-stöd", "e-" of "e-hälsa"), else the
 * derivational roots of the stem.  Stemming only touches the end of a
 * word, so a head is also a prefix of the key.
 */
static void compile_roots(struct theme_term *tt, size_t k, const struct lang *l, const char *folded, size_t len,
			  unsigned flags)
{
	const char *key = tt->keys[k], *dash = memchr(folded, '-', len);
	size_t keylen = strlen(key), n, i, roots[LANG_MAX_ROOTS];

	tt->nroots[k] = 0;
	tt->root_prefix[k] = 0;
	if (flags & (TEXT_ACRONYM | TEXT_NUMBER))
		return;
	if (dash) {
		size_t head = (size_t)(dash - folded);

		/* One letter keeps its hyphen, so "e-" never meets a word "e". */
		if (u8_mbsnlen((const uint8_t *)folded, head) == 1)
			head++;
		else if (!(flags & TEXT_ACRONYM_HEAD))
			return;
		if (head < keylen && !memcmp(key, folded, head))
			tt->roots[k][tt->nroots[k]++] = (uint16_t)head;
		return;
	}
	n = keylen <= UINT16_MAX ? lang_roots(l, key, keylen, roots) : 0;
	for (i = 0; i < n; i++) {
		tt->roots[k][tt->nroots[k]] = (uint16_t)roots[i];
		if (u8_mbsnlen((const uint8_t *)key, roots[i]) >= THEMES_MIN_PREFIX)
			tt->root_prefix[k] |= (uint8_t)(1u << tt->nroots[k]);
		tt->nroots[k]++;
	}
}

static int compile_term(struct theme_term *tt, struct lang *l, struct buf *nfc, struct buf *fold,
			struct text_tokens *toks)
{
	size_t i;
	int err;

	if ((err = text_nfc(tt->text, strlen(tt->text), nfc)) ||
	    (err = text_tokenize(nfc->data, nfc->len, toks)))
		return err;
	for (i = 0; i < toks->len && tt->nkeys < THEMES_MAX_KEYS; i++) {
		const struct text_token *tk = &toks->v[i];
		const char *key;
		size_t keylen, k = tt->nkeys, chars = 0, j;

		if ((err = text_fold(nfc->data + tk->off, tk->len, fold)))
			return err;
		if (!(tk->flags & TEXT_ACRONYM) && lang_is_stop(l, fold->data, fold->len))
			continue;
		if (tk->flags & (TEXT_ACRONYM | TEXT_NUMBER)) {
			key = fold->data;
			keylen = fold->len;
		} else if (!(key = lang_stem(l, fold->data, fold->len, &keylen))) {
			return AN_ENOMEM;
		}
		for (j = 0; j < keylen; j++)
			chars += ((unsigned char)key[j] & 0xC0) != 0x80;
		if (!(tt->keys[k] = strndup(key, keylen)) || !(tt->folded[k] = strndup(fold->data, fold->len))) {
			free(tt->keys[k]);
			tt->keys[k] = NULL;
			return AN_ENOMEM;
		}
		tt->prefix[k] = !(tk->flags & (TEXT_ACRONYM | TEXT_NUMBER)) && chars >= THEMES_MIN_PREFIX;
		compile_roots(tt, k, l, fold->data, fold->len, tk->flags);
		tt->nkeys++;
	}
	return AN_OK;
}

enum an_err themes_compile(struct themes *t, struct lang *l)
{
	struct buf nfc, fold;
	struct text_tokens toks = { 0 };
	size_t i, j;
	int err = AN_OK;

	buf_init(&nfc, 4 * THEMES_MAX_LINE);
	buf_init(&fold, 4 * THEMES_MAX_LINE);
	for (i = 0; i < t->n && !err; i++)
		for (j = 0; j < t->v[i].nterms && !err; j++)
			if (!t->v[i].terms[j].nkeys)
				err = compile_term(&t->v[i].terms[j], l, &nfc, &fold, &toks);
	buf_free(&nfc);
	buf_free(&fold);
	text_tokens_free(&toks);
	return err;
}

/*
 * words.c - word counts for the presenter's word cloud.
 *
 * Built on the corpus: every call makes its own language (and so its own
 * Snowball stemmer) and corpus, which is what makes it thread-safe.  No
 * compound splitting: a cloud should show the words people wrote.  A word
 * counts once per answer, so one long answer that repeats a word cannot
 * fill the cloud, and numbers are left out.
 */
#include "text/words.h"

#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "text/corpus.h"
#include "text/lang.h"

static int cmp_entry(const void *a, const void *b)
{
	const struct words_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->word, y->word);
}

void words_free(struct words *w)
{
	size_t i;

	for (i = 0; i < w->len; i++)
		free(w->v[i].word);
	free(w->v);
	w->v = NULL;
	w->len = 0;
}

enum an_err words_count(struct words *out, const char *lang, const char *const *texts, size_t n, size_t max)
{
	struct lang l;
	struct corpus c;
	uint32_t *surface = NULL, *last = NULL;
	unsigned *count = NULL;
	size_t i, d, nterms;
	int err;

	out->v = NULL;
	out->len = 0;
	if ((err = lang_open(&l, lang)))
		return err;
	corpus_init(&c, &l);
	for (i = 0; i < n; i++) {
		if (!texts[i])
			continue;
		err = corpus_add(&c, texts[i], strlen(texts[i]));
		if (err && err != AN_EUTF8)
			goto out;
	}
	if ((err = corpus_finish(&c, 0, NULL, 0)))
		goto out;
	err = AN_ENOMEM;
	nterms = c.terms.n;
	surface = corpus_surfaces(&c);
	count = calloc(nterms ? nterms : 1, sizeof(*count));
	out->v = calloc(nterms ? nterms : 1, sizeof(*out->v));
	if (!surface || !count || !out->v)
		goto out;
	/* Answers per stem: last[] remembers the last answer that counted it. */
	last = calloc(nterms ? nterms : 1, sizeof(*last));
	if (!last)
		goto out;
	for (d = 0; d < c.ndocs; d++)
		for (i = c.doc_start[d]; i < c.doc_start[d + 1]; i++) {
			const struct corpus_word *w = &c.w[c.tok[i]];

			if (w->flags & CORPUS_NUMBER || last[w->term] == d + 1)
				continue;
			last[w->term] = (uint32_t)d + 1;
			count[w->term]++;
		}
	for (i = 0; i < nterms; i++) {
		if (!count[i] || surface[i] == UINT32_MAX)
			continue;
		out->v[out->len].word = strdup(dict_str(&c.words, surface[i]));
		if (!out->v[out->len].word)
			goto out;
		out->v[out->len++].count = count[i];
	}
	qsort(out->v, out->len, sizeof(*out->v), cmp_entry);
	while (out->len > max)
		free(out->v[--out->len].word);
	err = AN_OK;
out:
	if (err)
		words_free(out);
	free(surface);
	free(last);
	free(count);
	corpus_free(&c);
	lang_close(&l);
	return err;
}

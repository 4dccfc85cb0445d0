/*
 * phrase.c - the phrase that best names a group of answers (phrase.h).
 *
 * The texts are tokenised again (the corpus keeps no offsets), but every
 * token is mapped to its word through the corpus's own table
 * (corpus_lookup), so a phrase's words are exactly the words the analysis
 * saw.  Phrases and their written forms are interned in two small
 * dicts; counts live in arrays indexed by id, so the result depends on the
 * order of the answers only through the tie-breaks.
 */
#include "text/phrase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "core/buf.h"
#include "core/dict.h"
#include "text/text.h"

#include <unistr.h>

enum kind { CONTENT, STOP, OTHER };

struct phrase {
	uint32_t answers;     /* answers using it */
	uint32_t last;        /* the answer that counted last, + 1 */
	double weight;        /* its content words' weights */
	uint8_t words;        /* content words */
};

struct form {
	uint32_t phrase, count;
};

struct finder {
	const struct corpus *c;
	const double *weight;
	struct dict keys, forms;
	struct phrase *phrases;
	size_t phrases_cap;
	struct form *form;
	size_t form_cap;
	struct buf nfc, fold, key, shown;
	struct text_tokens toks;
	uint8_t *kinds;                  /* token -> enum kind, one answer */
	uint32_t *terms;                 /* token -> term of a content token */
	size_t kinds_cap, terms_cap;
};

/* Only blanks between the end of token a and the start of token b. */
static int adjacent(const char *s, const struct text_token *a, const struct text_token *b)
{
	size_t i;

	for (i = a->off + a->len; i < b->off; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Record the run of tokens s..e of answer `answer` (its key is in f->key). */
static int record(struct finder *f, size_t answer, size_t s, size_t e, double weight, uint8_t words)
{
	const char *text = f->nfc.data;
	uint32_t id, fid;
	size_t before = f->keys.n, i;
	char num[16];
	int err;

	if ((err = dict_intern(&f->keys, f->key.data, f->key.len, &id)))
		return err;
	if (f->keys.n > before) {
		if ((err = buf_grow_array((void **)&f->phrases, &f->phrases_cap, f->keys.n, sizeof(*f->phrases))))
			return err;
		memset(&f->phrases[id], 0, sizeof(f->phrases[id]));
		f->phrases[id].weight = weight;
		f->phrases[id].words = words;
	}
	if (f->phrases[id].last != answer + 1) {
		f->phrases[id].last = (uint32_t)answer + 1;
		f->phrases[id].answers++;
	}
	/* The written form: acronyms as written (capitals), other words folded. */
	buf_reset(&f->shown);
	snprintf(num, sizeof(num), "%u|", id);
	if ((err = buf_an_err(buf_adds(&f->shown, num))))
		return err;
	for (i = s; i <= e; i++) {
		const struct text_token *tk = &f->toks.v[i];

		if (i > s && (err = buf_an_err(buf_addc(&f->shown, ' '))))
			return err;
		if (tk->flags & TEXT_ACRONYM)
			err = buf_an_err(buf_add(&f->shown, text + tk->off, tk->len));
		else if (!(err = text_fold(text + tk->off, tk->len, &f->fold)))
			err = buf_an_err(buf_add(&f->shown, f->fold.data, f->fold.len));
		if (err)
			return err;
	}
	before = f->forms.n;
	if ((err = dict_intern(&f->forms, f->shown.data, f->shown.len, &fid)))
		return err;
	if (f->forms.n > before) {
		if ((err = buf_grow_array((void **)&f->form, &f->form_cap, f->forms.n, sizeof(*f->form))))
			return err;
		f->form[fid].phrase = id;
		f->form[fid].count = 0;
	}
	f->form[fid].count++;
	return AN_OK;
}

/* Every candidate run of one answer's text. */
static int scan(struct finder *f, size_t answer, const char *text)
{
	const struct corpus *c = f->c;
	size_t s, e, i, n;
	int err;

	if ((err = text_nfc(text, strlen(text), &f->nfc)) || (err = text_tokenize(f->nfc.data, f->nfc.len, &f->toks)))
		return err == AN_EUTF8 ? AN_OK : err;
	n = f->toks.len;
	if ((err = buf_grow_array((void **)&f->kinds, &f->kinds_cap, n + 1, 1)) ||
	    (err = buf_grow_array((void **)&f->terms, &f->terms_cap, n + 1, sizeof(*f->terms))))
		return err;
	for (i = 0; i < n; i++) {
		const struct text_token *tk = &f->toks.v[i];
		uint32_t w = corpus_lookup(c, f->nfc.data + tk->off, tk->len, tk->flags);

		f->kinds[i] = w == CORPUS_STOP_WORD ? STOP : OTHER;
		/* Content: a word the corpus kept, not a number, of two characters or more. */
		if (w != CORPUS_STOP_WORD && w != CORPUS_UNKNOWN && !(c->w[w].flags & CORPUS_NUMBER) &&
		    u8_mbsnlen((const uint8_t *)f->nfc.data + tk->off, tk->len) >= 2) {
			f->kinds[i] = CONTENT;
			f->terms[i] = c->w[w].term;
		}
	}
	for (s = 0; s < n; s++) {
		double weight = 0;
		uint8_t words = 0, stops = 0;

		if (f->kinds[s] != CONTENT)
			continue;
		buf_reset(&f->key);
		for (e = s; e < n; e++) {
			char part[24];

			if (e > s && !adjacent(f->nfc.data, &f->toks.v[e - 1], &f->toks.v[e]))
				break;
			if (f->kinds[e] == OTHER)
				break;
			if (f->kinds[e] == STOP) {
				const struct text_token *tk = &f->toks.v[e];

				if (++stops > 1)
					break;
				if ((err = text_fold(f->nfc.data + tk->off, tk->len, &f->fold)))
					return err;
				if ((err = buf_an_err(buf_addc(&f->key, 'S'))) ||
				    (err = buf_an_err(buf_add(&f->key, f->fold.data, f->fold.len))) ||
				    (err = buf_an_err(buf_addc(&f->key, ','))))
					return err;
				continue;
			}
			if (++words > PHRASE_MAX_WORDS)
				break;
			weight += f->weight[f->terms[e]];
			snprintf(part, sizeof(part), "T%u,", f->terms[e]);
			if ((err = buf_an_err(buf_adds(&f->key, part))) || (err = record(f, answer, s, e, weight, words)))
				return err;
		}
	}
	return AN_OK;
}

/* The text of form i, after its "id|". */
static const char *form_text(const struct finder *f, uint32_t i)
{
	return strchr(dict_str(&f->forms, i), '|') + 1;
}

/*
 * For each phrase, the form people wrote it in most often (ties: the
 * smaller text): a malloc'd array of form ids, NULL when out of memory.
 */
static uint32_t *shown_forms(const struct finder *f)
{
	uint32_t *best = malloc((f->keys.n ? f->keys.n : 1) * sizeof(*best)), i;

	if (!best)
		return NULL;
	for (i = 0; i < f->keys.n; i++)
		best[i] = UINT32_MAX;
	for (i = 0; i < f->forms.n; i++) {
		uint32_t p = f->form[i].phrase, b = best[p];

		if (b == UINT32_MAX || f->form[i].count > f->form[b].count ||
		    (f->form[i].count == f->form[b].count && strcmp(form_text(f, i), form_text(f, b)) < 0))
			best[p] = i;
	}
	return best;
}

enum an_err phrase_best(const struct corpus *c, const char *const *texts, const uint32_t *docs, size_t n,
			const double *weight, char **out)
{
	struct finder f;
	size_t i, min = n >= 2 ? 2 : 1;
	int64_t best = -1;
	double best_score = 0;
	const char *best_form = NULL;
	uint32_t *form = NULL;
	int err = AN_OK;

	*out = NULL;
	memset(&f, 0, sizeof(f));
	f.c = c;
	f.weight = weight;
	dict_init(&f.keys);
	dict_init(&f.forms);
	buf_init(&f.nfc, 4u * TEXT_MAX_LEN);
	buf_init(&f.fold, 4u * TEXT_MAX_LEN);
	buf_init(&f.key, 4u * TEXT_MAX_LEN);
	buf_init(&f.shown, 4u * TEXT_MAX_LEN);
	for (i = 0; i < n && !err; i++)
		err = scan(&f, i, texts[docs[i]] ? texts[docs[i]] : "");
	if (!err && f.keys.n && !(form = shown_forms(&f)))
		err = AN_ENOMEM;
	for (i = 0; i < f.keys.n && !err; i++) {
		const struct phrase *p = &f.phrases[i];
		double score = (double)p->answers / (double)n * p->weight;
		const char *text;

		if (p->answers < min)
			continue;
		text = form_text(&f, form[i]);
		if (best < 0 || score > best_score ||
		    (score == best_score && (p->words < f.phrases[best].words ||
					     (p->words == f.phrases[best].words && strcmp(text, best_form) < 0)))) {
			best = (int64_t)i;
			best_score = score;
			best_form = text;
		}
	}
	if (!err && best >= 0 && !(*out = strdup(best_form)))
		err = AN_ENOMEM;
	dict_free(&f.keys);
	dict_free(&f.forms);
	free(form);
	free(f.phrases);
	free(f.form);
	buf_free(&f.nfc);
	buf_free(&f.fold);
	buf_free(&f.key);
	buf_free(&f.shown);
	text_tokens_free(&f.toks);
	free(f.kinds);
	free(f.terms);
	return err;
}

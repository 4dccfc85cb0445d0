/*
 * corpus.c - tokens to words to terms, and the TF-IDF matrix.
 *
 * A token as written (with a byte saying whether it was an acronym) is
 * looked up in `raw` first; only a new spelling is folded and stop-checked.
 * Stop words map to NO_WORD and never enter the token stream.  Stemming and
 * compound splitting wait for corpus_finish, when every corpus word is known
 * and can serve as a compound part of the others.
 */
#include "text/corpus.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "core/an_err.h"
#include "text/lang.h"

#define NO_WORD UINT32_MAX
#define CORPUS_TEXT_BUF (4u * TEXT_MAX_LEN)
#define MIN_CORPUS_PART 4   /* characters: shorter corpus words make too many false splits */

void corpus_init(struct corpus *c, struct lang *l)
{
	memset(c, 0, sizeof(*c));
	c->lang = l;
	dict_init(&c->raw);
	dict_init(&c->words);
	dict_init(&c->terms);
	buf_init(&c->nfc, CORPUS_TEXT_BUF);
	buf_init(&c->fold, CORPUS_TEXT_BUF);
	buf_init(&c->key, CORPUS_TEXT_BUF);
}

void corpus_free(struct corpus *c)
{
	dict_free(&c->raw);
	dict_free(&c->words);
	dict_free(&c->terms);
	free(c->raw_word);
	free(c->w);
	free(c->doc_start);
	free(c->tok);
	buf_free(&c->nfc);
	buf_free(&c->fold);
	buf_free(&c->key);
	text_tokens_free(&c->toks);
	memset(c, 0, sizeof(*c));
}

/* Characters, not bytes, decide whether a part is long enough; words are valid UTF-8 here. */
static size_t utf8_chars(const char *s, size_t len)
{
	return u8_mbsnlen((const uint8_t *)s, len);
}

/* Intern a folded word; new words start with no terms and no tokens. */
static int word_intern(struct corpus *c, const char *s, size_t len, uint8_t flags, uint32_t *id)
{
	size_t before = c->words.n;
	int err = dict_intern(&c->words, s, len, id);

	if (err)
		return err;
	if (c->words.n > before) {
		if ((err = buf_grow_array((void **)&c->w, &c->w_cap, c->words.n, sizeof(*c->w))))
			return err;
		memset(&c->w[*id], 0, sizeof(c->w[*id]));
	}
	c->w[*id].flags |= flags;
	return AN_OK;
}

static int end_doc(struct corpus *c)
{
	c->ndocs++;
	c->doc_start[c->ndocs] = (uint32_t)c->ntok;
	return AN_OK;
}

uint32_t corpus_lookup(const struct corpus *c, const char *tok, size_t len, unsigned tflags)
{
	char key[256];
	int64_t raw;

	if (len + 1 > sizeof(key))
		return CORPUS_UNKNOWN;
	key[0] = (tflags & TEXT_ACRONYM) ? 'A' : 'w';
	memcpy(key + 1, tok, len);
	if ((raw = dict_find(&c->raw, key, len + 1)) < 0)
		return CORPUS_UNKNOWN;
	return c->raw_word[raw] == NO_WORD ? CORPUS_STOP_WORD : c->raw_word[raw];
}

/* Map one token as written to its word id, or NO_WORD for a stop word. */
static int token_word(struct corpus *c, const char *tok, size_t len, unsigned tflags, uint32_t *word)
{
	uint32_t raw;
	size_t before = c->raw.n;
	uint8_t flags = CORPUS_WRITTEN;
	int err;

	buf_reset(&c->key);
	if (buf_addc(&c->key, (tflags & TEXT_ACRONYM) ? 'A' : 'w') || buf_add(&c->key, tok, len))
		return AN_ETOOBIG;
	if ((err = dict_intern(&c->raw, c->key.data, c->key.len, &raw)))
		return err;
	if (c->raw.n == before) {
		*word = c->raw_word[raw];
		return AN_OK;
	}
	if ((err = buf_grow_array((void **)&c->raw_word, &c->raw_cap, c->raw.n, sizeof(*c->raw_word))))
		return err;
	if ((err = text_fold(tok, len, &c->fold)))
		return err;
	if (tflags & TEXT_ACRONYM)
		flags |= CORPUS_ACRONYM;
	if (tflags & TEXT_NUMBER)
		flags |= CORPUS_NUMBER;
	if (tflags & TEXT_ACRONYM_HEAD)
		flags |= CORPUS_ACRONYM_HEAD;
	if (!(tflags & TEXT_ACRONYM) && lang_is_stop(c->lang, c->fold.data, c->fold.len)) {
		c->raw_word[raw] = NO_WORD;
	} else {
		if ((err = word_intern(c, c->fold.data, c->fold.len, flags, &c->raw_word[raw])))
			return err;
	}
	*word = c->raw_word[raw];
	return AN_OK;
}

enum an_err corpus_add(struct corpus *c, const char *text, size_t len)
{
	size_t t;
	int err, text_err;

	assert(!c->finished);
	if (c->ndocs >= CORPUS_MAX_DOCS)
		return AN_ETOOBIG;
	if ((err = buf_grow_array((void **)&c->doc_start, &c->doc_cap, c->ndocs + 2, sizeof(*c->doc_start))))
		return err;
	c->doc_start[c->ndocs] = (uint32_t)c->ntok;
	text_err = text_nfc(text, len, &c->nfc);
	if (text_err == AN_EUTF8) {
		end_doc(c);
		return AN_EUTF8;
	}
	if (text_err)
		return text_err;
	if ((err = text_tokenize(c->nfc.data, c->nfc.len, &c->toks)))
		return err;
	if (c->ntok + c->toks.len > CORPUS_MAX_TOKENS)
		return AN_ETOOBIG;
	if ((err = buf_grow_array((void **)&c->tok, &c->tok_cap, c->ntok + c->toks.len, sizeof(*c->tok))))
		return err;
	for (t = 0; t < c->toks.len; t++) {
		const struct text_token *tk = &c->toks.v[t];
		uint32_t word;

		if ((err = token_word(c, c->nfc.data + tk->off, tk->len, tk->flags, &word)))
			return err;
		if (word != NO_WORD)
			c->tok[c->ntok++] = word;
	}
	return end_doc(c);
}

struct known_ctx {
	struct compound *known;
	struct lang *lang;
};

static int add_known(void *ctx, const char *w, size_t len)
{
	struct known_ctx *k = ctx;

	return compound_add(k->known, k->lang, w, len);
}

static int term_intern_stem(struct corpus *c, const char *w, size_t len, uint32_t *term)
{
	const char *stem;
	size_t stemlen;

	stem = lang_stem(c->lang, w, len, &stemlen);
	if (!stem)
		return AN_ENOMEM;
	return dict_intern(&c->terms, stem, stemlen, term);
}

/* Split word `id` (whose stem is stem[0..stemlen)) and record its parts. */
static int split_word(struct corpus *c, const struct compound *known, uint32_t id, const char *stem, size_t stemlen)
{
	struct compound_part parts[COMPOUND_MAX_PARTS];
	size_t n = compound_split(known, stem, stemlen, parts), k, final_from;
	const char *word;
	size_t wordlen;
	int err;

	if (!n)
		return AN_OK;
	for (k = 0; k + 1 < n; k++) {
		uint32_t surface, term;

		if ((err = term_intern_stem(c, parts[k].form, parts[k].len, &term)) ||
		    (err = word_intern(c, parts[k].form, parts[k].len, 0, &surface)))
			return err;
		c->w[id].part_term[k] = term;
		c->w[id].part_surface[k] = surface;
	}
	final_from = stemlen - parts[n - 1].len;
	if ((err = dict_intern(&c->terms, parts[n - 1].form, parts[n - 1].len, &c->w[id].part_term[n - 1])))
		return err;
	/* Show the final part as written ("arenor"), not as the stem ("aren"). */
	word = dict_str(&c->words, id);
	wordlen = dict_strlen(&c->words, id);
	if (wordlen >= stemlen && wordlen - final_from <= COMPOUND_MAX_WORD && !memcmp(word, stem, final_from)) {
		/* Copy first: interning may move the arena `word` points into. */
		char tail[COMPOUND_MAX_WORD];
		size_t taillen = wordlen - final_from;

		memcpy(tail, word + final_from, taillen);
		err = word_intern(c, tail, taillen, 0, &c->w[id].part_surface[n - 1]);
	} else {
		err = word_intern(c, parts[n - 1].form, parts[n - 1].len, 0, &c->w[id].part_surface[n - 1]);
	}
	if (err)
		return err;
	c->w[id].nparts = (uint8_t)n;
	return AN_OK;
}

/*
 * Split word `id`, written with hyphens, at them.  The pieces' terms and
 * surfaces are interned first and the word's entry looked up again after,
 * since interning may move c->w and the word's bytes.
 */
static int split_hyphens(struct corpus *c, uint32_t id)
{
	char word[COMPOUND_MAX_WORD + 2];
	size_t len = dict_strlen(&c->words, id), from = 0, n = 0;
	uint32_t terms[COMPOUND_MAX_PARTS], surfaces[COMPOUND_MAX_PARTS];
	int head_acronym = (c->w[id].flags & CORPUS_ACRONYM_HEAD) != 0, err;

	if (len > COMPOUND_MAX_WORD)
		return AN_OK;
	memcpy(word, dict_str(&c->words, id), len);
	while (from < len && n < COMPOUND_MAX_PARTS) {
		const char *p = word + from, *dash = memchr(p, '-', len - from);
		size_t plen = dash ? (size_t)(dash - p) : len - from, i;
		uint8_t flags = 0;

		from += plen + 1;
		for (i = 0; i < plen && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (!plen || i == plen)
			continue;
		if (utf8_chars(p, plen) == 1) {
			/* "e-" (elektronisk) is a part of its own: e-tjänster, e-hälsa. */
			char letter[8];

			memcpy(letter, p, plen);
			letter[plen] = '-';
			err = dict_intern(&c->terms, letter, plen + 1, &terms[n]);
			if (!err)
				err = word_intern(c, letter, plen + 1, 0, &surfaces[n]);
		} else if (n == 0 && head_acronym) {
			flags = CORPUS_ACRONYM;
			err = dict_intern(&c->terms, p, plen, &terms[n]);
			if (!err)
				err = word_intern(c, p, plen, flags, &surfaces[n]);
		} else {
			err = term_intern_stem(c, p, plen, &terms[n]);
			if (!err)
				err = word_intern(c, p, plen, 0, &surfaces[n]);
		}
		if (err)
			return err;
		n++;
	}
	memcpy(c->w[id].part_term, terms, n * sizeof(*terms));
	memcpy(c->w[id].part_surface, surfaces, n * sizeof(*surfaces));
	c->w[id].nparts = (uint8_t)n;
	return AN_OK;
}

enum an_err corpus_finish(struct corpus *c, int split, const char *const *extra, size_t nextra)
{
	struct compound known;
	size_t nwords = c->words.n, i;
	char stem[COMPOUND_MAX_WORD + 1];
	int err = AN_OK;

	assert(!c->finished);
	/* Counted here, not per token in corpus_add, to keep that loop to the dict lookup. */
	for (i = 0; i < c->ntok; i++)
		c->w[c->tok[i]].freq++;
	compound_init(&known);
	split = split && c->lang->compounds;
	if (split) {
		struct known_ctx kc = { &known, c->lang };

		if ((err = lang_each_line(c->lang->lexicon, add_known, &kc)))
			goto fail;
		for (i = 0; i < nextra; i++)
			if ((err = compound_add(&known, c->lang, extra[i], strlen(extra[i]))))
				goto fail;
		for (i = 0; i < nwords; i++) {
			const char *w = dict_str(&c->words, (uint32_t)i);
			size_t len = dict_strlen(&c->words, (uint32_t)i);

			if (c->w[i].flags & (CORPUS_ACRONYM | CORPUS_NUMBER) || utf8_chars(w, len) < MIN_CORPUS_PART)
				continue;
			if ((err = compound_add(&known, c->lang, w, len)))
				goto fail;
		}
	}
	for (i = 0; i < nwords; i++) {
		const char *w = dict_str(&c->words, (uint32_t)i);
		size_t len = dict_strlen(&c->words, (uint32_t)i), stemlen;
		const char *s;

		if (c->w[i].flags & (CORPUS_ACRONYM | CORPUS_NUMBER)) {
			if ((err = dict_intern(&c->terms, w, len, &c->w[i].term)))
				goto fail;
			continue;
		}
		s = lang_stem(c->lang, w, len, &stemlen);
		if (!s) {
			err = AN_ENOMEM;
			goto fail;
		}
		if ((err = dict_intern(&c->terms, s, stemlen, &c->w[i].term)))
			goto fail;
		if (split && memchr(w, '-', len)) {
			if ((err = split_hyphens(c, (uint32_t)i)))
				goto fail;
		} else if (split && stemlen <= COMPOUND_MAX_WORD) {
			memcpy(stem, s, stemlen);
			if ((err = split_word(c, &known, (uint32_t)i, stem, stemlen)))
				goto fail;
		}
	}
	/* Words added above as part surfaces only carry no terms of their own. */
	c->finished = 1;
fail:
	compound_free(&known);
	return err;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Answers are short: insertion sort beats qsort's setup for a few dozen terms. */
static void sort_terms(uint32_t *v, size_t n)
{
	size_t i, j;

	if (n > 48) {
		qsort(v, n, sizeof(*v), cmp_u32);
		return;
	}
	for (i = 1; i < n; i++) {
		uint32_t x = v[i];

		for (j = i; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* Fill m->weight from counts and df: (1 + ln tf) * smooth idf, rows L2-normalised. */
static int weigh(struct corpus_matrix *m)
{
	size_t nnz = m->doc_start[m->ndocs], i, d;
	double *idf = malloc((m->nterms ? m->nterms : 1) * sizeof(*idf));

	m->weight = malloc((nnz ? nnz : 1) * sizeof(*m->weight));
	if (!m->weight || !idf) {
		free(idf);
		return AN_ENOMEM;
	}
	for (i = 0; i < m->nterms; i++)
		idf[i] = log((1.0 + (double)m->ndocs) / (1.0 + (double)m->df[i])) + 1.0;
	for (d = 0; d < m->ndocs; d++) {
		double norm = 0;

		for (i = m->doc_start[d]; i < m->doc_start[d + 1]; i++) {
			double w = (m->count[i] == 1 ? 1.0 : 1.0 + log((double)m->count[i])) * idf[m->term[i]];

			m->weight[i] = (float)w;
			norm += w * w;
		}
		norm = sqrt(norm);
		for (i = m->doc_start[d]; i < m->doc_start[d + 1]; i++)
			m->weight[i] = (float)(m->weight[i] / norm);
	}
	free(idf);
	return AN_OK;
}

void corpus_matrix_free(struct corpus_matrix *m)
{
	free(m->doc_start);
	free(m->term);
	free(m->count);
	free(m->df);
	free(m->weight);
	memset(m, 0, sizeof(*m));
}

enum an_err corpus_matrix(const struct corpus *c, const uint32_t *docs, size_t ndocs, struct corpus_matrix *m)
{
	uint32_t *scratch = NULL;
	size_t scratch_cap = 0, cap = 0, nnz = 0, d, i;
	int err = AN_ENOMEM;

	assert(c->finished);
	memset(m, 0, sizeof(*m));
	if (!docs)
		ndocs = c->ndocs;
	m->ndocs = ndocs;
	m->nterms = c->terms.n;
	m->doc_start = malloc((ndocs + 1) * sizeof(*m->doc_start));
	m->df = calloc(m->nterms ? m->nterms : 1, sizeof(*m->df));
	if (!m->doc_start || !m->df)
		goto fail;
	m->doc_start[0] = 0;
	for (d = 0; d < ndocs; d++) {
		uint32_t doc = docs ? docs[d] : (uint32_t)d;
		size_t from = c->doc_start[doc], to = c->doc_start[doc + 1], n = 0, t;

		assert(doc < c->ndocs);
		if ((err = buf_grow_array((void **)&scratch, &scratch_cap, (to - from) * (1 + COMPOUND_MAX_PARTS) + 1,
				sizeof(*scratch))))
			goto fail;
		for (t = from; t < to; t++) {
			const struct corpus_word *w = &c->w[c->tok[t]];
			size_t k;

			scratch[n++] = w->term;
			for (k = 0; k < w->nparts; k++)
				if (w->part_term[k] != w->term)
					scratch[n++] = w->part_term[k];
		}
		sort_terms(scratch, n);
		if (nnz + n + 1 > cap) {
			size_t old_cap = cap;
			uint32_t *cnt;

			if ((err = buf_grow_array((void **)&m->term, &cap, nnz + n + 1, sizeof(*m->term))))
				goto fail;
			assert(cap > old_cap);
			cnt = realloc(m->count, cap * sizeof(*m->count));
			err = AN_ENOMEM;
			if (!cnt)
				goto fail;
			m->count = cnt;
		}
		for (i = 0; i < n; i++) {
			if (i > 0 && scratch[i] == scratch[i - 1]) {
				m->count[nnz - 1]++;
				continue;
			}
			m->term[nnz] = scratch[i];
			m->count[nnz] = 1;
			m->df[scratch[i]]++;
			nnz++;
		}
		m->doc_start[d + 1] = (uint32_t)nnz;
	}
	if ((err = weigh(m)))
		goto fail;
	free(scratch);
	return AN_OK;
fail:
	free(scratch);
	corpus_matrix_free(m);
	return err;
}

enum an_err corpus_matrix_rows(const struct corpus_matrix *full, const uint32_t *docs, size_t ndocs,
		       const uint8_t *drop, struct corpus_matrix *m)
{
	size_t nnz = 0, d, i;

	memset(m, 0, sizeof(*m));
	for (d = 0; d < ndocs; d++)
		nnz += full->doc_start[docs[d] + 1] - full->doc_start[docs[d]];
	m->ndocs = ndocs;
	m->nterms = full->nterms;
	m->doc_start = malloc((ndocs + 1) * sizeof(*m->doc_start));
	m->term = malloc((nnz ? nnz : 1) * sizeof(*m->term));
	m->count = malloc((nnz ? nnz : 1) * sizeof(*m->count));
	m->df = calloc(m->nterms ? m->nterms : 1, sizeof(*m->df));
	if (!m->doc_start || !m->term || !m->count || !m->df)
		goto fail;
	m->doc_start[0] = 0;
	nnz = 0;
	for (d = 0; d < ndocs; d++) {
		assert(docs[d] < full->ndocs);
		for (i = full->doc_start[docs[d]]; i < full->doc_start[docs[d] + 1]; i++) {
			if (drop && drop[full->term[i]])
				continue;
			m->term[nnz] = full->term[i];
			m->count[nnz++] = full->count[i];
			m->df[full->term[i]]++;
		}
		m->doc_start[d + 1] = (uint32_t)nnz;
	}
	if (weigh(m))
		goto fail;
	return AN_OK;
fail:
	corpus_matrix_free(m);
	return AN_ENOMEM;
}

uint8_t *corpus_number_terms(const struct corpus *c)
{
	uint8_t *number = calloc(c->terms.n ? c->terms.n : 1, 1);
	size_t w;

	if (!number)
		return NULL;
	for (w = 0; w < c->words.n; w++)
		if (c->w[w].flags & CORPUS_NUMBER)
			number[c->w[w].term] = 1;
	return number;
}

struct surface_count {
	uint32_t term, word, freq;
};

static int cmp_surface(const void *a, const void *b)
{
	const struct surface_count *x = a, *y = b;

	if (x->term != y->term)
		return (x->term > y->term) - (x->term < y->term);
	return (x->word > y->word) - (x->word < y->word);
}

uint32_t *corpus_surfaces(const struct corpus *c)
{
	struct surface_count *v;
	size_t n = 0, i, j;
	uint32_t *best = malloc((c->terms.n ? c->terms.n : 1) * sizeof(*best));
	uint32_t *best_freq = calloc(c->terms.n ? c->terms.n : 1, sizeof(*best_freq));

	v = malloc((c->words.n ? c->words.n : 1) * (1 + COMPOUND_MAX_PARTS) * sizeof(*v));
	if (!best || !best_freq || !v) {
		free(best);
		best = NULL;
		goto out;
	}
	for (i = 0; i < c->terms.n; i++)
		best[i] = UINT32_MAX;
	for (i = 0; i < c->words.n; i++) {
		const struct corpus_word *w = &c->w[i];
		size_t k;

		if (!w->freq)
			continue;
		v[n].term = w->term;
		v[n].word = (uint32_t)i;
		v[n++].freq = w->freq;
		for (k = 0; k < w->nparts; k++) {
			v[n].term = w->part_term[k];
			v[n].word = w->part_surface[k];
			v[n++].freq = w->freq;
		}
	}
	qsort(v, n, sizeof(*v), cmp_surface);
	for (i = 0; i < n; i = j) {
		uint32_t sum = 0;

		for (j = i; j < n && v[j].term == v[i].term && v[j].word == v[i].word; j++)
			sum += v[j].freq;
		if (best[v[i].term] == UINT32_MAX || sum > best_freq[v[i].term] ||
		    (sum == best_freq[v[i].term] &&
		     strcmp(dict_str(&c->words, v[i].word), dict_str(&c->words, best[v[i].term])) < 0)) {
			best[v[i].term] = v[i].word;
			best_freq[v[i].term] = sum;
		}
	}
out:
	free(v);
	free(best_freq);
	return best;
}

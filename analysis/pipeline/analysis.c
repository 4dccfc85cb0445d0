/*
 * analysis.c - from answers to described themes.
 *
 * Pipeline: corpus (tokens, stems, compound parts) -> TF-IDF matrix ->
 * given-theme matching -> clustering of what is left -> description of each
 * theme.  Theme keys are matched once per distinct word, not per token, and
 * every list that reaches the output is sorted with explicit tie-breaks, so
 * the result is a pure function of input, options and seed.
 *
 * People's decisions (curate.h) are applied by curate/apply.c in two
 * places: the theme decisions rewrite the themes before anything is
 * matched (so a merged or split theme is matched by its own terms, like a
 * themes-file line), and the answer decisions edit the matches between
 * matching and clustering.
 */
#include "pipeline/analysis.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unistr.h>

#include "core/an_err.h"
#include "cluster/cluster.h"
#include "text/corpus.h"
#include "curate/apply.h"
#include "curate/curate.h"
#include "pipeline/learn.h"
#include "text/phrase.h"
#include "text/lang.h"
#include "text/text.h"
#include "themes/themes.h"

struct term_ref {
	uint32_t theme, term;
};

/* Everything analysis_run needs while it works; freed at the end. */
struct run {
	const struct analysis_input *in;
	const struct analysis_opts *opts;
	struct analysis_result *res;
	struct lang lang;
	struct themes themes;
	struct apply *apply;             /* the decisions being applied; NULL without curation */
	struct corpus corpus;
	struct corpus_matrix m;          /* all answers */
	uint32_t *surface;               /* term -> word id of its written form */
	uint8_t *number;                 /* term -> 1 when it is a number */
	double *idf;                     /* term -> idf over all answers */
	uint64_t *row_hash;              /* answer -> hash of its row (near-duplicates) */
	/* theme keys */
	struct dict keys;
	uint8_t *key_prefix;             /* key id -> may match as prefix */
	uint32_t **term_keys;            /* [theme][slot(term, word) * KEY_ALTS + a] -> key ids of a term's word */
	uint8_t **term_nalts;            /* [theme][slot(term, word)] -> how many (the key and its roots) */
	uint32_t *word_key_start;        /* word id -> start in word_keys; words.n + 1 entries */
	uint32_t *word_keys;
	uint64_t *key_themes;            /* key id -> bit t set when a one-word term of theme t is the key */
	uint64_t *term_themes;           /* corpus term -> bit t set when the term matched theme t */
	uint32_t *first_start;           /* key id -> start in first_refs; keys.n + 1 entries */
	struct term_ref *first_refs;     /* theme terms grouped by their first key */
	uint32_t *cover_start, *cover;   /* answer -> the terms its seed matches covered (cover_start: n + 1) */
	size_t ncover, cover_cap;
	uint64_t *before;                /* answer -> its themes before people's decisions (with decisions only) */
	struct learn_result learned;     /* what the themes learned (learn.h) */
	/* members of each theme, built after matching */
	uint32_t **members;
	size_t *nmembers;
	size_t nmember_lists;            /* entries of members[] */
	uint32_t (*key_ids)[ANALYSIS_MAX_TERMS];  /* theme -> the terms behind its key terms (same order) */
	char **shown;                    /* term -> its written form once made (shown()), or NULL */
};

static int dup_str(char **dst, const char *s)
{
	*dst = strdup(s ? s : "");
	return *dst ? AN_OK : AN_ENOMEM;
}

static int run_err(struct run *r, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Write a message to opts->err (when given) and return `err`. */
static int run_err(struct run *r, int err, const char *fmt, ...)
{
	va_list ap;

	if (r->opts->err && r->opts->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->opts->err, r->opts->errlen, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* ---- setup ---- */

/*
 * The base themes (the last "themes" decision, else opts->themes_text, else
 * the shipped ones; none with no_themes unless a decision gave a file),
 * rewritten by the theme decisions, compiled.
 */
static int load_themes(struct run *r)
{
	const struct curate *c = r->opts->curation;
	const char *text = NULL;
	size_t from = c ? c->n : 0;      /* number of the last "themes" decision, 0 = none */
	char msg[256];
	int err;

	while (from && c->v[from - 1].kind != VOCAB_THEMES)
		from--;
	if (from)
		text = c->v[from - 1].text;
	else if (!r->opts->no_themes)
		text = r->opts->themes_text ? r->opts->themes_text : themes_default();
	if (text && (err = themes_parse(&r->themes, text, strlen(text), msg, sizeof(msg)))) {
		if (err == AN_ENOMEM)
			return err;
		if (from)
			return run_err(r, AN_EINVAL, "decision %zu: themes %s", from, msg);
		return run_err(r, err, "themes %s", msg);
	}
	if (c && (err = apply_themes(c, &r->themes, &r->apply, r->opts->err, r->opts->errlen)))
		return err;
	return themes_compile(&r->themes, &r->lang);
}

static int build_corpus(struct run *r)
{
	const char **extra = NULL;
	size_t nextra = 0, i, j, k, cap = 0;
	int err;

	for (i = 0; i < r->in->n; i++) {
		const char *t = r->in->v[i].text ? r->in->v[i].text : "";

		err = corpus_add(&r->corpus, t, strlen(t));
		if (err == AN_EUTF8)
			return run_err(r, err, "answer %zu is not valid UTF-8", i + 1);
		if (err)
			return err;
	}
	for (i = 0; i < r->themes.n; i++)
		cap += r->themes.v[i].nterms * THEMES_MAX_KEYS;
	extra = malloc((cap ? cap : 1) * sizeof(*extra));
	if (!extra)
		return AN_ENOMEM;
	for (i = 0; i < r->themes.n; i++)
		for (j = 0; j < r->themes.v[i].nterms; j++)
			for (k = 0; k < r->themes.v[i].terms[j].nkeys; k++)
				extra[nextra++] = r->themes.v[i].terms[j].folded[k];
	err = corpus_finish(&r->corpus, 1, extra, nextra);
	free(extra);
	return err;
}

static uint64_t hash_row(const struct corpus_matrix *m, size_t d)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = m->doc_start[d]; i < m->doc_start[d + 1]; i++) {
		h = (h ^ m->term[i]) * 1099511628211ull;
		h = (h ^ m->count[i]) * 1099511628211ull;
	}
	return h;
}

static int build_matrix(struct run *r)
{
	size_t i;
	int err;

	if ((err = corpus_matrix(&r->corpus, NULL, 0, &r->m)))
		return err;
	r->surface = corpus_surfaces(&r->corpus);
	r->number = corpus_number_terms(&r->corpus);
	r->idf = malloc((r->m.nterms ? r->m.nterms : 1) * sizeof(*r->idf));
	r->row_hash = malloc((r->m.ndocs ? r->m.ndocs : 1) * sizeof(*r->row_hash));
	if (!r->surface || !r->number || !r->idf || !r->row_hash)
		return AN_ENOMEM;
	for (i = 0; i < r->m.nterms; i++)
		r->idf[i] = log((1.0 + (double)r->m.ndocs) / (1.0 + (double)r->m.df[i])) + 1.0;
	for (i = 0; i < r->m.ndocs; i++)
		r->row_hash[i] = hash_row(&r->m, i);
	return AN_OK;
}

/* ---- given themes ---- */

/* A word of a term matches by its key or any of the key's roots (themes.h). */
#define KEY_ALTS (1 + THEMES_MAX_ROOTS)

/* Index of word k of term j in term_nalts[t] (and, times KEY_ALTS, in term_keys[t]). */
static size_t key_slot(size_t j, size_t k)
{
	return j * THEMES_MAX_KEYS + k;
}

/* Intern one key string of theme i; a one-word term's keys mark the theme in key_themes. */
static int add_key(struct run *r, size_t i, size_t j, size_t k, const char *s, size_t len, int prefix)
{
	const struct theme_term *tt = &r->themes.v[i].terms[j];
	uint32_t *slot = &r->term_keys[i][key_slot(j, k) * KEY_ALTS], id;
	uint8_t *n = &r->term_nalts[i][key_slot(j, k)], a;
	int err;

	if ((err = dict_intern(&r->keys, s, len, &id)))
		return err;
	for (a = 0; a < *n && slot[a] != id; a++)
		;
	if (a == *n)
		slot[(*n)++] = id;
	r->key_prefix[id] |= (uint8_t)(prefix != 0);
	/* "vård" alone says nothing about "vård på distans". */
	if (tt->nkeys == 1)
		r->key_themes[id] |= (uint64_t)1 << i;
	return AN_OK;
}

static int build_keys(struct run *r)
{
	size_t i, j, k, x, cap = 0;
	int err;

	r->term_keys = calloc(r->themes.n ? r->themes.n : 1, sizeof(*r->term_keys));
	r->term_nalts = calloc(r->themes.n ? r->themes.n : 1, sizeof(*r->term_nalts));
	if (!r->term_keys || !r->term_nalts)
		return AN_ENOMEM;
	for (i = 0; i < r->themes.n; i++)
		cap += r->themes.v[i].nterms * THEMES_MAX_KEYS * KEY_ALTS;
	r->key_prefix = calloc(cap ? cap : 1, 1);
	r->key_themes = calloc(cap ? cap : 1, sizeof(*r->key_themes));
	if (!r->key_prefix || !r->key_themes)
		return AN_ENOMEM;
	for (i = 0; i < r->themes.n; i++) {
		const struct theme *th = &r->themes.v[i];
		size_t slots = (th->nterms ? th->nterms : 1) * THEMES_MAX_KEYS;

		r->term_keys[i] = malloc(slots * KEY_ALTS * sizeof(uint32_t));
		r->term_nalts[i] = calloc(slots, 1);
		if (!r->term_keys[i] || !r->term_nalts[i])
			return AN_ENOMEM;
		for (j = 0; j < th->nterms; j++)
			for (k = 0; k < th->terms[j].nkeys; k++) {
				const struct theme_term *tt = &th->terms[j];
				const char *key = tt->keys[k];

				if ((err = add_key(r, i, j, k, key, strlen(key), tt->prefix[k])))
					return err;
				for (x = 0; x < tt->nroots[k]; x++)
					if ((err = add_key(r, i, j, k, key, tt->roots[k][x], (tt->root_prefix[k] >> x) & 1)))
						return err;
			}
	}
	return AN_OK;
}

static int push_u32(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		uint32_t *p = realloc(*v, c * sizeof(*p));

		if (!p)
			return AN_ENOMEM;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return AN_OK;
}

/*
 * Keys matched by one term string: equal, or a prefix of it when allowed,
 * or equal to one of its derivational roots ("rökning" has the root "rök",
 * which is the key of "röka").
 */
static int match_term_string(struct run *r, const char *s, size_t len, uint32_t **out, size_t *n, size_t *cap)
{
	size_t p, chars = 0, roots[LANG_MAX_ROOTS], nroots = lang_roots(&r->lang, s, len, roots), i;
	int64_t id;
	int err;

	if ((id = dict_find(&r->keys, s, len)) >= 0 && (err = push_u32(out, n, cap, (uint32_t)id)))
		return err;
	for (i = 0; i < nroots; i++)
		if ((id = dict_find(&r->keys, s, roots[i])) >= 0 && (err = push_u32(out, n, cap, (uint32_t)id)))
			return err;
	for (p = 1; p < len; p++) {
		if (((unsigned char)s[p - 1] & 0xC0) != 0x80)
			chars++;
		if (((unsigned char)s[p] & 0xC0) == 0x80 || chars < THEMES_MIN_PREFIX)
			continue;
		id = dict_find(&r->keys, s, p);
		if (id >= 0 && r->key_prefix[id] && (err = push_u32(out, n, cap, (uint32_t)id)))
			return err;
	}
	return AN_OK;
}

/*
 * Match every feature (whole word and compound parts) of every word against
 * the keys once; record the keys per word and, per term, the themes it hit,
 * which later picks a given theme's key terms from the words that matched.
 */
static int match_words(struct run *r)
{
	const struct corpus *c = &r->corpus;
	size_t w, n = 0, cap = 0;
	int err;

	assert(THEMES_MAX <= 64);
	r->word_key_start = malloc((c->words.n + 1) * sizeof(*r->word_key_start));
	r->term_themes = calloc(c->terms.n ? c->terms.n : 1, sizeof(*r->term_themes));
	if (!r->word_key_start || !r->term_themes)
		return AN_ENOMEM;
	for (w = 0; w < c->words.n; w++) {
		const struct corpus_word *cw = &c->w[w];
		size_t k;

		r->word_key_start[w] = (uint32_t)n;
		if (!cw->freq || !r->keys.n)
			continue;
		for (k = 0; k <= cw->nparts; k++) {
			uint32_t term = k == 0 ? cw->term : cw->part_term[k - 1];
			size_t before = n, i;

			if ((err = match_term_string(r, dict_str(&c->terms, term), dict_strlen(&c->terms, term),
						     &r->word_keys, &n, &cap)))
				return err;
			for (i = before; i < n; i++)
				r->term_themes[term] |= r->key_themes[r->word_keys[i]];
		}
	}
	r->word_key_start[c->words.n] = (uint32_t)n;
	return AN_OK;
}

static int word_has_key(const struct run *r, uint32_t word, uint32_t key)
{
	uint32_t i;

	for (i = r->word_key_start[word]; i < r->word_key_start[word + 1]; i++)
		if (r->word_keys[i] == key)
			return 1;
	return 0;
}

/* Whether `word` has the key of word k of term j of theme t, or one of its roots. */
static int word_has_slot(const struct run *r, uint32_t word, size_t t, size_t j, size_t k)
{
	size_t slot = key_slot(j, k), a;

	for (a = 0; a < r->term_nalts[t][slot]; a++)
		if (word_has_key(r, word, r->term_keys[t][slot * KEY_ALTS + a]))
			return 1;
	return 0;
}

/*
 * Whether theme term `j` of theme `t` starts at token position `pos` of the
 * answer: its words in order, with at most THEMES_MAX_GAP other words
 * between two of them ("tidiga och samordnade insatser" has "tidiga
 * insatser"); each word is taken at its first place, which leaves the most
 * room for the next.  Fills at[] with the positions of its words.
 */
static int term_at(const struct run *r, size_t t, size_t j, const uint32_t *tok, size_t ntok, size_t pos,
		   uint32_t at[THEMES_MAX_KEYS])
{
	const struct theme_term *tt = &r->themes.v[t].terms[j];
	size_t k, q;

	if (!tt->nkeys || pos >= ntok || !word_has_slot(r, tok[pos], t, j, 0))
		return 0;
	at[0] = (uint32_t)pos;
	for (k = 1; k < tt->nkeys; k++) {
		for (q = at[k - 1] + 1; q < ntok && q <= at[k - 1] + 1 + THEMES_MAX_GAP; q++)
			if (word_has_slot(r, tok[q], t, j, k))
				break;
		if (q >= ntok || q > at[k - 1] + 1 + THEMES_MAX_GAP)
			return 0;
		at[k] = (uint32_t)q;
	}
	return 1;
}

static float row_weight(const struct corpus_matrix *m, size_t d, uint32_t term)
{
	size_t lo = m->doc_start[d], hi = m->doc_start[d + 1];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->term[mid] == term)
			return m->weight[mid];
		if (m->term[mid] < term)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* A theme term found in an answer, starting at token `pos`; its words are at at[]. */
struct hit {
	uint32_t theme, term, pos;
	uint32_t at[THEMES_MAX_KEYS];
};

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->theme != y->theme)
		return (x->theme > y->theme) - (x->theme < y->theme);
	if (x->term != y->term)
		return (x->term > y->term) - (x->term < y->term);
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Scratch for matching one answer, reused from answer to answer. */
struct doc_match {
	struct hit *hits;
	size_t nhits, cap;
	uint32_t covered[512];           /* term ids of matched words (whole and parts), one theme */
	size_t ncovered;
	uint32_t all[512];               /* the same for every theme of the answer */
	size_t nall;
};

static void cover_word(struct doc_match *dm, const struct corpus_word *w)
{
	uint32_t t[1 + COMPOUND_MAX_PARTS];
	size_t n = 0, i, j;

	t[n++] = w->term;
	for (i = 0; i < w->nparts; i++)
		t[n++] = w->part_term[i];
	for (i = 0; i < n; i++) {
		for (j = 0; j < dm->ncovered && dm->covered[j] != t[i]; j++)
			;
		if (j == dm->ncovered && dm->ncovered < sizeof(dm->covered) / sizeof(dm->covered[0]))
			dm->covered[dm->ncovered++] = t[i];
	}
}

/*
 * Index the terms by their first word's keys (the key and its roots), so an
 * answer only tries terms whose first word it has.
 */
static int build_first_refs(struct run *r)
{
	size_t t, j, i, a, n = 0;

	r->first_start = calloc(r->keys.n + 1, sizeof(*r->first_start));
	if (!r->first_start)
		return AN_ENOMEM;
	for (t = 0; t < r->themes.n; t++)
		for (j = 0; j < r->themes.v[t].nterms; j++)
			for (a = 0; a < r->term_nalts[t][key_slot(j, 0)]; a++) {
				r->first_start[r->term_keys[t][key_slot(j, 0) * KEY_ALTS + a] + 1]++;
				n++;
			}
	for (i = 0; i < r->keys.n; i++)
		r->first_start[i + 1] += r->first_start[i];
	r->first_refs = malloc((n ? n : 1) * sizeof(*r->first_refs));
	if (!r->first_refs)
		return AN_ENOMEM;
	/* Fill in theme/term order, so each key's list is sorted. */
	{
		uint32_t *fill = malloc((r->keys.n ? r->keys.n : 1) * sizeof(*fill));

		if (!fill)
			return AN_ENOMEM;
		memcpy(fill, r->first_start, r->keys.n * sizeof(*fill));
		for (t = 0; t < r->themes.n; t++)
			for (j = 0; j < r->themes.v[t].nterms; j++)
				for (a = 0; a < r->term_nalts[t][key_slot(j, 0)]; a++) {
					uint32_t k = r->term_keys[t][key_slot(j, 0) * KEY_ALTS + a];

					r->first_refs[fill[k]].theme = (uint32_t)t;
					r->first_refs[fill[k]++].term = (uint32_t)j;
				}
		free(fill);
	}
	return AN_OK;
}

static int add_hit(struct doc_match *dm, uint32_t theme, uint32_t term, uint32_t pos, const uint32_t *at)
{
	if (dm->nhits == dm->cap) {
		size_t cap = dm->cap ? dm->cap * 2 : 64;
		struct hit *h = realloc(dm->hits, cap * sizeof(*h));

		if (!h)
			return AN_ENOMEM;
		dm->hits = h;
		dm->cap = cap;
	}
	dm->hits[dm->nhits].theme = theme;
	dm->hits[dm->nhits].term = term;
	dm->hits[dm->nhits].pos = pos;
	memcpy(dm->hits[dm->nhits++].at, at, sizeof(dm->hits[0].at));
	return AN_OK;
}

static void free_matches(struct analysis_match *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].terms);
}

static int match_doc(struct run *r, size_t d, struct doc_match *dm)
{
	const struct corpus *c = &r->corpus;
	size_t ntok = c->doc_start[d + 1] - c->doc_start[d], pos, i, h, nfound = 0;
	const uint32_t *tok;
	struct analysis_assignment *as = &r->res->assign[d];
	struct analysis_match found[THEMES_MAX];
	int err;

	dm->nall = 0;
	if (!ntok)
		return AN_OK;
	tok = c->tok + c->doc_start[d];

	dm->nhits = 0;
	for (pos = 0; pos < ntok; pos++) {
		uint32_t w = tok[pos], k;

		for (k = r->word_key_start[w]; k < r->word_key_start[w + 1]; k++) {
			uint32_t key = r->word_keys[k], f;

			for (f = r->first_start[key]; f < r->first_start[key + 1]; f++) {
				const struct term_ref *ref = &r->first_refs[f];
				uint32_t at[THEMES_MAX_KEYS];

				if (term_at(r, ref->theme, ref->term, tok, ntok, pos, at) &&
				    (err = add_hit(dm, ref->theme, ref->term, (uint32_t)pos, at)))
					return err;
			}
		}
	}
	if (!dm->nhits)
		return AN_OK;
	qsort(dm->hits, dm->nhits, sizeof(*dm->hits), cmp_hit);
	/* A word can reach a term through its key and through a root: one hit. */
	for (h = i = 1; i < dm->nhits; i++)
		if (cmp_hit(&dm->hits[i], &dm->hits[h - 1]))
			dm->hits[h++] = dm->hits[i];
	dm->nhits = h;
	for (h = 0; h < dm->nhits;) {
		uint32_t theme = dm->hits[h].theme;
		struct analysis_match *m = &found[nfound];
		double score = 0;
		size_t end = h;

		while (end < dm->nhits && dm->hits[end].theme == theme)
			end++;
		m->theme = theme;
		m->human = 0;
		m->nterms = 0;
		m->terms = malloc((end - h) * sizeof(*m->terms));
		if (!m->terms) {
			free_matches(found, nfound);
			return AN_ENOMEM;
		}
		nfound++;
		dm->ncovered = 0;
		for (i = h; i < end; i++) {
			const struct hit *ht = &dm->hits[i];
			size_t k;

			if (!m->nterms || m->terms[m->nterms - 1] != ht->term)
				m->terms[m->nterms++] = (uint16_t)ht->term;
			for (k = 0; k < r->themes.v[theme].terms[ht->term].nkeys; k++)
				cover_word(dm, &c->w[tok[ht->at[k]]]);
		}
		for (i = 0; i < dm->ncovered; i++) {
			double w = row_weight(&r->m, d, dm->covered[i]);
			size_t a;

			score += w * w;
			for (a = 0; a < dm->nall && dm->all[a] != dm->covered[i]; a++)
				;
			if (a == dm->nall && dm->nall < sizeof(dm->all) / sizeof(dm->all[0]))
				dm->all[dm->nall++] = dm->covered[i];
		}
		m->score = (float)score;
		h = end;
	}
	qsort(found, nfound, sizeof(found[0]), apply_match_order);
	as->matches = malloc(nfound * sizeof(*as->matches));
	if (!as->matches) {
		free_matches(found, nfound);
		return AN_ENOMEM;
	}
	memcpy(as->matches, found, nfound * sizeof(*as->matches));
	as->nmatches = nfound;
	return AN_OK;
}

static int seed_themes(struct run *r)
{
	struct doc_match *dm;
	size_t i, d;
	int err = AN_OK;

	for (i = 0; i < r->themes.n; i++) {
		struct analysis_theme *at = &r->res->themes[r->res->nthemes];
		const struct theme *th = &r->themes.v[i];
		size_t j;

		r->res->nthemes++;
		at->seeded = 1;
		if (r->apply) {
			struct apply_theme m;

			apply_take_theme(r->apply, i, &m);
			at->origin = m.made ? ANALYSIS_CURATED : ANALYSIS_GIVEN;
			at->renamed = m.renamed;
			at->merged = m.merged;
			at->merged_labels = m.merged_labels;
			at->nmerged = m.nmerged;
		}
		if ((err = dup_str(&at->id, th->id)) || (err = dup_str(&at->label, th->label)))
			return err;
		at->given = calloc(th->nterms ? th->nterms : 1, sizeof(*at->given));
		if (!at->given)
			return AN_ENOMEM;
		for (j = 0; j < th->nterms; j++, at->ngiven++)
			if ((err = dup_str(&at->given[j], th->terms[j].text)))
				return err;
	}
	if (!r->themes.n)
		return AN_OK;
	if ((err = build_keys(r)) || (err = match_words(r)) || (err = build_first_refs(r)))
		return err;
	dm = calloc(1, sizeof(*dm));
	r->cover_start = calloc(r->in->n + 1, sizeof(*r->cover_start));
	if (!dm || !r->cover_start) {
		free(dm);
		return AN_ENOMEM;
	}
	for (d = 0; d < r->in->n && !err; d++) {
		err = match_doc(r, d, dm);
		for (i = 0; i < dm->nall && !err; i++)
			err = push_u32(&r->cover, &r->ncover, &r->cover_cap, dm->all[i]);
		r->cover_start[d + 1] = (uint32_t)r->ncover;
	}
	free(dm->hits);
	free(dm);
	return err;
}

/* Each answer's themes before people's decisions, so an example shows what it was taken out of. */
static int snapshot_before(struct run *r)
{
	size_t d, m;

	r->before = calloc(r->in->n ? r->in->n : 1, sizeof(*r->before));
	if (!r->before)
		return AN_ENOMEM;
	for (d = 0; d < r->in->n; d++)
		for (m = 0; m < r->res->assign[d].nmatches; m++)
			r->before[d] |= (uint64_t)1 << r->res->assign[d].matches[m].theme;
	return AN_OK;
}

/* Let the given themes learn from the answers and from people (learn.h). */
static int learn(struct run *r)
{
	struct learn_input li;

	if (!r->themes.n)
		return AN_OK;
	li.m = &r->m;
	li.skip = r->number;
	li.cover_start = r->cover_start;
	li.cover = r->cover;
	li.before = r->before;
	li.nthemes = r->res->nthemes;
	return learn_run(&li, r->res->assign, &r->learned);
}

/* ---- discovery ---- */

/* A term or an answer with a score, sorted best first (ties: smaller id). */
struct scored {
	uint32_t id;
	double score;
};

static int cmp_scored(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Union-find root of j, halving paths on the way. */
static uint32_t find_root(uint32_t *parent, uint32_t j)
{
	while (parent[j] != j) {
		parent[j] = parent[parent[j]];
		j = parent[j];
	}
	return j;
}

/*
 * Union the answers order[0..n) that share a term and the same group[]
 * value (> 0); order must list each group's answers together.  stamp[t]
 * is the group in which first[t] was the first answer seen with term t.
 * The smaller answer index becomes the root, so a root is its group's
 * first answer.
 */
static void link_shared(const struct corpus_matrix *sub, const uint32_t *order, size_t n,
			const uint32_t *group, uint32_t *parent, uint32_t *first, uint32_t *stamp)
{
	size_t i, x;

	for (i = 0; i < n; i++) {
		uint32_t j = order[i];

		for (x = sub->doc_start[j]; x < sub->doc_start[j + 1]; x++) {
			uint32_t t = sub->term[x], a, b;

			if (stamp[t] != group[j]) {
				stamp[t] = group[j];
				first[t] = j;
				continue;
			}
			a = find_root(parent, j);
			b = find_root(parent, first[t]);
			if (a < b)
				parent[b] = a;
			else
				parent[a] = b;
		}
	}
}

/*
 * k auto, the step after clustering: a discovered theme must be answers
 * that share words.  Inside each cluster, answers are linked when they have
 * a term in common.  The largest linked group of each cluster keeps the
 * cluster when it has at least 2 answers, and any other group of at least
 * cluster_auto_min_size(rows) answers becomes a cluster of its own.  The
 * answers of the remaining groups are linked among themselves the same way
 * (a sampler may split a pair), and those groups too become clusters when
 * they reach that size.  The CLUSTER_AUTO_K_MAX largest clusters are kept
 * (ties: earliest answer); every other answer is left out (assign
 * UINT32_MAX, "fits no theme").  This breaks up the catch-all a sampler
 * makes of a few unrelated answers.  Rewrites cr in place; returns AN_OK or
 * AN_ENOMEM.
 */
static int split_unlinked(const struct corpus_matrix *sub, struct cluster_result *cr)
{
	size_t n = sub->ndocs, nroots = 0, nleft = 0, i;
	uint32_t *parent = malloc((n ? n : 1) * sizeof(*parent));
	/* calloc: gcc cannot see that the counting sort fills every entry. */
	uint32_t *order = calloc(n ? n : 1, sizeof(*order));
	uint32_t *group = calloc(n ? n : 1, sizeof(*group));
	uint32_t *start = calloc((size_t)cr->k + 1, sizeof(*start));
	uint32_t *largest = malloc((cr->k ? cr->k : 1) * sizeof(*largest));
	uint32_t *first = malloc((sub->nterms ? sub->nterms : 1) * sizeof(*first));
	uint32_t *stamp = calloc(sub->nterms ? sub->nterms : 1, sizeof(*stamp));
	uint32_t *size = calloc(n ? n : 1, sizeof(*size));
	uint8_t *keep = calloc(n ? n : 1, 1);
	struct scored *roots = malloc((n ? n : 1) * sizeof(*roots));
	uint32_t min_size = cluster_auto_min_size(n), c;
	int err = AN_ENOMEM;

	if (!parent || !order || !group || !start || !largest || !first || !stamp || !size || !keep ||
	    !roots)
		goto out;
	/* Pass 1: within clusters (group = cluster + 1), answers grouped by
	 * cluster by a counting sort. */
	for (i = 0; i < n; i++)
		start[cr->assign[i] + 1]++;
	for (c = 0; c < cr->k; c++) {
		start[c + 1] += start[c];
		largest[c] = UINT32_MAX;
	}
	for (i = 0; i < n; i++) {
		parent[i] = (uint32_t)i;
		group[i] = cr->assign[i] + 1;
		order[start[cr->assign[i]]++] = (uint32_t)i;
	}
	link_shared(sub, order, n, group, parent, first, stamp);
	for (i = 0; i < n; i++)
		size[find_root(parent, (uint32_t)i)]++;
	for (i = 0; i < n; i++) {
		uint32_t *l = &largest[cr->assign[i]];

		if (size[i] && (*l == UINT32_MAX || size[i] > size[*l]))
			*l = (uint32_t)i;
	}
	for (i = 0; i < n; i++)
		keep[i] = size[i] >= min_size || (size[i] >= 2 && largest[cr->assign[i]] == i);
	/* Pass 2: the answers of groups not kept, as one more group.  Whole
	 * groups move, so no kept answer points at them. */
	for (i = 0; i < n; i++)
		if (!keep[find_root(parent, (uint32_t)i)])
			order[nleft++] = (uint32_t)i;
	for (i = 0; i < nleft; i++) {
		parent[order[i]] = order[i];
		group[order[i]] = cr->k + 1;
		size[order[i]] = 0;
	}
	link_shared(sub, order, nleft, group, parent, first, stamp);
	for (i = 0; i < nleft; i++)
		size[find_root(parent, order[i])]++;
	for (i = 0; i < n; i++)
		if (size[i] >= min_size || (keep[i] && size[i])) {
			roots[nroots].id = (uint32_t)i;
			roots[nroots++].score = size[i];
		}
	qsort(roots, nroots, sizeof(*roots), cmp_scored);
	if (nroots > CLUSTER_AUTO_K_MAX)
		nroots = CLUSTER_AUTO_K_MAX;
	/* size[] now maps a kept root to its new cluster + 1, others to 0. */
	memset(size, 0, n * sizeof(*size));
	for (i = 0; i < nroots; i++)
		size[roots[i].id] = (uint32_t)i + 1;
	for (i = 0; i < n; i++) {
		uint32_t kept = size[find_root(parent, (uint32_t)i)];

		cr->assign[i] = kept ? kept - 1 : UINT32_MAX;
	}
	cr->k = (unsigned)nroots;
	err = AN_OK;
out:
	free(parent);
	free(order);
	free(group);
	free(start);
	free(largest);
	free(first);
	free(stamp);
	free(size);
	free(keep);
	free(roots);
	return err;
}

static int discover(struct run *r)
{
	uint32_t *docs = NULL;
	const uint8_t *number = r->number;
	size_t n = 0, d, i, x;
	struct corpus_matrix sub;
	struct cluster_input ci;
	struct cluster_opts co;
	struct cluster_result cr = { 0, NULL };
	float *centroid = NULL;
	int err = AN_OK;

	memset(&sub, 0, sizeof(sub));
	docs = malloc((r->in->n ? r->in->n : 1) * sizeof(*docs));
	/* Numbers (years, versions, counts) link answers by accident, so the
	 * clustering features leave them out; they stay terms elsewhere. */
	if (!docs) {
		err = AN_ENOMEM;
		goto out;
	}
	for (d = 0; d < r->in->n; d++) {
		/* Answers a decision placed (or said fit nothing) are not clustered. */
		if (r->res->assign[d].nmatches || r->res->assign[d].human_none)
			continue;
		for (x = r->m.doc_start[d]; x < r->m.doc_start[d + 1] && number[r->m.term[x]]; x++)
			;
		if (x < r->m.doc_start[d + 1])
			docs[n++] = (uint32_t)d;
	}
	if (!n)
		goto out;
	if ((err = corpus_matrix_rows(&r->m, docs, n, number, &sub)))
		goto out;
	ci.ndocs = sub.ndocs;
	ci.nterms = sub.nterms;
	ci.doc_start = sub.doc_start;
	ci.term = sub.term;
	ci.count = sub.count;
	ci.weight = sub.weight;
	ci.df = sub.df;
	co.k = r->opts->k;
	co.k_max = 0;
	co.seed = r->opts->seed;
	if ((err = cluster_run(&ci, &co, &cr)))
		goto out;
	if (!co.k && (err = split_unlinked(&sub, &cr)))
		goto out;
	centroid = calloc(sub.nterms ? sub.nterms : 1, sizeof(*centroid));
	if (!centroid) {
		err = AN_ENOMEM;
		goto out;
	}
	for (i = 0; i < cr.k; i++) {
		struct analysis_theme *at = &r->res->themes[r->res->nthemes];
		size_t j;
		double norm = 0;
		char id[32];

		r->res->nthemes++;
		at->origin = ANALYSIS_DISCOVERED;
		snprintf(id, sizeof(id), "new-%zu", i + 1);
		if ((err = dup_str(&at->id, id)))
			goto out;
		memset(centroid, 0, sub.nterms * sizeof(*centroid));
		for (j = 0; j < n; j++)
			if (cr.assign[j] == i)
				for (x = sub.doc_start[j]; x < sub.doc_start[j + 1]; x++)
					centroid[sub.term[x]] += sub.weight[x];
		for (x = 0; x < sub.nterms; x++)
			norm += (double)centroid[x] * centroid[x];
		norm = norm > 0 ? sqrt(norm) : 1;
		for (j = 0; j < n; j++) {
			struct analysis_assignment *as = &r->res->assign[docs[j]];
			double dot = 0;

			if (cr.assign[j] != i)
				continue;
			for (x = sub.doc_start[j]; x < sub.doc_start[j + 1]; x++)
				dot += (double)centroid[sub.term[x]] * sub.weight[x];
			/* Clustered answers have no match, and so no array (apply.h). */
			assert(!as->matches);
			as->matches = calloc(1, sizeof(*as->matches));
			if (!as->matches) {
				err = AN_ENOMEM;
				goto out;
			}
			as->matches[0].theme = (uint32_t)(r->res->nthemes - 1);
			as->matches[0].score = (float)(dot / norm);
			as->nmatches = 1;
			as->confidence = as->matches[0].score > 1 ? 1.0f : as->matches[0].score;
		}
	}
out:
	free(centroid);
	cluster_result_free(&cr);
	corpus_matrix_free(&sub);
	free(docs);
	return err;
}

/* ---- describing themes ---- */

static int collect_members(struct run *r)
{
	size_t nt = r->res->nthemes, d, m;
	size_t *cap;

	r->members = calloc(nt ? nt : 1, sizeof(*r->members));
	r->nmember_lists = nt;
	r->nmembers = calloc(nt ? nt : 1, sizeof(*r->nmembers));
	cap = calloc(nt ? nt : 1, sizeof(*cap));
	if (!r->members || !r->nmembers || !cap) {
		free(cap);
		return AN_ENOMEM;
	}
	for (d = 0; d < r->in->n; d++) {
		const struct analysis_assignment *as = &r->res->assign[d];

		for (m = 0; m < as->nmatches; m++) {
			uint32_t t = as->matches[m].theme;

			if (push_u32(&r->members[t], &r->nmembers[t], &cap[t], (uint32_t)d)) {
				free(cap);
				return AN_ENOMEM;
			}
			r->res->themes[t].size++;
			if (m == 0)
				r->res->themes[t].primary++;
		}
	}
	free(cap);
	return AN_OK;
}

/* A word as shown: acronyms in capitals, other words as folded. */
static int word_display(const struct run *r, uint32_t w, char **out)
{
	const char *s;
	size_t len, n;
	uint8_t *up;

	s = dict_str(&r->corpus.words, w);
	len = dict_strlen(&r->corpus.words, w);
	if (!(r->corpus.w[w].flags & CORPUS_ACRONYM))
		return dup_str(out, s);
	up = u8_toupper((const uint8_t *)s, len, NULL, UNINORM_NFC, NULL, &n);
	if (!up)
		return AN_ENOMEM;
	*out = strndup((const char *)up, n);
	free(up);
	return *out ? AN_OK : AN_ENOMEM;
}

static int term_display(const struct run *r, uint32_t term, char **out)
{
	uint32_t w = r->surface[term];

	if (w == UINT32_MAX)
		return dup_str(out, dict_str(&r->corpus.terms, term));
	return word_display(r, w, out);
}

struct hashed {
	uint64_t hash;
	uint32_t doc;
};

static int cmp_hashed(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->hash != y->hash)
		return (x->hash > y->hash) - (x->hash < y->hash);
	return (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * Write `members` without near-duplicates (answers with the same terms and
 * counts as an earlier member) to out[], in answer order; returns how many.
 */
static size_t dedupe(const struct run *r, const uint32_t *members, size_t n, uint32_t *out, struct hashed *scratch)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		scratch[i].hash = r->row_hash[members[i]];
		scratch[i].doc = members[i];
	}
	qsort(scratch, n, sizeof(*scratch), cmp_hashed);
	for (i = 0; i < n; i++)
		if (i == 0 || scratch[i].hash != scratch[i - 1].hash)
			out[m++] = scratch[i].doc;
	qsort(out, m, sizeof(*out), cmp_u32);
	return m;
}

/*
 * Key terms: a term scores by the share of the theme's (deduplicated)
 * answers that contain it times its idf over all answers, the class-based
 * TF-IDF that favours words common here and rare elsewhere.
 */
static int describe_terms(struct run *r, size_t theme, const uint32_t *docs, size_t n,
			  uint32_t *seen, struct scored *ts)
{
	struct analysis_theme *at = &r->res->themes[theme];
	size_t nts = 0, i, x, picked = 0;
	int err;

	for (i = 0; i < n; i++)
		for (x = r->m.doc_start[docs[i]]; x < r->m.doc_start[docs[i] + 1]; x++) {
			uint32_t t = r->m.term[x];

			/* A given theme is described by the words that matched it. */
			if (at->seeded && !(r->term_themes[t] & ((uint64_t)1 << theme)))
				continue;

			if (!seen[t]) {
				ts[nts].id = t;
				ts[nts++].score = 0;
			}
			seen[t]++;
		}
	for (i = 0; i < nts; i++) {
		uint32_t t = ts[i].id;

		ts[i].score = (double)seen[t] / (double)n * r->idf[t];
		/* A term only one answer uses says little about a theme of several. */
		if (seen[t] < 2 && n >= 4)
			ts[i].score *= 0.25;
		seen[t] = 0;
	}
	qsort(ts, nts, sizeof(*ts), cmp_scored);
	at->terms = calloc(ANALYSIS_MAX_TERMS, sizeof(*at->terms));
	if (!at->terms)
		return AN_ENOMEM;
	for (i = 0; i < nts && picked < ANALYSIS_MAX_TERMS; i++) {
		char *word;
		size_t j;

		if ((err = term_display(r, ts[i].id, &word)))
			return err;
		for (j = 0; j < picked && strcmp(at->terms[j], word); j++)
			;
		if (j < picked) {
			free(word);
			continue;
		}
		r->key_ids[theme][picked] = ts[i].id;
		at->terms[picked++] = word;
		at->nterms = picked;
	}
	return AN_OK;
}

/* Whether s is digits only (a number key term, never a label). */
static int is_number(const char *s)
{
	for (; *s >= '0' && *s <= '9'; s++)
		;
	return !*s;
}

/*
 * A discovered theme's label: the phrase that best names its answers as
 * people wrote it (phrase.h), looked for among its first LABEL_ANSWERS
 * answers; else its best key term that is not a number; capitalised.
 * Never two terms joined by a comma.
 */
#define LABEL_ANSWERS 200

static int make_label(struct run *r, struct analysis_theme *at, const uint32_t *docs, size_t n)
{
	char *phrase = NULL;
	const char *name = NULL;
	struct buf b;
	ucs4_t c;
	uint8_t enc[8];
	size_t i;
	int len, m, err;

	if ((err = phrase_best(&r->corpus, (const char *const *)r->res->texts, docs,
			       n < LABEL_ANSWERS ? n : LABEL_ANSWERS, r->idf, &phrase)))
		return err;
	name = phrase;
	for (i = 0; !name && i < at->nterms; i++)
		if (!is_number(at->terms[i]))
			name = at->terms[i];
	if (!name)
		name = "(inga ord)";
	buf_init(&b, 1024);
	len = u8_mbtouc(&c, (const uint8_t *)name, strlen(name));
	if (len <= 0)
		len = 1;
	m = u8_uctomb(enc, uc_toupper(c), sizeof(enc));
	err = m <= 0 || buf_add(&b, enc, (size_t)m) || buf_adds(&b, name + len) ? AN_ENOMEM : AN_OK;
	free(phrase);
	if (!err && !(at->label = buf_detach(&b, NULL)))
		err = AN_ENOMEM;
	buf_free(&b);
	return err;
}

/* Quotes: the deduplicated members closest to the theme's centroid. */
static void describe_quotes(struct run *r, struct analysis_theme *at, const uint32_t *docs, size_t n,
			    float *centroid, struct scored *scored)
{
	size_t i, x;
	double norm = 0;

	for (i = 0; i < n; i++)
		for (x = r->m.doc_start[docs[i]]; x < r->m.doc_start[docs[i] + 1]; x++)
			centroid[r->m.term[x]] += r->m.weight[x];
	for (i = 0; i < n; i++)
		for (x = r->m.doc_start[docs[i]]; x < r->m.doc_start[docs[i] + 1]; x++) {
			double c = centroid[r->m.term[x]];

			/* Sum each touched term once, then mark it counted. */
			if (c > 0) {
				norm += c * c;
				centroid[r->m.term[x]] = (float)-c;
			}
		}
	norm = norm > 0 ? sqrt(norm) : 1;
	for (i = 0; i < n; i++) {
		double dot = 0;

		for (x = r->m.doc_start[docs[i]]; x < r->m.doc_start[docs[i] + 1]; x++)
			dot -= (double)centroid[r->m.term[x]] * r->m.weight[x];
		scored[i].id = docs[i];
		scored[i].score = dot / norm;
	}
	for (i = 0; i < n; i++)
		for (x = r->m.doc_start[docs[i]]; x < r->m.doc_start[docs[i] + 1]; x++)
			centroid[r->m.term[x]] = 0;
	qsort(scored, n, sizeof(*scored), cmp_scored);
	for (i = 0; i < n && at->nquotes < ANALYSIS_MAX_QUOTES; i++) {
		at->quotes[at->nquotes].answer = scored[i].id;
		at->quotes[at->nquotes++].score = (float)scored[i].score;
	}
}

static const char *dim_value(const struct analysis_answer *a, int dim)
{
	const char *v = dim == ANALYSIS_QUESTION ? a->question : dim == ANALYSIS_GROUP ? a->group
		      : dim == ANALYSIS_ORGANISATION ? a->organisation : a->workshop;

	return v && *v ? v : NULL;
}

/*
 * Shares: for each value of each dimension, how many of the answers with
 * that value touch the theme.  Values are interned per dimension in input
 * order; the output is sorted by value.  Table names are interned by
 * their key (text_key: "bord 3" and "Bord  3" are one table) and shown as
 * first written.
 */
struct dim_values {
	struct dict values;    /* the values, or for tables their keys */
	const char **name;     /* value id -> the value as first written (the input's string) */
	uint32_t *of;          /* answer -> value id, UINT32_MAX when absent */
	size_t *total;         /* value id -> answers */
	uint32_t *order;       /* value ids sorted by string */
};

struct named {
	const char *name;
	uint32_t id;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int build_dim(const struct run *r, int dim, struct dim_values *dv)
{
	struct buf key;
	size_t d, i;
	int err = AN_OK;

	dict_init(&dv->values);
	buf_init(&key, TEXT_MAX_LEN);
	dv->of = malloc((r->in->n ? r->in->n : 1) * sizeof(*dv->of));
	dv->name = malloc((r->in->n ? r->in->n : 1) * sizeof(*dv->name));
	if (!dv->of || !dv->name)
		return AN_ENOMEM;
	for (d = 0; !err && d < r->in->n; d++) {
		const char *v = dim_value(&r->in->v[d], dim), *k = v;
		size_t n = dv->values.n;

		dv->of[d] = UINT32_MAX;
		if (!v)
			continue;
		if (dim == ANALYSIS_GROUP) {
			/* Text that is not UTF-8 has no key: it is its own value, as before. */
			err = text_key(v, strlen(v), &key);
			if (err == AN_ENOMEM)
				break;
			k = err ? v : key.data ? key.data : "";
		}
		if (!(err = dict_intern(&dv->values, k, strlen(k), &dv->of[d])) && dv->values.n > n)
			dv->name[dv->of[d]] = v;
	}
	buf_free(&key);
	if (err)
		return err;
	dv->total = calloc(dv->values.n ? dv->values.n : 1, sizeof(*dv->total));
	dv->order = malloc((dv->values.n ? dv->values.n : 1) * sizeof(*dv->order));
	if (!dv->total || !dv->order)
		return AN_ENOMEM;
	for (d = 0; d < r->in->n; d++)
		if (dv->of[d] != UINT32_MAX)
			dv->total[dv->of[d]]++;
	{
		/* Sort through (name, id) pairs: no global for the comparator, so threads can share this code. */
		struct named *v = malloc((dv->values.n ? dv->values.n : 1) * sizeof(*v));

		if (!v)
			return AN_ENOMEM;
		for (i = 0; i < dv->values.n; i++) {
			v[i].name = dv->name[i];
			v[i].id = (uint32_t)i;
		}
		qsort(v, dv->values.n, sizeof(*v), cmp_named);
		for (i = 0; i < dv->values.n; i++)
			dv->order[i] = v[i].id;
		free(v);
	}
	return AN_OK;
}

static void free_dim(struct dim_values *dv)
{
	dict_free(&dv->values);
	free(dv->name);
	free(dv->of);
	free(dv->total);
	free(dv->order);
}

static int describe_shares(const struct run *r, struct analysis_theme *at, const uint32_t *members, size_t n,
			   int dim, const struct dim_values *dv, size_t *count)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (dv->of[members[i]] != UINT32_MAX)
			count[dv->of[members[i]]]++;
	for (i = 0; i < dv->values.n; i++)
		k += count[i] > 0;
	at->shares[dim] = calloc(k ? k : 1, sizeof(*at->shares[dim]));
	if (!at->shares[dim])
		return AN_ENOMEM;
	for (i = 0; i < dv->values.n; i++) {
		uint32_t v = dv->order[i];
		struct analysis_share *s;

		if (!count[v])
			continue;
		s = &at->shares[dim][at->nshares[dim]++];
		s->count = count[v];
		s->total = dv->total[v];
		count[v] = 0;
		if (!(s->value = strdup(dv->name[v])))
			return AN_ENOMEM;
	}
	return AN_OK;
}

static int describe(struct run *r)
{
	struct dim_values dims[ANALYSIS_NDIMS];
	size_t maxn = 0, t, maxvalues = 1;
	uint32_t *seen = NULL, *uniq = NULL;
	struct scored *ts = NULL;
	struct hashed *scratch = NULL;
	float *centroid = NULL;
	size_t *count = NULL;
	int err = AN_ENOMEM, dim;

	memset(dims, 0, sizeof(dims));
	for (dim = 0; dim < ANALYSIS_NDIMS; dim++) {
		if ((err = build_dim(r, dim, &dims[dim])))
			goto out;
		if (dims[dim].values.n > maxvalues)
			maxvalues = dims[dim].values.n;
	}
	err = AN_ENOMEM;
	for (t = 0; t < r->res->nthemes; t++)
		if (r->nmembers[t] > maxn)
			maxn = r->nmembers[t];
	seen = calloc(r->m.nterms ? r->m.nterms : 1, sizeof(*seen));
	centroid = calloc(r->m.nterms ? r->m.nterms : 1, sizeof(*centroid));
	r->key_ids = calloc(r->res->nthemes ? r->res->nthemes : 1, sizeof(*r->key_ids));
	ts = malloc((r->m.nterms > maxn ? r->m.nterms : maxn ? maxn : 1) * sizeof(*ts));
	uniq = malloc((maxn ? maxn : 1) * sizeof(*uniq));
	scratch = malloc((maxn ? maxn : 1) * sizeof(*scratch));
	count = calloc(maxvalues, sizeof(*count));
	if (!seen || !centroid || !ts || !uniq || !scratch || !count || !r->key_ids)
		goto out;
	for (t = 0; t < r->res->nthemes; t++) {
		struct analysis_theme *at = &r->res->themes[t];
		size_t n = dedupe(r, r->members[t], r->nmembers[t], uniq, scratch);

		if ((err = describe_terms(r, t, uniq, n, seen, ts)))
			goto out;
		describe_quotes(r, at, uniq, n, centroid, ts);
		/* All members: answers that say the same thing in other words name it too. */
		if (!at->label && (err = make_label(r, at, r->members[t], r->nmembers[t])))
			goto out;
		for (dim = 0; dim < ANALYSIS_NDIMS; dim++)
			if ((err = describe_shares(r, at, r->members[t], r->nmembers[t], dim, &dims[dim], count)))
				goto out;
	}
	err = AN_OK;
out:
	for (dim = 0; dim < ANALYSIS_NDIMS; dim++)
		free_dim(&dims[dim]);
	free(seen);
	free(centroid);
	free(ts);
	free(uniq);
	free(scratch);
	free(count);
	return err;
}

/* ---- why each answer is where it is ---- */

/*
 * The written form of term t (term_display), made once per run and kept
 * in r->shown; NULL when out of memory.
 */
static const char *shown(struct run *r, uint32_t t)
{
	if (!r->shown && !(r->shown = calloc(r->corpus.terms.n ? r->corpus.terms.n : 1, sizeof(*r->shown))))
		return NULL;
	if (!r->shown[t] && term_display(r, t, &r->shown[t]))
		return NULL;
	return r->shown[t];
}

/* "name1, name2": the written forms of terms v[0..n). */
static int add_term_list(struct run *r, struct buf *b, const uint32_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *word = shown(r, v[i]);

		if (!word || (i && buf_adds(b, ", ")) || buf_adds(b, word))
			return AN_ENOMEM;
	}
	return AN_OK;
}

/*
 * The words of answer d that matched term j of theme t, as shown, space
 * separated, into *out (NULL when the term is not found, which cannot
 * happen for a matched term), and in *same whether they are the term's own
 * words (its folded keys).
 */
static int matched_words(const struct run *r, size_t d, size_t t, size_t j, char **out, int *same)
{
	const struct corpus *c = &r->corpus;
	const struct theme_term *tt = &r->themes.v[t].terms[j];
	const uint32_t *tok = c->tok + c->doc_start[d];
	size_t ntok = c->doc_start[d + 1] - c->doc_start[d], pos, k;
	uint32_t at[THEMES_MAX_KEYS];
	struct buf b;
	int err = AN_OK;

	*out = NULL;
	*same = 1;
	for (pos = 0; pos < ntok && !term_at(r, t, j, tok, ntok, pos, at); pos++)
		;
	if (pos == ntok)
		return AN_OK;
	buf_init(&b, TEXT_MAX_LEN);
	for (k = 0; k < tt->nkeys && !err; k++) {
		char *word;

		*same &= !strcmp(dict_str(&c->words, tok[at[k]]), tt->folded[k]);
		if ((err = word_display(r, tok[at[k]], &word)))
			break;
		if ((k && buf_addc(&b, ' ')) || buf_adds(&b, word))
			err = AN_ENOMEM;
		free(word);
	}
	if (!err && !(*out = buf_detach(&b, NULL)))
		err = AN_ENOMEM;
	buf_free(&b);
	return err;
}

/*
 * "matched: SIP, läkarkontinuitet, rekryterade (rekrytering)": each run of
 * the answer's words that matched once, as the term when a term is those
 * very words, else with the longest term it matched in brackets.
 */
static int add_matched(const struct run *r, struct buf *b, size_t d, const struct analysis_match *mt)
{
	const struct analysis_theme *at = &r->res->themes[mt->theme];
	char **words = calloc(mt->nterms, sizeof(*words));
	int *same = calloc(mt->nterms, sizeof(*same));
	size_t i, j, shown = 0;
	int err = AN_OK;

	if (!words || !same)
		err = AN_ENOMEM;
	for (i = 0; i < mt->nterms && !err; i++)
		err = matched_words(r, d, mt->theme, mt->terms[i], &words[i], &same[i]);
	if (!err && buf_adds(b, "matched: "))
		err = AN_ENOMEM;
	for (i = 0; i < mt->nterms && !err; i++) {
		const char *own = NULL, *longest;

		if (!words[i])
			continue;
		for (j = 0; j < i && (!words[j] || strcmp(words[j], words[i])); j++)
			;
		if (j < i)
			continue;
		/* The group of terms these words matched: one of them the words
		 * themselves, else the longest (the most specific: "barnhälsovård", not "barn"). */
		longest = at->given[mt->terms[i]];
		for (j = i; j < mt->nterms && !own; j++) {
			if (!words[j] || strcmp(words[j], words[i]))
				continue;
			if (same[j])
				own = at->given[mt->terms[j]];
			else if (strlen(at->given[mt->terms[j]]) > strlen(longest))
				longest = at->given[mt->terms[j]];
		}
		if ((shown++ && buf_adds(b, ", ")) ||
		    (own ? buf_adds(b, own) : buf_printf(b, "%s (%s)", words[i], longest)))
			err = AN_ENOMEM;
	}
	for (i = 0; words && i < mt->nterms; i++)
		free(words[i]);
	free(words);
	free(same);
	return err;
}

/* The evidence of answer d's primary theme (analysis.h), in b. */
static int explain_answer(struct run *r, size_t d, struct buf *b)
{
	const struct analysis_assignment *as = &r->res->assign[d];
	const struct analysis_match *mt = &as->matches[0];
	const struct analysis_theme *at = &r->res->themes[mt->theme];
	const struct learn_result *lr = &r->learned;
	int how = lr->how ? lr->how[d] : LEARN_NONE, err;
	size_t i, x, n = 0;

	if (mt->human)
		return buf_adds(b, "placed by a person") ? AN_ENOMEM : AN_OK;
	if (how == LEARN_FOLLOWED)
		return buf_printf(b, "like answer %s, which a person placed", r->res->ids[lr->like[d]]) ? AN_ENOMEM
												       : AN_OK;
	if (at->origin == ANALYSIS_DISCOVERED) {
		/* The theme's key terms this answer has. */
		if (buf_adds(b, "discovered"))
			return AN_ENOMEM;
		for (i = 0; i < at->nterms && n < LEARN_MAX_WHY; i++)
			for (x = r->m.doc_start[d]; x < r->m.doc_start[d + 1]; x++)
				if (r->m.term[x] == r->key_ids[mt->theme][i] &&
				    (buf_adds(b, n++ ? ", " : ", with the theme's words: ") || buf_adds(b, at->terms[i])))
					return AN_ENOMEM;
		return AN_OK;
	}
	if (mt->nterms && (err = add_matched(r, b, d, mt)))
		return err;
	if (lr->nwhy && lr->nwhy[d])
		if ((b->len && buf_adds(b, "; ")) || buf_adds(b, "learned from the answers: ") ||
		    (err = add_term_list(r, b, lr->why[d], lr->nwhy[d])))
			return AN_ENOMEM;
	return AN_OK;
}

/* Every answer's confidence and evidence; every given theme's learned words. */
static int explain(struct run *r)
{
	const struct learn_result *lr = &r->learned;
	struct buf b;
	size_t d, t;
	int err = AN_OK;

	for (t = 0; lr->vocab && t < lr->nthemes; t++) {
		struct analysis_theme *at = &r->res->themes[t];

		at->learned = calloc(lr->nvocab[t] ? lr->nvocab[t] : 1, sizeof(*at->learned));
		if (!at->learned)
			return AN_ENOMEM;
		for (; at->nlearned < lr->nvocab[t]; at->nlearned++) {
			const char *word = shown(r, lr->vocab[t][at->nlearned]);

			if (!word || !(at->learned[at->nlearned] = strdup(word)))
				return AN_ENOMEM;
		}
	}
	buf_init(&b, TEXT_MAX_LEN);
	for (d = 0; d < r->in->n && !err; d++) {
		struct analysis_assignment *as = &r->res->assign[d];

		if (!as->nmatches) {
			as->confidence = 0;
			continue;
		}
		/* Discovery set the confidence of the answers it clustered. */
		if (lr->confidence && as->matches[0].theme < r->themes.n)
			as->confidence = lr->confidence[d];
		buf_reset(&b);
		if ((err = explain_answer(r, d, &b)))
			break;
		if (b.len && !(as->evidence = strndup(b.data, b.len)))
			err = AN_ENOMEM;
	}
	buf_free(&b);
	return err;
}

/* ---- entry points ---- */

static int copy_answers(struct run *r)
{
	struct analysis_result *res = r->res;
	size_t d;
	int err;

	res->ids = calloc(r->in->n ? r->in->n : 1, sizeof(*res->ids));
	res->texts = calloc(r->in->n ? r->in->n : 1, sizeof(*res->texts));
	res->assign = calloc(r->in->n ? r->in->n : 1, sizeof(*res->assign));
	if (!res->ids || !res->texts || !res->assign)
		return AN_ENOMEM;
	res->nanswers = r->in->n;
	for (d = 0; d < r->in->n; d++) {
		const struct analysis_answer *a = &r->in->v[d];
		char num[32];

		snprintf(num, sizeof(num), "%zu", d + 1);
		if ((err = dup_str(&res->ids[d], a->id && *a->id ? a->id : num)) ||
		    (err = dup_str(&res->texts[d], a->text)))
			return err;
	}
	return AN_OK;
}

/* Free `n` strings and the array holding them (NULL with n 0 is fine). */
static void strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void run_free(struct run *r)
{
	size_t i;

	if (r->term_keys)
		for (i = 0; i < r->themes.n; i++)
			free(r->term_keys[i]);
	free(r->term_keys);
	if (r->term_nalts)
		for (i = 0; i < r->themes.n; i++)
			free(r->term_nalts[i]);
	free(r->term_nalts);
	themes_free(&r->themes);
	apply_free(r->apply);
	if (r->shown)
		for (i = 0; i < r->corpus.terms.n; i++)
			free(r->shown[i]);
	free(r->shown);
	corpus_free(&r->corpus);
	corpus_matrix_free(&r->m);
	lang_close(&r->lang);
	free(r->surface);
	free(r->idf);
	free(r->row_hash);
	dict_free(&r->keys);
	free(r->key_prefix);
	free(r->key_themes);
	free(r->term_themes);
	free(r->word_key_start);
	free(r->word_keys);
	free(r->first_start);
	free(r->first_refs);
	free(r->cover_start);
	free(r->cover);
	free(r->before);
	free(r->number);
	learn_result_free(&r->learned);
	if (r->members)
		for (i = 0; i < r->nmember_lists; i++)
			free(r->members[i]);
	free(r->members);
	free(r->nmembers);
	free(r->key_ids);
}

enum an_err analysis_run(const struct analysis_input *in, const struct analysis_opts *opts,
		 struct analysis_result **out)
{
	struct run r;
	const char *lang = opts->lang ? opts->lang : "sv";
	size_t maxthemes;
	int err;

	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.opts = opts;
	if (in->n > ANALYSIS_MAX_ANSWERS)
		return run_err(&r, AN_ETOOBIG, "more than %u answers", ANALYSIS_MAX_ANSWERS);
	if ((err = lang_open(&r.lang, lang)))
		return run_err(&r, err, "unknown language '%s'", lang);
	corpus_init(&r.corpus, &r.lang);
	dict_init(&r.keys);
	r.res = calloc(1, sizeof(*r.res));
	if (!r.res) {
		err = AN_ENOMEM;
		goto fail;
	}
	snprintf(r.res->lang, sizeof(r.res->lang), "%s", r.lang.code);
	r.res->seed = opts->seed;
	if ((err = load_themes(&r)) || (err = copy_answers(&r)) || (err = build_corpus(&r)) ||
	    (err = build_matrix(&r)))
		goto fail;
	/* Clustering never returns more clusters than documents. */
	maxthemes = r.themes.n + in->n;
	r.res->themes = calloc(maxthemes ? maxthemes : 1, sizeof(*r.res->themes));
	if (!r.res->themes) {
		err = AN_ENOMEM;
		goto fail;
	}
	if ((err = seed_themes(&r)) ||
	    (r.apply && ((err = snapshot_before(&r)) || (err = apply_answers(r.apply, r.res->assign, r.res->ids, in->n)))) ||
	    (err = learn(&r)) || (err = discover(&r)) || (err = collect_members(&r)) || (err = describe(&r)) ||
	    (err = explain(&r)))
		goto fail;
	run_free(&r);
	*out = r.res;
	return AN_OK;
fail:
	analysis_result_free(r.res);
	run_free(&r);
	return err;
}

void analysis_result_free(struct analysis_result *r)
{
	size_t i, j;
	int dim;

	if (!r)
		return;
	for (i = 0; r->themes && i < r->nthemes; i++) {
		struct analysis_theme *t = &r->themes[i];

		free(t->id);
		free(t->label);
		strings_free(t->merged, t->nmerged);
		strings_free(t->merged_labels, t->nmerged);
		strings_free(t->terms, t->nterms);
		strings_free(t->given, t->ngiven);
		strings_free(t->learned, t->nlearned);
		for (dim = 0; dim < ANALYSIS_NDIMS; dim++) {
			for (j = 0; j < t->nshares[dim]; j++)
				free(t->shares[dim][j].value);
			free(t->shares[dim]);
		}
	}
	free(r->themes);
	for (i = 0; i < r->nanswers; i++) {
		if (r->ids)
			free(r->ids[i]);
		if (r->texts)
			free(r->texts[i]);
		if (r->assign) {
			for (j = 0; j < r->assign[i].nmatches; j++)
				free(r->assign[i].matches[j].terms);
			free(r->assign[i].matches);
			free(r->assign[i].evidence);
		}
	}
	free(r->ids);
	free(r->texts);
	free(r->assign);
	free(r);
}

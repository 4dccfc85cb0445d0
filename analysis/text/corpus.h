/*
 * corpus.h - answers turned into words, terms and TF-IDF vectors.
 *
 * Work is done once per distinct string, not per token: a token as written
 * maps to a folded word, and each folded word carries its stop-word flag,
 * its stem and its compound parts.  Terms (the features) are stems, whole
 * acronyms and numbers, and the stems of compound parts; a compound counts
 * both as itself and as its parts.  All ids are given in first-seen order,
 * so results never depend on hash values or addresses.
 */
#ifndef INSPEL_CORPUS_H
#define INSPEL_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "text/compound.h"
#include "core/dict.h"
#include "text/text.h"
#include "core/an_err.h"

#define CORPUS_MAX_DOCS 1000000u
#define CORPUS_MAX_TOKENS 200000000u

enum corpus_word_flag {
	CORPUS_STOP = 1,
	CORPUS_ACRONYM = 2,
	CORPUS_NUMBER = 4,
	CORPUS_WRITTEN = 8,    /* occurs as a token (not only as a compound part) */
	CORPUS_ACRONYM_HEAD = 16,  /* written with an acronym before its first '-' ("IT-stöd") */
};

struct corpus_word {
	uint32_t term;                              /* the whole word's term */
	uint32_t part_term[COMPOUND_MAX_PARTS];     /* terms of the compound parts */
	uint32_t part_surface[COMPOUND_MAX_PARTS];  /* word ids of the parts as written */
	uint32_t freq;                              /* tokens in the corpus (set by corpus_finish) */
	uint8_t nparts, flags;
};

struct lang;

struct corpus {
	struct lang *lang;          /* not owned; used for stemming */
	struct dict raw;            /* tokens as written */
	uint32_t *raw_word;         /* raw id -> word id */
	size_t raw_cap;
	struct dict words;          /* folded words */
	struct corpus_word *w;      /* word id -> data */
	size_t w_cap;
	struct dict terms;          /* term strings */
	uint32_t *doc_start;        /* ndocs + 1 offsets into tok */
	size_t ndocs, doc_cap;
	uint32_t *tok;              /* content (non-stop) word ids, document by document */
	size_t ntok, tok_cap;
	struct buf nfc, fold, key;  /* scratch, reused */
	struct text_tokens toks;    /* scratch, reused */
	int finished;
};

/* A TF-IDF matrix over some of the corpus's documents (compressed rows). */
struct corpus_matrix {
	size_t ndocs, nterms;
	uint32_t *doc_start, *term, *count, *df;
	float *weight;
};

/* Start an empty corpus stemming with `l` (borrowed; must outlive the corpus). */
void corpus_init(struct corpus *c, struct lang *l);

/* Free everything the corpus owns (not the language). */
void corpus_free(struct corpus *c);

/*
 * Append one document.  Invalid UTF-8 (or a NUL byte) still appends the
 * document, empty, and returns AN_EUTF8 so the caller can report it.
 * Returns AN_OK, AN_EUTF8, AN_ETOOBIG (a limit above) or AN_ENOMEM.  Must not
 * be called after corpus_finish.
 */
enum an_err corpus_add(struct corpus *c, const char *text, size_t len);

/*
 * Stem every word and, when `split` is set and the language compounds, split
 * compounds using the language's word list, the `nextra` folded words in
 * `extra` (theme terms) and the corpus's own words as known parts.  A word
 * written with hyphens is split at them instead ("KOL-patienter" is kol +
 * patient, "e-tjänster" is e- + tjänst): a single letter stays a part with
 * its hyphen, an acronym head ("IT-stöd") stays unstemmed and shown in
 * capitals, pieces of digits are left out.  Returns AN_OK or
 * AN_ENOMEM/AN_ETOOBIG.
 */
enum an_err corpus_finish(struct corpus *c, int split, const char *const *extra, size_t nextra);

/*
 * Build the TF-IDF matrix of documents docs[0..ndocs) (all documents when
 * docs is NULL): sublinear tf 1 + ln(tf), smooth idf ln((1 + N) / (1 + df)) + 1
 * over those documents, rows L2-normalised, terms ascending in each row.
 * Returns AN_OK or AN_ENOMEM; free with corpus_matrix_free.
 */
enum an_err corpus_matrix(const struct corpus *c, const uint32_t *docs, size_t ndocs, struct corpus_matrix *m);

/* Free the arrays of `m` and zero it; safe on a zeroed matrix. */
void corpus_matrix_free(struct corpus_matrix *m);

/*
 * The same matrix for the rows docs[0..ndocs) of `full`, with df and the
 * weights recomputed over those rows only (what clustering a subset needs),
 * without tokenising again.  When `drop` is not NULL (full->nterms flags,
 * borrowed), terms with a non-zero flag are left out; a row left without
 * terms stays empty.  Returns AN_OK or AN_ENOMEM.
 */
enum an_err corpus_matrix_rows(const struct corpus_matrix *full, const uint32_t *docs, size_t ndocs,
		       const uint8_t *drop, struct corpus_matrix *m);

#define CORPUS_STOP_WORD UINT32_MAX          /* corpus_lookup: a stop word */
#define CORPUS_UNKNOWN (UINT32_MAX - 1)      /* corpus_lookup: never seen (or too long to look up) */

/*
 * The word id of token tok[0..len) as text_tokenize found it (with its
 * flags) in a text added before: the same mapping corpus_add made, without
 * changing the corpus, so a finished corpus can be read again from
 * several places.  Returns the word id, CORPUS_STOP_WORD or
 * CORPUS_UNKNOWN.
 */
uint32_t corpus_lookup(const struct corpus *c, const char *tok, size_t len, unsigned tflags);

/*
 * Flags for the terms that are numbers (words of digits only): a malloc'd
 * array of c->terms.n bytes, 1 for a number term (caller frees), or NULL
 * when out of memory.  Call after corpus_finish.
 */
uint8_t *corpus_number_terms(const struct corpus *c);

/*
 * For each term, the word id of its most common written form (ties: the
 * smaller string), so labels read "kontinuitet", never a raw stem.  Returns
 * a malloc'd array of c->terms.n ids (caller frees), or NULL when out of
 * memory.
 */
uint32_t *corpus_surfaces(const struct corpus *c);

#endif

/*
 * lang.h - per-language data: stop words, Snowball stemmer, word list.
 *
 * A language is a table row in lang.c plus data files under
 * analysis/data/<code>/ that are embedded into the binary, so the program
 * needs no files at run time.  A struct lang owns its stemmer, and Snowball
 * stemmers keep state, so one struct lang must only be used by one thread.
 */
#ifndef INSPEL_LANG_H
#define INSPEL_LANG_H

#include <stddef.h>
#include <stdint.h>

#include "core/dict.h"
#include "core/an_err.h"

struct sb_stemmer;

#define LANG_MAX_SUFFIXES 16   /* rules of each kind in suffixes.txt */
#define LANG_MAX_ROOTS 4       /* roots lang_roots gives for one stem */

/* A suffix rule of analysis/data/<code>/suffixes.txt. */
struct lang_suffix {
	const char *s;                /* points into the embedded file; not NUL-terminated */
	uint8_t len;                  /* bytes */
	uint8_t min;                  /* characters that must remain before it */
};

struct lang {
	const char *code;             /* "sv", "en": static */
	struct sb_stemmer *stemmer;
	struct dict stop;             /* folded stop words */
	const char *lexicon;          /* embedded word list text (NUL-terminated), "" if none */
	int compounds;                /* 1 when the language writes compounds closed (sv) */
	struct lang_suffix inflect[LANG_MAX_SUFFIXES];  /* stripped from every stem (Swedish definite -an) */
	struct lang_suffix derive[LANG_MAX_SUFFIXES];   /* derivational endings: roots for theme matching */
	size_t ninflect, nderive;
};

/*
 * Load language `code`.  Returns AN_OK, AN_ELANG (unknown code or no Snowball
 * algorithm), AN_EINVAL (a line of its suffixes.txt is not "inflect|derive
 * SUFFIX MIN", or there are more than LANG_MAX_SUFFIXES of a kind) or
 * AN_ENOMEM; on error nothing needs freeing.  Free with lang_close.
 */
enum an_err lang_open(struct lang *l, const char *code);

/* 1 when `code` names a language in the table (lang_open may still fail for memory). */
int lang_known(const char *code);

/* Free the stemmer and stop words; safe after a failed lang_open. */
void lang_close(struct lang *l);

/* 1 when the folded word w[0..len) is a stop word. */
int lang_is_stop(const struct lang *l, const char *w, size_t len);

/*
 * Stem the folded word w[0..len): Snowball, then the language's inflection
 * suffixes (the first that fits is stripped once).  Returns the stem, which
 * lives in the stemmer and is valid until the next lang_stem call on `l`,
 * and its length in *outlen; NULL when out of memory.
 */
const char *lang_stem(struct lang *l, const char *w, size_t len, size_t *outlen);

/*
 * The derivational roots of the stem s[0..len): for every derivation suffix
 * the stem ends with, leaving at least its minimum of characters, the
 * length of what remains ("rekrytering" gives 6, "rekryt", and 8,
 * "rekryter").  Each root is a prefix of `s`.  Writes at most
 * LANG_MAX_ROOTS lengths to out[], longest suffix first, and returns how
 * many; 0 for a language without derivation suffixes.
 */
size_t lang_roots(const struct lang *l, const char *s, size_t len, size_t out[LANG_MAX_ROOTS]);

/*
 * Call fn(ctx, word, len) for each entry of a word-list text (one entry per
 * line, '#' comments, surrounding blanks ignored).  Stops at and returns the
 * first non-zero value fn returns; otherwise AN_OK.
 */
int lang_each_line(const char *text, int (*fn)(void *ctx, const char *w, size_t len), void *ctx);

#endif

/*
 * themes.h - given themes: the themes file and its terms.
 *
 * A themes file has one theme per line, `id | label | term, term, ...`, with
 * '#' comments and blank lines.  Each term is compiled into keys in the
 * corpus's term space (stems, folded acronyms) so an answer matches a theme
 * when one of its words or compound parts equals a key, or starts with it
 * when the key is long enough ("digital" finds "digitaliseringen").  A key
 * also carries roots, prefixes of it that match as well: the stem before a
 * derivational suffix ("rekrytering" -> "rekryter", which "rekrytera" has)
 * and the head of a hyphenated abbreviation ("IT-stöd" -> "it",
 * "e-hälsa" -> "e-").
 */
#ifndef INSPEL_THEMES_H
#define INSPEL_THEMES_H

#include <stddef.h>
#include <stdint.h>
#include "core/an_err.h"

#define THEMES_MAX 64                /* themes per file */
#define THEMES_MAX_TERMS 512         /* terms per theme */
#define THEMES_MAX_KEYS 6            /* words per term ("fast läkarkontakt" has 2) */
#define THEMES_MAX_LINE 16384        /* bytes per line */
#define THEMES_MIN_PREFIX 5          /* characters a key needs before it may match as a prefix */
#define THEMES_ID_MAX 48
#define THEMES_MAX_ROOTS 5           /* roots per key: derivational (LANG_MAX_ROOTS) + a hyphen head */
#define THEMES_MAX_GAP 2             /* words allowed between two words of a term ("fast och namngiven läkarkontakt") */

struct lang;

struct theme_term {
	char *text;                      /* as written in the file */
	size_t nkeys;                    /* 0 when the term is only stop words */
	char *keys[THEMES_MAX_KEYS];     /* stems or folded acronyms, in order */
	char *folded[THEMES_MAX_KEYS];   /* the folded words behind them (compound parts) */
	uint8_t prefix[THEMES_MAX_KEYS]; /* 1 when the key may match as a stem prefix */
	uint16_t roots[THEMES_MAX_KEYS][THEMES_MAX_ROOTS];  /* byte lengths of prefixes of keys[k] that match too */
	uint8_t nroots[THEMES_MAX_KEYS];
	uint8_t root_prefix[THEMES_MAX_KEYS];  /* bit r: roots[k][r] may match as a stem prefix */
};

struct theme {
	char *id, *label;
	struct theme_term *terms;
	size_t nterms;
};

struct themes {
	struct theme *v;
	size_t n;
};

/*
 * Parse a themes file text[0..len) into *t.  On error returns AN_EINVAL,
 * AN_EUTF8 or AN_ETOOBIG, writes "line N: what is wrong" to err[0..errlen),
 * and leaves *t empty; otherwise AN_OK (AN_ENOMEM possible).  Free with
 * themes_free.
 */
enum an_err themes_parse(struct themes *t, const char *text, size_t len, char *err, size_t errlen);

/*
 * Fill each term's keys using language `l`: tokenise, fold, drop stop words,
 * stem (acronyms are kept whole and never prefix-match), and each key's
 * roots: the language's derivational roots of the stem (lang_roots; a root
 * of THEMES_MIN_PREFIX characters or more may match as a prefix) and, for a
 * word written with a hyphen after an acronym or a single letter, that head
 * ("it" of "IT-stöd", "e-" of "e-hälsa"; equal matches only).  Returns AN_OK
 * or AN_ENOMEM.
 */
enum an_err themes_compile(struct themes *t, struct lang *l);

/* 1 when s[0..len) is a valid theme id (1-THEMES_ID_MAX of a-z 0-9 - _), else 0. */
int themes_valid_id(const char *s, size_t len);

/* Free every theme; `t` is empty afterwards.  Safe on an empty struct. */
void themes_free(struct themes *t);

/* Free one term's text, keys and folded words; `tt` is zeroed afterwards. */
void theme_term_free(struct theme_term *tt);

/* Free one theme's id, label and terms; `th` is zeroed afterwards. */
void theme_free(struct theme *th);

/* The shipped Swedish primary-care themes (analysis/data/themes/primarvard.txt), NUL-terminated. */
const char *themes_default(void);

#endif

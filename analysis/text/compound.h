/*
 * compound.h - splitting Swedish closed compounds into known parts.
 *
 * "läkarkontinuitet" is läkare + kontinuitet, but the Snowball stemmer
 * leaves it whole, so without splitting it never meets "kontinuitet".  The
 * splitter knows words (full forms and their stems) from the language's
 * word list, the theme terms and the corpus, and segments a word's stem by
 * dynamic programming: fewest parts first, then the longest parts.
 */
#ifndef INSPEL_COMPOUND_H
#define INSPEL_COMPOUND_H

#include <stddef.h>
#include <stdint.h>

#include "core/dict.h"
#include "core/an_err.h"

#define COMPOUND_MAX_PARTS 4
#define COMPOUND_MIN_PART 3      /* characters; "hem", "vår" are the shortest useful parts */
#define COMPOUND_MAX_WORD 96     /* bytes; longer words are not split */

struct lang;

#define COMPOUND_PREFIX_BITS 65536

struct compound {
	struct dict known;           /* known full forms and stems */
	uint8_t *kind;               /* per known id: COMPOUND_FORM / COMPOUND_STEM bits */
	size_t kind_cap;
	uint8_t prefix3[COMPOUND_PREFIX_BITS / 8];  /* hashed first 3 bytes of known strings */
};

struct compound_part {
	size_t len;                          /* bytes in form */
	char form[COMPOUND_MAX_WORD + 2];    /* the part as a word: "läkare" for "läkar-" */
};

/* Start with no known parts; never fails (memory comes with compound_add). */
void compound_init(struct compound *c);

/* Free everything; `c` is empty again. */
void compound_free(struct compound *c);

/*
 * Make the folded word w[0..len) a known part: its full form and its stem
 * (stemmed with `l`).  Words shorter than COMPOUND_MIN_PART characters are
 * ignored.  Returns AN_OK or AN_ENOMEM/AN_ETOOBIG.
 */
enum an_err compound_add(struct compound *c, struct lang *l, const char *w, size_t len);

/*
 * Split `stem` (the stem of a folded word) into 2..COMPOUND_MAX_PARTS known
 * parts, allowing a linking 's' after a part, a dropped final 'e' or 'a'
 * (läkar-kontinuitet, skol-hälsovård) and a hyphen between parts.  Non-final
 * parts come back as full forms, the final part as it appears in the stem.
 * Returns the number of parts written to parts[], or 0 when the word is not
 * a compound of known parts.
 */
size_t compound_split(const struct compound *c, const char *stem, size_t len,
		      struct compound_part parts[COMPOUND_MAX_PARTS]);

#endif

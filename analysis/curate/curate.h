/*
 * curate.h - the list of people's decisions about themes, parsed and checked.
 *
 * A facilitator or plan writer renames, merges and splits themes, moves an
 * answer or puts it in a second theme, adopts a discovered theme and edits
 * the themes file.  Each decision is a small JSON object whose kinds and
 * fields are the table of vocab.h (the kinds the analysis applies: every
 * one but "undo", which the server resolves by leaving the undone decision
 * out).  The list is kept in the order it was made and applied in full
 * every time the analysis runs (apply.h says how), so a human decision
 * always wins over the algorithm while answers that arrive later are
 * still sorted.  No decision refers to a discovered theme ("new-N"): the
 * caller adopts a discovered theme first, which turns it into a curated
 * theme with a stable id.
 *
 * The rules, per field type of vocab.h (every string valid UTF-8, unknown
 * members refused): theme ids follow the themes file rule (1-48 of a-z 0-9
 * - _), and a new theme's id may not look like a discovered one ("new-"
 * and digits); answer ids are the analysis_answer ids (non-empty strings;
 * a decision applies to the first answer with the id); labels and terms
 * 1-100 characters; at most CURATE_MAX_TERMS terms and CURATE_MAX_ANSWERS
 * answers per adopt.  An optional field may also be null (same as absent).
 */
#ifndef INSPEL_CURATE_H
#define INSPEL_CURATE_H

#include <stddef.h>

#include "curate/vocab.h"
#include "core/an_err.h"

#define CURATE_MAX_DECISIONS 10000
/* The limits the parser enforces, which are the table's (vocab.h). */
#define CURATE_MAX_TERMS VOCAB_TERMS_MAX
#define CURATE_MAX_ANSWERS VOCAB_ANSWERS_MAX
#define CURATE_MAX_LABEL VOCAB_LABEL_MAX    /* code points */
#define CURATE_MAX_TERM VOCAB_TERM_MAX      /* code points */

struct curate_decision {
	enum vocab_kind kind;
	char *theme;        /* the VOCAB_THEME field: split, rename, merge (A), also; move: `from` (NULL = every theme) */
	char *target;       /* the VOCAB_TARGET or VOCAB_NEW_THEME field: merge: `into`; move: `to` (NULL = no
			     * theme); adopt and split: the new theme's id */
	char *label;        /* adopt, split, rename */
	char *answer;       /* move, also */
	char *text;         /* themes */
	char **terms;       /* adopt: its terms; split: the one term */
	size_t nterms;
	char **answers;     /* adopt */
	size_t nanswers;
};

struct curate {
	struct curate_decision *v;
	size_t n;
};

/*
 * Parse a JSON array of decision objects text[0..len) into *c.  Returns
 * AN_OK, or AN_EINVAL with "decision N: what is wrong" in err[0..errlen)
 * (malformed JSON, unknown kind or member, missing or mistyped field, bad
 * id, empty or overlong label or term, a limit above), AN_EUTF8, AN_ENOMEM;
 * *c is then empty.  Fields are checked in the table's order, the first
 * wrong one named.  Theme texts are not parsed here (themes_parse does it
 * when the analysis runs).  Free with curate_free.
 */
enum an_err curate_parse(struct curate *c, const char *text, size_t len, char *err, size_t errlen);

/* Free every decision; `c` is empty afterwards.  Safe on an empty struct. */
void curate_free(struct curate *c);

/* The text of the last "themes" decision, or NULL when there is none.  Owned by `c`. */
const char *curate_themes_text(const struct curate *c);

#endif

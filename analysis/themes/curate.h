/*
 * curate.h - people's decisions about themes, applied inside analysis_run.
 *
 * A facilitator or plan writer renames, merges and splits themes, moves an
 * answer or puts it in a second theme, adopts a discovered theme and edits
 * the themes file.  Each decision is a small JSON object; the list is kept
 * in the order it was made and applied in full every time the analysis
 * runs, so a human decision always wins over the algorithm while answers
 * that arrive later are still sorted.  This module parses and checks the
 * list; analysis.c applies it (see "Order of application" below).  No
 * decision refers to a discovered theme ("new-N"): the caller adopts a
 * discovered theme first, which turns it into a curated theme with a
 * stable id.
 *
 * Decision objects (every string valid UTF-8; unknown members refused):
 *   {"kind": "themes", "text": "id | label | terms\n..."}
 *       replaces the base themes file (the last one wins)
 *   {"kind": "adopt", "id": "c1", "label": "...", "terms": ["...", ...], "answers": ["305", ...]}
 *       a new curated theme matched by `terms`, with `answers` pinned to it
 *   {"kind": "split", "theme": "T", "term": "telefon", "id": "c2", "label": "..."}
 *       the term leaves T and becomes theme `id`; T's answers with the term move there
 *   {"kind": "rename", "theme": "T", "label": "..."}
 *   {"kind": "merge", "theme": "A", "into": "B"}
 *       A's terms join B, A's answers and pins go to B, A disappears
 *   {"kind": "move", "answer": "305", "from": "A", "to": "B"}
 *       `from` optional (absent: every theme of the answer); `to` may be
 *       null: the answer fits no theme (and is not clustered either)
 *   {"kind": "also", "answer": "305", "theme": "B"}
 *       the answer belongs to B as well
 * Theme ids follow the themes file rule (1-48 of a-z 0-9 - _), and the id
 * of a new theme (adopt, split) may not look like a discovered one
 * ("new-" and digits); answer ids are the analysis_answer ids (non-empty
 * strings; a decision applies to the first answer with the id); labels
 * 1-100 characters; terms 1-100 characters; at most CURATE_MAX_TERMS
 * terms and CURATE_MAX_ANSWERS answers per decision.  In "move", "from"
 * may also be null (same as absent).
 *
 * Order of application in analysis_run:
 *   1. base themes = the last "themes" text (also over --themes none),
 *      else opts->themes_text, else the shipped themes;
 *   2. "adopt", "split", "rename" and "merge" in decision order: adopted
 *      and split themes are appended (a split also removes its term from
 *      T), a rename sets the label, a merge appends A's terms to B and
 *      removes A.  A theme a decision names is resolved through the merges
 *      made before it (A into B, B into C sends A to C); a merge closing
 *      a cycle is ignored; every later theme reference goes through the
 *      merges;
 *   3. matching by terms as usual;
 *   4. adopted answers get their theme as primary and lose discovered ones;
 *   5. split: an answer with both `id` and T loses T (`id` takes its
 *      place).  An answer with `id` but not T keeps `id`: every answer
 *      with the term had T before the term left it, and any other way to
 *      `id` is a theme merged into it;
 *   6. "move" and "also" in decision order; their (answer, theme) pairs
 *      are marked human and nothing later removes them;
 *   7. clustering only sees answers with no theme that no decision pinned;
 *   8. description (labels, terms, quotes, shares) of the curated result.
 * A decision that names a theme or answer that no longer exists, makes a
 * theme whose id is taken, or splits off a term T does not have is
 * skipped, not an error: the data moved on, the record stays.  Errors
 * while applying: a "themes" text that does not parse (AN_EINVAL), more
 * than THEMES_MAX themes at once or THEMES_MAX_TERMS terms in one theme
 * (AN_ETOOBIG), each naming the decision.
 */
#ifndef INSPEL_CURATE_H
#define INSPEL_CURATE_H

#include <stddef.h>

#define CURATE_MAX_DECISIONS 10000
#define CURATE_MAX_TERMS 64
#define CURATE_MAX_ANSWERS 100000
#define CURATE_MAX_LABEL 100         /* code points */
#define CURATE_MAX_TERM 100          /* code points */

enum curate_kind {
	CURATE_THEMES, CURATE_ADOPT, CURATE_SPLIT, CURATE_RENAME, CURATE_MERGE, CURATE_MOVE, CURATE_ALSO,
};

struct curate_decision {
	enum curate_kind kind;
	char *theme;        /* split, rename, merge (A), also; move: `from` (NULL = every theme) */
	char *target;       /* adopt and split: the new theme's id; merge: `into`; move: `to` (NULL = no theme) */
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
 * *c is then empty.  Theme texts are not parsed here (themes_parse does it
 * when the analysis runs).  Free with curate_free.
 */
int curate_parse(struct curate *c, const char *text, size_t len, char *err, size_t errlen);

/* Free every decision; `c` is empty afterwards.  Safe on an empty struct. */
void curate_free(struct curate *c);

/* The text of the last "themes" decision, or NULL when there is none.  Owned by `c`. */
const char *curate_themes_text(const struct curate *c);

#endif

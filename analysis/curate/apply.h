/*
 * apply.h - people's decisions (curate.h) applied to the themes and to the
 * answers' matches, inside analysis_run.
 *
 * Two calls, one on each side of matching: apply_themes rewrites the
 * themes before anything is matched (so a merged or split theme is
 * matched by its own terms, like a themes-file line), apply_answers edits
 * the answers' matches between matching and clustering.  The types of an
 * answer's matches live here, the lowest room that edits them;
 * pipeline/analysis.h, which puts them in its result, includes this
 * header.
 *
 * Order of application in analysis_run:
 *   1. base themes = the last "themes" text (also over --themes none),
 *      else opts->themes_text, else the shipped themes (pipeline, before
 *      apply_themes);
 *   2. "adopt", "split", "rename" and "merge" in decision order: adopted
 *      and split themes are appended (a split also removes its term from
 *      T), a rename sets the label, a merge appends A's terms to B and
 *      removes A.  A theme a decision names is resolved through the merges
 *      made before it (A into B, B into C sends A to C); a merge closing
 *      a cycle is ignored; every later theme reference goes through the
 *      merges;
 *   3. matching by terms as usual (pipeline);
 *   4. adopted answers get their theme as primary and lose discovered ones;
 *   5. split: an answer with both `id` and T loses T (`id` takes its
 *      place).  An answer with `id` but not T keeps `id`: every answer
 *      with the term had T before the term left it, and any other way to
 *      `id` is a theme merged into it.  Splits that, through merges, go
 *      round in a circle (T split into c1, c1's term split into c2, c2
 *      merged back into T) cancel out: each theme of the circle would take
 *      the other's place, so neither does and an answer with both keeps both;
 *   6. "move" and "also" in decision order; their (answer, theme) pairs
 *      are marked human and nothing later removes them;
 *   6b. the themes learn from the answers, with the answers people placed
 *      as examples, and answers like a placed one follow it
 *      (pipeline/learn.h); answers a decision placed are not changed;
 *   7. clustering only sees answers with no theme that no decision pinned
 *      (pipeline);
 *   8. description (labels, terms, quotes, shares) of the curated result
 *      (pipeline).
 * A decision that names a theme or answer that no longer exists, makes a
 * theme whose id is taken, or splits off a term T does not have is
 * skipped, not an error: the data moved on, the record stays.  Errors
 * while applying: more than THEMES_MAX themes at once or THEMES_MAX_TERMS
 * terms in one theme (AN_ETOOBIG), naming the decision.
 */
#ifndef INSPEL_APPLY_H
#define INSPEL_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "themes/themes.h"
#include "core/an_err.h"

struct curate;

/* One theme an answer touches. */
struct analysis_match {
	uint32_t theme;      /* index into result->themes */
	float score;         /* seeded: share of the answer's TF-IDF weight on matched words; discovered: cosine to centroid */
	uint16_t *terms;     /* seeded: indexes into themes[theme].given */
	size_t nterms;
	int human;           /* 1 = a decision put the answer here (adopt, move, also) */
};

/* Every theme an answer touches.  An answer with no match holds no array (matches NULL). */
struct analysis_assignment {
	struct analysis_match *matches;   /* primary first, then by score (apply_match_order) */
	size_t nmatches;                  /* 0 = the answer fits no theme */
	int human_none;                   /* 1 = a "move" decision said it fits no theme */
	float confidence;                 /* 0..1: how sure the primary theme is (0: no theme); set by the pipeline */
	char *evidence;                   /* why the primary theme, for people ("matched: SIP"); NULL = none yet */
};

/* What a curated theme carries beyond the themes file. */
struct apply_theme {
	int made;                        /* 1 = a decision made it (adopt, split); 0 = a line of the base file */
	int renamed;                     /* 1 = a "rename" set its label */
	char **merged, **merged_labels;  /* ids and labels (when merged) of the themes merged into it, in decision order */
	size_t nmerged;
};

struct apply;

/*
 * Steps 2 of the order above: `themes` holds the base themes (parsed, not
 * compiled) and is rewritten in place into the curated ones, in order:
 * the base file's, then the made ones, merged-away ones left out.  The
 * curation `c` is only read, and must outlive *out.  Returns AN_OK and
 * *out (free with apply_free), or AN_ETOOBIG with "decision N: ..." in
 * err[0..errlen) or AN_ENOMEM, with *out NULL; `themes` then holds what
 * it holds (themes_free frees it, as always).
 */
enum an_err apply_themes(const struct curate *c, struct themes *themes, struct apply **out, char *err, size_t errlen);

/*
 * Move what curated theme `t` (an index into the themes apply_themes left)
 * carries into *out: the caller owns the merged lists from here (each
 * string and the array).  A second take of the same theme gives empty lists.
 */
void apply_take_theme(struct apply *a, size_t t, struct apply_theme *out);

/*
 * Steps 4-6: edit assign[0..n) (the answers' matches after matching, whose
 * theme indexes are those of the curated themes; ids[i] is answer i's id).
 * Returns AN_OK or AN_ENOMEM (assignments then valid but half-edited).
 */
enum an_err apply_answers(struct apply *a, struct analysis_assignment *assign, char *const *ids, size_t n);

/* Free everything apply_themes made and no one took; NULL is fine. */
void apply_free(struct apply *a);

/*
 * qsort order of an answer's matches after the primary: higher score
 * first, then the smaller theme index.
 */
int apply_match_order(const void *a, const void *b);

/* Where apply_place puts a theme among an answer's matches. */
enum apply_rank {
	APPLY_PRIMARY,     /* first */
	APPLY_SECONDARY,   /* among the rest, by apply_match_order */
	APPLY_KEEP_RANK,   /* where it is when the answer has it, else among the rest */
};

/*
 * Put `theme` among the answer's matches: an existing match of it with its
 * score and terms, else a new one with `score` and no terms, at `rank`;
 * the rest stay in the order analysis.h promises.  With `human` the match
 * is marked as a person's and the answer no longer "fits no theme".
 * Returns AN_OK or AN_ENOMEM (the answer unchanged).
 */
enum an_err apply_place(struct analysis_assignment *as, uint32_t theme, enum apply_rank rank, float score, int human);

#endif

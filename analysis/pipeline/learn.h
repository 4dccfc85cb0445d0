/*
 * learn.h - given themes learn from the answers and from people.
 *
 * After seed matching (and people's decisions), each given theme learns the
 * vocabulary of the answers it holds and takes answers no seed matched when
 * the evidence is strong enough; answers like the ones a person moved
 * follow them.  The model is a naive Bayes mixture fitted by EM, as guided
 * topic models and semi-supervised EM do (GuidedLDA, keyATM, Nigam et al.
 * 2000): one word distribution per theme, started from the answers its
 * seeds matched, and a background distribution (every answer's words) that
 * stands for "none of these themes".
 *
 * Words are an answer's terms (stems and compound parts, each once), minus
 * numbers and minus the words its seed matches covered: a theme learns
 * what else is said where its seeds are, not its seeds again.  A theme's
 * word probability is smoothed half toward the background, so a word
 * scores by its lift (how much more often it occurs in the theme than
 * overall):
 *
 *   g_T(w) = ln((lift_T(w) + 1) / 2),   lift_T(w) = p_T(w) / p_B(w)
 *
 * A word as common in T as anywhere adds 0, a word T never shows adds
 * ln(1/2), a word typical of T adds up to ln(lift).  When an answer is
 * scored, its own share of a theme's counts is left out (leave-one-out),
 * so no answer vouches for itself and the posterior is an honest guess of
 * how the other answers place it; that posterior is the confidence.
 *
 * An answer no seed matched weighs the themes (by its words' scores and
 * the themes' mixture weights, which EM fits) against "none" (the
 * background, prior LEARN_NONE_PRIOR) and joins the best theme when
 * (1) that theme's posterior is at least LEARN_TAKE and (2) its words speak
 * for the theme: the scores above 0 of the words that at least one other
 * answer seeds or a person put in that theme also has add up to at least
 * LEARN_MIN_SUPPORT.  (2) keeps learning anchored to the seeds: a few
 * answers about another subject that one seed happened to match cannot
 * carry that subject into the theme.  An answer that joins nothing goes on
 * to discovery and adds nothing to any theme's counts.  An answer seeds
 * matched has its seed themes' share of the matched weight (over the best
 * one's) times LEARN_SEED added to its sums and chooses only among themes:
 * a short answer keeps the theme its seeds say; a long one whose other
 * words speak much more strongly for another theme goes there (the seed
 * theme stays as a second theme).
 *
 * A person's "move" or "also" makes the answer an example of the theme it
 * was put in, worth LEARN_HUMAN answers, and never changes that answer.
 * An answer whose TF-IDF cosine with such an example is at least
 * LEARN_FOLLOW follows it: it leaves the themes the example was taken out
 * of and goes where the example went (as its primary theme for a move, as
 * a further theme for an "also").
 *
 * Everything is a fixed sequence of sums over answers in input order, so
 * the result depends only on the input.  Cost: per EM round one pass over
 * the answers' words per theme (a logarithm per word for the themes an
 * answer belongs to).
 */
#ifndef INSPEL_LEARN_H
#define INSPEL_LEARN_H

#include <stddef.h>
#include <stdint.h>

#include "core/an_err.h"
#include "curate/apply.h"
#include "text/corpus.h"

#define LEARN_SEED 6.0      /* weight of the seed evidence (natural log units) */
#define LEARN_TAKE 0.4      /* posterior an unmatched answer needs to join a theme */
#define LEARN_NONE_PRIOR 0.01  /* prior that an answer belongs to none of the themes */
#define LEARN_MIN_SUPPORT 0.6931471805599453  /* ln 2: the words for a theme must make it twice as likely */
#define LEARN_HUMAN 3.0     /* a person's placement counts as this many answers */
#define LEARN_FOLLOW 0.5    /* cosine with a person's example needed to follow it */
#define LEARN_ROUNDS 8      /* EM rounds at most (it stops when nothing moves) */
#define LEARN_MAX_WHY 3     /* evidence words kept per answer */
#define LEARN_VOCAB 8       /* learned words kept per theme */

/* How an answer got its primary theme. */
enum learn_how {
	LEARN_NONE,         /* no theme (yet: discovery may still give one) */
	LEARN_SEEDS,        /* its seed matches */
	LEARN_WORDS,        /* the words the theme learned (no seed, or stronger than its seeds) */
	LEARN_FOLLOWED,     /* like an answer a person placed */
	LEARN_PERSON,       /* a person's decision */
};

struct learn_input {
	const struct corpus_matrix *m;           /* all answers */
	const uint8_t *skip;                     /* term -> 1: never evidence (numbers) */
	const uint32_t *cover_start, *cover;     /* answer d's seed-covered terms: cover[cover_start[d]..cover_start[d+1]) */
	const uint64_t *before;                  /* answer -> themes before people's decisions; NULL: no decisions */
	size_t nthemes;                          /* given and curated themes (every match's theme is below) */
};

struct learn_result {
	uint8_t *how;                            /* answer -> enum learn_how */
	float *confidence;                       /* answer -> 0..1 for its primary theme (0: none) */
	uint32_t (*why)[LEARN_MAX_WHY];          /* answer -> terms that spoke for a LEARN_WORDS theme, best first */
	uint8_t *nwhy;
	uint32_t *like;                          /* answer -> the example a LEARN_FOLLOWED answer followed, else UINT32_MAX */
	uint32_t **vocab;                        /* theme -> learned terms, most telling first */
	size_t *nvocab;
	size_t nthemes;
};

/*
 * Learn, then edit assign[0..m->ndocs) in place: answers the words or an
 * example speak for get their theme (a match with human 0, no terms, and a
 * score that is the share of the answer's TF-IDF weight on its evidence
 * words), seed-matched answers may get another primary theme, answers that
 * follow an example lose the themes it was taken out of.  Answers a
 * decision placed are left exactly as they are.  Fills *out (free with
 * learn_result_free).  Returns AN_OK or AN_ENOMEM (assignments then valid
 * but possibly half-edited; *out freed).
 */
enum an_err learn_run(const struct learn_input *in, struct analysis_assignment *assign, struct learn_result *out);

/* Free what learn_run filled; a zeroed result is fine. */
void learn_result_free(struct learn_result *r);

#endif

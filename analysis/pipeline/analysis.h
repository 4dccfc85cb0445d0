/*
 * analysis.h - the analysis library's entry point: answers in, themes out.
 *
 * analysis_run sorts answers into the given themes (every theme an answer
 * touches, with a score and the matched terms, plus one primary theme),
 * lets the given themes learn from the answers and from people's decisions
 * (learn.h) and take the answers their learned words speak for, clusters
 * the answers no given theme covers into discovered themes, and describes
 * every theme by a label, key terms, size, shares and quotes.  Each
 * answer's primary theme carries a confidence and its evidence.
 * No file or network I/O happens here: the CLI and the server read and
 * write; the writers below append to a struct buf.  The same input and
 * options always give byte-identical writer output.
 */
#ifndef INSPEL_ANALYSIS_H
#define INSPEL_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "curate/apply.h"
#include "core/an_err.h"

struct curate;

#define ANALYSIS_MAX_ANSWERS 1000000u
#define ANALYSIS_MAX_FIELD (64u * 1024u)   /* bytes per text or other field */
#define ANALYSIS_MAX_QUOTES 5
#define ANALYSIS_MAX_TERMS 8               /* key terms shown per theme */

/* One answer; only `text` is required (NULL fields are "not given"). */
struct analysis_answer {
	const char *id, *text, *question, *group, *organisation, *workshop;
};

struct analysis_input {
	const struct analysis_answer *v;
	size_t n;
};

struct analysis_opts {
	const char *lang;          /* "sv" (NULL means sv) or "en" */
	const char *themes_text;   /* themes file contents; NULL = shipped primary-care themes */
	int no_themes;             /* 1: no given themes, discover everything (--themes none) */
	unsigned k;                /* discovered themes; 0 = choose automatically */
	uint64_t seed;
	const struct curate *curation;  /* people's decisions (curate.h), applied in full; NULL = none */
	char *err;                 /* optional: receives a message on failure ("themes line 3: ...") */
	size_t errlen;
};

enum analysis_dim { ANALYSIS_QUESTION, ANALYSIS_GROUP, ANALYSIS_ORGANISATION, ANALYSIS_WORKSHOP, ANALYSIS_NDIMS };

/* How many answers with one question/group/organisation/workshop value touch a theme. */
struct analysis_share {
	char *value;
	size_t count;   /* answers with this value in the theme */
	size_t total;   /* answers with this value overall */
};

struct analysis_quote {
	size_t answer;  /* index into the input */
	float score;    /* cosine to the theme centroid */
};

enum analysis_origin {
	ANALYSIS_GIVEN,        /* a line of the themes file */
	ANALYSIS_DISCOVERED,   /* found by clustering; id "new-N" changes from run to run */
	ANALYSIS_CURATED,      /* made by a person: an adopted discovered theme or a split */
};

struct analysis_theme {
	char *id, *label;
	int seeded;                          /* 1 = matched by terms (given or curated), 0 = discovered */
	enum analysis_origin origin;
	int renamed;                         /* 1 = a "rename" decision set the label */
	char **merged;                       /* ids of themes merged into this one, in decision order */
	char **merged_labels;                /* their labels when merged (after earlier renames); parallel to merged */
	size_t nmerged;                      /* entries in merged and in merged_labels */
	size_t size;                         /* answers touching the theme */
	size_t primary;                      /* answers with it as primary theme */
	char **terms;                        /* key terms as written, most distinctive first */
	size_t nterms;
	char **given;                        /* seeded: the file's terms (matches index these) */
	size_t ngiven;
	char **learned;                      /* seeded: words learned from its answers (learn.h), most telling first */
	size_t nlearned;
	struct analysis_quote quotes[ANALYSIS_MAX_QUOTES];
	size_t nquotes;
	struct analysis_share *shares[ANALYSIS_NDIMS];
	size_t nshares[ANALYSIS_NDIMS];
};

/* struct analysis_match and struct analysis_assignment (an answer's themes) are in curate/apply.h. */

struct analysis_result {
	char lang[8];
	uint64_t seed;
	size_t nanswers;
	char **ids, **texts;              /* copies of the input's ids (row number when absent) and texts */
	struct analysis_theme *themes;    /* seeded themes in file order, then discovered by size */
	size_t nthemes;
	struct analysis_assignment *assign;   /* nanswers entries */
};

/*
 * Analyse `in`, applying opts->curation (curate.h) when given.  Returns
 * AN_OK and a result the caller frees with analysis_result_free, or
 * AN_EINVAL (bad themes text, message in opts->err; from a "themes"
 * decision "decision N: themes line L: ..."), AN_ELANG, AN_EUTF8 (an
 * answer is not valid UTF-8; message names it), AN_ETOOBIG (a limit
 * above; with decisions also more than THEMES_MAX themes at once or
 * THEMES_MAX_TERMS terms in one theme, "decision N: ...") or AN_ENOMEM,
 * with *out NULL.  Decisions naming themes or answers that do not exist
 * are skipped, never an error.  The curation is only read.
 */
enum an_err analysis_run(const struct analysis_input *in, const struct analysis_opts *opts,
		 struct analysis_result **out);

/* Free a result and everything in it; NULL is fine. */
void analysis_result_free(struct analysis_result *r);

/*
 * Append the result to `out` as JSON (answers, themes, assignments), as a
 * Markdown report for plan writers, or as CSV with one row per answer.
 * Return AN_OK or, when `out` cannot take the output, AN_ETOOBIG (JSON, at
 * the buffer's maximum) or AN_ENOMEM; `out` may then hold a partial report.
 * JSON also returns AN_EUTF8, with nothing written, when an answer's id or
 * text is not valid UTF-8.
 */
int analysis_write_json(const struct analysis_result *r, struct buf *out);
int analysis_write_md(const struct analysis_result *r, struct buf *out);
int analysis_write_csv(const struct analysis_result *r, struct buf *out);

#endif

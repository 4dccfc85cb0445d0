/*
 * phrase.h - the phrase that best names a group of answers, as people wrote it.
 *
 * A discovered theme is named by a phrase of its answers ("psykisk ohälsa",
 * "läkemedelsgenomgångar", "brist på personal"), never by two unrelated
 * key terms joined by a comma.  Candidates are runs of 1-3 content words
 * written next to each other (no punctuation between them, at most one
 * stop word inside: "vård i hemmet"), never starting or ending with a stop
 * word, without numbers or single letters.  Runs are grouped by the stems
 * of their content words, so "psykisk ohälsa" and "psykiska ohälsan" are
 * one phrase, shown in the form people wrote most often.
 */
#ifndef INSPEL_PHRASE_H
#define INSPEL_PHRASE_H

#include <stddef.h>
#include <stdint.h>

#include "core/an_err.h"
#include "text/corpus.h"

#define PHRASE_MAX_WORDS 3    /* content words in a phrase */

/*
 * The best phrase of the answers texts[docs[0..n)] (texts already added
 * to the finished corpus `c`): a phrase scores by the share of the answers
 * that use it times the sum of its content words' weight[term] (idf);
 * it must occur in at least two answers (or in the only one).  Ties: fewer
 * words, then the smaller text.  *out gets the phrase (malloc'd: words
 * folded, acronyms in capitals, one space between words) or NULL when no
 * run qualifies.  Returns AN_OK or AN_ENOMEM.
 */
enum an_err phrase_best(const struct corpus *c, const char *const *texts, const uint32_t *docs, size_t n,
			const double *weight, char **out);

#endif

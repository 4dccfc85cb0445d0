/*
 * words.h - word counts for the presenter's word cloud.
 *
 * Tokens are normalised, stop words dropped and the rest grouped by stem, so
 * "vård", "vården" and "vårdens" are one entry shown as the form people wrote
 * most often.  Each call builds its own language state, so calls from
 * different threads never share anything mutable.
 */
#ifndef INSPEL_WORDS_H
#define INSPEL_WORDS_H

#include <stddef.h>
#include "core/an_err.h"

struct words_entry { char *word; unsigned count; };   /* word: most common surface form (lower-cased, NFC) of a stem group; count: texts using it */
struct words { struct words_entry *v; size_t len; };

/* Count the words of `n` texts in language `lang` ("sv" or "en"): stop words and numbers removed, tokens grouped by
 * stem, each group shown by its most common written form and counted once per text that has it (count = texts);
 * most frequent first (ties by word), at most `max` entries. Invalid UTF-8 texts are skipped. Thread-safe (no shared
 * mutable state). Returns AN_OK or a negative an_err; on success the caller frees with words_free. */
enum an_err words_count(struct words *out, const char *lang, const char *const *texts, size_t n, size_t max);

/* Free every word and the array; `w` is empty afterwards.  Safe on an empty struct. */
void words_free(struct words *w);

#endif

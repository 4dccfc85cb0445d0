/*
 * input.h - reading answers from CSV (RFC 4180) or JSON lines.
 *
 * The whole file is parsed from memory (the caller reads it), so the
 * readers are pure functions of bytes and easy to fuzz.  Every error names
 * the line it was found on.  Field strings live in one arena owned by the
 * struct input; the answers point into it.
 */
#ifndef INSPEL_INPUT_H
#define INSPEL_INPUT_H

#include <stddef.h>

#include "pipeline/analysis.h"
#include "core/an_err.h"

enum input_format { INPUT_CSV, INPUT_JSONL };

struct input {
	struct analysis_answer *v;   /* n answers; strings point into arena */
	size_t n;
	char *arena;
};

/*
 * The format of a file named `path` (may be NULL) with contents data[0..len):
 * JSON lines for a .jsonl/.ndjson name or when the first non-blank byte is
 * '{', otherwise CSV.
 */
enum input_format input_detect(const char *path, const char *data, size_t len);

/*
 * Parse data[0..len) as `fmt` into *in.  A CSV file needs a header with a
 * `text` column; `id`, `question`, `group`, `organisation` and `workshop`
 * are optional and other columns are ignored.  JSON lines hold one object
 * per line with the same keys (strings or numbers).  Returns AN_OK, or
 * AN_EINVAL / AN_EUTF8 / AN_ETOOBIG (more than ANALYSIS_MAX_ANSWERS
 * answers or a field over ANALYSIS_MAX_FIELD bytes) with "line N: ..." in
 * err[0..errlen) and *in empty, or AN_ENOMEM.  Free with input_free.
 */
enum an_err input_parse(struct input *in, enum input_format fmt, const char *data, size_t len, char *err, size_t errlen);

/* Free the answers and their strings; `in` is empty afterwards. */
void input_free(struct input *in);

#endif

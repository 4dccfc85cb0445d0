/*
 * validate.h - rules for text that arrives from phones and facilitators.
 *
 * Limits count Unicode code points after NFC normalisation and trimming, as
 * docs/API.md promises, so "å" typed precomposed or decomposed counts once.
 */
#ifndef INSPEL_VALIDATE_H
#define INSPEL_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include "base/srv_err.h"

#define VALIDATE_TEXT_MAX 1000      /* answer text */
#define VALIDATE_TAG_MAX 60         /* group and organisation */
#define VALIDATE_TITLE_MAX 200      /* workshop title */
#define VALIDATE_QUESTION_MAX 500   /* question text and section */
#define VALIDATE_ID_MIN 8           /* answer_id and client_id */
#define VALIDATE_ID_MAX 64

/*
 * Check that `len` bytes at `in` are UTF-8, normalise to NFC, trim white
 * space at both ends and check the code point count is in
 * [min_cp, max_cp].  On SRV_OK *out is a new NUL-terminated string the
 * caller frees.  Errors: SRV_EUTF8 (also for U+0000, which a C string
 * cannot carry), SRV_EEMPTY (fewer than min_cp code
 * points, min_cp >= 1 meaning empty after trimming), SRV_ETOOLONG,
 * SRV_ENOMEM; *out is NULL then.
 */
enum srv_err validate_text(const char *in, size_t len, size_t min_cp, size_t max_cp, char **out);

/*
 * A table name (an answer's group) as it is stored: validate_text's rules
 * (NFC, trimmed, 0..max_cp code points), then every inner run of white
 * space one space and the first letter in title case, so "bord  3" and
 * "Bord 3" are stored alike ("BORD 3" stays: the analysis and the report
 * group table names by a case-folded key and show the first spelling).
 * Results and errors as validate_text; *out may be "".
 */
enum srv_err validate_table(const char *in, size_t len, size_t max_cp, char **out);

/* True when `id` is VALIDATE_ID_MIN..VALIDATE_ID_MAX of [A-Za-z0-9_-]. */
bool validate_id(const char *id);

/*
 * True when `org` is one of the `n` strings in `allowed`, or when n == 0
 * (a workshop without a list accepts any organisation).
 */
bool validate_org_allowed(const char *org, const char *const *allowed, size_t n);

#endif

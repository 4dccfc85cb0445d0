/*
 * decision.h - the body of POST .../decisions, parsed and checked.
 *
 * Pure like request.c (no HTTP, no SQLite, no locks) so that it can be
 * unit-tested and fuzzed: every byte a facilitator sends for a curation
 * decision passes through here before the API resolves theme ids against
 * the current synthesis.  The kinds and their fields are the analysis
 * library's table (curate/vocab.h): the kinds a client may send
 * (VOCAB_CLIENT) and their fields but the ones the server sets
 * (VOCAB_SERVER).  The result is a normalised decision object in the shape
 * curate/curate.h reads (labels and terms NFC and trimmed, answer ids as
 * decimal strings), so what is stored is what is applied.
 */
#ifndef INSPEL_DECISION_H
#define INSPEL_DECISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "curate/vocab.h"
#include "wire/request.h"
#include "themes/themes.h"

#define DECISION_ID_MAX THEMES_ID_MAX       /* a theme id: 1-48 of a-z 0-9 - _ (themes_valid_id) */

struct decision {
	enum vocab_kind kind;
	/*
	 * The decision as it will be stored: {"kind", then the kind's fields in
	 * the table's order}, without the ones the server adds (a split's new
	 * "id") and without an optional field that was absent or null (move's
	 * "from"); e.g. move {"kind", "answer", "to" (string or null), "from"}.
	 * Theme ids are as sent (a discovered "new-N" is resolved later).
	 * NULL for a kind the analysis does not apply (undo).
	 */
	json_t *detail;
	int64_t answer;     /* move, also: the answer's server id */
	int64_t undo;       /* undo: the decision to take back */
	bool has_rev;
	int64_t rev;        /* "rev" of the themes view the client showed (>= 0), when has_rev */
};

/*
 * Parse and check a decision body.  Errors (err, as request.h's parsers):
 * 400 malformed JSON, not an object, "kind" missing or not a string, a
 * member missing, of the wrong type or not belonging to the kind, a bad
 * "rev"; 422 unknown kind (or one a client may not send), a theme id that
 * breaks the themes file rule, the two fields a kind keeps distinct
 * naming one theme (merge into itself, move from and to the same), an
 * empty or over-100-character label or term, invalid UTF-8, an answer or
 * decision id that is not positive, a themes text over VOCAB_TEXT_MAX
 * bytes or one that does not parse (the message names the line); 500 out
 * of memory.  On failure *out is zeroed
 * and holds nothing; on success free it with decision_free.
 */
bool decision_parse(const char *body, size_t len, struct decision *out, struct req_error *err);

/* Release what decision_parse made and zero the struct; safe on a zeroed one. */
void decision_free(struct decision *d);

/* Does `id` follow the themes file rule for theme ids (1-48 of a-z 0-9 - _)? */
bool decision_theme_id_ok(const char *id);

/* Is `id` a discovered theme's id ("new-" followed by digits)? */
bool decision_is_discovered(const char *id);

#endif

/*
 * vocab.h - the vocabulary of people's decisions about themes: every kind,
 * its fields, and the words that tell it, in one table.
 *
 * A decision is a small JSON object {"kind": NAME, field: value, ...}.
 * Everything that reads or shows one reads this table: curate.c parses the
 * list the analysis applies, server/wire/decision.c checks what a client
 * sends, vocab_describe writes the report's sentences and the console
 * writes its history from the same table, served as JSON (vocab_json, GET
 * /api/decision-kinds).  A new kind is a row here and its effect in
 * apply.c: no parser, check or sentence lists kinds or fields of its own.
 *
 * Sentences are templates, one per voice (the report's record, the
 * console's history) and language:
 *   {field}    the field's value: a theme (theme, target, new_theme) as
 *              the namer names it (else its id), an answer likewise, a
 *              decision likewise (the sentence of the decision an undo
 *              took back; else "#" and its id), a list (terms, answers) as
 *              its number of entries, other strings as they are; absent or
 *              null gives nothing;
 *   [...]      the text inside, only when every field it names is present
 *              and not null (no nesting).
 * A kind has one or two phrasings; the first whose `when_null` field is
 * null or absent (or that has none) is used.
 */
#ifndef INSPEL_VOCAB_H
#define INSPEL_VOCAB_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"

#define VOCAB_LABEL_MAX 100            /* code points of a label */
#define VOCAB_TERM_MAX 100             /* code points of a term */
#define VOCAB_TERMS_MAX 64             /* terms of an adopted theme */
#define VOCAB_ANSWERS_MAX 100000       /* answers pinned by one adopt */
#define VOCAB_TEXT_MAX (64u * 1024u)   /* bytes of a themes file a client sends */

/* The kinds, in the table's order (the order every list of kinds is given in). */
enum vocab_kind {
	VOCAB_RENAME, VOCAB_MERGE, VOCAB_SPLIT, VOCAB_MOVE, VOCAB_ALSO, VOCAB_THEMES, VOCAB_ADOPT, VOCAB_UNDO,
	VOCAB_NKINDS
};

enum vocab_type {
	VOCAB_THEME,      /* a theme the decision is about: an id by the themes file rule */
	VOCAB_TARGET,     /* a theme it sends terms or answers to (merge's into, move's to): the same rule */
	VOCAB_NEW_THEME,  /* the id of a theme it makes: the same rule, and never a discovered "new-N" */
	VOCAB_LABEL,      /* a label: 1..max code points */
	VOCAB_TERM,       /* a term: 1..max code points */
	VOCAB_TERMS,      /* an array of at most max terms */
	VOCAB_ANSWER,     /* an answer id: a non-empty string when stored, a positive integer from a client */
	VOCAB_ANSWERS,    /* an array of at most max answer ids */
	VOCAB_TEXT,       /* a themes file; at most max bytes from a client */
	VOCAB_DECISION,   /* a decision's id, a positive integer */
};

/* Field flags (none: required, not null, sent by the client). */
#define VOCAB_OPTIONAL 1u   /* may be absent; null means the same */
#define VOCAB_NULLABLE 2u   /* required, and null has a meaning (move's "to": no theme) */
#define VOCAB_SERVER 4u     /* set by the server, never sent by a client (a split's new id) */

struct vocab_field {
	const char *name;
	enum vocab_type type;
	unsigned flags;
	size_t max;       /* label, term: code points; terms, answers: entries; text: bytes; else 0 */
};

/* Kind flags. */
#define VOCAB_CLIENT 1u    /* a client may send it (POST .../decisions); adopt is made by the server */
#define VOCAB_APPLIED 2u   /* the analysis applies it; an undo takes a decision out of the list instead */

enum vocab_voice { VOCAB_REPORT, VOCAB_CONSOLE, VOCAB_NVOICES };
enum vocab_lang { VOCAB_SV, VOCAB_EN, VOCAB_NLANGS };

#define VOCAB_MAX_FIELDS 5
#define VOCAB_MAX_PHRASES 2

struct vocab_phrase {
	const char *when_null;                          /* holds when this field is null or absent; NULL: always */
	const char *text[VOCAB_NVOICES][VOCAB_NLANGS];  /* templates (above) */
};

struct vocab_def {
	enum vocab_kind kind;
	const char *name;
	unsigned flags;                                 /* VOCAB_CLIENT, VOCAB_APPLIED */
	struct vocab_field fields[VOCAB_MAX_FIELDS];    /* checked and stored in this order; name NULL ends */
	const char *distinct[2];                        /* two theme fields that may not name one theme, or NULL */
	const char *distinct_why;                       /* what a client is told when they do */
	struct vocab_phrase says[VOCAB_MAX_PHRASES];    /* text NULL ends */
};

/* The table, indexed by enum vocab_kind. */
extern const struct vocab_def vocab_defs[VOCAB_NKINDS];

/* The kind called `name`, or NULL (also for NULL). */
const struct vocab_def *vocab_find(const char *name);

/* Field `name` of a kind, or NULL. */
const struct vocab_field *vocab_field(const struct vocab_def *def, const char *name);

/*
 * The names of the kinds with all of `flags`, in table order and joined by
 * ", " ("rename, merge, ..."), into out[0..outlen) (truncated, always
 * NUL-terminated when outlen > 0).
 */
void vocab_names(unsigned flags, char *out, size_t outlen);

/* Is `id` a discovered theme's id ("new-" and digits), which changes from run to run? */
int vocab_discovered_id(const char *id);

/*
 * How the sentence names themes and answers.  Either callback may be NULL,
 * and either may return NULL: the id itself is shown.  A returned string
 * must live until vocab_describe returns.
 */
struct vocab_namer {
	/* Theme `id`, named by field `field` ("theme", "into", "from", "to", "id") of the decision. */
	const char *(*theme)(void *ctx, const char *field, const char *id);
	/* Answer `id` (the stored decimal string). */
	const char *(*answer)(void *ctx, const char *id);
	/* Decision `id` (an undo's "decision"): what that decision did, as a sentence. */
	const char *(*decision)(void *ctx, json_int_t id);
	void *ctx;
};

/*
 * Append the sentence for one decision to `out`: its kind's name (as
 * recorded: "rename", ..., "undo") and its detail object (the stored
 * fields; for an undo {"decision": N}; NULL is an empty one), in `voice`
 * and language `lang` ("en" is English, anything else Swedish).  Every
 * kind of the table has a sentence in every voice and language; a kind
 * not in the table is written as its name.  Absent fields give empty
 * text, never an error.  Returns BUF_OK, or BUF_NOMEM / BUF_TOOBIG with
 * `out` holding part of the sentence.  Reads only the table: safe from
 * any thread.
 *
 * The report's sentence for a stored decision record {"kind", "detail",
 * "theme_label", "into_label", ...}: vocab_describe(record.kind,
 * record.detail, VOCAB_REPORT, lang, namer, out) with namer->theme
 * returning the record's "<field>_label" (NULL when it has none: the id
 * is shown), namer->answer a short quote of the answer, and
 * namer->decision the sentence of the decision an undo took back
 * (server/report/text.c).
 */
enum buf_err vocab_describe(const char *kind, const json_t *detail, enum vocab_voice voice, const char *lang,
			    const struct vocab_namer *namer, struct buf *out);

/*
 * The table as JSON, for clients that check or describe decisions:
 *   {"kinds": [{"name", "client": bool, "applied": bool,
 *               "fields": [{"name", "type", "required": bool, "nullable": bool,
 *                           "server": bool, "max"?: n}],
 *               "distinct"?: [field, field],
 *               "says": [{"when_null"?: field,
 *                         "report": {"sv", "en"}, "console": {"sv", "en"}}]}]}
 * "type" is theme, target, new_theme, label, term, terms, answer, answers,
 * text or decision; "nullable" is true when null is accepted (optional
 * fields, and those where null means something).  A new reference, or
 * NULL when out of memory.
 */
json_t *vocab_json(void);

#endif

/*
 * pii.h - personal data in free text: Swedish personal identity and
 * coordination numbers, Swedish phone numbers and e-mail addresses.
 *
 * Participants sometimes write "min mamma, 19450312-1234, fick vänta" or a
 * phone number into an answer.  This module finds such spans so the server
 * can hold the answer off the projector and a report can print
 * "[personnummer]" instead.  Design: a hand-written scanner over the bytes,
 * no regular expressions and no allocation (pii_next/pii_scan/pii_found
 * touch only the caller's memory), strict enough that years, dates, sums
 * of money, counts, postcodes and times are never flagged: a personal
 * number needs a real date and a correct Luhn check digit, a phone number
 * a Swedish prefix (0, +46, 0046), a plausible area-code grouping and the
 * right number of digits.  Input need not be valid UTF-8; it is never read
 * past `len`.
 */
#ifndef INSPEL_PII_H
#define INSPEL_PII_H

#include <stdbool.h>
#include <stddef.h>

#include "core/an_err.h"
#include "core/buf.h"

enum pii_kind {
	PII_PERSONNUMMER,        /* YYYYMMDD-NNNN, YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDDNNNN */
	PII_SAMORDNINGSNUMMER,   /* the same with day + 60 (coordination number) */
	PII_PHONE,               /* 070-123 45 67, 08-123 456 78, +46 70 123 45 67, ... */
	PII_EMAIL,               /* anna.svensson@region.se */
};

/* One finding: bytes [start, end) of the text. */
struct pii_span {
	size_t start, end;
	enum pii_kind kind;
};

/*
 * A scan in progress: pii_iter_init, then pii_next until it returns false.
 * Holds only offsets into the caller's text (which must outlive it).
 */
struct pii_iter {
	const char *text;
	size_t len;
	size_t pos;              /* where the next search starts */
	size_t last_end;         /* end of the last span returned (0: none yet) */
	size_t mail_from;        /* the e-mail below was searched for from here */
	struct pii_span mail;    /* the next e-mail address at or after mail_from */
	bool mail_known;         /* `mail` (or its absence) is computed */
	bool mail_found;
};

void pii_iter_init(struct pii_iter *it, const char *text, size_t len);

/* The next span, in text order, never overlapping an earlier one.  False at the end. */
bool pii_next(struct pii_iter *it, struct pii_span *span);

/*
 * Every span of text[0..len) in order: the first `max` go to spans[] (may
 * be NULL when max is 0).  Returns how many there are in all, which may be
 * more than `max`.
 */
size_t pii_scan(const char *text, size_t len, struct pii_span *spans, size_t max);

/* Does text[0..len) hold any personal data?  Stops at the first finding. */
bool pii_found(const char *text, size_t len);

/* A short, stable name of a kind: "personnummer", "samordningsnummer", "phone", "email". */
const char *pii_kind_name(enum pii_kind kind);

/*
 * What a redacted span reads in language `lang`: "[personnummer]",
 * "[telefon]", "[e-post]" (sv) or "[personal number]", "[phone]",
 * "[e-mail]" (en).  A coordination number reads as a personal number.
 * NULL for a language other than "sv" and "en".
 */
const char *pii_label(enum pii_kind kind, const char *lang);

/*
 * Append text[0..len) to `out` with every span replaced by its label in
 * `lang`.  AN_OK; AN_ELANG for a language other than "sv" and "en"
 * (nothing appended); AN_ENOMEM or AN_ETOOBIG from the buffer, which may
 * then hold part of the text.
 */
enum an_err pii_redact(const char *text, size_t len, const char *lang, struct buf *out);

#endif

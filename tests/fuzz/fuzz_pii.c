/*
 * fuzz_pii.c - libFuzzer target for the personal-data scanner: on any
 * bytes, spans lie inside the text, in order and apart; pii_scan,
 * pii_next and pii_found agree; each span looks like its kind; and a
 * redacted text has nothing left to find.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "core/buf.h"
#include "text/pii.h"

#define FUZZ_SPANS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Does span `sp` of `t` look like its kind? */
static int fuzz_looks_right(const char *t, const struct pii_span *sp)
{
	size_t i, digits = 0;

	switch (sp->kind) {
	case PII_PERSONNUMMER:
	case PII_SAMORDNINGSNUMMER:
		for (i = sp->start; i < sp->end; i++)
			digits += t[i] >= '0' && t[i] <= '9';
		return (digits == 10 || digits == 12) && sp->end - sp->start <= 13;
	case PII_PHONE:
		for (i = sp->start; i < sp->end; i++)
			digits += t[i] >= '0' && t[i] <= '9';
		return digits >= 8 && digits <= 14 && t[sp->end - 1] >= '0' && t[sp->end - 1] <= '9';
	case PII_EMAIL:
		return memchr(t + sp->start, '@', sp->end - sp->start) != NULL;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data;
	struct pii_span spans[FUZZ_SPANS], sp;
	struct pii_iter it;
	struct buf red;
	size_t n, k = 0, prev_end = 0;
	enum an_err err;

	n = pii_scan(t, size, spans, FUZZ_SPANS);
	if ((n > 0) != pii_found(t, size))
		abort();
	pii_iter_init(&it, t, size);
	while (pii_next(&it, &sp)) {
		if (sp.start < prev_end || sp.end <= sp.start || sp.end > size || !fuzz_looks_right(t, &sp))
			abort();
		if (k < FUZZ_SPANS && (sp.start != spans[k].start || sp.end != spans[k].end || sp.kind != spans[k].kind))
			abort();
		prev_end = sp.end;
		k++;
	}
	if (k != n)
		abort();

	buf_init(&red, 4 * size + 64);
	err = pii_redact(t, size, k % 2 ? "en" : "sv", &red);
	if (err != AN_OK)
		abort();
	if (n == 0 && (red.len != size || (size && memcmp(red.data, t, size) != 0)))
		abort();
	if (pii_found(red.data, red.len))
		abort();
	buf_free(&red);
	return 0;
}

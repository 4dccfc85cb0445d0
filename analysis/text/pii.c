/*
 * pii.c - finding Swedish personal numbers, phone numbers and e-mail
 * addresses in free text, and redacting them.
 *
 * One left-to-right pass.  E-mail addresses are anchored at their '@', so
 * the scan keeps the next address ahead of it (found once, reused until
 * the scan reaches it); numbers are tried only where one may begin (not
 * inside a word, a longer digit run or a sum grouped by thousands) and
 * must end before that address.  A personal number is tried before a
 * phone number, so "020312-1234" with a good check digit is a personal
 * number and never also a phone.  Everything is bounded by `len`: the text
 * may hold NULs or broken UTF-8.  No allocation: the iterator is offsets.
 */
#include "text/pii.h"

#include <assert.h>
#include <string.h>

#define PII_DOMAIN_MAX 253     /* bytes of a domain */

static bool pii_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool pii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool pii_alnum(char c)
{
	return pii_digit(c) || pii_alpha(c);
}

/* Length of the run of ASCII digits at t[p..len). */
static size_t pii_digits(const char *t, size_t len, size_t p)
{
	size_t n = 0;

	while (p + n < len && pii_digit(t[p + n]))
		n++;
	return n;
}

/*
 * Bytes of a Latin letter beyond ASCII at t[p] (å ä ö é ü ł š ...: U+00C0
 * to U+017F less × and ÷), or 0.  People write them in addresses.
 */
static size_t pii_latin(const char *t, size_t len, size_t p)
{
	unsigned char a, b;

	if (p + 1 >= len)
		return 0;
	a = (unsigned char)t[p];
	b = (unsigned char)t[p + 1];
	if (b < 0x80 || b > 0xBF)
		return 0;
	if (a == 0xC3)
		return b == 0x97 || b == 0xB7 ? 0 : 2;
	return a == 0xC4 || a == 0xC5 ? 2 : 0;
}

/* ---- personal identity and coordination numbers ---- */

/* The Luhn check over ten digits (YYMMDDNNNC): weights 2,1,2,1,... */
static bool pii_luhn(const char d[10])
{
	unsigned sum = 0, i, v;

	for (i = 0; i < 10; i++) {
		v = (unsigned)(d[i] - '0') * (i % 2 == 0 ? 2u : 1u);
		sum += v > 9 ? v - 9 : v;
	}
	return sum % 10 == 0;
}

static unsigned pii_2(const char *d)
{
	return (unsigned)(d[0] - '0') * 10u + (unsigned)(d[1] - '0');
}

/*
 * Is MM DD (DD + 60 for a coordination number) a day of a year that is a
 * leap year when `leap`?  *kind tells which of the two it is.
 */
static bool pii_date_ok(unsigned mm, unsigned dd, bool leap, enum pii_kind *kind)
{
	static const unsigned days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	*kind = PII_PERSONNUMMER;
	if (dd > 60) {
		dd -= 60;
		*kind = PII_SAMORDNINGSNUMMER;
	}
	if (mm < 1 || mm > 12 || dd < 1 || dd > days[mm - 1])
		return false;
	return !(mm == 2 && dd == 29 && !leap);
}

/*
 * A personal or coordination number starting at t[i] (a digit that may
 * begin a number): YYYYMMDD-NNNN, YYYYMMDDNNNN (century 18, 19 or 20),
 * YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, each with a real date and a
 * correct check digit, not followed by "-digit" (then it is part of
 * something longer).
 */
static bool pii_pnr(const char *t, size_t len, size_t i, struct pii_span *sp)
{
	size_t n = pii_digits(t, len, i), end;
	char d[12];
	const char *ten;
	unsigned year;
	bool leap;

	if (n == 12 || n == 10) {
		memcpy(d, t + i, n);
		end = i + n;
	} else if ((n == 8 || n == 6) && i + n < len && (t[i + n] == '-' || (n == 6 && t[i + n] == '+')) &&
		   pii_digits(t, len, i + n + 1) == 4) {
		memcpy(d, t + i, n);
		memcpy(d + n, t + i + n + 1, 4);
		n += 4;
		end = i + n + 1;
	} else {
		return false;
	}
	if (end + 1 < len && (t[end] == '-' || t[end] == '/') && pii_digit(t[end + 1]))
		return false;
	ten = d + n - 10;
	if (n == 12) {
		unsigned cc = pii_2(d);
		if (cc < 18 || cc > 20)
			return false;
		year = cc * 100 + pii_2(ten);
		leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
	} else {
		/* No century: 29 February is possible in any year divisible by four (2000 was a leap year). */
		leap = pii_2(ten) % 4 == 0;
	}
	if (!pii_date_ok(pii_2(ten + 2), pii_2(ten + 4), leap, &sp->kind) || !pii_luhn(ten))
		return false;
	sp->start = i;
	sp->end = end;
	return true;
}

/* ---- phone numbers ---- */

/* Bytes of a space at t[p]: ' ', NO-BREAK SPACE or NARROW NO-BREAK SPACE; else 0. */
static size_t pii_space(const char *t, size_t len, size_t p)
{
	if (p < len && t[p] == ' ')
		return 1;
	if (p + 1 < len && (unsigned char)t[p] == 0xC2 && (unsigned char)t[p + 1] == 0xA0)
		return 2;
	if (p + 2 < len && memcmp(t + p, "\xE2\x80\xAF", 3) == 0)
		return 3;
	return 0;
}

/* Bytes of a dash at t[p]: '-', NON-BREAKING HYPHEN or EN DASH (phones' autocorrect); else 0. */
static size_t pii_dash(const char *t, size_t len, size_t p)
{
	if (p < len && t[p] == '-')
		return 1;
	if (p + 2 < len && (memcmp(t + p, "\xE2\x80\x91", 3) == 0 || memcmp(t + p, "\xE2\x80\x93", 3) == 0))
		return 3;
	return 0;
}

/* Bytes of a separator between digit groups at t[p]: " ", "-", " -", "- " or " - "; else 0. */
static size_t pii_sep(const char *t, size_t len, size_t p)
{
	size_t a = pii_space(t, len, p), b = pii_dash(t, len, p + a);

	return a + b + (b ? pii_space(t, len, p + a + b) : 0);
}

/* Do groups of 2, 2 and 4 digits at g2 (the second) and g4 (the third) read as a date: "08-12-2024"? */
static bool pii_dateish(const char *t, size_t g2, size_t g4)
{
	unsigned mm = pii_2(t + g2), cc = pii_2(t + g4);

	return mm >= 1 && mm <= 12 && (cc == 19 || cc == 20);
}

/*
 * A Swedish phone number starting at t[i]: national (a trunk 0, then an
 * area code: "08", "031", "0570", "070") or international ("+46" or
 * "0046", optionally " (0)"), digits in groups split by pii_sep.  With
 * separators the first group is the area code (2-4 digits with the 0, a
 * two-digit one only "08"; 1-3 after +46) and later groups have 2 digits
 * or more; a first group longer than that is the whole number.  In all 8
 * to 10 digits with the trunk 0 (7 to 9 after +46), a mobile number (07x)
 * exactly 10 (9).  When more groups follow than fit, the number ends at
 * the last group boundary where it was complete.  Not followed by a
 * letter.
 */
static bool pii_phone(const char *t, size_t len, size_t i, struct pii_span *sp)
{
	size_t p = i, g, s, total = 0, best = 0, first_max, ngroups, group_at[3] = { 0 }, group_len[3] = { 0 };
	unsigned min, max;
	bool intl = false, paren = false, glued;

	if (t[p] == '+') {
		if (p + 2 >= len || t[p + 1] != '4' || t[p + 2] != '6')
			return false;
		p += 3;
		intl = true;
	} else if (p + 3 < len && memcmp(t + p, "0046", 4) == 0) {
		p += 4;
		intl = true;
	}
	if (intl) {
		p += pii_sep(t, len, p);
		if (p + 2 < len && memcmp(t + p, "(0)", 3) == 0)
			p += 3 + pii_sep(t, len, p + 3);
		else if (p + 1 < len && t[p] == '0' && pii_digit(t[p + 1]))
			p++;              /* "+46 070-...": a trunk 0 people keep */
		if (p >= len || !pii_digit(t[p]) || t[p] == '0')
			return false;
		max = 9;
		min = t[p] == '7' ? 9 : 7;
		first_max = 3;
	} else {
		if (t[p] == '(') {
			paren = true;
			p++;
		}
		if (p + 1 >= len || t[p] != '0' || !pii_digit(t[p + 1]) || t[p + 1] == '0')
			return false;
		max = 10;
		min = t[p + 1] == '7' ? 10 : 8;
		first_max = 4;
	}
	for (ngroups = 0;; ngroups++) {
		g = pii_digits(t, len, p);
		if (ngroups == 0) {
			if (g > first_max && paren)
				return false;
			if (!intl && g == 2 && t[p + 1] != '8')
				return false;
		} else if (g < 2) {
			break;
		}
		if (total + g > max)
			break;
		if (ngroups < 3) {
			group_at[ngroups] = p;
			group_len[ngroups] = g;
		}
		total += g;
		p += g;
		if (paren && ngroups == 0) {
			if (p >= len || t[p] != ')')
				return false;
			p++;
		}
		if (total >= min)
			best = p;
		if (ngroups == 0 && g > first_max)
			break;
		s = pii_sep(t, len, p);
		glued = paren && ngroups == 0 && !s && p < len && pii_digit(t[p]);   /* "(08)123 45 67" */
		if (!glued && (!s || p + s >= len || !pii_digit(t[p + s])))
			break;
		p += s;
	}
	if (!best || (best < len && pii_alpha(t[best])))
		return false;
	/* "08-12-2024" is the eighth of December. */
	if (!intl && !paren && ngroups >= 2 && group_len[0] == 2 && group_len[1] == 2 && group_len[2] == 4 &&
	    best == group_at[2] + 4 && pii_dateish(t, group_at[1], group_at[2]))
		return false;
	sp->start = i;
	sp->end = best;
	sp->kind = PII_PHONE;
	return true;
}

/* ---- e-mail addresses ---- */

static bool pii_local_char(char c)
{
	return pii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/*
 * End of the domain starting at t[p] ("region.se"): labels of letters,
 * digits and inner hyphens joined by dots, at least two, the last (the
 * top-level domain) of two or more ASCII letters.  A trailing full stop
 * is not part of it.  p when there is no such domain.
 */
static size_t pii_domain_end(const char *t, size_t len, size_t p)
{
	size_t q = p, label, best = p, nlabels = 0, n;
	bool letters;

	for (;;) {
		label = q;
		letters = true;
		while (q < len && q - p < PII_DOMAIN_MAX) {
			if (pii_alnum(t[q]) || t[q] == '-') {
				letters = letters && pii_alpha(t[q]);
				q++;
			} else if ((n = pii_latin(t, len, q))) {
				letters = false;
				q += n;
			} else {
				break;
			}
		}
		if (q == label || t[label] == '-' || t[q - 1] == '-')
			break;
		if (++nlabels >= 2 && letters && q - label >= 2)
			best = q;
		if (q + 1 < len && t[q] == '.' && (pii_alnum(t[q + 1]) || pii_latin(t, len, q + 1)))
			q++;
		else
			break;
	}
	return best;
}

/*
 * The first e-mail address whose local part starts at or after `from`
 * (a local part reaching further back is cut at `from`).
 */
static bool pii_mail_find(const char *t, size_t len, size_t from, struct pii_span *sp)
{
	const char *at;
	size_t a = from, k, s, e;

	while (a < len && (at = memchr(t + a, '@', len - a))) {
		k = (size_t)(at - t);
		s = k;
		while (s > from) {
			if (pii_local_char(t[s - 1]))
				s--;
			else if (s - from >= 2 && pii_latin(t, len, s - 2) == 2)
				s -= 2;
			else
				break;
		}
		while (s < k && t[s] == '.')
			s++;
		e = pii_domain_end(t, len, k + 1);
		if (s < k && e > k + 1) {
			sp->start = s;
			sp->end = e;
			sp->kind = PII_EMAIL;
			return true;
		}
		a = k + 1;
	}
	return false;
}

/* ---- the scan ---- */

void pii_iter_init(struct pii_iter *it, const char *text, size_t len)
{
	memset(it, 0, sizeof *it);
	it->text = text;
	it->len = len;
}

/*
 * May a number begin at t[i]?  Not right after a letter, a digit or '+',
 * and not where a number before it goes on through one separator (a
 * space, dash, slash, full stop or comma): "12-034", "1 500 000", the
 * groups of an account number.  What a span already returned ends with
 * does not count (the redacted text has a label there), so
 * "070-123 45 67 08-123 456 78" is two numbers.
 */
static bool pii_starts(const struct pii_iter *it, size_t i)
{
	const char *t = it->text;
	size_t k;
	char c;

	if (i == 0 || i - 1 < it->last_end)
		return true;
	c = t[i - 1];
	if (pii_alnum(c) || c == '+')
		return false;
	if (c == ' ' || c == '-' || c == '/' || c == '.' || c == ',')
		k = i - 1;
	else if (i >= 2 && (unsigned char)t[i - 2] == 0xC2 && (unsigned char)c == 0xA0)
		k = i - 2;
	else
		return true;
	return !(k >= 1 && pii_digit(t[k - 1]) && k - 1 >= it->last_end);
}

/* Compute the next e-mail address at or after it->pos unless the one known is still ahead. */
static void pii_mail_ahead(struct pii_iter *it)
{
	if (it->mail_known && (!it->mail_found || it->mail.start >= it->pos))
		return;
	it->mail_found = pii_mail_find(it->text, it->len, it->pos, &it->mail);
	it->mail_known = true;
}

bool pii_next(struct pii_iter *it, struct pii_span *span)
{
	const char *t = it->text;
	size_t i, limit, n;
	char c;

	while (it->pos < it->len) {
		i = it->pos;
		pii_mail_ahead(it);
		limit = it->mail_found ? it->mail.start : it->len;
		if (it->mail_found && i == limit) {
			*span = it->mail;
			goto found;
		}
		/* A number must end before the next address: the address wins. */
		c = t[i];
		if ((pii_digit(c) || c == '+' || c == '(') && pii_starts(it, i) &&
		    ((pii_digit(c) && pii_pnr(t, limit, i, span)) || pii_phone(t, limit, i, span)))
			goto found;
		/* Nothing begins inside a digit run either. */
		n = pii_digits(t, limit, i);
		it->pos = i + (n ? n : 1);
		continue;
found:
		assert(span->start >= i && span->end > span->start && span->end <= it->len);
		it->pos = span->end;
		it->last_end = span->end;
		return true;
	}
	return false;
}

size_t pii_scan(const char *text, size_t len, struct pii_span *spans, size_t max)
{
	struct pii_iter it;
	struct pii_span sp;
	size_t n = 0;

	pii_iter_init(&it, text, len);
	while (pii_next(&it, &sp)) {
		if (n < max)
			spans[n] = sp;
		n++;
	}
	return n;
}

bool pii_found(const char *text, size_t len)
{
	struct pii_iter it;
	struct pii_span sp;

	pii_iter_init(&it, text, len);
	return pii_next(&it, &sp);
}

const char *pii_kind_name(enum pii_kind kind)
{
	switch (kind) {
	case PII_PERSONNUMMER: return "personnummer";
	case PII_SAMORDNINGSNUMMER: return "samordningsnummer";
	case PII_PHONE: return "phone";
	case PII_EMAIL: return "email";
	}
	return "unknown";
}

const char *pii_label(enum pii_kind kind, const char *lang)
{
	bool en;

	if (!lang || (strcmp(lang, "sv") != 0 && strcmp(lang, "en") != 0))
		return NULL;
	en = lang[0] == 'e';
	switch (kind) {
	case PII_PERSONNUMMER:
	case PII_SAMORDNINGSNUMMER: return en ? "[personal number]" : "[personnummer]";
	case PII_PHONE: return en ? "[phone]" : "[telefon]";
	case PII_EMAIL: return en ? "[e-mail]" : "[e-post]";
	}
	return NULL;
}

enum an_err pii_redact(const char *text, size_t len, const char *lang, struct buf *out)
{
	struct pii_iter it;
	struct pii_span sp;
	size_t done = 0;
	enum buf_err err = BUF_OK;

	if (!pii_label(PII_PHONE, lang))
		return AN_ELANG;
	pii_iter_init(&it, text, len);
	while (!err && pii_next(&it, &sp)) {
		err = buf_add(out, text + done, sp.start - done);
		if (!err)
			err = buf_adds(out, pii_label(sp.kind, lang));
		done = sp.end;
	}
	if (!err)
		err = buf_add(out, text + done, len - done);
	if (err)
		return err == BUF_NOMEM ? AN_ENOMEM : AN_ETOOBIG;
	return AN_OK;
}

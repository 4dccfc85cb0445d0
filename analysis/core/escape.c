/*
 * escape.c - text people wrote, made safe for CSV, Markdown, HTML, XML and JSON.
 *
 * Design: one reader, next_char, walks the text a character (or a whole
 * ESC sequence) at a time and says whether the display formats drop it;
 * each format is then a small loop over that reader that maps the few
 * characters its syntax gives a meaning to.  Runs of ordinary characters
 * are copied in one append.  A failed append undoes the whole call, so a
 * caller never writes half a field.
 */
#include "core/escape.h"

#include <string.h>
#include <unistr.h>

/* One character of the text: `len` bytes (at least 1) holding code point `uc`; `drop`: no display format writes it. */
struct ch {
	size_t len;
	ucs4_t uc;
	bool drop;
};

/*
 * The length of the ESC sequence at s[0..len) (s[0] is ESC), after ECMA-48:
 * CSI "ESC [" parameters, intermediates and a final byte; a control string
 * (OSC "ESC ]", DCS, SOS, PM, APC) up to BEL or "ESC \"; otherwise
 * intermediates and a final byte.  What is cut short ends where the
 * sequence stops being one (an unterminated control string is only its
 * introducer, so the text after it stays visible).
 */
static size_t esc_sequence(const unsigned char *s, size_t len)
{
	size_t i = 1;

	if (len < 2)
		return 1;
	if (s[1] == '[') {
		for (i = 2; i < len && s[i] >= 0x30 && s[i] <= 0x3f; i++)
			;
		for (; i < len && s[i] >= 0x20 && s[i] <= 0x2f; i++)
			;
		return i < len && s[i] >= 0x40 && s[i] <= 0x7e ? i + 1 : i;
	}
	if (s[1] == ']' || s[1] == 'P' || s[1] == 'X' || s[1] == '^' || s[1] == '_') {
		for (i = 2; i < len; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return 2;
	}
	for (; i < len && s[i] >= 0x20 && s[i] <= 0x2f; i++)
		;
	return i < len && s[i] >= 0x30 && s[i] <= 0x7e ? i + 1 : i;
}

static bool dropped(ucs4_t uc)
{
	return (uc < 0x20 && uc != '\t' && uc != '\n' && uc != '\r') || (uc >= 0x7f && uc <= 0x9f) ||
	       (uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069) || uc == 0xfffe || uc == 0xffff;
}

/* The character at s[0..len), len > 0, when it is not printable ASCII. */
static struct ch next_other(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	struct ch c = { 1, u[0], false };
	int n;

	if (u[0] == 0x1b) {
		c.len = esc_sequence(u, len);
		c.drop = true;
		return c;
	}
	if (u[0] >= 0x80) {
		n = u8_mbtoucr(&c.uc, u, len);
		if (n < 0) {
			c.drop = true;
			return c;
		}
		c.len = (size_t)n;
	}
	c.drop = dropped(c.uc);
	return c;
}

/* The character at s[0..len), len > 0; printable ASCII, most of any text, without a call. */
static inline struct ch next_char(const char *s, size_t len)
{
	unsigned char b = (unsigned char)s[0];

	if (b >= 0x20 && b < 0x7f)
		return (struct ch){ 1, b, false };
	return next_other(s, len);
}

/* Append s[0..n) unless an earlier append failed; the error so far. */
static enum buf_err put(struct buf *out, enum buf_err e, const char *s, size_t n)
{
	return e ? e : buf_add(out, s, n);
}

static enum buf_err put_str(struct buf *out, enum buf_err e, const char *s)
{
	return put(out, e, s, strlen(s));
}

/* Undo a failed call: `out` back to `at` bytes. */
static enum buf_err done(struct buf *out, size_t at, enum buf_err e)
{
	if (e)
		buf_truncate(out, at);
	return e;
}

/* ---- CSV ---- */

/*
 * Does the ';'-separated piece at s[0..len) run as a formula: it starts
 * with TAB or CR, or its first character after spaces, TABs, CRs and LFs
 * is = + - or @ (dropped characters do not count).
 */
static bool csv_formula(const char *s, size_t len)
{
	bool first = true;
	size_t i;
	struct ch c;

	for (i = 0; i < len; i += c.len) {
		c = next_char(s + i, len - i);
		if (c.drop)
			continue;
		if (first && (c.uc == '\t' || c.uc == '\r'))
			return true;
		first = false;
		if (c.uc == ' ' || c.uc == '\t' || c.uc == '\r' || c.uc == '\n')
			continue;
		return c.uc == '=' || c.uc == '+' || c.uc == '-' || c.uc == '@';
	}
	return false;
}

enum buf_err esc_csv(struct buf *out, const char *s)
{
	size_t len = strlen(s), at = out->len, i, run = 0;
	bool quote = false, piece = true;
	enum buf_err e = BUF_OK;
	struct ch c;

	/* Text without any of these bytes needs no quotes; with one, it may be inside a dropped ESC sequence. */
	for (i = strpbrk(s, ",;\"\r\n") ? 0 : len; i < len && !quote; i += c.len) {
		c = next_char(s + i, len - i);
		quote = !c.drop && (c.uc == ',' || c.uc == ';' || c.uc == '"' || c.uc == '\r' || c.uc == '\n');
	}
	if (quote)
		e = put(out, e, "\"", 1);
	for (i = 0; i < len && !e; i += c.len) {
		if (piece && csv_formula(s + i, len - i)) {
			e = put(out, e, s + run, i - run);
			e = put(out, e, "'", 1);
			run = i;
		}
		c = next_char(s + i, len - i);
		piece = !c.drop && c.uc == ';';
		if (!c.drop && c.uc != '"')
			continue;
		e = put(out, e, s + run, i + (c.drop ? 0 : c.len) - run);
		if (!c.drop)
			e = put(out, e, "\"", 1);
		run = i + c.len;
	}
	e = put(out, e, s + run, len - run);
	if (quote)
		e = put(out, e, "\"", 1);
	return done(out, at, e);
}

/* ---- Markdown ---- */

enum buf_err esc_md(struct buf *out, const char *s, const char *newline, bool line_start)
{
	size_t len = strlen(s), at = out->len, i;
	bool digits = false;   /* the line so far is digits that opened it: "1." would start a list */
	enum buf_err e = BUF_OK;
	struct ch c;

	for (i = 0; i < len && !e; i += c.len) {
		c = next_char(s + i, len - i);
		if (c.drop || (c.uc == '\r' && s[i + 1] == '\n'))
			continue;
		if (c.uc == '\n' || c.uc == '\r') {
			e = put_str(out, e, newline ? newline : " ");
			line_start = newline != NULL;
			digits = false;
			continue;
		}
		if (line_start && (c.uc == ' ' || c.uc == '\t')) {
			e = put(out, e, s + i, 1);
			continue;
		}
		if (c.uc == '<' || c.uc == '>' || c.uc == '&') {
			e = put_str(out, e, c.uc == '<' ? "&lt;" : c.uc == '>' ? "&gt;" : "&amp;");
			line_start = digits = false;
			continue;
		}
		if ((c.uc < 0x80 && strchr("\\`*_[]#|~!", (int)c.uc)) ||
		    (line_start && (c.uc == '-' || c.uc == '+' || c.uc == '=')) ||
		    (digits && (c.uc == '.' || c.uc == ')')))
			e = put(out, e, "\\", 1);
		digits = c.uc >= '0' && c.uc <= '9' && (line_start || digits);
		line_start = false;
		e = put(out, e, s + i, c.len);
	}
	return done(out, at, e);
}

/* ---- HTML and XML ---- */

/*
 * The markup loop both share: `rep` says what a character becomes (NULL:
 * itself); dropped characters and those `rep` maps to "" vanish.
 */
static enum buf_err markup(struct buf *out, const char *s, size_t len, const char *(*rep)(ucs4_t, const void *),
			   const void *arg)
{
	size_t at = out->len, i, run = 0;
	enum buf_err e = BUF_OK;
	struct ch c;

	for (i = 0; i < len && !e; i += c.len) {
		const char *r;

		c = next_char(s + i, len - i);
		r = c.drop ? "" : rep(c.uc, arg);
		if (!r)
			continue;
		e = put(out, e, s + run, i - run);
		e = put_str(out, e, r);
		run = i + c.len;
	}
	e = put(out, e, s + run, len - run);
	return done(out, at, e);
}

static const char *html_rep(ucs4_t uc, const void *unused)
{
	(void)unused;
	switch (uc) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\r': return "";
	default: return NULL;
	}
}

enum buf_err esc_html(struct buf *out, const char *s, size_t len)
{
	return markup(out, s, len, html_rep, NULL);
}

/* What LF and TAB become in XML (NULL: themselves). */
struct xml_breaks {
	const char *newline, *tab;
};

static const char *xml_rep(ucs4_t uc, const void *arg)
{
	const struct xml_breaks *b = arg;

	switch (uc) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\r': return "";
	case '\n': return b->newline;
	case '\t': return b->tab;
	default: return NULL;
	}
}

enum buf_err esc_xml(struct buf *out, const char *s, size_t len, const char *newline, const char *tab)
{
	const struct xml_breaks b = { newline, tab };

	return markup(out, s, len, xml_rep, &b);
}

/* ---- plain text ---- */

static const char *text_rep(ucs4_t uc, const void *unused)
{
	(void)unused;
	return uc == '\r' ? "" : NULL;
}

enum buf_err esc_text(struct buf *out, const char *s, size_t len)
{
	return markup(out, s, len, text_rep, NULL);
}

/* ---- JSON ---- */

enum buf_err esc_json(struct buf *out, const char *s)
{
	size_t at = out->len;
	enum buf_err e = buf_addc(out, '"');
	const char *run = s;

	for (; !e && *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" :
				  c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r" :
				  c == '\t' ? "\\t" : NULL;

		if (c >= 0x20 && !esc)
			continue;
		e = buf_add(out, run, (size_t)(s - run));
		if (!e)
			e = esc ? buf_adds(out, esc) : buf_printf(out, "\\u%04X", c);
		run = s + 1;
	}
	if (!e)
		e = buf_add(out, run, strlen(run));
	if (!e)
		e = buf_addc(out, '"');
	return done(out, at, e);
}

/*
 * The first failed write sticks and refuses every later one: jansson
 * (2.14) writes on after failing to write an object's key, which would
 * leave broken JSON behind a success (tests/fuzz/fuzz_report.c found it).
 */
struct esc_dump {
	struct buf *out;
	enum buf_err e;
};

static int esc_dump_write(const char *s, size_t len, void *data)
{
	struct esc_dump *d = data;

	if (!d->e)
		d->e = buf_add(d->out, s, len);
	return d->e ? -1 : 0;
}

enum buf_err esc_json_value(struct buf *out, const json_t *v, size_t flags)
{
	struct esc_dump d = { out, BUF_OK };

	if (json_dump_callback(v, esc_dump_write, &d, flags) && !d.e)
		return BUF_NOMEM;
	return d.e;
}

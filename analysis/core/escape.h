/*
 * escape.h - text people wrote, made safe for CSV, Markdown, HTML, XML and JSON.
 *
 * Every writer of answer text (the analysis CLI's CSV, Markdown and JSON,
 * the report's HTML, Markdown, CSV, DOCX and XLSX) goes through this module, so
 * what a format must never carry is decided in one place.  The display
 * formats (all but JSON) drop the same characters: bytes that are not
 * UTF-8, C0 controls other than TAB, LF and CR, DEL, C1 controls, whole
 * ESC sequences (ANSI colours, OSC titles; a terminal that shows a report
 * must not obey it), the bidi overrides U+202A..U+202E and U+2066..U+2069
 * (they reorder what a reader sees) and U+FFFE, U+FFFF.  What TAB, LF and
 * CR become is each format's own choice.  JSON is data, not display: it
 * carries every character, escaped.
 *
 * Each function appends to `out` and returns BUF_OK, or BUF_NOMEM or
 * BUF_TOOBIG with `out` as it was before the call (never a half-escaped
 * field).  `s` is NUL-terminated unless a length is given.
 */
#ifndef INSPEL_ESCAPE_H
#define INSPEL_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"

/*
 * One CSV field (RFC 4180).  Quoted, quotes doubled, when it holds a comma,
 * a semicolon (Swedish Excel splits on ';'), a quote, CR or LF.  A
 * spreadsheet formula is defused: a field, and each ';'-separated piece of
 * it, that starts with TAB or CR, or whose first character after spaces,
 * TABs, CRs and LFs is = + - or @, gets a leading apostrophe
 * ("Bra;=1+1" -> "Bra;'=1+1", quoted).
 */
enum buf_err esc_csv(struct buf *out, const char *s);

/*
 * Markdown inline text: < > & as HTML entities, \ ` * _ [ ] # | ~ ! behind
 * a backslash, and the block markers - + = and "1." / "1)" when they open
 * a line.  A line break (LF, CR or CRLF) becomes `newline`, which then
 * opens a line; NULL makes it a space (a table cell, a heading).
 * `line_start`: the text opens a line.
 */
enum buf_err esc_md(struct buf *out, const char *s, const char *newline, bool line_start);

/*
 * HTML text, also safe inside a quoted attribute value: & < > " ' as
 * entities; CR dropped (TAB and LF kept).  `len` bytes of `s`.
 */
enum buf_err esc_html(struct buf *out, const char *s, size_t len);

/*
 * XML 1.0 character data (also a quoted attribute value): & < > " as
 * entities; CR dropped.  LF becomes `newline` and TAB becomes `tab` when
 * they are not NULL (a DOCX run writes its own break elements).  `len`
 * bytes of `s`.
 */
enum buf_err esc_xml(struct buf *out, const char *s, size_t len, const char *newline, const char *tab);

/*
 * Plain text for a writer that does its own escaping (a spreadsheet cell
 * written by libxlsxwriter): the characters no display format writes are
 * dropped, and CR too (a CRLF is one line break); TAB and LF stay.  `len`
 * bytes of `s`.
 */
enum buf_err esc_text(struct buf *out, const char *s, size_t len);

/*
 * A JSON string, quotes included, in the bytes jansson writes: \" \\ \b \f
 * \n \r \t, other C0 controls as \u00XX, everything else as it is (the
 * caller has checked that `s` is UTF-8).
 */
enum buf_err esc_json(struct buf *out, const char *s);

/*
 * Append the JSON value `v` as jansson writes it with `flags` (JSON_*).
 * BUF_OK, or the first failing append's error (BUF_TOOBIG, BUF_NOMEM;
 * also BUF_NOMEM when jansson itself fails); on error `out` may hold part
 * of the text, never text written after a failure.
 */
enum buf_err esc_json_value(struct buf *out, const json_t *v, size_t flags);

#endif

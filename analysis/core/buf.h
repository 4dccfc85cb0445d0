/*
 * buf.h - a growable byte buffer with a hard maximum (after curl's dynbuf
 * and git's strbuf).
 *
 * Every append either succeeds completely or leaves the buffer unchanged and
 * returns an error, so callers never see half-written output.  The contents
 * are always NUL-terminated once anything has been appended, so `b.data`
 * can be passed to C string functions (text must not itself contain NULs
 * for that to be meaningful).
 */
#ifndef INSPEL_BUF_H
#define INSPEL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/an_err.h"

enum buf_err {
	BUF_OK = 0,
	BUF_NOMEM,   /* allocation failed */
	BUF_TOOBIG,  /* would exceed the buffer's maximum */
};

struct buf {
	char *data;     /* NULL until the first append; owned by the buf */
	size_t len;     /* bytes used, not counting the trailing NUL */
	size_t cap;     /* bytes allocated */
	size_t max;     /* hard limit on len */
};

/* Initialise an empty buffer that may grow to at most `max` bytes. */
void buf_init(struct buf *b, size_t max);

/* Free the contents; the buffer is empty again and may be reused. */
void buf_free(struct buf *b);

/* Forget the contents but keep the allocation. */
void buf_reset(struct buf *b);

/* Keep only the first `len` bytes (at most b->len): undo appends after a failure. */
void buf_truncate(struct buf *b, size_t len);

/* Append `len` bytes.  Returns BUF_OK, BUF_NOMEM or BUF_TOOBIG. */
enum buf_err buf_add(struct buf *b, const void *data, size_t len);

/* Append a NUL-terminated string. */
enum buf_err buf_adds(struct buf *b, const char *s);

/* Append one byte. */
enum buf_err buf_addc(struct buf *b, char c);

/* Append printf-style formatted text. */
enum buf_err buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum buf_err buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Hand the contents to the caller, who must free() them, and leave the
 * buffer empty.  Returns an allocated empty string for an empty buffer, or
 * NULL when that allocation fails.  `len` may be NULL.
 */
char *buf_detach(struct buf *b, size_t *len);

/* The analysis error for a buffer error: AN_OK, AN_ENOMEM or AN_ETOOBIG. */
enum an_err buf_an_err(enum buf_err e);

/*
 * Grow the array *p of `size`-byte elements, holding *cap, to hold at least
 * `need` (doubling, from 64); *p and *cap change only on success.  Returns
 * AN_OK or AN_ENOMEM.
 */
enum an_err buf_grow_array(void **p, size_t *cap, size_t need, size_t size);

#endif

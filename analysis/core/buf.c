/*
 * buf.c - growable byte buffer with a hard maximum.
 *
 * Capacity doubles so appends are amortised O(1); the maximum is checked
 * before any allocation so a hostile input cannot make us grow past it.
 */
#include "core/buf.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN_CAP 64

void buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	buf_truncate(b, 0);
}

void buf_truncate(struct buf *b, size_t len)
{
	assert(len <= b->len);
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

static enum buf_err buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	/* The second test keeps `need` (which adds the NUL) from wrapping when max is SIZE_MAX. */
	if (extra > b->max - b->len || extra >= SIZE_MAX - b->len)
		return BUF_TOOBIG;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return BUF_OK;
	cap = b->cap ? b->cap : BUF_MIN_CAP;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p)
		return BUF_NOMEM;
	b->data = p;
	b->cap = cap;
	return BUF_OK;
}

enum buf_err buf_add(struct buf *b, const void *data, size_t len)
{
	enum buf_err err = buf_grow(b, len);

	if (err)
		return err;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return BUF_OK;
}

enum buf_err buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum buf_err buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum buf_err buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	enum buf_err err;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return BUF_NOMEM;
	err = buf_grow(b, (size_t)n);
	if (err)
		return err;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return BUF_OK;
}

enum buf_err buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum buf_err err;

	va_start(ap, fmt);
	err = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

enum an_err buf_an_err(enum buf_err e)
{
	return e == BUF_OK ? AN_OK : e == BUF_TOOBIG ? AN_ETOOBIG : AN_ENOMEM;
}

enum an_err buf_grow_array(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return AN_OK;
	while (n < need)
		n *= 2;
	if (!(q = realloc(*p, n * size)))
		return AN_ENOMEM;
	*p = q;
	*cap = n;
	return AN_OK;
}

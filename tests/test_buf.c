/*
 * test_buf.c - the growable byte buffer of analysis/core/buf.h: appends of
 * every kind, growth, the hard maximum (refused whole, buffer unchanged and
 * still usable), reset, free and detach.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

/* The buffer holds exactly the `len` bytes at `expect`, NUL-terminated after them. */
static void assert_holds(const struct buf *b, const void *expect, size_t len)
{
	assert_int_equal(b->len, len);
	assert_non_null(b->data);
	assert_true(b->cap > b->len);
	assert_memory_equal(b->data, expect, len);
	assert_int_equal(b->data[len], '\0');
}

static void test_init_is_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	/* Freeing and resetting a buffer that never allocated are no-ops. */
	buf_reset(&b);
	assert_null(b.data);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 100);
}

static void test_add_kinds(void **state)
{
	static const char bytes[] = { 'a', '\0', 'b' };
	struct buf b;

	(void)state;
	buf_init(&b, 1000);
	assert_int_equal(buf_adds(&b, "vård"), BUF_OK);
	assert_holds(&b, "vård", strlen("vård"));
	assert_int_equal(buf_addc(&b, '-'), BUF_OK);
	assert_int_equal(buf_add(&b, "central", 4), BUF_OK);   /* only the first 4 bytes */
	assert_string_equal(b.data, "vård-cent");
	/* Bytes with a NUL in them are kept; len counts them all. */
	assert_int_equal(buf_add(&b, bytes, sizeof bytes), BUF_OK);
	assert_holds(&b, "vård-centa\0b", strlen("vård-cent") + 3);
	assert_int_equal(buf_addc(&b, '\0'), BUF_OK);
	assert_int_equal(b.len, strlen("vård-cent") + 4);
	buf_free(&b);
}

static void test_empty_appends(void **state)
{
	struct buf b;

	(void)state;
	/* An empty append succeeds and makes the contents a valid empty string. */
	buf_init(&b, 10);
	assert_int_equal(buf_add(&b, NULL, 0), BUF_OK);
	assert_holds(&b, "", 0);
	assert_int_equal(buf_adds(&b, ""), BUF_OK);
	assert_int_equal(buf_printf(&b, "%s", ""), BUF_OK);
	assert_holds(&b, "", 0);
	buf_free(&b);

	/* Even with a maximum of 0, where every non-empty append is refused. */
	buf_init(&b, 0);
	assert_int_equal(buf_adds(&b, ""), BUF_OK);
	assert_holds(&b, "", 0);
	assert_int_equal(buf_addc(&b, 'x'), BUF_TOOBIG);
	assert_holds(&b, "", 0);
	buf_free(&b);
}

static void test_printf(void **state)
{
	char long_arg[3001];
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_printf(&b, "%d svar, %s", 38, "2 dolda"), BUF_OK);
	assert_int_equal(buf_printf(&b, " (%.1f%%)", 5.5), BUF_OK);
	assert_string_equal(b.data, "38 svar, 2 dolda (5.5%)");
	/* Formatted text longer than the allocation: grown first, written whole. */
	memset(long_arg, 'k', sizeof long_arg - 1);
	long_arg[sizeof long_arg - 1] = '\0';
	assert_int_equal(buf_printf(&b, "[%s]", long_arg), BUF_OK);
	assert_int_equal(b.len, strlen("38 svar, 2 dolda (5.5%)") + 3002);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(strlen(b.data), b.len);
	buf_free(&b);
}

/* buf_vprintf through a variadic wrapper, the way callers use it. */
static enum buf_err wrapped_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum buf_err wrapped_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum buf_err err;

	va_start(ap, fmt);
	err = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

static void test_vprintf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(wrapped_printf(&b, "%s=%u", "tema", 7u), BUF_OK);
	assert_string_equal(b.data, "tema=7");
	assert_int_equal(wrapped_printf(&b, "%s", "01234567890"), BUF_TOOBIG);
	assert_string_equal(b.data, "tema=7");
	assert_int_equal(wrapped_printf(&b, "%s", "0123456789"), BUF_OK);
	assert_holds(&b, "tema=70123456789", 16);
	buf_free(&b);
}

static void test_growth(void **state)
{
	struct buf b;
	size_t i, cap = 0, grew = 0;

	(void)state;
	buf_init(&b, 1 << 20);
	for (i = 0; i < 100000; i++) {
		assert_int_equal(buf_addc(&b, (char)('a' + i % 26)), BUF_OK);
		if (b.cap != cap) {
			grew++;
			cap = b.cap;
		}
		assert_true(b.cap > b.len);
	}
	assert_int_equal(b.len, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], (char)('a' + i % 26));
	assert_int_equal(b.data[b.len], '\0');
	/* Amortised O(1): the allocation grew a logarithmic number of times. */
	assert_true(grew < 20);
	buf_free(&b);
}

/* The documented hard maximum: exactly `max` bytes fit; past it, BUF_TOOBIG and nothing changes. */
static void test_max_refused_whole(void **state)
{
	struct buf b;
	char *data;
	size_t cap;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_adds(&b, "abcdefgh"), BUF_OK);
	data = b.data;
	cap = b.cap;
	assert_int_equal(buf_adds(&b, "xyz"), BUF_TOOBIG);
	assert_int_equal(buf_add(&b, "xyz", 3), BUF_TOOBIG);
	assert_int_equal(buf_printf(&b, "%d", 123), BUF_TOOBIG);
	assert_holds(&b, "abcdefgh", 8);
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	/* Up to the maximum exactly. */
	assert_int_equal(buf_adds(&b, "ij"), BUF_OK);
	assert_holds(&b, "abcdefghij", 10);
	assert_int_equal(buf_addc(&b, 'k'), BUF_TOOBIG);
	assert_int_equal(buf_add(&b, "", 0), BUF_OK);
	assert_holds(&b, "abcdefghij", 10);
	/* A length that would overflow is refused before anything is read from it. */
	assert_int_equal(buf_add(&b, "x", SIZE_MAX), BUF_TOOBIG);
	assert_int_equal(buf_add(&b, "x", SIZE_MAX - 5), BUF_TOOBIG);
	assert_holds(&b, "abcdefghij", 10);
	/* Still usable: reset gives the room back. */
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%s", "0123456789"), BUF_OK);
	assert_holds(&b, "0123456789", 10);
	buf_free(&b);
}

static void test_max_large_append_into_empty(void **state)
{
	static char big[4096];
	struct buf b;

	(void)state;
	memset(big, 'z', sizeof big);
	buf_init(&b, sizeof big - 1);
	assert_int_equal(buf_add(&b, big, sizeof big), BUF_TOOBIG);
	/* Refused before any allocation. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(buf_add(&b, big, sizeof big - 1), BUF_OK);
	assert_holds(&b, big, sizeof big - 1);
	buf_free(&b);
}

/*
 * With no practical maximum (SIZE_MAX), a length that would wrap the size
 * with its NUL is refused, not taken for a tiny allocation.  The data
 * pointer is never read: the size is checked first.
 */
static void test_unlimited_length_cannot_wrap(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, SIZE_MAX);
	assert_int_equal(buf_adds(&b, "ab"), BUF_OK);
	assert_int_equal(buf_add(&b, "", SIZE_MAX - 2), BUF_TOOBIG);
	assert_int_equal(buf_add(&b, "", SIZE_MAX), BUF_TOOBIG);
	assert_holds(&b, "ab", 2);
	buf_free(&b);
}

static void test_reset_keeps_allocation(void **state)
{
	struct buf b;
	char *data;
	size_t cap;

	(void)state;
	buf_init(&b, 1000);
	assert_int_equal(buf_adds(&b, "Kontinuitet i vården"), BUF_OK);
	data = b.data;
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_adds(&b, "SIP"), BUF_OK);
	assert_ptr_equal(b.data, data);
	assert_holds(&b, "SIP", 3);
	buf_free(&b);
}

static void test_free_then_reuse(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 50);
	assert_int_equal(buf_adds(&b, "första"), BUF_OK);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 50);
	assert_int_equal(buf_adds(&b, "andra"), BUF_OK);
	assert_holds(&b, "andra", 5);
	buf_free(&b);
	buf_free(&b);   /* twice is harmless */
}

static void test_detach(void **state)
{
	struct buf b;
	size_t len = 99;
	char *s;

	(void)state;
	/* An empty buffer gives an allocated empty string. */
	buf_init(&b, 64);
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	/* The caller owns the contents; the buffer is empty and keeps its maximum. */
	assert_int_equal(buf_printf(&b, "%s %d", "svar", 35), BUF_OK);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "svar 35");
	assert_int_equal(len, 7);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 64);
	free(s);

	/* `len` may be NULL; bytes after a NUL come along. */
	assert_int_equal(buf_add(&b, "a\0b", 3), BUF_OK);
	s = buf_detach(&b, NULL);
	assert_memory_equal(s, "a\0b", 4);
	free(s);

	/* A reset buffer detaches its (kept) allocation as an empty string. */
	assert_int_equal(buf_adds(&b, "kvar"), BUF_OK);
	buf_reset(&b);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);

	/* And the buffer is usable afterwards. */
	assert_int_equal(buf_adds(&b, "igen"), BUF_OK);
	assert_holds(&b, "igen", 4);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty),
		cmocka_unit_test(test_add_kinds),
		cmocka_unit_test(test_empty_appends),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_vprintf),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_max_refused_whole),
		cmocka_unit_test(test_max_large_append_into_empty),
		cmocka_unit_test(test_unlimited_length_cannot_wrap),
		cmocka_unit_test(test_reset_keeps_allocation),
		cmocka_unit_test(test_free_then_reuse),
		cmocka_unit_test(test_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

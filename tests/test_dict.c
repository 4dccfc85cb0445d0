/*
 * test_dict.c - string interning of analysis/core/dict.h: ids in first-seen
 * order, lookups of present and absent strings, the empty string, arbitrary
 * bytes, hash collisions, growth through many rehashes, the limits, and
 * ownership (the dict keeps its own copy of each string).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "core/dict.h"

#define MANY 200000   /* past many rehashes of the 64-slot start */

/* Intern a C string; its id. */
static uint32_t intern(struct dict *d, const char *s)
{
	uint32_t id = UINT32_MAX;

	assert_int_equal(dict_intern(d, s, strlen(s), &id), AN_OK);
	return id;
}

static int64_t find(const struct dict *d, const char *s)
{
	return dict_find(d, s, strlen(s));
}

static void test_empty_dict(void **state)
{
	struct dict d;

	(void)state;
	dict_init(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(find(&d, "kontinuitet"), -1);
	assert_int_equal(dict_find(&d, "", 0), -1);
	dict_free(&d);   /* nothing was allocated */
	assert_int_equal(d.n, 0);
	assert_null(d.slots);
}

static void test_first_seen_ids(void **state)
{
	struct dict d;

	(void)state;
	dict_init(&d);
	assert_int_equal(intern(&d, "vård"), 0);
	assert_int_equal(intern(&d, "omsorg"), 1);
	assert_int_equal(intern(&d, "vård"), 0);       /* again: the same id, nothing added */
	assert_int_equal(intern(&d, "skola"), 2);
	assert_int_equal(d.n, 3);
	assert_int_equal(find(&d, "omsorg"), 1);
	assert_int_equal(find(&d, "skola"), 2);
	assert_string_equal(dict_str(&d, 0), "vård");
	assert_string_equal(dict_str(&d, 1), "omsorg");
	assert_int_equal(dict_strlen(&d, 0), strlen("vård"));
	assert_int_equal(dict_strlen(&d, 2), 5);
	/* Absent: a different string, a prefix, an extension, another case. */
	assert_int_equal(find(&d, "hälsa"), -1);
	assert_int_equal(find(&d, "vår"), -1);
	assert_int_equal(find(&d, "vården"), -1);
	assert_int_equal(find(&d, "Vård"), -1);
	assert_int_equal(dict_find(&d, "", 0), -1);
	assert_int_equal(d.n, 3);
	dict_free(&d);
}

static void test_empty_string(void **state)
{
	struct dict d;
	uint32_t id;

	(void)state;
	dict_init(&d);
	assert_int_equal(intern(&d, "a"), 0);
	assert_int_equal(dict_intern(&d, "", 0, &id), AN_OK);
	assert_int_equal(id, 1);
	assert_int_equal(dict_intern(&d, "ignored", 0, &id), AN_OK);   /* only len bytes count */
	assert_int_equal(id, 1);
	assert_string_equal(dict_str(&d, 1), "");
	assert_int_equal(dict_strlen(&d, 1), 0);
	assert_int_equal(dict_find(&d, "x", 0), 1);
	assert_int_equal(d.n, 2);
	dict_free(&d);
}

static void test_bytes_and_lengths(void **state)
{
	static const char high[] = { '\xff', '\x01', '\x80', '\x7f' };
	struct dict d;
	uint32_t id;

	(void)state;
	dict_init(&d);
	/* Only `len` bytes are read; the stored copy is NUL-terminated. */
	assert_int_equal(dict_intern(&d, "läkarkontakt", strlen("läkare") - 1, &id), AN_OK);
	assert_string_equal(dict_str(&d, id), "läkar");
	assert_int_equal(find(&d, "läkar"), id);
	/* Any byte but NUL. */
	assert_int_equal(dict_intern(&d, high, sizeof high, &id), AN_OK);
	assert_int_equal(id, 1);
	assert_int_equal(dict_strlen(&d, 1), sizeof high);
	assert_memory_equal(dict_str(&d, 1), high, sizeof high);
	assert_int_equal(dict_str(&d, 1)[sizeof high], '\0');
	assert_int_equal(dict_find(&d, high, sizeof high), 1);
	assert_int_equal(dict_find(&d, high, sizeof high - 1), -1);
	dict_free(&d);
}

/* Pairs with the same 32-bit FNV-1a hash: found by comparing the bytes, not the hash. */
static void test_hash_collisions(void **state)
{
	static const char *const pairs[][2] = {
		{ "costarring", "liquid" }, { "declinate", "macallums" }, { "altarage", "zinke" },
	};
	struct dict d;
	size_t i;

	(void)state;
	dict_init(&d);
	for (i = 0; i < 3; i++) {
		assert_int_equal(intern(&d, pairs[i][0]), 2 * i);
		assert_int_equal(find(&d, pairs[i][1]), -1);
		assert_int_equal(intern(&d, pairs[i][1]), 2 * i + 1);
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(find(&d, pairs[i][0]), 2 * i);
		assert_int_equal(find(&d, pairs[i][1]), 2 * i + 1);
		assert_string_equal(dict_str(&d, (uint32_t)(2 * i + 1)), pairs[i][1]);
	}
	dict_free(&d);
}

/* Many entries: every rehash keeps every id, and the table stays at most half full. */
static void test_many_entries(void **state)
{
	struct dict d;
	char s[32];
	size_t nslots = 0, rehashes = 0;
	uint32_t i;

	(void)state;
	dict_init(&d);
	for (i = 0; i < MANY; i++) {
		snprintf(s, sizeof s, "ord%u", i);
		assert_int_equal(intern(&d, s), i);
		if (d.nslots != nslots) {
			rehashes++;
			nslots = d.nslots;
		}
		assert_true(d.n * 2 <= d.nslots);
		assert_int_equal(d.nslots & (d.nslots - 1), 0);   /* a power of two */
	}
	assert_int_equal(d.n, MANY);
	assert_true(rehashes > 10);
	/* Every string is found with its first-seen id, and interning it again adds nothing. */
	for (i = 0; i < MANY; i++) {
		snprintf(s, sizeof s, "ord%u", i);
		assert_int_equal(find(&d, s), i);
		assert_int_equal(intern(&d, s), i);
		assert_string_equal(dict_str(&d, i), s);
		assert_int_equal(dict_strlen(&d, i), strlen(s));
	}
	assert_int_equal(d.n, MANY);
	/* Absent keys, including ones sharing a prefix with present ones. */
	for (i = 0; i < 1000; i++) {
		snprintf(s, sizeof s, "ord%u", MANY + i);
		assert_int_equal(find(&d, s), -1);
		snprintf(s, sizeof s, "ord%ux", i);
		assert_int_equal(find(&d, s), -1);
	}
	dict_free(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(find(&d, "ord1"), -1);
}

/* The dict keeps its own copy: the caller's bytes may change or go away after dict_intern. */
static void test_owns_its_copy(void **state)
{
	struct dict d;
	char word[] = "samverkan";
	char s[32];
	uint32_t i;

	(void)state;
	dict_init(&d);
	assert_int_equal(intern(&d, word), 0);
	memcpy(word, "SAMVERKAN", sizeof word);
	assert_string_equal(dict_str(&d, 0), "samverkan");
	assert_int_equal(find(&d, "samverkan"), 0);
	assert_int_equal(find(&d, word), -1);
	/*
	 * dict_str's pointer is valid until the next dict_intern: after the
	 * arena has grown, asking again gives the same string.
	 */
	for (i = 0; i < 10000; i++) {
		snprintf(s, sizeof s, "tema-%u", i);
		intern(&d, s);
	}
	assert_string_equal(dict_str(&d, 0), "samverkan");
	dict_free(&d);
}

static void test_free_then_reuse(void **state)
{
	struct dict d;

	(void)state;
	dict_init(&d);
	assert_int_equal(intern(&d, "först"), 0);
	assert_int_equal(intern(&d, "sedan"), 1);
	dict_free(&d);
	assert_int_equal(find(&d, "först"), -1);
	/* Ids start from 0 again. */
	assert_int_equal(intern(&d, "sedan"), 0);
	assert_int_equal(find(&d, "sedan"), 0);
	dict_free(&d);
	dict_free(&d);   /* twice is harmless */
}

/*
 * The limits (DICT_MAX_ENTRIES strings, 4 GiB of text) refuse a new string
 * with AN_ETOOBIG and change nothing; strings already in still come back.
 * Reaching them for real takes 50 million strings or 4 GiB, so the counters
 * are set as if the dict were that full, and put back before dict_free.
 */
static void test_limits(void **state)
{
	struct dict d;
	size_t n, arena_len;
	uint32_t id = 12345;

	(void)state;
	dict_init(&d);
	intern(&d, "kontinuitet");
	intern(&d, "samverkan");
	n = d.n;
	arena_len = d.arena_len;

	d.n = DICT_MAX_ENTRIES;
	assert_int_equal(dict_intern(&d, "ny", 2, &id), AN_ETOOBIG);
	assert_int_equal(id, 12345);
	assert_int_equal(d.n, DICT_MAX_ENTRIES);
	assert_int_equal(d.arena_len, arena_len);
	assert_int_equal(dict_intern(&d, "samverkan", 9, &id), AN_OK);
	assert_int_equal(id, 1);
	d.n = n;

	/* Room for exactly 2 more bytes of text (each entry also takes an 8-byte head and a NUL). */
	d.arena_len = (size_t)UINT32_MAX - 2 - 8 - 2;
	id = 12345;
	assert_int_equal(dict_intern(&d, "tre", 3, &id), AN_ETOOBIG);
	assert_int_equal(id, 12345);
	assert_int_equal(d.n, n);
	assert_int_equal(dict_intern(&d, "kontinuitet", 11, &id), AN_OK);
	assert_int_equal(id, 0);
	d.arena_len = arena_len;

	/* Back to normal: the dict is usable and unchanged. */
	assert_int_equal(intern(&d, "ny"), 2);
	assert_string_equal(dict_str(&d, 1), "samverkan");
	dict_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_dict),
		cmocka_unit_test(test_first_seen_ids),
		cmocka_unit_test(test_empty_string),
		cmocka_unit_test(test_bytes_and_lengths),
		cmocka_unit_test(test_hash_collisions),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_owns_its_copy),
		cmocka_unit_test(test_free_then_reuse),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

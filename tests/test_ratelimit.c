/*
 * test_ratelimit.c - token buckets with a fake clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "live/ratelimit.h"
#include "base/srv_err.h"

static void test_burst_then_refill(void **state)
{
	struct ratelimit rl;
	unsigned retry = 0;
	int i;

	assert_int_equal(ratelimit_init(&rl, 3, 30, 100), SRV_OK);
	for (i = 0; i < 3; i++)
		assert_true(ratelimit_take(&rl, "phone-a", 100.0, &retry));
	assert_false(ratelimit_take(&rl, "phone-a", 100.0, &retry));
	assert_int_equal(retry, 2);                        /* 30/min = one per 2 s */
	assert_true(ratelimit_take(&rl, "phone-b", 100.0, &retry));   /* others unaffected */
	assert_false(ratelimit_take(&rl, "phone-a", 101.0, &retry));
	assert_int_equal(retry, 1);
	assert_true(ratelimit_take(&rl, "phone-a", 102.0, &retry));
	assert_false(ratelimit_take(&rl, "phone-a", 102.0, &retry));
	ratelimit_free(&rl);
}

static void test_refund(void **state)
{
	struct ratelimit rl;

	assert_int_equal(ratelimit_init(&rl, 1, 1, 100), SRV_OK);
	assert_true(ratelimit_take(&rl, "phone", 5.0, NULL));
	assert_false(ratelimit_take(&rl, "phone", 5.0, NULL));
	ratelimit_refund(&rl, "phone", 5.0);
	assert_true(ratelimit_take(&rl, "phone", 5.0, NULL));
	/* A refund never grows the bucket past its burst. */
	ratelimit_refund(&rl, "phone", 5.0);
	ratelimit_refund(&rl, "phone", 5.0);
	assert_true(ratelimit_take(&rl, "phone", 5.0, NULL));
	assert_false(ratelimit_take(&rl, "phone", 5.0, NULL));
	ratelimit_free(&rl);
}

static void test_disabled(void **state)
{
	struct ratelimit rl;
	int i;

	assert_int_equal(ratelimit_init(&rl, 0, 0, 10), SRV_OK);
	for (i = 0; i < 1000; i++)
		assert_true(ratelimit_take(&rl, "phone", 1.0, NULL));
	ratelimit_free(&rl);
}

static void test_table_cap(void **state)
{
	struct ratelimit rl;
	char name[32];
	int i;

	assert_int_equal(ratelimit_init(&rl, 1, 60, 4), SRV_OK);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "phone-%d", i);
		assert_true(ratelimit_take(&rl, name, 10.0, NULL));
	}
	assert_int_equal(rl.count, 4);
	/* Table full of empty buckets: a new phone is let through, not remembered. */
	assert_true(ratelimit_take(&rl, "newcomer", 10.0, NULL));
	assert_int_equal(rl.count, 4);
	/* Once the old buckets have refilled they are swept to make room. */
	assert_true(ratelimit_take(&rl, "newcomer", 20.0, NULL));
	assert_int_equal(rl.count, 1);
	assert_false(ratelimit_take(&rl, "newcomer", 20.0, NULL));
	ratelimit_free(&rl);
}

/*
 * A table full of buckets still in use is swept at most once a second:
 * sweeping walks every bucket, and a flood of fresh client_ids used to make
 * every one of its requests pay for a walk of the whole table.
 */
static void test_sweep_throttled(void **state)
{
	struct ratelimit rl;

	assert_int_equal(ratelimit_init(&rl, 1, 60, 2), SRV_OK);
	assert_true(ratelimit_take(&rl, "phone-a", 10.0, NULL));
	assert_true(ratelimit_take(&rl, "phone-b", 10.0, NULL));
	/* Full of empty buckets: swept in vain, the newcomer goes through unremembered. */
	assert_true(ratelimit_take(&rl, "phone-c", 10.5, NULL));
	assert_int_equal(rl.count, 2);
	/* a and b have refilled by 11.2, but the last sweep was 0.7 s ago: no walk. */
	assert_true(ratelimit_take(&rl, "phone-d", 11.2, NULL));
	assert_int_equal(rl.count, 2);
	assert_true(ratelimit_take(&rl, "phone-d", 11.2, NULL));
	/* A second after the last sweep the refilled buckets make room again. */
	assert_true(ratelimit_take(&rl, "phone-e", 11.6, NULL));
	assert_int_equal(rl.count, 1);
	assert_false(ratelimit_take(&rl, "phone-e", 11.6, NULL));
	ratelimit_free(&rl);
}

/*
 * Join lookups: a lookup takes the cost of a miss, all or nothing, and a hit
 * gives back all but one, so misses cost ten times what hits do even when
 * the bucket is nearly empty.
 */
static void test_take_n(void **state)
{
	struct ratelimit rl;
	unsigned retry = 0;
	int i;

	assert_int_equal(ratelimit_init(&rl, 25, 60, 100), SRV_OK);    /* one token a second */
	/* Five hits and two misses: 5 * 1 + 10 + 10 = 25. */
	for (i = 0; i < 5; i++) {
		assert_true(ratelimit_take_n(&rl, "net", 10, 0.0, &retry));
		ratelimit_refund_n(&rl, "net", 9, 0.0);
	}
	assert_true(ratelimit_take_n(&rl, "net", 10, 0.0, &retry));
	assert_true(ratelimit_take_n(&rl, "net", 10, 0.0, &retry));
	/* Empty: nothing is taken by a refusal, and the wait is for the whole cost. */
	assert_false(ratelimit_take_n(&rl, "net", 10, 0.0, &retry));
	assert_int_equal(retry, 10);
	assert_false(ratelimit_take_n(&rl, "net", 10, 4.5, &retry));
	assert_int_equal(retry, 6);
	assert_true(ratelimit_take(&rl, "net", 4.5, NULL));          /* a smaller cost fits sooner */
	assert_true(ratelimit_take_n(&rl, "net", 10, 13.5, &retry));
	/* A refund never passes the burst; a cost over the burst is never allowed. */
	ratelimit_refund_n(&rl, "net", 100, 13.5);
	assert_true(ratelimit_take_n(&rl, "net", 25, 13.5, NULL));
	assert_false(ratelimit_take_n(&rl, "net", 26, 100.0, &retry));
	assert_int_equal(retry, 3600);
	/* Refunding a client that was never charged remembers nothing. */
	ratelimit_refund_n(&rl, "stranger", 3, 13.5);
	assert_int_equal(rl.count, 1);
	ratelimit_free(&rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refill),
		cmocka_unit_test(test_refund),
		cmocka_unit_test(test_disabled),
		cmocka_unit_test(test_table_cap),
		cmocka_unit_test(test_sweep_throttled),
		cmocka_unit_test(test_take_n),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_events.c - the SSE broadcaster: audiences, snapshot first, sleep and
 * wake, dropping a subscriber that falls behind, ending one audience's
 * streams, shutdown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "live/events.h"
#include "base/srv_err.h"

struct flags {
	int sleeps, wakes;
};

static void on_sleep(void *arg)
{
	((struct flags *)arg)->sleeps++;
}

static void on_wake(void *arg)
{
	((struct flags *)arg)->wakes++;
}

/* Read everything queued into a string (caller frees). */
static char *drain(struct events_sub *sub)
{
	char *all = calloc(1, EVENTS_QUEUE_MAX + 1), chunk[100];
	size_t len = 0;
	ssize_t n;

	assert_non_null(all);
	while ((n = events_sub_read(sub, chunk, sizeof chunk)) > 0) {
		memcpy(all + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	assert_int_equal(n, 0);
	return all;
}

static void test_audiences_and_snapshot(void **state)
{
	struct events *ev = NULL;
	struct events_sub *phone = NULL, *wall = NULL, *other = NULL;
	struct flags fp = { 0 }, fw = { 0 }, fo = { 0 };
	char *got;

	assert_int_equal(events_open(&ev), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws1", false, on_sleep, on_wake, &fp, &phone), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws1", true, on_sleep, on_wake, &fw, &wall), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws2", true, on_sleep, on_wake, &fo, &other), SRV_OK);
	assert_int_equal(events_count(ev), 3);
	assert_true(events_wanted(ev, "ws1", EVENTS_ANSWERS));
	assert_true(events_wanted(ev, "ws1", EVENTS_ALL));
	assert_false(events_wanted(ev, "ws3", EVENTS_ALL));

	events_publish(ev, "ws1", EVENTS_ANSWERS, EVENTS_ANSWER, "{\"id\":1}");
	events_publish(ev, "ws1", EVENTS_ALL, EVENTS_COUNTS, "{\"total\":1}");
	/* The snapshot goes in front of what was published since subscribing. */
	assert_int_equal(events_sub_prepend(wall, EVENTS_SNAPSHOT, "{}"), SRV_OK);
	assert_int_equal(events_sub_prepend(phone, EVENTS_SNAPSHOT, "{}"), SRV_OK);

	got = drain(phone);
	assert_string_equal(got, "event: snapshot\ndata: {}\n\nevent: counts\ndata: {\"total\":1}\n\n");
	free(got);
	got = drain(wall);
	assert_string_equal(got, "event: snapshot\ndata: {}\n\nevent: answer\ndata: {\"id\":1}\n\n"
				 "event: counts\ndata: {\"total\":1}\n\n");
	free(got);
	got = drain(other);
	assert_string_equal(got, "");
	free(got);

	/* Each empty read put the reader to sleep; new data wakes it once. */
	assert_int_equal(fp.sleeps, 1);
	assert_int_equal(fp.wakes, 0);
	events_publish(ev, "ws1", EVENTS_ALL, EVENTS_QUESTION, "{\"id\":2}");
	events_publish(ev, "ws1", EVENTS_ALL, EVENTS_QUESTION, "{\"id\":3}");
	assert_int_equal(fp.wakes, 1);
	assert_int_equal(fo.wakes, 0);
	events_ping(ev);
	got = drain(phone);
	assert_non_null(strstr(got, ": ping\n\n"));
	free(got);

	events_unsubscribe(phone);
	events_unsubscribe(wall);
	assert_false(events_wanted(ev, "ws1", EVENTS_ANSWERS));
	events_unsubscribe(other);
	assert_int_equal(events_count(ev), 0);
	events_close(ev);
}

/* A vote goes to phones without results and to presenters with them: EVENTS_PHONES reaches only phones. */
static void test_phones_audience(void **state)
{
	struct events *ev = NULL;
	struct events_sub *phone = NULL, *wall = NULL;
	struct flags fp = { 0 }, fw = { 0 };
	char *got;

	assert_int_equal(events_open(&ev), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws1", true, on_sleep, on_wake, &fw, &wall), SRV_OK);
	assert_false(events_wanted(ev, "ws1", EVENTS_PHONES));
	assert_int_equal(events_subscribe(ev, "ws1", false, on_sleep, on_wake, &fp, &phone), SRV_OK);
	assert_true(events_wanted(ev, "ws1", EVENTS_PHONES));
	assert_false(events_wanted(ev, "ws2", EVENTS_PHONES));

	events_publish(ev, "ws1", EVENTS_PHONES, EVENTS_VOTE, "{\"id\":4}");
	events_publish(ev, "ws1", EVENTS_ANSWERS, EVENTS_VOTE, "{\"id\":4,\"ballots\":0}");
	got = drain(phone);
	assert_string_equal(got, "event: vote\ndata: {\"id\":4}\n\n");
	free(got);
	got = drain(wall);
	assert_string_equal(got, "event: vote\ndata: {\"id\":4,\"ballots\":0}\n\n");
	free(got);

	events_unsubscribe(phone);
	assert_false(events_wanted(ev, "ws1", EVENTS_PHONES));
	assert_true(events_wanted(ev, "ws1", EVENTS_ALL));
	events_unsubscribe(wall);
	events_close(ev);
}

static void test_slow_subscriber_dropped(void **state)
{
	struct events *ev = NULL;
	struct events_sub *slow = NULL;
	struct flags f = { 0 };
	char data[1024], buf[16];
	int i;

	memset(data, 'x', sizeof data - 1);
	data[0] = '"';
	data[sizeof data - 2] = '"';
	data[sizeof data - 1] = '\0';
	assert_int_equal(events_open(&ev), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws", true, on_sleep, on_wake, &f, &slow), SRV_OK);
	for (i = 0; i < EVENTS_QUEUE_MAX / 1000 + 10; i++)
		events_publish(ev, "ws", EVENTS_ALL, EVENTS_ANSWER, data);
	/* Too far behind: the stream ends so the client reconnects for a snapshot. */
	assert_int_equal(events_sub_read(slow, buf, sizeof buf), -1);
	events_unsubscribe(slow);
	events_close(ev);
}

/*
 * A snapshot over EVENTS_QUEUE_MAX (a presenter's 200 long answers) is
 * delivered, with what was published meanwhile behind it; once it is read
 * the ordinary cap applies again.
 */
static void test_big_snapshot(void **state)
{
	size_t big = EVENTS_QUEUE_MAX + 100000, got = 0;
	struct events *ev = NULL;
	struct events_sub *wall = NULL;
	struct flags f = { 0 };
	char *snapshot = malloc(big + 3), *last = NULL, chunk[4096], data[1024];
	ssize_t n;
	int i;

	assert_non_null(snapshot);
	memset(snapshot, 'x', big + 2);
	snapshot[0] = '"';
	snapshot[big + 1] = '"';
	snapshot[big + 2] = '\0';
	assert_int_equal(events_open(&ev), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws", true, on_sleep, on_wake, &f, &wall), SRV_OK);
	events_publish(ev, "ws", EVENTS_ANSWERS, EVENTS_ANSWER, "{\"id\":1}");
	assert_int_equal(events_sub_prepend(wall, EVENTS_SNAPSHOT, snapshot), SRV_OK);
	while ((n = events_sub_read(wall, chunk, sizeof chunk - 1)) > 0) {
		chunk[n] = '\0';
		if (got == 0)
			assert_memory_equal(chunk, "event: snapshot\n", 16);
		got += (size_t)n;
		free(last);
		last = strdup(chunk);
	}
	assert_int_equal(n, 0);
	assert_non_null(strstr(last, "event: answer\ndata: {\"id\":1}\n\n"));
	assert_true(got > big);

	/* Drained: falling EVENTS_QUEUE_MAX behind ends the stream as usual. */
	memset(data, 'y', sizeof data - 1);
	data[0] = '"';
	data[sizeof data - 2] = '"';
	data[sizeof data - 1] = '\0';
	for (i = 0; i < EVENTS_QUEUE_MAX / 1000 + 10; i++)
		events_publish(ev, "ws", EVENTS_ALL, EVENTS_ANSWER, data);
	assert_int_equal(events_sub_read(wall, chunk, sizeof chunk), -1);
	events_unsubscribe(wall);
	events_close(ev);
	free(last);
	free(snapshot);
}

static void test_shutdown(void **state)
{
	struct events *ev = NULL;
	struct events_sub *sub = NULL, *late = NULL;
	struct flags f = { 0 };
	char buf[16];

	assert_int_equal(events_open(&ev), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws", false, on_sleep, on_wake, &f, &sub), SRV_OK);
	assert_int_equal(events_sub_read(sub, buf, sizeof buf), 0);
	assert_int_equal(f.sleeps, 1);
	events_shutdown(ev);
	assert_int_equal(f.wakes, 1);      /* a sleeping stream is woken to end */
	assert_int_equal(events_sub_read(sub, buf, sizeof buf), -1);
	assert_int_equal(events_subscribe(ev, "ws", false, on_sleep, on_wake, &f, &late), SRV_ESTOPPED);
	assert_null(late);
	events_unsubscribe(sub);
	events_close(ev);
}

/* events_end ends one workshop's streams of one audience (a renewed presenter link); the others go on. */
static void test_end_audience(void **state)
{
	struct events *ev = NULL;
	struct events_sub *phone = NULL, *wall = NULL, *other = NULL;
	struct flags fp = { 0 }, fw = { 0 }, fo = { 0 };
	char buf[64];

	assert_int_equal(events_open(&ev), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws1", false, on_sleep, on_wake, &fp, &phone), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws1", true, on_sleep, on_wake, &fw, &wall), SRV_OK);
	assert_int_equal(events_subscribe(ev, "ws2", true, on_sleep, on_wake, &fo, &other), SRV_OK);
	assert_int_equal(events_sub_read(wall, buf, sizeof buf), 0);
	events_end(ev, "ws1", EVENTS_ANSWERS);
	events_end(ev, "nosuch", EVENTS_ALL);
	assert_int_equal(fw.wakes, 1);      /* a sleeping stream is woken to end */
	assert_int_equal(events_sub_read(wall, buf, sizeof buf), -1);
	events_publish(ev, "ws1", EVENTS_ALL, EVENTS_COUNTS, "{}");
	events_publish(ev, "ws2", EVENTS_ALL, EVENTS_COUNTS, "{}");
	assert_true(events_sub_read(phone, buf, sizeof buf) > 0);
	assert_true(events_sub_read(other, buf, sizeof buf) > 0);
	assert_int_equal(events_sub_read(wall, buf, sizeof buf), -1);
	events_unsubscribe(phone);
	events_unsubscribe(wall);
	events_unsubscribe(other);
	events_close(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_audiences_and_snapshot),
		cmocka_unit_test(test_phones_audience),
		cmocka_unit_test(test_slow_subscriber_dropped),
		cmocka_unit_test(test_big_snapshot),
		cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_end_audience),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

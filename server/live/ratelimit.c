/*
 * ratelimit.c - token buckets in a chained hash table.
 *
 * Buckets are refilled lazily from the time of their last use, so idle
 * phones cost nothing; when the table reaches its cap, buckets that have
 * refilled completely carry no information and are dropped.  If every
 * bucket is still in use the new phone is let through unlimited rather
 * than blocking honest users because of a flood of fresh ids; such a
 * flood also must not make every request walk the whole table, so a full
 * table is swept at most once per RATELIMIT_SWEEP_S.
 */
#include "live/ratelimit.h"
#include "base/srv_err.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ratelimit_entry {
	struct ratelimit_entry *next;
	double tokens;
	double last;
	char key[];
};

static uint64_t ratelimit_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

enum srv_err ratelimit_init(struct ratelimit *rl, unsigned burst, unsigned per_min, size_t max_clients)
{
	memset(rl, 0, sizeof *rl);
	rl->burst = burst;
	rl->per_sec = per_min / 60.0;
	rl->max_clients = max_clients;
	rl->last_sweep = -1;
	rl->nslots = 1;
	while (rl->nslots < max_clients && rl->nslots < ((size_t)1 << 20))
		rl->nslots <<= 1;
	rl->slots = calloc(rl->nslots, sizeof *rl->slots);
	if (!rl->slots)
		return SRV_ENOMEM;
	pthread_mutex_init(&rl->lock, NULL);
	return SRV_OK;
}

void ratelimit_free(struct ratelimit *rl)
{
	size_t i;

	if (!rl->slots)
		return;
	for (i = 0; i < rl->nslots; i++) {
		struct ratelimit_entry *e = rl->slots[i], *next;
		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(rl->slots);
	rl->slots = NULL;
	pthread_mutex_destroy(&rl->lock);
}

static void ratelimit_refill(struct ratelimit *rl, struct ratelimit_entry *e, double now)
{
	if (now > e->last) {
		e->tokens = fmin(rl->burst, e->tokens + (now - e->last) * rl->per_sec);
		e->last = now;
	}
}

/* Drop every bucket that is full again. */
static void ratelimit_sweep(struct ratelimit *rl, double now)
{
	size_t i;

	for (i = 0; i < rl->nslots; i++) {
		struct ratelimit_entry **pp = &rl->slots[i];
		while (*pp) {
			struct ratelimit_entry *e = *pp;
			ratelimit_refill(rl, e, now);
			if (e->tokens >= rl->burst) {
				*pp = e->next;
				free(e);
				rl->count--;
			} else {
				pp = &e->next;
			}
		}
	}
}

/* Find or create the bucket; NULL when the table is full or out of memory. */
static struct ratelimit_entry *ratelimit_find(struct ratelimit *rl, const char *client, double now, bool create)
{
	size_t slot = ratelimit_hash(client) & (rl->nslots - 1), len;
	struct ratelimit_entry *e;

	/* The mask above only spreads keys over every slot for a power of two. */
	assert(rl->nslots > 0 && (rl->nslots & (rl->nslots - 1)) == 0);

	for (e = rl->slots[slot]; e; e = e->next)
		if (strcmp(e->key, client) == 0) {
			ratelimit_refill(rl, e, now);
			return e;
		}
	if (!create)
		return NULL;
	if (rl->count >= rl->max_clients && (rl->last_sweep < 0 || now - rl->last_sweep >= RATELIMIT_SWEEP_S)) {
		ratelimit_sweep(rl, now);
		rl->last_sweep = now;
	}
	if (rl->count >= rl->max_clients)
		return NULL;
	len = strlen(client);
	e = malloc(sizeof *e + len + 1);
	if (!e)
		return NULL;
	memcpy(e->key, client, len + 1);
	e->tokens = rl->burst;
	e->last = now;
	e->next = rl->slots[slot];
	rl->slots[slot] = e;
	rl->count++;
	return e;
}

bool ratelimit_take_n(struct ratelimit *rl, const char *client, unsigned n, double now, unsigned *retry_after)
{
	struct ratelimit_entry *e;
	bool ok = true;

	if (rl->burst <= 0)
		return true;
	pthread_mutex_lock(&rl->lock);
	e = ratelimit_find(rl, client, now, true);
	if (e) {
		assert(e->tokens >= 0 && e->tokens <= rl->burst);
		if (e->tokens >= n) {
			e->tokens -= n;
		} else {
			ok = false;
			if (retry_after)
				*retry_after = rl->per_sec > 0 && n <= rl->burst ?
					(unsigned)ceil((n - e->tokens) / rl->per_sec) : 3600;
		}
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

bool ratelimit_take(struct ratelimit *rl, const char *client, double now, unsigned *retry_after)
{
	return ratelimit_take_n(rl, client, 1, now, retry_after);
}

void ratelimit_refund_n(struct ratelimit *rl, const char *client, unsigned n, double now)
{
	struct ratelimit_entry *e;

	if (rl->burst <= 0)
		return;
	pthread_mutex_lock(&rl->lock);
	e = ratelimit_find(rl, client, now, false);
	if (e)
		e->tokens = fmin(rl->burst, e->tokens + n);
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_refund(struct ratelimit *rl, const char *client, double now)
{
	ratelimit_refund_n(rl, client, 1, now);
}

double ratelimit_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

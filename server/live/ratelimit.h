/*
 * ratelimit.h - token buckets per client: a phone's answers (client_id, or
 * IP address), a network's join-code lookups.
 *
 * Thread-safe.  Time is passed in by the caller (seconds on a monotonic
 * clock) so the arithmetic can be tested without sleeping.
 */
#ifndef INSPEL_RATELIMIT_H
#define INSPEL_RATELIMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include "base/srv_err.h"

/* A sweep walks every bucket; more often than this, fresh ids would make each request pay for one. */
#define RATELIMIT_SWEEP_S 1.0

/* inspel serve's defaults (--rate-burst, --rate-per-min): a phone may send a burst, then one answer every 2 s. */
#define RATELIMIT_DEFAULT_BURST 20u
#define RATELIMIT_DEFAULT_PER_MIN 30u

/*
 * inspel serve's join-lookup defaults (--join-burst, --join-per-min), per
 * network: a lookup needs RATELIMIT_JOIN_MISS_COST tokens and a hit gives
 * back all but one, so a room of 300 phones behind one NAT address joins,
 * reloads and mistypes within the burst, while guessing codes is held to
 * per_min / RATELIMIT_JOIN_MISS_COST tries a minute (docs/SECURITY.md).
 */
#define RATELIMIT_JOIN_BURST 1000u
#define RATELIMIT_JOIN_PER_MIN 300u
#define RATELIMIT_JOIN_MISS_COST 10u

struct ratelimit_entry;

struct ratelimit {
	pthread_mutex_t lock;
	double burst;                      /* bucket size; 0 disables the limit */
	double per_sec;                    /* refill rate */
	size_t max_clients;                /* hard cap on remembered clients */
	size_t count;
	size_t nslots;
	struct ratelimit_entry **slots;    /* hash chains */
	double last_sweep;                 /* when a full table was last swept, or -1 */
};

/*
 * Allow `burst` answers at once and `per_min` more per minute; remember at
 * most `max_clients` phones (full buckets are forgotten first, by a sweep
 * of the whole table at most once per RATELIMIT_SWEEP_S).  burst == 0
 * turns the limit off.  Returns SRV_OK or SRV_ENOMEM.
 */
enum srv_err ratelimit_init(struct ratelimit *rl, unsigned burst, unsigned per_min, size_t max_clients);

/* Free every bucket.  A zeroed struct (never initialised) is a no-op. */
void ratelimit_free(struct ratelimit *rl);

/*
 * Take one token for `client` at time `now`.  True when allowed; otherwise
 * *retry_after (may be NULL) is the whole number of seconds until a token
 * is back.
 */
bool ratelimit_take(struct ratelimit *rl, const char *client, double now, unsigned *retry_after);

/*
 * ratelimit_take for `n` tokens at once (all or none): a request that may
 * turn out costly is charged the most it can cost, and refunded the rest.
 * An `n` over the burst is never allowed.
 */
bool ratelimit_take_n(struct ratelimit *rl, const char *client, unsigned n, double now, unsigned *retry_after);

/* Give back a token taken for a request that turned out to be a retry. */
void ratelimit_refund(struct ratelimit *rl, const char *client, double now);

/* Give back `n` tokens (never past the burst); a forgotten client is a no-op. */
void ratelimit_refund_n(struct ratelimit *rl, const char *client, unsigned n, double now);

/* Seconds on the monotonic clock, for `now`. */
double ratelimit_now(void);

#endif

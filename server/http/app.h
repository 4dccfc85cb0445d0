/*
 * app.h - what every request handler can reach: the running server's
 * configuration and its shared components.
 *
 * Built by serve.c before the daemon starts and read-only afterwards,
 * except `stopping`.
 */
#ifndef INSPEL_APP_H
#define INSPEL_APP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "live/hub.h"
#include "live/ratelimit.h"

/* An IPv4 or bracketed IPv6 address as text, with its NUL. */
#define APP_HOST_MAX 48

struct store;
struct writer;
struct events;
struct live;
struct synth;

struct app {
	struct store *store;          /* the handlers' shared connection (it locks itself) */
	struct writer *writer;
	struct events *events;
	struct live *live;
	struct synth *synth;          /* the synthesis cache (thread-safe) */
	struct hub hub;               /* "something changed": stale data and events (live/hub.h) */
	pthread_mutex_t decision_lock; /* one decision at a time: resolve against a synthesis, then record */
	pthread_mutex_t vote_lock;    /* a vote write and its event, so events leave in commit order */
	struct ratelimit rate;          /* answers per phone (route_answers.c, the writer) */
	struct ratelimit join_rate;     /* join-code lookups per network (route_workshops.c) */
	const char *web_dir;          /* serve pages from disk, or NULL for the embedded copy */
	const char *public_url;       /* --public-url: the base of join URLs, or NULL */
	char lan_host[APP_HOST_MAX];  /* the address phones on the LAN reach us at, "" when bound to loopback */
	const char *bind_addr;        /* for join URLs when there is no LAN address and Host is unusable */
	const char *tz;               /* --tz: the zone reports show times in (base/tz.h) */
	unsigned port;                /* as asked for (0: any free port); the daemon knows the real one */
	bool tls;
	unsigned conn_max;            /* connections at once: below the descriptor limit (http_conn_limit) */
	unsigned conn_per_ip;         /* connections at once from one address, 0 for no cap (--max-conn-per-ip) */
	unsigned idle_timeout;        /* seconds a connection may sit idle (--idle-timeout) */
	bool pii_hold;                /* answers with personal data wait for a facilitator (off: --no-pii-hold) */
	atomic_bool stopping;         /* set on SIGTERM: new answers get 503 */
	/* lifecycle and data protection (serve's --max-answers-per-workshop, --token-burst, --token-per-min) */
	int64_t max_answers;          /* answers a workshop may hold; 0: no cap */
	struct ratelimit token_rate;  /* participant tokens per client address (GET /api/join) */
	atomic_uint replies_owed;     /* requests resumed with a result whose reply has not gone yet (http_drain) */
};

#endif

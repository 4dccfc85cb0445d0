/*
 * http.h - the HTTP front: the libmicrohttpd daemon, per-request state,
 * response helpers and the static pages.
 *
 * Request state lives in MHD's req_cls pointer from the first callback to
 * the completion notification, which frees it; every response body is
 * either copied by MHD or handed to it with MHD_RESPMEM_MUST_FREE, so no
 * buffer outlives its owner.
 */
#ifndef INSPEL_HTTP_H
#define INSPEL_HTTP_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>

#include "http/app.h"
#include "core/buf.h"

#define HTTP_BODY_MAX (64 * 1024)
#define HTTP_BODY_MAX_TEXT "64 KiB"     /* HTTP_BODY_MAX as people read it, for messages */
_Static_assert(HTTP_BODY_MAX == 64 * 1024, "HTTP_BODY_MAX_TEXT must say HTTP_BODY_MAX");
#define HTTP_THREADS 2

/*
 * Connection limits (docs/SERVER.md, "Limits", says why each number).
 * Connections at once: HTTP_CONN_MAX, or fewer when the descriptor limit
 * leaves less after HTTP_FD_RESERVE for the databases, pages read from
 * disk and the daemon's own.  From one address: HTTP_CONN_PER_IP by
 * default (--max-conn-per-ip), enough for 300 phones behind one NAT
 * address.  Idle: HTTP_IDLE_TIMEOUT_S by default (--idle-timeout); an
 * event stream waiting for its next event is suspended and never times
 * out, one that cannot be written to for that long is closed.
 */
#define HTTP_CONN_MAX 20000u
#define HTTP_FD_RESERVE 128u
#define HTTP_CONN_PER_IP 1200u
#define HTTP_IDLE_TIMEOUT_S 30u

/* TLS 1.2 and 1.3 only (GnuTLS priority string), and HSTS for a year. */
#define HTTP_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
#define HTTP_HSTS "max-age=31536000"

/* Bytes of http_client_net's text: an IPv6 address, "/64" and the NUL. */
#define HTTP_NET_MAX 56

/*
 * A request's life: NEW until a route suspends it for the writer
 * (http_req_suspend), WRITING while suspended, WRITTEN once resumed with the
 * job's result (http_req_resume).  The daemon then calls the handler again
 * with the same URL and method, so the route that suspended replies.  No
 * other transition exists; both functions assert theirs.
 */
enum http_req_state {
	HTTP_REQ_NEW,         /* reading headers and body, then routed */
	HTTP_REQ_WRITING,     /* suspended, the writer has the job */
	HTTP_REQ_WRITTEN,     /* resumed with the job's result */
};

struct http_req {
	struct app *app;
	struct MHD_Connection *conn;
	enum http_req_state state;    /* changed only by http_req_suspend and http_req_resume */
	struct buf body;
	bool too_big;
	void *route_state;            /* a route's own state across a suspension, or NULL ... */
	void (*route_state_free)(void *route_state);  /* ... freed by this when the request ends */
};

/*
 * Hand the request a route's state, which `free_state` frees when the
 * request ends (whether or not it was answered).  A request holds at most
 * one.
 */
void http_req_keep(struct http_req *r, void *state, void (*free_state)(void *state));

/* NEW -> WRITING: suspend the connection until http_req_resume.  The handler then returns MHD_YES. */
void http_req_suspend(struct http_req *r);

/* WRITING -> WRITTEN: resume the connection, from any thread. */
void http_req_resume(struct http_req *r);

/*
 * Connections at once for a process allowed `nofile` descriptors:
 * HTTP_CONN_MAX, or nofile - HTTP_FD_RESERVE when that is lower (at least 1).
 */
unsigned http_conn_limit(unsigned long long nofile);

/*
 * Wait until every resumed request has had its reply sent (or lost its
 * client), at most `max_ms` milliseconds: a stop calls it after the writer
 * finished, so the answers it stored are acknowledged before the daemon
 * closes their connections.
 */
void http_drain(struct app *app, unsigned max_ms);

/*
 * Start the daemon on app->bind_addr:app->port (0 picks a free port),
 * with TLS 1.2+ when cert_pem/key_pem are given, and app's connection
 * limits (conn_max, conn_per_ip, idle_timeout).  *port receives the real
 * port.  Returns NULL on failure (the reason is printed to stderr).
 */
struct MHD_Daemon *http_start(struct app *app, const char *cert_pem, const char *key_pem, unsigned *port);

/*
 * Queue a response with the security headers and Cache-Control: no-store.
 * Takes ownership of `body` (malloc'd, may be NULL if len == 0).  Returns
 * MHD_queue_response's result, MHD_NO when out of memory.
 */
enum MHD_Result http_send(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len);

/* Queue a JSON response; steals `obj` (500 when it is NULL). */
enum MHD_Result http_json(struct MHD_Connection *c, unsigned status, json_t *obj);

/* Queue {"error": msg}. */
enum MHD_Result http_error(struct MHD_Connection *c, unsigned status, const char *msg);

/* http_error with one more header (Allow, Retry-After); `header` NULL for none. */
enum MHD_Result http_error_header(struct MHD_Connection *c, unsigned status, const char *msg,
				  const char *header, const char *value);

/*
 * Add the headers every response carries: CSP (no framing), X-Frame-Options,
 * nosniff, referrer policy, and HSTS when the daemon serves TLS.
 */
void http_security_headers(struct MHD_Response *r);

/* The client's IP address as text into `out`. */
void http_client_ip(struct MHD_Connection *c, char *out, size_t size);

/*
 * The client's network as text into `out` (HTTP_NET_MAX bytes suffice), the
 * key of per-network budgets: an IPv4 address (also when mapped into IPv6),
 * or an IPv6 address's /64, since one host there usually holds a whole /64.
 */
void http_client_net(struct MHD_Connection *c, char *out, size_t size);

/*
 * The base of join URLs ("http://host:port", no trailing slash) into `out`:
 * --public-url when given, else the LAN address phones can reach
 * (app->lan_host) on `port`, else `host` (a request's Host header, or NULL),
 * else the bound address on `port` (127.0.0.1 for a wildcard bind).  Only
 * the last two can be loopback: pages warn about those.
 */
void http_join_base(const struct app *app, unsigned port, const char *host, char *out, size_t size);

/* http_join_base for a request: its Host header and the daemon's real port. */
void http_base_url(struct http_req *r, char *out, size_t size);

#endif

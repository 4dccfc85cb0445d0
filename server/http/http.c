/*
 * http.c - libmicrohttpd glue, pages and response helpers.
 *
 * The daemon runs epoll in a small thread pool (never a thread per
 * connection) with suspend/resume, so thousands of idle event streams and
 * answers waiting for a group commit cost no threads.  Pages come from the
 * table embedded at build time; only exact table paths are served, so no
 * URL can reach outside web/.  With --web the same lookup rules apply to a
 * directory on disk, plus a realpath check.
 *
 * What the conference wifi may throw at it is bounded here: connections at
 * once (below the descriptor limit) and from one address, an idle timeout
 * that suspended event streams never meet, TLS 1.2 and up, and a Host
 * header on every HTTP/1.1 request.
 */
#include "http/http.h"
#include "http/routes.h"
#include "http/assets.h"
#include "base/srv_err.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HTTP_PAGE_MAX (8 * 1024 * 1024)
/* Per-connection pool: headers plus a read buffer; bodies go to our own buf. */
#define HTTP_CONN_MEMORY (16 * 1024)

static const char csp[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
			  "script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/* Set once by http_start, before the daemon's threads exist; one daemon per process. */
static bool http_hsts;

void http_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	/* frame-ancestors for today's browsers, X-Frame-Options for older ones. */
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (http_hsts)
		MHD_add_response_header(r, MHD_HTTP_HEADER_STRICT_TRANSPORT_SECURITY, HTTP_HSTS);
}

/* http_send with one more header (`header` NULL for none). */
static enum MHD_Result http_send_with(struct MHD_Connection *c, unsigned status, const char *type, char *body,
				      size_t len, const char *header, const char *value)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	http_security_headers(resp);
	if (type)
		MHD_add_response_header(resp, "Content-Type", type);
	/* API replies carry workshop data and keys' results: never cache them. */
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
	if (header)
		MHD_add_response_header(resp, header, value);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result http_send(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len)
{
	return http_send_with(c, status, type, body, len, NULL, NULL);
}

enum MHD_Result http_json(struct MHD_Connection *c, unsigned status, json_t *obj)
{
	char *text;

	if (!obj)
		return http_error(c, 500, "out of memory");
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!text)
		return http_error(c, 500, "out of memory");
	return http_send(c, status, "application/json", text, strlen(text));
}

enum MHD_Result http_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
	return http_error_header(c, status, msg, NULL, NULL);
}

enum MHD_Result http_error_header(struct MHD_Connection *c, unsigned status, const char *msg,
				  const char *header, const char *value)
{
	json_t *obj = json_pack("{s:s}", "error", msg);
	char *text = obj ? json_dumps(obj, JSON_COMPACT) : NULL;

	json_decref(obj);
	if (!text) {
		/* Last resort: a static body MHD copies. */
		struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		enum MHD_Result ret;
		if (!resp)
			return MHD_NO;
		ret = MHD_queue_response(c, 500, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	return http_send_with(c, status, "application/json", text, strlen(text), header, value);
}

void http_client_ip(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(out, size, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

void http_client_net(struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;
	struct in6_addr net;
	char text[INET6_ADDRSTRLEN];

	if (!sa || sa->sa_family != AF_INET6) {
		http_client_ip(c, out, size);
		return;
	}
	net = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(&net)) {
		inet_ntop(AF_INET, &net.s6_addr[12], out, (socklen_t)size);
		return;
	}
	memset(&net.s6_addr[8], 0, 8);
	inet_ntop(AF_INET6, &net, text, sizeof text);
	snprintf(out, size, "%s/64", text);
}

/* A Host header we are willing to echo into URLs: host[:port] characters only. */
static bool http_host_ok(const char *host)
{
	size_t i;

	if (!host || !*host || strlen(host) > 255)
		return false;
	for (i = 0; host[i]; i++) {
		char ch = host[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
			return false;
	}
	return true;
}

void http_join_base(const struct app *app, unsigned port, const char *host, char *out, size_t size)
{
	const char *scheme = app->tls ? "https" : "http";
	const char *bound = app->bind_addr;

	if (app->public_url) {
		size_t len = strlen(app->public_url);
		/* Drop a trailing slash so "/j/CODE" can be appended. */
		if (len > 0 && app->public_url[len - 1] == '/')
			len--;
		snprintf(out, size, "%.*s", (int)len, app->public_url);
	} else if (app->lan_host[0]) {
		snprintf(out, size, "%s://%s:%u", scheme, app->lan_host, port);
	} else if (http_host_ok(host)) {
		snprintf(out, size, "%s://%s", scheme, host);
	} else {
		if (strcmp(bound, "0.0.0.0") == 0 || strcmp(bound, "::") == 0)
			bound = "127.0.0.1";
		snprintf(out, size, strchr(bound, ':') ? "%s://[%s]:%u" : "%s://%s:%u", scheme, bound, port);
	}
}

void http_base_url(struct http_req *r, char *out, size_t size)
{
	const union MHD_ConnectionInfo *conn = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_DAEMON);
	const union MHD_DaemonInfo *info = conn ? MHD_get_daemon_info(conn->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;

	http_join_base(r->app, info ? info->port : r->app->port,
		       MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST), out, size);
}

/* ---- pages ---- */

static const char *http_mime(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".json", "application/json" },
		{ ".webmanifest", "application/manifest+json" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".ico", "image/x-icon" },
		{ ".woff2", "font/woff2" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(path, '.');
	size_t i;

	if (dot && !strchr(dot, '/'))
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* Map a page route to the file behind it; NULL when the URL is not a safe file path. */
static const char *http_page_path(const char *url)
{
	const char *p;

	if (strcmp(url, "/") == 0 || strncmp(url, "/j/", 3) == 0)
		return "/index.html";
	if (strcmp(url, "/console") == 0 || strcmp(url, "/console/") == 0)
		return "/console.html";
	if (strncmp(url, "/present/", 9) == 0)
		return "/present.html";
	/* Refuse dot segments and hidden files outright, also for --web. */
	for (p = url; *p; p++)
		if (*p == '\\' || (p[0] == '/' && p[1] == '.'))
			return NULL;
	return url[0] == '/' ? url : NULL;
}

/* Read a file under app->web_dir into a new buffer; false if absent or outside. */
static bool http_disk_page(const char *dir, const char *path, char **data, size_t *len)
{
	char joined[PATH_MAX], real_dir[PATH_MAX], real_file[PATH_MAX];
	struct stat st;
	size_t dlen, got = 0;
	ssize_t n;
	char *buf;
	int fd;

	if (snprintf(joined, sizeof joined, "%s%s", dir, path) >= (int)sizeof joined ||
	    !realpath(dir, real_dir) || !realpath(joined, real_file))
		return false;
	dlen = strlen(real_dir);
	if (strncmp(real_file, real_dir, dlen) != 0 || real_file[dlen] != '/')
		return false;
	fd = open(real_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > HTTP_PAGE_MAX) {
		close(fd);
		return false;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return false;
	}
	while (got < (size_t)st.st_size && (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*data = buf;
	*len = got;
	return true;
}

static enum MHD_Result http_page(struct http_req *r, const char *url, const char *method)
{
	const char *path = http_page_path(url);
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;
	const struct asset *a;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		if (!resp)
			return MHD_NO;
		http_security_headers(resp);
		MHD_add_response_header(resp, "Allow", "GET, HEAD");
		ret = MHD_queue_response(r->conn, 405, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	if (path && r->app->web_dir) {
		char *data;
		size_t len;
		if (http_disk_page(r->app->web_dir, path, &data, &len))
			resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	} else if (path) {
		for (a = web_assets; a->path && !resp; a++)
			if (strcmp(a->path, path) == 0)
				resp = MHD_create_response_from_buffer((size_t)(a->end - a->data), (void *)a->data,
								       MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return http_error(r->conn, 404, "not found");
	http_security_headers(resp);
	MHD_add_response_header(resp, "Content-Type", http_mime(path));
	/* Pages are small and change with each build; let browsers revalidate. */
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	ret = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- request lifecycle ---- */

void http_req_keep(struct http_req *r, void *state, void (*free_state)(void *state))
{
	assert(!r->route_state && state && free_state);
	r->route_state = state;
	r->route_state_free = free_state;
}

void http_req_suspend(struct http_req *r)
{
	assert(r->state == HTTP_REQ_NEW);
	r->state = HTTP_REQ_WRITING;
	MHD_suspend_connection(r->conn);
}

void http_req_resume(struct http_req *r)
{
	assert(r->state == HTTP_REQ_WRITING);
	r->state = HTTP_REQ_WRITTEN;
	atomic_fetch_add(&r->app->replies_owed, 1);
	MHD_resume_connection(r->conn);
}

void http_drain(struct app *app, unsigned max_ms)
{
	const struct timespec tick = { 0, 10 * 1000 * 1000 };
	unsigned waited;

	for (waited = 0; atomic_load(&app->replies_owed) > 0 && waited < max_ms; waited += 10)
		nanosleep(&tick, NULL);
}

static void http_req_free(struct http_req *r)
{
	buf_free(&r->body);
	if (r->route_state)
		r->route_state_free(r->route_state);
	free(r);
}

static void http_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			   enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *req_cls;

	if (!r)
		return;
	/* A suspended request is never completed: the writer still holds the job. */
	assert(r->state != HTTP_REQ_WRITING);
	if (r->state == HTTP_REQ_WRITTEN)
		atomic_fetch_sub(&r->app->replies_owed, 1);
	http_req_free(r);
	*req_cls = NULL;
}

static enum MHD_Result http_count_host(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	unsigned *count = cls;

	if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0)
		(*count)++;
	return MHD_YES;
}

/* RFC 9112 3.2: an HTTP/1.1 request has exactly one Host header (HTTP/1.0 may have none). */
static bool http_host_count_ok(struct MHD_Connection *c, const char *version)
{
	unsigned count = 0;

	MHD_get_connection_values(c, MHD_HEADER_KIND, http_count_host, &count);
	return count == 1 || (count == 0 && strcmp(version, MHD_HTTP_VERSION_1_0) == 0);
}

static enum MHD_Result http_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				    const char *version, const char *upload_data, size_t *upload_data_size,
				    void **req_cls)
{
	struct app *app = cls;
	struct http_req *r = *req_cls;

	if (!r) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		r->app = app;
		r->conn = c;
		buf_init(&r->body, HTTP_BODY_MAX);
		*req_cls = r;
		if (!http_host_count_ok(c, version))
			return http_error(c, 400, "an HTTP/1.1 request needs one Host header");
		/* Refuse an oversized body before reading a byte of it. */
		if (cl) {
			char *end;
			unsigned long long n;
			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno || end == cl || *end || n > HTTP_BODY_MAX)
				return http_error(c, 413, "request body over " HTTP_BODY_MAX_TEXT);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!r->too_big && buf_add(&r->body, upload_data, *upload_data_size) != BUF_OK) {
			r->too_big = true;
			buf_free(&r->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return http_error(c, 413, "request body over " HTTP_BODY_MAX_TEXT);
	if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0)
		return route_handle(r, url, method);
	return http_page(r, url, method);
}

unsigned http_conn_limit(unsigned long long nofile)
{
	if (nofile >= (unsigned long long)HTTP_CONN_MAX + HTTP_FD_RESERVE)
		return HTTP_CONN_MAX;
	return nofile > HTTP_FD_RESERVE ? (unsigned)(nofile - HTTP_FD_RESERVE) : 1;
}

/*
 * libmicrohttpd's error log.  A client that went away (a closed browser
 * tab ends its event stream, a phone loses its network) is how
 * connections end, not an error, yet libmicrohttpd reports every such
 * failed send or read; a facilitator watching the terminal would take
 * them for faults.  Those are dropped; everything else goes to stderr as
 * libmicrohttpd's own logger would write it.
 */
__attribute__((format(printf, 2, 0))) static void http_log(void *cls, const char *fmt, va_list ap)
{
	static const char *const gone[] = {
		"The socket is no longer available for sending",   /* EPIPE on send */
		"The connection was forcibly closed by remote peer", /* ECONNRESET */
		"The socket is not connected",
		"Socket has been disconnected when reading request",
		"Connection was closed by remote side with incomplete request",
	};
	char msg[1024];
	size_t i;

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	for (i = 0; i < sizeof gone / sizeof gone[0]; i++)
		if (strstr(msg, gone[i]))
			return;
	fputs(msg, stderr);
}

struct MHD_Daemon *http_start(struct app *app, const char *cert_pem, const char *key_pem, unsigned *port)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	const union MHD_DaemonInfo *info;
	struct MHD_OptionItem tls[4] = { { MHD_OPTION_END, 0, NULL }, { MHD_OPTION_END, 0, NULL },
					 { MHD_OPTION_END, 0, NULL }, { MHD_OPTION_END, 0, NULL } };
	struct MHD_Daemon *d;

	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, app->bind_addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)app->port);
		sa = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, app->bind_addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)app->port);
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "inspel serve: --bind needs an IPv4 or IPv6 address, not %s\n", app->bind_addr);
		return NULL;
	}
	/* One call for both modes: without a certificate the TLS option array is empty (END first). */
	if (cert_pem && key_pem) {
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert_pem };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key_pem };
		tls[2] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)HTTP_TLS_PRIORITIES };
	}
	http_hsts = cert_pem && key_pem;
	assert(app->conn_max > 0 && app->idle_timeout > 0);
	d = MHD_start_daemon(flags, 0, NULL, NULL, http_handler, app,
			     MHD_OPTION_SOCK_ADDR, sa,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)HTTP_THREADS,
			     MHD_OPTION_CONNECTION_LIMIT, app->conn_max,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, app->conn_per_ip,
			     MHD_OPTION_CONNECTION_TIMEOUT, app->idle_timeout,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
			     MHD_OPTION_NOTIFY_COMPLETED, http_completed, app,
			     MHD_OPTION_EXTERNAL_LOGGER, http_log, NULL,
			     MHD_OPTION_ARRAY, tls,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "inspel serve: cannot listen on %s:%u\n", app->bind_addr, app->port);
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*port = info ? info->port : app->port;
	return d;
}

/*
 * serve.c - `inspel serve`: options, start-up, the demo workshop and the
 * graceful stop.
 *
 * Signals are blocked in every thread and taken synchronously with
 * sigwait() in the main thread, so shutdown runs as ordinary code: refuse
 * new answers, let the writer commit and acknowledge everything queued,
 * wait (a bounded time) for those acknowledgements to reach the phones,
 * end the event streams (which resumes every suspended connection, as
 * libmicrohttpd requires before stopping), stop the daemon, and only then
 * free what request handlers can reach (writer, live, events, databases).
 *
 * Everything serve creates is the owner's alone (umask 077: the database
 * and its -wal and -shm hold every answer), and the descriptor limit is
 * raised to the hard limit, of which the connection limit leaves some for
 * the server itself (http_conn_limit).
 */
#include "cli/serve.h"
#include "cli/lifecycle_cli.h"
#include "http/app.h"
#include "text/pii.h"
#include "core/embed.h"
#include "live/events.h"
#include "http/http.h"
#include "base/keys.h"
#include "base/tz.h"
#include "live/hub.h"
#include "live/live.h"
#include "live/ratelimit.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "synth/synth.h"
#include "wire/template.h"
#include "wire/validate.h"
#include "live/writer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define SERVE_DEFAULT_PORT 8080
#define SERVE_QUEUE_MAX 65536
#define SERVE_RATE_CLIENTS 200000
#define SERVE_PEM_MAX (1024 * 1024)
#define SERVE_DRAIN_MS 5000       /* at most this long for the last answers' replies to leave */
#define SERVE_DEMO_TITLE "Demo: primärvårdsdialog"
#define SERVE_DEMO_SERIES "Demo: primärvårdsdialoger i länet"
#define SERVE_DEMO_LINE_MAX 4608    /* one line of the demo answers: text up to 1000 code points and its tags */
#define SERVE_DEMO_KEY_LABEL "make run"
#define SERVE_IDLE_TIMEOUT_MAX 3600
#define SERVE_ROOM_CONNS 600        /* a room of 300 phones: an event stream and a request each */

EMBED_FILE(serve_demo_answers_tsv, "server/cli/data/demo_answers.tsv");

struct serve_opts {
	const char *db, *bind, *web, *public_url, *tls_cert, *tls_key, *tz;
	unsigned port, rate_burst, rate_per_min, join_burst, join_per_min, conn_per_ip, idle_timeout;
	bool demo;
	/* lifecycle and data protection */
	unsigned max_answers, token_burst, token_per_min;
	bool no_pii_hold;
};

static int serve_usage(void)
{
	fprintf(stderr,
		"usage: inspel serve --db PATH [--port N] [--bind ADDR] [--web DIR] [--public-url URL]\n"
		"                    [--tls-cert FILE --tls-key FILE] [--rate-burst N] [--rate-per-min N]\n"
		"                    [--join-burst N] [--join-per-min N] [--max-conn-per-ip N]\n"
		"                    [--idle-timeout SECONDS] [--max-answers-per-workshop N]\n"
		"                    [--token-burst N] [--token-per-min N] [--tz ZONE] [--no-pii-hold]\n"
		"                    [--demo]\n"
		"  --port 0 picks a free port; default %d on 0.0.0.0.  --rate-burst 0 turns the\n"
		"  per-phone limit off (default burst %u, %u per minute).  Join-code lookups\n"
		"  per network: burst %u, %u per minute, a wrong code costs %u (--join-burst 0:\n"
		"  off; else at least %u).  At most %u connections from one address (0: no cap),\n"
		"  idle ones closed after %u s (1 to %d).  A workshop takes at most %u answers\n"
		"  (0: no cap); one address gets %u participant tokens at once, then %u a\n"
		"  minute (--token-burst 0: no budget).  --tz: the time zone of the reports'\n"
		"  times (default %s).  --no-pii-hold shows answers with personal data on the\n"
		"  projector without waiting for a facilitator.\n", SERVE_DEFAULT_PORT,
		RATELIMIT_DEFAULT_BURST, RATELIMIT_DEFAULT_PER_MIN, RATELIMIT_JOIN_BURST, RATELIMIT_JOIN_PER_MIN,
		RATELIMIT_JOIN_MISS_COST, RATELIMIT_JOIN_MISS_COST, HTTP_CONN_PER_IP, HTTP_IDLE_TIMEOUT_S,
		SERVE_IDLE_TIMEOUT_MAX, LIFECYCLE_MAX_ANSWERS, LIFECYCLE_TOKEN_BURST, LIFECYCLE_TOKEN_PER_MIN, TZ_DEFAULT);
	return 2;
}

/* Parse an unsigned option value in [0, max]; false on anything else. */
static bool serve_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool serve_parse(int argc, char **argv, struct serve_opts *o)
{
	int i;

	memset(o, 0, sizeof *o);
	o->bind = "0.0.0.0";
	o->port = SERVE_DEFAULT_PORT;
	o->rate_burst = RATELIMIT_DEFAULT_BURST;
	o->rate_per_min = RATELIMIT_DEFAULT_PER_MIN;
	o->join_burst = RATELIMIT_JOIN_BURST;
	o->join_per_min = RATELIMIT_JOIN_PER_MIN;
	o->conn_per_ip = HTTP_CONN_PER_IP;
	o->idle_timeout = HTTP_IDLE_TIMEOUT_S;
	o->max_answers = LIFECYCLE_MAX_ANSWERS;
	o->token_burst = LIFECYCLE_TOKEN_BURST;
	o->token_per_min = LIFECYCLE_TOKEN_PER_MIN;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (strcmp(a, "--db") == 0 && v)
			o->db = v;
		else if (strcmp(a, "--bind") == 0 && v)
			o->bind = v;
		else if (strcmp(a, "--web") == 0 && v)
			o->web = v;
		else if (strcmp(a, "--public-url") == 0 && v)
			o->public_url = v;
		else if (strcmp(a, "--tls-cert") == 0 && v)
			o->tls_cert = v;
		else if (strcmp(a, "--tls-key") == 0 && v)
			o->tls_key = v;
		else if (strcmp(a, "--tz") == 0 && v)
			o->tz = v;
		else if (strcmp(a, "--port") == 0 && serve_uint(v, 65535, &o->port))
			;
		else if (strcmp(a, "--rate-burst") == 0 && serve_uint(v, 1000000, &o->rate_burst))
			;
		else if (strcmp(a, "--rate-per-min") == 0 && serve_uint(v, 1000000, &o->rate_per_min))
			;
		else if (strcmp(a, "--max-answers-per-workshop") == 0 && serve_uint(v, 100000000, &o->max_answers))
			;
		else if (strcmp(a, "--token-burst") == 0 && serve_uint(v, 1000000, &o->token_burst))
			;
		else if (strcmp(a, "--token-per-min") == 0 && serve_uint(v, 1000000, &o->token_per_min))
			;
		else if (strcmp(a, "--join-burst") == 0 && serve_uint(v, 1000000, &o->join_burst))
			;
		else if (strcmp(a, "--join-per-min") == 0 && serve_uint(v, 1000000, &o->join_per_min))
			;
		else if (strcmp(a, "--max-conn-per-ip") == 0 && serve_uint(v, HTTP_CONN_MAX, &o->conn_per_ip))
			;
		else if (strcmp(a, "--idle-timeout") == 0 && serve_uint(v, SERVE_IDLE_TIMEOUT_MAX, &o->idle_timeout))
			;
		else if (strcmp(a, "--demo") == 0) {
			o->demo = true;
			takes = false;
		} else if (strcmp(a, "--no-pii-hold") == 0) {
			o->no_pii_hold = true;
			takes = false;
		} else
			return false;
		if (takes)
			i++;
	}
	/* A lookup needs the cost of a wrong code: a smaller burst would refuse every one. */
	if (o->join_burst > 0 && o->join_burst < RATELIMIT_JOIN_MISS_COST)
		return false;
	return o->db && (!o->tls_cert) == (!o->tls_key) && o->idle_timeout > 0;
}

/* Read a PEM file into a new NUL-terminated string; NULL on failure. */
static char *serve_read_pem(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t n;

	if (!f)
		return NULL;
	data = malloc(SERVE_PEM_MAX + 1);
	n = data ? fread(data, 1, SERVE_PEM_MAX, f) : 0;
	if (data && (ferror(f) || n == SERVE_PEM_MAX || n == 0)) {
		free(data);
		data = NULL;
	}
	fclose(f);
	if (data)
		data[n] = '\0';
	return data;
}

/*
 * The address phones on the LAN reach the server at, into `out`: the bound
 * address itself (IPv6 in brackets), or for a wildcard bind the first up,
 * non-loopback IPv4 address (getifaddrs); "" when bound to loopback or no
 * such interface is up, and join URLs then come from the Host header.
 */
static void serve_lan_address(const char *bind, char *out, size_t size)
{
	struct in_addr v4;
	struct in6_addr v6;
	struct ifaddrs *ifa, *p;

	out[0] = '\0';
	if (strcmp(bind, "0.0.0.0") != 0 && strcmp(bind, "::") != 0) {
		if (inet_pton(AF_INET, bind, &v4) == 1 && (ntohl(v4.s_addr) >> 24) != 127)
			snprintf(out, size, "%s", bind);
		else if (inet_pton(AF_INET6, bind, &v6) == 1 && !IN6_IS_ADDR_LOOPBACK(&v6))
			snprintf(out, size, "[%s]", bind);
		return;
	}
	if (getifaddrs(&ifa) != 0)
		return;
	for (p = ifa; p; p = p->ifa_next)
		if (p->ifa_addr && p->ifa_addr->sa_family == AF_INET && (p->ifa_flags & IFF_UP) &&
		    !(p->ifa_flags & IFF_LOOPBACK)) {
			inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)p->ifa_addr)->sin_addr, out, (socklen_t)size);
			break;
		}
	freeifaddrs(ifa);
}

/*
 * Make an admin key labelled `label` into `key`, for the caller to print.
 * Both keys serve makes are admin keys: the one printed when no key is
 * active is the operator's way in, and --demo's is for the facilitator's
 * own machine, where the demo workshop belongs to no key.  *id_out (may
 * be NULL) is the new key's id.
 */
static int serve_new_key(struct store *st, const char *label, char key[KEYS_TEXT_LEN + 1], int64_t *id_out)
{
	struct store_key_new in = { .label = label, .admin = true };
	unsigned char hash[KEYS_HASH_LEN];
	json_t *detail;
	int64_t id;
	int err;

	err = keys_generate(key);
	if (!err)
		err = keys_hash(key, strlen(key), hash);
	if (!err)
		err = store_key_create(st, hash, &in, &id);
	if (!err) {
		detail = json_pack("{s:I,s:b,s:n}", "key", (json_int_t)id, "admin", 1, "expires");
		err = store_audit_add(st, 0, STORE_AUDIT_KEY_ADD, NULL, NULL, detail);
		json_decref(detail);
	}
	if (!err && id_out)
		*id_out = id;
	return err;
}

/*
 * --demo: a fresh key labelled SERVE_DEMO_KEY_LABEL into `key`, and every
 * earlier one revoked, so restarting `make run` leaves one demo key that
 * works, not one more each time.  Errors: what the store returns.
 */
static int serve_demo_key(struct store *st, char key[KEYS_TEXT_LEN + 1])
{
	json_t *list = NULL, *k;
	int64_t id = 0;
	size_t i;
	int err;

	err = serve_new_key(st, SERVE_DEMO_KEY_LABEL, key, &id);
	if (!err)
		err = store_key_list(st, &list);
	json_array_foreach(list, i, k) {
		const char *label = json_string_value(json_object_get(k, "label"));
		json_int_t kid = json_integer_value(json_object_get(k, "id"));

		if (!err && kid != id && label && strcmp(label, SERVE_DEMO_KEY_LABEL) == 0 &&
		    !json_is_true(json_object_get(k, "revoked")))
			err = store_key_revoke(st, kid);
	}
	json_decref(list);
	return err;
}

/* --demo: a series holding the new demo workshop, so the console shows series too. */
static int serve_demo_series(struct store *st, const char *workshop_id)
{
	json_t *series = NULL;
	int err;

	err = store_series_create(st, 0, SERVE_DEMO_SERIES, &series);
	if (!err)
		err = store_workshop_set_series(st, workshop_id, json_string_value(json_object_get(series, "id")));
	json_decref(series);
	return err;
}

/*
 * Split one line of the demo answers into its four tab-separated fields
 * (question number, table, organisation, text), in place.  SRV_EINVAL when
 * there are not exactly four.
 */
static int serve_demo_fields(char *line, char *field[4])
{
	size_t i;

	field[0] = line;
	for (i = 1; i < 4; i++) {
		char *tab = strchr(field[i - 1], '\t');

		if (!tab)
			return SRV_EINVAL;
		*tab = '\0';
		field[i] = tab + 1;
	}
	return strchr(field[3], '\t') ? SRV_EINVAL : SRV_OK;
}

/*
 * Store one line of the demo answers (modified in place) as answer number n,
 * id demo-answer-NNN, of the workshop with join code `code`, inside the
 * caller's transaction, held when it has personal data and `hold`.
 * SRV_EINVAL for a malformed line, else the errors of validate_text and
 * store_answer_submit.
 */
static int serve_demo_answer(struct store *st, const char *code, json_t *questions, char *line, unsigned n, bool hold)
{
	char *field[4], *end, *text = NULL, answer_id[32];
	struct store_answer_in in = { .code = code, .answer_id = answer_id };
	struct store_answer_out out = { 0 };
	long q;
	int err;

	err = serve_demo_fields(line, field);
	if (err)
		return err;
	errno = 0;
	q = strtol(field[0], &end, 10);
	if (errno || end == field[0] || *end || q < 1 || (size_t)q > json_array_size(questions))
		return SRV_EINVAL;
	err = validate_text(field[3], strlen(field[3]), 1, VALIDATE_TEXT_MAX, &text);
	if (err)
		return err;
	snprintf(answer_id, sizeof answer_id, "demo-answer-%03u", n);
	in.question_id = json_integer_value(json_object_get(json_array_get(questions, (size_t)q - 1), "id"));
	in.text = text;
	in.group = field[1];
	in.organisation = field[2];
	in.flagged = pii_found(text, strlen(text));
	in.held = hold;
	err = store_answer_submit(st, &in, &out);
	json_decref(out.answer);
	free(text);
	return err;
}

/* Open or close questions[from..] of the demo workshop. */
static int serve_demo_set_open(struct store *st, json_t *questions, size_t from, bool open)
{
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	json_t *q = NULL;
	size_t i;
	int err = SRV_OK;

	for (i = from; !err && i < json_array_size(questions); i++) {
		err = store_question_set_open(st, json_integer_value(json_object_get(json_array_get(questions, i), "id")),
					      open, &q, ws);
		json_decref(q);
		q = NULL;
	}
	return err;
}

/*
 * --demo: seed the new demo workshop with the answers embedded from
 * server/data/demo_answers.tsv, so the themes view, curation and the report
 * have content at once.  Every question is opened for its answers, then all
 * but the first are closed again, so a phone can answer straight away.  The
 * answers go through the phones' write path (one transaction) with fixed
 * answer ids, so nothing is ever stored twice.  Errors: SRV_EINVAL (a bad
 * line in the data file), or what the store returns.
 */
static int serve_demo_answers(struct store *st, json_t *w, bool hold)
{
	const char *p = (const char *)serve_demo_answers_tsv, *end = (const char *)serve_demo_answers_tsv_end;
	const char *code = json_string_value(json_object_get(w, "code"));
	json_t *questions = json_object_get(w, "questions");
	char line[SERVE_DEMO_LINE_MAX];
	unsigned n = 0;
	int err;

	err = serve_demo_set_open(st, questions, 0, true);
	if (!err)
		err = store_begin(st);
	if (err)
		return err;
	while (!err && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		if (len >= sizeof line)
			err = SRV_EINVAL;
		else if (len > 0 && *p != '#') {
			memcpy(line, p, len);
			line[len] = '\0';
			err = serve_demo_answer(st, code, questions, line, ++n, hold);
		}
		p = nl ? nl + 1 : end;
	}
	if (err) {
		store_rollback(st);
		return err;
	}
	err = store_commit(st);
	if (!err)
		err = serve_demo_set_open(st, questions, 1, false);
	return err;
}

/* --demo: a fresh key, and the demo workshop (created if there is none) into id and code. */
static int serve_demo_workshop(struct app *app, char key[KEYS_TEXT_LEN + 1], char id[LIMIT_WORKSHOP_ID_LEN + 1],
			       char code[LIMIT_CODE_LEN + 1])
{
	json_t *qs = NULL, *orgs = NULL, *w = NULL;
	int err;

	err = serve_demo_key(app->store, key);
	if (err)
		return err;
	err = store_workshop_newest(app->store, id);
	if (err == SRV_ENOTFOUND) {
		err = template_questions(TEMPLATE_DEFAULT, &qs);
		orgs = template_organisations();
		if (!err && !orgs)
			err = SRV_ENOMEM;
		if (!err)
			err = store_workshop_create(app->store, 0, SERVE_DEMO_TITLE, orgs, qs, &w);
		if (!err) {
			snprintf(id, LIMIT_WORKSHOP_ID_LEN + 1, "%s", json_string_value(json_object_get(w, "id")));
			err = serve_demo_series(app->store, id);
		}
		if (!err)
			err = serve_demo_answers(app->store, w, app->pii_hold);
		/*
		 * Every question's word cloud is stale, not only the workshop's:
		 * the live thread's start-up pass may have run before the seeding.
		 */
		if (!err) {
			json_t *q;
			size_t i;
			json_array_foreach(json_object_get(w, "questions"), i, q)
				hub_answers_changed(&app->hub, id, json_integer_value(json_object_get(q, "id")));
			hub_answers_changed(&app->hub, id, 0);
		}
		json_decref(qs);
		json_decref(orgs);
		json_decref(w);
	}
	if (!err)
		err = store_workshop_code(app->store, id, code);
	return err;
}

/* --demo: make sure a demo workshop exists and print how to reach it. */
static int serve_demo(struct app *app, unsigned port)
{
	char key[KEYS_TEXT_LEN + 1], id[LIMIT_WORKSHOP_ID_LEN + 1], code[LIMIT_CODE_LEN + 1], base[600];
	char secret[STORE_SECRET_LEN + 1];
	int err;

	/* The daemon is already answering requests on the same store, which locks itself. */
	err = serve_demo_workshop(app, key, id, code);
	if (!err)
		err = store_presenter_secret(app->store, id, secret);
	if (err)
		return err;
	http_join_base(app, port, NULL, base, sizeof base);
	printf("\n"
	       "  inspel demo workshop (join code %s)\n"
	       "  participants (phones): %s/j/%s\n"
	       "  presenter (projector): %s/present/%s#s=%s\n"
	       "  facilitator console:   %s/console\n"
	       "  facilitator key:       %s\n"
	       "\n"
	       "  Open the facilitator console and the presenter (projector) at the\n"
	       "  addresses above; phones join by the QR code the presenter shows.\n",
	       code, base, code, base, id, secret, base, key);
	if (!app->public_url && !app->lan_host[0])
		printf("  These addresses are on this machine only: phones cannot reach them.\n"
		       "  Start with --bind 0.0.0.0 on a network, or give --public-url.\n");
	printf("  Press Ctrl+C to stop the server.\n\n");
	fflush(stdout);
	return SRV_OK;
}

/*
 * Allow as many sockets as the hard limit permits (every event stream holds
 * one) and return the descriptor limit that holds afterwards.
 */
static unsigned long long serve_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024;    /* the usual soft limit: assume no more */
	if (rl.rlim_cur < rl.rlim_max) {
		struct rlimit raised = { rl.rlim_max, rl.rlim_max };

		if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
			rl.rlim_cur = rl.rlim_max;
	}
	return rl.rlim_cur == RLIM_INFINITY ? ~0ULL : (unsigned long long)rl.rlim_cur;
}

int serve_main(int argc, char **argv)
{
	struct serve_opts o;
	struct app app;
	struct MHD_Daemon *d = NULL;
	char *cert = NULL, *pem_key = NULL, key[KEYS_TEXT_LEN + 1];
	unsigned port = 0;
	int64_t nkeys = 0;
	unsigned long long nofile;
	sigset_t sigs;
	int sig, status = 1, db_hold = -1;

	if (!serve_parse(argc, argv, &o))
		return serve_usage();
	if (o.tz && !tz_valid(o.tz)) {
		fprintf(stderr, "inspel serve: --tz %s is not a time zone of the tz database (like %s)\n", o.tz,
			TZ_DEFAULT);
		return 2;
	}
	memset(&app, 0, sizeof app);
	pthread_mutex_init(&app.decision_lock, NULL);
	pthread_mutex_init(&app.vote_lock, NULL);
	atomic_init(&app.stopping, false);
	atomic_init(&app.replies_owed, 0);
	app.web_dir = o.web;
	app.public_url = o.public_url;
	app.bind_addr = o.bind;
	app.tz = o.tz ? o.tz : tz_valid(TZ_DEFAULT) ? TZ_DEFAULT : NULL;
	if (app.tz)
		tz_init(app.tz);   /* before any thread: see base/tz.h */
	else
		fprintf(stderr, "inspel serve: no time zone %s here (tzdata): reports show UTC\n", TZ_DEFAULT);
	serve_lan_address(o.bind, app.lan_host, sizeof app.lan_host);
	app.port = o.port;
	app.tls = o.tls_cert != NULL;
	app.conn_per_ip = o.conn_per_ip;
	app.idle_timeout = o.idle_timeout;
	app.pii_hold = !o.no_pii_hold;

	/* Block before any thread exists so every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	umask(077);
	nofile = serve_raise_nofile();
	app.conn_max = http_conn_limit(nofile);
	fprintf(stderr, "inspel serve: at most %u connections, %u from one address (descriptor limit %llu)\n",
		app.conn_max, app.conn_per_ip && app.conn_per_ip < app.conn_max ? app.conn_per_ip : app.conn_max, nofile);
	if (app.conn_max < SERVE_ROOM_CONNS)
		fprintf(stderr, "inspel serve: too few for a room of 300 phones (%u connections): "
			"raise the descriptor limit (ulimit -n)\n", SERVE_ROOM_CONNS);

	if (o.tls_cert && (!(cert = serve_read_pem(o.tls_cert)) || !(pem_key = serve_read_pem(o.tls_key)))) {
		fprintf(stderr, "inspel serve: cannot read the TLS certificate or key\n");
		goto out;
	}
	if (store_open(&app.store, o.db)) {
		fprintf(stderr, "inspel serve: cannot open database %s\n", o.db);
		goto out;
	}
	/* lifecycle: `inspel restore` refuses a database a server holds. */
	db_hold = lifecycle_hold_db(o.db);
	if (db_hold == -2) {
		fprintf(stderr, "inspel serve: %s is being restored; start the server when the restore is done\n", o.db);
		goto out;
	}
	app.max_answers = o.max_answers;
	if (store_key_count(app.store, &nkeys)) {
		fprintf(stderr, "inspel serve: cannot read the key table\n");
		goto out;
	}
	if (nkeys == 0 && !o.demo) {
		if (serve_new_key(app.store, "first start", key, NULL)) {
			fprintf(stderr, "inspel serve: cannot create a facilitator key\n");
			goto out;
		}
		printf("facilitator key: %s\n", key);
		fflush(stdout);
	}
	if (ratelimit_init(&app.rate, o.rate_burst, o.rate_per_min, SERVE_RATE_CLIENTS) ||
	    ratelimit_init(&app.join_rate, o.join_burst, o.join_per_min, SERVE_RATE_CLIENTS) ||
	    ratelimit_init(&app.token_rate, o.token_burst, o.token_per_min, SERVE_RATE_CLIENTS)) {
		fprintf(stderr, "inspel serve: out of memory\n");
		goto out;
	}
	if (synth_open(&app.synth) || events_open(&app.events) ||
	    live_open_synth(&app.live, o.db, app.events, app.synth) ||
	    (hub_init(&app.hub, app.events, app.live, app.synth),
	     writer_open(&app.writer, o.db, SERVE_QUEUE_MAX, &app.hub, &app.rate))) {
		fprintf(stderr, "inspel serve: cannot start the background threads\n");
		goto out;
	}
	d = http_start(&app, cert, pem_key, &port);
	if (!d)
		goto out;
	printf("listening on %s://%s:%u\n", app.tls ? "https" : "http", o.bind, port);
	fflush(stdout);
	if (o.demo && serve_demo(&app, port)) {
		fprintf(stderr, "inspel serve: cannot set up the demo workshop\n");
		goto out;
	}

	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(stderr, "inspel serve: %s, stopping\n", sig == SIGINT ? "interrupted" : "terminated");
	status = 0;
out:
	atomic_store(&app.stopping, true);
	/* Order matters: see the comment at the top of this file. */
	if (app.writer) {
		unsigned long long batches, answers;
		writer_stop(app.writer);
		writer_stats(app.writer, &batches, &answers);
		fprintf(stderr, "inspel serve: %llu answers in %llu batches\n", answers, batches);
		/* Their replies leave before MHD_stop_daemon closes the connections. */
		http_drain(&app, SERVE_DRAIN_MS);
	}
	if (app.events)
		events_shutdown(app.events);
	if (d)
		MHD_stop_daemon(d);
	/*
	 * Freed only now: a handler that read `stopping` just before it was set
	 * may still be on its way to writer_submit, which a stopped writer
	 * refuses with 503 but a freed one would not survive.
	 */
	writer_close(app.writer);
	live_close(app.live);
	synth_close(app.synth);
	events_close(app.events);
	/* A no-op on the zeroed struct of an init never reached. */
	ratelimit_free(&app.rate);
	ratelimit_free(&app.join_rate);
	ratelimit_free(&app.token_rate);
	lifecycle_release_db(db_hold);
	store_close(app.store);
	pthread_mutex_destroy(&app.decision_lock);
	pthread_mutex_destroy(&app.vote_lock);
	free(cert);
	free(pem_key);
	return status;
}

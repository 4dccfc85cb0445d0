/*
 * store.c - SQLite implementation of the store interface.
 *
 * Durability first: WAL with synchronous=FULL means a COMMIT returns only
 * after the WAL is fsynced, so an acknowledged answer survives kill -9 and
 * power loss; group commit in the writer thread pays that fsync once per
 * batch instead of once per answer.  Every statement is a compile-time
 * string prepared once per connection (SQLITE_PREPARE_PERSISTENT) and bound
 * with parameters; nothing is built from request data.
 */
#include "store.h"
#include "rnd.h"
#include "srv_err.h"
#include "validate.h"

#include <assert.h>
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_CODE_TRIES 20

/*
 * Schema migrations: entry i takes user_version i to i + 1 and sets it
 * itself, inside the same transaction, so a crash leaves either the old
 * schema and version or the new ones.
 */
static const char *const store_migrations[] = {
	"CREATE TABLE keys ("
	"  id INTEGER PRIMARY KEY,"
	"  label TEXT,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  created TEXT NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE workshops ("
	"  pk INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  code TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  organisations TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  created_by INTEGER REFERENCES keys(id));"
	"CREATE TABLE questions ("
	"  id INTEGER PRIMARY KEY,"
	"  workshop INTEGER NOT NULL REFERENCES workshops(pk),"
	"  position INTEGER NOT NULL,"
	"  section TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  open INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX questions_workshop ON questions(workshop, position);"
	"CREATE TABLE answers ("
	"  id INTEGER PRIMARY KEY,"
	"  workshop INTEGER NOT NULL REFERENCES workshops(pk),"
	"  question INTEGER NOT NULL REFERENCES questions(id),"
	"  answer_id TEXT NOT NULL,"
	"  client_id TEXT,"
	"  text TEXT NOT NULL,"
	"  grp TEXT,"
	"  organisation TEXT,"
	"  created TEXT NOT NULL,"
	"  hidden INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (workshop, answer_id));"
	"CREATE INDEX answers_question ON answers(question, hidden);"
	"CREATE INDEX answers_workshop ON answers(workshop, hidden);"
	"PRAGMA user_version = 1;",

	/* Counts kept with each question: counting rows made every snapshot O(answers). */
	"ALTER TABLE questions ADD COLUMN visible INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE questions ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;"
	"UPDATE questions SET"
	"  visible = (SELECT count(*) FROM answers a WHERE a.question = questions.id AND a.hidden = 0),"
	"  hidden = (SELECT count(*) FROM answers a WHERE a.question = questions.id AND a.hidden = 1);"
	"PRAGMA user_version = 2;",
};

#define STORE_VERSION ((int)(sizeof store_migrations / sizeof store_migrations[0]))
_Static_assert(STORE_VERSION == STORE_SCHEMA_VERSION, "store.h must name the newest schema");

#define STORE_STR(x) #x
#define STORE_XSTR(x) STORE_STR(x)
#define STORE_TEXTS_MAX_SQL STORE_XSTR(STORE_TEXTS_MAX)
#define ANSWER_COLS "a.id, a.answer_id, a.question, a.text, a.grp, a.organisation, a.created, a.hidden"
#define WS_PK_OF "(SELECT pk FROM workshops WHERE id = ?1)"
#define COUNT_VISIBLE "q.visible"
#define COUNT_HIDDEN "q.hidden"

enum stmt_id {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_KEY_ADD, ST_KEY_HASHES, ST_KEY_REVOKE, ST_KEY_COUNT, ST_KEY_LIST,
	ST_WS_INSERT, ST_Q_INSERT, ST_WS_BY_ID, ST_WS_BY_CODE, ST_WS_LIST,
	ST_WS_NEWEST, ST_WS_CODE, ST_WS_IDS, ST_Q_OF_WS, ST_Q_SET_OPEN, ST_Q_GET,
	ST_Q_OPEN_IN_WS, ST_A_FIND, ST_A_INSERT, ST_A_GET, ST_A_SET_HIDDEN,
	ST_A_LIST, ST_A_LATEST, ST_COUNTS, ST_TEXTS_Q, ST_TEXTS_WS, ST_Q_IDS,
	ST_Q_COUNT_NEW, ST_Q_COUNT_HIDE,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_KEY_ADD] = "INSERT INTO keys(label, hash, created) VALUES(?1, ?2, ?3)",
	[ST_KEY_HASHES] = "SELECT id, hash FROM keys WHERE revoked = 0",
	[ST_KEY_REVOKE] = "UPDATE keys SET revoked = 1 WHERE id = ?1",
	[ST_KEY_COUNT] = "SELECT count(*) FROM keys WHERE revoked = 0",
	[ST_KEY_LIST] = "SELECT id, label, created, revoked FROM keys ORDER BY id",
	[ST_WS_INSERT] = "INSERT INTO workshops(id, code, title, organisations, created, created_by) "
			 "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_Q_INSERT] = "INSERT INTO questions(workshop, position, section, text) VALUES(?1, ?2, ?3, ?4)",
	[ST_WS_BY_ID] = "SELECT pk, id, code, title, organisations, created FROM workshops WHERE id = ?1",
	[ST_WS_BY_CODE] = "SELECT pk, id, code, title, organisations, created FROM workshops WHERE code = ?1",
	[ST_WS_LIST] = "SELECT id FROM workshops ORDER BY pk DESC",
	[ST_WS_NEWEST] = "SELECT id FROM workshops ORDER BY pk DESC LIMIT 1",
	[ST_WS_CODE] = "SELECT code FROM workshops WHERE id = ?1",
	[ST_WS_IDS] = "SELECT id FROM workshops ORDER BY pk",
	[ST_Q_OF_WS] = "SELECT q.id, q.section, q.position, q.text, q.open, " COUNT_VISIBLE ", " COUNT_HIDDEN
		       " FROM questions q WHERE q.workshop = ?1 ORDER BY q.position",
	[ST_Q_SET_OPEN] = "UPDATE questions SET open = ?2 WHERE id = ?1",
	[ST_Q_GET] = "SELECT q.id, q.section, q.position, q.text, q.open, " COUNT_VISIBLE ", w.id"
		     " FROM questions q JOIN workshops w ON w.pk = q.workshop WHERE q.id = ?1",
	[ST_Q_OPEN_IN_WS] = "SELECT open FROM questions WHERE id = ?1 AND workshop = ?2",
	[ST_A_FIND] = "SELECT " ANSWER_COLS " FROM answers a WHERE a.workshop = ?1 AND a.answer_id = ?2",
	[ST_A_INSERT] = "INSERT INTO answers(workshop, question, answer_id, client_id, text, grp, organisation, created) "
			"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_A_GET] = "SELECT " ANSWER_COLS ", w.id FROM answers a JOIN workshops w ON w.pk = a.workshop WHERE a.id = ?1",
	[ST_A_SET_HIDDEN] = "UPDATE answers SET hidden = ?2 WHERE id = ?1 AND hidden <> ?2",
	[ST_A_LIST] = "SELECT " ANSWER_COLS ", q.text FROM answers a JOIN questions q ON q.id = a.question"
		      " WHERE a.workshop = " WS_PK_OF " ORDER BY a.id",
	[ST_A_LATEST] = "SELECT * FROM (SELECT " ANSWER_COLS " FROM answers a WHERE a.workshop = " WS_PK_OF
			" AND a.hidden = 0 ORDER BY a.id DESC LIMIT 200) ORDER BY 1",
	[ST_COUNTS] = "SELECT q.id, " COUNT_VISIBLE " FROM questions q WHERE q.workshop = " WS_PK_OF,
	[ST_TEXTS_Q] = "SELECT a.text FROM answers a WHERE a.question = ?2 AND a.hidden = 0"
		       " AND a.workshop = " WS_PK_OF " ORDER BY a.id DESC LIMIT " STORE_TEXTS_MAX_SQL,
	[ST_TEXTS_WS] = "SELECT a.text FROM answers a WHERE a.workshop = " WS_PK_OF " AND a.hidden = 0"
			" ORDER BY a.id DESC LIMIT " STORE_TEXTS_MAX_SQL,
	[ST_Q_IDS] = "SELECT id FROM questions WHERE workshop = " WS_PK_OF " ORDER BY position",
	[ST_Q_COUNT_NEW] = "UPDATE questions SET visible = visible + 1 WHERE id = ?1",
	[ST_Q_COUNT_HIDE] = "UPDATE questions SET visible = visible - ?2, hidden = hidden + ?2"
			    " WHERE id = (SELECT question FROM answers WHERE id = ?1)",
};

/*
 * The workshop the last answer went to.  Join codes, ids and organisation
 * lists never change after creation and workshops are never deleted, so
 * the writer can skip the lookup and the JSON parse for the next answer.
 */
struct store_ws_cache {
	char code[STORE_CODE_LEN + 1];
	int64_t pk;
	char id[STORE_WORKSHOP_ID_LEN + 1];
	json_t *orgs;               /* owns the strings `names` points to */
	const char **names;
	size_t n_names;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	struct store_ws_cache ws;
};

/* The current time as ISO 8601 UTC ("2026-11-23T09:15:02Z"). */
static void store_now(char out[21])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The prepared statement `id`, reset and with its bindings cleared. */
static sqlite3_stmt *store_stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];

	if (!st) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "store: prepare: %s\n", sqlite3_errmsg(s->db));
			return NULL;
		}
		s->stmt[id] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* Run a statement that returns no rows.  SRV_OK or SRV_EDB. */
static int store_exec(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "store: %s\n", sqlite3_errmsg(s->db));
		return SRV_EDB;
	}
	return SRV_OK;
}

static json_t *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? json_string((const char *)t) : json_null();
}

/* What a row builder adds beyond its basic columns. */
enum store_row_flags {
	STORE_ROW_INTEGER = 1,      /* store_first_column: an integer, not text */
	STORE_ROW_COUNTS = 2,       /* store_question_row: "answers" */
	STORE_ROW_HIDDEN = 4,       /* store_question_row: "hidden" */
	STORE_ROW_QUESTION = 8,     /* store_answer_row_with: "question" text */
};

/*
 * Every row of a bound statement, built by `row`, into a new array.  The
 * statement is reset on every path, so no read transaction stays open.
 * SRV_ENOMEM when a row could not be built, SRV_EDB when stepping failed.
 */
static int store_rows(sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st, int flags), int flags, json_t **out)
{
	json_t *arr = json_array();
	int rc = SQLITE_ROW;

	/* append_new refuses (and so ends the loop on) a row that is NULL. */
	while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(arr, row(st, flags)))
			break;
	sqlite3_reset(st);
	if (!arr || rc != SQLITE_DONE) {
		json_decref(arr);
		return !arr || rc == SQLITE_ROW ? SRV_ENOMEM : SRV_EDB;
	}
	*out = arr;
	return SRV_OK;
}

/* The first column, text or (STORE_ROW_INTEGER) integer. */
static json_t *store_first_column(sqlite3_stmt *st, int flags)
{
	return (flags & STORE_ROW_INTEGER) ? json_integer(sqlite3_column_int64(st, 0)) : col_str(st, 0);
}

int store_schema_version(struct store *s, int *version)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return SRV_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SRV_OK : SRV_EDB;
}

static int store_migrate(struct store *s)
{
	char *msg = NULL;
	int version;

	if (store_schema_version(s, &version))
		goto fail;
	if (version > STORE_VERSION) {
		fprintf(stderr, "store: database schema %d is newer than this program (%d)\n", version, STORE_VERSION);
		return SRV_EDB;
	}
	while (version < STORE_VERSION) {
		int before = version;
		/* Re-read under the write lock: another process may have migrated meanwhile. */
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    store_schema_version(s, &version) ||
		    (version < STORE_VERSION &&
		     sqlite3_exec(s->db, store_migrations[version], NULL, NULL, &msg) != SQLITE_OK) ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "store: migration to %d: %s\n", version + 1, msg ? msg : sqlite3_errmsg(s->db));
			sqlite3_free(msg);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return SRV_EDB;
		}
		/* Each migration sets user_version itself; one that did not would loop forever. */
		if (store_schema_version(s, &version) || version <= before)
			goto fail;
	}
	return SRV_OK;
fail:
	fprintf(stderr, "store: %s\n", sqlite3_errmsg(s->db));
	return SRV_EDB;
}

int store_open(struct store **out, const char *path)
{
	struct store *s;
	char *msg = NULL;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return SRV_ENOMEM;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		fprintf(stderr, "store: %s: %s\n", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
			 NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "store: %s: %s\n", path, msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	if (store_migrate(s))
		goto fail;
	*out = s;
	return SRV_OK;
fail:
	store_close(s);
	return SRV_EDB;
}

void store_close(struct store *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	json_decref(s->ws.orgs);
	free(s->ws.names);
	sqlite3_close(s->db);
	free(s);
}

/* ---- keys ---- */

int store_key_add(struct store *s, const unsigned char hash[KEYS_HASH_LEN], const char *label, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_KEY_ADD);
	char now[21];
	int err;

	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_text(st, 1, label, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 2, hash, KEYS_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	err = store_exec(s, st);
	if (!err && id)
		*id = sqlite3_last_insert_rowid(s->db);
	return err;
}

int store_key_verify(struct store *s, const char *text, int64_t *key_id)
{
	sqlite3_stmt *st = store_stmt(s, ST_KEY_HASHES);
	unsigned char hash[KEYS_HASH_LEN];
	int64_t found = 0;
	int rc;

	if (!st)
		return SRV_EDB;
	if (keys_hash(text, strlen(text), hash))
		return SRV_ESYS;
	/* Compare against every key so timing does not reveal which matched. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *h = sqlite3_column_blob(st, 1);
		if (sqlite3_column_bytes(st, 1) == KEYS_HASH_LEN && keys_equal(h, hash))
			found = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return SRV_EDB;
	if (!found)
		return SRV_EAUTH;
	if (key_id)
		*key_id = found;
	return SRV_OK;
}

int store_key_revoke(struct store *s, int64_t id)
{
	sqlite3_stmt *st = store_stmt(s, ST_KEY_REVOKE);
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, id);
	err = store_exec(s, st);
	if (!err && sqlite3_changes(s->db) == 0)
		return SRV_ENOTFOUND;
	return err;
}

int store_key_count(struct store *s, int64_t *count)
{
	sqlite3_stmt *st = store_stmt(s, ST_KEY_COUNT);
	int rc;

	if (!st)
		return SRV_EDB;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? SRV_OK : SRV_EDB;
}

static json_t *store_key_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:I,s:o,s:o,s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "label", col_str(st, 1), "created", col_str(st, 2), "revoked", sqlite3_column_int(st, 3));
}

int store_key_list(struct store *s, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_KEY_LIST);
	json_t *keys;
	int err;

	if (!st)
		return SRV_EDB;
	err = store_rows(st, store_key_row, 0, &keys);
	if (err)
		return err;
	*out = json_pack("{s:o}", "keys", keys);
	return *out ? SRV_OK : SRV_ENOMEM;
}

/* ---- workshops ---- */

/* A question from ST_Q_OF_WS, with "answers" and "hidden" as `flags` ask. */
static json_t *store_question_row(sqlite3_stmt *st, int flags)
{
	json_t *q = json_pack("{s:I,s:o,s:i,s:o,s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			      "section", col_str(st, 1), "position", sqlite3_column_int(st, 2),
			      "text", col_str(st, 3), "open", sqlite3_column_int(st, 4));

	if (!q)
		return NULL;
	if ((flags & STORE_ROW_COUNTS) && json_object_set_new(q, "answers", json_integer(sqlite3_column_int64(st, 5))))
		goto fail;
	if ((flags & STORE_ROW_HIDDEN) && json_object_set_new(q, "hidden", json_integer(sqlite3_column_int64(st, 6))))
		goto fail;
	return q;
fail:
	json_decref(q);
	return NULL;
}

/* Questions of workshop `pk`; with_counts adds "answers", with_hidden "hidden". */
static int store_questions(struct store *s, int64_t pk, bool with_counts, bool with_hidden, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_Q_OF_WS);
	int flags;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	flags = (with_counts ? STORE_ROW_COUNTS : 0) | (with_hidden ? STORE_ROW_HIDDEN : 0);
	return store_rows(st, store_question_row, flags, out);
}

/* Build a workshop object from the current row of ST_WS_BY_ID/ST_WS_BY_CODE. */
static int store_workshop_row(struct store *s, sqlite3_stmt *st, bool full, bool hidden,
			      const char *join_base, json_t **out)
{
	int64_t pk = sqlite3_column_int64(st, 0);
	const char *code = (const char *)sqlite3_column_text(st, 2);
	json_t *w, *orgs, *qs = NULL;
	int err;

	orgs = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
	w = json_pack("{s:o,s:o,s:o,s:o}", "id", col_str(st, 1), "code", col_str(st, 2),
		      "title", col_str(st, 3), "organisations", orgs ? orgs : json_array());
	if (!w)
		return SRV_ENOMEM;
	if (full) {
		json_object_set_new(w, "created", col_str(st, 5));
		if (join_base) {
			char url[512];
			snprintf(url, sizeof url, "%s/j/%s", join_base, code ? code : "");
			json_object_set_new(w, "join_url", json_string(url));
		}
	}
	/* store_questions reuses another statement; this row's text is copied already. */
	err = store_questions(s, pk, full, hidden, &qs);
	if (err) {
		json_decref(w);
		return err;
	}
	json_object_set_new(w, "questions", qs);
	*out = w;
	return SRV_OK;
}

/* The workshop whose row `stmt` (ST_WS_BY_ID or ST_WS_BY_CODE) finds for `key`, as store_workshop_row builds it. */
static int store_workshop_find(struct store *s, enum stmt_id stmt, const char *key, bool full, bool hidden,
			       const char *join_base, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, stmt);
	int rc, err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? SRV_ENOTFOUND : SRV_EDB;
	}
	err = store_workshop_row(s, st, full, hidden, join_base, out);
	sqlite3_reset(st);
	return err;
}

int store_workshop_get(struct store *s, const char *id, bool hidden, const char *join_base, json_t **out)
{
	return store_workshop_find(s, ST_WS_BY_ID, id, true, hidden, join_base, out);
}

/* Upper-case a join code into `out`; false when it cannot be one. */
static bool store_code_norm(const char *code, char out[STORE_CODE_LEN + 1])
{
	size_t i;

	for (i = 0; code[i]; i++) {
		if (i >= STORE_CODE_LEN || !isalnum((unsigned char)code[i]))
			return false;
		out[i] = (char)toupper((unsigned char)code[i]);
	}
	out[i] = '\0';
	return i == STORE_CODE_LEN;
}

int store_workshop_by_code(struct store *s, const char *code, json_t **out)
{
	char norm[STORE_CODE_LEN + 1];

	if (!store_code_norm(code, norm))
		return SRV_ENOTFOUND;
	return store_workshop_find(s, ST_WS_BY_CODE, norm, false, false, NULL, out);
}

int store_workshop_list(struct store *s, const char *join_base, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_WS_LIST);
	json_t *ids = NULL, *list = NULL, *id;
	size_t i;
	int err;

	if (!st)
		return SRV_EDB;
	err = store_rows(st, store_first_column, 0, &ids);
	if (err)
		return err;
	list = json_array();
	if (!list) {
		err = SRV_ENOMEM;
		goto fail;
	}
	json_array_foreach(ids, i, id) {
		json_t *w;
		err = store_workshop_get(s, json_string_value(id), false, join_base, &w);
		if (err)
			goto fail;
		json_array_append_new(list, w);
	}
	json_decref(ids);
	*out = json_pack("{s:o}", "workshops", list);
	return *out ? SRV_OK : SRV_ENOMEM;
fail:
	json_decref(ids);
	json_decref(list);
	return err;
}

/* Copy the first column of a one-row lookup into `out` of `size` bytes. */
static int store_lookup_text(sqlite3_stmt *st, char *out, size_t size)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return SRV_ENOTFOUND;
	return rc == SQLITE_ROW ? SRV_OK : SRV_EDB;
}

int store_workshop_newest(struct store *s, char id[STORE_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st = store_stmt(s, ST_WS_NEWEST);

	return st ? store_lookup_text(st, id, STORE_WORKSHOP_ID_LEN + 1) : SRV_EDB;
}

int store_workshop_code(struct store *s, const char *id, char code[STORE_CODE_LEN + 1])
{
	sqlite3_stmt *st = store_stmt(s, ST_WS_CODE);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	return store_lookup_text(st, code, STORE_CODE_LEN + 1);
}

int store_workshop_create(struct store *s, int64_t key_id, const char *title,
			  json_t *organisations, json_t *questions, json_t **out)
{
	char id[STORE_WORKSHOP_ID_LEN + 1], code[STORE_CODE_LEN + 1], now[21];
	char *orgs = NULL;
	sqlite3_stmt *st;
	int64_t pk;
	json_t *q;
	size_t i;
	int err = SRV_EDB, tries, rc = SQLITE_ERROR;

	orgs = json_dumps(organisations, JSON_COMPACT);
	if (!orgs)
		return SRV_ENOMEM;
	st = store_stmt(s, ST_BEGIN);
	if (!st || store_exec(s, st)) {
		free(orgs);
		return SRV_EDB;
	}
	store_now(now);
	/* A fresh code collides with an existing one rarely; try again then. */
	for (tries = 0; tries < STORE_CODE_TRIES; tries++) {
		if (rnd_text(id, STORE_WORKSHOP_ID_LEN, RND_BASE32_ALPHABET) ||
		    rnd_text(code, STORE_CODE_LEN, RND_CODE_ALPHABET)) {
			err = SRV_ESYS;
			goto fail;
		}
		st = store_stmt(s, ST_WS_INSERT);
		if (!st)
			goto fail;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, title, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, orgs, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
		if (key_id > 0)
			sqlite3_bind_int64(st, 6, key_id);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_CONSTRAINT)
			break;
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "store: workshop insert: %s\n", sqlite3_errmsg(s->db));
		goto fail;
	}
	pk = sqlite3_last_insert_rowid(s->db);
	json_array_foreach(questions, i, q) {
		st = store_stmt(s, ST_Q_INSERT);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, pk);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(q, "section")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, json_string_value(json_object_get(q, "text")), -1, SQLITE_TRANSIENT);
		if (store_exec(s, st))
			goto fail;
	}
	st = store_stmt(s, ST_COMMIT);
	if (!st || store_exec(s, st))
		goto fail;
	free(orgs);
	return store_workshop_get(s, id, true, NULL, out);
fail:
	free(orgs);
	store_rollback(s);
	return err;
}

int store_question_set_open(struct store *s, int64_t question_id, bool open, json_t **out,
			    char workshop_id[STORE_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st = store_stmt(s, ST_Q_SET_OPEN);
	int err, rc;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, question_id);
	sqlite3_bind_int(st, 2, open);
	err = store_exec(s, st);
	if (err)
		return err;
	if (sqlite3_changes(s->db) == 0)
		return SRV_ENOTFOUND;
	st = store_stmt(s, ST_Q_GET);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, question_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? SRV_ENOTFOUND : SRV_EDB;
	}
	*out = json_pack("{s:I,s:o,s:i,s:o,s:b,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "section", col_str(st, 1), "position", sqlite3_column_int(st, 2),
			 "text", col_str(st, 3), "open", sqlite3_column_int(st, 4),
			 "answers", (json_int_t)sqlite3_column_int64(st, 5));
	snprintf(workshop_id, STORE_WORKSHOP_ID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 6));
	sqlite3_reset(st);
	return *out ? SRV_OK : SRV_ENOMEM;
}

/* ---- answers ---- */

/* An answer object from ANSWER_COLS starting at column 0. */
static json_t *store_answer_row(sqlite3_stmt *st)
{
	return json_pack("{s:I,s:o,s:I,s:o,s:o,s:o,s:o,s:b}",
			 "id", (json_int_t)sqlite3_column_int64(st, 0), "answer_id", col_str(st, 1),
			 "question_id", (json_int_t)sqlite3_column_int64(st, 2), "text", col_str(st, 3),
			 "group", col_str(st, 4), "organisation", col_str(st, 5),
			 "created", col_str(st, 6), "hidden", sqlite3_column_int(st, 7));
}

int store_begin(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, ST_BEGIN);

	return st ? store_exec(s, st) : SRV_EDB;
}

int store_commit(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, ST_COMMIT);

	return st ? store_exec(s, st) : SRV_EDB;
}

void store_rollback(struct store *s)
{
	sqlite3_stmt *st;

	if (sqlite3_get_autocommit(s->db))
		return;
	st = store_stmt(s, ST_ROLLBACK);
	if (st)
		store_exec(s, st);
}

/* Fill s->ws for join code `code` (upper case).  SRV_ENOTFOUND, SRV_EDB. */
static int store_ws_lookup(struct store *s, const char *code)
{
	sqlite3_stmt *st;
	const char **names;
	json_t *orgs, *v;
	size_t i;
	int rc;

	if (s->ws.orgs && strcmp(s->ws.code, code) == 0)
		return SRV_OK;
	st = store_stmt(s, ST_WS_BY_CODE);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? SRV_ENOTFOUND : SRV_EDB;
	}
	orgs = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
	names = calloc(json_array_size(orgs) + 1, sizeof *names);
	if (!json_is_array(orgs) || !names) {
		json_decref(orgs);
		free(names);
		sqlite3_reset(st);
		return SRV_EDB;
	}
	json_array_foreach(orgs, i, v)
		names[i] = json_is_string(v) ? json_string_value(v) : "";
	json_decref(s->ws.orgs);
	free(s->ws.names);
	s->ws.orgs = orgs;
	s->ws.names = names;
	s->ws.n_names = json_array_size(orgs);
	s->ws.pk = sqlite3_column_int64(st, 0);
	snprintf(s->ws.id, sizeof s->ws.id, "%s", (const char *)sqlite3_column_text(st, 1));
	memcpy(s->ws.code, code, sizeof s->ws.code);
	sqlite3_reset(st);
	return SRV_OK;
}

/* Does the stored row (ST_A_FIND) match the request as a retry? */
static bool store_same_answer(sqlite3_stmt *st, const struct store_answer_in *in)
{
	const char *text = (const char *)sqlite3_column_text(st, 3);

	return sqlite3_column_int64(st, 2) == in->question_id && text && strcmp(text, in->text) == 0;
}

int store_answer_submit(struct store *s, const struct store_answer_in *in, struct store_answer_out *out)
{
	char code[STORE_CODE_LEN + 1], now[21];
	sqlite3_stmt *st;
	int64_t pk, answer_pk;
	bool allowed = true;
	int rc, err;

	memset(out, 0, sizeof *out);
	if (!store_code_norm(in->code, code))
		return SRV_ENOTFOUND;
	err = store_ws_lookup(s, code);
	if (err)
		return err;
	pk = s->ws.pk;
	memcpy(out->workshop_id, s->ws.id, sizeof out->workshop_id);
	allowed = !in->organisation || validate_org_allowed(in->organisation, s->ws.names, s->ws.n_names);

	/* A stored answer_id wins over every other rule: retries must get 200. */
	st = store_stmt(s, ST_A_FIND);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	sqlite3_bind_text(st, 2, in->answer_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		err = store_same_answer(st, in) ? SRV_OK : SRV_ECONFLICT;
		if (!err) {
			out->answer = store_answer_row(st);
			if (!out->answer)
				err = SRV_ENOMEM;
		}
		sqlite3_reset(st);
		return err;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return SRV_EDB;
	if (in->retry_only)
		return SRV_ERATE;

	st = store_stmt(s, ST_Q_OPEN_IN_WS);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, in->question_id);
	sqlite3_bind_int64(st, 2, pk);
	rc = sqlite3_step(st);
	err = rc == SQLITE_ROW ? (sqlite3_column_int(st, 0) ? SRV_OK : SRV_ECLOSED)
	    : rc == SQLITE_DONE ? SRV_ENOTFOUND : SRV_EDB;
	sqlite3_reset(st);
	if (err)
		return err;
	if (!allowed)
		return SRV_EINVAL;

	st = store_stmt(s, ST_A_INSERT);
	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_int64(st, 1, pk);
	sqlite3_bind_int64(st, 2, in->question_id);
	sqlite3_bind_text(st, 3, in->answer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, in->client_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, in->text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, in->group, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, in->organisation, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, now, -1, SQLITE_TRANSIENT);
	err = store_exec(s, st);
	if (err)
		return err;
	answer_pk = sqlite3_last_insert_rowid(s->db);
	st = store_stmt(s, ST_Q_COUNT_NEW);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, in->question_id);
	err = store_exec(s, st);
	if (err)
		return err;
	out->answer = json_pack("{s:I,s:s,s:I,s:s,s:s?,s:s?,s:s,s:b}", "id", (json_int_t)answer_pk,
				"answer_id", in->answer_id, "question_id", (json_int_t)in->question_id,
				"text", in->text, "group", in->group, "organisation", in->organisation,
				"created", now, "hidden", 0);
	if (!out->answer)
		return SRV_ENOMEM;
	out->created = true;
	return SRV_OK;
}

int store_answer_set_hidden(struct store *s, int64_t id, bool hidden, json_t **out,
			    char workshop_id[STORE_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st;
	int err, rc;

	/* The flag and the question's counts change together or not at all. */
	err = store_begin(s);
	if (err)
		return err;
	st = store_stmt(s, ST_A_SET_HIDDEN);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, hidden);
	if (store_exec(s, st))
		goto fail;
	/* Hiding a hidden answer changes nothing, so the counts stay right. */
	if (sqlite3_changes(s->db) == 1) {
		st = store_stmt(s, ST_Q_COUNT_HIDE);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, hidden ? 1 : -1);
		if (store_exec(s, st))
			goto fail;
	}
	err = store_commit(s);
	if (err)
		goto fail;
	st = store_stmt(s, ST_A_GET);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? SRV_ENOTFOUND : SRV_EDB;
	}
	*out = store_answer_row(st);
	snprintf(workshop_id, STORE_WORKSHOP_ID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 8));
	sqlite3_reset(st);
	return *out ? SRV_OK : SRV_ENOMEM;
fail:
	store_rollback(s);
	return SRV_EDB;
}

/* An answer from ANSWER_COLS, with column 8 as "question" for STORE_ROW_QUESTION. */
static json_t *store_answer_row_with(sqlite3_stmt *st, int flags)
{
	json_t *a = store_answer_row(st);

	if (a && (flags & STORE_ROW_QUESTION) && json_object_set_new(a, "question", col_str(st, 8))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

int store_answer_list(struct store *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_A_LIST);
	json_t *arr;
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	err = store_rows(st, store_answer_row_with, STORE_ROW_QUESTION, &arr);
	if (err)
		return err;
	*out = json_pack("{s:o}", "answers", arr);
	return *out ? SRV_OK : SRV_ENOMEM;
}

int store_answer_latest(struct store *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_A_LATEST);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	return store_rows(st, store_answer_row_with, 0, out);
}

int store_counts(struct store *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_COUNTS);
	json_t *qs;
	json_int_t total = 0;
	char key[24];
	int rc;

	if (!st)
		return SRV_EDB;
	qs = json_object();
	if (!qs)
		return SRV_ENOMEM;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_int_t n = sqlite3_column_int64(st, 1);
		snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
		if (json_object_set_new(qs, key, json_integer(n)))
			break;
		total += n;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		json_decref(qs);
		return rc == SQLITE_ROW ? SRV_ENOMEM : SRV_EDB;
	}
	*out = json_pack("{s:o,s:I}", "questions", qs, "total", total);
	return *out ? SRV_OK : SRV_ENOMEM;
}

int store_answer_texts(struct store *s, const char *workshop_id, int64_t question_id, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, question_id > 0 ? ST_TEXTS_Q : ST_TEXTS_WS);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	if (question_id > 0)
		sqlite3_bind_int64(st, 2, question_id);
	return store_rows(st, store_first_column, 0, out);
}

int store_question_ids(struct store *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_Q_IDS);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	return store_rows(st, store_first_column, STORE_ROW_INTEGER, out);
}

int store_workshop_ids(struct store *s, json_t **out)
{
	sqlite3_stmt *st = store_stmt(s, ST_WS_IDS);

	return st ? store_rows(st, store_first_column, 0, out) : SRV_EDB;
}

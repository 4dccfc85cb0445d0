/*
 * sqlite.c - the SQLite implementation of the store interface.
 *
 * Durability first: WAL with synchronous=FULL means a COMMIT returns only
 * after the WAL is fsynced, so an acknowledged answer survives kill -9 and
 * power loss; group commit in the writer thread pays that fsync once per
 * batch instead of once per answer.  Every statement is a compile-time
 * string prepared once per connection (SQLITE_PREPARE_PERSISTENT) and bound
 * with parameters; nothing is built from request data.
 */
#include "store/backend.h"
#include "base/pcode.h"
#include "base/ptoken.h"
#include "base/rnd.h"
#include "base/srv_err.h"
#include "wire/request.h"
#include "wire/validate.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_CODE_TRIES 20
#define STORE_SCRUB_BUSY_MS 200     /* how long a scrub waits for readers before leaving the WAL to SQLite */
#define STORE_SECRET_NAME "participant-tokens"

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

	/*
	 * Issue 4: series, curation decisions and dot votes.  A decision belongs
	 * to exactly one scope (a workshop or a series).  A vote's themes and
	 * each ballot's dots are rows, so results are one aggregate query and
	 * UNIQUE(vote, client_id) makes a phone's second ballot impossible.
	 */
	"CREATE TABLE series ("
	"  pk INTEGER PRIMARY KEY,"
	"  id TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  created_by INTEGER REFERENCES keys(id));"
	"ALTER TABLE workshops ADD COLUMN series INTEGER REFERENCES series(pk);"
	"CREATE INDEX workshops_series ON workshops(series, pk);"
	/* A scope's answers in id order straight from the index: no sort of every row. */
	"CREATE INDEX answers_scope ON answers(workshop, id);"
	"CREATE TABLE decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  workshop INTEGER REFERENCES workshops(pk),"
	"  series INTEGER REFERENCES series(pk),"
	"  kind TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  key_id INTEGER REFERENCES keys(id),"
	"  created TEXT NOT NULL,"
	"  undone_by INTEGER REFERENCES decisions(id),"
	"  CHECK ((workshop IS NULL) <> (series IS NULL)));"
	"CREATE INDEX decisions_workshop ON decisions(workshop, id);"
	"CREATE INDEX decisions_series ON decisions(series, id);"
	"CREATE TABLE votes ("
	"  id INTEGER PRIMARY KEY,"
	"  workshop INTEGER NOT NULL REFERENCES workshops(pk),"
	"  dots INTEGER NOT NULL CHECK (dots >= 1),"
	"  open INTEGER NOT NULL DEFAULT 1,"
	"  created TEXT NOT NULL,"
	"  closed TEXT,"
	"  created_by INTEGER REFERENCES keys(id));"
	"CREATE INDEX votes_workshop ON votes(workshop, id);"
	"CREATE UNIQUE INDEX votes_one_open ON votes(workshop) WHERE open = 1;"
	"CREATE TABLE vote_themes ("
	"  vote INTEGER NOT NULL REFERENCES votes(id),"
	"  position INTEGER NOT NULL,"
	"  theme TEXT NOT NULL,"
	"  label TEXT NOT NULL,"
	"  PRIMARY KEY (vote, theme),"
	"  UNIQUE (vote, position));"
	"CREATE TABLE ballots ("
	"  id INTEGER PRIMARY KEY,"
	"  vote INTEGER NOT NULL REFERENCES votes(id),"
	"  client_id TEXT NOT NULL,"
	"  created TEXT NOT NULL,"
	"  UNIQUE (vote, client_id));"
	"CREATE TABLE ballot_dots ("
	"  ballot INTEGER NOT NULL REFERENCES ballots(id),"
	"  vote INTEGER NOT NULL,"
	"  theme TEXT NOT NULL,"
	"  dots INTEGER NOT NULL CHECK (dots >= 1),"
	"  PRIMARY KEY (ballot, theme),"
	"  FOREIGN KEY (vote, theme) REFERENCES vote_themes(vote, theme));"
	"CREATE INDEX ballot_dots_vote ON ballot_dots(vote, theme);"
	"PRAGMA user_version = 3;",

	/*
	 * Lifecycle and data protection (docs/PRIVACY.md): a workshop can be
	 * closed (its join code takes nothing more); the server secret that
	 * signs participant tokens; a ballot's voter, the token's voter id,
	 * so one token casts one ballot per vote (older ballots have none).
	 */
	"ALTER TABLE workshops ADD COLUMN closed TEXT;"
	"CREATE TABLE secrets ("
	"  name TEXT PRIMARY KEY,"
	"  value BLOB NOT NULL);"
	"ALTER TABLE ballots ADD COLUMN voter TEXT;"
	"CREATE UNIQUE INDEX ballots_voter ON ballots(vote, voter) WHERE voter IS NOT NULL;"
	"PRAGMA user_version = 4;",

	/*
	 * Personal data in answers: `flagged` says the text has a personal
	 * number, phone number or e-mail address (analysis/text/pii.h, found
	 * when it is stored); `held` keeps it off the projector, the word cloud
	 * and the presenter's quotes until a facilitator lets it through.
	 * Answers stored before this version were never scanned.
	 */
	"ALTER TABLE answers ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE answers ADD COLUMN held INTEGER NOT NULL DEFAULT 0;"
	"PRAGMA user_version = 5;",

	/*
	 * Issue "trust": scoped keys, grants, the audit log, presenter links.
	 * Until now every key saw everything; the oldest key becomes the admin
	 * (as the first key of a new database is), the others keep what they
	 * created.  Grants go with what they name (ON DELETE CASCADE); audit
	 * entries keep ids as text, so they outlive what they name.
	 */
	"ALTER TABLE keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE keys ADD COLUMN expires TEXT;"
	"ALTER TABLE keys ADD COLUMN last_used TEXT;"
	"UPDATE keys SET admin = 1 WHERE id = (SELECT min(id) FROM keys);"
	"CREATE TABLE grants ("
	"  id INTEGER PRIMARY KEY,"
	"  key INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
	"  workshop INTEGER REFERENCES workshops(pk) ON DELETE CASCADE,"
	"  series INTEGER REFERENCES series(pk) ON DELETE CASCADE,"
	"  created TEXT NOT NULL,"
	"  CHECK ((workshop IS NULL) <> (series IS NULL)),"
	"  UNIQUE (key, workshop),"
	"  UNIQUE (key, series));"
	"CREATE INDEX grants_workshop ON grants(workshop);"
	"CREATE INDEX grants_series ON grants(series);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  created TEXT NOT NULL,"
	"  key_id INTEGER,"
	"  key_label TEXT,"
	"  action TEXT NOT NULL,"
	"  workshop TEXT,"
	"  series TEXT,"
	"  detail TEXT);"
	"CREATE INDEX audit_workshop ON audit(workshop, id);"
	"CREATE INDEX audit_series ON audit(series, id);"
	"CREATE INDEX workshops_created_by ON workshops(created_by);"
	"ALTER TABLE workshops ADD COLUMN presenter TEXT;"
	"UPDATE workshops SET presenter = lower(hex(randomblob(16)));"
	"PRAGMA user_version = 6;",
};

#define STORE_VERSION ((int)(sizeof store_migrations / sizeof store_migrations[0]))
_Static_assert(STORE_VERSION == STORE_SCHEMA_VERSION, "store.h must name the newest schema");

#define STORE_STR(x) #x
#define STORE_XSTR(x) STORE_STR(x)
#define STORE_TEXTS_MAX_SQL STORE_XSTR(STORE_TEXTS_MAX)
#define STORE_LATEST_ANSWERS_SQL STORE_XSTR(STORE_LATEST_ANSWERS)
#define ANSWER_COLS "a.id, a.answer_id, a.question, a.text, a.grp, a.organisation, a.created, a.hidden," \
	" a.flagged, a.held"
#define ANSWER_NCOLS 10           /* columns a statement may add after ANSWER_COLS start here */
#define WS_PK_OF "(SELECT pk FROM workshops WHERE id = ?1)"
#define WS_COLS "w.pk, w.id, w.code, w.title, w.organisations, w.created, s.id, w.closed"
#define SCOPE_COLS "a.id, a.answer_id, a.question, q.text, q.section, q.position, a.text, a.grp," \
	" a.organisation, a.created, a.hidden, w.id, w.title, w.code, w.pk, a.held" \
	" FROM answers a JOIN questions q ON q.id = a.question JOIN workshops w ON w.pk = a.workshop"
#define DEC_COLS "d.id, d.kind, d.detail, d.key_id, k.label, d.created, d.undone_by, d.workshop, d.series" \
	" FROM decisions d LEFT JOIN keys k ON k.id = d.key_id"
#define COUNT_VISIBLE "q.visible"
#define COUNT_HIDDEN "q.hidden"
/* Key `k` (an SQL expression) is an admin key. */
#define KEY_ADMIN(k) "EXISTS (SELECT 1 FROM keys ka WHERE ka.id = " k " AND ka.admin = 1)"
/* Series row `s` is in key `k`'s own scope: created by it or granted to it. */
#define SER_SEEN_BY(s, k) "(" s ".created_by = " k \
	" OR EXISTS (SELECT 1 FROM grants g WHERE g.key = " k " AND g.series = " s ".pk))"
/* Workshop row `w` is in key `k`'s own scope: created, granted, or in a series of its scope. */
#define WS_SEEN_BY(w, k) "(" w ".created_by = " k \
	" OR EXISTS (SELECT 1 FROM grants g WHERE g.key = " k " AND g.workshop = " w ".pk)" \
	" OR EXISTS (SELECT 1 FROM series gs WHERE gs.pk = " w ".series AND " SER_SEEN_BY("gs", k) "))"
#define WS_MAY_SEE(w, k) "(" KEY_ADMIN(k) " OR " WS_SEEN_BY(w, k) ")"
#define SER_MAY_SEE(s, k) "(" KEY_ADMIN(k) " OR " SER_SEEN_BY(s, k) ")"
#define KEY_ACTIVE "revoked = 0 AND (expires IS NULL OR expires > ?1)"

enum stmt_id {
	ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
	ST_KEY_ADD, ST_KEY_HASHES, ST_KEY_REVOKE, ST_KEY_COUNT, ST_KEY_LIST,
	ST_WS_INSERT, ST_Q_INSERT, ST_WS_BY_ID, ST_WS_BY_CODE, ST_WS_LIST,
	ST_WS_NEWEST, ST_WS_CODE, ST_WS_IDS, ST_Q_OF_WS, ST_Q_SET_OPEN, ST_Q_GET,
	ST_Q_OPEN_IN_WS, ST_A_FIND, ST_A_INSERT, ST_A_GET, ST_A_SET_HIDDEN,
	ST_A_LIST, ST_A_LATEST, ST_COUNTS, ST_TEXTS_Q, ST_TEXTS_WS, ST_Q_IDS,
	ST_Q_COUNT_NEW, ST_Q_COUNT_HIDE,
	ST_WS_PK, ST_SER_PK, ST_SER_INSERT, ST_SER_BY_ID, ST_SER_LIST, ST_SER_WORKSHOPS, ST_WS_SET_SERIES,
	ST_SCOPE_WS, ST_SCOPE_SER,
	ST_DEC_INSERT, ST_DEC_GET, ST_DEC_LIST_WS, ST_DEC_LIST_SER, ST_DEC_SET_UNDONE,
	ST_VOTE_INSERT, ST_VOTE_CLOSE_OTHERS, ST_VT_INSERT, ST_VOTE_GET, ST_VT_LIST, ST_VOTE_RESULTS,
	ST_VOTE_IDS, ST_VOTE_OPEN_ID, ST_VOTE_CLOSE, ST_VOTE_REOPEN, ST_BALLOT_VOTE, ST_BALLOT_FIND,
	ST_BALLOT_DOTS, ST_VT_HAS, ST_BALLOT_INSERT, ST_BD_INSERT,
	ST_SECRET_GET, ST_SECRET_PUT, ST_WS_STATE, ST_WS_SET_CLOSED, ST_WS_DELETE_INFO,
	ST_DEL_BALLOT_DOTS, ST_DEL_BALLOTS, ST_DEL_VOTE_THEMES, ST_DEL_VOTES, ST_DEL_DECISIONS_WS,
	ST_DEL_ANSWERS, ST_DEL_QUESTIONS, ST_DEL_WS, ST_SER_DETACH, ST_DEL_DECISIONS_SER, ST_DEL_SER,
	ST_PURGE_WS, ST_PURGE_SER, ST_ERASE_CLIENTS, ST_ERASE_COUNTS, ST_ERASE_ANSWERS, ST_ERASE_BALLOT_DOTS,
	ST_ERASE_BALLOTS, ST_ERASE_LIST,
	ST_A_SET_HELD,
	ST_KEY_TOUCH, ST_KEY_ACTIVE_ID, ST_GRANT_INSERT, ST_GRANT_LIST, ST_SEE_WS, ST_SEE_SER, ST_SEE_Q, ST_SEE_A,
	ST_SEE_VOTE, ST_WS_LIST_FOR, ST_SER_LIST_FOR, ST_WS_PRESENTER, ST_WS_SET_PRESENTER, ST_AUDIT_INSERT,
	ST_AUDIT_LIST,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_KEY_ADD] = "INSERT INTO keys(label, hash, created, admin, expires)"
		       " VALUES(?1, ?2, ?3, ?4 OR NOT EXISTS (SELECT 1 FROM keys), ?5)",
	[ST_KEY_HASHES] = "SELECT id, hash, admin, last_used FROM keys WHERE " KEY_ACTIVE,
	[ST_KEY_REVOKE] = "UPDATE keys SET revoked = 1 WHERE id = ?1",
	[ST_KEY_COUNT] = "SELECT count(*) FROM keys WHERE " KEY_ACTIVE,
	[ST_KEY_LIST] = "SELECT id, label, created, revoked, admin, expires, last_used FROM keys ORDER BY id",
	[ST_WS_INSERT] = "INSERT INTO workshops(id, code, title, organisations, created, created_by, presenter) "
			 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_Q_INSERT] = "INSERT INTO questions(workshop, position, section, text) VALUES(?1, ?2, ?3, ?4)",
	[ST_WS_BY_ID] = "SELECT " WS_COLS " FROM workshops w LEFT JOIN series s ON s.pk = w.series WHERE w.id = ?1",
	[ST_WS_BY_CODE] = "SELECT " WS_COLS " FROM workshops w LEFT JOIN series s ON s.pk = w.series WHERE w.code = ?1",
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
	[ST_A_INSERT] = "INSERT INTO answers(workshop, question, answer_id, client_id, text, grp, organisation, created,"
			" flagged, held) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_A_GET] = "SELECT " ANSWER_COLS ", w.id FROM answers a JOIN workshops w ON w.pk = a.workshop WHERE a.id = ?1",
	[ST_A_SET_HIDDEN] = "UPDATE answers SET hidden = ?2 WHERE id = ?1 AND hidden <> ?2",
	[ST_A_LIST] = "SELECT " ANSWER_COLS ", q.text FROM answers a JOIN questions q ON q.id = a.question"
		      " WHERE a.workshop = " WS_PK_OF " ORDER BY a.id",
	[ST_A_LATEST] = "SELECT * FROM (SELECT " ANSWER_COLS " FROM answers a WHERE a.workshop = " WS_PK_OF
			" AND a.hidden = 0 AND a.held = 0 ORDER BY a.id DESC LIMIT " STORE_LATEST_ANSWERS_SQL ") ORDER BY 1",
	[ST_COUNTS] = "SELECT q.id, " COUNT_VISIBLE " FROM questions q WHERE q.workshop = " WS_PK_OF,
	[ST_TEXTS_Q] = "SELECT a.text FROM answers a WHERE a.question = ?2 AND a.hidden = 0 AND a.held = 0"
		       " AND a.workshop = " WS_PK_OF " ORDER BY a.id DESC LIMIT " STORE_TEXTS_MAX_SQL,
	[ST_TEXTS_WS] = "SELECT a.text FROM answers a WHERE a.workshop = " WS_PK_OF " AND a.hidden = 0 AND a.held = 0"
			" ORDER BY a.id DESC LIMIT " STORE_TEXTS_MAX_SQL,
	[ST_Q_IDS] = "SELECT id FROM questions WHERE workshop = " WS_PK_OF " ORDER BY position",
	[ST_Q_COUNT_NEW] = "UPDATE questions SET visible = visible + 1 WHERE id = ?1",
	[ST_Q_COUNT_HIDE] = "UPDATE questions SET visible = visible - ?2, hidden = hidden + ?2"
			    " WHERE id = (SELECT question FROM answers WHERE id = ?1)",
	[ST_WS_PK] = "SELECT pk FROM workshops WHERE id = ?1",
	[ST_SER_PK] = "SELECT pk FROM series WHERE id = ?1",
	[ST_SER_INSERT] = "INSERT INTO series(id, title, created, created_by) VALUES(?1, ?2, ?3, ?4)",
	[ST_SER_BY_ID] = "SELECT pk, id, title, created FROM series WHERE id = ?1",
	[ST_SER_LIST] = "SELECT id FROM series ORDER BY pk DESC",
	[ST_SER_WORKSHOPS] = "SELECT w.id, w.code, w.title, w.created,"
			     " (SELECT coalesce(sum(q.visible), 0) FROM questions q WHERE q.workshop = w.pk)"
			     " FROM workshops w WHERE w.series = ?1 ORDER BY w.pk",
	[ST_WS_SET_SERIES] = "UPDATE workshops SET series = ?2 WHERE pk = ?1",
	[ST_SCOPE_WS] = "SELECT " SCOPE_COLS " WHERE a.workshop = ?1 ORDER BY a.id",
	[ST_SCOPE_SER] = "SELECT " SCOPE_COLS " WHERE w.series = ?1 ORDER BY w.pk, a.id",
	[ST_DEC_INSERT] = "INSERT INTO decisions(workshop, series, kind, detail, key_id, created)"
			  " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_DEC_GET] = "SELECT " DEC_COLS " WHERE d.id = ?1",
	[ST_DEC_LIST_WS] = "SELECT " DEC_COLS " WHERE d.workshop = ?1 ORDER BY d.id",
	[ST_DEC_LIST_SER] = "SELECT " DEC_COLS " WHERE d.series = ?1 ORDER BY d.id",
	[ST_DEC_SET_UNDONE] = "UPDATE decisions SET undone_by = ?2 WHERE id = ?1 AND undone_by IS NULL",
	[ST_VOTE_INSERT] = "INSERT INTO votes(workshop, dots, created, created_by) VALUES(?1, ?2, ?3, ?4)",
	[ST_VOTE_CLOSE_OTHERS] = "UPDATE votes SET open = 0, closed = ?2 WHERE workshop = ?1 AND open = 1 AND id <> ?3",
	[ST_VT_INSERT] = "INSERT INTO vote_themes(vote, position, theme, label) VALUES(?1, ?2, ?3, ?4)",
	[ST_VOTE_GET] = "SELECT v.id, w.id, v.dots, v.open, v.created, v.closed,"
			" (SELECT count(*) FROM ballots b WHERE b.vote = v.id), v.workshop"
			" FROM votes v JOIN workshops w ON w.pk = v.workshop WHERE v.id = ?1",
	[ST_VT_LIST] = "SELECT theme, label FROM vote_themes WHERE vote = ?1 ORDER BY position",
	[ST_VOTE_RESULTS] = "SELECT t.theme, t.label, coalesce(sum(d.dots), 0), count(d.ballot)"
			    " FROM vote_themes t LEFT JOIN ballot_dots d ON d.vote = t.vote AND d.theme = t.theme"
			    " WHERE t.vote = ?1 GROUP BY t.position ORDER BY 3 DESC, t.position",
	[ST_VOTE_IDS] = "SELECT id FROM votes WHERE workshop = ?1 ORDER BY id",
	[ST_VOTE_OPEN_ID] = "SELECT id FROM votes WHERE workshop = ?1 AND open = 1",
	[ST_VOTE_CLOSE] = "UPDATE votes SET open = 0, closed = ?2 WHERE id = ?1 AND open = 1",
	[ST_VOTE_REOPEN] = "UPDATE votes SET open = 1, closed = NULL WHERE id = ?1",
	[ST_BALLOT_VOTE] = "SELECT v.workshop, v.dots, v.open, w.id, w.closed IS NOT NULL"
			     " FROM votes v JOIN workshops w ON w.pk = v.workshop WHERE v.id = ?1 AND w.code = ?2",
	/* The voter's ballot first: a new token on a phone that voted finds its ballot by client_id. */
	[ST_BALLOT_FIND] = "SELECT id FROM ballots WHERE vote = ?1 AND (voter = ?3 OR client_id = ?2)"
			   " ORDER BY voter IS ?3 DESC LIMIT 1",
	[ST_BALLOT_DOTS] = "SELECT theme, dots FROM ballot_dots WHERE ballot = ?1",
	[ST_VT_HAS] = "SELECT 1 FROM vote_themes WHERE vote = ?1 AND theme = ?2",
	[ST_BALLOT_INSERT] = "INSERT INTO ballots(vote, client_id, created, voter) VALUES(?1, ?2, ?3, ?4)",
	[ST_BD_INSERT] = "INSERT INTO ballot_dots(ballot, vote, theme, dots) VALUES(?1, ?2, ?3, ?4)",
	[ST_SECRET_GET] = "SELECT value FROM secrets WHERE name = ?1",
	[ST_SECRET_PUT] = "INSERT OR IGNORE INTO secrets(name, value) VALUES(?1, ?2)",
	/* Row only while workshop ?1 still has code ?2: the answer path's cache is checked by it. */
	[ST_WS_STATE] = "SELECT w.closed IS NOT NULL,"
			" (SELECT coalesce(sum(q.visible + q.hidden), 0) FROM questions q WHERE q.workshop = w.pk)"
			" FROM workshops w WHERE w.pk = ?1 AND w.code = ?2",
	[ST_WS_SET_CLOSED] = "UPDATE workshops SET closed = CASE WHEN ?2 IS NULL THEN NULL ELSE coalesce(closed, ?2) END"
			     " WHERE id = ?1",
	[ST_WS_DELETE_INFO] = "SELECT w.pk, w.title, s.id,"
			      " (SELECT count(*) FROM answers a WHERE a.workshop = w.pk),"
			      " (SELECT count(*) FROM votes v WHERE v.workshop = w.pk),"
			      " (SELECT count(*) FROM ballots b JOIN votes v ON v.id = b.vote WHERE v.workshop = w.pk),"
			      " (SELECT count(*) FROM decisions d WHERE d.workshop = w.pk)"
			      " FROM workshops w LEFT JOIN series s ON s.pk = w.series WHERE w.id = ?1",
	[ST_DEL_BALLOT_DOTS] = "DELETE FROM ballot_dots WHERE vote IN (SELECT id FROM votes WHERE workshop = ?1)",
	[ST_DEL_BALLOTS] = "DELETE FROM ballots WHERE vote IN (SELECT id FROM votes WHERE workshop = ?1)",
	[ST_DEL_VOTE_THEMES] = "DELETE FROM vote_themes WHERE vote IN (SELECT id FROM votes WHERE workshop = ?1)",
	[ST_DEL_VOTES] = "DELETE FROM votes WHERE workshop = ?1",
	[ST_DEL_DECISIONS_WS] = "DELETE FROM decisions WHERE workshop = ?1",
	[ST_DEL_ANSWERS] = "DELETE FROM answers WHERE workshop = ?1",
	[ST_DEL_QUESTIONS] = "DELETE FROM questions WHERE workshop = ?1",
	[ST_DEL_WS] = "DELETE FROM workshops WHERE pk = ?1",
	[ST_SER_DETACH] = "UPDATE workshops SET series = NULL WHERE series = ?1",
	[ST_DEL_DECISIONS_SER] = "DELETE FROM decisions WHERE series = ?1",
	[ST_DEL_SER] = "DELETE FROM series WHERE pk = ?1",
	/* Times are ISO 8601 UTC text, so max() and < compare them as times. */
	[ST_PURGE_WS] = "SELECT * FROM (SELECT w.pk, w.id, w.title, max(w.created, coalesce(w.closed, ''),"
			" coalesce((SELECT a.created FROM answers a WHERE a.workshop = w.pk ORDER BY a.id DESC LIMIT 1), ''),"
			" coalesce((SELECT max(v.created) FROM votes v WHERE v.workshop = w.pk), ''),"
			" coalesce((SELECT max(b.created) FROM ballots b JOIN votes v ON v.id = b.vote"
			" WHERE v.workshop = w.pk), ''),"
			" coalesce((SELECT max(d.created) FROM decisions d WHERE d.workshop = w.pk), '')) AS last"
			" FROM workshops w) WHERE last < ?1 ORDER BY pk",
	[ST_PURGE_SER] = "SELECT * FROM (SELECT s.pk, s.id, s.title, max(s.created,"
			 " coalesce((SELECT max(d.created) FROM decisions d WHERE d.series = s.pk), '')) AS last"
			 " FROM series s WHERE NOT EXISTS (SELECT 1 FROM workshops w WHERE w.series = s.pk))"
			 " WHERE last < ?1 ORDER BY pk",
	[ST_ERASE_CLIENTS] = "SELECT client_id FROM answers WHERE workshop = ?1 AND client_id IS NOT NULL"
			     " UNION SELECT b.client_id FROM ballots b JOIN votes v ON v.id = b.vote WHERE v.workshop = ?1",
	[ST_ERASE_COUNTS] = "UPDATE questions SET"
			    " visible = visible - (SELECT count(*) FROM answers a WHERE a.question = questions.id"
			    " AND a.client_id = ?2 AND a.hidden = 0),"
			    " hidden = hidden - (SELECT count(*) FROM answers a WHERE a.question = questions.id"
			    " AND a.client_id = ?2 AND a.hidden = 1) WHERE workshop = ?1",
	[ST_ERASE_ANSWERS] = "DELETE FROM answers WHERE workshop = ?1 AND client_id = ?2",
	[ST_ERASE_BALLOT_DOTS] = "DELETE FROM ballot_dots WHERE ballot IN (SELECT b.id FROM ballots b"
				 " JOIN votes v ON v.id = b.vote WHERE v.workshop = ?1 AND b.client_id = ?2)",
	[ST_ERASE_BALLOTS] = "DELETE FROM ballots WHERE client_id = ?2 AND vote IN (SELECT id FROM votes WHERE workshop = ?1)",
	[ST_ERASE_LIST] = "SELECT id, question FROM answers WHERE workshop = ?1 AND client_id = ?2 ORDER BY id",
	/* Only an answer with personal data can be held. */
	[ST_A_SET_HELD] = "UPDATE answers SET held = (?2 AND flagged) WHERE id = ?1",
	[ST_KEY_TOUCH] = "UPDATE keys SET last_used = ?2 WHERE id = ?1",
	[ST_KEY_ACTIVE_ID] = "SELECT id FROM keys WHERE id = ?1 AND revoked = 0",
	[ST_GRANT_INSERT] = "INSERT OR IGNORE INTO grants(key, workshop, series, created) VALUES(?1, ?2, ?3, ?4)",
	[ST_GRANT_LIST] = "SELECT w.id, s.id FROM grants g LEFT JOIN workshops w ON w.pk = g.workshop"
			  " LEFT JOIN series s ON s.pk = g.series WHERE g.key = ?1 ORDER BY g.id",
	[ST_SEE_WS] = "SELECT 1 FROM workshops w WHERE w.id = ?1 AND " WS_MAY_SEE("w", "?2"),
	[ST_SEE_SER] = "SELECT 1 FROM series s WHERE s.id = ?1 AND " SER_MAY_SEE("s", "?2"),
	[ST_SEE_Q] = "SELECT 1 FROM questions q JOIN workshops w ON w.pk = q.workshop"
		     " WHERE q.id = ?1 AND " WS_MAY_SEE("w", "?2"),
	[ST_SEE_A] = "SELECT 1 FROM answers a JOIN workshops w ON w.pk = a.workshop"
		     " WHERE a.id = ?1 AND " WS_MAY_SEE("w", "?2"),
	[ST_SEE_VOTE] = "SELECT 1 FROM votes v JOIN workshops w ON w.pk = v.workshop"
			" WHERE v.id = ?1 AND " WS_MAY_SEE("w", "?2"),
	[ST_WS_LIST_FOR] = "SELECT w.id FROM workshops w WHERE " WS_MAY_SEE("w", "?1") " ORDER BY w.pk DESC",
	[ST_SER_LIST_FOR] = "SELECT s.id FROM series s WHERE " SER_MAY_SEE("s", "?1") " ORDER BY s.pk DESC",
	[ST_WS_PRESENTER] = "SELECT coalesce(presenter, '') FROM workshops WHERE id = ?1",
	[ST_WS_SET_PRESENTER] = "UPDATE workshops SET presenter = ?2 WHERE id = ?1",
	[ST_AUDIT_INSERT] = "INSERT INTO audit(created, key_id, key_label, action, workshop, series, detail)"
			    " VALUES(?1, ?2, (SELECT label FROM keys WHERE id = ?2), ?3, ?4, ?5, ?6)",
	[ST_AUDIT_LIST] = "SELECT id, created, action, key_id, key_label, workshop, series, detail FROM audit"
			  " WHERE (?1 IS NULL OR workshop = ?1) AND (?2 IS NULL OR series = ?2)"
			  " AND (?3 IS NULL OR created >= ?3) ORDER BY id DESC LIMIT ?4",
};

/*
 * The workshop the last answer went to.  Join codes, ids and organisation
 * lists never change after creation, so the writer can skip the lookup and
 * the JSON parse for the next answer.  Workshops can be deleted (by another
 * connection), so every new answer checks that the row still has the code
 * (ST_WS_STATE, which it reads anyway for the closed flag and the cap).
 */
struct sqlite_ws_cache {
	char code[LIMIT_CODE_LEN + 1];
	int64_t pk;
	char id[LIMIT_WORKSHOP_ID_LEN + 1];
	json_t *orgs;               /* owns the strings `names` points to */
	const char **names;
	size_t n_names;
};

struct store_conn {
	struct store *owner;          /* whose lock guards this connection */
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	struct sqlite_ws_cache ws;
	unsigned char secret[PTOKEN_SECRET_LEN];
};

static enum srv_err sqlite_begin(struct store_conn *s);
static enum srv_err sqlite_commit(struct store_conn *s);
static void sqlite_rollback(struct store_conn *s);

/* The prepared statement `id`, reset and with its bindings cleared. */
static sqlite3_stmt *sqlite_stmt(struct store_conn *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmt[id];

	store_assert_locked(s->owner);

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
static int sqlite_exec(struct store_conn *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "store: %s\n", sqlite3_errmsg(s->db));
		return SRV_EDB;
	}
	return SRV_OK;
}

/* Bind an optional key id: 0 (no key, e.g. the CLI) is stored as NULL. */
static void sqlite_bind_key(sqlite3_stmt *st, int i, int64_t key_id)
{
	if (key_id > 0)
		sqlite3_bind_int64(st, i, key_id);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Step a bound statement that finds one row.  SRV_OK leaves the row to read
 * and the caller resets the statement; otherwise the statement is reset and
 * the result is SRV_ENOTFOUND (no row) or SRV_EDB.
 */
static int sqlite_row(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return SRV_OK;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SRV_ENOTFOUND : SRV_EDB;
}

/* The row statement `stmt` finds for integer `id` (?1), stepped into *st by sqlite_row's rules. */
static int sqlite_row_by_id(struct store_conn *s, enum stmt_id stmt, int64_t id, sqlite3_stmt **st)
{
	*st = sqlite_stmt(s, stmt);
	if (!*st)
		return SRV_EDB;
	sqlite3_bind_int64(*st, 1, id);
	return sqlite_row(*st);
}

/* The row statement `stmt` finds for text `key` (?1), stepped into *st by sqlite_row's rules. */
static int sqlite_row_by_text(struct store_conn *s, enum stmt_id stmt, const char *key, sqlite3_stmt **st)
{
	*st = sqlite_stmt(s, stmt);
	if (!*st)
		return SRV_EDB;
	sqlite3_bind_text(*st, 1, key, -1, SQLITE_TRANSIENT);
	return sqlite_row(*st);
}

/* The integer of the first column of a one-row lookup.  SRV_ENOTFOUND when no row. */
static int sqlite_lookup_int(sqlite3_stmt *st, int64_t *out)
{
	int err = sqlite_row(st);

	if (!err) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return err;
}

/* Copy the first column of a one-row lookup into `out` of `size` bytes.  SRV_ENOTFOUND when no row. */
static int sqlite_lookup_text(sqlite3_stmt *st, char *out, size_t size)
{
	int err = sqlite_row(st);

	if (!err) {
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
	}
	return err;
}

static json_t *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? json_string((const char *)t) : json_null();
}

/* What a row builder adds beyond its basic columns. */
enum store_row_flags {
	STORE_ROW_INTEGER = 1,      /* sqlite_first_column: an integer, not text */
	STORE_ROW_COUNTS = 2,       /* sqlite_question_row: "answers" */
	STORE_ROW_HIDDEN = 4,       /* sqlite_question_row: "hidden" */
	STORE_ROW_QUESTION = 8,     /* sqlite_answer_row_with: "question" text */
};

/*
 * Every row of a bound statement, built by `row`, into a new array.  The
 * statement is reset on every path, so no read transaction stays open.
 * SRV_ENOMEM when a row could not be built, SRV_EDB when stepping failed.
 */
static int sqlite_rows(sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st, int flags), int flags, json_t **out)
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
static json_t *sqlite_first_column(sqlite3_stmt *st, int flags)
{
	return (flags & STORE_ROW_INTEGER) ? json_integer(sqlite3_column_int64(st, 0)) : col_str(st, 0);
}

/* Looks up one id of a list for sqlite_get_each; `ctx` is what the list passes through. */
typedef int (*store_get_fn)(struct store_conn *s, const json_t *id, const void *ctx, json_t **out);

/*
 * [each id `st` finds, looked up by `get`] into *out, from a bound
 * statement whose first column (text, or integer with STORE_ROW_INTEGER)
 * is the id.  Ids are read first, so `get` may reuse `st`.  Errors: `get`'s
 * first, SRV_ENOMEM, SRV_EDB.
 */
static int sqlite_get_each(struct store_conn *s, sqlite3_stmt *st, int flags, store_get_fn get, const void *ctx,
			  json_t **out)
{
	json_t *ids, *list = NULL, *id;
	size_t i;
	int err;

	err = sqlite_rows(st, sqlite_first_column, flags, &ids);
	if (err)
		return err;
	list = json_array();
	if (!list) {
		err = SRV_ENOMEM;
		goto out;
	}
	json_array_foreach(ids, i, id) {
		json_t *one;
		err = get(s, id, ctx, &one);
		if (err)
			goto out;
		if (json_array_append_new(list, one)) {
			err = SRV_ENOMEM;
			goto out;
		}
	}
	*out = json_incref(list);
out:
	json_decref(ids);
	json_decref(list);
	return err;
}

static enum srv_err sqlite_schema_version(struct store_conn *s, int *version)
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

static int sqlite_migrate(struct store_conn *s)
{
	char *msg = NULL;
	int version;

	if (sqlite_schema_version(s, &version))
		goto fail;
	if (version > STORE_VERSION) {
		fprintf(stderr, "store: database schema %d is newer than this program (%d)\n", version, STORE_VERSION);
		return SRV_EDB;
	}
	while (version < STORE_VERSION) {
		int before = version;
		/* Re-read under the write lock: another process may have migrated meanwhile. */
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite_schema_version(s, &version) ||
		    (version < STORE_VERSION &&
		     sqlite3_exec(s->db, store_migrations[version], NULL, NULL, &msg) != SQLITE_OK) ||
		    sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "store: migration to %d: %s\n", version + 1, msg ? msg : sqlite3_errmsg(s->db));
			sqlite3_free(msg);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return SRV_EDB;
		}
		/* Each migration sets user_version itself; one that did not would loop forever. */
		if (sqlite_schema_version(s, &version) || version <= before)
			goto fail;
	}
	return SRV_OK;
fail:
	fprintf(stderr, "store: %s\n", sqlite3_errmsg(s->db));
	return SRV_EDB;
}

static bool sqlite_serves(const char *path)
{
	(void)path;
	return true;
}

static void sqlite_close(struct store_conn *s);

/*
 * Answers may hold personal data: a database file this process creates is
 * the owner's alone (0600), whichever subcommand creates it, and SQLite
 * gives its -wal and -shm files the database file's permissions.  An
 * existing file keeps its mode.  False with errno when it cannot be made.
 */
static bool sqlite_create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST;
	close(fd);
	return true;
}

/*
 * Load the participant-token secret into s->secret, making it on the first
 * open.  INSERT OR IGNORE then SELECT: two processes opening a new database
 * at once agree on the first one stored.
 */
static int sqlite_load_secret(struct store_conn *s)
{
	unsigned char fresh[PTOKEN_SECRET_LEN];
	sqlite3_stmt *st;
	int err;

	if (rnd_bytes(fresh, sizeof fresh))
		return SRV_ESYS;
	st = sqlite_stmt(s, ST_SECRET_PUT);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, STORE_SECRET_NAME, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, fresh, sizeof fresh, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	if (err)
		return err;
	err = sqlite_row_by_text(s, ST_SECRET_GET, STORE_SECRET_NAME, &st);
	if (err)
		return err == SRV_ENOTFOUND ? SRV_EDB : err;
	if (sqlite3_column_bytes(st, 0) == PTOKEN_SECRET_LEN)
		memcpy(s->secret, sqlite3_column_blob(st, 0), PTOKEN_SECRET_LEN);
	else
		err = SRV_EDB;
	sqlite3_reset(st);
	return err;
}

static enum srv_err sqlite_open(struct store *owner, const char *path, struct store_conn **out)
{
	struct store_conn *s;
	char *msg = NULL;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return SRV_ENOMEM;
	s->owner = owner;
	if (strcmp(path, ":memory:") != 0 && !sqlite_create_private(path)) {
		fprintf(stderr, "store: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		fprintf(stderr, "store: %s: %s\n", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	/* secure_delete: an erased answer's text is overwritten, not left in a free page. */
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
			 " PRAGMA secure_delete = ON;", NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "store: %s: %s\n", path, msg ? msg : "?");
		sqlite3_free(msg);
		goto fail;
	}
	if (sqlite_migrate(s))
		goto fail;
	/* The store's lock is held by store_open, as sqlite_stmt asserts. */
	if (sqlite_load_secret(s)) {
		fprintf(stderr, "store: %s: cannot read or make the server secret\n", path);
		goto fail;
	}
	*out = s;
	return SRV_OK;
fail:
	sqlite_close(s);
	return SRV_EDB;
}

static void sqlite_close(struct store_conn *s)
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

static enum srv_err sqlite_key_create(struct store_conn *s, const unsigned char hash[KEYS_HASH_LEN],
				     const struct store_key_new *in, int64_t *id)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_KEY_ADD);
	char now[STORE_TIME_LEN + 1];
	int err;

	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_text(st, 1, in->label, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(st, 2, hash, KEYS_HASH_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, in->admin);
	sqlite3_bind_text(st, 5, in->expires, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	if (!err && id)
		*id = sqlite3_last_insert_rowid(s->db);
	return err;
}

/* Write `now` as key `id`'s last_used when the stored one (`last`, may be NULL) is a minute old or more. */
static void sqlite_key_touch(struct store_conn *s, int64_t id, const char *last, const char *now)
{
	char since[STORE_TIME_LEN + 1];
	sqlite3_stmt *st;

	store_time(time(NULL) - STORE_KEY_TOUCH_SECS, since);
	if (last && strcmp(last, since) > 0)
		return;
	st = sqlite_stmt(s, ST_KEY_TOUCH);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	/* Best effort: a busy database must not refuse a valid key. */
	sqlite_exec(s, st);
}

static enum srv_err sqlite_key_auth(struct store_conn *s, const char *text, struct store_key *key)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_KEY_HASHES);
	unsigned char hash[KEYS_HASH_LEN];
	char now[STORE_TIME_LEN + 1], last[STORE_TIME_LEN + 1] = "";
	struct store_key found = { 0 };
	bool used = false;
	int rc;

	if (!st)
		return SRV_EDB;
	if (keys_hash(text, strlen(text), hash))
		return SRV_ESYS;
	store_now(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	/* Compare against every key so timing does not reveal which matched. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *h = sqlite3_column_blob(st, 1);
		if (sqlite3_column_bytes(st, 1) == KEYS_HASH_LEN && keys_equal(h, hash)) {
			found.id = sqlite3_column_int64(st, 0);
			found.admin = sqlite3_column_int(st, 2) != 0;
			used = sqlite3_column_type(st, 3) != SQLITE_NULL;
			if (used)
				snprintf(last, sizeof last, "%s", (const char *)sqlite3_column_text(st, 3));
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return SRV_EDB;
	if (!found.id)
		return SRV_EAUTH;
	sqlite_key_touch(s, found.id, used ? last : NULL, now);
	*key = found;
	return SRV_OK;
}

static enum srv_err sqlite_key_revoke(struct store_conn *s, int64_t id)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_KEY_REVOKE);
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, id);
	err = sqlite_exec(s, st);
	if (!err && sqlite3_changes(s->db) == 0)
		return SRV_ENOTFOUND;
	return err;
}

static enum srv_err sqlite_key_count(struct store_conn *s, int64_t *count)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_KEY_COUNT);
	char now[STORE_TIME_LEN + 1];

	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	/* count(*) always gives a row: SRV_ENOTFOUND cannot happen. */
	return sqlite_lookup_int(st, count);
}

static json_t *sqlite_key_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:I,s:o,s:o,s:b,s:b,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "label", col_str(st, 1), "created", col_str(st, 2), "revoked", sqlite3_column_int(st, 3),
			 "admin", sqlite3_column_int(st, 4), "expires", col_str(st, 5), "last_used", col_str(st, 6));
}

/* A grant of ST_GRANT_LIST: {"workshop": id} or {"series": id}. */
static json_t *sqlite_grant_row(sqlite3_stmt *st, int flags)
{
	bool workshop = sqlite3_column_type(st, 0) != SQLITE_NULL;

	return json_pack("{s:o}", workshop ? "workshop" : "series", col_str(st, workshop ? 0 : 1));
}

static enum srv_err sqlite_key_list(struct store_conn *s, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_KEY_LIST);
	json_t *list = NULL, *k;
	size_t i;
	int err;

	if (!st)
		return SRV_EDB;
	err = sqlite_rows(st, sqlite_key_row, 0, &list);
	json_array_foreach(list, i, k) {
		json_t *grants = NULL;
		st = err ? NULL : sqlite_stmt(s, ST_GRANT_LIST);
		if (!err && !st)
			err = SRV_EDB;
		if (err)
			break;
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(k, "id")));
		err = sqlite_rows(st, sqlite_grant_row, 0, &grants);
		if (!err && json_object_set_new(k, "grants", grants))
			err = SRV_ENOMEM;
	}
	if (err) {
		json_decref(list);
		return err;
	}
	*out = list;
	return SRV_OK;
}

/* ---- workshops ---- */

/* A question from ST_Q_OF_WS, with "answers" and "hidden" as `flags` ask. */
static json_t *sqlite_question_row(sqlite3_stmt *st, int flags)
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
static int sqlite_questions(struct store_conn *s, int64_t pk, bool with_counts, bool with_hidden, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_Q_OF_WS);
	int flags;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	flags = (with_counts ? STORE_ROW_COUNTS : 0) | (with_hidden ? STORE_ROW_HIDDEN : 0);
	return sqlite_rows(st, sqlite_question_row, flags, out);
}

/* Build a workshop object from the current row of ST_WS_BY_ID/ST_WS_BY_CODE. */
static int sqlite_workshop_row(struct store_conn *s, sqlite3_stmt *st, bool full, bool hidden, json_t **out)
{
	int64_t pk = sqlite3_column_int64(st, 0);
	json_t *w, *orgs, *qs = NULL;
	int err;

	orgs = json_loads((const char *)sqlite3_column_text(st, 4), 0, NULL);
	w = json_pack("{s:o,s:o,s:o,s:o}", "id", col_str(st, 1), "code", col_str(st, 2),
		      "title", col_str(st, 3), "organisations", orgs ? orgs : json_array());
	if (!w)
		return SRV_ENOMEM;
	if (full) {
		json_object_set_new(w, "created", col_str(st, 5));
		json_object_set_new(w, "series", col_str(st, 6));
		json_object_set_new(w, "closed", col_str(st, 7));
	}
	/* sqlite_questions reuses another statement; this row's text is copied already. */
	err = sqlite_questions(s, pk, full, hidden, &qs);
	if (err) {
		json_decref(w);
		return err;
	}
	json_object_set_new(w, "questions", qs);
	*out = w;
	return SRV_OK;
}

/* The workshop whose row `stmt` (ST_WS_BY_ID or ST_WS_BY_CODE) finds for `key`, as sqlite_workshop_row builds it. */
static int sqlite_workshop_find(struct store_conn *s, enum stmt_id stmt, const char *key, bool full, bool hidden,
			       json_t **out)
{
	sqlite3_stmt *st;
	int err;

	err = sqlite_row_by_text(s, stmt, key, &st);
	if (err)
		return err;
	err = sqlite_workshop_row(s, st, full, hidden, out);
	sqlite3_reset(st);
	return err;
}

static enum srv_err sqlite_workshop_get(struct store_conn *s, const char *id, bool hidden, json_t **out)
{
	return sqlite_workshop_find(s, ST_WS_BY_ID, id, true, hidden, out);
}

/* Upper-case a join code into `out`; false when it cannot be one. */
static bool sqlite_code_norm(const char *code, char out[LIMIT_CODE_LEN + 1])
{
	size_t i;

	for (i = 0; code[i]; i++) {
		if (i >= LIMIT_CODE_LEN || !isalnum((unsigned char)code[i]))
			return false;
		out[i] = (char)toupper((unsigned char)code[i]);
	}
	out[i] = '\0';
	return i == LIMIT_CODE_LEN;
}

static enum srv_err sqlite_workshop_by_code(struct store_conn *s, const char *code, json_t **out)
{
	char norm[LIMIT_CODE_LEN + 1];

	sqlite3_stmt *st;
	int err;

	if (!sqlite_code_norm(code, norm))
		return SRV_ENOTFOUND;
	err = sqlite_row_by_text(s, ST_WS_BY_CODE, norm, &st);
	if (err)
		return err;
	/* A closed workshop's code joins no one. */
	err = sqlite3_column_type(st, 7) == SQLITE_NULL ? sqlite_workshop_row(s, st, false, false, out) : SRV_EGONE;
	sqlite3_reset(st);
	return err;
}

/* sqlite_get_each's lookup for the workshop list. */
static int sqlite_workshop_listed(struct store_conn *s, const json_t *id, const void *ctx, json_t **out)
{
	return sqlite_workshop_get(s, json_string_value(id), false, out);
}

static enum srv_err sqlite_workshop_list(struct store_conn *s, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_LIST);

	return st ? sqlite_get_each(s, st, 0, sqlite_workshop_listed, NULL, out) : SRV_EDB;
}

static enum srv_err sqlite_workshop_newest(struct store_conn *s, char id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_NEWEST);

	return st ? sqlite_lookup_text(st, id, LIMIT_WORKSHOP_ID_LEN + 1) : SRV_EDB;
}

static enum srv_err sqlite_workshop_code(struct store_conn *s, const char *id, char code[LIMIT_CODE_LEN + 1])
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_CODE);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	return sqlite_lookup_text(st, code, LIMIT_CODE_LEN + 1);
}

/*
 * Step the bound insert `st` with fresh random text at parameter 1 (`id`)
 * and, when `code` is given, at parameter 2 (a join code), drawing again
 * while they collide with a UNIQUE one (rare: 80 random bits for an id).
 * `what` names the row in the log.  SRV_OK, SRV_ESYS (no randomness), SRV_EDB.
 */
static int sqlite_insert_fresh(struct store_conn *s, sqlite3_stmt *st, const char *what,
			      char id[LIMIT_WORKSHOP_ID_LEN + 1], char code[LIMIT_CODE_LEN + 1])
{
	int tries, rc = SQLITE_ERROR;

	for (tries = 0; tries < STORE_CODE_TRIES; tries++) {
		if (rnd_text(id, LIMIT_WORKSHOP_ID_LEN, RND_BASE32_ALPHABET) ||
		    (code && rnd_text(code, LIMIT_CODE_LEN, RND_CODE_ALPHABET)))
			return SRV_ESYS;
		/* sqlite3_reset keeps the other bindings: only the ids change. */
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		if (code)
			sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_CONSTRAINT)
			break;
	}
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "store: %s insert: %s\n", what, sqlite3_errmsg(s->db));
		return SRV_EDB;
	}
	return SRV_OK;
}

static enum srv_err sqlite_workshop_create(struct store_conn *s, int64_t key_id, const char *title,
			  json_t *organisations, json_t *questions, json_t **out)
{
	char id[LIMIT_WORKSHOP_ID_LEN + 1], code[LIMIT_CODE_LEN + 1], now[STORE_TIME_LEN + 1];
	char secret[STORE_SECRET_LEN + 1];
	char *orgs = NULL;
	sqlite3_stmt *st;
	int64_t pk;
	json_t *q;
	size_t i;
	int err;

	if (rnd_text(secret, STORE_SECRET_LEN, RND_BASE32_ALPHABET))
		return SRV_ESYS;
	orgs = json_dumps(organisations, JSON_COMPACT);
	if (!orgs)
		return SRV_ENOMEM;
	if (sqlite_begin(s)) {
		free(orgs);
		return SRV_EDB;
	}
	store_now(now);
	err = SRV_EDB;
	st = sqlite_stmt(s, ST_WS_INSERT);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 3, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, orgs, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
	sqlite_bind_key(st, 6, key_id);
	sqlite3_bind_text(st, 7, secret, -1, SQLITE_TRANSIENT);
	err = sqlite_insert_fresh(s, st, "workshop", id, code);
	if (err)
		goto fail;
	err = SRV_EDB;
	pk = sqlite3_last_insert_rowid(s->db);
	json_array_foreach(questions, i, q) {
		st = sqlite_stmt(s, ST_Q_INSERT);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, pk);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(q, "section")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, json_string_value(json_object_get(q, "text")), -1, SQLITE_TRANSIENT);
		if (sqlite_exec(s, st))
			goto fail;
	}
	if (sqlite_commit(s))
		goto fail;
	free(orgs);
	return sqlite_workshop_get(s, id, true, out);
fail:
	free(orgs);
	sqlite_rollback(s);
	return err;
}

static enum srv_err sqlite_question_set_open(struct store_conn *s, int64_t question_id, bool open, json_t **out,
			    char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_Q_SET_OPEN);
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, question_id);
	sqlite3_bind_int(st, 2, open);
	err = sqlite_exec(s, st);
	if (err)
		return err;
	if (sqlite3_changes(s->db) == 0)
		return SRV_ENOTFOUND;
	err = sqlite_row_by_id(s, ST_Q_GET, question_id, &st);
	if (err)
		return err;
	*out = json_pack("{s:I,s:o,s:i,s:o,s:b,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "section", col_str(st, 1), "position", sqlite3_column_int(st, 2),
			 "text", col_str(st, 3), "open", sqlite3_column_int(st, 4),
			 "answers", (json_int_t)sqlite3_column_int64(st, 5));
	snprintf(workshop_id, LIMIT_WORKSHOP_ID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 6));
	sqlite3_reset(st);
	return *out ? SRV_OK : SRV_ENOMEM;
}

/* ---- answers ---- */

/* An answer object from ANSWER_COLS starting at column 0. */
static json_t *sqlite_answer_row(sqlite3_stmt *st)
{
	return json_pack("{s:I,s:o,s:I,s:o,s:o,s:o,s:o,s:b,s:b,s:b}",
			 "id", (json_int_t)sqlite3_column_int64(st, 0), "answer_id", col_str(st, 1),
			 "question_id", (json_int_t)sqlite3_column_int64(st, 2), "text", col_str(st, 3),
			 "group", col_str(st, 4), "organisation", col_str(st, 5),
			 "created", col_str(st, 6), "hidden", sqlite3_column_int(st, 7),
			 "flagged", sqlite3_column_int(st, 8), "held", sqlite3_column_int(st, 9));
}

static enum srv_err sqlite_begin(struct store_conn *s)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_BEGIN);

	return st ? sqlite_exec(s, st) : SRV_EDB;
}

static enum srv_err sqlite_commit(struct store_conn *s)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_COMMIT);

	return st ? sqlite_exec(s, st) : SRV_EDB;
}

static void sqlite_rollback(struct store_conn *s)
{
	sqlite3_stmt *st;

	if (sqlite3_get_autocommit(s->db))
		return;
	st = sqlite_stmt(s, ST_ROLLBACK);
	if (st)
		sqlite_exec(s, st);
}

/* Fill s->ws for join code `code` (upper case).  SRV_ENOTFOUND, SRV_EDB. */
static int sqlite_ws_lookup(struct store_conn *s, const char *code)
{
	sqlite3_stmt *st;
	const char **names;
	json_t *orgs, *v;
	size_t i;
	int err;

	if (s->ws.orgs && strcmp(s->ws.code, code) == 0)
		return SRV_OK;
	err = sqlite_row_by_text(s, ST_WS_BY_CODE, code, &st);
	if (err)
		return err;
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

/*
 * May workshop s->ws take a new answer?  SRV_EGONE when it is closed,
 * SRV_ELIMIT when it holds `max_answers` (0: no cap) already, SRV_ENOTFOUND
 * when it was deleted since it was cached (the cache is dropped, so the
 * phone's retry looks the code up again).
 */
static int sqlite_ws_state(struct store_conn *s, int64_t max_answers)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_STATE);
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, s->ws.pk);
	sqlite3_bind_text(st, 2, s->ws.code, -1, SQLITE_TRANSIENT);
	err = sqlite_row(st);
	if (err == SRV_ENOTFOUND) {
		json_decref(s->ws.orgs);
		s->ws.orgs = NULL;
	}
	if (err)
		return err;
	if (sqlite3_column_int(st, 0))
		err = SRV_EGONE;
	else if (max_answers > 0 && sqlite3_column_int64(st, 1) >= max_answers)
		err = SRV_ELIMIT;
	sqlite3_reset(st);
	return err;
}

/* Does the stored row (ST_A_FIND) match the request as a retry? */
static bool sqlite_same_answer(sqlite3_stmt *st, const struct store_answer_in *in)
{
	const char *text = (const char *)sqlite3_column_text(st, 3);

	return sqlite3_column_int64(st, 2) == in->question_id && text && strcmp(text, in->text) == 0;
}

static enum srv_err sqlite_answer_submit(struct store_conn *s, const struct store_answer_in *in, struct store_answer_out *out)
{
	char code[LIMIT_CODE_LEN + 1], now[STORE_TIME_LEN + 1];
	sqlite3_stmt *st;
	int64_t pk, answer_pk;
	bool allowed = true;
	int rc, err;

	memset(out, 0, sizeof *out);
	if (!sqlite_code_norm(in->code, code))
		return SRV_ENOTFOUND;
	err = sqlite_ws_lookup(s, code);
	if (err)
		return err;
	pk = s->ws.pk;
	memcpy(out->workshop_id, s->ws.id, sizeof out->workshop_id);
	allowed = !in->organisation || validate_org_allowed(in->organisation, s->ws.names, s->ws.n_names);

	/* A stored answer_id wins over every other rule: retries must get 200. */
	st = sqlite_stmt(s, ST_A_FIND);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	sqlite3_bind_text(st, 2, in->answer_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		err = sqlite_same_answer(st, in) ? SRV_OK : SRV_ECONFLICT;
		if (!err) {
			out->answer = sqlite_answer_row(st);
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
	err = sqlite_ws_state(s, in->max_answers);
	if (err)
		return err;

	st = sqlite_stmt(s, ST_Q_OPEN_IN_WS);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, in->question_id);
	sqlite3_bind_int64(st, 2, pk);
	err = sqlite_row(st);
	if (err)
		return err;
	err = sqlite3_column_int(st, 0) ? SRV_OK : SRV_ECLOSED;
	sqlite3_reset(st);
	if (err)
		return err;
	if (!allowed)
		return SRV_EINVAL;

	st = sqlite_stmt(s, ST_A_INSERT);
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
	sqlite3_bind_int(st, 9, in->flagged);
	sqlite3_bind_int(st, 10, in->flagged && in->held);
	err = sqlite_exec(s, st);
	if (err)
		return err;
	answer_pk = sqlite3_last_insert_rowid(s->db);
	st = sqlite_stmt(s, ST_Q_COUNT_NEW);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, in->question_id);
	err = sqlite_exec(s, st);
	if (err)
		return err;
	out->answer = json_pack("{s:I,s:s,s:I,s:s,s:s?,s:s?,s:s,s:b,s:b,s:b}", "id", (json_int_t)answer_pk,
				"answer_id", in->answer_id, "question_id", (json_int_t)in->question_id,
				"text", in->text, "group", in->group, "organisation", in->organisation,
				"created", now, "hidden", 0, "flagged", in->flagged, "held", in->flagged && in->held);
	if (!out->answer)
		return SRV_ENOMEM;
	out->created = true;
	return SRV_OK;
}

/* Answer `id` as an answer object into *out, its workshop's id into workshop_id.  SRV_ENOTFOUND. */
static enum srv_err sqlite_answer_get(struct store_conn *s, int64_t id, json_t **out,
			     char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st;
	int err;

	err = sqlite_row_by_id(s, ST_A_GET, id, &st);
	if (err)
		return err;
	*out = sqlite_answer_row(st);
	snprintf(workshop_id, LIMIT_WORKSHOP_ID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, ANSWER_NCOLS));
	sqlite3_reset(st);
	return *out ? SRV_OK : SRV_ENOMEM;
}

static enum srv_err sqlite_answer_set_hidden(struct store_conn *s, int64_t id, bool hidden, json_t **out,
			    char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st;
	int err;

	/* The flag and the question's counts change together or not at all. */
	err = sqlite_begin(s);
	if (err)
		return err;
	st = sqlite_stmt(s, ST_A_SET_HIDDEN);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, hidden);
	if (sqlite_exec(s, st))
		goto fail;
	/* Hiding a hidden answer changes nothing, so the counts stay right. */
	if (sqlite3_changes(s->db) == 1) {
		st = sqlite_stmt(s, ST_Q_COUNT_HIDE);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, hidden ? 1 : -1);
		if (sqlite_exec(s, st))
			goto fail;
	}
	err = sqlite_commit(s);
	if (err)
		goto fail;
	return sqlite_answer_get(s, id, out, workshop_id);
fail:
	sqlite_rollback(s);
	return SRV_EDB;
}

static enum srv_err sqlite_answer_set_held(struct store_conn *s, int64_t id, bool held, json_t **out,
			  char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_A_SET_HELD);
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, held);
	err = sqlite_exec(s, st);
	return err ? err : sqlite_answer_get(s, id, out, workshop_id);
}

/* An answer from ANSWER_COLS, with the column after them as "question" for STORE_ROW_QUESTION. */
static json_t *sqlite_answer_row_with(sqlite3_stmt *st, int flags)
{
	json_t *a = sqlite_answer_row(st);

	if (a && (flags & STORE_ROW_QUESTION) && json_object_set_new(a, "question", col_str(st, ANSWER_NCOLS))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static enum srv_err sqlite_answer_list(struct store_conn *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_A_LIST);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	return sqlite_rows(st, sqlite_answer_row_with, STORE_ROW_QUESTION, out);
}

static enum srv_err sqlite_answer_latest(struct store_conn *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_A_LATEST);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	return sqlite_rows(st, sqlite_answer_row_with, 0, out);
}

static enum srv_err sqlite_counts(struct store_conn *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_COUNTS);
	json_t *qs;
	json_int_t total = 0;
	char key[LIMIT_ID_TEXT];
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

static enum srv_err sqlite_answer_texts(struct store_conn *s, const char *workshop_id, int64_t question_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, question_id > 0 ? ST_TEXTS_Q : ST_TEXTS_WS);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	if (question_id > 0)
		sqlite3_bind_int64(st, 2, question_id);
	return sqlite_rows(st, sqlite_first_column, 0, out);
}

static enum srv_err sqlite_question_ids(struct store_conn *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_Q_IDS);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	return sqlite_rows(st, sqlite_first_column, STORE_ROW_INTEGER, out);
}

static enum srv_err sqlite_workshop_ids(struct store_conn *s, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_IDS);

	return st ? sqlite_rows(st, sqlite_first_column, 0, out) : SRV_EDB;
}


/* ---- lookups shared by series, decisions and votes ---- */

static json_t *col_int_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, i));
}

/* The row key of workshop (ST_WS_PK) or series (ST_SER_PK) `id`.  SRV_ENOTFOUND. */
static int sqlite_pk(struct store_conn *s, enum stmt_id stmt, const char *id, int64_t *pk)
{
	sqlite3_stmt *st = sqlite_stmt(s, stmt);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	return sqlite_lookup_int(st, pk);
}

/*
 * The row keys of a scope: *ws_pk for a workshop, *ser_pk for a series, the
 * other 0.  SRV_EINVAL unless exactly one id is given, SRV_ENOTFOUND.
 */
static int sqlite_scope_pk(struct store_conn *s, const char *workshop_id, const char *series_id, int64_t *ws_pk,
			  int64_t *ser_pk)
{
	*ws_pk = *ser_pk = 0;
	if (!workshop_id == !series_id)
		return SRV_EINVAL;
	return workshop_id ? sqlite_pk(s, ST_WS_PK, workshop_id, ws_pk) : sqlite_pk(s, ST_SER_PK, series_id, ser_pk);
}

/*
 * A scope's rows: `ws_stmt` for a workshop or `ser_stmt` for a series,
 * bound to the scope's row key, into *st.  Errors as sqlite_scope_pk, SRV_EDB.
 */
static int sqlite_scope_stmt(struct store_conn *s, const char *workshop_id, const char *series_id, enum stmt_id ws_stmt,
			    enum stmt_id ser_stmt, sqlite3_stmt **st)
{
	int64_t ws_pk, ser_pk;
	int err;

	err = sqlite_scope_pk(s, workshop_id, series_id, &ws_pk, &ser_pk);
	if (err)
		return err;
	*st = sqlite_stmt(s, workshop_id ? ws_stmt : ser_stmt);
	if (!*st)
		return SRV_EDB;
	sqlite3_bind_int64(*st, 1, workshop_id ? ws_pk : ser_pk);
	return SRV_OK;
}

/* ---- series ---- */

static json_t *sqlite_series_workshop_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:o,s:o,s:o,s:o,s:I}", "id", col_str(st, 0), "code", col_str(st, 1),
			 "title", col_str(st, 2), "created", col_str(st, 3),
			 "answers", (json_int_t)sqlite3_column_int64(st, 4));
}

static enum srv_err sqlite_series_get(struct store_conn *s, const char *id, json_t **out)
{
	sqlite3_stmt *st;
	json_t *series, *workshops;
	int64_t pk;
	int err;

	err = sqlite_row_by_text(s, ST_SER_BY_ID, id, &st);
	if (err)
		return err;
	pk = sqlite3_column_int64(st, 0);
	series = json_pack("{s:o,s:o,s:o}", "id", col_str(st, 1), "title", col_str(st, 2), "created", col_str(st, 3));
	sqlite3_reset(st);
	if (!series)
		return SRV_ENOMEM;
	st = sqlite_stmt(s, ST_SER_WORKSHOPS);
	if (!st) {
		json_decref(series);
		return SRV_EDB;
	}
	sqlite3_bind_int64(st, 1, pk);
	err = sqlite_rows(st, sqlite_series_workshop_row, 0, &workshops);
	if (!err && json_object_set_new(series, "workshops", workshops))
		err = SRV_ENOMEM;
	if (err) {
		json_decref(series);
		return err;
	}
	*out = series;
	return SRV_OK;
}

static enum srv_err sqlite_series_create(struct store_conn *s, int64_t key_id, const char *title, json_t **out)
{
	char id[LIMIT_WORKSHOP_ID_LEN + 1], now[STORE_TIME_LEN + 1];
	sqlite3_stmt *st = sqlite_stmt(s, ST_SER_INSERT);
	int err;

	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite_bind_key(st, 4, key_id);
	err = sqlite_insert_fresh(s, st, "series", id, NULL);
	return err ? err : sqlite_series_get(s, id, out);
}

static int sqlite_series_listed(struct store_conn *s, const json_t *id, const void *ctx, json_t **out)
{
	return sqlite_series_get(s, json_string_value(id), out);
}

static enum srv_err sqlite_series_list(struct store_conn *s, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SER_LIST);

	return st ? sqlite_get_each(s, st, 0, sqlite_series_listed, NULL, out) : SRV_EDB;
}

static enum srv_err sqlite_workshop_set_series(struct store_conn *s, const char *workshop_id, const char *series_id)
{
	int64_t ws_pk, ser_pk = 0;
	sqlite3_stmt *st;
	int err;

	err = sqlite_pk(s, ST_WS_PK, workshop_id, &ws_pk);
	if (!err && series_id)
		err = sqlite_pk(s, ST_SER_PK, series_id, &ser_pk);
	if (err)
		return err;
	st = sqlite_stmt(s, ST_WS_SET_SERIES);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, ws_pk);
	if (series_id)
		sqlite3_bind_int64(st, 2, ser_pk);
	else
		sqlite3_bind_null(st, 2);
	return sqlite_exec(s, st);
}

/* ---- scope answers ---- */

/* Text that came from validated input: skip jansson's UTF-8 re-check. */
static json_t *col_str_trusted(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? json_stringn_nocheck((const char *)t, (size_t)sqlite3_column_bytes(st, i)) : json_null();
}

/*
 * Values that repeat from row to row of a scope (question and workshop
 * columns), kept so consecutive rows share one reference instead of
 * allocating copies: with a live workshop's answers clustered by question,
 * this halves the allocations of a large scope.
 */
struct store_scope_cache {
	int64_t question, workshop_pk;
	json_t *q[4];               /* question_id, question, section, position */
	json_t *w[3];               /* workshop_id, workshop, code */
};

static void sqlite_scope_cache_clear(json_t **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_decref(v[i]);
		v[i] = NULL;
	}
}

/* Refill `v` from columns first.. when the key changed; false when out of memory. */
static bool sqlite_scope_cache_fill(sqlite3_stmt *st, int64_t key, int64_t *cached, json_t **v, size_t n, int first)
{
	size_t i;

	if (v[0] && *cached == key)
		return true;
	sqlite_scope_cache_clear(v, n);
	*cached = key;
	for (i = 0; i < n; i++) {
		int col = first + (int)i;
		v[i] = sqlite3_column_type(st, col) == SQLITE_INTEGER ? json_integer(sqlite3_column_int64(st, col))
								      : col_str_trusted(st, col);
		if (!v[i])
			return false;
	}
	return true;
}

/* One answer of ST_SCOPE_WS/ST_SCOPE_SER (column 14 is the workshop's pk). */
static json_t *sqlite_scope_row(sqlite3_stmt *st, struct store_scope_cache *c)
{
	static const char *const own[] = { "answer_id", "text", "group", "organisation", "created" };
	static const int own_col[] = { 1, 6, 7, 8, 9 };
	static const char *const q_names[] = { "question_id", "question", "section", "position" };
	static const char *const w_names[] = { "workshop_id", "workshop", "code" };
	json_t *a;
	size_t i;

	if (!sqlite_scope_cache_fill(st, sqlite3_column_int64(st, 2), &c->question, c->q, 4, 2) ||
	    !sqlite_scope_cache_fill(st, sqlite3_column_int64(st, 14), &c->workshop_pk, c->w, 3, 11))
		return NULL;
	a = json_object();
	if (!a || json_object_set_new_nocheck(a, "id", json_integer(sqlite3_column_int64(st, 0))) ||
	    json_object_set_new_nocheck(a, "hidden", json_boolean(sqlite3_column_int(st, 10))) ||
	    json_object_set_new_nocheck(a, "held", json_boolean(sqlite3_column_int(st, 15))))
		goto fail;
	for (i = 0; i < sizeof own / sizeof own[0]; i++)
		if (json_object_set_new_nocheck(a, own[i], col_str_trusted(st, own_col[i])))
			goto fail;
	for (i = 0; i < 4; i++)
		if (json_object_set_nocheck(a, q_names[i], c->q[i]))
			goto fail;
	for (i = 0; i < 3; i++)
		if (json_object_set_nocheck(a, w_names[i], c->w[i]))
			goto fail;
	return a;
fail:
	json_decref(a);
	return NULL;
}

static enum srv_err sqlite_scope_answers(struct store_conn *s, const char *workshop_id, const char *series_id, json_t **out)
{
	struct store_scope_cache cache = { 0 };
	sqlite3_stmt *st;
	json_t *arr;
	int rc = SQLITE_ROW, err;

	err = sqlite_scope_stmt(s, workshop_id, series_id, ST_SCOPE_WS, ST_SCOPE_SER, &st);
	if (err)
		return err;
	arr = json_array();
	while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (json_array_append_new(arr, sqlite_scope_row(st, &cache)))
			break;
	sqlite3_reset(st);
	sqlite_scope_cache_clear(cache.q, 4);
	sqlite_scope_cache_clear(cache.w, 3);
	if (!arr || rc != SQLITE_DONE) {
		json_decref(arr);
		return !arr || rc == SQLITE_ROW ? SRV_ENOMEM : SRV_EDB;
	}
	*out = arr;
	return SRV_OK;
}

/* ---- decisions ---- */

/* A decision record from DEC_COLS. */
static json_t *sqlite_decision_row(sqlite3_stmt *st, int flags)
{
	json_t *detail = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);

	if (!detail)
		return NULL;
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "kind", col_str(st, 1), "detail", detail, "key_id", col_int_or_null(st, 3),
			 "key_label", col_str(st, 4), "created", col_str(st, 5), "undone_by", col_int_or_null(st, 6));
}

/* Decision `id` as a record into *out; *ws_pk and *ser_pk its scope (0 when not that kind).  SRV_ENOTFOUND. */
static int sqlite_decision_get(struct store_conn *s, int64_t id, json_t **out, int64_t *ws_pk, int64_t *ser_pk)
{
	sqlite3_stmt *st;
	int err;

	err = sqlite_row_by_id(s, ST_DEC_GET, id, &st);
	if (err)
		return err;
	*ws_pk = sqlite3_column_int64(st, 7);
	*ser_pk = sqlite3_column_int64(st, 8);
	*out = sqlite_decision_row(st, 0);
	sqlite3_reset(st);
	return *out ? SRV_OK : SRV_ENOMEM;
}

/* Insert a decision of the scope (inside the caller's transaction); *id is its id.  SRV_EINVAL without "kind". */
static int sqlite_decision_insert(struct store_conn *s, int64_t ws_pk, int64_t ser_pk, int64_t key_id,
				 const json_t *detail, int64_t *id)
{
	const char *kind = json_string_value(json_object_get(detail, "kind"));
	sqlite3_stmt *st;
	char now[STORE_TIME_LEN + 1];
	char *text;
	int err;

	if (!kind)
		return SRV_EINVAL;
	text = json_dumps(detail, JSON_COMPACT);
	if (!text)
		return SRV_ENOMEM;
	st = sqlite_stmt(s, ST_DEC_INSERT);
	if (!st) {
		free(text);
		return SRV_EDB;
	}
	store_now(now);
	if (ws_pk)
		sqlite3_bind_int64(st, 1, ws_pk);
	if (ser_pk)
		sqlite3_bind_int64(st, 2, ser_pk);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, text, -1, SQLITE_TRANSIENT);
	sqlite_bind_key(st, 5, key_id);
	sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	free(text);
	if (!err)
		*id = sqlite3_last_insert_rowid(s->db);
	return err;
}

static enum srv_err sqlite_decision_add(struct store_conn *s, const char *workshop_id, const char *series_id, int64_t key_id,
		       const json_t *detail, json_t **out)
{
	int64_t ws_pk, ser_pk, id;
	int err;

	err = sqlite_scope_pk(s, workshop_id, series_id, &ws_pk, &ser_pk);
	if (!err)
		err = sqlite_decision_insert(s, ws_pk, ser_pk, key_id, detail, &id);
	if (!err)
		err = sqlite_decision_get(s, id, out, &ws_pk, &ser_pk);
	return err;
}

static enum srv_err sqlite_decision_undo(struct store_conn *s, const char *workshop_id, const char *series_id, int64_t key_id,
			int64_t decision_id, json_t **out)
{
	int64_t ws_pk, ser_pk, target_ws, target_ser, undo_id;
	json_t *target = NULL, *detail = NULL;
	sqlite3_stmt *st;
	int err;

	err = sqlite_scope_pk(s, workshop_id, series_id, &ws_pk, &ser_pk);
	if (err)
		return err;
	err = sqlite_begin(s);
	if (err)
		return err;
	err = sqlite_decision_get(s, decision_id, &target, &target_ws, &target_ser);
	if (err)
		goto fail;
	if (target_ws != ws_pk || target_ser != ser_pk) {
		err = SRV_ENOTFOUND;
		goto fail;
	}
	if (!json_is_null(json_object_get(target, "undone_by")) ||
	    strcmp(json_string_value(json_object_get(target, "kind")), "undo") == 0) {
		err = SRV_ECONFLICT;
		goto fail;
	}
	detail = json_pack("{s:s,s:I}", "kind", "undo", "decision", (json_int_t)decision_id);
	if (!detail) {
		err = SRV_ENOMEM;
		goto fail;
	}
	err = sqlite_decision_insert(s, ws_pk, ser_pk, key_id, detail, &undo_id);
	if (err)
		goto fail;
	st = sqlite_stmt(s, ST_DEC_SET_UNDONE);
	err = SRV_EDB;
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, decision_id);
	sqlite3_bind_int64(st, 2, undo_id);
	err = sqlite_exec(s, st);
	if (err)
		goto fail;
	err = sqlite_commit(s);
	if (err)
		goto fail;
	json_decref(target);
	json_decref(detail);
	return sqlite_decision_get(s, undo_id, out, &ws_pk, &ser_pk);
fail:
	sqlite_rollback(s);
	json_decref(target);
	json_decref(detail);
	return err;
}

static enum srv_err sqlite_decision_list(struct store_conn *s, const char *workshop_id, const char *series_id, json_t **out)
{
	sqlite3_stmt *st;
	int err;

	err = sqlite_scope_stmt(s, workshop_id, series_id, ST_DEC_LIST_WS, ST_DEC_LIST_SER, &st);
	return err ? err : sqlite_rows(st, sqlite_decision_row, 0, out);
}

/* ---- votes ---- */

static json_t *sqlite_vote_theme_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:o,s:o}", "id", col_str(st, 0), "label", col_str(st, 1));
}

static json_t *sqlite_vote_result_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:o,s:o,s:I,s:I}", "theme", col_str(st, 0), "label", col_str(st, 1),
			 "dots", (json_int_t)sqlite3_column_int64(st, 2),
			 "voters", (json_int_t)sqlite3_column_int64(st, 3));
}

/* Rows of a per-vote statement (ST_VT_LIST, ST_VOTE_RESULTS) as a member `name` of `vote`. */
static int sqlite_vote_part(struct store_conn *s, enum stmt_id stmt, int64_t id,
			   json_t *(*row)(sqlite3_stmt *st, int flags), const char *name, json_t *vote)
{
	sqlite3_stmt *st = sqlite_stmt(s, stmt);
	json_t *arr;
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, id);
	err = sqlite_rows(st, row, 0, &arr);
	if (err)
		return err;
	return json_object_set_new(vote, name, arr) ? SRV_ENOMEM : SRV_OK;
}

static enum srv_err sqlite_vote_get(struct store_conn *s, int64_t id, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st;
	json_t *vote;
	int err;

	err = sqlite_row_by_id(s, ST_VOTE_GET, id, &st);
	if (err)
		return err;
	vote = json_pack("{s:I,s:o,s:i,s:b,s:o,s:o,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "workshop_id", col_str(st, 1), "dots", sqlite3_column_int(st, 2),
			 "open", sqlite3_column_int(st, 3), "created", col_str(st, 4), "closed", col_str(st, 5),
			 "ballots", (json_int_t)sqlite3_column_int64(st, 6));
	if (vote && workshop_id)
		snprintf(workshop_id, LIMIT_WORKSHOP_ID_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	if (!vote)
		return SRV_ENOMEM;
	err = sqlite_vote_part(s, ST_VT_LIST, id, sqlite_vote_theme_row, "themes", vote);
	if (!err)
		err = sqlite_vote_part(s, ST_VOTE_RESULTS, id, sqlite_vote_result_row, "results", vote);
	if (err) {
		json_decref(vote);
		return err;
	}
	*out = vote;
	return SRV_OK;
}

/* Is `themes` 1..LIMIT_VOTE_THEMES_MAX objects with string "id" and "label"? */
static bool sqlite_vote_themes_ok(const json_t *themes)
{
	const json_t *t;
	size_t i;

	if (!json_is_array(themes) || json_array_size(themes) < 1 || json_array_size(themes) > LIMIT_VOTE_THEMES_MAX)
		return false;
	json_array_foreach(themes, i, t)
		if (!json_is_string(json_object_get(t, "id")) || !json_is_string(json_object_get(t, "label")))
			return false;
	return true;
}

/* Close every open vote of workshop `ws_pk` except `keep` (inside a transaction). */
static int sqlite_vote_close_others(struct store_conn *s, int64_t ws_pk, int64_t keep, const char *now)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_VOTE_CLOSE_OTHERS);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, ws_pk);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, keep);
	return sqlite_exec(s, st);
}

static enum srv_err sqlite_vote_open(struct store_conn *s, const char *workshop_id, int64_t key_id, int dots, const json_t *themes,
		    json_t **out)
{
	int64_t ws_pk, vote_id;
	sqlite3_stmt *st;
	const json_t *t;
	char now[STORE_TIME_LEN + 1];
	size_t i;
	int err, rc;

	if (dots < 1 || dots > LIMIT_VOTE_DOTS_MAX || !sqlite_vote_themes_ok(themes))
		return SRV_EINVAL;
	err = sqlite_pk(s, ST_WS_PK, workshop_id, &ws_pk);
	if (err)
		return err;
	err = sqlite_begin(s);
	if (err)
		return err;
	store_now(now);
	err = sqlite_vote_close_others(s, ws_pk, 0, now);
	if (err)
		goto fail;
	err = SRV_EDB;
	st = sqlite_stmt(s, ST_VOTE_INSERT);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, ws_pk);
	sqlite3_bind_int(st, 2, dots);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite_bind_key(st, 4, key_id);
	if (sqlite_exec(s, st))
		goto fail;
	vote_id = sqlite3_last_insert_rowid(s->db);
	json_array_foreach(themes, i, t) {
		st = sqlite_stmt(s, ST_VT_INSERT);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, vote_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(t, "id")), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, json_string_value(json_object_get(t, "label")), -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			/* The (vote, theme) key refuses a theme offered twice. */
			err = rc == SQLITE_CONSTRAINT ? SRV_EINVAL : SRV_EDB;
			goto fail;
		}
	}
	err = sqlite_commit(s);
	if (err)
		goto fail;
	return sqlite_vote_get(s, vote_id, out, NULL);
fail:
	sqlite_rollback(s);
	return err;
}

static enum srv_err sqlite_vote_set_open(struct store_conn *s, int64_t id, bool open, json_t **out,
			char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	sqlite3_stmt *st;
	int64_t ws_pk;
	char now[STORE_TIME_LEN + 1];
	int err;

	err = sqlite_begin(s);
	if (err)
		return err;
	err = sqlite_row_by_id(s, ST_VOTE_GET, id, &st);
	if (err)
		goto fail;
	ws_pk = sqlite3_column_int64(st, 7);
	sqlite3_reset(st);
	store_now(now);
	if (open) {
		err = sqlite_vote_close_others(s, ws_pk, id, now);
		if (err)
			goto fail;
		st = sqlite_stmt(s, ST_VOTE_REOPEN);
	} else {
		/* Closing a closed vote keeps the time it closed first. */
		st = sqlite_stmt(s, ST_VOTE_CLOSE);
		if (st)
			sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	}
	err = SRV_EDB;
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	err = sqlite_exec(s, st);
	if (!err)
		err = sqlite_commit(s);
	if (err)
		goto fail;
	return sqlite_vote_get(s, id, out, workshop_id);
fail:
	sqlite_rollback(s);
	return err;
}

static int sqlite_vote_listed(struct store_conn *s, const json_t *id, const void *ctx, json_t **out)
{
	return sqlite_vote_get(s, json_integer_value(id), out, NULL);
}

static enum srv_err sqlite_vote_list(struct store_conn *s, const char *workshop_id, json_t **out)
{
	sqlite3_stmt *st;
	int64_t ws_pk;
	int err;

	err = sqlite_pk(s, ST_WS_PK, workshop_id, &ws_pk);
	if (err)
		return err;
	st = sqlite_stmt(s, ST_VOTE_IDS);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, ws_pk);
	return sqlite_get_each(s, st, STORE_ROW_INTEGER, sqlite_vote_listed, NULL, out);
}

static enum srv_err sqlite_vote_current(struct store_conn *s, const char *workshop_id, json_t **out)
{
	int64_t ws_pk, vote_id;
	sqlite3_stmt *st;
	int err;

	err = sqlite_pk(s, ST_WS_PK, workshop_id, &ws_pk);
	if (err)
		return err;
	st = sqlite_stmt(s, ST_VOTE_OPEN_ID);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, ws_pk);
	err = sqlite_lookup_int(st, &vote_id);
	if (err == SRV_ENOTFOUND) {
		*out = json_null();
		return SRV_OK;
	}
	return err ? err : sqlite_vote_get(s, vote_id, out, NULL);
}

/* Does stored ballot `ballot` hold exactly the dots of `dots`?  SRV_OK yes, SRV_ECONFLICT no. */
static int sqlite_ballot_same(struct store_conn *s, int64_t ballot, const json_t *dots)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_BALLOT_DOTS);
	size_t rows = 0;
	int rc, err = SRV_OK;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, ballot);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const json_t *v = json_object_get(dots, (const char *)sqlite3_column_text(st, 0));
		rows++;
		if (!json_is_integer(v) || json_integer_value(v) != sqlite3_column_int64(st, 1))
			err = SRV_ECONFLICT;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return SRV_EDB;
	return err ? err : rows == json_object_size(dots) ? SRV_OK : SRV_ECONFLICT;
}

/* Are the ballot's dots themes of vote `vote_id`, each >= 1 and `limit` at most in all?  SRV_EINVAL if not. */
static int sqlite_ballot_valid(struct store_conn *s, int64_t vote_id, int limit, const json_t *dots)
{
	const char *theme;
	const json_t *v;
	json_int_t sum = 0;

	if (!json_is_object(dots) || json_object_size(dots) == 0)
		return SRV_EINVAL;
	json_object_foreach((json_t *)dots, theme, v) {
		sqlite3_stmt *st;
		int64_t one;
		int err;
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > limit)
			return SRV_EINVAL;
		sum += json_integer_value(v);
		if (sum > limit)
			return SRV_EINVAL;
		st = sqlite_stmt(s, ST_VT_HAS);
		if (!st)
			return SRV_EDB;
		sqlite3_bind_int64(st, 1, vote_id);
		sqlite3_bind_text(st, 2, theme, -1, SQLITE_TRANSIENT);
		err = sqlite_lookup_int(st, &one);
		if (err)
			return err == SRV_ENOTFOUND ? SRV_EINVAL : err;
	}
	return SRV_OK;
}

/* Insert a new ballot of `voter` and its dots (inside the caller's transaction). */
static int sqlite_ballot_insert(struct store_conn *s, int64_t vote_id, const char *voter,
				const struct store_ballot_in *in)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_BALLOT_INSERT);
	const char *theme;
	const json_t *v;
	int64_t ballot;
	char now[STORE_TIME_LEN + 1];
	int err;

	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_int64(st, 1, vote_id);
	sqlite3_bind_text(st, 2, in->client_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, voter, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	if (err)
		return err;
	ballot = sqlite3_last_insert_rowid(s->db);
	json_object_foreach((json_t *)in->dots, theme, v) {
		st = sqlite_stmt(s, ST_BD_INSERT);
		if (!st)
			return SRV_EDB;
		sqlite3_bind_int64(st, 1, ballot);
		sqlite3_bind_int64(st, 2, vote_id);
		sqlite3_bind_text(st, 3, theme, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, json_integer_value(v));
		err = sqlite_exec(s, st);
		if (err)
			return err;
	}
	return SRV_OK;
}

static enum srv_err sqlite_ballot_submit(struct store_conn *s, const struct store_ballot_in *in, bool *created, json_t **vote,
			char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1])
{
	char code[LIMIT_CODE_LEN + 1], ws[LIMIT_WORKSHOP_ID_LEN + 1], voter[PTOKEN_VOTER_LEN + 1];
	sqlite3_stmt *st;
	int64_t ballot;
	bool fresh, closed;
	int limit, open, err;

	if (!sqlite_code_norm(in->code, code))
		return SRV_ENOTFOUND;
	if (!in->client_id)
		return SRV_EINVAL;
	/* Reads and insert in one write transaction: two phones' ballots cannot interleave. */
	err = sqlite_begin(s);
	if (err)
		return err;
	err = SRV_EDB;
	st = sqlite_stmt(s, ST_BALLOT_VOTE);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, in->vote_id);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
	err = sqlite_row(st);
	if (err)
		goto fail;
	limit = sqlite3_column_int(st, 1);
	open = sqlite3_column_int(st, 2);
	snprintf(ws, sizeof ws, "%s", (const char *)sqlite3_column_text(st, 3));
	closed = sqlite3_column_int(st, 4);
	sqlite3_reset(st);
	/* Only a token the server issued for this workshop makes a voter. */
	err = ptoken_check(s->secret, ws, in->token, voter);
	if (err)
		goto fail;

	/* A stored ballot wins over every other rule: a retry gets 200 even after the vote closed. */
	err = SRV_EDB;
	st = sqlite_stmt(s, ST_BALLOT_FIND);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, in->vote_id);
	sqlite3_bind_text(st, 2, in->client_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, voter, -1, SQLITE_TRANSIENT);
	err = sqlite_lookup_int(st, &ballot);
	fresh = err == SRV_ENOTFOUND;
	if (err == SRV_OK) {
		err = sqlite_ballot_same(s, ballot, in->dots);
	} else if (fresh) {
		err = closed ? SRV_EGONE : open ? sqlite_ballot_valid(s, in->vote_id, limit, in->dots) : SRV_ECLOSED;
		if (!err)
			err = sqlite_ballot_insert(s, in->vote_id, voter, in);
	}
	if (err)
		goto fail;
	err = sqlite_commit(s);
	if (err)
		goto fail;
	err = sqlite_vote_get(s, in->vote_id, vote, NULL);
	if (!err) {
		*created = fresh;
		memcpy(workshop_id, ws, sizeof ws);
	}
	return err;
fail:
	sqlite_rollback(s);
	return err;
}

/* ---- lifecycle and data protection ---- */

static enum srv_err sqlite_secret(struct store_conn *s, unsigned char out[PTOKEN_SECRET_LEN])
{
	memcpy(out, s->secret, PTOKEN_SECRET_LEN);
	return SRV_OK;
}

/*
 * Run statement `stmt` bound to row key `pk` (?1) and, when `text` is
 * given, text ?2; *changes (may be NULL) gets the rows it changed.
 */
static int sqlite_exec_pk(struct store_conn *s, enum stmt_id stmt, int64_t pk, const char *text, int64_t *changes)
{
	sqlite3_stmt *st = sqlite_stmt(s, stmt);
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	if (!err && changes)
		*changes = sqlite3_changes64(s->db);
	return err;
}

/*
 * After a deletion: copy the WAL into the database and empty it, so the
 * deleted text (overwritten in the database by secure_delete) does not
 * linger in old WAL frames.  Best effort: with readers in the way it waits
 * STORE_SCRUB_BUSY_MS at most and leaves the rest to SQLite's automatic
 * checkpoints, which overwrite the WAL from its start.
 */
static void sqlite_scrub(struct store_conn *s)
{
	sqlite3_busy_timeout(s->db, STORE_SCRUB_BUSY_MS);
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
}

static enum srv_err sqlite_workshop_set_closed(struct store_conn *s, const char *id, bool closed, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_SET_CLOSED);
	char now[STORE_TIME_LEN + 1];
	int err;

	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (closed)
		sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	if (err)
		return err;
	if (sqlite3_changes(s->db) == 0)
		return SRV_ENOTFOUND;
	return sqlite_workshop_get(s, id, true, out);
}

/* Delete workshop `pk` and everything under it, children first (inside the caller's transaction). */
static int sqlite_workshop_delete_pk(struct store_conn *s, int64_t pk)
{
	static const enum stmt_id order[] = {
		ST_DEL_BALLOT_DOTS, ST_DEL_BALLOTS, ST_DEL_VOTE_THEMES, ST_DEL_VOTES, ST_DEL_DECISIONS_WS,
		ST_DEL_ANSWERS, ST_DEL_QUESTIONS, ST_DEL_WS,
	};
	size_t i;
	int err = SRV_OK;

	for (i = 0; !err && i < sizeof order / sizeof order[0]; i++)
		err = sqlite_exec_pk(s, order[i], pk, NULL, NULL);
	return err;
}

static enum srv_err sqlite_workshop_delete(struct store_conn *s, const char *id, json_t **out)
{
	sqlite3_stmt *st;
	json_t *info;
	int64_t pk;
	int err;

	err = sqlite_begin(s);
	if (err)
		return err;
	err = sqlite_row_by_text(s, ST_WS_DELETE_INFO, id, &st);
	if (err)
		goto fail;
	pk = sqlite3_column_int64(st, 0);
	info = json_pack("{s:s,s:o,s:o,s:I,s:I,s:I,s:I}", "id", id, "title", col_str(st, 1), "series", col_str(st, 2),
			 "answers", (json_int_t)sqlite3_column_int64(st, 3),
			 "votes", (json_int_t)sqlite3_column_int64(st, 4),
			 "ballots", (json_int_t)sqlite3_column_int64(st, 5),
			 "decisions", (json_int_t)sqlite3_column_int64(st, 6));
	sqlite3_reset(st);
	err = info ? sqlite_workshop_delete_pk(s, pk) : SRV_ENOMEM;
	if (!err)
		err = sqlite_commit(s);
	if (err) {
		json_decref(info);
		goto fail;
	}
	sqlite_scrub(s);
	*out = info;
	return SRV_OK;
fail:
	sqlite_rollback(s);
	return err;
}

static enum srv_err sqlite_series_delete(struct store_conn *s, const char *id, json_t **out)
{
	json_t *series = NULL, *ids = NULL, *w, *res;
	int64_t pk, decisions = 0;
	size_t i;
	int err;

	err = sqlite_begin(s);
	if (err)
		return err;
	err = sqlite_series_get(s, id, &series);
	if (!err)
		err = sqlite_pk(s, ST_SER_PK, id, &pk);
	if (!err && !(ids = json_array()))
		err = SRV_ENOMEM;
	json_array_foreach(json_object_get(series, "workshops"), i, w)
		if (!err && json_array_append(ids, json_object_get(w, "id")))
			err = SRV_ENOMEM;
	if (!err)
		err = sqlite_exec_pk(s, ST_SER_DETACH, pk, NULL, NULL);
	if (!err)
		err = sqlite_exec_pk(s, ST_DEL_DECISIONS_SER, pk, NULL, &decisions);
	if (!err)
		err = sqlite_exec_pk(s, ST_DEL_SER, pk, NULL, NULL);
	if (!err)
		err = sqlite_commit(s);
	if (err) {
		sqlite_rollback(s);
		json_decref(series);
		json_decref(ids);
		return err;
	}
	res = json_pack("{s:s,s:O,s:o,s:I}", "id", id, "title", json_object_get(series, "title"), "workshops", ids,
			"decisions", (json_int_t)decisions);
	json_decref(series);
	if (!res)
		return SRV_ENOMEM;
	sqlite_scrub(s);
	*out = res;
	return SRV_OK;
}

/* A purge candidate of ST_PURGE_WS / ST_PURGE_SER: {"id", "title", "last_activity"} (column 0 is its pk). */
static json_t *sqlite_purge_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:o,s:o,s:o,s:I}", "id", col_str(st, 1), "title", col_str(st, 2),
			 "last_activity", col_str(st, 3), "pk", (json_int_t)sqlite3_column_int64(st, 0));
}

/* The rows `stmt` finds before `before` into *out, deleted (workshops with everything under them). */
static int sqlite_purge_kind(struct store_conn *s, enum stmt_id stmt, const char *before, bool workshops,
			     json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, stmt);
	json_t *row;
	size_t i;
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, before, -1, SQLITE_TRANSIENT);
	err = sqlite_rows(st, sqlite_purge_row, 0, out);
	json_array_foreach(*out, i, row) {
		int64_t pk = json_integer_value(json_object_get(row, "pk"));
		if (!err)
			err = workshops ? sqlite_workshop_delete_pk(s, pk) : sqlite_exec_pk(s, ST_DEL_SER, pk, NULL, NULL);
		json_object_del(row, "pk");
	}
	if (err && !*out)
		return err;
	if (err) {
		json_decref(*out);
		*out = NULL;
	}
	return err;
}

static enum srv_err sqlite_purge(struct store_conn *s, const char *before, bool dry_run, json_t **out)
{
	json_t *workshops = NULL, *series = NULL;
	int err;

	/*
	 * One transaction, rolled back for a dry run: what a dry run lists is
	 * what a real run deletes (series emptied by the workshops' purge too),
	 * and a real run deletes all of it or nothing.
	 */
	err = sqlite_begin(s);
	if (err)
		return err;
	err = sqlite_purge_kind(s, ST_PURGE_WS, before, true, &workshops);
	if (!err)
		err = sqlite_purge_kind(s, ST_PURGE_SER, before, false, &series);
	if (!err)
		err = dry_run ? SRV_OK : sqlite_commit(s);
	sqlite_rollback(s);
	if (!err && !(*out = json_pack("{s:o,s:o}", "workshops", workshops, "series", series)))
		return SRV_ENOMEM;
	if (err) {
		json_decref(workshops);
		json_decref(series);
		return err;
	}
	if (!dry_run && (json_array_size(workshops) || json_array_size(series)))
		sqlite_scrub(s);
	return SRV_OK;
}

/* The client ids of workshop `pk` whose participant code is `code`, into a new array *out. */
static int sqlite_erase_clients(struct store_conn *s, int64_t pk, const char *code, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_ERASE_CLIENTS);
	json_t *ids, *id;
	size_t i;
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	err = sqlite_rows(st, sqlite_first_column, 0, &ids);
	if (err)
		return err;
	*out = json_array();
	json_array_foreach(ids, i, id) {
		char mine[PCODE_LEN + 1];
		if (!err && !*out)
			err = SRV_ENOMEM;
		if (!err)
			err = pcode_of_client(json_string_value(id), mine);
		if (!err && strcmp(mine, code) == 0 && json_array_append(*out, id))
			err = SRV_ENOMEM;
	}
	json_decref(ids);
	if (err) {
		json_decref(*out);
		*out = NULL;
	}
	return !err && !*out ? SRV_ENOMEM : err;
}

/* An erased answer: {"id", "question_id"}, for the presenters' screens. */
static json_t *sqlite_erased_row(sqlite3_stmt *st, int flags)
{
	return json_pack("{s:I,s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "question_id", (json_int_t)sqlite3_column_int64(st, 1));
}

/* Append client `client`'s answers of workshop `pk` as {"id", "question_id"} to `list`. */
static int sqlite_erase_list(struct store_conn *s, int64_t pk, const char *client, json_t *list)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_ERASE_LIST);
	json_t *rows;
	int err;

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, pk);
	sqlite3_bind_text(st, 2, client, -1, SQLITE_TRANSIENT);
	err = sqlite_rows(st, sqlite_erased_row, 0, &rows);
	if (err)
		return err;
	err = json_array_extend(list, rows) ? SRV_ENOMEM : SRV_OK;
	json_decref(rows);
	return err;
}

static enum srv_err sqlite_participant_erase(struct store_conn *s, const char *workshop_id, const char *code,
					     json_t **out)
{
	json_t *clients = NULL, *erased = json_array(), *id;
	int64_t pk, n, answers = 0, ballots = 0;
	size_t i;
	int err;

	if (!erased)
		return SRV_ENOMEM;
	err = sqlite_begin(s);
	if (err) {
		json_decref(erased);
		return err;
	}
	err = sqlite_pk(s, ST_WS_PK, workshop_id, &pk);
	if (!err)
		err = sqlite_erase_clients(s, pk, code, &clients);
	json_array_foreach(clients, i, id) {
		const char *client = json_string_value(id);
		if (!err)
			err = sqlite_erase_list(s, pk, client, erased);
		/* The counts first: they are computed from the rows about to go. */
		if (!err)
			err = sqlite_exec_pk(s, ST_ERASE_COUNTS, pk, client, NULL);
		if (!err && !(err = sqlite_exec_pk(s, ST_ERASE_ANSWERS, pk, client, &n)))
			answers += n;
		if (!err)
			err = sqlite_exec_pk(s, ST_ERASE_BALLOT_DOTS, pk, client, NULL);
		if (!err && !(err = sqlite_exec_pk(s, ST_ERASE_BALLOTS, pk, client, &n)))
			ballots += n;
	}
	json_decref(clients);
	if (!err)
		err = sqlite_commit(s);
	if (err) {
		sqlite_rollback(s);
		json_decref(erased);
		return err;
	}
	if (answers || ballots)
		sqlite_scrub(s);
	*out = json_pack("{s:I,s:I,s:o}", "answers", (json_int_t)answers, "ballots", (json_int_t)ballots,
			 "erased", erased);
	return *out ? SRV_OK : SRV_ENOMEM;
}

/* Run `sql` on `db`; SRV_OK, or SRV_EDB with SQLite's message logged under `what`. */
static int sqlite_exec_logged(sqlite3 *db, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return SRV_OK;
	fprintf(stderr, "store: %s: %s\n", what, msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return SRV_EDB;
}

/* fsync the file at `path`.  SRV_OK or SRV_ESYS. */
static int sqlite_fsync_path(const char *path)
{
	FILE *f = fopen(path, "rb+");
	int err;

	if (!f)
		return SRV_ESYS;
	err = fsync(fileno(f)) == 0 ? SRV_OK : SRV_ESYS;
	fclose(f);
	return err;
}

static enum srv_err sqlite_backup(struct store_conn *s, const char *dest)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *copy = NULL;
	int rc, err;

	/* VACUUM INTO refuses a file that exists and is not empty; it runs in one read transaction. */
	if (sqlite3_prepare_v2(s->db, "VACUUM INTO ?1", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "store: backup: %s\n", sqlite3_errmsg(s->db));
		return SRV_EDB;
	}
	sqlite3_bind_text(st, 1, dest, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		fprintf(stderr, "store: backup to %s: %s\n", dest, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return SRV_EDB;
	/* A copy of a WAL database is marked WAL; one file that opens anywhere is a better backup. */
	if (sqlite3_open_v2(dest, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		err = SRV_EDB;
	else
		err = sqlite_exec_logged(copy, "PRAGMA journal_mode = DELETE", "backup");
	sqlite3_close(copy);
	/* SQLite does not fsync what VACUUM INTO writes. */
	if (!err)
		err = sqlite_fsync_path(dest);
	return err;
}

static enum srv_err sqlite_restore(struct store_conn *s, const char *from)
{
	sqlite3_backup *b;
	sqlite3 *src = NULL;
	int rc;

	if (sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		fprintf(stderr, "store: restore: %s: %s\n", from, src ? sqlite3_errmsg(src) : "out of memory");
		sqlite3_close(src);
		return SRV_EDB;
	}
	b = sqlite3_backup_init(s->db, "main", src, "main");
	if (!b) {
		fprintf(stderr, "store: restore: %s\n", sqlite3_errmsg(s->db));
		sqlite3_close(src);
		return SRV_EDB;
	}
	/* -1: every page in one step, one transaction on the destination. */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	sqlite3_close(src);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "store: restore: %s\n", sqlite3_errstr(rc));
		return SRV_EDB;
	}
	/* The copy came in rollback-journal mode; the server runs in WAL. */
	return sqlite_exec_logged(s->db, "PRAGMA journal_mode = WAL", "restore");
}

/* The first column of the first row of `sql` on `db` as text into out[size]; false on any failure. */
static bool sqlite_first_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st;
	bool ok;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0);
	if (ok)
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return ok;
}

static enum srv_err sqlite_verify_file(const char *path, int *version, char *msg, size_t size)
{
	char text[256] = "";
	sqlite3 *db = NULL;
	int err = SRV_EDB;
	char *end;
	long v;

	if (!msg || !size) {
		msg = text;
		size = sizeof text;
	}
	snprintf(msg, size, "not a database this program can open");
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto out;
	if (!sqlite_first_text(db, "PRAGMA user_version", text, sizeof text))
		goto out;
	v = strtol(text, &end, 10);
	if (*end || v < 1 || v > STORE_VERSION ||
	    !sqlite_first_text(db, "SELECT name FROM sqlite_schema WHERE name = 'workshops'", text, sizeof text)) {
		snprintf(msg, size, "not an inspel database of schema 1..%d", STORE_VERSION);
		goto out;
	}
	if (!sqlite_first_text(db, "PRAGMA integrity_check", text, sizeof text) || strcmp(text, "ok") != 0) {
		snprintf(msg, size, "integrity_check: %s", text[0] ? text : sqlite3_errmsg(db));
		goto out;
	}
	*version = (int)v;
	snprintf(msg, size, "ok");
	err = SRV_OK;
out:
	sqlite3_close(db);
	return err;
}

/* ---- access: grants, what a key may see, presenter secrets ---- */

static enum srv_err sqlite_key_grant(struct store_conn *s, int64_t key_id, const char *workshop_id, const char *series_id)
{
	char now[STORE_TIME_LEN + 1];
	int64_t ws_pk, ser_pk, found;
	sqlite3_stmt *st;
	int err;

	err = sqlite_scope_pk(s, workshop_id, series_id, &ws_pk, &ser_pk);
	if (err)
		return err;
	st = sqlite_stmt(s, ST_KEY_ACTIVE_ID);
	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, key_id);
	err = sqlite_lookup_int(st, &found);
	if (err)
		return err;
	st = sqlite_stmt(s, ST_GRANT_INSERT);
	if (!st)
		return SRV_EDB;
	store_now(now);
	sqlite3_bind_int64(st, 1, key_id);
	if (ws_pk)
		sqlite3_bind_int64(st, 2, ws_pk);
	if (ser_pk)
		sqlite3_bind_int64(st, 3, ser_pk);
	sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
	return sqlite_exec(s, st);
}

static enum srv_err sqlite_key_may_see(struct store_conn *s, int64_t key_id, enum store_object kind, const char *id)
{
	static const enum stmt_id by_kind[] = {
		[STORE_WORKSHOP] = ST_SEE_WS, [STORE_SERIES] = ST_SEE_SER, [STORE_QUESTION] = ST_SEE_Q,
		[STORE_ANSWER] = ST_SEE_A, [STORE_VOTE] = ST_SEE_VOTE,
	};
	sqlite3_stmt *st;
	int64_t number, one;

	assert((size_t)kind < sizeof by_kind / sizeof by_kind[0]);
	st = sqlite_stmt(s, by_kind[kind]);
	if (!st)
		return SRV_EDB;
	if (kind == STORE_WORKSHOP || kind == STORE_SERIES) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	} else {
		/* A number as the path spells it: anything else names nothing. */
		if (!req_parse_id(id, &number))
			return SRV_ENOTFOUND;
		sqlite3_bind_int64(st, 1, number);
	}
	sqlite3_bind_int64(st, 2, key_id);
	return sqlite_lookup_int(st, &one);
}

static enum srv_err sqlite_workshop_list_for(struct store_conn *s, int64_t key_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_LIST_FOR);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, key_id);
	return sqlite_get_each(s, st, 0, sqlite_workshop_listed, NULL, out);
}

static enum srv_err sqlite_series_list_for(struct store_conn *s, int64_t key_id, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_SER_LIST_FOR);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_int64(st, 1, key_id);
	return sqlite_get_each(s, st, 0, sqlite_series_listed, NULL, out);
}

static enum srv_err sqlite_presenter_secret(struct store_conn *s, const char *id, char secret[STORE_SECRET_LEN + 1])
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_PRESENTER);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	return sqlite_lookup_text(st, secret, STORE_SECRET_LEN + 1);
}

static enum srv_err sqlite_presenter_renew(struct store_conn *s, const char *id, char secret[STORE_SECRET_LEN + 1])
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_WS_SET_PRESENTER);
	char fresh[STORE_SECRET_LEN + 1];
	int err;

	if (!st)
		return SRV_EDB;
	if (rnd_text(fresh, STORE_SECRET_LEN, RND_BASE32_ALPHABET))
		return SRV_ESYS;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, fresh, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	if (!err && sqlite3_changes(s->db) == 0)
		return SRV_ENOTFOUND;
	if (!err)
		memcpy(secret, fresh, sizeof fresh);
	return err;
}

/* ---- the audit log ---- */

static enum srv_err sqlite_audit_add(struct store_conn *s, int64_t key_id, const char *action, const char *workshop_id,
				    const char *series_id, const json_t *detail)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_AUDIT_INSERT);
	char now[STORE_TIME_LEN + 1];
	char *text = NULL;
	int err;

	if (!st)
		return SRV_EDB;
	if (detail && !(text = json_dumps(detail, JSON_COMPACT)))
		return SRV_ENOMEM;
	store_now(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite_bind_key(st, 2, key_id);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, workshop_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, series_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
	err = sqlite_exec(s, st);
	free(text);
	return err;
}

/* An entry of ST_AUDIT_LIST. */
static json_t *sqlite_audit_row(sqlite3_stmt *st, int flags)
{
	const unsigned char *text = sqlite3_column_text(st, 7);
	json_t *detail = text ? json_loads((const char *)text, 0, NULL) : NULL;

	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			 "created", col_str(st, 1), "action", col_str(st, 2), "key_id", col_int_or_null(st, 3),
			 "key_label", col_str(st, 4), "workshop_id", col_str(st, 5), "series_id", col_str(st, 6),
			 "detail", detail ? detail : json_null());
}

static enum srv_err sqlite_audit_list(struct store_conn *s, const char *workshop_id, const char *series_id,
				     const char *since, size_t limit, json_t **out)
{
	sqlite3_stmt *st = sqlite_stmt(s, ST_AUDIT_LIST);

	if (!st)
		return SRV_EDB;
	sqlite3_bind_text(st, 1, workshop_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, series_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, since, -1, SQLITE_TRANSIENT);
	/* A negative LIMIT is no limit in SQLite. */
	sqlite3_bind_int64(st, 4, limit ? (sqlite3_int64)limit : -1);
	return sqlite_rows(st, sqlite_audit_row, 0, out);
}

const struct store_backend store_sqlite = {
	.name = "sqlite",
	.serves = sqlite_serves,
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.key_create = sqlite_key_create,
	.key_auth = sqlite_key_auth,
	.key_revoke = sqlite_key_revoke,
	.key_count = sqlite_key_count,
	.key_list = sqlite_key_list,
	.workshop_create = sqlite_workshop_create,
	.workshop_get = sqlite_workshop_get,
	.workshop_by_code = sqlite_workshop_by_code,
	.workshop_list = sqlite_workshop_list,
	.workshop_newest = sqlite_workshop_newest,
	.workshop_code = sqlite_workshop_code,
	.question_set_open = sqlite_question_set_open,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.answer_submit = sqlite_answer_submit,
	.answer_set_hidden = sqlite_answer_set_hidden,
	.answer_list = sqlite_answer_list,
	.answer_latest = sqlite_answer_latest,
	.counts = sqlite_counts,
	.answer_texts = sqlite_answer_texts,
	.question_ids = sqlite_question_ids,
	.workshop_ids = sqlite_workshop_ids,
	.series_create = sqlite_series_create,
	.series_get = sqlite_series_get,
	.series_list = sqlite_series_list,
	.workshop_set_series = sqlite_workshop_set_series,
	.scope_answers = sqlite_scope_answers,
	.decision_add = sqlite_decision_add,
	.decision_undo = sqlite_decision_undo,
	.decision_list = sqlite_decision_list,
	.vote_open = sqlite_vote_open,
	.vote_set_open = sqlite_vote_set_open,
	.vote_get = sqlite_vote_get,
	.vote_list = sqlite_vote_list,
	.vote_current = sqlite_vote_current,
	.ballot_submit = sqlite_ballot_submit,
	.secret = sqlite_secret,
	.workshop_set_closed = sqlite_workshop_set_closed,
	.workshop_delete = sqlite_workshop_delete,
	.series_delete = sqlite_series_delete,
	.purge = sqlite_purge,
	.participant_erase = sqlite_participant_erase,
	.backup = sqlite_backup,
	.restore = sqlite_restore,
	.verify_file = sqlite_verify_file,
	.answer_set_held = sqlite_answer_set_held,
	.key_grant = sqlite_key_grant,
	.key_may_see = sqlite_key_may_see,
	.workshop_list_for = sqlite_workshop_list_for,
	.series_list_for = sqlite_series_list_for,
	.presenter_secret = sqlite_presenter_secret,
	.presenter_renew = sqlite_presenter_renew,
	.audit_add = sqlite_audit_add,
	.audit_list = sqlite_audit_list,
};

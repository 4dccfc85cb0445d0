/*
 * store.h - all persistent state behind one interface, whatever the backend.
 *
 * A struct store is one connection to one backend (store/backend.h says
 * how a backend plugs in; SQLite, store/sqlite.c, is the one there is).
 * The store takes its own lock around every call, so any thread may use a
 * shared struct store and no caller holds a lock of its own around store
 * calls; a call waits while another thread is inside one.  The answer
 * write path is the exception that proves the rule: the writer thread calls
 * store_begin, store_answer_submit for each queued answer and store_commit,
 * so many answers share one fsync (group commit), and the lock is held
 * from store_begin until store_commit or store_rollback returns.
 *
 * Reads return jansson objects in the store model documented at each
 * function; every backend fills the same shapes.  Every function returns
 * SRV_OK or a negative srv_err; on error no output is set.  Returned json_t
 * objects belong to the caller (json_decref).
 */
#ifndef INSPEL_STORE_H
#define INSPEL_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "base/keys.h"
#include "base/ptoken.h"
#include "base/srv_err.h"
#include "wire/limits.h"

#define STORE_LATEST_ANSWERS 200   /* answers in a presenter snapshot */
#define STORE_SCHEMA_VERSION 6     /* PRAGMA user_version after all migrations */
#define STORE_TEXTS_MAX 5000       /* latest answers a word cloud is computed from */

#define STORE_TIME_LEN 20          /* "2026-11-23T09:15:02Z" */
#define STORE_SECRET_LEN 32        /* characters of a presenter secret (160 random bits) */
#define STORE_KEY_TOUCH_SECS 60    /* a key's last_used is written at most this often */

struct store;

/* The current time as ISO 8601 UTC (no backend involved; never fails), the form of every time the store keeps and the API shows. */
void store_now(char out[STORE_TIME_LEN + 1]);

/* Time `t` in the form of store_now. */
void store_time(time_t t, char out[STORE_TIME_LEN + 1]);

/*
 * Open (creating if needed) the database at `path`, switch on WAL,
 * synchronous=FULL, foreign keys and a busy timeout, and run pending schema
 * migrations, each in its own transaction.  *out is owned by the caller and
 * freed with store_close.  SRV_EDB or SRV_ENOMEM on failure.
 */
enum srv_err store_open(struct store **out, const char *path);

/* Finish statements and close the connection.  NULL is a no-op. */
void store_close(struct store *s);

/* The schema version after migrations (PRAGMA user_version). */
enum srv_err store_schema_version(struct store *s, int *version);

/* ---- facilitator keys and what each may see ---- */

/*
 * A key's scope: an admin key sees and changes every workshop and series;
 * any other key only those it created, those it was granted
 * (store_key_grant), and the workshops of a series it created or was
 * granted.  A key is active until it is revoked or its `expires` time has
 * passed; an inactive key is refused exactly like an unknown one.
 */
struct store_key_new {
	const char *label;          /* may be NULL */
	bool admin;
	const char *expires;        /* a time in store_now's form, or NULL: never */
};

/* The active key a request presented. */
struct store_key {
	int64_t id;
	bool admin;
};

/*
 * Store a key hash as `in` says.  The first key of a database (no key at
 * all, revoked ones included) is an admin key whatever `in->admin` says:
 * whoever set the database up can reach everything in it.  *id (may be
 * NULL) is the new key's id.
 */
enum srv_err store_key_create(struct store *s, const unsigned char hash[KEYS_HASH_LEN], const struct store_key_new *in,
			      int64_t *id);

/* store_key_create of an ordinary key with a label (may be NULL) that never expires. */
enum srv_err store_key_add(struct store *s, const unsigned char hash[KEYS_HASH_LEN], const char *label, int64_t *id);

/*
 * Find the active key whose hash matches `text`, comparing every stored
 * hash in constant time, into *key.  Records the time as the key's
 * last_used when the stored one is STORE_KEY_TOUCH_SECS old or more (a
 * write at most once a minute per key, not per request; a failed write
 * does not refuse the key).  SRV_EAUTH when no active key matches.
 */
enum srv_err store_key_auth(struct store *s, const char *text, struct store_key *key);

/* store_key_auth giving only the key's id (key_id may be NULL). */
enum srv_err store_key_verify(struct store *s, const char *text, int64_t *key_id);

/* Revoke key `id`.  SRV_ENOTFOUND when there is no such key. */
enum srv_err store_key_revoke(struct store *s, int64_t id);

/* Number of active keys (neither revoked nor expired). */
enum srv_err store_key_count(struct store *s, int64_t *count);

/*
 * Every key as [{"id", "label", "created", "revoked", "admin", "expires"
 * (time or null), "last_used" (time or null), "grants": [{"workshop": id}
 * or {"series": id}]}], oldest first.
 */
enum srv_err store_key_list(struct store *s, json_t **out);

/*
 * Let key `key_id` see and change a workshop or a series (exactly one of
 * the ids; SRV_EINVAL otherwise).  Granting twice is no error.
 * SRV_ENOTFOUND when the key is unknown or revoked, or the workshop or
 * series is unknown.
 */
enum srv_err store_key_grant(struct store *s, int64_t key_id, const char *workshop_id, const char *series_id);

/* What a path can name, for store_key_may_see. */
enum store_object {
	STORE_WORKSHOP,             /* by its id */
	STORE_SERIES,               /* by its id */
	STORE_QUESTION,             /* by its number, as text: its workshop decides */
	STORE_ANSWER,               /* likewise */
	STORE_VOTE,                 /* likewise */
};

/*
 * SRV_OK when key `key_id` may see the object of `kind` named `id`;
 * SRV_ENOTFOUND both when it does not exist and when the key may not see
 * it, so a caller cannot tell the two apart; SRV_EDB.
 */
enum srv_err store_key_may_see(struct store *s, int64_t key_id, enum store_object kind, const char *id);

/* ---- the audit log: who did what ---- */

/*
 * What an audit entry records.  New actions go at the end (before
 * STORE_AUDIT_COUNT) with their name in store.c's table.
 */
enum store_audit_action {
	STORE_AUDIT_WORKSHOP_CREATE,   /* "workshop.create" */
	STORE_AUDIT_WORKSHOP_SERIES,   /* "workshop.series": put in a series or taken out; detail {"series", "from"} */
	STORE_AUDIT_SERIES_CREATE,     /* "series.create" */
	STORE_AUDIT_QUESTION_OPEN,     /* "question.open"; detail {"question"} */
	STORE_AUDIT_QUESTION_CLOSE,    /* "question.close"; detail {"question"} */
	STORE_AUDIT_ANSWER_HIDE,       /* "answer.hide"; detail {"answer"} */
	STORE_AUDIT_ANSWER_SHOW,       /* "answer.show"; detail {"answer"} */
	STORE_AUDIT_DECISION_ADD,      /* "decision.add"; detail {"decision", "kind"} */
	STORE_AUDIT_DECISION_UNDO,     /* "decision.undo"; detail {"decision", "undone"} */
	STORE_AUDIT_VOTE_OPEN,         /* "vote.open"; detail {"vote"} */
	STORE_AUDIT_VOTE_CLOSE,        /* "vote.close"; detail {"vote"} */
	STORE_AUDIT_REPORT,            /* "report.download"; detail {"format", "lang"} */
	STORE_AUDIT_PRESENTER_RENEW,   /* "presenter.renew": a new presenter link, the old one stops working */
	STORE_AUDIT_KEY_ADD,           /* "key.add"; detail {"key", "admin", "expires"} */
	STORE_AUDIT_KEY_GRANT,         /* "key.grant"; detail {"key"} */
	STORE_AUDIT_KEY_REVOKE,        /* "key.revoke"; detail {"key"} */
	STORE_AUDIT_ANSWER_RELEASE,    /* "answer.release": a held answer with personal data let through; detail {"answer"} */
	STORE_AUDIT_ANSWER_HOLD,       /* "answer.hold": held off the projector again; detail {"answer"} */
	STORE_AUDIT_WORKSHOP_CLOSE,    /* "workshop.close" */
	STORE_AUDIT_WORKSHOP_REOPEN,   /* "workshop.reopen" */
	STORE_AUDIT_WORKSHOP_DELETE,   /* "workshop.delete"; detail: what went (id, title, counts) */
	STORE_AUDIT_SERIES_DELETE,     /* "series.delete"; detail: what went */
	STORE_AUDIT_PARTICIPANT_ERASE, /* "participant.erase"; detail {"code", "answers", "ballots"} */
	STORE_AUDIT_PURGE,             /* "database.purge"; detail {"before", "workshops", "series"} */
	STORE_AUDIT_COUNT
};

/* The action's name as entries show it ("workshop.create", ...); never NULL. */
const char *store_audit_name(enum store_audit_action action);

/*
 * Record that key `key_id` (0: the command line, no key) did `action` to
 * workshop `workshop_id` and/or series `series_id` (either may be NULL),
 * with `detail` (an object, not stolen; may be NULL).  The key's label is
 * copied into the entry, and ids are kept as text, so an entry outlives
 * what it names.  One call, one row: SRV_OK, SRV_ENOMEM, SRV_EDB.
 */
enum srv_err store_audit_add(struct store *s, int64_t key_id, enum store_audit_action action,
			     const char *workshop_id, const char *series_id, const json_t *detail);

/*
 * Audit entries newest first, as [{"id", "created", "action", "key_id"
 * (null: the command line), "key_label", "workshop_id", "series_id",
 * "detail" (object or null)}]: only those of `workshop_id` and of
 * `series_id` when given, only those created at or after `since` (a time
 * in store_now's form) when given, at most `limit` (0: all).
 */
enum srv_err store_audit_list(struct store *s, const char *workshop_id, const char *series_id, const char *since,
			      size_t limit, json_t **out);

/* ---- workshops and questions ---- */

/*
 * Create a workshop with a fresh unguessable id and a unique join code.
 * `organisations` is a JSON array of strings, `questions` a JSON array of
 * {"section", "text"} objects, both already validated; neither is stolen.
 * *out is the workshop as store_workshop_get returns it (without "hidden").
 */
enum srv_err store_workshop_create(struct store *s, int64_t key_id, const char *title,
			  json_t *organisations, json_t *questions, json_t **out);

/*
 * The workshop: {"id", "code", "title", "organisations": [text],
 * "created", "series": id or null, "closed": time or null, "questions": [{"id", "section",
 * "position", "text", "open", "answers": visible count}]}; with `hidden`
 * each question also carries "hidden", its count of hidden answers.
 * (Where phones join is the HTTP layer's business, not the store's.)
 * SRV_ENOTFOUND.
 */
enum srv_err store_workshop_get(struct store *s, const char *id, bool hidden, json_t **out);

/*
 * By join code (any case): {"id", "code", "title", "organisations",
 * "questions"} without counts.  SRV_ENOTFOUND; SRV_EGONE when the workshop
 * is closed (its code joins no one).
 */
enum srv_err store_workshop_by_code(struct store *s, const char *code, json_t **out);

/* Every workshop as an array, newest first, each as store_workshop_get without hidden counts. */
enum srv_err store_workshop_list(struct store *s, json_t **out);

/* store_workshop_list of the workshops key `key_id` (> 0) may see (store_key_may_see). */
enum srv_err store_workshop_list_for(struct store *s, int64_t key_id, json_t **out);

/*
 * The presenter secret of workshop `id` into `secret` (STORE_SECRET_LEN +
 * 1): what opens its projector view without a key.  Never part of a
 * workshop object, so no snapshot or join object carries it.  SRV_ENOTFOUND.
 */
enum srv_err store_presenter_secret(struct store *s, const char *id, char secret[STORE_SECRET_LEN + 1]);

/* Give workshop `id` a new presenter secret (into `secret`); the old one stops working.  SRV_ENOTFOUND. */
enum srv_err store_presenter_renew(struct store *s, const char *id, char secret[STORE_SECRET_LEN + 1]);

/*
 * SRV_OK when `secret` is workshop `id`'s presenter secret, compared in
 * constant time; SRV_EAUTH when it is not or there is no such workshop
 * (the same answer, so a guess learns nothing of which ids exist).
 */
enum srv_err store_presenter_check(struct store *s, const char *id, const char *secret);

/* The id of the newest workshop into `id` (LIMIT_WORKSHOP_ID_LEN + 1). SRV_ENOTFOUND if none. */
enum srv_err store_workshop_newest(struct store *s, char id[LIMIT_WORKSHOP_ID_LEN + 1]);

/*
 * The id of the workshop `text` names, as its id or its join code (any
 * case), into `id` (LIMIT_WORKSHOP_ID_LEN + 1): what a person types on a
 * command line.  SRV_ENOTFOUND.
 */
enum srv_err store_workshop_resolve(struct store *s, const char *text, char id[LIMIT_WORKSHOP_ID_LEN + 1]);

/* Join code of workshop `id` into `code` (LIMIT_CODE_LEN + 1).  SRV_ENOTFOUND. */
enum srv_err store_workshop_code(struct store *s, const char *id, char code[LIMIT_CODE_LEN + 1]);

/*
 * Open or close a question.  *out is the question object (with "answers"),
 * and workshop_id (LIMIT_WORKSHOP_ID_LEN + 1) receives its workshop's id.
 */
enum srv_err store_question_set_open(struct store *s, int64_t question_id, bool open, json_t **out,
			    char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);

/* ---- answers ---- */

struct store_answer_in {
	const char *code;          /* join code as the phone sent it */
	int64_t question_id;
	const char *answer_id;     /* validated */
	const char *client_id;     /* may be NULL */
	const char *text;          /* NFC, trimmed, validated */
	const char *group;         /* may be NULL */
	const char *organisation;  /* may be NULL */
	bool retry_only;           /* rate-limited: only a stored retry may succeed */
	int64_t max_answers;       /* the workshop's answer cap (hidden answers count too); 0: none */
	bool flagged;              /* the text has personal data (pii_found, analysis/text/pii.h) */
	bool held;                 /* with flagged: keep it off the projector until let through */
};

struct store_answer_out {
	json_t *answer;            /* the answer object; caller decrefs */
	bool created;              /* true: newly inserted; false: a stored retry */
	char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1];
};

/*
 * The write transaction that store_answer_submit runs in.  store_begin
 * takes the store's lock and keeps it on success (on failure nothing is
 * held); store_commit releases it whatever happens, rolling back when the
 * COMMIT fails; store_rollback releases it and is a no-op outside a
 * transaction, so a caller may call it after any failure.  Between them the
 * thread that began may call store_answer_submit only: any other store call
 * from that thread would wait for its own lock (asserted).
 */
enum srv_err store_begin(struct store *s);
enum srv_err store_commit(struct store *s);
void store_rollback(struct store *s);

/*
 * Insert one answer inside a store_begin transaction, or find it stored.
 * SRV_OK with out->created telling which (a stored retry succeeds whatever
 * else changed since).  Errors: SRV_ENOTFOUND (code or question),
 * SRV_ECONFLICT (answer_id used for another question or text), SRV_EGONE
 * (the workshop is closed), SRV_ELIMIT (in->max_answers reached),
 * SRV_ECLOSED (the question is closed), SRV_EINVAL (organisation not in the
 * workshop's list), SRV_ERATE (in->retry_only and not a stored retry), SRV_EDB.
 */
enum srv_err store_answer_submit(struct store *s, const struct store_answer_in *in, struct store_answer_out *out);

/*
 * Hide or show an answer.  *out is the answer object; workshop_id receives
 * its workshop's id.  SRV_ENOTFOUND.
 */
enum srv_err store_answer_set_hidden(struct store *s, int64_t id, bool hidden, json_t **out,
			    char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);

/*
 * Let a held answer through (`held` false) or hold it again (true: only an
 * answer with personal data, "flagged", can be held; for any other the
 * call changes nothing).  A held answer is left out of
 * store_answer_latest and store_answer_texts and carries "held": true in
 * store_scope_answers, so it stays off the projector, the word cloud and
 * the presenter's quotes; it still counts everywhere.  *out is the answer
 * object; workshop_id receives its workshop's id.  SRV_ENOTFOUND.
 */
enum srv_err store_answer_set_held(struct store *s, int64_t id, bool held, json_t **out,
			  char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);

/*
 * Every answer of the workshop, oldest first, as an array of answer objects
 * {"id", "answer_id", "question_id", "text", "group", "organisation",
 * "created", "hidden", "flagged", "held"} each with "question": the
 * question's text.  (Every answer object of the store has "flagged": the
 * text has personal data, and "held": it is kept off the projector.)
 */
enum srv_err store_answer_list(struct store *s, const char *workshop_id, json_t **out);

/* The latest STORE_LATEST_ANSWERS visible answers, held ones left out, as a JSON array, oldest first. */
enum srv_err store_answer_latest(struct store *s, const char *workshop_id, json_t **out);

/* {"questions": {"17": 12}, "total": 12}: visible answers per question. */
enum srv_err store_counts(struct store *s, const char *workshop_id, json_t **out);

/*
 * Visible answer texts of one question (question_id > 0) or of the whole
 * workshop (question_id == 0), held ones left out, as a JSON array of
 * strings: the latest STORE_TEXTS_MAX, so a word cloud costs the same at
 * any size.
 */
enum srv_err store_answer_texts(struct store *s, const char *workshop_id, int64_t question_id, json_t **out);

/* Question ids of a workshop as a JSON array of integers, by position. */
enum srv_err store_question_ids(struct store *s, const char *workshop_id, json_t **out);

/* Ids of every workshop as a JSON array of strings. */
enum srv_err store_workshop_ids(struct store *s, json_t **out);

/* ---- series ---- */

/*
 * Create a series with a fresh unguessable id (LIMIT_WORKSHOP_ID_LEN
 * characters, like a workshop's).  *out is the series as store_series_get
 * returns it (no workshops yet).
 */
enum srv_err store_series_create(struct store *s, int64_t key_id, const char *title, json_t **out);

/*
 * {"id", "title", "created", "workshops": [{"id", "code", "title", "created",
 * "answers": visible count}]} with workshops oldest first.  SRV_ENOTFOUND.
 */
enum srv_err store_series_get(struct store *s, const char *id, json_t **out);

/* Every series as an array, newest first, each as store_series_get. */
enum srv_err store_series_list(struct store *s, json_t **out);

/* store_series_list of the series key `key_id` (> 0) may see. */
enum srv_err store_series_list_for(struct store *s, int64_t key_id, json_t **out);

/*
 * Put a workshop in a series (series_id NULL: take it out).  SRV_ENOTFOUND
 * when either does not exist.  Workshop objects (store_workshop_get, _list)
 * carry "series": the id or null.
 */
enum srv_err store_workshop_set_series(struct store *s, const char *workshop_id, const char *series_id);

/*
 * Every answer of a scope, hidden ones included, as a JSON array ordered by
 * workshop (creation order) then answer id: each {"id", "answer_id",
 * "question_id", "question" (text), "section", "position", "text", "group",
 * "organisation", "created", "hidden", "held", "workshop_id", "workshop"
 * (title), "code"}.  Exactly one of workshop_id and series_id is non-NULL (else
 * SRV_EINVAL).  SRV_ENOTFOUND for an unknown workshop or series (an empty
 * one gives []).  One indexed query; consecutive rows of one question or
 * workshop share their question and workshop values (read them, do not
 * json_string_set them).
 */
enum srv_err store_scope_answers(struct store *s, const char *workshop_id, const char *series_id, json_t **out);

/* ---- decisions (curation) ---- */

/*
 * Record a decision of a scope (exactly one of workshop_id and series_id).
 * `detail` is the decision object (with "kind"); it is stored as compact
 * JSON and not stolen.  *out is the record: {"id", "kind", "detail",
 * "key_id", "key_label", "created", "undone_by": null}; key_id 0 (no key,
 * e.g. the command line) gives "key_id" and "key_label" null.
 * SRV_ENOTFOUND; SRV_EINVAL when detail has no string "kind" or the scope
 * is not exactly one of the two.
 */
enum srv_err store_decision_add(struct store *s, const char *workshop_id, const char *series_id, int64_t key_id,
		       const json_t *detail, json_t **out);

/*
 * Take back decision `decision_id` of the scope: records an "undo"
 * decision {"kind": "undo", "decision": id} and sets the target's
 * "undone_by" to it, in one transaction.  *out is the undo's record.
 * SRV_ENOTFOUND (not a decision of this scope), SRV_ECONFLICT (already
 * undone, or itself an undo).
 */
enum srv_err store_decision_undo(struct store *s, const char *workshop_id, const char *series_id, int64_t key_id,
			int64_t decision_id, json_t **out);

/* The scope's decision records as an array, oldest first, undone ones and undos included.  SRV_ENOTFOUND. */
enum srv_err store_decision_list(struct store *s, const char *workshop_id, const char *series_id, json_t **out);

/* ---- votes ---- */

/*
 * Open a vote in a workshop: `dots` (1..LIMIT_VOTE_DOTS_MAX) per phone over
 * `themes`, a JSON array of {"id", "label"} (1..LIMIT_VOTE_THEMES_MAX, not
 * stolen).  Any other open vote of the workshop is closed in the same
 * transaction.  *out is the vote object of docs/API.md, with ballots and
 * results (strip them for phones).  SRV_ENOTFOUND; SRV_EINVAL for dots or
 * themes outside those rules or a theme id given twice (nothing stored).
 */
enum srv_err store_vote_open(struct store *s, const char *workshop_id, int64_t key_id, int dots, const json_t *themes,
		    json_t **out);

/*
 * Close or reopen vote `id` (reopening closes the workshop's other open
 * vote; closing a closed vote keeps its "closed" time).  *out is the vote;
 * workshop_id receives its workshop.  SRV_ENOTFOUND.
 */
enum srv_err store_vote_set_open(struct store *s, int64_t id, bool open, json_t **out,
			char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);

/* The vote object with ballots and results; workshop_id may be NULL.  SRV_ENOTFOUND. */
enum srv_err store_vote_get(struct store *s, int64_t id, json_t **out, char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);

/* The workshop's votes as an array, oldest first.  SRV_ENOTFOUND for an unknown workshop. */
enum srv_err store_vote_list(struct store *s, const char *workshop_id, json_t **out);

/* The workshop's open vote into *out, or json null when none is open.  SRV_ENOTFOUND. */
enum srv_err store_vote_current(struct store *s, const char *workshop_id, json_t **out);

struct store_ballot_in {
	const char *code;          /* join code as the phone sent it */
	int64_t vote_id;
	const char *client_id;     /* validated, required */
	const char *token;         /* the participant token of GET /api/join (base/ptoken.h), untrusted; may be NULL */
	const json_t *dots;        /* {"theme id": n >= 1}, validated in shape */
};

/*
 * Store one phone's ballot, in one write transaction.  The token must be
 * one the server issued for the vote's workshop, and its voter casts one
 * ballot per vote.  SRV_OK with *created true, or false when this voter or
 * this client_id already sent exactly these dots (a retry, which succeeds
 * even after the vote or the workshop closed); *vote is the vote with
 * results (caller decrefs) and workshop_id its workshop.  Errors:
 * SRV_ENOTFOUND (code, or vote not of that workshop), SRV_EAUTH (no token,
 * or not one of this workshop's), SRV_EGONE (workshop closed), SRV_ECLOSED,
 * SRV_EINVAL (a theme not in the vote, a value below 1, more dots than the
 * vote gives, no dots, no client_id), SRV_ECONFLICT (this voter or phone
 * already voted otherwise), SRV_EDB (also when the database stayed busy past the
 * busy timeout).
 */
enum srv_err store_ballot_submit(struct store *s, const struct store_ballot_in *in, bool *created, json_t **vote,
			char workshop_id[LIMIT_WORKSHOP_ID_LEN + 1]);

/* ---- lifecycle and data protection (docs/PRIVACY.md) ---- */

/* The server secret that signs participant tokens, made at the first open and kept in the database. */
enum srv_err store_secret(struct store *s, unsigned char out[PTOKEN_SECRET_LEN]);

/*
 * Close a workshop (`closed` true; closing a closed one keeps the time it
 * closed first) or reopen it.  A closed workshop's join code joins no one
 * and takes no answers or ballots (SRV_EGONE); facilitators still read
 * everything.  *out is the workshop as store_workshop_get returns it.
 * SRV_ENOTFOUND.
 */
enum srv_err store_workshop_set_closed(struct store *s, const char *id, bool closed, json_t **out);

/*
 * Delete a workshop and everything under it (questions, answers, votes,
 * ballots, decisions) in one transaction; its join code is free again.
 * *out is {"id", "title", "series": id or null, "answers": n, "votes": n,
 * "ballots": n, "decisions": n}: what went.  SRV_ENOTFOUND.
 */
enum srv_err store_workshop_delete(struct store *s, const char *id, json_t **out);

/*
 * Delete a series and its series-level decisions in one transaction.  Its
 * workshops stay, out of any series (a workshop's answers have their own
 * life: delete or purge them as workshops).  *out is {"id", "title",
 * "workshops": [ids that left the series], "decisions": n}.  SRV_ENOTFOUND.
 */
enum srv_err store_series_delete(struct store *s, const char *id, json_t **out);

/*
 * Delete every workshop whose last activity (created, closed, its latest
 * answer, vote, ballot or decision) is before `before` (a store time), and
 * then every series left without workshops whose own last activity is
 * before it, all in one transaction; with `dry_run` only list them.  *out
 * is {"workshops": [{"id", "title", "last_activity"}], "series": [{"id",
 * "title", "last_activity"}]}.
 */
enum srv_err store_purge(struct store *s, const char *before, bool dry_run, json_t **out);

/*
 * Erase one participant's answers (hidden ones too) and ballots in workshop
 * `workshop_id`: those sent with a client_id whose participant code
 * (base/pcode.h) is `code` (canonical form), in one transaction.  *out is
 * {"answers": n, "ballots": n, "erased": [{"id", "question_id"}]} (the
 * answers that went, for the screens that show them; counts 0 when nothing
 * had that code).
 * SRV_ENOTFOUND for an unknown workshop.
 */
enum srv_err store_participant_erase(struct store *s, const char *workshop_id, const char *code, json_t **out);

/*
 * Write a consistent copy of the whole database to the new file `dest`
 * (VACUUM INTO: one read transaction, so writers go on and the copy holds
 * every transaction committed before it began), then fsync it and switch
 * it to a self-contained file (no -wal beside it).  Fails if `dest`
 * exists and is not empty.  SRV_EDB, SRV_ESYS.
 */
enum srv_err store_backup(struct store *s, const char *dest);

/*
 * Replace everything in the store's database by the content of database
 * file `from` (SQLite's online backup API, one transaction).  The caller
 * makes sure no other process uses the database, checks `from` first with
 * store_verify_file, and reopens the store afterwards (which migrates an
 * older copy).  SRV_EDB.
 */
enum srv_err store_restore(struct store *s, const char *from);

/*
 * Check the database file at `path` without changing it: that it is an
 * inspel database this program can open and that PRAGMA integrity_check
 * says "ok".  *version is its schema version.  SRV_EDB with why in
 * msg[0..size) (may be NULL).
 */
enum srv_err store_verify_file(const char *path, int *version, char *msg, size_t size);

#endif

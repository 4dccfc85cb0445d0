/*
 * request.h - parsing of untrusted request input: API paths, ids, method
 * lists, the Content-Type header, and request bodies into validated C
 * structs.
 *
 * Kept apart from http/ so that every byte a client controls goes through
 * code with no libmicrohttpd and no SQLite in it: cmocka tests it directly
 * (tests/test_request.c) and libFuzzer runs it with arbitrary input
 * (tests/fuzz/fuzz_request.c).  Nothing here blocks, locks or logs.
 *
 * A refused body comes back as a struct req_error holding the HTTP status
 * and the message of docs/API.md, so a route only has to send it.  Body
 * parsers take `len` bytes at `body` (which need not be NUL-terminated and
 * may be NULL when len is 0).  On failure they leave nothing allocated and
 * the output struct zeroed; on success the caller frees it with the
 * matching *_free function.
 */
#ifndef INSPEL_REQUEST_H
#define INSPEL_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pcode.h"
#include "wire/limits.h"

#define REQ_SEGMENTS 4            /* path segments after "/api" */
#define REQ_SEGMENT_MAX 128       /* bytes per segment */
#define REQ_QUESTIONS_MAX 100     /* questions of a new workshop */
#define REQ_ORGANISATIONS_MAX 50  /* organisations of a new workshop */
#define REQ_MSG_MAX 96            /* longest error message, with its NUL */
#define REQ_VOTE_DOTS_DEFAULT 3   /* dots per phone when a vote body names none */
#define REQ_THEME_ID_MAX 100      /* bytes of a theme id in a vote or ballot */
#define REQ_ALLOW_MAX 40          /* bytes of the longest Allow value, "GET, HEAD, POST, PATCH, DELETE", and more */

/* "/api/workshops/ID/events" as {"workshops", "ID", "events"}. */
struct req_route {
	char seg[REQ_SEGMENTS][REQ_SEGMENT_MAX + 1];
	size_t n;
};

/* Why a request was refused: the status and {"error": msg} to send. */
struct req_error {
	unsigned status;              /* 400, 422 or 500 (out of memory) */
	char msg[REQ_MSG_MAX];
};

/*
 * Split a path that starts with "/api" into its segments.  One trailing
 * slash is allowed ("/api/health/"); an empty segment ("/api//health",
 * "/api/health//"), more than REQ_SEGMENTS segments, a segment over
 * REQ_SEGMENT_MAX bytes or a path not under "/api" makes it false (404).
 * "/api" and "/api/" give n == 0.
 */
bool req_split(const char *url, struct req_route *rt);

/*
 * The variable segments of a matched route pattern, each pointing into the
 * struct req_route it was matched against; NULL when the pattern has no
 * segment of that name.
 */
struct req_params {
	const char *workshop;         /* ":workshop", a workshop id as sent */
	const char *series;           /* ":series", a series id as sent */
	const char *code;             /* ":code", a join code as sent */
	const char *id;               /* ":id", a question, answer or vote id as sent (not yet parsed) */
};

/*
 * Does the route match `pattern`, a path below "/api" such as
 * "/workshops/:workshop/themes": as many segments, each literal segment
 * equal, each ":name" segment anything (and recorded in *p, zeroed first)?
 * The pattern is the program's, never the client's: a name that is not a
 * member of struct req_params is a programming error (assert).
 */
bool req_match(const struct req_route *rt, const char *pattern, struct req_params *p);

/*
 * A positive decimal id (path segment or query value) into *out: digits
 * only, no sign, no spaces, at most INT64_MAX.  False otherwise (404).
 */
bool req_parse_id(const char *s, int64_t *out);

/* The methods the API knows, as bits: a route takes a set of them. */
enum req_method {
	REQ_GET = 1 << 0,
	REQ_HEAD = 1 << 1,
	REQ_POST = 1 << 2,
	REQ_PATCH = 1 << 3,
	REQ_DELETE = 1 << 4,
};

/* The bit of `method` when it is exactly (case and all) one the API knows; 0 for any other (405). */
unsigned req_method(const char *method);

/*
 * The set `methods` as an Allow header value ("GET, HEAD, POST", in the
 * order of enum req_method) into `out`; cut to fit `size`, which
 * REQ_ALLOW_MAX bytes always do.  Returns `out`.
 */
char *req_allow(unsigned methods, char *out, size_t size);

/*
 * Is a Content-Type header value JSON: "application/json" in any case,
 * alone or followed by ';' or ' ' (parameters)?  NULL is not.
 */
bool req_is_json_type(const char *type);

/*
 * Parse a body that must be one JSON object (duplicate keys refused).
 * Returns a new reference, or NULL with 400 (malformed, not an object),
 * 422 (invalid UTF-8) or 500 (out of memory) in *err.
 */
json_t *req_json_object(const char *body, size_t len, struct req_error *err);

/* POST /api/answers, validated. */
struct req_answer {
	json_t *json;                 /* the parsed body, which the const strings point into */
	const char *code;             /* join code as sent (the store normalises it) */
	int64_t question_id;
	const char *answer_id;        /* VALIDATE_ID rule */
	const char *client_id;        /* VALIDATE_ID rule, or NULL when absent */
	char *text;                   /* NFC, trimmed, 1..VALIDATE_TEXT_MAX code points */
	char *group;                  /* NFC, trimmed, or NULL when absent or blank */
	char *organisation;           /* likewise (the store checks it against the workshop) */
};

/*
 * Parse and validate an answer body.  Errors: 400 malformed JSON, not an
 * object, a required field missing or of the wrong type; 422 invalid UTF-8,
 * a bad answer_id or client_id, empty or overlong text, overlong group or
 * organisation; 500 out of memory.
 */
bool req_answer_parse(const char *body, size_t len, struct req_answer *out, struct req_error *err);

/* Free what req_answer_parse allocated and zero the struct; safe on a zeroed one. */
void req_answer_free(struct req_answer *a);

/* POST /api/workshops, validated. */
struct req_workshop {
	char *title;                  /* NFC, trimmed, 1..VALIDATE_TITLE_MAX code points */
	json_t *questions;            /* [{"section", "text"}], from the template or the body */
	json_t *organisations;        /* [string], the body's or the default list */
};

/*
 * Parse and validate a workshop body (docs/API.md: `template` wins over
 * `questions`; organisations default to the template's list).  Errors: 400
 * malformed JSON, missing title, unknown template, wrong types; 422 invalid
 * UTF-8, empty or overlong title, question text or section or organisation,
 * no questions, too many questions or organisations; 500 out of memory.
 */
bool req_workshop_parse(const char *body, size_t len, struct req_workshop *out, struct req_error *err);

/* Free what req_workshop_parse allocated and zero the struct; safe on a zeroed one. */
void req_workshop_free(struct req_workshop *w);

/* PATCH /api/questions/ID: {"open": bool}.  400 for anything else, 422 invalid UTF-8. */
bool req_question_patch_parse(const char *body, size_t len, bool *open, struct req_error *err);

/* PATCH /api/answers/ID: what to change; a field not sent is left as it is. */
struct req_answer_patch {
	bool set_hidden, hidden;          /* "hidden": hide or show */
	bool set_released, released;      /* "released": let a held answer through (true) or hold it again */
};

/*
 * PATCH /api/answers/ID: {"hidden": bool}, {"released": bool} or both.
 * 400 for anything else (neither, or one not a boolean), 422 invalid UTF-8.
 */
bool req_answer_patch_parse(const char *body, size_t len, struct req_answer_patch *out, struct req_error *err);

/* POST /api/workshops/ID/votes, checked in shape and range (the route checks the themes exist). */
struct req_vote {
	int dots;                     /* 1..LIMIT_VOTE_DOTS_MAX; REQ_VOTE_DOTS_DEFAULT when absent */
	json_t *themes;               /* distinct theme id strings (1..LIMIT_VOTE_THEMES_MAX), or NULL: the default */
};

/*
 * Parse {"dots"?: int, "themes"?: [string]}.  Errors: 400 malformed JSON,
 * not an object, dots not an integer, themes not a list of strings; 422
 * invalid UTF-8, dots out of 1..LIMIT_VOTE_DOTS_MAX, an empty list ("no
 * themes"), more than LIMIT_VOTE_THEMES_MAX themes, a theme named twice,
 * an empty or over-REQ_THEME_ID_MAX-byte theme id; 500 out of memory.
 */
bool req_vote_parse(const char *body, size_t len, struct req_vote *out, struct req_error *err);

/* Free what req_vote_parse allocated and zero the struct; safe on a zeroed one. */
void req_vote_free(struct req_vote *v);

/* PATCH /api/votes/VID: {"open": bool}.  400 for anything else, 422 invalid UTF-8. */
bool req_vote_patch_parse(const char *body, size_t len, bool *open, struct req_error *err);

/* POST /api/ballots, checked in shape and range (the store checks themes and the vote's dots). */
struct req_ballot {
	json_t *json;                 /* the parsed body, which the other members point into */
	const char *code;             /* join code as sent */
	int64_t vote_id;
	const char *client_id;        /* VALIDATE_ID rule, required */
	const char *token;            /* the participant token of GET /api/join, or NULL (the store checks it) */
	const json_t *dots;           /* {"theme id": 1..LIMIT_VOTE_DOTS_MAX}, 1..LIMIT_VOTE_THEMES_MAX entries */
};

/*
 * Parse {"code", "vote_id", "client_id", "token"?, "dots"}.  Errors: 400
 * malformed JSON, not an object, a field missing or of the wrong type (dots
 * not an object, token not a string); 422 invalid UTF-8, a bad client_id, no dots, more than
 * LIMIT_VOTE_THEMES_MAX entries, a value that is not an integer in
 * 1..LIMIT_VOTE_DOTS_MAX, an empty or over-REQ_THEME_ID_MAX-byte theme
 * id; 500 out of memory.
 */
bool req_ballot_parse(const char *body, size_t len, struct req_ballot *out, struct req_error *err);

/* Free what req_ballot_parse allocated and zero the struct; safe on a zeroed one. */
void req_ballot_free(struct req_ballot *b);

/*
 * POST /api/series: {"title"} into *title (NFC, trimmed, 1..VALIDATE_TITLE_MAX
 * code points; the caller frees it).  Errors: 400 malformed JSON, not an
 * object, title missing or not a string; 422 invalid UTF-8, empty or
 * overlong title; 500 out of memory.
 */
bool req_series_parse(const char *body, size_t len, char **title, struct req_error *err);

/*
 * PATCH /api/workshops/ID: {"series": "SID" | null}.  *series is a copy of
 * the id (the caller frees it) or NULL for null (take the workshop out).
 * Errors: 400 malformed JSON, not an object, series missing or neither a
 * string nor null; 422 invalid UTF-8; 500 out of memory.
 */
bool req_workshop_patch_parse(const char *body, size_t len, char **series, struct req_error *err);

/*
 * DELETE /api/workshops/ID and /api/series/ID: {"confirm": text}, the
 * workshop's or series' id or exact title, so a slip of the mouse deletes
 * nothing.  *confirm is a copy (the caller frees it).  Errors: 400
 * malformed JSON, not an object, confirm missing or not a string; 422
 * invalid UTF-8; 500 out of memory.
 */
bool req_confirm_parse(const char *body, size_t len, char **confirm, struct req_error *err);

/*
 * POST /api/workshops/ID/erase: {"code": participant code} in canonical
 * form into `code` (base/pcode.h: "abcd-efgh", "ABCDEFGH" and look-alikes
 * all read).  Errors: 400 malformed JSON, not an object, code missing or
 * not a string; 422 invalid UTF-8 or not a participant code.
 */
bool req_erase_parse(const char *body, size_t len, char code[PCODE_LEN + 1], struct req_error *err);

#endif

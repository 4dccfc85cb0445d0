/*
 * test_request.c - server/request.c: routes, ids, method lists, the
 * Content-Type check and every refusal of the body parsers, with the
 * status and message docs/API.md gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "wire/request.h"
#include "wire/validate.h"

/* ---- routes, ids, methods, content type ---- */

static void test_split(void **state)
{
	struct req_route rt;
	struct req_params p;

	assert_true(req_split("/api/workshops/abc/events", &rt));
	assert_int_equal(rt.n, 3);
	assert_string_equal(rt.seg[0], "workshops");
	assert_string_equal(rt.seg[1], "abc");
	assert_string_equal(rt.seg[2], "events");
	assert_true(req_match(&rt, "/workshops/:workshop/events", &p));
	assert_string_equal(p.workshop, "abc");
	assert_false(req_match(&rt, "/workshops/:workshop/answers", &p));
	assert_false(req_match(&rt, "/workshops/:workshop", &p));

	assert_true(req_split("/api", &rt));
	assert_int_equal(rt.n, 0);
	assert_true(req_split("/api/", &rt));
	assert_int_equal(rt.n, 0);
	/* One trailing slash is the same route. */
	assert_true(req_split("/api/health/", &rt));
	assert_int_equal(rt.n, 1);
	assert_true(req_match(&rt, "/health", &p));
	assert_false(req_match(&rt, "/health/:id", &p));
}

static void test_match(void **state)
{
	struct req_route rt;
	struct req_params p;

	assert_true(req_split("/api/series/s1/report", &rt));
	assert_true(req_match(&rt, "/series/:series/report", &p));
	assert_string_equal(p.series, "s1");
	assert_null(p.workshop);
	assert_null(p.code);
	assert_null(p.id);
	assert_false(req_match(&rt, "/workshops/:workshop/report", &p));
	assert_false(req_match(&rt, "/series/:series/repor", &p));
	assert_false(req_match(&rt, "/series/:series/reports", &p));
	assert_false(req_match(&rt, "/series/:series/report/:id", &p));

	assert_true(req_split("/api/join/abc123/qr.svg/", &rt));
	assert_true(req_match(&rt, "/join/:code/qr.svg", &p));
	assert_string_equal(p.code, "abc123");
	assert_true(req_split("/api/votes/17", &rt));
	assert_true(req_match(&rt, "/votes/:id", &p));
	assert_string_equal(p.id, "17");
	/* A parameter is any one segment, even one that looks like a route's literal. */
	assert_true(req_split("/api/workshops/events", &rt));
	assert_true(req_match(&rt, "/workshops/:workshop", &p));
	assert_string_equal(p.workshop, "events");

	/* "/api" names no route. */
	assert_true(req_split("/api", &rt));
	assert_false(req_match(&rt, "/health", &p));
}

static void test_split_refuses(void **state)
{
	char seg[REQ_SEGMENT_MAX + 2], url[REQ_SEGMENT_MAX + 16];
	struct req_route rt;

	assert_false(req_split("/api//health", &rt));
	assert_false(req_split("/api/health//", &rt));
	assert_false(req_split("/api/a/b/c/d/e", &rt));
	assert_false(req_split("/apix/health", &rt));
	assert_false(req_split("/health", &rt));
	assert_false(req_split("", &rt));
	assert_true(req_split("/api/a/b/c/d", &rt));
	assert_int_equal(rt.n, REQ_SEGMENTS);

	memset(seg, 'x', sizeof seg - 1);
	seg[REQ_SEGMENT_MAX] = '\0';
	snprintf(url, sizeof url, "/api/join/%s", seg);
	assert_true(req_split(url, &rt));
	assert_int_equal(strlen(rt.seg[1]), REQ_SEGMENT_MAX);
	seg[REQ_SEGMENT_MAX] = 'x';
	seg[REQ_SEGMENT_MAX + 1] = '\0';
	snprintf(url, sizeof url, "/api/join/%s", seg);
	assert_false(req_split(url, &rt));
}

static void test_parse_id(void **state)
{
	int64_t id = 0;

	assert_true(req_parse_id("17", &id));
	assert_int_equal(id, 17);
	assert_true(req_parse_id("007", &id));
	assert_int_equal(id, 7);
	assert_true(req_parse_id("9223372036854775807", &id));
	assert_true(id == INT64_MAX);

	id = 5;
	assert_false(req_parse_id("9223372036854775808", &id));
	assert_false(req_parse_id("99999999999999999999999", &id));
	assert_false(req_parse_id("0", &id));
	assert_false(req_parse_id("000", &id));
	assert_false(req_parse_id("-1", &id));
	assert_false(req_parse_id("+1", &id));
	assert_false(req_parse_id(" 1", &id));
	assert_false(req_parse_id("1 ", &id));
	assert_false(req_parse_id("1x", &id));
	assert_false(req_parse_id("0x10", &id));
	assert_false(req_parse_id("", &id));
	assert_false(req_parse_id(NULL, &id));
	assert_int_equal(id, 5);
}

static void test_method(void **state)
{
	char allow[REQ_ALLOW_MAX];

	assert_int_equal(req_method("GET"), REQ_GET);
	assert_int_equal(req_method("HEAD"), REQ_HEAD);
	assert_int_equal(req_method("POST"), REQ_POST);
	assert_int_equal(req_method("PATCH"), REQ_PATCH);
	assert_int_equal(req_method("ET"), 0);
	assert_int_equal(req_method("GE"), 0);
	assert_int_equal(req_method("GET, HEAD"), 0);
	assert_int_equal(req_method("get"), 0);
	assert_int_equal(req_method("PUT"), 0);
	assert_int_equal(req_method("DELETE"), REQ_DELETE);
	assert_int_equal(req_method("delete"), 0);
	assert_int_equal(req_method(""), 0);

	assert_string_equal(req_allow(REQ_GET | REQ_HEAD | REQ_POST, allow, sizeof allow), "GET, HEAD, POST");
	assert_string_equal(req_allow(REQ_PATCH | REQ_HEAD | REQ_GET, allow, sizeof allow), "GET, HEAD, PATCH");
	assert_string_equal(req_allow(REQ_PATCH, allow, sizeof allow), "PATCH");
	assert_string_equal(req_allow(REQ_GET | REQ_HEAD | REQ_POST | REQ_PATCH, allow, sizeof allow),
			    "GET, HEAD, POST, PATCH");
	assert_string_equal(req_allow(REQ_GET | REQ_HEAD | REQ_PATCH | REQ_DELETE, allow, sizeof allow),
			    "GET, HEAD, PATCH, DELETE");
	assert_string_equal(req_allow(REQ_GET | REQ_HEAD | REQ_POST | REQ_PATCH | REQ_DELETE, allow, sizeof allow),
			    "GET, HEAD, POST, PATCH, DELETE");
	assert_string_equal(req_allow(0, allow, sizeof allow), "");
	/* Too small: whole names only. */
	assert_string_equal(req_allow(REQ_GET | REQ_HEAD, allow, 8), "GET");
}

static void test_json_type(void **state)
{
	assert_true(req_is_json_type("application/json"));
	assert_true(req_is_json_type("Application/JSON; charset=utf-8"));
	assert_true(req_is_json_type("application/json ;charset=utf-8"));
	assert_false(req_is_json_type("application/jsonx"));
	assert_false(req_is_json_type("application/jso"));
	assert_false(req_is_json_type("text/plain"));
	assert_false(req_is_json_type(""));
	assert_false(req_is_json_type(NULL));
}

/* ---- bodies ---- */

#define ANSWER_OK "\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"Kontinuitet.\""

/* Is the `size` bytes at `p` all zero? */
static bool all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * parse_NAME(body, len, err) runs req_NAME_parse into a struct TYPE and
 * frees it; a refusal must leave nothing allocated: the struct all zero.
 */
#define BODY_PARSER(name, type)                                                       \
	static bool parse_##name(const char *body, size_t len, struct req_error *err) \
	{                                                                             \
		type v;                                                               \
		bool ok = req_##name##_parse(body, len, &v, err);                     \
                                                                                      \
		if (!ok)                                                              \
			assert_true(all_zero(&v, sizeof v));                          \
		req_##name##_free(&v);                                                \
		return ok;                                                            \
	}

BODY_PARSER(answer, struct req_answer)
BODY_PARSER(workshop, struct req_workshop)
BODY_PARSER(vote, struct req_vote)
BODY_PARSER(ballot, struct req_ballot)

/* `parse` refuses `body` with `status` and `msg`. */
static void refused(bool (*parse)(const char *, size_t, struct req_error *), const char *body, unsigned status,
		    const char *msg)
{
	struct req_error err = { 0, "" };

	assert_false(parse(body, strlen(body), &err));
	assert_int_equal(err.status, status);
	assert_string_equal(err.msg, msg);
}

static void test_answer_ok(void **state)
{
	const char *body = "{" ANSWER_OK ",\"group\":\"  Bord 4 \",\"organisation\":\"   \",\"client_id\":\"p3f0a9c1e2d4\"}";
	struct req_answer a;
	struct req_error err;

	assert_true(req_answer_parse(body, strlen(body), &a, &err));
	assert_string_equal(a.code, "H7K2QX");
	assert_int_equal(a.question_id, 17);
	assert_string_equal(a.answer_id, "p3f0a9c1-0001");
	assert_string_equal(a.client_id, "p3f0a9c1e2d4");
	assert_string_equal(a.text, "Kontinuitet.");
	assert_string_equal(a.group, "Bord 4");
	assert_null(a.organisation);    /* blank after trimming */
	req_answer_free(&a);
	assert_null(a.json);
	req_answer_free(&a);            /* a freed struct is zeroed and may be freed again */
}

static void test_answer_nfc_and_optional(void **state)
{
	const char *body = "{\"code\":\"h7k2qx\",\"question_id\":1,\"answer_id\":\"abcdefgh\","
			   "\"text\":\"  la\\u0308karkontinuitet\\t\",\"group\":null}";
	struct req_answer a;
	struct req_error err;

	assert_true(req_answer_parse(body, strlen(body), &a, &err));
	assert_string_equal(a.text, "l\xc3\xa4karkontinuitet");
	assert_null(a.group);
	assert_null(a.organisation);
	assert_null(a.client_id);
	req_answer_free(&a);
	/* A table name is stored tidied, so "bord  3 " and "Bord 3" are one table; an organisation as sent. */
	body = "{\"code\":\"h7k2qx\",\"question_id\":1,\"answer_id\":\"abcdefgh\",\"text\":\"x\","
	       "\"group\":\" bord  3 \",\"organisation\":\"region  v\u00e4rmland\"}";
	assert_true(req_answer_parse(body, strlen(body), &a, &err));
	assert_string_equal(a.group, "Bord 3");
	assert_string_equal(a.organisation, "region  v\xc3\xa4rmland");
	req_answer_free(&a);
	body = "{\"code\":\"h7k2qx\",\"question_id\":1,\"answer_id\":\"abcdefgh\",\"text\":\"x\",\"group\":\"   \"}";
	assert_true(req_answer_parse(body, strlen(body), &a, &err));
	assert_null(a.group);
	assert_null(a.organisation);
	assert_null(a.client_id);
	req_answer_free(&a);
}

static void test_answer_malformed(void **state)
{
	struct req_answer a;
	struct req_error err;

	refused(parse_answer, "", 400, "malformed JSON");
	refused(parse_answer, "{\"code\":", 400, "malformed JSON");
	refused(parse_answer, "{" ANSWER_OK "} trailing", 400, "malformed JSON");
	refused(parse_answer, "[1]", 400, "body must be a JSON object");
	refused(parse_answer, "\"text\"", 400, "malformed JSON");
	refused(parse_answer, "{" ANSWER_OK ",\"text\":\"again\"}", 400, "malformed JSON");
	/* A NUL inside a string cannot be stored in a C string. */
	refused(parse_answer,
		"{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"a\\u0000b\"}",
		400, "malformed JSON");
	/* An integer past int64 is not a number we could store. */
	refused(parse_answer, "{\"code\":\"H7K2QX\",\"question_id\":99999999999999999999,\"answer_id\":\"p3f0a9c1-0001\","
		"\"text\":\"x\"}", 400, "malformed JSON");
	/* NULL with length 0 is an empty body, not a crash. */
	assert_false(req_answer_parse(NULL, 0, &a, &err));
	assert_int_equal(err.status, 400);
}

static void test_answer_invalid_utf8(void **state)
{
	static const char body[] = "{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\","
				   "\"text\":\"\xff\xfe\"}";

	refused(parse_answer, body, 422, "text is not valid UTF-8");
	refused(parse_answer, "{\"text\":\"\xc3\"}", 422, "text is not valid UTF-8");
	refused(parse_answer, "{\"text\":\"\\ud800\"}", 400, "malformed JSON");
}

static void test_answer_missing_and_types(void **state)
{
	static const char *const missing[] = {
		"{}",
		"{\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"question_id\":17,\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\"}",
		"{\"code\":null,\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"question_id\":\"17\",\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"question_id\":17.5,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":12345678,\"text\":\"x\"}",
		"{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":5}",
		"{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":[\"x\"]}",
	};
	size_t i;

	for (i = 0; i < sizeof missing / sizeof missing[0]; i++)
		refused(parse_answer, missing[i], 400, "code, question_id, answer_id and text are required");
	refused(parse_answer, "{" ANSWER_OK ",\"group\":4}", 400, "group, organisation and client_id must be strings");
	refused(parse_answer, "{" ANSWER_OK ",\"organisation\":true}", 400,
		"group, organisation and client_id must be strings");
	refused(parse_answer, "{" ANSWER_OK ",\"client_id\":{}}", 400, "group, organisation and client_id must be strings");
}

static void test_answer_field_rules(void **state)
{
	char body[8192], *long_text;
	size_t i;

	refused(parse_answer, "{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"short\",\"text\":\"x\"}", 422,
		"answer_id must be 8-64 characters of A-Z a-z 0-9 _ -");
	refused(parse_answer, "{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"has space 123\",\"text\":\"x\"}", 422,
		"answer_id must be 8-64 characters of A-Z a-z 0-9 _ -");
	refused(parse_answer, "{" ANSWER_OK ",\"client_id\":\"bad id!\"}", 422,
		"client_id must be 8-64 characters of A-Z a-z 0-9 _ -");
	refused(parse_answer, "{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\" \\n\\t \"}",
		422, "text is empty");

	/* 1001 "ö": 2002 bytes but 1001 code points, one over the limit. */
	long_text = malloc(2 * 1001 + 1);
	assert_non_null(long_text);
	for (i = 0; i < 1001; i++)
		memcpy(long_text + 2 * i, "\xc3\xb6", 2);
	long_text[2 * 1001] = '\0';
	snprintf(body, sizeof body, "{\"code\":\"H7K2QX\",\"question_id\":17,\"answer_id\":\"p3f0a9c1-0001\",\"text\":\"%s\"}",
		 long_text);
	refused(parse_answer, body, 422, "text is too long");
	snprintf(body, sizeof body, "{" ANSWER_OK ",\"group\":\"%.122s\"}", long_text);   /* 61 code points */
	refused(parse_answer, body, 422, "group is too long");
	snprintf(body, sizeof body, "{" ANSWER_OK ",\"organisation\":\"%.122s\"}", long_text);
	refused(parse_answer, body, 422, "organisation is too long");
	free(long_text);
}

static void test_workshop_ok(void **state)
{
	const char *tmpl = "{\"title\":\" Dialog \",\"template\":\"primarvard\",\"questions\":7}";
	const char *own = "{\"title\":\"x\",\"questions\":[{\"section\":\"A\",\"text\":\" Vad? \"},"
			  "{\"text\":\"Sen?\",\"section\":null}],\"organisations\":[\" Region \"]}";
	struct req_workshop w;
	struct req_error err;

	/* The template wins over questions, and the default organisations apply. */
	assert_true(req_workshop_parse(tmpl, strlen(tmpl), &w, &err));
	assert_string_equal(w.title, "Dialog");
	assert_int_equal(json_array_size(w.questions), 4);
	assert_int_equal(json_array_size(w.organisations), 5);
	req_workshop_free(&w);

	assert_true(req_workshop_parse(own, strlen(own), &w, &err));
	assert_int_equal(json_array_size(w.questions), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(w.questions, 0), "text")), "Vad?");
	assert_string_equal(json_string_value(json_object_get(json_array_get(w.questions, 1), "section")), "");
	assert_string_equal(json_string_value(json_array_get(w.organisations, 0)), "Region");
	req_workshop_free(&w);
	req_workshop_free(&w);
}

/* `head` + max + 1 letters + `tail` is refused with `msg`; one letter fewer is accepted. */
static void over_limit(const char *head, size_t max, const char *tail, const char *msg)
{
	char text[VALIDATE_QUESTION_MAX + 2], body[VALIDATE_QUESTION_MAX + 256];
	struct req_error err;

	assert_true(max + 1 < sizeof text);
	memset(text, 'x', max + 1);
	text[max + 1] = '\0';
	snprintf(body, sizeof body, "%s%s%s", head, text, tail);
	refused(parse_workshop, body, 422, msg);
	text[max] = '\0';
	snprintf(body, sizeof body, "%s%s%s", head, text, tail);
	assert_true(parse_workshop(body, strlen(body), &err));
}

static void test_workshop_refused(void **state)
{
	struct buf b;
	size_t i;

	refused(parse_workshop, "{\"title\":", 400, "malformed JSON");
	refused(parse_workshop, "[]", 400, "body must be a JSON object");
	refused(parse_workshop, "{\"template\":\"primarvard\"}", 400, "title is required");
	refused(parse_workshop, "{\"title\":5,\"template\":\"primarvard\"}", 400, "title is required");
	refused(parse_workshop, "{\"title\":\"x\",\"template\":\"nosuch\"}", 400, "unknown template");
	refused(parse_workshop, "{\"title\":\"x\",\"template\":1}", 400, "unknown template");
	refused(parse_workshop, "{\"title\":\"x\"}", 400, "template or questions is required");
	refused(parse_workshop, "{\"title\":\"x\",\"questions\":\"no\"}", 400, "questions must be a list");
	refused(parse_workshop, "{\"title\":\"x\",\"questions\":[{\"section\":\"a\"}]}", 400,
		"each question needs a text string and an optional section string");
	refused(parse_workshop, "{\"title\":\"x\",\"questions\":[\"text\"]}", 400,
		"each question needs a text string and an optional section string");
	refused(parse_workshop, "{\"title\":\"x\",\"questions\":[{\"text\":\"q\",\"section\":3}]}", 400,
		"each question needs a text string and an optional section string");
	refused(parse_workshop, "{\"title\":\"x\",\"template\":\"primarvard\",\"organisations\":[1]}", 400,
		"organisations must be a list of strings");
	refused(parse_workshop, "{\"title\":\"x\",\"template\":\"primarvard\",\"organisations\":\"Region\"}", 400,
		"organisations must be a list of strings");
	refused(parse_workshop, "{\"title\":\"\",\"template\":\"primarvard\"}", 422, "title is empty");
	refused(parse_workshop, "{\"title\":\"x\",\"questions\":[]}", 422, "a workshop needs at least one question");
	refused(parse_workshop, "{\"title\":\"x\",\"questions\":[{\"text\":\"  \"}]}", 422, "question text is empty");
	refused(parse_workshop, "{\"title\":\"x\",\"template\":\"primarvard\",\"organisations\":[\"\"]}", 422,
		"organisation is empty");

	/* Just over each count limit. */
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_adds(&b, "{\"title\":\"x\",\"questions\":["), BUF_OK);
	for (i = 0; i <= REQ_QUESTIONS_MAX; i++)
		assert_int_equal(buf_printf(&b, "%s{\"text\":\"q\"}", i ? "," : ""), BUF_OK);
	assert_int_equal(buf_adds(&b, "]}"), BUF_OK);
	refused(parse_workshop, b.data, 422, "too many questions");
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "{\"title\":\"x\",\"template\":\"primarvard\",\"organisations\":["), BUF_OK);
	for (i = 0; i <= REQ_ORGANISATIONS_MAX; i++)
		assert_int_equal(buf_printf(&b, "%s\"o%zu\"", i ? "," : "", i), BUF_OK);
	assert_int_equal(buf_adds(&b, "]}"), BUF_OK);
	refused(parse_workshop, b.data, 422, "too many organisations");
	buf_free(&b);

	/* Just over each length limit (ASCII, so bytes are code points). */
	over_limit("{\"title\":\"", VALIDATE_TITLE_MAX, "\",\"template\":\"primarvard\"}", "title is too long");
	over_limit("{\"title\":\"x\",\"questions\":[{\"text\":\"", VALIDATE_QUESTION_MAX, "\"}]}",
		   "question text is too long");
	over_limit("{\"title\":\"x\",\"questions\":[{\"text\":\"q\",\"section\":\"", VALIDATE_TAG_MAX, "\"}]}",
		   "section is too long");
	over_limit("{\"title\":\"x\",\"template\":\"primarvard\",\"organisations\":[\"", VALIDATE_TAG_MAX, "\"]}",
		   "organisation is too long");
	refused(parse_workshop, "{\"title\":\"\xc3\x28\",\"template\":\"primarvard\"}", 422, "text is not valid UTF-8");
}

static void test_patches(void **state)
{
	struct req_answer_patch patch;
	struct req_error err;
	bool flag = false;

	assert_true(req_question_patch_parse("{\"open\":true}", 13, &flag, &err));
	assert_true(flag);
	assert_true(req_answer_patch_parse("{\"hidden\":false}", 16, &patch, &err));
	assert_true(patch.set_hidden);
	assert_false(patch.hidden);
	assert_false(patch.set_released);
	assert_true(req_answer_patch_parse("{\"released\":true}", 17, &patch, &err));
	assert_false(patch.set_hidden);
	assert_true(patch.set_released);
	assert_true(patch.released);
	assert_true(req_answer_patch_parse("{\"hidden\":true,\"released\":false}", 32, &patch, &err));
	assert_true(patch.set_hidden && patch.hidden && patch.set_released && !patch.released);
	assert_false(req_answer_patch_parse("{\"released\":\"yes\"}", 18, &patch, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "released must be true or false");
	assert_false(req_answer_patch_parse("{\"hidden\":null,\"released\":true}", 31, &patch, &err));
	assert_string_equal(err.msg, "hidden must be true or false");

	assert_false(req_question_patch_parse("{\"open\":\"yes\"}", 14, &flag, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "open must be true or false");
	assert_false(req_question_patch_parse("{\"hidden\":true}", 15, &flag, &err));
	assert_string_equal(err.msg, "open must be true or false");
	assert_false(req_answer_patch_parse("{}", 2, &patch, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "hidden must be true or false");
	assert_false(req_answer_patch_parse("{\"hidden\":1}", 12, &patch, &err));
	assert_string_equal(err.msg, "hidden must be true or false");
	assert_false(req_answer_patch_parse("{\"hidden\":", 10, &patch, &err));
	assert_string_equal(err.msg, "malformed JSON");
	assert_false(req_answer_patch_parse("[true]", 6, &patch, &err));
	assert_string_equal(err.msg, "body must be a JSON object");
	/* The length is honoured: the bytes after it are not part of the body. */
	assert_false(req_question_patch_parse("{\"open\":true}", 12, &flag, &err));
	assert_string_equal(err.msg, "malformed JSON");
}

/* ---- votes, ballots, series ---- */

static void test_vote(void **state)
{
	struct req_error err;
	struct req_vote v;
	char body[4096];
	size_t i, n;

	assert_true(req_vote_parse("{}", 2, &v, &err));
	assert_int_equal(v.dots, REQ_VOTE_DOTS_DEFAULT);
	assert_null(v.themes);
	req_vote_free(&v);
	assert_true(req_vote_parse("{\"dots\":10,\"themes\":null}", 25, &v, &err));
	assert_int_equal(v.dots, 10);
	assert_null(v.themes);
	req_vote_free(&v);
	assert_true(req_vote_parse("{\"dots\":1,\"themes\":[\"kontinuitet\",\"c1\"]}", 40, &v, &err));
	assert_int_equal(v.dots, 1);
	assert_int_equal(json_array_size(v.themes), 2);
	assert_string_equal(json_string_value(json_array_get(v.themes, 1)), "c1");
	req_vote_free(&v);
	assert_null(v.themes);

	refused(parse_vote, "{\"dots\":0}", 422, "dots must be 1-10");
	refused(parse_vote, "{\"dots\":11}", 422, "dots must be 1-10");
	refused(parse_vote, "{\"dots\":-3}", 422, "dots must be 1-10");
	refused(parse_vote, "{\"dots\":2.5}", 400, "dots must be an integer");
	refused(parse_vote, "{\"dots\":\"3\"}", 400, "dots must be an integer");
	refused(parse_vote, "{\"themes\":\"kontinuitet\"}", 400, "themes must be a list of theme ids");
	refused(parse_vote, "{\"themes\":[\"a\",3]}", 400, "themes must be a list of theme ids");
	refused(parse_vote, "{\"themes\":[]}", 422, "no themes");
	refused(parse_vote, "{\"themes\":[\"a\",\"b\",\"a\"]}", 422, "a theme is named twice");
	refused(parse_vote, "{\"themes\":[\"\"]}", 422, "a theme id is empty or too long");
	refused(parse_vote, "{\"themes\":[\"\xff\"]}", 422, "text is not valid UTF-8");
	refused(parse_vote, "[]", 400, "body must be a JSON object");
	refused(parse_vote, "{\"dots\":", 400, "malformed JSON");

	/* LIMIT_VOTE_THEMES_MAX themes pass, one more does not. */
	for (n = LIMIT_VOTE_THEMES_MAX; n <= LIMIT_VOTE_THEMES_MAX + 1; n++) {
		struct buf b;
		buf_init(&b, 4096);
		assert_int_equal(buf_adds(&b, "{\"themes\":["), BUF_OK);
		for (i = 0; i < n; i++)
			assert_int_equal(buf_printf(&b, "%s\"t%zu\"", i ? "," : "", i), BUF_OK);
		assert_int_equal(buf_adds(&b, "]}"), BUF_OK);
		if (n == LIMIT_VOTE_THEMES_MAX) {
			assert_true(parse_vote(b.data, b.len, &err));
		} else {
			assert_false(parse_vote(b.data, b.len, &err));
			assert_int_equal(err.status, 422);
			assert_string_equal(err.msg, "too many themes");
		}
		buf_free(&b);
	}
	/* A theme id of REQ_THEME_ID_MAX bytes passes, one byte more does not. */
	for (n = REQ_THEME_ID_MAX; n <= REQ_THEME_ID_MAX + 1; n++) {
		int k = snprintf(body, sizeof body, "{\"themes\":[\"%0*d\"]}", (int)n, 7);
		assert_int_equal(parse_vote(body, (size_t)k, &err), n == REQ_THEME_ID_MAX);
	}

	assert_true(req_vote_patch_parse("{\"open\":false}", 14, &(bool){ true }, &err));
	assert_false(req_vote_patch_parse("{\"open\":null}", 13, &(bool){ true }, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "open must be true or false");
}

#define BALLOT_HEAD "{\"code\":\"H7K2QX\",\"vote_id\":4,\"client_id\":\"p3f0a9c1e2d4\","

static void test_ballot(void **state)
{
	const char *ok = BALLOT_HEAD "\"dots\":{\"kontinuitet\":2,\"c1\":1}}";
	struct req_error err;
	struct req_ballot b;

	assert_true(req_ballot_parse(ok, strlen(ok), &b, &err));
	assert_string_equal(b.code, "H7K2QX");
	assert_int_equal(b.vote_id, 4);
	assert_string_equal(b.client_id, "p3f0a9c1e2d4");
	assert_int_equal(json_object_size(b.dots), 2);
	assert_int_equal(json_integer_value(json_object_get(b.dots, "kontinuitet")), 2);
	req_ballot_free(&b);
	assert_null(b.json);

	refused(parse_ballot, "{\"code\":\"H7K2QX\",\"vote_id\":4,\"dots\":{\"a\":1}}", 400,
		"code, vote_id, client_id and dots (an object) are required");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":[\"a\"]}", 400,
		"code, vote_id, client_id and dots (an object) are required");
	refused(parse_ballot, "{\"code\":\"H7K2QX\",\"vote_id\":\"4\",\"client_id\":\"p3f0a9c1e2d4\",\"dots\":{\"a\":1}}",
		400, "code, vote_id, client_id and dots (an object) are required");
	refused(parse_ballot, "{\"code\":\"H7K2QX\",\"vote_id\":4,\"client_id\":\"short\",\"dots\":{\"a\":1}}", 422,
		"client_id must be 8-64 characters of A-Z a-z 0-9 _ -");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{}}", 422, "no dots");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{\"a\":0}}", 422, "each theme's dots must be a whole number 1-10");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{\"a\":11}}", 422, "each theme's dots must be a whole number 1-10");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{\"a\":1.5}}", 422, "each theme's dots must be a whole number 1-10");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{\"a\":\"1\"}}", 422, "each theme's dots must be a whole number 1-10");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{\"\":1}}", 422, "a theme id is empty or too long");
	refused(parse_ballot, BALLOT_HEAD "\"dots\":{\"a\":1,\"a\":2}}", 400, "malformed JSON");
	refused(parse_ballot, "[\"ballot\"]", 400, "body must be a JSON object");
}

static bool parse_series(const char *body, size_t len, struct req_error *err)
{
	char *title = NULL;
	bool ok = req_series_parse(body, len, &title, err);

	if (!ok)
		assert_null(title);
	free(title);
	return ok;
}

static void test_series_and_workshop_patch(void **state)
{
	struct req_error err;
	char *title = NULL, *series = NULL;
	const char *decomposed = "{\"title\":\"  Va\xcc\x88rmland 2026\\n\"}";

	assert_true(req_series_parse(decomposed, strlen(decomposed), &title, &err));
	assert_string_equal(title, "V\xc3\xa4rmland 2026");
	free(title);
	refused(parse_series, "{}", 400, "title is required");
	refused(parse_series, "{\"title\":7}", 400, "title is required");
	refused(parse_series, "{\"title\":\"   \"}", 422, "title is empty");
	/* VALIDATE_TITLE_MAX code points (two bytes each here) pass, one more does not. */
	for (size_t n = VALIDATE_TITLE_MAX; n <= VALIDATE_TITLE_MAX + 1; n++) {
		char body[2 * VALIDATE_TITLE_MAX + 32];
		size_t k = (size_t)snprintf(body, sizeof body, "{\"title\":\"");
		for (size_t i = 0; i < n; i++, k += 2)
			memcpy(body + k, "\xc3\xa4", 2);
		memcpy(body + k, "\"}", 3);
		if (n == VALIDATE_TITLE_MAX)
			assert_true(parse_series(body, k + 2, &err));
		else
			refused(parse_series, body, 422, "title is too long");
	}

	assert_true(req_workshop_patch_parse("{\"series\":\"q8m2abcd\"}", 21, &series, &err));
	assert_string_equal(series, "q8m2abcd");
	free(series);
	series = (char *)"unchanged";
	assert_true(req_workshop_patch_parse("{\"series\":null}", 15, &series, &err));
	assert_null(series);
	assert_false(req_workshop_patch_parse("{}", 2, &series, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(err.msg, "series must be a series id or null");
	assert_null(series);
	assert_false(req_workshop_patch_parse("{\"series\":3}", 12, &series, &err));
	assert_string_equal(err.msg, "series must be a series id or null");
	assert_false(req_workshop_patch_parse("{\"series\":", 10, &series, &err));
	assert_string_equal(err.msg, "malformed JSON");
}

/* A string literal as (body, length) for a parser. */
#define J(lit) lit, sizeof(lit) - 1

/* DELETE's confirmation and the participant code of an erase; a ballot's optional token. */
static void test_lifecycle_bodies(void **state)
{
	struct req_error err;
	struct req_ballot b;
	char *confirm = NULL, code[PCODE_LEN + 1];

	assert_true(req_confirm_parse(J("{\"confirm\": \"Karlstad 12 mars\"}"), &confirm, &err));
	assert_string_equal(confirm, "Karlstad 12 mars");
	free(confirm);
	assert_false(req_confirm_parse(J("{}"), &confirm, &err));
	assert_int_equal(err.status, 400);
	assert_null(confirm);
	assert_false(req_confirm_parse(J("{\"confirm\": 7}"), &confirm, &err));
	assert_int_equal(err.status, 400);
	assert_false(req_confirm_parse(J("[]"), &confirm, &err));
	assert_int_equal(err.status, 400);

	assert_true(req_erase_parse(J("{\"code\": \"abcd-efgh\"}"), code, &err));
	assert_string_equal(code, "ABCDEFGH");
	/* Crockford's look-alikes read as meant; spaces and hyphens anywhere. */
	assert_true(req_erase_parse(J("{\"code\": \" o1lI 2345 \"}"), code, &err));
	assert_string_equal(code, "01112345");
	assert_false(req_erase_parse(J("{\"code\": \"ABCD-EFG\"}"), code, &err));
	assert_int_equal(err.status, 422);
	assert_false(req_erase_parse(J("{\"code\": \"ABCD-EFGHJ\"}"), code, &err));
	assert_int_equal(err.status, 422);
	assert_false(req_erase_parse(J("{\"code\": \"ABCD-EFGU\"}"), code, &err));
	assert_int_equal(err.status, 422);
	assert_false(req_erase_parse(J("{\"code\": 12345678}"), code, &err));
	assert_int_equal(err.status, 400);
	assert_string_equal(code, "");

	assert_true(req_ballot_parse(J("{\"code\": \"ABC123\", \"vote_id\": 1, \"client_id\": \"phone-0001\","
				       " \"token\": \"t\", \"dots\": {\"a\": 1}}"), &b, &err));
	assert_string_equal(b.token, "t");
	req_ballot_free(&b);
	assert_true(req_ballot_parse(J("{\"code\": \"ABC123\", \"vote_id\": 1, \"client_id\": \"phone-0001\","
				       " \"dots\": {\"a\": 1}}"), &b, &err));
	assert_null(b.token);
	req_ballot_free(&b);
	assert_false(req_ballot_parse(J("{\"code\": \"ABC123\", \"vote_id\": 1, \"client_id\": \"phone-0001\","
					" \"token\": 5, \"dots\": {\"a\": 1}}"), &b, &err));
	assert_int_equal(err.status, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_refuses),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_parse_id),
		cmocka_unit_test(test_method),
		cmocka_unit_test(test_json_type),
		cmocka_unit_test(test_answer_ok),
		cmocka_unit_test(test_answer_nfc_and_optional),
		cmocka_unit_test(test_answer_malformed),
		cmocka_unit_test(test_answer_invalid_utf8),
		cmocka_unit_test(test_answer_missing_and_types),
		cmocka_unit_test(test_answer_field_rules),
		cmocka_unit_test(test_workshop_ok),
		cmocka_unit_test(test_workshop_refused),
		cmocka_unit_test(test_patches),
		cmocka_unit_test(test_vote),
		cmocka_unit_test(test_ballot),
		cmocka_unit_test(test_series_and_workshop_patch),
		cmocka_unit_test(test_lifecycle_bodies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

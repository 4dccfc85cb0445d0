/*
 * fuzz_request.c - libFuzzer target for server/request.c: the same bytes
 * go through every body parser (answers, workshops, patches, votes,
 * ballots, series, delete confirmations, erasures), and (as a NUL-terminated string) through
 * the route splitter, the id parser, the method list and the Content-Type
 * check.  A refused input must come back as a 400/422/500 with a message;
 * an accepted one must satisfy the rules docs/API.md promises, checked
 * here independently of the code under test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uninorm.h>
#include <unistr.h>

#include "wire/request.h"
#include "wire/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal: one of the statuses the parsers may give, with a message. */
static void check_error(const struct req_error *err)
{
	if ((err->status != 400 && err->status != 422 && err->status != 500) || !err->msg[0] ||
	    strlen(err->msg) >= sizeof err->msg)
		abort();
}

/* Validated text: UTF-8, NFC, no white space at either end, [min, max] code points. */
static void check_text(const char *s, size_t min, size_t max)
{
	const uint8_t *u = (const uint8_t *)s;
	size_t len = strlen(s), cps, nlen = 0;
	uint8_t *nfc;

	if (u8_check(u, len))
		abort();
	cps = u8_mbsnlen(u, len);
	if (cps < min || cps > max)
		abort();
	if (len > 0 && (s[0] == ' ' || s[0] == '\n' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\n' ||
			s[len - 1] == '\t'))
		abort();
	nfc = u8_normalize(UNINORM_NFC, u, len, NULL, &nlen);
	if (len > 0 && (!nfc || nlen != len || memcmp(nfc, u, len) != 0))
		abort();
	free(nfc);
}

static void fuzz_answer(const char *body, size_t len)
{
	struct req_answer a;
	struct req_error err;

	if (!req_answer_parse(body, len, &a, &err)) {
		check_error(&err);
		if (a.json || a.text || a.group || a.organisation)
			abort();
		return;
	}
	if (!a.code || !validate_id(a.answer_id) || (a.client_id && !validate_id(a.client_id)))
		abort();
	check_text(a.text, 1, VALIDATE_TEXT_MAX);
	if (a.group)
		check_text(a.group, 1, VALIDATE_TAG_MAX);
	if (a.organisation)
		check_text(a.organisation, 1, VALIDATE_TAG_MAX);
	req_answer_free(&a);
}

static void fuzz_workshop(const char *body, size_t len)
{
	struct req_workshop w;
	struct req_error err;
	json_t *v;
	size_t i;

	if (!req_workshop_parse(body, len, &w, &err)) {
		check_error(&err);
		if (w.title || w.questions || w.organisations)
			abort();
		return;
	}
	check_text(w.title, 1, VALIDATE_TITLE_MAX);
	if (json_array_size(w.questions) < 1 || json_array_size(w.questions) > REQ_QUESTIONS_MAX ||
	    json_array_size(w.organisations) > REQ_ORGANISATIONS_MAX)
		abort();
	json_array_foreach(w.questions, i, v) {
		const char *text = json_string_value(json_object_get(v, "text"));
		const char *section = json_string_value(json_object_get(v, "section"));
		if (!text || !section)
			abort();
		check_text(text, 1, VALIDATE_QUESTION_MAX);
		check_text(section, 0, VALIDATE_TAG_MAX);
	}
	json_array_foreach(w.organisations, i, v) {
		if (!json_is_string(v))
			abort();
		check_text(json_string_value(v), 1, VALIDATE_TAG_MAX);
	}
	req_workshop_free(&w);
}

static void fuzz_patch(const char *body, size_t len)
{
	struct req_answer_patch patch;
	struct req_error err;
	bool flag;

	if (!req_question_patch_parse(body, len, &flag, &err))
		check_error(&err);
	if (!req_answer_patch_parse(body, len, &patch, &err))
		check_error(&err);
	else if (!patch.set_hidden && !patch.set_released)
		abort();
}

static void fuzz_vote(const char *body, size_t len)
{
	struct req_vote v;
	struct req_error err;
	json_t *t;
	size_t i, j;
	bool open;

	if (!req_vote_patch_parse(body, len, &open, &err))
		check_error(&err);
	if (!req_vote_parse(body, len, &v, &err)) {
		check_error(&err);
		if (v.themes || v.dots)
			abort();
		return;
	}
	if (v.dots < 1 || v.dots > LIMIT_VOTE_DOTS_MAX)
		abort();
	if (v.themes) {
		if (json_array_size(v.themes) < 1 || json_array_size(v.themes) > LIMIT_VOTE_THEMES_MAX)
			abort();
		json_array_foreach(v.themes, i, t) {
			const char *id = json_string_value(t);
			if (!id || !id[0] || strlen(id) > REQ_THEME_ID_MAX)
				abort();
			for (j = 0; j < i; j++)
				if (strcmp(id, json_string_value(json_array_get(v.themes, j))) == 0)
					abort();
		}
	}
	req_vote_free(&v);
}

static void fuzz_ballot(const char *body, size_t len)
{
	struct req_ballot b;
	struct req_error err;
	const char *theme;
	json_t *n;

	if (!req_ballot_parse(body, len, &b, &err)) {
		check_error(&err);
		if (b.json || b.dots || b.code || b.client_id)
			abort();
		return;
	}
	if (!b.code || !validate_id(b.client_id) || !json_is_object(b.dots) || json_object_size(b.dots) < 1 ||
	    json_object_size(b.dots) > LIMIT_VOTE_THEMES_MAX)
		abort();
	json_object_foreach((json_t *)b.dots, theme, n)
		if (!theme[0] || strlen(theme) > REQ_THEME_ID_MAX || !json_is_integer(n) || json_integer_value(n) < 1 ||
		    json_integer_value(n) > LIMIT_VOTE_DOTS_MAX)
			abort();
	req_ballot_free(&b);
}

static void fuzz_series(const char *body, size_t len)
{
	struct req_error err;
	char *title = (char *)"", *series = (char *)"";

	if (req_series_parse(body, len, &title, &err)) {
		check_text(title, 1, VALIDATE_TITLE_MAX);
		free(title);
	} else {
		check_error(&err);
		if (title)
			abort();
	}
	if (req_workshop_patch_parse(body, len, &series, &err)) {
		free(series);
	} else {
		check_error(&err);
		if (series)
			abort();
	}
}

static void fuzz_lifecycle(const char *body, size_t len)
{
	struct req_error err;
	char *confirm = (char *)"", code[PCODE_LEN + 1];
	size_t i;

	if (req_confirm_parse(body, len, &confirm, &err)) {
		free(confirm);
	} else {
		check_error(&err);
		if (confirm)
			abort();
	}
	if (req_erase_parse(body, len, code, &err)) {
		/* Canonical: PCODE_LEN symbols of the alphabet, nothing else. */
		if (strlen(code) != PCODE_LEN)
			abort();
		for (i = 0; i < PCODE_LEN; i++)
			if (!strchr(PCODE_ALPHABET, code[i]))
				abort();
	} else {
		check_error(&err);
		if (code[0])
			abort();
	}
}

/* The string parsers on `s` (NUL-terminated, no inner NUL). */
static void fuzz_strings(const char *s)
{
	struct req_route rt;
	struct req_params p;
	char allow[REQ_ALLOW_MAX];
	int64_t id = 0;
	unsigned m;
	size_t i;

	if (req_split(s, &rt)) {
		if (strncmp(s, "/api", 4) != 0 || rt.n > REQ_SEGMENTS)
			abort();
		for (i = 0; i < rt.n; i++)
			if (!rt.seg[i][0] || strchr(rt.seg[i], '/') || strlen(rt.seg[i]) > REQ_SEGMENT_MAX)
				abort();
		/* A match fills exactly the pattern's parameters, with the segments at their places. */
		if (req_match(&rt, "/workshops/:workshop/themes", &p) &&
		    (rt.n != 3 || strcmp(rt.seg[0], "workshops") != 0 || strcmp(rt.seg[2], "themes") != 0 ||
		     p.workshop != rt.seg[1] || p.series || p.code || p.id))
			abort();
		if (req_match(&rt, "/join/:code", &p) && (rt.n != 2 || p.code != rt.seg[1] || p.workshop || p.id))
			abort();
		if (req_match(&rt, "/health", &p) && (rt.n != 1 || strcmp(rt.seg[0], "health") != 0))
			abort();
	}
	if (req_parse_id(s, &id)) {
		if (id <= 0 || strspn(s, "0123456789") != strlen(s))
			abort();
	}
	/* An exact method name, never a part of one (and never the empty method). */
	m = req_method(s);
	if ((m != 0) != (strcmp(s, "GET") == 0 || strcmp(s, "HEAD") == 0 || strcmp(s, "POST") == 0 ||
			 strcmp(s, "PATCH") == 0 || strcmp(s, "DELETE") == 0))
		abort();
	if (m && strcmp(req_allow(m, allow, sizeof allow), s) != 0)
		abort();
	if (req_is_json_type(s) && strncasecmp(s, "application/json", 16) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	char *s;

	fuzz_answer(body, size);
	fuzz_workshop(body, size);
	fuzz_patch(body, size);
	fuzz_vote(body, size);
	fuzz_ballot(body, size);
	fuzz_series(body, size);
	fuzz_lifecycle(body, size);
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_strings(s);
	free(s);
	return 0;
}

/*
 * request.c - untrusted request input into validated C values.
 *
 * Every check happens in the order docs/API.md implies (shape 400 before
 * field rules 422), because clients and tests rely on which error comes
 * first when a body is wrong in several ways.  JSON is parsed with
 * JSON_REJECT_DUPLICATES so {"text": "a", "text": "b"} cannot mean one
 * thing to us and another to a proxy; jansson refuses "\u0000" in strings,
 * so every string taken from a body is a complete C string.
 */
#include "wire/request.h"
#include "base/srv_err.h"
#include "wire/template.h"
#include "wire/validate.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void req_set(struct req_error *err, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Record why a request is refused (the message cut to REQ_MSG_MAX - 1 bytes). */
static void req_set(struct req_error *err, unsigned status, const char *fmt, ...)
{
	va_list ap;

	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

/* Record a validate_text failure on field `what` ("text is too long"). */
static void req_text_error(struct req_error *err, int code, const char *what)
{
	const char *why = code == SRV_EUTF8 ? "is not valid UTF-8" : code == SRV_EEMPTY ? "is empty" : "is too long";

	if (code == SRV_ENOMEM)
		req_set(err, 500, "out of memory");
	else
		req_set(err, 422, "%s %s", what, why);
}

/* A list of `n` items must have 1 (0 too when `none` is NULL) to `max`; else 422 `none` or `too_many`. */
static bool req_count_ok(size_t n, size_t max, const char *none, const char *too_many, struct req_error *err)
{
	if (n == 0 && none) {
		req_set(err, 422, "%s", none);
		return false;
	}
	if (n > max) {
		req_set(err, 422, "%s", too_many);
		return false;
	}
	return true;
}

bool req_split(const char *url, struct req_route *rt)
{
	const char *p, *end;
	size_t len;

	memset(rt, 0, sizeof *rt);
	if (strncmp(url, "/api", 4) != 0 || (url[4] && url[4] != '/'))
		return false;
	p = url + 4;
	while (*p == '/') {
		p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (rt->n >= REQ_SEGMENTS || len > REQ_SEGMENT_MAX || len == 0)
			return false;
		memcpy(rt->seg[rt->n++], p, len);
		p += len;
	}
	return true;
}

/* The member of *p that pattern segment `name` (`len` bytes, with its ':') fills; NULL for no member. */
static const char **req_param_slot(struct req_params *p, const char *name, size_t len)
{
	static const char *const names[] = { ":workshop", ":series", ":code", ":id" };
	const char **slots[] = { &p->workshop, &p->series, &p->code, &p->id };
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return slots[i];
	return NULL;
}

bool req_match(const struct req_route *rt, const char *pattern, struct req_params *p)
{
	const char *seg = pattern, **slot;
	size_t i, len;

	memset(p, 0, sizeof *p);
	for (i = 0; *seg == '/'; i++, seg += len) {
		seg++;
		len = strcspn(seg, "/");
		if (i >= rt->n)
			return false;
		if (seg[0] == ':') {
			slot = req_param_slot(p, seg, len);
			assert(slot && !*slot);
			*slot = rt->seg[i];
		} else if (strlen(rt->seg[i]) != len || memcmp(rt->seg[i], seg, len) != 0) {
			return false;
		}
	}
	assert(*seg == '\0');
	return i == rt->n;
}

bool req_parse_id(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (!s || !*s)
		return false;
	/* By hand rather than strtoll, which would also take " 5" and "\t5". */
	for (i = 0; s[i]; i++) {
		int d = s[i] - '0';
		if (d < 0 || d > 9 || v > (INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v == 0)
		return false;
	*out = v;
	return true;
}

static const char *const req_method_names[] = { "GET", "HEAD", "POST", "PATCH", "DELETE" };

unsigned req_method(const char *method)
{
	size_t i;

	for (i = 0; i < sizeof req_method_names / sizeof req_method_names[0]; i++)
		if (strcmp(method, req_method_names[i]) == 0)
			return 1u << i;
	return 0;
}

char *req_allow(unsigned methods, char *out, size_t size)
{
	size_t i, len = 0;
	int n;

	assert(size > 0);
	out[0] = '\0';
	for (i = 0; i < sizeof req_method_names / sizeof req_method_names[0]; i++) {
		if (!(methods & (1u << i)))
			continue;
		n = snprintf(out + len, size - len, "%s%s", len ? ", " : "", req_method_names[i]);
		if (n < 0 || (size_t)n >= size - len) {
			out[len] = '\0';      /* whole names only */
			break;
		}
		len += (size_t)n;
	}
	return out;
}

bool req_is_json_type(const char *type)
{
	size_t n = strlen("application/json");

	return type && strncasecmp(type, "application/json", n) == 0 &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* The body as a JSON object (a new reference), or NULL with *err set. */
json_t *req_json_object(const char *body, size_t len, struct req_error *err)
{
	json_error_t jerr;
	json_t *obj = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &jerr);

	if (!obj) {
		enum json_error_code code = json_error_code(&jerr);
		if (code == json_error_invalid_utf8)
			req_set(err, 422, "text is not valid UTF-8");
		else if (code == json_error_out_of_memory)
			req_set(err, 500, "out of memory");
		else
			req_set(err, 400, "malformed JSON");
		return NULL;
	}
	if (!json_is_object(obj)) {
		json_decref(obj);
		req_set(err, 400, "body must be a JSON object");
		return NULL;
	}
	return obj;
}

/* Optional string field: absent or null gives NULL; false for any other non-string. */
static bool req_opt_string(json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	if (!json_is_string(v))
		return false;
	*out = json_string_value(v);
	return true;
}

/*
 * An optional tag (group, organisation) into *out: NULL when absent or
 * blank after trimming; a table name (`table`) tidied by validate_table.
 * SRV_OK or a validate_text error.
 */
static int req_tag(const char *in, bool table, char **out)
{
	int code;

	*out = NULL;
	if (!in)
		return SRV_OK;
	code = table ? validate_table(in, strlen(in), VALIDATE_TAG_MAX, out) :
		       validate_text(in, strlen(in), 0, VALIDATE_TAG_MAX, out);
	if (!code && !**out) {
		free(*out);
		*out = NULL;
	}
	return code;
}

bool req_answer_parse(const char *body, size_t len, struct req_answer *out, struct req_error *err)
{
	const char *text, *group, *org;
	json_t *qid;
	int code;

	memset(out, 0, sizeof *out);
	out->json = req_json_object(body, len, err);
	if (!out->json)
		return false;
	out->code = json_string_value(json_object_get(out->json, "code"));
	qid = json_object_get(out->json, "question_id");
	out->answer_id = json_string_value(json_object_get(out->json, "answer_id"));
	text = json_string_value(json_object_get(out->json, "text"));
	if (!out->code || !json_is_integer(qid) || !out->answer_id || !text) {
		req_set(err, 400, "code, question_id, answer_id and text are required");
		goto fail;
	}
	out->question_id = json_integer_value(qid);
	if (!req_opt_string(out->json, "group", &group) || !req_opt_string(out->json, "organisation", &org) ||
	    !req_opt_string(out->json, "client_id", &out->client_id)) {
		req_set(err, 400, "group, organisation and client_id must be strings");
		goto fail;
	}
	if (!validate_id(out->answer_id)) {
		req_set(err, 422, "answer_id must be 8-64 characters of A-Z a-z 0-9 _ -");
		goto fail;
	}
	if (out->client_id && !validate_id(out->client_id)) {
		req_set(err, 422, "client_id must be 8-64 characters of A-Z a-z 0-9 _ -");
		goto fail;
	}
	code = validate_text(text, strlen(text), 1, VALIDATE_TEXT_MAX, &out->text);
	if (code) {
		req_text_error(err, code, "text");
		goto fail;
	}
	code = req_tag(group, true, &out->group);
	if (code) {
		req_text_error(err, code, "group");
		goto fail;
	}
	code = req_tag(org, false, &out->organisation);
	if (code) {
		req_text_error(err, code, "organisation");
		goto fail;
	}
	return true;
fail:
	req_answer_free(out);
	return false;
}

void req_answer_free(struct req_answer *a)
{
	json_decref(a->json);
	free(a->text);
	free(a->group);
	free(a->organisation);
	memset(a, 0, sizeof *a);
}

/* The questions of a new workshop (template or list) as a new array into *out. */
static bool req_questions(json_t *body, json_t **out, struct req_error *err)
{
	json_t *tmpl = json_object_get(body, "template"), *in = json_object_get(body, "questions");
	json_t *qs = NULL, *v;
	char *section = NULL, *text = NULL;
	size_t i;
	int code;

	*out = NULL;
	if (tmpl && !json_is_null(tmpl)) {
		code = json_is_string(tmpl) ? template_questions(json_string_value(tmpl), out) : SRV_ENOTFOUND;
		if (code)
			req_set(err, code == SRV_ENOMEM ? 500 : 400, code == SRV_ENOMEM ? "out of memory" : "unknown template");
		return code == SRV_OK;
	}
	if (!in) {
		req_set(err, 400, "template or questions is required");
		return false;
	}
	if (!json_is_array(in)) {
		req_set(err, 400, "questions must be a list");
		return false;
	}
	if (!req_count_ok(json_array_size(in), REQ_QUESTIONS_MAX, "a workshop needs at least one question",
			  "too many questions", err))
		return false;
	qs = json_array();
	if (!qs) {
		req_set(err, 500, "out of memory");
		goto fail;
	}
	json_array_foreach(in, i, v) {
		json_t *jt = json_object_get(v, "text"), *js = json_object_get(v, "section");
		if (!json_is_object(v) || !json_is_string(jt) || (js && !json_is_null(js) && !json_is_string(js))) {
			req_set(err, 400, "each question needs a text string and an optional section string");
			goto fail;
		}
		code = validate_text(json_string_value(jt), json_string_length(jt), 1, VALIDATE_QUESTION_MAX, &text);
		if (code) {
			req_text_error(err, code, "question text");
			goto fail;
		}
		code = validate_text(json_is_string(js) ? json_string_value(js) : "",
				     json_is_string(js) ? json_string_length(js) : 0, 0, VALIDATE_TAG_MAX, &section);
		if (code) {
			req_text_error(err, code, "section");
			goto fail;
		}
		/* append_new also refuses a NULL from a failed json_pack. */
		if (json_array_append_new(qs, json_pack("{s:s,s:s}", "section", section, "text", text))) {
			req_set(err, 500, "out of memory");
			goto fail;
		}
		free(section);
		free(text);
		section = text = NULL;
	}
	*out = qs;
	return true;
fail:
	free(section);
	free(text);
	json_decref(qs);
	return false;
}

/* The organisations of a new workshop (given or default) as a new array into *out. */
static bool req_organisations(json_t *body, json_t **out, struct req_error *err)
{
	json_t *in = json_object_get(body, "organisations"), *orgs = NULL, *v;
	char *norm = NULL;
	size_t i;
	int code;

	*out = NULL;
	if (!in || json_is_null(in)) {
		*out = template_organisations();
		if (!*out)
			req_set(err, 500, "out of memory");
		return *out != NULL;
	}
	if (!json_is_array(in)) {
		req_set(err, 400, "organisations must be a list of strings");
		return false;
	}
	if (!req_count_ok(json_array_size(in), REQ_ORGANISATIONS_MAX, NULL, "too many organisations", err))
		return false;
	orgs = json_array();
	if (!orgs) {
		req_set(err, 500, "out of memory");
		goto fail;
	}
	json_array_foreach(in, i, v) {
		if (!json_is_string(v)) {
			req_set(err, 400, "organisations must be a list of strings");
			goto fail;
		}
		code = validate_text(json_string_value(v), json_string_length(v), 1, VALIDATE_TAG_MAX, &norm);
		if (code) {
			req_text_error(err, code, "organisation");
			goto fail;
		}
		if (json_array_append_new(orgs, json_string(norm))) {
			req_set(err, 500, "out of memory");
			goto fail;
		}
		free(norm);
		norm = NULL;
	}
	*out = orgs;
	return true;
fail:
	free(norm);
	json_decref(orgs);
	return false;
}

bool req_workshop_parse(const char *body, size_t len, struct req_workshop *out, struct req_error *err)
{
	json_t *obj, *title;
	int code;

	memset(out, 0, sizeof *out);
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	title = json_object_get(obj, "title");
	if (!json_is_string(title)) {
		req_set(err, 400, "title is required");
		goto fail;
	}
	code = validate_text(json_string_value(title), json_string_length(title), 1, VALIDATE_TITLE_MAX, &out->title);
	if (code) {
		req_text_error(err, code, "title");
		goto fail;
	}
	if (!req_questions(obj, &out->questions, err) || !req_organisations(obj, &out->organisations, err))
		goto fail;
	json_decref(obj);
	return true;
fail:
	json_decref(obj);
	req_workshop_free(out);
	return false;
}

void req_workshop_free(struct req_workshop *w)
{
	free(w->title);
	json_decref(w->questions);
	json_decref(w->organisations);
	memset(w, 0, sizeof *w);
}

/* A body {"KEY": true|false} into *out. */
static bool req_flag_parse(const char *body, size_t len, const char *key, bool *out, struct req_error *err)
{
	json_t *obj = req_json_object(body, len, err), *v;
	bool ok;

	if (!obj)
		return false;
	v = json_object_get(obj, key);
	ok = json_is_boolean(v);
	if (ok) {
		*out = json_is_true(v);
	} else {
		req_set(err, 400, "%s must be true or false", key);
	}
	json_decref(obj);
	return ok;
}

bool req_question_patch_parse(const char *body, size_t len, bool *open, struct req_error *err)
{
	return req_flag_parse(body, len, "open", open, err);
}

bool req_answer_patch_parse(const char *body, size_t len, struct req_answer_patch *out, struct req_error *err)
{
	json_t *obj = req_json_object(body, len, err), *hidden, *released;
	bool ok = false;

	memset(out, 0, sizeof *out);
	if (!obj)
		return false;
	hidden = json_object_get(obj, "hidden");
	released = json_object_get(obj, "released");
	if ((hidden || !released) && !json_is_boolean(hidden)) {
		req_set(err, 400, "hidden must be true or false");
	} else if (released && !json_is_boolean(released)) {
		req_set(err, 400, "released must be true or false");
	} else {
		out->set_hidden = hidden != NULL;
		out->hidden = json_is_true(hidden);
		out->set_released = released != NULL;
		out->released = json_is_true(released);
		ok = true;
	}
	json_decref(obj);
	return ok;
}

/* Is `id` usable as a theme id: 1..REQ_THEME_ID_MAX bytes? */
static bool req_theme_id_ok(const char *id, size_t len)
{
	return len >= 1 && len <= REQ_THEME_ID_MAX && strlen(id) == len;
}

/* Is `v` a list of strings only? */
static bool req_string_list(const json_t *v)
{
	const json_t *item;
	size_t i;

	if (!json_is_array(v))
		return false;
	json_array_foreach(v, i, item)
		if (!json_is_string(item))
			return false;
	return true;
}

/* The "themes" list of a vote body into a new array of distinct ids (*out NULL when absent). */
static bool req_vote_themes(json_t *in, json_t **out, struct req_error *err)
{
	json_t *v, *seen = NULL;
	size_t i;

	*out = NULL;
	if (!in || json_is_null(in))
		return true;
	if (!req_string_list(in)) {
		req_set(err, 400, "themes must be a list of theme ids");
		return false;
	}
	if (!req_count_ok(json_array_size(in), LIMIT_VOTE_THEMES_MAX, "no themes", "too many themes", err))
		return false;
	/* An object of the ids seen finds a repeat without comparing every pair. */
	seen = json_object();
	if (!seen) {
		req_set(err, 500, "out of memory");
		return false;
	}
	json_array_foreach(in, i, v) {
		const char *id = json_string_value(v);
		if (!req_theme_id_ok(id, json_string_length(v))) {
			req_set(err, 422, "a theme id is empty or too long");
			goto fail;
		}
		if (json_object_get(seen, id)) {
			req_set(err, 422, "a theme is named twice");
			goto fail;
		}
		if (json_object_set_new(seen, id, json_true())) {
			req_set(err, 500, "out of memory");
			goto fail;
		}
	}
	json_decref(seen);
	*out = json_incref(in);
	return true;
fail:
	json_decref(seen);
	return false;
}

bool req_vote_parse(const char *body, size_t len, struct req_vote *out, struct req_error *err)
{
	json_t *obj, *dots;

	memset(out, 0, sizeof *out);
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	dots = json_object_get(obj, "dots");
	out->dots = REQ_VOTE_DOTS_DEFAULT;
	if (dots && !json_is_null(dots)) {
		if (!json_is_integer(dots)) {
			req_set(err, 400, "dots must be an integer");
			goto fail;
		}
		if (json_integer_value(dots) < 1 || json_integer_value(dots) > LIMIT_VOTE_DOTS_MAX) {
			req_set(err, 422, "dots must be 1-%d", LIMIT_VOTE_DOTS_MAX);
			goto fail;
		}
		out->dots = (int)json_integer_value(dots);
	}
	if (!req_vote_themes(json_object_get(obj, "themes"), &out->themes, err))
		goto fail;
	json_decref(obj);
	return true;
fail:
	json_decref(obj);
	req_vote_free(out);
	return false;
}

void req_vote_free(struct req_vote *v)
{
	json_decref(v->themes);
	memset(v, 0, sizeof *v);
}

bool req_vote_patch_parse(const char *body, size_t len, bool *open, struct req_error *err)
{
	return req_flag_parse(body, len, "open", open, err);
}

bool req_ballot_parse(const char *body, size_t len, struct req_ballot *out, struct req_error *err)
{
	const char *theme;
	json_t *vid, *dots, *v;

	memset(out, 0, sizeof *out);
	out->json = req_json_object(body, len, err);
	if (!out->json)
		return false;
	out->code = json_string_value(json_object_get(out->json, "code"));
	vid = json_object_get(out->json, "vote_id");
	out->client_id = json_string_value(json_object_get(out->json, "client_id"));
	dots = json_object_get(out->json, "dots");
	if (!req_opt_string(out->json, "token", &out->token)) {
		req_set(err, 400, "token must be a string");
		goto fail;
	}
	if (!out->code || !json_is_integer(vid) || !out->client_id || !json_is_object(dots)) {
		req_set(err, 400, "code, vote_id, client_id and dots (an object) are required");
		goto fail;
	}
	out->vote_id = json_integer_value(vid);
	if (!validate_id(out->client_id)) {
		req_set(err, 422, "client_id must be 8-64 characters of A-Z a-z 0-9 _ -");
		goto fail;
	}
	if (!req_count_ok(json_object_size(dots), LIMIT_VOTE_THEMES_MAX, "no dots", "too many themes", err))
		goto fail;
	json_object_foreach(dots, theme, v) {
		if (!req_theme_id_ok(theme, strlen(theme))) {
			req_set(err, 422, "a theme id is empty or too long");
			goto fail;
		}
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > LIMIT_VOTE_DOTS_MAX) {
			req_set(err, 422, "each theme's dots must be a whole number 1-%d", LIMIT_VOTE_DOTS_MAX);
			goto fail;
		}
	}
	out->dots = dots;
	return true;
fail:
	req_ballot_free(out);
	return false;
}

void req_ballot_free(struct req_ballot *b)
{
	json_decref(b->json);
	memset(b, 0, sizeof *b);
}

bool req_series_parse(const char *body, size_t len, char **title, struct req_error *err)
{
	json_t *obj, *t;
	int code;

	*title = NULL;
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	t = json_object_get(obj, "title");
	if (!json_is_string(t)) {
		req_set(err, 400, "title is required");
		json_decref(obj);
		return false;
	}
	/* Trimmed and counted like a workshop's title. */
	code = validate_text(json_string_value(t), json_string_length(t), 1, VALIDATE_TITLE_MAX, title);
	json_decref(obj);
	if (code)
		req_text_error(err, code, "title");
	return code == SRV_OK;
}

bool req_workshop_patch_parse(const char *body, size_t len, char **series, struct req_error *err)
{
	json_t *obj, *v;
	bool ok = true;

	*series = NULL;
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	v = json_object_get(obj, "series");
	if (!v || (!json_is_null(v) && !json_is_string(v))) {
		req_set(err, 400, "series must be a series id or null");
		ok = false;
	} else if (json_is_string(v)) {
		*series = strdup(json_string_value(v));
		if (!*series) {
			req_set(err, 500, "out of memory");
			ok = false;
		}
	}
	json_decref(obj);
	return ok;
}

bool req_confirm_parse(const char *body, size_t len, char **confirm, struct req_error *err)
{
	json_t *obj, *v;
	bool ok = true;

	*confirm = NULL;
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	v = json_object_get(obj, "confirm");
	if (!json_is_string(v)) {
		req_set(err, 400, "confirm (the id or the exact title) is required");
		ok = false;
	} else if (!(*confirm = strdup(json_string_value(v)))) {
		req_set(err, 500, "out of memory");
		ok = false;
	}
	json_decref(obj);
	return ok;
}

bool req_erase_parse(const char *body, size_t len, char code[PCODE_LEN + 1], struct req_error *err)
{
	json_t *obj, *v;
	bool ok = false;

	code[0] = '\0';
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	v = json_object_get(obj, "code");
	if (!json_is_string(v))
		req_set(err, 400, "code (the participant code the phone shows) is required");
	else if (!pcode_normalise(json_string_value(v), code))
		req_set(err, 422, "code must be the %d-character participant code the phone shows", PCODE_LEN);
	else
		ok = true;
	json_decref(obj);
	if (!ok)
		code[0] = '\0';
	return ok;
}

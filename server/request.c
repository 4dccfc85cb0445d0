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
#include "request.h"
#include "srv_err.h"
#include "template.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Record why a request is refused. */
static void req_set(struct req_error *err, unsigned status, const char *msg)
{
	err->status = status;
	snprintf(err->msg, sizeof err->msg, "%s", msg);
}

/* Record a validate_text failure on field `what` ("text is too long"). */
static void req_text_error(struct req_error *err, int code, const char *what)
{
	const char *why = code == SRV_EUTF8 ? "is not valid UTF-8" : code == SRV_EEMPTY ? "is empty" : "is too long";

	if (code == SRV_ENOMEM) {
		req_set(err, 500, "out of memory");
		return;
	}
	err->status = 422;
	snprintf(err->msg, sizeof err->msg, "%s %s", what, why);
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

bool req_is(const struct req_route *rt, size_t n, const char *s0, const char *s2)
{
	return rt->n == n && strcmp(rt->seg[0], s0) == 0 && (!s2 || strcmp(rt->seg[2], s2) == 0);
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

bool req_method_allowed(const char *allow, const char *method)
{
	size_t n = strlen(method), len;
	const char *p = allow, *end;

	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		if (n > 0 && len == n && memcmp(p, method, n) == 0)
			return true;
		if (!end)
			return false;
		p = end + 1;
		while (*p == ' ')
			p++;
	}
}

bool req_is_json_type(const char *type)
{
	size_t n = strlen("application/json");

	return type && strncasecmp(type, "application/json", n) == 0 &&
	       (type[n] == '\0' || type[n] == ';' || type[n] == ' ');
}

/* The body as a JSON object (a new reference), or NULL with *err set. */
static json_t *req_object(const char *body, size_t len, struct req_error *err)
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
 * blank after trimming.  SRV_OK or a validate_text error.
 */
static int req_tag(const char *in, char **out)
{
	int code;

	*out = NULL;
	if (!in)
		return SRV_OK;
	code = validate_text(in, strlen(in), 0, VALIDATE_TAG_MAX, out);
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
	out->json = req_object(body, len, err);
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
	code = req_tag(group, &out->group);
	if (code) {
		req_text_error(err, code, "group");
		goto fail;
	}
	code = req_tag(org, &out->organisation);
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
	if (json_array_size(in) == 0 || json_array_size(in) > REQ_QUESTIONS_MAX) {
		req_set(err, 422, json_array_size(in) ? "too many questions" : "a workshop needs at least one question");
		return false;
	}
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
	if (json_array_size(in) > REQ_ORGANISATIONS_MAX) {
		req_set(err, 422, "too many organisations");
		return false;
	}
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
	obj = req_object(body, len, err);
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
	json_t *obj = req_object(body, len, err), *v;
	bool ok;

	if (!obj)
		return false;
	v = json_object_get(obj, key);
	ok = json_is_boolean(v);
	if (ok) {
		*out = json_is_true(v);
	} else {
		err->status = 400;
		snprintf(err->msg, sizeof err->msg, "%s must be true or false", key);
	}
	json_decref(obj);
	return ok;
}

bool req_question_patch_parse(const char *body, size_t len, bool *open, struct req_error *err)
{
	return req_flag_parse(body, len, "open", open, err);
}

bool req_answer_patch_parse(const char *body, size_t len, bool *hidden, struct req_error *err)
{
	return req_flag_parse(body, len, "hidden", hidden, err);
}

/*
 * decision.c - POST .../decisions bodies into normalised decision objects.
 *
 * Each kind has the fixed list of fields of the analysis library's table
 * (curate/vocab.h), which this file walks with one checker per field
 * type; anything else in the body is refused (400), so a typo like
 * "tehme" is an error rather than a decision that silently means
 * something else.  Shape errors (400) come before rule errors (422), as in
 * request.c.  A themes text is parsed here with the analysis library's own
 * parser, so a file that would fail at the next analysis is refused now
 * with the line it fails on.
 */
#include "wire/decision.h"
#include "core/an_err.h"
#include "base/srv_err.h"
#include "themes/themes.h"
#include "wire/limits.h"
#include "wire/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void decision_set(struct req_error *err, unsigned status, const char *msg)
{
	err->status = status;
	snprintf(err->msg, sizeof err->msg, "%s", msg);
}

bool decision_theme_id_ok(const char *id)
{
	return themes_valid_id(id, strlen(id));
}

bool decision_is_discovered(const char *id)
{
	return vocab_discovered_id(id);
}

/* Every member of `obj` is "kind", "rev" or a field of def's a client sends; else 400 naming it. */
static bool decision_members(json_t *obj, const struct vocab_def *def, struct req_error *err)
{
	const struct vocab_field *f;
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool known = strcmp(key, "kind") == 0 || strcmp(key, "rev") == 0 ||
			     ((f = vocab_field(def, key)) && !(f->flags & VOCAB_SERVER));
		if (!known) {
			err->status = 400;
			snprintf(err->msg, sizeof err->msg, "unknown member \"%.40s\" for a %s decision", key, def->name);
			return false;
		}
	}
	return true;
}

/* A required theme id member: 400 missing or not a string, 422 breaking the id rule. */
static bool decision_theme(json_t *obj, const char *key, const char **out, struct req_error *err)
{
	json_t *v = json_object_get(obj, key);

	*out = json_string_value(v);
	if (!*out) {
		err->status = 400;
		snprintf(err->msg, sizeof err->msg, "%s must be a theme id string", key);
		return false;
	}
	if (!decision_theme_id_ok(*out)) {
		err->status = 422;
		snprintf(err->msg, sizeof err->msg, "%s must be 1-48 characters of a-z 0-9 - _", key);
		return false;
	}
	return true;
}

/*
 * A required label or term member: NFC, trimmed, 1..max code points, no
 * control characters (a label is one line; a term may not carry the themes
 * file's separators either).  *out is new; 400/422/500 otherwise.
 */
static bool decision_text(json_t *obj, const char *key, size_t max, bool term, char **out, struct req_error *err)
{
	json_t *v = json_object_get(obj, key);
	const char *why;
	size_t i;
	int code;

	*out = NULL;
	if (!json_is_string(v)) {
		err->status = 400;
		snprintf(err->msg, sizeof err->msg, "%s must be a string", key);
		return false;
	}
	code = validate_text(json_string_value(v), json_string_length(v), 1, max, out);
	if (code == SRV_ENOMEM) {
		decision_set(err, 500, "out of memory");
		return false;
	}
	if (code) {
		why = code == SRV_EUTF8 ? "is not valid UTF-8" : code == SRV_EEMPTY ? "is empty" : "is too long";
		err->status = 422;
		snprintf(err->msg, sizeof err->msg, "%s %s (1-%zu characters)", key, why, max);
		return false;
	}
	for (i = 0; (*out)[i]; i++) {
		unsigned char c = (unsigned char)(*out)[i];
		if (c < 0x20 || c == 0x7f || (term && (c == ',' || c == '|'))) {
			err->status = 422;
			snprintf(err->msg, sizeof err->msg, "%s must not contain %s", key,
				 term ? "a comma, a | or a control character" : "a line break or control character");
			free(*out);
			*out = NULL;
			return false;
		}
	}
	return true;
}

/* A required positive integer id member: 400 missing or mistyped, 422 not positive. */
static bool decision_int_id(json_t *obj, const char *key, int64_t *out, struct req_error *err)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v)) {
		err->status = 400;
		snprintf(err->msg, sizeof err->msg, "%s must be an integer id", key);
		return false;
	}
	*out = json_integer_value(v);
	if (*out <= 0) {
		err->status = 422;
		snprintf(err->msg, sizeof err->msg, "%s must be a positive id", key);
		return false;
	}
	return true;
}

/* Add member `key` = `v` (stolen) to the detail; false (500) when out of memory. */
static bool decision_put(json_t *detail, const char *key, json_t *v, struct req_error *err)
{
	if (json_object_set_new(detail, key, v) == 0)
		return true;
	decision_set(err, 500, "out of memory");
	return false;
}

/* An answer id field, stored as the decimal string curate.h expects. */
static bool decision_answer(json_t *obj, const char *key, json_t *detail, int64_t *answer, struct req_error *err)
{
	char id[LIMIT_ID_TEXT];

	if (!decision_int_id(obj, key, answer, err))
		return false;
	snprintf(id, sizeof id, "%lld", (long long)*answer);
	return decision_put(detail, key, json_string(id), err);
}

static bool decision_themes_text(json_t *obj, const struct vocab_field *f, json_t *detail, struct req_error *err)
{
	json_t *v = json_object_get(obj, f->name);
	struct themes t = { 0 };
	char why[REQ_MSG_MAX];
	int code;

	if (!json_is_string(v)) {
		err->status = 400;
		snprintf(err->msg, sizeof err->msg, "%s must be a string", f->name);
		return false;
	}
	if (json_string_length(v) > f->max) {
		char msg[REQ_MSG_MAX];
		snprintf(msg, sizeof msg, "the themes file is over %zu KiB", f->max / 1024);
		decision_set(err, 422, msg);
		return false;
	}
	why[0] = '\0';
	code = themes_parse(&t, json_string_value(v), json_string_length(v), why, sizeof why);
	themes_free(&t);
	if (code == AN_ENOMEM) {
		decision_set(err, 500, "out of memory");
		return false;
	}
	if (code) {
		err->status = 422;
		snprintf(err->msg, sizeof err->msg, "themes file %.80s", why[0] ? why : "does not parse");
		return false;
	}
	return decision_put(detail, f->name, json_incref(v), err);
}

/*
 * A theme id field: required (400 missing or not a string, 422 breaking
 * the id rule; a new theme's id may not be a discovered one's either);
 * VOCAB_OPTIONAL: absent or null is left out; VOCAB_NULLABLE: must be
 * there, and null is stored.
 */
static bool decision_theme_field(json_t *obj, const struct vocab_field *f, json_t *detail, struct req_error *err)
{
	json_t *v = json_object_get(obj, f->name);
	const char *id;

	if ((f->flags & VOCAB_OPTIONAL) && (!v || json_is_null(v)))
		return true;
	if (f->flags & VOCAB_NULLABLE) {
		if (!v) {
			err->status = 400;
			snprintf(err->msg, sizeof err->msg, "%s is required (a theme id, or null for no theme)", f->name);
			return false;
		}
		if (json_is_null(v))
			return decision_put(detail, f->name, json_null(), err);
	}
	if (!decision_theme(obj, f->name, &id, err))
		return false;
	if (f->type == VOCAB_NEW_THEME && decision_is_discovered(id)) {
		err->status = 422;
		snprintf(err->msg, sizeof err->msg, "%s must not have the form of a discovered theme's id (new-N)", f->name);
		return false;
	}
	return decision_put(detail, f->name, json_string(id), err);
}

static bool decision_text_field(json_t *obj, const struct vocab_field *f, json_t *detail, struct req_error *err)
{
	char *text = NULL;
	bool ok;

	if (!decision_text(obj, f->name, f->max, f->type == VOCAB_TERM, &text, err))
		return false;
	ok = decision_put(detail, f->name, json_string(text), err);
	free(text);
	return ok;
}

/* Field `f` of `obj` into out->detail (or out->answer, out->undo). */
static bool decision_field(json_t *obj, const struct vocab_field *f, struct decision *out, struct req_error *err)
{
	switch (f->type) {
	case VOCAB_THEME:
	case VOCAB_TARGET:
	case VOCAB_NEW_THEME:
		return decision_theme_field(obj, f, out->detail, err);
	case VOCAB_LABEL:
	case VOCAB_TERM:
		return decision_text_field(obj, f, out->detail, err);
	case VOCAB_ANSWER:
		return decision_answer(obj, f->name, out->detail, &out->answer, err);
	case VOCAB_TEXT:
		return decision_themes_text(obj, f, out->detail, err);
	case VOCAB_DECISION:
		return decision_int_id(obj, f->name, &out->undo, err);
	case VOCAB_TERMS:
	case VOCAB_ANSWERS:
		break;
	}
	/* Lists come only in decisions the server makes (adopt), never from a client. */
	decision_set(err, 500, "a field of this kind cannot be sent");
	return false;
}

/* The two fields the kind keeps apart name different themes (when both are theme ids); else 422. */
static bool decision_distinct(const struct vocab_def *def, const json_t *detail, struct req_error *err)
{
	const char *a, *b;

	if (!def->distinct[0])
		return true;
	a = json_string_value(json_object_get(detail, def->distinct[0]));
	b = json_string_value(json_object_get(detail, def->distinct[1]));
	if (a && b && strcmp(a, b) == 0) {
		decision_set(err, 422, def->distinct_why);
		return false;
	}
	return true;
}

bool decision_parse(const char *body, size_t len, struct decision *out, struct req_error *err)
{
	const struct vocab_def *def;
	json_t *obj, *kind, *rev;
	char names[REQ_MSG_MAX];
	size_t i;

	memset(out, 0, sizeof *out);
	obj = req_json_object(body, len, err);
	if (!obj)
		return false;
	kind = json_object_get(obj, "kind");
	if (!json_is_string(kind)) {
		decision_set(err, 400, "kind is required");
		goto fail;
	}
	def = vocab_find(json_string_value(kind));
	if (!def || !(def->flags & VOCAB_CLIENT)) {
		vocab_names(VOCAB_CLIENT, names, sizeof names);
		err->status = 422;
		snprintf(err->msg, sizeof err->msg, "unknown kind (%.80s)", names);
		goto fail;
	}
	if (!decision_members(obj, def, err))
		goto fail;
	rev = json_object_get(obj, "rev");
	if (rev && !json_is_null(rev)) {
		if (!json_is_integer(rev) || json_integer_value(rev) < 0) {
			decision_set(err, 400, "rev must be a revision number");
			goto fail;
		}
		out->has_rev = true;
		out->rev = json_integer_value(rev);
	}
	out->kind = def->kind;
	/* A kind the analysis does not apply (undo) is acted on at once and stores no detail. */
	if (def->flags & VOCAB_APPLIED) {
		out->detail = json_pack("{s:s}", "kind", def->name);
		if (!out->detail) {
			decision_set(err, 500, "out of memory");
			goto fail;
		}
	}
	for (i = 0; i < VOCAB_MAX_FIELDS && def->fields[i].name; i++)
		if (!(def->fields[i].flags & VOCAB_SERVER) && !decision_field(obj, &def->fields[i], out, err))
			goto fail;
	if (!decision_distinct(def, out->detail, err))
		goto fail;
	json_decref(obj);
	return true;
fail:
	json_decref(obj);
	decision_free(out);
	return false;
}

void decision_free(struct decision *d)
{
	json_decref(d->detail);
	memset(d, 0, sizeof *d);
}

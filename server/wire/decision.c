/*
 * decision.c - POST .../decisions bodies into normalised decision objects.
 *
 * Each kind has a fixed list of members; anything else in the body is
 * refused (400), so a typo like "tehme" is an error rather than a decision
 * that silently means something else.  Shape errors (400) come before
 * rule errors (422), as in request.c.  A themes text is parsed here with
 * the analysis library's own parser, so a file that would fail at the next
 * analysis is refused now with the line it fails on.
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
	return strncmp(id, "new-", 4) == 0 && id[4] && strspn(id + 4, "0123456789") == strlen(id + 4);
}

struct decision_kind_def {
	const char *name;
	enum decision_kind kind;
	const char *members[5];    /* besides "kind" and "rev"; NULL-terminated */
};

static const struct decision_kind_def decision_kinds[] = {
	{ "rename", DECISION_RENAME, { "theme", "label", NULL } },
	{ "merge", DECISION_MERGE, { "theme", "into", NULL } },
	{ "split", DECISION_SPLIT, { "theme", "term", "label", NULL } },
	{ "move", DECISION_MOVE, { "answer", "from", "to", NULL } },
	{ "also", DECISION_ALSO, { "answer", "theme", NULL } },
	{ "themes", DECISION_THEMES, { "text", NULL } },
	{ "undo", DECISION_UNDO, { "decision", NULL } },
};

/* Every member of `obj` is "kind", "rev" or one of def's; else 400 naming it. */
static bool decision_members(json_t *obj, const struct decision_kind_def *def, struct req_error *err)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v) {
		bool known = strcmp(key, "kind") == 0 || strcmp(key, "rev") == 0;
		for (i = 0; !known && def->members[i]; i++)
			known = strcmp(key, def->members[i]) == 0;
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

/* "answer" as the decimal string curate.h expects. */
static bool decision_answer(json_t *obj, json_t *detail, int64_t *answer, struct req_error *err)
{
	char id[LIMIT_ID_TEXT];

	if (!decision_int_id(obj, "answer", answer, err))
		return false;
	snprintf(id, sizeof id, "%lld", (long long)*answer);
	return decision_put(detail, "answer", json_string(id), err);
}

static bool decision_themes_text(json_t *obj, json_t *detail, struct req_error *err)
{
	json_t *v = json_object_get(obj, "text");
	struct themes t = { 0 };
	char why[REQ_MSG_MAX];
	int code;

	if (!json_is_string(v)) {
		decision_set(err, 400, "text must be a string");
		return false;
	}
	if (json_string_length(v) > DECISION_THEMES_MAX) {
		decision_set(err, 422, "the themes file is over 64 KiB");
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
	return decision_put(detail, "text", json_incref(v), err);
}

/* The kind-specific members of `obj` into out->detail (or out->undo). */
static bool decision_fields(json_t *obj, struct decision *out, struct req_error *err)
{
	const char *theme = NULL, *other = NULL;
	char *text = NULL;
	json_t *v, *d = out->detail;
	bool ok;

	switch (out->kind) {
	case DECISION_RENAME:
		if (!decision_theme(obj, "theme", &theme, err) ||
		    !decision_text(obj, "label", DECISION_LABEL_MAX, false, &text, err))
			return false;
		ok = decision_put(d, "theme", json_string(theme), err) &&
		     decision_put(d, "label", json_string(text), err);
		free(text);
		return ok;
	case DECISION_MERGE:
		if (!decision_theme(obj, "theme", &theme, err) || !decision_theme(obj, "into", &other, err))
			return false;
		if (strcmp(theme, other) == 0) {
			decision_set(err, 422, "a theme cannot be merged into itself");
			return false;
		}
		return decision_put(d, "theme", json_string(theme), err) &&
		       decision_put(d, "into", json_string(other), err);
	case DECISION_SPLIT:
		if (!decision_theme(obj, "theme", &theme, err))
			return false;
		if (!decision_text(obj, "term", DECISION_TERM_MAX, true, &text, err))
			return false;
		ok = decision_put(d, "theme", json_string(theme), err) &&
		     decision_put(d, "term", json_string(text), err);
		free(text);
		text = NULL;
		if (!ok || !decision_text(obj, "label", DECISION_LABEL_MAX, false, &text, err))
			return false;
		ok = decision_put(d, "label", json_string(text), err);
		free(text);
		return ok;
	case DECISION_MOVE:
		if (!decision_answer(obj, d, &out->answer, err))
			return false;
		v = json_object_get(obj, "to");
		if (!v) {
			decision_set(err, 400, "to is required (a theme id, or null for no theme)");
			return false;
		}
		if (json_is_null(v)) {
			if (!decision_put(d, "to", json_null(), err))
				return false;
		} else if (!decision_theme(obj, "to", &other, err) || !decision_put(d, "to", json_string(other), err)) {
			return false;
		}
		v = json_object_get(obj, "from");
		if (!v || json_is_null(v))
			return true;
		if (!decision_theme(obj, "from", &theme, err))
			return false;
		if (json_is_string(json_object_get(obj, "to")) && strcmp(theme, other) == 0) {
			decision_set(err, 422, "from and to are the same theme");
			return false;
		}
		return decision_put(d, "from", json_string(theme), err);
	case DECISION_ALSO:
		return decision_answer(obj, d, &out->answer, err) && decision_theme(obj, "theme", &theme, err) &&
		       decision_put(d, "theme", json_string(theme), err);
	case DECISION_THEMES:
		return decision_themes_text(obj, d, err);
	case DECISION_UNDO:
		return decision_int_id(obj, "decision", &out->undo, err);
	}
	return false;
}

bool decision_parse(const char *body, size_t len, struct decision *out, struct req_error *err)
{
	const struct decision_kind_def *def = NULL;
	json_t *obj, *kind, *rev;
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
	for (i = 0; i < sizeof decision_kinds / sizeof decision_kinds[0]; i++)
		if (strcmp(json_string_value(kind), decision_kinds[i].name) == 0)
			def = &decision_kinds[i];
	if (!def) {
		decision_set(err, 422, "unknown kind (rename, merge, split, move, also, themes, undo)");
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
	if (def->kind != DECISION_UNDO) {
		out->detail = json_pack("{s:s}", "kind", def->name);
		if (!out->detail) {
			decision_set(err, 500, "out of memory");
			goto fail;
		}
	}
	if (!decision_fields(obj, out, err))
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

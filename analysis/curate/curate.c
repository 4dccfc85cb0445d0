/*
 * curate.c - parse and check the list of people's decisions (curate.h).
 *
 * Strict like the themes file: every kind has the fixed set of fields of
 * vocab.h's table and anything else is refused with the decision's number,
 * because a stored decision that silently means nothing would silently
 * undo a person's work at the next analysis.  The parser walks the table
 * (one reader per field type), so a kind is never listed twice.  Parsing
 * is jansson's; lengths are counted in code points with libunistring.
 * What the decisions do is apply.c's business; this file only makes sure
 * they are well formed.
 */
#include "curate/curate.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "core/an_err.h"
#include "themes/themes.h"

/* Parsing state of one decision: its number for messages, and where they go. */
struct ctx {
	size_t n;       /* 1-based decision number */
	char *err;
	size_t errlen;
};

static int fail(struct ctx *x, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Write "decision N: ..." and return `code`. */
static int fail(struct ctx *x, int code, const char *fmt, ...)
{
	va_list ap;
	int off;

	if (!x->err || !x->errlen)
		return code;
	off = snprintf(x->err, x->errlen, "decision %zu: ", x->n);
	if (off < 0 || (size_t)off >= x->errlen)
		return code;
	va_start(ap, fmt);
	vsnprintf(x->err + off, x->errlen - (size_t)off, fmt, ap);
	va_end(ap);
	return code;
}

static int dup_member(struct ctx *x, const char *s, char **out)
{
	if (!(*out = strdup(s)))
		return fail(x, AN_ENOMEM, "out of memory");
	return AN_OK;
}

/* A required string member; *s is borrowed from `o`. */
static int get_string(struct ctx *x, json_t *o, const char *key, const char **s)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return fail(x, AN_EINVAL, "\"%s\" is required", key);
	if (!json_is_string(v))
		return fail(x, AN_EINVAL, "\"%s\" must be a string", key);
	*s = json_string_value(v);
	if (u8_check((const uint8_t *)*s, json_string_length(v)))
		return fail(x, AN_EUTF8, "\"%s\" is not valid UTF-8", key);
	return AN_OK;
}

/*
 * A theme id member: required; VOCAB_OPTIONAL: absent or null leaves *out
 * NULL; VOCAB_NULLABLE: must be there, null leaves *out NULL.
 */
static int get_id(struct ctx *x, json_t *o, const char *key, unsigned flags, char **out)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	int err;

	if ((flags & VOCAB_OPTIONAL) && (!v || json_is_null(v)))
		return AN_OK;
	if (flags & VOCAB_NULLABLE) {
		if (!v)
			return fail(x, AN_EINVAL, "\"%s\" is required (a theme id, or null for no theme)", key);
		if (json_is_null(v))
			return AN_OK;
	}
	if ((err = get_string(x, o, key, &s)))
		return err;
	if (!themes_valid_id(s, strlen(s)))
		return fail(x, AN_EINVAL, "\"%s\" must be a theme id of 1-48 characters a-z, 0-9, '-' or '_'", key);
	return dup_member(x, s, out);
}

/* A label or term: valid UTF-8, 1..max code points. */
static int check_text(struct ctx *x, const char *what, const char *s, size_t max)
{
	size_t len = strlen(s), chars;

	if (u8_check((const uint8_t *)s, len))
		return fail(x, AN_EUTF8, "%s is not valid UTF-8", what);
	chars = u8_mbsnlen((const uint8_t *)s, len);
	if (!chars)
		return fail(x, AN_EINVAL, "%s is empty", what);
	if (chars > max)
		return fail(x, AN_EINVAL, "%s is longer than %zu characters", what, max);
	return AN_OK;
}

static int get_text(struct ctx *x, json_t *o, const char *key, size_t max, char **out)
{
	const char *s;
	char what[32];
	int err;

	snprintf(what, sizeof(what), "\"%s\"", key);
	if ((err = get_string(x, o, key, &s)) || (err = check_text(x, what, s, max)))
		return err;
	return dup_member(x, s, out);
}

static int get_answer(struct ctx *x, json_t *o, const char *key, char **out)
{
	const char *s;
	int err;

	if ((err = get_string(x, o, key, &s)))
		return err;
	if (!*s)
		return fail(x, AN_EINVAL, "\"%s\" must be a non-empty answer id", key);
	return dup_member(x, s, out);
}

/* A required array of at most `max` strings; terms are checked as terms, answers must be non-empty. */
static int get_list(struct ctx *x, json_t *o, const char *key, size_t max, int terms, char ***out, size_t *n)
{
	json_t *a = json_object_get(o, key), *v;
	size_t i;
	int err;

	if (!a)
		return fail(x, AN_EINVAL, "\"%s\" is required", key);
	if (!json_is_array(a))
		return fail(x, AN_EINVAL, "\"%s\" must be an array of strings", key);
	if (json_array_size(a) > max)
		return fail(x, AN_EINVAL, "more than %zu entries in \"%s\"", max, key);
	*out = calloc(json_array_size(a) ? json_array_size(a) : 1, sizeof(**out));
	if (!*out)
		return fail(x, AN_ENOMEM, "out of memory");
	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);
		char what[48];

		if (!s)
			return fail(x, AN_EINVAL, "\"%s\" must be an array of strings", key);
		snprintf(what, sizeof(what), "%s %zu", terms ? "term" : "answer", i + 1);
		if (terms && (err = check_text(x, what, s, VOCAB_TERM_MAX)))
			return err;
		if (!terms && !*s)
			return fail(x, AN_EINVAL, "%s is empty", what);
		if (!terms && u8_check((const uint8_t *)s, strlen(s)))
			return fail(x, AN_EUTF8, "%s is not valid UTF-8", what);
		if ((err = dup_member(x, s, &(*out)[i])))
			return err;
		(*n)++;
	}
	return AN_OK;
}

/* A new theme's id: the id rule, and never a discovered theme's "new-N". */
static int get_new_id(struct ctx *x, json_t *o, const char *key, char **out)
{
	int err = get_id(x, o, key, 0, out);

	if (!err && vocab_discovered_id(*out))
		return fail(x, AN_EINVAL, "\"%s\" must not have the form of a discovered theme's id (new-N)", key);
	return err;
}

/* A single term, kept as a list of one (what a split's term is to apply.c). */
static int get_term(struct ctx *x, json_t *o, const struct vocab_field *f, struct curate_decision *d)
{
	int err;

	if (!(d->terms = calloc(1, sizeof(*d->terms))))
		return fail(x, AN_ENOMEM, "out of memory");
	if ((err = get_text(x, o, f->name, f->max, &d->terms[0])))
		return err;
	d->nterms = 1;
	return AN_OK;
}

/* Field `f` of decision `o` into its place in *d. */
static int get_field(struct ctx *x, json_t *o, const struct vocab_field *f, struct curate_decision *d)
{
	const char *s;
	int err;

	switch (f->type) {
	case VOCAB_THEME:
		return get_id(x, o, f->name, f->flags, &d->theme);
	case VOCAB_TARGET:
		return get_id(x, o, f->name, f->flags, &d->target);
	case VOCAB_NEW_THEME:
		return get_new_id(x, o, f->name, &d->target);
	case VOCAB_LABEL:
		return get_text(x, o, f->name, f->max, &d->label);
	case VOCAB_TERM:
		return get_term(x, o, f, d);
	case VOCAB_TERMS:
		return get_list(x, o, f->name, f->max, 1, &d->terms, &d->nterms);
	case VOCAB_ANSWER:
		return get_answer(x, o, f->name, &d->answer);
	case VOCAB_ANSWERS:
		return get_list(x, o, f->name, f->max, 0, &d->answers, &d->nanswers);
	case VOCAB_TEXT:
		if ((err = get_string(x, o, f->name, &s)))
			return err;
		return dup_member(x, s, &d->text);
	case VOCAB_DECISION:
		break;
	}
	/* Only kinds without VOCAB_APPLIED (undo) have these, and they are refused before. */
	return fail(x, AN_EINVAL, "\"%s\" cannot be applied", f->name);
}

static int parse_one(struct ctx *x, json_t *o, struct curate_decision *d)
{
	const struct vocab_def *def;
	const char *key;
	char names[128];
	json_t *v;
	size_t i;
	int err;

	if (!json_is_object(o))
		return fail(x, AN_EINVAL, "must be a JSON object");
	v = json_object_get(o, "kind");
	if (!v)
		return fail(x, AN_EINVAL, "\"kind\" is required");
	if (!json_is_string(v))
		return fail(x, AN_EINVAL, "\"kind\" must be a string");
	def = vocab_find(json_string_value(v));
	if (!def || !(def->flags & VOCAB_APPLIED)) {
		vocab_names(VOCAB_APPLIED, names, sizeof(names));
		return fail(x, AN_EINVAL, "unknown kind (%s)", names);
	}
	d->kind = def->kind;
	json_object_foreach(o, key, v)
		if (strcmp(key, "kind") && !vocab_field(def, key))
			return fail(x, AN_EINVAL, "unknown member \"%.40s\" for a %s decision", key, def->name);
	for (i = 0; i < VOCAB_MAX_FIELDS && def->fields[i].name; i++)
		if ((err = get_field(x, o, &def->fields[i], d)))
			return err;
	return AN_OK;
}

static void decision_free(struct curate_decision *d)
{
	size_t i;

	free(d->theme);
	free(d->target);
	free(d->label);
	free(d->answer);
	free(d->text);
	for (i = 0; i < d->nterms; i++)
		free(d->terms[i]);
	free(d->terms);
	for (i = 0; i < d->nanswers; i++)
		free(d->answers[i]);
	free(d->answers);
	memset(d, 0, sizeof(*d));
}

enum an_err curate_parse(struct curate *c, const char *text, size_t len, char *err, size_t errlen)
{
	struct ctx x = { 0, err, errlen };
	json_error_t jerr;
	json_t *root, *v;
	size_t i;
	int rc = AN_OK;

	c->v = NULL;
	c->n = 0;
	root = json_loadb(text ? text : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		enum json_error_code code = json_error_code(&jerr);

		if (code == json_error_out_of_memory)
			rc = AN_ENOMEM;
		else
			rc = code == json_error_invalid_utf8 ? AN_EUTF8 : AN_EINVAL;
		if (err && errlen)
			snprintf(err, errlen, "decisions: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
		return rc;
	}
	if (!json_is_array(root)) {
		if (err && errlen)
			snprintf(err, errlen, "decisions: expected a JSON array of decision objects");
		json_decref(root);
		return AN_EINVAL;
	}
	if (json_array_size(root) > CURATE_MAX_DECISIONS) {
		if (err && errlen)
			snprintf(err, errlen, "decisions: more than %d decisions", CURATE_MAX_DECISIONS);
		json_decref(root);
		return AN_EINVAL;
	}
	c->v = calloc(json_array_size(root) ? json_array_size(root) : 1, sizeof(*c->v));
	if (!c->v) {
		json_decref(root);
		return AN_ENOMEM;
	}
	json_array_foreach(root, i, v) {
		x.n = i + 1;
		c->n = i + 1;
		if ((rc = parse_one(&x, v, &c->v[i])))
			break;
	}
	json_decref(root);
	if (rc)
		curate_free(c);
	return rc;
}

void curate_free(struct curate *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		decision_free(&c->v[i]);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

const char *curate_themes_text(const struct curate *c)
{
	size_t i;

	for (i = c->n; i > 0; i--)
		if (c->v[i - 1].kind == VOCAB_THEMES)
			return c->v[i - 1].text;
	return NULL;
}

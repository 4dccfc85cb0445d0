/*
 * render.c - the report model indexed for the renderers, and their sticky output.
 *
 * The index is built once per rendering (report_render): three objects that
 * map ids to the model's answers, questions and workshops, so a renderer
 * never searches a list.  Index building is also the check that a model
 * has the shape report_model makes; a renderer can then trust it, and the
 * fuzzer (tests/fuzz/fuzz_report.c) builds models against that check.
 */
#include "report/render.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/tz.h"
#include "text/text.h"
#include "report/report.h"   /* report_lang_ok */

const struct report_dim report_dims[REPORT_NDIMS] = {
	{ "question", LABEL_BY_QUESTION, false },
	{ "workshop", LABEL_BY_WORKSHOP, true },
	{ "group", LABEL_BY_TABLE, false },
	{ "organisation", LABEL_BY_ORGANISATION, false },
};

enum srv_err report_buf_err(enum buf_err e)
{
	return e == BUF_OK ? SRV_OK : e == BUF_TOOBIG ? SRV_EFULL : SRV_ENOMEM;
}

void report_put(struct report_out *o, const char *s)
{
	if (!o->e)
		o->e = buf_adds(o->b, s);
}

void report_putn(struct report_out *o, const char *s, size_t n)
{
	if (!o->e)
		o->e = buf_add(o->b, s, n);
}

void report_putf(struct report_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->e)
		return;
	va_start(ap, fmt);
	o->e = buf_vprintf(o->b, fmt, ap);
	va_end(ap);
}

void report_text(struct report_out *o, const char *s)
{
	o->text(o, s);
}

void report_wrap(struct report_out *o, const char *before, const char *s, const char *after)
{
	report_put(o, before);
	o->text(o, s);
	report_put(o, after);
}

void report_textf(struct report_out *o, const char *fmt, ...)
{
	char s[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof s, fmt, ap);
	va_end(ap);
	o->text(o, s);
}

const char *report_s(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* report_when with `seconds` or without. */
static const char *when(const struct report_index *ix, const char *iso, bool seconds, char out[REPORT_WHEN_LEN])
{
	struct tm tm;
	time_t t;

	if (!tz_parse_utc(iso, &t))
		snprintf(out, REPORT_WHEN_LEN, "%s", iso);
	else if (!ix->tz)
		snprintf(out, REPORT_WHEN_LEN, "%.10s %.*s UTC", iso, seconds ? 8 : 5, iso + 11);
	else if (!tz_local(ix->tz, t, &tm) ||
		 !strftime(out, REPORT_WHEN_LEN, seconds ? "%Y-%m-%d %H:%M:%S %Z" : "%Y-%m-%d %H:%M %Z", &tm))
		snprintf(out, REPORT_WHEN_LEN, "%s", iso);
	return out;
}

const char *report_when(const struct report_index *ix, const char *iso, char out[REPORT_WHEN_LEN])
{
	return when(ix, iso, false, out);
}

const char *report_when_exact(const struct report_index *ix, const char *iso, char out[REPORT_WHEN_LEN])
{
	return when(ix, iso, true, out);
}

size_t report_n(const json_t *o, const char *key)
{
	return json_array_size(json_object_get(o, key));
}

/* ---- the index renderers use ---- */

static int index_by(json_t *map, const json_t *list, const char *idkey)
{
	const json_t *e;
	size_t i;
	char key[32];

	json_array_foreach(list, i, e) {
		const json_t *id = json_object_get(e, idkey);
		const char *k = json_string_value(id);

		if (json_is_integer(id)) {
			snprintf(key, sizeof key, "%lld", (long long)json_integer_value(id));
			k = key;
		}
		if (!k || !json_is_object(e))
			return SRV_EINVAL;
		if (json_object_set(map, k, (json_t *)e))
			return SRV_ENOMEM;
	}
	return SRV_OK;
}

/* ix->tables: each table name's key -> its first spelling among the analysed answers (model.c shows the same). */
static int index_tables(struct report_index *ix)
{
	const json_t *id;
	size_t i;

	if (!(ix->tables = json_object()) || !(ix->scratch = malloc(sizeof *ix->scratch)))
		return SRV_ENOMEM;
	buf_init(ix->scratch, TEXT_MAX_LEN);
	json_array_foreach(json_object_get(ix->model, "analysed"), i, id) {
		const json_t *group = json_object_get(report_answer(ix, json_integer_value(id)), "group");
		const char *k = report_value_key("group", group, ix->scratch);

		if (!k)
			return SRV_ENOMEM;
		if (*k && !json_object_get(ix->tables, k) && json_object_set(ix->tables, k, (json_t *)group))
			return SRV_ENOMEM;
	}
	return SRV_OK;
}

const char *report_table_name(const struct report_index *ix, const json_t *group)
{
	const char *k = report_value_key("group", group, ix->scratch);
	const char *name = k && *k ? json_string_value(json_object_get(ix->tables, k)) : NULL;

	if (name)
		return name;
	return json_is_string(group) && *json_string_value(group) ? json_string_value(group) : NULL;
}

enum srv_err report_index_build(const json_t *model, struct report_index *ix)
{
	static const char *const arrays[] = { "workshops", "questions", "answers", "themes", "analysed",
					      "hidden", "unassigned", "votes", "decisions" };
	const json_t *scope = json_object_get(model, "scope"), *tz = json_object_get(model, "tz");
	size_t i;
	int err;

	memset(ix, 0, sizeof *ix);
	if (!json_is_object(model) || strcmp(report_s(model, "format"), REPORT_MODEL_NAME) ||
	    json_integer_value(json_object_get(model, "version")) != REPORT_MODEL_VERSION ||
	    !report_lang_ok(report_s(model, "lang")) || !json_is_object(scope) ||
	    !json_is_object(json_object_get(model, "synthesis")) || (tz && !tz_valid(json_string_value(tz))))
		return SRV_EINVAL;
	for (i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		if (!json_is_array(json_object_get(model, arrays[i])))
			return SRV_EINVAL;
	ix->model = model;
	ix->lang = report_s(model, "lang");
	ix->series = strcmp(report_s(scope, "kind"), "series") == 0;
	ix->tz = json_string_value(tz);
	ix->answers = json_object();
	ix->questions = json_object();
	ix->workshops = json_object();
	if (!ix->answers || !ix->questions || !ix->workshops) {
		err = SRV_ENOMEM;
		goto fail;
	}
	if ((err = index_by(ix->answers, json_object_get(model, "answers"), "id")) ||
	    (err = index_by(ix->questions, json_object_get(model, "questions"), "id")) ||
	    (err = index_by(ix->workshops, json_object_get(model, "workshops"), "id")) ||
	    (err = index_tables(ix)))
		goto fail;
	return SRV_OK;
fail:
	report_index_free(ix);
	return err;
}

void report_index_free(struct report_index *ix)
{
	json_decref(ix->answers);
	json_decref(ix->questions);
	json_decref(ix->workshops);
	json_decref(ix->tables);
	if (ix->scratch)
		buf_free(ix->scratch);
	free(ix->scratch);
	ix->answers = ix->questions = ix->workshops = ix->tables = NULL;
	ix->scratch = NULL;
}

const json_t *report_answer(const struct report_index *ix, json_int_t id)
{
	char key[32];

	snprintf(key, sizeof key, "%lld", (long long)id);
	return json_object_get(ix->answers, key);
}

const json_t *report_question(const struct report_index *ix, json_int_t id)
{
	char key[32];

	snprintf(key, sizeof key, "%lld", (long long)id);
	return json_object_get(ix->questions, key);
}

const json_t *report_workshop(const struct report_index *ix, const char *id)
{
	return id ? json_object_get(ix->workshops, id) : NULL;
}

bool report_sort(json_t *arr, int (*cmp)(const void *, const void *, void *), void *arg)
{
	bool ok = true;
	size_t i, n = json_array_size(arr);
	json_t **v;

	if (n < 2)
		return true;
	if (!(v = calloc(n, sizeof *v)))
		return false;
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(arr, i));
	qsort_r(v, n, sizeof *v, cmp, arg);
	json_array_clear(arr);
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, v[i]))
			ok = false;
	free(v);
	return ok;
}

bool report_theme_shown(const json_t *t)
{
	return report_n(t, "answers") > 0;
}

size_t report_shown_count(const struct report_index *ix)
{
	const json_t *t;
	size_t i, n = 0;

	json_array_foreach(json_object_get(ix->model, "themes"), i, t)
		n += report_theme_shown(t);
	return n;
}

const char *report_answer_key(const char *dim)
{
	return strcmp(dim, "question") == 0 ? "question_id" : strcmp(dim, "workshop") == 0 ? "workshop_id" : dim;
}

const char *report_value_key(const char *dim, const json_t *value, struct buf *scratch)
{
	const char *s = json_string_value(value);
	enum an_err err;

	buf_reset(scratch);
	if (json_is_integer(value))
		return buf_printf(scratch, "i%lld", (long long)json_integer_value(value)) ? NULL : scratch->data;
	if (!s || !*s)
		return "";
	if (strcmp(dim, "group"))
		return s;
	/* Text that is not UTF-8 has no key: it is its own value (the analysis does the same). */
	err = text_key(s, strlen(s), scratch);
	if (err == AN_ENOMEM)
		return NULL;
	return err ? s : scratch->data ? scratch->data : "";
}

enum buf_err report_answer_themes(const json_t *labels, const json_t *a, struct buf *names, struct buf *ids)
{
	const json_t *th;
	enum buf_err e = BUF_OK;
	size_t k;

	json_array_foreach(json_object_get(a, "themes"), k, th) {
		const char *id = json_string_value(th) ? json_string_value(th) : "";
		const char *label = json_string_value(json_object_get(labels, id));

		if (!e && k)
			e = buf_adds(names, "; ");
		if (!e && k)
			e = buf_addc(ids, ' ');
		if (!e)
			e = buf_adds(names, label ? label : id);
		if (!e)
			e = buf_adds(ids, id);
	}
	return e;
}

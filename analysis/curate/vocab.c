/*
 * vocab.c - the table of decision kinds (vocab.h), its sentences and its JSON.
 *
 * The table is plain data so that the C parsers, the report and the
 * console's JavaScript read the same rows; the only logic here is the
 * small template renderer, written so that a JavaScript copy of it
 * (web/js/console-themes.js) stays a dozen lines: {field} and [optional
 * text], nothing else.
 */
#include "curate/vocab.h"

#include <stdio.h>
#include <string.h>

#define LABEL { "label", VOCAB_LABEL, 0, VOCAB_LABEL_MAX }

const struct vocab_def vocab_defs[VOCAB_NKINDS] = {
	[VOCAB_RENAME] = {
		VOCAB_RENAME, "rename", VOCAB_CLIENT | VOCAB_APPLIED,
		{ { "theme", VOCAB_THEME, 0, 0 }, LABEL },
		{ NULL, NULL }, NULL,
		{ { NULL, { { "Bytte namn på temat {theme} till \"{label}\"", "Renamed theme {theme} to \"{label}\"" },
			    { "Temat {theme} fick rubriken ”{label}”", "The theme {theme} was given the heading “{label}”" } } } },
	},
	[VOCAB_MERGE] = {
		VOCAB_MERGE, "merge", VOCAB_CLIENT | VOCAB_APPLIED,
		{ { "theme", VOCAB_THEME, 0, 0 }, { "into", VOCAB_TARGET, 0, 0 } },
		{ "theme", "into" }, "a theme cannot be merged into itself",
		{ { NULL, { { "Slog ihop temat {theme} med {into}", "Merged theme {theme} into {into}" },
			    { "”{theme}” slogs ihop med ”{into}”", "“{theme}” was merged into “{into}”" } } } },
	},
	[VOCAB_SPLIT] = {
		VOCAB_SPLIT, "split", VOCAB_CLIENT | VOCAB_APPLIED,
		{ { "theme", VOCAB_THEME, 0, 0 }, { "term", VOCAB_TERM, 0, VOCAB_TERM_MAX },
		  { "id", VOCAB_NEW_THEME, VOCAB_SERVER, 0 }, LABEL },
		{ NULL, NULL }, NULL,
		{ { NULL, { { "Bröt ut ordet \"{term}\" ur temat {theme} som \"{label}\"",
			      "Split the term \"{term}\" off theme {theme} as \"{label}\"" },
			    { "Termen ”{term}” bröts ut ur ”{theme}” som ”{label}”",
			      "The term “{term}” was split off “{theme}” as “{label}”" } } } },
	},
	[VOCAB_MOVE] = {
		VOCAB_MOVE, "move", VOCAB_CLIENT | VOCAB_APPLIED,
		{ { "answer", VOCAB_ANSWER, 0, 0 }, { "to", VOCAB_TARGET, VOCAB_NULLABLE, 0 },
		  { "from", VOCAB_THEME, VOCAB_OPTIONAL, 0 } },
		{ "from", "to" }, "from and to are the same theme",
		{ { "to", { { "Svar {answer} passar inget tema", "Answer {answer} fits no theme" },
			    { "Svaret {answer} togs ur alla teman", "The answer {answer} was taken out of every theme" } } },
		  { NULL, { { "Flyttade svar {answer}[ från {from}] till temat {to}",
			      "Moved answer {answer}[ from {from}] to theme {to}" },
			    { "Svaret {answer} flyttades till ”{to}”", "The answer {answer} was moved to “{to}”" } } } },
	},
	[VOCAB_ALSO] = {
		VOCAB_ALSO, "also", VOCAB_CLIENT | VOCAB_APPLIED,
		{ { "answer", VOCAB_ANSWER, 0, 0 }, { "theme", VOCAB_THEME, 0, 0 } },
		{ NULL, NULL }, NULL,
		{ { NULL, { { "Lade svar {answer} även i temat {theme}", "Put answer {answer} in theme {theme} as well" },
			    { "Svaret {answer} lades även i ”{theme}”", "The answer {answer} was also put in “{theme}”" } } } },
	},
	[VOCAB_THEMES] = {
		VOCAB_THEMES, "themes", VOCAB_CLIENT | VOCAB_APPLIED,
		{ { "text", VOCAB_TEXT, 0, VOCAB_TEXT_MAX } },
		{ NULL, NULL }, NULL,
		{ { NULL, { { "Ändrade temalistan", "Edited the themes list" },
			    { "Temafilen ersattes", "The themes file was replaced" } } } },
	},
	[VOCAB_ADOPT] = {
		VOCAB_ADOPT, "adopt", VOCAB_APPLIED,
		{ { "id", VOCAB_NEW_THEME, 0, 0 }, LABEL, { "terms", VOCAB_TERMS, 0, VOCAB_TERMS_MAX },
		  { "answers", VOCAB_ANSWERS, 0, VOCAB_ANSWERS_MAX } },
		{ NULL, NULL }, NULL,
		{ { NULL, { { "Behöll ett upptäckt tema som \"{label}\" ({answers} svar)",
			      "Kept a discovered theme as \"{label}\" (answers: {answers})" },
			    { "Det upptäckta temat ”{label}” blev ett eget tema",
			      "The discovered theme “{label}” became a theme of its own" } } } },
	},
	[VOCAB_UNDO] = {
		VOCAB_UNDO, "undo", VOCAB_CLIENT,
		{ { "decision", VOCAB_DECISION, 0, 0 } },
		{ NULL, NULL }, NULL,
		{ { NULL, { { "Ångrade: {decision}", "Took back: {decision}" },
			    { "Ångrade: {decision}", "Undone: {decision}" } } } },
	},
};

static const char *const type_names[] = {
	[VOCAB_THEME] = "theme", [VOCAB_TARGET] = "target", [VOCAB_NEW_THEME] = "new_theme",
	[VOCAB_LABEL] = "label", [VOCAB_TERM] = "term", [VOCAB_TERMS] = "terms", [VOCAB_ANSWER] = "answer",
	[VOCAB_ANSWERS] = "answers", [VOCAB_TEXT] = "text", [VOCAB_DECISION] = "decision",
};

static const char *const voice_names[VOCAB_NVOICES] = { [VOCAB_REPORT] = "report", [VOCAB_CONSOLE] = "console" };
static const char *const lang_names[VOCAB_NLANGS] = { [VOCAB_SV] = "sv", [VOCAB_EN] = "en" };

const struct vocab_def *vocab_find(const char *name)
{
	size_t k;

	for (k = 0; name && k < VOCAB_NKINDS; k++)
		if (strcmp(name, vocab_defs[k].name) == 0)
			return &vocab_defs[k];
	return NULL;
}

const struct vocab_field *vocab_field(const struct vocab_def *def, const char *name)
{
	size_t i;

	for (i = 0; i < VOCAB_MAX_FIELDS && def->fields[i].name; i++)
		if (strcmp(name, def->fields[i].name) == 0)
			return &def->fields[i];
	return NULL;
}

void vocab_names(unsigned flags, char *out, size_t outlen)
{
	size_t k, off = 0;
	int n;

	if (!outlen)
		return;
	out[0] = '\0';
	for (k = 0; k < VOCAB_NKINDS && off < outlen; k++) {
		if ((vocab_defs[k].flags & flags) != flags)
			continue;
		n = snprintf(out + off, outlen - off, "%s%s", off ? ", " : "", vocab_defs[k].name);
		if (n < 0)
			return;
		off += (size_t)n;
	}
}

int vocab_discovered_id(const char *id)
{
	return strncmp(id, "new-", 4) == 0 && id[4] && strspn(id + 4, "0123456789") == strlen(id + 4);
}

/* ---- sentences ---- */

/* Is the value of field name[0..len) of `detail` present and not null? */
static int present(const json_t *detail, const char *name, size_t len)
{
	char key[32];
	const json_t *v;

	snprintf(key, sizeof key, "%.*s", (int)len, name);
	v = json_object_get(detail, key);
	return v && !json_is_null(v);
}

/* Does phrase `p` hold for the decision (no condition, or its field null or absent)? */
static int holds(const json_t *detail, const struct vocab_phrase *p)
{
	return !p->when_null || !present(detail, p->when_null, strlen(p->when_null));
}

/* Does every {field} in t[0..len) have a value? */
static int all_present(const json_t *detail, const char *t, size_t len)
{
	const char *end = t + len, *open, *close;

	for (; (open = memchr(t, '{', (size_t)(end - t))); t = close + 1) {
		close = memchr(open, '}', (size_t)(end - open));
		if (!close || !present(detail, open + 1, (size_t)(close - open - 1)))
			return 0;
	}
	return 1;
}

/* Append the words for field name[0..len) of the decision. */
static enum buf_err put_field(const struct vocab_def *def, const json_t *detail, const char *name, size_t len,
			      const struct vocab_namer *namer, struct buf *out)
{
	char key[32];
	const struct vocab_field *f;
	const json_t *v;
	const char *s = NULL, *shown = NULL;

	snprintf(key, sizeof key, "%.*s", (int)len, name);
	f = vocab_field(def, key);
	v = json_object_get(detail, key);
	if (!f || !v || json_is_null(v))
		return BUF_OK;
	switch (f->type) {
	case VOCAB_TERMS:
	case VOCAB_ANSWERS:
		return buf_printf(out, "%zu", json_array_size(v));
	case VOCAB_DECISION:
		if (namer && namer->decision && (shown = namer->decision(namer->ctx, json_integer_value(v))))
			return buf_adds(out, shown);
		return buf_printf(out, "#%lld", (long long)json_integer_value(v));
	case VOCAB_THEME:
	case VOCAB_TARGET:
	case VOCAB_NEW_THEME:
		if ((s = json_string_value(v)) && namer && namer->theme)
			shown = namer->theme(namer->ctx, key, s);
		break;
	case VOCAB_ANSWER:
		if ((s = json_string_value(v)) && namer && namer->answer)
			shown = namer->answer(namer->ctx, s);
		break;
	default:
		s = json_string_value(v);
		break;
	}
	return buf_adds(out, shown ? shown : s ? s : "");
}

/* Append template t[0..len) (no brackets inside) with its fields filled in. */
static enum buf_err render(const struct vocab_def *def, const json_t *detail, const char *t, size_t len,
			   const struct vocab_namer *namer, struct buf *out)
{
	const char *end = t + len, *open, *close;
	enum buf_err e;

	while ((open = memchr(t, '{', (size_t)(end - t))) && (close = memchr(open, '}', (size_t)(end - open)))) {
		if ((e = buf_add(out, t, (size_t)(open - t))) ||
		    (e = put_field(def, detail, open + 1, (size_t)(close - open - 1), namer, out)))
			return e;
		t = close + 1;
	}
	return buf_add(out, t, (size_t)(end - t));
}

enum buf_err vocab_describe(const char *kind, const json_t *detail, enum vocab_voice voice, const char *lang,
			    const struct vocab_namer *namer, struct buf *out)
{
	const struct vocab_def *def = vocab_find(kind);
	const struct vocab_phrase *p;
	const char *t, *open, *close;
	size_t i;
	enum buf_err e;

	if (!def)
		return buf_adds(out, kind ? kind : "");
	/* The first phrasing that holds; the last one there is otherwise. */
	for (i = 0; i + 1 < VOCAB_MAX_PHRASES && def->says[i + 1].text[0][0] && !holds(detail, &def->says[i]); i++)
		;
	p = &def->says[i];
	t = p->text[voice][lang && strcmp(lang, "en") == 0 ? VOCAB_EN : VOCAB_SV];
	while ((open = strchr(t, '[')) && (close = strchr(open, ']'))) {
		if ((e = render(def, detail, t, (size_t)(open - t), namer, out)))
			return e;
		if (all_present(detail, open + 1, (size_t)(close - open - 1)) &&
		    (e = render(def, detail, open + 1, (size_t)(close - open - 1), namer, out)))
			return e;
		t = close + 1;
	}
	return render(def, detail, t, strlen(t), namer, out);
}

/* ---- JSON ---- */

/* obj[key] = v, stolen also on failure (jansson's _new calls take a NULL `obj` or `v`); *ok = 0 when it failed. */
static void put(json_t *obj, const char *key, json_t *v, int *ok)
{
	if (json_object_set_new(obj, key, v))
		*ok = 0;
}

static void push(json_t *arr, json_t *v, int *ok)
{
	if (json_array_append_new(arr, v))
		*ok = 0;
}

static json_t *field_json(const struct vocab_field *f, int *ok)
{
	json_t *o = json_object();

	put(o, "name", json_string(f->name), ok);
	put(o, "type", json_string(type_names[f->type]), ok);
	put(o, "required", json_boolean(!(f->flags & VOCAB_OPTIONAL)), ok);
	put(o, "nullable", json_boolean(f->flags & (VOCAB_OPTIONAL | VOCAB_NULLABLE)), ok);
	put(o, "server", json_boolean(f->flags & VOCAB_SERVER), ok);
	if (f->max)
		put(o, "max", json_integer((json_int_t)f->max), ok);
	return o;
}

static json_t *phrase_json(const struct vocab_phrase *p, int *ok)
{
	json_t *o = json_object(), *voice;
	size_t v, l;

	if (p->when_null)
		put(o, "when_null", json_string(p->when_null), ok);
	for (v = 0; v < VOCAB_NVOICES; v++) {
		voice = json_object();
		for (l = 0; l < VOCAB_NLANGS; l++)
			put(voice, lang_names[l], json_string(p->text[v][l]), ok);
		put(o, voice_names[v], voice, ok);
	}
	return o;
}

static json_t *kind_json(const struct vocab_def *def, int *ok)
{
	json_t *o = json_object(), *fields = json_array(), *says = json_array();
	size_t i;

	put(o, "name", json_string(def->name), ok);
	put(o, "client", json_boolean(def->flags & VOCAB_CLIENT), ok);
	put(o, "applied", json_boolean(def->flags & VOCAB_APPLIED), ok);
	for (i = 0; i < VOCAB_MAX_FIELDS && def->fields[i].name; i++)
		push(fields, field_json(&def->fields[i], ok), ok);
	put(o, "fields", fields, ok);
	if (def->distinct[0])
		put(o, "distinct", json_pack("[ss]", def->distinct[0], def->distinct[1]), ok);
	for (i = 0; i < VOCAB_MAX_PHRASES && def->says[i].text[0][0]; i++)
		push(says, phrase_json(&def->says[i], ok), ok);
	put(o, "says", says, ok);
	return o;
}

json_t *vocab_json(void)
{
	json_t *root = json_object(), *kinds = json_array();
	size_t k;
	int ok = 1;

	for (k = 0; k < VOCAB_NKINDS; k++)
		push(kinds, kind_json(&vocab_defs[k], &ok), &ok);
	put(root, "kinds", kinds, &ok);
	if (ok)
		return root;
	json_decref(root);
	return NULL;
}

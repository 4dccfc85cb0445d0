/*
 * test_curate.c - people's decisions: the table of kinds and its
 * sentences (vocab.h), curate_parse (every kind, every refusal) and each
 * kind applied through analysis_run on the Swedish fixture and the
 * writers' curated fields (`inspel analyze --decisions` is in
 * test_analyze_cli.c).
 * Run from the project root (tests/run.sh does) so tests/fixtures/ is found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "curate/curate.h"
#include "curate/vocab.h"
#include "pipeline/input.h"

#define FIXTURE "tests/fixtures/dialog_sv.csv"

/* ---- helpers ---- */

static struct input fixture;

static int load_fixture(void **state)
{
	FILE *f = fopen(FIXTURE, "rb");
	char buf[1 << 16], err[256];
	size_t n;

	(void)state;
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return input_parse(&fixture, INPUT_CSV, buf, n, err, sizeof(err)) ? -1 : 0;
}

static int free_fixture(void **state)
{
	(void)state;
	input_free(&fixture);
	return 0;
}

/* Parse `json`, which must succeed. */
static void parse_ok(struct curate *c, const char *json)
{
	char err[256] = "";
	int rc = curate_parse(c, json, strlen(json), err, sizeof(err));

	if (rc)
		fail_msg("curate_parse(%s) = %d: %s", json, rc, err);
}

/* Analyse the first `n` fixture answers (plus `extra`) with the decisions in `json` (NULL: no curation). */
static struct analysis_result *run_with(const char *json, size_t n, const struct analysis_answer *extra,
					size_t nextra, const char *themes_text)
{
	struct analysis_answer *v = calloc(n + nextra + 1, sizeof(*v));
	struct analysis_input in;
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct curate c = { 0 };
	char err[256] = "";
	int rc;

	assert_non_null(v);
	memcpy(v, fixture.v, n * sizeof(*v));
	if (nextra)
		memcpy(v + n, extra, nextra * sizeof(*v));
	in.v = v;
	in.n = n + nextra;
	memset(&o, 0, sizeof(o));
	o.themes_text = themes_text;
	o.err = err;
	o.errlen = sizeof(err);
	if (json) {
		parse_ok(&c, json);
		o.curation = &c;
	}
	rc = analysis_run(&in, &o, &r);
	if (rc)
		fail_msg("analysis_run: %d %s", rc, err);
	curate_free(&c);
	free(v);
	return r;
}

static struct analysis_result *run_fixture(const char *json)
{
	return run_with(json, fixture.n, NULL, 0, NULL);
}

static long theme_of(const struct analysis_result *r, const char *id)
{
	size_t t;

	for (t = 0; t < r->nthemes; t++)
		if (!strcmp(r->themes[t].id, id))
			return (long)t;
	return -1;
}

static const struct analysis_theme *theme(const struct analysis_result *r, const char *id)
{
	long t = theme_of(r, id);

	if (t < 0)
		fail_msg("no theme %s", id);
	return &r->themes[t];
}

static size_t answer(const struct analysis_result *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nanswers; i++)
		if (!strcmp(r->ids[i], id))
			return i;
	fail_msg("no answer %s", id);
	return 0;
}

static const struct analysis_match *match(const struct analysis_result *r, const char *a, const char *t)
{
	const struct analysis_assignment *as = &r->assign[answer(r, a)];
	size_t m;

	for (m = 0; m < as->nmatches; m++)
		if (!strcmp(r->themes[as->matches[m].theme].id, t))
			return &as->matches[m];
	return NULL;
}

static const char *primary(const struct analysis_result *r, const char *a)
{
	const struct analysis_assignment *as = &r->assign[answer(r, a)];

	return as->nmatches ? r->themes[as->matches[0].theme].id : "";
}

static int has_given(const struct analysis_theme *t, const char *term)
{
	size_t i;

	for (i = 0; i < t->ngiven; i++)
		if (!strcmp(t->given[i], term))
			return 1;
	return 0;
}

/* What one writer (analysis_write_json, _md or _csv) makes of `r`, which must succeed; the caller frees it. */
static char *written(const struct analysis_result *r, int (*writer)(const struct analysis_result *, struct buf *))
{
	struct buf b;

	buf_init(&b, 1 << 24);
	assert_int_equal(writer(r, &b), AN_OK);
	return buf_detach(&b, NULL);
}

static char *write_json(const struct analysis_result *r)
{
	return written(r, analysis_write_json);
}

/* Whether one writer's output of `r` contains `needle`. */
static int writes(const struct analysis_result *r, int (*writer)(const struct analysis_result *, struct buf *),
		  const char *needle)
{
	char *text = written(r, writer);
	int found = strstr(text, needle) != NULL;

	free(text);
	return found;
}

/* ---- parsing ---- */

static void test_parse_kinds(void **state)
{
	struct curate c;
	const char *json =
		"[{\"kind\": \"themes\", \"text\": \"a | A | x\\n\"},"
		" {\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"Administration\", \"terms\": [\"administration\", \"måsten\"],"
		"  \"answers\": [\"7\", \"20\"]},"
		" {\"kind\": \"split\", \"theme\": \"digitalisering\", \"term\": \"hemmonitorering\", \"id\": \"c2\", \"label\": \"Hem\"},"
		" {\"kind\": \"rename\", \"theme\": \"kontinuitet\", \"label\": \"Fast kontakt\"},"
		" {\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"kontinuitet\"},"
		" {\"kind\": \"move\", \"answer\": \"305\", \"from\": \"a\", \"to\": \"b\"},"
		" {\"kind\": \"move\", \"answer\": \"306\", \"to\": null},"
		" {\"kind\": \"move\", \"answer\": \"307\", \"from\": null, \"to\": \"b\"},"
		" {\"kind\": \"also\", \"answer\": \"308\", \"theme\": \"kompetens\"},"
		" {\"kind\": \"themes\", \"text\": \"b | B | y\\n\"}]";

	(void)state;
	parse_ok(&c, json);
	assert_int_equal(c.n, 10);
	assert_int_equal(c.v[0].kind, VOCAB_THEMES);
	assert_int_equal(c.v[1].kind, VOCAB_ADOPT);
	assert_string_equal(c.v[1].target, "c1");
	assert_string_equal(c.v[1].label, "Administration");
	assert_int_equal(c.v[1].nterms, 2);
	assert_string_equal(c.v[1].terms[1], "måsten");
	assert_int_equal(c.v[1].nanswers, 2);
	assert_string_equal(c.v[1].answers[0], "7");
	assert_int_equal(c.v[2].kind, VOCAB_SPLIT);
	assert_string_equal(c.v[2].theme, "digitalisering");
	assert_string_equal(c.v[2].target, "c2");
	assert_int_equal(c.v[2].nterms, 1);
	assert_string_equal(c.v[2].terms[0], "hemmonitorering");
	assert_int_equal(c.v[3].kind, VOCAB_RENAME);
	assert_string_equal(c.v[3].label, "Fast kontakt");
	assert_int_equal(c.v[4].kind, VOCAB_MERGE);
	assert_string_equal(c.v[4].theme, "samverkan");
	assert_string_equal(c.v[4].target, "kontinuitet");
	assert_int_equal(c.v[5].kind, VOCAB_MOVE);
	assert_string_equal(c.v[5].answer, "305");
	assert_string_equal(c.v[5].theme, "a");
	assert_string_equal(c.v[5].target, "b");
	assert_null(c.v[6].theme);
	assert_null(c.v[6].target);
	assert_null(c.v[7].theme);
	assert_int_equal(c.v[8].kind, VOCAB_ALSO);
	assert_string_equal(c.v[8].theme, "kompetens");
	/* The last "themes" decision wins. */
	assert_string_equal(curate_themes_text(&c), "b | B | y\n");
	curate_free(&c);
	assert_int_equal(c.n, 0);
	curate_free(&c);

	parse_ok(&c, "[]");
	assert_int_equal(c.n, 0);
	assert_null(curate_themes_text(&c));
	curate_free(&c);
}

static void test_parse_refusals(void **state)
{
	static const struct {
		const char *json;
		int code;
		const char *msg;
	} cases[] = {
		{ "", AN_EINVAL, "decisions: " },
		{ "[{\"kind\": \"rename\"", AN_EINVAL, "decisions: " },
		{ "{\"kind\": \"rename\"}", AN_EINVAL, "decisions: expected a JSON array" },
		{ "[\"rename\"]", AN_EINVAL, "decision 1: must be a JSON object" },
		{ "[{}]", AN_EINVAL, "decision 1: \"kind\" is required" },
		{ "[{\"kind\": 3}]", AN_EINVAL, "decision 1: \"kind\" must be a string" },
		{ "[{\"kind\": \"undo\", \"decision\": 1}]", AN_EINVAL, "decision 1: unknown kind" },
		{ "[{\"kind\": \"rename\", \"theme\": \"a\", \"label\": \"A\"}, {\"kind\": \"rename\", \"theme\": \"a\", "
		  "\"label\": \"A\", \"tehme\": \"b\"}]", AN_EINVAL, "decision 2: unknown member \"tehme\" for a rename" },
		{ "[{\"kind\": \"rename\", \"theme\": \"a\", \"label\": \"A\", \"kind\": \"merge\"}]", AN_EINVAL,
		  "decisions: " },
		{ "[{\"kind\": \"rename\", \"label\": \"A\"}]", AN_EINVAL, "decision 1: \"theme\" is required" },
		{ "[{\"kind\": \"rename\", \"theme\": 5, \"label\": \"A\"}]", AN_EINVAL,
		  "decision 1: \"theme\" must be a string" },
		{ "[{\"kind\": \"rename\", \"theme\": \"Stor\", \"label\": \"A\"}]", AN_EINVAL,
		  "decision 1: \"theme\" must be a theme id" },
		{ "[{\"kind\": \"rename\", \"theme\": \"\", \"label\": \"A\"}]", AN_EINVAL,
		  "decision 1: \"theme\" must be a theme id" },
		{ "[{\"kind\": \"rename\", \"theme\": \"a234567890123456789012345678901234567890123456789\", "
		  "\"label\": \"A\"}]", AN_EINVAL, "decision 1: \"theme\" must be a theme id" },
		{ "[{\"kind\": \"rename\", \"theme\": \"a\", \"label\": \"\"}]", AN_EINVAL, "decision 1: \"label\" is empty" },
		{ "[{\"kind\": \"rename\", \"theme\": \"a\", \"label\": null}]", AN_EINVAL,
		  "decision 1: \"label\" must be a string" },
		{ "[{\"kind\": \"rename\", \"theme\": \"a\", \"label\": \"ååååååååååååååååååååååååååååååååååååååååååååååååå"
		  "åååååååååååååååååååååååååååååååååååååååååååååååååååå\"}]", AN_EINVAL, "decision 1: \"label\" is longer than 100" },
		{ "[{\"kind\": \"merge\", \"theme\": \"a\"}]", AN_EINVAL, "decision 1: \"into\" is required" },
		{ "[{\"kind\": \"split\", \"theme\": \"a\", \"term\": \"\", \"id\": \"c1\", \"label\": \"C\"}]", AN_EINVAL,
		  "decision 1: \"term\" is empty" },
		{ "[{\"kind\": \"split\", \"theme\": \"a\", \"term\": \"x\", \"id\": \"new-3\", \"label\": \"C\"}]", AN_EINVAL,
		  "decision 1: \"id\" must not have the form of a discovered theme's id" },
		{ "[{\"kind\": \"split\", \"theme\": \"a\", \"term\": \"x\", \"label\": \"C\"}]", AN_EINVAL,
		  "decision 1: \"id\" is required" },
		{ "[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"C\", \"terms\": \"x\", \"answers\": []}]", AN_EINVAL,
		  "decision 1: \"terms\" must be an array of strings" },
		{ "[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"C\", \"terms\": [\"x\", 2], \"answers\": []}]",
		  AN_EINVAL, "decision 1: \"terms\" must be an array of strings" },
		{ "[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"C\", \"terms\": [\"x\", \"\"], \"answers\": []}]",
		  AN_EINVAL, "decision 1: term 2 is empty" },
		{ "[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"C\", \"terms\": [], \"answers\": [\"\"]}]", AN_EINVAL,
		  "decision 1: answer 1 is empty" },
		{ "[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"C\", \"terms\": []}]", AN_EINVAL,
		  "decision 1: \"answers\" is required" },
		{ "[{\"kind\": \"move\", \"answer\": \"1\", \"from\": \"a\"}]", AN_EINVAL, "decision 1: \"to\" is required" },
		{ "[{\"kind\": \"move\", \"answer\": 1, \"to\": \"a\"}]", AN_EINVAL, "decision 1: \"answer\" must be a string" },
		{ "[{\"kind\": \"move\", \"answer\": \"\", \"to\": \"a\"}]", AN_EINVAL,
		  "decision 1: \"answer\" must be a non-empty answer id" },
		{ "[{\"kind\": \"move\", \"answer\": \"1\", \"to\": \"a b\"}]", AN_EINVAL,
		  "decision 1: \"to\" must be a theme id" },
		{ "[{\"kind\": \"also\", \"answer\": \"1\"}]", AN_EINVAL, "decision 1: \"theme\" is required" },
		{ "[{\"kind\": \"themes\", \"text\": 1}]", AN_EINVAL, "decision 1: \"text\" must be a string" },
		{ "[{\"kind\": \"themes\", \"text\": \"\xff\"}]", AN_EUTF8, "decisions: " },
	};
	char big[64 + 70 * 8], err[256];
	struct curate c;
	size_t i, off;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		c.n = 99;
		if (curate_parse(&c, cases[i].json, strlen(cases[i].json), err, sizeof(err)) != cases[i].code)
			fail_msg("case %zu: wrong code, message '%s'", i, err);
		if (strncmp(err, cases[i].msg, strlen(cases[i].msg)))
			fail_msg("case %zu: '%s' does not start with '%s'", i, err, cases[i].msg);
		assert_int_equal(c.n, 0);
		assert_null(c.v);
	}
	/* 65 terms: one over CURATE_MAX_TERMS. */
	off = (size_t)snprintf(big, sizeof(big), "[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"C\", \"answers\": [], "
						      "\"terms\": [");
	for (i = 0; i <= CURATE_MAX_TERMS; i++)
		off += (size_t)snprintf(big + off, sizeof(big) - off, "%s\"t%zu\"", i ? "," : "", i);
	snprintf(big + off, sizeof(big) - off, "]}]");
	assert_int_equal(curate_parse(&c, big, strlen(big), err, sizeof(err)), AN_EINVAL);
	assert_string_equal(err, "decision 1: more than 64 entries in \"terms\"");
	/* A NULL err is fine. */
	assert_int_equal(curate_parse(&c, "[1]", 3, NULL, 0), AN_EINVAL);
}

static void test_parse_too_many(void **state)
{
	struct buf b;
	struct curate c;
	char err[128];
	size_t i;

	(void)state;
	buf_init(&b, 1 << 24);
	assert_int_equal(buf_adds(&b, "["), BUF_OK);
	for (i = 0; i <= CURATE_MAX_DECISIONS; i++)
		assert_int_equal(buf_printf(&b, "%s{\"kind\":\"also\",\"answer\":\"1\",\"theme\":\"a\"}", i ? "," : ""), BUF_OK);
	assert_int_equal(buf_adds(&b, "]"), BUF_OK);
	assert_int_equal(curate_parse(&c, b.data, b.len, err, sizeof(err)), AN_EINVAL);
	assert_string_equal(err, "decisions: more than 10000 decisions");
	buf_free(&b);
}

/* ---- the vocabulary ---- */

/* Every row of the table is whole: the kind at its index, fields and sentences that fit together. */
static void test_vocab_table(void **state)
{
	char names[128];
	size_t k, i, j, v, l;

	(void)state;
	for (k = 0; k < VOCAB_NKINDS; k++) {
		const struct vocab_def *def = &vocab_defs[k];

		assert_int_equal(def->kind, k);
		assert_ptr_equal(vocab_find(def->name), def);
		assert_true(def->flags & (VOCAB_CLIENT | VOCAB_APPLIED));
		assert_non_null(def->fields[0].name);
		for (i = 0; i < VOCAB_MAX_FIELDS && def->fields[i].name; i++) {
			const struct vocab_field *f = &def->fields[i];

			assert_ptr_equal(vocab_field(def, f->name), f);
			/* Labels, terms, lists and texts have a limit; a client never sends a list. */
			if (f->type == VOCAB_LABEL || f->type == VOCAB_TERM || f->type == VOCAB_TERMS ||
			    f->type == VOCAB_ANSWERS || f->type == VOCAB_TEXT)
				assert_true(f->max > 0);
			if ((def->flags & VOCAB_CLIENT) && !(f->flags & VOCAB_SERVER))
				assert_true(f->type != VOCAB_TERMS && f->type != VOCAB_ANSWERS);
			if (def->flags & VOCAB_APPLIED)
				assert_true(f->type != VOCAB_DECISION);
			if (f->flags & (VOCAB_OPTIONAL | VOCAB_NULLABLE))
				assert_true(f->type == VOCAB_THEME || f->type == VOCAB_TARGET);
		}
		for (i = 0; i < 2 && def->distinct[0]; i++)
			assert_non_null(vocab_field(def, def->distinct[i]));
		assert_true(!def->distinct[0] || def->distinct_why);
		for (i = 0; i < VOCAB_MAX_PHRASES && def->says[i].text[0][0]; i++) {
			if (def->says[i].when_null)
				assert_true(vocab_field(def, def->says[i].when_null)->flags & (VOCAB_OPTIONAL | VOCAB_NULLABLE));
			for (v = 0; v < VOCAB_NVOICES; v++)
				for (l = 0; l < VOCAB_NLANGS; l++) {
					const char *t = def->says[i].text[v][l], *open, *close;
					char name[32];

					assert_non_null(t);
					assert_true(*t);
					/* Every {field} is a field of the kind; brackets pair up, unnested. */
					for (j = 0; (open = strchr(t + j, '{')); j = (size_t)(close - t) + 1) {
						close = strchr(open, '}');
						assert_non_null(close);
						snprintf(name, sizeof(name), "%.*s", (int)(close - open - 1), open + 1);
						if (!vocab_field(def, name))
							fail_msg("%s: {%s} is not a field", def->name, name);
					}
					for (j = 0; (open = strchr(t + j, '[')); j = (size_t)(close - t) + 1) {
						close = strchr(open, ']');
						assert_non_null(close);
						assert_null(memchr(open + 1, '[', (size_t)(close - open - 1)));
					}
				}
		}
		/* The last phrasing holds always. */
		assert_true(i >= 1);
		assert_null(def->says[i - 1].when_null);
	}
	assert_null(vocab_find("explode"));
	assert_null(vocab_find(NULL));
	vocab_names(VOCAB_CLIENT, names, sizeof(names));
	assert_string_equal(names, "rename, merge, split, move, also, themes, undo");
	vocab_names(VOCAB_APPLIED, names, sizeof(names));
	assert_string_equal(names, "rename, merge, split, move, also, themes, adopt");
	vocab_names(VOCAB_CLIENT, names, 10);
	assert_string_equal(names, "rename, m");
	assert_true(vocab_discovered_id("new-3"));
	assert_false(vocab_discovered_id("new-"));
	assert_false(vocab_discovered_id("new-3a"));
	assert_false(vocab_discovered_id("c3"));
}

/* The namer of the sentence tests: theme "kont" is known by its label, answers by a quote. */
static const char *test_theme_label(void *ctx, const char *field, const char *id)
{
	(void)ctx;
	(void)field;
	return !strcmp(id, "kont") ? "Kontinuitet" : !strcmp(id, "samv") ? "Samverkan" : NULL;
}

static const char *test_answer_text(void *ctx, const char *id)
{
	(void)ctx;
	return !strcmp(id, "7") ? "”Kortare köer”" : NULL;
}

/* Decision 12 did a rename; others are unknown. */
static const char *test_decision_text(void *ctx, json_int_t id)
{
	(void)ctx;
	return id == 12 ? "Bytte namn på temat Kontinuitet till \"Fast läkare\"" : NULL;
}

/* The sentence for kind and detail (JSON) in one voice and language, with the namer above. */
static char *said(const char *kind, const char *detail, enum vocab_voice voice, const char *lang)
{
	static const struct vocab_namer namer = { test_theme_label, test_answer_text, test_decision_text, NULL };
	json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
	struct buf b;
	char *s;

	assert_true(!detail || d);
	buf_init(&b, 4096);
	assert_int_equal(vocab_describe(kind, d, voice, lang, &namer, &b), BUF_OK);
	s = buf_detach(&b, NULL);
	json_decref(d);
	return s;
}

/*
 * Every kind in both voices and both languages: the report's words
 * (server/report) and the console's (web/js), exactly as they were before
 * the table held them.
 */
static void test_vocab_describe(void **state)
{
	static const struct {
		const char *kind, *detail;
		const char *report_sv, *report_en, *console_sv, *console_en;
	} cases[] = {
		{ "rename", "{\"theme\": \"kont\", \"label\": \"Fast läkare\"}",
		  "Bytte namn på temat Kontinuitet till \"Fast läkare\"", "Renamed theme Kontinuitet to \"Fast läkare\"",
		  "Temat Kontinuitet fick rubriken ”Fast läkare”", "The theme Kontinuitet was given the heading “Fast läkare”" },
		{ "merge", "{\"theme\": \"samv\", \"into\": \"kont\"}",
		  "Slog ihop temat Samverkan med Kontinuitet", "Merged theme Samverkan into Kontinuitet",
		  "”Samverkan” slogs ihop med ”Kontinuitet”", "“Samverkan” was merged into “Kontinuitet”" },
		{ "split", "{\"theme\": \"kont\", \"term\": \"telefon\", \"id\": \"c2\", \"label\": \"Telefon\"}",
		  "Bröt ut ordet \"telefon\" ur temat Kontinuitet som \"Telefon\"",
		  "Split the term \"telefon\" off theme Kontinuitet as \"Telefon\"",
		  "Termen ”telefon” bröts ut ur ”Kontinuitet” som ”Telefon”",
		  "The term “telefon” was split off “Kontinuitet” as “Telefon”" },
		{ "move", "{\"answer\": \"7\", \"to\": \"kont\", \"from\": \"samv\"}",
		  "Flyttade svar ”Kortare köer” från Samverkan till temat Kontinuitet",
		  "Moved answer ”Kortare köer” from Samverkan to theme Kontinuitet",
		  "Svaret ”Kortare köer” flyttades till ”Kontinuitet”", "The answer ”Kortare köer” was moved to “Kontinuitet”" },
		{ "move", "{\"answer\": \"8\", \"to\": \"c4\"}",
		  "Flyttade svar 8 till temat c4", "Moved answer 8 to theme c4",
		  "Svaret 8 flyttades till ”c4”", "The answer 8 was moved to “c4”" },
		{ "move", "{\"answer\": \"8\", \"to\": null, \"from\": \"kont\"}",
		  "Svar 8 passar inget tema", "Answer 8 fits no theme",
		  "Svaret 8 togs ur alla teman", "The answer 8 was taken out of every theme" },
		{ "also", "{\"answer\": \"7\", \"theme\": \"kont\"}",
		  "Lade svar ”Kortare köer” även i temat Kontinuitet", "Put answer ”Kortare köer” in theme Kontinuitet as well",
		  "Svaret ”Kortare köer” lades även i ”Kontinuitet”", "The answer ”Kortare köer” was also put in “Kontinuitet”" },
		{ "themes", "{\"text\": \"a | A | x\\n\"}",
		  "Ändrade temalistan", "Edited the themes list", "Temafilen ersattes", "The themes file was replaced" },
		{ "adopt", "{\"id\": \"c1\", \"label\": \"Parkering\", \"terms\": [\"parkering\"], \"answers\": [\"3\", \"9\"]}",
		  "Behöll ett upptäckt tema som \"Parkering\" (2 svar)", "Kept a discovered theme as \"Parkering\" (answers: 2)",
		  "Det upptäckta temat ”Parkering” blev ett eget tema",
		  "The discovered theme “Parkering” became a theme of its own" },
		/* An undo says what it took back, as the namer tells it; a decision it cannot name by its number. */
		{ "undo", "{\"decision\": 12}",
		  "Ångrade: Bytte namn på temat Kontinuitet till \"Fast läkare\"",
		  "Took back: Bytte namn på temat Kontinuitet till \"Fast läkare\"",
		  "Ångrade: Bytte namn på temat Kontinuitet till \"Fast läkare\"",
		  "Undone: Bytte namn på temat Kontinuitet till \"Fast läkare\"" },
		{ "undo", "{\"decision\": 13}", "Ångrade: #13", "Took back: #13", "Ångrade: #13", "Undone: #13" },
		/* Not in the table: its name; fields missing: nothing in their place. */
		{ "explode", "{}", "explode", "explode", "explode", "explode" },
		{ "rename", NULL, "Bytte namn på temat  till \"\"", "Renamed theme  to \"\"", "Temat  fick rubriken ””",
		  "The theme  was given the heading “”" },
	};
	size_t i, seen[VOCAB_NKINDS] = { 0 };
	struct buf small;
	json_t *d;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want[4] = { cases[i].report_sv, cases[i].report_en, cases[i].console_sv, cases[i].console_en };
		size_t w;

		if (vocab_find(cases[i].kind))
			seen[vocab_find(cases[i].kind)->kind]++;
		for (w = 0; w < 4; w++) {
			s = said(cases[i].kind, cases[i].detail, w < 2 ? VOCAB_REPORT : VOCAB_CONSOLE, w % 2 ? "en" : "sv");
			if (strcmp(s, want[w]))
				fail_msg("case %zu (%s): \"%s\", want \"%s\"", i, cases[i].kind, s, want[w]);
			free(s);
		}
	}
	for (i = 0; i < VOCAB_NKINDS; i++)
		if (!seen[i])
			fail_msg("no sentence tested for %s", vocab_defs[i].name);
	/* No namer, and a language that is not English: ids, in Swedish. */
	d = json_pack("{s:s, s:s}", "answer", "7", "theme", "kont");
	buf_init(&small, 4096);
	assert_int_equal(vocab_describe("also", d, VOCAB_REPORT, NULL, NULL, &small), BUF_OK);
	assert_string_equal(small.data, "Lade svar 7 även i temat kont");
	buf_free(&small);
	/* A full buffer says so. */
	buf_init(&small, 8);
	assert_int_equal(vocab_describe("also", d, VOCAB_REPORT, "sv", NULL, &small), BUF_TOOBIG);
	buf_free(&small);
	json_decref(d);
}

/* What GET /api/decision-kinds serves: the table, row for row. */
static void test_vocab_json(void **state)
{
	json_t *j = vocab_json(), *kinds, *k, *f, *p;
	char *text;
	size_t i, n;

	(void)state;
	assert_non_null(j);
	kinds = json_object_get(j, "kinds");
	assert_int_equal(json_array_size(kinds), VOCAB_NKINDS);
	json_array_foreach(kinds, i, k) {
		const struct vocab_def *def = &vocab_defs[i];

		assert_string_equal(json_string_value(json_object_get(k, "name")), def->name);
		assert_int_equal(json_is_true(json_object_get(k, "client")), !!(def->flags & VOCAB_CLIENT));
		assert_int_equal(json_is_true(json_object_get(k, "applied")), !!(def->flags & VOCAB_APPLIED));
		for (n = 0; n < VOCAB_MAX_FIELDS && def->fields[n].name; n++)
			;
		assert_int_equal(json_array_size(json_object_get(k, "fields")), n);
		json_array_foreach(json_object_get(k, "says"), n, p) {
			assert_string_equal(json_string_value(json_object_get(json_object_get(p, "report"), "sv")),
					    def->says[n].text[VOCAB_REPORT][VOCAB_SV]);
			assert_string_equal(json_string_value(json_object_get(json_object_get(p, "console"), "en")),
					    def->says[n].text[VOCAB_CONSOLE][VOCAB_EN]);
		}
	}
	/* move: answer required; to required but may be null; from optional. */
	k = json_array_get(kinds, VOCAB_MOVE);
	text = json_dumps(json_object_get(k, "fields"), JSON_COMPACT);
	assert_string_equal(text,
			    "[{\"name\":\"answer\",\"type\":\"answer\",\"required\":true,\"nullable\":false,\"server\":false},"
			    "{\"name\":\"to\",\"type\":\"target\",\"required\":true,\"nullable\":true,\"server\":false},"
			    "{\"name\":\"from\",\"type\":\"theme\",\"required\":false,\"nullable\":true,\"server\":false}]");
	free(text);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(k, "says"), 0), "when_null")),
			    "to");
	text = json_dumps(json_object_get(k, "distinct"), JSON_COMPACT);
	assert_string_equal(text, "[\"from\",\"to\"]");
	free(text);
	/* split: the new id is the server's; the label has its limit. */
	f = json_array_get(json_object_get(json_array_get(kinds, VOCAB_SPLIT), "fields"), 2);
	assert_string_equal(json_string_value(json_object_get(f, "name")), "id");
	assert_true(json_is_true(json_object_get(f, "server")));
	f = json_array_get(json_object_get(json_array_get(kinds, VOCAB_SPLIT), "fields"), 3);
	assert_int_equal(json_integer_value(json_object_get(f, "max")), VOCAB_LABEL_MAX);
	json_decref(j);
}

/* ---- applying ---- */

/* No decisions at all and an empty list give the same bytes in every writer. */
static void test_empty_list_same_output(void **state)
{
	int (*const writers[])(const struct analysis_result *, struct buf *) = {
		analysis_write_json, analysis_write_md, analysis_write_csv,
	};
	struct analysis_result *a = run_fixture(NULL), *b = run_fixture("[]");
	char *ja, *jb;
	size_t w;

	(void)state;
	for (w = 0; w < sizeof(writers) / sizeof(writers[0]); w++) {
		ja = written(a, writers[w]);
		jb = written(b, writers[w]);
		assert_string_equal(ja, jb);
		free(ja);
		free(jb);
	}
	/* Every theme says where it came from; nothing is curated. */
	ja = write_json(a);
	assert_non_null(strstr(ja, "\"origin\":\"given\",\"renamed\":false,\"merged\":[]"));
	assert_non_null(strstr(ja, "\"origin\":\"discovered\""));
	assert_null(strstr(ja, "\"human\""));
	free(ja);
	assert_int_equal(theme(a, "kontinuitet")->origin, ANALYSIS_GIVEN);
	ja = written(a, analysis_write_csv);
	assert_true(!strncmp(ja, "id,theme,label,themes,score,terms,text\r\n", 40));
	free(ja);
	analysis_result_free(a);
	analysis_result_free(b);
}

static void test_rename(void **state)
{
	struct analysis_result *r = run_fixture("[{\"kind\": \"rename\", \"theme\": \"kontinuitet\", \"label\": \"Fast kontakt\"},"
						 " {\"kind\": \"rename\", \"theme\": \"kontinuitet\", \"label\": \"Samma läkare\"}]");

	(void)state;
	assert_string_equal(theme(r, "kontinuitet")->label, "Samma läkare");
	assert_int_equal(theme(r, "kontinuitet")->renamed, 1);
	assert_int_equal(theme(r, "samverkan")->renamed, 0);
	/* Membership does not change. */
	assert_string_equal(primary(r, "4"), "kontinuitet");
	assert_true(writes(r, analysis_write_json,
			   "\"label\":\"Samma läkare\",\"seeded\":true,\"origin\":\"given\",\"renamed\":true"));
	analysis_result_free(r);
}

static void test_merge(void **state)
{
	struct analysis_result *base = run_fixture(NULL);
	struct analysis_result *r = run_fixture("[{\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"kontinuitet\"}]");
	const struct analysis_theme *k;
	char *j;

	(void)state;
	assert_true(theme_of(r, "samverkan") < 0);
	assert_int_equal(r->nthemes, base->nthemes - 1);
	k = theme(r, "kontinuitet");
	assert_int_equal(k->nmerged, 1);
	assert_string_equal(k->merged[0], "samverkan");
	assert_string_equal(k->merged_labels[0], "Teamsamverkan och samordning");
	assert_true(has_given(k, "teamsamverkan") && has_given(k, "fast läkarkontakt"));
	/* Teamsamverkan (11) and SIP (22) were samverkan's; they follow its terms. */
	assert_string_equal(primary(r, "11"), "kontinuitet");
	assert_string_equal(primary(r, "22"), "kontinuitet");
	assert_string_equal(primary(r, "4"), "kontinuitet");
	assert_int_equal(k->size, theme(base, "kontinuitet")->size + theme(base, "samverkan")->size);
	j = write_json(r);
	assert_non_null(strstr(j, "\"origin\":\"given\",\"renamed\":false,\"merged\":[\"samverkan\"],"
				  "\"merged_labels\":[\"Teamsamverkan och samordning\"]"));
	assert_null(strstr(j, "\"id\":\"samverkan\""));
	free(j);
	/* Markdown names a merged theme by the label the reader saw, never by its id. */
	assert_true(writes(r, analysis_write_md, " · sammanslaget med: Teamsamverkan och samordning\n"));
	assert_false(writes(r, analysis_write_md, "sammanslaget med: samverkan"));
	analysis_result_free(r);

	/* A chain: samverkan into kompetens, kompetens into kontinuitet. */
	r = run_fixture("[{\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"kompetens\"},"
			" {\"kind\": \"merge\", \"theme\": \"kompetens\", \"into\": \"kontinuitet\"},"
			" {\"kind\": \"also\", \"answer\": \"1\", \"theme\": \"samverkan\"}]");
	assert_true(theme_of(r, "samverkan") < 0 && theme_of(r, "kompetens") < 0);
	k = theme(r, "kontinuitet");
	assert_int_equal(k->nmerged, 2);
	assert_string_equal(k->merged[0], "samverkan");
	assert_string_equal(k->merged[1], "kompetens");
	assert_string_equal(k->merged_labels[0], "Teamsamverkan och samordning");
	assert_string_equal(k->merged_labels[1], "Kompetensförsörjning");
	assert_string_equal(primary(r, "18"), "kontinuitet");
	assert_string_equal(primary(r, "11"), "kontinuitet");
	/* A later reference to a merged theme goes where it went. */
	assert_non_null(match(r, "1", "kontinuitet"));
	assert_true(match(r, "1", "kontinuitet")->human);
	analysis_result_free(r);

	/*
	 * A merged theme is recorded under the label it had when merged: after
	 * an earlier rename, and not the one a later rename (which reaches the
	 * theme it went into) gives.  A chain A -> B -> C records both on C.
	 */
	r = run_fixture("[{\"kind\": \"rename\", \"theme\": \"samverkan\", \"label\": \"Team runt patienten\"},"
			" {\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"kompetens\"},"
			" {\"kind\": \"rename\", \"theme\": \"kompetens\", \"label\": \"Folk och team\"},"
			" {\"kind\": \"merge\", \"theme\": \"kompetens\", \"into\": \"kontinuitet\"},"
			" {\"kind\": \"rename\", \"theme\": \"samverkan\", \"label\": \"Allt i ett\"}]");
	k = theme(r, "kontinuitet");
	assert_string_equal(k->label, "Allt i ett");
	assert_int_equal(k->nmerged, 2);
	assert_string_equal(k->merged[0], "samverkan");
	assert_string_equal(k->merged_labels[0], "Team runt patienten");
	assert_string_equal(k->merged[1], "kompetens");
	assert_string_equal(k->merged_labels[1], "Folk och team");
	assert_true(writes(r, analysis_write_md, " · sammanslaget med: Team runt patienten, Folk och team\n"));
	analysis_result_free(r);

	/* A cycle: the second merge is ignored. */
	r = run_fixture("[{\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"kontinuitet\"},"
			" {\"kind\": \"merge\", \"theme\": \"kontinuitet\", \"into\": \"samverkan\"},"
			" {\"kind\": \"merge\", \"theme\": \"kontinuitet\", \"into\": \"kontinuitet\"}]");
	assert_true(theme_of(r, "samverkan") < 0);
	assert_int_equal(theme(r, "kontinuitet")->nmerged, 1);
	assert_int_equal(r->nthemes, base->nthemes - 1);
	analysis_result_free(r);
	analysis_result_free(base);
}

static void test_split(void **state)
{
	struct analysis_result *base = run_fixture(NULL);
	struct analysis_result *r = run_fixture("[{\"kind\": \"split\", \"theme\": \"digitalisering\", \"term\": \"hemmonitorering\","
						 " \"id\": \"c1\", \"label\": \"Hemmonitorering\"}]");
	const struct analysis_theme *c, *dg;
	size_t d;

	(void)state;
	c = theme(r, "c1");
	dg = theme(r, "digitalisering");
	assert_int_equal(c->origin, ANALYSIS_CURATED);
	assert_int_equal(c->seeded, 1);
	assert_string_equal(c->label, "Hemmonitorering");
	assert_int_equal(c->ngiven, 1);
	assert_string_equal(c->given[0], "hemmonitorering");
	/* The term left its parent. */
	assert_false(has_given(dg, "hemmonitorering"));
	assert_int_equal(dg->ngiven, theme(base, "digitalisering")->ngiven - 1);
	/* Its answer moved; the parent's other answers stayed. */
	assert_string_equal(primary(r, "13"), "c1");
	assert_null(match(r, "13", "digitalisering"));
	assert_false(match(r, "13", "c1")->human);
	assert_non_null(match(r, "9", "digitalisering"));
	assert_non_null(match(r, "16", "digitalisering"));
	assert_int_equal(dg->size, theme(base, "digitalisering")->size - 1);
	/* Answers of other themes are untouched. */
	for (d = 0; d < r->nanswers; d++) {
		const struct analysis_assignment *a = &r->assign[d], *b = &base->assign[d];
		size_t m;

		if (!strcmp(r->ids[d], "13"))
			continue;
		assert_int_equal(a->nmatches, b->nmatches);
		for (m = 0; m < a->nmatches; m++)
			assert_string_equal(r->themes[a->matches[m].theme].id, base->themes[b->matches[m].theme].id);
	}
	assert_true(writes(r, analysis_write_json,
			   "{\"id\":\"c1\",\"label\":\"Hemmonitorering\",\"seeded\":true,\"origin\":\"curated\""));
	assert_true(writes(r, analysis_write_md, ". Hemmonitorering (1 svar, 5 %)\n\n*eget tema*"));
	analysis_result_free(r);

	/* A split of a term the theme does not have, or into an existing id, is skipped. */
	r = run_fixture("[{\"kind\": \"split\", \"theme\": \"digitalisering\", \"term\": \"telefon\", \"id\": \"c1\", \"label\": \"T\"},"
			" {\"kind\": \"split\", \"theme\": \"digitalisering\", \"term\": \"AI\", \"id\": \"kompetens\", \"label\": \"T\"}]");
	assert_true(theme_of(r, "c1") < 0);
	assert_true(has_given(theme(r, "digitalisering"), "AI"));
	assert_int_equal(r->nthemes, base->nthemes);
	analysis_result_free(r);
	analysis_result_free(base);
}

static void test_split_shared_term(void **state)
{
	static const char themes[] = "a | A | telefon, ringa\nb | B | telefon, tid\n";
	static const struct analysis_answer extra[] = {
		{ "t1", "Svårt att nå dem på telefon", NULL, NULL, NULL, NULL },
		{ "t2", "Man får ringa och ringa", NULL, NULL, NULL, NULL },
		{ "t3", "Telefon och tid hos läkaren", NULL, NULL, NULL, NULL },
	};
	struct analysis_result *r = run_with("[{\"kind\": \"split\", \"theme\": \"a\", \"term\": \"telefon\", \"id\": \"tel\","
					     " \"label\": \"Telefon\"}]", 0, extra, 3, themes);

	(void)state;
	/* The term's answers leave A for the split theme; B keeps its own. */
	assert_non_null(match(r, "t1", "tel"));
	assert_null(match(r, "t1", "a"));
	assert_non_null(match(r, "t1", "b"));
	assert_string_equal(primary(r, "t2"), "a");
	assert_null(match(r, "t2", "tel"));
	assert_non_null(match(r, "t3", "b"));
	assert_non_null(match(r, "t3", "tel"));
	assert_false(has_given(theme(r, "a"), "telefon"));
	assert_true(has_given(theme(r, "b"), "telefon"));
	analysis_result_free(r);
}

/*
 * Splits that go round in a circle through merges cancel out: T split
 * into c1 on a term, c1 split into c2 on the same term, c2 merged back
 * into T, another theme merged into c1.  T and c1 are each other's split
 * parent; an answer with both used to lose both, land among the discovered
 * themes and leak its match array.
 */
static void test_split_circle(void **state)
{
	static const char decisions[] =
		"[{\"kind\": \"split\", \"theme\": \"digitalisering\", \"term\": \"digital\", \"id\": \"c1\", \"label\": \"C1\"},"
		" {\"kind\": \"split\", \"theme\": \"c1\", \"term\": \"digital\", \"id\": \"c2\", \"label\": \"C2\"},"
		" {\"kind\": \"merge\", \"theme\": \"c2\", \"into\": \"digitalisering\"},"
		" {\"kind\": \"merge\", \"theme\": \"samverkan\", \"into\": \"c1\"}]";
	static const struct analysis_answer extra[] = {
		{ "d1", "Digitala vårdmöten och samverkan i team", NULL, NULL, NULL, NULL },
		{ "d2", "Digital samverkan mellan team", NULL, NULL, NULL, NULL },
		{ "d3", "Bättre samverkan med digitala verktyg", NULL, NULL, NULL, NULL },
		{ "d4", "Mer digital vård", NULL, NULL, NULL, NULL },
	};
	struct analysis_result *base = run_with(NULL, fixture.n, extra, 4, NULL);
	struct analysis_result *r = run_with(decisions, fixture.n, extra, 4, NULL);
	const char *both[] = { "16", "d1", "d2", "d3" };
	size_t i;

	(void)state;
	assert_int_equal(theme(r, "c1")->nmerged, 1);
	assert_true(has_given(theme(r, "digitalisering"), "digital"));
	for (i = 0; i < sizeof(both) / sizeof(both[0]); i++) {
		const struct analysis_assignment *as = &r->assign[answer(r, both[i])];
		size_t m;

		/* Both themes kept, in the order (by score) the answer had them without the decisions. */
		if (!match(r, both[i], "digitalisering") || !match(r, both[i], "c1"))
			fail_msg("answer %s lost a theme of the circle", both[i]);
		assert_int_equal(as->nmatches, base->assign[answer(base, both[i])].nmatches);
		for (m = 0; m < as->nmatches; m++)
			assert_int_not_equal(r->themes[as->matches[m].theme].origin, ANALYSIS_DISCOVERED);
		assert_string_equal(primary(r, both[i]), !strcmp(primary(base, both[i]), "samverkan") ? "c1"
											  : primary(base, both[i]));
	}
	assert_string_equal(primary(r, "d4"), "digitalisering");
	analysis_result_free(r);
	analysis_result_free(base);
}

static void test_adopt(void **state)
{
	struct analysis_result *base = run_fixture(NULL);
	struct analysis_result *r;
	const struct analysis_theme *c;
	size_t t;

	(void)state;
	/* The administration answers are discovered together without decisions. */
	assert_int_equal(base->themes[base->assign[answer(base, "7")].matches[0].theme].origin, ANALYSIS_DISCOVERED);
	r = run_fixture("[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"Administration\","
			" \"terms\": [\"administration\"], \"answers\": [\"7\", \"2\", \"999\"]}]");
	c = theme(r, "c1");
	assert_int_equal(c->origin, ANALYSIS_CURATED);
	assert_string_equal(c->label, "Administration");
	/* Pinned answers (one without the term), and a matching one not pinned. */
	assert_string_equal(primary(r, "7"), "c1");
	assert_true(match(r, "7", "c1")->human);
	assert_string_equal(primary(r, "2"), "c1");
	assert_true(match(r, "2", "c1")->human);
	assert_string_equal(primary(r, "20"), "c1");
	assert_false(match(r, "20", "c1")->human);
	assert_int_equal(c->size, 3);
	/* The curated theme comes after the given ones, before the discovered. */
	for (t = 0; t < r->nthemes; t++)
		if (r->themes[t].origin == ANALYSIS_DISCOVERED)
			break;
	assert_int_equal(theme_of(r, "c1"), (long)t - 1);
	analysis_result_free(r);

	/* An answer pinned to a given theme it has becomes its primary. */
	r = run_fixture("[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"Förebygg\", \"terms\": [], \"answers\": [\"14\"]},"
			" {\"kind\": \"merge\", \"theme\": \"c1\", \"into\": \"forebyggande\"}]");
	assert_string_equal(primary(r, "14"), "forebyggande");
	assert_true(match(r, "14", "forebyggande")->human);
	assert_non_null(match(r, "14", "digitalisering"));
	assert_int_equal(theme(r, "forebyggande")->nmerged, 1);
	analysis_result_free(r);
	analysis_result_free(base);
}

static void test_move(void **state)
{
	struct analysis_result *r;
	const struct analysis_assignment *as;
	char *j;

	(void)state;
	r = run_fixture("[{\"kind\": \"move\", \"answer\": \"16\", \"from\": \"digitalisering\", \"to\": \"kompetens\"},"
			" {\"kind\": \"move\", \"answer\": \"5\", \"from\": \"tillganglighet\", \"to\": \"kompetens\"},"
			" {\"kind\": \"move\", \"answer\": \"4\", \"to\": \"samverkan\"},"
			" {\"kind\": \"move\", \"answer\": \"7\", \"to\": null},"
			" {\"kind\": \"move\", \"answer\": \"20\", \"to\": null},"
			" {\"kind\": \"move\", \"answer\": \"9\", \"from\": \"digitalisering\", \"to\": null}]");
	/* from/to: only the named theme is replaced. */
	assert_null(match(r, "16", "digitalisering"));
	assert_non_null(match(r, "16", "samverkan"));
	assert_true(match(r, "16", "kompetens")->human);
	assert_false(match(r, "16", "samverkan")->human);
	/* from a secondary theme to the primary one: the primary stays primary. */
	assert_string_equal(primary(r, "5"), "kompetens");
	assert_null(match(r, "5", "tillganglighet"));
	assert_non_null(match(r, "5", "forebyggande"));
	assert_true(match(r, "5", "kompetens")->human);
	/* to without from: that theme only. */
	as = &r->assign[answer(r, "4")];
	assert_int_equal(as->nmatches, 1);
	assert_string_equal(primary(r, "4"), "samverkan");
	assert_true(as->matches[0].human);
	/* to null: no theme, not clustered (7 and 20 were a discovered theme of their own). */
	assert_int_equal(r->assign[answer(r, "7")].nmatches, 0);
	assert_true(r->assign[answer(r, "7")].human_none);
	assert_int_equal(r->assign[answer(r, "20")].nmatches, 0);
	assert_int_equal(r->assign[answer(r, "9")].nmatches, 0);
	assert_true(r->assign[answer(r, "9")].human_none);
	j = write_json(r);
	assert_non_null(strstr(j, "{\"id\":\"4\",\"theme\":\"samverkan\",\"themes\":[\"samverkan\"],"));
	assert_non_null(strstr(j, "\"human\":[\"samverkan\"]}"));
	assert_non_null(strstr(j, "{\"id\":\"7\",\"theme\":null,\"themes\":[],\"score\":0.0,\"scores\":[],\"terms\":{},"
				  "\"confidence\":0.0,\"evidence\":null,\"human_none\":true}"));
	free(j);
	assert_true(writes(r, analysis_write_md,
			   "- Se över alla måsten vad det gäller administration. *(placerat här för hand)*\n"));
	assert_true(writes(r, analysis_write_md, "svar placerade för hand"));
	j = written(r, analysis_write_csv);
	assert_true(!strncmp(j, "id,theme,label,themes,score,terms,human,text\r\n", 46));
	assert_non_null(strstr(j, "\r\n7,,,,0,,-,Se över"));
	assert_non_null(strstr(j, "\r\n4,samverkan,Teamsamverkan och samordning,samverkan,0,,samverkan,Kontinuitet.\r\n"));
	free(j);
	analysis_result_free(r);
}

static void test_also(void **state)
{
	struct analysis_result *r = run_fixture("[{\"kind\": \"also\", \"answer\": \"4\", \"theme\": \"kompetens\"},"
						 " {\"kind\": \"also\", \"answer\": \"4\", \"theme\": \"kontinuitet\"},"
						 " {\"kind\": \"move\", \"answer\": \"7\", \"to\": null},"
						 " {\"kind\": \"also\", \"answer\": \"7\", \"theme\": \"kompetens\"}]");
	const struct analysis_assignment *as = &r->assign[answer(r, "4")];

	(void)state;
	assert_int_equal(as->nmatches, 2);
	assert_string_equal(primary(r, "4"), "kontinuitet");
	assert_true(match(r, "4", "kontinuitet")->human);
	assert_true(match(r, "4", "kompetens")->human);
	/* A later "also" puts an answer back into a theme after "to null". */
	assert_string_equal(primary(r, "7"), "kompetens");
	assert_false(r->assign[answer(r, "7")].human_none);
	analysis_result_free(r);
}

static void test_themes_decision(void **state)
{
	struct analysis_result *r;
	struct analysis_input in = { fixture.v, fixture.n };
	struct analysis_opts o;
	struct curate c;
	char err[256] = "";

	(void)state;
	r = run_fixture("[{\"kind\": \"themes\", \"text\": \"x | X | nope\\n\"},"
			" {\"kind\": \"themes\", \"text\": \"adm | Administration | administration\\nkont | Kontinuitet | kontinuitet\\n\"},"
			" {\"kind\": \"rename\", \"theme\": \"adm\", \"label\": \"Pappersarbete\"},"
			" {\"kind\": \"also\", \"answer\": \"1\", \"theme\": \"kontinuitet\"}]");
	assert_true(theme_of(r, "x") < 0 && theme_of(r, "kontinuitet") < 0);
	assert_string_equal(theme(r, "adm")->label, "Pappersarbete");
	assert_string_equal(primary(r, "7"), "adm");
	assert_string_equal(primary(r, "4"), "kont");
	/* "kontinuitet" is not a theme any more: the "also" is skipped. */
	assert_null(match(r, "1", "kont"));
	assert_null(match(r, "1", "adm"));
	analysis_result_free(r);

	/* A themes decision that does not parse names the decision and the line. */
	memset(&o, 0, sizeof(o));
	o.err = err;
	o.errlen = sizeof(err);
	parse_ok(&c, "[{\"kind\": \"rename\", \"theme\": \"a\", \"label\": \"A\"},"
		     " {\"kind\": \"themes\", \"text\": \"a | A | x\\nbad line\\n\"}]");
	o.curation = &c;
	assert_int_equal(analysis_run(&in, &o, &r), AN_EINVAL);
	assert_null(r);
	assert_string_equal(err, "decision 2: themes line 2: expected 'id | label | term, term, ...'");
	curate_free(&c);
	/* It replaces --themes none too. */
	o.no_themes = 1;
	parse_ok(&c, "[{\"kind\": \"themes\", \"text\": \"adm | Administration | administration\\n\"}]");
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	assert_string_equal(r->themes[0].id, "adm");
	assert_int_equal(r->themes[0].origin, ANALYSIS_GIVEN);
	analysis_result_free(r);
	curate_free(&c);
}

/* Decisions naming themes or answers that no longer exist change nothing. */
static void test_stale_skipped(void **state)
{
	struct analysis_result *base = run_fixture(NULL);
	struct analysis_result *r = run_fixture(
		"[{\"kind\": \"rename\", \"theme\": \"borta\", \"label\": \"X\"},"
		" {\"kind\": \"merge\", \"theme\": \"borta\", \"into\": \"kontinuitet\"},"
		" {\"kind\": \"merge\", \"theme\": \"kontinuitet\", \"into\": \"borta\"},"
		" {\"kind\": \"split\", \"theme\": \"borta\", \"term\": \"x\", \"id\": \"c9\", \"label\": \"X\"},"
		" {\"kind\": \"move\", \"answer\": \"999\", \"to\": \"kontinuitet\"},"
		" {\"kind\": \"move\", \"answer\": \"4\", \"to\": \"borta\"},"
		" {\"kind\": \"move\", \"answer\": \"4\", \"from\": \"borta\", \"to\": \"samverkan\"},"
		" {\"kind\": \"also\", \"answer\": \"4\", \"theme\": \"borta\"},"
		" {\"kind\": \"also\", \"answer\": \"999\", \"theme\": \"kontinuitet\"},"
		" {\"kind\": \"adopt\", \"id\": \"kontinuitet\", \"label\": \"Dubbel\", \"terms\": [\"x\"], \"answers\": [\"1\"]}]");
	char *a = write_json(base), *b = write_json(r);

	(void)state;
	assert_string_equal(a, b);
	free(a);
	free(b);
	analysis_result_free(r);
	analysis_result_free(base);
}

/* Too many themes is a clear error, not a silent drop. */
static void test_too_many_themes(void **state)
{
	struct analysis_input in = { fixture.v, fixture.n };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct curate c;
	struct buf b;
	char err[256] = "";
	int i;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(buf_adds(&b, "["), BUF_OK);
	for (i = 0; i < 60; i++)
		assert_int_equal(buf_printf(&b, "%s{\"kind\":\"adopt\",\"id\":\"c%d\",\"label\":\"C\",\"terms\":[\"t%d\"],"
						"\"answers\":[]}", i ? "," : "", i, i), BUF_OK);
	assert_int_equal(buf_adds(&b, "]"), BUF_OK);
	parse_ok(&c, b.data);
	memset(&o, 0, sizeof(o));
	o.err = err;
	o.errlen = sizeof(err);
	o.curation = &c;
	assert_int_equal(analysis_run(&in, &o, &r), AN_ETOOBIG);
	assert_null(r);
	/* 10 shipped themes + 54 adopted = 64; the 55th is one too many. */
	assert_string_equal(err, "decision 55: more than 64 themes (merge some first)");
	curate_free(&c);

	/* Two themes of 300 terms each cannot become one of 600. */
	buf_reset(&b);
	for (i = 0; i < 600; i++)
		assert_int_equal(buf_printf(&b, "%s t%d", i == 0 ? "a | A |" : i == 300 ? "\nb | B |" : ",", i), BUF_OK);
	o.themes_text = b.data;
	parse_ok(&c, "[{\"kind\": \"merge\", \"theme\": \"a\", \"into\": \"b\"}]");
	assert_int_equal(analysis_run(&in, &o, &r), AN_ETOOBIG);
	assert_null(r);
	assert_string_equal(err, "decision 1: more than 512 terms in theme 'b'");
	curate_free(&c);
	buf_free(&b);
}

/*
 * The record stays while answers keep coming: with more answers, the human
 * decisions still hold and the new answers are sorted as usual.
 */
static void test_rerun_more_answers(void **state)
{
	static const char decisions[] =
		"[{\"kind\": \"adopt\", \"id\": \"c1\", \"label\": \"Administration\", \"terms\": [\"administration\"],"
		"  \"answers\": [\"7\"]},"
		" {\"kind\": \"split\", \"theme\": \"digitalisering\", \"term\": \"hemmonitorering\", \"id\": \"c2\", \"label\": \"Hem\"},"
		" {\"kind\": \"move\", \"answer\": \"4\", \"to\": \"samverkan\"},"
		" {\"kind\": \"move\", \"answer\": \"12\", \"to\": null},"
		" {\"kind\": \"also\", \"answer\": \"19\", \"theme\": \"kompetens\"},"
		" {\"kind\": \"merge\", \"theme\": \"kompetens\", \"into\": \"kontinuitet\"},"
		" {\"kind\": \"also\", \"answer\": \"x3\", \"theme\": \"c1\"}]";
	static const struct analysis_answer extra[] = {
		{ "x1", "För mycket administration tar tid från patienterna", NULL, NULL, NULL, NULL },
		{ "x2", "Hemmonitorering för äldre med hjärtsvikt", NULL, NULL, NULL, NULL },
		{ "x3", "Kontinuitet är viktigt", NULL, NULL, NULL, NULL },
		{ "x4", "Kompetensutveckling för sjuksköterskor", NULL, NULL, NULL, NULL },
	};
	struct analysis_result *before = run_with(decisions, fixture.n, NULL, 0, NULL);
	struct analysis_result *after = run_with(decisions, fixture.n, extra, 4, NULL);
	const char *ids[] = { "4", "7", "12", "13", "19" };
	size_t i;

	(void)state;
	assert_int_equal(after->nanswers, before->nanswers + 4);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_string_equal(primary(before, ids[i]), primary(after, ids[i]));
	assert_string_equal(primary(after, "4"), "samverkan");
	assert_true(after->assign[answer(after, "12")].human_none);
	assert_true(match(after, "19", "kontinuitet")->human);
	/* New answers: sorted by the curated themes' terms. */
	assert_string_equal(primary(after, "x1"), "c1");
	assert_string_equal(primary(after, "x2"), "c2");
	assert_null(match(after, "x2", "digitalisering"));
	assert_string_equal(primary(after, "x4"), "kontinuitet");
	/* A decision about an answer that arrived later applies once it is there. */
	assert_null(match(before, "1", "c1"));
	assert_true(match(after, "x3", "c1")->human);
	assert_non_null(match(after, "x3", "kontinuitet"));
	analysis_result_free(before);
	analysis_result_free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_kinds),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_parse_too_many),
		cmocka_unit_test(test_vocab_table),
		cmocka_unit_test(test_vocab_describe),
		cmocka_unit_test(test_vocab_json),
		cmocka_unit_test(test_empty_list_same_output),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_shared_term),
		cmocka_unit_test(test_split_circle),
		cmocka_unit_test(test_adopt),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_also),
		cmocka_unit_test(test_themes_decision),
		cmocka_unit_test(test_stale_skipped),
		cmocka_unit_test(test_too_many_themes),
		cmocka_unit_test(test_rerun_more_answers),
	};

	return cmocka_run_group_tests(tests, load_fixture, free_fixture);
}

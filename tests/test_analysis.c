/*
 * test_analysis.c - the whole pipeline on the Swedish fixture, determinism,
 * discovery, the writers and the word-cloud counts.  Run from the project
 * root (tests/run.sh does) so tests/fixtures/ is found.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "core/an_err.h"
#include "pipeline/analysis.h"
#include "curate/curate.h"
#include "pipeline/input.h"
#include "text/words.h"

#define FIXTURE "tests/fixtures/dialog_sv.csv"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static struct analysis_result *run_fixture(struct input *in, const struct analysis_opts *o)
{
	struct analysis_input ai;
	struct analysis_result *r = NULL;
	char err[256];
	size_t len;
	char *data = slurp(FIXTURE, &len);

	assert_int_equal(input_parse(in, INPUT_CSV, data, len, err, sizeof(err)), AN_OK);
	free(data);
	ai.v = in->v;
	ai.n = in->n;
	assert_int_equal(analysis_run(&ai, o, &r), AN_OK);
	return r;
}

static size_t find_answer(const struct analysis_result *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->nanswers; i++)
		if (!strcmp(r->texts[i], text))
			return i;
	fail_msg("answer not in fixture: %s", text);
	return 0;
}

static int has_theme(const struct analysis_result *r, size_t d, const char *id)
{
	size_t m;

	for (m = 0; m < r->assign[d].nmatches; m++)
		if (!strcmp(r->themes[r->assign[d].matches[m].theme].id, id))
			return 1;
	return 0;
}

static const char *primary(const struct analysis_result *r, size_t d)
{
	return r->assign[d].nmatches ? r->themes[r->assign[d].matches[0].theme].id : "";
}

static void test_fixture_themes(void **state)
{
	struct analysis_opts o;
	struct input in;
	struct analysis_result *r;
	size_t d;

	(void)state;
	memset(&o, 0, sizeof(o));
	r = run_fixture(&in, &o);
	assert_int_equal(r->nanswers, 22);
	assert_string_equal(primary(r, find_answer(r, "Kontinuitet.")), "kontinuitet");
	d = find_answer(r, "Läkarkontinuitet är viktigt, för att patienter som inte söker idag ex KOL, stroke. "
			   "Läkarna skriver ej remiss, ev hänvisar. Förbättra läkarkontinuitet har stor betydelse "
			   "för att remisser skrivs till fysioterapeut.");
	assert_string_equal(primary(r, d), "kontinuitet");
	assert_string_equal(primary(r, find_answer(r, "Hemmonitorering")), "digitalisering");
	assert_string_equal(primary(r, find_answer(r, "Teamsamverkan")), "samverkan");
	assert_string_equal(primary(r, find_answer(r, "Dokumentation (AI)")), "digitalisering");
	assert_string_equal(primary(r, find_answer(r, "Fast läkarkontakt för alla med kroniska sjukdomar")),
			    "kontinuitet");
	assert_string_equal(primary(r, find_answer(r, "Kompetensförsörjningen är den största utmaningen")),
			    "kompetens");
	assert_string_equal(primary(r, find_answer(r, "Samverkansarenor mellan region och kommun")), "samverkan");
	assert_string_equal(primary(r, find_answer(r, "SIP för alla som har insatser från både region och kommun")),
			    "samverkan");
	d = find_answer(r, "Teamsamverkan och digitala vårdmöten");
	assert_true(has_theme(r, d, "samverkan") && has_theme(r, d, "digitalisering"));
	d = find_answer(r, "Digitalisering av det förebyggande arbetet, förhindra samsjukligheten");
	assert_true(has_theme(r, d, "digitalisering") && has_theme(r, d, "forebyggande"));
	/* The administration answers fit no given theme and are discovered together. */
	d = find_answer(r, "Se över alla måsten vad det gäller administration.");
	assert_false(r->themes[r->assign[d].matches[0].theme].seeded);
	assert_int_equal(r->themes[r->assign[d].matches[0].theme].origin, ANALYSIS_DISCOVERED);
	assert_int_equal(r->themes[r->assign[find_answer(r, "Kontinuitet.")].matches[0].theme].origin, ANALYSIS_GIVEN);
	assert_false(r->assign[d].human_none);
	assert_false(r->assign[d].matches[0].human);
	assert_int_equal(r->assign[d].matches[0].theme,
			 r->assign[find_answer(r, "Mindre administration och färre måsten i dokumentationen")].matches[0].theme);
	analysis_result_free(r);
	input_free(&in);
}

static void test_descriptions(void **state)
{
	struct analysis_opts o;
	struct input in;
	struct analysis_result *r;
	size_t t, i;

	(void)state;
	memset(&o, 0, sizeof(o));
	r = run_fixture(&in, &o);
	for (t = 0; t < r->nthemes; t++) {
		const struct analysis_theme *th = &r->themes[t];

		if (!strcmp(th->id, "kontinuitet")) {
			assert_int_equal(th->size, 3);
			/* Labels and key terms show written words, not stems. */
			assert_string_equal(th->terms[0], "kontinuitet");
			assert_int_equal(th->nshares[ANALYSIS_QUESTION], 1);
			assert_string_equal(th->shares[ANALYSIS_QUESTION][0].value, "Q2");
			assert_int_equal(th->shares[ANALYSIS_QUESTION][0].total, 9);
		}
		if (!th->seeded) {
			assert_true(strlen(th->label) > 0);
			assert_true(th->nquotes >= 1 && th->nquotes <= ANALYSIS_MAX_QUOTES);
		}
		for (i = 0; i < th->nterms; i++)
			assert_string_not_equal(th->terms[i], "tillgäng");
		for (i = 1; i < th->nquotes; i++)
			assert_true(th->quotes[i - 1].score >= th->quotes[i].score);
	}
	analysis_result_free(r);
	input_free(&in);
}

static char *write_json(const struct analysis_opts *o)
{
	struct input in;
	struct analysis_result *r = run_fixture(&in, o);
	struct buf b;

	buf_init(&b, 1 << 24);
	assert_int_equal(analysis_write_json(r, &b), AN_OK);
	analysis_result_free(r);
	input_free(&in);
	return buf_detach(&b, NULL);
}

static void test_deterministic(void **state)
{
	struct analysis_opts o;
	char *a, *b;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.seed = 7;
	a = write_json(&o);
	b = write_json(&o);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "\"assignments\""));
	free(a);
	free(b);
	o.no_themes = 1;
	o.k = 3;
	a = write_json(&o);
	b = write_json(&o);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_discovery_only(void **state)
{
	struct analysis_opts o;
	struct input in;
	struct analysis_result *r;
	size_t t, assigned = 0, d;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.no_themes = 1;
	o.k = 4;
	r = run_fixture(&in, &o);
	assert_true(r->nthemes >= 1 && r->nthemes <= 4);
	for (t = 0; t < r->nthemes; t++)
		assert_false(r->themes[t].seeded);
	for (d = 0; d < r->nanswers; d++)
		assigned += r->assign[d].nmatches == 1;
	assert_int_equal(assigned, r->nanswers);
	analysis_result_free(r);
	input_free(&in);
}

/*
 * k auto on a handful of answers no given theme covers: three planted
 * pairs, each sharing one word, and two answers sharing nothing with
 * anything.  Each pair must become a theme of its own and the two loners
 * must stay unassigned ("fits no theme"), not one catch-all theme.
 */
static void test_small_discovery(void **state)
{
	static const char *texts[] = {
		"Mindre administration och färre blanketter",
		"Uppföljning av behandlade kroniker",
		"Pressen i samhället",
		"Medicinering mot diabetes och hypertoni",
		"Se över administration på enheten",
		"Mer insatser för kronikerna",
		"Diagnoser hanteras olika i samhället",
		"Cykelbanor längs älven",
	};
	static const size_t pairs[3][2] = { { 0, 4 }, { 1, 5 }, { 2, 6 } };
	struct analysis_answer v[8];
	struct analysis_input in = { v, 8 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	size_t i;
	uint64_t seed;

	(void)state;
	memset(v, 0, sizeof(v));
	for (i = 0; i < 8; i++)
		v[i].text = texts[i];
	memset(&o, 0, sizeof(o));
	o.no_themes = 1;
	for (seed = 1; seed <= 5; seed++) {
		o.seed = seed;
		assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
		assert_int_equal(r->nthemes, 3);
		for (i = 0; i < 3; i++) {
			const struct analysis_assignment *a = &r->assign[pairs[i][0]];
			const struct analysis_assignment *b = &r->assign[pairs[i][1]];

			assert_int_equal(a->nmatches, 1);
			assert_int_equal(b->nmatches, 1);
			assert_int_equal(a->matches[0].theme, b->matches[0].theme);
			assert_int_equal(r->themes[a->matches[0].theme].size, 2);
		}
		assert_int_equal(r->assign[3].nmatches, 0);
		assert_int_equal(r->assign[7].nmatches, 0);
		analysis_result_free(r);
	}
}

/*
 * One table written three ways ("Bord 3", "bord  3", "BORD 3") is one
 * table in a theme's shares, shown as first written; another stays apart.
 */
static void test_table_names(void **state)
{
	static const char *const groups[] = { "Bord 3", "bord  3", "BORD 3", "Bord 4", "bord 3" };
	struct analysis_answer v[5];
	struct analysis_input in = { v, 5 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	const struct analysis_theme *th = NULL;
	size_t i;

	(void)state;
	memset(v, 0, sizeof(v));
	for (i = 0; i < 5; i++) {
		v[i].text = "Kontinuitet och fast läkare";
		v[i].group = groups[i];
	}
	memset(&o, 0, sizeof(o));
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	for (i = 0; i < r->nthemes; i++)
		if (!strcmp(r->themes[i].id, "kontinuitet"))
			th = &r->themes[i];
	assert_non_null(th);
	assert_int_equal(th->size, 5);
	assert_int_equal(th->nshares[ANALYSIS_GROUP], 2);
	assert_string_equal(th->shares[ANALYSIS_GROUP][0].value, "Bord 3");
	assert_int_equal(th->shares[ANALYSIS_GROUP][0].count, 4);
	assert_int_equal(th->shares[ANALYSIS_GROUP][0].total, 4);
	assert_string_equal(th->shares[ANALYSIS_GROUP][1].value, "Bord 4");
	assert_int_equal(th->shares[ANALYSIS_GROUP][1].count, 1);
	analysis_result_free(r);
}

/* A count of one takes the singular in the Markdown: "1 answer", never "1 answers". */
static void test_md_singular(void **state)
{
	struct analysis_answer v[1] = { { .id = "1", .text = "Kontinuitet och fast läkare" } };
	struct analysis_input in = { v, 1 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct buf b;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.lang = "en";
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_md(r, &b), AN_OK);
	assert_non_null(strstr(b.data, "1 answer, "));
	assert_non_null(strstr(b.data, "(1 answer, 100 %)"));
	assert_null(strstr(b.data, "1 answers"));
	buf_free(&b);
	analysis_result_free(r);
}

static void test_writers(void **state)
{
	const struct analysis_answer a[] = {
		{ "x,1", "Kontinuitet, \"fast läkare\"\nny rad", "Q1", NULL, NULL, NULL },
		{ NULL, "Hemmonitorering", "Q1", NULL, NULL, NULL },
	};
	struct analysis_input in = { a, 2 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct buf b;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_csv(r, &b), AN_OK);
	assert_non_null(strstr(b.data, "id,theme,label,themes,score,terms,text\r\n"));
	assert_non_null(strstr(b.data, "\"x,1\",kontinuitet,Kontinuitet,kontinuitet,"));
	assert_non_null(strstr(b.data, ",\"Kontinuitet, \"\"fast läkare\"\"\nny rad\"\r\n"));
	/* The missing id becomes the row number. */
	assert_non_null(strstr(b.data, "\r\n2,digitalisering,"));
	buf_reset(&b);
	assert_int_equal(analysis_write_md(r, &b), AN_OK);
	assert_non_null(strstr(b.data, "# Tema-analys"));
	assert_non_null(strstr(b.data, "> Kontinuitet, \"fast läkare\" ny rad\n"));
	assert_non_null(strstr(b.data, "- Q1: 1 av 2 (50 %)"));
	buf_free(&b);
	analysis_result_free(r);
}

/* A line break alone (no comma, no quote) is reason enough to quote a CSV field. */
static void test_csv_line_breaks(void **state)
{
	const struct analysis_answer a[] = {
		{ "lf", "Kontinuitet\nfast läkare", "Q1", NULL, NULL, NULL },
		{ "cr", "Kontinuitet\rfast läkare", "Q1", NULL, NULL, NULL },
		{ "crlf", "Kontinuitet\r\nfast läkare", "Q1", NULL, NULL, NULL },
	};
	struct analysis_input in = { a, 3 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct buf b;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_csv(r, &b), AN_OK);
	assert_non_null(strstr(b.data, ",\"Kontinuitet\nfast läkare\"\r\ncr,"));
	assert_non_null(strstr(b.data, ",\"Kontinuitet\rfast läkare\"\r\ncrlf,"));
	assert_non_null(strstr(b.data, ",\"Kontinuitet\r\nfast läkare\"\r\n"));
	buf_free(&b);
	analysis_result_free(r);
}

static void test_bad_input(void **state)
{
	const struct analysis_answer bad[] = { { NULL, "ok", NULL, NULL, NULL, NULL },
					       { NULL, "fel \xC3\x28", NULL, NULL, NULL, NULL } };
	struct analysis_input in = { bad, 2 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	char err[128] = "";

	(void)state;
	memset(&o, 0, sizeof(o));
	o.err = err;
	o.errlen = sizeof(err);
	assert_int_equal(analysis_run(&in, &o, &r), AN_EUTF8);
	assert_null(r);
	assert_string_equal(err, "answer 2 is not valid UTF-8");
	in.n = 1;
	o.lang = "fi";
	assert_int_equal(analysis_run(&in, &o, &r), AN_ELANG);
	o.lang = "en";
	o.themes_text = "a | A | x,,y\n";
	assert_int_equal(analysis_run(&in, &o, &r), AN_EINVAL);
	assert_string_equal(err, "themes line 1: empty term (two commas in a row or a comma at the end?)");
}

/*
 * Check that every assignment line of `json` (its "assignments" array, one
 * object per line) is what jansson itself writes for the same value;
 * returns how many lines there are.  Cuts `json` at each line end.
 */
static size_t lines_like_jansson(char *json)
{
	char *line = strstr(json, "\"assignments\": [\n"), *end;
	size_t lines = 0;

	assert_non_null(line);
	for (line = strchr(line, '\n') + 1; *line == '{'; line = end + 1) {
		json_error_t jerr;
		json_t *v;
		char *again;

		end = strchr(line, '\n');
		assert_non_null(end);
		*end = '\0';
		if (end[-1] == ',')
			end[-1] = '\0';
		v = json_loads(line, 0, &jerr);
		assert_non_null(v);
		again = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(4));
		assert_string_equal(again, line);
		free(again);
		json_decref(v);
		lines++;
	}
	return lines;
}

/*
 * The assignments are written without jansson; every line must be what
 * jansson itself writes for the same value (escapes, reals, null, the
 * human fields of people's decisions), and an id that is not UTF-8 must
 * fail rather than give broken JSON.
 */
static void test_json_like_jansson(void **state)
{
	static const char decisions[] = "[{\"kind\": \"also\", \"answer\": \"q\\\"uote\", \"theme\": \"kompetens\"},"
					" {\"kind\": \"move\", \"answer\": \"new\\nline\", \"to\": null}]";
	struct analysis_answer a[] = {
		{ "q\"uote", "Kontinuitet och fast läkare", NULL, NULL, NULL, NULL },
		{ "back\\slash/ö", "Kontinuitet hos läkare", NULL, NULL, NULL, NULL },
		{ "tab\tctl\x01\x1f", "Teamsamverkan och digitala vårdmöten", NULL, NULL, NULL, NULL },
		{ "new\nline", "Cykelbanor längs älven", NULL, NULL, NULL, NULL },
	};
	struct analysis_input in = { a, 4 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct curate c;
	struct buf b;
	char err[256] = "";

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_json(r, &b), AN_OK);
	assert_int_equal(lines_like_jansson(b.data), 4);
	buf_free(&b);
	analysis_result_free(r);

	assert_int_equal(curate_parse(&c, decisions, strlen(decisions), err, sizeof(err)), AN_OK);
	o.curation = &c;
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	o.curation = NULL;
	curate_free(&c);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_json(r, &b), AN_OK);
	assert_non_null(strstr(b.data, "\"human\":[\"kompetens\"]}"));
	assert_non_null(strstr(b.data, "\"human_none\":true}"));
	assert_int_equal(lines_like_jansson(b.data), 4);
	buf_free(&b);
	analysis_result_free(r);

	a[0].id = "bad \xff id";
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_json(r, &b), AN_EUTF8);
	buf_free(&b);
	analysis_result_free(r);
}

static void test_empty_input(void **state)
{
	struct analysis_input in = { NULL, 0 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct buf b;

	(void)state;
	memset(&o, 0, sizeof(o));
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	assert_int_equal(r->nanswers, 0);
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_json(r, &b), AN_OK);
	assert_non_null(strstr(b.data, "\"answers\": 0"));
	buf_free(&b);
	analysis_result_free(r);
}

static void test_words(void **state)
{
	const char *texts[] = { "Vården och vårdens personal", "vård nära", "Personalen, personal!", "\xFF bad",
				"SIP SIP" };
	struct words w;

	(void)state;
	assert_int_equal(words_count(&w, "sv", texts, 5, 4), AN_OK);
	assert_int_equal(w.len, 4);
	/* Grouped by stem, shown by the most common form, ties by word; a word
	 * counts once per answer ("Personalen, personal!" is one). */
	assert_string_equal(w.v[0].word, "personal");
	assert_int_equal(w.v[0].count, 2);
	/* vården, vårdens, vård: one each, so the smallest form wins. */
	assert_string_equal(w.v[1].word, "vård");
	assert_int_equal(w.v[1].count, 2);
	assert_string_equal(w.v[2].word, "nära");
	assert_int_equal(w.v[2].count, 1);
	assert_string_equal(w.v[3].word, "sip");
	assert_int_equal(w.v[3].count, 1);
	words_free(&w);
	assert_int_equal(words_count(&w, "xx", texts, 5, 3), AN_ELANG);
}

/*
 * The cloud: one long answer that repeats a word cannot fill it, numbers
 * and filler words are left out, and inflected forms are one word shown
 * as people wrote it most often.
 */
static void test_words_cloud(void **state)
{
	const char *texts[] = {
		"Psykisk ohälsa ökar", "Ohälsan bland unga ökar", "ohälsa",
		"Administration administration administration administration administration",
		"1 2 3 hos kring bor svårt ofta dessutom gång varje",
	};
	struct words w;
	size_t i;

	(void)state;
	assert_int_equal(words_count(&w, "sv", texts, 5, 20), AN_OK);
	assert_string_equal(w.v[0].word, "ohälsa");
	assert_int_equal(w.v[0].count, 3);
	assert_string_equal(w.v[1].word, "ökar");
	assert_int_equal(w.v[1].count, 2);
	for (i = 0; i < w.len; i++) {
		static const char *const gone[] = { "1", "2", "3", "hos", "kring", "bor", "svårt", "ofta", "dessutom",
						    "gång", "varje", "ohälsan" };
		size_t g;

		for (g = 0; g < sizeof(gone) / sizeof(gone[0]); g++)
			assert_string_not_equal(w.v[i].word, gone[g]);
		if (!strcmp(w.v[i].word, "administration"))
			assert_int_equal(w.v[i].count, 1);
	}
	words_free(&w);
}

/*
 * A discovered theme's label is the phrase its answers share, as written:
 * never a number, a filler word or two key terms joined by a comma.
 */
static void test_labels(void **state)
{
	static const char *texts[] = {
		"Psykisk ohälsa bland unga", "Mer psykisk ohälsa hos barn", "Psykisk ohälsa ökar i skolan",
		"Läkemedelsgenomgångar 1 gång per år", "Läkemedelsgenomgångar för äldre", "Fler läkemedelsgenomgångar 1 gång",
		"Pressen i samhället", "Samhället och pressen",
	};
	struct analysis_answer v[8];
	struct analysis_input in = { v, 8 };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	size_t i, t, found = 0;
	uint64_t seed;

	(void)state;
	memset(v, 0, sizeof(v));
	for (i = 0; i < 8; i++)
		v[i].text = texts[i];
	memset(&o, 0, sizeof(o));
	o.no_themes = 1;
	for (seed = 1; seed <= 3; seed++) {
		o.seed = seed;
		assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
		for (t = 0; t < r->nthemes; t++) {
			const char *label = r->themes[t].label;

			assert_null(strchr(label, ','));
			assert_false(label[0] >= '0' && label[0] <= '9');
			found += !strcmp(label, "Psykisk ohälsa") + !strcmp(label, "Läkemedelsgenomgångar");
		}
		analysis_result_free(r);
	}
	assert_int_equal(found, 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_themes),
		cmocka_unit_test(test_descriptions),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_discovery_only),
		cmocka_unit_test(test_small_discovery),
		cmocka_unit_test(test_table_names),
		cmocka_unit_test(test_md_singular),
		cmocka_unit_test(test_writers),
		cmocka_unit_test(test_csv_line_breaks),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_json_like_jansson),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_words_cloud),
		cmocka_unit_test(test_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

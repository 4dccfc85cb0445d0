/*
 * test_learn.c - given themes learning from the answers (learn.h): the
 * vocabulary a theme learns, answers no seed matched that the learned words
 * place, answers that stay for discovery, confidence and evidence.
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
#include "curate/curate.h"
#include "pipeline/analysis.h"
#include "pipeline/learn.h"

#define THEMES "kon | Kontinuitet | kontinuitet\nkom | Kompetens | rekrytering\n"

/* Seed answers of two themes, then answers no seed matches. */
static const char *const texts[] = {
	"Kontinuitet med samma doktor och en känd sköterska",
	"Kontinuitet: patienten träffar samma doktor",
	"Bättre kontinuitet, samma doktor vid besöken",
	"Kontinuitet i hemsjukvården med känd sköterska",
	"Rekrytering av sjuksköterskor kräver högre lön",
	"Rekrytering och lön måste bli konkurrenskraftig",
	"Rekrytering: lön och arbetsmiljö",
	"Rekryteringen av läkare, lön och schema",
	"Samma doktor vid besöken",          /* 8: like the kontinuitet answers */
	"Högre lön för undersköterskor",     /* 9: like the rekrytering answers */
	"Cykelbanor längs älven",            /* 10: like nothing */
	"Parkering vid entrén",              /* 11: like nothing */
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static struct analysis_result *run(const char *decisions)
{
	struct analysis_answer a[NTEXTS];
	struct analysis_input in = { a, NTEXTS };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct curate c;
	char ids[NTEXTS][8], err[256];
	size_t i;

	memset(a, 0, sizeof(a));
	for (i = 0; i < NTEXTS; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", i);
		a[i].id = ids[i];
		a[i].text = texts[i];
	}
	memset(&o, 0, sizeof(o));
	o.themes_text = THEMES;
	o.seed = 1;
	if (decisions) {
		assert_int_equal(curate_parse(&c, decisions, strlen(decisions), err, sizeof(err)), AN_OK);
		o.curation = &c;
	}
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	if (decisions)
		curate_free(&c);
	return r;
}

static const char *primary(const struct analysis_result *r, size_t d)
{
	return r->assign[d].nmatches ? r->themes[r->assign[d].matches[0].theme].id : "";
}

static const struct analysis_theme *theme(const struct analysis_result *r, const char *id)
{
	size_t t;

	for (t = 0; t < r->nthemes; t++)
		if (!strcmp(r->themes[t].id, id))
			return &r->themes[t];
	fail_msg("no theme %s", id);
	return NULL;
}

static int has_learned(const struct analysis_theme *th, const char *word)
{
	size_t i;

	for (i = 0; i < th->nlearned; i++)
		if (!strcmp(th->learned[i], word))
			return 1;
	return 0;
}

static void test_learns_vocabulary(void **state)
{
	struct analysis_result *r = run(NULL);

	(void)state;
	assert_true(has_learned(theme(r, "kon"), "doktor"));
	assert_true(has_learned(theme(r, "kom"), "lön"));
	/* A theme learns what is said beside its seeds, not its seeds again. */
	assert_false(has_learned(theme(r, "kon"), "kontinuitet"));
	assert_false(has_learned(theme(r, "kon"), "lön"));
	analysis_result_free(r);
}

static void test_takes_answers_like_its_own(void **state)
{
	struct analysis_result *r = run(NULL);
	const struct analysis_assignment *a = &r->assign[8], *b = &r->assign[9];

	(void)state;
	assert_string_equal(primary(r, 8), "kon");
	assert_string_equal(primary(r, 9), "kom");
	/* No seed matched, so no terms; the evidence names the learned words. */
	assert_int_equal(a->matches[0].nterms, 0);
	assert_false(a->matches[0].human);
	assert_non_null(a->evidence);
	assert_true(!strncmp(a->evidence, "learned from the answers: ", 26));
	assert_non_null(strstr(a->evidence, "doktor"));
	assert_non_null(strstr(b->evidence, "lön"));
	assert_true(a->confidence >= LEARN_TAKE && a->confidence <= 1.0f);
	assert_true(b->confidence >= LEARN_TAKE && b->confidence <= 1.0f);
	analysis_result_free(r);
}

static void test_unlike_answers_go_to_discovery(void **state)
{
	struct analysis_result *r = run(NULL);
	size_t d, m;

	(void)state;
	for (d = 10; d < NTEXTS; d++)
		for (m = 0; m < r->assign[d].nmatches; m++)
			assert_false(r->themes[r->assign[d].matches[m].theme].seeded);
	analysis_result_free(r);
}

static void test_seed_answers_explained(void **state)
{
	struct analysis_result *r = run(NULL);
	size_t d;

	(void)state;
	for (d = 0; d < 8; d++) {
		assert_string_equal(primary(r, d), d < 4 ? "kon" : "kom");
		assert_true(!strncmp(r->assign[d].evidence, "matched: ", 9));
		assert_true(r->assign[d].confidence > 0.5f && r->assign[d].confidence <= 1.0f);
	}
	/* The written word is shown when it is not the term itself. */
	assert_true(!strncmp(r->assign[7].evidence, "matched: rekryteringen (rekrytering)", 36));
	/* What else it says that the theme's other answers say too. */
	assert_string_equal(r->assign[7].evidence, "matched: rekryteringen (rekrytering); learned from the answers: lön");
	analysis_result_free(r);
}

static void test_json_fields(void **state)
{
	struct analysis_result *r = run(NULL);
	struct buf b;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(analysis_write_json(r, &b), AN_OK);
	assert_non_null(strstr(b.data, "\"learned\":[\"samma\",\"doktor\"]"));
	assert_non_null(strstr(b.data, "\"confidence\":"));
	assert_non_null(strstr(b.data, ",\"evidence\":\"learned from the answers: samma, doktor"));
	assert_non_null(strstr(b.data, ",\"evidence\":\"matched: kontinuitet; learned from the answers: "));
	buf_free(&b);
	analysis_result_free(r);
}

/* ---- learning from people ---- */

/* The answers above, then answers about a subject no seed names. */
static const char *const more[] = {
	"Läkemedelsgenomgångar för äldre",                  /* 12: a person moves these three */
	"Fler läkemedelsgenomgångar i hemtjänsten",          /* 13 */
	"Läkemedelsgenomgångar behöver bli regelbundna",     /* 14 */
	"Regelbundna läkemedelsgenomgångar för äldre",       /* 15: later, about the same */
	"Läkemedelsgenomgångar i hemtjänsten",               /* 16: later, about the same */
	"Rekrytering av farmaceuter till apoteket",          /* 17: a person moves it from kom to kon */
	"Rekrytering av farmaceuter till apoteken",          /* 18: later, like 17 */
	"Rekrytering: schema och lön för sköterskor",        /* 19: a person also puts it in kon */
	"Rekrytering: schema och lön för undersköterskor",   /* 20: later, like 19 */
};
#define NMORE (sizeof(more) / sizeof(more[0]))

static struct analysis_result *run_more(const char *decisions)
{
	struct analysis_answer a[NTEXTS + NMORE];
	struct analysis_input in = { a, NTEXTS + NMORE };
	struct analysis_opts o;
	struct analysis_result *r = NULL;
	struct curate c;
	char ids[NTEXTS + NMORE][8], err[256];
	size_t i;

	memset(a, 0, sizeof(a));
	for (i = 0; i < NTEXTS + NMORE; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", i);
		a[i].id = ids[i];
		a[i].text = i < NTEXTS ? texts[i] : more[i - NTEXTS];
	}
	memset(&o, 0, sizeof(o));
	o.themes_text = THEMES;
	o.seed = 1;
	if (decisions) {
		assert_int_equal(curate_parse(&c, decisions, strlen(decisions), err, sizeof(err)), AN_OK);
		o.curation = &c;
	}
	assert_int_equal(analysis_run(&in, &o, &r), AN_OK);
	if (decisions)
		curate_free(&c);
	return r;
}

static int has_theme(const struct analysis_result *r, size_t d, const char *id)
{
	size_t m;

	for (m = 0; m < r->assign[d].nmatches; m++)
		if (!strcmp(r->themes[r->assign[d].matches[m].theme].id, id))
			return 1;
	return 0;
}

#define MOVES "[{\"kind\": \"move\", \"answer\": \"12\", \"to\": \"kon\"}," \
	      " {\"kind\": \"move\", \"answer\": \"13\", \"to\": \"kon\"}," \
	      " {\"kind\": \"move\", \"answer\": \"14\", \"to\": \"kon\"}," \
	      " {\"kind\": \"move\", \"answer\": \"17\", \"from\": \"kom\", \"to\": \"kon\"}," \
	      " {\"kind\": \"also\", \"answer\": \"19\", \"theme\": \"kon\"}]"

/* Without decisions the subject is no given theme's: the control for the next test. */
static void test_people_control(void **state)
{
	struct analysis_result *r = run_more(NULL);

	(void)state;
	assert_false(has_theme(r, 15, "kon"));
	assert_false(has_theme(r, 16, "kon"));
	assert_string_equal(primary(r, 17), "kom");
	assert_string_equal(primary(r, 18), "kom");
	assert_false(has_theme(r, 20, "kon"));
	analysis_result_free(r);
}

/* Answers like the ones a person moved follow them; the moved ones stay exactly where they were put. */
static void test_people_examples(void **state)
{
	struct analysis_result *r = run_more(MOVES);
	size_t d;

	(void)state;
	/* Exactly where people put them. */
	for (d = 12; d <= 14; d++) {
		assert_int_equal(r->assign[d].nmatches, 1);
		assert_string_equal(primary(r, d), "kon");
		assert_true(r->assign[d].matches[0].human);
		assert_string_equal(r->assign[d].evidence, "placed by a person");
		assert_true(r->assign[d].confidence == 1.0f);
	}
	assert_int_equal(r->assign[17].nmatches, 1);
	assert_string_equal(primary(r, 17), "kon");
	assert_string_equal(primary(r, 19), "kom");
	assert_true(has_theme(r, 19, "kon"));
	/* Later answers about the same subject follow, not marked as people's. */
	assert_string_equal(primary(r, 15), "kon");
	assert_string_equal(primary(r, 16), "kon");
	assert_false(r->assign[15].matches[0].human);
	/* Like an answer moved out of kom: out of kom too. */
	assert_string_equal(primary(r, 18), "kon");
	assert_false(has_theme(r, 18, "kom"));
	assert_string_equal(r->assign[18].evidence, "like answer 17, which a person placed");
	/* Like an answer also put in kon: kon as a further theme, kom still first. */
	assert_string_equal(primary(r, 20), "kom");
	assert_true(has_theme(r, 20, "kon"));
	/* Answers unlike every example are untouched by them. */
	assert_string_equal(primary(r, 0), "kon");
	assert_string_equal(primary(r, 4), "kom");
	assert_false(has_theme(r, 10, "kon"));
	analysis_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learns_vocabulary),
		cmocka_unit_test(test_takes_answers_like_its_own),
		cmocka_unit_test(test_unlike_answers_go_to_discovery),
		cmocka_unit_test(test_seed_answers_explained),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_people_control),
		cmocka_unit_test(test_people_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

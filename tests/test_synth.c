/*
 * test_synth.c - the synthesis cache against a real SQLite database: a
 * result is reused until something it depends on is touched, decisions
 * are applied (and undone), discovered themes are kept by revision,
 * hidden answers stay out, a series covers its workshops, two threads
 * asking for the same stale scope share one computation, the cache keeps
 * at most its maximum of results (least recently used evicted, revs still
 * increasing), and the full view is serialised once per result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/analysis.h"
#include "base/keys.h"
#include "base/srv_err.h"
#include "store/store.h"
#include "synth/synth.h"
#include "test_db.h"

struct fixture {
	struct test_db db;
	struct synth *sy;
	int64_t key;
	json_t *w;                           /* the workshop */
	struct synth_scope scope;
	int64_t q1;
	unsigned next_answer;
};

static const char *const answers_given[] = {
	"Kontinuitet och fast läkarkontakt är viktigast.",
	"Samma läkare varje gång ger trygghet och kontinuitet.",
	"Bättre samverkan mellan region och kommun.",
	"Teamarbete och samordning kring de mest sjuka.",
	"Digitala vårdmöten och video för den som bor långt bort.",
	"Kortare väntetider och bättre tillgänglighet på telefon.",
	"Kompetensförsörjning och rekrytering av sjuksköterskor.",
	"Förebyggande arbete med levnadsvanor och fysisk aktivitet.",
};

/* Texts no shipped theme covers, so clustering finds themes in them. */
static const char *const answers_new[] = {
	"Parkeringen vid vårdcentralen räcker inte till.",
	"Det finns för få parkeringsplatser vid mottagningen.",
	"Parkering är dyr och svår att hitta vid vårdcentralen.",
	"Gratis parkering för patienter vid vårdcentralen.",
	"Fler parkeringsplatser för rörelsehindrade.",
	"Väntrummet är trångt och har dålig luft och ventilation.",
	"Väntrummet behöver bättre ventilation och fler stolar.",
	"Ett trevligare väntrum med ljus och luft.",
	"Väntrummet är slitet och trångt.",
	"Renovera väntrummet och förbättra ventilationen.",
};

static int64_t submit(struct fixture *f, const char *text)
{
	struct store_answer_out out = { 0 };
	char answer_id[32];
	struct store_answer_in in = { .code = json_string_value(json_object_get(f->w, "code")), .question_id = f->q1,
				      .answer_id = answer_id, .text = text };
	int64_t id;

	snprintf(answer_id, sizeof answer_id, "answer-%04u", f->next_answer++);
	assert_int_equal(store_begin(f->db.st), SRV_OK);
	assert_int_equal(store_answer_submit(f->db.st, &in, &out), SRV_OK);
	assert_int_equal(store_commit(f->db.st), SRV_OK);
	id = json_integer_value(json_object_get(out.answer, "id"));
	json_decref(out.answer);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	unsigned char hash[KEYS_HASH_LEN];
	char key[KEYS_TEXT_LEN + 1];

	if (!f)
		return -1;
	if (test_db_open(&f->db, "synth")) {
		free(f);
		return -1;
	}
	if (synth_open(&f->sy) || keys_generate(key) || keys_hash(key, strlen(key), hash) ||
	    store_key_add(f->db.st, hash, "test", &f->key))
		return -1;
	f->w = test_db_workshop(f->db.st, "Dialog Karlstad", NULL);
	f->q1 = test_db_question_id(f->w, 0);
	test_db_open_question(f->db.st, f->q1);
	f->scope.kind = SYNTH_WORKSHOP;
	snprintf(f->scope.id, sizeof f->scope.id, "%s", json_string_value(json_object_get(f->w, "id")));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	json_decref(f->w);
	synth_close(f->sy);
	test_db_remove(&f->db);
	free(f);
	return 0;
}

static struct synth_result *get(struct fixture *f, const struct synth_scope *scope)
{
	struct synth_result *r = NULL;
	char err[256] = "";
	int code = synth_get(f->sy, f->db.st, scope, &r, err, sizeof err);

	if (code)
		fail_msg("synth_get: %d %s", code, err);
	return r;
}

static void fill(struct fixture *f)
{
	size_t i;

	for (i = 0; i < sizeof answers_given / sizeof answers_given[0]; i++)
		submit(f, answers_given[i]);
	for (i = 0; i < sizeof answers_new / sizeof answers_new[0]; i++)
		submit(f, answers_new[i]);
}

/* Record a decision object given as JSON text on the fixture's workshop. */
static int64_t decide(struct fixture *f, const char *text)
{
	json_t *detail = json_loads(text, 0, NULL), *rec = NULL;
	int64_t id;

	assert_non_null(detail);
	assert_int_equal(store_decision_add(f->db.st, f->scope.id, NULL, f->key, detail, &rec), SRV_OK);
	id = json_integer_value(json_object_get(rec, "id"));
	json_decref(rec);
	json_decref(detail);
	synth_touch_scope(f->sy, &f->scope);
	return id;
}

/* Index of the analysis answer with server id `id`, or -1 (hidden or unknown). */
static long analysed(const struct synth_result *r, int64_t id)
{
	char text[24];
	size_t i;

	snprintf(text, sizeof text, "%lld", (long long)id);
	for (i = 0; i < r->res->nanswers; i++)
		if (strcmp(r->res->ids[i], text) == 0)
			return (long)i;
	return -1;
}

static bool in_theme(const struct synth_result *r, int64_t id, const char *theme, bool *human)
{
	long i = analysed(r, id), t = synth_theme_index(r, theme);
	size_t k;

	if (i < 0 || t < 0)
		return false;
	for (k = 0; k < r->res->assign[i].nmatches; k++)
		if (r->res->assign[i].matches[k].theme == (uint32_t)t) {
			if (human)
				*human = r->res->assign[i].matches[k].human;
			return true;
		}
	return false;
}

static void test_cache(void **state)
{
	struct fixture *f = *state;
	struct synth_scope none = { .kind = SYNTH_WORKSHOP, .id = "nosuchworkshop00" };
	struct synth_result *a, *b, *c, *d, *r;

	fill(f);
	a = get(f, &f->scope);
	assert_int_equal(a->res->nanswers, 18);
	assert_int_equal(json_array_size(a->answers), 18);
	assert_true(a->themes_default);
	b = get(f, &f->scope);
	assert_ptr_equal(a, b);
	assert_int_equal(a->rev, b->rev);

	/* A new answer touches the workshop: a new revision that includes it. */
	submit(f, "Mer kontinuitet i hemsjukvården.");
	synth_touch_workshop(f->sy, f->scope.id);
	c = get(f, &f->scope);
	assert_ptr_not_equal(a, c);
	assert_int_equal(c->rev, a->rev + 1);
	assert_int_equal(c->res->nanswers, 19);
	/* The old result is still readable by whoever holds it. */
	assert_int_equal(a->res->nanswers, 18);

	/* Touching another workshop changes nothing here; touching the scope does. */
	synth_touch_workshop(f->sy, "someotherworksh0");
	d = get(f, &f->scope);
	assert_ptr_equal(c, d);
	synth_put(d);
	synth_touch_scope(f->sy, &f->scope);
	d = get(f, &f->scope);
	assert_int_equal(d->rev, c->rev + 1);

	assert_int_equal(synth_get(f->sy, f->db.st, &none, &r, NULL, 0), SRV_ENOTFOUND);
	synth_put(a);
	synth_put(b);
	synth_put(c);
	synth_put(d);
}

static void test_hidden_excluded(void **state)
{
	struct fixture *f = *state;
	char ws[LIMIT_WORKSHOP_ID_LEN + 1];
	struct synth_result *a, *b;
	json_t *ans = NULL, *view;
	char *text;
	int64_t id;

	fill(f);
	id = submit(f, "Hemligt svar om kontinuitet som ska döljas.");
	a = get(f, &f->scope);
	assert_true(analysed(a, id) >= 0);
	assert_int_equal(store_answer_set_hidden(f->db.st, id, true, &ans, ws), SRV_OK);
	json_decref(ans);
	synth_touch_workshop(f->sy, ws);
	b = get(f, &f->scope);
	assert_int_equal(b->res->nanswers, a->res->nanswers - 1);
	assert_int_equal(analysed(b, id), -1);
	/* Still one of the scope's answers (a decision may name it), just not analysed. */
	assert_true(synth_answer_row(b, id) >= 0);
	view = synth_view(b, true);
	assert_non_null(view);
	assert_int_equal(json_integer_value(json_object_get(view, "total")), (json_int_t)b->res->nanswers);
	text = json_dumps(view, JSON_COMPACT);
	assert_non_null(text);
	assert_null(strstr(text, "Hemligt"));
	free(text);
	json_decref(view);
	synth_put(a);
	synth_put(b);
}

static void test_decisions_applied(void **state)
{
	struct fixture *f = *state;
	struct synth_result *r;
	int64_t first, moved, rename_id;
	json_t *rec = NULL;
	bool human = false;
	long t;
	char text[160];

	first = submit(f, "Kontinuitet och fast läkarkontakt är viktigast.");
	fill(f);
	moved = submit(f, "Samma läkare och kontinuitet, men också samverkan.");

	rename_id = decide(f, "{\"kind\":\"rename\",\"theme\":\"kontinuitet\",\"label\":\"Fast läkare\"}");
	snprintf(text, sizeof text, "{\"kind\":\"move\",\"answer\":\"%lld\",\"to\":null}", (long long)first);
	decide(f, text);
	snprintf(text, sizeof text, "{\"kind\":\"also\",\"answer\":\"%lld\",\"theme\":\"digitalisering\"}",
		 (long long)moved);
	decide(f, text);
	r = get(f, &f->scope);
	assert_int_equal(json_array_size(r->decisions), 3);
	t = synth_theme_index(r, "kontinuitet");
	assert_true(t >= 0);
	assert_string_equal(r->res->themes[t].label, "Fast läkare");
	assert_true(r->res->themes[t].renamed);
	assert_int_equal(r->res->assign[analysed(r, first)].nmatches, 0);
	assert_true(r->res->assign[analysed(r, first)].human_none);
	assert_true(in_theme(r, moved, "digitalisering", &human));
	assert_true(human);
	assert_true(in_theme(r, moved, "kontinuitet", NULL));
	synth_put(r);

	/* Undone, the rename is gone from what is applied, and the label is the file's again. */
	assert_int_equal(store_decision_undo(f->db.st, f->scope.id, NULL, f->key, rename_id, &rec), SRV_OK);
	json_decref(rec);
	synth_touch_scope(f->sy, &f->scope);
	r = get(f, &f->scope);
	assert_int_equal(json_array_size(r->decisions), 2);
	/* Every record stays in `records`: the three decisions and the undo. */
	assert_int_equal(json_array_size(r->records), 4);
	assert_string_equal(r->res->themes[synth_theme_index(r, "kontinuitet")].label, "Kontinuitet");

	/* A themes decision replaces the file in use. */
	synth_put(r);
	decide(f, "{\"kind\":\"themes\",\"text\":\"parkering | Parkering | parkering, parkeringsplatser\\n\"}");
	r = get(f, &f->scope);
	assert_false(r->themes_default);
	assert_non_null(strstr(r->themes_text, "parkering | Parkering"));
	assert_true(synth_theme_index(r, "parkering") >= 0);
	assert_int_equal(synth_theme_index(r, "kontinuitet"), -1);
	synth_put(r);
}

/* The first discovered theme of a result, or -1. */
static long first_discovered(const struct synth_result *r)
{
	size_t t;

	for (t = 0; t < r->res->nthemes; t++)
		if (r->res->themes[t].origin == ANALYSIS_DISCOVERED)
			return (long)t;
	return -1;
}

static void test_discovered_by_rev(void **state)
{
	struct fixture *f = *state;
	struct synth_result *r, *r2;
	json_t *adopt = NULL, *view;
	uint64_t rev;
	long t;
	size_t i;
	char id[64];

	fill(f);
	r = get(f, &f->scope);
	t = first_discovered(r);
	assert_true(t >= 0);
	snprintf(id, sizeof id, "%s", r->res->themes[t].id);
	rev = r->rev;
	assert_int_equal(synth_discovered(f->sy, &f->scope, rev, id, "c1", &adopt), SRV_OK);
	assert_string_equal(json_string_value(json_object_get(adopt, "kind")), "adopt");
	assert_string_equal(json_string_value(json_object_get(adopt, "id")), "c1");
	assert_string_equal(json_string_value(json_object_get(adopt, "label")), r->res->themes[t].label);
	assert_int_equal(json_array_size(json_object_get(adopt, "answers")), r->res->themes[t].size);
	assert_true(json_array_size(json_object_get(adopt, "terms")) > 0);
	assert_int_equal(synth_discovered(f->sy, &f->scope, rev, "new-999", "c1", &view),
			 SRV_ENOTFOUND);
	assert_int_equal(synth_discovered(f->sy, &f->scope, rev + 1, id, "c1", &view), SRV_ECONFLICT);

	/* Adopted, the theme is curated under its new id with the same answers. */
	assert_int_equal(store_decision_add(f->db.st, f->scope.id, NULL, f->key, adopt, &view), SRV_OK);
	json_decref(view);
	synth_touch_scope(f->sy, &f->scope);
	r2 = get(f, &f->scope);
	t = synth_theme_index(r2, "c1");
	assert_true(t >= 0);
	assert_int_equal(r2->res->themes[t].origin, ANALYSIS_CURATED);
	for (i = 0; i < json_array_size(json_object_get(adopt, "answers")); i++) {
		const char *a = json_string_value(json_array_get(json_object_get(adopt, "answers"), i));
		bool human = false;
		assert_true(in_theme(r2, strtoll(a, NULL, 10), "c1", &human));
		assert_true(human);
	}
	json_decref(adopt);
	synth_put(r2);

	/* The old revision is still there for SYNTH_REVS - 1 more computations, then gone. */
	for (i = 0; i < SYNTH_REVS - 2; i++) {
		synth_touch_scope(f->sy, &f->scope);
		synth_put(get(f, &f->scope));
	}
	assert_int_equal(synth_discovered(f->sy, &f->scope, rev, id, "c2", &adopt), SRV_OK);
	json_decref(adopt);
	synth_touch_scope(f->sy, &f->scope);
	synth_put(get(f, &f->scope));
	assert_int_equal(synth_discovered(f->sy, &f->scope, rev, id, "c2", &adopt), SRV_ECONFLICT);
	synth_put(r);
}

static void test_views(void **state)
{
	struct fixture *f = *state;
	struct synth_result *r;
	json_t *full, *sum, *th;
	size_t i;

	fill(f);
	decide(f, "{\"kind\":\"rename\",\"theme\":\"digitalisering\",\"label\":\"Appar och video\"}");
	decide(f, "{\"kind\":\"merge\",\"theme\":\"digitalisering\",\"into\":\"kontinuitet\"}");
	r = get(f, &f->scope);
	full = synth_view(r, true);
	sum = synth_view(r, false);
	assert_non_null(full);
	assert_non_null(sum);
	assert_string_equal(json_string_value(json_object_get(full, "scope")), "workshop");
	assert_string_equal(json_string_value(json_object_get(full, "id")), f->scope.id);
	assert_int_equal(json_integer_value(json_object_get(full, "rev")), (json_int_t)r->rev);
	assert_int_equal(json_array_size(json_object_get(full, "answers")), 18);
	assert_int_equal(json_array_size(json_object_get(full, "themes")), json_array_size(json_object_get(sum, "themes")));
	assert_null(json_object_get(sum, "answers"));
	assert_true(json_is_integer(json_object_get(sum, "unassigned")));
	assert_int_equal(json_integer_value(json_object_get(sum, "unassigned")),
			 (json_int_t)json_array_size(json_object_get(full, "unassigned")));
	json_array_foreach(json_object_get(sum, "themes"), i, th) {
		json_t *q = json_object_get(th, "quotes");
		assert_true(json_array_size(q) <= SYNTH_SUMMARY_QUOTES);
		if (json_array_size(q))
			assert_true(json_is_string(json_object_get(json_array_get(q, 0), "text")));
		assert_null(json_object_get(th, "answers"));
		assert_null(json_object_get(th, "merged_labels"));
	}
	th = json_array_get(json_object_get(full, "themes"), (size_t)synth_theme_index(r, "kontinuitet"));
	assert_string_equal(json_string_value(json_object_get(th, "origin")), "given");
	/* The merged theme by id and by the label it had when merged, in the same order. */
	assert_int_equal(json_array_size(json_object_get(th, "merged")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(th, "merged"), 0)), "digitalisering");
	assert_int_equal(json_array_size(json_object_get(th, "merged_labels")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(th, "merged_labels"), 0)), "Appar och video");
	assert_int_equal(json_array_size(json_object_get(th, "answers")), json_integer_value(json_object_get(th, "size")));
	assert_true(json_array_size(json_object_get(th, "given")) > 0);
	assert_true(json_is_array(json_object_get(json_object_get(th, "shares"), "workshop")));
	/* What a theme learned, and each answer's confidence and evidence (full view only). */
	assert_true(json_is_array(json_object_get(th, "learned")));
	json_array_foreach(json_object_get(full, "answers"), i, th) {
		json_t *ev = json_object_get(th, "evidence");
		double conf = json_real_value(json_object_get(th, "confidence"));

		assert_true(json_is_real(json_object_get(th, "confidence")));
		assert_true(conf >= 0 && conf <= 1);
		assert_true(json_array_size(json_object_get(th, "themes")) ? json_is_string(ev) && conf > 0 : json_is_null(ev));
	}
	json_array_foreach(json_object_get(sum, "themes"), i, th)
		assert_null(json_object_get(th, "learned"));
	json_decref(full);
	json_decref(sum);
	synth_put(r);
}

static void test_series(void **state)
{
	struct fixture *f = *state;
	json_t *w2 = test_db_workshop(f->db.st, "Dialog Arvika", NULL), *s = NULL;
	struct synth_scope series = { .kind = SYNTH_SERIES };
	struct synth_result *a, *b;
	const char *w2id = json_string_value(json_object_get(w2, "id"));
	struct fixture other = *f;

	fill(f);
	other.w = w2;
	other.q1 = test_db_question_id(w2, 0);
	test_db_open_question(f->db.st, other.q1);
	submit(&other, "Samverkan med kommunen om äldre.");
	assert_int_equal(store_series_create(f->db.st, f->key, "Värmland 2026", &s), SRV_OK);
	snprintf(series.id, sizeof series.id, "%s", json_string_value(json_object_get(s, "id")));
	assert_int_equal(store_workshop_set_series(f->db.st, f->scope.id, series.id), SRV_OK);
	assert_int_equal(store_workshop_set_series(f->db.st, w2id, series.id), SRV_OK);
	a = get(f, &series);
	assert_int_equal(a->res->nanswers, 19);
	/* A new answer in the second workshop makes the series stale. */
	submit(&other, "Mer samverkan kring hemsjukvård.");
	synth_touch_workshop(f->sy, w2id);
	b = get(f, &series);
	assert_int_equal(b->rev, a->rev + 1);
	assert_int_equal(b->res->nanswers, 20);
	synth_put(b);
	/* Taking a workshop out is a scope change. */
	assert_int_equal(store_workshop_set_series(f->db.st, w2id, NULL), SRV_OK);
	synth_touch_scope(f->sy, &series);
	b = get(f, &series);
	assert_int_equal(b->res->nanswers, 18);
	synth_put(a);
	synth_put(b);
	json_decref(s);
	json_decref(w2);
}

struct racer {
	struct fixture *f;
	struct store *st;
	struct synth_result *r;
};

static void *race(void *arg)
{
	struct racer *rc = arg;

	if (synth_get(rc->f->sy, rc->st, &rc->f->scope, &rc->r, NULL, 0))
		rc->r = NULL;
	return NULL;
}

/*
 * Two threads on their own connections ask for the same stale scope: one
 * computation, one result.  The test holds a transaction open on the first
 * thread's store (and so that store's lock), so that its computation is
 * surely under way, waiting to read, when the second one asks; a second
 * computation would show as a second rev.
 */
static void test_compute_once(void **state)
{
	struct fixture *f = *state;
	struct racer rc[2] = { { .f = f }, { .f = f } };
	pthread_t th[2];
	struct synth_result *before;
	int i;

	fill(f);
	before = get(f, &f->scope);
	synth_touch_workshop(f->sy, f->scope.id);
	for (i = 0; i < 2; i++)
		assert_int_equal(store_open(&rc[i].st, f->db.path), SRV_OK);
	assert_int_equal(store_begin(rc[0].st), SRV_OK);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, race, &rc[i]), 0);
		usleep(100 * 1000);
	}
	store_rollback(rc[0].st);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		store_close(rc[i].st);
		assert_non_null(rc[i].r);
	}
	assert_ptr_equal(rc[0].r, rc[1].r);
	assert_int_equal(rc[0].r->rev, before->rev + 1);
	synth_put(rc[0].r);
	synth_put(rc[1].r);
	synth_put(before);
}

/* A second workshop of the fixture's key with one answer; its scope into *scope.  Decref the result. */
static json_t *other_workshop(struct fixture *f, const char *title, struct synth_scope *scope)
{
	json_t *w = test_db_workshop(f->db.st, title, NULL);
	struct fixture other = *f;

	assert_non_null(w);
	other.w = w;
	other.q1 = test_db_question_id(w, 0);
	test_db_open_question(f->db.st, other.q1);
	submit(&other, "Samverkan med kommunen om äldre.");
	scope->kind = SYNTH_WORKSHOP;
	snprintf(scope->id, sizeof scope->id, "%s", json_string_value(json_object_get(w, "id")));
	return w;
}

/*
 * A cache of 2 over three workshops: the third evicts the least recently
 * used (not merely the oldest computed), a held result outlives its
 * eviction, an evicted scope recomputes with the next rev and sees changes
 * made while it was out, and its discovered snapshots go with it (409).
 */
static void test_evict(void **state)
{
	struct fixture *f = *state;
	struct synth_scope s2, s3;
	json_t *w2, *w3, *adopt = NULL, *view;
	struct synth_result *a, *b, *c, *x;
	const char *json;
	size_t len;
	char id[64];
	long t;

	synth_close(f->sy);
	assert_int_equal(synth_open_max(&f->sy, 0), SRV_EINVAL);
	assert_null(f->sy);
	assert_int_equal(synth_open_max(&f->sy, 2), SRV_OK);
	fill(f);
	w2 = other_workshop(f, "Dialog Arvika", &s2);
	w3 = other_workshop(f, "Dialog Torsby", &s3);

	a = get(f, &f->scope);
	t = first_discovered(a);
	assert_true(t >= 0);
	snprintf(id, sizeof id, "%s", a->res->themes[t].id);
	b = get(f, &s2);
	assert_int_equal(b->rev, 1);
	/* Workshop 1 is used again, so workshop 2 is now the least recently used. */
	x = get(f, &f->scope);
	assert_ptr_equal(x, a);
	synth_put(x);
	c = get(f, &s3);
	assert_int_equal(c->rev, 1);

	/* Workshop 2 was evicted; the result held here is untouched and usable. */
	assert_int_equal(b->res->nanswers, 1);
	assert_int_equal(json_array_size(b->answers), 1);
	view = synth_view(b, true);
	assert_non_null(view);
	json_decref(view);
	assert_int_equal(synth_view_full(b, &json, &len), SRV_OK);
	assert_non_null(strstr(json, s2.id));
	/* Workshop 1 stayed: the same result, no recomputation. */
	x = get(f, &f->scope);
	assert_ptr_equal(x, a);
	synth_put(x);
	assert_int_equal(synth_discovered(f->sy, &f->scope, a->rev, id, "c1", &adopt), SRV_OK);
	json_decref(adopt);

	/* Workshop 2 recomputes with the next rev (evicting workshop 3, now the LRU). */
	x = get(f, &s2);
	assert_ptr_not_equal(x, b);
	assert_int_equal(x->rev, b->rev + 1);
	synth_put(x);
	x = get(f, &s2);
	assert_int_equal(x->rev, b->rev + 1);
	synth_put(x);
	x = get(f, &s3);
	assert_int_equal(x->rev, c->rev + 1);
	synth_put(x);

	/* Workshop 1 is the LRU now and was just evicted: its snapshots went too. */
	assert_int_equal(synth_discovered(f->sy, &f->scope, a->rev, id, "c1", &adopt), SRV_ECONFLICT);
	assert_null(adopt);
	/* An answer while it is out is seen, under the next rev, and then cached again. */
	submit(f, "Mer kontinuitet i hemsjukvården.");
	synth_touch_workshop(f->sy, f->scope.id);
	x = get(f, &f->scope);
	assert_int_equal(x->rev, a->rev + 1);
	assert_int_equal(x->res->nanswers, a->res->nanswers + 1);
	synth_put(x);
	x = get(f, &f->scope);
	assert_int_equal(x->rev, a->rev + 1);
	synth_put(x);
	/* A scope touched while evicted still recomputes, again with the next rev. */
	synth_touch_scope(f->sy, &s3);
	x = get(f, &s3);
	assert_int_equal(x->rev, c->rev + 2);
	synth_put(x);

	synth_put(a);
	synth_put(b);
	synth_put(c);
	json_decref(w2);
	json_decref(w3);
}

struct viewer {
	struct synth_result *r;
	const char *json;
	size_t len;
	int err;
};

static void *view_full(void *arg)
{
	struct viewer *v = arg;

	v->err = synth_view_full(v->r, &v->json, &v->len);
	return NULL;
}

/* The cached bytes are synth_view's full view, built once even when asked for by two threads at once. */
static void test_view_full(void **state)
{
	struct fixture *f = *state;
	struct viewer v[2];
	struct synth_result *r, *r2;
	pthread_t th[2];
	const char *json;
	json_t *view;
	char *text;
	size_t len;
	int i;

	fill(f);
	decide(f, "{\"kind\":\"rename\",\"theme\":\"kontinuitet\",\"label\":\"Fast läkare\"}");
	r = get(f, &f->scope);
	for (i = 0; i < 2; i++) {
		v[i] = (struct viewer){ .r = r };
		assert_int_equal(pthread_create(&th[i], NULL, view_full, &v[i]), 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(v[i].err, SRV_OK);
	}
	assert_ptr_equal(v[0].json, v[1].json);
	assert_int_equal(v[0].len, v[1].len);
	view = synth_view(r, true);
	/* The answers' confidence is the one real, written with 4 digits as in the analysis JSON. */
	text = json_dumps(view, JSON_COMPACT | JSON_REAL_PRECISION(4));
	assert_non_null(text);
	assert_int_equal(v[0].len, strlen(text));
	assert_memory_equal(v[0].json, text, v[0].len);
	assert_non_null(strstr(text, "Fast läkare"));
	free(text);
	json_decref(view);
	assert_int_equal(synth_view_full(r, &json, &len), SRV_OK);
	assert_ptr_equal(json, v[0].json);

	/* A new result has its own bytes, with its own rev. */
	synth_touch_scope(f->sy, &f->scope);
	r2 = get(f, &f->scope);
	assert_int_equal(synth_view_full(r2, &json, &len), SRV_OK);
	assert_ptr_not_equal(json, v[0].json);
	view = json_loadb(json, len, 0, NULL);
	assert_non_null(view);
	assert_int_equal(json_integer_value(json_object_get(view, "rev")), (json_int_t)r2->rev);
	json_decref(view);
	synth_put(r2);
	synth_put(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hidden_excluded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decisions_applied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_discovered_by_rev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_views, setup, teardown),
		cmocka_unit_test_setup_teardown(test_series, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compute_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_view_full, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

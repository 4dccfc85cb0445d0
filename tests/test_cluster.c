/*
 * test_cluster.c - unit tests for analysis/cluster.c.
 *
 * Most tests run on a planted corpus: T topics with their own small
 * vocabularies plus shared noise words, so the right partition is known
 * and recovery can be measured (purity), not just "does not crash".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "cluster/cluster.h"

#define TOPIC_WORDS 12
#define NOISE_WORDS 20
#define MAX_DOC_WORDS 8

/* A sparse corpus built by the tests; owns every array. */
struct corpus_fixture {
	struct cluster_input in;
	uint32_t *doc_start, *term, *count, *df;
	float *weight;
	uint32_t *topic;   /* planted topic of each document */
};

static uint32_t lcg_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*state >> 33);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Build a corpus from word lists: words[d] has nwords[d] term ids (any
 * order, repeats allowed).  Weights are sublinear TF-IDF, L2-normalised,
 * and df is counted, as the pipeline does.
 */
static void fixture_from_words(struct corpus_fixture *f, size_t ndocs, size_t nterms,
			       uint32_t (*words)[MAX_DOC_WORDS], const size_t *nwords)
{
	size_t nnz = 0;

	memset(f, 0, sizeof(*f));
	f->doc_start = calloc(ndocs + 1, sizeof(*f->doc_start));
	f->term = calloc(ndocs * MAX_DOC_WORDS + 1, sizeof(*f->term));
	f->count = calloc(ndocs * MAX_DOC_WORDS + 1, sizeof(*f->count));
	f->weight = calloc(ndocs * MAX_DOC_WORDS + 1, sizeof(*f->weight));
	f->df = calloc(nterms + 1, sizeof(*f->df));
	assert_non_null(f->doc_start);
	assert_non_null(f->term);
	assert_non_null(f->count);
	assert_non_null(f->weight);
	assert_non_null(f->df);
	for (size_t d = 0; d < ndocs; d++) {
		uint32_t sorted[MAX_DOC_WORDS];
		assert_true(nwords[d] <= MAX_DOC_WORDS);
		memcpy(sorted, words[d], nwords[d] * sizeof(*sorted));
		qsort(sorted, nwords[d], sizeof(*sorted), cmp_u32);
		f->doc_start[d] = (uint32_t)nnz;
		for (size_t i = 0; i < nwords[d]; i++) {
			assert_true(sorted[i] < nterms);
			if (nnz > f->doc_start[d] && f->term[nnz - 1] == sorted[i]) {
				f->count[nnz - 1]++;
				continue;
			}
			f->term[nnz] = sorted[i];
			f->count[nnz++] = 1;
			f->df[sorted[i]]++;
		}
	}
	f->doc_start[ndocs] = (uint32_t)nnz;
	for (size_t d = 0; d < ndocs; d++) {
		double norm = 0;
		for (uint32_t p = f->doc_start[d]; p < f->doc_start[d + 1]; p++) {
			double w = (1 + log(f->count[p])) * (1 + log((double)ndocs / f->df[f->term[p]]));
			f->weight[p] = (float)w;
			norm += w * w;
		}
		for (uint32_t p = f->doc_start[d]; p < f->doc_start[d + 1]; p++)
			f->weight[p] = (float)(f->weight[p] / sqrt(norm));
	}
	f->in = (struct cluster_input){ ndocs, nterms, f->doc_start, f->term,
					f->count, f->weight, f->df };
}

/* `per_topic` documents for each of `topics` topics, 3-5 topic words and
 * 0-2 noise words each, in interleaved order. */
static void fixture_planted(struct corpus_fixture *f, size_t topics, size_t per_topic, uint64_t seed)
{
	size_t ndocs = topics * per_topic;
	size_t nterms = topics * TOPIC_WORDS + NOISE_WORDS;
	uint32_t (*words)[MAX_DOC_WORDS] = calloc(ndocs, sizeof(*words));
	size_t *nwords = calloc(ndocs, sizeof(*nwords));
	uint32_t *topic = calloc(ndocs, sizeof(*topic));

	assert_non_null(words);
	assert_non_null(nwords);
	assert_non_null(topic);
	for (size_t d = 0; d < ndocs; d++) {
		size_t t = d % topics, own = 3 + lcg_next(&seed) % 3, noise = lcg_next(&seed) % 3;
		topic[d] = (uint32_t)t;
		for (size_t i = 0; i < own; i++)
			words[d][nwords[d]++] = (uint32_t)(t * TOPIC_WORDS + lcg_next(&seed) % TOPIC_WORDS);
		for (size_t i = 0; i < noise; i++)
			words[d][nwords[d]++] = (uint32_t)(topics * TOPIC_WORDS + lcg_next(&seed) % NOISE_WORDS);
	}
	fixture_from_words(f, ndocs, nterms, words, nwords);
	f->topic = topic;
	free(words);
	free(nwords);
}

static void fixture_free(struct corpus_fixture *f)
{
	free(f->doc_start);
	free(f->term);
	free(f->count);
	free(f->weight);
	free(f->df);
	free(f->topic);
}

/* Checks every output invariant: indices < k, every cluster used,
 * clusters numbered by size. */
static void assert_valid_result(const struct cluster_result *r, size_t ndocs)
{
	size_t *size;

	assert_true(r->k >= 1);
	assert_true(r->k <= ndocs);
	assert_non_null(r->assign);
	size = calloc(r->k, sizeof(*size));
	assert_non_null(size);
	for (size_t d = 0; d < ndocs; d++) {
		assert_true(r->assign[d] < r->k);
		size[r->assign[d]]++;
	}
	for (unsigned k = 0; k < r->k; k++) {
		assert_true(size[k] > 0);
		if (k > 0)
			assert_true(size[k] <= size[k - 1]);
	}
	free(size);
}

/* Share of documents whose cluster's majority topic is their own topic. */
static double purity(const struct cluster_result *r, const uint32_t *topic, size_t ndocs, size_t topics)
{
	size_t *table = calloc((size_t)r->k * topics, sizeof(*table));
	size_t agree = 0;

	assert_non_null(table);
	for (size_t d = 0; d < ndocs; d++)
		table[r->assign[d] * topics + topic[d]]++;
	for (unsigned k = 0; k < r->k; k++) {
		size_t best = 0;
		for (size_t t = 0; t < topics; t++)
			if (table[k * topics + t] > best)
				best = table[k * topics + t];
		agree += best;
	}
	free(table);
	return (double)agree / ndocs;
}

static void test_planted_recovered(void **state)
{
	struct corpus_fixture f;
	struct cluster_opts opts = { 6, 0, 42 };
	struct cluster_result r = { 0, NULL };

	(void)state;
	fixture_planted(&f, 6, 40, 7);
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_valid_result(&r, f.in.ndocs);
	assert_int_equal(r.k, 6);
	assert_true(purity(&r, f.topic, f.in.ndocs, 6) >= 0.95);
	cluster_result_free(&r);
	assert_null(r.assign);
	assert_int_equal(r.k, 0);
	fixture_free(&f);
}

static void test_same_seed_same_result(void **state)
{
	struct corpus_fixture f;
	struct cluster_opts fixed = { 5, 0, 1234 }, automatic = { 0, 0, 1234 };
	struct cluster_result a = { 0, NULL }, b = { 0, NULL };

	(void)state;
	fixture_planted(&f, 5, 60, 3);
	assert_int_equal(cluster_run(&f.in, &fixed, &a), AN_OK);
	assert_int_equal(cluster_run(&f.in, &fixed, &b), AN_OK);
	assert_int_equal(a.k, b.k);
	assert_memory_equal(a.assign, b.assign, f.in.ndocs * sizeof(*a.assign));
	cluster_result_free(&a);
	cluster_result_free(&b);
	assert_int_equal(cluster_run(&f.in, &automatic, &a), AN_OK);
	assert_int_equal(cluster_run(&f.in, &automatic, &b), AN_OK);
	assert_int_equal(a.k, b.k);
	assert_memory_equal(a.assign, b.assign, f.in.ndocs * sizeof(*a.assign));
	cluster_result_free(&a);
	cluster_result_free(&b);
	fixture_free(&f);
}

/* With 1000 documents per cluster a fixed k takes the short-chain path
 * (two sweeps, six runs on two threads): topics must still be found, and
 * the result must not depend on thread timing. */
static void test_large_clusters(void **state)
{
	struct corpus_fixture f;
	struct cluster_opts opts = { 3, 0, 77 };
	struct cluster_result a = { 0, NULL }, b = { 0, NULL };

	(void)state;
	fixture_planted(&f, 3, 1000, 13);
	assert_int_equal(cluster_run(&f.in, &opts, &a), AN_OK);
	assert_valid_result(&a, f.in.ndocs);
	assert_int_equal(a.k, 3);
	assert_true(purity(&a, f.topic, f.in.ndocs, 3) >= 0.95);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(cluster_run(&f.in, &opts, &b), AN_OK);
		assert_memory_equal(a.assign, b.assign, f.in.ndocs * sizeof(*a.assign));
		cluster_result_free(&b);
	}
	cluster_result_free(&a);
	fixture_free(&f);
}

/* The sampler must really use the seed: over a few seeds on an ambiguous
 * corpus (only noise words), some assignment must differ. */
static void test_seed_matters(void **state)
{
	struct corpus_fixture f;
	struct cluster_result first = { 0, NULL }, other = { 0, NULL };
	int differs = 0;

	(void)state;
	fixture_planted(&f, 1, 200, 11);
	struct cluster_opts opts = { 4, 0, 1 };
	assert_int_equal(cluster_run(&f.in, &opts, &first), AN_OK);
	for (uint64_t seed = 2; seed < 6 && !differs; seed++) {
		opts.seed = seed;
		assert_int_equal(cluster_run(&f.in, &opts, &other), AN_OK);
		differs = memcmp(first.assign, other.assign, f.in.ndocs * sizeof(*first.assign)) != 0;
		cluster_result_free(&other);
	}
	assert_true(differs);
	cluster_result_free(&first);
	fixture_free(&f);
}

static void test_fixed_k_honoured(void **state)
{
	struct corpus_fixture f;
	struct cluster_result r = { 0, NULL };
	const unsigned ks[] = { 1, 2, 4, 9, 25 };

	(void)state;
	fixture_planted(&f, 6, 30, 5);
	for (size_t i = 0; i < sizeof(ks) / sizeof(*ks); i++) {
		struct cluster_opts opts = { ks[i], 0, 9 };
		assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
		assert_int_equal(r.k, ks[i]);
		assert_valid_result(&r, f.in.ndocs);
		cluster_result_free(&r);
	}
	fixture_free(&f);
}

static void test_auto_k_sensible(void **state)
{
	struct corpus_fixture f;
	struct cluster_result r = { 0, NULL };
	struct cluster_opts opts = { 0, 0, 3 };

	(void)state;
	/* A workshop-sized input: 6 clear themes, 300 answers. */
	fixture_planted(&f, 6, 50, 13);
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_valid_result(&r, f.in.ndocs);
	assert_true(r.k >= 4 && r.k <= 9);
	assert_true(purity(&r, f.topic, f.in.ndocs, 6) >= 0.9);
	cluster_result_free(&r);

	/* k_max caps the automatic choice. */
	opts.k_max = 3;
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_valid_result(&r, f.in.ndocs);
	assert_true(r.k <= 3);
	cluster_result_free(&r);
	fixture_free(&f);
}

static void test_empty_docs(void **state)
{
	uint32_t words[6][MAX_DOC_WORDS] = {
		{ 0, 1, 2 }, { 0 }, { 0, 1, 2 }, { 0 }, { 3, 4 }, { 3, 4, 5 },
	};
	/* docs 1 and 3 are empty; doc 5's word 5 occurs once only */
	size_t nwords[6] = { 3, 0, 3, 0, 2, 3 };
	struct corpus_fixture f;
	struct cluster_result r = { 0, NULL };

	(void)state;
	fixture_from_words(&f, 6, 6, words, nwords);
	for (unsigned k = 0; k <= 6; k++) {
		struct cluster_opts opts = { k, 0, 1 };
		assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
		assert_valid_result(&r, 6);
		if (k > 0)
			assert_int_equal(r.k, k);
		if (k == 2) {
			/* the two word groups are told apart */
			assert_int_equal(r.assign[0], r.assign[2]);
			assert_int_equal(r.assign[4], r.assign[5]);
			assert_int_not_equal(r.assign[0], r.assign[4]);
		}
		cluster_result_free(&r);
	}
	fixture_free(&f);
}

static void test_all_docs_empty(void **state)
{
	uint32_t words[4][MAX_DOC_WORDS] = { { 0 } };
	size_t nwords[4] = { 0, 0, 0, 0 };
	struct corpus_fixture f;
	struct cluster_result r = { 0, NULL };
	struct cluster_opts automatic = { 0, 0, 1 }, three = { 3, 0, 1 };

	(void)state;
	fixture_from_words(&f, 4, 0, words, nwords);
	assert_int_equal(cluster_run(&f.in, &automatic, &r), AN_OK);
	assert_valid_result(&r, 4);
	assert_int_equal(r.k, 1);
	cluster_result_free(&r);
	assert_int_equal(cluster_run(&f.in, &three, &r), AN_OK);
	assert_valid_result(&r, 4);
	assert_int_equal(r.k, 3);
	cluster_result_free(&r);
	fixture_free(&f);
}

static void test_zero_and_one_doc(void **state)
{
	struct cluster_input none = { 0, 0, NULL, NULL, NULL, NULL, NULL };
	struct cluster_opts opts = { 3, 0, 1 };
	struct cluster_result r = { 7, NULL };
	uint32_t words[1][MAX_DOC_WORDS] = { { 0, 1 } };
	size_t nwords[1] = { 2 };
	struct corpus_fixture f;

	(void)state;
	assert_int_equal(cluster_run(&none, &opts, &r), AN_OK);
	assert_int_equal(r.k, 0);
	assert_null(r.assign);
	cluster_result_free(&r);

	fixture_from_words(&f, 1, 2, words, nwords);
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_int_equal(r.k, 1);
	assert_int_equal(r.assign[0], 0);
	cluster_result_free(&r);
	opts.k = 0;
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_int_equal(r.k, 1);
	cluster_result_free(&r);
	fixture_free(&f);
}

static void test_k_above_ndocs(void **state)
{
	struct corpus_fixture f;
	struct cluster_result r = { 0, NULL };
	struct cluster_opts opts = { 50, 0, 1 };

	(void)state;
	fixture_planted(&f, 2, 5, 1);
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_valid_result(&r, 10);
	assert_int_equal(r.k, 10);
	cluster_result_free(&r);
	fixture_free(&f);
}

static void test_invalid_args(void **state)
{
	struct corpus_fixture f;
	struct cluster_opts opts = { 2, 0, 1 };
	struct cluster_result r = { 0, NULL };

	(void)state;
	fixture_planted(&f, 2, 4, 1);
	assert_int_equal(cluster_run(NULL, &opts, &r), AN_EINVAL);
	assert_int_equal(cluster_run(&f.in, NULL, &r), AN_EINVAL);
	assert_int_equal(cluster_run(&f.in, &opts, NULL), AN_EINVAL);

	struct cluster_input bad = f.in;
	bad.doc_start = NULL;
	assert_int_equal(cluster_run(&bad, &opts, &r), AN_EINVAL);
	assert_null(r.assign);
	assert_int_equal(r.k, 0);
	bad = f.in;
	bad.weight = NULL;
	assert_int_equal(cluster_run(&bad, &opts, &r), AN_EINVAL);
	bad = f.in;
	bad.df = NULL;
	assert_int_equal(cluster_run(&bad, &opts, &r), AN_EINVAL);
	bad = f.in;
	bad.nterms = 3;   /* term ids beyond nterms */
	assert_int_equal(cluster_run(&bad, &opts, &r), AN_EINVAL);

	/* not strictly ascending within a document */
	uint32_t saved = f.term[1];
	f.term[1] = f.term[0];
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_EINVAL);
	f.term[1] = saved;

	/* offsets must start at 0 and never decrease */
	f.doc_start[0] = 1;
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_EINVAL);
	f.doc_start[0] = 0;
	saved = f.doc_start[2];
	f.doc_start[2] = f.doc_start[1] - 1;
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_EINVAL);
	f.doc_start[2] = saved;

	/* zero counts and non-finite weights */
	f.count[0] = 0;
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_EINVAL);
	f.count[0] = 1;
	float w = f.weight[0];
	f.weight[0] = NAN;
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_EINVAL);
	f.weight[0] = w;

	/* and the repaired input is accepted again */
	assert_int_equal(cluster_run(&f.in, &opts, &r), AN_OK);
	assert_valid_result(&r, f.in.ndocs);
	cluster_result_free(&r);
	cluster_result_free(NULL);
	fixture_free(&f);
}

/* Terms x clusters beyond the hard limit is refused, not attempted. */
static void test_too_big(void **state)
{
	enum { NDOCS = 6000, NTERMS = 7000 };
	uint32_t (*words)[MAX_DOC_WORDS] = calloc(NDOCS, sizeof(*words));
	size_t *nwords = calloc(NDOCS, sizeof(*nwords));
	struct corpus_fixture f;
	struct cluster_result r = { 0, NULL };
	struct cluster_opts huge = { NDOCS, 0, 1 }, small = { 10, 0, 1 };

	(void)state;
	assert_non_null(words);
	assert_non_null(nwords);
	/* every term in exactly two neighbouring documents */
	for (uint32_t t = 0; t < NTERMS; t++) {
		uint32_t a = t % NDOCS, b = (t + 1) % NDOCS;
		words[a][nwords[a]++] = t;
		words[b][nwords[b]++] = t;
	}
	fixture_from_words(&f, NDOCS, NTERMS, words, nwords);
	assert_int_equal(cluster_run(&f.in, &huge, &r), AN_ETOOBIG);
	assert_null(r.assign);
	assert_int_equal(cluster_run(&f.in, &small, &r), AN_OK);
	assert_valid_result(&r, NDOCS);
	assert_int_equal(r.k, 10);
	cluster_result_free(&r);
	fixture_free(&f);
	free(words);
	free(nwords);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_recovered),
		cmocka_unit_test(test_same_seed_same_result),
		cmocka_unit_test(test_large_clusters),
		cmocka_unit_test(test_seed_matters),
		cmocka_unit_test(test_fixed_k_honoured),
		cmocka_unit_test(test_auto_k_sensible),
		cmocka_unit_test(test_empty_docs),
		cmocka_unit_test(test_all_docs_empty),
		cmocka_unit_test(test_zero_and_one_doc),
		cmocka_unit_test(test_k_above_ndocs),
		cmocka_unit_test(test_invalid_args),
		cmocka_unit_test(test_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * cluster.c - theme discovery in short answers.
 *
 * Main design choice: a Dirichlet multinomial mixture sampled like GSDMM
 * (Yin & Wang 2014), because one-topic-per-document fits answers of a few
 * words far better than k-means on vectors that barely overlap; its
 * partition is then polished by spherical k-means on the caller's TF-IDF
 * vectors, which fixes the documents the sampler left in noisy places.
 *
 * Speed: cluster-term counts live in one dense term-major table for O(1)
 * lookups, and each term also keeps the short list of clusters where it
 * occurs, so scoring a document touches only the clusters that share a
 * word with it; everything else is a precomputed per-cluster base score.
 * Log-gamma ratios come from cumulative log tables.
 *
 * With a fixed k, two runs with different word smoothing are made (one
 * per thread; the input's documents per cluster choose the two values)
 * and the one with the best k-means objective (total cosine similarity to
 * the cluster centroids) wins.  With more than 200 documents per cluster
 * the chains get shorter and the runs more (from about 670 per cluster:
 * six runs of two sweeps), since restarts beat long chains there.  With
 * k automatic one
 * run starts from AUTO_K_START clusters, lets the sampler empty the ones
 * it does not need, then dissolves clusters too small to be a theme and
 * keeps at most CLUSTER_AUTO_K_MAX (or opts->k_max).
 *
 * Terms in fewer than two documents cannot link documents, so they are
 * dropped; documents left without terms join the largest cluster.  Every
 * random choice comes from rng.h seeded from opts->seed and each run is
 * single-threaded in a fixed order, so results are reproducible byte for
 * byte.
 */
#include "cluster/cluster.h"

#include "core/an_err.h"
#include "core/rng.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Small alpha lets clusters empty out (that is what k auto relies on). */
#define DMM_ALPHA 0.1
/* Documents visited per run; large inputs get fewer sweeps, since the
 * sequential first sweep already puts most documents in place. */
#define DMM_VISIT_BUDGET 500000.0
#define DMM_MIN_SWEEPS 4
#define DMM_MAX_SWEEPS 10
/* Fixed k: at most this many document visits per cluster and run, at
 * least FIXED_MIN_SWEEPS sweeps.  With many documents per cluster (more
 * than about 670) the chain is cut to two sweeps: restarts then find
 * better partitions than a long chain (docs/QUALITY.md).  Inputs with up
 * to 200 documents per cluster keep DMM_MAX_SWEEPS. */
#define FIXED_CLUSTER_VISITS 2000.0
#define FIXED_MIN_SWEEPS 2
/* Fixed k: runs get up to RUN_SWEEP_BUDGET / sweeps runs, at least
 * NBETAS and at most MAX_RUNS, so short chains buy more restarts. */
#define RUN_SWEEP_BUDGET 12
#define MAX_RUNS 6
#define SKM_ITERS 15
/* With more than NBETAS runs, each candidate gets only this many k-means
 * iterations; the winner then gets SKM_ITERS more. */
#define SKM_CANDIDATE_ITERS 8
/* Clusters this many nats below the best are not considered in a draw. */
#define SAMPLE_CUTOFF 16
/* k auto: start with this many clusters; afterwards clusters below
 * cluster_auto_min_size() are dissolved, and at most CLUSTER_AUTO_K_MAX
 * are kept, which gives the 5-12 themes a workshop of 50-1000 answers can
 * use.  The looser beta favours broad themes over fine ones. */
#define AUTO_K_START 40
#define AUTO_MIN_SHARE 0.04
#define AUTO_MIN_SIZE 2
#define AUTO_BETA 0.1
/* Hard limits that keep memory bounded whatever the input: tokens (log
 * tables) and terms x clusters (count and centroid tables, 128 MB each). */
#define CLUSTER_MAX_TOKENS (UINT32_C(1) << 28)
#define CLUSTER_MAX_CELLS ((size_t)1 << 25)

#define NO_CLUSTER UINT32_MAX
#define DROPPED_TERM UINT32_MAX

/*
 * The word smoothing tried for a fixed k, two values (one per thread).
 * Small beta demands much word overlap to join a cluster, which suits
 * many small, crisp clusters; the broad pair spans the useful range and
 * suits few large clusters.  The input's documents per cluster choose the
 * pair (fine from FINE_MIN to below FINE_MAX per cluster; with fewer
 * there is too little text per cluster for the crisp values), and the
 * k-means objective picks within it.  Chosen on the ten benchmark sets
 * over three seeds (docs/QUALITY.md).
 */
#define FINE_MIN_DOCS_PER_CLUSTER 20
#define FINE_MAX_DOCS_PER_CLUSTER 100
#define NBETAS 2
static const double fine_beta[NBETAS] = { 0.003, 0.002 };
static const double broad_beta[NBETAS] = { 0.05, 0.005 };

/* Beta of run i: beta[0], beta[1], beta[1], beta[0], ...; with two runs
 * simply the pair.  The smaller beta varies more from seed to seed, so it
 * gets two restarts for every one of the larger. */
static double run_beta(const double *beta, size_t i)
{
	return beta[i % 3 == 0 ? 0 : 1];
}

/* The caller's input restricted to terms in at least two documents, with
 * term ids renumbered densely and weights renormalised. */
struct corpus {
	uint32_t ndocs, nterms;
	uint32_t *start;    /* ndocs + 1 */
	uint32_t *term;
	uint32_t *count;
	float *weight;
	uint32_t *len;      /* tokens per document */
	uint32_t *df;       /* nterms: documents containing the term */
	uint32_t max_len;
	uint32_t total;     /* tokens in the whole corpus */
	uint32_t nonempty;  /* documents with at least one token */
};

/* 1 when `in` keeps every promise of struct cluster_input, else 0. */
static int input_valid(const struct cluster_input *in)
{
	if (in->ndocs == 0)
		return 1;
	if (in->ndocs >= UINT32_MAX || in->nterms >= UINT32_MAX || !in->doc_start)
		return 0;
	if (in->doc_start[0] != 0)
		return 0;
	size_t nnz = in->doc_start[in->ndocs];
	if (nnz > 0 && (!in->term || !in->count || !in->weight))
		return 0;
	if (in->nterms > 0 && !in->df)
		return 0;
	for (size_t d = 0; d < in->ndocs; d++) {
		uint32_t b = in->doc_start[d], e = in->doc_start[d + 1];
		if (e < b)
			return 0;
		for (uint32_t p = b; p < e; p++) {
			if (in->term[p] >= in->nterms || in->count[p] == 0)
				return 0;
			if (p > b && in->term[p] <= in->term[p - 1])
				return 0;
			if (!isfinite(in->weight[p]))
				return 0;
		}
	}
	return 1;
}

static void corpus_free(struct corpus *c)
{
	free(c->start);
	free(c->term);
	free(c->count);
	free(c->weight);
	free(c->len);
	free(c->df);
	memset(c, 0, sizeof(*c));
}

/* Fill *c from `in`, which must be valid.  Returns AN_OK, AN_ETOOBIG or
 * AN_ENOMEM (and *c empty). */
static int corpus_build(struct corpus *c, const struct cluster_input *in)
{
	size_t nnz = in->doc_start[in->ndocs];
	uint32_t *newid = NULL;
	uint64_t total = 0;
	int err = AN_ENOMEM;

	memset(c, 0, sizeof(*c));
	c->ndocs = (uint32_t)in->ndocs;
	newid = malloc((in->nterms ? in->nterms : 1) * sizeof(*newid));
	c->start = malloc((in->ndocs + 1) * sizeof(*c->start));
	c->len = malloc(in->ndocs * sizeof(*c->len));
	c->term = malloc((nnz ? nnz : 1) * sizeof(*c->term));
	c->count = malloc((nnz ? nnz : 1) * sizeof(*c->count));
	c->weight = malloc((nnz ? nnz : 1) * sizeof(*c->weight));
	if (!newid || !c->start || !c->len || !c->term || !c->count || !c->weight)
		goto fail;

	for (size_t t = 0; t < in->nterms; t++)
		newid[t] = in->df[t] >= 2 ? c->nterms++ : DROPPED_TERM;
	c->df = calloc(c->nterms ? c->nterms : 1, sizeof(*c->df));
	if (!c->df)
		goto fail;

	err = AN_ETOOBIG;

	uint32_t out = 0;
	for (size_t d = 0; d < in->ndocs; d++) {
		uint32_t first = out, len = 0;
		double norm = 0;

		c->start[d] = out;
		for (uint32_t p = in->doc_start[d]; p < in->doc_start[d + 1]; p++) {
			uint32_t t = newid[in->term[p]];
			if (t == DROPPED_TERM)
				continue;
			c->term[out] = t;
			c->count[out] = in->count[p];
			c->weight[out] = in->weight[p];
			c->df[t]++;
			norm += (double)in->weight[p] * in->weight[p];
			if (in->count[p] > CLUSTER_MAX_TOKENS - len)
				goto fail;
			len += in->count[p];
			out++;
		}
		if (norm > 0) {
			float inv = (float)(1.0 / sqrt(norm));
			for (uint32_t p = first; p < out; p++)
				c->weight[p] *= inv;
		}
		c->len[d] = len;
		c->nonempty += len > 0;
		if (len > c->max_len)
			c->max_len = len;
		total += len;
		if (total > CLUSTER_MAX_TOKENS)
			goto fail;
	}
	c->start[in->ndocs] = out;
	c->total = (uint32_t)total;
	free(newid);
	return AN_OK;
fail:
	free(newid);
	corpus_free(c);
	return err;
}

/* Sampler state for K clusters. */
struct dmm {
	const struct corpus *c;
	uint32_t K;
	uint32_t *z;        /* ndocs; NO_CLUSTER while unassigned */
	uint32_t *m;        /* K: documents per cluster */
	uint32_t *n;        /* K: tokens per cluster */
	uint32_t *nzw;      /* nterms * K, term-major: count of term in cluster */
	uint32_t *occ_start;/* nterms + 1: slice of occ for each term */
	uint32_t *occ_len;  /* nterms: used part of the slice */
	uint32_t *occ;      /* clusters where the term occurs, in no order */
	double *log_m;      /* log(i + alpha), i <= ndocs */
	double *cum_b;      /* sum_{j<i} log(j + beta), i <= total + 1 */
	double *cum_vb;     /* sum_{j<i} log(j + V beta), i <= total + max_len */
	double *gain;       /* K scratch, all zero between documents */
	double *score;      /* K scratch */
	uint32_t *cand;     /* K scratch */
};

static void dmm_free(struct dmm *s)
{
	free(s->z);
	free(s->m);
	free(s->n);
	free(s->nzw);
	free(s->occ_start);
	free(s->occ_len);
	free(s->occ);
	free(s->log_m);
	free(s->cum_b);
	free(s->cum_vb);
	free(s->gain);
	free(s->score);
	free(s->cand);
	memset(s, 0, sizeof(*s));
}

/* Empty sampler state for K clusters with word smoothing `beta`, and its
 * log tables.  Returns AN_OK or AN_ENOMEM (and *s zeroed). */
static int dmm_init(struct dmm *s, const struct corpus *c, uint32_t K, double beta)
{
	size_t nb = (size_t)c->total + 2;
	size_t nvb = (size_t)c->total + c->max_len + 1;
	size_t V = c->nterms ? c->nterms : 1;
	double vbeta = (double)V * beta;   /* > 0, so every log is finite */

	assert(K > 0);
	memset(s, 0, sizeof(*s));
	s->c = c;
	s->K = K;
	s->z = malloc((c->ndocs ? c->ndocs : 1) * sizeof(*s->z));
	s->m = calloc(K, sizeof(*s->m));
	s->n = calloc(K, sizeof(*s->n));
	s->nzw = calloc(V * K, sizeof(*s->nzw));
	s->occ_start = malloc((V + 1) * sizeof(*s->occ_start));
	s->occ_len = calloc(V, sizeof(*s->occ_len));
	s->log_m = malloc(((size_t)c->ndocs + 1) * sizeof(*s->log_m));
	s->cum_b = malloc(nb * sizeof(*s->cum_b));
	s->cum_vb = malloc(nvb * sizeof(*s->cum_vb));
	s->gain = calloc(K, sizeof(*s->gain));
	s->score = malloc(K * sizeof(*s->score));
	s->cand = malloc(K * sizeof(*s->cand));
	if (!s->z || !s->m || !s->n || !s->nzw || !s->occ_start || !s->occ_len ||
	    !s->log_m || !s->cum_b || !s->cum_vb || !s->gain || !s->score || !s->cand)
		goto fail;

	/* A term occurs in at most min(K, df) clusters at any time. */
	size_t total_occ = 0;
	for (uint32_t t = 0; t < c->nterms; t++) {
		s->occ_start[t] = (uint32_t)total_occ;
		total_occ += c->df[t] < K ? c->df[t] : K;
	}
	s->occ_start[c->nterms] = (uint32_t)total_occ;
	s->occ = malloc((total_occ ? total_occ : 1) * sizeof(*s->occ));
	if (!s->occ)
		goto fail;

	for (uint32_t d = 0; d < c->ndocs; d++)
		s->z[d] = NO_CLUSTER;
	for (size_t i = 0; i <= c->ndocs; i++)
		s->log_m[i] = log((double)i + DMM_ALPHA);
	s->cum_b[0] = 0;
	for (size_t i = 0; i + 1 < nb; i++)
		s->cum_b[i + 1] = s->cum_b[i] + log((double)i + beta);
	s->cum_vb[0] = 0;
	for (size_t i = 0; i + 1 < nvb; i++)
		s->cum_vb[i + 1] = s->cum_vb[i] + log((double)i + vbeta);
	return AN_OK;
fail:
	dmm_free(s);
	return AN_ENOMEM;
}

/* Take document d out of its cluster (if any) and put it in `to` (unless
 * NO_CLUSTER), keeping every count and occurrence list exact. */
static void dmm_move(struct dmm *s, uint32_t d, uint32_t to)
{
	const struct corpus *c = s->c;
	uint32_t from = s->z[d];

	if (from != NO_CLUSTER) {
		assert(s->m[from] > 0 && s->n[from] >= c->len[d]);
		s->m[from]--;
		s->n[from] -= c->len[d];
		for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++) {
			uint32_t t = c->term[p];
			uint32_t *cnt = &s->nzw[(size_t)t * s->K + from];
			assert(*cnt >= c->count[p]);
			*cnt -= c->count[p];
			if (*cnt > 0)
				continue;
			uint32_t *occ = s->occ + s->occ_start[t];
			uint32_t i = 0;
			while (occ[i] != from)
				i++;
			assert(i < s->occ_len[t]);
			occ[i] = occ[--s->occ_len[t]];
		}
	}
	s->z[d] = to;
	if (to != NO_CLUSTER) {
		s->m[to]++;
		s->n[to] += c->len[d];
		for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++) {
			uint32_t t = c->term[p];
			uint32_t *cnt = &s->nzw[(size_t)t * s->K + to];
			if (*cnt == 0) {
				assert(s->occ_start[t] + s->occ_len[t] < s->occ_start[t + 1]);
				s->occ[s->occ_start[t] + s->occ_len[t]++] = to;
			}
			*cnt += c->count[p];
		}
	}
}

/*
 * Score unassigned document d against every non-empty cluster and, when
 * `with_empty`, against one empty cluster standing for all of them (empty
 * clusters all score the same).  Fills s->cand and s->score (log of the
 * unnormalised probability, up to a constant shared by all clusters);
 * returns the count and the number of empty clusters in *nempty.
 *
 * A term absent from a cluster contributes the same factor everywhere, so
 * only clusters where the term occurs get a (sparse) gain on top of the
 * per-cluster base score.
 */
static uint32_t dmm_score(struct dmm *s, uint32_t d, int with_empty, uint32_t *nempty)
{
	const struct corpus *c = s->c;
	const double *cum_b = s->cum_b;
	uint32_t L = c->len[d], ncand = 0, empties = 0;
	double *gain = s->gain;

	for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++) {
		uint32_t t = c->term[p], cnt = c->count[p];
		const uint32_t *occ = s->occ + s->occ_start[t];
		const uint32_t *row = s->nzw + (size_t)t * s->K;
		double absent = cum_b[cnt];
		for (uint32_t i = 0; i < s->occ_len[t]; i++) {
			uint32_t k = occ[i], nw = row[k];
			gain[k] += cum_b[nw + cnt] - cum_b[nw] - absent;
		}
	}
	for (uint32_t k = 0; k < s->K; k++) {
		uint32_t n = s->n[k];
		if (s->m[k] == 0 && (empties++ > 0 || !with_empty))
			continue;
		s->cand[ncand] = k;
		s->score[ncand++] = s->log_m[s->m[k]] - (s->cum_vb[n + L] - s->cum_vb[n]) + gain[k];
		gain[k] = 0;
	}
	*nempty = empties;
	return ncand;
}

/*
 * e^x for x in (-SAMPLE_CUTOFF, 0] with a relative error below 2e-7.
 * libm's exp() took a sixth of a whole run, and drawing a cluster needs
 * no more precision.  x log2(e) is split into an integer power of two,
 * put straight into the exponent bits, and a fraction in [-1/2, 1/2]
 * whose 2^f comes from a degree-6 polynomial.
 */
static double sample_exp(double x)
{
	double t = x * 1.4426950408889634;   /* log2(e) */
	/* t <= 0, so truncating t - 1/2 rounds t to the nearest integer. */
	int64_t whole = (int64_t)(t - 0.5);
	double f = t - (double)whole;
	/* Taylor series of 2^f; |f| <= 1/2 keeps the error below 2e-7. */
	double p = 1.0 + f * (0.6931471805599453 + f * (0.2402265069591007 +
		   f * (0.0555041086648216 + f * (0.0096181291076285 +
		   f * (0.0013333558146428 + f * 0.0001540353039338)))));
	uint64_t bits = (uint64_t)(whole + 1023) << 52;
	double scale;

	assert(x > -1000 && x <= 0);
	memcpy(&scale, &bits, sizeof(scale));
	return p * scale;
}

/* One Gibbs sweep over the documents that have terms.  Unassigned
 * documents (the first sweep) are added one by one, so the first sweep
 * grows clusters instead of starting from random noise. */
static void dmm_sweep(struct dmm *s, struct rng *r)
{
	const struct corpus *c = s->c;

	for (uint32_t d = 0; d < c->ndocs; d++) {
		if (c->len[d] == 0)
			continue;
		dmm_move(s, d, NO_CLUSTER);

		uint32_t nempty, ncand = dmm_score(s, d, 1, &nempty);
		double best = s->score[0], sum = 0;
		for (uint32_t i = 1; i < ncand; i++)
			if (s->score[i] > best)
				best = s->score[i];
		for (uint32_t i = 0; i < ncand; i++) {
			/* Below e^-16 (1e-7) a cluster is as good as never
			 * drawn, and skipping the exponential saves time. */
			double diff = s->score[i] - best;
			double p = diff > -SAMPLE_CUTOFF ? sample_exp(diff) : 0;
			if (s->m[s->cand[i]] == 0)
				p *= nempty;
			s->score[i] = p;
			sum += p;
		}
		double u = rng_double(r) * sum;
		uint32_t pick = ncand - 1;
		for (uint32_t i = 0; i < ncand; i++) {
			u -= s->score[i];
			if (u < 0) {
				pick = i;
				break;
			}
		}
		dmm_move(s, d, s->cand[pick]);
	}
}

/* Move unassigned document d to its most likely non-empty cluster (ties:
 * the lowest index); there must be one. */
static void dmm_assign_best(struct dmm *s, uint32_t d)
{
	uint32_t nempty, ncand = dmm_score(s, d, 0, &nempty);
	uint32_t best = 0;

	assert(ncand > 0);
	for (uint32_t i = 1; i < ncand; i++)
		if (s->score[i] > s->score[best])
			best = i;
	dmm_move(s, d, s->cand[best]);
}

/*
 * k auto: dissolve every cluster smaller than `min_size`, and then the
 * smallest ones until at most `keep` are left, giving their documents to
 * the most likely surviving cluster.  The largest cluster always survives,
 * so there is somewhere to go.  Returns AN_OK or AN_ENOMEM.
 */
static int dmm_dissolve_small(struct dmm *s, uint32_t min_size, uint32_t keep)
{
	const struct corpus *c = s->c;
	uint32_t largest = 0;

	assert(keep > 0);
	for (uint32_t k = 1; k < s->K; k++)
		if (s->m[k] > s->m[largest])
			largest = k;
	if (s->m[largest] == 0)
		return AN_OK;
	for (;;) {
		uint32_t big = 0;
		for (uint32_t k = 0; k < s->K; k++)
			big += s->m[k] >= min_size;
		if (big <= keep)
			break;
		min_size++;
	}
	/* Decide which clusters dissolve before moving anything, so a
	 * cluster is not rescued by documents from another dissolving one. */
	uint8_t *dissolve = calloc(s->K, 1);
	if (!dissolve)
		return AN_ENOMEM;
	for (uint32_t k = 0; k < s->K; k++)
		dissolve[k] = k != largest && s->m[k] > 0 && s->m[k] < min_size;
	for (uint32_t d = 0; d < c->ndocs; d++)
		if (s->z[d] != NO_CLUSTER && dissolve[s->z[d]])
			dmm_move(s, d, NO_CLUSTER);
	for (uint32_t d = 0; d < c->ndocs; d++)
		if (s->z[d] == NO_CLUSTER && c->len[d] > 0)
			dmm_assign_best(s, d);
	free(dissolve);
	return AN_OK;
}

/* Centroid rows are padded to a multiple of this many clusters, so the
 * inner loop has a fixed-size body the compiler turns into SIMD code. */
#define SKM_LANES 8

/* y[0..n) += a * x[0..n), n a multiple of SKM_LANES. */
static void skm_axpy(float *restrict y, const float *restrict x, float a, size_t n)
{
	assert(n % SKM_LANES == 0);
	for (size_t i = 0; i < n; i += SKM_LANES)
		for (size_t j = 0; j < SKM_LANES; j++)
			y[i + j] += a * x[i + j];
}

/*
 * Spherical k-means started from the partition in z (K clusters): centroids
 * are the normalised sums of the member vectors and each document moves to
 * the centroid with the largest cosine, for at most `iters` iterations.
 * Documents without terms keep their cluster.  *objective gets the total
 * cosine of the documents to their centroids.  Returns AN_OK or AN_ENOMEM (z untouched then).
 */
static int skm_refine(const struct corpus *c, uint32_t K, uint32_t *z, int iters,
		      double *objective)
{
	size_t stride = (K + SKM_LANES - 1) / SKM_LANES * SKM_LANES;
	size_t ncent = (size_t)(c->nterms ? c->nterms : 1) * stride;
	float *cent = malloc(ncent * sizeof(*cent));
	double *norm = malloc(stride * sizeof(*norm));
	float *sim = malloc(stride * sizeof(*sim));
	int err = AN_ENOMEM;

	*objective = 0;
	if (!cent || !norm || !sim)
		goto fail;
	for (int it = 0; it < iters; it++) {
		memset(cent, 0, ncent * sizeof(*cent));
		for (uint32_t d = 0; d < c->ndocs; d++)
			for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++)
				cent[c->term[p] * stride + z[d]] += c->weight[p];
		for (size_t k = 0; k < stride; k++)
			norm[k] = 0;
		for (uint32_t t = 0; t < c->nterms; t++) {
			const float *row = cent + t * stride;
			for (size_t k = 0; k < stride; k++)
				norm[k] += (double)row[k] * row[k];
		}
		for (size_t k = 0; k < stride; k++)
			sim[k] = norm[k] > 0 ? (float)(1.0 / sqrt(norm[k])) : 0;
		for (uint32_t t = 0; t < c->nterms; t++) {
			float *row = cent + t * stride;
			for (size_t k = 0; k < stride; k++)
				row[k] *= sim[k];
		}

		size_t moved = 0;
		*objective = 0;
		for (uint32_t d = 0; d < c->ndocs; d++) {
			if (c->start[d] == c->start[d + 1])
				continue;
			memset(sim, 0, stride * sizeof(*sim));
			for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++)
				skm_axpy(sim, cent + c->term[p] * stride, c->weight[p], stride);
			uint32_t best = z[d];
			for (uint32_t k = 0; k < K; k++)
				if (sim[k] > sim[best])
					best = k;
			*objective += sim[best];
			if (best != z[d]) {
				z[d] = best;
				moved++;
			}
		}
		if (moved == 0)
			break;
	}
	err = AN_OK;
fail:
	free(cent);
	free(norm);
	free(sim);
	return err;
}

/* Cosine of each document to its cluster's centroid, into fit[].
 * Returns AN_OK or AN_ENOMEM. */
static int fit_to_centroid(const struct corpus *c, uint32_t K, const uint32_t *z,
			   double *fit)
{
	double *cent = calloc((size_t)(c->nterms ? c->nterms : 1) * K, sizeof(*cent));
	double *norm = calloc(K, sizeof(*norm));
	int err = AN_ENOMEM;

	if (!cent || !norm)
		goto fail;
	for (uint32_t d = 0; d < c->ndocs; d++)
		for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++)
			cent[(size_t)c->term[p] * K + z[d]] += c->weight[p];
	for (uint32_t t = 0; t < c->nterms; t++) {
		const double *row = cent + (size_t)t * K;
		for (uint32_t k = 0; k < K; k++)
			norm[k] += row[k] * row[k];
	}
	for (uint32_t d = 0; d < c->ndocs; d++) {
		double dot = 0;
		for (uint32_t p = c->start[d]; p < c->start[d + 1]; p++)
			dot += c->weight[p] * cent[(size_t)c->term[p] * K + z[d]];
		fit[d] = norm[z[d]] > 0 ? dot / sqrt(norm[z[d]]) : 0;
	}
	err = AN_OK;
fail:
	free(cent);
	free(norm);
	return err;
}

/* A sort key with the index as tie-break, since qsort is not stable and
 * has no context argument (the server clusters from several threads). */
struct keyed {
	double key;
	uint32_t index;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * k fixed: give every empty cluster among the K one document, taking the
 * documents that fit their own (non-singleton) cluster worst first.
 * Needs K <= ndocs.  Returns AN_OK or AN_ENOMEM.
 */
static int fill_empty(const struct corpus *c, uint32_t K, uint32_t *z)
{
	uint32_t *size = calloc(K, sizeof(*size));
	double *fit = malloc((c->ndocs ? c->ndocs : 1) * sizeof(*fit));
	struct keyed *order = malloc((c->ndocs ? c->ndocs : 1) * sizeof(*order));
	int err = AN_ENOMEM;

	assert(K <= c->ndocs);
	if (!size || !fit || !order)
		goto fail;
	for (uint32_t d = 0; d < c->ndocs; d++)
		size[z[d]]++;
	uint32_t k = 0;
	while (k < K && size[k] > 0)
		k++;
	if (k < K) {
		err = fit_to_centroid(c, K, z, fit);
		if (err)
			goto fail;
		for (uint32_t d = 0; d < c->ndocs; d++)
			order[d] = (struct keyed){ fit[d], d };
		qsort(order, c->ndocs, sizeof(*order), keyed_cmp);
		for (uint32_t i = 0; i < c->ndocs && k < K; i++) {
			uint32_t d = order[i].index;
			if (size[z[d]] < 2)
				continue;
			size[z[d]]--;
			z[d] = k;
			size[k]++;
			while (k < K && size[k] > 0)
				k++;
		}
	}
	assert(k == K);
	err = AN_OK;
fail:
	free(size);
	free(fit);
	free(order);
	return err;
}

/* Renumber clusters by size, largest first (ties: earliest document), drop
 * empty ones, and put the number left in *used.  Returns AN_OK or
 * AN_ENOMEM (z untouched then). */
static int number_by_size(uint32_t *z, uint32_t ndocs, uint32_t K, unsigned *used)
{
	uint32_t *size = calloc(K, sizeof(*size));
	uint32_t *renum = malloc(K * sizeof(*renum));
	struct keyed *order = malloc(K * sizeof(*order));
	int err = AN_ENOMEM;

	*used = 0;
	if (!size || !renum || !order)
		goto fail;
	for (uint32_t k = 0; k < K; k++)
		renum[k] = UINT32_MAX;
	for (uint32_t d = 0; d < ndocs; d++) {
		if (size[z[d]]++ == 0)
			renum[z[d]] = d;
	}
	for (uint32_t k = 0; k < K; k++) {
		/* Size first, then first document; exact in a double since
		 * both parts are below 2^32. */
		order[k].key = -(double)size[k] * 4294967296.0 + renum[k];
		order[k].index = k;
	}
	qsort(order, K, sizeof(*order), keyed_cmp);
	for (uint32_t i = 0; i < K && size[order[i].index] > 0; i++)
		renum[order[i].index] = (*used)++;
	for (uint32_t d = 0; d < ndocs; d++)
		z[d] = renum[z[d]];
	err = AN_OK;
fail:
	free(size);
	free(renum);
	free(order);
	return err;
}

/* One clustering attempt.  Runs share nothing writable, so two can go in
 * parallel without changing any result. */
struct run {
	const struct corpus *c;
	uint32_t K;          /* clusters to start from */
	int auto_k;          /* dissolve small clusters afterwards */
	uint32_t keep;       /* k auto: at most this many clusters */
	double beta;
	uint32_t sweeps;     /* sampler sweeps */
	int skm_iters;       /* k-means iterations at most */
	uint64_t seed;
	uint32_t *assign;    /* out: ndocs entries < used; owned by the run */
	unsigned used;       /* out: number of clusters in assign */
	double objective;    /* out: k-means objective, higher is better */
	int err;             /* out: AN_OK or AN_ENOMEM */
};

static void run_one(struct run *run)
{
	const struct corpus *c = run->c;
	struct dmm s;
	struct rng r;
	uint32_t *assign = NULL;
	int err;

	err = dmm_init(&s, c, run->K, run->beta);
	if (err)
		goto fail;
	rng_init(&r, run->seed);
	for (uint32_t i = 0; i < run->sweeps; i++)
		dmm_sweep(&s, &r);
	if (run->auto_k) {
		err = dmm_dissolve_small(&s, cluster_auto_min_size(c->ndocs),
					 run->keep);
		if (err)
			goto fail;
	}

	uint32_t largest = 0;
	for (uint32_t k = 1; k < s.K; k++)
		if (s.m[k] > s.m[largest])
			largest = k;
	assign = s.z;
	s.z = NULL;
	dmm_free(&s);
	for (uint32_t d = 0; d < c->ndocs; d++)
		if (assign[d] == NO_CLUSTER)
			assign[d] = largest;
	err = number_by_size(assign, c->ndocs, run->K, &run->used);
	if (err)
		goto fail;
	err = skm_refine(c, run->used, assign, run->skm_iters, &run->objective);
	if (err)
		goto fail;
	run->assign = assign;
	run->err = AN_OK;
	return;
fail:
	dmm_free(&s);
	free(assign);
	run->assign = NULL;
	run->err = err;
}

struct run_batch {
	struct run *runs;
	size_t nruns, first;
};

/* Thread body: every second run, starting at batch->first. */
static void *run_every_other(void *arg)
{
	struct run_batch *batch = arg;

	for (size_t i = batch->first; i < batch->nruns; i += 2)
		run_one(&batch->runs[i]);
	return NULL;
}

/* Do all runs, two at a time when a second thread can be started. */
static void run_all(struct run *runs, size_t nruns)
{
	struct run_batch even = { runs, nruns, 0 }, odd = { runs, nruns, 1 };
	pthread_t helper;

	if (nruns > 1 && pthread_create(&helper, NULL, run_every_other, &odd) == 0) {
		run_every_other(&even);
		pthread_join(helper, NULL);
		return;
	}
	for (size_t i = 0; i < nruns; i++)
		run_one(&runs[i]);
}

/* The index of the run with the best objective; ties go to the lowest. */
static size_t best_run(const struct run *runs, size_t nruns)
{
	size_t best = 0;

	for (size_t i = 1; i < nruns; i++)
		if (runs[i].objective > runs[best].objective)
			best = i;
	return best;
}

/* Do all runs and return the first error, or AN_OK. */
static int run_all_checked(struct run *runs, size_t nruns)
{
	run_all(runs, nruns);
	for (size_t i = 0; i < nruns; i++)
		if (runs[i].err)
			return runs[i].err;
	return AN_OK;
}

/* Sampler sweeps per run over c with K clusters: DMM_VISIT_BUDGET document
 * visits, for fixed k also at most FIXED_CLUSTER_VISITS per cluster. */
static uint32_t run_sweeps(const struct corpus *c, uint32_t K, int auto_k)
{
	if (c->nonempty == 0)
		return DMM_MAX_SWEEPS;
	double want = DMM_VISIT_BUDGET / c->nonempty;
	uint32_t least = DMM_MIN_SWEEPS;
	if (!auto_k) {
		double per_cluster = FIXED_CLUSTER_VISITS * K / c->nonempty;
		if (per_cluster < want)
			want = per_cluster;
		least = FIXED_MIN_SWEEPS;
	}
	return want > DMM_MAX_SWEEPS ? DMM_MAX_SWEEPS :
	       want < least ? least : (uint32_t)want;
}

uint32_t cluster_auto_min_size(size_t ndocs)
{
	uint32_t share = (uint32_t)((double)ndocs * AUTO_MIN_SHARE);

	return share > AUTO_MIN_SIZE ? share : AUTO_MIN_SIZE;
}

enum an_err cluster_run(const struct cluster_input *in, const struct cluster_opts *opts,
		struct cluster_result *out)
{
	struct run runs[MAX_RUNS] = { 0 };
	size_t nruns = 0, best = 0;
	struct corpus c;
	uint32_t *assign = NULL;
	int err;

	if (!out)
		return AN_EINVAL;
	out->k = 0;
	out->assign = NULL;
	if (!in || !opts || !input_valid(in))
		return AN_EINVAL;
	if (in->ndocs == 0)
		return AN_OK;
	err = corpus_build(&c, in);
	if (err)
		return err;

	uint32_t keep = opts->k_max ? opts->k_max : CLUSTER_AUTO_K_MAX;
	uint32_t K = opts->k ? opts->k : keep > AUTO_K_START ? keep : AUTO_K_START;
	if (K > c.ndocs)
		K = c.ndocs;
	if ((size_t)c.nterms * K > CLUSTER_MAX_CELLS) {
		err = AN_ETOOBIG;
		goto fail;
	}

	if (opts->k == 0) {
		runs[0] = (struct run){ .c = &c, .K = K, .auto_k = 1, .keep = keep,
					.beta = AUTO_BETA, .sweeps = run_sweeps(&c, K, 1),
					.skm_iters = SKM_ITERS,
					.seed = opts->seed };
		nruns = 1;
		err = run_all_checked(runs, nruns);
	} else {
		int fine = c.nonempty >= (size_t)K * FINE_MIN_DOCS_PER_CLUSTER &&
			   c.nonempty < (size_t)K * FINE_MAX_DOCS_PER_CLUSTER;
		const double *beta = fine ? fine_beta : broad_beta;
		uint32_t sweeps = run_sweeps(&c, K, 0);
		nruns = RUN_SWEEP_BUDGET / sweeps;
		nruns = nruns < NBETAS ? NBETAS : nruns > MAX_RUNS ? MAX_RUNS : nruns;
		int iters = nruns > NBETAS ? SKM_CANDIDATE_ITERS : SKM_ITERS;
		for (size_t i = 0; i < nruns; i++)
			runs[i] = (struct run){ .c = &c, .K = K,
						.beta = run_beta(beta, i),
						.sweeps = sweeps, .skm_iters = iters,
						.seed = opts->seed + i };
		err = run_all_checked(runs, nruns);
		if (!err)
			best = best_run(runs, nruns);
	}
	if (err)
		goto fail;

	assign = runs[best].assign;
	runs[best].assign = NULL;
	if (runs[best].skm_iters < SKM_ITERS) {
		double objective;
		err = skm_refine(&c, runs[best].used, assign, SKM_ITERS, &objective);
		if (err)
			goto fail;
	}
	if (opts->k > 0) {
		err = fill_empty(&c, K, assign);
		if (err)
			goto fail;
	}
	err = number_by_size(assign, c.ndocs, K, &out->k);
	if (err)
		goto fail;
	out->assign = assign;
	assign = NULL;
fail:
	for (size_t i = 0; i < nruns; i++)
		free(runs[i].assign);
	free(assign);
	corpus_free(&c);
	return err;
}

void cluster_result_free(struct cluster_result *r)
{
	if (!r)
		return;
	free(r->assign);
	r->assign = NULL;
	r->k = 0;
}

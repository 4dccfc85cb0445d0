/*
 * cluster.h - theme discovery: clustering of short answers.
 *
 * The caller (the analysis pipeline) turns each answer into a sparse bag of
 * term ids; this module groups the bags into clusters.  Short texts share
 * few words, so the method is one made for them: a Dirichlet multinomial
 * mixture sampled like GSDMM (one topic per document), refined by spherical
 * k-means on the TF-IDF vectors.  All randomness comes from an internal
 * PRNG seeded by opts->seed, so the same input and seed always give the
 * same assignment (also when two threads are used internally).
 */
#ifndef INSPEL_CLUSTER_H
#define INSPEL_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include "core/an_err.h"

/*
 * A document-term matrix in compressed sparse row form.  Nothing is owned:
 * the arrays belong to the caller and must outlive cluster_run().
 */
struct cluster_input {
	size_t ndocs, nterms;
	const uint32_t *doc_start;  /* ndocs + 1 offsets into term/count/weight */
	const uint32_t *term;       /* term ids < nterms, strictly ascending within a doc */
	const uint32_t *count;      /* raw term frequency in the doc */
	const float *weight;        /* sublinear TF-IDF, L2-normalised per doc */
	const uint32_t *df;         /* nterms: number of docs containing the term (within this input) */
};

/* k auto: the default upper bound on the number of clusters. */
#define CLUSTER_AUTO_K_MAX 15

struct cluster_opts {
	unsigned k;      /* number of clusters; 0 = choose automatically */
	unsigned k_max;  /* upper bound for the automatic choice; 0 = CLUSTER_AUTO_K_MAX */
	uint64_t seed;   /* PRNG seed; same input + seed = same result */
};

struct cluster_result {
	unsigned k;
	uint32_t *assign;  /* ndocs entries, cluster index < k; clusters are numbered by size, largest first */
};

/*
 * k auto: the smallest cluster kept for an input of `ndocs` documents (4%
 * of them, at least 2).  Pure function, no errors.
 */
uint32_t cluster_auto_min_size(size_t ndocs);

/*
 * Cluster `in` into exactly min(opts->k, ndocs) clusters, or, when opts->k
 * is 0, into an automatically chosen number between 1 and k_max (clusters
 * smaller than cluster_auto_min_size(ndocs) are merged away).  Terms with df < 2 are
 * ignored, and documents without (other) terms are valid: they join the
 * largest cluster.  Every cluster index 0..out->k-1 is used.  For
 * ndocs == 0, out->k is 0 and out->assign is NULL.  Safe to call from
 * several threads at once.
 *
 * Returns AN_OK, AN_EINVAL (NULL pointers; arrays may be NULL only when
 * they would be empty; offsets not starting at 0 or decreasing; a term id
 * >= nterms or not strictly ascending within a document; a zero count; a
 * non-finite weight), AN_ETOOBIG (more than 2^28 tokens, or more than 2^25
 * terms-with-df>=2 times clusters, which bounds memory) or AN_ENOMEM.  On
 * error *out is { 0, NULL }.  On success the caller owns out->assign and
 * frees it with cluster_result_free().
 */
enum an_err cluster_run(const struct cluster_input *in, const struct cluster_opts *opts,
		struct cluster_result *out);

/* Free out->assign and reset *r to { 0, NULL }; safe on a zeroed result. */
void cluster_result_free(struct cluster_result *r);

#endif

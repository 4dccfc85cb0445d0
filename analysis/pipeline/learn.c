/*
 * learn.c - given themes learn from the answers and from people (learn.h).
 *
 * Dense tables per theme and term (counts and word scores) keep every EM
 * round to plain loops over the answers' words; they cost themes x terms
 * floats, which for the 64 themes a run may have and 60,000 terms is 15 MB
 * each.  Answers' words ("context": terms minus numbers and minus what their
 * seeds covered) are gathered once into one array.
 */
#include "pipeline/learn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"

#define MIN_RESP 0.05   /* responsibilities below this add nothing to a theme's counts */

/* What an answer is to the learner. */
enum role {
	ROLE_OPEN,      /* no seed matched: EM may give it a theme */
	ROLE_SEED,      /* seeds matched: EM may change its primary theme */
	ROLE_PERSON,    /* a decision placed it: an example, never changed */
	ROLE_NONE,      /* a decision said it fits no theme: left alone */
};

struct learner {
	const struct learn_input *in;
	struct analysis_assignment *assign;
	struct learn_result *out;
	size_t n, k, v;
	uint8_t *role;
	uint32_t *ctx_start, *ctx;       /* each answer's words */
	float *resp;                     /* n x k: the answers' theme responsibilities */
	float *cnt;                      /* k x v: weighted answers of a theme with a word */
	float *anchor;                   /* k x v: the same, from answers seeds or people placed only */
	float *g;                        /* k x v: the word's score for the theme (learn.h) */
	double *total;                   /* k: words counted in each theme */
	double *inv_background;          /* v: 1 / p_B(w) */
	double *ll;                      /* k + 1: scratch, one answer's scores */
	double *log_prior, log_none;     /* mixture weights (log) */
	uint32_t *best;                  /* answer -> its current best theme, UINT32_MAX for none */
	double *post;                    /* answer -> that theme's posterior */
};

static int is_covered(const struct learn_input *in, size_t d, uint32_t t)
{
	uint32_t i;

	for (i = in->cover_start[d]; i < in->cover_start[d + 1]; i++)
		if (in->cover[i] == t)
			return 1;
	return 0;
}

static int has_human(const struct analysis_assignment *as)
{
	size_t m;

	for (m = 0; m < as->nmatches; m++)
		if (as->matches[m].human)
			return 1;
	return 0;
}

/* Roles and words of every answer; the background distribution. */
static int gather(struct learner *l)
{
	const struct corpus_matrix *m = l->in->m;
	size_t d, x, nnz = 0, sum = 0, used = 0;

	l->role = malloc(l->n ? l->n : 1);
	l->ctx_start = malloc((l->n + 1) * sizeof(*l->ctx_start));
	l->ctx = malloc((m->doc_start[l->n] ? m->doc_start[l->n] : 1) * sizeof(*l->ctx));
	l->inv_background = malloc((l->v ? l->v : 1) * sizeof(*l->inv_background));
	if (!l->role || !l->ctx_start || !l->ctx || !l->inv_background)
		return AN_ENOMEM;
	for (d = 0; d < l->n; d++) {
		const struct analysis_assignment *as = &l->assign[d];

		l->role[d] = as->human_none ? ROLE_NONE : has_human(as) ? ROLE_PERSON
			   : as->nmatches ? ROLE_SEED : ROLE_OPEN;
		l->ctx_start[d] = (uint32_t)nnz;
		for (x = m->doc_start[d]; x < m->doc_start[d + 1]; x++) {
			uint32_t t = m->term[x];

			if (l->in->skip[t] || (l->role[d] == ROLE_SEED && is_covered(l->in, d, t)))
				continue;
			l->ctx[nnz++] = t;
		}
	}
	l->ctx_start[l->n] = (uint32_t)nnz;
	for (x = 0; x < l->v; x++)
		if (!l->in->skip[x] && m->df[x]) {
			sum += m->df[x];
			used++;
		}
	/* Smoothed by half an answer, so every word has some background. */
	for (x = 0; x < l->v; x++)
		l->inv_background[x] = ((double)sum + 0.5 * (double)used + 1.0) / ((double)(l->in->skip[x] ? 0 : m->df[x]) + 0.5);
	return AN_OK;
}

/* The themes the seeds matched, weighted: LEARN_SEED times the score over the best score. */
static double seed_bonus(const struct analysis_assignment *as, uint32_t theme)
{
	double top = 0;
	size_t m;

	for (m = 0; m < as->nmatches; m++)
		if (as->matches[m].score > top)
			top = as->matches[m].score;
	for (m = 0; m < as->nmatches; m++)
		if (as->matches[m].theme == theme)
			return top > 0 ? LEARN_SEED * as->matches[m].score / top : LEARN_SEED;
	return 0;
}

/*
 * ln(p_T / p_B) for a word counted c times among a theme's `total` words
 * with background probability p_B (given as 1 / p_B), where p_T = (c + total p_B) / (2 total)
 * is the theme's word probability smoothed half toward the background:
 * ln((lift + 1) / 2) (learn.h).  A theme that has seen no words gives every
 * word half its background probability, like a word it never saw.
 */
static double score(double c, double total, double inv_background)
{
	if (total <= 1e-9)
		return log(0.5);
	if (c < 1e-6)
		c = 0;
	return log((c * inv_background + total) / (2.0 * total));
}

/*
 * M step: each theme's word counts from the responsibilities (people's
 * examples with their fixed weight), the words' scores (learn.h) and the
 * mixture weights, each theme's smoothed by one answer.
 */
static void maximise(struct learner *l)
{
	size_t d, t, i;
	double mass_sum = 0;
	double *mass = l->ll;   /* k entries of scratch */

	memset(l->cnt, 0, l->k * l->v * sizeof(*l->cnt));
	memset(l->anchor, 0, l->k * l->v * sizeof(*l->anchor));
	memset(l->total, 0, l->k * sizeof(*l->total));
	memset(mass, 0, l->k * sizeof(*mass));
	for (d = 0; d < l->n; d++) {
		const float *r = &l->resp[d * l->k];

		if (l->role[d] == ROLE_NONE)
			continue;
		for (t = 0; t < l->k; t++) {
			if (r[t] < MIN_RESP)
				continue;
			mass[t] += r[t];
			for (i = l->ctx_start[d]; i < l->ctx_start[d + 1]; i++) {
				l->cnt[t * l->v + l->ctx[i]] += r[t];
				if (l->role[d] != ROLE_OPEN)
					l->anchor[t * l->v + l->ctx[i]] += r[t];
			}
			l->total[t] += r[t] * (double)(l->ctx_start[d + 1] - l->ctx_start[d]);
		}
	}
	for (t = 0; t < l->k; t++) {
		const float *c = &l->cnt[t * l->v];
		float *g = &l->g[t * l->v];

		/* Most words are unseen in a theme: their score is ln(1/2), no logarithm needed. */
		for (i = 0; i < l->v; i++)
			g[i] = c[i] > 0 ? (float)score(c[i], l->total[t], l->inv_background[i]) : (float)-M_LN2;
		mass_sum += mass[t];
	}
	for (t = 0; t < l->k; t++)
		l->log_prior[t] = log((1.0 - LEARN_NONE_PRIOR) * (mass[t] + 1.0) / (mass_sum + (double)l->k));
	l->log_none = log(LEARN_NONE_PRIOR);
}

/*
 * The score of word w, in answer d, for theme t.  The answer's own share
 * of the counts is left out (leave-one-out), so an answer never vouches for
 * itself: what speaks for a theme is what the other answers in it say.
 */
static double word_score(const struct learner *l, size_t d, size_t t, uint32_t w)
{
	double r = l->resp[d * l->k + t];

	if (r < MIN_RESP || l->role[d] == ROLE_PERSON)
		return l->g[t * l->v + w];
	return score((double)l->cnt[t * l->v + w] - r,
		     l->total[t] - r * (double)(l->ctx_start[d + 1] - l->ctx_start[d]), l->inv_background[w]);
}

/* ll[0..k) for answer d: the sum of its words' scores per theme. */
static void word_scores(const struct learner *l, size_t d)
{
	size_t t, i;

	for (t = 0; t < l->k; t++) {
		const float *g = &l->g[t * l->v];
		double s = 0;

		/* Most themes hold no share of the answer: plain sums of the table. */
		if (l->resp[d * l->k + t] < MIN_RESP || l->role[d] == ROLE_PERSON) {
			for (i = l->ctx_start[d]; i < l->ctx_start[d + 1]; i++)
				s += g[l->ctx[i]];
		} else {
			for (i = l->ctx_start[d]; i < l->ctx_start[d + 1]; i++)
				s += word_score(l, d, t, l->ctx[i]);
		}
		l->ll[t] = s;
	}
}

/*
 * How much answer d's words speak for theme t: the sum of the scores above
 * 0 of those words that at least one other answer seeds or a person put in
 * t also has.  Learning stays anchored to the seeds that way: words only
 * learned answers share (a few answers about another subject that one
 * seed happened to match) never carry a theme on to more answers.
 */
static double support(const struct learner *l, size_t d, size_t t)
{
	double pos = 0, r = l->resp[d * l->k + t], v;
	size_t i;

	for (i = l->ctx_start[d]; i < l->ctx_start[d + 1]; i++) {
		uint32_t w = l->ctx[i];

		if ((double)l->anchor[t * l->v + w] - (l->role[d] == ROLE_SEED && r >= MIN_RESP ? r : 0) < 1.0 - 1e-6)
			continue;
		if ((v = word_score(l, d, t, w)) > 0)
			pos += v;
	}
	return pos;
}

/*
 * E step for answer d: its responsibilities and its best theme
 * (UINT32_MAX: none) with that theme's posterior in *post.  Seed answers
 * choose among the themes with their seed evidence added and no mixture
 * weights (the seeds, not a theme's size, speak); ties keep the seeds'
 * own order.  Open answers also weigh "none".
 */
static uint32_t expect(struct learner *l, size_t d, double *post)
{
	const struct analysis_assignment *as = &l->assign[d];
	float *r = &l->resp[d * l->k];
	double top, z = 0;
	uint32_t best = UINT32_MAX;
	size_t t;

	word_scores(l, d);
	if (l->role[d] == ROLE_SEED) {
		for (t = 0; t < l->k; t++)
			l->ll[t] += seed_bonus(as, (uint32_t)t);
		best = as->matches[0].theme;
		top = l->ll[best];
		for (t = 0; t < l->k; t++)
			if (l->ll[t] > top) {
				top = l->ll[t];
				best = (uint32_t)t;
			}
	} else {
		top = l->log_none;
		for (t = 0; t < l->k; t++) {
			l->ll[t] += l->log_prior[t];
			if (l->ll[t] > top) {
				top = l->ll[t];
				best = (uint32_t)t;
			}
		}
		z = exp(l->log_none - top);
	}
	for (t = 0; t < l->k; t++)
		z += exp(l->ll[t] - top);
	for (t = 0; t < l->k; t++)
		r[t] = (float)(exp(l->ll[t] - top) / z);
	*post = best == UINT32_MAX ? exp(l->log_none - top) / z : r[best];
	/*
	 * Only the words that speak for a theme can put an open answer there,
	 * not the theme's size; an open answer that joins no theme adds to no
	 * theme's counts either, or two such answers would vouch for each other.
	 */
	if (l->role[d] == ROLE_OPEN &&
	    (best == UINT32_MAX || *post < LEARN_TAKE || support(l, d, best) < LEARN_MIN_SUPPORT)) {
		memset(r, 0, l->k * sizeof(*r));
		return UINT32_MAX;
	}
	return best;
}

/* Run EM until no answer changes its best theme, or LEARN_ROUNDS. */
static void fit(struct learner *l)
{
	size_t d, round;

	for (d = 0; d < l->n; d++) {
		const struct analysis_assignment *as = &l->assign[d];
		size_t m;

		l->best[d] = UINT32_MAX;
		if (l->role[d] == ROLE_SEED) {
			l->resp[d * l->k + as->matches[0].theme] = 1.0f;
			l->best[d] = as->matches[0].theme;
		} else if (l->role[d] == ROLE_PERSON) {
			for (m = 0; m < as->nmatches; m++)
				if (as->matches[m].human)
					l->resp[d * l->k + as->matches[m].theme] = (float)LEARN_HUMAN;
		}
	}
	for (round = 0; round < LEARN_ROUNDS; round++) {
		size_t moved = 0;

		maximise(l);
		for (d = 0; d < l->n; d++) {
			uint32_t best;
			double post;

			if (l->role[d] != ROLE_OPEN && l->role[d] != ROLE_SEED)
				continue;
			best = expect(l, d, &post);
			moved += best != l->best[d];
			l->best[d] = best;
			l->post[d] = post;
		}
		if (!moved && round > 0)
			break;
	}
	/* Counts from the final responsibilities, so what an answer's evidence leaves out is its own. */
	maximise(l);
}

/*
 * The words that spoke for theme t in answer d (score above 0, leaving the
 * answer's own count out; best first, ties: smaller term) into out->why,
 * and the share of the answer's TF-IDF weight on them, which is the
 * match's score.
 */
static float evidence(struct learner *l, size_t d, uint32_t t)
{
	const struct corpus_matrix *m = l->in->m;
	uint32_t why[LEARN_MAX_WHY];
	double val[LEARN_MAX_WHY], share = 0;
	size_t i, x, n = 0, j;

	for (i = l->ctx_start[d]; i < l->ctx_start[d + 1]; i++) {
		uint32_t w = l->ctx[i];
		double v = word_score(l, d, t, w);

		if (v <= 0)
			continue;
		/* Keep the LEARN_MAX_WHY best, in order: insertion into a tiny array. */
		for (j = n; j > 0 && (v > val[j - 1] || (v == val[j - 1] && w < why[j - 1])); j--)
			if (j < LEARN_MAX_WHY) {
				why[j] = why[j - 1];
				val[j] = val[j - 1];
			}
		if (j < LEARN_MAX_WHY) {
			why[j] = w;
			val[j] = v;
			if (n < LEARN_MAX_WHY)
				n++;
		}
		for (x = m->doc_start[d]; x < m->doc_start[d + 1]; x++)
			if (m->term[x] == w)
				share += (double)m->weight[x] * m->weight[x];
	}
	memcpy(l->out->why[d], why, n * sizeof(*why));
	l->out->nwhy[d] = (uint8_t)n;
	return (float)share;
}

/* Apply the fitted model: learned themes, new primaries, confidences. */
static int decide(struct learner *l)
{
	size_t d;
	double post;
	int err;

	for (d = 0; d < l->n; d++) {
		struct analysis_assignment *as = &l->assign[d];
		uint32_t best;

		switch (l->role[d]) {
		case ROLE_PERSON:
			l->out->how[d] = LEARN_PERSON;
			l->out->confidence[d] = 1.0f;
			continue;
		case ROLE_NONE:
			continue;
		default:
			break;
		}
		best = l->best[d];
		post = l->post[d];
		if (best == UINT32_MAX)
			continue;
		l->out->confidence[d] = (float)post;
		if (l->role[d] == ROLE_SEED && seed_bonus(as, best) > 0) {
			l->out->how[d] = LEARN_SEEDS;
			evidence(l, d, best);
			if (best != as->matches[0].theme && (err = apply_place(as, best, APPLY_PRIMARY, 0, 0)))
				return err;
			continue;
		}
		l->out->how[d] = LEARN_WORDS;
		if ((err = apply_place(as, best, APPLY_PRIMARY, evidence(l, d, best), 0)))
			return err;
	}
	return AN_OK;
}

/* Per theme, the learned words: counted at least twice, more typical of it than of all answers, by count times score. */
static int vocabulary(struct learner *l)
{
	size_t t, i;

	l->out->vocab = calloc(l->k ? l->k : 1, sizeof(*l->out->vocab));
	l->out->nvocab = calloc(l->k ? l->k : 1, sizeof(*l->out->nvocab));
	if (!l->out->vocab || !l->out->nvocab)
		return AN_ENOMEM;
	l->out->nthemes = l->k;
	for (t = 0; t < l->k; t++) {
		const float *c = &l->cnt[t * l->v], *g = &l->g[t * l->v];
		uint32_t *v = malloc(LEARN_VOCAB * sizeof(*v));
		size_t n = 0, j;

		if (!v)
			return AN_ENOMEM;
		l->out->vocab[t] = v;
		for (i = 0; i < l->v; i++) {
			double s = (double)c[i] * g[i];

			if (c[i] < 2.0f || g[i] <= 0)
				continue;
			for (j = n; j > 0 && (double)c[v[j - 1]] * g[v[j - 1]] < s; j--)
				if (j < LEARN_VOCAB)
					v[j] = v[j - 1];
			if (j < LEARN_VOCAB) {
				v[j] = (uint32_t)i;
				if (n < LEARN_VOCAB)
					n++;
			}
		}
		l->out->nvocab[t] = n;
	}
	return AN_OK;
}

/* ---- following people's examples ---- */

static double cosine(const struct corpus_matrix *m, size_t a, size_t b)
{
	size_t i = m->doc_start[a], j = m->doc_start[b];
	double dot = 0;

	while (i < m->doc_start[a + 1] && j < m->doc_start[b + 1]) {
		if (m->term[i] == m->term[j])
			dot += (double)m->weight[i++] * m->weight[j++];
		else if (m->term[i] < m->term[j])
			i++;
		else
			j++;
	}
	return dot;
}

/*
 * Each answer no decision placed follows its most similar example (cosine
 * at least LEARN_FOLLOW, ties: the earlier example): it leaves the themes
 * the example was taken out of and takes the example's placed themes, the
 * example's primary as its own primary.  Examples are found through their
 * rarest term: two answers with a cosine of 0.5 share weight on it.
 */
static int follow(struct learner *l)
{
	const struct corpus_matrix *m = l->in->m;
	size_t d, e, nex = 0, x;
	uint32_t *ex = NULL, *post_start = NULL, *post = NULL, *seen = NULL;
	int err = AN_ENOMEM;

	for (d = 0; d < l->n; d++)
		nex += l->role[d] == ROLE_PERSON || l->role[d] == ROLE_NONE;
	if (!nex)
		return AN_OK;
	ex = malloc(nex * sizeof(*ex));
	post_start = calloc(l->v + 1, sizeof(*post_start));
	seen = malloc(nex * sizeof(*seen));
	if (!ex || !post_start || !seen)
		goto out;
	for (d = 0, e = 0; d < l->n; d++)
		if (l->role[d] == ROLE_PERSON || l->role[d] == ROLE_NONE)
			ex[e++] = (uint32_t)d;
	/* Postings: term -> the examples with it (in example order). */
	for (e = 0; e < nex; e++)
		for (x = m->doc_start[ex[e]]; x < m->doc_start[ex[e] + 1]; x++)
			post_start[m->term[x] + 1]++;
	for (x = 0; x < l->v; x++)
		post_start[x + 1] += post_start[x];
	post = malloc((post_start[l->v] ? post_start[l->v] : 1) * sizeof(*post));
	if (!post)
		goto out;
	{
		uint32_t *fill = malloc((l->v ? l->v : 1) * sizeof(*fill));

		if (!fill)
			goto out;
		memcpy(fill, post_start, l->v * sizeof(*fill));
		for (e = 0; e < nex; e++)
			for (x = m->doc_start[ex[e]]; x < m->doc_start[ex[e] + 1]; x++)
				post[fill[m->term[x]]++] = (uint32_t)e;
		free(fill);
	}
	for (e = 0; e < nex; e++)
		seen[e] = UINT32_MAX;
	for (d = 0; d < l->n; d++) {
		struct analysis_assignment *as = &l->assign[d];
		const struct analysis_assignment *ea;
		double top = 0;
		uint32_t like = UINT32_MAX, p;
		uint64_t left;
		size_t mm;

		if (l->role[d] != ROLE_OPEN && l->role[d] != ROLE_SEED)
			continue;
		for (x = m->doc_start[d]; x < m->doc_start[d + 1]; x++)
			for (p = post_start[m->term[x]]; p < post_start[m->term[x] + 1]; p++) {
				uint32_t c = post[p];
				double cs;

				if (seen[c] == d)
					continue;
				seen[c] = (uint32_t)d;
				cs = cosine(m, d, ex[c]);
				if (cs >= LEARN_FOLLOW && (like == UINT32_MAX || cs > top || (cs == top && c < like))) {
					top = cs;
					like = c;
				}
			}
		if (like == UINT32_MAX)
			continue;
		e = ex[like];
		ea = &l->assign[e];
		/* The themes the example was taken out of: it had them before the decisions, not after. */
		left = l->in->before ? l->in->before[e] : 0;
		for (mm = 0; mm < ea->nmatches; mm++)
			left &= ~((uint64_t)1 << ea->matches[mm].theme);
		mm = as->nmatches;
		while (mm-- > 0)
			if ((left >> as->matches[mm].theme) & 1) {
				free(as->matches[mm].terms);
				memmove(&as->matches[mm], &as->matches[mm + 1], (as->nmatches - mm - 1) * sizeof(*as->matches));
				as->nmatches--;
			}
		/* A move (or adoption) made the example's primary theme; an "also" added the others. */
		if (ea->nmatches && ea->matches[0].human &&
		    (err = apply_place(as, ea->matches[0].theme, APPLY_PRIMARY, 0, 0)))
			goto out;
		for (mm = 1; mm < ea->nmatches; mm++)
			if (ea->matches[mm].human && (err = apply_place(as, ea->matches[mm].theme, APPLY_KEEP_RANK, 0, 0)))
				goto out;
		if (!as->nmatches) {
			free(as->matches);
			as->matches = NULL;
			l->out->how[d] = LEARN_NONE;
			l->out->confidence[d] = 0;
			continue;
		}
		l->out->how[d] = LEARN_FOLLOWED;
		l->out->confidence[d] = (float)(top > 1 ? 1 : top);
		l->out->like[d] = e;
	}
	err = AN_OK;
out:
	free(ex);
	free(post_start);
	free(post);
	free(seen);
	return err;
}

void learn_result_free(struct learn_result *r)
{
	size_t t;

	free(r->how);
	free(r->confidence);
	free(r->why);
	free(r->nwhy);
	free(r->like);
	if (r->vocab)
		for (t = 0; t < r->nthemes; t++)
			free(r->vocab[t]);
	free(r->vocab);
	free(r->nvocab);
	memset(r, 0, sizeof(*r));
}

enum an_err learn_run(const struct learn_input *in, struct analysis_assignment *assign, struct learn_result *out)
{
	struct learner l;
	size_t d;
	int err = AN_ENOMEM;

	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	l.in = in;
	l.assign = assign;
	l.out = out;
	l.n = in->m->ndocs;
	l.k = in->nthemes;
	l.v = in->m->nterms;
	out->how = calloc(l.n ? l.n : 1, sizeof(*out->how));
	out->confidence = calloc(l.n ? l.n : 1, sizeof(*out->confidence));
	out->why = malloc((l.n ? l.n : 1) * sizeof(*out->why));
	out->nwhy = calloc(l.n ? l.n : 1, sizeof(*out->nwhy));
	out->like = malloc((l.n ? l.n : 1) * sizeof(*out->like));
	if (!out->how || !out->confidence || !out->why || !out->nwhy || !out->like)
		goto out;
	for (d = 0; d < l.n; d++) {
		out->like[d] = UINT32_MAX;
		out->how[d] = assign[d].nmatches ? LEARN_SEEDS : LEARN_NONE;
	}
	if (!l.k) {
		err = AN_OK;
		goto out;
	}
	l.resp = calloc(l.n ? l.n * l.k : 1, sizeof(*l.resp));
	l.cnt = malloc(l.k * l.v * sizeof(*l.cnt) + 1);
	l.g = malloc(l.k * l.v * sizeof(*l.g) + 1);
	l.anchor = malloc(l.k * l.v * sizeof(*l.anchor) + 1);
	l.total = malloc(l.k * sizeof(*l.total));
	l.ll = malloc((l.k + 1) * sizeof(*l.ll));
	l.log_prior = malloc(l.k * sizeof(*l.log_prior));
	l.best = malloc((l.n ? l.n : 1) * sizeof(*l.best));
	l.post = calloc(l.n ? l.n : 1, sizeof(*l.post));
	if (!l.resp || !l.cnt || !l.g || !l.total || !l.ll || !l.log_prior || !l.best || !l.post ||
	    (err = gather(&l)))
		goto out;
	fit(&l);
	if ((err = decide(&l)) || (err = vocabulary(&l)) || (err = follow(&l)))
		goto out;
	err = AN_OK;
out:
	free(l.role);
	free(l.ctx_start);
	free(l.ctx);
	free(l.resp);
	free(l.cnt);
	free(l.g);
	free(l.anchor);
	free(l.total);
	free(l.inv_background);
	free(l.ll);
	free(l.log_prior);
	free(l.best);
	free(l.post);
	if (err)
		learn_result_free(out);
	return err;
}

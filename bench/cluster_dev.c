/*
 * cluster_dev.c - development driver for analysis/cluster.c.
 *
 * Reads one text per line, builds the sparse cluster_input that the real
 * pipeline would build (ASCII-lowercased tokens of letters, digits and
 * UTF-8 bytes, optional English stop words and Snowball stemming, sublinear
 * TF-IDF), runs cluster_run and prints one cluster index per line.  The
 * clustering time alone goes to stderr.  It lets clustering be tuned and
 * timed without the rest of inspel; its tokeniser is deliberately simple.
 *
 *   cluster_dev [-k N] [-s SEED] [-l english|swedish] [-r REPEAT] < texts.txt
 */
#include "core/an_err.h"
#include "bench_util.h"
#include "cluster/cluster.h"

#include <errno.h>
#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_TOKEN 64
#define MAX_LINE 65536

static const char *const english_stop[] = {
	"a", "about", "after", "all", "also", "am", "an", "and", "any", "are",
	"as", "at", "be", "been", "but", "by", "can", "could", "do", "does",
	"for", "from", "get", "had", "has", "have", "how", "i", "if", "in",
	"into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "one",
	"or", "other", "our", "so", "some", "than", "that", "the", "their",
	"them", "then", "there", "these", "they", "this", "to", "two", "up",
	"use", "using", "was", "way", "we", "were", "what", "when", "where",
	"which", "while", "who", "why", "will", "with", "would", "you", "your",
};

struct vocab {
	char **word;
	uint32_t *slot;      /* open addressing: word id + 1, 0 = free */
	size_t nwords, nslots;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void die(const char *msg)
{
	fprintf(stderr, "cluster_dev: %s\n", msg);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static uint32_t vocab_id(struct vocab *v, const char *w)
{
	if (2 * (v->nwords + 1) > v->nslots) {
		size_t n = v->nslots ? v->nslots * 2 : 1024;
		uint32_t *slot = calloc(n, sizeof(*slot));
		if (!slot)
			die("out of memory");
		for (size_t i = 0; i < v->nslots; i++) {
			if (!v->slot[i])
				continue;
			size_t j = hash_str(v->word[v->slot[i] - 1]) & (n - 1);
			while (slot[j])
				j = (j + 1) & (n - 1);
			slot[j] = v->slot[i];
		}
		free(v->slot);
		v->slot = slot;
		v->nslots = n;
	}
	size_t j = hash_str(w) & (v->nslots - 1);
	while (v->slot[j]) {
		if (strcmp(v->word[v->slot[j] - 1], w) == 0)
			return v->slot[j] - 1;
		j = (j + 1) & (v->nslots - 1);
	}
	v->word = xrealloc(v->word, (v->nwords + 1) * sizeof(*v->word));
	v->word[v->nwords] = strdup(w);
	if (!v->word[v->nwords])
		die("out of memory");
	v->slot[j] = (uint32_t)++v->nwords;
	return (uint32_t)(v->nwords - 1);
}

static int is_stop(const char *w)
{
	for (size_t i = 0; i < sizeof(english_stop) / sizeof(*english_stop); i++)
		if (strcmp(english_stop[i], w) == 0)
			return 1;
	return 0;
}

static int is_word_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch >= 0x80;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static unsigned long parse_ulong(const char *s)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end)
		die("bad number");
	return v;
}

int main(int argc, char **argv)
{
	struct cluster_opts opts = { 0, 0, 1 };
	const char *lang = NULL;
	unsigned long repeat = 1;
	int opt;

	while ((opt = getopt(argc, argv, "k:s:l:r:")) != -1) {
		switch (opt) {
		case 'k': opts.k = (unsigned)parse_ulong(optarg); break;
		case 's': opts.seed = parse_ulong(optarg); break;
		case 'l': lang = optarg; break;
		case 'r': repeat = parse_ulong(optarg); break;
		default: die("usage: cluster_dev [-k N] [-s SEED] [-l LANG] [-r REPEAT]");
		}
	}
	struct sb_stemmer *stem = lang ? sb_stemmer_new(lang, "UTF_8") : NULL;
	if (lang && !stem)
		die("unknown stemmer language");

	struct vocab v = { 0 };
	uint32_t *start = xrealloc(NULL, sizeof(*start)), *ids = NULL;
	size_t ndocs = 0, nids = 0;
	static char line[MAX_LINE];

	start[0] = 0;
	while (fgets(line, sizeof(line), stdin)) {
		size_t i = 0, n = strlen(line);
		while (i < n) {
			char tok[MAX_TOKEN];
			size_t len = 0;
			while (i < n && !is_word_byte((unsigned char)line[i]))
				i++;
			while (i < n && is_word_byte((unsigned char)line[i])) {
				char ch = line[i++];
				if (ch >= 'A' && ch <= 'Z')
					ch = (char)(ch - 'A' + 'a');
				if (len + 1 < sizeof(tok))
					tok[len++] = ch;
			}
			if (len == 0)
				continue;
			tok[len] = '\0';
			if (lang && strcmp(lang, "english") == 0 && is_stop(tok))
				continue;
			const char *w = tok;
			if (stem) {
				w = (const char *)sb_stemmer_stem(stem, (const sb_symbol *)tok, (int)len);
				if (!w)
					die("out of memory");
			}
			ids = xrealloc(ids, (nids + 1) * sizeof(*ids));
			ids[nids++] = vocab_id(&v, w);
		}
		ndocs++;
		start = xrealloc(start, (ndocs + 1) * sizeof(*start));
		start[ndocs] = (uint32_t)nids;
	}

	/* Collapse each document's ids into sorted (term, count) pairs. */
	uint32_t *term = xrealloc(NULL, nids * sizeof(*term));
	uint32_t *count = xrealloc(NULL, nids * sizeof(*count));
	float *weight = xrealloc(NULL, nids * sizeof(*weight));
	uint32_t *df = calloc(v.nwords ? v.nwords : 1, sizeof(*df));
	uint32_t *dstart = xrealloc(NULL, (ndocs + 1) * sizeof(*dstart));
	size_t out = 0;
	if (!df)
		die("out of memory");
	for (size_t d = 0; d < ndocs; d++) {
		dstart[d] = (uint32_t)out;
		qsort(ids + start[d], start[d + 1] - start[d], sizeof(*ids), cmp_u32);
		for (uint32_t p = start[d]; p < start[d + 1]; p++) {
			if (out > dstart[d] && term[out - 1] == ids[p]) {
				count[out - 1]++;
				continue;
			}
			term[out] = ids[p];
			count[out++] = 1;
			df[ids[p]]++;
		}
	}
	dstart[ndocs] = (uint32_t)out;
	for (size_t d = 0; d < ndocs; d++) {
		double norm = 0;
		for (uint32_t p = dstart[d]; p < dstart[d + 1]; p++) {
			double w = (1 + log(count[p])) * (log((1.0 + ndocs) / (1.0 + df[term[p]])) + 1);
			weight[p] = (float)w;
			norm += w * w;
		}
		for (uint32_t p = dstart[d]; p < dstart[d + 1]; p++)
			weight[p] = (float)(weight[p] / sqrt(norm));
	}

	struct cluster_input in = { ndocs, v.nwords, dstart, term, count, weight, df };
	struct cluster_result res = { 0, NULL };
	double best = 1e9;
	for (unsigned long r = 0; r < repeat; r++) {
		cluster_result_free(&res);
		double t0 = bench_now();
		int err = cluster_run(&in, &opts, &res);
		double t = bench_now() - t0;
		if (err)
			die(an_strerror(err));
		if (t < best)
			best = t;
	}
	fprintf(stderr, "docs=%zu terms=%zu k=%u cluster_seconds=%.4f\n",
		ndocs, v.nwords, res.k, best);
	for (size_t d = 0; d < ndocs; d++)
		printf("%u\n", res.assign[d]);
	cluster_result_free(&res);
	for (size_t i = 0; i < v.nwords; i++)
		free(v.word[i]);
	free(v.word);
	free(v.slot);
	free(start);
	free(ids);
	free(term);
	free(count);
	free(weight);
	free(df);
	free(dstart);
	if (stem)
		sb_stemmer_delete(stem);
	return 0;
}

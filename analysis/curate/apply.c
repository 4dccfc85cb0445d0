/*
 * apply.c - people's decisions applied to themes and matches (apply.h).
 *
 * Each half is one pass with hash lookups, so its cost grows with answers
 * + decisions + terms.  The theme decisions work on slots: every theme
 * that ever exists during the decisions (the base file's, then the adopted
 * and split ones) gets a slot, and a merge makes the merged slot an alias
 * of the one it went into, so a later decision naming either finds the
 * living one (union-find).  The answer decisions then reach the curated
 * themes through the same slots: `final` maps every slot to the index of
 * the theme it ended up in.
 */
#include "curate/apply.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"
#include "core/buf.h"
#include "core/dict.h"
#include "curate/curate.h"

/* A theme while theme decisions are applied: the base file's, then adopted and split ones. */
struct slot {
	struct theme th;                 /* terms has room for THEMES_MAX_TERMS; only texts until compiled */
	uint32_t alias;                  /* itself, or the slot it was merged into */
	struct apply_theme meta;
};

struct apply {
	const struct curate *c;
	char *err;                       /* messages go here (may be NULL) */
	size_t errlen;
	struct slot *slots;
	size_t nslots, cap, nalive;
	struct dict ids;                 /* theme id -> slot (dict id = slot index) */
	struct dict slot_terms;          /* "slot\x1fterm" -> present[] */
	uint8_t *present;                /* 1 while that slot has that term */
	size_t present_cap;
	uint32_t *made;                  /* decision -> slot it made (adopt, split), UINT32_MAX if none */
	uint32_t *parent;                /* decision -> a split's parent slot */
	uint32_t *merge_log;             /* slots merged away, in decision order */
	size_t nmerges;
	uint32_t *final;                 /* slot -> index of the curated theme (through merges) */
	struct apply_theme *meta;        /* per curated theme */
	size_t nmeta;
	struct buf key;                  /* scratch for slot_terms keys */
};

static int apply_err(struct apply *a, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Write a message to a->err (when given) and return `err`. */
static int apply_err(struct apply *a, int err, const char *fmt, ...)
{
	va_list ap;

	if (a->err && a->errlen) {
		va_start(ap, fmt);
		vsnprintf(a->err, a->errlen, fmt, ap);
		va_end(ap);
	}
	return err;
}

/* Free `n` strings and the array holding them (NULL with n 0 is fine). */
static void strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- theme decisions ---- */

/* The slot_terms key of (slot, term) in a->key. */
static int term_key(struct apply *a, uint32_t slot, const char *text)
{
	buf_reset(&a->key);
	return buf_printf(&a->key, "%u\x1f%s", slot, text) ? AN_ENOMEM : AN_OK;
}

static int has_term(struct apply *a, uint32_t slot, const char *text, int *has)
{
	int64_t id;
	int err;

	if ((err = term_key(a, slot, text)))
		return err;
	id = dict_find(&a->slot_terms, a->key.data, a->key.len);
	*has = id >= 0 && a->present[id];
	return AN_OK;
}

static int mark_term(struct apply *a, uint32_t slot, const char *text, uint8_t present)
{
	uint32_t id;
	int err;

	if ((err = term_key(a, slot, text)) || (err = dict_intern(&a->slot_terms, a->key.data, a->key.len, &id)))
		return err;
	if (id >= a->present_cap) {
		size_t cap = a->present_cap ? a->present_cap * 2 : 1024;
		uint8_t *p = realloc(a->present, cap);

		if (!p)
			return AN_ENOMEM;
		memset(p + a->present_cap, 0, cap - a->present_cap);
		a->present = p;
		a->present_cap = cap;
	}
	a->present[id] = present;
	return AN_OK;
}

/*
 * Append a term (taking `tt`) to a slot unless it has it already; `tt` is
 * freed when not kept.  AN_OK, AN_ETOOBIG (message names the decision), AN_ENOMEM.
 */
static int give_term(struct apply *a, size_t decision, uint32_t slot, struct theme_term *tt)
{
	struct theme *th = &a->slots[slot].th;
	int err, has;

	if ((err = has_term(a, slot, tt->text, &has)) || has) {
		theme_term_free(tt);
		return err;
	}
	if (th->nterms == THEMES_MAX_TERMS) {
		theme_term_free(tt);
		return apply_err(a, AN_ETOOBIG, "decision %zu: more than %d terms in theme '%s'", decision + 1,
				 THEMES_MAX_TERMS, th->id);
	}
	if ((err = mark_term(a, slot, tt->text, 1))) {
		theme_term_free(tt);
		return err;
	}
	th->terms[th->nterms++] = *tt;
	return AN_OK;
}

/*
 * A new slot owning `id`, `label` and `terms` (nterms used, room for
 * THEMES_MAX_TERMS; NULL: none yet), all freed on failure; *slot is its index.
 */
static int add_slot(struct apply *a, char *id, char *label, struct theme_term *terms, size_t nterms, int made,
		    uint32_t *slot)
{
	struct slot *s;
	uint32_t dict_id;
	int err = AN_ENOMEM;

	if (!terms && !(terms = calloc(THEMES_MAX_TERMS, sizeof(*terms))))
		goto fail;
	if (a->nslots == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct slot *p = realloc(a->slots, cap * sizeof(*p));

		if (!p)
			goto fail;
		a->slots = p;
		a->cap = cap;
	}
	if ((err = dict_intern(&a->ids, id, strlen(id), &dict_id)))
		goto fail;
	s = &a->slots[a->nslots];
	memset(s, 0, sizeof(*s));
	s->th.id = id;
	s->th.label = label;
	s->th.terms = terms;
	s->th.nterms = nterms;
	s->alias = (uint32_t)a->nslots;
	s->meta.made = made;
	*slot = (uint32_t)a->nslots++;
	a->nalive++;
	return AN_OK;
fail:
	free(id);
	free(label);
	if (terms) {
		size_t j;

		for (j = 0; j < nterms; j++)
			theme_term_free(&terms[j]);
		free(terms);
	}
	return err;
}

static uint32_t slot_root(struct apply *a, uint32_t s)
{
	while (a->slots[s].alias != s) {
		a->slots[s].alias = a->slots[a->slots[s].alias].alias;
		s = a->slots[s].alias;
	}
	return s;
}

/* The living slot theme `id` is now (through merges), or UINT32_MAX when there never was one. */
static uint32_t find_slot(struct apply *a, const char *id)
{
	int64_t s = dict_find(&a->ids, id, strlen(id));

	return s < 0 ? UINT32_MAX : slot_root(a, (uint32_t)s);
}

/* Room for one more theme, or AN_ETOOBIG: theme sets are 64-bit masks while matching. */
static int room_for_theme(struct apply *a, size_t decision)
{
	if (a->nalive < THEMES_MAX)
		return AN_OK;
	return apply_err(a, AN_ETOOBIG, "decision %zu: more than %d themes (merge some first)", decision + 1,
			 THEMES_MAX);
}

static int new_theme(struct apply *a, size_t k, const struct curate_decision *d)
{
	char *id, *label;
	uint32_t s;
	size_t j;
	int err;

	if (dict_find(&a->ids, d->target, strlen(d->target)) >= 0)
		return AN_OK;
	if ((err = room_for_theme(a, k)))
		return err;
	id = strdup(d->target);
	label = strdup(d->label);
	if (!id || !label) {
		free(id);
		free(label);
		return AN_ENOMEM;
	}
	if ((err = add_slot(a, id, label, NULL, 0, 1, &s)))
		return err;
	a->made[k] = s;
	for (j = 0; j < d->nterms; j++) {
		struct theme_term tt;

		memset(&tt, 0, sizeof(tt));
		if (!(tt.text = strdup(d->terms[j])))
			return AN_ENOMEM;
		if ((err = give_term(a, k, s, &tt)))
			return err;
	}
	return AN_OK;
}

/* Split: the term leaves its theme (every copy of it) and becomes a theme of its own. */
static int split_theme(struct apply *a, size_t k, const struct curate_decision *d)
{
	uint32_t p = find_slot(a, d->theme);
	struct theme *th;
	size_t j, n = 0;
	int err, has;

	if (p == UINT32_MAX)
		return AN_OK;
	if ((err = has_term(a, p, d->terms[0], &has)))
		return err;
	if (!has)
		return AN_OK;
	/* new_theme skips an id that is taken (made[k] stays UINT32_MAX). */
	if ((err = new_theme(a, k, d)) || a->made[k] == UINT32_MAX)
		return err;
	a->parent[k] = p;
	if ((err = mark_term(a, p, d->terms[0], 0)))
		return err;
	th = &a->slots[p].th;
	for (j = 0; j < th->nterms; j++) {
		if (!strcmp(th->terms[j].text, d->terms[0]))
			theme_term_free(&th->terms[j]);
		else
			th->terms[n++] = th->terms[j];
	}
	th->nterms = n;
	return AN_OK;
}

static int merge_theme(struct apply *a, size_t k, const struct curate_decision *d)
{
	uint32_t from = find_slot(a, d->theme), into = find_slot(a, d->target);
	struct slot *sa;
	size_t j;
	int err = AN_OK;

	/* A cycle (B into A after A into B) finds both in one slot. */
	if (from == UINT32_MAX || into == UINT32_MAX || from == into)
		return AN_OK;
	sa = &a->slots[from];
	sa->alias = into;
	a->nalive--;
	a->merge_log[a->nmerges++] = from;
	for (j = 0; j < sa->th.nterms; j++) {
		if (!err)
			err = give_term(a, k, into, &sa->th.terms[j]);
		else
			theme_term_free(&sa->th.terms[j]);
	}
	sa->th.nterms = 0;
	free(sa->th.terms);
	sa->th.terms = NULL;
	return err;
}

static int rename_theme(struct apply *a, const struct curate_decision *d)
{
	uint32_t s = find_slot(a, d->theme);
	char *label;

	if (s == UINT32_MAX)
		return AN_OK;
	if (!(label = strdup(d->label)))
		return AN_ENOMEM;
	free(a->slots[s].th.label);
	a->slots[s].th.label = label;
	a->slots[s].meta.renamed = 1;
	return AN_OK;
}

/*
 * `themes` becomes the living slots in slot order, with their meta; merged
 * ids and labels in decision order.  A slot keeps its label once merged away
 * (a later rename reaches the slot it went into), so that label is the one
 * it had when it was merged.
 */
static int collect_slots(struct apply *a, struct themes *themes)
{
	size_t s, n = 0, i;

	themes->v = calloc(a->nalive ? a->nalive : 1, sizeof(*themes->v));
	a->meta = calloc(a->nalive ? a->nalive : 1, sizeof(*a->meta));
	a->nmeta = a->meta ? a->nalive : 0;
	a->final = malloc((a->nslots ? a->nslots : 1) * sizeof(*a->final));
	if (!themes->v || !a->meta || !a->final)
		return AN_ENOMEM;
	for (s = 0; s < a->nslots; s++)
		if (a->slots[s].alias == s) {
			a->final[s] = (uint32_t)n;
			themes->v[n] = a->slots[s].th;
			a->meta[n] = a->slots[s].meta;
			memset(&a->slots[s].th, 0, sizeof(a->slots[s].th));
			n++;
		}
	themes->n = n;
	for (s = 0; s < a->nslots; s++)
		a->final[s] = a->final[slot_root(a, (uint32_t)s)];
	for (i = 0; i < a->nmerges; i++) {
		struct apply_theme *m = &a->meta[a->final[a->merge_log[i]]];
		const struct theme *gone = &a->slots[a->merge_log[i]].th;
		char **ids = realloc(m->merged, (m->nmerged + 1) * sizeof(*ids)), **labels;

		if (!ids)
			return AN_ENOMEM;
		m->merged = ids;
		if (!(labels = realloc(m->merged_labels, (m->nmerged + 1) * sizeof(*labels))))
			return AN_ENOMEM;
		m->merged_labels = labels;
		ids[m->nmerged] = strdup(gone->id);
		labels[m->nmerged] = strdup(gone->label);
		/* Counted before the check so strings_free frees whichever of the two was made. */
		m->nmerged++;
		if (!ids[m->nmerged - 1] || !labels[m->nmerged - 1])
			return AN_ENOMEM;
	}
	return AN_OK;
}

/* Step 2: the base themes become slots, then adopt, split, rename and merge run in decision order. */
static int theme_decisions(struct apply *a, struct themes *themes)
{
	const struct curate *c = a->c;
	struct themes base = *themes;
	size_t i, j, k;
	int err = AN_OK;

	memset(themes, 0, sizeof(*themes));
	a->made = malloc((c->n ? c->n : 1) * sizeof(*a->made));
	a->parent = malloc((c->n ? c->n : 1) * sizeof(*a->parent));
	a->merge_log = malloc((c->n ? c->n : 1) * sizeof(*a->merge_log));
	if (!a->made || !a->parent || !a->merge_log) {
		themes_free(&base);
		return AN_ENOMEM;
	}
	for (i = 0; i < base.n && !err; i++) {
		struct theme th = base.v[i];
		uint32_t s;

		/* The slot owns the theme's strings from here, also when it fails. */
		memset(&base.v[i], 0, sizeof(base.v[i]));
		if ((err = add_slot(a, th.id, th.label, th.terms, th.nterms, 0, &s)))
			break;
		for (j = 0; j < a->slots[s].th.nterms && !err; j++)
			err = mark_term(a, s, a->slots[s].th.terms[j].text, 1);
	}
	themes_free(&base);
	for (k = 0; k < c->n && !err; k++) {
		const struct curate_decision *d = &c->v[k];

		a->made[k] = a->parent[k] = UINT32_MAX;
		if (d->kind == VOCAB_ADOPT)
			err = new_theme(a, k, d);
		else if (d->kind == VOCAB_SPLIT)
			err = split_theme(a, k, d);
		else if (d->kind == VOCAB_MERGE)
			err = merge_theme(a, k, d);
		else if (d->kind == VOCAB_RENAME)
			err = rename_theme(a, d);
	}
	return err ? err : collect_slots(a, themes);
}

enum an_err apply_themes(const struct curate *c, struct themes *themes, struct apply **out, char *err, size_t errlen)
{
	struct apply *a = calloc(1, sizeof(*a));
	int rc;

	*out = NULL;
	if (!a)
		return AN_ENOMEM;
	a->c = c;
	a->err = err;
	a->errlen = errlen;
	dict_init(&a->ids);
	dict_init(&a->slot_terms);
	buf_init(&a->key, 2u * THEMES_MAX_LINE);
	if ((rc = theme_decisions(a, themes))) {
		apply_free(a);
		return rc;
	}
	*out = a;
	return AN_OK;
}

void apply_take_theme(struct apply *a, size_t t, struct apply_theme *out)
{
	assert(t < a->nmeta);
	*out = a->meta[t];
	a->meta[t].merged = NULL;
	a->meta[t].merged_labels = NULL;
	a->meta[t].nmerged = 0;
}

void apply_free(struct apply *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nslots; i++)
		theme_free(&a->slots[i].th);
	free(a->slots);
	for (i = 0; i < a->nmeta; i++) {
		strings_free(a->meta[i].merged, a->meta[i].nmerged);
		strings_free(a->meta[i].merged_labels, a->meta[i].nmerged);
	}
	free(a->meta);
	dict_free(&a->ids);
	dict_free(&a->slot_terms);
	free(a->present);
	free(a->made);
	free(a->parent);
	free(a->merge_log);
	free(a->final);
	buf_free(&a->key);
	free(a);
}

/* ---- answer decisions ---- */

int apply_match_order(const void *a, const void *b)
{
	const struct analysis_match *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (x->theme > y->theme) - (x->theme < y->theme);
}

/* Index of the curated theme `id` is after the merges, or -1 (never existed, or replaced with the themes file). */
static int64_t theme_index(const struct apply *a, const char *id)
{
	int64_t s = dict_find(&a->ids, id, strlen(id));

	return s < 0 ? -1 : (int64_t)a->final[s];
}

static int64_t find_match(const struct analysis_assignment *as, uint32_t theme)
{
	size_t m;

	for (m = 0; m < as->nmatches; m++)
		if (as->matches[m].theme == theme)
			return (int64_t)m;
	return -1;
}

/* Drop match `m`; the last one takes the array with it (apply.h: no match, no array). */
static void drop_match(struct analysis_assignment *as, size_t m)
{
	free(as->matches[m].terms);
	memmove(&as->matches[m], &as->matches[m + 1], (as->nmatches - m - 1) * sizeof(*as->matches));
	if (!--as->nmatches) {
		free(as->matches);
		as->matches = NULL;
	}
}

static void drop_all(struct analysis_assignment *as, uint32_t keep)
{
	size_t m = as->nmatches;

	while (m-- > 0)
		if (as->matches[m].theme != keep)
			drop_match(as, m);
}

enum an_err apply_place(struct analysis_assignment *as, uint32_t theme, enum apply_rank rank, float score, int human)
{
	int64_t at = find_match(as, theme);
	struct analysis_match m;
	size_t pos;

	if (rank == APPLY_KEEP_RANK)
		rank = at == 0 ? APPLY_PRIMARY : APPLY_SECONDARY;
	memset(&m, 0, sizeof(m));
	if (at >= 0) {
		m = as->matches[at];
		memmove(&as->matches[at], &as->matches[at + 1], (as->nmatches - (size_t)at - 1) * sizeof(m));
		as->nmatches--;
	} else {
		struct analysis_match *v = realloc(as->matches, (as->nmatches + 1) * sizeof(*v));

		if (!v)
			return AN_ENOMEM;
		as->matches = v;
		m.theme = theme;
		m.score = score;
	}
	if (human) {
		m.human = 1;
		as->human_none = 0;
	}
	pos = rank == APPLY_PRIMARY ? 0 : as->nmatches;
	memmove(&as->matches[pos + 1], &as->matches[pos], (as->nmatches - pos) * sizeof(m));
	as->matches[pos] = m;
	as->nmatches++;
	if (as->nmatches > 2)
		qsort(as->matches + 1, as->nmatches - 1, sizeof(*as->matches), apply_match_order);
	return AN_OK;
}

/*
 * Step 5: an answer matched by a split theme moves there from the split's
 * parent, the split theme taking the parent's place.  `parents[t]` has bit
 * p set when theme t was split from theme p, with no circles (see
 * split_parents); all themes here are seeded, so fewer than 64.  An answer
 * with the split theme but not the parent keeps it: the term was the
 * parent's when the split was made, so such an answer either had the
 * parent only through that term (it moves with the term) or reached the
 * split theme through a theme merged into it later.
 */
static void split_answer(struct analysis_assignment *as, const uint64_t *parents)
{
	struct analysis_match out[THEMES_MAX];
	uint64_t removed = 0, placed = 0;
	size_t m, j, n = 0;

	for (m = 0; m < as->nmatches; m++)
		removed |= parents[as->matches[m].theme];
	for (m = 0; m < as->nmatches; m++) {
		uint32_t t = as->matches[m].theme;
		uint64_t bit = (uint64_t)1 << t;

		if (removed & bit) {
			/* The parent's place goes to the themes split from it. */
			for (j = 0; j < as->nmatches; j++) {
				uint32_t c = as->matches[j].theme;
				uint64_t cbit = (uint64_t)1 << c;

				if ((parents[c] & bit) && !(removed & cbit) && !(placed & cbit)) {
					out[n++] = as->matches[j];
					placed |= cbit;
				}
			}
			free(as->matches[m].terms);
		} else if (!(placed & bit)) {
			out[n++] = as->matches[m];
			placed |= bit;
		}
	}
	/* Without circles a removed theme's line of descent ends in a theme that stays. */
	assert(n > 0);
	memcpy(as->matches, out, n * sizeof(*out));
	as->nmatches = n;
}

/*
 * parents[t] for the curated themes `nthemes`: bit p when a split made t
 * (or a theme merged into t) from p (or a theme merged into p).  Through
 * merges the splits can go round in a circle (T split into c1, c1's term
 * split into c2, c2 merged into T: T from c1 and c1 from T); the splits of
 * a circle cancel, as each theme would take the other's place and an
 * answer with both would lose both.  Returns the themes with parents.
 */
static uint64_t split_parents(const struct apply *a, uint64_t *parents, size_t nthemes)
{
	const struct curate *c = a->c;
	uint64_t reach[THEMES_MAX], split = 0;
	size_t k, t, p;

	assert(nthemes <= THEMES_MAX);
	for (k = 0; k < c->n; k++) {
		uint32_t child, parent;

		if (c->v[k].kind != VOCAB_SPLIT || a->made[k] == UINT32_MAX)
			continue;
		child = a->final[a->made[k]];
		parent = a->final[a->parent[k]];
		if (child != parent)
			parents[child] |= (uint64_t)1 << parent;
	}
	/* reach[t]: every theme t takes the place of, directly or through others (Warshall). */
	memcpy(reach, parents, nthemes * sizeof(*reach));
	for (p = 0; p < nthemes; p++)
		for (t = 0; t < nthemes; t++)
			if (reach[t] & ((uint64_t)1 << p))
				reach[t] |= reach[p];
	for (t = 0; t < nthemes; t++) {
		for (p = 0; p < nthemes; p++)
			if ((parents[t] & ((uint64_t)1 << p)) && (reach[p] & ((uint64_t)1 << t)))
				parents[t] &= ~((uint64_t)1 << p);
		if (parents[t])
			split |= (uint64_t)1 << t;
	}
	return split;
}

static int move_answer(const struct apply *a, const struct curate_decision *d, struct analysis_assignment *as)
{
	int64_t to = d->target ? theme_index(a, d->target) : -1, from = d->theme ? theme_index(a, d->theme) : -1;
	int64_t at;

	if ((d->target && to < 0) || (d->theme && from < 0))
		return AN_OK;
	if (!d->theme) {
		drop_all(as, to < 0 ? UINT32_MAX : (uint32_t)to);
		if (to < 0) {
			as->human_none = 1;
			return AN_OK;
		}
		return apply_place(as, (uint32_t)to, APPLY_PRIMARY, 0, 1);
	}
	at = find_match(as, (uint32_t)from);
	if (at >= 0 && to != from)
		drop_match(as, (size_t)at);
	if (to < 0) {
		/* Out of its only theme: it fits none, and is not clustered either. */
		if (at >= 0 && !as->nmatches)
			as->human_none = 1;
		return AN_OK;
	}
	/* `to` takes the place of `from`: the primary when `from` was, and it
	 * stays the primary when it already was. */
	return apply_place(as, (uint32_t)to, at == 0 || find_match(as, (uint32_t)to) == 0 ? APPLY_PRIMARY : APPLY_SECONDARY,
			   0, 1);
}

/* Answer id -> first answer with it; `first` maps dict ids to answer indexes. */
static int index_answers(char *const *ids, size_t n, struct dict *index, uint32_t **first)
{
	size_t d;
	int err;

	*first = malloc((n ? n : 1) * sizeof(**first));
	if (!*first)
		return AN_ENOMEM;
	for (d = 0; d < n; d++) {
		size_t before = index->n;
		uint32_t id;

		if ((err = dict_intern(index, ids[d], strlen(ids[d]), &id)))
			return err;
		if (index->n > before)
			(*first)[id] = (uint32_t)d;
	}
	return AN_OK;
}

static int64_t answer_index(const struct dict *index, const uint32_t *first, const char *id)
{
	int64_t i = dict_find(index, id, strlen(id));

	return i < 0 ? -1 : (int64_t)first[i];
}

enum an_err apply_answers(struct apply *a, struct analysis_assignment *assign, char *const *ids, size_t n)
{
	const struct curate *c = a->c;
	struct dict index;
	uint32_t *first = NULL;
	uint64_t *parents = NULL, split;
	size_t k, j, d;
	int err;

	dict_init(&index);
	parents = calloc(a->nmeta ? a->nmeta : 1, sizeof(*parents));
	err = parents ? index_answers(ids, n, &index, &first) : AN_ENOMEM;
	if (err)
		goto out;
	/* Step 4: adopted answers. */
	for (k = 0; k < c->n; k++) {
		const struct curate_decision *dc = &c->v[k];
		uint32_t t;

		if (dc->kind != VOCAB_ADOPT || a->made[k] == UINT32_MAX)
			continue;
		t = a->final[a->made[k]];
		for (j = 0; j < dc->nanswers; j++) {
			int64_t i = answer_index(&index, first, dc->answers[j]);

			if (i < 0)
				continue;
			if ((err = apply_place(&assign[i], t, APPLY_PRIMARY, 0, 1)))
				goto out;
		}
	}
	/* Step 5: splits. */
	split = split_parents(a, parents, a->nmeta);
	for (d = 0; split && d < n; d++) {
		struct analysis_assignment *as = &assign[d];

		for (j = 0; j < as->nmatches && !(split & ((uint64_t)1 << as->matches[j].theme)); j++)
			;
		if (j < as->nmatches)
			split_answer(as, parents);
	}
	/* Step 6: move and also, in decision order. */
	for (k = 0; k < c->n; k++) {
		const struct curate_decision *dc = &c->v[k];
		int64_t i, t;

		if (dc->kind != VOCAB_MOVE && dc->kind != VOCAB_ALSO)
			continue;
		if ((i = answer_index(&index, first, dc->answer)) < 0)
			continue;
		if (dc->kind == VOCAB_MOVE) {
			if ((err = move_answer(a, dc, &assign[i])))
				goto out;
		} else if ((t = theme_index(a, dc->theme)) >= 0) {
			struct analysis_assignment *as = &assign[i];

			/* A theme the answer has already keeps its rank. */
			if ((err = apply_place(as, (uint32_t)t, APPLY_KEEP_RANK, 0, 1)))
				goto out;
		}
	}
	err = AN_OK;
out:
	dict_free(&index);
	free(first);
	free(parents);
	return err;
}

/*
 * dict.c - string interning with open addressing and an arena.
 *
 * Linear probing over a power-of-two table kept at most half full.  A slot
 * holds the hash and the arena offset of its entry, and an entry holds its
 * id and length next to its bytes, so a lookup touches two cache lines (the
 * slot and the entry) and compares bytes only when the hashes agree.  FNV-1a
 * is enough for words; the worst a hostile input can do is slow probing,
 * bounded by the input limits.
 */
#include "core/dict.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/an_err.h"

#define ENTRY_HEAD 8   /* id and length, 4 bytes each */

static uint32_t dict_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static uint32_t entry_u32(const struct dict *d, size_t off, size_t field)
{
	uint32_t v;

	memcpy(&v, d->arena + off + 4 * field, sizeof(v));
	return v;
}

void dict_init(struct dict *d)
{
	memset(d, 0, sizeof(*d));
}

void dict_free(struct dict *d)
{
	free(d->slots);
	free(d->off);
	free(d->arena);
	dict_init(d);
}

static int dict_rehash(struct dict *d, size_t nslots)
{
	struct dict_slot *slots = calloc(nslots, sizeof(*slots));
	size_t i;

	if (!slots)
		return AN_ENOMEM;
	for (i = 0; i < d->n; i++) {
		uint32_t off = d->off[i], len = entry_u32(d, off, 1);
		uint32_t h = dict_hash(d->arena + off + ENTRY_HEAD, len);
		size_t j = h & (nslots - 1);

		while (slots[j].off1)
			j = (j + 1) & (nslots - 1);
		slots[j].off1 = off + 1;
		slots[j].hash = h;
	}
	free(d->slots);
	d->slots = slots;
	d->nslots = nslots;
	return AN_OK;
}

static int64_t dict_lookup(const struct dict *d, const char *s, size_t len, uint32_t h, size_t *slot)
{
	size_t j;

	assert(d->nslots);
	j = h & (d->nslots - 1);
	while (d->slots[j].off1) {
		size_t off = d->slots[j].off1 - 1;

		if (d->slots[j].hash == h && entry_u32(d, off, 1) == len &&
		    !memcmp(d->arena + off + ENTRY_HEAD, s, len))
			return entry_u32(d, off, 0);
		j = (j + 1) & (d->nslots - 1);
	}
	*slot = j;
	return -1;
}

int64_t dict_find(const struct dict *d, const char *s, size_t len)
{
	size_t slot;

	if (!d->n)
		return -1;
	return dict_lookup(d, s, len, dict_hash(s, len), &slot);
}

enum an_err dict_intern(struct dict *d, const char *s, size_t len, uint32_t *id)
{
	uint32_t h = dict_hash(s, len), head[2];
	size_t slot = 0, need;
	int64_t found;
	int err;

	if (!d->nslots && (err = dict_rehash(d, 64)))
		return err;
	found = dict_lookup(d, s, len, h, &slot);
	if (found >= 0) {
		*id = (uint32_t)found;
		return AN_OK;
	}
	need = ENTRY_HEAD + len + 1;
	if (d->n >= DICT_MAX_ENTRIES || len > UINT32_MAX - 2 - ENTRY_HEAD - d->arena_len)
		return AN_ETOOBIG;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		uint32_t *p = realloc(d->off, cap * sizeof(*p));

		if (!p)
			return AN_ENOMEM;
		d->off = p;
		d->cap = cap;
	}
	if (d->arena_len + need > d->arena_cap) {
		size_t cap = d->arena_cap ? d->arena_cap : 4096;
		char *p;

		while (cap < d->arena_len + need)
			cap *= 2;
		p = realloc(d->arena, cap);
		if (!p)
			return AN_ENOMEM;
		d->arena = p;
		d->arena_cap = cap;
	}
	head[0] = (uint32_t)d->n;
	head[1] = (uint32_t)len;
	memcpy(d->arena + d->arena_len, head, ENTRY_HEAD);
	memcpy(d->arena + d->arena_len + ENTRY_HEAD, s, len);
	d->arena[d->arena_len + ENTRY_HEAD + len] = '\0';
	d->off[d->n] = (uint32_t)d->arena_len;
	d->slots[slot].off1 = (uint32_t)d->arena_len + 1;
	d->slots[slot].hash = h;
	d->arena_len += need;
	*id = (uint32_t)d->n++;
	if (d->n * 2 > d->nslots)
		return dict_rehash(d, d->nslots * 2);
	return AN_OK;
}

const char *dict_str(const struct dict *d, uint32_t id)
{
	assert(id < d->n);
	return d->arena + d->off[id] + ENTRY_HEAD;
}

size_t dict_strlen(const struct dict *d, uint32_t id)
{
	assert(id < d->n);
	return entry_u32(d, d->off[id], 1);
}

/*
 * dict.h - string interning: byte strings <-> dense ids.
 *
 * Ids are handed out in first-seen order, so anything indexed by id is
 * independent of hash values and pointer addresses (the analysis must be
 * byte-identical run to run).  Strings live in one growing arena, so
 * interning a string costs no malloc once the arena is warm.
 */
#ifndef INSPEL_DICT_H
#define INSPEL_DICT_H

#include <stddef.h>
#include <stdint.h>
#include "core/an_err.h"

#define DICT_MAX_ENTRIES 50000000u

struct dict_slot {
	uint32_t off1;        /* 0 = empty, else arena offset of the entry + 1 */
	uint32_t hash;        /* the string's hash, compared before touching the string */
};

struct dict {
	struct dict_slot *slots;   /* open addressing with linear probing */
	size_t nslots;        /* power of two */
	uint32_t *off;        /* id -> offset of the entry in arena */
	size_t n, cap;        /* entries used / allocated in off */
	char *arena;          /* entries: id, length (4 bytes each), bytes, NUL */
	size_t arena_len, arena_cap;
};

/* Initialise an empty dict; never fails (allocation happens on first add). */
void dict_init(struct dict *d);

/* Free everything; the dict is empty again and may be reused. */
void dict_free(struct dict *d);

/*
 * Look up `s` (len bytes, may contain any byte but NUL); add it if absent.
 * Stores the id in *id.  Returns AN_OK, AN_ENOMEM or AN_ETOOBIG (more than
 * DICT_MAX_ENTRIES strings or 4 GiB of text).
 */
enum an_err dict_intern(struct dict *d, const char *s, size_t len, uint32_t *id);

/* The id of `s`, or -1 when it is not in the dict. */
int64_t dict_find(const struct dict *d, const char *s, size_t len);

/* The NUL-terminated string with id `id` (< d->n); owned by the dict and
 * valid until the next dict_intern or dict_free. */
const char *dict_str(const struct dict *d, uint32_t id);

/* Length in bytes of string `id`. */
size_t dict_strlen(const struct dict *d, uint32_t id);

#endif

/*
 * rng.h - a small seeded pseudo-random generator (xoshiro256**, seeded by
 * splitmix64).
 *
 * The analysis must give byte-identical output for the same input and seed,
 * so nothing may depend on rand(), the clock or the platform's libc: the
 * whole sequence is a pure function of the 64-bit seed.
 */
#ifndef INSPEL_RNG_H
#define INSPEL_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Seed the generator; every seed, including 0, gives a valid state. */
void rng_init(struct rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* A uniform double in [0, 1) with 53 random bits. */
double rng_double(struct rng *r);

#endif

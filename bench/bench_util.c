/*
 * bench_util.c - the monotonic clock the C benchmarks share (bench_util.h);
 * CLOCK_MONOTONIC so a clock adjustment mid-run cannot skew a figure.
 */
#include <time.h>

#include "bench_util.h"

double bench_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/*
 * bench_util.h - the clock the C benchmarks share (they read their input
 * with analyze_read_file from analysis/analyze_cli.h).
 */
#ifndef INSPEL_BENCH_UTIL_H
#define INSPEL_BENCH_UTIL_H

/* Seconds on the monotonic clock (only differences mean anything); never fails. */
double bench_now(void);

#endif

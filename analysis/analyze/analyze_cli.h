/*
 * analyze_cli.h - the `inspel analyze` subcommand and the bounded whole-file
 * reader it shares with the benchmarks.
 */
#ifndef INSPEL_ANALYZE_CLI_H
#define INSPEL_ANALYZE_CLI_H

#include <stddef.h>

/*
 * Run `inspel analyze` with argv[0] == "analyze".  Prints errors to stderr.
 * Returns the process exit status: 0 on success, 1 on bad input or I/O
 * failure, 2 on a usage error.
 */
int analyze_main(int argc, char **argv);

/*
 * Read the whole file at `path` (at most `max` bytes) into a NUL-terminated
 * malloc'd buffer the caller frees, its length in *len (may be NULL).  On
 * failure (cannot open or read, larger than `max`, out of memory) prints
 * "who: path: reason" to stderr and returns NULL.  The benchmarks use it too.
 */
char *analyze_read_file(const char *who, const char *path, size_t max, size_t *len);

#endif

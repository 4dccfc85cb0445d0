/*
 * analyze_cli.h - the `inspel analyze` subcommand.
 */
#ifndef INSPEL_ANALYZE_CLI_H
#define INSPEL_ANALYZE_CLI_H

/*
 * Run `inspel analyze` with argv[0] == "analyze".  Prints errors to stderr.
 * Returns the process exit status: 0 on success, 1 on bad input or I/O
 * failure, 2 on a usage error.
 */
int analyze_main(int argc, char **argv);

#endif

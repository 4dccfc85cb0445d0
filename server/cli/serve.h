/*
 * serve.h - the `inspel serve` subcommand.
 */
#ifndef INSPEL_SERVE_H
#define INSPEL_SERVE_H

/*
 * Run the collection server with argv[0] == "serve" until SIGTERM/SIGINT.
 * Returns the exit status: 0 after a graceful stop, 1 when it could not
 * start, 2 on a usage error.
 */
int serve_main(int argc, char **argv);

#endif

/*
 * keys_cli.h - the `inspel keys` subcommand.
 */
#ifndef INSPEL_KEYS_CLI_H
#define INSPEL_KEYS_CLI_H

/*
 * `inspel keys add|list|revoke|grant ...` with argv[0] == "keys".  Returns the
 * exit status: 0 on success, 1 on failure, 2 on a usage error.
 */
int keys_cli_main(int argc, char **argv);

#endif

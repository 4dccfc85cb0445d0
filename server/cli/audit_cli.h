/*
 * audit_cli.h - the `inspel audit` subcommand: who did what, from the audit log.
 */
#ifndef INSPEL_AUDIT_CLI_H
#define INSPEL_AUDIT_CLI_H

/*
 * `inspel audit --db PATH [--workshop ID|CODE] [--series ID] [--since TIME]`
 * with argv[0] == "audit".  Returns the exit status: 0 on success, 1 on
 * failure, 2 on a usage error.
 */
int audit_cli_main(int argc, char **argv);

#endif

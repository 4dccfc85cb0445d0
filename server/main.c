/*
 * main.c - the `inspel` command: dispatch to a subcommand.
 *
 * Each subcommand owns its option parsing and returns the exit status, so
 * this file stays a table; usage errors exit 2 everywhere.
 */
#include <stdio.h>
#include <string.h>

#include "analyze/analyze_cli.h"
#include "cli/audit_cli.h"
#include "cli/keys_cli.h"
#include "cli/lifecycle_cli.h"
#include "report/report.h"
#include "cli/serve.h"

#define INSPEL_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f, "usage: inspel <command> [options]\n"
		   "\n"
		   "commands:\n"
		   "  serve     run the collection server (inspel serve --db PATH --port N [--demo] ...)\n"
		   "  keys      add, list, revoke or grant facilitator keys (inspel keys add --db PATH)\n"
		   "  audit     who did what: the audit log (inspel audit --db PATH [--workshop ID])\n"
		   "  analyze   synthesise answers into themes (inspel analyze --help)\n"
		   "  report    the plan writers' report of a workshop or series (inspel report --help)\n"
		   "  backup    a consistent copy of the database, safe while a server runs (--db PATH --out FILE)\n"
		   "  restore   replace a database by a backup (--from FILE --db PATH [--force])\n"
		   "  purge     delete workshops with no activity for DAYS days (--db PATH --older-than DAYS)\n"
		   "  erase     erase one participant's answers and ballots (--db PATH --workshop ID --code CODE)\n"
		   "  help      show this text\n"
		   "  --version print the version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "serve") == 0)
		return serve_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "keys") == 0)
		return keys_cli_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "audit") == 0)
		return audit_cli_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "analyze") == 0)
		return analyze_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return report_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "backup") == 0)
		return lifecycle_backup_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "restore") == 0)
		return lifecycle_restore_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "purge") == 0)
		return lifecycle_purge_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "erase") == 0)
		return lifecycle_erase_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("inspel %s\n", INSPEL_VERSION);
		return 0;
	}
	fprintf(stderr, "inspel: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

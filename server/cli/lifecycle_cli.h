/*
 * lifecycle_cli.h - `inspel backup`, `restore`, `purge` and `erase`: a
 * database's safety copies and the end of its data's life, from the
 * command line (docs/PRIVACY.md, docs/DEPLOY.md).
 */
#ifndef INSPEL_LIFECYCLE_CLI_H
#define INSPEL_LIFECYCLE_CLI_H

#define LIFECYCLE_MAX_ANSWERS 20000u  /* serve's default --max-answers-per-workshop */
#define LIFECYCLE_TOKEN_BURST 400u    /* serve's default --token-burst: a full room behind one NAT */
#define LIFECYCLE_TOKEN_PER_MIN 60u   /* serve's default --token-per-min */

/* Each returns the exit status: 0 success, 1 failure, 2 usage.  argv[0] is the subcommand's name. */
int lifecycle_backup_main(int argc, char **argv);
int lifecycle_restore_main(int argc, char **argv);
int lifecycle_purge_main(int argc, char **argv);
int lifecycle_erase_main(int argc, char **argv);

/*
 * Mark database `path` as held by a running server (a shared flock on the
 * file, which SQLite's own fcntl locks do not touch), so that `inspel
 * restore` refuses it.  Returns the descriptor to pass to
 * lifecycle_release_db, -1 when the file could not be opened (nothing is
 * held), or -2 when a restore holds it now.
 */
int lifecycle_hold_db(const char *path);

/* Let go of a database held by lifecycle_hold_db; a negative descriptor is a no-op. */
void lifecycle_release_db(int fd);

#endif

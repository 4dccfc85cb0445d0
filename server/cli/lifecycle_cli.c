/*
 * lifecycle_cli.c - `inspel backup`, `restore`, `purge` and `erase`.
 *
 * A backup is SQLite's VACUUM INTO on a connection of its own, so it runs
 * beside a live server (one read transaction: writers go on, and the copy
 * holds everything committed before it began); copying the database file
 * by hand misses what is still in the -wal file.  The copy is written
 * under a temporary name, checked with PRAGMA integrity_check and only
 * then renamed to the name asked for, so a file with that name is always
 * a whole backup.  A restore is the reverse through SQLite's backup API,
 * refused while a server holds the database (lifecycle_hold_db).  Purge
 * and erase are one store transaction each; while a server runs, the
 * console does the same and also clears the room's screens and caches.
 */
#include "cli/lifecycle_cli.h"
#include "base/pcode.h"
#include "base/srv_err.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LIFECYCLE_PATH_MAX 4096
#define LIFECYCLE_DAYS_MAX 36500

int lifecycle_hold_db(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
		close(fd);
		return -2;
	}
	return fd;
}

void lifecycle_release_db(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Is database `path` held by a running server (or a restore)?  False when it does not exist. */
static bool lifecycle_db_in_use(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool busy;

	if (fd < 0)
		return false;
	busy = flock(fd, LOCK_EX | LOCK_NB) != 0;
	close(fd);
	return busy;
}

/* Warn that a running server keeps showing what the command changes until it recomputes. */
static void lifecycle_warn_live(const char *cmd, const char *db)
{
	if (lifecycle_db_in_use(db))
		fprintf(stderr, "inspel %s: a server has %s open; its screens and cached themes show the old data until\n"
				"  they next change or it restarts.  While a server runs, use the console (or the API) instead.\n",
			cmd, db);
}

/* The arguments "--NAME VALUE" of argv[1..] into values[i] for names[i]; flags[] take no value.  False on anything else. */
static bool lifecycle_args(int argc, char **argv, const char *const *names, const char **values, size_t n,
			   const char *const *flags, bool *set, size_t nflags)
{
	int i;
	size_t k;

	for (i = 1; i < argc; i++) {
		bool hit = false;
		for (k = 0; k < n && !hit; k++)
			if (strcmp(argv[i], names[k]) == 0 && i + 1 < argc) {
				values[k] = argv[++i];
				hit = true;
			}
		for (k = 0; k < nflags && !hit; k++)
			if (strcmp(argv[i], flags[k]) == 0) {
				set[k] = true;
				hit = true;
			}
		if (!hit)
			return false;
	}
	for (k = 0; k < n; k++)
		if (!values[k])
			return false;
	return true;
}

/* fsync the directory holding `path`, so a rename into it lasts.  Best effort. */
static void lifecycle_sync_dir(const char *path)
{
	char copy[LIFECYCLE_PATH_MAX];
	int fd;

	snprintf(copy, sizeof copy, "%s", path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int lifecycle_backup_main(int argc, char **argv)
{
	static const char *const names[] = { "--db", "--out" };
	const char *v[2] = { NULL, NULL };
	char tmp[LIFECYCLE_PATH_MAX], msg[256];
	struct store *st = NULL;
	struct stat sb;
	int version = 0, err;

	if (!lifecycle_args(argc, argv, names, v, 2, NULL, NULL, 0)) {
		fprintf(stderr, "usage: inspel backup --db PATH --out FILE\n"
				"  A consistent copy of the database, safe while a server runs.  FILE must not exist.\n");
		return 2;
	}
	if (stat(v[1], &sb) == 0) {
		fprintf(stderr, "inspel backup: %s exists; give a new name (backups are never overwritten)\n", v[1]);
		return 1;
	}
	if (stat(v[0], &sb) != 0) {
		fprintf(stderr, "inspel backup: no database at %s\n", v[0]);
		return 1;
	}
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", v[1], (long)getpid()) >= sizeof tmp)
		return 2;
	if (store_open(&st, v[0])) {
		fprintf(stderr, "inspel backup: cannot open database %s\n", v[0]);
		return 1;
	}
	unlink(tmp);
	err = store_backup(st, tmp);
	store_close(st);
	if (!err)
		err = store_verify_file(tmp, &version, msg, sizeof msg);
	else
		snprintf(msg, sizeof msg, "the copy could not be written");
	if (!err && rename(tmp, v[1]) != 0) {
		snprintf(msg, sizeof msg, "rename: %s", strerror(errno));
		err = SRV_ESYS;
	}
	if (err) {
		unlink(tmp);
		fprintf(stderr, "inspel backup: %s\n", msg);
		return 1;
	}
	lifecycle_sync_dir(v[1]);
	if (stat(v[1], &sb) != 0)
		sb.st_size = 0;
	printf("backup %s: %lld bytes, schema %d, integrity_check ok\n", v[1], (long long)sb.st_size, version);
	return 0;
}

int lifecycle_restore_main(int argc, char **argv)
{
	static const char *const names[] = { "--from", "--db" };
	static const char *const flags[] = { "--force" };
	const char *v[2] = { NULL, NULL };
	bool force = false;
	char msg[256];
	struct store *st = NULL;
	struct stat sb;
	int version = 0, hold, err;

	if (!lifecycle_args(argc, argv, names, v, 2, flags, &force, 1)) {
		fprintf(stderr, "usage: inspel restore --from FILE --db PATH [--force]\n"
				"  Replace the database at PATH by the backup FILE.  Stop the server first; --force\n"
				"  replaces a database that holds data (back it up first).\n");
		return 2;
	}
	if (store_verify_file(v[0], &version, msg, sizeof msg)) {
		fprintf(stderr, "inspel restore: %s: %s\n", v[0], msg);
		return 1;
	}
	if (lifecycle_db_in_use(v[1])) {
		fprintf(stderr, "inspel restore: a server has %s open; stop it first\n", v[1]);
		return 1;
	}
	if (stat(v[1], &sb) == 0 && sb.st_size > 0 && !force) {
		fprintf(stderr, "inspel restore: %s holds data; back it up, then run again with --force\n", v[1]);
		return 1;
	}
	/* Held for the whole restore: a server starting meanwhile refuses the database. */
	hold = open(v[1], O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (hold < 0 || flock(hold, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "inspel restore: %s\n", hold < 0 ? strerror(errno) : "a server has the database open; stop it first");
		if (hold >= 0)
			close(hold);
		return 1;
	}
	err = store_open(&st, v[1]);
	if (!err)
		err = store_restore(st, v[0]);
	store_close(st);
	st = NULL;
	/* Opened again: an older backup is migrated to this program's schema. */
	if (!err)
		err = store_open(&st, v[1]);
	store_close(st);
	if (!err)
		err = store_verify_file(v[1], &version, msg, sizeof msg);
	else
		snprintf(msg, sizeof msg, "the copy could not be written");
	close(hold);
	if (err) {
		fprintf(stderr, "inspel restore: %s: %s\n", v[1], msg);
		return 1;
	}
	printf("restored %s from %s: schema %d, integrity_check ok\n", v[1], v[0], version);
	return 0;
}

/* Print one purged workshop or series. */
static void lifecycle_print_purged(const char *kind, const json_t *list, bool dry_run)
{
	const json_t *x;
	size_t i;

	json_array_foreach(list, i, x)
		printf("%s %s %s (last activity %s): %s\n", dry_run ? "would delete" : "deleted", kind,
		       json_string_value(json_object_get(x, "id")), json_string_value(json_object_get(x, "last_activity")),
		       json_string_value(json_object_get(x, "title")));
}

int lifecycle_purge_main(int argc, char **argv)
{
	static const char *const names[] = { "--db", "--older-than" };
	static const char *const flags[] = { "--dry-run" };
	const char *v[2] = { NULL, NULL };
	char before[STORE_TIME_LEN + 1], *end;
	bool dry_run = false;
	struct store *st = NULL;
	json_t *res = NULL;
	time_t cutoff;
	struct tm tm;
	long days = 0;
	int err;

	if (lifecycle_args(argc, argv, names, v, 2, flags, &dry_run, 1)) {
		errno = 0;
		days = strtol(v[1], &end, 10);
		if (errno || end == v[1] || *end || days < 0 || days > LIFECYCLE_DAYS_MAX)
			v[1] = NULL;
	}
	if (!v[0] || !v[1]) {
		fprintf(stderr, "usage: inspel purge --db PATH --older-than DAYS [--dry-run]\n"
				"  Delete every workshop (with its answers, votes, ballots and decisions) whose last\n"
				"  activity is more than DAYS days ago, and series left empty as old.\n");
		return 2;
	}
	cutoff = time(NULL) - (time_t)days * 86400;
	gmtime_r(&cutoff, &tm);
	strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_open(&st, v[0])) {
		fprintf(stderr, "inspel purge: cannot open database %s\n", v[0]);
		return 1;
	}
	err = store_purge(st, before, dry_run, &res);
	if (!err && !dry_run) {
		json_t *detail = json_pack("{s:s,s:O,s:O}", "before", before, "workshops", json_object_get(res, "workshops"),
					   "series", json_object_get(res, "series"));
		if (store_audit_add(st, 0, STORE_AUDIT_PURGE, NULL, NULL, detail))
			fprintf(stderr, "inspel purge: the audit log could not be written\n");
		json_decref(detail);
	}
	store_close(st);
	if (err) {
		fprintf(stderr, "inspel purge: %s\n", srv_strerror(err));
		return 1;
	}
	lifecycle_print_purged("workshop", json_object_get(res, "workshops"), dry_run);
	lifecycle_print_purged("series", json_object_get(res, "series"), dry_run);
	printf("%s %zu workshops and %zu series with no activity since %s\n", dry_run ? "would delete" : "deleted",
	       json_array_size(json_object_get(res, "workshops")), json_array_size(json_object_get(res, "series")),
	       before);
	json_decref(res);
	if (!dry_run)
		lifecycle_warn_live("purge", v[0]);
	return 0;
}

int lifecycle_erase_main(int argc, char **argv)
{
	static const char *const names[] = { "--db", "--workshop", "--code" };
	const char *v[3] = { NULL, NULL, NULL };
	char code[PCODE_LEN + 1];
	struct store *st = NULL;
	json_t *res = NULL;
	json_int_t answers, ballots;
	int err;

	if (!lifecycle_args(argc, argv, names, v, 3, NULL, NULL, 0)) {
		fprintf(stderr, "usage: inspel erase --db PATH --workshop ID --code CODE\n"
				"  Erase one participant's answers and ballots: CODE is the participant code their\n"
				"  phone shows (\"ABCD-EFGH\").\n");
		return 2;
	}
	if (!pcode_normalise(v[2], code)) {
		fprintf(stderr, "inspel erase: %s is not a participant code (%d letters and digits)\n", v[2], PCODE_LEN);
		return 2;
	}
	if (store_open(&st, v[0])) {
		fprintf(stderr, "inspel erase: cannot open database %s\n", v[0]);
		return 1;
	}
	err = store_participant_erase(st, v[1], code, &res);
	if (!err) {
		json_t *detail = json_pack("{s:s,s:O,s:O}", "code", code, "answers", json_object_get(res, "answers"),
					   "ballots", json_object_get(res, "ballots"));
		if (store_audit_add(st, 0, STORE_AUDIT_PARTICIPANT_ERASE, v[1], NULL, detail))
			fprintf(stderr, "inspel erase: the audit log could not be written\n");
		json_decref(detail);
	}
	store_close(st);
	if (err) {
		fprintf(stderr, "inspel erase: %s\n", err == SRV_ENOTFOUND ? "no such workshop" : srv_strerror(err));
		return 1;
	}
	answers = json_integer_value(json_object_get(res, "answers"));
	ballots = json_integer_value(json_object_get(res, "ballots"));
	json_decref(res);
	if (answers == 0 && ballots == 0) {
		fprintf(stderr, "inspel erase: no answers or ballots with code %.4s-%s in workshop %s\n", code, code + 4,
			v[1]);
		return 1;
	}
	printf("erased %lld answers and %lld ballots of participant %.4s-%s in workshop %s\n", (long long)answers,
	       (long long)ballots, code, code + 4, v[1]);
	lifecycle_warn_live("erase", v[0]);
	return 0;
}

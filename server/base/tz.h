/*
 * tz.h - local times in a named time zone, from the C library's tz database.
 *
 * Reports show times in the workshop's zone ("Europe/Stockholm"), not UTC,
 * in a server whose threads render reports at the same time.  The C
 * library converts only in the process's zone (the TZ variable), so every
 * conversion here holds one lock while it points TZ at the zone asked for;
 * nothing else in inspel reads the local zone (store times are UTC, made
 * with gmtime_r).
 */
#ifndef INSPEL_TZ_H
#define INSPEL_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define TZ_NAME_MAX 64              /* bytes of a zone name */
#define TZ_DEFAULT "Europe/Stockholm" /* where inspel's workshops are held */

/*
 * Is `zone` a zone of the tz database: 1..TZ_NAME_MAX bytes of
 * [A-Za-z0-9_+-/] naming a zone file (TZif) under $TZDIR or
 * /usr/share/zoneinfo ("Europe/Stockholm", "UTC")?  No "." and no leading
 * "/", so a name never reaches outside the database.
 */
bool tz_valid(const char *zone);

/*
 * The broken-down local time of `t` in `zone` (tz_valid) into *out, with
 * tm_zone naming the zone's abbreviation ("CET", "CEST").  False when the
 * C library cannot convert.  Thread-safe.
 */
bool tz_local(const char *zone, time_t t, struct tm *out);

/*
 * Point TZ at `zone` before any thread starts: the first tz_local adds TZ
 * to the environment, which may move the environment under a thread that
 * reads another variable at that moment; later calls only change TZ's
 * value.  The server calls it once at start-up.
 */
void tz_init(const char *zone);

/*
 * "2026-11-23T10:02:11Z" (ISO 8601 UTC, as the store writes times) as
 * seconds since the epoch into *t.  False for anything else.
 */
bool tz_parse_utc(const char *iso, time_t *t);

#endif

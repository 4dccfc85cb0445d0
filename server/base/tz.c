/*
 * tz.c - local times in a named time zone, from the C library's tz database.
 *
 * The C library keeps one local zone per process, read from TZ by tzset().
 * tz_local takes a lock, points TZ at the zone asked for when it is not
 * the one set last, and converts with localtime_r inside the lock, so two
 * reports in different zones never see each other's zone.  The first call
 * adds TZ to the environment; later ones replace its value in place.
 */
#include "base/tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static char tz_current[TZ_NAME_MAX + 1];   /* the zone TZ holds; "" before the first call */

bool tz_valid(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[512], magic[4];
	size_t i, len = zone ? strlen(zone) : 0;
	FILE *f;
	bool ok;

	if (len == 0 || len > TZ_NAME_MAX || zone[0] == '/')
		return false;
	for (i = 0; i < len; i++) {
		char c = zone[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		      c == '+' || c == '-' || c == '/'))
			return false;
	}
	if (snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone) >= (int)sizeof path)
		return false;
	/* A directory ("Europe") opens but reads nothing; a zone file starts with "TZif". */
	if (!(f = fopen(path, "rb")))
		return false;
	ok = fread(magic, 1, sizeof magic, f) == sizeof magic && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

bool tz_local(const char *zone, time_t t, struct tm *out)
{
	char value[TZ_NAME_MAX + 2];
	bool ok = true;

	if (strlen(zone) > TZ_NAME_MAX)
		return false;
	pthread_mutex_lock(&tz_lock);
	if (strcmp(tz_current, zone) != 0) {
		/* ":" says "a file of the database", never a POSIX rule like "CET-1CEST". */
		snprintf(value, sizeof value, ":%s", zone);
		if (setenv("TZ", value, 1) == 0) {
			tzset();
			snprintf(tz_current, sizeof tz_current, "%s", zone);
		} else {
			ok = false;
		}
	}
	ok = ok && localtime_r(&t, out) != NULL;
	pthread_mutex_unlock(&tz_lock);
	return ok;
}

void tz_init(const char *zone)
{
	struct tm tm;

	tz_local(zone, 0, &tm);
}

bool tz_parse_utc(const char *iso, time_t *t)
{
	struct tm tm;
	const char *end;

	if (!iso || strlen(iso) != 20 || iso[10] != 'T' || iso[19] != 'Z')
		return false;
	memset(&tm, 0, sizeof tm);
	end = strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*t = timegm(&tm);
	return *t != (time_t)-1;
}

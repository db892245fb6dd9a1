/* Which libkeyutils.so.1 the process really mapped, read from /proc/self/maps.
 *
 * LD_LIBRARY_PATH silently falls back to the system copy when the directory
 * lacks the soname, so every test program proves the library before it
 * measures anything.  Shared by ctests/common.h, tests/hardening/hcommon.h and
 * tests/difftest/difftest.c; it does not include <keyutils.h>, because difftest
 * builds against the original header.
 */
#ifndef KEYUTILS_TESTS_MAPPED_H
#define KEYUTILS_TESTS_MAPPED_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 if the process mapped at least one file named libkeyutils.so* and every
 * such mapping is the file @want resolves to; 0 otherwise.  @why receives the
 * reason of a failure, or on success the mapped file (real path). */
static __attribute__((unused)) int km_mapped_is(const char *want, char *why, size_t whylen)
{
	char wantreal[PATH_MAX], got[PATH_MAX], line[PATH_MAX + 256];
	FILE *f;
	int n = 0, good = 1;

	if (!realpath(want, wantreal)) {
		snprintf(why, whylen, "cannot resolve %s: %s", want, strerror(errno));
		return 0;
	}
	f = fopen("/proc/self/maps", "r");
	if (!f) {
		snprintf(why, whylen, "cannot read /proc/self/maps: %s", strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');

		if (!path)
			continue;
		path[strcspn(path, "\n")] = 0;
		if (strncmp(strrchr(path, '/') + 1, "libkeyutils.so", 14) != 0)
			continue;
		if (!realpath(path, got)) {
			snprintf(why, whylen, "cannot resolve mapped %s", path);
			good = 0;
			break;
		}
		if (strcmp(got, wantreal) != 0) {
			snprintf(why, whylen, "mapped %s, expected %s", got, wantreal);
			good = 0;
			break;
		}
		n++;
	}
	fclose(f);
	if (good && !n) {
		snprintf(why, whylen, "no libkeyutils mapped");
		good = 0;
	}
	if (good)
		snprintf(why, whylen, "%s", wantreal);
	return good;
}

#endif

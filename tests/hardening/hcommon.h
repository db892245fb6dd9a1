/* Shared helpers for the hardening programs: TAP output, proof of which libkeyutils.so.1 the
 * process mapped, and a fresh session keyring.
 */
#ifndef HARDENING_COMMON_H
#define HARDENING_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <keyutils.h>

#include "../../ctests/mapped.h"

static int h_passed, h_failed;

static __attribute__((format(printf, 2, 3), unused)) void h_check(int good, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", good ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (good)
		h_passed++;
	else
		h_failed++;
}

static __attribute__((unused)) int h_finish(void)
{
	printf("%d passed, %d failed\n", h_passed, h_failed);
	return h_failed == 0 && h_passed > 0 ? 0 : 1;
}

/* Fails the program unless the libkeyutils.so.1 it mapped is $KEYUTILS_LIBDIR/libkeyutils.so.1
 * (every libkeyutils.so* mapping, see ctests/mapped.h). */
static __attribute__((unused)) void h_prove_library(const char *prog)
{
	const char *dir = getenv("KEYUTILS_LIBDIR");
	char want[PATH_MAX], why[2 * PATH_MAX + 64];

	if (!dir) {
		h_check(0, "%s: KEYUTILS_LIBDIR is set", prog);
		exit(h_finish());
	}
	snprintf(want, sizeof(want), "%s/libkeyutils.so.1", dir);
	if (!km_mapped_is(want, why, sizeof(why))) {
		h_check(0, "%s: %s", prog, why);
		exit(h_finish());
	}
	printf("# %s: mapped %s\n", prog, why);
}

/* Joins a fresh anonymous session keyring; the process's keys live there and die with it. */
static __attribute__((unused)) key_serial_t h_fresh_session(const char *prog)
{
	key_serial_t s = keyctl_join_session_keyring(NULL);

	if (s < 0) {
		h_check(0, "%s: join a fresh session keyring: %s", prog, strerror(errno));
		exit(h_finish());
	}
	return s;
}

#endif

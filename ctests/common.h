/* Shared helpers for the C tests in ctests/.
 *
 * Every test program includes this first.  It gives TAP-style assertion
 * macros ("ok - ..." / "not ok - ..."), proves which libkeyutils.so.1 the
 * process really mapped (LD_LIBRARY_PATH silently falls back to the system
 * copy when the directory lacks the soname), and moves the process into a
 * fresh anonymous session keyring so no key leaks into @u or @us.
 */
#ifndef CTESTS_COMMON_H
#define CTESTS_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <keyutils.h>

#include "mapped.h"

static int t_passed;
static int t_failed;
static const char *t_prog = "test";

static __attribute__((unused)) void t_report(int good, const char *file, int line, const char *detail,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static __attribute__((unused)) void t_report(int good, const char *file, int line, const char *detail,
		     const char *fmt, ...)
{
	va_list ap;

	printf("%s - %s: ", good ? "ok" : "not ok", t_prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!good)
		printf("  # %s:%d: %s", file, line, detail ? detail : "");
	printf("\n");
	fflush(stdout);
	if (good)
		t_passed++;
	else
		t_failed++;
}

/* CHECK(cond, "name fmt", ...) */
#define CHECK(cond, ...)						\
	t_report(!!(cond), __FILE__, __LINE__, "failed: " #cond, __VA_ARGS__)

/* CHECK_EQ(actual, expected, "name") on integers, prints both on failure. */
#define CHECK_EQ(actual, expected, ...)					\
	do {								\
		long long a_ = (long long)(actual);			\
		long long e_ = (long long)(expected);			\
		char d_[256];						\
		snprintf(d_, sizeof(d_), "%s = %lld, expected %s = %lld", \
			 #actual, a_, #expected, e_);			\
		t_report(a_ == e_, __FILE__, __LINE__, d_, __VA_ARGS__); \
	} while (0)

/* CHECK_ERR(expr, ERRNO, "name"): expr must return -1 and set errno. */
#define CHECK_ERR(expr, experr, ...)					\
	do {								\
		long long r_;						\
		int en_;						\
		char d_[256];						\
		errno = 0;						\
		r_ = (long long)(expr);					\
		en_ = errno;						\
		snprintf(d_, sizeof(d_),				\
			 "%s returned %lld errno %d (%s), expected -1 errno %d (%s)", \
			 #expr, r_, en_, strerror(en_), (int)(experr),	\
			 strerror(experr));				\
		t_report(r_ == -1 && en_ == (experr), __FILE__, __LINE__, d_, \
			 __VA_ARGS__);					\
	} while (0)

/* CHECK_RET(expr, expected, "name"): expr must return expected (errno free). */
#define CHECK_RET(expr, expected, ...)					\
	do {								\
		long long r_;						\
		int en_;						\
		char d_[256];						\
		errno = 0;						\
		r_ = (long long)(expr);					\
		en_ = errno;						\
		snprintf(d_, sizeof(d_),				\
			 "%s returned %lld (errno %d %s), expected %lld", \
			 #expr, r_, en_, strerror(en_), (long long)(expected)); \
		t_report(r_ == (long long)(expected), __FILE__, __LINE__, d_, \
			 __VA_ARGS__);					\
	} while (0)

/* CHECK_AS_RAW(expr, raw, "name"): expr, through the library, gives what raw, the system call
 * itself, gives: the same return value and, on failure, the same errno. For answers that depend on
 * the kernel's features or version (raw runs first: use it for calls without side effects). */
#define CHECK_AS_RAW(expr, raw, ...)					\
	do {								\
		long long r_, w_;					\
		int en_, ew_;						\
		char d_[320];						\
		errno = 0;						\
		w_ = (long long)(raw);					\
		ew_ = errno;						\
		errno = 0;						\
		r_ = (long long)(expr);					\
		en_ = errno;						\
		snprintf(d_, sizeof(d_),				\
			 "%s returned %lld errno %d (%s), the system call %lld errno %d (%s)", \
			 #expr, r_, en_, strerror(en_), w_, ew_, strerror(ew_)); \
		t_report(r_ == w_ && (r_ != -1 || en_ == ew_), __FILE__, __LINE__, d_, \
			 __VA_ARGS__);					\
	} while (0)

/* CHECK_MEM(buf, expected, len, "name"): exact bytes. */
#define CHECK_MEM(buf, expected, len, ...)				\
	do {								\
		size_t l_ = (len);					\
		const unsigned char *b_ = (const unsigned char *)(buf);	\
		const unsigned char *x_ = (const unsigned char *)(expected); \
		size_t i_;						\
		char d_[256];						\
		for (i_ = 0; i_ < l_ && b_[i_] == x_[i_]; i_++)		\
			;						\
		if (i_ < l_)						\
			snprintf(d_, sizeof(d_),			\
				 "byte %zu of %zu is 0x%02x, expected 0x%02x", \
				 i_, l_, b_[i_], x_[i_]);		\
		else							\
			d_[0] = 0;					\
		t_report(i_ == l_, __FILE__, __LINE__, d_, __VA_ARGS__); \
	} while (0)

#define CANARY 0xa5
#define NOKEY ((key_serial_t)0x7ffffff0)	/* a serial nobody owns */

/* CHECK_CANARY(buf, from, to, "name"): bytes [from, to) still hold CANARY. */
#define CHECK_CANARY(buf, from, to, ...)				\
	do {								\
		const unsigned char *b_ = (const unsigned char *)(buf);	\
		size_t i_, f_ = (from), t_ = (to);			\
		char d_[128];						\
		for (i_ = f_; i_ < t_ && b_[i_] == CANARY; i_++)	\
			;						\
		if (i_ < t_)						\
			snprintf(d_, sizeof(d_),			\
				 "byte %zu overwritten with 0x%02x", i_, b_[i_]); \
		else							\
			d_[0] = 0;					\
		t_report(i_ == t_, __FILE__, __LINE__, d_, __VA_ARGS__); \
	} while (0)

/* 1 if the calling process mapped exactly $KEYUTILS_LIBDIR/libkeyutils.so.1. */
static __attribute__((unused)) int t_lib_is_expected(char *why, size_t whylen)
{
	const char *dir = getenv("KEYUTILS_LIBDIR");
	char want[PATH_MAX];

	if (!dir || !*dir) {
		snprintf(why, whylen, "KEYUTILS_LIBDIR is not set");
		return 0;
	}
	snprintf(want, sizeof(want), "%s/libkeyutils.so.1", dir);
	return km_mapped_is(want, why, whylen);
}

/* Start of every test program: name the test, prove the library, enter a
 * fresh anonymous session keyring.  Exits at once if the library is wrong:
 * nothing measured against another library would mean anything. */
static __attribute__((unused)) key_serial_t t_init(const char *prog)
{
	char why[2 * PATH_MAX + 64];
	key_serial_t ses;
	int good;

	t_prog = prog;
	setvbuf(stdout, NULL, _IOLBF, 0);
	good = t_lib_is_expected(why, sizeof(why));
	t_report(good, __FILE__, __LINE__, why,
		 "mapped libkeyutils.so.1 is the one in $KEYUTILS_LIBDIR");
	if (!good) {
		printf("# %s: %s\n", prog, why);
		printf("# %s: 0 passed, 1 failed\n", prog);
		exit(1);
	}
	ses = keyctl_join_session_keyring(NULL);
	CHECK(ses > 0, "join a fresh anonymous session keyring");
	if (ses <= 0)
		exit(1);
	return ses;
}

/* End of every test program. */
static __attribute__((unused)) int t_done(void)
{
	printf("# %s: %d passed, %d failed\n", t_prog, t_passed, t_failed);
	fflush(stdout);
	return t_failed ? 1 : 0;
}

/* A description unique to this process and call site. */
static __attribute__((unused)) const char *t_uniq(const char *tag)
{
	static char buf[32][128];
	static unsigned n;
	char *b = buf[n++ % 32];

	snprintf(b, 128, "ctest-%s-%d-%u-%s", t_prog, (int)getpid(), n, tag);
	return b;
}

/* Deliberately bad pointers (EFAULT checks) are skipped under valgrind,
 * which reports them as errors of the test itself; the plain run has them. */
static __attribute__((unused)) int t_bad_pointers(void)
{
	const char *v = getenv("CTESTS_NO_BAD_POINTERS");

	return !v || !*v || strcmp(v, "0") == 0;
}

/* Whether the running kernel has a feature: bit @bit of byte @byte of KEYCTL_CAPABILITIES, asked
 * with the system call itself (no library in the way; all clear before Linux 5.3, which lacks the
 * command). What the kernel lacks is tested on its exact error path, what it has on what it does. */
static __attribute__((unused)) int t_kernel_has(int byte, unsigned char bit)
{
	static unsigned char caps[2];
	static int fetched;

	if (!fetched) {
		syscall(SYS_keyctl, KEYCTL_CAPABILITIES, caps, sizeof(caps));
		fetched = 1;
	}
	return (caps[byte] & bit) != 0;
}

/* Sleep for @ms milliseconds. */
static __attribute__((unused)) void t_msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

#endif /* CTESTS_COMMON_H */

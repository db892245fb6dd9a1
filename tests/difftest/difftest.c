/* Differential test program for libkeyutils.
 *
 * Built once against the ORIGINAL <keyutils.h>, run once against Debian's
 * libkeyutils.so.1 and once against ours; run.sh compares the two outputs
 * case by case (compare.py normalises serial numbers).
 *
 * Output format (stdout):
 *   "### <case>"           starts a case; every following line belongs to it
 *   "{k:<serial>}"         a key serial; compare.py renames serials K1, K2...
 *                          in order of first appearance within the case
 *   "anchor NAME {k:N}"    (setup case) this serial is "@NAME" everywhere
 *   "[set: a b c]"         an unordered set; compare.py sorts the items
 * The run's unique tag (env DIFFTEST_TAG, fixed width) is replaced by "@T@"
 * before anything is printed, so descriptions differ only in serials.
 *
 * Setup and waits use raw syscalls, so that a broken library under test
 * shows up as differences in the tested calls, not as a broken fixture.
 * Behaviour the original library only has by accident (crashes on NULL
 * out-pointers etc.) is NOT exercised here; see README.md.
 */
#define _GNU_SOURCE
#include <keyutils.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../ctests/mapped.h"

#define CANARY 16
/* a serial that no key has (serials are random, this one is very unlikely) */
#define UNKNOWN_ID 0x7ffffff0
#define CANARY_BYTE 0xa5

static char tag[32];
static char uidstr[16];		/* printed as "UID" when set */
/* 0 under DIFFTEST_NO_BAD_POINTERS=1 (set by tests/hardening/valgrind.sh): the
 * cases that hand the kernel an invalid pointer on purpose are left out.
 * valgrind reports each such system call argument as an error of this
 * program (and 3.19 crashes on KEYCTL_SEARCH with a NULL type). */
static int bad_pointers = 1;
/* Marks a case (or call) that passes an invalid pointer to the kernel:
 * BAD_POINTER_CASE { C("..."); call; } */
#define BAD_POINTER_CASE if (bad_pointers)
static size_t taglen;
static const char *workdir;
static int outfd = 1;

/* ------------------------------------------------------------------ */
/* output                                                               */

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("difftest: FATAL: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(3);
}

static void write_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(outfd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			exit(4);
		}
		s += w;
		n -= (size_t)w;
	}
}

/* Copy of buf with every occurrence of the run tag replaced by "@T@". */
static char *tagsub(const char *buf, size_t len, size_t *olen)
{
	char *out = malloc(len + 1);
	size_t i = 0, o = 0;

	if (!out)
		die("malloc");
	while (i < len) {
		if (taglen && i + taglen <= len && memcmp(buf + i, tag, taglen) == 0) {
			memcpy(out + o, "@T@", 3);
			o += 3;
			i += taglen;
		} else {
			out[o++] = buf[i++];
		}
	}
	out[o] = 0;
	*olen = o;
	return out;
}

/* Replace the decimal uid where it stands alone (not inside a longer
 * number or word); takes ownership of s. */
static char *uidsub(char *s, size_t *n)
{
	size_t ul = strlen(uidstr), i = 0, o = 0;
	char *out = malloc(*n * 2 + 1);

	if (!out)
		die("malloc");
	while (i < *n) {
		if (i + ul <= *n && memcmp(s + i, uidstr, ul) == 0 &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1])) &&
		    (i + ul == *n || !isalnum((unsigned char)s[i + ul]))) {
			memcpy(out + o, "UID", 3);
			o += 3;
			i += ul;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = 0;
	free(s);
	*n = o;
	return out;
}

static void vline(const char *prefix, const char *fmt, va_list ap)
{
	char *s = NULL, *t;
	size_t n;
	int len = vasprintf(&s, fmt, ap);

	if (len < 0)
		die("vasprintf");
	t = tagsub(s, (size_t)len, &n);
	if (uidstr[0])
		t = uidsub(t, &n);
	write_all(prefix, strlen(prefix));
	write_all(t, n);
	write_all("\n", 1);
	free(s);
	free(t);
}

/* One output line of the current case. */
static void P(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void P(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("", fmt, ap);
	va_end(ap);
}

/* Start a case. */
static void C(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void C(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline("### ", fmt, ap);
	va_end(ap);
}

static uint32_t fnv(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

/* Printable rendering of bytes: tag replaced, non-printables escaped, long
 * data shortened to a head plus length and hash.  Returns malloc'd text. */
static char *show(const void *data, size_t len)
{
	size_t n, i, o = 0, head;
	char *t, *out;

	if (!data)
		return strdup("(null)");
	t = tagsub(data, len, &n);
	head = n > 160 ? 64 : n;
	out = malloc(head * 4 + 64);
	if (!out)
		die("malloc");
	out[o++] = '"';
	for (i = 0; i < head; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"' && c != '{' && c != '[')
			out[o++] = (char)c;
		else
			o += (size_t)sprintf(out + o, "\\x%02x", c);
	}
	out[o++] = '"';
	out[o] = 0;
	if (head < n)
		sprintf(out + o, "...(%zu bytes, fnv %08x)", n, fnv((unsigned char *)t, n));
	free(t);
	return out;
}

static const char *ename(int e)
{
	static char buf[32];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E?%d", e);
	return buf;
}

/* A serial rendered for compare.py (rotating static buffers). */
static const char *ks(long v)
{
	static char bufs[8][32];
	static int i;
	char *b = bufs[i++ & 7];

	if (v == UNKNOWN_ID)
		snprintf(b, 32, "UNKNOWN_ID");
	else if (v > 0)
		snprintf(b, 32, "{k:%ld}", v);
	else
		snprintf(b, 32, "%ld", v);
	return b;
}

static void pr_ret(const char *expr, long r, int e, int serial)
{
	if (r == -1)
		P("%s = -1 %s", expr, ename(e));
	else if (serial)
		P("%s = %s", expr, ks(r));
	else
		P("%s = %ld", expr, r);
}

/* Call, print "expr = result [ERRNO]", yield the result. */
#define R(expr) ({ errno = 0; long r_ = (long)(expr); int e_ = errno; \
		   pr_ret(#expr, r_, e_, 0); errno = e_; r_; })
/* Same, but a non-negative result is shown only as ">=0": for lengths of
 * text that contains a serial number (whose width varies). */
#define RV(expr) ({ errno = 0; long r_ = (long)(expr); int e_ = errno; \
		    if (r_ >= 0) P("%s = >=0", #expr); else pr_ret(#expr, r_, e_, 0); \
		    errno = e_; r_; })
/* Same, the result is a key serial. */
#define RS(expr) ({ errno = 0; long r_ = (long)(expr); int e_ = errno; \
		    pr_ret(#expr, r_, e_, 1); errno = e_; r_; })

/* ------------------------------------------------------------------ */
/* raw syscalls: fixtures and checks that must not depend on the library */

static long rk(int cmd, unsigned long a2, unsigned long a3, unsigned long a4,
	       unsigned long a5)
{
	return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

static key_serial_t radd(const char *type, const char *desc, const void *p,
			 size_t n, key_serial_t ring)
{
	return (key_serial_t)syscall(SYS_add_key, type, desc, p, n, ring);
}

/* Every description D() made, so that the ones passed straight to a call
 * stay reachable (valgrind would count them as definite leaks of this
 * program); some callers free theirs, the stale entries are harmless. */
static char **dlist;
static size_t dcount, dcap;

static char *D(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *D(const char *fmt, ...)
{
	char *s = NULL, *d = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die("vasprintf");
	va_end(ap);
	if (asprintf(&d, "%s:%s", tag, s) < 0)
		die("asprintf");
	free(s);
	if (dcount == dcap) {
		dcap = dcap ? dcap * 2 : 256;
		dlist = realloc(dlist, dcap * sizeof(*dlist));
		if (!dlist)
			die("realloc");
	}
	dlist[dcount++] = d;
	return d;
}

static key_serial_t mkkey(const char *desc, const char *payload, key_serial_t ring)
{
	key_serial_t k = radd("user", desc, payload, strlen(payload), ring);

	if (k < 0)
		die("add_key user %s: %s", desc, strerror(errno));
	return k;
}

static key_serial_t mkring(const char *desc, key_serial_t ring)
{
	key_serial_t k = radd("keyring", desc, NULL, 0, ring);

	if (k < 0)
		die("add_key keyring %s: %s", desc, strerror(errno));
	return k;
}

static void rperm(key_serial_t k, unsigned perm)
{
	if (rk(KEYCTL_SETPERM, (unsigned long)k, perm, 0, 0) < 0)
		die("setperm %d: %s", k, strerror(errno));
}

/* Tag-normalised "type;uid;gid;perm;desc" via the raw syscall, for sorting. */
static char *rdesc(key_serial_t k)
{
	char buf[8192], *t;
	long n = rk(KEYCTL_DESCRIBE, (unsigned long)k, (unsigned long)buf, sizeof(buf), 0);
	size_t tl;

	if (n < 0 || n > (long)sizeof(buf))
		return strdup("~");
	t = tagsub(buf, strlen(buf), &tl);
	return t;
}

struct skey { key_serial_t k; char *d; };

static int skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	int c = strcmp(x->d, y->d);

	if (c)
		return c;
	return (x->k > y->k) - (x->k < y->k);
}

/* Print a list of serials as an unordered set, pre-sorted by description so
 * that first appearances (and so K numbers) do not depend on serial values. */
static void pr_set(const char *label, const key_serial_t *ks_, size_t n)
{
	struct skey *v = calloc(n + 1, sizeof(*v));
	char *line;
	size_t i, len = 0;

	if (!v)
		die("calloc");
	for (i = 0; i < n; i++) {
		v[i].k = ks_[i];
		v[i].d = rdesc(ks_[i]);
	}
	qsort(v, n, sizeof(*v), skey_cmp);
	line = malloc(n * 24 + 16);
	if (!line)
		die("malloc");
	line[0] = 0;
	for (i = 0; i < n; i++) {
		len += (size_t)sprintf(line + len, " %s", ks(v[i].k));
		free(v[i].d);
	}
	P("%s n=%zu [set:%s]", label, n, line);
	free(line);
	free(v);
}

/* The /proc/keys line of a key, without the volatile columns (usage count,
 * exact remaining time). */
static void pr_proc(key_serial_t k)
{
	FILE *f = fopen("/proc/keys", "r");
	char line[8192];
	int found = 0;

	if (!f)
		die("/proc/keys: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;
		char flags[32], use[32], exp[32], perm[32], uid[32], gid[32], type[64];
		int off = 0;

		if (sscanf(line, "%x %31s %31s %31s %31s %31s %31s %63s %n", &id, flags, use,
			   exp, perm, uid, gid, type, &off) != 8)
			continue;
		if ((key_serial_t)id != k)
			continue;
		line[strcspn(line, "\n")] = 0;
		{
			char *s = show(line + off, strlen(line + off));

			P("proc: %s %s %s %s %s %s %s", flags,
			  strcmp(exp, "perm") == 0 ? "perm" : "timed", perm, uid, gid, type, s);
			free(s);
		}
		found = 1;
	}
	fclose(f);
	if (!found)
		P("proc: %s not listed", ks(k));
}

/* Serial of the key of this type and description in /proc/keys, or 0. */
static key_serial_t proc_find(const char *type, const char *desc)
{
	FILE *f = fopen("/proc/keys", "r");
	char line[8192];
	size_t dl = strlen(desc);
	key_serial_t r = 0;

	if (!f)
		die("/proc/keys");
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;
		char t[64];
		int off = 0;

		if (sscanf(line, "%x %*s %*s %*s %*s %*s %*s %63s %n", &id, t, &off) != 2)
			continue;
		if (strcmp(t, type) || strncmp(line + off, desc, dl))
			continue;
		if (line[off + dl] != ':' && line[off + dl] != '\n')
			continue;
		if (r)
			die("proc_find: two keys %s %s", type, desc);
		r = (key_serial_t)id;
	}
	fclose(f);
	return r;
}

static int proc_has(key_serial_t k)
{
	FILE *f = fopen("/proc/keys", "r");
	char line[8192];
	int found = 0;

	if (!f)
		die("/proc/keys");
	while (fgets(line, sizeof(line), f)) {
		unsigned int id;

		if (sscanf(line, "%x", &id) == 1 && (key_serial_t)id == k)
			found = 1;
	}
	fclose(f);
	return found;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Bounded wait until the key has been garbage collected. */
static void wait_gone(key_serial_t k)
{
	int i;

	for (i = 0; i < 600; i++) {
		if (!proc_has(k))
			return;
		sleep_ms(25);
	}
	die("key %d not garbage collected within 15 s", k);
}

/* Bounded wait until the key reports EKEYEXPIRED. */
static void wait_expired(key_serial_t k)
{
	char b[8];
	int i;

	for (i = 0; i < 100; i++) {
		if (rk(KEYCTL_READ, (unsigned long)k, (unsigned long)b, sizeof(b), 0) < 0 &&
		    errno == EKEYEXPIRED)
			return;
		if (rk(KEYCTL_DESCRIBE, (unsigned long)k, 0, 0, 0) < 0 && errno == EKEYEXPIRED)
			return;
		sleep_ms(50);
	}
	die("key %d did not expire within 5 s", k);
}

/* ------------------------------------------------------------------ */
/* buffers with canaries                                                */

static unsigned char *cbuf(size_t n)
{
	unsigned char *p = malloc(n + CANARY);

	if (!p)
		die("malloc");
	memset(p, CANARY_BYTE, n + CANARY);
	return p;
}

/* The offset of the first byte in p[from, to) that no longer holds
 * CANARY_BYTE, or -1 if they all do. */
static long canary_at(const unsigned char *p, size_t from, size_t to)
{
	for (; from < to; from++)
		if (p[from] != CANARY_BYTE)
			return (long)from;
	return -1;
}

/* 1 if the CANARY bytes after an n-byte cbuf() buffer survived. */
static int canary_ok(const unsigned char *p, size_t n)
{
	return canary_at(p, n, n + CANARY) < 0;
}

/* Print all n bytes of the buffer (unwritten ones show as \xa5) and whether
 * the canary bytes after it survived; frees the buffer. */
static void cshow(unsigned char *p, size_t n)
{
	char *s = show(p, n);
	long at = canary_at(p, n, n + CANARY);

	P("buf[%zu] = %s", n, s);
	free(s);
	if (at >= 0)
		P("CANARY SMASHED at +%zu", (size_t)at - n);
	else
		P("canary intact");
	free(p);
}

/* Keyring contents in a buffer: the fully written serials as a set, plus
 * the count of untouched slots. */
static void ringshow(const unsigned char *p, size_t n, long ret)
{
	size_t cnt = 0, i, lim = n;
	key_serial_t v[2048];

	if (ret >= 0 && (size_t)ret < lim)
		lim = (size_t)ret;
	for (i = 0; i + 4 <= lim && cnt < 2048; i += 4) {
		key_serial_t s;

		memcpy(&s, p + i, 4);
		if ((uint32_t)s == 0xa5a5a5a5u)
			continue;
		v[cnt++] = s;
	}
	pr_set("ring", v, cnt);
}

/* ------------------------------------------------------------------ */
/* which library is mapped                                              */

/* Dies unless every libkeyutils.so* mapping is $DIFFTEST_EXPECT_LIB
 * (ctests/mapped.h). */
static void prove_lib(const char *who)
{
	const char *exp = getenv("DIFFTEST_EXPECT_LIB");
	char why[2 * PATH_MAX + 64];

	if (!exp)
		die("%s: DIFFTEST_EXPECT_LIB unset", who);
	if (!km_mapped_is(exp, why, sizeof(why)))
		die("%s: %s", who, why);
	fprintf(stderr, "difftest %s: mapped %s\n", who, why);
}

/* The handler script records `ldd keyctl` when it runs Debian's keyctl. */
static void check_ldd_proof(const char *path)
{
	const char *exp = getenv("DIFFTEST_EXPECT_LIB");
	char want[PATH_MAX], got[PATH_MAX], line[PATH_MAX + 256];
	FILE *f = fopen(path, "r");
	int ok = 0;

	if (!f)
		die("no proof file %s", path);
	if (!exp || !realpath(exp, want))
		die("DIFFTEST_EXPECT_LIB");
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "=> ");
		char *sp;

		if (!strstr(line, "libkeyutils.so") || !p)
			continue;
		p += 3;
		sp = strchr(p, ' ');
		if (sp)
			*sp = 0;
		if (!realpath(p, got) || strcmp(got, want) != 0)
			die("keyctl in the upcall resolved %s, expected %s", p, want);
		ok = 1;
	}
	fclose(f);
	if (!ok)
		die("proof file %s has no libkeyutils line", path);
	unlink(path);
}

/* ------------------------------------------------------------------ */
/* child processes                                                      */

/* Run fn in a forked child (with a 20 s alarm); print how it ended. */
static void in_child(const char *what, void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		alarm(20);
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	if (WIFEXITED(st))
		P("%s: child exit %d", what, WEXITSTATUS(st));
	else
		P("%s: child killed by signal %d", what, WTERMSIG(st));
	/* a harness failure in the child (die(), its alarm) prints the same in
	 * every run; run.sh fails the run on this line, the cases go on */
	if ((WIFEXITED(st) && WEXITSTATUS(st) != 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM))
		fprintf(stderr, "difftest: FATAL: child %s did not finish its cases\n", what);
}

/* Fresh anonymous session keyring (raw). */
static key_serial_t raw_new_session(void)
{
	long s = rk(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);

	if (s < 0)
		die("join session: %s", strerror(errno));
	return (key_serial_t)s;
}

/* The uid of the find_key child (find_key.inc), 0 in the main program. */
static uid_t own_uid;

/* Around a request_key() that makes an upcall for own_uid.  Whether the
 * kernel runs /sbin/request-key for a requester whose euid is not 0 differs
 * between kernels (6.18 fails the request with ENOENT before any handler
 * runs), so the child keeps a saved uid of 0 and asks with euid 0 and only
 * the fsuid set to its uid: the fsuid owns the new key and is what key
 * permissions are checked against, so the key is the uid's as before. */
static void upcall_begin(void)
{
	if (!own_uid)
		return;
	if (seteuid(0) < 0)
		die("seteuid 0: %s", strerror(errno));
	setfsuid(own_uid);
	if ((uid_t)setfsuid((uid_t)-1) != own_uid)
		die("setfsuid %u did not take", own_uid);
}

static void upcall_end(void)
{
	if (!own_uid)
		return;
	if (seteuid(own_uid) < 0)
		die("seteuid %u: %s", own_uid, strerror(errno));
	if ((uid_t)setfsuid((uid_t)-1) != own_uid)
		die("fsuid did not follow euid back to %u", own_uid);
}

/* ------------------------------------------------------------------ */
/* global fixtures                                                      */

static key_serial_t SES;		/* this run's session keyring */
static key_serial_t FIX;		/* fixture keyring in the session */

static const unsigned char *cert_der;
static size_t cert_len;
static unsigned char *sig_bin, *digest_bin;
static size_t sig_len, digest_len;

static unsigned char *slurp(const char *env, size_t *len)
{
	const char *path = getenv(env);
	unsigned char *buf;
	struct stat st;
	int fd;

	if (!path)
		die("env %s not set (run.sh provides it)", env);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", path, strerror(errno));
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		die("read %s", path);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

#include "cases_basic.inc"
#include "cases_more.inc"
#include "upcall.inc"
#include "cases_matrix.inc"
#include "find_key.inc"

int main(int argc, char **argv)
{
	const char *t = getenv("DIFFTEST_TAG");

	if (!t || strlen(t) != 10)
		die("DIFFTEST_TAG must be set to a 10-character unique tag");
	snprintf(tag, sizeof(tag), "%s", t);
	taglen = strlen(tag);
	workdir = getenv("DIFFTEST_WORKDIR");
	if (!workdir)
		die("DIFFTEST_WORKDIR not set");

	if (argc > 1 && strcmp(argv[1], "--handler") == 0)
		return handler_main(argc - 2, argv + 2);
	if (argc > 1)
		die("usage: difftest [--handler ...]");

	prove_lib("main");
	{
		const char *v = getenv("DIFFTEST_NO_BAD_POINTERS");

		bad_pointers = !v || !*v || strcmp(v, "0") == 0;
		if (!bad_pointers)
			fprintf(stderr, "difftest main: DIFFTEST_NO_BAD_POINTERS: "
				"bad-pointer cases left out\n");
	}
	signal(SIGPIPE, SIG_IGN);
	cert_der = slurp("DIFFTEST_CERT", &cert_len);
	sig_bin = slurp("DIFFTEST_SIG", &sig_len);
	digest_bin = slurp("DIFFTEST_DIGEST", &digest_len);

	SES = raw_new_session();
	C("setup");
	FIX = mkring(D("fix"), KEY_SPEC_SESSION_KEYRING);
	/* serials compare.py names the same in every case */
	P("anchor session %s", ks(SES));
	P("anchor fixture %s", ks(FIX));
	P("anchor thread %s", ks(rk(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_THREAD_KEYRING, 1, 0, 0)));
	P("anchor process %s", ks(rk(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_PROCESS_KEYRING, 1, 0, 0)));
	P("anchor user %s", ks(rk(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_USER_KEYRING, 0, 0, 0)));
	P("anchor usersession %s", ks(rk(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_USER_SESSION_KEYRING, 0, 0, 0)));
	P("anchor persistent %s", ks(rk(KEYCTL_GET_PERSISTENT, (unsigned long)-1, (unsigned long)FIX, 0, 0)));
	rk(KEYCTL_CLEAR, (unsigned long)FIX, 0, 0, 0);

	cases_strings();
	cases_add_key();
	cases_request_key();
	cases_get_keyring_id();
	cases_update();
	cases_revoke_chown_setperm();
	cases_describe();
	cases_read();
	cases_link_unlink_clear();
	cases_search();
	cases_alloc();
	cases_security();
	cases_timeout_expiry();
	cases_invalidate();
	cases_reqkey_keyring();
	cases_outside_upcall();
	cases_join_session();
	cases_session_to_parent();
	cases_persistent();
	cases_dh();
	cases_restrict();
	cases_move();
	cases_capabilities_watch();
	cases_pkey();
	cases_scan();
	cases_find_key();
	cases_many();
	cases_keyctl_variadic();
	cases_upcall();
	cases_matrix();

	C("end");
	P("complete");
	return 0;
}

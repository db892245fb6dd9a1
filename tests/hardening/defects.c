/* The known defects of keyutils 1.6.3, run against one library and checked against what that
 * library is expected to do: `defects original` expects keyutils 1.6.3's behaviour (crashes
 * included), `defects ours` the fixed one. run.sh runs both, so each defect is shown on the
 * original beside ours.
 *
 * Every case runs in a forked child, so a crash is observed as the child's death by a signal.
 * The keys a case needs are made by the parent before the fork and destroyed after it, and the
 * parent waits until they have left /proc/keys: a key with a long description left visible would
 * crash every later lookup of the original.
 *
 * The process first becomes a uid of its own (root is needed for that): /proc/keys then shows it
 * only its own keys, not those of other test processes that run as root at the same time.
 *
 * Some behaviours cannot be produced by this kernel: a KEYCTL_DESCRIBE result that does not parse,
 * a Diffie-Hellman result that changes size between two calls (this kernel has no DH at all), a
 * payload too large for malloc. For those the program defines syscall() itself: an executable's
 * definition interposes on libc's for both libraries, and fakes exactly one keyctl command during
 * one case; everything else is passed to libc's syscall().
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "hcommon.h"

static int expect_original;

/* ---- the fake syscall ---------------------------------------------------------------------- */

enum { FAKE_NONE, FAKE_DH_GROWS, FAKE_BAD_DESCRIBE, FAKE_HUGE_READ };
static volatile int fake_mode = FAKE_NONE;
static int fake_dh_calls;
#define FAKE_ID 0x7ead0001
#define FAKE_DESC ";0;0;3f010000;no type"

long syscall(long nr, ...);
long syscall(long nr, ...)
{
	static long (*real)(long, ...);
	va_list ap;
	long a[5];

	va_start(ap, nr);
	for (int i = 0; i < 5; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (!real)
		real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");

	if (nr == SYS_keyctl && fake_mode == FAKE_DH_GROWS && a[0] == KEYCTL_DH_COMPUTE) {
		/* The result is 16 bytes at the first size query and 32 from the first fetch on,
		 * and, as the kernel does, a buffer too short for it gives EOVERFLOW. */
		size_t size = fake_dh_calls++ == 0 ? 16 : 32;
		char *buf = (char *)a[2];
		size_t buflen = (size_t)a[3];

		if (buflen == 0)
			return (long)size;
		if (buflen < size) {
			errno = EOVERFLOW;
			return -1;
		}
		memset(buf, 0xab, size);
		return (long)size;
	}
	if (nr == SYS_keyctl && fake_mode == FAKE_BAD_DESCRIBE && a[0] == KEYCTL_DESCRIBE &&
	    a[1] == FAKE_ID) {
		size_t len = sizeof(FAKE_DESC);

		if (a[2] && (size_t)a[3] >= len)
			memcpy((char *)a[2], FAKE_DESC, len);
		return (long)len;
	}
	if (nr == SYS_keyctl && fake_mode == FAKE_HUGE_READ && a[0] == KEYCTL_READ &&
	    a[1] == FAKE_ID) {
#if LONG_MAX > 0x7fffffffL
		/* A payload of 64 TiB: no malloc can hold it. */
		return 1L << 46;
#else
		/* 2 GiB, the most a 32-bit long says: more than the process can get beside its code. */
		return LONG_MAX;
#endif
	}
	return real(nr, a[0], a[1], a[2], a[3], a[4]);
}

/* What Debian's build of the original does with a NULL description, measured on each architecture
 * in the VM lab: its strlen(NULL) crashes, except on s390x, where the build inlines it (the SRST
 * instruction) and the call ends with request_key's EFAULT. */
#ifdef __s390x__
#define ORIG_FIND_NULL_DESC "-1 EFAULT"
#else
#define ORIG_FIND_NULL_DESC "killed by SIGSEGV"
#endif

/* ---- keys --------------------------------------------------------------------------------- */

static key_serial_t session;
static key_serial_t ring;	/* the current case's keyring, in the session */
static key_serial_t made[8];	/* the keys a case made, to wait for their destruction */
static int nmade;
static char name[64];		/* unique prefix for this process's descriptions */

/* Possessor and owner may view and setattr, but not search: request_key(2) cannot find the key,
 * /proc/keys and KEYCTL_DESCRIBE still show it, so a lookup must go through /proc/keys. */
#define PERM_VIEW_ONLY (KEY_POS_VIEW | KEY_POS_SETATTR | KEY_USR_VIEW | KEY_USR_SETATTR)

static void die(const char *what)
{
	h_check(0, "setup: %s: %s", what, strerror(errno));
	exit(h_finish());
}

static key_serial_t add(const char *type, const char *desc, const void *p, size_t plen, int hidden)
{
	key_serial_t k = add_key(type, desc, p, plen, ring);

	if (k < 0)
		die(type);
	if (hidden && keyctl_setperm(k, PERM_VIEW_ONLY) < 0)
		die("setperm");
	made[nmade++] = k;
	return k;
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		die("malloc");
	memset(s, c, n);
	s[n] = 0;
	return s;
}

static int in_proc_keys(key_serial_t k)
{
	char line[8192], want[16];
	FILE *f = fopen("/proc/keys", "r");
	int found = 0;

	snprintf(want, sizeof(want), "%08x ", (unsigned)k);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, want, 9) == 0)
			found = 1;
	if (f)
		fclose(f);
	return found;
}

/* Destroys the case's keys and waits (at most 10 s) until /proc/keys no longer shows them. */
static void teardown(void)
{
	struct timespec ms = { 0, 10 * 1000 * 1000 };

	/* The upcall of a negative key links it into the session too (request-key.conf's %S). */
	for (int i = 0; i < nmade; i++)
		keyctl_unlink(made[i], session);
	keyctl_clear(ring);
	keyctl_unlink(ring, session);
	made[nmade++] = ring;
	for (int i = 0; i < nmade; i++)
		for (int t = 0; t < 1000 && in_proc_keys(made[i]); t++)
			nanosleep(&ms, NULL);
	for (int i = 0; i < nmade; i++)
		if (in_proc_keys(made[i]))
			h_check(0, "teardown: key %d left /proc/keys within 10 s", made[i]);
	nmade = 0;
}

/* ---- outcomes ----------------------------------------------------------------------------- */

static const char *errname(int e)
{
	static char buf[32];
	const char *n = e > 0 ? strerrorname_np(e) : NULL;

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno=%d", e);
	return buf;
}

/* "found" when `got` is `want` and KEYCTL_DESCRIBE shows the wanted type and description. */
static void found_or_not(char *out, size_t n, key_serial_t got, int err, key_serial_t want,
			 const char *type, const char *desc)
{
	char buf[8192], expect[8192];
	long len;

	if (got != want) {
		snprintf(out, n, "%d %s", got < 0 ? -1 : got, got < 0 ? errname(err) : "(another key)");
		return;
	}
	len = keyctl_describe(got, buf, sizeof(buf));
	snprintf(expect, sizeof(expect), "%s;", type);
	if (len <= 0 || len > (long)sizeof(buf) || strncmp(buf, expect, strlen(expect)) != 0 ||
	    strlen(buf) < strlen(desc) || strcmp(buf + strlen(buf) - strlen(desc), desc) != 0) {
		snprintf(out, n, "found a key whose describe does not match");
		return;
	}
	snprintf(out, n, "found");
}

/* ---- cases -------------------------------------------------------------------------------- */

struct kase {
	const char *name;
	void (*setup)(void);
	void (*run)(char *out, size_t n);	/* in the child */
	const char *original, *ours;		/* expected outcomes */
};

static key_serial_t k1;
static const char *t1, *d1;

static void setup_long1500(void)
{
	char *d = repeat('L', 1500);

	memcpy(d, name, strlen(name));
	k1 = add("user", d, "x", 1, 0);
	free(d);
}

static void run_find_absent(char *out, size_t n)
{
	char d[128];
	key_serial_t r;

	snprintf(d, sizeof(d), "%s-absent", name);
	r = find_key_by_type_and_desc("user", d, 0);
	snprintf(out, n, "%d %s", r, r < 0 ? errname(errno) : "");
}

static void setup_hidden(const char *type, const char *desc, const void *p, size_t plen)
{
	t1 = type;
	d1 = desc;
	k1 = add(type, desc, p, plen, 1);
}

static void run_find_k1(char *out, size_t n)
{
	key_serial_t r;

	errno = 0;
	r = find_key_by_type_and_desc(t1, d1, 0);
	found_or_not(out, n, r, errno, k1, t1, d1);
}

static char long4095[4096];
static void setup_long4095(void)
{
	memset(long4095, 'M', 4095);
	memcpy(long4095, name, strlen(name));
	setup_hidden("user", long4095, "x", 1);
}

static char dbuf[256];
static void setup_plain(void)
{
	snprintf(dbuf, sizeof(dbuf), "%s plain", name);
	setup_hidden("user", dbuf, "x", 1);
}

static void setup_semicolon(void)
{
	snprintf(dbuf, sizeof(dbuf), "%s;with;semicolons", name);
	setup_hidden("user", dbuf, "x", 1);
}

static void setup_spaces(void)
{
	snprintf(dbuf, sizeof(dbuf), "   %s leading spaces", name);
	setup_hidden("user", dbuf, "x", 1);
}

static unsigned char cert[4096];
static size_t cert_len;
static void setup_asymmetric(void)
{
	const char *path = getenv("HARDENING_CERT");
	FILE *f = path ? fopen(path, "rb") : NULL;

	if (!f)
		die("HARDENING_CERT (a DER X.509 certificate)");
	cert_len = fread(cert, 1, sizeof(cert), f);
	fclose(f);
	snprintf(dbuf, sizeof(dbuf), "%s cert", name);
	setup_hidden("asymmetric", dbuf, cert, cert_len);
}

/* The dns_resolver key type is a module on many kernels, which a machine may not be able to load
 * (a VM without modprobe): the case then shows the kernel's own answer, ENODEV, for both. */
static int dns_errno;
static void setup_dns(void)
{
	snprintf(dbuf, sizeof(dbuf), "%s.dns", name);
	/* dns_resolver wants a NUL-terminated payload. */
	t1 = "dns_resolver";
	d1 = dbuf;
	dns_errno = 0;
	k1 = (key_serial_t)syscall(SYS_add_key, t1, d1, "192.0.2.1", 10, ring);
	if (k1 < 0 && errno == ENODEV) {
		dns_errno = ENODEV;
		return;
	}
	if (k1 < 0 || keyctl_setperm(k1, PERM_VIEW_ONLY) < 0)
		die("dns_resolver key");
	made[nmade++] = k1;
}

static void run_find_dns(char *out, size_t n)
{
	if (dns_errno)
		snprintf(out, n, "no dns_resolver key type: %s", errname(dns_errno));
	else
		run_find_k1(out, n);
}

/* The uid of this process (main): its real and effective uid; the saved uid stays 0. */
static uid_t own_uid;

/* Sets the effective uid (and so the fsuid the kernel checks keys against), keeping the process
 * dumpable: every change of euid clears that flag, and LeakSanitizer (asan.sh) needs it set. */
static void become(uid_t euid)
{
	if (seteuid(euid) < 0)
		die("seteuid");
	prctl(PR_SET_DUMPABLE, 1);
}

/* A negative (or rejected) key, made through a real upcall: Debian's request-key.conf negates
 * (rejects) user keys named debug:* when the callout info says "negate" ("rejected").
 * The upcall is asked for as root (euid 0 for this one call): whether the kernel runs
 * /sbin/request-key for a non-root requester differs between kernels (6.18 answers ENOENT before
 * any handler starts), while a root requester's upcall works on every kernel. The process
 * possesses `ring` through its session keyring whatever its euid, so the key is linked there and
 * the process sees it, as its possessor, whoever owns it. */
static void setup_negative(const char *callout)
{
	void *ids = NULL;
	long r;
	int e;

	snprintf(dbuf, sizeof(dbuf), "debug:%s-%s", name, callout);
	become(0);
	errno = 0;
	r = request_key("user", dbuf, callout, ring);
	e = errno;
	become(own_uid);
	errno = e;
	if (r >= 0 || (errno != ENOKEY && errno != EKEYREJECTED))
		die("request_key of a negative key");
	if (keyctl_read_alloc(ring, &ids) != sizeof(key_serial_t))
		die("the negative key in its keyring");
	t1 = "user";
	d1 = dbuf;
	k1 = *(key_serial_t *)ids;
	made[nmade++] = k1;
	free(ids);
}
static void setup_negated(void) { setup_negative("negate"); }
static void setup_rejected(void) { setup_negative("rejected"); }

/* errno after a success: EDOM stands for whatever the caller had in errno. */
static void run_errno_k1(char *out, size_t n)
{
	key_serial_t r;

	errno = EDOM;
	r = find_key_by_type_and_desc(t1, d1, 0);
	snprintf(out, n, "%s errno=%s", r == k1 ? "found" : "not found", errname(errno));
}

static void setup_searchable(void)
{
	snprintf(dbuf, sizeof(dbuf), "%s searchable", name);
	t1 = "user";
	d1 = dbuf;
	k1 = add("user", dbuf, "x", 1, 0);
}

static void run_find_null_type(char *out, size_t n)
{
	key_serial_t r = find_key_by_type_and_desc(NULL, d1, 0);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_find_null_desc(char *out, size_t n)
{
	key_serial_t r = find_key_by_type_and_desc("user", NULL, 0);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_describe_alloc_null(char *out, size_t n)
{
	int r = keyctl_describe_alloc(k1, NULL);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_read_alloc_null(char *out, size_t n)
{
	int r = keyctl_read_alloc(k1, NULL);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_security_alloc_null(char *out, size_t n)
{
	int r = keyctl_get_security_alloc(k1, NULL);

	snprintf(out, n, "%d %s", r, errname(errno));
}

/* Diffie-Hellman, with toy parameters: whether the kernel computes them (or has DH at all) depends
 * on the kernel, so the expected results are the kernel's own answer to the size query (dh_kernel). */
static key_serial_t dh_prime, dh_base, dh_priv;
static void setup_dh(void)
{
	dh_prime = add("user", "dh-prime", "\x17", 1, 0);
	dh_base = add("user", "dh-base", "\x05", 1, 0);
	dh_priv = add("user", "dh-priv", "\x03", 1, 0);
}

/* What a keyctl_dh_compute_alloc of the toy parameters gives, from the system call's size query:
 * its error, or the size; with a NULL result pointer (@null_out) the original then writes through
 * NULL. */
static const char *dh_kernel(int null_out)
{
	static char s[64];
	struct keyctl_dh_params p = { .priv = dh_priv, .prime = dh_prime, .base = dh_base };
	long r = syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &p, NULL, 0, NULL);

	if (r < 0)
		snprintf(s, sizeof(s), "-1 %s", errname(errno));
	else if (null_out)
		snprintf(s, sizeof(s), "killed by SIGSEGV");
	else
		snprintf(s, sizeof(s), "%ld ", r);
	return s;
}

static void run_dh_real(char *out, size_t n)
{
	void *buf = NULL;
	int r = keyctl_dh_compute_alloc(dh_priv, dh_prime, dh_base, &buf);

	snprintf(out, n, "%d %s", r, r < 0 ? errname(errno) : "");
	free(buf);
}

static void run_dh_real_null(char *out, size_t n)
{
	int r = keyctl_dh_compute_alloc(dh_priv, dh_prime, dh_base, NULL);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_dh_grows(char *out, size_t n)
{
	void *buf = NULL;
	int r;

	fake_mode = FAKE_DH_GROWS;
	r = keyctl_dh_compute_alloc(dh_priv, dh_prime, dh_base, &buf);
	fake_mode = FAKE_NONE;
	if (r < 0) {
		snprintf(out, n, "-1 %s", errname(errno));
	} else {
		int good = r == 32 && ((unsigned char *)buf)[31] == 0xab && ((char *)buf)[32] == 0;

		snprintf(out, n, "%d bytes%s", r, good ? "" : " (wrong content)");
	}
	free(buf);
}

static int scan_count;
static int scanner(key_serial_t parent, key_serial_t key, char *desc, int desc_len, void *data)
{
	(void)parent;
	(void)desc_len;
	(void)data;
	if (key == FAKE_ID && !desc)
		scan_count++;
	return 1;
}

static void run_scan_null(char *out, size_t n)
{
	int r = recursive_key_scan(ring, NULL, NULL);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_session_scan_null(char *out, size_t n)
{
	int r = recursive_session_key_scan(NULL, NULL);

	snprintf(out, n, "%d %s", r, errname(errno));
}

static void run_scan_bad_describe(char *out, size_t n)
{
	int r;

	errno = 0;
	fake_mode = FAKE_BAD_DESCRIBE;
	r = recursive_key_scan(FAKE_ID, scanner, NULL);
	fake_mode = FAKE_NONE;
	snprintf(out, n, "%d %s, callback saw it %d time(s)", r, errname(errno), scan_count);
}

static void run_read_alloc_huge(char *out, size_t n)
{
	void *buf = (void *)1;
	int r;

	fake_mode = FAKE_HUGE_READ;
	r = keyctl_read_alloc(FAKE_ID, &buf);
	fake_mode = FAKE_NONE;
	snprintf(out, n, "%d %s%s", r, errname(errno), buf == (void *)1 ? "" : ", *buffer changed");
}

static void setup_newline(void)
{
	snprintf(dbuf, sizeof(dbuf), "%s first line\nsecond line", name);
	setup_hidden("user", dbuf, "x", 1);
}

static const struct kase cases[] = {
	{ "find: a visible key with a 1500-byte description, lookup of an absent key",
	  setup_long1500, run_find_absent, "killed by SIGSEGV", "-1 ENOKEY" },
	{ "find: a 4095-byte description (unsearchable, so via /proc/keys)",
	  setup_long4095, run_find_k1, "killed by SIGSEGV", "found" },
	{ "find: control: a plain unsearchable user key is found via /proc/keys",
	  setup_plain, run_find_k1, "found", "found" },
	{ "find: a description with ';' (unsearchable)",
	  setup_semicolon, run_find_k1, "-1 EACCES", "found" },
	{ "find: a description with leading spaces (unsearchable)",
	  setup_spaces, run_find_k1, "-1 EACCES", "found" },
	{ "find: an asymmetric key (type cut to 'asymmetri' in /proc/keys)",
	  setup_asymmetric, run_find_k1, "-1 EACCES", "found" },
	{ "find: a dns_resolver key (type cut to 'dns_resol' in /proc/keys)",
	  setup_dns, run_find_dns, "-1 EACCES", "found" },
	{ "find: a description with a newline (unsearchable): not fixed, /proc/keys splits it",
	  setup_newline, run_find_k1, "-1 EACCES", "-1 EACCES" },
	{ "find: a negative key is returned as found",
	  setup_negated, run_find_k1, "found", "found" },
	{ "find: a rejected key is returned as found",
	  setup_rejected, run_find_k1, "found", "found" },
	{ "find: errno after finding a negative key through /proc/keys (caller had EDOM)",
	  setup_negated, run_errno_k1, "found errno=ENOKEY", "found errno=EDOM" },
	{ "find: errno after finding an unsearchable key through /proc/keys (caller had EDOM)",
	  setup_plain, run_errno_k1, "found errno=EACCES", "found errno=EDOM" },
	{ "find: errno after finding nothing (an absent key)",
	  NULL, run_find_absent, "-1 ENOKEY", "-1 ENOKEY" },
	{ "find: errno after a success through request_key (caller had EDOM)",
	  setup_searchable, run_errno_k1, "found errno=EDOM", "found errno=EDOM" },
	{ "find: NULL type", setup_searchable, run_find_null_type, "killed by SIGSEGV",
	  "-1 EINVAL" },
	{ "find: NULL description", setup_searchable, run_find_null_desc, ORIG_FIND_NULL_DESC,
	  "-1 EINVAL" },
	{ "keyctl_describe_alloc(key, NULL)", setup_searchable, run_describe_alloc_null,
	  "killed by SIGSEGV", "-1 EINVAL" },
	{ "keyctl_read_alloc(key, NULL)", setup_searchable, run_read_alloc_null,
	  "killed by SIGSEGV", "-1 EINVAL" },
	{ "keyctl_get_security_alloc(key, NULL)", setup_searchable, run_security_alloc_null,
	  "killed by SIGSEGV", "-1 EINVAL" },
	{ "keyctl_read_alloc when malloc fails (faked huge payload)", NULL, run_read_alloc_huge,
	  "-1 ENOMEM", "-1 ENOMEM" },
	{ "keyctl_dh_compute_alloc of toy parameters: as the kernel answers", setup_dh, run_dh_real,
	  "@dh", "@dh" },
	{ "keyctl_dh_compute_alloc(..., NULL): the original as the kernel answers (a crash on success)",
	  setup_dh, run_dh_real_null, "@dh-null", "-1 EINVAL" },
	{ "keyctl_dh_compute_alloc when the result grows between the calls (faked syscall)",
	  setup_dh, run_dh_grows, "-1 EOVERFLOW", "32 bytes" },
	{ "recursive_key_scan(ring, NULL, NULL)", setup_searchable, run_scan_null,
	  "killed by SIGSEGV", "-1 EINVAL" },
	{ "recursive_session_key_scan(NULL, NULL)", setup_searchable, run_session_scan_null,
	  "killed by SIGSEGV", "-1 EINVAL" },
	{ "recursive_key_scan of a key whose description does not parse (faked syscall)",
	  NULL, run_scan_bad_describe, "1 errno=-22, callback saw it 1 time(s)",
	  "1 EINVAL, callback saw it 1 time(s)" },
};

/* Runs `k` in a child (bounded by alarm) and describes how it ended. */
static void run_case(const struct kase *k, char *out, size_t n)
{
	int fd[2], status;
	pid_t pid;
	ssize_t got;

	if (pipe(fd) < 0)
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		char res[512] = "";

		setrlimit(RLIMIT_CORE, &no_core);
		close(fd[0]);
		alarm(30);
		k->run(res, sizeof(res));
		if (write(fd[1], res, strlen(res)) < 0)
			_exit(2);
		_exit(0);
	}
	close(fd[1]);
	got = read(fd[0], out, n - 1);
	out[got > 0 ? got : 0] = 0;
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (WIFSIGNALED(status))
		snprintf(out, n, "killed by SIG%s", sigabbrev_np(WTERMSIG(status)));
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		snprintf(out, n, "exited with status %d", WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	const char *lib = argc == 2 ? argv[1] : "";
	/* Below 65536, so that a user namespace mapping 64K uids has it too. */
	uid_t uid = 61000 + (uid_t)(getpid() % 64);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(lib, "original") && strcmp(lib, "ours")) {
		fprintf(stderr, "usage: %s original|ours\n", argv[0]);
		return 2;
	}
	expect_original = strcmp(lib, "original") == 0;
	h_prove_library("defects");
	/* A uid of our own: /proc/keys then shows this process's keys only. */
	/* The saved uid stays 0, for the upcalls of setup_negative. */
	own_uid = uid;
	if (setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, 0) < 0)
		die("setresuid (run as root)");
	/* Changing uid made the process undumpable; LeakSanitizer (asan.sh) needs it dumpable. The
	 * children that are expected to crash have no core limit (run_case). */
	prctl(PR_SET_DUMPABLE, 1);
	session = h_fresh_session("defects");
	snprintf(name, sizeof(name), "hardening-%d", (int)getpid());

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kase *k = &cases[i];
		const char *want = expect_original ? k->original : k->ours;
		char got[512];

		ring = add_key("keyring", "hardening-case", NULL, 0, session);
		if (ring < 0)
			die("case keyring");
		if (k->setup)
			k->setup();
		if (strcmp(want, "@dh") == 0 || strcmp(want, "@dh-null") == 0)
			want = dh_kernel(strcmp(want, "@dh-null") == 0);
		if (k->setup == setup_dns && dns_errno)
			want = "no dns_resolver key type: ENODEV";
		run_case(k, got, sizeof(got));
		teardown();
		printf("# result\t%s\t%s\n", k->name, got);
		if (strcmp(got, want) == 0)
			h_check(1, "%s: %s: %s", lib, k->name, got);
		else
			h_check(0, "%s: %s: expected \"%s\", observed \"%s\"", lib, k->name, want, got);
	}
	/* Give up the saved uid 0: LeakSanitizer's exit check ptraces this process, which the kernel
	 * allows only when real, effective and saved uids are one. */
	if (setresuid(uid, uid, uid) < 0)
		die("setresuid");
	prctl(PR_SET_DUMPABLE, 1);
	return h_finish();
}

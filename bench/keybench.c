/*
 * keybench: compare the original libkeyutils.so.1 with ours, and both with the
 * raw keyctl(2) syscall where a function is a plain wrapper.
 *
 * Both libraries are dlopen()ed by absolute path into this one process
 * (RTLD_LOCAL|RTLD_NOW; they are different files, so ld.so maps both) and the
 * implementations are alternated round by round, cycling through every order,
 * so CPU frequency, cache state, malloc, the keyring contents and the load other
 * processes put on the machine are shared by all of them.  Separate processes
 * would measure the same code, but drift between them would land in the ratios.
 *
 * Syscalls are counted in-process with a perf_event counter on the
 * raw_syscalls:sys_enter tracepoint, enabled only around N calls.
 *
 * Keyring setup uses raw syscalls only, so it does not depend on the library
 * under test.  The program first joins a fresh anonymous session keyring; every
 * key it makes hangs off that keyring or off the session keyring of a helper
 * child ("holder") whose keys the parent reaches only by serial number, and all
 * of it dies with the processes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <keyutils.h>

/* ------------------------------------------------------------------ utils */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "keybench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Batches are timed with this thread's CPU time by default: on a machine
 * shared with other jobs, time spent preempted is noise that wall time would
 * add (none of the workloads sleeps, so on an idle machine the two agree).
 * --wall switches to CLOCK_MONOTONIC. */
static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static uint64_t bench_ns(void)
{
	return clock_ns(bench_clock);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quantile of a sorted array, linear interpolation. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (v[i + 1] - v[i]) * (pos - i);
}

/* --------------------------------------------------------- raw syscalls */

static long rk(int cmd, unsigned long a2, unsigned long a3, unsigned long a4,
	       unsigned long a5)
{
	return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

static key_serial_t raw_add_key(const char *type, const char *desc,
				const void *payload, size_t plen, key_serial_t ring)
{
	long r = syscall(SYS_add_key, type, desc, payload, plen, ring);

	if (r < 0)
		die("add_key(%s, %s): %s", type, desc, strerror(errno));
	return (key_serial_t)r;
}

static void raw_setperm(key_serial_t id, unsigned perm)
{
	if (rk(KEYCTL_SETPERM, (unsigned long)id, perm, 0, 0) < 0)
		die("setperm(%d): %s", id, strerror(errno));
}

static void raw_join_session(void)
{
	if (rk(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0) < 0)
		die("join session keyring: %s", strerror(errno));
}

static void raw_clear_unlink(key_serial_t ring, key_serial_t from)
{
	rk(KEYCTL_CLEAR, (unsigned long)ring, 0, 0, 0);
	rk(KEYCTL_UNLINK, (unsigned long)ring, (unsigned long)from, 0, 0);
}

/* The raw baselines: the one syscall each wrapper stands for, reached through
 * a function pointer like the library functions are. */
__attribute__((noinline)) static key_serial_t raw_get_keyring_ID(key_serial_t id, int create)
{
	return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, id, create);
}

__attribute__((noinline)) static long raw_describe(key_serial_t id, char *buf, size_t len)
{
	return syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, buf, len);
}

__attribute__((noinline)) static key_serial_t raw_join_session_keyring(const char *name)
{
	return syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);
}

/* Floors for two helpers, the least any implementation can do:
 * - read_alloc of the 1 KiB key: malloc the exact size, as if it were known,
 *   and one KEYCTL_READ into it;
 * - find_key_by_type_and_desc of an absent key: read all of /proc/keys in
 *   64 KiB reads, without even parsing it (the kernel's side of the lookup). */
__attribute__((noinline)) static int raw_read_alloc_1k(key_serial_t id, void **out)
{
	char *b = malloc(1024 + 1);
	long n = b ? syscall(SYS_keyctl, KEYCTL_READ, id, b, 1024) : -1;

	if (n < 0 || n > 1024) {
		free(b);
		return -1;
	}
	b[n] = 0;
	*out = b;
	return (int)n;
}

__attribute__((noinline)) static key_serial_t raw_read_proc_keys(const char *type, const char *desc,
								   key_serial_t dest)
{
	static char buf[65536];
	int fd = open("/proc/keys", O_RDONLY | O_CLOEXEC);

	(void)type, (void)desc, (void)dest;
	if (fd < 0)
		return -1;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	errno = ENOKEY;
	return -1;
}

/* ------------------------------------------------------ implementations */

enum { I_ORIG, I_OURS, I_RAW, N_IMPL };

struct impl {
	const char *name;
	char path[PATH_MAX];	/* as given */
	char real[PATH_MAX];	/* realpath */
	void *h;
	__typeof__(&keyctl_get_keyring_ID) get_keyring_ID;
	__typeof__(&keyctl_describe) describe;
	__typeof__(&keyctl_describe_alloc) describe_alloc;
	__typeof__(&keyctl_read_alloc) read_alloc;
	__typeof__(&keyctl_get_security_alloc) get_security_alloc;
	__typeof__(&recursive_key_scan) recursive_key_scan;
	__typeof__(&find_key_by_type_and_desc) find_key_by_type_and_desc;
	__typeof__(&keyctl_join_session_keyring) join_session_keyring;
};

static struct impl impls[N_IMPL];
static int same_file;		/* original and ours are the same file (dev mode) */

#define FN(f) offsetof(struct impl, f)

/* Every library function of struct impl: its offset there and its symbol. */
static const struct {
	size_t off;
	const char *sym;
} impl_fns[] = {
	{ FN(get_keyring_ID), "keyctl_get_keyring_ID" },
	{ FN(describe), "keyctl_describe" },
	{ FN(describe_alloc), "keyctl_describe_alloc" },
	{ FN(read_alloc), "keyctl_read_alloc" },
	{ FN(get_security_alloc), "keyctl_get_security_alloc" },
	{ FN(recursive_key_scan), "recursive_key_scan" },
	{ FN(find_key_by_type_and_desc), "find_key_by_type_and_desc" },
	{ FN(join_session_keyring), "keyctl_join_session_keyring" },
};
#define N_IMPL_FNS (sizeof(impl_fns) / sizeof(impl_fns[0]))
/* the function pointers are the last fields of struct impl, all in the table */
_Static_assert(sizeof(struct impl) - FN(get_keyring_ID) == N_IMPL_FNS * sizeof(void *),
	       "impl_fns[] must list every function pointer of struct impl");

/* The function pointer at offset @off of @im. */
static void **impl_fn(const struct impl *im, size_t off)
{
	return (void **)((char *)im + off);
}

static void load_impl(struct impl *im, const char *name, const char *path)
{
	im->name = name;
	snprintf(im->path, sizeof(im->path), "%s", path);
	if (path[0] != '/')
		die("%s library path must be absolute: %s", name, path);
	if (!realpath(path, im->real))
		die("%s library %s: %s", name, path, strerror(errno));
	im->h = dlopen(im->real, RTLD_NOW | RTLD_LOCAL);
	if (!im->h)
		die("dlopen %s: %s", im->real, dlerror());
	for (size_t k = 0; k < N_IMPL_FNS; k++)
		*impl_fn(im, impl_fns[k].off) = dlsym(im->h, impl_fns[k].sym);
}

/* Prove that each implementation's functions live in the file we meant, and
 * that nothing else called libkeyutils is mapped. */
static void verify_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[PATH_MAX + 256];
	int seen[2] = { 0, 0 };

	for (int i = I_ORIG; i <= I_OURS; i++) {
		struct impl *im = &impls[i];

		for (size_t k = 0; k < N_IMPL_FNS; k++) {
			void *fn = *impl_fn(im, impl_fns[k].off);
			Dl_info di;
			char rp[PATH_MAX];

			if (!fn)
				continue;
			if (!dladdr(fn, &di) || !di.dli_fname || !realpath(di.dli_fname, rp))
				die("%s: dladdr failed", im->name);
			if (strcmp(rp, im->real) != 0)
				die("%s: function resolved into %s, expected %s", im->name, rp, im->real);
		}
	}
	if (!f)
		die("/proc/self/maps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (!p)
			continue;
		p[strcspn(p, "\n")] = 0;
		if (!strstr(p, "libkeyutils"))
			continue;
		if (strcmp(p, impls[I_ORIG].real) == 0)
			seen[0] = 1;
		if (strcmp(p, impls[I_OURS].real) == 0)
			seen[1] = 1;
		if (strcmp(p, impls[I_ORIG].real) != 0 && strcmp(p, impls[I_OURS].real) != 0)
			die("unexpected libkeyutils mapping: %s", p);
	}
	fclose(f);
	if (!seen[0] || !seen[1])
		die("libraries not both mapped (orig %d, ours %d)", seen[0], seen[1]);
}

/* ---------------------------------------------------- syscall counting */

static int perf_fd = -1;
static long perf_overhead;

static int open_sys_enter_counter(int inherit)
{
	struct perf_event_attr attr;
	char buf[32] = "";
	int fd, id;
	FILE *f = fopen("/sys/kernel/tracing/events/raw_syscalls/sys_enter/id", "r");

	if (!f)
		f = fopen("/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id", "r");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	id = atoi(buf);
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = (uint64_t)id;
	attr.disabled = 1;
	attr.inherit = inherit ? 1 : 0;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	return fd;
}

static void counter_start(int fd)
{
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
}

static long counter_stop(int fd)
{
	uint64_t v = 0;

	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &v, sizeof(v)) != sizeof(v))
		return -1;
	return (long)v;
}

static void counter_init(void)
{
	long best = LONG_MAX;

	perf_fd = open_sys_enter_counter(0);
	if (perf_fd < 0) {
		fprintf(stderr, "keybench: cannot count syscalls (perf_event_open on "
			"raw_syscalls:sys_enter: %s); syscall columns will be blank\n",
			strerror(errno));
		return;
	}
	for (int i = 0; i < 5; i++) {
		long v;

		counter_start(perf_fd);
		v = counter_stop(perf_fd);
		if (v >= 0 && v < best)
			best = v;
	}
	perf_overhead = best;
}

/* ------------------------------------------------------------ workloads */

static char g_err[160];

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g_err, sizeof(g_err), fmt, ap);
	va_end(ap);
	return -1;
}

/* State the workloads read; set up before each phase. */
static key_serial_t g_session, g_key1k, g_ring1000, g_hidden, g_tree;
static long g_key1k_desclen;		/* incl. NUL */
static long g_sec_len;			/* incl. NUL */
static int g_tree_nodes;
static char g_hidden_desc[64], g_absent_desc[64];

static int op_get_id(const struct impl *im, long n)
{
	__typeof__(im->get_keyring_ID) fn = im->get_keyring_ID;

	for (long i = 0; i < n; i++) {
		key_serial_t r = fn(KEY_SPEC_SESSION_KEYRING, 0);

		if (r != g_session)
			return fail("get_keyring_ID returned %d, want %d", r, g_session);
	}
	return 0;
}

static int op_describe(const struct impl *im, long n)
{
	__typeof__(im->describe) fn = im->describe;
	char buf[256];

	for (long i = 0; i < n; i++) {
		long r = fn(g_key1k, buf, sizeof(buf));

		if (r != g_key1k_desclen)
			return fail("describe returned %ld, want %ld", r, g_key1k_desclen);
	}
	return 0;
}

static int op_describe_alloc(const struct impl *im, long n)
{
	__typeof__(im->describe_alloc) fn = im->describe_alloc;

	for (long i = 0; i < n; i++) {
		char *p = NULL;
		int r = fn(g_key1k, &p);

		if (r != g_key1k_desclen - 1 || !p || strlen(p) != (size_t)r)
			return fail("describe_alloc returned %d, want %ld", r, g_key1k_desclen - 1);
		free(p);
	}
	return 0;
}

static int op_read_alloc_1k(const struct impl *im, long n)
{
	__typeof__(im->read_alloc) fn = im->read_alloc;

	for (long i = 0; i < n; i++) {
		void *p = NULL;
		int r = fn(g_key1k, &p);

		if (r != 1024 || !p || ((unsigned char *)p)[1023] != 'k')
			return fail("read_alloc(1 KiB key) returned %d", r);
		free(p);
	}
	return 0;
}

static int op_read_alloc_ring(const struct impl *im, long n)
{
	__typeof__(im->read_alloc) fn = im->read_alloc;

	for (long i = 0; i < n; i++) {
		void *p = NULL;
		int r = fn(g_ring1000, &p);

		if (r != 1000 * (int)sizeof(key_serial_t) || !p)
			return fail("read_alloc(keyring of 1000) returned %d", r);
		free(p);
	}
	return 0;
}

static int op_get_security_alloc(const struct impl *im, long n)
{
	__typeof__(im->get_security_alloc) fn = im->get_security_alloc;

	for (long i = 0; i < n; i++) {
		char *p = NULL;
		int r = fn(g_key1k, &p);

		if (r != g_sec_len - 1 || !p)
			return fail("get_security_alloc returned %d, want %ld", r, g_sec_len - 1);
		free(p);
	}
	return 0;
}

struct scan_acc {
	int count;
	long desc_bytes;
};

static int scan_cb(key_serial_t parent, key_serial_t key, char *desc, int desc_len,
		   void *data)
{
	struct scan_acc *a = data;

	(void)parent;
	(void)key;
	a->count++;
	if (desc)
		a->desc_bytes += desc_len;
	return 1;
}

static int op_scan(const struct impl *im, long n)
{
	__typeof__(im->recursive_key_scan) fn = im->recursive_key_scan;

	for (long i = 0; i < n; i++) {
		struct scan_acc a = { 0, 0 };
		int r = fn(g_tree, scan_cb, &a);

		if (r != g_tree_nodes || a.count != g_tree_nodes || a.desc_bytes <= 0)
			return fail("recursive_key_scan returned %d (%d callbacks), want %d",
				    r, a.count, g_tree_nodes);
	}
	return 0;
}

static int op_find_fallback(const struct impl *im, long n)
{
	__typeof__(im->find_key_by_type_and_desc) fn = im->find_key_by_type_and_desc;

	for (long i = 0; i < n; i++) {
		key_serial_t r = fn("user", g_hidden_desc, 0);

		if (r != g_hidden)
			return fail("find_key_by_type_and_desc(hidden) returned %d (%s), want %d",
				    r, r < 0 ? strerror(errno) : "-", g_hidden);
	}
	return 0;
}

static int op_find_absent(const struct impl *im, long n)
{
	__typeof__(im->find_key_by_type_and_desc) fn = im->find_key_by_type_and_desc;

	for (long i = 0; i < n; i++) {
		errno = 0;
		key_serial_t r = fn("user", g_absent_desc, 0);

		if (r != -1 || errno != ENOKEY)
			return fail("find_key_by_type_and_desc(absent) returned %d errno %d", r, errno);
	}
	return 0;
}

static int op_join(const struct impl *im, long n)
{
	__typeof__(im->join_session_keyring) fn = im->join_session_keyring;

	for (long i = 0; i < n; i++) {
		key_serial_t r = fn(NULL);

		if (r <= 0)
			return fail("join_session_keyring(NULL) returned %d (%s)", r, strerror(errno));
	}
	return 0;
}

enum { ST_NONE = 0, ST_OK, ST_MISSING, ST_ERROR };

struct result {
	int status;
	int rounds;
	long batch;		/* calls per timed batch */
	double med, q1, q3;	/* ns per call */
	double sys;		/* syscalls per call, <0 if not counted */
	double pr_orig, pr_raw;	/* median of per-round ratios to original / raw, <0 if none */
	char err[160];
};

struct workload {
	const char *id;		/* machine name */
	const char *label;	/* table label */
	int (*op)(const struct impl *, long);
	size_t fn_off;		/* offsetof the function pointer in struct impl */
	int has_raw;
	double budget_scale;	/* share of the per-workload time budget */
	long max_calls;		/* cap on timed calls per implementation, 0 = none */
	int measured;
	struct result r[N_IMPL];
};

static struct workload workloads[] = {
	{ "get_keyring_ID", "keyctl_get_keyring_ID", op_get_id, FN(get_keyring_ID), 1, 1, 0, 0, {{0}} },
	{ "describe", "keyctl_describe (stack buf)", op_describe, FN(describe), 1, 1, 0, 0, {{0}} },
	{ "describe_alloc", "keyctl_describe_alloc", op_describe_alloc, FN(describe_alloc), 0, 1, 0, 0, {{0}} },
	{ "read_alloc_1k", "keyctl_read_alloc (1 KiB key)", op_read_alloc_1k, FN(read_alloc), 1, 1, 0, 0, {{0}} },
	{ "get_security_alloc", "keyctl_get_security_alloc", op_get_security_alloc, FN(get_security_alloc), 0, 1, 0, 0, {{0}} },
	{ "read_alloc_ring1000", "keyctl_read_alloc (ring of 1000)", op_read_alloc_ring, FN(read_alloc), 0, 1, 0, 0, {{0}} },
	{ "find_key_fallback", "find_key_by_type_and_desc (/proc/keys)", op_find_fallback, FN(find_key_by_type_and_desc), 0, 1.5, 0, 0, {{0}} },
	{ "find_key_absent", "find_key_by_type_and_desc (absent)", op_find_absent, FN(find_key_by_type_and_desc), 1, 1.5, 0, 0, {{0}} },
	{ "scan_not_possessed", "recursive_key_scan (not possessed)", op_scan, FN(recursive_key_scan), 0, 1.5, 0, 0, {{0}} },
	{ "scan_possessed", "recursive_key_scan (possessed)", op_scan, FN(recursive_key_scan), 0, 3, 0, 0, {{0}} },
	{ "join_session_keyring", "keyctl_join_session_keyring(NULL)", op_join, FN(join_session_keyring), 1, 1, 5000, 0, {{0}} },
};
#define N_WORKLOADS (int)(sizeof(workloads) / sizeof(workloads[0]))

static double opt_budget = 3.0;		/* seconds per workload (all impls) */
static int opt_load_runs = 300;
static int opt_verbose;

static struct workload *find_workload(const char *id)
{
	for (int i = 0; i < N_WORKLOADS; i++)
		if (strcmp(workloads[i].id, id) == 0)
			return &workloads[i];
	die("no workload %s", id);
}

static int impl_has(const struct workload *w, int i)
{
	if (i == I_RAW && !w->has_raw)
		return 0;
	return *impl_fn(&impls[i], w->fn_off) != NULL;
}

static double time_batch(const struct workload *w, int i, long n, int *err)
{
	uint64_t t0 = bench_ns();

	*err = w->op(&impls[i], n);
	return (double)(bench_ns() - t0) / (double)n;
}

#define MIN_ROUNDS 11
#define MAX_ROUNDS 301

/* Position k of round `round` among n (1..3) alternated implementations.  The
 * rounds cycle through every permutation, so each implementation runs before
 * and after each other one equally often (a plain rotation of A B C would
 * always put B right after A in two rounds of three). */
static int order_of(int n, int round, int k)
{
	static const int p3[6][3] = { { 0, 1, 2 }, { 1, 0, 2 }, { 2, 1, 0 },
				      { 0, 2, 1 }, { 1, 2, 0 }, { 2, 0, 1 } };

	if (n == 3)
		return p3[round % 6][k];
	if (n == 2)
		return (round + k) % 2;
	return 0;
}

static void measure(struct workload *w)
{
	int active[N_IMPL], na = 0, err;
	double est = 0, samples[N_IMPL][MAX_ROUNDS];
	long batch, n;
	int rounds;

	w->measured = 1;
	for (int i = 0; i < N_IMPL; i++) {
		struct result *r = &w->r[i];

		r->sys = -1;
		r->pr_orig = r->pr_raw = -1;
		if (i == I_RAW && !w->has_raw) {
			r->status = ST_NONE;
			continue;
		}
		if (!impl_has(w, i)) {
			r->status = ST_MISSING;
			snprintf(r->err, sizeof(r->err), "symbol missing");
			continue;
		}
		/* warm up and check the result once */
		if (w->op(&impls[i], 1) < 0) {
			r->status = ST_ERROR;
			snprintf(r->err, sizeof(r->err), "%s", g_err);
			continue;
		}
		r->status = ST_OK;
		active[na++] = i;
	}
	if (!na)
		return;

	/* Calls per batch: about 1 ms of the slowest implementation, same for all. */
	for (int k = 0; k < na; k++) {
		double t = 0;

		n = 1;
		for (;;) {
			uint64_t t0 = bench_ns();

			if (w->op(&impls[active[k]], n) < 0)
				break;
			t = (double)(bench_ns() - t0);
			if (t >= 2e6 || n >= (1L << 20))
				break;
			n *= 2;
		}
		if (t / n > est)
			est = t / n;
	}
	if (est < 1)
		est = 1;
	batch = (long)(1e6 / est);
	if (batch < 1)
		batch = 1;
	rounds = (int)(opt_budget * w->budget_scale * 1e9 / (est * (double)batch * na));
	if (w->max_calls && (long)rounds * batch > w->max_calls)
		rounds = (int)(w->max_calls / batch);
	if (rounds < MIN_ROUNDS)
		rounds = MIN_ROUNDS;
	if (rounds > MAX_ROUNDS)
		rounds = MAX_ROUNDS;

	for (int round = 0; round < rounds; round++) {
		for (int k = 0; k < na; k++) {
			int i = active[order_of(na, round, k)];

			if (w->r[i].status != ST_OK) {
				samples[i][round] = 0;
				continue;
			}
			samples[i][round] = time_batch(w, i, batch, &err);
			if (err < 0) {
				w->r[i].status = ST_ERROR;
				snprintf(w->r[i].err, sizeof(w->r[i].err), "%s", g_err);
			}
		}
	}

	/* Ratios of samples taken in the same round, before sorting. */
	for (int k = 0; k < na; k++) {
		static const int bases[] = { I_ORIG, I_RAW };
		int i = active[k];
		double pr[MAX_ROUNDS];

		for (size_t b = 0; b < 2; b++) {
			int base = bases[b];

			if (w->r[i].status != ST_OK || w->r[base].status != ST_OK)
				continue;
			for (int round = 0; round < rounds; round++)
				pr[round] = samples[i][round] / samples[base][round];
			qsort(pr, (size_t)rounds, sizeof(double), cmp_double);
			if (base == I_ORIG)
				w->r[i].pr_orig = quantile(pr, rounds, 0.5);
			else
				w->r[i].pr_raw = quantile(pr, rounds, 0.5);
		}
	}

	for (int k = 0; k < na; k++) {
		int i = active[k];
		struct result *r = &w->r[i];

		if (r->status != ST_OK)
			continue;
		qsort(samples[i], (size_t)rounds, sizeof(double), cmp_double);
		r->rounds = rounds;
		r->batch = batch;
		r->med = quantile(samples[i], rounds, 0.5);
		r->q1 = quantile(samples[i], rounds, 0.25);
		r->q3 = quantile(samples[i], rounds, 0.75);
	}

	/* Counting pass: N calls inside an enabled counter. */
	if (perf_fd >= 0) {
		long cn = (long)(5e6 / est);

		if (cn < 2)
			cn = 2;
		if (cn > 200)
			cn = 200;
		for (int k = 0; k < na; k++) {
			int i = active[k];
			long v;

			if (w->r[i].status != ST_OK)
				continue;
			counter_start(perf_fd);
			err = w->op(&impls[i], cn);
			v = counter_stop(perf_fd);
			if (err == 0 && v >= 0)
				w->r[i].sys = (double)(v - perf_overhead) / (double)cn;
		}
	}
	if (opt_verbose)
		fprintf(stderr, "  %-22s est %.0f ns, batch %ld, rounds %d\n", w->id, est, batch, rounds);
}

/* --------------------------------------------------------- setup phases */

static void setup_basic(void)
{
	char desc[64], payload[1024], buf[256];
	long r;

	snprintf(desc, sizeof(desc), "kbench-%d-k1k", (int)getpid());
	memset(payload, 'k', sizeof(payload));
	g_key1k = raw_add_key("user", desc, payload, sizeof(payload), KEY_SPEC_SESSION_KEYRING);
	r = rk(KEYCTL_DESCRIBE, (unsigned long)g_key1k, (unsigned long)buf, sizeof(buf), 0);
	if (r <= 0 || r > (long)sizeof(buf))
		die("describe k1k: %s", strerror(errno));
	g_key1k_desclen = r;
	r = rk(KEYCTL_GET_SECURITY, (unsigned long)g_key1k, 0, 0, 0);
	if (r <= 0)
		die("get_security k1k: %s", strerror(errno));
	g_sec_len = r;
}

static key_serial_t setup_ring1000(void)
{
	char desc[64];
	key_serial_t ring;

	snprintf(desc, sizeof(desc), "kbench-%d-ring1000", (int)getpid());
	ring = raw_add_key("keyring", desc, NULL, 0, KEY_SPEC_SESSION_KEYRING);
	for (int i = 0; i < 1000; i++) {
		snprintf(desc, sizeof(desc), "kbench-%d-r%04d", (int)getpid(), i);
		raw_add_key("user", desc, "0123456789abcdef", 16, ring);
	}
	return ring;
}

#define TREE_RINGS 100
#define TREE_KEYS_PER_RING 20
#define TREE_PERM (KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

/* 100 keyrings, parent of ring i is ring (i-1)/10 (depth 3), 20 user keys in
 * each: 2,100 nodes.  Returns the root, linked into `into`. */
static key_serial_t build_tree(key_serial_t into, const char *tag, int set_user_perm)
{
	key_serial_t rings[TREE_RINGS];
	char desc[80];

	for (int i = 0; i < TREE_RINGS; i++) {
		key_serial_t parent = i == 0 ? into : rings[(i - 1) / 10];

		snprintf(desc, sizeof(desc), "kbench-%d-%s-ring%03d", (int)getpid(), tag, i);
		rings[i] = raw_add_key("keyring", desc, NULL, 0, parent);
		if (set_user_perm)
			raw_setperm(rings[i], TREE_PERM);
		for (int k = 0; k < TREE_KEYS_PER_RING; k++) {
			key_serial_t key;

			snprintf(desc, sizeof(desc), "kbench-%d-%s-ring%03d-key%02d", (int)getpid(),
				 tag, i, k);
			key = raw_add_key("user", desc, "payload", 7, rings[i]);
			if (set_user_perm)
				raw_setperm(key, TREE_PERM);
		}
	}
	return rings[0];
}

/* The holder: a child in its own session keyring.  Its keys are visible to us
 * in /proc/keys and usable by serial (user permissions), but we do not possess
 * them and request_key() from our keyrings cannot find them. */
static pid_t holder_pid = -1;
static int holder_cmd = -1, holder_rep = -1;

static void holder_main(int cmd_fd, int rep_fd)
{
	key_serial_t fill = 0;
	char c, desc[80];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(900);
	raw_join_session();
	while (read(cmd_fd, &c, 1) == 1) {
		int32_t rep[2] = { 0, 0 };

		if (c == 'F') {
			/* 1,001 user keys; the one with the highest serial is the
			 * target, so it comes after all the others in /proc/keys. */
			snprintf(desc, sizeof(desc), "kbench-%d-hfill", (int)getppid());
			fill = raw_add_key("keyring", desc, NULL, 0, KEY_SPEC_SESSION_KEYRING);
			for (int i = 0; i <= 1000; i++) {
				key_serial_t k;

				snprintf(desc, sizeof(desc), "kbench-%d-h%04d", (int)getppid(), i);
				k = raw_add_key("user", desc, "0123456789abcdef", 16, fill);
				raw_setperm(k, TREE_PERM);
				if (k > rep[0]) {
					rep[0] = k;
					rep[1] = i;
				}
			}
		} else if (c == 'C') {
			if (fill)
				raw_clear_unlink(fill, KEY_SPEC_SESSION_KEYRING);
			fill = 0;
		} else if (c == 'T') {
			rep[0] = build_tree(KEY_SPEC_SESSION_KEYRING, "np", 1);
		}
		if (write(rep_fd, rep, sizeof(rep)) != sizeof(rep))
			_exit(1);
	}
	_exit(0);
}

static void holder_start(void)
{
	int c[2], r[2];

	if (pipe(c) < 0 || pipe(r) < 0)
		die("pipe: %s", strerror(errno));
	holder_pid = fork();
	if (holder_pid < 0)
		die("fork: %s", strerror(errno));
	if (holder_pid == 0) {
		close(c[1]);
		close(r[0]);
		holder_main(c[0], r[1]);
	}
	close(c[0]);
	close(r[1]);
	holder_cmd = c[1];
	holder_rep = r[0];
}

static void holder_do(char cmd, int32_t rep[2])
{
	struct pollfd p = { .fd = holder_rep, .events = POLLIN };

	if (write(holder_cmd, &cmd, 1) != 1)
		die("holder: write: %s", strerror(errno));
	if (poll(&p, 1, 120000) != 1 || read(holder_rep, rep, 2 * sizeof(int32_t)) != 2 * sizeof(int32_t))
		die("holder did not answer command %c", cmd);
}

static void holder_stop(void)
{
	int st;

	if (holder_pid <= 0)
		return;
	close(holder_cmd);
	for (int i = 0; i < 100; i++) {
		if (waitpid(holder_pid, &st, WNOHANG) == holder_pid) {
			holder_pid = -1;
			return;
		}
		usleep(20000);
	}
	kill(holder_pid, SIGKILL);
	waitpid(holder_pid, &st, 0);
	holder_pid = -1;
}

static void print_loadavg(const char *when)
{
	FILE *f = fopen("/proc/loadavg", "r");
	char buf[128] = "?";

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			snprintf(buf, sizeof(buf), "?");
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
	printf("keybench: load average %s: %s (%ld CPUs)\n", when, buf, sysconf(_SC_NPROCESSORS_ONLN));
}

static int count_proc_keys(void)
{
	FILE *f = fopen("/proc/keys", "r");
	char line[1024];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

/* keyctl_join_session_keyring replaces the caller's session keyring, so it
 * runs in a forked child; the results come back through a pipe. */
static void measure_in_child(struct workload *w)
{
	int pfd[2], st;
	pid_t pid;
	struct pollfd p;
	ssize_t got = 0;
	char *dst = (char *)w->r;

	if (pipe(pfd) < 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(pfd[0]);
		alarm(300);
		if (perf_fd >= 0) {
			/* the counter was opened for the parent's task */
			close(perf_fd);
			perf_fd = open_sys_enter_counter(0);
		}
		measure(w);
		if (write(pfd[1], w->r, sizeof(w->r)) != (ssize_t)sizeof(w->r))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	p.fd = pfd[0];
	p.events = POLLIN;
	while (got < (ssize_t)sizeof(w->r)) {
		ssize_t k;

		if (poll(&p, 1, 300000) != 1)
			break;
		k = read(pfd[0], dst + got, sizeof(w->r) - (size_t)got);
		if (k <= 0)
			break;
		got += k;
	}
	close(pfd[0]);
	if (got != (ssize_t)sizeof(w->r)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		die("child measuring %s failed", w->id);
	}
	waitpid(pid, &st, 0);
	w->measured = 1;
}

/* ------------------------------------------------------- load cost, size */

struct loadres {
	/* index 0: no preload, 1: original, 2: ours; times in microseconds */
	double med[3], q1[3], q3[3];	/* wall time of spawn..exit */
	double cpu[3];			/* median user+system CPU time of the child */
	double sys[3];			/* syscalls per process, parent's spawn included */
	double pr_wall, pr_cpu;		/* median per-round ratio ours/original */
	int runs;
};

static struct loadres load;
static long stripped_size[2];
extern char **environ;

/* Run prog and wait; returns its exit status (-1 on failure), and its CPU
 * time in microseconds through cpu_us when that is not NULL. */
static int spawn_wait(const char *prog, char *const argv[], char *const envp[], int out_fd,
		      double *cpu_us)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	rc = posix_spawn(&pid, prog, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st))
		return -1;
	if (cpu_us)
		*cpu_us = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
			  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	return WEXITSTATUS(st);
}

/* Check that LD_PRELOAD=<lib> really maps <lib> into a fresh process. */
static void verify_preload(const struct impl *im)
{
	char env[PATH_MAX + 16], tmpl[] = "/tmp/keybench-maps-XXXXXX", line[PATH_MAX + 256];
	char *envp[] = { env, NULL };
	char *argv[] = { "cat", "/proc/self/maps", NULL };
	int fd = mkstemp(tmpl), ok = 0;
	FILE *f;

	if (fd < 0)
		die("mkstemp: %s", strerror(errno));
	snprintf(env, sizeof(env), "LD_PRELOAD=%s", im->real);
	if (spawn_wait("/bin/cat", argv, envp, fd, NULL) != 0)
		die("LD_PRELOAD=%s /bin/cat failed", im->real);
	f = fdopen(fd, "r");
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');

		if (p) {
			p[strcspn(p, "\n")] = 0;
			if (strcmp(p, im->real) == 0)
				ok = 1;
		}
	}
	fclose(f);
	unlink(tmpl);
	if (!ok)
		die("LD_PRELOAD=%s did not map it", im->real);
}

static void measure_load(void)
{
	static double s[3][2000], c[3][2000];
	char env[2][PATH_MAX + 16];
	char *envs[3][2] = { { NULL, NULL }, { env[0], NULL }, { env[1], NULL } };
	char *argv[] = { "true", NULL };
	int runs = opt_load_runs > 2000 ? 2000 : opt_load_runs;

	snprintf(env[0], sizeof(env[0]), "LD_PRELOAD=%s", impls[I_ORIG].real);
	snprintf(env[1], sizeof(env[1]), "LD_PRELOAD=%s", impls[I_OURS].real);
	verify_preload(&impls[I_ORIG]);
	verify_preload(&impls[I_OURS]);
	for (int k = 0; k < 3; k++)	/* warm the page cache */
		spawn_wait("/bin/true", argv, envs[k], -1, NULL);
	for (int r = 0; r < runs; r++) {
		for (int j = 0; j < 3; j++) {
			int k = order_of(3, r, j);
			uint64_t t0 = now_ns();

			if (spawn_wait("/bin/true", argv, envs[k], -1, &c[k][r]) != 0)
				die("/bin/true with %s failed", envs[k][0] ? envs[k][0] : "no preload");
			s[k][r] = (double)(now_ns() - t0) / 1000.0;
		}
	}
	{
		static double pw[2000], pc[2000];

		for (int r = 0; r < runs; r++) {
			pw[r] = s[2][r] / s[1][r];
			pc[r] = c[1][r] > 0 ? c[2][r] / c[1][r] : 1.0;
		}
		qsort(pw, (size_t)runs, sizeof(double), cmp_double);
		qsort(pc, (size_t)runs, sizeof(double), cmp_double);
		load.pr_wall = quantile(pw, runs, 0.5);
		load.pr_cpu = quantile(pc, runs, 0.5);
	}
	for (int k = 0; k < 3; k++) {
		qsort(s[k], (size_t)runs, sizeof(double), cmp_double);
		qsort(c[k], (size_t)runs, sizeof(double), cmp_double);
		load.med[k] = quantile(s[k], runs, 0.5);
		load.q1[k] = quantile(s[k], runs, 0.25);
		load.q3[k] = quantile(s[k], runs, 0.75);
		load.cpu[k] = quantile(c[k], runs, 0.5);
		load.sys[k] = -1;
	}
	load.runs = runs;

	/* An inherited counter adds each child's count at its exit; RESET does
	 * not clear those, so each variant gets a counter of its own. */
	for (int k = 0; k < 3; k++) {
		int cfd = open_sys_enter_counter(1);
		long v;

		if (cfd < 0)
			break;
		counter_start(cfd);
		for (int i = 0; i < 10; i++)
			spawn_wait("/bin/true", argv, envs[k], -1, NULL);
		v = counter_stop(cfd);
		if (v >= 0)
			load.sys[k] = (double)v / 10.0;
		close(cfd);
	}
}

static long stripped(const char *path)
{
	char tmpl[] = "/tmp/keybench-strip-XXXXXX";
	char *argv[] = { "strip", "-o", tmpl, (char *)path, NULL };
	struct stat st;
	int fd = mkstemp(tmpl);
	long size = -1;

	if (fd < 0)
		return -1;
	close(fd);
	if (spawn_wait("/usr/bin/strip", argv, environ, -1, NULL) == 0 && stat(tmpl, &st) == 0)
		size = (long)st.st_size;
	unlink(tmpl);
	return size;
}

/* ------------------------------------------------------------- reporting */

static void fmt_ns(char *b, size_t n, const struct result *r)
{
	if (r->status == ST_OK) {
		double spread = r->med > 0 ? 50.0 * (r->q3 - r->q1) / r->med : 0;

		if (r->med >= 1e6)
			snprintf(b, n, "%9.2f ms ±%2.0f%%", r->med / 1e6, spread);
		else if (r->med >= 1e4)
			snprintf(b, n, "%9.1f us ±%2.0f%%", r->med / 1e3, spread);
		else
			snprintf(b, n, "%9.1f ns ±%2.0f%%", r->med, spread);
	} else if (r->status == ST_NONE) {
		snprintf(b, n, "%17s", "-");
	} else if (r->status == ST_MISSING) {
		snprintf(b, n, "%17s", "MISSING");
	} else {
		snprintf(b, n, "%17s", "ERROR");
	}
}

static void fmt_ratio(char *b, size_t n, const struct result *a, int base)
{
	double x = base == I_ORIG ? a->pr_orig : a->pr_raw;

	if (a->status == ST_OK && x > 0)
		snprintf(b, n, "%6.3f", x);
	else
		snprintf(b, n, "%6s", "-");
}

static void fmt_sys(char *b, size_t n, const struct result *r)
{
	if (r->status == ST_OK && r->sys >= 0)
		snprintf(b, n, "%7.2f", r->sys);
	else
		snprintf(b, n, "%7s", "-");
}

/* Ratio of a to the original or the raw syscall: the median of the ratios of
 * samples taken in the same round, which cancels drift in the machine's load. */
static double ratio(const struct workload *w, int a, int base)
{
	if (w->r[a].status != ST_OK || w->r[base].status != ST_OK)
		return -1;
	return base == I_ORIG ? w->r[a].pr_orig : w->r[a].pr_raw;
}

static void print_table(void)
{
	printf("\n%-40s %17s %17s %17s %9s %9s  %27s\n", "workload", "original", "ours", "raw syscall",
	       "ours/orig", "ours/raw", "syscalls/call orig ours raw");
	for (int i = 0; i < N_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];
		char a[40], b[40], c[40], r1[16], r2[16], s0[16], s1[16], s2[16];

		if (!w->measured)
			continue;
		fmt_ns(a, sizeof(a), &w->r[I_ORIG]);
		fmt_ns(b, sizeof(b), &w->r[I_OURS]);
		fmt_ns(c, sizeof(c), &w->r[I_RAW]);
		fmt_ratio(r1, sizeof(r1), &w->r[I_OURS], I_ORIG);
		fmt_ratio(r2, sizeof(r2), &w->r[I_OURS], I_RAW);
		fmt_sys(s0, sizeof(s0), &w->r[I_ORIG]);
		fmt_sys(s1, sizeof(s1), &w->r[I_OURS]);
		fmt_sys(s2, sizeof(s2), &w->r[I_RAW]);
		printf("%-40s %17s %17s %17s %9s %9s  %13s %6s %6s\n", w->label, a, b, c, r1, r2,
		       s0, s1, s2);
		for (int k = 0; k < N_IMPL; k++)
			if (w->r[k].status == ST_ERROR || w->r[k].status == ST_MISSING)
				printf("    %s: %s\n", impls[k].name, w->r[k].err);
	}
	printf("  (ns/op: median over rounds of alternated batches, ± half the interquartile range;\n"
	       "   ratios: median over rounds of the ratio of the two batches in that round)\n");

	if (load.runs) {
		char a[40], b[40], c[40];

		printf("\n%-40s %17s %17s %17s %9s\n", "library load (LD_PRELOAD=lib /bin/true)",
		       "original", "ours", "no preload", "ours/orig");

		snprintf(a, sizeof(a), "%9.1f us ±%2.0f%%", load.med[1],
			 50 * (load.q3[1] - load.q1[1]) / load.med[1]);
		snprintf(b, sizeof(b), "%9.1f us ±%2.0f%%", load.med[2],
			 50 * (load.q3[2] - load.q1[2]) / load.med[2]);
		snprintf(c, sizeof(c), "%9.1f us ±%2.0f%%", load.med[0],
			 50 * (load.q3[0] - load.q1[0]) / load.med[0]);
		printf("%-40s %17s %17s %17s %9.3f\n", "  process spawn+exit, median", a, b, c,
		       load.pr_wall);
		snprintf(a, sizeof(a), "%9.1f us", load.med[1] - load.med[0]);
		snprintf(b, sizeof(b), "%9.1f us", load.med[2] - load.med[0]);
		printf("%-40s %17s %17s\n", "  minus the no-preload run", a, b);
		snprintf(a, sizeof(a), "%9.1f us", load.cpu[1]);
		snprintf(b, sizeof(b), "%9.1f us", load.cpu[2]);
		snprintf(c, sizeof(c), "%9.1f us", load.cpu[0]);
		printf("%-40s %17s %17s %17s %9.3f\n", "  child CPU time (user+sys), median", a, b, c,
		       load.pr_cpu);
		if (load.sys[0] >= 0)
			printf("%-40s %17.1f %17.1f %17.1f\n", "  syscalls per run (incl. spawn)",
			       load.sys[1], load.sys[2], load.sys[0]);
		printf("  (%d runs each, alternated)\n", load.runs);
	}
	printf("\n%-40s %17ld %17ld\n", "stripped size (bytes)", stripped_size[0], stripped_size[1]);
}

static void write_tsv(const char *path)
{
	FILE *f = fopen(path, "w");
	static const char *st[] = { "n/a", "ok", "missing", "error" };

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "workload\timpl\tstatus\tmedian_ns\tq1_ns\tq3_ns\trounds\tbatch\tsyscalls_per_call"
		"\tratio_to_original\tratio_to_raw\n");
	for (int i = 0; i < N_WORKLOADS; i++) {
		const struct workload *w = &workloads[i];

		if (!w->measured)
			continue;
		for (int k = 0; k < N_IMPL; k++) {
			const struct result *r = &w->r[k];

			if (r->status == ST_NONE)
				continue;
			fprintf(f, "%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%d\t%ld\t%.3f\t%.4f\t%.4f\n", w->id,
				impls[k].name, st[r->status], r->med, r->q1, r->q3, r->rounds, r->batch,
				r->sys, r->pr_orig, r->pr_raw);
		}
	}
	for (int k = 0; load.runs && k < 3; k++) {
		/* the ratio column is the per-round ratio ours/original */
		double rw = k == 2 ? load.pr_wall : k == 1 ? 1.0 : -1;
		double rc = k == 2 ? load.pr_cpu : k == 1 ? 1.0 : -1;
		const char *name = k == 0 ? "none" : impls[k - 1].name;

		fprintf(f, "load\t%s\tok\t%.1f\t%.1f\t%.1f\t%d\t1\t%.1f\t%.4f\t-1\n", name,
			load.med[k] * 1000, load.q1[k] * 1000, load.q3[k] * 1000, load.runs,
			load.sys[k], rw);
		fprintf(f, "load_cpu\t%s\tok\t%.1f\t\t\t%d\t1\t\t%.4f\t-1\n", name,
			load.cpu[k] * 1000, load.runs, rc);
	}
	fprintf(f, "stripped_size_bytes\toriginal\tok\t%ld\t\t\t\t\t\t\t\n", stripped_size[0]);
	fprintf(f, "stripped_size_bytes\tours\tok\t%ld\t\t\t\t\t\t\t\n", stripped_size[1]);
	fclose(f);
}

static int n_pass, n_fail;

static void target(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void target(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("  %s  ", ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok)
		n_pass++;
	else
		n_fail++;
}

/* A measured value for the summary, or n/a when it could not be measured. */
static const char *fx(double x, int decimals)
{
	static char bufs[4][32];
	static int next;
	char *b = bufs[next++ % 4];

	if (x < 0)
		snprintf(b, sizeof(bufs[0]), "n/a");
	else
		snprintf(b, sizeof(bufs[0]), "%.*f", decimals, x);
	return b;
}

static void print_targets(void)
{
	static const char *wrappers[] = { "get_keyring_ID", "describe", "join_session_keyring" };
	static const char *allocs[] = { "describe_alloc", "read_alloc_1k", "get_security_alloc" };
	const struct workload *w;
	double x;

	printf("\ntargets (ours)\n");
	for (size_t i = 0; i < 3; i++) {
		w = find_workload(wrappers[i]);
		x = ratio(w, I_OURS, I_RAW);
		target(x > 0 && x <= 1.03, "%-40s time ours/raw  %6s <= 1.03", w->label, fx(x, 3));
	}
	for (size_t i = 0; i < 3; i++) {
		w = find_workload(allocs[i]);
		x = w->r[I_OURS].status == ST_OK ? w->r[I_OURS].sys : -1;
		target(x >= 0 && x <= 1.005, "%-40s syscalls/call %6s == 1", w->label, fx(x, 2));
		x = ratio(w, I_OURS, I_ORIG);
		target(x > 0 && x <= 0.60, "%-40s time ours/orig %6s <= 0.60", w->label, fx(x, 3));
	}
	w = find_workload("scan_not_possessed");
	x = (w->r[I_OURS].status == ST_OK && w->r[I_ORIG].status == ST_OK && w->r[I_ORIG].sys > 0 &&
	     w->r[I_OURS].sys >= 0)
		    ? w->r[I_OURS].sys / w->r[I_ORIG].sys
		    : -1;
	target(x > 0 && x <= 0.55, "%-40s syscalls ours/orig %6s <= 0.55", w->label, fx(x, 3));
	x = ratio(w, I_OURS, I_ORIG);
	target(x > 0 && x <= 0.60, "%-40s time ours/orig %6s <= 0.60", w->label, fx(x, 3));
	w = find_workload("find_key_fallback");
	x = ratio(w, I_OURS, I_ORIG);
	target(x > 0 && x <= 0.70, "%-40s time ours/orig %6s <= 0.70", w->label, fx(x, 3));
	printf("  floors (the least any implementation can do, as a share of the original's time):\n");
	w = find_workload("read_alloc_1k");
	printf("    %-40s one exact KEYCTL_READ + malloc: raw/orig %s\n", w->label, fx(ratio(w, I_RAW, I_ORIG), 3));
	w = find_workload("find_key_absent");
	printf("    %-40s reading /proc/keys alone:       raw/orig %s\n", w->label, fx(ratio(w, I_RAW, I_ORIG), 3));
	target(stripped_size[1] > 0 && stripped_size[1] <= 22448,
	       "%-40s %ld bytes <= 22448", "stripped size", stripped_size[1]);
	/* The child's CPU time: the work ld.so does for the library, without the
	 * scheduling noise that wall time picks up on a shared machine. */
	x = load.pr_cpu;
	target(x > 0 && x <= 1.0, "%-40s child CPU ours/orig %6.3f <= 1.00 (wall %.3f)",
	       "load cost (LD_PRELOAD=lib /bin/true)", x, load.pr_wall);
	printf("targets met: %d of %d\n", n_pass, n_pass + n_fail);
}

/* ------------------------------------------------------------------ main */

static void usage(void)
{
	fprintf(stderr,
		"usage: keybench --orig LIB --ours LIB [--budget SECONDS] [--load-runs N]\n"
		"                [--tsv FILE] [--only WORKLOAD[,WORKLOAD...]] [--wall] [-v]\n"
		"  LIB: absolute path of a libkeyutils.so.1\n"
		"  --budget: seconds per workload for all implementations (default 3)\n"
		"  --only: workload ids as in the TSV output, plus \"load\"\n"
		"  --wall: time batches with CLOCK_MONOTONIC instead of the thread's CPU time\n");
	exit(2);
}

static int want(const char *only, const char *id)
{
	char buf[512], *tok, *save;

	if (!only)
		return 1;
	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, id) == 0)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *orig = NULL, *ours = NULL, *tsv = NULL, *only = NULL;
	int32_t rep[2];
	uint64_t t_start = now_ns();

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--orig") && i + 1 < argc)
			orig = argv[++i];
		else if (!strcmp(argv[i], "--ours") && i + 1 < argc)
			ours = argv[++i];
		else if (!strcmp(argv[i], "--budget") && i + 1 < argc)
			opt_budget = atof(argv[++i]);
		else if (!strcmp(argv[i], "--load-runs") && i + 1 < argc)
			opt_load_runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--tsv") && i + 1 < argc)
			tsv = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--wall"))
			bench_clock = CLOCK_MONOTONIC;
		else if (!strcmp(argv[i], "-v"))
			opt_verbose = 1;
		else
			usage();
	}
	if (!orig || !ours || opt_budget <= 0 || opt_load_runs < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(900);

	load_impl(&impls[I_ORIG], "original", orig);
	load_impl(&impls[I_OURS], "ours", ours);
	impls[I_RAW].name = "raw";
	snprintf(impls[I_RAW].path, sizeof(impls[I_RAW].path), "syscall(SYS_keyctl)");
	impls[I_RAW].get_keyring_ID = raw_get_keyring_ID;
	impls[I_RAW].describe = raw_describe;
	impls[I_RAW].join_session_keyring = raw_join_session_keyring;
	impls[I_RAW].read_alloc = raw_read_alloc_1k;
	impls[I_RAW].find_key_by_type_and_desc = raw_read_proc_keys;
	same_file = strcmp(impls[I_ORIG].real, impls[I_OURS].real) == 0;
	verify_mappings();

	printf("keybench: original = %s\n", impls[I_ORIG].real);
	printf("keybench: ours     = %s\n", impls[I_OURS].real);
	if (same_file)
		printf("keybench: NOTE both paths are the same file: ratios should be about 1.0\n");
	printf("keybench: both libraries dlopen()ed in this process (mappings verified); "
	       "budget %.1f s per workload; timing %s\n", opt_budget,
	       bench_clock == CLOCK_MONOTONIC ? "wall clock" : "thread CPU time");

	print_loadavg("at start");
	raw_join_session();
	g_session = (key_serial_t)rk(KEYCTL_GET_KEYRING_ID, (unsigned long)KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
	if (g_session <= 0)
		die("session keyring: %s", strerror(errno));
	counter_init();
	holder_start();

	/* Phase 1: one 1 KiB user key in our session keyring. */
	setup_basic();
	for (int i = 0; i < N_WORKLOADS; i++) {
		struct workload *w = &workloads[i];

		if (w->op == op_get_id || w->op == op_describe || w->op == op_describe_alloc ||
		    w->op == op_read_alloc_1k || w->op == op_get_security_alloc)
			if (want(only, w->id))
				measure(w);
	}

	/* Phase 2: 1,001 user keys held by the holder; we look one up by
	 * description (only /proc/keys can find it) and one that is absent. */
	if (want(only, "find_key_fallback") || want(only, "find_key_absent")) {
		long r;

		holder_do('F', rep);
		g_hidden = rep[0];
		snprintf(g_hidden_desc, sizeof(g_hidden_desc), "kbench-%d-h%04d", (int)getpid(), rep[1]);
		snprintf(g_absent_desc, sizeof(g_absent_desc), "kbench-%d-absent", (int)getpid());
		r = syscall(SYS_request_key, "user", g_hidden_desc, NULL, 0);
		if (r >= 0 || errno != ENOKEY)
			die("request_key found the holder's key (%ld): setup is wrong", r);
		printf("keybench: /proc/keys has %d lines during the find_key workloads\n",
		       count_proc_keys());
		if (want(only, "find_key_fallback"))
			measure(find_workload("find_key_fallback"));
		if (want(only, "find_key_absent"))
			measure(find_workload("find_key_absent"));
		holder_do('C', rep);
	}

	/* Phase 3: a possessed keyring of 1,000 user keys. */
	if (want(only, "read_alloc_ring1000")) {
		g_ring1000 = setup_ring1000();
		measure(find_workload("read_alloc_ring1000"));
		raw_clear_unlink(g_ring1000, KEY_SPEC_SESSION_KEYRING);
	}

	/* Phase 4: recursive_key_scan over 100 keyrings / 2,000 keys, first a
	 * tree we reach only by serial, then one linked under our session. */
	g_tree_nodes = TREE_RINGS * (TREE_KEYS_PER_RING + 1);
	if (want(only, "scan_not_possessed")) {
		holder_do('T', rep);
		g_tree = rep[0];
		measure(find_workload("scan_not_possessed"));
	}
	if (want(only, "scan_possessed")) {
		g_tree = build_tree(KEY_SPEC_SESSION_KEYRING, "p", 0);
		measure(find_workload("scan_possessed"));
		raw_clear_unlink(g_tree, KEY_SPEC_SESSION_KEYRING);
	}
	holder_stop();

	/* Phase 5: join_session_keyring in a child. */
	if (want(only, "join_session_keyring"))
		measure_in_child(find_workload("join_session_keyring"));

	/* Phase 6: load cost and size. */
	if (want(only, "load"))
		measure_load();
	stripped_size[0] = stripped(impls[I_ORIG].real);
	stripped_size[1] = stripped(impls[I_OURS].real);

	print_loadavg("at end");
	print_table();
	if (tsv)
		write_tsv(tsv);
	if (!only)
		print_targets();
	else
		printf("\n(--only given: targets not evaluated)\n");
	printf("keybench: done in %.1f s\n", (double)(now_ns() - t_start) / 1e9);
	return 0;
}

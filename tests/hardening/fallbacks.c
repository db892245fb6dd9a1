/* fallbacks: what keyutils documents for kernels without KEYCTL_REJECT, KEYCTL_INSTANTIATE_IOV
 * and KEYCTL_CAPABILITIES (keyctl_reject(3), keyctl_instantiate_iov(3), keyctl_capabilities(3)),
 * held to the same expectations on both libraries.
 *
 * This kernel has all three, so the program plays an older one: it defines syscall() itself
 * (a definition in the executable interposes on libc's for the library too), answers those three
 * commands with EOPNOTSUPP while `old_kernel` is set, records every keyctl(2) the library makes,
 * and passes everything on to the real kernel. The recorded calls are checked against the man
 * pages: reject falls back to negate, instantiate_iov to instantiate with the segments gathered,
 * capabilities probes each operation. Where the man pages are silent (the order of the probes,
 * the value returned), the expectation is what keyutils 1.6.3 was measured to do.
 */
#include "hcommon.h"

#include <dlfcn.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#define MAX_CALLS 16

struct call {
	long cmd;
	unsigned long arg[4]; /* arg2 .. arg5 as the kernel receives them */
	unsigned char payload[64]; /* KEYCTL_INSTANTIATE's payload, as passed */
	int dh_params_zero; /* KEYCTL_DH_COMPUTE: the params struct reads {0, 0, 0} */
	long ret;
	int err;
};

static struct call calls[MAX_CALLS];
static int ncalls, recording, old_kernel;
static long (*real_syscall)(long, ...);

long syscall(long nr, ...);
long syscall(long nr, ...)
{
	unsigned long a[5];
	va_list ap;

	va_start(ap, nr);
	for (int i = 0; i < 5; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (!real_syscall)
		real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	if (nr != SYS_keyctl || !recording || ncalls >= MAX_CALLS)
		return real_syscall(nr, a[0], a[1], a[2], a[3], a[4]);

	struct call *c = &calls[ncalls++];

	memset(c, 0, sizeof(*c));
	c->cmd = (long)a[0];
	memcpy(c->arg, &a[1], sizeof(c->arg));
	if (c->cmd == KEYCTL_INSTANTIATE && a[2] && a[3] <= sizeof(c->payload))
		memcpy(c->payload, (const void *)a[2], a[3]);
	if (c->cmd == KEYCTL_DH_COMPUTE && a[1]) {
		const struct keyctl_dh_params *p = (const void *)a[1];

		c->dh_params_zero = p->priv == 0 && p->prime == 0 && p->base == 0;
	}
	if (old_kernel && (c->cmd == KEYCTL_REJECT || c->cmd == KEYCTL_INSTANTIATE_IOV ||
			   c->cmd == KEYCTL_CAPABILITIES)) {
		c->ret = -1;
		c->err = EOPNOTSUPP;
		errno = EOPNOTSUPP;
		return -1;
	}
	c->ret = real_syscall(nr, a[0], a[1], a[2], a[3], a[4]);
	c->err = c->ret < 0 ? errno : 0;
	return c->ret;
}

static void start(int old)
{
	ncalls = 0;
	old_kernel = old;
	recording = 1;
}

static void stop(void)
{
	recording = 0;
	old_kernel = 0;
}

/* Integer arguments are compared as the kernel reads them: their low 32 bits. */
static int arg_is(const struct call *c, int i, unsigned int v)
{
	return (unsigned int)c->arg[i] == v;
}

static int call_is(int n, long cmd)
{
	return n < ncalls && calls[n].cmd == cmd;
}

int main(int argc, char **argv)
{
	const char *lib = argc > 1 ? argv[1] : "?";
	key_serial_t ses, key;
	long r;
	int e;

	h_prove_library("fallbacks");
	ses = h_fresh_session("fallbacks");
	key = add_key("user", "fallbacks", "x", 1, ses);
	h_check(key > 0, "[%s] fallbacks: a user key to act on", lib);

	/* keyctl_reject on a kernel without it: keyctl_negate with the same key, timeout, keyring. */
	start(1);
	r = keyctl_reject(key, 10, EKEYREJECTED, ses);
	e = errno;
	stop();
	h_check(ncalls == 2 && call_is(0, KEYCTL_REJECT) && arg_is(&calls[0], 0, key) &&
			arg_is(&calls[0], 1, 10) && arg_is(&calls[0], 2, EKEYREJECTED) &&
			arg_is(&calls[0], 3, ses),
		"[%s] reject, old kernel: KEYCTL_REJECT(key, 10, EKEYREJECTED, ring) first", lib);
	h_check(call_is(1, KEYCTL_NEGATE) && arg_is(&calls[1], 0, key) && arg_is(&calls[1], 1, 10) &&
			arg_is(&calls[1], 2, ses),
		"[%s] reject, old kernel: then KEYCTL_NEGATE(key, 10, ring)", lib);
	h_check(r == -1 && e == EPERM && ncalls == 2 && calls[1].err == EPERM,
		"[%s] reject, old kernel: negate's answer is returned (-1 EPERM without authority)", lib);

	start(0);
	r = keyctl_reject(key, 10, EKEYREJECTED, ses);
	e = errno;
	stop();
	h_check(r == -1 && e == EPERM && ncalls == 1 && call_is(0, KEYCTL_REJECT),
		"[%s] reject, current kernel: one KEYCTL_REJECT, no fallback", lib);

	/* keyctl_instantiate_iov: the segments gathered into one KEYCTL_INSTANTIATE. */
	struct iovec iov[3] = { { (void *)"ab", 2 }, { (void *)"", 0 }, { (void *)"cde", 3 } };

	start(1);
	r = keyctl_instantiate_iov(key, iov, 3, ses);
	e = errno;
	stop();
	h_check(ncalls == 2 && call_is(0, KEYCTL_INSTANTIATE_IOV) && arg_is(&calls[0], 2, 3),
		"[%s] instantiate_iov, old kernel: KEYCTL_INSTANTIATE_IOV(key, iov, 3, ring) first", lib);
	h_check(call_is(1, KEYCTL_INSTANTIATE) && arg_is(&calls[1], 0, key) && calls[1].arg[1] != 0 &&
			calls[1].arg[2] == 5 && memcmp(calls[1].payload, "abcde", 5) == 0 &&
			arg_is(&calls[1], 3, ses),
		"[%s] instantiate_iov, old kernel: then KEYCTL_INSTANTIATE(key, \"abcde\", 5, ring)", lib);
	h_check(r == -1 && e == EPERM,
		"[%s] instantiate_iov, old kernel: instantiate's answer is returned", lib);

	start(1);
	r = keyctl_instantiate_iov(key, NULL, 0, ses);
	stop();
	h_check(ncalls == 2 && call_is(1, KEYCTL_INSTANTIATE) && calls[1].arg[1] == 0 &&
			calls[1].arg[2] == 0 && arg_is(&calls[1], 3, ses) && r == -1,
		"[%s] instantiate_iov(NULL, 0), old kernel: KEYCTL_INSTANTIATE(key, NULL, 0, ring)", lib);

	struct iovec empty[2] = { { (void *)"", 0 }, { (void *)"", 0 } };

	start(1);
	r = keyctl_instantiate_iov(key, empty, 2, ses);
	stop();
	h_check(ncalls == 2 && call_is(1, KEYCTL_INSTANTIATE) && calls[1].arg[1] == 0 &&
			calls[1].arg[2] == 0 && r == -1,
		"[%s] instantiate_iov of empty segments, old kernel: KEYCTL_INSTANTIATE(key, NULL, 0, ring)",
		lib);

	/* keyctl_capabilities: each operation probed in turn, bit set unless it says EOPNOTSUPP. */
	static const long probes[] = { KEYCTL_GET_PERSISTENT, KEYCTL_DH_COMPUTE, KEYCTL_PKEY_QUERY,
				       KEYCTL_INVALIDATE,     KEYCTL_RESTRICT_KEYRING, KEYCTL_MOVE };
	static const unsigned char bits[] = { KEYCTL_CAPS0_PERSISTENT_KEYRINGS,
					      KEYCTL_CAPS0_DIFFIE_HELLMAN,
					      KEYCTL_CAPS0_PUBLIC_KEY,
					      KEYCTL_CAPS0_INVALIDATE,
					      KEYCTL_CAPS0_RESTRICT_KEYRING,
					      KEYCTL_CAPS0_MOVE };
	unsigned char caps[4];

	memset(caps, 0xa5, sizeof(caps));
	start(1);
	r = keyctl_capabilities(caps, sizeof(caps));
	stop();
	int order = ncalls == 7 && call_is(0, KEYCTL_CAPABILITIES);
	unsigned char want = 0;

	for (int i = 0; i < 6 && order; i++) {
		order = call_is(i + 1, probes[i]);
		if (order && calls[i + 1].err != EOPNOTSUPP)
			want |= bits[i];
	}
	h_check(order, "[%s] capabilities, old kernel: probes persistent, DH, pkey, invalidate, "
		       "restrict, move, in that order", lib);
	h_check(order && arg_is(&calls[1], 0, (unsigned int)-1) && arg_is(&calls[1], 1, 0) &&
			calls[2].arg[0] != 0 && calls[2].dh_params_zero && calls[2].arg[1] == 0 &&
			arg_is(&calls[2], 2, 0) && arg_is(&calls[3], 0, 0) && calls[3].arg[2] == 0 &&
			calls[3].arg[3] == 0 && arg_is(&calls[4], 0, 0) && arg_is(&calls[5], 0, 0) &&
			calls[5].arg[1] == 0 && calls[5].arg[2] == 0 && arg_is(&calls[6], 0, 0) &&
			arg_is(&calls[6], 1, 0) && arg_is(&calls[6], 2, 0) && arg_is(&calls[6], 3, 0),
		"[%s] capabilities, old kernel: the probes' arguments (persistent(-1, 0), DH of "
		"{0,0,0} into NULL, pkey_query(0, NULL, NULL), invalidate(0), restrict(0, NULL, NULL), "
		"move(0, 0, 0, 0))",
		lib);
	h_check(r == 1, "[%s] capabilities, old kernel: returns 1 (one byte of flags), got %ld", lib, r);
	h_check(caps[0] == want && caps[1] == 0 && caps[2] == 0 && caps[3] == 0,
		"[%s] capabilities, old kernel: buffer %02x %02x %02x %02x, want %02x 00 00 00 "
		"(CAPS0_CAPABILITIES clear)",
		lib, caps[0], caps[1], caps[2], caps[3], want);
	/* The probes must find what the kernel really has (of what they probe: not big_key). */
	unsigned char real[2] = { 0, 0 };
	const unsigned char probed = KEYCTL_CAPS0_PERSISTENT_KEYRINGS | KEYCTL_CAPS0_DIFFIE_HELLMAN |
				     KEYCTL_CAPS0_PUBLIC_KEY | KEYCTL_CAPS0_INVALIDATE |
				     KEYCTL_CAPS0_RESTRICT_KEYRING | KEYCTL_CAPS0_MOVE;

	syscall(SYS_keyctl, KEYCTL_CAPABILITIES, real, sizeof(real));
	h_check(want != 0 && want == (real[0] & probed),
		"[%s] capabilities, old kernel: the probes found the kernel's features (%02x; the "
		"kernel says %02x)",
		lib, want, real[0] & probed);

	start(1);
	r = keyctl_capabilities(NULL, 0);
	stop();
	h_check(r == 1 && ncalls == 1, "[%s] capabilities(NULL, 0), old kernel: 1, and no probe", lib);
	return h_finish();
}

/* Self-test of the VM lab (tests/vm): runs inside a VM of any architecture and checks that the
 * kernel's keyrings work there, through raw syscalls and through the libkeyutils.so.1 the program
 * was linked with (Debian's, in the lab's initramfs). Prints TAP; exits with the number of
 * failures. Also prints "# feature" lines: which optional key facilities this kernel has.
 *
 * It declares the few libkeyutils functions it uses itself, so it builds without keyutils.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

typedef int32_t key_serial_t;
extern key_serial_t keyctl_join_session_keyring(const char *name);
extern int keyctl_describe_alloc(key_serial_t id, char **buffer);
extern long keyctl_read_alloc(key_serial_t id, void **buffer);
extern const char keyutils_version_string[];

/* From <linux/keyctl.h>, spelt out so that old or partial kernel headers do not matter. */
#define SESSION (-3)
#define K_GET_KEYRING_ID 0
#define K_REVOKE 3
#define K_SEARCH 10
#define K_READ 11
#define K_GET_PERSISTENT 22
#define K_DH_COMPUTE 23
#define K_PKEY_QUERY 24
#define K_CAPABILITIES 31
#define K_WATCH_KEY 32

static int tests, failures;

static void check(int ok, const char *what) {
	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", tests, what);
	fflush(stdout);
}

static long add_key(const char *type, const char *desc, const void *data, size_t len, key_serial_t ring) {
	return syscall(SYS_add_key, type, desc, data, len, ring);
}

static long keyctl(int cmd, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5) {
	return syscall(SYS_keyctl, cmd, a2, a3, a4, a5);
}

static const char *err(long r) {
	return r >= 0 ? "success" : strerrorname_np(errno);
}

/* Which libkeyutils.so.1 the process mapped: the lab must load the one it means to. */
static void mapped_library(void) {
	char line[512], path[512] = "";
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f)) {
		char *p = strchr(line, '/');
		if (p && strstr(p, "libkeyutils.so")) {
			snprintf(path, sizeof path, "%s", p);
			path[strcspn(path, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	printf("# libkeyutils: %s (%s)\n", path[0] ? path : "not mapped", keyutils_version_string);
	/* SELFTEST_LIB names the directory the library must come from (selftest.sh sets it when it
	 * runs the program against our build), since a missing file silently means the system's. */
	const char *want = getenv("SELFTEST_LIB");
	if (want)
		check(strncmp(path, want, strlen(want)) == 0, "libkeyutils.so.1 comes from SELFTEST_LIB");
	else
		check(path[0] != 0, "a libkeyutils.so.1 is mapped");
}

/* A 1536-bit modulus (the kernel refuses shorter ones), base 2, private 10: 2^10 mod p is 1024,
 * returned big-endian over the modulus' 192 bytes. Primality does not matter to the arithmetic. */
static void diffie_hellman(void) {
	unsigned char p[192] = {0x80}, g = 2, x = 10, out[192];
	p[191] = 1;
	key_serial_t kp = add_key("user", "vmlab-dh-p", p, sizeof p, SESSION);
	key_serial_t kg = add_key("user", "vmlab-dh-g", &g, 1, SESSION);
	key_serial_t kx = add_key("user", "vmlab-dh-x", &x, 1, SESSION);
	int32_t params[3] = {kx, kp, kg}; /* struct keyctl_dh_params: private, prime, base */
	long r = keyctl(K_DH_COMPUTE, (unsigned long)params, (unsigned long)out, sizeof out, 0);
	if (r < 0 && errno == EOPNOTSUPP) {
		printf("# feature DH_COMPUTE: absent (EOPNOTSUPP)\n");
		return;
	}
	int ok = r == sizeof out && out[190] == 4 && out[191] == 0;
	for (int i = 0; ok && i < 190; i++)
		ok = out[i] == 0;
	printf("# feature DH_COMPUTE: present (%ld, %s)\n", r, err(r));
	check(ok, "KEYCTL_DH_COMPUTE gives 2^10 mod p");
}

/* selftest.sh puts a 2048-bit RSA key in PKCS#8 DER beside the program (when the host has
 * openssl): loading it needs the pkcs8_key_parser module, querying it the asymmetric type. */
static void pkcs8(void) {
	static unsigned char der[8192];
	char line[256];
	int loaded = 0;
	size_t n = 0;
	FILE *f = fopen("key.p8", "rb");
	if (!f) {
		printf("# no key.p8: PKCS#8 not tried\n");
		return;
	}
	n = fread(der, 1, sizeof der, f);
	fclose(f);
	f = fopen("/proc/modules", "r");
	while (f && fgets(line, sizeof line, f))
		loaded |= strncmp(line, "pkcs8_key_parser ", 17) == 0;
	if (f)
		fclose(f);
	key_serial_t k = add_key("asymmetric", "vmlab-p8", der, n, SESSION);
	if (k < 0 && !loaded) {
		printf("# feature PKCS#8 private keys: %s, pkcs8_key_parser not loaded\n", err(k));
		return;
	}
	printf("# feature PKCS#8 private keys: %s\n", k >= 0 ? "present" : err(k));
	check(k > 0, "add_key(\"asymmetric\") takes a PKCS#8 RSA private key");
	struct { uint32_t ops, key_size; uint16_t max_data, max_sig, max_enc, max_dec; uint32_t spare[10]; } q;
	memset(&q, 0, sizeof q);
	long r = keyctl(K_PKEY_QUERY, k, 0, (unsigned long)"enc=pkcs1", (unsigned long)&q);
	printf("# pkey_query: %s, key_size %u, ops %#x\n", err(r), q.key_size, q.ops);
	check(r == 0 && q.key_size == 2048, "KEYCTL_PKEY_QUERY reports a 2048-bit key");
}

static void features(void) {
	unsigned char caps[2] = {0, 0};
	long r = keyctl(K_CAPABILITIES, (unsigned long)caps, sizeof caps, 0, 0);
	if (r < 0)
		printf("# feature CAPABILITIES: %s\n", err(r));
	else
		printf("# feature CAPABILITIES: persistent=%d dh=%d public_key=%d big_key=%d invalidate=%d "
		       "restrict=%d move=%d ns_name=%d ns_tag=%d notifications=%d\n",
		       !!(caps[0] & 0x02), !!(caps[0] & 0x04), !!(caps[0] & 0x08), !!(caps[0] & 0x10),
		       !!(caps[0] & 0x20), !!(caps[0] & 0x40), !!(caps[0] & 0x80), !!(caps[1] & 0x01),
		       !!(caps[1] & 0x02), !!(caps[1] & 0x04));
	r = add_key("big_key", "vmlab-big", "big", 3, SESSION);
	printf("# feature big_key: %s (%s)\n", r >= 0 ? "present" : errno == ENODEV ? "absent" : "?", err(r));
	/* A payload no parser accepts: EBADMSG when the type exists, ENODEV when it does not. */
	r = add_key("asymmetric", "", "not a key", 9, SESSION);
	printf("# feature asymmetric: %s (%s)\n", r >= 0 || errno == EBADMSG ? "present" : errno == ENODEV ? "absent" : "?", err(r));
	r = keyctl(K_WATCH_KEY, SESSION, (unsigned long)-1, 0, 0);
	printf("# feature notifications: %s (%s)\n", errno == EOPNOTSUPP ? "absent" : "present", err(r));
	r = keyctl(K_GET_PERSISTENT, (unsigned long)-1, SESSION, 0, 0);
	printf("# feature persistent keyrings: %s (%s)\n", r >= 0 ? "present" : "absent", err(r));
	diffie_hellman();
	pkcs8();
}

/* A child that drops to uid/gid 1000 (the lab's spare user) owns the keys it adds. */
static void other_user(void) {
	pid_t pid = fork();
	if (pid == 0) {
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			_exit(2);
		if (keyctl_join_session_keyring(NULL) < 0)
			_exit(3);
		key_serial_t k = add_key("user", "vmlab-uid", "x", 1, SESSION);
		char *d = NULL;
		if (k < 0 || keyctl_describe_alloc(k, &d) < 0)
			_exit(4);
		_exit(strncmp(d, "user;1000;1000;", 15) ? 5 : 0);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("# child status %#x\n", st);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "uid 1000 adds a key it owns in its own session keyring");
}

int main(void) {
	char desc[64], expect[128], buf[64], line[256];
	printf("# long %zu bytes, %s-endian\n", sizeof(long), *(const unsigned char *)&(int){1} ? "little" : "big");

	key_serial_t ses = keyctl_join_session_keyring(NULL);
	check(ses > 0, "keyctl_join_session_keyring(NULL) makes a session keyring");
	check(keyctl(K_GET_KEYRING_ID, SESSION, 0, 0, 0) == ses, "KEYCTL_GET_KEYRING_ID finds it");
	mapped_library();

	snprintf(desc, sizeof desc, "vmlab:%d", (int)getpid());
	key_serial_t k = add_key("user", desc, "hello vm", 8, SESSION);
	check(k > 0, "add_key(2) adds a user key");
	long n = keyctl(K_READ, k, 0, 0, 0);
	long m = keyctl(K_READ, k, (unsigned long)buf, sizeof buf, 0);
	check(n == 8 && m == 8 && memcmp(buf, "hello vm", 8) == 0, "KEYCTL_READ sizes and reads it");

	char *d = NULL;
	snprintf(expect, sizeof expect, "user;0;0;3f010000;%s", desc);
	int dr = keyctl_describe_alloc(k, &d);
	printf("# describe: %s\n", dr >= 0 ? d : err(dr));
	check(dr >= 0 && strcmp(d, expect) == 0, "keyctl_describe_alloc describes it");
	free(d);
	void *data = NULL;
	long rn = keyctl_read_alloc(k, &data);
	check(rn == 8 && memcmp(data, "hello vm", 9) == 0, "keyctl_read_alloc reads it, NUL-terminated");
	free(data);

	char id[16];
	int seen = 0;
	snprintf(id, sizeof id, "%08x ", (unsigned)k);
	FILE *f = fopen("/proc/keys", "r");
	while (f && fgets(line, sizeof line, f))
		seen |= strncmp(line, id, 9) == 0;
	if (f)
		fclose(f);
	check(seen, "/proc/keys lists it");
	check(keyctl(K_SEARCH, SESSION, (unsigned long)"user", (unsigned long)desc, 0) == k, "KEYCTL_SEARCH finds it");
	check(keyctl(K_REVOKE, k, 0, 0, 0) == 0, "KEYCTL_REVOKE revokes it");
	long rr = keyctl(K_READ, k, (unsigned long)buf, sizeof buf, 0);
	check(rr == -1 && errno == EKEYREVOKED, "KEYCTL_READ of the revoked key fails with EKEYREVOKED");
	other_user();
	features();

	printf("1..%d\n", tests);
	return failures;
}

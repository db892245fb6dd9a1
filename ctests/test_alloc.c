/* The allocating helpers: keyctl_describe_alloc, keyctl_read_alloc,
 * keyctl_get_security_alloc, keyctl_dh_compute_alloc.  Exact return values,
 * NUL-terminated malloc'd results (freed here, so ASan/valgrind would see a
 * mismatch), the out-pointer untouched on failure, and a payload that
 * changes size between the size query and the fetch. */
#include "common.h"
#include "rfc5114.h"

#include <pthread.h>

static char sentinel_c;
static int sentinel_v;

static void test_describe_alloc(key_serial_t ses)
{
	const char *d = t_uniq("da");
	key_serial_t id = add_key("user", d, "x", 1, ses);
	char want[256];
	char *buf = &sentinel_c;
	int n;

	keyctl_setperm(id, KEY_POS_ALL | KEY_USR_ALL);
	snprintf(want, sizeof(want), "user;0;0;3f3f0000;%s", d);
	n = keyctl_describe_alloc(id, &buf);
	CHECK_EQ(n, (long)strlen(want), "describe_alloc returns the length without the NUL");
	CHECK(buf != &sentinel_c && buf != NULL, "describe_alloc sets the pointer");
	if (buf != &sentinel_c && buf) {
		CHECK_MEM(buf, want, strlen(want) + 1, "describe_alloc text, NUL-terminated");
		free(buf);
	}

	buf = &sentinel_c;
	CHECK_ERR(keyctl_describe_alloc(NOKEY, &buf), ENOKEY, "describe_alloc nonexistent: ENOKEY");
	CHECK(buf == &sentinel_c, "describe_alloc leaves the pointer untouched on failure");
	keyctl_revoke(id);
	CHECK_ERR(keyctl_describe_alloc(id, &buf), EKEYREVOKED,
		  "describe_alloc revoked: EKEYREVOKED");
	CHECK(buf == &sentinel_c, "describe_alloc leaves the pointer untouched on EKEYREVOKED");
}

static void test_read_alloc(key_serial_t ses)
{
	static const char payload[] = "0123456789\0abcdef";	/* 17 bytes */
	key_serial_t id = add_key("user", t_uniq("ra"), payload, 17, ses);
	key_serial_t ring = add_key("keyring", t_uniq("rar"), NULL, 0, ses);
	key_serial_t k[3], bigid;
	void *buf = &sentinel_v;
	char *big;
	int n, i, found;

	n = keyctl_read_alloc(id, &buf);
	CHECK_EQ(n, 17, "read_alloc returns the payload length");
	if (n == 17 && buf != &sentinel_v) {
		CHECK_MEM(buf, payload, 17, "read_alloc bytes exact");
		CHECK_EQ(((char *)buf)[17], 0, "read_alloc adds a NUL after the payload");
		free(buf);
	}

	big = malloc(40000);
	for (i = 0; i < 40000; i++)
		big[i] = (char)('A' + i % 26);
	/* keyctl_update takes at most a page, and a user key at most 32767 bytes: 40000 is refused
	 * whatever the page size (64 KiB on some arm64 and ppc64el kernels). */
	CHECK_ERR(keyctl_update(id, big, 40000), EINVAL, "update with 40000 bytes: EINVAL");
	bigid = add_key("user", t_uniq("big"), big, 30000, ses);
	CHECK(bigid > 0, "add_key with a 30000-byte payload");
	buf = &sentinel_v;
	n = keyctl_read_alloc(bigid, &buf);
	CHECK_EQ(n, 30000, "read_alloc of a 30000-byte payload");
	if (n == 30000 && buf != &sentinel_v) {
		CHECK_MEM(buf, big, 30000, "read_alloc 30000 bytes exact");
		CHECK_EQ(((char *)buf)[30000], 0, "read_alloc NUL after 30000 bytes");
		free(buf);
	}
	free(big);

	buf = &sentinel_v;
	n = keyctl_read_alloc(ring, &buf);
	CHECK_EQ(n, 0, "read_alloc of an empty keyring returns 0");
	CHECK(buf != &sentinel_v && buf != NULL, "read_alloc of an empty keyring sets a buffer");
	if (buf != &sentinel_v && buf) {
		CHECK_EQ(((char *)buf)[0], 0, "read_alloc empty keyring buffer is \"\"");
		free(buf);
	}
	for (i = 0; i < 3; i++)
		k[i] = add_key("user", t_uniq("rak"), "v", 1, ring);
	buf = &sentinel_v;
	n = keyctl_read_alloc(ring, &buf);
	CHECK_EQ(n, 12, "read_alloc of a keyring with 3 keys returns 12");
	if (n == 12 && buf != &sentinel_v) {
		key_serial_t got[3];

		memcpy(got, buf, sizeof(got));
		for (found = 0, i = 0; i < 3; i++)
			found += got[i] == k[0] || got[i] == k[1] || got[i] == k[2];
		CHECK(found == 3 && got[0] != got[1] && got[1] != got[2] && got[0] != got[2],
		      "read_alloc keyring lists the 3 serials");
		CHECK_EQ(((char *)buf)[12], 0, "read_alloc keyring buffer NUL-terminated");
		free(buf);
	}

	buf = &sentinel_v;
	CHECK_ERR(keyctl_read_alloc(NOKEY, &buf), ENOKEY, "read_alloc nonexistent: ENOKEY");
	CHECK(buf == &sentinel_v, "read_alloc leaves the pointer untouched on failure");
	keyctl_setperm(id, KEY_POS_VIEW);
	CHECK_ERR(keyctl_read_alloc(id, &buf), EACCES, "read_alloc without read permission: EACCES");
	CHECK(buf == &sentinel_v, "read_alloc leaves the pointer untouched on EACCES");
}

static void test_security_alloc(key_serial_t ses)
{
	key_serial_t id = add_key("user", t_uniq("sa"), "x", 1, ses);
	char small[64];
	char *buf = &sentinel_c;
	long want = keyctl_get_security(id, small, sizeof(small));
	int n;

	CHECK(want >= 1 && want <= (long)sizeof(small), "get_security reference (%ld)", want);
	n = keyctl_get_security_alloc(id, &buf);
	CHECK_EQ(n, want - 1, "get_security_alloc returns the label length without the NUL");
	if (n >= 0 && buf != &sentinel_c) {
		CHECK_MEM(buf, small, (size_t)n + 1, "get_security_alloc bytes, NUL-terminated");
		free(buf);
	}
	buf = &sentinel_c;
	CHECK_ERR(keyctl_get_security_alloc(NOKEY, &buf), ENOKEY,
		  "get_security_alloc nonexistent: ENOKEY");
	CHECK(buf == &sentinel_c, "get_security_alloc leaves the pointer untouched on failure");
}

/* keyctl_dh_compute_alloc(priv, prime, base) gives len(p) = 256 bytes, want, and a NUL after them
 * as the original adds. */
static void check_dh_alloc(key_serial_t priv, key_serial_t prime, key_serial_t base,
			   const unsigned char *want, const char *what)
{
	void *buf = &sentinel_v;
	long n = keyctl_dh_compute_alloc(priv, prime, base, &buf);

	CHECK_EQ(n, 256, "dh_compute_alloc %s returns len(p)", what);
	CHECK(buf != &sentinel_v && buf != NULL, "dh_compute_alloc %s sets the pointer", what);
	if (n == 256 && buf != &sentinel_v && buf) {
		CHECK_MEM(buf, want, 256, "dh_compute_alloc %s = RFC 5114's", what);
		CHECK_EQ(((unsigned char *)buf)[256], 0, "dh_compute_alloc %s: a NUL after it", what);
	}
	if (buf != &sentinel_v)
		free(buf);
}

/* The kernel has DH: RFC 5114 A.2's published answers (see rfc5114.h). */
static void test_dh_alloc_vectors(key_serial_t ses)
{
	key_serial_t p = rfc5114_key("dhp", rfc5114_p, ses), g = rfc5114_key("dhg", rfc5114_g, ses);
	key_serial_t xa = rfc5114_key("dhxA", rfc5114_xa, ses);
	key_serial_t yb = rfc5114_key("dhyB", rfc5114_yb, ses);
	unsigned char want_ya[256], want_z[256];

	CHECK(p > 0 && g > 0 && xa > 0 && yb > 0, "add the RFC 5114 keys");
	CHECK(rfc5114_bytes(rfc5114_ya, want_ya, sizeof(want_ya)) == 256 &&
	      rfc5114_bytes(rfc5114_z, want_z, sizeof(want_z)) == 256,
	      "RFC 5114 yA and Z parse to 256 bytes");
	check_dh_alloc(xa, p, g, want_ya, "g^xA (yA)");
	check_dh_alloc(xa, p, yb, want_z, "yB^xA (Z)");

	keyctl_unlink(p, ses);
	keyctl_unlink(g, ses);
	keyctl_unlink(xa, ses);
	keyctl_unlink(yb, ses);
}

static void test_dh_alloc(key_serial_t ses)
{
	key_serial_t p = add_key("user", t_uniq("dhp"), "\x17", 1, ses);
	key_serial_t g = add_key("user", t_uniq("dhg"), "\x05", 1, ses);
	key_serial_t x = add_key("user", t_uniq("dhx"), "\x03", 1, ses);
	void *buf = &sentinel_v;

	struct keyctl_dh_params prm = { .priv = x, .prime = p, .base = g };

	if (!t_kernel_has(0, KEYCTL_CAPS0_DIFFIE_HELLMAN)) {
		printf("# the kernel has no Diffie-Hellman: its error path\n");
		CHECK_ERR(keyctl_dh_compute_alloc(x, p, g, &buf), EOPNOTSUPP,
			  "dh_compute_alloc without kernel DH: EOPNOTSUPP");
		CHECK(buf == &sentinel_v, "dh_compute_alloc leaves the pointer untouched on failure");
		CHECK_ERR(keyctl_dh_compute_alloc(NOKEY, NOKEY, NOKEY, &buf), EOPNOTSUPP,
			  "dh_compute_alloc with nonexistent keys: EOPNOTSUPP");
		CHECK(buf == &sentinel_v, "dh_compute_alloc pointer still untouched");
		return;
	}
	/* The kernel has DH; whether it takes these toy parameters depends on its version: the helper
	 * must answer as the kernel's size query does (a size on success, with the bytes). */
	printf("# the kernel has Diffie-Hellman: the helper against the system call\n");
	CHECK_AS_RAW(keyctl_dh_compute_alloc(x, p, g, &buf),
		     syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &prm, NULL, 0, NULL),
		     "dh_compute_alloc answers as the kernel's size query");
	if (buf != &sentinel_v)
		free(buf);
	buf = &sentinel_v;
	CHECK_ERR(keyctl_dh_compute_alloc(NOKEY, NOKEY, NOKEY, &buf), ENOKEY,
		  "dh_compute_alloc with nonexistent keys: ENOKEY");
	CHECK(buf == &sentinel_v, "dh_compute_alloc leaves the pointer untouched on failure");
	test_dh_alloc_vectors(ses);
}

/* A writer flips a key between a short and a long payload (and a key's
 * group between a short and a long number) while the reader allocates: every
 * result must be one whole version, never a truncated or stale-length one. */
struct flipper {
	key_serial_t id;
	volatile int stop;
};

static char pay_a[100], pay_b[3000];

static void *flip_payload(void *arg)
{
	struct flipper *f = arg;
	int i = 0;

	while (!f->stop) {
		if (i++ & 1)
			keyctl_update(f->id, pay_a, sizeof(pay_a));
		else
			keyctl_update(f->id, pay_b, sizeof(pay_b));
	}
	return NULL;
}

static void *flip_group(void *arg)
{
	struct flipper *f = arg;
	int i = 0;

	while (!f->stop)
		keyctl_chown(f->id, (uid_t)-1, (i++ & 1) ? 0 : 1234567890);
	return NULL;
}

static void test_alloc_races(key_serial_t ses)
{
	const char *d = t_uniq("race");
	struct flipper f;
	pthread_t th;
	char da[256], db[256];
	time_t end;
	int i, bad = 0, seen_a = 0, seen_b = 0;

	memset(pay_a, 'a', sizeof(pay_a));
	memset(pay_b, 'b', sizeof(pay_b));
	f.id = add_key("user", d, pay_a, sizeof(pay_a), ses);
	f.stop = 0;
	keyctl_setperm(f.id, KEY_POS_ALL | KEY_USR_ALL);
	CHECK(pthread_create(&th, NULL, flip_payload, &f) == 0, "start payload flipper thread");
	end = time(NULL) + 2;
	for (i = 0; i < 20000 && time(NULL) <= end; i++) {
		void *buf = NULL;
		int n = keyctl_read_alloc(f.id, &buf);

		if (n == (int)sizeof(pay_a) && !memcmp(buf, pay_a, sizeof(pay_a)) &&
		    ((char *)buf)[n] == 0)
			seen_a++;
		else if (n == (int)sizeof(pay_b) && !memcmp(buf, pay_b, sizeof(pay_b)) &&
			 ((char *)buf)[n] == 0)
			seen_b++;
		else
			bad++;
		if (n >= 0)
			free(buf);
	}
	f.stop = 1;
	pthread_join(th, NULL);
	CHECK(bad == 0, "read_alloc under concurrent resizing: %d runs, %d a, %d b, %d bad",
	      i, seen_a, seen_b, bad);

	snprintf(da, sizeof(da), "user;0;0;3f3f0000;%s", d);
	snprintf(db, sizeof(db), "user;0;1234567890;3f3f0000;%s", d);
	f.stop = 0;
	bad = seen_a = seen_b = 0;
	CHECK(pthread_create(&th, NULL, flip_group, &f) == 0, "start group flipper thread");
	end = time(NULL) + 2;
	for (i = 0; i < 20000 && time(NULL) <= end; i++) {
		char *buf = NULL;
		int n = keyctl_describe_alloc(f.id, &buf);

		if (n == (int)strlen(da) && !strcmp(buf, da))
			seen_a++;
		else if (n == (int)strlen(db) && !strcmp(buf, db))
			seen_b++;
		else
			bad++;
		if (n >= 0)
			free(buf);
	}
	f.stop = 1;
	pthread_join(th, NULL);
	CHECK(bad == 0, "describe_alloc under concurrent resizing: %d runs, %d short, %d long, %d bad",
	      i, seen_a, seen_b, bad);
	keyctl_chown(f.id, (uid_t)-1, 0);
}

int main(void)
{
	key_serial_t ses = t_init("alloc");

	test_describe_alloc(ses);
	test_read_alloc(ses);
	test_security_alloc(ses);
	test_dh_alloc(ses);
	test_alloc_races(ses);
	keyctl_clear(ses);
	return t_done();
}

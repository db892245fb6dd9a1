/* The plain syscall wrappers: add_key, request_key, keyctl() and the
 * keyctl_* functions that map onto one keyctl command each, on their
 * success and error paths, with exact return values, errno and bytes. */
#include "common.h"

#define PERM_ALL (KEY_POS_ALL | KEY_USR_ALL)

static char dbuf[512];

/* The description of @id as the kernel gives it, "" on error. */
static const char *desc_of(key_serial_t id)
{
	long n = keyctl_describe(id, dbuf, sizeof(dbuf));

	if (n < 0 || (size_t)n > sizeof(dbuf))
		return "";
	return dbuf;
}

/* Is @id a member of keyring @ring? */
static int ring_has(key_serial_t ring, key_serial_t id)
{
	key_serial_t ids[64];
	long n = keyctl_read(ring, (char *)ids, sizeof(ids));
	long i;

	if (n < 0 || (size_t)n > sizeof(ids))
		return 0;
	for (i = 0; i < n / (long)sizeof(key_serial_t); i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static key_serial_t new_ring(const char *tag, key_serial_t parent)
{
	return add_key("keyring", t_uniq(tag), NULL, 0, parent);
}

static void test_add_key(key_serial_t ses)
{
	const char *d = t_uniq("add");
	char want[256];
	key_serial_t id, id2;
	char buf[16];

	id = add_key("user", d, "payload", 7, ses);
	CHECK(id > 0, "add_key user key returns a serial");
	CHECK(ring_has(ses, id), "add_key links the key into the given keyring");
	CHECK_RET(keyctl_setperm(id, PERM_ALL), 0, "setperm to known perms");
	snprintf(want, sizeof(want), "user;0;0;3f3f0000;%s", d);
	CHECK(strcmp(desc_of(id), want) == 0, "describe of new key is \"%s\"", want);

	id2 = add_key("user", d, "other", 5, ses);
	CHECK_EQ(id2, id, "add_key with same type+desc updates the same key");
	CHECK_RET(keyctl_read(id, buf, sizeof(buf)), 5, "updated payload length");
	CHECK_MEM(buf, "other", 5, "updated payload bytes");

	id2 = add_key("keyring", t_uniq("ring"), NULL, 0, KEY_SPEC_SESSION_KEYRING);
	CHECK(id2 > 0, "add_key keyring into KEY_SPEC_SESSION_KEYRING");
	CHECK(ring_has(ses, id2), "special id -3 resolves to the session keyring");

	CHECK_ERR(add_key("no_such_type", t_uniq("x"), "p", 1, ses), ENODEV,
		  "add_key unknown type: ENODEV");
	CHECK_ERR(add_key(".hidden", t_uniq("x"), "p", 1, ses), EPERM,
		  "add_key type starting with '.': EPERM");
	CHECK_ERR(add_key("user", "", "p", 1, ses), EINVAL,
		  "add_key user with empty description: EINVAL");
	CHECK_ERR(add_key("user", t_uniq("x"), NULL, 0, ses), EINVAL,
		  "add_key user without payload: EINVAL");
	CHECK_ERR(add_key("user", t_uniq("x"), "p", 1, NOKEY), ENOKEY,
		  "add_key into nonexistent keyring: ENOKEY");
	CHECK_ERR(add_key("user", t_uniq("x"), "p", 1, id), ENOTDIR,
		  "add_key into a non-keyring: ENOTDIR");
	if (t_bad_pointers())
		CHECK_ERR(add_key(NULL, t_uniq("x"), "p", 1, ses), EFAULT,
			  "add_key NULL type: EFAULT");
	CHECK_ERR(add_key("user", t_uniq("x"), "p", 1, 0), EINVAL,
		  "add_key into keyring 0: EINVAL");
}

static void test_request_key(key_serial_t ses)
{
	const char *d = t_uniq("req");
	key_serial_t id, ring;

	id = add_key("user", d, "x", 1, ses);
	CHECK(id > 0, "request_key: setup key");
	CHECK_RET(request_key("user", d, NULL, 0), id,
		  "request_key finds a key in the session keyring");
	ring = new_ring("reqdest", ses);
	CHECK_RET(request_key("user", d, NULL, ring), id,
		  "request_key with destination finds the key");
	CHECK(ring_has(ring, id), "request_key links the found key into destringid");
	CHECK_ERR(request_key("user", t_uniq("absent"), NULL, 0), ENOKEY,
		  "request_key of an absent key without callout: ENOKEY");
	CHECK_ERR(request_key("no_such_type", d, NULL, 0), ENOKEY,
		  "request_key unknown type: ENOKEY");
	CHECK_ERR(request_key("user", "", NULL, 0), ENOKEY,
		  "request_key empty description: ENOKEY");
	if (t_bad_pointers())
		CHECK_ERR(request_key(NULL, d, NULL, 0), EFAULT,
			  "request_key NULL type: EFAULT");
	CHECK_ERR(request_key("keyring", d, NULL, NOKEY), ENOKEY,
		  "request_key into nonexistent destination: ENOKEY");
}

static void test_keyctl_variadic(key_serial_t ses)
{
	const char *d = t_uniq("var");
	key_serial_t id;
	char buf[64];

	CHECK_RET(keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0), ses,
		  "keyctl(GET_KEYRING_ID, -3, 0) == session id");
	id = add_key("user", d, "abc", 3, ses);
	CHECK_RET(keyctl(KEYCTL_READ, id, buf, sizeof(buf)), 3, "keyctl(READ)");
	CHECK_MEM(buf, "abc", 3, "keyctl(READ) bytes");
	CHECK_RET(keyctl(KEYCTL_UPDATE, id, "defg", 4), 0, "keyctl(UPDATE)");
	CHECK_RET(keyctl(KEYCTL_READ, id, NULL, 0), 4, "keyctl(READ) size query after update");
	CHECK_RET(keyctl(KEYCTL_DESCRIBE, id, NULL, 0),
		  (long)strlen("user;0;0;3f010000;") + (long)strlen(d) + 1,
		  "keyctl(DESCRIBE) size query");
	CHECK_RET(keyctl(KEYCTL_REVOKE, id), 0, "keyctl(REVOKE)");
	CHECK_ERR(keyctl(KEYCTL_READ, id, buf, sizeof(buf)), EKEYREVOKED,
		  "keyctl(READ) of revoked key: EKEYREVOKED");
	CHECK_ERR(keyctl(9999, 0, 0, 0, 0), EOPNOTSUPP,
		  "keyctl unknown command: EOPNOTSUPP");
	CHECK_ERR(keyctl(KEYCTL_GET_KEYRING_ID, NOKEY, 0), ENOKEY,
		  "keyctl(GET_KEYRING_ID) nonexistent: ENOKEY");
}

static void test_get_keyring_id(key_serial_t ses)
{
	key_serial_t ring = new_ring("gkid", ses);

	CHECK_RET(keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0), ses,
		  "get_keyring_ID(-3, 0) == session keyring");
	CHECK_RET(keyctl_get_keyring_ID(ring, 0), ring,
		  "get_keyring_ID of a real id returns it");
	CHECK(keyctl_get_keyring_ID(KEY_SPEC_USER_KEYRING, 0) > 0,
	      "get_keyring_ID(-4, 0) resolves the user keyring");
	CHECK_ERR(keyctl_get_keyring_ID(KEY_SPEC_THREAD_KEYRING, 0), ENOKEY,
		  "get_keyring_ID(-1, 0) without thread keyring: ENOKEY");
	CHECK(keyctl_get_keyring_ID(KEY_SPEC_THREAD_KEYRING, 1) > 0,
	      "get_keyring_ID(-1, 1) creates the thread keyring");
	CHECK_ERR(keyctl_get_keyring_ID(-8, 0), ENOKEY,
		  "get_keyring_ID(-8): ENOKEY");
	CHECK_ERR(keyctl_get_keyring_ID(NOKEY, 0), ENOKEY,
		  "get_keyring_ID nonexistent: ENOKEY");
	CHECK_ERR(keyctl_get_keyring_ID(0, 0), EINVAL,
		  "get_keyring_ID(0): EINVAL");
}

static void test_update_revoke(key_serial_t ses)
{
	key_serial_t id = add_key("user", t_uniq("upd"), "1", 1, ses);
	key_serial_t ring = new_ring("updring", ses);
	char buf[16];

	CHECK_RET(keyctl_update(id, "12345", 5), 0, "update user key");
	CHECK_RET(keyctl_read(id, buf, sizeof(buf)), 5, "read after update");
	CHECK_MEM(buf, "12345", 5, "payload after update");
	CHECK_ERR(keyctl_update(id, NULL, 0), EINVAL, "update with empty payload: EINVAL");
	CHECK_ERR(keyctl_update(ring, "x", 1), EOPNOTSUPP, "update a keyring: EOPNOTSUPP");
	CHECK_ERR(keyctl_update(NOKEY, "x", 1), ENOKEY, "update nonexistent: ENOKEY");

	CHECK_RET(keyctl_revoke(id), 0, "revoke");
	CHECK_ERR(keyctl_update(id, "x", 1), EKEYREVOKED, "update revoked: EKEYREVOKED");
	CHECK_ERR(keyctl_describe(id, buf, sizeof(buf)), EKEYREVOKED,
		  "describe revoked: EKEYREVOKED");
	CHECK_ERR(keyctl_revoke(id), EKEYREVOKED, "revoke twice: EKEYREVOKED");
	CHECK_ERR(keyctl_revoke(NOKEY), ENOKEY, "revoke nonexistent: ENOKEY");
}

static void test_chown_setperm(key_serial_t ses)
{
	const char *d = t_uniq("own");
	key_serial_t id = add_key("user", d, "1", 1, ses);
	char want[256];

	CHECK_RET(keyctl_setperm(id, PERM_ALL), 0, "setperm all");
	CHECK_RET(keyctl_chown(id, (uid_t)-1, (gid_t)-1), 0, "chown -1 -1 is a no-op");
	CHECK_RET(keyctl_chown(id, (uid_t)-1, 4321), 0, "chown group to 4321");
	snprintf(want, sizeof(want), "user;0;4321;3f3f0000;%s", d);
	CHECK(strcmp(desc_of(id), want) == 0, "describe shows the new group (%s)", desc_of(id));
	CHECK_RET(keyctl_chown(id, 0, 0), 0, "chown back to 0:0");
	CHECK_ERR(keyctl_chown(NOKEY, 0, 0), ENOKEY, "chown nonexistent: ENOKEY");

	CHECK_RET(keyctl_setperm(id, KEY_POS_ALL | KEY_USR_VIEW | KEY_OTH_VIEW), 0,
		  "setperm pos all, usr view, oth view");
	snprintf(want, sizeof(want), "user;0;0;3f010001;%s", d);
	CHECK(strcmp(desc_of(id), want) == 0, "describe shows perm 3f010001");
	CHECK_ERR(keyctl_setperm(id, 0x40000000), EINVAL, "setperm with unknown bit: EINVAL");
	CHECK_ERR(keyctl_setperm(NOKEY, PERM_ALL), ENOKEY, "setperm nonexistent: ENOKEY");
	CHECK_RET(keyctl_setperm(id, KEY_POS_VIEW | KEY_USR_VIEW), 0,
		  "setperm dropping setattr");
	CHECK_ERR(keyctl_setperm(id, PERM_ALL), EACCES,
		  "setperm without setattr permission: EACCES");
	CHECK_ERR(keyctl_chown(id, (uid_t)-1, 1), EACCES,
		  "chown without setattr permission: EACCES");
}

static void test_describe(key_serial_t ses)
{
	const char *d = t_uniq("desc");
	key_serial_t id = add_key("user", d, "1", 1, ses);
	char want[256], buf[256];
	long wlen;

	keyctl_setperm(id, PERM_ALL);
	snprintf(want, sizeof(want), "user;0;0;3f3f0000;%s", d);
	wlen = (long)strlen(want) + 1;
	CHECK_RET(keyctl_describe(id, NULL, 0), wlen, "describe size query counts the NUL");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_describe(id, buf, sizeof(buf)), wlen, "describe returns length with NUL");
	CHECK_MEM(buf, want, (size_t)wlen, "describe bytes incl. NUL");
	CHECK_CANARY(buf, (size_t)wlen, sizeof(buf), "describe writes nothing past the NUL");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_describe(id, buf, (size_t)wlen - 1), wlen,
		  "describe into a buffer one short returns full length");
	CHECK_CANARY(buf, 0, sizeof(buf), "describe into a short buffer writes nothing");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_describe(ses, buf, sizeof(buf)), 26,
		  "describe session keyring returns 26");
	CHECK_MEM(buf, "keyring;0;0;3f030000;_ses", 26, "describe session keyring text");
	CHECK_CANARY(buf, 26, sizeof(buf), "describe session keyring writes 26 bytes");
	CHECK_ERR(keyctl_describe(NOKEY, buf, sizeof(buf)), ENOKEY, "describe nonexistent: ENOKEY");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_describe(id, (char *)1, sizeof(buf)), EFAULT,
			  "describe into a bad pointer: EFAULT");
}

static void test_clear_link_unlink(key_serial_t ses)
{
	key_serial_t r1 = new_ring("r1", ses), r2 = new_ring("r2", ses);
	key_serial_t a = add_key("user", t_uniq("a"), "a", 1, r1);
	key_serial_t b = add_key("user", t_uniq("b"), "b", 1, r1);

	CHECK_RET(keyctl_read(r1, NULL, 0), 2 * (long)sizeof(key_serial_t),
		  "keyring with two keys reads as 8 bytes");
	CHECK_RET(keyctl_link(a, r2), 0, "link key into a second keyring");
	CHECK(ring_has(r2, a), "linked key is in the second keyring");
	CHECK_RET(keyctl_link(a, r2), 0, "link again is a no-op success");
	CHECK_ERR(keyctl_link(a, b), ENOTDIR, "link into a non-keyring: ENOTDIR");
	CHECK_ERR(keyctl_link(r1, r1), EDEADLK, "link keyring into itself: EDEADLK");
	CHECK_ERR(keyctl_link(NOKEY, r2), ENOKEY, "link nonexistent key: ENOKEY");
	CHECK_ERR(keyctl_link(a, NOKEY), ENOKEY, "link into nonexistent keyring: ENOKEY");

	CHECK_RET(keyctl_unlink(a, r2), 0, "unlink");
	CHECK(!ring_has(r2, a), "unlinked key gone from the keyring");
	CHECK_ERR(keyctl_unlink(a, r2), ENOENT, "unlink a key not in the keyring: ENOENT");
	CHECK_ERR(keyctl_unlink(a, b), ENOTDIR, "unlink from a non-keyring: ENOTDIR");
	CHECK_ERR(keyctl_unlink(a, NOKEY), ENOKEY, "unlink from nonexistent: ENOKEY");

	CHECK_ERR(keyctl_clear(a), ENOTDIR, "clear a non-keyring: ENOTDIR");
	/* After the clear, a lives on in a keyring we may not search (user and
	 * possessor bits both lack search), so it is alive but not possessed:
	 * with no link left the collector could take it, and the answer below
	 * would turn from EACCES to ENOKEY at a time of its choosing. */
	key_serial_t hold = new_ring("hold", ses);
	CHECK_RET(keyctl_link(a, hold), 0, "link the key into a holding keyring");
	CHECK_RET(keyctl_setperm(hold, (KEY_POS_ALL & ~KEY_POS_SEARCH) | KEY_USR_VIEW),
		  0, "make the holding keyring unsearchable");
	CHECK_RET(keyctl_clear(r1), 0, "clear keyring");
	CHECK_RET(keyctl_read(r1, NULL, 0), 0, "cleared keyring reads as 0 bytes");
	CHECK_RET(keyctl_clear(r1), 0, "clear an empty keyring");
	/* Not possessed any more: only USR_VIEW is left. */
	CHECK_ERR(keyctl_clear(a), EACCES, "clear an unpossessed key without write perm: EACCES");
	CHECK_ERR(keyctl_clear(NOKEY), ENOKEY, "clear nonexistent: ENOKEY");
}

static void test_search(key_serial_t ses)
{
	const char *d = t_uniq("srch");
	key_serial_t r1 = new_ring("s1", ses), r2 = new_ring("s2", r1);
	key_serial_t dest = new_ring("sdest", ses);
	key_serial_t id = add_key("user", d, "v", 1, r2);

	CHECK_RET(keyctl_search(r1, "user", d, 0), id, "search finds a key in a nested keyring");
	CHECK_RET(keyctl_search(ses, "user", d, dest), id, "search with destination");
	CHECK(ring_has(dest, id), "search links the found key into destringid");
	CHECK_ERR(keyctl_search(r1, "user", t_uniq("none"), 0), ENOKEY,
		  "search for an absent key: ENOKEY");
	CHECK_ERR(keyctl_search(id, "user", d, 0), ENOTDIR, "search in a non-keyring: ENOTDIR");
	CHECK_ERR(keyctl_search(NOKEY, "user", d, 0), ENOKEY, "search nonexistent keyring: ENOKEY");
	CHECK_ERR(keyctl_search(r1, "no_such_type", d, 0), ENOKEY,
		  "search unknown type: ENOKEY");
	CHECK_ERR(keyctl_search(r1, "user", d, id), ENOTDIR,
		  "search with a non-keyring destination: ENOTDIR");
}

static void test_read(key_serial_t ses)
{
	static const char payload[] = "0123456789\0abcdef";	/* 17 bytes, embedded NUL */
	key_serial_t id = add_key("user", t_uniq("rd"), payload, 17, ses);
	key_serial_t ring = new_ring("rdring", ses);
	key_serial_t k1 = add_key("user", t_uniq("k1"), "1", 1, ring);
	key_serial_t k2 = add_key("user", t_uniq("k2"), "2", 1, ring);
	char buf[64];
	key_serial_t ids[4];

	CHECK_RET(keyctl_read(id, NULL, 0), 17, "read size query");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_read(id, buf, sizeof(buf)), 17, "read returns the payload length");
	CHECK_MEM(buf, payload, 17, "read bytes exact, embedded NUL kept");
	CHECK_CANARY(buf, 17, sizeof(buf), "read writes no terminator past the payload");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_read(id, buf, 16), 17, "read into a buffer one short returns full length");
	CHECK_CANARY(buf, 0, sizeof(buf), "read into a short buffer writes nothing");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_read(id, buf, 17), 17, "read into an exact buffer");
	CHECK_MEM(buf, payload, 17, "read into an exact buffer: bytes");
	CHECK_CANARY(buf, 17, sizeof(buf), "read into an exact buffer writes nothing beyond");

	memset(ids, 0, sizeof(ids));
	CHECK_RET(keyctl_read(ring, (char *)ids, sizeof(ids)), 8, "read keyring: 2 serials");
	CHECK((ids[0] == k1 && ids[1] == k2) || (ids[0] == k2 && ids[1] == k1),
	      "keyring read lists exactly its two keys");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_read(ring, buf, 4), 8, "read keyring into a short buffer returns full length");
	CHECK_CANARY(buf, 0, sizeof(buf), "read keyring into a short buffer writes nothing");
	CHECK_ERR(keyctl_read(NOKEY, buf, sizeof(buf)), ENOKEY, "read nonexistent: ENOKEY");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_read(id, (char *)1, sizeof(buf)), EFAULT, "read into a bad pointer: EFAULT");
	keyctl_setperm(id, KEY_POS_VIEW | KEY_USR_VIEW);
	CHECK_ERR(keyctl_read(id, buf, sizeof(buf)), EACCES, "read without read permission: EACCES");
}

static void test_reqkey_timeout_invalidate(key_serial_t ses)
{
	key_serial_t id, id2;
	char buf[64];
	long old;
	int i, expired = 0;

	old = keyctl_set_reqkey_keyring(KEY_REQKEY_DEFL_NO_CHANGE);
	CHECK(old >= 0 && old <= 7, "set_reqkey_keyring(NO_CHANGE) returns the current default (%ld)", old);
	CHECK_RET(keyctl_set_reqkey_keyring(KEY_REQKEY_DEFL_SESSION_KEYRING), old,
		  "set_reqkey_keyring returns the old default");
	CHECK_RET(keyctl_set_reqkey_keyring(KEY_REQKEY_DEFL_NO_CHANGE),
		  KEY_REQKEY_DEFL_SESSION_KEYRING, "set_reqkey_keyring took effect");
	CHECK_ERR(keyctl_set_reqkey_keyring(99), EINVAL, "set_reqkey_keyring(99): EINVAL");
	CHECK_ERR(keyctl_set_reqkey_keyring(-2), EINVAL, "set_reqkey_keyring(-2): EINVAL");
	CHECK_RET(keyctl_set_reqkey_keyring((int)old), KEY_REQKEY_DEFL_SESSION_KEYRING,
		  "set_reqkey_keyring restores");

	id = add_key("user", t_uniq("tmo"), "x", 1, ses);
	CHECK_RET(keyctl_set_timeout(id, 1000), 0, "set_timeout 1000 s");
	CHECK_RET(keyctl_set_timeout(id, 0), 0, "set_timeout 0 clears the timeout");
	CHECK_RET(keyctl_set_timeout(id, 1), 0, "set_timeout 1 s");
	for (i = 0; i < 40 && !expired; i++) {	/* at most 4 s */
		t_msleep(100);
		errno = 0;
		expired = keyctl_read(id, buf, sizeof(buf)) == -1 && errno == EKEYEXPIRED;
	}
	CHECK(expired, "key with 1 s timeout expires: read gives EKEYEXPIRED");
	CHECK_ERR(keyctl_set_timeout(NOKEY, 1), ENOKEY, "set_timeout nonexistent: ENOKEY");

	id2 = add_key("user", t_uniq("inv"), "x", 1, ses);
	/* Once the collector unlinks it the key is no longer possessed: with
	 * user permissions too, the answer is ENOKEY before and after that. */
	keyctl_setperm(id2, PERM_ALL);
	CHECK_RET(keyctl_invalidate(id2), 0, "invalidate");
	CHECK_ERR(keyctl_read(id2, buf, sizeof(buf)), ENOKEY, "read invalidated key: ENOKEY");
	CHECK_ERR(keyctl_invalidate(NOKEY), ENOKEY, "invalidate nonexistent: ENOKEY");
}

static void test_security_persistent(key_serial_t ses)
{
	key_serial_t id = add_key("user", t_uniq("sec"), "x", 1, ses);
	char buf[64];
	long n, p;

	n = keyctl_get_security(id, NULL, 0);
	CHECK(n >= 1, "get_security size query returns at least the NUL (%ld)", n);
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_get_security(id, buf, sizeof(buf)), n, "get_security returns the same size");
	CHECK(n >= 1 && n < (long)sizeof(buf) && buf[n - 1] == '\0',
	      "get_security label is NUL-terminated");
	CHECK_CANARY(buf, (size_t)n, sizeof(buf), "get_security writes nothing past the label");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_get_security(id, buf, (size_t)n - 1), n,
		  "get_security into a buffer one short returns the full size");
	CHECK_CANARY(buf, 0, sizeof(buf), "get_security into a short buffer writes nothing");
	CHECK_ERR(keyctl_get_security(NOKEY, buf, sizeof(buf)), ENOKEY,
		  "get_security nonexistent: ENOKEY");

	if (!t_kernel_has(0, KEYCTL_CAPS0_PERSISTENT_KEYRINGS)) {
		printf("# the kernel has no persistent keyrings: its error path\n");
		CHECK_ERR(keyctl_get_persistent((uid_t)-1, ses), EOPNOTSUPP,
			  "get_persistent without kernel persistent keyrings: EOPNOTSUPP");
		return;
	}
	p = keyctl_get_persistent((uid_t)-1, ses);
	CHECK(p > 0, "get_persistent(-1, session) returns a keyring (%ld)", p);
	CHECK(ring_has(ses, (key_serial_t)p), "persistent keyring linked into the destination");
	/* The kernel creates it with an invalid gid, shown as the overflow gid (a sysctl). */
	{
		char want[64];
		FILE *f = fopen("/proc/sys/kernel/overflowgid", "r");
		int gid = 65534;

		if (f) {
			if (fscanf(f, "%d", &gid) != 1)
				gid = 65534;
			fclose(f);
		}
		snprintf(want, sizeof(want), "keyring;0;%d;1f030000;_persistent.0", gid);
		CHECK(strcmp(desc_of((key_serial_t)p), want) == 0,
		      "persistent keyring describes as %s (%s)", want, desc_of((key_serial_t)p));
	}
	CHECK_RET(keyctl_get_persistent(0, ses), p, "get_persistent(0) is the same keyring");
	keyctl_unlink((key_serial_t)p, ses);
	CHECK_ERR(keyctl_get_persistent((uid_t)-1, NOKEY), ENOKEY,
		  "get_persistent into nonexistent keyring: ENOKEY");
	CHECK_ERR(keyctl_get_persistent((uid_t)-1, id), ENOTDIR,
		  "get_persistent into a non-keyring: ENOTDIR");
}

static void test_restrict(key_serial_t ses)
{
	key_serial_t r = new_ring("restr", ses), r2 = new_ring("restr2", ses);
	key_serial_t k = add_key("user", t_uniq("rk"), "x", 1, ses);

	CHECK_RET(keyctl_restrict_keyring(r, NULL, NULL), 0,
		  "restrict_keyring(NULL, NULL) blocks all links");
	CHECK_ERR(add_key("user", t_uniq("blocked"), "x", 1, r), EPERM,
		  "add_key into a fully restricted keyring: EPERM");
	CHECK_ERR(keyctl_link(k, r), EPERM, "link into a restricted keyring: EPERM");
	CHECK_ERR(keyctl_restrict_keyring(r, NULL, NULL), EEXIST,
		  "restrict a keyring twice: EEXIST");
	CHECK_ERR(keyctl_restrict_keyring(k, NULL, NULL), ENOTDIR,
		  "restrict a non-keyring: ENOTDIR");
	CHECK_ERR(keyctl_restrict_keyring(r2, "no_such_type", "x"), ENOKEY,
		  "restrict with unknown type: ENOKEY");
	CHECK_ERR(keyctl_restrict_keyring(r2, "user", "x"), ENOENT,
		  "restrict with a type that has no restrictions: ENOENT");
	CHECK_ERR(keyctl_restrict_keyring(r2, "keyring", NULL), EINVAL,
		  "restrict with type but no restriction: EINVAL");
	CHECK_ERR(keyctl_restrict_keyring(NOKEY, NULL, NULL), ENOKEY,
		  "restrict nonexistent: ENOKEY");
}

static void test_move(key_serial_t ses)
{
	const char *d = t_uniq("mv");
	key_serial_t a = new_ring("mva", ses), b = new_ring("mvb", ses);
	key_serial_t k = add_key("user", d, "1", 1, a);
	key_serial_t k2;

	CHECK_RET(keyctl_move(k, a, b, 0), 0, "move without flags");
	CHECK(!ring_has(a, k) && ring_has(b, k), "moved key left from-ring and is in to-ring");
	CHECK_ERR(keyctl_move(k, a, b, 0), ENOENT, "move a key not in from-ring: ENOENT");
	k2 = add_key("user", d, "2", 1, a);
	CHECK(k2 > 0 && k2 != k, "second key with the same description in from-ring");
	CHECK_ERR(keyctl_move(k2, a, b, KEYCTL_MOVE_EXCL), EEXIST,
		  "move with KEYCTL_MOVE_EXCL onto a same-named key: EEXIST");
	CHECK(ring_has(a, k2) && ring_has(b, k), "failed EXCL move changed nothing");
	CHECK_RET(keyctl_move(k2, a, b, 0), 0, "move without EXCL displaces the same-named key");
	CHECK(ring_has(b, k2) && !ring_has(b, k) && !ring_has(a, k2),
	      "displacing move replaced the old link");
	CHECK_RET(keyctl_move(k2, b, a, KEYCTL_MOVE_EXCL), 0, "move with EXCL to a free ring");
	CHECK_ERR(keyctl_move(k2, a, b, 2), EINVAL, "move with unknown flag: EINVAL");
	CHECK_ERR(keyctl_move(k2, a, k2, 0), ENOTDIR, "move into a non-keyring: ENOTDIR");
	CHECK_ERR(keyctl_move(NOKEY, a, b, 0), ENOKEY, "move nonexistent: ENOKEY");
}

static void test_capabilities(void)
{
	unsigned char buf[16];
	long n;

	n = keyctl_capabilities(NULL, 0);
	CHECK(n >= 2, "capabilities size query (%ld)", n);
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_capabilities(buf, sizeof(buf)), n, "capabilities returns the full size");
	CHECK(buf[0] & KEYCTL_CAPS0_CAPABILITIES, "CAPS0_CAPABILITIES set (0x%02x)", buf[0]);
	CHECK(buf[0] & KEYCTL_CAPS0_PUBLIC_KEY, "CAPS0_PUBLIC_KEY set");
	CHECK(buf[0] & KEYCTL_CAPS0_MOVE, "CAPS0_MOVE set");
	/* The features a kernel may lack (DH, big_key, notifications...): the bits as the kernel
	 * itself gives them. */
	{
		unsigned char raw[2] = { 0, 0 };

		syscall(SYS_keyctl, KEYCTL_CAPABILITIES, raw, sizeof(raw));
		printf("# kernel capabilities %02x%02x\n", raw[0], raw[1]);
		CHECK(buf[0] == raw[0] && buf[1] == raw[1],
		      "capabilities are the kernel's (%02x%02x, the system call %02x%02x)", buf[0],
		      buf[1], raw[0], raw[1]);
	}
	/* The kernel zero-fills the rest of a larger buffer. */
	if (n >= 2 && n < (long)sizeof(buf))
		CHECK_MEM(buf + n, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", sizeof(buf) - (size_t)n,
			  "capabilities zero-fills the buffer past the returned size");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_capabilities(buf, 1), n, "capabilities into a 1-byte buffer returns full size");
	CHECK_CANARY(buf, 1, sizeof(buf), "capabilities into a 1-byte buffer writes 1 byte");
	CHECK(buf[0] & KEYCTL_CAPS0_CAPABILITIES, "capabilities 1-byte buffer holds caps0");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_capabilities((unsigned char *)1, sizeof(buf)), EFAULT,
			  "capabilities into a bad pointer: EFAULT");
}

static void test_watch(key_serial_t ses)
{
	key_serial_t id = add_key("user", t_uniq("w"), "x", 1, ses);

	if (!t_kernel_has(1, KEYCTL_CAPS1_NOTIFICATIONS)) {
		printf("# the kernel has no key notifications (CONFIG_KEY_NOTIFICATIONS): its error path\n");
		CHECK_ERR(keyctl_watch_key(id, -1, 0), EOPNOTSUPP,
			  "watch_key without kernel notifications: EOPNOTSUPP");
		CHECK_ERR(keyctl_watch_key(id, 0, 1), EOPNOTSUPP,
			  "watch_key on a non-queue fd: EOPNOTSUPP");
		return;
	}
	printf("# the kernel has key notifications: bad descriptors against the system call\n");
	CHECK_AS_RAW(keyctl_watch_key(id, -1, 0), syscall(SYS_keyctl, KEYCTL_WATCH_KEY, id, -1, 0),
		     "watch_key with fd -1 answers as the kernel");
	CHECK_AS_RAW(keyctl_watch_key(id, 0, 1), syscall(SYS_keyctl, KEYCTL_WATCH_KEY, id, 0, 1),
		     "watch_key on a non-queue fd answers as the kernel");
}

int main(void)
{
	key_serial_t ses = t_init("wrappers");

	test_add_key(ses);
	test_request_key(ses);
	test_keyctl_variadic(ses);
	test_get_keyring_id(ses);
	test_update_revoke(ses);
	test_chown_setperm(ses);
	test_describe(ses);
	test_clear_link_unlink(ses);
	test_search(ses);
	test_read(ses);
	test_reqkey_timeout_invalidate(ses);
	test_security_persistent(ses);
	test_restrict(ses);
	test_move(ses);
	test_capabilities();
	test_watch(ses);
	keyctl_clear(ses);
	return t_done();
}

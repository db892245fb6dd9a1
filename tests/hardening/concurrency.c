/* Concurrency: readers against writers on real keys, for a bounded time (HARDENING_SECONDS,
 * default 2 per part).
 *
 * Part 1: threads keyctl_read_alloc a user key while another keeps replacing its payload with one
 * of 1 byte to 20 KB. Every payload describes itself (length and sequence number in a header,
 * then a pattern made from the sequence number), so a result that is torn (two payloads mixed),
 * short, long or not NUL-terminated is seen.
 *
 * Part 2: threads keyctl_read_alloc and recursive_key_scan a keyring while another links and
 * unlinks its members. Every member is one of a fixed set of keys (kept alive by a second
 * keyring), so every serial read must be one of them, and every description the scan passes
 * must be that key's.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "hcommon.h"

#define MAX_PAYLOAD 20000
#define MEMBERS 32
#define KEY_DESC "hardening-concurrency-payload"

static atomic_int stop;
static double seconds = 2;
static key_serial_t session, key, ring, holder, members[MEMBERS];
static char member_desc[MEMBERS][64];

struct stats {
	long ops, bad, big, distinct_sizes;
	char first_bad[256];
};

static void bad(struct stats *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct stats *st, const char *fmt, ...)
{
	va_list ap;

	if (st->bad++ == 0) {
		va_start(ap, fmt);
		vsnprintf(st->first_bad, sizeof(st->first_bad), fmt, ap);
		va_end(ap);
	}
}

/* The payload of size `len` and sequence number `seq`. Sizes under 8 have no room for a header:
 * all their bytes are 0xc0 | len. */
static void make_payload(unsigned char *p, uint32_t len, uint32_t seq)
{
	if (len < 8) {
		memset(p, 0xc0 | len, len);
		return;
	}
	memcpy(p, &len, 4);
	memcpy(p + 4, &seq, 4);
	for (uint32_t i = 8; i < len; i++)
		p[i] = (unsigned char)(seq * 131 + i);
}

/* Why `p` (as returned with length `len`) is not a whole payload, or NULL if it is one. */
static const char *check_payload(const unsigned char *p, int len)
{
	uint32_t hlen, seq;

	if (len < 1 || len > MAX_PAYLOAD)
		return "length out of range";
	if (p[len] != 0)
		return "not NUL-terminated";
	if (len < 8) {
		for (int i = 0; i < len; i++)
			if (p[i] != (0xc0 | len))
				return "short payload with wrong bytes (torn or short)";
		return NULL;
	}
	memcpy(&hlen, p, 4);
	memcpy(&seq, p + 4, 4);
	if (hlen != (uint32_t)len)
		return "length differs from the payload's header (short, long or torn)";
	for (int i = 8; i < len; i++)
		if (p[i] != (unsigned char)(seq * 131 + (uint32_t)i))
			return "pattern broken (torn)";
	return NULL;
}

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void *updater(void *arg)
{
	struct stats *st = arg;
	static unsigned char p[MAX_PAYLOAD];
	uint32_t seed = 0x9e3779b9u ^ (uint32_t)getpid(), seq = 0;

	while (!atomic_load(&stop)) {
		/* Alternate small and large payloads so that readers see the size change between
		 * asking and fetching, both ways. */
		uint32_t len = (seq & 1) ? 1 + rnd(&seed) % 4096 : 1 + rnd(&seed) % MAX_PAYLOAD;

		make_payload(p, len, ++seq);
		/* keyctl_update takes at most a page; add_key of the same type and description
		 * updates the key in place with up to 32767 bytes. */
		if (add_key("user", KEY_DESC, p, len, session) != key)
			bad(st, "add_key update (%u bytes): %s", len, strerror(errno));
		st->ops++;
	}
	return NULL;
}

static void *payload_reader(void *arg)
{
	struct stats *st = arg;

	while (!atomic_load(&stop)) {
		void *buf = NULL;
		int len = keyctl_read_alloc(key, &buf);
		const char *why;

		if (len < 0) {
			bad(st, "keyctl_read_alloc: %s", strerror(errno));
		} else if ((why = check_payload(buf, len)) != NULL) {
			bad(st, "%d-byte result: %s", len, why);
		}
		if (len > 4096)
			st->big++;
		free(buf);
		st->ops++;
	}
	return NULL;
}

static int member_index(key_serial_t k)
{
	for (int i = 0; i < MEMBERS; i++)
		if (members[i] == k)
			return i;
	return -1;
}

static void *linker(void *arg)
{
	struct stats *st = arg;
	uint32_t seed = 0x2545f491u ^ (uint32_t)getpid();

	while (!atomic_load(&stop)) {
		key_serial_t m = members[rnd(&seed) % MEMBERS];

		if (rnd(&seed) & 1) {
			if (keyctl_link(m, ring) < 0)
				bad(st, "keyctl_link: %s", strerror(errno));
		} else if (keyctl_unlink(m, ring) < 0 && errno != ENOENT) {
			bad(st, "keyctl_unlink: %s", strerror(errno));
		}
		st->ops++;
	}
	return NULL;
}

static void *ring_reader(void *arg)
{
	struct stats *st = arg;

	while (!atomic_load(&stop)) {
		void *buf = NULL;
		int len = keyctl_read_alloc(ring, &buf);

		if (len < 0) {
			bad(st, "keyctl_read_alloc(ring): %s", strerror(errno));
		} else if (len % 4 != 0 || len > MEMBERS * 4 || ((char *)buf)[len] != 0) {
			bad(st, "keyring read of %d bytes", len);
		} else {
			for (int i = 0; i < len / 4; i++) {
				key_serial_t k;

				memcpy(&k, (char *)buf + 4 * i, 4);
				if (member_index(k) < 0)
					bad(st, "serial %d read from the keyring is no member", k);
			}
		}
		free(buf);
		st->ops++;
	}
	return NULL;
}

static int scanned(key_serial_t parent, key_serial_t k, char *desc, int desc_len, void *data)
{
	struct stats *st = data;
	int i = member_index(k);
	size_t dl;

	if (k == ring) {
		if (parent != 0 || !desc || strncmp(desc, "keyring;", 8) != 0)
			bad(st, "scan: the keyring itself with parent %d, description %s", parent,
			    desc ? desc : "NULL");
		return 0;
	}
	if (i < 0) {
		bad(st, "scan: serial %d is no member", k);
		return 1;
	}
	if (parent != ring || !desc || desc_len != (int)strlen(desc) ||
	    strncmp(desc, "user;", 5) != 0) {
		bad(st, "scan: member %d: parent %d, description %s", k, parent, desc ? desc : "NULL");
		return 1;
	}
	dl = strlen(member_desc[i]);
	if (strlen(desc) < dl || strcmp(desc + strlen(desc) - dl, member_desc[i]) != 0)
		bad(st, "scan: member %d described as %s", k, desc);
	return 1;
}

static void *scanner(void *arg)
{
	struct stats *st = arg;

	while (!atomic_load(&stop)) {
		int n = recursive_key_scan(ring, scanned, st);

		if (n < 0 || n > MEMBERS)
			bad(st, "recursive_key_scan returned %d", n);
		st->ops++;
	}
	return NULL;
}

/* Runs the threads for `seconds`; fills one stats per thread. */
static void run(void *(*fn[])(void *), struct stats *st, int n)
{
	pthread_t t[8];
	struct timespec d = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };

	atomic_store(&stop, 0);
	for (int i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn[i], &st[i]) != 0) {
			h_check(0, "pthread_create");
			exit(h_finish());
		}
	nanosleep(&d, NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

static void report(const char *what, struct stats *st, long min_ops)
{
	h_check(st->bad == 0 && st->ops >= min_ops, "concurrency: %s: %ld done, %ld bad%s%s", what,
		st->ops, st->bad, st->bad ? "; first: " : "", st->first_bad);
}

int main(void)
{
	const char *s = getenv("HARDENING_SECONDS");
	unsigned char first[8];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (s && atof(s) > 0)
		seconds = atof(s);
	h_prove_library("concurrency");
	session = h_fresh_session("concurrency");

	/* Part 1 */
	make_payload(first, 1, 0);
	key = add_key("user", KEY_DESC, first, 1, session);
	if (key < 0) {
		h_check(0, "concurrency: add_key: %s", strerror(errno));
		return h_finish();
	}
	{
		void *(*fn[])(void *) = { updater, payload_reader, payload_reader };
		struct stats st[3] = { 0 };

		run(fn, st, 3);
		report("in-place updates with 1..20000-byte payloads", &st[0], 100);
		report("keyctl_read_alloc reader 1 (whole, terminated, untorn results)", &st[1], 100);
		report("keyctl_read_alloc reader 2 (whole, terminated, untorn results)", &st[2], 100);
		h_check(st[1].big + st[2].big > 0 && st[1].big + st[2].big < st[1].ops + st[2].ops,
			"concurrency: readers saw payloads both within and beyond 4096 bytes (%ld of %ld beyond)",
			st[1].big + st[2].big, st[1].ops + st[2].ops);
	}

	/* Part 2 */
	ring = add_key("keyring", "hardening-concurrency-ring", NULL, 0, session);
	holder = add_key("keyring", "hardening-concurrency-holder", NULL, 0, session);
	for (int i = 0; i < MEMBERS; i++) {
		snprintf(member_desc[i], sizeof(member_desc[i]), "hardening-member-%d-%d", (int)getpid(), i);
		members[i] = add_key("user", member_desc[i], "m", 1, holder);
		if (members[i] < 0 || ring < 0 || holder < 0) {
			h_check(0, "concurrency: make the keyring members: %s", strerror(errno));
			return h_finish();
		}
	}
	{
		void *(*fn[])(void *) = { linker, ring_reader, scanner };
		struct stats st[3] = { 0 };

		run(fn, st, 3);
		report("link/unlink of 32 keys in a keyring", &st[0], 100);
		report("keyctl_read_alloc of the keyring: every serial a member", &st[1], 100);
		report("recursive_key_scan of the keyring: every key a member, described as itself",
		       &st[2], 20);
	}
	return h_finish();
}

/* recursive_key_scan, recursive_session_key_scan and
 * find_key_by_type_and_desc. */
#include "common.h"

#define MAXV 32

struct visit {
	key_serial_t parent, key;
	char desc[128];
	int desc_len;
	int desc_null;
};

struct log {
	int n;
	struct visit v[MAXV];
	int ret_user, ret_ring;
};

static int scanner(key_serial_t parent, key_serial_t key, char *desc, int desc_len, void *data)
{
	struct log *l = data;
	struct visit *v;

	if (l->n >= MAXV)
		return 0;
	v = &l->v[l->n++];
	v->parent = parent;
	v->key = key;
	v->desc_len = desc_len;
	v->desc_null = desc == NULL;
	snprintf(v->desc, sizeof(v->desc), "%s", desc ? desc : "");
	return desc && !strncmp(desc, "keyring;", 8) ? l->ret_ring : l->ret_user;
}

static int find_visit(const struct log *l, key_serial_t key)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].key == key)
			return i;
	return -1;
}

/* Does visit of @key have parent @parent, the exact description, and come
 * after the visit of @after (-1: no constraint)? */
static int visited_ok(const struct log *l, key_serial_t parent, key_serial_t key,
		      int after_idx)
{
	char want[128];
	int i = find_visit(l, key);

	if (i < 0 || l->v[i].parent != parent || l->v[i].desc_null)
		return 0;
	if (keyctl_describe(key, want, sizeof(want)) < 0)
		return 0;
	if (strcmp(want, l->v[i].desc) != 0 || l->v[i].desc_len != (int)strlen(want))
		return 0;
	return i > after_idx;
}

static void test_recursive_scan(void)
{
	key_serial_t ses = keyctl_join_session_keyring(NULL);
	key_serial_t r1 = add_key("keyring", t_uniq("r1"), NULL, 0, ses);
	key_serial_t u1 = add_key("user", t_uniq("u1"), "x", 1, r1);
	key_serial_t r2 = add_key("keyring", t_uniq("r2"), NULL, 0, r1);
	key_serial_t u2 = add_key("user", t_uniq("u2"), "x", 1, r2);
	key_serial_t u3 = add_key("user", t_uniq("u3"), "x", 1, r2);
	static struct log l;
	int ret;

	memset(&l, 0, sizeof(l));
	l.ret_user = 1;
	l.ret_ring = 100;
	ret = recursive_key_scan(r1, scanner, &l);
	CHECK_EQ(ret, 3 * 1 + 2 * 100, "recursive_key_scan returns the sum of the scanner's returns");
	CHECK_EQ(l.n, 5, "recursive_key_scan visits every key once");
	CHECK(visited_ok(&l, 0, r1, l.n - 2), "top keyring visited last, with parent 0");
	CHECK(visited_ok(&l, r1, u1, -1), "u1 visited with parent r1 and its description");
	CHECK(visited_ok(&l, r2, u2, -1) && visited_ok(&l, r2, u3, -1),
	      "u2, u3 visited with parent r2");
	CHECK(visited_ok(&l, r1, r2, find_visit(&l, u2)) &&
	      visited_ok(&l, r1, r2, find_visit(&l, u3)),
	      "r2 visited after its children (post-order)");

	/* A special id is passed through as given, not resolved. */
	memset(&l, 0, sizeof(l));
	l.ret_user = 1;
	l.ret_ring = 1;
	ret = recursive_key_scan(KEY_SPEC_SESSION_KEYRING, scanner, &l);
	CHECK_EQ(ret, 6, "recursive_key_scan(-3) visits session + 5 keys");
	CHECK(l.n == 6 && l.v[5].key == KEY_SPEC_SESSION_KEYRING && l.v[5].parent == 0,
	      "recursive_key_scan(-3) reports the top key as -3");
	CHECK(find_visit(&l, r1) >= 0 && l.v[find_visit(&l, r1)].parent == KEY_SPEC_SESSION_KEYRING,
	      "children of -3 get parent -3");

	memset(&l, 0, sizeof(l));
	l.ret_user = 2;
	l.ret_ring = 3;
	ret = recursive_session_key_scan(scanner, &l);
	CHECK_EQ(ret, 3 * 2 + 3 * 3, "recursive_session_key_scan sums the scanner's returns");
	CHECK(l.n == 6 && visited_ok(&l, 0, ses, 4),
	      "recursive_session_key_scan reports the resolved session id last");
	CHECK(visited_ok(&l, ses, r1, -1), "r1 visited with parent = session id");

	/* A key the caller cannot describe is still reported, with no description. */
	memset(&l, 0, sizeof(l));
	ret = recursive_key_scan(NOKEY, scanner, &l);
	CHECK_EQ(ret, 0, "recursive_key_scan of a nonexistent key returns the scanner's 0");
	CHECK(l.n == 1 && l.v[0].key == NOKEY && l.v[0].parent == 0 && l.v[0].desc_null &&
	      l.v[0].desc_len == -1,
	      "nonexistent key reported once with desc NULL, desc_len -1");

	/* A keyring that can be described but not read is not descended into.
	 * Without POS_SEARCH it is not possessed, so only the USR bits count. */
	CHECK_RET(keyctl_setperm(r2, KEY_USR_VIEW), 0, "make r2 viewable, unreadable");
	memset(&l, 0, sizeof(l));
	l.ret_user = 1;
	l.ret_ring = 1;
	ret = recursive_key_scan(r1, scanner, &l);
	CHECK_EQ(ret, 3, "unreadable sub-keyring: r1, u1, r2 only");
	CHECK(find_visit(&l, u2) < 0 && find_visit(&l, r2) >= 0 &&
	      !l.v[find_visit(&l, r2)].desc_null,
	      "unreadable keyring reported with its description, children skipped");

	/* A keyring whose member cannot be described: reported with NULL desc. */
	keyctl_setperm(u1, KEY_POS_SEARCH);
	memset(&l, 0, sizeof(l));
	ret = recursive_key_scan(r1, scanner, &l);
	CHECK(find_visit(&l, u1) >= 0 && l.v[find_visit(&l, u1)].desc_null &&
	      l.v[find_visit(&l, u1)].desc_len == -1 && l.v[find_visit(&l, u1)].parent == r1,
	      "undescribable member reported with desc NULL, desc_len -1");
	keyctl_clear(r1);

	CHECK(keyctl_join_session_keyring(NULL) > 0, "fresh session for an empty scan");
	memset(&l, 0, sizeof(l));
	l.ret_ring = 7;
	CHECK_EQ(recursive_session_key_scan(scanner, &l), 7,
		 "recursive_session_key_scan of an empty session visits only it");
}

static void test_find_key(key_serial_t ses)
{
	const char *d1 = t_uniq("find");
	key_serial_t k1 = add_key("user", d1, "x", 1, ses);
	key_serial_t hide = add_key("keyring", t_uniq("hide"), NULL, 0, ses);
	key_serial_t dest = add_key("keyring", t_uniq("dest"), NULL, 0, ses);
	char d2[128], d3[128], pre[128];
	key_serial_t k2, k3;

	snprintf(d2, sizeof(d2), "%s", t_uniq("hidden"));
	snprintf(d3, sizeof(d3), "%s:with:colons", t_uniq("col"));
	snprintf(pre, sizeof(pre), "%.*s", (int)(strchr(d3, ':') - d3), d3);
	k2 = add_key("user", d2, "x", 1, hide);
	keyctl_setperm(k2, KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_LINK);
	k3 = add_key("user", d3, "x", 1, hide);
	/* The keyring stays viewable but becomes unsearchable: request_key
	 * cannot find what is inside; /proc/keys still lists it. */
	CHECK_RET(keyctl_setperm(hide, KEY_POS_VIEW | KEY_POS_READ | KEY_POS_WRITE |
				  KEY_POS_SETATTR | KEY_USR_VIEW), 0, "make keyring unsearchable");
	CHECK_ERR(request_key("user", d2, NULL, 0), ENOKEY,
		  "request_key cannot find a key in the unsearchable keyring");

	CHECK_RET(find_key_by_type_and_desc("user", d1, 0), k1,
		  "find_key_by_type_and_desc finds a searchable key");
	CHECK_RET(find_key_by_type_and_desc("user", d2, 0), k2,
		  "find_key_by_type_and_desc finds a key through /proc/keys");
	CHECK_RET(find_key_by_type_and_desc("user", d2, dest), k2,
		  "find_key_by_type_and_desc with destination");
	{
		key_serial_t ids[8];
		long n = keyctl_read(dest, (char *)ids, sizeof(ids));

		CHECK(n == 4 && ids[0] == k2, "the found key is linked into destringid");
	}
	/* k3 lacks USR_LINK and, unpossessed, cannot be linked. */
	CHECK_ERR(find_key_by_type_and_desc("user", d3, dest), EACCES,
		  "find_key_by_type_and_desc of an unlinkable key with destination: EACCES");
	CHECK_RET(find_key_by_type_and_desc("user", d3, 0), k3,
		  "find_key_by_type_and_desc finds a description with colons");
	CHECK_ERR(find_key_by_type_and_desc("user", pre, 0), ENOKEY,
		  "a prefix up to a colon does not match: ENOKEY");
	CHECK_ERR(find_key_by_type_and_desc("user", t_uniq("nowhere"), 0), ENOKEY,
		  "find_key_by_type_and_desc absent: ENOKEY");
	CHECK_ERR(find_key_by_type_and_desc("keyring", d2, 0), ENOKEY,
		  "find_key_by_type_and_desc wrong type: ENOKEY");
	CHECK_ERR(find_key_by_type_and_desc("user", d2, k1), ENOTDIR,
		  "find_key_by_type_and_desc into a non-keyring destination: ENOTDIR");
	CHECK_ERR(find_key_by_type_and_desc("user", d1, k1), ENOTDIR,
		  "find of a searchable key into a non-keyring destination: ENOTDIR");
	keyctl_setperm(hide, KEY_POS_ALL);
	keyctl_clear(hide);
}

int main(void)
{
	key_serial_t ses = t_init("scan");

	test_find_key(ses);
	test_recursive_scan();
	keyctl_clear(KEY_SPEC_SESSION_KEYRING);
	return t_done();
}

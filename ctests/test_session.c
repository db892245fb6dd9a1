/* Session keyrings, as session-keyring(7), keyctl_join_session_keyring(3)
 * and keyctl_session_to_parent(3) describe them.  Child processes never
 * print TAP lines: they report through pipes and the test process checks. */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#define WAIT_MS 10000	/* upper bound for any child */

/* Read exactly @len bytes within WAIT_MS; 0 on success. */
static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (got < len) {
		ssize_t n;

		if (poll(&p, 1, WAIT_MS) <= 0)
			return -1;
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len ? 0 : -1;
}

/* waitpid with a bound; kills the child if it overstays.  Returns the
 * exit status (0..255), or -1 if it had to be killed or died by signal. */
static int wait_child(pid_t pid)
{
	int st, i;

	for (i = 0; i < WAIT_MS / 10; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		t_msleep(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* What run_child() saw of its child. */
struct child_run {
	int piped;	/* the pipe and the fork worked */
	int reported;	/* the child's report came in full */
	int status;	/* wait_child() */
};

/* Forks a child that runs @child(@arg, fd), fd being the write end of a pipe
 * (@child must not return), reads exactly @len bytes of its report into @buf
 * (left as it is if none comes), then waits for the child. */
static struct child_run run_child(void (*child)(void *arg, int fd), void *arg, void *buf,
				  size_t len)
{
	struct child_run c = { 0, 0, -1 };
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0)
		return c;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return c;
	}
	if (pid == 0) {
		close(fds[0]);
		child(arg, fds[1]);
		_exit(127);
	}
	c.piped = 1;
	close(fds[1]);
	c.reported = read_full(fds[0], buf, len) == 0;
	close(fds[0]);
	c.status = wait_child(pid);
	return c;
}

static int is_session_desc(key_serial_t id, const char *name)
{
	char d[256];
	long n = keyctl_describe(id, d, sizeof(d));
	const char *semi;

	if (n <= 0 || n > (long)sizeof(d) || strncmp(d, "keyring;", 8) != 0)
		return 0;
	semi = strrchr(d, ';');
	return semi && strcmp(semi + 1, name) == 0;
}

/* Poll (up to 15 s: the key garbage collector is asynchronous, and RCU may
 * defer the release on some kernels) until @id is gone. */
static int gone_within_15s(key_serial_t id)
{
	char d[256];
	int i;

	for (i = 0; i < 300; i++) {
		errno = 0;
		if (keyctl_describe(id, d, sizeof(d)) == -1 && errno == ENOKEY)
			return 1;
		t_msleep(50);
	}
	return 0;
}

static void test_join_anonymous(void)
{
	key_serial_t s1, s2;

	s1 = keyctl_join_session_keyring(NULL);
	CHECK(s1 > 0, "join(NULL) returns a new keyring id");
	CHECK(is_session_desc(s1, "_ses"), "join(NULL) keyring is a keyring named _ses");
	CHECK_RET(keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0), s1,
		  "KEY_SPEC_SESSION_KEYRING resolves to the joined keyring");
	s2 = keyctl_join_session_keyring(NULL);
	CHECK(s2 > 0 && s2 != s1, "a second join(NULL) gives another keyring");
	CHECK(is_session_desc(s2, "_ses"), "second anonymous keyring is named _ses too");
	CHECK_RET(keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0), s2,
		  "KEY_SPEC_SESSION_KEYRING follows the second join");
	CHECK(gone_within_15s(s1), "the abandoned anonymous session keyring is destroyed");
}

/* Child: fresh anonymous session, then join the name @arg; report the serial. */
static void child_join_named(void *arg, int fd)
{
	key_serial_t r[2];

	r[0] = keyctl_join_session_keyring(NULL);
	r[1] = keyctl_join_session_keyring(arg);
	write_full(fd, r, sizeof(r));
	_exit(0);
}

static void test_join_named(void)
{
	char name[128], name2[128];
	key_serial_t n1, s, again, r[2];
	struct child_run c;

	snprintf(name, sizeof(name), "%s", t_uniq("named"));
	snprintf(name2, sizeof(name2), "%s", t_uniq("named2"));
	n1 = keyctl_join_session_keyring(name);
	CHECK(n1 > 0, "join(name) creates a keyring");
	CHECK(is_session_desc(n1, name), "joined keyring has the given name");
	CHECK_RET(keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0), n1,
		  "KEY_SPEC_SESSION_KEYRING resolves to the named keyring");
	/* Joining by name looks the keyring up without possession: the user
	 * (not possessor) bits must grant search for it to be found. */
	CHECK_RET(keyctl_setperm(n1, KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ |
				  KEY_USR_SEARCH | KEY_USR_LINK),
		  0, "grant the user search and link permission on the named keyring");
	/* The kernel answers 0, not the serial, when it is already the session. */
	CHECK_RET(keyctl_join_session_keyring(name), 0,
		  "joining the current named session keyring again returns 0");
	CHECK_RET(keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0), n1,
		  "and the session keyring is unchanged");

	/* Leaving the named keyring drops the session's reference to it, and the
	 * collector could take it before it is linked from the new session: the
	 * thread keyring (kept across joins) holds it meanwhile. */
	CHECK_RET(keyctl_link(n1, KEY_SPEC_THREAD_KEYRING), 0,
		  "hold the named keyring in the thread keyring");
	s = keyctl_join_session_keyring(NULL);
	CHECK(s > 0 && s != n1, "join(NULL) leaves the named keyring");
	CHECK_RET(keyctl_link(n1, s), 0, "keep the named keyring alive from the new session");
	CHECK_RET(keyctl_unlink(n1, KEY_SPEC_THREAD_KEYRING), 0,
		  "and let go of it in the thread keyring");
	CHECK_RET(keyctl_join_session_keyring(name), n1,
		  "joining the name from another session finds the same serial");

	c = run_child(child_join_named, name, r, sizeof(r));
	CHECK(c.piped, "named join: pipe");
	CHECK(c.reported, "named join: child reported");
	CHECK_EQ(c.status, 0, "named join: child exited");
	CHECK(r[0] > 0 && r[0] != n1, "child started from its own anonymous session");
	CHECK_EQ(r[1], n1, "a forked child joining the name finds the same serial");

	/* Without USR_SEARCH the existing keyring is not found: a new one is made. */
	n1 = keyctl_join_session_keyring(name2);
	CHECK(n1 > 0, "join(name2) creates a keyring with default perms");
	CHECK_RET(keyctl_link(n1, KEY_SPEC_THREAD_KEYRING), 0, "hold name2 in the thread keyring");
	s = keyctl_join_session_keyring(NULL);
	CHECK_RET(keyctl_link(n1, s), 0, "keep name2 alive");
	CHECK_RET(keyctl_unlink(n1, KEY_SPEC_THREAD_KEYRING), 0,
		  "and let go of name2 in the thread keyring");
	again = keyctl_join_session_keyring(name2);
	CHECK(again > 0 && again != n1 && is_session_desc(again, name2),
	      "joining an unsearchable named keyring makes a new one of that name");
	n1 = again;
	again = keyctl_join_session_keyring(name2);
	CHECK(again > 0 && again != n1 && is_session_desc(again, name2),
	      "even rejoining the current unsearchable named keyring makes a new one");

	CHECK_ERR(keyctl_join_session_keyring(""), EINVAL, "join(\"\"): EINVAL");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_join_session_keyring((const char *)1), EFAULT,
			  "join(bad pointer): EFAULT");
	keyctl_join_session_keyring(NULL);
}

/* This program's own path, read at start: valgrind virtualises the
 * readlink, while exec of /proc/self/exe would start valgrind's tool. */
static char self_exe[PATH_MAX];

/* The helper mode after execve: prove the library, report the session id. */
static int exec_helper(int fd)
{
	char why[2 * PATH_MAX + 64];
	int32_t r[2];

	r[0] = t_lib_is_expected(why, sizeof(why));
	r[1] = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	return write_full(fd, r, sizeof(r)) == 0 ? 0 : 1;
}

/* Child: report the session keyring it inherited over fork. */
static void child_report_session(void *arg, int fd)
{
	key_serial_t got = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);

	(void)arg;
	write_full(fd, &got, sizeof(got));
	_exit(0);
}

/* Child: execve this program in its helper mode, which reports on @fd. */
static void child_exec_helper(void *arg, int fd)
{
	char fdarg[16];

	(void)arg;
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	execl(self_exe, "test_session", "--exec-helper", fdarg, (char *)NULL);
	_exit(127);
}

static void test_inherit(void)
{
	key_serial_t ses = keyctl_join_session_keyring(NULL);
	key_serial_t got = 0;
	int32_t r[2] = { 0, 0 };
	struct child_run c;

	c = run_child(child_report_session, NULL, &got, sizeof(got));
	CHECK(c.piped, "fork inheritance: pipe");
	CHECK(c.reported, "forked child reported");
	CHECK_EQ(c.status, 0, "forked child exited");
	CHECK_EQ(got, ses, "session keyring is inherited across fork");

	c = run_child(child_exec_helper, NULL, r, sizeof(r));
	CHECK(c.piped, "execve inheritance: pipe");
	CHECK(c.reported, "exec'd helper reported");
	CHECK_EQ(c.status, 0, "exec'd helper exited 0");
	CHECK_EQ(r[0], 1, "exec'd helper mapped the libkeyutils.so.1 under test");
	CHECK_EQ(r[1], ses, "session keyring is kept across execve");
}

static void test_destroyed_on_exit(void)
{
	key_serial_t id = 0;
	int fds[2], go[2];
	pid_t pid;
	char c = 'x';

	CHECK(pipe(fds) == 0 && pipe(go) == 0, "destruction: pipes");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(go[1]);
		id = keyctl_join_session_keyring(NULL);
		write_full(fds[1], &id, sizeof(id));
		read_full(go[0], &c, 1);	/* live until told to exit */
		_exit(0);
	}
	close(fds[1]);
	close(go[0]);
	CHECK(read_full(fds[0], &id, sizeof(id)) == 0 && id > 0, "child joined a new session");
	CHECK(is_session_desc(id, "_ses"), "the child's session keyring exists while it runs");
	write_full(go[1], &c, 1);
	close(go[1]);
	close(fds[0]);
	CHECK_EQ(wait_child(pid), 0, "destruction: child exited");
	CHECK(gone_within_15s(id), "session keyring destroyed after its last process exited: ENOKEY");
}

/* Result that P1 sends the test process for the session_to_parent cases. */
struct s2p {
	int32_t before;		/* P1's session keyring before */
	int32_t child_ses;	/* P2's session keyring */
	int32_t ret, err;	/* keyctl_session_to_parent() in P2 */
	int32_t after;		/* P1's session keyring after waitpid(P2) */
	int32_t setup_ok;
};

enum s2p_mode { S2P_PLAIN, S2P_SAME, S2P_THREADED, S2P_CHILD_UID, S2P_PARENT_EGID };

static void *sleeper(void *arg)
{
	int fd = *(int *)arg;
	char c;

	read_full(fd, &c, 1);	/* bounded by WAIT_MS, or until P1 ends */
	return NULL;
}

/* P1: forks P2, which (maybe) joins a new session and calls
 * keyctl_session_to_parent(); then looks at its own session keyring. */
static void run_p1(enum s2p_mode mode, int out)
{
	struct s2p res;
	int p2[2], th[2];
	pthread_t t;
	pid_t pid;

	memset(&res, 0, sizeof(res));
	res.setup_ok = 1;
	if (mode == S2P_PARENT_EGID && setresgid(0, 4321, 0) != 0)
		res.setup_ok = 0;
	if (mode == S2P_THREADED) {
		if (pipe(th) != 0 || pthread_create(&t, NULL, sleeper, &th[0]) != 0)
			res.setup_ok = 0;
	}
	res.before = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	if (pipe(p2) != 0)
		res.setup_ok = 0;
	pid = fork();
	if (pid == 0) {
		int32_t r[3];

		close(p2[0]);
		if (mode == S2P_CHILD_UID && setresuid(4321, 4321, 4321) != 0)
			_exit(2);
		r[0] = mode == S2P_SAME ? keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0)
					: keyctl_join_session_keyring(NULL);
		errno = 0;
		r[1] = (int32_t)keyctl_session_to_parent();
		r[2] = errno;
		write_full(p2[1], r, sizeof(r));
		_exit(0);
	}
	close(p2[1]);
	{
		int32_t r[3] = { 0, 0, 0 };

		if (read_full(p2[0], r, sizeof(r)) != 0)
			res.setup_ok = 0;
		res.child_ses = r[0];
		res.ret = r[1];
		res.err = r[2];
	}
	if (wait_child(pid) != 0)
		res.setup_ok = 0;
	/* Back from waitpid() in user space: a pending replacement is done. */
	res.after = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	write_full(out, &res, sizeof(res));
	if (mode == S2P_THREADED) {
		close(th[1]);
		pthread_join(t, NULL);
	}
	_exit(0);
}

/* Child: P1 of the case @arg (an enum s2p_mode), in a session of its own. */
static void child_p1(void *arg, int fd)
{
	keyctl_join_session_keyring(NULL);
	run_p1(*(enum s2p_mode *)arg, fd);
}

static struct s2p s2p_case(enum s2p_mode mode)
{
	struct s2p res;
	struct child_run c;

	memset(&res, 0, sizeof(res));
	c = run_child(child_p1, &mode, &res, sizeof(res));
	if (!c.reported || c.status != 0)
		res.setup_ok = 0;
	return res;
}

static void test_session_to_parent(void)
{
	struct s2p r;

	r = s2p_case(S2P_PLAIN);
	CHECK(r.setup_ok, "session_to_parent: processes ran");
	CHECK(r.child_ses > 0 && r.child_ses != r.before, "P2 joined a session keyring of its own");
	CHECK(r.ret == 0 && r.err == 0, "session_to_parent returns 0 (ret %d errno %d)", r.ret, r.err);
	CHECK_EQ(r.after, r.child_ses,
		 "after its next return to user space P1's session is P2's keyring");

	r = s2p_case(S2P_SAME);
	CHECK(r.setup_ok, "session_to_parent same keyring: processes ran");
	CHECK(r.ret == 0 && r.after == r.before && r.child_ses == r.before,
	      "session_to_parent with the parent's own keyring: 0, nothing changes (ret %d errno %d)",
	      r.ret, r.err);

	r = s2p_case(S2P_THREADED);
	CHECK(r.setup_ok, "session_to_parent threaded parent: processes ran");
	CHECK(r.ret == -1 && r.err == EPERM,
	      "session_to_parent with a multithreaded parent: EPERM (ret %d errno %d)", r.ret, r.err);
	CHECK_EQ(r.after, r.before, "multithreaded parent keeps its session keyring");

	r = s2p_case(S2P_CHILD_UID);
	CHECK(r.setup_ok, "session_to_parent other uid: processes ran");
	CHECK(r.ret == -1 && r.err == EPERM,
	      "session_to_parent from a child with another uid: EPERM (ret %d errno %d)",
	      r.ret, r.err);
	CHECK_EQ(r.after, r.before, "parent keeps its session keyring (other uid)");

	r = s2p_case(S2P_PARENT_EGID);
	CHECK(r.setup_ok, "session_to_parent parent egid: processes ran");
	CHECK(r.ret == -1 && r.err == EPERM,
	      "session_to_parent when the parent's gid differs from the child's egid: EPERM "
	      "(ret %d errno %d)", r.ret, r.err);
	CHECK_EQ(r.after, r.before, "parent keeps its session keyring (other gid)");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--exec-helper") == 0)
		return exec_helper(atoi(argv[2]));

	t_init("session");
	{
		ssize_t n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);

		CHECK(n > 0, "readlink /proc/self/exe");
		self_exe[n > 0 ? n : 0] = 0;
	}
	test_join_anonymous();
	test_join_named();
	test_inherit();
	test_destroyed_on_exit();
	test_session_to_parent();
	return t_done();
}

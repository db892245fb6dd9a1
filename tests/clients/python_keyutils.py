#!/usr/bin/python3
"""Debian's python3-keyutils (a Cython wrapper nobody here wrote) on the
library in $LIBDIR.

Run by run.sh as `/usr/bin/python3 python_keyutils.py ldpath|preload` inside
a fresh session keyring.  The script re-executes itself once with
LD_LIBRARY_PATH=$LIBDIR (ldpath) or LD_PRELOAD=$LIBDIR/libkeyutils.so.1
(preload), because ld.so reads those only at start-up; the module's
_keyutils extension then loads libkeyutils.so.1 on `import keyutils`.

Every public function of the module is called and its result checked
exactly; /proc/self/maps must show the library under test.  A normalised
transcript goes to $WORK/transcript for run.sh to compare the two libraries.
"""
import errno
import os
import struct
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "ldpath"
LIBDIR = os.environ["LIBDIR"]
LABEL = "%s %s" % (os.environ["LABEL"], MODE)
WORK = os.environ["WORK"]
EXPECT_LIB = os.path.realpath(os.path.join(LIBDIR, "libkeyutils.so.1"))

if os.environ.get("KEYUTILS_CLIENT_REEXEC") != MODE:
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")}
    env["KEYUTILS_CLIENT_REEXEC"] = MODE
    if MODE == "ldpath":
        env["LD_LIBRARY_PATH"] = LIBDIR
    elif MODE == "preload":
        env["LD_PRELOAD"] = os.path.join(LIBDIR, "libkeyutils.so.1")
    else:
        sys.exit("usage: python_keyutils.py ldpath|preload")
    os.execve("/usr/bin/python3", ["/usr/bin/python3", os.path.abspath(__file__), MODE], env)

import keyutils  # noqa: E402  (after the re-exec on purpose)
import rawkeys  # noqa: E402  (next to this file: raw keyctl(2), no libkeyutils)

PASS = 0
FAIL = 0
TOKENS = {}
transcript = open(os.path.join(WORK, "transcript"), "w")
# The pid makes names unique; it is written as "pid<N>x" so that no other
# number in the transcript (a size, a payload byte run) can be taken for it.
PIDTAG = b"pid%dx" % os.getpid()


def norm(value):
    """repr with serial numbers replaced by the names given to them."""
    text = repr(value)
    for serial, name in sorted(TOKENS.items(), key=lambda kv: -len(str(kv[0]))):
        text = text.replace(str(serial), "<%s>" % name)
    return text.replace(PIDTAG.decode(), "<PID>")


def report(name, good, detail=""):
    global PASS, FAIL
    if good:
        PASS += 1
        print("ok - [%s] python %s" % (LABEL, name))
    else:
        FAIL += 1
        print("not ok - [%s] python %s%s" % (LABEL, name, (": " + detail) if detail else ""))
    sys.stdout.flush()


def check(name, got, expected):
    """got == expected exactly (same type and value)."""
    transcript.write("%s: %s\n" % (name, norm(got)))
    good = type(got) is type(expected) and got == expected
    report(name, good, "" if good else "got %r, expected %r" % (got, expected))


def check_error(name, func, *args, expect_errno):
    """func(*args) raises keyutils.Error with this errno and strerror."""
    try:
        got = func(*args)
    except keyutils.Error as e:
        transcript.write("%s: Error%s\n" % (name, norm(e.args)))
        want = (expect_errno, os.strerror(expect_errno))
        report(name, e.args == want, "" if e.args == want else "got %r, expected %r" % (e.args, want))
        return
    transcript.write("%s: returned %s\n" % (name, norm(got)))
    report(name, False, "returned %r, expected keyutils.Error(%d)" % (got, expect_errno))


def proc_keys(serial):
    """The /proc/keys line of a key as a list of fields, or None."""
    hexid = "%08x" % serial
    with open("/proc/keys") as f:
        for line in f:
            fields = line.split()
            if fields[0] == hexid:
                return fields
    return None


def learn(name, serial, ktype, desc):
    """serial (returned by the module) is a key of this type/description in
    /proc/keys; from now on it shows as <name> in the transcript."""
    fields = proc_keys(serial) if isinstance(serial, int) and serial > 0 else None
    good = fields is not None and fields[7] == ktype and fields[8] in (desc + ":", desc)
    report("returned serial of %s:%s is in /proc/keys" % (ktype, desc), good, "got %r" % (serial,))
    TOKENS[serial] = name
    return serial


def ring_ids(serial):
    data = keyutils.read_key(serial)
    return list(struct.unpack("%di" % (len(data) // 4), data))


def raw_session_id():
    """The serial of this process's session keyring, asked of the kernel
    directly (keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0)
    through rawkeys.py, which knows each architecture's syscall number)."""
    try:
        return rawkeys.keyctl(rawkeys.KEYCTL_GET_KEYRING_ID, rawkeys.SPECIAL["@s"], 0)
    except OSError as e:
        return e


S = keyutils.KEY_SPEC_SESSION_KEYRING

# --- the library really is the one under test
maps = set()
with open("/proc/self/maps") as f:
    for line in f:
        parts = line.split()
        if len(parts) >= 6 and "libkeyutils" in parts[5]:
            maps.add(os.path.realpath(parts[5]))
report("/proc/self/maps maps %s and no other libkeyutils" % EXPECT_LIB, maps == {EXPECT_LIB},
       "mapped %r" % sorted(maps))
ext = keyutils._keyutils.__file__
report("module is Debian's python3-keyutils (%s)" % ext,
       ext.startswith("/usr/lib/python3/dist-packages/keyutils/_keyutils") and
       keyutils.__file__ == "/usr/lib/python3/dist-packages/keyutils/__init__.py")

# --- every public function is covered below
public = sorted(n for n in dir(keyutils)
                if callable(getattr(keyutils, n)) and not n.startswith("_") and n[0].islower())
check("public functions of the module", public, [
    "add_key", "clear", "describe_key", "join_session_keyring", "link", "read_key",
    "request_key", "revoke", "search", "session_to_parent", "set_perm", "set_timeout",
    "unlink", "update_key"])
check("constants", (keyutils.KEY_SPEC_THREAD_KEYRING, keyutils.KEY_SPEC_PROCESS_KEYRING, S,
                    keyutils.KEY_SPEC_USER_KEYRING, keyutils.KEY_SPEC_USER_SESSION_KEYRING,
                    keyutils.KEY_POS_ALL, keyutils.KEY_USR_VIEW, keyutils.ENOKEY,
                    keyutils.EKEYREVOKED, keyutils.EKEYEXPIRED),
      (-1, -2, -3, -4, -5, 0x3f000000, 0x00010000, 126, 128, 127))

# --- a fresh session keyring
ses = keyutils.join_session_keyring()
learn("SES", ses, "keyring", "_ses")
check("join_session_keyring() describes as an anonymous session",
      keyutils.describe_key(S), b"keyring;0;0;3f030000;_ses")
check("new session keyring is empty", keyutils.read_key(S), b"")

# --- add_key / read_key / describe_key / update_key
k1 = learn("K1", keyutils.add_key(b"k1", b"v1", S), "user", "k1")
check("add_key again with the same description updates the same key",
      keyutils.add_key(b"k1", b"v1bis", S), k1)
check("read_key", keyutils.read_key(k1), b"v1bis")
check("describe_key", keyutils.describe_key(k1), b"user;0;0;3f010000;k1")
check("update_key returns None", keyutils.update_key(k1, b"v2"), None)
check("read_key after update_key", keyutils.read_key(k1), b"v2")
all256 = bytes(range(256))
kb = learn("KB", keyutils.add_key(b"bin", all256, S), "user", "bin")
check("read_key returns all 256 byte values", keyutils.read_key(kb), all256)
check("update_key with 4096 bytes", keyutils.update_key(kb, all256 * 16), None)
check("read_key of 4096 bytes", keyutils.read_key(kb), all256 * 16)
r1 = learn("R1", keyutils.add_key(b"r1", None, S, keyType=b"keyring"), "keyring", "r1")
check("describe_key of a keyring", keyutils.describe_key(r1), b"keyring;0;0;3f010000;r1")
lg = learn("LG", keyutils.add_key(b"py:logon", b"secret", S, keyType=b"logon"), "logon", "py:logon")
check_error("read_key of a logon key", keyutils.read_key, lg, expect_errno=errno.EOPNOTSUPP)
check_error("add_key to a keyring that does not exist",
            keyutils.add_key, b"x", b"y", 12345, expect_errno=errno.ENOKEY)
check_error("add_key of an unknown type",
            keyutils.add_key, b"x", b"y", S, b"no-such-type", expect_errno=errno.ENODEV)
check_error("describe_key of a key that does not exist",
            keyutils.describe_key, 12345, expect_errno=errno.ENOKEY)

# --- link / unlink
check("link returns None", keyutils.link(k1, r1), None)
check("keyring holds the linked key", ring_ids(r1), [k1])
check("unlink returns None", keyutils.unlink(k1, r1), None)
check("keyring empty after unlink", ring_ids(r1), [])
check_error("unlink a key that is not linked", keyutils.unlink, k1, r1, expect_errno=errno.ENOENT)

# --- request_key / search
check("request_key finds a key", keyutils.request_key(b"k1", S), k1)
check("request_key of a missing key returns None",
      keyutils.request_key(b"missing-" + PIDTAG, S), None)
check("request_key of another type", keyutils.request_key(b"py:logon", S, keyType=b"logon"), lg)
check("search finds a key", keyutils.search(S, b"k1"), k1)
check("search of a missing key returns None", keyutils.search(S, b"missing-" + PIDTAG), None)
check("search with a destination keyring", keyutils.search(S, b"bin", r1), kb)
check("search linked the result into the destination", ring_ids(r1), [kb])
check("search of another type", keyutils.search(S, b"r1", keyType=b"keyring"), r1)
check_error("search in a key that is not a keyring",
            keyutils.search, k1, b"k1", expect_errno=errno.ENOTDIR)

# --- clear
check("clear returns None", keyutils.clear(r1), None)
check("keyring empty after clear", ring_ids(r1), [])

# --- set_perm
kp = learn("KP", keyutils.add_key(b"perm", b"p", S), "user", "perm")
check("set_perm returns None", keyutils.set_perm(kp, keyutils.KEY_POS_VIEW | keyutils.KEY_USR_VIEW), None)
check("describe_key shows the new permissions", keyutils.describe_key(kp), b"user;0;0;01010000;perm")
check_error("read_key without read permission", keyutils.read_key, kp, expect_errno=errno.EACCES)
check_error("set_perm without setattr permission",
            keyutils.set_perm, kp, keyutils.KEY_POS_ALL, expect_errno=errno.EACCES)
check_error("set_timeout without setattr permission",
            keyutils.set_timeout, kp, 10, expect_errno=errno.EACCES)

# --- set_timeout
kt = learn("KT", keyutils.add_key(b"tmo", b"t", S), "user", "tmo")
check("set_timeout returns None", keyutils.set_timeout(kt, 100), None)
check("/proc/keys shows the 100 s timeout as 1m", proc_keys(kt)[3], "1m")
check("set_timeout 1", keyutils.set_timeout(kt, 1), None)
t_expire = time.monotonic()

# --- revoke
kr = learn("KR", keyutils.add_key(b"rev", b"r", S), "user", "rev")
check("revoke returns None", keyutils.revoke(kr), None)
check_error("read_key of a revoked key", keyutils.read_key, kr, expect_errno=errno.EKEYREVOKED)
check_error("describe_key of a revoked key", keyutils.describe_key, kr, expect_errno=errno.EKEYREVOKED)
check_error("update_key of a revoked key", keyutils.update_key, kr, b"x", expect_errno=errno.EKEYREVOKED)

# --- the timeout set above passes (bounded wait), before this session
# keyring (which holds the key) is left
time.sleep(max(0.0, 1.5 - (time.monotonic() - t_expire)))
check_error("read_key after the timeout", keyutils.read_key, kt, expect_errno=errno.EKEYEXPIRED)

# --- named session keyrings
name = b"py-named-" + PIDTAG
named = learn("NAMED", keyutils.join_session_keyring(name), "keyring", name.decode())
check("join_session_keyring(name) describes with that name",
      keyutils.describe_key(S), b"keyring;0;0;3f130000;" + name)
# The kernel finds a named keyring again only if the user may search it, and
# a new session keyring's user permissions (0x13) lack search.
other = keyutils.join_session_keyring(name)
TOKENS[other] = "NAMED2"
report("joining the name again without user search permission makes a new keyring",
       other != named and proc_keys(other) is not None and proc_keys(other)[8] == name.decode() + ":",
       "got %r, first %r" % (other, named))
check("set_perm adds user search permission",
      keyutils.set_perm(other, 0x3f1b0000), None)
check("describe_key shows it", keyutils.describe_key(S), b"keyring;0;0;3f1b0000;" + name)
check("joining the keyring that already is the session keyring returns 0",
      keyutils.join_session_keyring(name), 0)
# Leaving it drops its only reference: the thread keyring (which session joins
# keep) holds it meanwhile, or the kernel could collect it before the rejoin.
check("link the named keyring into the thread keyring",
      keyutils.link(other, keyutils.KEY_SPEC_THREAD_KEYRING), None)
anon = keyutils.join_session_keyring()
TOKENS[anon] = "ANON"
check("back in an anonymous session", keyutils.describe_key(S), b"keyring;0;0;3f030000;_ses")
check("joining the name from another session gives the same keyring",
      keyutils.join_session_keyring(name), other)
check("unlink it from the thread keyring",
      keyutils.unlink(other, keyutils.KEY_SPEC_THREAD_KEYRING), None)

# --- session_to_parent, from a forked child of this process
rfd, wfd = os.pipe()
child = os.fork()
if child == 0:
    os.close(rfd)
    try:
        new = keyutils.join_session_keyring(b"py-parent-" + PIDTAG)
        ret = keyutils.session_to_parent()
        os.write(wfd, b"%d %r" % (new, ret))
        os._exit(0)
    except BaseException as e:  # report anything to the parent
        os.write(wfd, repr(e).encode())
        os._exit(1)
os.close(wfd)
deadline = time.monotonic() + 20
status = None
while time.monotonic() < deadline:
    pid, st = os.waitpid(child, os.WNOHANG)
    if pid:
        status = st
        break
    time.sleep(0.02)
if status is None:
    os.kill(child, 9)
    os.waitpid(child, 0)
msg = os.read(rfd, 200).decode()
os.close(rfd)
report("forked child joined a keyring and called session_to_parent (exit 0, returned None)",
       status == 0 and msg.endswith(" None"), "status %r, child said %r" % (status, msg))
child_ring = int(msg.split()[0]) if status == 0 else -1
TOKENS[child_ring] = "CHILD"
check("the parent's session keyring is now the child's",
      keyutils.describe_key(S), b"keyring;0;0;3f130000;py-parent-" + PIDTAG)
check("the parent's session keyring serial is the one the child made (raw syscall)",
      raw_session_id(), child_ring)


transcript.close()
print("# [%s] subtotal: %d ok, %d not ok" % (LABEL, PASS, FAIL))
sys.exit(1 if FAIL else 0)

#!/usr/bin/python3
"""An oracle that uses no libkeyutils at all: raw keyctl(2) system calls.

The kernel decides the order of the keys in a keyring (an associative array
indexed by a hash that includes a kernel address), so the order a client
prints cannot be written into a test by hand.  This asks the kernel directly.

  rawkeys.py rlist SERIAL     serials linked in the keyring, kernel order
  rawkeys.py descs SERIAL     per linked key, kernel order: "SERIAL<TAB>"
                              and the raw description "type;uid;gid;perm;desc"
  rawkeys.py tree SERIAL      the keyring tree as `keyctl show` walks it:
                              one line per key, "SERIAL<TAB>PREFIX", where
                              PREFIX is the tree drawing put before the
                              description ("\\_ ", "|   \\_ ", ...)
  rawkeys.py caps             the kernel's KEYCTL_CAPABILITIES bytes in hex,
                              as many as it gives into the 256-byte buffer
                              `keyctl supports` uses
  rawkeys.py security SERIAL  the key's LSM label (KEYCTL_GET_SECURITY); an
                              empty line when no LSM labels it
"""
import ctypes
import os
import struct
import sys

# keyctl(2)'s number on each architecture (asm/unistd.h of each).
SYS_KEYCTL = {
    "x86_64": 250, "i386": 288, "i486": 288, "i586": 288, "i686": 288,
    "aarch64": 219, "riscv64": 219, "armv5tel": 311, "armv6l": 311, "armv7l": 311,
    "armv8l": 311, "ppc64le": 280, "ppc64": 280, "ppc": 280, "s390x": 280, "mips64": 5241,
}[os.uname().machine]
KEYCTL_GET_KEYRING_ID = 0
KEYCTL_DESCRIBE = 6
KEYCTL_READ = 11
KEYCTL_GET_SECURITY = 17
KEYCTL_CAPABILITIES = 31

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def keyctl(cmd, a2, a3=0, a4=0, a5=0):
    ret = libc.syscall(ctypes.c_long(SYS_KEYCTL), ctypes.c_long(cmd), ctypes.c_long(a2),
                       ctypes.c_void_p(a3) if not isinstance(a3, int) else ctypes.c_long(a3),
                       ctypes.c_long(a4), ctypes.c_long(a5))
    if ret < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return ret


def fetch(cmd, serial):
    """The whole answer of a command that returns its full size even when
    the buffer is smaller: size, allocate, fetch, again if it grew."""
    size = 0
    while True:
        buf = ctypes.create_string_buffer(max(size, 1))
        ret = keyctl(cmd, serial, ctypes.addressof(buf), size)
        if ret <= size:
            return buf.raw[:ret]
        size = ret


def read_key(serial):
    return fetch(KEYCTL_READ, serial)


def security(serial):
    return fetch(KEYCTL_GET_SECURITY, serial).split(b"\0", 1)[0].decode()


def caps():
    buf = ctypes.create_string_buffer(256)
    ret = keyctl(KEYCTL_CAPABILITIES, ctypes.addressof(buf), 256)
    return buf.raw[:min(ret, 256)]


def describe(serial):
    buf = ctypes.create_string_buffer(4096)
    ret = keyctl(KEYCTL_DESCRIBE, serial, ctypes.addressof(buf), 4096)
    return buf.raw[:ret].rstrip(b"\0").decode()


def key_type(serial):
    return describe(serial).split(";", 1)[0]


def rlist(serial):
    data = read_key(serial)
    return list(struct.unpack("%di" % (len(data) // 4), data))


def tree(serial, out, ancestors_last=()):
    if not ancestors_last:
        prefix = " "
    else:
        prefix = "  " + "".join("    " if last else "|   " for last in ancestors_last[:-1]) + "\\_ "
    out.append("%d\t%s" % (serial, prefix))
    if key_type(serial) == "keyring":
        children = rlist(serial)
        for i, child in enumerate(children):
            tree(child, out, ancestors_last + (i == len(children) - 1,))


SPECIAL = {"@t": -1, "@p": -2, "@s": -3, "@u": -4, "@us": -5, "@g": -6}


def main():
    usage = "usage: rawkeys.py rlist|descs|tree|security SERIAL, or rawkeys.py caps"
    if sys.argv[1:] == ["caps"]:
        print(caps().hex())
        return
    if len(sys.argv) != 3:
        sys.exit(usage)
    cmd, arg = sys.argv[1], sys.argv[2]
    serial = keyctl(KEYCTL_GET_KEYRING_ID, SPECIAL[arg], 0) if arg in SPECIAL else int(arg)
    if cmd == "rlist":
        print(" ".join(str(s) for s in rlist(serial)))
    elif cmd == "descs":
        for s in rlist(serial):
            print("%d\t%s" % (s, describe(s)))
    elif cmd == "tree":
        out = []
        tree(serial, out)
        print("\n".join(out))
    elif cmd == "security":
        print(security(serial))
    else:
        sys.exit(usage)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A stand-in syslog daemon for the tests: binds a datagram socket at PATH (normally /dev/log,
only when no syslog daemon has it), appends every message received to OUTFILE, one a line with
its trailing newlines removed and its timestamp cut off, and stops on SIGTERM or after SECONDS.
Writes READY to stdout once it listens."""
import os, re, signal, socket, sys, time

path, outfile, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
end = time.monotonic() + seconds
print("READY", flush=True)
stamp = re.compile(rb"^(<\d+>)[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d ")
try:
    with open(outfile, "ab", buffering=0) as out:
        while time.monotonic() < end:
            sock.settimeout(max(0.1, end - time.monotonic()))
            try:
                msg = sock.recv(65536)
            except socket.timeout:
                continue
            out.write(stamp.sub(rb"\1", msg).rstrip(b"\n").replace(b"\n", b"\\n") + b"\n")
finally:
    sock.close()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass

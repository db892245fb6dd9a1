#!/usr/bin/python3
# A syslog catcher for the test namespace: binds the datagram socket PATH (/dev/log there) and
# appends each message it receives to LOG as one line (a newline inside a message is shown as
# "\n"). A message "MARK <word>" (from logger) is written too: the suite waits for its marks to
# know that everything sent before them has been written.
import os, socket, sys

path, log, ready = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
open(ready, "w").close()
with open(log, "ab", buffering=0) as out:
    while True:
        data = s.recv(1 << 16)
        out.write(data.rstrip(b"\0").replace(b"\n", b"\\n") + b"\n")

#!/usr/bin/python3
# Random inputs for the differential test, from a fixed seed (the same files every run):
#   gen-random.py conf DIR N      N configuration files DIR/rand-K.conf built from the tokens the
#                                 parser cares about (keys, '=', spaces, quotes, escapes, '#', signs,
#                                 digits, long numbers, CR, missing final newline, NUL)
#   gen-random.py callout N       N callout strings (one a line) from option words, spaces,
#                                 commas and '='
import random, sys

rng = random.Random(12)

def pick(*xs):
    return rng.choice(xs)

def conf_line():
    if rng.random() < 0.7:
        # key = value, each part perturbed
        sp = lambda: pick("", "", " ", "  ", "\t", " \t ")
        key = pick("default_ttl", "default_ttl", "default_ttl", "Default_TTL", "default ttl", "foo", "")
        value = pick("5", "42", "0", "-1", "+7", "2147483647", "2147483648", "4294967301",
                     "99999999999999999999", "0x10", "1e3", "x", "", " 9", "9 ", "1\\ ", "1\\n")
        q = pick("", "", "", '"', "'")
        q2 = pick(q, q, q, "", '"', "'")
        tail = pick("", "", "", "#c", " # c", "x", "\\", "\r")
        return sp() + key + sp() + pick("=", "=", "=", "==", "") + sp() + q + value + q2 + tail
    parts = []
    for _ in range(rng.randint(0, 6)):
        parts.append(rng.choice([
            "default_ttl", "default_ttl", "default_ttl", "ttl", "default ttl", "foo", "#", "# c",
            "=", "=", " ", "  ", "\t", '"', "'", "\\", "\\ ", "\\#", "\\n", "5", "42", "0", "-1",
            "+7", "2147483647", "2147483648", "4294967301", "99999999999999999999", "0x10",
            "1e3", "x", "\r", "\0",
        ]))
    return "".join(parts)

def conf(path):
    lines = [conf_line() for _ in range(rng.randint(0, 4))]
    text = "\n".join(lines)
    if rng.random() < 0.85:
        text += "\n"
    with open(path, "w") as f:
        f.write(text)

def callout():
    words = []
    for _ in range(rng.randint(0, 5)):
        words.append(rng.choice(["ipv4", "ipv6", "list", "IPV4", "ipv4=1", "list=", "x", ",",
                                 "ipv6,list", "=", "", " "]))
    return rng.choice([" ", "  ", " "]).join(words)

if sys.argv[1] == "conf":
    for k in range(int(sys.argv[3])):
        conf("%s/rand-%d.conf" % (sys.argv[2], k))
else:
    for _ in range(int(sys.argv[2])):
        print(callout())

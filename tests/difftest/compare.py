#!/usr/bin/python3
"""Compare two difftest outputs case by case.

Usage: compare.py REFERENCE CANDIDATE [--count-only]

Both files are normalised independently before comparing:
  * every key serial becomes K1, K2, ... in order of first appearance
    within its case (numbering restarts in each case, so one extra key in
    one case does not renumber all later cases), except the serials that
    difftest declares with "anchor NAME {k:N}" (session, fixture keyring,
    ...), which are "@NAME" everywhere.  Serials are the "{k:N}" markers
    difftest prints; once known, the same number is also recognised bare,
    in decimal or in hex (as /proc/keys and ".request_key_auth"
    descriptions print it) within that case only (and the anchors
    everywhere), so that a literal number elsewhere (a size, a permission
    mask, a hash) that happens to equal a serial of another case is left
    alone;
  * items of "[set: ...]" are sorted (keyring order follows the kernel's
    description hash, and descriptions contain the per-run tag).
Everything else must be identical.

Prints one TAP line per case (a unified diff under "#" for each differing
case) and "N passed, N failed"; exit status 1 if anything differs.
With --count-only, prints just the number of differing cases.
"""
import difflib
import re
import sys

MARK = re.compile(r"\{k:(-?\d+)\}")
TOKEN = re.compile(r"\{k:(-?\d+)\}|(?<![0-9A-Za-z_])([0-9a-f]+)(?![0-9A-Za-z_])")
SET = re.compile(r"\[set:([^\]]*)\]")
ANCHOR = re.compile(r"^anchor (\w+) \{k:(\d+)\}$")


def load(path):
    """Return (ordered case names, {name: [lines]}), after normalisation."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if lines and not lines[0].startswith("### "):
        sys.exit("compare.py: output of %s does not start with a case" % path)
    raw_cases = []
    for line in lines:
        if line.startswith("### "):
            raw_cases.append([])
        raw_cases[-1].append(line)
    anchors = {}
    for line in lines:
        a = ANCHOR.match(line)
        if a:
            anchors[int(a.group(2))] = "@" + a.group(1)

    def sort_set(m):
        items = m.group(1).split()
        items.sort(key=lambda s: (s[0] != "@", len(s), s))
        return "[set: " + " ".join(items) + "]"

    order, cases = [], {}
    for raw in raw_cases:
        # Per case: its own serials (and the anchors), numbered afresh.
        known = set(anchors)
        for line in raw:
            known.update(int(m.group(1)) for m in MARK.finditer(line))
        names = {}

        def name_of(serial):
            if serial in anchors:
                return anchors[serial]
            if serial not in names:
                names[serial] = "K%d" % (len(names) + 1)
            return names[serial]

        def repl(m):
            if m.group(1) is not None:
                v = int(m.group(1))
                return name_of(v) if v > 0 else m.group(1)
            tok = m.group(2)
            if tok.isdigit() and int(tok) in known:
                return name_of(int(tok))
            if len(tok) <= 8 and int(tok, 16) in known:
                return name_of(int(tok, 16))
            return tok

        norm = [SET.sub(sort_set, TOKEN.sub(repl, line)) for line in raw]
        cur = norm[0][4:]
        if cur in cases:
            sys.exit("compare.py: duplicate case %r in %s" % (cur, path))
        order.append(cur)
        cases[cur] = norm[1:]
    return order, cases


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count_only = "--count-only" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    ref_order, ref = load(args[0])
    cand_order, cand = load(args[1])
    names = ref_order + [n for n in cand_order if n not in ref]
    passed = failed = 0
    for name in names:
        a, b = ref.get(name), cand.get(name)
        if a == b:
            passed += 1
            if not count_only:
                print("ok - %s" % name)
            continue
        failed += 1
        if count_only:
            continue
        print("not ok - %s" % name)
        if a is None or b is None:
            print("#   case missing from %s" % ("reference" if a is None else "candidate"))
            continue
        for d in difflib.unified_diff(a, b, "original", "under-test", lineterm="", n=2):
            print("#   " + d)
    if count_only:
        print(failed)
    else:
        print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

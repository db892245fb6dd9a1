#!/usr/bin/env bash
# Every `unsafe` block, `unsafe extern` block and `unsafe impl` in src/ must carry a reason: a
# `// SAFETY:` comment on the same line or in the comment lines directly above it (attributes may
# stand between). Prints TAP lines; fails listing each one that has none.
#
# With HARDENING_CLIPPY=1 it also runs clippy's own lints for the same rule
# (undocumented_unsafe_blocks, and missing_safety_doc for `unsafe fn`).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0

missing=$(awk '
	FNR == 1 { depth = 0 }
	{
		code = $0
		sub(/\/\/.*/, "", code)                 # ignore what comments say
		is_unsafe = code ~ /unsafe[ \t]*\{/ || code ~ /unsafe[ \t]+extern[^(]*\{[ \t]*$/ ||
			code ~ /unsafe[ \t]+impl[ \t]/
		if (is_unsafe) {
			ok = $0 ~ /\/\/ SAFETY:/
			for (i = FNR - 1; !ok && i >= 1 && i >= FNR - 40; i--) {
				l = prev[i]
				if (l ~ /^[ \t]*\/\/ SAFETY:/) ok = 1
				else if (l !~ /^[ \t]*(\/\/|#\[)/) break
			}
			n++
			if (!ok) print FILENAME ":" FNR ": " $0
		}
		prev[FNR] = $0
	}
	END { print "#count " n }
' $(find "$root/src" -name '*.rs' | sort))

count=$(sed -n 's/^#count //p' <<<"$missing")
bad=$(grep -v '^#count ' <<<"$missing")
if [ -z "$bad" ] && [ "${count:-0}" -gt 0 ]; then
	echo "ok - safety: all $count unsafe blocks/impls in src/ have a // SAFETY: reason"
	pass=$((pass + 1))
else
	echo "not ok - safety: unsafe without a // SAFETY: reason (of ${count:-0}):"
	sed 's/^/#   /' <<<"$bad"
	fail=$((fail + 1))
fi

# Checking a sample tree only (below): no self-test of the self-test.
if [ "${1:-}" == "--self-test" ]; then
	[ "$fail" -eq 0 ]
	exit
fi

# The check itself must be able to fail: a sample without a reason is caught.
sample=$(mktemp -d)
mkdir -p "$sample/src" "$sample/hardening"
cp "$0" "$sample/hardening/"
printf 'fn f() {\n    // a comment, but no reason\n    unsafe { g() }\n}\n' > "$sample/src/x.rs"
if HARDENING_CLIPPY=0 bash "$sample/hardening/$(basename "$0")" --self-test >/dev/null 2>&1; then
	echo "not ok - safety: self-test: an unsafe block without a reason is reported"
	fail=$((fail + 1))
else
	echo "ok - safety: self-test: an unsafe block without a reason is reported"
	pass=$((pass + 1))
fi
rm -rf "$sample"

if [ "${HARDENING_CLIPPY:-0}" == 1 ]; then
	if (cd "$root" && cargo clippy --quiet --lib -- -D clippy::undocumented_unsafe_blocks \
		-D clippy::missing_safety_doc) > "$sample.clippy" 2>&1; then
		echo "ok - safety: clippy undocumented_unsafe_blocks and missing_safety_doc are clean"
		pass=$((pass + 1))
	else
		echo "not ok - safety: clippy undocumented_unsafe_blocks / missing_safety_doc"
		grep -E '^(error|warning)|-->' "$sample.clippy" | head -30 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
	rm -f "$sample.clippy"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

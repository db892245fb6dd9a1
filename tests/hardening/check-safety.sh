#!/usr/bin/env bash
# Every `unsafe` block, `unsafe extern` block and `unsafe impl` in the Rust of the workspace (src/,
# crates/*/ and programs/*/: sources, tests, examples) must carry a reason: a
# `// SAFETY:` comment on the same line or in the comment lines directly above it (attributes may
# stand between). Prints TAP lines; fails listing each one that has none.
#
# With HARDENING_CLIPPY=1 it also runs clippy's own lints for the same rule
# (undocumented_unsafe_blocks, and missing_safety_doc for `unsafe fn`).
# `check-safety.sh --self-test DIR` checks DIR/src instead, and nothing else.
set -u
. "$(dirname "$0")/../lib.sh"
root=$KT_ROOT
[ "${1:-}" == "--self-test" ] && root=$2

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
 ' $(find "$root/src" "$root"/crates/*/ "$root"/programs/*/ -name target -prune -o -name '*.rs' -print \
	2>/dev/null | sort))

count=$(sed -n 's/^#count //p' <<<"$missing")
bad=$(grep -v '^#count ' <<<"$missing")
if [ -z "$bad" ] && [ "${count:-0}" -gt 0 ]; then
	kt_ok "safety: all $count unsafe blocks/impls of the workspace's Rust have a // SAFETY: reason"
else
	kt_notok "safety: unsafe without a // SAFETY: reason (of ${count:-0}):"
	sed 's/^/#   /' <<<"$bad"
fi

# Checking a sample tree only (below): no self-test of the self-test.
if [ "${1:-}" == "--self-test" ]; then
	[ "$KT_FAIL" -eq 0 ]
	exit
fi

# The check itself must be able to fail: a sample without a reason is caught.
sample=$(mktemp -d)
mkdir -p "$sample/src"
printf 'fn f() {\n    // a comment, but no reason\n    unsafe { g() }\n}\n' > "$sample/src/x.rs"
if HARDENING_CLIPPY=0 bash "$0" --self-test "$sample" >/dev/null 2>&1; then
	kt_notok "safety: self-test: an unsafe block without a reason is reported"
else
	kt_ok "safety: self-test: an unsafe block without a reason is reported"
fi
rm -rf "$sample"

if [ "${HARDENING_CLIPPY:-0}" == 1 ]; then
	if (cd "$root" && cargo clippy --quiet --lib -- -D clippy::undocumented_unsafe_blocks \
		-D clippy::missing_safety_doc) > "$sample.clippy" 2>&1; then
		kt_ok "safety: clippy undocumented_unsafe_blocks and missing_safety_doc are clean"
	else
		kt_notok "safety: clippy undocumented_unsafe_blocks / missing_safety_doc"
		grep -E '^(error|warning)|-->' "$sample.clippy" | head -30 | sed 's/^/#   /'
	fi
	rm -f "$sample.clippy"
fi

kt_finish

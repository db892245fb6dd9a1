#!/usr/bin/env bash
# Replays the committed fuzz corpus (fuzz/corpus/<target>/) through every fuzz target once: the
# bounded, deterministic part of the fuzzing, for the test suite. The long runs are in
# fuzz/README.md.
#
# It needs neither cargo-fuzz nor nightly flags: the targets are built as plain programs with
# `--cfg fuzzing` (libFuzzer without coverage instrumentation), and libFuzzer given files (not
# directories) runs each of them once. A failed assertion or a panic aborts the target.
# The build goes to fuzz/target/replay (first build: about 2 minutes on 2 cores).
set -u
. "$(dirname "$0")/../lib.sh"
fuzz=$KT_ROOT/fuzz

host=$(rustc -vV | sed -n 's/^host: //p')
out=$fuzz/target/replay
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if (cd "$fuzz" && RUSTFLAGS="--cfg fuzzing" CARGO_TARGET_DIR="$out" \
	timeout 900 cargo build --quiet --release --target "$host" --bins) > "$log" 2>&1; then
	kt_ok "fuzz: targets built for corpus replay (--cfg fuzzing)"
else
	kt_notok "fuzz: targets built for corpus replay"
	tail -20 "$log" | sed 's/^/#   /'
	kt_finish
fi

for dir in "$fuzz"/corpus/*/; do
	t=$(basename "$dir")
	bin=$out/$host/release/$t
	n=$(find "$dir" -type f | wc -l)
	if [ ! -x "$bin" ]; then
		kt_notok "fuzz: corpus $t has a target"
		continue
	fi
	# Each input once; libFuzzer prints "Executed <file>" per input it ran.
	find "$dir" -type f -print0 | sort -z | xargs -0 timeout 120 "$bin" > "$log" 2>&1
	rc=$?
	ran=$(grep -c '^Executed ' "$log")
	if [ "$rc" -eq 0 ] && [ "$ran" -eq "$n" ] && [ "$n" -gt 0 ]; then
		kt_ok "fuzz: $t replays its $n corpus inputs without a finding"
	else
		kt_notok "fuzz: $t corpus replay (exit $rc, $ran of $n inputs ran)"
		grep -E 'panicked|assert|ERROR|Running' "$log" | tail -10 | sed 's/^/#   /'
	fi
done
kt_finish

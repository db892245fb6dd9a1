#!/usr/bin/env bash
# Runs every test suite against the library built in build/lib (run `make` first; `make check`
# does both). Each suite prints TAP-style `ok - ...` / `not ok - ...` lines; this script counts
# them, adds a line per suite that failed as a whole, and ends with `N passed, N failed`.
set -u
# Client output (klist's dates, strerror texts) follows the locale: pin the one the suites expect.
export LC_ALL=C.UTF-8
cd "$(dirname "$0")/.."
root=$PWD
export KEYUTILS_LIBDIR=$root/build/lib KEYUTILS_INCLUDE=$root/include
export CTESTS_BUILD=$root/build/ctests
log=$root/build/test-logs
mkdir -p "$log"

passed=0 failed=0
suite() { # name, command...
	local name=$1; shift
	echo "=== $name: $*"
	local out=$log/$name.log rc
	timeout 900 "$@" > "$out" 2>&1; rc=$?
	grep -E '^(not )?ok( |$)' "$out"
	local ok bad
	ok=$(grep -cE '^ok( |$)' "$out"); bad=$(grep -cE '^not ok( |$)' "$out")
	passed=$((passed + ok)); failed=$((failed + bad))
	if [ "$rc" -ne 0 ] || [ "$ok" -eq 0 ]; then
		echo "not ok - suite $name (exit $rc, $ok passed, $bad failed; log: $out)"
		tail -n 30 "$out" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}
keys_of() { keyctl rlist "$1" 2>/dev/null | tr ' ' '\n' | sort; }

u_before=$(keys_of @u) us_before=$(keys_of @us)

suite rust-unit bash -c 'cargo test 2>&1 | tee /dev/stderr | sed -n "s/^test \(.*\) \.\.\. ok$/ok - \1/p; s/^test \(.*\) \.\.\. FAILED$/not ok - \1/p"; exit ${PIPESTATUS[0]}'
lint() { # crate dir: cargo fmt and clippy, each an ok/not ok line
	(cd "$1" && cargo fmt --check >/dev/null 2>&1) && echo "ok - $1: cargo fmt --check" || echo "not ok - $1: cargo fmt --check"
	(cd "$1" && cargo clippy --quiet --all-targets -- -D warnings) && echo "ok - $1: cargo clippy -D warnings" || echo "not ok - $1: cargo clippy -D warnings"
}
suite rust-lint bash -c "$(declare -f lint); lint . && lint keyctl"
suite abi bash tests/abi.sh "$KEYUTILS_LIBDIR/libkeyutils.so.1"
for s in ctests difftest clients keyctl/tests hardening; do
	[ -f "$s/run.sh" ] && suite "${s%%/*}" bash "$s/run.sh"
done

suite packaging bash tests/packaging.sh

if [ "$(keys_of @u)" == "$u_before" ] && [ "$(keys_of @us)" == "$us_before" ]; then
	echo "ok - hygiene: @u and @us hold the same keys as before the tests"; passed=$((passed + 1))
else
	echo "not ok - hygiene: the tests changed @u or @us"; failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

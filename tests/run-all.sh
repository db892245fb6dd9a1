#!/usr/bin/env bash
# Runs the test suites against the library in $KEYUTILS_LIBDIR (default build/lib: `make check`
# builds it first), after tests/deps.sh has installed what they need.
#   tests/run-all.sh [SUITE...]      or   SUITES="ctests difftest" tests/run-all.sh
# Suites: rust-unit rust-lint abi ctests difftest clients keyctl request-key dns-resolver hardening
# packaging upstream
# (default: all).
# Each prints TAP-style `ok - ...` / `not ok - ...` lines; this script counts them, adds a line per
# suite that failed as a whole, prints each suite's time, checks that @u and @us hold the same keys
# as before, and ends with `N passed, N failed`. Logs: $KEYUTILS_TEST_OUT/logs/SUITE.log.
set -u
# Client output (klist's dates, strerror texts) follows the locale: pin the one the suites expect.
export LC_ALL=C.UTF-8
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
export CTESTS_BUILD=${CTESTS_BUILD:-$KEYUTILS_TEST_OUT/ctests}

all="rust-unit rust-lint abi ctests difftest clients keyctl request-key dns-resolver hardening packaging upstream"
read -r -a chosen <<< "${*:-${SUITES:-$all}}"
for s in "${chosen[@]}"; do
	[[ " $all " == *" $s "* ]] || { echo "tests/run-all.sh: unknown suite '$s' (suites: $all)" >&2; exit 2; }
done
bash "$here/deps.sh" "${chosen[@]}" || exit 1

log=$KEYUTILS_TEST_OUT/logs
mkdir -p "$log"
times=()
suite() { # name, command...
	local name=$1 out=$log/$1.log rc ok bad start=$SECONDS
	shift
	echo "=== $name: $*"
	timeout 900 "$@" > "$out" 2>&1
	rc=$?
	grep -E '^(not )?ok( |$)' "$out"
	ok=$(grep -cE '^ok( |$)' "$out")
	bad=$(grep -cE '^not ok( |$)' "$out")
	KT_PASS=$((KT_PASS + ok))
	KT_FAIL=$((KT_FAIL + bad))
	if [ "$rc" -ne 0 ] || [ "$ok" -eq 0 ]; then
		kt_notok "suite $name (exit $rc, $ok passed, $bad failed; log: $out)"
		tail -n 30 "$out" | sed 's/^/#   /'
	fi
	times+=("$(printf '# %-10s %5d passed %4d failed %5d s' "$name" "$ok" "$bad" $((SECONDS - start)))")
}
cargo_tap() { # cargo test's results as TAP lines, for every crate of the workspace
	# KEYUTILS_LIBDIR (exported by lib.sh) is what keyutils-api links and its kernel tests load.
	cargo test --workspace 2>&1 | tee /dev/stderr |
		sed -n 's/^test \(.*\) \.\.\. ok$/ok - \1/p; s/^test \(.*\) \.\.\. FAILED$/not ok - \1/p'
	return "${PIPESTATUS[0]}"
}
lint() { # cargo fmt and clippy of each crate of the workspace, an ok/not ok line each
	local c m
	for m in "$KT_ROOT"/Cargo.toml "$KT_ROOT"/crates/*/Cargo.toml "$KT_ROOT"/programs/*/Cargo.toml; do
		[ -f "$m" ] || continue
		c=$(dirname "${m#"$KT_ROOT"/}")
		(cd "$KT_ROOT/$c" && cargo fmt --check > /dev/null 2>&1) &&
			echo "ok - $c: cargo fmt --check" || echo "not ok - $c: cargo fmt --check"
		(cd "$KT_ROOT/$c" && cargo clippy --quiet --all-targets -- -D warnings) &&
			echo "ok - $c: cargo clippy -D warnings" || echo "not ok - $c: cargo clippy -D warnings"
	done
	# The library is no_std: no member may bring libc's `std` feature into its build.
	(cd "$KT_ROOT" && cargo tree --quiet --workspace -e normal,features -i libc | grep -q '"std"') &&
		echo "not ok - workspace: libc built with std" || echo "ok - workspace: libc built without std"
}

# What the suites take from the kernel, said once: its keyring features (each suite tests what the
# kernel has on what it does and what it lacks on its error path) and the two preconditions.
echo "# kernel $(uname -r) ($(uname -m)); keyctl supports --raw: $(kt_sys_keyctl supports --raw 2>&1)"
for f in /proc/sys/kernel/keys/*; do echo "# $f = $(cat "$f" 2>/dev/null)"; done
kt_check "kernel: has keyrings (/proc/keys)" yes "$([ -r /proc/keys ] && echo yes)"
# Revoked and expired keys are checked as such; the collector must leave them a few seconds.
gc=$(cat /proc/sys/kernel/keys/gc_delay 2>/dev/null)
kt_check "kernel: keys/gc_delay ($gc s) keeps dead keys at least 10 s" yes "$([ "${gc:-0}" -ge 10 ] && echo yes)"

# Parts of the suites run as non-root uids and read files under the checkout and the test output.
for d in "$KT_ROOT" "$KEYUTILS_LIBDIR" "$KEYUTILS_TEST_OUT"; do
	closed=$(kt_untraversable "$d")
	kt_check "checkout: other uids can reach $d${closed:+ (chmod o+x $closed)}" "" "$closed"
done

rings_before=$(kt_user_rings)
for s in "${chosen[@]}"; do
	case $s in
	rust-unit) suite "$s" bash -c "cd '$KT_ROOT' && $(declare -f cargo_tap); cargo_tap" ;;
	rust-lint) suite "$s" bash -c "KT_ROOT='$KT_ROOT'; $(declare -f lint); lint" ;;
	abi) suite "$s" bash "$here/abi.sh" "$KEYUTILS_LIBDIR/libkeyutils.so.1" ;;
	packaging) suite "$s" bash "$here/packaging.sh" ;;
	ctests) suite "$s" bash "$KT_ROOT/ctests/run.sh" ;;
	*) suite "$s" bash "$here/$s/run.sh" ;;
	esac
done
kt_check "hygiene: @u and @us hold the same keys as before the tests" "$rings_before" "$(kt_user_rings)"

echo "# time per suite:"
printf '%s\n' "${times[@]}"
kt_finish

# Shared by every shell test suite (sourced, not run): where the inputs are, TAP counting, the
# original library, the mapped-library proof, bounded waits and fresh session keyrings.
#
# A suite takes its inputs from the environment, so that it runs from any working directory and
# inside a VM where the tree is not at hand; the defaults are this checkout's:
#   KEYUTILS_LIBDIR        the library under test: libkeyutils.so.1 and libkeyutils.so  [build/lib]
#   KEYUTILS_INCLUDE       its keyutils.h                                                [include]
#   KEYUTILS_ORIG_LIB      Debian's libkeyutils.so.1, the original
#                                                [/usr/lib/<multiarch>/libkeyutils.so.1]
#   KEYUTILS_ORIG_INCLUDE  the original's keyutils.h                                    [/usr/include]
#   KEYUTILS_TEST_OUT      where suites build their programs and keep logs        [build/test-out]
# Sourcing this file sets them (exported; directories made absolute) and $KT_ROOT, the checkout.
set -u

KT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kt_multiarch() {
	dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch 2>/dev/null
}
export KEYUTILS_LIBDIR=${KEYUTILS_LIBDIR:-$KT_ROOT/build/lib}
export KEYUTILS_INCLUDE=${KEYUTILS_INCLUDE:-$KT_ROOT/include}
export KEYUTILS_ORIG_LIB=${KEYUTILS_ORIG_LIB:-/usr/lib/$(kt_multiarch)/libkeyutils.so.1}
export KEYUTILS_ORIG_INCLUDE=${KEYUTILS_ORIG_INCLUDE:-/usr/include}
export KEYUTILS_TEST_OUT=${KEYUTILS_TEST_OUT:-$KT_ROOT/build/test-out}
[ -d "$KEYUTILS_LIBDIR" ] && KEYUTILS_LIBDIR=$(cd "$KEYUTILS_LIBDIR" && pwd)
[ -d "$KEYUTILS_INCLUDE" ] && KEYUTILS_INCLUDE=$(cd "$KEYUTILS_INCLUDE" && pwd)
mkdir -p "$KEYUTILS_TEST_OUT" && KEYUTILS_TEST_OUT=$(cd "$KEYUTILS_TEST_OUT" && pwd)

# ---- TAP: every suite prints "ok - NAME" / "not ok - NAME" and ends with "N passed, N failed".
KT_PASS=0 KT_FAIL=0
kt_ok() { echo "ok - $*"; KT_PASS=$((KT_PASS + 1)); }
kt_notok() { echo "not ok - $*"; KT_FAIL=$((KT_FAIL + 1)); }
# kt_check NAME EXPECTED ACTUAL: equal strings pass; a failure shows the difference.
kt_check() {
	if [ "$2" == "$3" ]; then
		kt_ok "$1"
	else
		kt_notok "$1"
		diff <(echo "$2") <(echo "$3") | sed 's/^/#   /'
	fi
}
# kt_count: passes TAP lines on stdin through, counting them (for a pipeline in this shell:
# `shopt -s lastpipe`, or `kt_count < <(...)`).
kt_count() {
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"ok - "*) KT_PASS=$((KT_PASS + 1)) ;;
		"not ok - "*) KT_FAIL=$((KT_FAIL + 1)) ;;
		esac
	done
}
# kt_finish [HOOK]: the summary line; exits 0 only if something passed and nothing failed.
kt_finish() {
	echo "$KT_PASS passed, $KT_FAIL failed"
	[ "$KT_FAIL" -eq 0 ] && [ "$KT_PASS" -gt 0 ]
	exit
}
# kt_suite PREFIX LOG CMD...: runs CMD (a program that prints TAP lines), shows its lines with
# PREFIX put before their names, adds them to the counters (its own summary line is not shown),
# and counts one failure more when CMD exits non-zero or reports nothing.
kt_suite() {
	local prefix=$1 log=$2 rc p f
	shift 2
	"$@" > "$log" 2>&1
	rc=$?
	sed -n -e "s/^ok - /ok - $prefix/p" -e "s/^not ok - /not ok - $prefix/p" "$log"
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	KT_PASS=$((KT_PASS + p))
	KT_FAIL=$((KT_FAIL + f))
	if [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
		kt_notok "$prefix$(basename "$1") ${*:2} (exit $rc, $p passed, $f failed; log: $log)"
		grep -v -E '^(not )?ok - ' "$log" | tail -15 | sed 's/^/#   /'
	fi
}

# ---- the two libraries
# kt_orig_libdir DIR: makes DIR hold libkeyutils.so.1 and libkeyutils.so -> the original library
# (so that -L DIR and LD_LIBRARY_PATH=DIR pick it); prints DIR. Fails if there is no original.
kt_orig_libdir() {
	local sys
	sys=$(realpath -e "$KEYUTILS_ORIG_LIB" 2>/dev/null) || return 1
	mkdir -p "$1" && ln -sfn "$sys" "$1/libkeyutils.so.1" && ln -sfn "$sys" "$1/libkeyutils.so" &&
		echo "$1"
}
# kt_have_libs: the library under test and the original exist; a not-ok line for each that does not.
kt_have_libs() {
	local r=0
	[ -e "$KEYUTILS_LIBDIR/libkeyutils.so.1" ] ||
		{ kt_notok "library under test: $KEYUTILS_LIBDIR/libkeyutils.so.1 exists (run make, or set KEYUTILS_LIBDIR)"; r=1; }
	[ -e "$KEYUTILS_ORIG_LIB" ] ||
		{ kt_notok "original library: $KEYUTILS_ORIG_LIB exists (install libkeyutils1, or set KEYUTILS_ORIG_LIB)"; r=1; }
	return $r
}

# kt_maps_lib PID WANT: /proc/PID/maps maps at least one libkeyutils file, and every one of them is
# the file WANT resolves to. Prints the reason and returns 1 otherwise.
kt_maps_lib() {
	local pid=$1 want p seen=0
	want=$(realpath -e "$2" 2>/dev/null) || { echo "$2 does not exist"; return 1; }
	for p in $(awk '$6 ~ /libkeyutils/ {print $6}' "/proc/$pid/maps" 2>/dev/null | sort -u); do
		seen=1
		if [ "$(realpath -e "$p" 2>/dev/null)" != "$want" ]; then
			echo "pid $pid maps $p, expected $want"
			return 1
		fi
	done
	[ "$seen" = 1 ] || { echo "pid $pid maps no libkeyutils"; return 1; }
}
# kt_wait_maps PID EXE: waits (bounded, 10 s) until PID has exec'd EXE and mapped some libkeyutils,
# so that kt_maps_lib looks at the program, not at the shell that forked it.
kt_wait_maps() {
	kt_wait_until 10 kt_exe_mapped "$1" "$2"
}
kt_exe_mapped() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$2" ] && grep -q libkeyutils "/proc/$1/maps" 2>/dev/null
}

# ---- bounded waits
# kt_wait_until SECONDS CMD...: runs CMD every 0.1 s until it succeeds (0) or SECONDS pass (1).
kt_wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# kt_untraversable PATH: prints the first directory on the way to PATH that other users cannot
# enter (no o+x), if any. Parts of the suites run as non-root uids and read the library, the
# certificates and their logs from the checkout, so they need the way there (`mktemp -d` makes 0700).
kt_untraversable() {
	local d
	d=$(realpath -m "$1")
	while [ "$d" != / ]; do
		[ -d "$d" ] && [ "$(( 0$(stat -c %a "$d") & 1 ))" -eq 0 ] && echo "$d"
		d=$(dirname "$d")
	done | tail -n 1
}

# ---- keyrings
# The system's keyctl, on the system's library whatever the caller's environment says: an oracle
# that no library under test can influence.
kt_sys_keyctl() { env -u LD_LIBRARY_PATH -u LD_PRELOAD /usr/bin/keyctl "$@"; }
# kt_user_rings: the keys of @u and @us, which no test may change.
kt_user_rings() { echo "@u: $(kt_sys_keyctl rlist @u 2>/dev/null)"; echo "@us: $(kt_sys_keyctl rlist @us 2>/dev/null)"; }
# kt_fresh_session CMD...: runs CMD in a new anonymous session keyring (joined by the system's
# keyctl), without keyctl's "Joined session keyring" line.
kt_fresh_session() {
	kt_sys_keyctl session - "$@" 2> >(grep -v '^Joined session keyring: [0-9]*$' >&2)
}

#!/usr/bin/env bash
# Differential test: one C program (difftest.c, built against the ORIGINAL
# /usr/include/keyutils.h) runs once against Debian's libkeyutils.so.1 and
# once against the library in $KEYUTILS_LIBDIR; compare.py compares the two
# outputs case by case.  A third run with an LD_PRELOADed mutation of
# keyctl_read_alloc() checks that the comparison can fail.
#
# Usage: tests/difftest/run.sh, with the libraries and headers given as
#   tests/lib.sh says (KEYUTILS_LIBDIR, KEYUTILS_ORIG_LIB, KEYUTILS_ORIG_INCLUDE).  Needs root (request-key rule files),
#   gcc, openssl, keyutils (keyctl, /sbin/request-key), libkeyutils-dev,
#   python3.
# Prints TAP lines per case, then "N passed, N failed"; exits non-zero on
# any difference or harness failure.
#
# DIFFTEST_NO_BAD_POINTERS=1 leaves out, in every run (original, ours,
# mutant), the cases that hand the kernel invalid pointers on purpose
# (EFAULT checks), so that the program can run under valgrind
# (hardening/valgrind.sh); both outputs then hold the same cases.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
ours=$KEYUTILS_LIBDIR
min_cases=400
nobad=${DIFFTEST_NO_BAD_POINTERS:-}
[ "$nobad" == 0 ] && nobad=

# Behaviour where ours differs from the original on purpose: the original
# crashes (or is otherwise undefined), so it cannot be run in the compared
# program.  The lead/hardening work documents our results; see README.md.
deliberate=(
	"keyctl_describe_alloc/read_alloc/get_security_alloc(id, NULL) for an existing key: original SIGSEGV (writes through NULL)"
	"keyctl_dh_compute_alloc(..., NULL): its success path would write through NULL (not reachable here: no DH in this kernel)"
	"recursive_key_scan/recursive_session_key_scan with a NULL callback: original SIGSEGV, even for an unknown id"
	"find_key_by_type_and_desc with a NULL type and/or desc: original SIGSEGV"
	"find_key_by_type_and_desc reaching the /proc/keys fallback while a visible line is over about 1 KiB: original SIGSEGV"
	"find_key_by_type_and_desc: errno after a successful /proc/keys fallback (original leaves ENOKEY from request_key)"
	"keyctl_pkey_*: lengths above 4 GiB are silently truncated to 32 bits by the original"
	"keyutils_build_string: the date of our build (SOURCE_DATE_EPOCH when set), not keyutils' 2022-12-18; compared by length and YYYY-MM-DD shape only"
)

ok() { kt_ok "$@"; }
notok() { kt_notok "$@"; }
finish() {
	for d in "${deliberate[@]}"; do echo "# deliberate difference (not compared): $d"; done
	kt_finish
}

if [ "$(id -u)" != 0 ]; then
	notok "running as root (request-key rule files, chown, setuid)"
	finish
fi
work=$(mktemp -d /tmp/difftest.XXXXXX) || exit 1
child=
cleanup() {
	# our own run only, by its pid (it removes its request-key rule)
	[ -n "$child" ] && kill "$child" 2>/dev/null && wait "$child" 2>/dev/null
	if [ -n "${DIFFTEST_KEEP:-}" ]; then
		echo "# kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- the two libraries -------------------------------------------------
kt_have_libs || finish
sys_lib=$(realpath "$KEYUTILS_ORIG_LIB")
kt_orig_libdir "$work/orig" > /dev/null
echo "# original:   $sys_lib"
echo "# under test: $(realpath "$ours/libkeyutils.so.1")"
[ -n "$nobad" ] && echo "# DIFFTEST_NO_BAD_POINTERS=$nobad: bad-pointer cases left out of every run"

# --- build ---------------------------------------------------------------
if [ ! -f "$KEYUTILS_ORIG_INCLUDE/keyutils.h" ]; then
	notok "original header $KEYUTILS_ORIG_INCLUDE/keyutils.h present (install libkeyutils-dev)"
	finish
fi
cflags=(-Wall -Wextra -Werror -O1 -g)
[ "$KEYUTILS_ORIG_INCLUDE" != /usr/include ] && cflags+=(-I"$KEYUTILS_ORIG_INCLUDE")
if gcc "${cflags[@]}" -o "$work/difftest" "$here/difftest.c" -L"$work/orig" -lkeyutils \
	>"$work/build.log" 2>&1 &&
	gcc "${cflags[@]}" -shared -fPIC -o "$work/libmut.so" "$here/mutant.c" -ldl \
		>>"$work/build.log" 2>&1; then
	ok "build difftest and mutant shim (-Wall -Wextra -Werror, original header)"
else
	sed 's/^/#   /' "$work/build.log"
	notok "build difftest and mutant shim"
	finish
fi

# --- public key material -----------------------------------------------
if (cd "$work" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -outform DER -out cert.der \
		-subj /CN=difftest -days 2 &&
	printf 'difftest signed data' | openssl dgst -sha256 -binary >digest.bin &&
	openssl pkeyutl -sign -inkey key.pem -in digest.bin -pkeyopt digest:sha256 -out sig.bin) \
	>"$work/openssl.log" 2>&1; then
	ok "X.509 certificate and signature made with openssl"
else
	sed 's/^/#   /' "$work/openssl.log"
	notok "X.509 certificate and signature made with openssl"
	finish
fi

# --- one run -------------------------------------------------------------
# run_one LABEL LETTER LIBDIR [PRELOAD]; output in $work/LABEL.out (run-one.sh)
run_one() {
	local label=$1 rundir=$work/run-$1 rc
	DIFFTEST_NO_BAD_POINTERS="$nobad" sh "$here/run-one.sh" "$label" "$2" "$3" "$work" ${4:+"$4"} &
	child=$!
	wait "$child"
	rc=$?
	child=
	sed "s/^/# $label: /" "$rundir/stderr" | grep -v 'difftest handler: mapped' | head -20
	if [ "$rc" -ne 0 ] || [ "$(tail -2 "$work/$label.out" | tr '\n' ' ')" != "### end complete " ]; then
		notok "run $label completed (exit $rc)"
		tail -5 "$work/$label.out" | sed 's/^/#   /'
		return 1
	fi
	# die() in a forked child only shows as "child exit 3" in the output,
	# the same in both runs: the cases after it would silently be missing
	if grep -q '^difftest: FATAL' "$rundir/stderr"; then
		notok "run $label: no fatal error in the program or its children"
		grep '^difftest: FATAL' "$rundir/stderr" | head -5 | sed 's/^/#   /'
		return 1
	fi
	ok "run $label completed, library proven by /proc/self/maps"
	return 0
}

start=$(date +%s)
# a failing original run means the harness is broken: stop.  A failing run
# of the library under test is still compared: the diff shows where it went.
run_one original a "$work/orig" || finish
run_one under-test b "$ours"

ncases=$(grep -c '^### ' "$work/original.out")
if [ -n "$nobad" ]; then
	# the switch must leave out every call that the kernel answered EFAULT (the
	# upcall handler, not run under valgrind, keeps its own: "h| " lines)
	nfault=$(grep -v '^h| ' "$work/original.out" | grep -c 'EFAULT')
	if [ "$nfault" -eq 0 ]; then
		ok "DIFFTEST_NO_BAD_POINTERS: no call of the program answered EFAULT"
	else
		notok "DIFFTEST_NO_BAD_POINTERS: $nfault calls of the program answered EFAULT"
		awk '/^### /{c=$0} /EFAULT/ && !/^h\| /{print "#   " c ": " $0}' "$work/original.out" | head -10
	fi
fi
if [ "$ncases" -ge "$min_cases" ]; then
	ok "case count $ncases >= $min_cases"
else
	notok "case count $ncases >= $min_cases"
fi

# --- compare ---------------------------------------------------------------
python3 "$here/compare.py" "$work/original.out" "$work/under-test.out" >"$work/compare.txt"
crc=$?
grep -v '^[0-9]* passed, [0-9]* failed$' "$work/compare.txt"
summary=$(tail -1 "$work/compare.txt")
cpass=${summary%% passed*}
cfail=${summary#*passed, }
cfail=${cfail%% failed*}
if [[ "$cpass" =~ ^[0-9]+$ && "$cfail" =~ ^[0-9]+$ ]]; then
	KT_PASS=$((KT_PASS + cpass))
	KT_FAIL=$((KT_FAIL + cfail))
	[ "$crc" -ne 0 ] && [ "$cfail" -eq 0 ] && notok "compare.py exit $crc"
else
	notok "compare.py produced a summary"
fi

# --- self-test: the comparison must see a mutated keyctl_read_alloc --------
if run_one mutant c "$ours" "$work/libmut.so"; then
	ndiff=$(python3 "$here/compare.py" "$work/original.out" "$work/mutant.out" --count-only)
	if [[ "$ndiff" =~ ^[0-9]+$ ]] && [ "$ndiff" -gt 0 ]; then
		ok "self-test: mutated keyctl_read_alloc detected in $ndiff cases"
	else
		notok "self-test: mutated keyctl_read_alloc detected (got '$ndiff')"
	fi
fi
echo "# runtime $(($(date +%s) - start)) s"
finish

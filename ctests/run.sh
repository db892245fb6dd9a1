#!/usr/bin/env bash
# C test suite entry point.
#
#   KEYUTILS_LIBDIR, KEYUTILS_INCLUDE, KEYUTILS_TEST_OUT: see tests/lib.sh
#   CTESTS_BUILD      build directory (default: $KEYUTILS_TEST_OUT/ctests)
#   CTESTS_SANITIZE   "asan" (AddressSanitizer + UBSan on the test programs,
#                     which also catches a *_alloc result that free() cannot
#                     take), "valgrind", or unset for a plain run
#   CTESTS_ONLY       run only these tests, e.g. "session alloc" or "header"
#
# Builds every ctests/test_*.c with -Wall -Wextra -Werror against the header
# and library under test, runs each (it first proves it mapped
# $KEYUTILS_LIBDIR/libkeyutils.so.1), runs the header test, prints TAP lines
# and a final "N passed, N failed"; exits 1 if anything failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/lib.sh"
export CTESTS_BUILD=${CTESTS_BUILD:-$KEYUTILS_TEST_OUT/ctests}
CC=${CC:-gcc}
SANITIZE=${CTESTS_SANITIZE:-}
ONLY=${CTESTS_ONLY:-}
TIMEOUT=${CTESTS_TIMEOUT:-120}

wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

echo "# KEYUTILS_LIBDIR=$KEYUTILS_LIBDIR KEYUTILS_INCLUDE=$KEYUTILS_INCLUDE CTESTS_BUILD=$CTESTS_BUILD${SANITIZE:+ CTESTS_SANITIZE=$SANITIZE}"
if [ -e "$KEYUTILS_LIBDIR/libkeyutils.so.1" ] && [ -e "$KEYUTILS_LIBDIR/libkeyutils.so" ]; then
	kt_ok "ctests: $KEYUTILS_LIBDIR holds libkeyutils.so.1 and libkeyutils.so"
else
	kt_notok "ctests: $KEYUTILS_LIBDIR holds libkeyutils.so.1 and libkeyutils.so"
	kt_finish
fi
if [ -f "$KEYUTILS_INCLUDE/keyutils.h" ]; then
	kt_ok "ctests: $KEYUTILS_INCLUDE holds keyutils.h"
else
	kt_notok "ctests: $KEYUTILS_INCLUDE holds keyutils.h"
	kt_finish
fi

bin=$CTESTS_BUILD/bin${SANITIZE:+-$SANITIZE}
mkdir -p "$bin" || { kt_notok "ctests: create $bin"; kt_finish; }
CFLAGS="-std=gnu11 -g -O1 -Wall -Wextra -Werror -pthread"
runner=()
case "$SANITIZE" in
"") ;;
asan)
	CFLAGS="$CFLAGS -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=98}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	;;
valgrind)
	runner=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
		--show-leak-kinds=definite --suppressions="$here/valgrind.supp")
	# valgrind counts deliberate EFAULT probes as errors of the test itself.
	export CTESTS_NO_BAD_POINTERS=1
	;;
*) kt_notok "ctests: unknown CTESTS_SANITIZE=$SANITIZE"; kt_finish ;;
esac

# Count a program's TAP lines into pass/fail; flag a bad exit with no
# "not ok" line of its own, and a program that printed no result at all.
tally() { # name log rc
	local name=$1 log=$2 rc=$3 p f
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	KT_PASS=$((KT_PASS + p))
	KT_FAIL=$((KT_FAIL + f))
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		kt_notok "$name printed no test result (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		kt_notok "$name exited with status $rc"
	elif [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; then
		kt_notok "$name exited 0 despite failures"
	fi
}

for src in "$here"/test_*.c; do
	name=$(basename "$src" .c)
	wanted "${name#test_}" || wanted "$name" || continue
	exe=$bin/$name
	if $CC $CFLAGS -I"$KEYUTILS_INCLUDE" "$src" -o "$exe" \
		-L"$KEYUTILS_LIBDIR" -lkeyutils > "$exe.build.log" 2>&1; then
		kt_ok "build $name"
	else
		kt_notok "build $name"
		sed 's/^/#   /' "$exe.build.log" | head -40
		continue
	fi
	LD_LIBRARY_PATH=$KEYUTILS_LIBDIR timeout -k 5 "$TIMEOUT" \
		"${runner[@]}" "$exe" < /dev/null > "$exe.log" 2>&1
	rc=$?
	cat "$exe.log"
	[ "$rc" -eq 124 ] && kt_notok "$name timed out after ${TIMEOUT}s"
	tally "$name" "$exe.log" "$rc"
done

if wanted header && [ -z "$SANITIZE" ]; then
	log=$CTESTS_BUILD/header.log
	timeout -k 5 "$TIMEOUT" bash "$here/header/run.sh" < /dev/null > "$log" 2>&1
	rc=$?
	cat "$log"
	tally "header/run.sh" "$log" "$rc"
fi

kt_finish

#!/usr/bin/env bash
# "Harder than the original": every proof of issue 4, against the library in $KEYUTILS_LIBDIR
# (default build/lib; run `make` first) and, side by side, Debian's keyutils 1.6.3.
#
#   defects      each known defect of the original, run on the original (crashes observed in a
#                forked child) and on ours, each against its expected result
#   concurrency  readers against writers on a key and a keyring (ours and the original)
#   interpose    a program's own keyctl() and request_key() see the library's calls
#   fallbacks    reject, instantiate_iov and capabilities on a (played) kernel without them
#   safety       every unsafe block has a // SAFETY: reason (check-safety.sh)
#   panic        panic = "abort" everywhere, an unwinding build is refused (check-panic.sh)
#   fuzz         the fuzz corpus replayed through every fuzz target (fuzz-corpus.sh)
#   asan         C tests and these programs under ASan + UBSan + LSan (asan.sh)
#   valgrind     C tests and these programs under valgrind memcheck (valgrind.sh)
#
# HARDENING_SKIP="fuzz valgrind ..." leaves parts out (for development; the suite runs them all).
# Needs root (a uid of its own for the defects, request-key upcalls), gcc, openssl, valgrind,
# keyutils (/sbin/request-key, /bin/keyctl), libkeyutils-dev, cargo.
# Prints TAP lines and "N passed, N failed"; exits non-zero on any failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
hb_init run
skip=" ${HARDENING_SKIP:-} "
want() { [[ "$skip" != *" $1 "* ]] || { echo "# hardening: $1 left out (HARDENING_SKIP)"; false; }; }

orig=$(kt_orig_libdir "$out/original-lib") || { kt_notok "hardening: Debian's libkeyutils.so.1"; kt_finish; }
echo "# original: $(realpath "$orig/libkeyutils.so.1")"
echo "# ours:     $(realpath "$libdir/libkeyutils.so.1")"

# Builds NAME for both libraries: OUT/original/NAME (Debian's header) and OUT/ours/NAME.
build_both() {
	local ok=0
	hb_build "$1" "$orig" "$KEYUTILS_ORIG_INCLUDE" "$out/original" || ok=1
	hb_build "$1" "$libdir" "$inc" "$out/ours" || ok=1
	if [ "$ok" -eq 0 ]; then
		kt_ok "hardening: build $1.c for both libraries (-Wall -Wextra -Werror)"
	else
		kt_notok "hardening: build $1.c for both libraries"
		cat "$out"/*/"$1.log" | head -20 | sed 's/^/#   /'
	fi
	return $ok
}

# run_both NAME SECONDS [VAR=VALUE...]: runs OUT/LIB/NAME LIB against each library (through its
# LD_LIBRARY_PATH and KEYUTILS_LIBDIR, with the variables given), counting its TAP lines; the log of
# each run is OUT/NAME-LIB.log.
run_both() {
	local name=$1 secs=$2 lib d
	shift 2
	for lib in original ours; do
		d=$orig
		[ "$lib" == ours ] && d=$libdir
		kt_suite "" "$out/$name-$lib.log" env LD_LIBRARY_PATH="$d" KEYUTILS_LIBDIR="$d" "$@" \
			timeout "$secs" "$out/$lib/$name" "$lib"
	done
}

if want defects && build_both defects; then
	run_both defects 300 HARDENING_CERT="$out/cert.der"
	# The two libraries side by side, case by case.
	echo "# defects, side by side:"
	awk -F '\t' '$1 == "# result" { if (FILENAME ~ /original/) o[$2] = $3; else { u[$2] = $3; n[++c] = $2 } }
		END { for (i = 1; i <= c; i++) printf "#   %s\n#       original: %s | ours: %s\n", n[i], o[n[i]], u[n[i]] }' \
		"$out/defects-original.log" "$out/defects-ours.log"
fi

if want concurrency && build_both concurrency; then
	for lib in ours original; do
		d=$orig
		[ "$lib" == ours ] && d=$libdir
		kt_suite "$lib: " "$out/concurrency-$lib.log" env LD_LIBRARY_PATH="$d" KEYUTILS_LIBDIR="$d" \
			HARDENING_SECONDS="${HARDENING_SECONDS:-2}" timeout 120 "$out/$lib/concurrency"
	done
fi

if want interpose && build_both interpose; then
	run_both interpose 60
fi

if want fallbacks && build_both fallbacks; then
	run_both fallbacks 60
	# The check can fail: with a keyctl_reject that has no fallback preloaded, it must.
	if ${CC:-gcc} -shared -fPIC -Wall -Wextra -Werror -I"$inc" -o "$out/nofallback.so" \
		"$here/nofallback.c" > "$out/nofallback.log" 2>&1; then
		env LD_PRELOAD="$out/nofallback.so" LD_LIBRARY_PATH="$libdir" KEYUTILS_LIBDIR="$libdir" \
			timeout 60 "$out/ours/fallbacks" mutant > "$out/fallbacks-mutant.log" 2>&1
		n=$(grep -c '^not ok - \[mutant\] reject, old kernel: then KEYCTL_NEGATE' "$out/fallbacks-mutant.log")
		if [ "$n" -eq 1 ]; then
			kt_ok "fallbacks: a keyctl_reject without the negate fallback is caught"
		else
			kt_notok "fallbacks: a keyctl_reject without the negate fallback is caught"
		fi
	else
		kt_notok "fallbacks: build nofallback.so"
	fi
fi

want safety && kt_suite "" "$out/safety.log" bash "$here/check-safety.sh"
want panic && kt_suite "" "$out/panic.log" bash "$here/check-panic.sh" "$libdir"
want fuzz && kt_suite "" "$out/fuzz.log" bash "$here/fuzz-corpus.sh"
want asan && kt_suite "" "$out/asan.log" bash "$here/asan.sh"
want valgrind && kt_suite "" "$out/valgrind.log" bash "$here/valgrind.sh"
kt_finish

# Sourced by the hardening scripts: builds the C programs, runs suites, counts TAP lines.
# hb_build NAME LIBDIR INCLUDE OUTDIR [EXTRA CFLAGS...]: NAME.c -> OUTDIR/NAME, linked with
# -lkeyutils from LIBDIR against INCLUDE/keyutils.h; the compiler's messages go to OUTDIR/NAME.log.
hb_build() {
	local name=$1 libdir=$2 inc=$3 out=$4
	shift 4
	mkdir -p "$out"
	${CC:-gcc} -std=gnu11 -g -O1 -Wall -Wextra -Werror -pthread "$@" -I"$inc" \
		"$(dirname "${BASH_SOURCE[0]}")/$name.c" -o "$out/$name" -L"$libdir" -lkeyutils \
		> "$out/$name.log" 2>&1
}

# hb_orig_libdir DIR: DIR/libkeyutils.so{,.1} -> Debian's libkeyutils.so.1.10; prints DIR.
hb_orig_libdir() {
	local sys
	sys=$(realpath /usr/lib/x86_64-linux-gnu/libkeyutils.so.1) || return 1
	mkdir -p "$1" && ln -sf "$sys" "$1/libkeyutils.so.1" && ln -sf "$sys" "$1/libkeyutils.so" &&
		echo "$1"
}

# Counters of the calling script, and its TAP helpers.
hb_pass=0 hb_fail=0
hb_ok() { echo "ok - $*"; hb_pass=$((hb_pass + 1)); }
hb_notok() { echo "not ok - $*"; hb_fail=$((hb_fail + 1)); }
hb_finish() {
	echo "$hb_pass passed, $hb_fail failed"
	[ "$hb_fail" -eq 0 ] && [ "$hb_pass" -gt 0 ]
	exit
}

# hb_suite PREFIX LOG CMD...: runs CMD, shows its TAP lines with PREFIX put before their names,
# adds them to the counters (its own "N passed, N failed" line is not shown), and counts one
# failure more when CMD exits non-zero or reports nothing.
hb_suite() {
	local prefix=$1 log=$2 rc p f
	shift 2
	"$@" > "$log" 2>&1
	rc=$?
	sed -n -e "s/^ok - /ok - $prefix/p" -e "s/^not ok - /not ok - $prefix/p" "$log"
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	hb_pass=$((hb_pass + p))
	hb_fail=$((hb_fail + f))
	if [ "$rc" -ne 0 ] || [ "$p" -eq 0 ]; then
		hb_notok "$prefix$(basename "$1") ${*:2} (exit $rc, $p passed, $f failed; log: $log)"
		grep -v -E '^(not )?ok - ' "$log" | tail -15 | sed 's/^/#   /'
	fi
}

# hb_init NAME: what every hardening script starts from: $root, $libdir (absolute: the library under
# test, $KEYUTILS_LIBDIR or build/lib), $inc (its header), $out (build/hardening/NAME, emptied),
# both exported as KEYUTILS_LIBDIR/KEYUTILS_INCLUDE, and $out/cert.der, an X.509 certificate for
# the asymmetric-key cases.
hb_init() {
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	libdir=$(cd "${KEYUTILS_LIBDIR:-$root/build/lib}" 2>/dev/null && pwd) ||
		{ hb_notok "$1: ${KEYUTILS_LIBDIR:-$root/build/lib} exists (run make)"; hb_finish; }
	inc=${KEYUTILS_INCLUDE:-$root/include}
	export KEYUTILS_LIBDIR=$libdir KEYUTILS_INCLUDE=$inc
	out=$root/build/hardening/$1
	rm -rf "$out" && mkdir -p "$out"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$out/key.pem" -outform DER \
		-out "$out/cert.der" -subj /CN=hardening -days 2 > /dev/null 2>&1 ||
		hb_notok "$1: openssl makes a certificate"
}

# hb_programs LABEL CHECK [CFLAGS...] -- [RUNNER...]: builds the hardening programs (defects, fallbacks,
# concurrency) with CFLAGS, runs each against our library under RUNNER ("{prog}" in it becomes the
# program's name), counts their TAP lines with "LABEL: " before the names, then calls CHECK PROG
# for the tool's own verdict.
hb_programs() {
	local label=$1 check=$2 cflags=() runner prog args
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do cflags+=("$1"); shift; done
	shift
	for prog in defects concurrency fallbacks; do
		if ! hb_build "$prog" "$libdir" "$inc" "$out" "${cflags[@]}"; then
			hb_notok "$label: build $prog"
			sed 's/^/#   /' "$out/$prog.log"
			continue
		fi
		runner=("${@//\{prog\}/$prog}")
		args=()
		[ "$prog" != concurrency ] && args=(ours)
		hb_suite "$label: " "$out/$prog.run.log" env LD_LIBRARY_PATH="$libdir" \
			HARDENING_CERT="$out/cert.der" HARDENING_SECONDS=2 timeout 300 \
			"${runner[@]}" "$out/$prog" "${args[@]}"
		"$check" "$prog"
	done
}

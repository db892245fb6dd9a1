# Sourced by the hardening scripts: builds and runs their C programs. TAP counting, the original
# library and the inputs come from tests/lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
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

# hb_init NAME: what every hardening script starts from: $root (the checkout), $libdir and $inc (the
# library under test and its header, tests/lib.sh's KEYUTILS_LIBDIR and KEYUTILS_INCLUDE), $out
# ($KEYUTILS_TEST_OUT/hardening/NAME, emptied), and $out/cert.der, an X.509 certificate for the
# asymmetric-key cases.
hb_init() {
	root=$KT_ROOT
	libdir=$KEYUTILS_LIBDIR
	inc=$KEYUTILS_INCLUDE
	[ -e "$libdir/libkeyutils.so.1" ] ||
		{ kt_notok "$1: $libdir/libkeyutils.so.1 exists (run make, or set KEYUTILS_LIBDIR)"; kt_finish; }
	out=$KEYUTILS_TEST_OUT/hardening/$1
	rm -rf "$out" && mkdir -p "$out"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$out/key.pem" -outform DER \
		-out "$out/cert.der" -subj /CN=hardening -days 2 > /dev/null 2>&1 ||
		kt_notok "$1: openssl makes a certificate"
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
			kt_notok "$label: build $prog"
			sed 's/^/#   /' "$out/$prog.log"
			continue
		fi
		runner=("${@//\{prog\}/$prog}")
		args=()
		[ "$prog" != concurrency ] && args=(ours)
		kt_suite "$label: " "$out/$prog.run.log" env LD_LIBRARY_PATH="$libdir" \
			HARDENING_CERT="$out/cert.der" HARDENING_SECONDS=2 timeout 300 \
			"${runner[@]}" "$out/$prog" "${args[@]}"
		"$check" "$prog"
	done
}

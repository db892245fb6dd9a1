#!/usr/bin/env bash
# The library's suites on another architecture or kernel, in a VM (tests/vm/run.sh): the C tests,
# the hardening programs and the differential test, cross-built for ARCH against our library
# (`make TARGET=<triple>`) and against Debian's libkeyutils1 of ARCH, run on Debian's kernel of
# ARCH. Their TAP lines come back; the differential test's outputs come back too (gzip, base64)
# and are compared here, with the same compare.py as on the host.
#
#   tests/vm/suites.sh ARCH[:KERNEL_ID]      (ARCH: Debian's name; KERNEL_ID as tests/vm/run.sh)
#
# Runs tests/vm/setup.sh --cc first (nothing is fetched twice; Debian's keyutils and openssl of
# ARCH go into the VM: request-key, keyctl, and the certificates the C tests make). Work and logs
# in $KEYUTILS_TEST_OUT/vm/ARCH-KERNEL_ID. Prints TAP lines (named "[ARCH kernel]: ..."), the VM's
# times, and "N passed, N failed"; exit 0 when all passed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/lib.sh"
. "$KT_ROOT/mk/arch.sh"

[ $# -eq 1 ] || vm_die "usage: $0 ARCH[:KERNEL_ID]"
spec=$1 arch=${1%%:*} kid=bookworm
[ "$spec" != "$arch" ] && kid=${spec#*:}
# (libatomic1: armel's libssl3 needs it)
# (bash and coreutils with their libraries: the keyctl cases of tests/keyctl are bash scripts that
# bound commands with coreutils' timeout)
export KEYUTILS_VM_EXTRA_DEBS="keyutils openssl libssl3 libatomic1 bash libtinfo6 coreutils libacl1 libattr1
	libgmp10 libselinux1 libpcre2-8-0 ${KEYUTILS_VM_EXTRA_DEBS:-}"
vm_config "$arch" "$kid"
out=$KEYUTILS_TEST_OUT/vm/$arch-$kid
P=$out/payload
rm -rf "$out" && mkdir -p "$P"/{lib/ours,lib/orig,ctests,hardening/ours,hardening/original,difftest,keyctl}
name="[$arch $kid]"
# KEYUTILS_VM_SUITES: the parts to run (default all): ctests hardening keyctl difftest
VM_SUITES=${KEYUTILS_VM_SUITES:-ctests hardening keyctl difftest}
on() { [[ " $VM_SUITES " == *" $1 "* ]]; }

"$VM_DIR/setup.sh" --cc "$arch:$kid" > "$out/setup.log" 2>&1 ||
	{ kt_notok "$name: tests/vm/setup.sh --cc (log: $out/setup.log)"; tail -5 "$out/setup.log" | sed 's/^/#   /'; kt_finish; }

# Our library for ARCH, and Debian's from the VM's userland.
triple=$(arch_lookup "$arch" deb triple) || vm_die "$arch is not in mk/arches"
if [ "$arch" = "$(dpkg --print-architecture)" ]; then
	ours=$KEYUTILS_LIBDIR
else
	ours=$KT_ROOT/build/$triple/lib
	make -C "$KT_ROOT" TARGET="$triple" > "$out/build.log" 2>&1 ||
		{ kt_notok "$name: make TARGET=$triple (log: $out/build.log)"; kt_finish; }
fi
orig=$(find "$VM_ROOT" -name 'libkeyutils.so.1.*' | head -n 1)
[ -n "$orig" ] || { kt_notok "$name: Debian's libkeyutils1 of $arch in $VM_ROOT"; kt_finish; }
cp "$ours/libkeyutils.so.1.10" "$P/lib/ours/" && ln -s libkeyutils.so.1.10 "$P/lib/ours/libkeyutils.so.1" &&
	ln -s libkeyutils.so.1 "$P/lib/ours/libkeyutils.so"
cp "$orig" "$P/lib/orig/libkeyutils.so.1.10" && ln -s libkeyutils.so.1.10 "$P/lib/orig/libkeyutils.so.1" &&
	ln -s libkeyutils.so.1 "$P/lib/orig/libkeyutils.so"

# The programs, built as on the host: the C tests and ours against our header, the original's
# against Debian's header (the same on every architecture), at -Wall -Wextra -Werror.
cc=$VM_GCC
cflags=(-std=gnu11 -g -O1 -Wall -Wextra -Werror -pthread)
build() { # NAME OUTPUT ARGS...: compiles, a not-ok line with the compiler's words on failure
	local n=$1 o=$2
	shift 2
	"$cc" "$@" -o "$o" > "$o.log" 2>&1 && rm -f "$o.log" && return 0
	kt_notok "$name: build $n with $cc"
	head -20 "$o.log" | sed 's/^/#   /'
	return 1
}
for src in "$KT_ROOT"/ctests/test_*.c; do
	t=$(basename "$src" .c)
	build "ctests/$t" "$P/ctests/$t" "${cflags[@]}" -I"$KEYUTILS_INCLUDE" "$src" -L"$ours" -lkeyutils
done
for prog in defects concurrency fallbacks interpose; do
	build "hardening/$prog (ours)" "$P/hardening/ours/$prog" "${cflags[@]}" -I"$KEYUTILS_INCLUDE" \
		"$KT_ROOT/tests/hardening/$prog.c" -L"$P/lib/ours" -lkeyutils
	build "hardening/$prog (original)" "$P/hardening/original/$prog" "${cflags[@]}" \
		-I"$KEYUTILS_ORIG_INCLUDE" "$KT_ROOT/tests/hardening/$prog.c" -L"$P/lib/orig" -lkeyutils
done
build difftest "$P/difftest/difftest" -Wall -Wextra -Werror -O1 -g \
	"$KT_ROOT/tests/difftest/difftest.c" -L"$P/lib/orig" -lkeyutils
build "difftest mutant" "$P/difftest/libmut.so" -Wall -Wextra -Werror -O1 -g -shared -fPIC \
	"$KT_ROOT/tests/difftest/mutant.c" -ldl
cp "$KT_ROOT/tests/difftest/run-one.sh" "$P/difftest/"
# Debian's keyctl (a C program no one here wrote) on both libraries: the cases of tests/keyctl, with
# the add_key fault shim of 27-test_faults built here (the VM has no compiler).
cp -r "$KT_ROOT/tests/keyctl/case.sh" "$KT_ROOT/tests/keyctl/cases" "$KT_ROOT/ctests/rfc5114.h" "$P/keyctl/"
rm -f "$P/keyctl/cases/"*-limits2.sh # a minute of add_key calls on the host: FULL=1 there only
build "keyctl fault shim" "$P/keyctl/fault.so" -Wall -Wextra -Werror -shared -fPIC \
	-I"$KEYUTILS_ORIG_INCLUDE" "$KT_ROOT/tests/keyctl/fault/addkey_fault.c" -ldl
# Key material, made here (the VM has openssl too, for the C tests' own).
(cd "$P/difftest" &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -outform DER -out cert.der \
		-subj /CN=difftest -days 2 &&
	printf 'difftest signed data' | openssl dgst -sha256 -binary > digest.bin &&
	openssl pkeyutl -sign -inkey key.pem -in digest.bin -pkeyopt digest:sha256 -out sig.bin) \
	> "$out/openssl.log" 2>&1 || kt_notok "$name: openssl makes the key material"

cat > "$P/run" << 'EOF'
#!/bin/sh
# In the VM: each program against its library, TAP lines named after their suite; the difftest
# outputs as gzip+base64 blocks between "@@difftest LABEL RC" and "@@end".
P=/payload
echo "# payload: $(uname -r) $(uname -m), capabilities: $(keyctl supports --raw 2>&1)"
S=$(cat "$P/suites")
on() { case " $S " in *" $1 "*) return 0 ;; esac; return 1; }
tap() { # SUITE: prefix the TAP names of stdin
	sed -e "s/^ok - /ok - $1: /" -e "s/^not ok - /not ok - $1: /"
}
# ran SUITE NAME RC LOG: a non-zero exit with no not-ok line of its own, or no line at all, fails
ran() {
	if [ "$3" -ne 0 ] && ! grep -q '^not ok' "$4"; then echo "not ok - $1: $2 exited $3"; fi
	grep -q '^\(not \)\{0,1\}ok' "$4" || echo "not ok - $1: $2 printed no result"
}
if on ctests; then
for t in "$P"/ctests/test_*; do
	n=${t##*/}
	KEYUTILS_LIBDIR=$P/lib/ours LD_LIBRARY_PATH=$P/lib/ours timeout 600 "$t" < /dev/null > /tmp/$n.log 2>&1
	rc=$?
	tap ctests < /tmp/$n.log
	ran ctests "$n" $rc /tmp/$n.log
done
fi
if on hardening; then
for lib in original ours; do
	d=$P/lib/orig
	[ $lib = ours ] && d=$P/lib/ours
	for prog in defects fallbacks interpose concurrency; do
		arg=$lib
		[ $prog = concurrency ] && arg=
		KEYUTILS_LIBDIR=$d LD_LIBRARY_PATH=$d HARDENING_CERT=$P/difftest/cert.der HARDENING_SECONDS=2 \
			timeout 600 "$P/hardening/$lib/$prog" $arg < /dev/null > /tmp/$prog-$lib.log 2>&1
		rc=$?
		tap "hardening $lib" < /tmp/$prog-$lib.log
		ran "hardening $lib" "$prog" $rc /tmp/$prog-$lib.log
	done
done
fi
# Debian's keyctl, each case in a session keyring it makes, on Debian's library then ours; which
# library ld.so loaded is shown first. Raw outputs go back (gzip+base64) and are normalised there.
if on keyctl; then
for lib in orig ours; do
	d=$P/lib/$lib
	echo "@@keyctl-lib $lib $(LD_DEBUG=libs LD_LIBRARY_PATH=$d /bin/keyctl --version 2>&1 >/dev/null |
		sed -n 's/.*calling init: \(.*libkeyutils\.so.*\)/\1/p' | head -n 1)"
	for c in "$P"/keyctl/cases/*.sh; do
		n=${c##*/}
		n=${n%.sh}
		n=${n#[0-9][0-9]-}
		(cd /tmp && LC_ALL=C LD_LIBRARY_PATH=$d KEYCTL=/bin/keyctl CASE_TMP=/tmp/keyctl-case \
			TAG=$(date +%s)$$ KEYCTL_FAULT_SO=$P/keyctl/fault.so \
			KEYCTL_DH_VECTORS=$P/keyctl/rfc5114.h SHELL=/bin/bash \
			timeout 600 /bin/keyctl session - bash "$P/keyctl/case.sh" "$c" < /dev/null 2>&1
		echo "[case exit=$?]") > /tmp/keyctl.out
		echo "@@keyctl $lib $n"
		gzip -c /tmp/keyctl.out | base64
		echo "@@end"
	done
done
fi
if on difftest; then
W=/tmp/difftest
mkdir -p $W && cp "$P"/difftest/difftest "$P"/difftest/libmut.so "$P"/difftest/*.der "$P"/difftest/*.bin $W/
for run in "original a $P/lib/orig" "under-test b $P/lib/ours" "mutant c $P/lib/ours $W/libmut.so"; do
	set -- $run
	DIFFTEST_KEYCTL=/bin/keyctl DIFFTEST_TIMEOUT=900 sh "$P/difftest/run-one.sh" "$1" "$2" "$3" $W $4
	rc=$?
	echo "@@difftest $1 $rc"
	gzip -c $W/$1.out | base64
	echo "@@stderr"
	grep -v 'difftest handler: mapped' $W/run-$1/stderr | head -20 | gzip -c | base64
	echo "@@end"
done
fi
EOF
chmod 755 "$P/run"
echo "$VM_SUITES" > "$P/suites"

# The VM, with the PKCS#8 parser loaded (a module in Debian's kernels; the host tests its absence).
# TCG is slow: the differential test's upcalls take most of the time.
KEYUTILS_VM_MODULES=${KEYUTILS_VM_MODULES-pkcs8_key_parser} KEYUTILS_VM_TIMEOUT=${KEYUTILS_VM_TIMEOUT:-1500} "$VM_DIR/run.sh" "$arch" "$P" "$kid" > "$out/vm.out" 2> "$out/vm.err"
vrc=$?
grep '^# vm: \|^# payload' "$out/vm.out"
kt_count < <(sed -n -e "s/^ok - /ok - $name /p" -e "s/^not ok - /not ok - $name /p" "$out/vm.out")
kt_check "$name: the VM ran the payload to its end (exit $vrc)" 0 "$vrc"
[ "$vrc" = 0 ] || sed 's/^/#   /' "$out/vm.err" | tail -10

# The differential outputs: decoded, then judged as tests/difftest/run.sh judges them.
awk -v dir="$out" '
	/^@@difftest / { label = $2; print $3 > (dir "/" label ".rc"); f = dir "/" label ".out.b64"; next }
	/^@@stderr$/ { f = dir "/" label ".stderr.b64"; next }
	/^@@keyctl / { f = dir "/keyctl." $3 "." $2 ".b64"; next }
	/^@@end$/ { f = ""; next }
	f != "" { print > f }' "$out/vm.out"
if on difftest; then
for l in original under-test mutant; do
	base64 -d < "$out/$l.out.b64" 2> /dev/null | gunzip > "$out/$l.out" 2> /dev/null
	base64 -d < "$out/$l.stderr.b64" 2> /dev/null | gunzip > "$out/$l.stderr" 2> /dev/null
	rc=$(cat "$out/$l.rc" 2> /dev/null)
	if [ "${rc:-x}" = 0 ] && [ "$(tail -n 2 "$out/$l.out" | tr '\n' ' ')" = "### end complete " ] &&
		! grep -q '^difftest: FATAL' "$out/$l.stderr"; then
		kt_ok "$name difftest: run $l completed, library proven by /proc/self/maps"
	else
		kt_notok "$name difftest: run $l completed (exit ${rc:-none})"
		grep '^difftest: FATAL' "$out/$l.stderr" | head -5 | sed 's/^/#   /'
		tail -n 3 "$out/$l.out" 2> /dev/null | sed 's/^/#   /'
	fi
done
fi

if on keyctl; then
# Debian's keyctl: each case's output on Debian's library and on ours, normalised as tests/keyctl
# normalises them, must be the same; each library proven loaded by ld.so's log. (The build date
# in `keyctl --version` is the library's keyutils_build_string: each library's own.)
for lib in orig ours; do
	want=$(realpath "$P/lib/$lib/libkeyutils.so.1")
	got=$(sed -n "s/^@@keyctl-lib $lib //p" "$out/vm.out" | head -n 1)
	kt_check "$name keyctl: Debian's keyctl loads $lib's library" "$(basename "$(dirname "$want")")" \
		"$(basename "$(dirname "${got:-none/none}")")"
done
nk=0
for b in "$out"/keyctl.*.orig.b64; do
	[ -e "$b" ] || continue
	c=${b#"$out"/keyctl.}
	c=${c%.orig.b64}
	for lib in orig ours; do
		base64 -d < "$out/keyctl.$c.$lib.b64" 2> /dev/null | gunzip 2> /dev/null |
			perl "$KT_ROOT/tests/keyctl/normalize.pl" |
			sed 's/^\(keyctl from keyutils-[0-9.]*\) (Built [0-9-]*)$/\1 (Built DATE)/' > "$out/keyctl.$c.$lib"
	done
	nk=$((nk + 1))
	if ! grep -q '^\$ keyctl' "$out/keyctl.$c.orig"; then
		kt_notok "$name keyctl: $c ran keyctl commands"
		head -n 5 "$out/keyctl.$c.orig" | sed 's/^/#   /'
	elif grep -q 'SETUP FAILED' "$out/keyctl.$c.orig"; then
		kt_notok "$name keyctl: $c: $(grep -m1 'SETUP FAILED' "$out/keyctl.$c.orig")"
	elif cmp -s "$out/keyctl.$c.orig" "$out/keyctl.$c.ours"; then
		kt_ok "$name keyctl: $c: Debian's keyctl gives the same on both libraries"
	else
		kt_notok "$name keyctl: $c: Debian's keyctl gives the same on both libraries"
		diff -u "$out/keyctl.$c.orig" "$out/keyctl.$c.ours" | head -n 30 | sed 's/^/#   /'
	fi
done
# The success paths, where the kernel has them: DH and its KDF equal the published vectors; the
# PKCS#8 private key signs and decrypts as openssl does.
dh=$out/keyctl.dh_vectors.ours
if grep -q '^kernel has dh_compute: 1' "$dh"; then
	kt_check "$name keyctl: DH on a kernel with it: results equal to the published vectors" 8 \
		"$(grep -c ': equals the published vector' "$dh")"
else
	kt_check "$name keyctl: DH on a kernel without it: no result" 0 "$(grep -c 'equals\|DIFFERS' "$dh")"
fi
pk=$out/keyctl.pkey_private.ours
if grep -q '^private key loaded: yes' "$pk"; then
	kt_check "$name keyctl: the PKCS#8 key loads, signs and decrypts as openssl does" "6 0" \
		"$(grep -c ': yes$' "$pk") $(grep -c ': no$' "$pk")"
else
	kt_check "$name keyctl: a PKCS#8 key is refused by a kernel without the parser" 1 \
		"$(grep -c '^private key loaded: no' "$pk")"
fi
ncase=$(find "$P/keyctl/cases" -name '*.sh' | wc -l)
kt_check "$name keyctl: every case came back" "$ncase" "$nk"
fi
if on difftest; then
python3 "$KT_ROOT/tests/difftest/compare.py" "$out/original.out" "$out/under-test.out" > "$out/compare.txt"
kt_count < <(sed -n -e "s/^ok - /ok - $name difftest: /p" -e "s/^not ok - /not ok - $name difftest: /p" "$out/compare.txt")
summary=$(tail -n 1 "$out/compare.txt")
[[ "$summary" =~ ^[0-9]+\ passed ]] || kt_notok "$name difftest: compare.py gave a summary"
ncases=$(grep -c '^### ' "$out/original.out")
kt_check "$name difftest: at least 400 cases ran ($ncases)" yes "$([ "$ncases" -ge 400 ] && echo yes)"
ndiff=$(python3 "$KT_ROOT/tests/difftest/compare.py" "$out/original.out" "$out/mutant.out" --count-only)
kt_check "$name difftest: self-test: the mutated keyctl_read_alloc is seen ($ndiff cases)" yes \
	"$([[ "$ndiff" =~ ^[0-9]+$ ]] && [ "$ndiff" -gt 0 ] && echo yes)"
fi
kt_finish

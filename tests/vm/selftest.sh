#!/usr/bin/env bash
# Proves the VM lab on each architecture given: cross-compiles tests/vm/selftest/selftest.c with
# Debian's cross gcc against that architecture's Debian libkeyutils1, runs it in a VM
# (tests/vm/run.sh) and prints one TAP line per architecture after the VM's own output.
#
#   tests/vm/selftest.sh [ARCH[:KERNEL_ID]...]      (default: every architecture)
#
# Runs tests/vm/setup.sh --cc for them first (nothing is fetched twice). The VMs load the
# pkcs8_key_parser module unless KEYUTILS_VM_MODULES says otherwise. Where our library has been
# cross-built (build/<rust target>/lib/libkeyutils.so.1, or under $KEYUTILS_VM_BUILD), the
# program runs again against it, checking that it is the one mapped. Ends with
# "N passed, N failed" counting the architectures; exit 0 when all passed.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- $VM_ARCHES
"$VM_DIR/setup.sh" --cc "$@" > /dev/null || vm_die "tests/vm/setup.sh --cc $* failed"

# One RSA key for every VM's PKCS#8 check; without openssl that check is left out.
key=$VM_CACHE/selftest/key.p8
if [ ! -s "$key" ] && command -v openssl > /dev/null; then
	mkdir -p "${key%/*}"
	# genpkey's DER is PKCS#1 (RSAPrivateKey); pkcs8 -topk8 wraps it in PrivateKeyInfo.
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2> /dev/null |
		openssl pkcs8 -topk8 -nocrypt -outform DER -out "$key"
fi

summary=()
for spec in "$@"; do
	arch=${spec%%:*} kid=bookworm
	[ "$spec" != "$arch" ] && kid=${spec#*:}
	vm_config "$arch" "$kid"
	payload=$VM_CACHE/selftest/$arch-$kid
	rm -rf "$payload" && mkdir -p "$payload"
	lib=$(find "$VM_ROOT" -name libkeyutils.so.1 | head -n 1)
	echo "=== $spec"
	if ! "$VM_GCC" -O2 -Wall -Wextra -Werror -o "$payload/selftest" "$VM_DIR/selftest/selftest.c" "$lib"; then
		summary+=("not ok - $spec: selftest.c does not build with $VM_GCC")
		continue
	fi
	[ -s "$key" ] && cp "$key" "$payload/"
	# Our library, when the cross-build left it where `make TARGET=<rust target>` puts it
	# ($KEYUTILS_VM_BUILD, default build/, then <rust target>/lib): the same program runs a
	# second time against it.
	ours=${KEYUTILS_VM_BUILD:-$VM_REPO/build}/$VM_RUST/lib/libkeyutils.so.1
	[ -f "$ours" ] && mkdir -p "$payload/lib" && cp -L "$ours" "$payload/lib/"
	cat > "$payload/run" <<-'EOF'
		#!/bin/sh
		echo "# payload on $KEYUTILS_VM_ARCH ($KEYUTILS_VM_KERNEL_ID), $(date -u), $(id)"
		echo "# modules loaded: $(cut -d ' ' -f 1 /proc/modules | tr '\n' ' ')"
		./selftest || exit
		[ -f lib/libkeyutils.so.1 ] || exit 0
		echo "# again, against /payload/lib/libkeyutils.so.1"
		LD_LIBRARY_PATH=/payload/lib SELFTEST_LIB=/payload/lib/ exec ./selftest
	EOF
	chmod 755 "$payload/run"
	KEYUTILS_VM_MODULES=${KEYUTILS_VM_MODULES-pkcs8_key_parser} \
		"$VM_DIR/run.sh" "$arch" "$payload" "$kid" 2>&1 | tee "$payload.out"
	rc=${PIPESTATUS[0]}
	out=$(cat "$payload.out")
	bad=$(grep -c '^not ok' <<< "$out")
	good=$(grep -c '^ok' <<< "$out")
	times=$(grep -o 'boot [0-9.]* s, payload [0-9.]* s, total [0-9.]* s' <<< "$out")
	kernel=$(sed -n 's/^# vm: kernel \([^ ]*\).*/\1/p' <<< "$out")
	if [ "$rc" = 0 ] && [ "$bad" = 0 ] && [ "$good" -gt 0 ]; then
		summary+=("ok - $spec: $good checks on kernel $kernel ($times)")
	else
		summary+=("not ok - $spec: exit $rc, $good ok, $bad not ok, kernel ${kernel:-?} (${times:-no times})")
	fi
done
kt_count < <(printf '%s\n' "${summary[@]}")
kt_finish

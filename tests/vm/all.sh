#!/usr/bin/env bash
# `make check-vm-all`: tests/vm/suites.sh in the VM of every architecture on Debian 12's kernel,
# and amd64 also on the newest kernel apt offers (bookworm-backports); or the ARCH[:KERNEL_ID]s
# given. Prints every VM's TAP lines, then a table (kernel, counts, time) and "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$KT_ROOT/mk/arch.sh"
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(amd64 amd64:bookworm-backports arm64 armhf armel i386 ppc64el s390x)
# The VMs run side by side, KEYUTILS_VM_JOBS at a time (default: one per processor; each VM is
# one single-threaded TCG process). What they download and install is set up first, one after
# the other (apt and dpkg take locks), and so is each architecture's library (one make at a time
# in the tree).
jobs=${KEYUTILS_VM_JOBS:-$(nproc)}
for spec in "${specs[@]}"; do
	log=$KEYUTILS_TEST_OUT/vm/${spec/:/-}.setup.log
	mkdir -p "${log%/*}"
	"$here/setup.sh" --cc "$spec" > "$log" 2>&1 || kt_notok "vm $spec: tests/vm/setup.sh --cc (log: $log)"
	triple=$(arch_lookup "${spec%%:*}" deb triple) || continue
	[ "${spec%%:*}" = "$(dpkg --print-architecture)" ] ||
		make -C "$KT_ROOT" TARGET="$triple" >> "$log" 2>&1 || kt_notok "vm $spec: make TARGET=$triple (log: $log)"
done
run_one() { # SPEC: suites.sh's output in its log, its exit code and time beside it
	local log=$KEYUTILS_TEST_OUT/vm/${1/:/-}.log start=$SECONDS rc
	bash "$here/suites.sh" "$1" > "$log" 2>&1
	rc=$?
	echo "$rc $((SECONDS - start))" > "$log.rc"
}
for spec in "${specs[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	rm -f "$KEYUTILS_TEST_OUT/vm/${spec/:/-}.log.rc"
	run_one "$spec" &
done
wait
rows=()
for spec in "${specs[@]}"; do
	log=$KEYUTILS_TEST_OUT/vm/${spec/:/-}.log
	read -r rc secs < "$log.rc" 2> /dev/null || { rc=none secs=0; }
	grep -E '^(not )?ok - |^# vm: boot' "$log"
	ok=$(grep -c '^ok - ' "$log") bad=$(grep -c '^not ok - ' "$log")
	KT_PASS=$((KT_PASS + ok)) KT_FAIL=$((KT_FAIL + bad))
	[ "$rc" = 0 ] || [ "$bad" -gt 0 ] || kt_notok "vm $spec: suites.sh exited $rc (log: $log)"
	kernel=$(sed -n 's/^# vm: kernel \([^ ]*\).*/\1/p' "$log" | head -n 1)
	rows+=("$(printf '%-26s %-26s %6d %6d %6d s' "$spec" "${kernel:-?}" "$ok" "$bad" "$secs")")
done
printf '# %-26s %-26s %6s %6s %8s\n' vm kernel passed failed time
printf '# %s\n' "${rows[@]}"
kt_finish

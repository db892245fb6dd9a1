#!/usr/bin/env bash
# `make check-vm-all`: tests/vm/suites.sh in the VM of every architecture on Debian 12's kernel,
# and amd64 also on the newest kernel apt offers (bookworm-backports); or the ARCH[:KERNEL_ID]s
# given. Prints every VM's TAP lines, then a table (kernel, counts, time) and "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
specs=("$@")
[ ${#specs[@]} -gt 0 ] || specs=(amd64 amd64:bookworm-backports arm64 armhf armel i386 ppc64el s390x)
rows=()
for spec in "${specs[@]}"; do
	log=$KEYUTILS_TEST_OUT/vm/${spec/:/-}.log
	mkdir -p "${log%/*}"
	start=$SECONDS
	bash "$here/suites.sh" "$spec" > "$log" 2>&1
	rc=$?
	grep -E '^(not )?ok - |^# vm: boot' "$log"
	ok=$(grep -c '^ok - ' "$log") bad=$(grep -c '^not ok - ' "$log")
	KT_PASS=$((KT_PASS + ok)) KT_FAIL=$((KT_FAIL + bad))
	[ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] || kt_notok "vm $spec: suites.sh exited $rc (log: $log)"
	kernel=$(sed -n 's/^# vm: kernel \([^ ]*\).*/\1/p' "$log" | head -n 1)
	rows+=("$(printf '%-26s %-26s %6d %6d %6d s' "$spec" "${kernel:-?}" "$ok" "$bad" $((SECONDS - start)))")
done
printf '# %-26s %-26s %6s %6s %8s\n' vm kernel passed failed time
printf '# %s\n' "${rows[@]}"
kt_finish

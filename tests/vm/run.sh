#!/usr/bin/env bash
# Boots a qemu-system VM of a Debian architecture with that architecture's Debian kernel, runs a
# payload in it and reports what the payload printed and its exit code.
#
#   tests/vm/run.sh ARCH PAYLOAD_DIR [KERNEL_ID]
#
# PAYLOAD_DIR is copied to /payload in an initramfs that also holds the architecture's glibc,
# libgcc_s, Debian's libkeyutils1 and busybox (from tests/vm/setup.sh's cache); /init mounts
# proc, sys, devtmpfs, devpts and a tmpfs on /tmp, then runs /payload/run (executable, any
# language the VM can run: `#!/bin/sh` is busybox ash) as root in /payload, and powers off.
#
# Output (stdout): "# vm: ..." lines from this script (the VM, the kernel's `uname -r`, times)
# around the payload's own lines (its stdout and stderr as they reached the console, carriage
# returns dropped, kernel messages excluded). Exit code: the payload's; 124 when the VM did not
# finish within KEYUTILS_VM_TIMEOUT; 125 when it stopped without reporting the payload's exit
# code (kernel panic, qemu failure); 2 for a usage or setup error. Diagnostics go to stderr.
#
# Environment: KEYUTILS_VM_CACHE (cache, default build/vm-cache), KEYUTILS_VM_TIMEOUT (seconds,
# default 300), KEYUTILS_VM_MEM (MiB, default 1024; armel:rpi's machine has exactly 512), KEYUTILS_VM_SMP (default 1),
# KEYUTILS_VM_ACCEL (tcg, kvm or auto: kvm when the host can run ARCH with /dev/kvm; default tcg),
# KEYUTILS_VM_APPEND (more kernel parameters), KEYUTILS_VM_MODULES (kernel modules to load
# before the payload runs, e.g. "pkcs8_key_parser"; from crypto/, security/, lib/, arch/), KEYUTILS_VM_LOG (console log file; default
# $KEYUTILS_VM_CACHE/logs/ARCH-KERNEL_ID.log), KEYUTILS_VM_KEEP=1 (keep the work directory).
# Inside the VM the payload sees KEYUTILS_VM=1, KEYUTILS_VM_ARCH and KEYUTILS_VM_KERNEL_ID.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] && [ $# -le 3 ] || vm_die "usage: $0 ARCH PAYLOAD_DIR [KERNEL_ID]"
vm_config "$1" "${3:-}"
payload=$2
[ -d "$payload" ] || vm_die "no payload directory $payload"
[ -x "$payload/run" ] || vm_die "$payload/run is missing or not executable"
[ -f "$VM_ROOT/.debs" ] && [ -f "$VM_KDIR/image" ] ||
	vm_die "$VM_ARCH:$VM_KERNEL_ID is not in $VM_CACHE: run tests/vm/setup.sh $VM_ARCH:$VM_KERNEL_ID"
command -v "$VM_QEMU" > /dev/null || vm_die "$VM_QEMU is missing: run tests/vm/setup.sh $VM_ARCH"
command -v cpio > /dev/null || vm_die "cpio is missing: run tests/vm/setup.sh $VM_ARCH"

timeout_s=${KEYUTILS_VM_TIMEOUT:-300}
log=${KEYUTILS_VM_LOG:-$VM_CACHE/logs/$VM_ARCH-$VM_KERNEL_ID.log}
accel=${KEYUTILS_VM_ACCEL:-tcg}
if [ "$accel" = auto ]; then
	accel=tcg
	case $(vm_host_arch):$VM_ARCH in
	amd64:amd64 | amd64:i386 | arm64:arm64)
		[ -r /dev/kvm ] && [ -w /dev/kvm ] && accel=kvm ;;
	esac
fi
case $accel in
tcg) cpu=("${VM_QEMU_TCG_CPU[@]}") ;;
kvm) cpu=("${VM_QEMU_KVM_CPU[@]}") ;;
*) vm_die "KEYUTILS_VM_ACCEL must be tcg, kvm or auto, not '$accel'" ;;
esac

mkdir -p "$VM_CACHE/work" "$(dirname "$log")"
work=$(mktemp -d "$VM_CACHE/work/$VM_ARCH.XXXXXX")
[ "${KEYUTILS_VM_KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

# The markers carry a nonce so that nothing the payload prints can fake them.
mark="@@keyutils-vm-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')@@"

# The initramfs: the cached userland, the payload, /init, users for setresuid tests.
root=$work/root
cp -a "$VM_ROOT" "$root" && rm -f "$root/.debs"
mkdir -p "$root/payload" "$root/etc" "$root/root" "$root/usr/lib/$VM_TRIPLET"
cp -a "$payload/." "$root/payload/"
ln -s busybox "$root/bin/sh"
cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
keytest:x:1000:1000:keyutils test user:/tmp:/bin/sh
keytest2:x:1001:1001:second keyutils test user:/tmp:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/sh
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
keytest:x:1000:
keytest2:x:1001:
nogroup:x:65534:
EOF
cat > "$root/etc/keyutils-vm.env" <<EOF
export KEYUTILS_VM=1 KEYUTILS_VM_ARCH=$VM_ARCH KEYUTILS_VM_KERNEL_ID=$VM_KERNEL_ID
EOF
cat > "$root/init" <<EOF
#!/bin/sh
# /init of a keyutils VM (tests/vm/run.sh): mount, run /payload/run, report its code, power off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /run /sbin /usr/bin /usr/sbin /var/tmp
/bin/busybox --install -s
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp
export LANG=C TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2> /dev/null || mount -t tmpfs -o mode=0755 tmpfs /dev
[ -c /dev/null ] || mknod -m 666 /dev/null c 1 3
[ -c /dev/urandom ] || mknod -m 666 /dev/urandom c 1 9
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
hostname keyutils-vm
ip link set lo up 2> /dev/null
# The clock comes from the machine's RTC; busybox's hwclock reads it again if the kernel did not.
[ "\$(date +%Y)" -gt 2000 ] || hwclock -s -u 2> /dev/null
. /etc/keyutils-vm.env
# Only emergencies reach the console from now on, so the payload's lines are not interleaved.
echo 1 > /proc/sys/kernel/printk
echo "$mark BEGIN \$(uname -r) \$(uname -m) \$(cut -d ' ' -f 1 /proc/uptime)"
# Modules (KEYUTILS_VM_MODULES), dependencies first; one already loaded is no failure.
while read -r ko; do
	grep -q "^\$(basename "\$ko" .ko | tr - _) " /proc/modules && continue
	insmod "/lib/modules/\$ko" || echo "# vm: insmod \$ko failed"
done < /etc/keyutils-vm.modules
cd /payload && ./run < /dev/console > /dev/console 2>&1
rc=\$?
echo "$mark END \$rc \$(cut -d ' ' -f 1 /proc/uptime)"
sync
poweroff -f
reboot -f
EOF
chmod 755 "$root/init"

# Modules asked for, with what they depend on (modules.dep lists a module's dependencies
# transitively, the ones to load last first), in the order /init loads them.
: > "$root/etc/keyutils-vm.modules"
for mod in ${KEYUTILS_VM_MODULES:-}; do
	mdir=$VM_KDIR/modules
	[ -f "$mdir/modules.dep" ] || vm_die "no modules for $VM_ARCH:$VM_KERNEL_ID: run tests/vm/setup.sh $VM_ARCH:$VM_KERNEL_ID"
	line=$(awk -v n="${mod//-/_}" -F: '{ f = $1; sub(/.*\//, "", f); sub(/\.ko.*/, "", f); gsub(/-/, "_", f)
		if (f == n) { print; exit } }' "$mdir/modules.dep")
	if [ -z "$line" ]; then
		grep -qE "/${mod//[-_]/[-_]}\.ko" "$mdir/modules.builtin" 2> /dev/null && continue
		vm_die "module $mod is neither in $mdir (crypto, security, lib, arch) nor built in"
	fi
	deps=(${line#*:})
	for ((i = ${#deps[@]} - 1; i >= 0; i--)); do echo "${deps[i]}"; done >> "$root/etc/keyutils-vm.modules"
	echo "${line%%:*}" >> "$root/etc/keyutils-vm.modules"
done
while read -r ko; do
	mkdir -p "$root/lib/modules/$(dirname "$ko")"
	cp "$VM_KDIR/modules/$ko" "$root/lib/modules/$ko"
done < "$root/etc/keyutils-vm.modules"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) > "$work/initrd" ||
	vm_die "building the initramfs failed"

cmd=(timeout -k 10 "$timeout_s" "$VM_QEMU" "${VM_MACHINE[@]}" -accel "$accel" "${cpu[@]}"
	-m "${KEYUTILS_VM_MEM:-$VM_MEM}" -smp "${KEYUTILS_VM_SMP:-1}"
	-kernel "$VM_KDIR/image" -initrd "$work/initrd" ${VM_DTB:+-dtb "$VM_KDIR/dtb"}
	-append "console=$VM_CONSOLE rdinit=/init panic=-1 $VM_APPEND ${KEYUTILS_VM_APPEND:-}"
	-nic none -no-reboot -display none -monitor none -serial stdio)
echo "# vm: $VM_ARCH on $(cat "$VM_KDIR/package") ($VM_KERNEL_ID), $(echo $VM_QEMU ${VM_MACHINE[*]} -accel $accel ${cpu[*]}), initramfs $(($(stat -c %s "$work/initrd") / 1024)) KiB"

# Reads the console as it comes: payload lines go to stdout, the whole console to the log.
# A line that holds the END marker after payload text (no final newline) is split.
t0=$EPOCHREALTIME
filter() {
	local state=boot line tb="" te="" rc="" pre
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line//$'\r'/}
		printf '%s\n' "$line" >&3
		case $state:$line in
		boot:"$mark BEGIN "*)
			state=run tb=$EPOCHREALTIME
			set -- ${line#"$mark BEGIN "}
			echo "# vm: kernel $1 ($2), payload started at uptime ${3}s" ;;
		run:*"$mark END "*)
			pre=${line%%"$mark END "*}
			[ -n "$pre" ] && printf '%s\n' "$pre"
			set -- ${line#*"$mark END "}
			state=done te=$EPOCHREALTIME rc=$1
			echo "# vm: payload exit code $rc at uptime ${2}s" ;;
		run:*) printf '%s\n' "$line" ;;
		esac
	done
	echo "$state ${tb:-$EPOCHREALTIME} ${te:-$EPOCHREALTIME} ${rc:-}" > "$work/result"
}
"${cmd[@]}" < /dev/null 2> "$work/qemu.err" | filter 3> "$log"
qrc=${PIPESTATUS[0]}
t1=$EPOCHREALTIME
read -r state tb te rc < "$work/result"
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
echo "# vm: boot $(secs "$t0" "$tb") s, payload $(secs "$tb" "$te") s, total $(secs "$t0" "$t1") s; console log $log"
if [ -s "$work/qemu.err" ]; then
	sed 's/^/# vm: qemu: /' "$work/qemu.err" | grep -v 'cap-.*not supported by KVM\|TCG doesn.t support' | head -n 20 >&2
fi
case $state in
done) exit "$rc" ;;
*)
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		echo "run.sh: $VM_ARCH:$VM_KERNEL_ID: the VM did not finish within ${timeout_s}s ($state stage); see $log" >&2
		exit 124
	fi
	echo "run.sh: $VM_ARCH:$VM_KERNEL_ID: the VM stopped (qemu exit $qrc) during the $state stage without the payload's exit code; see $log" >&2
	tail -n 15 "$log" | sed 's/^/#   /' >&2
	exit 125 ;;
esac

# Sourced by setup.sh and run.sh: the one table of what a VM of each Debian architecture needs
# (packages, qemu machine, console) and where the cache lives. Nothing here touches the system.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_REPO=$(cd "$VM_DIR/../.." && pwd)
VM_CACHE=${KEYUTILS_VM_CACHE:-$VM_REPO/build/vm-cache}
VM_ARCHES="amd64 arm64 armhf armel i386 ppc64el s390x"
# Userland packages of the architecture that every initramfs carries; KEYUTILS_VM_EXTRA_DEBS adds
# more (e.g. "keyutils" for Debian's keyctl). libgcc-s1 because libc6 depends on it and Rust
# programs load it.
VM_DEBS="libc6 libgcc-s1 busybox-static libkeyutils1 ${KEYUTILS_VM_EXTRA_DEBS:-}"
# Kernel options the keyring paths of libkeyutils depend on; setup.sh reports them per kernel.
VM_KCONFIG="CONFIG_KEYS CONFIG_KEYS_REQUEST_CACHE CONFIG_PERSISTENT_KEYRINGS CONFIG_BIG_KEYS
	CONFIG_TRUSTED_KEYS CONFIG_ENCRYPTED_KEYS CONFIG_KEY_DH_OPERATIONS CONFIG_KEY_NOTIFICATIONS
	CONFIG_ASYMMETRIC_KEY_TYPE CONFIG_ASYMMETRIC_PUBLIC_KEY_SUBTYPE CONFIG_X509_CERTIFICATE_PARSER
	CONFIG_PKCS8_PRIVATE_KEY_PARSER CONFIG_CRYPTO_DH CONFIG_CRYPTO_RSA CONFIG_CRYPTO_ECDSA"

vm_die() { echo "${0##*/}: error: $*" >&2; exit 2; }

# vm_config ARCH [KERNEL_ID]: sets the VM_* variables below for that architecture and kernel
# (VM_TRIPLET: Debian's multiarch triplet; VM_RUST: the Rust target whose build runs there).
# KERNEL_ID is "bookworm" (Debian 12's kernel, the default) or "bookworm-backports"; for armel
# also "rpi". armel's default runs its userland on armhf's armmp-lpae kernel (ARMv7 runs ARMv5
# soft-float EABI binaries); "rpi" boots armel's own rpi kernel (ARMv6) on qemu's Raspberry Pi Zero.
vm_config() {
	VM_ARCH=$1
	VM_KERNEL_ID=${2:-bookworm}
	case $VM_ARCH:$VM_KERNEL_ID in
	*:bookworm | *:bookworm-backports | armel:rpi) ;;
	*) vm_die "unknown KERNEL_ID '$VM_KERNEL_ID' (bookworm or bookworm-backports; armel also rpi)" ;;
	esac
	VM_KARCH=$VM_ARCH            # architecture of the kernel package
	VM_KIMAGE=vmlinuz            # file in /boot/ of the kernel package
	VM_DTB=""                    # device tree from the kernel package, for machines without one
	VM_MEM=1024 VM_APPEND=""     # memory (MiB), kernel parameters the machine needs
	VM_MACHINE=() VM_QEMU_TCG_CPU=() VM_QEMU_KVM_CPU=()
	case $VM_ARCH in
	amd64)
		VM_TRIPLET=x86_64-linux-gnu VM_RUST=x86_64-unknown-linux-gnu VM_GCC=x86_64-linux-gnu-gcc VM_LOADER=/lib64/ld-linux-x86-64.so.2
		VM_FLAVOUR=amd64 VM_QEMU=qemu-system-x86_64 VM_QEMU_PKG=qemu-system-x86
		VM_MACHINE=(-M q35) VM_QEMU_TCG_CPU=(-cpu max) VM_QEMU_KVM_CPU=(-cpu host)
		VM_CONSOLE=ttyS0 ;;
	i386)
		VM_TRIPLET=i386-linux-gnu VM_RUST=i686-unknown-linux-gnu VM_GCC=i686-linux-gnu-gcc VM_LOADER=/lib/ld-linux.so.2
		VM_FLAVOUR=686 VM_QEMU=qemu-system-i386 VM_QEMU_PKG=qemu-system-x86
		VM_MACHINE=(-M pc) VM_QEMU_TCG_CPU=(-cpu max) VM_QEMU_KVM_CPU=(-cpu host)
		VM_CONSOLE=ttyS0 ;;
	arm64)
		VM_TRIPLET=aarch64-linux-gnu VM_RUST=aarch64-unknown-linux-gnu VM_GCC=aarch64-linux-gnu-gcc VM_LOADER=/lib/ld-linux-aarch64.so.1
		VM_FLAVOUR=arm64 VM_QEMU=qemu-system-aarch64 VM_QEMU_PKG=qemu-system-arm
		# pauth-impdef: the architected pointer-auth algorithm is slow under TCG.
		VM_MACHINE=(-M virt) VM_QEMU_TCG_CPU=(-cpu max,pauth-impdef=on)
		VM_CONSOLE=ttyAMA0 ;;
	armhf)
		VM_TRIPLET=arm-linux-gnueabihf VM_RUST=armv7-unknown-linux-gnueabihf VM_GCC=arm-linux-gnueabihf-gcc VM_LOADER=/lib/ld-linux-armhf.so.3
		VM_FLAVOUR=armmp-lpae VM_QEMU=qemu-system-arm VM_QEMU_PKG=qemu-system-arm
		VM_MACHINE=(-M virt) VM_QEMU_TCG_CPU=(-cpu cortex-a15)
		VM_CONSOLE=ttyAMA0 ;;
	armel)
		VM_TRIPLET=arm-linux-gnueabi VM_RUST=armv5te-unknown-linux-gnueabi VM_GCC=arm-linux-gnueabi-gcc VM_LOADER=/lib/ld-linux.so.3
		VM_KARCH=armhf
		VM_FLAVOUR=armmp-lpae VM_QEMU=qemu-system-arm VM_QEMU_PKG=qemu-system-arm
		VM_MACHINE=(-M virt) VM_QEMU_TCG_CPU=(-cpu cortex-a15)
		VM_CONSOLE=ttyAMA0
		if [ "$VM_KERNEL_ID" = rpi ]; then
			# qemu's raspi0 has no power domain block: its driver's probe faults unless skipped.
			VM_KARCH=armel VM_FLAVOUR=rpi VM_MACHINE=(-M raspi0) VM_QEMU_TCG_CPU=()
			VM_DTB=bcm2835-rpi-zero.dtb VM_MEM=512
			VM_APPEND=initcall_blacklist=bcm2835_power_driver_init
		fi ;;
	ppc64el)
		VM_TRIPLET=powerpc64le-linux-gnu VM_RUST=powerpc64le-unknown-linux-gnu VM_GCC=powerpc64le-linux-gnu-gcc VM_LOADER=/lib64/ld64.so.2
		VM_FLAVOUR=powerpc64le VM_QEMU=qemu-system-ppc64 VM_QEMU_PKG=qemu-system-ppc VM_KIMAGE=vmlinux
		# VOF (virtual open firmware) boots in about a second where SLOF takes much longer.
		VM_MACHINE=(-M pseries,x-vof=on)
		VM_CONSOLE=hvc0 ;;
	s390x)
		VM_TRIPLET=s390x-linux-gnu VM_RUST=s390x-unknown-linux-gnu VM_GCC=s390x-linux-gnu-gcc VM_LOADER=/lib/ld64.so.1
		VM_FLAVOUR=s390x VM_QEMU=qemu-system-s390x VM_QEMU_PKG=qemu-system-misc
		VM_MACHINE=(-M s390-ccw-virtio)
		VM_CONSOLE=ttysclp0 ;;
	riscv64) vm_die "riscv64: Debian 12 (bookworm) has no riscv64 port, so no kernel or libc to boot" ;;
	*) vm_die "unknown ARCH '$VM_ARCH' (one of: $VM_ARCHES)" ;;
	esac
	VM_ROOT=$VM_CACHE/root/$VM_ARCH                        # extracted userland
	VM_DEBDIR=$VM_CACHE/debs/$VM_ARCH                      # downloaded .debs of the userland
	VM_KDIR=$VM_CACHE/kernel/$VM_KARCH-$VM_FLAVOUR-$VM_KERNEL_ID # kernel image, config, version
}

# The host's architecture, as dpkg names it.
vm_host_arch() { dpkg --print-architecture; }

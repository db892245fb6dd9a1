#!/usr/bin/env bash
# Fetches and caches what tests/vm/run.sh needs to boot a VM of each Debian architecture given:
# that architecture's libc6, libgcc-s1, busybox-static and libkeyutils1 (unpacked into one root),
# Debian's kernel for it (image, config), and the host's qemu-system package. With --cc it also
# installs the cross C compiler and libc headers for each architecture (tests/vm/selftest uses them).
#
#   tests/vm/setup.sh [--cc] ARCH[:KERNEL_ID]...
#
# ARCH is a Debian architecture (amd64 arm64 armhf armel i386 ppc64el s390x); KERNEL_ID is
# bookworm (default) or bookworm-backports. The cache is $KEYUTILS_VM_CACHE (default
# build/vm-cache). Running it again downloads nothing that is already there; it always ends by
# printing what the cache holds for each ARCH given.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 [--cc] ARCH[:KERNEL_ID]... (ARCH: $VM_ARCHES)" >&2; exit 2; }
cc=0 specs=()
for a in "$@"; do
	case $a in
	--cc) cc=1 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*) specs+=("$a") ;;
	esac
done
[ ${#specs[@]} -gt 0 ] || usage

APT=(apt-get -q -o DPkg::Lock::Timeout=600 -o APT::Sandbox::User=root)
host=$(vm_host_arch)

# What the system must provide before anything is downloaded: foreign dpkg architectures, the
# backports source, host packages.
foreign=() backports=0 host_pkgs=(cpio kmod)
for s in "${specs[@]}"; do
	vm_config "${s%%:*}" "$([ "${s#*:}" != "$s" ] && echo "${s#*:}")"
	for a in "$VM_ARCH" "$VM_KARCH"; do
		[ "$a" = "$host" ] || foreign+=("$a")
	done
	[ "$VM_KERNEL_ID" = bookworm-backports ] && backports=1
	host_pkgs+=("$VM_QEMU_PKG")
	if [ $cc = 1 ]; then
		if [ "$VM_ARCH" = "$host" ]; then host_pkgs+=(gcc libc6-dev)
		else host_pkgs+=("gcc-${VM_GCC%-gcc}" "libc6-dev-$VM_ARCH-cross"); fi
	fi
done

need_update=0
known=" $host $(dpkg --print-foreign-architectures | tr '\n' ' ') "
for a in $(printf '%s\n' "${foreign[@]}" | sort -u); do
	case $known in *" $a "*) continue ;; esac
	echo "setup: dpkg --add-architecture $a"
	dpkg --add-architecture "$a"
	need_update=1
done

# The backports suite, on the mirror the system's Debian source already uses.
bpo_list=/etc/apt/sources.list.d/keyutils-vm-backports.sources
if [ $backports = 1 ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2> /dev/null |
		grep -E '^(URIs:|deb )' | grep -oE 'https?://[^ ]*/debian/?( |$)' | sed -n '1{s/ //g;p;}' || true)
	[ -n "$mirror" ] || vm_die "no Debian mirror found in /etc/apt to add bookworm-backports from"
	echo "setup: adding bookworm-backports from $mirror ($bpo_list)"
	cat > "$bpo_list" <<-EOF
		# Added by keyutils' tests/vm/setup.sh for the backports kernel of its VM lab.
		Types: deb
		URIs: $mirror
		Suites: bookworm-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	need_update=1
fi
# Lists never fetched (a fresh machine, or an architecture added by someone else). Looked for
# as files: each apt-cache call takes seconds here.
lists=/var/lib/apt/lists
for a in $(printf '%s\n' "${foreign[@]}" | sort -u); do
	compgen -G "$lists/*_dists_bookworm_main_binary-${a}_Packages*" > /dev/null || need_update=1
done
if [ $backports = 1 ]; then
	compgen -G "$lists/*_dists_bookworm-backports_main_binary-*_Packages*" > /dev/null || need_update=1
fi
# apt-get update does not wait for the lists lock as DPkg::Lock::Timeout makes install wait.
if [ $need_update = 1 ]; then
	echo "setup: apt-get update"
	for try in $(seq 60); do
		"${APT[@]}" update > /dev/null 2>&1 && break
		[ "$try" = 60 ] && { "${APT[@]}" update > /dev/null || vm_die "apt-get update failed"; }
		sleep 10
	done
fi

missing=()
for p in $(printf '%s\n' "${host_pkgs[@]}" | sort -u); do
	[[ $(dpkg-query -W -f '${Status}' "$p" 2> /dev/null) == *"ok installed" ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends "${missing[@]}" > /dev/null
fi

# apt-get download PKG into DIR unless a .deb of PKG is there already. PKG may carry /release.
download() { # dir pkg[:arch][/release]
	local dir=$1 spec=$2 name=${2%%[:/]*}
	mkdir -p "$dir"
	compgen -G "$dir/${name}_*.deb" > /dev/null && return 0
	(cd "$dir" && "${APT[@]}" download "$spec" > /dev/null) ||
		vm_die "apt-get download $spec failed (no such package in that suite?)"
	compgen -G "$dir/${name}_*.deb" > /dev/null || vm_die "apt-get download $spec left no .deb in $dir"
}

# The userland: every .deb unpacked into one root, docs and charset converters dropped (the
# initramfs is copied in full into each VM's memory). Rebuilt when the set of .debs changes.
setup_root() {
	local p
	for p in $VM_DEBS; do download "$VM_DEBDIR" "$p:$VM_ARCH"; done
	local want have=""
	want=$(cd "$VM_DEBDIR" && for p in $VM_DEBS; do ls "${p}"_*.deb; done | sort)
	[ -f "$VM_ROOT/.debs" ] && have=$(cat "$VM_ROOT/.debs")
	[ "$want" = "$have" ] && return 0
	echo "setup: unpacking the $VM_ARCH userland into $VM_ROOT"
	rm -rf "$VM_ROOT" && mkdir -p "$VM_ROOT"
	for p in $want; do dpkg-deb -x "$VM_DEBDIR/$p" "$VM_ROOT"; done
	rm -rf "$VM_ROOT"/usr/share/{doc,man,locale,lintian,info} "$VM_ROOT"/usr/lib/*/gconv
	# The loader link may be absolute (ppc64el's is): it resolves inside the VM, not here.
	[ -e "$VM_ROOT$VM_LOADER" ] || [ -L "$VM_ROOT$VM_LOADER" ] || vm_die "$VM_ARCH: no dynamic loader at $VM_LOADER after unpacking"
	[ -x "$VM_ROOT/bin/busybox" ] || vm_die "$VM_ARCH: no /bin/busybox after unpacking"
	echo "$want" > "$VM_ROOT/.debs"
}

# The kernel: the flavour's metapackage names the versioned image package; only /boot/ of it is
# unpacked (the image and its config), the .deb stays for its modules.
setup_kernel() {
	[ -f "$VM_KDIR/image" ] && return 0
	local rel="" meta dep
	[ "$VM_KERNEL_ID" = bookworm-backports ] && rel=/bookworm-backports
	meta=linux-image-$VM_FLAVOUR
	echo "setup: fetching $meta:$VM_KARCH$rel"
	rm -rf "$VM_KDIR.tmp" && mkdir -p "$VM_KDIR.tmp"
	download "$VM_KDIR.tmp/meta" "$meta:$VM_KARCH$rel"
	dep=$(dpkg-deb -f "$VM_KDIR.tmp/meta/${meta}"_*.deb Depends | tr ',' '\n' |
		grep -oE 'linux-image-[0-9][^ ]*' | head -n 1)
	[ -n "$dep" ] || vm_die "$meta:$VM_KARCH$rel depends on no versioned linux-image package"
	download "$VM_KDIR.tmp" "$dep:$VM_KARCH$rel"
	rm -rf "$VM_KDIR.tmp/meta"
	dpkg-deb --fsys-tarfile "$VM_KDIR.tmp/${dep}"_*.deb | tar -x -C "$VM_KDIR.tmp" ./boot
	local img cfg
	img=$(ls "$VM_KDIR.tmp/boot/$VM_KIMAGE"-* | head -n 1)
	cfg=$(ls "$VM_KDIR.tmp/boot/config-"* | head -n 1)
	[ -f "$img" ] && [ -f "$cfg" ] || vm_die "$dep has no /boot/$VM_KIMAGE-* or /boot/config-*"
	mv "$img" "$VM_KDIR.tmp/image" && mv "$cfg" "$VM_KDIR.tmp/config"
	if [ -n "$VM_DTB" ]; then
		dpkg-deb --fsys-tarfile "$VM_KDIR.tmp/${dep}"_*.deb | tar -x -C "$VM_KDIR.tmp" --wildcards "*/$VM_DTB"
		mv "$(find "$VM_KDIR.tmp" -name "$VM_DTB" | head -n 1)" "$VM_KDIR.tmp/dtb"
		rm -rf "$VM_KDIR.tmp/usr"
	fi
	echo "${cfg##*/config-}" > "$VM_KDIR.tmp/release"
	local deb
	deb=$(ls "$VM_KDIR.tmp/${dep}"_*.deb)
	echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" > "$VM_KDIR.tmp/package"
	rm -rf "$VM_KDIR.tmp/boot" "$VM_KDIR"
	mv "$VM_KDIR.tmp" "$VM_KDIR"
}

# The kernel's modules that key types and their crypto can need (crypto/, security/, lib/,
# arch/), unpacked uncompressed into modules/ with a modules.dep made by the host's depmod:
# run.sh loads the ones KEYUTILS_VM_MODULES names. The rest of the tree (drivers) is not kept.
setup_modules() {
	[ -f "$VM_KDIR/modules/modules.dep" ] && return 0
	local rel deb m
	rel=$(cat "$VM_KDIR/release")
	deb=$(ls "$VM_KDIR"/linux-image-*.deb)
	echo "setup: unpacking the key-related modules of $rel"
	rm -rf "$VM_KDIR/modules" "$VM_KDIR/mod.tmp" && mkdir -p "$VM_KDIR/mod.tmp"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$VM_KDIR/mod.tmp" --wildcards \
		"*/modules/$rel/kernel/crypto/*" "*/modules/$rel/kernel/security/*" \
		"*/modules/$rel/kernel/lib/*" "*/modules/$rel/kernel/arch/*" \
		"*/modules/$rel/modules.builtin*" "*/modules/$rel/modules.order" 2> /dev/null || true
	m=$(find "$VM_KDIR/mod.tmp" -type d -path "*/modules/$rel" | head -n 1)
	[ -n "$m" ] || vm_die "$deb holds no modules/$rel"
	find "$m" -name '*.ko.xz' -exec xz -d {} +
	find "$m" -name '*.ko.zst' -exec zstd -q -d --rm {} +
	mkdir -p "$VM_KDIR/mod.tmp/b/lib/modules"
	[ "$m" = "$VM_KDIR/mod.tmp/b/lib/modules/$rel" ] || mv "$m" "$VM_KDIR/mod.tmp/b/lib/modules/$rel"
	depmod -b "$VM_KDIR/mod.tmp/b" "$rel" 2> /dev/null || vm_die "depmod failed for $rel"
	mv "$VM_KDIR/mod.tmp/b/lib/modules/$rel" "$VM_KDIR/modules"
	rm -rf "$VM_KDIR/mod.tmp"
}

kconfig() { # the VM_KCONFIG options of a kernel config, "NAME=value" (n when unset)
	local o v
	for o in $VM_KCONFIG; do
		v=$(grep -E "^$o=" "$1" | cut -d= -f2 || true)
		printf '%s=%s ' "${o#CONFIG_}" "${v:-n}"
	done
}

for s in "${specs[@]}"; do
	vm_config "${s%%:*}" "$([ "${s#*:}" != "$s" ] && echo "${s#*:}")"
	setup_root
	setup_kernel
	setup_modules
	kconfig "$VM_KDIR/config" > "$VM_KDIR/kconfig"
	{
		echo "$VM_ARCH:$VM_KERNEL_ID"
		echo "  kernel:   $(cat "$VM_KDIR/package") ($VM_KDIR/image)"
		echo "  userland: $(cd "$VM_ROOT" && tr '\n' ' ' < .debs)"
		echo "  qemu:     $($VM_QEMU --version | head -n 1) ${VM_MACHINE[*]} console=$VM_CONSOLE"
		[ $cc = 1 ] && echo "  cc:       $($VM_GCC --version | head -n 1)"
		echo "  kconfig:  $(cat "$VM_KDIR/kconfig")"
	}
done

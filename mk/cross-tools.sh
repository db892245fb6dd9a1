#!/usr/bin/env bash
# Installs what cross builds and cross tests need (`make cross-tools [TARGET=<triple>]`), for the
# Rust triples given, or for every triple of mk/arches but the host's:
#   - the target's Rust standard library (rustup target add);
#   - Debian's cross compiler, C++ compiler, binutils and C library for the target: gcc drives the
#     link (through rustup's lld, see the Makefile), the binutils make libkeyutils.a and read the
#     foreign ELF files in tests/abi.sh, g++ compiles the C++ half of ctests/header/run.sh;
#   - Debian's own libkeyutils.so.1.10 of the architecture, the reference of tests/abi.sh, unpacked
#     into build/debian-libs/<arch>/ (mk/debian-lib.sh).
# Needs root for apt-get; run `apt-get update` once before on a fresh machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/arch.sh"
host_deb=$(dpkg --print-architecture)
triples=("$@")
if [ ${#triples[@]} -eq 0 ]; then
	mapfile -t triples < <(arch_triples | grep -vx "$(arch_lookup "$host_deb" deb triple)")
fi
pkgs=() debs=()
for t in "${triples[@]}"; do
	deb=$(arch_lookup "$t" triple deb) || { echo "cross-tools: $t is not in mk/arches" >&2; exit 1; }
	gnu=$(arch_lookup "$t" triple gnu)
	# Where rustup has no standard library for the target, the Makefile builds core from source
	# with the nightly toolchain (-Zbuild-std), which needs rust-src.
	if ! rustup target add "$t"; then
		echo "cross-tools: no rust-std for $t from rustup; make builds it with nightly -Zbuild-std" >&2
		rustup component add --toolchain "${NIGHTLY:-nightly}" rust-src ||
			rustup toolchain install --profile minimal --component rust-src "${NIGHTLY:-nightly}"
	fi
	if [ "$deb" = "$host_deb" ]; then
		pkgs+=(gcc g++ binutils libc6-dev)
	else
		pkgs+=("gcc-$gnu" "g++-$gnu" "binutils-$gnu" "libc6-dev-$deb-cross")
	fi
	debs+=("$deb")
done
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}"
bash "$here/debian-lib.sh" "${debs[@]}"

#!/usr/bin/env bash
# Builds the Debian packages libkeyutils1 and libkeyutils-dev into build/deb/.
#
# dpkg-buildpackage writes its results into the parent directory and its work files into debian/,
# so it runs on a copy of the tree (the files git knows, tracked or new) in build/deb/keyutils-rs/.
# The crates are fetched first, because the package build itself is offline; cargo's target
# directory is target/bfd, shared with `make LINKER=bfd`. `-d`: Build-Depends names Debian's cargo
# and rustc, but the build uses the cargo on PATH. Extra arguments go to dpkg-buildpackage.
set -eu
unset MAKEFLAGS MFLAGS MAKELEVEL # a calling make's variables must not reach debian/rules
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/deb
src=$out/keyutils-rs
rm -rf "$out"
mkdir -p "$src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$root" ls-files -z -co --exclude-standard |
		tar -C "$root" --null --verbatim-files-from -T - --ignore-failed-read -cf - 2>/dev/null |
		tar -C "$src" -xmf -
else
	tar -C "$root" --exclude=./target --exclude=./build -cf - . | tar -C "$src" -xmf -
fi
(cd "$root" && cargo fetch --quiet)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bfd}
cd "$src"
dpkg-buildpackage -b -us -uc -d "$@"

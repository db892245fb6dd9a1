#!/usr/bin/env bash
# Builds the Debian packages libkeyutils1, libkeyutils-dev and keyutils into build/deb/.
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
. "$root/debian/copy-tree.sh"
copy_tree "$root" "$src"
(cd "$root" && cargo fetch --quiet)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bfd}
cd "$src"
dpkg-buildpackage -b -us -uc -d "$@"

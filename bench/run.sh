#!/usr/bin/env bash
# Benchmark our libkeyutils.so.1 against the original and the raw syscall.
#
#   bench/run.sh [keybench options]      e.g. --tsv /tmp/bench.tsv, --budget 1
#
# Environment:
#   KEYUTILS_LIBDIR    directory holding our libkeyutils.so.1 (default: build/lib)
#   KEYUTILS_ORIG_LIB  the original library (default: Debian's, by its soname link)
#   KEYUTILS_INCLUDE   directory holding keyutils.h (default: /usr/include; only
#                      types and constants are used, the program never links
#                      -lkeyutils)
#   BENCH_BUILD_DIR    where to build the program (default: a temporary directory)
#
# Exits 0 whatever the numbers are; non-zero only when the benchmark could not run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
libdir=${KEYUTILS_LIBDIR:-$repo/build/lib}
orig=${KEYUTILS_ORIG_LIB:-/usr/lib/$(gcc -print-multiarch)/libkeyutils.so.1}
include=${KEYUTILS_INCLUDE:-/usr/include}

ours=$libdir/libkeyutils.so.1
if [ ! -e "$ours" ]; then
	echo "bench: $ours does not exist (build the library, or set KEYUTILS_LIBDIR)" >&2
	exit 2
fi
if [ ! -e "$orig" ]; then
	echo "bench: original library $orig does not exist (apt-get install libkeyutils1)" >&2
	exit 2
fi
for tool in gcc strip; do
	command -v "$tool" >/dev/null || { echo "bench: $tool not found" >&2; exit 2; }
done

if [ -n "${BENCH_BUILD_DIR:-}" ]; then
	build=$BENCH_BUILD_DIR
	mkdir -p "$build"
else
	build=$(mktemp -d /tmp/keybench.XXXXXX)
	trap 'rm -rf "$build"' EXIT
fi

gcc -O2 -Wall -Wextra -Werror -I"$include" -o "$build/keybench" "$here/keybench.c" -ldl

# The program joins a fresh anonymous session keyring itself; everything it
# creates dies with it.  The timeout bounds the whole run (normally < 1 min).
timeout --kill-after=10 600 "$build/keybench" \
	--orig "$(realpath "$orig")" --ours "$(realpath "$ours")" "$@"

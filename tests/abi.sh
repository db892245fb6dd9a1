#!/usr/bin/env bash
# ABI test: the dynamic symbol table of our libkeyutils.so.1 against Debian's libkeyutils.so.1.10.
# Checks name, version node, binding, kind (function/object) and object sizes of every export,
# the version definitions, SONAME and NEEDED. Usage: tests/abi.sh [OUR_LIB] [REFERENCE_LIB]
# (defaults: $KEYUTILS_LIBDIR/libkeyutils.so.1 and the file $KEYUTILS_ORIG_LIB resolves to)
# For another architecture's libraries, OBJDUMP, READELF and NM name that architecture's binutils
# (`make abi TARGET=<triple>` sets them and takes Debian's library of the architecture).
set -u
. "$(dirname "$0")/lib.sh"
OBJDUMP=${OBJDUMP:-objdump} READELF=${READELF:-readelf} NM=${NM:-nm}
ours=${1:-$KEYUTILS_LIBDIR/libkeyutils.so.1}
ref=${2:-$(realpath "$KEYUTILS_ORIG_LIB")}
check() { kt_check "abi: $1" "$2" "$3"; }
# name version binding kind [size for objects]; local section symbols (arm64 has two) are no exports
exports() {
	"$OBJDUMP" -T "$1" | awk '$4 != "*UND*" && $2 != "l" && ($4 == ".text" || $4 ~ /data|rodata|bss/ || $4 == "*ABS*") {
		v=$(NF-1); gsub(/[()]/, "", v);
		kind = ($3 == "DF") ? "function" : ($4 == "*ABS*") ? "version-node" : "object";
		size = (kind == "object") ? " size=0x" $5 : "";
		print $NF, v, ($2 == "w" ? "weak" : "global"), kind size }' | sort
}
verdefs() { "$OBJDUMP" -p "$1" | awk '/^Version definitions:/{f=1;next} /^Version References:/{f=0} f && NF>=4 {print $4}'; }
dyn() { "$READELF" -d "$1" | awk -v t="$2" '$2 == "("t")" {print $NF}' | tr -d '[]'; }

[ -e "$ours" ] || { kt_notok "abi: $ours missing (run make)"; kt_finish; }
[ -e "$ref" ] || { kt_notok "abi: the original $ref missing (install libkeyutils1, or make cross-tools)"; kt_finish; }
check "46 exports and 10 version-node symbols: name, version node, binding, kind, object size" "$(exports "$ref")" "$(exports "$ours")"
check "export count is 46" 46 "$(exports "$ours" | grep -vc version-node)"
check "version definitions" "$(verdefs "$ref")" "$(verdefs "$ours")"
check "SONAME" "libkeyutils.so.1" "$(dyn "$ours" SONAME)"
check "NEEDED is libc.so.6 alone" "libc.so.6" "$(dyn "$ours" NEEDED)"
check "no undefined symbol outside libc" "" "$("$OBJDUMP" -T "$ours" | awk '$4 == "*UND*" && $2 != "w" && $(NF-1) !~ /GLIBC/ {print $NF}')"
# Every panic site compiled away: no panic machinery can run, let alone unwind into C.
# (needs the symbol table: on a stripped library, point it at target/release/libkeyutils.so)
if "$NM" "$ours" 2>/dev/null | grep -q ' t .*parse'; then
	check "no panic code in the library" "" "$("$NM" "$ours" | grep -E 'panicking|panic_fmt|panic_bounds' | head -3)"
else
	check "no panic code in the library (symbol table readable)" "readable" "stripped"
fi
kt_finish

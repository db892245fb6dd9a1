#!/usr/bin/env bash
# Every architecture of mk/arches (or the Rust triples given): `make TARGET=<triple>` builds,
# `make abi` compares the library with Debian's libkeyutils.so.1.10 of the architecture, and
# `make header-check` compiles the header test with the target's gcc and g++. Needs
# `make cross-tools` first (it fetches nothing itself). Logs in build/<triple>/cross-*.log; prints
# one TAP line per step, a table, and "N passed, N failed".
# LINKER=bfd (or lld) in the environment overrides each target's default linker (mk/arches).
set -u
. "$(dirname "$0")/lib.sh"
cd "$KT_ROOT" || exit 1
. mk/arch.sh
unset MAKEFLAGS MFLAGS MAKELEVEL
triples=("$@")
if [ ${#triples[@]} -eq 0 ]; then
	mapfile -t triples < <(arch_triples | grep -vx "$(arch_lookup "$(dpkg --print-architecture)" deb triple)")
fi
rows=()
step() { # triple name log make-args...
	local t=$1 name=$2 log=$3; shift 3
	if make "$@" TARGET="$t" ${LINKER:+LINKER="$LINKER"} > "$log" 2>&1; then
		kt_ok "cross $t: $name"; return 0
	fi
	kt_notok "cross $t: $name (see $log)"; grep -E '^not ok|error' "$log" | head -5 | sed 's/^/#   /'
	return 1
}
for t in "${triples[@]}"; do
	deb=$(arch_lookup "$t" triple deb) || { kt_notok "cross $t: not in mk/arches"; continue; }
	logs=build/$t
	mkdir -p "$logs"
	b=no a=- h=-
	if step "$t" "make" "$logs/cross-build.log" all; then b=yes; fi
	step "$t" "abi against Debian's $deb library" "$logs/cross-abi.log" abi
	a=$(tail -n 1 "$logs/cross-abi.log" | grep -E '^[0-9]+ passed' || echo "failed")
	step "$t" "header test with its gcc" "$logs/cross-header.log" header-check
	h=$(grep -E '^# header:' "$logs/cross-header.log" | sed 's/^# header: //' || true)
	rows+=("$(printf '%-32s %-8s %-6s %-20s %s' "$t" "$deb" "$b" "${a:-failed}" "${h:-failed}")")
done
printf '# %-32s %-8s %-6s %-20s %s\n' triple arch build "abi.sh" "header test"
printf '# %s\n' "${rows[@]}"
kt_finish

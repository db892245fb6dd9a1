#!/usr/bin/env bash
# No panic can unwind into C:
# - both profiles that build the library (dev, release) say panic = "abort";
# - a build with panic = "unwind" is refused (src/lib.rs's compile_error!), shown by building it;
# - the shipped .so imports no unwinder (_Unwind_*) and exports no personality routine.
# Usage: check-panic.sh [LIBDIR] (default: $KEYUTILS_LIBDIR, else build/lib).
set -u
. "$(dirname "$0")/../lib.sh"
root=$KT_ROOT
lib=${1:-$KEYUTILS_LIBDIR}/libkeyutils.so.1

for p in dev release; do
	v=$(awk -v s="[profile.$p]" '$0 == s {f=1; next} /^\[/ {f=0} f && $1 == "panic" {print $3}' \
		"$root/Cargo.toml")
	if [ "$v" == '"abort"' ]; then
		kt_ok "panic: [profile.$p] has panic = \"abort\""
	else
		kt_notok "panic: [profile.$p] has panic = \"abort\" (found: ${v:-nothing})"
	fi
done

# The same check with panic = "unwind" must fail, and fail for that reason.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
(cd "$root" && timeout 600 cargo check --lib --config 'profile.dev.panic="unwind"') > "$log" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q 'must be built with panic = "abort"' "$log"; then
	kt_ok "panic: a build with panic = \"unwind\" is refused (compile_error!)"
else
	kt_notok "panic: a build with panic = \"unwind\" is refused (exit $rc)"
	tail -15 "$log" | sed 's/^/#   /'
fi
# ...while the same command with the configured profile passes (the refusal is not incidental).
(cd "$root" && timeout 600 cargo check --lib) > "$log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then
	kt_ok "panic: the same build with panic = \"abort\" passes"
else
	kt_notok "panic: the same build with panic = \"abort\" passes (exit $rc)"
	tail -15 "$log" | sed 's/^/#   /'
fi

if [ -e "$lib" ]; then
	unwind=$(objdump -T "$lib" | awk '/_Unwind_|__gcc_personality|rust_eh_personality|__cxa_/ && !/__cxa_finalize/ {print $NF}')
	if [ -z "$unwind" ]; then
		kt_ok "panic: $lib imports no unwinder and exports no personality routine"
	else
		kt_notok "panic: $lib has unwinding symbols: $(echo $unwind)"
	fi
else
	kt_notok "panic: $lib exists (run make)"
fi

kt_finish

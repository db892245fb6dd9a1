#!/usr/bin/env bash
# The C side under AddressSanitizer + UndefinedBehaviorSanitizer (with LeakSanitizer), against the
# library in $KEYUTILS_LIBDIR (default build/lib):
#   1. the C tests (ctests/run.sh with its CTESTS_SANITIZE=asan hook), which call every exported
#      function;
#   2. the hardening programs (defects, concurrency) built with -fsanitize=address,undefined.
# Our .so is Rust and not instrumented: ASan checks the C programs' use of what it returns (a
# result buffer shorter than its length, a pointer free() cannot take, a missing NUL read past),
# and LeakSanitizer sees every malloc of ours that is never freed, since ASan replaces malloc for
# the whole process.
set -u
. "$(dirname "$0")/common.sh"
hb_init asan

# 1. The C tests.
kt_suite "asan: " "$out/ctests.log" env CTESTS_SANITIZE=asan CTESTS_BUILD="$out/ctests" \
	bash "$root/ctests/run.sh"

# 2. The hardening programs.
# allocator_may_return_null: the defects include a malloc that must fail (ENOMEM), not abort.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=98:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
no_report() {
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out/$1.run.log"; then
		kt_notok "asan: $1: no sanitizer report"
		grep -E -A8 'ERROR: |runtime error:' "$out/$1.run.log" | head -30 | sed 's/^/#   /'
	else
		kt_ok "asan: $1: no sanitizer report"
	fi
}
hb_programs asan no_report -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all --

# 3. Self-test: a result of ours that is never freed must be reported as a leak.
if hb_build leak "$libdir" "$inc" "$out" -fsanitize=address,undefined -fno-omit-frame-pointer; then
	env LD_LIBRARY_PATH="$libdir" timeout 60 "$out/leak" > "$out/leak.run.log" 2>&1
	rc=$?
	if [ "$rc" -eq 98 ] && grep -q 'ERROR: LeakSanitizer: detected memory leaks' "$out/leak.run.log" &&
		grep -qE '^ +#[0-9]+ .*libkeyutils\.so' "$out/leak.run.log"; then
		kt_ok "asan: self-test: a keyctl_describe_alloc result never freed is reported as a leak"
	else
		kt_notok "asan: self-test: a keyctl_describe_alloc result never freed is reported (exit $rc)"
		tail -15 "$out/leak.run.log" | sed 's/^/#   /'
	fi
else
	kt_notok "asan: build leak"
fi
kt_finish

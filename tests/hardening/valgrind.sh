#!/usr/bin/env bash
# Memory proof under valgrind, against the library in $KEYUTILS_LIBDIR (default build/lib):
# 0 errors and 0 definite leaks (`--leak-check=full --errors-for-leak-kinds=definite
# --error-exitcode=97`) in
#   1. the C tests (ctests/run.sh with its CTESTS_SANITIZE=valgrind hook), which call every
#      exported function;
#   2. the differential test's run of our library (difftest/run.sh, its program run under
#      valgrind by a `timeout` wrapper put first in PATH, since difftest/run.sh has no hook);
#      the original's run and the mutant run are left alone;
#   3. the hardening programs (defects, concurrency).
# valgrind checks the C programs and our library alike: every malloc/free of ours goes through
# libc's allocator, which valgrind replaces.
set -u
. "$(dirname "$0")/common.sh"
hb_init valgrind
mkdir -p "$out/bin" "$out/vg"
# Some cases run under uids of their own, and valgrind writes each process's log itself.
chmod 1777 "$out/vg"
# --fair-sched: valgrind runs one thread at a time, and without it a reader thread can starve.
vg=(valgrind --vgdb=no --fair-sched=yes --error-exitcode=97 --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite)

command -v valgrind >/dev/null || { kt_notok "valgrind: installed"; kt_finish; }

# 1. The C tests.
kt_suite "valgrind: " "$out/ctests.log" env CTESTS_SANITIZE=valgrind CTESTS_BUILD="$out/ctests" \
	bash "$root/ctests/run.sh"

# all_clean NAME [LABEL]: every valgrind log $out/vg/NAME.*.log (one per process, forked ones
# included) says 0 errors; --errors-for-leak-kinds=definite makes a definite leak an error.
all_clean() {
	local label=${2:-"$1: every process (forked cases included)"} logs clean
	logs=$(find "$out/vg" -name "$1.*.log" | wc -l)
	clean=$(grep -l 'ERROR SUMMARY: 0 errors' "$out/vg/$1".*.log 2>/dev/null | wc -l)
	if [ "$logs" -gt 0 ] && [ "$clean" -eq "$logs" ]; then
		kt_ok "valgrind: $label: $logs processes, each 0 errors, 0 definite leaks"
	else
		kt_notok "valgrind: $label: $clean of $logs processes clean"
		grep -h -E 'ERROR SUMMARY|definitely lost|Invalid|uninitialised' "$out/vg/$1".*.log 2>/dev/null |
			sort | uniq -c | head -10 | sed 's/^/#   /'
	fi
}

# 2. The differential test. Its cases pass bad pointers on purpose (NULL type or description to
# KEYCTL_SEARCH...): valgrind counts each as an error, and 3.19 itself dies on one of them
# (SIGSEGV inside its keyctl syscall wrapper). DIFFTEST_NO_BAD_POINTERS=1 leaves those cases out
# of every run of difftest/run.sh (original, ours, mutant: the outputs still compare), as ctests
# does with CTESTS_NO_BAD_POINTERS. The request-key handler mode of the same program is started by
# the kernel (/sbin/request-key), not through timeout: it keeps its cases and is not under valgrind.
# The run under valgrind takes about 15 s here (the whole run.sh about 30 s); it gets 3x run.sh's
# 100 s.
if [ ! -f "$root/tests/difftest/run.sh" ]; then
	kt_notok "valgrind: tests/difftest/run.sh exists"
elif ! grep -qs DIFFTEST_NO_BAD_POINTERS "$root"/tests/difftest/*.c "$root"/tests/difftest/*.inc "$root"/tests/difftest/run.sh; then
	# without the switch valgrind errs on the bad-pointer cases, and 3.19 crashes on one
	kt_notok "valgrind: difftest has its DIFFTEST_NO_BAD_POINTERS switch"
else
	export DIFFTEST_NO_BAD_POINTERS=1
	cat > "$out/bin/timeout" <<EOF
#!/usr/bin/env bash
# Put first in PATH by tests/hardening/valgrind.sh: tests/difftest/run.sh starts its program as
# "timeout SECONDS PROGRAM"; the run against our library goes under valgrind (given 3x the time).
if [[ "\${2:-}" == */difftest && "\${LD_LIBRARY_PATH:-}" == "$libdir" && -z "\${LD_PRELOAD:-}" ]]; then
	exec /usr/bin/timeout \$((\$1 * 3)) ${vg[*]} --log-file="$out/vg/difftest.%p.log" "\${@:2}"
fi
exec /usr/bin/timeout "\$@"
EOF
	chmod +x "$out/bin/timeout"
	kt_suite "valgrind: difftest: " "$out/difftest.log" env PATH="$out/bin:$PATH" \
		bash "$root/tests/difftest/run.sh"
	all_clean difftest "difftest against our library"
fi

# 3. The hardening programs; every process, forked ones included, writes its own log.
hb_programs valgrind all_clean -- "${vg[@]}" --log-file="$out/vg/{prog}.%p.log"

# Self-test: a result of ours that is never freed must be reported as a definite leak.
if hb_build leak "$libdir" "$inc" "$out"; then
	env LD_LIBRARY_PATH="$libdir" timeout 120 "${vg[@]}" --log-file="$out/leak.vg.log" "$out/leak" \
		> "$out/leak.run.log" 2>&1
	rc=$?
	if [ "$rc" -eq 97 ] && grep -q 'definitely lost: [1-9]' "$out/leak.vg.log" &&
		grep -qE '(at|by) 0x.*libkeyutils\.so' "$out/leak.vg.log"; then
		kt_ok "valgrind: self-test: a keyctl_describe_alloc result never freed is a definite leak"
	else
		kt_notok "valgrind: self-test: a keyctl_describe_alloc result never freed is reported (exit $rc)"
		tail -15 "$out/leak.vg.log" | sed 's/^/#   /'
	fi
else
	kt_notok "valgrind: build leak"
fi
kt_finish

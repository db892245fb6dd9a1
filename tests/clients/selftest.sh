#!/bin/bash
# The checks of this suite can fail: each is shown a wrong library or a wrong
# result and must say "not ok"; shown the right one, it must pass.
# Run by run.sh in a fresh session keyring with LIBDIR = the original library.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

# A distinct file with the same contents: a library that is not EXPECT_LIB.
COPY=$WORK/copy
mkdir -p "$COPY"
cp "$EXPECT_LIB" "$COPY/libkeyutils.so.1"
COPY_LIB=$(realpath "$COPY/libkeyutils.so.1")
MAIN=keyctl

# expect_fail NAME CMD... : CMD must fail (and print why).
expect_fail() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        not_ok "selftest: $name is rejected (it was accepted)"
    else
        ok "selftest: $name is rejected ($out)"
    fi
}
expect_pass() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then ok "selftest: $name is accepted"; else not_ok "selftest: $name is accepted ($out)"; fi
}

# --- LD_DEBUG proof
LDENV=("LD_LIBRARY_PATH=$COPY")
run /usr/bin/keyctl --version
expect_fail "LD_DEBUG proof, keyctl loaded a copy instead of $EXPECT_LIB" prove_ld_debug keyctl "$D".ld.*
EXPECT_LIB=$COPY_LIB expect_pass "LD_DEBUG proof of the same run against the copy" prove_ld_debug keyctl "$D".ld.*
LDENV=("LD_LIBRARY_PATH=$WORK/nothing-here")
run /usr/bin/keyctl --version
EXPECT_LIB=$COPY_LIB expect_fail "LD_DEBUG proof, LD_LIBRARY_PATH without libkeyutils.so.1 (system fallback)" \
    prove_ld_debug keyctl "$D".ld.*
LDENV=("LD_PRELOAD=$COPY/libkeyutils.so.1")
run /usr/bin/keyctl --version
expect_fail "LD_DEBUG proof, LD_PRELOAD of a copy" prove_ld_debug keyctl "$D".ld.*
EXPECT_LIB=$COPY_LIB expect_fail "LD_DEBUG proof naming a program that did not run" prove_ld_debug kinit "$D".ld.*
expect_fail "LD_DEBUG proof without any output" prove_ld_debug keyctl "$WORK/none.*"

# --- /proc/PID/maps proof on a running keyctl (padd waits for stdin)
mkfifo "$WORK/fifo"
env -u LD_LIBRARY_PATH -u LD_PRELOAD LD_LIBRARY_PATH="$COPY" \
    /usr/bin/keyctl padd user "selftest$$" @s < "$WORK/fifo" > /dev/null 2>&1 &
kpid=$!
exec 7> "$WORK/fifo"
if wait_maps "$kpid" /usr/bin/keyctl; then
    expect_fail "maps proof, running keyctl mapped a copy" prove_maps "$kpid"
    EXPECT_LIB=$COPY_LIB expect_pass "maps proof of the same process against the copy" prove_maps "$kpid"
else
    not_ok "selftest: keyctl padd started and mapped a libkeyutils"
fi
exec 7>&-
for i in $(seq 100); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kill "$kpid" 2>/dev/null
wait "$kpid"
sleep 30 & spid=$!
expect_fail "maps proof of a process without libkeyutils" prove_maps "$spid"
kill "$spid"; wait "$spid" 2>/dev/null

# --- exact output comparison
LDENV=("LD_LIBRARY_PATH=$LIBDIR")
run /usr/bin/keyctl rdescribe @s
# chk prints one TAP line; run it in a subshell and look at that line.
chk_verdict() { ( chk "$@" ) | head -n1 | cut -d' ' -f1-2; }
v=$(chk_verdict "right" 0 "keyring;0;0;3f030000;_ses" "")
[ "$v" = "ok -" ] && ok "selftest: chk accepts the exact output" || not_ok "selftest: chk accepts the exact output ($v)"
for wrong in "1|keyring;0;0;3f030000;_ses|" "0|keyring;0;0;3f030000;_se|" "0|keyring;0;0;3f030000;_ses |" \
             "0||" "0|keyring;0;0;3f030000;_ses|x" "0|<empty line>|"; do
    IFS='|' read -r rc out err <<< "$wrong"
    v=$(chk_verdict "wrong" "$rc" "$out" "$err")
    [ "$v" = "not ok" ] && ok "selftest: chk rejects exit '$rc' stdout '$out' stderr '$err'" ||
        not_ok "selftest: chk rejects exit '$rc' stdout '$out' stderr '$err' ($v)"
done
printf 'x' > "$WORK/one-byte"
run /usr/bin/keyctl rdescribe @s
v=$( ( chk_raw "raw" 0 "$WORK/one-byte" "" ) | head -n1 | cut -d' ' -f1-2)
[ "$v" = "not ok" ] && ok "selftest: chk_raw rejects other bytes" || not_ok "selftest: chk_raw rejects other bytes ($v)"

# --- supports: the text built from the kernel's capability bits passes, and
# the same text with any one bit of the table flipped fails
if kernel_caps; then
    run /usr/bin/keyctl supports
    v=$(chk_verdict "right" 0 "$(exp_supports "$CAPS_HEX")" "")
    [ "$v" = "ok -" ] && ok "selftest: chk accepts supports as decoded from $CAPS_HEX" ||
        not_ok "selftest: chk accepts supports as decoded from $CAPS_HEX ($v)"
    for row in "${SUPPORTS_TABLE[@]}"; do
        read -r cap idx mask <<< "$row"
        byte=${CAPS_HEX:$((idx * 2)):2}
        wrong=${CAPS_HEX:0:$((idx * 2))}$(printf '%02x' $(( 16#${byte:-00} ^ mask )))${CAPS_HEX:$((idx * 2 + 2))}
        v=$(chk_verdict "wrong" 0 "$(exp_supports "$wrong")" "")
        [ "$v" = "not ok" ] && ok "selftest: chk rejects supports decoded from $wrong ($cap flipped)" ||
            not_ok "selftest: chk rejects supports decoded from $wrong ($cap flipped) ($v)"
    done
else
    not_ok "selftest: kernel answers KEYCTL_CAPABILITIES (rawkeys.py caps: $CAPS_HEX)"
fi

# --- learn refuses a serial /proc/keys does not confirm
v=$( ( learn BOGUS 12345 user nothing ) | head -n1 | cut -d' ' -f1-2)
[ "$v" = "not ok" ] && ok "selftest: learn rejects a serial not in /proc/keys" ||
    not_ok "selftest: learn rejects a serial not in /proc/keys ($v)"

finish

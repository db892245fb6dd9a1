#!/bin/bash
# Real-client tests: programs nobody here wrote (Debian's keyctl, Debian's
# python3-keyutils, MIT Kerberos' tools) run on the library in
# $KEYUTILS_LIBDIR, and every scenario run again on the original Debian
# library (a symlink folder made here) with the same checks.
#
#   tests/clients/run.sh [keyctl|python|krb5|selftest]...
# (the libraries as tests/lib.sh says: KEYUTILS_LIBDIR, KEYUTILS_ORIG_LIB)
#
# Prints TAP lines and "N passed, N failed"; exits non-zero on any failure.
# CLIENTS_KEEP=1 keeps the scratch folder (outputs, LD_DEBUG logs, transcripts).
# Needs: keyutils, python3-keyutils, krb5-kdc, krb5-admin-server, krb5-user.
set -u
export LC_ALL=C.UTF-8  # klist dates and error texts follow the locale
shopt -s lastpipe
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"

OURS=$KEYUTILS_LIBDIR
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(selftest keyctl python krb5)

TOP=$(mktemp -d /tmp/keyutils-clients.XXXXXX)
KDC_PID=
cleanup() {
    if [ -n "$KDC_PID" ]; then
        kill "$KDC_PID" 2>/dev/null
        wait "$KDC_PID" 2>/dev/null
    fi
    if [ -n "${CLIENTS_KEEP:-}" ]; then echo "# kept $TOP" >&2; else rm -rf "$TOP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tap() {  # tap OK|FAIL NAME
    if [ "$1" = OK ]; then kt_ok "$2"; else kt_notok "$2"; fi
}

kt_have_libs || kt_finish
# The original library, in a folder made at run time like /tmp/syslib.
ORIG=$(kt_orig_libdir "$TOP/syslib")
SYSTEM_LIB=$(realpath "$KEYUTILS_ORIG_LIB")
echo "# library under test: $OURS/libkeyutils.so.1 -> $(realpath "$OURS/libkeyutils.so.1")"
echo "# original library:   $ORIG/libkeyutils.so.1 -> $SYSTEM_LIB"
if [ "$(realpath "$OURS/libkeyutils.so.1")" = "$SYSTEM_LIB" ]; then
    echo "# NOTE: KEYUTILS_LIBDIR is the original library itself; both runs test the same file"
fi

RINGS_START=$(kt_user_rings)

# part NAME LABEL LIBDIR CMD... : run one scenario in a fresh session keyring
# (joined by the original keyctl before the scenario starts), count its TAP
# lines, and check @u and @us are as they were.
part() {
    local name=$1 label=$2 libdir=$3 work rc before after
    shift 3
    work=$TOP/work.$name.$label
    mkdir -p "$work"
    before=$(kt_user_rings)
    LIBDIR="$libdir" LABEL="$label" WORK="$work" kt_fresh_session timeout 120 "$@" | kt_count
    rc=${PIPESTATUS[0]}
    after=$(kt_user_rings)
    if [ "$rc" = 0 ]; then
        tap OK "[$label] $name: scenario exited 0"
    else
        tap FAIL "[$label] $name: scenario exited $rc"
    fi
    if [ "$before" = "$after" ]; then
        tap OK "[$label] $name: @u and @us unchanged"
    else
        tap FAIL "[$label] $name: @u and @us unchanged (before: $before; after: $after)"
    fi
}

# same_transcript NAME FILE1 FILE2 : the normalised transcripts of the two
# libraries are identical.
same_transcript() {
    if [ -s "$2" ] && cmp -s "$2" "$3"; then
        tap OK "$1: normalised transcripts on ours and the original are identical"
    else
        tap FAIL "$1: normalised transcripts on ours and the original are identical"
        diff -a "$2" "$3" | head -40 | sed 's/^/#   /'
    fi
}

for p in "${PARTS[@]}"; do
    case $p in
        selftest)
            part selftest selftest "$ORIG" bash "$here/selftest.sh"
            ;;
        keyctl)
            for mode in ldpath preload; do
                part "keyctl-$mode" ours "$OURS" bash "$here/keyctl.sh" "$mode"
                part "keyctl-$mode" orig "$ORIG" bash "$here/keyctl.sh" "$mode"
                same_transcript "keyctl $mode" "$TOP/work.keyctl-$mode.ours/transcript" \
                    "$TOP/work.keyctl-$mode.orig/transcript"
            done
            ;;
        python)
            for mode in ldpath preload; do
                part "python-$mode" ours "$OURS" /usr/bin/python3 "$here/python_keyutils.py" "$mode"
                part "python-$mode" orig "$ORIG" /usr/bin/python3 "$here/python_keyutils.py" "$mode"
                same_transcript "python $mode" "$TOP/work.python-$mode.ours/transcript" \
                    "$TOP/work.python-$mode.orig/transcript"
            done
            ;;
        krb5)
            . "$here/krb5_realm.sh"
            if krb5_realm_start "$TOP/krb5"; then
                tap OK "krb5: throwaway realm $KRB5_REALM and krb5kdc (pid $KDC_PID) on 127.0.0.1:$KRB5_PORT"
                part krb5 ours "$OURS" bash "$here/krb5.sh"
                part krb5 orig "$ORIG" bash "$here/krb5.sh"
                same_transcript "krb5" "$TOP/work.krb5.ours/transcript" "$TOP/work.krb5.orig/transcript"
            else
                tap FAIL "krb5: throwaway realm and krb5kdc on 127.0.0.1"
                sed 's/^/#   /' "$TOP/krb5/setup.log" 2>/dev/null | tail -20
            fi
            krb5_realm_stop
            ;;
        *)
            tap FAIL "unknown part '$p'"
            ;;
    esac
done

if [ "$(kt_user_rings)" = "$RINGS_START" ]; then
    tap OK "whole suite: @u and @us unchanged"
else
    tap FAIL "whole suite: @u and @us unchanged (start: $RINGS_START; end: $(kt_user_rings))"
fi
kt_finish

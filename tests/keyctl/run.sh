#!/bin/bash
# Differential test of our keyctl against Debian's /usr/bin/keyctl.
#
# Every case script in cases/ is run by both programs, each inside a fresh
# session keyring made by the program under test ("keyctl session - bash ...").
# stdout, stderr and exit codes are compared exactly after key serials are
# replaced by tokens (normalize.pl).  Configurations:
#   - both programs on the library in $KEYUTILS_LIBDIR;
#   - both programs on the original system library (skipped when
#     $KEYUTILS_LIBDIR already is the original).
# Each configuration first proves which libkeyutils.so.1 the keyctl process
# mapped, from /proc/PID/maps of a running keyctl and from ld.so's own log.
#
# Env: the libraries as tests/lib.sh says (KEYUTILS_LIBDIR, KEYUTILS_ORIG_LIB), KEYCTL_BIN
# (default: build the keyctl crate of this checkout), FULL=1 also runs the minute-long
# "--test limits2", CASES="name ..." to run a subset.
set -u
export LC_ALL=C.UTF-8  # error texts and dates follow the locale
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
CRATE=$KT_ROOT/programs/keyctl
LIBDIR=$KEYUTILS_LIBDIR
DEB=/usr/bin/keyctl

kt_have_libs || kt_finish
LIB=$(realpath "$LIBDIR/libkeyutils.so.1")
SYS_LIB=$(realpath "$KEYUTILS_ORIG_LIB")

OURS=${KEYCTL_BIN:-}
if [ -z "$OURS" ]; then
    if ! (cd "$CRATE" && KEYUTILS_LIBDIR=$LIBDIR cargo build --release --quiet -p keyctl); then
        kt_notok "setup: cargo build"
        kt_finish
    fi
    # A member of the root workspace: cargo builds it into the workspace's target directory.
    OURS=${CARGO_TARGET_DIR:-$KT_ROOT/target}/release/keyctl
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
kt_orig_libdir "$WORK/origlib" > /dev/null

# prove_maps NAME BIN DIR: the keyctl process must map DIR's libkeyutils.so.1.
prove_maps() {
    local name=$1 bin=$2 dir=$3 want got pid rc
    want=$(realpath "$dir/libkeyutils.so.1")
    # watch_sync polls FIONREAD until the pipe is drained: with unread data
    # in its stdin it keeps running, so its maps can be read.
    # The data is in the FIFO before keyctl starts, so it cannot see it empty.
    mkfifo "$WORK/fifo.$name"
    exec 7<>"$WORK/fifo.$name"
    echo data >&7
    LD_LIBRARY_PATH=$dir "$bin" watch_sync 0 <"$WORK/fifo.$name" &
    pid=$!
    kt_wait_maps "$pid" "$(realpath "$bin")"
    got=$(kt_maps_lib "$pid" "$want")
    rc=$?
    kill "$pid" 2>/dev/null
    exec 7>&-
    wait "$pid" 2>/dev/null
    rm -f "$WORK/fifo.$name"
    if [ "$rc" -eq 0 ]; then
        kt_ok "maps: $name maps $want"
    else
        kt_notok "maps: $name maps $want: $got"
        return 1
    fi
    got=$(LD_DEBUG=libs LD_LIBRARY_PATH=$dir "$bin" --version 2>&1 >/dev/null |
        sed -n 's/.*calling init: \(.*libkeyutils\.so.*\)/\1/p' | head -n1)
    if [ -n "$got" ] && [ "$(realpath "$got")" = "$want" ]; then
        kt_ok "ld.so: $name loads $want"
    else
        kt_notok "ld.so: $name loads '${got:-nothing}', want $want"
        return 1
    fi
}

# run_case BIN DIR CASE OUT
run_case() {
    local bin=$1 dir=$2 case=$3 out=$4
    (
        cd "$WORK" || exit 1
        env LD_LIBRARY_PATH="$dir" KEYCTL="$bin" CASE_TMP="$WORK/case-tmp" TAG="$RANDOM$RANDOM$RANDOM" SHELL=/bin/bash \
            timeout 300 "$bin" session - bash "$HERE/case.sh" "$case" </dev/null
        echo "[case exit=$?]"
    ) >"$out.raw" 2>&1
    perl "$HERE/normalize.pl" <"$out.raw" >"$out"
}

configs=("lib:$LIBDIR")
if [ "$LIB" != "$SYS_LIB" ]; then
    configs+=("orig:$WORK/origlib")
else
    echo "# KEYUTILS_LIBDIR holds the original library: one configuration only"
fi

cases=()
for c in "$HERE"/cases/*.sh; do
    n=$(basename "$c" .sh)
    n=${n#[0-9][0-9]-}
    if [ -n "${CASES:-}" ] && [[ " $CASES " != *" $n "* ]]; then
        continue
    fi
    if [ "$n" = limits2 ] && [ "${FULL:-0}" != 1 ]; then
        echo "# $n: not run (FULL=1 runs it; it takes about a minute per program)"
        continue
    fi
    cases+=("$c")
done

for cfg in "${configs[@]}"; do
    label=${cfg%%:*}
    dir=${cfg#*:}
    prove_maps "debian@$label" "$DEB" "$dir" || continue
    prove_maps "ours@$label" "$OURS" "$dir" || continue
    for c in "${cases[@]}"; do
        n=$(basename "$c" .sh)
        n=${n#[0-9][0-9]-}
        run_case "$DEB" "$dir" "$c" "$WORK/$n.$label.deb"
        run_case "$OURS" "$dir" "$c" "$WORK/$n.$label.ours"
        if grep -q 'SETUP FAILED' "$WORK/$n.$label.deb"; then
            kt_notok "$n [$label]: $(grep -m1 'SETUP FAILED' "$WORK/$n.$label.deb")"
        elif ! grep -q '^\$ keyctl' "$WORK/$n.$label.deb"; then
            kt_notok "$n [$label]: case ran no keyctl command"
            sed 's/^/# /' "$WORK/$n.$label.deb" | head -n 20
        elif cmp -s "$WORK/$n.$label.deb" "$WORK/$n.$label.ours"; then
            kt_ok "$n [$label]"
        else
            kt_notok "$n [$label]"
            diff -u "$WORK/$n.$label.deb" "$WORK/$n.$label.ours" | head -n 40 | sed 's/^/# /'
            if [ -n "${KEEP:-}" ]; then
                mkdir -p "$KEEP"
                cp "$WORK/$n.$label".* "$KEEP/"
            fi
        fi
    done
done
kt_finish

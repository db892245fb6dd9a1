# Sourced helpers for the case scripts; run as
#   $KEYCTL session - bash case.sh CASE
# so every case starts in a fresh anonymous session keyring made by the
# keyctl under test.  $KEYCTL is the binary under test; $TAG is a number
# unique to this run, for names that must not collide with other processes.
set -u
# The runner gives both programs the same scratch directory name, so paths
# in messages compare equal.
T=${CASE_TMP:?}
rm -rf "$T"
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
export KEYCTL TAG

# k ARGS...: run keyctl, show its stdout, stderr (prefixed "E: ") and exit code.
# With K_TIMEOUT=SECONDS set, keyctl gets SIGTERM after that long (SIGKILL 2 s
# later) and the exit code shown is still keyctl's own: for commands that may
# wait forever on some kernels.
k() {
    local bound=()
    [ -n "${K_TIMEOUT:-}" ] && bound=(timeout -k 2 --preserve-status "$K_TIMEOUT")
    # The braces keep bash's "Segmentation fault" report (with a PID) out.
    { "${bound[@]}" "$KEYCTL" "$@" >"$T/o" 2>"$T/e"; } 2>/dev/null
    local rc=$?
    local a
    printf '$ keyctl'
    for a in "$@"; do
        [ "$a" = "$KEYCTL" ] && a=KEYCTL
        printf ' [%s]' "$a"
    done
    printf '\n'
    cat "$T/o"
    sed 's/^/E: /' "$T/e"
    printf '[rc=%d]\n' "$rc"
}

# kq ARGS...: run keyctl for its stdout only (used to capture serials).
kq() {
    "$KEYCTL" "$@" 2>/dev/null
}

# Usage errors, one argument vector per quoted string (split on spaces): show
# the exit code, stdout size and a digest of stderr (the whole usage text).
usage() {
    local a
    for a in "$@"; do
        # shellcheck disable=SC2086
        { "$KEYCTL" $a >"$T/o" 2>"$T/e"; } 2>/dev/null
        local rc=$?
        printf '$ keyctl %s => rc=%d stdout=%d bytes, stderr %d lines md5 %s\n' \
            "$a" "$rc" "$(wc -c <"$T/o")" "$(wc -l <"$T/e")" "$(md5sum <"$T/e" | cut -c1-32)"
    done
}

# shellcheck disable=SC1090
source "$1"

# Shared helpers for the real-client scenarios (sourced, not run).
#
# Every scenario script is started by run.sh inside a fresh session keyring
# with these variables set:
#   LIBDIR   directory holding the libkeyutils.so.1 the client must load
#   LABEL    short tag for TAP names ("ours" / "orig")
#   WORK     private scratch directory (removed by run.sh)
# The scenario prints TAP lines; run.sh counts them.

set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# Names made unique by the scenario's pid use this tag; finish() turns it into
# <PID>.  A bare pid would also match inside hex dumps ("20212223...").
PIDTAG=pid$$x

ok()     { kt_ok "[$LABEL] $1"; }
not_ok() { kt_notok "[$LABEL] $1"; }
diag()   { sed 's/^/#   /'; }

# The file every client process must map, as the kernel/ld.so sees it.
EXPECT_LIB=$(realpath -e "$LIBDIR/libkeyutils.so.1") || {
    echo "not ok - [$LABEL] $LIBDIR/libkeyutils.so.1 does not exist"; exit 1; }

# prove_ld_debug MAIN FILE... : the LD_DEBUG=libs,scopes logs of one client
# run (one file per process).  Every libkeyutils object that ld.so loaded in
# any of these processes must be EXPECT_LIB, and the process whose main
# program is MAIN must have loaded one.  Prints the reason and returns 1
# otherwise.
prove_ld_debug() {
    local main=$1 p res found_main=0
    shift
    [ $# -gt 0 ] && [ -e "$1" ] || { echo "no LD_DEBUG output was written"; return 1; }
    # One pass: every libkeyutils path named, and whether the MAIN process
    # (a file with "object=MAIN [0]") loaded one.
    res=$(awk -v main="$main" '
        FNR == 1 { if (m && k) found = 1; m = 0; k = 0 }
        $0 ~ "object=([^ ]*/)?" main " \\[0\\]" { m = 1 }
        match($0, /(object=|calling init: |calling fini: )[^ ]*libkeyutils[^ ]*/) {
            s = substr($0, RSTART, RLENGTH); sub(/^(object=|calling init: |calling fini: )/, "", s)
            paths[s] = 1; if ($0 ~ /object=/) k = 1 }
        END { if (m && k) found = 1; print (found ? "main" : "nomain"); for (q in paths) print q }' "$@")
    for p in $res; do
        case $p in
            main) found_main=1 ;;
            nomain) ;;
            "$EXPECT_LIB") ;;
            *)  if [ "$(realpath -e "$p" 2>/dev/null)" != "$EXPECT_LIB" ]; then
                    echo "loaded $p -> $(realpath "$p" 2>/dev/null), expected $EXPECT_LIB"
                    return 1
                fi ;;
        esac
    done
    [ "$found_main" = 1 ] || { echo "no $main process with libkeyutils in the LD_DEBUG output"; return 1; }
    return 0
}

# prove_maps PID : /proc/PID/maps of a running process maps EXPECT_LIB and no
# other libkeyutils.  Prints the reason and returns 1 otherwise.
prove_maps() { kt_maps_lib "$1" "$EXPECT_LIB"; }
# wait_maps PID EXE : wait (bounded) until PID has exec'd EXE and mapped some
# libkeyutils, so prove_maps looks at the client, not at the shell that forked it.
wait_maps() { kt_wait_maps "$@"; }

# proc_keys_has SERIAL TYPE DESC : independent of any libkeyutils, the
# kernel's /proc/keys lists key SERIAL with that type and description.
proc_keys_has() {
    local hex
    hex=$(printf '%08x' "$1" 2>/dev/null) || return 1
    # A negative key's line has no ": payload" after the description.
    awk -v h="$hex" -v t="$2" -v d="$3" \
        '$1 == h && $8 == t && ($9 == d ":" || ($9 == d && NF == 9)) {found=1} END {exit !found}' /proc/keys
}

# A fresh session keyring: anonymous, empty, not the user-session keyring.
assert_fresh_session() {
    local s us
    s=$(kt_sys_keyctl id @s)
    us=$(kt_sys_keyctl id @us)
    if [ -n "$s" ] && [ "$s" != "$us" ] && proc_keys_has "$s" keyring _ses &&
       [ -z "$(kt_sys_keyctl rlist @s)" ]; then
        ok "runs in its own fresh session keyring"
    else
        not_ok "runs in its own fresh session keyring (s=$s us=$us)"
    fi
}

# ------------------------------------------------ running clients, checking output
# Callers set LDENV (array of VAR=VALUE choosing the library) and MAIN (the
# client program whose process must load it, for prove_ld_debug).
N=0
: > "$WORK/map.sed"
: > "$WORK/transcript"

# run [--in FILE] [--env VAR=VAL]... CMD ARG... : run a client on the library
# under test.  Leaves the exit code in RC, the first stdout line in OUT, and
# its files under the prefix D: $D.cmd, $D.out, $D.err, $D.ld.PID (one
# LD_DEBUG log per process).  Few processes per step: the suite runs ~600.
run() {
    local in=/dev/null extra=()
    while [ $# -gt 0 ]; do
        case $1 in
            --in)  in=$2; shift 2 ;;
            --env) extra+=("$2"); shift 2 ;;
            *) break ;;
        esac
    done
    N=$((N + 1))
    D=$WORK/run.$N
    printf '%s\n' "$*" > "$D.cmd"
    env -u LD_LIBRARY_PATH -u LD_PRELOAD "${LDENV[@]}" "${extra[@]}" \
        LD_DEBUG=libs,scopes LD_DEBUG_OUTPUT="$D.ld" "$@" <"$in" >"$D.out" 2>"$D.err"
    RC=$?
    OUT=; IFS= read -r OUT < "$D.out"
}

norm() { sed -E -f "$WORK/map.sed"; }

# expect_text TEXT: REPLY = the exact bytes meant by an expectation: "" is no
# output at all, "<empty line>" a single newline, anything else TEXT and a
# newline.
expect_text() {
    case $1 in
        "") REPLY= ;;
        "<empty line>") REPLY=$'\n' ;;
        *) REPLY=$1$'\n' ;;
    esac
}

# slurp FILE: REPLY = the whole file; returns 1 if it holds a NUL byte (which
# a shell variable cannot hold).
slurp() {
    REPLY=
    if IFS= read -r -d '' REPLY < "$1"; then return 1; fi
    return 0
}

# chk NAME RC STDOUT STDERR : the last run gave exactly this (serials shown
# by their names) and loaded the library under test.  STDOUT/STDERR are the
# text without its final newline (see expect_text).
chk() {
    local name=$1 erc=$2 eout=$3 eerr=$4 why="" proof got_out got_err want_out want_err cmd
    if [ -n "${RAW_EXPECT:-}" ]; then
        cmp -s "$D.out" "$RAW_EXPECT" || why+=" stdout differs;"
        want_out="(the bytes of $RAW_EXPECT)"
    fi
    sed -i -E -f "$WORK/map.sed" "$D.cmd" "$D.out" "$D.err"
    slurp "$D.out" || [ -n "${RAW_EXPECT:-}" ] || why+=" stdout has a NUL byte;"
    got_out=$REPLY
    slurp "$D.err" || why+=" stderr has a NUL byte;"
    got_err=$REPLY
    slurp "$D.cmd"; cmd=$REPLY
    if [ -z "${RAW_EXPECT:-}" ]; then
        expect_text "$eout"; want_out=$REPLY
        [ "$got_out" = "$want_out" ] || why+=" stdout differs;"
    fi
    expect_text "$eerr"; want_err=$REPLY
    [ "$got_err" = "$want_err" ] || why+=" stderr differs;"
    [ "$RC" = "$erc" ] || why+=" exit $RC, expected $erc;"
    proof=$(prove_ld_debug "$MAIN" "$D".ld.*) || why+=" library: $proof;"
    {
        printf '$ %s[exit %s]\n' "$cmd" "$RC"
        if [ -n "${RAW_EXPECT:-}" ]; then cat "$D.out"; else printf '%s' "$got_out"; fi
        printf '[stderr]\n%s' "$got_err"
    } >> "$WORK/transcript"
    if [ -z "$why" ]; then
        ok "$MAIN $name"
    else
        not_ok "$MAIN $name:$why"
        printf -- '--- expected stdout\n%s--- got stdout\n%s--- expected stderr\n%s--- got stderr\n%s' \
            "$want_out" "$got_out" "$want_err" "$got_err" | diag
    fi
}

# chk_raw NAME RC FILE STDERR : like chk, but stdout must be the bytes of
# FILE exactly (no newline added, nothing normalised).
chk_raw() { RAW_EXPECT=$3 chk "$1" "$2" "" "$4"; }

declare -A TOK_OF DESC_OF

# learn NAME SERIAL TYPE DESC : SERIAL (printed by the client) is a key that
# /proc/keys shows with this type and description; from now on it prints as
# <NAME>.
learn() {
    local tok=$1 serial=$2 type=$3 desc=$4
    if [[ $serial =~ ^[1-9][0-9]*$ ]] && { [ -n "${NO_PROC_CHECK:-}" ] || proc_keys_has "$serial" "$type" "$desc"; }; then
        printf 's/^ *\\b%s\\b/<%s>/\ns/\\b%s\\b/<%s>/g\ns/^ *0x0*%x\\b/<%s hex>/\n' \
            "$serial" "$tok" "$serial" "$tok" "$serial" "$tok" >> "$WORK/map.sed"
        eval "$tok=$serial"
        TOK_OF[$serial]=$tok
        DESC_OF[$serial]="$type: $desc"
        return 0
    fi
    not_ok "serial '$serial' printed for $type:$desc is in /proc/keys"
    eval "$tok=0"
    return 1
}

# learn_transient NAME SERIAL TYPE DESC : like learn, for a session keyring
# that may be gone already (its only holder exited); the client's own output
# must then confirm it.
learn_transient() { NO_PROC_CHECK=1 learn "$@"; }

# learn_proc NAME TYPE DESC : find a key the client made (and did not print)
# in /proc/keys by its unique description.
learn_proc() {
    local hex
    hex=$(awk -v t="$2" -v d="$3" '$8 == t && ($9 == d ":" || ($9 == d && NF == 9)) {print $1}' /proc/keys)
    if [ "$(printf '%s\n' "$hex" | wc -w)" = 1 ]; then
        learn "$1" "$((16#$hex))" "$2" "$3"
    else
        not_ok "exactly one $2:$3 in /proc/keys (found '$hex')"
        eval "$1=0"
    fi
}

# proc_keys_field SERIAL N : field N of the /proc/keys line for SERIAL.
proc_keys_field() {
    awk -v h="$(printf '%08x' "$1")" -v n="$2" '$1 == h {print $n}' /proc/keys
}

# ------------------------------------------------ expected listings
# The kernel orders keyrings (see rawkeys.py); the expected text is built in
# the kernel's order from the names and descriptions learned above.
RAWKEYS="/usr/bin/env -u LD_LIBRARY_PATH -u LD_PRELOAD /usr/bin/python3 $(dirname "${BASH_SOURCE[0]}")/rawkeys.py"

tok() { if [ -n "${TOK_OF[$1]:-}" ]; then echo "<${TOK_OF[$1]}>"; else echo "$1"; fi; }

# exp_rlist SERIAL: what `keyctl rlist` must print.
exp_rlist() {
    local s out=()
    for s in $($RAWKEYS rlist "$1"); do out+=("$(tok "$s")"); done
    if [ ${#out[@]} = 0 ]; then echo "<empty line>"; else echo "${out[*]}"; fi
}

# exp_list SERIAL [PERMS]: what `keyctl list` must print; PERMS is the
# column text between serial and type (the same for every key here).
exp_list() {
    local s n=0 lines=""
    local perms=${2:-"--alswrv     0     0"}
    for s in $($RAWKEYS rlist "$1"); do
        n=$((n + 1))
        lines+=$'\n'"$(tok "$s"): $perms ${DESC_OF[$s]:-?}"
    done
    case $n in
        0) echo "keyring is empty" ;;
        1) echo "1 key in keyring:$lines" ;;
        *) echo "$n keys in keyring:$lines" ;;
    esac
}

# exp_show SERIAL HEADING [hex]: what `keyctl show` must print.
exp_show() {
    local s prefix t out=$2
    while IFS=$'\t' read -r s prefix; do
        t=$(tok "$s")
        [ "${3:-}" = hex ] && t="${t%>} hex>"
        out+=$'\n'"$t --alswrv      0     0 $prefix${DESC_OF[$s]:-?}"
    done < <($RAWKEYS tree "$1")
    echo "$out"
}

# What `keyctl supports` must say is the kernel's own answer: KEYCTL_CAPABILITIES
# asked by rawkeys.py (no libkeyutils), decoded here as keyctl 1.6.3 decodes
# it.  Its table, in the order it prints: name, byte, bit (KEYCTL_CAPS0_* and
# KEYCTL_CAPS1_* of keyutils.h).
SUPPORTS_TABLE=(
    "capabilities 0 0x01"        "persistent_keyrings 0 0x02" "dh_compute 0 0x04"
    "public_key 0 0x08"          "big_key_type 0 0x10"        "key_invalidate 0 0x20"
    "restrict_keyring 0 0x40"    "move_key 0 0x80"            "ns_keyring_name 1 0x01"
    "ns_key_tag 1 0x02"          "notify 1 0x04"
)

# cap_bit HEX BYTE MASK: 1 if the kernel's answer HEX (as `rawkeys.py caps`
# prints it) has that bit, else 0.  A byte the kernel did not give is 0, as in
# keyctl's buffer.
cap_bit() {
    local b=${1:$(($2 * 2)):2}
    echo $(( (16#${b:-00} & $3) != 0 ))
}

# kernel_caps: CAPS_HEX = the kernel's answer in hex; returns 1 (and CAPS_HEX
# says why) if there is none: before Linux 5.3 there is no KEYCTL_CAPABILITIES.
kernel_caps() {
    CAPS_HEX=$($RAWKEYS caps 2>&1) && [[ $CAPS_HEX =~ ^([0-9a-f]{2})+$ ]]
}

# exp_supports HEX: what `keyctl supports` must print for the answer HEX.
exp_supports() {
    local row name idx mask out=()
    for row in "${SUPPORTS_TABLE[@]}"; do
        read -r name idx mask <<< "$row"
        out+=("have_$name=$(cap_bit "$1" "$idx" "$mask")")
    done
    printf '%s\n' "${out[@]}"
}

finish() {
    # The scenario's pid is part of some names (as $PIDTAG, never a bare
    # number: payload dumps hold every run of digits), and the build date in
    # `keyctl --version` is the library's own keyutils_build_string (checked
    # exactly by keyctl.sh): neither is a difference between the libraries.
    sed -i -E "s/$PIDTAG/<PID>/g; s/\(Built [0-9]{4}-[0-9]{2}-[0-9]{2}\)/(Built <DATE>)/" "$WORK/transcript"
    echo "# [$LABEL] subtotal: $KT_PASS ok, $KT_FAIL not ok"
    [ "$KT_FAIL" = 0 ]
}

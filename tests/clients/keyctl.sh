#!/bin/bash
# Debian's /usr/bin/keyctl run on the library in $LIBDIR.
#
# Usage (from run.sh, inside a fresh session keyring):
#   LIBDIR=... LABEL=... WORK=... keyctl.sh ldpath|preload
# ldpath:  LD_LIBRARY_PATH=$LIBDIR keyctl ...
# preload: LD_PRELOAD=$LIBDIR/libkeyutils.so.1 keyctl ...
#
# Every keyctl run is checked for exact stdout, stderr and exit code, with
# serial numbers replaced by names (<K1>, <R1>, ...) that were learned from
# earlier output and confirmed in /proc/keys, and for the library ld.so
# loaded (LD_DEBUG=libs,scopes).  A normalised transcript is written to
# $WORK/transcript so run.sh can compare the runs on the two libraries.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

MODE=$1
case $MODE in
    ldpath)  LDENV=("LD_LIBRARY_PATH=$LIBDIR") ;;
    preload) LDENV=("LD_PRELOAD=$LIBDIR/libkeyutils.so.1") ;;
    *) echo "usage: keyctl.sh ldpath|preload" >&2; exit 2 ;;
esac
LABEL="$LABEL $MODE"
KEYCTL=/usr/bin/keyctl
MAIN=keyctl
P=$PIDTAG
kc() {
    local opts=()
    while [ "$1" = --in ] || [ "$1" = --env ]; do opts+=("$1" "$2"); shift 2; done
    run "${opts[@]}" "$KEYCTL" "$@"
}

assert_fresh_session

# ---------------------------------------------------------------- fixtures

ALL256=$WORK/all256
printf '%b' "$(printf '\\%03o' $(seq 0 255))" > "$ALL256"
HEX256=$(od -An -v -tx1 "$ALL256" | tr -d ' \n')
# keyctl read's dump: 4-byte groups, 8 groups a line.
DUMP256=$(printf '%s' "$HEX256" | fold -w64 | sed -E 's/(.{8})/\1 /g; s/ $//')

# The strings keyctl --version prints come from the library (keyctl
# copy-relocates keyutils_version_string and keyutils_build_string).
read -r LIB_VERSION LIB_BUILD < <(/usr/bin/python3 - "$LIBDIR/libkeyutils.so.1" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
v = (ctypes.c_char * 64).in_dll(lib, "keyutils_version_string").value.decode()
b = (ctypes.c_char * 64).in_dll(lib, "keyutils_build_string").value.decode()
print(v, b)
EOF
)

# ---------------------------------------------------------------- scenario

kc --version
if [ "$LIB_VERSION" = keyutils-1.6.3 ] && [[ $LIB_BUILD =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
    chk "--version" 0 "keyctl from keyutils-1.6.3 (Built $LIB_BUILD)" ""
else
    not_ok "library strings: version '$LIB_VERSION' (want keyutils-1.6.3), build '$LIB_BUILD' (want a date)"
fi

kc id @s
learn SES "$OUT" keyring _ses
chk "id @s" 0 "<SES>" ""

# A /proc/PID/maps proof of a running keyctl: padd blocks reading stdin.
mkfifo "$WORK/fifo"
env -u LD_LIBRARY_PATH -u LD_PRELOAD "${LDENV[@]}" \
    "$KEYCTL" padd user "maps$P" @s < "$WORK/fifo" > "$WORK/maps.out" 2>&1 &
kpid=$!
exec 7> "$WORK/fifo"
if wait_maps "$kpid" "$KEYCTL" && why=$(prove_maps "$kpid"); then
    ok "running keyctl (pid $kpid) maps $EXPECT_LIB in /proc/$kpid/maps"
else
    not_ok "running keyctl (pid $kpid) maps $EXPECT_LIB: ${why:-did not start}"
fi
printf 'through a fifo' >&7
exec 7>&-
for i in $(seq 100); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kill "$kpid" 2>/dev/null
wait "$kpid"; prc=$?
if [ "$prc" = 0 ] && learn KF "$(cat "$WORK/maps.out")" user "maps$P"; then
    ok "keyctl padd from a fifo printed the new key's serial"
else
    not_ok "keyctl padd from a fifo (exit $prc): $(cat "$WORK/maps.out")"
fi
printf 'through a fifo' > "$WORK/fifo.payload"
kc pipe "$KF"
chk_raw "pipe (payload written through the fifo, no newline added)" 0 "$WORK/fifo.payload" ""
kc unlink "$KF" @s
chk "unlink KF @s" 0 "" ""

# add / describe / read / print / pipe / update
kc add user k1 hello @s
learn K1 "$OUT" user k1
chk "add user k1" 0 "<K1>" ""
kc add user k1 hello2 @s
chk "add to an existing description updates the same key" 0 "<K1>" ""
kc newring r1 @s
learn R1 "$OUT" keyring r1
chk "newring r1" 0 "<R1>" ""

kc describe @s
chk "describe @s" 0 "       -3: alswrv----rv------------     0     0 keyring: _ses" ""
kc describe "$K1"
chk "describe K1" 0 "<K1>: alswrv-----v------------     0     0 user: k1" ""
kc rdescribe "$K1"
chk "rdescribe K1" 0 "user;0;0;3f010000;k1" ""
kc rdescribe "$K1" :
chk "rdescribe K1 with separator" 0 "user:0:0:3f010000:k1" ""
kc rdescribe @s
chk "rdescribe @s" 0 "keyring;0;0;3f030000;_ses" ""
kc read "$K1"
chk "read K1" 0 "6 bytes of data in key:
68656c6c 6f32" ""
kc print "$K1"
chk "print K1" 0 "hello2" ""
kc update "$K1" "new data"
chk "update K1" 0 "" ""
kc print "$K1"
chk "print after update" 0 "new data" ""
printf 'new data' > "$WORK/k1.payload"
kc pipe "$K1"
chk_raw "pipe K1 (exact payload, no newline)" 0 "$WORK/k1.payload" ""
kc add -x user kx "00 41ff" @s
learn KX "$OUT" user kx
chk "add -x (hex payload)" 0 "<KX>" ""
kc print "$KX"
chk "print binary payload" 0 ":hex:0041ff" ""

# binary payloads: every byte value, in through padd, out through pipe/read/print
kc --in "$ALL256" padd user bin256 @s
learn KB "$OUT" user bin256
chk "padd 256 byte values" 0 "<KB>" ""
kc pipe "$KB"
chk_raw "pipe returns all 256 byte values unchanged" 0 "$ALL256" ""
kc read "$KB"
chk "read 256 byte values (hex dump)" 0 "256 bytes of data in key:
$DUMP256" ""
kc print "$KB"
chk "print 256 byte values" 0 ":hex:$HEX256" ""
kc --in "$ALL256" pupdate "$K1"
chk "pupdate with 256 byte values" 0 "" ""
kc pipe "$K1"
chk_raw "pipe after pupdate returns the 256 bytes" 0 "$ALL256" ""

# list / rlist / show
kc list @s
chk "list @s" 0 "$(exp_list @s)" ""
kc rlist @s
chk "rlist @s" 0 "$(exp_rlist @s)" ""
kc list "$R1"
chk "list empty keyring" 0 "keyring is empty" ""
kc rlist "$R1"
chk "rlist empty keyring (one empty line)" 0 "<empty line>" ""

# link / unlink / move
kc link "$K1" "$R1"
chk "link K1 R1" 0 "" ""
kc rlist "$R1"
chk "rlist R1 after link" 0 "<K1>" ""
kc unlink "$K1" "$R1"
chk "unlink K1 R1" 0 "" ""
kc unlink "$K1" "$R1"
chk "unlink a key that is not linked" 1 "" "keyctl_unlink: No such file or directory"
kc add user k2 two @s
learn K2 "$OUT" user k2
chk "add user k2" 0 "<K2>" ""
kc move "$K2" @s "$R1"
chk "move K2 @s R1" 0 "" ""
kc move "$K2" @s "$R1"
chk "move from a keyring it is not in" 1 "" "keyctl_move: No such file or directory"
kc add user k2 other @s
learn K2B "$OUT" user k2
chk "add a second user k2 in @s" 0 "<K2B>" ""
kc move "$K2" "$R1" @s
chk "move onto an existing description" 1 "" "keyctl_move: File exists"
kc move -f "$K2" "$R1" @s
chk "move -f replaces it" 0 "" ""
kc rlist "$R1"
chk "R1 empty after move -f" 0 "<empty line>" ""
kc link "$K2" "$R1"
chk "link K2 R1" 0 "" ""
kc unlink "$K2"
chk "unlink K2 from the whole session tree" 0 "2 links removed" ""

# search / request / request2
kc link "$K1" "$R1"
chk "link K1 R1 again" 0 "" ""
kc search @s user k1
chk "search @s user k1" 0 "<K1>" ""
kc newring rq @s
learn RQ "$OUT" keyring rq
chk "newring rq" 0 "<RQ>" ""
kc search @s user k1 "$RQ"
chk "search with destination keyring" 0 "<K1>" ""
kc search @s user "nothere$P"
chk "search for a missing key" 1 "" "keyctl_search: Required key not available"
kc search @s logon k1
chk "search wrong type" 1 "" "keyctl_search: Required key not available"
kc request user kx
chk "request user kx" 0 "<KX>" ""
kc request user kx "$RQ"
chk "request user kx into RQ" 0 "<KX>" ""
kc request user "nothere$P"
chk "request a missing key" 1 "" "request_key: Required key not available"
kc rlist "$RQ"
chk "RQ holds the linked results" 0 "$(exp_rlist "$RQ")" ""
got=$(exp_rlist "$RQ" | tr ' ' '\n' | sort | tr '\n' ' ')
if [ "$got" = "<K1> <KX> " ]; then ok "kernel says RQ holds exactly K1 and KX"
else not_ok "kernel says RQ holds exactly K1 and KX (got $got)"; fi
kc request2 user "debug:loop:$P" "callout data $P" "$RQ"
learn KL "$OUT" user "debug:loop:$P"
chk "request2 with a callout (request-key instantiates via /bin/cat)" 0 "<KL>" ""
kc print "$KL"
chk "print the key request-key made" 0 "callout data $P" ""
kc request2 user "debug:neg:$P" negate "$RQ"
chk "request2 that request-key negates" 1 "" "request_key: Required key not available"
learn_proc KN user "debug:neg:$P"
kc rlist "$RQ"
chk "RQ after request2" 0 "$(exp_rlist "$RQ")" ""
kc list "$RQ"
chk "list RQ" 0 "$(exp_list "$RQ")" ""

# show (widths normalised by the serial names)
kc show @s
chk "show @s" 0 "$(exp_show @s Keyring)" ""
kc show
chk "show (default: session keyring)" 0 "$(exp_show @s "Session Keyring")" ""
kc show -x "$R1"
chk "show -x R1" 0 "$(exp_show "$R1" Keyring hex)" ""
kc show "$R1"
chk "show R1" 0 "$(exp_show "$R1" Keyring)" ""

# clear
kc clear "$RQ"
chk "clear RQ" 0 "" ""
kc list "$RQ"
chk "list RQ after clear" 0 "keyring is empty" ""

# purge (only keys in a keyring of its own in this session tree)
kc newring rp @s
learn RP "$OUT" keyring rp
chk "newring rp" 0 "<RP>" ""
for d in p1 p2 P3 q1; do
    kc add user "$d" x "$RP"
    learn "KP_$d" "$OUT" user "$d"
    chk "add user $d in RP" 0 "<KP_$d>" ""
done
kc add logon "x:q1" x "$RP"
learn KPL "$OUT" logon "x:q1"
chk "add logon x:q1 in RP" 0 "<KPL>" ""
kc purge user p1
chk "purge user p1" 0 "user 'p1'
purged 1 keys" ""
kc purge -p user p
chk "purge -p (prefix)" 0 "user 'p2'
purged 1 keys" ""
kc purge -i -p user p
chk "purge -i -p (case-independent prefix)" 0 "user 'P3'
purged 1 keys" ""
kc purge -s user q1
chk "purge -s (search)" 0 "purged 1 keys" ""
kc rlist "$RP"
chk "RP after purges" 0 "<KPL>" ""
kc list "$RP"
chk "list RP (a logon key)" 0 "1 key in keyring:
<KPL>: --alsw-v     0     0 logon: x:q1" ""
kc purge logon
chk "purge a whole type" 0 "purged 1 keys" ""
kc list "$RP"
chk "RP empty after purge logon" 0 "keyring is empty" ""

# setperm / chown / timeout
kc add user perm x @s
learn KP "$OUT" user perm
chk "add user perm" 0 "<KP>" ""
kc setperm "$KP" 0x3f010000
chk "setperm 0x3f010000" 0 "" ""
kc chown "$KP" 1
chk "chown to uid 1" 0 "" ""
kc describe "$KP"
chk "describe shows uid 1" 0 "<KP>: alswrv-----v------------     1     0 user: perm" ""
kc chown "$KP" 0
chk "chown back to uid 0" 0 "" ""
kc setperm "$KP" 0x01000000
chk "setperm view-only" 0 "" ""
kc read "$KP"
chk "read without read permission" 1 "" "keyctl_read_alloc: Permission denied"
kc print "$KP"
chk "print without read permission" 1 "" "keyctl_read_alloc: Permission denied"
kc pipe "$KP"
chk "pipe without read permission" 1 "" "keyctl_read_alloc: Permission denied"
kc setperm "$KP" 0
chk "setperm without setattr permission" 1 "" "keyctl_setperm: Permission denied"
kc timeout "$KP" 100
chk "timeout without setattr permission" 1 "" "keyctl_set_timeout: Permission denied"

kc add user tmo x @s
learn KT "$OUT" user tmo
chk "add user tmo" 0 "<KT>" ""
kc timeout "$KT" 100
chk "timeout 100" 0 "" ""
exp=$(proc_keys_field "$KT" 4)
if [ "$exp" = 1m ]; then ok "/proc/keys shows the 100 s timeout as 1m"; else not_ok "/proc/keys shows the 100 s timeout as 1m (got '$exp')"; fi
kc timeout "$KT" 0
chk "timeout 0 clears it" 0 "" ""
exp=$(proc_keys_field "$KT" 4)
if [ "$exp" = perm ]; then ok "/proc/keys shows no expiry after timeout 0"; else not_ok "/proc/keys shows no expiry after timeout 0 (got '$exp')"; fi
kc timeout "$KT" 1
chk "timeout 1" 0 "" ""
t_expire=$(date +%s%N)

# revoke / invalidate
kc add user rev x @s
learn KR "$OUT" user rev
chk "add user rev" 0 "<KR>" ""
kc revoke "$KR"
chk "revoke" 0 "" ""
kc describe "$KR"
chk "describe revoked key" 1 "" "keyctl_describe_alloc: Key has been revoked"
kc read "$KR"
chk "read revoked key" 1 "" "keyctl_read_alloc: Key has been revoked"
kc update "$KR" y
chk "update revoked key" 1 "" "keyctl_update: Key has been revoked"
kc add user inv x @s
learn KI "$OUT" user inv
chk "add user inv" 0 "<KI>" ""
kc invalidate "$KI"
chk "invalidate" 0 "" ""
kc describe "$KI"
chk "describe invalidated key" 1 "" "keyctl_describe_alloc: Required key not available"

# restrict_keyring
kc newring rr @s
learn RR "$OUT" keyring rr
chk "newring rr" 0 "<RR>" ""
kc restrict_keyring "$RR"
chk "restrict_keyring (no links at all)" 0 "" ""
kc add user k5 x "$RR"
chk "add to a restricted keyring" 1 "" "add_key: Operation not permitted"
kc restrict_keyring "$RR"
chk "restrict_keyring twice" 1 "" "keyctl_restrict_keyring: File exists"
kc newring rr2 @s
learn RR2 "$OUT" keyring rr2
chk "newring rr2" 0 "<RR2>" ""
kc restrict_keyring "$RR2" "bogus$P"
chk "restrict_keyring unknown type" 1 "" "keyctl_restrict_keyring: Invalid argument"
kc restrict_keyring "$RR2" asymmetric builtin_trusted
chk "restrict_keyring asymmetric builtin_trusted" 0 "" ""
kc add user k6 x "$RR2"
# With CONFIG_SYSTEM_TRUSTED_KEYRING (the kernel then makes .builtin_trusted_keys)
# the restriction is restrict_link_by_builtin_trusted(), which calls
# restrict_link_by_signature(): -EOPNOTSUPP for any type but asymmetric.
# Without it, include/keys/system_keyring.h defines that restriction as
# restrict_link_reject(), which gives -EPERM to every key.
if awk '$8 == "keyring" && $9 == ".builtin_trusted_keys:" {f = 1} END {exit !f}' /proc/keys; then
    chk "add a user key to a builtin_trusted keyring (kernel has .builtin_trusted_keys)" 1 "" \
        "add_key: Operation not supported"
else
    chk "add a user key to a builtin_trusted keyring (kernel has no .builtin_trusted_keys)" 1 "" \
        "add_key: Operation not permitted"
fi

# get_persistent: shared per-uid keyring; only linked here, never changed.
kc get_persistent @s
learn PERS "$OUT" keyring _persistent.0
chk "get_persistent @s" 0 "<PERS>" ""
kc get_persistent @s 0
chk "get_persistent @s 0 (same keyring)" 0 "<PERS>" ""
kc unlink "$PERS" @s
chk "unlink the persistent keyring again" 0 "" ""

# supports: the expected answers are the kernel's own (see exp_supports).
if kernel_caps; then
    kc supports
    chk "supports (kernel says $CAPS_HEX)" 0 "$(exp_supports "$CAPS_HEX")" ""
    kc supports --raw
    chk "supports --raw" 3 "$CAPS_HEX" ""
    for cap_row in "${SUPPORTS_TABLE[@]}"; do
        read -r cap_name cap_idx cap_mask <<< "$cap_row"
        kc supports "$cap_name"
        chk "supports $cap_name (exit 0 if the kernel has it, 1 if not)" \
            "$(( 1 - $(cap_bit "$CAPS_HEX" "$cap_idx" "$cap_mask") ))" "" ""
    done
else
    # Without KEYCTL_CAPABILITIES the library probes instead; those answers
    # cannot be had from the kernel in one call.
    not_ok "kernel answers KEYCTL_CAPABILITIES (rawkeys.py caps: $CAPS_HEX): supports not checked"
fi
kc supports have_key_invalidate
chk "supports have_key_invalidate (not a name in the table)" 3 "" ""

# session / new_session (each joins a keyring of its own)
kc session - /bin/sh -c "$KEYCTL id @s; $KEYCTL rdescribe @s"
learn_transient NS1 "$OUT" keyring _ses
chk "session - PROG" 0 "<NS1>
keyring;0;0;3f030000;_ses" "Joined session keyring: <NS1>"
kc session "sess$P" /bin/sh -c "$KEYCTL id @s; $KEYCTL rdescribe @s"
learn_transient NS2 "$OUT" keyring "sess$P"
chk "session NAME PROG" 0 "<NS2>
keyring;0;0;3f130000;sess$P" "Joined session keyring: <NS2>"
printf '#!/bin/sh\n%s id @s\n%s rdescribe @s\n' "$KEYCTL" "$KEYCTL" > "$WORK/shell"
chmod +x "$WORK/shell"
run --env SHELL="$WORK/shell" "$KEYCTL" session
learn_transient NS3 "$OUT" keyring _ses
chk "session (no args) runs \$SHELL" 0 "<NS3>
keyring;0;0;3f030000;_ses" "Joined session keyring: <NS3>"
# new_session installs the keyring on its parent: a shell made for it.
run /bin/sh -c "$KEYCTL new_session nsess$P; echo \"exit \$?\"; $KEYCTL rdescribe @s; $KEYCTL id @s"
learn_transient NS4 "$OUT" keyring "nsess$P"
chk "new_session NAME changes the parent's session" 0 "<NS4>
exit 0
keyring;0;0;3f130000;nsess$P
<NS4>" ""
kc id @s
chk "our own session keyring is unchanged" 0 "<SES>" ""

# chgrp / security / prequest2 / rlist of a key that is not a keyring
kc add user grp x @s
learn KG "$OUT" user grp
chk "add user grp" 0 "<KG>" ""
kc chgrp "$KG" 5
chk "chgrp to gid 5" 0 "" ""
kc describe "$KG"
chk "describe shows gid 5" 0 "<KG>: alswrv-----v------------     0     5 user: grp" ""
kc security "$KG"
# The label (none, or one from SELinux, Smack, ...) as the kernel gives it.
if label=$($RAWKEYS security "$KG" 2>&1); then
    chk "security (the kernel's label: '$label')" 0 "${label:-<empty line>}" ""
else
    not_ok "rawkeys.py security KG: $label"
fi
kc rlist "$KG"
chk "rlist of a 1-byte user key (no whole serials: an empty line)" 0 "<empty line>" ""
printf 'pdata\n' > "$WORK/callout"
kc --in "$WORK/callout" prequest2 user "debug:loop:p$P" "$RQ"
learn KPQ "$OUT" user "debug:loop:p$P"
chk "prequest2 (callout data from stdin)" 0 "<KPQ>" ""
kc print "$KPQ"
chk "print the key made from the piped callout" 0 ":hex:70646174610a" ""

# errors from the library's argument checks
kc describe 0
chk "describe 0" 1 "" "keyctl_describe_alloc: Invalid argument"
kc list 0
chk "list 0" 1 "" "keyctl_read_alloc: Required key not available"
kc read 0
chk "read 0" 1 "" "keyctl_read_alloc: Required key not available"
kc describe 2147483647
chk "describe a serial that does not exist" 1 "" "keyctl_describe_alloc: Required key not available"

# timeout 1 set above: wait (bounded) until it has passed.
while [ $(( ($(date +%s%N) - t_expire) / 1000000 )) -lt 1500 ]; do sleep 0.2; done
kc read "$KT"
chk "read a key whose timeout passed" 1 "" "keyctl_read_alloc: Key has expired"

finish

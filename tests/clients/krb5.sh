#!/bin/bash
# MIT Kerberos clients (kinit, klist, kvno, kdestroy) with a KEYRING:
# credential cache, on the library in $LIBDIR (LD_LIBRARY_PATH; libkrb5.so.3
# needs libkeyutils.so.1).
#
# Run by run.sh inside a fresh session keyring, after krb5_realm.sh started
# the realm: KRB5_CONFIG, KRB5_REALM, KRB5_PORT are set.  The cache is
# KEYRING:session:krbcc, so krb5 keeps everything under this session keyring.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

LDENV=("LD_LIBRARY_PATH=$LIBDIR" "KRB5CCNAME=KEYRING:session:krbcc")
R=$KRB5_REALM
TIME='[0-9]{2}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
# Ticket times are the only thing normalised (besides serials).
echo "s#$TIME#<TIME>#g" >> "$WORK/map.sed"

assert_fresh_session

# ticket_lines: the klist lines for the tickets in the cache keyring, in
# the kernel's order (the KEYRING: cache lists its keyring), found with raw
# system calls and /proc/keys, not through any libkeyutils.
ticket_lines() {
    local cc serial desc
    cc=$(awk '$8 == "keyring" && $9 == "krbcc:" {print $1}' /proc/keys)
    [ -n "$cc" ] || return 0
    $RAWKEYS descs "$((16#$cc))" | while IFS=$'\t' read -r serial desc; do
        desc=${desc#user;0;0;3f010000;}
        case $desc in
            __krb5_princ__|__krb5_time_offsets__|krb5_ccache_conf_data/*) ;;
            *) echo "<TIME>  <TIME>  $desc" ;;
        esac
    done
}

# session_keys: "type description:" of every key in this session keyring's
# tree, from raw system calls and /proc/keys, sorted, joined with "|".
session_keys() {
    local serial prefix
    $RAWKEYS tree @s | while IFS=$'\t' read -r serial prefix; do
        awk -v h="$(printf '%08x' "$serial")" '$1 == h {print $8, $9}' /proc/keys
    done | sort | tr '\n' '|'
}

# --- kinit with a wrong password
MAIN=kinit
echo wrong > "$WORK/wrong"
run --in "$WORK/wrong" kinit alice
chk "with a wrong password" 1 "Password for alice@$R: " "kinit: Password incorrect while getting initial credentials"

# --- kinit, proved on the running process: it waits for the password
mkfifo "$WORK/pw"
env -u LD_LIBRARY_PATH -u LD_PRELOAD "${LDENV[@]}" \
    LD_DEBUG=libs,scopes LD_DEBUG_OUTPUT="$WORK/kinit.ld" \
    /usr/bin/kinit alice < "$WORK/pw" > "$WORK/kinit.out" 2> "$WORK/kinit.err" &
kpid=$!
exec 7> "$WORK/pw"
if wait_maps "$kpid" /usr/bin/kinit && why=$(prove_maps "$kpid"); then
    ok "running kinit (pid $kpid) maps $EXPECT_LIB in /proc/$kpid/maps"
else
    not_ok "running kinit (pid $kpid) maps $EXPECT_LIB: ${why:-did not start}"
fi
echo secret >&7
exec 7>&-
for i in $(seq 200); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kill "$kpid" 2>/dev/null
wait "$kpid"; krc=$?
N=$((N + 1)); D=$WORK/run.$N
mv "$WORK/kinit.out" "$D.out"; mv "$WORK/kinit.err" "$D.err"
for f in "$WORK"/kinit.ld.*; do mv "$f" "$D.ld.${f##*.}"; done
echo "kinit alice (password through a fifo)" > "$D.cmd"
RC=$krc
chk "alice (password on stdin)" 0 "Password for alice@$R: " ""

MAIN=klist
run klist
tickets=$(ticket_lines)
chk "after kinit" 0 "Ticket cache: KEYRING:session:krbcc:krbcc
Default principal: alice@$R

Valid starting     Expires            Service principal
$tickets" ""
if [ "$tickets" = "<TIME>  <TIME>  krbtgt/$R@$R" ]; then
    ok "the cache keyring holds exactly the TGT"
else
    not_ok "the cache keyring holds exactly the TGT (got: $(tr '\n' '|' <<< "$tickets"))"
fi
run klist -s
chk "-s (valid tickets: exit 0)" 0 "" ""
run klist -l
chk "-l (cache collection)" 0 "Principal name                 Cache name
--------------                 ----------
$(printf '%-30s %s' "alice@$R" KEYRING:session:krbcc:krbcc)" ""

MAIN=kvno
run kvno host/svc.test
chk "host/svc.test" 0 "host/svc.test@$R: kvno = 1" ""
run kvno nobody/svc.test
chk "for an unknown principal" 1 "" "kvno: Server nobody/svc.test@$R not found in Kerberos database while getting credentials for nobody/svc.test@$R"

MAIN=klist
run klist
tickets=$(ticket_lines)
chk "after kvno" 0 "Ticket cache: KEYRING:session:krbcc:krbcc
Default principal: alice@$R

Valid starting     Expires            Service principal
$tickets" ""
got=$(sort <<< "$tickets" | tr '\n' '|')
if [ "$got" = "<TIME>  <TIME>  host/svc.test@$R|<TIME>  <TIME>  krbtgt/$R@$R|" ]; then
    ok "the cache keyring holds exactly the TGT and the service ticket"
else
    not_ok "the cache keyring holds exactly the TGT and the service ticket (got: $got)"
fi

# What krb5 built in the session keyring, seen through /proc/keys.
got_keys=$(session_keys)
want_keys=$(printf '%s\n' "keyring _ses:" "keyring _krb_krbcc:" "user krb_ccache:primary:" "keyring krbcc:" \
    "user __krb5_princ__:" "user __krb5_time_offsets__:" "user krbtgt/$R@$R:" "user host/svc.test@$R:" \
    "user krb5_ccache_conf_data/fast_avail/krbtgt\\/$R\\@$R@X-CACHECONF::" | sort | tr '\n' '|')
if [ "$got_keys" = "$want_keys" ]; then
    ok "session keyring tree: _krb_krbcc, krb_ccache:primary, krbcc and its 5 keys"
else
    not_ok "session keyring tree (got: $got_keys; want: $want_keys)"
fi

MAIN=kdestroy
run kdestroy
chk "" 0 "" ""
MAIN=klist
run klist
chk "after kdestroy" 1 "" "klist: Credentials cache keyring 'session:krbcc:krbcc' not found"
run klist -s
chk "-s after kdestroy (exit 1)" 1 "" ""
got_keys=$(session_keys)
want_keys=$(printf '%s\n' "keyring _ses:" "keyring _krb_krbcc:" "user krb_ccache:primary:" | sort | tr '\n' '|')
if [ "$got_keys" = "$want_keys" ]; then
    ok "after kdestroy only _krb_krbcc and krb_ccache:primary remain"
else
    not_ok "after kdestroy only _krb_krbcc and krb_ccache:primary remain (got: $got_keys)"
fi

finish

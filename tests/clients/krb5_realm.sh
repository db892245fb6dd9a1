# A throwaway Kerberos realm for krb5.sh (sourced by run.sh).
#
# krb5_realm_start DIR: writes krb5.conf and kdc.conf in DIR, creates the
# database (kdb5_util), adds alice (password "secret") and host/svc.test
# (kadmin.local), and starts krb5kdc on 127.0.0.1:PORT (a free port, UDP and
# TCP).  Exports KRB5_CONFIG, KRB5_KDC_PROFILE, KRB5_REALM, KRB5_PORT and sets
# KDC_PID (run.sh's trap stops it by that pid).  The realm tools and the KDC
# run on the original library, each in a throwaway session keyring: they are
# the fixture, not the clients under test.
# krb5_realm_stop: stops the KDC by pid (bounded wait).

krb5_free_port() {
    /usr/bin/python3 - <<'EOF'
import socket
for _ in range(50):
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", 0))
    port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        t.close()
        continue
    u.close()
    t.close()
    print(port)
    break
EOF
}

krb5_realm_start() {
    local dir=$1 i
    mkdir -p "$dir"
    KRB5_REALM=CLIENTS.TEST
    KRB5_PORT=$(krb5_free_port)
    [ -n "$KRB5_PORT" ] || { echo "no free port" > "$dir/setup.log"; return 1; }
    cat > "$dir/krb5.conf" <<EOF
[libdefaults]
	default_realm = $KRB5_REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
[realms]
	$KRB5_REALM = {
		kdc = 127.0.0.1:$KRB5_PORT
	}
EOF
    cat > "$dir/kdc.conf" <<EOF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$KRB5_PORT
	kdc_tcp_listen = 127.0.0.1:$KRB5_PORT
[realms]
	$KRB5_REALM = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		max_life = 1h
		max_renewable_life = 1h
	}
[logging]
	kdc = FILE:$dir/kdc.log
	default = FILE:$dir/default.log
EOF
    export KRB5_CONFIG=$dir/krb5.conf KRB5_KDC_PROFILE=$dir/kdc.conf KRB5_REALM KRB5_PORT
    # No KEYRING: default cache for the fixture tools: a file in DIR.
    if ! env -u LD_LIBRARY_PATH -u LD_PRELOAD KRB5CCNAME="FILE:$dir/admin.ccache" \
        timeout 60 /usr/bin/keyctl session - /bin/sh -c "
            kdb5_util create -s -P masterpw -r $KRB5_REALM &&
            kadmin.local -r $KRB5_REALM -q 'addprinc -pw secret alice' &&
            kadmin.local -r $KRB5_REALM -q 'addprinc -randkey host/svc.test'" \
        > "$dir/setup.log" 2>&1; then
        return 1
    fi
    env -u LD_LIBRARY_PATH -u LD_PRELOAD KRB5CCNAME="FILE:$dir/kdc.ccache" \
        /usr/bin/keyctl session - /usr/sbin/krb5kdc -n > "$dir/kdc.out" 2>&1 &
    KDC_PID=$!
    for i in $(seq 100); do
        grep -q 'commencing operation' "$dir/kdc.log" 2>/dev/null && return 0
        kill -0 "$KDC_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$dir/kdc.out" "$dir/kdc.log" >> "$dir/setup.log" 2>/dev/null
    return 1
}

krb5_realm_stop() {
    local i
    [ -n "${KDC_PID:-}" ] || return 0
    kill "$KDC_PID" 2>/dev/null
    for i in $(seq 50); do kill -0 "$KDC_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$KDC_PID" 2>/dev/null
    wait "$KDC_PID" 2>/dev/null
    KDC_PID=
}

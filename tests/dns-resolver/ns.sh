# Sourced by tests/dns-resolver/run.sh: the throwaway DNS world the resolvers run in.
#
# dnsns_start DIR starts a holder process in a new mount and network namespace
# (unshare -m -n): there lo is brought up, an authoritative nsd serves the test
# zones on 127.0.0.1:53, and /etc/resolv.conf, /etc/hosts and /etc/nsswitch.conf are
# bind mounts of files in DIR. Nothing outside the namespace sees any of it: the
# machine's resolver configuration is never touched, and the server cannot be
# reached from (or collide with anything in) the initial network namespace.
# dnsns_run CMD... runs CMD inside (nsenter); the upcall wrapper enters it the same way.
# dnsns_stop ends the holder; the namespace, its mounts and nsd die with it.

DNSNS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DNSNS_PID=

dnsns_write_config() { # DIR
	local d=$1
	cp "$DNSNS_HERE/kt.test.zone" "$d/kt.test.zone"
	cat > "$d/nsd.conf" <<-CONF
	server:
	    ip-address: 127.0.0.1
	    port: 53
	    do-ip6: no
	    username: ""
	    chroot: ""
	    zonesdir: "$d"
	    database: ""
	    zonelistfile: "$d/zone.list"
	    xfrdfile: "$d/xfrd.state"
	    pidfile: "$d/nsd.pid"
	    logfile: "$d/nsd.log"
	    hide-version: yes
	    server-count: 1
	    verbosity: 1
	remote-control:
	    control-enable: no
	zone:
	    name: kt.test
	    zonefile: kt.test.zone
	# configured but without data: nsd answers SERVFAIL for it
	zone:
	    name: servfail.test
	    zonefile: missing.zone
	CONF
	# One try, one second: a SERVFAIL or a dead server costs a bounded time.
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' > "$d/resolv.conf"
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n192.0.2.77\thostsonly.example\n' > "$d/hosts"
	printf 'hosts: files dns\n' > "$d/nsswitch.conf"
}

# The holder: runs inside the new namespaces, prepares them, then waits for stdin to close.
dnsns_holder() { # DIR
	local d=$1
	ip link set lo up || return 1
	mount --bind "$d/resolv.conf" /etc/resolv.conf || return 1
	mount --bind "$d/hosts" /etc/hosts || return 1
	mount --bind "$d/nsswitch.conf" /etc/nsswitch.conf || return 1
	nsd -c "$d/nsd.conf" || return 1
	echo ready
	read -r _ || true
	[ -s "$d/nsd.pid" ] && kill "$(cat "$d/nsd.pid")" 2>/dev/null
	return 0
}

dnsns_start() { # DIR: 0 when the server answers inside the namespace
	local d=$1
	dnsns_write_config "$d"
	mkfifo "$d/holder.in"
	exec {DNSNS_FD}<> "$d/holder.in"
	unshare -m -n --propagation private bash -c "$(declare -f dnsns_holder); dnsns_holder '$d'" \
		< "$d/holder.in" > "$d/holder.out" 2>&1 &
	DNSNS_PID=$!
	kt_wait_until 10 grep -q ready "$d/holder.out" || { cat "$d/holder.out" "$d/nsd.log" 2>/dev/null; return 1; }
	# nsd forks and loads the zone: wait until it answers.
	kt_wait_until 10 dnsns_run dig +short +time=1 +tries=1 @127.0.0.1 ns.kt.test A > /dev/null
}
dnsns_run() { nsenter -t "$DNSNS_PID" -m -n -- "$@"; }
dnsns_stop() {
	[ -n "$DNSNS_PID" ] || return 0
	echo stop >&"$DNSNS_FD"
	exec {DNSNS_FD}>&-
	kt_wait_until 10 bash -c "! kill -0 $DNSNS_PID 2>/dev/null" || kill "$DNSNS_PID" 2>/dev/null
	wait "$DNSNS_PID" 2>/dev/null
	DNSNS_PID=
}

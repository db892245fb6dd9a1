# Sourced by tests/dns-resolver/run.sh: the throwaway DNS world the resolvers run in.
#
# dnsns_start DIR starts a holder process in a new mount, network and PID namespace
# (unshare -m -n -p): there lo is brought up, an authoritative nsd serves the test
# zones on 127.0.0.1:53, and /etc/resolv.conf, /etc/hosts and /etc/nsswitch.conf are
# bind mounts of files in DIR. Nothing outside the namespace sees any of it: the
# machine's resolver configuration is never touched, and the server cannot be
# reached from (or collide with anything in) the initial network namespace.
# dnsns_run CMD... runs CMD inside (nsenter); the upcall wrapper enters it the same way.
# dnsns_stop ends the holder, the init of its PID namespace: the kernel then kills whatever else
# runs there (nsd and its children, the syslog catcher), and the namespaces and mounts go.

DNSNS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DNSNS_PID= DNSNS_UNSHARE=

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
	{
		printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n192.0.2.77\thostsonly.example\n'
		# AFS servers known only here (h1.t ... h20.t): SRV records name them without glue,
		# so that 16 of them still fit the original's 512-byte answer buffer.
		for i in $(seq 1 20); do printf '203.0.113.%d\th%d.t\n' "$i" "$i"; done
	} > "$d/hosts"
	printf 'hosts: files dns\n' > "$d/nsswitch.conf"
}

# The holder: runs inside the new namespaces, prepares them, then waits for stdin to close.
dnsns_holder() { # DIR
	local d=$1
	ip link set lo up || return 1
	mount --bind "$d/resolv.conf" /etc/resolv.conf || return 1
	mount --bind "$d/hosts" /etc/hosts || return 1
	mount --bind "$d/nsswitch.conf" /etc/nsswitch.conf || return 1
	mkdir -p "$d/keyutils" && mount --bind "$d/keyutils" /etc/keyutils || return 1
	# A /dev of our own, so that /dev/log can be a catcher of ours (this machine may have no
	# syslog at all): the real nodes the programs and script(1) need are bound back into it.
	mkdir -p "$d/olddev" && mount --rbind /dev "$d/olddev" || return 1
	mount -t tmpfs -o mode=755 dnsns-dev /dev || return 1
	local n
	for n in null zero full random urandom tty; do
		touch "/dev/$n" && mount --bind "$d/olddev/$n" "/dev/$n" || return 1
	done
	# The kernel finds a pty master's devpts next to the ptmx it was opened through: a bound
	# ptmx node would look beside the old /dev; pts/ptmx of the bound devpts does not.
	mkdir /dev/pts && mount --bind "$d/olddev/pts" /dev/pts && ln -s pts/ptmx /dev/ptmx || return 1
	/usr/bin/python3 "$DNSNS_HERE/syslogd.py" /dev/log "$d/syslog.log" "$d/syslog.ready" &
	kt_wait_until 10 test -e "$d/syslog.ready" || return 1
	nsd -c "$d/nsd.conf" || return 1
	echo ready
	read -r _ || true
	return 0
}

dnsns_start() { # DIR: 0 when the server answers inside the namespace
	local d=$1
	dnsns_write_config "$d"
	mkfifo "$d/holder.in"
	# Only this shell keeps a writer open: when it dies without dnsns_stop, the holder reads EOF.
	exec {DNSNS_FD}<> "$d/holder.in"
	unshare -m -n -p --fork --propagation private \
		bash -c "DNSNS_HERE='$DNSNS_HERE'; $(declare -f dnsns_holder kt_wait_until); dnsns_holder '$d'" \
		< "$d/holder.in" > "$d/holder.out" 2>&1 {DNSNS_FD}>&- &
	DNSNS_UNSHARE=$!
	kt_wait_until 10 grep -qs ready "$d/holder.out" || { cat "$d/holder.out" "$d/nsd.log" 2>/dev/null; return 1; }
	# The holder is unshare's child (pid 1 inside); nsenter needs its pid out here.
	DNSNS_PID=$(cat "/proc/$DNSNS_UNSHARE/task/$DNSNS_UNSHARE/children" 2>/dev/null | cut -d' ' -f1)
	[ -n "$DNSNS_PID" ] || return 1
	# nsd forks and loads the zone: wait until it answers.
	kt_wait_until 10 dnsns_run dig +short +time=1 +tries=1 @127.0.0.1 ns.kt.test A > /dev/null
}
dnsns_run() { nsenter -t "$DNSNS_PID" -m -n -- "$@"; }
# dnsns_syslog_mark DIR: waits until the catcher has written every message sent before this
# call; prints the number of lines its log had then.
dnsns_syslog_mark() {
	local d=$1 m
	m="MARK-$BASHPID-$RANDOM-$(date +%s%N)"
	dnsns_run logger -u /dev/log "$m" || return 1
	kt_wait_until 10 grep -qF -- "$m" "$d/syslog.log" || return 1
	grep -nF -- "$m" "$d/syslog.log" | tail -n 1 | cut -d: -f1
}
dnsns_stop() {
	[ -n "$DNSNS_PID" ] || return 0
	echo stop >&"$DNSNS_FD"
	exec {DNSNS_FD}>&-
	kt_wait_until 10 bash -c "! kill -0 $DNSNS_UNSHARE 2>/dev/null" || kill -KILL "$DNSNS_PID" 2>/dev/null
	wait "$DNSNS_UNSHARE" 2>/dev/null
	DNSNS_PID=
}

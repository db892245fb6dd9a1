# Sourced by run.sh (part 2): real dns_resolver keys, Debian's resolver against ours.
#
# The kernel runs /sbin/request-key in the initial mount and network namespaces, where the test
# DNS world does not exist. So, while the machine-wide upcall lock is held (tests/upcall-lib.sh),
# /etc/request-key.conf is a bind mount of a copy whose dns_resolver rule runs a wrapper of ours;
# the wrapper logs the call and execs the resolver under test inside the test namespace
# (nsenter into the holder's mount and network namespaces: its resolv.conf, its nsd, its
# /etc/keyutils and its /dev/log catcher), with ld.so's log on to prove which binary and which
# libkeyutils.so.1 ran (Debian's program on Debian's library, ours on the library under test).
# Each request is made from a fresh session keyring by the system's keyctl.

# upcall_case DESC CALLOUT: the request, every key it left in the session keyring, and what the
# resolver sent to syslog meanwhile.
upcall_case() {
	local before after
	before=$(dnsns_syslog_mark "$WORK/ns") || echo "syslog: mark failed"
	kt_fresh_session bash -c '
		out=$(env -u LD_LIBRARY_PATH -u LD_PRELOAD timeout 30 keyctl request2 dns_resolver "$1" "$2" @s 2>&1)
		rc=$?
		[ "$rc" -eq 0 ] && echo "request: ok" || echo "request: exit $rc: $out"
		for k in $(keyctl rlist @s); do
			echo "key: $(keyctl rdescribe "$k" 2>&1)"
			line=$(grep "^$(printf %08x "$k") " /proc/keys)
			echo "flags: $(awk "{print \$2}" <<< "$line") timeout: $(awk "{print \$4}" <<< "$line")"
			echo "payload: $(keyctl pipe "$k" 2>&1 | cat -v)"
		done' x "$1" "$2"
	after=$(dnsns_syslog_mark "$WORK/ns") || echo "syslog: mark failed"
	if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt $((before + 1)) ]; then
		sed -n "$((before + 1)),$((after - 1))p" "$WORK/ns/syslog.log" |
			sed -E 's/^<([0-9]+)>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} /syslog: <\1>/'
	fi
}

negcmp() {
	local t
	t=$(cat)
	grep -E '^(request|syslog):' <<< "$t"
	echo "keys: $(grep -c '^key:' <<< "$t")"
	grep '^flags:' <<< "$t" | tclass | sed 's/^flags: [^ ]*//'
}

# tclass: the timeout column of a negative key as a class, for comparing the two programs: the
# program's own 1 s negation (gone by now or nearly), or the kernel's 60 s one.
tclass() {
	sed -E 's/ timeout: (expd|[0-3]s)$/ timeout: short/; s/ timeout: (5[0-9]s|60s|1m)$/ timeout: a minute/'
}

# timeout_ok FIELD EXPECTED: /proc/keys' timeout column fits an expiry of EXPECTED seconds set a
# moment ago (it shows what remains, in s below a minute, m below an hour, then h, d, w).
timeout_ok() {
	local f=$1 want=$2 lo n
	[ "$want" -eq 0 ] && { [ "$f" = perm ]; return; }
	lo=$((want - 3))
	n=${f%[smhdw]}
	case $f in
	*s) [ "$n" -ge "$lo" ] && [ "$n" -le "$want" ] ;;
	*m) [ "$n" -ge $((lo / 60)) ] && [ "$n" -le $((want / 60)) ] ;;
	*h) [ "$n" -ge $((lo / 3600)) ] && [ "$n" -le $((want / 3600)) ] ;;
	*) return 1 ;;
	esac
}

# expect_ok NAME OUTPUT EXPECTED: the result is what the zone and the case say.
expect_ok() {
	local name=$1 out=$2 want=$3 t
	t=$(sed -n 's/^flags: .* timeout: //p' <<< "$out" | head -n 1)
	case $want in
	ttl=*)
		if grep -q '^request: ok' <<< "$out" && timeout_ok "$t" "${want#ttl=}"; then
			kt_ok "$name: a key with the records, expiring in ${want#ttl=} s ($t)"
		else
			kt_notok "$name: a key with the records, expiring in ${want#ttl=} s"
			sed 's/^/#   /' <<< "$out"
		fi ;;
	rejected)
		# The original rejects with h_errno's NO_DATA (4), which the kernel reports as EINTR.
		if grep -q '^request: exit .*Interrupted system call' <<< "$out" &&
			grep -q '^flags: ....-N' <<< "$out" && timeout_ok "$t" 60; then
			kt_ok "$name: rejected for 60 s ($t)"
		else
			kt_notok "$name: rejected for 60 s"
			sed 's/^/#   /' <<< "$out"
		fi ;;
	negated)
		if grep -q '^request: exit .*Required key not available' <<< "$out" &&
			grep -q '^flags: ....-N' <<< "$out"; then
			kt_ok "$name: negated"
		else
			kt_notok "$name: negated"
			sed 's/^/#   /' <<< "$out"
		fi ;;
	esac
}

upcall_proofs() { # WHO BIN LIB: the wrapper's last call ran BIN, which loaded LIB
	local who=$1 bin=$2 lib=$3 pid f
	pid=$(tail -n 1 "$WORK/upcalls.log" | cut -d' ' -f1)
	f=$WORK/ld/upcall.$pid
	if [ -f "$f" ] && grep -q "needed by $bin " "$f" &&
		[ "$(realpath "$(sed -n 's/.*calling init: \(.*libkeyutils\.so[^ ]*\).*/\1/p' "$f" | head -n 1)")" = "$(realpath "$lib")" ]; then
		kt_ok "upcall: the kernel's request-key ran $who ($bin) on $(realpath "$lib")"
	else
		kt_notok "upcall: the kernel's request-key ran $who ($bin) on $(realpath "$lib")"
		tail -n 3 "$WORK/upcalls.log" | sed 's/^/#   log: /'
		grep -E 'needed by|calling init' "$f" 2>/dev/null | head -n 8 | sed 's/^/#   /'
	fi
}

upcall_suite() {
	local deb_lib our_lib line conf desc callout want a b n=0 calls flags name
	if [ ! -f "$HERE/../upcall-lib.sh" ]; then
		kt_notok "upcall: tests/upcall-lib.sh is on this branch (the upcall cases did not run)"
		return
	fi
	. "$HERE/../upcall-lib.sh"
	deb_lib=$KEYUTILS_ORIG_LIB
	our_lib=$KEYUTILS_LIBDIR/libkeyutils.so.1

	if ! upcall_lock 600; then
		kt_notok "upcall: took the machine-wide upcall lock"
		return
	fi
	# While the lock is held, its trap undoes the mounts and (upcall_on_release) stops the test
	# namespace; run.sh's own trap is put back after the release.
	upcall_on_release dnsns_stop
	# Before any bind mount of ours (and, under the lock, of anyone's): the kernel has the dns_resolver type and the machine's own upcall
	# (Debian's request-key and key.dns_resolver, the machine's /etc/hosts) answers for localhost.
	a=$(upcall_case localhost '')
	if grep -q '^payload: 127.0.0.1$' <<< "$a" && grep -q '^key: dns_resolver;0;0;3b010000;localhost$' <<< "$a"; then
		kt_ok "kernel: request_key(\"dns_resolver\", \"localhost\") from user space gives 127.0.0.1 through the machine's upcall"
	else
		kt_notok "kernel: request_key(\"dns_resolver\", \"localhost\") from user space gives 127.0.0.1 through the machine's upcall"
		sed 's/^/#   /' <<< "$a"
	fi

	mkdir -p "$WORK/ld"
	: > "$WORK/upcalls.log"
	cat > "$WORK/upcall-wrapper.sh" <<-EOF
	#!/bin/bash
	# The test's dns_resolver handler (run by request-key in the initial namespaces, no environment).
	read -r bin lib flags < "$WORK/which"
	echo "\$\$ \$bin \$*" >> "$WORK/upcalls.log"
	exec nsenter -t $DNSNS_PID -m -n -- env LD_LIBRARY_PATH="\$(dirname "\$lib")" \
		LD_DEBUG=libs,files LD_DEBUG_OUTPUT="$WORK/ld/upcall" "\$bin" \$flags "\$@"
	EOF
	chmod 755 "$WORK/upcall-wrapper.sh"
	{
		printf 'create\tdns_resolver\t*\t*\t%s %%k\n' "$WORK/upcall-wrapper.sh"
		grep -v -E '^[[:space:]]*create[[:space:]]+dns_resolver[[:space:]]' /etc/request-key.conf
	} > "$WORK/request-key.conf"

	if ! upcall_bind "$WORK/request-key.conf" /etc/request-key.conf; then
		kt_notok "upcall: bound the test request-key.conf"
		upcall_release
		trap cleanup EXIT
		return
	fi
	while IFS= read -r line; do
		case $line in '#'* | '') continue ;; esac
		conf=
		if [[ $line == conf=* ]]; then
			conf=${line%%$'\t'*}
			conf=${conf#conf=}
			line=${line#*$'\t'}
		fi
		IFS=$'\t' read -r desc callout want <<< "$line"
		[ "$callout" = '~' ] && callout=
		n=$((n + 1))
		if [ -n "$conf" ]; then
			printf '%s\n' "$conf" > "$WORK/ns/keyutils/key.dns_resolver.conf"
		fi
		# Each case twice: as request-key.conf runs it, and with -vv (everything to syslog).
		for flags in '' -vv; do
			echo "$(realpath "$DEB") $deb_lib $flags" > "$WORK/which"
			a=$(upcall_case "$desc" "$callout")
			[ "$n$flags" = 1 ] && upcall_proofs debian "$(realpath "$DEB")" "$deb_lib"
			echo "$OURS $our_lib $flags" > "$WORK/which"
			b=$(upcall_case "$desc" "$callout")
			[ "$n$flags" = 1 ] && upcall_proofs ours "$OURS" "$our_lib"
			name="upcall${flags:+ $flags} ${conf:+[conf $conf] }'$desc' '$callout'"
			expect_ok "$name: debian" "$a" "$want"
			expect_ok "$name: ours" "$b" "$want"
			# Expiry was checked against the case above; all else must be equal, syslog included.
			if [ "$want" = negated ]; then
				# A key negated for 1 s may have expired before it is read: the request's error,
				# the number of keys, their timeout class and the syslog lines are compared.
				a=$(negcmp <<< "$a") b=$(negcmp <<< "$b")
			else
				a=$(sed 's/ timeout: .*//' <<< "$a") b=$(sed 's/ timeout: .*//' <<< "$b")
			fi
			if [ "$a" == "$b" ]; then
				kt_ok "$name: ours gives Debian's key, payload, error and syslog lines"
			else
				kt_notok "$name: ours gives Debian's key, payload, error and syslog lines"
				diff <(echo "$a") <(echo "$b") | sed 's/^/#   /'
			fi
			[ "${VERBOSE:-0}" = 1 ] && sed 's/^/#     /' <<< "$a"
		done
		rm -f "$WORK/ns/keyutils/key.dns_resolver.conf"
	done < "$HERE/upcalls.txt"
	upcall_release
	# upcall_lock had replaced run.sh's EXIT trap with its own, which upcall_release removed.
	trap cleanup EXIT
	calls=$(wc -l < "$WORK/upcalls.log")
	kt_check "upcall: the wrapper ran once per request (2 programs x 2 ways x $n)" $((4 * n)) "$calls"
	kt_check "upcall: /etc/request-key.conf is the machine's again" "" \
		"$(findmnt -rn --mountpoint /etc/request-key.conf)"
}
upcall_suite

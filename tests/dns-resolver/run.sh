#!/bin/bash
# Differential test of our key.dns_resolver against Debian's /usr/sbin/key.dns_resolver.
#
# Both run inside a throwaway DNS world (ns.sh: a private mount and network namespace where nsd
# serves the zone kt.test. from kt.test.zone on 127.0.0.1, and /etc/resolv.conf, /etc/hosts,
# /etc/nsswitch.conf, /etc/keyutils and /dev/log are ours); the machine's resolver
# configuration is never touched.
#   1. -D: every command line of cases.txt, on a terminal (script(1): stdout and stderr) and
#      without one (stdout, stderr and the syslog lines caught at /dev/log), with exit codes;
#      then configuration files, through -c and at the default path.
#   2. Upcalls (upcall.sh): real dns_resolver keys requested from the kernel, which runs
#      request-key and the resolver under test; payloads, expiry, rejections and errors.
# Each program is invoked as "key.dns_resolver" (argv[0]), so getopt's messages compare too.
#
# Env: the libraries as tests/lib.sh says; DNSRES_BIN (default build/sbin/key.dns_resolver, else
# the dns-resolver crate built here), CASES="regex" to run matching -D cases only (no configuration
# or random inputs then), NO_UPCALLS=1 to leave out part 2 while working on part 1.
set -u
export LC_ALL=C.UTF-8
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../lib.sh"
. "$HERE/ns.sh"
DEB=/usr/sbin/key.dns_resolver

[ -x "$DEB" ] || { kt_notok "setup: Debian's $DEB exists (install keyutils)"; kt_finish; }
OURS=${DNSRES_BIN:-}
if [ -z "$OURS" ] && [ -x "$KT_ROOT/build/sbin/key.dns_resolver" ]; then
	OURS=$KT_ROOT/build/sbin/key.dns_resolver
fi
if [ -z "$OURS" ]; then
	if ! (cd "$KT_ROOT/programs/dns-resolver" && KEYUTILS_LIBDIR=$KEYUTILS_LIBDIR cargo build --release --quiet); then
		kt_notok "setup: cargo build of programs/dns-resolver"
		kt_finish
	fi
	OURS=$(cd "$KT_ROOT" && cargo metadata --format-version 1 --no-deps 2>/dev/null |
		sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/key-dns-resolver
	[ -x "$OURS" ] || OURS=$KT_ROOT/programs/dns-resolver/target/release/key-dns-resolver
fi
OURS=$(realpath "$OURS")
echo "# ours: $OURS"
echo "# Debian's: $(realpath "$DEB") ($(dpkg-query -W -f '${Package} ${Version}' keyutils 2>/dev/null))"

WORK=$(mktemp -d /tmp/kt-dnsres.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	dnsns_stop
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/ns"
if ! dnsns_start "$WORK/ns"; then
	kt_notok "setup: nsd answers on 127.0.0.1 inside the test namespace"
	kt_finish
fi
kt_ok "setup: nsd answers on 127.0.0.1 inside the test namespace"
# The namespace really is separate: the machine's resolv.conf is not the one inside.
kt_check "setup: /etc/resolv.conf inside names 127.0.0.1, outside it is untouched" \
	"nameserver 127.0.0.1|$(sha256sum < /etc/resolv.conf)" \
	"$(dnsns_run head -n1 /etc/resolv.conf)|$(sha256sum < /etc/resolv.conf)"
kt_check "setup: the zone answers (dig inside the namespace)" "192.0.2.2 2001:db8::2" \
	"$(dnsns_run dig +short @127.0.0.1 dual.kt.test A) $(dnsns_run dig +short @127.0.0.1 dual.kt.test AAAA)"

# -D touches no key: there both programs run on the original library, so that -V (which prints
# the library's version and build strings) compares too; ours on the library under test is
# proved below and in the upcalls.
ORIGLIB=$(kt_orig_libdir "$WORK/origlib")
envof() { [ "$1" = "$OURS" ] && echo "LD_LIBRARY_PATH=${2:-$ORIGLIB}"; }

# Which binary and which libraries each program loads (ld.so's own log, inside the namespace).
prove() { # NAME BIN LIB [LIBDIR]: BIN runs, loads LIB and the system's libresolv.so.2
	local name=$1 bin=$2 lib=$3 log got
	# shellcheck disable=SC2046
	log=$(dnsns_run env $(envof "$bin" "${4:-}") LD_DEBUG=libs,files "$bin" -D v4.kt.test '' 2>&1 >/dev/null)
	got=$(sed -n 's/.*calling init: \(.*libkeyutils\.so[^ ]*\).*/\1/p' <<< "$log" | head -n 1)
	if grep -q "needed by $bin " <<< "$log" && grep -q 'calling init: .*/libresolv\.so\.2' <<< "$log" &&
		[ "$(realpath "$got")" = "$(realpath "$lib")" ]; then
		kt_ok "ld.so: $name runs $bin on $(realpath "$lib") and $(grep -o 'calling init: [^ ]*libresolv.so.2' <<< "$log" | head -n1 | cut -d' ' -f3)"
	else
		kt_notok "ld.so: $name runs $bin with libresolv.so.2"
		head -n 20 <<< "$log" | sed 's/^/#   /'
	fi
}
kt_have_libs || kt_finish
prove debian "$(realpath "$DEB")" "$KEYUTILS_ORIG_LIB"
prove ours "$OURS" "$KEYUTILS_ORIG_LIB"
prove "ours on the library under test" "$OURS" "$KEYUTILS_LIBDIR/libkeyutils.so.1" "$KEYUTILS_LIBDIR"
# -V prints the strings of the library it runs on: on ours, ours (whatever its build date).
kt_check "ours -V on the library under test names its keyutils_version_string" \
	"version: 1.0 from $(strings "$KEYUTILS_LIBDIR/libkeyutils.so.1" | grep -m1 -x 'keyutils-[0-9.]*') (" \
	"$(LD_LIBRARY_PATH=$KEYUTILS_LIBDIR "$OURS" -V | cut -d'(' -f1)("
kt_check "ours is not Debian's binary" different \
	"$(cmp -s "$OURS" "$(realpath "$DEB")" && echo same || echo different)"

# The program runs as root from the kernel: every unsafe block says why it is sound, and no
# panic path is written outside the unit tests (slices through get(), no unwrap/expect).
kt_suite "program: " "$WORK/safety.log" bash "$HERE/../hardening/check-safety.sh" --self-test "$KT_ROOT/programs/dns-resolver"
kt_check "program: no unwrap/expect/panic!/unreachable! outside the unit tests" "" \
	"$(for f in "$KT_ROOT"/programs/dns-resolver/src/*.rs; do
		awk '/#\[cfg\(test\)\]/ { exit } /\.unwrap\(\)|\.expect\(|panic!|unreachable!|todo!|unimplemented!/ { print FILENAME ":" FNR }' "$f"
	done)"

# ---- 1. -D and the command line
# run_tty BIN ARGS: on a pseudo-terminal; prints the transcript and the exit code.
run_tty() {
	local bin=$1 args=$2
	SHELL=/bin/bash dnsns_run timeout 60 script -qec "$(envof "$bin") exec -a key.dns_resolver $bin $args" /dev/null < /dev/null
	echo "[exit $?]"
}
# run_log BIN ARGS: without a terminal; prints stdout, stderr, the syslog lines and the exit code.
run_log() {
	local bin=$1 args=$2 before after rc
	before=$(dnsns_syslog_mark "$WORK/ns") || { echo "[syslog mark failed]"; return; }
	dnsns_run timeout 60 bash -c "$(envof "$bin") exec -a key.dns_resolver $bin $args" < /dev/null > "$WORK/o" 2> "$WORK/e"
	rc=$?
	after=$(dnsns_syslog_mark "$WORK/ns") || { echo "[syslog mark failed]"; return; }
	echo "[stdout]"; cat "$WORK/o"
	echo "[stderr]"; cat "$WORK/e"
	echo "[syslog]"
	if [ "$after" -gt $((before + 1)) ]; then
		sed -n "$((before + 1)),$((after - 1))p" "$WORK/ns/syslog.log" |
			sed -E 's/^<([0-9]+)>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} /<\1>/'
	fi
	echo "[exit $rc]"
}
# compare NAME ARGS: both programs, both ways; an ok or not ok line for each way.
compare() {
	local name=$1 args=$2 mode a b
	for mode in tty log; do
		a=$("run_$mode" "$DEB" "$args" 2>&1)
		b=$("run_$mode" "$OURS" "$args" 2>&1)
		if [ "$a" == "$b" ]; then
			kt_ok "$mode: $name"
		else
			kt_notok "$mode: $name"
			diff <(echo "$a") <(echo "$b") | head -n 20 | sed 's/^/#   /'
		fi
		if [ "${VERBOSE:-0}" = 1 ]; then echo "$a" | sed 's/^/#     /'; fi
	done
}

n_cases=0
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	if [ -n "${CASES:-}" ] && ! [[ $line =~ $CASES ]]; then continue; fi
	n_cases=$((n_cases + 1))
	compare "key.dns_resolver $line" "$line"
done < "$HERE/cases.txt"
echo "# $n_cases command lines from cases.txt"

# Configuration files: each through -c (with --dump-config and with a lookup, whose expiry
# shows the TTL) and installed at the default path /etc/keyutils/key.dns_resolver.conf.
conf() { # NAME CONTENT (printf format)
	local name=$1 f=$WORK/ns/conf-$1
	# shellcheck disable=SC2059
	printf "$2" > "$f"
	compare "conf $name: -c, --dump-config" "-c $f -vv --dump-config"
	compare "conf $name: -c, lookup" "-c $f -D -v v4.kt.test ''"
	cp "$f" "$WORK/ns/keyutils/key.dns_resolver.conf"
	compare "conf $name: default path, lookup" "-vv -D v4.kt.test ''"
	rm -f "$WORK/ns/keyutils/key.dns_resolver.conf"
}
if [ -z "${CASES:-}" ]; then
	conf empty ''
	conf comments '# a comment\n\n   \t\n  # indented\n'
	conf ttl 'default_ttl = 42\n'
	conf ttl-last-wins 'default_ttl=7\ndefault_ttl=8\n'
	conf ttl-tight 'default_ttl=9\n'
	conf ttl-spaces '   default_ttl    =     10    \n'
	conf ttl-dquoted 'default_ttl = "11"\n'
	conf ttl-squoted "default_ttl = '12'\n"
	conf ttl-quoted-spaces 'default_ttl = " 13"\n'
	conf ttl-quoted-trailing 'default_ttl = "14 "\n'
	conf ttl-escape 'default_ttl = 1\\5\n'
	conf ttl-escaped-space 'default_ttl = 15\\ \n'
	conf ttl-comment 'default_ttl = 16# comment\n'
	conf ttl-comment-space 'default_ttl = 17 # comment\n'
	conf ttl-quoted-hash 'default_ttl = "18#"\n'
	conf ttl-plus 'default_ttl=+19\n'
	conf ttl-zero 'default_ttl=0\n'
	conf ttl-negative 'default_ttl=-1\n'
	conf ttl-intmax 'default_ttl=2147483647\n'
	conf ttl-over-intmax 'default_ttl=2147483648\n'
	conf ttl-wraps 'default_ttl=4294967301\n'
	conf ttl-huge 'default_ttl=99999999999999999999999\n'
	conf ttl-hex 'default_ttl=0x10\n'
	conf ttl-word 'default_ttl=five\n'
	conf ttl-empty 'default_ttl=\n'
	conf ttl-no-value 'default_ttl\n'
	conf ttl-blank-quotes 'default_ttl=""\n'
	conf unknown 'foo = bar\nbaz\ndefault_ttl=20\n'
	conf unknown-after-error 'foo\ndefault_ttl=x\nbar\n'
	conf no-key '= 5\n'
	conf unclosed 'default_ttl="21\n'
	conf after-quote 'default_ttl="22"x\n'
	conf bad-escape 'default_ttl=2\\n3\n'
	conf open-escape 'default_ttl=23\\\n'
	conf no-newline 'default_ttl=24'
	conf comment-no-newline 'default_ttl=25\n# last'
	conf crlf 'default_ttl=26\r\n'
	conf tab 'default_ttl\t=\t27\n'
	conf key-spaces 'default ttl = 28\n'
	conf nul-byte 'default_ttl=29\0junk\n'
	conf long-line "x=$(printf 'a%.0s' $(seq 1 5000))\ndefault_ttl=30\n"
	conf long-comment "#$(printf 'a%.0s' $(seq 1 5000))\ndefault_ttl=31\n"
	compare "conf: a directory" "-c $WORK/ns -vv --dump-config"
	compare "conf: unreadable path component" "-c /proc/self/nonexistent/x --dump-config"
fi

# Random inputs from a fixed seed (gen-random.py): configuration files through --dump-config,
# and callout strings for an A/AAAA and an AFS lookup; one check each, every difference shown.
if [ -z "${CASES:-}" ]; then
	mkdir -p "$WORK/ns/rand"
	/usr/bin/python3 "$HERE/gen-random.py" conf "$WORK/ns/rand" 300
	bad=0
	for f in "$WORK"/ns/rand/rand-*.conf; do
		a=$(run_tty "$DEB" "-c $f -vv --dump-config" 2>&1)
		b=$(run_tty "$OURS" "-c $f -vv --dump-config" 2>&1)
		if [ "$a" != "$b" ]; then
			bad=$((bad + 1))
			[ "$bad" -le 5 ] && { echo "# $f: $(cat -A "$f" | head -c 300)"; diff <(echo "$a") <(echo "$b") | sed 's/^/#   /'; }
		fi
	done
	kt_check "random: 300 configuration files give the same output and exit code" 0 "$bad"
	bad=0 k=0
	while IFS= read -r c; do
		k=$((k + 1))
		name=$([ $((k % 2)) -eq 0 ] && echo dual.kt.test || echo afsdb:cell1.kt.test)
		a=$(run_tty "$DEB" "-D -v $name $(printf %q "$c")" 2>&1)
		b=$(run_tty "$OURS" "-D -v $name $(printf %q "$c")" 2>&1)
		if [ "$a" != "$b" ]; then
			bad=$((bad + 1))
			[ "$bad" -le 5 ] && { echo "# $name '$c'"; diff <(echo "$a") <(echo "$b") | sed 's/^/#   /'; }
		fi
	done < <(/usr/bin/python3 "$HERE/gen-random.py" callout 200)
	kt_check "random: 200 callout strings give the same output and exit code" 0 "$bad"
fi

# ---- 2. upcalls
if [ -z "${NO_UPCALLS:-}" ] && [ -f "$HERE/upcall.sh" ]; then
	. "$HERE/upcall.sh"
fi
kt_finish

#!/usr/bin/env bash
# Our request-key(8) against Debian's (keyutils 1.6.3, /usr/sbin/request-key), on the same cases,
# in three parts:
#   1. debug mode (-d -l -vv -n), run directly: configuration files in a scratch directory, every
#      line of the trace (files read, each pattern compared with its wildness, the line chosen,
#      argv after the macros), stdout and the exit code compared;
#   2. direct runs that execute handlers (-l, the callout given as the 8th argument, a real key):
#      what the handler got (argv, credentials, environment, descriptors, signals) and the trace;
#   3. real kernel upcalls: keyctl request2 as root, the kernel running /sbin/request-key with a
#      test /etc/request-key.conf and /etc/request-key.d bind-mounted over the machine's, first
#      Debian's program, then ours bind-mounted over /usr/sbin/request-key (all under the
#      machine-wide upcall lock of tests/upcall-lib.sh, undone on any exit): the keys made
#      (state, payload, timeout), the handlers' records, the requests' errors and the syslog lines.
# Serials are normalised; everything else is compared exactly. Where ours differs on purpose
# (README, "request-key: differences") both sides are checked against what each should do.
#
# Inputs (besides tests/lib.sh's): REQUEST_KEY, our program (default build/sbin/request-key, else
# target/release/request-key). The kernel starts request-key with no LD_LIBRARY_PATH, so the
# suite runs a copy of ours whose RUNPATH is $KEYUTILS_LIBDIR (patchelf), and proves from inside a
# handler which program and which libkeyutils.so.1 the running request-key is.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../upcall-lib.sh"
export LC_ALL=C

work=$KEYUTILS_TEST_OUT/request-key
rm -rf "$work"
mkdir -p "$work"
chmod 755 "$work"

if [ "$(id -u)" != 0 ]; then
	kt_notok "request-key suite runs as root (upcalls, bind mounts)"
	kt_finish
fi

# The whole suite holds the machine's upcall lock: other suites bind their own programs over
# /usr/sbin/request-key and /usr/bin/keyctl while they hold it, and this one copies Debian's
# request-key and runs /bin/keyctl in its handlers. Bind mounts are made only in part 3.
if ! upcall_lock 600; then
	kt_notok "upcall lock $UPCALL_LOCK taken within 600 s"
	kt_finish
fi
kt_check "nothing is bound over request-key, keyctl or the configuration at the start" "" \
	"$(for m in /usr/sbin/request-key /usr/bin/keyctl /etc/request-key.conf /etc/request-key.d; do findmnt -rn --mountpoint "$m"; done)"

# ---- the two programs
deb_md5=$(awk '$2 == "sbin/request-key" || $2 == "usr/sbin/request-key" {print $1}' /var/lib/dpkg/info/keyutils.md5sums 2>/dev/null)
mkdir -p "$work/debian" "$work/ours"
# Debian's, copied now (another suite may bind its own over /usr/sbin/request-key later; this
# one holds the lock whenever it does), proven by the package's checksum.
cp /usr/sbin/request-key "$work/debian/request-key"
kt_check "Debian's request-key is the package's file (md5 $deb_md5)" "$deb_md5" "$(md5sum < "$work/debian/request-key" | cut -d' ' -f1)"
DEB=$work/debian/request-key

src=${REQUEST_KEY:-}
if [ -z "$src" ]; then
	for c in "$KT_ROOT/build/sbin/request-key" "$KT_ROOT/target/release/request-key"; do
		[ -x "$c" ] && { src=$c; break; }
	done
fi
if [ -z "$src" ] || [ ! -x "$src" ]; then
	kt_notok "our request-key exists (make, or set REQUEST_KEY)"
	kt_finish
fi
OURS=$work/ours/request-key
cp "$src" "$OURS"
patchelf --set-rpath "$KEYUTILS_LIBDIR" "$OURS"
kt_check "ours: RUNPATH is the library under test" "$KEYUTILS_LIBDIR" \
	"$(readelf -d "$OURS" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')"
kt_check "ours: loads libkeyutils.so.1 from $KEYUTILS_LIBDIR with an empty environment" \
	"$(realpath "$KEYUTILS_LIBDIR/libkeyutils.so.1")" \
	"$(env -i LD_TRACE_LOADED_OBJECTS=1 "$OURS" | awk '/libkeyutils/ {print $3}' | xargs realpath)"
kt_check "ours: --version names the library's version and build strings (ours)" \
	"request-key from keyutils-1.6.3 (Built $(strings "$(realpath "$KEYUTILS_LIBDIR/libkeyutils.so.1")" | grep -m1 -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'))" \
	"$(env -i "$OURS" --version)"
kt_check "Debian's: --version" "request-key from keyutils-1.6.3 (Built 2022-12-18)" "$(env -i "$DEB" --version)"
ours_sha=$(sha256sum < "$OURS" | cut -c1-16)
deb_sha=$(sha256sum < "$DEB" | cut -c1-16)

# run_rk WHICH DIR ARGS...: runs a program as `request-key` (argv[0], which getopt's messages
# name) in DIR with an empty environment but PATH; prints stdout, then stderr, then the status.
run_rk() {
	local bin=$1 dir=$2 o e rc
	shift 2
	o=$(mktemp) e=$(mktemp)
	# perl execs the program with argv[0] "request-key" and an environment of PATH alone.
	(cd "$dir" && exec /usr/bin/perl -e '$b = shift; %ENV = (PATH => "/usr/sbin:/usr/bin:/sbin:/bin");
		exec {$b} "request-key", @ARGV or exit 127' "$bin" "$@") > "$o" 2> "$e"
	rc=$?
	echo "--- stdout"
	cat "$o"
	echo "--- stderr"
	cat "$e"
	echo "--- exit $rc"
	rm -f "$o" "$e"
}

parts=" ${RK_PARTS:-1 2 3} "
H=$here/handler.sh
long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
D=(-d -l -vv -n)
K=(create 12345 0 0 0 0 0)
desc() { echo "-Duser;0;0;3f010000;$1"; }

# ============================================================ part 1: debug mode, the trace
if [[ $parts == *" 1 "* ]]; then
d1=$work/debug
mkdir -p "$d1"
conf() { cat > "$d1/request-key.conf"; }
dconf() { mkdir -p "$d1/request-key.d"; cat > "$d1/request-key.d/$1"; }
reset1() { rm -rf "$d1/request-key.d" "$d1/request-key.conf"; }
# dcase NAME ARGS...: both programs, same directory, outputs compared.
dcase() {
	local name=$1 a b
	shift
	a=$(run_rk "$DEB" "$d1" "$@")
	b=$(run_rk "$OURS" "$d1" "$@")
	echo "$a" > "$d1/$(echo "$name" | tr -c 'A-Za-z0-9_.-' '_').debian"
	kt_check "debug: $name" "$a" "$b"
}
# dcase_both NAME ARGS...: ours is expected to differ; keeps both outputs for the checks after.
dcase_both() {
	local name=$1
	shift
	run_rk "$DEB" "$d1" "$@" > "$d1/$name.debian"
	run_rk "$OURS" "$d1" "$@" > "$d1/$name.ours"
}

reset1
cp /etc/request-key.conf "$d1/request-key.conf"
for c in negate rejected expired revoked spoon "a b" ""; do
	dcase "Debian's request-key.conf, callout '$c'" "${D[@]}" "${K[@]}" "$c"
done
dcase "Debian's request-key.conf, loop description" "${D[@]}" "$(desc debug:loop:x)" "${K[@]}" abc
dcase "Debian's request-key.conf, dns_resolver key" "${D[@]}" "-Ddns_resolver;0;0;3f010000;example.com" "${K[@]}" ""
dcase "Debian's request-key.conf, no line for the key" "${D[@]}" "$(desc nomatch)" "${K[@]}" x
dcase "Debian's request-key.conf, op negate" "${D[@]}" negate 12345 0 0 0 0 0 x

reset1
conf << 'EOF'
# wildcards: the least wild line wins, fields ranked left to right, first read among equals
create	user	w:*		*	/bin/a1 %k
create	user	w:abc*		*	/bin/a2 %k
create	user	w:abcdef	*	/bin/a3 %k
create	user	*		xyz	/bin/a4 %k
create	*	w:abcdef	*	/bin/a5 %k
cr*	user	w:abcdef	*	/bin/a6 %k
create	user	*def		*	/bin/a7 %k
create	user	w:abcdef	x*	/bin/a8 %k
create	user	w:abcdef	*z	/bin/a9 %k
*	*	*		*	/bin/a10 %k
create	user	w:abcdef	xyz	/bin/a11 %k
create	user	w:abcdef	xyz	/bin/a12 %k
EOF
for d in w:abcdef w:abcdeg w:abc w:x w:ab xdef nothing; do
	for c in xyz xy z ""; do
		dcase "wildcards: $d / '$c'" "${D[@]}" "$(desc "$d")" "${K[@]}" "$c"
	done
done
dcase "wildcards: op other than create" "${D[@]}" "$(desc w:abcdef)" update 1 0 0 0 0 0 xyz
dcase "wildcards: empty description" "${D[@]}" "-Duser;0;0;3f010000;" "${K[@]}" xyz

reset1
conf << 'EOF'
create user m:* * /bin/echo %o %k %t %d %c %u %g %T %P %S %% %%k %%%k %kk %x% a%k %
EOF
dcase "macros: a bare % is refused" "${D[@]}" "$(desc m:1)" create 12345 1000 1001 11 22 33 "c o"
conf << 'EOF'
create user m:* * /bin/echo %o %k %t %d %c %u %g %T %P %S %% %%k %%%k %kk %x% a%k
EOF
dcase "macros: every one-letter macro, %% and non-macros" "${D[@]}" "$(desc m:1)" create 12345 1000 1001 11 22 33 "c o"
dcase "macros: values with blanks and odd bytes" "${D[@]}" "$(desc $'m:\t%d \x01\xff')" create 7 u g t p s $'\x7f%k'
for m in q K z '{' 1; do
	conf <<< "create user m:* * /bin/echo a %$m b"
	dcase "macros: unsupported %$m" "${D[@]}" "$(desc m:1)" "${K[@]}" x
done
for m in '%{user}' '%{user:d' '%{user:d}x' '%{:d}' '%{user:}' '%{u:d:e}x'; do
	conf <<< "create user m:* * /bin/echo a $m b"
	dcase "macros: malformed keysub $m" "${D[@]}" "$(desc m:1)" "${K[@]}" x
done

reset1
conf << 'EOF'
create user p:* * |/bin/cat %k
create user q:* * |/usr/bin/printf %c
EOF
dcase "pipe handler" "${D[@]}" "$(desc p:1)" "${K[@]}" x
dcase "pipe handler with arguments" "${D[@]}" "$(desc q:1)" "${K[@]}" "%s"

# request-key.d: files in readdir order, before request-key.conf; only regular *.conf files
reset1
conf <<< "create user o:* * /bin/conf"
dconf 10.conf <<< "create user o:* * /bin/d10"
dconf 20.conf <<< "create user o:* * /bin/d20"
dconf 30.conf <<< "create user o:a* * /bin/d30"
dconf .hidden.conf <<< "create user o:a * /bin/hidden"
dconf notconf.txt <<< "create user o:a * /bin/txt"
dconf conf <<< "create user o:a * /bin/short"
mkdir -p "$d1/request-key.d/dir.conf"
ln -s "$d1/request-key.d/10.conf" "$d1/request-key.d/link.conf"
ln -s /nonexistent "$d1/request-key.d/dangling.conf"
for d in o:a o:b; do
	dcase "request-key.d order: $d" "${D[@]}" "$(desc $d)" "${K[@]}" x
done
rm -rf "$d1/request-key.d"
dcase "no request-key.d" "${D[@]}" "$(desc o:a)" "${K[@]}" x
dconf 10.conf <<< "create user o:* * /bin/d10"
rm -f "$d1/request-key.conf"
dcase "no request-key.conf" "${D[@]}" "$(desc o:a)" "${K[@]}" x
dcase "no request-key.conf, no match" "${D[@]}" "$(desc x)" "${K[@]}" x
rm -rf "$d1/request-key.d"
dcase "no configuration at all" "${D[@]}" "$(desc o:a)" "${K[@]}" x
mkdir "$d1/request-key.conf"
dcase "request-key.conf is a directory" "${D[@]}" "$(desc o:a)" "${K[@]}" x
rmdir "$d1/request-key.conf"
touch "$d1/request-key.d"
dcase "request-key.d is a file" "${D[@]}" "$(desc o:a)" "${K[@]}" x
rm -f "$d1/request-key.d"

# malformed lines: a syntax error counts only once the fields before it matched
reset1
conf << 'EOF'
# comment
   indented create user s:* * /bin/indented

create
create user
create user s:a
create user s:b *
create user s:c *
create user s:d *   
other user s:e
create user s:* * /bin/fallback
EOF
for d in s:a s:b s:c s:d s:e s:z; do
	dcase "syntax: $d" "${D[@]}" "$(desc $d)" "${K[@]}" x
done
conf <<< "create"
dcase "syntax: a lone op" "${D[@]}" "$(desc s:a)" "${K[@]}" x
conf <<< "negate"
dcase "syntax: a lone op that does not match" "${D[@]}" "$(desc s:a)" "${K[@]}" x
printf 'create user s:* * /bin/last-line-without-newline %%k' > "$d1/request-key.conf"
dcase "last line without a newline" "${D[@]}" "$(desc s:a)" "${K[@]}" x
printf 'create user s:* * /bin/x\r\n' > "$d1/request-key.conf"
dcase "CRLF line" "${D[@]}" "$(desc s:a)" "${K[@]}" x
printf 'create user s:* * /bin/x a\0b c\ncreate user s:a * /bin/y\n' > "$d1/request-key.conf"
dcase "NUL inside a line" "${D[@]}" "$(desc s:a)" "${K[@]}" x
printf 'create\tuser\vs:*\f*\r/bin/x\t\n' > "$d1/request-key.conf"
dcase "every C blank as separator" "${D[@]}" "$(desc s:a)" "${K[@]}" x

# long lines, long descriptions, long callouts, many arguments
for n in 4000 4094 4095 4096 10000; do
	{ printf 'create user l:* * /bin/'; long $((n - 21)) x; echo; echo "create user l:* * /bin/short"; } > "$d1/request-key.conf"
	dcase "line of $n bytes" "${D[@]}" "$(desc l:a)" "${K[@]}" x
	{ printf '#'; long $((n - 1)) x; echo; echo "create user l:* * /bin/short"; } > "$d1/request-key.conf"
	dcase "comment of $n bytes" "${D[@]}" "$(desc l:a)" "${K[@]}" x
done
conf <<< "create user l:* * |/bin/cat %d %c"
dcase "4000-byte description and callout" "${D[@]}" "$(desc "l:$(long 4000 d)")" "${K[@]}" "$(long 4000 c)"
dcase "60000-byte callout" "${D[@]}" "$(desc "l:x")" "${K[@]}" "$(long 60000 c)"
{ printf 'create user l:* * /bin/many'; for i in $(seq 1 253); do printf ' a%d' "$i"; done; echo; } > "$d1/request-key.conf"
dcase "253 arguments" "${D[@]}" "$(desc l:a)" "${K[@]}" x
{ printf 'create user l:* * /bin/many'; for i in $(seq 1 254); do printf ' a%d' "$i"; done; echo; } > "$d1/request-key.conf"
dcase "254 arguments: too many" "${D[@]}" "$(desc l:a)" "${K[@]}" x
{ printf 'create user l:* * /bin/'; long 4000 p; echo; } > "$d1/request-key.conf"
dcase "4000-byte program path" "${D[@]}" "$(desc l:a)" "${K[@]}" x

# the command line
reset1
conf <<< "create user c:* * /bin/echo x"
dcase "-D sample descriptors" "${D[@]}" "${K[@]}" x
for dd in 'user;0;0;1f' 'user;0;0;0x;c:d' 'user;0;0;zz;d' ';0;0;0;d' 'us er;0;0;-1f;c:d;e' 'user;0;0;1f;' 'user; 1;+2; 0x3f;c:x'; do
	dcase "-D '$dd'" -d -l -vv -n "-D$dd" "${K[@]}" x
done
dcase "options after the operands" create 1 -d 0 0 -l 0 0 0 -vv -n "$(desc c:a)" x
dcase "options clustered" -dlvvn "$(desc c:a)" "${K[@]}" x
dcase "-- ends the options" -d -l -v -n "$(desc c:a)" -- "${K[@]}" -x
dcase "unknown options go on" -d -l -q -v -n -Z "$(desc c:a)" "${K[@]}" x
dcase "-D without its argument" -d -l -v "${K[@]}" x -D
dcase "6 operands" -d -l -v -n create 1 0 0 0 0
dcase "9 operands" -d -l -v -n "${K[@]}" x y
dcase "no operands" -v -n
dcase "--version with more" --version x
dcase "-v once: less trace" -d -l -v -n "$(desc c:a)" "${K[@]}" x
dcase "no -v: silent" -d -l -n "$(desc c:a)" "${K[@]}" x
dcase "7 operands: the callout from the authorisation key (none here)" -d -l -v -n "$(desc c:a)" "${K[@]}"
dcase "not debug mode, no authority, key 0" -l -v -n "${K[@]/12345/0}"
dcase "POSIXLY_CORRECT is not set: permutes" "${D[@]}" create 1 0 0 0 0 0 x -Z

# ---- deliberate differences in debug mode
conf <<< "create user mid*dle * /bin/echo %d"
dcase_both middle "${D[@]}" "$(desc midXXdle)" "${K[@]}" x
kt_check "difference, wildcard in the middle: Debian's compares the pattern's start with the datum's end" \
	": No matching action" "$(grep -c 'No matching action' "$d1/middle.debian" | sed 's/^1$/: No matching action/')"
kt_check "difference, wildcard in the middle: ours matches as the manual says" \
	'- argv[1] = "midXXdle"' "$(grep -F -- '- argv[1]' "$d1/middle.ours")"
dcase_both middle2 "${D[@]}" "$(desc midXXmid)" "${K[@]}" x
kt_check "difference, wildcard in the middle: Debian's matches midXXmid" \
	'- argv[1] = "midXXmid"' "$(grep -F -- '- argv[1]' "$d1/middle2.debian")"
kt_check "difference, wildcard in the middle: ours does not" 1 "$(grep -c 'No matching action' "$d1/middle2.ours")"
printf '\0create user s:* * /bin/x\ncreate user s:* * /bin/y\n' > "$d1/request-key.conf"
dcase_both nul "${D[@]}" "$(desc s:a)" "${K[@]}" x
# It writes 4 GiB past its line buffer on the stack: SIGSEGV or SIGBUS, whichever comes first.
kt_check "difference, line starting with NUL: Debian's dies on a signal (SIGSEGV/SIGBUS)" "Died on signal N--- exit 1" \
	"$(sed -n '/^--- stderr/,$p' "$d1/nul.debian" | tail -2 | tr -d '\n' | sed -E 's/.*Died on signal (7|11)/Died on signal N/')"
kt_check "difference, line starting with NUL: ours reports a syntax error, exit 1" "request-key.conf:1: Syntax error--- exit 1" \
	"$(sed -n '/^--- stderr/,$p' "$d1/nul.ours" | tail -2 | tr -d '\n')"
conf <<< "create user n:* * keyctl negate %k 30 %S"
dcase "program without a slash, no -v" -d -l -n "$(desc n:a)" "${K[@]}" x
dcase_both noslash "${D[@]}" "$(desc n:a)" "${K[@]}" x
kt_check "difference, program without '/' and -v: Debian's dies on SIGSEGV printing argv[0]" "Died on signal 11--- exit 1" \
	"$(tail -2 "$d1/noslash.debian" | tr -d '\n' | sed 's/.*\(Died on signal 11\)/\1/')"
kt_check "difference, program without '/' and -v: ours prints the path as argv[0]" '- argv[0] = "keyctl"' \
	"$(grep -F -- '- argv[0]' "$d1/noslash.ours")"

fi
# ============================================================ part 2: direct runs with handlers
if [[ $parts == *" 2 "* ]]; then
d2=$work/direct
mkdir -p "$d2/out"
# The key the runs describe: a real user key in a session of this process (the runs are given
# the callout as an 8th operand, so they go on without authority over it).
norm() { # normalise serials: the key under test, the session keyring, any other serial
	# The order in which the pipe loop sees EPIPE and reads is timing: those lines go.
	sed -E -e "s/\b$1\b/KEY/g" -e "s/\b$2\b/SESSION/g" -e '/^(Sig|Cap|fd [0-9])/!s/\b[0-9]{6,}\b/SERIAL/g' -e 's/^(EPIPE)+//' -e 's|/tmp/tmp\.[A-Za-z0-9]+|/tmp/tmp.X|g' \
		-e '/^(select r=|read [0-9-]|read err [0-9-]|wrote [0-9-])/d' -e 's/(select r=[^ ]* w=[^ ]* m=[0-9]*)//g'
}
direct() { # NAME WHICH CONF-LINES MORE-OPTIONS...: one run inside a fresh session
	local name=$1 bin=$2 lines=$3
	shift 3
	rm -rf "$d2/out"/*
	printf '%s\n' "$lines" > "$d2/request-key.conf"
	kt_fresh_session bash -c '
		k=$(/bin/keyctl add user "rk:direct:x" payload @s) || exit 1
		s=$(/bin/keyctl show @s | awk "NR == 2 {print \$1}")
		'"$(declare -f run_rk norm)"'
		{
			b=$1 d=$2
			shift 2
			run_rk "$b" "$d" -l -vv -n "$@" create "$k" 0 0 0 0 "$s" "callout with blanks"
			for f in "$d/out"/*; do [ -e "$f" ] && { echo "=== record ${f##*/}"; cat "$f"; }; done
			echo "=== key: $(/bin/keyctl rdescribe "$k" 2>&1) / $(/bin/keyctl print "$k" 2>&1)"
		} | norm "$k" "$s"
	' _ "$bin" "$d2" "$@"
}
dpair() {
	local name=$1 lines=$2 a b
	shift 2
	# The parent of an exec'd handler is the shell that ran request-key, named after it.
	a=$(direct "$name" "$DEB" "$lines" "$@" 2>&1 | sed -e "s/^\(parent\|parent-exe-sha\|parent-lib\):.*/\1: -/")
	b=$(direct "$name" "$OURS" "$lines" "$@" 2>&1 | sed -e "s/^\(parent\|parent-exe-sha\|parent-lib\):.*/\1: -/")
	local f
	f=$(echo "$name" | tr -c 'A-Za-z0-9_.-' '_')
	echo "$a" > "$d2/$f.debian"
	echo "$b" > "$d2/$f.ours"
	# Every case has a matching line: a run of Debian's that did not get that far proves nothing.
	if grep -q -- 'Prefer command' <<< "$a"; then
		kt_check "direct: $name" "$a" "$b"
	else
		kt_notok "direct: $name (no output from Debian's run)"
	fi
}
O=$d2/out
dpair "exec handler: argv, credentials, environment, descriptors" \
	"create user rk:direct:* * $H $O exec exec %k %o %t %d %c %u %g %T %P %S"
dpair "pipe handler: the same, and the payload refused without authority" \
	"create user rk:direct:* * |$H $O pipe pipe %k %d %c"
dpair "pipe handler failing, negate line less wild" \
	"$(printf '%s\n' "create user rk:direct:* * |$H $O fail fail %k" "negate user rk:direct:x * $H $O negated exec %k %o")"
dpair "pipe handler failing, negate line wilder: the same handler again" \
	"$(printf '%s\n' "create user rk:direct:* * |$H $O fail fail %k" "negate * * * $H $O negated exec %k %o")"
dpair "pipe handler killed by a signal" \
	"$(printf '%s\n' "create user rk:direct:* * |$H $O killed killed %k" "negate user rk:direct:x * $H $O negated exec %k %o")"
dpair "pipe handler missing" \
	"$(printf '%s\n' "create user rk:direct:* * |/nonexistent/prog %k" "negate user rk:direct:x * $H $O negated exec %k %o")"
dpair "exec handler missing" "create user rk:direct:* * /nonexistent/prog %k"
dpair "exec handler not executable" "create user rk:direct:* * /etc/passwd %k"
# Without a '/' keyutils' argv[0] is an invalid pointer: with -v it dies printing it.
direct "noslash" "$DEB" "create user rk:direct:* * keyctl %k" > "$d2/noslash.debian" 2>&1
direct "noslash" "$OURS" "create user rk:direct:* * keyctl %k" > "$d2/noslash.ours" 2>&1
kt_check "direct difference, program without '/', -v: Debian's dies on SIGSEGV" "Died on signal 11--- exit 1" \
	"$(grep -o 'Died on signal 11--- exit 1' "$d2/noslash.debian")"
kt_check "direct difference, program without '/', -v: ours says the exec failed" \
	":2: Failed to execute 'keyctl': No such file or directory" "$(grep 'Failed to execute' "$d2/noslash.ours")"
dpair "pipe handler writing 32768 bytes" "create user rk:direct:* * |/usr/bin/head -c 32768 /dev/zero"
dpair "pipe handler writing 32769 bytes" "create user rk:direct:* * |/usr/bin/head -c 32769 /dev/zero"
dpair "pipe handler not reading its stdin" "create user rk:direct:* * |/bin/true"
dpair "keysub of a key the run can find" \
	"create user rk:direct:* * $H $O keysub exec %k %{user:rk:direct:x}"
dpair "keysub of a missing key" "create user rk:direct:* * $H $O keysub exec %k %{user:rk:none}"

fi
# ============================================================ part 3: real upcalls
[[ $parts == *" 3 "* ]] || kt_finish
d3=$work/upcall
mkdir -p "$d3/etc/request-key.d" "$d3/rec" "$d3/debian" "$d3/ours"
: > "$d3/etc/request-key.conf"
R=$d3/rec
ucase_names=()
# ucase NAME TYPE DESC CALLOUT: the configuration is what $d3/etc holds when it runs.
# In a fresh session (a keysub key "rk-keysub" and a binary one "rk-binkey" in it), as root:
# keyctl request2 TYPE DESC CALLOUT @s; then every key of the session, with its state, payload and
# timeout; then the handlers' records; then the syslog lines (when they can be seen).
ucase() {
	local name=$1 phase=$2 out
	shift 2
	out=$d3/$phase/$(echo "$name" | tr -c 'A-Za-z0-9_.-' '_')
	rm -rf "$R"/*
	[ -n "$SYSLOG_FILE" ] && logger -t rk-test "case $name" 2>/dev/null
	kt_fresh_session bash -c '
		/bin/keyctl add user rk-keysub "keysub-payload" @s > /dev/null
		/bin/keyctl padd user rk-binkey @s < <(printf "a\001b") > /dev/null
		s=$(/bin/keyctl rdescribe @s | cut -d";" -f5)
		err=$(timeout 60 /bin/keyctl request2 "$1" "$2" "$3" @s 2>&1 >/dev/null); rc=$?
		echo "request2: exit $rc $err"
		for k in $(/bin/keyctl rlist @s); do
			d=$(/bin/keyctl rdescribe "$k" 2>&1)
			case $d in *";rk-keysub"|*";rk-binkey") continue ;; esac
			t=$(awk -v k="$(printf %08x "$k")" "\$1 == k {print \$2, \$4}" /proc/keys)
			echo "key: $d"
			echo "  flags/timeout: $t"
			echo "  payload: $(/bin/keyctl print "$k" 2>&1 | head -c 300)"
			echo "  size: $(/bin/keyctl pipe "$k" 2>/dev/null | wc -c)"
		done
		for f in "$4"/*; do [ -e "$f" ] && { echo "record ${f##*/}:"; sed "s/^/  /" "$f"; }; done
	' _ "$@" "$R" > "$out.raw" 2>&1
	sleep 0.2
	[ -n "$SYSLOG_FILE" ] && logger -t rk-test "end $name" 2>/dev/null
	[ "$phase" = debian ] && ucase_names+=("$name")
}
SYSLOG_FILE=
# ---- the cases, each a function writing the configuration then calling ucase
H2="$H $R"
cases() {
	local p=$1
	conf3() { cat > "$d3/etc/request-key.conf"; }
	dir3() { rm -rf "$d3/etc/request-key.d"/*; [ $# -gt 0 ] && cat > "$d3/etc/request-key.d/$1"; }
	dir3
	conf3 << EOF
create user rk:order:* * $H2 order-conf exec %k
create user rk:exact * $H2 exact-conf exec %k
create user rk:macros:* * $H2 macros exec %k %o %t %d %c %u %g %T %P %S %%k %kk %{user:rk-keysub}
create user rk:pipe:* * |$H2 pipe pipe %k %d
create user rk:pipefail:* * |$H2 pipefail fail %k
negate user rk:pipefail:x * /bin/keyctl negate %k 30 %S
create user rk:pipefail2:* * |$H2 pipefail2 fail %k
create user rk:pipekilled:* * |$H2 pipekilled killed %k
negate * * * /bin/keyctl negate %k 20 %S
create user rk:negate:* * /bin/keyctl negate %k 40 %S
create user rk:reject:* * /bin/keyctl reject %k 50 %c %S
create user rk:cat:* * |/bin/cat
create user rk:missing:* * /nonexistent/handler %k
create user rk:pipemissing:* * |/nonexistent/handler %k
create user rk:exit:* * $H2 exit fail %k
create user *:suffix * $H2 suffix exec %k
create user rk:cb:* exact-callout $H2 cb-exact exec %k %c
create user rk:cb:* exact* $H2 cb-prefix exec %k %c
create user rk:cb:* * $H2 cb-any exec %k %c
create user rk:badmacro:* * $H2 x exec %q
create user rk:keysubmissing:* * $H2 x exec %{user:rk-nonexistent}
create user rk:keysubbin:* * $H2 x exec %{user:rk-binkey}
create user rk:noslash:* * keyctl negate %k 30 %S
create user rk:long:* * |/bin/cat
create user rk:big:* * |/usr/bin/head -c 32768 /dev/zero
create user rk:toobig:* * |/usr/bin/head -c 40000 /dev/zero
create user rk:stderr:* * |$H2 noisy noisy %k
create user rk:big2:* * |/usr/bin/head -c 32767 /dev/zero
create user uid:* * /usr/sbin/nfsidmap -t 600 %k %d
create user gid:* * /usr/sbin/nfsidmap -t 600 %k %d
create user rk:syntax:* *
create user rk:mid*dle * $H2 mid exec %k
EOF
	ucase "order: request-key.conf alone" "$p" user rk:order:1 x
	dir3 10-order.conf <<< "create user rk:order:* * $H2 order-d10 exec %k"
	echo "create user rk:exact* * $H2 exact-d exec %k" >> "$d3/etc/request-key.d/10-order.conf"
	echo "create user rk:order:* * $H2 order-d20 exec %k" > "$d3/etc/request-key.d/20-order.conf"
	echo "create user rk:order:* * $H2 order-txt exec %k" > "$d3/etc/request-key.d/30.txt"
	ucase "order: request-key.d before request-key.conf, first file read wins ties" "$p" user rk:order:1 x
	ucase "order: a less wild line of request-key.conf beats request-key.d" "$p" user rk:exact x
	dir3
	ucase "macros: every macro and a keysub" "$p" user rk:macros:1 "callout info"
	ucase "pipe: payload from the handler's stdout, callout on its stdin" "$p" user rk:pipe:1 "the callout"
	ucase "pipe: handler fails, less wild negate line runs" "$p" user rk:pipefail:x x
	ucase "pipe: handler fails, negate line wilder: the failing handler again" "$p" user rk:pipefail2:x x
	ucase "pipe: handler killed" "$p" user rk:pipekilled:x x
	ucase "pipe: handler missing" "$p" user rk:pipemissing:x x
	ucase "pipe: 32767-byte payload" "$p" user rk:big2:x x
	ucase "pipe: 32768-byte payload (one more than a user key takes)" "$p" user rk:big:x x
	ucase "pipe: 40000-byte payload refused" "$p" user rk:toobig:x x
	ucase "pipe: stderr lines to syslog" "$p" user rk:stderr:x x
	ucase "negate handler" "$p" user rk:negate:1 x
	for c in rejected expired revoked; do
		ucase "reject handler: $c" "$p" user rk:reject:1 "$c"
	done
	ucase "cat: callout becomes the payload" "$p" user rk:cat:1 "callout payload"
	ucase "cat: empty callout" "$p" user rk:cat:2 ""
	ucase "exec handler missing" "$p" user rk:missing:1 x
	ucase "exec handler exits 3 without instantiating" "$p" user rk:exit:1 x
	ucase "wildcard: leading" "$p" user rk:suffix x
	ucase "callout: exact beats prefix beats any" "$p" user rk:cb:1 exact-callout
	ucase "callout: prefix" "$p" user rk:cb:1 exact-c
	ucase "callout: any" "$p" user rk:cb:1 other
	ucase "unsupported macro" "$p" user rk:badmacro:1 x
	ucase "keysub of a missing key" "$p" user rk:keysubmissing:1 x
	ucase "keysub of a binary payload" "$p" user rk:keysubbin:1 x
	ucase "program without a slash" "$p" user rk:noslash:1 x
	ucase "4000-byte description and callout" "$p" user "rk:long:$(long 3990 d)" "$(long 4000 c)"
	ucase "odd bytes in the description" "$p" user $'rk:cat:\t%k \x01\xff;x' $'c\x7f%d'
	ucase "newlines in the description and the callout" "$p" user $'rk:cat:a\nb\n' $'c\nd'
	ucase "4095-byte description (the kernel's limit)" "$p" user "rk:cat:$(long 4088 e)" x
	ucase "no matching line" "$p" user rk:nothing x
	ucase "a matching line with a syntax error" "$p" user rk:syntax:1 x
	ucase "type other than user: logon" "$p" logon rk:nothing x
	ucase "real client: nfsidmap uid:root" "$p" user uid:root x
	ucase "real client: nfsidmap gid:root" "$p" user gid:root x
	ucase "real client: nfsidmap uid:nobody-such-user" "$p" user uid:no-such-user-rk x
	ucase "difference: wildcard in the middle (midXXdle)" "$p" user rk:midXXdle x
	ucase "difference: wildcard in the middle (rk:midXXrk:)" "$p" user rk:midXXrk: x
	# configurations that are wrong as a whole
	conf3 <<< "create user rk:* * |/bin/cat"
	printf 'create user rk:nl:* * |/bin/ca' >> "$d3/etc/request-key.conf"
	ucase "last line without a newline" "$p" user rk:nl:1 x
	{ printf 'create user rk:* * /bin/'; long 4100 x; echo; echo "create user rk:* * |/bin/cat"; } | conf3
	ucase "line too long" "$p" user rk:a x
	conf3 <<< "create user rk:* * |/bin/cat"
	dir3 bad.conf <<< "create user rk:*"
	ucase "syntax error in request-key.d" "$p" user rk:a x
	dir3 good.conf <<< "create user rk:* * |/bin/cat"
	: > "$d3/etc/request-key.conf"
	ucase "request-key.d alone" "$p" user rk:a x
	dir3
	ucase "empty configuration" "$p" user rk:a x
	printf '\0create user rk:* * |/bin/cat\n' | conf3
	ucase "difference: line starting with NUL" "$p" user rk:a x
	: > "$d3/etc/request-key.conf"
}

if [ ! -e /dev/log ] && command -v logger > /dev/null; then
	SYSLOG_FILE=$d3/syslog.txt
	: > "$SYSLOG_FILE"
	coproc SYSLOGD { exec /usr/bin/python3 "$here/syslog-listen.py" /dev/log "$SYSLOG_FILE" 300; }
	read -r -t 10 ready <&"${SYSLOGD[0]}"
	if [ "${ready:-}" = READY ]; then
		upcall_on_release "kill $SYSLOGD_PID 2>/dev/null; wait $SYSLOGD_PID 2>/dev/null; rm -f /dev/log"
	else
		SYSLOG_FILE=
		echo "# syslog listener did not start: syslog lines not compared"
	fi
else
	echo "# /dev/log exists (a syslog daemon): syslog lines not compared"
fi
# Debug and error lines go to syslog too (LOG_DEBUG / LOG_ERR, facility LOG_AUTHPRIV) unless -n:
# a few runs of part 1 again without -n, while the listener is there.
slog_names=()
if [ -n "$SYSLOG_FILE" ]; then
	sl=$work/syslog-runs
	mkdir -p "$sl"
	cp /etc/request-key.conf "$sl/request-key.conf"
	slog() { # NAME ARGS...: Debian's, then ours, each between markers
		local name=$1 bin
		shift
		for bin in "$DEB" "$OURS"; do
			logger -t rk-test "case syslog: $name"
			run_rk "$bin" "$sl" "$@" > /dev/null
			sleep 0.2
			logger -t rk-test "end syslog: $name"
		done
		slog_names+=("$name")
	}
	slog "-vv trace of Debian's configuration" -d -l -vv "${K[@]}" negate
	slog "-v trace, a pipe line" -d -l -v "$(desc debug:loop:1)" "${K[@]}" x
	slog "no -v: no match, errors only" -d -l "$(desc nothing)" "${K[@]}" x
	slog "no -v: bad argument count" -d -l create 1
	printf 'create user * * /bin/echo %%q\n' > "$sl/request-key.conf"
	slog "no -v: unsupported macro" -d -l "$(desc a)" "${K[@]}" x
fi
upcall_bind "$d3/etc/request-key.conf" /etc/request-key.conf &&
	upcall_bind "$d3/etc/request-key.d" /etc/request-key.d || {
	kt_notok "bind-mount the test configuration"
	kt_finish
}
cases debian
upcall_bind "$OURS" /usr/sbin/request-key || { kt_notok "bind-mount ours over /usr/sbin/request-key"; kt_finish; }
kt_check "/sbin/request-key is ours while bound" "$ours_sha" "$(sha256sum < /sbin/request-key | cut -c1-16)"
cases ours
upcall_release
kt_check "everything unbound: /usr/sbin/request-key is Debian's again" "$deb_md5" "$(md5sum < /usr/sbin/request-key | cut -d' ' -f1)"
kt_check "everything unbound: /etc/request-key.conf is the machine's" "" "$(findmnt -rn --mountpoint /etc/request-key.conf)"

# syslog lines of each case: between its markers
syslog_of() { # PHASE-INDEX NAME: the request-key lines of the NAME case's Nth run
	awk -v name="$2" -v want="$1" '
		index($0, "rk-test: case " name) && substr($0, index($0, "rk-test: case ") + 14) == name { n++; on = (n == want); next }
		index($0, "rk-test: end ") { on = 0; next }
		on && /request-key: / { print }
	' "$SYSLOG_FILE"
}

unorm() { # serials; timeouts in seconds rounded up to tens (the clock runs between the two)
	sed -E -e 's/_req\.[0-9]+/_req.N/g' -e '/^ *(Sig|Cap|fd [0-9])/!s/\b[0-9]{6,}\b/SERIAL/g' |
		awk '/^  flags\/timeout: / && $NF ~ /^[0-9]+[smhd]$/ {
			t = $NF + 0; u = substr($NF, length($NF))
			t *= (u == "m" ? 60 : u == "h" ? 3600 : u == "d" ? 86400 : 1)
			$NF = int((t + 9) / 10) * 10 "s"; $0 = "  " $0
		} { print }'
}
for name in "${slog_names[@]}"; do
	a=$(syslog_of 1 "syslog: $name")
	b=$(syslog_of 2 "syslog: $name")
	if [ -z "$a" ]; then
		kt_notok "syslog: $name (no line from Debian's run)"
	else
		kt_check "syslog: $name" "$a" "$b"
	fi
done
for name in "${ucase_names[@]}"; do
	f=$(echo "$name" | tr -c 'A-Za-z0-9_.-' '_')
	a=$(unorm < "$d3/debian/$f.raw" | grep -v -E '^  parent-(exe-sha|lib):')
	b=$(unorm < "$d3/ours/$f.raw" | grep -v -E '^  parent-(exe-sha|lib):')
	if [ -n "$SYSLOG_FILE" ]; then
		a+=$'\n'"$(syslog_of 1 "$name" | unorm)"
		b+=$'\n'"$(syslog_of 2 "$name" | unorm)"
	fi
	case $name in
	difference:*) echo "$a" > "$d3/debian/$f.txt"; echo "$b" > "$d3/ours/$f.txt" ;;
	*)
		if ! grep -q '^request2: exit' <<< "$a"; then
			kt_notok "upcall: $name (no result on Debian's run)"
		else
			kt_check "upcall: $name" "$a" "$b"
		fi
		;;
	esac
done

# ---- which request-key ran, from inside the pipe handler (its parent is the running request-key)
f=$(echo "pipe: payload from the handler's stdout, callout on its stdin" | tr -c 'A-Za-z0-9_.-' '_')
kt_check "upcall proof: Debian's phase ran Debian's request-key on Debian's library" \
	"$deb_sha $(realpath "$KEYUTILS_ORIG_LIB")" \
	"$(sed -n 's/^  parent-exe-sha: //p' "$d3/debian/$f.raw") $(sed -n 's/^  parent-lib: //p' "$d3/debian/$f.raw" | xargs -n1 realpath 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')"
kt_check "upcall proof: our phase ran ours on the library under test" \
	"$ours_sha $(realpath "$KEYUTILS_LIBDIR/libkeyutils.so.1")" \
	"$(sed -n 's/^  parent-exe-sha: //p' "$d3/ours/$f.raw") $(sed -n 's/^  parent-lib: //p' "$d3/ours/$f.raw" | xargs -n1 realpath 2>/dev/null | sort -u | tr '\n' ' ' | sed 's/ $//')"
kt_check "upcall proof: the kernel ran request-key as /sbin/request-key with the documented arguments" \
	"parent: /sbin/request-key create SERIAL 0 0 0 0 SERIAL " \
	"$(sed -n 's/^  parent: //p' "$d3/ours/$f.raw" | unorm | sed 's/^/parent: /')"

# ---- the deliberate differences through real upcalls
dif() { unorm < "$d3/$1/$(echo "$2" | tr -c 'A-Za-z0-9_.-' '_').raw" | grep -E "$3" | head -3; }
kt_check "upcall difference, midXXdle: Debian's finds no line (request fails)" \
	"request2: exit 1 request_key: Required key not available" "$(dif debian 'difference: wildcard in the middle (midXXdle)' '^request2')"
kt_check "upcall difference, midXXdle: ours runs the line" \
	"key: user;0;0;3f010000;rk:midXXdle" "$(dif ours 'difference: wildcard in the middle (midXXdle)' '^key:' | sed 's/;[0-9a-f]*;rk/;3f010000;rk/')"
kt_check "upcall difference, rk:midXXrk:: Debian's runs the line" \
	"key: user;0;0;3f010000;rk:midXXrk:" "$(dif debian 'difference: wildcard in the middle (rk:midXXrk:)' '^key:' | sed 's/;[0-9a-f]*;rk/;3f010000;rk/')"
kt_check "upcall difference, rk:midXXrk:: ours finds no line" \
	"request2: exit 1 request_key: Required key not available" "$(dif ours 'difference: wildcard in the middle (rk:midXXrk:)' '^request2')"
kt_check "upcall difference, NUL line: both fail the request" \
	"request2: exit 1 request_key: Required key not available|request2: exit 1 request_key: Required key not available" \
	"$(dif debian 'difference: line starting with NUL' '^request2')|$(dif ours 'difference: line starting with NUL' '^request2')"
if [ -n "$SYSLOG_FILE" ]; then
	kt_check "upcall difference, NUL line: syslog, Debian's: Died on signal 11 (or 7); ours: a syntax error" \
		"request-key: Died on signal N|request-key: /etc/request-key.conf:1: Syntax error" \
		"$(syslog_of 1 'difference: line starting with NUL' | sed -E 's/^<[0-9]*>//; s/signal (7|11)$/signal N/')|$(syslog_of 2 'difference: line starting with NUL' | sed 's/^<[0-9]*>//')"
fi
kt_finish

#!/usr/bin/env bash
# keyutils' own test suite (Debian's keyutils source package, tests/: 83 tests of keyctl, the
# request-key upcall and the kernel) run twice: on Debian's /usr/bin/keyctl and
# libkeyutils.so.1 (the control), and on our keyctl and our library (with our request-key for
# the upcalls once it is built). Each upstream test becomes one TAP line per configuration.
#
# The suite is GPL code that is not ours: tests/upstream/fetch.sh (run by tests/deps.sh) caches it
# in build/upstream; this script only reads the cache and runs a fresh copy of it per configuration
# under $KEYUTILS_TEST_OUT/upstream.
#
# How each configuration is put in place, and proved:
# - The upstream scripts call `keyctl` through PATH (none names a path), so a directory first in
#   PATH holds a `keyctl` wrapper that logs the call and execs the configuration's keyctl with its
#   library (ours: LD_LIBRARY_PATH=$KEYUTILS_LIBDIR; Debian's: no LD_LIBRARY_PATH) and
#   LD_DEBUG=libs written to a file per pid. After the run every logged call must have an ld.so log
#   of the same pid (exec keeps the pid) that initialised exactly the expected libkeyutils.so.1.
#   One long-running `keyctl` started through the same PATH is also checked in /proc/PID/exe and
#   /proc/PID/maps.
# - The upcall tests (keyctl/requesting/*) make the kernel run /sbin/request-key, whose handler
#   (request-key-debug.sh) runs /bin/keyctl, both in the initial mount namespace. They run holding
#   the machine's upcall lock (tests/upcall-lib.sh), so no other test swaps the
#   programs meanwhile. For ours, during that window alone, a wrapper of our keyctl is bind-mounted
#   over /usr/bin/keyctl (so the handler's keyctl is ours too, logged and proved like the others;
#   any other process on the machine that runs /usr/bin/keyctl meanwhile gets a checked copy of
#   Debian's on the system library),
#   and, when our request-key is built, a wrapper over /usr/sbin/request-key that logs the upcall
#   and execs a copy of ours whose RUNPATH is $KEYUTILS_LIBDIR (the kernel gives no
#   LD_LIBRARY_PATH), with ld.so's log proving the library of each upcall; every mount is undone
#   by a trap. Until our request-key exists, Debian's answers the upcalls (a # line says so).
#
# How results are read: a test passed when its runtest.sh exited 0 and its test.out ends with
# "++++ FINISHED TEST: PASS"; it failed on "FAIL" or a non-zero exit. A test that skips
# ("++++ SKIPPING TEST": the kernel lacks the feature, or the suite's own condition says so) is no
# pass: it is a # SKIP line, and one check that it skips for the same reason on ours as on Debian's.
# A test that fails on Debian's own binaries on this machine is listed in KNOWN below with the
# reason, which is checked; ours must then fail the same way (the same test.out, serials masked).
#
# Debian's tests/prepare.inc.sh (its patch Tests-for-KEYCTL_MOVE-require-kernel-5.3-or-above) reads
# $have_move_keys while `keyctl supports` prints have_move_key, so the four move tests always skip.
# They are run a second time on a copy whose prepare.inc.sh also sets have_move_keys from
# have_move_key (the one change made to the suite), on both configurations.
#
# Machine state: the suite runs as root in a fresh session keyring per configuration, and each
# upstream test joins its own named session keyring. It uses @u and @us only read-only (id, move's
# error cases); the keys of @u and @us are compared before and after each configuration and any key
# that appeared is unlinked again (and is a failure). keyctl/requesting/* set
# /proc/sys/kernel/keys/gc_delay to 10 and back; this script saves it and restores it on exit.
# Why not a throwaway uid: the root-only tests (limits, large payloads, builtin keyrings) and the
# upcalls need root (this kernel answers a non-root requester's upcall with ENOENT before
# any handler runs; README), and a uid's @u, made on first use, stays after the run anyway.
#
# Env: the libraries as tests/lib.sh says, KEYCTL_BIN (our keyctl; default build/bin/keyctl),
# REQUEST_KEY_BIN (our request-key; default build/sbin/request-key, required once
# programs/request-key exists),
# UPSTREAM_CACHE (default build/upstream), UPSTREAM_TESTS="keyctl/add/useradd ..." for a subset.
set -u
export LC_ALL=C.UTF-8
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
. "$here/../upcall-lib.sh"

CACHE=${UPSTREAM_CACHE:-$KT_ROOT/build/upstream}
SRC=$CACHE/src/tests
WORK=$KEYUTILS_TEST_OUT/upstream
DEB_KEYCTL=/usr/bin/keyctl
SYS_RQ=/usr/sbin/request-key

# Upstream tests that fail with Debian's own keyctl and library on this machine: the test, a
# command that succeeds when the reason holds here, and the reason.
declare -A KNOWN_CHECK KNOWN_WHY
KNOWN_CHECK[features/builtin_trusted]="! kt_sys_keyctl id %:.secondary_trusted_keys"
KNOWN_WHY[features/builtin_trusted]="the kernel has no .secondary_trusted_keys keyring (CONFIG_SECONDARY_TRUSTED_KEYRING unset): the test then passes an empty keyring id to keyctl add"

# ---- machine state put back whatever happens
GC_FILE=/proc/sys/kernel/keys/gc_delay
restore_gc() {
	[ -z "${GC_BEFORE:-}" ] || [ "$(cat "$GC_FILE")" = "$GC_BEFORE" ] || echo "$GC_BEFORE" > "$GC_FILE"
}

# ---- the upcall window: the lock, and for ours the bind mounts (tests/upcall-lib.sh)
# upcall CONFIG CMD...: runs CMD holding the upcall lock; for ours with our keyctl's wrapper (and
# our request-key's, when built) bind-mounted in the initial mount namespace, undone before
# returning (and by upcall-lib's trap on any exit: run_one calls this in a subshell).
upcall() {
	local config=$1 rc
	shift
	upcall_lock 600 || return 1
	# With the lock held nothing else is bound there: both programs are the machine's own now.
	if findmnt -rn --mountpoint "$SYS_RQ" > /dev/null || findmnt -rn --mountpoint "$DEB_KEYCTL" > /dev/null; then
		echo "# $SYS_RQ or $DEB_KEYCTL is still bind-mounted by someone while the lock is held"
		upcall_release
		return 1
	fi
	if [ "$config" = ours ]; then
		upcall_bind "$WORK/$config/handler-keyctl" "$DEB_KEYCTL" || { upcall_release; return 1; }
		if [ -n "$OURS_RQ" ]; then
			upcall_bind "$WORK/$config/rq-wrapper" "$SYS_RQ" || { upcall_release; return 1; }
		fi
	fi
	"$@"
	rc=$?
	upcall_release
	return $rc
}

# no_long_keys: /proc/keys has no line over 1000 bytes. Debian's find_key_by_type_and_desc (behind
# keyctl's %type:name) crashes while one is visible (README, the original's defects), and
# features/limits leaves 4095-byte descriptions behind until the kernel's collector frees them.
no_long_keys() { awk 'length($0) > 1000 { found = 1; exit } END { exit found }' /proc/keys; }

# run_one CONFIG TREE TEST: runs one upstream test; prints "PASS", "FAIL (...)" or "SKIP reason".
run_one() {
	local config=$1 tree=$2 t=$3 rc out
	out=$tree/$t/test.out
	rm -f "$out"
	# The previous test's keys are gone first (bounded: another suite's may stay).
	kt_wait_until 30 no_long_keys || echo "# /proc/keys still shows a description over 1000 bytes" > "$tree/$t/wait.log"
	if [[ $t == keyctl/requesting/* ]]; then
		(cd "$tree/$t" && upcall "$config" timeout 300 bash ./runtest.sh) > "$tree/$t/run.log" 2>&1
	else
		(cd "$tree/$t" && timeout 300 bash ./runtest.sh) > "$tree/$t/run.log" 2>&1
	fi
	rc=$?
	if grep -q '^++++ SKIPPING TEST' "$out" 2> /dev/null; then
		echo "SKIP $(grep -m1 '^+++ SKIP' "$out" | sed 's/^+++ //')"
	elif [ "$rc" -eq 0 ] && [ "$(grep '^++++ FINISHED TEST:' "$out" 2> /dev/null | tail -n 1)" = "++++ FINISHED TEST: PASS" ]; then
		echo PASS
	else
		echo "FAIL (exit $rc; $(grep '^++++ FINISHED TEST:' "$out" 2> /dev/null | tail -n 1 || echo 'no FINISHED line'))"
	fi
}

# Inner mode: `run.sh --inner CONFIG TREE TEST...`, started by the outer run below inside a fresh
# session keyring with CONFIG's keyctl first in PATH; prints "TEST RESULT" lines.
if [ "${1:-}" = --inner ]; then
	config=$2 tree=$3
	shift 3
	GC_BEFORE=$(cat "$GC_FILE")
	trap restore_gc EXIT
	trap 'restore_gc; exit 1' INT TERM
	for t in "$@"; do
		echo "$t $(run_one "$config" "$tree" "$t")"
	done
	exit 0
fi

[ "$(id -u)" = 0 ] || { kt_notok "setup: the upstream suite runs as root"; kt_finish; }
kt_have_libs || kt_finish
if [ ! -f "$SRC/toolbox.inc.sh" ]; then
	kt_notok "setup: the upstream test suite is cached in $CACHE (run: bash tests/deps.sh upstream)"
	kt_finish
fi
echo "# upstream suite: keyutils $(cat "$CACHE/VERSION" 2> /dev/null) from $SRC"
LIB=$(realpath "$KEYUTILS_LIBDIR/libkeyutils.so.1")
SYS_LIB=$(realpath "$KEYUTILS_ORIG_LIB")

# Ours: KEYCTL_BIN and REQUEST_KEY_BIN, or what `make` built (make check builds them first).
OURS=${KEYCTL_BIN:-$KT_ROOT/build/bin/keyctl}
if [ ! -x "$OURS" ]; then
	kt_notok "setup: our keyctl $OURS exists (run make, or set KEYCTL_BIN)"
	kt_finish
fi
OURS=$(realpath "$OURS")
OURS_RQ=${REQUEST_KEY_BIN:-$KT_ROOT/build/sbin/request-key}
if [ -x "$OURS_RQ" ]; then
	OURS_RQ=$(realpath "$OURS_RQ")
elif [ -f "$KT_ROOT/programs/request-key/Cargo.toml" ]; then
	kt_notok "setup: our request-key $OURS_RQ exists (run make, or set REQUEST_KEY_BIN)"
	kt_finish
else
	OURS_RQ=
fi
if [ -n "$OURS_RQ" ]; then rq=$OURS_RQ; else rq="Debian's $SYS_RQ (ours is not built)"; fi
echo "# ours: $OURS on $LIB; request-key: $rq"
echo "# control: $DEB_KEYCTL on $SYS_LIB; request-key: $SYS_RQ"

GC_BEFORE=$(cat "$GC_FILE")
# The inner runs undo their own mounts; should one die without its trap, the lock is taken and a
# mount still carrying our files is undone (no one else mounts while the lock is held).
outer_cleanup() {
	local f
	restore_gc
	for f in "$DEB_KEYCTL" "$SYS_RQ"; do
		grep -q 'Generated by tests/upstream/run.sh' "$f" 2> /dev/null || continue
		(
			flock -w 60 9 || exit 1
			if grep -q 'Generated by tests/upstream/run.sh' "$f" 2> /dev/null; then umount "$f"; fi
		) 9>> "$UPCALL_LOCK"
	done
}
trap outer_cleanup EXIT
trap 'outer_cleanup; exit 1' INT TERM

# ---- the keyctl wrapper first in PATH
# make_wrapper FILE REAL LIBDIR LOGDIR: FILE logs "PID ARG1 ARG2" to LOGDIR/calls, then becomes
# REAL (same pid) with LD_LIBRARY_PATH=LIBDIR (none when empty) and ld.so's log in LOGDIR/ld.PID.
# `keyctl session NAME PROG...` starts PROG through env, without those variables, so that only
# keyctl processes write ld.so logs. Paths are written into FILE: it also runs from the kernel's
# upcall, whose environment is empty.
make_wrapper() {
	local file=$1 real=$2 libdir=$3 logdir=$4 lib
	if [ -n "$libdir" ]; then lib="LD_LIBRARY_PATH='$libdir'"; else lib="-u LD_LIBRARY_PATH"; fi
	cat > "$file" << WRAPPER
#!/bin/bash
# Generated by tests/upstream/run.sh: logs this call, then becomes $real.
printf '%s %s %s\n' "\$\$" "\${1:-}" "\${2:-}" >> '$logdir/calls'
if [ "\${1:-}" = session ] && [ \$# -ge 3 ]; then
	set -- session "\$2" env -u LD_DEBUG -u LD_DEBUG_OUTPUT -u LD_LIBRARY_PATH "\${@:3}"
fi
exec env -u LD_PRELOAD $lib LD_DEBUG=libs LD_DEBUG_OUTPUT='$logdir/ld' '$real' "\$@"
WRAPPER
	chmod 755 "$file"
}

# make_handler_wrapper FILE WRAPPER DEBCOPY: FILE, bind-mounted over /usr/bin/keyctl in the upcall
# window, is WRAPPER for a keyctl that the kernel's upcall runs (an ancestor is a child of
# kthreadd, pid 2), and for anyone else on the machine DEBCOPY, a verified copy of Debian's keyctl,
# on the system's library: other suites' oracle (kt_sys_keyctl) stays Debian's meanwhile.
make_handler_wrapper() {
	local file=$1 wrapper=$2 debcopy=$3
	cat > "$file" << WRAPPER
#!/bin/bash
# Generated by tests/upstream/run.sh: $wrapper in the kernel's upcalls, else Debian's keyctl.
p=\$PPID
while [ "\${p:-0}" -gt 2 ]; do p=\$(awk '/^PPid:/ {print \$2; exit}' "/proc/\$p/status" 2> /dev/null); done
[ "\${p:-0}" = 2 ] && exec '$wrapper' "\$@"
unset LD_LIBRARY_PATH LD_PRELOAD
exec -a "\$0" '$debcopy' "\$@"
WRAPPER
	chmod 755 "$file"
}

# make_rq_wrapper FILE REAL LOGDIR: FILE, bind-mounted over /usr/sbin/request-key for the upcalls,
# logs "PID OP KEY" to LOGDIR/calls, then becomes REAL (same pid, the kernel's argv[0]) with ld.so's
# log in LOGDIR/ld.PID. REAL finds its library through its RUNPATH, as the kernel gives no
# LD_LIBRARY_PATH; LD_DEBUG reaches the handler too, which only writes a log of its own.
make_rq_wrapper() {
	local file=$1 real=$2 logdir=$3
	cat > "$file" << WRAPPER
#!/bin/bash
# Generated by tests/upstream/run.sh: logs this upcall, then becomes $real.
printf '%s %s %s\n' "\$\$" "\${1:-}" "\${2:-}" >> '$logdir/calls'
LD_DEBUG=libs LD_DEBUG_OUTPUT='$logdir/ld' exec -a "\$0" '$real' "\$@"
WRAPPER
	chmod 755 "$file"
}

# proven NAME LOGDIR WANTLIB: every call in LOGDIR/calls has the ld.so log of its pid, which
# initialised WANTLIB and no other libkeyutils. One ok/not ok line.
proven() {
	local name=$1 logdir=$2 want=$3 n=0 bad=0 pid rest inits
	while read -r pid rest; do
		n=$((n + 1))
		inits=$(sed -n 's/.*calling init: \(.*libkeyutils[^ ]*\).*/\1/p' "$logdir/ld.$pid" 2> /dev/null |
			xargs -r -n1 realpath -m | sort -u)
		if [ "$inits" != "$want" ]; then
			bad=$((bad + 1))
			[ "$bad" -le 3 ] && echo "#   pid $pid ($rest): ld.so initialised '${inits:-no libkeyutils}'"
		fi
	done < "$logdir/calls"
	if [ "$n" -gt 0 ] && [ "$bad" -eq 0 ]; then
		kt_ok "$name: all $n calls ran on $want (the ld.so log of each pid)"
	else
		kt_notok "$name: $bad of $n calls did not run on $want"
	fi
}

# prove_exe NAME PATHDIR REAL WANTLIB: a keyctl started through PATHDIR (the wrapper) is REAL,
# mapping WANTLIB, seen in /proc. watch_sync on a FIFO with unread data keeps it running.
prove_exe() {
	local name=$1 pathdir=$2 real=$3 want=$4 fifo pid got rc
	fifo=$WORK/fifo.$$
	rm -f "$fifo" && mkfifo "$fifo"
	exec 7<> "$fifo"
	echo data >&7
	PATH=$pathdir:$PATH keyctl watch_sync 0 < "$fifo" > /dev/null 2>&1 &
	pid=$!
	kt_wait_maps "$pid" "$real"
	got=$(kt_maps_lib "$pid" "$want")
	rc=$?
	if [ "$(readlink "/proc/$pid/exe" 2> /dev/null)" != "$real" ]; then
		rc=1 got="its exe is $(readlink "/proc/$pid/exe" 2> /dev/null)"
	fi
	kill "$pid" 2> /dev/null
	exec 7>&-
	wait "$pid" 2> /dev/null
	rm -f "$fifo"
	if [ "$rc" -eq 0 ]; then
		kt_ok "$name: \`keyctl\` through PATH is $real mapping $want (/proc/PID/exe and maps)"
	else
		kt_notok "$name: \`keyctl\` through PATH is $real mapping $want: $got"
	fi
}

# The tests in the upstream Makefile's order (find . -name runtest.sh).
list_tests() {
	(cd "$1" && find . -name runtest.sh | sed -e 's/runtest.sh//g;s/^\.\///;s/\/$//')
}

# setup_config CONFIG REAL LIBDIR: one configuration's copies of the suite (tests/, and tests-move/
# with have_move_keys read from have_move_key), its wrappers and its logs.
setup_config() {
	local config=$1 real=$2 libdir=$3 d=$WORK/$1
	rm -rf "$d" && mkdir -p "$d/bin" "$d/log" "$d/handler-log" || return 1
	cp -r "$SRC" "$d/tests" && cp -r "$SRC" "$d/tests-move" || return 1
	sed -i 's/^\(    eval `keyctl supports`\)$/\1; have_move_keys=${have_move_key:-0}/' "$d/tests-move/prepare.inc.sh"
	make_wrapper "$d/bin/keyctl" "$real" "$libdir" "$d/log"
	make_wrapper "$d/handler-wrapped" "$real" "$libdir" "$d/handler-log"
	make_handler_wrapper "$d/handler-keyctl" "$d/handler-wrapped" "$WORK/debian-keyctl"
	: > "$d/log/calls" && : > "$d/handler-log/calls"
	if [ "$config" = ours ] && [ -n "$OURS_RQ" ]; then
		mkdir -p "$d/rq-log" && : > "$d/rq-log/calls" || return 1
		cp "$OURS_RQ" "$d/request-key" && patchelf --set-rpath "$KEYUTILS_LIBDIR" "$d/request-key" || return 1
		make_rq_wrapper "$d/rq-wrapper" "$d/request-key" "$d/rq-log"
	fi
}

# mask FILE: FILE with serials, pids and hex key ids masked, to compare two runs.
mask() {
	sed -E -e 's/ *[0-9]{4,}/ N/g' -e 's/\b[0-9a-f]{8}\b/H/g' "$1" 2> /dev/null
}
ring_keys() { kt_sys_keyctl rlist "$1" 2> /dev/null | tr ' ' '\n' | sed '/^$/d' | sort; }

mkdir -p "$WORK"
# Debian's keyctl as the package installed it, copied while nothing is bound over it (the lock).
deb_md5=$(awk '$2 == "usr/bin/keyctl" || $2 == "bin/keyctl" {print $1}' /var/lib/dpkg/info/keyutils.md5sums 2> /dev/null)
(flock -w 600 9 && cp "$DEB_KEYCTL" "$WORK/debian-keyctl") 9>> "$UPCALL_LOCK"
kt_check "setup: the copy of Debian's keyctl is the package's file (md5 $deb_md5)" "$deb_md5" \
	"$(md5sum < "$WORK/debian-keyctl" | cut -d' ' -f1)"
export WORK DEB_KEYCTL SYS_RQ OURS_RQ
TESTS=${UPSTREAM_TESTS:-$(list_tests "$SRC")}
read -r -a TESTS <<< "$(echo $TESTS)"
read -r -a MOVES <<< "$(list_tests "$SRC" | grep '^keyctl/move/' | tr '\n' ' ')"
[ -z "${UPSTREAM_TESTS:-}" ] || read -r -a MOVES <<< "$(printf '%s\n' "${TESTS[@]}" | grep '^keyctl/move/' | tr '\n' ' ')"

for config in debian ours; do
	d=$WORK/$config
	if [ "$config" = ours ]; then
		real=$OURS want=$LIB libdir=$KEYUTILS_LIBDIR
	else
		real=$DEB_KEYCTL want=$SYS_LIB libdir=
	fi
	setup_config "$config" "$real" "$libdir" || { kt_notok "$config: setup of $d"; continue; }
	if grep -q 'have_move_keys=\${have_move_key:-0}' "$d/tests-move/prepare.inc.sh"; then
		kt_ok "$config: the move tests' copy reads have_move_key"
	else
		kt_notok "$config: the move tests' copy reads have_move_key (prepare.inc.sh changed?)"
	fi
	prove_exe "$config" "$d/bin" "$real" "$want"
	if [ "$config" = ours ] && [ -n "$OURS_RQ" ]; then
		kt_check "ours: the copy of our request-key loads $LIB with an empty environment (RUNPATH)" "$LIB" \
			"$(env -i LD_TRACE_LOADED_OBJECTS=1 "$d/request-key" | awk '/libkeyutils/ {print $3}' | xargs -r realpath)"
	fi
	u_before=$(ring_keys @u) us_before=$(ring_keys @us) gc=$(cat "$GC_FILE")
	start=$SECONDS
	# The suite's own processes see no library variables: the wrapper sets them for keyctl alone.
	kt_fresh_session env -u LD_LIBRARY_PATH -u LD_PRELOAD PATH="$d/bin:$PATH" \
		bash "$0" --inner "$config" "$d/tests" "${TESTS[@]}" > "$d/results" 2> "$d/stderr"
	if [ ${#MOVES[@]} -gt 0 ]; then
		kt_fresh_session env -u LD_LIBRARY_PATH -u LD_PRELOAD PATH="$d/bin:$PATH" \
			bash "$0" --inner "$config" "$d/tests-move" "${MOVES[@]}" > "$d/results-move" 2>> "$d/stderr"
	fi
	echo "# $config: the upstream suite took $((SECONDS - start)) s"
	kt_check "$config: every upstream test gave a result" "${#TESTS[@]} ${#MOVES[@]}" \
		"$(grep -c . "$d/results") $(grep -c . "$d/results-move" 2> /dev/null || echo 0)"
	# Keys that appeared in @u or @us during the run are unlinked again (and fail the check).
	for ring in @u @us; do
		if [ "$ring" = @u ]; then old=$u_before; else old=$us_before; fi
		new=$(comm -13 <(echo "$old") <(ring_keys "$ring"))
		for k in $new; do kt_sys_keyctl unlink "$k" "$ring" > /dev/null 2>&1; done
		kt_check "$config: $ring holds the same keys after the upstream suite" "" "$new"
	done
	kt_check "$config: kernel/keys/gc_delay is $gc again after the upstream suite" "$gc" "$(cat "$GC_FILE")"
	proven "$config: keyctl through PATH" "$d/log" "$want"
done

# ---- the results, one TAP line per upstream test and configuration
# result CONFIG FILE TEST: the result word line of TEST in FILE.
result() { sed -n "s|^$3 ||p" "$WORK/$1/$2" | head -n 1; }
report() { # FILE TREE LABEL
	local file=$1 tree=$2 label=$3 t deb ours why
	for t in $(awk '{print $1}' "$WORK/debian/$file" "$WORK/ours/$file" | awk '!seen[$0]++'); do
		deb=$(result debian "$file" "$t")
		ours=$(result ours "$file" "$t")
		why=${KNOWN_WHY[$t]:-}
		# Debian's keyctl: the control.
		case $deb in
		PASS) kt_ok "debian: upstream $t$label" ;;
		SKIP*) echo "# debian: upstream $t$label: ${deb#SKIP } # SKIP" ;;
		*)
			if [ -n "$why" ] && eval "${KNOWN_CHECK[$t]}" > /dev/null 2>&1; then
				kt_ok "debian: upstream $t$label fails as known on this machine: $why"
			else
				kt_notok "debian: upstream $t$label: $deb"
				grep -B 3 -m 1 '=== FAILED ===' "$WORK/debian/$tree/$t/test.out" 2> /dev/null | sed 's/^/#   /'
			fi
			;;
		esac
		# Ours: passes where Debian's passes, skips as Debian's does, and fails only where Debian's
		# fails for a known reason, in the same way.
		case $ours in
		PASS) kt_ok "ours: upstream $t$label" ;;
		SKIP*)
			echo "# ours: upstream $t$label: ${ours#SKIP } # SKIP"
			kt_check "ours: upstream $t$label skips as Debian's does" "$deb" "$ours"
			;;
		*)
			if [ -n "$why" ] && [ "${deb%% *}" = FAIL ] && eval "${KNOWN_CHECK[$t]}" > /dev/null 2>&1; then
				if diff <(mask "$WORK/debian/$tree/$t/test.out") <(mask "$WORK/ours/$tree/$t/test.out") > "$WORK/ours/$tree/$t/diff"; then
					kt_ok "ours: upstream $t$label fails as Debian's does (the same test.out, serials masked): $why"
				else
					kt_notok "ours: upstream $t$label fails, unlike Debian's (test.out differs: $WORK/ours/$tree/$t/diff)$(cat "$WORK"/*/"$tree/$t/wait.log" 2> /dev/null | sed 's/^# / (/; s/$/)/' | head -n 1)"
					head -n 10 "$WORK/ours/$tree/$t/diff" | sed 's/^/#   /'
				fi
			else
				kt_notok "ours: upstream $t$label: $ours"
				grep -B 3 -m 1 '=== FAILED ===' "$WORK/ours/$tree/$t/test.out" 2> /dev/null | sed 's/^/#   /'
			fi
			;;
		esac
	done
}
report results tests ""
[ ${#MOVES[@]} -eq 0 ] || report results-move tests-move " (have_move_keys read from have_move_key)"

# The upcall handler's keyctl (request-key-debug.sh runs /bin/keyctl): ours, on our library.
if printf '%s\n' "${TESTS[@]}" | grep -qE '^keyctl/requesting/(valid|piped)$'; then
	if [ "$(result ours results keyctl/requesting/valid)" = PASS ] || [ "$(result ours results keyctl/requesting/piped)" = PASS ]; then
		proven "ours: the upcall handler's /bin/keyctl" "$WORK/ours/handler-log" "$LIB"
		kt_check "ours: the upcall handler ran keyctl instantiate" yes \
			"$(grep -q ' instantiate ' "$WORK/ours/handler-log/calls" && echo yes)"
	fi
fi
if [ -n "$OURS_RQ" ]; then
	if printf '%s\n' "${TESTS[@]}" | grep -qE '^keyctl/requesting/(valid|piped)$'; then
		proven "ours: the kernel's /sbin/request-key upcalls" "$WORK/ours/rq-log" "$LIB"
		kt_check "ours: the kernel ran our request-key for a create upcall" yes \
			"$(grep -q '^[0-9]* create ' "$WORK/ours/rq-log/calls" && echo yes)"
	fi
else
	echo "# ours: Debian's $SYS_RQ answered the upcalls (build/sbin/request-key is not built)"
fi
for config in debian ours; do
	echo "# $config: $(cut -d' ' -f2 "$WORK/$config/results" "$WORK/$config/results-move" 2> /dev/null | sort | uniq -c | tr -s ' \n' ' ')"
done
# ld.so's logs are large and have served: keep the call lists.
rm -f "$WORK"/*/log/ld.* "$WORK"/*/handler-log/ld.* "$WORK"/*/rq-log/ld.*
kt_finish

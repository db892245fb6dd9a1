#!/bin/sh
# A request-key handler that records what it was given: request-key.conf lines run it as
#   /path/handler.sh OUTDIR TAG MODE [ARGS...]
# MODE exec: write the record to OUTDIR/TAG, then instantiate the first of ARGS (%k) with "exec:TAG"
#            through /bin/keyctl (a failure of that is recorded too);
# MODE pipe: write the record to OUTDIR/TAG, then print "pipe:TAG" and stdin as the payload;
# MODE fail: record, then exit 3 (exec) / kill itself with SIGTERM (MODE killed);
# MODE noisy: record, write lines (one longer than 512 bytes, one unfinished) on stderr, print a payload.
# The record: argv, credentials, environment, descriptors, signal state, working directory,
# the session keyring, and what the parent process is (the running request-key in pipe mode).
out=$1 tag=$2 mode=$3
shift 3
rec=$out/$tag
# The signal state as exec left it, read with builtins only: the shell blocks signals around its
# own forks, so a later look could see its mask instead of the one it was given.
sigs=
while read -r field value; do
	case $field in SigBlk:|SigIgn:) sigs="$sigs$field $value
" ;; esac
done < /proc/$$/status
# The descriptors as exec left them, listed before anything here opens one (below, a command
# substitution's pipe is new and not in the list; 10 and above are the shell's own).
fds=
for fd in /proc/$$/fd/*; do fds="$fds ${fd##*/}"; done
fdinfo=
for n in $fds; do
	[ "$n" -ge 10 ] && continue
	fdinfo="${fdinfo}fd $n: $(readlink "/proc/$$/fd/$n" | sed 's/:\[[0-9]*\]$/:[]/') $(grep '^flags' "/proc/$$/fdinfo/$n" | tr '\t' ' ')
"
done
{
	printf '%s' "$sigs"
	echo "argc: $#"
	for a in "$@"; do printf 'arg: [%s]\n' "$a"; done
	echo "id: $(id)"
	grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/$$/status
	echo "umask: $(umask)"
	echo "cwd: $(pwd)"
	env | LC_ALL=C sort | sed 's/^/env: /'
	printf '%s' "$fdinfo"
	echo "session: $(/bin/keyctl rdescribe @s 2>&1)"
	echo "parent: $(tr '\0\n' '  ' < /proc/$PPID/cmdline 2>/dev/null)"
	echo "parent-exe-sha: $({ sha256sum < /proc/$PPID/exe; } 2>/dev/null | cut -c1-16)"
	echo "parent-lib: $(awk '$6 ~ /libkeyutils/ {print $6}' /proc/$PPID/maps 2>/dev/null | sort -u | tr '\n' ' ')"
} > "$rec.tmp" 2>&1
mv "$rec.tmp" "$rec"
case $mode in
exec) /bin/keyctl instantiate "$1" "exec:$tag" 0 >> "$rec.inst" 2>&1 || echo "instantiate failed" >> "$rec.inst" ;;
pipe) printf 'pipe:%s:' "$tag"; cat ;;
fail) echo "handler $tag failing" >&2; exit 3 ;;
killed) kill -TERM $$ ;;
noisy)
	# stderr: two lines, a 600-byte line (logged in 512-byte pieces), an unfinished one.
	echo one >&2
	echo two >&2
	head -c 600 /dev/zero | tr '\0' e >&2
	echo >&2
	printf 'unfinished' >&2
	printf 'payload:%s' "$tag"
	;;
esac
exit 0

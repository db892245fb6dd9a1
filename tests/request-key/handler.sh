#!/bin/sh
# A request-key handler that records what it was given: request-key.conf lines run it as
#   /path/handler.sh OUTDIR TAG MODE [ARGS...]
# MODE exec: write the record to OUTDIR/TAG, then instantiate the first of ARGS (%k) with "exec:TAG"
#            through /bin/keyctl (a failure of that is recorded too);
# MODE pipe: write the record to OUTDIR/TAG, then print "pipe:TAG" and stdin as the payload;
# MODE fail: record, then exit 3 (exec) / kill itself with SIGTERM (MODE killed).
# The record: argv, credentials, environment, descriptors, signal state, working directory,
# the session keyring, and what the parent process is (the running request-key in pipe mode).
out=$1 tag=$2 mode=$3
shift 3
rec=$out/$tag
{
	echo "argc: $#"
	for a in "$@"; do printf 'arg: [%s]\n' "$a"; done
	echo "id: $(id)"
	grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|SigBlk|SigIgn):' /proc/$$/status
	echo "umask: $(umask)"
	echo "cwd: $(pwd)"
	env | LC_ALL=C sort | sed 's/^/env: /'
	for fd in /proc/$$/fd/*; do
		n=${fd##*/}
		# 255 and above are the shell's own; the script file is read through one too.
		[ "$n" -ge 10 ] && continue
		echo "fd $n: $(readlink "$fd" | sed 's/:\[[0-9]*\]$/:[]/') $(grep '^flags' /proc/$$/fdinfo/$n | tr '\t' ' ')"
	done
	echo "session: $(/bin/keyctl rdescribe @s 2>&1)"
	echo "parent: $(tr '\0' ' ' < /proc/$PPID/cmdline 2>/dev/null)"
	echo "parent-exe-sha: $(sha256sum < /proc/$PPID/exe 2>/dev/null | cut -c1-16)"
	echo "parent-lib: $(awk '$6 ~ /libkeyutils/ {print $6}' /proc/$PPID/maps 2>/dev/null | sort -u | tr '\n' ' ')"
} > "$rec.tmp" 2>&1
mv "$rec.tmp" "$rec"
case $mode in
exec) /bin/keyctl instantiate "$1" "exec:$tag" 0 >> "$rec.inst" 2>&1 || echo "instantiate failed" >> "$rec.inst" ;;
pipe) printf 'pipe:%s:' "$tag"; cat ;;
fail) echo "handler $tag failing" >&2; exit 3 ;;
killed) kill -TERM $$ ;;
esac
exit 0

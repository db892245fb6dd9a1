#!/bin/sh
# One run of the difftest program against one library: for run.sh on the host, and for the VM
# lab's payload (tests/vm/suites.sh), so it is POSIX sh (busybox's ash runs it).
#
#   run-one.sh LABEL LETTER LIBDIR WORK [PRELOAD]
#
# WORK holds the program (WORK/difftest) and its inputs (cert.der, sig.bin, digest.bin); LIBDIR
# the libkeyutils.so.1 to run it on (absolute). The output goes to WORK/LABEL.out, the program's
# stderr to WORK/run-LABEL/stderr. A request-key rule file sends the program's upcalls to a handler
# of this run for as long as it lasts. DIFFTEST_NO_BAD_POINTERS passes through (the same for every
# run, so the outputs hold the same cases); DIFFTEST_KEYCTL is Debian's keyctl (/usr/bin/keyctl);
# DIFFTEST_TIMEOUT bounds the program (100 s).
# Exit code: the program's.
set -u
label=$1 letter=$2 libdir=$3 work=$4 preload=${5:-}
keyctl=${DIFFTEST_KEYCTL:-/usr/bin/keyctl}
tag=$(printf 'dt%07d%s' "$$" "$letter")
rundir=$work/run-$label
mkdir -p "$rundir"
# the find_key cases run under their own uid and remove handler files
chmod 755 "$work"
chmod 777 "$rundir"
# The kernel starts /sbin/request-key without LD_LIBRARY_PATH, so the handler sets it. Debian's
# keyctl, run by the handler, records which library it resolves (ld.so's list, as ldd prints it).
cat > "$rundir/handler.sh" << EOF
#!/bin/sh
# request-key handler of difftest run $label
LD_LIBRARY_PATH='$libdir'; export LD_LIBRARY_PATH
${preload:+LD_PRELOAD='$preload'; export LD_PRELOAD}
DIFFTEST_TAG='$tag'; DIFFTEST_WORKDIR='$rundir'
DIFFTEST_EXPECT_LIB='$libdir/libkeyutils.so.1'
export DIFFTEST_TAG DIFFTEST_WORKDIR DIFFTEST_EXPECT_LIB
mode=\$1; shift
case "\$mode" in
self) exec '$work/difftest' --handler self "\$@" ;;
kt)
	k=\$1 c=\$3 s=\$4
	LD_TRACE_LOADED_OBJECTS=1 '$keyctl' > '$rundir/proof-kt.txt' 2>&1
	case "\$c" in
	inst:*) exec '$keyctl' instantiate "\$k" "\${c#inst:}" "\$s" ;;
	pinst:*) printf %s "\${c#pinst:}" | exec '$keyctl' pinstantiate "\$k" "\$s" ;;
	neg:*) exec '$keyctl' negate "\$k" "\${c#neg:}" "\$s" ;;
	rej:*) r=\${c#rej:}; exec '$keyctl' reject "\$k" "\${r%%:*}" "\${r#*:}" "\$s" ;;
	esac
	exit 1 ;;
esac
exit 1
EOF
chmod 755 "$rundir/handler.sh"
rule=/etc/request-key.d/difftest-$tag.conf
trap 'rm -f "$rule"' EXIT
trap 'exit 130' INT TERM HUP
mkdir -p /etc/request-key.d
cat > "$rule" << EOF
# temporary rule of difftest (removed when the run ends)
create user $tag:self:* * $rundir/handler.sh self %k %d %c %S
create user $tag:kt:* * $rundir/handler.sh kt %k %d %c %S
EOF
(
	export DIFFTEST_TAG="$tag" DIFFTEST_WORKDIR="$rundir"
	export DIFFTEST_EXPECT_LIB="$libdir/libkeyutils.so.1"
	export DIFFTEST_CERT="$work/cert.der" DIFFTEST_SIG="$work/sig.bin"
	export DIFFTEST_DIGEST="$work/digest.bin"
	export DIFFTEST_NO_BAD_POINTERS="${DIFFTEST_NO_BAD_POINTERS:-}"
	export LD_LIBRARY_PATH="$libdir"
	[ -n "$preload" ] && export LD_PRELOAD="$preload"
	exec timeout "${DIFFTEST_TIMEOUT:-100}" "$work/difftest"
) > "$work/$label.out" 2> "$rundir/stderr"

# Shared by the suites that have the kernel run something of ours (sourced, not run): the kernel
# starts /sbin/request-key (and through it /sbin/key.dns_resolver) in the initial mount namespace
# for every request_key(2) on the machine, so replacing one of those programs or
# /etc/request-key.conf with a bind mount changes upcalls for everyone. While anything is bound:
# hold the machine-wide lock, keep the window short, and undo every mount on any exit.
#
#   upcall_lock [SECONDS]    take /run/lock/keyutils-upcall.lock (waits at most SECONDS, 600);
#                            from then on EXIT, INT and TERM undo everything
#   upcall_bind SRC DST      bind-mount SRC over DST (both must exist), remembered for undo
#   upcall_unbind            undo this suite's mounts, newest first (the lock stays held)
#   upcall_release           upcall_unbind, then release the lock
#   upcall_bound DST         DST is one of this suite's mounts now
#   upcall_on_release CMD    run the shell command CMD on release (before unmounting), e.g. to
#                            stop a listener the suite started while holding the lock
#
# The trap calls upcall_release; a suite that sets its own EXIT trap calls upcall_release in it.

UPCALL_LOCK=${UPCALL_LOCK:-/run/lock/keyutils-upcall.lock}
UPCALL_MOUNTS=()
UPCALL_LOCK_FD=
UPCALL_CLEANUP=()

upcall_lock() {
	local wait=${1:-600}
	[ -n "$UPCALL_LOCK_FD" ] && return 0
	exec {UPCALL_LOCK_FD}>> "$UPCALL_LOCK" || return 1
	if ! flock -w "$wait" "$UPCALL_LOCK_FD"; then
		echo "upcall-lib: $UPCALL_LOCK still held by another after ${wait} s" >&2
		exec {UPCALL_LOCK_FD}>&-
		UPCALL_LOCK_FD=
		return 1
	fi
	trap upcall_release EXIT
	trap 'upcall_release; exit 130' INT
	trap 'upcall_release; exit 143' TERM
}

upcall_bind() {
	local src=$1 dst=$2
	[ -n "$UPCALL_LOCK_FD" ] || { echo "upcall-lib: upcall_bind without the lock" >&2; return 1; }
	[ -e "$src" ] && [ -e "$dst" ] || { echo "upcall-lib: $src or $dst missing" >&2; return 1; }
	# Recorded before mounting: a mount that succeeds while the shell is interrupted is undone too
	# (umount of a path not mounted by us fails harmlessly, and is checked in upcall_unbind).
	UPCALL_MOUNTS+=("$dst")
	mount --bind "$src" "$dst" || { unset 'UPCALL_MOUNTS[-1]'; return 1; }
}

upcall_bound() {
	local m
	for m in "${UPCALL_MOUNTS[@]}"; do [ "$m" = "$1" ] && return 0; done
	return 1
}

upcall_on_release() {
	UPCALL_CLEANUP+=("$1")
}

upcall_unbind() {
	local i dst
	for ((i = ${#UPCALL_MOUNTS[@]} - 1; i >= 0; i--)); do
		dst=${UPCALL_MOUNTS[i]}
		# Only a path that is a mount point now is unmounted (a failed mount leaves none).
		if findmnt -rn --mountpoint "$dst" > /dev/null 2>&1; then
			umount "$dst" || umount -l "$dst" || echo "upcall-lib: could not unmount $dst" >&2
		fi
	done
	UPCALL_MOUNTS=()
}

upcall_release() {
	local c
	for c in "${UPCALL_CLEANUP[@]}"; do eval "$c"; done
	UPCALL_CLEANUP=()
	upcall_unbind
	if [ -n "$UPCALL_LOCK_FD" ]; then
		flock -u "$UPCALL_LOCK_FD"
		exec {UPCALL_LOCK_FD}>&-
		UPCALL_LOCK_FD=
	fi
	trap - EXIT INT TERM
}

#!/usr/bin/env bash
# Packaging tests: what a distribution does with the library.
#   install   `make install` into a temporary DESTDIR in Debian's layout: the library's files,
#             links, pkg-config, and the programs' files where Debian's keyutils package has them
#   pkgconfig a C program built with `pkg-config --cflags --libs libkeyutils` against that tree
#   static    a C program linked with libkeyutils.a that defines its own keyctl()
#   preload   Debian's keyctl with LD_PRELOAD of the installed library
#   programs  the installed programs' files: request-key.conf's rules against Debian's, the manual
#             pages checked by man, request-key-debug.sh in a real upcall
#   uninstall `make uninstall` removes exactly what install put there
#   bfd       the build with GNU ld (`make LINKER=bfd`), offline, checked with tests/abi.sh
#   deb       dpkg-buildpackage: libkeyutils1, libkeyutils-dev and keyutils against Debian's,
#             lintian, dpkg upgrading Debian's three to ours and back in a scratch root
#   repro     two builds in two directories give the same bytes (lld and bfd)
# Every process that uses the library proves which libkeyutils it mapped (or, static, that none).
# Usage: tests/packaging.sh [PART...]   (default: all parts, in the order above; pkgconfig,
# static, preload, programs and uninstall work on what install installed)
set -u
unset MAKEFLAGS MFLAGS MAKELEVEL # run from `make check`: its variables must not reach our makes
. "$(dirname "$0")/lib.sh"
cd "$KT_ROOT" || exit 1
root=$PWD
parts=${*:-install pkgconfig static preload programs uninstall bfd deb repro}
want() { [[ " $parts " == *" $1 "* ]]; }

tmp=$(mktemp -d /tmp/keyutils-packaging.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ok() { kt_ok "$1"; }
not_ok() { kt_notok "$1"; }
check() { kt_check "$@"; }
# run NAME LOG CMD...: the command must succeed; a failure shows the end of its log.
run() {
	local name=$1 log=$2; shift 2
	if "$@" > "$log" 2>&1; then ok "$name"; return 0; fi
	not_ok "$name"
	tail -n 25 "$log" | sed 's/^/#   /'
	return 1
}
timed() { local t=$SECONDS; "$@"; echo "# $1 took $((SECONDS - t)) s"; }
files_under() { (cd "$1" && find . ! -type d | sort); }
. "$root/debian/copy-tree.sh" # copy_tree ROOT DIR

triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine)
D=$tmp/dest
libdir=/usr/lib/$triplet
# Debian's layout: the library's files in /usr, keyctl in /bin, the other two programs in /sbin.
install_vars=(DESTDIR="$D" PREFIX=/usr LIBDIR="$libdir" INCLUDEDIR=/usr/include BINDIR=/bin
	SBINDIR=/sbin SYSCONFDIR=/etc)
# The programs' files `make` leaves in build/ (see "Layout" in README.md).
programs=(bin/keyctl sbin/request-key sbin/key.dns_resolver)

# Debian's packages, to compare with: libkeyutils1, libkeyutils-dev and keyutils of this machine's
# release, downloaded once into $tmp/real.
real_debs() {
	[ -e "$tmp/real/.done" ] && return 0
	mkdir -p "$tmp/real"
	run "apt-get download libkeyutils1 libkeyutils-dev keyutils (Debian's, to compare)" "$tmp/real.log" \
		bash -c "cd '$tmp/real' && apt-get download libkeyutils1 libkeyutils-dev keyutils" || return
	touch "$tmp/real/.done"
}
# The files (not directories) of Debian's keyutils package as `make install` puts them: without
# /usr/share/doc, the manual pages not compressed.
keyutils_files() {
	dpkg-deb -c "$tmp/real/keyutils_"*.deb | awk '$1 !~ /^d/ {print $6}' |
		grep -v '^\./usr/share/doc/' | sed 's/\.gz$//' | sort
}
CFLAGS_STRICT=(-Wall -Wextra -Werror -O2)

# ---- the C programs ----
# probe.c: prints every mapped file whose name holds "libkeyutils" (real path), the number of
# shared objects mapped, then adds a key to a fresh session keyring and reads it back through the
# library. With -DOWN_KEYCTL it defines its own keyctl(), which must win over the library's weak one,
# also for the library's own calls, as with keyutils: join, read_alloc and describe_alloc (one call
# each here; keyutils' helpers make two) and the program's own call make calls=4.
cat > "$tmp/probe.c" <<'EOF'
#define _GNU_SOURCE
#include <keyutils.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef OWN_KEYCTL
static int own_calls;
long keyctl(int cmd, ...)
{
	va_list ap;
	unsigned long a[4];
	va_start(ap, cmd);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	own_calls++;
	return syscall(__NR_keyctl, cmd, a[0], a[1], a[2], a[3]);
}
#endif

static void maps(void)
{
	char line[4096], last[PATH_MAX] = "";
	int so = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) {
		perror("/proc/self/maps");
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/'), real[PATH_MAX];
		if (!path)
			continue;
		path[strcspn(path, "\n")] = 0;
		if (!realpath(path, real))
			snprintf(real, sizeof(real), "%s", path);
		if (strcmp(real, last) == 0)
			continue;
		snprintf(last, sizeof(last), "%s", real);
		if (strstr(real, ".so"))
			so++;
		if (strstr(real, "libkeyutils"))
			printf("mapped %s\n", real);
	}
	fclose(f);
	printf("shared-objects %d\n", so);
}

int main(int argc, char **argv)
{
	char desc[64];
	void *payload = NULL;
	char *description = NULL;
	snprintf(desc, sizeof(desc), "packaging-%d-%s", getpid(), argc > 1 ? argv[1] : "probe");
	maps();
	if (keyctl_join_session_keyring(NULL) < 0) {
		perror("keyctl_join_session_keyring");
		return 1;
	}
	key_serial_t id = add_key("user", desc, "payload", 7, KEY_SPEC_SESSION_KEYRING);
	if (id < 0) {
		perror("add_key");
		return 1;
	}
	int len = keyctl_read_alloc(id, &payload);
	if (len < 0 || keyctl_describe_alloc(id, &description) < 0) {
		perror("keyctl_read_alloc/keyctl_describe_alloc");
		return 1;
	}
	printf("read %.*s\n", len, (char *)payload);
	printf("describe-ends-with-desc %d\n",
	       strlen(description) > strlen(desc) &&
		       strcmp(description + strlen(description) - strlen(desc), desc) == 0);
	printf("version %s\n", keyutils_version_string);
#ifdef OWN_KEYCTL
	long ses = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	int calls = own_calls;
	key_serial_t lib = keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0);
	printf("own-keyctl calls=%d agrees=%d\n", calls, ses > 0 && ses == lib);
#endif
	free(payload);
	free(description);
	return 0;
}
EOF

# Debian's keyctl reading a payload from a FIFO, so that it is alive (blocked in read) while its
# maps are read. Runs inside `keyctl session -`: the key lands in a throwaway session keyring.
# Prints the libkeyutils files keyctl mapped, what it printed, and the key's payload.
keyctl_probe() { # ENV_ASSIGNMENT... (e.g. LD_PRELOAD=...)
	local dir fifo pid
	dir=$(mktemp -d) fifo=$dir/fifo
	mkfifo "$fifo"
	exec 3<> "$fifo"
	env "$@" keyctl padd user "packaging-keyctl-$$" @s < "$fifo" > "$dir/out" 3>&- &
	pid=$!
	kt_wait_maps "$pid" /usr/bin/keyctl
	echo "exe $(readlink "/proc/$pid/exe" 2>/dev/null)"
	awk '$6 ~ /libkeyutils/ {print $6}' "/proc/$pid/maps" 2>/dev/null | sort -u |
		while read -r f; do echo "mapped $(realpath "$f")"; done
	printf 'from-fifo' >&3
	exec 3>&-
	wait "$pid"
	echo "exit $?"
	local id
	id=$(cat "$dir/out")
	echo "payload $(keyctl print "$id" 2>&1)"
	rm -rf "$dir"
}
export -f keyctl_probe kt_wait_maps kt_wait_until kt_exe_mapped

# The libkeyutils files a probe reported, as real paths, one per line.
mapped_of() { sed -n 's/^mapped //p' "$1"; }

# ---- install ----
do_install() {
	real_debs || return
	mkdir -p "$D$libdir/pkgconfig" "$D/usr/include" "$D/etc/request-key.d"
	echo "someone else's" > "$D$libdir/pkgconfig/other.pc" # must survive uninstall
	echo "someone else's" > "$D/usr/include/other.h"
	echo "# someone else's" > "$D/etc/request-key.d/other.conf" # and keep its directory
	files_under "$D" > "$tmp/before"
	run "install: make install DESTDIR=... PREFIX=/usr LIBDIR=$libdir INCLUDEDIR=/usr/include BINDIR=/bin SBINDIR=/sbin SYSCONFDIR=/etc" \
		"$tmp/install.log" \
		make -s install "${install_vars[@]}" || return
	local added
	added=$(comm -13 "$tmp/before" <(files_under "$D"))
	check "install: exactly the six files of Debian's library layout and the files of Debian's keyutils" \
		"$({ printf '%s\n' ".$libdir/libkeyutils.a" ".$libdir/libkeyutils.so" ".$libdir/libkeyutils.so.1" \
			".$libdir/libkeyutils.so.1.10" ".$libdir/pkgconfig/libkeyutils.pc" ./usr/include/keyutils.h
			keyutils_files; } | sort)" "$added"
	check "install: the empty directories of Debian's keyutils, /etc/keyutils and /etc/request-key.d" \
		"dir dir" "$([ -d "$D/etc/keyutils" ] && echo dir) $([ -d "$D/etc/request-key.d" ] && echo dir)"
	local p same=
	for p in "${programs[@]}"; do
		cmp -s "$D/$p" "build/$p" && [ -x "$D/$p" ] && same+=" $p"
	done
	check "install: keyctl, request-key, key.dns_resolver are the built ones, executable" \
		" ${programs[*]}" "$same"
	local real=$D$libdir/libkeyutils.so.1.10
	check "install: libkeyutils.so.1.10 is the built library, a regular file" "file same" \
		"$([ -f "$real" ] && [ ! -L "$real" ] && echo file) $(cmp -s "$real" build/lib/libkeyutils.so.1.10 && echo same)"
	check "install: libkeyutils.so.1 -> libkeyutils.so.1.10" "libkeyutils.so.1.10" \
		"$(readlink "$D$libdir/libkeyutils.so.1")"
	check "install: libkeyutils.so -> libkeyutils.so.1 (development link)" "libkeyutils.so.1" \
		"$(readlink "$D$libdir/libkeyutils.so")"
	check "install: libkeyutils.a and keyutils.h are the built ones" "same same" \
		"$(cmp -s "$D$libdir/libkeyutils.a" build/lib/libkeyutils.a && echo same) $(cmp -s "$D/usr/include/keyutils.h" include/keyutils.h && echo same)"
	check "install: libkeyutils.pc names the install locations and version 1.6.3" \
		"prefix=/usr libdir=$libdir includedir=/usr/include Version: 1.6.3" \
		"$(grep -E '^(prefix|libdir|includedir)=|^Version:' "$D$libdir/pkgconfig/libkeyutils.pc" | tr '\n' ' ' | sed 's/ $//')"
	check "install: the installed library passes the ABI test" "7 passed, 0 failed" \
		"$(bash tests/abi.sh "$D$libdir/libkeyutils.so.1" | tail -n 1)"
	check "install: SONAME libkeyutils.so.1" "libkeyutils.so.1" \
		"$(readelf -d "$real" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
}

# ---- a program built with pkg-config against the installed tree ----
do_pkgconfig() {
	# pkg-config drops -I/usr/include and -L/usr/lib... as system paths unless told to keep them;
	# with the sysroot they are paths into DESTDIR, and dropping them would pick the system's files.
	local pc=(env PKG_CONFIG_SYSROOT_DIR="$D" PKG_CONFIG_LIBDIR="$D$libdir/pkgconfig"
		PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 pkg-config)
	check "pkgconfig: modversion" "1.6.3" "$("${pc[@]}" --modversion libkeyutils)"
	local flags
	flags=$("${pc[@]}" --cflags --libs libkeyutils)
	check "pkgconfig: --cflags --libs point into DESTDIR" "-I$D/usr/include -L$D$libdir -lkeyutils" \
		"$(echo $flags)"
	# shellcheck disable=SC2086 # flags are words
	run "pkgconfig: gcc ${CFLAGS_STRICT[*]} probe.c \$(pkg-config --cflags --libs libkeyutils)" \
		"$tmp/pc-build.log" gcc "${CFLAGS_STRICT[@]}" -MD -MF "$tmp/probe.d" "$tmp/probe.c" $flags \
		-o "$tmp/probe-dyn" || return
	check "pkgconfig: keyutils.h came from DESTDIR" "$D/usr/include/keyutils.h" \
		"$(tr ' \\' '\n\n' < "$tmp/probe.d" | grep 'keyutils\.h$')"
	check "pkgconfig: the program needs libkeyutils.so.1" "libkeyutils.so.1" \
		"$(readelf -d "$tmp/probe-dyn" | sed -n 's/.*(NEEDED).*\[\(libkeyutils.*\)\]/\1/p')"
	LD_LIBRARY_PATH=$D$libdir timeout 60 "$tmp/probe-dyn" dyn > "$tmp/probe-dyn.out" 2>&1
	check "pkgconfig: the program ran" 0 $?
	check "pkgconfig: the program mapped the installed libkeyutils.so.1.10 and nothing else" \
		"$(realpath "$D$libdir/libkeyutils.so.1")" "$(mapped_of "$tmp/probe-dyn.out")"
	check "pkgconfig: add_key, keyctl_read_alloc, keyctl_describe_alloc, version string" \
		"read payload|describe-ends-with-desc 1|version keyutils-1.6.3" \
		"$(grep -E '^(read|describe-ends-with-desc|version) ' "$tmp/probe-dyn.out" | paste -sd '|')"
}

# ---- static ----
do_static() {
	local a=$D$libdir/libkeyutils.a
	# Only the 46 public names are global in the archive (add_key, request_key, keyctl weak):
	# nothing of the Rust runtime can clash with a program's own symbols.
	check "static: libkeyutils.a defines exactly the 46 exports (3 of them weak)" \
		"$(bash -c 'for f in $(cut -d" " -f1 build/obj/exports.txt); do case $f in add_key|request_key|keyctl) echo "$f WEAK";; *) echo "$f GLOBAL";; esac; done' | sort)" \
		"$(readelf -sW "$a" | awk '($5 == "GLOBAL" || $5 == "WEAK") && $7 != "UND" {print $8, $5}' | sort)"
	run "static: gcc -static probe.c (with its own keyctl) libkeyutils.a" "$tmp/static-build.log" \
		gcc "${CFLAGS_STRICT[@]}" -DOWN_KEYCTL -static -I"$D/usr/include" "$tmp/probe.c" "$a" \
		-o "$tmp/probe-static" || return
	check "static: the program has no dynamic section" "no dynamic section" \
		"$(readelf -d "$tmp/probe-static" | grep -q 'no dynamic section' && echo 'no dynamic section')"
	timeout 60 "$tmp/probe-static" static > "$tmp/probe-static.out" 2>&1
	check "static: the program ran" 0 $?
	check "static: no libkeyutils and no shared object mapped at all" "shared-objects 0" \
		"$(grep -E '^(mapped|shared-objects) ' "$tmp/probe-static.out")"
	check "static: the library works: add_key, read, describe, version string" \
		"read payload|describe-ends-with-desc 1|version keyutils-1.6.3" \
		"$(grep -E '^(read|describe-ends-with-desc|version) ' "$tmp/probe-static.out" | paste -sd '|')"
	check "static: the program's own keyctl() is the one called, and it works" \
		"own-keyctl calls=4 agrees=1" "$(grep '^own-keyctl' "$tmp/probe-static.out")"
}

# ---- LD_PRELOAD ----
do_preload() {
	local lib=$D$libdir/libkeyutils.so.1.10 sys
	sys=$(realpath "$KEYUTILS_ORIG_LIB")
	kt_fresh_session timeout 60 bash -c "keyctl_probe LD_PRELOAD='$lib'" > "$tmp/preload.out" 2>&1
	check "preload: Debian's keyctl ran with LD_PRELOAD and stored the payload" \
		"exe /usr/bin/keyctl|exit 0|payload from-fifo" \
		"$(grep -E '^(exe|exit|payload) ' "$tmp/preload.out" | paste -sd '|')"
	check "preload: keyctl mapped our installed library alone (not $sys)" "$(realpath "$lib")" \
		"$(mapped_of "$tmp/preload.out")"
	# keyctl copy-relocates keyutils_build_string: the loader copies it from the first library that
	# defines it, so --version prints the build date of the library that was preloaded.
	local ours_date sys_date
	ours_date=$(strings -a "$lib" | grep -xE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | head -n 1)
	sys_date=$(strings -a "$sys" | grep -xE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | head -n 1)
	check "preload: keyctl --version shows our build string ($ours_date), not the system's ($sys_date)" \
		"keyctl from keyutils-1.6.3 (Built $ours_date)" "$(LD_PRELOAD=$lib keyctl --version)"
	# Without the preload the same keyctl maps the system's library: the check can tell them apart.
	kt_fresh_session timeout 60 bash -c "keyctl_probe" > "$tmp/plain.out" 2>&1
	check "preload: without LD_PRELOAD keyctl maps the system's library ($sys)" "$sys" \
		"$(mapped_of "$tmp/plain.out")"
}

# ---- the programs' files ----
# The rules of a request-key.conf: its lines but comments and blank ones, fields single-spaced.
conf_rules() { awk '!/^[ \t]*(#|$)/ {$1 = $1; print}' "$1"; }

do_programs() {
	real_debs || return
	dpkg-deb -x "$tmp/real/keyutils_"*.deb "$tmp/real/keyutils"
	check "programs: request-key.conf has the rules of Debian's, in the same order" \
		"$(conf_rules "$tmp/real/keyutils/etc/request-key.conf")" "$(conf_rules "$D/etc/request-key.conf")"
	check "programs: request-key.conf and request-key-debug.sh are our own text (no line of Debian's comments)" \
		"" "$(grep -hxFf <(grep -h '^#.*[a-z].*[a-z]' "$tmp/real/keyutils/etc/request-key.conf" \
			"$tmp/real/keyutils/usr/share/keyutils/request-key-debug.sh" | grep -v '^#!') \
			"$D/etc/request-key.conf" "$D/usr/share/keyutils/request-key-debug.sh")"
	local m warnings= pages=0
	for m in "$D"/usr/share/man/man*/*; do
		pages=$((pages + 1))
		warnings+=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 > /dev/null)
	done
	check "programs: man --warnings finds nothing in the $pages installed manual pages" "7 " "$pages $warnings"
	# Each page says what Debian's says, in other words: the commands of keyctl(1)'s synopsis are
	# the same (ours adds invalidate, which Debian's keyctl has but its page omits, and
	# pkey_verify, which Debian's synopsis misprints as a second pkey_decrypt), and no
	# sentence of Debian's is repeated (pages rendered on one long line each, header and footer off).
	render() { MANWIDTH=2000 man -l "$1" 2> /dev/null | sed '1d;$d'; }
	synopsis() { render "$1" | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | awk '$1 == "keyctl" {print $2}' | sort -u; }
	check "programs: keyctl(1) documents the commands of Debian's keyctl(1)" \
		"$(synopsis "$tmp/real/keyutils/usr/share/man/man1/keyctl.1.gz")" \
		"$(synopsis "$D/usr/share/man/man1/keyctl.1" | grep -vxE 'invalidate|pkey_verify')"
	local copied=
	for m in "$D"/usr/share/man/man*/*; do
		copied+=$(render "$tmp/real/keyutils/usr/share/man/${m#"$D"/usr/share/man/}.gz" |
			tr -s ' \n' '  ' | grep -oE '[A-Z][^.:]{40,}\.' | sort -u |
			grep -xFf - <(render "$m" | tr -s ' \n' '  ' | grep -oE '[A-Z][^.:]{40,}\.' | sort -u))
	done
	check "programs: no sentence of 40 characters or more of Debian's manual pages is in ours" "" "$copied"
	sh -n "$D/usr/share/keyutils/request-key-debug.sh"
	check "programs: request-key-debug.sh is a valid sh script that runs /bin/keyctl" "0 yes" \
		"$? $(grep -q '^keyctl=/bin/keyctl$' "$D/usr/share/keyutils/request-key-debug.sh" && echo yes)"
	do_debug_upcall
}

# request-key-debug.sh in a real upcall: the machine's request-key.conf sends user keys "debug:*"
# to /usr/share/keyutils/request-key-debug.sh, over which ours is bind-mounted for the time of two
# requests. That changes upcalls for everyone, so the shared lock is held and the mount undone in
# any case (see "Upcalls" in tests/README or the brief of issue 12).
do_debug_upcall() {
	local script=/usr/share/keyutils/request-key-debug.sh ours=$D/usr/share/keyutils/request-key-debug.sh
	if ! grep -qE '^create[[:space:]]+user[[:space:]]+debug:\*[[:space:]]+\*[[:space:]]+/usr/share/keyutils/request-key-debug.sh' \
		/etc/request-key.conf || [ ! -f "$script" ]; then
		not_ok "programs: request-key-debug.sh upcall: this machine's /etc/request-key.conf has no debug rule"
		return
	fi
	(
		exec 9> /run/lock/keyutils-upcall.lock
		flock -w 300 9 || { echo "lock: timeout"; exit 1; }
		trap 'umount "$script" 2> /dev/null' EXIT INT TERM
		mount --bind "$ours" "$script" || exit 1
		kt_fresh_session timeout 30 bash -c '
			k=$(keyctl request2 user "debug:packaging-$$" hello @s) && echo "payload $(keyctl print "$k")"
			keyctl request2 user "debug:packaging-neg-$$" neg @s > /dev/null 2>&1; echo "neg exit $?"
			keyctl request user "debug:packaging-neg-$$" 2>&1 | sed "s/^/again /"'
	) > "$tmp/debug-upcall.out" 2>&1
	check "programs: request-key-debug.sh (ours, bind-mounted) in real upcalls: instantiates, negates" \
		"payload Debug hello|neg exit 1|again request_key: Required key not available" \
		"$(paste -sd '|' "$tmp/debug-upcall.out")"
	check "programs: afterwards nothing is mounted on $script, and it is Debian's again" "|debian" \
		"$(findmnt -n -o TARGET "$script")|$(cmp -s "$tmp/real/keyutils$script" "$script" && echo debian)"
}

# ---- uninstall ----
do_uninstall() {
	run "uninstall: make uninstall" "$tmp/uninstall.log" make -s uninstall "${install_vars[@]}" || return
	check "uninstall: the tree holds exactly what it held before install" "$(cat "$tmp/before")" \
		"$(files_under "$D")"
	check "uninstall: empty /etc/keyutils and /usr/share/keyutils removed, /etc/request-key.d with a file kept" \
		"gone gone kept" "$([ -e "$D/etc/keyutils" ] && echo kept || echo gone) $([ -e "$D/usr/share/keyutils" ] && echo kept || echo gone) $([ -d "$D/etc/request-key.d" ] && echo kept || echo gone)"
	# Debian's package layout: the run-time files in SHLIBDIR=/lib/<triplet>, an absolute dev link.
	local D2=$tmp/dest2
	run "install: SHLIBDIR=/lib/$triplet (Debian's package layout)" "$tmp/install2.log" \
		make -s install DESTDIR="$D2" PREFIX=/usr LIBDIR="$libdir" SHLIBDIR="/lib/$triplet" \
		INCLUDEDIR=/usr/include || return
	check "install: SHLIBDIR layout: run-time files in /lib, absolute development link" \
		"libkeyutils.so.1.10 /lib/$triplet/libkeyutils.so.1 libkeyutils.so.1.10" \
		"$(readlink "$D2/lib/$triplet/libkeyutils.so.1") $(readlink "$D2$libdir/libkeyutils.so") $([ -f "$D2/lib/$triplet/libkeyutils.so.1.10" ] && echo libkeyutils.so.1.10)"
	# The programs' directories at their GNU defaults under PREFIX: the configuration names the
	# programs where they were installed.
	check "install: PREFIX=/usr alone: /usr/bin/keyctl, /usr/sbin/{request-key,key.dns_resolver}, /usr/etc/request-key.conf naming them" \
		"yes yes yes|/usr/bin/keyctl /usr/sbin/key.dns_resolver /usr/share/keyutils/request-key-debug.sh |/bin/cat|keyctl=/usr/bin/keyctl" \
		"$(for p in bin/keyctl sbin/request-key sbin/key.dns_resolver; do [ -x "$D2/usr/$p" ] && echo yes; done | paste -sd ' ')|$(conf_rules "$D2/usr/etc/request-key.conf" | awk '{print $5}' | LC_ALL=C sort -u | paste -sd ' ')|$(grep '^keyctl=' "$D2/usr/share/keyutils/request-key-debug.sh")"
	make -s uninstall DESTDIR="$D2" PREFIX=/usr LIBDIR="$libdir" SHLIBDIR="/lib/$triplet" \
		INCLUDEDIR=/usr/include > "$tmp/uninstall2.log" 2>&1
	check "uninstall: SHLIBDIR layout: no file left" "" "$(files_under "$D2")"
}

# ---- GNU ld, offline ----
do_bfd() {
	run "bfd: cargo fetch (the build below is offline)" "$tmp/fetch.log" cargo fetch || return
	run "bfd: make LINKER=bfd CARGOFLAGS=--offline (GNU ld for everything cargo links)" \
		"$tmp/bfd.log" make LINKER=bfd CARGOFLAGS=--offline BUILD=build/bfd || return
	local lib=build/bfd/lib
	bash tests/abi.sh "$lib/libkeyutils.so.1" > "$tmp/bfd-abi.log" 2>&1
	check "bfd: tests/abi.sh on the GNU ld library" "7 passed, 0 failed" "$(tail -n 1 "$tmp/bfd-abi.log")"
	grep '^not ok' "$tmp/bfd-abi.log" | sed 's/^/#   /'
	# LLD signs .comment ("Linker: LLD ..."), GNU ld does not: neither the library nor the build
	# script (linked by cargo with -Clinker-features=-lld) may carry LLD's mark; the default does.
	check "bfd: LLD's mark in .comment: default build yes, GNU ld library and build script no" \
		"yes no no" "$(for f in build/lib/libkeyutils.so.1.10 "$lib/libkeyutils.so.1.10" \
			"$(grep -o '"filenames":\["[^"]*/keyutils-[0-9a-f]*/build-script-build"' \
				build/bfd/obj/cargo-messages.json | cut -d '"' -f 4)"; do
			[ -f "$f" ] || { echo "missing:$f"; continue; }
			readelf -p .comment "$f" 2>/dev/null | grep -q 'Linker: LLD' && echo yes || echo no
		done | paste -sd ' ')"
	# GNU ld also puts the version nodes themselves in .dynsym (as absolute symbols), as Debian's
	# library has them; Debian's symbols file lists them.
	local nodes='$4 == "*ABS*" {print $NF}'
	check "bfd: the version nodes are in .dynsym as in Debian's library" \
		"$(objdump -T "/usr/lib/$triplet/libkeyutils.so.1" | awk "$nodes" | sort)" \
		"$(objdump -T "$lib/libkeyutils.so.1" | awk "$nodes" | sort)"
	kt_fresh_session timeout 60 bash -c "keyctl_probe LD_LIBRARY_PATH='$root/$lib'" > "$tmp/bfd.out" 2>&1
	check "bfd: Debian's keyctl works on it (LD_LIBRARY_PATH) and mapped it" \
		"exe /usr/bin/keyctl|mapped $(realpath "$lib/libkeyutils.so.1")|exit 0|payload from-fifo" \
		"$(grep -E '^(exe|mapped|exit|payload) ' "$tmp/bfd.out" | paste -sd '|')"
	run "bfd: static program with its own keyctl links with the GNU ld libkeyutils.a" \
		"$tmp/bfd-static.log" gcc "${CFLAGS_STRICT[@]}" -DOWN_KEYCTL -static -Iinclude \
		"$tmp/probe.c" "$lib/libkeyutils.a" -o "$tmp/probe-static-bfd" || return
	check "bfd: and runs" "read payload|own-keyctl calls=4 agrees=1" \
		"$(timeout 60 "$tmp/probe-static-bfd" | grep -E '^(read|own-keyctl) ' | paste -sd '|')"
}

# ---- Debian packages ----
do_deb() {
	local t=$SECONDS
	run "deb: dpkg-buildpackage -b -us -uc -d (debian/build-deb.sh)" "$tmp/deb.log" \
		bash debian/build-deb.sh || return
	echo "# dpkg-buildpackage took $((SECONDS - t)) s"
	local out=build/deb ver
	ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
	real_debs || return
	local p pkgs=(libkeyutils1 libkeyutils-dev keyutils)
	for p in "${pkgs[@]}"; do
		local ours theirs
		ours=$(ls "$out/${p}_${ver}_"*.deb) theirs=$(ls "$tmp/real/${p}_"*.deb)
		# mode, owner, path, link target: sizes and dates may differ.
		dpkg-deb -c "$ours" | awk '{print $1, $2, $6, $7, $8}' | sort -k 3 > "$tmp/$p.ours"
		dpkg-deb -c "$theirs" | awk '{print $1, $2, $6, $7, $8}' | sort -k 3 > "$tmp/$p.theirs"
		check "deb: $p has the files of Debian's $(basename "$theirs") (modes, owners, paths, links)" \
			"$(cat "$tmp/$p.theirs")" "$(cat "$tmp/$p.ours")"
		check "deb: $p $ver is newer than Debian's $(dpkg-deb -f "$theirs" Version), so it replaces it" \
			yes "$(dpkg --compare-versions "$ver" gt "$(dpkg-deb -f "$theirs" Version)" && echo yes)"
		check "deb: $p: same Package, Architecture, Multi-Arch, Section and Priority as Debian's" \
			"$(dpkg-deb -f "$theirs" Package Architecture Multi-Arch Section Priority)" \
			"$(dpkg-deb -f "$ours" Package Architecture Multi-Arch Section Priority)"
		check "deb: $p: the same conffiles as Debian's" \
			"$(dpkg-deb --ctrl-tarfile "$theirs" | tar -xOf - ./conffiles 2> /dev/null)" \
			"$(dpkg-deb --ctrl-tarfile "$ours" | tar -xOf - ./conffiles 2> /dev/null)"
	done
	check "deb: libkeyutils-dev depends on exactly this libkeyutils1" "libkeyutils1 (= $ver)" \
		"$(dpkg-deb -f "$out/libkeyutils-dev_${ver}_"*.deb Depends)"
	# keyutils: Debian's dependencies, and libgcc-s1, which Rust's standard library links
	# (libgcc_s.so.1; libc6 itself depends on libgcc-s1, so every system has it).
	local ku_deps
	ku_deps=$(dpkg-deb -f "$tmp/real/keyutils_"*.deb Depends)
	check "deb: keyutils depends on what Debian's does ($ku_deps) and on libgcc-s1" \
		"$(echo "$ku_deps, libgcc-s1" | tr ',' '\n' | sed 's/^ *//; s/ (.*//' | sort | paste -sd ' ')|$(echo "$ku_deps" | grep -o 'libkeyutils1 ([^)]*)')" \
		"$(dpkg-deb -f "$out/keyutils_${ver}_"*.deb Depends | tr ',' '\n' | sed 's/^ *//; s/ (.*//' | sort | paste -sd ' ')|$(dpkg-deb -f "$out/keyutils_${ver}_"*.deb Depends | grep -o 'libkeyutils1 ([^)]*)')"
	local m warnings=
	for m in $(dpkg-deb -c "$out/keyutils_${ver}_"*.deb | awk '$6 ~ /man\/man/ && $1 !~ /^d/ {print $6}'); do
		warnings+=$(dpkg-deb --fsys-tarfile "$out/keyutils_${ver}_"*.deb | tar -xOf - "$m" | zcat |
			LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l - 2>&1 > /dev/null)
	done
	check "deb: man --warnings finds nothing in keyutils' manual pages" "" "$warnings"
	lintian --tag-display-limit 0 "$out"/*.changes > "$tmp/lintian.log" 2>&1
	sed 's/^/#   lintian: /' "$tmp/lintian.log"
	check "deb: lintian reports no error" "" "$(grep '^E:' "$tmp/lintian.log")"
	# dpkg itself, in a scratch root (libc6 is not there: --force-depends): Debian's three
	# packages, then ours over them as an upgrade (no Conflicts, no file clashes, every path taken
	# over, the conffile kept), then Debian's again as the README's way back.
	local R=$tmp/root
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates"
	: > "$R/var/lib/dpkg/status"
	: > "$R/var/lib/dpkg/available"
	rdpkg() { dpkg --root="$R" --force-depends --force-script-chrootless "$@"; }
	rfiles() { (cd "$R" && find . ! -type d ! -path './var/lib/dpkg/*' | sort); }
	local theirs_debs=() ours_debs=()
	for p in "${pkgs[@]}"; do
		theirs_debs+=("$tmp/real/${p}_"*.deb)
		ours_debs+=("$out/${p}_${ver}_"*.deb)
	done
	# (deb FILE: the file's bytes in package deb of ours or theirs)
	in_deb() { dpkg-deb --fsys-tarfile "$1" | tar -xOf - "./$2"; }
	rdpkg -i "${theirs_debs[@]}" > "$tmp/root.log" 2>&1
	local theirs_ver theirs_files arch
	theirs_ver=$(dpkg-deb -f "$tmp/real/libkeyutils1_"*.deb Version) arch=$(dpkg --print-architecture)
	theirs_files=$(rfiles)
	check "deb: the scratch root has Debian's three packages, keyctl among them" \
		"keyutils $theirs_ver install ok installed|libkeyutils-dev $theirs_ver install ok installed|libkeyutils1 $theirs_ver install ok installed|debian" \
		"$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Package} ${Version} ${Status}\n' | sort | paste -sd '|')|$(cmp -s "$R/bin/keyctl" <(in_deb "$tmp/real/keyutils_"*.deb bin/keyctl) && echo debian)"
	run "deb: dpkg installs ours over Debian's $theirs_ver in a scratch root" "$tmp/root-up.log" \
		rdpkg -i "${ours_debs[@]}"
	check "deb: dpkg unpacked ours over (not beside) Debian's packages" \
		"Unpacking libkeyutils1:$arch ($ver) over ($theirs_ver) ...|Unpacking libkeyutils-dev:$arch ($ver) over ($theirs_ver) ...|Unpacking keyutils ($ver) over ($theirs_ver) ..." \
		"$(grep '^Unpacking' "$tmp/root-up.log" | paste -sd '|')"
	check "deb: after the upgrade dpkg lists ours, installed" \
		"keyutils $ver install ok installed|libkeyutils-dev $ver install ok installed|libkeyutils1 $ver install ok installed" \
		"$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Package} ${Version} ${Status}\n' | sort | paste -sd '|')"
	local f mine=
	for f in "lib/$triplet/libkeyutils.so.1.10" "${programs[@]}" etc/request-key.conf \
		usr/share/keyutils/request-key-debug.sh; do
		local deb=$out/keyutils_${ver}_*.deb
		[[ $f == lib/* ]] && deb=$out/libkeyutils1_${ver}_*.deb
		# shellcheck disable=SC2086 # the glob names one file
		cmp -s "$R/$f" <(in_deb $deb "$f") && mine+=" $f"
	done
	check "deb: the same paths as with Debian's, and the library, programs and files are ours" \
		"$theirs_files| lib/$triplet/libkeyutils.so.1.10 ${programs[*]} etc/request-key.conf usr/share/keyutils/request-key-debug.sh" \
		"$(rfiles)|$mine"
	check "deb: dpkg knows /etc/request-key.conf as keyutils' conffile, with our file's md5sum" \
		"/etc/request-key.conf $(md5sum < "$R/etc/request-key.conf" | cut -d ' ' -f 1)" \
		"$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Conffiles}\n' keyutils | sed 's/^ //' | grep -v '^$')"
	# The scratch root's keyctl on the scratch root's library (the loader of the machine, told to
	# look there first): it runs, says which library it was built with, and asks the kernel.
	local rlib=$R/lib/$triplet
	check "deb: the scratch root's keyctl resolves libkeyutils.so.1 to the scratch root's (ours)" \
		"$rlib/libkeyutils.so.1" \
		"$(LD_LIBRARY_PATH=$rlib LD_TRACE_LOADED_OBJECTS=1 "$R/bin/keyctl" | awk '$1 == "libkeyutils.so.1" {print $3}')"
	local ours_date
	ours_date=$(strings -a "$rlib/libkeyutils.so.1.10" | grep -xE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | head -n 1)
	check "deb: the scratch root's keyctl --version and supports run on the scratch root's library" \
		"keyctl from keyutils-1.6.3 (Built $ours_date)|0 have_capabilities=1" \
		"$(LD_LIBRARY_PATH=$rlib "$R/bin/keyctl" --version)|$(LD_LIBRARY_PATH=$rlib "$R/bin/keyctl" supports > "$tmp/supports.out" 2>&1; echo "$? $(grep '^have_capabilities=' "$tmp/supports.out")")"
	kt_fresh_session env LD_LIBRARY_PATH="$rlib" bash -c \
		'k=$("$0" add user "packaging-root-$$" scratch @s) && "$0" print "$k"' "$R/bin/keyctl" \
		> "$tmp/root-keyctl.out" 2>&1
	check "deb: the scratch root's keyctl adds a key to a fresh session keyring and prints it" \
		"scratch" "$(cat "$tmp/root-keyctl.out")"
	run "deb: and back: dpkg installs Debian's $theirs_ver over ours" "$tmp/root-down.log" \
		rdpkg -i "${theirs_debs[@]}"
	check "deb: after going back dpkg lists Debian's, with the same paths, and keyctl is Debian's" \
		"keyutils $theirs_ver install ok installed|libkeyutils-dev $theirs_ver install ok installed|libkeyutils1 $theirs_ver install ok installed|$theirs_files|debian" \
		"$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f '${Package} ${Version} ${Status}\n' | sort | paste -sd '|')|$(rfiles)|$(cmp -s "$R/bin/keyctl" <(in_deb "$tmp/real/keyutils_"*.deb bin/keyctl) && echo debian)"
	# The packaged library, unpacked, serves Debian's keyctl.
	dpkg-deb -x "$out/libkeyutils1_${ver}_"*.deb "$tmp/unpacked"
	local lib=$tmp/unpacked/lib/$triplet
	kt_fresh_session timeout 60 bash -c "keyctl_probe LD_LIBRARY_PATH='$lib'" > "$tmp/deb.out" 2>&1
	check "deb: Debian's keyctl works on the packaged library and mapped it" \
		"exe /usr/bin/keyctl|mapped $(realpath "$lib/libkeyutils.so.1")|exit 0|payload from-fifo" \
		"$(grep -E '^(exe|mapped|exit|payload) ' "$tmp/deb.out" | paste -sd '|')"
	# dh_strip removed the symbol table, which the ABI test's panic-code check reads: that check
	# runs on the unstripped library of the package build; all the others on the packaged one.
	bash tests/abi.sh "$lib/libkeyutils.so.1" > "$tmp/deb-abi.log" 2>&1
	check "deb: the packaged (stripped) library passes the ABI test but for the symbol-table check" \
		"not ok - abi: no panic code in the library (symbol table readable)|6 passed, 1 failed" \
		"$(grep -E '^not ok|passed' "$tmp/deb-abi.log" | paste -sd '|')"
	check "deb: the unstripped library of the package build passes the whole ABI test" \
		"7 passed, 0 failed" "$(bash tests/abi.sh "$out/keyutils-rs/build/lib/libkeyutils.so.1" | tail -n 1)"
	# dh_strip moves the debug data to a -dbgsym package by build id and adds a debuglink, so
	# compare what is loaded: code, data and the dynamic symbol and version tables.
	local sec same=same
	for sec in .text .rodata .data.rel.ro .dynsym .dynstr .gnu.version .gnu.version_d; do
		objcopy -O binary --only-section="$sec" "$out/keyutils-rs/build/lib/libkeyutils.so.1.10" "$tmp/built$sec"
		objcopy -O binary --only-section="$sec" "$lib/libkeyutils.so.1.10" "$tmp/packaged$sec"
		cmp -s "$tmp/built$sec" "$tmp/packaged$sec" || same="$sec differs"
	done
	check "deb: the packaged library is the built one, stripped (same loaded sections)" "same" "$same"
}

# ---- reproducible ----
do_repro() {
	# Two copies of the tree in directories of different names and depths, built one after the
	# other in a shared cargo target directory: the crates from the registry are compiled once,
	# ours once per copy (its files are touched first, so cargo cannot take the other's build).
	# (`make` builds the workspace's programs too: "keyutils v" is the library's package alone.)
	local a=$tmp/repro/one b=$tmp/repro/second-copy/of/the-tree mode
	copy_tree "$root" "$a"
	copy_tree "$root" "$b"
	for mode in lld bfd; do
		local target=$root/target vars=()
		[ "$mode" == bfd ] && target=$root/target/bfd vars=(LINKER=bfd)
		local d sums=()
		for d in "$a" "$b"; do
			find "$d" -type f -exec touch {} + # newer than the other copy's build
			if ! CARGO_TARGET_DIR=$target make -C "$d" "${vars[@]}" > "$d.$mode.log" 2>&1; then
				not_ok "repro ($mode): make in $d"
				tail -n 25 "$d.$mode.log" | sed 's/^/#   /'
				continue 2
			fi
			sums+=("$(cd "$d/build/lib" && sha256sum libkeyutils.so.1.10 libkeyutils.a)")
		done
		check "repro ($mode): each copy compiled the crate itself" "1 1" \
			"$(grep -c 'Compiling keyutils v' "$a.$mode.log") $(grep -c 'Compiling keyutils v' "$b.$mode.log")"
		check "repro ($mode): libkeyutils.so.1.10 and libkeyutils.a are byte-identical from two directories" \
			"${sums[0]}" "${sums[1]}"
		echo "${sums[0]}" | sed 's/^/#   /'
	done
	# The build string comes from SOURCE_DATE_EPOCH (2001-09-09 here), the only input allowed to differ.
	SOURCE_DATE_EPOCH=1000000000 CARGO_TARGET_DIR=$root/target make -C "$a" > "$a.sde.log" 2>&1
	check "repro: SOURCE_DATE_EPOCH sets the build string" "2001-09-09" \
		"$(strings -a "$a/build/lib/libkeyutils.so.1.10" | grep -xE '[0-9]{4}-[0-9]{2}-[0-9]{2}')"
}

want install && timed do_install
want pkgconfig && timed do_pkgconfig
want static && timed do_static
want preload && timed do_preload
want programs && timed do_programs
want uninstall && timed do_uninstall
want bfd && timed do_bfd
want deb && timed do_deb
want repro && timed do_repro

kt_finish

#!/usr/bin/env bash
# Fetches Debian's libkeyutils1 of each Debian architecture given and unpacks it into
# build/debian-libs/<arch>/ (the reference library of `make abi TARGET=...` is then
# build/debian-libs/<arch>/lib/<multiarch>/libkeyutils.so.1.10). Already unpacked architectures
# are skipped. apt works on its own lists in build/debian-libs/apt, limited to the one architecture,
# so the machine's apt configuration (dpkg --add-architecture) is left as it is.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cache=$root/build/debian-libs
next_release() { case $1 in bookworm) echo trixie ;; trixie) echo forky ;; esac; }
for deb in "$@"; do
	dir=$cache/$deb
	if [ -n "$(find "$dir" -name 'libkeyutils.so.1.10' 2>/dev/null)" ]; then continue; fi
	state=$cache/apt/$deb
	mkdir -p "$state/lists/partial" "$state/archives/partial" "$state/dl"
	opts=(-o "APT::Architecture=$deb" -o "APT::Architectures::=$deb"
	      -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state"
	      -o "Dir::Cache::archives=$state/archives" -o Debug::NoLocking=1
	      -o APT::Sandbox::User=root)
	apt-get "${opts[@]}" -q update
	policy=$(apt-cache "${opts[@]}" policy "libkeyutils1:$deb")
	if ! echo "$policy" | grep -q 'Candidate: [0-9]'; then
		# Not in this release (Debian 12 has no riscv64 port): the next release, whose libkeyutils1
		# is the same keyutils 1.6.3, from the mirror the machine's apt already uses.
		. /etc/os-release
		next=$(next_release "$VERSION_CODENAME")
		mirror=$(apt-cache policy | awk -v s="$VERSION_CODENAME/main" '$3 == s {print $2; exit}')
		[ -n "$next" ] && [ -n "$mirror" ] || { echo "debian-lib: no libkeyutils1 for $deb" >&2; exit 1; }
		echo "debian-lib: no libkeyutils1 for $deb in $VERSION_CODENAME; trying $next" >&2
		echo "deb [arch=$deb signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $next main" \
			> "$state/sources.list"
		opts+=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/nonexistent)
		apt-get "${opts[@]}" -q update
		policy=$(apt-cache "${opts[@]}" policy "libkeyutils1:$deb")
	fi
	echo "$policy"
	if ! echo "$policy" | grep -q 'Candidate: [0-9]'; then
		echo "debian-lib: no libkeyutils1 for $deb in the archive" >&2
		exit 1
	fi
	(cd "$state/dl" && rm -f ./*.deb && apt-get "${opts[@]}" download "libkeyutils1:$deb")
	rm -rf "$dir"
	dpkg-deb -x "$state"/dl/libkeyutils1_*_"$deb".deb "$dir"
	find "$dir" -name 'libkeyutils.so.1.10'
	rm -rf "$state/lists" "$state"/*.bin # the .deb stays; the lists are big and fetched again anyway
done

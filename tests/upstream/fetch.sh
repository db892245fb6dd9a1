#!/usr/bin/env bash
# Fetches keyutils' own test suite (the tests/ directory of Debian's source package keyutils, the
# version installed here: 1.6.3-2 on bookworm) into a cache, for tests/upstream/run.sh. Run by
# tests/deps.sh when the `upstream` suite is chosen, so that nothing is fetched during the test run.
#   tests/upstream/fetch.sh [CACHE]      (default: build/upstream)
# The suite is GPL code that is not ours: it lives only in the cache, never in the repository.
#
# The machine's apt configuration is left alone: apt-get runs with a private source list (a
# deb-src twin of the archive that serves the installed keyutils binary package, as `apt-cache
# policy` names it) and private list and cache directories under CACHE/apt. apt checks the source
# files against the archive's signed index; dpkg-source unpacks them with Debian's patches applied,
# which is the tree Debian's own autopkgtest (debian/tests/upstream-runtime-tests) runs.
# Idempotent: exits at once when CACHE/VERSION names the wanted version.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${1:-$root/build/upstream}
die() { echo "tests/upstream/fetch.sh: $*" >&2; exit 1; }

version=$(dpkg-query -W -f='${Version}' keyutils 2>/dev/null) || version=
[ -n "$version" ] || die "the keyutils package is not installed (tests/packages.txt installs it)"
if [ -f "$cache/VERSION" ] && [ "$(cat "$cache/VERSION")" = "$version" ] &&
	[ -f "$cache/src/tests/toolbox.inc.sh" ]; then
	exit 0
fi
[ "$(id -u)" = 0 ] || die "the upstream test suite of keyutils $version is not cached in $cache; run as root: bash $0"
command -v dpkg-source > /dev/null || die "dpkg-source is missing (package dpkg-dev)"

# The archive (URI, suite, component) that serves the installed version: the first line after the
# version's own line in `apt-cache policy` (skipping /var/lib/dpkg/status).
read -r uri dist < <(apt-cache policy keyutils 2>/dev/null | awk -v v="$version" '
	/^ (\*\*\*|   ) [^ ]+ -?[0-9]+$/ { on = ($1 == v || ($1 == "***" && $2 == v)); next }
	on && $2 ~ /:\/\// { print $2, $3; exit }')
[ -n "${uri:-}" ] && [ -n "${dist:-}" ] || die "no archive serves keyutils $version (apt-cache policy keyutils)"
suite=${dist%%/*}
component=${dist#*/}
[ "$suite" != "$dist" ] || component=main

echo "# tests/upstream/fetch.sh: keyutils $version source from $suite/$component"
rm -rf "$cache"
apt=$cache/apt
mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/dl" || die "cannot create $cache"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
	echo "Types: deb-src"
	echo "URIs: $uri"
	echo "Suites: $suite"
	echo "Components: $component"
	[ -f "$keyring" ] && echo "Signed-By: $keyring"
} > "$apt/sources/upstream-src.sources"
opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
apt-get "${opts[@]}" -qq update > "$cache/apt.log" 2>&1 ||
	{ cat "$cache/apt.log" >&2; die "apt-get update of the private deb-src list failed"; }
(cd "$cache/dl" && apt-get "${opts[@]}" -qq source --download-only "keyutils=$version") >> "$cache/apt.log" 2>&1 ||
	{ cat "$cache/apt.log" >&2; die "apt-get source keyutils=$version failed"; }
dsc=$(ls "$cache"/dl/keyutils_*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || die "no .dsc downloaded"
dpkg-source -x "$dsc" "$cache/src" >> "$cache/apt.log" 2>&1 ||
	{ cat "$cache/apt.log" >&2; die "dpkg-source -x $dsc failed"; }
[ -f "$cache/src/tests/toolbox.inc.sh" ] || die "the source of keyutils $version has no tests/toolbox.inc.sh"
# Only what the suite needs stays: the unpacked tree and the record of what it is.
rm -rf "$apt" "$cache"/*.orig.tar.*
(cd "$cache/dl" && sha256sum -- *) > "$cache/SHA256SUMS"
echo "$version" > "$cache/VERSION"
echo "# tests/upstream/fetch.sh: cached in $cache/src/tests"

#!/usr/bin/env bash
# Installs the Debian packages that the chosen test suites need (tests/packages.txt), only those
# missing. Usage: tests/deps.sh [SUITE...]  (default: every suite)
# As root it runs `apt-get update` once and `apt-get install` for what is missing; as any other
# user, with something missing, it stops at once with the list and the command to run as root.
# Then it fetches what a suite needs beyond packages (the upstream suite's tests, into build/).
# Exits 0 when everything needed is in place.
set -u
list=$(dirname "$0")/packages.txt
suites=" ${*:-all} "

# Every package named for "all" or for one of the suites (every package when no suite is named).
needed=$(awk -v s="$suites" '!/^#/ && NF >= 2 {
	for (i = 2; i <= NF; i++) if (s ~ " all " || $i == "all" || index(s, " " $i " ")) { print $1; break }
}' "$list")

missing=()
for p in $needed; do
	[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "tests/deps.sh: missing Debian packages: ${missing[*]}" >&2
		echo "tests/deps.sh: as root: apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "# tests/deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=300 update -qq &&
		apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" > /dev/null || {
		echo "tests/deps.sh: apt-get install ${missing[*]} failed" >&2
		exit 1
	}
fi

# What a suite needs beyond packages is fetched here, once, into build/: never during a test run.
# upstream: keyutils' own test suite from Debian's source package (GPL, not ours: never committed).
if [[ $suites == *" all "* || $suites == *" upstream "* ]]; then
	bash "$(dirname "$0")/upstream/fetch.sh" || exit 1
fi

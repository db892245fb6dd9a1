# Sourced by debian/build-deb.sh and tests/packaging.sh.
# copy_tree ROOT DIR: the files `git ls-files` knows in ROOT (tracked or new), copied to DIR as new
# files: a checkout of the working tree. Outside git: everything but the build outputs.
copy_tree() {
	mkdir -p "$2"
	if git -C "$1" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
		git -C "$1" ls-files -z -co --exclude-standard |
			tar -C "$1" --null --verbatim-files-from -T - --ignore-failed-read -cf - 2>/dev/null |
			tar -C "$2" -xmf -
	else
		tar -C "$1" --exclude=./target --exclude=./build -cf - . | tar -C "$2" -xmf -
	fi
}

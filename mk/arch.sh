# Sourced by shell scripts: lookups in mk/arches (Rust triple, Debian architecture, GNU triplet).
# arch_lookup VALUE FROM TO: the column TO (triple|deb|gnu|linker) of the row whose column FROM is VALUE;
# prints nothing and fails for an unknown value.
arch_table=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/arches
arch_lookup() {
	local col
	col() { case $1 in triple) echo 1 ;; deb) echo 2 ;; gnu) echo 3 ;; linker) echo 4 ;; *) return 1 ;; esac; }
	awk -v v="$1" -v f="$(col "$2")" -v t="$(col "$3")" \
		'!/^#/ && NF >= 3 && $f == v {print $t; found = 1; exit} END {exit !found}' "$arch_table"
}
# Every Rust triple of the table, one a line.
arch_triples() { awk '!/^#/ && NF >= 3 {print $1}' "$arch_table"; }

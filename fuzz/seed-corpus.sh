#!/usr/bin/env bash
# Regenerates the committed seed corpus (fuzz/corpus/<target>/) from real keys: makes keys of
# several types and shapes in a throwaway session keyring, then saves their /proc/keys lines and
# their KEYCTL_DESCRIBE strings. Needs keyctl(1) and openssl. Files are named by content hash,
# so running it again adds nothing twice.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/k.pem" -outform DER -out "$work/c.der" \
	-subj /CN=seed -days 1 2>/dev/null

keyctl session - bash -s "$work" "$here/corpus" <<'INNER' >/dev/null
set -eu
work=$1 corpus=$2
mkdir -p "$corpus/parse_description" "$corpus/proc_keys_line" "$corpus/proc_keys_format"
p=seed$$
ids=()
ids+=("$(keyctl add user "$p plain" "12345" @s)")
ids+=("$(keyctl add user "$p;with;semicolons" "x" @s)")
ids+=("$(keyctl add user "   $p leading spaces" "x" @s)")
ids+=("$(keyctl add user "$p: colon in it" "x" @s)")
ids+=("$(keyctl add user "$p$(head -c 1200 /dev/zero | tr '\0' L)" "x" @s)")
ids+=("$(keyctl newring "$p-ring" @s)")
ids+=("$(keyctl add logon "$p:logon" "secret" @s)")
ids+=("$(keyctl padd asymmetric "$p cert" @s < "$work/c.der")")
ids+=("$(printf '192.0.2.1\0' | keyctl padd dns_resolver "$p.dns" @s)")
keyctl request2 user "debug:$p:neg" negate @s 2>/dev/null || true
keyctl request2 user "debug:$p:rej" rejected @s 2>/dev/null || true
for id in $(keyctl rlist @s); do ids+=("$id"); done
ids+=("$(keyctl show @s | awk 'NR==2 {print $1}')")
save() { # dir, content (stdin)
	local f=$work/seed
	cat > "$f"
	cp "$f" "$1/$(sha1sum < "$f" | cut -c1-16)"
}
for id in $(printf '%s\n' "${ids[@]}" | sort -u); do
	hex=$(printf '%08x' "$id")
	line=$(grep "^$hex " /proc/keys || true)
	desc=$(keyctl rdescribe "$id" 2>/dev/null || true)
	[ -n "$desc" ] && printf '%s' "$desc" | save "$corpus/parse_description"
	[ -z "$line" ] && continue
	type=${desc%%;*}
	text=${desc#*;*;*;*;}
	printf '%s\0%s\0%s' "$line" "$type" "$text" | save "$corpus/proc_keys_line"
	printf '%s' "$line" | save "$corpus/proc_keys_line"
	# proc_keys_format: type selector (index in its TYPES table), serial, variant, description.
	case $type in
	user) t=0 ;; logon) t=1 ;; keyring) t=2 ;; asymmetric) t=6 ;; dns_resolver) t=7 ;; *) t=16 ;;
	esac
	{ printf "\\x$(printf %02x $t)"; printf "\\x${hex:6:2}\\x${hex:4:2}\\x${hex:2:2}\\x${hex:0:2}";
	  printf '\x51'; printf '%s' "$text"; } | save "$corpus/proc_keys_format"
done
INNER
for t in parse_description proc_keys_line proc_keys_format; do
	echo "$t: $(ls "$here/corpus/$t" | wc -l) seeds"
done

#!/usr/bin/env bash
# Header compatibility test: checks $KEYUTILS_INCLUDE/keyutils.h against the
# original keyutils.h (default /usr/include/keyutils.h).  Everything compared
# is generated from the original header at test time:
#   - every #define with a value: present, same value, same size and
#     signedness, and usable in #if;
#   - the typedefs and every extern declaration redeclared after including
#     ours (the compiler rejects any incompatible one), after a check that
#     ours declares each name itself;
#   - sizeof/alignof of each struct and offsetof/sizeof/type of each field;
#   - compiled as C (-std=gnu11, -std=c11 -pedantic) and C++ (-std=c++17).
# The two headers share the include guard KEYUTILS_H, so each side is built
# as its own program and the printed outputs are compared.
# Prints TAP lines, "# header: N passed, N failed"; exits 1 on failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../tests/lib.sh"
ORIG=${KEYUTILS_ORIG_HEADER:-$KEYUTILS_ORIG_INCLUDE/keyutils.h}
INC=$KEYUTILS_INCLUDE
OUT=${CTESTS_BUILD:-$KEYUTILS_TEST_OUT/ctests}/header
CC=${CC:-gcc}
CXX=${CXX:-g++}
WARN="-Wall -Wextra -Werror"

ok() { kt_ok "header: $*"; }
notok() { kt_notok "header: $*"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }
finish() {
	echo "# header: $KT_PASS passed, $KT_FAIL failed"
	[ "$KT_FAIL" -eq 0 ]
	exit $?
}

rm -rf "$OUT"
mkdir -p "$OUT/orig" || { notok "cannot create $OUT"; finish; }
if [ ! -f "$ORIG" ]; then notok "original header $ORIG exists"; finish; fi
if [ ! -f "$INC/keyutils.h" ]; then notok "$INC/keyutils.h exists"; finish; fi
ok "$INC/keyutils.h exists"
# A private copy of the original, so it is not treated as a system header
# (which would silence its warnings) and cannot be confused with ours.
cp "$ORIG" "$OUT/orig/keyutils.h"

# ---------------------------------------------------------------- generation
# Macros with a value (the include guard has none).
sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]\{1,\}\([^[:space:]/]\{1,\}\).*/\1 \2/p' \
	"$ORIG" > "$OUT/macros.txt"
# Extern declarations (possibly multi-line), one per line.
awk '/^extern /{d=""; inside=1} inside{sub(/\/\*.*\*\//, ""); d = d $0 "\n"; if ($0 ~ /;/) {printf "%s", d; inside=0}}' \
	"$ORIG" > "$OUT/externs.txt"
# Names they declare: the identifier before the first "(" or "[".
awk '/^extern /{d=""; inside=1} inside{d = d " " $0; if ($0 ~ /;/) {inside=0; sub(/[(\[].*/, "", d); n=split(d, w, /[^A-Za-z0-9_]+/); for (i = n; i > 0; i--) if (w[i] != "") {print w[i]; break}}}' \
	"$ORIG" > "$OUT/names.txt"
# Typedefs (possibly multi-line), as written.
awk '/^typedef /{inside=1} inside{print; if ($0 ~ /;/) inside=0}' "$ORIG" > "$OUT/typedefs.txt"
typenames=$(awk '/^typedef /{d=""; inside=1} inside{d = d " " $0; if ($0 ~ /;/) {inside=0; if (d ~ /\(\*/) {sub(/^[^(]*\(\*[[:space:]]*/, "", d); sub(/\).*/, "", d)} else {sub(/;.*/, "", d); n=split(d, w, /[^A-Za-z0-9_]+/); d = w[n] != "" ? w[n] : w[n-1]} print d}}' "$ORIG")
# Struct fields: "struct field isarray".
awk '/^struct [A-Za-z_][A-Za-z0-9_]*[[:space:]]*\{/{s=$2; next}
     s != "" && /^\};/{s=""; next}
     s != "" { line=$0; sub(/\/\*.*$/, "", line);
	       if (match(line, /[A-Za-z_][A-Za-z0-9_]*[[:space:]]*(\[[^]]*\])?[[:space:]]*;/)) {
		       f = substr(line, RSTART, RLENGTH); arr = (f ~ /\[/);
		       sub(/[[:space:]]*(\[.*)?;.*/, "", f); print s, f, arr } }' \
	"$ORIG" > "$OUT/fields.txt"
structs=$(awk '{print $1}' "$OUT/fields.txt" | uniq)

nmac=$(wc -l < "$OUT/macros.txt")
nfun=$(wc -l < "$OUT/names.txt")
nfld=$(wc -l < "$OUT/fields.txt")
# Sanity: the generators found what keyutils 1.6.3's header has.
check "generated lists: $nmac macros, $nfun externs, $nfld struct fields, types: $(echo $typenames)" \
	test "$nmac" -ge 90 -a "$nfun" -ge 46 -a "$nfld" -ge 14 -a -n "$typenames"

{
	echo '#include <stdio.h>'
	echo '#include <keyutils.h>'
	echo 'int main(void)'
	echo '{'
	while read -r name value; do
		cat <<EOC
#ifdef $name
	printf("$name %lld size=%zu signed=%d\n", (long long)($name), sizeof($name), ($name) * 0 - 1 < 0);
#if ($name) == ($value)
	printf("$name #if-ok\n");
#else
	printf("$name #if-mismatch\n");
#endif
#else
	printf("$name MISSING\n");
#endif
EOC
	done < "$OUT/macros.txt"
	echo '	return 0;'
	echo '}'
} > "$OUT/macros.c"

{
	echo '#include <stddef.h>'
	echo '#include <stdio.h>'
	echo '#include <keyutils.h>'
	cat <<'EOC'
#define TYPENAME(x) _Generic((x), \
	char: "char", signed char: "schar", unsigned char: "uchar", \
	short: "short", unsigned short: "ushort", int: "int", unsigned int: "uint", \
	long: "long", unsigned long: "ulong", long long: "llong", \
	unsigned long long: "ullong", char *: "char*", const char *: "const char*", \
	void *: "void*", default: "other")
int main(void)
{
EOC
	for s in $structs; do
		echo "	{ struct $s v; (void)v;"
		echo "	printf(\"struct $s size=%zu align=%zu\\n\", sizeof(struct $s), _Alignof(struct $s));"
		while read -r st f arr; do
			[ "$st" = "$s" ] || continue
			if [ "$arr" = 1 ]; then elem="v.$f[0]"; else elem="v.$f"; fi
			echo "	printf(\"$s.$f off=%zu size=%zu type=%s array=$arr\\n\", offsetof(struct $s, $f), sizeof(v.$f), TYPENAME($elem));"
		done < "$OUT/fields.txt"
		echo '	}'
	done
	echo '	return 0;'
	echo '}'
} > "$OUT/layout.c"

{
	echo '#include <keyutils.h>'
	echo '/* Ours must declare every name itself: checked before the redeclarations. */'
	echo 'static void presence(void)'
	echo '{'
	for t in $typenames; do echo "	(void)sizeof($t);"; done
	for s in $structs; do echo "	(void)sizeof(struct $s);"; done
	while read -r n; do echo "	(void)sizeof(&$n);"; done < "$OUT/names.txt"
	echo '}'
	echo '/* The original declarations, verbatim: any incompatibility is an error. */'
	echo '#ifdef __cplusplus'
	echo 'extern "C" {'
	echo '#endif'
	cat "$OUT/typedefs.txt"
	echo 'struct iovec;'
	cat "$OUT/externs.txt"
	echo '#ifdef __cplusplus'
	echo '}'
	echo '#endif'
	echo 'int main(void)'
	echo '{'
	echo '	presence();'
	echo '	return 0;'
	echo '}'
} > "$OUT/protos.c"
cp "$OUT/protos.c" "$OUT/protos.cc"

# ------------------------------------------------------------------ building
# The header ours resolves to must really be $INC/keyutils.h.
want=$(realpath "$INC/keyutils.h")
got=$($CC -M -I"$INC" "$OUT/macros.c" 2>/dev/null | tr ' \\' '\n\n' | grep '/keyutils\.h$' | head -1)
got=$(realpath "$got" 2>/dev/null)
check "the compiler picks $want (got ${got:-nothing})" test "$got" = "$want"

build() { # name side cmd...
	local name=$1 side=$2; shift 2
	if "$@" > "$OUT/$name.$side.log" 2>&1; then
		ok "compile $name against $side header"
	else
		notok "compile $name against $side header"
		sed 's/^/#   /' "$OUT/$name.$side.log" | head -40
	fi
}

for side in orig ours; do
	if [ $side = orig ]; then I=$OUT/orig; else I=$INC; fi
	build macros $side $CC -std=gnu11 $WARN -I"$I" "$OUT/macros.c" -o "$OUT/macros.$side"
	build layout $side $CC -std=gnu11 $WARN -I"$I" "$OUT/layout.c" -o "$OUT/layout.$side"
done
build "declarations (C gnu11)" ours $CC -std=gnu11 $WARN -I"$INC" -c "$OUT/protos.c" -o "$OUT/protos-gnu11.o"
build "declarations (C c11 -pedantic)" ours $CC -std=c11 -pedantic $WARN -I"$INC" -c "$OUT/protos.c" -o "$OUT/protos-c11.o"
build "declarations (C++ c++17)" ours $CXX -std=c++17 $WARN -I"$INC" -c "$OUT/protos.cc" -o "$OUT/protos-cxx.o"
build "declarations (C++ c++17 -pedantic)" ours $CXX -std=c++17 -pedantic $WARN -I"$INC" -c "$OUT/protos.cc" -o "$OUT/protos-cxxp.o"
# Stricter client flags the original header is clean under.
STRICT_C="-std=gnu11 -Wpedantic -Wstrict-prototypes -Wconversion -Wsign-conversion -Wcast-qual -Wshadow -Wundef"
STRICT_CXX11="-std=c++11 -Wpedantic -Wold-style-cast -Wundef"
STRICT_CXX98="-std=c++98 -Wpedantic"
echo '#include <keyutils.h>
int main(void) { struct keyctl_pkey_params p; p.key_id = 1; p.out_len = 1; return (int)p.in2_len - p.key_id; }' > "$OUT/union.c"
cp "$OUT/union.c" "$OUT/union.cc"
for side in orig ours; do
	if [ $side = orig ]; then I=$OUT/orig; else I=$INC; fi
	# The same declaration programs against the original: the test is known good.
	if [ $side = orig ]; then
		build "declarations (C c11 -pedantic)" orig $CC -std=c11 -pedantic $WARN -I"$I" -c "$OUT/protos.c" -o "$OUT/protos-orig.o"
		build "declarations (C++ c++17)" orig $CXX -std=c++17 $WARN -I"$I" -c "$OUT/protos.cc" -o "$OUT/protos-orig-cxx.o"
	fi
	build "declarations (C $STRICT_C)" $side $CC $STRICT_C $WARN -I"$I" -c "$OUT/protos.c" -o "$OUT/protos-strict.o"
	build "declarations (C++ $STRICT_CXX11)" $side $CXX $STRICT_CXX11 $WARN -I"$I" -c "$OUT/protos.cc" -o "$OUT/protos-strict-cxx.o"
	build "declarations (C++ $STRICT_CXX98)" $side $CXX $STRICT_CXX98 $WARN -I"$I" -c "$OUT/protos.cc" -o "$OUT/protos-strict-cxx98.o"
	# The anonymous union, as C11, GNU C89/C99 and C++ clients use it.
	for std in "-std=c11 -pedantic" "-std=gnu89" "-std=gnu99"; do
		build "anonymous union use ($std)" $side $CC $std $WARN -I"$I" -c "$OUT/union.c" -o "$OUT/union.o"
	done
	build "anonymous union use (C++ -std=c++17 -pedantic)" $side $CXX -std=c++17 -pedantic $WARN -I"$I" -c "$OUT/union.cc" -o "$OUT/union.o"
done

# ----------------------------------------------------------------- comparing
compare() { # program
	local p=$1
	if [ ! -x "$OUT/$p.orig" ] || [ ! -x "$OUT/$p.ours" ]; then
		notok "$p: both programs built"
		return
	fi
	"$OUT/$p.orig" > "$OUT/$p.orig.txt"
	"$OUT/$p.ours" > "$OUT/$p.ours.txt"
	check "$p: original program prints $(wc -l < "$OUT/$p.orig.txt") lines" \
		test -s "$OUT/$p.orig.txt"
	# One TAP line per item, keyed by the first word.
	local key
	for key in $(awk '{print $1 == "struct" ? $2 : $1}' "$OUT/$p.orig.txt" | uniq); do
		local a b
		a=$(awk -v k="$key" '($1 == "struct" ? $2 : $1) == k' "$OUT/$p.orig.txt")
		b=$(awk -v k="$key" '($1 == "struct" ? $2 : $1) == k' "$OUT/$p.ours.txt")
		if [ "$a" = "$b" ]; then
			ok "$p $key: $(echo $a | cut -c1-100)"
		else
			notok "$p $key"
			diff <(echo "$a") <(echo "$b") | sed 's/^/#   /'
		fi
	done
	check "$p: outputs identical" cmp -s "$OUT/$p.orig.txt" "$OUT/$p.ours.txt"
}
compare macros
compare layout

finish

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
# With a cross compiler (CC=<triplet>-gcc CXX=<triplet>-g++; `make header-check
# TARGET=<triple>`) nothing can run: the macro and layout programs are only
# compiled to assembly, each line a string with its values as immediate
# operands, and the lines are read from the .s files (KEYUTILS_HEADER_MODE=asm
# forces that natively, =run the programs).
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
mode=${KEYUTILS_HEADER_MODE:-}
if [ -z "$mode" ]; then
	if [ "$($CC -dumpmachine 2>/dev/null)" = "$(cc -dumpmachine 2>/dev/null)" ]; then mode=run; else mode=asm; fi
fi

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

# LINE0(text) and LINE3(format, a, b, c) (%0..%2 stand for the values) print a line when the
# program runs, or put it in the assembly as `.ascii "->line"` in asm mode, where the assembler
# syntax of the target may put `$` or `#` before an immediate (as Linux's asm-offsets does; `%c0`
# would drop it, but not every GCC target takes `%c` for any constant).
if [ "$mode" = asm ]; then
	lines='#define LINE0(t) __asm__ volatile("\n.ascii \"->" t "\"")
#define LINE3(f, a, b, c) __asm__ volatile("\n.ascii \"->" f "\"" :: "i"(a), "i"(b), "i"(c))'
else
	lines='#define LINE0(t) puts(t)
static void line3(const char *f, long long a, long long b, long long c)
{
	const long long v[3] = { a, b, c };
	for (; *f; f++) {
		if (f[0] == '"'"'%'"'"') { printf("%lld", v[f[1] - '"'"'0'"'"']); f++; }
		else putchar(*f);
	}
	putchar('"'"'\n'"'"');
}
#define LINE3(f, a, b, c) line3(f, (long long)(a), (long long)(b), (long long)(c))'
fi

{
	echo '#include <stdio.h>'
	echo '#include <keyutils.h>'
	echo "$lines"
	echo 'int main(void)'
	echo '{'
	while read -r name value; do
		cat <<EOC
#ifdef $name
	LINE3("$name %0 size=%1 signed=%2", (long long)($name), sizeof($name), ($name) * 0 - 1 < 0);
#if ($name) == ($value)
	LINE0("$name #if-ok");
#else
	LINE0("$name #if-mismatch");
#endif
#else
	LINE0("$name MISSING");
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
	echo "$lines"
	cat <<'EOC'
/* A number per type, turned back into the name when the lines are compared (typenames below). */
#define TYPECODE(x) _Generic((x), \
	char: 1, signed char: 2, unsigned char: 3, \
	short: 4, unsigned short: 5, int: 6, unsigned int: 7, \
	long: 8, unsigned long: 9, long long: 10, \
	unsigned long long: 11, char *: 12, const char *: 13, \
	void *: 14, default: 0)
int main(void)
{
EOC
	for s in $structs; do
		echo "	LINE3(\"struct $s size=%0 align=%1\", sizeof(struct $s), _Alignof(struct $s), 0);"
		while read -r st f arr; do
			[ "$st" = "$s" ] || continue
			if [ "$arr" = 1 ]; then elem="((struct $s *)0)->$f[0]"; else elem="((struct $s *)0)->$f"; fi
			echo "	LINE3(\"$s.$f off=%0 size=%1 type=%2 array=$arr\", offsetof(struct $s, $f), sizeof(((struct $s *)0)->$f), TYPECODE($elem));"
		done < "$OUT/fields.txt"
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

# asm mode: -S, and the lines are read from the assembly into $p.$side.txt.
for side in orig ours; do
	if [ $side = orig ]; then I=$OUT/orig; else I=$INC; fi
	for p in macros layout; do
		if [ "$mode" = asm ]; then
			build $p $side $CC -std=gnu11 $WARN -I"$I" -S "$OUT/$p.c" -o "$OUT/$p.$side.s"
			[ -f "$OUT/$p.$side.s" ] && sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->\(.*\)"[[:space:]]*$/\1/p' \
				"$OUT/$p.$side.s" | sed 's/[$#]\(-\{0,1\}[0-9]\)/\1/g' > "$OUT/$p.$side.lines"
		else
			build $p $side $CC -std=gnu11 $WARN -I"$I" "$OUT/$p.c" -o "$OUT/$p.$side"
		fi
	done
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
# The lines of a program: its output, or in asm mode the lines read from its assembly.
lines() { # program side
	if [ "$mode" = asm ]; then cat "$OUT/$1.$2.lines"; else "$OUT/$1.$2"; fi
}
compare() { # program
	local p=$1 side
	for side in orig ours; do
		if [ ! -x "$OUT/$p.$side" ] && [ ! -f "$OUT/$p.$side.lines" ]; then
			notok "$p: both programs built"
			return
		fi
	done
	# The type codes of layout.c back to names.
	for side in orig ours; do
		lines "$p" "$side" | awk 'BEGIN { n = split("char schar uchar short ushort int uint long ulong llong ullong char* const_char* void*", t, " ") }
			{ for (i = 1; i <= NF; i++) if ($i ~ /^type=[0-9]+$/) { c = substr($i, 6) + 0; $i = "type=" (c >= 1 && c <= n ? t[c] : "other") } print }' \
			> "$OUT/$p.$side.txt"
	done
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

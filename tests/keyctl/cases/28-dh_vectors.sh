# dh_compute, dh_compute_kdf and dh_compute_kdf_oi on published vectors: RFC 5114 appendix A.2
# and the SHA-256 KDF outputs computed from them (ctests/rfc5114.h says how). On a kernel with
# CONFIG_KEY_DH_OPERATIONS each result must equal its vector; without it, the errors are compared.
# KEYCTL_DH_VECTORS: where rfc5114.h is (the VM lab copies it beside the cases).
V=${KEYCTL_DH_VECTORS:-$(dirname "${BASH_SOURCE[0]}")/../../../ctests/rfc5114.h}
[ -r "$V" ] || echo "SETUP FAILED: no DH vectors at $V"
have=$("$KEYCTL" supports 2>/dev/null | sed -n 's/^have_dh_compute=//p')
echo "kernel has dh_compute: ${have:-?}"
# vec NAME: the vector's hex digits, lower case; bin HEX: its bytes
vec() { sed -n "/rfc5114_$1\[\] =/,/;/p" "$V" | grep -o '"[^"]*"' | tr -d '" \n' | tr 'A-F' 'a-f'; }
bin() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }
pad() { kq padd user "rfc5114-$1" @s < <(bin "$(vec "$1")"); }
p=$(pad p) g=$(pad g) xa=$(pad xa) xb=$(pad xb) ya=$(pad ya) yb=$(pad yb)
[ -n "$p" ] && [ -n "$g" ] && [ -n "$xa" ] && [ -n "$xb" ] && [ -n "$ya" ] && [ -n "$yb" ] ||
    echo "SETUP FAILED: the vectors as user keys"
# check NAME EXPECTED ARGS...: keyctl ARGS's hex output against EXPECTED
check() {
    local name=$1 want=$2 got
    shift 2
    # (after keyctl's "N bytes of data in result:" line)
    got=$("$KEYCTL" "$@" 2>/dev/null < "${CHECK_STDIN:-/dev/null}" | sed 1d | tr -d ' \n')
    if [ -n "$want" ] && [ "$got" = "$want" ]; then
        echo "$name: equals the published vector (${#got} hex digits)"
    elif [ "$have" = 1 ]; then
        echo "$name: DIFFERS from the published vector: got '${got:0:64}'"
    else
        echo "$name: no result on a kernel without DH: '${got:0:64}'"
    fi
}
k dh_compute "$xa" "$p" "$g"
check "g^xA = yA" "$(vec ya)" dh_compute "$xa" "$p" "$g"
check "g^xB = yB" "$(vec yb)" dh_compute "$xb" "$p" "$g"
check "yB^xA = Z" "$(vec z)" dh_compute "$xa" "$p" "$yb"
check "yA^xB = Z" "$(vec z)" dh_compute "$xb" "$p" "$ya"
k dh_compute_kdf "$xa" "$p" "$yb" 32 sha256
check "KDF(Z), 32 bytes" "$(vec kdf_sha256)" dh_compute_kdf "$xa" "$p" "$yb" 32 sha256
check "KDF(Z), 16 bytes (a prefix)" "$(vec kdf_sha256 | cut -c1-32)" dh_compute_kdf "$xb" "$p" "$ya" 16 sha256
printf 'keyutils-test' > "$T/oi"
CHECK_STDIN=$T/oi check "KDF(Z, otherinfo), 64 bytes" "$(vec kdf_sha256_oi)" \
    dh_compute_kdf_oi "$xa" "$p" "$yb" 64 sha256
printf '6b657975 74696c73 2d74657374' > "$T/oi.hex"
CHECK_STDIN=$T/oi.hex check "KDF(Z, otherinfo as hex), 64 bytes" "$(vec kdf_sha256_oi)" \
    dh_compute_kdf_oi -x "$xb" "$p" "$ya" 64 sha256
k dh_compute_kdf_oi "$xa" "$p" "$yb" 40 sha256 < "$T/oi"
k dh_compute_kdf "$xa" "$p" "$yb" 32 nosuchhash
k dh_compute "$xa" "$p" "$xa"

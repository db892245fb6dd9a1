# pkey_* with an RSA private key that openssl made, loaded as PKCS#8 (a kernel with the
# pkcs8_key_parser; without it, the refusal is compared): sign and decrypt by the kernel,
# checked against openssl; query, verify and encrypt by the same key.
command -v openssl >/dev/null || echo "SETUP FAILED: openssl is needed"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/key.pem" 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$T/key.pem" -outform DER -out "$T/key.p8"
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
[ -s "$T/key.p8" ] && [ -s "$T/pub.pem" ] || echo "SETUP FAILED: openssl made no PKCS#8 key"
k padd asymmetric priv @s < "$T/key.p8"
a=$(kq padd asymmetric priv2 @s < "$T/key.p8")
if [ -z "$a" ]; then
    echo "private key loaded: no"
    return 0 2>/dev/null || exit 0
fi
echo "private key loaded: yes"
k pkey_query "$a" 0 enc=pkcs1 hash=sha256
yes_no() { if "$@" > /dev/null 2>&1; then echo yes; else echo no; fi; }
printf 'keyutils private-key data' > "$T/data"
openssl dgst -sha256 -binary "$T/data" > "$T/hash"
"$KEYCTL" pkey_sign "$a" 0 "$T/hash" enc=pkcs1 hash=sha256 > "$T/sig"
echo "signature: $(wc -c < "$T/sig") bytes"
openssl pkeyutl -sign -inkey "$T/key.pem" -in "$T/hash" -pkeyopt digest:sha256 -out "$T/sig.openssl"
echo "kernel's signature equals openssl's (PKCS#1 v1.5 is deterministic): $(yes_no cmp "$T/sig" "$T/sig.openssl")"
echo "openssl verifies the kernel's signature: $(yes_no openssl pkeyutl -verify -pubin -inkey "$T/pub.pem" \
    -in "$T/hash" -sigfile "$T/sig" -pkeyopt digest:sha256)"
k pkey_verify "$a" 0 "$T/hash" "$T/sig.openssl" enc=pkcs1 hash=sha256
openssl pkeyutl -encrypt -pubin -inkey "$T/pub.pem" -in "$T/data" -pkeyopt rsa_padding_mode:pkcs1 -out "$T/enc.openssl"
"$KEYCTL" pkey_decrypt "$a" 0 "$T/enc.openssl" enc=pkcs1 > "$T/dec"
echo "kernel decrypts openssl's ciphertext: $(yes_no cmp "$T/dec" "$T/data")"
"$KEYCTL" pkey_encrypt "$a" 0 "$T/data" enc=pkcs1 > "$T/enc"
echo "ciphertext: $(wc -c < "$T/enc") bytes"
openssl pkeyutl -decrypt -inkey "$T/key.pem" -in "$T/enc" -pkeyopt rsa_padding_mode:pkcs1 -out "$T/dec.openssl" 2>/dev/null
echo "openssl decrypts the kernel's ciphertext: $(yes_no cmp "$T/dec.openssl" "$T/data")"
"$KEYCTL" pkey_decrypt "$a" 0 "$T/enc" enc=pkcs1 > "$T/dec2"
echo "kernel decrypts its own ciphertext: $(yes_no cmp "$T/dec2" "$T/data")"
k pkey_sign "$a" 0 "$T/data" enc=pkcs1 hash=sha256 > /dev/null
k pkey_decrypt "$a" 0 "$T/hash" enc=pkcs1

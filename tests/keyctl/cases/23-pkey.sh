# pkey_*: public-key operations on an X.509 certificate (asymmetric key);
# the kernel can query, encrypt and verify with a public key.
command -v openssl >/dev/null || echo "SETUP FAILED: openssl is needed"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
    -subj "/CN=keyctl-test" -days 1 2>/dev/null
openssl x509 -in "$T/cert.pem" -outform DER -out "$T/cert.der"
a=$(kq padd asymmetric "" @s <"$T/cert.der")
[ -n "$a" ] && echo asymmetric-key-added
k pkey_query "$a" 0
k pkey_query "$a" 0 enc=pkcs1
k pkey_query "$a" 0 enc=pkcs1 hash=sha256
k pkey_query "$a" 1
k pkey_query "$a" 0 bad
k pkey_query "$a" 0 "$(head -c 5000 /dev/zero | tr '\0' a)=b"
k pkey_query @bad 1 x
k pkey_query @bad 1
k pkey_query 12345 0
usage "pkey_query" "pkey_query a"
printf 'secret-data' >"$T/data"
k pkey_encrypt "$a" 0 "$T/data" enc=pkcs1 >/dev/null
"$KEYCTL" pkey_encrypt "$a" 0 "$T/data" enc=pkcs1 | wc -c
openssl dgst -sha256 -binary "$T/data" >"$T/hash"
openssl pkeyutl -sign -inkey "$T/key.pem" -in "$T/hash" -pkeyopt digest:sha256 -out "$T/sig"
k pkey_verify "$a" 0 "$T/hash" "$T/sig" enc=pkcs1 hash=sha256
printf 'x' >>"$T/sig"
k pkey_verify "$a" 0 "$T/hash" "$T/sig" enc=pkcs1 hash=sha256
k pkey_verify "$a" 0 /nonexist "$T/sig"
k pkey_verify "$a" 0 "$T/hash" /nonexist
k pkey_verify "$a" 1 "$T/hash" /nonexist
usage "pkey_verify" "pkey_verify a b c"
k pkey_decrypt "$a" 0 "$T/data" enc=pkcs1
k pkey_sign "$a" 0 "$T/hash" enc=pkcs1 hash=sha256
k pkey_encrypt @bad 0 /nonexist
k pkey_encrypt 5 1 /nonexist
k pkey_encrypt 5 0 /nonexist
k pkey_encrypt 5 0 /nonexist noequals
k pkey_encrypt "$a" 0 "$T" enc=pkcs1
usage "pkey_encrypt" "pkey_encrypt a b" "pkey_decrypt" "pkey_decrypt a b" "pkey_sign" "pkey_sign a b"

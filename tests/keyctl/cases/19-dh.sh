# dh_compute*: the argument handling and the kernel's answer are compared.
# The keys are no real DH parameters: a kernel without CONFIG_KEY_DH_OPERATIONS
# refuses the operation, one with it rejects these keys.
a=$(kq add user dh1 x @s)
k dh_compute "$a" "$a" "$a"
k dh_compute 1 2 3
k dh_compute @bad 2 3
k dh_compute 1 2 x
usage "dh_compute" "dh_compute a b" "dh_compute a b c d"
k dh_compute_kdf "$a" "$a" "$a" 8 sha256
k dh_compute_kdf 1 2 3 x 4
k dh_compute_kdf 1 2 3 -1 sha256
k dh_compute_kdf 1 2 3 99999999999999999999999 sha256
k dh_compute_kdf 1 2 3 10abc sha256
k dh_compute_kdf 1 2 3 99999999999999 sha256
k dh_compute_kdf 1 2 3 18446744073709551614 sha256
k dh_compute_kdf @bad 2 3 x 4
usage "dh_compute_kdf" "dh_compute_kdf a b c d" "dh_compute_kdf a b c d e f"
echo -n 4142 | k dh_compute_kdf_oi 1 2 3 8 sha256
echo -n 4142 | k dh_compute_kdf_oi -x 1 2 3 8 sha256
echo -n 41zz | k dh_compute_kdf_oi -x 1 2 3 8 sha256
echo -n 41zz | k dh_compute_kdf_oi -x 1 2 3 -1 sha256
echo -n 41zz | k dh_compute_kdf_oi -x @bad 2 3 -1 sha256
k dh_compute_kdf_oi @bad 1 2 3 4 </dev/null
usage "dh_compute_kdf_oi" "dh_compute_kdf_oi -x 1 2 3 5" "dh_compute_kdf_oi -y 1 2 3 5 6" "dh_compute_kdf_oi 1 2 3 5 6 7"

# supports: capability listing and queries (exit 0/1/3).
k supports
k supports --raw
for c in capabilities persistent_keyrings dh_compute public_key big_key_type \
    key_invalidate restrict_keyring move_key ns_keyring_name ns_key_tag notify \
    pkey foo '' --RAW; do
    k supports "$c"
done
usage "supports a b"

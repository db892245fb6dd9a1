# newring, revoke, clear, invalidate
# A second newring of the same name in @s replaces the first keyring (which
# the kernel then collects in the background), so $r has a name of its own.
r=$(kq newring nr0 @s)
k newring nr1 @s
k newring nr1 @s
k newring '' @s
k newring nr2 12345
k newring nr3 @bad
k newring nr4 "$r"
kq add user x y "$r" >/dev/null
k list "$r"
k clear "$r"
k list "$r"
k clear 12345
key=$(kq add user ck x @s)
k clear "$key"
k clear @bad
usage "newring" "newring a" "newring a b c" "clear" "clear a b"
k revoke "$key"
k describe "$key"
k revoke "$key"
k revoke 12345
k revoke @bad
usage "revoke" "revoke a b"
i=$(kq add user inv x @s)
k invalidate "$i"
k describe "$i"
k invalidate 12345
k invalidate x
usage "invalidate" "invalidate a b"

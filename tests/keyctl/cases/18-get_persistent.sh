# get_persistent: attach the caller's persistent keyring to a keyring.
r=$(kq newring pr @s)
k get_persistent "$r"
k get_persistent "$r" 0
k get_persistent "$r" 0x0
k get_persistent "$r" x
k get_persistent "$r" 0x
k get_persistent "$r" ''
k get_persistent x
k get_persistent x y
k get_persistent 12345
k get_persistent @bad 0
k list "$r"
usage "get_persistent" "get_persistent a b c"

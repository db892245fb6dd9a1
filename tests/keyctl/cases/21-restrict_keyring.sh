# restrict_keyring
r=$(kq newring rk @s)
k restrict_keyring "$r"
k add user x y "$r"
r2=$(kq newring rk2 @s)
k restrict_keyring "$r2" asymmetric
k restrict_keyring "$r2" asymmetric builtin_trusted
k restrict_keyring "$r2" nosuchtype x
k restrict_keyring 12345
k restrict_keyring @bad
k restrict_keyring "$(kq add user u x @s)"
usage "restrict_keyring" "restrict_keyring a b c d"

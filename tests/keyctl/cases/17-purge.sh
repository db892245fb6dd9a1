# purge: by type, by type and description (-p prefix, -i case), by search.
setup() {
    r=$(kq newring r1 @s)
    kq add user Abc x "$r" >/dev/null
    kq add user abcdef x @s >/dev/null
    kq add user other x @s >/dev/null
    kq add user zz x "$r" >/dev/null
    kq link %user:zz @s
    kq add keyring ring-abc '' @s >/dev/null
}
setup
k show
k purge -s user abcdef
k purge -i user abc
k purge -i -p user abc
k purge -p user ab
k purge user
k show
k purge keyring
k show
setup
k purge -p -i user AB
k purge -ip user ab
k purge -pi user abc
k purge -si user zz
k purge -sfoo user other
k purge user zz
k show
k purge -s keyring r1
k purge nosuchtype
k purge user nosuch
usage "purge" "purge -x user" "purge -s user" "purge user a b" "purge user -p a" "purge -- user a" "purge - user a" "purge -p"

# show: the keyring tree, in decimal and hex.
k show
k show @s
k show -x
k show -x @s
r=$(kq newring ring1 @s)
kq add user inring "hello world" "$r" >/dev/null
s=$(kq newring sub "$r")
kq add user deep x "$s" >/dev/null
kq add user k2 $'\x01\x02bin' @s >/dev/null
kq add user last x @s >/dev/null
kq link "$s" @s
k show
k show -x
k show "$r"
k show -x "$s"
k show %user:k2
k show 1
k show @p
k show -y
k show -x -x
k show -x --
k show @s -x
k show x y z
usage "show a b" "show -x a b" "show -- @s"
# Nesting deeper than the tree printer goes.
p=@s
for i in 1 2 3 4 5 6 7 8 9 10; do p=$(kq newring "n$i" "$p"); done
k show
# Keys the caller may not view.
h=$(kq add user hidden x "$r")
kq setperm "$h" 0
k show "$r"
# Dead keys in the tree.
d=$(kq add user dead x @s)
kq revoke "$d"
k show

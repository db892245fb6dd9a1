# list, rlist
e=$(kq newring empty @s)
k list "$e"
k rlist "$e"
kq add user one x "$e" >/dev/null
k list "$e"
k rlist "$e"
kq add user two x "$e" >/dev/null
kq newring three "$e" >/dev/null
k list "$e"
k rlist "$e"
k list @s
h=$(kq add user hidden x "$e")
kq setperm "$h" 0
d=$(kq add user dead x "$e")
kq revoke "$d"
k list "$e"
k rlist "$e"
u=$(kq add user payload abcdefgh @s)
k list "$u"
k rlist "$u"
s=$(kq add user short abc @s)
k list "$s"
k rlist "$s"
k list 12345
k rlist 12345
k list @bad
usage "list" "list a b" "rlist" "rlist a b"

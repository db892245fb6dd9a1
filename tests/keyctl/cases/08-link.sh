# link, unlink, move
r1=$(kq newring l1 @s)
r2=$(kq newring l2 @s)
key=$(kq add user lk x "$r1")
k link "$key" "$r2"
k link "$key" "$key"
k link @s @s
k link "$r1" "$r1"
k link 12345 @s
k link "$key" 12345
k link x @s
k rlist "$r2"
k unlink "$key" "$r2"
k unlink "$key" "$r2"
k unlink "$key" @u
k unlink 12345
k unlink "$key"
k unlink "$key"
kq link "$r1" "$r2"
k unlink "$r1"
k show
usage "link" "link a" "link a b c" "unlink" "unlink a b c"
m=$(kq add user mv x @s)
k move "$m" @s "$r2"
k rlist "$r2"
k move "$m" @s "$r2"
kq add user mv y @s >/dev/null
k move "$m" "$r2" @s
k move -f "$m" "$r2" @s
k rlist @s
k move -f "$m" @s
k move -x "$m" @s "$r2"
k move "$m" @s "$r2" extra
k move 12345 @s "$r2"
k move @bad @s "$r2"
usage "move" "move a" "move a b" "move -f a b" "move -f a b c d"

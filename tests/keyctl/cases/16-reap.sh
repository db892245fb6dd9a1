# reap: unlink dead keys from the session tree.
k reap
k reap -v
r=$(kq newring rr @s)
d1=$(kq add user dead1 x @s)
d2=$(kq add user dead2 x "$r")
kq add user live x "$r" >/dev/null
h=$(kq add user hidden x "$r")
kq setperm "$h" 0
kq revoke "$d1"
kq timeout "$d2" 1
sleep 1.5
k show
k reap -v
k show
d3=$(kq add user dead3 x "$r")
kq revoke "$d3"
k reap
k reap -v -v
k reap -x
k reap x
usage "reap -v -v" "reap -x" "reap a"

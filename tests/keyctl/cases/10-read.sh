# read, pipe, print: hex dump, raw and printable-or-hex output.
k1=$(kq add user r1 "hello world" @s)
k2=$(kq add user r2 $'\x01\x02bin' @s)
k3=$(kq add -x user r3 "$(for i in $(seq 0 99); do printf '%02x' "$i"; done)" @s)
k4=$(kq add user r4 $'tab\there' @s)
k5=$(kq add -x user r5 7e7f80ff20 @s)
k6=$(kq add -x user r6 00 @s)
e=$(kq newring empty @s)
for c in read pipe print; do
    for key in "$k1" "$k2" "$k3" "$k4" "$k5" "$k6" "$e"; do
        k "$c" "$key"
    done
    k "$c" 12345
    k "$c" @bad
    usage "$c" "$c a b"
done
"$KEYCTL" pipe "$k3" | od -An -tx1 | head -n 3
d=$(kq add user dead x @s)
kq revoke "$d"
k read "$d"
k print "$d"
k pipe "$d"

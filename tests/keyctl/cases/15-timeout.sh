# timeout, security
key=$(kq add user t1 x @s)
k timeout "$key" 100
k timeout "$key" 0x10
k timeout "$key" 10x
k timeout "$key" -5
k timeout "$key" ''
k timeout "$key" 0
k timeout 12345 5
k timeout @bad x
k2=$(kq add user t2 x @s)
k timeout "$k2" 1
sleep 1.5
k describe "$k2"
k timeout "$k2" 5
usage "timeout" "timeout a" "timeout a b c"
k security "$key"
k security @s
k security 12345
k security @bad
usage "security" "security a b"

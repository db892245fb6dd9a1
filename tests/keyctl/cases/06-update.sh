# update / pupdate
key=$(kq add user u1 old @s)
k update "$key" new
k print "$key"
k update -x "$key" 414243
k print "$key"
k update -x "$key" 4142434
k update -x "$key" zz
k update "$key" ''
k update @s x
k update 12345 x
k update x x
k update -x x zz
usage "update" "update $key" "update -x $key" "update $key a b"
echo -n piped | k pupdate "$key"
k print "$key"
echo 44 45 | k pupdate -x "$key"
k print "$key"
echo 4 | k pupdate -x "$key"
k pupdate @bad </dev/null
k pupdate 12345 </dev/null
k pupdate @s </dev/null
usage "pupdate" "pupdate -x" "pupdate a b"

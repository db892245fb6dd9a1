# instantiate, pinstantiate, negate, reject: outside request-key there is no
# authorisation key, so the kernel refuses; the argument handling is checked.
key=$(kq add user i1 x @s)
k instantiate "$key" data @s
k instantiate -x "$key" 0g @s
k instantiate -x "$key" 00 @s
k instantiate "$key" data x
k instantiate x data @s
k instantiate 12345 data @s
usage "instantiate" "instantiate a" "instantiate a b" "instantiate -x a b" "instantiate a b c d"
echo -n data | k pinstantiate "$key" @s
echo -n 0g | k pinstantiate -x "$key" @s
echo -n 00 | k pinstantiate -x "$key" @s
k pinstantiate @bad @s </dev/null
k pinstantiate "$key" @bad </dev/null
usage "pinstantiate" "pinstantiate a" "pinstantiate -x a" "pinstantiate a b c"
k negate "$key" 10 @s
k negate "$key" x @s
k negate "$key" 10 x
k negate @bad x @s
usage "negate" "negate a b" "negate a b c d"
k reject "$key" 10 rejected @s
k reject "$key" 10 revoked @s
k reject "$key" 10 expired @s
k reject "$key" 10 64 @s
k reject "$key" 10 foo @s
k reject "$key" 10x 5 @s
k reject "$key" -1 5 @s
k reject x 10 5 @s
k reject "$key" 10 5 x
k reject 1 x y @bad
usage "reject" "reject a b c" "reject a b c d e"
k describe @a
k id @a

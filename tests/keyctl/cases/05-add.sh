# add / padd: create keys, with -x hex input and stdin input.
k add user a1 data @s
k add user a1 data2 @s
k add -x user h1 '01 02 0a' @s
k add -x user h2 $' 0a\t0B\n\r\v\f' @s
k add -x user h3 'aBcD' @s
k add -x user h4 '0102 0' @s
k add -x user h5 '01zz' @s
k add -x user h6 '0 1' @s
k add -x user h7 '1' @s
k add -x user h8 '01zz' @bad
k add -x user h9 '' @s
k add user e1 '' @s
k add user '' x @s
k add '' h x @s
k add nosuchtype h x @s
k add user h x 12345
k add user h x @bad
k add keyring kr '' @s
k add keyring kr2 x @s
k add -xy user h x @s
k add -y user h x @s
k add user h x @s -x
k add -x -x user h 01 @s
k add user "semi;colon" x @s
k print %user:h1
k print %user:h2
k print %user:h3
k show
usage "add" "add user" "add user h" "add user h x" "add -x user h x" "add user h x @s extra" "add -x"
# padd: data from stdin
echo -n stuff | k padd user p1 @s
k print %user:p1
printf '61 62\n63' | k padd -x user p2 @s
k print %user:p2
printf '6' | k padd -x user p3 @s
printf 'zz' | k padd -x user p3 @s
printf 'zz' | k padd -x user p3 @bad
printf 'data' | k padd user p4 @bad
k padd user p5 @s </dev/null
head -c 40000 /dev/zero | k padd user big @s
head -c 20000 /dev/zero | tr '\0' a | k padd user big2 @s
k read %user:big2 | head -c 300; echo
usage "padd" "padd user" "padd user d" "padd -x user d" "padd user d @s x"

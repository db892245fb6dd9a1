# id and the key specifiers shared by all commands.
k id @s
k id @t
k id @p
k id @u
k id @us
k id @g
k id @a
k id @x
k id @
k id @ss
r=$(kq newring "ring.$TAG" @s)
kq add user "foo.$TAG" bar @s >/dev/null
k id "%:ring.$TAG"
k id "%keyring:ring.$TAG"
k id "%user:foo.$TAG"
k id %:
k id %
k id %user
k id %user:
k id 12abc
k id 0x10
k id 0
k id ''
k id -1
k id -3
k id +5
k id ' 5'
k id 010
k id 0xffffffff
k id 99999999999
k id -99999999999
k id 4294967296
k id 99999999999999999999999
k id -99999999999999999999999
k id "$r"
usage "id" "id 1 2"

# search, request, request2, prequest2
r=$(kq newring sr @s)
kq add user s1 x "$r" >/dev/null
kq add user s2 x @s >/dev/null
k search @s user s2
k search @s user s1
k search "$r" user s1
k search @s user nope
k search @s user nope 12345
k search "$r" user s1 @s
k search 12345 user s1
k search @bad user s1
k search @s user s1 @bad
k search @s '' s1
usage "search" "search a" "search a b" "search a b c d e"
k request user s2
k request user s2 @s
k request user s1 "$r"
k request user nope
k request user s2 x
k request '' x
k request user ''
usage "request" "request a" "request a b c d"
k request2 nosuchtype nope info
k request2 user s2 info
k request2 user s2 info "$r"
k request2 user s2 info @bad
usage "request2" "request2 a" "request2 a b" "request2 a b c d e"
echo -n info | k prequest2 user s2
echo -n info | k prequest2 user s2 "$r"
echo -n info | k prequest2 nosuchtype nope
k prequest2 user s2 @bad </dev/null
usage "prequest2" "prequest2 a" "prequest2 a b c d"

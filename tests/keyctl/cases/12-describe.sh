# describe, rdescribe
key=$(kq add user "d1" x @s)
k describe @s
k describe "$key"
k rdescribe "$key"
k rdescribe "$key" :
k rdescribe "$key" '::'
k rdescribe "$key" ' '
k rdescribe "$key" ''
kq add user "semi;colon;desc" x @s >/dev/null
k describe "%user:semi;colon;desc"
k rdescribe "%user:semi;colon;desc" /
k describe 12345
k rdescribe 12345
k describe @bad
kq setperm "$key" 0x3f3f0000
k describe "$key"
kq setperm "$key" 077
k describe "$key"
k rdescribe "$key"
usage "describe" "describe a b" "rdescribe" "rdescribe a b c"

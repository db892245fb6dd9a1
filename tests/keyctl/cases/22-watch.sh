# watch*: this kernel has no key notifications (pipe2 O_NOTIFICATION_PIPE
# fails with ENOPKG); the option parsing and failures are compared.
k watch @s
k watch -fi @s
k watch @s -fi
k watch -fiplncrvs @s
k watch -f @s
k watch -fz @s
k watch -y @s
k watch nokey
k watch -f
usage "watch" "watch @s x" "watch -fi"
k watch_add 3 @s
k watch_add x @s
k watch_add 3 x
k watch_add 0 @s
usage "watch_add" "watch_add 3" "watch_add 3 @s x"
k watch_rm 3 @s
k watch_rm 7 8
k watch_rm 3 x
usage "watch_rm" "watch_rm 3" "watch_rm 3 @s x"
k watch_sync 3
k watch_sync 1 </dev/null
k watch_sync x </dev/null
k watch_sync 0 </dev/null
usage "watch_sync" "watch_sync 1 2"
k watch_session "$T/log" "$T/gc" 3 true
k watch_session "$T/log" "$T/gc" 1 true
k watch_session "$T/log" "$T/gc" x true
k watch_session "$T/log" "$T/gc" 10 true
k watch_session -n "ws.$TAG" "$T/log" "$T/gc" 3 true
k watch_session -d "$T/log" "$T/gc" 3 true
k watch_session -fzz "$T/log" "$T/gc" 3 true
k watch_session -y "$T/log" "$T/gc" 3 true
k watch_session "$T/log" "$T/gc" 3 true -y
ls "$T"
usage "watch_session" "watch_session a b 3" "watch_session -n x a b 3"

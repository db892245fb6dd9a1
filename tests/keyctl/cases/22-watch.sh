# watch*: key notifications.  A kernel without them (no CONFIG_KEY_NOTIFICATIONS:
# pipe2(O_NOTIFICATION_PIPE) fails with ENOPKG) makes every command fail at
# once.  A kernel with them makes `watch` wait for events until it is killed,
# so every command that may wait runs under K_TIMEOUT.  The waiting watches are
# on a key of their own, which nothing else changes: no events, no output but
# what keyctl says when it is told to stop.
w=$(kq add user watched x @s)
K_TIMEOUT=1
k watch "$w"
k watch -fi "$w"
k watch "$w" -fi
k watch -fiplncrvs "$w"
K_TIMEOUT=
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
# watch_session ends when its program does; the bound is only a safety net.
K_TIMEOUT=20
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
# What a watch sees, where the kernel has notifications: the program adds a
# key to the watched session keyring, then waits (watch_sync) until the
# monitor has read the queue, so the logs are complete when it ends.  Without
# notifications watch_session fails before any of this and there are no logs.
k watch_session "$T/ev.log" "$T/ev.gc" 3 \
    bash -c '"$KEYCTL" add user ev x @s >/dev/null && "$KEYCTL" watch_sync 3'
cat "$T/ev.log" "$T/ev.gc" 2>&1
K_TIMEOUT=
usage "watch_session" "watch_session a b 3" "watch_session -n x a b 3"

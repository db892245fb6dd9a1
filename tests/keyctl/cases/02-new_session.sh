# new_session: give the parent (a shell) a new session keyring.
before=$(kq id @s)
bash -c '"$KEYCTL" id @s; "$KEYCTL" new_session >/dev/null; "$KEYCTL" rdescribe @s; "$KEYCTL" id @s' >"$T/ns"
echo "session before: $before"
cat "$T/ns"
bash -c '"$KEYCTL" new_session "ns.$TAG" >/dev/null && "$KEYCTL" rdescribe @s && "$KEYCTL" show'
bash -c 'x=$("$KEYCTL" new_session); y=$("$KEYCTL" id @s); [ "$x" = "$y" ] && echo printed-serial-is-new-session'
k id @s
[ "$(kq id @s)" = "$before" ] && echo own-session-unchanged
k new_session a b

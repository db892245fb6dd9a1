# %type:name lookups that find nothing: the library falls back to scanning
# /proc/keys, which the original library cannot parse when another process
# has a key with a description of thousands of bytes (it crashes; both
# programs then crash alike).  Kept apart because /proc/keys is shared with
# every other process on the machine.
# The limits case just before drops keys of 4095-byte descriptions, which stay
# in /proc/keys until the kernel's collector runs: wait (at most 10 s) until
# no line is that long, so both programs see the same /proc/keys.
for _ in $(seq 100); do
    awk 'length > 1000 { long = 1 } END { exit !long }' /proc/keys || break
    sleep 0.1
done
k id "%user:nope.$TAG"
k id "%:nope.$TAG"
k id "%nosuchtype:x.$TAG"
k id "%:a:b.$TAG"
k add user h x "%:nope.$TAG"
k show "%user:nope.$TAG"

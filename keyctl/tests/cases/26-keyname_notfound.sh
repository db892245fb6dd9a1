# %type:name lookups that find nothing: the library falls back to scanning
# /proc/keys, which the original library cannot parse when another process
# has a key with a description of thousands of bytes (it crashes; both
# programs then crash alike).  Kept apart because /proc/keys is shared with
# every other process on the machine.
k id "%user:nope.$TAG"
k id "%:nope.$TAG"
k id "%nosuchtype:x.$TAG"
k id "%:a:b.$TAG"
k add user h x "%:nope.$TAG"
k show "%user:nope.$TAG"

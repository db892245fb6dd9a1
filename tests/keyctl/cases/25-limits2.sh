# keyctl --test limits2: user key payload sizes (slow: a million add_key calls).
k --test limits2

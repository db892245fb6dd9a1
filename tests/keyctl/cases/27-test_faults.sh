# Failure reports of "keyctl --test limits/limits2", provoked by an LD_PRELOAD
# shim (fault/addkey_fault.c) that makes chosen add_key() calls fail or
# pretend to succeed.  limits makes two calls per size (type, description);
# limits2 one per payload size.
here=$(dirname "${BASH_SOURCE[0]}")/..
# (KEYCTL_FAULT_SO: a shim built beforehand, for machines without gcc such as the VM lab's)
if [ -n "${KEYCTL_FAULT_SO:-}" ]; then
    cp "$KEYCTL_FAULT_SO" "$T/fault.so"
elif ! gcc -Wall -Wextra -Werror -shared -fPIC -I"${KEYUTILS_INCLUDE:-/usr/include}" \
    -o "$T/fault.so" "$here/fault/addkey_fault.c" -ldl; then
    echo "SETUP FAILED: cannot build the add_key fault shim (gcc needed)"
fi
LD_PRELOAD=$T/fault.so ADD_KEY_FAULTS="0:-122,3:-122,4:12345,65:-22,66:-1,67:1234567,200:-22,8193:99,16383:-22" \
    k --test limits
faults=$(for i in $(seq 1 25); do printf '%d:-1,' $((i * 7)); done)
LD_PRELOAD=$T/fault.so ADD_KEY_FAULTS=$faults k --test limits
# EDQUOT is tolerated, EINVAL is wrong below 32768; then enough EPERMs to
# make it abort (more than 20 failures) instead of running a million calls.
faults=$(for i in $(seq 0 30); do printf '%d:-%d,' "$i" $((i % 3 == 0 ? 22 : 122)); done)
faults=$faults$(for i in $(seq 31 60); do printf '%d:-1,' "$i"; done)
LD_PRELOAD=$T/fault.so ADD_KEY_FAULTS="${faults}32768:777" k --test limits2
faults=$(for i in $(seq 1 30); do printf '%d:-5,' "$i"; done)
LD_PRELOAD=$T/fault.so ADD_KEY_FAULTS="0:777,$faults" k --test limits2

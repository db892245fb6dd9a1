# keyctl --test limits: type and description length limits of the kernel.
k --test limits
usage "--test limits x" "--test limits2 x"

/* A library without keyutils' fallbacks, LD_PRELOADed by run.sh to show that fallbacks.c fails
 * on it: keyctl_reject here is only the KEYCTL_REJECT system call. */
#define _GNU_SOURCE
#include <keyutils.h>
#include <sys/syscall.h>
#include <unistd.h>

long keyctl_reject(key_serial_t id, unsigned timeout, unsigned error, key_serial_t ringid)
{
	return syscall(SYS_keyctl, KEYCTL_REJECT, id, timeout, error, ringid);
}

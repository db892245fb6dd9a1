/* interpose: a program that defines keyctl() and request_key() sees the calls the library makes,
 * as with keyutils, whose wrappers reach keyctl(2) through its exported weak `keyctl` symbol and
 * whose find_key_by_type_and_desc calls `request_key`. Held to the same result on both
 * libraries. */
#include "hcommon.h"

#include <sys/syscall.h>

static int keyctl_calls, request_key_calls;
static long last_cmd = -1;

long keyctl(int cmd, ...)
{
	unsigned long a[4];
	va_list ap;

	va_start(ap, cmd);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	keyctl_calls++;
	last_cmd = cmd;
	return syscall(SYS_keyctl, cmd, a[0], a[1], a[2], a[3]);
}

key_serial_t request_key(const char *type, const char *desc, const char *info, key_serial_t dest)
{
	request_key_calls++;
	return syscall(SYS_request_key, type, desc, info, dest);
}

int main(int argc, char **argv)
{
	const char *lib = argc > 1 ? argv[1] : "?";
	key_serial_t ses, key, found;
	char desc[64];

	h_prove_library("interpose");
	ses = h_fresh_session("interpose");
	snprintf(desc, sizeof(desc), "interpose-%d", (int)getpid());
	key = add_key("user", desc, "x", 1, ses);
	h_check(key > 0, "[%s] interpose: a user key", lib);

	keyctl_calls = 0;
	h_check(keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 0) == ses && keyctl_calls == 1 &&
			last_cmd == KEYCTL_GET_KEYRING_ID,
		"[%s] keyctl_get_keyring_ID goes through the program's keyctl()", lib);
	keyctl_calls = 0;
	h_check(keyctl_set_timeout(key, 1000) == 0 && keyctl_calls == 1 && last_cmd == KEYCTL_SET_TIMEOUT,
		"[%s] keyctl_set_timeout goes through the program's keyctl()", lib);

	keyctl_calls = request_key_calls = 0;
	found = find_key_by_type_and_desc("user", desc, 0);
	h_check(found == key && request_key_calls == 1 && keyctl_calls == 0,
		"[%s] find_key_by_type_and_desc goes through the program's request_key() (found %d, "
		"request_key calls %d, keyctl calls %d)",
		lib, found, request_key_calls, keyctl_calls);

	keyctl_calls = 0;
	h_check(keyctl_revoke(key) == 0 && keyctl_calls == 1 && last_cmd == KEYCTL_REVOKE,
		"[%s] keyctl_revoke goes through the program's keyctl()", lib);
	return h_finish();
}

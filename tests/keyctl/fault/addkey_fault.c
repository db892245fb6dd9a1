/*
 * LD_PRELOAD shim that makes chosen add_key() calls misbehave, so that the
 * failure reports of "keyctl --test limits/limits2" can be compared between
 * Debian's keyctl and ours.  Both call add_key() through libkeyutils'
 * dynamic symbol, so the shim interposes on both alike.
 *
 * ADD_KEY_FAULTS="N:R,N:R,..." : the N-th call (counting from 0) returns R
 * instead of calling the real add_key(): R < 0 means fail with errno -R,
 * R > 0 means "succeed" with serial R (a key that does not exist).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <keyutils.h>

static long call_no;

key_serial_t add_key(const char *type, const char *description,
		     const void *payload, size_t plen, key_serial_t ringid)
{
	typedef key_serial_t (*real_t)(const char *, const char *,
				       const void *, size_t, key_serial_t);
	static real_t real;
	const char *spec = getenv("ADD_KEY_FAULTS");
	long n = call_no++;

	while (spec && *spec) {
		char *end;
		long idx = strtol(spec, &end, 10);
		long ret;

		if (*end != ':')
			break;
		ret = strtol(end + 1, &end, 10);
		if (idx == n) {
			if (ret < 0) {
				errno = (int)-ret;
				return -1;
			}
			return (key_serial_t)ret;
		}
		spec = (*end == ',') ? end + 1 : "";
	}

	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "add_key");

		memcpy(&real, &sym, sizeof(real));
		if (!real) {
			errno = ENOSYS;
			return -1;
		}
	}
	return real(type, description, payload, plen, ringid);
}

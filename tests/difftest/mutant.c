/* Self-test of the harness: an LD_PRELOAD shim that makes
 * keyctl_read_alloc() lose the last byte of every non-empty result.
 * run.sh runs difftest once more with it and asserts that compare.py
 * reports differences; a harness that cannot see this is broken. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

typedef int (*read_alloc_fn)(int id, void **buffer);

int keyctl_read_alloc(int id, void **buffer)
{
	static read_alloc_fn real;
	int ret;

	if (!real)
		real = (read_alloc_fn)dlsym(RTLD_NEXT, "keyctl_read_alloc");
	if (!real)
		return -1;
	ret = real(id, buffer);
	if (ret > 0) {
		ret--;
		((char *)*buffer)[ret] = 0;
	}
	return ret;
}

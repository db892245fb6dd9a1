/* Self-test of asan.sh and valgrind.sh: leaks one keyctl_describe_alloc result on purpose. The
 * tools must report it as a definite leak, which shows that they see the library's mallocs. */
#include "hcommon.h"

int main(void)
{
	char *desc = NULL;
	int n;

	h_prove_library("leak");
	h_fresh_session("leak");
	n = keyctl_describe_alloc(KEY_SPEC_SESSION_KEYRING, &desc);
	printf("# described the session keyring in %d bytes: %s\n", n, n > 0 ? desc : "");
	desc = NULL; /* the only pointer to the buffer is gone: a definite leak */
	return n > 0 ? 0 : 1;
}

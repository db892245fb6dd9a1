/* instantiate, instantiate_iov, negate, reject and assume_authority on their
 * error paths: without an assumed request-key authorisation key, the kernel
 * refuses them.  (The success paths need a real request-key upcall; the
 * differential suite drives those.) */
#include "common.h"

#include <sys/uio.h>

int main(void)
{
	key_serial_t ses = t_init("instantiate");
	key_serial_t id = add_key("user", t_uniq("inst"), "x", 1, ses);
	struct iovec iov[2] = { { (void *)"ab", 2 }, { (void *)"cd", 2 } };
	char buf[8];

	CHECK(id > 0, "setup key");
	CHECK_ERR(keyctl_instantiate(id, "data", 4, ses), EPERM,
		  "instantiate without authority: EPERM");
	CHECK_ERR(keyctl_instantiate(id, NULL, 0, 0), EPERM,
		  "instantiate NULL payload without authority: EPERM");
	CHECK_ERR(keyctl_instantiate_iov(id, iov, 2, ses), EPERM,
		  "instantiate_iov without authority: EPERM");
	CHECK_ERR(keyctl_instantiate_iov(id, NULL, 0, 0), EPERM,
		  "instantiate_iov empty without authority: EPERM");
	CHECK_ERR(keyctl_negate(id, 10, ses), EPERM, "negate without authority: EPERM");
	CHECK_ERR(keyctl_negate(id, 0, 0), EPERM, "negate(timeout 0) without authority: EPERM");
	CHECK_ERR(keyctl_reject(id, 10, EKEYREJECTED, ses), EPERM,
		  "reject without authority: EPERM");
	CHECK_ERR(keyctl_reject(id, 10, ENOKEY, 0), EPERM,
		  "reject(ENOKEY) without authority: EPERM");
	CHECK_ERR(keyctl_instantiate(NOKEY, "x", 1, 0), EPERM,
		  "instantiate nonexistent key: EPERM");

	CHECK_ERR(keyctl_assume_authority(id), ENOKEY,
		  "assume_authority for a key under no construction: ENOKEY");
	CHECK_ERR(keyctl_assume_authority(NOKEY), ENOKEY,
		  "assume_authority nonexistent: ENOKEY");
	CHECK_ERR(keyctl_assume_authority(-1), EINVAL,
		  "assume_authority(-1): EINVAL");
	CHECK_RET(keyctl_assume_authority(0), 0, "assume_authority(0) drops authority");
	CHECK_ERR(keyctl_get_keyring_ID(KEY_SPEC_REQKEY_AUTH_KEY, 0), ENOKEY,
		  "no authorisation key assumed: -7 resolves to nothing");

	/* The key stays as it was: these calls changed nothing. */
	CHECK_RET(keyctl_read(id, buf, sizeof(buf)), 1, "key untouched by refused calls");
	CHECK_MEM(buf, "x", 1, "key payload untouched");
	keyctl_clear(ses);
	return t_done();
}

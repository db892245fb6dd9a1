/* keyctl_pkey_query/encrypt/decrypt/sign/verify on an X.509 certificate
 * made at test time with openssl, and keyctl_dh_compute/_kdf.
 * This kernel has no PKCS#8 parser (no private asymmetric keys) and no
 * Diffie-Hellman: those paths are checked for their exact errors. A kernel
 * that parses PKCS#8 gets sign and decrypt with the private key, checked
 * against openssl; one with Diffie-Hellman gets RFC 5114's published vectors
 * (rfc5114.h). */
#include "common.h"
#include "rfc5114.h"

#include <sys/stat.h>

static char dir[64];

static long slurp(const char *name, unsigned char *buf, size_t len)
{
	char path[128];
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	n = (long)fread(buf, 1, len, f);
	fclose(f);
	return n;
}

static int spit(const char *name, const void *buf, size_t len)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024], full[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && { %s; } >/dev/null 2>&1", dir, cmd);
	return system(full);
}

static void cleanup(void)
{
	if (dir[0])
		sh("rm -f cert.der key.pem key8.der msg dgst sig enc dec pub.pem ksig ct");
	if (dir[0])
		rmdir(dir);
}

/* A verify the kernel refuses, with EINVAL or EBADMSG depending on the kernel and the key: the
 * library answers what the system call answers. */
static void verify_refused(key_serial_t id, const char *info, const void *dgst, const void *sig,
			   const char *what)
{
	struct keyctl_pkey_params pp = { .key_id = id, .in_len = 32, .in2_len = 256 };

	long r;
	int e;

	errno = 0;
	r = keyctl_pkey_verify(id, info, dgst, 32, sig, 256);
	e = errno;
	CHECK(r == -1 && (e == EINVAL || e == EBADMSG), "pkey_verify %s: EINVAL or EBADMSG (%s)", what,
	      strerror(e));
	CHECK_AS_RAW(keyctl_pkey_verify(id, info, dgst, 32, sig, 256),
		     syscall(SYS_keyctl, KEYCTL_PKEY_VERIFY, &pp, info, dgst, sig),
		     "pkey_verify %s answers as the kernel", what);
}

/* The kernel holds the private key (priv) too: what it signs and decrypts, checked against openssl
 * as the other party. PKCS#1 v1.5 signatures are deterministic, so the kernel's must be openssl's
 * (osig, of the same digest) byte for byte. id is the certificate's public key. */
static void test_private(key_serial_t priv, key_serial_t id, const unsigned char *dgst,
			 const unsigned char *osig, const char *msg)
{
	size_t mlen = strlen(msg);
	unsigned char out[300], ct[300];
	struct keyctl_pkey_query q;
	long n;

	memset(&q, CANARY, sizeof(q));
	CHECK_RET(keyctl_pkey_query(priv, "enc=pkcs1", &q), 0, "pkey_query the private key");
	CHECK_EQ(q.supported_ops, KEYCTL_SUPPORTS_ENCRYPT | KEYCTL_SUPPORTS_DECRYPT |
		 KEYCTL_SUPPORTS_SIGN | KEYCTL_SUPPORTS_VERIFY,
		 "private key supports encrypt, decrypt, sign and verify");
	CHECK_EQ(q.key_size, 2048, "private key_size 2048 bits");
	CHECK(q.max_data_size == 256 && q.max_sig_size == 256 && q.max_enc_size == 256 &&
	      q.max_dec_size == 256, "private key's max sizes are 256 bytes");

	/* sign: the kernel answers the signature's length */
	memset(out, CANARY, sizeof(out));
	CHECK_RET(keyctl_pkey_sign(priv, "enc=pkcs1 hash=sha256", dgst, 32, out, 256), 256,
		  "pkey_sign with the private key returns 256 bytes");
	CHECK_CANARY(out, 256, sizeof(out), "pkey_sign writes nothing past 256 bytes");
	CHECK_MEM(out, osig, 256, "pkey_sign's signature is openssl's, byte for byte");
	CHECK(spit("ksig", out, 256) == 0 &&
	      sh("openssl pkey -in key.pem -pubout -out pub.pem && "
		 "openssl dgst -sha256 -verify pub.pem -signature ksig msg") == 0,
	      "openssl verifies pkey_sign's signature");
	CHECK_RET(keyctl_pkey_verify(id, "enc=pkcs1 hash=sha256", dgst, 32, out, 256), 0,
		  "pkey_verify with the certificate accepts pkey_sign's signature");

	/* decrypt what openssl encrypted: the kernel answers the plaintext's length */
	n = sh("openssl pkeyutl -encrypt -pubin -inkey pub.pem -in msg -out ct "
	       "-pkeyopt rsa_padding_mode:pkcs1") == 0 ? slurp("ct", ct, sizeof(ct)) : -1;
	CHECK_EQ(n, 256, "openssl encrypts the message to 256 bytes");
	memset(out, CANARY, sizeof(out));
	CHECK_RET(keyctl_pkey_decrypt(priv, "enc=pkcs1", ct, 256, out, 256), (long)mlen,
		  "pkey_decrypt of openssl's ciphertext returns the message's length");
	CHECK_MEM(out, msg, mlen, "pkey_decrypt of openssl's ciphertext is the message");
	CHECK_CANARY(out, mlen, sizeof(out), "pkey_decrypt writes nothing past the message");

	/* round trip: the certificate encrypts, the private key decrypts */
	memset(ct, CANARY, sizeof(ct));
	CHECK_RET(keyctl_pkey_encrypt(id, "enc=pkcs1", msg, mlen, ct, 256), 256,
		  "pkey_encrypt with the certificate for the round trip");
	memset(out, CANARY, sizeof(out));
	CHECK_RET(keyctl_pkey_decrypt(priv, "enc=pkcs1", ct, 256, out, 256), (long)mlen,
		  "round trip: pkey_decrypt returns the message's length");
	CHECK_MEM(out, msg, mlen, "round trip: pkey_decrypt gives the message back");
	CHECK_CANARY(out, mlen, sizeof(out), "round trip: pkey_decrypt writes nothing past it");
}

static void test_pkey(key_serial_t ses)
{
	static unsigned char cert[4096], key8[4096], dgst[64], sig[512], dec[64];
	static const char msg[] = "hello, keyutils";
	unsigned char out[300], in[300];
	struct keyctl_pkey_query q, zero_spare;
	key_serial_t id, uk, priv = 0;
	long certlen, key8len, dlen, slen, n;

	CHECK(sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -outform DER "
		 "-out cert.der -subj /CN=ctest-pkey -days 2") == 0,
	      "openssl makes an RSA-2048 self-signed certificate");
	CHECK(sh("openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key8.der") == 0,
	      "openssl writes the private key as PKCS#8 DER");
	certlen = slurp("cert.der", cert, sizeof(cert));
	key8len = slurp("key8.der", key8, sizeof(key8));
	CHECK(certlen > 0 && key8len > 0, "read certificate and key");

	id = add_key("asymmetric", "", cert, (size_t)certlen, ses);
	CHECK(id > 0, "add_key asymmetric X.509 certificate");
	{
		char d[256];

		keyctl_describe(id, d, sizeof(d));
		CHECK(strncmp(d, "asymmetric;0;0;39010000;ctest-pkey: ", 36) == 0,
		      "certificate key description (%s)", d);
	}
	/* Whether the kernel parses PKCS#8 private keys (pkcs8_key_parser, often a module) shows only
	 * by trying: the system call first, then the library must answer the same. */
	{
		const char *d8 = t_uniq("pkcs8"), *d8lib = t_uniq("pkcs8-lib");
		long w, r;
		int ew, er;

		/* A PKCS#8 key carries no name the kernel could describe it by: it needs one. Each call
		 * gets its own: on Debian 12's 6.1 kernel, with one name for both, unlinking the system
		 * call's key left the library's answering ENOKEY (measured), and the library's key is
		 * kept for test_private(). */
		errno = 0;
		w = syscall(SYS_add_key, "asymmetric", d8, key8, (size_t)key8len, ses);
		ew = errno;
		errno = 0;
		r = add_key("asymmetric", d8lib, key8, (size_t)key8len, ses);
		er = errno;
		if (w == -1 && ew == EBADMSG) {
			printf("# the kernel has no PKCS#8 parser: its error path\n");
			CHECK(r == -1 && er == EBADMSG,
			      "add_key PKCS#8 private key (no parser in the kernel): EBADMSG");
		} else {
			printf("# the kernel parses PKCS#8 (system call: %ld, %s)\n", w, strerror(ew));
			CHECK(w > 0 && r > 0, "add_key PKCS#8 private key: a key, as the system call made");
			if (w > 0)
				keyctl_unlink((key_serial_t)w, ses);
			/* the library's key stays for test_private() */
			if (r > 0)
				priv = (key_serial_t)r;
		}
	}

	/* query */
	memset(&q, CANARY, sizeof(q));
	CHECK_RET(keyctl_pkey_query(id, "enc=pkcs1", &q), 0, "pkey_query enc=pkcs1");
	CHECK_EQ(q.supported_ops, KEYCTL_SUPPORTS_ENCRYPT | KEYCTL_SUPPORTS_VERIFY,
		 "public key supports encrypt and verify only");
	CHECK_EQ(q.key_size, 2048, "key_size 2048 bits");
	CHECK(q.max_data_size == 256 && q.max_sig_size == 256 && q.max_enc_size == 256 &&
	      q.max_dec_size == 256, "max sizes are 256 bytes");
	memset(&zero_spare, 0, sizeof(zero_spare));
	CHECK_MEM(q.__spare, zero_spare.__spare, sizeof(q.__spare), "query __spare zeroed");
	memset(&q, CANARY, sizeof(q));
	CHECK_RET(keyctl_pkey_query(id, "", &q), 0, "pkey_query with empty info (raw)");
	/* Kernels before 6.5 also list verify for raw RSA; encrypt without decrypt or sign holds on
	 * every kernel (a public key). */
	CHECK((q.supported_ops & KEYCTL_SUPPORTS_ENCRYPT) &&
	      !(q.supported_ops & (KEYCTL_SUPPORTS_DECRYPT | KEYCTL_SUPPORTS_SIGN)),
	      "raw RSA: encrypt, neither decrypt nor sign (0x%x)", q.supported_ops);
	memset(&q, CANARY, sizeof(q));
	CHECK_ERR(keyctl_pkey_query(id, "enc=bogus", &q), EINVAL, "pkey_query bad info: EINVAL");
	CHECK_CANARY(&q, 0, sizeof(q), "failed query leaves the result untouched");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_pkey_query(id, NULL, &q), EFAULT, "pkey_query NULL info: EFAULT");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_pkey_query(id, "enc=pkcs1", NULL), EFAULT, "pkey_query NULL result: EFAULT");
	uk = add_key("user", t_uniq("notasym"), "x", 1, ses);
	CHECK_ERR(keyctl_pkey_query(uk, "enc=pkcs1", &q), EOPNOTSUPP,
		  "pkey_query on a user key: EOPNOTSUPP");
	CHECK_CANARY(&q, 0, sizeof(q), "query on a user key leaves the result untouched");
	CHECK_ERR(keyctl_pkey_query(NOKEY, "enc=pkcs1", &q), ENOKEY, "pkey_query nonexistent: ENOKEY");

	/* encrypt: openssl decrypts the result with the private key */
	memset(out, CANARY, sizeof(out));
	CHECK_RET(keyctl_pkey_encrypt(id, "enc=pkcs1", msg, strlen(msg), out, 256), 256,
		  "pkey_encrypt returns 256 bytes");
	CHECK_CANARY(out, 256, sizeof(out), "pkey_encrypt writes nothing past 256 bytes");
	CHECK(spit("enc", out, 256) == 0 &&
	      sh("openssl pkeyutl -decrypt -inkey key.pem -in enc -out dec "
		 "-pkeyopt rsa_padding_mode:pkcs1") == 0,
	      "openssl decrypts the ciphertext");
	dlen = slurp("dec", dec, sizeof(dec));
	CHECK(dlen == (long)strlen(msg) && memcmp(dec, msg, strlen(msg)) == 0,
	      "decrypted ciphertext is the plaintext");
	memset(out, CANARY, sizeof(out));
	CHECK_ERR(keyctl_pkey_encrypt(id, "enc=pkcs1", msg, strlen(msg), out, 257), EINVAL,
		  "pkey_encrypt with out_len above max_enc_size: EINVAL");
	CHECK_CANARY(out, 0, sizeof(out), "refused encrypt writes nothing");
	memset(in, 'x', sizeof(in));
	CHECK_ERR(keyctl_pkey_encrypt(id, "enc=pkcs1", in, 250, out, 256), EOVERFLOW,
		  "pkey_encrypt of 250 bytes (too long for PKCS#1 padding): EOVERFLOW");
	CHECK_ERR(keyctl_pkey_encrypt(id, "enc=pkcs1", in, 257, out, 256), EINVAL,
		  "pkey_encrypt with in_len above max: EINVAL");
	if (t_bad_pointers())
		CHECK_ERR(keyctl_pkey_encrypt(id, "enc=pkcs1", msg, strlen(msg), NULL, 256), EFAULT,
			  "pkey_encrypt to NULL: EFAULT");
	CHECK_ERR(keyctl_pkey_encrypt(uk, "enc=pkcs1", msg, strlen(msg), out, 256), EOPNOTSUPP,
		  "pkey_encrypt with a user key: EOPNOTSUPP");
	CHECK_ERR(keyctl_pkey_encrypt(NOKEY, "enc=pkcs1", msg, strlen(msg), out, 256), ENOKEY,
		  "pkey_encrypt nonexistent: ENOKEY");

	/* verify an openssl signature */
	CHECK(spit("msg", msg, strlen(msg)) == 0 &&
	      sh("openssl dgst -sha256 -binary -out dgst msg && "
		 "openssl dgst -sha256 -sign key.pem -out sig msg") == 0,
	      "openssl signs a SHA-256 digest");
	dlen = slurp("dgst", dgst, sizeof(dgst));
	slen = slurp("sig", sig, sizeof(sig));
	CHECK(dlen == 32 && slen == 256, "digest 32 bytes, signature 256 bytes");
	CHECK_RET(keyctl_pkey_verify(id, "enc=pkcs1 hash=sha256", dgst, 32, sig, 256), 0,
		  "pkey_verify accepts openssl's signature");
	dgst[0] ^= 1;
	CHECK_ERR(keyctl_pkey_verify(id, "enc=pkcs1 hash=sha256", dgst, 32, sig, 256),
		  EKEYREJECTED, "pkey_verify of another digest: EKEYREJECTED");
	dgst[0] ^= 1;
	/* A corrupted signature is refused as bad padding (EINVAL) or, when the damaged value happens
	 * to decode, as a bad message (EBADMSG): which one depends on the random key of this run. */
	sig[10] ^= 1;
	verify_refused(id, "enc=pkcs1 hash=sha256", dgst, sig, "of a corrupted signature");
	sig[10] ^= 1;
	/* A SHA-1 verify of a 32-byte digest: refused up front (EINVAL) by kernels that size the
	 * digest by the hash (6.13 on), as a bad message (EBADMSG) by older ones. */
	verify_refused(id, "enc=pkcs1 hash=sha1", dgst, sig, "with a mismatched hash size");
	CHECK_ERR(keyctl_pkey_verify(uk, "enc=pkcs1 hash=sha256", dgst, 32, sig, 256),
		  EOPNOTSUPP, "pkey_verify with a user key: EOPNOTSUPP");
	CHECK_ERR(keyctl_pkey_verify(NOKEY, "enc=pkcs1 hash=sha256", dgst, 32, sig, 256),
		  ENOKEY, "pkey_verify nonexistent: ENOKEY");

	/* sign and decrypt need the private key, which this kernel cannot load */
	memset(out, CANARY, sizeof(out));
	CHECK_ERR(keyctl_pkey_sign(id, "enc=pkcs1 hash=sha256", dgst, 32, out, 256), EINVAL,
		  "pkey_sign with a public key: EINVAL");
	CHECK_CANARY(out, 0, sizeof(out), "refused sign writes nothing");
	CHECK_ERR(keyctl_pkey_decrypt(id, "enc=pkcs1", sig, 256, out, 256), EINVAL,
		  "pkey_decrypt with a public key: EINVAL");
	CHECK_CANARY(out, 0, sizeof(out), "refused decrypt writes nothing");
	CHECK_ERR(keyctl_pkey_sign(uk, "enc=pkcs1 hash=sha256", dgst, 32, out, 256), EOPNOTSUPP,
		  "pkey_sign with a user key: EOPNOTSUPP");
	CHECK_ERR(keyctl_pkey_decrypt(uk, "enc=pkcs1", sig, 256, out, 256), EOPNOTSUPP,
		  "pkey_decrypt with a user key: EOPNOTSUPP");
	CHECK_ERR(keyctl_pkey_sign(NOKEY, "enc=pkcs1 hash=sha256", dgst, 32, out, 256), ENOKEY,
		  "pkey_sign nonexistent: ENOKEY");
	CHECK_ERR(keyctl_pkey_decrypt(NOKEY, "enc=pkcs1", sig, 256, out, 256), ENOKEY,
		  "pkey_decrypt nonexistent: ENOKEY");

	if (priv > 0) {
		test_private(priv, id, dgst, sig, msg);
		CHECK_EQ(keyctl_unlink(priv, ses), 0, "unlink the private key");
	}
	n = keyctl_unlink(id, ses);
	CHECK_EQ(n, 0, "unlink certificate key");
}

/* The kernel has DH: RFC 5114 A.2's published answers (see rfc5114.h), for both parties. A
 * result is len(p) = 256 bytes (the kernel pads with leading zeros; these results need none),
 * and a buffer one byte shorter gets EOVERFLOW (measured on Debian 12's 6.1 arm64 kernel). */
static void test_dh_vectors(key_serial_t ses)
{
	key_serial_t p = rfc5114_key("p", rfc5114_p, ses), g = rfc5114_key("g", rfc5114_g, ses);
	key_serial_t xa = rfc5114_key("xA", rfc5114_xa, ses), xb = rfc5114_key("xB", rfc5114_xb, ses);
	key_serial_t ya = rfc5114_key("yA", rfc5114_ya, ses), yb = rfc5114_key("yB", rfc5114_yb, ses);
	unsigned char want_ya[256], want_yb[256], want_z[256], kdf_oi[64], kdf[32];
	unsigned char buf[300];
	char hash[] = "sha256", other[] = RFC5114_KDF_OTHERINFO;
	size_t olen = sizeof(other) - 1;
	static const size_t lens[] = { 32, 40, 64 };
	size_t i;

	CHECK(p > 0 && g > 0 && xa > 0 && xb > 0 && ya > 0 && yb > 0, "add the RFC 5114 keys");
	CHECK(rfc5114_bytes(rfc5114_ya, want_ya, sizeof(want_ya)) == 256 &&
	      rfc5114_bytes(rfc5114_yb, want_yb, sizeof(want_yb)) == 256 &&
	      rfc5114_bytes(rfc5114_z, want_z, sizeof(want_z)) == 256 &&
	      rfc5114_bytes(rfc5114_kdf_sha256_oi, kdf_oi, sizeof(kdf_oi)) == 64 &&
	      rfc5114_bytes(rfc5114_kdf_sha256, kdf, sizeof(kdf)) == 32,
	      "RFC 5114 results and KDF outputs parse to their lengths");

	CHECK_RET(keyctl_dh_compute(xa, p, g, NULL, 0), 256, "dh_compute size query: len(p)");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_dh_compute(xa, p, g, (char *)buf, sizeof(buf)), 256,
		  "dh_compute g^xA: 256 bytes");
	CHECK_MEM(buf, want_ya, 256, "dh_compute g^xA = RFC 5114 yA");
	CHECK_CANARY(buf, 256, sizeof(buf), "dh_compute writes no more than len(p)");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_dh_compute(xb, p, g, (char *)buf, 256), 256,
		  "dh_compute g^xB into exactly len(p): 256 bytes");
	CHECK_MEM(buf, want_yb, 256, "dh_compute g^xB = RFC 5114 yB");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_dh_compute(xa, p, yb, (char *)buf, sizeof(buf)), 256,
		  "dh_compute yB^xA: 256 bytes");
	CHECK_MEM(buf, want_z, 256, "dh_compute yB^xA = RFC 5114 Z");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_dh_compute(xb, p, ya, (char *)buf, sizeof(buf)), 256,
		  "dh_compute yA^xB: 256 bytes");
	CHECK_MEM(buf, want_z, 256, "dh_compute yA^xB = RFC 5114 Z");
	memset(buf, CANARY, sizeof(buf));
	CHECK_ERR(keyctl_dh_compute(xa, p, g, (char *)buf, 255), EOVERFLOW,
		  "dh_compute into len(p) - 1 bytes: EOVERFLOW");
	CHECK_CANARY(buf, 0, sizeof(buf), "dh_compute too short writes nothing");

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(buf, CANARY, sizeof(buf));
		CHECK_RET(keyctl_dh_compute_kdf(xa, p, yb, hash, other, olen, (char *)buf, lens[i]),
			  (long)lens[i], "dh_compute_kdf sha256 %zu bytes: %zu", lens[i], lens[i]);
		CHECK_MEM(buf, kdf_oi, lens[i],
			  "dh_compute_kdf sha256 %zu bytes = SHA-256 counter KDF of Z, otherinfo",
			  lens[i]);
		CHECK_CANARY(buf, lens[i], sizeof(buf), "dh_compute_kdf %zu bytes writes no more",
			     lens[i]);
	}
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_dh_compute_kdf(xb, p, ya, hash, other, olen, (char *)buf, 64), 64,
		  "dh_compute_kdf from party B's side: 64 bytes");
	CHECK_MEM(buf, kdf_oi, 64, "dh_compute_kdf from party B's side: the same bytes");
	memset(buf, CANARY, sizeof(buf));
	CHECK_RET(keyctl_dh_compute_kdf(xa, p, yb, hash, NULL, 0, (char *)buf, 32), 32,
		  "dh_compute_kdf sha256 without otherinfo: 32 bytes");
	CHECK_MEM(buf, kdf, 32, "dh_compute_kdf without otherinfo = SHA-256 counter KDF of Z");

	keyctl_unlink(p, ses);
	keyctl_unlink(g, ses);
	keyctl_unlink(xa, ses);
	keyctl_unlink(xb, ses);
	keyctl_unlink(ya, ses);
	keyctl_unlink(yb, ses);
}

static void test_dh(key_serial_t ses)
{
	key_serial_t p = add_key("user", t_uniq("p"), "\x17", 1, ses);
	key_serial_t g = add_key("user", t_uniq("g"), "\x05", 1, ses);
	key_serial_t x = add_key("user", t_uniq("x"), "\x03", 1, ses);
	char buf[64], raw[64];
	char hash[] = "sha256", other[] = "info";
	struct keyctl_dh_params prm = { .priv = x, .prime = p, .base = g };
	struct keyctl_dh_params none = { .priv = NOKEY, .prime = NOKEY, .base = NOKEY };
	struct keyctl_kdf_params kdf = { .hashname = hash, .otherinfo = other, .otherinfolen = 4 };
	struct keyctl_kdf_params kdf0 = { .hashname = hash };

	if (!t_kernel_has(0, KEYCTL_CAPS0_DIFFIE_HELLMAN)) {
		printf("# the kernel has no Diffie-Hellman (CONFIG_KEY_DH_OPERATIONS): its error path\n");
		memset(buf, CANARY, sizeof(buf));
		CHECK_ERR(keyctl_dh_compute(x, p, g, buf, sizeof(buf)), EOPNOTSUPP,
			  "dh_compute without kernel DH: EOPNOTSUPP");
		CHECK_CANARY(buf, 0, sizeof(buf), "failed dh_compute writes nothing");
		CHECK_ERR(keyctl_dh_compute(x, p, g, NULL, 0), EOPNOTSUPP,
			  "dh_compute size query: EOPNOTSUPP");
		CHECK_ERR(keyctl_dh_compute(NOKEY, NOKEY, NOKEY, buf, sizeof(buf)), EOPNOTSUPP,
			  "dh_compute with nonexistent keys: EOPNOTSUPP");
		CHECK_ERR(keyctl_dh_compute_kdf(x, p, g, hash, other, 4, buf, sizeof(buf)), EOPNOTSUPP,
			  "dh_compute_kdf without kernel DH: EOPNOTSUPP");
		CHECK_ERR(keyctl_dh_compute_kdf(x, p, g, hash, NULL, 0, buf, sizeof(buf)), EOPNOTSUPP,
			  "dh_compute_kdf without otherinfo: EOPNOTSUPP");
		CHECK_CANARY(buf, 0, sizeof(buf), "failed dh_compute_kdf writes nothing");
		return;
	}
	/* The kernel has DH: what it answers for these (toy) parameters depends on its version (a
	 * prime under 1536 bits is refused by newer ones), so the library must answer exactly as the
	 * system call does, bytes included. */
	printf("# the kernel has Diffie-Hellman: the library against the system call\n");
	memset(buf, CANARY, sizeof(buf));
	memset(raw, CANARY, sizeof(raw));
	CHECK_AS_RAW(keyctl_dh_compute(x, p, g, buf, sizeof(buf)),
		     syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &prm, raw, sizeof(raw), NULL),
		     "dh_compute answers as the kernel");
	CHECK_MEM(buf, raw, sizeof(buf), "dh_compute writes what the kernel writes");
	CHECK_AS_RAW(keyctl_dh_compute(x, p, g, NULL, 0),
		     syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &prm, NULL, 0, NULL),
		     "dh_compute size query answers as the kernel");
	CHECK_ERR(keyctl_dh_compute(NOKEY, NOKEY, NOKEY, buf, sizeof(buf)), ENOKEY,
		  "dh_compute with nonexistent keys: ENOKEY");
	CHECK_AS_RAW(keyctl_dh_compute(NOKEY, NOKEY, NOKEY, buf, sizeof(buf)),
		     syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &none, raw, sizeof(raw), NULL),
		     "dh_compute with nonexistent keys answers as the kernel");
	memset(buf, CANARY, sizeof(buf));
	memset(raw, CANARY, sizeof(raw));
	CHECK_AS_RAW(keyctl_dh_compute_kdf(x, p, g, hash, other, 4, buf, sizeof(buf)),
		     syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &prm, raw, sizeof(raw), &kdf),
		     "dh_compute_kdf answers as the kernel");
	CHECK_MEM(buf, raw, sizeof(buf), "dh_compute_kdf writes what the kernel writes");
	CHECK_AS_RAW(keyctl_dh_compute_kdf(x, p, g, hash, NULL, 0, buf, sizeof(buf)),
		     syscall(SYS_keyctl, KEYCTL_DH_COMPUTE, &prm, raw, sizeof(raw), &kdf0),
		     "dh_compute_kdf without otherinfo answers as the kernel");
	test_dh_vectors(ses);
}

int main(void)
{
	key_serial_t ses = t_init("pkey");

	snprintf(dir, sizeof(dir), "/tmp/ctest-pkey-XXXXXX");
	if (!mkdtemp(dir)) {
		dir[0] = 0;
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return t_done();
	}
	test_pkey(ses);
	test_dh(ses);
	cleanup();
	keyctl_clear(ses);
	return t_done();
}

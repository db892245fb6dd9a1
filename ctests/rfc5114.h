/* Published Diffie-Hellman test vectors, for the success paths of keyctl_dh_compute,
 * keyctl_dh_compute_alloc and keyctl_dh_compute_kdf on a kernel that has DH (include it after
 * common.h).
 *
 * p, g: RFC 5114 section 2.2 (2048-bit MODP group with 224-bit prime order subgroup).
 * xA, yA, xB, yB, Z: RFC 5114 appendix A.2, the test data for that group (taken by the RFC
 * from NIST's SP 800-56A examples). Copied here in the RFC's own 32-bit word layout, so the
 * two can be compared by eye. Checked on the host with python3 before they were embedded:
 * p has 2048 bits, q 224, q divides p - 1 and g^q = 1 (mod p); g^xA = yA, g^xB = yB,
 * yB^xA = yA^xB = Z (mod p). yA, yB and Z have 256 significant bytes, len(p): no padding.
 *
 * KDF: the expected output of keyctl_dh_compute_kdf(xA, p, yB, "sha256", otherinfo, n).
 * The kernel (security/keys/dh.c; in 6.1 through crypto_kdf108_ctr_generate in
 * crypto/kdf_sp800108.c, read for this) hashes, block i = 1, 2, ...:
 *   SHA-256(be32(i) || Z || otherinfo)
 * where Z is the DH result padded to len(p) (mpi_write_to_sgl writes leading zeros), and
 * returns the first n bytes of the concatenation (keyctl_dh_compute_kdf(3): SP800-56A,
 * section 5.8.1.2). Computed on the host with python3 hashlib from Z above:
 *   b''.join(sha256(struct.pack('>I', i) + Z + oi).digest() for i in (1, 2))[:n]
 */
#ifndef CTESTS_RFC5114_H
#define CTESTS_RFC5114_H

#include <stddef.h>

static const char rfc5114_p[] =
	"AD107E1E 9123A9D0 D660FAA7 9559C51F A20D64E5 683B9FD1"
	"B54B1597 B61D0A75 E6FA141D F95A56DB AF9A3C40 7BA1DF15"
	"EB3D688A 309C180E 1DE6B85A 1274A0A6 6D3F8152 AD6AC212"
	"9037C9ED EFDA4DF8 D91E8FEF 55B7394B 7AD5B7D0 B6C12207"
	"C9F98D11 ED34DBF6 C6BA0B2C 8BBC27BE 6A00E0A0 B9C49708"
	"B3BF8A31 70918836 81286130 BC8985DB 1602E714 415D9330"
	"278273C7 DE31EFDC 7310F712 1FD5A074 15987D9A DC0A486D"
	"CDF93ACC 44328387 315D75E1 98C641A4 80CD86A1 B9E587E8"
	"BE60E69C C928B2B9 C52172E4 13042E9B 23F10B0E 16E79763"
	"C9B53DCF 4BA80A29 E3FB73C1 6B8E75B9 7EF363E2 FFA31F71"
	"CF9DE538 4E71B81C 0AC4DFFE 0C10E64F";

static const char rfc5114_g[] =
	"AC4032EF 4F2D9AE3 9DF30B5C 8FFDAC50 6CDEBE7B 89998CAF"
	"74866A08 CFE4FFE3 A6824A4E 10B9A6F0 DD921F01 A70C4AFA"
	"AB739D77 00C29F52 C57DB17C 620A8652 BE5E9001 A8D66AD7"
	"C1766910 1999024A F4D02727 5AC1348B B8A762D0 521BC98A"
	"E2471504 22EA1ED4 09939D54 DA7460CD B5F6C6B2 50717CBE"
	"F180EB34 118E98D1 19529A45 D6F83456 6E3025E3 16A330EF"
	"BB77A86F 0C1AB15B 051AE3D4 28C8F8AC B70A8137 150B8EEB"
	"10E183ED D19963DD D9E263E4 770589EF 6AA21E7F 5F2FF381"
	"B539CCE3 409D13CD 566AFBB4 8D6C0191 81E1BCFE 94B30269"
	"EDFE72FE 9B6AA4BD 7B5A0F1C 71CFFF4C 19C418E1 F6EC0179"
	"81BC087F 2A7065B3 84B890D3 191F2BFA";

static const char rfc5114_xa[] =
	"                                             22E62601"
	"DBFFD067 08A680F7 47F361F7 6D8F4F72 1A0548E4 83294B0C";

static const char rfc5114_ya[] =
	"                  1B3A6345 1BD886E6 99E67B49 4E288BD7"
	"F8E0D370 BADDA7A0 EFD2FDE7 D8F66145 CC9F2804 19975EB8"
	"08877C8A 4C0C8E0B D48D4A54 01EB1E87 76BFEEE1 34C03831"
	"AC273CD9 D635AB0C E006A42A 887E3F52 FB8766B6 50F38078"
	"BC8EE858 0CEFE243 968CFC4F 8DC3DB08 4554171D 41BF2E86"
	"1B7BB4D6 9DD0E01E A387CBAA 5CA672AF CBE8BDB9 D62D4CE1"
	"5F17DD36 F91ED1EE DD65CA4A 06455CB9 4CD40A52 EC360E84"
	"B3C926E2 2C4380A3 BF309D56 849768B7 F52CFDF6 55FD053A"
	"7EF70697 9E7E5806 B17DFAE5 3AD2A5BC 568EBB52 9A7A61D6"
	"8D256F8F C97C074A 861D827E 2EBC8C61 34553115 B70E7103"
	"920AA16D 85E52BCB AB8D786A 68178FA8 FF7C2F5C 71648D6F";

static const char rfc5114_xb[] =
	"                                             4FF3BC96"
	"C7FC6A6D 71D3B363 800A7CDF EF6FC41B 4417EA15 353B7590";

static const char rfc5114_yb[] =
	"                  4DCEE992 A9762A13 F2F83844 AD3D77EE"
	"0E31C971 8B3DB6C2 035D3961 182C3E0B A247EC41 82D760CD"
	"48D99599 970622A1 881BBA2D C822939C 78C3912C 6661FA54"
	"38B20766 222B75E2 4C2E3AD0 C7287236 129525EE 15B5DD79"
	"98AA04C4 A9696CAC D7172083 A97A8166 4EAD2C47 9E444E4C"
	"0654CC19 E28D7703 CEE8DACD 6126F5D6 65EC52C6 7255DB92"
	"014B037E B621A2AC 8E365DE0 71FFC140 0ACF077A 12913DD8"
	"DE894734 37AB7BA3 46743C1B 215DD9C1 2164A7E4 053118D1"
	"99BEC8EF 6FC56117 0C84C87D 10EE9A67 4A1FA8FF E13BDFBA"
	"1D44DE48 946D68DC 0CDD7776 35A7AB5B FB1E4BB7 B856F968"
	"27734C18 4138E915 D9C3002E BCE53120 546A7E20 02142B6C";

static const char rfc5114_z[] =
	"                  34D9BDDC 1B42176C 313FEA03 4C21034D"
	"074A6313 BB4ECDB3 703FFF42 4567A46B DF75530E DE0A9DA5"
	"229DE7D7 6732286C BC0F91DA 4C3C852F C099C679 531D94C7"
	"8AB03D9D ECB0A4E4 CA8B2BB4 591C4021 CF8CE3A2 0A541D33"
	"994017D0 200AE2C9 516E2FF5 14577926 9E862B0F B474A2D5"
	"6DC31ED5 69A7700B 4C4AB16B 22A45513 531EF523 D7121207"
	"7B5A169B DEFFAD7A D9608284 C7795B6D 5A5183B8 7066DE17"
	"D8D671C9 EBD8EC89 544D45EC 061593D4 42C62AB9 CE3B1CB9"
	"943A1D23 A5EA3BCF 21A01471 E67E003E 7F8A69C7 28BE490B"
	"2FC88CFE B92DB6A2 15E5D03C 17C464C9 AC1A46E2 03E13F95"
	"2995FB03 C69D3CC4 7FCB510B 6998FFD3 AA6DE73C F9F63869";

/* SHA-256 counter KDF of Z with otherinfo "keyutils-test" (13 bytes, no NUL): two blocks; a
 * shorter output is a prefix of this one. */
#define RFC5114_KDF_OTHERINFO "keyutils-test"
static const char rfc5114_kdf_sha256_oi[] =
	"15459F1F A60B7855 769A6B0B 3A683DF6 59F5F2F4 137C7786"
	"D045DD3E 4BE3651A 104FE166 74DC71B8 88D3462F 9585FDC9"
	"7F137174 72DD7E25 FCF2A42A 3A72F55F";

/* The same without otherinfo: one block. */
static const char rfc5114_kdf_sha256[] =
	"8A6CE957 9E2E81F3 6396AD5B 626ECD3C 2E6FB8A1 74EB7BB5"
	"E65E3091 28CCF532";

/* Big-endian bytes of a hex string (spaces skipped) into out[max]; returns the byte count,
 * or 0 if the string is malformed or does not fit. */
static __attribute__((unused)) size_t rfc5114_bytes(const char *hex, unsigned char *out,
						    size_t max)
{
	size_t n = 0;
	int half = 0, hi = 0;

	for (; *hex; hex++) {
		int v;

		if (*hex == ' ')
			continue;
		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'A' && *hex <= 'F')
			v = *hex - 'A' + 10;
		else
			return 0;
		if (!half) {
			hi = v;
		} else {
			if (n == max)
				return 0;
			out[n++] = (unsigned char)(hi << 4 | v);
		}
		half = !half;
	}
	return half ? 0 : n;
}

/* A user key in @ses holding the big-endian bytes of a published hex number (a test program
 * includes common.h first). */
static __attribute__((unused)) key_serial_t rfc5114_key(const char *tag, const char *hex,
							key_serial_t ses)
{
	unsigned char b[256];
	size_t n = rfc5114_bytes(hex, b, sizeof(b));

	CHECK(n > 0, "RFC 5114 %s parses", tag);
	return add_key("user", t_uniq(tag), b, n, ses);
}

#endif /* CTESTS_RFC5114_H */

/* keyutils_version_string and keyutils_build_string: contents and the ELF
 * symbol sizes that copy relocations in clients depend on. */
#include "common.h"

#include <ctype.h>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>

static long symbol_size(const void *addr)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;

	if (!dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym)
		return -1;
	return (long)sym->st_size;
}

int main(void)
{
	const char *b = keyutils_build_string;
	int shape = 1;
	size_t i;

	t_init("version");

	CHECK(strcmp(keyutils_version_string, "keyutils-1.6.3") == 0,
	      "keyutils_version_string is \"keyutils-1.6.3\"");
	CHECK_EQ(strlen(keyutils_version_string), 14,
		 "strlen(keyutils_version_string) == 14");
	CHECK_EQ(symbol_size(keyutils_version_string), 15,
		 "keyutils_version_string ELF symbol is 15 bytes");

	CHECK_EQ(strlen(b), 10, "strlen(keyutils_build_string) == 10");
	for (i = 0; i < 10 && b[i]; i++) {
		if (i == 4 || i == 7)
			shape &= b[i] == '-';
		else
			shape &= isdigit((unsigned char)b[i]) != 0;
	}
	CHECK(shape && i == 10, "keyutils_build_string has the shape YYYY-MM-DD (\"%s\")", b);
	CHECK_EQ(symbol_size(keyutils_build_string), 11,
		 "keyutils_build_string ELF symbol is 11 bytes");

	return t_done();
}

# libkeyutils in Rust. `make` builds the library into build/lib; `make demo` shows it working;
# `make static` does the same with a statically linked program; `make check` installs what the
# tests need and runs them (SUITES="..." for some);
# `make bench` compares speed and size with the original; `make install` / `make uninstall` put it
# in place; `make deb` builds the Debian packages. README.md ("Installing and packaging") has the details.
# `make TARGET=<rust triple>` cross-builds the same files into build/<triple>/ (see "Other
# architectures" in README.md); `make cross-tools` installs what that needs.

# TARGET: a Rust target triple of mk/arches, or empty for the machine's own (build/lib as always).
TARGET      =
include mk/arch.mk
ifneq ($(TARGET),)
GNU_TRIPLET := $(call arch_lookup,$(TARGET),1,3)
DEB_ARCH    := $(call arch_lookup,$(TARGET),1,2)
ifeq ($(GNU_TRIPLET),)
$(error TARGET=$(TARGET) is not a Rust triple of mk/arches)
endif
# Debian's cross toolchain of the target (make cross-tools installs it), unless set explicitly.
ifeq ($(origin CC),default)
CC          := $(GNU_TRIPLET)-gcc
endif
ifeq ($(origin LD),default)
LD          := $(GNU_TRIPLET)-ld
endif
ifeq ($(origin AR),default)
AR          := $(GNU_TRIPLET)-ar
endif
OBJCOPY     ?= $(GNU_TRIPLET)-objcopy
STRIP       ?= $(GNU_TRIPLET)-strip
endif
CARGO       ?= cargo
CC          ?= cc
OBJCOPY     ?= objcopy
STRIP       ?= strip
INSTALL     ?= install
LDCONFIG    ?= ldconfig
CFLAGS      ?= -O2 -g -Wall -Wextra -Werror
BUILD       := build
OUT         := $(BUILD)$(if $(TARGET),/$(TARGET))
LIBDIR_B    := $(OUT)/lib
OBJ         := $(OUT)/obj
SOVERSION   := 1.10
VERSION     := 1.6.3
# The programs `make` builds besides the library (what install takes), and their manual pages.
PROGRAM_FILES := $(OUT)/bin/keyctl $(OUT)/sbin/request-key $(OUT)/sbin/key.dns_resolver
MANPAGES    := man1/keyctl.1 man5/key.dns_resolver.conf.5 man5/request-key.conf.5 \
               man7/asymmetric-key.7 man7/keyutils.7 man8/key.dns_resolver.8 man8/request-key.8

# Install locations (set them on the command line); DESTDIR, from there or the environment, is put
# before each. SHLIBDIR holds the run-time files (libkeyutils.so.1.10 and the soname link), which
# Debian's package keeps in /lib/<triplet>, apart from the development files in LIBDIR.
PREFIX       = /usr/local
LIBDIR       = $(PREFIX)/lib
SHLIBDIR     = $(LIBDIR)
INCLUDEDIR   = $(PREFIX)/include
PKGCONFIGDIR = $(LIBDIR)/pkgconfig
# The programs and their files (Debian's package: BINDIR=/bin SBINDIR=/sbin SYSCONFDIR=/etc).
# request-key.conf and request-key-debug.sh name the programs by the paths they are installed at.
BINDIR       = $(PREFIX)/bin
SBINDIR      = $(PREFIX)/sbin
SYSCONFDIR   = $(PREFIX)/etc
DATADIR      = $(PREFIX)/share
PKGDATADIR   = $(DATADIR)/keyutils
MANDIR       = $(DATADIR)/man

# LINKER=lld (default): cargo links the cdylib with the toolchain's linker (rust-lld on 1.95).
# LINKER=bfd: everything cargo links uses GNU ld, which cannot link our cdylib (rustc's anonymous
# version script clashes with ours), so cargo builds only the staticlib and cc re-links it.
LINKER      = $(or $(if $(TARGET),$(call arch_lookup,$(TARGET),1,4)),lld)
ifeq ($(LINKER),lld)
TARGET_DIR  := $(or $(CARGO_TARGET_DIR),target)
CARGO_BUILD := $(CARGO) build --release $(CARGOFLAGS)
else ifeq ($(LINKER),bfd)
TARGET_DIR  := $(or $(CARGO_TARGET_DIR),target/bfd)
CARGO_BUILD := CARGO_TARGET_DIR=$(TARGET_DIR) RUSTFLAGS="$(RUSTFLAGS) -Clinker-features=-lld" \
               $(CARGO) rustc --release --lib --crate-type staticlib $(CARGOFLAGS)
else
$(error LINKER must be lld or bfd, not "$(LINKER)")
endif
RELEASE_DIR := $(TARGET_DIR)/release

# Cross builds: cargo builds for TARGET (RUSTFLAGS then apply to the library, not to build.rs) and
# gcc of the target links the cdylib, through rustup's LLD (GNU ld fails on this cdylib for i686,
# s390x and powerpc64le, and cannot combine rustc's version script with ours anyway): the same link
# as the native one. Without the target's standard library from rustup (rustup has none for some
# targets), a nightly toolchain builds core from its sources (-Zbuild-std; rust-src).
ifneq ($(TARGET),)
NIGHTLY     = nightly
HOST_SYSROOT := $(shell rustc --print sysroot)
BUILD_STD   := $(if $(wildcard $(HOST_SYSROOT)/lib/rustlib/$(TARGET)/lib),,1)
TARGET_ENV  := CARGO_TARGET_$(shell echo '$(TARGET)' | tr a-z.- A-Z__)_LINKER=$(CC) \
               $(if $(BUILD_STD),RUSTUP_TOOLCHAIN=$(NIGHTLY))
ifeq ($(LINKER),bfd)
# The staticlib links nothing, and GNU ld is the other targets' default (-Clinker-features is
# unstable there), so no linker flag; cc links the shared object as natively.
CARGO_BUILD := CARGO_TARGET_DIR=$(TARGET_DIR) $(CARGO) rustc --release --lib --crate-type staticlib $(CARGOFLAGS)
endif
CARGO_BUILD := $(TARGET_ENV) $(CARGO_BUILD) --target $(TARGET) $(if $(BUILD_STD),-Zbuild-std=core)
ifeq ($(LINKER),lld)
LLD_FLAGS   := -Clink-arg=-fuse-ld=lld -Clink-arg=-B$(shell $(if $(BUILD_STD),RUSTUP_TOOLCHAIN=$(NIGHTLY)) \
               rustc --print sysroot)/lib/rustlib/$(shell rustc -vV | sed -n 's/^host: //p')/bin/gcc-ld
CARGO_BUILD := RUSTFLAGS="$(strip $(RUSTFLAGS) $(LLD_FLAGS))" $(CARGO_BUILD)
endif
RELEASE_DIR := $(TARGET_DIR)/$(TARGET)/release
endif

.PHONY: all lib programs header demo static check bench install install-strip uninstall deb repro clean \
	keyctl dns-resolver cross-tools abi header-check check-vm check-vm-all

all: lib $(OUT)/pkgconfig/libkeyutils.pc programs

# The libraries under Debian's names: the real file, the soname link, the dev link, the archive.
# build.rs leaves the version script, the export list and the header in OUT_DIR; cargo's messages
# say where.
# Files are replaced by rename, so programs running from build/lib keep their mapping intact.
lib:
	mkdir -p $(LIBDIR_B) $(OBJ)
	$(CARGO_BUILD) --message-format=json-render-diagnostics > $(OBJ)/cargo-messages.json
	out=$$(grep -o '"out_dir":"[^"]*/keyutils-[0-9a-f]*/out"' $(OBJ)/cargo-messages.json \
	       | tail -n 1 | cut -d '"' -f 4); \
	test -n "$$out" || { echo "cargo did not report the OUT_DIR of keyutils" >&2; exit 1; }; \
	cp -f "$$out/version.lds" "$$out/exports.txt" "$$out/keyutils.h" $(OBJ)/
	awk '{print $$1}' $(OBJ)/exports.txt > $(OBJ)/exports.names
	awk 'NF == 2 {print $$1 "@@" $$2}' $(OBJ)/exports.txt > $(OBJ)/exports.versioned
	awk 'NF == 2 {print $$1 "@@" $$2} NF == 1 {print $$1}' $(OBJ)/exports.txt > $(OBJ)/exports.dynamic
# One relocatable object with what the 46 exports need (core, compiler_builtins and libc pieces
# included), garbage-collected from the staticlib.
	$(LD) -r --gc-sections $$(awk '{printf " -u %s", $$1}' $(OBJ)/exports.txt) \
	    --whole-archive $(RELEASE_DIR)/libkeyutils.a -o $(OBJ)/keyutils-all.o
# libkeyutils.a: only the 46 names stay global, so the Rust runtime cannot clash with a program's
# symbols; the NAME@@NODE aliases go (in an executable they would define NAME a second time).
# .llvmbc is rustc's embedded bitcode, which only confuses binutils' LLVM plugin.
	$(OBJCOPY) --keep-global-symbols=$(OBJ)/exports.names --strip-symbols=$(OBJ)/exports.versioned \
	    --strip-debug --remove-section=.llvmbc --remove-section=.llvmcmd \
	    $(OBJ)/keyutils-all.o $(OBJ)/keyutils.o
	rm -f $(OBJ)/libkeyutils.a
	$(AR) rcsD $(OBJ)/libkeyutils.a $(OBJ)/keyutils.o
	mv -f $(OBJ)/libkeyutils.a $(LIBDIR_B)/libkeyutils.a
ifeq ($(LINKER),lld)
	cp -f $(RELEASE_DIR)/libkeyutils.so $(OBJ)/libkeyutils.so
else
# The shared object from the same object: here the NAME@@NODE aliases are what is exported (the
# plain names go local), with the version script of build.rs, as the cdylib is linked.
	$(OBJCOPY) --keep-global-symbols=$(OBJ)/exports.dynamic --strip-debug \
	    --remove-section=.llvmbc --remove-section=.llvmcmd $(OBJ)/keyutils-all.o $(OBJ)/keyutils-so.o
	$(CC) -shared -fuse-ld=bfd -o $(OBJ)/libkeyutils.so $(OBJ)/keyutils-so.o $(LDFLAGS) \
	    -Wl,--version-script=$(OBJ)/version.lds -Wl,-soname,libkeyutils.so.1 \
	    -Wl,-z,now -Wl,-z,relro -Wl,--gc-sections -Wl,--build-id=sha1
endif
	mv -f $(OBJ)/libkeyutils.so $(LIBDIR_B)/libkeyutils.so.$(SOVERSION)
	ln -sf libkeyutils.so.$(SOVERSION) $(LIBDIR_B)/libkeyutils.so.1
	ln -sf libkeyutils.so.1 $(LIBDIR_B)/libkeyutils.so

# pkg-config file for the build tree (PKG_CONFIG_PATH=build/pkgconfig).
$(OUT)/pkgconfig/libkeyutils.pc: pkgconfig/libkeyutils.pc.in
	mkdir -p $(OUT)/pkgconfig
	sed -e 's|@PREFIX@|$(CURDIR)|' -e 's|@LIBDIR@|$(CURDIR)/$(LIBDIR_B)|' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/include|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# Refresh the committed header from cbindgen's output (the unit test header_is_fresh checks it).
header: lib
	cp -f $(OBJ)/keyutils.h include/keyutils.h

demo: all
	$(CC) $(CFLAGS) -Iinclude examples/demo.c -o $(BUILD)/demo -L$(LIBDIR_B) -lkeyutils
	LD_LIBRARY_PATH=$(LIBDIR_B) $(BUILD)/demo

# The demo linked statically with libkeyutils.a: no libkeyutils.so is mapped at all.
static: all
	$(CC) $(CFLAGS) -static -Iinclude examples/demo.c -o $(BUILD)/demo-static $(LIBDIR_B)/libkeyutils.a
	$(BUILD)/demo-static

# The VM lab (tests/vm/, README "Other architectures"): make check-vm ARCH=<Debian architecture>
# [KERNEL=bookworm|bookworm-backports] runs the C tests, the hardening programs and the differential
# test in a VM of ARCH on Debian's own kernel; make check-vm-all, every architecture (amd64 on both
# kernels; VMS="arm64 i386:bookworm ..." for some). Each installs what it needs first (cross tools,
# qemu, Debian's packages of ARCH).
ARCH   = arm64
KERNEL = bookworm
VMS    = amd64 amd64:bookworm-backports arm64 armhf armel i386 ppc64el s390x
VM_LIST = $(if $(filter check-vm,$@),$(ARCH):$(KERNEL),$(VMS))
check-vm check-vm-all:
	bash tests/deps.sh ctests difftest hardening
	$(MAKE) all
	bash mk/cross-tools.sh $(sort $(foreach v,$(VM_LIST),$(call arch_lookup,$(firstword $(subst :, ,$(v))),2,1)))
	bash tests/vm/all.sh $(VM_LIST)

# make check [SUITES="ctests difftest ..."]: installs the Debian packages the suites need (as root;
# tests/packages.txt), builds, and runs them (tests/run-all.sh); ends with "N passed, N failed".
SUITES =
check:
	bash tests/deps.sh $(SUITES)
	$(MAKE) all
	bash tests/run-all.sh $(SUITES)

bench: all
	KEYUTILS_LIBDIR=$(CURDIR)/$(LIBDIR_B) bash bench/run.sh

# The development link is relative when it sits beside the library, absolute otherwise.
DEVLINK := $(if $(filter $(SHLIBDIR),$(LIBDIR)),,$(SHLIBDIR)/)libkeyutils.so.1

# Installs as built: not stripped (the GNU convention; Debian's dh_strip strips and keeps the
# symbols in a -dbgsym package). `make install-strip` strips. ldconfig runs when DESTDIR is empty.
# The library, then the programs with their configuration, helper script and manual pages.
install: all
	for p in $(PROGRAM_FILES); do test -f $$p || { echo "$$p is missing (make builds it)" >&2; exit 1; }; done
	mkdir -p $(OUT)/install
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    pkgconfig/libkeyutils.pc.in > $(OUT)/install/libkeyutils.pc
	for f in request-key.conf request-key-debug.sh; do \
	    sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
	        -e 's|@PKGDATADIR@|$(PKGDATADIR)|g' data/$$f.in > $(OUT)/install/$$f || exit 1; \
	done
	$(INSTALL) -d $(DESTDIR)$(SHLIBDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 0755 $(LIBDIR_B)/libkeyutils.so.$(SOVERSION) $(DESTDIR)$(SHLIBDIR)/
	ln -sfn libkeyutils.so.$(SOVERSION) $(DESTDIR)$(SHLIBDIR)/libkeyutils.so.1
	ln -sfn $(DEVLINK) $(DESTDIR)$(LIBDIR)/libkeyutils.so
	$(INSTALL) -m 0644 $(LIBDIR_B)/libkeyutils.a $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 0644 include/keyutils.h $(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 0644 $(OUT)/install/libkeyutils.pc $(DESTDIR)$(PKGCONFIGDIR)/
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/request-key.d \
	    $(DESTDIR)$(SYSCONFDIR)/keyutils $(DESTDIR)$(PKGDATADIR) \
	    $(addprefix $(DESTDIR)$(MANDIR)/,$(sort $(dir $(MANPAGES))))
	$(INSTALL) -m 0755 $(OUT)/bin/keyctl $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0755 $(OUT)/sbin/request-key $(OUT)/sbin/key.dns_resolver $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0644 $(OUT)/install/request-key.conf $(DESTDIR)$(SYSCONFDIR)/
	$(INSTALL) -m 0755 $(OUT)/install/request-key-debug.sh $(DESTDIR)$(PKGDATADIR)/
	for m in $(MANPAGES); do $(INSTALL) -m 0644 man/$$m $(DESTDIR)$(MANDIR)/$$m || exit 1; done
	if [ -z "$(DESTDIR)" ]; then $(LDCONFIG) || true; fi

install-strip: install
	$(STRIP) --strip-unneeded $(DESTDIR)$(SHLIBDIR)/libkeyutils.so.$(SOVERSION)
	$(STRIP) $(DESTDIR)$(BINDIR)/keyctl $(DESTDIR)$(SBINDIR)/request-key \
	    $(DESTDIR)$(SBINDIR)/key.dns_resolver

# Removes the files install puts in place and nothing else: of the directories, only the two
# configuration directories and PKGDATADIR, and only when they are empty.
uninstall:
	rm -f $(DESTDIR)$(SHLIBDIR)/libkeyutils.so.$(SOVERSION) $(DESTDIR)$(SHLIBDIR)/libkeyutils.so.1 \
	    $(DESTDIR)$(LIBDIR)/libkeyutils.so $(DESTDIR)$(LIBDIR)/libkeyutils.a \
	    $(DESTDIR)$(INCLUDEDIR)/keyutils.h $(DESTDIR)$(PKGCONFIGDIR)/libkeyutils.pc
	rm -f $(DESTDIR)$(BINDIR)/keyctl $(DESTDIR)$(SBINDIR)/request-key \
	    $(DESTDIR)$(SBINDIR)/key.dns_resolver $(DESTDIR)$(SYSCONFDIR)/request-key.conf \
	    $(DESTDIR)$(PKGDATADIR)/request-key-debug.sh $(addprefix $(DESTDIR)$(MANDIR)/,$(MANPAGES))
	for d in $(DESTDIR)$(SYSCONFDIR)/request-key.d $(DESTDIR)$(SYSCONFDIR)/keyutils \
	    $(DESTDIR)$(PKGDATADIR); do \
	    if [ -d "$$d" ]; then rmdir --ignore-fail-on-non-empty "$$d"; fi; \
	done
	if [ -z "$(DESTDIR)" ]; then $(LDCONFIG) || true; fi

# libkeyutils1, libkeyutils-dev and keyutils .debs in build/deb (dpkg-buildpackage on a copy of
# the tree).
deb:
	bash debian/build-deb.sh
	lintian --tag-display-limit 0 build/deb/*.changes

# Two builds of the tree in two directories must give the same bytes (with both linkers).
repro:
	bash tests/packaging.sh repro

# The programs of the workspace (programs/), in Rust on crates/keyutils-api, linked by soname
# against the library just built. Each word is CRATE:DEST: programs/CRATE is built when it exists
# and its executable copied to $(OUT)/DEST (renamed into place); a new program is one more word.
PROGRAMS = keyctl:bin/keyctl request-key:sbin/request-key dns-resolver:sbin/key.dns_resolver
# Cross builds: for TARGET with the cross gcc as linker, when rustup has the target's standard
# library (the programs need std; the library alone is built with -Zbuild-std otherwise).
PROG_CARGO = KEYUTILS_LIBDIR=$(CURDIR)/$(LIBDIR_B) \
	$(if $(TARGET),CARGO_TARGET_$(shell echo '$(TARGET)' | tr a-z.- A-Z__)_LINKER=$(CC)) \
	$(CARGO) build --release $(CARGOFLAGS) $(if $(TARGET),--target $(TARGET))
PROG_SKIP = $(if $(and $(TARGET),$(BUILD_STD)),no Rust standard library for $(TARGET) from rustup)

programs: lib
	@set -e; for p in $(PROGRAMS); do \
	    crate=$${p%%:*}; dest=$(OUT)/$${p#*:}; \
	    [ -f programs/$$crate/Cargo.toml ] || continue; \
	    if [ -n "$(PROG_SKIP)" ]; then echo "programs/$$crate: not built ($(PROG_SKIP))"; continue; fi; \
	    mkdir -p $(OBJ) $$(dirname $$dest); \
	    echo "$(PROG_CARGO) --manifest-path programs/$$crate/Cargo.toml"; \
	    $(PROG_CARGO) --manifest-path programs/$$crate/Cargo.toml \
	        --message-format=json-render-diagnostics > $(OBJ)/cargo-$$crate.json; \
	    exe=$$(grep -o '"executable":"[^"]*"' $(OBJ)/cargo-$$crate.json | tail -n 1 | cut -d '"' -f 4); \
	    [ -n "$$exe" ] || { echo "cargo built no executable for programs/$$crate" >&2; exit 1; }; \
	    cp -f "$$exe" $$dest.new; mv -f $$dest.new $$dest; echo "$$exe -> $$dest"; \
	done

# keyctl(1) alone (programs/keyctl): build/bin/keyctl.
keyctl:
	$(MAKE) programs PROGRAMS=keyctl:bin/keyctl

# key.dns_resolver(8) alone (programs/dns-resolver): build/sbin/key.dns_resolver (cargo cannot
# name a binary with a dot: the crate's is key-dns-resolver).
dns-resolver:
	$(MAKE) programs PROGRAMS=dns-resolver:sbin/key.dns_resolver

# What cross builds and their tests need, for TARGET or for every row of mk/arches: the Rust target,
# Debian's cross gcc/g++/binutils/libc, and Debian's libkeyutils.so.1.10 of the architecture in
# build/debian-libs/<arch>/ (the reference of `make abi`). Root, for apt-get.
cross-tools:
	bash mk/cross-tools.sh $(TARGET)

# The ABI test of the library of TARGET (or the native one) against Debian's of that architecture,
# read with the target's binutils.
ABI_REF = $(if $(TARGET),$(firstword $(wildcard $(addprefix $(BUILD)/debian-libs/$(DEB_ARCH)/,lib/*/libkeyutils.so.1.10 \
	  usr/lib/*/libkeyutils.so.1.10)) \
	  $(BUILD)/debian-libs/$(DEB_ARCH)/lib/$(GNU_TRIPLET)/libkeyutils.so.1.10),\
	  /usr/lib/$(shell gcc -print-multiarch)/libkeyutils.so.1.10)
abi: all
	OBJDUMP=$(if $(TARGET),$(GNU_TRIPLET)-)objdump READELF=$(if $(TARGET),$(GNU_TRIPLET)-)readelf \
	NM=$(if $(TARGET),$(GNU_TRIPLET)-)nm bash tests/abi.sh $(LIBDIR_B)/libkeyutils.so.1 $(ABI_REF)

# The header test with the compilers of TARGET (compile-time checks; see ctests/header/run.sh).
header-check:
	CC=$(CC) CXX=$(if $(TARGET),$(GNU_TRIPLET)-g++,$(or $(CXX),c++)) CTESTS_BUILD=$(OUT)/ctests \
	    bash ctests/header/run.sh

clean:
	rm -rf $(BUILD)
	$(CARGO) clean

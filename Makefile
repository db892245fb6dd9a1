# libkeyutils in Rust. `make` builds the library into build/lib; `make demo` shows it working;
# `make check` runs every test; `make bench` compares speed and size with the original.

CARGO       ?= cargo
CC          ?= cc
CFLAGS      ?= -O2 -g -Wall -Wextra -Werror
BUILD       := build
LIBDIR_B    := $(BUILD)/lib
SOVERSION   := 1.10
TARGET_DIR  := $(or $(CARGO_TARGET_DIR),target)
RELEASE_DIR := $(TARGET_DIR)/release

.PHONY: all lib header demo check bench clean

all: lib $(BUILD)/pkgconfig/libkeyutils.pc

# The shared library under Debian's names: the real file, the soname link and the dev link.
lib:
	$(CARGO) build --release
	mkdir -p $(LIBDIR_B)
	cp -f $(RELEASE_DIR)/libkeyutils.so $(LIBDIR_B)/libkeyutils.so.$(SOVERSION)
	cp -f $(RELEASE_DIR)/libkeyutils.a $(LIBDIR_B)/libkeyutils.a
	ln -sf libkeyutils.so.$(SOVERSION) $(LIBDIR_B)/libkeyutils.so.1
	ln -sf libkeyutils.so.1 $(LIBDIR_B)/libkeyutils.so

# pkg-config file for the build tree (PKG_CONFIG_PATH=build/pkgconfig).
$(BUILD)/pkgconfig/libkeyutils.pc: pkgconfig/libkeyutils.pc.in
	mkdir -p $(BUILD)/pkgconfig
	sed -e 's|@PREFIX@|$(CURDIR)|' -e 's|@LIBDIR@|$(CURDIR)/$(LIBDIR_B)|' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/include|' -e 's|@VERSION@|1.6.3|' $< > $@

# Refresh the committed header from cbindgen's output (the unit test header_is_fresh checks it).
header:
	$(CARGO) build --release
	cp -f "$$(ls -t $(RELEASE_DIR)/build/keyutils-*/out/keyutils.h | head -1)" include/keyutils.h

demo: all
	$(CC) $(CFLAGS) -Iinclude examples/demo.c -o $(BUILD)/demo -L$(LIBDIR_B) -lkeyutils
	LD_LIBRARY_PATH=$(LIBDIR_B) $(BUILD)/demo

check: all
	bash tests/run-all.sh

bench: all
	KEYUTILS_LIBDIR=$(CURDIR)/$(LIBDIR_B) bash bench/run.sh

clean:
	rm -rf $(BUILD)
	$(CARGO) clean

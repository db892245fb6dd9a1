# Included by the Makefile and debian/rules: lookups in mk/arches (Rust triple, Debian architecture,
# GNU triplet). $(call arch_lookup,VALUE,FROM,TO) with FROM and TO column numbers: 1 triple, 2 Debian
# architecture, 3 GNU triplet, 4 default LINKER if not lld. Empty for an unknown value.
ARCH_TABLE := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))/arches
arch_lookup = $(shell awk -v v='$(1)' '!/^\#/ && NF >= 3 && $$$(2) == v {print $$$(3); exit}' $(ARCH_TABLE))
ARCH_TRIPLES := $(shell awk '!/^\#/ && NF >= 3 {print $$1}' $(ARCH_TABLE))

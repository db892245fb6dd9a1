//! libkeyutils.so.1 in Rust: a drop-in replacement for the keyutils 1.6.3 library.
//!
//! Layers, from the kernel up:
//! - [`sys`]: the only code that knows syscall numbers and `keyctl` command codes;
//! - [`types`]: the C types, structs and constants of `keyutils.h`;
//! - [`wrappers`]: the exported syscall and `keyctl_*` wrappers, grouped as the man pages group them;
//! - [`alloc`]: the `*_alloc` helpers, which hand out `malloc`'d buffers;
//! - [`scan`]: `recursive_key_scan` and `recursive_session_key_scan`;
//! - [`find`]: `find_key_by_type_and_desc` and its `/proc/keys` reader;
//! - [`parse`]: pure, safe parsers for `keyctl_describe` output and `/proc/keys` lines (fuzzed);
//! - [`symbols`] + [`boundary`]: the symbol → version-node table and the C-boundary helpers.
//!
//! The shared object is `no_std` and aborts on panic; `cargo test` builds the same code with std
//! for the unit tests.
// `cargo fuzz` (fuzz/) links the parsers into a std program: `--cfg fuzzing` brings std, its
// panic handler and its personality routine in place of ours.
#![cfg_attr(not(any(test, fuzzing)), no_std)]
// global_asm! (symbol versions, weak aliases) is stable on most architectures; on MIPS it still
// needs nightly's feature gate (there is no rust-std for MIPS from rustup either: make builds core
// with nightly -Zbuild-std).
#![cfg_attr(
    any(target_arch = "mips", target_arch = "mips64"),
    feature(asm_experimental_arch)
)]
#![allow(non_camel_case_types, non_upper_case_globals)]

// A panic must never unwind into C. The release and dev profiles set `panic = "abort"`; a build
// that forgets it is refused rather than shipped. (`cargo test` always unwinds, hence `test`.)
#[cfg(not(any(panic = "abort", test, fuzzing)))]
compile_error!("libkeyutils must be built with panic = \"abort\" (see Cargo.toml profiles)");

include!(concat!(env!("OUT_DIR"), "/nodes.rs"));

#[macro_use]
mod boundary;

pub mod alloc;
pub mod find;
pub mod parse;
pub mod scan;
pub mod symbols;
pub mod sys;
pub mod types;
pub mod version;
pub mod wrappers;

#[cfg(test)]
mod tests;

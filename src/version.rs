//! The two exported strings. Programs copy-relocate them, so their sizes are part of the ABI:
//! 15 bytes for the version, 11 for the build date, exactly as keyutils 1.6.3 has them.

use core::ffi::c_char;

const fn c_array<const N: usize>(s: &str) -> [c_char; N] {
    let b = s.as_bytes();
    assert!(b.len() + 1 == N, "string does not fit the ABI size");
    let mut out = [0 as c_char; N];
    let mut i = 0;
    while i < b.len() {
        out[i] = b[i] as c_char;
        i += 1;
    }
    out
}

/// "keyutils-1.6.3": the keyutils release this library replaces.
#[unsafe(no_mangle)]
pub static keyutils_version_string: [c_char; 15] = c_array(concat!("keyutils-", "1.6.3"));

/// The build date, `YYYY-MM-DD` (from SOURCE_DATE_EPOCH when set).
#[unsafe(no_mangle)]
pub static keyutils_build_string: [c_char; 11] = c_array(env!("KEYUTILS_BUILD_DATE"));

//! The key operations of the upcall, through the project's safe crate over libkeyutils.so.1.
//! Errors are errno values, which the messages print as "%m".
//!
//! TEMPORARY: until keyutils-api lands, every operation fails with ENOSYS (only -D works).

pub type Serial = i32;
/// KEY_SPEC_REQKEY_AUTH_KEY: the authorisation key of the request being served.
pub const REQKEY_AUTH_KEY: Serial = -7;

pub fn describe(_key: Serial) -> Result<Vec<u8>, i32> {
    Err(libc::ENOSYS)
}
pub fn read(_key: Serial) -> Result<Vec<u8>, i32> {
    Err(libc::ENOSYS)
}
pub fn set_timeout(_key: Serial, _secs: u32) -> Result<(), i32> {
    Err(libc::ENOSYS)
}
pub fn instantiate_iov(_key: Serial, _parts: &[&[u8]]) -> Result<(), i32> {
    Err(libc::ENOSYS)
}
pub fn negate(_key: Serial, _secs: u32) -> Result<(), i32> {
    Err(libc::ENOSYS)
}
pub fn reject(_key: Serial, _secs: u32, _error: i32) -> Result<(), i32> {
    Err(libc::ENOSYS)
}
pub fn version() -> (String, String) {
    (String::new(), String::new())
}

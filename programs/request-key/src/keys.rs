//! The key operations request-key makes, through the safe crate, with errors as errno values
//! (the messages print them as `%m` does).

use keyutils_api::{self as api, KeySerial, SpecialKeyring};

fn errno(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(libc::EINVAL)
}

/// Take over the authority the kernel gave for `key` (`keyctl_assume_authority`).
pub fn assume_authority(key: i32) -> Result<(), i32> {
    api::assume_authority(KeySerial(key)).map_err(errno)
}

/// `type;uid;gid;perm;description` of `key`.
pub fn describe(key: i32) -> Result<Vec<u8>, i32> {
    api::describe_raw(KeySerial(key)).map_err(errno)
}

/// The callout information, the payload of the authorisation key.
pub fn callout_info() -> Result<Vec<u8>, i32> {
    api::read(SpecialKeyring::ReqKeyAuthKey.serial()).map_err(errno)
}

/// A key for `%{type:description}`: searched in the requestor's keyrings, never constructed (no
/// callout information, so the kernel does not call request-key again), linked nowhere.
pub fn find(key_type: &[u8], description: &[u8]) -> Result<i32, i32> {
    api::request_key(key_type, description, None, KeySerial::NONE)
        .map(|k| k.0)
        .map_err(errno)
}

pub fn read(key: i32) -> Result<Vec<u8>, i32> {
    api::read(KeySerial(key)).map_err(errno)
}

/// Instantiate `key` with `payload`, linking it nowhere more.
pub fn instantiate(key: i32, payload: &[u8]) -> Result<(), i32> {
    api::instantiate(KeySerial(key), payload, KeySerial::NONE).map_err(errno)
}

/// The library's version and build strings, for `--version`.
pub fn version() -> (Vec<u8>, Vec<u8>) {
    (
        api::version_string().to_bytes().to_vec(),
        api::build_string().to_bytes().to_vec(),
    )
}

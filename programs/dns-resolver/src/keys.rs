//! The key operations of the upcall, through the project's safe crate over libkeyutils.so.1
//! (keyutils-api). Errors come back as errno values, which the messages print as "%m".
use keyutils_api::{KeySerial, SpecialKeyring};

pub type Serial = i32;
/// KEY_SPEC_REQKEY_AUTH_KEY: the authorisation key of the request being served.
pub const REQKEY_AUTH_KEY: Serial = SpecialKeyring::ReqKeyAuthKey.serial().0;
/// KEY_REQKEY_DEFL_DEFAULT as the keyring argument: link the key nowhere more.
const NO_RING: KeySerial = KeySerial::NONE;

fn errno(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(libc::EINVAL)
}

/// keyctl_describe_alloc: "type;uid;gid;perm;description".
pub fn describe(key: Serial) -> Result<Vec<u8>, i32> {
    keyutils_api::describe_raw(KeySerial(key)).map_err(errno)
}
/// keyctl_read_alloc (of the authorisation key: the callout info).
pub fn read(key: Serial) -> Result<Vec<u8>, i32> {
    keyutils_api::read(KeySerial(key)).map_err(errno)
}
pub fn set_timeout(key: Serial, secs: u32) -> Result<(), i32> {
    keyutils_api::set_timeout(KeySerial(key), secs).map_err(errno)
}
pub fn instantiate_iov(key: Serial, parts: &[&[u8]]) -> Result<(), i32> {
    keyutils_api::instantiate_iov(KeySerial(key), parts, NO_RING).map_err(errno)
}
pub fn negate(key: Serial, secs: u32) -> Result<(), i32> {
    keyutils_api::negate(KeySerial(key), secs, NO_RING).map_err(errno)
}
pub fn reject(key: Serial, secs: u32, error: i32) -> Result<(), i32> {
    keyutils_api::reject(KeySerial(key), secs, error, NO_RING).map_err(errno)
}
/// keyutils_version_string and keyutils_build_string of the library loaded.
pub fn version() -> (String, String) {
    (
        keyutils_api::version_string()
            .to_string_lossy()
            .into_owned(),
        keyutils_api::build_string().to_string_lossy().into_owned(),
    )
}

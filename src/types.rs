//! The C types, structs and constants of `keyutils.h`, as cbindgen emits them.
//!
//! Every `pub const` here becomes a `#define` in the generated header with the value the original
//! header gives it; the structs keep the original's field names, sizes and offsets.

use core::ffi::{c_char, c_int, c_uchar, c_uint, c_ushort, c_void};

/// key serial number
pub type key_serial_t = i32;

/// key handle permissions mask
pub type key_perm_t = u32;

/// The callback of `recursive_key_scan`: (parent, key, description, description length, data).
pub type recursive_key_scanner_t = Option<
    unsafe extern "C" fn(
        parent: key_serial_t,
        key: key_serial_t,
        desc: *mut c_char,
        desc_len: c_int,
        data: *mut c_void,
    ) -> c_int,
>;

// special process keyring shortcut IDs
pub const KEY_SPEC_THREAD_KEYRING: key_serial_t = -1;
pub const KEY_SPEC_PROCESS_KEYRING: key_serial_t = -2;
pub const KEY_SPEC_SESSION_KEYRING: key_serial_t = -3;
pub const KEY_SPEC_USER_KEYRING: key_serial_t = -4;
pub const KEY_SPEC_USER_SESSION_KEYRING: key_serial_t = -5;
pub const KEY_SPEC_GROUP_KEYRING: key_serial_t = -6;
pub const KEY_SPEC_REQKEY_AUTH_KEY: key_serial_t = -7;

// request-key default keyrings
pub const KEY_REQKEY_DEFL_NO_CHANGE: c_int = -1;
pub const KEY_REQKEY_DEFL_DEFAULT: c_int = 0;
pub const KEY_REQKEY_DEFL_THREAD_KEYRING: c_int = 1;
pub const KEY_REQKEY_DEFL_PROCESS_KEYRING: c_int = 2;
pub const KEY_REQKEY_DEFL_SESSION_KEYRING: c_int = 3;
pub const KEY_REQKEY_DEFL_USER_KEYRING: c_int = 4;
pub const KEY_REQKEY_DEFL_USER_SESSION_KEYRING: c_int = 5;
pub const KEY_REQKEY_DEFL_GROUP_KEYRING: c_int = 6;

// key handle permissions
pub const KEY_POS_VIEW: key_perm_t = 0x0100_0000;
pub const KEY_POS_READ: key_perm_t = 0x0200_0000;
pub const KEY_POS_WRITE: key_perm_t = 0x0400_0000;
pub const KEY_POS_SEARCH: key_perm_t = 0x0800_0000;
pub const KEY_POS_LINK: key_perm_t = 0x1000_0000;
pub const KEY_POS_SETATTR: key_perm_t = 0x2000_0000;
pub const KEY_POS_ALL: key_perm_t = 0x3f00_0000;

pub const KEY_USR_VIEW: key_perm_t = 0x0001_0000;
pub const KEY_USR_READ: key_perm_t = 0x0002_0000;
pub const KEY_USR_WRITE: key_perm_t = 0x0004_0000;
pub const KEY_USR_SEARCH: key_perm_t = 0x0008_0000;
pub const KEY_USR_LINK: key_perm_t = 0x0010_0000;
pub const KEY_USR_SETATTR: key_perm_t = 0x0020_0000;
pub const KEY_USR_ALL: key_perm_t = 0x003f_0000;

pub const KEY_GRP_VIEW: key_perm_t = 0x0000_0100;
pub const KEY_GRP_READ: key_perm_t = 0x0000_0200;
pub const KEY_GRP_WRITE: key_perm_t = 0x0000_0400;
pub const KEY_GRP_SEARCH: key_perm_t = 0x0000_0800;
pub const KEY_GRP_LINK: key_perm_t = 0x0000_1000;
pub const KEY_GRP_SETATTR: key_perm_t = 0x0000_2000;
pub const KEY_GRP_ALL: key_perm_t = 0x0000_3f00;

pub const KEY_OTH_VIEW: key_perm_t = 0x0000_0001;
pub const KEY_OTH_READ: key_perm_t = 0x0000_0002;
pub const KEY_OTH_WRITE: key_perm_t = 0x0000_0004;
pub const KEY_OTH_SEARCH: key_perm_t = 0x0000_0008;
pub const KEY_OTH_LINK: key_perm_t = 0x0000_0010;
pub const KEY_OTH_SETATTR: key_perm_t = 0x0000_0020;
pub const KEY_OTH_ALL: key_perm_t = 0x0000_003f;

// keyctl commands
pub const KEYCTL_GET_KEYRING_ID: c_int = 0;
pub const KEYCTL_JOIN_SESSION_KEYRING: c_int = 1;
pub const KEYCTL_UPDATE: c_int = 2;
pub const KEYCTL_REVOKE: c_int = 3;
pub const KEYCTL_CHOWN: c_int = 4;
pub const KEYCTL_SETPERM: c_int = 5;
pub const KEYCTL_DESCRIBE: c_int = 6;
pub const KEYCTL_CLEAR: c_int = 7;
pub const KEYCTL_LINK: c_int = 8;
pub const KEYCTL_UNLINK: c_int = 9;
pub const KEYCTL_SEARCH: c_int = 10;
pub const KEYCTL_READ: c_int = 11;
pub const KEYCTL_INSTANTIATE: c_int = 12;
pub const KEYCTL_NEGATE: c_int = 13;
pub const KEYCTL_SET_REQKEY_KEYRING: c_int = 14;
pub const KEYCTL_SET_TIMEOUT: c_int = 15;
pub const KEYCTL_ASSUME_AUTHORITY: c_int = 16;
pub const KEYCTL_GET_SECURITY: c_int = 17;
pub const KEYCTL_SESSION_TO_PARENT: c_int = 18;
pub const KEYCTL_REJECT: c_int = 19;
pub const KEYCTL_INSTANTIATE_IOV: c_int = 20;
pub const KEYCTL_INVALIDATE: c_int = 21;
pub const KEYCTL_GET_PERSISTENT: c_int = 22;
pub const KEYCTL_DH_COMPUTE: c_int = 23;
pub const KEYCTL_PKEY_QUERY: c_int = 24;
pub const KEYCTL_PKEY_ENCRYPT: c_int = 25;
pub const KEYCTL_PKEY_DECRYPT: c_int = 26;
pub const KEYCTL_PKEY_SIGN: c_int = 27;
pub const KEYCTL_PKEY_VERIFY: c_int = 28;
pub const KEYCTL_RESTRICT_KEYRING: c_int = 29;
pub const KEYCTL_MOVE: c_int = 30;
pub const KEYCTL_CAPABILITIES: c_int = 31;
pub const KEYCTL_WATCH_KEY: c_int = 32;

/// Parameters of KEYCTL_DH_COMPUTE.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct keyctl_dh_params {
    pub r#priv: key_serial_t,
    pub prime: key_serial_t,
    pub base: key_serial_t,
}

/// Key derivation parameters of KEYCTL_DH_COMPUTE.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct keyctl_kdf_params {
    pub hashname: *mut c_char,
    pub otherinfo: *mut c_char,
    pub otherinfolen: u32,
    pub __spare: [u32; 8],
}

pub const KEYCTL_SUPPORTS_ENCRYPT: c_uint = 0x01;
pub const KEYCTL_SUPPORTS_DECRYPT: c_uint = 0x02;
pub const KEYCTL_SUPPORTS_SIGN: c_uint = 0x04;
pub const KEYCTL_SUPPORTS_VERIFY: c_uint = 0x08;

/// What KEYCTL_PKEY_QUERY reports about a public key.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct keyctl_pkey_query {
    pub supported_ops: c_uint,
    pub key_size: c_uint,
    pub max_data_size: c_ushort,
    pub max_sig_size: c_ushort,
    pub max_enc_size: c_ushort,
    pub max_dec_size: c_ushort,
    pub __spare: [c_uint; 10],
}

/// Parameters of the KEYCTL_PKEY_{ENCRYPT,DECRYPT,SIGN,VERIFY} operations.
///
/// In C the third field is an anonymous union of `out_len` and `in2_len`, which cbindgen cannot
/// express: the header carries a hand-written `struct keyctl_pkey_params` (see cbindgen.toml).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct keyctl_pkey_params {
    pub key_id: key_serial_t,
    pub in_len: c_uint,
    /// `out_len` (encrypt, decrypt, sign) or `in2_len` (verify).
    pub out_or_in2_len: c_uint,
    pub __spare: [c_uint; 7],
}

pub const KEYCTL_MOVE_EXCL: c_uint = 0x0000_0001;

// Capabilities flags: an array of 8-bit integers, each carrying up to 8 flags.
pub const KEYCTL_CAPS0_CAPABILITIES: c_uchar = 0x01;
pub const KEYCTL_CAPS0_PERSISTENT_KEYRINGS: c_uchar = 0x02;
pub const KEYCTL_CAPS0_DIFFIE_HELLMAN: c_uchar = 0x04;
pub const KEYCTL_CAPS0_PUBLIC_KEY: c_uchar = 0x08;
pub const KEYCTL_CAPS0_BIG_KEY: c_uchar = 0x10;
pub const KEYCTL_CAPS0_INVALIDATE: c_uchar = 0x20;
pub const KEYCTL_CAPS0_RESTRICT_KEYRING: c_uchar = 0x40;
pub const KEYCTL_CAPS0_MOVE: c_uchar = 0x80;
pub const KEYCTL_CAPS1_NS_KEYRING_NAME: c_uchar = 0x01;
pub const KEYCTL_CAPS1_NS_KEY_TAG: c_uchar = 0x02;
pub const KEYCTL_CAPS1_NOTIFICATIONS: c_uchar = 0x04;

/// `struct iovec` from `<sys/uio.h>`, which the header only names (as the original does).
/// Not `repr(C)`, so cbindgen emits the forward declaration `struct iovec;`; the library reads
/// it as `libc::iovec`.
pub struct iovec {
    _private: [u8; 0],
}

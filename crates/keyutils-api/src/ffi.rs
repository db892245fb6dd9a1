//! The functions and data of `libkeyutils.so.1` this crate calls, declared with the prototypes of
//! `keyutils.h` (keyutils 1.6.3). The only `extern` declarations of the library in the workspace:
//! programs use the safe functions of the crate root.

use libc::{c_char, c_int, c_long, c_uint, c_ushort, c_void, gid_t, iovec, size_t, uid_t};

/// `key_serial_t`.
pub type Serial = i32;

/// `struct keyctl_pkey_query`.
#[repr(C)]
#[derive(Default)]
pub struct PkeyQueryRaw {
    pub supported_ops: c_uint,
    pub key_size: c_uint,
    pub max_data_size: c_ushort,
    pub max_sig_size: c_ushort,
    pub max_enc_size: c_ushort,
    pub max_dec_size: c_ushort,
    pub spare: [c_uint; 10],
}

/// `recursive_key_scanner_t`.
pub type Scanner = unsafe extern "C" fn(
    parent: Serial,
    key: Serial,
    desc: *mut c_char,
    desc_len: c_int,
    data: *mut c_void,
) -> c_int;

// SAFETY: these are the prototypes of keyutils.h 1.6.3 for the C types they name (key_serial_t
// is int, key_perm_t uint32_t, the strings NUL-terminated), so every call through them matches
// the function the library exports; the callers' SAFETY comments cover the arguments.
#[link(name = "keyutils")]
unsafe extern "C" {
    pub static keyutils_version_string: c_char;
    pub static keyutils_build_string: c_char;

    pub fn add_key(
        type_: *const c_char,
        description: *const c_char,
        payload: *const c_void,
        plen: size_t,
        ringid: Serial,
    ) -> Serial;
    pub fn request_key(
        type_: *const c_char,
        description: *const c_char,
        callout_info: *const c_char,
        destringid: Serial,
    ) -> Serial;

    pub fn keyctl_get_keyring_ID(id: Serial, create: c_int) -> Serial;
    pub fn keyctl_join_session_keyring(name: *const c_char) -> Serial;
    pub fn keyctl_update(id: Serial, payload: *const c_void, plen: size_t) -> c_long;
    pub fn keyctl_revoke(id: Serial) -> c_long;
    pub fn keyctl_chown(id: Serial, uid: uid_t, gid: gid_t) -> c_long;
    pub fn keyctl_setperm(id: Serial, perm: u32) -> c_long;
    pub fn keyctl_clear(ringid: Serial) -> c_long;
    pub fn keyctl_link(id: Serial, ringid: Serial) -> c_long;
    pub fn keyctl_unlink(id: Serial, ringid: Serial) -> c_long;
    pub fn keyctl_search(
        ringid: Serial,
        type_: *const c_char,
        description: *const c_char,
        destringid: Serial,
    ) -> c_long;
    pub fn keyctl_instantiate(
        id: Serial,
        payload: *const c_void,
        plen: size_t,
        ringid: Serial,
    ) -> c_long;
    pub fn keyctl_negate(id: Serial, timeout: c_uint, ringid: Serial) -> c_long;
    pub fn keyctl_set_reqkey_keyring(reqkey_defl: c_int) -> c_long;
    pub fn keyctl_set_timeout(key: Serial, timeout: c_uint) -> c_long;
    pub fn keyctl_assume_authority(key: Serial) -> c_long;
    pub fn keyctl_session_to_parent() -> c_long;
    pub fn keyctl_reject(id: Serial, timeout: c_uint, error: c_uint, ringid: Serial) -> c_long;
    pub fn keyctl_instantiate_iov(
        id: Serial,
        payload_iov: *const iovec,
        ioc: c_uint,
        ringid: Serial,
    ) -> c_long;
    pub fn keyctl_invalidate(id: Serial) -> c_long;
    pub fn keyctl_get_persistent(uid: uid_t, id: Serial) -> c_long;
    pub fn keyctl_dh_compute_kdf(
        private: Serial,
        prime: Serial,
        base: Serial,
        hashname: *const c_char,
        otherinfo: *const c_char,
        otherinfolen: size_t,
        buffer: *mut c_char,
        buflen: size_t,
    ) -> c_long;
    pub fn keyctl_restrict_keyring(
        keyring: Serial,
        type_: *const c_char,
        restriction: *const c_char,
    ) -> c_long;
    pub fn keyctl_pkey_query(
        key_id: Serial,
        info: *const c_char,
        result: *mut PkeyQueryRaw,
    ) -> c_long;
    pub fn keyctl_pkey_encrypt(
        key_id: Serial,
        info: *const c_char,
        data: *const c_void,
        data_len: size_t,
        enc: *mut c_void,
        enc_len: size_t,
    ) -> c_long;
    pub fn keyctl_pkey_decrypt(
        key_id: Serial,
        info: *const c_char,
        enc: *const c_void,
        enc_len: size_t,
        data: *mut c_void,
        data_len: size_t,
    ) -> c_long;
    pub fn keyctl_pkey_sign(
        key_id: Serial,
        info: *const c_char,
        data: *const c_void,
        data_len: size_t,
        sig: *mut c_void,
        sig_len: size_t,
    ) -> c_long;
    pub fn keyctl_pkey_verify(
        key_id: Serial,
        info: *const c_char,
        data: *const c_void,
        data_len: size_t,
        sig: *const c_void,
        sig_len: size_t,
    ) -> c_long;
    pub fn keyctl_move(id: Serial, from_ringid: Serial, to_ringid: Serial, flags: c_uint)
    -> c_long;
    pub fn keyctl_capabilities(buffer: *mut u8, buflen: size_t) -> c_long;
    pub fn keyctl_watch_key(id: Serial, watch_queue_fd: c_int, watch_id: c_int) -> c_long;

    pub fn keyctl_describe_alloc(id: Serial, buffer: *mut *mut c_char) -> c_int;
    pub fn keyctl_read_alloc(id: Serial, buffer: *mut *mut c_void) -> c_int;
    pub fn keyctl_get_security_alloc(id: Serial, buffer: *mut *mut c_char) -> c_int;
    pub fn keyctl_dh_compute_alloc(
        private: Serial,
        prime: Serial,
        base: Serial,
        buffer: *mut *mut c_void,
    ) -> c_int;

    pub fn recursive_key_scan(key: Serial, func: Scanner, data: *mut c_void) -> c_int;
    pub fn recursive_session_key_scan(func: Scanner, data: *mut c_void) -> c_int;
    pub fn find_key_by_type_and_desc(
        type_: *const c_char,
        desc: *const c_char,
        destringid: Serial,
    ) -> Serial;
}

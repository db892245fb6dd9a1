//! The parts of libkeyutils.so.1 that keyctl uses, declared by hand with the
//! same prototypes as keyutils.h.  Linked by soname (see build.rs), so the
//! library chosen at run time by the dynamic loader is the one exercised.

use libc::{c_char, c_int, c_long, c_uint, c_ushort, c_void, gid_t, size_t, uid_t};

pub type KeySerial = i32;
pub type KeyPerm = u32;

pub const KEY_SPEC_THREAD_KEYRING: KeySerial = -1;
pub const KEY_SPEC_PROCESS_KEYRING: KeySerial = -2;
pub const KEY_SPEC_SESSION_KEYRING: KeySerial = -3;
pub const KEY_SPEC_USER_KEYRING: KeySerial = -4;
pub const KEY_SPEC_USER_SESSION_KEYRING: KeySerial = -5;
pub const KEY_SPEC_GROUP_KEYRING: KeySerial = -6;
pub const KEY_SPEC_REQKEY_AUTH_KEY: KeySerial = -7;

pub const KEYCTL_SUPPORTS_ENCRYPT: c_uint = 0x01;
pub const KEYCTL_SUPPORTS_DECRYPT: c_uint = 0x02;
pub const KEYCTL_SUPPORTS_SIGN: c_uint = 0x04;
pub const KEYCTL_SUPPORTS_VERIFY: c_uint = 0x08;

pub const KEYCTL_MOVE_EXCL: c_uint = 0x0000_0001;

#[repr(C)]
#[derive(Default)]
pub struct KeyctlPkeyQuery {
    pub supported_ops: c_uint,
    pub key_size: c_uint,
    pub max_data_size: c_ushort,
    pub max_sig_size: c_ushort,
    pub max_enc_size: c_ushort,
    pub max_dec_size: c_ushort,
    pub spare: [c_uint; 10],
}

pub type RecursiveKeyScanner = unsafe extern "C" fn(
    parent: KeySerial,
    key: KeySerial,
    desc: *mut c_char,
    desc_len: c_int,
    data: *mut c_void,
) -> c_int;

#[link(name = "keyutils")]
extern "C" {
    pub static keyutils_version_string: c_char;
    pub static keyutils_build_string: c_char;

    pub fn add_key(
        type_: *const c_char,
        description: *const c_char,
        payload: *const c_void,
        plen: size_t,
        ringid: KeySerial,
    ) -> KeySerial;
    pub fn request_key(
        type_: *const c_char,
        description: *const c_char,
        callout_info: *const c_char,
        destringid: KeySerial,
    ) -> KeySerial;

    pub fn keyctl_get_keyring_ID(id: KeySerial, create: c_int) -> KeySerial;
    pub fn keyctl_join_session_keyring(name: *const c_char) -> KeySerial;
    pub fn keyctl_update(id: KeySerial, payload: *const c_void, plen: size_t) -> c_long;
    pub fn keyctl_revoke(id: KeySerial) -> c_long;
    pub fn keyctl_chown(id: KeySerial, uid: uid_t, gid: gid_t) -> c_long;
    pub fn keyctl_setperm(id: KeySerial, perm: KeyPerm) -> c_long;
    pub fn keyctl_clear(ringid: KeySerial) -> c_long;
    pub fn keyctl_link(id: KeySerial, ringid: KeySerial) -> c_long;
    pub fn keyctl_unlink(id: KeySerial, ringid: KeySerial) -> c_long;
    pub fn keyctl_search(
        ringid: KeySerial,
        type_: *const c_char,
        description: *const c_char,
        destringid: KeySerial,
    ) -> c_long;
    pub fn keyctl_instantiate(
        id: KeySerial,
        payload: *const c_void,
        plen: size_t,
        ringid: KeySerial,
    ) -> c_long;
    pub fn keyctl_negate(id: KeySerial, timeout: c_uint, ringid: KeySerial) -> c_long;
    pub fn keyctl_set_timeout(key: KeySerial, timeout: c_uint) -> c_long;
    pub fn keyctl_session_to_parent() -> c_long;
    pub fn keyctl_reject(
        id: KeySerial,
        timeout: c_uint,
        error: c_uint,
        ringid: KeySerial,
    ) -> c_long;
    pub fn keyctl_invalidate(id: KeySerial) -> c_long;
    pub fn keyctl_get_persistent(uid: uid_t, id: KeySerial) -> c_long;
    pub fn keyctl_dh_compute_kdf(
        private: KeySerial,
        prime: KeySerial,
        base: KeySerial,
        hashname: *mut c_char,
        otherinfo: *mut c_char,
        otherinfolen: size_t,
        buffer: *mut c_char,
        buflen: size_t,
    ) -> c_long;
    pub fn keyctl_restrict_keyring(
        keyring: KeySerial,
        type_: *const c_char,
        restriction: *const c_char,
    ) -> c_long;
    pub fn keyctl_pkey_query(
        key_id: KeySerial,
        info: *const c_char,
        result: *mut KeyctlPkeyQuery,
    ) -> c_long;
    pub fn keyctl_pkey_encrypt(
        key_id: KeySerial,
        info: *const c_char,
        data: *const c_void,
        data_len: size_t,
        enc: *mut c_void,
        enc_len: size_t,
    ) -> c_long;
    pub fn keyctl_pkey_decrypt(
        key_id: KeySerial,
        info: *const c_char,
        enc: *const c_void,
        enc_len: size_t,
        data: *mut c_void,
        data_len: size_t,
    ) -> c_long;
    pub fn keyctl_pkey_sign(
        key_id: KeySerial,
        info: *const c_char,
        data: *const c_void,
        data_len: size_t,
        sig: *mut c_void,
        sig_len: size_t,
    ) -> c_long;
    pub fn keyctl_pkey_verify(
        key_id: KeySerial,
        info: *const c_char,
        data: *const c_void,
        data_len: size_t,
        sig: *const c_void,
        sig_len: size_t,
    ) -> c_long;
    pub fn keyctl_move(
        id: KeySerial,
        from_ringid: KeySerial,
        to_ringid: KeySerial,
        flags: c_uint,
    ) -> c_long;
    pub fn keyctl_capabilities(buffer: *mut u8, buflen: size_t) -> c_long;
    pub fn keyctl_watch_key(id: KeySerial, watch_queue_fd: c_int, watch_id: c_int) -> c_long;

    pub fn keyctl_describe_alloc(id: KeySerial, buffer: *mut *mut c_char) -> c_int;
    pub fn keyctl_read_alloc(id: KeySerial, buffer: *mut *mut c_void) -> c_int;
    pub fn keyctl_get_security_alloc(id: KeySerial, buffer: *mut *mut c_char) -> c_int;
    pub fn keyctl_dh_compute_alloc(
        private: KeySerial,
        prime: KeySerial,
        base: KeySerial,
        buffer: *mut *mut c_void,
    ) -> c_int;

    pub fn recursive_session_key_scan(func: RecursiveKeyScanner, data: *mut c_void) -> c_int;
    pub fn find_key_by_type_and_desc(
        type_: *const c_char,
        desc: *const c_char,
        destringid: KeySerial,
    ) -> KeySerial;
}

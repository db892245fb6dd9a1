//! A safe Rust API over `libkeyutils.so.1`, the Linux key management library.
//!
//! Every function calls the C library of the same name (`add_key`, `keyctl_read_alloc`, ...),
//! which the binary links by soname: at run time the dynamic loader picks the
//! `libkeyutils.so.1` it finds, whether it is keyutils' own or this project's Rust one.
//!
//! - Errors are [`std::io::Error`]s: the `errno` of the failed call
//!   ([`raw_os_error`](std::io::Error::raw_os_error) gives `ENOKEY`, `EKEYREVOKED`, `EACCES`,
//!   ...), or [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput) for a string
//!   argument with a NUL byte inside, which C could not pass.
//! - String-like arguments (key types, descriptions, callout information) are
//!   `impl AsRef<[u8]>`: `&str`, `&[u8]`, `Vec<u8>`, `OsStr::as_bytes()`; any byte but NUL.
//! - Payloads and descriptions come back as owned `Vec<u8>` of whatever size the key has: the
//!   library's `*_alloc` functions do the sizing, and the crate frees their buffers.
//! - Nothing here panics on any input.
//!
//! ```no_run
//! use keyutils_api::{self as keyutils, KeySerial, SpecialKeyring};
//!
//! fn main() -> std::io::Result<()> {
//!     // A fresh anonymous session keyring, so the key goes away with this process.
//!     keyutils::join_session_keyring(None)?;
//!     let session: KeySerial = SpecialKeyring::Session.into();
//!     let key = keyutils::add_key("user", "example:greeting", b"hello", session)?;
//!     keyutils::update(key, b"hello, world")?;
//!     assert_eq!(keyutils::read(key)?, b"hello, world");
//!     let d = keyutils::describe(key)?;
//!     println!("{key}: {} {}", String::from_utf8_lossy(&d.key_type), d.perm);
//!     keyutils::revoke(key)?;
//!     let err = keyutils::read(key).unwrap_err();
//!     assert_eq!(err.raw_os_error(), Some(libc::EKEYREVOKED));
//!     Ok(())
//! }
//! ```
//!
//! Linking: the build script links `-lkeyutils` from `$KEYUTILS_LIBDIR` when that is set (the
//! project's `build/lib`), else from the system's linker path (Debian's `libkeyutils-dev`).
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod ffi;
mod types;

use std::ffi::{CStr, CString};
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::ptr;

use libc::{c_char, c_int, c_long, c_void};

pub use std::io::Result;
pub use types::{Description, KeySerial, Permission, PkeyQuery, SpecialKeyring};

// ---- plumbing ----

/// The argument as a C string, or `InvalidInput` if it holds a NUL byte.
fn c_string(arg: impl AsRef<[u8]>) -> Result<CString> {
    CString::new(arg.as_ref()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "a string argument of a keyutils call contains a NUL byte",
        )
    })
}

/// An optional string argument: a C string, or None for NULL.
fn opt_c_string(arg: Option<&[u8]>) -> Result<Option<CString>> {
    arg.map(c_string).transpose()
}

/// The pointer of an optional C string, NULL for None.
fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |c| c.as_ptr())
}

/// A library result: negative is failure with `errno` set.
fn check(ret: impl Into<i64>) -> Result<i64> {
    let ret = ret.into();
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

/// A library result that is a key's serial.
fn check_serial(ret: impl Into<i64>) -> Result<KeySerial> {
    check(ret).map(|v| KeySerial(v as i32))
}

/// A library result that is only success or failure.
fn check_unit(ret: c_long) -> Result<()> {
    check(ret).map(drop)
}

/// Takes a NUL-terminated string the library allocated with malloc, and frees it.
///
/// # Safety
/// `p` must be NULL or a NUL-terminated buffer from malloc that nothing else uses.
unsafe fn take_c_string(p: *mut c_char) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller guarantees a NUL-terminated buffer.
    let v = unsafe { CStr::from_ptr(p) }.to_bytes().to_vec();
    // SAFETY: the buffer came from malloc and nothing uses it after this.
    unsafe { libc::free(p.cast()) };
    v
}

/// Takes `len` bytes the library allocated with malloc, and frees them.
///
/// # Safety
/// `p` must be NULL or a malloc'd buffer of at least `len` bytes that nothing else uses.
unsafe fn take_buffer(p: *mut c_void, len: usize) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    // SAFETY: the caller guarantees `len` readable bytes at `p`.
    let v = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) }.to_vec();
    // SAFETY: the buffer came from malloc and nothing uses it after this.
    unsafe { libc::free(p) };
    v
}

/// Calls a string `*_alloc` function of the library and takes its result.
fn string_alloc(
    id: KeySerial,
    f: unsafe extern "C" fn(ffi::Serial, *mut *mut c_char) -> c_int,
) -> Result<Vec<u8>> {
    let mut p: *mut c_char = ptr::null_mut();
    // SAFETY: `f` is keyctl_describe_alloc or keyctl_get_security_alloc, which store a malloc'd
    // string in `p` on success and leave it alone on failure.
    check(unsafe { f(id.0, &mut p) })?;
    // SAFETY: on success `p` is the library's malloc'd NUL-terminated string, ours to free.
    Ok(unsafe { take_c_string(p) })
}

/// Calls a buffer `*_alloc` function of the library (`f` given the out-pointer) and takes its
/// result, whose length the function returns.
fn buffer_alloc(f: impl FnOnce(*mut *mut c_void) -> c_int) -> Result<Vec<u8>> {
    let mut p: *mut c_void = ptr::null_mut();
    let len = check(f(&mut p))?;
    // SAFETY: on success `p` is a malloc'd buffer of at least `len` bytes (plus a NUL), ours.
    Ok(unsafe { take_buffer(p, len as usize) })
}

// ---- creating and finding keys ----

/// Creates a key of type `key_type` and description `desc` with `payload` and links it into
/// `ring`, or updates the key of that type and description already in `ring` (`add_key(2)`).
/// Keyrings take an empty payload.
pub fn add_key(
    key_type: impl AsRef<[u8]>,
    desc: impl AsRef<[u8]>,
    payload: &[u8],
    ring: KeySerial,
) -> Result<KeySerial> {
    let t = c_string(key_type)?;
    let d = c_string(desc)?;
    // SAFETY: the strings are NUL-terminated; `payload` covers its length.
    check_serial(unsafe {
        ffi::add_key(
            t.as_ptr(),
            d.as_ptr(),
            payload.as_ptr().cast(),
            payload.len(),
            ring.0,
        )
    })
}

/// Finds a key of type `key_type` and description `desc` in the caller's keyrings, or has the
/// kernel construct one through `/sbin/request-key` with `callout` as its callout information
/// (`request_key(2)`); links it into `dest` unless that is [`KeySerial::NONE`].
pub fn request_key(
    key_type: impl AsRef<[u8]>,
    desc: impl AsRef<[u8]>,
    callout: Option<&[u8]>,
    dest: KeySerial,
) -> Result<KeySerial> {
    let t = c_string(key_type)?;
    let d = c_string(desc)?;
    let c = opt_c_string(callout)?;
    // SAFETY: the strings are NUL-terminated or NULL (no callout information).
    check_serial(unsafe { ffi::request_key(t.as_ptr(), d.as_ptr(), opt_ptr(&c), dest.0) })
}

/// The serial of `id`, a special keyring resolved; `create` makes the special keyring if it does
/// not exist yet (`keyctl_get_keyring_ID`).
pub fn get_keyring_id(id: KeySerial, create: bool) -> Result<KeySerial> {
    // SAFETY: a system call wrapper taking integers.
    check_serial(unsafe { ffi::keyctl_get_keyring_ID(id.0, c_int::from(create)) })
}

/// Joins the session keyring `name`, created if needed, or a new anonymous one for None; returns
/// its serial (`keyctl_join_session_keyring`).
pub fn join_session_keyring(name: Option<&[u8]>) -> Result<KeySerial> {
    let n = opt_c_string(name)?;
    // SAFETY: a NUL-terminated name, or NULL for an anonymous keyring.
    check_serial(unsafe { ffi::keyctl_join_session_keyring(opt_ptr(&n)) })
}

/// Searches `ring` recursively for a key of type `key_type` and description `desc`, and links
/// it into `dest` unless that is [`KeySerial::NONE`] (`keyctl_search`).
pub fn search(
    ring: KeySerial,
    key_type: impl AsRef<[u8]>,
    desc: impl AsRef<[u8]>,
    dest: KeySerial,
) -> Result<KeySerial> {
    let t = c_string(key_type)?;
    let d = c_string(desc)?;
    // SAFETY: the strings are NUL-terminated.
    check_serial(unsafe { ffi::keyctl_search(ring.0, t.as_ptr(), d.as_ptr(), dest.0) })
}

/// Finds a key by type and description in the caller's keyrings, negative and rejected keys
/// included, and links it into `dest` unless that is [`KeySerial::NONE`]
/// (`find_key_by_type_and_desc`, what `keyctl`'s `%type:desc` uses).
pub fn find_key_by_type_and_desc(
    key_type: impl AsRef<[u8]>,
    desc: impl AsRef<[u8]>,
    dest: KeySerial,
) -> Result<KeySerial> {
    let t = c_string(key_type)?;
    let d = c_string(desc)?;
    // SAFETY: the strings are NUL-terminated.
    check_serial(unsafe { ffi::find_key_by_type_and_desc(t.as_ptr(), d.as_ptr(), dest.0) })
}

/// The persistent keyring of `uid` (None: the caller's own), linked into `ring`
/// (`keyctl_get_persistent`).
pub fn get_persistent(uid: Option<u32>, ring: KeySerial) -> Result<KeySerial> {
    // SAFETY: a system call wrapper taking integers; uid -1 means the caller's.
    check_serial(unsafe { ffi::keyctl_get_persistent(uid.unwrap_or(u32::MAX), ring.0) })
}

// ---- changing keys ----

/// Replaces the payload of `id` (`keyctl_update`).
pub fn update(id: KeySerial, payload: &[u8]) -> Result<()> {
    // SAFETY: `payload` covers its length.
    check_unit(unsafe { ffi::keyctl_update(id.0, payload.as_ptr().cast(), payload.len()) })
}

/// Revokes `id`: every later use fails with `EKEYREVOKED` (`keyctl_revoke`).
pub fn revoke(id: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking an integer.
    check_unit(unsafe { ffi::keyctl_revoke(id.0) })
}

/// Unlinks every key from the keyring `ring` (`keyctl_clear`).
pub fn clear(ring: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking an integer.
    check_unit(unsafe { ffi::keyctl_clear(ring.0) })
}

/// Invalidates `id`: it disappears from every keyring at once (`keyctl_invalidate`).
pub fn invalidate(id: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking an integer.
    check_unit(unsafe { ffi::keyctl_invalidate(id.0) })
}

/// Gives `id` to `uid` and/or `gid`; None leaves that one as it is (`keyctl_chown`).
pub fn chown(id: KeySerial, uid: Option<u32>, gid: Option<u32>) -> Result<()> {
    // SAFETY: a system call wrapper taking integers; -1 leaves an id unchanged.
    check_unit(unsafe { ffi::keyctl_chown(id.0, uid.unwrap_or(u32::MAX), gid.unwrap_or(u32::MAX)) })
}

/// Sets the permission mask of `id` (`keyctl_setperm`).
pub fn setperm(id: KeySerial, perm: Permission) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_setperm(id.0, perm.0) })
}

/// Links `id` into the keyring `ring` (`keyctl_link`).
pub fn link(id: KeySerial, ring: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_link(id.0, ring.0) })
}

/// Unlinks `id` from the keyring `ring` (`keyctl_unlink`).
pub fn unlink(id: KeySerial, ring: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_unlink(id.0, ring.0) })
}

/// Moves the link to `id` from keyring `from` to keyring `to`; with `exclusive`, fails with
/// `EEXIST` rather than displace a key of the same type and description in `to`
/// (`keyctl_move`).
pub fn move_key(id: KeySerial, from: KeySerial, to: KeySerial, exclusive: bool) -> Result<()> {
    let flags = if exclusive { 1 } else { 0 }; // KEYCTL_MOVE_EXCL
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_move(id.0, from.0, to.0, flags) })
}

/// Sets `id` to expire `secs` seconds from now; 0 clears the expiry (`keyctl_set_timeout`).
pub fn set_timeout(id: KeySerial, secs: u32) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_set_timeout(id.0, secs) })
}

/// Restricts what may be linked into `ring`: `key_type` and `restriction` as the kernel takes
/// them; both None makes the keyring refuse any new link (`keyctl_restrict_keyring`).
pub fn restrict_keyring(
    ring: KeySerial,
    key_type: Option<&[u8]>,
    restriction: Option<&[u8]>,
) -> Result<()> {
    let t = opt_c_string(key_type)?;
    let r = opt_c_string(restriction)?;
    // SAFETY: the strings are NUL-terminated or NULL.
    check_unit(unsafe { ffi::keyctl_restrict_keyring(ring.0, opt_ptr(&t), opt_ptr(&r)) })
}

// ---- reading keys ----

/// The attributes of `id`, parsed ([`describe_raw`] gives the text); an unparsable description
/// is `InvalidData`.
pub fn describe(id: KeySerial) -> Result<Description> {
    let raw = describe_raw(id)?;
    Description::parse(&raw).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "the kernel's key description does not parse",
        )
    })
}

/// The kernel's description of `id`, `type;uid;gid;perm;description`, without its NUL
/// (`keyctl_describe_alloc`).
pub fn describe_raw(id: KeySerial) -> Result<Vec<u8>> {
    string_alloc(id, ffi::keyctl_describe_alloc)
}

/// The payload of `id`, whatever its size; a keyring's is its list of serials, 4 bytes each in
/// the machine's byte order ([`keyring_serials`] splits it) (`keyctl_read_alloc`).
pub fn read(id: KeySerial) -> Result<Vec<u8>> {
    // SAFETY: the out-pointer is valid; the function stores a malloc'd buffer in it.
    buffer_alloc(|p| unsafe { ffi::keyctl_read_alloc(id.0, p) })
}

/// The serials in a keyring's payload as [`read`] gives it (trailing bytes that make no whole
/// serial are ignored).
pub fn keyring_serials(payload: &[u8]) -> Vec<KeySerial> {
    payload
        .chunks_exact(4)
        .map(|c| KeySerial(i32::from_ne_bytes([c[0], c[1], c[2], c[3]])))
        .collect()
}

/// The LSM security label of `id` (`keyctl_get_security_alloc`); empty without an LSM.
pub fn get_security(id: KeySerial) -> Result<Vec<u8>> {
    string_alloc(id, ffi::keyctl_get_security_alloc)
}

/// The kernel's keyring capabilities (`keyctl_capabilities`): byte 0 bit 0x01 capabilities,
/// 0x02 persistent keyrings, 0x04 Diffie-Hellman, 0x08 public keys, 0x10 big keys, 0x20
/// invalidate, 0x40 restrict, 0x80 move; byte 1 bit 0x01 namespaced keyring names, 0x02 key
/// tags, 0x04 notifications. As many bytes as the kernel reports.
pub fn capabilities() -> Result<Vec<u8>> {
    let fetch = |buf: &mut Vec<u8>| -> Result<usize> {
        // SAFETY: `buf` is writable for its length.
        let len = check(unsafe { ffi::keyctl_capabilities(buf.as_mut_ptr(), buf.len()) })?;
        Ok(len as usize)
    };
    let mut buf = vec![0u8; 256];
    let mut len = fetch(&mut buf)?;
    if len > buf.len() {
        // The library returns the full size when the buffer was too small: fetch once more.
        buf = vec![0u8; len];
        len = fetch(&mut buf)?;
    }
    buf.truncate(len);
    Ok(buf)
}

// ---- request-key handlers ----

/// Instantiates the key `id` under construction with `payload` and links it into `ring`; the
/// caller must hold its authority ([`assume_authority`]) (`keyctl_instantiate`).
pub fn instantiate(id: KeySerial, payload: &[u8], ring: KeySerial) -> Result<()> {
    // SAFETY: `payload` covers its length.
    check_unit(unsafe {
        ffi::keyctl_instantiate(id.0, payload.as_ptr().cast(), payload.len(), ring.0)
    })
}

/// As [`instantiate`], with the payload given in parts, joined by the kernel
/// (`keyctl_instantiate_iov`).
pub fn instantiate_iov(id: KeySerial, parts: &[&[u8]], ring: KeySerial) -> Result<()> {
    let iov: Vec<libc::iovec> = parts
        .iter()
        .map(|p| libc::iovec {
            iov_base: p.as_ptr() as *mut c_void,
            iov_len: p.len(),
        })
        .collect();
    let count = u32::try_from(iov.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too many payload parts"))?;
    // SAFETY: `iov` describes `count` readable buffers that outlive the call; the kernel only
    // reads them.
    check_unit(unsafe { ffi::keyctl_instantiate_iov(id.0, iov.as_ptr(), count, ring.0) })
}

/// Makes the key `id` under construction negative for `timeout_secs` seconds (requests for it
/// fail with `ENOKEY`) and links it into `ring` (`keyctl_negate`).
pub fn negate(id: KeySerial, timeout_secs: u32, ring: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_negate(id.0, timeout_secs, ring.0) })
}

/// As [`negate`], with the errno that requests for the key get (`EKEYREJECTED`, ...)
/// (`keyctl_reject`).
pub fn reject(id: KeySerial, timeout_secs: u32, error: i32, ring: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_reject(id.0, timeout_secs, error as u32, ring.0) })
}

/// Assumes the authority to instantiate `id` (the handler of a request-key upcall holds it in
/// its session keyring); [`KeySerial::NONE`] gives the authority up
/// (`keyctl_assume_authority`).
pub fn assume_authority(id: KeySerial) -> Result<()> {
    // SAFETY: a system call wrapper taking an integer.
    check_unit(unsafe { ffi::keyctl_assume_authority(id.0) })
}

/// Sets where [`request_key`] links the keys it makes when no destination is given
/// (`KEY_REQKEY_DEFL_*`; -1 only asks); returns the previous setting
/// (`keyctl_set_reqkey_keyring`).
pub fn set_reqkey_keyring(which: i32) -> Result<i32> {
    // SAFETY: a system call wrapper taking an integer.
    check(unsafe { ffi::keyctl_set_reqkey_keyring(which) }).map(|v| v as i32)
}

/// Replaces the session keyring of the caller's parent process with the caller's
/// (`keyctl_session_to_parent`); it takes effect when the parent next returns to user space.
pub fn session_to_parent() -> Result<()> {
    // SAFETY: a system call wrapper without arguments.
    check_unit(unsafe { ffi::keyctl_session_to_parent() })
}

// ---- asymmetric keys and Diffie-Hellman ----

/// What the asymmetric key `id` supports with the parameters `info` (`enc=pkcs1 hash=sha256`,
/// ...) (`keyctl_pkey_query`).
pub fn pkey_query(id: KeySerial, info: impl AsRef<[u8]>) -> Result<PkeyQuery> {
    let info = c_string(info)?;
    let mut raw = ffi::PkeyQueryRaw::default();
    // SAFETY: `info` is NUL-terminated; `raw` is a writable struct keyctl_pkey_query.
    check(unsafe { ffi::keyctl_pkey_query(id.0, info.as_ptr(), &mut raw) })?;
    Ok(PkeyQuery {
        supported_ops: raw.supported_ops,
        key_size: raw.key_size,
        max_data_size: raw.max_data_size,
        max_sig_size: raw.max_sig_size,
        max_enc_size: raw.max_enc_size,
        max_dec_size: raw.max_dec_size,
    })
}

type PkeyOp = unsafe extern "C" fn(
    ffi::Serial,
    *const c_char,
    *const c_void,
    libc::size_t,
    *mut c_void,
    libc::size_t,
) -> c_long;

/// One of the pkey operations into `out`: the number of bytes it wrote.
fn pkey_into(
    op: PkeyOp,
    id: KeySerial,
    info: &[u8],
    input: &[u8],
    out: &mut [u8],
) -> Result<usize> {
    let info = c_string(info)?;
    // SAFETY: `info` is NUL-terminated; `input` and `out` cover their lengths.
    let n = check(unsafe {
        op(
            id.0,
            info.as_ptr(),
            input.as_ptr().cast(),
            input.len(),
            out.as_mut_ptr().cast(),
            out.len(),
        )
    })?;
    Ok((n as usize).min(out.len()))
}

/// One of the pkey operations into a buffer of the size `pkey_query` gives.
fn pkey_alloc(
    op: PkeyOp,
    id: KeySerial,
    info: &[u8],
    input: &[u8],
    size: fn(&PkeyQuery) -> u16,
) -> Result<Vec<u8>> {
    let mut out = vec![0u8; usize::from(size(&pkey_query(id, info)?))];
    let n = pkey_into(op, id, info, input, &mut out)?;
    out.truncate(n);
    Ok(out)
}

/// Encrypts `data` with the asymmetric key `id` (`keyctl_pkey_encrypt`).
pub fn pkey_encrypt(id: KeySerial, info: impl AsRef<[u8]>, data: &[u8]) -> Result<Vec<u8>> {
    pkey_alloc(ffi::keyctl_pkey_encrypt, id, info.as_ref(), data, |q| {
        q.max_enc_size
    })
}

/// Decrypts `enc` with the asymmetric key `id` (`keyctl_pkey_decrypt`).
pub fn pkey_decrypt(id: KeySerial, info: impl AsRef<[u8]>, enc: &[u8]) -> Result<Vec<u8>> {
    pkey_alloc(ffi::keyctl_pkey_decrypt, id, info.as_ref(), enc, |q| {
        q.max_dec_size
    })
}

/// Signs `data` (a digest, as `info` says) with the asymmetric key `id` (`keyctl_pkey_sign`).
pub fn pkey_sign(id: KeySerial, info: impl AsRef<[u8]>, data: &[u8]) -> Result<Vec<u8>> {
    pkey_alloc(ffi::keyctl_pkey_sign, id, info.as_ref(), data, |q| {
        q.max_sig_size
    })
}

/// [`pkey_encrypt`] into `out`, without querying the size first: the bytes written.
pub fn pkey_encrypt_into(
    id: KeySerial,
    info: impl AsRef<[u8]>,
    data: &[u8],
    out: &mut [u8],
) -> Result<usize> {
    pkey_into(ffi::keyctl_pkey_encrypt, id, info.as_ref(), data, out)
}

/// [`pkey_decrypt`] into `out`, without querying the size first: the bytes written.
pub fn pkey_decrypt_into(
    id: KeySerial,
    info: impl AsRef<[u8]>,
    enc: &[u8],
    out: &mut [u8],
) -> Result<usize> {
    pkey_into(ffi::keyctl_pkey_decrypt, id, info.as_ref(), enc, out)
}

/// [`pkey_sign`] into `out`, without querying the size first: the bytes written.
pub fn pkey_sign_into(
    id: KeySerial,
    info: impl AsRef<[u8]>,
    data: &[u8],
    out: &mut [u8],
) -> Result<usize> {
    pkey_into(ffi::keyctl_pkey_sign, id, info.as_ref(), data, out)
}

/// Checks the signature `sig` of `data` with the asymmetric key `id`; a bad signature is
/// `EKEYREJECTED` (`keyctl_pkey_verify`).
pub fn pkey_verify(id: KeySerial, info: impl AsRef<[u8]>, data: &[u8], sig: &[u8]) -> Result<()> {
    let info = c_string(info)?;
    // SAFETY: `info` is NUL-terminated; `data` and `sig` cover their lengths.
    check_unit(unsafe {
        ffi::keyctl_pkey_verify(
            id.0,
            info.as_ptr(),
            data.as_ptr().cast(),
            data.len(),
            sig.as_ptr().cast(),
            sig.len(),
        )
    })
}

/// The Diffie-Hellman shared secret `base ^ private mod prime`, each a `user` key holding a
/// big-endian number (`keyctl_dh_compute_alloc`).
pub fn dh_compute(private: KeySerial, prime: KeySerial, base: KeySerial) -> Result<Vec<u8>> {
    // SAFETY: the out-pointer is valid; the function stores a malloc'd buffer in it.
    buffer_alloc(|p| unsafe { ffi::keyctl_dh_compute_alloc(private.0, prime.0, base.0, p) })
}

/// The Diffie-Hellman secret put through the KDF with hash `hash` (`sha256`, ...) and
/// `otherinfo`, `out_len` bytes of it (`keyctl_dh_compute_kdf`).
pub fn dh_compute_kdf(
    private: KeySerial,
    prime: KeySerial,
    base: KeySerial,
    hash: impl AsRef<[u8]>,
    otherinfo: Option<&[u8]>,
    out_len: usize,
) -> Result<Vec<u8>> {
    let mut out = vec![0u8; out_len];
    let n = dh_compute_kdf_into(private, prime, base, hash, otherinfo, &mut out)?;
    out.truncate(n);
    Ok(out)
}

/// [`dh_compute_kdf`] into `out`, as many bytes as it holds: the bytes written.
pub fn dh_compute_kdf_into(
    private: KeySerial,
    prime: KeySerial,
    base: KeySerial,
    hash: impl AsRef<[u8]>,
    otherinfo: Option<&[u8]>,
    out: &mut [u8],
) -> Result<usize> {
    let hash = c_string(hash)?;
    let (oi, oi_len) = otherinfo.map_or((ptr::null(), 0), |o| (o.as_ptr(), o.len()));
    // SAFETY: `hash` is NUL-terminated; `otherinfo` is NULL or covers its length; `out` is
    // writable for its length. The library only reads the hash name and the other info.
    let n = check(unsafe {
        ffi::keyctl_dh_compute_kdf(
            private.0,
            prime.0,
            base.0,
            hash.as_ptr(),
            oi.cast(),
            oi_len,
            out.as_mut_ptr().cast(),
            out.len(),
        )
    })?;
    Ok((n as usize).min(out.len()))
}

/// Has the kernel post notifications about `id` to the watch queue open on `fd`
/// (`/dev/watch_queue`), tagged `watch_id`; -1 removes the watch (`keyctl_watch_key`).
pub fn watch_key(id: KeySerial, fd: i32, watch_id: i32) -> Result<()> {
    // SAFETY: a system call wrapper taking integers.
    check_unit(unsafe { ffi::keyctl_watch_key(id.0, fd, watch_id) })
}

// ---- walking keyring trees ----

/// A callback of the scans and whatever it left: the state a trampoline carries.
struct ScanState<F> {
    f: F,
    panic: Option<Box<dyn std::any::Any + Send>>,
}

/// The C callback: hands the description to the Rust closure as a `Result`.
///
/// # Safety
/// `data` must be the `ScanState<F>` of the running scan; `desc` NULL or `len` readable bytes.
unsafe extern "C" fn trampoline<F>(
    parent: ffi::Serial,
    key: ffi::Serial,
    desc: *mut c_char,
    len: c_int,
    data: *mut c_void,
) -> c_int
where
    F: FnMut(KeySerial, KeySerial, std::result::Result<&[u8], io::Error>) -> i32,
{
    // First thing: the errno of a failed describe, before anything can change it.
    let err = io::Error::last_os_error();
    // SAFETY: the scan passes back the pointer to the state it was given.
    let state = unsafe { &mut *data.cast::<ScanState<F>>() };
    if state.panic.is_some() {
        return 0;
    }
    let desc = if desc.is_null() || len < 0 {
        Err(err)
    } else {
        // SAFETY: the library passes `len` readable bytes at `desc`, valid during the call.
        Ok(unsafe { std::slice::from_raw_parts(desc.cast::<u8>(), len as usize) })
    };
    let f = &mut state.f;
    match panic::catch_unwind(AssertUnwindSafe(|| {
        f(KeySerial(parent), KeySerial(key), desc)
    })) {
        Ok(n) => n,
        Err(p) => {
            state.panic = Some(p);
            0
        }
    }
}

/// Runs one scan with `f` as its callback; a panic of `f` resumes once the C code is left.
fn run_scan<F>(f: F, scan: impl FnOnce(ffi::Scanner, *mut c_void) -> c_int) -> i32
where
    F: FnMut(KeySerial, KeySerial, std::result::Result<&[u8], io::Error>) -> i32,
{
    let mut state = ScanState { f, panic: None };
    let n = scan(trampoline::<F>, (&mut state as *mut ScanState<F>).cast());
    if let Some(p) = state.panic {
        panic::resume_unwind(p);
    }
    n
}

/// Walks the keyring tree under `ring` depth first, calling `f(parent, key, description)` for
/// every key (members of a keyring before the keyring; the top one with parent
/// [`KeySerial::NONE`]); the description is the raw text [`describe_raw`] gives, or empty for a
/// key that cannot be described ([`recursive_key_scan_full`] tells why). Returns the sum of
/// `f`'s results (`recursive_key_scan`).
pub fn recursive_key_scan<F>(ring: KeySerial, mut f: F) -> i32
where
    F: FnMut(KeySerial, KeySerial, &[u8]) -> i32,
{
    recursive_key_scan_full(ring, move |p, k, d| f(p, k, d.unwrap_or_default()))
}

/// As [`recursive_key_scan`], on the caller's session keyring; 0 without one
/// (`recursive_session_key_scan`).
pub fn recursive_session_key_scan<F>(mut f: F) -> i32
where
    F: FnMut(KeySerial, KeySerial, &[u8]) -> i32,
{
    recursive_session_key_scan_full(move |p, k, d| f(p, k, d.unwrap_or_default()))
}

/// As [`recursive_key_scan`], with the description as a `Result`: the error of a key that
/// could not be described (`EACCES` for one the caller may not view, `EKEYREVOKED`, ...).
pub fn recursive_key_scan_full<F>(ring: KeySerial, f: F) -> i32
where
    F: FnMut(KeySerial, KeySerial, std::result::Result<&[u8], io::Error>) -> i32,
{
    // SAFETY: `func` and `data` come from run_scan: the trampoline of `F` and its state, which
    // outlives the scan.
    run_scan(f, |func, data| unsafe {
        ffi::recursive_key_scan(ring.0, func, data)
    })
}

/// As [`recursive_session_key_scan`], with the description as a `Result`
/// ([`recursive_key_scan_full`]).
pub fn recursive_session_key_scan_full<F>(f: F) -> i32
where
    F: FnMut(KeySerial, KeySerial, std::result::Result<&[u8], io::Error>) -> i32,
{
    // SAFETY: as in recursive_key_scan_full.
    run_scan(f, |func, data| unsafe {
        ffi::recursive_session_key_scan(func, data)
    })
}

// ---- the library itself ----

/// The library's `keyutils_version_string`, `"keyutils-1.6.3"` for this version.
pub fn version_string() -> &'static CStr {
    // SAFETY: the library exports a NUL-terminated char array under this name, alive as long as
    // the process.
    unsafe { CStr::from_ptr(&raw const ffi::keyutils_version_string) }
}

/// The library's `keyutils_build_string`: its version and build date.
pub fn build_string() -> &'static CStr {
    // SAFETY: as in version_string.
    unsafe { CStr::from_ptr(&raw const ffi::keyutils_build_string) }
}

// ---- the same as methods ----

impl KeySerial {
    /// [`describe`] this key.
    pub fn describe(self) -> Result<Description> {
        describe(self)
    }

    /// [`read`] this key's payload.
    pub fn read(self) -> Result<Vec<u8>> {
        read(self)
    }

    /// [`update`] this key's payload.
    pub fn update(self, payload: &[u8]) -> Result<()> {
        update(self, payload)
    }

    /// [`revoke`] this key.
    pub fn revoke(self) -> Result<()> {
        revoke(self)
    }

    /// [`invalidate`] this key.
    pub fn invalidate(self) -> Result<()> {
        invalidate(self)
    }

    /// [`link`] this key into `ring`.
    pub fn link(self, ring: KeySerial) -> Result<()> {
        link(self, ring)
    }

    /// [`unlink`] this key from `ring`.
    pub fn unlink(self, ring: KeySerial) -> Result<()> {
        unlink(self, ring)
    }

    /// [`set_timeout`] of this key.
    pub fn set_timeout(self, secs: u32) -> Result<()> {
        set_timeout(self, secs)
    }

    /// [`setperm`] of this key.
    pub fn setperm(self, perm: Permission) -> Result<()> {
        setperm(self, perm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_invalid_input() {
        let e = c_string(b"a\0b").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(e.raw_os_error(), None);
        assert_eq!(c_string("ok").unwrap().as_bytes(), b"ok");
    }

    #[test]
    fn serials_split() {
        let mut p = Vec::new();
        for s in [1i32, -3, 0x7fff_ffff] {
            p.extend_from_slice(&s.to_ne_bytes());
        }
        p.push(9);
        assert_eq!(
            keyring_serials(&p),
            [KeySerial(1), KeySerial(-3), KeySerial(0x7fff_ffff)]
        );
        assert!(keyring_serials(&[]).is_empty());
    }
}

//! The exported syscall and `keyctl_*` wrappers, grouped as the man pages group them.
//!
//! Each wrapper is a single keyctl(2) call whose return value and `errno` pass through unchanged,
//! except where keyutils documents a fallback for older kernels (`keyctl_reject`,
//! `keyctl_instantiate_iov`, `keyctl_capabilities`).

// The safety contract of every export is the C API's, documented in its man page: pointers go to
// the kernel, which validates them (EFAULT), unless a function's own doc says otherwise.
#![allow(clippy::missing_safety_doc)]

use core::ffi::{c_char, c_int, c_long, c_uchar, c_uint, c_ulong, c_void};

use libc::{gid_t, uid_t};

use crate::boundary::{Errno, errno, fail, set_errno};
use crate::sys::{self, int, ptr};
use crate::types::*;

// ---- the raw system calls (add_key(2), request_key(2), keyctl(2)) ----
//
// keyutils exports these three as WEAK symbols, so a program may define its own without a clash.
// Rust cannot mark a `#[no_mangle]` function weak, so each is a private function plus an
// assembler alias that is weak, typed as a function and versioned like the rest.

extern "C" fn add_key_impl(
    r#type: *const c_char,
    description: *const c_char,
    payload: *const c_void,
    plen: usize,
    ringid: key_serial_t,
) -> key_serial_t {
    sys::add_key(ptr(r#type), ptr(description), ptr(payload), plen, ringid) as key_serial_t
}

extern "C" fn request_key_impl(
    r#type: *const c_char,
    description: *const c_char,
    callout_info: *const c_char,
    destringid: key_serial_t,
) -> key_serial_t {
    sys::request_key(ptr(r#type), ptr(description), ptr(callout_info), destringid) as key_serial_t
}

/// `long keyctl(int cmd, ...)`: defined with the four argument slots of the system call. On every
/// Linux ABI a variadic call of integer and pointer arguments lands in the same registers and
/// stack slots as this fixed-argument definition reads (see ABI-NOTES); absent arguments are
/// read as whatever the caller left there, which is what the original's `va_arg` does too.
extern "C" fn keyctl_impl(
    cmd: c_int,
    a2: c_ulong,
    a3: c_ulong,
    a4: c_ulong,
    a5: c_ulong,
) -> c_long {
    sys::keyctl_syscall(cmd, a2, a3, a4, a5)
}

macro_rules! weak_alias {
    ($name:ident, $imp:ident) => {
        core::arch::global_asm!(
            concat!(".weak ", stringify!($name)),
            concat!(".type ", stringify!($name), ", %function"),
            concat!(".set ", stringify!($name), ", {f}"),
            f = sym $imp,
        );
        symver!($name);
    };
}
weak_alias!(add_key, add_key_impl);
weak_alias!(request_key, request_key_impl);
weak_alias!(keyctl, keyctl_impl);

// The prototypes cbindgen puts in the header for the three aliases above (the asm defines them).
// SAFETY: these are the C signatures of the three aliases, and each alias is `.set` to an
// implementation with exactly that signature (the variadic `keyctl` reads its five slots as
// `keyctl_impl` does; see ABI-NOTES).
unsafe extern "C" {
    pub fn add_key(
        r#type: *const c_char,
        description: *const c_char,
        payload: *const c_void,
        plen: usize,
        ringid: key_serial_t,
    ) -> key_serial_t;

    pub fn request_key(
        r#type: *const c_char,
        description: *const c_char,
        callout_info: *const c_char,
        destringid: key_serial_t,
    ) -> key_serial_t;

    pub fn keyctl(cmd: c_int, ...) -> c_long;
}

// ---- keyrings and the session keyring (keyctl_get_keyring_ID(3), keyctl_join_session_keyring(3)) ----

/// Resolves a special keyring id (or a plain one) to its serial, creating it if `create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_get_keyring_ID(id: key_serial_t, create: c_int) -> key_serial_t {
    sys::keyctl(KEYCTL_GET_KEYRING_ID, int(id), int(create), 0, 0) as key_serial_t
}
symver!(keyctl_get_keyring_ID);
/// Joins the session keyring `name`, creating it if needed; NULL makes a new anonymous `_ses`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_join_session_keyring(name: *const c_char) -> key_serial_t {
    sys::keyctl(KEYCTL_JOIN_SESSION_KEYRING, ptr(name), 0, 0, 0) as key_serial_t
}
symver!(keyctl_join_session_keyring);
/// Installs the caller's session keyring on its parent (at the parent's next return to user space).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_session_to_parent() -> c_long {
    sys::keyctl(KEYCTL_SESSION_TO_PARENT, 0, 0, 0, 0)
}
symver!(keyctl_session_to_parent);
/// Sets the default keyring of request_key(2).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_set_reqkey_keyring(reqkey_defl: c_int) -> c_long {
    sys::keyctl(KEYCTL_SET_REQKEY_KEYRING, int(reqkey_defl), 0, 0, 0)
}
symver!(keyctl_set_reqkey_keyring);
/// Gets (and links into `id`) the persistent keyring of `uid`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_get_persistent(uid: uid_t, id: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_GET_PERSISTENT, c_ulong::from(uid), int(id), 0, 0)
}
symver!(keyctl_get_persistent);

// ---- key attributes (keyctl_update(3), keyctl_chown(3), keyctl_describe(3), ...) ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_update(
    id: key_serial_t,
    payload: *const c_void,
    plen: usize,
) -> c_long {
    sys::keyctl(KEYCTL_UPDATE, int(id), ptr(payload), plen as c_ulong, 0)
}
symver!(keyctl_update);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_revoke(id: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_REVOKE, int(id), 0, 0, 0)
}
symver!(keyctl_revoke);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_chown(id: key_serial_t, uid: uid_t, gid: gid_t) -> c_long {
    sys::keyctl(
        KEYCTL_CHOWN,
        int(id),
        c_ulong::from(uid),
        c_ulong::from(gid),
        0,
    )
}
symver!(keyctl_chown);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_setperm(id: key_serial_t, perm: key_perm_t) -> c_long {
    sys::keyctl(KEYCTL_SETPERM, int(id), c_ulong::from(perm), 0, 0)
}
symver!(keyctl_setperm);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_describe(
    id: key_serial_t,
    buffer: *mut c_char,
    buflen: usize,
) -> c_long {
    sys::keyctl(KEYCTL_DESCRIBE, int(id), ptr(buffer), buflen as c_ulong, 0)
}
symver!(keyctl_describe);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_set_timeout(key: key_serial_t, timeout: c_uint) -> c_long {
    sys::keyctl(KEYCTL_SET_TIMEOUT, int(key), c_ulong::from(timeout), 0, 0)
}
symver!(keyctl_set_timeout);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_get_security(
    key: key_serial_t,
    buffer: *mut c_char,
    buflen: usize,
) -> c_long {
    sys::keyctl(
        KEYCTL_GET_SECURITY,
        int(key),
        ptr(buffer),
        buflen as c_ulong,
        0,
    )
}
symver!(keyctl_get_security);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_invalidate(id: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_INVALIDATE, int(id), 0, 0, 0)
}
symver!(keyctl_invalidate);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_watch_key(
    id: key_serial_t,
    watch_queue_fd: c_int,
    watch_id: c_int,
) -> c_long {
    sys::keyctl(
        KEYCTL_WATCH_KEY,
        int(id),
        int(watch_queue_fd),
        int(watch_id),
        0,
    )
}
symver!(keyctl_watch_key);

// ---- keyring contents (keyctl_clear(3), keyctl_link(3), keyctl_search(3), keyctl_read(3), ...) ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_clear(ringid: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_CLEAR, int(ringid), 0, 0, 0)
}
symver!(keyctl_clear);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_link(id: key_serial_t, ringid: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_LINK, int(id), int(ringid), 0, 0)
}
symver!(keyctl_link);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_unlink(id: key_serial_t, ringid: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_UNLINK, int(id), int(ringid), 0, 0)
}
symver!(keyctl_unlink);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_search(
    ringid: key_serial_t,
    r#type: *const c_char,
    description: *const c_char,
    destringid: key_serial_t,
) -> c_long {
    sys::keyctl(
        KEYCTL_SEARCH,
        int(ringid),
        ptr(r#type),
        ptr(description),
        int(destringid),
    )
}
symver!(keyctl_search);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_read(
    id: key_serial_t,
    buffer: *mut c_char,
    buflen: usize,
) -> c_long {
    sys::keyctl(KEYCTL_READ, int(id), ptr(buffer), buflen as c_ulong, 0)
}
symver!(keyctl_read);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_move(
    id: key_serial_t,
    from_ringid: key_serial_t,
    to_ringid: key_serial_t,
    flags: c_uint,
) -> c_long {
    sys::keyctl(
        KEYCTL_MOVE,
        int(id),
        int(from_ringid),
        int(to_ringid),
        c_ulong::from(flags),
    )
}
symver!(keyctl_move);

/// Restricts the keys that may be linked into `keyring` (unversioned in keyutils 1.6.3).
///
/// # Safety
/// Pointer arguments are handed to the kernel, which validates them (EFAULT).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_restrict_keyring(
    keyring: key_serial_t,
    r#type: *const c_char,
    restriction: *const c_char,
) -> c_long {
    sys::keyctl(
        KEYCTL_RESTRICT_KEYRING,
        int(keyring),
        ptr(r#type),
        ptr(restriction),
        0,
    )
}

// ---- key construction: the request-key upcall side (keyctl_instantiate(3), keyctl_assume_authority(3)) ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_instantiate(
    id: key_serial_t,
    payload: *const c_void,
    plen: usize,
    ringid: key_serial_t,
) -> c_long {
    sys::keyctl(
        KEYCTL_INSTANTIATE,
        int(id),
        ptr(payload),
        plen as c_ulong,
        int(ringid),
    )
}
symver!(keyctl_instantiate);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_negate(
    id: key_serial_t,
    timeout: c_uint,
    ringid: key_serial_t,
) -> c_long {
    sys::keyctl(
        KEYCTL_NEGATE,
        int(id),
        c_ulong::from(timeout),
        int(ringid),
        0,
    )
}
symver!(keyctl_negate);

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_assume_authority(key: key_serial_t) -> c_long {
    sys::keyctl(KEYCTL_ASSUME_AUTHORITY, int(key), 0, 0, 0)
}
symver!(keyctl_assume_authority);

/// Rejects a key under construction with `error`; on kernels without KEYCTL_REJECT it falls back
/// to negating it, as keyctl_reject(3) documents.
///
/// # Safety
/// Takes no pointers; unsafe only because it is part of the C interface.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_reject(
    id: key_serial_t,
    timeout: c_uint,
    error: c_uint,
    ringid: key_serial_t,
) -> c_long {
    let ret = sys::keyctl(
        KEYCTL_REJECT,
        int(id),
        c_ulong::from(timeout),
        c_ulong::from(error),
        int(ringid),
    );
    if ret == -1 && errno() == libc::EOPNOTSUPP {
        // SAFETY: no pointers involved.
        return unsafe { keyctl_negate(id, timeout, ringid) };
    }
    ret
}
symver!(keyctl_reject);

/// Instantiates a key from an iovec; on kernels without KEYCTL_INSTANTIATE_IOV it gathers the
/// segments into one buffer and falls back to keyctl_instantiate, as the man page documents.
///
/// # Safety
/// `payload_iov` must point to `ioc` valid iovecs (the kernel checks them; the fallback reads them).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_instantiate_iov(
    id: key_serial_t,
    payload_iov: *const iovec,
    ioc: c_uint,
    ringid: key_serial_t,
) -> c_long {
    let ret = sys::keyctl(
        KEYCTL_INSTANTIATE_IOV,
        int(id),
        ptr(payload_iov),
        c_ulong::from(ioc),
        int(ringid),
    );
    if ret != -1 || errno() != libc::EOPNOTSUPP {
        return ret;
    }
    // SAFETY: the caller passes `ioc` readable iovecs at `payload_iov` (or NULL/0).
    unsafe { instantiate_gathered(id, payload_iov.cast::<libc::iovec>(), ioc as usize, ringid) }
}
symver!(keyctl_instantiate_iov);

/// The fallback of keyctl_instantiate_iov: one contiguous copy of the segments.
///
/// # Safety
/// `iov` points to `n` readable iovecs whose bases point to `iov_len` readable bytes, or is NULL.
unsafe fn instantiate_gathered(
    id: key_serial_t,
    iov: *const libc::iovec,
    n: usize,
    ringid: key_serial_t,
) -> c_long {
    let empty = || sys::keyctl(KEYCTL_INSTANTIATE, int(id), 0, 0, int(ringid));
    if iov.is_null() || n == 0 {
        return empty();
    }
    // SAFETY: by the contract above, `iov` holds `n` iovecs.
    let segs = unsafe { core::slice::from_raw_parts(iov, n) };
    // Lengths that add up past the address space cannot be gathered (keyutils overflows its
    // buffer there): refuse them.
    let Some(total) = segs
        .iter()
        .try_fold(0usize, |t, s| t.checked_add(s.iov_len))
    else {
        return fail(Errno(libc::EINVAL));
    };
    if total == 0 {
        return empty();
    }
    // SAFETY: malloc has no preconditions; a NULL result is handled (errno is ENOMEM).
    let buf = unsafe { libc::malloc(total) }.cast::<u8>();
    if buf.is_null() {
        return -1;
    }
    let mut off = 0;
    for s in segs {
        // SAFETY: `buf` has `total` bytes, the sum of all lengths, so `off + iov_len <= total`;
        // each base holds `iov_len` readable bytes by the contract above.
        unsafe { core::ptr::copy_nonoverlapping(s.iov_base.cast::<u8>(), buf.add(off), s.iov_len) };
        off += s.iov_len;
    }
    let ret = sys::keyctl(
        KEYCTL_INSTANTIATE,
        int(id),
        ptr(buf),
        total as c_ulong,
        int(ringid),
    );
    // SAFETY: `buf` came from malloc above and is freed once; free keeps errno on glibc.
    unsafe { libc::free(buf.cast()) };
    ret
}

// ---- Diffie-Hellman (keyctl_dh_compute(3)) ----

/// KEYCTL_DH_COMPUTE on the three keys into `buffer`, with KDF parameters unless `kdf` is NULL.
pub(crate) fn dh_compute(
    r#priv: key_serial_t,
    prime: key_serial_t,
    base: key_serial_t,
    buffer: *mut c_char,
    buflen: usize,
    kdf: *const keyctl_kdf_params,
) -> c_long {
    let params = keyctl_dh_params {
        r#priv,
        prime,
        base,
    };
    sys::keyctl(
        KEYCTL_DH_COMPUTE,
        ptr(&params),
        ptr(buffer),
        buflen as c_ulong,
        ptr(kdf),
    )
}

/// # Safety
/// `buffer` must hold `buflen` writable bytes or be NULL with `buflen` 0 (the kernel checks it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_dh_compute(
    r#priv: key_serial_t,
    prime: key_serial_t,
    base: key_serial_t,
    buffer: *mut c_char,
    buflen: usize,
) -> c_long {
    dh_compute(r#priv, prime, base, buffer, buflen, core::ptr::null())
}
symver!(keyctl_dh_compute);

/// # Safety
/// As keyctl_dh_compute; `hashname` and `otherinfo` are read by the kernel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_dh_compute_kdf(
    r#priv: key_serial_t,
    prime: key_serial_t,
    base: key_serial_t,
    hashname: *mut c_char,
    otherinfo: *mut c_char,
    otherinfolen: usize,
    buffer: *mut c_char,
    buflen: usize,
) -> c_long {
    let kdf = keyctl_kdf_params {
        hashname,
        otherinfo,
        // The kernel's field is 32 bits wide; keyutils truncates the same way.
        otherinfolen: otherinfolen as u32,
        __spare: [0; 8],
    };
    dh_compute(r#priv, prime, base, buffer, buflen, &kdf)
}
symver!(keyctl_dh_compute_kdf);

// ---- public-key operations (keyctl_pkey_query(3), keyctl_pkey_encrypt(3), ...) ----

#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_pkey_query(
    key_id: key_serial_t,
    info: *const c_char,
    result: *mut keyctl_pkey_query,
) -> c_long {
    sys::keyctl(KEYCTL_PKEY_QUERY, int(key_id), 0, ptr(info), ptr(result))
}
symver!(keyctl_pkey_query);

/// One of the four public-key data operations; `out_or_in2_len` is the output size, or the size
/// of the second input for verify. Sizes are 32-bit in the kernel ABI; keyutils truncates too.
fn pkey_op(
    cmd: c_int,
    key_id: key_serial_t,
    info: *const c_char,
    input: *const c_void,
    in_len: usize,
    out_or_in2: *const c_void,
    out_or_in2_len: usize,
) -> c_long {
    let params = keyctl_pkey_params {
        key_id,
        in_len: in_len as c_uint,
        out_or_in2_len: out_or_in2_len as c_uint,
        __spare: [0; 7],
    };
    sys::keyctl(cmd, ptr(&params), ptr(info), ptr(input), ptr(out_or_in2))
}

/// # Safety
/// Buffers must hold the sizes given; the kernel validates them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_pkey_encrypt(
    key_id: key_serial_t,
    info: *const c_char,
    data: *const c_void,
    data_len: usize,
    enc: *mut c_void,
    enc_len: usize,
) -> c_long {
    pkey_op(
        KEYCTL_PKEY_ENCRYPT,
        key_id,
        info,
        data,
        data_len,
        enc,
        enc_len,
    )
}
symver!(keyctl_pkey_encrypt);

/// # Safety
/// Buffers must hold the sizes given; the kernel validates them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_pkey_decrypt(
    key_id: key_serial_t,
    info: *const c_char,
    enc: *const c_void,
    enc_len: usize,
    data: *mut c_void,
    data_len: usize,
) -> c_long {
    pkey_op(
        KEYCTL_PKEY_DECRYPT,
        key_id,
        info,
        enc,
        enc_len,
        data,
        data_len,
    )
}
symver!(keyctl_pkey_decrypt);

/// # Safety
/// Buffers must hold the sizes given; the kernel validates them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_pkey_sign(
    key_id: key_serial_t,
    info: *const c_char,
    data: *const c_void,
    data_len: usize,
    sig: *mut c_void,
    sig_len: usize,
) -> c_long {
    pkey_op(KEYCTL_PKEY_SIGN, key_id, info, data, data_len, sig, sig_len)
}
symver!(keyctl_pkey_sign);

/// # Safety
/// Buffers must hold the sizes given; the kernel validates them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_pkey_verify(
    key_id: key_serial_t,
    info: *const c_char,
    data: *const c_void,
    data_len: usize,
    sig: *const c_void,
    sig_len: usize,
) -> c_long {
    pkey_op(
        KEYCTL_PKEY_VERIFY,
        key_id,
        info,
        data,
        data_len,
        sig,
        sig_len,
    )
}
symver!(keyctl_pkey_verify);

// ---- capabilities (keyctl_capabilities(3)) ----

/// Reports the keyring subsystem's capabilities; on kernels without KEYCTL_CAPABILITIES it probes
/// each operation and reports one byte, as the man page documents.
///
/// # Safety
/// `buffer` must hold `buflen` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_capabilities(buffer: *mut c_uchar, buflen: usize) -> c_long {
    let n = sys::keyctl(KEYCTL_CAPABILITIES, ptr(buffer), buflen as c_ulong, 0, 0);
    if n != -1 || errno() != libc::EOPNOTSUPP {
        return n;
    }
    if buflen > 0 {
        let probes: [(c_uchar, fn() -> c_long); 6] = [
            (KEYCTL_CAPS0_PERSISTENT_KEYRINGS, || {
                sys::keyctl(KEYCTL_GET_PERSISTENT, int(-1), 0, 0, 0)
            }),
            (KEYCTL_CAPS0_DIFFIE_HELLMAN, || {
                dh_compute(0, 0, 0, core::ptr::null_mut(), 0, core::ptr::null())
            }),
            (KEYCTL_CAPS0_PUBLIC_KEY, || {
                sys::keyctl(KEYCTL_PKEY_QUERY, 0, 0, 0, 0)
            }),
            (KEYCTL_CAPS0_INVALIDATE, || {
                sys::keyctl(KEYCTL_INVALIDATE, 0, 0, 0, 0)
            }),
            (KEYCTL_CAPS0_RESTRICT_KEYRING, || {
                sys::keyctl(KEYCTL_RESTRICT_KEYRING, 0, 0, 0, 0)
            }),
            (KEYCTL_CAPS0_MOVE, || sys::keyctl(KEYCTL_MOVE, 0, 0, 0, 0)),
        ];
        let mut caps: c_uchar = 0;
        for (flag, probe) in probes {
            set_errno(0);
            probe();
            if errno() != libc::EOPNOTSUPP {
                caps |= flag;
            }
        }
        // SAFETY: the caller gave `buflen` (> 0) writable bytes at `buffer`.
        unsafe {
            core::ptr::write_bytes(buffer, 0, buflen);
            *buffer = caps;
        }
    }
    1
}
symver!(keyctl_capabilities);

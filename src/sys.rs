//! The raw layer: the only code that knows syscall numbers. Each function is one system call;
//! `errno` is set by libc's `syscall()` and left exactly as the kernel gave it.

use core::ffi::{c_long, c_ulong};

use crate::types::key_serial_t;

/// keyctl(2) with all four argument slots; unused slots are passed as 0, as the original does.
#[inline]
pub fn keyctl(cmd: core::ffi::c_int, a2: c_ulong, a3: c_ulong, a4: c_ulong, a5: c_ulong) -> c_long {
    // SAFETY: keyctl(2) takes integers or user pointers in these slots; the kernel validates
    // every pointer it dereferences (EFAULT), so no argument value is unsound for us.
    unsafe { libc::syscall(libc::SYS_keyctl, c_long::from(cmd), a2, a3, a4, a5) }
}

/// add_key(2). Pointers travel as integers ([`ptr`]): this layer never dereferences them.
#[inline]
pub fn add_key(
    ty: c_ulong,
    desc: c_ulong,
    payload: c_ulong,
    plen: usize,
    ring: key_serial_t,
) -> c_long {
    // SAFETY: the kernel copies from these user addresses itself and answers EFAULT if they are bad.
    unsafe {
        libc::syscall(
            libc::SYS_add_key,
            ty,
            desc,
            payload,
            plen,
            c_long::from(ring),
        )
    }
}

/// request_key(2).
#[inline]
pub fn request_key(ty: c_ulong, desc: c_ulong, callout: c_ulong, dest: key_serial_t) -> c_long {
    // SAFETY: as for add_key: user addresses are checked by the kernel.
    unsafe { libc::syscall(libc::SYS_request_key, ty, desc, callout, c_long::from(dest)) }
}

/// An integer argument as keyctl(2) receives it: sign-extended, as C's default promotions give.
#[inline]
pub fn int(v: i32) -> c_ulong {
    v as c_long as c_ulong
}

/// A pointer argument.
#[inline]
pub fn ptr<T>(p: *const T) -> c_ulong {
    p as usize as c_ulong
}

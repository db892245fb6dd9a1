//! The raw layer: the only code that knows syscall numbers. Each function is one system call;
//! `errno` is set by libc's `syscall()` and left exactly as the kernel gave it.
//!
//! As in keyutils, the library's own keyctl(2) and request_key(2) calls go through its exported
//! (weak, interposable) `keyctl` and `request_key` symbols: a program or an LD_PRELOAD shim that
//! defines its own `keyctl` sees every call the library makes, dynamically and statically linked.

use core::ffi::{c_int, c_long, c_ulong};

use crate::types::key_serial_t;

/// keyctl(2) with all four argument slots (unused ones passed as 0), through the exported
/// `keyctl` symbol.
#[inline]
pub fn keyctl(cmd: c_int, a2: c_ulong, a3: c_ulong, a4: c_ulong, a5: c_ulong) -> c_long {
    // SAFETY: `keyctl` is this library's exported alias of `keyctl_syscall` (or a definition the
    // program interposed, with keyutils' signature `long keyctl(int, ...)`); it takes integers or
    // user pointers, which the kernel validates itself (EFAULT).
    unsafe { crate::wrappers::keyctl(cmd, a2, a3, a4, a5) }
}

/// The system call itself, behind the exported `keyctl`.
#[inline]
pub fn keyctl_syscall(cmd: c_int, a2: c_ulong, a3: c_ulong, a4: c_ulong, a5: c_ulong) -> c_long {
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

/// request_key(2), behind the exported `request_key`.
#[inline]
pub fn request_key(ty: c_ulong, desc: c_ulong, callout: c_ulong, dest: key_serial_t) -> c_long {
    // SAFETY: as for add_key: user addresses are checked by the kernel.
    unsafe { libc::syscall(libc::SYS_request_key, ty, desc, callout, c_long::from(dest)) }
}

/// An `int` argument as keyutils hands it to the kernel: its 32 bits, zero-extended (the kernel
/// reads only those).
#[inline]
pub fn int(v: i32) -> c_ulong {
    c_ulong::from(v as u32)
}

/// A pointer argument.
#[inline]
pub fn ptr<T>(p: *const T) -> c_ulong {
    p as usize as c_ulong
}

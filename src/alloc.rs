//! The allocating helpers: `keyctl_describe_alloc`, `keyctl_read_alloc`,
//! `keyctl_get_security_alloc`, `keyctl_dh_compute_alloc`.
//!
//! keyutils asks the kernel for the size first and then fetches: two system calls every time.
//! The kernel returns the *full* size of a result even when the buffer is too small, and copies
//! only when it fits, so we fetch straight into a stack probe buffer that fits nearly every
//! result, and fall back to an exact heap buffer (retrying while the object keeps growing) only
//! when the kernel says it must. Results are `malloc`'d, NUL-terminated, and the caller frees them.

use core::ffi::{c_char, c_int, c_long, c_ulong, c_void};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::boundary::{Errno, errno, fail, set_errno};
use crate::sys::{self, int, ptr};
use crate::types::*;
use crate::wrappers::dh_compute;

/// Size of the probe buffer: covers descriptions, security labels, keyrings of ~1,000 keys and
/// payloads up to 4 KiB, and is still a page, the most the kernel reads in one pass.
pub(crate) const PROBE: usize = 4096;

/// A scratch buffer the kernel writes into; its bytes may be uninitialised until then (zeroing
/// 4 KiB on every call would cost more than the copy it saves).
#[derive(Clone, Copy)]
pub struct Probe {
    ptr: *mut u8,
}

/// Stack storage for a [`Probe`].
pub type ProbeBuf = core::mem::MaybeUninit<[u8; PROBE]>;

impl Probe {
    pub fn on_stack(buf: &mut ProbeBuf) -> Probe {
        Probe {
            ptr: buf.as_mut_ptr().cast(),
        }
    }
}

/// keyctl `cmd` on key `id` into a buffer, in the shape [`fetch`] and [`fetch_to_heap`] run.
pub fn keyctl_into(cmd: c_int, id: key_serial_t) -> impl Fn(*mut u8, usize) -> c_long {
    move |b, n| sys::keyctl(cmd, int(id), ptr(b), n as c_ulong, 0)
}

/// A fetched result: `len` bytes at `ptr`, in the caller's probe buffer or, when `heap`, in a
/// `malloc`'d block of at least `len + 1` bytes, which the receiver must [`free`](Fetched::free).
pub struct Fetched {
    pub ptr: *mut u8,
    pub len: usize,
    heap: bool,
}

impl Fetched {
    /// A string result without the NUL that the kernel counts in its length.
    pub fn text(&self) -> &[u8] {
        // SAFETY: the kernel wrote `len` bytes at `ptr` (fetch's promise). They stay valid while
        // `self` lives: a heap block is freed only by consuming `self`, and the probe's owners
        // (check_line, the walk) fetch into it again only once this result is freed or copied.
        unsafe { core::slice::from_raw_parts(self.ptr, self.len.saturating_sub(1)) }
    }

    /// The result as a `malloc`'d block of `len + 1` bytes with a NUL at `len` (copied out of
    /// the probe buffer if it is there), for a receiver that outlives the probe's next use.
    pub fn into_heap(self) -> Option<Fetched> {
        let ptr = if self.heap {
            self.ptr
        } else {
            // SAFETY: malloc has no preconditions; NULL is handled (errno = ENOMEM).
            let buf = unsafe { libc::malloc(self.len + 1) }.cast::<u8>();
            if buf.is_null() {
                return None;
            }
            // SAFETY: `buf` has len + 1 bytes, and the kernel wrote the first `len` bytes of
            // the probe.
            unsafe { core::ptr::copy_nonoverlapping(self.ptr, buf, self.len) };
            buf
        };
        // SAFETY: both branches give a block of at least len + 1 bytes.
        unsafe { *ptr.add(self.len) = 0 };
        Some(Fetched {
            ptr,
            len: self.len,
            heap: true,
        })
    }

    /// Frees a result on the heap; one in the probe buffer needs nothing.
    pub fn free(self) {
        if self.heap {
            // SAFETY: heap results are malloc'd (fetch_to_heap, into_heap) and owned by `self`,
            // which this consumes: freed once. glibc's free keeps errno.
            unsafe { libc::free(self.ptr.cast()) };
        }
    }
}

/// Runs `op(buf, buflen)`, a keyctl that returns the full size of its result and writes it only
/// when it fits, until the result fits. `None` means failure with errno set (by the kernel, or
/// ENOMEM by malloc).
pub fn fetch(probe: Probe, mut op: impl FnMut(*mut u8, usize) -> c_long) -> Option<Fetched> {
    let ret = op(probe.ptr, PROBE);
    if ret < 0 {
        return None;
    }
    let need = ret as usize;
    if need <= PROBE {
        return Some(Fetched {
            ptr: probe.ptr,
            len: need,
            heap: false,
        });
    }
    let (ptr, len) = fetch_to_heap(need, op)?;
    Some(Fetched {
        ptr,
        len,
        heap: true,
    })
}

/// Runs `op` into a `malloc`'d buffer of `cap + 1` bytes, growing it while the result does not
/// fit (the object grew between two calls). Returns the buffer and the result's length.
pub fn fetch_to_heap(
    mut cap: usize,
    mut op: impl FnMut(*mut u8, usize) -> c_long,
) -> Option<(*mut u8, usize)> {
    loop {
        // SAFETY: malloc has no preconditions; NULL is handled (errno = ENOMEM).
        let buf = unsafe { libc::malloc(cap + 1) }.cast::<u8>();
        if buf.is_null() {
            return None;
        }
        let ret = op(buf, cap);
        if ret >= 0 && ret as usize <= cap {
            return Some((buf, ret as usize));
        }
        // SAFETY: `buf` came from malloc above; glibc's free keeps errno.
        unsafe { libc::free(buf.cast()) };
        if ret < 0 {
            return None;
        }
        cap = ret as usize;
    }
}

/// A string-valued keyctl (`cmd` is KEYCTL_DESCRIBE or KEYCTL_GET_SECURITY) into a malloc'd
/// copy in `*out`. The kernel's length counts the NUL; keyutils returns the string's length.
///
/// # Safety
/// `out` must be NULL (rejected with EINVAL) or valid for a pointer write.
unsafe fn string_alloc(cmd: c_int, id: key_serial_t, out: *mut *mut c_char) -> c_int {
    if out.is_null() {
        // keyutils would crash writing through NULL: refuse instead.
        return fail(Errno(libc::EINVAL));
    }
    let mut stack = ProbeBuf::uninit();
    let probe = Probe::on_stack(&mut stack);
    let Some(s) = fetch(probe, keyctl_into(cmd, id)).and_then(Fetched::into_heap) else {
        return -1;
    };
    // SAFETY: `out` is non-NULL and, by the contract, writable.
    unsafe { *out = s.ptr.cast() };
    s.len as c_int - 1
}

/// Describes a key into a malloc'd string; returns its length or -1.
///
/// # Safety
/// `buffer` must be writable (NULL gives EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_describe_alloc(
    id: key_serial_t,
    buffer: *mut *mut c_char,
) -> c_int {
    // SAFETY: the caller's `buffer` contract is string_alloc's.
    unsafe { string_alloc(KEYCTL_DESCRIBE, id, buffer) }
}
symver!(keyctl_describe_alloc);

/// Reads a key's payload into a malloc'd, NUL-terminated buffer; returns the payload length or -1.
///
/// # Safety
/// `buffer` must be writable (NULL gives EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_read_alloc(id: key_serial_t, buffer: *mut *mut c_void) -> c_int {
    if buffer.is_null() {
        // keyutils would crash writing through NULL: refuse instead.
        return fail(Errno(libc::EINVAL));
    }
    // Straight into the caller's buffer, sized like the last payload: no copy in the common case.
    let cap = read_capacity();
    let Some((mut buf, len)) = fetch_to_heap(cap, keyctl_into(KEYCTL_READ, id)) else {
        return -1;
    };
    if len < cap / 4 {
        // A first guess far too large: give the rest back.
        let saved = errno();
        // SAFETY: `buf` is the live block from fetch_to_heap; len + 1 <= its size.
        let smaller = unsafe { libc::realloc(buf.cast(), len + 1) }.cast::<u8>();
        if smaller.is_null() {
            set_errno(saved); // keeping the larger block is no failure
        } else {
            buf = smaller;
        }
    }
    LAST_READ.store(len, Relaxed);
    // SAFETY: the block holds at least len + 1 bytes; `buffer` is non-NULL and, by the
    // contract, writable.
    unsafe {
        *buf.add(len) = 0;
        *buffer = buf.cast();
    }
    len as c_int
}
symver!(keyctl_read_alloc);

/// The size of the last payload keyctl_read_alloc returned (0: none yet).
static LAST_READ: AtomicUsize = AtomicUsize::new(0);

/// The buffer keyctl_read_alloc offers first: the power of two that held the last payload (or a
/// page). The kernel allocates, and zeroes on free, a bounce buffer of the size it is offered (up
/// to a page), so a tight guess saves kernel work as well as memory when payloads repeat. A
/// payload that does not fit costs a second call, which keyutils always makes.
fn read_capacity() -> usize {
    match LAST_READ.load(Relaxed) {
        0 => PROBE,
        last => last
            .next_power_of_two()
            .clamp(MIN_READ_CAPACITY, MAX_READ_CAPACITY),
    }
}

/// The largest first guess: a bigger payload pays a second call rather than a huge malloc for
/// every read after it.
const MAX_READ_CAPACITY: usize = 64 * 1024;

/// The smallest buffer keyctl_read_alloc offers.
const MIN_READ_CAPACITY: usize = 256;

/// Gets a key's security label into a malloc'd string; returns its length or -1.
///
/// # Safety
/// `buffer` must be writable (NULL gives EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_get_security_alloc(
    id: key_serial_t,
    buffer: *mut *mut c_char,
) -> c_int {
    // SAFETY: the caller's `buffer` contract is string_alloc's.
    unsafe { string_alloc(KEYCTL_GET_SECURITY, id, buffer) }
}
symver!(keyctl_get_security_alloc);

/// Computes a Diffie-Hellman value into a malloc'd buffer; returns its length or -1.
///
/// Unlike the other helpers this one cannot probe: the kernel answers EOVERFLOW (not the size)
/// when the buffer is short. So it asks for the size, fetches, and asks again if the size changed
/// in between (keyutils 1.6.3 gives up there), a bounded number of times.
///
/// # Safety
/// `buffer` must be writable (NULL gives EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn keyctl_dh_compute_alloc(
    r#priv: key_serial_t,
    prime: key_serial_t,
    base: key_serial_t,
    buffer: *mut *mut c_void,
) -> c_int {
    if buffer.is_null() {
        return fail(Errno(libc::EINVAL));
    }
    let dh = |b: *mut u8, n: usize| dh_compute(r#priv, prime, base, b.cast(), n, core::ptr::null());
    for _ in 0..DH_ATTEMPTS {
        let size = dh(core::ptr::null_mut(), 0);
        if size < 0 {
            return -1;
        }
        let size = size as usize;
        // SAFETY: malloc has no preconditions; NULL is handled (errno = ENOMEM).
        let buf = unsafe { libc::malloc(size + 1) }.cast::<u8>();
        if buf.is_null() {
            return -1;
        }
        let ret = dh(buf, size);
        if ret >= 0 && ret as usize <= size {
            // SAFETY: `buf` has size + 1 bytes and ret <= size; `buffer` is non-NULL (checked).
            unsafe {
                *buf.add(ret as usize) = 0;
                *buffer = buf.cast();
            }
            return ret as c_int;
        }
        // SAFETY: `buf` came from malloc above; glibc's free keeps errno.
        unsafe { libc::free(buf.cast()) };
        if ret < 0 && errno() != libc::EOVERFLOW {
            return -1;
        }
    }
    // The result kept changing size under us: report the last overflow.
    fail(Errno(libc::EOVERFLOW))
}

/// How often keyctl_dh_compute_alloc asks again when the result's size keeps changing.
const DH_ATTEMPTS: usize = 16;
symver!(keyctl_dh_compute_alloc);

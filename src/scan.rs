//! `recursive_key_scan` and `recursive_session_key_scan`: depth-first walks of a keyring tree.
//!
//! Order and arguments are keyutils': a keyring's members are visited (recursively) before the
//! callback runs for the keyring itself; the callback gets (parent, key, description, length,
//! data), with a NULL description and length -1 when the key cannot be described; its results
//! are summed. Depths beyond 800 are not visited.
//!
//! keyutils describes every key twice and reads every keyring twice (size, then fetch); here one
//! probe buffer per walk makes each of them one system call in the common case.

use core::ffi::{c_char, c_int, c_ulong, c_void};

use crate::alloc::{Fetched, PROBE, Probe, fetch, to_malloc};
use crate::boundary::{Errno, fail, set_errno};
use crate::parse::parse_description;
use crate::sys::{self, int, ptr};
use crate::types::*;

/// The deepest level that is still visited (the walk starts at depth 0).
const MAX_DEPTH: u32 = 800;

type Scanner =
    unsafe extern "C" fn(key_serial_t, key_serial_t, *mut c_char, c_int, *mut c_void) -> c_int;

/// A walk's shared probe buffer (on the heap: the recursion may be 800 levels deep).
struct Walk {
    probe: Probe,
    func: Scanner,
    data: *mut c_void,
}

impl Walk {
    fn new(func: Scanner, data: *mut c_void) -> Walk {
        // SAFETY: malloc has no preconditions. On failure the walk runs without a probe buffer
        // (NULL, 0): `fetch` then asks for sizes first, as keyutils does.
        let ptr = unsafe { libc::malloc(PROBE) }.cast::<u8>();
        let len = if ptr.is_null() { 0 } else { PROBE };
        // SAFETY: `ptr` is NULL with length 0 or a fresh block of PROBE bytes, freed in `drop`.
        let probe = unsafe { Probe::from_raw(ptr, len) };
        Walk { probe, func, data }
    }

    /// One keyctl into the probe buffer (or a heap buffer if it does not fit), as a malloc'd copy
    /// only when `keep` (the walk reuses the probe buffer before the caller is done with it).
    fn fetch(
        &mut self,
        keep: bool,
        cmd: c_int,
        id: key_serial_t,
    ) -> Option<(*mut u8, usize, bool)> {
        let op = |b: *mut u8, n: usize| sys::keyctl(cmd, int(id), ptr(b), n as c_ulong, 0);
        let fetched = fetch(self.probe, op)?;
        match fetched {
            Fetched::Probe(len) if !keep => Some((self.probe.ptr(), len, false)),
            f => {
                let (buf, len) = to_malloc(self.probe, f)?;
                Some((buf, len, true))
            }
        }
    }

    fn call(&self, parent: key_serial_t, key: key_serial_t, desc: *mut u8, len: c_int) -> c_int {
        // SAFETY: `func` is the caller's callback, called with the documented arguments; `desc`
        // is NULL or a NUL-terminated string that stays valid during the call.
        unsafe { (self.func)(parent, key, desc.cast(), len, self.data) }
    }

    fn visit(&mut self, parent: key_serial_t, key: key_serial_t, depth: u32) -> c_int {
        if depth > MAX_DEPTH {
            return 0;
        }
        // Describe; keep a copy only for keyrings, whose callback runs after their members'.
        let Some((desc, len, owned)) = self.fetch(false, KEYCTL_DESCRIBE, key) else {
            return self.call(parent, key, core::ptr::null_mut(), -1);
        };
        // SAFETY: `desc` holds `len` bytes just written by the kernel.
        let text = unsafe { core::slice::from_raw_parts(desc, len.saturating_sub(1)) };
        let Some(d) = parse_description(text) else {
            free_if(desc, owned);
            set_errno(libc::EINVAL); // keyutils sets -EINVAL here, which is no errno at all
            return self.call(parent, key, core::ptr::null_mut(), -1);
        };
        let desc_len = text.len() as c_int;
        if d.key_type != b"keyring" {
            let n = self.call(parent, key, desc, desc_len);
            free_if(desc, owned);
            return n;
        }
        let (desc, owned) = if owned {
            (desc, true)
        } else {
            match to_malloc(self.probe, Fetched::Probe(len)) {
                Some((copy, _)) => (copy, true),
                None => return self.call(parent, key, core::ptr::null_mut(), -1),
            }
        };
        let mut count: c_int = 0;
        if let Some((ring, ring_len, ring_owned)) = self.fetch(true, KEYCTL_READ, key) {
            let n = ring_len / core::mem::size_of::<key_serial_t>();
            for i in 0..n {
                // SAFETY: `ring` holds `ring_len` bytes, i.e. `n` serials; read unaligned because
                // the buffer is a byte buffer.
                let member = unsafe { ring.cast::<key_serial_t>().add(i).read_unaligned() };
                count = count.wrapping_add(self.visit(key, member, depth + 1));
            }
            free_if(ring, ring_owned);
        }
        // The callbacks' sum wraps as keyutils' int sum does, never traps.
        count = count.wrapping_add(self.call(parent, key, desc, desc_len));
        free_if(desc, owned);
        count
    }
}

impl Drop for Walk {
    fn drop(&mut self) {
        // SAFETY: the probe is NULL or this walk's own malloc'd block, freed once here.
        unsafe { libc::free(self.probe.ptr().cast()) };
    }
}

fn free_if(p: *mut u8, owned: bool) {
    if owned {
        // SAFETY: owned buffers come from malloc (to_malloc / fetch) and are freed once.
        unsafe { libc::free(p.cast()) };
    }
}

/// Walks the tree under `key`, calling `func` for every key; returns the sum of its results.
///
/// # Safety
/// `func` must be callable with the documented arguments (NULL gives -1 with EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recursive_key_scan(
    key: key_serial_t,
    func: recursive_key_scanner_t,
    data: *mut c_void,
) -> c_int {
    let Some(func) = func else {
        return fail(Errno(libc::EINVAL));
    };
    Walk::new(func, data).visit(0, key, 0)
}
symver!(recursive_key_scan);

/// Walks the caller's session keyring; 0 when it has none.
///
/// # Safety
/// As recursive_key_scan.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn recursive_session_key_scan(
    func: recursive_key_scanner_t,
    data: *mut c_void,
) -> c_int {
    if func.is_none() {
        return fail(Errno(libc::EINVAL));
    }
    let session = sys::keyctl(
        KEYCTL_GET_KEYRING_ID,
        int(KEY_SPEC_SESSION_KEYRING),
        0,
        0,
        0,
    );
    if session > 0 {
        // SAFETY: `func` was checked above; the rest is the caller's contract.
        return unsafe { recursive_key_scan(session as key_serial_t, func, data) };
    }
    0
}
symver!(recursive_session_key_scan);

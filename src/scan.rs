//! `recursive_key_scan` and `recursive_session_key_scan`: depth-first walks of a keyring tree.
//!
//! Order and arguments are keyutils': a keyring's members are visited (recursively) before the
//! callback runs for the keyring itself; the callback gets (parent, key, description, length,
//! data), with a NULL description and length -1 when the key cannot be described; its results
//! are summed. Depths beyond 800 are not visited.
//!
//! keyutils describes every key twice and reads every keyring twice (size, then fetch); here one
//! probe buffer per walk makes each of them one system call in the common case.

use core::ffi::{c_char, c_int, c_void};

use crate::alloc::{Fetched, Probe, ProbeBuf, fetch, keyctl_into};
use crate::boundary::{Errno, fail, set_errno};
use crate::parse::parse_description;
use crate::sys::{self, int};
use crate::types::*;

/// The deepest level that is still visited (the walk starts at depth 0).
const MAX_DEPTH: u32 = 800;

type Scanner =
    unsafe extern "C" fn(key_serial_t, key_serial_t, *mut c_char, c_int, *mut c_void) -> c_int;

/// One walk: its callback, and the probe buffer that all its levels share.
struct Walk {
    probe: Probe,
    func: Scanner,
    data: *mut c_void,
}

impl Walk {
    fn call(&self, parent: key_serial_t, key: key_serial_t, desc: *mut u8, len: c_int) -> c_int {
        // SAFETY: `func` is the caller's callback, called with the documented arguments; `desc`
        // is NULL or a NUL-terminated string that stays valid during the call.
        unsafe { (self.func)(parent, key, desc.cast(), len, self.data) }
    }

    fn visit(&mut self, parent: key_serial_t, key: key_serial_t, depth: u32) -> c_int {
        if depth > MAX_DEPTH {
            return 0;
        }
        let Some(desc) = fetch(self.probe, keyctl_into(KEYCTL_DESCRIBE, key)) else {
            return self.call(parent, key, core::ptr::null_mut(), -1);
        };
        let text = desc.text();
        let Some(d) = parse_description(text) else {
            desc.free();
            set_errno(libc::EINVAL); // keyutils sets -EINVAL here, which is no errno at all
            return self.call(parent, key, core::ptr::null_mut(), -1);
        };
        let desc_len = text.len() as c_int;
        if d.key_type != b"keyring" {
            let n = self.call(parent, key, desc.ptr, desc_len);
            desc.free();
            return n;
        }
        // A keyring's callback runs after its members', which reuse the probe: keep a copy.
        let Some(desc) = desc.into_heap() else {
            return self.call(parent, key, core::ptr::null_mut(), -1);
        };
        let mut count: c_int = 0;
        let ring = fetch(self.probe, keyctl_into(KEYCTL_READ, key)).and_then(Fetched::into_heap);
        if let Some(ring) = ring {
            let n = ring.len / core::mem::size_of::<key_serial_t>();
            for i in 0..n {
                // SAFETY: `ring` holds `ring.len` bytes, i.e. `n` serials; read unaligned because
                // the buffer is a byte buffer.
                let member = unsafe { ring.ptr.cast::<key_serial_t>().add(i).read_unaligned() };
                count = count.wrapping_add(self.visit(key, member, depth + 1));
            }
            ring.free();
        }
        // The callbacks' sum wraps as keyutils' int sum does, never traps.
        count = count.wrapping_add(self.call(parent, key, desc.ptr, desc_len));
        desc.free();
        count
    }
}

/// Walks the tree under `key` with one probe buffer, on the stack: a walk needs only one,
/// however deep it goes.
fn walk(key: key_serial_t, func: Scanner, data: *mut c_void) -> c_int {
    let mut stack = ProbeBuf::uninit();
    let probe = Probe::on_stack(&mut stack);
    Walk { probe, func, data }.visit(0, key, 0)
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
    walk(key, func, data)
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
    let Some(func) = func else {
        return fail(Errno(libc::EINVAL));
    };
    let session = sys::keyctl(
        KEYCTL_GET_KEYRING_ID,
        int(KEY_SPEC_SESSION_KEYRING),
        0,
        0,
        0,
    );
    if session > 0 {
        return walk(session as key_serial_t, func, data);
    }
    0
}
symver!(recursive_session_key_scan);

//! `find_key_by_type_and_desc`: request_key(2) first, then a search of `/proc/keys` for a key the
//! caller can see but not find by searching (keys outside its keyrings, negative keys).
//!
//! keyutils reads `/proc/keys` with `fgets` into 1 KiB lines and `sscanf`s each: a line longer
//! than that crashes it, a description with leading spaces or a `;` is never matched, nor is a
//! type longer than the 9 columns `/proc/keys` shows. Here the file is read in large blocks with
//! lines of any length, each line is split by hand, and every candidate is confirmed with
//! KEYCTL_DESCRIBE, whose type and description are never cut short.

use core::ffi::{CStr, c_char};

use crate::alloc::{Probe, ProbeBuf, fetch, keyctl_into};
use crate::boundary::{Errno, errno, fail, set_errno};
use crate::parse::{may_match, parse_description, parse_proc_keys_line};
use crate::sys::{self, int};
use crate::types::*;

/// First read size for `/proc/keys`: ~1,000 keys in a handful of reads.
const READ_CHUNK: usize = 64 * 1024;

/// What a line of `/proc/keys` decided, and so how the search ended (`Next`: not found).
enum Step {
    Next,
    Found(key_serial_t),
    /// Stop the search and fail with this errno (keyutils stops on ENOMEM).
    Stop(Errno),
}

/// Finds a key by type and description; links it into `destringid` when that is not 0.
///
/// # Safety
/// `type` and `desc` must be NUL-terminated strings (NULL gives -1 with EINVAL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn find_key_by_type_and_desc(
    r#type: *const c_char,
    desc: *const c_char,
    destringid: key_serial_t,
) -> key_serial_t {
    if r#type.is_null() || desc.is_null() {
        return fail(Errno(libc::EINVAL));
    }
    let saved_errno = errno();
    // SAFETY: the exported request_key (or the program's own): both strings are NUL-terminated.
    let id = unsafe { crate::wrappers::request_key(r#type, desc, core::ptr::null(), destringid) };
    if id >= 0 {
        return id as key_serial_t;
    }
    let mut error = errno();
    if error == libc::ENOMEM {
        return -1;
    }
    // SAFETY: both are non-NULL, NUL-terminated strings by the caller's contract.
    let (want_type, want_desc) = unsafe {
        (
            CStr::from_ptr(r#type).to_bytes(),
            CStr::from_ptr(desc).to_bytes(),
        )
    };

    let id = match search_proc_keys(want_desc, |line| {
        check_line(line, want_type, want_desc, &mut error)
    }) {
        Step::Found(id) => id,
        Step::Next => return fail(Errno(error)),
        Step::Stop(e) => return fail(e),
    };
    if destringid != 0 && sys::keyctl(KEYCTL_LINK, int(id), int(destringid), 0, 0) == -1 {
        return -1;
    }
    // Found after all: the ENOKEY of the request_key above is not the caller's business.
    set_errno(saved_errno);
    id
}
symver!(find_key_by_type_and_desc);

/// One `/proc/keys` line: a candidate is confirmed by describing it.
fn check_line(line: &[u8], want_type: &[u8], want_desc: &[u8], error: &mut i32) -> Step {
    let Some(k) = parse_proc_keys_line(line) else {
        return Step::Next;
    };
    if !may_match(&k, want_type, want_desc) {
        return Step::Next;
    }
    let mut stack = ProbeBuf::uninit();
    let probe = Probe::on_stack(&mut stack);
    let Some(desc) = fetch(probe, keyctl_into(KEYCTL_DESCRIBE, k.serial)) else {
        // As keyutils: a key that vanished is skipped; ENOMEM ends the search; any other
        // error is remembered as the one to report if nothing is found.
        match errno() {
            libc::ENOKEY => {}
            libc::ENOMEM => return Step::Stop(Errno(libc::ENOMEM)),
            e => *error = e,
        }
        return Step::Next;
    };
    let matched = parse_description(desc.text())
        .is_some_and(|d| d.key_type == want_type && d.description == want_desc);
    desc.free();
    if matched {
        Step::Found(k.serial)
    } else {
        Step::Next
    }
}

/// Calls `f` on every line of `/proc/keys` until it finds a key or stops the search.
/// `needle`, when not empty, must appear in every line `f` can match: blocks without it are
/// skipped whole (one vectorised memmem per block instead of splitting and parsing its lines).
/// The caller sets errno on every path afterwards, so closing and freeing need not keep it.
fn search_proc_keys(needle: &[u8], mut f: impl FnMut(&[u8]) -> Step) -> Step {
    // SAFETY: a NUL-terminated path literal; the descriptor is closed by `Fd` below.
    let fd = unsafe { libc::open(c"/proc/keys".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        let e = Errno(errno());
        report_open_failure(e);
        return Step::Stop(e);
    }
    let fd = Fd(fd);
    let Some(mut buf) = Buf::new(READ_CHUNK) else {
        return Step::Stop(Errno(libc::ENOMEM));
    };
    let mut end = 0; // bytes of buf holding unread data
    loop {
        if end == buf.len && !buf.grow() {
            return Step::Stop(Errno(libc::ENOMEM));
        }
        // SAFETY: reads into the free tail buf[end..len] of a live buffer.
        let n = unsafe { libc::read(fd.0, buf.ptr.add(end).cast(), buf.len - end) };
        if n < 0 && errno() == libc::EINTR {
            continue;
        }
        let eof = n <= 0;
        if !eof {
            end += n as usize;
        }
        // SAFETY: buf[..end] has been filled by read.
        let data = unsafe { core::slice::from_raw_parts(buf.ptr, end) };
        let mut rest = data;
        if !needle.is_empty() && !contains(data, needle) {
            if eof {
                return Step::Next;
            }
            // No complete line here can match: keep only the partial one at the end.
            let tail = last_newline(data).map_or(0, |nl| nl + 1);
            rest = data.get(tail..).unwrap_or_default();
        }
        while let Some(nl) = newline(rest) {
            // (`get`, not indexing: memchr's offset is in bounds, but the compiler cannot tell,
            // and indexing would link a panic path into the library.)
            match f(rest.get(..nl).unwrap_or_default()) {
                Step::Next => rest = rest.get(nl + 1..).unwrap_or_default(),
                done => return done,
            }
        }
        if eof {
            // A last line without its newline, if any.
            return f(rest);
        }
        // Keep the partial line at the front and read more after it.
        let start = end - rest.len();
        // SAFETY: both ranges lie in buf[..end]; `copy` allows overlap.
        unsafe { core::ptr::copy(buf.ptr.add(start), buf.ptr, rest.len()) };
        end = rest.len();
    }
}

/// The offset of the first newline: glibc's vectorised memchr, several times faster than a byte
/// loop over the ~100 KB of `/proc/keys`.
fn newline(s: &[u8]) -> Option<usize> {
    // SAFETY: memchr reads at most `s.len()` bytes of `s`.
    let p = unsafe { libc::memchr(s.as_ptr().cast(), i32::from(b'\n'), s.len()) };
    (!p.is_null()).then(|| p as usize - s.as_ptr() as usize)
}

/// The offset of the last newline.
fn last_newline(s: &[u8]) -> Option<usize> {
    // SAFETY: memrchr reads at most `s.len()` bytes of `s`.
    let p = unsafe { libc::memrchr(s.as_ptr().cast(), i32::from(b'\n'), s.len()) };
    (!p.is_null()).then(|| p as usize - s.as_ptr() as usize)
}

/// Whether `needle` occurs in `hay` (glibc's memmem).
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    // SAFETY: memmem reads at most the given lengths of both slices.
    let p = unsafe {
        libc::memmem(
            hay.as_ptr().cast(),
            hay.len(),
            needle.as_ptr().cast(),
            needle.len(),
        )
    };
    !p.is_null()
}

fn report_open_failure(Errno(e): Errno) {
    // keyutils reports this on stderr (one fprintf); the message is kept for callers that look
    // for it, written in one write(2).
    // SAFETY: strerror returns a valid NUL-terminated string (glibc's is static or per-thread).
    let reason = unsafe { CStr::from_ptr(libc::strerror(e)) }.to_bytes();
    let text = b"libkeyutils: Can't open /proc/keys: "
        .iter()
        .chain(reason)
        .chain(b"\n");
    let mut msg = [0u8; 256];
    let mut n = 0;
    for (slot, b) in msg.iter_mut().zip(text) {
        *slot = *b;
        n += 1;
    }
    // SAFETY: writes the `n` initialised bytes of `msg`; a failed write is ignored, as keyutils'
    // fprintf result is.
    unsafe { libc::write(2, msg.as_ptr().cast(), n) };
}

/// A file descriptor closed on drop.
struct Fd(i32);

impl Drop for Fd {
    fn drop(&mut self) {
        // SAFETY: closes a descriptor this module opened, once.
        unsafe { libc::close(self.0) };
    }
}

/// A growable malloc'd byte buffer, freed on drop.
struct Buf {
    ptr: *mut u8,
    len: usize,
}

impl Buf {
    fn new(len: usize) -> Option<Buf> {
        // SAFETY: malloc has no preconditions; NULL is handled.
        let ptr = unsafe { libc::malloc(len) }.cast::<u8>();
        (!ptr.is_null()).then_some(Buf { ptr, len })
    }

    /// Doubles the buffer for a line longer than it; false when memory is out.
    fn grow(&mut self) -> bool {
        let len = self.len * 2;
        // SAFETY: `ptr` is this buffer's live malloc'd block; on failure it stays valid.
        let p = unsafe { libc::realloc(self.ptr.cast(), len) }.cast::<u8>();
        if p.is_null() {
            return false;
        }
        self.ptr = p;
        self.len = len;
        true
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        // SAFETY: frees this buffer's block once.
        unsafe { libc::free(self.ptr.cast()) };
    }
}

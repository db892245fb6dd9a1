//! Output and error plumbing that behaves like the C stdio the original uses:
//! stdout is buffered (line-buffered on a terminal, block-buffered otherwise)
//! and flushed at exit; stderr is written at once; `perror`-style messages
//! use the C library's own `strerror` text.

use std::cell::RefCell;
use std::ffi::CStr;

struct Stdout {
    buf: Vec<u8>,
    /// 0 until first use; then the block size glibc would pick.
    block: usize,
    line_buffered: bool,
    unbuffered: bool,
}

thread_local! {
    static STDOUT: RefCell<Stdout> = const {
        RefCell::new(Stdout { buf: Vec::new(), block: 0, line_buffered: false, unbuffered: false })
    };
}

fn write_all_fd(fd: libc::c_int, mut data: &[u8]) -> Result<(), i32> {
    while !data.is_empty() {
        // SAFETY: `data` is a valid, initialised byte slice for its length.
        let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
        if n < 0 {
            let e = errno();
            if e == libc::EINTR {
                continue;
            }
            return Err(e);
        }
        data = &data[n as usize..];
    }
    Ok(())
}

fn stdout_block() -> (usize, bool) {
    // SAFETY: isatty and fstat only read the descriptor's state; `st` is a
    // properly sized, zeroed stat buffer.
    unsafe {
        let tty = libc::isatty(1) == 1;
        let mut st: libc::stat = std::mem::zeroed();
        let mut block = 4096;
        if libc::fstat(1, &mut st) == 0 && st.st_blksize > 0 {
            block = st.st_blksize as usize;
        }
        (block, tty)
    }
}

/// Append to stdout, flushing as glibc's stdio would.
pub fn out(data: &[u8]) {
    STDOUT.with(|s| {
        let mut s = s.borrow_mut();
        if s.block == 0 {
            let (block, tty) = stdout_block();
            s.block = block;
            s.line_buffered = tty;
        }
        s.buf.extend_from_slice(data);
        let flush_now = if s.unbuffered {
            true
        } else if s.line_buffered {
            data.contains(&b'\n')
        } else {
            s.buf.len() >= s.block
        };
        if flush_now {
            let buf = std::mem::take(&mut s.buf);
            let _ = write_all_fd(1, &buf);
        }
    });
}

/// setvbuf(stdout, NULL, _IONBF, 0)
pub fn set_unbuffered() {
    flush_out();
    STDOUT.with(|s| s.borrow_mut().unbuffered = true);
}

pub fn flush_out() {
    STDOUT.with(|s| {
        let buf = std::mem::take(&mut s.borrow_mut().buf);
        if !buf.is_empty() {
            let _ = write_all_fd(1, &buf);
        }
    });
}

/// Write straight to a descriptor, bypassing the stdout buffer (like write(2)).
pub fn write_fd(fd: libc::c_int, data: &[u8]) -> Result<(), i32> {
    write_all_fd(fd, data)
}

pub fn err(data: &[u8]) {
    let _ = write_all_fd(2, data);
}

#[macro_export]
macro_rules! outf {
    ($($arg:tt)*) => { $crate::io::out(format!($($arg)*).as_bytes()) };
}

#[macro_export]
macro_rules! errf {
    ($($arg:tt)*) => { $crate::io::err(format!($($arg)*).as_bytes()) };
}

pub fn errno() -> i32 {
    // SAFETY: __errno_location always returns the calling thread's errno slot.
    unsafe { *libc::__errno_location() }
}

pub fn set_errno(e: i32) {
    // SAFETY: as above; writing errno is how C code resets it.
    unsafe { *libc::__errno_location() = e }
}

/// The C library's message for an errno value (what %m and perror print).
pub fn strerror(e: i32) -> String {
    // SAFETY: strerror returns a pointer to a NUL-terminated string that stays
    // valid until the next strerror call; we copy it out at once.
    unsafe {
        let p = libc::strerror(e);
        if p.is_null() {
            return format!("Unknown error {e}");
        }
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// Leave the program as C's exit() would: flush stdout, then exit.
pub fn exit(code: i32) -> ! {
    flush_out();
    std::process::exit(code)
}

/// perror(msg) followed by exit(1), the original's `error()`.
pub fn error(msg: &str) -> ! {
    let e = errno();
    error_bytes(msg.as_bytes(), e)
}

pub fn error_bytes(msg: &[u8], e: i32) -> ! {
    let mut line = msg.to_vec();
    if !msg.is_empty() {
        line.extend_from_slice(b": ");
    }
    line.extend_from_slice(strerror(e).as_bytes());
    line.push(b'\n');
    err(&line);
    exit(1)
}

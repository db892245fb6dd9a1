//! Where request-key's messages go, as in keyutils 1.6.3: debugging lines to stderr and syslog
//! (LOG_DEBUG) when `-v` is given; errors to stderr when `-v` is given and to syslog (LOG_ERR)
//! unless `-n`, then exit 1. Syslog is opened for each message as `request-key`, facility
//! LOG_AUTHPRIV, and closed again, so no descriptor stays open for the handlers.

use std::ffi::CString;
use std::io::Write;

use crate::conf::c_str;

#[derive(Clone, Copy, Debug, Default)]
pub struct Log {
    pub verbosity: u32,
    pub no_log: bool,
}

fn syslog(priority: libc::c_int, msg: &[u8]) {
    let text = CString::new(c_str(msg)).unwrap_or_default();
    // SAFETY: the identity is a static NUL-terminated string, the format is a literal "%s" and
    // its one argument a NUL-terminated string that outlives the call; closelog drops the socket.
    unsafe {
        libc::openlog(c"request-key".as_ptr(), 0, libc::LOG_AUTHPRIV);
        libc::syslog(priority, c"%s".as_ptr(), text.as_ptr());
        libc::closelog();
    }
}

fn to_stderr(msg: &[u8]) {
    // Unbuffered, as C's stderr; a closed or full stderr changes nothing.
    let _ = std::io::stderr().write_all(msg);
}

impl Log {
    pub fn debug(&self, msg: &[u8]) {
        if self.verbosity > 0 {
            to_stderr(msg);
            if !self.no_log {
                syslog(libc::LOG_DEBUG, msg);
            }
        }
    }

    /// Log an error and exit 1.
    pub fn error(&self, msg: &[u8]) -> ! {
        if self.verbosity > 0 {
            to_stderr(msg);
        }
        if !self.no_log {
            syslog(libc::LOG_ERR, msg);
        }
        std::process::exit(1)
    }

    /// A line a `|pipe` handler wrote on its stderr: to syslog as an error, to stderr with `-v`.
    pub fn child(&self, msg: &[u8]) {
        if self.verbosity > 0 {
            to_stderr(msg);
        }
        if !self.no_log {
            syslog(libc::LOG_ERR, msg);
        }
    }
}

/// `strerror(errno)`, the text `%m` prints.
pub fn strerror(errno: i32) -> String {
    let full = std::io::Error::from_raw_os_error(errno).to_string();
    let suffix = format!(" (os error {errno})");
    full.strip_suffix(&suffix).unwrap_or(&full).to_string()
}

/// Concatenate byte pieces into one message.
pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// `%*.*s` of printf with width and precision `n`: at most `n` bytes of `s`, stopping at a NUL,
/// right-aligned in `n` columns.
pub fn fixed(s: &[u8], n: usize) -> Vec<u8> {
    let s = c_str(s.get(..n).unwrap_or(s));
    let mut out = vec![b' '; n.saturating_sub(s.len())];
    out.extend_from_slice(s);
    out
}

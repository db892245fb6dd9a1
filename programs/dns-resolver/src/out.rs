//! Where messages go, as in the original: to the terminal when the program is run by hand
//! (stderr for errors, stdout for `I:`/`D:` lines), to syslog (ident `key.dns_resolver`,
//! facility daemon) when it is run by request-key with no terminal attached.
use std::ffi::CString;
use std::io::Write;

static IDENT: &std::ffi::CStr = c"key.dns_resolver";

pub fn openlog() {
    // SAFETY: IDENT is a 'static NUL-terminated string, as openlog requires (it keeps the pointer).
    unsafe { libc::openlog(IDENT.as_ptr(), 0, libc::LOG_DAEMON) };
}

pub fn isatty(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor number.
    unsafe { libc::isatty(fd) == 1 }
}

/// syslog(3) with the text as it is, up to a first NUL (C strings end there).
pub fn syslog(prio: i32, msg: &[u8]) {
    let cut = msg.iter().position(|&b| b == 0).unwrap_or(msg.len());
    let Ok(text) = CString::new(msg.get(..cut).unwrap_or_default()) else {
        return;
    };
    // SAFETY: a "%s" format with one valid NUL-terminated string argument.
    unsafe { libc::syslog(prio, c"%s".as_ptr(), text.as_ptr()) };
}

/// isatty(FD): Ok for a terminal, else the errno isatty left (ENOTTY, or EBADF when closed).
fn tty(fd: i32) -> Result<(), i32> {
    if isatty(fd) {
        Ok(())
    } else {
        Err(errno())
    }
}

/// MSG, then ": " and strerror when ERRNO is given: C's "%m". The original tests isatty before
/// it prints, and %m reads errno then: on a terminal that is still the caller's errno, without
/// one it is the ENOTTY (or EBADF) isatty just set. Messages keep that, to read as the original's.
fn with_m(msg: &[u8], errno: Option<i32>) -> Vec<u8> {
    match errno {
        None => msg.to_vec(),
        Some(e) => [msg, b": ", strerror(e).as_bytes()].concat(),
    }
}

/// A line on stderr, or syslog at PRIO when stderr is not a terminal.
pub fn err_line(prio: i32, msg: &[u8]) {
    err_line_m(prio, msg, None);
}

/// err_line with C's "%m" (see with_m).
pub fn err_line_m(prio: i32, msg: &[u8], errno: Option<i32>) {
    match tty(2) {
        Ok(()) => {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(c_str(&with_m(msg, errno)));
            let _ = e.write_all(b"\n");
        }
        Err(t) => syslog(prio, &with_m(msg, errno.map(|_| t))),
    }
}

/// A line with PREFIX on stdout, or syslog at PRIO when stdout is not a terminal.
pub fn out_line(prio: i32, prefix: &[u8], msg: &[u8]) {
    out_line_m(prio, prefix, msg, None);
}

/// out_line with C's "%m" (see with_m).
pub fn out_line_m(prio: i32, prefix: &[u8], msg: &[u8], errno: Option<i32>) {
    match tty(1) {
        Ok(()) => {
            let mut o = std::io::stdout().lock();
            let _ = o.write_all(prefix);
            let _ = o.write_all(c_str(&with_m(msg, errno)));
            let _ = o.write_all(b"\n");
            let _ = o.flush();
        }
        Err(t) => syslog(prio, &with_m(msg, errno.map(|_| t))),
    }
}

/// What C's "%s" prints of these bytes: everything up to a first NUL.
pub fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => b.get(..n).unwrap_or_default(),
        None => b,
    }
}

/// strerror(3) of ERRNO, as "%m" prints it.
pub fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: buf is writable for its whole length, which is what we pass; the XSI strerror_r
    // always NUL-terminates what it writes into a buffer of that size.
    let r = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if r != 0 {
        return format!("Unknown error {errno}");
    }
    // SAFETY: strerror_r succeeded, so buf holds a NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// The errno of the last failed libc call.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// hstrerror(3): the text of an h_errno value.
pub fn hstrerror(err: i32) -> String {
    // SAFETY: hstrerror returns a pointer to a static string (or NULL) for any value.
    static_text(unsafe { libc::hstrerror(err) })
}

/// gai_strerror(3).
pub fn gai_strerror(err: i32) -> String {
    // SAFETY: gai_strerror returns a pointer to a static string (or NULL) for any value.
    static_text(unsafe { libc::gai_strerror(err) })
}

/// The text of a static C string that the C library returned (empty for NULL).
fn static_text(p: *const libc::c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-null, and (as its callers say) static and NUL-terminated.
    let text = unsafe { std::ffi::CStr::from_ptr(p) };
    text.to_string_lossy().into_owned()
}

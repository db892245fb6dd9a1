//! Helpers shared by the commands: C-compatible number parsing, hex decoding,
//! stdin and file slurping, and safe wrappers over the library's `*_alloc`
//! functions.

use crate::io::{self, errno, error, error_bytes};
use keyutils_api::{self as api, KeySerial};
use libc::{c_char, c_int};
use std::ffi::CString;

/// `s` up to its first NUL, as C sees a string.  Command-line arguments
/// hold none; data read from stdin may.
pub fn cut(s: &[u8]) -> &[u8] {
    &s[..s.iter().position(|&b| b == 0).unwrap_or(s.len())]
}

/// `s` as a C string, cut at its first NUL ([`cut`]).
pub fn cstring(s: &[u8]) -> CString {
    CString::new(cut(s)).unwrap_or_default()
}

type StrTo<T> = unsafe extern "C" fn(*const c_char, *mut *mut c_char, c_int) -> T;

/// `f(s, &end, base)` for libc's strtoul or strtol; returns the value and
/// whether all of `s` was used.
fn strto<T>(s: &[u8], base: i32, f: StrTo<T>) -> (T, bool) {
    let c = cstring(s);
    let mut end: *mut c_char = std::ptr::null_mut();
    // SAFETY: `f` is strtoul or strtol; `c` is a valid NUL-terminated
    // string; `end` receives a pointer into it.
    let v = unsafe { f(c.as_ptr(), &mut end, base) };
    // SAFETY: `f` sets `end` to point within `c` (at worst at its start).
    let complete = unsafe { *end == 0 };
    (v, complete)
}

pub fn strtoul(s: &[u8], base: i32) -> (libc::c_ulong, bool) {
    strto(s, base, libc::strtoul)
}

pub fn strtol(s: &[u8], base: i32) -> (libc::c_long, bool) {
    strto(s, base, libc::strtol)
}

/// keyctl's answer to an argument that is not a number: `Unparsable WHAT: 'ARG'`, exit 2.
pub fn unparsable(what: &str, arg: &[u8]) -> ! {
    io::err(b"Unparsable ");
    io::err(what.as_bytes());
    io::err(b": '");
    io::err(arg);
    io::err(b"'\n");
    io::exit(2)
}

/// All of `arg` as an unsigned number in `base` (`strtoul`), or [`unparsable`].
pub fn ulong_arg(arg: &[u8], base: i32, what: &str) -> libc::c_ulong {
    match strtoul(arg, base) {
        (v, true) => v,
        _ => unparsable(what, arg),
    }
}

fn c_isspace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hexval(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

/// Decode hex doublets, discarding whitespace between them.  Errors are the
/// original's: "Short hex doublet" / "Bad hex doublet", exit 1.
pub fn hex_decode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        if c_isspace(c) {
            i += 1;
            continue;
        }
        if data.len() - i == 1 {
            io::err(b"Short hex doublet\n");
            io::exit(1);
        }
        let d = data[i + 1];
        if !c.is_ascii_hexdigit() || !d.is_ascii_hexdigit() {
            io::err(b"Bad hex doublet\n");
            io::exit(1);
        }
        out.push(hexval(c) << 4 | hexval(d));
        i += 2;
    }
    out
}

/// Slurp stdin: at most 1 MiB is taken, as by the original.
pub fn grab_stdin() -> Vec<u8> {
    const MAX: usize = 1024 * 1024;
    let mut buf = vec![0u8; MAX];
    let mut n = 0;
    loop {
        // SAFETY: buf[n..MAX] is valid writable memory of MAX - n bytes.
        let r = unsafe { libc::read(0, buf.as_mut_ptr().add(n).cast(), MAX - n) };
        if r < 0 {
            error("stdin");
        }
        if r == 0 {
            break;
        }
        n += r as usize;
    }
    buf.truncate(n);
    buf
}

/// Read a whole file the way the original's read_file() does.
pub fn read_file(name: &[u8]) -> Vec<u8> {
    let cname = cstring(name);
    // SAFETY: `cname` is NUL-terminated.
    let fd = unsafe { libc::open(cname.as_ptr(), libc::O_RDONLY) };
    if fd < 0 {
        error_bytes(name, errno());
    }
    // SAFETY: `st` is a zeroed stat buffer of the right size.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fd is open; st is writable.
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        error_bytes(name, errno());
    }
    let size = st.st_size.max(0) as usize;
    let mut buf = vec![0u8; size];
    // SAFETY: buf has `size` writable bytes.
    let r = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), size) };
    if r == -1 {
        error_bytes(name, errno());
    }
    if r as usize != size {
        let mut m = name.to_vec();
        m.extend_from_slice(b": Short read\n");
        io::err(&m);
        io::exit(1);
    }
    // SAFETY: fd is ours to close.
    if unsafe { libc::close(fd) } < 0 {
        error_bytes(name, errno());
    }
    buf
}

/// Hex dump in the layout of `keyctl read`: groups of 4 bytes, 32 per line.
pub fn hexdump(data: &[u8]) {
    let mut s = String::with_capacity(data.len() * 3 + 1);
    for (i, b) in data.iter().enumerate() {
        if i > 0 {
            if i % 32 == 0 {
                s.push('\n');
            } else if i % 4 == 0 {
                s.push(' ');
            }
        }
        s.push_str(&format!("{b:02x}"));
    }
    s.push('\n');
    io::out(s.as_bytes());
}

/// Join the named session keyring (an anonymous one for None), or die with
/// the original's "keyctl_join_session_keyring" error.
pub fn join_session(name: Option<&[u8]>) -> KeySerial {
    or_die(
        api::join_session_keyring(name.map(cut)),
        "keyctl_join_session_keyring",
    )
}

/// Run `prog` (its name, then its arguments) from $PATH in place of
/// ourselves; if that fails, perror its name and exit 1.
pub fn exec_prog(prog: &[Vec<u8>]) -> ! {
    let cargs: Vec<CString> = prog.iter().map(|a| cstring(a)).collect();
    let mut argv: Vec<*const c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
    argv.push(std::ptr::null());
    io::flush_out();
    // SAFETY: argv is a NULL-terminated array of NUL-terminated strings that
    // outlive the call.
    unsafe { libc::execvp(argv[0], argv.as_ptr()) };
    error_bytes(&prog[0], errno())
}

/// A key list as read from a keyring payload (native-endian serials).
pub fn serials(payload: &[u8]) -> Vec<KeySerial> {
    api::keyring_serials(payload)
}

/// The errno of a failed library call (EINVAL for the one error that has
/// none, a NUL in a string, which [`cut`] rules out).
pub fn errno_of(e: &std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(libc::EINVAL)
}

/// The value of a library call, or perror(what) with its errno and exit 1:
/// the original's `if (ret < 0) error(what)`.
pub fn or_die<T>(r: api::Result<T>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => io::error_bytes(what.as_bytes(), errno_of(&e)),
    }
}

/// The fields of a raw key description "type;uid;gid;perm;desc", parsed as
/// the original's sscanf("%[^;];%d;%d;%x;%n") does for kernel output.
pub struct RawDesc<'a> {
    pub type_: &'a [u8],
    pub uid: i32,
    pub gid: i32,
    pub perm: u32,
    pub desc: &'a [u8],
}

fn scan_int(s: &[u8], hex: bool) -> Option<(i64, usize)> {
    let mut i = 0;
    while i < s.len() && c_isspace(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        neg = s[i] == b'-';
        i += 1;
    }
    if hex && i + 1 < s.len() && s[i] == b'0' && (s[i + 1] | 0x20) == b'x' {
        i += 2;
    }
    let start = i;
    let mut v: i64 = 0;
    while i < s.len() {
        let d = if hex && s[i].is_ascii_hexdigit() {
            hexval(s[i]) as i64
        } else if s[i].is_ascii_digit() {
            (s[i] - b'0') as i64
        } else {
            break;
        };
        v = v.wrapping_mul(if hex { 16 } else { 10 }).wrapping_add(d);
        i += 1;
    }
    if i == start {
        return None;
    }
    Some((if neg { v.wrapping_neg() } else { v }, i))
}

/// Returns the number of leading conversions that matched (type, uid, gid,
/// perm) and the parsed fields; `desc` is empty unless all four matched and
/// were followed by ';'.
pub fn parse_desc(raw: &[u8]) -> (usize, RawDesc<'_>) {
    let mut d = RawDesc {
        type_: b"",
        uid: 0,
        gid: 0,
        perm: 0,
        desc: b"",
    };
    let tlen = raw.iter().position(|&b| b == b';').unwrap_or(raw.len());
    if tlen == 0 {
        return (0, d);
    }
    d.type_ = &raw[..tlen];
    if tlen == raw.len() {
        return (1, d);
    }
    let mut pos = tlen + 1;
    let mut n = 1;
    for field in 0..3 {
        let hex = field == 2;
        let Some((v, used)) = scan_int(&raw[pos..], hex) else {
            return (n, d);
        };
        match field {
            0 => d.uid = v as i32,
            1 => d.gid = v as i32,
            _ => d.perm = v as u32,
        }
        n += 1;
        pos += used;
        if pos >= raw.len() || raw[pos] != b';' {
            return (n, d);
        }
        pos += 1;
    }
    d.desc = &raw[pos..];
    (n, d)
}

/// What the caller may do with a key: the "--alswrv" column of show/list.
pub fn calc_perms(perm: u32, uid: i32, gid: i32) -> String {
    let ids = crate::ids();
    let mut perms = (perm & 0x3f00_0000) >> 24;
    if uid as u32 == ids.uid {
        perms |= (perm & 0x003f_0000) >> 16;
    } else if gid != -1 && (gid as u32 == ids.gid || ids.groups.contains(&(gid as u32))) {
        perms |= (perm & 0x0000_3f00) >> 8;
    } else {
        perms |= perm & 0x3f;
    }
    let mut s = String::from("--");
    push_perm_letters(&mut s, perms);
    s
}

/// The 24-letter mask of `keyctl describe`: possessor, user, group, other.
pub fn full_perms(perm: u32) -> String {
    let mut s = String::with_capacity(24);
    for shift in [24, 16, 8, 0] {
        push_perm_letters(&mut s, perm >> shift);
    }
    s
}

/// "alswrv" for the low six bits of `p`, '-' for each bit clear.
fn push_perm_letters(s: &mut String, p: u32) {
    for (i, ch) in "alswrv".chars().enumerate() {
        s.push(if p & (0x20 >> i) != 0 { ch } else { '-' });
    }
}

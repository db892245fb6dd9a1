//! The keyctl commands, one function per command, in the order of the
//! usage table.  Each receives the argument vector starting at its own name.

use crate::ffi::{self, KeySerial};
use crate::io::{self, errno, error, out};
use crate::util::{self, cstring, hex_decode, strtol, strtoul};
use crate::{errf, format, get_key_id, outf, Args};
use libc::{c_char, c_int, c_void};
use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};

/// Strip a leading option such as "-x" the way the original does: only as
/// the very first argument.
fn take_flag(args: &mut Args, flag: &[u8]) -> bool {
    if args.len() > 1 && args[1] == flag {
        args.remove(1);
        true
    } else {
        false
    }
}

/// The payload as given, or decoded from hex under -x.
fn unhex(hex: bool, data: Vec<u8>) -> Vec<u8> {
    if hex {
        hex_decode(&data)
    } else {
        data
    }
}

/// perror(what) and exit 1 if a library call returned a negative value.
fn check(ret: impl Into<i64>, what: &str) {
    if ret.into() < 0 {
        error(what);
    }
}

pub fn version(_args: Args) {
    // SAFETY: the library exports these as NUL-terminated char arrays.
    let (v, b) = unsafe {
        (
            CStr::from_ptr(ptr::addr_of!(ffi::keyutils_version_string)),
            CStr::from_ptr(ptr::addr_of!(ffi::keyutils_build_string)),
        )
    };
    out(b"keyctl from ");
    out(v.to_bytes());
    out(b" (Built ");
    out(b.to_bytes());
    out(b")\n");
}

/// Capability names and where their bit lives in keyctl_capabilities().
const CAPABILITIES: &[(&str, usize, u8)] = &[
    ("capabilities", 0, 0x01),
    ("persistent_keyrings", 0, 0x02),
    ("dh_compute", 0, 0x04),
    ("public_key", 0, 0x08),
    ("big_key_type", 0, 0x10),
    ("key_invalidate", 0, 0x20),
    ("restrict_keyring", 0, 0x40),
    ("move_key", 0, 0x80),
    ("ns_keyring_name", 1, 0x01),
    ("ns_key_tag", 1, 0x02),
    ("notify", 1, 0x04),
];

pub fn supports(args: Args) {
    if args.len() > 2 {
        format();
    }
    let mut caps = [0u8; 256];
    // SAFETY: `caps` is a writable buffer of the length passed.
    let len = unsafe { ffi::keyctl_capabilities(caps.as_mut_ptr(), caps.len()) };
    check(len, "keyctl_capabilities");
    let len = (len as usize).min(caps.len());

    if args.len() == 1 {
        for (name, idx, mask) in CAPABILITIES {
            let on = caps[*idx] & mask != 0;
            outf!("have_{}={}\n", name, if on { '1' } else { '0' });
        }
        return;
    }

    let what = &args[1];
    if what == b"--raw" {
        let mut s = String::new();
        for c in &caps[..len] {
            s.push_str(&format!("{c:02x}"));
        }
        s.push('\n');
        out(s.as_bytes());
    }
    for (name, idx, mask) in CAPABILITIES {
        if name.as_bytes() == what.as_slice() {
            io::exit(if caps[*idx] & mask != 0 { 0 } else { 1 });
        }
    }
    io::exit(3)
}

pub fn id(args: Args) {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    // SAFETY: plain syscall wrapper.
    let key = unsafe { ffi::keyctl_get_keyring_ID(key, 0) };
    check(key, "keyctl_get_keyring_ID");
    outf!("{}\n", key);
}

fn add_key_print(type_: &[u8], desc: &[u8], data: Option<&[u8]>, dest: KeySerial) {
    let t = cstring(type_);
    let d = cstring(desc);
    let (p, len) = match data {
        Some(data) => (data.as_ptr() as *const c_void, data.len()),
        None => (ptr::null(), 0),
    };
    // SAFETY: strings are NUL-terminated; `p` covers `len` bytes or is NULL
    // with length 0.
    let ret = unsafe { ffi::add_key(t.as_ptr(), d.as_ptr(), p, len, dest) };
    check(ret, "add_key");
    outf!("{}\n", ret);
}

pub fn add(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 5 {
        format();
    }
    let data = unhex(hex, args[3].clone());
    let dest = get_key_id(&args[4]);
    add_key_print(&args[1], &args[2], Some(&data), dest);
}

pub fn padd(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 4 {
        format();
    }
    let data = unhex(hex, util::grab_stdin());
    let dest = get_key_id(&args[3]);
    add_key_print(&args[1], &args[2], Some(&data), dest);
}

fn do_request(type_: &[u8], desc: &[u8], info: Option<&[u8]>, dest: Option<&[u8]>) {
    let dest = dest.map(get_key_id).unwrap_or(0);
    let t = cstring(type_);
    let d = cstring(desc);
    let i = info.map(cstring);
    let ip = i.as_ref().map_or(ptr::null(), |c| c.as_ptr());
    // SAFETY: all strings are NUL-terminated or NULL (no callout info).
    let ret = unsafe { ffi::request_key(t.as_ptr(), d.as_ptr(), ip, dest) };
    check(ret, "request_key");
    outf!("{}\n", ret);
}

pub fn request(args: Args) {
    if args.len() != 3 && args.len() != 4 {
        format();
    }
    do_request(&args[1], &args[2], None, args.get(3).map(|v| v.as_slice()));
}

pub fn request2(args: Args) {
    if args.len() != 4 && args.len() != 5 {
        format();
    }
    do_request(
        &args[1],
        &args[2],
        Some(&args[3]),
        args.get(4).map(|v| v.as_slice()),
    );
}

pub fn prequest2(args: Args) {
    if args.len() != 3 && args.len() != 4 {
        format();
    }
    let info = util::grab_stdin();
    do_request(
        &args[1],
        &args[2],
        Some(&info),
        args.get(3).map(|v| v.as_slice()),
    );
}

fn do_update(key: KeySerial, data: &[u8]) {
    // SAFETY: `data` covers its length.
    let r = unsafe { ffi::keyctl_update(key, data.as_ptr().cast(), data.len()) };
    check(r, "keyctl_update");
}

pub fn update(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 3 {
        format();
    }
    let data = unhex(hex, args[2].clone());
    let key = get_key_id(&args[1]);
    do_update(key, &data);
}

pub fn pupdate(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    let data = unhex(hex, util::grab_stdin());
    do_update(key, &data);
}

pub fn newring(args: Args) {
    if args.len() != 3 {
        format();
    }
    let dest = get_key_id(&args[2]);
    add_key_print(b"keyring", &args[1], None, dest);
}

fn one_key_op(args: &Args, op: unsafe extern "C" fn(KeySerial) -> libc::c_long, what: &str) {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    // SAFETY: plain syscall wrapper taking a serial.
    check(unsafe { op(key) }, what);
}

pub fn revoke(args: Args) {
    one_key_op(&args, ffi::keyctl_revoke, "keyctl_revoke");
}

pub fn clear(args: Args) {
    one_key_op(&args, ffi::keyctl_clear, "keyctl_clear");
}

pub fn invalidate(args: Args) {
    one_key_op(&args, ffi::keyctl_invalidate, "keyctl_invalidate");
}

pub fn link(args: Args) {
    if args.len() != 3 {
        format();
    }
    let key = get_key_id(&args[1]);
    let keyring = get_key_id(&args[2]);
    // SAFETY: plain syscall wrapper.
    check(unsafe { ffi::keyctl_link(key, keyring) }, "keyctl_link");
}

unsafe extern "C" fn unlink_func(
    parent: KeySerial,
    key: KeySerial,
    _desc: *mut c_char,
    _desc_len: c_int,
    data: *mut c_void,
) -> c_int {
    // SAFETY: `data` is the &KeySerial passed to recursive_session_key_scan.
    let target = unsafe { *(data as *const KeySerial) };
    if key == target {
        // SAFETY: plain syscall wrapper.
        return if unsafe { ffi::keyctl_unlink(key, parent) } < 0 {
            0
        } else {
            1
        };
    }
    0
}

pub fn unlink(args: Args) {
    if args.len() != 2 && args.len() != 3 {
        format();
    }
    let mut link = get_key_id(&args[1]);
    if args.len() == 3 {
        let keyring = get_key_id(&args[2]);
        // SAFETY: plain syscall wrapper.
        check(
            unsafe { ffi::keyctl_unlink(link, keyring) },
            "keyctl_unlink",
        );
    } else {
        // SAFETY: the callback only reads `link` for the duration of the scan.
        let n = unsafe {
            ffi::recursive_session_key_scan(unlink_func, (&mut link as *mut KeySerial).cast())
        };
        outf!("{} links removed\n", n);
    }
}

pub fn move_(mut args: Args) {
    let mut flags = ffi::KEYCTL_MOVE_EXCL;
    if args.len() > 4 && args[1] == b"-f" {
        flags = 0;
        args.remove(1);
    }
    if args.len() != 4 {
        format();
    }
    let key = get_key_id(&args[1]);
    let from = get_key_id(&args[2]);
    let to = get_key_id(&args[3]);
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_move(key, from, to, flags) },
        "keyctl_move",
    );
}

pub fn search(args: Args) {
    if args.len() != 4 && args.len() != 5 {
        format();
    }
    let keyring = get_key_id(&args[1]);
    let dest = if args.len() == 5 {
        get_key_id(&args[4])
    } else {
        0
    };
    let t = cstring(&args[2]);
    let d = cstring(&args[3]);
    // SAFETY: NUL-terminated strings.
    let ret = unsafe { ffi::keyctl_search(keyring, t.as_ptr(), d.as_ptr(), dest) };
    check(ret, "keyctl_search");
    outf!("{}\n", ret);
}

pub fn restrict_keyring(args: Args) {
    if args.len() < 2 || args.len() > 4 {
        format();
    }
    let keyring = get_key_id(&args[1]);
    let t = args.get(2).map(|v| cstring(v));
    let r = args.get(3).map(|v| cstring(v));
    let tp = t.as_ref().map_or(ptr::null(), |c| c.as_ptr());
    let rp = r.as_ref().map_or(ptr::null(), |c| c.as_ptr());
    // SAFETY: strings are NUL-terminated or NULL.
    let ret = unsafe { ffi::keyctl_restrict_keyring(keyring, tp, rp) };
    check(ret, "keyctl_restrict_keyring");
}

fn read_payload(args: &Args) -> Vec<u8> {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    match util::read_alloc(key) {
        Ok(v) => v,
        Err(e) => io::error_bytes(b"keyctl_read_alloc", e),
    }
}

pub fn read(args: Args) {
    let data = read_payload(&args);
    if data.is_empty() {
        out(b"No data in key\n");
        return;
    }
    outf!("{} bytes of data in key:\n", data.len());
    util::hexdump(&data);
}

pub fn pipe(args: Args) {
    let data = read_payload(&args);
    if !data.is_empty() {
        if let Err(e) = io::write_fd(1, &data) {
            io::error_bytes(b"write", e);
        }
    }
}

pub fn print(args: Args) {
    let data = read_payload(&args);
    if data.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        out(&data);
        out(b"\n");
    } else {
        let mut s = String::from(":hex:");
        for b in &data {
            s.push_str(&format!("{b:02x}"));
        }
        s.push('\n');
        out(s.as_bytes());
    }
}

pub fn list(args: Args) {
    let keylist = read_payload(&args);
    let keys = util::serials(&keylist);
    if keys.is_empty() {
        out(b"keyring is empty\n");
        return;
    }
    if keys.len() == 1 {
        out(b"1 key in keyring:\n");
    } else {
        outf!("{} keys in keyring:\n", keys.len());
    }
    for key in keys {
        let buffer = match util::describe_alloc(key) {
            Ok(b) => b,
            Err(e) => {
                outf!("{:9}: key inaccessible ({})\n", key, io::strerror(e));
                continue;
            }
        };
        let d = parsed_desc(key, &buffer);
        key_line(key, &util::calc_perms(d.perm, d.uid, d.gid), &d);
    }
}

/// `key`'s description `raw` in fields, or exit 3 if it does not parse.
fn parsed_desc(key: KeySerial, raw: &[u8]) -> util::RawDesc<'_> {
    let (n, d) = util::parse_desc(raw);
    if n != 4 {
        errf!("Unparsable description obtained for key {}\n", key);
        io::exit(3);
    }
    d
}

/// One key as `list` and `describe` print it: serial, permissions, uid, gid,
/// type and description.
fn key_line(key: KeySerial, perms: &str, d: &util::RawDesc) {
    let mut line = format!("{:9}: {} {:5} {:5} ", key, perms, d.uid, d.gid).into_bytes();
    line.extend_from_slice(d.type_);
    line.extend_from_slice(b": ");
    line.extend_from_slice(d.desc);
    line.push(b'\n');
    out(&line);
}

pub fn rlist(args: Args) {
    let keylist = read_payload(&args);
    let keys = util::serials(&keylist);
    if keys.is_empty() {
        out(b"\n");
    } else {
        let s: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        outf!("{}\n", s.join(" "));
    }
}

pub fn describe(args: Args) {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    let buffer = match util::describe_alloc(key) {
        Ok(b) => b,
        Err(e) => io::error_bytes(b"keyctl_describe_alloc", e),
    };
    let d = parsed_desc(key, &buffer);
    key_line(key, &util::full_perms(d.perm), &d);
}

pub fn rdescribe(args: Args) {
    if args.len() != 2 && args.len() != 3 {
        format();
    }
    if args.len() == 3 && args[2].is_empty() {
        format();
    }
    let key = get_key_id(&args[1]);
    let mut buffer = match util::describe_alloc(key) {
        Ok(b) => b,
        Err(e) => io::error_bytes(b"keyctl_describe", e),
    };
    if let Some(sep) = args.get(2) {
        for b in buffer.iter_mut() {
            if *b == b';' {
                *b = sep[0];
            }
        }
    }
    buffer.push(b'\n');
    out(&buffer);
}

/// `<key> <number>`: the key is parsed first, so its errors come first.
fn key_and_number(args: &Args, base: i32, what: &str) -> (KeySerial, libc::c_ulong) {
    if args.len() != 3 {
        format();
    }
    let key = get_key_id(&args[1]);
    (key, util::ulong_arg(&args[2], base, what))
}

pub fn chown(args: Args) {
    let (key, uid) = key_and_number(&args, 0, "uid");
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_chown(key, uid as libc::uid_t, libc::gid_t::MAX) },
        "keyctl_chown",
    );
}

pub fn chgrp(args: Args) {
    let (key, gid) = key_and_number(&args, 0, "gid");
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_chown(key, libc::uid_t::MAX, gid as libc::gid_t) },
        "keyctl_chown",
    );
}

pub fn setperm(args: Args) {
    let (key, perm) = key_and_number(&args, 0, "permissions");
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_setperm(key, perm as ffi::KeyPerm) },
        "keyctl_setperm",
    );
}

pub fn session(args: Args) {
    let mut rest = &args[1..];
    let mut name: Option<&[u8]> = None;
    if !rest.is_empty() {
        if rest[0] != b"-" {
            name = Some(&rest[0]);
        }
        rest = &rest[1..];
    }
    let ret = util::join_session(name);
    errf!("Joined session keyring: {}\n", ret);

    if rest.is_empty() {
        let shell = std::env::var_os("SHELL")
            .map(std::os::unix::ffi::OsStringExt::into_vec)
            .unwrap_or_else(|| b"/bin/sh".to_vec());
        let c = cstring(&shell);
        io::flush_out();
        // SAFETY: execl with a NUL-terminated path, argv[0] and the NULL end.
        unsafe { libc::execl(c.as_ptr(), c.as_ptr(), ptr::null::<c_char>()) };
        io::error_bytes(&shell, errno());
    }
    util::exec_prog(rest)
}

pub fn new_session(args: Args) {
    if args.len() > 2 {
        format();
    }
    let keyring = util::join_session(args.get(1).map(|v| v.as_slice()));
    // SAFETY: plain syscall wrapper.
    if unsafe { ffi::keyctl_session_to_parent() } < 0 {
        error("keyctl_session_to_parent");
    }
    outf!("{}\n", keyring);
}

fn do_instantiate(key: KeySerial, data: &[u8], dest: KeySerial) {
    // SAFETY: `data` covers its length.
    let r = unsafe { ffi::keyctl_instantiate(key, data.as_ptr().cast(), data.len(), dest) };
    check(r, "keyctl_instantiate");
}

pub fn instantiate(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 4 {
        format();
    }
    let key = get_key_id(&args[1]);
    let dest = get_key_id(&args[3]);
    let data = unhex(hex, args[2].clone());
    do_instantiate(key, &data, dest);
}

pub fn pinstantiate(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 3 {
        format();
    }
    let key = get_key_id(&args[1]);
    let dest = get_key_id(&args[2]);
    let data = unhex(hex, util::grab_stdin());
    do_instantiate(key, &data, dest);
}

fn parse_timeout(arg: &[u8]) -> libc::c_uint {
    let v = util::ulong_arg(arg, 10, "timeout");
    v as libc::c_uint
}

pub fn negate(args: Args) {
    if args.len() != 4 {
        format();
    }
    let key = get_key_id(&args[1]);
    let timeout = parse_timeout(&args[2]);
    let dest = get_key_id(&args[3]);
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_negate(key, timeout, dest) },
        "keyctl_negate",
    );
}

pub fn reject(args: Args) {
    if args.len() != 5 {
        format();
    }
    let key = get_key_id(&args[1]);
    let timeout = parse_timeout(&args[2]);
    let rejerr = match args[3].as_slice() {
        b"rejected" => libc::EKEYREJECTED as libc::c_uint,
        b"revoked" => libc::EKEYREVOKED as libc::c_uint,
        b"expired" => libc::EKEYEXPIRED as libc::c_uint,
        other => {
            let v = util::ulong_arg(other, 10, "error");
            v as libc::c_uint
        }
    };
    let dest = get_key_id(&args[4]);
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_reject(key, timeout, rejerr, dest) },
        "keyctl_negate",
    );
}

pub fn timeout(args: Args) {
    let (key, timeout) = key_and_number(&args, 10, "timeout");
    // SAFETY: plain syscall wrapper.
    check(
        unsafe { ffi::keyctl_set_timeout(key, timeout as libc::c_uint) },
        "keyctl_set_timeout",
    );
}

pub fn security(args: Args) {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    let mut buffer = match util::security_alloc(key) {
        Ok(b) => b,
        Err(e) => io::error_bytes(b"keyctl_getsecurity", e),
    };
    buffer.push(b'\n');
    out(&buffer);
}

pub fn get_persistent(args: Args) {
    if args.len() != 2 && args.len() != 3 {
        format();
    }
    let dest = get_key_id(&args[1]);
    let mut uid: libc::uid_t = libc::uid_t::MAX;
    if let Some(a) = args.get(2) {
        let (v, ok) = strtol(a, 0);
        if !ok {
            util::unparsable("uid", a);
        }
        uid = v as libc::uid_t;
    }
    // SAFETY: plain syscall wrapper.
    let ret = unsafe { ffi::keyctl_get_persistent(uid, dest) };
    check(ret, "keyctl_get_persistent");
    outf!("{}\n", ret);
}

// ---- reap / purge: callbacks for the library's session keyring walker ----

static VERBOSE: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn reap_func(
    parent: KeySerial,
    key: KeySerial,
    _desc: *mut c_char,
    desc_len: c_int,
    _data: *mut c_void,
) -> c_int {
    // Only keys that are dead (not merely hidden from us) are reaped.
    if desc_len >= 0 || errno() == libc::EACCES {
        return 0;
    }
    let verbose = VERBOSE.load(Ordering::Relaxed);
    if verbose {
        outf!("Reap {}", key);
    }
    // SAFETY: plain syscall wrapper.
    if unsafe { ffi::keyctl_unlink(key, parent) } < 0 {
        if verbose {
            outf!("... failed {}\n", io::strerror(errno()));
        }
        0
    } else {
        if verbose {
            out(b"\n");
        }
        1
    }
}

pub fn reap(mut args: Args) {
    if take_flag(&mut args, b"-v") {
        VERBOSE.store(true, Ordering::Relaxed);
    }
    if args.len() != 1 {
        format();
    }
    // SAFETY: the callback ignores its data pointer.
    let n = unsafe { ffi::recursive_session_key_scan(reap_func, ptr::null_mut()) };
    outf!("{} keys reaped\n", n);
}

struct PurgeData {
    type_: Vec<u8>,
    desc: Vec<u8>,
    prefix_match: bool,
    case_indep: bool,
}

/// The raw description handed to a scanner callback, if any.
///
/// # Safety
/// `raw` must be NULL or point to `len` readable bytes.
unsafe fn raw_desc<'a>(raw: *mut c_char, len: c_int) -> Option<&'a [u8]> {
    if raw.is_null() || len < 0 {
        return None;
    }
    // SAFETY: caller guarantees `len` bytes at `raw`.
    Some(unsafe { std::slice::from_raw_parts(raw as *const u8, len as usize) })
}

/// The key's description string as C would see it (up to the first NUL).
fn c_str_prefix(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

/// What both type purges need of a scanned key: the purge's settings, and
/// the description the library fetched split at its first `;` (the type,
/// then the rest).  None for a key to leave alone: the top keyring itself
/// (no parent), one without a description, or one of another type.
///
/// # Safety
/// `data` must be the PurgeData passed to the scan, and `raw` NULL or
/// `raw_len` readable bytes, as the library passes them.
unsafe fn purge_candidate<'a>(
    parent: KeySerial,
    raw: *mut c_char,
    raw_len: c_int,
    data: *mut c_void,
) -> Option<(&'a PurgeData, &'a [u8], &'a [u8])> {
    // SAFETY: the caller passes the scan's PurgeData.
    let purge = unsafe { &*(data as *const PurgeData) };
    // SAFETY: the caller passes the library's description and its length.
    let raw = unsafe { raw_desc(raw, raw_len) }?;
    if parent == 0 {
        return None;
    }
    let semi = raw.iter().position(|&b| b == b';')?;
    let type_ = &raw[..semi];
    if c_str_prefix(type_) != purge.type_.as_slice() {
        return None;
    }
    Some((purge, type_, &raw[semi + 1..]))
}

/// Unlinks `key` from `parent`: 1 (a key purged) on success, else 0.
fn unlink_counted(key: KeySerial, parent: KeySerial) -> c_int {
    // SAFETY: plain syscall wrapper.
    c_int::from(unsafe { ffi::keyctl_unlink(key, parent) } >= 0)
}

unsafe extern "C" fn purge_type_func(
    parent: KeySerial,
    key: KeySerial,
    raw: *mut c_char,
    raw_len: c_int,
    data: *mut c_void,
) -> c_int {
    // SAFETY: called by recursive_*_scan with the PurgeData and its description.
    match unsafe { purge_candidate(parent, raw, raw_len, data) } {
        Some(_) => unlink_counted(key, parent),
        None => 0,
    }
}

unsafe extern "C" fn purge_type_desc_func(
    parent: KeySerial,
    key: KeySerial,
    raw: *mut c_char,
    raw_len: c_int,
    data: *mut c_void,
) -> c_int {
    // SAFETY: called by recursive_*_scan with the PurgeData and its description.
    let Some((purge, type_, after)) = (unsafe { purge_candidate(parent, raw, raw_len, data) })
    else {
        return 0;
    };
    let Some(last) = after.iter().rposition(|&b| b == b';') else {
        return 0;
    };
    // The description's length comes from the length the library reported,
    // as in the original; it is printed as a C string.
    let desc = &after[last + 1..];
    let want = &purge.desc;
    if purge.prefix_match {
        if desc.len() < want.len() {
            return 0;
        }
    } else if desc.len() != want.len() {
        return 0;
    }
    let cmp = &desc[..want.len()];
    let same = if purge.case_indep {
        cmp.eq_ignore_ascii_case(want)
    } else {
        cmp == want.as_slice()
    };
    if !same {
        return 0;
    }
    let mut line = type_.to_vec();
    line.extend_from_slice(b" '");
    line.extend_from_slice(c_str_prefix(desc));
    line.extend_from_slice(b"'\n");
    out(&line);
    unlink_counted(key, parent)
}

unsafe extern "C" fn purge_search_func(
    _parent: KeySerial,
    keyring: KeySerial,
    raw: *mut c_char,
    raw_len: c_int,
    data: *mut c_void,
) -> c_int {
    // SAFETY: `data` is the PurgeData passed to the scan.
    let purge = unsafe { &*(data as *const PurgeData) };
    // SAFETY: as above.
    let Some(raw) = (unsafe { raw_desc(raw, raw_len) }) else {
        return 0;
    };
    if !raw.starts_with(b"keyring;") {
        return 0;
    }
    let t = cstring(&purge.type_);
    let d = cstring(&purge.desc);
    let mut kcount = 0;
    loop {
        // SAFETY: NUL-terminated strings.
        let key = unsafe { ffi::keyctl_search(keyring, t.as_ptr(), d.as_ptr(), 0) };
        // A failed search yields -1, which the original passes on to unlink
        // as is; that unlink fails and ends the loop.
        // SAFETY: plain syscall wrapper.
        if unsafe { ffi::keyctl_unlink(key as KeySerial, keyring) } < 0 {
            return kcount;
        }
        kcount += 1;
    }
}

pub fn purge(args: Args) {
    let mut rest = &args[1..];
    let mut search_mode = false;
    let mut purge = PurgeData {
        type_: Vec::new(),
        desc: Vec::new(),
        prefix_match: false,
        case_indep: false,
    };
    while let Some(a) = rest.first() {
        if a.first() != Some(&b'-') {
            break;
        }
        match a.get(1) {
            Some(b's') => search_mode = true,
            Some(b'p') => purge.prefix_match = true,
            Some(b'i') => purge.case_indep = true,
            _ => format(),
        }
        rest = &rest[1..];
    }
    if rest.is_empty() {
        format();
    }
    purge.type_ = c_str_prefix(&rest[0]).to_vec();
    let func: ffi::RecursiveKeyScanner = if search_mode {
        if rest.len() != 2 {
            format();
        }
        purge.desc = rest[1].clone();
        purge_search_func
    } else if rest.len() == 1 {
        purge_type_func
    } else if rest.len() == 2 {
        purge.desc = rest[1].clone();
        purge_type_desc_func
    } else {
        format()
    };
    // SAFETY: `purge` outlives the scan; callbacks only read it.
    let n = unsafe { ffi::recursive_session_key_scan(func, (&mut purge as *mut PurgeData).cast()) };
    outf!("purged {} keys\n", n);
}

// ---- show: the keyring tree ----

struct Dumper {
    hex: bool,
    indent: Vec<u8>,
}

impl Dumper {
    fn dump(&mut self, key: KeySerial, depth: usize, more: bool) {
        if depth > 32 {
            return;
        }
        let desc = match util::describe_alloc(key) {
            Ok(d) => d,
            Err(e) => {
                outf!("{}: key inaccessible ({})\n", key, io::strerror(e));
                return;
            }
        };
        let d = parsed_desc(key, &desc);
        let perms = util::calc_perms(d.perm, d.uid, d.gid);
        let mut line = if self.hex {
            format!("0x{:08x} {}  {:5} {:5}  ", key as u32, perms, d.uid, d.gid)
        } else {
            format!("{:10} {}  {:5} {:5}  ", key, perms, d.uid, d.gid)
        }
        .into_bytes();
        line.extend_from_slice(&self.indent[..depth.min(self.indent.len())]);
        if depth > 0 {
            line.extend_from_slice(b"\\_ ");
        }
        line.extend_from_slice(d.type_);
        line.extend_from_slice(b": ");
        line.extend_from_slice(d.desc);
        line.push(b'\n');
        out(&line);

        if d.type_ != b"keyring" {
            return;
        }
        let ring = match util::read_alloc(key) {
            Ok(r) => r,
            Err(e) => io::error_bytes(b"keyctl_read_alloc", e),
        };
        let keys = util::serials(&ring);
        for (i, &child) in keys.iter().enumerate() {
            // The indent of the children: one column for the top level, then
            // four per level, with a bar where this keyring has later siblings.
            let rdepth = if depth == 0 {
                self.indent.resize(1, b' ');
                self.indent[0] = b' ';
                1
            } else {
                self.indent.truncate(depth);
                self.indent.extend_from_slice(b"    ");
                depth + 4
            };
            if more {
                self.indent[depth] = b'|';
            }
            self.dump(child, rdepth, i + 1 < keys.len());
        }
    }
}

pub fn show(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() > 2 {
        format();
    }
    let (keyring, name) = if args.len() == 2 {
        (get_key_id(&args[1]), "Keyring")
    } else {
        (ffi::KEY_SPEC_SESSION_KEYRING, "Session Keyring")
    };
    outf!("{}\n", name);
    // SAFETY: plain syscall wrapper.
    let id = unsafe { ffi::keyctl_get_keyring_ID(keyring, 0) };
    if id == -1 {
        error("Unable to dump key");
    }
    let mut dumper = Dumper {
        hex,
        indent: Vec::new(),
    };
    dumper.dump(id, 0, false);
}

// ---- Diffie-Hellman ----

pub fn dh_compute(args: Args) {
    if args.len() != 4 {
        format();
    }
    let private = get_key_id(&args[1]);
    let prime = get_key_id(&args[2]);
    let base = get_key_id(&args[3]);
    let buffer = match util::dh_compute_alloc(private, prime, base) {
        Ok(b) => b,
        Err(e) => io::error_bytes(b"keyctl_dh_compute_alloc", e),
    };
    outf!("{} bytes of data in result:\n", buffer.len());
    util::hexdump(&buffer);
}

fn dh_kdf(args: &Args, hex: bool, with_oi: bool) {
    let private = get_key_id(&args[1]);
    let prime = get_key_id(&args[2]);
    let base = get_key_id(&args[3]);
    let (buflen, _) = strtoul(&args[4], 10);
    if buflen == libc::c_ulong::MAX {
        error("dh_compute: cannot convert generated length value");
    }
    let mut oi = if with_oi {
        unhex(hex, util::grab_stdin())
    } else {
        Vec::new()
    };
    // malloc, like the original: a huge length is refused here rather than
    // by the kernel, and the memory is not touched until the kernel fills it.
    // SAFETY: plain allocation; freed below.
    let buffer = unsafe { libc::malloc(buflen as usize) } as *mut c_char;
    if buffer.is_null() {
        error("dh_compute: cannot allocate memory");
    }
    let mut hash = cstring(&args[5]).into_bytes_with_nul();
    let (oip, oilen) = if with_oi {
        (oi.as_mut_ptr() as *mut c_char, oi.len())
    } else {
        (ptr::null_mut(), 0)
    };
    // SAFETY: `buffer` has `buflen` bytes; the other buffers cover the
    // lengths passed; hash is NUL-terminated.
    let ret = unsafe {
        ffi::keyctl_dh_compute_kdf(
            private,
            prime,
            base,
            hash.as_mut_ptr() as *mut c_char,
            oip,
            oilen,
            buffer,
            buflen as usize,
        )
    };
    check(ret, "keyctl_dh_compute_kdf");
    let len = (ret as usize).min(buflen as usize);
    // SAFETY: the kernel wrote `ret` bytes (at most `buflen`) into `buffer`.
    let result = unsafe { std::slice::from_raw_parts(buffer as *const u8, len) }.to_vec();
    // SAFETY: allocated above with malloc.
    unsafe { libc::free(buffer.cast()) };
    outf!("{} bytes of data in result:\n", ret as u32);
    util::hexdump(&result);
}

pub fn dh_compute_kdf(args: Args) {
    if args.len() != 6 {
        format();
    }
    dh_kdf(&args, false, false);
}

pub fn dh_compute_kdf_oi(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 6 {
        format();
    }
    dh_kdf(&args, hex, true);
}

// ---- public key operations ----

/// Join the trailing "k=v" options into the info string the kernel takes.
fn pkey_parse_info(opts: &[Vec<u8>]) -> std::ffi::CString {
    let mut info: Vec<u8> = Vec::new();
    for o in opts {
        if !o.contains(&b'=') {
            io::err(b"Option not in key=val form\n");
            io::exit(2);
        }
        if o.len() + 1 > 4096 - 1 - info.len() {
            io::err(b"Too many info options\n");
            io::exit(2);
        }
        if !info.is_empty() {
            info.push(b' ');
        }
        info.extend_from_slice(o);
    }
    cstring(&info)
}

fn pkey_key_and_pass(args: &Args) -> KeySerial {
    let key = get_key_id(&args[1]);
    if args[2] != b"0" {
        io::err(b"Password passing is not yet supported\n");
        io::exit(2);
    }
    key
}

fn pkey_query_raw(key: KeySerial, info: &std::ffi::CString) -> ffi::KeyctlPkeyQuery {
    let mut result = ffi::KeyctlPkeyQuery::default();
    // SAFETY: `info` is NUL-terminated; `result` is a writable struct.
    if unsafe { ffi::keyctl_pkey_query(key, info.as_ptr(), &mut result) } < 0 {
        error("keyctl_pkey_query");
    }
    result
}

pub fn pkey_query(args: Args) {
    if args.len() < 3 {
        format();
    }
    let info = pkey_parse_info(&args[3..]);
    let key = pkey_key_and_pass(&args);
    let r = pkey_query_raw(key, &info);
    let yn = |bit| if r.supported_ops & bit != 0 { 'y' } else { 'n' };
    outf!("key_size={}\n", r.key_size);
    outf!("max_data_size={}\n", r.max_data_size);
    outf!("max_sig_size={}\n", r.max_sig_size);
    outf!("max_enc_size={}\n", r.max_enc_size);
    outf!("max_dec_size={}\n", r.max_dec_size);
    outf!("encrypt={}\n", yn(ffi::KEYCTL_SUPPORTS_ENCRYPT));
    outf!("decrypt={}\n", yn(ffi::KEYCTL_SUPPORTS_DECRYPT));
    outf!("sign={}\n", yn(ffi::KEYCTL_SUPPORTS_SIGN));
    outf!("verify={}\n", yn(ffi::KEYCTL_SUPPORTS_VERIFY));
}

type PkeyOp = unsafe extern "C" fn(
    KeySerial,
    *const c_char,
    *const c_void,
    libc::size_t,
    *mut c_void,
    libc::size_t,
) -> libc::c_long;

fn pkey_transform(args: Args, op: PkeyOp, what: &str, size: fn(&ffi::KeyctlPkeyQuery) -> u16) {
    if args.len() < 4 {
        format();
    }
    let info = pkey_parse_info(&args[4..]);
    let key = pkey_key_and_pass(&args);
    let input = util::read_file(&args[3]);
    let q = pkey_query_raw(key, &info);
    let mut output = vec![0u8; size(&q) as usize];
    // SAFETY: input and output cover their lengths; info is NUL-terminated.
    let n = unsafe {
        op(
            key,
            info.as_ptr(),
            input.as_ptr().cast(),
            input.len(),
            output.as_mut_ptr().cast(),
            output.len(),
        )
    };
    check(n, what);
    out(&output[..(n as usize).min(output.len())]);
}

pub fn pkey_encrypt(args: Args) {
    pkey_transform(args, ffi::keyctl_pkey_encrypt, "keyctl_pkey_encrypt", |q| {
        q.max_enc_size
    });
}

pub fn pkey_decrypt(args: Args) {
    pkey_transform(args, ffi::keyctl_pkey_decrypt, "keyctl_pkey_decrypt", |q| {
        q.max_dec_size
    });
}

pub fn pkey_sign(args: Args) {
    pkey_transform(args, ffi::keyctl_pkey_sign, "keyctl_pkey_sign", |q| {
        q.max_sig_size
    });
}

pub fn pkey_verify(args: Args) {
    if args.len() < 5 {
        format();
    }
    let info = pkey_parse_info(&args[5..]);
    let key = pkey_key_and_pass(&args);
    let data = util::read_file(&args[3]);
    let sig = util::read_file(&args[4]);
    // SAFETY: buffers cover their lengths; info is NUL-terminated.
    let r = unsafe {
        ffi::keyctl_pkey_verify(
            key,
            info.as_ptr(),
            data.as_ptr().cast(),
            data.len(),
            sig.as_ptr().cast(),
            sig.len(),
        )
    };
    check(r, "keyctl_pkey_verify");
}

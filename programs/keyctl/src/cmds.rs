//! The keyctl commands, one function per command, in the order of the
//! usage table.  Each receives the argument vector starting at its own name.

use crate::io::{self, errno, error, out};
use crate::util::{self, cstring, cut, errno_of, hex_decode, or_die, strtol, strtoul};
use crate::{errf, format, get_key_id, outf, Args};
use keyutils_api::{self as api, KeySerial, Permission, PkeyQuery, SpecialKeyring};
use libc::c_char;
use std::ptr;

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

pub fn version(_args: Args) {
    let (v, b) = (api::version_string(), api::build_string());
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
    let got = or_die(api::capabilities(), "keyctl_capabilities");
    let len = got.len().min(caps.len());
    caps[..len].copy_from_slice(&got[..len]);

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
    let key = or_die(api::get_keyring_id(key, false), "keyctl_get_keyring_ID");
    outf!("{}\n", key);
}

fn add_key_print(type_: &[u8], desc: &[u8], data: &[u8], dest: KeySerial) {
    let ret = or_die(api::add_key(cut(type_), cut(desc), data, dest), "add_key");
    outf!("{}\n", ret);
}

pub fn add(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 5 {
        format();
    }
    let data = unhex(hex, args[3].clone());
    let dest = get_key_id(&args[4]);
    add_key_print(&args[1], &args[2], &data, dest);
}

pub fn padd(mut args: Args) {
    let hex = take_flag(&mut args, b"-x");
    if args.len() != 4 {
        format();
    }
    let data = unhex(hex, util::grab_stdin());
    let dest = get_key_id(&args[3]);
    add_key_print(&args[1], &args[2], &data, dest);
}

fn do_request(type_: &[u8], desc: &[u8], info: Option<&[u8]>, dest: Option<&[u8]>) {
    let dest = dest.map(get_key_id).unwrap_or(KeySerial::NONE);
    let ret = or_die(
        api::request_key(cut(type_), cut(desc), info.map(cut), dest),
        "request_key",
    );
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
    or_die(api::update(key, data), "keyctl_update");
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
    add_key_print(b"keyring", &args[1], b"", dest);
}

fn one_key_op(args: &Args, op: fn(KeySerial) -> api::Result<()>, what: &str) {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    or_die(op(key), what);
}

pub fn revoke(args: Args) {
    one_key_op(&args, api::revoke, "keyctl_revoke");
}

pub fn clear(args: Args) {
    one_key_op(&args, api::clear, "keyctl_clear");
}

pub fn invalidate(args: Args) {
    one_key_op(&args, api::invalidate, "keyctl_invalidate");
}

pub fn link(args: Args) {
    if args.len() != 3 {
        format();
    }
    let key = get_key_id(&args[1]);
    let keyring = get_key_id(&args[2]);
    or_die(api::link(key, keyring), "keyctl_link");
}

pub fn unlink(args: Args) {
    if args.len() != 2 && args.len() != 3 {
        format();
    }
    let link = get_key_id(&args[1]);
    if args.len() == 3 {
        let keyring = get_key_id(&args[2]);
        or_die(api::unlink(link, keyring), "keyctl_unlink");
    } else {
        let n = api::recursive_session_key_scan(|parent, key, _| {
            i32::from(key == link && api::unlink(key, parent).is_ok())
        });
        outf!("{} links removed\n", n);
    }
}

pub fn move_(mut args: Args) {
    let mut exclusive = true;
    if args.len() > 4 && args[1] == b"-f" {
        exclusive = false;
        args.remove(1);
    }
    if args.len() != 4 {
        format();
    }
    let key = get_key_id(&args[1]);
    let from = get_key_id(&args[2]);
    let to = get_key_id(&args[3]);
    or_die(api::move_key(key, from, to, exclusive), "keyctl_move");
}

pub fn search(args: Args) {
    if args.len() != 4 && args.len() != 5 {
        format();
    }
    let keyring = get_key_id(&args[1]);
    let dest = if args.len() == 5 {
        get_key_id(&args[4])
    } else {
        KeySerial::NONE
    };
    let ret = or_die(
        api::search(keyring, cut(&args[2]), cut(&args[3]), dest),
        "keyctl_search",
    );
    outf!("{}\n", ret);
}

pub fn restrict_keyring(args: Args) {
    if args.len() < 2 || args.len() > 4 {
        format();
    }
    let keyring = get_key_id(&args[1]);
    let t = args.get(2).map(|v| cut(v));
    let r = args.get(3).map(|v| cut(v));
    or_die(
        api::restrict_keyring(keyring, t, r),
        "keyctl_restrict_keyring",
    );
}

fn read_payload(args: &Args) -> Vec<u8> {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    or_die(api::read(key), "keyctl_read_alloc")
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
        let buffer = match api::describe_raw(key) {
            Ok(b) => b,
            Err(e) => {
                outf!(
                    "{:9}: key inaccessible ({})\n",
                    key,
                    io::strerror(errno_of(&e))
                );
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
    let buffer = or_die(api::describe_raw(key), "keyctl_describe_alloc");
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
    let mut buffer = or_die(api::describe_raw(key), "keyctl_describe");
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
    or_die(api::chown(key, Some(uid as u32), None), "keyctl_chown");
}

pub fn chgrp(args: Args) {
    let (key, gid) = key_and_number(&args, 0, "gid");
    or_die(api::chown(key, None, Some(gid as u32)), "keyctl_chown");
}

pub fn setperm(args: Args) {
    let (key, perm) = key_and_number(&args, 0, "permissions");
    or_die(api::setperm(key, Permission(perm as u32)), "keyctl_setperm");
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
    or_die(api::session_to_parent(), "keyctl_session_to_parent");
    outf!("{}\n", keyring);
}

fn do_instantiate(key: KeySerial, data: &[u8], dest: KeySerial) {
    or_die(api::instantiate(key, data, dest), "keyctl_instantiate");
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
    or_die(api::negate(key, timeout, dest), "keyctl_negate");
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
    // The original's message names negate here too.
    or_die(
        api::reject(key, timeout, rejerr as i32, dest),
        "keyctl_negate",
    );
}

pub fn timeout(args: Args) {
    let (key, timeout) = key_and_number(&args, 10, "timeout");
    or_die(
        api::set_timeout(key, timeout as libc::c_uint),
        "keyctl_set_timeout",
    );
}

pub fn security(args: Args) {
    if args.len() != 2 {
        format();
    }
    let key = get_key_id(&args[1]);
    let mut buffer = or_die(api::get_security(key), "keyctl_getsecurity");
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
    let ret = or_die(
        api::get_persistent(Some(uid), dest),
        "keyctl_get_persistent",
    );
    outf!("{}\n", ret);
}

// ---- reap / purge: callbacks for the library's session keyring walker ----

pub fn reap(mut args: Args) {
    let verbose = take_flag(&mut args, b"-v");
    if args.len() != 1 {
        format();
    }
    let n = api::recursive_session_key_scan_full(|parent, key, desc| {
        // Only keys that are dead (not merely hidden from us) are reaped.
        match desc {
            Ok(_) => return 0,
            Err(e) if e.raw_os_error() == Some(libc::EACCES) => return 0,
            Err(_) => {}
        }
        if verbose {
            outf!("Reap {}", key);
        }
        match api::unlink(key, parent) {
            Err(e) => {
                if verbose {
                    outf!("... failed {}\n", io::strerror(errno_of(&e)));
                }
                0
            }
            Ok(()) => {
                if verbose {
                    out(b"\n");
                }
                1
            }
        }
    });
    outf!("{} keys reaped\n", n);
}

struct PurgeData {
    type_: Vec<u8>,
    desc: Vec<u8>,
    prefix_match: bool,
    case_indep: bool,
}

/// The key's description string as C would see it (up to the first NUL).
fn c_str_prefix(b: &[u8]) -> &[u8] {
    cut(b)
}

/// What both type purges need of a scanned key: the description the library
/// fetched split at its first `;` (the type, then the rest).  None for a key
/// to leave alone: the top keyring itself (no parent), one without a
/// description (the scan gives those an empty one), or one of another type.
fn purge_candidate<'a>(
    purge: &PurgeData,
    parent: KeySerial,
    raw: &'a [u8],
) -> Option<(&'a [u8], &'a [u8])> {
    if parent == KeySerial::NONE {
        return None;
    }
    let semi = raw.iter().position(|&b| b == b';')?;
    let type_ = &raw[..semi];
    if c_str_prefix(type_) != purge.type_.as_slice() {
        return None;
    }
    Some((type_, &raw[semi + 1..]))
}

/// Unlinks `key` from `parent`: 1 (a key purged) on success, else 0.
fn unlink_counted(key: KeySerial, parent: KeySerial) -> i32 {
    i32::from(api::unlink(key, parent).is_ok())
}

fn purge_type_func(purge: &PurgeData, parent: KeySerial, key: KeySerial, raw: &[u8]) -> i32 {
    match purge_candidate(purge, parent, raw) {
        Some(_) => unlink_counted(key, parent),
        None => 0,
    }
}

fn purge_type_desc_func(purge: &PurgeData, parent: KeySerial, key: KeySerial, raw: &[u8]) -> i32 {
    let Some((type_, after)) = purge_candidate(purge, parent, raw) else {
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

fn purge_search_func(purge: &PurgeData, _parent: KeySerial, keyring: KeySerial, raw: &[u8]) -> i32 {
    if !raw.starts_with(b"keyring;") {
        return 0;
    }
    let mut kcount = 0;
    loop {
        // A failed search yields -1, which the original passes on to unlink
        // as is; that unlink fails and ends the loop.
        let key = api::search(
            keyring,
            cut(&purge.type_),
            cut(&purge.desc),
            KeySerial::NONE,
        )
        .unwrap_or(KeySerial(-1));
        if api::unlink(key, keyring).is_err() {
            return kcount;
        }
        kcount += 1;
    }
}

type PurgeFunc = fn(&PurgeData, KeySerial, KeySerial, &[u8]) -> i32;

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
    let func: PurgeFunc = if search_mode {
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
    let n = api::recursive_session_key_scan(|parent, key, raw| func(&purge, parent, key, raw));
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
        let desc = match api::describe_raw(key) {
            Ok(d) => d,
            Err(e) => {
                outf!(
                    "{}: key inaccessible ({})\n",
                    key,
                    io::strerror(errno_of(&e))
                );
                return;
            }
        };
        let d = parsed_desc(key, &desc);
        let perms = util::calc_perms(d.perm, d.uid, d.gid);
        let mut line = if self.hex {
            format!(
                "0x{:08x} {}  {:5} {:5}  ",
                key.raw() as u32,
                perms,
                d.uid,
                d.gid
            )
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
        let ring = or_die(api::read(key), "keyctl_read_alloc");
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
        (SpecialKeyring::Session.serial(), "Session Keyring")
    };
    outf!("{}\n", name);
    let id = or_die(api::get_keyring_id(keyring, false), "Unable to dump key");
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
    let buffer = or_die(
        api::dh_compute(private, prime, base),
        "keyctl_dh_compute_alloc",
    );
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
    let oi = if with_oi {
        unhex(hex, util::grab_stdin())
    } else {
        Vec::new()
    };
    // From the C allocator, like the original's malloc: a huge length is
    // refused here rather than by the kernel, and calloc's fresh pages are not
    // touched until the kernel fills them.
    // SAFETY: plain allocation; freed below.
    let buffer = unsafe { libc::calloc(buflen as usize, 1) } as *mut u8;
    if buffer.is_null() {
        error("dh_compute: cannot allocate memory");
    }
    // SAFETY: `buffer` holds `buflen` zeroed bytes, used only through this
    // slice until it is freed below.
    let out_buf = unsafe { std::slice::from_raw_parts_mut(buffer, buflen as usize) };
    let got = api::dh_compute_kdf_into(
        private,
        prime,
        base,
        cut(&args[5]),
        if with_oi { Some(oi.as_slice()) } else { None },
        out_buf,
    );
    let ret = or_die(got, "keyctl_dh_compute_kdf");
    let result = out_buf[..ret].to_vec();
    // SAFETY: allocated above with calloc; `out_buf` is not used after this.
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
fn pkey_parse_info(opts: &[Vec<u8>]) -> Vec<u8> {
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
    cut(&info).to_vec()
}

fn pkey_key_and_pass(args: &Args) -> KeySerial {
    let key = get_key_id(&args[1]);
    if args[2] != b"0" {
        io::err(b"Password passing is not yet supported\n");
        io::exit(2);
    }
    key
}

fn pkey_query_raw(key: KeySerial, info: &[u8]) -> PkeyQuery {
    or_die(api::pkey_query(key, info), "keyctl_pkey_query")
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
    outf!("encrypt={}\n", yn(PkeyQuery::SUPPORTS_ENCRYPT));
    outf!("decrypt={}\n", yn(PkeyQuery::SUPPORTS_DECRYPT));
    outf!("sign={}\n", yn(PkeyQuery::SUPPORTS_SIGN));
    outf!("verify={}\n", yn(PkeyQuery::SUPPORTS_VERIFY));
}

/// One of keyutils-api's `pkey_*_into`: key, info, input, output buffer.
type PkeyOp = fn(KeySerial, &[u8], &[u8], &mut [u8]) -> api::Result<usize>;

fn pkey_transform(args: Args, op: PkeyOp, what: &str, size: fn(&PkeyQuery) -> u16) {
    if args.len() < 4 {
        format();
    }
    let info = pkey_parse_info(&args[4..]);
    let key = pkey_key_and_pass(&args);
    let input = util::read_file(&args[3]);
    let q = pkey_query_raw(key, &info);
    let mut output = vec![0u8; size(&q) as usize];
    let n = or_die(op(key, &info, &input, &mut output), what);
    out(&output[..n]);
}

pub fn pkey_encrypt(args: Args) {
    pkey_transform(
        args,
        |k, i, d, o| api::pkey_encrypt_into(k, i, d, o),
        "keyctl_pkey_encrypt",
        |q| q.max_enc_size,
    );
}

pub fn pkey_decrypt(args: Args) {
    pkey_transform(
        args,
        |k, i, d, o| api::pkey_decrypt_into(k, i, d, o),
        "keyctl_pkey_decrypt",
        |q| q.max_dec_size,
    );
}

pub fn pkey_sign(args: Args) {
    pkey_transform(
        args,
        |k, i, d, o| api::pkey_sign_into(k, i, d, o),
        "keyctl_pkey_sign",
        |q| q.max_sig_size,
    );
}

pub fn pkey_verify(args: Args) {
    if args.len() < 5 {
        format();
    }
    let info = pkey_parse_info(&args[5..]);
    let key = pkey_key_and_pass(&args);
    let data = util::read_file(&args[3]);
    let sig = util::read_file(&args[4]);
    or_die(
        api::pkey_verify(key, &info, &data, &sig),
        "keyctl_pkey_verify",
    );
}

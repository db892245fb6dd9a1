//! `keyctl --test ...`: the kernel limit checks shipped with keyutils 1.6.3.
//! Keys are created in the thread keyring and unlinked at once.

use crate::io::{self, out};
use crate::util::{cut, errno_of};
use crate::{cmd, do_command, format, outf, Args, Command};
use keyutils_api::{self as api, KeySerial, SpecialKeyring};

static TEST_COMMANDS: &[Command] = &[cmd(limits, "limits", ""), cmd(limits2, "limits2", "")];

pub fn test(args: Args) {
    do_command(args[1..].to_vec(), TEST_COMMANDS, "test ", "--test ");
}

const THREAD: KeySerial = SpecialKeyring::Thread.serial();

/// add_key() into the thread keyring: the key, or the errno.
fn add_key_raw(type_: &[u8], desc: &[u8], payload: &[u8]) -> Result<KeySerial, i32> {
    api::add_key(cut(type_), cut(desc), payload, THREAD).map_err(|e| errno_of(&e))
}

fn fail(nr_fail: &mut i32, msg: String) {
    out(b"\n");
    *nr_fail += 1;
    io::err(msg.as_bytes());
}

fn unlink_or_fail(key: KeySerial, nr_fail: &mut i32) {
    if let Err(e) = api::unlink(key, THREAD) {
        let m = format!("Unlink failed: {}\n", io::strerror(errno_of(&e)));
        fail(nr_fail, m);
    }
}

/// Judge an add_key() result `r` for size `i`: a size that should work must
/// succeed (or fail with `tolerated`), any other must fail with EINVAL; keys
/// made are unlinked again.
fn check_desc(
    r: Result<KeySerial, i32>,
    i: usize,
    ok: bool,
    tolerated: Option<libc::c_int>,
    nr_fail: &mut i32,
) {
    match r {
        Err(e) => {
            if ok {
                if Some(e) != tolerated {
                    fail(
                        nr_fail,
                        format!("{} desc wrong error: {}\n", i, io::strerror(e)),
                    );
                }
            } else if e != libc::EINVAL {
                fail(nr_fail, format!("{} desc failed: {}\n", i, io::strerror(e)));
            }
        }
        Ok(key) => {
            if !ok {
                fail(nr_fail, format!("{} desc unexpectedly succeeded\n", i));
            }
            unlink_or_fail(key, nr_fail);
        }
    }
}

fn abort_if_too_many(nr_fail: i32) {
    if nr_fail > 20 {
        io::err(b"Aborting with too many failures\n");
        io::exit(1);
    }
}

/// Key type names must be 1..31 bytes, descriptions 1..4095 bytes.
fn limits(args: Args) {
    if args.len() != 1 {
        format();
    }
    io::set_unbuffered();
    let mut buf = vec![b'a'; 8192];
    let mut nr_fail = 0;
    for i in 0..8192usize {
        if i % 32 == 0 {
            if i != 0 {
                out(b"\n");
            }
            outf!("TEST SIZE {}", i);
        }
        out(b".");
        buf[i] = 0;
        let name = &buf[..i];

        let r = add_key_raw(name, b"wibble", b"a");
        let type_ok = i > 0 && i <= 31;
        match r {
            Err(e) => {
                let want = if type_ok { libc::ENODEV } else { libc::EINVAL };
                if e != want {
                    let m = format!("{} type failed: {}\n", i, io::strerror(e));
                    fail(&mut nr_fail, m);
                }
            }
            Ok(_) => fail(&mut nr_fail, format!("{} type unexpectedly succeeded\n", i)),
        }
        out(b"_");

        let r = add_key_raw(b"user", name, b"a");
        check_desc(r, i, i > 0 && i <= 4095, None, &mut nr_fail);
        buf[i] = b'a';
        abort_if_too_many(nr_fail);
    }
    out(b"\n");
    io::exit(if nr_fail != 0 { 1 } else { 0 })
}

/// User key payloads must be 1..32767 bytes (EDQUOT is tolerated).
fn limits2(args: Args) {
    if args.len() != 1 {
        format();
    }
    io::set_unbuffered();
    const MAX: usize = 0x101800;
    let buf = vec![b'a'; MAX];
    let mut nr_fail = 0;
    for i in 0..MAX {
        if i % 2048 == 0 {
            if i != 0 {
                out(b"\n");
            }
            outf!("TEST SIZE {:7} ", i);
        }
        if i % 64 == 0 {
            out(b".");
        }
        let r = add_key_raw(b"user", b"a", &buf[..i]);
        check_desc(r, i, i > 0 && i <= 0x7fff, Some(libc::EDQUOT), &mut nr_fail);
        abort_if_too_many(nr_fail);
    }
    out(b"\n");
    io::exit(if nr_fail != 0 { 1 } else { 0 })
}

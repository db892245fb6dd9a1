//! The crate against the real kernel keyring and the `libkeyutils.so.1` the loader picks.
//!
//! One process (harness = false): it first joins a fresh anonymous session keyring, which only
//! this process holds, and makes every key in it or in keyrings linked from it, so nothing is
//! left behind when it exits; @u and @us are never written. Then it proves which library it
//! mapped: the one in `$KEYUTILS_LIBDIR` when that is set (the build script also makes it the
//! RUNPATH of this binary). Each check prints a line in libtest's format
//! (`test kernel::NAME ... ok` / `... FAILED`); the exit status is 1 if any failed.
//!
//! As root, `upcalls` has the kernel construct keys through /sbin/request-key with this very
//! binary as the handler (`--request-key-handler`), which instantiates, negates or rejects them
//! with the crate. That takes the machine's upcall lock (see `upcalls`).

use std::io::ErrorKind;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

use keyutils_api::{self as k, KeySerial, Permission, SpecialKeyring};

type Check = std::result::Result<(), String>;
type CheckFn = Box<dyn Fn() -> Check>;

const SESSION: KeySerial = SpecialKeyring::Session.serial();

/// `Err` with the place and the message unless `cond`.
macro_rules! ensure {
    ($cond:expr, $($msg:tt)*) => {
        if !$cond {
            return Err(format!("{}:{}: {}", file!(), line!(), format!($($msg)*)));
        }
    };
}

/// `$e` or an `Err` naming the call that failed.
macro_rules! t {
    ($e:expr) => {
        $e.map_err(|e| format!("{}:{}: {}: {e}", file!(), line!(), stringify!($e)))?
    };
}

/// The call must fail with `errno`.
macro_rules! fails_with {
    ($e:expr, $errno:expr) => {
        match $e {
            Ok(v) => {
                return Err(format!(
                    "{}:{}: {} succeeded ({v:?}), expected errno {}",
                    file!(),
                    line!(),
                    stringify!($e),
                    $errno
                ))
            }
            Err(err) => ensure!(
                err.raw_os_error() == Some($errno),
                "{} failed with {err:?}, expected errno {}",
                stringify!($e),
                $errno
            ),
        }
    };
}

/// A keyring of its own for one check, linked into the session keyring.
fn ring(name: &str) -> std::result::Result<KeySerial, String> {
    Ok(t!(k::add_key("keyring", name, b"", SESSION)))
}

fn version() -> Check {
    let v = k::version_string().to_bytes();
    ensure!(
        v == b"keyutils-1.6.3",
        "version_string {:?}",
        String::from_utf8_lossy(v)
    );
    let b = k::build_string().to_bytes();
    ensure!(
        !b.is_empty() && b.is_ascii(),
        "build_string {:?}",
        String::from_utf8_lossy(b)
    );
    Ok(())
}

fn session_is_fresh(joined: KeySerial) -> Check {
    ensure!(joined.raw() > 0, "joined {joined}");
    ensure!(
        t!(k::get_keyring_id(SESSION, false)) == joined,
        "@s is not the joined keyring"
    );
    ensure!(
        t!(k::read(joined)).is_empty(),
        "the fresh session keyring is not empty"
    );
    let d = t!(k::describe(joined));
    ensure!(
        d.key_type == b"keyring" && d.description == b"_ses",
        "{d:?}"
    );
    Ok(())
}

fn add_read_update() -> Check {
    let r = ring("add_read_update")?;
    let key = t!(k::add_key("user", "k1", b"first", r));
    ensure!(t!(k::read(key)) == b"first", "read after add");
    // Growing and shrinking, across the library's first-guess buffer sizes. KEYCTL_UPDATE takes
    // up to a page; add_key of an existing type and description updates the key in place, with
    // payloads up to the user type's 32767 bytes.
    for len in [1usize, 4095, 4096, 4097, 10_000, 3, 32_767, 2, 8192, 1] {
        let payload: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
        if len <= 4096 {
            k::update(key, &payload).map_err(|e| format!("update to {len} bytes: {e}"))?;
        } else {
            fails_with!(k::update(key, &payload), libc::EINVAL);
            let again = k::add_key("user", "k1", &payload, r)
                .map_err(|e| format!("add_key update to {len} bytes: {e}"))?;
            ensure!(again == key, "add_key gave {again}, not {key}");
        }
        ensure!(
            t!(k::read(key)) == payload,
            "read after update to {len} bytes"
        );
        ensure!(t!(key.read()) == payload, "method read, {len} bytes");
    }
    fails_with!(k::add_key("user", "k1", &[0u8; 32_768], r), libc::EINVAL);
    fails_with!(k::add_key("user", "k2", b"", r), libc::EINVAL);
    fails_with!(k::add_key("no-such-type", "k3", b"x", r), libc::ENODEV);
    Ok(())
}

fn big_keyring_payload() -> Check {
    let r = ring("big_keyring_payload")?;
    let mut made = Vec::new();
    for i in 0..1100 {
        made.push(t!(k::add_key("user", format!("member {i}"), b"x", r)));
    }
    let payload = t!(k::read(r));
    ensure!(
        payload.len() == 4400,
        "keyring payload of {} bytes",
        payload.len()
    );
    let mut listed = k::keyring_serials(&payload);
    listed.sort();
    made.sort();
    ensure!(listed == made, "the keyring lists other keys");
    t!(k::clear(r));
    ensure!(t!(k::read(r)).is_empty(), "keyring not empty after clear");
    Ok(())
}

fn describe_fields() -> Check {
    let r = ring("describe_fields")?;
    let key = t!(k::add_key("user", "a;b c", b"x", r));
    let d = t!(k::describe(key));
    // SAFETY: plain libc calls without arguments.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    ensure!(d.key_type == b"user", "{d:?}");
    ensure!(d.description == b"a;b c", "{d:?}");
    ensure!(d.uid == uid && d.gid == gid, "{d:?}");
    ensure!(
        d.perm == Permission(0x3f01_0000),
        "default perm {:x}",
        d.perm.0
    );
    let raw = t!(k::describe_raw(key));
    let want = format!("user;{uid};{gid};3f010000;a;b c");
    ensure!(
        raw == want.as_bytes(),
        "raw {:?}",
        String::from_utf8_lossy(&raw)
    );
    ensure!(t!(key.describe()) == d, "method describe");
    Ok(())
}

fn odd_descriptions() -> Check {
    let r = ring("odd_descriptions")?;
    // Every byte but NUL, ';' and newline included, and bytes that are not UTF-8.
    let all: Vec<u8> = (1..=255u8).collect();
    let key = t!(k::add_key("user", &all, b"payload", r));
    ensure!(
        t!(k::describe(key)).description == all,
        "description of bytes 1..=255"
    );
    ensure!(
        t!(k::search(r, "user", &all, KeySerial::NONE)) == key,
        "search"
    );
    ensure!(
        t!(k::find_key_by_type_and_desc("user", &all, KeySerial::NONE)) == key,
        "find_key_by_type_and_desc"
    );
    // The longest description the kernel takes, and one byte more.
    let long = vec![b'd'; 4095];
    let key = t!(k::add_key("user", &long, b"payload", r));
    ensure!(
        t!(k::describe(key)).description == long,
        "4095-byte description"
    );
    ensure!(
        t!(k::search(r, "user", &long, KeySerial::NONE)) == key,
        "search 4095"
    );
    fails_with!(k::add_key("user", vec![b'd'; 4096], b"p", r), libc::EINVAL);
    let os = std::ffi::OsStr::from_bytes(b"os\xffstr");
    let key = t!(k::add_key("user", os.as_bytes(), b"p", r));
    ensure!(
        t!(k::describe(key)).description == b"os\xffstr",
        "OsStr description"
    );
    Ok(())
}

fn interior_nul() -> Check {
    let r = ring("interior_nul")?;
    let invalid = |e: std::io::Result<_>| -> Check {
        match e {
            Err(e) if e.kind() == ErrorKind::InvalidInput && e.raw_os_error().is_none() => Ok(()),
            Err(e) => Err(format!("wrong error {e:?}")),
            Ok(()) => Err("succeeded".into()),
        }
    };
    invalid(k::add_key("user", b"a\0b", b"p", r).map(drop))?;
    invalid(k::add_key(b"us\0er", "ab", b"p", r).map(drop))?;
    invalid(k::request_key("user", "x", Some(b"call\0out"), r).map(drop))?;
    invalid(k::search(r, "user", b"\0", KeySerial::NONE).map(drop))?;
    invalid(k::find_key_by_type_and_desc("user", b"x\0", KeySerial::NONE).map(drop))?;
    invalid(k::join_session_keyring(Some(b"name\0")).map(drop))?;
    invalid(k::restrict_keyring(r, Some(b"\0"), None))?;
    invalid(k::pkey_query(r, b"enc=\0").map(drop))?;
    // A NUL in a payload is just a byte.
    let key = t!(k::add_key("user", "nul payload", b"a\0b\0", r));
    ensure!(t!(k::read(key)) == b"a\0b\0", "payload with NULs");
    ensure!(
        t!(k::read(r)) == key.raw().to_ne_bytes(),
        "only the payload key was added"
    );
    Ok(())
}

fn search_and_request() -> Check {
    let outer = ring("search_outer")?;
    let inner = t!(k::add_key("keyring", "search_inner", b"", outer));
    let key = t!(k::add_key("user", "deep", b"x", inner));
    ensure!(
        t!(k::search(outer, "user", "deep", KeySerial::NONE)) == key,
        "nested search"
    );
    ensure!(
        t!(k::search(SESSION, "user", "deep", KeySerial::NONE)) == key,
        "search @s"
    );
    fails_with!(
        k::search(outer, "user", "missing", KeySerial::NONE),
        libc::ENOKEY
    );
    // request_key without callout information never calls out: a missing key is ENOKEY.
    fails_with!(
        k::request_key("user", "missing", None, KeySerial::NONE),
        libc::ENOKEY
    );
    let dest = ring("request_dest")?;
    ensure!(
        t!(k::request_key("user", "deep", None, dest)) == key,
        "request_key found"
    );
    ensure!(
        t!(k::read(dest)) == key.raw().to_ne_bytes(),
        "request_key linked into dest"
    );
    let dest2 = ring("search_dest")?;
    ensure!(
        t!(k::search(outer, "user", "deep", dest2)) == key,
        "search with dest"
    );
    ensure!(
        t!(k::read(dest2)) == key.raw().to_ne_bytes(),
        "search linked into dest"
    );
    fails_with!(
        k::find_key_by_type_and_desc("user", "missing", KeySerial::NONE),
        libc::ENOKEY
    );
    Ok(())
}

fn link_unlink_move() -> Check {
    let a = ring("link_a")?;
    let b = ring("link_b")?;
    let key = t!(k::add_key("user", "linked", b"x", a));
    t!(k::link(key, b));
    ensure!(k::keyring_serials(&t!(k::read(b))) == [key], "link");
    t!(k::unlink(key, b));
    ensure!(t!(k::read(b)).is_empty(), "unlink");
    fails_with!(k::unlink(key, b), libc::ENOENT);
    fails_with!(k::link(key, key), libc::ENOTDIR);
    t!(k::move_key(key, a, b, true));
    ensure!(t!(k::read(a)).is_empty(), "move left a link behind");
    ensure!(k::keyring_serials(&t!(k::read(b))) == [key], "move");
    // An exclusive move does not displace a key of the same type and description.
    let twin = t!(k::add_key("user", "linked", b"y", a));
    fails_with!(k::move_key(twin, a, b, true), libc::EEXIST);
    t!(k::move_key(twin, a, b, false));
    ensure!(
        k::keyring_serials(&t!(k::read(b))) == [twin],
        "non-exclusive move"
    );
    t!(twin.link(a));
    t!(twin.unlink(a));
    Ok(())
}

fn setperm_chown() -> Check {
    let r = ring("setperm")?;
    let key = t!(k::add_key("user", "perm", b"secret", r));
    // Possessed (searchable from the session keyring) but not writable: a possessor may read
    // without the read right, not write.
    let p = Permission::KEY_POS_VIEW | Permission::KEY_POS_SEARCH | Permission::KEY_POS_SETATTR;
    t!(k::setperm(key, p));
    fails_with!(k::update(key, b"x"), libc::EACCES);
    ensure!(
        t!(k::read(key)) == b"secret",
        "a possessor reads a searchable key"
    );
    let d = t!(k::describe(key));
    ensure!(d.perm == Permission(0x2900_0000), "perm {:x}", d.perm.0);
    ensure!(
        d.perm.to_string() == "a-s--v------------------",
        "{}",
        d.perm
    );
    t!(k::setperm(
        key,
        Permission::KEY_POS_ALL | Permission::KEY_USR_VIEW
    ));
    t!(k::update(key, b"changed"));
    ensure!(t!(k::read(key)) == b"changed", "read after restoring");
    // Without the search right the key is not possessed, and the owner has no rights at all.
    let shut = t!(k::add_key("user", "shut", b"secret", r));
    t!(shut.setperm(Permission(0)));
    fails_with!(k::describe(shut), libc::EACCES);
    fails_with!(k::read(shut), libc::EACCES);
    fails_with!(k::setperm(shut, Permission::KEY_POS_ALL), libc::EACCES);

    // SAFETY: plain libc calls without arguments.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    if uid == 0 {
        t!(k::chown(key, Some(1), None));
        ensure!(t!(k::describe(key)).uid == 1, "chown uid");
        t!(k::chown(key, None, Some(2)));
        let d = t!(k::describe(key));
        ensure!((d.uid, d.gid) == (1, 2), "chown gid {d:?}");
        t!(k::chown(key, Some(uid), Some(gid)));
        let d = t!(k::describe(key));
        ensure!((d.uid, d.gid) == (uid, gid), "chown back {d:?}");
    } else {
        fails_with!(k::chown(key, Some(uid + 1), None), libc::EACCES);
    }
    Ok(())
}

fn timeout_revoke_invalidate() -> Check {
    let r = ring("lifetimes")?;
    let key = t!(k::add_key("user", "expiring", b"x", r));
    t!(k::set_timeout(key, 1));
    let start = Instant::now();
    loop {
        match k::read(key) {
            Ok(_) if start.elapsed() < Duration::from_secs(10) => {
                std::thread::sleep(Duration::from_millis(50))
            }
            Ok(_) => return Err("the key did not expire in 10 s".into()),
            Err(e) => {
                ensure!(
                    e.raw_os_error() == Some(libc::EKEYEXPIRED),
                    "expired: {e:?}"
                );
                break;
            }
        }
    }
    let key = t!(k::add_key("user", "lasting", b"x", r));
    t!(k::set_timeout(key, 1000));
    t!(key.set_timeout(0));

    let key = t!(k::add_key("user", "revoked", b"x", r));
    t!(k::revoke(key));
    fails_with!(k::read(key), libc::EKEYREVOKED);
    fails_with!(k::update(key, b"y"), libc::EKEYREVOKED);
    fails_with!(key.revoke(), libc::EKEYREVOKED);

    let key = t!(k::add_key("user", "invalidated", b"x", r));
    t!(k::invalidate(key));
    fails_with!(k::describe(key), libc::ENOKEY);
    fails_with!(k::invalidate(KeySerial(0x7fff_fff0)), libc::ENOKEY);
    Ok(())
}

fn special_keyrings() -> Check {
    let session = t!(k::get_keyring_id(SESSION, false));
    ensure!(session.raw() > 0, "@s {session}");
    fails_with!(k::get_keyring_id(KeySerial(0), false), libc::EINVAL);
    // The thread keyring exists only once made.
    fails_with!(
        k::get_keyring_id(SpecialKeyring::Thread.into(), false),
        libc::ENOKEY
    );
    let thread = t!(k::get_keyring_id(SpecialKeyring::Thread.into(), true));
    ensure!(thread.raw() > 0 && thread != session, "@t {thread}");
    // Which keyring request_key uses by default: ask, set, set back.
    let old = t!(k::set_reqkey_keyring(-1));
    ensure!((0..=7).contains(&old), "reqkey default {old}");
    t!(k::set_reqkey_keyring(3));
    ensure!(t!(k::set_reqkey_keyring(-1)) == 3, "reqkey default set");
    ensure!(
        t!(k::set_reqkey_keyring(old)) == 3,
        "reqkey default set back"
    );
    fails_with!(k::set_reqkey_keyring(99), libc::EINVAL);
    Ok(())
}

fn without_authority() -> Check {
    let r = ring("authority")?;
    let key = t!(k::add_key("user", "plain", b"x", r));
    t!(k::assume_authority(KeySerial::NONE));
    fails_with!(k::assume_authority(key), libc::ENOKEY);
    fails_with!(k::instantiate(key, b"p", r), libc::EPERM);
    fails_with!(k::instantiate_iov(key, &[b"a", b"b"], r), libc::EPERM);
    fails_with!(k::negate(key, 10, r), libc::EPERM);
    fails_with!(k::reject(key, 10, libc::EKEYREJECTED, r), libc::EPERM);
    Ok(())
}

fn restrict() -> Check {
    let r = ring("restricted")?;
    t!(k::add_key("user", "before", b"x", r));
    t!(k::restrict_keyring(r, None, None));
    fails_with!(k::add_key("user", "after", b"x", r), libc::EPERM);
    fails_with!(k::restrict_keyring(r, None, None), libc::EEXIST);
    let key = t!(k::add_key("user", "outside", b"x", SESSION));
    fails_with!(k::link(key, r), libc::EPERM);
    Ok(())
}

fn misc() -> Check {
    let caps = t!(k::capabilities());
    ensure!(
        !caps.is_empty() && caps[0] & 0x01 != 0,
        "capabilities {caps:?}"
    );
    let r = ring("misc")?;
    let label = t!(k::get_security(r));
    ensure!(!label.contains(&0), "security label {label:?}");
    fails_with!(k::get_security(KeySerial(0x7fff_fff0)), libc::ENOKEY);
    // Notifications and Diffie-Hellman are as the kernel says it has them.
    let notify = caps.get(1).is_some_and(|b| b & 0x04 != 0);
    fails_with!(
        k::watch_key(r, -1, 1),
        if notify {
            libc::EBADF
        } else {
            libc::EOPNOTSUPP
        }
    );
    let dh = caps[0] & 0x04 != 0;
    fails_with!(
        k::dh_compute(KeySerial(0x7fff_fff0), KeySerial(1), KeySerial(2)),
        if dh { libc::ENOKEY } else { libc::EOPNOTSUPP }
    );
    fails_with!(k::pkey_query(r, ""), libc::EOPNOTSUPP);
    match k::get_persistent(None, r) {
        Ok(p) => {
            ensure!(p.raw() > 0, "persistent {p}");
            ensure!(
                k::keyring_serials(&t!(k::read(r))) == [p],
                "persistent linked"
            );
            t!(k::unlink(p, r));
        }
        Err(e) => ensure!(
            e.raw_os_error() == Some(libc::EOPNOTSUPP),
            "get_persistent {e:?}"
        ),
    }
    Ok(())
}

fn scans() -> Check {
    let top = ring("scan_top")?;
    let sub = t!(k::add_key("keyring", "scan_sub", b"", top));
    let k1 = t!(k::add_key("user", "one", b"1", top));
    let k2 = t!(k::add_key("user", "two", b"2", sub));
    let hidden = t!(k::add_key("user", "hidden", b"3", sub));
    t!(k::setperm(hidden, Permission::KEY_POS_SETATTR));

    let mut seen = Vec::new();
    let n = k::recursive_key_scan(top, |parent, key, desc| {
        seen.push((parent, key, desc.to_vec()));
        1
    });
    ensure!(n == 5, "scan sum {n}");
    let find = |key: KeySerial| seen.iter().position(|(_, k, _)| *k == key);
    let (Some(pt), Some(ps), Some(p1), Some(p2), Some(ph)) =
        (find(top), find(sub), find(k1), find(k2), find(hidden))
    else {
        return Err(format!("keys missing from the scan: {seen:?}"));
    };
    ensure!(
        pt == 4 && ps > p2 && ps > ph,
        "members come before their keyring"
    );
    ensure!(
        seen[pt].0 == KeySerial::NONE && seen[p1].0 == top && seen[p2].0 == sub,
        "parents"
    );
    ensure!(
        seen[p2].2.ends_with(b";two") && seen[p2].2.starts_with(b"user;"),
        "desc"
    );
    ensure!(seen[ph].2.is_empty(), "the hidden key has no description");

    let mut errors = Vec::new();
    k::recursive_key_scan_full(top, |_, key, desc| {
        if let Err(e) = desc {
            errors.push((key, e.raw_os_error()));
        }
        0
    });
    ensure!(
        errors == [(hidden, Some(libc::EACCES))],
        "scan errors {errors:?}"
    );

    // The session scan walks the session keyring: it sees this tree too.
    let mut found = 0;
    let n = k::recursive_session_key_scan(|_, key, _| {
        found += i32::from(key == k2);
        2
    });
    ensure!(
        found == 1 && n >= 12 && n % 2 == 0,
        "session scan {found} {n}"
    );
    let mut count = 0;
    k::recursive_session_key_scan_full(|_, _, _| {
        count += 1;
        0
    });
    ensure!(count * 2 == n, "full session scan {count}");

    // A panic in the callback comes out of the scan, which stops calling it.
    let mut calls = 0;
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        k::recursive_key_scan(top, |_, _, _| {
            calls += 1;
            panic!("from the callback")
        })
    }));
    ensure!(
        caught.is_err() && calls == 1,
        "panic {caught:?} after {calls} calls"
    );
    Ok(())
}

fn session_to_parent() -> Check {
    // Child A joins a keyring of its own; its child B joins another and gives it to A.
    // SAFETY: this process has one thread; the children only make system calls and exit.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err("fork failed".into());
    }
    if pid == 0 {
        let code = (|| {
            let mine = k::join_session_keyring(None).ok()?;
            // SAFETY: as above.
            let b = unsafe { libc::fork() };
            if b == 0 {
                let given = k::join_session_keyring(Some(b"keyutils-api-test-parent"));
                let ok = given.is_ok() && k::session_to_parent().is_ok();
                // SAFETY: leaving the child at once.
                unsafe { libc::_exit(if ok { 0 } else { 1 }) };
            }
            let mut status = 0;
            // SAFETY: waiting for our own child; returning to user space installs the keyring.
            unsafe { libc::waitpid(b, &mut status, 0) };
            let now = k::get_keyring_id(SESSION, false).ok()?;
            let d = k::describe(now).ok()?;
            Some(status == 0 && now != mine && d.description == b"keyutils-api-test-parent")
        })();
        // SAFETY: leaving the child at once.
        unsafe { libc::_exit(if code == Some(true) { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waiting for our own child.
    unsafe { libc::waitpid(pid, &mut status, 0) };
    ensure!(
        status == 0,
        "the child's session was not replaced (status {status})"
    );
    Ok(())
}

fn odd_inputs() -> Check {
    // Odd but legal inputs: no panic, an error at most.
    let _ = k::describe(KeySerial(-100));
    let _ = k::read(KeySerial(i32::MIN));
    let _ = k::instantiate_iov(KeySerial(1), &[], KeySerial::NONE);
    let _ = k::dh_compute_kdf(KeySerial(1), KeySerial(2), KeySerial(3), "sha256", None, 0);
    let _ = k::pkey_encrypt(KeySerial(1), "", b"");
    Ok(())
}

/// examples/tree.rs, which `cargo test` builds beside this binary, prints this session's tree.
fn example_tree() -> Check {
    let r = ring("example_tree")?;
    let key = t!(k::add_key("user", "shown by the example", b"12345", r));
    let exe = t!(std::env::current_exe());
    let tree = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("examples/tree"))
        .ok_or("no directory above this binary")?;
    let mut cmd = std::process::Command::new(&tree);
    cmd.arg("@s");
    if let Some(dir) = std::env::var_os("KEYUTILS_LIBDIR").filter(|d| !d.is_empty()) {
        cmd.env("LD_LIBRARY_PATH", dir);
    }
    let out = t!(cmd.output());
    let text = String::from_utf8_lossy(&out.stdout);
    ensure!(out.status.success(), "{} failed: {text}", tree.display());
    let line = format!("    {} alswrv-----v------------", r);
    ensure!(text.contains(&line), "no line for {r}: {text}");
    let line = format!("        {key} alswrv-----v------------");
    ensure!(
        text.contains(&line) && text.contains("user: shown by the example (5 bytes)"),
        "no line for {key}: {text}"
    );
    Ok(())
}

/// Where the upcall lock and the handler's configuration live (see tests/upcall-lib.sh).
const UPCALL_LOCK: &str = "/run/lock/keyutils-upcall.lock";
const REQUEST_KEY_D: &str = "/etc/request-key.d";

/// The realpath of the libkeyutils.so this process mapped, if one.
fn mapped_path() -> Option<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| p.contains("libkeyutils.so"))
        .map(str::to_owned)
}

/// The request-key handler: `--request-key-handler KEY DESC CALLOUT RING` (`%k %d %c %S`), run
/// by /sbin/request-key with no environment. It takes the authority over KEY, checks the
/// authorisation key, and does what DESC's last `:` field says.
fn request_key_handler(args: &[String]) -> i32 {
    let [key, desc, callout, ring] = args else {
        return 2;
    };
    let (Ok(key), Ok(ring)) = (key.parse().map(KeySerial), ring.parse().map(KeySerial)) else {
        return 2;
    };
    if k::assume_authority(key).is_err() {
        return 1;
    }
    let auth = SpecialKeyring::ReqKeyAuthKey.serial();
    let auth_ok = k::describe(auth).is_ok_and(|d| d.key_type == b".request_key_auth")
        && k::read(auth).is_ok_and(|c| c == callout.as_bytes());
    let report = format!(
        "{callout}|auth {}|{}",
        if auth_ok { "ok" } else { "wrong" },
        mapped_path().unwrap_or_default()
    );
    let done = match desc.rsplit(':').next() {
        Some("instantiate") => k::instantiate(key, report.as_bytes(), ring),
        Some("iov") => {
            let parts: [&[u8]; 3] = [b"iov:", report.as_bytes(), b":end"];
            k::instantiate_iov(key, &parts, KeySerial::NONE)
        }
        Some("negate") => k::negate(key, 30, KeySerial::NONE),
        Some("reject") => k::reject(key, 30, libc::EKEYREJECTED, KeySerial::NONE),
        _ => k::negate(key, 1, KeySerial::NONE),
    };
    let dropped = k::assume_authority(KeySerial::NONE);
    i32::from(done.is_err() || dropped.is_err())
}

/// Removes the handler's configuration file when the check ends, however it ends.
struct ConfFile(std::path::PathBuf);

impl Drop for ConfFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn upcalls() -> Check {
    // SAFETY: a plain libc call without arguments.
    if unsafe { libc::geteuid() } != 0 {
        return Err("skip: upcalls are asked for as root".into());
    }
    if !std::path::Path::new("/sbin/request-key").exists()
        || !std::path::Path::new(REQUEST_KEY_D).is_dir()
    {
        return Err(format!("skip: no /sbin/request-key or {REQUEST_KEY_D}"));
    }
    // Upcalls go to the machine's one /sbin/request-key: take the lock that tests which
    // bind-mount a replacement over it hold for as long as they do, waiting at most 3 minutes.
    let lock = t!(std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(UPCALL_LOCK));
    let start = Instant::now();
    loop {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this function owns; released when `lock` is closed.
        if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            break;
        }
        ensure!(
            start.elapsed() < Duration::from_secs(180),
            "{UPCALL_LOCK} held for 3 minutes"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Exact descriptions of this process: the best match for request-key, and no one else's.
    let exe = t!(std::env::current_exe());
    let pid = std::process::id();
    let prefix = format!("keyutils-api-test:{pid}");
    let mut conf = String::new();
    for case in ["instantiate", "iov", "negate", "reject"] {
        conf.push_str(&format!(
            "create user {prefix}:{case} * {} --request-key-handler %k %d %c %S\n",
            exe.display()
        ));
    }
    let conf_file = ConfFile(format!("{REQUEST_KEY_D}/keyutils-api-test-{pid}.conf").into());
    t!(std::fs::write(&conf_file.0, conf));
    // A hung handler would block request_key: the alarm bounds the whole exchange.
    // SAFETY: plain libc call; SIGALRM's default action ends the process.
    unsafe { libc::alarm(120) };
    let result = (|| -> Check {
        let dest = ring("upcalls")?;
        let want_lib = match std::env::var_os("KEYUTILS_LIBDIR").filter(|d| !d.is_empty()) {
            Some(dir) => t!(std::fs::canonicalize(
                std::path::Path::new(&dir).join("libkeyutils.so.1")
            ))
            .to_string_lossy()
            .into_owned(),
            None => mapped_path().unwrap_or_default(),
        };
        let desc = format!("{prefix}:instantiate");
        let key = t!(k::request_key("user", &desc, Some(b"info 1"), dest));
        let want = format!("info 1|auth ok|{want_lib}");
        let got = t!(k::read(key));
        ensure!(
            got == want.as_bytes(),
            "payload {:?}",
            String::from_utf8_lossy(&got)
        );
        // instantiate linked it into the requester's session keyring too (%S).
        let session = t!(k::read(SESSION));
        ensure!(
            k::keyring_serials(&session).contains(&key),
            "not linked into @s"
        );

        let key = t!(k::request_key(
            "user",
            format!("{prefix}:iov"),
            Some(b"two"),
            dest
        ));
        let want = format!("iov:two|auth ok|{want_lib}:end");
        let got = t!(k::read(key));
        ensure!(
            got == want.as_bytes(),
            "iov payload {:?}",
            String::from_utf8_lossy(&got)
        );

        let desc = format!("{prefix}:negate");
        fails_with!(
            k::request_key("user", &desc, Some(b"x"), dest),
            libc::ENOKEY
        );
        let negative = t!(k::find_key_by_type_and_desc("user", &desc, KeySerial::NONE));
        fails_with!(k::read(negative), libc::ENOKEY);
        let desc = format!("{prefix}:reject");
        fails_with!(
            k::request_key("user", &desc, Some(b"x"), dest),
            libc::EKEYREJECTED
        );
        Ok(())
    })();
    // SAFETY: cancels the alarm set above.
    unsafe { libc::alarm(0) };
    drop(conf_file);
    drop(lock);
    result
}

/// The `libkeyutils.so.1` this process mapped must be `$KEYUTILS_LIBDIR`'s when that is set.
fn mapped_library() -> Check {
    let maps = t!(std::fs::read_to_string("/proc/self/maps"));
    let mapped: Vec<&str> = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .filter(|p| p.contains("libkeyutils.so"))
        .collect();
    ensure!(!mapped.is_empty(), "no libkeyutils.so mapped");
    println!("# mapped {}", mapped[0]);
    if let Some(dir) = std::env::var_os("KEYUTILS_LIBDIR").filter(|d| !d.is_empty()) {
        let want = t!(std::fs::canonicalize(
            std::path::Path::new(&dir).join("libkeyutils.so.1")
        ));
        let want = want.to_string_lossy();
        ensure!(
            mapped.iter().all(|p| *p == want),
            "mapped {mapped:?}, not {want}"
        );
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--request-key-handler") {
        std::process::exit(request_key_handler(&args[2..]));
    }
    let joined = match k::join_session_keyring(None) {
        Ok(s) => s,
        Err(e) => {
            println!("test kernel::join_session_keyring ... FAILED\n# {e}");
            std::process::exit(1);
        }
    };
    let checks: Vec<(&str, CheckFn)> = vec![
        ("mapped_library", Box::new(mapped_library)),
        (
            "session_is_fresh",
            Box::new(move || session_is_fresh(joined)),
        ),
        ("version", Box::new(version)),
        ("add_read_update", Box::new(add_read_update)),
        ("big_keyring_payload", Box::new(big_keyring_payload)),
        ("describe_fields", Box::new(describe_fields)),
        ("odd_descriptions", Box::new(odd_descriptions)),
        ("interior_nul", Box::new(interior_nul)),
        ("search_and_request", Box::new(search_and_request)),
        ("link_unlink_move", Box::new(link_unlink_move)),
        ("setperm_chown", Box::new(setperm_chown)),
        (
            "timeout_revoke_invalidate",
            Box::new(timeout_revoke_invalidate),
        ),
        ("special_keyrings", Box::new(special_keyrings)),
        ("without_authority", Box::new(without_authority)),
        ("restrict", Box::new(restrict)),
        ("misc", Box::new(misc)),
        ("scans", Box::new(scans)),
        ("session_to_parent", Box::new(session_to_parent)),
        ("odd_inputs", Box::new(odd_inputs)),
        ("upcalls", Box::new(upcalls)),
        ("example_tree", Box::new(example_tree)),
    ];
    let filter: Vec<String> = args[1..]
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let (mut passed, mut failed) = (0, 0);
    println!("running {} tests", checks.len());
    for (name, check) in &checks {
        if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(check))
            .unwrap_or_else(|_| Err("panicked".into()));
        match result {
            Ok(()) => {
                passed += 1;
                println!("test kernel::{name} ... ok");
            }
            Err(msg) if msg.starts_with("skip: ") => {
                // Not a pass: libtest's word for a test that did not run.
                println!("test kernel::{name} ... ignored\n# {msg}");
            }
            Err(msg) => {
                failed += 1;
                println!("test kernel::{name} ... FAILED\n# {msg}");
            }
        }
    }
    let status = if failed == 0 { "ok" } else { "FAILED" };
    println!("\ntest result: {status}. {passed} passed; {failed} failed");
    std::process::exit(i32::from(failed > 0));
}

//! keyctl(1): key management facility control, as in keyutils 1.6.3.
//!
//! Every command takes the argument vector starting at its own name (argv[0]
//! is the command), exactly like the original's `act_keyctl_*` functions, so
//! that argument counts, getopt() behaviour and messages line up.

mod cmds;
mod io;
mod testing;
mod util;
mod watch;

use keyutils_api::{self as api, KeySerial, SpecialKeyring};
use std::cell::Cell;
use std::sync::OnceLock;

pub type Args = Vec<Vec<u8>>;

pub struct Command {
    pub action: Option<fn(Args)>,
    pub name: &'static str,
    pub format: &'static str,
}

pub(crate) const fn cmd(action: fn(Args), name: &'static str, format: &'static str) -> Command {
    Command {
        action: Some(action),
        name,
        format,
    }
}

const fn alt(name: &'static str, format: &'static str) -> Command {
    Command {
        action: None,
        name,
        format,
    }
}

pub static COMMANDS: &[Command] = &[
    cmd(cmds::version, "--version", ""),
    cmd(cmds::add, "add", "[-x] <type> <desc> <data> <keyring>"),
    cmd(cmds::chgrp, "chgrp", "<key> <gid>"),
    cmd(cmds::chown, "chown", "<key> <uid>"),
    cmd(cmds::clear, "clear", "<keyring>"),
    cmd(cmds::describe, "describe", "<keyring>"),
    cmd(cmds::dh_compute, "dh_compute", "<private> <prime> <base>"),
    cmd(
        cmds::dh_compute_kdf,
        "dh_compute_kdf",
        "<private> <prime> <base> <len> <hash_name>",
    ),
    cmd(
        cmds::dh_compute_kdf_oi,
        "dh_compute_kdf_oi",
        "[-x] <private> <prime> <base> <len> <hash_name>",
    ),
    cmd(cmds::get_persistent, "get_persistent", "<keyring> [<uid>]"),
    cmd(cmds::id, "id", "<key>"),
    cmd(
        cmds::instantiate,
        "instantiate",
        "[-x] <key> <data> <keyring>",
    ),
    cmd(cmds::invalidate, "invalidate", "<key>"),
    cmd(cmds::link, "link", "<key> <keyring>"),
    cmd(cmds::list, "list", "<keyring>"),
    cmd(
        cmds::move_,
        "move",
        "[-f] <key> <from_keyring> <to_keyring>",
    ),
    cmd(cmds::negate, "negate", "<key> <timeout> <keyring>"),
    cmd(cmds::new_session, "new_session", "[<name>]"),
    cmd(cmds::newring, "newring", "<name> <keyring>"),
    cmd(cmds::padd, "padd", "[-x] <type> <desc> <keyring>"),
    cmd(cmds::pinstantiate, "pinstantiate", "[-x] <key> <keyring>"),
    cmd(cmds::pipe, "pipe", "<key>"),
    cmd(cmds::pkey_query, "pkey_query", "<key> <pass> [k=v]*"),
    cmd(
        cmds::pkey_encrypt,
        "pkey_encrypt",
        "<key> <pass> <datafile> [k=v]*",
    ),
    cmd(
        cmds::pkey_decrypt,
        "pkey_decrypt",
        "<key> <pass> <datafile> [k=v]*",
    ),
    cmd(
        cmds::pkey_sign,
        "pkey_sign",
        "<key> <pass> <datafile> [k=v]*",
    ),
    cmd(
        cmds::pkey_verify,
        "pkey_verify",
        "<key> <pass> <datafile> <sigfile> [k=v]*",
    ),
    cmd(
        cmds::prequest2,
        "prequest2",
        "<type> <desc> [<dest_keyring>]",
    ),
    cmd(cmds::print, "print", "<key>"),
    cmd(cmds::pupdate, "pupdate", "[-x] <key>"),
    cmd(cmds::purge, "purge", "<type>"),
    alt("purge", "[-p] [-i] <type> <desc>"),
    alt("purge", "-s <type> <desc>"),
    cmd(cmds::rdescribe, "rdescribe", "<keyring> [sep]"),
    cmd(cmds::read, "read", "<key>"),
    cmd(cmds::reap, "reap", "[-v]"),
    cmd(cmds::reject, "reject", "<key> <timeout> <error> <keyring>"),
    cmd(cmds::request, "request", "<type> <desc> [<dest_keyring>]"),
    cmd(
        cmds::request2,
        "request2",
        "<type> <desc> <info> [<dest_keyring>]",
    ),
    cmd(
        cmds::restrict_keyring,
        "restrict_keyring",
        "<keyring> [<type> [<restriction>]]",
    ),
    cmd(cmds::revoke, "revoke", "<key>"),
    cmd(cmds::rlist, "rlist", "<keyring>"),
    cmd(
        cmds::search,
        "search",
        "<keyring> <type> <desc> [<dest_keyring>]",
    ),
    cmd(cmds::security, "security", "<key>"),
    cmd(cmds::session, "session", ""),
    alt("session", "- [<prog> <arg1> <arg2> ...]"),
    alt("session", "<name> [<prog> <arg1> <arg2> ...]"),
    cmd(cmds::setperm, "setperm", "<key> <mask>"),
    cmd(cmds::show, "show", "[-x] [<keyring>]"),
    cmd(cmds::supports, "supports", "[<cap> | --raw]"),
    cmd(cmds::timeout, "timeout", "<key> <timeout>"),
    cmd(cmds::unlink, "unlink", "<key> [<keyring>]"),
    cmd(cmds::update, "update", "[-x] <key> <data>"),
    cmd(watch::watch, "watch", "[-f<filters>] <key>"),
    cmd(watch::watch_add, "watch_add", "<fd> <key>"),
    cmd(watch::watch_rm, "watch_rm", "<fd> <key>"),
    cmd(
        watch::watch_session,
        "watch_session",
        "[-f<filters>] [-n <name>] <notifylog> <gclog> <fd> <prog> [<arg1> <arg2> ...]",
    ),
    cmd(watch::watch_sync, "watch_sync", "<fd>"),
    cmd(testing::test, "--test", "..."),
];

thread_local! {
    /// The table format() lists: the main one, or --test's once inside it.
    static FORMAT_TABLE: Cell<(&'static [Command], &'static str)> =
        const { Cell::new((COMMANDS, "")) };
}

/// Print the usage summary to stderr and exit 2.
pub fn format() -> ! {
    let (table, prefix) = FORMAT_TABLE.with(|t| t.get());
    let mut s = String::from("Format:\n");
    for c in table {
        s.push_str(&format!("  keyctl {}{} {}\n", prefix, c.name, c.format));
    }
    s.push_str(concat!(
        "\n",
        "Key/keyring ID:\n",
        "  <nnn>   numeric keyring ID\n",
        "  @t      thread keyring\n",
        "  @p      process keyring\n",
        "  @s      session keyring\n",
        "  @u      user keyring\n",
        "  @us     user default session keyring\n",
        "  @g      group keyring\n",
        "  @a      assumed request_key authorisation key\n",
        "\n",
        "<type> can be \"user\" for a user-defined keyring\n",
        "If you do this, prefix the description with \"<subtype>:\"\n",
    ));
    io::err(s.as_bytes());
    io::exit(2)
}

/// Find a command by its exact name (1.6.3 accepts no abbreviations) and run
/// it.  `prefix` is "" for the main table and "test " for --test's.
pub fn do_command(args: Args, table: &'static [Command], prefix: &'static str, fmt: &'static str) {
    FORMAT_TABLE.with(|t| t.set((table, fmt)));
    let Some(name) = args.first() else { format() };
    for c in table {
        let Some(action) = c.action else { continue };
        if c.name.as_bytes() == name.as_slice() {
            action(args);
            return;
        }
    }
    errf!("Unknown {}command\n", prefix);
    io::exit(2)
}

/// Turn a key argument into a serial: @-names, %type:name lookups, numbers.
pub fn get_key_id(arg: &[u8]) -> KeySerial {
    if arg.first() == Some(&b'@') {
        return match arg {
            b"@t" => SpecialKeyring::Thread.serial(),
            b"@p" => SpecialKeyring::Process.serial(),
            b"@s" => SpecialKeyring::Session.serial(),
            b"@u" => SpecialKeyring::User.serial(),
            b"@us" => SpecialKeyring::UserSession.serial(),
            b"@g" => SpecialKeyring::Group.serial(),
            b"@a" => SpecialKeyring::ReqKeyAuthKey.serial(),
            _ => {
                io::err(b"Unknown special key: '");
                io::err(arg);
                io::err(b"'\n");
                io::exit(2)
            }
        };
    }

    if arg.first() == Some(&b'%') {
        let rest = &arg[1..];
        let (type_, desc): (&[u8], &[u8]) = if rest.first() == Some(&b':') {
            (b"keyring", &rest[1..])
        } else {
            match rest.iter().position(|&b| b == b':') {
                Some(p) if p > 0 => (&rest[..p], &rest[p + 1..]),
                _ => incorrect_key_by_name(),
            }
        };
        if desc.is_empty() {
            incorrect_key_by_name();
        }
        let found =
            api::find_key_by_type_and_desc(util::cut(type_), util::cut(desc), KeySerial::NONE);
        let Ok(id) = found else {
            let mut m = b"Can't find '".to_vec();
            m.extend_from_slice(type_);
            m.push(b':');
            m.extend_from_slice(desc);
            m.extend_from_slice(b"'\n");
            io::err(&m);
            io::exit(1);
        };
        return id;
    }

    KeySerial(util::ulong_arg(arg, 0, "key") as i32)
}

fn incorrect_key_by_name() -> ! {
    io::err(b"Incorrect key-by-name spec\n");
    io::exit(2)
}

/// The caller's effective ids and supplementary groups, for the perms column.
pub struct Ids {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

pub fn ids() -> &'static Ids {
    static IDS: OnceLock<Ids> = OnceLock::new();
    IDS.get_or_init(|| {
        // SAFETY: geteuid/getegid cannot fail; getgroups with size 0 only
        // counts.
        let (uid, gid, n) = unsafe {
            (
                libc::geteuid(),
                libc::getegid(),
                libc::getgroups(0, std::ptr::null_mut()),
            )
        };
        if n < 0 {
            io::error("Unable to get UID/GID/#Groups");
        }
        let mut groups = vec![0 as libc::gid_t; n as usize];
        // SAFETY: `groups` has room for `n` entries.
        let m = unsafe { libc::getgroups(n, groups.as_mut_ptr()) };
        if m < 0 {
            io::error("Unable to get Groups");
        }
        groups.truncate(m as usize);
        Ids { uid, gid, groups }
    })
}

fn main() {
    // Rust ignores SIGPIPE by default; the C tool dies of it, and programs run
    // by `keyctl session` must inherit the default disposition.
    // SAFETY: restoring the default disposition of a signal is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    io::set_errno(0);

    use std::os::unix::ffi::OsStringExt;
    let args: Args = std::env::args_os().skip(1).map(|a| a.into_vec()).collect();
    do_command(args, COMMANDS, "", "");
    io::exit(0)
}

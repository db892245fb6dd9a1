//! Prints a keyring tree, like `keyctl show`: `tree [KEYRING]`, where KEYRING is a serial or one
//! of `@t @p @s @u @us @g @a` (default `@s`). It only reads keys.
//!
//! ```sh
//! KEYUTILS_LIBDIR=$PWD/build/lib cargo run -p keyutils-api --example tree -- @u
//! ```

use std::process::ExitCode;

use keyutils_api::{self as keyutils, KeySerial, SpecialKeyring};

/// A keyring argument as keyctl takes it.
fn parse_ring(arg: &str) -> Option<KeySerial> {
    let special = match arg {
        "@t" => SpecialKeyring::Thread,
        "@p" => SpecialKeyring::Process,
        "@s" => SpecialKeyring::Session,
        "@u" => SpecialKeyring::User,
        "@us" => SpecialKeyring::UserSession,
        "@g" => SpecialKeyring::Group,
        "@a" => SpecialKeyring::ReqKeyAuthKey,
        _ => return arg.parse().ok().map(KeySerial),
    };
    Some(special.into())
}

/// One key per line, indented by depth; keyrings are followed by their members.
fn print_tree(key: KeySerial, depth: usize) {
    let indent = "    ".repeat(depth);
    let d = match keyutils::describe(key) {
        Ok(d) => d,
        Err(e) => {
            println!("{indent}{key}: inaccessible ({e})");
            return;
        }
    };
    let kind = String::from_utf8_lossy(&d.key_type);
    let name = String::from_utf8_lossy(&d.description);
    let payload = keyutils::read(key);
    let size = payload.as_ref().map_or_else(
        |e| format!("unreadable: {e}"),
        |p| format!("{} bytes", p.len()),
    );
    println!(
        "{indent}{key} {} {:5} {:5} {kind}: {name} ({size})",
        d.perm, d.uid, d.gid
    );
    if d.key_type == b"keyring" && depth < 32 {
        if let Ok(list) = payload {
            for member in keyutils::keyring_serials(&list) {
                print_tree(member, depth + 1);
            }
        }
    }
}

fn main() -> ExitCode {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "@s".into());
    let Some(ring) = parse_ring(&arg) else {
        eprintln!("usage: tree [KEYRING]: a serial or @t @p @s @u @us @g @a, not {arg:?}");
        return ExitCode::from(2);
    };
    match keyutils::get_keyring_id(ring, false) {
        Ok(id) => {
            println!(
                "{} (library {})",
                arg,
                keyutils::version_string().to_string_lossy()
            );
            print_tree(id, 0);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{arg}: {e}");
            ExitCode::FAILURE
        }
    }
}

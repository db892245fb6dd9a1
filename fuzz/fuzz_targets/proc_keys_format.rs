//! No false negatives: a line formatted as the kernel formats `/proc/keys` (proc_keys_show in
//! security/keys/proc.c) for a key of any type and description must parse to that key's serial,
//! and `may_match` must accept the key's own type and description.
//!
//! Input: type selector, serial (4 bytes), a variant byte (flags, timeout, usage, uid, gid),
//! then the description (without NUL or newline, as the kernel's descriptions here).
#![no_main]

use keyutils::parse::{may_match, parse_proc_keys_line};
use libfuzzer_sys::fuzz_target;
use std::io::Write;

/// Type names the kernel has, of every width around the 9 columns /proc/keys shows.
const TYPES: &[&str] = &[
    "user",
    "logon",
    "keyring",
    "big_key",
    "encrypted",
    "trusted",
    "asymmetric",
    "dns_resolver",
    ".request_key_auth",
    "id_resolver",
    "rxrpc",
    "rxrpc_s",
    "ceph",
    "cifs.spnego",
    "blacklist",
    "pkcs7_test",
    "a",
];

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let key_type = TYPES[data[0] as usize % TYPES.len()];
    let serial = u32::from_le_bytes([data[1], data[2], data[3], data[4]]) & 0x7fff_ffff;
    let v = data[5];
    let desc = &data[6..];
    if serial == 0 || desc.contains(&b'\n') || desc.contains(&0) || desc.len() > 4095 {
        return;
    }
    let flags = ["I--Q---", "I--Q-N-", "I------", "-R-Q---", "I-DQ--i", "I--QU--"][v as usize % 6];
    let timeout = ["perm", "expd", "30s", "59m", "23h", "6d", "52w"][(v >> 3) as usize % 7];
    let usage: u32 = [1, 99999, 123456789][(v >> 6) as usize % 3];
    // uid_t printed with %5d: large ids come out negative.
    let (uid, gid): (i32, i32) = if data[1] & 1 != 0 { (0, 0) } else { (4_240_001, -1) };
    let mut line = Vec::new();
    write!(
        line,
        "{serial:08x} {flags} {usage:5} {timeout:>4} {:08x} {uid:5} {gid:5} {:<9.9} ",
        0x3f01_0000u32, key_type
    )
    .unwrap();
    line.extend_from_slice(desc);
    // What the type's describe() appends after the description.
    line.extend_from_slice([&b": 5"[..], b": empty", b": X509.rsa 0123abcd []", b""][(v & 3) as usize]);

    let k = parse_proc_keys_line(&line).expect("a kernel-formatted line parses");
    assert_eq!(k.serial as u32, serial);
    assert!(
        may_match(&k, key_type.as_bytes(), desc),
        "the key's own type and description must match: {:?}",
        String::from_utf8_lossy(&line)
    );
});

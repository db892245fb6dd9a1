//! request-key's configuration parser (programs/request-key/src/conf.rs) on any bytes: a request
//! and a configuration file cut from the input. It must not panic, and what it says must hold:
//! chunks are fgets' pieces of the file, a matching line's command is a piece of that line, the
//! best line is the least wild of the matching ones (first among equals), the command splits
//! into at most 253 arguments without blanks, and the descriptor parser returns pieces of its input.
#![no_main]

// The module is pure and has no dependency: it is compiled here as it is in the program.
#[path = "../../programs/request-key/src/conf.rs"]
#[allow(dead_code)]
mod conf;

use conf::{Best, CommandError, Macros, Request};
use libfuzzer_sys::fuzz_target;

/// Four short fields, then the file: the first four bytes are the fields' lengths (mod 16).
fn split(data: &[u8]) -> Option<([&[u8]; 4], &[u8])> {
    let (lens, mut rest) = data.split_at_checked(4)?;
    let mut fields: [&[u8]; 4] = [b""; 4];
    for (f, &l) in fields.iter_mut().zip(lens) {
        let (a, b) = rest.split_at_checked(usize::from(l % 16))?;
        *f = conf::c_str(a);
        rest = b;
    }
    Some((fields, rest))
}

fuzz_target!(|data: &[u8]| {
    // C sees the descriptor up to its first NUL.
    let text = conf::c_str(data);
    let _ = conf::parse_key_descriptor(data).map(|(t, d)| {
        assert!(!t.is_empty() && text.starts_with(t) && !t.contains(&b';'));
        assert!(d.is_empty() || text.ends_with(d));
    });
    let Some(([op, key_type, description, callout], file)) = split(data) else {
        return;
    };
    let req = Request {
        op,
        key_type,
        description,
        callout,
    };

    // The streaming reader cuts the same chunks as next_chunk.
    let mut reader = conf::ChunkReader::new(std::io::BufReader::with_capacity(13, file));
    let mut chunk = Vec::new();
    let mut rest = file;
    while reader.next_into(&mut chunk).unwrap() {
        let (c, r) = conf::next_chunk(rest).unwrap();
        assert_eq!(c, chunk.as_slice());
        assert!(c.len() <= conf::LINE_BUFFER - 1);
        rest = r;
    }
    assert!(rest.is_empty());

    // Line by line, the best as the program keeps it.
    let mut best = Best::default();
    let mut least: Option<[u32; 4]> = None;
    let mut rest = file;
    while let Some((c, r)) = conf::next_chunk(rest) {
        rest = r;
        match conf::match_line(c, &req, &mut |t| {
            if let Some(w) = t.wildness {
                // The bytes the * skipped: all the datum but the pattern's other bytes.
                let fixed = t.pattern.len() - usize::from(t.pattern.contains(&b'*'));
                assert_eq!(usize::try_from(w).unwrap(), t.datum.len() - fixed);
                assert!(t.pattern.contains(&b'*') || t.pattern == t.datum);
            }
        }) {
            Ok(Some(m)) => {
                assert!(!m.command.is_empty());
                assert!(c.windows(m.command.len()).any(|w| w == m.command));
                assert!(!m.command.first().is_some_and(|&b| conf::is_space(b)));
                let kept = best.offer(&m);
                assert_eq!(kept, least.is_none_or(|l| m.wildness < l));
                if kept {
                    least = Some(m.wildness);
                }
            }
            Ok(None) => {}
            Err(_) => break,
        }
    }
    let mut confline = 0;
    let mut again = Best::default();
    if conf::scan_bytes(file, &req, &mut again, &mut confline).is_ok() {
        assert_eq!(again, best);
    }

    if best.found() {
        let macros = Macros {
            op,
            key: b"1",
            key_type,
            description,
            callout,
            uid: b"0",
            gid: b"0",
            thread_keyring: b"0",
            process_keyring: b"0",
            session_keyring: b"2",
        };
        let mut keysub = |t: &[u8], d: &[u8]| -> Result<(i32, Vec<u8>), CommandError> {
            assert!(!t.is_empty() && !d.is_empty() && !t.contains(&b':') && !d.contains(&b'}'));
            Ok((3, d.to_vec()))
        };
        if let Ok(cmd) = conf::expand_command(&best.command, &macros, &mut keysub, &mut |_| {}) {
            assert!(cmd.args.len() < conf::MAX_ARGS);
            assert!(!cmd.prog.iter().any(|&b| conf::is_space(b)));
            if let Some(a0) = &cmd.argv0 {
                assert!(cmd.prog.ends_with(a0) && !a0.contains(&b'/'));
            }
        }
    }
});

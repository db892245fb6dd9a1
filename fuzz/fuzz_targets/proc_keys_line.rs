//! `parse_proc_keys_line` and `may_match` on any bytes: input is `line [NUL type NUL desc]`.
//! Nothing may panic; the parts returned must be pieces of the line; a match must be one.
#![no_main]

use keyutils::parse::{may_match, parse_proc_keys_line};
use libfuzzer_sys::fuzz_target;

/// Whether `part` lies inside `whole` (same memory), as a parser that only slices must return.
fn inside(part: &[u8], whole: &[u8]) -> bool {
    let (p, w) = (part.as_ptr() as usize, whole.as_ptr() as usize);
    p >= w && p + part.len() <= w + whole.len()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0);
    let line = parts.next().unwrap_or_default();
    let want_type = parts.next().unwrap_or(b"user");
    let want_desc = parts.next().unwrap_or_default();
    let Some(k) = parse_proc_keys_line(line) else {
        return;
    };
    assert!(inside(k.shown_type, line) && inside(k.text, line));
    assert!(!k.shown_type.is_empty() && !k.shown_type.contains(&b' '));
    assert!(line.starts_with(b" ") || line[0].is_ascii_hexdigit());
    if may_match(&k, want_type, want_desc) {
        assert!(k.text.starts_with(want_desc));
        assert!(
            k.shown_type == want_type
                || (k.shown_type.len() == 9 && want_type.starts_with(k.shown_type))
        );
    }
});

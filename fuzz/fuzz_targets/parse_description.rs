//! `parse_description` on any bytes: it must not panic, and what it accepts must be the input
//! split at its first four `;`, each number field a well-formed number.
#![no_main]

use keyutils::parse::parse_description;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(d) = parse_description(data) else {
        // Refused: then the input cannot have four `;` with a non-empty type before the first.
        let fields: Vec<&[u8]> = data.splitn(5, |&b| b == b';').collect();
        if fields.len() == 5 && !fields[0].is_empty() {
            // Only a malformed number field may explain a refusal.
            let number_ok = |f: &[u8], hex: bool| {
                let digits = if hex {
                    f
                } else {
                    f.strip_prefix(b"-").or(f.strip_prefix(b"+")).unwrap_or(f)
                };
                !digits.is_empty()
                    && digits.len() <= if hex { 8 } else { 18 }
                    && digits.iter().all(|b| {
                        if hex {
                            b.is_ascii_hexdigit()
                        } else {
                            b.is_ascii_digit()
                        }
                    })
            };
            assert!(
                !(number_ok(fields[1], false)
                    && number_ok(fields[2], false)
                    && number_ok(fields[3], true)),
                "well-formed description refused"
            );
        }
        return;
    };
    assert!(!d.key_type.is_empty());
    assert!(!d.key_type.contains(&b';'));
    assert!(data.starts_with(d.key_type));
    assert_eq!(data[d.key_type.len()], b';');
    assert!(data.ends_with(d.description));
    // The three number fields sit between the type and the description.
    let middle = &data[d.key_type.len() + 1..data.len() - d.description.len()];
    assert_eq!(middle.iter().filter(|&&b| b == b';').count(), 3);
    assert_eq!(middle.last(), Some(&b';'));
    let fields: Vec<&[u8]> = middle[..middle.len() - 1].split(|&b| b == b';').collect();
    let dec = |f: &[u8]| core::str::from_utf8(f).ok()?.parse::<i64>().ok();
    assert_eq!(dec(fields[0]), Some(d.uid));
    assert_eq!(dec(fields[1]), Some(d.gid));
    assert_eq!(
        u32::from_str_radix(core::str::from_utf8(fields[2]).unwrap(), 16).ok(),
        Some(d.perm)
    );
});

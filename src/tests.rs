//! Unit tests of the pure parts; the behaviour against the kernel is tested from C (`ctests/`).

use crate::parse::*;

#[test]
fn header_is_fresh() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/keyutils.h"));
    let committed = include_str!("../include/keyutils.h");
    assert!(
        generated == committed,
        "include/keyutils.h is not what cbindgen generates from the sources: run `make header`"
    );
}

#[test]
fn describe_output_is_split_at_the_first_four_semicolons() {
    let d = parse_description(b"user;0;-1;3f010000;a;b c").unwrap();
    assert_eq!(d.key_type, b"user");
    assert_eq!((d.uid, d.gid, d.perm), (0, -1, 0x3f01_0000));
    assert_eq!(d.description, b"a;b c");
    assert_eq!(
        parse_description(b"keyring;0;0;3f030000;")
            .unwrap()
            .description,
        b""
    );
}

#[test]
fn malformed_describe_output_is_refused() {
    for bad in [
        &b""[..],
        b"user",
        b"user;0;0;3f",
        b";0;0;1;x",
        b"user;x;0;1;d",
        b"user;0;0;fffffffff;d",
    ] {
        assert!(
            parse_description(bad).is_none(),
            "{:?}",
            core::str::from_utf8(bad)
        );
    }
}

#[test]
fn proc_keys_line_keeps_leading_spaces_of_the_description() {
    let line = b"1a2b3c4d I--Q---     1 perm 3f010000     0     0 user        two spaces: 5";
    let k = parse_proc_keys_line(line).unwrap();
    assert_eq!(k.serial, 0x1a2b_3c4d);
    assert_eq!(k.shown_type, b"user");
    assert_eq!(k.text, b"  two spaces: 5");
    assert!(may_match(&k, b"user", b"  two spaces"));
    assert!(!may_match(&k, b"user", b"two spaces"));
    assert!(
        may_match(&k, b"user", b"  two"),
        "a space may follow the description"
    );
    assert!(
        !may_match(&k, b"user", b"  tw"),
        "only ':', ' ' or the end may follow it"
    );
}

#[test]
fn an_empty_description_matches_only_keys_shown_with_an_empty_one() {
    let line = |text: &str| format!("1 I------ 1 perm 3f010000 0 0 user      {text}");
    let named = line("name: 5");
    let empty = line(": 5");
    assert!(!may_match(
        &parse_proc_keys_line(named.as_bytes()).unwrap(),
        b"user",
        b""
    ));
    assert!(may_match(
        &parse_proc_keys_line(empty.as_bytes()).unwrap(),
        b"user",
        b""
    ));
}

#[test]
fn proc_keys_type_cut_to_nine_columns_still_matches() {
    let line = b"0000abcd I------     1 perm 3f010000     0     0 asymmetri my-cert: X509.rsa []";
    let k = parse_proc_keys_line(line).unwrap();
    assert_eq!(k.shown_type, b"asymmetri");
    assert!(may_match(&k, b"asymmetric", b"my-cert"));
    assert!(!may_match(&k, b"asym", b"my-cert"));
}

#[test]
fn short_or_garbled_proc_keys_lines_are_skipped() {
    for bad in [&b""[..], b"zz I 1 perm 1 0 0 user d", b"1 I 1 perm 1 0 0"] {
        assert!(parse_proc_keys_line(bad).is_none());
    }
}

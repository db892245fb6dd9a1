use super::*;

const REQ: Request<'static> = Request {
    op: b"create",
    key_type: b"user",
    description: b"debug:1234",
    callout: b"negate",
};

fn line(s: &[u8]) -> Result<Option<LineMatch<'_>>, LineError> {
    match_line(s, &REQ, &mut |_| {})
}

#[test]
fn patterns() {
    assert_eq!(match_pattern(b"user", b"user"), Some(0));
    assert_eq!(match_pattern(b"user", b"users"), None);
    assert_eq!(match_pattern(b"*", b""), Some(0));
    assert_eq!(match_pattern(b"*", b"abc"), Some(3));
    assert_eq!(match_pattern(b"debug:*", b"debug:1234"), Some(4));
    assert_eq!(match_pattern(b"debug:*", b"debug:"), Some(0));
    assert_eq!(match_pattern(b"debug:*", b"debug"), None);
    assert_eq!(match_pattern(b"*1234", b"debug:1234"), Some(6));
    assert_eq!(match_pattern(b"*1234", b"debug:1235"), None);
    // The man page's wildcard anywhere: prefix and suffix both checked.
    assert_eq!(match_pattern(b"abc*def", b"abcXXdef"), Some(2));
    assert_eq!(match_pattern(b"abc*def", b"abcXXabc"), None);
    assert_eq!(match_pattern(b"abc*def", b"abcdef"), Some(0));
    // Prefix and suffix may not overlap.
    assert_eq!(match_pattern(b"ab*ba", b"aba"), None);
    // Only the first * is a wildcard.
    assert_eq!(match_pattern(b"a*b*", b"aXXb*"), Some(2));
    assert_eq!(match_pattern(b"a*b*", b"aXXbY"), None);
    assert_eq!(match_pattern(b"", b""), Some(0));
}

#[test]
fn lines_and_fields() {
    let m = line(b"create user debug:* negate /bin/keyctl negate %k 30 %S\n")
        .unwrap()
        .unwrap();
    assert_eq!(m.wildness, [0, 0, 4, 0]);
    assert_eq!(m.command, b"/bin/keyctl negate %k 30 %S");
    // Tabs, several blanks, trailing blanks kept in the command.
    let m = line(b"create\t\tuser \t * * \t/bin/x  a \n")
        .unwrap()
        .unwrap();
    assert_eq!(m.wildness, [0, 0, 10, 6]);
    assert_eq!(m.command, b"/bin/x  a ");
    // Comments and blank lines.
    assert_eq!(line(b"# create user * * /bin/x\n"), Ok(None));
    assert_eq!(line(b"\n"), Ok(None));
    assert_eq!(line(b" create user * * /bin/x\n"), Ok(None));
    assert_eq!(line(b"x"), Ok(None));
    // A lone word is a syntax error before any matching; after a field that does not match,
    // the rest of the line is not looked at.
    assert_eq!(line(b"negate\n"), Err(LineError::Syntax));
    assert_eq!(line(b"negate user\n"), Ok(None));
    // Missing fields after matching ones.
    assert_eq!(line(b"create\n"), Err(LineError::Syntax));
    assert_eq!(line(b"create user\n"), Err(LineError::Syntax));
    assert_eq!(line(b"create user *\n"), Err(LineError::Syntax));
    assert_eq!(line(b"create user * *\n"), Err(LineError::Syntax));
    assert_eq!(line(b"create user * *   \n"), Err(LineError::Syntax));
    assert_eq!(
        line(b"create user * * /bin/x\n").unwrap().unwrap().command,
        b"/bin/x"
    );
    // The last byte goes as if it were the newline.
    assert_eq!(
        line(b"create user * * /bin/xy").unwrap().unwrap().command,
        b"/bin/x"
    );
    // A NUL ends the line for C; a leading NUL is refused.
    assert_eq!(
        line(b"create user * * /bin/xy\0zzz\n")
            .unwrap()
            .unwrap()
            .command,
        b"/bin/x"
    );
    assert_eq!(
        line(b"\0create user * * /bin/x\n"),
        Err(LineError::LeadingNul)
    );
}

#[test]
fn long_lines() {
    let mut l = b"create user * * /bin/".to_vec();
    l.resize(4094, b'x');
    l.push(b'\n');
    assert_eq!(l.len(), 4095);
    assert!(line(&l).unwrap().is_some());
    l.insert(30, b'x');
    assert_eq!(line(&l), Err(LineError::TooLong));
    // The file reader cuts chunks of 4097 bytes, so the error is on the first.
    let mut data = vec![b'#'; 10000];
    data.push(b'\n');
    let mut confline = 0;
    let err = scan_bytes(&data, &REQ, &mut Best::default(), &mut confline).unwrap_err();
    assert_eq!(
        err,
        ScanError {
            line: 1,
            error: LineError::TooLong
        }
    );
}

#[test]
fn chunks_as_fgets() {
    let data = b"a\nbb\n\nccc";
    let mut rest = &data[..];
    let mut got = Vec::new();
    while let Some((c, r)) = next_chunk(rest) {
        got.push(c.to_vec());
        rest = r;
    }
    assert_eq!(
        got,
        vec![
            b"a\n".to_vec(),
            b"bb\n".to_vec(),
            b"\n".to_vec(),
            b"ccc".to_vec()
        ]
    );
    let long = vec![b'z'; 9000];
    let (c, r) = next_chunk(&long).unwrap();
    assert_eq!((c.len(), r.len()), (4097, 9000 - 4097));
    // The streaming reader cuts the same chunks.
    let mut both = long.clone();
    both.extend_from_slice(b"\nq\n");
    let mut reader = ChunkReader::new(std::io::BufReader::with_capacity(7, &both[..]));
    let mut buf = Vec::new();
    let mut lens = Vec::new();
    while reader.next_into(&mut buf).unwrap() {
        lens.push(buf.len());
    }
    assert_eq!(lens, vec![4097, 4097, 9000 - 2 * 4097 + 1, 2]);
}

#[test]
fn ranking() {
    let conf = b"create user * * /bin/wild\n\
                 create * debug:1234 * /bin/typewild\n\
                 create user debug:* * /bin/desc\n\
                 create user debug:* negate /bin/desc-exact-callout\n\
                 create user debug:* negate /bin/same-later\n";
    let mut best = Best::default();
    let mut confline = 0;
    scan_bytes(conf, &REQ, &mut best, &mut confline).unwrap();
    assert_eq!(best.command, b"/bin/desc-exact-callout");
    assert_eq!(best.wildness, [0, 0, 4, 0]);
    assert_eq!(confline, 6);
    // A second scan keeps the best of the first unless it finds a less wild line.
    let neg = Request {
        op: b"negate",
        ..REQ
    };
    scan_bytes(b"negate * * * /bin/neg\n", &neg, &mut best, &mut confline).unwrap();
    assert_eq!(best.command, b"/bin/desc-exact-callout");
    scan_bytes(
        b"negate user debug:1234 negate /bin/neg\n",
        &neg,
        &mut best,
        &mut confline,
    )
    .unwrap();
    assert_eq!(best.command, b"/bin/neg");
}

#[test]
fn descriptors() {
    assert_eq!(
        parse_key_descriptor(b"user;0;0;3f010000;debug:1234"),
        Some((&b"user"[..], &b"debug:1234"[..]))
    );
    assert_eq!(
        parse_key_descriptor(b"user; 0;+0; 0x1f;a;b"),
        Some((&b"user"[..], &b"a;b"[..]))
    );
    assert_eq!(
        parse_key_descriptor(b"user;0;0;0x;d"),
        Some((&b"user"[..], &b"d"[..]))
    );
    assert_eq!(
        parse_key_descriptor(b"user;0;0;0xg;d"),
        Some((&b"user"[..], &b""[..]))
    );
    assert_eq!(
        parse_key_descriptor(b"user;0;0;1f"),
        Some((&b"user"[..], &b""[..]))
    );
    assert_eq!(parse_key_descriptor(b"user;0;0;zz;d"), None);
    assert_eq!(parse_key_descriptor(b";0;0;0;d"), None);
    assert_eq!(parse_key_descriptor(b"user;-;0;1;d"), None);
    assert_eq!(parse_key_descriptor(b""), None);
    assert_eq!(parse_key_descriptor(b"user"), None);
}

fn macros() -> Macros<'static> {
    Macros {
        op: b"create",
        key: b"123",
        key_type: b"user",
        description: b"d e",
        callout: b"c",
        uid: b"0",
        gid: b"1",
        thread_keyring: b"0",
        process_keyring: b"-2",
        session_keyring: b"456",
    }
}

fn expand(cmd: &[u8]) -> Result<Command, CommandError> {
    let mut keysub = |t: &[u8], d: &[u8]| match (t, d) {
        (b"user", b"k:1") => Ok((77, b"hello".to_vec())),
        (b"user", b"bin") => Ok((78, b"a\x01".to_vec())),
        _ => Err(CommandError::KeysubNotFound(126)),
    };
    expand_command(cmd, &macros(), &mut keysub, &mut |_| {})
}

fn args(c: &Command) -> Vec<&[u8]> {
    c.args.iter().map(Vec::as_slice).collect()
}

#[test]
fn macro_expansion() {
    let c = expand(b"/bin/echo %o %k %t %d %c %u %g %T %P %S %%k %x% %kk a%k").unwrap();
    assert!(!c.pipe);
    assert_eq!(c.prog, b"/bin/echo");
    assert_eq!(c.argv0.as_deref(), Some(&b"echo"[..]));
    assert_eq!(
        args(&c),
        vec![
            &b"create"[..],
            b"123",
            b"user",
            b"d e",
            b"c",
            b"0",
            b"1",
            b"0",
            b"-2",
            b"456",
            b"%k",
            b"%x%",
            b"%kk",
            b"a%k"
        ]
    );
    let c = expand(b"|/bin/cat").unwrap();
    assert!(c.pipe && c.args.is_empty());
    assert_eq!(c.argv0.as_deref(), Some(&b"cat"[..]));
    let c = expand(b"keyctl %k").unwrap();
    assert_eq!(c.argv0, None);
    let c = expand(b"/bin/x %{user:k:1}").unwrap();
    assert_eq!(args(&c), vec![&b"hello"[..]]);
    assert_eq!(expand(b"/bin/x %"), Err(CommandError::MissingMacroName));
    assert_eq!(expand(b"/bin/x %q"), Err(CommandError::UnsupportedMacro));
    assert_eq!(
        expand(b"/bin/x %{user}"),
        Err(CommandError::KeysubLacksColon)
    );
    assert_eq!(
        expand(b"/bin/x %{user:a"),
        Err(CommandError::KeysubUnterminated)
    );
    assert_eq!(
        expand(b"/bin/x %{user:a}b"),
        Err(CommandError::KeysubTrailingRubbish)
    );
    assert_eq!(expand(b"/bin/x %{:a}"), Err(CommandError::KeysubTypeEmpty));
    assert_eq!(
        expand(b"/bin/x %{user:}"),
        Err(CommandError::KeysubDescriptionEmpty)
    );
    assert_eq!(
        expand(b"/bin/x %{user:zz}"),
        Err(CommandError::KeysubNotFound(126))
    );
    assert_eq!(
        expand(b"/bin/x %{user:bin}"),
        Err(CommandError::KeysubNotPrintable(78, 1))
    );
    let many: Vec<u8> = std::iter::once(&b"/bin/x"[..])
        .chain(std::iter::repeat_n(&b" a"[..], 253))
        .flatten()
        .copied()
        .collect();
    assert_eq!(expand(&many).unwrap().args.len(), 253);
    let mut more = many.clone();
    more.extend_from_slice(b" a");
    assert_eq!(expand(&more), Err(CommandError::TooManyArguments));
    let strerror = |e: i32| format!("E{e}");
    assert_eq!(
        CommandError::KeysubNotPrintable(78, 0xe9).message(&strerror),
        "keysub 78 data not printable ('e9')\n"
    );
    assert_eq!(
        CommandError::KeysubNotFound(126).message(&strerror),
        "Keysub key not found: E126\n"
    );
}

//! Pure parsers for the two text formats the library reads: the output of KEYCTL_DESCRIBE and the
//! lines of `/proc/keys`. Safe Rust over byte slices, with no allocation, so they can be fuzzed
//! (`fuzz/`) and unit-tested without a kernel.

/// A parsed KEYCTL_DESCRIBE result: `type;uid;gid;perm;description`.
#[derive(Debug, PartialEq, Eq)]
pub struct Description<'a> {
    pub key_type: &'a [u8],
    pub uid: i64,
    pub gid: i64,
    pub perm: u32,
    /// Everything after the fourth `;`: descriptions may themselves contain `;`.
    pub description: &'a [u8],
}

/// Parses describe output (without its trailing NUL). `None` when the four leading fields are
/// not there, which is when keyutils' `sscanf("%[^;];%d;%d;%x;")` fails too.
pub fn parse_description(s: &[u8]) -> Option<Description<'_>> {
    let mut fields = s.splitn(5, |&b| b == b';');
    let key_type = fields.next().filter(|t| !t.is_empty())?;
    let uid = parse_dec(fields.next()?)?;
    let gid = parse_dec(fields.next()?)?;
    let perm = parse_hex(fields.next()?)?;
    let description = fields.next()?;
    Some(Description {
        key_type,
        uid,
        gid,
        perm,
        description,
    })
}

/// A signed decimal field (`%d`): optional sign, at least one digit, nothing else.
fn parse_dec(f: &[u8]) -> Option<i64> {
    let (neg, digits) = match f.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, f),
    };
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = digits
        .iter()
        .fold(0i64, |v, &d| v * 10 + i64::from(d - b'0'));
    Some(if neg { -v } else { v })
}

/// An unsigned hexadecimal field (`%x`) of at most 8 digits.
fn parse_hex(f: &[u8]) -> Option<u32> {
    if f.is_empty() || f.len() > 8 {
        return None;
    }
    f.iter()
        .try_fold(0u32, |v, &d| Some(v << 4 | char::from(d).to_digit(16)?))
}

/// The width of the type column of `/proc/keys` (`%-9.9s`): longer type names are cut to it.
pub(crate) const PROC_TYPE_WIDTH: usize = 9;

/// The parts of one `/proc/keys` line that a lookup needs.
#[derive(Debug, PartialEq, Eq)]
pub struct ProcKey<'a> {
    pub serial: i32,
    /// The type as shown: at most [`PROC_TYPE_WIDTH`] bytes, so possibly cut short.
    pub shown_type: &'a [u8],
    /// The type's own description text: for every type the kernel ships, the key's description
    /// first, then type-specific detail (`: 5`, `: empty`, ...). Leading spaces are kept.
    pub text: &'a [u8],
}

/// Parses a `/proc/keys` line (without its newline):
/// `serial flags usage timeout perm uid gid type<pad to 9> text`.
pub fn parse_proc_keys_line(line: &[u8]) -> Option<ProcKey<'_>> {
    let mut pos = 0;
    let serial_field = next_token(line, &mut pos)?;
    let serial = parse_hex(serial_field)?;
    for _ in 0..6 {
        next_token(line, &mut pos)?;
    }
    let type_start = skip_spaces(line, pos);
    let shown_type = next_token(line, &mut pos)?;
    // The type column is exactly PROC_TYPE_WIDTH wide and followed by one space, so the text
    // starts at a fixed offset from it even when it begins with spaces of its own.
    let text_start = type_start + PROC_TYPE_WIDTH + 1;
    let padding = line.get(type_start + shown_type.len()..text_start);
    let text = match padding {
        Some(pad) if shown_type.len() <= PROC_TYPE_WIDTH && pad.iter().all(|&b| b == b' ') => {
            line.get(text_start..)?
        }
        // Not the layout we know: take the text after the type and its separating spaces.
        _ => line.get(skip_spaces(line, pos)..)?,
    };
    Some(ProcKey {
        serial: serial as i32,
        shown_type,
        text,
    })
}

fn skip_spaces(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && s[i] == b' ' {
        i += 1;
    }
    i
}

fn next_token<'a>(s: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    let start = skip_spaces(s, *pos);
    let mut end = start;
    while end < s.len() && s[end] != b' ' {
        end += 1;
    }
    *pos = end;
    s.get(start..end).filter(|t| !t.is_empty())
}

/// Whether a `/proc/keys` line may show a key of type `want_type` and description `want_desc`:
/// the type as shown (or its first 9 bytes), then the description followed by `:`, a space or the
/// end of the line, as keyutils requires. A filter only: the caller confirms with KEYCTL_DESCRIBE,
/// which shows the whole type and description that `/proc/keys` may cut short. Its candidates are
/// keyutils' candidates, so the errors it meets while confirming them are the same.
pub fn may_match(k: &ProcKey<'_>, want_type: &[u8], want_desc: &[u8]) -> bool {
    let type_ok = k.shown_type == want_type
        || (k.shown_type.len() == PROC_TYPE_WIDTH && want_type.starts_with(k.shown_type));
    type_ok
        && k.text
            .strip_prefix(want_desc)
            .is_some_and(|after| matches!(after.first(), None | Some(b':') | Some(b' ')))
}

//! key.dns_resolver.conf(5): `key[=value]` lines, as keyutils 1.6.3 reads them.
//!
//! The file is read in the pieces C's `fgets(buf, 4095)` gives (a line, or 4094 bytes of a
//! longer one), each up to a first NUL. A piece without its newline is an error, so is a last
//! line without one. Values may be quoted ('' or "") and may escape space, tab, quotes and
//! backslash; an unquoted `#` ends the value. Only `default_ttl` is known: an unsigned number
//! as `sscanf("%u")` reads it, from 1 to INT_MAX. Unknown keys are warned about and skipped.

/// What reading the file gave: warnings (in file order) and either the default TTL it set
/// (None: not set) or the error that stopped it (the text after "Error: ").
#[derive(Debug, PartialEq, Eq)]
pub struct Parsed {
    pub warnings: Vec<String>,
    pub result: Result<Option<u32>, String>,
}

const FGETS_MAX: usize = 4094;

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The pieces `fgets(buf, 4095, f)` returns, in order.
fn fgets_pieces(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let lim = rest.len().min(FGETS_MAX);
        let head = rest.get(..lim).unwrap_or_default();
        let n = match head.iter().position(|&c| c == b'\n') {
            Some(i) => i + 1,
            None => lim,
        };
        let (piece, tail) = rest.split_at(n.min(rest.len()));
        out.push(piece);
        rest = tail;
    }
    out
}

/// `sscanf(v, "%u%n", &u, &n)`: Some((u, n)) when a number was read.
pub fn scan_u32(v: &[u8]) -> Option<(u32, usize)> {
    let mut i = 0;
    while v.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    let mut neg = false;
    if let Some(&c) = v.get(i) {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i += 1;
        }
    }
    let start = i;
    let mut acc: u64 = 0;
    let mut overflow = false;
    while let Some(&c) = v.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        match acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(u64::from(c - b'0')))
        {
            Some(a) => acc = a,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    // strtoul: an overflow gives ULONG_MAX whatever the sign; otherwise '-' negates modulo 2^64.
    let val = if overflow {
        u64::MAX
    } else if neg {
        acc.wrapping_neg()
    } else {
        acc
    };
    // scanf stores the unsigned long into an unsigned int: the low 32 bits.
    Some((val as u32, i))
}

/// Parses the contents of the file named NAME (NAME is only used in messages).
pub fn parse(name: &str, data: &[u8]) -> Parsed {
    let mut warnings = Vec::new();
    let mut ttl = None;
    let mut line = 0u32;
    for piece in fgets_pieces(data) {
        line += 1;
        let piece = crate::out::c_str(piece);
        let lead = piece.iter().take_while(|&&c| is_space(c)).count();
        let b = piece.get(lead..).unwrap_or_default();
        if b.is_empty() || b.first() == Some(&b'#') {
            continue;
        }
        let Some(nl) = b.iter().position(|&c| c == b'\n') else {
            return fail(
                warnings,
                format!("{name}:{line}: line missing newline or too long"),
            );
        };
        let mut end = nl;
        while end > 0 && b.get(end - 1).is_some_and(|&c| is_space(c)) {
            end -= 1;
        }
        let text = b.get(..end).unwrap_or_default();
        let (key, value) = match text.iter().position(|&c| c == b'=') {
            None => (text, None),
            Some(0) => return fail(warnings, format!("{name}:{line}: Unspecified key")),
            Some(eq) => {
                let mut kend = eq;
                while kend > 0 && text.get(kend - 1).is_some_and(|&c| is_space(c)) {
                    kend -= 1;
                }
                let key = text.get(..kend).unwrap_or_default();
                let ks = String::from_utf8_lossy(key);
                let raw = text.get(eq + 1..).unwrap_or_default();
                let skip = raw.iter().take_while(|&&c| is_space(c)).count();
                let raw = raw.get(skip..).unwrap_or_default();
                if raw.is_empty() {
                    return fail(warnings, format!("{name}:{line}: {ks}: Missing value"));
                }
                match unquote(raw) {
                    Ok(v) => (key, Some(v)),
                    Err(Unquote::BadEscape) => {
                        return fail(
                            warnings,
                            format!("{name}:{line}: {ks}: Invalid char in escape"),
                        )
                    }
                    Err(Unquote::AfterQuote) => {
                        return fail(
                            warnings,
                            format!("{name}:{line}: {ks}: Data after closing quote"),
                        )
                    }
                    Err(Unquote::OpenEscape) => {
                        return fail(warnings, format!("{name}:{line}: Incomplete escape"))
                    }
                    Err(Unquote::OpenQuote) => {
                        return fail(warnings, format!("{name}:{line}: Unclosed quotes"))
                    }
                }
            }
        };
        let ks = String::from_utf8_lossy(key);
        if key == b"default_ttl" {
            let Some(v) = value else {
                return fail(warnings, format!("{name}:{line}: {ks}: Missing value"));
            };
            let Some((u, n)) = scan_u32(&v) else {
                return fail(warnings, format!("{name}:{line}: {ks}: Bad value"));
            };
            if n < v.len() {
                return fail(
                    warnings,
                    format!("{name}:{line}: {ks}: Extra data supplied"),
                );
            }
            if u < 1 || u > i32::MAX as u32 {
                return fail(warnings, format!("{name}:{line}: {ks}: Value out of range"));
            }
            ttl = Some(u);
        } else {
            warnings.push(format!("{name}:{line}: Unknown option '{ks}'"));
        }
    }
    Parsed {
        warnings,
        result: Ok(ttl),
    }
}

fn fail(warnings: Vec<String>, e: String) -> Parsed {
    Parsed {
        warnings,
        result: Err(e),
    }
}

enum Unquote {
    BadEscape,
    AfterQuote,
    OpenEscape,
    OpenQuote,
}

/// A value's text after the '=' (leading spaces gone, not empty): quotes and escapes resolved,
/// an unquoted '#' ending it.
fn unquote(raw: &[u8]) -> Result<Vec<u8>, Unquote> {
    let mut quote = 0u8;
    let mut rest = raw;
    if let Some(&q) = raw.first() {
        if q == b'"' || q == b'\'' {
            quote = q;
            rest = raw.get(1..).unwrap_or_default();
        }
    }
    let mut v = Vec::new();
    let mut esc = false;
    let mut i = 0;
    while let Some(&c) = rest.get(i) {
        if esc {
            if !matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'\\') {
                return Err(Unquote::BadEscape);
            }
            esc = false;
            v.push(c);
            i += 1;
            continue;
        }
        if c == b'\\' {
            esc = true;
            i += 1;
            continue;
        }
        if quote != 0 && c == quote {
            if i + 1 < rest.len() {
                return Err(Unquote::AfterQuote);
            }
            quote = 0;
            break;
        }
        if quote == 0 && c == b'#' {
            break;
        }
        v.push(c);
        i += 1;
    }
    if esc {
        return Err(Unquote::OpenEscape);
    }
    if quote != 0 {
        return Err(Unquote::OpenQuote);
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ttl(s: &str) -> Result<Option<u32>, String> {
        parse("f", s.as_bytes()).result
    }

    #[test]
    fn values() {
        assert_eq!(ttl(""), Ok(None));
        assert_eq!(ttl("default_ttl=7\n"), Ok(Some(7)));
        assert_eq!(ttl("  default_ttl  =  '9'  \n"), Ok(Some(9)));
        assert_eq!(
            ttl("default_ttl = \"1\\ \"\n").unwrap_err(),
            "f:1: default_ttl: Extra data supplied"
        );
        assert_eq!(ttl("default_ttl=+5\n"), Ok(Some(5)));
        assert_eq!(ttl("default_ttl=4294967301\n"), Ok(Some(5)));
        assert_eq!(
            ttl("default_ttl=-1\n").unwrap_err(),
            "f:1: default_ttl: Value out of range"
        );
        assert_eq!(
            ttl("default_ttl=0\n").unwrap_err(),
            "f:1: default_ttl: Value out of range"
        );
        assert_eq!(ttl("default_ttl=2147483647\n"), Ok(Some(2147483647)));
        assert_eq!(
            ttl("default_ttl=2147483648\n").unwrap_err(),
            "f:1: default_ttl: Value out of range"
        );
        assert_eq!(
            ttl("default_ttl=5 # c\n").unwrap_err(),
            "f:1: default_ttl: Extra data supplied"
        );
        assert_eq!(ttl("default_ttl=5# c\n"), Ok(Some(5)));
        assert_eq!(
            ttl("default_ttl=x\n").unwrap_err(),
            "f:1: default_ttl: Bad value"
        );
        assert_eq!(
            ttl("default_ttl\n").unwrap_err(),
            "f:1: default_ttl: Missing value"
        );
        assert_eq!(
            ttl("default_ttl=\n").unwrap_err(),
            "f:1: default_ttl: Missing value"
        );
        assert_eq!(ttl("=3\n").unwrap_err(), "f:1: Unspecified key");
        assert_eq!(ttl("default_ttl='3\n").unwrap_err(), "f:1: Unclosed quotes");
        assert_eq!(
            ttl("default_ttl='3'x\n").unwrap_err(),
            "f:1: default_ttl: Data after closing quote"
        );
        assert_eq!(
            ttl("default_ttl=3\\\n").unwrap_err(),
            "f:1: Incomplete escape"
        );
        assert_eq!(
            ttl("default_ttl=\\n\n").unwrap_err(),
            "f:1: default_ttl: Invalid char in escape"
        );
        assert_eq!(
            ttl("default_ttl=3").unwrap_err(),
            "f:1: line missing newline or too long"
        );
        assert_eq!(ttl("# c\n\n   \n#x"), Ok(None));
    }

    #[test]
    fn warnings_and_long_lines() {
        let p = parse("f", b"foo\nbar = 1\ndefault_ttl=2\n");
        assert_eq!(
            p.warnings,
            vec!["f:1: Unknown option 'foo'", "f:2: Unknown option 'bar'"]
        );
        assert_eq!(p.result, Ok(Some(2)));
        let long = format!("x={}\n", "a".repeat(5000));
        assert_eq!(
            ttl(&long).unwrap_err(),
            "f:1: line missing newline or too long"
        );
        assert_eq!(scan_u32(b" 12x"), Some((12, 3)));
        assert_eq!(scan_u32(b"-"), None);
    }
}

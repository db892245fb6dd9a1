//! request-key.conf(5) without I/O: how keyutils 1.6.3 cuts a configuration file into lines,
//! splits a line into its fields, matches the fields against a request, ranks the matching lines,
//! splits the chosen command into arguments and expands its `%` macros.
//!
//! Every function here is total: any bytes in, a value or an error out, never a panic. The
//! program (`main.rs`) does the reading, logging and running; `fuzz/` runs this module on random
//! files.

/// The size of the line buffer keyutils reads with `fgets` (4096 + 2): a read returns at most
/// one byte less, and a line of 4096 bytes or more (its newline included) is refused.
pub const LINE_BUFFER: usize = 4096 + 2;
const CHUNK_MAX: usize = LINE_BUFFER - 1;
const LINE_MAX: usize = LINE_BUFFER - 2;
/// `argv` has 256 slots in keyutils; the 254th argument is refused.
pub const MAX_ARGS: usize = 254;

/// What a line is matched against: the kernel's operation, the key's type and description and
/// the callout information (each cut at its first NUL, as C strings are).
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub op: &'a [u8],
    pub key_type: &'a [u8],
    pub description: &'a [u8],
    pub callout: &'a [u8],
}

/// The next piece of `data` as `fgets` into the 4098-byte buffer returns it: through the next
/// newline, or 4097 bytes, or the rest of the data; `None` at the end.
#[cfg_attr(not(test), allow(dead_code))] // the unit tests and fuzz/ use it
pub fn next_chunk(data: &[u8]) -> Option<(&[u8], &[u8])> {
    if data.is_empty() {
        return None;
    }
    let window = data.get(..CHUNK_MAX).unwrap_or(data);
    let end = match window.iter().position(|&b| b == b'\n') {
        Some(i) => i + 1,
        None => window.len(),
    };
    data.split_at_checked(end)
}

/// The bytes of `s` before its first NUL: what C's string functions see.
pub fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(i) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

/// `isspace` in the C locale (request-key never calls `setlocale`).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Why a line stops the whole program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineError {
    /// 4096 bytes or more before the newline: "Line too long".
    TooLong,
    /// A field is missing: "Syntax error".
    Syntax,
    /// The line starts with a NUL byte. keyutils 1.6.3 then writes 4 GiB past its line buffer
    /// and dies on SIGSEGV ("Died on signal 11"); we refuse the line as a syntax error.
    LeadingNul,
}

/// A matching line: how many bytes each of its four patterns skipped with `*`, and its command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMatch<'a> {
    pub wildness: [u32; 4],
    pub command: &'a [u8],
}

/// One comparison of a pattern with a datum, for the `-vv` trace; `wildness` is `None` when they
/// did not match.
#[derive(Clone, Copy, Debug)]
pub struct MatchTrace<'a> {
    pub pattern: &'a [u8],
    pub datum: &'a [u8],
    pub wildness: Option<u32>,
}

/// Match `datum` against `pattern`, which may hold one `*` standing for any run of bytes
/// (request-key.conf(5)): `Some(bytes the * skipped)` or `None`. A pattern without `*` must be
/// equal (then 0 bytes were skipped); only the first `*` is a wildcard, later ones are literal.
///
/// keyutils 1.6.3 compares a pattern `abc*def` with the datum's end using the pattern's *first*
/// bytes (`abc`), so such a pattern matches `abcXXabc` and not `abcXXdef`. The manual page says
/// the `*` may be anywhere; we match what it says (see the README, "Differences").
pub fn match_pattern(pattern: &[u8], datum: &[u8]) -> Option<u32> {
    let Some(star) = pattern.iter().position(|&b| b == b'*') else {
        return (pattern == datum).then_some(0);
    };
    let fixed = pattern.len() - 1;
    if datum.len() < fixed {
        return None;
    }
    let (prefix, rest) = pattern.split_at_checked(star)?;
    let suffix = rest.get(1..)?;
    if datum.starts_with(prefix) && datum.ends_with(suffix) {
        u32::try_from(datum.len() - fixed).ok()
    } else {
        None
    }
}

fn skip_space(line: &[u8], mut i: usize) -> usize {
    while line.get(i).is_some_and(|&b| is_space(b)) {
        i += 1;
    }
    i
}

fn skip_word(line: &[u8], mut i: usize) -> usize {
    while line.get(i).is_some_and(|&b| !is_space(b)) {
        i += 1;
    }
    i
}

/// Look at one chunk of a configuration file (from [`next_chunk`]) as keyutils 1.6.3 does:
/// `Ok(None)` for a comment, a blank line or a line whose patterns do not all match;
/// `Ok(Some(..))` for a matching line. Each pattern comparison is reported to `trace` as it is
/// made. A field missing after the fields that matched is a syntax error; a line that stops
/// matching earlier is passed over whatever follows, as in keyutils.
///
/// The chunk's last byte is dropped as its newline even when it is not one (the last line of a
/// file without a final newline loses its last character, as in keyutils).
pub fn match_line<'a>(
    chunk: &'a [u8],
    req: &Request<'_>,
    trace: &mut dyn FnMut(MatchTrace<'_>),
) -> Result<Option<LineMatch<'a>>, LineError> {
    let text = c_str(chunk);
    if text.len() >= LINE_MAX {
        return Err(LineError::TooLong);
    }
    let Some((&first, _)) = text.split_first() else {
        return Err(LineError::LeadingNul);
    };
    if text.len() == 1 || first == b'#' || is_space(first) {
        return Ok(None);
    }
    let line = text.get(..text.len() - 1).unwrap_or(text);
    let data = [req.op, req.key_type, req.description, req.callout];
    let mut wildness = [0u32; 4];
    let mut p = 0;
    for (field, datum) in data.iter().enumerate() {
        if field > 0 {
            // Step over the separator the previous field ended on, then the blanks.
            p = skip_space(line, p + 1);
            if p >= line.len() {
                return Err(LineError::Syntax);
            }
        }
        let start = p;
        p = skip_word(line, p);
        if p >= line.len() {
            return Err(LineError::Syntax);
        }
        let pattern = line.get(start..p).unwrap_or_default();
        let found = match_pattern(pattern, datum);
        trace(MatchTrace {
            pattern,
            datum,
            wildness: found,
        });
        match (found, wildness.get_mut(field)) {
            (Some(w), Some(slot)) => *slot = slot.wrapping_add(w),
            _ => return Ok(None),
        }
    }
    let p = skip_space(line, p + 1);
    match line.get(p..) {
        Some(command) if !command.is_empty() => Ok(Some(LineMatch { wildness, command })),
        _ => Err(LineError::Syntax),
    }
}

/// The best line so far: the least wild, ranking the four fields left to right; among equals,
/// the first read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Best {
    pub wildness: [u32; 4],
    pub command: Vec<u8>,
}

impl Default for Best {
    fn default() -> Self {
        Best {
            wildness: [u32::MAX; 4],
            command: Vec::new(),
        }
    }
}

impl Best {
    /// Keep `m` if it is strictly less wild than the best so far; says whether it was kept.
    pub fn offer(&mut self, m: &LineMatch<'_>) -> bool {
        if m.wildness < self.wildness {
            self.wildness = m.wildness;
            self.command.clear();
            self.command.extend_from_slice(m.command);
            true
        } else {
            false
        }
    }

    pub fn found(&self) -> bool {
        !self.command.is_empty()
    }
}

/// A line error with the number of the line (counted from 1, one per chunk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub struct ScanError {
    pub line: u32,
    pub error: LineError,
}

/// Scan a whole file held in memory, as [`match_line`] and [`Best::offer`] do line by line.
/// `confline` ends as keyutils leaves its line counter: one past the number of chunks read.
/// The program reads files in chunks through [`ChunkReader`] instead; this is for tests and fuzzing.
#[cfg_attr(not(test), allow(dead_code))]
pub fn scan_bytes(
    data: &[u8],
    req: &Request<'_>,
    best: &mut Best,
    confline: &mut u32,
) -> Result<(), ScanError> {
    let mut rest = data;
    *confline = 1;
    while let Some((chunk, tail)) = next_chunk(rest) {
        rest = tail;
        match match_line(chunk, req, &mut |_| {}) {
            Ok(Some(m)) => {
                best.offer(&m);
            }
            Ok(None) => {}
            Err(error) => {
                return Err(ScanError {
                    line: *confline,
                    error,
                });
            }
        }
        *confline = confline.wrapping_add(1);
    }
    Ok(())
}

/// Reads chunks as [`next_chunk`] cuts them, from any buffered reader (files of any size are
/// read a chunk at a time).
pub struct ChunkReader<R> {
    inner: R,
}

impl<R: std::io::BufRead> ChunkReader<R> {
    pub fn new(inner: R) -> Self {
        ChunkReader { inner }
    }

    /// Fill `buf` with the next chunk; `Ok(false)` at the end of the data.
    pub fn next_into(&mut self, buf: &mut Vec<u8>) -> std::io::Result<bool> {
        buf.clear();
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                return Ok(!buf.is_empty());
            }
            let room = CHUNK_MAX - buf.len();
            let window = avail.get(..room).unwrap_or(avail);
            let (take, done) = match window.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (window.len(), window.len() == room),
            };
            buf.extend_from_slice(window.get(..take).unwrap_or_default());
            self.inner.consume(take);
            if done {
                return Ok(true);
            }
        }
    }
}

/// Parse the kernel's description of a key, `type;uid;gid;perm;description`, as keyutils'
/// `sscanf(buf, "%*[^;]%n;%*d;%*d;%x;%n")`: `None` when the type or a number is malformed.
/// When the `;` after the permissions is missing, keyutils reads the description from before its
/// buffer (an empty string in practice); so does this, returning an empty description.
pub fn parse_key_descriptor(buf: &[u8]) -> Option<(&[u8], &[u8])> {
    let buf = c_str(buf);
    let type_len = buf.iter().position(|&b| b == b';').unwrap_or(buf.len());
    if type_len == 0 {
        return None;
    }
    let key_type = buf.get(..type_len)?;
    let mut p = type_len;
    let lit = |p: &mut usize| -> Option<()> { (buf.get(*p) == Some(&b';')).then(|| *p += 1) };
    let digits = |p: &mut usize, hex: bool| -> Option<()> {
        *p = skip_space(buf, *p);
        if matches!(buf.get(*p), Some(b'+' | b'-')) {
            *p += 1;
        }
        let mut n = 0;
        if hex && buf.get(*p) == Some(&b'0') && matches!(buf.get(*p + 1), Some(b'x' | b'X')) {
            *p += 2;
            n = 1;
        }
        while buf.get(*p).is_some_and(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        }) {
            *p += 1;
            n += 1;
        }
        (n > 0).then_some(())
    };
    lit(&mut p)?;
    digits(&mut p, false)?;
    lit(&mut p)?;
    digits(&mut p, false)?;
    lit(&mut p)?;
    digits(&mut p, true)?;
    if lit(&mut p).is_none() {
        return Some((key_type, b""));
    }
    Some((key_type, buf.get(p..).unwrap_or_default()))
}

/// The values the one-letter macros stand for.
#[derive(Clone, Copy, Debug)]
pub struct Macros<'a> {
    pub op: &'a [u8],
    pub key: &'a [u8],
    pub key_type: &'a [u8],
    pub description: &'a [u8],
    pub callout: &'a [u8],
    pub uid: &'a [u8],
    pub gid: &'a [u8],
    pub thread_keyring: &'a [u8],
    pub process_keyring: &'a [u8],
    pub session_keyring: &'a [u8],
}

impl<'a> Macros<'a> {
    fn get(&self, name: u8) -> Option<&'a [u8]> {
        Some(match name {
            b'o' => self.op,
            b'k' => self.key,
            b't' => self.key_type,
            b'd' => self.description,
            b'c' => self.callout,
            b'u' => self.uid,
            b'g' => self.gid,
            b'T' => self.thread_keyring,
            b'P' => self.process_keyring,
            b'S' => self.session_keyring,
            _ => return None,
        })
    }
}

/// Why a command cannot be run; the messages are keyutils'.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommandError {
    TooManyArguments,
    MissingMacroName,
    UnsupportedMacro,
    KeysubLacksColon,
    KeysubUnterminated,
    KeysubTrailingRubbish,
    KeysubTypeEmpty,
    KeysubDescriptionEmpty,
    /// The key of a `%{type:description}` was not found (errno).
    KeysubNotFound(i32),
    /// It was found (serial) but could not be read (errno).
    KeysubUnreadable(i32, i32),
    /// Its payload has a byte that is not printable ASCII (serial, the byte).
    KeysubNotPrintable(i32, u8),
}

impl CommandError {
    /// The message keyutils logs; `strerror` turns an errno into its text. All but the
    /// not-printable one are logged after `:<line>: `.
    pub fn message(&self, strerror: &dyn Fn(i32) -> String) -> String {
        match self {
            CommandError::TooManyArguments => "Too many arguments\n".into(),
            CommandError::MissingMacroName => "Missing macro name\n".into(),
            CommandError::UnsupportedMacro => "Unsupported macro\n".into(),
            CommandError::KeysubLacksColon => "Keysub macro lacks ':'\n".into(),
            CommandError::KeysubUnterminated => "Unterminated keysub macro\n".into(),
            CommandError::KeysubTrailingRubbish => "Keysub macro has trailing rubbish\n".into(),
            CommandError::KeysubTypeEmpty => "Keysub type empty\n".into(),
            CommandError::KeysubDescriptionEmpty => "Keysub description empty\n".into(),
            CommandError::KeysubNotFound(e) => format!("Keysub key not found: {}\n", strerror(*e)),
            CommandError::KeysubUnreadable(k, e) => {
                format!("Can't read keysub {k} data: {}\n", strerror(*e))
            }
            CommandError::KeysubNotPrintable(k, b) => {
                format!("keysub {k} data not printable ('{b:02x}')\n")
            }
        }
    }

    /// keyutils logs these with the configuration line prefix (all but one).
    pub fn has_line_prefix(&self) -> bool {
        !matches!(self, CommandError::KeysubNotPrintable(..))
    }
}

/// A command ready to run: whether it is a `|pipe` handler, the program's path and `argv`.
/// `argv[0]` is the path after its last `/`; `None` when the path has no `/` (keyutils then
/// hands the kernel an invalid pointer as `argv[0]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub pipe: bool,
    pub prog: Vec<u8>,
    pub argv0: Option<Vec<u8>>,
    pub args: Vec<Vec<u8>>,
}

/// Finds the key of a `%{type:description}` macro: its serial and payload.
pub type KeysubLookup<'a> = dyn FnMut(&[u8], &[u8]) -> Result<(i32, Vec<u8>), CommandError> + 'a;

/// What the expansion reports as it goes, in keyutils' order.
pub enum ExpandEvent<'a> {
    /// `argv[N]: 'token'`, before the token's macro is expanded.
    Token(usize, &'a [u8]),
    /// `Keysub: type key "description"`, before the key is looked up.
    Keysub(&'a [u8], &'a [u8]),
}

/// Split `cmdline` (a line's command, as [`Best`] keeps it) into the program and its arguments and
/// expand the macros of request-key.conf(5): `%%...` → `%...`; `%o %k %t %d %c %u %g %T %P %S`;
/// `%{type:description}` → the payload of that key, found by `keysub` (type, description) →
/// `Ok((serial, payload))` or `Err(command error)`. Another argument that starts with `%` and is
/// longer than two bytes is kept as it is, as in keyutils.
pub fn expand_command(
    cmdline: &[u8],
    macros: &Macros<'_>,
    keysub: &mut KeysubLookup<'_>,
    event: &mut dyn FnMut(ExpandEvent<'_>),
) -> Result<Command, CommandError> {
    let (pipe, cmdline) = match cmdline.split_first() {
        Some((b'|', rest)) => (true, rest),
        _ => (false, cmdline),
    };
    let end = skip_word(cmdline, 0);
    let prog = cmdline.get(..end).unwrap_or_default();
    let argv0 = prog
        .iter()
        .rposition(|&b| b == b'/')
        .map(|i| prog.get(i + 1..).unwrap_or_default().to_vec());
    let mut args = Vec::new();
    let mut p = if end < cmdline.len() { end + 1 } else { end };
    loop {
        p = skip_space(cmdline, p);
        if p >= cmdline.len() {
            break;
        }
        if args.len() + 1 >= MAX_ARGS {
            return Err(CommandError::TooManyArguments);
        }
        let start = p;
        p = skip_word(cmdline, p);
        let token = cmdline.get(start..p).unwrap_or_default();
        p += 1;
        event(ExpandEvent::Token(args.len() + 1, token));
        args.push(expand_token(token, macros, keysub, event)?);
    }
    Ok(Command {
        pipe,
        prog: prog.to_vec(),
        argv0,
        args,
    })
}

fn expand_token(
    token: &[u8],
    macros: &Macros<'_>,
    keysub: &mut KeysubLookup<'_>,
    event: &mut dyn FnMut(ExpandEvent<'_>),
) -> Result<Vec<u8>, CommandError> {
    let Some((b'%', name)) = token.split_first() else {
        return Ok(token.to_vec());
    };
    match name {
        [] => Err(CommandError::MissingMacroName),
        [b'%', ..] => Ok(name.to_vec()),
        [one] => macros
            .get(*one)
            .map(<[u8]>::to_vec)
            .ok_or(CommandError::UnsupportedMacro),
        [b'{', inner @ ..] => {
            let colon = inner
                .iter()
                .position(|&b| b == b':')
                .ok_or(CommandError::KeysubLacksColon)?;
            let key_type = inner.get(..colon).unwrap_or_default();
            let after = inner.get(colon + 1..).unwrap_or_default();
            let close = after
                .iter()
                .position(|&b| b == b'}')
                .ok_or(CommandError::KeysubUnterminated)?;
            if close + 1 < after.len() {
                return Err(CommandError::KeysubTrailingRubbish);
            }
            let description = after.get(..close).unwrap_or_default();
            event(ExpandEvent::Keysub(key_type, description));
            if key_type.is_empty() {
                return Err(CommandError::KeysubTypeEmpty);
            }
            if description.is_empty() {
                return Err(CommandError::KeysubDescriptionEmpty);
            }
            let (serial, data) = keysub(key_type, description)?;
            if let Some(&bad) = data.iter().find(|&&b| !(0x20..0x7f).contains(&b)) {
                return Err(CommandError::KeysubNotPrintable(serial, bad));
            }
            Ok(data)
        }
        _ => Ok(token.to_vec()),
    }
}

// By path, so that the module finds its tests wherever it is compiled from (fuzz/ includes it).
#[cfg(test)]
#[path = "conf/tests.rs"]
mod tests;

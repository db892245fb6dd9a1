//! request-key(8): the program the kernel runs, as root, to instantiate a key that a
//! `request_key(2)` call asked for. A drop-in for keyutils 1.6.3's `/sbin/request-key`: the same
//! command line, configuration files (request-key.conf(5)), matching, macros, handlers,
//! messages and exit codes. See the README's request-key section for where it differs.

mod cli;
mod conf;
mod keys;
mod log;
mod run;

use std::ffi::CStr;
use std::io::{BufReader, Write};
use std::os::fd::FromRawFd;
use std::os::unix::ffi::OsStringExt;

use conf::{Best, LineError, Request, c_str};
use log::{Log, cat, fixed, strerror};

/// The sample key `-d` uses when `-D` gives none.
const TEST_DESC: &[u8] = b"user;0;0;1f0000;debug:1234";

/// Everything the configuration scan and the handlers need, as keyutils keeps it in globals.
pub struct Upcall {
    pub log: Log,
    pub debug_mode: bool,
    pub local_dirs: bool,
    pub key_id: i32,
    /// The operation as `%o` gives it ("negate" once a pipe handler failed).
    pub op: Vec<u8>,
    /// The operation as patterns see it: keyutils keeps the first operation's length when it
    /// swaps in "negate", so this is "negate" cut or NUL-padded to that length.
    pub op_datum: Vec<u8>,
    pub key: Vec<u8>,
    pub uid: Vec<u8>,
    pub gid: Vec<u8>,
    pub thread_keyring: Vec<u8>,
    pub process_keyring: Vec<u8>,
    pub session_keyring: Vec<u8>,
    pub key_type: Vec<u8>,
    pub description: Vec<u8>,
    pub callout: Vec<u8>,
    pub best: Best,
    /// keyutils' global line counter: exec-time errors name this line (of no file: keyutils
    /// prints an empty file name there).
    pub confline: u32,
    pub norecurse: bool,
}

/// C's `atoi`: blanks, a sign, digits; what overflows is cut to 32 bits as glibc's is.
fn atoi(s: &[u8]) -> i32 {
    let mut i = 0;
    while s.get(i).is_some_and(|&b| conf::is_space(b)) {
        i += 1;
    }
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let mut v: i64 = 0;
    while let Some(d) = s.get(i).filter(|b| b.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(i64::from(d - b'0'));
        i += 1;
    }
    (if negative { v.saturating_neg() } else { v }) as i32
}

fn main() {
    let args: Vec<Vec<u8>> = std::env::args_os().map(OsStringExt::into_vec).collect();
    if args.len() == 2 && args.get(1).map(Vec::as_slice) == Some(b"--version") {
        let (version, build) = keys::version();
        let line = cat(&[b"request-key from ", &version, b" (Built ", &build, b")\n"]);
        let mut out = std::io::stdout();
        let _ = out.write_all(&line).and_then(|()| out.flush());
        return;
    }

    // SAFETY: setting a signal's disposition to SIG_IGN; no handler code is involved. Handlers
    // inherit the ignored SIGPIPE, as they do from keyutils' request-key.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }

    let prog = args.first().cloned().unwrap_or_default();
    let posixly_correct = std::env::var_os("POSIXLY_CORRECT").is_some();
    let opts = cli::parse(&prog, args.get(1..).unwrap_or_default(), posixly_correct);
    for d in &opts.diagnostics {
        let _ = std::io::stderr().write_all(d);
    }
    let log = Log {
        verbosity: opts.verbosity,
        no_log: opts.no_log,
    };

    let n = opts.operands.len();
    if n != 7 && n != 8 {
        log.error(format!("Unexpected argument count: {n}\n").as_bytes());
    }
    fill_standard_fds(&log);

    let operand = |i: usize| opts.operands.get(i).cloned().unwrap_or_default();
    let op = operand(0);
    let key = operand(1);
    let key_id = atoi(&key);

    if !opts.debug_mode {
        if let Err(e) = keys::assume_authority(key_id) {
            if !(n == 8 || e == libc::EOPNOTSUPP) {
                log.error(
                    format!(
                        "Failed to assume authority over key {key_id} ({})\n",
                        strerror(e)
                    )
                    .as_bytes(),
                );
            }
        }
    }

    let descriptor = if opts.debug_mode {
        opts.test_desc.clone().unwrap_or_else(|| TEST_DESC.to_vec())
    } else {
        match keys::describe(key_id) {
            Ok(d) => d,
            Err(e) => {
                log.error(format!("Key {key_id} is inaccessible ({})\n", strerror(e)).as_bytes())
            }
        }
    };
    let descriptor = c_str(&descriptor).to_vec();
    log.debug(&cat(&[b"Key descriptor: \"", &descriptor, b"\"\n"]));
    let Some((key_type, description)) = conf::parse_key_descriptor(&descriptor) else {
        log.error(b"Failed to parse key description\n");
    };
    log.debug(&cat(&[b"Key type: ", key_type, b"\n"]));
    log.debug(&cat(&[b"Key desc: ", description, b"\n"]));

    let callout = match opts.operands.get(7) {
        Some(c) => c.clone(),
        None => match keys::callout_info() {
            Ok(c) => c_str(&c).to_vec(),
            Err(e) => {
                log.error(format!("Failed to retrieve callout info ({})\n", strerror(e)).as_bytes())
            }
        },
    };
    log.debug(&cat(&[b"CALLOUT: '", &callout, b"'\n"]));

    let mut upcall = Upcall {
        log,
        debug_mode: opts.debug_mode,
        local_dirs: opts.local_dirs,
        key_id,
        op_datum: op.clone(),
        op,
        key,
        uid: operand(2),
        gid: operand(3),
        thread_keyring: operand(4),
        process_keyring: operand(5),
        session_keyring: operand(6),
        key_type: key_type.to_vec(),
        description: description.to_vec(),
        callout,
        best: Best::default(),
        confline: 0,
        norecurse: false,
    };
    upcall.lookup_action()
}

/// keyutils opens /dev/null and duplicates it until descriptors 0, 1 and 2 are open (the kernel
/// starts request-key with none), so that handlers find them open.
fn fill_standard_fds(log: &Log) {
    // SAFETY: open, dup and close on descriptors this function owns; the path is a C literal.
    unsafe {
        let fd = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
        if fd < 0 {
            log.error(b"open");
        }
        if fd > 2 {
            libc::close(fd);
        } else if fd < 2 {
            let ret = libc::dup(fd);
            if ret < 0 {
                log.error(format!("dup failed: {}\n", strerror(last_errno())).as_bytes());
            }
            if ret < 2 && libc::dup(fd) < 0 {
                log.error(format!("dup failed: {}\n", strerror(last_errno())).as_bytes());
            }
        }
    }
}

pub fn last_errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

impl Upcall {
    fn request(&self) -> Request<'_> {
        Request {
            op: &self.op_datum,
            key_type: &self.key_type,
            description: &self.description,
            callout: &self.callout,
        }
    }

    /// Read every configuration file, keep the best line, run its command.
    pub fn lookup_action(&mut self) -> ! {
        let (dir, file): (&CStr, &CStr) = if self.local_dirs {
            (c"request-key.d", c"request-key.conf")
        } else {
            (c"/etc/request-key.d", c"/etc/request-key.conf")
        };
        self.scan_conf_dir(dir);
        self.scan_conf_file(libc::AT_FDCWD, file);
        if self.best.found() {
            let cmd = self.best.command.clone();
            self.execute_program(&cmd);
        }
        // keyutils names a file it never set here: the message starts with ": ".
        self.log.error(b": No matching action\n")
    }

    /// The `*.conf` files of a directory, in the order readdir gives them (as keyutils; no
    /// sorting), regular files only (or entries whose type the file system does not say).
    fn scan_conf_dir(&mut self, dir: &CStr) {
        self.log
            .debug(&cat(&[b"__ SCAN ", dir.to_bytes(), b" __\n"]));
        // SAFETY: opendir on a NUL-terminated path; a NULL result is checked.
        let d = unsafe { libc::opendir(dir.as_ptr()) };
        if d.is_null() {
            let e = last_errno();
            if e == libc::ENOENT {
                return;
            }
            self.log.error(&cat(&[
                b"Cannot open ",
                dir.to_bytes(),
                b": ",
                strerror(e).as_bytes(),
                b"\n",
            ]));
        }
        loop {
            // SAFETY: `d` is an open directory stream; the entry is read before the next call.
            let ent = unsafe { libc::readdir(d) };
            if ent.is_null() {
                break;
            }
            // SAFETY: readdir returned a valid entry whose d_name is NUL-terminated.
            let (name, d_type) = unsafe { (CStr::from_ptr((*ent).d_name.as_ptr()), (*ent).d_type) };
            let name = name.to_owned();
            let bytes = name.to_bytes();
            if bytes.first() == Some(&b'.') {
                continue;
            }
            if d_type != libc::DT_UNKNOWN && d_type != libc::DT_REG {
                continue;
            }
            if bytes.len() < 5 || !bytes.ends_with(b".conf") {
                continue;
            }
            // SAFETY: `d` is open; dirfd gives its descriptor, valid until closedir.
            let fd = unsafe { libc::dirfd(d) };
            self.scan_conf_file(fd, &name);
        }
        // SAFETY: `d` came from opendir and is closed once.
        unsafe {
            libc::closedir(d);
        }
    }

    fn scan_conf_file(&mut self, dirfd: libc::c_int, name: &CStr) {
        let log = self.log;
        let nm = name.to_bytes();
        log.debug(&cat(&[b"__ read ", nm, b" __\n"]));
        // SAFETY: openat with a directory descriptor (or AT_FDCWD) and a NUL-terminated name.
        let fd = unsafe { libc::openat(dirfd, name.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
        if fd < 0 {
            let e = last_errno();
            if e == libc::ENOENT {
                return;
            }
            log.error(&cat(&[
                b"Cannot open ",
                nm,
                b": ",
                strerror(e).as_bytes(),
                b"\n",
            ]));
        }
        // SAFETY: `fd` was just opened and is owned by the File from here on.
        let file = unsafe { std::fs::File::from_raw_fd(fd) };
        let mut reader = conf::ChunkReader::new(BufReader::new(file));
        let mut chunk = Vec::new();
        self.confline = 1;
        loop {
            match reader.next_into(&mut chunk) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => log.error(&cat(&[
                    nm,
                    b": error ",
                    strerror(e.raw_os_error().unwrap_or(libc::EIO)).as_bytes(),
                    b"\n",
                ])),
            }
            let line = self.confline;
            let req = self.request();
            let mut trace = |t: conf::MatchTrace<'_>| {
                if log.verbosity >= 2 {
                    log.debug(&cat(&[
                        b"match(",
                        &fixed(t.pattern, t.pattern.len()),
                        b",",
                        &fixed(t.datum, t.datum.len()),
                        b")",
                    ]));
                    match t.wildness {
                        Some(w) => log.debug(format!(" = yes (w={w})\n").as_bytes()),
                        None => log.debug(b" = no\n"),
                    }
                }
            };
            match conf::match_line(&chunk, &req, &mut trace) {
                Ok(None) => {}
                Ok(Some(m)) => {
                    let w = m.wildness;
                    let at = format!(":{line}: ");
                    let ws = format!(" ({},{},{},{})\n", w[0], w[1], w[2], w[3]);
                    log.debug(&cat(&[
                        nm,
                        at.as_bytes(),
                        b"Line matches '",
                        m.command,
                        b"'",
                        ws.as_bytes(),
                    ]));
                    if self.best.offer(&m) {
                        log.debug(&cat(&[nm, at.as_bytes(), b"Prefer command", ws.as_bytes()]));
                    }
                }
                Err(e) => {
                    let what: &[u8] = match e {
                        LineError::TooLong => b"Line too long\n",
                        LineError::Syntax | LineError::LeadingNul => b"Syntax error\n",
                    };
                    log.error(&cat(&[nm, format!(":{line}: ").as_bytes(), what]));
                }
            }
            self.confline = self.confline.wrapping_add(1);
        }
    }

    /// An error about the command being run: keyutils prefixes `:<line>: ` (no file name).
    pub fn line_error(&self, msg: &[u8]) -> ! {
        self.log
            .error(&cat(&[format!(":{}: ", self.confline).as_bytes(), msg]))
    }

    fn execute_program(&mut self, cmdline: &[u8]) -> ! {
        let log = self.log;
        log.debug(&cat(&[
            b"execute_program('",
            &self.callout,
            b"','",
            cmdline,
            b"')\n",
        ]));
        let macros = conf::Macros {
            op: &self.op,
            key: &self.key,
            key_type: &self.key_type,
            description: &self.description,
            callout: &self.callout,
            uid: &self.uid,
            gid: &self.gid,
            thread_keyring: &self.thread_keyring,
            process_keyring: &self.process_keyring,
            session_keyring: &self.session_keyring,
        };
        let mut keysub = |ty: &[u8], desc: &[u8]| -> Result<(i32, Vec<u8>), conf::CommandError> {
            let k = keys::find(ty, desc).map_err(conf::CommandError::KeysubNotFound)?;
            let data = keys::read(k).map_err(|e| conf::CommandError::KeysubUnreadable(k, e))?;
            Ok((k, data))
        };
        let mut event = |e: conf::ExpandEvent<'_>| match e {
            conf::ExpandEvent::Token(i, tok) => {
                log.debug(&cat(&[format!("argv[{i}]: '").as_bytes(), tok, b"'\n"]));
            }
            conf::ExpandEvent::Keysub(ty, desc) => {
                log.debug(&cat(&[b"Keysub: ", ty, b" key \"", desc, b"\"\n"]));
            }
        };
        let command = match conf::expand_command(cmdline, &macros, &mut keysub, &mut event) {
            Ok(c) => c,
            Err(e) => {
                let msg = e.message(&strerror);
                if e.has_line_prefix() {
                    self.line_error(msg.as_bytes());
                }
                log.error(msg.as_bytes());
            }
        };
        // keyutils splits the kept command in place, ending it after the program's path; when a
        // failed pipe handler sends it back here with no better "negate" line, it runs that
        // program again without arguments. The same happens here.
        self.best
            .command
            .truncate(usize::from(command.pipe) + command.prog.len());

        if log.verbosity > 0 {
            let how: &[u8] = if command.pipe { b"PipeThru " } else { b"Run " };
            log.debug(&cat(&[how, &command.prog, b"\n"]));
            let argv0 = command.argv0.as_deref().unwrap_or(&command.prog);
            for (i, a) in std::iter::once(argv0)
                .chain(command.args.iter().map(Vec::as_slice))
                .enumerate()
            {
                log.debug(&cat(&[format!("- argv[{i}] = \"").as_bytes(), a, b"\"\n"]));
            }
        }

        if self.debug_mode {
            let mut out = std::io::stdout();
            let _ = out
                .write_all(b"-- exec disabled --\n")
                .and_then(|()| out.flush());
            std::process::exit(0);
        }

        if command.pipe {
            run::pipe_to_program(self, &command);
        }
        run::exec_or_fail(self, &command)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn atoi_as_c() {
        assert_eq!(super::atoi(b"  123abc"), 123);
        assert_eq!(super::atoi(b"-7"), -7);
        assert_eq!(super::atoi(b"+7"), 7);
        assert_eq!(super::atoi(b"x"), 0);
        assert_eq!(super::atoi(b""), 0);
        // glibc's strtol saturates at LONG_MAX, which the int conversion cuts to -1.
        assert_eq!(super::atoi(b"99999999999999999999999"), -1);
        assert_eq!(super::atoi(b"4294967297"), 1);
    }
}

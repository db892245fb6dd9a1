//! Running the handler: `execv` in place of request-key, or (`|prog`) a child on three pipes
//! whose stdout becomes the payload, as keyutils 1.6.3 does it. Handlers inherit request-key's
//! credentials, environment, signal dispositions and descriptors 0-2 and nothing else
//! (everything else here is opened close-on-exec).

use std::ffi::CString;

use crate::conf::{Command, c_str};
use crate::log::{cat, fixed, strerror};
use crate::{Upcall, keys, last_errno};

/// The payload buffer: keyutils refuses a handler's output once it reaches 32769 bytes.
const PAYLOAD_MAX: usize = 32768 + 1;
/// Unfinished lines of a handler's stderr are logged in pieces of this size.
const ERRBUF: usize = 512;

fn cstring(b: &[u8]) -> CString {
    CString::new(c_str(b)).unwrap_or_default()
}

/// Replace this process with the command; returns the errno when that fails.
pub fn exec(command: &Command) -> i32 {
    let prog = cstring(&command.prog);
    let Some(argv0) = &command.argv0 else {
        // No '/' in the path: keyutils passes an invalid argv[0] pointer, so the kernel fails
        // the exec with EFAULT once it has opened the file; say what it would.
        // SAFETY: access on a NUL-terminated path.
        return if unsafe { libc::access(prog.as_ptr(), libc::X_OK) } < 0 {
            last_errno()
        } else {
            libc::EFAULT
        };
    };
    let args: Vec<CString> = std::iter::once(argv0)
        .chain(command.args.iter())
        .map(|a| cstring(a))
        .collect();
    let mut argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    argv.push(std::ptr::null());
    // SAFETY: `prog` and every argument are NUL-terminated strings kept alive by `args`, and
    // `argv` ends with a NULL pointer; execv only returns on failure.
    unsafe {
        libc::execv(prog.as_ptr(), argv.as_ptr());
    }
    last_errno()
}

/// Exec the command, or log why not (naming the configuration line) and exit 1.
pub fn exec_or_fail(up: &Upcall, command: &Command) -> ! {
    let e = exec(command);
    up.line_error(&cat(&[
        b"Failed to execute '",
        &command.prog,
        b"': ",
        strerror(e).as_bytes(),
        b"\n",
    ]))
}

fn pipe(up: &Upcall) -> [libc::c_int; 2] {
    let mut fds = [-1; 2];
    // SAFETY: pipe2 writes two descriptors into the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        up.log
            .error(format!("pipe failed: {}", strerror(last_errno())).as_bytes());
    }
    fds
}

fn close(fd: &mut libc::c_int) {
    if *fd >= 0 {
        // SAFETY: closing a pipe end this process owns, once (it is set to -1 after).
        unsafe {
            libc::close(*fd);
        }
        *fd = -1;
    }
}

fn set_nonblock(fd: libc::c_int) -> bool {
    // SAFETY: fcntl on a descriptor this process owns.
    unsafe {
        let fl = libc::fcntl(fd, libc::F_GETFL);
        fl >= 0 && libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK) >= 0
    }
}

fn read_fd(fd: libc::c_int, buf: &mut [u8]) -> isize {
    // SAFETY: reading into a buffer of buf.len() writable bytes.
    unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) }
}

/// Run a `|pipe` handler: the callout information on its stdin, the payload from its stdout,
/// its stderr lines to syslog. On exit 0 instantiate the key; on another exit or a signal, look
/// the configuration up again as operation "negate" (once).
pub fn pipe_to_program(up: &mut Upcall, command: &Command) -> ! {
    let log = up.log;
    log.debug(&cat(&[
        b"pipe_to_program(",
        &up.callout,
        b" -> ",
        &command.prog,
        b")",
    ]));
    let mut ipi = pipe(up);
    let mut opi = pipe(up);
    let mut epi = pipe(up);

    // SAFETY: this process has one thread, so the child may do anything until it execs.
    let child = unsafe { libc::fork() };
    if child == -1 {
        log.error(format!("fork failed: {}", strerror(last_errno())).as_bytes());
    }
    if child == 0 {
        // SAFETY: dup2 onto 0, 1 and 2 (which clears close-on-exec there) from pipe ends this
        // process owns.
        let ok = unsafe {
            libc::dup2(ipi[0], 0) >= 0 && libc::dup2(opi[1], 1) >= 0 && libc::dup2(epi[1], 2) >= 0
        };
        if !ok {
            log.error(format!("dup2 failed: {}", strerror(last_errno())).as_bytes());
        }
        for fd in ipi.iter_mut().chain(opi.iter_mut()).chain(epi.iter_mut()) {
            close(fd);
        }
        exec_or_fail(up, command);
    }

    close(&mut ipi[0]);
    close(&mut opi[1]);
    close(&mut epi[1]);
    let mut to_stdin = ipi[1];
    let mut from_stdout = opi[0];
    let mut from_stderr = epi[0];
    if !(set_nonblock(to_stdin) && set_nonblock(from_stdout) && set_nonblock(from_stderr)) {
        log.error(format!("fcntl failed: {}", strerror(last_errno())).as_bytes());
    }

    let info = up.callout.clone();
    let mut info_at = 0usize;
    let mut payload = vec![0u8; PAYLOAD_MAX];
    let mut npay = 0usize;
    let mut errbuf = [0u8; ERRBUF];
    let mut nerr = 0usize;

    while to_stdin != -1 || from_stdout != -1 || from_stderr != -1 {
        if to_stdin != -1 && info_at >= info.len() {
            close(&mut to_stdin);
            continue;
        }
        let m = to_stdin.max(from_stdout).max(from_stderr) + 1;
        log.debug(format!("select r={from_stdout},{from_stderr} w={to_stdin} m={m}\n").as_bytes());
        let mut pfd = [
            libc::pollfd {
                fd: to_stdin,
                events: libc::POLLOUT,
                revents: 0,
            },
            libc::pollfd {
                fd: from_stdout,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: from_stderr,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: poll on an array of three pollfd structures (negative fds are ignored).
        let r = unsafe { libc::poll(pfd.as_mut_ptr(), 3, -1) };
        if r < 0 {
            let e = last_errno();
            if e == libc::EINTR {
                continue;
            }
            log.error(format!("select failed: {}\n", strerror(e)).as_bytes());
        }
        let [w, o, er] = pfd.map(|p| p.revents != 0);

        if to_stdin != -1 && w {
            let rest = info.get(info_at..).unwrap_or_default();
            // SAFETY: writing `rest.len()` bytes from a live buffer.
            let n = unsafe { libc::write(to_stdin, rest.as_ptr().cast(), rest.len()) };
            if n < 0 {
                let e = last_errno();
                if e == libc::EPIPE {
                    log.debug(b"EPIPE");
                    info_at = info.len();
                } else if e != libc::EAGAIN {
                    log.error(format!("write failed: {}\n", strerror(e)).as_bytes());
                }
            } else {
                log.debug(format!("wrote {n}\n").as_bytes());
                info_at = info_at.saturating_add(n.unsigned_abs());
            }
        }

        if from_stdout != -1 && o {
            let room = payload.get_mut(npay..).unwrap_or_default();
            let n = read_fd(from_stdout, room);
            if n < 0 {
                let e = last_errno();
                if e != libc::EAGAIN {
                    log.error(format!("read failed: {}\n", strerror(e)).as_bytes());
                }
            } else {
                log.debug(format!("read {n}\n").as_bytes());
                if n == 0 {
                    close(&mut from_stdout);
                } else {
                    npay = npay.saturating_add(n.unsigned_abs());
                    if npay >= PAYLOAD_MAX {
                        log.error(b"Too much data read from query program\n");
                    }
                }
            }
        }

        if from_stderr != -1 && er {
            let room = errbuf.get_mut(nerr..).unwrap_or_default();
            let n = read_fd(from_stderr, room);
            if n < 0 {
                let e = last_errno();
                if e != libc::EAGAIN {
                    log.error(format!("read failed: {}\n", strerror(e)).as_bytes());
                }
                continue;
            }
            log.debug(format!("read err {n}\n").as_bytes());
            if n == 0 {
                close(&mut from_stderr);
                continue;
            }
            nerr = (nerr + n.unsigned_abs()).min(ERRBUF);
            // Each complete line goes out as "Child: <line>"; what is left waits for more.
            while let Some(nl) = errbuf
                .get(..nerr)
                .and_then(|b| b.iter().position(|&c| c == b'\n'))
            {
                let len = nl + 1;
                let line = errbuf.get(..len).unwrap_or_default();
                log.child(&cat(&[b"Child: ", &fixed(line, len)]));
                errbuf.copy_within(len..nerr, 0);
                nerr -= len;
            }
            if nerr == ERRBUF {
                log.child(&cat(&[b"Child: ", &fixed(&errbuf, ERRBUF)]));
                nerr = 0;
            }
        }
    }

    let mut status = 0;
    // SAFETY: waiting for our own child, with a valid status pointer.
    if unsafe { libc::waitpid(child, &mut status, 0) } != child {
        log.error(format!("wait for child failed: {}\n", strerror(last_errno())).as_bytes());
    }

    if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) != 0 {
        let code = libc::WEXITSTATUS(status);
        if up.norecurse {
            log.error(format!("child exited {code}\n").as_bytes());
        }
        log.debug(format!("child exited {code}\n").as_bytes());
        negate(up);
    }
    if libc::WIFSIGNALED(status) {
        if up.norecurse {
            log.error(format!("child died on signal {}\n", libc::WTERMSIG(status)).as_bytes());
        }
        negate(up);
    }

    let payload = payload.get(..npay).unwrap_or_default();
    log.debug(format!("instantiate with {npay} bytes\n").as_bytes());
    if let Err(e) = keys::instantiate(up.key_id, payload) {
        log.error(format!("instantiate key failed: {}\n", strerror(e)).as_bytes());
    }
    log.debug(b"instantiation successful\n");
    std::process::exit(0)
}

/// Look the configuration up again for operation "negate". As in keyutils, the best line found
/// so far is kept, so a "negate" line wins only if it is less wild than the line that ran.
fn negate(up: &mut Upcall) -> ! {
    up.norecurse = true;
    let len = up.op_datum.len();
    up.op = b"negate".to_vec();
    let mut datum = up.op.clone();
    datum.resize(len, 0);
    up.op_datum = datum;
    up.lookup_action()
}

//! Key change notifications: watch, watch_add, watch_rm, watch_session,
//! watch_sync.  They need a kernel with watch queues (O_NOTIFICATION_PIPE);
//! where it is missing they fail at pipe2() exactly as the original does.

use crate::io::{self, errno, error};
use crate::util::{self, cstring};
use crate::{format, get_key_id, Args};
use keyutils_api::{self as api, KeySerial};
use libc::{c_char, c_int};
use std::ffi::{CStr, CString};
use std::ptr;

const O_NOTIFICATION_PIPE: c_int = libc::O_EXCL;
const IOC_WATCH_QUEUE_SET_SIZE: libc::c_ulong = 0x5760; // _IO('W', 0x60)
const IOC_WATCH_QUEUE_SET_FILTER: libc::c_ulong = 0x5761; // _IO('W', 0x61)
const PIPE_IOC_SYNC: libc::c_ulong = 0x5762; // _IO('W', 0x62)
const BUF_SIZE: libc::c_ulong = 256;

const WATCH_TYPE_META: u32 = 0;
const WATCH_TYPE_KEY_NOTIFY: u32 = 1;
const WATCH_META_REMOVAL_NOTIFICATION: u32 = 0;
const WATCH_META_LOSS_NOTIFICATION: u32 = 1;
const WATCH_INFO_LENGTH: u32 = 0x7f;
const WATCH_INFO_ID: u32 = 0xff00_0000;
const WATCH_INFO_ID_SHIFT: u32 = 24;

// glibc's getopt state (not exported by the libc crate).
extern "C" {
    static mut optind: c_int;
    static mut optarg: *mut c_char;
}

/// Filter letters, in the order of the kernel's NOTIFY_KEY_* subtypes.
const FILTER_CHARS: &[u8] = b"iplncrvs";

#[repr(C)]
struct TypeFilter {
    type_: u32,
    info_filter: u32,
    info_mask: u32,
    subtype_filter: [u32; 8],
}

#[repr(C)]
struct Filter {
    nr_filters: u32,
    reserved: u32,
    filters: [TypeFilter; 1],
}

struct WatchState {
    subtypes: u32,
    debug: bool,
}

fn parse_watch_filter(state: &mut WatchState, s: &[u8]) {
    state.subtypes = 0;
    for &c in s {
        match FILTER_CHARS.iter().position(|&f| f == c) {
            Some(bit) => state.subtypes |= 1 << bit,
            None => {
                io::err(b"Unknown filter character '");
                io::err(&[c]);
                io::err(b"'\n");
                io::exit(2);
            }
        }
    }
}

/// Run glibc's getopt over `args` (argv[0] is the command name, as in the
/// original, so getopt's own messages read "watch: invalid option").
fn getopt_loop(args: &Args, optstring: &str, mut f: impl FnMut(u8, Option<Vec<u8>>)) -> Args {
    let cargs: Vec<CString> = args.iter().map(|a| cstring(a)).collect();
    let mut argv: Vec<*mut c_char> = cargs.iter().map(|c| c.as_ptr() as *mut c_char).collect();
    argv.push(ptr::null_mut());
    let opts = cstring(optstring.as_bytes());
    // SAFETY: argv is a NULL-terminated array of NUL-terminated strings that
    // outlive the loop; getopt only permutes the pointers.  optind is reset
    // so that getopt starts afresh.
    unsafe {
        ptr::addr_of_mut!(optind).write(1);
        loop {
            let o = libc::getopt(argv.len() as c_int - 1, argv.as_ptr(), opts.as_ptr());
            if o == -1 {
                break;
            }
            let optarg_now = ptr::addr_of!(optarg).read();
            let arg = if optarg_now.is_null() {
                None
            } else {
                Some(CStr::from_ptr(optarg_now).to_bytes().to_vec())
            };
            f(o as u8, arg);
        }
        let first = ptr::addr_of!(optind).read() as usize;
        argv[first..argv.len() - 1]
            .iter()
            .map(|&p| CStr::from_ptr(p).to_bytes().to_vec())
            .collect()
    }
}

fn unknown_option() -> ! {
    io::err(b"Unknown option\n");
    io::exit(2)
}

fn open_watch(state: &WatchState) -> c_int {
    let mut fds = [0 as c_int; 2];
    // SAFETY: `fds` has room for the two descriptors.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), O_NOTIFICATION_PIPE) } == -1 {
        error("pipe2");
    }
    let fd = fds[0];
    // SAFETY: ioctls on the pipe we just made.
    if unsafe { libc::ioctl(fd, IOC_WATCH_QUEUE_SET_SIZE, BUF_SIZE) } == -1 {
        error("/dev/watch_queue(size)");
    }
    let filter = Filter {
        nr_filters: 1,
        reserved: 0,
        filters: [TypeFilter {
            type_: WATCH_TYPE_KEY_NOTIFY,
            info_filter: 0,
            info_mask: 0,
            subtype_filter: [state.subtypes, 0, 0, 0, 0, 0, 0, 0],
        }],
    };
    // SAFETY: `filter` is a properly laid out watch_notification_filter.
    if unsafe { libc::ioctl(fd, IOC_WATCH_QUEUE_SET_FILTER, &filter) } == -1 {
        error("/dev/watch_queue(filter)");
    }
    fd
}

fn watch_key(key: KeySerial, fd: c_int, id: c_int, what: &str) {
    if let Err(e) = api::watch_key(key, fd, id) {
        io::error_bytes(what.as_bytes(), util::errno_of(&e));
    }
}

/// Append-only log line writer; `None` means stdout.
struct Log(Option<c_int>);

impl Log {
    fn line(&self, s: &str) {
        match self.0 {
            None => {
                io::out(s.as_bytes());
                io::flush_out();
            }
            Some(fd) => {
                let _ = io::write_fd(fd, s.as_bytes());
            }
        }
    }
}

/// Read notification records from the watch queue and log them.
fn consumer(log: &Log, gc: &Log, fd: c_int, debug: bool) -> ! {
    let mut buffer = [0u8; 433];
    loop {
        let mut p = libc::pollfd {
            fd,
            events: libc::POLLIN | libc::POLLHUP,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        if unsafe { libc::poll(&mut p, 1, -1) } == -1 {
            error("poll");
        }
        // SAFETY: `buffer` is writable for its length.
        let n = unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) };
        if n == -1 {
            error("read");
        }
        if n == 0 {
            log.line("-- END --\n");
            io::exit(0);
        }
        let n = n as usize;
        if n > buffer.len() {
            crate::errf!("Read buffer overrun: {}\n", n);
            io::exit(1);
        }
        if debug {
            crate::errf!("read() = {}\n", n);
        }
        let mut off = 0;
        while off < n {
            let largest = (n - off).min(128);
            if largest < 8 {
                crate::errf!("Short message header: {}\n", largest);
                io::exit(1);
            }
            let rec = &buffer[off..off + largest];
            let hdr = u32::from_ne_bytes([rec[0], rec[1], rec[2], rec[3]]);
            let info = u32::from_ne_bytes([rec[4], rec[5], rec[6], rec[7]]);
            let type_ = hdr & 0x00ff_ffff;
            let subtype = hdr >> 24;
            if debug {
                crate::errf!(
                    "NOTIFY[{:03x}]: ty={:06x} sy={:02x} i={:08x}\n",
                    off,
                    type_,
                    subtype,
                    info
                );
            }
            let len = (info & WATCH_INFO_LENGTH) as usize;
            if len < 8 || len > largest {
                crate::errf!("Bad message length: {}/{}\n", len, largest);
                io::exit(1);
            }
            let word = |i: usize| -> u32 {
                if i + 4 <= len {
                    u32::from_ne_bytes([rec[i], rec[i + 1], rec[i + 2], rec[i + 3]])
                } else {
                    0
                }
            };
            match type_ {
                WATCH_TYPE_META => match subtype {
                    WATCH_META_REMOVAL_NOTIFICATION => {
                        let key = if len >= 16 { word(8) } else { 0 };
                        gc.line(&format!("{} gc\n", key));
                        if (info & WATCH_INFO_ID) >> WATCH_INFO_ID_SHIFT == 1 {
                            io::exit(0);
                        }
                    }
                    WATCH_META_LOSS_NOTIFICATION => log.line("-- LOSS --\n"),
                    _ => {
                        if debug {
                            io::err(b"other meta record\n");
                        }
                    }
                },
                WATCH_TYPE_KEY_NOTIFY if len == 16 => {
                    let (key, aux) = (word(8), word(12));
                    let s = match subtype {
                        0 => format!("{} inst\n", key),
                        1 => format!("{} upd\n", key),
                        2 => format!("{} link {}\n", key, aux),
                        3 => format!("{} unlk {}\n", key, aux),
                        4 => format!("{} clr\n", key),
                        5 => format!("{} rev\n", key),
                        6 => format!("{} inv\n", key),
                        7 => format!("{} attr\n", key),
                        _ => String::new(),
                    };
                    if !s.is_empty() {
                        log.line(&s);
                    }
                }
                WATCH_TYPE_KEY_NOTIFY => {}
                _ => {
                    if debug {
                        io::err(b"other type\n");
                    }
                }
            }
            off += len;
        }
    }
}

pub fn watch(args: Args) {
    let mut state = WatchState {
        subtypes: u32::MAX,
        debug: false,
    };
    let rest = getopt_loop(&args, "f:", |o, arg| match o {
        b'f' => parse_watch_filter(&mut state, &arg.unwrap_or_default()),
        _ => unknown_option(),
    });
    if rest.len() != 1 {
        format();
    }
    let key = get_key_id(&rest[0]);
    let wfd = open_watch(&state);
    watch_key(key, wfd, 0x01, "keyctl_watch_key");
    consumer(&Log(None), &Log(None), wfd, state.debug)
}

fn atoi(s: &[u8]) -> c_int {
    let c = cstring(s);
    // SAFETY: NUL-terminated string.
    unsafe { libc::atoi(c.as_ptr()) }
}

/// watch_add and watch_rm: `id` is the watch id to set, -1 to remove it.
fn watch_fd_key(args: &Args, id: c_int) {
    if args.len() != 3 {
        format();
    }
    let fd = atoi(&args[1]);
    let key = get_key_id(&args[2]);
    watch_key(key, fd, id, "keyctl_watch_key");
}

pub fn watch_add(args: Args) {
    watch_fd_key(&args, 0x02);
}

pub fn watch_rm(args: Args) {
    watch_fd_key(&args, -1);
}

/// Wait until the monitor has drained the watch queue on `fd`.
pub fn watch_sync(args: Args) {
    if args.len() != 2 {
        format();
    }
    let fd = atoi(&args[1]);
    // SAFETY: ioctls on a caller-supplied descriptor; FIONREAD writes an int.
    unsafe {
        if libc::ioctl(fd, PIPE_IOC_SYNC, 0) == -1 && errno() != libc::ENOTTY {
            error("ioctl(PIPE_IOC_SYNC)");
        }
        loop {
            let mut n: c_int = 0;
            if libc::ioctl(fd, libc::FIONREAD, &mut n) == -1 {
                error("ioctl(FIONREAD)");
            }
            if n == 0 {
                break;
            }
            libc::usleep(200_000);
        }
    }
}

fn open_log(path: &[u8]) -> c_int {
    let c = cstring(path);
    // SAFETY: NUL-terminated path.
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC,
            0o666,
        )
    };
    if fd < 0 {
        io::error_bytes(path, errno());
    }
    fd
}

/// New session keyring, watched, with a monitor process logging its
/// notifications while `prog` runs with the queue on fd `fd`.
pub fn watch_session(args: Args) {
    let mut state = WatchState {
        subtypes: u32::MAX,
        debug: false,
    };
    let mut session_name: Option<Vec<u8>> = None;
    let rest = getopt_loop(&args, "+df:n:", |o, arg| match o {
        b'd' => state.debug = true,
        b'f' => parse_watch_filter(&mut state, &arg.unwrap_or_default()),
        b'n' => session_name = arg,
        _ => unknown_option(),
    });
    if rest.len() < 4 {
        format();
    }
    let tfd = atoi(&rest[2]);
    if !(3..=9).contains(&tfd) {
        io::err(b"The target fd must be between 3 and 9\n");
        io::exit(2);
    }

    let mut wfd = open_watch(&state);
    if wfd != tfd {
        // SAFETY: duplicating our own descriptor onto the requested number.
        if unsafe { libc::dup2(wfd, tfd) } == -1 {
            error("dup2");
        }
        // SAFETY: closing the original we no longer need.
        unsafe { libc::close(wfd) };
        wfd = tfd;
    }

    let log = open_log(&rest[0]);
    let gc = open_log(&rest[1]);

    let keyring = util::join_session(session_name.as_deref());
    watch_key(keyring, wfd, 0x01, "keyctl_watch_key/session");
    crate::errf!("Joined session keyring: {}\n", keyring);

    io::flush_out();
    // SAFETY: fork in a single-threaded process.
    let monitor = unsafe { libc::fork() };
    if monitor == -1 {
        error("fork");
    }
    if monitor == 0 {
        consumer(&Log(Some(log)), &Log(Some(gc)), wfd, state.debug);
    }

    // The program gets the queue descriptor, not the logs.
    // SAFETY: fcntl on our own descriptors.
    unsafe {
        let fl = libc::fcntl(wfd, libc::F_GETFD);
        if fl == -1 {
            error("F_GETFD");
        }
        if libc::fcntl(wfd, libc::F_SETFD, fl & !libc::FD_CLOEXEC) == -1 {
            error("F_SETFD");
        }
    }
    std::env::set_var("KEYCTL_WATCH_FD", wfd.to_string());

    let prog = &rest[3..];
    // SAFETY: fork in a single-threaded process.
    let child = unsafe { libc::fork() };
    if child == -1 {
        error("fork");
    }
    if child == 0 {
        util::exec_prog(prog);
    }
    // SAFETY: closing our copy so the monitor sees the end when all are gone.
    unsafe { libc::close(wfd) };
    let mut status: c_int = 0;
    // SAFETY: waiting for our own child.
    if unsafe { libc::waitpid(child, &mut status, 0) } == -1 {
        error("waitpid");
    }
    // SAFETY: stop and reap the monitor.
    unsafe {
        libc::kill(monitor, libc::SIGTERM);
        libc::waitpid(monitor, ptr::null_mut(), 0);
    }
    if libc::WIFEXITED(status) {
        io::exit(libc::WEXITSTATUS(status));
    }
    io::exit(1)
}

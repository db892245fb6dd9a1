//! key.dns_resolver(8): the program request-key runs for the kernel's `dns_resolver` keys
//! (CIFS DFS referrals, NFS, AFS cells), a drop-in for keyutils 1.6.3's.
//!
//! `key.dns_resolver [-v...] [-c conf] SERIAL` reads the key's description and the request's
//! callout info, looks the name up and instantiates the key with the addresses as text
//! (`a.b.c.d,x::y,...` plus a NUL; `+port` after each for AFS SRV records), with an expiry of
//! `default_ttl` (key.dns_resolver.conf(5)) or, for AFS cells, the records' smallest TTL. A
//! lookup that finds nothing rejects the key for 60 s; any other failure negates it for 1 s.
//! `-D [-v...] DESC CALLOUT` runs the same lookup without a key; `--dump-config` prints the
//! configuration; `-V` the version. Messages go to the terminal, or to syslog without one.
mod conf;
mod dns;
mod ffi;
mod keys;
mod out;

use std::ffi::{CStr, CString};
use std::process::exit;

const INET_IP4_ONLY: u32 = 0x1;
const INET_IP6_ONLY: u32 = 0x2;
const INET_ALL: u32 = 0xff;
const ONE_ADDR_ONLY: u32 = 0x100;
/// The original's payload holds at most this many segments (addresses, commas and the NUL).
const N_PAYLOAD: usize = 256;
const CONFIG_FILE: &[u8] = b"/etc/keyutils/key.dns_resolver.conf";
const KEY_TYPE: &[u8] = b"dns_resolver";
const DNS_PARSE_VERSION: &str = "1.0";
const PROG: &str = "key.dns_resolver";

struct Ctx {
    verbose: i32,
    debug_mode: bool,
    key: keys::Serial,
    mask: u32,
    key_expiry: u32,
    payload: Vec<Vec<u8>>,
    /// None: `--config`, which takes no argument in the original and so names no file.
    config_file: Option<Vec<u8>>,
    config_specified: bool,
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

impl Ctx {
    fn info(&self, msg: &[u8]) {
        if self.verbose >= 1 {
            out::out_line(libc::LOG_INFO, b"I: ", msg);
        }
    }

    fn debug(&self, msg: &[u8]) {
        if self.verbose >= 2 {
            out::out_line(libc::LOG_DEBUG, b"D: ", msg);
        }
    }

    /// The original's error(): report, negate the key for 1 s (not with -D), exit 1.
    fn error(&self, msg: &[u8]) -> ! {
        self.error_at(msg, None)
    }

    /// error() with C's "%m": MSG, ": " and strerror(ERRNO).
    fn error_m(&self, msg: &[u8], errno: i32) -> ! {
        self.error_at(msg, Some(errno))
    }

    fn error_at(&self, msg: &[u8], errno: Option<i32>) -> ! {
        out::err_line_m(libc::LOG_ERR, msg, errno);
        if !self.debug_mode {
            let _ = keys::negate(self.key, 1);
        }
        exit(1);
    }

    fn ns_report(&self, err: i32, domain: &[u8]) {
        let text = out::hstrerror(err);
        if out::isatty(2) {
            out::err_line(
                libc::LOG_INFO,
                &cat(&[b"NS:", domain, b": ", text.as_bytes(), b"."]),
            );
        } else {
            out::syslog(libc::LOG_INFO, &cat(&[domain, b": ", text.as_bytes()]));
        }
        let mapped = match err {
            ffi::HOST_NOT_FOUND | ffi::NO_DATA => libc::ENODATA,
            ffi::TRY_AGAIN => libc::EAGAIN,
            _ => libc::ECONNREFUSED,
        };
        self.info(format!("Reject the key with error {mapped}").as_bytes());
    }

    /// The original's nsError(): report, reject the key, exit 0. Like the original, the key is
    /// rejected with the h_errno value itself (NO_DATA is 4, which the kernel hands on as EINTR),
    /// not with the errno the message names.
    fn ns_error(&self, err: i32, domain: &[u8]) -> ! {
        self.ns_report(err, domain);
        let timeout = match err {
            ffi::TRY_AGAIN => 1,
            0 | ffi::NO_RECOVERY => 10,
            _ => 60,
        };
        if !self.debug_mode {
            if let Err(e) = keys::reject(self.key, timeout, err) {
                self.error_m(b"Error: nsError: keyctl_reject", e);
            }
        }
        exit(0);
    }

    fn append_address(&mut self, addr: &[u8]) {
        self.debug(&cat(&[b"append '", addr, b"'"]));
        if self.payload.len() + 2 > N_PAYLOAD - 1 {
            return;
        }
        if self.payload.iter().any(|s| s == addr) {
            return;
        }
        if !self.payload.is_empty() {
            self.payload.push(b",".to_vec());
        }
        self.payload.push(addr.to_vec());
    }

    fn dump_payload(&mut self) {
        if self.debug_mode {
            self.verbose = 1;
        }
        if self.verbose < 1 {
            return;
        }
        let mut plen = 0;
        for (i, s) in self.payload.iter().enumerate() {
            self.debug(format!("seg[{i}]: {}", s.len()).as_bytes());
            plen += s.len();
        }
        if plen == 0 {
            self.info(b"The key instantiation data is empty");
            return;
        }
        self.debug(format!("total: {plen}").as_bytes());
        let all = self.payload.concat();
        self.info(&cat(&[
            b"The key instantiation data is '",
            out::c_str(&all),
            b"'",
        ]));
        self.info(format!("The expiry time is {}s", self.key_expiry).as_bytes());
    }

    /// getaddrinfo on NAME, its addresses (with PORT after each) added to the payload.
    fn resolve(&mut self, name: &[u8], port: Option<&[u8]>) -> bool {
        self.debug(&cat(&[
            b"Resolve '",
            name,
            format!("' with {:x}", self.mask).as_bytes(),
        ]));
        let family = match self.mask & INET_ALL {
            INET_IP4_ONLY => {
                self.debug(b"IPv4");
                libc::AF_INET
            }
            INET_IP6_ONLY => {
                self.debug(b"IPv6");
                libc::AF_INET6
            }
            _ => libc::AF_UNSPEC,
        };
        let list = match dns::getaddrinfo(name, family) {
            Ok(l) => l,
            Err(e) => {
                let m = format!(" [{}]", out::gai_strerror(e));
                self.info(&cat(&[b"unable to resolve hostname: ", name, m.as_bytes()]));
                return false;
            }
        };
        let first_family = list.first().map(|a| a.family).unwrap_or(0);
        for ai in &list {
            let canon = ai.canonname.clone().unwrap_or_else(|| b"(null)".to_vec());
            let head = format!(
                "RR: {:x},{:x},{:x},{:x},{:x},",
                ai.flags, ai.family, ai.socktype, ai.protocol, ai.addrlen
            );
            self.debug(&cat(&[head.as_bytes(), &canon]));
            match ai.family {
                libc::AF_INET if self.mask & INET_IP4_ONLY == 0 => continue,
                libc::AF_INET6 if self.mask & INET_IP6_ONLY == 0 => continue,
                libc::AF_INET | libc::AF_INET6 => {}
                _ => {
                    self.debug(format!("Address of unknown family {first_family}").as_bytes());
                    continue;
                }
            }
            let Some(text) = &ai.text else {
                self.error_m(b"Error: dns_resolver: inet_ntop", libc::ENOSPC);
            };
            let addr = cat(&[text, port.unwrap_or_default()]);
            self.append_address(&addr);
            if self.mask & ONE_ADDR_ONLY != 0 {
                break;
            }
        }
        true
    }

    fn query_a_or_aaaa(&mut self, hostname: &[u8], options: &[u8]) -> ! {
        self.debug(&cat(&[
            b"Get A/AAAA RR for hostname:'",
            hostname,
            b"', options:'",
            options,
            b"'",
        ]));
        if options.is_empty() {
            self.mask = INET_IP4_ONLY | ONE_ADDR_ONLY;
        } else {
            self.mask = INET_ALL | ONE_ADDR_ONLY;
            for tok in options.split(|&c| c == b' ').filter(|t| !t.is_empty()) {
                if tok.contains(&b',') {
                    self.error(&cat(&[b"Error: Option name '", tok, b"' contains a comma"]));
                }
                let k = tok.split(|&c| c == b'=').next().unwrap_or_default();
                self.debug(&cat(&[b"Opt ", k]));
                match k {
                    b"ipv4" => self.mask = (self.mask & !INET_ALL) | INET_IP4_ONLY,
                    b"ipv6" => self.mask = (self.mask & !INET_ALL) | INET_IP6_ONLY,
                    b"list" => self.mask &= !ONE_ADDR_ONLY,
                    _ => {}
                }
            }
        }
        if !self.resolve(hostname, None) || self.payload.is_empty() {
            self.ns_error(ffi::NO_DATA, hostname);
        }
        self.payload.push(vec![0]);
        self.dump_payload();
        if !self.debug_mode {
            if let Err(e) = keys::set_timeout(self.key, self.key_expiry) {
                self.error_m(b"Error: dns_query_a_or_aaaa: keyctl_set_timeout", e);
            }
            let parts: Vec<&[u8]> = self.payload.iter().map(|s| s.as_slice()).collect();
            if let Err(e) = keys::instantiate_iov(self.key, &parts) {
                self.error_m(b"Error: dns_query_a_or_aaaa: keyctl_instantiate", e);
            }
        }
        exit(0);
    }

    /// The SRV (RFC 5864) or AFSDB records of an AFS cell; Err(()) when the query failed.
    fn query_vl(&mut self, cell: &[u8], srv: bool) -> Result<(), ()> {
        let (name, rtype, what) = if srv {
            let mut n = cat(&[b"_afs3-vlserver._udp.", cell]);
            n.truncate(1023);
            self.debug(&cat(&[b"Get VL SRV RR for name:'", &n, b"'"]));
            (n, ffi::NS_T_SRV, "SRV")
        } else {
            self.debug(&cat(&[b"Get AFSDB RR for cell name:'", cell, b"'"]));
            (cell.to_vec(), ffi::NS_T_AFSDB, "AFSDB")
        };
        let answer = match dns::res_query(&name, rtype) {
            Ok(a) => a,
            Err(h) => {
                self.ns_report(h, cell);
                return Err(());
            }
        };
        let section = match answer.answers() {
            Ok(s) => s,
            Err(e) => self.error_m(b"ns_initparse", e),
        };
        self.debug(format!("{what} RR count is {}", section.count).as_bytes());
        let mut servers: Vec<Vec<u8>> = Vec::new();
        let mut ttl = u32::MAX;
        for rec in &section.records {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    out::err_line_m(libc::LOG_ERR, b"ns_parserr failed ", Some(*e));
                    continue;
                }
            };
            if i32::from(rec.rtype) != rtype {
                continue;
            }
            let subtype = answer.get16(rec, 0);
            let Some(server) = answer.name_at(rec, if srv { 6 } else { 2 }) else {
                if srv {
                    out::err_line(libc::LOG_ERR, b"ns_name_uncompress failed");
                    continue;
                }
                self.error(b"ns_name_uncompress failed");
            };
            ttl = ttl.min(rec.ttl);
            let port = if srv {
                let (pref, weight, port) = (
                    answer.get16(rec, 0),
                    answer.get16(rec, 2),
                    answer.get16(rec, 4),
                );
                self.info(format!("rdata {pref} {weight} {port}").as_bytes());
                Some(format!("+{port}").into_bytes())
            } else {
                None
            };
            if servers.iter().any(|s| s.eq_ignore_ascii_case(&server)) {
                continue;
            }
            if !self.resolve(&server, port.as_deref()) {
                let text = cat(&[
                    what.as_bytes(),
                    format!(" RR can't resolve.subtype:{subtype}, server name:").as_bytes(),
                    &server,
                    format!(", netmask:{}", self.mask).as_bytes(),
                ]);
                self.debug(&text);
                continue;
            }
            let last = self.payload.last().cloned().unwrap_or_default();
            let text = cat(&[
                what.as_bytes(),
                format!(" RR subtype:{subtype}, server name:").as_bytes(),
                &server,
                b", ip:",
                &last,
                format!(", ttl:{ttl}").as_bytes(),
            ]);
            self.info(&text);
            servers.push(server);
        }
        self.key_expiry = ttl;
        self.info(format!("ttl: {}", self.key_expiry).as_bytes());
        let m = format!(
            "DNS query {} RR results:{} ttl:{}",
            if srv { "VL SRV" } else { "AFSDB" },
            self.payload.len(),
            self.key_expiry
        );
        self.info(m.as_bytes());
        Ok(())
    }

    fn look_up_vl_servers(&mut self, cell: &[u8], options: &[u8]) -> ! {
        match options {
            b"ipv4" => self.mask = INET_IP4_ONLY,
            b"ipv6" => self.mask = INET_IP6_ONLY,
            _ => {}
        }
        if self.query_vl(cell, true).is_err() {
            let _ = self.query_vl(cell, false);
        }
        if !self.debug_mode {
            if let Err(e) = keys::set_timeout(self.key, self.key_expiry) {
                self.error_m(b"afs_instantiate: keyctl_set_timeout", e);
            }
        }
        if self.payload.is_empty() {
            self.ns_error(ffi::NO_DATA, cell);
        }
        self.payload.push(vec![0]);
        self.dump_payload();
        if !self.debug_mode {
            let parts: Vec<&[u8]> = self.payload.iter().map(|s| s.as_slice()).collect();
            if let Err(e) = keys::instantiate_iov(self.key, &parts) {
                self.error_m(b"afs_instantiate: keyctl_instantiate", e);
            }
        }
        exit(0);
    }

    fn read_config(&mut self) {
        let name = self.config_file.clone();
        let shown = name.clone().unwrap_or_else(|| b"(null)".to_vec());
        self.info(&cat(&[b"READ CONFIG ", &shown]));
        let data = match &name {
            None => Err(libc::EFAULT),
            Some(n) => {
                use std::os::unix::ffi::OsStrExt;
                std::fs::read(std::ffi::OsStr::from_bytes(out::c_str(n)))
                    .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))
            }
        };
        let data = match data {
            Ok(d) => d,
            Err(e) => {
                if e == libc::ENOENT && !self.config_specified {
                    if self.verbose >= 2 {
                        out::out_line_m(libc::LOG_DEBUG, b"D: ", &shown, Some(e));
                    }
                    return;
                }
                self.error_m(&cat(&[b"Error: ", &shown]), e);
            }
        };
        let parsed = conf::parse(&String::from_utf8_lossy(&shown), &data);
        for w in &parsed.warnings {
            out::err_line(libc::LOG_WARNING, w.as_bytes());
        }
        match parsed.result {
            Ok(Some(t)) => self.key_expiry = t,
            Ok(None) => {}
            Err(e) => self.error(&cat(&[b"Error: ", e.as_bytes()])),
        }
    }

    fn usage(&self) -> ! {
        if out::isatty(2) {
            eprintln!("Usage: {PROG} [-vv] [-c config] key_serial");
            eprintln!("Usage: {PROG} -D [-vv] [-c config] <desc> <calloutinfo>");
        } else {
            self.info(format!("Usage: {PROG} [-vv] [-c config] key_serial").as_bytes());
        }
        exit(2);
    }
}

/// strtol(S, &end, 10) as a key_serial_t, and whether the whole string was a number.
fn parse_serial(s: &[u8]) -> (keys::Serial, bool) {
    let mut i = s
        .iter()
        .take_while(|&&c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let mut neg = false;
    if let Some(&c) = s.get(i) {
        if c == b'+' || c == b'-' {
            neg = c == b'-';
            i += 1;
        }
    }
    let digits = s
        .get(i..)
        .unwrap_or_default()
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return (0, false);
    }
    let mut v: i64 = 0;
    let mut clamped = false;
    for &c in s.get(i..i + digits).unwrap_or_default() {
        let d = i64::from(c - b'0');
        let next = v.checked_mul(10).and_then(|x| {
            if neg {
                x.checked_sub(d)
            } else {
                x.checked_add(d)
            }
        });
        match next {
            Some(n) if !clamped => v = n,
            _ => {
                clamped = true;
                v = if neg { i64::MIN } else { i64::MAX };
            }
        }
    }
    // key_serial_t is an int: the long is truncated to its low 32 bits.
    (v as i32, i + digits == s.len())
}

/// Parses the command line with the C library's getopt_long, so that option permutation,
/// abbreviations of long options and the diagnostics are exactly the original's.
fn main() {
    out::openlog();
    let mut ctx = Ctx {
        verbose: 0,
        debug_mode: false,
        key: 0,
        mask: INET_ALL,
        key_expiry: 5,
        payload: Vec::new(),
        config_file: Some(CONFIG_FILE.to_vec()),
        config_specified: false,
    };
    use std::os::unix::ffi::OsStringExt;
    let args: Vec<CString> = std::env::args_os()
        .map(|a| CString::new(a.into_vec()).unwrap_or_default())
        .collect();
    let mut argv: Vec<*mut libc::c_char> = args
        .iter()
        .map(|a| a.as_ptr() as *mut libc::c_char)
        .collect();
    argv.push(core::ptr::null_mut());
    let argc = args.len() as libc::c_int;
    let names: [&CStr; 5] = [c"config", c"debug", c"dump-config", c"verbose", c"version"];
    let vals = [b'c' as i32, b'D' as i32, 2, b'v' as i32, b'V' as i32];
    let mut longopts: Vec<libc::option> = names
        .iter()
        .zip(vals)
        .map(|(n, v)| libc::option {
            name: n.as_ptr(),
            has_arg: 0,
            flag: core::ptr::null_mut(),
            val: v,
        })
        .collect();
    longopts.push(libc::option {
        name: core::ptr::null(),
        has_arg: 0,
        flag: core::ptr::null_mut(),
        val: 0,
    });
    let mut dump_config = false;
    loop {
        // SAFETY: argv is a NULL-terminated array of argc pointers to NUL-terminated strings
        // that outlive the loop (getopt only permutes the pointers); longopts ends with an
        // all-zero entry; the option string is NUL-terminated.
        let r = unsafe {
            libc::getopt_long(
                argc,
                argv.as_mut_ptr(),
                c"c:vDV".as_ptr(),
                longopts.as_ptr(),
                core::ptr::null_mut(),
            )
        };
        if r == -1 {
            break;
        }
        match r {
            r if r == b'c' as i32 => {
                // SAFETY: optarg is getopt's global, set for this option (NULL for --config).
                let p = unsafe { *core::ptr::addr_of!(ffi::optarg) };
                ctx.config_file = if p.is_null() {
                    None
                } else {
                    // SAFETY: a non-null optarg points into one of the argv strings.
                    Some(unsafe { CStr::from_ptr(p) }.to_bytes().to_vec())
                };
                ctx.config_specified = true;
            }
            2 => dump_config = true,
            r if r == b'D' as i32 => ctx.debug_mode = true,
            r if r == b'V' as i32 => {
                let (v, b) = keys::version();
                println!("version: {DNS_PARSE_VERSION} from {v} ({b})");
                exit(0);
            }
            r if r == b'v' as i32 => ctx.verbose += 1,
            other => {
                if !out::isatty(2) {
                    let c = u8::try_from(other).unwrap_or(b'?');
                    out::syslog(libc::LOG_ERR, &cat(&[b"unknown option: ", &[c]]));
                }
                ctx.usage();
            }
        }
    }
    // SAFETY: getopt's global index, read after parsing.
    let optind = unsafe { *core::ptr::addr_of!(ffi::optind) }.max(0) as usize;
    let rest: Vec<Vec<u8>> = argv
        .get(optind..argv.len().saturating_sub(1))
        .unwrap_or_default()
        .iter()
        // SAFETY: every entry before the final NULL is one of the argv strings.
        .map(|&p| unsafe { CStr::from_ptr(p) }.to_bytes().to_vec())
        .collect();

    ctx.read_config();
    if dump_config {
        println!("default_ttl = {}", ctx.key_expiry);
        exit(0);
    }

    let (desc, callout): (Vec<u8>, Vec<u8>) = if !ctx.debug_mode {
        if rest.len() != 1 {
            ctx.usage();
        }
        let arg = rest.first().cloned().unwrap_or_default();
        if arg.is_empty() {
            ctx.error(b"Error: Invalid blank key ID");
        }
        let (serial, whole) = parse_serial(&arg);
        ctx.key = serial;
        if !whole {
            ctx.error(b"Error: Invalid key ID format");
        }
        let desc = match keys::describe(ctx.key) {
            Ok(d) => d,
            Err(e) => ctx.error_m(b"Error: keyctl_describe_alloc failed", e),
        };
        let callout = match keys::read(keys::REQKEY_AUTH_KEY) {
            Ok(c) => out::c_str(&c).to_vec(),
            Err(e) => ctx.error_m(b"Error: Invalid key callout_info read", e),
        };
        (out::c_str(&desc).to_vec(), callout)
    } else {
        if rest.len() != 2 {
            ctx.usage();
        }
        let d = rest.first().cloned().unwrap_or_default();
        let c = rest.get(1).cloned().unwrap_or_default();
        (cat(&[KEY_TYPE, b";-1;-1;0;", &d]), c)
    };

    ctx.info(&cat(&[b"Key description: '", &desc, b"'"]));
    ctx.info(&cat(&[b"Callout info: '", &callout, b"'"]));

    let Some(semi) = desc.iter().position(|&c| c == b';') else {
        ctx.error(&cat(&[
            b"Error: Badly formatted key description '",
            &desc,
            b"'",
        ]));
    };
    let ktype = desc.get(..semi).unwrap_or_default();
    if ktype != KEY_TYPE {
        ctx.error(&cat(&[b"Error: Key type is not supported: '", ktype, b"'"]));
    }
    let after = desc.get(semi + 1..).unwrap_or_default();
    let Some(last) = after.iter().rposition(|&c| c == b';') else {
        ctx.error(&cat(&[b"Error: Invalid key description: ", &desc]));
    };
    let keyend = after.get(last + 1..).unwrap_or_default().to_vec();
    let Some(colon) = keyend.iter().position(|&c| c == b':') else {
        ctx.query_a_or_aaaa(&keyend, &callout);
    };
    let qtype = keyend.get(..colon).unwrap_or_default();
    let name = keyend.get(colon + 1..).unwrap_or_default();
    ctx.info(&cat(&[b"Query type: '", qtype, b"'"]));
    if qtype == b"a" || qtype == b"aaaa" {
        ctx.info(&cat(&[
            b"Do DNS query of A/AAAA type for:'",
            name,
            b"' mask:'",
            &callout,
            b"'",
        ]));
        ctx.query_a_or_aaaa(name, &callout);
    }
    if qtype == b"afsdb" {
        ctx.info(&cat(&[
            b"Do AFS VL server query for:'",
            name,
            b"' mask:'",
            &callout,
            b"'",
        ]));
        ctx.look_up_vl_servers(name, &callout);
    }
    ctx.error(&cat(&[
        b"Error: Query type: \"",
        qtype,
        b"\" is not supported",
    ]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials() {
        assert_eq!(parse_serial(b"123"), (123, true));
        assert_eq!(parse_serial(b" +7"), (7, true));
        assert_eq!(parse_serial(b"-5"), (-5, true));
        assert_eq!(parse_serial(b"12x"), (12, false));
        assert_eq!(parse_serial(b"x"), (0, false));
        assert_eq!(parse_serial(b"99999999999999999999"), (-1, true));
        assert_eq!(parse_serial(b"4294967297"), (1, true));
    }

    #[test]
    fn payload_limit_and_duplicates() {
        let mut c = Ctx {
            verbose: 0,
            debug_mode: true,
            key: 0,
            mask: INET_ALL,
            key_expiry: 5,
            payload: Vec::new(),
            config_file: None,
            config_specified: false,
        };
        c.append_address(b"1.1.1.1");
        c.append_address(b"1.1.1.1");
        assert_eq!(c.payload.len(), 1);
        for i in 0..300 {
            c.append_address(format!("10.0.{}.{}", i / 256, i % 256).as_bytes());
        }
        // 128 addresses and 127 commas: the last NUL makes the 256th segment.
        assert_eq!(c.payload.len(), 255);
    }
}

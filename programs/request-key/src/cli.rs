//! The command line, read as keyutils 1.6.3 reads it: glibc's `getopt(argc, argv, "D:dlnv")`,
//! which permutes (options may follow the operands unless `POSIXLY_CORRECT` is set), stops at
//! `--`, takes clustered options (`-dvv`, `-Dtype;..`), and for an unknown option or a missing
//! argument prints a message and goes on. Pure: the messages are returned.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-d`: match, print, run nothing, touch no key.
    pub debug_mode: bool,
    /// `-D desc`: the key description `-d` uses.
    pub test_desc: Option<Vec<u8>>,
    /// `-l`: `request-key.d/` and `request-key.conf` of the current directory.
    pub local_dirs: bool,
    /// `-n`: no syslog.
    pub no_log: bool,
    /// `-v`, counted.
    pub verbosity: u32,
    /// The operands, in order.
    pub operands: Vec<Vec<u8>>,
    /// What getopt printed on stderr, in order (each ends with a newline).
    pub diagnostics: Vec<Vec<u8>>,
}

/// Parse `args` (without `argv[0]`; `prog` is `argv[0]`, which getopt's messages start with).
pub fn parse(prog: &[u8], args: &[Vec<u8>], posixly_correct: bool) -> Options {
    let mut o = Options::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg.as_slice() == b"--" {
            o.operands
                .extend(args.get(i..).unwrap_or_default().iter().cloned());
            break;
        }
        let cluster = match arg.split_first() {
            Some((b'-', rest)) if !rest.is_empty() => rest,
            _ => {
                if posixly_correct {
                    o.operands.push(arg.clone());
                    o.operands
                        .extend(args.get(i..).unwrap_or_default().iter().cloned());
                    break;
                }
                o.operands.push(arg.clone());
                continue;
            }
        };
        let mut j = 0;
        while let Some(&c) = cluster.get(j) {
            j += 1;
            match c {
                b'd' => o.debug_mode = true,
                b'l' => o.local_dirs = true,
                b'n' => o.no_log = true,
                b'v' => o.verbosity = o.verbosity.saturating_add(1),
                b'D' => {
                    let attached = cluster.get(j..).unwrap_or_default();
                    if !attached.is_empty() {
                        o.test_desc = Some(attached.to_vec());
                    } else if let Some(next) = args.get(i) {
                        i += 1;
                        o.test_desc = Some(next.clone());
                    } else {
                        o.diagnostics
                            .push(message(prog, b"option requires an argument", b'D'));
                    }
                    break;
                }
                other => o.diagnostics.push(message(prog, b"invalid option", other)),
            }
        }
    }
    o
}

fn message(prog: &[u8], what: &[u8], c: u8) -> Vec<u8> {
    let mut m = prog.to_vec();
    m.extend_from_slice(b": ");
    m.extend_from_slice(what);
    m.extend_from_slice(b" -- '");
    m.push(c);
    m.extend_from_slice(b"'\n");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<Vec<u8>> {
        args.iter().map(|a| a.as_bytes().to_vec()).collect()
    }

    #[test]
    fn permutes_and_clusters() {
        let o = parse(
            b"rk",
            &v(&["create", "-dvv", "1", "-D", "x;y", "2", "-n"]),
            false,
        );
        assert!(o.debug_mode && o.no_log && !o.local_dirs);
        assert_eq!(o.verbosity, 2);
        assert_eq!(o.test_desc.as_deref(), Some(&b"x;y"[..]));
        assert_eq!(o.operands, v(&["create", "1", "2"]));
        assert!(o.diagnostics.is_empty());
    }

    #[test]
    fn attached_argument_and_double_dash() {
        let o = parse(b"rk", &v(&["-lDuser;0;0;0;d", "--", "-n", "a"]), false);
        assert!(o.local_dirs && !o.no_log);
        assert_eq!(o.test_desc.as_deref(), Some(&b"user;0;0;0;d"[..]));
        assert_eq!(o.operands, v(&["-n", "a"]));
    }

    #[test]
    fn posixly_correct_stops_at_first_operand() {
        let o = parse(b"rk", &v(&["-v", "create", "-d"]), true);
        assert_eq!(o.verbosity, 1);
        assert!(!o.debug_mode);
        assert_eq!(o.operands, v(&["create", "-d"]));
    }

    #[test]
    fn messages_as_glibc() {
        // "--version" with other arguments: a cluster of short options, as Debian's shows.
        let o = parse(
            b"/usr/sbin/request-key",
            &v(&["--version", "x", "-D"]),
            false,
        );
        assert_eq!(o.verbosity, 1);
        assert!(o.no_log);
        let text: Vec<u8> = o.diagnostics.concat();
        assert_eq!(
            String::from_utf8_lossy(&text),
            "/usr/sbin/request-key: invalid option -- '-'\n\
             /usr/sbin/request-key: invalid option -- 'e'\n\
             /usr/sbin/request-key: invalid option -- 'r'\n\
             /usr/sbin/request-key: invalid option -- 's'\n\
             /usr/sbin/request-key: invalid option -- 'i'\n\
             /usr/sbin/request-key: invalid option -- 'o'\n\
             /usr/sbin/request-key: option requires an argument -- 'D'\n"
        );
        assert_eq!(o.operands, v(&["x"]));
        // A lone "-" is an operand.
        assert_eq!(parse(b"rk", &v(&["-"]), false).operands, v(&["-"]));
    }
}

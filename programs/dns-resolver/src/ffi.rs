//! The C library functions the original program calls that the `libc` crate does not declare:
//! the resolver (`res_query` from libc, the `ns_*` message parser from libresolv.so.2),
//! `inet_ntop`, `hstrerror`'s `h_errno`, and getopt's globals. Everything here is declared
//! exactly as glibc's headers declare it (`<resolv.h>`, `<arpa/nameser.h>`, `<arpa/inet.h>`,
//! `<netdb.h>`, `<getopt.h>`); `ns_msg` and `ns_rr` have the layout that a C compiler gives them
//! on this machine (checked by the tests below against values measured from C).
//!
//! Only this module holds `extern` declarations; the safe wrappers live in `dns.rs`.
use libc::{c_char, c_int, c_uchar, c_void, size_t, socklen_t};

/// `ns_s_max`: the four sections of a DNS message.
pub const NS_S_MAX: usize = 4;
/// `ns_s_an`: the answer section.
pub const NS_S_AN: c_int = 1;
/// `NS_PACKETSZ`: the answer buffer the original hands to `res_query`.
pub const NS_PACKETSZ: usize = 512;
/// `NS_MAXDNAME`: the size of a name buffer for `ns_name_uncompress`.
pub const NS_MAXDNAME: usize = 1025;
/// `ns_c_in`, `ns_t_srv`, `ns_t_afsdb`.
pub const NS_C_IN: c_int = 1;
pub const NS_T_SRV: c_int = 33;
pub const NS_T_AFSDB: c_int = 18;
/// `<netdb.h>`'s h_errno values.
pub const HOST_NOT_FOUND: c_int = 1;
pub const TRY_AGAIN: c_int = 2;
pub const NO_RECOVERY: c_int = 3;
pub const NO_DATA: c_int = 4;

/// `ns_msg` from `<arpa/nameser.h>`.
#[repr(C)]
pub struct NsMsg {
    pub msg: *const c_uchar,
    pub eom: *const c_uchar,
    pub id: u16,
    pub flags: u16,
    pub counts: [u16; NS_S_MAX],
    pub sections: [*const c_uchar; NS_S_MAX],
    pub sect: c_int,
    pub rrnum: c_int,
    pub msg_ptr: *const c_uchar,
}

/// `ns_rr` from `<arpa/nameser.h>`.
#[repr(C)]
pub struct NsRr {
    pub name: [c_char; NS_MAXDNAME],
    pub rr_type: u16,
    pub rr_class: u16,
    pub ttl: u32,
    pub rdlength: u16,
    pub rdata: *const c_uchar,
}

#[link(name = "resolv")]
extern "C" {
    pub fn res_query(
        dname: *const c_char,
        class: c_int,
        rtype: c_int,
        answer: *mut c_uchar,
        anslen: c_int,
    ) -> c_int;
    pub fn ns_initparse(msg: *const c_uchar, msglen: c_int, handle: *mut NsMsg) -> c_int;
    pub fn ns_parserr(handle: *mut NsMsg, section: c_int, rrnum: c_int, rr: *mut NsRr) -> c_int;
    pub fn ns_name_uncompress(
        msg: *const c_uchar,
        eom: *const c_uchar,
        src: *const c_uchar,
        dst: *mut c_char,
        dstsiz: size_t,
    ) -> c_int;
}

extern "C" {
    pub fn __h_errno_location() -> *mut c_int;
    pub fn inet_ntop(
        af: c_int,
        src: *const c_void,
        dst: *mut c_char,
        size: socklen_t,
    ) -> *const c_char;
    pub static mut optind: c_int;
    pub static mut optarg: *mut c_char;
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::{offset_of, size_of};

    // Measured with a C program on x86_64 glibc (sizeof/offsetof of ns_msg and ns_rr); the
    // pointer-sized fields scale with the target, so check the 64-bit layout there only.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn layouts_match_c() {
        assert_eq!(size_of::<NsMsg>(), 80);
        assert_eq!(offset_of!(NsMsg, counts), 20);
        assert_eq!(offset_of!(NsMsg, sections), 32);
        assert_eq!(offset_of!(NsMsg, sect), 64);
        assert_eq!(offset_of!(NsMsg, rrnum), 68);
        assert_eq!(offset_of!(NsMsg, msg_ptr), 72);
        assert_eq!(size_of::<NsRr>(), 1048);
        assert_eq!(offset_of!(NsRr, rr_type), 1026);
        assert_eq!(offset_of!(NsRr, rr_class), 1028);
        assert_eq!(offset_of!(NsRr, ttl), 1032);
        assert_eq!(offset_of!(NsRr, rdlength), 1036);
        assert_eq!(offset_of!(NsRr, rdata), 1040);
    }
}

//! Safe wrappers over the resolver calls the original makes: getaddrinfo(3) for host
//! addresses, and res_query(3) + ns_initparse/ns_parserr/ns_name_uncompress (libresolv) for the
//! SRV and AFSDB records. No DNS message is parsed here by hand: libresolv does it, with the
//! system's resolv.conf, exactly as for the original program.
use crate::ffi;
use libc::{c_char, c_int, c_void};
use std::ffi::{CStr, CString};

/// One entry of getaddrinfo's list, as the original logs and uses it.
pub struct AddrInfo {
    pub flags: i32,
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub addrlen: u32,
    pub canonname: Option<Vec<u8>>,
    /// inet_ntop's text of the address, for AF_INET and AF_INET6.
    pub text: Option<Vec<u8>>,
}

/// getaddrinfo(NAME, NULL, hints with ai_family = FAMILY and nothing else).
/// Err: the EAI_* code.
pub fn getaddrinfo(name: &[u8], family: i32) -> Result<Vec<AddrInfo>, i32> {
    let Ok(cname) = CString::new(crate::out::c_str(name)) else {
        return Err(libc::EAI_NONAME);
    };
    // SAFETY: addrinfo is a plain C struct for which all-zero bytes are the documented
    // "no hints" value (null pointers, zero flags).
    let mut hints: libc::addrinfo = unsafe { core::mem::zeroed() };
    hints.ai_family = family;
    let mut res: *mut libc::addrinfo = core::ptr::null_mut();
    // SAFETY: cname is NUL-terminated, service may be NULL, hints and res are valid for the call.
    let r = unsafe { libc::getaddrinfo(cname.as_ptr(), core::ptr::null(), &hints, &mut res) };
    if r != 0 {
        return Err(r);
    }
    let mut out = Vec::new();
    let mut ai = res;
    while !ai.is_null() {
        // SAFETY: ai is a non-null node of the list getaddrinfo returned, not yet freed.
        let a = unsafe { &*ai };
        let canonname = if a.ai_canonname.is_null() {
            None
        } else {
            // SAFETY: a non-null ai_canonname is a NUL-terminated string owned by the list.
            let name = unsafe { CStr::from_ptr(a.ai_canonname) };
            Some(name.to_bytes().to_vec())
        };
        out.push(AddrInfo {
            flags: a.ai_flags,
            family: a.ai_family,
            socktype: a.ai_socktype,
            protocol: a.ai_protocol,
            addrlen: a.ai_addrlen,
            canonname,
            text: ntop(a),
        });
        ai = a.ai_next;
    }
    // SAFETY: res is the list getaddrinfo returned; nothing refers to it after this.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// inet_ntop of an AF_INET/AF_INET6 entry's address.
fn ntop(a: &libc::addrinfo) -> Option<Vec<u8>> {
    if a.ai_addr.is_null() {
        return None;
    }
    let mut buf = [0 as c_char; 64];
    let (src, len): (*const c_void, u32) = match a.ai_family {
        libc::AF_INET if a.ai_addrlen as usize >= core::mem::size_of::<libc::sockaddr_in>() => {
            let sin = a.ai_addr as *const libc::sockaddr_in;
            // SAFETY: the family says ai_addr is a sockaddr_in, and addrlen covers it.
            let addr = unsafe { core::ptr::addr_of!((*sin).sin_addr) };
            (addr as *const c_void, 16)
        }
        libc::AF_INET6 if a.ai_addrlen as usize >= core::mem::size_of::<libc::sockaddr_in6>() => {
            let sin6 = a.ai_addr as *const libc::sockaddr_in6;
            // SAFETY: the family says ai_addr is a sockaddr_in6, and addrlen covers it.
            let addr = unsafe { core::ptr::addr_of!((*sin6).sin6_addr) };
            (addr as *const c_void, 46)
        }
        _ => return None,
    };
    // SAFETY: src points at an in_addr/in6_addr of the family given; buf is writable for
    // `len` (<= 64) bytes, which is what we pass.
    let p = unsafe { ffi::inet_ntop(a.ai_family, src, buf.as_mut_ptr(), len) };
    if p.is_null() {
        return None;
    }
    // SAFETY: inet_ntop succeeded: buf holds a NUL-terminated string.
    Some(unsafe { CStr::from_ptr(buf.as_ptr()) }.to_bytes().to_vec())
}

/// A DNS answer as res_query left it in a buffer of NS_PACKETSZ bytes.
pub struct Answer {
    buf: Box<[u8; ffi::NS_PACKETSZ]>,
    len: usize,
}

/// One record of the answer section: its type, TTL and where its RDATA starts in the message.
pub struct Record {
    pub rtype: u16,
    pub ttl: u32,
    rdata: usize,
}

/// What the answer section held: the count it claims and each record (or the errno with which
/// ns_parserr refused it).
pub struct Section {
    pub count: i32,
    pub records: Vec<Result<Record, i32>>,
}

/// res_query(NAME, C_IN, TYPE) into a 512-byte buffer, as the original asks.
/// Err: h_errno.
pub fn res_query(name: &[u8], rtype: c_int) -> Result<Answer, i32> {
    let Ok(cname) = CString::new(crate::out::c_str(name)) else {
        return Err(ffi::HOST_NOT_FOUND);
    };
    let mut buf = Box::new([0u8; ffi::NS_PACKETSZ]);
    // SAFETY: cname is NUL-terminated; buf is writable for the length we pass.
    let n = unsafe {
        ffi::res_query(
            cname.as_ptr(),
            ffi::NS_C_IN,
            rtype,
            buf.as_mut_ptr(),
            ffi::NS_PACKETSZ as c_int,
        )
    };
    if n < 0 {
        // SAFETY: __h_errno_location returns this thread's h_errno, always valid.
        return Err(unsafe { *ffi::__h_errno_location() });
    }
    Ok(Answer {
        buf,
        len: n as usize,
    })
}

impl Answer {
    /// ns_initparse and ns_parserr over the answer section. Err: ns_initparse's errno.
    ///
    /// res_query returns the answer's full length even when only the first 512 bytes fitted
    /// (the original then hands that length to ns_initparse, which reads past its buffer and
    /// fails with EMSGSIZE); here such an answer fails with EMSGSIZE without being read.
    pub fn answers(&self) -> Result<Section, i32> {
        if self.len > ffi::NS_PACKETSZ {
            return Err(libc::EMSGSIZE);
        }
        // SAFETY: ns_msg is plain data; ns_initparse fills every field before it is read.
        let mut handle: ffi::NsMsg = unsafe { core::mem::zeroed() };
        // SAFETY: the message is the first len (<= 512) bytes of buf, which lives as long as
        // handle is used (this function).
        let r = unsafe { ffi::ns_initparse(self.buf.as_ptr(), self.len as c_int, &mut handle) };
        if r < 0 {
            return Err(crate::out::errno());
        }
        let count = i32::from(
            handle
                .counts
                .get(ffi::NS_S_AN as usize)
                .copied()
                .unwrap_or(0),
        );
        let mut records = Vec::new();
        for i in 0..count {
            // SAFETY: ns_rr is plain data that ns_parserr fills.
            let mut rr: Box<ffi::NsRr> = Box::new(unsafe { core::mem::zeroed() });
            // SAFETY: handle came from a successful ns_initparse over buf, still alive; rr is
            // a valid ns_rr to write.
            let r = unsafe { ffi::ns_parserr(&mut handle, ffi::NS_S_AN, i, &mut *rr) };
            if r != 0 {
                records.push(Err(crate::out::errno()));
                continue;
            }
            let off = (rr.rdata as usize).wrapping_sub(self.buf.as_ptr() as usize);
            records.push(Ok(Record {
                rtype: rr.rr_type,
                ttl: rr.ttl,
                rdata: off,
            }));
        }
        Ok(Section { count, records })
    }

    /// ns_get16 at RDATA + AT: big-endian, from the 512-byte buffer (zero beyond it).
    pub fn get16(&self, rec: &Record, at: usize) -> u16 {
        let o = rec.rdata.saturating_add(at);
        let hi = self.buf.get(o).copied().unwrap_or(0);
        let lo = self.buf.get(o.saturating_add(1)).copied().unwrap_or(0);
        u16::from_be_bytes([hi, lo])
    }

    /// ns_name_uncompress of the domain name at RDATA + AT, into a NS_MAXDNAME buffer.
    pub fn name_at(&self, rec: &Record, at: usize) -> Option<Vec<u8>> {
        let src = rec.rdata.checked_add(at)?;
        if src >= self.len {
            // Where libresolv's own bound check would refuse it: outside the message.
            return None;
        }
        let mut dst = [0 as c_char; ffi::NS_MAXDNAME];
        let base = self.buf.as_ptr();
        // SAFETY: base..base+len is the message; src lies inside it (checked above); dst is
        // writable for the size we pass. ns_name_uncompress reads only within [base, eom).
        let r = unsafe {
            ffi::ns_name_uncompress(
                base,
                base.add(self.len),
                base.add(src),
                dst.as_mut_ptr(),
                dst.len(),
            )
        };
        if r < 0 {
            return None;
        }
        // SAFETY: on success dst holds a NUL-terminated presentation name.
        Some(unsafe { CStr::from_ptr(dst.as_ptr()) }.to_bytes().to_vec())
    }
}

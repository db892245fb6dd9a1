//! The values the functions take and give: serials, special keyrings, permissions, descriptions.

use std::fmt;
use std::ops::{BitAnd, BitOr, BitOrAssign};

/// A key's serial number (`key_serial_t`): a positive id, or a negative [`SpecialKeyring`], or
/// [`KeySerial::NONE`] (0) where an argument is optional.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct KeySerial(pub i32);

impl KeySerial {
    /// 0: "no keyring" (for example no destination keyring), or "drop authority" for
    /// [`assume_authority`](crate::assume_authority).
    pub const NONE: KeySerial = KeySerial(0);

    /// The serial as the C library and the kernel see it.
    pub const fn raw(self) -> i32 {
        self.0
    }
}

impl fmt::Display for KeySerial {
    /// The serial in decimal, as `keyctl` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<i32> for KeySerial {
    fn from(raw: i32) -> Self {
        KeySerial(raw)
    }
}

impl From<KeySerial> for i32 {
    fn from(key: KeySerial) -> Self {
        key.0
    }
}

/// The keyrings a process names without knowing their serials (`KEY_SPEC_*`; `keyctl`'s `@t`,
/// `@p`, `@s`, `@u`, `@us`, `@g`, `@a`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SpecialKeyring {
    /// The calling thread's keyring (`KEY_SPEC_THREAD_KEYRING`, -1, `@t`).
    Thread,
    /// The calling process's keyring (`KEY_SPEC_PROCESS_KEYRING`, -2, `@p`).
    Process,
    /// The session keyring (`KEY_SPEC_SESSION_KEYRING`, -3, `@s`).
    Session,
    /// The user's keyring (`KEY_SPEC_USER_KEYRING`, -4, `@u`).
    User,
    /// The user's default session keyring (`KEY_SPEC_USER_SESSION_KEYRING`, -5, `@us`).
    UserSession,
    /// The group keyring (`KEY_SPEC_GROUP_KEYRING`, -6, `@g`; not implemented by Linux).
    Group,
    /// The authorisation key of a request-key handler (`KEY_SPEC_REQKEY_AUTH_KEY`, -7, `@a`).
    ReqKeyAuthKey,
}

impl SpecialKeyring {
    /// The negative serial that stands for this keyring.
    pub const fn serial(self) -> KeySerial {
        KeySerial(match self {
            SpecialKeyring::Thread => -1,
            SpecialKeyring::Process => -2,
            SpecialKeyring::Session => -3,
            SpecialKeyring::User => -4,
            SpecialKeyring::UserSession => -5,
            SpecialKeyring::Group => -6,
            SpecialKeyring::ReqKeyAuthKey => -7,
        })
    }
}

impl From<SpecialKeyring> for KeySerial {
    fn from(ring: SpecialKeyring) -> Self {
        ring.serial()
    }
}

/// `key_perm_t`: four groups of six rights (possessor, user, group, other), as `keyctl setperm`
/// takes them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Permission(pub u32);

macro_rules! perms {
    ($($(#[$doc:meta])* $name:ident = $value:expr;)*) => {
        impl Permission {
            $($(#[$doc])* pub const $name: Permission = Permission($value);)*
        }
    };
}

perms! {
    /// The possessor may see the key's attributes.
    KEY_POS_VIEW = 0x0100_0000;
    /// The possessor may read the payload (list a keyring).
    KEY_POS_READ = 0x0200_0000;
    /// The possessor may update the payload (add to and remove from a keyring).
    KEY_POS_WRITE = 0x0400_0000;
    /// The possessor may find the key by searching (search a keyring).
    KEY_POS_SEARCH = 0x0800_0000;
    /// The possessor may link the key.
    KEY_POS_LINK = 0x1000_0000;
    /// The possessor may change the attributes.
    KEY_POS_SETATTR = 0x2000_0000;
    /// Every right of the possessor.
    KEY_POS_ALL = 0x3f00_0000;
    /// The owner may see the key's attributes.
    KEY_USR_VIEW = 0x0001_0000;
    /// The owner may read the payload.
    KEY_USR_READ = 0x0002_0000;
    /// The owner may update the payload.
    KEY_USR_WRITE = 0x0004_0000;
    /// The owner may find the key by searching.
    KEY_USR_SEARCH = 0x0008_0000;
    /// The owner may link the key.
    KEY_USR_LINK = 0x0010_0000;
    /// The owner may change the attributes.
    KEY_USR_SETATTR = 0x0020_0000;
    /// Every right of the owner.
    KEY_USR_ALL = 0x003f_0000;
    /// The key's group may see its attributes.
    KEY_GRP_VIEW = 0x0000_0100;
    /// The key's group may read the payload.
    KEY_GRP_READ = 0x0000_0200;
    /// The key's group may update the payload.
    KEY_GRP_WRITE = 0x0000_0400;
    /// The key's group may find it by searching.
    KEY_GRP_SEARCH = 0x0000_0800;
    /// The key's group may link it.
    KEY_GRP_LINK = 0x0000_1000;
    /// The key's group may change its attributes.
    KEY_GRP_SETATTR = 0x0000_2000;
    /// Every right of the group.
    KEY_GRP_ALL = 0x0000_3f00;
    /// Others may see the key's attributes.
    KEY_OTH_VIEW = 0x0000_0001;
    /// Others may read the payload.
    KEY_OTH_READ = 0x0000_0002;
    /// Others may update the payload.
    KEY_OTH_WRITE = 0x0000_0004;
    /// Others may find the key by searching.
    KEY_OTH_SEARCH = 0x0000_0008;
    /// Others may link the key.
    KEY_OTH_LINK = 0x0000_0010;
    /// Others may change the attributes.
    KEY_OTH_SETATTR = 0x0000_0020;
    /// Every right of others.
    KEY_OTH_ALL = 0x0000_003f;
}

impl Permission {
    /// The mask as the kernel takes it.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether every right of `other` is in `self`.
    pub const fn contains(self, other: Permission) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Permission {
    type Output = Permission;
    fn bitor(self, rhs: Permission) -> Permission {
        Permission(self.0 | rhs.0)
    }
}

impl BitOrAssign for Permission {
    fn bitor_assign(&mut self, rhs: Permission) {
        self.0 |= rhs.0;
    }
}

impl BitAnd for Permission {
    type Output = Permission;
    fn bitand(self, rhs: Permission) -> Permission {
        Permission(self.0 & rhs.0)
    }
}

impl fmt::Display for Permission {
    /// The 24 letters of `keyctl describe`: `alswrv` for possessor, user, group and other, a `-`
    /// for each right not granted (`alswrvalswrv------v-----`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for shift in [24, 16, 8, 0] {
            for (bit, letter) in [
                (0x20, "a"),
                (0x10, "l"),
                (0x08, "s"),
                (0x04, "w"),
                (0x02, "r"),
                (0x01, "v"),
            ] {
                f.write_str(if (self.0 >> shift) & bit != 0 {
                    letter
                } else {
                    "-"
                })?;
            }
        }
        Ok(())
    }
}

/// A key's attributes, parsed from the kernel's `type;uid;gid;perm;description`
/// ([`describe`](crate::describe)).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Description {
    /// The key type's name (`user`, `keyring`, `logon`, ...).
    pub key_type: Vec<u8>,
    /// The owner's uid.
    pub uid: u32,
    /// The group's gid (`u32::MAX` for none).
    pub gid: u32,
    /// The permission mask.
    pub perm: Permission,
    /// The description: any bytes but NUL, `;` included.
    pub description: Vec<u8>,
}

impl Description {
    /// Parses the text of `KEYCTL_DESCRIBE` (without its NUL): the type, uid and gid in decimal,
    /// the mask in hex, each ended by `;`, then the description, which may hold more `;`. None
    /// for anything else.
    pub fn parse(raw: &[u8]) -> Option<Description> {
        let mut fields = raw.splitn(5, |&b| b == b';');
        let key_type = fields.next()?;
        let uid = parse_id(fields.next()?)?;
        let gid = parse_id(fields.next()?)?;
        let perm = std::str::from_utf8(fields.next()?).ok()?;
        let perm = u32::from_str_radix(perm, 16).ok()?;
        let description = fields.next()?;
        if key_type.is_empty() {
            return None;
        }
        Some(Description {
            key_type: key_type.to_vec(),
            uid,
            gid,
            perm: Permission(perm),
            description: description.to_vec(),
        })
    }
}

/// A uid or gid as the kernel prints it (`%d`: -1 for none).
fn parse_id(field: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(field).ok()?;
    match text.parse::<u32>() {
        Ok(v) => Some(v),
        Err(_) => text.parse::<i32>().ok().map(|v| v as u32),
    }
}

/// What [`pkey_query`](crate::pkey_query) tells of an asymmetric key (`struct
/// keyctl_pkey_query`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct PkeyQuery {
    /// The operations the key supports: [`PkeyQuery::SUPPORTS_ENCRYPT`] and the others, ORed.
    pub supported_ops: u32,
    /// The key's size in bits.
    pub key_size: u32,
    /// The largest input to sign or encrypt, in bytes.
    pub max_data_size: u16,
    /// The largest signature, in bytes.
    pub max_sig_size: u16,
    /// The largest ciphertext, in bytes.
    pub max_enc_size: u16,
    /// The largest plaintext a decryption gives, in bytes.
    pub max_dec_size: u16,
}

impl PkeyQuery {
    /// The key can encrypt (`KEYCTL_SUPPORTS_ENCRYPT`).
    pub const SUPPORTS_ENCRYPT: u32 = 0x01;
    /// The key can decrypt (`KEYCTL_SUPPORTS_DECRYPT`).
    pub const SUPPORTS_DECRYPT: u32 = 0x02;
    /// The key can sign (`KEYCTL_SUPPORTS_SIGN`).
    pub const SUPPORTS_SIGN: u32 = 0x04;
    /// The key can verify signatures (`KEYCTL_SUPPORTS_VERIFY`).
    pub const SUPPORTS_VERIFY: u32 = 0x08;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_serials() {
        assert_eq!(SpecialKeyring::Thread.serial(), KeySerial(-1));
        assert_eq!(
            KeySerial::from(SpecialKeyring::ReqKeyAuthKey),
            KeySerial(-7)
        );
        assert_eq!(KeySerial(42).to_string(), "42");
        assert_eq!(KeySerial::from(-3).raw(), -3);
    }

    #[test]
    fn permission_display() {
        let p = Permission::KEY_POS_ALL | Permission::KEY_USR_VIEW | Permission::KEY_OTH_SEARCH;
        assert_eq!(p.to_string(), "alswrv-----v--------s---");
        assert_eq!(
            Permission(0x3f3f_0000).to_string(),
            "alswrvalswrv------------"
        );
        assert!(p.contains(Permission::KEY_POS_READ));
        assert!(!p.contains(Permission::KEY_USR_READ));
        assert_eq!((p & Permission::KEY_USR_ALL).bits(), 0x0001_0000);
    }

    #[test]
    fn description_parse() {
        let d = Description::parse(b"user;0;-1;3f010000;a;b;c").unwrap();
        assert_eq!(d.key_type, b"user");
        assert_eq!((d.uid, d.gid), (0, u32::MAX));
        assert_eq!(d.perm, Permission(0x3f01_0000));
        assert_eq!(d.description, b"a;b;c");
        let d = Description::parse(b"keyring;4294967295;1000;1;").unwrap();
        assert_eq!((d.uid, d.gid, d.description.len()), (u32::MAX, 1000, 0));
        for bad in [
            &b""[..],
            b"user",
            b"user;0;0;3f",
            b";0;0;1;x",
            b"user;x;0;1;d",
            b"user;0;0;zz;d",
            b"user;0;0;1ffffffff;d",
            b"user;\xff;0;1;d",
        ] {
            assert_eq!(Description::parse(bad), None, "{bad:?}");
        }
    }
}

// The exported symbols of libkeyutils.so.1 and the ELF version node each one lives in.
//
// This table is the single source of truth for symbol versioning: `build.rs` includes this very
// file to write the linker version script and the `node!` macro that every `symver!` expansion
// asks for its node, so the script and the `.symver` directives cannot drift apart. A symbol whose
// node is `None` is exported unversioned (at "Base"), as keyutils 1.6.3 exports it.
//
// This file is `include!`d by build.rs: keep it free of `use` and crate paths.

/// One exported symbol: its name and its version node (`None` = unversioned, "Base").
pub struct Export {
    pub name: &'static str,
    pub node: Option<&'static str>,
}

/// The version nodes in order; each inherits the one before it. KEYUTILS_1.8 has no symbol of its
/// own, but programs may still name it, so it is defined like the others.
pub const NODES: &[&str] = &[
    "KEYUTILS_0.3",
    "KEYUTILS_1.0",
    "KEYUTILS_1.3",
    "KEYUTILS_1.4",
    "KEYUTILS_1.5",
    "KEYUTILS_1.6",
    "KEYUTILS_1.7",
    "KEYUTILS_1.8",
    "KEYUTILS_1.9",
    "KEYUTILS_1.10",
];

const fn v(name: &'static str, node: &'static str) -> Export {
    Export {
        name,
        node: Some(node),
    }
}

const fn base(name: &'static str) -> Export {
    Export { name, node: None }
}

/// All 46 exported symbols, as `objdump -T` shows them for Debian's libkeyutils.so.1.10.
pub const EXPORTS: &[Export] = &[
    v("add_key", "KEYUTILS_0.3"),
    v("request_key", "KEYUTILS_0.3"),
    v("keyctl", "KEYUTILS_0.3"),
    v("keyctl_get_keyring_ID", "KEYUTILS_0.3"),
    v("keyctl_join_session_keyring", "KEYUTILS_0.3"),
    v("keyctl_update", "KEYUTILS_0.3"),
    v("keyctl_revoke", "KEYUTILS_0.3"),
    v("keyctl_chown", "KEYUTILS_0.3"),
    v("keyctl_setperm", "KEYUTILS_0.3"),
    v("keyctl_describe", "KEYUTILS_0.3"),
    v("keyctl_clear", "KEYUTILS_0.3"),
    v("keyctl_link", "KEYUTILS_0.3"),
    v("keyctl_unlink", "KEYUTILS_0.3"),
    v("keyctl_search", "KEYUTILS_0.3"),
    v("keyctl_read", "KEYUTILS_0.3"),
    v("keyctl_instantiate", "KEYUTILS_0.3"),
    v("keyctl_negate", "KEYUTILS_0.3"),
    v("keyctl_set_reqkey_keyring", "KEYUTILS_0.3"),
    v("keyctl_describe_alloc", "KEYUTILS_0.3"),
    v("keyctl_read_alloc", "KEYUTILS_0.3"),
    v("keyctl_set_timeout", "KEYUTILS_1.0"),
    v("keyctl_assume_authority", "KEYUTILS_1.0"),
    v("keyctl_get_security", "KEYUTILS_1.3"),
    v("keyctl_get_security_alloc", "KEYUTILS_1.3"),
    v("keyctl_session_to_parent", "KEYUTILS_1.3"),
    v("keyctl_reject", "KEYUTILS_1.4"),
    v("keyctl_instantiate_iov", "KEYUTILS_1.4"),
    v("keyctl_invalidate", "KEYUTILS_1.4"),
    v("recursive_key_scan", "KEYUTILS_1.4"),
    v("recursive_session_key_scan", "KEYUTILS_1.4"),
    v("keyctl_get_persistent", "KEYUTILS_1.5"),
    v("find_key_by_type_and_desc", "KEYUTILS_1.5"),
    v("keyctl_dh_compute", "KEYUTILS_1.6"),
    v("keyctl_dh_compute_alloc", "KEYUTILS_1.6"),
    v("keyctl_pkey_query", "KEYUTILS_1.6"),
    v("keyctl_pkey_encrypt", "KEYUTILS_1.6"),
    v("keyctl_pkey_decrypt", "KEYUTILS_1.6"),
    v("keyctl_pkey_sign", "KEYUTILS_1.6"),
    v("keyctl_pkey_verify", "KEYUTILS_1.6"),
    v("keyctl_dh_compute_kdf", "KEYUTILS_1.7"),
    v("keyctl_move", "KEYUTILS_1.9"),
    v("keyctl_capabilities", "KEYUTILS_1.9"),
    v("keyctl_watch_key", "KEYUTILS_1.10"),
    base("keyctl_restrict_keyring"),
    base("keyutils_version_string"),
    base("keyutils_build_string"),
];

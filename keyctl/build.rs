// Link libkeyutils dynamically by soname, as Debian's keyctl does.  The
// directory holding libkeyutils.so comes from KEYUTILS_LIBDIR when set
// (our build tree or /tmp/syslib); otherwise the system linker path is used.
fn main() {
    println!("cargo:rerun-if-env-changed=KEYUTILS_LIBDIR");
    if let Ok(dir) = std::env::var("KEYUTILS_LIBDIR") {
        if !dir.is_empty() {
            println!("cargo:rustc-link-search=native={dir}");
        }
    }
    println!("cargo:rustc-link-lib=dylib=keyutils");
}

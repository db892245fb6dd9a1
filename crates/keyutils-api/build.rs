// Links libkeyutils dynamically by soname, as Debian's programs do: the binaries record only
// `libkeyutils.so.1`, and the dynamic loader picks the library at run time. KEYUTILS_LIBDIR, when
// set, is the directory holding `libkeyutils.so` to link against (the build tree's build/lib);
// otherwise the system linker path is used (libkeyutils-dev).
//
// This crate's own test binaries also get KEYUTILS_LIBDIR as their RUNPATH, so that they load
// that library even where the environment is cleaned (a request-key upcall runs them with none).
fn main() {
    println!("cargo:rerun-if-env-changed=KEYUTILS_LIBDIR");
    if let Ok(dir) = std::env::var("KEYUTILS_LIBDIR") {
        if !dir.is_empty() {
            println!("cargo:rustc-link-search=native={dir}");
            println!("cargo:rustc-link-arg-tests=-Wl,-rpath,{dir}");
        }
    }
    println!("cargo:rustc-link-lib=dylib=keyutils");
}

//! The C boundary: symbol versions, errno, and what happens on a panic.

use core::ffi::c_int;

/// Gives an exported function its version node from `src/symbols.rs`, in the same codegen unit
/// as the function (a `.symver` elsewhere fails to link in debug builds).
macro_rules! symver {
    ($name:ident) => {
        core::arch::global_asm!(concat!(
            ".symver ",
            stringify!($name),
            ", ",
            stringify!($name),
            "@@",
            node!($name)
        ));
    };
}

/// An `errno` value that we set ourselves (kernel errors pass through untouched).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub c_int);

pub fn errno() -> c_int {
    // SAFETY: __errno_location returns the calling thread's errno slot, valid for the thread's life.
    unsafe { *libc::__errno_location() }
}

pub fn set_errno(e: c_int) {
    // SAFETY: as in `errno`; writing an int to the thread's own errno slot.
    unsafe { *libc::__errno_location() = e }
}

/// The C convention for failure: errno set, -1 returned.
pub fn fail<T: From<i8>>(e: Errno) -> T {
    set_errno(e.0);
    T::from(-1)
}

#[cfg(all(not(any(test, fuzzing)), panic = "abort"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: abort() takes no arguments and never returns.
    unsafe { libc::abort() }
}

// core is shipped built for unwinding and may reference the personality routine even though we
// never unwind. A hidden definition keeps the symbol out of the dynamic table (and the .so
// linkable) without exporting anything. Nothing can call it, as nothing unwinds; should something
// ever do, it aborts, like a panic. (An alias of a Rust function rather than an instruction in the
// asm: no trap instruction is portable, `ud2` is x86 only.)
#[cfg(all(not(any(test, fuzzing)), panic = "abort"))]
extern "C" fn no_unwinding() -> ! {
    // SAFETY: abort() takes no arguments and never returns.
    unsafe { libc::abort() }
}

#[cfg(all(not(any(test, fuzzing)), panic = "abort"))]
macro_rules! no_unwinding_alias {
    ($name:literal) => {
        core::arch::global_asm!(
            concat!(".globl ", $name),
            concat!(".hidden ", $name),
            concat!(".type ", $name, ", %function"),
            concat!(".set ", $name, ", {f}"),
            f = sym no_unwinding,
        );
    };
}

#[cfg(all(not(any(test, fuzzing)), panic = "abort"))]
no_unwinding_alias!("rust_eh_personality");

// 32-bit ARM unwinds by the EHABI, whose unwind tables name the personality routines
// __aeabi_unwind_cpp_pr0/1 (they come with libgcc_s). LLD ignores those references, but GNU ld
// (`make LINKER=bfd`, the Debian build) resolves them and makes the library NEED libgcc_s.so.1,
// which Debian's does not: the same hidden, aborting stand-ins.
#[cfg(all(not(any(test, fuzzing)), panic = "abort", target_arch = "arm"))]
no_unwinding_alias!("__aeabi_unwind_cpp_pr0");
#[cfg(all(not(any(test, fuzzing)), panic = "abort", target_arch = "arm"))]
no_unwinding_alias!("__aeabi_unwind_cpp_pr1");
#[cfg(all(not(any(test, fuzzing)), panic = "abort", target_arch = "arm"))]
no_unwinding_alias!("__aeabi_unwind_cpp_pr2");

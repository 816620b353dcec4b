//! The xtask's own output. A reader that stops reading (`cargo xtask diff | head`) is not an
//! error: the rest of the output is dropped and the command carries on to its end, where
//! `println!` would panic half-way (between two files `codegen` writes, say).

use std::io::Write;

/// Writes `args` to stdout, or drops them once the reader has gone.
pub fn write(args: std::fmt::Arguments<'_>) {
    if let Err(e) = std::io::stdout().lock().write_fmt(args)
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        panic!("failed printing to stdout: {e}");
    }
}

/// `print!` through [`write()`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::stdout::write(format_args!($($arg)*)) };
}

/// `println!` through [`write()`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*))) };
}

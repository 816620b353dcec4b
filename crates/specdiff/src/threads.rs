//! Threads: two independent pieces of work at once, and generators run where neither a
//! panic nor deep recursion inside a dependency can take the report down.

use std::panic;
use std::thread;

/// The stack of each thread generating a Rust API: progenitor recurses as deep as the schemas.
const GENERATOR_STACK: usize = 256 << 20;

/// Runs `first` on a scoped thread and `second` on this one, and returns both results; a
/// panic in either is passed on, as if both had run here.
pub(crate) fn both<A: Send, B>(first: impl FnOnce() -> A + Send, second: impl FnOnce() -> B) -> (A, B) {
    thread::scope(|scope| {
        let first = scope.spawn(first);
        let second = second();
        (first.join().unwrap_or_else(|e| panic::resume_unwind(e)), second)
    })
}

/// Runs two generators at once, each on a thread of its own with a deep stack; a panic, or a
/// thread that cannot start, is that side's error instead of a lost report.
pub(crate) fn guarded<A: Send, B: Send>(
    first: impl FnOnce() -> Result<A, String> + Send,
    second: impl FnOnce() -> Result<B, String> + Send,
) -> (Result<A, String>, Result<B, String>) {
    thread::scope(|scope| {
        let thread = || thread::Builder::new().stack_size(GENERATOR_STACK);
        let first = thread().spawn_scoped(scope, first);
        let second = thread().spawn_scoped(scope, second);
        (joined(first), joined(second))
    })
}

/// A generator thread's result; a panic, or a thread that could not start, as a reason.
fn joined<T>(handle: std::io::Result<thread::ScopedJoinHandle<'_, Result<T, String>>>) -> Result<T, String> {
    match handle {
        Ok(handle) => handle.join().unwrap_or_else(|_| Err("the generator panicked".to_owned())),
        Err(e) => Err(format!("cannot start a thread: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_run_and_a_generator_panic_is_a_reason() {
        assert_eq!(both(|| 1, || "two"), (1, "two"));
        let (ok, lost) =
            guarded(|| Ok::<_, String>(1), || -> Result<u8, String> { panic!("inside progenitor") });
        assert_eq!(ok, Ok(1));
        assert_eq!(lost, Err("the generator panicked".to_owned()));
    }

    #[test]
    #[should_panic(expected = "passed on")]
    fn a_panic_outside_the_generators_is_passed_on() {
        both(|| panic!("passed on"), || ());
    }
}

//! `cargo xtask … | head`: a reader that stops reading does not make the xtask panic.

use std::process::{Command, Stdio};

#[test]
fn a_reader_that_went_away_is_not_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--help")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the xtask starts");
    // The reader goes before the xtask has written anything.
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("the xtask ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

//! Tests of the code-generation pipeline: `generated_code.rs` snapshots each provider's
//! client (snapshots in `snapshots/`, refreshed by `cargo xtask codegen`), and
//! `bad_specs.rs` checks that bad specs give located errors.

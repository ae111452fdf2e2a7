//! The code `cormc` generates for each codegen fixture, one module per
//! fixture, compiled (and linted by `cargo clippy -D warnings`) with the
//! workspace. The snapshots in `tests/snapshots/codegen/` show the text;
//! this crate proves that every one of them is warning-free Rust.

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

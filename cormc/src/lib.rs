//! `cormc`: the corm schema compiler.
//!
//! It reads `.corm` schema files and turns them into a typed Rust data layer
//! for Cassandra (see the project's `docs/`). The stages (parse, check,
//! generate, migrate) land one issue at a time.

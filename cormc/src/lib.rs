//! `cormc`: the corm schema compiler.
//!
//! It reads `.corm` schema files and turns them into a typed Rust data layer
//! for Cassandra (see the project's `docs/`). The stages, each with one input
//! type:
//!
//! | stage | input | output |
//! | --- | --- | --- |
//! | [`parse`] | [`SourceMap`](diagnostics::SourceMap) | [`ast::Schema`] |
//! | [`check`] | [`ast::Schema`] | [`ir::Schema`] and diagnostics |
//! | [`codegen`] | [`ir::Schema`] | Rust files (in memory, then written) |
//! | [`Builder`] | schema paths (`build.rs`) | files written under an output folder |
//! | [`format`](mod@format) | [`ast::File`] and its source text | canonical `.corm` text |
//!
//! [`cql`] models Cassandra's own schema (DDL parsing, replay, diff,
//! rendering) for the drift check and generated DDL. Generation and
//! migrations land one issue at a time.

pub mod ast;
pub mod builder;
pub mod check;
pub mod cli;
pub mod codegen;
pub mod cql;
pub mod diagnostics;
pub mod format;
pub mod ir;
pub mod migrate;
pub mod parse;

pub use builder::{BuildError, Builder};

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
//! [`cql`] (the `corm-cql` crate, re-exported) models Cassandra's own
//! schema (DDL parsing, replay, diff, rendering) for the drift check and
//! generated DDL; [`migrate`] writes and
//! embeds migrations. The command line (`cli`, the `cormc` binary) is the
//! default feature `cli`; `build.rs` users turn default features off.

pub mod ast;
pub mod builder;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod codegen;
#[doc(inline)]
pub use corm_cql as cql;
pub mod diagnostics;
pub mod format;
pub mod ir;
#[cfg(feature = "runner")]
pub mod live;
pub mod migrate;
pub mod parse;

pub use builder::{BuildError, Builder};

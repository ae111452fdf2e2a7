//! Runnable programs that use corm against a local node; see `src/bin/`.

/// The code `cormc` generates from `examples/schema.corm` (committed; a
/// test in `cormc/tests/codegen.rs` fails when it is stale). Formatted by
/// cormc (prettyplease), not rustfmt.
#[rustfmt::skip]
pub mod generated;

pub mod bank;

#[cfg(feature = "embeddings")]
pub mod help_centre;

#[cfg(feature = "otlp")]
pub mod otlp;

pub mod orders;

pub mod tenant_isolation;

#[cfg(feature = "server")]
pub mod server;

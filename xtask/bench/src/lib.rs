//! `corm-bench`: the code that `cormc` generates from `xtask/bench/schema.corm`
//! measured against hand-written code and against charybdis on the same `scylla` driver, doing
//! the same work on the same session, tokio runtime and consistency.
//!
//! `cargo xtask bench` builds the `corm-bench` binary in release mode and
//! runs its `suite`: throughput and client CPU per operation for each
//! scenario at several concurrencies (sides in rotating order, medians of several
//! runs), then instructions and heap allocations per operation, measured by
//! running the binary's `ops` mode under valgrind (callgrind and dhat) with
//! two operation counts and dividing the difference. See
//! `docs/performance.md` for the method and the figures.
//!
//! - [`generated`]: the generated data layer (do not edit; regenerate).
//! - [`peer`]: the hand-written equivalent.
//! - [`charybdis_side`]: the same work through charybdis 1.1.
//! - [`workload`]: the scenarios, once per side.
//! - [`load`]: the load loop; [`cpu`]: process CPU time.
//! - [`data`], [`setup`]: the rows and the keyspace.
//! - [`suite`], [`valgrind`], [`report`]: the measurements and their report.
//! - [`scan`]: the whole-table read, single against parallel.
//! - [`bulk`]: bulk ingest, `insert_many` against hand-written writes.
//! - [`range`]: a time-series range over 24 buckets against one partition.
//! - [`events`]: an event store's replay and appends against hand-written
//!   code and plain inserts.
//! - [`graphql`]: the example schema's GraphQL endpoint against the same
//!   reads through the Rust API.
//! - [`sagas`]: sagas of three steps against the steps' writes alone.
//! - [`backup`]: `corm::backup` and restore against cqlsh `COPY`.

pub mod backup;
pub mod bulk;
pub mod cache;
pub mod changes;
#[allow(missing_docs)]
pub mod charybdis_side;
pub mod connections;
pub mod cpu;
pub mod data;
#[cfg(feature = "embed-local")]
pub mod embed;
pub mod events;
pub mod feed_latency;
pub mod graphql;
pub mod load;
pub mod peer;
pub mod range;
pub mod report;
pub mod sagas;
pub mod scan;
pub mod setup;
pub mod suite;
pub mod valgrind;
pub mod vectors;
pub mod workload;

/// The code `cormc` generates from `xtask/bench/schema.corm` (committed; `cargo
/// xtask codegen --check` fails when it is stale). Formatted by cormc
/// (prettyplease), not rustfmt.
#[rustfmt::skip]
pub mod generated;

/// Why the benchmark stopped.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A corm call outside the timed loops failed (connect, DDL).
    #[error(transparent)]
    Corm(#[from] corm::Error),
    /// Preparing the hand-written statements failed.
    #[error(transparent)]
    Peer(#[from] peer::PeerError),
    /// Writing the benchmark's rows failed.
    #[error("setup: {0}")]
    Setup(String),
    /// A timed run had failed operations.
    #[error("{0}")]
    Run(String),
    /// A valgrind run failed or its output did not read.
    #[error("valgrind: {0}")]
    Valgrind(String),
    /// Writing the report failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        source: std::io::Error,
    },
}

//! The runtime's error type: every failure names what was being done.

use scylla::errors::{
    ExecutionError, NewSessionError, PrepareError, SchemaAgreementError, UseKeyspaceError,
};

use crate::ConfigError;

/// The result type of the runtime and of generated code.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between a program and the cluster.
///
/// Each variant carries the context a reader needs to act: the contact
/// points, the statement text or the keyspace, beside the driver's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration could not be used.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// No session could be opened.
    #[error("could not connect to {contact_points}: {source}")]
    Connect {
        /// The contact points tried, comma-separated.
        contact_points: String,
        /// What the driver reported.
        #[source]
        source: Box<NewSessionError>,
    },
    /// A statement could not be prepared (usually a CQL error).
    #[error("could not prepare `{statement}`: {source}")]
    Prepare {
        /// The CQL text.
        statement: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<PrepareError>,
    },
    /// A statement failed to run.
    #[error("`{statement}` failed: {source}")]
    Execute {
        /// The CQL text.
        statement: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<ExecutionError>,
    },
    /// A statement ran but its result did not have the expected shape.
    #[error("unexpected result from `{statement}`: {problem}")]
    Result {
        /// The CQL text.
        statement: String,
        /// What did not match.
        problem: String,
    },
    /// The nodes did not agree on the schema after a change.
    #[error("no schema agreement after `{statement}`: {source}")]
    SchemaAgreement {
        /// The DDL statement that was applied.
        statement: String,
        /// What the driver reported.
        #[source]
        source: Box<SchemaAgreementError>,
    },
    /// The session could not switch keyspaces.
    #[error("could not use keyspace `{keyspace}`: {source}")]
    UseKeyspace {
        /// The keyspace asked for.
        keyspace: String,
        /// What the driver reported.
        #[source]
        source: Box<UseKeyspaceError>,
    },
}

//! The runtime's error type: every failure names what was being done.

pub(crate) mod kind;

use scylla::errors::{
    DeserializationError, ExecutionError, IntoRowsResultError, NewSessionError, NextRowError,
    PagerExecutionError, PrepareError, SchemaAgreementError, TypeCheckError, UseKeyspaceError,
};

pub use kind::ErrorKind;

use crate::ConfigError;
use crate::migrate::MigrateError;
use crate::validate::ValidationError;

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
    /// A statement could not be prepared: the cluster refused it, or could
    /// not be reached ([`Error::kind`] tells which).
    #[error(
        "could not prepare `{statement}` ({}): {source}",
        kind::prepare_cause(source)
    )]
    Prepare {
        /// The CQL text.
        statement: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<PrepareError>,
    },
    /// Preparing a statement took longer than the request timeout: a node
    /// did not answer (the driver prepares on every node and waits for
    /// each). The next use prepares again.
    #[error(
        "could not prepare `{statement}`: a node did not answer within {after:?} (a frozen or overloaded node?)"
    )]
    PrepareTimeout {
        /// The CQL text.
        statement: String,
        /// How long it waited.
        after: std::time::Duration,
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
    UnexpectedResult {
        /// The CQL text.
        statement: String,
        /// What did not match.
        problem: String,
    },
    /// A row's values could not be bound to a statement (a value that does
    /// not serialize, a partition key that does not bind); it was not sent.
    #[error("a row does not bind to `{statement}`: {problem}; it was not sent")]
    Unbound {
        /// The CQL text.
        statement: String,
        /// What did not bind.
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
    /// A paged query could not start (its first page failed).
    #[error("could not page through `{statement}`: {source}")]
    Pager {
        /// The CQL text.
        statement: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<PagerExecutionError>,
    },
    /// A later page of a paged query failed, or one of its rows did not read.
    #[error("reading the rows of `{statement}` failed: {source}")]
    NextRow {
        /// The CQL text.
        statement: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<NextRowError>,
    },
    /// A statement expected to return rows returned something else.
    #[error("`{statement}` returned no rows: {source}")]
    NotRows {
        /// The CQL text.
        statement: String,
        /// What the driver reported.
        #[source]
        source: Box<IntoRowsResultError>,
    },
    /// The columns of a result do not fit the Rust type (names, count or types).
    #[error("the columns of `{statement}` do not fit the Rust type: {source}")]
    TypeCheck {
        /// The CQL text.
        statement: String,
        /// Which column did not fit and why.
        #[source]
        source: TypeCheckError,
    },
    /// A row of a result could not be read (a null where a value is required,
    /// an unknown enum value, …).
    #[error("could not read a row of `{statement}`: {source}")]
    Deserialize {
        /// The CQL text.
        statement: String,
        /// Which column or field failed and why.
        #[source]
        source: DeserializationError,
    },
    /// A batch failed to run.
    #[error("batch of {size} statements (the first is `{first}`) failed: {source}")]
    Batch {
        /// How many statements the batch held.
        size: usize,
        /// The CQL text of its first statement.
        first: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<ExecutionError>,
    },
    /// A time-series read or write with a time it can't take: a range
    /// whose start is after its end, or a time outside what a bucket of the
    /// series can hold. Nothing was sent.
    #[error("time series `{series}`: {problem}")]
    InvalidTime {
        /// The time series.
        series: &'static str,
        /// What is wrong with the time.
        problem: String,
    },
    /// An append expected a stream at one version and found it at another:
    /// another writer appended first. Nothing of this append was written.
    #[error(
        "event store `{store}`: stream {id} is at version {actual}, not {expected}: another writer appended first"
    )]
    Conflict {
        /// The event store.
        store: &'static str,
        /// The stream id, as `Debug` prints it.
        id: String,
        /// The version the append expected.
        expected: u64,
        /// The version the stream had.
        actual: u64,
    },
    /// A stored event does not read as the store's event enum (an unknown
    /// type, or a payload that does not fit it, and no upcaster mapped it).
    #[error(
        "event store `{store}`: event {version} of stream {id} (`{event_type}`) does not read: {source}"
    )]
    EventDecode {
        /// The event store.
        store: &'static str,
        /// The stream id, as `Debug` prints it.
        id: String,
        /// The event's version.
        version: u64,
        /// Its stored type.
        event_type: String,
        /// Why it does not read.
        #[source]
        source: crate::events::DecodeError,
    },
    /// An event store was asked for something it can't do (an append of
    /// more events than a partition holds, an event or state that does
    /// not serialize). Nothing was written.
    #[error("event store `{store}`: {problem}")]
    EventStore {
        /// The event store.
        store: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A saga could not be started, run or read: an id reused with
    /// another input, an input or outputs that do not serialize or read
    /// back, a log that does not read as the saga's.
    #[error("saga `{saga}` {id}: {problem}")]
    Saga {
        /// The saga.
        saga: &'static str,
        /// The saga's id.
        id: String,
        /// What is wrong.
        problem: String,
    },
    /// A reservation could not be made, confirmed or cancelled: the row's
    /// stock is null or does not fit its column, or other writers kept
    /// changing the row. Nothing was held or given back.
    #[error("reservations of `{model}`: {problem}")]
    Reservation {
        /// The model.
        model: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A tenant could not be provisioned, migrated or dropped (a name too
    /// long for a keyspace, a drop not confirmed by its keyspace's name, a
    /// registry row that does not read); the registry says how far it got.
    #[error("tenant `{tenant}`: {problem}")]
    Tenancy {
        /// The tenant.
        tenant: String,
        /// What is wrong.
        problem: String,
    },
    /// A model's change log refused a write or a read (write options it
    /// can't record, a position older than its retention, a change that
    /// does not read back as the model). A refused write wrote nothing.
    #[error("change log of `{model}`: {problem}")]
    ChangeLog {
        /// The model.
        model: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A reader of the in-process change path fell behind by more changes
    /// than the path holds: they were skipped (the change log still has
    /// them: read them from a position with `changes`).
    #[error("changes of `{model}`: this subscriber fell behind and missed {missed} changes")]
    ChangesMissed {
        /// The model.
        model: &'static str,
        /// How many changes it missed.
        missed: u64,
    },
    /// A nearest-neighbour search with a query vector or a `k` Cassandra
    /// can't take (a NaN or infinite component, the zero vector under
    /// cosine similarity, `k` outside 1..=1000). Nothing was sent.
    #[error("nearest-neighbour search on `{index}`: {problem}")]
    InvalidVector {
        /// The indexed field (`Model.field`).
        index: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// A semantic cache refused its configuration, an input or an answer
    /// (a blank input, a table that holds another model's vectors, an
    /// answer that does not serialize or read back). Nothing was written.
    #[error("semantic cache `{cache}`: {problem}")]
    SemanticCache {
        /// The cache's table (`keyspace.table`).
        cache: String,
        /// What is wrong.
        problem: String,
    },
    /// Texts could not be embedded (no embedder set, or the embedder
    /// failed). Nothing was written.
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
    /// A page size that is not a positive number was asked for.
    #[error("page size {page_size} for `{statement}`: a page holds at least one row")]
    InvalidPageSize {
        /// The CQL text.
        statement: String,
        /// The size asked for.
        page_size: i32,
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
    /// The migration runner refused to run or stopped (see [`MigrateError`]).
    #[error(transparent)]
    Migrate(Box<MigrateError>),
    /// A value broke its `@validate` rules; nothing was written.
    #[error(transparent)]
    Validation(Box<ValidationError>),
    /// A `@unique` value is already claimed by another row; nothing was
    /// written.
    #[error("`{model}.{field}` must be unique: {value} is already taken")]
    Unique {
        /// The model.
        model: &'static str,
        /// The unique field.
        field: &'static str,
        /// The value, as CQL would print it.
        value: String,
    },
}

impl From<ValidationError> for Error {
    /// A write refused by its `@validate` rules (counted as
    /// `corm_validation_failures_total{model}` with the `metrics` feature).
    fn from(error: ValidationError) -> Self {
        #[cfg(feature = "metrics")]
        metrics::counter!("corm_validation_failures_total", "model" => error.model()).increment(1);
        Self::Validation(Box::new(error))
    }
}

impl Error {
    /// The validation error, when a value broke its `@validate` rules.
    pub fn as_validation(&self) -> Option<&ValidationError> {
        match self {
            Self::Validation(error) => Some(error),
            _ => None,
        }
    }

    /// The migration runner's error, when this is one.
    pub fn as_migrate(&self) -> Option<&MigrateError> {
        match self {
            Self::Migrate(error) => Some(error),
            _ => None,
        }
    }
}

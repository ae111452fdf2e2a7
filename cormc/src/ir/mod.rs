//! The checked schema: what code generation and migrations read.
//!
//! Everything here has passed every check: names resolve, types are valid,
//! keys work, queries are servable. Codegen never looks at the AST; it reads
//! only this. Items keep their order of declaration (files in the order given,
//! items in file order), so output is deterministic.

mod aggregate;
mod event_store;
mod model;
mod mutation;
mod query;
mod saga;
mod time_series;
mod types;

pub use aggregate::{Aggregate, AggregateFunction, AggregateItem, Execution, Having};
pub use event_store::{DEFAULT_PARTITION_EVENTS, Event, EventStore};
pub use model::{
    Cache, ChangeLog, Clustering, Compaction, Default, Field, Index, IndexOn, Key, Model, Relation,
    RelationKind, Reserve, Similarity, Validation, VectorIndex,
};
pub use mutation::{AssignOp, Assignment, Check, DeleteTarget, Mutation, MutationAction};
pub use query::{
    CellRead, Condition, Limit, Literal, Nearest, Operand, Operator, Ordering, Param, Projection,
    Query, Selected,
};
pub use saga::{DEFAULT_LEASE_MS, DEFAULT_STEP_RETRIES, DEFAULT_STEP_TIMEOUT_MS, Saga, SagaStep};
pub use time_series::TimeSeries;
pub use types::{Order, Scalar, Type};

use crate::cql::{CqlSchema, DdlStatement};
use crate::diagnostics::Span;

/// A whole checked schema (all files compiled together).
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// The keyspace item, when the schema has one.
    pub keyspace: Option<Keyspace>,
    /// User-defined types, in declaration order.
    pub udts: Vec<Udt>,
    /// Enums, in declaration order.
    pub enums: Vec<Enum>,
    /// Models, in declaration order.
    pub models: Vec<Model>,
    /// Named queries.
    pub queries: Vec<Query>,
    /// Aggregates.
    pub aggregates: Vec<Aggregate>,
    /// Named mutations.
    pub mutations: Vec<Mutation>,
    /// Time series.
    pub time_series: Vec<TimeSeries>,
    /// Event-sourced aggregates.
    pub event_stores: Vec<EventStore>,
    /// Sagas.
    pub sagas: Vec<Saga>,
    /// Migration blocks, by increasing id.
    pub migrations: Vec<Migration>,
    /// The CQL schema the items above need: the desired state that the
    /// migrations must reach.
    pub desired: CqlSchema,
}

/// The `keyspace` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyspace {
    /// Its name (the default; the runtime may bind another).
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// How data is replicated.
    pub replication: Replication,
    /// `durable_writes`, when given.
    pub durable_writes: Option<bool>,
    /// `tenancy per_keyspace` (where the clause is): a keyspace per
    /// tenant.
    pub tenancy: Option<Span>,
    /// Where it was declared.
    pub span: Span,
}

/// A keyspace's replication strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replication {
    /// `simple(n)`: SimpleStrategy with a replication factor.
    Simple(u32),
    /// `network_topology(dc: n, …)`: NetworkTopologyStrategy.
    NetworkTopology(Vec<(String, u32)>),
}

/// A `type` item: a CQL user-defined type.
#[derive(Debug, Clone, PartialEq)]
pub struct Udt {
    /// Its name as written (`UpperCamel`).
    pub name: String,
    /// Its CQL name (snake_case).
    pub cql_name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// Where it was declared.
    pub span: Span,
}

/// An `enum` item, stored as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Its name as written.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// Its variants, in order.
    pub variants: Vec<Variant>,
    /// Whether it is `open`: text the schema does not list may be stored
    /// (by other writers, or a newer schema) and reads as a value of its own.
    pub open: bool,
    /// Where it was declared.
    pub span: Span,
}

/// One variant of an [`Enum`].
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Its name, which is also the stored text.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

/// A `migration N name { … }` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    /// N: positive, strictly increasing.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// Its steps, in order.
    pub steps: Vec<MigrationStep>,
    /// Where it was declared.
    pub span: Span,
}

/// One step of a migration.
#[derive(Debug, Clone, PartialEq)]
pub enum MigrationStep {
    /// A DDL statement the compiler replays.
    Ddl {
        /// The statement as written, without its `;`.
        text: String,
        /// The statement, parsed (boxed: it is large and steps are many).
        statement: Box<DdlStatement>,
    },
    /// A raw `cql """…"""` data step: run, not replayed.
    Cql {
        /// The statements as written.
        text: String,
    },
}

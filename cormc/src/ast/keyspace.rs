//! `keyspace name { replication …  durable_writes … }`.

use super::{BoolLit, Doc, Ident, Span, StringLit, UintLit};

/// The keyspace item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyspace {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The default keyspace name.
    pub name: Ident,
    /// `replication …` (required by the language; checked later).
    pub replication: Option<Replication>,
    /// `durable_writes true|false`
    pub durable_writes: Option<DurableWrites>,
    /// `tenancy per_keyspace`
    pub tenancy: Option<TenancyClause>,
    /// The whole item.
    pub span: Span,
}

/// `replication simple(N)` or `replication network_topology(dc: N, …)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replication {
    /// The strategy.
    pub strategy: ReplicationStrategy,
    /// The whole clause.
    pub span: Span,
}

/// A replication strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplicationStrategy {
    /// `simple(N)`: `SimpleStrategy` with replication factor `N`.
    Simple {
        /// The replication factor.
        factor: UintLit,
    },
    /// `network_topology(dc: N, …)`: `NetworkTopologyStrategy`.
    NetworkTopology {
        /// One entry per data centre, in source order.
        data_centers: Vec<DataCenterFactor>,
    },
}

/// `dc1: 3` or `"us-east-1": 2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataCenterFactor {
    /// The data centre's name.
    pub name: String,
    /// Whether the name was written as a string.
    pub quoted: Option<StringLit>,
    /// The replication factor.
    pub factor: UintLit,
    /// The whole entry.
    pub span: Span,
}

/// `durable_writes true|false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurableWrites {
    /// The value.
    pub value: BoolLit,
    /// The whole clause.
    pub span: Span,
}

/// `tenancy per_keyspace`: every tenant's tables in a keyspace of its own
/// (`<keyspace>_<tenant>`), provisioned and migrated by a registry kept in
/// the keyspace itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenancyClause {
    /// The whole clause.
    pub span: Span,
}

//! The syntax tree of `.corm` files, as written.
//!
//! Produced by [`crate::parse`], read by the checker. Every node carries a
//! [`Span`]; nothing here is resolved or validated beyond the grammar (names
//! are not looked up, types are not checked, required clauses may be
//! missing). Clauses that may appear at most once in a block are `Option`s
//! (a second one is a parse error); repeatable members are `Vec`s in source
//! order. One concept per module.

mod aggregate;
mod allow;
mod attribute;
mod common;
mod enum_decl;
mod events;
mod field;
mod key;
mod keyspace;
mod literal;
mod migration;
mod model;
mod mutation;
mod options;
mod query;
mod relation;
mod saga;
mod timeseries;
mod type_decl;
mod types;
mod view;

pub use aggregate::{
    Aggregate, AggregateArg, AggregateFn, AggregateFnKind, GroupBy, Having, Select, SelectItem,
};
pub use allow::AllowClause;
pub use attribute::{
    Attribute, AttributeKind, DefaultValue, DefaultValueKind, MaskCall, ValidateRule,
    ValidateRuleKind,
};
pub use common::{Doc, Ident};
pub use enum_decl::{EnumDecl, Variant};
pub use events::{EventDecl, EventStore, SnapshotClause};
pub use field::Field;
pub use key::{KeyClause, KeyColumn, PartitionKey, SortDirection, SortOrder};
pub use keyspace::{
    DataCenterFactor, DurableWrites, Keyspace, Replication, ReplicationStrategy, TenancyClause,
};
pub use literal::{
    BoolLit, DurationLit, DurationUnit, EnumValue, IntLit, Literal, LiteralKind, NumberLit,
    StringLit, UintLit,
};
pub use migration::{CqlStep, DdlStatement, DdlVerb, Migration, MigrationStep};
pub use model::{
    CacheClause, ChangesClause, Compaction, CompactionClause, CompactionKind, IndexClause, IndexOn,
    Model, ReserveClause, Similarity, SimilarityKind, TableClause, TtlClause, VectorIndexClause,
};
pub use mutation::{
    AssignOp, Assignment, DeleteClause, DeleteTarget, IfClause, IfKind, Mutation, SetClause,
};
pub use options::{OptionEntry, OptionMap, OptionValue, OptionsClause};
pub use query::{
    AllowFiltering, CellRead, Condition, LimitClause, LimitValue, NearestClause, Operand,
    OperandKind, Operator, OperatorKind, OrderClause, OrderItem, Query, QuerySelect, SelectColumn,
    WhereClause,
};
pub use relation::{Relation, RelationKind};
pub use saga::{LeaseClause, Saga, SagaFields, SagaStep};
pub use timeseries::{BucketClause, RateClause, SeriesClause, TimeSeries};
pub use type_decl::TypeDecl;
pub use types::{TypeExpr, TypeKind};
pub use view::View;

pub use crate::diagnostics::{FileId, Span};

/// All files of one compilation, parsed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// One entry per source file, in the order given.
    pub files: Vec<File>,
}

impl Schema {
    /// Every item of every file.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.files.iter().flat_map(|f| f.items.iter())
    }
}

/// One parsed `.corm` file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// Which file.
    pub file: FileId,
    /// Its items in source order (order has no meaning in the language).
    pub items: Vec<Item>,
    /// The whole text.
    pub span: Span,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `keyspace name { … }`
    Keyspace(Keyspace),
    /// `type Name { … }` (a CQL user-defined type)
    Type(TypeDecl),
    /// `enum Name { … }`
    Enum(EnumDecl),
    /// `model Name { … }`
    Model(Model),
    /// `query name on Model { … }`
    Query(Query),
    /// `aggregate name on Model { … }`
    Aggregate(Aggregate),
    /// `mutation name on Model { … }`
    Mutation(Mutation),
    /// `view Name of Model { … }`
    View(View),
    /// `timeseries Name { … }`
    TimeSeries(TimeSeries),
    /// `events Name { … }`
    Events(EventStore),
    /// `saga Name { … }`
    Saga(Saga),
    /// `migration N name { … }`
    Migration(Migration),
}

impl Item {
    /// The item's name (for a migration, its name, not its number).
    #[must_use]
    pub fn name(&self) -> &Ident {
        match self {
            Self::Keyspace(i) => &i.name,
            Self::Type(i) => &i.name,
            Self::Enum(i) => &i.name,
            Self::Model(i) => &i.name,
            Self::Query(i) => &i.name,
            Self::Aggregate(i) => &i.name,
            Self::Mutation(i) => &i.name,
            Self::View(i) => &i.name,
            Self::TimeSeries(i) => &i.name,
            Self::Events(i) => &i.name,
            Self::Saga(i) => &i.name,
            Self::Migration(i) => &i.name,
        }
    }

    /// The keyword that introduces the item (`model`, `type`, …).
    #[must_use]
    pub const fn keyword(&self) -> &'static str {
        match self {
            Self::Keyspace(_) => "keyspace",
            Self::Type(_) => "type",
            Self::Enum(_) => "enum",
            Self::Model(_) => "model",
            Self::Query(_) => "query",
            Self::Aggregate(_) => "aggregate",
            Self::Mutation(_) => "mutation",
            Self::View(_) => "view",
            Self::TimeSeries(_) => "timeseries",
            Self::Events(_) => "events",
            Self::Saga(_) => "saga",
            Self::Migration(_) => "migration",
        }
    }

    /// The doc comment before the item.
    #[must_use]
    pub fn doc(&self) -> Option<&Doc> {
        match self {
            Self::Keyspace(i) => i.doc.as_ref(),
            Self::Type(i) => i.doc.as_ref(),
            Self::Enum(i) => i.doc.as_ref(),
            Self::Model(i) => i.doc.as_ref(),
            Self::Query(i) => i.doc.as_ref(),
            Self::Aggregate(i) => i.doc.as_ref(),
            Self::Mutation(i) => i.doc.as_ref(),
            Self::View(i) => i.doc.as_ref(),
            Self::TimeSeries(i) => i.doc.as_ref(),
            Self::Events(i) => i.doc.as_ref(),
            Self::Saga(i) => i.doc.as_ref(),
            Self::Migration(i) => i.doc.as_ref(),
        }
    }

    /// The whole item, from its doc comment (or keyword) to its `}`.
    #[must_use]
    pub const fn span(&self) -> Span {
        match self {
            Self::Keyspace(i) => i.span,
            Self::Type(i) => i.span,
            Self::Enum(i) => i.span,
            Self::Model(i) => i.span,
            Self::Query(i) => i.span,
            Self::Aggregate(i) => i.span,
            Self::Mutation(i) => i.span,
            Self::View(i) => i.span,
            Self::TimeSeries(i) => i.span,
            Self::Events(i) => i.span,
            Self::Saga(i) => i.span,
            Self::Migration(i) => i.span,
        }
    }
}

//! Models: fields, keys, indexes, relations and table options.

use std::collections::BTreeMap;

use super::types::{Order, Type};
use crate::cql::OptionValue;
use crate::diagnostics::Span;

/// A `model` item: one CQL table and its repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Its name as written (`UpperCamel`).
    pub name: String,
    /// `///` documentation (rustdoc; not the table's `comment`).
    pub doc: Option<String>,
    /// The CQL table name (`table` clause, or the name in snake_case); a
    /// view's name for a view.
    pub table: String,
    /// For a `view … of Base`: the base model's CQL table. A view is read
    /// through a repository with reads only.
    pub view_of: Option<String>,
    /// Fields in declaration order.
    pub fields: Vec<Field>,
    /// The primary key.
    pub key: Key,
    /// Secondary (SAI) indexes.
    pub indexes: Vec<Index>,
    /// Vector (ANN) indexes.
    pub vector_indexes: Vec<VectorIndex>,
    /// Relations to other models.
    pub relations: Vec<Relation>,
    /// `ttl`: the table's default time to live, in seconds.
    pub ttl_seconds: Option<u64>,
    /// `changes retain …`: the model's change log.
    pub changes: Option<ChangeLog>,
    /// `reserve stock in holds`: reservations of the rows' units.
    pub reserve: Option<Reserve>,
    /// `cache <ttl> max <entries>`: the rows `get` reads, cached.
    pub cache: Option<Cache>,
    /// `compaction`.
    pub compaction: Option<Compaction>,
    /// The sub-options after `compaction <strategy>`, as CQL text.
    pub compaction_options: BTreeMap<String, String>,
    /// `options { comment: … }`: the table's CQL comment, when stated.
    pub comment: Option<String>,
    /// The other `options { … }`, by CQL name.
    pub table_options: BTreeMap<String, OptionValue>,
    /// Where it was declared.
    pub span: Span,
}

/// `cache <ttl> max <entries>`: an in-process read-through cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cache {
    /// How long an entry answers, in milliseconds.
    pub ttl_millis: u64,
    /// How many entries it holds at most.
    pub max_entries: u64,
    /// Where the clause is.
    pub span: Span,
}

/// `changes retain <duration>`: every write through corm also records a
/// change in `<table>_changes`, kept `retain_seconds`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLog {
    /// The change table's name.
    pub table: String,
    /// How long a change is kept (the change table's default TTL).
    pub retain_seconds: u64,
    /// Where the clause is.
    pub span: Span,
}

impl Model {
    /// The field called `name`.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|field| field.name == name)
    }

    /// Whether this is a counter table (its non-key fields are counters).
    #[must_use]
    pub fn is_counter_table(&self) -> bool {
        self.fields.iter().any(|field| field.ty.is_counter())
    }

    /// The fields with `@unique`.
    pub fn unique_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|field| field.unique)
    }
}

/// `reserve stock in holds`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserve {
    /// The field of units not held or sold.
    pub stock: String,
    /// Whether it is a `bigint` (else an `int`).
    pub stock_bigint: bool,
    /// The `map<text, timestamp>` field of holds.
    pub holds: String,
    /// The clause.
    pub span: Span,
}

/// A field of a model, UDT, time series or event.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its name as written (`snake_case`).
    pub name: String,
    /// Its CQL column name (`@cql`, else the name).
    pub cql_name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// Its type.
    pub ty: Type,
    /// `T?`: may be null.
    pub optional: bool,
    /// `@default(…)`.
    pub default: Option<Default>,
    /// `@on_update(now)`.
    pub on_update_now: bool,
    /// `@unique`.
    pub unique: bool,
    /// `@static`.
    pub is_static: bool,
    /// `@bucket`: a partition key column that bounds the partition (the
    /// advisor takes the user's word for it).
    pub bucket: bool,
    /// `@tenant`: the tenant id, the model's first field and first
    /// partition key column.
    pub tenant: bool,
    /// `@unique(name)`: the lookup table's name, when given.
    pub unique_table: Option<String>,
    /// `@masked(…)`: the column's masking function (dynamic data masking).
    pub mask: Option<crate::cql::mask::Mask>,
    /// `@validate(…)` rules, in order.
    pub validations: Vec<Validation>,
    /// `@embed(…)`: the text fields its vector is computed from (empty:
    /// none).
    pub embed: Vec<String>,
    /// Where it was declared.
    pub span: Span,
}

/// `@default(…)`.
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    /// A random v4 uuid.
    Uuid,
    /// A new time-based uuid.
    Timeuuid,
    /// The current time (or date, or timeuuid, by the field's type).
    Now,
    /// A literal value.
    Literal(super::Literal),
}

/// A `@validate` rule, checked before every write.
#[derive(Debug, Clone, PartialEq)]
pub enum Validation {
    /// `email`
    Email,
    /// `url`
    Url,
    /// `length(min, max)`, both inclusive, in characters.
    Length {
        /// Shortest allowed.
        min: u64,
        /// Longest allowed.
        max: u64,
    },
    /// `range(min, max)`, both inclusive.
    Range {
        /// Smallest allowed, as written.
        min: String,
        /// Largest allowed, as written.
        max: String,
    },
    /// `regex("…")`
    Regex(String),
    /// `not_empty`
    NotEmpty,
    /// `one_of("a", "b", …)`
    OneOf(Vec<String>),
}

/// A primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// Partition key fields, by name.
    pub partition: Vec<String>,
    /// Clustering fields with their order.
    pub clustering: Vec<Clustering>,
}

impl Key {
    /// Whether `field` is part of the key.
    #[must_use]
    pub fn contains(&self, field: &str) -> bool {
        self.partition.iter().any(|name| name == field)
            || self.clustering.iter().any(|column| column.field == field)
    }

    /// All key fields: partition first, then clustering.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.partition
            .iter()
            .map(String::as_str)
            .chain(self.clustering.iter().map(|column| column.field.as_str()))
    }
}

/// A clustering column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clustering {
    /// The field.
    pub field: String,
    /// Its order on disk.
    pub order: Order,
}

/// `index (field)`: a storage-attached secondary index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The indexed field.
    pub field: String,
    /// What of it is indexed.
    pub on: IndexOn,
    /// The CQL index name (`as name`, else `<table>_<column>_idx`, or
    /// `<table>_<column>_keys_idx` / `_entries_idx` for those).
    pub name: String,
}

/// What of a column an index indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexOn {
    /// The value (a non-frozen collection's values, a frozen one whole).
    Value,
    /// A map's keys (`keys(m)`): serves `contains key`.
    Keys,
    /// A map's entries (`entries(m)`): serves `m[?k] = ?v`.
    Entries,
}

/// `vector_index field similarity …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorIndex {
    /// The `vector<float, N>` field.
    pub field: String,
    /// The similarity function.
    pub similarity: Similarity,
    /// The CQL index name (`<table>_<column>_idx`).
    pub name: String,
}

/// A vector similarity function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Similarity {
    /// `cosine` (the default)
    Cosine,
    /// `dot_product`
    DotProduct,
    /// `euclidean`
    Euclidean,
}

impl Similarity {
    /// The name SAI's `similarity_function` option takes.
    #[must_use]
    pub const fn cql(self) -> &'static str {
        match self {
            Self::Cosine => "cosine",
            Self::DotProduct => "dot_product",
            Self::Euclidean => "euclidean",
        }
    }
}

/// A relation between models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// `has_many`, `has_one` or `belongs_to`.
    pub kind: RelationKind,
    /// The relation's name (the loader's name).
    pub name: String,
    /// The other model.
    pub target: String,
    /// For `has_*`: the target's fields that hold this model's key; for
    /// `belongs_to`: this model's fields that hold the target's key. In the
    /// order of the referenced key.
    pub fields: Vec<String>,
    /// Where it was declared.
    pub span: Span,
}

/// The kind of a [`Relation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// Many target rows refer to this one.
    HasMany,
    /// One target row refers to this one.
    HasOne,
    /// This row refers to one target row.
    BelongsTo,
}

/// A compaction strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compaction {
    /// `size_tiered`
    SizeTiered,
    /// `leveled`
    Leveled,
    /// `unified`
    Unified,
    /// `time_window(<duration>)`, the window in seconds.
    TimeWindow {
        /// The window's width in seconds.
        window_seconds: u64,
    },
}

//! `model Name { fields and clauses }` and the model-only clauses.

use super::{Doc, DurationLit, Field, Ident, KeyClause, OptionMap, OptionsClause, Relation, Span};

/// A model: one CQL table and its repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The model's name.
    pub name: Ident,
    /// Fields in source order.
    pub fields: Vec<Field>,
    /// `key (…)` (required by the language; checked later).
    pub key: Option<KeyClause>,
    /// `index (col)` clauses.
    pub indexes: Vec<IndexClause>,
    /// `has_many`, `has_one`, `belongs_to` clauses.
    pub relations: Vec<Relation>,
    /// `table name`
    pub table: Option<TableClause>,
    /// `ttl 90d`
    pub ttl: Option<TtlClause>,
    /// `compaction …`
    pub compaction: Option<CompactionClause>,
    /// `options { … }`
    pub options: Option<OptionsClause>,
    /// `vector_index col similarity …` clauses.
    pub vector_indexes: Vec<VectorIndexClause>,
    /// `changes retain 7d`
    pub changes: Option<ChangesClause>,
    /// `reserve stock in holds` (boxed: rare, and it would make every
    /// item as large as a model with one).
    pub reserve: Option<Box<ReserveClause>>,
    /// `cache 30s max 10000`
    pub cache: Option<CacheClause>,
    /// `@allow(…)` clauses.
    pub allows: Vec<super::AllowClause>,
    /// The whole item.
    pub span: Span,
}

/// `index (col)`, `index (keys(m)) as name`: a secondary (SAI) index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexClause {
    /// The indexed field.
    pub column: Ident,
    /// What of it is indexed, as written.
    pub on: IndexOn,
    /// `as name`: the CQL index name.
    pub name: Option<Ident>,
    /// The whole clause.
    pub span: Span,
}

/// `table name`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableClause {
    /// The CQL table name.
    pub name: Ident,
    /// The whole clause.
    pub span: Span,
}

/// `ttl <duration>` (`default_time_to_live`; also used by time series).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TtlClause {
    /// The duration.
    pub duration: DurationLit,
    /// The whole clause.
    pub span: Span,
}

/// `changes retain <duration>`: a change log of the model's writes, each
/// change kept for the duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangesClause {
    /// How long a change is kept.
    pub retain: DurationLit,
    /// The whole clause.
    pub span: Span,
}

/// `cache <ttl> max <entries>`: rows (or a query's answers) kept in an
/// in-process cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheClause {
    /// How long an entry answers.
    pub ttl: DurationLit,
    /// How many entries it holds at most.
    pub max: super::UintLit,
    /// The whole clause.
    pub span: Span,
}

/// `reserve stock in holds`: reservations of the row's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveClause {
    /// The integer column of units not held or sold.
    pub stock: Ident,
    /// The `map<text, timestamp>` column of holds (holder to expiry).
    pub holds: Ident,
    /// The whole clause.
    pub span: Span,
}

/// `compaction <strategy> { sub-options }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactionClause {
    /// The strategy.
    pub strategy: Compaction,
    /// `{ tombstone_threshold: 0.2, … }` after the strategy, as written.
    pub options: Option<OptionMap>,
    /// The whole clause.
    pub span: Span,
}

/// A compaction strategy as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compaction {
    /// Which strategy.
    pub kind: CompactionKind,
    /// Where it is.
    pub span: Span,
}

/// The compaction strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompactionKind {
    /// `size_tiered`
    SizeTiered,
    /// `leveled`
    Leveled,
    /// `unified`
    Unified,
    /// `time_window(<duration>)`
    TimeWindow(DurationLit),
}

/// `vector_index col [similarity cosine|dot_product|euclidean]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorIndexClause {
    /// The indexed `vector<…>` field.
    pub column: Ident,
    /// The similarity function if written (cosine when not).
    pub similarity: Option<Similarity>,
    /// `as name`: the CQL index name.
    pub name: Option<Ident>,
    /// The whole clause.
    pub span: Span,
}

/// A similarity function as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Similarity {
    /// Which function.
    pub kind: SimilarityKind,
    /// Where it is.
    pub span: Span,
}

/// The vector similarity functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SimilarityKind {
    /// `cosine` (the default)
    #[default]
    Cosine,
    /// `dot_product`
    DotProduct,
    /// `euclidean`
    Euclidean,
}

/// What of a column an `index` indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexOn {
    /// `index (col)`: the value (a collection's values, a frozen one whole).
    Column,
    /// `index (keys(m))`: a map's keys.
    Keys,
    /// `index (values(c))`: a collection's values.
    Values,
    /// `index (entries(m))`: a map's entries.
    Entries,
}

impl IndexOn {
    /// The CQL function written around the column, if any.
    #[must_use]
    pub const fn function(self) -> Option<&'static str> {
        match self {
            Self::Column => None,
            Self::Keys => Some("keys"),
            Self::Values => Some("values"),
            Self::Entries => Some("entries"),
        }
    }
}

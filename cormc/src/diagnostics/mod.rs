//! Span-labelled errors, warnings and notes, and their rendering.
//!
//! A [`Diagnostic`] has a [`Severity`], a stable [`Code`], a message, a
//! primary [`Label`] (a span and a short text), optional secondary labels, an
//! optional `help:` line and notes. [`render`] prints it in the manner of
//! rustc/miette: `path:line:col`, the source lines, carets under the labels.
//!
//! Every stage reports through this type; the stages own their codes (see
//! [`Code`]). Internal invariant failures are [`Code::Internal`] diagnostics,
//! never panics.

mod layout;
mod lines;
mod render;
mod source;

pub use lines::LineIndex;
pub use render::{RenderOptions, render, render_all};
pub use source::{FileId, LineCol, LoadError, SourceFile, SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The input is rejected; the exit code is 1.
    Error,
    /// Printed, but the input is accepted.
    Warning,
    /// Extra information.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// A stable diagnostic code, printed as `E0001` and usable in docs and tests.
///
/// | code | meaning |
/// | --- | --- |
/// | E0001 | syntax error |
/// | E0002 | a block is missing its `}` |
/// | E0003 | unterminated string or comment |
/// | E0004 | a clause given twice in one block |
/// | E0005 | unknown attribute |
/// | E0006 | unknown generic type |
/// | E0007 | unknown validation rule |
/// | E0008 | a number out of range |
/// | E0009 | nesting too deep |
/// | E0101 | a name declared twice (types, models, queries …) |
/// | E0102 | a member (field, variant, alias, relation, CQL column) declared twice in one block |
/// | E0103 | more than one `keyspace` item |
/// | E0104 | a name that is reserved where it is used |
/// | E0105 | two items stored in one CQL table |
/// | W0106 | a name that breaks the naming convention (warning) |
/// | E0201 | a type name that is not a scalar, `type` or `enum` |
/// | E0202 | a query, aggregate or relation target that is not a model |
/// | E0203 | a field name that the model does not have |
/// | E0204 | an `Enum.variant` that the enum does not have |
/// | E0205 | a `having`/`order` name that is not a select alias |
/// | E0301 | a type CQL does not accept (`frozen<int>`, `vector<text, 3>`, `T?` in a collection) |
/// | E0302 | a collection or UDT inside a collection without `frozen<…>` |
/// | E0303 | a user-defined type that contains itself |
/// | E0304 | a counter used where CQL forbids it |
/// | E0401 | a required clause or member is missing |
/// | E0402 | a number, duration, pattern or code out of its range |
/// | E0501 | a key column that can't be one (optional, collection, counter, repeated, ordered partition column) |
/// | E0502 | `@static` on a model without clustering columns |
/// | E0503 | an `index` or `vector_index` that can't be built |
/// | E0601 | an attribute given twice on one field |
/// | E0602 | an attribute where it does not apply |
/// | E0603 | an attribute that does not fit the field's type |
/// | E0604 | a literal that does not fit the column it is compared to or stored in |
/// | W0605 | an `@allow(…)` that acknowledges no warning (warning) |
/// | E0701 | relation fields that don't line up with the referenced key |
/// | E0801 | a query Cassandra would serve only with ALLOW FILTERING |
/// | W0802 | a query accepted with `allow filtering` (warning) |
/// | W0803 | `allow filtering` on a query that does not need it (warning) |
/// | E0804 | an operator that does not fit the column, or restrictions that can't combine |
/// | E0805 | an `order` that does not follow the clustering key |
/// | E0806 | one parameter used with two types |
/// | E0901 | an aggregate function that does not fit its column |
/// | W0902 | an aggregate computed in the client (warning) |
/// | E1001 | migration numbers that repeat or are not positive |
/// | E1002 | a migration statement that does not parse as CQL |
/// | E1003 | a migration statement Cassandra would refuse |
/// | E1004 | migrations that do not build the schema the items need |
/// | N1005 | a schema without migrations is not checked for drift (note) |
/// | E1006 | a migration that changes how an event store's events are laid out (`partition every`) |
/// | W1101 | advisor: a named read of every partition of a table (warning) |
/// | W1102 | advisor: `in` on the partition key with an unbounded list (warning) |
/// | W1103 | advisor: partitions that grow without bound (warning) |
/// | W1104 | advisor: a `ttl` shorter than the tombstone grace period on wide partitions (warning) |
/// | W1105 | advisor: a read that starts at the expired end of a partition (warning) |
/// | W1106 | advisor: non-frozen collections rewritten whole in wide partitions (warning) |
/// | W1107 | advisor: a time series keeping more than ~50 compaction windows, or no `ttl` (warning) |
/// | W1108 | advisor: a time series bucket that holds more than ~100 MB at its stated `rate` (warning) |
/// | W1201 | retired: an item `cormc generate` emitted no Rust for (no longer emitted) |
/// | E1202 | a type without an order in Rust where the generated code needs one |
/// | E1203 | a literal the generated code can't write in Rust |
/// | E1204 | two generated Rust items with one name |
/// | E1205 | more values than a generated statement binds or reads |
/// | E1206 | an event field whose type has no JSON form in a payload yet |
/// | E0999 | internal compiler error (a bug) |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// E0001: the text does not follow the grammar.
    Syntax,
    /// E0002: a `{` without its `}`.
    UnclosedBlock,
    /// E0003: a string or comment that never ends.
    Unterminated,
    /// E0004: a clause that may appear once appears again.
    DuplicateClause,
    /// E0005: `@name` that is not an attribute.
    UnknownAttribute,
    /// E0006: `name<…>` that is not a generic type.
    UnknownGenericType,
    /// E0007: a `@validate` rule that does not exist.
    UnknownValidationRule,
    /// E0008: a number too large for its place.
    NumberOutOfRange,
    /// E0009: types nested deeper than the compiler accepts.
    TooDeep,
    /// E0101: a name declared twice (types, models, queries …).
    DuplicateName,
    /// E0102: a member (field, variant, alias, relation, CQL column) declared twice in one block.
    DuplicateMember,
    /// E0103: more than one `keyspace` item.
    DuplicateKeyspace,
    /// E0104: a name that is reserved where it is used.
    ReservedName,
    /// E0105: two items stored in one CQL table.
    DuplicateTable,
    /// W0106: a name that breaks the naming convention (warning).
    NamingConvention,
    /// E0201: a type name that is not a scalar, `type` or `enum`.
    UnknownType,
    /// E0202: a query, aggregate or relation target that is not a model.
    UnknownModel,
    /// E0203: a field name that the model does not have.
    UnknownField,
    /// E0204: an `Enum.variant` that the enum does not have.
    UnknownVariant,
    /// E0205: a `having`/`order` name that is not a select alias.
    UnknownAlias,
    /// E0301: a type CQL does not accept (`frozen<int>`, `vector<text, 3>`, `T?` in a collection).
    InvalidType,
    /// E0302: a collection or UDT inside a collection without `frozen<…>`.
    UnfrozenNested,
    /// E0303: a user-defined type that contains itself.
    RecursiveType,
    /// E0304: a counter used where CQL forbids it.
    InvalidCounter,
    /// E0401: a required clause or member is missing.
    MissingClause,
    /// E0402: a number, duration, pattern or code out of its range.
    InvalidValue,
    /// E0501: a key column that can't be one (optional, collection, counter, repeated, ordered partition column).
    InvalidKey,
    /// E0502: `@static` on a model without clustering columns.
    InvalidStatic,
    /// E0503: an `index` or `vector_index` that can't be built.
    InvalidIndex,
    /// E0601: an attribute given twice on one field.
    DuplicateAttribute,
    /// E0602: an attribute where it does not apply.
    MisplacedAttribute,
    /// E0603: an attribute that does not fit the field's type.
    AttributeTypeMismatch,
    /// E0604: a literal that does not fit the column it is compared to or stored in.
    LiteralTypeMismatch,
    /// W0605: an `@allow(…)` that acknowledges no warning (warning).
    UnusedAllow,
    /// E0701: relation fields that don't line up with the referenced key.
    RelationMismatch,
    /// E0702: a relation whose children can't be read without ALLOW
    /// FILTERING (the target's partition key is not the relation's fields
    /// and no index serves them).
    RelationNotServed,
    /// E0801: a query Cassandra would serve only with ALLOW FILTERING.
    NeedsFiltering,
    /// W0802: a query accepted with `allow filtering` (warning).
    FilteringQuery,
    /// W0803: `allow filtering` on a query that does not need it (warning).
    UnneededFiltering,
    /// E0804: an operator that does not fit the column, or restrictions that can't combine.
    OperatorMismatch,
    /// E0805: an `order` that does not follow the clustering key.
    InvalidOrder,
    /// E0806: one parameter used with two types.
    ParamTypeConflict,
    /// E0901: an aggregate function that does not fit its column.
    AggregateMismatch,
    /// W0902: an aggregate computed in the client (warning).
    ClientSideAggregate,
    /// E1001: migration numbers that repeat or are not positive.
    MigrationOrder,
    /// E1002: a migration statement that does not parse as CQL.
    DdlSyntax,
    /// E1003: a migration statement Cassandra would refuse.
    ReplayFailed,
    /// E1004: migrations that do not build the schema the items need.
    MigrationDrift,
    /// N1005: a schema without migrations is not checked for drift (note).
    NoMigrations,
    /// E1006: a migration that changes the `partition every` an event
    /// store's events table was laid out with.
    EventLayoutChange,
    /// W1101: a named query or aggregate that reads every partition of its
    /// table (advisor warning).
    WholeTableRead,
    /// W1102: `in` on the partition key, whose list length is unknown until
    /// run time (advisor warning).
    UnboundedInList,
    /// W1103: a time-ordered clustering key with neither a time bucket in
    /// the partition key nor a `ttl` (advisor warning).
    UnboundedPartition,
    /// W1104: a `ttl` shorter than `gc_grace_seconds` on a model with wide,
    /// unbucketed partitions (advisor warning).
    ShortTtl,
    /// W1105: a read of a `ttl` model that starts at the oldest, expired end
    /// of its partitions (advisor warning).
    ExpiredRowsFirst,
    /// W1106: non-frozen collections, written whole by every generated
    /// write, in a model with wide partitions (advisor warning).
    CollectionTombstones,
    /// W1107: a time series whose `ttl` spans more than about 50 buckets
    /// (compaction windows), or that has no `ttl` (advisor warning).
    ManyCompactionWindows,
    /// W1108: a time series whose bucket holds more than about 100 MB of
    /// one series' points at the `rate` it states (advisor warning).
    WideBucket,
    /// W1201: an item `cormc generate` emitted no Rust for (warning).
    /// Retired: every item is generated now; kept so that an
    /// `@allow(W1201)` left in a schema is W0605, not an error.
    NotGenerated,
    /// E1202: a type whose Rust values have no order where the generated
    /// code keeps them in a `BTreeMap`: a map key, a `group by` column of a
    /// client-side aggregate, the columns a relation matches rows by.
    NoRustOrder,
    /// E1203: a literal that the generated code can't write in Rust (a
    /// `@default` string for a `uuid`, a `having` date, an exact number of
    /// more than 38 digits).
    NoRustLiteral,
    /// E1204: two items of the generated code with one name (a type, a `Db`
    /// accessor, a repository method, a field of an aggregate's row).
    GeneratedNameClash,
    /// E1205: more values than a generated statement binds or reads (16 in
    /// a driver tuple, 63 columns in an update).
    TooManyValues,
    /// E1206: an event field whose type has no JSON form in the generated
    /// payload yet (`duration`, `timeuuid`, user-defined types, enums).
    NoJsonForm,
    /// E0999: a bug in the compiler.
    Internal,
}

impl Code {
    /// Every warning code, which `@allow(…)` may acknowledge.
    pub const WARNINGS: [Self; 14] = [
        Self::NamingConvention,
        Self::UnusedAllow,
        Self::FilteringQuery,
        Self::UnneededFiltering,
        Self::ClientSideAggregate,
        Self::WholeTableRead,
        Self::UnboundedInList,
        Self::UnboundedPartition,
        Self::ShortTtl,
        Self::ExpiredRowsFirst,
        Self::CollectionTombstones,
        Self::ManyCompactionWindows,
        Self::WideBucket,
        Self::NotGenerated,
    ];

    /// The printed form, e.g. `E0001`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Syntax => "E0001",
            Self::UnclosedBlock => "E0002",
            Self::Unterminated => "E0003",
            Self::DuplicateClause => "E0004",
            Self::UnknownAttribute => "E0005",
            Self::UnknownGenericType => "E0006",
            Self::UnknownValidationRule => "E0007",
            Self::NumberOutOfRange => "E0008",
            Self::TooDeep => "E0009",
            Self::DuplicateName => "E0101",
            Self::DuplicateMember => "E0102",
            Self::DuplicateKeyspace => "E0103",
            Self::ReservedName => "E0104",
            Self::DuplicateTable => "E0105",
            Self::NamingConvention => "W0106",
            Self::UnknownType => "E0201",
            Self::UnknownModel => "E0202",
            Self::UnknownField => "E0203",
            Self::UnknownVariant => "E0204",
            Self::UnknownAlias => "E0205",
            Self::InvalidType => "E0301",
            Self::UnfrozenNested => "E0302",
            Self::RecursiveType => "E0303",
            Self::InvalidCounter => "E0304",
            Self::MissingClause => "E0401",
            Self::InvalidValue => "E0402",
            Self::InvalidKey => "E0501",
            Self::InvalidStatic => "E0502",
            Self::InvalidIndex => "E0503",
            Self::DuplicateAttribute => "E0601",
            Self::MisplacedAttribute => "E0602",
            Self::AttributeTypeMismatch => "E0603",
            Self::LiteralTypeMismatch => "E0604",
            Self::UnusedAllow => "W0605",
            Self::RelationMismatch => "E0701",
            Self::RelationNotServed => "E0702",
            Self::NeedsFiltering => "E0801",
            Self::FilteringQuery => "W0802",
            Self::UnneededFiltering => "W0803",
            Self::OperatorMismatch => "E0804",
            Self::InvalidOrder => "E0805",
            Self::ParamTypeConflict => "E0806",
            Self::AggregateMismatch => "E0901",
            Self::ClientSideAggregate => "W0902",
            Self::MigrationOrder => "E1001",
            Self::DdlSyntax => "E1002",
            Self::ReplayFailed => "E1003",
            Self::MigrationDrift => "E1004",
            Self::NoMigrations => "N1005",
            Self::WholeTableRead => "W1101",
            Self::UnboundedInList => "W1102",
            Self::UnboundedPartition => "W1103",
            Self::ShortTtl => "W1104",
            Self::ExpiredRowsFirst => "W1105",
            Self::CollectionTombstones => "W1106",
            Self::ManyCompactionWindows => "W1107",
            Self::WideBucket => "W1108",
            Self::NotGenerated => "W1201",
            Self::NoRustOrder => "E1202",
            Self::NoRustLiteral => "E1203",
            Self::GeneratedNameClash => "E1204",
            Self::TooManyValues => "E1205",
            Self::NoJsonForm => "E1206",
            Self::EventLayoutChange => "E1006",
            Self::Internal => "E0999",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short explanation printed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// What the label points at.
    pub span: Span,
    /// The text next to the carets (may be empty).
    pub message: String,
}

impl Label {
    /// A label over `span`.
    #[must_use]
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
        }
    }
}

/// One error, warning or note about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Its stable code.
    pub code: Code,
    /// One line saying what is wrong.
    pub message: String,
    /// Where it is wrong.
    pub primary: Label,
    /// Other places that explain it ("opened here", "first declared here").
    pub secondary: Vec<Label>,
    /// A likely fix.
    pub help: Option<String>,
    /// Further facts, each printed as `note: …`.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error with a primary label.
    #[must_use]
    pub fn error(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, message, span, label)
    }

    /// A warning with a primary label.
    #[must_use]
    pub fn warning(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, message, span, label)
    }

    /// A diagnostic of any severity with a primary label.
    #[must_use]
    pub fn new(
        severity: Severity,
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            primary: Label::new(span, label),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, message));
        self
    }

    /// Sets the `help:` line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a `note:` line.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Whether this is an error.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The span of the primary label.
    #[must_use]
    pub const fn span(&self) -> Span {
        self.primary.span
    }
}

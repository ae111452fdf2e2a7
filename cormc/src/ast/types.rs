//! Field types: scalars, generics, named types, `T?`.

use super::{Ident, Span, UintLit};

/// A type as written, e.g. `map<text, frozen<list<int>>>?`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeExpr {
    /// The type without its `?`.
    pub kind: TypeKind,
    /// The span of `?` when the type is optional (`T?`).
    pub optional: Option<Span>,
    /// The whole type, including `?`.
    pub span: Span,
}

impl TypeExpr {
    /// Whether it is written `T?`.
    #[must_use]
    pub const fn is_optional(&self) -> bool {
        self.optional.is_some()
    }
}

/// The shape of a type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeKind {
    /// A scalar (`text`, `uuid`, …) or a declared `type`/`enum`, by name;
    /// see [`ScalarType::from_name`].
    Named(Ident),
    /// `list<T>`
    List(Box<TypeExpr>),
    /// `set<T>`
    Set(Box<TypeExpr>),
    /// `map<K, V>`
    Map {
        /// `K`
        key: Box<TypeExpr>,
        /// `V`
        value: Box<TypeExpr>,
    },
    /// `tuple<A, B, …>`
    Tuple(Vec<TypeExpr>),
    /// `frozen<T>`
    Frozen(Box<TypeExpr>),
    /// `vector<T, N>`
    Vector {
        /// The element type (`float` in v0).
        element: Box<TypeExpr>,
        /// The dimension `N`.
        dimension: UintLit,
    },
}

/// The CQL scalar types of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `ascii`
    Ascii,
    /// `bigint`
    Bigint,
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `counter`
    Counter,
    /// `date`
    Date,
    /// `decimal`
    Decimal,
    /// `double`
    Double,
    /// `duration`
    Duration,
    /// `float`
    Float,
    /// `inet`
    Inet,
    /// `int`
    Int,
    /// `smallint`
    Smallint,
    /// `text`
    Text,
    /// `time`
    Time,
    /// `timestamp`
    Timestamp,
    /// `timeuuid`
    Timeuuid,
    /// `tinyint`
    Tinyint,
    /// `uuid`
    Uuid,
    /// `varchar`
    Varchar,
    /// `varint`
    Varint,
}

impl ScalarType {
    /// Every scalar type, in the reference's order.
    pub const ALL: [Self; 21] = [
        Self::Ascii,
        Self::Bigint,
        Self::Blob,
        Self::Boolean,
        Self::Counter,
        Self::Date,
        Self::Decimal,
        Self::Double,
        Self::Duration,
        Self::Float,
        Self::Inet,
        Self::Int,
        Self::Smallint,
        Self::Text,
        Self::Time,
        Self::Timestamp,
        Self::Timeuuid,
        Self::Tinyint,
        Self::Uuid,
        Self::Varchar,
        Self::Varint,
    ];

    /// The scalar written `name`, if any (case-sensitive).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The name as written in `.corm` and CQL.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ascii => "ascii",
            Self::Bigint => "bigint",
            Self::Blob => "blob",
            Self::Boolean => "boolean",
            Self::Counter => "counter",
            Self::Date => "date",
            Self::Decimal => "decimal",
            Self::Double => "double",
            Self::Duration => "duration",
            Self::Float => "float",
            Self::Inet => "inet",
            Self::Int => "int",
            Self::Smallint => "smallint",
            Self::Text => "text",
            Self::Time => "time",
            Self::Timestamp => "timestamp",
            Self::Timeuuid => "timeuuid",
            Self::Tinyint => "tinyint",
            Self::Uuid => "uuid",
            Self::Varchar => "varchar",
            Self::Varint => "varint",
        }
    }
}

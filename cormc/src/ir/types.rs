//! Field types and clustering order.

use std::fmt;

/// A CQL scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scalar {
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
    /// `varchar` (the same as `text` in CQL)
    Varchar,
    /// `varint`
    Varint,
}

impl Scalar {
    /// Every scalar, in the order of the language reference.
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

    /// The scalar called `name`, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scalar| scalar.name() == name)
    }

    /// Whether values are text (`ascii`, `text`, `varchar`).
    #[must_use]
    pub const fn is_text(self) -> bool {
        matches!(self, Self::Ascii | Self::Text | Self::Varchar)
    }

    /// Whether values are numbers that `range(min, max)` and `sum`/`avg` apply to.
    #[must_use]
    pub const fn is_numeric(self) -> bool {
        matches!(
            self,
            Self::Bigint
                | Self::Counter
                | Self::Decimal
                | Self::Double
                | Self::Float
                | Self::Int
                | Self::Smallint
                | Self::Tinyint
                | Self::Varint
        )
    }
}

/// A field's type, without its optionality (see [`Field::optional`](super::Field)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Type {
    /// A scalar.
    Scalar(Scalar),
    /// `list<T>`
    List(Box<Type>),
    /// `set<T>`
    Set(Box<Type>),
    /// `map<K, V>`
    Map(Box<Type>, Box<Type>),
    /// `tuple<A, B, …>` (always frozen in CQL).
    Tuple(Vec<Type>),
    /// `frozen<T>`
    Frozen(Box<Type>),
    /// `vector<float, N>`
    Vector(u32),
    /// A declared `type`, by name.
    Udt(String),
    /// A declared `enum`, by name (stored as `text`).
    Enum(String),
}

impl Type {
    /// Whether this is a collection that CQL stores unfrozen (list, set, map).
    #[must_use]
    pub const fn is_unfrozen_collection(&self) -> bool {
        matches!(self, Self::List(_) | Self::Set(_) | Self::Map(..))
    }

    /// Whether this is the `counter` scalar.
    #[must_use]
    pub const fn is_counter(&self) -> bool {
        matches!(self, Self::Scalar(Scalar::Counter))
    }

    /// The type inside `frozen<…>`, or the type itself.
    #[must_use]
    pub fn unfrozen(&self) -> &Self {
        match self {
            Self::Frozen(inner) => inner.unfrozen(),
            other => other,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scalar(scalar) => f.write_str(scalar.name()),
            Self::List(item) => write!(f, "list<{item}>"),
            Self::Set(item) => write!(f, "set<{item}>"),
            Self::Map(key, value) => write!(f, "map<{key}, {value}>"),
            Self::Tuple(items) => {
                f.write_str("tuple<")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(">")
            }
            Self::Frozen(inner) => write!(f, "frozen<{inner}>"),
            Self::Vector(dimensions) => write!(f, "vector<float, {dimensions}>"),
            Self::Udt(name) | Self::Enum(name) => f.write_str(name),
        }
    }
}

/// A clustering or result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// Ascending (the default).
    Asc,
    /// Descending.
    Desc,
}

impl Order {
    /// The other direction.
    #[must_use]
    pub const fn reversed(self) -> Self {
        match self {
            Self::Asc => Self::Desc,
            Self::Desc => Self::Asc,
        }
    }

    /// `ASC` or `DESC`.
    #[must_use]
    pub const fn cql(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }
}

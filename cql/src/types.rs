//! CQL column types, normalised so that equal types compare equal.
//!
//! Normal form: `varchar` is `text`; a tuple is always frozen, so
//! `frozen<tuple<…>>` is stored as a plain [`CqlType::Tuple`]; inside a
//! `frozen<…>`, a tuple or a vector every nested type is frozen implicitly,
//! so nested `frozen<…>` wrappers there are dropped. Collections and
//! user-defined types inside a (non-frozen) collection keep their explicit
//! `frozen<…>`, which CQL requires. Build types with the constructors
//! ([`CqlType::list`], [`CqlType::frozen`], …) to stay in normal form.

use std::fmt;

use super::ident::Ident;

/// The native (scalar) CQL types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NativeType {
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
    /// `text` (also written `varchar`)
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
    /// `varint`
    Varint,
}

impl NativeType {
    /// Every native type, in alphabetical order.
    pub const ALL: [Self; 20] = [
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
        Self::Varint,
    ];

    /// The CQL name of the type.
    #[must_use]
    pub fn name(self) -> &'static str {
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
            Self::Varint => "varint",
        }
    }

    /// The native type with this name (case-insensitive; `varchar` is
    /// `text`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        if lower == "varchar" {
            return Some(Self::Text);
        }
        Self::ALL.into_iter().find(|t| t.name() == lower)
    }

    /// Whether values of this type have a fixed size in bytes (Cassandra's
    /// `valueLengthIfFixed`), which matters for re-adding dropped columns.
    #[must_use]
    pub fn is_fixed_length(self) -> bool {
        match self {
            Self::Bigint
            | Self::Boolean
            | Self::Counter
            | Self::Date
            | Self::Double
            | Self::Float
            | Self::Int
            | Self::Smallint
            | Self::Time
            | Self::Timestamp
            | Self::Timeuuid
            | Self::Tinyint
            | Self::Uuid => true,
            Self::Ascii
            | Self::Blob
            | Self::Decimal
            | Self::Duration
            | Self::Inet
            | Self::Text
            | Self::Varint => false,
        }
    }
}

impl fmt::Display for NativeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A CQL type. Keep it in normal form by building it with the constructors.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CqlType {
    /// A native type such as `text`.
    Native(NativeType),
    /// `list<T>`
    List(Box<CqlType>),
    /// `set<T>`
    Set(Box<CqlType>),
    /// `map<K, V>`
    Map(Box<CqlType>, Box<CqlType>),
    /// `tuple<A, B, …>` (always frozen).
    Tuple(Vec<CqlType>),
    /// `frozen<T>` of a collection or user-defined type.
    Frozen(Box<CqlType>),
    /// A user-defined type of the schema's keyspace, by name.
    Udt(Ident),
    /// `vector<T, N>`.
    Vector(Box<CqlType>, u32),
}

impl CqlType {
    /// `list<element>`.
    #[must_use]
    pub fn list(element: CqlType) -> Self {
        Self::List(Box::new(element.normalized()))
    }

    /// `set<element>`.
    #[must_use]
    pub fn set(element: CqlType) -> Self {
        Self::Set(Box::new(element.normalized()))
    }

    /// `map<key, value>`.
    #[must_use]
    pub fn map(key: CqlType, value: CqlType) -> Self {
        Self::Map(Box::new(key.normalized()), Box::new(value.normalized()))
    }

    /// `tuple<elements…>` (frozen by definition; nested types are frozen).
    #[must_use]
    pub fn tuple(elements: Vec<CqlType>) -> Self {
        Self::Tuple(elements.into_iter().map(Self::deep_thawed).collect())
    }

    /// `frozen<inner>`; a frozen tuple is just the tuple.
    #[must_use]
    pub fn frozen(inner: CqlType) -> Self {
        match inner.deep_thawed() {
            tuple @ Self::Tuple(_) => tuple,
            other => Self::Frozen(Box::new(other)),
        }
    }

    /// `vector<element, dimension>` (elements are frozen implicitly).
    #[must_use]
    pub fn vector(element: CqlType, dimension: u32) -> Self {
        Self::Vector(Box::new(element.deep_thawed()), dimension)
    }

    /// A user-defined type by name.
    #[must_use]
    pub fn udt(name: Ident) -> Self {
        Self::Udt(name)
    }

    /// This type in normal form (see the module docs).
    #[must_use]
    pub fn normalized(self) -> Self {
        match self {
            Self::Native(_) | Self::Udt(_) => self,
            Self::List(e) => Self::list(*e),
            Self::Set(e) => Self::set(*e),
            Self::Map(k, v) => Self::map(*k, *v),
            Self::Tuple(es) => Self::tuple(es),
            Self::Frozen(inner) => Self::frozen(*inner),
            Self::Vector(e, n) => Self::vector(*e, n),
        }
    }

    /// Drops every `frozen<…>` wrapper at any depth: the form of a type
    /// that sits in a frozen context, where freezing is implicit.
    fn deep_thawed(self) -> Self {
        match self {
            Self::Native(_) | Self::Udt(_) => self,
            Self::List(e) => Self::List(Box::new(e.deep_thawed())),
            Self::Set(e) => Self::Set(Box::new(e.deep_thawed())),
            Self::Map(k, v) => Self::Map(Box::new(k.deep_thawed()), Box::new(v.deep_thawed())),
            Self::Tuple(es) => Self::Tuple(es.into_iter().map(Self::deep_thawed).collect()),
            Self::Frozen(inner) => inner.deep_thawed(),
            Self::Vector(e, n) => Self::Vector(Box::new(e.deep_thawed()), n),
        }
    }

    /// Whether this is `counter`.
    #[must_use]
    pub fn is_counter(&self) -> bool {
        matches!(self, Self::Native(NativeType::Counter))
    }

    /// Whether values of this type are stored as several cells, so they can
    /// be updated in part: a non-frozen collection or user-defined type.
    #[must_use]
    pub fn is_multi_cell(&self) -> bool {
        match self {
            Self::List(_) | Self::Set(_) | Self::Map(..) | Self::Udt(_) => true,
            Self::Native(_) | Self::Tuple(_) | Self::Frozen(_) | Self::Vector(..) => false,
        }
    }

    /// Whether this is a collection (`list`, `set`, `map`), frozen or not.
    #[must_use]
    pub fn is_collection(&self) -> bool {
        match self {
            Self::List(_) | Self::Set(_) | Self::Map(..) => true,
            Self::Frozen(inner) => inner.is_collection(),
            Self::Native(_) | Self::Tuple(_) | Self::Udt(_) | Self::Vector(..) => false,
        }
    }

    /// Whether this is a frozen collection.
    #[must_use]
    pub fn is_frozen_collection(&self) -> bool {
        matches!(self, Self::Frozen(inner) if inner.is_collection())
    }

    /// Whether this is a non-frozen `map`.
    #[must_use]
    pub fn is_map(&self) -> bool {
        matches!(self, Self::Map(..))
    }

    /// Whether this is a user-defined type, frozen or not.
    #[must_use]
    pub fn is_udt(&self) -> bool {
        match self {
            Self::Udt(_) => true,
            Self::Frozen(inner) => inner.is_udt(),
            Self::Native(_)
            | Self::List(_)
            | Self::Set(_)
            | Self::Map(..)
            | Self::Tuple(_)
            | Self::Vector(..) => false,
        }
    }

    /// Every user-defined type this type mentions, at any depth, in order.
    #[must_use]
    pub fn udts(&self) -> Vec<&Ident> {
        let mut out = Vec::new();
        self.collect_udts(&mut out);
        out
    }

    fn collect_udts<'a>(&'a self, out: &mut Vec<&'a Ident>) {
        match self {
            Self::Native(_) => {}
            Self::Udt(name) => out.push(name),
            Self::List(e) | Self::Set(e) | Self::Frozen(e) | Self::Vector(e, _) => {
                e.collect_udts(out);
            }
            Self::Map(k, v) => {
                k.collect_udts(out);
                v.collect_udts(out);
            }
            Self::Tuple(es) => es.iter().for_each(|e| e.collect_udts(out)),
        }
    }

    /// Whether this type mentions the user-defined type `name`.
    #[must_use]
    pub fn references_udt(&self, name: &Ident) -> bool {
        self.udts().contains(&name)
    }

    /// Whether this type is or contains a native type `native`.
    #[must_use]
    pub fn contains_native(&self, native: NativeType) -> bool {
        match self {
            Self::Native(n) => *n == native,
            Self::Udt(_) => false,
            Self::List(e) | Self::Set(e) | Self::Frozen(e) | Self::Vector(e, _) => {
                e.contains_native(native)
            }
            Self::Map(k, v) => k.contains_native(native) || v.contains_native(native),
            Self::Tuple(es) => es.iter().any(|e| e.contains_native(native)),
        }
    }

    /// Replaces every reference to the user-defined type `from` by `to`.
    pub fn rename_udt(&mut self, from: &Ident, to: &Ident) {
        match self {
            Self::Native(_) => {}
            Self::Udt(name) => {
                if name == from {
                    *name = to.clone();
                }
            }
            Self::List(e) | Self::Set(e) | Self::Frozen(e) | Self::Vector(e, _) => {
                e.rename_udt(from, to);
            }
            Self::Map(k, v) => {
                k.rename_udt(from, to);
                v.rename_udt(from, to);
            }
            Self::Tuple(es) => es.iter_mut().for_each(|e| e.rename_udt(from, to)),
        }
    }

    /// Whether a column of this type could take over the data of a dropped
    /// column of type `previous` (Cassandra's "serialization compatible":
    /// same type, or a known widening that keeps the byte layout).
    #[must_use]
    pub fn can_replace_dropped(&self, previous: &CqlType) -> bool {
        if self == previous {
            return true;
        }
        // Only native types have widenings; anything else must be equal.
        let (Self::Native(new), Self::Native(old)) = (self, previous) else {
            return false;
        };
        match new {
            NativeType::Text => *old == NativeType::Ascii,
            NativeType::Timestamp => *old == NativeType::Bigint,
            NativeType::Varint => false,
            NativeType::Blob => !old.is_fixed_length() && *old != NativeType::Duration,
            NativeType::Ascii
            | NativeType::Bigint
            | NativeType::Boolean
            | NativeType::Counter
            | NativeType::Date
            | NativeType::Decimal
            | NativeType::Double
            | NativeType::Duration
            | NativeType::Float
            | NativeType::Inet
            | NativeType::Int
            | NativeType::Smallint
            | NativeType::Time
            | NativeType::Timeuuid
            | NativeType::Tinyint
            | NativeType::Uuid => false,
        }
    }
}

impl From<NativeType> for CqlType {
    fn from(native: NativeType) -> Self {
        Self::Native(native)
    }
}

impl fmt::Display for CqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Native(n) => write!(f, "{n}"),
            Self::List(e) => write!(f, "list<{e}>"),
            Self::Set(e) => write!(f, "set<{e}>"),
            Self::Map(k, v) => write!(f, "map<{k}, {v}>"),
            Self::Tuple(es) => {
                f.write_str("tuple<")?;
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str(">")
            }
            Self::Frozen(inner) => write!(f, "frozen<{inner}>"),
            Self::Udt(name) => write!(f, "{name}"),
            Self::Vector(e, n) => write!(f, "vector<{e}, {n}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(t: NativeType) -> CqlType {
        CqlType::Native(t)
    }

    #[test]
    fn native_names_round_trip() {
        for t in NativeType::ALL {
            assert_eq!(NativeType::from_name(t.name()), Some(t));
        }
        assert_eq!(NativeType::from_name("VARCHAR"), Some(NativeType::Text));
        assert_eq!(NativeType::from_name("Int"), Some(NativeType::Int));
        assert_eq!(NativeType::from_name("string"), None);
    }

    #[test]
    fn display_is_cql() {
        let t = CqlType::map(
            n(NativeType::Text),
            CqlType::frozen(CqlType::list(n(NativeType::Int))),
        );
        assert_eq!(t.to_string(), "map<text, frozen<list<int>>>");
        let v = CqlType::vector(n(NativeType::Float), 384);
        assert_eq!(v.to_string(), "vector<float, 384>");
        let u = CqlType::set(CqlType::frozen(CqlType::udt(Ident::new("Address"))));
        assert_eq!(u.to_string(), "set<frozen<\"Address\">>");
    }

    #[test]
    fn tuples_are_always_frozen() {
        let plain = CqlType::tuple(vec![n(NativeType::Int), n(NativeType::Text)]);
        let frozen = CqlType::frozen(plain.clone());
        assert_eq!(plain, frozen);
        assert_eq!(frozen.to_string(), "tuple<int, text>");
        let nested = CqlType::tuple(vec![CqlType::frozen(CqlType::list(n(NativeType::Int)))]);
        assert_eq!(
            nested,
            CqlType::tuple(vec![CqlType::list(n(NativeType::Int))])
        );
    }

    #[test]
    fn nested_frozen_is_implicit() {
        let a = CqlType::frozen(CqlType::list(CqlType::frozen(CqlType::set(n(
            NativeType::Int,
        )))));
        let b = CqlType::frozen(CqlType::list(CqlType::set(n(NativeType::Int))));
        assert_eq!(a, b);
        assert_eq!(
            CqlType::frozen(CqlType::frozen(n(NativeType::Int))),
            CqlType::frozen(n(NativeType::Int))
        );
    }

    #[test]
    fn properties() {
        assert!(CqlType::list(n(NativeType::Int)).is_multi_cell());
        assert!(!CqlType::frozen(CqlType::list(n(NativeType::Int))).is_multi_cell());
        assert!(CqlType::frozen(CqlType::list(n(NativeType::Int))).is_frozen_collection());
        assert!(CqlType::udt(Ident::new("a")).is_multi_cell());
        let t = CqlType::map(
            n(NativeType::Text),
            CqlType::frozen(CqlType::udt(Ident::new("a"))),
        );
        assert!(t.references_udt(&Ident::new("a")));
        assert!(!t.references_udt(&Ident::new("b")));
        assert!(CqlType::list(n(NativeType::Duration)).contains_native(NativeType::Duration));
    }

    #[test]
    fn dropped_column_compatibility() {
        let text = n(NativeType::Text);
        assert!(text.can_replace_dropped(&n(NativeType::Ascii)));
        assert!(!n(NativeType::Ascii).can_replace_dropped(&text));
        assert!(!n(NativeType::Int).can_replace_dropped(&text));
        assert!(n(NativeType::Blob).can_replace_dropped(&text));
        assert!(!n(NativeType::Blob).can_replace_dropped(&n(NativeType::Int)));
        assert!(CqlType::list(text.clone()).can_replace_dropped(&CqlType::list(text)));
    }
}

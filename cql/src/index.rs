//! Secondary indexes (`create index`), with the index class normalised.

use std::collections::BTreeMap;
use std::fmt;

use super::ident::Ident;

/// A secondary index on one column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexDef {
    /// The index name (unique in the keyspace).
    pub name: Ident,
    /// The indexed table.
    pub table: Ident,
    /// What of the column is indexed.
    pub target: IndexTarget,
    /// The index implementation.
    pub class: IndexClass,
    /// `with options = {…}`, as text.
    pub options: BTreeMap<String, String>,
}

/// The target of an index: a column, or a part of a collection column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexTarget {
    /// The column's value (`(col)`).
    Column(Ident),
    /// The keys of a map (`keys(col)`).
    Keys(Ident),
    /// The values of a collection (`values(col)`; also what `(col)` means
    /// on a non-frozen collection).
    Values(Ident),
    /// The entries of a map (`entries(col)`).
    Entries(Ident),
    /// A whole frozen collection (`full(col)`).
    Full(Ident),
}

impl IndexTarget {
    /// The indexed column.
    #[must_use]
    pub fn column(&self) -> &Ident {
        match self {
            Self::Column(c)
            | Self::Keys(c)
            | Self::Values(c)
            | Self::Entries(c)
            | Self::Full(c) => c,
        }
    }

    /// The same target on another column (for renames).
    #[must_use]
    pub fn with_column(&self, column: Ident) -> Self {
        match self {
            Self::Column(_) => Self::Column(column),
            Self::Keys(_) => Self::Keys(column),
            Self::Values(_) => Self::Values(column),
            Self::Entries(_) => Self::Entries(column),
            Self::Full(_) => Self::Full(column),
        }
    }

    /// The modifier keyword (`keys`, `values`, …), if any.
    #[must_use]
    pub fn modifier(&self) -> Option<&'static str> {
        match self {
            Self::Column(_) => None,
            Self::Keys(_) => Some("keys"),
            Self::Values(_) => Some("values"),
            Self::Entries(_) => Some("entries"),
            Self::Full(_) => Some("full"),
        }
    }
}

impl fmt::Display for IndexTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.modifier() {
            Some(m) => write!(f, "{m}({})", self.column()),
            None => write!(f, "{}", self.column()),
        }
    }
}

/// The index implementation, from `using '…'`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IndexClass {
    /// No `using`: the server's default implementation.
    Default,
    /// Storage-attached index: `'sai'`, `'StorageAttachedIndex'` or
    /// `'org.apache.cassandra.index.sai.StorageAttachedIndex'`.
    Sai,
    /// SASI: `'SASIIndex'` or `'org.apache.cassandra.index.sasi.SASIIndex'`.
    Sasi,
    /// The legacy index: `'legacy_local_table'`.
    LegacyLocalTable,
    /// Another custom class, as written.
    Custom(String),
}

impl IndexClass {
    /// The class named in `using '…'`, normalised.
    #[must_use]
    pub fn from_using(using: &str) -> Self {
        let lower = using.to_ascii_lowercase();
        match lower.as_str() {
            "sai"
            | "storageattachedindex"
            | "org.apache.cassandra.index.sai.storageattachedindex" => Self::Sai,
            "sasi" | "sasiindex" | "org.apache.cassandra.index.sasi.sasiindex" => Self::Sasi,
            "legacy_local_table" => Self::LegacyLocalTable,
            _ => Self::Custom(using.to_owned()),
        }
    }

    /// The `using` string to write, if any.
    #[must_use]
    pub fn using(&self) -> Option<&str> {
        match self {
            Self::Default => None,
            Self::Sai => Some("sai"),
            Self::Sasi => Some("org.apache.cassandra.index.sasi.SASIIndex"),
            Self::LegacyLocalTable => Some("legacy_local_table"),
            Self::Custom(class) => Some(class),
        }
    }

    /// Whether the class needs `create custom index` (a class that is not
    /// one of Cassandra's aliases).
    #[must_use]
    pub fn needs_custom_keyword(&self) -> bool {
        match self {
            Self::Default | Self::Sai | Self::LegacyLocalTable => false,
            Self::Sasi | Self::Custom(_) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sai_spellings_are_one_class() {
        for s in [
            "sai",
            "SAI",
            "StorageAttachedIndex",
            "org.apache.cassandra.index.sai.StorageAttachedIndex",
        ] {
            assert_eq!(IndexClass::from_using(s), IndexClass::Sai, "{s}");
        }
        assert_eq!(IndexClass::from_using("SASIIndex"), IndexClass::Sasi);
        assert_eq!(
            IndexClass::from_using("com.example.Idx"),
            IndexClass::Custom("com.example.Idx".to_owned())
        );
    }

    #[test]
    fn targets_display() {
        assert_eq!(
            IndexTarget::Keys(Ident::new("prefs")).to_string(),
            "keys(prefs)"
        );
        assert_eq!(
            IndexTarget::Column(Ident::new("token")).to_string(),
            "\"token\""
        );
    }
}

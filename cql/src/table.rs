//! Tables: columns, primary key, clustering order, dropped-column history.

use std::collections::BTreeMap;

use super::ident::Ident;
use super::options::TableOptions;
use super::types::CqlType;

/// A table definition.
///
/// `columns` keeps declaration order (new columns are appended), which
/// rendering follows; Cassandra itself ignores column order, and so does
/// [`diff`](super::diff::diff).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDef {
    /// The table name.
    pub name: Ident,
    /// Every column, key columns included, in declaration order.
    pub columns: Vec<ColumnDef>,
    /// The partition key columns, in order.
    pub partition_key: Vec<Ident>,
    /// The clustering columns, in order, with their sort order.
    pub clustering: Vec<ClusteringColumn>,
    /// Table options (`with …`).
    pub options: TableOptions,
    /// Columns dropped from this table, with the type and kind they had:
    /// Cassandra refuses to re-add one with an incompatible type.
    pub dropped_columns: BTreeMap<Ident, DroppedColumn>,
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column name.
    pub name: Ident,
    /// The column type.
    pub ty: CqlType,
    /// Whether the column is `static` (shared by a partition).
    pub is_static: bool,
    /// `masked with fn(…)` (dynamic data masking).
    pub mask: Option<super::mask::Mask>,
}

/// A clustering column and its order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusteringColumn {
    /// The column name.
    pub name: Ident,
    /// Ascending or descending.
    pub order: SortOrder,
}

/// The sort order of a clustering column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SortOrder {
    /// `asc` (the default).
    #[default]
    Asc,
    /// `desc`.
    Desc,
}

impl SortOrder {
    /// `asc` or `desc`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Asc => "asc",
            Self::Desc => "desc",
        }
    }
}

/// What a dropped column was, for the re-add rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedColumn {
    /// Its type when dropped.
    pub ty: CqlType,
    /// Whether it was `static`.
    pub is_static: bool,
}

/// Where a column sits in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnRole {
    /// Part of the partition key.
    PartitionKey,
    /// A clustering column.
    Clustering,
    /// A `static` column.
    Static,
    /// A regular column.
    Regular,
}

impl TableDef {
    /// A table with these columns and key and default options.
    #[must_use]
    pub fn new(
        name: Ident,
        columns: Vec<ColumnDef>,
        partition_key: Vec<Ident>,
        clustering: Vec<ClusteringColumn>,
    ) -> Self {
        Self {
            name,
            columns,
            partition_key,
            clustering,
            options: TableOptions::default(),
            dropped_columns: BTreeMap::new(),
        }
    }

    /// The column called `name`, if any.
    #[must_use]
    pub fn column(&self, name: &Ident) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| &c.name == name)
    }

    /// The role of the column called `name`, if it exists.
    #[must_use]
    pub fn role(&self, name: &Ident) -> Option<ColumnRole> {
        let column = self.column(name)?;
        Some(if self.partition_key.contains(name) {
            ColumnRole::PartitionKey
        } else if self.clustering.iter().any(|c| &c.name == name) {
            ColumnRole::Clustering
        } else if column.is_static {
            ColumnRole::Static
        } else {
            ColumnRole::Regular
        })
    }

    /// Whether `name` is a partition key or clustering column.
    #[must_use]
    pub fn is_primary_key(&self, name: &Ident) -> bool {
        self.partition_key.contains(name) || self.clustering.iter().any(|c| &c.name == name)
    }

    /// The columns outside the primary key, in declaration order.
    pub fn non_key_columns(&self) -> impl Iterator<Item = &ColumnDef> {
        self.columns
            .iter()
            .filter(|c| !self.is_primary_key(&c.name))
    }

    /// Whether this is a counter table (its non-key columns are counters).
    #[must_use]
    pub fn is_counter_table(&self) -> bool {
        self.non_key_columns().any(|c| c.ty.is_counter())
    }

    /// Whether any column mentions the user-defined type `name`.
    #[must_use]
    pub fn references_udt(&self, name: &Ident) -> bool {
        self.columns.iter().any(|c| c.ty.references_udt(name))
    }
}

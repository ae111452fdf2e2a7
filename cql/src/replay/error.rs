//! [`ReplayError`]: a statement Cassandra would refuse, and why.

use std::ops::Range;

use crate::error::DdlError;
use crate::ident::Ident;
use crate::types::CqlType;

/// A statement that Cassandra would refuse at this point of the replay.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ReplayError {
    /// The index of the statement among those given to the replayer.
    pub statement: usize,
    /// Byte offsets inside the statement text of what the error is about.
    pub span: Range<usize>,
    /// What is wrong (boxed: the variants are large and errors are rare).
    pub kind: Box<ReplayErrorKind>,
}

impl ReplayError {
    /// A hint for fixing the statement, when there is one.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        self.kind.help()
    }

    /// The same error with its span moved by `offset` bytes.
    #[must_use]
    pub fn shifted(mut self, offset: usize) -> Self {
        self.span = self.span.start + offset..self.span.end + offset;
        self
    }
}

/// A script that failed to parse or to replay.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    /// A statement is not valid DDL (span relative to the script).
    #[error(transparent)]
    Parse(#[from] DdlError),
    /// A statement would be refused (span relative to the script).
    #[error(transparent)]
    Replay(#[from] ReplayError),
}

/// Why Cassandra would refuse a statement. The messages follow
/// Cassandra's own rules; names are shown as CQL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayErrorKind {
    /// `create keyspace` of the schema's keyspace, which exists.
    #[error("keyspace `{name}` already exists")]
    KeyspaceExists {
        /// The keyspace.
        name: Ident,
    },
    /// `alter`/`drop keyspace` of a keyspace that was never created.
    #[error("keyspace `{name}` doesn't exist")]
    KeyspaceMissing {
        /// The keyspace.
        name: Ident,
    },
    /// A name qualified with (or a keyspace statement about) another
    /// keyspace than the schema's.
    #[error("`{found}` is not this schema's keyspace `{expected}`; a schema holds one keyspace")]
    OtherKeyspace {
        /// The keyspace named.
        found: Ident,
        /// The schema's keyspace.
        expected: Ident,
    },
    /// A table, view, type or index name with characters Cassandra refuses.
    #[error("`{name}` can't name a {what}: Cassandra allows only letters, digits and `_` there")]
    InvalidName {
        /// What the name is for.
        what: &'static str,
        /// The name.
        name: Ident,
    },
    /// `create type` of an existing type.
    #[error("type `{name}` already exists")]
    TypeExists {
        /// The type.
        name: Ident,
    },
    /// `alter`/`drop type` of a missing type.
    #[error("type `{name}` doesn't exist")]
    TypeMissing {
        /// The type.
        name: Ident,
    },
    /// A column or field of a user-defined type that doesn't exist.
    #[error("unknown type `{name}`")]
    UnknownType {
        /// The type named.
        name: Ident,
        /// A likely intended type.
        suggestion: Option<Ident>,
    },
    /// `drop type` of a type that tables or types still use.
    #[error("type `{name}` is still used by {users}")]
    TypeInUse {
        /// The type.
        name: Ident,
        /// Who uses it, e.g. "table `users`, type `order_line`".
        users: String,
    },
    /// A type that would contain itself.
    #[error("type `{name}` can't contain itself")]
    CircularType {
        /// The type.
        name: Ident,
    },
    /// A field that already exists in the type.
    #[error("type `{type_name}` already has a field `{field}`")]
    FieldExists {
        /// The type.
        type_name: Ident,
        /// The field.
        field: Ident,
    },
    /// A field that isn't in the type.
    #[error("type `{type_name}` has no field `{field}`")]
    FieldMissing {
        /// The type.
        type_name: Ident,
        /// The field.
        field: Ident,
    },
    /// Two fields with one name.
    #[error("type `{type_name}` would have two fields named `{field}`")]
    DuplicateField {
        /// The type.
        type_name: Ident,
        /// The field.
        field: Ident,
    },
    /// A field added to a type that a partition key uses.
    #[error("can't add a field to type `{type_name}`: it is used in the partition key of {tables}")]
    TypeInPartitionKey {
        /// The type.
        type_name: Ident,
        /// The tables, e.g. "table `a`".
        tables: String,
    },
    /// A type that is not allowed where it is used.
    #[error("{message}")]
    InvalidType {
        /// What is wrong.
        message: String,
    },
    /// `create table`/`view` with a name a table or view already has.
    #[error("a {what} named `{name}` already exists")]
    NameTaken {
        /// `table` or `materialized view`.
        what: &'static str,
        /// The name.
        name: Ident,
    },
    /// A statement about a table that doesn't exist.
    #[error("table `{name}` doesn't exist")]
    TableMissing {
        /// The table.
        name: Ident,
    },
    /// A table statement used on a materialized view, or the reverse.
    #[error("`{name}` is a {actual}, not a {expected}")]
    WrongObjectKind {
        /// The name.
        name: Ident,
        /// What it is.
        actual: &'static str,
        /// What the statement expects.
        expected: &'static str,
    },
    /// `add` of an existing column, or a column declared twice.
    #[error("table `{table}` already has a column `{column}`")]
    ColumnExists {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// A column that isn't in the table.
    #[error("table `{table}` has no column `{column}`")]
    ColumnMissing {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// A likely intended column.
        suggestion: Option<Ident>,
    },
    /// A primary key naming a column twice.
    #[error("column `{column}` appears twice in the primary key of `{table}`")]
    DuplicateKeyColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// A key column of a type a key can't have.
    #[error("primary key column `{column}` of `{table}` can't be {reason}")]
    InvalidKeyColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// e.g. "a counter", "a non-frozen collection (`list<int>`)".
        reason: String,
    },
    /// A `static` column in a table without clustering columns.
    #[error("static column `{column}` needs clustering columns, and `{table}` has none")]
    StaticWithoutClustering {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// Counter and non-counter columns in one table.
    #[error("table `{table}` can't mix counter and non-counter columns (`{column}`)")]
    CounterMix {
        /// The table.
        table: Ident,
        /// The column that breaks the rule.
        column: Ident,
    },
    /// A `default_time_to_live` on a counter table.
    #[error("counter table `{table}` can't have a `default_time_to_live`")]
    CounterTtl {
        /// The table.
        table: Ident,
    },
    /// A clustering order that doesn't follow the clustering columns.
    #[error("{message}")]
    ClusteringOrder {
        /// What is wrong.
        message: String,
    },
    /// `alter table … drop` of a primary key column.
    #[error("can't drop `{column}`: it is part of the primary key of `{table}`")]
    DropKeyColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// `alter table … drop` of a non-frozen user-defined type column.
    #[error("can't drop the non-frozen user-defined type column `{column}` of `{table}`")]
    DropNonFrozenUdt {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// `alter table … rename` of a column outside the primary key.
    #[error(
        "can't rename `{column}`: Cassandra renames only primary key columns, and it is a regular column of `{table}`"
    )]
    RenameNonKeyColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// A rename to a name the table already has.
    #[error("can't rename `{from}` to `{to}`: table `{table}` already has a column `{to}`")]
    RenameTargetExists {
        /// The table.
        table: Ident,
        /// The old name.
        from: Ident,
        /// The new name.
        to: Ident,
    },
    /// A drop or rename of a column that indexes depend on.
    #[error("can't {action} column `{column}` of `{table}`: indexes depend on it ({indexes})")]
    ColumnHasIndexes {
        /// `drop` or `rename`.
        action: &'static str,
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// The index names.
        indexes: String,
    },
    /// A column drop on a table with materialized views.
    #[error(
        "can't drop column `{column}` of `{table}`: the table has materialized views ({views})"
    )]
    ColumnHasViews {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// The view names.
        views: String,
    },
    /// `drop table` of a table with materialized views.
    #[error("can't drop table `{table}`: materialized views depend on it ({views})")]
    TableHasViews {
        /// The table.
        table: Ident,
        /// The view names.
        views: String,
    },
    /// Re-adding a dropped column with an incompatible type.
    #[error(
        "can't re-add column `{column}` of `{table}` as `{new_type}`: it was dropped as `{old_type}`, which is incompatible"
    )]
    ReAddDroppedColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// The type it is added with.
        new_type: CqlType,
        /// The type it was dropped with.
        old_type: CqlType,
    },
    /// Re-adding a dropped column as static when it was regular, or the
    /// reverse.
    #[error(
        "can't re-add column `{column}` of `{table}` as {new_kind}: it was dropped as {old_kind}"
    )]
    ReAddDroppedKind {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// `static` or `regular`.
        new_kind: &'static str,
        /// `static` or `regular`.
        old_kind: &'static str,
    },
    /// Re-adding a dropped counter column.
    #[error("can't re-add the dropped counter column `{column}` of `{table}`")]
    ReAddDroppedCounter {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// `create index` with a name that exists.
    #[error("index `{name}` already exists")]
    IndexExists {
        /// The index.
        name: Ident,
    },
    /// `drop index` of a missing index.
    #[error("index `{name}` doesn't exist")]
    IndexMissing {
        /// The index.
        name: Ident,
    },
    /// An index equal to an existing one but for its name.
    #[error("index `{name}` duplicates the existing index `{existing}`")]
    DuplicateIndex {
        /// The new index.
        name: Ident,
        /// The existing one.
        existing: Ident,
    },
    /// An index Cassandra can't build on this column.
    #[error("{message}")]
    InvalidIndex {
        /// What is wrong.
        message: String,
    },
    /// A statement about a materialized view that doesn't exist.
    #[error("materialized view `{name}` doesn't exist")]
    ViewMissing {
        /// The view.
        name: Ident,
    },
    /// A materialized view Cassandra would refuse.
    #[error("{message}")]
    InvalidView {
        /// What is wrong.
        message: String,
    },
}

impl ReplayErrorKind {
    /// A hint for fixing the statement, when there is one.
    #[must_use]
    pub fn help(&self) -> Option<String> {
        let text = match self {
            Self::KeyspaceExists { .. } => "write `create keyspace if not exists`, or remove the statement".to_owned(),
            Self::KeyspaceMissing { name } => {
                format!("create it first (`create keyspace {name} with replication = …`), or write `if exists`")
            }
            Self::OtherKeyspace { .. } => "leave names unqualified: they refer to the schema's keyspace".to_owned(),
            Self::InvalidName { .. } => "rename it to something like `snake_case`".to_owned(),
            Self::TypeExists { .. } => "write `create type if not exists`, or remove the statement".to_owned(),
            Self::TypeMissing { name } => format!("create it first with `create type {name} (…)`"),
            Self::UnknownType { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Self::UnknownType { name, suggestion: None } => {
                format!("create it with `create type {name} (…)` in an earlier statement")
            }
            Self::TypeInUse { .. } => "drop or change what uses it first".to_owned(),
            Self::TypeInPartitionKey { .. } => {
                "a key's type can't change; create a new type and a new table, backfill, switch, and drop the old ones"
                    .to_owned()
            }
            Self::TableMissing { name } => format!("create it first with `create table {name} (…)`"),
            Self::ColumnMissing { suggestion: Some(s), .. } => format!("did you mean `{s}`?"),
            Self::NameTaken { .. } => "write `if not exists`, or pick another name".to_owned(),
            Self::InvalidKeyColumn { .. } => "freeze collections and user-defined types used in keys: `frozen<…>`".to_owned(),
            Self::StaticWithoutClustering { .. } => "remove `static`: without clustering columns every column is per partition".to_owned(),
            Self::CounterMix { .. } => "put counters in a table of their own, with only the key besides them".to_owned(),
            Self::DropKeyColumn { .. } | Self::ReAddDroppedColumn { .. } | Self::ReAddDroppedKind { .. } => {
                "to change a table's key or reuse a column name with another type: create a new table, backfill it, switch reads and writes, then drop the old one".to_owned()
            }
            Self::RenameNonKeyColumn { .. } => {
                "add a column with the new name, backfill it, and drop the old one".to_owned()
            }
            Self::ColumnHasIndexes { .. } => "drop the indexes first".to_owned(),
            Self::ColumnHasViews { .. } | Self::TableHasViews { .. } => "drop the materialized views first".to_owned(),
            Self::IndexExists { .. } => "write `create index if not exists`, or pick another name".to_owned(),
            Self::IndexMissing { .. } => "write `drop index if exists`, or check the name".to_owned(),
            Self::ViewMissing { .. } => "write `if exists`, or check the name".to_owned(),
            Self::FieldExists { .. } => "write `add if not exists`, or pick another name".to_owned(),
            Self::CounterTtl { .. } => "counters can't expire; remove `default_time_to_live`".to_owned(),
            Self::CircularType { .. }
            | Self::FieldMissing { .. }
            | Self::DuplicateField { .. }
            | Self::InvalidType { .. }
            | Self::WrongObjectKind { .. }
            | Self::ColumnExists { .. }
            | Self::ColumnMissing { suggestion: None, .. }
            | Self::DuplicateKeyColumn { .. }
            | Self::ClusteringOrder { .. }
            | Self::DropNonFrozenUdt { .. }
            | Self::RenameTargetExists { .. }
            | Self::ReAddDroppedCounter { .. }
            | Self::DuplicateIndex { .. }
            | Self::InvalidIndex { .. }
            | Self::InvalidView { .. } => return None,
        };
        Some(text)
    }
}

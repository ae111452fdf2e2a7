//! [`DdlStatement`]: one parsed DDL statement, with the spans of its names.
//!
//! Spans are byte offsets inside the statement text, so a replay error can
//! point at the name it is about.

use std::collections::BTreeMap;
use std::ops::Range;

use super::ident::Ident;
use super::index::{IndexClass, IndexTarget};
use super::keyspace::Replication;
use super::options::TableOption;
use super::table::SortOrder;
use super::types::CqlType;

/// A name and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    /// The name.
    pub ident: Ident,
    /// Where it is in the statement.
    pub span: Range<usize>,
}

/// A possibly keyspace-qualified name (`ks.t` or `t`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualifiedName {
    /// The keyspace, when written.
    pub keyspace: Option<Name>,
    /// The object name.
    pub name: Name,
}

impl QualifiedName {
    /// The span of the whole name, keyspace included.
    #[must_use]
    pub fn span(&self) -> Range<usize> {
        match &self.keyspace {
            Some(ks) => ks.span.start..self.name.span.end,
            None => self.name.span.clone(),
        }
    }
}

/// A type as written, with the user-defined types it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeExpr {
    /// The type, normalised.
    pub ty: CqlType,
    /// Where it is in the statement.
    pub span: Range<usize>,
    /// The user-defined types it names, with any keyspace qualifier.
    pub udt_refs: Vec<QualifiedName>,
}

/// `name type` in `create type` or `alter type … add`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field name.
    pub name: Name,
    /// Its type.
    pub ty: TypeExpr,
}

/// `name type [static]` in `create table` or `alter table … add`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The column name.
    pub name: Name,
    /// Its type.
    pub ty: TypeExpr,
    /// Whether it was declared `static`.
    pub is_static: bool,
    /// `masked with fn(…)`.
    pub mask: Option<super::mask::Mask>,
}

/// One `name = value` option and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// The option.
    pub option: TableOption,
    /// Where it is in the statement.
    pub span: Range<usize>,
}

/// A clustering column in `with clustering order by (…)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderSpec {
    /// The column.
    pub name: Name,
    /// Its order.
    pub order: SortOrder,
}

/// One parsed DDL statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DdlStatement {
    /// `create keyspace`.
    CreateKeyspace(CreateKeyspace),
    /// `alter keyspace`.
    AlterKeyspace(AlterKeyspace),
    /// `drop keyspace` (the name has no qualifier).
    DropKeyspace(DropStatement),
    /// `create type`.
    CreateType(CreateType),
    /// `alter type`.
    AlterType(AlterType),
    /// `drop type`.
    DropType(DropStatement),
    /// `create table`.
    CreateTable(CreateTable),
    /// `alter table`.
    AlterTable(AlterTable),
    /// `drop table`.
    DropTable(DropStatement),
    /// `create [custom] index`.
    CreateIndex(CreateIndex),
    /// `drop index`.
    DropIndex(DropStatement),
    /// `create materialized view`.
    CreateView(CreateView),
    /// `alter materialized view … with …`.
    AlterView(AlterView),
    /// `drop materialized view`.
    DropView(DropStatement),
    /// `create [or replace] function|aggregate …` or `drop function|aggregate …`:
    /// kept as written, not modelled (the schema corm checks has none).
    Routine(Routine),
}

/// A user-defined function or aggregate statement, passed through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routine {
    /// `create` or `drop`.
    pub create: bool,
    /// `function` or `aggregate`.
    pub aggregate: bool,
    /// Its name.
    pub name: QualifiedName,
}

impl DdlStatement {
    /// The statement's verb and object, like `create table`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CreateKeyspace(_) => "create keyspace",
            Self::AlterKeyspace(_) => "alter keyspace",
            Self::DropKeyspace(_) => "drop keyspace",
            Self::CreateType(_) => "create type",
            Self::AlterType(_) => "alter type",
            Self::DropType(_) => "drop type",
            Self::CreateTable(_) => "create table",
            Self::AlterTable(_) => "alter table",
            Self::DropTable(_) => "drop table",
            Self::CreateIndex(_) => "create index",
            Self::DropIndex(_) => "drop index",
            Self::CreateView(_) => "create materialized view",
            Self::AlterView(_) => "alter materialized view",
            Self::DropView(_) => "drop materialized view",
            Self::Routine(r) => match (r.create, r.aggregate) {
                (true, false) => "create function",
                (true, true) => "create aggregate",
                (false, false) => "drop function",
                (false, true) => "drop aggregate",
            },
        }
    }
}

/// `drop <object> [if exists] name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropStatement {
    /// The object dropped.
    pub name: QualifiedName,
    /// `if exists`.
    pub if_exists: bool,
}

/// `create keyspace [if not exists] k with replication = {…} [and durable_writes = b]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateKeyspace {
    /// The keyspace.
    pub name: Name,
    /// `if not exists`.
    pub if_not_exists: bool,
    /// The replication.
    pub replication: Replication,
    /// `durable_writes`, when given.
    pub durable_writes: Option<bool>,
}

/// `alter keyspace [if exists] k with …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterKeyspace {
    /// The keyspace.
    pub name: Name,
    /// `if exists`.
    pub if_exists: bool,
    /// A new replication, when given.
    pub replication: Option<Replication>,
    /// A new `durable_writes`, when given.
    pub durable_writes: Option<bool>,
}

/// `create type [if not exists] t (f type, …)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateType {
    /// The type.
    pub name: QualifiedName,
    /// `if not exists`.
    pub if_not_exists: bool,
    /// The fields, in order.
    pub fields: Vec<FieldSpec>,
}

/// `alter type [if exists] t …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterType {
    /// The type.
    pub name: QualifiedName,
    /// `if exists`.
    pub if_exists: bool,
    /// What changes.
    pub action: AlterTypeAction,
}

/// What an `alter type` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlterTypeAction {
    /// `add [if not exists] f type`.
    AddField {
        /// `if not exists`.
        if_not_exists: bool,
        /// The new field.
        field: FieldSpec,
    },
    /// `rename [if exists] a to b [and c to d …]`.
    RenameFields {
        /// `if exists`.
        if_exists: bool,
        /// (old, new) pairs.
        renames: Vec<(Name, Name)>,
    },
}

/// `create table [if not exists] t (…) [with …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTable {
    /// The table.
    pub name: QualifiedName,
    /// `if not exists`.
    pub if_not_exists: bool,
    /// The columns, in order.
    pub columns: Vec<ColumnSpec>,
    /// The partition key columns.
    pub partition_key: Vec<Name>,
    /// The clustering columns.
    pub clustering: Vec<Name>,
    /// `with clustering order by (…)`.
    pub clustering_order: Vec<OrderSpec>,
    /// Other `with` options.
    pub options: Vec<OptionSpec>,
}

/// `alter table [if exists] t …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterTable {
    /// The table.
    pub name: QualifiedName,
    /// `if exists`.
    pub if_exists: bool,
    /// What changes.
    pub action: AlterTableAction,
}

/// What an `alter table` does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlterTableAction {
    /// `add [if not exists] c type [static]` or `add (c type, …)`.
    Add {
        /// `if not exists`.
        if_not_exists: bool,
        /// The new columns.
        columns: Vec<ColumnSpec>,
    },
    /// `drop [if exists] c` or `drop (c, …)`.
    Drop {
        /// `if exists`.
        if_exists: bool,
        /// The dropped columns.
        columns: Vec<Name>,
    },
    /// `rename [if exists] a to b [and c to d …]`.
    Rename {
        /// `if exists`.
        if_exists: bool,
        /// (old, new) pairs.
        renames: Vec<(Name, Name)>,
    },
    /// `with option = value [and …]`.
    Options(Vec<OptionSpec>),
    /// `alter c masked with fn(…)` or `alter c drop masked`.
    Mask {
        /// The column.
        column: Name,
        /// The new mask; `None` for `drop masked`.
        mask: Option<super::mask::Mask>,
    },
}

/// `create [custom] index [if not exists] [name] on t (target) [using '…' [with options = {…}]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateIndex {
    /// The index name, when given.
    pub name: Option<QualifiedName>,
    /// `if not exists`.
    pub if_not_exists: bool,
    /// Whether `custom` was written.
    pub custom: bool,
    /// The indexed table.
    pub table: QualifiedName,
    /// The target.
    pub target: IndexTarget,
    /// Where the target is in the statement.
    pub target_span: Range<usize>,
    /// The index class from `using`.
    pub class: IndexClass,
    /// `with options = {…}`.
    pub options: BTreeMap<String, String>,
}

/// `create materialized view [if not exists] v as select … from t where … primary key (…) [with …]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateView {
    /// The view.
    pub name: QualifiedName,
    /// `if not exists`.
    pub if_not_exists: bool,
    /// The base table.
    pub base_table: QualifiedName,
    /// The selected columns, or `None` for `*`.
    pub columns: Option<Vec<Name>>,
    /// The `where` clause as written (whitespace collapsed).
    pub where_clause: String,
    /// The partition key columns.
    pub partition_key: Vec<Name>,
    /// The clustering columns.
    pub clustering: Vec<Name>,
    /// `with clustering order by (…)`.
    pub clustering_order: Vec<OrderSpec>,
    /// Other `with` options.
    pub options: Vec<OptionSpec>,
}

/// `alter materialized view [if exists] v with …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterView {
    /// The view.
    pub name: QualifiedName,
    /// `if exists`.
    pub if_exists: bool,
    /// The options set.
    pub options: Vec<OptionSpec>,
}

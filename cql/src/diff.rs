//! Schema diff: the [`Change`]s that take one [`CqlSchema`] to another, in
//! an order that applies cleanly, each with its CQL, whether it loses data,
//! and whether Cassandra can make it at all.
//!
//! What the target schema leaves unsaid is not a change: no keyspace, no
//! `compaction`, no `comment` and no other option mean "whatever the
//! database has" (the default compaction depends on the server, and a model
//! states only the options it cares about). A stated `compaction` is
//! compared by strategy and by the sub-options it states; sub-options it
//! leaves out are not compared. Option values compare as Cassandra reads
//! them (case aside, numbers by value, class names with or without their
//! package), and so do index options (`'COSINE'` is `'cosine'`).
//! `default_time_to_live` is always compared (a model's `ttl`, default 0).
//! Column order is ignored, and so is the history of dropped columns except
//! to refuse re-adding one with an incompatible type.
//!
//! Order: keyspace; drops of changed or removed views and indexes; types
//! (created in dependency order, then altered); tables (created or
//! altered); dropped tables; dropped types (users first); created indexes;
//! created views. Ties are broken by name, so the output is deterministic.

use std::collections::BTreeSet;
use std::fmt;

use super::ident::Ident;
use super::index::IndexDef;
use super::keyspace::KeyspaceDef;
use super::mask::Mask;
use super::options::{Compaction, CompactionStrategy, OptionValue, TableOption, TableOptions};
use super::render;
use super::schema::CqlSchema;
use super::table::{ColumnDef, TableDef};
use super::types::CqlType;
use super::udt::{UdtDef, UdtField};
use super::view::ViewDef;

/// How risky a change is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Safety {
    /// Adds or alters without losing anything.
    Safe,
    /// Drops a definition that holds no data of its own (an index, a view,
    /// an unused type): rebuilding it is possible.
    DropsDefinition,
    /// Drops stored data (a table or a column).
    LosesData,
    /// Cassandra can't make this change; see [`Change::explanation`].
    Impossible,
}

/// One step from one schema towards another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Create the keyspace.
    CreateKeyspace(KeyspaceDef),
    /// Change the keyspace's replication or `durable_writes`.
    AlterKeyspace(KeyspaceDef),
    /// Another keyspace name (impossible).
    RenameKeyspace {
        /// The current name.
        from: Ident,
        /// The wanted name.
        to: Ident,
    },
    /// Create a type.
    CreateType(UdtDef),
    /// Add a field to a type.
    AddTypeField {
        /// The type.
        type_name: Ident,
        /// The new field.
        field: UdtField,
    },
    /// Rename a field of a type.
    RenameTypeField {
        /// The type.
        type_name: Ident,
        /// The current name.
        from: Ident,
        /// The new name.
        to: Ident,
    },
    /// Change the type of a field (impossible).
    ChangeTypeField {
        /// The type.
        type_name: Ident,
        /// The field.
        field: Ident,
        /// Its current type.
        from: CqlType,
        /// The wanted type.
        to: CqlType,
    },
    /// Remove or reorder fields of a type (impossible).
    ReshapeType {
        /// The type.
        type_name: Ident,
        /// The current fields.
        from: Vec<Ident>,
        /// The wanted fields.
        to: Vec<Ident>,
    },
    /// Drop a type.
    DropType(Ident),
    /// Create a table.
    CreateTable(TableDef),
    /// Drop a table.
    DropTable(Ident),
    /// Add a column.
    AddColumn {
        /// The table.
        table: Ident,
        /// The new column.
        column: ColumnDef,
    },
    /// Drop a column.
    DropColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// Drop a column and add it back with a compatible new type (its data
    /// is lost).
    ReplaceColumn {
        /// The table.
        table: Ident,
        /// The column as it will be.
        column: ColumnDef,
        /// Its current type.
        old_type: CqlType,
    },
    /// Rename a primary key column.
    RenameColumn {
        /// The table.
        table: Ident,
        /// The current name.
        from: Ident,
        /// The new name.
        to: Ident,
    },
    /// Change a column's type to an incompatible one (impossible).
    ChangeColumnType {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// Its current type.
        from: CqlType,
        /// The wanted type.
        to: CqlType,
    },
    /// Make a column static or regular (impossible).
    ChangeColumnKind {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// Whether it should become static.
        to_static: bool,
    },
    /// Add back a dropped column with an incompatible type or kind
    /// (impossible).
    ReAddDroppedColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// The type it was dropped with.
        dropped: CqlType,
        /// The wanted type.
        wanted: CqlType,
    },
    /// Drop a non-frozen user-defined type column (impossible).
    DropUdtColumn {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
    },
    /// Change the primary key (impossible).
    ChangePrimaryKey {
        /// The table.
        table: Ident,
        /// The current key, as CQL.
        from: String,
        /// The wanted key, as CQL.
        to: String,
    },
    /// Change the clustering order (impossible).
    ChangeClusteringOrder {
        /// The table.
        table: Ident,
        /// The current order, as CQL.
        from: String,
        /// The wanted order, as CQL.
        to: String,
    },
    /// Turn a table into a counter table or back (impossible).
    ChangeCounterKind {
        /// The table.
        table: Ident,
        /// Whether it should hold counters.
        to_counter: bool,
    },
    /// Mask a column with another function, or unmask it.
    AlterColumnMask {
        /// The table.
        table: Ident,
        /// The column.
        column: Ident,
        /// The new mask; `None` unmasks it.
        mask: Option<Mask>,
    },
    /// Set table options.
    AlterTableOptions {
        /// The table.
        table: Ident,
        /// The options to set.
        options: Vec<TableOption>,
    },
    /// Create an index.
    CreateIndex(IndexDef),
    /// Drop an index.
    DropIndex(Ident),
    /// Create a materialized view.
    CreateView(ViewDef),
    /// Drop a materialized view.
    DropView(Ident),
    /// Set options of a materialized view.
    AlterViewOptions {
        /// The view.
        view: Ident,
        /// The options to set.
        options: Vec<TableOption>,
    },
}

const NEW_TABLE_PATH: &str = "The usual path: create a new table with the new definition, backfill it from the old one, switch reads and writes to it, then drop the old table.";

impl Change {
    /// How risky the change is.
    #[must_use]
    pub fn safety(&self) -> Safety {
        match self {
            Self::CreateKeyspace(_)
            | Self::AlterKeyspace(_)
            | Self::CreateType(_)
            | Self::AddTypeField { .. }
            | Self::RenameTypeField { .. }
            | Self::CreateTable(_)
            | Self::AddColumn { .. }
            | Self::RenameColumn { .. }
            | Self::AlterTableOptions { .. }
            | Self::AlterColumnMask { .. }
            | Self::CreateIndex(_)
            | Self::CreateView(_)
            | Self::AlterViewOptions { .. } => Safety::Safe,
            Self::DropType(_) | Self::DropIndex(_) | Self::DropView(_) => Safety::DropsDefinition,
            Self::DropTable(_) | Self::DropColumn { .. } | Self::ReplaceColumn { .. } => {
                Safety::LosesData
            }
            Self::RenameKeyspace { .. }
            | Self::ChangeTypeField { .. }
            | Self::ReshapeType { .. }
            | Self::ChangeColumnType { .. }
            | Self::ChangeColumnKind { .. }
            | Self::ReAddDroppedColumn { .. }
            | Self::DropUdtColumn { .. }
            | Self::ChangePrimaryKey { .. }
            | Self::ChangeClusteringOrder { .. }
            | Self::ChangeCounterKind { .. } => Safety::Impossible,
        }
    }

    /// Whether the change drops stored data.
    #[must_use]
    pub fn loses_data(&self) -> bool {
        self.safety() == Safety::LosesData
    }

    /// Whether Cassandra can make the change.
    #[must_use]
    pub fn is_possible(&self) -> bool {
        self.safety() != Safety::Impossible
    }

    /// The CQL statements that make the change (without `;`); empty when
    /// it is impossible.
    #[must_use]
    pub fn statements(&self) -> Vec<String> {
        let one = |s: String| vec![s];
        match self {
            Self::CreateKeyspace(k) => one(render::render_keyspace(k)),
            Self::AlterKeyspace(k) => one(render::render_alter_keyspace(k)),
            Self::CreateType(t) => one(render::render_type(t)),
            Self::AddTypeField { type_name, field } => {
                one(render::render_add_field(type_name, field))
            }
            Self::RenameTypeField {
                type_name,
                from,
                to,
            } => one(format!("alter type {type_name} rename {from} to {to}")),
            Self::DropType(name) => one(render::render_drop("type", name)),
            Self::CreateTable(t) => one(render::render_table(t)),
            Self::DropTable(name) => one(render::render_drop("table", name)),
            Self::AddColumn { table, column } => one(render::render_add_column(table, column)),
            Self::DropColumn { table, column } => one(render::render_drop_column(table, column)),
            Self::ReplaceColumn { table, column, .. } => {
                vec![
                    render::render_drop_column(table, &column.name),
                    render::render_add_column(table, column),
                ]
            }
            Self::RenameColumn { table, from, to } => {
                one(format!("alter table {table} rename {from} to {to}"))
            }
            Self::AlterColumnMask {
                table,
                column,
                mask,
            } => one(match mask {
                Some(mask) => format!("alter table {table} alter {column} masked with {mask}"),
                None => format!("alter table {table} alter {column} drop masked"),
            }),
            Self::AlterTableOptions { table, options } => {
                one(render::render_alter_table_options(table, options))
            }
            Self::CreateIndex(i) => one(render::render_index(i)),
            Self::DropIndex(name) => one(render::render_drop("index", name)),
            Self::CreateView(v) => one(render::render_view(v)),
            Self::DropView(name) => one(render::render_drop("materialized view", name)),
            Self::AlterViewOptions { view, options } => {
                one(render::render_alter_view_options(view, options))
            }
            Self::RenameKeyspace { .. }
            | Self::ChangeTypeField { .. }
            | Self::ReshapeType { .. }
            | Self::ChangeColumnType { .. }
            | Self::ChangeColumnKind { .. }
            | Self::ReAddDroppedColumn { .. }
            | Self::DropUdtColumn { .. }
            | Self::ChangePrimaryKey { .. }
            | Self::ChangeClusteringOrder { .. }
            | Self::ChangeCounterKind { .. } => Vec::new(),
        }
    }

    /// Why an impossible change can't be made and the usual way around it.
    #[must_use]
    pub fn explanation(&self) -> Option<String> {
        let text = match self {
            Self::RenameKeyspace { from, to } => format!(
                "Cassandra can't rename keyspace `{from}` to `{to}`. Create the new keyspace with its tables, copy the data, switch, then drop the old keyspace."
            ),
            Self::ChangeTypeField {
                type_name,
                field,
                from,
                to,
            } => format!(
                "Cassandra can't change field `{field}` of type `{type_name}` from `{from}` to `{to}`; it can only add and rename fields. Add a field with the new type instead, or create a new type and move the columns that use it (new column or table, backfill, switch, drop the old)."
            ),
            Self::ReshapeType { type_name, .. } => format!(
                "Cassandra can't remove or reorder the fields of type `{type_name}`; it can only add fields at the end and rename them. Create a new type and move the columns that use it (new column or table, backfill, switch, drop the old)."
            ),
            Self::ChangeColumnType {
                table,
                column,
                from,
                to,
            } => format!(
                "Cassandra can't change column `{column}` of `{table}` from `{from}` to `{to}`, nor re-add it with that type after dropping it. Add a column with another name and the new type, backfill it, switch reads and writes, then drop the old column. {NEW_TABLE_PATH}"
            ),
            Self::ChangeColumnKind {
                table,
                column,
                to_static,
            } => {
                let (a, b) = if *to_static {
                    ("regular", "static")
                } else {
                    ("static", "regular")
                };
                format!(
                    "Cassandra can't make the {a} column `{column}` of `{table}` {b}, nor re-add it as {b} after dropping it. Use a column with another name, or a new table. {NEW_TABLE_PATH}"
                )
            }
            Self::ReAddDroppedColumn {
                table,
                column,
                dropped,
                wanted,
            } => format!(
                "Column `{column}` of `{table}` was dropped as `{dropped}`; Cassandra refuses to add it back as `{wanted}`. Use another column name, or a new table. {NEW_TABLE_PATH}"
            ),
            Self::DropUdtColumn { table, column } => format!(
                "Cassandra can't drop `{column}` of `{table}`: it is a non-frozen user-defined type column. {NEW_TABLE_PATH}"
            ),
            Self::ChangePrimaryKey { table, from, to } => format!(
                "Cassandra can't change the primary key of `{table}` from `{from}` to `{to}`. {NEW_TABLE_PATH}"
            ),
            Self::ChangeClusteringOrder { table, from, to } => format!(
                "Cassandra can't change the clustering order of `{table}` from `{from}` to `{to}`. {NEW_TABLE_PATH}"
            ),
            Self::ChangeCounterKind { table, to_counter } => {
                let what = if *to_counter {
                    "a counter table"
                } else {
                    "a table without counters"
                };
                format!(
                    "Cassandra fixes whether a table holds counters when it is created, so `{table}` can't become {what}. {NEW_TABLE_PATH}"
                )
            }
            Self::CreateKeyspace(_)
            | Self::AlterKeyspace(_)
            | Self::CreateType(_)
            | Self::AddTypeField { .. }
            | Self::RenameTypeField { .. }
            | Self::DropType(_)
            | Self::CreateTable(_)
            | Self::DropTable(_)
            | Self::AddColumn { .. }
            | Self::DropColumn { .. }
            | Self::ReplaceColumn { .. }
            | Self::RenameColumn { .. }
            | Self::AlterTableOptions { .. }
            | Self::AlterColumnMask { .. }
            | Self::CreateIndex(_)
            | Self::DropIndex(_)
            | Self::CreateView(_)
            | Self::DropView(_)
            | Self::AlterViewOptions { .. } => return None,
        };
        Some(text)
    }
}

impl fmt::Display for Change {
    /// A one-line summary, like "add column `prefs` to table `users`".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CreateKeyspace(k) => write!(f, "create keyspace `{}`", k.name),
            Self::AlterKeyspace(k) => write!(f, "alter keyspace `{}`", k.name),
            Self::RenameKeyspace { from, to } => write!(f, "rename keyspace `{from}` to `{to}`"),
            Self::CreateType(t) => write!(f, "create type `{}`", t.name),
            Self::AddTypeField { type_name, field } => {
                write!(
                    f,
                    "add field `{} {}` to type `{type_name}`",
                    field.name, field.ty
                )
            }
            Self::RenameTypeField {
                type_name,
                from,
                to,
            } => {
                write!(f, "rename field `{from}` of type `{type_name}` to `{to}`")
            }
            Self::ChangeTypeField {
                type_name,
                field,
                from,
                to,
            } => {
                write!(
                    f,
                    "change field `{field}` of type `{type_name}` from `{from}` to `{to}`"
                )
            }
            Self::ReshapeType { type_name, .. } => {
                write!(f, "remove or reorder fields of type `{type_name}`")
            }
            Self::DropType(name) => write!(f, "drop type `{name}`"),
            Self::CreateTable(t) => write!(f, "create table `{}`", t.name),
            Self::DropTable(name) => write!(f, "drop table `{name}`"),
            Self::AddColumn { table, column } => write!(
                f,
                "add column `{} {}` to table `{table}`",
                column.name, column.ty
            ),
            Self::DropColumn { table, column } => {
                write!(f, "drop column `{column}` of table `{table}`")
            }
            Self::ReplaceColumn {
                table,
                column,
                old_type,
            } => write!(
                f,
                "replace column `{}` of table `{table}` (`{old_type}` → `{}`, its data is lost)",
                column.name, column.ty
            ),
            Self::RenameColumn { table, from, to } => {
                write!(f, "rename column `{from}` of table `{table}` to `{to}`")
            }
            Self::ChangeColumnType {
                table,
                column,
                from,
                to,
            } => {
                write!(
                    f,
                    "change column `{column}` of table `{table}` from `{from}` to `{to}`"
                )
            }
            Self::ChangeColumnKind {
                table,
                column,
                to_static,
            } => {
                let kind = if *to_static { "static" } else { "regular" };
                write!(f, "make column `{column}` of table `{table}` {kind}")
            }
            Self::ReAddDroppedColumn {
                table,
                column,
                wanted,
                ..
            } => {
                write!(
                    f,
                    "add back dropped column `{column}` of table `{table}` as `{wanted}`"
                )
            }
            Self::DropUdtColumn { table, column } => {
                write!(f, "drop column `{column}` of table `{table}`")
            }
            Self::ChangePrimaryKey { table, from, to } => {
                write!(
                    f,
                    "change the primary key of table `{table}` from `{from}` to `{to}`"
                )
            }
            Self::ChangeClusteringOrder { table, from, to } => {
                write!(
                    f,
                    "change the clustering order of table `{table}` from `{from}` to `{to}`"
                )
            }
            Self::ChangeCounterKind { table, to_counter } => {
                let what = if *to_counter {
                    "a counter table"
                } else {
                    "a table without counters"
                };
                write!(f, "make table `{table}` {what}")
            }
            Self::AlterColumnMask {
                table,
                column,
                mask,
            } => match mask {
                Some(mask) => write!(f, "mask column `{column}` of table `{table}` with `{mask}`"),
                None => write!(f, "unmask column `{column}` of table `{table}`"),
            },
            Self::AlterTableOptions { table, options } => {
                let names: Vec<&str> = options.iter().map(TableOption::name).collect();
                write!(f, "set {} of table `{table}`", names.join(", "))
            }
            Self::CreateIndex(i) => write!(
                f,
                "create index `{}` on `{}` ({})",
                i.name, i.table, i.target
            ),
            Self::DropIndex(name) => write!(f, "drop index `{name}`"),
            Self::CreateView(v) => write!(f, "create materialized view `{}`", v.name),
            Self::DropView(name) => write!(f, "drop materialized view `{name}`"),
            Self::AlterViewOptions { view, options } => {
                let names: Vec<&str> = options.iter().map(TableOption::name).collect();
                write!(f, "set {} of materialized view `{view}`", names.join(", "))
            }
        }
    }
}

/// The changes that take `from` to `to`, in an order that applies cleanly.
#[must_use]
pub fn diff(from: &CqlSchema, to: &CqlSchema) -> Vec<Change> {
    let mut out = Vec::new();

    // The keyspace.
    match (&from.keyspace, &to.keyspace) {
        (_, None) => {}
        (None, Some(k)) => out.push(Change::CreateKeyspace(k.clone())),
        (Some(a), Some(b)) if a.name != b.name => {
            out.push(Change::RenameKeyspace {
                from: a.name.clone(),
                to: b.name.clone(),
            });
        }
        (Some(a), Some(b)) => {
            if a != b {
                out.push(Change::AlterKeyspace(b.clone()));
            }
        }
    }

    // Plan the tables first: replaced columns force their indexes to be
    // rebuilt.
    let mut table_changes: Vec<Change> = Vec::new();
    let mut rebuilt_columns: BTreeSet<(Ident, Ident)> = BTreeSet::new();
    let mut tables_losing_columns: BTreeSet<Ident> = BTreeSet::new();
    for to_table in to.tables.values() {
        match from.tables.get(&to_table.name) {
            None => {
                let mut created = to_table.clone();
                created.dropped_columns.clear();
                table_changes.push(Change::CreateTable(created));
            }
            Some(from_table) => {
                let changes = table_diff(from_table, to_table);
                let loses_columns = changes
                    .iter()
                    .any(|c| matches!(c, Change::DropColumn { .. } | Change::ReplaceColumn { .. }));
                if loses_columns {
                    tables_losing_columns.insert(to_table.name.clone());
                }
                for change in &changes {
                    if let Change::ReplaceColumn { table, column, .. } = change {
                        rebuilt_columns.insert((table.clone(), column.name.clone()));
                    }
                    if let Change::RenameColumn { table, from, .. } = change {
                        rebuilt_columns.insert((table.clone(), from.clone()));
                    }
                }
                table_changes.extend(changes);
            }
        }
    }

    // Views and indexes that go away or change are dropped first; so are
    // the views of tables that lose columns (Cassandra refuses to drop a
    // column of a table with views), to be created again at the end.
    let view_changed = |v: &ViewDef| {
        tables_losing_columns.contains(&v.base_table)
            || to
                .views
                .get(&v.name)
                .is_none_or(|t| !same_view_shape((v, from), (t, to)))
    };
    for view in from.views.values().filter(|v| view_changed(v)) {
        out.push(Change::DropView(view.name.clone()));
    }
    let index_rebuilt =
        |i: &IndexDef| rebuilt_columns.contains(&(i.table.clone(), i.target.column().clone()));
    let index_changed = |i: &IndexDef| {
        to.indexes.get(&i.name).is_none_or(|t| !same_index(t, i)) || index_rebuilt(i)
    };
    for index in from.indexes.values().filter(|i| index_changed(i)) {
        out.push(Change::DropIndex(index.name.clone()));
    }

    // Types: new ones in dependency order, then changes to existing ones.
    for udt in to.types_in_dependency_order() {
        if !from.types.contains_key(&udt.name) {
            out.push(Change::CreateType(udt.clone()));
        }
    }
    for udt in to.types_in_dependency_order() {
        if let Some(old) = from.types.get(&udt.name) {
            out.extend(type_diff(old, udt, in_partition_key(from, &udt.name)));
        }
    }

    // Tables.
    out.extend(table_changes);
    for table in from
        .tables
        .values()
        .filter(|t| !to.tables.contains_key(&t.name))
    {
        out.push(Change::DropTable(table.name.clone()));
    }

    // Types that go away, users before what they use.
    let mut dropped_types: Vec<&UdtDef> = from
        .types_in_dependency_order()
        .into_iter()
        .filter(|t| !to.types.contains_key(&t.name))
        .collect();
    dropped_types.reverse();
    out.extend(
        dropped_types
            .into_iter()
            .map(|t| Change::DropType(t.name.clone())),
    );

    // New and changed indexes and views.
    for index in to.indexes.values() {
        if from.indexes.get(&index.name).is_none_or(&index_changed) {
            out.push(Change::CreateIndex(index.clone()));
        }
    }
    for view in to.views.values() {
        match from.views.get(&view.name) {
            Some(old) if !view_changed(old) => {
                let options = options_diff(&old.options, &view.options);
                if !options.is_empty() {
                    out.push(Change::AlterViewOptions {
                        view: view.name.clone(),
                        options,
                    });
                }
            }
            Some(_) | None => out.push(Change::CreateView(view.clone())),
        }
    }
    out
}

/// Views equal but for their options: the same base, key and order, the
/// same columns shown (`select *` is the base's columns but static ones),
/// and the same `where` conditions in any order and case.
fn same_view_shape(
    (a, a_schema): (&ViewDef, &CqlSchema),
    (b, b_schema): (&ViewDef, &CqlSchema),
) -> bool {
    a.base_table == b.base_table
        && shown_columns(a, a_schema) == shown_columns(b, b_schema)
        && where_conditions(&a.where_clause) == where_conditions(&b.where_clause)
        && a.partition_key == b.partition_key
        && a.clustering == b.clustering
}

/// The columns a view shows, its key included; for `select *`, the base
/// table's non-static columns (`None` when the base is unknown).
fn shown_columns(view: &ViewDef, schema: &CqlSchema) -> Option<BTreeSet<Ident>> {
    let mut columns: BTreeSet<Ident> = match &view.columns {
        Some(list) => list.iter().cloned().collect(),
        None => schema
            .tables
            .get(&view.base_table)?
            .columns
            .iter()
            .filter(|c| !c.is_static)
            .map(|c| c.name.clone())
            .collect(),
    };
    columns.extend(view.partition_key.iter().cloned());
    columns.extend(view.clustering.iter().map(|c| c.name.clone()));
    Some(columns)
}

/// A view's `where` clause as a set of conditions, lower-cased.
fn where_conditions(text: &str) -> BTreeSet<String> {
    let lower = text.to_ascii_lowercase();
    lower
        .split(" and ")
        .map(|condition| condition.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|condition| !condition.is_empty())
        .collect()
}

/// The options to set so `from` matches `to` (see the module docs for what
/// an unset option in `to` means).
fn options_diff(from: &TableOptions, to: &TableOptions) -> Vec<TableOption> {
    let mut out = Vec::new();
    if let Some(comment) = &to.comment
        && from.comment.as_ref() != Some(comment)
    {
        out.push(TableOption::Comment(comment.clone()));
    }
    if let Some(c) = &to.compaction
        && !from
            .compaction
            .as_ref()
            .is_some_and(|f| compaction_covers(f, c))
    {
        out.push(TableOption::Compaction(c.clone()));
    }
    if from.default_time_to_live != to.default_time_to_live {
        out.push(TableOption::DefaultTimeToLive(
            to.default_time_to_live.unwrap_or(0),
        ));
    }
    for (name, value) in &to.other {
        if !from
            .other
            .get(name)
            .is_some_and(|have| same_option_value(have, value))
        {
            out.push(TableOption::Other {
                name: name.clone(),
                value: value.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.name().cmp(b.name()));
    out
}

/// Whether compaction `have` is the strategy `want` states, with every
/// sub-option `want` states (the ones it leaves out are not compared).
fn compaction_covers(have: &Compaction, want: &Compaction) -> bool {
    let same_strategy = match (&have.strategy, &want.strategy) {
        (CompactionStrategy::Other(a), CompactionStrategy::Other(b)) => same_class(a, b),
        (a, b) => a == b,
    };
    same_strategy
        && want.options.iter().all(|(name, value)| {
            have.options
                .get(name)
                .is_some_and(|have| same_option_text(have, value))
        })
}

/// Two option values as Cassandra compares them: maps key by key, text
/// and numbers by [`same_option_text`].
fn same_option_value(a: &OptionValue, b: &OptionValue) -> bool {
    match (a, b) {
        // Every entry the wanted map states, as a stated compaction's
        // sub-options are compared: entries it leaves out are the server's.
        (OptionValue::Map(have), OptionValue::Map(want)) => want.iter().all(|(key, value)| {
            have.get(key).is_some_and(|other| {
                if key == "class" {
                    same_class(other, value)
                } else {
                    same_option_text(other, value)
                }
            })
        }),
        (OptionValue::Map(_), _) | (_, OptionValue::Map(_)) => false,
        (a, b) => match (a.as_text(), b.as_text()) {
            (Some(a), Some(b)) => same_option_text(&a, &b),
            _ => false,
        },
    }
}

/// Option text as Cassandra reads it: case does not matter (`'ALL'` and
/// `'all'`, `'COSINE'` and `'cosine'`, `true` and `'TRUE'`), numbers
/// compare by value (`0.10` and `0.1`), and `99PERCENTILE` is `99p`.
pub(crate) fn same_option_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    if let (Ok(x), Ok(y)) = (a.parse::<f64>(), b.parse::<f64>()) {
        return x == y;
    }
    let percentile = |s: &str| {
        let upper = s.to_ascii_uppercase();
        upper
            .strip_suffix("PERCENTILE")
            .map(|n| format!("{n}P"))
            .unwrap_or(upper)
    };
    percentile(a) == percentile(b)
}

/// Class names with or without Cassandra's package, in any case.
fn same_class(a: &str, b: &str) -> bool {
    let short = |s: &str| s.rsplit('.').next().unwrap_or(s).to_ascii_lowercase();
    short(a) == short(b)
}

/// Whether two definitions of one index are the same index: equal but for
/// how the option values are spelt.
fn same_index(a: &IndexDef, b: &IndexDef) -> bool {
    a.name == b.name
        && a.table == b.table
        && a.target == b.target
        && a.class == b.class
        && a.options.len() == b.options.len()
        && a.options.iter().all(|(key, value)| {
            b.options
                .get(key)
                .is_some_and(|other| same_option_text(value, other))
        })
}

/// Whether a partition key column of `schema` holds the type `name`,
/// directly or inside other types: Cassandra then refuses new fields.
fn in_partition_key(schema: &CqlSchema, name: &Ident) -> bool {
    fn uses(schema: &CqlSchema, ty: &CqlType, name: &Ident, depth: usize) -> bool {
        depth < 32
            && ty.udts().into_iter().any(|udt| {
                udt == name
                    || schema.types.get(udt).is_some_and(|def| {
                        def.fields
                            .iter()
                            .any(|f| uses(schema, &f.ty, name, depth + 1))
                    })
            })
    }
    schema.tables.values().any(|table| {
        table
            .partition_key
            .iter()
            .filter_map(|key| table.column(key))
            .any(|column| uses(schema, &column.ty, name, 0))
    })
}

/// The changes to a type that exists on both sides; `locked` when a
/// partition key holds it, so that even adding a field is impossible.
fn type_diff(from: &UdtDef, to: &UdtDef, locked: bool) -> Vec<Change> {
    let mut out = Vec::new();
    let count = from.fields.len().max(to.fields.len());
    for i in 0..count {
        match (from.fields.get(i), to.fields.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) if a.name == b.name => out.push(Change::ChangeTypeField {
                type_name: to.name.clone(),
                field: a.name.clone(),
                from: a.ty.clone(),
                to: b.ty.clone(),
            }),
            (Some(a), Some(b))
                if a.ty == b.ty && to.field(&a.name).is_none() && from.field(&b.name).is_none() =>
            {
                out.push(Change::RenameTypeField {
                    type_name: to.name.clone(),
                    from: a.name.clone(),
                    to: b.name.clone(),
                });
            }
            (Some(_), _) => {
                return vec![Change::ReshapeType {
                    type_name: to.name.clone(),
                    from: from.fields.iter().map(|f| f.name.clone()).collect(),
                    to: to.fields.iter().map(|f| f.name.clone()).collect(),
                }];
            }
            (None, Some(_)) if locked => {
                return vec![Change::ReshapeType {
                    type_name: to.name.clone(),
                    from: from.fields.iter().map(|f| f.name.clone()).collect(),
                    to: to.fields.iter().map(|f| f.name.clone()).collect(),
                }];
            }
            (None, Some(b)) => out.push(Change::AddTypeField {
                type_name: to.name.clone(),
                field: b.clone(),
            }),
            (None, None) => {}
        }
    }
    out
}

/// `primary key (…)` of a table with column types, for messages.
fn key_text(t: &TableDef) -> String {
    let typed = |name: &Ident| match t.column(name) {
        Some(c) => format!("{name} {}", c.ty),
        None => name.to_string(),
    };
    let partition: Vec<String> = t.partition_key.iter().map(typed).collect();
    let mut parts = vec![format!("({})", partition.join(", "))];
    parts.extend(t.clustering.iter().map(|c| typed(&c.name)));
    format!("primary key ({})", parts.join(", "))
}

fn order_text(t: &TableDef) -> String {
    let items: Vec<String> = t
        .clustering
        .iter()
        .map(|c| format!("{} {}", c.name, c.order.as_str()))
        .collect();
    format!("clustering order by ({})", items.join(", "))
}

/// The changes to a table that exists on both sides.
fn table_diff(from: &TableDef, to: &TableDef) -> Vec<Change> {
    let name = &to.name;
    // The key: same shape, maybe renamed columns; anything else is a new table.
    let from_key: Vec<&Ident> = from
        .partition_key
        .iter()
        .chain(from.clustering.iter().map(|c| &c.name))
        .collect();
    let to_key: Vec<&Ident> = to
        .partition_key
        .iter()
        .chain(to.clustering.iter().map(|c| &c.name))
        .collect();
    let same_shape = from.partition_key.len() == to.partition_key.len()
        && from.clustering.len() == to.clustering.len()
        && from_key.iter().zip(&to_key).all(|(a, b)| {
            let types_equal = from.column(a).map(|c| &c.ty) == to.column(b).map(|c| &c.ty);
            let renamable = a == b || (to.column(a).is_none() && from.column(b).is_none());
            types_equal && renamable
        });
    if !same_shape {
        return vec![Change::ChangePrimaryKey {
            table: name.clone(),
            from: key_text(from),
            to: key_text(to),
        }];
    }
    let orders_equal = from
        .clustering
        .iter()
        .zip(&to.clustering)
        .all(|(a, b)| a.order == b.order);
    if !orders_equal {
        return vec![Change::ChangeClusteringOrder {
            table: name.clone(),
            from: order_text(from),
            to: order_text(to),
        }];
    }
    if from.is_counter_table() != to.is_counter_table() {
        return vec![Change::ChangeCounterKind {
            table: name.clone(),
            to_counter: to.is_counter_table(),
        }];
    }
    let mut out = Vec::new();
    for (a, b) in from_key.iter().zip(&to_key) {
        if a != b {
            out.push(Change::RenameColumn {
                table: name.clone(),
                from: (*a).clone(),
                to: (*b).clone(),
            });
        }
    }
    let counter_table = to.is_counter_table();
    let mut replaced = Vec::new();
    for column in to.non_key_columns() {
        match from.column(&column.name) {
            None => match from.dropped_columns.get(&column.name) {
                Some(d)
                    if !column.ty.can_replace_dropped(&d.ty)
                        || d.is_static != column.is_static
                        || counter_table =>
                {
                    out.push(Change::ReAddDroppedColumn {
                        table: name.clone(),
                        column: column.name.clone(),
                        dropped: d.ty.clone(),
                        wanted: column.ty.clone(),
                    });
                }
                Some(_) | None => out.push(Change::AddColumn {
                    table: name.clone(),
                    column: column.clone(),
                }),
            },
            Some(old) if old.ty == column.ty && old.is_static == column.is_static => {}
            Some(old) if old.is_static != column.is_static => out.push(Change::ChangeColumnKind {
                table: name.clone(),
                column: column.name.clone(),
                to_static: column.is_static,
            }),
            Some(old) => {
                let droppable = !matches!(old.ty, CqlType::Udt(_));
                if droppable && !counter_table && column.ty.can_replace_dropped(&old.ty) {
                    replaced.push(Change::ReplaceColumn {
                        table: name.clone(),
                        column: column.clone(),
                        old_type: old.ty.clone(),
                    });
                } else {
                    replaced.push(Change::ChangeColumnType {
                        table: name.clone(),
                        column: column.name.clone(),
                        from: old.ty.clone(),
                        to: column.ty.clone(),
                    });
                }
            }
        }
    }
    out.extend(replaced);
    // Masks, on key columns too: a column whose type stays keeps its data
    // and takes the model's mask.
    for column in &to.columns {
        if let Some(old) = from.column(&column.name)
            && old.ty == column.ty
            && old.is_static == column.is_static
        {
            let wanted = column.mask.as_ref().map(Mask::normalized);
            if old.mask.as_ref().map(Mask::normalized) != wanted {
                out.push(Change::AlterColumnMask {
                    table: name.clone(),
                    column: column.name.clone(),
                    mask: wanted,
                });
            }
        }
    }
    for old in from.non_key_columns() {
        if to.column(&old.name).is_none() && !to.is_primary_key(&old.name) {
            if matches!(old.ty, CqlType::Udt(_)) {
                out.push(Change::DropUdtColumn {
                    table: name.clone(),
                    column: old.name.clone(),
                });
            } else {
                out.push(Change::DropColumn {
                    table: name.clone(),
                    column: old.name.clone(),
                });
            }
        }
    }
    let options = options_diff(&from.options, &to.options);
    if !options.is_empty() {
        out.push(Change::AlterTableOptions {
            table: name.clone(),
            options,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::replay_script;

    fn schema(script: &str) -> CqlSchema {
        replay_script(script).unwrap()
    }

    #[test]
    fn equal_schemas_have_no_changes() {
        let s = schema("create table t (a int primary key, b text) with gc_grace_seconds = 10;");
        assert_eq!(diff(&s, &s), Vec::new());
    }

    #[test]
    fn column_order_is_ignored() {
        let a = schema("create table t (a int primary key, b text, c text);");
        let b = schema("create table t (c text, b text, a int primary key);");
        assert_eq!(diff(&a, &b), Vec::new());
    }

    #[test]
    fn unset_options_are_not_changes() {
        let a = schema(
            "create table t (a int primary key) with compaction = {'class': 'LeveledCompactionStrategy'} and gc_grace_seconds = 5;",
        );
        let b = schema("create table t (a int primary key);");
        assert_eq!(diff(&a, &b), Vec::new());
        let c = schema(
            "create table t (a int primary key) with comment = 'x' and default_time_to_live = 60;",
        );
        let changes = diff(&c, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].statements(),
            vec!["alter table t with default_time_to_live = 0"]
        );
    }

    #[test]
    fn stated_options_compare_as_cassandra_reads_them() {
        let have = schema(
            "create table t (a int primary key, v vector<float, 3>) with compaction = {'class': \
             'org.apache.cassandra.db.compaction.LeveledCompactionStrategy', \
             'sstable_size_in_mb': '160', 'fanout_size': '10'} \
             and caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} \
             and compression = {'class': 'org.apache.cassandra.io.compress.LZ4Compressor', 'chunk_length_in_kb': '16'} \
             and speculative_retry = '99PERCENTILE' and bloom_filter_fp_chance = 0.010;\
             create index i on t (v) using 'sai' with options = {'similarity_function': 'COSINE'};",
        );
        let same = schema(
            "create table t (a int primary key, v vector<float, 3>) with compaction = {'class': \
             'LeveledCompactionStrategy', 'sstable_size_in_mb': 160} \
             and caching = {'keys': 'all', 'rows_per_partition': 'none'} \
             and compression = {'class': 'LZ4Compressor', 'chunk_length_in_kb': 16} \
             and speculative_retry = '99p' and bloom_filter_fp_chance = 0.01 and comment = 'x';\
             create index i on t (v) using 'sai' with options = {'similarity_function': 'cosine'};",
        );
        let mut stated_comment = have.clone();
        if let Some(t) = stated_comment.tables.values_mut().next() {
            t.options.comment = Some("x".to_owned());
        }
        assert_eq!(diff(&stated_comment, &same), Vec::new());
        // A stated map compares the entries it states only.
        let fewer = schema(
            "create table t (a int primary key, v vector<float, 3>) with caching = {'keys': 'ALL'};\
             create index i on t (v) using 'sai' with options = {'similarity_function': 'cosine'};",
        );
        assert!(
            !diff(&have, &fewer)
                .iter()
                .any(|change| matches!(change, Change::AlterTableOptions { .. })),
            "{:?}",
            diff(&have, &fewer)
        );
        // Without the comment, the stated one is set; nothing else changes.
        let changes = diff(&have, &same);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(
            changes[0].statements(),
            vec!["alter table t with comment = 'x'"]
        );
        // A stated sub-option that differs rewrites the compaction.
        let other = schema(
            "create table t (a int primary key, v vector<float, 3>) with compaction = {'class': \
             'LeveledCompactionStrategy', 'sstable_size_in_mb': 80};",
        );
        let statements: Vec<String> = diff(&have, &other)
            .iter()
            .flat_map(Change::statements)
            .collect();
        assert_eq!(
            statements,
            vec![
                "drop index i".to_owned(),
                "alter table t with compaction = {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 80}".to_owned()
            ]
        );
    }

    #[test]
    fn key_column_rename_is_possible() {
        let a = schema("create table t (a int, b int, v text, primary key (a, b));");
        let b = schema("create table t (a int, c int, v text, primary key (a, c));");
        let changes = diff(&a, &b);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].statements(), vec!["alter table t rename b to c"]);
    }

    #[test]
    fn compatible_type_change_replaces_the_column() {
        let a = schema("create table t (a int primary key, v ascii);");
        let b = schema("create table t (a int primary key, v text);");
        let changes = diff(&a, &b);
        assert_eq!(changes.len(), 1);
        assert!(changes[0].loses_data());
        assert_eq!(
            changes[0].statements(),
            vec!["alter table t drop v", "alter table t add v text"]
        );
    }

    #[test]
    fn type_field_rename_and_reshape() {
        let a = schema("create type p (x int, y int);");
        let renamed = schema("create type p (x int, z int);");
        assert_eq!(
            diff(&a, &renamed)[0].statements(),
            vec!["alter type p rename y to z"]
        );
        let removed = schema("create type p (x int);");
        assert!(matches!(diff(&a, &removed)[0], Change::ReshapeType { .. }));
        let changed = schema("create type p (x int, y text);");
        assert!(!diff(&a, &changed)[0].is_possible());
    }
}

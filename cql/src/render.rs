//! DDL output: a [`CqlSchema`] or one object as CQL text in a canonical,
//! readable layout.
//!
//! Keywords are lowercase (as in the migration blocks of a `.corm` file),
//! one column or field per line, options sorted by name, names quoted where
//! needed. Statements are returned without their `;`; [`render_schema`]
//! joins them into a script. Parsing and replaying the output gives back the
//! same schema.

use std::fmt::Write as _;

use super::ident::Ident;
use super::index::IndexDef;
use super::keyspace::KeyspaceDef;
use super::options::{TableOption, write_map};
use super::schema::CqlSchema;
use super::table::{ClusteringColumn, ColumnDef, TableDef};
use super::udt::{UdtDef, UdtField};
use super::view::ViewDef;

const INDENT: &str = "    ";

/// The whole schema as a script: keyspace, types (each after the types it
/// uses), tables, indexes and views, each group in name order.
#[must_use]
pub fn render_schema(schema: &CqlSchema) -> String {
    let mut statements: Vec<String> = Vec::new();
    if let Some(keyspace) = &schema.keyspace {
        statements.push(render_keyspace(keyspace));
    }
    statements.extend(
        schema
            .types_in_dependency_order()
            .into_iter()
            .map(render_type),
    );
    statements.extend(schema.tables.values().map(render_table));
    statements.extend(schema.indexes.values().map(render_index));
    statements.extend(schema.views.values().map(render_view));
    let mut out = String::new();
    for (i, statement) in statements.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(statement);
        out.push_str(";\n");
    }
    out
}

/// `create keyspace …`.
#[must_use]
pub fn render_keyspace(keyspace: &KeyspaceDef) -> String {
    format!(
        "create keyspace {} with {}",
        keyspace.name,
        keyspace_options(keyspace, false)
    )
}

/// `alter keyspace …` setting every option of `keyspace`.
#[must_use]
pub fn render_alter_keyspace(keyspace: &KeyspaceDef) -> String {
    format!(
        "alter keyspace {} with {}",
        keyspace.name,
        keyspace_options(keyspace, true)
    )
}

fn keyspace_options(keyspace: &KeyspaceDef, always_durable: bool) -> String {
    let mut out = String::from("replication = ");
    let _ = write_map(&mut out, &keyspace.replication.to_map());
    if always_durable || !keyspace.durable_writes {
        let _ = write!(out, " and durable_writes = {}", keyspace.durable_writes);
    }
    out
}

/// `create type …`, one field per line.
#[must_use]
pub fn render_type(udt: &UdtDef) -> String {
    let fields: Vec<String> = udt
        .fields
        .iter()
        .map(|f| format!("{} {}", f.name, f.ty))
        .collect();
    format!("create type {} (\n{}\n)", udt.name, indented_list(&fields))
}

/// `alter type t add f T`.
#[must_use]
pub fn render_add_field(type_name: &Ident, field: &UdtField) -> String {
    format!("alter type {type_name} add {} {}", field.name, field.ty)
}

/// `create table …`, one column per line, then the primary key, the
/// clustering order and the options.
#[must_use]
pub fn render_table(table: &TableDef) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column).collect();
    lines.push(format!(
        "primary key {}",
        primary_key(&table.partition_key, &table.clustering)
    ));
    let mut out = format!(
        "create table {} (\n{}\n)",
        table.name,
        indented_list(&lines)
    );
    with_clause(
        &mut out,
        &table.clustering,
        &table.options.to_options(),
        " ",
    );
    out
}

/// `name type [static]`.
fn column(c: &ColumnDef) -> String {
    let mut s = format!("{} {}", c.name, c.ty);
    if c.is_static {
        s.push_str(" static");
    }
    if let Some(mask) = &c.mask {
        s.push_str(" masked with ");
        s.push_str(&mask.to_string());
    }
    s
}

/// `(a, c)` or `((a, b), c)`.
fn primary_key(partition: &[Ident], clustering: &[ClusteringColumn]) -> String {
    let partition_text = join(partition.iter().map(ToString::to_string));
    let mut parts = vec![if partition.len() == 1 {
        partition_text
    } else {
        format!("({partition_text})")
    }];
    parts.extend(clustering.iter().map(|c| c.name.to_string()));
    format!("({})", join(parts))
}

/// Appends ` with clustering order by (…)\n    and option = value …`.
fn with_clause(
    out: &mut String,
    clustering: &[ClusteringColumn],
    options: &[TableOption],
    first_separator: &str,
) {
    let mut items: Vec<String> = Vec::new();
    if !clustering.is_empty() {
        let order = join(
            clustering
                .iter()
                .map(|c| format!("{} {}", c.name, c.order.as_str())),
        );
        items.push(format!("clustering order by ({order})"));
    }
    items.extend(options.iter().map(ToString::to_string));
    for (i, item) in items.iter().enumerate() {
        if i == 0 {
            out.push_str(first_separator);
            out.push_str("with ");
        } else {
            out.push('\n');
            out.push_str(INDENT);
            out.push_str("and ");
        }
        out.push_str(item);
    }
}

/// `alter table t add c T [static]`.
#[must_use]
pub fn render_add_column(table: &Ident, c: &ColumnDef) -> String {
    format!("alter table {table} add {}", column(c))
}

/// `alter table t drop c`.
#[must_use]
pub fn render_drop_column(table: &Ident, column: &Ident) -> String {
    format!("alter table {table} drop {column}")
}

/// `alter table t with o = v and …`.
#[must_use]
pub fn render_alter_table_options(table: &Ident, options: &[TableOption]) -> String {
    let mut out = format!("alter table {table}");
    with_clause(&mut out, &[], options, " ");
    out
}

/// `alter materialized view v with o = v and …`.
#[must_use]
pub fn render_alter_view_options(view: &Ident, options: &[TableOption]) -> String {
    let mut out = format!("alter materialized view {view}");
    with_clause(&mut out, &[], options, " ");
    out
}

/// `drop <what> name`, e.g. `render_drop("table", name)`.
#[must_use]
pub fn render_drop(what: &str, name: &Ident) -> String {
    format!("drop {what} {name}")
}

/// `create [custom] index i on t (target) [using '…' [with options = {…}]]`.
#[must_use]
pub fn render_index(index: &IndexDef) -> String {
    let custom = if index.class.needs_custom_keyword() {
        "custom "
    } else {
        ""
    };
    let mut out = format!(
        "create {custom}index {} on {} ({})",
        index.name, index.table, index.target
    );
    if let Some(using) = index.class.using() {
        out.push_str(" using ");
        let _ = super::options::write_string(&mut out, using);
        if !index.options.is_empty() {
            out.push_str(" with options = ");
            let _ = write_map(&mut out, &index.options);
        }
    }
    out
}

/// `create materialized view …`.
#[must_use]
pub fn render_view(view: &ViewDef) -> String {
    let columns = match &view.columns {
        None => "*".to_owned(),
        Some(cols) => join(cols.iter().map(ToString::to_string)),
    };
    let mut out = format!(
        "create materialized view {} as\n{INDENT}select {columns}\n{INDENT}from {}\n{INDENT}where {}\n{INDENT}primary key {}",
        view.name,
        view.base_table,
        view.where_clause,
        primary_key(&view.partition_key, &view.clustering)
    );
    let separator = format!("\n{INDENT}");
    with_clause(
        &mut out,
        &view.clustering,
        &view.options.to_options(),
        &separator,
    );
    out
}

fn join(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

fn indented_list(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| format!("{INDENT}{l}"))
        .collect::<Vec<_>>()
        .join(",\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{IndexClass, IndexTarget};
    use crate::keyspace::Replication;
    use crate::options::{Compaction, CompactionStrategy, TableOptions, WindowUnit};
    use crate::table::SortOrder;
    use crate::types::{CqlType, NativeType};

    fn id(s: &str) -> Ident {
        Ident::new(s)
    }

    fn col(name: &str, ty: CqlType) -> ColumnDef {
        ColumnDef {
            name: id(name),
            ty,
            is_static: false,
            mask: None,
        }
    }

    #[test]
    fn table_layout() {
        let mut t = TableDef::new(
            id("posts"),
            vec![
                col("author_id", NativeType::Uuid.into()),
                col("created_at", NativeType::Timeuuid.into()),
                col("token", NativeType::Text.into()),
                ColumnDef {
                    name: id("owner"),
                    ty: NativeType::Text.into(),
                    is_static: true,
                    mask: None,
                },
            ],
            vec![id("author_id")],
            vec![ClusteringColumn {
                name: id("created_at"),
                order: SortOrder::Desc,
            }],
        );
        t.options = TableOptions {
            default_time_to_live: Some(7_776_000),
            compaction: Some(Compaction::new(CompactionStrategy::TimeWindow {
                unit: WindowUnit::Days,
                size: 1,
            })),
            comment: Some("Posts by author".to_owned()),
            other: Default::default(),
        };
        assert_eq!(
            render_table(&t),
            "create table posts (
    author_id uuid,
    created_at timeuuid,
    \"token\" text,
    owner text static,
    primary key (author_id, created_at)
) with clustering order by (created_at desc)
    and comment = 'Posts by author'
    and compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': 1, 'compaction_window_unit': 'DAYS'}
    and default_time_to_live = 7776000"
        );
    }

    #[test]
    fn composite_partition_key() {
        let t = TableDef::new(
            id("t"),
            vec![
                col("a", NativeType::Int.into()),
                col("b", NativeType::Int.into()),
            ],
            vec![id("a"), id("b")],
            vec![],
        );
        assert_eq!(
            render_table(&t),
            "create table t (\n    a int,\n    b int,\n    primary key ((a, b))\n)"
        );
    }

    #[test]
    fn keyspace_and_index() {
        let ks = KeyspaceDef {
            name: id("shop"),
            replication: Replication::Simple {
                replication_factor: 1,
            },
            durable_writes: true,
        };
        assert_eq!(
            render_keyspace(&ks),
            "create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
        );
        let idx = IndexDef {
            name: id("users_name_idx"),
            table: id("users"),
            target: IndexTarget::Column(id("name")),
            class: IndexClass::Sai,
            options: [("case_sensitive".to_owned(), "false".to_owned())]
                .into_iter()
                .collect(),
        };
        assert_eq!(
            render_index(&idx),
            "create index users_name_idx on users (name) using 'sai' with options = {'case_sensitive': 'false'}"
        );
    }
}

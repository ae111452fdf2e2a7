//! A table's shape as `system_schema` gives it, and the statements that
//! read its rows by token range and write them back.

use super::manifest::ColumnBackup;
use crate::migrate::catalog::rows;
use crate::{Result, Session};

/// The native CQL types (single-cell, not user-defined).
const NATIVE: &[&str] = &[
    "ascii",
    "bigint",
    "blob",
    "boolean",
    "counter",
    "date",
    "decimal",
    "double",
    "duration",
    "float",
    "inet",
    "int",
    "smallint",
    "text",
    "time",
    "timestamp",
    "timeuuid",
    "tinyint",
    "uuid",
    "varchar",
    "varint",
];

/// The tables of `keyspace`, each with its columns in chunk order:
/// partition key, clustering columns, then the others by name.
pub(super) async fn tables(
    session: &Session,
    keyspace: &str,
) -> Result<Vec<(String, Vec<ColumnBackup>)>> {
    let statement = "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?";
    let names: Vec<(String,)> = rows(statement, session.query(statement, (keyspace,)).await?)?;
    let mut tables = Vec::new();
    for (name,) in names {
        let columns = columns(session, keyspace, &name).await?;
        tables.push((name, columns));
    }
    Ok(tables)
}

/// The columns of `keyspace.table`, in chunk order.
pub(super) async fn columns(
    session: &Session,
    keyspace: &str,
    table: &str,
) -> Result<Vec<ColumnBackup>> {
    let statement = "SELECT column_name, kind, position, type FROM system_schema.columns \
                     WHERE keyspace_name = ? AND table_name = ?";
    let mut found: Vec<(String, String, i32, String)> = rows(
        statement,
        session.query(statement, (keyspace, table)).await?,
    )?;
    let rank = |kind: &str| match kind {
        "partition_key" => 0,
        "clustering" => 1,
        _ => 2,
    };
    found.sort_by(|a, b| {
        (rank(&a.1), if rank(&a.1) < 2 { a.2 } else { 0 }, &a.0).cmp(&(
            rank(&b.1),
            if rank(&b.1) < 2 { b.2 } else { 0 },
            &b.0,
        ))
    });
    Ok(found
        .into_iter()
        .map(|(name, kind, _, cql_type)| ColumnBackup {
            name,
            kind,
            cql_type,
        })
        .collect())
}

impl ColumnBackup {
    /// Whether it is part of the primary key.
    pub(super) fn is_key(&self) -> bool {
        self.kind == "partition_key" || self.kind == "clustering"
    }

    /// Whether it is a counter.
    pub(super) fn is_counter(&self) -> bool {
        self.cql_type == "counter"
    }

    /// Whether its value is stored as several cells (a non-frozen
    /// collection or user-defined type), whose write times and TTLs are
    /// read as lists.
    pub(super) fn is_multi_cell(&self) -> bool {
        let ty = self.cql_type.as_str();
        if ty.starts_with("frozen<") {
            return false;
        }
        ty.starts_with("list<")
            || ty.starts_with("set<")
            || ty.starts_with("map<")
            || (!ty.contains('<') && !NATIVE.contains(&ty))
    }

    /// The column as CQL names it.
    pub(super) fn cql(&self) -> String {
        crate::rt::quoted(&self.name)
    }
}

/// Whether the table with `columns` is a counter table.
pub(super) fn is_counter_table(columns: &[ColumnBackup]) -> bool {
    columns.iter().any(ColumnBackup::is_counter)
}

/// How many cells a chunk's row holds per column: a key or counter column
/// one (its value), any other three (value, write time, TTL).
pub(super) fn cells_of(column: &ColumnBackup) -> usize {
    if column.is_key() || column.is_counter() {
        1
    } else {
        3
    }
}

/// `SELECT` of a token range of `keyspace.table`, in chunk order.
pub(super) fn select(keyspace: &str, table: &str, columns: &[ColumnBackup]) -> String {
    let mut selected = Vec::new();
    for column in columns {
        let name = column.cql();
        selected.push(name.clone());
        if cells_of(column) == 3 {
            selected.push(format!("writetime({name})"));
            selected.push(format!("ttl({name})"));
        }
    }
    let partition: Vec<String> = columns
        .iter()
        .filter(|c| c.kind == "partition_key")
        .map(ColumnBackup::cql)
        .collect();
    let token = format!("token({})", partition.join(", "));
    format!(
        "SELECT {} FROM {}.{} WHERE {token} > ? AND {token} <= ?",
        selected.join(", "),
        crate::rt::quoted(keyspace),
        crate::rt::quoted(table)
    )
}

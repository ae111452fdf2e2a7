//! The statements of one time series' table, built from its
//! [`SeriesSpec`] and the keyspace when the `Db` is created.

use super::SeriesSpec;
use crate::Statement;

/// The statements of a time series (generated `Db`s hold one per series).
#[derive(Debug)]
pub struct SeriesStatements {
    spec: &'static SeriesSpec,
    /// `INSERT … (columns, bucket) VALUES (…) USING TTL ? AND TIMESTAMP ?`.
    pub(super) write: Statement,
    /// One bucket's points in `[from, to)`, oldest first.
    pub(super) range_ascending: Statement,
    /// One bucket's points in `[from, to)`, newest first.
    pub(super) range_descending: Statement,
    /// One bucket's newest point at or before a time.
    pub(super) latest: Statement,
    /// One bucket's points in `[from, to)` grouped by
    /// `floor(ts, interval, origin)` (the interval and origin bound first
    /// and last; Cassandra's two-argument `floor` refuses times before
    /// 1970).
    pub(super) rollup: Statement,
    /// Every point of one token range of the table.
    pub(super) scan: Statement,
    /// The span attributes and meters of the series' operations.
    pub(super) instruments: crate::instruments::Instruments,
}

impl SeriesStatements {
    /// The statements of `spec`'s table in `keyspace` (quoted in the CQL).
    /// Nothing is sent.
    pub fn new(keyspace: &str, spec: &'static SeriesSpec) -> Self {
        let table = [crate::rt::quoted(keyspace).as_str(), ".", spec.table].concat();
        let select = [
            "SELECT ",
            spec.columns,
            " FROM ",
            &table,
            " WHERE ",
            spec.series,
            " AND bucket = ?",
        ]
        .concat();
        let range = [select.as_str(), " AND ts >= ? AND ts < ? ORDER BY ts "].concat();
        let separator = if spec.rollup.is_empty() { "" } else { ", " };
        let rollup = [
            "SELECT floor(ts, ?, ?) AS start, count(*) AS points",
            separator,
            spec.rollup,
            " FROM ",
            &table,
            " WHERE ",
            spec.series,
            " AND bucket = ? AND ts >= ? AND ts < ? GROUP BY floor(ts, ?, ?)",
        ]
        .concat();
        Self {
            spec,
            instruments: crate::instruments::Instruments::new(spec.name, keyspace, spec.table),
            write: Statement::new(
                [
                    "INSERT INTO ",
                    &table,
                    " (",
                    spec.columns,
                    ", bucket) VALUES (",
                    spec.markers,
                    ", ?) USING TTL ? AND TIMESTAMP ?",
                ]
                .concat(),
            ),
            range_ascending: Statement::new([range.as_str(), "ASC"].concat()),
            range_descending: Statement::new([range.as_str(), "DESC"].concat()),
            latest: Statement::new([select.as_str(), " AND ts <= ? LIMIT 1"].concat()),
            rollup: Statement::new(rollup),
            scan: {
                let token = crate::table::token_of(&[spec.series, " AND bucket = ?"].concat());
                Statement::new(format!(
                    "SELECT {} FROM {table} WHERE {token} > ? AND {token} <= ?",
                    spec.columns
                ))
            },
        }
    }

    /// What the schema says about the table.
    pub fn spec(&self) -> &'static SeriesSpec {
        self.spec
    }
}

//! What the schema says about a table, as generated code states it: the
//! pieces of CQL its statements are built from.

/// The CQL of one model's table, stated by generated code (one `const` per
/// model) and turned into statements by [`TableStatements`](super::TableStatements).
///
/// Names are CQL identifiers as the statements need them (quoted where
/// the column or table name requires it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSpec {
    /// The model's name, for errors.
    pub model: &'static str,
    /// The table's name (without keyspace).
    pub table: &'static str,
    /// Every column, in the order rows bind and read them: `a, b, c`.
    pub columns: &'static str,
    /// A bind marker per column: `?, ?, ?`.
    pub markers: &'static str,
    /// The primary key condition: `a = ? AND b = ?`.
    pub key: &'static str,
    /// The partition key condition: `a = ?`.
    pub partition: &'static str,
    /// The clustering columns, in key order.
    pub clustering: &'static [&'static str],
    /// The columns an update can set, in the order of the bits of its mask.
    pub updatable: &'static [&'static str],
    /// The bits of `updatable` that are static columns (an update of these
    /// alone is made by partition).
    pub statics: u64,
    /// The counter columns (a counter table's only non-key columns).
    pub counters: &'static [&'static str],
    /// The change log, for a model with `changes retain …`.
    pub changes: Option<crate::changes::ChangeLogSpec>,
}

impl TableSpec {
    /// Whether the table has counter columns (and so no insert).
    pub const fn is_counter(&self) -> bool {
        !self.counters.is_empty()
    }
}

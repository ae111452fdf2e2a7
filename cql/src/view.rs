//! Materialized views: enough of them to replay `create` and `drop`.

use super::ident::Ident;
use super::options::TableOptions;
use super::table::ClusteringColumn;

/// A materialized view over one base table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewDef {
    /// The view name (shares the table namespace).
    pub name: Ident,
    /// The base table.
    pub base_table: Ident,
    /// The selected columns, or `None` for `select *`.
    pub columns: Option<Vec<Ident>>,
    /// The `where` clause, whitespace collapsed.
    pub where_clause: String,
    /// The view's partition key.
    pub partition_key: Vec<Ident>,
    /// The view's clustering columns and order.
    pub clustering: Vec<ClusteringColumn>,
    /// View options (`with …`).
    pub options: TableOptions,
}

impl ViewDef {
    /// Whether the view shows the base column `column`.
    #[must_use]
    pub fn includes(&self, column: &Ident) -> bool {
        let selected = match &self.columns {
            None => true,
            Some(cols) => cols.contains(column),
        };
        selected
            || self.partition_key.contains(column)
            || self.clustering.iter().any(|c| &c.name == column)
    }
}

//! The table behind a semantic cache: its DDL, the statement that says
//! which model filled it, and the statements a cache runs.
//!
//! ```text
//! create table <name> (
//!     id blob primary key,     -- SHA-256 of the scope and the normalised input
//!     scope text,              -- SAI-indexed: searches stay in one scope
//!     input text,
//!     embedding vector<float, N>,  -- SAI-indexed, cosine
//!     value text,              -- the answer, as JSON
//!     tags set<text>,          -- SAI-indexed: invalidation by tag
//!     created_at timestamp
//! ) with comment = 'corm semantic cache: model <model>, N dimensions'
//! ```
//!
//! One partition per input, so no partition grows; a search restricted to a
//! scope goes through the scope's index, which Cassandra 5 combines with
//! `ANN OF`.

use crate::statement::Statement;

/// The comment that states which model's vectors a cache table holds.
pub(super) fn comment(model: &str, dimensions: usize) -> String {
    format!("corm semantic cache: model {model}, {dimensions} dimensions")
}

/// The statements that create the table and its indexes (`if not exists`,
/// so opening a cache twice changes nothing).
pub(super) fn create_statements(
    keyspace: &str,
    table: &str,
    model: &str,
    dimensions: usize,
) -> Vec<String> {
    let comment = comment(model, dimensions).replace('\'', "''");
    vec![
        format!(
            "CREATE TABLE IF NOT EXISTS \"{keyspace}\".{table} (\
             id blob PRIMARY KEY, scope text, input text, embedding vector<float, {dimensions}>, \
             value text, tags set<text>, created_at timestamp) WITH comment = '{comment}'"
        ),
        format!(
            "CREATE INDEX IF NOT EXISTS {table}_embedding ON \"{keyspace}\".{table} (embedding) \
             USING 'sai' WITH OPTIONS = {{'similarity_function': 'cosine'}}"
        ),
        format!(
            "CREATE INDEX IF NOT EXISTS {table}_scope ON \"{keyspace}\".{table} (scope) USING 'sai'"
        ),
        format!(
            "CREATE INDEX IF NOT EXISTS {table}_tags ON \"{keyspace}\".{table} (values(tags)) \
             USING 'sai'"
        ),
    ]
}

/// The prepared statements of one cache table.
#[derive(Debug)]
pub(super) struct CacheStatements {
    /// `keyspace.table`, for errors.
    pub(super) name: String,
    /// The table's comment, from `system_schema`.
    pub(super) comment: Statement,
    /// One entry by id.
    pub(super) by_id: Statement,
    /// The nearest entry of a scope.
    pub(super) nearest: Statement,
    /// An entry written, with its TTL.
    pub(super) insert: Statement,
    /// The entries with a tag (paged).
    pub(super) tagged: Statement,
    /// An entry removed.
    pub(super) delete: Statement,
}

impl CacheStatements {
    pub(super) fn new(keyspace: &str, table: &str) -> Self {
        let qualified = format!("\"{keyspace}\".{table}");
        Self {
            name: format!("{keyspace}.{table}"),
            comment: Statement::new(
                "SELECT comment FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
            ),
            by_id: Statement::new(format!(
                "SELECT scope, input, value, tags FROM {qualified} WHERE id = ?"
            )),
            nearest: Statement::new(format!(
                "SELECT id, input, value, tags, embedding FROM {qualified} \
                 WHERE scope = ? ORDER BY embedding ANN OF ? LIMIT 1"
            )),
            insert: Statement::new(format!(
                "INSERT INTO {qualified} (id, scope, input, embedding, value, tags, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?"
            )),
            tagged: Statement::new(format!("SELECT id FROM {qualified} WHERE tags CONTAINS ?")),
            delete: Statement::new(format!("DELETE FROM {qualified} WHERE id = ?")),
        }
    }
}

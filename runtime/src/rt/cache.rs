//! Statements whose text depends on the call: a generated `update` sets only
//! the columns of a patch, a generated `partition_range` has a bound kind
//! per side and a direction. Each distinct text is prepared once, lazily,
//! and kept by a [`StatementCache`] under a key the generated code computes
//! (a bit mask of the set columns, or of the range's shape).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::Statement;

/// Lazily built [`Statement`]s, one per `u64` key.
///
/// The text of a key is built by the first caller with that key; later
/// callers get the same statement (so it is prepared once per session). A
/// key must always map to the same text.
///
/// ```
/// let cache = corm::rt::StatementCache::new();
/// let first = cache.get(0b101, || "UPDATE t SET a = ?, c = ? WHERE k = ?".to_owned());
/// let again = cache.get(0b101, || unreachable!("built once"));
/// assert!(std::sync::Arc::ptr_eq(&first, &again));
/// assert_eq!(cache.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct StatementCache {
    statements: Mutex<HashMap<u64, Arc<Statement>>>,
}

impl StatementCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The statement of `key`, built from `text()` on first use of the key.
    pub fn get(&self, key: u64, text: impl FnOnce() -> String) -> Arc<Statement> {
        let mut statements = self
            .statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            statements
                .entry(key)
                .or_insert_with(|| Arc::new(Statement::new(text()))),
        )
    }

    /// How many distinct statements the cache holds.
    pub fn len(&self) -> usize {
        self.statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether the cache holds no statement.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The text of an update of the columns of `columns` whose bit is set in
/// `mask` (bit `i` for `columns[i]`, at most 64 columns): `head`, then
/// `column = ?` for each, joined by `, `, then `tail`.
///
/// ```
/// let text = corm::rt::update_text("UPDATE t SET ", &["a", "b", "\"c\""], 0b101, " WHERE k = ?");
/// assert_eq!(text, "UPDATE t SET a = ?, \"c\" = ? WHERE k = ?");
/// ```
pub fn update_text(head: &str, columns: &[&str], mask: u64, tail: &str) -> String {
    let set = columns
        .iter()
        .take(64)
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, column)| format!("{column} = ?"))
        .collect::<Vec<_>>()
        .join(", ");
    [head, set.as_str(), tail].concat()
}

#[cfg(test)]
mod tests {
    use super::{StatementCache, update_text};

    #[test]
    fn builds_each_key_once() {
        let cache = StatementCache::new();
        assert!(cache.is_empty());
        let a = cache.get(1, || "A".to_owned());
        let b = cache.get(2, || "B".to_owned());
        let a2 = cache.get(1, || "other".to_owned());
        assert_eq!((a.text(), b.text(), a2.text()), ("A", "B", "A"));
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn update_text_sets_masked_columns() {
        assert_eq!(update_text("S ", &["a", "b"], 0b10, " W"), "S b = ? W");
        assert_eq!(
            update_text("S ", &["a", "b"], 0b11, " W"),
            "S a = ?, b = ? W"
        );
    }
}

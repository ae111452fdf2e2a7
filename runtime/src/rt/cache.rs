//! Statements whose text depends on the call: a generated `update` sets only
//! the columns of a patch, a generated `partition_range` has a bound kind
//! per side and a direction. Each distinct text is prepared once, lazily,
//! and kept by a [`StatementCache`] under a key the generated code computes
//! (a bit mask of the set columns, or of the range's shape).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rustc_hash::FxHasher;

use crate::Statement;

/// How many statements a cache keeps in its lock-free slots; more distinct
/// keys (rare: one per shape of patch or range a program uses) go to a
/// locked overflow map.
const SLOTS: usize = 16;

/// Lazily built [`Statement`]s, one per `u64` key.
///
/// The text of a key is built by the first caller with that key; later
/// callers get the same statement (so it is prepared once per session). A
/// key must always map to the same text.
///
/// Finding a statement takes no lock and touches no shared counter (the
/// first 16 keys live in write-once slots, read with plain
/// loads), so many tasks on many threads share a cache without contention.
///
/// ```
/// let cache = corm::rt::StatementCache::new();
/// let first = cache.get(0b101, || "UPDATE t SET a = ?, c = ? WHERE k = ?".to_owned());
/// let again = cache.get(0b101, || unreachable!("built once"));
/// assert!(std::ptr::eq(&*first, &*again));
/// assert_eq!(cache.len(), 1);
/// ```
#[derive(Debug)]
pub struct StatementCache {
    // Keys are bit masks the generated code computes, not input from
    // outside: a fast hash will do.
    slots: [OnceLock<Box<(u64, Statement)>>; SLOTS],
    overflow: Mutex<HashMap<u64, Arc<Statement>, BuildHasherDefault<FxHasher>>>,
}

impl Default for StatementCache {
    fn default() -> Self {
        Self {
            slots: std::array::from_fn(|_| OnceLock::new()),
            overflow: Mutex::default(),
        }
    }
}

/// A statement from a [`StatementCache`], borrowed from it (or shared, for
/// the rare key past its slots).
#[derive(Clone, Debug)]
pub enum Cached<'a> {
    /// In one of the cache's slots.
    Slot(&'a Statement),
    /// In the cache's overflow map.
    Shared(Arc<Statement>),
}

impl Deref for Cached<'_> {
    type Target = Statement;

    #[inline]
    fn deref(&self) -> &Statement {
        match self {
            Self::Slot(statement) => statement,
            Self::Shared(statement) => statement,
        }
    }
}

impl StatementCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The statement of `key`, built from `text()` on first use of the key
    /// (idempotent unless it has an `IF` clause: [`Statement::new`]).
    #[inline]
    pub fn get(&self, key: u64, text: impl FnOnce() -> String) -> Cached<'_> {
        self.get_marked(key, true, text)
    }

    /// [`StatementCache::get`], with a statement the caller may mark not
    /// idempotent (a counter update, a list append:
    /// [`Statement::non_idempotent`]).
    #[inline]
    pub fn get_marked(
        &self,
        key: u64,
        idempotent: bool,
        text: impl FnOnce() -> String,
    ) -> Cached<'_> {
        let build = move || {
            let text = text();
            if idempotent {
                Statement::new(text)
            } else {
                Statement::non_idempotent(text)
            }
        };
        self.find(key, build)
    }

    #[inline]
    fn find(&self, key: u64, build: impl FnOnce() -> Statement) -> Cached<'_> {
        let mut hasher = FxHasher::default();
        hasher.write_u64(key);
        let start = usize::try_from(hasher.finish() % SLOTS as u64).unwrap_or(0);
        for probe in 0..SLOTS {
            let Some(slot) = self.slots.get((start + probe) % SLOTS) else {
                break;
            };
            match slot.get() {
                Some(entry) if entry.0 == key => return Cached::Slot(&entry.1),
                Some(_) => {}
                None => return self.insert(slot, key, build),
            }
        }
        self.overflow(key, build)
    }

    /// Fills `slot` with `key` (unless another thread filled it first), or
    /// goes on probing.
    #[cold]
    fn insert<'a>(
        &'a self,
        slot: &'a OnceLock<Box<(u64, Statement)>>,
        key: u64,
        build: impl FnOnce() -> Statement,
    ) -> Cached<'a> {
        let mut build = Some(build);
        let entry = slot.get_or_init(|| {
            let statement = build
                .take()
                .map_or_else(|| Statement::new(String::new()), |build| build());
            Box::new((key, statement))
        });
        if entry.0 == key {
            return Cached::Slot(&entry.1);
        }
        // Another key took the slot meanwhile: look again (the statement
        // was not built).
        match build {
            Some(build) => self.find(key, build),
            None => self.overflow(key, || Statement::new(String::new())),
        }
    }

    #[cold]
    fn overflow(&self, key: u64, build: impl FnOnce() -> Statement) -> Cached<'_> {
        let mut statements = self.overflow.lock().unwrap_or_else(PoisonError::into_inner);
        Cached::Shared(Arc::clone(
            statements.entry(key).or_insert_with(|| Arc::new(build())),
        ))
    }

    /// How many distinct statements the cache holds.
    pub fn len(&self) -> usize {
        let slots = self
            .slots
            .iter()
            .filter(|slot| slot.get().is_some())
            .count();
        slots
            + self
                .overflow
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len()
    }

    /// Whether the cache holds no statement.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The text of an update of the columns of `columns` (CQL names joined by
/// `, `, as a `TableSpec` lists them) whose bit is set in `mask` (bit `i`
/// for column `i`, at most 64 columns): `head`, then `column = ?` for each,
/// joined by `, `, then `tail`.
///
/// ```
/// let text = corm::rt::update_text("UPDATE t SET ", "a, b, \"c, d\"", 0b101, " WHERE k = ?");
/// assert_eq!(text, "UPDATE t SET a = ?, \"c, d\" = ? WHERE k = ?");
/// ```
pub fn update_text(head: &str, columns: &str, mask: u64, tail: &str) -> String {
    let set = column_names(columns)
        .take(64)
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .map(|(_, column)| format!("{column} = ?"))
        .collect::<Vec<_>>()
        .join(", ");
    [head, set.as_str(), tail].concat()
}

/// The names of a column list (`a, "b, c", d`): split at each `, `
/// outside a quoted name (whose `""` is an escaped quote).
fn column_names(list: &str) -> impl Iterator<Item = &str> {
    let bytes = list.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = super::row::name_end(bytes, start);
        let name = list.get(start..end);
        start = super::row::next_name(bytes, end);
        name
    })
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
    fn keys_past_the_slots_overflow_and_stay_distinct() {
        let cache = StatementCache::new();
        let count = super::SLOTS as u64 * 3;
        for key in 0..count {
            assert_eq!(cache.get(key, || key.to_string()).text(), key.to_string());
        }
        for key in 0..count {
            assert_eq!(
                cache.get(key, || unreachable!("built once")).text(),
                key.to_string()
            );
        }
        assert_eq!(cache.len(), count as usize);
    }

    #[test]
    fn concurrent_first_uses_build_one_statement_per_key() {
        let cache = StatementCache::new();
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for key in 0..40_u64 {
                        assert_eq!(
                            cache.get(key, || format!("S{key}")).text(),
                            format!("S{key}")
                        );
                    }
                });
            }
        });
        assert_eq!(cache.len(), 40);
    }

    #[test]
    fn update_text_sets_masked_columns() {
        assert_eq!(update_text("S ", "a, b", 0b10, " W"), "S b = ? W");
        assert_eq!(update_text("S ", "a, b", 0b11, " W"), "S a = ?, b = ? W");
    }

    #[test]
    fn column_names_split_outside_quotes() {
        let names = |list| super::column_names(list).collect::<Vec<_>>();
        assert_eq!(names(""), Vec::<&str>::new());
        assert_eq!(names("a"), ["a"]);
        assert_eq!(names("a, \"b, c\", d"), ["a", "\"b, c\"", "d"]);
        assert_eq!(names("\"x\"\", y\", z"), ["\"x\"\", y\"", "z"]);
    }
}

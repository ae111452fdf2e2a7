//! Batched relation loaders (`relation_of(&rows)`): the limits of their
//! requests (how many keys one `IN` request binds, how many requests run at
//! once), and the grouping they share, written once: the distinct keys of
//! the inputs, and each row handed to every input whose key it holds.
//!
//! A batched loader gives one result per input, in the inputs' order (an
//! input with no match gets `None` or an empty `Vec`; inputs with equal
//! keys get equal results). Each distinct key is read once, in `IN` lists
//! of at most [`IN_CHUNK`] keys (or one request per key where Cassandra
//! allows no `IN`), with at most [`CONCURRENT_REQUESTS`] requests running;
//! a row goes to the inputs whose key it holds, compared by value, never by
//! its position in the answers. Any request's error, or a row that does not
//! read, fails the whole load: there is no partial result.
//!
//! ```
//! let inputs = ["b", "a", "b", "c"];
//! let keys = corm::loader::distinct_keys(&inputs, |input| Some(*input));
//! assert_eq!(keys, ["a", "b", "c"]);
//! let rows = [("b", 1), ("b", 2), ("a", 3)];
//! let loaded: Vec<Vec<(&str, i32)>> =
//!     corm::loader::distribute(&inputs, &rows, |input| Some(*input), |row| Some(row.0));
//! assert_eq!(loaded, [vec![("b", 1), ("b", 2)], vec![("a", 3)], vec![("b", 1), ("b", 2)], vec![]]);
//! ```

use std::collections::{BTreeMap, BTreeSet};

/// The most keys a batched loader binds to one `IN` request.
pub const IN_CHUNK: usize = 100;

/// The most requests a batched loader runs at once.
pub const CONCURRENT_REQUESTS: usize = 8;

/// The first key of relation loaders' statements in a repository's extra
/// statement cache (the keys below are the named queries').
#[doc(hidden)]
pub const RELATION_STATEMENTS: u64 = 1 << 32;

/// How a relation matches the inputs of its batched loader to the rows it
/// reads: the key each holds, compared by value. Generated code implements
/// it once per relation (on a type of its own) and the loader,
/// [`Repository::load_in`](crate::Repository::load_in) or
/// [`load_each`](crate::Repository::load_each), is written once here.
#[doc(hidden)]
pub trait Relation {
    /// What the loader is given (`children` of a `belongs_to`).
    type Input: Sync;
    /// What it reads.
    type Row: Clone + Send + 'static;
    /// The key an input or a row holds: references to its fields (a tuple
    /// when there are several), compared by value.
    type Key<'k>: Ord + Send + Sync;
    /// The key `input` holds, or `None` when a field of it is `None`.
    fn input_key(input: &Self::Input) -> Option<Self::Key<'_>>;
    /// The key `row` holds, to find the inputs it goes to.
    fn row_key(row: &Self::Row) -> Option<Self::Key<'_>>;
}

/// What a batched loader gives each input: every row whose key it holds
/// (`Vec<R>`, for `has_many`) or one (`Option<R>`).
pub trait Loaded<R>: Default + Clone {
    /// Adds `row` to what this input got.
    fn put(&mut self, row: R);
}

impl<R: Clone> Loaded<R> for Vec<R> {
    fn put(&mut self, row: R) {
        self.push(row);
    }
}

impl<R: Clone> Loaded<R> for Option<R> {
    fn put(&mut self, row: R) {
        *self = Some(row);
    }
}

/// The distinct keys of `inputs` (`key` gives an input's key, or `None`
/// when it has none), in key order: what a batched loader reads.
pub fn distinct_keys<'a, I, K: Ord>(inputs: &'a [I], key: impl Fn(&'a I) -> Option<K>) -> Vec<K> {
    inputs
        .iter()
        .filter_map(key)
        .collect::<BTreeSet<K>>()
        .into_iter()
        .collect()
}

/// What each of `inputs` loaded: every row of `rows` whose key
/// (`row_key`) equals the input's (`input_key`), compared by value, in the
/// order of `inputs` whatever the order of `rows`.
pub fn distribute<'a, I, R, K, L>(
    inputs: &'a [I],
    rows: &'a [R],
    input_key: impl Fn(&'a I) -> Option<K>,
    row_key: impl Fn(&'a R) -> Option<K>,
) -> Vec<L>
where
    K: Ord,
    R: Clone,
    L: Loaded<R>,
{
    let mut positions: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (position, input) in inputs.iter().enumerate() {
        if let Some(key) = input_key(input) {
            positions.entry(key).or_default().push(position);
        }
    }
    let mut loaded = vec![L::default(); inputs.len()];
    for row in rows {
        let Some(at) = row_key(row).and_then(|key| positions.get(&key)) else {
            continue;
        };
        for &position in at {
            if let Some(slot) = loaded.get_mut(position) {
                slot.put(row.clone());
            }
        }
    }
    loaded
}

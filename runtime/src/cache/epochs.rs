//! The marks a write leaves on a table's caches: counters that a write
//! bumps once it has run, and that a cache entry must still match to
//! answer.

use std::sync::atomic::{AtomicU64, Ordering};

/// How many counters a table's rows are spread over (by a hash of their
/// key's bytes): a write marks one of them, so it makes stale the rows
/// that share its counter (about one in 4,096) and no others.
const STRIPES: usize = 4096;

/// The write counters of one table.
#[derive(Debug)]
pub(crate) struct Epochs {
    /// Bumped by writes that may change any row (a partition delete, a
    /// named mutation): every row entry is stale.
    table: AtomicU64,
    /// Bumped by every write: every query answer is stale.
    queries: AtomicU64,
    /// Bumped by a write of a row whose key hashes to the stripe.
    rows: Box<[AtomicU64]>,
}

/// What an entry's validity was measured against when its load started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mark {
    /// A row: the table's counter and its stripe's.
    Row { stripe: usize, table: u64, row: u64 },
    /// A query answer: the queries' counter.
    Query(u64),
}

impl Epochs {
    pub(crate) fn new() -> Self {
        Self {
            table: AtomicU64::new(0),
            queries: AtomicU64::new(0),
            rows: (0..STRIPES).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    /// The stripe of a row whose key serialises to `key`.
    pub(crate) fn stripe(key: &[u8]) -> usize {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(key);
        // The low bits of FxHash are weak for short keys: take the high ones.
        (hash >> 52) as usize % STRIPES
    }

    /// The mark of a row in `stripe`, now.
    pub(crate) fn row_mark(&self, stripe: usize) -> Mark {
        Mark::Row {
            stripe,
            table: self.table.load(Ordering::SeqCst),
            row: self.rows[stripe].load(Ordering::SeqCst),
        }
    }

    /// The mark of a query answer, now.
    pub(crate) fn query_mark(&self) -> Mark {
        Mark::Query(self.queries.load(Ordering::SeqCst))
    }

    /// Whether an entry loaded at `mark` is still current.
    pub(crate) fn current(&self, mark: Mark) -> bool {
        match mark {
            Mark::Row { stripe, table, row } => {
                self.table.load(Ordering::SeqCst) == table
                    && self.rows[stripe].load(Ordering::SeqCst) == row
            }
            Mark::Query(queries) => self.queries.load(Ordering::SeqCst) == queries,
        }
    }

    /// Marks the rows of `stripe` (or every row, for `None`) and every
    /// query answer stale.
    pub(crate) fn wrote(&self, stripe: Option<usize>) {
        match stripe {
            Some(stripe) => self.rows[stripe].fetch_add(1, Ordering::SeqCst),
            None => self.table.fetch_add(1, Ordering::SeqCst),
        };
        self.queries.fetch_add(1, Ordering::SeqCst);
    }
}

/// Marks a write's rows stale when it is dropped: after the write ran, or
/// when it failed or was cancelled (it may have applied all the same).
#[must_use = "the write is marked when the guard is dropped"]
#[derive(Debug)]
pub(crate) struct WriteMark<'a> {
    epochs: Option<&'a Epochs>,
    stripe: Option<usize>,
}

impl<'a> WriteMark<'a> {
    /// A guard for a write of the rows `stripe` says (every row for
    /// `None`) of a table whose counters are `epochs` (nothing to mark
    /// without).
    pub(crate) fn new(epochs: Option<&'a Epochs>, stripe: Option<usize>) -> Self {
        Self { epochs, stripe }
    }
}

impl Drop for WriteMark<'_> {
    fn drop(&mut self) {
        if let Some(epochs) = self.epochs {
            epochs.wrote(self.stripe);
        }
    }
}

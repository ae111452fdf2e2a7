//! [`BulkReport`]: what a bulk write did, row by row.

use crate::Error;

/// Rows that were not written, and why.
#[derive(Debug)]
pub struct BulkFailure<T> {
    /// The rows (one, or those of a batch that failed as a whole).
    pub rows: Vec<T>,
    /// Why.
    pub error: Error,
}

/// What a bulk write did: every row is counted as written or listed in
/// `failed`.
#[derive(Debug)]
pub struct BulkReport<T> {
    /// Rows written.
    pub written: u64,
    /// Rows not written (or not known to be), with their errors.
    pub failed: Vec<BulkFailure<T>>,
}

impl<T> Default for BulkReport<T> {
    fn default() -> Self {
        Self {
            written: 0,
            failed: Vec::new(),
        }
    }
}

impl<T> BulkReport<T> {
    /// How many rows failed.
    #[must_use]
    pub fn failed_rows(&self) -> usize {
        self.failed.iter().map(|failure| failure.rows.len()).sum()
    }

    /// Whether every row was written.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }

    /// Counts `rows` written.
    pub(crate) fn wrote(&mut self, rows: usize) {
        self.written += rows as u64;
    }

    /// Reports `rows` as not written because of `error`.
    pub(crate) fn fail(&mut self, rows: Vec<T>, error: Error) {
        self.failed.push(BulkFailure { rows, error });
    }
}

//! [`BulkOptions`]: how a bulk write groups and sends rows.

/// How [`Repository::insert_many`](crate::Repository::insert_many) and the
/// other bulk writes group and send rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkOptions {
    /// Rows grouped by partition at once.
    pub chunk: usize,
    /// The most bytes of bound values in one batch.
    pub batch_bytes: usize,
    /// Batches (or single writes) in flight at once.
    pub in_flight: usize,
}

impl Default for BulkOptions {
    /// 1,000 rows a chunk, 4 KiB a batch, 32 in flight.
    fn default() -> Self {
        Self {
            chunk: 1000,
            batch_bytes: 4 * 1024,
            in_flight: 32,
        }
    }
}

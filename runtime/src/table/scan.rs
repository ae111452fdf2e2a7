//! Parallel scans: a whole table read token range by token range, a few
//! ranges at once, as one unordered stream of rows.
//!
//! The token ring is split at the tokens the driver's cluster metadata
//! holds (each node's), and each of those segments into
//! [`ParallelScan::splits`] equal parts, so the ranges cover
//! `(i64::MIN, i64::MAX]` once (Murmur3 never gives `i64::MIN`). Each range
//! is read as `… WHERE token(pk) > ? AND token(pk) <= ?`, a page at a time;
//! at most [`ParallelScan::concurrency`] ranges are read at once, and a
//! range reads its next page only when the consumer has taken the rows of
//! the last one, so memory stays bounded by `concurrency` pages however
//! slow the consumer is. A page that fails is asked for again, from the
//! same position in its range (the paging state of the page before), up to
//! [`ParallelScan::retries`] times; every row is yielded exactly once.

use std::sync::Arc;

use futures::{Stream, StreamExt, stream};
use scylla::deserialize::row::DeserializeRow;
use scylla::statement::prepared::PreparedStatement;

use super::{Repository, Table};
use crate::paging::{self, PagingToken};
use crate::{Error, Result, Session};

/// The key of the scan statement in a table's cache of extra statements
/// (generated code keeps its own keys below `1 << 32`).
const SCAN_STATEMENT: u64 = u64::MAX - 1;

/// How [`Repository::scan_parallel`] splits and reads a table.
///
/// The token ring is split at the tokens the driver's cluster metadata
/// holds (each node's), and each of those segments into
/// [`splits`](Self::splits) equal parts, so the ranges cover
/// `(i64::MIN, i64::MAX]` once. Each range is read as `… WHERE token(pk) >
/// ? AND token(pk) <= ?`, a page at a time; at most
/// [`concurrency`](Self::concurrency) ranges are read at once, and a range
/// reads its next page only when the consumer has taken the rows of the
/// last one, so memory stays bounded by `concurrency` pages however slow
/// the consumer is. A page that fails is asked for again, from the same
/// position in its range, up to [`retries`](Self::retries) times; every
/// row is yielded exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParallelScan {
    /// Ranges per segment of the token ring between two nodes' tokens.
    pub splits: u32,
    /// Ranges read at once.
    pub concurrency: usize,
    /// Times a failed page is asked for again before the scan fails.
    pub retries: u32,
}

impl Default for ParallelScan {
    /// 16 ranges per segment, 4 at once, 3 retries.
    fn default() -> Self {
        Self {
            splits: 16,
            concurrency: 4,
            retries: 3,
        }
    }
}

impl ParallelScan {
    /// `splits` ranges per segment of the ring (at least 1).
    #[must_use]
    pub fn splits(self, splits: u32) -> Self {
        Self {
            splits: splits.max(1),
            ..self
        }
    }

    /// `concurrency` ranges read at once (at least 1).
    #[must_use]
    pub fn concurrency(self, concurrency: usize) -> Self {
        Self {
            concurrency: concurrency.max(1),
            ..self
        }
    }
}

/// The token ranges `(start, end]` that cover the ring once: split at
/// `tokens` (a node's, in any order) and each segment in `splits` parts.
#[must_use]
pub fn token_ranges(tokens: &[i64], splits: u32) -> Vec<(i64, i64)> {
    let mut bounds: Vec<i64> = tokens
        .iter()
        .copied()
        .filter(|token| *token != i64::MIN)
        .collect();
    bounds.push(i64::MAX);
    bounds.sort_unstable();
    bounds.dedup();
    let splits = i128::from(splits.max(1));
    let mut ranges = Vec::with_capacity(bounds.len() * usize::try_from(splits).unwrap_or(1));
    let mut start = i64::MIN;
    for end in bounds {
        let width = i128::from(end) - i128::from(start);
        let mut from = start;
        for part in 1..=splits {
            let to = if part == splits {
                end
            } else {
                // Within (start, end]: fits i64 as both ends do.
                i64::try_from(i128::from(start) + width * part / splits).unwrap_or(end)
            };
            if to > from {
                ranges.push((from, to));
                from = to;
            }
        }
        start = end;
    }
    ranges
}

impl<'a, T> Repository<'a, T>
where
    T: Table + for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
{
    /// Every row of the table, read token range by token range with
    /// bounded concurrency (how: [`ParallelScan`]): an unordered stream,
    /// for exports, backfills and analytics. Uses this repository's
    /// consistency, timeout and page size.
    ///
    /// # Errors
    /// [`Error::Prepare`] before the first row; as items,
    /// [`Error::Execute`] (a page that failed every retry),
    /// [`Error::TypeCheck`] or [`Error::Deserialize`].
    pub async fn scan_parallel(
        &self,
        scan: ParallelScan,
    ) -> Result<impl Stream<Item = Result<T>> + Send + 'a> {
        let spec = self.statements().spec();
        let token = token_of(spec.partition);
        let statement = self.statements().extra().get(SCAN_STATEMENT, || {
            format!(
                "SELECT {} FROM {} WHERE {token} > ? AND {token} <= ?",
                spec.columns,
                self.statements().table()
            )
        });
        let prepared = Arc::new(
            self.options()
                .apply(statement.prepared(self.session()).await?)
                .into_owned(),
        );
        Ok(token_scan(
            self.session(),
            prepared,
            scan,
            self.options().page_size,
        ))
    }
}

/// The rows `prepared` reads (`… WHERE token(pk) > ? AND token(pk) <= ?`)
/// over every token range of the ring, `scan.concurrency` ranges at once,
/// as one unordered stream (see the [module docs](self)). Time series scan
/// their tables through it too.
pub(crate) fn token_scan<'a, T>(
    session: &'a Session,
    prepared: Arc<PreparedStatement>,
    scan: ParallelScan,
    page_size: Option<i32>,
) -> impl Stream<Item = Result<T>> + Send + 'a
where
    T: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
{
    let tokens: Vec<i64> = session
        .driver()
        .get_cluster_state()
        .replica_locator()
        .ring()
        .iter()
        .map(|(token, _)| token.value())
        .collect();
    let retries = scan.retries;
    let ranges = token_ranges(&tokens, scan.splits);
    stream::iter(ranges)
        .map(move |range| {
            // Boxed: the ranges read at once are polled side by side.
            Box::pin(range_rows::<T>(
                session,
                Arc::clone(&prepared),
                range,
                page_size,
                retries,
            ))
        })
        .flatten_unordered(scan.concurrency.max(1))
}

/// `token(a, b)` of the columns of a partition condition `a = ? AND b = ?`.
pub(crate) fn token_of(condition: &str) -> String {
    let columns: Vec<&str> = condition
        .split(" AND ")
        .map(|condition| condition.trim_end_matches(" = ?"))
        .collect();
    format!("token({})", columns.join(", "))
}

/// Where a range's read stands.
enum Position {
    /// The next page starts here (`None`: at the range's start).
    Next(Option<PagingToken>),
    /// The range is read (or failed).
    Done,
}

/// The rows of one token range, a page at a time, each page retried from
/// the same position.
fn range_rows<T>(
    session: &Session,
    prepared: Arc<PreparedStatement>,
    (from, to): (i64, i64),
    page_size: Option<i32>,
    retries: u32,
) -> impl Stream<Item = Result<T>> + Send + '_
where
    T: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
{
    stream::unfold(Position::Next(None), move |position| {
        let prepared = Arc::clone(&prepared);
        async move {
            let Position::Next(token) = position else {
                return None;
            };
            let mut attempt = 0;
            loop {
                let page = crate::trace::traced(
                    crate::trace::scan_page(&prepared, from, to),
                    paging::page::<T>(
                        session,
                        &prepared,
                        (from, to),
                        page_size,
                        token.as_ref().map(PagingToken::as_bytes),
                    ),
                )
                .await;
                match page {
                    Ok(page) => {
                        let next = page
                            .next
                            .map_or(Position::Done, |t| Position::Next(Some(t)));
                        let rows: Vec<Result<T>> = page.rows.into_iter().map(Ok).collect();
                        return Some((stream::iter(rows), next));
                    }
                    Err(Error::Execute { .. } | Error::Pager { .. }) if attempt < retries => {
                        attempt += 1;
                    }
                    Err(error) => return Some((stream::iter(vec![Err(error)]), Position::Done)),
                }
            }
        }
    })
    .flatten()
}

#[cfg(test)]
mod tests {
    use super::token_ranges;

    fn covers_once(ranges: &[(i64, i64)]) {
        assert_eq!(ranges.first().map(|r| r.0), Some(i64::MIN));
        assert_eq!(ranges.last().map(|r| r.1), Some(i64::MAX));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "{pair:?}");
            assert!(pair[0].0 < pair[0].1);
        }
    }

    #[test]
    fn ranges_cover_the_ring_once() {
        for (tokens, splits) in [
            (vec![0], 1),
            (vec![0], 16),
            (vec![], 4),
            (vec![-5, 7, 1 << 40, i64::MAX, i64::MIN], 3),
            (vec![i64::MIN + 1, i64::MIN + 2], 100),
        ] {
            let ranges = token_ranges(&tokens, splits);
            covers_once(&ranges);
        }
        assert_eq!(token_ranges(&[0], 1), vec![(i64::MIN, 0), (0, i64::MAX)]);
        assert_eq!(token_ranges(&[], 4).len(), 4);
    }
}

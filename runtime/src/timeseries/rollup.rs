//! Rollups: `count sum min max` (and the mean) of a series' value fields
//! per interval of time. Each bucket's partition is grouped by Cassandra
//! (`GROUP BY floor(ts, interval)`), and the groups of an interval that
//! spans buckets are merged here, in memory bounded by the number of
//! intervals that have points.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, TimeDelta, Utc};
use futures::{StreamExt, TryStreamExt, stream};
use scylla::deserialize::DeserializationError;
use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use scylla::value::{CqlDuration, CqlTimestamp};

use super::repository::READ_AHEAD;
use super::{Point, SeriesRepository, Summable, Summary, buckets};
use crate::rt::{BoundValue, Chain, CodecError, next_checked_col};
use crate::{Error, Result, paging};

/// One interval of a rollup (generated: the interval's start, how many
/// points it holds, and a [`Summary`] per numeric value field). It reads
/// the columns `start`, `points`, then four per summary, as
/// [`summary`] does.
pub trait Rollup: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static {
    /// The start of the interval.
    fn start(&self) -> DateTime<Utc>;

    /// Adds the other points of this interval (from another bucket).
    fn merge(&mut self, other: Self);
}

/// Reads the four columns of a [`Summary`] (`count(f)`, `sum(cast(f as
/// …))`, `min(f)`, `max(f)`), for rollup type `R`.
///
/// # Errors
/// A column whose type does not fit, or a sum `T::Sum` can't hold.
pub fn summary<'f, 'm, R: ?Sized, T: Summable>(
    row: &mut ColumnIterator<'f, 'm>,
) -> Result<Summary<T>, DeserializationError> {
    let count = next_checked_col::<R, i64>(row)?;
    let sum = match next_checked_col::<R, Option<T::Read>>(row)? {
        None => T::Sum::default(),
        Some(read) => T::sum_of(read).ok_or_else(|| {
            DeserializationError::new(CodecError::SumOutOfRange {
                rust_type: std::any::type_name::<R>(),
                sum_type: std::any::type_name::<T::Sum>(),
            })
        })?,
    };
    Ok(Summary {
        count,
        sum,
        min: next_checked_col::<R, Option<T>>(row)?,
        max: next_checked_col::<R, Option<T>>(row)?,
    })
}

impl<'a, P: Point> SeriesRepository<'a, P> {
    /// The points of `series` with `from <= ts < to` summarised per
    /// `interval`: one row per interval that holds points, oldest first.
    /// Intervals are aligned to the Unix epoch (a 1-hour interval starts
    /// on the hour, UTC), so the first and last may hold only the part
    /// of them inside the range.
    ///
    /// Every bucket the range touches costs one grouped read (the next
    /// few read ahead); an interval wider than a bucket is merged from
    /// the groups of its buckets.
    ///
    /// # Errors
    /// [`Error::InvalidTime`](crate::Error::InvalidTime) when `from > to`
    /// or `interval` is not a positive whole number of milliseconds
    /// (nothing is read); otherwise a read's error.
    pub async fn rollup(
        &self,
        series: &P::Series,
        range: Range<DateTime<Utc>>,
        interval: TimeDelta,
    ) -> Result<Vec<P::Rollup>> {
        self.traced("rollup", self.summarise(series, range, interval))
            .await
    }

    async fn summarise(
        &self,
        series: &P::Series,
        range: Range<DateTime<Utc>>,
        interval: TimeDelta,
    ) -> Result<Vec<P::Rollup>> {
        let spec = P::SPEC;
        let (interval, origin) = interval_and_origin(spec.name, interval, range.start)?;
        let buckets = buckets(spec.name, range.start, range.end, spec.bucket_ms)?;
        let prepared = self
            .options
            .apply(self.statements.rollup.prepared(self.session).await?)
            .into_owned();
        let (session, page_size) = (self.session, self.options.page_size);
        let (from, to) = (range.start, range.end);
        let mut groups = stream::iter(buckets)
            .map(|bucket| {
                let prepared = prepared.clone();
                async move {
                    let before: [BoundValue<'_>; 2] = [&interval, &origin];
                    let after: [BoundValue<'_>; 5] = [&bucket, &from, &to, &interval, &origin];
                    paging::stream::<P::Rollup>(
                        session,
                        prepared,
                        Chain {
                            before: &before,
                            row: series,
                            after: &after,
                        },
                        page_size,
                    )
                    .await
                }
            })
            .buffered(READ_AHEAD + 1)
            .try_flatten();
        let mut intervals: BTreeMap<DateTime<Utc>, P::Rollup> = BTreeMap::new();
        while let Some(group) = groups.next().await {
            let group = group?;
            match intervals.entry(group.start()) {
                std::collections::btree_map::Entry::Vacant(entry) => {
                    entry.insert(group);
                }
                std::collections::btree_map::Entry::Occupied(mut entry) => {
                    entry.get_mut().merge(group);
                }
            }
        }
        Ok(intervals.into_values().collect())
    }
}

/// `interval` as the CQL `duration` `floor` takes, and the origin it
/// counts from: the start of the epoch-aligned interval that holds `from`
/// (at or before every time read, as `floor` requires; so intervals are
/// aligned to the Unix epoch, before 1970 too).
fn interval_and_origin(
    series: &'static str,
    interval: TimeDelta,
    from: DateTime<Utc>,
) -> Result<(CqlDuration, CqlTimestamp)> {
    let millis = interval.num_milliseconds();
    let whole = TimeDelta::try_milliseconds(millis) == Some(interval);
    match millis.checked_mul(1_000_000) {
        Some(nanoseconds) if millis > 0 && whole => {
            let from = from.timestamp_millis();
            let origin = CqlTimestamp(from - from.rem_euclid(millis));
            let interval = CqlDuration {
                months: 0,
                days: 0,
                nanoseconds,
            };
            Ok((interval, origin))
        }
        _ => Err(Error::InvalidTime {
            series,
            problem: format!(
                "a rollup interval of {interval}: it must be a positive whole number of milliseconds"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_is_a_positive_whole_number_of_milliseconds() {
        let before_1970 = DateTime::from_timestamp_millis(-5_400_000).unwrap_or_default();
        let hour = interval_and_origin("s", TimeDelta::hours(1), before_1970);
        assert!(matches!(
            hour,
            Ok((d, origin)) if d.nanoseconds == 3_600_000_000_000 && origin.0 == -7_200_000
        ));
        for bad in [
            TimeDelta::zero(),
            TimeDelta::seconds(-5),
            TimeDelta::microseconds(1500),
            TimeDelta::MAX,
        ] {
            assert!(
                matches!(
                    interval_and_origin("s", bad, DateTime::UNIX_EPOCH),
                    Err(Error::InvalidTime { .. })
                ),
                "{bad}"
            );
        }
    }
}

//! Buckets: a point's partition is the start of the bucket its time falls
//! in, UTC, aligned to the Unix epoch (a 1-hour bucket starts on the hour,
//! a 1-day one at midnight UTC), computed in whole milliseconds, exact for
//! every width (no floating point, times before 1970 included).

use chrono::{DateTime, Utc};

use crate::{Error, Result};

/// The start of the bucket of `width_ms` that holds `ts`.
///
/// # Errors
/// [`Error::InvalidTime`] for a width under 1 ms or a time whose bucket
/// start is outside what a CQL `timestamp` holds.
pub fn bucket_of(series: &'static str, ts: DateTime<Utc>, width_ms: i64) -> Result<DateTime<Utc>> {
    if width_ms < 1 {
        return Err(Error::InvalidTime {
            series,
            problem: format!("a bucket of {width_ms} ms"),
        });
    }
    let millis = ts.timestamp_millis();
    let start = millis - millis.rem_euclid(width_ms);
    DateTime::from_timestamp_millis(start).ok_or_else(|| Error::InvalidTime {
        series,
        problem: format!("{ts} is in a bucket that starts before any time a timestamp holds"),
    })
}

/// The most buckets one range read walks (each costs a query).
pub const MAX_BUCKETS: i64 = 100_000;

/// The starts of the buckets of `width_ms` that `[from, to)` touches,
/// oldest first (none when `from == to`).
///
/// # Errors
/// [`Error::InvalidTime`] when `from > to`, or as [`bucket_of`].
pub fn buckets(
    series: &'static str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    width_ms: i64,
) -> Result<Vec<DateTime<Utc>>> {
    if from > to {
        return Err(Error::InvalidTime {
            series,
            problem: format!("the range starts at {from}, after its end {to}"),
        });
    }
    if from == to {
        return Ok(Vec::new());
    }
    let first = bucket_of(series, from, width_ms)?.timestamp_millis();
    // The last bucket holds the last millisecond before `to`.
    let before_to = to
        .checked_sub_signed(chrono::Duration::milliseconds(1))
        .ok_or_else(|| Error::InvalidTime {
            series,
            problem: format!("the range ends at {to}, before any time a timestamp holds"),
        })?;
    let last = bucket_of(series, before_to, width_ms)?.timestamp_millis();
    let count = (last - first) / width_ms + 1;
    if count > MAX_BUCKETS {
        return Err(Error::InvalidTime {
            series,
            problem: format!(
                "the range from {from} to {to} spans {count} buckets, more than {MAX_BUCKETS}: read it in parts"
            ),
        });
    }
    (0..count)
        .map(|i| {
            DateTime::from_timestamp_millis(first + i * width_ms).ok_or_else(|| {
                Error::InvalidTime {
                    series,
                    problem: "a bucket outside what a timestamp holds".to_owned(),
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn buckets_align_to_the_epoch_in_utc() {
        let ts = Utc.with_ymd_and_hms(2026, 12, 6, 13, 45, 12).unwrap();
        assert_eq!(
            bucket_of("s", ts, HOUR).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 6, 13, 0, 0).unwrap()
        );
        assert_eq!(
            bucket_of("s", ts, 24 * HOUR).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 6, 0, 0, 0).unwrap()
        );
        // Before 1970: still the start of its hour, not the next one.
        let old = Utc.with_ymd_and_hms(1969, 7, 20, 20, 17, 40).unwrap();
        assert_eq!(
            bucket_of("s", old, HOUR).unwrap(),
            Utc.with_ymd_and_hms(1969, 7, 20, 20, 0, 0).unwrap()
        );
        // A width that does not divide a day (7 s) is exact too.
        let t = Utc.timestamp_millis_opt(1_000_000_006_999).unwrap();
        assert_eq!(
            bucket_of("s", t, 7_000).unwrap().timestamp_millis() % 7_000,
            0
        );
        assert!(bucket_of("s", ts, 0).is_err());
    }

    #[test]
    fn a_range_touches_the_buckets_it_overlaps() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let at = |h: i64| t0 + chrono::Duration::hours(h);
        assert_eq!(buckets("s", at(5), at(17), HOUR).unwrap().len(), 12);
        assert!(buckets("s", at(5), at(5), HOUR).unwrap().is_empty());
        // `to` on a boundary does not touch the bucket it starts.
        let half = at(5) + chrono::Duration::minutes(30);
        assert_eq!(buckets("s", half, at(7), HOUR).unwrap(), vec![at(5), at(6)]);
        assert!(buckets("s", at(7), at(5), HOUR).is_err());
        // Ten years of one-minute buckets: refused, not five million queries.
        assert!(buckets("s", at(0), at(24 * 3650), 60_000).is_err());
    }
}

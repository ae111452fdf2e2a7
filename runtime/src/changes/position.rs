//! Where a change sits in its log: a time-based UUID, ordered as Cassandra
//! orders `timeuuid` clustering columns.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use scylla::value::CqlTimeuuid;
use uuid::Uuid;

use crate::rt::{GREGORIAN_TO_UNIX_TICKS, timeuuid_at};

/// The position of a change in its model's change log, and where a reader
/// resumes: the changes after it. Printed (and parsed) as its UUID, which
/// is what an SSE `Last-Event-ID` carries.
///
/// Ordered by time (100 ns ticks), then as Cassandra orders the rest of a
/// `timeuuid` (signed bytes), so it sorts as the log's partitions do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position(Uuid);

impl Position {
    /// The position of a change made now by this process (random clock
    /// sequence and node, so two in the same 100 ns still differ), shifted
    /// by `offset_micros` (a test's deliberate clock skew; 0 otherwise).
    pub(crate) fn new_now(offset_micros: i64) -> Self {
        let micros = Utc::now().timestamp_micros().saturating_add(offset_micros);
        Self::in_batch(u64::try_from(micros).unwrap_or(0), 0)
    }

    /// The position of the `index`th change of a batch written at
    /// `micros` (its write time): in batch order for the first ten, and
    /// all within that microsecond.
    pub(crate) fn in_batch(micros: u64, index: usize) -> Self {
        let tick = u64::try_from(index.min(9)).unwrap_or(9);
        Self(timeuuid_at(micros * 10 + tick + GREGORIAN_TO_UNIX_TICKS))
    }

    /// The position before every change made at `time` or later: a reader
    /// from it gets the changes from `time` on.
    #[must_use]
    pub fn at(time: DateTime<Utc>) -> Self {
        let micros = u64::try_from(time.timestamp_micros()).unwrap_or(0);
        Self::last_of_tick((micros * 10 + GREGORIAN_TO_UNIX_TICKS).saturating_sub(1))
    }

    /// The position after every change made at `time` or before.
    pub(crate) fn end_of(time: DateTime<Utc>) -> Self {
        let micros = u64::try_from(time.timestamp_micros()).unwrap_or(0);
        Self::last_of_tick(micros * 10 + 9 + GREGORIAN_TO_UNIX_TICKS)
    }

    /// The greatest time-based UUID of a tick (Cassandra's `maxTimeuuid`).
    fn last_of_tick(ticks: u64) -> Self {
        let mut bytes = uuid::Builder::from_gregorian_timestamp(ticks, 0, &[0; 6])
            .into_uuid()
            .into_bytes();
        bytes[8..].fill(0x7f);
        Self(Uuid::from_bytes(bytes))
    }

    /// The position now: a reader from it gets the changes made from now on.
    #[must_use]
    pub fn now() -> Self {
        Self::at(Utc::now())
    }

    /// When the change was made, by its writer's clock (microseconds).
    #[must_use]
    pub fn time(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(i64::try_from(self.micros()).unwrap_or(i64::MAX))
            .unwrap_or(DateTime::UNIX_EPOCH)
    }

    /// The change's write time: microseconds since the Unix epoch.
    pub(crate) fn micros(&self) -> u64 {
        self.ticks().saturating_sub(GREGORIAN_TO_UNIX_TICKS) / 10
    }

    /// 100 ns intervals since the Gregorian epoch.
    fn ticks(&self) -> u64 {
        self.0
            .get_timestamp()
            .map_or(0, |timestamp| timestamp.to_gregorian().0)
    }

    /// The UUID.
    #[must_use]
    pub fn uuid(&self) -> Uuid {
        self.0
    }

    /// The value bound to a `timeuuid` marker.
    pub(crate) fn cql(&self) -> CqlTimeuuid {
        CqlTimeuuid::from(self.0)
    }

    /// The position a `timeuuid` read from the log holds.
    pub(crate) fn from_cql(value: CqlTimeuuid) -> Self {
        Self(Uuid::from(value))
    }
}

impl Ord for Position {
    fn cmp(&self, other: &Self) -> Ordering {
        let signed = |uuid: &Uuid| {
            let bytes = *uuid.as_bytes();
            bytes.into_iter().skip(8).map(|byte| byte.cast_signed())
        };
        self.ticks()
            .cmp(&other.ticks())
            .then_with(|| signed(&self.0).cmp(signed(&other.0)))
    }
}

impl PartialOrd for Position {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// Why text is not a change position.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a change position (a time-based UUID)")]
pub struct InvalidPosition(String);

impl FromStr for Position {
    type Err = InvalidPosition;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match Uuid::parse_str(text.trim()) {
            Ok(uuid) if uuid.get_version_num() == 1 => Ok(Self(uuid)),
            _ => Err(InvalidPosition(text.to_owned())),
        }
    }
}

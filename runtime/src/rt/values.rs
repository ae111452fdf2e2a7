//! Values bound by position from a stack array, without allocating: an
//! update's set columns and key, a range read's partition key and bounds.

use arrayvec::ArrayVec;
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::RowWriter;
use uuid::Uuid;

use super::CodecError;

/// The most values one statement binds from [`BoundValues`]: the two
/// `USING` markers, up to 63 updated columns and the key columns.
pub const MAX_BOUND_VALUES: usize = 128;

/// A value to bind, borrowed.
pub type BoundValue<'v> = &'v (dyn SerializeValue + Sync);

/// The most values a range read binds after its partition key: two bounds
/// of up to 16 clustering columns each, and the limit.
pub const MAX_RANGE_VALUES: usize = 33;

/// The values of one statement, in marker order, with the bit mask of the
/// patch fields that are set (an update's cache key); at most `N` of them,
/// kept inline (a generated update names the `N` its table needs, so the
/// future holding them stays small).
pub struct BoundValues<'v, const N: usize = MAX_BOUND_VALUES> {
    values: ArrayVec<BoundValue<'v>, N>,
    mask: u64,
    overflow: bool,
}

impl<const N: usize> std::fmt::Debug for BoundValues<'_, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundValues")
            .field("len", &self.values.len())
            .field("mask", &self.mask)
            .finish_non_exhaustive()
    }
}

impl<const N: usize> Default for BoundValues<'_, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'v, const N: usize> BoundValues<'v, N> {
    /// No values.
    pub fn new() -> Self {
        Self {
            values: ArrayVec::new(),
            mask: 0,
            overflow: false,
        }
    }

    /// Binds `value` next.
    #[inline]
    pub fn push(&mut self, value: BoundValue<'v>) {
        if self.values.try_push(value).is_err() {
            self.overflow = true;
        }
    }

    /// Binds the value of a patch field when it is set (`Some`), and sets
    /// its `bit` of the mask.
    #[inline]
    pub fn set<V: SerializeValue + Sync>(&mut self, bit: u64, field: &'v Option<V>) {
        if let Some(value) = field {
            self.mask |= bit;
            self.push(value);
        }
    }

    /// Binds `value` to the column of `bit`, which every update sets (an
    /// `@on_update(now)` column).
    #[inline]
    pub fn always(&mut self, bit: u64, value: BoundValue<'v>) {
        self.mask |= bit;
        self.push(value);
    }

    /// The values bound. Past `N` values the rest were
    /// dropped, so a statement refuses them (a wrong count of values).
    pub fn bound(&self) -> &[BoundValue<'v>] {
        &self.values
    }

    /// The values, or an error when more were bound than fit.
    ///
    /// # Errors
    /// [`SerializationError`] past `N` values.
    pub fn as_slice(&self) -> Result<&[BoundValue<'v>], SerializationError> {
        if self.overflow {
            return Err(SerializationError::new(CodecError::TooManyValues {
                max: N,
            }));
        }
        Ok(&self.values)
    }
}

impl<const N: usize> SerializeRow for BoundValues<'_, N> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
        SerializeRow::serialize(&self.as_slice()?, ctx, writer)
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// The values of an update, as generic code fills them: implemented by
/// every [`BoundValues`].
pub trait Bind<'v>: Default + SerializeRow + Send + Sync {
    /// Binds `value` next.
    fn bind(&mut self, value: BoundValue<'v>);
    /// The bits of the patch fields set so far.
    fn set_columns(&self) -> u64;
    /// The values bound so far, in order.
    fn bound_values(&self) -> &[BoundValue<'v>];
}

impl<'v, const N: usize> Bind<'v> for BoundValues<'v, N> {
    #[inline]
    fn bind(&mut self, value: BoundValue<'v>) {
        self.push(value);
    }

    #[inline]
    fn set_columns(&self) -> u64 {
        self.mask
    }

    #[inline]
    fn bound_values(&self) -> &[BoundValue<'v>] {
        self.bound()
    }
}

/// The time an update runs at, for its `@on_update(now)` columns (all of
/// them get the same instant), in each CQL type such a column can have.
#[derive(Clone, Copy, Debug)]
pub struct Now {
    /// For `timestamp` columns (whole milliseconds, as Cassandra keeps it).
    pub timestamp: chrono::DateTime<chrono::Utc>,
    /// For `date` columns.
    pub date: chrono::NaiveDate,
    /// For `time` columns.
    pub time: chrono::NaiveTime,
    /// For `timeuuid` columns.
    pub timeuuid: Uuid,
}

impl Now {
    /// The current time.
    pub fn current() -> Self {
        let timestamp = super::now_timestamp();
        Self {
            timestamp,
            date: timestamp.date_naive(),
            time: timestamp.time(),
            timeuuid: Uuid::from(super::now_timeuuid()),
        }
    }

    /// The time of an update: the current time when it `stamps` (has
    /// `@on_update(now)` columns), else [`EPOCH`](Self::EPOCH), without
    /// reading the clock.
    #[inline]
    pub fn of_update(stamps: bool) -> Self {
        if stamps { Self::current() } else { Self::EPOCH }
    }

    /// The Unix epoch: the time of an update without `@on_update(now)`
    /// columns, which binds none of it.
    pub const EPOCH: Self = Self {
        timestamp: chrono::DateTime::UNIX_EPOCH,
        date: chrono::NaiveDate::MIN,
        time: chrono::NaiveTime::MIN,
        timeuuid: Uuid::nil(),
    };
}

/// Values bound around a row: `before`, then the row's own, then `after`
/// (the time to live and write time of a `USING` clause before an update's
/// columns, a range's bounds after its partition key, counter deltas
/// before a key).
pub struct Chain<'a> {
    /// Bound first.
    pub before: &'a [BoundValue<'a>],
    /// Bound next, to as many markers as are left after `after`.
    pub row: &'a (dyn SerializeRow + Sync),
    /// Bound last.
    pub after: &'a [BoundValue<'a>],
}

impl std::fmt::Debug for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chain")
            .field("before", &self.before.len())
            .field("after", &self.after.len())
            .finish_non_exhaustive()
    }
}

impl SerializeRow for Chain<'_> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
        let columns = ctx.columns();
        let first = self.before.len().min(columns.len());
        let last = columns.len().saturating_sub(self.after.len()).max(first);
        let (before, rest) = columns.split_at(first);
        let (row, after) = rest.split_at(last - first);
        SerializeRow::serialize(
            &self.before,
            &RowSerializationContext::from_specs(before),
            writer,
        )?;
        self.row
            .serialize(&RowSerializationContext::from_specs(row), writer)?;
        SerializeRow::serialize(
            &self.after,
            &RowSerializationContext::from_specs(after),
            writer,
        )
    }

    fn is_empty(&self) -> bool {
        self.before.is_empty() && self.after.is_empty() && self.row.is_empty()
    }
}

//! [`Summary`]: the count, sum, minimum and maximum of one value field over
//! an interval of a rollup, and [`Summable`], the field types that have one.
//!
//! Sums are read wider than the field (an `int` sums as a `bigint`, a
//! `bigint` as a `varint` read into an `i128`, a `float` as a `double`), as
//! Cassandra's own `sum` of an `int` wraps around past 2^31.

use std::cmp::Ordering;
use std::fmt::Debug;

use bigdecimal::BigDecimal;
use num_bigint::BigInt;
use scylla::deserialize::value::DeserializeValue;

/// The summary of one value field over an interval: how many points had a
/// value (nulls are left out, as in SQL), their sum, smallest and largest.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary<T: Summable> {
    /// The points with a value for the field.
    pub count: i64,
    /// The sum of the values (zero when there are none).
    pub sum: T::Sum,
    /// The smallest value (`None` when there are none).
    pub min: Option<T>,
    /// The largest value (`None` when there are none).
    pub max: Option<T>,
}

impl<T: Summable> Default for Summary<T> {
    fn default() -> Self {
        Self {
            count: 0,
            sum: T::Sum::default(),
            min: None,
            max: None,
        }
    }
}

impl<T: Summable> Summary<T> {
    /// The mean of the values (`None` when there are none).
    #[must_use]
    pub fn mean(&self) -> Option<T::Mean> {
        (self.count > 0).then(|| T::mean(&self.sum, self.count))
    }

    /// Adds the summary of other points of the same interval (from another
    /// bucket) to this one.
    pub fn merge(&mut self, other: Self) {
        self.count = self.count.saturating_add(other.count);
        T::add(&mut self.sum, other.sum);
        self.min = pick(self.min.take(), other.min, Ordering::Less);
        self.max = pick(self.max.take(), other.max, Ordering::Greater);
    }
}

/// Of two optional values, the one that compares as `wanted` to the other
/// in Cassandra's order (the first when they are equal).
fn pick<T: Summable>(a: Option<T>, b: Option<T>, wanted: Ordering) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.cql_cmp(&a) == wanted { b } else { a }),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Cassandra's order of floating-point values (Java's `Double.compare`):
/// every NaN above every number, `-0.0` below `0.0`.
fn float_order(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.total_cmp(&b),
    }
}

/// A value type a rollup summarises: the numeric CQL types.
pub trait Summable:
    Clone
    + Debug
    + PartialEq
    + PartialOrd
    + for<'f, 'm> DeserializeValue<'f, 'm>
    + Send
    + Sync
    + 'static
{
    /// The Rust type of a sum.
    type Sum: Clone + Debug + PartialEq + Default + Send + Sync + 'static;
    /// The Rust type of a mean.
    type Mean;
    /// The CQL type the values are cast to before they are summed.
    const SUM_AS: &'static str;

    /// The Rust type Cassandra's sum is read as (of the CQL type
    /// [`SUM_AS`](Self::SUM_AS) names).
    type Read: for<'f, 'm> DeserializeValue<'f, 'm>;

    /// A sum as read; `None` when it does not fit [`Sum`](Self::Sum).
    fn sum_of(read: Self::Read) -> Option<Self::Sum>;

    /// Adds `other` to `sum`.
    fn add(sum: &mut Self::Sum, other: Self::Sum);

    /// `sum / count`, for a positive `count`.
    fn mean(sum: &Self::Sum, count: i64) -> Self::Mean;

    /// The order Cassandra's `min` and `max` use, so that an interval
    /// merged from several buckets has the extremes one bucket would.
    fn cql_cmp(&self, other: &Self) -> Ordering {
        self.partial_cmp(other).unwrap_or(Ordering::Equal)
    }
}

macro_rules! summable_integer {
    ($($ty:ty),*) => {$(
        impl Summable for $ty {
            type Sum = i64;
            type Mean = f64;
            type Read = i64;
            const SUM_AS: &'static str = "bigint";

            fn sum_of(read: i64) -> Option<i64> {
                Some(read)
            }

            fn add(sum: &mut i64, other: i64) {
                *sum = sum.saturating_add(other);
            }

            #[allow(clippy::cast_precision_loss)]
            fn mean(sum: &i64, count: i64) -> f64 {
                *sum as f64 / count as f64
            }
        }
    )*};
}

summable_integer!(i8, i16, i32);

impl Summable for i64 {
    type Sum = i128;
    type Mean = f64;
    type Read = BigInt;
    const SUM_AS: &'static str = "varint";

    fn sum_of(read: BigInt) -> Option<i128> {
        i128::try_from(&read).ok()
    }

    fn add(sum: &mut i128, other: i128) {
        *sum = sum.saturating_add(other);
    }

    #[allow(clippy::cast_precision_loss)]
    fn mean(sum: &i128, count: i64) -> f64 {
        *sum as f64 / count as f64
    }
}

macro_rules! summable_float {
    ($($ty:ty),*) => {$(
        impl Summable for $ty {
            type Sum = f64;
            type Mean = f64;
            type Read = f64;
            const SUM_AS: &'static str = "double";

            fn sum_of(read: f64) -> Option<f64> {
                Some(read)
            }

            fn add(sum: &mut f64, other: f64) {
                *sum += other;
            }

            #[allow(clippy::cast_precision_loss)]
            fn mean(sum: &f64, count: i64) -> f64 {
                *sum / count as f64
            }

            fn cql_cmp(&self, other: &Self) -> Ordering {
                float_order(f64::from(*self), f64::from(*other))
            }
        }
    )*};
}

summable_float!(f32, f64);

impl Summable for BigInt {
    type Sum = BigInt;
    type Mean = BigDecimal;
    type Read = BigInt;
    const SUM_AS: &'static str = "varint";

    fn sum_of(read: BigInt) -> Option<BigInt> {
        Some(read)
    }

    fn add(sum: &mut BigInt, other: BigInt) {
        *sum += other;
    }

    fn mean(sum: &BigInt, count: i64) -> BigDecimal {
        BigDecimal::from(sum.clone()) / BigDecimal::from(count)
    }
}

impl Summable for BigDecimal {
    type Sum = BigDecimal;
    type Mean = BigDecimal;
    type Read = BigDecimal;
    const SUM_AS: &'static str = "decimal";

    fn sum_of(read: BigDecimal) -> Option<BigDecimal> {
        Some(read)
    }

    fn add(sum: &mut BigDecimal, other: BigDecimal) {
        *sum += other;
    }

    fn mean(sum: &BigDecimal, count: i64) -> BigDecimal {
        sum / BigDecimal::from(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_adds_counts_and_sums_and_keeps_the_extremes() {
        let mut a = Summary::<i32> {
            count: 2,
            sum: 7,
            min: Some(3),
            max: Some(4),
        };
        a.merge(Summary {
            count: 1,
            sum: 10,
            min: Some(10),
            max: Some(10),
        });
        a.merge(Summary::default());
        assert_eq!((a.count, a.sum, a.min, a.max), (3, 17, Some(3), Some(10)));
        assert_eq!(a.mean(), Some(17.0 / 3.0));
        assert_eq!(Summary::<f64>::default().mean(), None);
    }

    #[test]
    fn float_extremes_merge_in_cassandras_order() {
        let of = |value: f64| Summary::<f64> {
            count: 1,
            sum: value,
            min: Some(value),
            max: Some(value),
        };
        for (first, second) in [(f64::NAN, 5.0), (5.0, f64::NAN)] {
            let mut merged = of(first);
            merged.merge(of(second));
            assert!(merged.max.is_some_and(f64::is_nan), "{first} then {second}");
            assert_eq!(merged.min, Some(5.0), "{first} then {second}");
        }
        let mut zeros = of(0.0);
        zeros.merge(of(-0.0));
        assert!(zeros.min.is_some_and(f64::is_sign_negative));
        assert!(zeros.max.is_some_and(f64::is_sign_positive));
    }

    #[test]
    fn a_decimal_mean_is_exact_where_it_can_be() {
        let sum: BigDecimal = "10.50".parse().unwrap_or_default();
        let summary = Summary::<BigDecimal> {
            count: 2,
            sum,
            min: None,
            max: None,
        };
        assert_eq!(summary.mean(), "5.25".parse().ok());
    }

    #[test]
    fn a_bigint_sum_that_does_not_fit_an_i128_is_refused() {
        let huge = BigInt::from(i128::MAX) * 4;
        assert_eq!(<i64 as Summable>::sum_of(huge), None);
        assert_eq!(<i64 as Summable>::sum_of(BigInt::from(-3)), Some(-3));
    }
}

//! Reads of part of a partition: between bounds of its first clustering
//! column, or of its whole clustering key, in either direction.

use std::ops::Bound;

use scylla::serialize::value::SerializeValue;

use super::{Repository, Table};
use crate::paging::Rows;
use crate::rt::{BoundValues, Chain, MAX_RANGE_VALUES};

/// The values of a range read after its partition key.
pub type RangeValues<'v> = BoundValues<'v, MAX_RANGE_VALUES>;
use crate::{Result, SortOrder};

/// The shape bit of a slice (bounds on the whole clustering key), which
/// keeps slices apart from ranges in the statement cache.
const SLICE: u64 = 0x20;

/// A table with clustering columns: implemented by generated code.
pub trait Clustered: Table {
    /// The type of the first clustering column.
    type First: SerializeValue + Send + Sync;
    /// The clustering key (every clustering column).
    type Clustering: Send + Sync;

    /// Binds the clustering columns of `clustering`, in key order.
    fn bind_clustering<'v>(clustering: &'v Self::Clustering, values: &mut RangeValues<'v>);
}

impl<T: Clustered> Repository<'_, T> {
    /// The rows of the partition `partition` whose first clustering column
    /// lies between `from` and `to`, in the direction `order` of that
    /// column, at most `limit` of them (`None`: all), fetched a page at a
    /// time. Each shape of range (the kinds of both bounds and the
    /// direction) is prepared once.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize), or the
    /// first page's error; later failures are items of the stream.
    pub async fn partition_range(
        &self,
        partition: &T::Partition,
        from: Bound<T::First>,
        to: Bound<T::First>,
        order: SortOrder,
        limit: Option<i32>,
    ) -> Result<Rows<T>> {
        let limit = bound_limit(limit);
        let mut values = RangeValues::new();
        let shape = bind_first_bounds(from.as_ref(), to.as_ref(), &mut values);
        values.push(&limit);
        self.read_range(partition, shape, values, order).await
    }

    /// The rows of the partition `partition` whose clustering key lies
    /// between `from` and `to` (compared column by column, as CQL compares
    /// `(c1, c2) >= (?, ?)`), in the direction `order` of the first
    /// clustering column, at most `limit` of them (`None`: all), fetched a
    /// page at a time.
    ///
    /// # Errors
    /// As for [`partition_range`](Self::partition_range).
    pub async fn partition_slice(
        &self,
        partition: &T::Partition,
        from: Bound<&T::Clustering>,
        to: Bound<&T::Clustering>,
        order: SortOrder,
        limit: Option<i32>,
    ) -> Result<Rows<T>> {
        let limit = bound_limit(limit);
        let mut values = RangeValues::new();
        let mut shape = SLICE;
        for (bound, [included, excluded]) in [(from, [0x1, 0x2]), (to, [0x4, 0x8])] {
            match bound {
                Bound::Included(at) => {
                    shape |= included;
                    T::bind_clustering(at, &mut values);
                }
                Bound::Excluded(at) => {
                    shape |= excluded;
                    T::bind_clustering(at, &mut values);
                }
                Bound::Unbounded => {}
            }
        }
        values.push(&limit);
        self.read_range(partition, shape, values, order).await
    }

    /// One page of [`partition_range`](Self::partition_range) without a
    /// limit: at most `page_size` rows of the partition whose first
    /// clustering column lies between `from` and `to`, in `order`, from
    /// where `token` (the `next` of an earlier page of the same read) says.
    ///
    /// # Errors
    /// As [`paging::page`](crate::paging::page).
    pub async fn partition_range_page(
        &self,
        partition: &T::Partition,
        from: Bound<&T::First>,
        to: Bound<&T::First>,
        order: SortOrder,
        page_size: i32,
        token: Option<&crate::PagingToken>,
    ) -> Result<crate::Page<T>> {
        let limit = bound_limit(None);
        let mut values = RangeValues::new();
        let mut shape = bind_first_bounds(from, to, &mut values);
        if order == SortOrder::Desc {
            shape |= 0x10;
        }
        values.push(&limit);
        let statements = self.statements();
        let statement = statements
            .range
            .get(shape, || range_text(statements, shape, order));
        self.traced("partition_range", async {
            let prepared = statement.prepared(self.session()).await?;
            let values = Chain {
                before: &[],
                row: partition,
                after: values.bound(),
            };
            crate::paging::page(
                self.session(),
                &self.options().apply(prepared),
                values,
                Some(page_size),
                token.map(crate::PagingToken::as_bytes),
            )
            .await
        })
        .await
    }

    /// The rows of a partition between the bounds bound in `values` (then
    /// the limit), whose kinds are the bits of `shape`.
    async fn read_range(
        &self,
        partition: &T::Partition,
        mut shape: u64,
        values: RangeValues<'_>,
        order: SortOrder,
    ) -> Result<Rows<T>> {
        if order == SortOrder::Desc {
            shape |= 0x10;
        }
        let statements = self.statements();
        let statement = statements
            .range
            .get(shape, || range_text(statements, shape, order));
        let prepared = statement.prepared(self.session()).await?;
        let values = Chain {
            before: &[],
            row: partition,
            after: values.bound(),
        };
        self.stream(prepared, values).await
    }
}

/// Binds the bounds on the first clustering column that are set, `from`
/// then `to`; the shape bits of their kinds.
fn bind_first_bounds<'v, F: SerializeValue + Sync>(
    from: Bound<&'v F>,
    to: Bound<&'v F>,
    values: &mut RangeValues<'v>,
) -> u64 {
    let mut shape = 0;
    for (bound, [included, excluded]) in [(from, [0x1, 0x2]), (to, [0x4, 0x8])] {
        match bound {
            Bound::Included(value) => {
                shape |= included;
                values.push(value);
            }
            Bound::Excluded(value) => {
                shape |= excluded;
                values.push(value);
            }
            Bound::Unbounded => {}
        }
    }
    shape
}

/// The value of the `LIMIT ?` marker: unset (no limit) for `None`.
fn bound_limit(limit: Option<i32>) -> crate::MaybeUnset<i32> {
    limit.map_or(crate::MaybeUnset::Unset, crate::MaybeUnset::Set)
}

/// The text of a range read of `shape`: `SELECT … WHERE <partition> AND
/// <bounds> ORDER BY <first clustering column> <order> LIMIT ?`.
fn range_text(statements: &super::TableStatements, shape: u64, order: SortOrder) -> String {
    let spec = statements.spec();
    let (columns, markers) = if shape & SLICE == 0 {
        let first = spec.clustering.first().copied().unwrap_or_default();
        (first.to_owned(), "?".to_owned())
    } else {
        (
            format!("({})", spec.clustering.join(", ")),
            format!("({})", vec!["?"; spec.clustering.len()].join(", ")),
        )
    };
    let mut text = format!(
        "SELECT {} FROM {} WHERE {}",
        spec.columns,
        statements.table(),
        spec.partition
    );
    for (bit, operator) in [(0x1, ">="), (0x2, ">"), (0x4, "<="), (0x8, "<")] {
        if shape & bit != 0 {
            text.push_str(&format!(" AND {columns} {operator} {markers}"));
        }
    }
    let first = spec.clustering.first().copied().unwrap_or_default();
    text.push_str(&format!(" ORDER BY {first} {} LIMIT ?", order.as_cql()));
    text
}

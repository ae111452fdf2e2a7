//! Helpers for the statements of generated repositories: the keyspace in
//! their text, and the `USING TTL ? AND TIMESTAMP ?` markers after a row.

use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::value::MaybeUnset;

use crate::Options;

/// `name` as a quoted CQL identifier: in double quotes, with `"` doubled.
///
/// Generated repositories quote the keyspace chosen at run time with it, so
/// the name is taken as stored (case-sensitive: `Shop` is not `shop`).
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A row followed by the values of `USING TTL ? AND TIMESTAMP ?`, as a
/// generated `insert_with` binds them: the row's markers first, then the
/// time to live and the write time of the [`Options`] (unset when not
/// given: no TTL, the coordinator's time).
#[derive(Debug)]
pub struct WithTtlAndTimestamp<'a, R> {
    row: &'a R,
    ttl: MaybeUnset<i32>,
    timestamp: MaybeUnset<i64>,
}

/// `row` then the TTL and timestamp of `options`; see [`WithTtlAndTimestamp`].
pub fn with_ttl_and_timestamp<'a, R: SerializeRow + Sync>(
    row: &'a R,
    options: &Options,
) -> WithTtlAndTimestamp<'a, R> {
    WithTtlAndTimestamp {
        row,
        ttl: options.bound_ttl(),
        timestamp: options.bound_timestamp(),
    }
}

impl<R: SerializeRow + Sync> SerializeRow for WithTtlAndTimestamp<'_, R> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
        super::Chain {
            before: &[],
            row: self.row,
            after: &[&self.ttl, &self.timestamp],
        }
        .serialize(ctx, writer)
    }

    fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quotes() {
        assert_eq!(quoted("shop"), "\"shop\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}

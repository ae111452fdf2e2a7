//! W1108: a time series whose bucket holds too much of one series.
//!
//! One series' points of one bucket are one partition. Cassandra warns
//! about partitions over 100 MB (compaction, repair and streaming handle a
//! partition whole, and reads of it slow down long before that), so a
//! time series that states its write rate (`rate 10 per 1s`) is checked:
//! the points of a bucket at that rate, at an estimated size per point,
//! should stay under about 100 MB. The estimate counts each value's
//! encoded size, a few bytes of cell and row overhead, and an assumed
//! [`VARIABLE_BYTES`] for each text or blob value and [`COLLECTION_BYTES`]
//! for each collection or user-defined type; the warning prints it.

use super::context::{Annotate, Context};
use super::retention::duration_text;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir::{self, Scalar, Type};

/// The partition size Cassandra warns about, in bytes.
pub const MAX_PARTITION_BYTES: f64 = 100.0 * 1024.0 * 1024.0;

/// The size assumed for a text or blob value.
pub const VARIABLE_BYTES: u64 = 32;

/// The size assumed for a collection or user-defined type value.
pub const COLLECTION_BYTES: u64 = 64;

/// Bytes of each row besides its cells: row header, the `ts` clustering
/// value and its length.
const ROW_BYTES: u64 = 16;

/// Bytes of each cell besides its value: flags, timestamp delta, length.
const CELL_BYTES: u64 = 4;

/// Warns about `series` (declared as `decl`) when its stated rate fills
/// a bucket's partition past [`MAX_PARTITION_BYTES`].
pub(super) fn check(series: &ir::TimeSeries, decl: &ast::TimeSeries, ctx: &mut Context) {
    let (Some(rate), Some(clause)) = (series.points_per_second, decl.rate.as_ref()) else {
        return;
    };
    let point = point_bytes(series);
    #[allow(clippy::cast_precision_loss)]
    let bytes_at = |bucket_seconds: u64| rate * bucket_seconds as f64 * point as f64;
    let bytes = bytes_at(series.bucket_seconds);
    if bytes <= MAX_PARTITION_BYTES {
        return;
    }
    #[allow(clippy::cast_precision_loss)]
    let points = rate * series.bucket_seconds as f64;
    let narrower = WIDTHS
        .into_iter()
        .rev()
        .find(|width| bytes_at(*width) <= MAX_PARTITION_BYTES);
    ctx.warning(
        Code::WideBucket,
        format!(
            "at its `rate`, one series of `{}` gets about {} points a bucket, about {} MB in one partition (more than about 100 MB)",
            series.name,
            round(points),
            round(bytes / 1024.0 / 1024.0),
        ),
        clause.span,
        format!("{} a bucket of {}", round(points), duration_text(series.bucket_seconds)),
    )
    .help(match narrower {
        Some(width) => format!(
            "narrow the bucket: `bucket {}` keeps a partition near {} MB at this rate",
            duration_text(width),
            round(bytes_at(width) / 1024.0 / 1024.0),
        ),
        None => format!(
            "even `bucket 1s` holds about {} MB at this rate: split the series (another series field) or store fewer values a point",
            round(bytes_at(1) / 1024.0 / 1024.0),
        ),
    })
    .note(format!(
        "the estimate is {point} bytes a point: each value's encoded size, {CELL_BYTES} bytes a cell and {ROW_BYTES} a row, {VARIABLE_BYTES} bytes for each text or blob and {COLLECTION_BYTES} for each collection or UDT"
    ));
}

/// Usual bucket widths, in seconds.
const WIDTHS: [u64; 16] = [
    1, 5, 10, 30, 60, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 604_800,
];

/// The estimated stored size of one point: its value cells (the series
/// fields and `bucket` are the partition key, stored once).
fn point_bytes(series: &ir::TimeSeries) -> u64 {
    ROW_BYTES
        + series
            .fields
            .iter()
            .map(|field| CELL_BYTES + value_bytes(&field.ty))
            .sum::<u64>()
}

/// The encoded size of a value of `ty` (assumed for variable sizes).
fn value_bytes(ty: &Type) -> u64 {
    match ty {
        Type::Scalar(scalar) => match scalar {
            Scalar::Boolean | Scalar::Tinyint => 1,
            Scalar::Smallint => 2,
            Scalar::Int | Scalar::Float | Scalar::Date => 4,
            Scalar::Bigint
            | Scalar::Counter
            | Scalar::Double
            | Scalar::Time
            | Scalar::Timestamp
            | Scalar::Varint => 8,
            Scalar::Decimal | Scalar::Duration => 12,
            Scalar::Uuid | Scalar::Timeuuid | Scalar::Inet => 16,
            Scalar::Ascii | Scalar::Text | Scalar::Varchar | Scalar::Blob => VARIABLE_BYTES,
        },
        Type::Enum(_) => VARIABLE_BYTES,
        Type::Frozen(inner) => value_bytes(inner),
        Type::Tuple(items) => items.iter().map(value_bytes).sum(),
        Type::Vector(dimensions) => 4 * u64::from(*dimensions),
        Type::List(_) | Type::Set(_) | Type::Map(..) | Type::Udt(_) => COLLECTION_BYTES,
    }
}

/// `x` rounded to a whole number, with thousands separated.
fn round(x: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = x.round().max(0.0) as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::round;

    #[test]
    fn rounded_numbers_have_thousands_separated() {
        assert_eq!(round(864_000.4), "864,000");
        assert_eq!(round(52.6), "53");
        assert_eq!(round(1_234_567.0), "1,234,567");
    }
}

//! The running totals of a client-side aggregate: for each selected item,
//! the fields its totals keep and how `new` seeds them, `add` adds a row's
//! value and `finish` makes the result field, as data. The Rust is written
//! by the template `rust/running_totals.rs`.

use super::{GroupView, ItemView, Kind, ReadColumn, column_param};
use crate::codegen::CodegenError;
use crate::codegen::view::rust_type::rust_type;
use crate::ir::{self, AggregateFunction, Scalar, Type};

/// One selected item's running total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningTotal {
    /// What it computes.
    pub op: TotalOp,
    /// The result row's field.
    pub field: String,
    /// The totals' field (an `avg`'s sum).
    pub total: String,
    /// An `avg`'s count field (empty for the others).
    pub count: String,
    /// The column's local in `add` (empty for `count(*)`).
    pub local: String,
    /// Whether the column is optional: `add` takes an `Option` and counts
    /// only values.
    pub optional: bool,
    /// How a `sum` or `avg` adds a value.
    pub summand: Summand,
    /// A `sum` or `avg`: the result's integer type (converted from `i128`),
    /// or the exact type an `avg` divides in.
    pub target: String,
    /// An integer `sum` or `avg`: the message, as a Rust literal, when the
    /// total does not fit `target`.
    pub overflow: String,
    /// A `min` or `max`: how two values compare.
    pub compare: Compare,
    /// A `min` or `max`: how `add` keeps a value it borrows.
    pub owned: Owned,
    /// A `min` or `max` whose result is not an `Option` (with `group by`,
    /// over a required column): seeded by `new` with the group's first
    /// value.
    pub seeded: bool,
    /// A seeded `min` or `max`: how the kept value is compared.
    pub kept: Kept,
    /// An unseeded `min` or `max`: how the kept `Option` is borrowed
    /// (`as_deref` for text and blobs, else `as_ref`).
    pub borrow: &'static str,
    /// An unseeded `min` or `max`: the name the kept value is compared
    /// under (not the column's local).
    pub current: String,
}

/// What a running total computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalOp {
    /// `count(*)`: every row.
    CountRows,
    /// `count(column)` of an optional column: the values.
    CountValues,
    /// `sum(column)`.
    Sum,
    /// `avg(column)`: a sum and a count.
    Avg,
    /// `min(column)`.
    Min,
    /// `max(column)`.
    Max,
}

/// How a `sum` or `avg` adds one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summand {
    /// An integer, in `i128`.
    Integer,
    /// A counter (`corm::Counter`), in `i128`.
    Counter,
    /// An `f32`, in `f64`; the result is `f32`.
    NarrowFloat,
    /// An `f64`.
    Float,
    /// A `decimal` or `varint`, exactly, by reference.
    Exact,
}

/// How a `min` or `max` compares two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// With `<` or `>`.
    Plain,
    /// By their stored text (`as_str`), for enums.
    Text,
    /// With `total_cmp`, for floats.
    Float,
}

/// How a `min` or `max` keeps the value `add` borrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owned {
    /// Copied (`*value`).
    Copy,
    /// `to_owned` (text and blobs).
    ToOwned,
    /// Cloned.
    Clone,
}

/// How a seeded `min` or `max` names the value it keeps when comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// `self.total.as_str()`.
    Str,
    /// `self.total.as_slice()`.
    Slice,
    /// `self.total`.
    Value,
    /// `&self.total`.
    Borrowed,
}

/// The running totals of a client-side aggregate as its items add them:
/// the fields of the totals type, one running total per item, and the
/// locals `new` reads.
#[derive(Default)]
pub(super) struct RunningTotals {
    pub(super) fields: Vec<ItemView>,
    pub(super) totals: Vec<RunningTotal>,
    /// `(local, &T)`: the locals `new` takes.
    pub(super) seeds: Vec<(String, String)>,
    /// Whether `finish` can fail (an integer sum that does not fit).
    pub(super) fallible: bool,
}

/// One selected item of a client-side aggregate, with the column its read
/// selects for it.
pub(super) struct Selected<'a> {
    pub(super) item: &'a ir::AggregateItem,
    /// Its field in the result row.
    pub(super) field: &'a GroupView,
    /// The column the read selects for it (`None` for `count(*)`).
    pub(super) column: Option<&'a ReadColumn>,
    /// The model field it reads, with its Rust type.
    pub(super) source: Option<&'a (&'a ir::Field, String)>,
    /// The call as written, for messages.
    pub(super) call: &'a str,
    /// The aggregate, for errors.
    pub(super) what: &'a str,
}

impl Selected<'_> {
    /// The error for what the generator can't do for this item.
    fn unsupported(&self, reason: String) -> CodegenError {
        CodegenError::Unsupported {
            what: self.what.to_owned(),
            reason,
        }
    }

    /// The column the read selects for an item that needs one, and the
    /// model field it reads.
    fn column_and_source(&self) -> Result<(&ReadColumn, &ir::Field), CodegenError> {
        match (self.column, self.source) {
            (Some(column), Some((source, _))) => Ok((column, source)),
            _ => Err(self.unsupported(format!("`{}` has no column", self.call))),
        }
    }

    /// A running total of this item that `count`, `sum` and `avg` fill in.
    fn total(&self, op: TotalOp) -> RunningTotal {
        RunningTotal {
            op,
            field: self.field.ident.clone(),
            total: self.field.ident.clone(),
            count: String::new(),
            local: self
                .column
                .map(|column| column.local.clone())
                .unwrap_or_default(),
            optional: self.column.is_some_and(|column| column.optional),
            summand: Summand::Integer,
            target: String::new(),
            overflow: String::new(),
            compare: Compare::Plain,
            owned: Owned::Copy,
            seeded: false,
            kept: Kept::Borrowed,
            borrow: "as_ref",
            current: String::new(),
        }
    }
}

/// How numbers add up.
enum Number {
    /// Added in `i128`, then converted to the result type (its name).
    Integer(&'static str),
    /// Added in `f64`; the result is `f32` when `narrow`.
    Float { narrow: bool },
    /// `decimal` or `varint`: added exactly in the column's own type (its
    /// path).
    Exact(&'static str),
}

fn number(ty: &Type) -> Option<Number> {
    match ty.unfrozen() {
        Type::Scalar(scalar) => match scalar {
            Scalar::Tinyint => Some(Number::Integer("i8")),
            Scalar::Smallint => Some(Number::Integer("i16")),
            Scalar::Int => Some(Number::Integer("i32")),
            Scalar::Bigint | Scalar::Counter => Some(Number::Integer("i64")),
            Scalar::Float => Some(Number::Float { narrow: true }),
            Scalar::Double => Some(Number::Float { narrow: false }),
            Scalar::Decimal => Some(Number::Exact("corm::BigDecimal")),
            Scalar::Varint => Some(Number::Exact("corm::BigInt")),
            _ => None,
        },
        _ => None,
    }
}

/// Adds the running total of one selected item to `totals`.
pub(super) fn running_total(
    totals: &mut RunningTotals,
    selected: &Selected<'_>,
) -> Result<(), CodegenError> {
    match selected.item.function {
        AggregateFunction::Count => {
            count_total(totals, selected);
            Ok(())
        }
        AggregateFunction::Sum | AggregateFunction::Avg => sum_or_avg_total(totals, selected),
        AggregateFunction::Min | AggregateFunction::Max => min_or_max_total(totals, selected),
    }
}

/// `count`: a 64-bit count of the rows (or of the non-null values).
fn count_total(totals: &mut RunningTotals, selected: &Selected<'_>) {
    totals.fields.push(ItemView {
        ident: selected.field.ident.clone(),
        ty: "i64".to_owned(),
    });
    totals.totals.push(selected.total(match selected.column {
        Some(_) => TotalOp::CountValues,
        None => TotalOp::CountRows,
    }));
}

/// `sum` and `avg`: added in `i128`, `f64` or exactly, then converted.
fn sum_or_avg_total(
    totals: &mut RunningTotals,
    selected: &Selected<'_>,
) -> Result<(), CodegenError> {
    let Selected {
        item, field, call, ..
    } = *selected;
    let (column, source) = selected.column_and_source()?;
    let Some(kind) = number(&source.ty) else {
        return Err(selected.unsupported(format!(
            "`{call}` runs in the client, which adds up only numbers, not `{}`",
            source.ty
        )));
    };
    let summand = match (&kind, column.counter) {
        (Number::Integer(_), true) => Summand::Counter,
        (Number::Integer(_), false) => Summand::Integer,
        (Number::Float { narrow: true }, _) => Summand::NarrowFloat,
        (Number::Float { narrow: false }, _) => Summand::Float,
        (Number::Exact(_), _) => Summand::Exact,
    };
    let (sum_ty, target) = match kind {
        Number::Integer(target) => {
            totals.fallible = true;
            ("i128", target)
        }
        Number::Float { .. } => ("f64", ""),
        Number::Exact(path) => (path, path),
    };
    let sum = if item.function == AggregateFunction::Sum {
        field.ident.clone()
    } else {
        format!("{}_sum", crate::codegen::view::ident::bare(&field.ident))
    };
    totals.fields.push(ItemView {
        ident: sum.clone(),
        ty: sum_ty.to_owned(),
    });
    let mut total = RunningTotal {
        total: sum,
        summand,
        target: target.to_owned(),
        overflow: format!("{:?}", format!("{call} does not fit `{}`", source.ty)),
        ..selected.total(TotalOp::Sum)
    };
    if item.function == AggregateFunction::Avg {
        let count = format!("{}_count", crate::codegen::view::ident::bare(&field.ident));
        totals.fields.push(ItemView {
            ident: count.clone(),
            ty: "i64".to_owned(),
        });
        total.op = TotalOp::Avg;
        total.count = count;
    }
    totals.totals.push(total);
    Ok(())
}

/// `min` and `max`: the least or greatest value so far, compared as the
/// column's kind orders it.
fn min_or_max_total(
    totals: &mut RunningTotals,
    selected: &Selected<'_>,
) -> Result<(), CodegenError> {
    let Selected {
        item, field, call, ..
    } = *selected;
    let (column, source) = selected.column_and_source()?;
    let compare = match column.kind {
        Kind::Copy | Kind::Text | Kind::Blob | Kind::Exact => Compare::Plain,
        Kind::Enum | Kind::OpenEnum => Compare::Text,
        Kind::Float => Compare::Float,
        Kind::Other => {
            return Err(selected.unsupported(format!(
                "`{call}` runs in the client, which can't order values of `{}`",
                source.ty
            )));
        }
    };
    // `add` and `new` take `&str`, `&[u8]` or `&T` (see `column_param`).
    let owned = match column.kind {
        Kind::Copy | Kind::Enum | Kind::Float => Owned::Copy,
        Kind::Text | Kind::Blob => Owned::ToOwned,
        Kind::Other | Kind::OpenEnum | Kind::Exact => Owned::Clone,
    };
    let path = rust_type(&item.ty, selected.what)?.path;
    let op = if item.function == AggregateFunction::Min {
        TotalOp::Min
    } else {
        TotalOp::Max
    };
    let mut total = RunningTotal {
        compare,
        owned,
        ..selected.total(op)
    };
    if field.ty.starts_with("Option<") {
        totals.fields.push(ItemView {
            ident: field.ident.clone(),
            ty: format!("Option<{path}>"),
        });
        total.current = if column.local == "current" {
            "kept"
        } else {
            "current"
        }
        .to_owned();
        total.borrow = match column.kind {
            Kind::Text | Kind::Blob => "as_deref",
            Kind::Copy | Kind::Enum | Kind::OpenEnum | Kind::Float | Kind::Exact | Kind::Other => {
                "as_ref"
            }
        };
    } else {
        totals.fields.push(ItemView {
            ident: field.ident.clone(),
            ty: path,
        });
        if !totals.seeds.iter().any(|(local, _)| *local == column.local) {
            totals
                .seeds
                .push((column.local.clone(), column_param(column, false).0));
        }
        total.seeded = true;
        total.kept = match column.kind {
            Kind::Text => Kept::Str,
            Kind::Blob => Kept::Slice,
            Kind::Enum => Kept::Value,
            Kind::Copy | Kind::Float | Kind::Other | Kind::OpenEnum | Kind::Exact => Kept::Borrowed,
        };
    }
    totals.totals.push(total);
    Ok(())
}

//! `timeseries` items: series identity, bucket width, reserved columns.

use heck::ToSnakeCase;

use super::context::{Annotate, Context};
use super::durations::{ttl_seconds, whole_seconds};
use super::fields::{Owner, resolve_fields};
use super::models::key_field_allowed;
use super::names::Symbols;
use super::types::Place;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// The columns every time series table has.
pub(super) const RESERVED: [&str; 2] = ["bucket", "ts"];

/// The fields of a rollup row beside the summaries of numeric value fields.
const ROLLUP_FIELDS: [&str; 2] = ["start", "points"];

/// Checks one time series.
pub(super) fn check_time_series(
    decl: &ast::TimeSeries,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::TimeSeries> {
    let owner = Owner::Other("a time series");
    let Some(series_clause) = &decl.series else {
        ctx.error(
            Code::MissingClause,
            format!("time series `{}` has no `series`", decl.name.name),
            decl.name.span,
            "no series identity",
        )
        .help("add e.g. `series host: text, name: text`");
        return None;
    };
    let Some(bucket) = &decl.bucket else {
        ctx.error(
            Code::MissingClause,
            format!("time series `{}` has no `bucket`", decl.name.name),
            decl.name.span,
            "no partition width",
        )
        .help("add e.g. `bucket 1h`: one partition per series per hour");
        return None;
    };
    let all: Vec<ast::Field> = series_clause
        .fields
        .iter()
        .chain(&decl.fields)
        .cloned()
        .collect();
    for field in &all {
        if RESERVED.contains(&field.name.name.to_snake_case().as_str()) {
            ctx.error(
                Code::ReservedName,
                format!("`{}` is a generated column of every time series", field.name.name),
                field.name.span,
                "reserved",
            )
            .help("`bucket` is the start of the partition's bucket and `ts` the point's time; rename this field");
        }
    }
    let resolved = resolve_fields(&all, owner, Place::Column, symbols, ctx);
    let series_count = series_clause.fields.len();
    let (series, fields): (Vec<ir::Field>, Vec<ir::Field>) = resolved
        .into_iter()
        .filter(|field| !RESERVED.contains(&field.name.to_snake_case().as_str()))
        .partition(|field| {
            series_clause
                .fields
                .iter()
                .any(|s| s.name.name == field.name)
        });
    let mut ok = series.len() == series_count;
    for field in &series {
        ok &= key_field_allowed(field, "series field", field.span, ctx);
    }
    ok &= tenant_leads(decl, &series, &fields, ctx);
    for field in &fields {
        if ROLLUP_FIELDS.contains(&field.name.to_snake_case().as_str())
            && matches!(field.ty.unfrozen(), ir::Type::Scalar(scalar) if scalar.is_numeric())
        {
            ctx.error(
                Code::ReservedName,
                format!(
                    "`{}` is a field of every rollup row, so a numeric value field can't take the name",
                    field.name
                ),
                field.span,
                "reserved in rollups",
            )
            .help("a rollup row has `start` (the interval), `points` (how many) and a summary per numeric value field: rename this field");
            ok = false;
        }
        if field.ty.is_counter() {
            ctx.error(
                Code::InvalidCounter,
                "time series values can't be counters",
                field.span,
                "counter",
            )
            .help("use `bigint` and the generated roll-ups (`sum`, `count`)");
            ok = false;
        }
    }
    let bucket_seconds = whole_seconds(&bucket.width, "a `bucket`", ctx);
    let ttl = match &decl.ttl {
        Some(ttl) => Some(ttl_seconds(ttl, ctx)?),
        None => None,
    };
    if !ok {
        return None;
    }
    Some(ir::TimeSeries {
        name: decl.name.name.clone(),
        doc: decl.doc.as_ref().map(|doc| doc.text.clone()),
        table: decl.name.name.to_snake_case(),
        series,
        bucket_seconds: bucket_seconds?,
        ttl_seconds: ttl,
        points_per_second: decl
            .rate
            .as_ref()
            .and_then(|rate| points_per_second(rate, ctx)),
        fields,
        span: decl.span,
    })
}

/// The points per second a `rate` states; `None` (with an error) for a
/// rate of nothing or over no time.
fn points_per_second(rate: &ast::RateClause, ctx: &mut Context) -> Option<f64> {
    // A duration too long for milliseconds was reported by the parser.
    let millis = rate.per.as_millis()?;
    if rate.points.value == 0 || millis == 0 {
        ctx.error(
            Code::InvalidValue,
            "a `rate` states at least one point over a positive duration",
            rate.span,
            "no rate",
        )
        .help("write e.g. `rate 10 per 1s` or `rate 1 per 5m`");
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    Some(rate.points.value as f64 * 1_000.0 / millis as f64)
}

/// A tenant id (`@tenant`) of a time series is its first series field,
/// so that every partition belongs to one tenant, and has a type a tenant
/// id may have; whether that holds (each breach reported).
fn tenant_leads(
    decl: &ast::TimeSeries,
    series: &[ir::Field],
    values: &[ir::Field],
    ctx: &mut Context,
) -> bool {
    let mut ok = true;
    let misplaced = series
        .iter()
        .skip(1)
        .chain(values)
        .filter(|field| field.tenant);
    for field in misplaced {
        ctx.error(
            Code::InvalidKey,
            format!(
                "the tenant id `{}` of time series `{}` must be its first series field",
                field.name, decl.name.name
            ),
            field.span,
            "not the first series field",
        )
        .help(format!(
            "write `series {}: …, …` first: every partition then belongs to one tenant",
            field.name
        ));
        ok = false;
    }
    if let Some(tenant) = series.first().filter(|field| field.tenant) {
        ok &= super::models::tenant_type_allowed(tenant, ctx);
    }
    ok
}

//! The view of a time series' file: its point type (the series fields,
//! `ts`, the value fields), its series-key type, the `corm::timeseries`
//! spec of its table, and its `Db` accessor.

use heck::ToSnakeCase;

use super::doc::doc_lines;
use super::ident::{bare, field_ident, type_ident};
use super::items::{FieldView, field_view};
use super::rust_type::rust_type;
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir::{self, Scalar};

/// The summary of one numeric value field in a rollup row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryView {
    /// The rollup row's field (the value field's name).
    pub ident: String,
    /// The value field's Rust type, without `Option`.
    pub ty: String,
    /// The value field's name as written, for the doc line.
    pub name: String,
}

/// One time series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesView {
    /// Doc lines of the point type.
    pub doc: Vec<String>,
    /// The point type (the series' name).
    pub ident: String,
    /// The series-key type (`{ident}Series`).
    pub series_ident: String,
    /// The `Db` method and the module (the name in snake_case).
    pub accessor: String,
    /// The series fields, then `ts`, then the value fields.
    pub fields: Vec<FieldView>,
    /// How many of `fields` are series fields.
    pub series_len: usize,
    /// The `SeriesSpec` fields, as Rust literals.
    pub table: String,
    /// Every column, in order, as a Rust string literal.
    pub columns: String,
    /// A marker per column, as a Rust string literal.
    pub markers: String,
    /// The series condition, as a Rust string literal.
    pub series_condition: String,
    /// The bucket width in milliseconds.
    pub bucket_ms: String,
    /// The rollup row type (`{ident}Rollup`).
    pub rollup_ident: String,
    /// A summary per numeric value field.
    pub summaries: Vec<SummaryView>,
    /// The rollup's selectors after `start` and `points`, as a Rust
    /// string literal.
    pub rollup_selectors: String,
    /// The schema's name, as a Rust string literal (for errors).
    pub name: String,
    /// For a series whose first series field is a tenant id: the types a
    /// tenant's handle takes and gives.
    pub tenant: Option<SeriesTenantView>,
}

/// A time series with a tenant id: its point and series types without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesTenantView {
    /// The tenant id field.
    pub field: FieldView,
    /// The point type without it (`PageLoadInTenant`).
    pub row: String,
    /// Its fields: every field of the point but the tenant id.
    pub fields: Vec<FieldView>,
    /// The series type without it (`PageLoadScopedSeries`).
    pub series: String,
    /// Its fields.
    pub series_fields: Vec<FieldView>,
}

impl SeriesView {
    /// The series fields.
    #[must_use]
    pub fn series_fields(&self) -> &[FieldView] {
        &self.fields[..self.series_len]
    }
}

/// The view of `series`.
///
/// # Errors
/// [`CodegenError::Unsupported`] for a field type with no Rust mapping.
pub fn series_view(series: &ir::TimeSeries) -> Result<SeriesView, CodegenError> {
    let ident = type_ident(&series.name);
    let mut fields = Vec::new();
    for field in &series.series {
        fields.push(field_view(&series.name, field)?);
    }
    fields.push(FieldView {
        doc: doc_lines(
            Some("The point's time (UTC; Cassandra keeps milliseconds)."),
            "",
        ),
        ident: "ts".to_owned(),
        local: "field_ts".to_owned(),
        cql_name: "\"ts\"".to_owned(),
        ty: "corm::chrono::DateTime<corm::chrono::Utc>".to_owned(),
        optional: false,
        init: None,
    });
    for field in &series.fields {
        fields.push(field_view(&series.name, field)?);
    }
    let columns: Vec<String> = series
        .series
        .iter()
        .map(|f| quote(&f.cql_name).into_owned())
        .chain(["ts".to_owned()])
        .chain(
            series
                .fields
                .iter()
                .map(|f| quote(&f.cql_name).into_owned()),
        )
        .collect();
    let condition: Vec<String> = series
        .series
        .iter()
        .map(|f| format!("{} = ?", quote(&f.cql_name)))
        .collect();
    let bucket_ms = series.bucket_seconds.saturating_mul(1000);
    let mut summaries = Vec::new();
    let mut selectors = Vec::new();
    for field in &series.fields {
        let Some(sum_as) = sum_type(&field.ty) else {
            continue;
        };
        let column = quote(&field.cql_name);
        selectors.push(format!(
            "count({column}), sum(cast({column} AS {sum_as})), min({column}), max({column})"
        ));
        summaries.push(SummaryView {
            ident: field_ident(&field.name),
            ty: rust_type(&field.ty, &field.name)?.path,
            name: field.name.clone(),
        });
    }
    let tenant = series
        .series
        .first()
        .filter(|first| first.tenant)
        .and_then(|_| fields.first())
        .map(|tenant| SeriesTenantView {
            field: tenant.clone(),
            row: format!("{}InTenant", bare(&ident)),
            fields: fields[1..].to_vec(),
            series: format!("{}ScopedSeries", bare(&ident)),
            series_fields: fields[1..series.series.len()].to_vec(),
        });
    Ok(SeriesView {
        tenant,
        doc: doc_lines(
            series.doc.as_deref(),
            &format!("A point of the time series `{}`.", series.name),
        ),
        series_ident: format!("{}Series", bare(&ident)),
        accessor: field_ident(&series.name.to_snake_case()),
        series_len: series.series.len(),
        table: format!("{:?}", quote(&series.table)),
        markers: format!("{:?}", vec!["?"; columns.len()].join(", ")),
        columns: format!("{:?}", columns.join(", ")),
        series_condition: format!("{:?}", condition.join(" AND ")),
        bucket_ms: format!("{bucket_ms}"),
        rollup_ident: format!("{}Rollup", bare(&ident)),
        summaries,
        rollup_selectors: format!("{:?}", selectors.join(", ")),
        name: format!("{:?}", series.name),
        ident,
        fields,
    })
}

/// The CQL type a numeric value field is summed as (wider than the field,
/// as the runtime's `Summable` reads it); `None` for a type a rollup does
/// not summarise.
fn sum_type(ty: &ir::Type) -> Option<&'static str> {
    match ty.unfrozen() {
        ir::Type::Scalar(scalar) => match scalar {
            Scalar::Tinyint | Scalar::Smallint | Scalar::Int => Some("bigint"),
            Scalar::Bigint | Scalar::Varint => Some("varint"),
            Scalar::Float | Scalar::Double => Some("double"),
            Scalar::Decimal => Some("decimal"),
            _ => None,
        },
        _ => None,
    }
}

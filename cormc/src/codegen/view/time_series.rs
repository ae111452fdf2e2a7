//! The view of a time series' file: its point type (the series fields,
//! `ts`, the value fields), its series-key type, the `corm::timeseries`
//! spec of its table, and its `Db` accessor.

use heck::ToSnakeCase;

use super::doc::doc_lines;
use super::ident::{bare, field_ident, type_ident};
use super::items::{FieldView, field_view};
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir;

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
    /// The schema's name, as a Rust string literal (for errors).
    pub name: String,
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
    Ok(SeriesView {
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
        name: format!("{:?}", series.name),
        ident,
        fields,
    })
}

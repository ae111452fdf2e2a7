{% import "rust/row_codecs.rs" as rows %}
//! {{ series.ident }}: the point and series types of time series table
//! {{ series.table }}, and how they bind.
{% for path in uses %}
use {{ path }};
{% endfor %}
{% if has_types %}
use super::types::*;
{% endif %}

{% for line in series.doc %}
///{{ line }}
{% endfor %}
///
/// Two points of one series at the same `ts` are one point: the second
/// write replaces the first.
#[derive(Debug, Clone, PartialEq)]
pub struct {{ series.ident }} {
{% for field in series.fields %}
{% for line in field.doc %}
    ///{{ line }}
{% endfor %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

impl {{ series.ident }} {
    /// The series this point belongs to (its series fields, cloned).
    #[must_use]
    pub fn series(&self) -> {{ series.series_ident }} {
        {{ series.series_ident }} {
{% for field in series.series_fields() %}
            {{ field.ident }}: Clone::clone(&self.{{ field.ident }}),
{% endfor %}
        }
    }
}

/// Binds every column, in order, to a write of the point.
{% call rows::serialize_row(series.ident, series.fields) %}{% endcall %}

/// Reads every column, in order.
{% call rows::deserialize_row(series.ident, series.fields) %}{% endcall %}

/// A series of [`{{ series.ident }}`]: its series fields, which pick the
/// partitions (with the bucket of each point's time).
#[derive(Debug, Clone, PartialEq)]
pub struct {{ series.series_ident }} {
{% for field in series.series_fields() %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

/// Binds the series fields, in order.
{% call rows::serialize_row(series.series_ident, series.series_fields()) %}{% endcall %}

impl corm::timeseries::Point for {{ series.ident }} {
    type Series = {{ series.series_ident }};

    const SPEC: corm::timeseries::SeriesSpec = corm::timeseries::SeriesSpec {
        name: {{ series.name }},
        table: {{ series.table }},
        columns: {{ series.columns }},
        markers: {{ series.markers }},
        series: {{ series.series_condition }},
        bucket_ms: {{ series.bucket_ms }},
    };

    fn ts(&self) -> corm::chrono::DateTime<corm::chrono::Utc> {
        self.ts
    }
}

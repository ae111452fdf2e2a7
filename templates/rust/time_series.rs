{% import "rust/scoped.rs" as tenant_handles %}
//! {{ series.ident }}: the point, series and rollup types of time series
//! table {{ series.table }}, and how they bind and read.
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
#[derive(Debug, Clone, PartialEq, rt::SerializeRow, rt::DeserializeRow)]
#[corm(columns = <{{ series.ident }} as corm::timeseries::Point>::SPEC.columns)]
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

/// A series of [`{{ series.ident }}`]: its series fields, which pick the
/// partitions (with the bucket of each point's time).
#[derive(Debug, Clone, PartialEq, rt::SerializeRow)]
pub struct {{ series.series_ident }} {
{% for field in series.series_fields() %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

{% if let Some(tenant) = series.tenant %}
/// A [`{{ series.ident }}`] point of the tenant a scoped handle
/// (`db.tenant(…)`) names: every field but the tenant id
/// `{{ tenant.field.ident }}`, which the handle fills.
#[derive(Debug, Clone, PartialEq)]
pub struct {{ tenant.row }} {
{% call tenant_handles::fields_without_tenant(tenant.fields) %}{% endcall %}
}

/// A series of [`{{ series.ident }}`] within its tenant (without
/// `{{ tenant.field.ident }}`).
#[derive(Debug, Clone, PartialEq)]
pub struct {{ tenant.series }} {
{% for field in tenant.series_fields %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}

/// How a tenant's handle fills and strips the tenant id `{{ tenant.field.ident }}`.
impl corm::tenancy::TenantPoint for {{ series.ident }} {
    type Tenant = {{ tenant.field.ty }};
    type Row = {{ tenant.row }};
    type ScopedSeries = {{ tenant.series }};

{% call tenant_handles::tenant_conversions(tenant.field, tenant.row, tenant.fields) %}{% endcall %}

    fn series_with_tenant(
        tenant: &{{ tenant.field.ty }},
        {% if tenant.series_fields.is_empty() %}_series{% else %}series{% endif %}: &{{ tenant.series }},
    ) -> {{ series.series_ident }} {
        {{ series.series_ident }} {
            {{ tenant.field.ident }}: Clone::clone(tenant),
{% for field in tenant.series_fields %}
            {{ field.ident }}: Clone::clone(&series.{{ field.ident }}),
{% endfor %}
        }
    }
}

{% endif %}
impl corm::timeseries::Point for {{ series.ident }} {
    type Series = {{ series.series_ident }};
    type Rollup = {{ series.rollup_ident }};

    const SPEC: corm::timeseries::SeriesSpec = corm::timeseries::SeriesSpec {
        name: {{ series.name }},
        table: {{ series.table }},
        columns: {{ series.columns }},
        markers: {{ series.markers }},
        series: {{ series.series_condition }},
        bucket_ms: {{ series.bucket_ms }},
        rollup: {{ series.rollup_selectors }},
    };

    fn ts(&self) -> corm::chrono::DateTime<corm::chrono::Utc> {
        self.ts
    }
}

/// One interval of a rollup of [`{{ series.ident }}`] points (from
/// [`SeriesRepository::rollup`](corm::timeseries::SeriesRepository::rollup)):
/// how many points it holds and a summary of each numeric value field.
#[derive(Debug, Clone, PartialEq)]
pub struct {{ series.rollup_ident }} {
    /// The start of the interval (UTC, aligned to the Unix epoch).
    pub start: corm::chrono::DateTime<corm::chrono::Utc>,
    /// The points in the interval.
    pub points: i64,
{% for summary in series.summaries %}
    /// `{{ summary.name }}` over the interval.
    pub {{ summary.ident }}: corm::timeseries::Summary<{{ summary.ty }}>,
{% endfor %}
}

/// Reads `start`, `points`, then four columns per summary.
impl<'f, 'm> DeserializeRow<'f, 'm> for {{ series.rollup_ident }} {
    fn type_check(specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        rt::check_count::<Self>(specs, {{ 2 + 4 * series.summaries.len() }})?;
        rt::check_col::<Self, corm::chrono::DateTime<corm::chrono::Utc>>(specs, 0, "start")?;
        rt::check_col::<Self, i64>(specs, 1, "points")?;
        Ok(())
    }

    fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        Ok(Self {
            start: rt::next_col::<Self, _>(&mut row)?,
            points: rt::next_col::<Self, _>(&mut row)?,
{% for summary in series.summaries %}
            {{ summary.ident }}: corm::timeseries::summary::<Self, _>(&mut row)?,
{% endfor %}
        })
    }
}

impl corm::timeseries::Rollup for {{ series.rollup_ident }} {
    fn start(&self) -> corm::chrono::DateTime<corm::chrono::Utc> {
        self.start
    }

    fn merge(&mut self, other: Self) {
        self.points = self.points.saturating_add(other.points);
{% for summary in series.summaries %}
        self.{{ summary.ident }}.merge(other.{{ summary.ident }});
{% endfor %}
    }
}

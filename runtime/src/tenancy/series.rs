//! A time series with a tenant id (`series shop: text @tenant, …`): a
//! handle bound to one tenant whose point and series types have no tenant
//! id.

use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use futures::{Stream, StreamExt};

use crate::bulk::BulkFailure;
use crate::timeseries::{Direction, Point, SeriesRepository};
use crate::{BulkReport, Options, Result};

/// A time series whose first series field is a tenant id (`@tenant`), so
/// that each partition belongs to one tenant. Implemented by generated
/// code.
pub trait TenantPoint: Point {
    /// The tenant id's type.
    type Tenant: Clone + Send + Sync + 'static;
    /// A point without its tenant id.
    type Row: Clone + Send + Sync + 'static;
    /// A series without its tenant id.
    type ScopedSeries: Send + Sync;

    /// The point of `tenant` with `row`'s fields.
    fn with_tenant(tenant: Self::Tenant, row: Self::Row) -> Self;

    /// The point without its tenant id.
    fn without_tenant(self) -> Self::Row;

    /// The series of `tenant` at `series`.
    fn series_with_tenant(tenant: &Self::Tenant, series: &Self::ScopedSeries) -> Self::Series;
}

/// The points of one tenant of the time series `P` (from the generated
/// `db.tenant(id).<series>()`): every call binds the tenant id, and the
/// series it takes and points it gives have none. Scans across tenants
/// are on the admin handle.
pub struct ScopedSeries<'a, P: TenantPoint> {
    repository: SeriesRepository<'a, P>,
    tenant: P::Tenant,
}

impl<P: TenantPoint> Clone for ScopedSeries<'_, P> {
    fn clone(&self) -> Self {
        Self {
            repository: self.repository,
            tenant: self.tenant.clone(),
        }
    }
}

impl<P: TenantPoint> std::fmt::Debug for ScopedSeries<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedSeries")
            .field("series", &P::SPEC.name)
            .finish_non_exhaustive()
    }
}

impl<'a, P: TenantPoint> ScopedSeries<'a, P> {
    /// `repository`'s points of `tenant`.
    #[doc(hidden)]
    pub fn new(repository: SeriesRepository<'a, P>, tenant: P::Tenant) -> Self {
        Self { repository, tenant }
    }

    /// This handle with `options` for every call.
    #[must_use]
    pub fn with(self, options: Options) -> Self {
        Self {
            repository: self.repository.with(options),
            ..self
        }
    }

    /// The tenant.
    pub fn tenant(&self) -> &P::Tenant {
        &self.tenant
    }

    /// Writes `point` for the tenant.
    ///
    /// # Errors
    /// As [`SeriesRepository::write`].
    pub async fn write(&self, point: &P::Row) -> Result<()> {
        let point = P::with_tenant(self.tenant.clone(), point.clone());
        self.repository.write(&point).await
    }

    /// Writes `points` for the tenant in bulk; the points not written come
    /// back without their tenant id.
    ///
    /// # Errors
    /// As [`SeriesRepository::write_many`].
    pub async fn write_many(
        &self,
        points: impl IntoIterator<Item = P::Row>,
    ) -> Result<BulkReport<P::Row>> {
        let tenant = &self.tenant;
        let points = points
            .into_iter()
            .map(|point| P::with_tenant(tenant.clone(), point));
        let report = self.repository.write_many(points).await?;
        Ok(BulkReport {
            written: report.written,
            failed: report
                .failed
                .into_iter()
                .map(|failure| BulkFailure {
                    rows: failure.rows.into_iter().map(P::without_tenant).collect(),
                    error: failure.error,
                })
                .collect(),
        })
    }

    /// The tenant's points of `series` with `from <= ts < to`.
    ///
    /// # Errors
    /// As [`SeriesRepository::range`].
    pub async fn range(
        &self,
        series: &P::ScopedSeries,
        range: Range<DateTime<Utc>>,
        direction: Direction,
        limit: Option<usize>,
    ) -> Result<impl Stream<Item = Result<P::Row>> + Send + 'a>
    where
        P::Series: 'a,
    {
        let series = Arc::new(P::series_with_tenant(&self.tenant, series));
        let points = self
            .repository
            .range_of(series, range, direction, limit)
            .await?;
        Ok(points.map(|point| point.map(P::without_tenant)))
    }

    /// The tenant's newest point of `series` at or before `at`, looking
    /// back at most `max_buckets` buckets.
    ///
    /// # Errors
    /// As [`SeriesRepository::latest_before`].
    pub async fn latest_before(
        &self,
        series: &P::ScopedSeries,
        at: DateTime<Utc>,
        max_buckets: u32,
    ) -> Result<Option<P::Row>> {
        let series = P::series_with_tenant(&self.tenant, series);
        let point = self
            .repository
            .latest_before(&series, at, max_buckets)
            .await?;
        Ok(point.map(P::without_tenant))
    }

    /// The tenant's newest point of `series` now.
    ///
    /// # Errors
    /// As [`SeriesRepository::latest`].
    pub async fn latest(&self, series: &P::ScopedSeries) -> Result<Option<P::Row>> {
        let series = P::series_with_tenant(&self.tenant, series);
        Ok(self
            .repository
            .latest(&series)
            .await?
            .map(P::without_tenant))
    }

    /// The tenant's points of `series` in `range` summarised per
    /// `interval`.
    ///
    /// # Errors
    /// As [`SeriesRepository::rollup`].
    pub async fn rollup(
        &self,
        series: &P::ScopedSeries,
        range: Range<DateTime<Utc>>,
        interval: TimeDelta,
    ) -> Result<Vec<P::Rollup>> {
        let series = P::series_with_tenant(&self.tenant, series);
        self.repository.rollup(&series, range, interval).await
    }
}

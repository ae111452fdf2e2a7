//! The [`Db`] handle: a session, a keyspace and the statements of every
//! table (their text built once, when the `Db` is created; each prepared on
//! first use), and the repository of each model.

use std::sync::Arc;

{% for repo in file.repos %}
use super::{{ repo.module }}::{ {{ repo.model }}, {{ repo.repo }} };
{% endfor %}
{% for series in file.series %}
use super::{{ series.accessor }}::{{ series.ident }};
{% endfor %}
{% for store in file.stores %}
use super::{{ store.accessor }}::{{ store.ident }};
{% endfor %}
{% for saga in file.sagas %}
use super::{{ saga.accessor }}::{ {{ saga.ident }}, {{ saga.steps_trait }} };
{% endfor %}

/// The schema's repositories on one session and keyspace.
///
/// Cheap to clone (an `Arc` bump); clones share the prepared statements.
/// Reach a model's repository through the method named after the model in
/// snake_case (`Order` → `db.order()`).
#[derive(Clone, Debug)]
pub struct Db {
    inner: Arc<DbInner>,
{% if file.embeds %}
    embedder: Option<Arc<dyn corm::embed::Embedder>>,
{% endif %}
}

#[derive(Debug)]
struct DbInner {
    session: corm::Session,
    keyspace: String,
{% for repo in file.repos %}
    {{ repo.accessor }}: corm::TableStatements,
{% if repo.reserve.is_some() %}
    {{ repo.batch_suffix }}_reservations: corm::saga::reservation::ReservationStatements,
{% endif %}
{% endfor %}
{% for series in file.series %}
    {{ series.accessor }}: corm::timeseries::SeriesStatements,
{% endfor %}
{% for store in file.stores %}
    {{ store.accessor }}: corm::events::EventStatements,
{% endfor %}
{% for saga in file.sagas %}
    {{ saga.accessor }}: Arc<corm::saga::SagaStatements>,
{% endfor %}
}

impl Db {
    /// The repositories on `session`, for the tables of `keyspace` (its
    /// name as stored: it is always quoted in the CQL, so case matters).
    /// Builds the text of every statement; nothing is sent until first use.
    pub fn new(session: corm::Session, keyspace: impl Into<String>) -> Self {
        Self::with_caches(session, keyspace, &corm::cache::CacheSettings::new())
    }

    /// [`new`](Self::new), with the caches `caches` turns on, reconfigures
    /// or turns off (over the schema's `cache` clauses; see
    /// [`corm::cache`]).
    pub fn with_caches(
        session: corm::Session,
        keyspace: impl Into<String>,
{% if file.repos.is_empty() %}
        _caches: &corm::cache::CacheSettings,
{% else %}
        caches: &corm::cache::CacheSettings,
{% endif %}
    ) -> Self {
        let keyspace = keyspace.into();
        Self {
            inner: Arc::new(DbInner {
{% for repo in file.repos %}
                {{ repo.accessor }}: corm::TableStatements::with_caches(&keyspace, &{{ repo.model }}::TABLE, caches),
{% if repo.reserve.is_some() %}
                {{ repo.batch_suffix }}_reservations: corm::saga::reservation::ReservationStatements::new(
                    &keyspace,
                    &{{ repo.model }}::TABLE,
                    &<{{ repo.model }} as corm::saga::reservation::Reservable>::RESERVE,
                ),
{% endif %}
{% endfor %}
{% for series in file.series %}
                {{ series.accessor }}: corm::timeseries::SeriesStatements::new(&keyspace, &<{{ series.ident }} as corm::timeseries::Point>::SPEC),
{% endfor %}
{% for store in file.stores %}
                {{ store.accessor }}: corm::events::EventStatements::new(&keyspace, &<{{ store.ident }} as corm::events::EventStream>::SPEC),
{% endfor %}
{% for saga in file.sagas %}
                {{ saga.accessor }}: Arc::new(corm::saga::SagaStatements::new(&keyspace, &super::{{ saga.accessor }}::SPEC)),
{% endfor %}
                session,
                keyspace,
            }),
{% if file.embeds %}
            embedder: None,
{% endif %}
        }
    }
{% if file.embeds %}

    /// This `Db` computing `@embed` vectors (on insert, and for
    /// `search_text`) with `embedder`; clones share it.
    #[must_use]
    pub fn with_embedder(&self, embedder: Arc<dyn corm::embed::Embedder>) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            embedder: Some(embedder),
        }
    }

    /// The embedder of `@embed` fields.
    ///
    /// # Errors
    /// [`corm::Error::Embed`] when none is set ([`with_embedder`](Self::with_embedder)).
    pub fn embedder(&self) -> corm::Result<&dyn corm::embed::Embedder> {
        corm::embed::required(self.embedder.as_deref())
    }
{% endif %}
{% if let Some(tenancy) = file.tenancy %}

    /// The registry of the schema's tenants (`tenancy per_keyspace`), kept
    /// in `keyspace` (the schema's, which must exist): each tenant's tables
    /// are in a keyspace of their own, `<keyspace>_<tenant>`, made with the
    /// schema's replication and built by [`MIGRATIONS`](super::MIGRATIONS).
    pub fn tenants(
        session: corm::Session,
        keyspace: impl Into<String>,
    ) -> corm::tenancy::Tenants {
        const TENANCY: corm::tenancy::TenancySpec = corm::tenancy::TenancySpec {
            replication: {{ tenancy.replication }},
            durable_writes: {{ tenancy.durable_writes }},
        };
        corm::tenancy::Tenants::new(session, keyspace, &TENANCY, super::MIGRATIONS)
    }

    /// The repositories of `tenant`, on its own keyspace: every statement
    /// they run names that keyspace, so none reaches another tenant's rows.
    ///
    /// # Errors
    /// [`corm::Error::Tenancy`] when the tenant's keyspace name is too long.
    pub fn for_tenant(
        tenants: &corm::tenancy::Tenants,
        tenant: &corm::tenancy::TenantId,
    ) -> corm::Result<Self> {
        Ok(Self::new(tenants.session().clone(), tenants.keyspace_of(tenant)?))
    }
{% endif %}
{% if let Some(keyspace) = file.schema_keyspace %}

    /// The repositories on `session`, for the tables of the schema's
    /// keyspace ({{ keyspace }}).
    pub fn with_schema_keyspace(session: corm::Session) -> Self {
        Self::new(session, {{ keyspace }})
    }
{% endif %}

    /// Brings this keyspace, which must exist, to the schema: by applying
{% if file.migrations %}
    /// the pending migrations ([`migrate`](Self::migrate)), since the schema
    /// has them.
{% else %}
    /// [`SCHEMA_STATEMENTS`](super::SCHEMA_STATEMENTS) (`create … if not
    /// exists`, so it can run again), since the schema has no migrations.
{% endif %}
    /// It returns once the keyspace's indexes are built and queryable.
    /// The same code sets up any keyspace: a test's, a tenant's, a copy.
    ///
    /// # Errors
{% if file.migrations %}
    /// As for [`migrate`](Self::migrate).
{% else %}
    /// [`corm::Error::Execute`] naming the statement the cluster refused,
    /// [`corm::Error::SchemaAgreement`], or [`corm::Error::Migrate`] when an
    /// index is still not queryable after
    /// [`DEFAULT_INDEX_WAIT`](corm::migrate::DEFAULT_INDEX_WAIT).
{% endif %}
    pub async fn setup(&self) -> corm::Result<()> {
{% if file.migrations %}
        self.migrate().await.map(drop)
{% else %}
        for statement in super::SCHEMA_STATEMENTS {
            self.inner.session.run_ddl(&statement.text(&self.inner.keyspace)).await?;
        }
        corm::migrate::await_indexes(
            &self.inner.session,
            &self.inner.keyspace,
            corm::migrate::DEFAULT_INDEX_WAIT,
        )
        .await
{% endif %}
    }

{% if file.migrations %}
    /// Applies the schema's pending migrations
    /// ([`MIGRATIONS`](super::MIGRATIONS)) to this keyspace, which must
    /// exist: under the runner's lock, resuming a run that stopped midway,
    /// and refusing when an applied migration has changed. For progress
    /// reports, deadlines and `status`, use `corm::migrate::Migrator`.
    ///
    /// # Errors
    /// [`corm::Error::Migrate`] naming the migration and statement, or the
    /// error of the statement that failed.
    pub async fn migrate(&self) -> corm::Result<corm::migrate::Report> {
        corm::migrate::Migrator::new(&self.inner.session, &self.inner.keyspace, super::MIGRATIONS)
            .up()
            .await
    }

{% endif %}
    /// The session the statements run on.
    #[must_use]
    pub fn session(&self) -> &corm::Session {
        &self.inner.session
    }

    /// How each node of the cluster stands: whether the session is
    /// connected to it, and how long it took to answer a probe sent to it
    /// alone, each allowed `timeout` (see [`corm::Session::health`]).
    pub async fn health(&self, timeout: std::time::Duration) -> corm::Health {
        self.inner.session.health(timeout).await
    }

    /// The keyspace of the tables, as stored.
    #[must_use]
    pub fn keyspace(&self) -> &str {
        &self.inner.keyspace
    }
{% if file.has_batch() %}

    /// An empty logged batch: its writes, across repositories and
    /// partitions, apply all or none.
    #[must_use]
    pub fn batch_logged(&self) -> corm::WriteBatch<'_, Db> {
        corm::WriteBatch::new(self, &self.inner.session, true)
    }

    /// An empty unlogged batch: one request, not atomic across partitions
    /// (the right choice for writes to one partition).
    #[must_use]
    pub fn batch_unlogged(&self) -> corm::WriteBatch<'_, Db> {
        corm::WriteBatch::new(self, &self.inner.session, false)
    }
{% endif %}
{% for repo in file.repos %}

{% if repo.tenant %}
    /// The repository of `{{ repo.model }}` rows (table `{{ repo.table }}`),
    /// every tenant's: for this crate's generated code, and through
    /// [`Db::admin`] for programs.
    #[must_use]
    pub(super) fn {{ repo.accessor }}(&self) -> {{ repo.repo }}<'_> {
{% else %}
    /// The repository of `{{ repo.model }}` rows (table `{{ repo.table }}`).
    #[must_use]
    pub fn {{ repo.accessor }}(&self) -> {{ repo.repo }}<'_> {
{% endif %}
{% if repo.own_methods %}
        let base = corm::Repository::new(&self.inner.session, &self.inner.{{ repo.accessor }});
        {{ repo.repo }} { base, db: self }
{% else %}
        corm::Repository::new(&self.inner.session, &self.inner.{{ repo.accessor }})
{% endif %}
    }
{% endfor %}
{% for repo in file.repos %}
{% if repo.reserve.is_some() %}

    /// The statements of `{{ repo.model }}`'s reservations.
    pub(super) fn {{ repo.batch_suffix }}_reservations(&self) -> &corm::saga::reservation::ReservationStatements {
        &self.inner.{{ repo.batch_suffix }}_reservations
    }
{% endif %}
{% endfor %}
{% for series in file.series %}

{% if series.tenant.is_some() %}
    /// The points of the time series `{{ series.ident }}` (table {{ series.table }}),
    /// every tenant's: through [`Db::admin`] for programs.
    #[must_use]
    pub(super) fn {{ series.accessor }}(&self) -> corm::timeseries::SeriesRepository<'_, {{ series.ident }}> {
{% else %}
    /// The points of the time series `{{ series.ident }}` (table {{ series.table }}):
    /// `write`, `range`, `latest`.
    #[must_use]
    pub fn {{ series.accessor }}(&self) -> corm::timeseries::SeriesRepository<'_, {{ series.ident }}> {
{% endif %}
        corm::timeseries::SeriesRepository::new(&self.inner.session, &self.inner.{{ series.accessor }})
    }
{% endfor %}
{% for store in file.stores %}

{% if store.tenant.is_some() %}
    /// The streams of the event store `{{ store.ident }}` (table {{ store.events_table }}),
    /// every tenant's: through [`Db::admin`] for programs (projections).
    #[must_use]
    pub(super) fn {{ store.accessor }}(&self) -> corm::events::EventStore<'_, {{ store.ident }}> {
{% else %}
    /// The streams of the event store `{{ store.ident }}` (table {{ store.events_table }}):
    /// `append`, `load`, `load_aggregate`, `execute`, `projection`.
    #[must_use]
    pub fn {{ store.accessor }}(&self) -> corm::events::EventStore<'_, {{ store.ident }}> {
{% endif %}
        corm::events::EventStore::new(&self.inner.session, &self.inner.{{ store.accessor }})
    }
{% endfor %}
{% for saga in file.sagas %}

    /// A runner of saga `{{ saga.plain }}` (log {{ saga.log_table }}) with the
    /// application's `steps`: `start`, `resume`, `status`, `recover`.
    #[must_use]
    pub fn {{ saga.accessor }}<S: {{ saga.steps_trait }}>(&self, steps: S) -> corm::saga::SagaRunner<{{ saga.ident }}<S>> {
        corm::saga::SagaRunner::new(self.inner.session.clone(), Arc::clone(&self.inner.{{ saga.accessor }}), {{ saga.ident }}(steps))
    }
{% endfor %}
{% if let Some(tenant_db) = file.tenant_db %}

    /// The rows of the tenant `tenant` of the models with a `@tenant`
    /// field: a handle whose methods bind `tenant` and whose key and row
    /// types have no tenant id. The models' own accessors (`db.<model>()`)
    /// read and write across tenants.
    #[must_use]
    pub fn tenant(&self, tenant: {{ tenant_db.ty }}) -> TenantDb<'_> {
        TenantDb { db: self, tenant }
    }

    /// Every tenant's rows of the models with a `@tenant` field: the
    /// administrative handle (reports, data fixes, a tenant's removal).
    /// Code serving one tenant is given a [`TenantDb`] instead.
    #[must_use]
    pub fn admin(&self) -> AdminDb<'_> {
        AdminDb { db: self }
    }
{% endif %}
}
{% if let Some(tenant_db) = file.tenant_db %}

/// One tenant's rows (from [`Db::tenant`]): every method binds the tenant
/// id, and takes and gives keys and rows without it, so code given a
/// `TenantDb` can't name another tenant's rows.
#[derive(Clone, Debug)]
pub struct TenantDb<'a> {
    db: &'a Db,
    tenant: {{ tenant_db.ty }},
}

/// Every tenant's rows of the models with a `@tenant` field (from
/// [`Db::admin`]).
#[derive(Clone, Copy, Debug)]
pub struct AdminDb<'a> {
    db: &'a Db,
}

impl<'a> AdminDb<'a> {
{% for (accessor, model) in tenant_db.models %}

    /// The `{{ model }}` rows of every tenant.
    #[must_use]
    pub fn {{ accessor }}(&self) -> {{ model }}Repository<'a> {
        self.db.{{ accessor }}()
    }
{% endfor %}
{% for (accessor, point) in tenant_db.series %}

    /// The `{{ point }}` points of every tenant.
    #[must_use]
    pub fn {{ accessor }}(&self) -> corm::timeseries::SeriesRepository<'a, {{ point }}> {
        self.db.{{ accessor }}()
    }
{% endfor %}
{% for (accessor, stream) in tenant_db.stores %}

    /// The `{{ stream }}` streams of every tenant (ids with their tenant;
    /// projections).
    #[must_use]
    pub fn {{ accessor }}(&self) -> corm::events::EventStore<'a, {{ stream }}> {
        self.db.{{ accessor }}()
    }
{% endfor %}
}

impl<'a> TenantDb<'a> {
    /// The tenant.
    #[must_use]
    pub fn tenant(&self) -> &{{ tenant_db.ty }} {
        &self.tenant
    }
{% for (accessor, model) in tenant_db.models %}

    /// The tenant's `{{ model }}` rows.
    #[must_use]
    pub fn {{ accessor }}(&self) -> super::{{ model }}OfTenant<'a> {
        super::{{ model }}OfTenant::new(self.db.{{ accessor }}(), Clone::clone(&self.tenant))
    }
{% endfor %}
{% for (accessor, point) in tenant_db.series %}

    /// The tenant's `{{ point }}` points.
    #[must_use]
    pub fn {{ accessor }}(&self) -> corm::tenancy::ScopedSeries<'a, {{ point }}> {
        corm::tenancy::ScopedSeries::new(self.db.{{ accessor }}(), Clone::clone(&self.tenant))
    }
{% endfor %}
{% for (accessor, stream) in tenant_db.stores %}

    /// The tenant's `{{ stream }}` streams.
    #[must_use]
    pub fn {{ accessor }}(&self) -> corm::tenancy::ScopedEvents<'a, {{ stream }}> {
        corm::tenancy::ScopedEvents::new(self.db.{{ accessor }}(), Clone::clone(&self.tenant))
    }
{% endfor %}
}
{% endif %}
{% for repo in file.repos %}

impl corm::InDb for {{ repo.model }} {
    type Db = Db;

    fn statements_in(db: &Db) -> &corm::TableStatements {
        &db.inner.{{ repo.accessor }}
    }
}
{% endfor %}

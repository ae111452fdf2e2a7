{% import "rust/scoped.rs" as tenant_handles %}
{% import "rust/unique_claims.rs" as claims %}
{% import "rust/validation_checks.rs" as checks %}
{% import "rust/aggregate_rows.rs" as aggregate_rows %}
{% import "rust/running_totals.rs" as totals %}
{% import "rust/client_rows.rs" as client_rows %}
{% import "rust/expressions.rs" as expressions %}
{% import "rust/key_bindings.rs" as key_bindings %}
//! {{ item.ident }}: the row, key and patch types of table `{{ repo.table }}`,
//! how they bind, and the repository.
{% for path in uses %}
use {{ path }};
{% endfor %}
{% if uses_try_stream() %}
use corm::TryStreamExt;
{% endif %}
{% if has_types %}
use super::types::*;
{% endif %}
{% if !imports.is_empty() %}
use super::{ {% for name in imports %}{{ name }},{% endfor %} };
{% endif %}
{% if repo.own_methods %}
use super::db::Db;
{% endif %}

{% include "rust/model_row.rs" %}

{% if spec.cached %}

const _: () = corm::cache::require_cache_feature::<{{ item.ident }}>();
{% endif %}

{% if let Some(tenant) = item.tenant %}
/// A `{{ item.ident }}` of the tenant a scoped handle (`db.tenant(…)`)
/// names: every field but the tenant id `{{ tenant.field.ident }}`, which the
/// handle fills.
#[derive(Debug, Clone, PartialEq)]
pub struct {{ tenant.row }} {
{% call tenant_handles::fields_without_tenant(tenant.fields) %}{% endcall %}
}

/// The primary key of a `{{ item.ident }}` within its tenant (without
/// `{{ tenant.field.ident }}`).
#[derive(Debug, Clone, PartialEq)]
pub struct {{ tenant.key }} {
{% for field in tenant.key_fields %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}
{% if let Some(fields) = tenant.partition_fields %}

/// The partition key of a `{{ item.ident }}` within its tenant (without
/// `{{ tenant.field.ident }}`).
#[derive(Debug, Clone, PartialEq)]
pub struct {{ tenant.partition }} {
{% for field in fields %}
    pub {{ field.ident }}: {{ field.ty }},
{% endfor %}
}
{% endif %}

/// The rows of one tenant of `{{ item.ident }}` (from `db.tenant(…).{{ repo.accessor }}()`):
/// [`corm::tenancy::Scoped`]'s reads and writes, and the named queries
/// that take the tenant id, bound to this tenant.
#[derive(Clone, Debug)]
pub struct {{ item.ident }}OfTenant<'a> {
    scoped: corm::tenancy::Scoped<'a, {{ item.ident }}>,
{% if tenant_handle_has_repo() %}
    repo: {{ repo.repo }}<'a>,
    tenant: {{ tenant.field.ty }},
{% endif %}
}

impl<'a> {{ item.ident }}OfTenant<'a> {
    pub(super) fn new(repo: {{ repo.repo }}<'a>, tenant: {{ tenant.field.ty }}) -> Self {
{% if tenant_handle_has_repo() %}
        Self {
            scoped: corm::tenancy::Scoped::new({% if repo.own_methods %}*repo{% else %}repo{% endif %}, Clone::clone(&tenant)),
            repo,
            tenant,
        }
{% else %}
        Self {
            scoped: corm::tenancy::Scoped::new({% if repo.own_methods %}*repo{% else %}repo{% endif %}, tenant),
        }
{% endif %}
    }
}

impl<'a> std::ops::Deref for {{ item.ident }}OfTenant<'a> {
    type Target = corm::tenancy::Scoped<'a, {{ item.ident }}>;

    fn deref(&self) -> &Self::Target {
        &self.scoped
    }
}
{% if !repo.unique.is_empty() %}

/// The writes of a model with `@unique` fields go through its repository,
/// which claims their values in this tenant's lookup tables.
impl {{ item.ident }}OfTenant<'_> {
    /// The tenant's `row`, with the tenant id filled.
    fn tenant_row(&self, row: &{{ tenant.row }}) -> {{ item.ident }} {
        corm::tenancy::TenantScoped::with_tenant(Clone::clone(&self.tenant), Clone::clone(row))
    }

    /// The tenant's key at `key`.
    fn tenant_key(&self, key: &{{ tenant.key }}) -> {{ repo.key }} {
        <{{ item.ident }} as corm::tenancy::TenantScoped>::key_with_tenant(&self.tenant, key)
    }

    /// Writes `row` for the tenant, every column, after claiming its
    /// `@unique` values among the tenant's.
    pub async fn insert(&self, row: &{{ tenant.row }}) -> corm::Result<()> {
        self.repo.insert(&self.tenant_row(row)).await
    }

    /// Writes `row` for the tenant if no row has its key, after claiming
    /// its `@unique` values; whether it was written.
    pub async fn insert_if_not_exists(&self, row: &{{ tenant.row }}) -> corm::Result<bool> {
        self.repo.insert_if_not_exists(&self.tenant_row(row)).await
    }
{% if let Some(update) = repo.update %}

    /// Writes the set fields of `patch` to the tenant's row at `key`,
    /// claiming the `@unique` values it sets.
    pub async fn update(&self, key: &{{ tenant.key }}, patch: &{{ update.patch }}) -> corm::Result<()> {
        self.repo.update(&self.tenant_key(key), patch).await
    }
{% endif %}

    /// Deletes the tenant's row at `key` and gives back its `@unique`
    /// values.
    pub async fn delete(&self, key: &{{ tenant.key }}) -> corm::Result<()> {
        self.repo.delete(&self.tenant_key(key)).await
    }
{% if repo.partition.is_some() %}

    /// Deletes every row of the tenant's partition `partition` and gives
    /// back their `@unique` values.
    pub async fn delete_partition(&self, partition: &{{ tenant.partition }}) -> corm::Result<()> {
        let partition = <{{ item.ident }} as corm::tenancy::TenantScoped>::partition_with_tenant(&self.tenant, partition);
        self.repo.delete_partition(&partition).await
    }
{% endif %}
{% for unique in repo.unique %}

    /// The tenant's row whose `{{ unique.name }}` is `value`, or `None`.
    pub async fn find_by_{{ unique.name }}(&self, value: {{ unique.param }}) -> corm::Result<Option<{{ tenant.row }}>> {
        let row = self.repo.find_by_{{ unique.name }}(&self.tenant, value).await?;
        Ok(row.map(corm::tenancy::TenantScoped::without_tenant))
    }
{% endfor %}
}
{% endif %}

/// How a tenant's handle fills and strips the tenant id `{{ tenant.field.ident }}`.
impl corm::tenancy::TenantScoped for {{ item.ident }} {
    type Tenant = {{ tenant.field.ty }};
    type Row = {{ tenant.row }};
    type ScopedKey = {{ tenant.key }};
    type ScopedPartition = {{ tenant.partition }};

{% call tenant_handles::tenant_conversions(tenant.field, tenant.row, tenant.fields) %}{% endcall %}

    fn key_with_tenant(
        tenant: &{{ tenant.field.ty }},
        {% if tenant.key_fields.is_empty() %}_key{% else %}key{% endif %}: &{{ tenant.key }},
    ) -> {{ item.key.ident }} {
        {{ item.key.ident }} {
            {{ tenant.field.ident }}: Clone::clone(tenant),
{% for field in tenant.key_fields %}
            {{ field.ident }}: Clone::clone(&key.{{ field.ident }}),
{% endfor %}
        }
    }

    fn partition_with_tenant(
        tenant: &{{ tenant.field.ty }},
        {{ tenant.partition_param() }}: &{{ tenant.partition }},
    ) -> {{ tenant.full_partition }} {
{% if let Some(fields) = tenant.partition_fields %}
        {{ tenant.full_partition }} {
            {{ tenant.field.ident }}: Clone::clone(tenant),
{% for field in fields %}
            {{ field.ident }}: Clone::clone(&partition.{{ field.ident }}),
{% endfor %}
        }
{% else %}
        Self::key_with_tenant(tenant, partition)
{% endif %}
    }

    fn tenant_of_key(key: &{{ item.key.ident }}) -> &{{ tenant.field.ty }} {
        &key.{{ tenant.field.ident }}
    }

    fn tenant_of_partition(partition: &{{ tenant.full_partition }}) -> &{{ tenant.field.ty }} {
        &partition.{{ tenant.field.ident }}
    }
}

{% endif %}
impl corm::Table for {{ item.ident }} {
    type Key = {{ repo.key }};
    type Partition = {{ spec.partition_type }};

    fn primary_key(&self) -> {{ repo.key }} {
        self.{{ item.key.method }}()
    }
{% if repo.validates %}

    fn validate(&self) -> corm::Result<()> {
        Ok({{ item.ident }}::validate(self)?)
    }
{% endif %}
}

impl corm::PrimaryKey for {{ repo.key }} {
    type Table = {{ item.ident }};
}
{% if repo.batchable() %}

impl corm::DirectWrites for {{ item.ident }} {}
{% endif %}
{% if let Some(update) = repo.update %}

impl corm::Updatable for {{ item.ident }} {
    type Patch = {{ update.patch }};
{% if update.has_now() %}
    const STAMPS_NOW: bool = true;
{% endif %}
    type Values<'v> = rt::BoundValues<'v, {{ update.capacity }}>;

    fn bind_patch<'v>(patch: &'v {{ update.patch }}, {% if update.has_now() %}now{% else %}_now{% endif %}: &'v rt::Now, values: &mut Self::Values<'v>) {
{% for step in update.steps %}
{% if let Some(now) = step.now %}
        values.always({{ step.flag }}, &now.{{ now }});
{% else %}
        values.set({{ step.flag }}, &patch.{{ step.ident }});
{% endif %}
{% endfor %}
    }

    fn bind_key<'v>(key: &'v {{ repo.key }}, values: &mut Self::Values<'v>, {% if update.key_split.1.is_empty() %}_clustering{% else %}clustering{% endif %}: bool) {
{% for field in update.key_split.0 %}
        values.push(&key.{{ field }});
{% endfor %}
{% if !update.key_split.1.is_empty() %}
        if clustering {
{% for field in update.key_split.1 %}
            values.push(&key.{{ field }});
{% endfor %}
        }
{% endif %}
    }
{% if repo.patch_validates %}

    fn validate_patch(patch: &{{ update.patch }}) -> corm::Result<()> {
        Ok(patch.validate()?)
    }
{% endif %}
}
{% endif %}
{% if let Some(changes) = repo.changes %}

/// Reads the keys and patches the change log recorded back.
impl corm::changes::Logged for {{ item.ident }} {
{% if let Some(update) = repo.update %}
    type Patch = {{ update.patch }};
{% else %}
    type Patch = corm::changes::NoPatch;
{% endif %}

    fn read_key<'f, 'm>(mut cells: ColumnIterator<'f, 'm>) -> Result<{{ repo.key }}, DeserializationError> {
        Ok({{ repo.key }} {
{% for field in changes.key_fields %}
            {{ field }}: rt::next_col::<{{ repo.key }}, _>(&mut cells)?,
{% endfor %}
        })
    }

    fn read_partition<'f, 'm>({% if changes.partition.is_some() %}mut {% endif %}cells: ColumnIterator<'f, 'm>) -> Result<{{ spec.partition_type }}, DeserializationError> {
{% if let Some((partition, fields)) = changes.partition %}
        Ok({{ partition }} {
{% for field in fields %}
            {{ field }}: rt::next_col::<{{ partition }}, _>(&mut cells)?,
{% endfor %}
        })
{% else %}
        Self::read_key(cells)
{% endif %}
    }
{% if let Some(update) = repo.update %}

    fn read_patch<'f, 'm>(mask: u64, mut cells: ColumnIterator<'f, 'm>) -> Result<{{ update.patch }}, DeserializationError> {
        let mut patch = {{ update.patch }}::default();
{% for step in update.steps %}
        if mask & {{ step.flag }} != 0 {
{% if step.now.is_some() %}
            rt::skip_col::<{{ update.patch }}>(&mut cells)?;
{% else if step.optional %}
            patch.{{ step.ident }} = Some(rt::next_opt_col::<{{ update.patch }}, _>(&mut cells)?);
{% else %}
            patch.{{ step.ident }} = Some(rt::next_col::<{{ update.patch }}, _>(&mut cells)?);
{% endif %}
        }
{% endfor %}
        Ok(patch)
    }
{% else %}

    fn read_patch<'f, 'm>(_mask: u64, _cells: ColumnIterator<'f, 'm>) -> Result<corm::changes::NoPatch, DeserializationError> {
        Ok(corm::changes::NoPatch)
    }
{% endif %}
}
{% endif %}
{% if let Some(clustered) = clustered %}

impl corm::Clustered for {{ item.ident }} {
    type First = {{ clustered.first }};
    type Clustering = {{ clustered.clustering }};

    fn bind_clustering<'v>(clustering: &'v {{ clustered.clustering }}, values: &mut corm::RangeValues<'v>) {
{% if clustered.fields.is_empty() %}
        values.push(clustering);
{% else %}
{% for field in clustered.fields %}
        values.push(&clustering.{{ field }});
{% endfor %}
{% endif %}
    }
}
{% endif %}
{% if !repo.unique.is_empty() %}

impl corm::unique::Unique for {{ item.ident }} {
    const UNIQUE: &'static [corm::unique::UniqueField] = &[
{% for unique in repo.unique %}
        corm::unique::UniqueField {
            name: {{ unique.field }},
            claim: {{ unique.claim }},
            keep: {{ unique.keep }},
            release: {{ unique.release }},
            find: ({{ unique.find_head }}, {{ unique.find_tail }}),
        },
{% endfor %}
    ];
{% if repo.tenant %}
    const TENANT: bool = true;
{% endif %}
    type Owner = ({% for field in item.key.fields %}Option<{{ field.ty }}>,{% endfor %});

    fn owner(({% for field in item.key.fields %}{{ field.ident }},{% endfor %}): Self::Owner) -> Option<{{ repo.key }}> {
        Some({{ repo.key }} { {% for field in item.key.fields %}{{ field.ident }}: {{ field.ident }}?,{% endfor %} })
    }

    fn unique_value(&self, field: usize) -> Option<&dyn corm::unique::Value> {
        match field {
{% for unique in repo.unique %}
{% if unique.optional %}
            {{ unique.index }} => self.{{ unique.ident }}.as_ref().map(|value| value as &dyn corm::unique::Value),
{% else %}
            {{ unique.index }} => Some(&self.{{ unique.ident }}),
{% endif %}
{% endfor %}
            _ => None,
        }
    }
{% let patched = repo.patched_unique() %}

    fn patch_value(patch: &{{ repo.update_patch() }}, field: usize) -> Option<Option<&dyn corm::unique::Value>> {
{% if patched.is_empty() %}
        let _ = (patch, field);
        None
{% else %}
        match field {
{% for unique in patched.iter() %}
{% if unique.optional %}
            {{ unique.index }} => patch.{{ unique.ident }}.as_ref().map(|value| value.as_ref().map(|value| value as &dyn corm::unique::Value)),
{% else %}
            {{ unique.index }} => patch.{{ unique.ident }}.as_ref().map(|value| Some(value as &dyn corm::unique::Value)),
{% endif %}
{% endfor %}
            _ => None,
        }
{% endif %}
    }
}
{% endif %}

{% if !repo.own_methods %}
{% if repo.read_only %}
/// Reads `{{ item.ident }}` rows (materialized view `{{ repo.table }}`): [`corm::Repository`]'s reads.
{% else %}
/// Reads and writes `{{ item.ident }}` rows (table `{{ repo.table }}`): [`corm::Repository`]'s methods.
{% endif %}
pub type {{ repo.repo }}<'a> = corm::Repository<'a, {{ item.ident }}>;
{% else %}
{% if repo.read_only %}
/// Reads `{{ item.ident }}` rows (materialized view `{{ repo.table }}`): [`corm::Repository`]'s reads.
{% else %}
/// Reads and writes `{{ item.ident }}` rows (table `{{ repo.table }}`): [`corm::Repository`]'s methods and this model's own.
{% endif %}
#[derive(Clone, Copy, Debug)]
pub struct {{ repo.repo }}<'a> {
    pub(super) base: corm::Repository<'a, {{ item.ident }}>,
    pub(super) db: &'a Db,
}

impl<'a> std::ops::Deref for {{ repo.repo }}<'a> {
    type Target = corm::Repository<'a, {{ item.ident }}>;

    fn deref(&self) -> &Self::Target {
        &self.base
    }
}

impl {{ repo.repo }}<'_> {
    /// This repository with `options` for every call.
    #[must_use]
    pub fn with(mut self, options: corm::Options) -> Self {
        self.base = self.base.with(options);
        self
    }
{% for search in repo.vector_searches %}

    /// The `k` rows whose `{{ search.field }}` is nearest to `query` (at
    /// most 1,000), closest first, each with its similarity to `query` as
    /// Cassandra's `{{ search.similarity_function }}` computes it.
    ///
    /// ```cql
    /// {{ search.cql }}
    /// ```
    pub async fn {{ search.method }}(&self, query: &corm::Vector<{{ search.dimensions }}>, k: i32) -> corm::Result<Vec<corm::vector::Scored<{{ item.ident }}>>> {
        const INDEX: corm::vector::VectorIndex = corm::vector::VectorIndex {
            name: {{ search.index }},
            similarity: {{ search.similarity }},
        };
        const STATEMENT: corm::NamedStatement = corm::NamedStatement {
            name: "{{ search.method }}",
            key: {{ search.key }},
            head: {{ search.head }},
            tail: {{ search.tail }},
            idempotent: true,
        };
        self.base
            .nearest(&INDEX, &STATEMENT, (query, k), (query, k), |row| {% call expressions::row_vector(search.vector) %}{% endcall %})
            .await
    }
{% if let Some(text_method) = search.text_method %}

    /// [`{{ search.method }}`](Self::{{ search.method }}) of the vector the `Db`'s embedder computes for `text`.
    pub async fn {{ text_method }}(&self, text: &str, k: i32) -> corm::Result<Vec<corm::vector::Scored<{{ item.ident }}>>> {
        let query = corm::embed::embed_one::<{{ search.dimensions }}>(self.db.embedder()?, text).await?;
        self.{{ search.method }}(&query, k).await
    }
{% endif %}
{% endfor %}
{% if !repo.embeds.is_empty() %}

    /// `row` with its `@embed` vectors computed when unset, by the `Db`'s
    /// embedder:
{% for embed in repo.embeds %}
    /// `{{ embed.ident }}` from {{ embed.source_names }} (the texts that are
    /// set, one per line; none set leaves it unset).
{% endfor %}
    pub async fn embedded(&self, row: &{{ item.ident }}) -> corm::Result<{{ item.ident }}> {
        let mut row = row.clone();
{% for embed in repo.embeds %}
        if row.{{ embed.ident }}.is_none() {
            if let Some(text) = corm::embed::joined(&[{% for source in embed.sources %}{% call expressions::row_text(source) %}{% endcall %}, {% endfor %}]) {
                row.{{ embed.ident }} = Some(corm::embed::embed_one::<{{ embed.dimensions }}>(self.db.embedder()?, &text).await?);
            }
        }
{% endfor %}
        Ok(row)
    }
{% if repo.unique.is_empty() %}

    /// [`corm::Repository::insert`] of the row [`embedded`](Self::embedded).
    pub async fn insert(&self, row: &{{ item.ident }}) -> corm::Result<()> {
        let row = self.embedded(row).await?;
        self.base.insert(&row).await
    }

    /// [`corm::Repository::insert_if_not_exists`] of the row [`embedded`](Self::embedded).
    pub async fn insert_if_not_exists(&self, row: &{{ item.ident }}) -> corm::Result<bool> {
        let row = self.embedded(row).await?;
        self.base.insert_if_not_exists(&row).await
    }
{% endif %}
{% endif %}
{% if repo.counter %}

    /// Adds the deltas to the row's counters (a missing row starts at 0).
    pub async fn add(&self, key: &{{ repo.key }}, {% for counter in repo.counters %}{{ counter.param }}: i64,{% endfor %}) -> corm::Result<()> {
        self.base.add_counters(key, &[{% for counter in repo.counters %}&corm::Counter({{ counter.param }}),{% endfor %}]).await
    }

    pub async fn delete(&self, key: &{{ repo.key }}) -> corm::Result<()> {
        self.base.delete_row(key).await
    }
{% if let Some(partition) = repo.partition %}

    pub async fn delete_partition(&self, partition: &{{ partition }}) -> corm::Result<()> {
        self.base.delete_partition_rows(partition).await
    }
{% endif %}
{% endif %}
{% if !repo.unique.is_empty() %}

    /// [`corm::Repository::insert_claiming`]: claims the `@unique` values, then writes.
    pub async fn insert(&self, row: &{{ item.ident }}) -> corm::Result<()> {
{% if !repo.embeds.is_empty() %}
        let row = &self.embedded(row).await?;
{% endif %}
        self.base.insert_claiming(row).await
    }

    /// [`corm::Repository::insert_if_not_exists_claiming`].
    pub async fn insert_if_not_exists(&self, row: &{{ item.ident }}) -> corm::Result<bool> {
{% if !repo.embeds.is_empty() %}
        let row = &self.embedded(row).await?;
{% endif %}
        self.base.insert_if_not_exists_claiming(row).await
    }

    /// [`insert`](Self::insert) of each row (claims can't share a batch), 32 at once.
    pub async fn insert_many(&self, rows: impl IntoIterator<Item = {{ item.ident }}>) -> corm::BulkReport<{{ item.ident }}> {
        self.insert_stream(corm::futures::stream::iter(rows)).await
    }

    /// [`insert_many`](Self::insert_many) over a stream, 32 rows in flight.
    pub async fn insert_stream(&self, rows: impl corm::Stream<Item = {{ item.ident }}>) -> corm::BulkReport<{{ item.ident }}> {
        corm::insert_each(rows, 32, |row| async move {
            let written = self.insert(&row).await;
            (row, written)
        })
        .await
    }

    /// [`corm::Repository::delete_claiming`]: deletes, then releases the `@unique` values.
    pub async fn delete(&self, key: &{{ repo.key }}) -> corm::Result<()> {
        self.base.delete_claiming(key).await
    }
{% if let Some(partition) = repo.partition %}

    /// [`corm::Repository::delete_partition_claiming`].
    pub async fn delete_partition(&self, partition: &{{ partition }}) -> corm::Result<()> {
        self.base.delete_partition_claiming(partition).await
    }
{% endif %}

    /// [`corm::Repository::update_claiming`]: claims a `@unique` value it sets first.
    pub async fn update(&self, key: &{{ repo.key }}, patch: &{{ repo.update_patch() }}) -> corm::Result<()> {
        self.base.update_claiming(key, patch).await
    }
{% for unique in repo.unique %}

    /// The row{% if repo.tenant %} of `tenant`{% endif %} whose `{{ unique.name }}` is `value`, or `None` ([`corm::Repository::find_unique`]{% if spec.cached %}, through the cache{% endif %}).
    pub async fn find_by_{{ unique.name }}(&self, {% if let Some(tenant) = unique.tenant %}tenant: &{{ tenant.borrowed }}, {% endif %}value: {{ unique.param }}) -> corm::Result<Option<{{ repo.model }}>> {
        let row = self.base.find_unique({{ unique.index }}, {% if unique.tenant.is_some() %}Some(&tenant){% else %}None{% endif %}, &value).await?;
        Ok(row.filter(|row| {% call claims::holds_param(unique) %}{% endcall %}))
    }
{% endfor %}
{% endif %}
}
{% endif %}
{% if let Some(reserve) = repo.reserve %}

impl corm::saga::reservation::Reservable for {{ item.ident }} {
    type Stock = {{ reserve.stock_type }};

    const RESERVE: corm::saga::reservation::ReserveSpec = corm::saga::reservation::ReserveSpec {
        stock: {{ reserve.stock }},
        holds: {{ reserve.holds }},
    };
}

impl<'a> {{ repo.repo }}<'a> {
    /// The reservations of the rows' `{{ reserve.stock_field }}` (`reserve … in …`):
    /// `reserve`, `confirm`, `cancel`, `stock`, each a lightweight transaction.
    #[must_use]
    pub fn reservations(&self) -> corm::saga::reservation::Reservations<'a, {{ item.ident }}> {
        corm::saga::reservation::Reservations::new(self.base, self.db.{{ repo.batch_suffix }}_reservations())
    }
}
{% endif %}
{% if let Some(file) = queries %}
{% include "rust/queries_body.rs" %}
{% endif %}
{% if let Some(file) = relations %}
{% include "rust/relations_body.rs" %}
{% endif %}

{% import "rust/row_codecs.rs" as rows %}
{% import "rust/scoped.rs" as tenant_handles %}
{% import "rust/unique_claims.rs" as claims %}
{% import "rust/validation_checks.rs" as checks %}
{% import "rust/aggregate_rows.rs" as aggregate_rows %}
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
use super::db::Db;

{% include "rust/model_row.rs" %}

impl {{ item.ident }} {
    /// The table's CQL, from which the repository builds its statements.
{% if let Some(note) = spec.cache_note %}
    ///
    /// {{ note }}
{% endif %}
    pub const TABLE: corm::TableSpec = corm::TableSpec {
        model: {{ repo.model_literal }},
        table: {{ spec.table }},
        columns: {{ spec.columns }},
        markers: {{ spec.markers }},
        key: {{ spec.key }},
        partition: {{ spec.partition }},
        clustering: &[{% for column in spec.clustering %}{{ column }},{% endfor %}],
        updatable: &[{% for column in spec.updatable %}{{ column }},{% endfor %}],
        statics: {{ spec.statics }},
        counters: &[{% for column in spec.counters %}{{ column }},{% endfor %}],
        changes: {{ spec.changes }},
        cache: {{ spec.cache }},
        queries: &[{% for query in spec.queries %}{{ query }},{% endfor %}],
    };
}
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
            scoped: corm::tenancy::Scoped::new(*repo, Clone::clone(&tenant)),
            repo,
            tenant,
        }
{% else %}
        Self {
            scoped: corm::tenancy::Scoped::new(*repo, tenant),
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
    ///
    /// # Errors
    /// As [`{{ repo.repo }}::insert`].
    pub async fn insert(&self, row: &{{ tenant.row }}) -> corm::Result<()> {
        self.repo.insert(&self.tenant_row(row)).await
    }

    /// Writes `row` for the tenant if no row has its key, after claiming
    /// its `@unique` values; whether it was written.
    ///
    /// # Errors
    /// As [`{{ repo.repo }}::insert_if_not_exists`].
    pub async fn insert_if_not_exists(&self, row: &{{ tenant.row }}) -> corm::Result<bool> {
        self.repo.insert_if_not_exists(&self.tenant_row(row)).await
    }
{% if let Some(update) = repo.update %}

    /// Writes the set fields of `patch` to the tenant's row at `key`,
    /// claiming the `@unique` values it sets.
    ///
    /// # Errors
    /// As [`{{ repo.repo }}::update`].
    pub async fn update(&self, key: &{{ tenant.key }}, patch: &{{ update.patch }}) -> corm::Result<()> {
        self.repo.update(&self.tenant_key(key), patch).await
    }
{% endif %}

    /// Deletes the tenant's row at `key` and gives back its `@unique`
    /// values.
    ///
    /// # Errors
    /// As [`{{ repo.repo }}::delete`].
    pub async fn delete(&self, key: &{{ tenant.key }}) -> corm::Result<()> {
        self.repo.delete(&self.tenant_key(key)).await
    }
{% if repo.partition.is_some() %}

    /// Deletes every row of the tenant's partition `partition` and gives
    /// back their `@unique` values.
    ///
    /// # Errors
    /// As [`{{ repo.repo }}::delete_partition`].
    pub async fn delete_partition(&self, partition: &{{ tenant.partition }}) -> corm::Result<()> {
        let partition = <{{ item.ident }} as corm::tenancy::TenantScoped>::partition_with_tenant(&self.tenant, partition);
        self.repo.delete_partition(&partition).await
    }
{% endif %}
{% for unique in repo.unique %}

    /// The tenant's row whose `{{ unique.name }}` is `value`, or `None`.
    ///
    /// # Errors
    /// As [`{{ repo.repo }}::find_by_{{ unique.name }}`].
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

/// The statements of the `@unique` lookup tables of `{{ item.ident }}`.
#[derive(Debug)]
pub(super) struct {{ item.ident }}Claims {
{% for statement in repo.claim_statements %}
    {{ statement.ident }}: corm::Statement,
{% endfor %}
}

impl {{ item.ident }}Claims {
    pub(super) fn new(keyspace: &str) -> Self {
        let quoted = rt::quoted(keyspace);
        let statement = |before: &str, after: &str| {
            corm::Statement::new([before, quoted.as_str(), after].concat())
        };
        Self {
{% for statement in repo.claim_statements %}
            {{ statement.ident }}: statement({{ statement.before }}, {{ statement.after }}),
{% endfor %}
        }
    }
}
{% endif %}

{% if repo.read_only %}
/// Reads `{{ item.ident }}` rows (materialized view `{{ repo.table }}`, which
/// Cassandra keeps from its base table): the reads of [`corm::Repository`]
/// with this view's types (`get`, `scan`, …); there are no writes.
{% else %}
/// Reads and writes `{{ item.ident }}` rows (table `{{ repo.table }}`): the
/// methods of [`corm::Repository`] with this model's types (`get`,
{% endif %}
{% if repo.read_only %}
{% else if repo.batchable() %}
/// `insert`, `update`, `delete`, …), and this model's own below.
{% else if repo.counter %}
/// `delete`, …), and `add` for the counters.
{% else %}
/// …), and writes that claim the `@unique` values below.
{% endif %}
{% if repo.tenant %}
/// From [`AdminDb::{{ repo.accessor }}`](super::AdminDb::{{ repo.accessor }}): every tenant's rows.
{% else %}
/// From [`Db::{{ repo.accessor }}`].
{% endif %}
#[derive(Clone, Copy, Debug)]
pub struct {{ repo.repo }}<'a> {
    pub(super) base: corm::Repository<'a, {{ item.ident }}>,
    pub(super) db: &'a Db,
{% if !repo.unique.is_empty() %}
    claims: &'a {{ item.ident }}Claims,
{% endif %}
}

impl<'a> std::ops::Deref for {{ repo.repo }}<'a> {
    type Target = corm::Repository<'a, {{ item.ident }}>;

    fn deref(&self) -> &Self::Target {
        &self.base
    }
}

impl<'a> {{ repo.repo }}<'a> {
{% if repo.unique.is_empty() %}
    pub(super) fn new(db: &'a Db, base: corm::Repository<'a, {{ item.ident }}>) -> Self {
        Self { base, db }
    }
{% else %}
    pub(super) fn new(db: &'a Db, base: corm::Repository<'a, {{ item.ident }}>, claims: &'a {{ item.ident }}Claims) -> Self {
        Self { base, db, claims }
    }
{% endif %}

    /// This repository with `options` for every call.
    #[must_use]
    pub fn with(self, options: corm::Options) -> Self {
        Self { base: self.base.with(options), ..self }
    }
{% for search in repo.vector_searches %}

    /// The `k` rows whose `{{ search.field }}` is nearest to `query` (at
    /// most 1,000), closest first, each with its similarity to `query` as
    /// Cassandra's `{{ search.similarity_function }}` computes it.
    ///
    /// ```cql
    /// {{ search.cql }}
    /// ```
    ///
    /// # Errors
    /// [`corm::Error::InvalidVector`] for a query with a NaN or infinite
    /// component, the zero vector under cosine, or `k` outside 1..=1000
    /// (nothing is sent); [`corm::Error::Prepare`],
    /// [`corm::Error::Execute`] or a row that does not read.
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
            .nearest(&INDEX, &STATEMENT, (query, k), (query, k), |row| {{ search.vector }})
            .await
    }
{% if let Some(text_method) = search.text_method %}

    /// The `k` rows whose `{{ search.field }}` is nearest to the vector of
    /// `text`, computed by the `Db`'s embedder (see
    /// [`{{ search.method }}`](Self::{{ search.method }})).
    ///
    /// # Errors
    /// [`corm::Error::Embed`] when no embedder is set or it fails; as for
    /// [`{{ search.method }}`](Self::{{ search.method }}).
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
    ///
    /// # Errors
    /// [`corm::Error::Embed`] when no embedder is set or it fails.
    pub async fn embedded(&self, row: &{{ item.ident }}) -> corm::Result<{{ item.ident }}> {
        let mut row = row.clone();
{% for embed in repo.embeds %}
        if row.{{ embed.ident }}.is_none() {
            if let Some(text) = corm::embed::joined(&[{% for source in embed.sources %}{{ source }}, {% endfor %}]) {
                row.{{ embed.ident }} = Some(corm::embed::embed_one::<{{ embed.dimensions }}>(self.db.embedder()?, &text).await?);
            }
        }
{% endfor %}
        Ok(row)
    }
{% if repo.unique.is_empty() %}

    /// Writes `row` as [`corm::Repository::insert`] does, its `@embed`
    /// vectors computed first when unset ([`embedded`](Self::embedded)).
    ///
    /// # Errors
    /// [`corm::Error::Embed`], or as for [`corm::Repository::insert`].
    pub async fn insert(&self, row: &{{ item.ident }}) -> corm::Result<()> {
        let row = self.embedded(row).await?;
        self.base.insert(&row).await
    }

    /// Writes `row` as [`corm::Repository::insert_if_not_exists`] does, its
    /// `@embed` vectors computed first when unset.
    ///
    /// # Errors
    /// [`corm::Error::Embed`], or as for
    /// [`corm::Repository::insert_if_not_exists`].
    pub async fn insert_if_not_exists(&self, row: &{{ item.ident }}) -> corm::Result<bool> {
        let row = self.embedded(row).await?;
        self.base.insert_if_not_exists(&row).await
    }
{% endif %}
{% endif %}
{% if repo.counter %}

    /// Adds the deltas to the counters of the row at `key` (a negative
    /// delta subtracts; a missing row starts at 0).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn add(&self, key: &{{ repo.key }}, {% for counter in repo.counters %}{{ counter.param }}: i64,{% endfor %}) -> corm::Result<()> {
        self.base.add_counters(key, &[{% for counter in repo.counters %}&corm::Counter({{ counter.param }}),{% endfor %}]).await
    }

    /// Deletes the row at `key`, its counters with it (nothing happens when
    /// there is none).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete(&self, key: &{{ repo.key }}) -> corm::Result<()> {
        self.base.delete_row(key).await
    }
{% if let Some(partition) = repo.partition %}

    /// Deletes every row of the partition `partition`.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete_partition(&self, partition: &{{ partition }}) -> corm::Result<()> {
        self.base.delete_partition_rows(partition).await
    }
{% endif %}
{% endif %}
{% if !repo.unique.is_empty() %}

    /// Writes `row`, every column, as [`corm::Repository`]'s `insert` does,
    /// after claiming its `@unique` values.
    ///
    /// # Errors
    /// [`corm::Error::Validation`] when `row` breaks its `@validate` rules,
    /// [`corm::Error::Unique`] when another row holds one of its `@unique`
    /// values (nothing is written in either case);
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn insert(&self, row: &{{ item.ident }}) -> corm::Result<()> {
{% if !repo.embeds.is_empty() %}
        let row = &self.embedded(row).await?;
{% endif %}
        corm::Table::validate(row)?;
        let previous = self.base.get(&row.key()).await?;
        let claims = self.claim_unique(row, self.base.options().bound_ttl()).await?;
        let written = self.base.write_row(row).await;
        self.settle_claims(row, previous.as_ref(), &claims, written).await
    }

    /// Writes `row` only if no row has its primary key (`IF NOT EXISTS`, a
    /// lightweight transaction), after claiming its `@unique` values.
    /// Returns whether it was written.
    ///
    /// # Errors
    /// As for [`insert`](Self::insert), or an error reading the result of
    /// the conditional write.
    pub async fn insert_if_not_exists(&self, row: &{{ item.ident }}) -> corm::Result<bool> {
{% if !repo.embeds.is_empty() %}
        let row = &self.embedded(row).await?;
{% endif %}
        corm::Table::validate(row)?;
        let claims = self.claim_unique(row, self.base.options().bound_ttl()).await?;
        let applied = self.base.write_row_if_not_exists(row).await;
        let written = match &applied {
            Ok(applied) => *applied,
            Err(error) => !error.certainly_not_applied(),
        };
        if !written {
            // Not written: give back what this call claimed.
            self.release_new_claims(row, &claims).await?;
        }
        applied
    }

    /// Writes `rows` as [`insert`](Self::insert) does, one at a time (each
    /// claims its `@unique` values, which a batch can't hold), at most 32 at
    /// once. Every row is counted as written or reported with its error.
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

    /// Deletes the row at `key` (nothing happens when there is none) and
    /// gives back its `@unique` values.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete(&self, key: &{{ repo.key }}) -> corm::Result<()> {
        let previous = self.base.get(key).await?;
        self.base.delete_row(key).await?;
        if let Some(previous) = previous {
            self.release_dropped_claims(key, &previous, None).await?;
        }
        Ok(())
    }
{% if let Some(partition) = repo.partition %}

    /// Deletes every row of the partition `partition` and gives back their
    /// `@unique` values.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete_partition(&self, partition: &{{ partition }}) -> corm::Result<()> {
        let rows: Vec<{{ item.ident }}> = corm::TryStreamExt::try_collect(self.base.partition(partition).await?).await?;
        self.base.delete_partition_rows(partition).await?;
        for row in &rows {
            self.release_dropped_claims(&row.key(), row, None).await?;
        }
        Ok(())
    }
{% endif %}
{% if let Some(update) = repo.update %}

    /// Writes the fields of `patch` that are set to the row at `key`, as
    /// [`corm::Repository`]'s `update` does; a patch that sets a `@unique`
    /// field claims the new value first and gives the old one back after.
    ///
    /// # Errors
    /// [`corm::Error::Validation`] when `patch` breaks its `@validate` rules,
    /// [`corm::Error::Unique`] when another row holds a `@unique` value the
    /// patch sets (nothing is written in either case);
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn update(&self, key: &{{ repo.key }}, patch: &{{ update.patch }}) -> corm::Result<()> {
        <{{ item.ident }} as corm::Updatable>::validate_patch(patch)?;
{% let patched = repo.patched_unique() %}
{% if !patched.is_empty() %}
        // A patch that sets a `@unique` field claims the new value first and
        // gives the old one back after the write.
        let previous = if {% for unique in patched.iter() %}{% if !loop.first %} || {% endif %}patch.{{ unique.ident }}.is_some(){% endfor %} {
            self.base.get(key).await?
        } else {
            None
        };
        let mut claims = [None; {{ patched.len() }}];
{% for unique in patched.iter() %}
{% if unique.optional %}
        if let Some(Some(value)) = &patch.{{ unique.ident }} {
{% else %}
        if let Some(value) = &patch.{{ unique.ident }} {
{% endif %}
            match self.claim_{{ unique.name }}(value, key, corm::MaybeUnset::Unset).await {
                Ok(claim) => claims[{{ loop.index0 }}] = Some(claim),
                Err(error) => {
                    self.release_new_patch_claims({% if repo.tenant %}key, {% endif %}patch, &claims).await?;
                    return Err(error);
                }
            }
        }
{% endfor %}
{% endif %}
        let written = self.base.write_patch(key, patch).await;
{% if patched.is_empty() %}
        written
{% else %}
        if let Err(error) = written {
            if error.certainly_not_applied() {
                // A claim left behind is stale and taken over after the
                // grace period.
                let _released = self.release_new_patch_claims({% if repo.tenant %}key, {% endif %}patch, &claims).await;
            }
            return Err(error);
        }
        let Some(previous) = previous else {
            return Ok(());
        };
{% for unique in patched.iter() %}
{% if unique.optional %}
        if let (Some(new), Some(old)) = (&patch.{{ unique.ident }}, &previous.{{ unique.ident }}) {
            if new.as_ref() != Some(old) {
                self.release_held_{{ unique.name }}(old, key).await?;
            }
        }
{% else %}
        if let Some(new) = &patch.{{ unique.ident }} {
            if *new != previous.{{ unique.ident }} {
                self.release_held_{{ unique.name }}(&previous.{{ unique.ident }}, key).await?;
            }
        }
{% endif %}
{% endfor %}
        Ok(())
{% endif %}
    }
{% if !patched.is_empty() %}

    /// Gives back the claims in `claims` that were made for the values
    /// `patch` sets (not the ones its row held already).
    ///
    /// # Errors
    /// The error of a conditional delete.
    async fn release_new_patch_claims(&self, {% if repo.tenant %}key: &{{ repo.key }}, {% endif %}patch: &{{ update.patch }}, claims: &[Option<corm::unique::Claim>; {{ patched.len() }}]) -> corm::Result<()> {
{% for unique in patched.iter() %}
{% if unique.optional %}
        if let (Some(corm::unique::Claim::New(token)), Some(Some(value))) = (claims[{{ loop.index0 }}], &patch.{{ unique.ident }}) {
{% else %}
        if let (Some(corm::unique::Claim::New(token)), Some(value)) = (claims[{{ loop.index0 }}], &patch.{{ unique.ident }}) {
{% endif %}
            self.release_{{ unique.name }}({% if let Some(tenant) = unique.tenant %}&key.{{ tenant.ident }}, {% endif %}value, Some(token)).await?;
        }
{% endfor %}
        Ok(())
    }
{% endif %}
{% endif %}
{% endif %}
{% if !repo.unique.is_empty() %}
{% for unique in repo.unique %}

{% if repo.tenant %}
    /// The row of `tenant` whose `{{ unique.name }}` is `value` (each tenant
    /// has its own values), found through its `@unique` lookup table, or
    /// `None`. A claim whose row does not hold the value (left by a
    /// cancelled write) finds nothing.
{% else %}
    /// The row whose `{{ unique.name }}` is `value`, found through its
    /// `@unique` lookup table, or `None`. A claim whose row does not hold
    /// the value (left by a cancelled write) finds nothing.
{% endif %}
{% if spec.cached %}
    ///
    /// Through the model's cache: the owner found for a value is kept
    /// until any write of the model, then the row is read through the
    /// cache as `get` reads it.
{% endif %}
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading a row.
    pub async fn find_by_{{ unique.name }}(&self, {% if let Some(tenant) = unique.tenant %}tenant: &{{ tenant.borrowed }}, {% endif %}value: {{ unique.param }}) -> corm::Result<Option<{{ repo.model }}>> {
        let owner = self.base.unique_owner(
            corm::unique::LOOKUP_STATEMENTS{% if unique.index > 0 %} + {{ unique.index }}{% endif %},
            &self.claims.find_{{ unique.name }},
            &({% if unique.tenant.is_some() %}tenant, {% endif %}{% if !unique.optional && unique.param_kind == UniqueParam::Owned %}&value{% else %}value{% endif %},),
            || async move {
                let held = self.{{ unique.name }}_claim({% if unique.tenant.is_some() %}tenant, {% endif %}{% if !unique.optional && unique.param_kind == UniqueParam::Owned %}&value{% else %}value{% endif %}).await?;
                Ok(held.and_then(|held| held.owner))
            },
        ).await?;
        let Some(owner) = owner else {
            return Ok(None);
        };
        Ok(self.base.get(&owner).await?.filter(|row| {% call claims::holds_param(unique) %}{% endcall %}))
    }

    /// The claim of `value` in the lookup table of `{{ unique.name }}`, if any.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading the row.
    async fn {{ unique.name }}_claim<V>(&self, {% if let Some(tenant) = unique.tenant %}tenant: &{{ tenant.borrowed }}, {% endif %}value: &V) -> corm::Result<Option<corm::unique::Held<{{ repo.key }}>>>
    where
        V: rt::SerializeValue + Sync + ?Sized,
    {
        let prepared = self.claims.find_{{ unique.name }}.prepared(self.base.session()).await?;
        let claim = self.base
            .session()
            .execute_first::<({% for (field, column, ty) in unique.owner %}Option<{{ ty }}>,{% endfor %} Option<corm::unique::ClaimToken>, Option<i64>, i64)>(prepared, ({% if unique.tenant.is_some() %}tenant, {% endif %}value,))
            .await?;
        Ok(claim.map(|({% for (field, column, ty) in unique.owner %}{{ field }},{% endfor %} token, written_micros, now_millis)| corm::unique::Held {
            owner: match ({% for (field, column, ty) in unique.owner %}{{ field }},{% endfor %}) {
                ({% for (field, column, ty) in unique.owner %}Some({{ field }}),{% endfor %}) => Some({{ repo.key }} { {% for (field, column, ty) in unique.owner %}{{ field }},{% endfor %} }),
                _ => None,
            },
            token,
            written_micros,
            now_millis,
        }))
    }

    /// Claims `value` of `{{ unique.name }}` for the row at `key` in the
    /// lookup table, with a new token (`INSERT … IF NOT EXISTS`, living as
    /// long as the row: `ttl`, or the table's default when unset).
    ///
    /// The row's own claim (from an earlier write of it, perhaps a cancelled
    /// one) is renewed with the new token, so that a release still in flight
    /// from that write can't remove it. Another row's claim is taken over
    /// when it is stale: that row does not hold the value and the claim is
    /// older than the session's grace period (see [`corm::unique`]).
    ///
    /// # Errors
    /// [`corm::Error::Unique`] when another row holds the value, or the
    /// error of a conditional write.
    async fn claim_{{ unique.name }}(&self, value: &{{ unique.ty }}, key: &{{ repo.key }}, ttl: corm::MaybeUnset<i32>) -> corm::Result<corm::unique::Claim> {
        let claim = self.claims.claim_{{ unique.name }}.prepared(self.base.session()).await?;
        for _ in 0..corm::unique::ATTEMPTS {
            let token = corm::unique::new_token();
            let result = self.base
                .session()
                .execute(claim, (value, {% for (field, column, ty) in unique.owner %}&key.{{ field }},{% endfor %} token, ttl))
                .await?;
            if corm::lwt::was_applied(claim.get_statement(), result)? {
                return Ok(corm::unique::Claim::New(token));
            }
            let Some(held) = self.{{ unique.name }}_claim({% if let Some(tenant) = unique.tenant %}&key.{{ tenant.ident }}, {% endif %}value).await? else {
                // Given back since: claim it again.
                continue;
            };
            if held.owner.as_ref() == Some(key) {
                let keep = self.claims.keep_{{ unique.name }}.prepared(self.base.session()).await?;
                let result = self.base
                    .session()
                    .execute(keep, (ttl, {% for (field, column, ty) in unique.kept %}&key.{{ field }},{% endfor %} token, {% if let Some(tenant) = unique.tenant %}&key.{{ tenant.ident }}, {% endif %}value, held.token))
                    .await?;
                if corm::lwt::was_applied(keep.get_statement(), result)? {
                    return Ok(corm::unique::Claim::Kept(token));
                }
                continue;
            }
            let holds = match &held.owner {
                Some(owner) => self.base.get(owner).await?.is_some_and(|row| {% call claims::holds(unique) %}{% endcall %}),
                None => false,
            };
            if holds || !held.is_older_than(self.base.session().unique_claim_grace()) {
                break;
            }
            // A stale claim: give it back for its row, then claim again.
            self.release_{{ unique.name }}({% if let Some(tenant) = unique.tenant %}&key.{{ tenant.ident }}, {% endif %}value, held.token).await?;
        }
        Err(corm::unique::taken({{ repo.model_literal }}, {{ unique.field }}, format!("{value:?}")))
    }

    /// Deletes the claim of `value` of `{{ unique.name }}` if it still has
    /// `token` (`DELETE … IF corm_claim = ?`: a claim renewed or made since
    /// is left alone).
    ///
    /// # Errors
    /// The error of the conditional delete.
    async fn release_{{ unique.name }}(&self, {% if let Some(tenant) = unique.tenant %}tenant: &{{ tenant.borrowed }}, {% endif %}value: &{{ unique.ty }}, token: Option<corm::unique::ClaimToken>) -> corm::Result<()> {
        let prepared = self.claims.release_{{ unique.name }}.prepared(self.base.session()).await?;
        self.base.session().execute(prepared, ({% if unique.tenant.is_some() %}tenant, {% endif %}value, token)).await?;
        Ok(())
    }

    /// Gives `value` of `{{ unique.name }}` back if the row at `key` holds
    /// its claim, naming the claim's token as read.
    ///
    /// # Errors
    /// The error of the read or of the conditional delete.
    async fn release_held_{{ unique.name }}(&self, value: &{{ unique.ty }}, key: &{{ repo.key }}) -> corm::Result<()> {
        if let Some(held) = self.{{ unique.name }}_claim({% if let Some(tenant) = unique.tenant %}&key.{{ tenant.ident }}, {% endif %}value).await? {
            if held.owner.as_ref() == Some(key) {
                self.release_{{ unique.name }}({% if let Some(tenant) = unique.tenant %}&key.{{ tenant.ident }}, {% endif %}value, held.token).await?;
            }
        }
        Ok(())
    }
{% endfor %}

    /// Claims the `@unique` values of `row` for it, in field order. On a
    /// conflict it gives back the claims it made and fails.
    ///
    /// # Errors
    /// [`corm::Error::Unique`] naming the field and value, or the error of a
    /// conditional write.
    async fn claim_unique(&self, row: &{{ repo.model }}, ttl: corm::MaybeUnset<i32>) -> corm::Result<[Option<corm::unique::Claim>; {{ repo.unique.len() }}]> {
        let key = row.key();
        let mut claims = [None; {{ repo.unique.len() }}];
{% for unique in repo.unique %}
{% if unique.optional %}
        if let Some(value) = &row.{{ unique.ident }} {
{% else %}
        {
            let value = &row.{{ unique.ident }};
{% endif %}
            match self.claim_{{ unique.name }}(value, &key, ttl).await {
                Ok(claim) => claims[{{ loop.index0 }}] = Some(claim),
                Err(error) => {
                    self.release_new_claims(row, &claims).await?;
                    return Err(error);
                }
            }
        }
{% endfor %}
        Ok(claims)
    }

    /// Gives back the claims in `claims` that were made for `row` (not the
    /// ones it held already).
    ///
    /// # Errors
    /// The error of a conditional delete.
    async fn release_new_claims(&self, row: &{{ repo.model }}, claims: &[Option<corm::unique::Claim>; {{ repo.unique.len() }}]) -> corm::Result<()> {
{% for unique in repo.unique %}
{% if unique.optional %}
        if let (Some(corm::unique::Claim::New(token)), Some(value)) = (claims[{{ loop.index0 }}], &row.{{ unique.ident }}) {
            self.release_{{ unique.name }}({% if let Some(tenant) = unique.tenant %}&row.{{ tenant.ident }}, {% endif %}value, Some(token)).await?;
        }
{% else %}
        if let Some(corm::unique::Claim::New(token)) = claims[{{ loop.index0 }}] {
            self.release_{{ unique.name }}({% if let Some(tenant) = unique.tenant %}&row.{{ tenant.ident }}, {% endif %}&row.{{ unique.ident }}, Some(token)).await?;
        }
{% endif %}
{% endfor %}
        Ok(())
    }

    /// Gives back every `@unique` value `row` (a row as it was before a
    /// write or delete at `key`) holds that `now` (the row as written, if
    /// any) does not.
    ///
    /// # Errors
    /// The error of a read or of a conditional delete.
    async fn release_dropped_claims(&self, key: &{{ repo.key }}, row: &{{ repo.model }}, now: Option<&{{ repo.model }}>) -> corm::Result<()> {
{% for unique in repo.unique %}
{% if unique.optional %}
        if let Some(value) = &row.{{ unique.ident }} {
            if now.is_none_or(|now| now.{{ unique.ident }}.as_ref() != Some(value)) {
                self.release_held_{{ unique.name }}(value, key).await?;
            }
        }
{% else %}
        if now.is_none_or(|now| now.{{ unique.ident }} != row.{{ unique.ident }}) {
            self.release_held_{{ unique.name }}(&row.{{ unique.ident }}, key).await?;
        }
{% endif %}
{% endfor %}
        Ok(())
    }

    /// Settles the claims of a write of `row`: when it certainly failed,
    /// gives back the claims it made and returns its error (after a timeout
    /// the row may have been written, so its claims stay); when it
    /// succeeded, gives back the values `previous` (the row before) held
    /// that `row` no longer does.
    ///
    /// # Errors
    /// The write's error, or the error of a read or conditional delete.
    async fn settle_claims(
        &self,
        row: &{{ repo.model }},
        previous: Option<&{{ repo.model }}>,
        claims: &[Option<corm::unique::Claim>; {{ repo.unique.len() }}],
        written: corm::Result<()>,
    ) -> corm::Result<()> {
        if let Err(error) = written {
            if error.certainly_not_applied() {
                // The write's error is the one to report; a claim left
                // behind is stale and taken over after the grace period.
                let _released = self.release_new_claims(row, claims).await;
            }
            return Err(error);
        }
        match previous {
            Some(previous) => self.release_dropped_claims(&row.key(), previous, Some(row)).await,
            None => Ok(()),
        }
    }
{% endif %}
}
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

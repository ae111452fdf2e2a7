//! The [`Db`] handle and one repository per model: every statement's CQL is
//! built once, with the keyspace, when the `Db` is created, and prepared on
//! first use.

use std::sync::Arc;

use super::types::{ {% for name in file.uses %}{{ name }},{% endfor %} };
{% if file.has_update() %}

/// The cache key bit of an update with `USING TTL ? AND TIMESTAMP ?`; the
/// lower bits are its set of columns.
const UPDATE_USING: u64 = 1 << 63;
{% endif %}

/// The schema's repositories on one session and keyspace.
///
/// Cheap to clone (an `Arc` bump); clones share the prepared statements.
/// Reach a model's repository through the method named after the model in
/// snake_case (`Order` → `db.order()`).
#[derive(Clone, Debug)]
pub struct Db {
    inner: Arc<DbInner>,
}

#[derive(Debug)]
struct DbInner {
    session: corm::Session,
    keyspace: String,
{% for repo in file.repos %}
    {{ repo.accessor }}: {{ repo.statements_ident }},
{% endfor %}
}

impl Db {
    /// The repositories on `session`, for the tables of `keyspace` (its
    /// name as stored: it is always quoted in the CQL, so case matters).
    /// Builds the text of every statement; nothing is sent until first use.
    pub fn new(session: corm::Session, keyspace: impl Into<String>) -> Self {
        let keyspace = keyspace.into();
        let quoted = corm::rt::quoted(&keyspace);
        let statement = |before: &str, after: &str| {
            corm::Statement::new([before, quoted.as_str(), after].concat())
        };
        Self {
            inner: Arc::new(DbInner {
{% for repo in file.repos %}
                {{ repo.accessor }}: {{ repo.statements_ident }} {
{% for statement in repo.statements %}
                    {{ statement.ident }}: statement({{ statement.before }}, {{ statement.after }}),
{% endfor %}
{% if repo.builds_statements %}
                    table: [quoted.as_str(), {{ repo.table_after }}].concat(),
{% endif %}
{% if repo.extra %}
                    extra: corm::rt::StatementCache::new(),
{% endif %}
{% if repo.update.is_some() %}
                    update: corm::rt::StatementCache::new(),
{% endif %}
{% if repo.range.is_some() %}
                    range: corm::rt::StatementCache::new(),
{% endif %}
                },
{% endfor %}
                session,
                keyspace,
            }),
        }
    }
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
    /// The same code sets up any keyspace: a test's, a tenant's, a copy.
    ///
    /// # Errors
{% if file.migrations %}
    /// As for [`migrate`](Self::migrate).
{% else %}
    /// [`corm::Error::Execute`] naming the statement the cluster refused, or
    /// [`corm::Error::SchemaAgreement`].
{% endif %}
    pub async fn setup(&self) -> corm::Result<()> {
{% if file.migrations %}
        self.migrate().await.map(drop)
{% else %}
        for statement in super::SCHEMA_STATEMENTS {
            self.inner.session.run_ddl(&statement.text(&self.inner.keyspace)).await?;
        }
        Ok(())
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

    /// The keyspace of the tables, as stored.
    #[must_use]
    pub fn keyspace(&self) -> &str {
        &self.inner.keyspace
    }
{% if file.has_batch() %}

    /// An empty logged batch: its writes, across repositories and
    /// partitions, apply all or none.
    #[must_use]
    pub fn batch_logged(&self) -> Batch<'_> {
        Batch::new(self, true)
    }

    /// An empty unlogged batch: one request, not atomic across partitions
    /// (the right choice for writes to one partition).
    #[must_use]
    pub fn batch_unlogged(&self) -> Batch<'_> {
        Batch::new(self, false)
    }
{% endif %}
{% for repo in file.repos %}

    /// The repository of `{{ repo.model }}` rows (table `{{ repo.table }}`).
    #[must_use]
    pub fn {{ repo.accessor }}(&self) -> {{ repo.repo }}<'_> {
        {{ repo.repo }} {
{% if repo.loads_relations %}
            db: self,
{% endif %}
            session: &self.inner.session,
            statements: &self.inner.{{ repo.accessor }},
        }
    }
{% endfor %}
}
{% for repo in file.repos %}

/// The statements of `{{ repo.model }}`, with the keyspace in their text.
#[derive(Debug)]
pub(super) struct {{ repo.statements_ident }} {
{% for statement in repo.statements %}
    {{ statement.ident }}: corm::Statement,
{% endfor %}
{% if repo.builds_statements %}
    /// The table, qualified with the keyspace.
    pub(super) table: String,
{% endif %}
{% if repo.extra %}
    /// The statements of the methods other files add to the repository
    /// (named queries and aggregates in `queries.rs` under keys below
    /// `1 << 32`, relation loaders in `relations.rs` from `1 << 32`), built
    /// on first use.
    pub(super) extra: corm::rt::StatementCache,
{% endif %}
{% if repo.update.is_some() %}
    /// `update`, one statement per set of columns.
    update: corm::rt::StatementCache,
{% endif %}
{% if repo.range.is_some() %}
    /// `partition_range`, one statement per shape of range.
    range: corm::rt::StatementCache,
{% endif %}
}

{% if let Some(update) = repo.update %}
impl {{ repo.statements_ident }} {
    /// The update of the columns whose bits are set in `mask`, with
    /// `USING TTL ? AND TIMESTAMP ?` when it has [`UPDATE_USING`]; built on
    /// first use of the mask.
    fn update_statement(&self, mask: u64) -> corm::rt::Cached<'_> {
        self.update.get(mask, || {
            let head = if mask & UPDATE_USING == 0 { " SET " } else { " USING TTL ? AND TIMESTAMP ? SET " };
{% if let Some((statics, by_partition)) = update.statics %}
            // Static columns alone are updated by partition.
            let tail = if mask & !(UPDATE_USING | {{ statics }}) == 0 { {{ by_partition }} } else { {{ update.tail }} };
{% endif %}
            corm::rt::update_text(
                &["UPDATE ", self.table.as_str(), head].concat(),
                &[{% for column in update.columns %}{{ column }},{% endfor %}],
                mask,
{% if update.statics.is_some() %}
                tail,
{% else %}
                {{ update.tail }},
{% endif %}
            )
        })
    }
}

{% endif %}
/// Reads and writes `{{ repo.model }}` rows (table `{{ repo.table }}`);
/// borrows the [`Db`] it comes from.
#[derive(Clone, Copy, Debug)]
pub struct {{ repo.repo }}<'a> {
{% if repo.loads_relations %}
    pub(super) db: &'a Db,
{% endif %}
    pub(super) session: &'a corm::Session,
    pub(super) statements: &'a {{ repo.statements_ident }},
}

impl {{ repo.repo }}<'_> {
{% if repo.counter %}
    /// Adds the deltas to the counters of the row at `key` (a negative
    /// delta subtracts; a missing row starts at 0).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn add(&self, key: &{{ repo.key }}, {% for counter in repo.counters %}{{ counter.param }}: i64,{% endfor %}) -> corm::Result<()> {
        let prepared = self.statements.add.prepared(self.session).await?;
        let values = ({% for counter in repo.counters %}corm::Counter({{ counter.param }}),{% endfor %}{% for field in repo.key_fields %}&key.{{ field }},{% endfor %});
        self.session.execute(prepared, values).await?;
        Ok(())
    }
{% else %}
    /// Writes `row`, every column (a null for each `None`, an empty
    /// collection for each empty one): an upsert.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
{% if repo.validates %}
    /// [`corm::Error::Validation`] when `row` breaks its `@validate` rules
    /// (nothing is written).
{% endif %}
{% if !repo.unique.is_empty() %}
    /// [`corm::Error::Unique`] when another row holds one of its `@unique`
    /// values (nothing is written).
{% endif %}
    pub async fn insert(&self, row: &{{ repo.model }}) -> corm::Result<()> {
{% if repo.validates %}
        row.validate()?;
{% endif %}
        let prepared = self.statements.insert.prepared(self.session).await?;
{% if repo.unique.is_empty() %}
        self.session.execute(prepared, row).await?;
        Ok(())
{% else %}
        let previous = self.get(&row.key()).await?;
        let claims = self.claim_unique(row, corm::MaybeUnset::Unset).await?;
        let written = self.session.execute(prepared, row).await.map(drop);
        self.settle_claims(row, previous.as_ref(), &claims, written).await
{% endif %}
    }

    /// Writes `row` as [`insert`](Self::insert) does, with the options of
    /// `options`: its time to live and write time are bound to
    /// `USING TTL ? AND TIMESTAMP ?`.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
{% if repo.validates %}
    /// [`corm::Error::Validation`] when `row` breaks its `@validate` rules
    /// (nothing is written).
{% endif %}
{% if !repo.unique.is_empty() %}
    /// [`corm::Error::Unique`] when another row holds one of its `@unique`
    /// values (nothing is written).
{% endif %}
    pub async fn insert_with(&self, row: &{{ repo.model }}, options: &corm::WriteOptions) -> corm::Result<()> {
{% if repo.validates %}
        row.validate()?;
{% endif %}
        let prepared = self.statements.insert_with.prepared(self.session).await?;
{% if repo.unique.is_empty() %}
        self.session
            .execute(&options.apply(prepared), corm::rt::with_ttl_and_timestamp(row, options))
            .await?;
        Ok(())
{% else %}
        let previous = self.get(&row.key()).await?;
        let claims = self.claim_unique(row, options.bound_ttl()).await?;
        let written = self
            .session
            .execute(&options.apply(prepared), corm::rt::with_ttl_and_timestamp(row, options))
            .await
            .map(drop);
        self.settle_claims(row, previous.as_ref(), &claims, written).await
{% endif %}
    }

    /// Writes `row` only if no row has its primary key (`IF NOT EXISTS`, a
    /// lightweight transaction). Returns whether it was written.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading the result of the conditional write.
{% if repo.validates %}
    /// [`corm::Error::Validation`] when `row` breaks its `@validate` rules
    /// (nothing is written).
{% endif %}
{% if !repo.unique.is_empty() %}
    /// [`corm::Error::Unique`] when another row holds one of its `@unique`
    /// values (nothing is written).
{% endif %}
    pub async fn insert_if_not_exists(&self, row: &{{ repo.model }}) -> corm::Result<bool> {
{% if repo.validates %}
        row.validate()?;
{% endif %}
        let prepared = self.statements.insert_if_not_exists.prepared(self.session).await?;
{% if repo.unique.is_empty() %}
        let result = self.session.execute(prepared, row).await?;
        corm::lwt::was_applied(prepared.get_statement(), result)
{% else %}
        let claims = self.claim_unique(row, corm::MaybeUnset::Unset).await?;
        let applied = self
            .session
            .execute(prepared, row)
            .await
            .and_then(|result| corm::lwt::was_applied(prepared.get_statement(), result));
        let written = match &applied {
            Ok(applied) => *applied,
            Err(error) => !error.certainly_not_applied(),
        };
        if !written {
            // Not written: give back what this call claimed.
            self.release_new_claims(row, &claims).await?;
        }
        applied
{% endif %}
    }
{% endif %}

    /// The row at `key`, or `None` when there is none.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading the row.
    pub async fn get(&self, key: &{{ repo.key }}) -> corm::Result<Option<{{ repo.model }}>> {
        let prepared = self.statements.get.prepared(self.session).await?;
        self.session.execute_first(prepared, key).await
    }

    /// The row at `key` as [`get`](Self::get) reads it, with the
    /// consistency and timeout of `options`.
    ///
    /// # Errors
    /// As for [`get`](Self::get).
    pub async fn get_with(&self, key: &{{ repo.key }}, options: &corm::ReadOptions) -> corm::Result<Option<{{ repo.model }}>> {
        let prepared = self.statements.get.prepared(self.session).await?;
        self.session.execute_first(&options.apply(prepared), key).await
    }

    /// Deletes the row at `key` (nothing happens when there is none).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete(&self, key: &{{ repo.key }}) -> corm::Result<()> {
        let prepared = self.statements.delete.prepared(self.session).await?;
{% if repo.unique.is_empty() %}
        self.session.execute(prepared, key).await?;
{% else %}
        let previous = self.get(key).await?;
        self.session.execute(prepared, key).await?;
        if let Some(previous) = previous {
            self.release_dropped_claims(key, &previous, None).await?;
        }
{% endif %}
        Ok(())
    }

    /// Deletes the row at `key` as [`delete`](Self::delete) does, with the
    /// consistency, timeout and write time of `options` (a TTL does not
    /// apply to a delete and is ignored).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete_with(&self, key: &{{ repo.key }}, options: &corm::WriteOptions) -> corm::Result<()> {
        let prepared = self.statements.delete.prepared(self.session).await?;
{% if repo.unique.is_empty() %}
        self.session.execute(&options.apply(prepared), key).await?;
{% else %}
        let previous = self.get(key).await?;
        self.session.execute(&options.apply(prepared), key).await?;
        if let Some(previous) = previous {
            self.release_dropped_claims(key, &previous, None).await?;
        }
{% endif %}
        Ok(())
    }
{% if let Some(update) = repo.update %}

    /// Writes the fields of `patch` that are set to the row at `key`, and
    /// nothing else, in one `UPDATE … SET … WHERE <key>`.
{% if update.has_now() %}
    /// The `@on_update(now)` columns are set to now by every update.
{% else %}
    /// An empty patch writes nothing.
{% endif %}
    ///
    /// An upsert: a missing row is created. As any CQL update it writes no
    /// row marker, so a row made by updates alone stops existing when all
    /// its non-key columns are null. Each distinct set of columns is
    /// prepared once.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
{% if repo.patch_validates %}
    /// [`corm::Error::Validation`] when `patch` breaks its `@validate` rules
    /// (nothing is written).
{% endif %}
{% if !repo.patched_unique().is_empty() %}
    /// [`corm::Error::Unique`] when another row holds a `@unique` value the
    /// patch sets (nothing is written).
{% endif %}
    pub async fn update(&self, key: &{{ repo.key }}, patch: &{{ update.patch }}) -> corm::Result<()> {
        self.write_patch(key, patch, None).await
    }

    /// Writes `patch` as [`update`](Self::update) does, with the options of
    /// `options`: its time to live and write time are bound to
    /// `USING TTL ? AND TIMESTAMP ?` (the TTL applies to the columns
    /// written).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
{% if repo.patch_validates %}
    /// [`corm::Error::Validation`] when `patch` breaks its `@validate` rules
    /// (nothing is written).
{% endif %}
{% if !repo.patched_unique().is_empty() %}
    /// [`corm::Error::Unique`] when another row holds a `@unique` value the
    /// patch sets (nothing is written).
{% endif %}
    pub async fn update_with(&self, key: &{{ repo.key }}, patch: &{{ update.patch }}, options: &corm::WriteOptions) -> corm::Result<()> {
        self.write_patch(key, patch, Some(options)).await
    }

    /// The update of `patch` at `key`, with `options` in `USING` when given;
    /// the values are bound from a stack array, without allocating.
    async fn write_patch(&self, key: &{{ repo.key }}, patch: &{{ update.patch }}, options: Option<&corm::WriteOptions>) -> corm::Result<()> {
{% if repo.patch_validates %}
        patch.validate()?;
{% endif %}
{% let patched = repo.patched_unique() %}
{% for step in update.steps %}
{% if let Some(now) = step.now %}
        let {{ step.ident }} = {{ now }};
{% endif %}
{% endfor %}
        let using = options.map(|options| (options.bound_ttl(), options.bound_timestamp()));
        let mut values: [&(dyn corm::rt::SerializeValue + Sync); {{ update.capacity }}] = [&corm::Unset; {{ update.capacity }}];
        let mut count = 0;
        if let Some((ttl, timestamp)) = &using {
            values[0] = ttl;
            values[1] = timestamp;
            count = 2;
        }
        let mut mask = 0_u64;
{% for step in update.steps %}
{% if step.now.is_some() %}
        mask |= {{ step.flag }};
        values[count] = &{{ step.ident }};
        count += 1;
{% else %}
        if let Some(value) = &patch.{{ step.ident }} {
            mask |= {{ step.flag }};
            values[count] = value;
            count += 1;
        }
{% endif %}
{% endfor %}
        if mask == 0 {
            return Ok(());
        }
{% if let Some((statics, by_partition)) = update.statics %}
{% for field in update.key_split.0 %}
        values[count] = &key.{{ field }};
        count += 1;
{% endfor %}
        // Static columns alone are updated by partition: no clustering key.
        if mask & !{{ statics }} != 0 {
{% for field in update.key_split.1 %}
            values[count] = &key.{{ field }};
            count += 1;
{% endfor %}
        }
{% else %}
{% for field in repo.key_fields %}
        values[count] = &key.{{ field }};
        count += 1;
{% endfor %}
{% endif %}
        let statement = self.statements.update_statement(if using.is_some() { mask | UPDATE_USING } else { mask });
        let prepared = statement.prepared(self.session).await?;
{% if !patched.is_empty() %}
        // A patch that sets a `@unique` field claims the new value first and
        // gives the old one back after the write.
        let previous = if {% for unique in patched.iter() %}{% if !loop.first %} || {% endif %}patch.{{ unique.ident }}.is_some(){% endfor %} {
            self.get(key).await?
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
                    self.release_new_patch_claims(patch, &claims).await?;
                    return Err(error);
                }
            }
        }
{% endfor %}
{% endif %}
        let written = match options {
            Some(options) => self.session.execute(&options.apply(prepared), &values[..count]).await,
            None => self.session.execute(prepared, &values[..count]).await,
        };
{% if patched.is_empty() %}
        written?;
        Ok(())
{% else %}
        if let Err(error) = written {
            if error.certainly_not_applied() {
                // A claim left behind is stale and taken over after the
                // grace period.
                let _released = self.release_new_patch_claims(patch, &claims).await;
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
    async fn release_new_patch_claims(&self, patch: &{{ update.patch }}, claims: &[Option<corm::unique::Claim>; {{ patched.len() }}]) -> corm::Result<()> {
{% for unique in patched.iter() %}
{% if unique.optional %}
        if let (Some(corm::unique::Claim::New(token)), Some(Some(value))) = (claims[{{ loop.index0 }}], &patch.{{ unique.ident }}) {
{% else %}
        if let (Some(corm::unique::Claim::New(token)), Some(value)) = (claims[{{ loop.index0 }}], &patch.{{ unique.ident }}) {
{% endif %}
            self.release_{{ unique.name }}(value, Some(token)).await?;
        }
{% endfor %}
        Ok(())
    }
{% endif %}
{% endif %}
{% if !repo.unique.is_empty() %}
{% for unique in repo.unique %}

    /// The row whose `{{ unique.name }}` is `value`, found through its
    /// `@unique` lookup table, or `None`. A claim whose row does not hold
    /// the value (left by a cancelled write) finds nothing.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading a row.
    pub async fn find_by_{{ unique.name }}(&self, value: {{ unique.param }}) -> corm::Result<Option<{{ repo.model }}>> {
        let owner = match self.{{ unique.name }}_claim({{ unique.param_ref }}).await? {
            Some(corm::unique::Held { owner: Some(owner), .. }) => owner,
            _ => return Ok(None),
        };
        Ok(self.get(&owner).await?.filter(|row| {{ unique.holds_param }}))
    }

    /// The claim of `value` in the lookup table of `{{ unique.name }}`, if any.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading the row.
    async fn {{ unique.name }}_claim<V>(&self, value: &V) -> corm::Result<Option<corm::unique::Held<{{ repo.key }}>>>
    where
        V: corm::rt::SerializeValue + Sync + ?Sized,
    {
        let prepared = self.statements.find_{{ unique.name }}.prepared(self.session).await?;
        let claim = self
            .session
            .execute_first::<({% for (field, column, ty) in unique.owner %}Option<{{ ty }}>,{% endfor %} Option<corm::unique::ClaimToken>, Option<i64>, i64)>(prepared, (value,))
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
        let claim = self.statements.claim_{{ unique.name }}.prepared(self.session).await?;
        for _ in 0..corm::unique::ATTEMPTS {
            let token = corm::unique::new_token();
            let result = self
                .session
                .execute(claim, (value, {% for (field, column, ty) in unique.owner %}&key.{{ field }},{% endfor %} token, ttl))
                .await?;
            if corm::lwt::was_applied(claim.get_statement(), result)? {
                return Ok(corm::unique::Claim::New(token));
            }
            let Some(held) = self.{{ unique.name }}_claim(value).await? else {
                // Given back since: claim it again.
                continue;
            };
            if held.owner.as_ref() == Some(key) {
                let keep = self.statements.keep_{{ unique.name }}.prepared(self.session).await?;
                let result = self
                    .session
                    .execute(keep, (ttl, {% for (field, column, ty) in unique.owner %}&key.{{ field }},{% endfor %} token, value, held.token))
                    .await?;
                if corm::lwt::was_applied(keep.get_statement(), result)? {
                    return Ok(corm::unique::Claim::Kept(token));
                }
                continue;
            }
            let holds = match &held.owner {
                Some(owner) => self.get(owner).await?.is_some_and(|row| {{ unique.holds }}),
                None => false,
            };
            if holds || !held.is_older_than(self.session.unique_claim_grace()) {
                break;
            }
            // A stale claim: give it back for its row, then claim again.
            self.release_{{ unique.name }}(value, held.token).await?;
        }
        Err(corm::Error::Unique {
            model: {{ repo.model_literal }},
            field: {{ unique.field }},
            value: format!("{value:?}"),
        })
    }

    /// Deletes the claim of `value` of `{{ unique.name }}` if it still has
    /// `token` (`DELETE … IF corm_claim = ?`: a claim renewed or made since
    /// is left alone).
    ///
    /// # Errors
    /// The error of the conditional delete.
    async fn release_{{ unique.name }}(&self, value: &{{ unique.ty }}, token: Option<corm::unique::ClaimToken>) -> corm::Result<()> {
        let prepared = self.statements.release_{{ unique.name }}.prepared(self.session).await?;
        self.session.execute(prepared, (value, token)).await?;
        Ok(())
    }

    /// Gives `value` of `{{ unique.name }}` back if the row at `key` holds
    /// its claim, naming the claim's token as read.
    ///
    /// # Errors
    /// The error of the read or of the conditional delete.
    async fn release_held_{{ unique.name }}(&self, value: &{{ unique.ty }}, key: &{{ repo.key }}) -> corm::Result<()> {
        if let Some(held) = self.{{ unique.name }}_claim(value).await? {
            if held.owner.as_ref() == Some(key) {
                self.release_{{ unique.name }}(value, held.token).await?;
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
            self.release_{{ unique.name }}(value, Some(token)).await?;
        }
{% else %}
        if let Some(corm::unique::Claim::New(token)) = claims[{{ loop.index0 }}] {
            self.release_{{ unique.name }}(&row.{{ unique.ident }}, Some(token)).await?;
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
{% if let Some(partition) = repo.partition %}

    /// Deletes every row of the partition `partition`.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete_partition(&self, partition: &{{ partition }}) -> corm::Result<()> {
        let prepared = self.statements.delete_partition.prepared(self.session).await?;
{% if repo.unique.is_empty() %}
        self.session.execute(prepared, partition).await?;
{% else %}
        // The rows' `@unique` values are given back after the delete.
        let rows: Vec<{{ repo.model }}> = corm::TryStreamExt::try_collect(
            self.partition(partition, &corm::ReadOptions::default()).await?,
        )
        .await?;
        self.session.execute(prepared, partition).await?;
        for row in &rows {
            self.release_dropped_claims(&row.key(), row, None).await?;
        }
{% endif %}
        Ok(())
    }

    /// The rows of the partition `partition`, in clustering order, fetched a
    /// page at a time (`options.page_size` rows per page).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::InvalidPageSize`], or the
    /// first page's error; later failures are items of the stream.
    pub async fn partition(
        &self,
        partition: &{{ partition }},
        options: &corm::ReadOptions,
    ) -> corm::Result<impl corm::Stream<Item = corm::Result<{{ repo.model }}>> + Send + Unpin + 'static> {
        let prepared = self.statements.partition.prepared(self.session).await?;
        corm::paging::stream(self.session, options.apply(prepared), partition, options.page_size).await
    }
{% endif %}
{% if let Some(range) = repo.range %}
{% if let Some(partition) = repo.partition %}

    /// The rows of the partition `partition` whose first clustering column
    /// ({{ range.column }}) lies between `from` and `to`, in the direction
    /// `order` of that column, at most `limit` of them (`None`: all),
    /// fetched a page at a time (`options.page_size` rows per page).
    ///
{% if range.slice.is_some() %}
    /// For bounds on every clustering column, see
    /// [`partition_slice`](Self::partition_slice). Each shape of range
    /// (the kinds of both bounds and the direction) is prepared once.
{% else %}
    /// Each shape of range (the kinds of both bounds and the direction) is
    /// prepared once.
{% endif %}
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::InvalidPageSize`], or the
    /// first page's error; later failures are items of the stream.
    pub async fn partition_range(
        &self,
        partition: &{{ partition }},
        from: std::ops::Bound<{{ range.ty }}>,
        to: std::ops::Bound<{{ range.ty }}>,
        order: corm::SortOrder,
        limit: Option<i32>,
        options: &corm::ReadOptions,
    ) -> corm::Result<impl corm::Stream<Item = corm::Result<{{ repo.model }}>> + Send + Unpin + 'static> {
        // Owned values (the partition key fields cloned): the stream may
        // outlive the arguments.
        let mut shape = 0_u64;
        let mut values: Vec<Box<dyn corm::rt::SerializeValue + Send + Sync>> = Vec::new();
{% for field in range.partition_fields %}
        values.push(Box::new(Clone::clone(&partition.{{ field }})));
{% endfor %}
        let lower = match from {
            std::ops::Bound::Included(value) => {
                shape |= 0x1;
                values.push(Box::new(value));
                {{ range.ge }}
            }
            std::ops::Bound::Excluded(value) => {
                shape |= 0x2;
                values.push(Box::new(value));
                {{ range.gt }}
            }
            std::ops::Bound::Unbounded => "",
        };
        let upper = match to {
            std::ops::Bound::Included(value) => {
                shape |= 0x4;
                values.push(Box::new(value));
                {{ range.le }}
            }
            std::ops::Bound::Excluded(value) => {
                shape |= 0x8;
                values.push(Box::new(value));
                {{ range.lt }}
            }
            std::ops::Bound::Unbounded => "",
        };
        self.read_range(shape, values, [lower, upper], order, limit, options).await
    }
{% if let Some(slice) = range.slice %}

    /// The rows of the partition `partition` whose clustering columns,
    /// compared as the tuple `{{ slice.tuple }}`, lie between `from` and `to`
    /// (each column compared in its type's order), in the direction `order`
    /// of the first clustering column, at most `limit` of them (`None`: all),
    /// fetched a page at a time (`options.page_size` rows per page).
    ///
{% if slice.uniform %}
    /// The clustering columns share one direction, so the tuple order is
    /// the clustering order: `from: Bound::Excluded(&last.clustering())`
    /// with `corm::SortOrder::Asc` continues after the row `last` (keyset
    /// pagination). Each shape of slice is prepared once.
{% else %}
    /// The clustering columns are stored in mixed directions, so a tuple
    /// bound is not a position in the clustering order (Cassandra compares
    /// tuples column by column in each type's order). Each shape of slice
    /// is prepared once.
{% endif %}
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::InvalidPageSize`], or the
    /// first page's error; later failures are items of the stream.
    pub async fn partition_slice(
        &self,
        partition: &{{ partition }},
        from: std::ops::Bound<&{{ slice.ident }}>,
        to: std::ops::Bound<&{{ slice.ident }}>,
        order: corm::SortOrder,
        limit: Option<i32>,
        options: &corm::ReadOptions,
    ) -> corm::Result<impl corm::Stream<Item = corm::Result<{{ repo.model }}>> + Send + Unpin + 'static> {
        // Owned values (the key fields cloned): the stream may outlive the
        // arguments. Bit 0x20 keeps slices apart from ranges in the cache.
        let mut shape = 0x20_u64;
        let mut values: Vec<Box<dyn corm::rt::SerializeValue + Send + Sync>> = Vec::new();
{% for field in range.partition_fields %}
        values.push(Box::new(Clone::clone(&partition.{{ field }})));
{% endfor %}
        let mut bound = |at: &{{ slice.ident }}| {
{% for field in slice.fields %}
            values.push(Box::new(Clone::clone(&at.{{ field }})));
{% endfor %}
        };
        let lower = match from {
            std::ops::Bound::Included(at) => {
                shape |= 0x1;
                bound(at);
                {{ slice.ge }}
            }
            std::ops::Bound::Excluded(at) => {
                shape |= 0x2;
                bound(at);
                {{ slice.gt }}
            }
            std::ops::Bound::Unbounded => "",
        };
        let upper = match to {
            std::ops::Bound::Included(at) => {
                shape |= 0x4;
                bound(at);
                {{ slice.le }}
            }
            std::ops::Bound::Excluded(at) => {
                shape |= 0x8;
                bound(at);
                {{ slice.lt }}
            }
            std::ops::Bound::Unbounded => "",
        };
        self.read_range(shape, values, [lower, upper], order, limit, options).await
    }
{% endif %}

    /// The rows of a partition between bounds: `values` binds the partition
    /// key and the bounds, `bounds` are the `AND …` texts of the lower and
    /// upper bound (empty when unbounded), `shape` tells the statement's
    /// text apart in the cache.
    async fn read_range(
        &self,
        mut shape: u64,
        mut values: Vec<Box<dyn corm::rt::SerializeValue + Send + Sync>>,
        bounds: [&'static str; 2],
        order: corm::SortOrder,
        limit: Option<i32>,
        options: &corm::ReadOptions,
    ) -> corm::Result<impl corm::Stream<Item = corm::Result<{{ repo.model }}>> + Send + Unpin + 'static> {
        if order == corm::SortOrder::Desc {
            shape |= 0x10;
        }
        values.push(Box::new(limit.map_or(corm::MaybeUnset::Unset, corm::MaybeUnset::Set)));
        let statement = self.statements.range.get(shape, || {
            let [lower, upper] = bounds;
            [
                {{ range.head }},
                self.statements.table.as_str(),
                {{ range.by_partition }},
                lower,
                upper,
                {{ range.order_by }},
                order.as_cql(),
                " LIMIT ?",
            ]
            .concat()
        });
        let prepared = statement.prepared(self.session).await?;
        corm::paging::stream(self.session, options.apply(prepared), values, options.page_size).await
    }
{% endif %}
{% endif %}

    /// Every row of the table, partition by partition (in token order),
    /// fetched a page at a time (`options.page_size` rows per page). A full
    /// table scan: for tools and small tables.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::InvalidPageSize`], or the
    /// first page's error; later failures are items of the stream.
    pub async fn scan(
        &self,
        options: &corm::ReadOptions,
    ) -> corm::Result<impl corm::Stream<Item = corm::Result<{{ repo.model }}>> + Send + Unpin + 'static> {
        let prepared = self.statements.scan.prepared(self.session).await?;
        corm::paging::stream(self.session, options.apply(prepared), (), options.page_size).await
    }
}
{% endfor %}
{% if file.has_batch() %}

/// Writes across repositories, run as one batch request: from
/// [`Db::batch_logged`] (atomic) or [`Db::batch_unlogged`]. The writes are
/// kept (their rows and keys cloned) until [`run`](Self::run), which
/// prepares their statements. Counter tables have no batch methods (their
/// updates go in counter batches of their own).
pub struct Batch<'db> {
    db: &'db Db,
    logged: bool,
{% if file.validates() %}
    /// The first write that broke its `@validate` rules: `run` fails with
    /// it, writing nothing.
    invalid: Option<corm::validate::ValidationError>,
{% endif %}
    writes: Vec<(Planned<'db>, Box<dyn corm::rt::SerializeRow + Send + Sync>)>,
}

/// The statement of a batched write.
enum Planned<'db> {
    /// One of the `Db`'s fixed statements.
    Fixed(&'db corm::Statement),
{% if file.has_batch_update() %}
    /// An update's, from the cache of its set of columns.
    Update(corm::rt::Cached<'db>),
{% endif %}
}

impl std::ops::Deref for Planned<'_> {
    type Target = corm::Statement;

    fn deref(&self) -> &corm::Statement {
        match self {
            Self::Fixed(statement) => statement,
{% if file.has_batch_update() %}
            Self::Update(statement) => statement,
{% endif %}
        }
    }
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("logged", &self.logged)
            .field("writes", &self.writes.iter().map(|(statement, _)| statement.text()).collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<'db> Batch<'db> {
    fn new(db: &'db Db, logged: bool) -> Self {
        Self {
            db,
            logged,
{% if file.validates() %}
            invalid: None,
{% endif %}
            writes: Vec::new(),
        }
    }

{% for repo in file.repos %}
{% if repo.batchable() %}
    /// Adds an insert of `row` (every column, as
    /// [`{{ repo.repo }}::insert`] writes it).
    pub fn insert_{{ repo.batch_suffix }}(&mut self, row: &{{ repo.model }}) -> &mut Self {
{% if repo.validates %}
        if let Err(error) = row.validate() {
            self.invalid.get_or_insert(error);
        }
{% endif %}
        self.writes.push((Planned::Fixed(&self.db.inner.{{ repo.accessor }}.insert), Box::new(row.clone())));
        self
    }

    /// Adds a delete of the row at `key`.
    pub fn delete_{{ repo.batch_suffix }}(&mut self, key: &{{ repo.key }}) -> &mut Self {
        self.writes.push((Planned::Fixed(&self.db.inner.{{ repo.accessor }}.delete), Box::new(key.clone())));
        self
    }
{% if let Some(update) = repo.update %}

    /// Adds an update of the row at `key` with the fields of `patch` that
    /// are set (as [`{{ repo.repo }}::update`] writes them); an empty patch
    /// adds nothing.
    pub fn update_{{ repo.batch_suffix }}(&mut self, key: &{{ repo.key }}, patch: &{{ update.patch }}) -> &mut Self {
{% if repo.patch_validates %}
        if let Err(error) = patch.validate() {
            self.invalid.get_or_insert(error);
        }
{% endif %}
{% for step in update.steps %}
{% if let Some(now) = step.now %}
        let {{ step.ident }} = {{ now }};
{% endif %}
{% endfor %}
        let mut mask = 0_u64;
        let mut values: Vec<Box<dyn corm::rt::SerializeValue + Send + Sync>> = Vec::with_capacity({{ update.capacity }});
{% for step in update.steps %}
{% if step.now.is_some() %}
        mask |= {{ step.flag }};
        values.push(Box::new({{ step.ident }}));
{% else %}
        if let Some(value) = &patch.{{ step.ident }} {
            mask |= {{ step.flag }};
            values.push(Box::new(Clone::clone(value)));
        }
{% endif %}
{% endfor %}
        if mask == 0 {
            return self;
        }
{% for field in repo.key_fields %}
        values.push(Box::new(Clone::clone(&key.{{ field }})));
{% endfor %}
        let statement = self.db.inner.{{ repo.accessor }}.update_statement(mask);
        self.writes.push((Planned::Update(statement), Box::new(values)));
        self
    }
{% endif %}
{% endif %}
{% endfor %}

    /// How many writes the batch holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.writes.len()
    }

    /// Whether the batch holds no write.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    /// Runs the batch with the session's defaults; an empty batch does
    /// nothing.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Batch`].
    pub async fn run(self) -> corm::Result<()> {
        let db = self.db;
        self.build().await?.run(db.session()).await
    }

    /// Runs the batch with the consistency, timeout and write time of
    /// `options` (a TTL is ignored: batched inserts have no TTL marker).
    ///
    /// # Errors
    /// As for [`run`](Self::run).
    pub async fn run_with(self, options: &corm::WriteOptions) -> corm::Result<()> {
        let db = self.db;
        self.build().await?.run_with(db.session(), options).await
    }

    async fn build(self) -> corm::Result<corm::StatementBatch> {
{% if file.validates() %}
        if let Some(error) = self.invalid {
            return Err(error.into());
        }
{% endif %}
        let mut batch = if self.logged {
            corm::StatementBatch::logged()
        } else {
            corm::StatementBatch::unlogged()
        };
        for (statement, values) in self.writes {
            let prepared = statement.prepared(self.db.session()).await?;
            batch.push(prepared.clone(), values);
        }
        Ok(batch)
    }
}
{% endif %}

//! The [`Db`] handle and one repository per model: every statement's CQL is
//! built once, with the keyspace, when the `Db` is created, and prepared on
//! first use.

use std::sync::Arc;

use super::types::{ {% for name in file.uses %}{{ name }},{% endfor %} };

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
{% for repo in file.repos %}

    /// The repository of `{{ repo.model }}` rows (table `{{ repo.table }}`).
    #[must_use]
    pub fn {{ repo.accessor }}(&self) -> {{ repo.repo }}<'_> {
        {{ repo.repo }} {
            session: &self.inner.session,
            statements: &self.inner.{{ repo.accessor }},
        }
    }
{% endfor %}
}
{% for repo in file.repos %}

/// The statements of `{{ repo.model }}`, with the keyspace in their text.
#[derive(Debug)]
struct {{ repo.statements_ident }} {
{% for statement in repo.statements %}
    {{ statement.ident }}: corm::Statement,
{% endfor %}
}

/// Reads and writes `{{ repo.model }}` rows (table `{{ repo.table }}`);
/// borrows the [`Db`] it comes from.
#[derive(Clone, Copy, Debug)]
pub struct {{ repo.repo }}<'a> {
    session: &'a corm::Session,
    statements: &'a {{ repo.statements_ident }},
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
    pub async fn insert(&self, row: &{{ repo.model }}) -> corm::Result<()> {
        let prepared = self.statements.insert.prepared(self.session).await?;
        self.session.execute(prepared, row).await?;
        Ok(())
    }

    /// Writes `row` as [`insert`](Self::insert) does, with the options of
    /// `options`: its time to live and write time are bound to
    /// `USING TTL ? AND TIMESTAMP ?`.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn insert_with(&self, row: &{{ repo.model }}, options: &corm::WriteOptions) -> corm::Result<()> {
        let prepared = self.statements.insert_with.prepared(self.session).await?;
        self.session
            .execute(&options.apply(prepared), corm::rt::with_ttl_and_timestamp(row, options))
            .await?;
        Ok(())
    }

    /// Writes `row` only if no row has its primary key (`IF NOT EXISTS`, a
    /// lightweight transaction). Returns whether it was written.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`], [`corm::Error::Execute`], or an error
    /// reading the result of the conditional write.
    pub async fn insert_if_not_exists(&self, row: &{{ repo.model }}) -> corm::Result<bool> {
        let prepared = self.statements.insert_if_not_exists.prepared(self.session).await?;
        let result = self.session.execute(prepared, row).await?;
        corm::lwt::was_applied(prepared.get_statement(), result)
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

    /// Deletes the row at `key` (nothing happens when there is none).
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete(&self, key: &{{ repo.key }}) -> corm::Result<()> {
        let prepared = self.statements.delete.prepared(self.session).await?;
        self.session.execute(prepared, key).await?;
        Ok(())
    }
{% if let Some(partition) = repo.partition %}

    /// Deletes every row of the partition `partition`.
    ///
    /// # Errors
    /// [`corm::Error::Prepare`] or [`corm::Error::Execute`].
    pub async fn delete_partition(&self, partition: &{{ partition }}) -> corm::Result<()> {
        let prepared = self.statements.delete_partition.prepared(self.session).await?;
        self.session.execute(prepared, partition).await?;
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

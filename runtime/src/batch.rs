//! Batches of different prepared statements, each with its own values.

use scylla::serialize::row::SerializeRow;
use scylla::statement::batch::{Batch as DriverBatch, BatchType};
use scylla::statement::prepared::PreparedStatement;

use crate::{Error, Options, Result, Session};

/// A batch of prepared statements, run as one request (named so that it
/// does not clash with the `Batch` a generated module has).
///
/// A logged batch is atomic (all or none of its writes apply, possibly
/// across partitions); an unlogged one only saves round trips, and is the
/// right choice for writes to one partition.
///
/// ```no_run
/// # async fn demo(session: &corm::Session, insert: corm::scylla::statement::prepared::PreparedStatement,
/// #   delete: corm::scylla::statement::prepared::PreparedStatement) -> corm::Result<()> {
/// corm::StatementBatch::logged()
///     .add(insert, (1, "one".to_owned()))
///     .add(delete, (2,))
///     .run(session)
///     .await?;
/// # Ok(())
/// # }
/// ```
pub struct StatementBatch {
    inner: DriverBatch,
    first: Option<PreparedStatement>,
    values: Vec<Box<dyn SerializeRow + Send + Sync>>,
}

impl std::fmt::Debug for StatementBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatementBatch")
            .field("type", &self.inner.get_type())
            .field("len", &self.values.len())
            .field(
                "first",
                &self.first.as_ref().map(PreparedStatement::get_statement),
            )
            .finish()
    }
}

impl StatementBatch {
    /// An empty atomic batch.
    pub fn logged() -> Self {
        Self::new(BatchType::Logged)
    }

    /// An empty batch without the batch log: not atomic across partitions.
    pub fn unlogged() -> Self {
        Self::new(BatchType::Unlogged)
    }

    /// An empty batch of counter updates.
    pub fn counter() -> Self {
        Self::new(BatchType::Counter)
    }

    fn new(kind: BatchType) -> Self {
        Self {
            inner: DriverBatch::new(kind),
            first: None,
            values: Vec::new(),
        }
    }

    /// Adds `prepared` with its `values`.
    #[must_use]
    pub fn add(
        mut self,
        prepared: PreparedStatement,
        values: impl SerializeRow + Send + Sync + 'static,
    ) -> Self {
        self.push(prepared, values);
        self
    }

    /// Adds `prepared` with its `values`, in place (for loops).
    pub fn push(
        &mut self,
        prepared: PreparedStatement,
        values: impl SerializeRow + Send + Sync + 'static,
    ) {
        if self.first.is_none() {
            self.first = Some(prepared.clone());
        }
        self.inner.append_statement(prepared);
        self.values.push(Box::new(values));
    }

    /// How many statements the batch holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the batch holds no statement.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Runs the batch with the session's defaults; an empty batch does nothing.
    ///
    /// # Errors
    /// [`Error::Batch`] with the batch size and its first statement.
    pub async fn run(&self, session: &Session) -> Result<()> {
        self.run_batch(session, &self.inner).await
    }

    /// Runs the batch with `options` (a TTL is bound by each statement's
    /// `USING TTL ?` marker, not here).
    ///
    /// # Errors
    /// As for [`StatementBatch::run`].
    pub async fn run_with(&self, session: &Session, options: &Options) -> Result<()> {
        let mut batch = self.inner.clone();
        options.apply_to_batch(&mut batch);
        self.run_batch(session, &batch).await
    }

    async fn run_batch(&self, session: &Session, batch: &DriverBatch) -> Result<()> {
        if self.values.is_empty() {
            return Ok(());
        }
        session
            .batch(batch, &self.values)
            .await
            .map_err(|source| Error::Batch {
                size: self.values.len(),
                first: self
                    .first
                    .as_ref()
                    .map(|first| first.get_statement().to_owned())
                    .unwrap_or_default(),
                source: Box::new(source),
            })?;
        Ok(())
    }
}

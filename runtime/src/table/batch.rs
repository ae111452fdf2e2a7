//! Writes across tables, run as one batch request.

use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::statement::batch::{Batch as DriverBatch, BatchType};

use super::statements::UPDATE_USING;
use super::{DirectWrites, PrimaryKey, Table, TableStatements, Updatable};
use crate::changes::Position;
use crate::changes::record::{Batched, BatchedWrite, ChangeValues, batched_change, change_values};
use crate::rt::{Bind, BoundValue, Chain, Now};
use crate::{Error, Options, Result, Session};

/// A table of a schema whose handle (the generated `Db`) holds its
/// statements: implemented by generated code for each model.
///
/// Stated on the table, not as one generic trait on the handle: 500
/// `impl Trait<Model> for Db` share a self type and cost the compiler a
/// pairwise overlap check each (quadratic), while impls on distinct types
/// do not.
pub trait InDb: Table {
    /// The schema's handle.
    type Db;

    /// The statements of this table in `db`.
    fn statements_in(db: &Self::Db) -> &TableStatements;
}

/// What a batched write does, to pick its statement when the batch runs.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Insert,
    Delete,
    Update { mask: u64 },
}

/// One batched write: its table, what it does, and its values (owned: the
/// row, key or patch was cloned).
struct Write<'db> {
    statements: &'db TableStatements,
    kind: Kind,
    values: Box<dyn SerializeRow + Send + Sync>,
}

/// Writes across the tables of a schema's handle `D` (the generated `Db`),
/// run as one batch request: from `db.batch_logged()` (atomic) or
/// `db.batch_unlogged()`.
///
/// The writes are kept (their rows, keys and patches cloned) until
/// [`run`](Self::run), which prepares their statements. The batch's
/// [`Options`] apply to all of them: a TTL or write time through each
/// statement's `USING TTL ? AND TIMESTAMP ?`, the consistency and timeout
/// to the request. Counter tables and tables with `@unique` fields have no
/// batched writes (counter updates can't share a batch with other writes;
/// unique claims are separate conditional writes).
pub struct WriteBatch<'db, D> {
    db: &'db D,
    session: &'db Session,
    logged: bool,
    options: Options,
    /// The first write that broke its `@validate` rules: `run` fails with
    /// it, writing nothing.
    invalid: Option<Error>,
    writes: Vec<Write<'db>>,
}

impl<D> std::fmt::Debug for WriteBatch<'_, D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteBatch")
            .field("logged", &self.logged)
            .field("options", &self.options)
            .field(
                "writes",
                &self
                    .writes
                    .iter()
                    .map(|write| (write.statements.table(), write.kind))
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl<'db, D> WriteBatch<'db, D> {
    /// An empty batch of `db`'s tables on `session`: logged (atomic) or not.
    #[doc(hidden)]
    pub fn new(db: &'db D, session: &'db Session, logged: bool) -> Self {
        Self {
            db,
            session,
            logged,
            options: Options::new(),
            invalid: None,
            writes: Vec::new(),
        }
    }

    /// This batch with `options` (consistency, timeout, write time, time to
    /// live; a page size does not apply).
    #[must_use]
    pub fn with(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Adds an insert of `row` (every column, as the repository's `insert`
    /// writes it).
    pub fn insert<T>(&mut self, row: &T) -> &mut Self
    where
        T: DirectWrites + InDb<Db = D>,
    {
        if let Err(error) = row.validate() {
            self.invalid.get_or_insert(error);
        }
        self.push::<T>(Kind::Insert, Box::new(row.clone()));
        self
    }

    /// Adds a delete of the row at `key`.
    pub fn delete<K>(&mut self, key: &K) -> &mut Self
    where
        K: PrimaryKey,
        K::Table: DirectWrites + InDb<Db = D>,
    {
        self.push::<K::Table>(Kind::Delete, Box::new(key.clone()));
        self
    }

    /// Adds an update of the row at `key` with the fields of `patch` that
    /// are set (as the repository's `update` writes them); an empty patch
    /// adds nothing.
    pub fn update<K>(&mut self, key: &K, patch: &<K::Table as Updatable>::Patch) -> &mut Self
    where
        K: PrimaryKey,
        K::Table: Updatable + DirectWrites + InDb<Db = D>,
        <K::Table as Updatable>::Patch: Clone + 'static,
    {
        if let Err(error) = K::Table::validate_patch(patch) {
            self.invalid.get_or_insert(error);
        }
        let write = PatchWrite::<K::Table> {
            key: key.clone(),
            patch: patch.clone(),
            now: Now::of_update(K::Table::STAMPS_NOW),
            by_partition: false,
        };
        let mask = write.mask();
        if mask == 0 {
            return self;
        }
        let statements = K::Table::statements_in(self.db);
        let write = PatchWrite {
            by_partition: statements.updates_by_partition(mask),
            ..write
        };
        self.writes.push(Write {
            statements,
            kind: Kind::Update { mask },
            values: Box::new(write),
        });
        self
    }

    fn push<T: InDb<Db = D>>(&mut self, kind: Kind, values: Box<dyn SerializeRow + Send + Sync>) {
        self.writes.push(Write {
            statements: T::statements_in(self.db),
            kind,
            values,
        });
    }

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

    /// Runs the batch; an empty batch does nothing.
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing is written) when a write broke its
    /// `@validate` rules; [`Error::Prepare`] or [`Error::Batch`].
    pub async fn run(self) -> Result<()> {
        if let Some(error) = self.invalid {
            return Err(error);
        }
        let Some(first_write) = self.writes.first() else {
            return Ok(());
        };
        let span = crate::trace::batch(
            first_write.statements.keyspace_name(),
            self.writes.len(),
            self.logged,
            self.options.consistency,
        );
        crate::trace::traced(span, self.send()).await
    }

    /// Sends the writes, which are valid and not none, as one batch (with
    /// the changes of the writes of models with a change log, logged).
    async fn send(self) -> Result<()> {
        let options = self.options;
        let using = options.writes_using();
        let logged_model = self.writes.iter().find_map(|write| {
            write
                .statements
                .changes()
                .map(|_| write.statements.spec().model)
        });
        if let (Some(model), Some(_)) = (logged_model, options.timestamp) {
            return Err(Error::ChangeLog {
                model,
                problem: "a write time can't be set on a model with a change log: \
                          a change's position is its write's write time"
                    .to_owned(),
            });
        }
        let mut batch = DriverBatch::new(if self.logged || logged_model.is_some() {
            BatchType::Logged
        } else {
            BatchType::Unlogged
        });
        options.apply_to_batch(&mut batch);
        // Every write of the batch has the write time of its changes.
        let written_at =
            logged_model.map(|_| Position::new_now(self.session.change_clock_offset()).micros());
        if let Some(micros) = written_at {
            batch.set_timestamp(i64::try_from(micros).ok());
        }
        let mut changes = Vec::new();
        let mut first = None;
        let mut idempotent = true;
        for write in &self.writes {
            let statements = write.statements;
            let prepared = match (write.kind, using) {
                (Kind::Insert, false) => statements.insert.prepared(self.session).await?.clone(),
                (Kind::Insert, true) => statements
                    .insert_using
                    .prepared(self.session)
                    .await?
                    .clone(),
                (Kind::Delete, _) => statements.delete.prepared(self.session).await?.clone(),
                (Kind::Update { mask }, using) => {
                    let mask = if using { mask | UPDATE_USING } else { mask };
                    let statement = statements.update_statement(mask);
                    statement.prepared(self.session).await?.clone()
                }
            };
            first.get_or_insert_with(|| prepared.get_statement().to_owned());
            idempotent &= prepared.get_is_idempotent();
            if let (Some(log), Some(micros)) = (statements.changes(), written_at) {
                let get = statements.get.prepared(self.session).await?;
                let write_kind = match write.kind {
                    Kind::Insert => BatchedWrite::Insert,
                    Kind::Update { mask } => BatchedWrite::Update { mask },
                    Kind::Delete => BatchedWrite::Delete,
                };
                let change = batched_change(
                    statements,
                    get,
                    &prepared,
                    if using && !matches!(write.kind, Kind::Delete) {
                        2
                    } else {
                        0
                    },
                    &*write.values,
                    Batched {
                        write: write_kind,
                        position: Position::in_batch(micros, changes.len()),
                        writer: self.session.change_writer().to_owned(),
                    },
                )?;
                let insert = log.insert.prepared(self.session).await?.clone();
                changes.push((statements, log, insert, change));
            }
            batch.append_statement(prepared);
        }
        for (_, _, insert, _) in &changes {
            batch.append_statement(insert.clone());
        }
        // Inserts, plain updates and deletes: running the batch again
        // writes the same cells.
        batch.set_is_idempotent(idempotent);
        let (ttl, timestamp) = (options.bound_ttl(), options.bound_timestamp());
        let using_values: [BoundValue<'_>; 2] = [&ttl, &timestamp];
        let change_values: Vec<ChangeValues<'_>> = changes
            .iter()
            .map(|(statements, _, _, change)| change_values(statements.spec(), change))
            .collect();
        let mut values = self
            .writes
            .iter()
            .map(|write| {
                let (before, after): (&[BoundValue<'_>], &[BoundValue<'_>]) =
                    match (write.kind, using) {
                        (Kind::Insert, true) => (&[], &using_values),
                        (Kind::Update { .. }, true) => (&using_values, &[]),
                        _ => (&[], &[]),
                    };
                Chain {
                    before,
                    row: &*write.values,
                    after,
                }
            })
            .collect::<Vec<_>>();
        values.extend(change_values.iter().map(|values| Chain {
            before: &[],
            row: values,
            after: &[],
        }));
        // Every row of a cached table the batch writes is made stale
        // (by table: a batch's keys are not serialised for the cache).
        #[cfg(feature = "cache")]
        let _marks: Vec<_> = self
            .writes
            .iter()
            .filter_map(|write| write.statements.caching())
            .map(|caching| crate::cache::WriteMark::new(Some(&caching.epochs), None))
            .collect();
        let result = self
            .session
            .batch(&batch, &values)
            .await
            .map_err(|source| Error::Batch {
                size: values.len(),
                first: first.unwrap_or_default(),
                source: Box::new(source),
            })?;
        crate::trace::record_result(&result);
        for (_, log, _, change) in changes {
            // No subscriber in this process is not an error.
            let _ = log.live.send(std::sync::Arc::new(change));
        }
        Ok(())
    }
}

/// A batched update: the key and patch, owned, and the time of its
/// `@on_update(now)` columns.
struct PatchWrite<T: Updatable> {
    key: T::Key,
    patch: T::Patch,
    now: Now,
    /// Whether it sets static columns alone (and so binds no clustering key).
    by_partition: bool,
}

impl<T: Updatable> PatchWrite<T> {
    /// The bits of the columns the update sets.
    fn mask(&self) -> u64 {
        let mut values = T::Values::default();
        T::bind_patch(&self.patch, &self.now, &mut values);
        values.set_columns()
    }
}

impl<T: Updatable> SerializeRow for PatchWrite<T> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> std::result::Result<(), SerializationError> {
        let mut values = T::Values::default();
        T::bind_patch(&self.patch, &self.now, &mut values);
        T::bind_key(&self.key, &mut values, !self.by_partition);
        values.serialize(ctx, writer)
    }

    fn is_empty(&self) -> bool {
        false
    }
}

//! The session wrapper: one connected driver session plus corm's defaults.

use std::sync::Arc;
use std::time::{Duration, Instant};

use scylla::client::execution_profile::ExecutionProfileHandle;
use scylla::client::session::Session as DriverSession;
use scylla::deserialize::row::DeserializeRow;
use scylla::errors::{ExecutionError, MaybeFirstRowError};
use scylla::response::query_result::QueryResult;
use scylla::serialize::batch::BatchValues;
use scylla::serialize::row::SerializeRow;
use scylla::statement::batch::Batch;
use scylla::statement::prepared::PreparedStatement;

use crate::{Config, Error, Result, RetryPolicy};

/// A connected session, cheap to clone and share between tasks.
///
/// It wraps the driver's session (reachable through [`Session::driver`]) and
/// adds context to every error: the statement text, the keyspace or the
/// contact points.
#[derive(Clone, Debug)]
pub struct Session {
    driver: Arc<DriverSession>,
    /// The execution profiles of reads and writes, when the configuration
    /// gives them settings of their own.
    reads: Option<ExecutionProfileHandle>,
    writes: Option<ExecutionProfileHandle>,
    retry: RetryPolicy,
    /// How long preparing a statement may take (the request timeout).
    prepare_timeout: Duration,
    unique_claim_grace: Duration,
    slow_request_threshold: Option<Duration>,
    trace_values: bool,
    /// The writer name recorded with every change (`corm::changes`).
    change_writer: Arc<str>,
    /// A deliberate shift of the clock change positions are made with, in
    /// microseconds (tests of clock skew between writers; 0 otherwise).
    change_clock_offset: i64,
}

impl Session {
    /// Opens a session as `config` says.
    ///
    /// # Errors
    /// [`Error::Config`] for settings that do not go together or a TLS
    /// file that cannot be used; [`Error::Connect`] when no contact point
    /// answers or the handshake (TLS, authentication) fails;
    /// [`Error::UseKeyspace`] when the configured keyspace is missing.
    pub async fn connect(config: &Config) -> Result<Self> {
        let connected = crate::connect::connect(config).await?;
        let session = Self {
            driver: Arc::new(connected.driver),
            reads: connected.reads,
            writes: connected.writes,
            retry: config.retry,
            prepare_timeout: config.request_timeout,
            unique_claim_grace: config.claim_grace(),
            slow_request_threshold: config.slow_request_threshold,
            trace_values: config.trace_values,
            change_writer: default_change_writer().into(),
            change_clock_offset: 0,
        };
        if let Some(keyspace) = &config.keyspace {
            session.use_keyspace(keyspace).await?;
        }
        Ok(session)
    }

    /// How old a `@unique` claim must be before another row may take it
    /// over when the claim's own row does not hold the value
    /// ([`Config::claim_grace`]).
    pub fn unique_claim_grace(&self) -> Duration {
        self.unique_claim_grace
    }

    /// This session with another [`unique_claim_grace`](Self::unique_claim_grace)
    /// (the connection is shared).
    #[must_use]
    pub fn with_unique_claim_grace(&self, grace: Duration) -> Self {
        Self {
            unique_claim_grace: grace,
            ..self.clone()
        }
    }

    /// This session, sharing its connections, with requests from
    /// `threshold` on logged as slow (`None`: none are; see
    /// [`Config::slow_request_threshold`]).
    pub fn with_slow_request_threshold(&self, threshold: Option<Duration>) -> Self {
        Self {
            slow_request_threshold: threshold,
            ..self.clone()
        }
    }

    /// This session, sharing its connections, recording (or not) each
    /// request's bound values in its span ([`Config::trace_values`]).
    #[must_use]
    pub fn with_traced_values(&self, trace: bool) -> Self {
        Self {
            trace_values: trace,
            ..self.clone()
        }
    }

    /// The name recorded as the writer of every change this session's
    /// writes record in a change log (`corm::changes`): by default
    /// `<host>:<process id>`.
    pub fn change_writer(&self) -> &str {
        &self.change_writer
    }

    /// This session, sharing its connections, recording `writer` as the
    /// writer of its changes (an application instance's name).
    #[must_use]
    pub fn with_change_writer(&self, writer: &str) -> Self {
        Self {
            change_writer: writer.into(),
            ..self.clone()
        }
    }

    /// This session, sharing its connections, making change positions
    /// (and their writes' write times) with a clock shifted by
    /// `offset_micros`: for tests of writers whose clocks disagree.
    #[doc(hidden)]
    #[must_use]
    pub fn with_change_clock_offset(&self, offset_micros: i64) -> Self {
        Self {
            change_clock_offset: offset_micros,
            ..self.clone()
        }
    }

    /// The shift of the clock change positions are made with.
    pub(crate) fn change_clock_offset(&self) -> i64 {
        self.change_clock_offset
    }

    /// This session, sharing its connections, with another retry policy.
    #[must_use]
    pub fn with_retry(&self, retry: RetryPolicy) -> Self {
        Self {
            retry,
            ..self.clone()
        }
    }

    /// The retry policy of requests ([`Config::retry`]).
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The driver's session, for anything corm does not wrap.
    pub fn driver(&self) -> &DriverSession {
        &self.driver
    }

    /// The driver's session as a shared handle, to hand the same
    /// connections to other code on the driver (a `CachingSession` built
    /// with `CachingSessionBuilder::new_shared`, another library).
    pub fn shared_driver(&self) -> Arc<DriverSession> {
        Arc::clone(&self.driver)
    }

    /// The keyspace unqualified table names resolve to, if one is in use.
    pub fn keyspace(&self) -> Option<String> {
        self.driver
            .get_keyspace()
            .map(|name| name.as_str().to_owned())
    }

    /// Makes `keyspace` the session's keyspace on every connection.
    ///
    /// # Errors
    /// [`Error::UseKeyspace`] when the keyspace does not exist.
    pub async fn use_keyspace(&self, keyspace: &str) -> Result<()> {
        self.driver
            .use_keyspace(keyspace, true)
            .await
            .map_err(|source| Error::UseKeyspace {
                keyspace: keyspace.to_owned(),
                source: Box::new(source),
            })
    }

    /// Runs a schema change and waits until every node agrees on the schema.
    ///
    /// # Errors
    /// [`Error::Execute`] when the cluster refuses the statement;
    /// [`Error::SchemaAgreement`] when the nodes do not converge in time.
    ///
    /// Never retried after a timeout or a broken connection, even with
    /// `IF NOT EXISTS` (only a refusal before anything ran, such as an
    /// overloaded coordinator, is retried). A retry after a timeout runs
    /// the change on a second coordinator while the first may still be
    /// applying it, and concurrent schema changes in Cassandra 5.0 can
    /// leave nodes disagreeing: a table created twice with two ids, or (met
    /// by the cluster suite after a `DROP KEYSPACE IF EXISTS` ran on two
    /// coordinators within a second) a node whose `system.local` keeps its
    /// old schema version, so agreement never comes. The migration runner
    /// resumes a timed-out change on its next run instead.
    pub async fn run_ddl(&self, statement: &str) -> Result<()> {
        self.query(statement, ()).await?;
        self.driver
            .await_schema_agreement()
            .await
            .map_err(|source| Error::SchemaAgreement {
                statement: statement.to_owned(),
                source: Box::new(source),
            })?;
        Ok(())
    }

    /// Runs an unprepared statement, unpaged. Meant for one-off statements;
    /// anything run repeatedly should be [prepared](Session::prepare).
    ///
    /// A `SELECT` is idempotent: one that timed out (a coordinator that
    /// stopped answering) is retried under the [retry policy](Config::retry),
    /// and may go to another node. Anything else is sent once.
    ///
    /// # Errors
    /// [`Error::Execute`] with the statement text.
    pub async fn query(&self, statement: &str, values: impl SerializeRow) -> Result<QueryResult> {
        let idempotent = is_read(statement);
        let mut unprepared = scylla::statement::unprepared::Statement::new(statement);
        unprepared.set_is_idempotent(idempotent);
        let attempt = || self.driver.query_unpaged(unprepared.clone(), &values);
        let outcome = match attempt().await {
            Err(error) if self.retry.max_retries > 0 => {
                // Boxed, as in `Session::execute`.
                Box::pin(crate::retry::after(&self.retry, idempotent, error, attempt)).await
            }
            outcome => outcome,
        };
        let result = outcome.map_err(|source| Error::Execute {
            statement: statement.to_owned(),
            source: Box::new(source),
        })?;
        crate::trace::record_result(&result);
        Ok(result)
    }

    /// Prepares a statement once, to be executed many times, with the
    /// execution profile of its kind (reads or writes, when the
    /// configuration gives them settings of their own).
    ///
    /// The statement is not marked idempotent (the driver's default): set
    /// it with `set_is_idempotent` when running it twice is harmless, so
    /// that timeouts are retried and speculative execution applies.
    ///
    /// # Errors
    /// [`Error::Prepare`] with the statement text; [`Error::kind`] tells a
    /// refused statement from an unreachable cluster.
    /// [`Error::PrepareTimeout`] when a node took longer than the request
    /// timeout to answer.
    pub async fn prepare(&self, statement: &str) -> Result<PreparedStatement> {
        self.prepare_marked(statement, false).await
    }

    /// [`Session::prepare`], marked idempotent or not.
    pub(crate) async fn prepare_marked(
        &self,
        statement: &str,
        idempotent: bool,
    ) -> Result<PreparedStatement> {
        // The driver prepares on every node and waits for all of them,
        // with no timeout of its own: one frozen node (a long GC pause, a
        // stuck process) would hold every first use of a statement for as
        // long as it lasts. In the fault suite, 200 reads whose statement
        // was first prepared during a freeze took 49.6 s (0.8 s when it was
        // prepared before); the request timeout bounds the wait, and the
        // next use prepares again.
        let prepared = tokio::time::timeout(self.prepare_timeout, self.driver.prepare(statement))
            .await
            .map_err(|_| Error::PrepareTimeout {
                statement: statement.to_owned(),
                after: self.prepare_timeout,
            })?;
        let mut prepared = prepared.map_err(|source| Error::Prepare {
            statement: statement.to_owned(),
            source: Box::new(source),
        })?;
        prepared.set_is_idempotent(idempotent);
        #[cfg(feature = "metrics")]
        prepared.set_history_listener(crate::driver_events::DriverEvents::for_table(
            prepared.get_table_name().unwrap_or_default(),
        ));
        let profile = if is_read(statement) {
            &self.reads
        } else {
            &self.writes
        };
        if let Some(profile) = profile {
            prepared.set_execution_profile_handle(Some(profile.clone()));
        }
        Ok(prepared)
    }

    /// Executes a prepared statement, unpaged, retrying it as the
    /// session's [`RetryPolicy`] allows (a timeout only when the statement
    /// is marked idempotent).
    ///
    /// # Errors
    /// [`Error::Execute`] with the statement text.
    #[inline]
    pub async fn execute(
        &self,
        prepared: &PreparedStatement,
        values: impl SerializeRow,
    ) -> Result<QueryResult> {
        self.execute_then(prepared, values, std::convert::identity)
            .await
    }

    /// [`execute`](Self::execute) of a write whose result is not read:
    /// the driver's result (248 bytes) is dropped where it lands instead
    /// of being moved out to the caller.
    ///
    /// # Errors
    /// As [`execute`](Self::execute).
    #[inline]
    pub(crate) async fn write(
        &self,
        prepared: &PreparedStatement,
        values: impl SerializeRow,
    ) -> Result<()> {
        self.execute_then(prepared, values, drop).await
    }

    /// [`execute`](Self::execute), with `then` applied to the result where
    /// it lands. A failure goes out of line (boxed): the retries, the slow
    /// request's log and the error.
    #[inline]
    async fn execute_then<R>(
        &self,
        prepared: &PreparedStatement,
        values: impl SerializeRow,
        then: impl FnOnce(QueryResult) -> R,
    ) -> Result<R> {
        let slow = self
            .slow_request_threshold
            .map(|threshold| (threshold, Instant::now()));
        if tracing::level_enabled!(tracing::Level::INFO) {
            crate::trace::record_statement(prepared, self.trace_values.then_some(&values));
        }
        let result = match self.driver.execute_unpaged(prepared, &values).await {
            Ok(result) => result,
            Err(error) => Box::pin(self.after_failure(prepared, &values, error, slow)).await?,
        };
        if let Some((threshold, started)) = slow {
            crate::trace::slow_request(prepared.get_statement(), started.elapsed(), threshold);
        }
        crate::trace::record_result(&result);
        Ok(then(result))
    }

    /// After a first attempt of `prepared` failed with `error`: the
    /// retries the [`RetryPolicy`] allows, and the slow request's log and
    /// the error when they fail too.
    #[cold]
    async fn after_failure(
        &self,
        prepared: &PreparedStatement,
        values: &impl SerializeRow,
        error: ExecutionError,
        slow: Option<(Duration, Instant)>,
    ) -> Result<QueryResult> {
        let outcome = if self.retry.max_retries > 0 {
            crate::retry::after(&self.retry, prepared.get_is_idempotent(), error, || {
                self.driver.execute_unpaged(prepared, values)
            })
            .await
        } else {
            Err(error)
        };
        outcome.map_err(|source| {
            if let Some((threshold, started)) = slow {
                crate::trace::slow_request(prepared.get_statement(), started.elapsed(), threshold);
            }
            execute_error(prepared, source)
        })
    }

    /// Runs `batch`, retrying it as the session's [`RetryPolicy`] allows (a
    /// timeout only when the batch is marked idempotent).
    pub(crate) async fn batch(
        &self,
        batch: &Batch,
        values: impl BatchValues,
    ) -> std::result::Result<QueryResult, ExecutionError> {
        match self.driver.batch(batch, &values).await {
            Err(error) if self.retry.max_retries > 0 => {
                Box::pin(crate::retry::after(
                    &self.retry,
                    batch.get_is_idempotent(),
                    error,
                    || self.driver.batch(batch, &values),
                ))
                .await
            }
            outcome => outcome,
        }
    }

    /// Executes a prepared statement, unpaged, and reads its first row as
    /// `T` (`None` when it returned no row): a read by full primary key.
    ///
    /// # Errors
    /// [`Error::Execute`]; [`Error::NotRows`] when the statement returns no
    /// rows; [`Error::TypeCheck`] when the columns do not fit `T`;
    /// [`Error::Deserialize`] when the row does not read.
    pub async fn execute_first<T>(
        &self,
        prepared: &PreparedStatement,
        values: impl SerializeRow,
    ) -> Result<Option<T>>
    where
        T: for<'f, 'm> DeserializeRow<'f, 'm>,
    {
        Ok(self.execute_first_sized(prepared, values).await?.0)
    }

    /// [`execute_first`](Self::execute_first), with the bytes of the rows
    /// as Cassandra sent them (what a cache weighs the row at).
    pub(crate) async fn execute_first_sized<T>(
        &self,
        prepared: &PreparedStatement,
        values: impl SerializeRow,
    ) -> Result<(Option<T>, usize)>
    where
        T: for<'f, 'm> DeserializeRow<'f, 'm>,
    {
        let statement = || prepared.get_statement().to_owned();
        let rows = self
            .execute(prepared, values)
            .await?
            .into_rows_result()
            .map_err(|source| Error::NotRows {
                statement: statement(),
                source: Box::new(source),
            })?;
        crate::trace::record_rows(rows.rows_num().min(1));
        let bytes = rows.rows_bytes_size();
        rows.maybe_first_row::<T>()
            .map(|row| (row, bytes))
            .map_err(|err| match err {
                MaybeFirstRowError::TypeCheckFailed(source) => Error::TypeCheck {
                    statement: statement(),
                    source,
                },
                MaybeFirstRowError::DeserializationFailed(source) => Error::Deserialize {
                    statement: statement(),
                    source,
                },
            })
    }
}

/// Whether `statement` reads (a `SELECT`), for its execution profile.
/// `<host>:<process id>`: the host from `HOSTNAME`, else the kernel's
/// host name, else `localhost`.
fn default_change_writer() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{}", std::process::id())
}

fn is_read(statement: &str) -> bool {
    statement
        .trim_start()
        .get(..6)
        .is_some_and(|word| word.eq_ignore_ascii_case("select"))
}

/// The error of a failed execution, naming its statement (out of line: the
/// successful path stays small).
#[cold]
#[inline(never)]
fn execute_error(prepared: &PreparedStatement, source: ExecutionError) -> Error {
    Error::Execute {
        statement: prepared.get_statement().to_owned(),
        source: Box::new(source),
    }
}

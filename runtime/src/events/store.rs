//! [`EventStore`]: one event store on a session, and the stream heads it
//! reads.

use scylla::statement::Consistency;
use scylla::statement::SerialConsistency;

use super::{EventStatements, EventStream};
use crate::{Error, Options, Result, Session};

/// Rewrites a stored `(event_type, payload)` that the current event enum
/// no longer reads (a renamed event or field) into one it does; `None`
/// leaves it as it is (and its decoding error stands).
pub type Upcaster = fn(&str, &str) -> Option<(String, String)>;

/// The streams of one event store on a session (from the generated `Db`).
pub struct EventStore<'a, S> {
    pub(super) session: &'a Session,
    pub(super) statements: &'a EventStatements,
    pub(super) options: Options,
    pub(super) upcaster: Option<Upcaster>,
    pub(super) retries: u32,
    stream: std::marker::PhantomData<fn() -> S>,
}

impl<S> std::fmt::Debug for EventStore<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStore")
            .field("store", &self.statements.spec().name)
            .field("options", &self.options)
            .field("retries", &self.retries)
            .finish_non_exhaustive()
    }
}

impl<S> Clone for EventStore<'_, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for EventStore<'_, S> {}

/// Attempts of [`EventStore::execute`] and [`EventStore::append_any`]
/// before a conflict is given up on.
const DEFAULT_RETRIES: u32 = 20;

impl<'a, S: EventStream> EventStore<'a, S> {
    /// The store of `statements` on `session`.
    #[doc(hidden)]
    pub fn new(session: &'a Session, statements: &'a EventStatements) -> Self {
        Self {
            session,
            statements,
            options: Options::default(),
            upcaster: None,
            retries: DEFAULT_RETRIES,
            stream: std::marker::PhantomData,
        }
    }

    /// This store with `options` for every call (consistency, serial
    /// consistency, timeout, page size of loads).
    #[must_use]
    pub fn with(self, options: Options) -> Self {
        Self { options, ..self }
    }

    /// This store reading old events through `upcaster` (see [`Upcaster`]).
    #[must_use]
    pub fn with_upcaster(self, upcaster: Upcaster) -> Self {
        Self {
            upcaster: Some(upcaster),
            ..self
        }
    }

    /// This store trying a command or an `append_any` at most `attempts`
    /// times (at least 1) when other writers get there first.
    #[must_use]
    pub fn with_attempts(self, attempts: u32) -> Self {
        Self {
            retries: attempts.max(1),
            ..self
        }
    }

    /// The stream's current version (0 for a stream without events), read
    /// with a serial read, so it includes every append that landed.
    ///
    /// # Errors
    /// [`Error::Prepare`], [`Error::EventStore`] (a table laid out with
    /// another `partition every`) or a read's error.
    pub async fn version(&self, id: &S::Id) -> Result<u64> {
        self.traced("version", async {
            self.check_layout().await?;
            self.version_after(id, 0, 0).await
        })
        .await
    }

    /// `future`, the request of `operation` on this store, in its span
    /// (`<store>.<operation>`, the events table as the collection) and,
    /// with the `metrics` feature, measured.
    pub(super) fn traced<F, R>(
        &self,
        operation: &'static str,
        future: F,
    ) -> crate::trace::Traced<'_, F>
    where
        F: Future<Output = Result<R>>,
    {
        self.statements
            .instruments
            .run(operation, self.options.consistency, future)
    }

    /// The stream's version, knowing that partitions before `partition`
    /// end at `version`: the heads from `partition` on, until one is empty.
    pub(super) async fn version_after(
        &self,
        id: &S::Id,
        mut partition: u64,
        mut version: u64,
    ) -> Result<u64> {
        while let Some(head) = self.head(id, partition).await? {
            version = head;
            partition += 1;
        }
        Ok(version)
    }

    /// The last version in partition `partition` of stream `id` (`None`
    /// when it has no events), read with a serial read.
    pub(super) async fn head(&self, id: &S::Id, partition: u64) -> Result<Option<u64>> {
        let prepared = self.statements.head.prepared(self.session).await?;
        let mut serial = self.options.apply(prepared).into_owned();
        serial.set_consistency(match self.options.serial_consistency {
            Some(SerialConsistency::Serial) => Consistency::Serial,
            _ => Consistency::LocalSerial,
        });
        let row = self
            .session
            .execute_first::<(Option<i64>,)>(&serial, (id, to_cql(partition)))
            .await?;
        Ok(row.and_then(|(head,)| head).map(from_cql))
    }

    /// Refuses an events table laid out with another `partition every`
    /// (its comment states it): its streams' events sit in other
    /// partitions than this store would read and write. Read once per
    /// `Db`; a table without the statement (made by hand) is taken as it
    /// is.
    ///
    /// # Errors
    /// [`Error::EventStore`] naming both values, or a read's error.
    pub(super) async fn check_layout(&self) -> Result<()> {
        let statements = self.statements;
        statements
            .layout_checked
            .get_or_try_init(|| async {
                let prepared = statements.layout.prepared(self.session).await?;
                let (keyspace, table) = &statements.events_table_name;
                let row = self
                    .session
                    .execute_first::<(Option<String>,)>(&self.options.apply(prepared), (keyspace, table))
                    .await?;
                let stated = row
                    .and_then(|(comment,)| comment)
                    .as_deref()
                    .and_then(stated_partition_events);
                match stated {
                    Some(stated) if stated != S::SPEC.partition_events => Err(Error::EventStore {
                        store: self.name(),
                        problem: format!(
                            "table {table} holds events laid out with `partition every {stated}` (its comment says), \
                             and this schema says `partition every {}`: changing it for a store with events is not supported",
                            S::SPEC.partition_events
                        ),
                    }),
                    _ => Ok(()),
                }
            })
            .await?;
        Ok(())
    }

    /// The store's name, for errors.
    pub(super) fn name(&self) -> &'static str {
        S::SPEC.name
    }
}

/// A version or partition number as a CQL `bigint` (they stay far below
/// `i64::MAX`: a stream would need 2^63 events).
pub(super) fn to_cql(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A stored version or partition number (never negative: corm writes them).
pub(super) fn from_cql(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The `K` of `partition every K` in an events table's comment
/// (`corm event store Name: partition every K`).
fn stated_partition_events(comment: &str) -> Option<u64> {
    let (_, after) = comment.rsplit_once("partition every ")?;
    let digits = after
        .find(|c: char| !c.is_ascii_digit())
        .map_or(after, |end| &after[..end]);
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::stated_partition_events;

    #[test]
    fn the_comment_states_partition_every() {
        assert_eq!(
            stated_partition_events("corm event store Wallet: partition every 100000"),
            Some(100_000)
        );
        assert_eq!(
            stated_partition_events("corm event store Wallet: partition every 3."),
            Some(3)
        );
        assert_eq!(stated_partition_events("A wallet's events."), None);
        assert_eq!(stated_partition_events("partition every many"), None);
    }
}

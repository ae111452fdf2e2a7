//! Aggregates: a stream's events folded into a state (from the newest
//! snapshot that reads), and commands that decide new events from it and
//! append them at the version they saw, retrying on conflict.

use std::time::Duration;

use futures::TryStreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{EventStore, EventStream};
use crate::{Error, Result};

/// A state built from a stream's events (yours: `Default` is the state
/// before the first event; serde stores it in snapshots).
pub trait Aggregate: Default + Serialize + DeserializeOwned + Send + Sync {
    /// The store's event enum.
    type Event;

    /// The state after `event`.
    fn apply(&mut self, event: &Self::Event);
}

/// An aggregate as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<A> {
    /// The state after every event.
    pub state: A,
    /// The stream's version the state is at (0: no events).
    pub version: u64,
    /// Snapshots newer than the one used that did not read as `A` (a
    /// state type that changed incompatibly): skipped, replayed instead.
    pub skipped_snapshots: Vec<SkippedSnapshot>,
    /// Why the snapshot this load meant to write was not written (a
    /// snapshot is an optimisation: the state is right either way).
    pub snapshot_error: Option<String>,
}

/// A snapshot that did not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedSnapshot {
    /// Its version.
    pub version: u64,
    /// Why it did not read.
    pub error: String,
}

/// Why a command did not append.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError<E> {
    /// The command refused, with your error, unchanged.
    #[error("the command was refused: {0}")]
    Rejected(E),
    /// The store failed, or other writers kept getting there first until
    /// the attempts ran out ([`Error::Conflict`]).
    #[error(transparent)]
    Store(#[from] Error),
}

impl<'a, S: EventStream> EventStore<'a, S> {
    /// Stream `id`'s state: the newest snapshot that reads as `A` (none:
    /// `A::default()`), then every later event applied in order. With
    /// `snapshot every N`, a new snapshot is written when N or more events
    /// were replayed.
    ///
    /// # Errors
    /// A read's error, [`Error::EventDecode`], or [`Error::EventStore`]
    /// when the stream has a gap (a version missing).
    pub async fn load_aggregate<A: Aggregate<Event = S::Event>>(
        &self,
        id: &'a S::Id,
    ) -> Result<Loaded<A>> {
        self.traced("load_aggregate", self.replay::<A>(id)).await
    }

    async fn replay<A: Aggregate<Event = S::Event>>(&self, id: &'a S::Id) -> Result<Loaded<A>> {
        let (snapshot, skipped_snapshots) = self.newest_snapshot::<A>(id).await?;
        let (mut state, snapshot_version) = snapshot.unwrap_or_default();
        let mut version = snapshot_version;
        self.catch_up(id, &mut state, &mut version).await?;
        let mut snapshot_error = None;
        if let Some(every) = S::SPEC.snapshot_every
            && version - snapshot_version >= every
            && let Err(error) = self.write_snapshot(id, &state, version).await
        {
            snapshot_error = Some(error.to_string());
        }
        Ok(Loaded {
            state,
            version,
            skipped_snapshots,
            snapshot_error,
        })
    }

    /// Runs a command on stream `id`: loads its state, asks `decide` for
    /// the events to append, and appends them at the version loaded. When
    /// another writer appended first, the new events are applied and
    /// `decide` asked again, up to the store's attempts (20; see
    /// [`with_attempts`](Self::with_attempts)). Returns the stream's new
    /// version (unchanged when `decide` returns no events). With `snapshot
    /// every N`, a snapshot is written when the append crosses a multiple
    /// of N (best effort: once the events are stored, the command has
    /// succeeded whatever becomes of the snapshot).
    ///
    /// # Errors
    /// [`ExecuteError::Rejected`] with `decide`'s error;
    /// [`ExecuteError::Store`] with the store's, [`Error::Conflict`] when
    /// the attempts ran out.
    pub async fn execute<A, E>(
        &self,
        id: &'a S::Id,
        mut decide: impl FnMut(&A) -> std::result::Result<Vec<S::Event>, E>,
    ) -> std::result::Result<u64, ExecuteError<E>>
    where
        A: Aggregate<Event = S::Event>,
    {
        let Loaded {
            mut state,
            mut version,
            ..
        } = self.load_aggregate::<A>(id).await?;
        let mut attempt = 1;
        loop {
            let events = decide(&state).map_err(ExecuteError::Rejected)?;
            if events.is_empty() {
                return Ok(version);
            }
            match self.append(id, version, &events).await {
                Ok(new) => {
                    for event in &events {
                        state.apply(event);
                    }
                    // The events are stored: a snapshot that fails to be
                    // written is left to a later load (it would only have
                    // saved replay), never reported as the command failing.
                    if let Some(every) = S::SPEC.snapshot_every
                        && version / every.max(1) < new / every.max(1)
                    {
                        let _ = self.write_snapshot(id, &state, new).await;
                    }
                    return Ok(new);
                }
                Err(Error::Conflict { .. }) if attempt < self.retries => {
                    attempt += 1;
                    back_off(attempt).await;
                    self.catch_up(id, &mut state, &mut version).await?;
                }
                Err(error) => return Err(ExecuteError::Store(error)),
            }
        }
    }

    /// Applies stream `id`'s events after `version` to `state`, moving
    /// `version` to the last.
    async fn catch_up<A: Aggregate<Event = S::Event>>(
        &self,
        id: &'a S::Id,
        state: &mut A,
        version: &mut u64,
    ) -> Result<()> {
        let mut events = std::pin::pin!(self.load(id, *version + 1).await?);
        while let Some(recorded) = events.try_next().await? {
            if recorded.version != *version + 1 {
                return Err(Error::EventStore {
                    store: self.name(),
                    problem: format!(
                        "stream {id:?} has event {} after {version}: versions are missing",
                        recorded.version
                    ),
                });
            }
            state.apply(&recorded.event);
            *version = recorded.version;
        }
        Ok(())
    }
}

/// A short, growing, jittered pause before attempt `attempt` of a command
/// that lost a race, so that contending writers spread out.
pub(super) async fn back_off(attempt: u32) {
    let jitter = u64::try_from(uuid::Uuid::new_v4().as_u128() % 5).unwrap_or(0);
    let millis = u64::from(attempt.min(10)) + jitter;
    tokio::time::sleep(Duration::from_millis(millis)).await;
}

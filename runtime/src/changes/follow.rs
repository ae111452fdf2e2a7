//! Following a change log: the changes after a position, in position
//! order, read a settle window behind the present, with a sweep of the
//! recent past for changes that became visible late.

use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use futures::{Stream, StreamExt, TryStreamExt, future};
use scylla::value::{CqlTimestamp, CqlTimeuuid};

use super::log::{BUCKET_MILLIS, RawChange, SHARDS, bucket_of};
use super::{Change, ChangeRecord, Followed, Logged, Operation, Position, decode_record};
use crate::{Error, Repository, Result, Session, Statement, TableStatements, paging};

/// How a reader follows a change log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowOptions {
    /// How far behind the present the reader stays: a change is delivered
    /// once its position is this old, so a write still in flight, or from
    /// a writer whose clock lags by less than this, is in order.
    pub settle: Duration,
    /// How long the reader waits when it has caught up.
    pub poll: Duration,
    /// How far back the sweep for late changes looks.
    pub look_back: Duration,
    /// How often the sweep runs.
    pub sweep_every: Duration,
    /// The most changes one read takes from each of a log hour's eight
    /// partitions (bounds memory while catching up).
    pub read_limit: u32,
}

impl Default for FollowOptions {
    /// Settle 500 ms, poll every 100 ms, sweep the last 30 s every 5 s,
    /// read at most 1,000 changes a partition at a time.
    fn default() -> Self {
        Self {
            settle: Duration::from_millis(500),
            poll: Duration::from_millis(100),
            look_back: Duration::from_secs(30),
            sweep_every: Duration::from_secs(5),
            read_limit: 1000,
        }
    }
}

/// The columns a change row is read as.
type ChangeRow = (CqlTimeuuid, String, Vec<u8>, Vec<u8>, i64, String);

/// A reader's state between changes: it reads a log's raw changes, which
/// typed and dynamic readers decode.
pub(crate) struct Follower<'a> {
    session: &'a Session,
    statements: &'a TableStatements,
    options: FollowOptions,
    /// Every settled change up to here has been read.
    after: Position,
    /// Where the reader started: the sweep looks no further back.
    start: Position,
    /// The positions delivered within the sweep's reach.
    seen: BTreeSet<Position>,
    /// Read and not yet handed out, each with whether it is late.
    ready: VecDeque<(RawChange, bool)>,
    last_sweep: Instant,
    /// The position last reported by [`Follower::next_event`] as read to.
    reported: Position,
}

/// What a reader hands out next: a change, or word that it has read
/// every change up to a position.
pub(crate) enum FollowEvent {
    /// A change and whether it is late.
    Change(RawChange, bool),
    /// Every change up to here that was visible in time has been handed
    /// out (any later one for a position before it comes late).
    ReadTo(Position),
}

impl<'a, T: Logged> Repository<'a, T> {
    /// The changes of this table after `after`, in position order, as they
    /// are recorded (by any process), with the default
    /// [`FollowOptions`]; resume from the position of the last change
    /// handled. See [`corm::changes`](crate::changes) for what is
    /// guaranteed.
    ///
    /// The stream never ends by itself; a read that fails is delivered as
    /// an error and ends it (resume from the last position).
    ///
    /// # Errors
    /// Items are [`Error::ChangeLog`] when the table has no change log,
    /// when `after` is older than the log keeps changes, or when a change
    /// does not read; or the error of a failed read.
    pub fn changes(
        &self,
        after: Position,
    ) -> impl Stream<Item = Result<Change<T>>> + Send + use<'a, T> {
        self.changes_with(after, FollowOptions::default())
    }

    /// [`changes`](Self::changes) with `options`.
    ///
    /// # Errors
    /// As for [`changes`](Self::changes).
    pub fn changes_with(
        &self,
        after: Position,
        options: FollowOptions,
    ) -> impl Stream<Item = Result<Change<T>>> + Send + use<'a, T> {
        self.changes_with_progress(after, options)
            .filter_map(|item| {
                std::future::ready(match item {
                    Ok(Followed::Change(change)) => Some(Ok(change)),
                    Ok(Followed::ReadTo(_)) => None,
                    Err(error) => Some(Err(error)),
                })
            })
    }

    /// [`changes_with`](Self::changes_with), also saying how far the
    /// reader has read each time it catches up
    /// ([`Followed::ReadTo`]): what a consumer that must know that no
    /// earlier change is still coming (such as
    /// [`tumbling`](crate::changes::tumbling) windows) needs.
    ///
    /// # Errors
    /// As for [`changes`](Self::changes).
    pub fn changes_with_progress(
        &self,
        after: Position,
        options: FollowOptions,
    ) -> impl Stream<Item = Result<Followed<T>>> + Send + use<'a, T> {
        let repository = *self;
        let follower = Follower::new(self.session(), self.statements(), after, options);
        futures::stream::unfold(Some(follower), move |follower| async move {
            let mut follower = follower?;
            let item = match follower.next_event().await {
                Ok(FollowEvent::Change(raw, late)) => repository
                    .decode_change(&raw, late)
                    .await
                    .map(Followed::Change),
                Ok(FollowEvent::ReadTo(position)) => Ok(Followed::ReadTo(position)),
                Err(error) => Err(error),
            };
            // A failure ends the stream after it is delivered.
            let follower = item.is_ok().then_some(follower);
            Some((item, follower))
        })
    }
}

impl<'a, T: crate::Table> Repository<'a, T> {
    /// [`changes_with`](Self::changes_with) as [`ChangeRecord`]s: the
    /// columns by name with the driver's dynamic values (and their JSON),
    /// for tools and endpoints that do not know the model's Rust types.
    ///
    /// # Errors
    /// As for [`changes`](Self::changes).
    pub fn change_records(
        &self,
        after: Position,
        options: FollowOptions,
    ) -> impl Stream<Item = Result<ChangeRecord>> + Send + use<'a, T> {
        let (session, statements) = (self.session(), self.statements());
        let follower = Follower::new(session, statements, after, options);
        futures::stream::unfold(Some(follower), move |follower| async move {
            let mut follower = follower?;
            let item = match follower.next().await {
                Ok((raw, late)) => decode_record(session, statements, &raw, late).await,
                Err(error) => Err(error),
            };
            let follower = item.is_ok().then_some(follower);
            Some((item, follower))
        })
    }
}

impl<'a> Follower<'a> {
    /// A reader of `statements`' change log after `after`.
    pub(crate) fn new(
        session: &'a Session,
        statements: &'a TableStatements,
        after: Position,
        options: FollowOptions,
    ) -> Self {
        Self {
            session,
            statements,
            options,
            after,
            start: after,
            seen: BTreeSet::new(),
            ready: VecDeque::new(),
            last_sweep: Instant::now(),
            reported: after,
        }
    }

    /// How far the reader has read (the change endpoints' hub): every change up to here that was
    /// visible in time is handed out or ready.
    #[cfg(feature = "server")]
    pub(crate) fn position(&self) -> Position {
        self.after
    }

    /// The changes after the reader's position up to `to` (which must be
    /// settled: every change before it visible), in position order, as
    /// many as one read takes (see [`FollowOptions::read_limit`]); the
    /// reader moves past them. Empty once the reader is at `to`.
    #[cfg(feature = "server")]
    pub(crate) async fn read_chunk(&mut self, to: Position) -> Result<Vec<RawChange>> {
        if self.after >= to {
            return Ok(Vec::new());
        }
        let Some(log) = self.statements.changes() else {
            return Ok(Vec::new());
        };
        let (mut raws, read_to) = self.read(&log.read, self.after, to).await?;
        raws.sort_by_key(|raw| raw.position);
        self.after = read_to;
        Ok(raws)
    }

    /// The next change and whether it is late, waiting for one.
    pub(crate) async fn next(&mut self) -> Result<(RawChange, bool)> {
        loop {
            if let FollowEvent::Change(raw, late) = self.next_event().await? {
                return Ok((raw, late));
            }
        }
    }

    /// The next change, or, when the reader has caught up and has read
    /// further than it last said, how far it has read.
    pub(crate) async fn next_event(&mut self) -> Result<FollowEvent> {
        let model = self.statements.spec().model;
        let Some(log) = self.statements.changes() else {
            return Err(Error::ChangeLog {
                model,
                problem: "the model has no change log (`changes retain …`)".to_owned(),
            });
        };
        let retain = TimeDelta::seconds(i64::from(log.spec().retain_seconds));
        if self.after.time() < Utc::now() - retain {
            return Err(Error::ChangeLog {
                model,
                problem: format!(
                    "{} is older than the log keeps changes ({} s): its changes may have expired",
                    self.after,
                    log.spec().retain_seconds
                ),
            });
        }
        loop {
            if let Some((raw, late)) = self.ready.pop_front() {
                return Ok(FollowEvent::Change(raw, late));
            }
            let settled = Position::end_of(before(Utc::now(), self.options.settle));
            if settled > self.after {
                let (mut raws, read_to) = self.read(&log.read, self.after, settled).await?;
                raws.sort_by_key(|raw| raw.position);
                for raw in raws {
                    self.seen.insert(raw.position);
                    self.ready.push_back((raw, false));
                }
                self.after = read_to;
                if self.last_sweep.elapsed() >= self.options.sweep_every {
                    self.sweep(log).await?;
                }
                let reach = Position::at(before(self.after.time(), self.options.look_back));
                self.seen = self.seen.split_off(&reach);
                if !self.ready.is_empty() || read_to < settled {
                    continue;
                }
            }
            if self.reported < self.after {
                self.reported = self.after;
                return Ok(FollowEvent::ReadTo(self.after));
            }
            tokio::time::sleep(self.options.poll).await;
        }
    }

    /// Finds the changes within the look-back that were not delivered
    /// (visible only after the reader passed them) and queues them, late.
    async fn sweep(&mut self, log: &super::ChangeStatements) -> Result<()> {
        self.last_sweep = Instant::now();
        let from = Position::at(before(self.after.time(), self.options.look_back)).max(self.start);
        if from >= self.after {
            return Ok(());
        }
        let positions = self
            .read_positions(&log.read_positions, from, self.after)
            .await?;
        let mut late: Vec<Position> = positions
            .into_iter()
            .filter(|position| !self.seen.contains(position))
            .collect();
        late.sort();
        for position in late {
            let bucket = bucket_of(position.time());
            for shard in 0..SHARDS {
                let prepared = log.read_one.prepared(self.session).await?;
                let values = (CqlTimestamp(bucket), shard, position.cql());
                let found: Vec<ChangeRow> = self.rows(prepared, values).await?;
                for row in found {
                    let raw = self.raw(row)?;
                    self.seen.insert(raw.position);
                    self.ready.push_back((raw, true));
                }
            }
        }
        Ok(())
    }

    /// The changes in `(from, to]`, hour by hour, each hour's eight
    /// partitions read side by side, and how far they reach: `to`, or
    /// less when a partition had more than the read limit (the changes
    /// up to the first such partition's last are all there).
    async fn read(
        &self,
        read: &Statement,
        from: Position,
        to: Position,
    ) -> Result<(Vec<RawChange>, Position)> {
        let prepared = read.prepared(self.session).await?;
        let limit = i32::try_from(self.options.read_limit.max(1)).unwrap_or(i32::MAX);
        let mut raws = Vec::new();
        for bucket in buckets(from, to) {
            let reads = (0..SHARDS).map(|shard| async move {
                let values = (CqlTimestamp(bucket), shard, from.cql(), to.cql(), limit);
                self.rows::<ChangeRow>(prepared, values).await
            });
            let mut shards = Vec::new();
            for rows in future::try_join_all(reads).await? {
                let rows = rows
                    .into_iter()
                    .map(|row| self.raw(row))
                    .collect::<Result<Vec<_>>>()?;
                shards.push(rows);
            }
            let cut = shards
                .iter()
                .filter(|rows| rows.len() >= self.options.read_limit as usize)
                .filter_map(|rows| rows.last().map(|raw| raw.position))
                .min();
            for rows in shards {
                raws.extend(
                    rows.into_iter()
                        .filter(|raw| cut.is_none_or(|cut| raw.position <= cut)),
                );
            }
            if let Some(cut) = cut {
                return Ok((raws, cut));
            }
        }
        Ok((raws, to))
    }

    /// The positions in `(from, to]`.
    async fn read_positions(
        &self,
        read: &Statement,
        from: Position,
        to: Position,
    ) -> Result<Vec<Position>> {
        let prepared = read.prepared(self.session).await?;
        let partitions =
            buckets(from, to).flat_map(|bucket| (0..SHARDS).map(move |shard| (bucket, shard)));
        let reads = partitions.map(|(bucket, shard)| async move {
            let values = (CqlTimestamp(bucket), shard, from.cql(), to.cql());
            self.rows::<(CqlTimeuuid,)>(prepared, values).await
        });
        Ok(future::try_join_all(reads)
            .await?
            .into_iter()
            .flatten()
            .map(|(position,)| Position::from_cql(position))
            .collect())
    }

    /// Every row `prepared` returns for `values`, a page at a time.
    async fn rows<R>(
        &self,
        prepared: &scylla::statement::prepared::PreparedStatement,
        values: impl scylla::serialize::row::SerializeRow,
    ) -> Result<Vec<R>>
    where
        R: for<'f, 'm> scylla::deserialize::row::DeserializeRow<'f, 'm> + Send + 'static,
    {
        paging::stream(self.session, prepared.clone(), values, None)
            .await?
            .try_collect()
            .await
    }

    /// A change row as stored.
    fn raw(&self, row: ChangeRow) -> Result<RawChange> {
        let (position, operation, key, cells, mask, writer) = row;
        let position = Position::from_cql(position);
        let operation = Operation::parse(&operation).ok_or_else(|| Error::ChangeLog {
            model: self.statements.spec().model,
            problem: format!("the change at {position} has an unknown operation `{operation}`"),
        })?;
        Ok(RawChange {
            position,
            operation,
            key,
            cells,
            mask: u64::from_ne_bytes(mask.to_ne_bytes()),
            writer,
        })
    }
}

/// The log hours (`bucket`s) that hold the positions in `(from, to]`.
fn buckets(from: Position, to: Position) -> impl Iterator<Item = i64> {
    let (first, last) = (bucket_of(from.time()), bucket_of(to.time()));
    let hours = (last - first).div_euclid(BUCKET_MILLIS).max(0);
    (0..=hours).map(move |hour| first + hour * BUCKET_MILLIS)
}

/// `duration` before `time` (the earliest time there is, when that is
/// before it: a duration a caller set, which must not panic).
pub(crate) fn before(time: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(duration)
        .ok()
        .and_then(|delta| time.checked_sub_signed(delta))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

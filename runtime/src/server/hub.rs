//! One model's changes for every subscriber of a server: a single reader
//! of the change log hands each change to all of them (a broadcast ring
//! whose size bounds how far a subscriber may fall behind), and a
//! subscriber that resumes from a position first replays the log up to
//! where the hub is.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use scylla::frame::response::result::ColumnType;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use super::filter::CheckedFilter;
use crate::changes::{ChangeRecord, FollowOptions, Follower, Position, before, decode_record};
use crate::{Error, Result, Session, TableSpec, TableStatements};

/// A model's hub: its change log's reader and subscribers.
pub(crate) struct Hub {
    pub model: &'static str,
    session: Session,
    statements: Arc<TableStatements>,
    sender: broadcast::Sender<Arc<Shared>>,
    /// How far the hub's reader has read (every change up to here it has
    /// handed out, or is about to: never behind a change it sent).
    position: watch::Receiver<Position>,
    /// Every column, with its CQL type (for filters).
    pub columns: Vec<(String, ColumnType<'static>)>,
    /// The partition key's columns (for rooms).
    pub partition: Vec<String>,
    retain_seconds: u32,
    follow: FollowOptions,
    reader: JoinHandle<()>,
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("model", &self.model)
            .field("subscribers", &self.sender.receiver_count())
            .finish_non_exhaustive()
    }
}

/// A change as the hub hands it out: decoded and written as JSON once,
/// whatever the number of subscribers.
#[derive(Debug)]
pub(crate) struct Shared {
    pub record: ChangeRecord,
    /// `record.to_json()`, as text.
    pub json: String,
}

impl Shared {
    fn new(record: ChangeRecord) -> Arc<Self> {
        let json = record.to_json().to_string();
        Arc::new(Self { record, json })
    }
}

/// What a subscriber gets next.
#[derive(Debug)]
pub(crate) enum Item {
    /// A change that passed its filter.
    Change(Arc<Shared>),
    /// The subscription ends, for this reason.
    Closed(String),
}

impl Hub {
    /// The hub of `spec`'s model in `keyspace`, reading from now on with
    /// `follow`; a subscriber may fall `queue` changes behind.
    pub async fn start(
        session: Session,
        keyspace: &str,
        spec: &'static TableSpec,
        follow: FollowOptions,
        queue: usize,
    ) -> Result<Arc<Self>> {
        let Some(log) = spec.changes else {
            return Err(Error::ChangeLog {
                model: spec.model,
                problem: "the model has no change log (`changes retain …`)".to_owned(),
            });
        };
        let statements = Arc::new(TableStatements::new(keyspace, spec));
        let insert = statements.insert_using.prepared(&session).await?;
        let specs = insert.get_variable_col_specs();
        let columns = specs.as_slice()[..specs.len().saturating_sub(2)]
            .iter()
            .map(|spec| (spec.name().to_owned(), spec.typ().clone()))
            .collect();
        let partition = statements
            .partition
            .prepared(&session)
            .await?
            .get_variable_col_specs()
            .iter()
            .map(|spec| spec.name().to_owned())
            .collect();
        let start = Position::now();
        let (sender, _) = broadcast::channel(queue.max(1));
        let (moved, position) = watch::channel(start);
        let reader = tokio::spawn(read(
            session.clone(),
            Arc::clone(&statements),
            sender.clone(),
            moved,
            start,
            follow,
        ));
        Ok(Arc::new(Self {
            model: spec.model,
            session,
            statements,
            sender,
            position,
            columns,
            partition,
            retain_seconds: log.retain_seconds,
            follow,
            reader,
        }))
    }

    /// A subscription from now on, or after `after` (its changes first
    /// replayed from the log), passing `filter`.
    ///
    /// # Errors
    /// Why it can't be made: `after` is older than the log keeps changes.
    pub fn subscribe(
        self: &Arc<Self>,
        after: Option<Position>,
        filter: Option<CheckedFilter>,
    ) -> std::result::Result<Subscriber, String> {
        // Subscribed first: a change the hub sends from now on is received
        // or, if it is not after `from`, replayed.
        let receiver = self.sender.subscribe();
        let from = *self.position.borrow();
        let retain = TimeDelta::seconds(i64::from(self.retain_seconds));
        let replay = match after {
            Some(after) if after.time() < Utc::now() - retain => {
                return Err(format!(
                    "{after} is older than the change log of `{}` keeps changes ({} s)",
                    self.model, self.retain_seconds
                ));
            }
            Some(after) if after < from => Some(after),
            _ => None,
        };
        Ok(Subscriber {
            hub: Arc::clone(self),
            receiver,
            from,
            replay,
            replayed: HashSet::new(),
            pending: Vec::new(),
            filter,
        })
    }
}

/// The hub's reader: follows the log and sends each change to the
/// subscribers; a failed read is logged and retried from where it was.
async fn read(
    session: Session,
    statements: Arc<TableStatements>,
    sender: broadcast::Sender<Arc<Shared>>,
    moved: watch::Sender<Position>,
    start: Position,
    follow: FollowOptions,
) {
    // Every change in order up to here is sent: a failed read resumes
    // after it (the changes the reader had read but not handed out are
    // read again).
    let mut sent = start;
    loop {
        let mut follower = Follower::new(&session, &statements, sent, follow);
        loop {
            match follower.next().await {
                Ok((raw, late)) => {
                    // Moved on before the change is sent: a subscriber
                    // that reads the position after subscribing replays
                    // every change it may have missed.
                    moved.send_replace(follower.position());
                    match decode_record(&session, &statements, &raw, late).await {
                        Ok(record) => {
                            // No subscriber is not an error.
                            let _ = sender.send(Shared::new(record));
                            // Subscribers on this thread read it before
                            // the next: a burst does not outrun them.
                            tokio::task::yield_now().await;
                        }
                        Err(error) => tracing::warn!(%error, "corm change hub: skipped a change"),
                    }
                    if !late {
                        sent = raw.position;
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "corm change hub: reading the change log failed; retrying");
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// One subscription: the replay of the log up to where the hub was when
/// it was made, then the hub's changes after that.
pub(crate) struct Subscriber {
    hub: Arc<Hub>,
    receiver: broadcast::Receiver<Arc<Shared>>,
    /// Where the hub was: replayed up to here, live after.
    from: Position,
    /// Where the replay is, while it lasts.
    replay: Option<Position>,
    /// The replayed changes a late change from the hub could be (within
    /// the hub's look-back of `from`): a late change the hub sends is
    /// given only if it is not one of them.
    replayed: HashSet<Position>,
    pending: Vec<Arc<Shared>>,
    filter: Option<CheckedFilter>,
}

impl Subscriber {
    /// The next item, and the subscriber back (a future that owns it, to
    /// race with other events without losing a half-read replay).
    pub async fn into_next(mut self) -> (Self, Item) {
        let item = self.next().await;
        (self, item)
    }

    /// The next item, waiting for one.
    pub async fn next(&mut self) -> Item {
        loop {
            if let Some(change) = self.pending.pop() {
                return Item::Change(change);
            }
            if let Some(after) = self.replay {
                match self.replay_chunk(after).await {
                    Ok(()) => continue,
                    Err(error) => {
                        return Item::Closed(format!("replaying the change log failed: {error}"));
                    }
                }
            }
            match self.receiver.recv().await {
                Ok(change) => {
                    let record = &change.record;
                    let replayed = if record.late {
                        self.replayed.contains(&record.position)
                    } else {
                        record.position <= self.from
                    };
                    if !replayed && self.passes(record) {
                        return Item::Change(change);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    return Item::Closed(format!(
                        "too slow: {missed} changes went past this subscriber's queue; resume from the last position received"
                    ));
                }
                Err(broadcast::error::RecvError::Closed) => {
                    return Item::Closed("the server is shutting down".to_owned());
                }
            }
        }
    }

    /// Reads the next part of the replay into `pending`.
    async fn replay_chunk(&mut self, after: Position) -> Result<()> {
        let hub = Arc::clone(&self.hub);
        let mut follower = Follower::new(&hub.session, &hub.statements, after, hub.follow);
        let raws = follower.read_chunk(self.from).await?;
        self.replay = (follower.position() < self.from).then_some(follower.position());
        let mut changes = Vec::with_capacity(raws.len());
        // A late change the hub sends is at most its look-back older than
        // where the hub was: only those replayed positions are kept.
        let oldest_late = Position::at(before(self.from.time(), hub.follow.look_back));
        for raw in raws {
            if raw.position > oldest_late {
                self.replayed.insert(raw.position);
            }
            let record = decode_record(&hub.session, &hub.statements, &raw, false).await?;
            if self.passes(&record) {
                changes.push(Shared::new(record));
            }
        }
        // Popped from the back.
        changes.reverse();
        self.pending = changes;
        Ok(())
    }

    fn passes(&self, change: &ChangeRecord) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|filter| filter.matches(change))
    }
}

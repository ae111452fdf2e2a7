//! Loads: a stream's events from a version on, partition after partition,
//! as a `Stream`.

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt, stream};
use uuid::Uuid;

use super::store::{from_cql, to_cql};
use super::{Event, EventStore, EventStream, Recorded};
use crate::{Error, Result, paging};

/// A stored event's row: version, type, payload, time.
type Row = (i64, String, String, DateTime<Utc>);

/// A stored event's row with the id of the append that wrote it.
type RowWithAppend = (i64, String, String, DateTime<Utc>, Option<Uuid>);

impl<'a, S: EventStream> EventStore<'a, S> {
    /// The events of stream `id` from version `from` on (1: all), in
    /// version order, a page at a time.
    ///
    /// A version lives in the partition of the append that wrote it,
    /// which is the partition of `version - 1` or the one before (an
    /// append may run past a partition's `K`), so the read starts one
    /// partition early and stops at the first partition after it with no
    /// events from `from` on.
    ///
    /// # Errors
    /// [`Error::Prepare`] or [`Error::EventStore`] (a table laid out with
    /// another `partition every`) before the first event; as items, a
    /// read's error or [`Error::EventDecode`].
    pub async fn load(
        &self,
        id: &'a S::Id,
        from: u64,
    ) -> Result<impl Stream<Item = Result<Recorded<S::Event>>> + Send + 'a> {
        self.load_of(id, from).await
    }

    /// [`load`](Self::load) of an id held by reference or shared (an
    /// `Arc`, when the caller builds the id and the stream outlives it: a
    /// tenant's handle).
    pub(crate) async fn load_of<I>(
        &self,
        id: I,
        from: u64,
    ) -> Result<impl Stream<Item = Result<Recorded<S::Event>>> + Send + 'a>
    where
        I: std::ops::Deref<Target = S::Id> + Clone + Send + Sync + 'a,
    {
        let store = *self;
        Ok(self
            .rows::<Row, I>(&self.statements.events, id.clone(), from)
            .await?
            .and_then(move |(version, event_type, payload, recorded_at)| {
                std::future::ready(store.decode(&id, version, event_type, &payload, recorded_at))
            }))
    }

    /// [`load`](Self::load), each event with the id of the append that
    /// wrote it (its feed entry's position): for projections, which tell
    /// an entry's append from another by it.
    pub(super) async fn load_with_appends(
        &self,
        id: &'a S::Id,
        from: u64,
    ) -> Result<impl Stream<Item = Result<(Recorded<S::Event>, Option<Uuid>)>> + Send + 'a> {
        let store = *self;
        Ok(self
            .rows::<RowWithAppend, _>(&self.statements.events_with_appends, id, from)
            .await?
            .and_then(move |(version, event_type, payload, recorded_at, append)| {
                std::future::ready(
                    store
                        .decode(id, version, event_type, &payload, recorded_at)
                        .map(|recorded| (recorded, append)),
                )
            }))
    }

    /// The rows `statement` reads of stream `id` from version `from` on,
    /// partition after partition.
    async fn rows<R, I>(
        &self,
        statement: &crate::Statement,
        id: I,
        from: u64,
    ) -> Result<impl Stream<Item = Result<R>> + Send + 'a>
    where
        R: for<'f, 'm> scylla::deserialize::row::DeserializeRow<'f, 'm> + Send + 'static,
        I: std::ops::Deref<Target = S::Id> + Clone + Send + Sync + 'a,
    {
        let spec = S::SPEC;
        self.check_layout().await?;
        let prepared = self
            .options
            .apply(statement.prepared(self.session).await?)
            .into_owned();
        let from = from.max(1);
        let first = ((from - 1) / spec.partition_events.max(1)).saturating_sub(1);
        let (session, page_size) = (self.session, self.options.page_size);
        let partitions = stream::unfold(Some(first), move |partition| {
            let prepared = prepared.clone();
            let id = id.clone();
            async move {
                let partition = partition?;
                let rows = paging::stream::<R>(
                    session,
                    prepared,
                    (&*id, to_cql(partition), to_cql(from)),
                    page_size,
                )
                .await;
                let mut rows = match rows {
                    Ok(rows) => rows.peekable(),
                    Err(error) => {
                        return Some((stream::iter(vec![Err(error)]).left_stream(), None));
                    }
                };
                let empty = std::pin::Pin::new(&mut rows).peek().await.is_none();
                if empty && partition > first {
                    return None;
                }
                Some((rows.right_stream(), Some(partition + 1)))
            }
        });
        Ok(partitions.flatten())
    }

    /// A stored row as an event, through the upcaster when the event enum
    /// does not read it.
    fn decode(
        &self,
        id: &S::Id,
        version: i64,
        event_type: String,
        payload: &str,
        recorded_at: DateTime<Utc>,
    ) -> Result<Recorded<S::Event>> {
        let event = match S::Event::from_payload(&event_type, payload) {
            Ok(event) => Ok(event),
            Err(error) => match self
                .upcaster
                .and_then(|upcast| upcast(&event_type, payload))
            {
                Some((event_type, payload)) => S::Event::from_payload(&event_type, &payload),
                None => Err(error),
            },
        };
        match event {
            Ok(event) => Ok(Recorded {
                version: from_cql(version),
                recorded_at,
                event,
            }),
            Err(source) => Err(Error::EventDecode {
                store: self.name(),
                id: format!("{id:?}"),
                version: from_cql(version),
                event_type,
                source,
            }),
        }
    }
}

//! The immediate path: the changes this process writes, handed to its
//! subscribers as each write is acknowledged, without reading the log.

use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::{Change, Logged};
use crate::{Error, Repository, Result};

impl<'a, T: Logged> Repository<'a, T> {
    /// The changes of this table that writes through this `Db` (its
    /// clones included) make from now on, each as soon as its write is
    /// acknowledged: no polling delay, but only this process's writes and
    /// no resuming (for those, [`changes`](Self::changes)).
    ///
    /// A subscriber that falls more than 1,024 changes behind gets an
    /// [`Error::ChangesMissed`] saying how many it missed, then the
    /// changes after them.
    pub fn live_changes(&self) -> impl Stream<Item = Result<Change<T>>> + Send + use<'a, T> {
        let repository = *self;
        let receiver = self.statements().changes().map(|log| log.live.subscribe());
        futures::stream::unfold(
            (repository, receiver),
            |(repository, mut receiver)| async move {
                let live = receiver.as_mut()?;
                let item = match live.recv().await {
                    Ok(raw) => repository.decode_change(&raw, false).await,
                    Err(RecvError::Lagged(missed)) => Err(Error::ChangesMissed {
                        model: repository.statements().spec().model,
                        missed,
                    }),
                    Err(RecvError::Closed) => return None,
                };
                Some((item, (repository, receiver)))
            },
        )
    }
}

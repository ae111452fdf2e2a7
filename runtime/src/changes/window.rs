//! Windowed aggregates over a change stream: counts and sums of changes
//! per group in tumbling windows of the changes' positions (real-time
//! analytics: orders per status per minute, amounts per region per hour).

use std::collections::BTreeMap;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::{Stream, StreamExt};

use super::{Change, Followed, Logged};
use crate::Result;

/// The totals of one group in one window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// The changes counted.
    pub count: u64,
    /// The sum of their values (changes without a value count, add 0).
    pub sum: f64,
}

/// One tumbling window's totals per group.
#[derive(Clone, Debug, PartialEq)]
pub struct Window<K> {
    /// Its first instant (a multiple of the width since the Unix epoch).
    pub start: DateTime<Utc>,
    /// Its end (excluded).
    pub end: DateTime<Utc>,
    /// The totals of each group with changes in the window.
    pub groups: BTreeMap<K, Totals>,
    /// Late changes (see [`Change::late`]) that belonged to a window
    /// already given out: counted here, not in their own window.
    pub late: u64,
}

/// Tumbling windows of `width` over `changes` (a stream in position
/// order: best [`Repository::changes_with_progress`](crate::Repository::changes_with_progress),
/// or any stream of changes such as
/// [`Repository::changes`](crate::Repository::changes)): each change
/// whose `group` is `Some` is counted in its group and adds its `value`
/// (`None`: 0) to the group's sum, in the window its position falls in.
///
/// A window is given out once the stream has shown that none of its
/// changes is still to come: a change after it arrives, or the reader
/// says it has read past its end ([`Followed::ReadTo`]; a plain change
/// stream never says so, and its windows wait for the next change).
/// Every window from the first change's on is given out, empty ones
/// included, so a dashboard sees them all; a change that comes
/// [`late`](Change::late), after its window was given out, is counted in
/// the open window's [`late`](Window::late). The stream ends with the last
/// window when `changes` ends, and with the error when it fails.
pub fn tumbling<'s, T, K, I, S>(
    changes: S,
    width: Duration,
    group: impl Fn(&Change<T>) -> Option<K> + Send + 's,
    value: impl Fn(&Change<T>) -> Option<f64> + Send + 's,
) -> impl Stream<Item = Result<Window<K>>> + Send + 's
where
    T: Logged,
    K: Ord + Clone + Send + 's,
    I: Into<Followed<T>> + 's,
    S: Stream<Item = Result<I>> + Send + 's,
{
    // At most a year: a window's end stays a time (wider is no use).
    let width = TimeDelta::from_std(width)
        .unwrap_or(TimeDelta::days(365))
        .clamp(TimeDelta::milliseconds(1), TimeDelta::days(365));
    let state = State::<'s, T, K> {
        changes: Box::pin(changes.map(|item| item.map(Into::into))),
        group: Box::new(group),
        value: Box::new(value),
        width,
        open: None,
        pending: None,
        done: false,
    };
    futures::stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        loop {
            let next = match state.pending.take() {
                Some(followed) => Some(Ok(followed)),
                None => state.changes.next().await,
            };
            let followed = match next {
                None => {
                    state.done = true;
                    return state.open.take().map(|closed| (Ok(closed), state));
                }
                Some(Err(error)) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
                Some(Ok(followed)) => followed,
            };
            let time = match &followed {
                Followed::Change(change) => change.position.time(),
                Followed::ReadTo(position) => position.time(),
            };
            if state.open.is_none() {
                if matches!(followed, Followed::ReadTo(_)) {
                    // Windows start at the first change's.
                    continue;
                }
                let into = time
                    .timestamp_millis()
                    .rem_euclid(state.width.num_milliseconds());
                let first = state.window_at(time - TimeDelta::milliseconds(into));
                state.open = Some(first);
            }
            let Some(open) = state.open.as_mut() else {
                continue;
            };
            if time >= open.end {
                // Given out, then what came is looked at again against
                // the next window (after empty ones, if any).
                let end = open.end;
                let next_window = state.window_at(end);
                let closed = state.open.replace(next_window);
                state.pending = Some(followed);
                return closed.map(|closed| (Ok(closed), state));
            }
            let Followed::Change(change) = followed else {
                continue;
            };
            if time < open.start {
                open.late += 1;
                continue;
            }
            state.count(&change);
        }
    })
}

/// What a window reads off a change (its group, its value).
type Reading<'s, T, V> = Box<dyn Fn(&Change<T>) -> Option<V> + Send + 's>;

/// The windows' state between items.
struct State<'s, T: Logged, K> {
    changes: Pin<Box<dyn Stream<Item = Result<Followed<T>>> + Send + 's>>,
    group: Reading<'s, T, K>,
    value: Reading<'s, T, f64>,
    width: TimeDelta,
    open: Option<Window<K>>,
    /// What came after the window just given out, to look at next.
    pending: Option<Followed<T>>,
    done: bool,
}

impl<T: Logged, K: Ord> State<'_, T, K> {
    /// The window that starts at `start`, empty.
    fn window_at(&self, start: DateTime<Utc>) -> Window<K> {
        Window {
            start,
            end: start + self.width,
            groups: BTreeMap::new(),
            late: 0,
        }
    }

    /// Counts `change` in the open window (its position is in it).
    fn count(&mut self, change: &Change<T>) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        if let Some(key) = (self.group)(change) {
            let totals = open.groups.entry(key).or_default();
            totals.count += 1;
            totals.sum += (self.value)(change).unwrap_or(0.0);
        }
    }
}

//! The options of a request: consistency, timeout, write time, time to
//! live and page size, in one [`Options`] value that a repository (or a
//! batch) carries and applies to every statement it runs.
//!
//! A time to live is not a statement option in CQL: it is part of the
//! statement text. Writes that have one (or a write time) run their
//! `… USING TTL ? AND TIMESTAMP ?` statement and bind
//! [`Options::bound_ttl`] and [`Options::bound_timestamp`] to those
//! markers (an unset value means "no TTL" and "the coordinator's time").

use std::borrow::Cow;
use std::time::Duration;

use scylla::statement::prepared::PreparedStatement;
use scylla::statement::{Consistency, SerialConsistency};
use scylla::value::MaybeUnset;

/// The options of requests; `None` keeps the session's default.
///
/// Built with its setters and given to a repository, whose every call then
/// uses them:
///
/// ```
/// use std::time::Duration;
/// let options = corm::Options::new()
///     .consistency(corm::Consistency::LocalQuorum)
///     .timeout(Duration::from_secs(2))
///     .ttl(3600);
/// assert_eq!(options.ttl, Some(3600));
/// assert!(options.writes_using());
/// assert!(!corm::Options::new().writes_using());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The consistency level.
    pub consistency: Option<Consistency>,
    /// The consistency level of the Paxos phase of a conditional write.
    pub serial_consistency: Option<SerialConsistency>,
    /// How long a request may take (per page, for paged reads).
    pub timeout: Option<Duration>,
    /// The write time of writes, in microseconds since the Unix epoch.
    pub timestamp: Option<i64>,
    /// The time to live of written cells, in seconds (bound to a
    /// `USING TTL ?` marker, see the [module docs](self)).
    pub ttl: Option<i32>,
    /// Rows per page for paged reads (positive).
    pub page_size: Option<i32>,
}

impl Options {
    /// The session's defaults.
    pub const fn new() -> Self {
        Self {
            consistency: None,
            serial_consistency: None,
            timeout: None,
            timestamp: None,
            ttl: None,
            page_size: None,
        }
    }

    /// Sets the consistency level.
    #[must_use]
    pub const fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Sets the consistency level of the Paxos phase of conditional writes.
    #[must_use]
    pub const fn serial_consistency(mut self, consistency: SerialConsistency) -> Self {
        self.serial_consistency = Some(consistency);
        self
    }

    /// Sets the request timeout.
    #[must_use]
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the write time, in microseconds since the Unix epoch.
    #[must_use]
    pub const fn timestamp(mut self, micros: i64) -> Self {
        self.timestamp = Some(micros);
        self
    }

    /// Sets the time to live of written cells, in seconds.
    #[must_use]
    pub const fn ttl(mut self, seconds: i32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    /// Sets the number of rows per page of paged reads.
    #[must_use]
    pub const fn page_size(mut self, rows: i32) -> Self {
        self.page_size = Some(rows);
        self
    }

    /// Whether a write runs its `USING TTL ? AND TIMESTAMP ?` statement: a
    /// time to live or a write time is set.
    pub const fn writes_using(&self) -> bool {
        self.ttl.is_some() || self.timestamp.is_some()
    }

    /// The value for a `USING TTL ?` marker: unset (no TTL) when none is set.
    #[inline]
    pub fn bound_ttl(&self) -> MaybeUnset<i32> {
        self.ttl.map_or(MaybeUnset::Unset, MaybeUnset::Set)
    }

    /// The value for a `USING TIMESTAMP ?` marker: unset (the coordinator's
    /// time) when none is set.
    #[inline]
    pub fn bound_timestamp(&self) -> MaybeUnset<i64> {
        self.timestamp.map_or(MaybeUnset::Unset, MaybeUnset::Set)
    }

    /// `prepared` with these options set (all but the TTL, which is bound to
    /// a marker, and the page size, which the paging functions check): the
    /// statement itself when no option applies to it, else a clone (an
    /// `Arc` bump, no copy of its text).
    #[inline]
    pub fn apply<'p>(&self, prepared: &'p PreparedStatement) -> Cow<'p, PreparedStatement> {
        if self.consistency.is_none()
            && self.serial_consistency.is_none()
            && self.timeout.is_none()
            && self.timestamp.is_none()
        {
            return Cow::Borrowed(prepared);
        }
        Cow::Owned(self.applied_to_clone(prepared))
    }

    /// A clone of `prepared` with the options that apply to it set (the
    /// uncommon case of [`apply`](Self::apply), out of line).
    #[inline(never)]
    fn applied_to_clone(&self, prepared: &PreparedStatement) -> PreparedStatement {
        let mut statement = prepared.clone();
        if let Some(consistency) = self.consistency {
            statement.set_consistency(consistency);
        }
        if self.serial_consistency.is_some() {
            statement.set_serial_consistency(self.serial_consistency);
        }
        if self.timeout.is_some() {
            statement.set_request_timeout(self.timeout);
        }
        if self.timestamp.is_some() {
            statement.set_timestamp(self.timestamp);
        }
        statement
    }

    /// Sets these options on a driver batch (all but the TTL and the page
    /// size).
    pub(crate) fn apply_to_batch(&self, batch: &mut scylla::statement::batch::Batch) {
        if let Some(consistency) = self.consistency {
            batch.set_consistency(consistency);
        }
        if self.serial_consistency.is_some() {
            batch.set_serial_consistency(self.serial_consistency);
        }
        if self.timeout.is_some() {
            batch.set_request_timeout(self.timeout);
        }
        if self.timestamp.is_some() {
            batch.set_timestamp(self.timestamp);
        }
    }
}

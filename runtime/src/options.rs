//! Per-call options for reads and writes, applied to a clone of a prepared
//! statement (an `Arc` bump).
//!
//! A time to live is not a statement option in CQL: it is part of the
//! statement text. Generated statements that accept one are written
//! `… USING TTL ? AND TIMESTAMP ?` and bind [`WriteOptions::bound_ttl`] and
//! [`WriteOptions::bound_timestamp`] to those markers (an unset value means
//! "no TTL" and "the coordinator's time").

use std::time::Duration;

use scylla::statement::prepared::PreparedStatement;
use scylla::statement::{Consistency, SerialConsistency};
use scylla::value::MaybeUnset;

/// Options of one read; `None` keeps the session's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The consistency level.
    pub consistency: Option<Consistency>,
    /// How long the request may take (per page, for paged reads).
    pub timeout: Option<Duration>,
    /// Rows per page for paged reads (positive).
    pub page_size: Option<i32>,
}

impl ReadOptions {
    /// The session's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the consistency level.
    #[must_use]
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Sets the request timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the number of rows per page.
    #[must_use]
    pub fn page_size(mut self, rows: i32) -> Self {
        self.page_size = Some(rows);
        self
    }

    /// A clone of `prepared` with these options set. A page size that is not
    /// positive is left out here; the paging functions reject it.
    pub fn apply(&self, prepared: &PreparedStatement) -> PreparedStatement {
        let mut statement = prepared.clone();
        if let Some(consistency) = self.consistency {
            statement.set_consistency(consistency);
        }
        if self.timeout.is_some() {
            statement.set_request_timeout(self.timeout);
        }
        if let Some(rows) = self.page_size.filter(|rows| *rows > 0) {
            statement.set_page_size(rows);
        }
        statement
    }
}

/// Options of one write; `None` keeps the session's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// The consistency level.
    pub consistency: Option<Consistency>,
    /// The consistency level of the Paxos phase of a conditional write.
    pub serial_consistency: Option<SerialConsistency>,
    /// How long the request may take.
    pub timeout: Option<Duration>,
    /// The write time, in microseconds since the Unix epoch.
    pub timestamp: Option<i64>,
    /// The time to live of the written cells, in seconds (bound to a
    /// `USING TTL ?` marker, see the [module docs](self)).
    pub ttl: Option<i32>,
}

impl WriteOptions {
    /// The session's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the consistency level.
    #[must_use]
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Sets the consistency level of the Paxos phase of conditional writes.
    #[must_use]
    pub fn serial_consistency(mut self, consistency: SerialConsistency) -> Self {
        self.serial_consistency = Some(consistency);
        self
    }

    /// Sets the request timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the write time, in microseconds since the Unix epoch.
    #[must_use]
    pub fn timestamp(mut self, micros: i64) -> Self {
        self.timestamp = Some(micros);
        self
    }

    /// Sets the time to live, in seconds.
    #[must_use]
    pub fn ttl(mut self, seconds: i32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    /// The value for a `USING TTL ?` marker: unset (no TTL) when none is set.
    pub fn bound_ttl(&self) -> MaybeUnset<i32> {
        self.ttl.map_or(MaybeUnset::Unset, MaybeUnset::Set)
    }

    /// The value for a `USING TIMESTAMP ?` marker: unset (the coordinator's
    /// time) when none is set.
    pub fn bound_timestamp(&self) -> MaybeUnset<i64> {
        self.timestamp.map_or(MaybeUnset::Unset, MaybeUnset::Set)
    }

    /// A clone of `prepared` with these options set (all but the TTL, which
    /// is bound to a marker).
    pub fn apply(&self, prepared: &PreparedStatement) -> PreparedStatement {
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

    /// Sets these options on a driver batch (all but the TTL).
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

/// The direction of a read over a clustering column, as in CQL's
/// `ORDER BY column ASC|DESC` (whatever the table's clustering order).
/// Named so that it does not clash with a model called `Order`.
///
/// ```
/// assert_eq!(corm::SortOrder::Asc.as_cql(), "ASC");
/// assert_eq!(corm::SortOrder::Desc.reversed(), corm::SortOrder::Asc);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

impl SortOrder {
    /// `ASC` or `DESC`.
    pub const fn as_cql(self) -> &'static str {
        match self {
            Self::Asc => "ASC",
            Self::Desc => "DESC",
        }
    }

    /// The other direction.
    #[must_use]
    pub const fn reversed(self) -> Self {
        match self {
            Self::Asc => Self::Desc,
            Self::Desc => Self::Asc,
        }
    }
}

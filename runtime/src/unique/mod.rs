//! Claims of `@unique` values, written once over what generated code states
//! of a model ([`Unique`]): [`Repository`](crate::Repository)'s
//! `insert_claiming`, `insert_if_not_exists_claiming`, `update_claiming`,
//! `delete_claiming`, `delete_partition_claiming` and `find_unique`.
//!
//! A `@unique` field has a lookup table keyed by the value; a row that holds
//! a value owns its claim there. Generated writes claim before they write the
//! row and give claims back after, so a write that is cancelled (a dropped
//! future, a timeout, a client that went away) or that fails midway can leave
//! a claim whose owner row does not hold the value. Such a claim is *stale*,
//! and the protocol makes it harmless:
//!
//! - Every claim carries a fresh [`ClaimToken`], and every release deletes a
//!   claim only if it still carries the token its releaser read
//!   (`DELETE … IF corm_claim = ?`). A row that takes its own claim again
//!   (a retried or repeated write) gives it a new token first, so a release
//!   still in flight from an earlier, cancelled write of that row can't
//!   remove the claim the row now relies on.
//! - Another row that finds the value claimed reads the owner row. When that
//!   row does not hold the value and the claim is older than the session's
//!   [grace period](crate::Session::unique_claim_grace), the claim is stale:
//!   it is deleted (conditionally on its token) and claimed anew. A younger
//!   claim may belong to a write still under way, so it counts as held.
//!
//! The grace period must exceed the longest time a write can take between
//! its claim and the row reaching the cluster (the request timeout, with
//! retries): a write slower than that could land after its claim was taken
//! over.

mod claims;
mod field;
mod held_row;

use std::time::Duration;

use uuid::Uuid;

pub use field::{Unique, UniqueField, Value};

/// The cache keys of `@unique` lookups: the first field's, then one more
/// for each other `@unique` field of the model (clear of named queries',
/// relation loaders' and vector searches' keys).
pub const LOOKUP_STATEMENTS: u64 = 1 << 34;

/// The name of the lookup-table column that holds a claim's token.
pub const TOKEN_COLUMN: &str = "corm_claim";

/// How many times a claim is tried before a value counts as taken: a stale
/// claim taken over, or one that changed while it was read, costs a try.
pub const ATTEMPTS: usize = 3;

/// The grace period of a session unless configured otherwise, when writes
/// take at most 40 s ([`Config::claim_grace`](crate::Config::claim_grace);
/// with the defaults, three attempts of 12 s and two waits of at most 0.1
/// and 0.2 s: 36.3 s).
pub const DEFAULT_GRACE: Duration = Duration::from_secs(60);

/// The error of a `@unique` value another row holds (counted as
/// `corm_unique_conflicts_total{model, field}` with the `metrics`
/// feature).
#[cold]
pub fn taken(model: &'static str, field: &'static str, value: String) -> crate::Error {
    #[cfg(feature = "metrics")]
    metrics::counter!("corm_unique_conflicts_total", "model" => model, "field" => field)
        .increment(1);
    crate::Error::Unique {
        model,
        field,
        value,
    }
}

/// The token of one claim: random, so that a release can name exactly the
/// claim it read and no later one.
pub type ClaimToken = Uuid;

/// A new claim token.
#[must_use]
pub fn new_token() -> ClaimToken {
    Uuid::new_v4()
}

/// The outcome of claiming a value for a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The value was free (or stale) and is now claimed for the row: a write
    /// that then certainly fails gives it back.
    New(ClaimToken),
    /// The row had claimed the value already; the claim now carries a new
    /// token. A failed write leaves it (the row may still hold the value).
    Kept(ClaimToken),
}

impl Claim {
    /// Whether this call made the claim (rather than renewing the row's own).
    #[must_use]
    pub fn is_new(self) -> bool {
        matches!(self, Self::New(_))
    }

    /// The claim's token.
    #[must_use]
    pub fn token(self) -> ClaimToken {
        match self {
            Self::New(token) | Self::Kept(token) => token,
        }
    }
}

/// A claim as its lookup table holds it, read with the coordinator's clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held<K> {
    /// The key of the row the claim is for (`None` if its columns expired).
    pub owner: Option<K>,
    /// The claim's token (`None` for a claim made before claims had tokens).
    pub token: Option<ClaimToken>,
    /// When the claim was made or last renewed (`writetime`, microseconds).
    pub written_micros: Option<i64>,
    /// The coordinator's time when it was read (milliseconds).
    pub now_millis: i64,
}

impl<K> Held<K> {
    /// Whether the claim is older than `grace` (see [`is_older_than`]).
    #[must_use]
    pub fn is_older_than(&self, grace: Duration) -> bool {
        is_older_than(self.written_micros, self.now_millis, grace)
    }
}

/// Whether a claim written at `written_micros` (its `writetime`, in
/// microseconds) is older than `grace` at `now_millis` (the coordinator's
/// `toUnixTimestamp(now())`): both clocks are the cluster's, so the client's
/// clock plays no part. A claim without a write time is stale.
#[must_use]
pub fn is_older_than(written_micros: Option<i64>, now_millis: i64, grace: Duration) -> bool {
    let Some(written_micros) = written_micros else {
        return true;
    };
    let age_micros = now_millis
        .saturating_mul(1_000)
        .saturating_sub(written_micros);
    let grace_micros = i64::try_from(grace.as_micros()).unwrap_or(i64::MAX);
    age_micros >= grace_micros
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_stale_once_the_grace_has_passed() {
        let grace = Duration::from_secs(2);
        let written = 1_000_000_000_i64;
        assert!(!is_older_than(Some(written), 1_000_000, grace));
        assert!(!is_older_than(Some(written), 1_001_999, grace));
        assert!(is_older_than(Some(written), 1_002_000, grace));
        assert!(is_older_than(None, 0, grace));
    }

    #[test]
    fn a_claim_written_after_now_is_not_stale() {
        // Clock skew between coordinators: a write time in the future.
        assert!(!is_older_than(Some(5_000_000), 1_000, Duration::ZERO));
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        assert!(is_older_than(Some(i64::MIN), i64::MAX, Duration::MAX));
        assert!(!is_older_than(Some(i64::MAX), i64::MIN, Duration::ZERO));
    }

    #[test]
    fn tokens_differ_and_claims_say_which_they_are() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(Claim::New(a).is_new());
        assert!(!Claim::Kept(a).is_new());
        assert_eq!(Claim::Kept(b).token(), b);
    }
}

//! Retries of failed requests with backoff ([`RetryPolicy`]): which
//! failures may be retried, how long to wait, and the loop around an
//! attempt.
//!
//! The driver's own retry policy still runs inside each attempt (it moves
//! to the next node at once where that is safe); these retries come after
//! it gave up, later, when the cluster as a whole was struggling.

use std::future::Future;
use std::time::Duration;

use scylla::errors::ExecutionError;

use crate::ErrorKind;
use crate::config::RetryPolicy;
use crate::error::kind::{execution_kind, execution_not_applied};

/// Retries after a first attempt failed with `error`, running `attempt`
/// until it succeeds or `policy` says to stop: a failure is retried when
/// the request certainly changed nothing (the coordinator refused it:
/// unavailable, overloaded; or it was never sent), or when it may have but
/// `idempotent` says running it again is harmless (a timeout, a connection
/// that broke). Each retry waits a random time up to the policy's cap for
/// it.
///
/// Callers make the first attempt themselves and box this future, so that
/// a request that succeeds at once carries no retry state: no timer, no
/// second driver future, only a pointer for the path that rarely runs.
///
/// The number of attempts is recorded in the request's span
/// (`corm.attempts`) when there was more than one, and each retry is
/// counted (`corm_retries_total` of the request's table and operation).
pub(crate) async fn after<T, F, Fut>(
    policy: &RetryPolicy,
    idempotent: bool,
    mut error: ExecutionError,
    mut attempt: F,
) -> Result<T, ExecutionError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ExecutionError>>,
{
    let mut retries = 0;
    loop {
        let Some(wait) = retry_wait(policy, &error, idempotent, retries) else {
            if retries > 0 {
                crate::trace::record_attempts(retries + 1);
            }
            return Err(error);
        };
        retries += 1;
        retried(&error, retries, wait);
        tokio::time::sleep(wait).await;
        match attempt().await {
            Ok(value) => {
                crate::trace::record_attempts(retries + 1);
                return Ok(value);
            }
            Err(next) => error = next,
        }
    }
}

/// The wait before retry number `retries + 1` after `error`, or `None`
/// when it must not be retried.
fn retry_wait(
    policy: &RetryPolicy,
    error: &ExecutionError,
    idempotent: bool,
    retries: u32,
) -> Option<Duration> {
    if retries >= policy.max_retries || !may_retry(error, idempotent) {
        return None;
    }
    let cap = policy.delay_cap(retries + 1);
    let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Some(Duration::from_nanos(rand::random_range(0..=cap_nanos)))
}

/// Whether running the request again after `error` is safe and may help.
pub(crate) fn may_retry(error: &ExecutionError, idempotent: bool) -> bool {
    let transient = matches!(
        execution_kind(error),
        ErrorKind::Timeout | ErrorKind::Unavailable | ErrorKind::Overloaded | ErrorKind::Connection
    );
    transient && (idempotent || execution_not_applied(error))
}

/// Logs and counts a retry (out of line: the request's path stays small).
#[cold]
#[inline(never)]
fn retried(error: &ExecutionError, retry: u32, wait: Duration) {
    let kind = crate::trace::kind_name(execution_kind(error));
    tracing::debug!(
        target: "corm",
        retry,
        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
        error.type = kind,
        "retrying after {error}"
    );
    #[cfg(feature = "metrics")]
    crate::meter::add_retry();
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use scylla::errors::{DbError, RequestAttemptError};
    use scylla::statement::Consistency;

    use super::*;

    fn db(error: DbError) -> ExecutionError {
        ExecutionError::LastAttemptError(RequestAttemptError::DbError(error, String::new()))
    }

    #[test]
    fn only_safe_failures_are_retried() {
        let timeout = ExecutionError::RequestTimeout(Duration::from_millis(5));
        let unavailable = db(DbError::Unavailable {
            consistency: Consistency::Quorum,
            required: 2,
            alive: 1,
        });
        assert!(may_retry(&timeout, true));
        assert!(
            !may_retry(&timeout, false),
            "a timed-out write may have landed"
        );
        assert!(may_retry(&unavailable, false), "nothing was attempted");
        assert!(may_retry(&db(DbError::Overloaded), false));
        assert!(!may_retry(&db(DbError::SyntaxError), true));
        assert!(!may_retry(&db(DbError::Unauthorized), true));
    }

    #[test]
    fn waits_stay_under_their_cap_and_stop_at_the_limit() {
        let policy = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(15),
        };
        let timeout = ExecutionError::RequestTimeout(Duration::from_millis(5));
        for _ in 0..100 {
            let first = retry_wait(&policy, &timeout, true, 0);
            assert!(first.is_some_and(|wait| wait <= Duration::from_millis(10)));
            let second = retry_wait(&policy, &timeout, true, 1);
            assert!(second.is_some_and(|wait| wait <= Duration::from_millis(15)));
        }
        assert_eq!(retry_wait(&policy, &timeout, true, 2), None);
        assert_eq!(retry_wait(&RetryPolicy::NEVER, &timeout, true, 0), None);
    }
}

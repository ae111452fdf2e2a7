//! The driver's retry policy under corm's own retries: the driver's
//! default decisions, except that an `Unavailable` answer is returned at
//! once instead of being retried on the next node.
//!
//! The driver's default retries an `Unavailable` once on the next node of
//! the plan. With two of three replicas down that node is usually one of
//! the dead ones, so the caller got "no connections in the pool" where the
//! coordinator had answered "unavailable", the typed answer it can act on.
//! corm's retry loop ([`crate::retry`]) retries unavailable requests
//! itself, after a backoff in which the cluster's view can change.

use scylla::errors::{DbError, RequestAttemptError};
use scylla::policies::retry::{
    DefaultRetryPolicy, RequestInfo, RetryDecision, RetryPolicy, RetrySession,
};

/// [`DefaultRetryPolicy`] that leaves `Unavailable` to corm.
#[derive(Debug, Default)]
pub(crate) struct CormRetryPolicy;

impl RetryPolicy for CormRetryPolicy {
    fn new_session(&self) -> Box<dyn RetrySession> {
        Box::new(CormRetrySession {
            default: DefaultRetryPolicy::new().new_session(),
        })
    }
}

/// Whether the driver returns `error` at once, for corm's loop to decide.
fn left_to_corm(error: &RequestAttemptError) -> bool {
    matches!(
        error,
        RequestAttemptError::DbError(DbError::Unavailable { .. }, _)
    )
}

struct CormRetrySession {
    default: Box<dyn RetrySession>,
}

impl RetrySession for CormRetrySession {
    fn decide_should_retry(&mut self, request_info: RequestInfo) -> RetryDecision {
        if left_to_corm(request_info.error) {
            RetryDecision::DontRetry
        } else {
            self.default.decide_should_retry(request_info)
        }
    }

    fn reset(&mut self) {
        self.default.reset();
    }
}

#[cfg(test)]
mod tests {
    use scylla::statement::Consistency;

    use super::*;

    // The driver's `RequestInfo` cannot be built outside it, so the
    // decision is tested here and the whole policy by the cluster suite
    // (two replicas down: the caller gets `Unavailable`).
    #[test]
    fn only_unavailable_is_left_to_corm() {
        let unavailable = RequestAttemptError::DbError(
            DbError::Unavailable {
                consistency: Consistency::Quorum,
                required: 2,
                alive: 1,
            },
            String::new(),
        );
        assert!(left_to_corm(&unavailable));
        for error in [
            RequestAttemptError::DbError(DbError::Overloaded, String::new()),
            RequestAttemptError::DbError(DbError::IsBootstrapping, String::new()),
            RequestAttemptError::UnableToAllocStreamId,
        ] {
            assert!(!left_to_corm(&error), "{error:?}");
        }
    }
}

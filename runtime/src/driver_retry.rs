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

struct CormRetrySession {
    default: Box<dyn RetrySession>,
}

impl RetrySession for CormRetrySession {
    fn decide_should_retry(&mut self, request_info: RequestInfo) -> RetryDecision {
        match request_info.error {
            RequestAttemptError::DbError(DbError::Unavailable { .. }, _) => RetryDecision::DontRetry,
            _ => self.default.decide_should_retry(request_info),
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

    #[test]
    fn unavailable_is_returned_and_the_rest_decided_as_by_default() {
        let unavailable = RequestAttemptError::DbError(
            DbError::Unavailable {
                consistency: Consistency::Quorum,
                required: 2,
                alive: 1,
            },
            String::new(),
        );
        let overloaded = RequestAttemptError::DbError(DbError::Overloaded, String::new());
        let mut ours = CormRetryPolicy.new_session();
        let mut default = DefaultRetryPolicy::new().new_session();
        for idempotent in [false, true] {
            let info = RequestInfo::new(&unavailable, idempotent, Consistency::Quorum);
            assert_eq!(ours.decide_should_retry(info), RetryDecision::DontRetry);
            let info = || RequestInfo::new(&overloaded, idempotent, Consistency::Quorum);
            assert_eq!(
                ours.decide_should_retry(info()),
                default.decide_should_retry(info())
            );
        }
    }
}

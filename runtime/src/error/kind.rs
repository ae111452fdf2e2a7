//! What kind of failure an [`Error`] is, whatever operation failed: the
//! question a caller asks before deciding to retry, to report a node
//! outage, or to fix a statement.

use scylla::errors::{
    ConnectionError, ConnectionPoolError, ConnectionSetupRequestErrorKind, DbError, ExecutionError,
    MetadataError, NewSessionError, NextPageError, NextRowError, PagerExecutionError, PrepareError,
    RequestAttemptError, RequestError,
};

use super::Error;

/// The kind of failure behind an [`Error`] (see [`Error::kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request timed out, on the client (the request timeout elapsed) or
    /// on the coordinator (a read or write timeout). A write that timed out
    /// may or may not have been applied.
    Timeout,
    /// The coordinator knew too few replicas to be alive for the consistency
    /// level; nothing was attempted.
    Unavailable,
    /// The coordinator was overloaded, still starting, or over a rate limit;
    /// nothing was attempted.
    Overloaded,
    /// No connection could carry the request: the nodes are down or
    /// unreachable, or a connection broke while the request was under way.
    Connection,
    /// The cluster refused the statement itself: a CQL syntax or semantic
    /// error, a table or keyspace that does not exist, missing permissions.
    Statement,
    /// The cluster refused the session's credentials (a wrong user name or
    /// password, or none where it requires them); the password is never
    /// in the message.
    Authentication,
    /// The values did not serialize for the statement's columns; nothing
    /// was sent.
    Values,
    /// Anything else: replicas that failed a read or write, a result that
    /// does not fit its Rust type, a refused value, a migration, a config.
    Other,
}

impl Error {
    /// The kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Connect { source, .. } => connect_kind(source),
            Self::Prepare { source, .. } => prepare_kind(source),
            Self::PrepareTimeout { .. } => ErrorKind::Timeout,
            Self::Execute { source, .. } | Self::Batch { source, .. } => execution_kind(source),
            Self::Pager { source, .. } => pager_kind(source),
            Self::NextRow { source, .. } => match source.as_ref() {
                NextRowError::NextPageError(next) => page_kind(next),
                _ => ErrorKind::Other,
            },
            Self::UseKeyspace { .. } => ErrorKind::Statement,
            Self::Unbound { .. } => ErrorKind::Values,
            _ => ErrorKind::Other,
        }
    }

    /// Whether the request timed out: on the client (the request timeout
    /// elapsed) or on the coordinator (a read or write timeout).
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }

    /// Whether too few replicas were alive for the consistency level.
    pub fn is_unavailable(&self) -> bool {
        self.kind() == ErrorKind::Unavailable
    }

    /// Whether the cluster refused the credentials (a wrong user name or
    /// password, or none where the cluster requires them).
    pub fn is_authentication(&self) -> bool {
        self.kind() == ErrorKind::Authentication
    }

    /// Whether the cluster could not be reached, or a connection broke.
    pub fn is_connection(&self) -> bool {
        self.kind() == ErrorKind::Connection
    }

    /// Whether the failed operation certainly changed nothing in the
    /// cluster: it was refused before any replica could write (unavailable,
    /// overloaded, a refused statement, values that did not serialize, a
    /// statement that could not be prepared, a validation or unique
    /// failure). A timeout or a broken connection may have written.
    pub fn certainly_not_applied(&self) -> bool {
        match self {
            Self::Prepare { .. }
            | Self::Validation(_)
            | Self::Unique { .. }
            | Self::InvalidPageSize { .. }
            | Self::InvalidTime { .. }
            | Self::InvalidVector { .. }
            | Self::Embed(_)
            | Self::SemanticCache { .. }
            | Self::Unbound { .. }
            | Self::Conflict { .. }
            | Self::EventStore { .. }
            | Self::ChangeLog { .. } => true,
            Self::Execute { source, .. } | Self::Batch { source, .. } => {
                execution_not_applied(source)
            }
            _ => false,
        }
    }
}

/// A short phrase for the cause of a failed prepare, for its message.
pub(super) fn prepare_cause(error: &PrepareError) -> &'static str {
    match prepare_kind(error) {
        ErrorKind::Connection => "no connection to the cluster",
        ErrorKind::Timeout => "timed out",
        ErrorKind::Unavailable | ErrorKind::Overloaded => "the cluster could not serve it",
        ErrorKind::Statement => "the cluster refused the statement",
        ErrorKind::Authentication => "the cluster refused the credentials",
        ErrorKind::Values | ErrorKind::Other => "the driver failed",
    }
}

/// Authentication when the last connection the driver tried was refused
/// its credentials; otherwise a connection failure.
fn connect_kind(error: &NewSessionError) -> ErrorKind {
    let NewSessionError::MetadataError(MetadataError::ConnectionPoolError(
        ConnectionPoolError::Broken {
            last_connection_error: ConnectionError::ConnectionSetupRequestError(setup),
        },
    )) = error
    else {
        return ErrorKind::Connection;
    };
    match &setup.error {
        ConnectionSetupRequestErrorKind::DbError(DbError::AuthenticationError, _)
        | ConnectionSetupRequestErrorKind::MissingAuthentication
        | ConnectionSetupRequestErrorKind::StartAuthSessionError(_)
        | ConnectionSetupRequestErrorKind::AuthChallengeEvaluationError(_)
        | ConnectionSetupRequestErrorKind::AuthFinishError(_) => ErrorKind::Authentication,
        _ => ErrorKind::Connection,
    }
}

fn prepare_kind(error: &PrepareError) -> ErrorKind {
    match error {
        PrepareError::ConnectionPoolError(_) => ErrorKind::Connection,
        PrepareError::AllAttemptsFailed { first_attempt } => attempt_kind(first_attempt),
        _ => ErrorKind::Other,
    }
}

pub(crate) fn execution_kind(error: &ExecutionError) -> ErrorKind {
    match error {
        ExecutionError::RequestTimeout(_) => ErrorKind::Timeout,
        ExecutionError::LastAttemptError(attempt) => attempt_kind(attempt),
        ExecutionError::EmptyPlan | ExecutionError::ConnectionPoolError(_) => ErrorKind::Connection,
        ExecutionError::PrepareError(prepare) => prepare_kind(prepare),
        ExecutionError::BadQuery(_) => ErrorKind::Values,
        ExecutionError::UseKeyspaceError(_) => ErrorKind::Statement,
        _ => ErrorKind::Other,
    }
}

fn pager_kind(error: &PagerExecutionError) -> ErrorKind {
    match error {
        PagerExecutionError::PrepareError(prepare) => prepare_kind(prepare),
        PagerExecutionError::SerializationError(_) => ErrorKind::Values,
        PagerExecutionError::NextPageError(next) => page_kind(next),
        _ => ErrorKind::Other,
    }
}

fn page_kind(error: &NextPageError) -> ErrorKind {
    match error {
        NextPageError::RequestFailure(request) => match request {
            RequestError::RequestTimeout(_) => ErrorKind::Timeout,
            RequestError::LastAttemptError(attempt) => attempt_kind(attempt),
            RequestError::EmptyPlan | RequestError::ConnectionPoolError(_) => ErrorKind::Connection,
            _ => ErrorKind::Other,
        },
        _ => ErrorKind::Other,
    }
}

fn attempt_kind(error: &RequestAttemptError) -> ErrorKind {
    match error {
        RequestAttemptError::DbError(db, _) => db_kind(db),
        RequestAttemptError::BrokenConnectionError(_)
        | RequestAttemptError::UnableToAllocStreamId => ErrorKind::Connection,
        RequestAttemptError::SerializationError(_)
        | RequestAttemptError::CqlRequestSerialization(_) => ErrorKind::Values,
        _ => ErrorKind::Other,
    }
}

fn db_kind(error: &DbError) -> ErrorKind {
    match error {
        DbError::ReadTimeout { .. } | DbError::WriteTimeout { .. } => ErrorKind::Timeout,
        DbError::Unavailable { .. } => ErrorKind::Unavailable,
        DbError::Overloaded | DbError::IsBootstrapping | DbError::RateLimitReached { .. } => {
            ErrorKind::Overloaded
        }
        DbError::SyntaxError
        | DbError::Invalid
        | DbError::AlreadyExists { .. }
        | DbError::AuthenticationError
        | DbError::Unauthorized
        | DbError::ConfigError => ErrorKind::Statement,
        _ => ErrorKind::Other,
    }
}

/// Whether a failed execution certainly wrote nothing: refused by the
/// coordinator before any replica was asked, or never sent.
pub(crate) fn execution_not_applied(error: &ExecutionError) -> bool {
    match error {
        ExecutionError::LastAttemptError(attempt) => match attempt {
            RequestAttemptError::DbError(db, _) => matches!(
                db_kind(db),
                ErrorKind::Unavailable | ErrorKind::Overloaded | ErrorKind::Statement
            ),
            RequestAttemptError::UnableToAllocStreamId
            | RequestAttemptError::SerializationError(_)
            | RequestAttemptError::CqlRequestSerialization(_) => true,
            _ => false,
        },
        ExecutionError::EmptyPlan
        | ExecutionError::ConnectionPoolError(_)
        | ExecutionError::BadQuery(_)
        | ExecutionError::PrepareError(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use scylla::errors::{ConnectionPoolError, DbError, PrepareError, RequestAttemptError};

    use super::*;

    fn prepare_failure(source: PrepareError) -> Error {
        Error::Prepare {
            statement: "SELECT v FROM t".to_owned(),
            source: Box::new(source),
        }
    }

    #[test]
    fn a_prepare_without_a_connection_says_so() {
        let err = prepare_failure(PrepareError::ConnectionPoolError(
            ConnectionPoolError::Initializing,
        ));
        assert_eq!(err.kind(), ErrorKind::Connection);
        assert!(err.is_connection());
        assert!(
            err.to_string()
                .starts_with("could not prepare `SELECT v FROM t` (no connection to the cluster)"),
            "{err}"
        );
    }

    #[test]
    fn a_prepare_the_cluster_refused_says_so() {
        let err = prepare_failure(PrepareError::AllAttemptsFailed {
            first_attempt: RequestAttemptError::DbError(DbError::Invalid, "unknown column".into()),
        });
        assert_eq!(err.kind(), ErrorKind::Statement);
        assert!(
            err.to_string()
                .contains("(the cluster refused the statement)"),
            "{err}"
        );
    }

    #[test]
    fn a_prepare_on_an_overloaded_node_is_told_apart() {
        let err = prepare_failure(PrepareError::AllAttemptsFailed {
            first_attempt: RequestAttemptError::DbError(DbError::Overloaded, String::new()),
        });
        assert_eq!(err.kind(), ErrorKind::Overloaded);
        assert!(
            err.to_string().contains("(the cluster could not serve it)"),
            "{err}"
        );
    }
}

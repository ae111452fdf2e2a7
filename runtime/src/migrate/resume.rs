//! Resuming a migration: telling "the change is already there" from a real
//! failure when the first statement of a resumed migration is run again.
//!
//! A run that stopped after a statement ran but before it was recorded
//! leaves that statement to run a second time. Cassandra then refuses it
//! with one of these errors (Cassandra 5.0), which mean its change is there:
//!
//! | statement | error |
//! | --- | --- |
//! | `CREATE TABLE`, `CREATE MATERIALIZED VIEW`, `CREATE KEYSPACE` | code `AlreadyExists` |
//! | `CREATE TYPE` | `A user type with name 'u' already exists` |
//! | `CREATE [CUSTOM] INDEX` | `Index 'i' already exists` |
//! | `CREATE FUNCTION` / `AGGREGATE` | `Function 'f' already exists` |
//! | `ALTER TABLE … ADD` | `Column with name 'c' already exists` |
//! | `ALTER TYPE … ADD` | `Cannot add field f to type ks.u: a field with name f already exists` |
//! | `ALTER TABLE … DROP` | `Column c was not found in table 'ks.t'` |
//! | `ALTER TABLE … RENAME` | `Undefined column name c in table ks.t` |
//! | `ALTER TYPE … RENAME` | `Unkown field f in user type ks.u` (sic) |
//! | `DROP TABLE`/`TYPE`/`INDEX`/`MATERIALIZED VIEW`/`FUNCTION`/`AGGREGATE`/`KEYSPACE` | `… 'ks.x' doesn't exist` |
//!
//! Each message is accepted only for the statement kind that produces it
//! when its change is already made: "doesn't exist" ends a `DROP`, never an
//! `ALTER` of a missing table.

use scylla::errors::{DbError, ExecutionError, PrepareError, RequestAttemptError};

use crate::Error;

use super::migration::first_keyword;

/// Why the failure of `statement` means its change is already there (the
/// cluster's message), or `None` when it is a real failure.
pub(crate) fn already_applied(statement: &str, error: &Error) -> Option<String> {
    let (db_error, message) = db_error(error)?;
    let verb = first_keyword(statement).to_ascii_uppercase();
    let invalid = matches!(db_error, DbError::Invalid);
    let done = match verb.as_str() {
        "CREATE" => {
            matches!(db_error, DbError::AlreadyExists { .. })
                || (invalid && message.contains("already exists"))
        }
        "ALTER" => {
            invalid
                && (message.contains("already exists")
                    || message.contains("was not found in table")
                    || message.starts_with("Undefined column name")
                    || message.starts_with("Unkown field")
                    || message.starts_with("Unknown field"))
        }
        "DROP" => invalid && message.contains("doesn't exist"),
        _ => false,
    };
    done.then(|| message.to_owned())
}

/// The database's error and message inside `error`, if it is one.
fn db_error(error: &Error) -> Option<(&DbError, &str)> {
    let attempt = match error {
        Error::Execute { source, .. } => match source.as_ref() {
            ExecutionError::LastAttemptError(attempt) => attempt,
            ExecutionError::PrepareError(PrepareError::AllAttemptsFailed { first_attempt }) => {
                first_attempt
            }
            _ => return None,
        },
        Error::Prepare { source, .. } => match source.as_ref() {
            PrepareError::AllAttemptsFailed { first_attempt } => first_attempt,
            _ => return None,
        },
        _ => return None,
    };
    match attempt {
        RequestAttemptError::DbError(db_error, message) => Some((db_error, message.as_str())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(db_error: DbError, message: &str) -> Error {
        Error::Execute {
            statement: "…".to_owned(),
            source: Box::new(ExecutionError::LastAttemptError(
                RequestAttemptError::DbError(db_error, message.to_owned()),
            )),
        }
    }

    #[test]
    fn messages_count_only_for_their_statement_kind() {
        let exists = failed(
            DbError::AlreadyExists {
                keyspace: "ks".into(),
                table: "t".into(),
            },
            "Cannot add already existing table \"t\" to keyspace \"ks\"",
        );
        assert!(already_applied("CREATE TABLE ks.t (id int PRIMARY KEY)", &exists).is_some());
        let column = failed(DbError::Invalid, "Column with name 'b' already exists");
        assert!(already_applied("ALTER TABLE ks.t ADD b int", &column).is_some());
        let missing_table = failed(DbError::Invalid, "Table 'ks.t' doesn't exist");
        assert!(already_applied("DROP TABLE ks.t", &missing_table).is_some());
        assert!(already_applied("ALTER TABLE ks.t ADD b int", &missing_table).is_none());
        let unknown_type = failed(DbError::Invalid, "Unknown type ks.nope");
        assert!(already_applied("CREATE TABLE ks.t (u nope)", &unknown_type).is_none());
        let syntax = failed(DbError::SyntaxError, "line 1: no viable alternative");
        assert!(already_applied("CREATE TABLE", &syntax).is_none());
    }
}

//! What the runner reads from `system_schema`, and reading whole results.

use scylla::deserialize::row::DeserializeRow;
use scylla::response::query_result::{QueryResult, RowsError};

use crate::{Error, Result, Session};

/// One element of a keyspace as `DESCRIBE KEYSPACE` gives it: the
/// keyspace, the element's kind (`keyspace`, `type`, `table`, `index`,
/// `materialized_view`, …), its name and the statement that creates it.
pub type Described = (String, String, String, String);

/// `DESCRIBE KEYSPACE keyspace`: the statements that create the keyspace
/// and everything in it, as the cluster writes them.
///
/// # Errors
/// The request's error (a keyspace that does not exist is one).
pub async fn describe_keyspace(session: &Session, keyspace: &str) -> Result<Vec<Described>> {
    let statement = format!("DESCRIBE KEYSPACE {}", crate::rt::quoted(keyspace));
    rows(&statement, session.query(&statement, ()).await?)
}

/// Whether `keyspace` exists.
pub(crate) async fn keyspace_exists(session: &Session, keyspace: &str) -> Result<bool> {
    let statement = "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?";
    let result = session.query(statement, (keyspace,)).await?;
    Ok(!rows::<(String,)>(statement, result)?.is_empty())
}

/// Whether the table `table` of `keyspace` exists.
pub(crate) async fn table_exists(session: &Session, keyspace: &str, table: &str) -> Result<bool> {
    let statement = "SELECT table_name FROM system_schema.tables \
                     WHERE keyspace_name = ? AND table_name = ?";
    let result = session.query(statement, (keyspace, table)).await?;
    Ok(!rows::<(String,)>(statement, result)?.is_empty())
}

/// Every row of `result` as `T`; `statement` is the CQL text, for errors.
pub(crate) fn rows<T>(statement: &str, result: QueryResult) -> Result<Vec<T>>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm>,
{
    let rows = result.into_rows_result().map_err(|source| Error::NotRows {
        statement: statement.to_owned(),
        source: Box::new(source),
    })?;
    let typed = rows.rows::<T>().map_err(|err| match err {
        RowsError::TypeCheckFailed(source) => Error::TypeCheck {
            statement: statement.to_owned(),
            source,
        },
    })?;
    typed
        .map(|row| {
            row.map_err(|source| Error::Deserialize {
                statement: statement.to_owned(),
                source,
            })
        })
        .collect()
}

//! The live schema: a keyspace as the cluster describes it (`DESCRIBE
//! KEYSPACE`), read back into a [`CqlSchema`] through the same parser and
//! replay as migrations, for `cormc migrate diff` and `cormc pull`.
//!
//! What the parser does not model (user-defined functions and aggregates,
//! statements it refuses) is kept in [`LiveSchema::skipped`] with the
//! reason, never dropped silently. corm's own tables (the migration
//! history and lock) are left out: they are not the application's.

use crate::cql::Replayer as Replay;
mod pull;

pub use pull::{Pulled, pull};

use crate::cql::parser::parse_statement;
use crate::cql::{CqlSchema, DdlStatement, Ident};

/// A keyspace as read from the cluster.
#[derive(Debug, Clone)]
pub struct LiveSchema {
    /// What corm models of it.
    pub schema: CqlSchema,
    /// What it does not, with the statement that describes it.
    pub skipped: Vec<Skipped>,
}

/// A described element corm does not model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// What it is (`table`, `index`, `function`, …), as described.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// The statement that creates it.
    pub statement: String,
    /// Why it is not modelled.
    pub reason: String,
}

/// Why a keyspace could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// The request failed.
    #[error("describing keyspace `{keyspace}`: {source}")]
    Describe {
        /// The keyspace.
        keyspace: String,
        /// The request's error.
        #[source]
        source: corm::Error,
    },
    /// The keyspace does not exist.
    #[error("keyspace `{0}` does not exist")]
    NoKeyspace(String),
}

/// The tables corm's runtime makes in every migrated keyspace.
const RUNTIME_TABLES: &[&str] = &[corm::migrate::TRACKING_TABLE, corm::migrate::LOCK_TABLE];

/// Reads `keyspace` (its name as stored) from the cluster.
///
/// # Errors
/// [`LiveError::Describe`] when the request fails,
/// [`LiveError::NoKeyspace`] when there is no such keyspace.
pub async fn read(session: &corm::Session, keyspace: &str) -> Result<LiveSchema, LiveError> {
    let rows = match corm::migrate::describe_keyspace(session, keyspace).await {
        Ok(rows) => rows,
        Err(error) if error.to_string().contains("not found") => {
            return Err(LiveError::NoKeyspace(keyspace.to_owned()));
        }
        Err(source) => {
            return Err(LiveError::Describe {
                keyspace: keyspace.to_owned(),
                source,
            });
        }
    };
    Ok(from_described(keyspace, &rows))
}

/// The schema `statements` (`DESCRIBE`'s, of keyspace `keyspace`) make.
#[must_use]
pub fn from_statements(keyspace: &str, statements: &[String]) -> LiveSchema {
    let rows: Vec<corm::migrate::Described> = statements
        .iter()
        .map(|statement| {
            (
                keyspace.to_owned(),
                String::new(),
                String::new(),
                statement.clone(),
            )
        })
        .collect();
    from_described(keyspace, &rows)
}

/// The schema the described rows (`keyspace_name, type, name,
/// create_statement`) make.
#[must_use]
pub fn from_described(keyspace: &str, rows: &[corm::migrate::Described]) -> LiveSchema {
    let mut replay = Replay::with_keyspace(Ident::new(keyspace));
    let mut skipped = Vec::new();
    for (_, kind, name, create) in rows {
        if kind == "table" && RUNTIME_TABLES.contains(&name.as_str()) {
            continue;
        }
        let reason = match parse_statement(create.trim().trim_end_matches(';')) {
            Ok(DdlStatement::Routine(_)) => {
                Some("corm does not model functions and aggregates".to_owned())
            }
            Ok(parsed) => replay.apply(&parsed).err().map(|error| error.to_string()),
            Err(error) => Some(error.to_string()),
        };
        if let Some(reason) = reason {
            skipped.push(Skipped {
                kind: kind.clone(),
                name: name.clone(),
                statement: create.clone(),
                reason,
            });
        }
    }
    LiveSchema {
        schema: replay.into_schema(),
        skipped,
    }
}

//! The peer: what a careful user writes by hand for the same work on the
//! same `scylla` driver, without corm.
//!
//! The driver is reached through corm's re-export (`corm::scylla`), the
//! same crate and version; the crate does not depend on `scylla` itself,
//! since generated code names it as `corm::scylla` and a direct dependency
//! makes those paths trip `unused_qualifications`.
//!
//! Row structs use the driver's derive macros with
//! `flavor = "enforce_order"` (bind and read by position, names checked in
//! the type check), which is what the generated impls do; the default
//! `match_by_name` flavor does more work per row and would flatter corm.
//! Every statement is prepared once, up front, and run with
//! `execute_unpaged`; the partition read goes through `execute_iter` and
//! the typed row stream with the statement's default page size, exactly as
//! the generated `partition` does (one page for 100 rows).

use std::collections::BTreeSet;

use corm::chrono::{DateTime, Utc};
use corm::scylla::errors::{
    ExecutionError, IntoRowsResultError, MaybeFirstRowError, NextRowError, PagerExecutionError,
    PrepareError, TypeCheckError,
};
use corm::scylla::statement::prepared::PreparedStatement;
use corm::scylla::{DeserializeRow, SerializeRow};
use corm::{TryStreamExt, Uuid};

/// A row of the `user` table, in column order.
#[derive(Debug, Clone, PartialEq, SerializeRow, DeserializeRow)]
#[scylla(crate = corm::scylla, flavor = "enforce_order")]
pub struct User {
    /// The column `id`.
    pub id: Uuid,
    /// The column `email`.
    pub email: String,
    /// The column `name`.
    pub name: String,
    /// The column `age`.
    pub age: Option<i32>,
    /// The column `created_at`.
    pub created_at: DateTime<Utc>,
    /// The column `tags`.
    pub tags: BTreeSet<String>,
}

/// A row of the `reading` table, in column order.
#[derive(Debug, Clone, PartialEq, SerializeRow, DeserializeRow)]
#[scylla(crate = corm::scylla, flavor = "enforce_order")]
pub struct Reading {
    /// The column `sensor`.
    pub sensor: Uuid,
    /// The column `at`.
    pub at: DateTime<Utc>,
    /// The column `value`.
    pub value: f64,
    /// The column `note`.
    pub note: Option<String>,
}

/// What a peer call fails with: one of the driver's own errors, boxed so
/// that results stay small (as `corm::Error` boxes its sources).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct PeerError(Box<PeerErrorKind>);

/// The driver errors behind a [`PeerError`].
#[derive(Debug, thiserror::Error)]
pub enum PeerErrorKind {
    /// Preparing a statement failed.
    #[error("prepare: {0}")]
    Prepare(#[from] PrepareError),
    /// Executing a statement failed.
    #[error("execute: {0}")]
    Execute(#[from] ExecutionError),
    /// Starting a paged read failed.
    #[error("paged read: {0}")]
    Pager(#[from] PagerExecutionError),
    /// A read returned no rows result.
    #[error("not rows: {0}")]
    IntoRows(#[from] IntoRowsResultError),
    /// The first row did not read.
    #[error("first row: {0}")]
    FirstRow(#[from] MaybeFirstRowError),
    /// The columns did not fit the row type.
    #[error("type check: {0}")]
    TypeCheck(#[from] TypeCheckError),
    /// A later row or page failed.
    #[error("next row: {0}")]
    NextRow(#[from] NextRowError),
}

impl PeerError {
    /// What went wrong.
    pub fn kind(&self) -> &PeerErrorKind {
        &self.0
    }
}

macro_rules! peer_error_from {
    ($($source:ty),* $(,)?) => {$(
        impl From<$source> for PeerError {
            fn from(source: $source) -> Self {
                Self(Box::new(PeerErrorKind::from(source)))
            }
        }
    )*};
}

peer_error_from!(
    PrepareError,
    ExecutionError,
    PagerExecutionError,
    IntoRowsResultError,
    MaybeFirstRowError,
    TypeCheckError,
    NextRowError,
);

/// The hand-written data access: statements prepared once on the driver
/// session underneath a [`corm::Session`].
#[derive(Debug)]
pub struct PeerDb {
    session: corm::Session,
    insert_user: PreparedStatement,
    get_user: PreparedStatement,
    update_user_email_name: PreparedStatement,
    delete_user: PreparedStatement,
    readings: PreparedStatement,
}

impl PeerDb {
    /// Prepares every statement on `session` for the tables of `keyspace`.
    ///
    /// # Errors
    /// [`PeerErrorKind::Prepare`].
    pub async fn prepare(session: corm::Session, keyspace: &str) -> Result<Self, PeerError> {
        let driver = session.driver();
        let insert_user = driver
            .prepare(format!(
                "INSERT INTO {keyspace}.user (id, email, name, age, created_at, tags) \
                 VALUES (?, ?, ?, ?, ?, ?)"
            ))
            .await?;
        let get_user = driver
            .prepare(format!(
                "SELECT id, email, name, age, created_at, tags FROM {keyspace}.user WHERE id = ?"
            ))
            .await?;
        let update_user_email_name = driver
            .prepare(format!(
                "UPDATE {keyspace}.user SET email = ?, name = ? WHERE id = ?"
            ))
            .await?;
        let delete_user = driver
            .prepare(format!("DELETE FROM {keyspace}.user WHERE id = ?"))
            .await?;
        let readings = driver
            .prepare(format!(
                "SELECT sensor, at, value, note FROM {keyspace}.reading WHERE sensor = ?"
            ))
            .await?;
        Ok(Self {
            session,
            insert_user,
            get_user,
            update_user_email_name,
            delete_user,
            readings,
        })
    }

    /// Writes every column of `user`.
    ///
    /// # Errors
    /// [`PeerErrorKind::Execute`].
    pub async fn insert_user(&self, user: &User) -> Result<(), PeerError> {
        self.session
            .driver()
            .execute_unpaged(&self.insert_user, user)
            .await?;
        Ok(())
    }

    /// The user `id`, if there is one.
    ///
    /// # Errors
    /// The driver's execution, result and deserialization errors.
    pub async fn get_user(&self, id: Uuid) -> Result<Option<User>, PeerError> {
        let result = self
            .session
            .driver()
            .execute_unpaged(&self.get_user, (id,))
            .await?;
        Ok(result.into_rows_result()?.maybe_first_row::<User>()?)
    }

    /// Sets the email and name of the user `id`.
    ///
    /// # Errors
    /// [`PeerErrorKind::Execute`].
    pub async fn update_user_email_name(
        &self,
        id: Uuid,
        email: &str,
        name: &str,
    ) -> Result<(), PeerError> {
        self.session
            .driver()
            .execute_unpaged(&self.update_user_email_name, (email, name, id))
            .await?;
        Ok(())
    }

    /// Deletes the user `id`.
    ///
    /// # Errors
    /// [`PeerErrorKind::Execute`].
    pub async fn delete_user(&self, id: Uuid) -> Result<(), PeerError> {
        self.session
            .driver()
            .execute_unpaged(&self.delete_user, (id,))
            .await?;
        Ok(())
    }

    /// Every reading of `sensor`, in clustering order.
    ///
    /// # Errors
    /// The driver's paging, type check and row errors.
    pub async fn readings(&self, sensor: Uuid) -> Result<Vec<Reading>, PeerError> {
        let pager = self
            .session
            .driver()
            .execute_iter(self.readings.clone(), (sensor,))
            .await?;
        Ok(pager.rows_stream::<Reading>()?.try_collect().await?)
    }
}

//! The second peer: the same work through charybdis 1.1, the Rust ORM on
//! the same `scylla` driver, written as its README shows.
//!
//! Models are `#[charybdis_model]` structs with charybdis's column types
//! (`Text`, `Set<Text>`, `Timestamp`, …) and the derives' default
//! `match_by_name` flavor, since that is what a charybdis user gets. Every
//! call runs on a `CachingSession` built over the very driver session the
//! other two sides use (`corm::Session::shared_driver`), which prepares
//! each statement once and then finds it in its cache. The two-column
//! update uses a partial model (`partial_user!`), charybdis's way to write
//! a subset of columns; the delete uses the generated `delete_by_id`.
//!
//! charybdis statements name their tables without a keyspace, so
//! [`CharybdisDb::open`] makes the benchmark's keyspace the session's
//! (the other sides name it in every statement and are not affected).
//!
//! The macros add public items without docs (finders, delete helpers, the
//! partial model), hence the `missing_docs` allowance on this module.

use charybdis::errors::CharybdisError;
use charybdis::macros::charybdis_model;
use charybdis::operations::{Find, Insert, Update};
use charybdis::types::{Double, Set, Text, Timestamp, Uuid};
use corm::scylla::client::caching_session::{CachingSession, CachingSessionBuilder};

/// Prepared statements the caching session keeps (the scenarios use five).
const STATEMENT_CACHE: usize = 64;

/// The `user` table, as a charybdis model.
#[charybdis_model(
    table_name = user,
    partition_keys = [id],
    clustering_keys = [],
    global_secondary_indexes = [],
    local_secondary_indexes = [],
    static_columns = []
)]
#[derive(Debug, Clone, Default, PartialEq)]
#[scylla(crate = charybdis::scylla)]
pub struct User {
    /// The column `id`.
    pub id: Uuid,
    /// The column `email`.
    pub email: Text,
    /// The column `name`.
    pub name: Text,
    /// The column `age`.
    pub age: Option<i32>,
    /// The column `created_at`.
    pub created_at: Timestamp,
    /// The column `tags`.
    pub tags: Set<Text>,
}

partial_user!(UserEmailName, id, email, name);

/// The `reading` table, as a charybdis model.
#[charybdis_model(
    table_name = reading,
    partition_keys = [sensor],
    clustering_keys = [at],
    global_secondary_indexes = [],
    local_secondary_indexes = [],
    static_columns = []
)]
#[derive(Debug, Clone, Default, PartialEq)]
#[scylla(crate = charybdis::scylla)]
pub struct Reading {
    /// The column `sensor`.
    pub sensor: Uuid,
    /// The column `at`.
    pub at: Timestamp,
    /// The column `value`.
    pub value: Double,
    /// The column `note`.
    pub note: Option<Text>,
}

/// The charybdis side's handle: a caching session on the shared driver.
#[derive(Debug)]
pub struct CharybdisDb {
    session: CachingSession,
}

impl CharybdisDb {
    /// A caching session over `session`'s driver, with `keyspace` in use.
    ///
    /// # Errors
    /// [`corm::Error::UseKeyspace`] when the keyspace does not exist.
    pub async fn open(session: &corm::Session, keyspace: &str) -> Result<Self, corm::Error> {
        session.use_keyspace(keyspace).await?;
        let session = CachingSessionBuilder::new_shared(session.shared_driver())
            .max_capacity(STATEMENT_CACHE)
            .build();
        Ok(Self { session })
    }

    /// Writes every column of `user`.
    ///
    /// # Errors
    /// charybdis's execution error.
    pub async fn insert_user(&self, user: &User) -> Result<(), CharybdisError> {
        user.insert().execute(&self.session).await?;
        Ok(())
    }

    /// The user `id` (an error when there is none, as charybdis's
    /// `find_by_primary_key_value` does).
    ///
    /// # Errors
    /// charybdis's execution, result and deserialization errors.
    pub async fn get_user(&self, id: Uuid) -> Result<User, CharybdisError> {
        User::find_by_primary_key_value((id,))
            .execute(&self.session)
            .await
    }

    /// Sets the email and name of `patch.id`.
    ///
    /// # Errors
    /// charybdis's execution error.
    pub async fn update_user_email_name(
        &self,
        patch: &UserEmailName,
    ) -> Result<(), CharybdisError> {
        patch.update().execute(&self.session).await?;
        Ok(())
    }

    /// Deletes the user `id`.
    ///
    /// # Errors
    /// charybdis's execution error.
    pub async fn delete_user(&self, id: Uuid) -> Result<(), CharybdisError> {
        User::delete_by_id(id).execute(&self.session).await?;
        Ok(())
    }

    /// Every reading of `sensor`, in clustering order.
    ///
    /// # Errors
    /// charybdis's paging, type check and row errors.
    pub async fn readings(&self, sensor: Uuid) -> Result<Vec<Reading>, CharybdisError> {
        Reading::find_by_partition_key_value((sensor,))
            .execute(&self.session)
            .await?
            .try_collect()
            .await
    }
}

//! The five scenarios, written once for each side: [`Ours`] calls the
//! generated repositories, [`Peer`] the hand-written [`PeerDb`],
//! [`Charybdis`] the charybdis models of [`CharybdisDb`].
//!
//! Both read their arguments from the same prebuilt [`Pools`] by operation
//! index, so a timed operation does only what the call itself does.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use corm::TryStreamExt;

use charybdis::errors::CharybdisError;

use crate::charybdis_side::CharybdisDb;
use crate::data::{self, Pools, READINGS_PER_SENSOR};
use crate::generated::{Db, Reading, UserKey};
use crate::peer::{PeerDb, PeerError};

/// One kind of operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// Insert a user (every column).
    Insert,
    /// Read a user by primary key.
    Get,
    /// Read a 100-row partition to the end.
    Partition100,
    /// Set two columns (email, name) of a user.
    Update,
    /// Delete an existing user.
    Delete,
}

impl Scenario {
    /// Every scenario, in the order they run.
    pub const ALL: [Self; 5] = [
        Self::Insert,
        Self::Get,
        Self::Partition100,
        Self::Update,
        Self::Delete,
    ];

    /// The name on the command line and in the report.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Insert => "insert",
            Self::Get => "get",
            Self::Partition100 => "partition100",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which code runs the operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Side {
    /// The generated repositories (A).
    Ours,
    /// The hand-written driver code (B).
    Peer,
    /// charybdis 1.1 on the same driver (C).
    Charybdis,
}

impl Side {
    /// Every side, in the order of the first run of a scenario.
    pub const ALL: [Self; 3] = [Self::Ours, Self::Peer, Self::Charybdis];

    /// `ours`, `peer` or `charybdis`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Peer => "peer",
            Self::Charybdis => "charybdis",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an operation failed.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// A generated repository call failed.
    #[error(transparent)]
    Ours(#[from] corm::Error),
    /// A hand-written call failed.
    #[error(transparent)]
    Peer(#[from] PeerError),
    /// A charybdis call failed (boxed: charybdis's error is large).
    #[error(transparent)]
    Charybdis(Box<CharybdisError>),
    /// The call worked but did not see the data it should have.
    #[error("{0}")]
    Check(String),
}

impl From<CharybdisError> for OpError {
    fn from(source: CharybdisError) -> Self {
        Self::Charybdis(Box::new(source))
    }
}

/// Something the load loop can run: operation number `i`.
pub trait Workload: Send + Sync + 'static {
    /// Runs operation number `i`.
    fn op(&self, i: u64) -> impl Future<Output = Result<(), OpError>> + Send;
}

/// Index `i` into a pool of `len` items.
fn slot(i: u64, len: usize) -> usize {
    // `len` is a pool length (at most a few thousand), so both casts are exact.
    usize::try_from(i % len as u64).unwrap_or(0)
}

fn check_partition(len: usize) -> Result<(), OpError> {
    if len as u64 == READINGS_PER_SENSOR {
        Ok(())
    } else {
        Err(OpError::Check(format!(
            "a partition had {len} rows, not {READINGS_PER_SENSOR}"
        )))
    }
}

fn missing() -> OpError {
    OpError::Check("get found no row for an inserted key".to_owned())
}

/// The generated side.
#[derive(Debug)]
pub struct Ours {
    /// The generated handle.
    pub db: Db,
    /// The arguments.
    pub pools: Arc<Pools>,
    /// What each operation does.
    pub scenario: Scenario,
    /// Where this run's delete ids start.
    pub delete_base: u64,
}

impl Workload for Ours {
    async fn op(&self, i: u64) -> Result<(), OpError> {
        let pools = &*self.pools;
        match self.scenario {
            Scenario::Insert => {
                let row = &pools.ours_insert[slot(i, pools.ours_insert.len())];
                self.db.user().insert(row).await?;
            }
            Scenario::Get => {
                let key = &pools.ours_keys[slot(i, pools.ours_keys.len())];
                self.db.user().get(key).await?.ok_or_else(missing)?;
            }
            Scenario::Partition100 => {
                let partition = &pools.ours_sensors[slot(i, pools.ours_sensors.len())];
                let rows: Vec<Reading> = self
                    .db
                    .reading()
                    .partition(partition)
                    .await?
                    .try_collect()
                    .await?;
                check_partition(rows.len())?;
            }
            Scenario::Update => {
                let at = slot(i, pools.ours_keys.len());
                self.db
                    .user()
                    .update(&pools.ours_keys[at], &pools.ours_patches[at])
                    .await?;
            }
            Scenario::Delete => {
                let key = UserKey {
                    id: data::delete_id(self.delete_base, i),
                };
                self.db.user().delete(&key).await?;
            }
        }
        Ok(())
    }
}

/// The hand-written side.
#[derive(Debug)]
pub struct Peer {
    /// The hand-written data access.
    pub db: Arc<PeerDb>,
    /// The arguments.
    pub pools: Arc<Pools>,
    /// What each operation does.
    pub scenario: Scenario,
    /// Where this run's delete ids start.
    pub delete_base: u64,
}

impl Workload for Peer {
    async fn op(&self, i: u64) -> Result<(), OpError> {
        let pools = &*self.pools;
        match self.scenario {
            Scenario::Insert => {
                let row = &pools.peer_insert[slot(i, pools.peer_insert.len())];
                self.db.insert_user(row).await?;
            }
            Scenario::Get => {
                let id = pools.peer_ids[slot(i, pools.peer_ids.len())];
                self.db.get_user(id).await?.ok_or_else(missing)?;
            }
            Scenario::Partition100 => {
                let sensor = pools.peer_sensors[slot(i, pools.peer_sensors.len())];
                let rows = self.db.readings(sensor).await?;
                check_partition(rows.len())?;
            }
            Scenario::Update => {
                let at = slot(i, pools.peer_ids.len());
                let (email, name) = &pools.peer_patches[at];
                self.db
                    .update_user_email_name(pools.peer_ids[at], email, name)
                    .await?;
            }
            Scenario::Delete => {
                self.db
                    .delete_user(data::delete_id(self.delete_base, i))
                    .await?;
            }
        }
        Ok(())
    }
}

/// The charybdis side.
#[derive(Debug)]
pub struct Charybdis {
    /// The charybdis handle.
    pub db: Arc<CharybdisDb>,
    /// The arguments.
    pub pools: Arc<Pools>,
    /// What each operation does.
    pub scenario: Scenario,
    /// Where this run's delete ids start.
    pub delete_base: u64,
}

impl Workload for Charybdis {
    async fn op(&self, i: u64) -> Result<(), OpError> {
        let pools = &*self.pools;
        match self.scenario {
            Scenario::Insert => {
                let row = &pools.charybdis_insert[slot(i, pools.charybdis_insert.len())];
                self.db.insert_user(row).await?;
            }
            Scenario::Get => {
                let id = pools.peer_ids[slot(i, pools.peer_ids.len())];
                self.db.get_user(id).await?;
            }
            Scenario::Partition100 => {
                let sensor = pools.peer_sensors[slot(i, pools.peer_sensors.len())];
                let rows = self.db.readings(sensor).await?;
                check_partition(rows.len())?;
            }
            Scenario::Update => {
                let patch = &pools.charybdis_patches[slot(i, pools.charybdis_patches.len())];
                self.db.update_user_email_name(patch).await?;
            }
            Scenario::Delete => {
                self.db
                    .delete_user(data::delete_id(self.delete_base, i))
                    .await?;
            }
        }
        Ok(())
    }
}

/// What the setup writes, through the generated repositories.
#[derive(Clone, Copy, Debug)]
pub enum Load {
    /// The users `get` and `update` hit.
    Users,
    /// Every sensor's readings (operation `i` writes reading `i % 100` of
    /// sensor `i / 100`).
    Readings,
    /// The users a delete run starting at this base deletes.
    Deletes(u64),
}

/// Writes the rows of a [`Load`], one per operation.
#[derive(Debug)]
pub struct Loader {
    /// The generated handle.
    pub db: Db,
    /// What to write.
    pub load: Load,
}

impl Workload for Loader {
    async fn op(&self, i: u64) -> Result<(), OpError> {
        match self.load {
            Load::Users => self.db.user().insert(&data::user(i)).await?,
            Load::Readings => {
                let row = data::reading(i / READINGS_PER_SENSOR, i % READINGS_PER_SENSOR);
                self.db.reading().insert(&row).await?;
            }
            Load::Deletes(base) => self.db.user().insert(&data::delete_user(base, i)).await?,
        }
        Ok(())
    }
}

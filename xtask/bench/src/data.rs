//! The benchmark's data: deterministic ids and rows, the keyspace, and the
//! pools every side reads from (built before any measurement, so the timed
//! loops allocate only what the calls themselves allocate).

use std::collections::BTreeSet;

use corm::Uuid;
use corm::chrono::{DateTime, Duration, TimeZone, Utc};

use crate::charybdis_side::{self, UserEmailName};
use crate::generated::{Reading, ReadingPartition, User, UserKey, UserPatch};
use crate::peer;

/// The keyspace the benchmark owns (dropped and recreated at start).
pub const KEYSPACE: &str = "corm_bench";
/// Users that `get` and `update` hit (all inserted at setup).
pub const USERS: u64 = 10_000;
/// Distinct rows that `insert` writes, over and over (upserts).
pub const INSERT_ROWS: u64 = 10_000;
/// Sensors, each a partition of [`READINGS_PER_SENSOR`] readings.
pub const SENSORS: u64 = 50;
/// Rows in each sensor's partition.
pub const READINGS_PER_SENSOR: u64 = 100;

/// The first id of the users that `insert` writes.
const INSERT_BASE: u64 = 1 << 32;
/// The first id of the users that `delete` deletes; each delete run takes
/// fresh ids above it.
pub const DELETE_BASE: u64 = 1 << 40;

/// The id of user number `n`.
pub fn user_id(n: u64) -> Uuid {
    Uuid::from_u64_pair(0x636f_726d_0000_0001, n)
}

/// The id of sensor number `n`.
pub fn sensor_id(n: u64) -> Uuid {
    Uuid::from_u64_pair(0x636f_726d_0000_0002, n)
}

fn epoch() -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// The row of user number `n` (the same fields on both sides).
pub fn user(n: u64) -> User {
    let mut row = User::new(
        user_id(n),
        format!("user{n:012}@example.org"),
        format!("User Number {n:012}"),
        epoch() + Duration::seconds(i64::try_from(n % 1_000_000).unwrap_or(0)),
        BTreeSet::from(["bench".to_owned(), format!("group{:03}", n % 100)]),
    );
    row.age = Some(i32::try_from(n % 90).unwrap_or(0) + 10);
    row
}

/// The peer's copy of [`user`].
pub fn peer_user(n: u64) -> peer::User {
    let row = user(n);
    peer::User {
        id: row.id,
        email: row.email,
        name: row.name,
        age: row.age,
        created_at: row.created_at,
        tags: row.tags,
    }
}

/// charybdis's copy of [`user`].
pub fn charybdis_user(n: u64) -> charybdis_side::User {
    let row = user(n);
    charybdis_side::User {
        id: row.id,
        email: row.email,
        name: row.name,
        age: row.age,
        created_at: row.created_at,
        tags: row.tags.into_iter().collect(),
    }
}

/// Reading `k` of sensor `s`.
pub fn reading(s: u64, k: u64) -> Reading {
    let mut row = Reading::new(
        sensor_id(s),
        epoch() + Duration::seconds(i64::try_from(k).unwrap_or(0)),
        f64::from(u32::try_from(k).unwrap_or(0)) * 0.5,
    );
    if k.is_multiple_of(2) {
        row.note = Some(format!("note {k}"));
    }
    row
}

/// The user that the setup inserts for delete number `n` of the run whose
/// ids start at `base`.
pub fn delete_user(base: u64, n: u64) -> User {
    user(DELETE_BASE + base + n)
}

/// The key that delete number `n` of the run starting at `base` deletes.
pub fn delete_id(base: u64, n: u64) -> Uuid {
    user_id(DELETE_BASE + base + n)
}

/// The new email and name that `update` writes to user `n` (as long as the
/// originals, so that later reads read the same amount).
pub fn new_email_name(n: u64) -> (String, String) {
    (
        format!("user{n:012}@example.com"),
        format!("User Renamed {n:012}"),
    )
}

/// Everything the timed loops read, for both sides, built up front.
#[derive(Debug)]
pub struct Pools {
    /// Rows `insert` writes (generated types).
    pub ours_insert: Vec<User>,
    /// The same rows for the peer.
    pub peer_insert: Vec<peer::User>,
    /// Keys of the users `get` and `update` hit.
    pub ours_keys: Vec<UserKey>,
    /// The same ids for the peer.
    pub peer_ids: Vec<Uuid>,
    /// The patches `update` writes (email and name).
    pub ours_patches: Vec<UserPatch>,
    /// The same values for the peer.
    pub peer_patches: Vec<(String, String)>,
    /// Rows `insert` writes, as charybdis models.
    pub charybdis_insert: Vec<charybdis_side::User>,
    /// The updates as charybdis partial models (key, email and name).
    pub charybdis_patches: Vec<UserEmailName>,
    /// The partitions `partition100` reads.
    pub ours_sensors: Vec<ReadingPartition>,
    /// The same sensors for the peer.
    pub peer_sensors: Vec<Uuid>,
}

impl Pools {
    /// Builds every pool.
    pub fn new() -> Self {
        let (peer_patches, ours_patches) = (0..USERS)
            .map(|n| {
                let (email, name) = new_email_name(n);
                let patch = UserPatch::default().email(email.clone()).name(name.clone());
                ((email, name), patch)
            })
            .unzip();
        Self {
            ours_insert: (0..INSERT_ROWS).map(|n| user(INSERT_BASE + n)).collect(),
            peer_insert: (0..INSERT_ROWS)
                .map(|n| peer_user(INSERT_BASE + n))
                .collect(),
            ours_keys: (0..USERS).map(|n| UserKey { id: user_id(n) }).collect(),
            peer_ids: (0..USERS).map(user_id).collect(),
            charybdis_insert: (0..INSERT_ROWS)
                .map(|n| charybdis_user(INSERT_BASE + n))
                .collect(),
            charybdis_patches: (0..USERS)
                .map(|n| {
                    let (email, name) = new_email_name(n);
                    UserEmailName {
                        id: user_id(n),
                        email,
                        name,
                    }
                })
                .collect(),
            ours_patches,
            peer_patches,
            ours_sensors: (0..SENSORS)
                .map(|s| ReadingPartition {
                    sensor: sensor_id(s),
                })
                .collect(),
            peer_sensors: (0..SENSORS).map(sensor_id).collect(),
        }
    }
}

impl Default for Pools {
    fn default() -> Self {
        Self::new()
    }
}

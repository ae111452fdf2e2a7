//! Backup and restore of a keyspace (feature `backup`): its schema as
//! `DESCRIBE` gives it, and every table's rows read by token range into
//! zstd-compressed chunk files, each cell's value as the cluster sent it
//! (so every CQL type comes back exactly) with its write time and remaining
//! TTL. A manifest (`manifest.json`) lists the tables, their columns, and
//! per token range its file, row count and SHA-256.
//!
//! - [`backup`] writes a backup into a folder; run again on the same folder
//!   it continues from the ranges it finished.
//! - [`restore`] writes one into a keyspace (the same or another) whose
//!   tables exist with the same columns: rows grouped per partition in
//!   unlogged batches, write times and remaining TTLs reapplied (`USING
//!   TIMESTAMP … AND TTL …`), counters added into empty tables only.
//!   Restored ranges are recorded in the folder, so a restore that stopped
//!   continues where it stopped.
//! - [`verify`] checks every chunk's checksum and row count without a
//!   cluster.
//!
//! A non-frozen collection's elements can have write times and TTLs of
//! their own; they are restored with the latest write time and the
//! shortest TTL among them.

mod chunk;
mod error;
mod manifest;
mod read;
mod restore;
mod shape;
mod verify;

pub use error::BackupError;

/// Where a backup or restore stands, after each finished range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress<'a> {
    /// The table of the range just finished.
    pub table: &'a str,
    /// Its rows.
    pub rows: u64,
    /// Ranges finished, earlier runs' included.
    pub ranges_done: usize,
    /// Ranges in all.
    pub ranges_total: usize,
}

pub use manifest::{ColumnBackup, Manifest, PageRead, RangeBackup, TableBackup};
pub use read::{BackupOptions, BackupReport, backup};
pub use restore::{RestoreOptions, RestoreReport, restore};
pub use verify::{VerifyReport, verify};

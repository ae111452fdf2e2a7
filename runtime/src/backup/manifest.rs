//! `manifest.json`: what a backup holds, written after every finished
//! range (to a temporary file, then renamed), so that it always describes
//! finished chunks only.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{BackupError, io};

/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";

/// A backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The layout's version (1).
    pub format: u32,
    /// The corm version that wrote it.
    pub corm_version: String,
    /// The keyspace backed up.
    pub keyspace: String,
    /// When the backup started.
    pub started_at: DateTime<Utc>,
    /// When it finished (`None`: not yet).
    pub finished_at: Option<DateTime<Utc>>,
    /// The keyspace's `DESCRIBE` statements.
    pub schema: Vec<String>,
    /// The tables, with their finished ranges.
    pub tables: Vec<TableBackup>,
}

/// One table of a backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableBackup {
    /// Its name.
    pub name: String,
    /// Its columns, in the order chunks hold them.
    pub columns: Vec<ColumnBackup>,
    /// How many token ranges it is read in.
    pub range_count: u32,
    /// The finished ranges.
    pub ranges: Vec<RangeBackup>,
}

/// One column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnBackup {
    /// Its name.
    pub name: String,
    /// `partition_key`, `clustering`, `static` or `regular`.
    pub kind: String,
    /// Its CQL type, as `system_schema` writes it.
    pub cql_type: String,
}

/// One finished token range of a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeBackup {
    /// Its number, from 0.
    pub index: u32,
    /// The chunk's file, in the table's folder.
    pub file: String,
    /// Rows in it.
    pub rows: u64,
    /// The compressed file's size.
    pub bytes: u64,
    /// The compressed file's SHA-256, in hex.
    pub sha256: String,
    /// When its read began.
    pub read_at: DateTime<Utc>,
    /// The pages it was read in, in order: remaining TTLs count from each
    /// page's second. Empty in a backup written by a corm that did not keep
    /// them: its TTLs count from `read_at`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageRead>,
}

/// One page of a range's read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRead {
    /// Rows in it.
    pub rows: u64,
    /// The whole second (Unix time, the client's clock) its request was
    /// sent and answered in: the cluster computed its TTLs in it (with the
    /// clocks in step), so a cell expires at `second + ttl`. A page whose
    /// request spanned the turn of a second is read again (twice at most),
    /// else its earlier second is kept: its cells then come back at most
    /// a second sooner.
    pub second: i64,
}

impl Manifest {
    /// Reads the manifest in `folder`, if there is one.
    ///
    /// # Errors
    /// [`BackupError::Io`] or [`BackupError::Manifest`].
    pub fn read(folder: &Path) -> Result<Option<Self>, BackupError> {
        let path = folder.join(MANIFEST);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(io(&path, error)),
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| BackupError::Manifest {
                path,
                problem: error.to_string(),
            })
    }

    /// Writes the manifest into `folder`, atomically.
    ///
    /// # Errors
    /// [`BackupError::Io`].
    pub fn write(&self, folder: &Path) -> Result<(), BackupError> {
        let text = serde_json::to_string_pretty(self).map_err(|error| BackupError::Manifest {
            path: folder.join(MANIFEST),
            problem: error.to_string(),
        })?;
        write_atomically(&folder.join(MANIFEST), text.as_bytes())
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, so
/// that `path` is whole or absent.
///
/// # Errors
/// [`BackupError::Io`].
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes).map_err(|error| io(&temporary, error))?;
    std::fs::rename(&temporary, path).map_err(|error| io(path, error))
}

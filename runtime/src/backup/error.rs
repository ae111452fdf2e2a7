//! What can go wrong in a backup, a restore or a verification.

use std::path::PathBuf;

/// A backup, restore or verification that could not go on. What was
/// finished stays recorded: run the same command again to continue.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A request to the cluster failed.
    #[error(transparent)]
    Cluster(#[from] crate::Error),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The manifest does not read.
    #[error("{path}: the manifest does not read: {problem}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// Why.
        problem: String,
    },
    /// A chunk is missing, corrupted or does not hold what the manifest
    /// says.
    #[error("chunk {file} of table `{table}`: {problem}")]
    Chunk {
        /// The table.
        table: String,
        /// The chunk's file name.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// The target can't take the backup: a missing table, other columns,
    /// a counter table that is not empty.
    #[error("table `{table}`: {problem}")]
    Target {
        /// The table.
        table: String,
        /// What is wrong.
        problem: String,
    },
    /// The backup folder holds a backup of another keyspace.
    #[error("{path} holds a backup of keyspace `{found}`, not `{wanted}`")]
    OtherKeyspace {
        /// The folder.
        path: PathBuf,
        /// The keyspace it holds.
        found: String,
        /// The keyspace asked for.
        wanted: String,
    },
}

/// `source` on `path`.
pub(super) fn io(path: &std::path::Path, source: std::io::Error) -> BackupError {
    BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

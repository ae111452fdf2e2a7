//! [`verify`]: every chunk of a backup checked against its manifest,
//! without a cluster.

use std::path::Path;

use super::chunk;
use super::error::{BackupError, io};
use super::manifest::Manifest;
use super::shape;

/// What a verification found: all good.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Chunks checked.
    pub chunks: usize,
    /// Rows in them.
    pub rows: u64,
}

/// Checks that every chunk the manifest in `folder` lists exists, has its
/// SHA-256, decompresses, and holds its row count of rows of its table's
/// width.
///
/// # Errors
/// [`BackupError::Chunk`] naming the first chunk that does not verify;
/// [`BackupError::Manifest`] when there is no manifest.
pub fn verify(folder: &Path) -> Result<VerifyReport, BackupError> {
    let manifest = Manifest::read(folder)?.ok_or_else(|| BackupError::Manifest {
        path: folder.join(super::manifest::MANIFEST),
        problem: "there is no manifest: this is not a backup".to_owned(),
    })?;
    let mut report = VerifyReport::default();
    for table in &manifest.tables {
        let width: usize = table.columns.iter().map(shape::cells_of).sum();
        for range in &table.ranges {
            let problem = |problem: String| BackupError::Chunk {
                table: table.name.clone(),
                file: range.file.clone(),
                problem,
            };
            let path = folder.join(&table.name).join(&range.file);
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    return Err(problem("is missing".to_owned()));
                }
                Err(error) => return Err(io(&path, error)),
            };
            let digest = chunk::sha256(&bytes);
            if digest != range.sha256 {
                return Err(problem(format!(
                    "is corrupted: its SHA-256 is {digest}, the manifest says {}",
                    range.sha256
                )));
            }
            let (found_width, rows) = chunk::decode(&bytes).map_err(problem)?;
            if found_width != width || rows.len() as u64 != range.rows {
                return Err(problem(format!(
                    "holds {} rows of {found_width} cells, the manifest says {} of {width}",
                    rows.len(),
                    range.rows
                )));
            }
            report.chunks += 1;
            report.rows += range.rows;
        }
    }
    Ok(report)
}

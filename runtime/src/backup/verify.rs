//! [`verify`]: every chunk of a backup checked against its manifest,
//! without a cluster.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::chunk;
use super::error::{BackupError, io};
use super::manifest::{Manifest, RangeBackup, TableBackup};
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
/// width. Chunks are checked on every core at once, one at a time each.
///
/// # Errors
/// [`BackupError::Chunk`] naming the first chunk (in the manifest's
/// order) that does not verify; [`BackupError::Manifest`] when there is
/// no manifest.
pub fn verify(folder: &Path) -> Result<VerifyReport, BackupError> {
    let manifest = Manifest::read(folder)?.ok_or_else(|| BackupError::Manifest {
        path: folder.join(super::manifest::MANIFEST),
        problem: "there is no manifest: this is not a backup".to_owned(),
    })?;
    let chunks: Vec<(&TableBackup, usize, &RangeBackup)> = manifest
        .tables
        .iter()
        .flat_map(|table| {
            let width: usize = table.columns.iter().map(shape::cells_of).sum();
            table.ranges.iter().map(move |range| (table, width, range))
        })
        .collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let mut failures: Vec<(usize, BackupError)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(chunks.len()).max(1))
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some((table, width, range)) = chunks.get(at) else {
                            break;
                        };
                        if let Err(error) = verify_chunk(folder, table, *width, range) {
                            failed.store(true, Ordering::Relaxed);
                            failures.push((at, error));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            // A worker's panic (a bug) goes on as it would have without
            // the threads.
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    failures.sort_by_key(|(at, _)| *at);
    if let Some((_, error)) = failures.into_iter().next() {
        return Err(error);
    }
    Ok(VerifyReport {
        chunks: chunks.len(),
        rows: chunks.iter().map(|(_, _, range)| range.rows).sum(),
    })
}

/// Checks one chunk of `table`, whose rows are `width` cells.
fn verify_chunk(
    folder: &Path,
    table: &TableBackup,
    width: usize,
    range: &RangeBackup,
) -> Result<(), BackupError> {
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
    let plain = chunk::decompress(&bytes).map_err(problem)?;
    let rows = plain.rows().map_err(problem)?;
    if rows.width() != width || rows.len() as u64 != range.rows {
        return Err(problem(format!(
            "holds {} rows of {} cells, the manifest says {} of {width}",
            rows.len(),
            rows.width(),
            range.rows
        )));
    }
    Ok(())
}

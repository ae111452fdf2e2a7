//! [`backup`]: a keyspace's schema and rows into a folder, range by range.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::StreamExt;
use scylla::statement::prepared::PreparedStatement;

use super::chunk::{self, RawRow};
use super::error::{BackupError, io};
use super::manifest::{Manifest, PageRead, RangeBackup, TableBackup, write_atomically};
use super::{Progress, shape};
use crate::Session;
use crate::paging::{Page, PagingToken};

/// How a backup runs.
#[derive(Clone, Debug)]
pub struct BackupOptions {
    /// Token ranges each table is read in (each a chunk file; a range's
    /// rows are held in memory while it is written).
    pub ranges: u32,
    /// Ranges read at once.
    pub concurrency: usize,
    /// The tables to back up (`None`: all).
    pub tables: Option<Vec<String>>,
    /// At most this many rows a second, on average (`None`: no limit).
    pub max_rows_per_second: Option<u32>,
}

impl Default for BackupOptions {
    fn default() -> Self {
        Self {
            ranges: 64,
            concurrency: 4,
            tables: None,
            max_rows_per_second: None,
        }
    }
}

/// What a backup did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BackupReport {
    /// Tables in the backup.
    pub tables: usize,
    /// Ranges read by this run.
    pub ranges_read: usize,
    /// Ranges a previous run had finished.
    pub ranges_skipped: usize,
    /// Rows read by this run.
    pub rows: u64,
    /// Compressed bytes written by this run.
    pub bytes: u64,
    /// Seconds it took.
    pub seconds: f64,
}

/// The bounds of range `index` of `count` over the Murmur3 ring:
/// `(start, end]`.
fn bounds(index: u32, count: u32) -> (i64, i64) {
    let count = i128::from(count.max(1));
    let span = (i128::from(i64::MAX) - i128::from(i64::MIN)) / count;
    let start = i128::from(i64::MIN) + span * i128::from(index);
    let end = if i128::from(index) + 1 == count {
        i128::from(i64::MAX)
    } else {
        start + span
    };
    (
        i64::try_from(start).unwrap_or(i64::MIN),
        i64::try_from(end).unwrap_or(i64::MAX),
    )
}

/// Backs up `keyspace` into `folder`; a folder holding an unfinished
/// backup of it is continued. `progress` is told where it stands after
/// each finished range.
///
/// # Errors
/// [`BackupError`]; the ranges finished before stay recorded.
pub async fn backup(
    session: &Session,
    keyspace: &str,
    folder: &Path,
    options: &BackupOptions,
    progress: &(dyn Fn(&Progress<'_>) + Sync),
) -> Result<BackupReport, BackupError> {
    let started = Instant::now();
    std::fs::create_dir_all(folder).map_err(|error| io(folder, error))?;
    let mut manifest = match Manifest::read(folder)? {
        Some(manifest) if manifest.keyspace != keyspace => {
            return Err(BackupError::OtherKeyspace {
                path: folder.to_owned(),
                found: manifest.keyspace,
                wanted: keyspace.to_owned(),
            });
        }
        Some(manifest) => manifest,
        None => start(session, keyspace, options).await?,
    };
    manifest.write(folder)?;
    let mut report = BackupReport {
        tables: manifest.tables.len(),
        ..BackupReport::default()
    };
    let mut work = Vec::new();
    for (table_index, table) in manifest.tables.iter().enumerate() {
        std::fs::create_dir_all(folder.join(&table.name)).map_err(|error| io(folder, error))?;
        for index in 0..table.range_count {
            if table.ranges.iter().any(|range| range.index == index) {
                report.ranges_skipped += 1;
            } else {
                work.push((table_index, index));
            }
        }
    }
    let ranges_total = report.ranges_skipped + work.len();
    let shapes: Vec<(String, String, usize, u32)> = manifest
        .tables
        .iter()
        .map(|table| {
            let width = table.columns.iter().map(shape::cells_of).sum();
            (
                table.name.clone(),
                shape::select(keyspace, &table.name, &table.columns),
                width,
                table.range_count,
            )
        })
        .collect();
    let mut finished = futures::stream::iter(work)
        .map(|(table_index, index)| {
            let (name, select, width, count) = &shapes[table_index];
            async move {
                let range =
                    read_range(session, folder, name, select, *width, index, *count).await?;
                Ok::<_, BackupError>((table_index, range))
            }
        })
        .buffer_unordered(options.concurrency.max(1));
    while let Some(done) = finished.next().await {
        let (table_index, range) = done?;
        report.ranges_read += 1;
        report.rows += range.rows;
        report.bytes += range.bytes;
        progress(&Progress {
            table: &manifest.tables[table_index].name,
            rows: range.rows,
            ranges_done: report.ranges_read + report.ranges_skipped,
            ranges_total,
        });
        manifest.tables[table_index].ranges.push(range);
        manifest.write(folder)?;
        if let Some(limit) = options.max_rows_per_second.filter(|limit| *limit > 0) {
            let due = Duration::from_secs_f64(report.rows as f64 / f64::from(limit));
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
    }
    drop(finished);
    for table in &mut manifest.tables {
        table.ranges.sort_by_key(|range| range.index);
    }
    if manifest.finished_at.is_none() {
        manifest.finished_at = Some(Utc::now());
    }
    manifest.write(folder)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// A new manifest: the keyspace's schema and tables, no range yet.
async fn start(
    session: &Session,
    keyspace: &str,
    options: &BackupOptions,
) -> Result<Manifest, BackupError> {
    let described = crate::migrate::describe_keyspace(session, keyspace).await?;
    let mut tables = Vec::new();
    for (name, columns) in shape::tables(session, keyspace).await? {
        if options
            .tables
            .as_ref()
            .is_some_and(|wanted| !wanted.contains(&name))
        {
            continue;
        }
        tables.push(TableBackup {
            name,
            columns,
            range_count: options.ranges.max(1),
            ranges: Vec::new(),
        });
    }
    Ok(Manifest {
        format: 1,
        corm_version: env!("CARGO_PKG_VERSION").to_owned(),
        keyspace: keyspace.to_owned(),
        started_at: Utc::now(),
        finished_at: None,
        schema: described
            .into_iter()
            .map(|(_, _, _, statement)| statement)
            .collect(),
        tables,
    })
}

/// Reads range `index` of `count` of a table into its chunk file.
async fn read_range(
    session: &Session,
    folder: &Path,
    table: &str,
    select: &str,
    width: usize,
    index: u32,
    count: u32,
) -> Result<RangeBackup, BackupError> {
    let (start, end) = bounds(index, count);
    let read_at = Utc::now();
    let prepared = session.prepare(select).await?;
    let mut rows: Vec<RawRow> = Vec::new();
    let mut pages = Vec::new();
    let mut next: Option<PagingToken> = None;
    loop {
        let (page, second) =
            page_in_one_second(session, &prepared, (start, end), next.as_ref()).await?;
        pages.push(PageRead {
            rows: page.rows.len() as u64,
            second,
        });
        rows.extend(page.rows);
        match page.next {
            Some(token) => next = Some(token),
            None => break,
        }
    }
    let (bytes, sha256) = chunk::encode(&rows, width).map_err(|error| io(folder, error))?;
    let file = format!("{index:05}.zst");
    write_atomically(&folder.join(table).join(&file), &bytes)?;
    Ok(RangeBackup {
        index,
        file,
        rows: rows.len() as u64,
        bytes: bytes.len() as u64,
        sha256,
        read_at,
        pages,
    })
}

/// Reads one page of a range, and the whole second its request was sent
/// and answered in (the cluster computes the page's TTLs in it); a page
/// whose request spanned the turn of a second is read again, twice at
/// most, then its earlier second is kept.
async fn page_in_one_second(
    session: &Session,
    prepared: &PreparedStatement,
    bounds: (i64, i64),
    token: Option<&PagingToken>,
) -> Result<(Page<RawRow>, i64), crate::Error> {
    let mut tries = 0;
    loop {
        let before = Utc::now().timestamp();
        let page = crate::paging::page(
            session,
            prepared,
            bounds,
            None,
            token.map(PagingToken::as_bytes),
        )
        .await?;
        tries += 1;
        if Utc::now().timestamp() == before || tries == 3 {
            return Ok((page, before));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bounds;

    #[test]
    fn ranges_cover_the_ring_without_gaps() {
        let count = 7;
        let mut previous = i64::MIN;
        for index in 0..count {
            let (start, end) = bounds(index, count);
            assert_eq!(start, previous);
            assert!(end > start);
            previous = end;
        }
        assert_eq!(previous, i64::MAX);
    }
}

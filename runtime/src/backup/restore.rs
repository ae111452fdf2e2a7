//! [`restore`]: a backup's rows into a keyspace whose tables exist with
//! the same columns, range by range, recording what it finished.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

use chrono::Utc;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::RowWriter;
use scylla::statement::batch::{Batch, BatchType};
use scylla::statement::prepared::PreparedStatement;
use serde::{Deserialize, Serialize};

use super::chunk;
use super::error::{BackupError, io};
use super::manifest::{ColumnBackup, Manifest, RangeBackup, TableBackup, write_atomically};
use super::shape;
use crate::{Error, Session};

/// How a restore runs.
#[derive(Clone, Debug)]
pub struct RestoreOptions {
    /// The keyspace written to (its tables must exist).
    pub keyspace: String,
    /// Batches in flight at once.
    pub concurrency: usize,
    /// Statements per unlogged batch (all of one partition).
    pub batch_statements: usize,
    /// The tables to restore (`None`: all of the backup's).
    pub tables: Option<Vec<String>>,
    /// Ranges written at once (each with up to `concurrency` batches in
    /// flight).
    pub ranges_at_once: usize,
}

impl RestoreOptions {
    /// Restoring into `keyspace`, 16 batches at once of up to 20 statements.
    pub fn into_keyspace(keyspace: impl Into<String>) -> Self {
        Self {
            keyspace: keyspace.into(),
            concurrency: 16,
            batch_statements: 20,
            tables: None,
            ranges_at_once: 4,
        }
    }
}

/// What a restore did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RestoreReport {
    /// Ranges written by this run.
    pub ranges_restored: usize,
    /// Ranges a previous run had finished.
    pub ranges_skipped: usize,
    /// Rows written by this run.
    pub rows: u64,
    /// Cells whose TTL ran out since the backup, left out.
    pub expired_cells: u64,
    /// Seconds it took.
    pub seconds: f64,
}

/// What restores into a keyspace finished, kept in the backup's folder.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct RestoreState {
    /// Finished ranges by table.
    done: BTreeMap<String, BTreeSet<u32>>,
    /// Ranges of counter tables begun (a counter range begun and not
    /// finished can't be resumed: its increments are not idempotent).
    counters_begun: BTreeMap<String, BTreeSet<u32>>,
}

impl RestoreState {
    fn path(folder: &Path, keyspace: &str) -> std::path::PathBuf {
        folder.join(format!("restore-{keyspace}.json"))
    }

    fn read(folder: &Path, keyspace: &str) -> Result<Self, BackupError> {
        let path = Self::path(folder, keyspace);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|error| BackupError::Manifest {
                path,
                problem: error.to_string(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(io(&path, error)),
        }
    }

    fn write(&self, folder: &Path, keyspace: &str) -> Result<(), BackupError> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default();
        write_atomically(&Self::path(folder, keyspace), text.as_bytes())
    }
}

/// Restores the backup in `folder` into `options.keyspace`. Every chunk
/// is checked first: a missing or corrupted one stops the restore before
/// anything is written. `progress` is told each finished range.
///
/// # Errors
/// [`BackupError`]: a table missing in the target or with other columns,
/// a non-empty counter table, a chunk that does not verify, a request
/// that failed (what was finished stays recorded).
pub async fn restore(
    session: &Session,
    folder: &Path,
    options: &RestoreOptions,
    progress: &(dyn Fn(&super::Progress<'_>) + Sync),
) -> Result<RestoreReport, BackupError> {
    let started = Instant::now();
    let manifest = Manifest::read(folder)?.ok_or_else(|| BackupError::Manifest {
        path: folder.join(super::manifest::MANIFEST),
        problem: "there is no manifest: this is not a backup".to_owned(),
    })?;
    if manifest.finished_at.is_none() {
        return Err(BackupError::Manifest {
            path: folder.join(super::manifest::MANIFEST),
            problem: "the backup is not finished: run it again to finish it".to_owned(),
        });
    }
    super::verify::verify(folder)?;
    let tables: Vec<&TableBackup> = manifest
        .tables
        .iter()
        .filter(|table| {
            options
                .tables
                .as_ref()
                .is_none_or(|wanted| wanted.contains(&table.name))
        })
        .collect();
    let mut state = RestoreState::read(folder, &options.keyspace)?;
    for table in &tables {
        check_target(session, &options.keyspace, table, &state).await?;
    }
    let mut report = RestoreReport::default();
    let ranges_total: usize = tables.iter().map(|table| table.ranges.len()).sum();
    for table in tables {
        let writer = TableWriter::new(session, &options.keyspace, table, options);
        let done = state.done.get(&table.name).cloned().unwrap_or_default();
        let pending: Vec<&RangeBackup> = table
            .ranges
            .iter()
            .filter(|range| !done.contains(&range.index))
            .collect();
        report.ranges_skipped += table.ranges.len() - pending.len();
        if writer.counter && !pending.is_empty() {
            state
                .counters_begun
                .entry(table.name.clone())
                .or_default()
                .extend(pending.iter().map(|range| range.index));
            state.write(folder, &options.keyspace)?;
        }
        let writer = &writer;
        let mut written = futures::stream::iter(pending)
            .map(|range| async move {
                let path = folder.join(&table.name).join(&range.file);
                let bytes = std::fs::read(&path).map_err(|error| io(&path, error))?;
                let problem = |problem| BackupError::Chunk {
                    table: table.name.clone(),
                    file: range.file.clone(),
                    problem,
                };
                let plain = chunk::decompress(&bytes).map_err(problem)?;
                drop(bytes);
                let rows = plain.rows().map_err(problem)?;
                let expired = writer.write_range(rows.rows(), range).await?;
                Ok::<_, BackupError>((range, expired))
            })
            .buffer_unordered(options.ranges_at_once.max(1));
        while let Some(result) = written.next().await {
            let (range, expired) = result?;
            report.ranges_restored += 1;
            report.rows += range.rows;
            report.expired_cells += expired;
            state
                .done
                .entry(table.name.clone())
                .or_default()
                .insert(range.index);
            state.write(folder, &options.keyspace)?;
            progress(&super::Progress {
                table: &table.name,
                rows: range.rows,
                ranges_done: report.ranges_restored + report.ranges_skipped,
                ranges_total,
            });
        }
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Refuses a target table that is missing, has other columns, or is a
/// counter table with rows not written by this restore.
async fn check_target(
    session: &Session,
    keyspace: &str,
    table: &TableBackup,
    state: &RestoreState,
) -> Result<(), BackupError> {
    let target = |problem: String| BackupError::Target {
        table: table.name.clone(),
        problem,
    };
    let columns = shape::columns(session, keyspace, &table.name).await?;
    if columns.is_empty() {
        return Err(target(format!(
            "keyspace `{keyspace}` has no such table: create the schema first (`cormc restore --create-schema`)"
        )));
    }
    if columns != table.columns {
        let describe = |columns: &[ColumnBackup]| -> BTreeSet<String> {
            columns
                .iter()
                .map(|c| format!("{} {} ({})", c.name, c.cql_type, c.kind))
                .collect()
        };
        let (backup, found) = (describe(&table.columns), describe(&columns));
        let missing: Vec<&String> = backup.difference(&found).collect();
        let extra: Vec<&String> = found.difference(&backup).collect();
        return Err(target(format!(
            "its columns differ from the backup's: the backup has {missing:?} where the target has {extra:?}"
        )));
    }
    if shape::is_counter_table(&table.columns) {
        let begun = state.counters_begun.get(&table.name);
        let done = state.done.get(&table.name);
        if let Some(index) = begun
            .into_iter()
            .flatten()
            .find(|index| !done.is_some_and(|done| done.contains(index)))
        {
            return Err(target(format!(
                "a restore of its counters stopped in range {index}: counters are added, so that range can't be written again; truncate the table and restore it anew"
            )));
        }
        if begun.is_none() {
            let probe = format!(
                "SELECT * FROM {}.{} LIMIT 1",
                crate::rt::quoted(keyspace),
                crate::rt::quoted(&table.name)
            );
            let rows: Vec<scylla::value::Row> =
                crate::migrate::catalog::rows(&probe, session.query(&probe, ()).await?)?;
            if !rows.is_empty() {
                return Err(target(
                    "it is a counter table and not empty: counters are restored by adding to them, which only an empty table makes exact".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// Values bound as sent: raw cells, then an optional write time and TTL.
struct RawBind<'r> {
    cells: Vec<Option<&'r [u8]>>,
    timestamp: Option<i64>,
    ttl: Option<i32>,
}

impl SerializeRow for RawBind<'_> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> Result<(), SerializationError> {
        for cell in &self.cells {
            let cell_writer = writer.make_cell_writer();
            match cell {
                Some(bytes) => {
                    cell_writer
                        .set_value(bytes)
                        .map_err(SerializationError::new)?;
                }
                None => {
                    cell_writer.set_null();
                }
            }
        }
        let columns = ctx.columns();
        let mut at = self.cells.len();
        if let Some(timestamp) = &self.timestamp {
            let spec = columns
                .get(at)
                .ok_or_else(|| SerializationError::new(MissingMarker))?;
            SerializeValue::serialize(timestamp, spec.typ(), writer.make_cell_writer())?;
            at += 1;
        }
        if let Some(ttl) = &self.ttl {
            let spec = columns
                .get(at)
                .ok_or_else(|| SerializationError::new(MissingMarker))?;
            SerializeValue::serialize(ttl, spec.typ(), writer.make_cell_writer())?;
        }
        Ok(())
    }

    fn is_empty(&self) -> bool {
        false
    }
}

/// A statement with fewer markers than values: a bug of the restore.
#[derive(Debug, thiserror::Error)]
#[error("the statement has fewer bind markers than the restore binds")]
struct MissingMarker;

/// Writes one table's rows.
struct TableWriter<'a> {
    session: &'a Session,
    keyspace: String,
    table: &'a TableBackup,
    counter: bool,
    /// Where each column's cells start in a chunk's row.
    offsets: Vec<usize>,
    /// The partition key's columns (indexes into the table's columns).
    partition: Vec<usize>,
    /// The primary key's columns: the partition key's, then the
    /// clustering columns.
    primary: Vec<usize>,
    statements: std::sync::Mutex<HashMap<Vec<usize>, PreparedStatement>>,
    concurrency: usize,
    batch_statements: usize,
}

impl<'a> TableWriter<'a> {
    fn new(
        session: &'a Session,
        keyspace: &str,
        table: &'a TableBackup,
        options: &RestoreOptions,
    ) -> Self {
        let mut offsets = Vec::with_capacity(table.columns.len());
        let mut at = 0;
        for column in &table.columns {
            offsets.push(at);
            at += shape::cells_of(column);
        }
        let of_kind = |kind: &str| -> Vec<usize> {
            (0..table.columns.len())
                .filter(|i| table.columns[*i].kind == kind)
                .collect()
        };
        let partition = of_kind("partition_key");
        let mut primary = partition.clone();
        primary.extend(of_kind("clustering"));
        Self {
            session,
            keyspace: keyspace.to_owned(),
            table,
            counter: shape::is_counter_table(&table.columns),
            offsets,
            partition,
            primary,
            statements: std::sync::Mutex::default(),
            concurrency: options.concurrency.max(1),
            batch_statements: options.batch_statements.max(1),
        }
    }

    /// The statement writing `columns` (indexes into the table's columns;
    /// key columns first), with `USING TIMESTAMP ? AND TTL ?` (or, in a
    /// counter table, adding to the counters).
    async fn statement(&self, columns: &[usize]) -> Result<PreparedStatement, Error> {
        if let Some(prepared) = self
            .statements
            .lock()
            .ok()
            .and_then(|cache| cache.get(columns).cloned())
        {
            return Ok(prepared);
        }
        let name = format!(
            "{}.{}",
            crate::rt::quoted(&self.keyspace),
            crate::rt::quoted(&self.table.name)
        );
        let all = &self.table.columns;
        let text = if self.counter {
            let (keys, counters): (Vec<usize>, Vec<usize>) =
                columns.iter().partition(|i| all[**i].is_key());
            let set: Vec<String> = counters
                .iter()
                .map(|i| format!("{0} = {0} + ?", all[*i].cql()))
                .collect();
            let key: Vec<String> = keys
                .iter()
                .map(|i| format!("{} = ?", all[*i].cql()))
                .collect();
            format!(
                "UPDATE {name} SET {} WHERE {}",
                set.join(", "),
                key.join(" AND ")
            )
        } else {
            let names: Vec<String> = columns.iter().map(|i| all[*i].cql()).collect();
            let markers = vec!["?"; columns.len()].join(", ");
            format!(
                "INSERT INTO {name} ({}) VALUES ({markers}) USING TIMESTAMP ? AND TTL ?",
                names.join(", ")
            )
        };
        let prepared = self.session.prepare(&text).await?;
        if let Ok(mut cache) = self.statements.lock() {
            cache.insert(columns.to_vec(), prepared.clone());
        }
        Ok(prepared)
    }

    /// Writes a range's rows, grouped per partition in unlogged batches;
    /// how many cells had expired.
    async fn write_range<'r>(
        &self,
        rows: impl Iterator<Item = &'r [Option<&'r [u8]>]>,
        range: &RangeBackup,
    ) -> Result<u64, BackupError> {
        let mut expired = 0;
        let default_timestamp = range.read_at.timestamp_micros();
        // The second each row was read in: its page's, or for a backup
        // that did not keep pages, when its range's read began (earlier).
        let mut read_seconds = range.pages.iter().flat_map(|page| {
            std::iter::repeat_n(page.second, usize::try_from(page.rows).unwrap_or(0))
        });
        let range_began = range.read_at.timestamp();
        let mut in_flight = FuturesUnordered::new();
        let mut pending: Vec<(PreparedStatement, RawBind<'r>)> = Vec::new();
        let mut previous: Option<&[Option<&[u8]>]> = None;
        let mut statics_written = false;
        for row in rows {
            let same_partition = previous.is_some_and(|previous| {
                self.partition
                    .iter()
                    .all(|i| previous[self.offsets[*i]] == row[self.offsets[*i]])
            });
            if !same_partition {
                if !pending.is_empty() {
                    in_flight.push(self.send(std::mem::take(&mut pending)));
                }
                statics_written = false;
            }
            previous = Some(row);
            let expiry = Expiry {
                read: read_seconds.next().unwrap_or(range_began),
                now: Utc::now().timestamp(),
            };
            for (prepared, bind) in self
                .row_statements(
                    row,
                    expiry,
                    default_timestamp,
                    statics_written,
                    &mut expired,
                )
                .await?
            {
                pending.push((prepared, bind));
                if pending.len() >= self.batch_statements {
                    in_flight.push(self.send(std::mem::take(&mut pending)));
                }
            }
            statics_written = true;
            while in_flight.len() >= self.concurrency {
                if let Some(result) = in_flight.next().await {
                    result?;
                }
            }
        }
        if !pending.is_empty() {
            in_flight.push(self.send(pending));
        }
        while let Some(result) = in_flight.next().await {
            result?;
        }
        Ok(expired)
    }

    /// The statements that write `row`: one per distinct (write time,
    /// TTL) of its cells.
    async fn row_statements<'r>(
        &self,
        row: &[Option<&'r [u8]>],
        expiry: Expiry,
        default_timestamp: i64,
        statics_written: bool,
        expired: &mut u64,
    ) -> Result<Vec<(PreparedStatement, RawBind<'r>)>, BackupError> {
        let columns = &self.table.columns;
        // A partition with static cells and no rows comes back with
        // empty clustering columns: only its partition key is bound.
        let clustered = self.primary[self.partition.len()..]
            .iter()
            .all(|i| row[self.offsets[*i]].is_some());
        let keys = if clustered {
            &self.primary
        } else {
            &self.partition
        };
        let key_cells: Vec<Option<&[u8]>> = keys.iter().map(|i| row[self.offsets[*i]]).collect();
        let mut out = Vec::new();
        if self.counter {
            let counters: Vec<usize> = (0..columns.len())
                .filter(|i| columns[*i].is_counter() && row[self.offsets[*i]].is_some())
                .collect();
            if counters.is_empty() {
                return Ok(out);
            }
            let mut order = counters.clone();
            order.extend(keys);
            let prepared = self.statement(&order).await?;
            let mut cells: Vec<Option<&[u8]>> =
                counters.iter().map(|i| row[self.offsets[*i]]).collect();
            cells.extend(key_cells);
            out.push((
                prepared,
                RawBind {
                    cells,
                    timestamp: None,
                    ttl: None,
                },
            ));
            return Ok(out);
        }
        let mut groups: BTreeMap<(i64, i32), Vec<usize>> = BTreeMap::new();
        // Whether the row has a cell of its own (not a static one, which
        // every row of the partition shows).
        let mut any_regular = false;
        for (index, column) in columns.iter().enumerate() {
            if column.is_key() {
                continue;
            }
            let at = self.offsets[index];
            if row[at].is_none() {
                continue;
            }
            let is_static = column.kind == "static";
            any_regular |= !is_static;
            if (is_static && statics_written) || (!is_static && !clustered) {
                continue;
            }
            let multi = column.is_multi_cell();
            let timestamp = write_time(row[at + 1], multi).unwrap_or(default_timestamp);
            let ttl = match time_to_live(row[at + 2], multi).map(|ttl| expiry.left(ttl)) {
                Some(None) => {
                    *expired += 1;
                    continue;
                }
                Some(Some(left)) => left,
                None => 0,
            };
            groups.entry((timestamp, ttl)).or_default().push(index);
        }
        if groups.is_empty() && !any_regular && clustered {
            // A row of its key alone (beside the partition's static cells,
            // written with its first row).
            groups.insert((default_timestamp, 0), Vec::new());
        }
        for ((timestamp, ttl), cells_of_group) in groups {
            let mut order = keys.clone();
            order.extend(&cells_of_group);
            let prepared = self.statement(&order).await?;
            let mut cells = key_cells.clone();
            cells.extend(cells_of_group.iter().map(|i| row[self.offsets[*i]]));
            out.push((
                prepared,
                RawBind {
                    cells,
                    timestamp: Some(timestamp),
                    ttl: Some(ttl),
                },
            ));
        }
        Ok(out)
    }

    /// Sends `statements` (of one partition) as one unlogged batch.
    fn send<'r>(
        &self,
        statements: Vec<(PreparedStatement, RawBind<'r>)>,
    ) -> impl Future<Output = Result<(), BackupError>> + use<'a, 'r> {
        let session = self.session;
        let counter = self.counter;
        async move {
            let mut batch = Batch::new(if counter {
                BatchType::Counter
            } else {
                BatchType::Unlogged
            });
            let mut values = Vec::with_capacity(statements.len());
            for (prepared, bind) in statements {
                batch.append_statement(prepared);
                values.push(bind);
            }
            session
                .driver()
                .batch(&batch, &values)
                .await
                .map_err(|source| {
                    BackupError::Cluster(Error::Batch {
                        size: values.len(),
                        first: "restore".to_owned(),
                        source: Box::new(source),
                    })
                })?;
            Ok(())
        }
    }
}

/// When a row was read and is written, to turn the TTLs it was read
/// with into what is left of them.
#[derive(Clone, Copy, Debug)]
struct Expiry {
    /// The whole second (Unix time) its page was read in.
    read: i64,
    /// The whole second it is written in (the client's clock).
    now: i64,
}

impl Expiry {
    /// The TTL to write for a cell read with `ttl` seconds left; `None`
    /// once it has expired. The cell expired at `read + ttl` in the
    /// source; written now with `read + ttl - now - 1`, it expires a
    /// second before that, or at that second when the cluster's clock
    /// turns a second between this and the write: never later, as long as
    /// the clocks are in step and the write reaches the cluster before its
    /// clock has turned a second more.
    fn left(self, ttl: i32) -> Option<i32> {
        let left = self.read + i64::from(ttl) - self.now - 1;
        (left > 0).then(|| i32::try_from(left).unwrap_or(i32::MAX))
    }
}

/// A cell's write time: a `bigint`, or for a multi-cell column a list of
/// them (the latest).
fn write_time(bytes: Option<&[u8]>, multi: bool) -> Option<i64> {
    let bytes = bytes?;
    if multi {
        list_items(bytes)
            .filter_map(|item| Some(i64::from_be_bytes(item?.try_into().ok()?)))
            .max()
    } else {
        Some(i64::from_be_bytes(bytes.try_into().ok()?))
    }
}

/// A cell's remaining TTL in seconds: an `int`, or for a multi-cell
/// column a list of them (the shortest).
fn time_to_live(bytes: Option<&[u8]>, multi: bool) -> Option<i32> {
    let bytes = bytes?;
    if multi {
        list_items(bytes)
            .filter_map(|item| Some(i32::from_be_bytes(item?.try_into().ok()?)))
            .min()
    } else {
        Some(i32::from_be_bytes(bytes.try_into().ok()?))
    }
}

/// The items of a serialized list: a count, then each length-prefixed
/// (`None` for a null item).
fn list_items(bytes: &[u8]) -> impl Iterator<Item = Option<&[u8]>> {
    let count = bytes
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, i32::from_be_bytes);
    let mut at = 4;
    (0..count.max(0)).map_while(move |_| {
        let len = i32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
        at += 4;
        if len < 0 {
            return Some(None);
        }
        let len = usize::try_from(len).ok()?;
        let item = bytes.get(at..at + len)?;
        at += len;
        Some(Some(item))
    })
}

#[cfg(test)]
mod tests {
    use super::Expiry;

    #[test]
    fn what_is_left_of_a_ttl_expires_a_second_early_or_never() {
        // Read at second 100 with 60 s left: it expired at 160 in the
        // source; written at 130, 29 s more end it at 159 (or 160 when the
        // cluster's second turns before the write).
        let at = |now| Expiry { read: 100, now };
        assert_eq!(at(130).left(60), Some(29));
        assert_eq!(at(100).left(60), Some(59));
        assert_eq!(at(158).left(60), Some(1));
        assert_eq!(at(159).left(60), None);
        assert_eq!(at(200).left(60), None);
        assert_eq!(at(0).left(i32::MAX), Some(i32::MAX));
    }
}

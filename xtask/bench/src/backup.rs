//! `corm-bench backup`: `corm::backup` and `corm::backup::restore` against
//! cqlsh's `COPY TO` and `COPY FROM` on the same table in the same run,
//! and which values each brings back exactly.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use corm::Session;
use corm::scylla::value::{CqlValue, Row};
use corm::serde::Serialize;
use futures::StreamExt;

use crate::BenchError;

const SOURCE: &str = "bench_backup_source";
const RESTORED: &str = "bench_backup_corm";
const COPIED: &str = "bench_backup_copy";

/// The table, with a column of each kind COPY is known to treat loosely
/// (a `duration` column is probed apart: COPY FROM refuses every row that
/// has one).
const TABLE: &str = "(id int, seq int, name text, amount decimal, ratio float, score double, \
    at timestamp, big varint, data blob, tags set<text>, emb vector<float, 3>, \
    PRIMARY KEY ((id), seq))";

/// The figures of a run: medians over its rounds.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct BackupBench {
    /// Rows in the table.
    pub rows: u64,
    /// `corm::backup` rows per second.
    pub backup_rows_per_second: f64,
    /// Its output (zstd chunks) in MB per second.
    pub backup_mb_per_second: f64,
    /// Its output's size in bytes.
    pub backup_bytes: u64,
    /// `COPY TO` rows per second.
    pub copy_to_rows_per_second: f64,
    /// Its output (CSV) in MB per second.
    pub copy_to_mb_per_second: f64,
    /// Its output's size in bytes.
    pub copy_to_bytes: u64,
    /// `corm::backup::restore` rows per second.
    pub restore_rows_per_second: f64,
    /// `COPY FROM` rows per second.
    pub copy_from_rows_per_second: f64,
    /// Seconds the restore took.
    pub restore_seconds: f64,
    /// CPU seconds the restoring process used meanwhile (all its threads:
    /// reading chunks, building and sending batches), of the two cores it
    /// shares with the node.
    pub restore_client_cpu_seconds: f64,
    /// Backup over `COPY TO` (rows per second).
    pub backup_vs_copy: f64,
    /// Restore over `COPY FROM` (rows per second).
    pub restore_vs_copy: f64,
    /// Per column, the rows whose value (or write time, or TTL) did not
    /// come back through corm.
    pub corm_differences: Vec<(String, u64)>,
    /// The same through COPY.
    pub copy_differences: Vec<(String, u64)>,
    /// Whether COPY FROM refused the rows of a `duration` column that
    /// COPY TO wrote (corm's chunks hold the value's bytes).
    pub copy_refuses_durations: bool,
    /// Every round's seconds.
    pub runs: Runs,
}

/// Fills the source table with `rows` rows, then for `rounds` rounds
/// backs it up and restores it with corm and with `cqlsh` (the path of
/// its command), alternating which side goes first (A B, B A, …: the
/// node's background work after a load, flushes and compactions, falls
/// on both), into emptied tables; the medians, and what came back
/// exactly after the last round.
///
/// # Errors
/// [`BenchError`] when a side fails.
pub async fn measure(
    session: &Session,
    rows: u64,
    rounds: usize,
    cqlsh: &Path,
    out: &Path,
) -> Result<BackupBench, BenchError> {
    // cqlsh runs in `out` and is given absolute paths (its own too).
    let absolute = |path: &Path| {
        std::path::absolute(path).map_err(|source| BenchError::Io {
            what: format!("finding {}", path.display()),
            source,
        })
    };
    let out = &absolute(out)?;
    let cqlsh = &absolute(cqlsh)?;
    for keyspace in [SOURCE, RESTORED, COPIED] {
        session
            .run_ddl(&format!("DROP KEYSPACE IF EXISTS {keyspace}"))
            .await?;
        session
            .run_ddl(&format!(
                "CREATE KEYSPACE {keyspace} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
            ))
            .await?;
    }
    session
        .run_ddl(&format!("CREATE TABLE {SOURCE}.t {TABLE}"))
        .await?;
    fill(session, rows).await?;
    let folder = out.join("backup-chunks");
    let csv = out.join("backup-copy.csv");
    let mut runs = Runs::default();
    let mut backup_bytes = 0;
    let mut copy_to_bytes = 0;
    for round in 0..rounds.max(1) {
        for corm_side in [round % 2 == 0, round % 2 != 0] {
            if corm_side {
                let _ = std::fs::remove_dir_all(&folder);
                let started = Instant::now();
                let backed = corm::backup::backup(
                    session,
                    SOURCE,
                    &folder,
                    &corm::backup::BackupOptions::default(),
                    &|_| {},
                )
                .await
                .map_err(|error| BenchError::Run(error.to_string()))?;
                runs.backup.push(started.elapsed().as_secs_f64());
                backup_bytes = backed.bytes;
            } else {
                let _ = std::fs::remove_file(&csv);
                runs.copy_to.push(cqlsh_run(
                    cqlsh,
                    out,
                    &format!("COPY {SOURCE}.t TO '{}'", csv.display()),
                )?);
                copy_to_bytes = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
            }
        }
        for corm_side in [round % 2 == 0, round % 2 != 0] {
            let keyspace = if corm_side { RESTORED } else { COPIED };
            empty_table(session, keyspace).await?;
            if corm_side {
                let _ = std::fs::remove_file(folder.join(format!("restore-{RESTORED}.json")));
                let cpu_before = crate::cpu::process_time();
                let started = Instant::now();
                corm::backup::restore(
                    session,
                    &folder,
                    &corm::backup::RestoreOptions::into_keyspace(RESTORED),
                    &|_| {},
                )
                .await
                .map_err(|error| BenchError::Run(error.to_string()))?;
                runs.restore.push(started.elapsed().as_secs_f64());
                runs.restore_cpu
                    .push((crate::cpu::process_time() - cpu_before).as_secs_f64());
            } else {
                runs.copy_from.push(cqlsh_run(
                    cqlsh,
                    out,
                    &format!("COPY {COPIED}.t FROM '{}'", csv.display()),
                )?);
            }
        }
    }
    let copy_refuses_durations = durations_refused(session, cqlsh, out).await?;
    let per_second = |seconds: f64| rows as f64 / seconds.max(f64::MIN_POSITIVE);
    let mb = |bytes: u64, seconds: f64| bytes as f64 / 1e6 / seconds.max(f64::MIN_POSITIVE);
    let (backup_seconds, copy_to_seconds) = (median(&runs.backup), median(&runs.copy_to));
    let (restore_seconds, copy_from_seconds) = (median(&runs.restore), median(&runs.copy_from));
    let report = BackupBench {
        rows,
        backup_rows_per_second: per_second(backup_seconds),
        backup_mb_per_second: mb(backup_bytes, backup_seconds),
        backup_bytes,
        copy_to_rows_per_second: per_second(copy_to_seconds),
        copy_to_mb_per_second: mb(copy_to_bytes, copy_to_seconds),
        copy_to_bytes,
        restore_rows_per_second: per_second(restore_seconds),
        copy_from_rows_per_second: per_second(copy_from_seconds),
        backup_vs_copy: copy_to_seconds / backup_seconds.max(f64::MIN_POSITIVE),
        restore_vs_copy: copy_from_seconds / restore_seconds.max(f64::MIN_POSITIVE),
        restore_seconds,
        restore_client_cpu_seconds: median(&runs.restore_cpu),
        corm_differences: differences(session, RESTORED).await?,
        copy_differences: differences(session, COPIED).await?,
        copy_refuses_durations,
        runs,
    };
    let _ = std::fs::remove_dir_all(&folder);
    let _ = std::fs::remove_file(&csv);
    Ok(report)
}

/// The seconds of every round, per side.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(crate = "corm::serde")]
pub struct Runs {
    /// `corm::backup`.
    pub backup: Vec<f64>,
    /// `COPY TO`.
    pub copy_to: Vec<f64>,
    /// `corm::backup::restore`.
    pub restore: Vec<f64>,
    /// The restoring process's CPU seconds meanwhile.
    pub restore_cpu: Vec<f64>,
    /// `COPY FROM`.
    pub copy_from: Vec<f64>,
}

/// The median of `values` (0 for none).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Drops and recreates `keyspace`'s table: an empty target for a restore.
async fn empty_table(session: &Session, keyspace: &str) -> Result<(), BenchError> {
    session
        .run_ddl(&format!("DROP TABLE IF EXISTS {keyspace}.t"))
        .await?;
    session
        .run_ddl(&format!("CREATE TABLE {keyspace}.t {TABLE}"))
        .await?;
    Ok(())
}

/// Whether a `duration` column comes back through COPY TO and COPY FROM.
async fn durations_refused(
    session: &Session,
    cqlsh: &Path,
    out: &Path,
) -> Result<bool, BenchError> {
    for keyspace in [SOURCE, COPIED] {
        session
            .run_ddl(&format!(
                "CREATE TABLE {keyspace}.d (id int PRIMARY KEY, took duration)"
            ))
            .await?;
    }
    session
        .query(
            &format!("INSERT INTO {SOURCE}.d (id, took) VALUES (1, 1h2m3s4ms5us6ns)"),
            (),
        )
        .await?;
    let csv = out.join("backup-durations.csv");
    cqlsh_run(
        cqlsh,
        out,
        &format!("COPY {SOURCE}.d TO '{}'", csv.display()),
    )?;
    let refused = cqlsh_run(
        cqlsh,
        out,
        &format!("COPY {COPIED}.d FROM '{}'", csv.display()),
    )
    .is_err();
    let _ = std::fs::remove_file(&csv);
    let _ = std::fs::remove_file(out.join(format!("import_{COPIED}_d.err")));
    Ok(refused)
}

/// Runs one cqlsh statement against the local node (in `out`, where it
/// writes its error files); its seconds.
fn cqlsh_run(cqlsh: &Path, out: &Path, statement: &str) -> Result<f64, BenchError> {
    let started = Instant::now();
    let output = Command::new(cqlsh)
        .current_dir(out)
        .args(["127.0.0.1", "9042", "-e", statement])
        .output()
        .map_err(|source| BenchError::Io {
            what: format!("running {}", cqlsh.display()),
            source,
        })?;
    if !output.status.success() {
        return Err(BenchError::Run(format!(
            "cqlsh `{statement}`: {}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn fill(session: &Session, rows: u64) -> Result<(), BenchError> {
    let insert = session
        .prepare(&format!(
            "INSERT INTO {SOURCE}.t (id, seq, name, amount, ratio, score, at, big, data, tags, emb) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ? AND TTL ?"
        ))
        .await?;
    let results: Vec<Result<(), corm::Error>> = futures::stream::iter(0..rows)
        .map(|n| {
            let insert = &insert;
            async move {
                let id = i32::try_from(n / 10).unwrap_or(i32::MAX);
                let seq = i32::try_from(n % 10).unwrap_or(0);
                let value = n as f64;
                let amount: corm::BigDecimal = format!("{n}.{:09}", n % 1_000_000_007)
                    .parse()
                    .unwrap_or_default();
                let big = corm::BigInt::from(n) * corm::BigInt::from(u64::MAX);
                let at = corm::chrono::DateTime::from_timestamp_millis(
                    1_700_000_000_000 + i64::try_from(n).unwrap_or(0),
                )
                .unwrap_or_default();
                let tags: Vec<String> = (0..n % 3).map(|t| format!("tag {t}")).collect();
                let emb = vec![value as f32 / 3.0, 1.0 / (value as f32 + 7.0), 0.1];
                let ttl = if n % 2 == 0 { 86_400 } else { 0 };
                session
                    .execute(
                        insert,
                        (
                            id,
                            seq,
                            format!("row {n}"),
                            amount,
                            (value / 7.0) as f32,
                            value / 3.0,
                            at,
                            big,
                            n.to_be_bytes().to_vec(),
                            tags,
                            corm::Vector::<3>::try_from(emb)
                                .unwrap_or_else(|_| corm::Vector::<3>::from([0.0; 3])),
                            1_700_000_000_000_000_i64 + i64::try_from(n).unwrap_or(0),
                            ttl,
                        ),
                    )
                    .await
                    .map(|_| ())
            }
        })
        .buffer_unordered(128)
        .collect()
        .await;
    results.into_iter().collect::<Result<(), _>>()?;
    Ok(())
}

/// Per column of `keyspace.t` (with its write time and TTL), the rows that
/// differ from the source's.
async fn differences(session: &Session, keyspace: &str) -> Result<Vec<(String, u64)>, BenchError> {
    let columns = [
        "name", "amount", "ratio", "score", "at", "big", "data", "tags", "emb",
    ];
    let mut selected = vec!["id".to_owned(), "seq".to_owned()];
    for column in columns {
        selected.push(column.to_owned());
        let multi = column == "tags";
        selected.push(if multi {
            format!("maxwritetime({column})")
        } else {
            format!("writetime({column})")
        });
        if !multi {
            selected.push(format!("ttl({column})"));
        }
    }
    let read = |keyspace: String| {
        let query = format!("SELECT {} FROM {keyspace}.t", selected.join(", "));
        async move {
            let result = session.query(&query, ()).await?;
            let rows = result
                .into_rows_result()
                .map_err(|error| BenchError::Run(error.to_string()))?;
            let mut all: Vec<Row> = rows
                .rows::<Row>()
                .map_err(|error| BenchError::Run(error.to_string()))?
                .collect::<Result<_, _>>()
                .map_err(|error| BenchError::Run(error.to_string()))?;
            all.sort_by_key(|row| format!("{:?}", &row.columns[..2]));
            Ok::<_, BenchError>(all)
        }
    };
    let reading = Instant::now();
    let source = read(SOURCE.to_owned()).await?;
    let target = read(keyspace.to_owned()).await?;
    // TTLs run down while the two tables are read.
    let slack = i32::try_from(reading.elapsed().as_secs())
        .unwrap_or(i32::MAX)
        .saturating_add(2);
    let mut counts: Vec<(String, u64)> = Vec::new();
    let names: Vec<String> = selected[2..].to_vec();
    for (index, name) in names.iter().enumerate() {
        let differing = source
            .iter()
            .zip(&target)
            .filter(|(a, b)| {
                !same(
                    name,
                    a.columns.get(index + 2),
                    b.columns.get(index + 2),
                    slack,
                )
            })
            .count() as u64
            + source.len().abs_diff(target.len()) as u64;
        if differing > 0 {
            counts.push((name.clone(), differing));
        }
    }
    Ok(counts)
}

/// Whether two values are the same (TTLs within `slack` seconds).
fn same(
    name: &str,
    a: Option<&Option<CqlValue>>,
    b: Option<&Option<CqlValue>>,
    slack: i32,
) -> bool {
    match (a, b) {
        (Some(Some(CqlValue::Int(a))), Some(Some(CqlValue::Int(b))))
            if name.starts_with("ttl(") =>
        {
            (a - b).abs() <= slack
        }
        (a, b) => a == b,
    }
}

/// The default cqlsh: the one `pip install cqlsh` put in `target/cqlsh`.
pub fn default_cqlsh() -> PathBuf {
    PathBuf::from("target/cqlsh/bin/cqlsh")
}

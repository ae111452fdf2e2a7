//! `cormc backup …` and `cormc restore …`: a keyspace's schema and rows
//! into a folder and back, through `corm::backup`, with progress bars.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use super::migrate::Target;

pub(super) const BACKUP_EXAMPLES: &str = "\
Examples:
  cormc backup --keyspace shop backups/2026-12-07          all tables, 64 token ranges each
  cormc backup --keyspace shop --tables orders,customers --rows-per-second 20000 backups/orders
  cormc backup verify backups/2026-12-07                    checksums and row counts, no cluster
  cormc restore backups/2026-12-07 --keyspace shop_copy --create-schema

Run a stopped backup or restore again with the same arguments: it goes on
from the ranges it finished.

Exit status: 0 when done (or verified); 1 when a chunk does not verify or
the target refuses the backup; 2 when the cluster or a file fails.";

/// `cormc backup`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(super) struct BackupArgs {
    #[command(subcommand)]
    command: Option<BackupCommand>,
    #[command(flatten)]
    target: Target,
    /// The backup's folder (created; an unfinished backup in it goes on).
    folder: Option<PathBuf>,
    /// Token ranges per table (a chunk file each).
    #[arg(long, default_value_t = 64)]
    ranges: u32,
    /// Ranges read at once.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Only these tables (comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Option<Vec<String>>,
    /// At most this many rows a second, on average.
    #[arg(long)]
    rows_per_second: Option<u32>,
}

/// `cormc backup` subcommands.
#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// Check every chunk's SHA-256 and row count, without a cluster.
    Verify {
        /// The backup's folder.
        folder: PathBuf,
    },
    /// List the backups in a folder of backups, oldest first.
    List {
        /// The folder holding one folder per backup.
        root: PathBuf,
    },
    /// Delete all but the newest finished backups of each keyspace in a
    /// folder of backups (unfinished ones are kept).
    Prune {
        /// The folder holding one folder per backup.
        root: PathBuf,
        /// How many finished backups of each keyspace to keep.
        #[arg(long)]
        keep: usize,
    },
}

/// `cormc restore`.
#[derive(Debug, Args)]
pub(super) struct RestoreArgs {
    /// The backup's folder.
    folder: PathBuf,
    #[command(flatten)]
    target: Target,
    /// Create the keyspace (with the backup's replication), its types and
    /// tables first, when they do not exist.
    #[arg(long)]
    create_schema: bool,
    /// Batches in flight at once, per range.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Ranges written at once.
    #[arg(long, default_value_t = 4)]
    ranges_at_once: usize,
    /// Only these tables (comma-separated).
    #[arg(long, value_delimiter = ',')]
    tables: Option<Vec<String>>,
}

/// A bar over ranges, with rows and rows/s in its message.
fn bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} ranges {msg} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_prefix(what.to_owned());
    bar
}

/// Updates `bar` with `progress`; `rows` counts this run's rows.
fn advance(
    bar: &ProgressBar,
    progress: &corm::backup::Progress<'_>,
    rows: &std::sync::atomic::AtomicU64,
) {
    let rows = rows.fetch_add(progress.rows, std::sync::atomic::Ordering::Relaxed) + progress.rows;
    let seconds = bar.elapsed().as_secs_f64().max(0.001);
    bar.set_length(progress.ranges_total as u64);
    bar.set_position(progress.ranges_done as u64);
    bar.set_message(format!(
        "{rows} rows, {:.0} rows/s ({})",
        rows as f64 / seconds,
        progress.table
    ));
}

/// Runs `cormc backup`.
pub(super) fn backup(args: BackupArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match args.command {
        Some(BackupCommand::Verify { folder }) => return verify(&folder, out, err),
        Some(BackupCommand::List { root }) => return list(&root, out, err),
        Some(BackupCommand::Prune { root, keep }) => return prune(&root, keep, out, err),
        None => {}
    }
    let Some(folder) = args.folder else {
        let _ = writeln!(err, "error: give the backup's folder");
        return 2;
    };
    let Some(keyspace) = args.target.keyspace().map(str::to_owned) else {
        let _ = writeln!(err, "error: pass `--keyspace`");
        return 2;
    };
    let options = corm::backup::BackupOptions {
        ranges: args.ranges,
        concurrency: args.concurrency,
        tables: args.tables,
        max_rows_per_second: args.rows_per_second,
    };
    let bar = bar("backup");
    let rows = std::sync::atomic::AtomicU64::new(0);
    let result = args.target.block_on(|session| async move {
        corm::backup::backup(&session, &keyspace, &folder, &options, &|progress| {
            advance(&bar, progress, &rows);
        })
        .await
    });
    match result {
        Ok(Ok(report)) => {
            let _ = writeln!(
                out,
                "backed up {} tables: {} rows in {} ranges ({} bytes compressed) in {:.1}s; {} ranges were already done",
                report.tables,
                report.rows,
                report.ranges_read,
                report.bytes,
                report.seconds,
                report.ranges_skipped
            );
            0
        }
        Ok(Err(error)) => {
            let _ = writeln!(
                err,
                "error: {error}\nrun the same command again to go on from the ranges that finished"
            );
            2
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            2
        }
    }
}

/// The backups in `root`: each folder with a manifest, oldest first.
fn backups(root: &Path) -> Result<Vec<(PathBuf, corm::backup::Manifest)>, String> {
    let entries =
        std::fs::read_dir(root).map_err(|error| format!("{}: {error}", root.display()))?;
    let mut found = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|error| format!("{}: {error}", root.display()))?
            .path();
        if !path.is_dir() {
            continue;
        }
        if let Some(manifest) =
            corm::backup::Manifest::read(&path).map_err(|error| error.to_string())?
        {
            found.push((path, manifest));
        }
    }
    found.sort_by_key(|(_, manifest)| manifest.started_at);
    Ok(found)
}

fn list(root: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let found = match backups(root) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return 2;
        }
    };
    for (path, manifest) in &found {
        let rows: u64 = manifest
            .tables
            .iter()
            .flat_map(|t| &t.ranges)
            .map(|r| r.rows)
            .sum();
        let bytes: u64 = manifest
            .tables
            .iter()
            .flat_map(|t| &t.ranges)
            .map(|r| r.bytes)
            .sum();
        let state = match manifest.finished_at {
            Some(at) => format!("finished {}", at.format("%Y-%m-%d %H:%M:%S UTC")),
            None => "unfinished".to_owned(),
        };
        let _ = writeln!(
            out,
            "{}\tkeyspace {}\tstarted {}\t{state}\t{} tables\t{rows} rows\t{bytes} bytes",
            path.display(),
            manifest.keyspace,
            manifest.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
            manifest.tables.len()
        );
    }
    0
}

fn prune(root: &Path, keep: usize, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let found = match backups(root) {
        Ok(found) => found,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return 2;
        }
    };
    let mut finished: std::collections::BTreeMap<&str, Vec<&PathBuf>> =
        std::collections::BTreeMap::new();
    for (path, manifest) in &found {
        if manifest.finished_at.is_some() {
            finished
                .entry(manifest.keyspace.as_str())
                .or_default()
                .push(path);
        }
    }
    for paths in finished.values() {
        let stale = paths.len().saturating_sub(keep);
        for path in &paths[..stale] {
            if let Err(error) = std::fs::remove_dir_all(path) {
                let _ = writeln!(err, "error: deleting {}: {error}", path.display());
                return 2;
            }
            let _ = writeln!(out, "deleted {}", path.display());
        }
    }
    0
}

fn verify(folder: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match corm::backup::verify(folder) {
        Ok(report) => {
            let _ = writeln!(
                out,
                "verified {} chunks, {} rows",
                report.chunks, report.rows
            );
            0
        }
        Err(error @ corm::backup::BackupError::Chunk { .. }) => {
            let _ = writeln!(err, "error: {error}");
            1
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            2
        }
    }
}

/// Runs `cormc restore`.
pub(super) fn restore(args: RestoreArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let Some(keyspace) = args.target.keyspace().map(str::to_owned) else {
        let _ = writeln!(
            err,
            "error: pass `--keyspace` (the keyspace to restore into)"
        );
        return 2;
    };
    let create = if args.create_schema {
        match schema_statements(&args.folder, &keyspace) {
            Ok(statements) => statements,
            Err(message) => {
                let _ = writeln!(err, "error: {message}");
                return 2;
            }
        }
    } else {
        Vec::new()
    };
    let mut options = corm::backup::RestoreOptions::into_keyspace(keyspace);
    options.concurrency = args.concurrency;
    options.ranges_at_once = args.ranges_at_once;
    options.tables = args.tables;
    let bar = bar("restore");
    let rows = std::sync::atomic::AtomicU64::new(0);
    let folder = args.folder;
    let result = args.target.block_on(|session| async move {
        for statement in &create {
            session
                .run_ddl(statement)
                .await
                .map_err(corm::backup::BackupError::Cluster)?;
        }
        corm::backup::restore(&session, &folder, &options, &|progress| {
            advance(&bar, progress, &rows)
        })
        .await
    });
    match result {
        Ok(Ok(report)) => {
            let _ = writeln!(
                out,
                "restored {} rows in {} ranges in {:.1}s ({} cells had expired); {} ranges were already done",
                report.rows,
                report.ranges_restored,
                report.seconds,
                report.expired_cells,
                report.ranges_skipped
            );
            0
        }
        Ok(Err(
            error @ (corm::backup::BackupError::Chunk { .. }
            | corm::backup::BackupError::Target { .. }),
        )) => {
            let _ = writeln!(err, "error: {error}\nnothing more was written");
            1
        }
        Ok(Err(error)) => {
            let _ = writeln!(
                err,
                "error: {error}\nrun the same command again to go on from the ranges that finished"
            );
            2
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            2
        }
    }
}

/// The statements that create the backup's keyspace (as `keyspace`), its
/// types, tables and indexes, each `if not exists`.
fn schema_statements(folder: &Path, keyspace: &str) -> Result<Vec<String>, String> {
    let manifest = corm::backup::Manifest::read(folder)
        .map_err(|error| error.to_string())?
        .ok_or_else(|| {
            format!(
                "{}: there is no manifest: this is not a backup",
                folder.display()
            )
        })?;
    let live = crate::live::from_statements(&manifest.keyspace, &manifest.schema);
    let quoted = crate::cql::Ident::new(keyspace).to_cql().into_owned();
    let mut statements = Vec::new();
    if let Some(def) = &live.schema.keyspace {
        let mut def = def.clone();
        def.name = crate::cql::Ident::new(keyspace);
        statements.push(crate::cql::render_keyspace(&def).replacen(
            "create keyspace ",
            "create keyspace if not exists ",
            1,
        ));
    }
    let setup =
        crate::codegen::setup_statements(&live.schema).map_err(|error| error.to_string())?;
    statements.extend(setup.iter().map(|statement| statement.text(&quoted)));
    Ok(statements)
}

//! `cargo xtask bench`: the generated repositories against hand-written
//! scylla-driver code and against charybdis 1.1 (`xtask/bench/`). Starts the local node if it is not
//! running, builds the `corm-bench` binary in release mode, and runs its
//! suite, which prints a table and writes `target/corm-bench/report.json`
//! (the scenarios, then the range, bulk and scan workloads).
//!
//! `cargo xtask bench --front-end` instead times `cormc check` (release
//! build, every diagnostic rendered) on synthetic schemas: one where every
//! model draws warnings, one where half of them do, one with none. It needs
//! no node and takes seconds.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{self, NodeOptions};
use crate::paths::target_dir;
use crate::synthetic::{self, Shape};

/// Arguments of `cargo xtask bench`.
#[derive(Parser)]
pub struct Args {
    /// Only time `cormc check` on synthetic schemas (no node, seconds).
    #[arg(long)]
    front_end: bool,
    /// Only the whole-table read: `scan` against `scan_parallel` over
    /// `--rows` users (about a minute for 200,000).
    #[arg(long, conflicts_with = "front_end")]
    scan: bool,
    /// Users written for `--scan`.
    #[arg(long, default_value_t = 200_000, requires = "scan")]
    rows: u64,
    /// Only bulk ingest: `insert_many` against a loop of single inserts and
    /// hand-written per-partition batches, 100,000 rows (about a minute).
    #[arg(long, conflicts_with_all = ["front_end", "scan"])]
    bulk: bool,
    /// Only the time-series range: 24 one-hour buckets against the same
    /// number of rows from one partition (about half a minute).
    #[arg(long, conflicts_with_all = ["front_end", "scan", "bulk"])]
    range: bool,
    /// Only the event store: replay of a 100,000-event stream against
    /// hand-written code, and appends (about a minute).
    #[arg(long, conflicts_with_all = ["front_end", "scan", "bulk", "range"])]
    events: bool,
    /// Only vector search: `nearest_embedding` against a hand-written `ANN
    /// OF` read over 100,000 vectors of dimension 384 (a few minutes: the
    /// writes build the index).
    #[arg(long, conflicts_with_all = ["front_end", "scan", "bulk", "range", "events"])]
    vectors: bool,
    /// Only the local embedding model: sentences per second, one at a
    /// time and in batches of 32 (no node; builds candle in release mode
    /// first, several minutes from clean).
    #[arg(long, conflicts_with_all = ["front_end", "scan", "bulk", "range", "events", "vectors"])]
    embeddings: bool,
    /// Models in the `--front-end` schemas.
    #[arg(long, default_value_t = 500, requires = "front_end")]
    models: usize,
    /// Shorter runs and fewer valgrind operations.
    #[arg(long)]
    quick: bool,
    /// Seconds per measured run [default: 2, quick: 1].
    #[arg(long)]
    seconds: Option<f64>,
    /// Seconds of warm-up per side before each scenario and concurrency.
    #[arg(long)]
    warmup: Option<f64>,
    /// Measured runs of each side [with `--front-end`: of each schema,
    /// default 20].
    #[arg(long)]
    runs: Option<usize>,
    /// Scenarios: insert, get, partition100, update, delete [default: all].
    #[arg(long, value_delimiter = ',')]
    scenario: Vec<String>,
    /// Concurrencies [default: 1,64,256].
    #[arg(long, value_delimiter = ',')]
    concurrency: Vec<String>,
    /// Build the bench with corm's `metrics` feature and a Prometheus
    /// recorder installed, to measure what metrics cost (its report goes
    /// to `target/corm-bench/metrics/`).
    #[arg(long, conflicts_with_all = ["front_end", "embeddings"])]
    metrics: bool,
    /// Skip the valgrind measurements (instructions, allocations).
    #[arg(long)]
    no_valgrind: bool,
    /// The two operation counts of the valgrind runs, as `SMALL,LARGE`.
    #[arg(long)]
    valgrind_ops: Option<String>,
    /// Valgrind runs of each count (the smallest total is kept).
    #[arg(long)]
    valgrind_reps: Option<usize>,
    #[command(flatten)]
    node: NodeOptions,
}

/// Starts the node if needed, builds the bench in release mode, runs it
/// (or, with `--front-end`, times `cormc check`).
pub fn run(args: Args) -> Outcome {
    if args.front_end {
        return front_end(args.models, args.runs.unwrap_or(20));
    }
    if args.embeddings {
        return embeddings();
    }
    cassandra::ensure_running(args.node.clone())?;
    let mut build = vec!["build", "--release", "--quiet", "--package", "corm-bench"];
    if args.metrics {
        build.extend(["--features", "metrics"]);
    }
    run_step("cargo build --release -p corm-bench", cargo(&build))?;
    let out = if args.metrics {
        target_dir().join("corm-bench").join("metrics")
    } else {
        target_dir().join("corm-bench")
    };
    let release = target_dir().join("release");
    let mut bench = Command::new(release.join("corm-bench"));
    if args.scan {
        bench
            .arg("scan")
            .arg("--rows")
            .arg(args.rows.to_string())
            .arg("--runs")
            .arg(args.runs.unwrap_or(3).to_string())
            .arg("--out")
            .arg(target_dir().join("corm-bench"))
            .current_dir(crate::paths::workspace_root())
            .env(
                "CORM_CONTACT_POINTS",
                format!("127.0.0.1:{}", args.node.port),
            );
        return run_step("corm-bench scan", bench);
    }
    if args.bulk || args.range || args.events || args.vectors {
        if args.vectors {
            bench.arg("vectors");
        } else {
            bench
                .arg(if args.bulk {
                    "bulk"
                } else if args.range {
                    "range"
                } else {
                    "events"
                })
                .arg("--runs")
                .arg(args.runs.unwrap_or(3).to_string());
        }
        bench
            .arg("--out")
            .arg(target_dir().join("corm-bench"))
            .current_dir(crate::paths::workspace_root())
            .env(
                "CORM_CONTACT_POINTS",
                format!("127.0.0.1:{}", args.node.port),
            );
        return run_step("corm-bench bulk/range/events/vectors", bench);
    }
    bench.arg("suite");
    bench
        .arg("--out")
        .arg(&out)
        .current_dir(crate::paths::workspace_root())
        .env(
            "CORM_CONTACT_POINTS",
            format!("127.0.0.1:{}", args.node.port),
        );
    if args.quick {
        bench.arg("--quick");
    }
    if args.no_valgrind {
        bench.arg("--no-valgrind");
    }
    let options = [
        ("--seconds", args.seconds.map(|v| v.to_string())),
        ("--warmup", args.warmup.map(|v| v.to_string())),
        ("--runs", args.runs.map(|v| v.to_string())),
        ("--valgrind-ops", args.valgrind_ops),
        ("--valgrind-reps", args.valgrind_reps.map(|v| v.to_string())),
        (
            "--scenario",
            (!args.scenario.is_empty()).then(|| args.scenario.join(",")),
        ),
        (
            "--concurrency",
            (!args.concurrency.is_empty()).then(|| args.concurrency.join(",")),
        ),
    ];
    for (flag, value) in options {
        if let Some(value) = value {
            bench.arg(flag).arg(value);
        }
    }
    run_step("corm-bench suite", bench)
}

/// `--front-end`: builds `cormc` in release mode, writes the synthetic
/// schemas and prints the wall time of `cormc check` on each (median and
/// minimum of `runs`, after two warm-up runs; stderr read through a pipe,
/// as in CI).
fn front_end(models: usize, runs: usize) -> Outcome {
    run_step(
        "cargo build --release -p cormc",
        cargo(&["build", "--release", "--quiet", "--package", "cormc"]),
    )?;
    let cormc = target_dir().join("release").join("cormc");
    let shapes = [
        ("every model warns", 0),
        ("half the models warn", 50),
        ("no warnings", 100),
    ];
    println!(
        "cormc check, release build: wall time, median (min) of {runs} runs, every diagnostic rendered"
    );
    println!(
        "{:<30} {:>8} {:>9} {:>10} {:>9} {:>9}",
        "schema", "size", "warnings", "rendered", "median", "min"
    );
    for (what, clean) in shapes {
        let shape = Shape {
            models,
            clean,
            plain: false,
        };
        let path = target_dir().join("synthetic").join(shape.file_name());
        synthetic::write(shape, &path)?;
        let size = std::fs::metadata(&path)
            .map_err(|err| format!("cannot read {}: {err}", path.display()))?
            .len();
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for run in 0..runs + 2 {
            let (elapsed, report) = check_once(&cormc, &path)?;
            if run >= 2 {
                times.push(elapsed);
            }
            last = Some(report);
        }
        let Some(Report { warnings, rendered }) = last else {
            return Err("no run".into());
        };
        times.sort();
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        let min = times.first().copied().unwrap_or_default();
        println!(
            "{:<30} {:>5} KB {warnings:>9} {:>7.1} KB {:>6.1} ms {:>6.1} ms   ({what})",
            shape.file_name(),
            size / 1024,
            kilobytes(rendered),
            millis(median),
            millis(min),
        );
    }
    Ok(())
}

/// What one `cormc check` printed.
struct Report {
    /// Warnings, from its summary line.
    warnings: usize,
    /// Bytes written to stderr.
    rendered: usize,
}

/// Runs `cormc check --color never` on `schema` once and times it.
fn check_once(cormc: &Path, schema: &Path) -> Outcome<(Duration, Report)> {
    let started = Instant::now();
    let output = Command::new(cormc)
        .args(["check", "--color", "never"])
        .arg(schema)
        .output()
        .map_err(|err| format!("cannot run {}: {err}", cormc.display()))?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(format!(
            "cormc check {} failed ({}): {}",
            schema.display(),
            output.status,
            tail.join(" / ")
        )
        .into());
    }
    // `cormc: 1 file checked: 0 errors, 1000 warnings`
    let warnings = stderr
        .lines()
        .last()
        .and_then(|summary| summary.rsplit(", ").next())
        .and_then(|tail| tail.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Ok((
        elapsed,
        Report {
            warnings,
            rendered: output.stderr.len(),
        },
    ))
}

fn kilobytes(bytes: usize) -> f64 {
    // Exact for any output size cormc prints.
    f64::from(u32::try_from(bytes).unwrap_or(u32::MAX)) / 1024.0
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// `--embeddings`: the local model's throughput (no node).
fn embeddings() -> Outcome {
    let model = crate::model::fetch()?;
    run_step(
        "cargo build --release -p corm-bench --features embed-local",
        cargo(&[
            "build",
            "--release",
            "--quiet",
            "--package",
            "corm-bench",
            "--features",
            "embed-local",
        ]),
    )?;
    let mut bench = Command::new(target_dir().join("release").join("corm-bench"));
    bench
        .arg("embed")
        .arg("--model")
        .arg(model)
        .arg("--out")
        .arg(target_dir().join("corm-bench"))
        .current_dir(crate::paths::workspace_root());
    run_step("corm-bench embed", bench)
}

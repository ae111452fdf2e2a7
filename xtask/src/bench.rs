//! `cargo xtask bench`: the generated repositories against hand-written
//! scylla-driver code (`xtask/bench/`). Starts the local node if it is not
//! running, builds the `corm-bench` binary in release mode, and runs its
//! suite, which prints a table and writes `target/corm-bench/report.json`.

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{self, NodeOptions};
use crate::paths::target_dir;

/// Arguments of `cargo xtask bench`.
#[derive(Parser)]
pub struct Args {
    /// Shorter runs and fewer valgrind operations.
    #[arg(long)]
    quick: bool,
    /// Seconds per measured run [default: 2, quick: 1].
    #[arg(long)]
    seconds: Option<f64>,
    /// Seconds of warm-up per side before each scenario and concurrency.
    #[arg(long)]
    warmup: Option<f64>,
    /// Measured runs of each side.
    #[arg(long)]
    runs: Option<usize>,
    /// Scenarios: insert, get, partition100, update, delete [default: all].
    #[arg(long, value_delimiter = ',')]
    scenario: Vec<String>,
    /// Concurrencies [default: 1,64,256].
    #[arg(long, value_delimiter = ',')]
    concurrency: Vec<String>,
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

/// Starts the node if needed, builds the bench in release mode, runs it.
pub fn run(args: Args) -> Outcome {
    cassandra::ensure_running(args.node.clone())?;
    run_step(
        "cargo build --release -p corm-bench",
        cargo(&["build", "--release", "--quiet", "--package", "corm-bench"]),
    )?;
    let release = target_dir().join("release");
    let mut bench = std::process::Command::new(release.join("corm-bench"));
    bench.arg("suite");
    bench
        .arg("--out")
        .arg(target_dir().join("corm-bench"))
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

//! Instructions and heap allocations per operation, from valgrind.
//!
//! The `corm-bench ops` mode connects, prepares, runs a warm-up and then a
//! given number of operations of one scenario and one side at concurrency
//! 1, and exits. It runs under `valgrind --tool=callgrind` (instructions)
//! and `valgrind --tool=dhat` (blocks allocated) twice, with a small and a
//! large operation count; the difference of the totals divided by the
//! difference of the counts is the cost of one operation, with start-up,
//! connection, preparation and warm-up cancelled out. Each count runs
//! `reps` times and the smallest total is kept, since the driver's
//! background work (metadata refreshes, keep-alives) only ever adds.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::BenchError;
use crate::suite::Context;
use crate::workload::{Scenario, Side};

/// glibc's malloc settings for the counted runs: no fast bins and a deep
/// per-thread cache, so a block is taken and given back the same way
/// whatever the heap looked like before. With the default settings, how
/// much `_int_malloc`, `_int_free` and `malloc_consolidate` cost per
/// operation depended on the heap's state (the driver's start-up, its
/// background refreshes): about ±400 instructions, 1.5% of an update,
/// from one run of the same binary to the next, on either side. With
/// these, and the operations on one thread (`corm-bench ops`), repeated
/// runs agree within 5 instructions. The number of blocks allocated (dhat)
/// does not depend on them.
const STEADY_MALLOC: &str = "glibc.malloc.mxfast=0:glibc.malloc.tcache_count=1000";

/// Tries of one valgrind run before giving up.
const ATTEMPTS: u32 = 3;

/// What the valgrind part runs.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The smaller operation count.
    pub small: u64,
    /// The larger operation count.
    pub large: u64,
    /// Operations before the counted ones, in every run.
    pub warmup: u64,
    /// Runs of each count (the smallest total is kept).
    pub reps: usize,
    /// Where the callgrind and dhat files go.
    pub dir: PathBuf,
}

/// A valgrind tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// Instructions executed.
    Callgrind,
    /// Heap blocks allocated.
    Dhat,
}

impl Tool {
    /// The `--tool=` name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Callgrind => "callgrind",
            Self::Dhat => "dhat",
        }
    }
}

/// The cost of one operation of one side.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    /// Instructions per operation.
    pub instr_op: f64,
    /// Heap blocks allocated per operation.
    pub allocs_op: f64,
}

/// Whether `valgrind` runs here.
pub fn available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The number in a callgrind output file's `totals:` (or `summary:`) line.
pub fn callgrind_total(text: &str) -> Option<u64> {
    let line = |prefix: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(prefix))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|number| number.parse().ok())
    };
    line("totals:").or_else(|| line("summary:"))
}

/// The block count in dhat's `Total: N bytes in M blocks` line.
pub fn dhat_blocks(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| {
        let rest = line.split_once("Total:")?.1;
        let blocks = rest.split_once(" bytes in ")?.1;
        let number = blocks.split_whitespace().next()?;
        number.replace(',', "").parse().ok()
    })
}

/// One child run: the binary's `ops` mode under `tool`; returns its total.
async fn run_child(
    tool: Tool,
    scenario: Scenario,
    side: Side,
    ops: u64,
    warmup: u64,
    delete_base: u64,
    out: &Path,
) -> Result<u64, BenchError> {
    let exe = std::env::current_exe().map_err(|source| BenchError::Io {
        what: "finding the corm-bench binary".to_owned(),
        source,
    })?;
    let mut command = Command::new("valgrind");
    command.arg(format!("--tool={}", tool.name()));
    match tool {
        Tool::Callgrind => command.arg(format!("--callgrind-out-file={}", out.display())),
        Tool::Dhat => command.arg(format!("--dhat-out-file={}", out.display())),
    };
    command
        .arg(exe)
        .args(["ops", "--scenario", scenario.name(), "--side", side.name()])
        .args(["--ops", &ops.to_string()])
        .args(["--warmup-ops", &warmup.to_string()])
        .args(["--delete-base", &delete_base.to_string()])
        // Everything is slow under valgrind: give the requests time.
        .env("CORM_CONNECT_TIMEOUT", "60s")
        .env("CORM_REQUEST_TIMEOUT", "60s")
        .env("GLIBC_TUNABLES", STEADY_MALLOC);
    let label = format!("{} {scenario} {side} {ops} ops", tool.name());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|err| BenchError::Valgrind(format!("{label}: {err}")))?
        .map_err(|err| BenchError::Valgrind(format!("{label}: could not start: {err}")))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        return Err(BenchError::Valgrind(format!(
            "{label} failed ({}):\n{}",
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )));
    }
    let total = match tool {
        Tool::Callgrind => {
            let text = std::fs::read_to_string(out).map_err(|source| BenchError::Io {
                what: format!("reading {}", out.display()),
                source,
            })?;
            callgrind_total(&text)
        }
        Tool::Dhat => dhat_blocks(&stderr),
    };
    total.ok_or_else(|| BenchError::Valgrind(format!("{label}: no total in the output")))
}

/// The per-operation figure of `tool` for `scenario` on `side`.
async fn per_op(
    context: &mut Context,
    plan: &Plan,
    tool: Tool,
    scenario: Scenario,
    side: Side,
) -> Result<f64, BenchError> {
    let mut best = [u64::MAX; 2];
    for (slot, ops) in [plan.small, plan.large].into_iter().enumerate() {
        for rep in 0..plan.reps.max(1) {
            let out = plan
                .dir
                .join(format!("{}.{scenario}.{side}.{ops}.{rep}.out", tool.name()));
            let mut attempt = 1;
            let total = loop {
                let delete_base = if scenario == Scenario::Delete {
                    context.preload_deletes(plan.warmup + ops).await?
                } else {
                    0
                };
                match run_child(tool, scenario, side, ops, plan.warmup, delete_base, &out).await {
                    Ok(total) => break total,
                    // The node is shared: a restart or a stall breaks a run.
                    Err(err) if attempt < ATTEMPTS => {
                        println!("{err}\n(attempt {attempt} of {ATTEMPTS}; trying again)");
                        attempt += 1;
                        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                    }
                    Err(err) => return Err(err),
                }
            };
            best[slot] = best[slot].min(total);
        }
    }
    let [small, large] = best;
    let extra_ops = plan.large.saturating_sub(plan.small).max(1);
    Ok((large as f64 - small as f64) / extra_ops as f64)
}

/// Instructions and allocations per operation of `side` for `scenario`.
///
/// # Errors
/// A valgrind run that fails or whose total does not read.
pub async fn measure(
    context: &mut Context,
    plan: &Plan,
    scenario: Scenario,
    side: Side,
) -> Result<Cost, BenchError> {
    std::fs::create_dir_all(&plan.dir).map_err(|source| BenchError::Io {
        what: format!("creating {}", plan.dir.display()),
        source,
    })?;
    let instr_op = per_op(context, plan, Tool::Callgrind, scenario, side).await?;
    let allocs_op = per_op(context, plan, Tool::Dhat, scenario, side).await?;
    Ok(Cost {
        instr_op,
        allocs_op,
    })
}

#[cfg(test)]
mod tests {
    use super::{callgrind_total, dhat_blocks};

    #[test]
    fn reads_callgrind_totals() {
        let text = "events: Ir\nsummary: 1234\nfn=main\n0 5\ntotals: 1234\n";
        assert_eq!(callgrind_total(text), Some(1234));
        assert_eq!(callgrind_total("events: Ir\nsummary: 77\n"), Some(77));
    }

    #[test]
    fn reads_dhat_blocks() {
        let stderr = "==12== Total:     1,234,567 bytes in 8,901 blocks\n==12== At t-gmax: 5 bytes";
        assert_eq!(dhat_blocks(stderr), Some(8901));
    }
}

//! The report: one entry per scenario and concurrency, printed as a table
//! and written as JSON (`target/corm-bench/report.json`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::BenchError;
use crate::suite::{Pair, median};
use crate::valgrind::Cost;
use crate::workload::{Scenario, Side};

/// One scenario at one concurrency.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// The scenario.
    pub scenario: Scenario,
    /// Concurrent tasks.
    pub concurrency: usize,
    /// Median operations per second of the generated side.
    pub ours_ops_s: f64,
    /// Median operations per second of the hand-written side.
    pub peer_ops_s: f64,
    /// `ours_ops_s / peer_ops_s`.
    pub ratio: f64,
    /// Median client CPU microseconds per operation, generated side.
    pub ours_cpu_us_op: f64,
    /// Median client CPU microseconds per operation, hand-written side.
    pub peer_cpu_us_op: f64,
    /// Instructions per operation (valgrind, concurrency 1), generated side.
    pub ours_instr_op: Option<f64>,
    /// Instructions per operation (valgrind, concurrency 1), hand-written side.
    pub peer_instr_op: Option<f64>,
    /// Heap blocks allocated per operation (valgrind, concurrency 1),
    /// generated side.
    pub ours_allocs_op: Option<f64>,
    /// Heap blocks allocated per operation (valgrind, concurrency 1),
    /// hand-written side.
    pub peer_allocs_op: Option<f64>,
    /// Measured runs of each side.
    pub runs: usize,
    /// Operations per second of each run of the generated side.
    pub ours_runs_ops_s: Vec<f64>,
    /// Operations per second of each run of the hand-written side.
    pub peer_runs_ops_s: Vec<f64>,
    /// Failed operations over all runs, both sides.
    pub errors: u64,
}

/// The entries of `pairs`, with the valgrind `costs` of each scenario (per
/// side) repeated in every concurrency's entry.
pub fn entries(pairs: &[Pair], costs: &BTreeMap<(&'static str, &'static str), Cost>) -> Vec<Entry> {
    pairs
        .iter()
        .map(|pair| {
            let ops = |runs: &[crate::load::RunStats]| runs.iter().map(|r| r.ops_per_s()).collect();
            let cpu = |runs: &[crate::load::RunStats]| {
                median(runs.iter().map(|r| r.cpu_us_per_op()).collect())
            };
            let ours_runs: Vec<f64> = ops(&pair.ours);
            let peer_runs: Vec<f64> = ops(&pair.peer);
            let ours_ops_s = median(ours_runs.clone());
            let peer_ops_s = median(peer_runs.clone());
            let cost = |side: Side| costs.get(&(pair.scenario.name(), side.name())).copied();
            let (ours, peer) = (cost(Side::Ours), cost(Side::Peer));
            Entry {
                scenario: pair.scenario,
                concurrency: pair.concurrency,
                ours_ops_s,
                peer_ops_s,
                ratio: if peer_ops_s > 0.0 {
                    ours_ops_s / peer_ops_s
                } else {
                    0.0
                },
                ours_cpu_us_op: cpu(&pair.ours),
                peer_cpu_us_op: cpu(&pair.peer),
                ours_instr_op: ours.map(|c| c.instr_op),
                peer_instr_op: peer.map(|c| c.instr_op),
                ours_allocs_op: ours.map(|c| c.allocs_op),
                peer_allocs_op: peer.map(|c| c.allocs_op),
                runs: pair.ours.len().min(pair.peer.len()),
                ours_runs_ops_s: ours_runs,
                peer_runs_ops_s: peer_runs,
                errors: pair.ours.iter().chain(&pair.peer).map(|r| r.errors).sum(),
            }
        })
        .collect()
}

fn optional(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

fn quotient(ours: Option<f64>, peer: Option<f64>) -> String {
    match (ours, peer) {
        (Some(ours), Some(peer)) if peer > 0.0 => format!("{:.3}", ours / peer),
        _ => "-".to_owned(),
    }
}

/// The entries as a Markdown table.
pub fn table(entries: &[Entry]) -> String {
    let mut text = String::from(
        "| scenario | conc. | ours ops/s | peer ops/s | ratio | ours µs CPU/op | peer µs CPU/op | ours instr/op | peer instr/op | instr ratio | ours allocs/op | peer allocs/op |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for e in entries {
        text.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.3} | {:.1} | {:.1} | {} | {} | {} | {} | {} |\n",
            e.scenario,
            e.concurrency,
            e.ours_ops_s,
            e.peer_ops_s,
            e.ratio,
            e.ours_cpu_us_op,
            e.peer_cpu_us_op,
            optional(e.ours_instr_op, 0),
            optional(e.peer_instr_op, 0),
            quotient(e.ours_instr_op, e.peer_instr_op),
            optional(e.ours_allocs_op, 1),
            optional(e.peer_allocs_op, 1),
        ));
    }
    text
}

/// Writes `entries` as pretty JSON to `path` (creating its folder).
///
/// # Errors
/// [`BenchError::Io`].
pub fn write_json(entries: &[Entry], path: &Path) -> Result<(), BenchError> {
    let io = |what: String| move |source| BenchError::Io { what, source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    }
    let json = serde_json::to_string_pretty(entries).map_err(|err| BenchError::Io {
        what: "encoding the report".to_owned(),
        source: std::io::Error::other(err),
    })?;
    std::fs::write(path, json + "\n").map_err(io(format!("writing {}", path.display())))
}

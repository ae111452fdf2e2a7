//! The report: one entry per scenario and concurrency, printed as two
//! Markdown tables (throughput and CPU; instructions and allocations) and
//! written as JSON (`target/corm-bench/report.json`).
//!
//! Ratios are always corm's figure over the other side's: above 1 is
//! faster for throughput, below 1 is cheaper for instructions.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::BenchError;
use crate::load::RunStats;
use crate::suite::{Pair, median};
use crate::valgrind::Cost;
use crate::workload::{Scenario, Side};

/// What one side did in one scenario at one concurrency.
#[derive(Clone, Debug, Serialize)]
pub struct SideFigures {
    /// Median operations per second.
    pub ops_s: f64,
    /// Median client CPU microseconds per operation.
    pub cpu_us_op: f64,
    /// Instructions per operation (valgrind, concurrency 1).
    pub instr_op: Option<f64>,
    /// Heap blocks allocated per operation (valgrind, concurrency 1).
    pub allocs_op: Option<f64>,
    /// Operations per second of each run, in the order they ran.
    pub runs_ops_s: Vec<f64>,
    /// Failed operations over all runs.
    pub errors: u64,
}

impl SideFigures {
    fn new(runs: &[RunStats], cost: Option<Cost>) -> Self {
        let runs_ops_s: Vec<f64> = runs.iter().map(RunStats::ops_per_s).collect();
        Self {
            ops_s: median(runs_ops_s.clone()),
            cpu_us_op: median(runs.iter().map(RunStats::cpu_us_per_op).collect()),
            instr_op: cost.map(|c| c.instr_op),
            allocs_op: cost.map(|c| c.allocs_op),
            runs_ops_s,
            errors: runs.iter().map(|r| r.errors).sum(),
        }
    }
}

/// One scenario at one concurrency.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// The scenario.
    pub scenario: Scenario,
    /// Concurrent tasks.
    pub concurrency: usize,
    /// The generated repositories.
    pub ours: SideFigures,
    /// The hand-written driver code.
    pub peer: SideFigures,
    /// charybdis.
    pub charybdis: SideFigures,
    /// Measured runs of each side.
    pub runs: usize,
}

impl Entry {
    /// The figures of `side`.
    pub fn side(&self, side: Side) -> &SideFigures {
        match side {
            Side::Ours => &self.ours,
            Side::Peer => &self.peer,
            Side::Charybdis => &self.charybdis,
        }
    }

    /// Failed operations over all runs of every side.
    pub fn errors(&self) -> u64 {
        Side::ALL.iter().map(|&side| self.side(side).errors).sum()
    }
}

/// The entries of `pairs`, with the valgrind `costs` of each scenario (per
/// side) repeated in every concurrency's entry.
pub fn entries(pairs: &[Pair], costs: &BTreeMap<(&'static str, &'static str), Cost>) -> Vec<Entry> {
    pairs
        .iter()
        .map(|pair| {
            let figures = |side: Side| {
                let cost = costs.get(&(pair.scenario.name(), side.name())).copied();
                SideFigures::new(pair.runs(side), cost)
            };
            Entry {
                scenario: pair.scenario,
                concurrency: pair.concurrency,
                ours: figures(Side::Ours),
                peer: figures(Side::Peer),
                charybdis: figures(Side::Charybdis),
                runs: Side::ALL
                    .iter()
                    .map(|&side| pair.runs(side).len())
                    .min()
                    .unwrap_or(0),
            }
        })
        .collect()
}

fn optional(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

fn quotient(ours: Option<f64>, other: Option<f64>) -> String {
    match (ours, other) {
        (Some(ours), Some(other)) if other > 0.0 => format!("{:.3}", ours / other),
        _ => "-".to_owned(),
    }
}

/// Throughput and CPU per operation, one row per scenario and concurrency.
pub fn throughput_table(entries: &[Entry]) -> String {
    let mut text = String::from(
        "| scenario | conc. | ours ops/s | peer ops/s | charybdis ops/s | ours/peer | ours/charybdis | ours µs CPU/op | peer µs CPU/op | charybdis µs CPU/op |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for e in entries {
        text.push_str(&format!(
            "| {} | {} | {:.0} | {:.0} | {:.0} | {} | {} | {:.1} | {:.1} | {:.1} |\n",
            e.scenario,
            e.concurrency,
            e.ours.ops_s,
            e.peer.ops_s,
            e.charybdis.ops_s,
            quotient(Some(e.ours.ops_s), Some(e.peer.ops_s)),
            quotient(Some(e.ours.ops_s), Some(e.charybdis.ops_s)),
            e.ours.cpu_us_op,
            e.peer.cpu_us_op,
            e.charybdis.cpu_us_op,
        ));
    }
    text
}

/// Instructions and allocations per operation, one row per scenario (the
/// valgrind figures do not depend on the concurrency).
pub fn cost_table(entries: &[Entry]) -> String {
    let mut text = String::from(
        "| scenario | ours instr/op | peer instr/op | charybdis instr/op | ours/peer | ours/charybdis | charybdis/peer | ours allocs/op | peer allocs/op | charybdis allocs/op |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut seen = Vec::new();
    for e in entries {
        if seen.contains(&e.scenario) || e.ours.instr_op.is_none() {
            continue;
        }
        seen.push(e.scenario);
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            e.scenario,
            optional(e.ours.instr_op, 0),
            optional(e.peer.instr_op, 0),
            optional(e.charybdis.instr_op, 0),
            quotient(e.ours.instr_op, e.peer.instr_op),
            quotient(e.ours.instr_op, e.charybdis.instr_op),
            quotient(e.charybdis.instr_op, e.peer.instr_op),
            optional(e.ours.allocs_op, 1),
            optional(e.peer.allocs_op, 1),
            optional(e.charybdis.allocs_op, 1),
        ));
    }
    text
}

/// Both tables, the cost table only when valgrind ran.
pub fn tables(entries: &[Entry]) -> String {
    let mut text = throughput_table(entries);
    if entries.iter().any(|e| e.ours.instr_op.is_some()) {
        text.push('\n');
        text.push_str(&cost_table(entries));
    }
    text
}

/// The bulk, range and whole-table workloads, each against its baseline.
#[derive(Debug, Serialize)]
pub struct Workloads {
    /// A time-series range over 24 buckets against one partition.
    pub range: crate::range::RangeReport,
    /// `insert_many` against a loop of inserts and hand-written batches.
    pub bulk: crate::bulk::BulkReport,
    /// `scan_parallel` against the single paged `scan`.
    pub scan: crate::scan::ScanReport,
    /// An event store's replay against hand-written code, and its appends.
    pub events: crate::events::EventsReport,
}

/// `report.json`: the scenarios, then the workloads.
#[derive(Serialize)]
struct Report<'a> {
    scenarios: &'a [Entry],
    workloads: &'a Workloads,
}

/// Writes `entries` and `workloads` as pretty JSON to `path` (creating
/// its folder).
///
/// # Errors
/// [`BenchError::Io`].
pub fn write_json(entries: &[Entry], workloads: &Workloads, path: &Path) -> Result<(), BenchError> {
    let io = |what: String| move |source| BenchError::Io { what, source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
    }
    let report = Report {
        scenarios: entries,
        workloads,
    };
    let json = serde_json::to_string_pretty(&report).map_err(|err| BenchError::Io {
        what: "encoding the report".to_owned(),
        source: std::io::Error::other(err),
    })?;
    std::fs::write(path, json + "\n").map_err(io(format!("writing {}", path.display())))
}

//! `cargo xtask compile-bench`: how long `cargo check` takes on the code
//! `cormc` generates for N synthetic models, beside the same N models
//! written for charybdis (the Rust ORM on the same driver), measured in one
//! run on one machine.
//!
//! Three crates are written under `target/compile-bench/` and checked with
//! `CARGO_INCREMENTAL=0` in a target folder of their own (their
//! dependencies are built first, untimed):
//! - `corm-plain-N`: `cormc generate` of `cargo xtask synthetic --plain`
//!   (models, enums and UDTs: what charybdis can state);
//! - `corm-full-N`: the full synthetic schema (plus a relation, two named
//!   queries and every tenth model an aggregate per model);
//! - `charybdis-N`: each model as a `#[charybdis_model]` struct with the
//!   same columns, key and index, and its UDT as a `#[charybdis_udt_model]`
//!   (the enum is a `Text` column: charybdis has no enum columns).
//!
//! Each crate is checked `--runs` times (after a `touch` of its `lib.rs`);
//! the report gives the median and the peak memory of the checks (from
//! `/usr/bin/time` when it is there).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clap::Parser;

use crate::Outcome;
use crate::cargo::cargo;
use crate::paths::{target_dir, workspace_root};
use crate::synthetic::{self, Shape};

/// Arguments of `cargo xtask compile-bench`.
#[derive(Parser)]
pub struct Args {
    /// How many models.
    #[arg(long, default_value_t = 500)]
    models: usize,
    /// Timed checks of each crate.
    #[arg(long, default_value_t = 2)]
    runs: usize,
}

/// One crate to check.
struct Subject {
    /// Its name, for the report.
    name: String,
    /// Its folder.
    dir: PathBuf,
}

/// Writes the three crates, checks each, and prints the figures.
pub fn run(args: Args) -> Outcome {
    let root = target_dir().join("compile-bench");
    let cormc = build_cormc()?;
    let mut subjects = Vec::new();
    for plain in [true, false] {
        let shape = Shape {
            models: args.models,
            clean: 0,
            plain,
        };
        let kind = if plain { "plain" } else { "full" };
        let name = format!("corm-{kind}-{}", args.models);
        let dir = root.join(&name);
        let schema = root.join(shape.file_name());
        synthetic::write(shape, &schema)?;
        write_corm_crate(&dir, &name, &cormc, &schema)?;
        subjects.push(Subject { name, dir });
    }
    let name = format!("charybdis-{}", args.models);
    let dir = root.join(&name);
    write_charybdis_crate(&dir, &name, args.models)?;
    subjects.push(Subject { name, dir });

    let check_target = root.join("target");
    for subject in &subjects {
        // Dependencies first, untimed.
        check(&subject.dir, &check_target)?;
    }
    println!(
        "| crate | lines | cargo check (median of {}) | peak memory |",
        args.runs
    );
    println!("| --- | ---: | ---: | ---: |");
    for subject in &subjects {
        let mut times = Vec::new();
        let mut peak = None;
        for _ in 0..args.runs.max(1) {
            touch(&subject.dir.join("src/lib.rs"))?;
            let (time, memory) = check(&subject.dir, &check_target)?;
            times.push(time);
            peak = peak.max(memory);
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "| {} | {} | {:.1} s | {} |",
            subject.name,
            rust_lines(&subject.dir.join("src"))?,
            median.as_secs_f64(),
            peak.map_or_else(|| "-".to_owned(), |kb| format!("{:.1} GB", kb as f64 / 1e6)),
        );
    }
    Ok(())
}

/// Builds `cormc` (release) and returns its path.
fn build_cormc() -> Outcome<PathBuf> {
    let status = cargo(&["build", "--release", "-p", "cormc", "--bin", "cormc"])
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !status.success() {
        return Err("building cormc failed".into());
    }
    Ok(target_dir().join("release").join("cormc"))
}

/// A crate whose `generated` module is `cormc generate` of `schema`.
fn write_corm_crate(dir: &Path, name: &str, cormc: &Path, schema: &Path) -> Outcome {
    let runtime = workspace_root().join("runtime");
    write_manifest(
        dir,
        name,
        &format!("corm = {{ path = {:?} }}\n", runtime.display().to_string()),
    )?;
    write_file(&dir.join("src/lib.rs"), "pub mod generated;\n")?;
    let output = Command::new(cormc)
        .arg("generate")
        .arg(schema)
        .arg("--out")
        .arg(dir.join("src/generated"))
        .output()
        .map_err(|err| format!("cannot run {}: {err}", cormc.display()))?;
    if !output.status.success() {
        return Err(format!(
            "cormc generate {} failed: {}",
            schema.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(())
}

/// A crate with `models` charybdis models shaped as the synthetic ones.
fn write_charybdis_crate(dir: &Path, name: &str, models: usize) -> Outcome {
    // The derives charybdis emits name `::scylla`: its users depend on it.
    write_manifest(dir, name, "charybdis = \"=1.1.0\"\nscylla = \"1\"\n")?;
    let kinds = models.div_ceil(50).max(1);
    let mut lib = String::from(
        "#![allow(dead_code)]\n\
         use charybdis::macros::{charybdis_model, charybdis_udt_model};\n\
         use charybdis::types::{Frozen, Int, List, Map, Set, Text, Timestamp, Timeuuid, Uuid};\n\n",
    );
    for k in 0..kinds {
        // `write!` to a String cannot fail.
        let _ = write!(
            lib,
            "/// An address, variant {k}.\n\
             #[charybdis_udt_model(type_name = address{k})]\n\
             #[derive(Debug, Default, Clone, PartialEq)]\n\
             pub struct Address{k} {{\n    \
                 pub street: Text,\n    \
                 pub city: Text,\n    \
                 pub zip: Option<Text>,\n\
             }}\n\n"
        );
    }
    for m in 0..models {
        let k = m % kinds;
        let _ = write!(
            lib,
            "/// Synthetic model {m}.\n\
             #[charybdis_model(\n    \
                 table_name = entity{m},\n    \
                 partition_keys = [tenant],\n    \
                 clustering_keys = [id],\n    \
                 global_secondary_indexes = [name],\n    \
                 table_options = \"CLUSTERING ORDER BY (id DESC)\"\n\
             )]\n\
             #[derive(Debug, Default, Clone, PartialEq)]\n\
             pub struct Entity{m} {{\n    \
                 pub tenant: Uuid,\n    \
                 pub id: Timeuuid,\n    \
                 pub name: Text,\n    \
                 pub email: Option<Text>,\n    \
                 pub score: Int,\n    \
                 pub status: Text,\n    \
                 pub address: Option<Address{k}>,\n    \
                 pub tags: Option<Set<Text>>,\n    \
                 pub attrs: Option<Map<Text, Text>>,\n    \
                 pub history: Option<List<Frozen<Address{k}>>>,\n    \
                 pub created_at: Timestamp,\n    \
                 pub updated_at: Option<Timestamp>,\n    \
                 pub parent_id: Option<Timeuuid>,\n\
             }}\n\n"
        );
    }
    write_file(&dir.join("src/lib.rs"), &lib)
}

/// A `Cargo.toml` for crate `name` with `dependencies`, in a workspace of
/// its own.
fn write_manifest(dir: &Path, name: &str, dependencies: &str) -> Outcome {
    write_file(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\n{dependencies}\n[workspace]\n"
        ),
    )
}

/// `cargo check` of the crate in `dir`: its time, and its peak memory in
/// kilobytes when `/usr/bin/time` can tell.
fn check(dir: &Path, target: &Path) -> Outcome<(Duration, Option<u64>)> {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut command = Command::new(time);
        command.args(["-f", "peak-kb %M", "cargo", "check", "-q"]);
        command
    } else {
        let mut command = Command::new("cargo");
        command.args(["check", "-q"]);
        command
    };
    command
        .current_dir(dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TARGET_DIR", target);
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|err| format!("cannot run cargo check in {}: {err}", dir.display()))?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        return Err(format!(
            "cargo check in {} failed: {}",
            dir.display(),
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )
        .into());
    }
    let peak = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("peak-kb "))
        .filter_map(|kb| kb.trim().parse().ok())
        .max();
    Ok((elapsed, peak))
}

/// Sets the modification time of `path` to now, so cargo checks its crate
/// again.
fn touch(path: &Path) -> Outcome {
    let text =
        std::fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    std::fs::write(path, text).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    Ok(())
}

/// The lines of the `.rs` files under `dir`.
fn rust_lines(dir: &Path) -> Outcome<usize> {
    let mut lines = 0;
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|err| format!("cannot read {}: {err}", folder.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
                lines += text.lines().count();
            }
        }
    }
    Ok(lines)
}

/// Writes `text` to `path`, creating its folder.
fn write_file(path: &Path, text: &str) -> Outcome {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(path, text)
        .map_err(|err| format!("cannot write {}: {err}", path.display()).into())
}

//! `cargo xtask fuzz`: libFuzzer over `cormc`'s parse and check
//! (`cormc/fuzz/fuzz_targets/parse_check.rs`), seeded with every fixture.
//!
//! Needs a nightly toolchain and `cargo-fuzz` (installed from crates.io on
//! first use). Not part of `cargo xtask test`: a run is minutes long.

use std::path::Path;
use std::process::Command;

use clap::Parser;

use crate::Outcome;
use crate::cargo::run_step;
use crate::paths::workspace_root;

/// Arguments of `cargo xtask fuzz`.
#[derive(Parser)]
pub struct Args {
    /// How long to fuzz, in minutes.
    #[arg(long, default_value_t = 10)]
    minutes: u64,
}

/// Seeds the corpus and runs the fuzzer for the given time.
pub fn run(args: Args) -> Outcome {
    let fuzz_dir = workspace_root().join("cormc").join("fuzz");
    let has_cargo_fuzz = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !has_cargo_fuzz {
        let mut install = Command::new("cargo");
        install.args(["install", "cargo-fuzz", "--locked"]);
        run_step("cargo install cargo-fuzz", install)?;
    }
    let corpus = fuzz_dir.join("corpus").join("parse_check");
    std::fs::create_dir_all(&corpus)
        .map_err(|err| format!("cannot create {}: {err}", corpus.display()))?;
    let fixtures = workspace_root()
        .join("cormc")
        .join("tests")
        .join("fixtures");
    let seeded = seed(&fixtures, &corpus, "")?;
    println!("seeded the corpus with {seeded} fixture files");
    let mut fuzz = Command::new("cargo");
    fuzz.current_dir(&fuzz_dir)
        .args(["+nightly", "fuzz", "run", "parse_check", "--"])
        .arg(format!("-max_total_time={}", args.minutes * 60))
        .args(["-rss_limit_mb=2048", "-print_final_stats=1"]);
    run_step("cargo fuzz run parse_check", fuzz)
}

/// Copies every `.corm` file under `dir` into `corpus`, named by its path.
fn seed(dir: &Path, corpus: &Path, prefix: &str) -> Outcome<usize> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    let mut count = 0;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let label = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}_{name}")
        };
        if path.is_dir() {
            count += seed(&path, corpus, &label)?;
        } else if path.extension().is_some_and(|ext| ext == "corm") {
            std::fs::copy(&path, corpus.join(&label))
                .map_err(|err| format!("cannot copy {}: {err}", path.display()))?;
            count += 1;
        }
    }
    Ok(count)
}

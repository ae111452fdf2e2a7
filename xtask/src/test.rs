//! `cargo xtask test`: the one command that runs every check CI runs.

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{self, NodeOptions};

/// Arguments of `cargo xtask test`.
#[derive(Parser)]
pub struct Args {
    #[command(flatten)]
    node: NodeOptions,
}

/// Formatting, lints, then every test of the workspace against the node.
pub fn run(args: Args) -> Outcome {
    run_step("cargo fmt --check", cargo(&["fmt", "--all", "--check"]))?;
    run_step(
        "cargo clippy",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // Build the tests before the node takes memory and a core.
    run_step(
        "cargo test --no-run",
        cargo(&["test", "--workspace", "--no-run"]),
    )?;
    cassandra::ensure_running(args.node.clone())?;
    let mut tests = cargo(&["test", "--workspace"]);
    tests.env(
        "CORM_CONTACT_POINTS",
        format!("127.0.0.1:{}", args.node.port),
    );
    run_step("cargo test", tests)
}

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
    /// Only the local embedding model (`corm`'s `embed-local` feature):
    /// fetch its files, lint and run its test against a numpy reference
    /// (about 15 minutes from clean: candle compiles slowly).
    #[arg(long)]
    embeddings: bool,
}

/// Formatting, lints, then every test of the workspace against the node.
pub fn run(args: Args) -> Outcome {
    if args.embeddings {
        return embeddings();
    }
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

/// `--embeddings`: the model's files, then clippy and the test of the
/// `embed-local` feature.
fn embeddings() -> Outcome {
    let dir = crate::model::fetch()?;
    run_step(
        "cargo clippy (embed-local)",
        cargo(&[
            "clippy",
            "-p",
            "corm",
            "--features",
            "embed-local",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    let mut test = cargo(&[
        "test",
        "-p",
        "corm",
        "--features",
        "embed-local",
        "--test",
        "embed_local",
    ]);
    test.env("CORM_MODEL_DIR", dir).arg("--").arg("--nocapture");
    run_step("cargo test (embed-local)", test)
}

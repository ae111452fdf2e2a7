//! `cargo xtask codegen [--check]`: regenerates the committed example code
//! (`examples/src/generated/` from `examples/schema.corm`), or with
//! `--check` fails when it is stale. The same check runs as a test
//! (`cormc/tests/codegen.rs`), so `cargo test` catches stale code too.

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};

/// Arguments of `cargo xtask codegen`.
#[derive(Parser)]
pub struct Args {
    /// Write nothing; fail when the committed code differs from the schema.
    #[arg(long)]
    check: bool,
}

/// Runs `cormc generate` on the example schema.
pub fn run(args: Args) -> Outcome {
    generate_example(args.check)
}

/// `cormc generate examples/schema.corm`, writing or (`check`) comparing.
pub fn generate_example(check: bool) -> Outcome {
    let mut command = cargo(&[
        "run",
        "--quiet",
        "--package",
        "cormc",
        "--",
        "generate",
        "examples/schema.corm",
        "--out",
        "examples/src/generated",
    ]);
    if check {
        command.arg("--check");
    }
    run_step("cormc generate examples/schema.corm", command)
}

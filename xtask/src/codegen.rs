//! `cargo xtask codegen [--check]`: regenerates the committed generated code
//! (`examples/src/generated/` from `examples/schema.corm`, and
//! `xtask/bench/src/generated/` from `xtask/bench/schema.corm`), or with `--check`
//! fails when either is stale. The example's check also runs as a test
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

/// Runs `cormc generate` on the example and bench schemas.
pub fn run(args: Args) -> Outcome {
    generate_example(args.check)?;
    generate_bench(args.check)
}

/// `cormc generate examples/schema.corm`, writing or (`check`) comparing.
pub fn generate_example(check: bool) -> Outcome {
    generate(
        "examples/schema.corm",
        "examples/src/generated",
        &["--graphql"],
        check,
    )
}

/// `cormc generate xtask/bench/schema.corm`, writing or (`check`) comparing.
pub fn generate_bench(check: bool) -> Outcome {
    generate(
        "xtask/bench/schema.corm",
        "xtask/bench/src/generated",
        &[],
        check,
    )
}

/// `cormc generate SCHEMA --out OUT` with `flags`, writing or (`check`)
/// comparing.
fn generate(schema: &str, out: &str, flags: &[&str], check: bool) -> Outcome {
    let mut command = cargo(&[
        "run",
        "--quiet",
        "--package",
        "cormc",
        "--",
        "generate",
        schema,
        "--out",
        out,
    ]);
    command.args(flags);
    if check {
        command.arg("--check");
    }
    run_step(&format!("cormc generate {schema}"), command)
}

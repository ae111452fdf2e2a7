//! `cargo xtask example`: the README's main command.

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{self, NodeOptions};

/// Arguments of `cargo xtask example`.
#[derive(Parser)]
pub struct Args {
    #[command(flatten)]
    node: NodeOptions,
}

/// Starts the node if needed and runs the example program against it.
pub fn run(args: Args) -> Outcome {
    cassandra::ensure_running(args.node.clone())?;
    let mut example = cargo(&[
        "run",
        "--quiet",
        "--package",
        "corm-examples",
        "--bin",
        "first_steps",
    ]);
    example.env(
        "CORM_CONTACT_POINTS",
        format!("127.0.0.1:{}", args.node.port),
    );
    run_step("example first_steps", example)
}

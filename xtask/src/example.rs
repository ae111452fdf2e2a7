//! `cargo xtask example`: the README's main command. Compiles the example
//! schema (`cormc generate examples/schema.corm`, which rewrites
//! `examples/src/generated/` only where it changed), fetches the local
//! embedding model once, starts the local node if needed, and runs the
//! showcase program against it, with its help centre (the `embeddings`
//! feature: the model run in-process, and the semantic cache).

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{self, NodeOptions};
use crate::codegen;

/// Arguments of `cargo xtask example`.
#[derive(Parser)]
pub struct Args {
    #[command(flatten)]
    node: NodeOptions,
}

/// Generates the example's code, starts the node if needed, runs the showcase.
pub fn run(args: Args) -> Outcome {
    codegen::generate_example(false)?;
    let model = crate::model::fetch()?;
    // Build before the node takes memory and a core.
    const SHOWCASE: [&str; 6] = [
        "--package",
        "corm-examples",
        "--features",
        "embeddings",
        "--bin",
        "shop",
    ];
    run_step(
        "cargo build (example, embeddings)",
        cargo(&[&["build"][..], &SHOWCASE].concat()),
    )?;
    cassandra::ensure_running(args.node.clone())?;
    let mut example = cargo(&[&["run", "--quiet"][..], &SHOWCASE].concat());
    example
        .env(
            "CORM_CONTACT_POINTS",
            format!("127.0.0.1:{}", args.node.port),
        )
        .env("CORM_MODEL_DIR", model);
    run_step("example shop", example)
}

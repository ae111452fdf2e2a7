//! `cargo xtask server`: the example server in one command. Starts the
//! local node if needed and runs `corm-examples`' `server` binary against
//! it: GraphQL with GraphiQL at `/graphql`, the ticket change feeds, the
//! metrics, the report and the readiness check, on `127.0.0.1:8080` unless
//! `CORM_SERVER_ADDR` says otherwise.

use clap::Parser;

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{self, NodeOptions};

/// Arguments of `cargo xtask server`.
#[derive(Parser)]
pub struct Args {
    #[command(flatten)]
    node: NodeOptions,
}

/// Starts the node if needed and runs the example server until Ctrl-C.
pub fn run(args: Args) -> Outcome {
    const SERVER: [&str; 4] = ["--package", "corm-examples", "--bin", "server"];
    // Build before the node takes memory and a core.
    run_step(
        "cargo build (example server)",
        cargo(&[&["build"][..], &SERVER].concat()),
    )?;
    cassandra::ensure_running(args.node.clone())?;
    let mut server = cargo(&[&["run", "--quiet"][..], &SERVER].concat());
    server.env(
        "CORM_CONTACT_POINTS",
        format!("127.0.0.1:{}", args.node.port),
    );
    run_step("example server", server)
}

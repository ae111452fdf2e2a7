//! `cargo xtask`: the project's automation, in Rust so that it runs wherever
//! cargo does.
//!
//! - `cargo xtask cassandra start|stop|status|logs|wipe`: a local Cassandra 5 node.
//! - `cargo xtask cluster start|stop|status|kill|restart|wipe|test|soak`: a
//!   three-node cluster on loopback addresses, its fault suite and soak.
//! - `cargo xtask test`: formatting, lints and every test, against that node.
//! - `cargo xtask example`: the example program, against that node.
//! - `cargo xtask codegen [--check]`: the example's and the bench's generated code.
//! - `cargo xtask bench`: generated code against hand-written driver code
//!   and charybdis.
//! - `cargo xtask synthetic`: a large schema for measuring the compiler.
//! - `cargo xtask compile-bench`: `cargo check` of generated code beside
//!   charybdis models.
//! - `cargo xtask fuzz`: libFuzzer over the compiler's front end.

mod bench;
mod cargo;
mod cassandra;
mod cluster;
mod codegen;
mod compile_bench;
mod example;
mod fuzz;
mod model;
mod paths;
mod server;
mod synthetic;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Project automation for corm.
#[derive(Parser)]
#[command(name = "cargo xtask", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a local single-node Cassandra for tests and examples.
    Cassandra(cassandra::Args),
    /// Run a local cluster of three nodes on 127.0.0.1-3, and its fault
    /// suite and soak.
    Cluster(cluster::Args),
    /// Check formatting and lints, then run every test against the local node
    /// (started first when it is not running).
    Test(test::Args),
    /// Run the example program against the local node (started first when it
    /// is not running).
    Example(example::Args),
    /// Start the local node if needed and run the example server
    /// (GraphQL with GraphiQL at http://127.0.0.1:8080/graphql).
    Server(server::Args),
    /// Regenerate the example's committed code, or check it is fresh.
    Codegen(codegen::Args),
    /// Benchmark the generated repositories against hand-written driver
    /// code and charybdis on the local node (started first when it is not running).
    Bench(bench::Args),
    /// Write a large synthetic schema, for measuring the compiler.
    Synthetic(synthetic::Args),
    /// Time `cargo check` of the generated code for N synthetic models,
    /// beside the same models written for charybdis.
    CompileBench(compile_bench::Args),
    /// Fuzz the compiler's parse and check stages (needs nightly).
    Fuzz(fuzz::Args),
    /// The local embedding model's files (`model fetch`).
    Model(model::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Cassandra(args) => cassandra::run(args),
        Command::Cluster(args) => cluster::run(args),
        Command::Test(args) => test::run(args),
        Command::Example(args) => example::run(args),
        Command::Server(args) => server::run(args),
        Command::Codegen(args) => codegen::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Model(args) => model::run(args),
        Command::Synthetic(args) => synthetic::run(args),
        Command::CompileBench(args) => compile_bench::run(args),
        Command::Fuzz(args) => fuzz::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}

/// What an xtask command reports when it fails: a message for a person.
#[derive(Debug)]
pub struct Failure(String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<T: Into<String>> From<T> for Failure {
    fn from(message: T) -> Self {
        Self(message.into())
    }
}

/// The result of an xtask command.
pub type Outcome<T = ()> = Result<T, Failure>;

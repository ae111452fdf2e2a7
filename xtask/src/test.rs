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
    /// Only the suites on the local embedding model (`corm`'s `embed-local`
    /// feature): fetch its files, lint, then its test against a numpy
    /// reference, the semantic cache measured on the labelled set, and the
    /// example's `@embed` model, against the node (about 15 minutes from
    /// clean: candle compiles slowly).
    #[arg(long)]
    embeddings: bool,
}

/// Formatting, lints (clippy's and rustdoc's), then every test of the
/// workspace against the node
/// (and the secure node beside it, for the TLS and password tests).
pub fn run(args: Args) -> Outcome {
    if args.embeddings {
        return embeddings(&args.node);
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
    // Rustdoc's own lints: links to private or missing items, in the
    // workspace's code and in the example's generated code, which a user's
    // `cargo doc` would warn about.
    let mut docs = cargo(&["doc", "--workspace", "--no-deps"]);
    docs.env("RUSTDOCFLAGS", "-D warnings");
    run_step("cargo doc", docs)?;
    // Build the tests before the node takes memory and a core.
    run_step(
        "cargo test --no-run",
        cargo(&["test", "--workspace", "--no-run"]),
    )?;
    cassandra::ensure_running(args.node.clone())?;
    let (secure_contact, secure_ca) = cassandra::ensure_secure_companion(&args.node)?;
    let mut tests = cargo(&["test", "--workspace"]);
    tests
        .env(
            "CORM_CONTACT_POINTS",
            format!("127.0.0.1:{}", args.node.port),
        )
        .env("CORM_SECURE_CONTACT_POINT", secure_contact)
        .env("CORM_SECURE_CA", secure_ca);
    run_step("cargo test", tests)
}

/// `--embeddings`: the model's files, then clippy and the tests that need
/// the model, the node started first for those that need it.
fn embeddings(node: &NodeOptions) -> Outcome {
    let dir = crate::model::fetch()?;
    for (package, features) in [
        ("corm", "embed-local,semantic-cache"),
        ("corm-examples", "embeddings"),
    ] {
        run_step(
            &format!("cargo clippy -p {package} --features {features}"),
            cargo(&[
                "clippy",
                "-p",
                package,
                "--features",
                features,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        )?;
    }
    cassandra::ensure_running(node.clone())?;
    let contact = format!("127.0.0.1:{}", node.port);
    let mut model = cargo(&[
        "test",
        "-p",
        "corm",
        "--features",
        "embed-local,semantic-cache",
        "--test",
        "embed_local",
        "--test",
        "semantic_cache_eval",
    ]);
    model
        .env("CORM_MODEL_DIR", &dir)
        .env("CORM_CONTACT_POINTS", &contact)
        .arg("--")
        .arg("--nocapture");
    run_step("cargo test -p corm (embed-local)", model)?;
    let mut example = cargo(&[
        "test",
        "-p",
        "corm-examples",
        "--features",
        "embeddings",
        "--test",
        "help_search",
    ]);
    example
        .env("CORM_MODEL_DIR", &dir)
        .env("CORM_CONTACT_POINTS", &contact);
    run_step("cargo test -p corm-examples (embeddings)", example)
}

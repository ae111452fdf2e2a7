//! `cargo xtask cassandra …`: a real single-node Apache Cassandra 5 in its
//! own JVM, built from Maven Central artifacts, for tests and examples.
//!
//! Everything the node needs is written by the project: `cassandra.yaml`,
//! `logback.xml` and the JVM command line. The jars are cached outside the
//! repository; the node's folder (config, data, logs, pid file) is under
//! `target/cassandra/` unless `--dir` says otherwise.

mod certificates;
mod distribution;
mod files;
mod node;
mod probe;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use crate::Outcome;
use crate::paths::{absolute, target_dir};

pub use node::Node;

/// The pinned Cassandra release.
pub const CASSANDRA_VERSION: &str = "5.0.8";

/// Arguments of `cargo xtask cassandra`.
#[derive(Parser)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    options: NodeOptions,
}

#[derive(Subcommand)]
enum Command {
    /// Start the node (fetching Cassandra first if needed) and wait until it
    /// answers CQL. Succeeds at once when it is already running.
    Start,
    /// Stop the node this tool started (SIGTERM, then SIGKILL after a deadline).
    Stop,
    /// Exit 0 when the node answers a CQL query, 1 otherwise.
    Status,
    /// Print the end of the node's system.log.
    Logs {
        /// How many lines to print.
        #[arg(short = 'n', long, default_value_t = 60)]
        lines: usize,
    },
    /// Stop the node and delete its folder (config, data and logs).
    Wipe,
}

/// Which node, and how to run it.
#[derive(Parser, Clone, Debug)]
pub struct NodeOptions {
    /// The CQL (native transport) port.
    #[arg(
        long,
        global = true,
        env = "CORM_CASSANDRA_PORT",
        default_value_t = 9042
    )]
    pub port: u16,
    /// The inter-node storage port [default: 7000 for port 9042, else port + 1].
    #[arg(long, global = true, env = "CORM_CASSANDRA_STORAGE_PORT")]
    pub storage_port: Option<u16>,
    /// The node's folder: config, data, logs and pid file
    /// [default: target/cassandra/node-PORT].
    #[arg(long, global = true, env = "CORM_CASSANDRA_DIR")]
    pub dir: Option<PathBuf>,
    /// The JVM heap, as for -Xmx (`1g`, `768m`).
    #[arg(long, global = true, env = "CORM_CASSANDRA_HEAP", default_value = "1g")]
    pub heap: String,
    /// How long `start` waits for the node to answer, in seconds.
    #[arg(
        long,
        global = true,
        env = "CORM_CASSANDRA_TIMEOUT",
        default_value_t = 180
    )]
    pub timeout: u64,
    /// A node that requires a password (`cassandra`/`cassandra`) and offers
    /// TLS with certificates of its own CA (`tls/ca.pem` in its folder);
    /// plain connections stay allowed, so the readiness probe needs no TLS.
    #[arg(long, global = true)]
    pub secure: bool,
    /// Overrides or adds a cassandra.yaml setting, as `key: value`
    /// (repeatable), e.g. `--set 'concurrent_writes: 8'`.
    #[arg(long = "set", global = true, value_name = "KEY: VALUE")]
    pub settings: Vec<String>,
    /// The node's place in a cluster of `cargo xtask cluster`; a lone
    /// node on 127.0.0.1 when absent.
    #[arg(skip)]
    pub member: Option<Member>,
}

/// A node of a local cluster: its loopback address, the seeds it gossips
/// with first, its one token and the cluster's name.
#[derive(Clone, Debug)]
pub struct Member {
    /// Where the node listens, for CQL and for the other nodes.
    pub address: Ipv4Addr,
    /// The seed nodes (all on the cluster's storage port).
    pub seeds: Vec<Ipv4Addr>,
    /// The node's token (one per node, evenly spaced).
    pub initial_token: i64,
    /// The cluster's name: nodes of another name are refused.
    pub cluster_name: String,
}

impl NodeOptions {
    /// The node's folder.
    pub fn dir(&self) -> PathBuf {
        self.dir.clone().map_or_else(
            || {
                target_dir()
                    .join("cassandra")
                    .join(format!("node-{}", self.port))
            },
            absolute,
        )
    }

    /// The address the node listens on.
    pub fn address(&self) -> Ipv4Addr {
        self.member
            .as_ref()
            .map_or(Ipv4Addr::LOCALHOST, |member| member.address)
    }

    /// The inter-node port.
    pub fn storage_port(&self) -> u16 {
        self.storage_port.unwrap_or(match self.port {
            9042 => 7000,
            port => port.wrapping_add(1),
        })
    }

    /// How long `start` waits.
    pub fn start_deadline(&self) -> Duration {
        Duration::from_secs(self.timeout)
    }

    /// The secure node `cargo xtask test` runs beside this one for the TLS
    /// and password tests: port + 100, its folder beside this one's
    /// (`…-secure`), half the heap's default.
    pub fn secure_companion(&self) -> Self {
        let mut dir = self.dir().into_os_string();
        dir.push("-secure");
        Self {
            port: self.port.wrapping_add(100),
            storage_port: None,
            dir: Some(dir.into()),
            heap: "512m".to_owned(),
            timeout: self.timeout,
            secure: true,
            settings: Vec::new(),
            member: None,
        }
    }
}

/// Runs `cargo xtask cassandra …`.
pub fn run(args: Args) -> Outcome {
    // `stop` and `wipe` of a node also take down the secure node `cargo
    // xtask test` started beside it.
    let companion = (!args.options.secure).then(|| Node::new(args.options.secure_companion()));
    let node = Node::new(args.options);
    match args.command {
        Command::Start => node.start(),
        Command::Stop => {
            if let Some(companion) = &companion {
                companion.stop()?;
            }
            node.stop()
        }
        Command::Status => node.status(),
        Command::Logs { lines } => node.print_log_tail(lines),
        Command::Wipe => {
            if let Some(companion) = &companion {
                companion.wipe()?;
            }
            node.wipe()
        }
    }
}

/// Starts the default node unless it already answers; used by `test` and
/// `example`.
pub fn ensure_running(options: NodeOptions) -> Outcome {
    Node::new(options).start()
}

/// Starts the secure node beside `options`'s unless it answers, and
/// returns its contact point and CA file for the tests
/// (`CORM_SECURE_CONTACT_POINT`, `CORM_SECURE_CA`).
pub fn ensure_secure_companion(options: &NodeOptions) -> Outcome<(String, PathBuf)> {
    let secure = options.secure_companion();
    let contact = format!("127.0.0.1:{}", secure.port);
    let ca = certificates::ca_file(&secure.dir());
    Node::new(secure).start()?;
    Ok((contact, ca))
}

/// Prints how long a phase took.
fn report_phase(phase: &str, started: Instant) {
    println!("{phase}: {:.1}s", started.elapsed().as_secs_f64());
}

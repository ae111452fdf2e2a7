//! `cargo xtask cluster …`: a local Cassandra cluster of three (or more)
//! nodes on the loopback addresses 127.0.0.1, 127.0.0.2, …, one JVM each,
//! and the fault suite and soak that run against it.
//!
//! Every node listens on the same ports (CQL 19042, storage 17000) on its
//! own address, so the cluster runs beside the single test node of
//! `cargo xtask cassandra` (127.0.0.1:9042). Each node owns one token,
//! evenly spaced over the Murmur3 range; the first two nodes are the seeds.
//! Nodes start one after the other, and `start` and `restart` return only
//! when every node coordinates a write at consistency `ALL`: each sees
//! every other up.

mod view;

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::thread::sleep;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use crate::Outcome;
use crate::cargo::{cargo, run_step};
use crate::cassandra::{Member, Node, NodeOptions};
use crate::paths::{absolute, target_dir};

/// Arguments of `cargo xtask cluster`.
#[derive(Parser)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    options: ClusterOptions,
}

#[derive(Subcommand)]
enum Command {
    /// Thaw paused nodes, start every node that is not running, one after
    /// the other, and wait until each sees all the others.
    Start,
    /// Stop every node (SIGTERM, then SIGKILL after a deadline).
    Stop,
    /// Each node's process, and the cluster as each live node sees it
    /// (`system.peers`); exit 1 unless every node answers.
    Status,
    /// Kill one node at once (SIGKILL), as a crash would.
    Kill {
        /// The node, 1 to `--nodes` (node N listens on 127.0.0.N).
        node: usize,
    },
    /// Freeze one node (SIGSTOP): connections stay open, nothing answers.
    Pause {
        /// The node, 1 to `--nodes`.
        node: usize,
    },
    /// Thaw a paused node (SIGCONT).
    Resume {
        /// The node, 1 to `--nodes`.
        node: usize,
    },
    /// Stop one node gracefully.
    StopNode {
        /// The node, 1 to `--nodes`.
        node: usize,
    },
    /// Stop one node if it runs, start it, and wait until the cluster is
    /// whole again.
    Restart {
        /// The node, 1 to `--nodes`.
        node: usize,
    },
    /// Stop every node and delete the cluster's folder.
    Wipe,
    /// The fault suite (`cormc/tests/compile/tests/cluster_faults.rs`)
    /// against the cluster, started first when needed.
    Test {
        /// Only the tests whose names contain this.
        filter: Option<String>,
    },
    /// A mixed workload at a steady rate for a while, one node restarted
    /// every `--restart-every` minutes; checks a ledger of acknowledged
    /// writes at the end and reports errors and client memory.
    Soak {
        /// How long the workload runs, in minutes.
        #[arg(long, default_value_t = 30)]
        minutes: u64,
        /// Minutes between node restarts.
        #[arg(long, default_value_t = 5)]
        restart_every: u64,
    },
}

/// The cluster's shape and where it lives.
#[derive(Parser, Clone, Debug)]
pub struct ClusterOptions {
    /// How many nodes: node N listens on 127.0.0.N.
    #[arg(long, global = true, default_value_t = 3, value_parser = clap::value_parser!(u8).range(2..=9))]
    nodes: u8,
    /// Each node's JVM heap, as for -Xmx.
    #[arg(long, global = true, default_value = "1g")]
    heap: String,
    /// The CQL port of every node.
    #[arg(long, global = true, default_value_t = 19042)]
    port: u16,
    /// The inter-node port of every node.
    #[arg(long, global = true, default_value_t = 17000)]
    storage_port: u16,
    /// The cluster's folder, one sub-folder per node
    /// [default: target/cassandra/cluster].
    #[arg(long, global = true)]
    dir: Option<PathBuf>,
    /// How long one node's start may take, in seconds.
    #[arg(long, global = true, default_value_t = 180)]
    timeout: u64,
}

impl ClusterOptions {
    fn dir(&self) -> PathBuf {
        self.dir
            .clone()
            .map_or_else(|| target_dir().join("cassandra").join("cluster"), absolute)
    }

    fn count(&self) -> usize {
        usize::from(self.nodes)
    }

    /// Node `index` (from 1) listens on 127.0.0.`index`.
    fn address(index: usize) -> Ipv4Addr {
        Ipv4Addr::new(127, 0, 0, u8::try_from(index).unwrap_or(u8::MAX))
    }

    /// The contact points of every node, as `CORM_CONTACT_POINTS` wants them.
    fn contact_points(&self) -> String {
        (1..=self.count())
            .map(|index| format!("{}:{}", Self::address(index), self.port))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The options of node `index` (from 1).
    fn node_options(&self, index: usize) -> NodeOptions {
        // One token per node, evenly spaced over [-2^63, 2^63).
        let step = (1_i128 << 64) / i128::from(self.nodes);
        let token = i128::from(i64::MIN) + step * i128::try_from(index - 1).unwrap_or(0);
        NodeOptions {
            port: self.port,
            storage_port: Some(self.storage_port),
            dir: Some(self.dir().join(format!("node{index}"))),
            heap: self.heap.clone(),
            timeout: self.timeout,
            secure: false,
            settings: Vec::new(),
            member: Some(Member {
                address: Self::address(index),
                seeds: (1..=self.count().min(2)).map(Self::address).collect(),
                initial_token: i64::try_from(token).unwrap_or(i64::MAX),
                cluster_name: "corm-local-cluster".to_owned(),
            }),
        }
    }

    /// Every node's token, in ring (and node) order.
    fn tokens(&self) -> Vec<i64> {
        (1..=self.count())
            .filter_map(|index| self.node_options(index).member)
            .map(|member| member.initial_token)
            .collect()
    }

    fn node(&self, index: usize) -> Outcome<Node> {
        if index == 0 || index > self.count() {
            return Err(format!("there is no node {index}: nodes are 1 to {}", self.nodes).into());
        }
        Ok(Node::new(self.node_options(index)))
    }
}

/// Runs `cargo xtask cluster …`.
pub fn run(args: Args) -> Outcome {
    let options = args.options;
    match args.command {
        Command::Start => start(&options),
        Command::Stop => {
            for index in (1..=options.count()).rev() {
                options.node(index)?.stop()?;
            }
            Ok(())
        }
        Command::Status => status(&options),
        Command::Kill { node } => options.node(node)?.kill(),
        Command::Pause { node } => options.node(node)?.pause(),
        Command::Resume { node } => options.node(node)?.resume(),
        Command::StopNode { node } => options.node(node)?.stop(),
        Command::Restart { node } => {
            let started = Instant::now();
            let target = options.node(node)?;
            target.resume()?;
            target.stop()?;
            target.start()?;
            wait_until_seen(&options, node)?;
            println!(
                "node {node} restarted and seen up by every running node: {:.1}s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Wipe => {
            for index in (1..=options.count()).rev() {
                options.node(index)?.stop()?;
            }
            let dir = options.dir();
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .map_err(|err| format!("cannot remove {}: {err}", dir.display()))?;
                println!("removed {}", dir.display());
            }
            Ok(())
        }
        Command::Test { filter } => {
            let mut args = vec!["--test", "cluster_faults"];
            let filter = filter.unwrap_or_default();
            if !filter.is_empty() {
                args.push(&filter);
            }
            suite(&options, "the fault suite", &args, &[])
        }
        Command::Soak {
            minutes,
            restart_every,
        } => suite(
            &options,
            "the soak",
            &["--test", "cluster_soak"],
            &[
                ("CORM_SOAK_MINUTES", minutes.to_string()),
                ("CORM_SOAK_RESTART_MINUTES", restart_every.to_string()),
            ],
        ),
    }
}

/// Starts the nodes that are not running, in order, then waits until the
/// cluster is whole.
fn start(options: &ClusterOptions) -> Outcome {
    let started = Instant::now();
    for index in 1..=options.count() {
        options.node(index)?.resume()?;
    }
    for index in 1..=options.count() {
        options.node(index)?.start()?;
    }
    let first = ClusterOptions::address(1);
    let deadline = Instant::now() + Duration::from_secs(options.timeout);
    retry_until(deadline, "cannot create the cluster's check table", || {
        view::create_check_table(first, options.port, options.count())
    })?;
    wait_until_whole(options)?;
    println!(
        "cluster of {} nodes up and whole: {:.1}s",
        options.nodes,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Waits until every node agrees on the schema and coordinates a write at
/// `ALL`.
fn wait_until_whole(options: &ClusterOptions) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs(options.timeout);
    let all: Vec<usize> = (1..=options.count()).collect();
    wait_for_schema_agreement(options, &all, deadline)?;
    for index in 1..=options.count() {
        let address = ClusterOptions::address(index);
        retry_until(
            deadline,
            &format!("node {index} ({address}) does not see every node up"),
            || view::reaches_every_replica(address, options.port),
        )?;
    }
    Ok(())
}

/// Waits until node `index` and every other node that answers see each
/// other up and agree on the schema (the rest of the cluster may be down
/// on purpose).
fn wait_until_seen(options: &ClusterOptions, index: usize) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs(options.timeout);
    let tokens = options.tokens();
    let restarted = ClusterOptions::address(index);
    let running: Vec<usize> = (1..=options.count())
        .filter(|other| {
            *other == index
                || view::schema_version(ClusterOptions::address(*other), options.port).is_ok()
        })
        .collect();
    wait_for_schema_agreement(options, &running, deadline)?;
    for other in running.iter().copied().filter(|other| *other != index) {
        let address = ClusterOptions::address(other);
        for (coordinator, owner) in [(address, index), (restarted, other)] {
            retry_until(
                deadline,
                &format!("{coordinator} does not see node {owner} up"),
                || view::sees(coordinator, options.port, owner - 1, &tokens),
            )?;
        }
    }
    Ok(())
}

/// Runs `attempt` every half second until it succeeds; after `deadline`,
/// fails with `failure` and the last reason.
fn retry_until(
    deadline: Instant,
    failure: &str,
    mut attempt: impl FnMut() -> Result<(), String>,
) -> Outcome {
    loop {
        match attempt() {
            Ok(()) => return Ok(()),
            Err(reason) if Instant::now() >= deadline => {
                return Err(format!("{failure}: {reason}").into());
            }
            Err(_) => sleep(Duration::from_millis(500)),
        }
    }
}

/// Waits until the nodes `running` report one schema version.
fn wait_for_schema_agreement(
    options: &ClusterOptions,
    running: &[usize],
    deadline: Instant,
) -> Outcome {
    loop {
        let versions: Vec<Result<String, String>> = running
            .iter()
            .map(|node| view::schema_version(ClusterOptions::address(*node), options.port))
            .collect();
        let first = versions
            .first()
            .cloned()
            .unwrap_or_else(|| Err(String::new()));
        if first.is_ok() && versions.iter().all(|version| *version == first) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "nodes {running:?} do not agree on the schema after {}s: {versions:?}",
                options.timeout
            )
            .into());
        }
        sleep(Duration::from_millis(500));
    }
}

/// Prints each node's process and view; fails unless all answer.
fn status(options: &ClusterOptions) -> Outcome {
    let mut down = Vec::new();
    for index in 1..=options.count() {
        let address = ClusterOptions::address(index);
        let running = options.node(index)?.is_running();
        match view::node_view(address, options.port) {
            Ok(view) => {
                println!(
                    "node {index} {address}: up, Cassandra {}, host {}, schema {}",
                    view.release, view.host_id, view.schema
                );
                for (peer, host_id, tokens) in view.peers {
                    println!("    system.peers: {peer} host {host_id} token {tokens}");
                }
                for node in view.gossip {
                    println!(
                        "    gossip: {} {} generation {} heartbeat {}",
                        node.address, node.status, node.generation, node.heartbeat
                    );
                }
            }
            Err(reason) => {
                let process = if running {
                    "process alive"
                } else {
                    "no process"
                };
                println!("node {index} {address}: down ({process}): {reason}");
                down.push(index);
            }
        }
    }
    if down.is_empty() {
        Ok(())
    } else {
        Err(format!("nodes not answering: {down:?}").into())
    }
}

/// Starts the cluster if needed and runs a test target of the fixtures
/// crate against it, with what the tests need to find and drive it.
fn suite(
    options: &ClusterOptions,
    label: &str,
    target: &[&str],
    env: &[(&str, String)],
) -> Outcome {
    let mut build = cargo(&[
        "test",
        "-p",
        "corm-codegen-fixtures",
        "--features",
        "cluster",
        "--no-run",
    ]);
    build.args(target.iter().take(2));
    run_step("build the cluster tests", build)?;
    start(options)?;
    let xtask = std::env::current_exe().map_err(|err| format!("where is xtask? {err}"))?;
    let mut tests = cargo(&[
        "test",
        "-p",
        "corm-codegen-fixtures",
        "--features",
        "cluster",
    ]);
    tests
        .args(target)
        .args(["--", "--test-threads", "1", "--nocapture"])
        .env("CORM_CONTACT_POINTS", options.contact_points())
        .env("CORM_CLUSTER_XTASK", xtask)
        .env("CORM_CLUSTER_NODES", options.nodes.to_string())
        .env("CORM_CLUSTER_PORT", options.port.to_string())
        .env("CORM_CLUSTER_DIR", options.dir());
    for (key, value) in env {
        tests.env(key, value);
    }
    run_step(label, tests)
}

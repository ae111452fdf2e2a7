//! The local cluster of `cargo xtask cluster`, driven from a test: its
//! nodes stopped, killed, paused and restarted through the same xtask
//! commands a person runs, sessions at `QUORUM`, and throwaway keyspaces
//! replicated on every node.
//!
//! `cargo xtask cluster test` sets what this needs: `CORM_CLUSTER_XTASK`
//! (the xtask binary), `CORM_CLUSTER_NODES`, `CORM_CLUSTER_PORT` and
//! `CORM_CONTACT_POINTS`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use std::collections::{BTreeMap, BTreeSet};

use corm::{Config, Consistency, Session, Uuid};
use corm_codegen_fixtures::db::{Order, OrderStatus};

/// The cluster the suite runs on.
#[derive(Clone, Debug)]
pub struct Cluster {
    xtask: PathBuf,
    dir: PathBuf,
    /// How many nodes it has.
    pub nodes: usize,
    port: u16,
}

impl Cluster {
    /// The cluster `cargo xtask cluster test` started.
    pub fn from_env() -> Self {
        let xtask = std::env::var_os("CORM_CLUSTER_XTASK").expect(
            "the cluster suites run through `cargo xtask cluster test` (or `soak`), \
             which starts the cluster and says where it is",
        );
        let number = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|value| value.parse().ok())
                .unwrap_or(default)
        };
        Self {
            xtask: xtask.into(),
            dir: std::env::var_os("CORM_CLUSTER_DIR")
                .expect("CORM_CLUSTER_DIR: the cluster's folder")
                .into(),
            nodes: number("CORM_CLUSTER_NODES", 3),
            port: u16::try_from(number("CORM_CLUSTER_PORT", 19042)).unwrap(),
        }
    }

    /// The CQL endpoint of node `index` (from 1).
    pub fn endpoint(&self, index: usize) -> SocketAddr {
        SocketAddr::from((
            Ipv4Addr::new(127, 0, 0, u8::try_from(index).unwrap()),
            self.port,
        ))
    }

    /// Runs `cargo xtask cluster ARGS` and returns how long it took;
    /// panics with its output when it fails.
    pub async fn xtask(&self, args: &[&str]) -> Duration {
        let mut command = Command::new(&self.xtask);
        command
            .arg("cluster")
            .args(args)
            .arg("--nodes")
            .arg(self.nodes.to_string());
        let label = args.join(" ");
        let started = Instant::now();
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .unwrap_or_else(|err| panic!("cannot run xtask cluster {label}: {err}"));
        let elapsed = started.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "xtask cluster {label} failed:\n{stdout}\n{stderr}"
        );
        println!("[cluster] {label}: {:.1}s", elapsed.as_secs_f64());
        elapsed
    }

    /// Kills node `index` at once (SIGKILL).
    pub async fn kill(&self, index: usize) -> Duration {
        self.xtask(&["kill", &index.to_string()]).await
    }

    /// Stops node `index` gracefully (it tells its peers it is leaving).
    pub async fn stop(&self, index: usize) -> Duration {
        self.xtask(&["stop-node", &index.to_string()]).await
    }

    /// Freezes node `index` (SIGSTOP).
    pub async fn pause(&self, index: usize) -> Duration {
        self.xtask(&["pause", &index.to_string()]).await
    }

    /// Thaws node `index` (SIGCONT).
    pub async fn resume(&self, index: usize) -> Duration {
        self.xtask(&["resume", &index.to_string()]).await
    }

    /// Restarts node `index` and waits until every node sees every other.
    pub async fn restart(&self, index: usize) -> Duration {
        self.xtask(&["restart", &index.to_string()]).await
    }

    /// Thaws and starts whatever is not running, and waits until the
    /// cluster is whole.
    pub async fn whole(&self) -> Duration {
        self.xtask(&["start"]).await
    }
}

/// The configuration of the suites' sessions: every node as a contact
/// point, `QUORUM`, a five-second request timeout.
pub fn config() -> Config {
    Config::from_env()
        .unwrap()
        .consistency(Consistency::Quorum)
        .request_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(5))
}

/// A session as `config` says.
pub async fn connect(config: &Config) -> Session {
    Session::connect(config).await.unwrap()
}

/// Runs `test` in a new keyspace replicated on every node, on a session
/// made from `config`; the cluster is made whole before (a test that
/// failed may have left a node down) and after.
pub async fn with_cluster_keyspace<F, Fut>(label: &str, config: Config, test: F)
where
    F: FnOnce(Cluster, Session) -> Fut,
    Fut: Future<Output = ()>,
{
    let cluster = Cluster::from_env();
    cluster.whole().await;
    let session = connect(&config).await;
    let replication = u32::try_from(cluster.nodes).unwrap();
    let inner = cluster.clone();
    corm::testing::with_keyspace_on(session, label, replication, move |session| {
        test(inner, session)
    })
    .await;
    cluster.whole().await;
}

/// What `started` took, for the report.
pub fn took(label: &str, started: Instant) {
    println!("[time] {label}: {:.1}s", started.elapsed().as_secs_f64());
}

/// The hint files node `index` holds for other nodes (what `nodetool
/// listpendinghints` counts), in its folder.
pub fn pending_hint_files(cluster: &Cluster, index: usize) -> usize {
    let dir = cluster
        .dir
        .join(format!("node{index}"))
        .join("data")
        .join("hints");
    std::fs::read_dir(&dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "hints"))
            .count()
    })
}

/// Waits until a node killed now would come back with the schema changes
/// made so far (the test keyspace's tables): twelve seconds.
///
/// Cassandra 5.0 applies schema changes on each node in the background
/// and flushes them there; the fault suite met a node killed three
/// seconds after its tables were created that came back with another id
/// for one of them, refused its peers' writes to it and failed the
/// keyspace's drop ("Unknown CF"). Operators avoid killing nodes during
/// migrations; these tests crash nodes under data traffic, not during a
/// migration (migrations with a node down have a test of their own), so
/// they let the schema settle first. Twelve seconds covers the commit
/// log's ten-second sync period.
pub async fn settle_schema() {
    tokio::time::sleep(Duration::from_secs(12)).await;
}

/// An order of `customer` (one partition per customer), told apart by its
/// total.
pub fn order(customer: Uuid, total_cents: i64) -> Order {
    Order::new(
        customer,
        OrderStatus::Pending,
        total_cents,
        1,
        false,
        vec![],
        BTreeSet::new(),
        BTreeMap::new(),
        vec![],
        BTreeSet::new(),
    )
}

//! What each node of the local cluster sees: the peers in its
//! `system.peers`, and whether it can reach every replica (a write at
//! consistency `ALL` that it coordinates).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use corm::scylla::client::session::Session;
use corm::scylla::client::session_builder::SessionBuilder;
use corm::scylla::policies::host_filter::AllowListHostFilter;
use corm::scylla::response::query_result::QueryRowsResult;
use corm::scylla::statement::Consistency;
use corm::scylla::statement::unprepared::Statement;

/// The keyspace of the whole-cluster check, replicated to every node.
const KEYSPACE: &str = "corm_cluster";
/// A keyspace of one copy, where each key lives on one node only: a write
/// at `ONE` coordinated by another node needs that node seen up.
const OWNED: &str = "corm_cluster_owned";

/// One node's view of the cluster.
pub struct NodeView {
    /// The node's own host id and release.
    pub host_id: String,
    /// The node's release version.
    pub release: String,
    /// The schema version it has.
    pub schema: String,
    /// Each peer in its `system.peers`: address, host id, tokens.
    pub peers: Vec<(Ipv4Addr, String, String)>,
    /// What its gossip says of every node, itself included.
    pub gossip: Vec<Gossip>,
}

/// One node as another node's gossip knows it
/// (`system_views.gossip_info`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gossip {
    /// The node.
    pub address: Ipv4Addr,
    /// When the node last started (seconds since the epoch): a restart
    /// that reached this view changed it.
    pub generation: i32,
    /// Its heartbeat counter, as last heard.
    pub heartbeat: i32,
    /// Its gossip status (`NORMAL`, `shutdown`, …).
    pub status: String,
}

/// Runs `work` on a session that talks to `address` only (or, when
/// `only` is false, to every node it finds from there).
fn on_node<T>(
    address: Ipv4Addr,
    port: u16,
    only: bool,
    work: impl AsyncFnOnce(&Session) -> Result<T, String>,
) -> Result<T, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start a tokio runtime: {err}"))?;
    runtime.block_on(async {
        let endpoint = SocketAddr::from((address, port));
        let mut builder = SessionBuilder::new()
            .known_node_addr(endpoint)
            .connection_timeout(Duration::from_secs(3));
        if only {
            let filter =
                AllowListHostFilter::new([endpoint]).map_err(|err| format!("{endpoint}: {err}"))?;
            builder = builder.host_filter(Arc::new(filter));
        }
        let session = builder
            .build()
            .await
            .map_err(|err| format!("{endpoint}: {err}"))?;
        work(&session).await
    })
}

/// The rows `text` (a read of a node-local table) returns.
async fn select(session: &Session, text: &str) -> Result<QueryRowsResult, String> {
    session
        .query_unpaged(text, ())
        .await
        .map_err(|err| err.to_string())?
        .into_rows_result()
        .map_err(|err| err.to_string())
}

/// Runs `text` at `consistency` within five seconds.
async fn run(session: &Session, text: String, consistency: Consistency) -> Result<(), String> {
    let mut statement = Statement::new(text);
    statement.set_consistency(consistency);
    statement.set_request_timeout(Some(Duration::from_secs(5)));
    session
        .query_unpaged(statement, ())
        .await
        .map(|_| ())
        .map_err(|err| err.to_string())
}

/// What the node at `address` reports about itself and its peers.
pub fn node_view(address: Ipv4Addr, port: u16) -> Result<NodeView, String> {
    on_node(address, port, true, async |session| {
        let (host_id, release, schema): (corm::Uuid, String, corm::Uuid) = select(
            session,
            "SELECT host_id, release_version, schema_version FROM system.local",
        )
        .await?
        .single_row()
        .map_err(|err| err.to_string())?;
        let rows = select(session, "SELECT peer, host_id, tokens FROM system.peers").await?;
        let mut peers = Vec::new();
        for row in rows
            .rows::<(std::net::IpAddr, Option<corm::Uuid>, Option<Vec<String>>)>()
            .map_err(|err| err.to_string())?
        {
            let (peer, host_id, tokens) = row.map_err(|err| err.to_string())?;
            let std::net::IpAddr::V4(peer) = peer else {
                continue;
            };
            peers.push((
                peer,
                host_id.map_or_else(|| "?".to_owned(), |id| id.to_string()),
                tokens.unwrap_or_default().join(","),
            ));
        }
        peers.sort();
        Ok(NodeView {
            host_id: host_id.to_string(),
            release,
            schema: schema.to_string(),
            peers,
            gossip: gossip(session).await?,
        })
    })
}

/// The schema version the node at `address` has.
pub fn schema_version(address: Ipv4Addr, port: u16) -> Result<String, String> {
    on_node(address, port, true, async |session| {
        let (version,): (corm::Uuid,) = select(session, "SELECT schema_version FROM system.local")
            .await?
            .single_row()
            .map_err(|err| err.to_string())?;
        Ok(version.to_string())
    })
}

/// Every node as the session's one node's gossip knows it.
async fn gossip(session: &Session) -> Result<Vec<Gossip>, String> {
    let rows = select(
        session,
        "SELECT address, generation, heartbeat, status FROM system_views.gossip_info",
    )
    .await?;
    let mut nodes = Vec::new();
    for row in rows
        .rows::<(std::net::IpAddr, Option<i32>, Option<i32>, Option<String>)>()
        .map_err(|err| err.to_string())?
    {
        let (address, generation, heartbeat, status) = row.map_err(|err| err.to_string())?;
        if let std::net::IpAddr::V4(address) = address {
            nodes.push(Gossip {
                address,
                generation: generation.unwrap_or_default(),
                heartbeat: heartbeat.unwrap_or_default(),
                status: status.unwrap_or_default(),
            });
        }
    }
    nodes.sort_by_key(|node| node.address);
    Ok(nodes)
}

/// Creates the keyspace of the whole-cluster check, replicated on all
/// `nodes`, through the node at `address`, and waits for every node to
/// agree on it.
pub fn create_check_table(address: Ipv4Addr, port: u16, nodes: usize) -> Result<(), String> {
    on_node(address, port, false, async |session| {
        run(
            session,
            format!(
                "CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': {nodes}}}"
            ),
            Consistency::One,
        )
        .await?;
        run(
            session,
            format!(
                "CREATE TABLE IF NOT EXISTS {KEYSPACE}.seen (node inet PRIMARY KEY, at timestamp)"
            ),
            Consistency::One,
        )
        .await?;
        run(
            session,
            format!(
                "CREATE KEYSPACE IF NOT EXISTS {OWNED} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
            ),
            Consistency::One,
        )
        .await?;
        run(
            session,
            format!("CREATE TABLE IF NOT EXISTS {OWNED}.owned (k int PRIMARY KEY)"),
            Consistency::One,
        )
        .await?;
        session
            .await_schema_agreement()
            .await
            .map(|_| ())
            .map_err(|err| err.to_string())
    })
}

/// Succeeds when the node at `coordinator` writes, at `ONE`, a key whose
/// only copy lives on node `owner` (index into `tokens`, the nodes'
/// tokens in ring order): the coordinator sees the owner up.
pub fn sees(coordinator: Ipv4Addr, port: u16, owner: usize, tokens: &[i64]) -> Result<(), String> {
    on_node(coordinator, port, true, async |session| {
        let mut insert = session
            .prepare(format!("INSERT INTO {OWNED}.owned (k) VALUES (?)"))
            .await
            .map_err(|err| err.to_string())?;
        insert.set_consistency(Consistency::One);
        insert.set_request_timeout(Some(Duration::from_secs(5)));
        // SimpleStrategy puts a key on the first node whose token is at or
        // after the key's token, wrapping around to the first node.
        let owner_of = |token: i64| tokens.iter().position(|node| token <= *node).unwrap_or(0);
        for key in 0..100_000_i32 {
            let token = insert
                .calculate_token(&(key,))
                .map_err(|err| err.to_string())?
                .ok_or("no token for an int key")?;
            if owner_of(token.value()) == owner {
                return session
                    .execute_unpaged(&insert, (key,))
                    .await
                    .map(|_| ())
                    .map_err(|err| err.to_string());
            }
        }
        Err(format!("no key below 100000 lives on node {}", owner + 1))
    })
}

/// Succeeds when the node at `address` coordinates a write at `ALL` to the
/// keyspace of [`create_check_table`]: it sees every replica up.
pub fn reaches_every_replica(address: Ipv4Addr, port: u16) -> Result<(), String> {
    on_node(address, port, true, async |session| {
        run(
            session,
            format!(
                "INSERT INTO {KEYSPACE}.seen (node, at) VALUES ('{address}', toTimestamp(now()))"
            ),
            Consistency::All,
        )
        .await
    })
}

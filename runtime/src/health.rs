//! Health: how each node of the cluster stands, as this session sees it
//! and as a probe finds it ([`Session::health`]).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use scylla::client::execution_profile::ExecutionProfile;
use scylla::policies::load_balancing::{NodeIdentifier, SingleTargetLoadBalancingPolicy};
use scylla::statement::Consistency;
use scylla::statement::unprepared::Statement;

use crate::{Session, Uuid};

/// The statement each node answers: a read of its own local table.
const PROBE: &str = "SELECT release_version FROM system.local";

/// How the cluster stands: one entry per node the session knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Health {
    /// The nodes, in the driver's order.
    pub nodes: Vec<NodeHealth>,
}

impl Health {
    /// Whether some node answered its probe (a request can be served).
    pub fn is_ready(&self) -> bool {
        self.nodes.iter().any(|node| node.answered.is_ok())
    }

    /// The nodes that did not answer.
    pub fn down(&self) -> impl Iterator<Item = &NodeHealth> {
        self.nodes.iter().filter(|node| node.answered.is_err())
    }
}

/// How one node stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeHealth {
    /// The node's host id.
    pub host_id: Uuid,
    /// Its address.
    pub address: SocketAddr,
    /// Its datacenter, when known.
    pub datacenter: Option<String>,
    /// Its rack, when known.
    pub rack: Option<String>,
    /// Whether the session has open connections to it.
    pub connected: bool,
    /// How many connections this process has open to it, counted from the
    /// operating system (Linux); `None` where that cannot be counted.
    pub connections: Option<usize>,
    /// How long it took to answer its probe, or why it did not.
    pub answered: Result<Duration, String>,
}

impl Session {
    /// Probes every node the session knows, at once, with a read of its
    /// `system.local` sent to it alone (consistency `ONE`), each allowed
    /// `timeout`; never fails, a node that does not answer says why.
    pub async fn health(&self, timeout: Duration) -> Health {
        let cluster = self.driver().get_cluster_state();
        let open = crate::connections::open_connections();
        let open = &open;
        let probes = cluster.get_nodes_info().iter().map(|node| async move {
            let profile = ExecutionProfile::builder()
                .load_balancing_policy(SingleTargetLoadBalancingPolicy::new(
                    NodeIdentifier::Node(node.clone()),
                    None,
                ))
                .consistency(Consistency::One)
                .request_timeout(Some(timeout))
                .build();
            let mut probe = Statement::new(PROBE);
            probe.set_execution_profile_handle(Some(profile.into_handle()));
            let started = Instant::now();
            let answered = match self.driver().query_unpaged(probe, ()).await {
                Ok(_) => Ok(started.elapsed()),
                Err(error) => Err(error.to_string()),
            };
            let address = SocketAddr::new(node.address.ip(), node.address.port());
            NodeHealth {
                host_id: node.host_id,
                address,
                datacenter: node.datacenter.clone(),
                rack: node.rack.clone(),
                connected: node.is_connected(),
                connections: open
                    .as_ref()
                    .map(|open| open.get(&address).copied().unwrap_or(0)),
                answered,
            }
        });
        Health {
            nodes: futures::future::join_all(probes).await,
        }
    }
}

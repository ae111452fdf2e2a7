//! Connections per node, counted: the driver keeps a pool per node but
//! does not say how many connections it holds, so they are counted where
//! the operating system keeps them. On Linux, the process's sockets
//! (`/proc/self/fd`) are matched against its TCP connections
//! (`/proc/self/net/tcp` and `tcp6`) and counted per node address;
//! elsewhere nothing is counted. [`Session::health`] reports the counts,
//! and with the `metrics` feature [`Session::record_connections`] records
//! them as a gauge.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

#[cfg(feature = "metrics")]
use crate::Session;

/// The TCP state "established" in `/proc/net/tcp`.
const ESTABLISHED: &str = "01";

#[cfg(feature = "metrics")]
impl Session {
    /// Counts this process's open connections to each node of the cluster
    /// and records them as the gauge `corm_connections{node}` (`0` for a
    /// node with none); returns the counts. Call it where metrics are
    /// rendered (the example server does, on every scrape of `/metrics`).
    ///
    /// On systems other than Linux the counts are not available: nothing
    /// is recorded and the result is empty.
    pub fn record_connections(&self) -> Vec<(SocketAddr, usize)> {
        let nodes: Vec<SocketAddr> = self
            .driver()
            .get_cluster_state()
            .get_nodes_info()
            .iter()
            .map(|node| SocketAddr::new(node.address.ip(), node.address.port()))
            .collect();
        let Some(open) = open_connections() else {
            return Vec::new();
        };
        let counts: Vec<(SocketAddr, usize)> = nodes
            .into_iter()
            .map(|node| (node, open.get(&node).copied().unwrap_or(0)))
            .collect();
        for (node, count) in &counts {
            #[allow(clippy::cast_precision_loss)]
            metrics::gauge!("corm_connections", "node" => node.to_string()).set(*count as f64);
        }
        counts
    }
}

/// This process's established TCP connections, counted by remote address;
/// `None` when `/proc` cannot tell (not Linux).
pub(crate) fn open_connections() -> Option<HashMap<SocketAddr, usize>> {
    let sockets = own_sockets()?;
    let mut counts = HashMap::new();
    for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            if let Some(remote) = established_remote(line, &sockets) {
                *counts.entry(remote).or_insert(0) += 1;
            }
        }
    }
    Some(counts)
}

/// The inodes of the sockets this process has open.
fn own_sockets() -> Option<HashSet<u64>> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    Some(
        entries
            .filter_map(Result::ok)
            .filter_map(|entry| std::fs::read_link(entry.path()).ok())
            .filter_map(|target| {
                let target = target.to_str()?;
                target
                    .strip_prefix("socket:[")?
                    .strip_suffix(']')?
                    .parse()
                    .ok()
            })
            .collect(),
    )
}

/// The remote address of a `/proc/net/tcp` line, when the connection is
/// established and its socket is one of `sockets`.
fn established_remote(line: &str, sockets: &HashSet<u64>) -> Option<SocketAddr> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    let (remote, state, inode) = (fields.get(2)?, fields.get(3)?, fields.get(9)?);
    if *state != ESTABLISHED || !sockets.contains(&inode.parse().ok()?) {
        return None;
    }
    parse_address(remote)
}

/// `0100007F:4A62` (IPv4) or the 32-digit IPv6 form, as the kernel prints
/// them: the address in the host's byte order, four bytes at a time.
fn parse_address(text: &str) -> Option<SocketAddr> {
    let (address, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let words: Vec<u32> = (0..address.len() / 8)
        .map(|word| u32::from_str_radix(address.get(word * 8..word * 8 + 8)?, 16).ok())
        .collect::<Option<_>>()?;
    let bytes: Vec<u8> = words.iter().flat_map(|word| word.to_ne_bytes()).collect();
    let ip = match bytes.len() {
        4 => IpAddr::V4(Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3])),
        16 => {
            let octets: [u8; 16] = bytes.try_into().ok()?;
            let v6 = Ipv6Addr::from(octets);
            v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4)
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_endian = "little")]
    fn kernel_addresses_read_back() {
        assert_eq!(
            parse_address("0100007F:4A62"),
            Some("127.0.0.1:19042".parse().unwrap())
        );
        assert_eq!(
            parse_address("0000000000000000FFFF00000200007F:232A"),
            Some("127.0.0.2:9002".parse().unwrap())
        );
        assert_eq!(parse_address("nonsense"), None);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_connection_of_this_process_is_counted() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let _client = std::net::TcpStream::connect(address).unwrap();
        let _server = listener.accept().unwrap();
        let open = open_connections().unwrap();
        assert_eq!(open.get(&address), Some(&1), "{open:?}");
    }
}

//! The connection policies a [`Config`](super::Config) carries: routing,
//! pooling, compression, retries with backoff, speculative execution, the
//! profiles of reads and writes, and TLS.

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::time::Duration;

use scylla::statement::Consistency;

/// Which nodes coordinate a request.
///
/// Token-aware routing sends a request to a replica of its partition (the
/// driver computes the token from the bound key), preferring the local
/// datacenter, then the local rack within it, when they are named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadBalancing {
    /// The datacenter whose nodes are preferred as coordinators.
    pub local_datacenter: Option<String>,
    /// The rack, within the local datacenter, preferred first (needs
    /// `local_datacenter`).
    pub local_rack: Option<String>,
    /// Route to a replica of the request's partition (default on).
    pub token_aware: bool,
    /// When the local datacenter has no node left to try, try the other
    /// datacenters' nodes (default off: a `LOCAL_*` consistency could not be
    /// met there anyway).
    pub datacenter_failover: bool,
}

impl Default for LoadBalancing {
    fn default() -> Self {
        Self {
            local_datacenter: None,
            local_rack: None,
            token_aware: true,
            datacenter_failover: false,
        }
    }
}

/// How many connections the session keeps to each node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolSize {
    /// This many connections per node.
    PerHost(NonZeroUsize),
    /// This many per shard of a node (a Cassandra node counts as one shard).
    PerShard(NonZeroUsize),
}

impl Default for PoolSize {
    /// One connection per shard, the driver's default (one per Cassandra
    /// node; a connection carries thousands of concurrent requests).
    fn default() -> Self {
        Self::PerShard(NonZeroUsize::MIN)
    }
}

/// The compression of frames between the session and the nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// LZ4: fast, the usual choice.
    Lz4,
    /// Snappy.
    Snappy,
}

/// How a failed request is retried.
///
/// A request is retried when retrying cannot apply it twice: when the
/// coordinator refused it before doing anything (`Unavailable`,
/// `Overloaded`, still bootstrapping), always; when it may have been applied
/// (a timeout, a connection that broke under it), only if its statement is
/// idempotent. Generated code marks every statement: lightweight
/// transactions, counter updates and list appends are not idempotent, so
/// they are never retried after a timeout and never run speculatively.
///
/// The `n`th retry waits a random time up to `base_delay × 2ⁿ⁻¹`, capped at
/// `max_delay` ("full jitter"), so that clients retrying together spread
/// out. Each attempt has the whole request timeout; a request may take
/// `(1 + max_retries) × timeout` plus the waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// The cap of the first retry's wait.
    pub base_delay: Duration,
    /// The cap of any retry's wait.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// No retries.
    pub const NEVER: Self = Self {
        max_retries: 0,
        base_delay: Duration::ZERO,
        max_delay: Duration::ZERO,
    };

    /// The longest wait before retry number `retry` (from 1): `base_delay`
    /// doubled for each earlier retry, at most `max_delay`.
    pub fn delay_cap(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.base_delay
            .saturating_mul(1 << doublings)
            .min(self.max_delay)
    }
}

impl Default for RetryPolicy {
    /// Two retries, waiting up to 100 ms, then up to 200 ms (at most 2 s).
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

/// Speculative execution: when an idempotent request has not answered
/// after a while, the same request is sent to the next node of its plan as
/// well, and the first answer wins. Non-idempotent statements never run
/// speculatively.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Speculative {
    /// No speculative execution (the default).
    #[default]
    Off,
    /// Start another execution after `delay`, up to `max_executions` more.
    Fixed {
        /// How long to wait before each further execution.
        delay: Duration,
        /// How many further executions at most.
        max_executions: usize,
    },
    /// Start another execution once the request has taken longer than
    /// this percentile of the session's recent latencies (needs `corm`'s
    /// `driver-metrics` feature, which keeps the driver's latency histogram).
    Percentile {
        /// The percentile, above 0 and below 100 (`99.0`).
        percentile: f64,
        /// How many further executions at most.
        max_executions: usize,
    },
}

/// Settings for one kind of request (reads, or writes) that differ from
/// the session's defaults; `None` keeps the default.
///
/// A request's own [`Options`](crate::Options) still win over its
/// profile.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Profile {
    /// The consistency level.
    pub consistency: Option<Consistency>,
    /// The per-attempt timeout.
    pub request_timeout: Option<Duration>,
    /// Speculative execution.
    pub speculative: Option<Speculative>,
}

impl Profile {
    /// Whether the profile changes nothing.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// TLS (client encryption) with the node certificates checked against a
/// CA, and a client certificate when the cluster asks for one.
///
/// Needs `corm`'s `tls` feature (rustls). The driver checks each node's
/// certificate for the node's IP address, so certificates must name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls {
    /// PEM file of the certificate authorities the nodes' certificates
    /// must chain to.
    pub ca: PathBuf,
    /// PEM certificate chain of this client, for clusters that require
    /// client authentication.
    pub client_cert: Option<PathBuf>,
    /// PEM private key of `client_cert`.
    pub client_key: Option<PathBuf>,
}

impl Tls {
    /// TLS checking node certificates against the CAs in the PEM file `ca`.
    pub fn new(ca: impl Into<PathBuf>) -> Self {
        Self {
            ca: ca.into(),
            client_cert: None,
            client_key: None,
        }
    }

    /// Presents `cert` (a PEM chain) with its key `key` to the nodes.
    #[must_use]
    pub fn client_certificate(mut self, cert: impl Into<PathBuf>, key: impl Into<PathBuf>) -> Self {
        self.client_cert = Some(cert.into());
        self.client_key = Some(key.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_cap(1), Duration::from_millis(100));
        assert_eq!(policy.delay_cap(2), Duration::from_millis(200));
        assert_eq!(policy.delay_cap(5), Duration::from_millis(1600));
        assert_eq!(policy.delay_cap(6), Duration::from_secs(2));
        assert_eq!(policy.delay_cap(u32::MAX), Duration::from_secs(2));
        assert_eq!(RetryPolicy::NEVER.delay_cap(3), Duration::ZERO);
    }
}

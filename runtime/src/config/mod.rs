//! Connection configuration: built in code, read from `CORM_*` variables
//! ([`env`]) or a TOML file ([`file`]), with the connection policies of
//! [`policy`].

mod env;
mod file;
mod policy;
mod values;

use std::path::Path;
use std::time::Duration;

use scylla::statement::Consistency;

pub use policy::{Compression, LoadBalancing, PoolSize, Profile, RetryPolicy, Speculative, Tls};

/// The contact point used when none is configured: a local node.
pub const DEFAULT_CONTACT_POINT: &str = "127.0.0.1:9042";

/// How to reach a cluster, how to treat its nodes and what to ask of it by
/// default.
///
/// Build one in code with [`Config::new`] and its setters, read one from
/// the environment with [`Config::from_env`], or from a TOML file with
/// [`Config::from_file`] (`CORM_CONFIG` names a file that `from_env` reads
/// first; the variables then override it). docs/operations.md lists every
/// setting; the variables:
///
/// | variable | meaning | default |
/// | --- | --- | --- |
/// | `CORM_CONFIG` | a TOML file read before the variables | none |
/// | `CORM_CONTACT_POINTS` | comma-separated `host:port` list | `127.0.0.1:9042` |
/// | `CORM_LOCAL_DC`, `CORM_LOCAL_RACK` | datacenter (and rack in it) to prefer when routing | none |
/// | `CORM_TOKEN_AWARE` | route to a replica of the partition (`true`/`false`) | `true` |
/// | `CORM_DC_FAILOVER` | try other datacenters when the local one has no node left | `false` |
/// | `CORM_KEYSPACE` | keyspace the session uses | none |
/// | `CORM_CONSISTENCY` | default consistency (`one`, `local_quorum`, …) | `local_quorum` |
/// | `CORM_REQUEST_TIMEOUT` | per-attempt timeout (`500ms`, `5s`, `1m`) | `12s` |
/// | `CORM_CONNECT_TIMEOUT` | per-connection setup timeout | `5s` |
/// | `CORM_READ_CONSISTENCY`, `CORM_READ_TIMEOUT`, `CORM_READ_SPECULATIVE` | the reads' profile | the defaults |
/// | `CORM_WRITE_CONSISTENCY`, `CORM_WRITE_TIMEOUT`, `CORM_WRITE_SPECULATIVE` | the writes' profile | the defaults |
/// | `CORM_SPECULATIVE` | speculative execution: a delay (`50ms`) or a percentile (`p99`), then optionally `x2` for at most two more executions | none |
/// | `CORM_RETRIES` | retries of a failed request | `2` |
/// | `CORM_RETRY_DELAY` | the first retry's longest wait, doubling per retry | `100ms` |
/// | `CORM_RETRY_MAX_DELAY` | the longest wait of any retry | `2s` |
/// | `CORM_POOL` | connections per node (`per-host:2`) or per shard (`per-shard:1`) | `per-shard:1` |
/// | `CORM_COMPRESSION` | `lz4`, `snappy` or `none` | `none` |
/// | `CORM_KEEPALIVE` | CQL keepalive interval (`0s` turns it off) | `30s` |
/// | `CORM_TCP_KEEPALIVE` | TCP keepalive interval | none |
/// | `CORM_TLS_CA`, `CORM_TLS_CERT`, `CORM_TLS_KEY` | TLS: CA file, client certificate and key (feature `tls`) | none |
/// | `CORM_USERNAME`, `CORM_PASSWORD` | password authentication | none |
/// | `CORM_UNIQUE_CLAIM_GRACE` | age after which a `@unique` claim its row does not hold may be taken over | 60 s, or 20 s more than the longest write |
/// | `CORM_SLOW_REQUEST` | requests slower than this are logged with their statement | none |
/// | `CORM_TRACE_VALUES` | record bound values in request spans (`true`/`false`) | `false` |
#[derive(Clone, PartialEq)]
pub struct Config {
    /// Nodes to connect to first, as `host:port`.
    pub contact_points: Vec<String>,
    /// Which nodes coordinate requests.
    pub load_balancing: LoadBalancing,
    /// The keyspace the session uses for unqualified table names.
    pub keyspace: Option<String>,
    /// The consistency level of requests that don't set their own.
    pub consistency: Consistency,
    /// How long one attempt of a request may take before it fails.
    pub request_timeout: Duration,
    /// How long setting up one connection may take.
    pub connect_timeout: Duration,
    /// How long a schema change waits for every reachable node to agree
    /// on the schema before it fails with [`Error::SchemaAgreement`](crate::Error::SchemaAgreement).
    pub schema_agreement_timeout: Duration,
    /// Speculative execution of idempotent requests (off by default).
    pub speculative: Speculative,
    /// What reads (`SELECT`s) do differently from the defaults.
    pub reads: Profile,
    /// What writes do differently from the defaults.
    pub writes: Profile,
    /// Retries of failed requests.
    pub retry: RetryPolicy,
    /// Connections per node.
    pub pool: PoolSize,
    /// Frame compression.
    pub compression: Option<Compression>,
    /// How often an idle connection sends a CQL keepalive (`None`: never).
    pub keepalive: Option<Duration>,
    /// The TCP keepalive interval of connections (`None`: the system's).
    pub tcp_keepalive: Option<Duration>,
    /// TLS, when the cluster has client encryption on.
    pub tls: Option<Tls>,
    /// Password authentication, when the cluster requires it.
    pub credentials: Option<Credentials>,
    /// How old a `@unique` claim must be before another row may take it
    /// over when the claim's own row does not hold the value (see
    /// [`crate::unique`]); it must be longer than any write takes. `None`:
    /// [`Config::claim_grace`] chooses.
    pub unique_claim_grace: Option<Duration>,
    /// Requests slower than this are logged with their statement (a
    /// `WARN` event of target `corm`); `None` logs none.
    pub slow_request_threshold: Option<Duration>,
    /// Record each request's bound values in its span
    /// (`db.query.parameters`). Off by default: values are often personal
    /// data.
    pub trace_values: bool,
}

/// A user name and password for Cassandra's password authenticator.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The role to log in as.
    pub username: String,
    /// Its password; never printed by `Debug`.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("contact_points", &self.contact_points)
            .field("load_balancing", &self.load_balancing)
            .field("keyspace", &self.keyspace)
            .field("consistency", &self.consistency)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("schema_agreement_timeout", &self.schema_agreement_timeout)
            .field("speculative", &self.speculative)
            .field("reads", &self.reads)
            .field("writes", &self.writes)
            .field("retry", &self.retry)
            .field("pool", &self.pool)
            .field("compression", &self.compression)
            .field("keepalive", &self.keepalive)
            .field("tcp_keepalive", &self.tcp_keepalive)
            .field("tls", &self.tls)
            .field("credentials", &self.credentials)
            .field("unique_claim_grace", &self.unique_claim_grace)
            .field("slow_request_threshold", &self.slow_request_threshold)
            .field("trace_values", &self.trace_values)
            .finish()
    }
}

/// A configuration value that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// No contact point was given.
    #[error("no contact points: give at least one `host:port`")]
    NoContactPoints,
    /// A variable held a value that does not parse.
    #[error("{variable}={value:?}: {problem}")]
    InvalidVariable {
        /// The variable, such as `CORM_CONSISTENCY`.
        variable: &'static str,
        /// What it held.
        value: String,
        /// What is wrong and what would be accepted.
        problem: String,
    },
    /// A configuration file could not be read.
    #[error("cannot read the configuration file {path}: {problem}")]
    UnreadableFile {
        /// The file.
        path: String,
        /// Why.
        problem: String,
    },
    /// A configuration file is not valid TOML or has a setting that does
    /// not parse; the message has the line and column.
    #[error("{path}: {problem}")]
    InvalidFile {
        /// The file.
        path: String,
        /// What is wrong, where.
        problem: String,
    },
    /// A TLS file (CA, client certificate or key) that cannot be used.
    #[error("TLS file {file}: {problem}")]
    InvalidTls {
        /// The file.
        file: String,
        /// Why it cannot be used.
        problem: String,
    },
    /// Settings that cannot be used together, or that need a feature this
    /// build of `corm` lacks.
    #[error("{0}")]
    Unsupported(String),
}

impl Default for Config {
    fn default() -> Self {
        Self::new([DEFAULT_CONTACT_POINT])
    }
}

impl Config {
    /// A configuration for the given contact points with default settings.
    pub fn new(contact_points: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            contact_points: contact_points.into_iter().map(Into::into).collect(),
            load_balancing: LoadBalancing::default(),
            keyspace: None,
            consistency: Consistency::LocalQuorum,
            request_timeout: Duration::from_secs(12),
            connect_timeout: Duration::from_secs(5),
            schema_agreement_timeout: Duration::from_secs(60),
            speculative: Speculative::Off,
            reads: Profile::default(),
            writes: Profile::default(),
            retry: RetryPolicy::default(),
            pool: PoolSize::default(),
            compression: None,
            keepalive: Some(Duration::from_secs(30)),
            tcp_keepalive: None,
            tls: None,
            credentials: None,
            unique_claim_grace: None,
            slow_request_threshold: None,
            trace_values: false,
        }
    }

    /// Reads the configuration from the file `CORM_CONFIG` names, if any,
    /// then the `CORM_*` variables (which override the file).
    ///
    /// # Errors
    /// [`ConfigError::InvalidVariable`] names a variable whose value does not
    /// parse; [`ConfigError::NoContactPoints`] when the list is empty; the
    /// errors of [`Config::from_file`] for the file.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], with the variables read through `lookup`.
    ///
    /// # Errors
    /// As for [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let base = match lookup("CORM_CONFIG").filter(|path| !path.trim().is_empty()) {
            Some(path) => Self::read_file(Path::new(path.trim()))?,
            None => Self::default(),
        };
        env::apply(base, &lookup)
    }

    /// Reads the configuration from a TOML file (its format is in
    /// docs/operations.md); the variables are not read.
    ///
    /// # Errors
    /// [`ConfigError::UnreadableFile`] when the file cannot be read;
    /// [`ConfigError::InvalidFile`] with the line and column of a setting
    /// that does not parse or is unknown; [`ConfigError::NoContactPoints`],
    /// [`ConfigError::Unsupported`] for settings that do not go together.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let config = Self::read_file(path.as_ref())?;
        config.check()?;
        Ok(config)
    }

    fn read_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError::UnreadableFile {
            path: path.display().to_string(),
            problem: err.to_string(),
        })?;
        file::parse(&path.display().to_string(), &text)
    }

    /// Checks the settings that depend on each other.
    ///
    /// # Errors
    /// [`ConfigError::NoContactPoints`]; [`ConfigError::Unsupported`] for a
    /// `@unique` claim grace set no longer than [`Config::longest_write`], a
    /// rack without a datacenter, a client certificate without its key (or
    /// the reverse), TLS without the `tls` feature, or a percentile
    /// speculative execution without the `driver-metrics` feature.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.contact_points.is_empty() {
            return Err(ConfigError::NoContactPoints);
        }
        if self.load_balancing.local_rack.is_some()
            && self.load_balancing.local_datacenter.is_none()
        {
            return Err(ConfigError::Unsupported(
                "a local rack needs a local datacenter (CORM_LOCAL_DC, load_balancing.local_datacenter)".to_owned(),
            ));
        }
        if let Some(tls) = &self.tls {
            if tls.client_cert.is_some() != tls.client_key.is_some() {
                return Err(ConfigError::Unsupported(
                    "a TLS client certificate needs its key, and a key its certificate".to_owned(),
                ));
            }
            if !cfg!(feature = "tls") {
                return Err(ConfigError::Unsupported(
                    "TLS is configured but this build of corm has no TLS: enable its `tls` feature"
                        .to_owned(),
                ));
            }
        }
        let longest_write = self.longest_write();
        if let Some(grace) = self.unique_claim_grace
            && grace <= longest_write
        {
            return Err(ConfigError::Unsupported(format!(
                "the @unique claim grace ({grace:?}) must exceed the longest a write can take with its timeout and retries ({longest_write:?}): a write that slow could land after its claim was taken over; raise it, lower the timeout or retries, or leave the grace unset to have it chosen"
            )));
        }
        let percentile = [
            Some(self.speculative),
            self.reads.speculative,
            self.writes.speculative,
        ]
        .into_iter()
        .flatten()
        .any(|speculative| matches!(speculative, Speculative::Percentile { .. }));
        if percentile && !cfg!(feature = "driver-metrics") {
            return Err(ConfigError::Unsupported(
                "a percentile speculative execution needs the driver's latency histogram: enable corm's `driver-metrics` feature, or give a delay".to_owned(),
            ));
        }
        Ok(())
    }

    /// The `@unique` claim grace in effect: the one set, or else
    /// [`DEFAULT_GRACE`](crate::unique::DEFAULT_GRACE) (60 s), raised to 20 s
    /// more than [`Config::longest_write`] when writes can take longer.
    pub fn claim_grace(&self) -> Duration {
        self.unique_claim_grace.unwrap_or_else(|| {
            crate::unique::DEFAULT_GRACE
                .max(self.longest_write().saturating_add(Duration::from_secs(20)))
        })
    }

    /// The longest a write can take: every attempt its whole timeout, every
    /// retry its longest wait.
    pub fn longest_write(&self) -> Duration {
        let timeout = self.writes.request_timeout.unwrap_or(self.request_timeout);
        let attempts = self.retry.max_retries.saturating_add(1);
        let waits = (1..=self.retry.max_retries)
            .map(|retry| self.retry.delay_cap(retry))
            .fold(Duration::ZERO, Duration::saturating_add);
        timeout.saturating_mul(attempts).saturating_add(waits)
    }

    /// Sets the datacenter whose nodes are preferred as coordinators.
    #[must_use]
    pub fn local_datacenter(mut self, datacenter: impl Into<String>) -> Self {
        self.load_balancing.local_datacenter = Some(datacenter.into());
        self
    }

    /// Sets the rack, in the local datacenter, whose nodes are preferred
    /// first.
    #[must_use]
    pub fn local_rack(mut self, rack: impl Into<String>) -> Self {
        self.load_balancing.local_rack = Some(rack.into());
        self
    }

    /// Sets the keyspace the session uses for unqualified table names.
    #[must_use]
    pub fn keyspace(mut self, keyspace: impl Into<String>) -> Self {
        self.keyspace = Some(keyspace.into());
        self
    }

    /// Sets the default consistency level.
    #[must_use]
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = consistency;
        self
    }

    /// Sets the per-attempt request timeout.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets speculative execution for idempotent requests.
    #[must_use]
    pub fn speculative(mut self, speculative: Speculative) -> Self {
        self.speculative = speculative;
        self
    }

    /// Sets what reads do differently from the defaults.
    #[must_use]
    pub fn reads(mut self, profile: Profile) -> Self {
        self.reads = profile;
        self
    }

    /// Sets what writes do differently from the defaults.
    #[must_use]
    pub fn writes(mut self, profile: Profile) -> Self {
        self.writes = profile;
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the number of connections per node.
    #[must_use]
    pub fn pool(mut self, pool: PoolSize) -> Self {
        self.pool = pool;
        self
    }

    /// Sets frame compression.
    #[must_use]
    pub fn compression(mut self, compression: Option<Compression>) -> Self {
        self.compression = compression;
        self
    }

    /// Connects with TLS.
    #[must_use]
    pub fn tls(mut self, tls: Tls) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Sets the time from which a request is logged as slow, with its
    /// statement (`None`: none is).
    #[must_use]
    pub fn slow_request_threshold(mut self, threshold: Option<Duration>) -> Self {
        self.slow_request_threshold = threshold;
        self
    }

    /// Records (or not) each request's bound values in its span.
    #[must_use]
    pub fn trace_values(mut self, trace: bool) -> Self {
        self.trace_values = trace;
        self
    }

    /// Sets how old a `@unique` claim must be before another row may take
    /// it over when the claim's own row does not hold the value.
    #[must_use]
    pub fn unique_claim_grace(mut self, grace: Duration) -> Self {
        self.unique_claim_grace = Some(grace);
        self
    }

    /// Sets how long a schema change waits for schema agreement (60 s by
    /// default).
    #[must_use]
    pub fn schema_agreement_timeout(mut self, timeout: Duration) -> Self {
        self.schema_agreement_timeout = timeout;
        self
    }

    /// Sets the per-connection setup timeout.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Logs in with Cassandra's password authenticator.
    #[must_use]
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials {
            username: username.into(),
            password: password.into(),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn empty_environment_gives_a_local_node() {
        let config = Config::from_lookup(lookup(&[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config, Config::default());
        assert_eq!(config.contact_points, [DEFAULT_CONTACT_POINT]);
        assert_eq!(config.consistency, Consistency::LocalQuorum);
    }

    #[test]
    fn every_variable_is_read() {
        let config = Config::from_lookup(lookup(&[
            ("CORM_CONTACT_POINTS", " 10.0.0.1:9042, 10.0.0.2:9043 ,"),
            ("CORM_LOCAL_DC", "dc1"),
            ("CORM_LOCAL_RACK", "r2"),
            ("CORM_TOKEN_AWARE", "false"),
            ("CORM_DC_FAILOVER", "true"),
            ("CORM_KEYSPACE", "shop"),
            ("CORM_CONSISTENCY", "LOCAL_ONE"),
            ("CORM_REQUEST_TIMEOUT", "750ms"),
            ("CORM_CONNECT_TIMEOUT", "2s"),
            ("CORM_SPECULATIVE", "20ms x2"),
            ("CORM_READ_CONSISTENCY", "one"),
            ("CORM_READ_TIMEOUT", "300ms"),
            ("CORM_WRITE_CONSISTENCY", "quorum"),
            ("CORM_WRITE_SPECULATIVE", "off"),
            ("CORM_RETRIES", "5"),
            ("CORM_RETRY_DELAY", "10ms"),
            ("CORM_RETRY_MAX_DELAY", "1s"),
            ("CORM_POOL", "per-host:3"),
            ("CORM_COMPRESSION", "lz4"),
            ("CORM_KEEPALIVE", "10s"),
            ("CORM_TCP_KEEPALIVE", "1m"),
            ("CORM_USERNAME", "app"),
            ("CORM_PASSWORD", "s3cret"),
            ("CORM_TRACE_VALUES", "true"),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
        let mut expected = Config::new(["10.0.0.1:9042", "10.0.0.2:9043"])
            .local_datacenter("dc1")
            .local_rack("r2")
            .keyspace("shop")
            .consistency(Consistency::LocalOne)
            .request_timeout(Duration::from_millis(750))
            .connect_timeout(Duration::from_secs(2))
            .speculative(Speculative::Fixed {
                delay: Duration::from_millis(20),
                max_executions: 2,
            })
            .reads(Profile {
                consistency: Some(Consistency::One),
                request_timeout: Some(Duration::from_millis(300)),
                speculative: None,
            })
            .writes(Profile {
                consistency: Some(Consistency::Quorum),
                request_timeout: None,
                speculative: Some(Speculative::Off),
            })
            .retry(RetryPolicy {
                max_retries: 5,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_secs(1),
            })
            .pool(PoolSize::PerHost(
                std::num::NonZeroUsize::new(3).unwrap_or(std::num::NonZeroUsize::MIN),
            ))
            .compression(Some(Compression::Lz4))
            .credentials("app", "s3cret");
        expected.load_balancing.token_aware = false;
        expected.load_balancing.datacenter_failover = true;
        expected.keepalive = Some(Duration::from_secs(10));
        expected.tcp_keepalive = Some(Duration::from_secs(60));
        expected.trace_values = true;
        assert_eq!(config, expected);
        assert!(!format!("{config:?}").contains("s3cret"));
    }

    #[test]
    fn variables_override_the_file() {
        let dir = std::env::temp_dir().join(format!("corm-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("corm.toml");
        std::fs::write(&path, "keyspace = \"from_file\"\nconsistency = \"all\"\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let path_text = path.display().to_string();
        let config = Config::from_lookup(lookup(&[
            ("CORM_CONFIG", &path_text),
            ("CORM_KEYSPACE", "from_variable"),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.keyspace.as_deref(), Some("from_variable"));
        assert_eq!(config.consistency, Consistency::All);
        let missing = dir.join("missing.toml").display().to_string();
        let err = Config::from_lookup(lookup(&[("CORM_CONFIG", &missing)])).unwrap_err();
        assert!(matches!(err, ConfigError::UnreadableFile { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_claim_grace_outlasts_the_longest_write() {
        let default = Config::default();
        assert_eq!(default.longest_write(), Duration::from_millis(36_300));
        assert_eq!(default.claim_grace(), Duration::from_secs(60));
        let slow = Config::default().request_timeout(Duration::from_secs(60));
        assert_eq!(slow.claim_grace(), Duration::from_millis(200_300));
        assert_eq!(slow.check(), Ok(()));
        let too_short = slow.unique_claim_grace(Duration::from_secs(90));
        let err = too_short.check().unwrap_err();
        assert!(
            err.to_string().contains("longest a write can take"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = Config::from_lookup(lookup(&[("CORM_CONSISTENCY", "most")])).unwrap_err();
        assert!(
            err.to_string().starts_with("CORM_CONSISTENCY=\"most\""),
            "{err}"
        );
        let err = Config::from_lookup(lookup(&[("CORM_REQUEST_TIMEOUT", "5 sec")])).unwrap_err();
        assert!(err.to_string().contains("CORM_REQUEST_TIMEOUT"), "{err}");
        let err = Config::from_lookup(lookup(&[("CORM_CONTACT_POINTS", " , ")])).unwrap_err();
        assert_eq!(err, ConfigError::NoContactPoints);
        let err = Config::from_lookup(lookup(&[("CORM_LOCAL_RACK", "r1")])).unwrap_err();
        assert!(err.to_string().contains("local datacenter"), "{err}");
        let err = Config::from_lookup(lookup(&[
            ("CORM_TLS_CA", "ca.pem"),
            ("CORM_TLS_KEY", "k.pem"),
        ]))
        .unwrap_err();
        assert!(err.to_string().contains("certificate"), "{err}");
    }
}

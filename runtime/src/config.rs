//! Connection configuration: built in code or read from `CORM_*` variables.

use std::time::Duration;

use scylla::statement::Consistency;

/// The contact point used when none is configured: a local node.
pub const DEFAULT_CONTACT_POINT: &str = "127.0.0.1:9042";

/// How to reach a cluster and what to ask of it by default.
///
/// Build one in code with [`Config::new`] and its setters, or read one from
/// the environment with [`Config::from_env`]:
///
/// | variable | meaning | default |
/// | --- | --- | --- |
/// | `CORM_CONTACT_POINTS` | comma-separated `host:port` list | `127.0.0.1:9042` |
/// | `CORM_LOCAL_DC` | datacenter to prefer when routing | none |
/// | `CORM_KEYSPACE` | keyspace the session uses | none |
/// | `CORM_CONSISTENCY` | default consistency (`one`, `local_quorum`, …) | `local_quorum` |
/// | `CORM_REQUEST_TIMEOUT` | per-request timeout (`500ms`, `5s`, `1m`) | `12s` |
/// | `CORM_CONNECT_TIMEOUT` | per-connection setup timeout | `5s` |
/// | `CORM_USERNAME`, `CORM_PASSWORD` | password authentication | none |
/// | `CORM_UNIQUE_CLAIM_GRACE` | age after which a `@unique` claim its row does not hold may be taken over | `30s` |
/// | `CORM_SLOW_REQUEST` | requests slower than this are logged with their statement | none |
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// Nodes to connect to first, as `host:port`.
    pub contact_points: Vec<String>,
    /// The datacenter whose nodes are preferred as coordinators.
    pub local_datacenter: Option<String>,
    /// The keyspace the session uses for unqualified table names.
    pub keyspace: Option<String>,
    /// The consistency level of requests that don't set their own.
    pub consistency: Consistency,
    /// How long one request may take before it fails.
    pub request_timeout: Duration,
    /// How long setting up one connection may take.
    pub connect_timeout: Duration,
    /// Password authentication, when the cluster requires it.
    pub credentials: Option<Credentials>,
    /// How old a `@unique` claim must be before another row may take it
    /// over when the claim's own row does not hold the value (see
    /// [`crate::unique`]); longer than any write takes.
    pub unique_claim_grace: Duration,
    /// Requests slower than this are logged with their statement (a
    /// `WARN` event of target `corm`); `None` logs none.
    pub slow_request_threshold: Option<Duration>,
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
            .field("local_datacenter", &self.local_datacenter)
            .field("keyspace", &self.keyspace)
            .field("consistency", &self.consistency)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("credentials", &self.credentials)
            .field("unique_claim_grace", &self.unique_claim_grace)
            .field("slow_request_threshold", &self.slow_request_threshold)
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
            local_datacenter: None,
            keyspace: None,
            consistency: Consistency::LocalQuorum,
            request_timeout: Duration::from_secs(12),
            connect_timeout: Duration::from_secs(5),
            credentials: None,
            unique_claim_grace: crate::unique::DEFAULT_GRACE,
            slow_request_threshold: None,
        }
    }

    /// Reads the configuration from the `CORM_*` environment variables.
    ///
    /// # Errors
    /// [`ConfigError::InvalidVariable`] names a variable whose value does not
    /// parse; [`ConfigError::NoContactPoints`] when the list is empty.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`Config::from_env`], with the variables read through `lookup`.
    ///
    /// # Errors
    /// As for [`Config::from_env`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let mut config = match get("CORM_CONTACT_POINTS") {
            Some(list) => Self::new(
                list.split(',')
                    .map(str::trim)
                    .filter(|point| !point.is_empty())
                    .map(str::to_owned),
            ),
            None => Self::default(),
        };
        if config.contact_points.is_empty() {
            return Err(ConfigError::NoContactPoints);
        }
        config.local_datacenter = get("CORM_LOCAL_DC");
        config.keyspace = get("CORM_KEYSPACE");
        if let Some(value) = get("CORM_CONSISTENCY") {
            config.consistency =
                parse_consistency(&value).ok_or_else(|| ConfigError::InvalidVariable {
                    variable: "CORM_CONSISTENCY",
                    value: value.clone(),
                    problem: format!(
                        "not a consistency level; expected one of {CONSISTENCY_NAMES}"
                    ),
                })?;
        }
        if let Some(value) = get("CORM_REQUEST_TIMEOUT") {
            config.request_timeout = duration_variable("CORM_REQUEST_TIMEOUT", &value)?;
        }
        if let Some(value) = get("CORM_CONNECT_TIMEOUT") {
            config.connect_timeout = duration_variable("CORM_CONNECT_TIMEOUT", &value)?;
        }
        if let Some(value) = get("CORM_UNIQUE_CLAIM_GRACE") {
            config.unique_claim_grace = duration_variable("CORM_UNIQUE_CLAIM_GRACE", &value)?;
        }
        if let Some(value) = get("CORM_SLOW_REQUEST") {
            config.slow_request_threshold = Some(duration_variable("CORM_SLOW_REQUEST", &value)?);
        }
        if let Some(username) = get("CORM_USERNAME") {
            let password = lookup("CORM_PASSWORD").unwrap_or_default();
            config.credentials = Some(Credentials { username, password });
        }
        Ok(config)
    }

    /// Sets the datacenter whose nodes are preferred as coordinators.
    #[must_use]
    pub fn local_datacenter(mut self, datacenter: impl Into<String>) -> Self {
        self.local_datacenter = Some(datacenter.into());
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

    /// Sets the per-request timeout.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the time from which a request is logged as slow, with its
    /// statement (`None`: none is).
    #[must_use]
    pub fn slow_request_threshold(mut self, threshold: Option<Duration>) -> Self {
        self.slow_request_threshold = threshold;
        self
    }

    /// Sets how old a `@unique` claim must be before another row may take
    /// it over when the claim's own row does not hold the value.
    #[must_use]
    pub fn unique_claim_grace(mut self, grace: Duration) -> Self {
        self.unique_claim_grace = grace;
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

const CONSISTENCY_NAMES: &str =
    "any, one, two, three, quorum, all, local_quorum, each_quorum, local_one, serial, local_serial";

fn parse_consistency(value: &str) -> Option<Consistency> {
    Some(match value.trim().to_ascii_lowercase().as_str() {
        "any" => Consistency::Any,
        "one" => Consistency::One,
        "two" => Consistency::Two,
        "three" => Consistency::Three,
        "quorum" => Consistency::Quorum,
        "all" => Consistency::All,
        "local_quorum" => Consistency::LocalQuorum,
        "each_quorum" => Consistency::EachQuorum,
        "local_one" => Consistency::LocalOne,
        "serial" => Consistency::Serial,
        "local_serial" => Consistency::LocalSerial,
        _ => return None,
    })
}

fn duration_variable(variable: &'static str, value: &str) -> Result<Duration, ConfigError> {
    parse_duration(value).ok_or_else(|| ConfigError::InvalidVariable {
        variable,
        value: value.to_owned(),
        problem: "not a duration; write a whole number and a unit: `500ms`, `5s`, `1m`".to_owned(),
    })
}

/// Parses `500ms`, `5s` or `1m`.
fn parse_duration(value: &str) -> Option<Duration> {
    let value = value.trim();
    let digits_end = value.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = value.split_at(digits_end);
    let number: u64 = number.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(number)),
        "s" => Some(Duration::from_secs(number)),
        "m" => number.checked_mul(60).map(Duration::from_secs),
        _ => None,
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
            ("CORM_KEYSPACE", "shop"),
            ("CORM_CONSISTENCY", "LOCAL_ONE"),
            ("CORM_REQUEST_TIMEOUT", "750ms"),
            ("CORM_CONNECT_TIMEOUT", "2s"),
            ("CORM_USERNAME", "app"),
            ("CORM_PASSWORD", "s3cret"),
        ]))
        .unwrap_or_else(|e| panic!("{e}"));
        let expected = Config::new(["10.0.0.1:9042", "10.0.0.2:9043"])
            .local_datacenter("dc1")
            .keyspace("shop")
            .consistency(Consistency::LocalOne)
            .request_timeout(Duration::from_millis(750))
            .connect_timeout(Duration::from_secs(2))
            .credentials("app", "s3cret");
        assert_eq!(config, expected);
        assert!(!format!("{config:?}").contains("s3cret"));
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
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("12s"), Some(Duration::from_secs(12)));
        assert_eq!(parse_duration("0ms"), Some(Duration::ZERO));
        assert_eq!(parse_duration("ms"), None);
        assert_eq!(parse_duration("5h"), None);
        assert_eq!(parse_duration("5"), None);
    }
}

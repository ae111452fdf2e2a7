//! A configuration file in TOML: the same settings as the variables, in
//! tables. Unknown keys are refused (a misspelt setting would otherwise be
//! silently ignored), and a value that does not parse is reported with its
//! line and column.
//!
//! ```toml
//! contact_points = ["10.0.0.1:9042", "10.0.0.2:9042"]
//! keyspace = "shop"
//! consistency = "local_quorum"
//! request_timeout = "2s"
//! speculative = "p99"
//! compression = "lz4"
//! pool = "per-host:2"
//!
//! [load_balancing]
//! local_datacenter = "dc1"
//! local_rack = "rack1"
//!
//! [reads]
//! consistency = "local_one"
//! speculative = "50ms x2"
//!
//! [retry]
//! max_retries = 3
//!
//! [tls]
//! ca = "/etc/corm/ca.pem"
//! ```

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::policy::{Profile, Tls};
use super::{Config, ConfigError, Credentials, values};

/// A setting written as text, with where it is in the file.
type Text = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    contact_points: Option<Vec<String>>,
    keyspace: Option<String>,
    consistency: Option<Text>,
    request_timeout: Option<Text>,
    connect_timeout: Option<Text>,
    schema_agreement_timeout: Option<Text>,
    speculative: Option<Text>,
    pool: Option<Text>,
    compression: Option<Text>,
    keepalive: Option<Text>,
    tcp_keepalive: Option<Text>,
    unique_claim_grace: Option<Text>,
    slow_request: Option<Text>,
    trace_values: Option<bool>,
    load_balancing: Option<LoadBalancingTable>,
    reads: Option<ProfileTable>,
    writes: Option<ProfileTable>,
    retry: Option<RetryTable>,
    tls: Option<TlsTable>,
    auth: Option<AuthTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoadBalancingTable {
    local_datacenter: Option<String>,
    local_rack: Option<String>,
    token_aware: Option<bool>,
    datacenter_failover: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileTable {
    consistency: Option<Text>,
    request_timeout: Option<Text>,
    speculative: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetryTable {
    max_retries: Option<u32>,
    base_delay: Option<Text>,
    max_delay: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TlsTable {
    ca: String,
    cert: Option<String>,
    key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthTable {
    username: String,
    /// Better given as `CORM_PASSWORD`, out of the file.
    password: Option<String>,
}

/// The configuration `text` (the file `path`) describes, over the defaults.
pub(super) fn parse(path: &str, text: &str) -> Result<Config, ConfigError> {
    let file: File = toml::from_str(text).map_err(|err| ConfigError::InvalidFile {
        path: path.to_owned(),
        problem: match err.span() {
            Some(span) => format!("{}: {}", position(text, &span), err.message()),
            None => err.message().to_owned(),
        },
    })?;
    let setting = Setting { path, text };
    let mut config = Config::default();
    if let Some(points) = file.contact_points {
        config.contact_points = points;
    }
    config.keyspace = file.keyspace;
    setting.read(
        &file.consistency,
        values::consistency,
        &mut config.consistency,
    )?;
    setting.read(
        &file.request_timeout,
        values::duration,
        &mut config.request_timeout,
    )?;
    setting.read(
        &file.connect_timeout,
        values::duration,
        &mut config.connect_timeout,
    )?;
    setting.read(
        &file.schema_agreement_timeout,
        values::duration,
        &mut config.schema_agreement_timeout,
    )?;
    setting.read(
        &file.speculative,
        values::speculative,
        &mut config.speculative,
    )?;
    setting.read(&file.pool, values::pool, &mut config.pool)?;
    setting.read(
        &file.compression,
        values::compression,
        &mut config.compression,
    )?;
    setting.read(&file.keepalive, values::keepalive, &mut config.keepalive)?;
    setting.read(
        &file.tcp_keepalive,
        values::keepalive,
        &mut config.tcp_keepalive,
    )?;
    if let Some(grace) = &file.unique_claim_grace {
        config.unique_claim_grace = Some(setting.parse(grace, values::duration)?);
    }
    if let Some(slow) = &file.slow_request {
        config.slow_request_threshold = Some(setting.parse(slow, values::duration)?);
    }
    if let Some(trace) = file.trace_values {
        config.trace_values = trace;
    }
    if let Some(table) = file.load_balancing {
        let balancing = &mut config.load_balancing;
        balancing.local_datacenter = table.local_datacenter;
        balancing.local_rack = table.local_rack;
        if let Some(token_aware) = table.token_aware {
            balancing.token_aware = token_aware;
        }
        if let Some(failover) = table.datacenter_failover {
            balancing.datacenter_failover = failover;
        }
    }
    for (table, profile) in [
        (file.reads, &mut config.reads),
        (file.writes, &mut config.writes),
    ] {
        if let Some(table) = table {
            *profile = setting.profile(&table)?;
        }
    }
    if let Some(retry) = file.retry {
        if let Some(max_retries) = retry.max_retries {
            config.retry.max_retries = max_retries;
        }
        setting.read(
            &retry.base_delay,
            values::duration,
            &mut config.retry.base_delay,
        )?;
        setting.read(
            &retry.max_delay,
            values::duration,
            &mut config.retry.max_delay,
        )?;
    }
    config.tls = file.tls.map(|tls| Tls {
        ca: tls.ca.into(),
        client_cert: tls.cert.map(Into::into),
        client_key: tls.key.map(Into::into),
    });
    config.credentials = file.auth.map(|auth| Credentials {
        username: auth.username,
        password: auth.password.unwrap_or_default(),
    });
    Ok(config)
}

/// Parses settings of one file, naming the file, line and column of a bad
/// one.
struct Setting<'a> {
    path: &'a str,
    text: &'a str,
}

impl Setting<'_> {
    fn parse<T>(
        &self,
        value: &Text,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        parse(value.get_ref()).map_err(|problem| ConfigError::InvalidFile {
            path: self.path.to_owned(),
            problem: format!(
                "{}: {:?}: {problem}",
                position(self.text, &value.span()),
                value.get_ref()
            ),
        })
    }

    fn read<T>(
        &self,
        value: &Option<Text>,
        parse: impl Fn(&str) -> Result<T, String>,
        slot: &mut T,
    ) -> Result<(), ConfigError> {
        if let Some(value) = value {
            *slot = self.parse(value, parse)?;
        }
        Ok(())
    }

    fn profile(&self, table: &ProfileTable) -> Result<Profile, ConfigError> {
        Ok(Profile {
            consistency: table
                .consistency
                .as_ref()
                .map(|value| self.parse(value, values::consistency))
                .transpose()?,
            request_timeout: table
                .request_timeout
                .as_ref()
                .map(|value| self.parse(value, values::duration))
                .transpose()?,
            speculative: table
                .speculative
                .as_ref()
                .map(|value| self.parse(value, values::speculative))
                .transpose()?,
        })
    }
}

/// `line L, column C` (from 1) of the byte offset where `span` starts.
fn position(text: &str, span: &Range<usize>) -> String {
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    format!("line {line}, column {column}")
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroUsize;
    use std::time::Duration;

    use scylla::statement::Consistency;

    use super::*;
    use crate::config::{Compression, PoolSize, Speculative};

    #[test]
    fn every_table_is_read() {
        let text = r#"
contact_points = ["10.0.0.1:9042"]
keyspace = "shop"
consistency = "quorum"
request_timeout = "2s"
speculative = "p99"
pool = "per-host:2"
compression = "lz4"
keepalive = "0s"

[load_balancing]
local_datacenter = "dc1"
local_rack = "r1"
datacenter_failover = true

[reads]
consistency = "local_one"
speculative = "50ms x2"

[writes]
request_timeout = "5s"

[retry]
max_retries = 4
base_delay = "20ms"

[tls]
ca = "ca.pem"

[auth]
username = "app"
"#;
        let config = parse("corm.toml", text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(config.contact_points, ["10.0.0.1:9042"]);
        assert_eq!(config.consistency, Consistency::Quorum);
        assert_eq!(config.request_timeout, Duration::from_secs(2));
        assert!(matches!(config.speculative, Speculative::Percentile { .. }));
        assert_eq!(
            config.pool,
            PoolSize::PerHost(NonZeroUsize::new(2).unwrap_or(NonZeroUsize::MIN))
        );
        assert_eq!(config.compression, Some(Compression::Lz4));
        assert_eq!(config.keepalive, None);
        assert_eq!(config.load_balancing.local_rack.as_deref(), Some("r1"));
        assert!(config.load_balancing.token_aware);
        assert!(config.load_balancing.datacenter_failover);
        assert_eq!(config.reads.consistency, Some(Consistency::LocalOne));
        assert_eq!(
            config.reads.speculative,
            Some(Speculative::Fixed {
                delay: Duration::from_millis(50),
                max_executions: 2
            })
        );
        assert_eq!(config.writes.request_timeout, Some(Duration::from_secs(5)));
        assert_eq!(config.writes.consistency, None);
        assert_eq!(config.retry.max_retries, 4);
        assert_eq!(config.retry.base_delay, Duration::from_millis(20));
        assert_eq!(config.retry.max_delay, Duration::from_secs(2));
        assert_eq!(config.tls.map(|tls| tls.ca), Some("ca.pem".into()));
        assert_eq!(
            config.credentials.map(|c| c.username).as_deref(),
            Some("app")
        );
    }

    #[test]
    fn errors_are_located() {
        let err = parse(
            "corm.toml",
            "keyspace = \"a\"\n\n[reads]\nconsistency = \"most\"\n",
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "corm.toml: line 4, column 15: \"most\": not a consistency level; expected one of any, one, two, three, quorum, all, local_quorum, each_quorum, local_one, serial, local_serial"
            )
        );
        let err = parse("corm.toml", "keyspace = \"a\"\nretries = 3\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("corm.toml: line 2, column 1: unknown field `retries`"),
            "{err}"
        );
    }
}

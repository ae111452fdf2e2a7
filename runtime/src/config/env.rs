//! The `CORM_*` variables, applied over a configuration (the defaults, or
//! the file `CORM_CONFIG` names).

use super::policy::{Profile, Tls};
use super::{Config, ConfigError, Credentials, values};

/// The variables `lookup` finds, applied to `config`; empty values count as
/// unset.
pub(super) fn apply(
    mut config: Config,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
    if let Some(list) = get("CORM_CONTACT_POINTS") {
        config.contact_points = list
            .split(',')
            .map(str::trim)
            .filter(|point| !point.is_empty())
            .map(str::to_owned)
            .collect();
    }
    if config.contact_points.is_empty() {
        return Err(ConfigError::NoContactPoints);
    }
    let balancing = &mut config.load_balancing;
    if let Some(datacenter) = get("CORM_LOCAL_DC") {
        balancing.local_datacenter = Some(datacenter);
    }
    if let Some(rack) = get("CORM_LOCAL_RACK") {
        balancing.local_rack = Some(rack);
    }
    read(
        &get,
        "CORM_TOKEN_AWARE",
        values::switch,
        &mut balancing.token_aware,
    )?;
    read(
        &get,
        "CORM_DC_FAILOVER",
        values::switch,
        &mut balancing.datacenter_failover,
    )?;
    if let Some(keyspace) = get("CORM_KEYSPACE") {
        config.keyspace = Some(keyspace);
    }
    read(
        &get,
        "CORM_CONSISTENCY",
        values::consistency,
        &mut config.consistency,
    )?;
    read(
        &get,
        "CORM_REQUEST_TIMEOUT",
        values::duration,
        &mut config.request_timeout,
    )?;
    read(
        &get,
        "CORM_CONNECT_TIMEOUT",
        values::duration,
        &mut config.connect_timeout,
    )?;
    read(
        &get,
        "CORM_SCHEMA_AGREEMENT_TIMEOUT",
        values::duration,
        &mut config.schema_agreement_timeout,
    )?;
    read(
        &get,
        "CORM_SPECULATIVE",
        values::speculative,
        &mut config.speculative,
    )?;
    profile(&get, READS, &mut config.reads)?;
    profile(&get, WRITES, &mut config.writes)?;
    read(&get, "CORM_RETRIES", retries, &mut config.retry.max_retries)?;
    read(
        &get,
        "CORM_RETRY_DELAY",
        values::duration,
        &mut config.retry.base_delay,
    )?;
    read(
        &get,
        "CORM_RETRY_MAX_DELAY",
        values::duration,
        &mut config.retry.max_delay,
    )?;
    read(&get, "CORM_POOL", values::pool, &mut config.pool)?;
    read(
        &get,
        "CORM_COMPRESSION",
        values::compression,
        &mut config.compression,
    )?;
    read(
        &get,
        "CORM_KEEPALIVE",
        values::keepalive,
        &mut config.keepalive,
    )?;
    read(
        &get,
        "CORM_TCP_KEEPALIVE",
        values::keepalive,
        &mut config.tcp_keepalive,
    )?;
    if let Some(ca) = get("CORM_TLS_CA") {
        let mut tls = Tls::new(ca);
        tls.client_cert = get("CORM_TLS_CERT").map(Into::into);
        tls.client_key = get("CORM_TLS_KEY").map(Into::into);
        config.tls = Some(tls);
    }
    if let Some(username) = get("CORM_USERNAME") {
        let password = lookup("CORM_PASSWORD").unwrap_or_default();
        config.credentials = Some(Credentials { username, password });
    }
    if let Some(value) = get("CORM_UNIQUE_CLAIM_GRACE") {
        config.unique_claim_grace =
            Some(parsed("CORM_UNIQUE_CLAIM_GRACE", &value, values::duration)?);
    }
    if let Some(value) = get("CORM_SLOW_REQUEST") {
        config.slow_request_threshold =
            Some(parsed("CORM_SLOW_REQUEST", &value, values::duration)?);
    }
    read(
        &get,
        "CORM_TRACE_VALUES",
        values::switch,
        &mut config.trace_values,
    )?;
    config.check()?;
    Ok(config)
}

/// The variables of one profile: consistency, timeout, speculative.
type ProfileVariables = [&'static str; 3];

const READS: ProfileVariables = [
    "CORM_READ_CONSISTENCY",
    "CORM_READ_TIMEOUT",
    "CORM_READ_SPECULATIVE",
];
const WRITES: ProfileVariables = [
    "CORM_WRITE_CONSISTENCY",
    "CORM_WRITE_TIMEOUT",
    "CORM_WRITE_SPECULATIVE",
];

/// A profile's variables into `profile`.
fn profile(
    get: &dyn Fn(&str) -> Option<String>,
    [consistency, timeout, speculative]: ProfileVariables,
    profile: &mut Profile,
) -> Result<(), ConfigError> {
    if let Some(value) = get(consistency) {
        profile.consistency = Some(parsed(consistency, &value, values::consistency)?);
    }
    if let Some(value) = get(timeout) {
        profile.request_timeout = Some(parsed(timeout, &value, values::duration)?);
    }
    if let Some(value) = get(speculative) {
        profile.speculative = Some(parsed(speculative, &value, values::speculative)?);
    }
    Ok(())
}

/// The variable `name`, when set, parsed into `slot`.
fn read<T>(
    get: &dyn Fn(&str) -> Option<String>,
    name: &'static str,
    parse: impl Fn(&str) -> Result<T, String>,
    slot: &mut T,
) -> Result<(), ConfigError> {
    if let Some(value) = get(name) {
        *slot = parsed(name, &value, parse)?;
    }
    Ok(())
}

fn parsed<T>(
    variable: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    parse(value).map_err(|problem| ConfigError::InvalidVariable {
        variable,
        value: value.to_owned(),
        problem,
    })
}

fn retries(value: &str) -> Result<u32, String> {
    value
        .trim()
        .parse()
        .map_err(|_| "expected a whole number of retries (0 for none)".to_owned())
}

//! How a [`Config`] becomes the driver's session: load balancing, the
//! execution profiles (the default one, and those of reads and writes),
//! pool, compression, keepalives, TLS and authentication.

use std::sync::Arc;

use scylla::client::execution_profile::{ExecutionProfile, ExecutionProfileHandle};
use scylla::client::session::Session as DriverSession;
use scylla::client::session_builder::SessionBuilder;
use scylla::policies::load_balancing::{DefaultPolicy, LoadBalancingPolicy};
use scylla::policies::speculative_execution::{
    SimpleSpeculativeExecutionPolicy, SpeculativeExecutionPolicy,
};

use crate::config::{Compression, PoolSize, Profile, Speculative};
use crate::{Config, Error, Result};

/// The driver's session for `config`, and the profiles of reads and writes
/// when they differ from the default one.
pub(crate) struct Connected {
    pub driver: DriverSession,
    pub reads: Option<ExecutionProfileHandle>,
    pub writes: Option<ExecutionProfileHandle>,
}

/// Connects as `config` says.
pub(crate) async fn connect(config: &Config) -> Result<Connected> {
    config.check()?;
    let load_balancing = load_balancing(config);
    let profile =
        |overrides: &Profile| profile(config, overrides, Arc::clone(&load_balancing)).into_handle();
    let defaults = profile(&Profile::default());
    let distinct = |overrides: &Profile| (!overrides.is_default()).then(|| profile(overrides));
    let reads = distinct(&config.reads);
    let writes = distinct(&config.writes);
    let mut builder = SessionBuilder::new()
        .known_nodes(&config.contact_points)
        .connection_timeout(config.connect_timeout)
        .schema_agreement_timeout(config.schema_agreement_timeout)
        .default_execution_profile_handle(defaults)
        .pool_size(match config.pool {
            PoolSize::PerHost(size) => scylla::client::PoolSize::PerHost(size),
            PoolSize::PerShard(size) => scylla::client::PoolSize::PerShard(size),
        })
        .compression(config.compression.map(|compression| match compression {
            Compression::Lz4 => scylla::client::Compression::Lz4,
            Compression::Snappy => scylla::client::Compression::Snappy,
        }));
    builder.config.keepalive_interval = config.keepalive;
    builder.config.tcp_keepalive_interval = config.tcp_keepalive;
    if let Some(credentials) = &config.credentials {
        builder = builder.user(&credentials.username, &credentials.password);
    }
    #[cfg(feature = "tls")]
    if let Some(tls) = &config.tls {
        builder = builder.tls_context(Some(crate::tls::client_config(tls)?));
    }
    let driver = builder.build().await.map_err(|source| Error::Connect {
        contact_points: config.contact_points.join(","),
        source: Box::new(source),
    })?;
    Ok(Connected {
        driver,
        reads,
        writes,
    })
}

/// Token-aware, datacenter- and rack-preferring routing.
fn load_balancing(config: &Config) -> Arc<dyn LoadBalancingPolicy> {
    let settings = &config.load_balancing;
    let mut policy = DefaultPolicy::builder()
        .token_aware(settings.token_aware)
        .permit_dc_failover(settings.datacenter_failover);
    if let Some(datacenter) = &settings.local_datacenter {
        policy = match &settings.local_rack {
            Some(rack) => policy.prefer_datacenter_and_rack(datacenter.clone(), rack.clone()),
            None => policy.prefer_datacenter(datacenter.clone()),
        };
    }
    policy.build()
}

/// The execution profile of the defaults with `overrides` applied.
fn profile(
    config: &Config,
    overrides: &Profile,
    load_balancing: Arc<dyn LoadBalancingPolicy>,
) -> ExecutionProfile {
    ExecutionProfile::builder()
        .consistency(overrides.consistency.unwrap_or(config.consistency))
        .request_timeout(Some(
            overrides.request_timeout.unwrap_or(config.request_timeout),
        ))
        .load_balancing_policy(load_balancing)
        .retry_policy(Arc::new(crate::driver_retry::CormRetryPolicy))
        .speculative_execution_policy(speculative(
            overrides.speculative.unwrap_or(config.speculative),
        ))
        .build()
}

/// The driver's speculative execution policy for `speculative`.
fn speculative(speculative: Speculative) -> Option<Arc<dyn SpeculativeExecutionPolicy>> {
    match speculative {
        Speculative::Off => None,
        Speculative::Fixed {
            delay,
            max_executions,
        } => Some(Arc::new(SimpleSpeculativeExecutionPolicy {
            max_retry_count: max_executions,
            retry_interval: delay,
        })),
        #[cfg(feature = "driver-metrics")]
        Speculative::Percentile {
            percentile,
            max_executions,
        } => Some(Arc::new(
            scylla::policies::speculative_execution::PercentileSpeculativeExecutionPolicy {
                max_retry_count: max_executions,
                percentile,
            },
        )),
        // `Config::check` refuses a percentile without the feature.
        #[cfg(not(feature = "driver-metrics"))]
        Speculative::Percentile { .. } => None,
    }
}

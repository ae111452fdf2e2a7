//! The node's configuration files, written by the project: the Maven
//! artifacts ship no `conf/`.

use std::path::Path;

use super::NodeOptions;
use crate::Outcome;

/// Settings of a throwaway single node; `--set` overrides any of them.
fn default_settings(options: &NodeOptions) -> Vec<(String, String)> {
    let port = options.port;
    let storage_port = options.storage_port();
    let address = options.address();
    let (cluster_name, token, seeds) = match &options.member {
        Some(member) => (
            member.cluster_name.clone(),
            member.initial_token,
            member
                .seeds
                .iter()
                .map(|seed| format!("{seed}:{storage_port}"))
                .collect::<Vec<_>>()
                .join(","),
        ),
        None => (
            format!("corm-local-{port}"),
            0,
            format!("127.0.0.1:{storage_port}"),
        ),
    };
    [
        ("cluster_name", format!("'{cluster_name}'")),
        ("num_tokens", "1".to_owned()),
        ("initial_token", format!("\"{token}\"")),
        ("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner".to_owned()),
        ("endpoint_snitch", "SimpleSnitch".to_owned()),
        (
            "seed_provider",
            format!("\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n    parameters:\n      - seeds: \"{seeds}\""),
        ),
        ("listen_address", address.to_string()),
        ("rpc_address", address.to_string()),
        ("storage_port", storage_port.to_string()),
        ("native_transport_port", port.to_string()),
        ("commitlog_sync", "periodic".to_owned()),
        ("commitlog_sync_period", "10000ms".to_owned()),
        ("auto_snapshot", "false".to_owned()),
        ("materialized_views_enabled", "true".to_owned()),
        ("sasi_indexes_enabled", "true".to_owned()),
        ("user_defined_functions_enabled", "true".to_owned()),
        // `masked with …` columns (Cassandra 5.0's dynamic data masking).
        ("dynamic_data_masking_enabled", "true".to_owned()),
        ("default_secondary_index", "sai".to_owned()),
        ("storage_compatibility_mode", "NONE".to_owned()),
        (
            "authenticator",
            if options.secure {
                "PasswordAuthenticator"
            } else {
                "AllowAllAuthenticator"
            }
            .to_owned(),
        ),
        ("authorizer", "AllowAllAuthorizer".to_owned()),
        // Tests create and drop a keyspace each; don't keep snapshots of them.
        ("snapshot_before_compaction", "false".to_owned()),
        ("dynamic_snitch", "false".to_owned()),
    ]
    .into_iter()
    // The nodes of a new cluster start empty and own their tokens from the
    // start: nothing to stream, so no bootstrap (and no two-minute wait).
    .chain(
        options
            .member
            .is_some()
            .then(|| ("auto_bootstrap", "false".to_owned())),
    )
    .chain(options.secure.then(|| {
        (
            "client_encryption_options",
            format!(
                "{{enabled: true, optional: true, keystore: '{}', ssl_context_factory: {{class_name: org.apache.cassandra.security.PEMBasedSslContextFactory}}}}",
                super::certificates::keystore_file(&options.dir()).display()
            ),
        )
    }))
    .map(|(key, value)| (key.to_owned(), value))
    .collect()
}

/// The `cassandra.yaml` text: the defaults with each `--set` applied.
pub fn cassandra_yaml(options: &NodeOptions) -> Outcome<String> {
    let mut settings = default_settings(options);
    for setting in &options.settings {
        let Some((key, value)) = setting.split_once(':') else {
            return Err(format!("--set {setting:?}: write `key: value`").into());
        };
        let (key, value) = (key.trim().to_owned(), value.trim().to_owned());
        match settings.iter_mut().find(|(existing, _)| *existing == key) {
            Some(entry) => entry.1 = value,
            None => settings.push((key, value)),
        }
    }
    let mut yaml =
        String::from("# Written by `cargo xtask cassandra start`; edits are overwritten.\n");
    for (key, value) in settings {
        let separator = if value.starts_with('\n') { ":" } else { ": " };
        yaml.push_str(&format!("{key}{separator}{value}\n"));
    }
    Ok(yaml)
}

/// Logs to `${cassandra.logdir}/system.log` at INFO; the console only warns.
pub const LOGBACK_XML: &str = r#"<configuration scan="false">
  <appender name="SYSTEMLOG" class="ch.qos.logback.core.FileAppender">
    <file>${cassandra.logdir}/system.log</file>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
      <level>WARN</level>
    </filter>
    <encoder>
      <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
    </encoder>
  </appender>
  <root level="INFO">
    <appender-ref ref="SYSTEMLOG" />
    <appender-ref ref="STDOUT" />
  </root>
  <logger name="org.apache.cassandra" level="INFO" />
  <logger name="com.thinkaurelius.thrift" level="ERROR" />
</configuration>
"#;

/// Writes `text` to `path`, creating its folder.
pub fn write(path: &Path, text: &str) -> Outcome {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|err| format!("cannot create {}: {err}", parent.display()))?;
    }
    std::fs::write(path, text)
        .map_err(|err| format!("cannot write {}: {err}", path.display()).into())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn options(args: &[&str]) -> NodeOptions {
        NodeOptions::parse_from(std::iter::once("cassandra").chain(args.iter().copied()))
    }

    #[test]
    fn ports_follow_the_options() {
        let yaml = cassandra_yaml(&options(&["--port", "9142"])).unwrap();
        assert!(yaml.contains("\nnative_transport_port: 9142\n"), "{yaml}");
        assert!(yaml.contains("\nstorage_port: 9143\n"), "{yaml}");
        assert!(yaml.contains("seeds: \"127.0.0.1:9143\""), "{yaml}");
        // The default port (9042) keeps Cassandra's storage port; unless the
        // environment chose another port for this run.
        if std::env::var_os("CORM_CASSANDRA_PORT").is_none() {
            let yaml = cassandra_yaml(&options(&[])).unwrap();
            assert!(yaml.contains("\nstorage_port: 7000\n"), "{yaml}");
        }
    }

    #[test]
    fn secure_nodes_require_a_password_and_offer_tls() {
        let plain = cassandra_yaml(&options(&[])).unwrap();
        assert!(
            plain.contains("\nauthenticator: AllowAllAuthenticator\n"),
            "{plain}"
        );
        assert!(!plain.contains("client_encryption_options"), "{plain}");
        let secure = cassandra_yaml(&options(&["--secure", "--dir", "/tmp/node"])).unwrap();
        assert!(
            secure.contains("\nauthenticator: PasswordAuthenticator\n"),
            "{secure}"
        );
        assert!(
            secure.contains("client_encryption_options: {enabled: true, optional: true, keystore: '/tmp/node/tls/node.pem'"),
            "{secure}"
        );
    }

    #[test]
    fn set_overrides_or_adds_one_line_per_key() {
        let yaml = cassandra_yaml(&options(&[
            "--set",
            "auto_snapshot: true",
            "--set",
            "concurrent_writes:8",
        ]))
        .unwrap();
        assert_eq!(yaml.matches("auto_snapshot:").count(), 1, "{yaml}");
        assert!(yaml.contains("\nauto_snapshot: true\n"), "{yaml}");
        assert!(yaml.ends_with("\nconcurrent_writes: 8\n"), "{yaml}");
        assert!(cassandra_yaml(&options(&["--set", "no colon"])).is_err());
    }
}

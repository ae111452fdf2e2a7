//! A model's `options { … }` and compaction sub-options against the real
//! node: every option and sub-option the checker accepts is written into a
//! model, checked, rendered as the CQL `cormc migrate new` would write, and
//! created on Cassandra, which must accept it; the values read back from
//! `system_schema` are the stated ones. Needs the local node (`cargo xtask
//! cassandra start`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use camino::Utf8PathBuf;
use cormc::check::table_options::{COMMON_COMPACTION_OPTIONS, TABLE_OPTIONS, compaction_options};
use cormc::diagnostics::{RenderOptions, SourceMap, render_all};
use cormc::ir::Compaction;

/// A value for each compaction sub-option, as written in `.corm`.
fn sub_option_sample(strategy: &str, name: &str) -> &'static str {
    match (strategy, name) {
        ("unified", "min_sstable_size") => "\"100MiB\"",
        (_, "min_sstable_size") => "50",
        (_, "provide_overlapping_tombstones") => "\"ROW\"",
        (_, "tombstone_compaction_interval") => "1d",
        (_, "tombstone_threshold") => "0.3",
        (_, "bucket_high") => "1.5",
        (_, "bucket_low") => "0.5",
        (_, "max_threshold" | "max_sstables_to_compact") => "32",
        (_, "min_threshold" | "base_shard_count") => "4",
        (_, "fanout_size") => "10",
        (_, "sstable_size_in_mb") => "160",
        (_, "expired_sstable_check_frequency_seconds") => "10m",
        (_, "timestamp_resolution") => "\"MICROSECONDS\"",
        (_, "flush_size_override") => "\"100MiB\"",
        (_, "overlap_inclusion_method") => "\"TRANSITIVE\"",
        (_, "scaling_parameters") => "\"T4\"",
        (_, "sstable_growth") => "0.333",
        (_, "target_sstable_size") => "\"1GiB\"",
        (
            _,
            "enabled"
            | "log_all"
            | "only_purge_repaired_tombstones"
            | "unchecked_tombstone_compaction"
            | "single_sstable_uplevel"
            | "unsafe_aggressive_sstable_expiration",
        ) => "true",
        _ => panic!("no sample value for the sub-option `{name}`: add one"),
    }
}

/// A value for each table option, as written in `.corm`.
fn table_option_sample(name: &str) -> &'static str {
    match name {
        "additional_write_policy" | "speculative_retry" => "\"99p\"",
        "allow_auto_snapshot" | "incremental_backups" => "true",
        "cdc" => "false",
        "bloom_filter_fp_chance" => "0.02",
        "caching" => "{ keys: \"all\", rows_per_partition: 10 }",
        "comment" => "\"stated, with a 'quote'\"",
        "compression" => {
            "{ class: \"ZstdCompressor\", compression_level: 3, chunk_length_in_kb: 32 }"
        }
        "crc_check_chance" => "0.5",
        "gc_grace_seconds" => "2d",
        "max_index_interval" => "4096",
        "memtable" => "\"default\"",
        "memtable_flush_period_in_ms" => "1m",
        "min_index_interval" => "64",
        "read_repair" => "\"NONE\"",
        _ => panic!("no sample value for the table option `{name}`: add one"),
    }
}

const STRATEGIES: [(&str, &str, Compaction); 4] = [
    ("size_tiered", "size_tiered", Compaction::SizeTiered),
    ("leveled", "leveled", Compaction::Leveled),
    (
        "time_window",
        "time_window(1d)",
        Compaction::TimeWindow {
            window_seconds: 86_400,
        },
    ),
    ("unified", "unified", Compaction::Unified),
];

/// Time-window compaction takes this only when the node was started with
/// `-Dcassandra.allow_unsafe_aggressive_sstable_expiration=true`.
const NEEDS_A_NODE_FLAG: (&str, &str) = ("time_window", "unsafe_aggressive_sstable_expiration");

/// A model `name` with `members`.
fn model(name: &str, members: &str) -> String {
    format!("model {name} {{\n  id: uuid\n  key (id)\n{members}\n}}\n")
}

/// The `create table` statements the checked schema needs.
fn create_statements(schema: &str) -> Vec<String> {
    let mut sources = SourceMap::new();
    sources
        .add(Utf8PathBuf::from("options.corm"), schema)
        .unwrap();
    let ast = cormc::parse::parse(&sources)
        .unwrap_or_else(|d| panic!("{}", render_all(&d, &sources, RenderOptions::default())));
    let checked = cormc::check::check(&ast);
    let Some(ir) = checked.schema else {
        panic!(
            "{}",
            render_all(&checked.diagnostics, &sources, RenderOptions::default())
        );
    };
    cormc::cql::diff::diff(&cormc::cql::CqlSchema::default(), &ir.desired)
        .iter()
        .flat_map(cormc::cql::diff::Change::statements)
        .collect()
}

fn sub_options(strategy: &str, kind: Compaction) -> Vec<(&'static str, &'static str)> {
    COMMON_COMPACTION_OPTIONS
        .iter()
        .copied()
        .chain(compaction_options(kind))
        .filter(|name| (strategy, *name) != NEEDS_A_NODE_FLAG)
        .map(|name| (name, sub_option_sample(strategy, name)))
        .collect()
}

#[tokio::test]
async fn cassandra_accepts_every_option_the_checker_accepts() {
    let mut schema = String::new();
    for (strategy, written, kind) in STRATEGIES {
        let entries: Vec<String> = sub_options(strategy, kind)
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        schema.push_str(&model(
            &format!("Compacted{}", strategy.replace('_', "")),
            &format!("  compaction {written} {{ {} }}", entries.join(", ")),
        ));
    }
    let options: Vec<String> = TABLE_OPTIONS
        .iter()
        .map(|(name, _)| format!("    {name}: {}", table_option_sample(name)))
        .collect();
    schema.push_str(&model(
        "Optioned",
        &format!("  options {{\n{}\n  }}", options.join("\n")),
    ));
    let statements = create_statements(&schema);
    assert_eq!(statements.len(), 5, "{statements:#?}");

    corm::testing::with_keyspace("table_options", |session| async move {
        for statement in &statements {
            if let Err(error) = session.run_ddl(statement).await {
                panic!("Cassandra refused what cormc accepted:\n{statement}\n{error}");
            }
        }
        let keyspace = session.keyspace().unwrap();
        let row = session
            .query(
                "SELECT comment, gc_grace_seconds, caching, compression, bloom_filter_fp_chance, \
                 memtable_flush_period_in_ms, speculative_retry, read_repair \
                 FROM system_schema.tables WHERE keyspace_name = ? AND table_name = 'optioned'",
                (keyspace.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row::<(
                String,
                i32,
                HashMap<String, String>,
                HashMap<String, String>,
                f64,
                i32,
                String,
                String,
            )>()
            .unwrap();
        let (comment, gc_grace, caching, compression, fp_chance, flush, retry, read_repair) = row;
        assert_eq!(comment, "stated, with a 'quote'");
        assert_eq!(gc_grace, 2 * 86_400);
        assert_eq!(caching.get("keys").map(String::as_str), Some("ALL"));
        assert_eq!(
            caching.get("rows_per_partition").map(String::as_str),
            Some("10")
        );
        assert!(
            compression
                .get("class")
                .is_some_and(|class| class.ends_with("ZstdCompressor")),
            "{compression:?}"
        );
        assert_eq!(
            compression.get("compression_level").map(String::as_str),
            Some("3")
        );
        assert!((fp_chance - 0.02).abs() < 1e-9);
        assert_eq!(flush, 60_000);
        assert_eq!(retry, "99p");
        assert_eq!(read_repair, "NONE");

        let compaction = session
            .query(
                "SELECT compaction FROM system_schema.tables \
                 WHERE keyspace_name = ? AND table_name = 'compactedleveled'",
                (keyspace.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row::<(HashMap<String, String>,)>()
            .unwrap()
            .0;
        assert_eq!(
            compaction.get("sstable_size_in_mb").map(String::as_str),
            Some("160")
        );
        assert_eq!(
            compaction
                .get("tombstone_compaction_interval")
                .map(String::as_str),
            Some("86400")
        );

        // The one sub-option the node takes only with a start-up flag.
        let (strategy, name) = NEEDS_A_NODE_FLAG;
        let flagged = create_statements(&model(
            "Expiring",
            &format!(
                "  compaction time_window(1h) {{ {name}: {} }}",
                sub_option_sample(strategy, name)
            ),
        ));
        let refused = session.run_ddl(&flagged[0]).await.unwrap_err().to_string();
        assert!(
            refused.contains("allow_unsafe_aggressive_sstable_expiration"),
            "{refused}"
        );
    })
    .await;
}

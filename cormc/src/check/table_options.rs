//! A model's `options { … }` and the `{ … }` after its `compaction`: CQL
//! table options and compaction sub-options, checked by name and value.
//!
//! Every name is one Cassandra 5.0 knows for that place (a typo is an
//! error with a "did you mean", not a refused migration); the values are
//! checked where corm can say more than "the server refused it" (numbers
//! in range, the `caching` keys and values, a compression class). What
//! passes is written into the table's CQL as stated, and the drift check
//! compares exactly the stated options (see `cql::diff`).
//!
//! The accepted sub-options per strategy are the ones the node accepts:
//! `cormc/tests/table_options.rs` creates a table with each of them.

use std::collections::BTreeMap;

use super::context::{Annotate, Context, did_you_mean};
use crate::ast::{self, LiteralKind};
use crate::cql::OptionValue;
use crate::diagnostics::{Code, Span};
use crate::ir;

/// What a table option's value must be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OptionKind {
    /// Any string.
    Text,
    /// A whole number of seconds: a duration or a number.
    Seconds,
    /// A whole number of milliseconds: a duration or a number.
    Millis,
    /// A positive whole number.
    Count,
    /// A number in `0..=1`.
    Fraction,
    /// A number above 0, at most 1.
    PositiveFraction,
    /// `true` or `false`.
    Bool,
    /// `{ keys: "ALL"|"NONE", rows_per_partition: "ALL"|"NONE"|N }`.
    Caching,
    /// `{ class: "LZ4Compressor", chunk_length_in_kb: 16, … }`.
    Compression,
}

/// The table options a model may state, with what their values must be.
/// `default_time_to_live` and `compaction` have clauses of their own
/// (`ttl`, `compaction`); `id` and `extensions` are not for schemas.
pub const TABLE_OPTIONS: &[(&str, OptionKind)] = &[
    ("additional_write_policy", OptionKind::Text),
    ("allow_auto_snapshot", OptionKind::Bool),
    ("bloom_filter_fp_chance", OptionKind::PositiveFraction),
    ("caching", OptionKind::Caching),
    ("cdc", OptionKind::Bool),
    ("comment", OptionKind::Text),
    ("compression", OptionKind::Compression),
    ("crc_check_chance", OptionKind::Fraction),
    ("gc_grace_seconds", OptionKind::Seconds),
    ("incremental_backups", OptionKind::Bool),
    ("max_index_interval", OptionKind::Count),
    ("memtable", OptionKind::Text),
    ("memtable_flush_period_in_ms", OptionKind::Millis),
    ("min_index_interval", OptionKind::Count),
    ("read_repair", OptionKind::Text),
    ("speculative_retry", OptionKind::Text),
];

/// Sub-options every compaction strategy takes.
pub const COMMON_COMPACTION_OPTIONS: &[&str] = &[
    "enabled",
    "log_all",
    "only_purge_repaired_tombstones",
    "provide_overlapping_tombstones",
    "tombstone_compaction_interval",
    "tombstone_threshold",
    "unchecked_tombstone_compaction",
];

/// The sub-options of size-tiered compaction, which leveled and time-window
/// compaction take too (they size-tier some of their SSTables).
const SIZE_TIERED_OPTIONS: &[&str] = &[
    "bucket_high",
    "bucket_low",
    "max_threshold",
    "min_sstable_size",
    "min_threshold",
];

/// The sub-options a strategy takes beyond [`COMMON_COMPACTION_OPTIONS`].
#[must_use]
pub fn compaction_options(strategy: ir::Compaction) -> Vec<&'static str> {
    let own: &[&str] = match strategy {
        ir::Compaction::SizeTiered => &[],
        ir::Compaction::Leveled => &[
            "fanout_size",
            "single_sstable_uplevel",
            "sstable_size_in_mb",
        ],
        ir::Compaction::TimeWindow { .. } => &[
            "expired_sstable_check_frequency_seconds",
            "timestamp_resolution",
            "unsafe_aggressive_sstable_expiration",
        ],
        ir::Compaction::Unified => &[
            "base_shard_count",
            "expired_sstable_check_frequency_seconds",
            "flush_size_override",
            "max_sstables_to_compact",
            "min_sstable_size",
            "overlap_inclusion_method",
            "scaling_parameters",
            "sstable_growth",
            "target_sstable_size",
            "unsafe_aggressive_sstable_expiration",
        ],
    };
    let tiered: &[&str] = match strategy {
        ir::Compaction::Unified => &[],
        _ => SIZE_TIERED_OPTIONS,
    };
    let mut names: Vec<&str> = own.iter().chain(tiered).copied().collect();
    names.sort_unstable();
    names
}

/// The checked `options { … }` of a model: `comment` apart, the rest by name.
#[derive(Debug, Default)]
pub(super) struct CheckedOptions {
    pub comment: Option<String>,
    pub other: BTreeMap<String, OptionValue>,
}

/// Checks `options { … }`.
pub(super) fn table_options(clause: &ast::OptionsClause, ctx: &mut Context) -> CheckedOptions {
    let mut checked = CheckedOptions::default();
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for entry in &clause.map.entries {
        let name = entry.name.name.as_str();
        if let Some(first) = seen.insert(name, entry.name.span) {
            ctx.error(
                Code::DuplicateMember,
                format!("the option `{name}` is given twice"),
                entry.name.span,
                "again",
            )
            .label(first, "first here");
            continue;
        }
        let Some(kind) = TABLE_OPTIONS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, kind)| *kind)
        else {
            unknown_table_option(entry, ctx);
            continue;
        };
        let Some(value) = option_value(name, kind, &entry.value, ctx) else {
            continue;
        };
        match (name, value) {
            ("comment", OptionValue::Text(text)) => checked.comment = Some(text),
            (_, value) => {
                checked.other.insert(name.to_owned(), value);
            }
        }
    }
    checked
}

fn unknown_table_option(entry: &ast::OptionEntry, ctx: &mut Context) {
    let name = entry.name.name.as_str();
    let help = match name {
        "default_time_to_live" => "write the model's default TTL as a `ttl 30d` clause".to_owned(),
        "compaction" => {
            "write compaction as a clause: `compaction leveled { sstable_size_in_mb: 160 }`"
                .to_owned()
        }
        "id" | "extensions" => format!("`{name}` is not part of a schema corm writes"),
        _ => did_you_mean(name, TABLE_OPTIONS.iter().map(|(n, _)| *n)).unwrap_or_else(|| {
            format!(
                "the table options are {}",
                TABLE_OPTIONS
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    };
    ctx.error(
        Code::InvalidValue,
        format!("`{name}` is not a table option corm writes"),
        entry.name.span,
        "unknown option",
    )
    .help(help);
}

/// The CQL value of one table option, or its error.
fn option_value(
    name: &str,
    kind: OptionKind,
    value: &ast::OptionValue,
    ctx: &mut Context,
) -> Option<OptionValue> {
    let span = value.span();
    let literal = match value {
        ast::OptionValue::Literal(literal) => Some(&literal.kind),
        ast::OptionValue::Map(_) => None,
    };
    let mut refuse = |expected: &str| {
        ctx.error(
            Code::InvalidValue,
            format!("`{name}` takes {expected}"),
            span,
            "does not fit",
        );
        None
    };
    match (kind, literal) {
        (OptionKind::Text, Some(LiteralKind::String(s))) => {
            Some(OptionValue::Text(s.value.clone()))
        }
        (OptionKind::Text, _) => refuse("a string"),
        (OptionKind::Bool, Some(LiteralKind::Bool(b))) => Some(OptionValue::Bool(b.value)),
        (OptionKind::Bool, _) => refuse("`true` or `false`"),
        (OptionKind::Seconds | OptionKind::Millis, Some(LiteralKind::Duration(d))) => {
            let millis = d.as_millis();
            let whole = match kind {
                OptionKind::Seconds => millis.filter(|ms| ms % 1000 == 0).map(|ms| ms / 1000),
                _ => millis,
            };
            match whole.filter(|n| i32::try_from(*n).is_ok()) {
                Some(n) => Some(OptionValue::Number(n.to_string())),
                None => refuse(if kind == OptionKind::Seconds {
                    "a whole number of seconds that fits 32 bits, e.g. `10d` or `3600`"
                } else {
                    "a number of milliseconds that fits 32 bits, e.g. `1h`"
                }),
            }
        }
        (
            OptionKind::Seconds | OptionKind::Millis | OptionKind::Count,
            Some(LiteralKind::Number(n)),
        ) if !n.decimal && n.text.parse::<i32>().is_ok_and(|v| v >= 0) => {
            let value: i32 = n.text.parse().ok()?;
            if kind == OptionKind::Count && value == 0 {
                return refuse("a positive whole number");
            }
            Some(OptionValue::Number(value.to_string()))
        }
        (OptionKind::Seconds, _) => refuse("a duration or a whole number of seconds"),
        (OptionKind::Millis, _) => refuse("a duration or a whole number of milliseconds"),
        (OptionKind::Count, _) => refuse("a positive whole number"),
        (OptionKind::Fraction | OptionKind::PositiveFraction, Some(LiteralKind::Number(n)))
            if n.text.parse::<f64>().is_ok_and(|v| {
                (v > 0.0 || (v == 0.0 && kind == OptionKind::Fraction)) && v <= 1.0
            }) =>
        {
            Some(OptionValue::Number(
                n.text.trim_start_matches('+').to_owned(),
            ))
        }
        (OptionKind::Fraction, _) => refuse("a number from 0 to 1"),
        (OptionKind::PositiveFraction, _) => refuse("a number above 0 and at most 1"),
        (OptionKind::Caching, _) => match value {
            ast::OptionValue::Map(map) => caching(map, ctx),
            ast::OptionValue::Literal(_) => {
                refuse("a map like `{ keys: \"ALL\", rows_per_partition: \"NONE\" }`")
            }
        },
        (OptionKind::Compression, _) => match value {
            ast::OptionValue::Map(map) => compression(map, ctx),
            ast::OptionValue::Literal(_) => {
                refuse("a map like `{ class: \"LZ4Compressor\", chunk_length_in_kb: 16 }`")
            }
        },
    }
}

/// `caching = {'keys': …, 'rows_per_partition': …}`, values upper-cased
/// as Cassandra stores them.
fn caching(map: &ast::OptionMap, ctx: &mut Context) -> Option<OptionValue> {
    let mut out = BTreeMap::new();
    let mut ok = no_repeated_keys(map, ctx);
    for entry in &map.entries {
        let text = map_text(entry, ctx)?;
        let upper = text.to_ascii_uppercase();
        let valid = match entry.name.name.as_str() {
            "keys" => matches!(upper.as_str(), "ALL" | "NONE"),
            "rows_per_partition" => {
                matches!(upper.as_str(), "ALL" | "NONE")
                    || upper.parse::<u32>().is_ok_and(|n| n > 0)
            }
            other => {
                ctx.error(
                    Code::InvalidValue,
                    format!("`caching` has no `{other}`"),
                    entry.name.span,
                    "unknown key",
                )
                .help("`caching` takes `keys` and `rows_per_partition`");
                ok = false;
                continue;
            }
        };
        if !valid {
            ctx.error(
                Code::InvalidValue,
                format!("`{}` can't be `{text}`", entry.name.name),
                entry.value.span(),
                "not a caching setting",
            )
            .help("`keys` is \"ALL\" or \"NONE\"; `rows_per_partition` is \"ALL\", \"NONE\" or a number of rows");
            ok = false;
            continue;
        }
        out.insert(entry.name.name.clone(), upper);
    }
    ok.then_some(OptionValue::Map(out))
}

/// Whether every key of `map` is written once; reports the repeats.
fn no_repeated_keys(map: &ast::OptionMap, ctx: &mut Context) -> bool {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    let mut ok = true;
    for entry in &map.entries {
        if let Some(first) = seen.insert(entry.name.name.as_str(), entry.name.span) {
            ctx.error(
                Code::DuplicateMember,
                format!("`{}` is given twice", entry.name.name),
                entry.name.span,
                "again",
            )
            .label(first, "first here");
            ok = false;
        }
    }
    ok
}

/// The compressors Cassandra 5.0 ships.
const COMPRESSORS: &[&str] = &[
    "DeflateCompressor",
    "LZ4Compressor",
    "NoopCompressor",
    "SnappyCompressor",
    "ZstdCompressor",
];

/// `compression = {…}`: a known class (or `enabled: false`) and the
/// compressor settings, kept as text.
fn compression(map: &ast::OptionMap, ctx: &mut Context) -> Option<OptionValue> {
    const KEYS: &[&str] = &[
        "chunk_length_in_kb",
        "class",
        "compression_level",
        "enabled",
        "max_compressed_length",
        "min_compress_ratio",
    ];
    let mut out = BTreeMap::new();
    let mut ok = no_repeated_keys(map, ctx);
    for entry in &map.entries {
        let name = entry.name.name.as_str();
        if !KEYS.contains(&name) {
            let help = did_you_mean(name, KEYS.iter().copied())
                .unwrap_or_else(|| format!("`compression` takes {}", KEYS.join(", ")));
            ctx.error(
                Code::InvalidValue,
                format!("`compression` has no `{name}`"),
                entry.name.span,
                "unknown key",
            )
            .help(help);
            ok = false;
            continue;
        }
        let text = map_text(entry, ctx)?;
        if name == "class" {
            let short = text
                .strip_prefix("org.apache.cassandra.io.compress.")
                .unwrap_or(&text);
            if !COMPRESSORS.contains(&short) && !text.contains('.') {
                let help = did_you_mean(short, COMPRESSORS.iter().copied()).unwrap_or_else(|| {
                    format!("Cassandra's compressors are {}", COMPRESSORS.join(", "))
                });
                ctx.error(
                    Code::InvalidValue,
                    format!("`{text}` is not a compressor"),
                    entry.value.span(),
                    "unknown class",
                )
                .help(help);
                ok = false;
                continue;
            }
        }
        out.insert(name.to_owned(), text);
    }
    let disabled = out.get("enabled").is_some_and(|e| e == "false");
    if ok && !disabled && !out.contains_key("class") {
        ctx.error(
            Code::InvalidValue,
            "`compression` needs a `class`",
            map.span,
            "no class",
        )
        .help("e.g. `{ class: \"LZ4Compressor\" }`, or `{ enabled: false }` for none");
        return None;
    }
    ok.then_some(OptionValue::Map(out))
}

/// Checks the sub-options after `compaction <strategy>`: names the strategy
/// takes, values as the text Cassandra stores.
pub(super) fn compaction_sub_options(
    strategy: ir::Compaction,
    map: &ast::OptionMap,
    ctx: &mut Context,
) -> BTreeMap<String, String> {
    let own = compaction_options(strategy);
    let mut out = BTreeMap::new();
    for entry in &map.entries {
        let name = entry.name.name.as_str();
        if !COMMON_COMPACTION_OPTIONS.contains(&name) && !own.contains(&name) {
            let all = || COMMON_COMPACTION_OPTIONS.iter().chain(&own).copied();
            let help = match name {
                "class" => "the strategy is the word after `compaction`".to_owned(),
                "compaction_window_unit" | "compaction_window_size" => {
                    "the window is written `time_window(1d)`".to_owned()
                }
                _ => did_you_mean(name, all()).unwrap_or_else(|| {
                    format!(
                        "this strategy takes {}",
                        all()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
            };
            ctx.error(
                Code::InvalidValue,
                format!("`{name}` is not an option of this compaction strategy"),
                entry.name.span,
                "unknown option",
            )
            .help(help);
            continue;
        }
        if out.contains_key(name) {
            ctx.error(
                Code::DuplicateMember,
                format!("the option `{name}` is given twice"),
                entry.name.span,
                "again",
            );
            continue;
        }
        let seconds = name.ends_with("_seconds") || name == "tombstone_compaction_interval";
        if let Some(text) = sub_option_text(entry, seconds, ctx) {
            out.insert(name.to_owned(), text);
        }
    }
    out
}

/// A sub-option's value as text; a duration only where seconds are meant.
fn sub_option_text(entry: &ast::OptionEntry, seconds: bool, ctx: &mut Context) -> Option<String> {
    if let ast::OptionValue::Literal(literal) = &entry.value
        && let LiteralKind::Duration(d) = &literal.kind
    {
        if let Some(secs) = d.as_millis().filter(|ms| seconds && ms % 1000 == 0) {
            return Some((secs / 1000).to_string());
        }
        ctx.error(
            Code::InvalidValue,
            format!("`{}` does not take a duration", entry.name.name),
            literal.span,
            if seconds {
                "not whole seconds"
            } else {
                "a duration"
            },
        )
        .help("write the value Cassandra expects, e.g. a number or a string");
        return None;
    }
    map_text(entry, ctx)
}

/// The value of a map entry as the text Cassandra stores (maps of table
/// options hold text only).
fn map_text(entry: &ast::OptionEntry, ctx: &mut Context) -> Option<String> {
    match &entry.value {
        ast::OptionValue::Literal(literal) => match &literal.kind {
            LiteralKind::String(s) => Some(s.value.clone()),
            LiteralKind::Number(n) => Some(n.text.trim_start_matches('+').to_owned()),
            LiteralKind::Bool(b) => Some(b.value.to_string()),
            LiteralKind::Duration(_) => {
                ctx.error(
                    Code::InvalidValue,
                    format!("`{}` does not take a duration", entry.name.name),
                    literal.span,
                    "a duration",
                );
                None
            }
        },
        ast::OptionValue::Map(map) => {
            ctx.error(
                Code::InvalidValue,
                format!("`{}` takes a single value, not a map", entry.name.name),
                map.span,
                "a map",
            );
            None
        }
    }
}

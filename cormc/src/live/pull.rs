//! `cormc pull`: a live keyspace as a `.corm` file — the keyspace, a type
//! per user-defined type, a model per table (key and clustering order,
//! static columns, `ttl`, compaction and the options that differ from
//! Cassandra's defaults, SAI and vector indexes) and a first migration
//! that recreates what the models describe. What corm can't state (a name
//! that is not its own snake_case, an index of another kind, a view, an
//! option it does not model) is kept as a comment, with a warning.

use std::collections::BTreeMap;
use std::fmt::Write;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::LiveSchema;
use crate::cql::{
    Compaction, CompactionStrategy, CqlSchema, CqlType, IndexClass, IndexDef, IndexTarget,
    KeyspaceDef, OptionValue, Replication, TableDef,
};

/// A pulled schema: the `.corm` text and what could not be stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// The `.corm` file.
    pub text: String,
    /// What is only a comment in it, and why.
    pub warnings: Vec<String>,
}

/// Cassandra 5.0's defaults of the table options corm states, as
/// `DESCRIBE` shows them: an option with its default is left out.
const DEFAULTS: &[(&str, &str)] = &[
    ("additional_write_policy", "99p"),
    ("bloom_filter_fp_chance", "0.01"),
    ("caching", "keys=ALL,rows_per_partition=NONE"),
    ("cdc", "false"),
    (
        "compression",
        "chunk_length_in_kb=16,class=org.apache.cassandra.io.compress.LZ4Compressor",
    ),
    ("crc_check_chance", "1.0"),
    ("extensions", ""),
    ("gc_grace_seconds", "864000"),
    ("incremental_backups", "true"),
    ("max_index_interval", "2048"),
    ("memtable", "default"),
    ("memtable_flush_period_in_ms", "0"),
    ("min_index_interval", "128"),
    ("read_repair", "BLOCKING"),
    ("speculative_retry", "99p"),
    ("allow_auto_snapshot", "true"),
];

/// The options the language's `options { … }` takes (besides `comment`).
const STATED: &[&str] = &[
    "gc_grace_seconds",
    "memtable_flush_period_in_ms",
    "bloom_filter_fp_chance",
    "crc_check_chance",
    "min_index_interval",
    "max_index_interval",
    "caching",
    "compression",
    "speculative_retry",
    "additional_write_policy",
    "read_repair",
    "memtable",
    "cdc",
    "incremental_backups",
    "allow_auto_snapshot",
];

/// `live` (of keyspace `keyspace`) as a `.corm` file.
#[must_use]
pub fn pull(live: &LiveSchema, keyspace: &str) -> Pulled {
    let mut out = String::new();
    let mut warnings = Vec::new();
    let schema = &live.schema;
    let _ = writeln!(
        out,
        "// Pulled from keyspace `{keyspace}` by `cormc pull`.\n"
    );
    if let Some(def) = &schema.keyspace {
        keyspace_item(&mut out, def);
    }
    // The types and tables corm can state; the rest become comments.
    let mut kept = CqlSchema {
        keyspace: None,
        ..CqlSchema::default()
    };
    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    for (name, udt) in &schema.types {
        let camel = name.as_str().to_upper_camel_case();
        if camel.to_snake_case() != name.as_str() {
            warn(
                &mut out,
                &mut warnings,
                &format!("type `{name}`"),
                "its name is not the snake_case of a type name",
                &crate::cql::render_type(udt),
            );
            continue;
        }
        type_names.insert(name.as_str().to_owned(), camel);
        kept.types.insert(name.clone(), udt.clone());
    }
    for (name, udt) in &kept.types {
        let camel = &type_names[name.as_str()];
        let _ = writeln!(out, "type {camel} {{");
        for field in &udt.fields {
            let _ = writeln!(
                out,
                "  {}: {}",
                field.name,
                corm_type(&field.ty, &type_names)
            );
        }
        let _ = writeln!(out, "}}\n");
    }
    for (name, table) in &schema.tables {
        match model(table, schema, &type_names) {
            Ok(text) => {
                out.push_str(&text);
                kept.tables.insert(name.clone(), table_as_stated(table));
                for (index_name, index) in &schema.indexes {
                    if index.table == table.name && stated_index(index) {
                        kept.indexes.insert(index_name.clone(), index.clone());
                    }
                }
            }
            Err(reason) => warn(
                &mut out,
                &mut warnings,
                &format!("table `{name}`"),
                &reason,
                &crate::cql::render_table(&table_as_stated(table)),
            ),
        }
    }
    for (name, index) in &schema.indexes {
        if kept.tables.contains_key(&index.table) && !stated_index(index) {
            warn(
                &mut out,
                &mut warnings,
                &format!("index `{name}`"),
                "corm states SAI indexes only",
                &crate::cql::render_index(index),
            );
        }
    }
    for (name, view) in &schema.views {
        warn(
            &mut out,
            &mut warnings,
            &format!("materialized view `{name}`"),
            "a view is pulled as a comment: declare it with `view … of …`",
            &crate::cql::render_view(view),
        );
    }
    for skipped in &live.skipped {
        warn(
            &mut out,
            &mut warnings,
            &format!("{} `{}`", skipped.kind, skipped.name),
            &skipped.reason,
            &skipped.statement,
        );
    }
    let _ = writeln!(out, "migration 1 init {{");
    for line in crate::cql::render_schema(&kept).lines() {
        if line.trim().is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out, "}}");
    Pulled {
        text: out,
        warnings,
    }
}

/// A comment holding `cql`, and its warning.
fn warn(out: &mut String, warnings: &mut Vec<String>, what: &str, reason: &str, cql: &str) {
    warnings.push(format!("{what} is kept as a comment: {reason}"));
    let _ = writeln!(out, "// Not pulled: {what}: {reason}.");
    for line in cql.lines() {
        let _ = writeln!(out, "//   {line}");
    }
    out.push('\n');
}

fn keyspace_item(out: &mut String, def: &KeyspaceDef) {
    let _ = writeln!(out, "keyspace {} {{", def.name);
    match &def.replication {
        Replication::Simple { replication_factor } => {
            let _ = writeln!(out, "  replication simple({replication_factor})");
        }
        Replication::NetworkTopology { data_centers } => {
            let factors: Vec<String> = data_centers
                .iter()
                .map(|(dc, n)| format!("{dc}: {n}"))
                .collect();
            let _ = writeln!(
                out,
                "  replication network_topology({})",
                factors.join(", ")
            );
        }
    }
    if !def.durable_writes {
        let _ = writeln!(out, "  durable_writes false");
    }
    let _ = writeln!(out, "}}\n");
}

/// `table` as a model, or why it can't be one.
fn model(
    table: &TableDef,
    schema: &CqlSchema,
    types: &BTreeMap<String, String>,
) -> Result<String, String> {
    let name = table.name.as_str();
    let mut model_name = name.to_upper_camel_case();
    if types.values().any(|t| *t == model_name) {
        model_name.push_str("Table");
    }
    if model_name.is_empty() || !model_name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("its name does not make a model name".to_owned());
    }
    let mut text = format!("model {model_name} {{\n");
    for column in &table.columns {
        let column_name = column.name.as_str();
        if column_name.to_snake_case() != column_name {
            return Err(format!("column `{column_name}` is not a snake_case name"));
        }
        if column.mask.is_some() {
            return Err(format!("column `{column_name}` is masked"));
        }
        if let Some(missing) = missing_type(&column.ty, types) {
            return Err(format!(
                "column `{column_name}` has the type `{missing}`, which is not pulled"
            ));
        }
        let _ = write!(text, "  {column_name}: {}", corm_type(&column.ty, types));
        if column.is_static {
            text.push_str(" @static");
        }
        text.push('\n');
    }
    let partition: Vec<&str> = table.partition_key.iter().map(|c| c.as_str()).collect();
    let mut key = if partition.len() == 1 && table.clustering.is_empty() {
        partition[0].to_owned()
    } else {
        format!("({})", partition.join(", "))
    };
    for column in &table.clustering {
        key.push_str(", ");
        key.push_str(column.name.as_str());
        if column.order == crate::cql::SortOrder::Desc {
            key.push_str(" desc");
        }
    }
    let _ = writeln!(text, "  key ({key})");
    if model_name.to_snake_case() != name {
        let _ = writeln!(text, "  table {name}");
    }
    for index in schema
        .indexes
        .values()
        .filter(|i| i.table == table.name && stated_index(i))
    {
        let _ = writeln!(text, "  {}", index_clause(index, name));
    }
    let options = &table.options;
    if let Some(ttl) = options.default_time_to_live {
        let _ = writeln!(text, "  ttl {}", duration(u64::from(ttl)));
    }
    if let Some(compaction) = options
        .compaction
        .as_ref()
        .filter(|c| !default_compaction(c))
    {
        let _ = writeln!(text, "  {}", compaction_clause(compaction));
    }
    let leveled = is_leveled(table);
    let mut stated: Vec<String> = Vec::new();
    if let Some(comment) = &options.comment {
        stated.push(format!("comment: {}", string(comment)));
    }
    for (option, value) in &options.other {
        if is_default(option, value, leveled) {
            continue;
        }
        if !STATED.contains(&option.as_str()) {
            return Err(format!("its option `{option}` is not one corm states"));
        }
        stated.push(format!("{option}: {}", option_value(value)));
    }
    if !stated.is_empty() {
        let _ = writeln!(text, "  options {{");
        for line in stated {
            let _ = writeln!(text, "    {line}");
        }
        let _ = writeln!(text, "  }}");
    }
    text.push_str("}\n\n");
    Ok(text)
}

/// `table` with only what its model states: options at their defaults
/// left out, so the first migration says what the model says.
fn table_as_stated(table: &TableDef) -> TableDef {
    let mut table = table.clone();
    let leveled = is_leveled(&table);
    table
        .options
        .other
        .retain(|name, value| !is_default(name, value, leveled));
    if table
        .options
        .compaction
        .as_ref()
        .is_some_and(default_compaction)
    {
        table.options.compaction = None;
    }
    if let Some(compaction) = &mut table.options.compaction {
        compaction
            .options
            .retain(|name, value| !default_threshold(name, value));
    }
    table.dropped_columns.clear();
    table
}

/// Whether option `name` has Cassandra's default; `leveled`: the table's
/// compaction is leveled (whose tables default to a Bloom filter of 0.1).
fn is_default(name: &str, value: &OptionValue, leveled: bool) -> bool {
    let text = value_text(value);
    (leveled && name == "bloom_filter_fp_chance" && text == "0.1")
        || DEFAULTS
            .iter()
            .any(|(option, default)| *option == name && text == *default)
}

fn is_leveled(table: &TableDef) -> bool {
    table
        .options
        .compaction
        .as_ref()
        .is_some_and(|c| c.strategy == CompactionStrategy::Leveled)
}

/// The compaction thresholds every strategy shows at their defaults.
fn default_threshold(name: &str, value: &str) -> bool {
    matches!(
        (name, value),
        ("max_threshold", "32") | ("min_threshold", "4")
    )
}

/// A value as compared with [`DEFAULTS`]: maps as sorted `k=v` pairs.
fn value_text(value: &OptionValue) -> String {
    match value {
        OptionValue::Map(map) => map
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        other => other.as_text().unwrap_or_default(),
    }
}

fn default_compaction(compaction: &Compaction) -> bool {
    compaction.strategy == CompactionStrategy::SizeTiered
        && compaction
            .options
            .iter()
            .all(|(k, v)| default_threshold(k, v))
}

fn compaction_clause(compaction: &Compaction) -> String {
    let strategy = match &compaction.strategy {
        CompactionStrategy::SizeTiered => "size_tiered".to_owned(),
        CompactionStrategy::Leveled => "leveled".to_owned(),
        CompactionStrategy::Unified => "unified".to_owned(),
        CompactionStrategy::TimeWindow { unit, size } => {
            let suffix = match unit {
                crate::cql::WindowUnit::Minutes => "m",
                crate::cql::WindowUnit::Hours => "h",
                crate::cql::WindowUnit::Days => "d",
            };
            format!("time_window({size}{suffix})")
        }
        CompactionStrategy::Other(class) => {
            return format!("// compaction class {class} is not stated");
        }
    };
    let options: Vec<String> = compaction
        .options
        .iter()
        .filter(|(k, v)| !default_threshold(k, v))
        .map(|(k, v)| format!("{k}: {}", scalar(v)))
        .collect();
    if options.is_empty() {
        return format!("compaction {strategy}");
    }
    format!("compaction {strategy} {{ {} }}", options.join(", "))
}

/// Whether the language states `index`: SAI, on a column, keys, values or
/// entries (vector indexes included).
fn stated_index(index: &IndexDef) -> bool {
    index.class == IndexClass::Sai && !matches!(index.target, IndexTarget::Full(_))
}

fn index_clause(index: &IndexDef, table: &str) -> String {
    let column = index.target.column().as_str();
    if let Some(similarity) = index.options.get("similarity_function") {
        let name = if index.name.as_str() == format!("{table}_{column}_idx") {
            String::new()
        } else {
            format!(" as {}", index.name)
        };
        return format!(
            "vector_index {column} similarity {}{name}",
            similarity.to_lowercase()
        );
    }
    let (target, default) = match &index.target {
        IndexTarget::Keys(_) => (
            format!("keys({column})"),
            format!("{table}_{column}_keys_idx"),
        ),
        IndexTarget::Entries(_) => (
            format!("entries({column})"),
            format!("{table}_{column}_entries_idx"),
        ),
        IndexTarget::Values(_) => (format!("values({column})"), format!("{table}_{column}_idx")),
        IndexTarget::Column(_) | IndexTarget::Full(_) => {
            (column.to_owned(), format!("{table}_{column}_idx"))
        }
    };
    if index.name.as_str() == default {
        format!("index ({target})")
    } else {
        format!("index ({target}) as {}", index.name)
    }
}

/// The first user-defined type `ty` names that is not pulled.
fn missing_type(ty: &CqlType, types: &BTreeMap<String, String>) -> Option<String> {
    match ty {
        CqlType::Native(_) => None,
        CqlType::Udt(name) => {
            (!types.contains_key(name.as_str())).then(|| name.as_str().to_owned())
        }
        CqlType::List(item)
        | CqlType::Set(item)
        | CqlType::Frozen(item)
        | CqlType::Vector(item, _) => missing_type(item, types),
        CqlType::Map(key, value) => missing_type(key, types).or_else(|| missing_type(value, types)),
        CqlType::Tuple(items) => items.iter().find_map(|item| missing_type(item, types)),
    }
}

/// `ty` as the language writes it.
fn corm_type(ty: &CqlType, types: &BTreeMap<String, String>) -> String {
    match ty {
        CqlType::Native(native) => native.to_string(),
        CqlType::Udt(name) => types
            .get(name.as_str())
            .cloned()
            .unwrap_or_else(|| name.to_string()),
        CqlType::List(item) => format!("list<{}>", corm_type(item, types)),
        CqlType::Set(item) => format!("set<{}>", corm_type(item, types)),
        CqlType::Frozen(item) => format!("frozen<{}>", corm_type(item, types)),
        CqlType::Map(key, value) => format!(
            "map<{}, {}>",
            corm_type(key, types),
            corm_type(value, types)
        ),
        CqlType::Tuple(items) => format!(
            "tuple<{}>",
            items
                .iter()
                .map(|item| corm_type(item, types))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        CqlType::Vector(item, n) => format!("vector<{}, {n}>", corm_type(item, types)),
    }
}

/// Seconds as the largest whole unit.
fn duration(seconds: u64) -> String {
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds.is_multiple_of(size) {
            return format!("{}{unit}", seconds / size);
        }
    }
    format!("{seconds}s")
}

fn string(text: &str) -> String {
    format!("{text:?}")
}

/// A scalar option value: a number as it is, else a string.
fn scalar(text: &str) -> String {
    if text.parse::<f64>().is_ok() || text == "true" || text == "false" {
        text.to_owned()
    } else {
        string(text)
    }
}

fn option_value(value: &OptionValue) -> String {
    match value {
        OptionValue::Map(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", scalar(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        OptionValue::Bool(b) => b.to_string(),
        OptionValue::Number(n) => n.clone(),
        OptionValue::Text(t) => string(t),
    }
}

//! Table options (`with … and …`): the ones corm models (TTL, compaction,
//! comment) typed, every other one kept as a literal.

use std::collections::BTreeMap;
use std::fmt;

use super::suggest;

/// The table options Cassandra 5.0 knows (plus `id`, accepted by
/// `create table`). Other names are kept too (other versions and ScyllaDB
/// have more), unless they look like a typo of one of these.
pub const KNOWN_TABLE_OPTIONS: &[&str] = &[
    "additional_write_policy",
    "allow_auto_snapshot",
    "bloom_filter_fp_chance",
    "caching",
    "cdc",
    "comment",
    "compaction",
    "compression",
    "crc_check_chance",
    "default_time_to_live",
    "extensions",
    "gc_grace_seconds",
    "id",
    "incremental_backups",
    "max_index_interval",
    "memtable",
    "memtable_flush_period_in_ms",
    "min_index_interval",
    "read_repair",
    "speculative_retry",
];

/// A literal option value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    /// A string (`'…'` or `$$…$$`), or a bare word.
    Text(String),
    /// A number, as written.
    Number(String),
    /// `true` or `false`.
    Bool(bool),
    /// A map literal; Cassandra reads every key and value as text.
    Map(BTreeMap<String, String>),
}

impl OptionValue {
    /// The value as text, as Cassandra reads a scalar property.
    #[must_use]
    pub fn as_text(&self) -> Option<String> {
        match self {
            Self::Text(s) | Self::Number(s) => Some(s.clone()),
            Self::Bool(b) => Some(b.to_string()),
            Self::Map(_) => None,
        }
    }
}

/// Writes `text` as a CQL string literal, doubling single quotes.
pub(crate) fn write_string(f: &mut impl fmt::Write, text: &str) -> fmt::Result {
    f.write_char('\'')?;
    f.write_str(&text.replace('\'', "''"))?;
    f.write_char('\'')
}

/// Writes a map of text as a CQL map literal, keys in order. Values that
/// are plain whole numbers are written bare (Cassandra reads every map value
/// as text, so `1` and `'1'` mean the same).
pub(crate) fn write_map(f: &mut impl fmt::Write, map: &BTreeMap<String, String>) -> fmt::Result {
    f.write_char('{')?;
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write_string(f, k)?;
        f.write_str(": ")?;
        if is_plain_number(v) {
            f.write_str(v)?;
        } else {
            write_string(f, v)?;
        }
    }
    f.write_char('}')
}

/// Whether `text` is a whole number that reads back as the same text.
fn is_plain_number(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 18
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
}

impl fmt::Display for OptionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(s) => write_string(f, s),
            Self::Number(n) => f.write_str(n),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Map(m) => write_map(f, m),
        }
    }
}

/// The normalised options of a table.
///
/// `default_time_to_live = 0` and `comment = ''` are Cassandra's defaults
/// and are stored as `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `default_time_to_live` in seconds (never `Some(0)`).
    pub default_time_to_live: Option<u32>,
    /// `compaction`; `None` is the server's default strategy.
    pub compaction: Option<Compaction>,
    /// `comment` (never `Some("")`).
    pub comment: Option<String>,
    /// Every other option by name, as written.
    pub other: BTreeMap<String, OptionValue>,
}

/// One `name = value` table option, typed where corm models it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableOption {
    /// `default_time_to_live = N`.
    DefaultTimeToLive(u32),
    /// `compaction = {…}`.
    Compaction(Compaction),
    /// `comment = '…'`.
    Comment(String),
    /// Any other option.
    Other {
        /// The option name (lowercase).
        name: String,
        /// Its value.
        value: OptionValue,
    },
}

impl TableOption {
    /// Reads `name = value`.
    ///
    /// # Errors
    /// A message and an optional hint when the value does not fit the
    /// option, or the name looks like a typo of a known option.
    pub fn from_value(name: &str, value: OptionValue) -> Result<Self, (String, Option<String>)> {
        match name {
            "default_time_to_live" => match &value {
                OptionValue::Number(n) => n.parse::<u32>().map(Self::DefaultTimeToLive).map_err(|_| {
                    (
                        format!("`default_time_to_live` must be a whole number of seconds, found `{n}`"),
                        Some("use 0 for no default TTL".to_owned()),
                    )
                }),
                other => Err((
                    format!("`default_time_to_live` must be a whole number of seconds, found `{other}`"),
                    None,
                )),
            },
            "comment" => match value {
                OptionValue::Text(s) => Ok(Self::Comment(s)),
                other => Err((format!("`comment` must be a string, found `{other}`"), None)),
            },
            "compaction" => match &value {
                OptionValue::Map(map) => Compaction::from_map(map).map(Self::Compaction).map_err(|m| (m, None)),
                other => Err((
                    format!("`compaction` must be a map like `{{'class': 'LeveledCompactionStrategy'}}`, found `{other}`"),
                    None,
                )),
            },
            _ => {
                if !KNOWN_TABLE_OPTIONS.contains(&name)
                    && let Some(known) = suggest::closest(name, KNOWN_TABLE_OPTIONS.iter().copied()) {
                        return Err((
                            format!("unknown table option `{name}`"),
                            Some(format!("did you mean `{known}`?")),
                        ));
                    }
                Ok(Self::Other { name: name.to_owned(), value })
            }
        }
    }

    /// The option name.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::DefaultTimeToLive(_) => "default_time_to_live",
            Self::Compaction(_) => "compaction",
            Self::Comment(_) => "comment",
            Self::Other { name, .. } => name,
        }
    }

    /// The option value as a literal.
    #[must_use]
    pub fn value(&self) -> OptionValue {
        match self {
            Self::DefaultTimeToLive(n) => OptionValue::Number(n.to_string()),
            Self::Compaction(c) => OptionValue::Map(c.to_map()),
            Self::Comment(s) => OptionValue::Text(s.clone()),
            Self::Other { value, .. } => value.clone(),
        }
    }
}

impl fmt::Display for TableOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name(), self.value())
    }
}

impl TableOptions {
    /// Sets one option (as `with name = value` does).
    pub fn apply(&mut self, option: TableOption) {
        match option {
            TableOption::DefaultTimeToLive(n) => self.default_time_to_live = (n > 0).then_some(n),
            TableOption::Compaction(c) => self.compaction = Some(c),
            TableOption::Comment(s) => self.comment = (!s.is_empty()).then_some(s),
            TableOption::Other { name, value } => {
                self.other.insert(name, value);
            }
        }
    }

    /// The options that differ from the defaults, sorted by name.
    #[must_use]
    pub fn to_options(&self) -> Vec<TableOption> {
        let mut out: Vec<TableOption> = Vec::new();
        if let Some(n) = self.default_time_to_live {
            out.push(TableOption::DefaultTimeToLive(n));
        }
        if let Some(c) = &self.compaction {
            out.push(TableOption::Compaction(c.clone()));
        }
        if let Some(s) = &self.comment {
            out.push(TableOption::Comment(s.clone()));
        }
        for (name, value) in &self.other {
            out.push(TableOption::Other {
                name: name.clone(),
                value: value.clone(),
            });
        }
        out.sort_by(|a, b| a.name().cmp(b.name()));
        out
    }

    /// Whether every option has its default value.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.default_time_to_live.is_none()
            && self.compaction.is_none()
            && self.comment.is_none()
            && self.other.is_empty()
    }
}

/// A compaction strategy with its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compaction {
    /// The strategy.
    pub strategy: CompactionStrategy,
    /// Its other options, as text (`class` and the time-window settings
    /// are not repeated here).
    pub options: BTreeMap<String, String>,
}

/// The compaction strategies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompactionStrategy {
    /// `SizeTieredCompactionStrategy`.
    SizeTiered,
    /// `LeveledCompactionStrategy`.
    Leveled,
    /// `UnifiedCompactionStrategy`.
    Unified,
    /// `TimeWindowCompactionStrategy` with its window.
    TimeWindow {
        /// `compaction_window_unit` (default `DAYS`).
        unit: WindowUnit,
        /// `compaction_window_size` (default 1).
        size: u32,
    },
    /// Any other class, as written.
    Other(String),
}

/// The unit of a time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WindowUnit {
    /// `MINUTES`
    Minutes,
    /// `HOURS`
    Hours,
    /// `DAYS`
    Days,
}

impl WindowUnit {
    /// The CQL spelling (`MINUTES`, `HOURS`, `DAYS`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Minutes => "MINUTES",
            Self::Hours => "HOURS",
            Self::Days => "DAYS",
        }
    }
}

const COMPACTION_PACKAGE: &str = "org.apache.cassandra.db.compaction.";

impl Compaction {
    /// A strategy with no further options.
    #[must_use]
    pub fn new(strategy: CompactionStrategy) -> Self {
        Self {
            strategy,
            options: BTreeMap::new(),
        }
    }

    /// Reads a `compaction = {…}` map.
    ///
    /// # Errors
    /// A human message when `class` is missing or a time-window setting is
    /// invalid.
    pub fn from_map(map: &BTreeMap<String, String>) -> Result<Self, String> {
        let class = map.get("class").ok_or_else(|| {
            "the compaction map needs a `'class'`, e.g. `{'class': 'LeveledCompactionStrategy'}`".to_owned()
        })?;
        let short = class.strip_prefix(COMPACTION_PACKAGE).unwrap_or(class);
        let mut options: BTreeMap<String, String> = map
            .iter()
            .filter(|(k, _)| *k != "class")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let strategy = match short {
            "SizeTieredCompactionStrategy" => CompactionStrategy::SizeTiered,
            "LeveledCompactionStrategy" => CompactionStrategy::Leveled,
            "UnifiedCompactionStrategy" => CompactionStrategy::Unified,
            "TimeWindowCompactionStrategy" => {
                let unit = match options.remove("compaction_window_unit") {
                    None => WindowUnit::Days,
                    Some(u) => match u.to_ascii_uppercase().as_str() {
                        "MINUTES" => WindowUnit::Minutes,
                        "HOURS" => WindowUnit::Hours,
                        "DAYS" => WindowUnit::Days,
                        _ => {
                            return Err(format!(
                                "`compaction_window_unit` must be `MINUTES`, `HOURS` or `DAYS`, found `{u}`"
                            ));
                        }
                    },
                };
                let size = match options.remove("compaction_window_size") {
                    None => 1,
                    Some(s) => match s.trim().parse::<u32>() {
                        Ok(n) if n > 0 => n,
                        _ => {
                            return Err(format!(
                                "`compaction_window_size` must be a positive whole number, found `{s}`"
                            ));
                        }
                    },
                };
                CompactionStrategy::TimeWindow { unit, size }
            }
            _ => CompactionStrategy::Other(class.clone()),
        };
        Ok(Self { strategy, options })
    }

    /// The class name as written in CQL (short for the built-in ones).
    #[must_use]
    pub fn class(&self) -> &str {
        match &self.strategy {
            CompactionStrategy::SizeTiered => "SizeTieredCompactionStrategy",
            CompactionStrategy::Leveled => "LeveledCompactionStrategy",
            CompactionStrategy::Unified => "UnifiedCompactionStrategy",
            CompactionStrategy::TimeWindow { .. } => "TimeWindowCompactionStrategy",
            CompactionStrategy::Other(class) => class,
        }
    }

    /// The compaction map as text, `class` included.
    #[must_use]
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut map = self.options.clone();
        map.insert("class".to_owned(), self.class().to_owned());
        if let CompactionStrategy::TimeWindow { unit, size } = &self.strategy {
            map.insert(
                "compaction_window_unit".to_owned(),
                unit.as_str().to_owned(),
            );
            map.insert("compaction_window_size".to_owned(), size.to_string());
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn compaction_classes() {
        let c = Compaction::from_map(&map(&[(
            "class",
            "org.apache.cassandra.db.compaction.LeveledCompactionStrategy",
        )]));
        assert_eq!(c, Ok(Compaction::new(CompactionStrategy::Leveled)));
        let u = Compaction::from_map(&map(&[
            ("class", "UnifiedCompactionStrategy"),
            ("scaling_parameters", "T4"),
        ]))
        .unwrap();
        assert_eq!(u.strategy, CompactionStrategy::Unified);
        assert_eq!(u.options, map(&[("scaling_parameters", "T4")]));
        let o = Compaction::from_map(&map(&[("class", "com.example.Mine")])).unwrap();
        assert_eq!(
            o.strategy,
            CompactionStrategy::Other("com.example.Mine".to_owned())
        );
        assert!(Compaction::from_map(&map(&[])).is_err());
    }

    #[test]
    fn time_window_defaults_normalise() {
        let bare =
            Compaction::from_map(&map(&[("class", "TimeWindowCompactionStrategy")])).unwrap();
        let full = Compaction::from_map(&map(&[
            ("class", "TimeWindowCompactionStrategy"),
            ("compaction_window_unit", "days"),
            ("compaction_window_size", "1"),
        ]))
        .unwrap();
        assert_eq!(bare, full);
        assert_eq!(
            bare.strategy,
            CompactionStrategy::TimeWindow {
                unit: WindowUnit::Days,
                size: 1
            }
        );
        assert_eq!(Compaction::from_map(&bare.to_map()), Ok(bare));
        assert!(
            Compaction::from_map(&map(&[
                ("class", "TimeWindowCompactionStrategy"),
                ("compaction_window_unit", "WEEKS")
            ]))
            .is_err()
        );
    }

    #[test]
    fn defaults_are_none() {
        let mut o = TableOptions::default();
        o.apply(TableOption::DefaultTimeToLive(60));
        o.apply(TableOption::Comment("hi".to_owned()));
        assert_eq!(o.default_time_to_live, Some(60));
        o.apply(TableOption::DefaultTimeToLive(0));
        o.apply(TableOption::Comment(String::new()));
        assert_eq!(o, TableOptions::default());
        assert!(o.is_empty());
    }

    #[test]
    fn option_values() {
        assert_eq!(
            TableOption::from_value(
                "default_time_to_live",
                OptionValue::Number("86400".to_owned())
            ),
            Ok(TableOption::DefaultTimeToLive(86400))
        );
        assert!(
            TableOption::from_value("default_time_to_live", OptionValue::Number("-1".to_owned()))
                .is_err()
        );
        assert!(TableOption::from_value("comment", OptionValue::Number("1".to_owned())).is_err());
        let typo =
            TableOption::from_value("defualt_time_to_live", OptionValue::Number("1".to_owned()));
        assert_eq!(
            typo.unwrap_err().1.as_deref(),
            Some("did you mean `default_time_to_live`?")
        );
        let other =
            TableOption::from_value("gc_grace_seconds", OptionValue::Number("10".to_owned()))
                .unwrap();
        assert_eq!(other.to_string(), "gc_grace_seconds = 10");
        let text = TableOption::Comment("it's".to_owned());
        assert_eq!(text.to_string(), "comment = 'it''s'");
    }
}

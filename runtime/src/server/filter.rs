//! The filter language of change subscriptions: JSON, checked against the
//! model's columns and their CQL types when a client subscribes, then
//! applied to each change.
//!
//! ```json
//! {"and": [
//!   {"eq": ["status", "open"]},
//!   {"ge": ["priority", 3]},
//!   {"not": {"eq": ["assignee", null]}},
//!   {"in": ["board", ["support", "sales"]]},
//!   {"within": {"latitude": "latitude", "longitude": "longitude",
//!               "center": [51.5, -0.12], "meters": 5000}}
//! ]}
//! ```
//!
//! `eq`, `ne` and `in` compare numbers, text (and enums), booleans, UUIDs
//! and timestamps (RFC 3339 text or milliseconds); `lt`, `le`, `gt` and
//! `ge` compare numbers, text and timestamps; `null` matches a column the
//! change wrote null. `within` keeps changes whose two numeric columns
//! (degrees of latitude and longitude) are within `meters` of `center`
//! (great-circle distance). A comparison with a column the change does not
//! hold (an update that did not set it, a delete) is false, so `not` of it
//! is true; the key's columns are in every change.

use std::cmp::Ordering;

use bigdecimal::ToPrimitive;
use scylla::frame::response::result::{ColumnType, NativeType};
use scylla::value::CqlValue;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::changes::ChangeRecord;

/// A subscription's filter, as a client writes it (JSON).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Filter {
    /// `{"eq": [column, value]}`
    Eq(String, Value),
    /// `{"ne": [column, value]}`
    Ne(String, Value),
    /// `{"lt": [column, value]}`
    Lt(String, Value),
    /// `{"le": [column, value]}`
    Le(String, Value),
    /// `{"gt": [column, value]}`
    Gt(String, Value),
    /// `{"ge": [column, value]}`
    Ge(String, Value),
    /// `{"in": [column, [value, …]]}`
    In(String, Vec<Value>),
    /// `{"and": [filter, …]}`
    And(Vec<Filter>),
    /// `{"or": [filter, …]}`
    Or(Vec<Filter>),
    /// `{"not": filter}`
    Not(Box<Filter>),
    /// `{"within": {"latitude": column, "longitude": column, "center":
    /// [latitude, longitude], "meters": distance}}`
    Within(Within),
}

/// The distance filter: two numeric columns within `meters` of `center`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Within {
    /// The latitude column (degrees).
    pub latitude: String,
    /// The longitude column (degrees).
    pub longitude: String,
    /// `[latitude, longitude]` in degrees.
    pub center: [f64; 2],
    /// The largest distance, in meters.
    pub meters: f64,
}

/// What a column holds, for comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    Text,
    Bool,
    Uuid,
    Timestamp,
}

/// A literal of a checked filter, in its column's kind.
#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Null,
    Integer(i128),
    Float(f64),
    Text(String),
    Bool(bool),
    Uuid(Uuid),
    /// Milliseconds since the Unix epoch.
    Timestamp(i64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A filter checked against a model's columns, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedFilter(Check);

#[derive(Clone, Debug, PartialEq)]
enum Check {
    Compare(String, Op, Literal),
    In(String, Vec<Literal>),
    And(Vec<Check>),
    Or(Vec<Check>),
    Not(Box<Check>),
    Within {
        latitude: String,
        longitude: String,
        center: [f64; 2],
        meters: f64,
    },
}

/// The most nested filters a subscription may have.
const MAX_DEPTH: usize = 16;

impl Filter {
    /// This filter checked against `columns` (each column's name and CQL
    /// type).
    ///
    /// # Errors
    /// Why it does not fit: an unknown column, a comparison its type does
    /// not have, a literal of another type, nesting deeper than 16.
    pub fn check(
        &self,
        columns: &[(String, ColumnType<'static>)],
    ) -> Result<CheckedFilter, String> {
        check(self, columns, 0).map(CheckedFilter)
    }
}

impl CheckedFilter {
    /// Whether `change` passes.
    pub fn matches(&self, change: &ChangeRecord) -> bool {
        matches(&self.0, change)
    }

    /// This filter and `other`.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        Self(Check::And(vec![self.0, other.0]))
    }
}

fn check(
    filter: &Filter,
    columns: &[(String, ColumnType<'static>)],
    depth: usize,
) -> Result<Check, String> {
    if depth > MAX_DEPTH {
        return Err(format!("filters nest at most {MAX_DEPTH} deep"));
    }
    let compare = |column: &str, op: Op, literal: &Value| -> Result<Check, String> {
        let kind = kind_of(column, columns)?;
        if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge)
            && !matches!(
                kind,
                Kind::Integer | Kind::Float | Kind::Text | Kind::Timestamp
            )
        {
            return Err(format!(
                "`{column}` has no order to compare with `{}`",
                op_name(op)
            ));
        }
        let literal = literal_of(column, kind, literal)?;
        if literal == Literal::Null && !matches!(op, Op::Eq | Op::Ne) {
            return Err(format!(
                "`{}` can't compare `{column}` with null",
                op_name(op)
            ));
        }
        Ok(Check::Compare(column.to_owned(), op, literal))
    };
    Ok(match filter {
        Filter::Eq(column, value) => compare(column, Op::Eq, value)?,
        Filter::Ne(column, value) => compare(column, Op::Ne, value)?,
        Filter::Lt(column, value) => compare(column, Op::Lt, value)?,
        Filter::Le(column, value) => compare(column, Op::Le, value)?,
        Filter::Gt(column, value) => compare(column, Op::Gt, value)?,
        Filter::Ge(column, value) => compare(column, Op::Ge, value)?,
        Filter::In(column, values) => {
            let kind = kind_of(column, columns)?;
            if values.is_empty() || values.len() > 1000 {
                return Err(format!("`in` on `{column}` takes 1 to 1000 values"));
            }
            let literals = values
                .iter()
                .map(|value| literal_of(column, kind, value))
                .collect::<Result<Vec<_>, _>>()?;
            Check::In(column.clone(), literals)
        }
        Filter::And(filters) | Filter::Or(filters) => {
            if filters.is_empty() {
                return Err("`and` and `or` take at least one filter".to_owned());
            }
            let checks = filters
                .iter()
                .map(|filter| check(filter, columns, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            if matches!(filter, Filter::And(_)) {
                Check::And(checks)
            } else {
                Check::Or(checks)
            }
        }
        Filter::Not(filter) => Check::Not(Box::new(check(filter, columns, depth + 1)?)),
        Filter::Within(within) => {
            for column in [&within.latitude, &within.longitude] {
                if !matches!(kind_of(column, columns)?, Kind::Integer | Kind::Float) {
                    return Err(format!(
                        "`within` needs numeric columns; `{column}` is not one"
                    ));
                }
            }
            let [latitude, longitude] = within.center;
            if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
                return Err("`within`'s center is [latitude, longitude] in degrees".to_owned());
            }
            if !(within.meters.is_finite() && within.meters >= 0.0) {
                return Err("`within`'s meters is a distance of 0 or more".to_owned());
            }
            Check::Within {
                latitude: within.latitude.clone(),
                longitude: within.longitude.clone(),
                center: within.center,
                meters: within.meters,
            }
        }
    })
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Eq => "eq",
        Op::Ne => "ne",
        Op::Lt => "lt",
        Op::Le => "le",
        Op::Gt => "gt",
        Op::Ge => "ge",
    }
}

/// The kind of column `name`.
fn kind_of(name: &str, columns: &[(String, ColumnType<'static>)]) -> Result<Kind, String> {
    let Some((_, typ)) = columns.iter().find(|(column, _)| column == name) else {
        let known: Vec<&str> = columns.iter().map(|(column, _)| column.as_str()).collect();
        return Err(format!(
            "no column `{name}` (the columns: {})",
            known.join(", ")
        ));
    };
    match typ {
        ColumnType::Native(native) => match native {
            NativeType::TinyInt
            | NativeType::SmallInt
            | NativeType::Int
            | NativeType::BigInt
            | NativeType::Counter
            | NativeType::Varint => Ok(Kind::Integer),
            NativeType::Float | NativeType::Double | NativeType::Decimal => Ok(Kind::Float),
            NativeType::Ascii | NativeType::Text => Ok(Kind::Text),
            NativeType::Boolean => Ok(Kind::Bool),
            NativeType::Uuid | NativeType::Timeuuid => Ok(Kind::Uuid),
            NativeType::Timestamp => Ok(Kind::Timestamp),
            _ => Err(format!("a filter can't compare `{name}` ({native:?})")),
        },
        _ => Err(format!(
            "a filter can't compare `{name}`: collections, tuples, vectors and user types are not compared"
        )),
    }
}

/// `value` as a literal of `kind` (for column `column`).
fn literal_of(column: &str, kind: Kind, value: &Value) -> Result<Literal, String> {
    let wrong = || format!("`{column}` can't be compared with {value}");
    Ok(match (kind, value) {
        (_, Value::Null) => Literal::Null,
        (Kind::Integer, Value::Number(number)) => match number.as_i64() {
            Some(integer) => Literal::Integer(i128::from(integer)),
            None => number.as_f64().map(Literal::Float).ok_or_else(wrong)?,
        },
        (Kind::Float, Value::Number(number)) => Literal::Float(number.as_f64().ok_or_else(wrong)?),
        (Kind::Text, Value::String(text)) => Literal::Text(text.clone()),
        (Kind::Bool, Value::Bool(value)) => Literal::Bool(*value),
        (Kind::Uuid, Value::String(text)) => {
            Literal::Uuid(Uuid::parse_str(text).map_err(|_| wrong())?)
        }
        (Kind::Timestamp, Value::Number(number)) => {
            Literal::Timestamp(number.as_i64().ok_or_else(wrong)?)
        }
        (Kind::Timestamp, Value::String(text)) => Literal::Timestamp(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|_| wrong())?
                .timestamp_millis(),
        ),
        _ => return Err(wrong()),
    })
}

fn matches(check: &Check, change: &ChangeRecord) -> bool {
    match check {
        Check::Compare(column, op, literal) => match change.column(column) {
            None => false,
            Some(value) => compare(value, *op, literal),
        },
        Check::In(column, literals) => change.column(column).is_some_and(|value| {
            literals
                .iter()
                .any(|literal| compare(value, Op::Eq, literal))
        }),
        Check::And(checks) => checks.iter().all(|check| matches(check, change)),
        Check::Or(checks) => checks.iter().any(|check| matches(check, change)),
        Check::Not(check) => !matches(check, change),
        Check::Within {
            latitude,
            longitude,
            center,
            meters,
        } => {
            let number = |column: &str| change.column(column).flatten().and_then(as_f64);
            match (number(latitude), number(longitude)) {
                (Some(latitude), Some(longitude)) => {
                    distance_meters([latitude, longitude], *center) <= *meters
                }
                _ => false,
            }
        }
    }
}

/// Whether `value` (`None`: null) stands in `op` to `literal`.
fn compare(value: Option<&CqlValue>, op: Op, literal: &Literal) -> bool {
    let ordering = match (value, literal) {
        (None, Literal::Null) => Some(Ordering::Equal),
        (None, _) | (Some(_), Literal::Null) => None,
        (Some(value), literal) => order(value, literal),
    };
    match (op, ordering) {
        (Op::Eq, Some(ordering)) => ordering == Ordering::Equal,
        (Op::Ne, Some(ordering)) => ordering != Ordering::Equal,
        // Null against a value: not equal, and no order.
        (Op::Ne, None) => value.is_none() != (*literal == Literal::Null),
        (Op::Lt, Some(ordering)) => ordering == Ordering::Less,
        (Op::Le, Some(ordering)) => ordering != Ordering::Greater,
        (Op::Gt, Some(ordering)) => ordering == Ordering::Greater,
        (Op::Ge, Some(ordering)) => ordering != Ordering::Less,
        _ => false,
    }
}

/// How `value` orders against `literal`, when they are comparable.
fn order(value: &CqlValue, literal: &Literal) -> Option<Ordering> {
    match literal {
        Literal::Integer(integer) => match as_i128(value) {
            Some(value) => Some(value.cmp(integer)),
            None => as_f64(value)?.partial_cmp(&(*integer as f64)),
        },
        Literal::Float(float) => as_f64(value)?.partial_cmp(float),
        Literal::Text(text) => value
            .as_text()
            .or_else(|| value.as_ascii())
            .map(|value| value.as_str().cmp(text)),
        Literal::Bool(expected) => value.as_boolean().map(|value| value.cmp(expected)),
        Literal::Uuid(expected) => match value {
            CqlValue::Uuid(uuid) => Some(uuid.cmp(expected)),
            CqlValue::Timeuuid(uuid) => Some(Uuid::from(*uuid).cmp(expected)),
            _ => None,
        },
        Literal::Timestamp(millis) => match value {
            CqlValue::Timestamp(timestamp) => Some(timestamp.0.cmp(millis)),
            _ => None,
        },
        Literal::Null => None,
    }
}

fn as_i128(value: &CqlValue) -> Option<i128> {
    Some(match value {
        CqlValue::TinyInt(value) => i128::from(*value),
        CqlValue::SmallInt(value) => i128::from(*value),
        CqlValue::Int(value) => i128::from(*value),
        CqlValue::BigInt(value) => i128::from(*value),
        CqlValue::Counter(counter) => i128::from(counter.0),
        CqlValue::Varint(varint) => num_bigint::BigInt::from(varint.clone()).to_i128()?,
        _ => return None,
    })
}

fn as_f64(value: &CqlValue) -> Option<f64> {
    match value {
        CqlValue::Float(value) => Some(f64::from(*value)),
        CqlValue::Double(value) => Some(*value),
        CqlValue::Decimal(decimal) => bigdecimal::BigDecimal::from(decimal.clone()).to_f64(),
        other => as_i128(other).map(|value| value as f64),
    }
}

/// The great-circle distance between two `[latitude, longitude]` points
/// in degrees (haversine, on a sphere of the Earth's mean radius).
fn distance_meters(from: [f64; 2], to: [f64; 2]) -> f64 {
    const EARTH_RADIUS_METERS: f64 = 6_371_008.8;
    let (latitude_1, latitude_2) = (from[0].to_radians(), to[0].to_radians());
    let half_latitude = (to[0] - from[0]).to_radians() / 2.0;
    let half_longitude = (to[1] - from[1]).to_radians() / 2.0;
    let a = half_latitude.sin().powi(2)
        + latitude_1.cos() * latitude_2.cos() * half_longitude.sin().powi(2);
    2.0 * EARTH_RADIUS_METERS * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::{Operation, Position};

    fn columns() -> Vec<(String, ColumnType<'static>)> {
        vec![
            ("board".to_owned(), ColumnType::Native(NativeType::Text)),
            ("priority".to_owned(), ColumnType::Native(NativeType::Int)),
            (
                "latitude".to_owned(),
                ColumnType::Native(NativeType::Double),
            ),
            (
                "longitude".to_owned(),
                ColumnType::Native(NativeType::Double),
            ),
            ("assignee".to_owned(), ColumnType::Native(NativeType::Text)),
            ("receipt".to_owned(), ColumnType::Native(NativeType::Blob)),
        ]
    }

    fn change(values: Vec<(&str, Option<CqlValue>)>) -> ChangeRecord {
        ChangeRecord {
            model: "Ticket",
            position: Position::now(),
            operation: Operation::Update,
            writer: "test".to_owned(),
            late: false,
            key: vec![("board".to_owned(), CqlValue::Text("support".to_owned()))],
            values: values
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    fn parse(json: &str) -> Result<CheckedFilter, String> {
        serde_json::from_str::<Filter>(json)
            .map_err(|error| error.to_string())?
            .check(&columns())
    }

    #[test]
    fn filters_apply_to_the_columns_a_change_holds() {
        let filter =
            parse(r#"{"and": [{"eq": ["board", "support"]}, {"ge": ["priority", 3]}]}"#).unwrap();
        assert!(filter.matches(&change(vec![("priority", Some(CqlValue::Int(3)))])));
        assert!(!filter.matches(&change(vec![("priority", Some(CqlValue::Int(2)))])));
        // An update that did not set `priority` does not pass; `not` of it does.
        assert!(!filter.matches(&change(vec![])));
        let not = parse(r#"{"not": {"ge": ["priority", 3]}}"#).unwrap();
        assert!(not.matches(&change(vec![])));
        let null = parse(r#"{"eq": ["assignee", null]}"#).unwrap();
        assert!(null.matches(&change(vec![("assignee", None)])));
        assert!(!null.matches(&change(vec![(
            "assignee",
            Some(CqlValue::Text("ada".into()))
        )])));
        let any = parse(r#"{"in": ["priority", [1, 5]]}"#).unwrap();
        assert!(any.matches(&change(vec![("priority", Some(CqlValue::Int(5)))])));
        assert!(!any.matches(&change(vec![("priority", Some(CqlValue::Int(4)))])));
    }

    #[test]
    fn the_distance_filter_keeps_changes_near_its_center() {
        let london = r#"{"within": {"latitude": "latitude", "longitude": "longitude", "center": [51.5074, -0.1278], "meters": 10000}}"#;
        let filter = parse(london).unwrap();
        let at = |latitude: f64, longitude: f64| {
            change(vec![
                ("latitude", Some(CqlValue::Double(latitude))),
                ("longitude", Some(CqlValue::Double(longitude))),
            ])
        };
        // Greenwich, about 9 km away; Paris, about 340 km away.
        assert!(filter.matches(&at(51.4769, 0.0005)));
        assert!(!filter.matches(&at(48.8566, 2.3522)));
        assert!(!filter.matches(&change(vec![])));
    }

    #[test]
    fn a_filter_that_does_not_fit_the_columns_is_refused_with_the_reason() {
        let refused = |json: &str| parse(json).unwrap_err();
        assert!(refused(r#"{"eq": ["colour", "red"]}"#).contains("no column `colour`"));
        assert!(refused(r#"{"eq": ["priority", "high"]}"#).contains("can't be compared"));
        assert!(refused(r#"{"lt": ["receipt", "0x00"]}"#).contains("can't compare `receipt`"));
        assert!(refused(r#"{"gt": ["priority", null]}"#).contains("with null"));
        assert!(refused(r#"{"like": ["board", "s%"]}"#).contains("unknown variant"));
        assert!(refused(r#"{"within": {"latitude": "board", "longitude": "longitude", "center": [0, 0], "meters": 1}}"#).contains("numeric"));
        let deep = format!(
            "{}{}{}",
            r#"{"not": "#.repeat(20),
            r#"{"eq": ["board", "a"]}"#,
            "}".repeat(20)
        );
        assert!(refused(&deep).contains("nest"));
    }
}

//! A change read without its model's Rust types: its columns by name with
//! the driver's dynamic values, and as JSON (what the change endpoints
//! send and filter on).

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, NaiveTime};
use scylla::deserialize::FrameSlice;
use scylla::deserialize::row::ColumnIterator;
use scylla::deserialize::value::DeserializeValue;
use scylla::frame::response::result::ColumnSpec;
use scylla::value::CqlValue;
use serde_json::{Map, Value};

use super::log::RawChange;
use super::{Operation, Position};
use crate::table::UPDATE_USING;
use crate::{Error, Result, Session, TableStatements};

/// A change with its columns by name (see [`Change`](super::Change) for
/// the typed form).
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeRecord {
    /// The model.
    pub model: &'static str,
    /// Where it is in the log.
    pub position: Position,
    /// What it did.
    pub operation: Operation,
    /// The writer's name.
    pub writer: String,
    /// Whether it became visible after readers had passed its position.
    pub late: bool,
    /// The key's columns (the partition key's, for partition changes).
    pub key: Vec<(String, CqlValue)>,
    /// The columns written, `None` for a null: every column of an insert,
    /// the set columns of an update, none for a delete.
    pub values: Vec<(String, Option<CqlValue>)>,
}

impl ChangeRecord {
    /// The value of column `name` in this change: `None` when the change
    /// does not hold the column, `Some(None)` when it wrote a null.
    pub fn column(&self, name: &str) -> Option<Option<&CqlValue>> {
        if let Some((_, value)) = self.key.iter().find(|(column, _)| column == name) {
            return Some(Some(value));
        }
        self.values
            .iter()
            .find(|(column, _)| column == name)
            .map(|(_, value)| value.as_ref())
    }

    /// The change as JSON: `{"model", "position", "operation", "writer",
    /// "late", "key": {…}, "values": {…}}`, each value as [`value_json`]
    /// writes it.
    pub fn to_json(&self) -> Value {
        let key: Map<String, Value> = self
            .key
            .iter()
            .map(|(name, value)| (name.clone(), value_json(value)))
            .collect();
        let values: Map<String, Value> = self
            .values
            .iter()
            .map(|(name, value)| (name.clone(), value.as_ref().map_or(Value::Null, value_json)))
            .collect();
        serde_json::json!({
            "model": self.model,
            "position": self.position.to_string(),
            "operation": self.operation.as_str(),
            "writer": self.writer,
            "late": self.late,
            "key": key,
            "values": values,
        })
    }
}

/// A CQL value as JSON: numbers as numbers (`bigint` and `counter` too,
/// exact up to 2^53), `varint` and `decimal` as strings (exact), texts,
/// UUIDs, `inet` as strings, `timestamp` as RFC 3339 text, `date` and
/// `time` as ISO 8601 text, `duration` as `{months, days, nanoseconds}`,
/// `blob` as `0x…` hex, lists, sets, vectors and tuples as arrays, maps
/// with text keys and UDTs as objects (other maps as arrays of pairs).
pub fn value_json(value: &CqlValue) -> Value {
    match value {
        CqlValue::Ascii(text) | CqlValue::Text(text) => Value::from(text.as_str()),
        CqlValue::Boolean(value) => Value::from(*value),
        CqlValue::Blob(bytes) => {
            let mut hex = String::with_capacity(2 + 2 * bytes.len());
            hex.push_str("0x");
            for byte in bytes {
                let _ = write!(hex, "{byte:02x}");
            }
            Value::from(hex)
        }
        CqlValue::Counter(counter) => Value::from(counter.0),
        CqlValue::Decimal(decimal) => {
            Value::from(bigdecimal::BigDecimal::from(decimal.clone()).to_string())
        }
        CqlValue::Date(date) => {
            let days = i64::from(date.0) - (1 << 31);
            NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|epoch| epoch.checked_add_signed(chrono::TimeDelta::days(days)))
                .map_or(Value::Null, |date| Value::from(date.to_string()))
        }
        CqlValue::Double(value) => Value::from(*value),
        CqlValue::Duration(duration) => serde_json::json!({
            "months": duration.months,
            "days": duration.days,
            "nanoseconds": duration.nanoseconds,
        }),
        CqlValue::Empty => Value::Null,
        CqlValue::Float(value) => Value::from(f64::from(*value)),
        CqlValue::Int(value) => Value::from(*value),
        CqlValue::BigInt(value) => Value::from(*value),
        CqlValue::Timestamp(timestamp) => DateTime::from_timestamp_millis(timestamp.0)
            .map_or(Value::Null, |time| Value::from(time.to_rfc3339())),
        CqlValue::Inet(address) => Value::from(address.to_string()),
        CqlValue::List(items) | CqlValue::Set(items) | CqlValue::Vector(items) => {
            Value::Array(items.iter().map(value_json).collect())
        }
        CqlValue::Map(entries) => {
            if entries.iter().all(|(key, _)| key.as_text().is_some()) {
                Value::Object(
                    entries
                        .iter()
                        .filter_map(|(key, value)| {
                            Some((key.as_text()?.clone(), value_json(value)))
                        })
                        .collect(),
                )
            } else {
                Value::Array(
                    entries
                        .iter()
                        .map(|(key, value)| Value::Array(vec![value_json(key), value_json(value)]))
                        .collect(),
                )
            }
        }
        CqlValue::UserDefinedType { fields, .. } => Value::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), value.as_ref().map_or(Value::Null, value_json)))
                .collect(),
        ),
        CqlValue::SmallInt(value) => Value::from(*value),
        CqlValue::TinyInt(value) => Value::from(*value),
        CqlValue::Time(time) => {
            let seconds = u32::try_from(time.0.div_euclid(1_000_000_000)).unwrap_or(0);
            let nanos = u32::try_from(time.0.rem_euclid(1_000_000_000)).unwrap_or(0);
            NaiveTime::from_num_seconds_from_midnight_opt(seconds, nanos)
                .map_or(Value::Null, |time| Value::from(time.to_string()))
        }
        CqlValue::Timeuuid(uuid) => Value::from(uuid.to_string()),
        CqlValue::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|item| item.as_ref().map_or(Value::Null, value_json))
                .collect(),
        ),
        CqlValue::Uuid(uuid) => Value::from(uuid.to_string()),
        CqlValue::Varint(varint) => {
            Value::from(num_bigint::BigInt::from(varint.clone()).to_string())
        }
        _ => Value::Null,
    }
}

/// `raw`, a change of `statements`' table, with its columns by name.
pub(crate) async fn decode_record(
    session: &Session,
    statements: &TableStatements,
    raw: &RawChange,
    late: bool,
) -> Result<ChangeRecord> {
    let model = statements.spec().model;
    let unreadable = |problem: String| Error::ChangeLog {
        model,
        problem: format!("the change at {} does not read: {problem}", raw.position),
    };
    let (key, values) = match raw.operation {
        Operation::Insert => {
            let insert = statements.insert_using.prepared(session).await?;
            let specs = insert.get_variable_col_specs();
            let specs = &specs.as_slice()[..specs.len().saturating_sub(2)];
            let get = statements.get.prepared(session).await?;
            let key =
                columns(get.get_variable_col_specs().as_slice(), &raw.key).map_err(unreadable)?;
            (key, columns(specs, &raw.cells).map_err(unreadable)?)
        }
        Operation::Update | Operation::UpdatePartition => {
            let statement = statements.update_statement(raw.mask | UPDATE_USING);
            let update = statement.prepared(session).await?;
            let specs = update.get_variable_col_specs();
            let set = raw.mask.count_ones() as usize;
            let rest = specs.as_slice().get(2..).unwrap_or_default();
            if set > rest.len() {
                return Err(unreadable("its columns are not the update's".to_owned()));
            }
            let (set_specs, key_specs) = rest.split_at(set);
            let key = columns(key_specs, &raw.key).map_err(unreadable)?;
            (key, columns(set_specs, &raw.cells).map_err(unreadable)?)
        }
        Operation::Delete => {
            let get = statements.get.prepared(session).await?;
            let key =
                columns(get.get_variable_col_specs().as_slice(), &raw.key).map_err(unreadable)?;
            (key, Vec::new())
        }
        Operation::DeletePartition => {
            let partition = statements.partition.prepared(session).await?;
            let specs = partition.get_variable_col_specs();
            (
                columns(specs.as_slice(), &raw.key).map_err(unreadable)?,
                Vec::new(),
            )
        }
    };
    let key = key
        .into_iter()
        .map(|(name, value)| (name, value.unwrap_or(CqlValue::Empty)))
        .collect();
    Ok(ChangeRecord {
        model,
        position: raw.position,
        operation: raw.operation,
        writer: raw.writer.clone(),
        late,
        key,
        values,
    })
}

/// The cells of `cells`, read as the types of `specs`, by name.
fn columns(
    specs: &[ColumnSpec<'_>],
    cells: &[u8],
) -> std::result::Result<Vec<(String, Option<CqlValue>)>, String> {
    let mut read = Vec::with_capacity(specs.len());
    for column in ColumnIterator::new(specs, FrameSlice::new_borrowed(cells)) {
        let column = column.map_err(|error| error.to_string())?;
        let typ = column.spec.typ();
        let value = match column.slice {
            None => None,
            Some(slice) => {
                <CqlValue as DeserializeValue>::type_check(typ)
                    .map_err(|error| error.to_string())?;
                Some(
                    CqlValue::deserialize(typ, Some(slice))
                        .map_err(|error| format!("`{}`: {error}", column.spec.name()))?,
                )
            }
        };
        read.push((column.spec.name().to_owned(), value));
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scylla::value::{CqlDate, CqlDuration, CqlTime, CqlTimestamp};

    #[test]
    fn values_have_a_json_form_that_keeps_them_exact() {
        assert_eq!(value_json(&CqlValue::BigInt(-7)), serde_json::json!(-7));
        assert_eq!(
            value_json(&CqlValue::Blob(vec![0, 0xab])),
            serde_json::json!("0x00ab")
        );
        assert_eq!(
            value_json(&CqlValue::Timestamp(CqlTimestamp(86_400_000))),
            serde_json::json!("1970-01-02T00:00:00+00:00")
        );
        assert_eq!(
            value_json(&CqlValue::Date(CqlDate((1 << 31) + 1))),
            serde_json::json!("1970-01-02")
        );
        assert_eq!(
            value_json(&CqlValue::Time(CqlTime(3_600_000_000_001))),
            serde_json::json!("01:00:00.000000001")
        );
        let duration = CqlDuration {
            months: 1,
            days: 2,
            nanoseconds: 3,
        };
        assert_eq!(
            value_json(&CqlValue::Duration(duration)),
            serde_json::json!({"months": 1, "days": 2, "nanoseconds": 3})
        );
        let map = CqlValue::Map(vec![(CqlValue::Text("a".into()), CqlValue::Int(1))]);
        assert_eq!(value_json(&map), serde_json::json!({"a": 1}));
        let by_int = CqlValue::Map(vec![(CqlValue::Int(1), CqlValue::Boolean(true))]);
        assert_eq!(value_json(&by_int), serde_json::json!([[1, true]]));
    }
}

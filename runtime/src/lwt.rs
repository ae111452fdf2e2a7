//! Lightweight transactions: reading whether a conditional write applied.

use scylla::response::query_result::QueryResult;
use scylla::value::{CqlValue, Row};

use crate::{Error, Result};

/// The columns of a row as `(name, value)` pairs, in the order of the result.
pub type RowValues = Vec<(String, Option<CqlValue>)>;

/// The name of the column Cassandra adds to the result of a conditional write.
pub const APPLIED_COLUMN: &str = "[applied]";

/// Whether a conditional write (`IF NOT EXISTS`, `IF col = ?`) applied.
///
/// When it did not, Cassandra returns the current values beside
/// `[applied] = false`; use [`existing_row`] to read them.
///
/// # Errors
/// [`Error::Result`] when `result` is not the result of a conditional write;
/// `statement` is the CQL text, for the message.
pub fn was_applied(statement: &str, result: QueryResult) -> Result<bool> {
    let (applied, _) = applied_and_row(statement, result)?;
    Ok(applied)
}

/// The current row returned by a conditional write that did not apply, as
/// `(column name, value)` pairs without `[applied]`; `None` when it applied.
///
/// # Errors
/// As for [`was_applied`].
pub fn existing_row(statement: &str, result: QueryResult) -> Result<Option<RowValues>> {
    let (applied, row) = applied_and_row(statement, result)?;
    Ok((!applied).then_some(row))
}

fn applied_and_row(statement: &str, result: QueryResult) -> Result<(bool, RowValues)> {
    let problem = |problem: String| Error::Result {
        statement: statement.to_owned(),
        problem,
    };
    let rows = result
        .into_rows_result()
        .map_err(|e| problem(format!("a conditional write returns rows: {e}")))?;
    let names: Vec<String> = rows
        .column_specs()
        .iter()
        .map(|spec| spec.name().to_owned())
        .collect();
    if names.first().map(String::as_str) != Some(APPLIED_COLUMN) {
        return Err(problem(format!(
            "expected an `{APPLIED_COLUMN}` column first, found {names:?}"
        )));
    }
    let row: Row = rows
        .single_row()
        .map_err(|e| problem(format!("a conditional write returns one row: {e}")))?;
    let mut values = names.into_iter().zip(row.columns);
    let applied = match values.next() {
        Some((_, Some(CqlValue::Boolean(applied)))) => applied,
        other => {
            return Err(problem(format!(
                "`{APPLIED_COLUMN}` is not a boolean: {other:?}"
            )));
        }
    };
    Ok((applied, values.collect()))
}

//! Lightweight transactions: reading whether a conditional write applied,
//! and the current values Cassandra returns when it did not.
//!
//! A conditional write's result has no fixed shape: when it applied the row
//! holds only `[applied]`; when it did not, the current values of the
//! partition key, clustering and condition (or all, for `IF NOT EXISTS`)
//! columns follow, in Cassandra's order. [`Applied`] reads `[applied]` and
//! keeps the rest to read by name with the Rust type of each column.
//!
//! ```no_run
//! # async fn demo(session: &corm::Session) -> corm::Result<()> {
//! let statement = "UPDATE accounts SET owner = ? WHERE email = ? IF owner = ?";
//! let update = session.prepare(statement).await?;
//! let result = session.execute(&update, ("b", "a@example.com", "a")).await?;
//! let applied = corm::lwt::applied(statement, result)?;
//! if !applied.applied() {
//!     let owner: Option<Option<String>> = applied
//!         .get("owner")
//!         .map_err(|source| corm::Error::Deserialize { statement: statement.into(), source })?;
//!     println!("not applied; the owner is {owner:?}");
//! }
//! # Ok(())
//! # }
//! ```

use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use scylla::deserialize::value::DeserializeValue;
use scylla::deserialize::{DeserializationError, FrameSlice, TypeCheckError};
use scylla::errors::SingleRowError;
use scylla::frame::response::result::{ColumnSpec, ColumnType};
use scylla::response::query_result::QueryResult;
use scylla::value::CqlValue;

use crate::rt::{self, CodecError};
use crate::{Error, Result};

/// The columns of a row as `(name, value)` pairs, in the order of the result.
pub type RowValues = Vec<(String, Option<CqlValue>)>;

/// The name of the column Cassandra adds to the result of a conditional write.
pub const APPLIED_COLUMN: &str = "[applied]";

/// The result row of a conditional write: whether it applied, and the
/// current values returned beside `[applied]` when it did not.
///
/// It implements `DeserializeRow`, so it can be read with the driver's
/// row accessors as well as with [`applied`].
#[derive(Clone, Debug)]
pub struct Applied {
    applied: bool,
    columns: Vec<Column>,
    /// The statement's text, for errors (empty when read without
    /// [`applied`]).
    statement: String,
}

/// The outcome of a generated conditional mutation: it applied, or it did
/// not and `C` holds the current values of the columns its `if` tests
/// (`None` each when the row does not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conditional<C> {
    /// The condition held and the write applied.
    Applied,
    /// The condition did not hold; nothing was written.
    NotApplied(C),
}

impl<C> Conditional<C> {
    /// Whether the write applied.
    pub fn applied(&self) -> bool {
        matches!(self, Self::Applied)
    }

    /// The current values when it did not apply.
    pub fn current(&self) -> Option<&C> {
        match self {
            Self::Applied => None,
            Self::NotApplied(current) => Some(current),
        }
    }
}

#[derive(Clone, Debug)]
struct Column {
    name: String,
    typ: ColumnType<'static>,
    value: Option<Vec<u8>>,
}

impl Applied {
    /// Whether the write applied.
    pub fn applied(&self) -> bool {
        self.applied
    }

    /// The names of the columns returned beside `[applied]`, in order.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|column| column.name.as_str())
    }

    /// The current value of the column `name` returned beside `[applied]`:
    /// `None` when it is null, or absent (the write applied, or the row does
    /// not exist).
    ///
    /// # Errors
    /// [`Error::Deserialize`] naming the statement and the column.
    pub fn current<'a, V: DeserializeValue<'a, 'a>>(&'a self, name: &str) -> Result<Option<V>> {
        self.get::<Option<V>>(name)
            .map(Option::flatten)
            .map_err(|source| Error::Deserialize {
                statement: self.statement.clone(),
                source,
            })
    }

    /// Reads the returned column `name` as `V`; `None` when the result has no
    /// such column (it applied, or the row did not exist). Read nullable
    /// columns as `Option<_>`.
    ///
    /// # Errors
    /// [`CodecError::ColumnType`] or [`CodecError::ReadColumn`] naming the
    /// column, wrapped in the driver's `DeserializationError`.
    pub fn get<'a, V: DeserializeValue<'a, 'a>>(
        &'a self,
        name: &str,
    ) -> std::result::Result<Option<V>, DeserializationError> {
        let Some(column) = self.columns.iter().find(|column| column.name == name) else {
            return Ok(None);
        };
        V::type_check(&column.typ).map_err(|source| {
            DeserializationError::new(CodecError::ColumnType {
                column: column.name.clone(),
                source,
            })
        })?;
        let slice = column.value.as_deref().map(FrameSlice::new_borrowed);
        V::deserialize(&column.typ, slice)
            .map(Some)
            .map_err(|source| {
                DeserializationError::new(CodecError::ReadColumn {
                    column: column.name.clone(),
                    source,
                })
            })
    }
}

impl<'f, 'm> DeserializeRow<'f, 'm> for Applied {
    fn type_check(specs: &[ColumnSpec]) -> std::result::Result<(), TypeCheckError> {
        match specs.first() {
            Some(first)
                if first.name() == APPLIED_COLUMN
                    && <bool as DeserializeValue<'_, '_>>::type_check(first.typ()).is_ok() =>
            {
                Ok(())
            }
            _ => Err(TypeCheckError::new(CodecError::NotConditional {
                columns: specs.iter().map(|spec| spec.name().to_owned()).collect(),
            })),
        }
    }

    fn deserialize(
        mut row: ColumnIterator<'f, 'm>,
    ) -> std::result::Result<Self, DeserializationError> {
        let applied = rt::next_col::<Self, bool>(&mut row)?;
        let mut columns = Vec::with_capacity(row.columns_remaining());
        for column in row {
            let column = column?;
            columns.push(Column {
                name: column.spec.name().to_owned(),
                typ: column.spec.typ().clone().into_owned(),
                value: column.slice.map(|slice| slice.as_slice().to_vec()),
            });
        }
        Ok(Self {
            applied,
            columns,
            statement: String::new(),
        })
    }
}

/// Reads the result of a conditional write.
///
/// # Errors
/// [`Error::NotRows`], [`Error::TypeCheck`] or [`Error::Deserialize`] when
/// `result` is not the result of a conditional write; `statement` is the
/// CQL text, for the message.
pub fn applied(statement: &str, result: QueryResult) -> Result<Applied> {
    let rows = result.into_rows_result().map_err(|source| Error::NotRows {
        statement: statement.to_owned(),
        source: Box::new(source),
    })?;
    let mut applied = rows.single_row::<Applied>().map_err(|err| match err {
        SingleRowError::TypeCheckFailed(source) => Error::TypeCheck {
            statement: statement.to_owned(),
            source,
        },
        SingleRowError::DeserializationFailed(source) => Error::Deserialize {
            statement: statement.to_owned(),
            source,
        },
        other => Error::UnexpectedResult {
            statement: statement.to_owned(),
            problem: format!("a conditional write returns one row: {other}"),
        },
    })?;
    statement.clone_into(&mut applied.statement);
    #[cfg(feature = "metrics")]
    if !applied.applied() {
        crate::meter::add_lwt_rejected();
    }
    Ok(applied)
}

/// Whether a conditional write (`IF NOT EXISTS`, `IF col = ?`) applied.
///
/// # Errors
/// As for [`applied`].
pub fn was_applied(statement: &str, result: QueryResult) -> Result<bool> {
    Ok(applied(statement, result)?.applied())
}

/// The current row returned by a conditional write that did not apply, as
/// untyped `(column name, value)` pairs without `[applied]`; `None` when it
/// applied. Generated code reads [`Applied`] with typed columns instead.
///
/// # Errors
/// As for [`applied`], and [`Error::Deserialize`] for a value that does not read.
pub fn existing_row(statement: &str, result: QueryResult) -> Result<Option<RowValues>> {
    let applied = applied(statement, result)?;
    if applied.applied() {
        return Ok(None);
    }
    applied
        .columns
        .iter()
        .map(|column| {
            let value = applied
                .get::<Option<CqlValue>>(&column.name)
                .map_err(|source| Error::Deserialize {
                    statement: statement.to_owned(),
                    source,
                })?
                .flatten();
            Ok((column.name.clone(), value))
        })
        .collect::<Result<RowValues>>()
        .map(Some)
}

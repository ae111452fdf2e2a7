//! The errors the codec helpers add to the driver's own (which they wrap).

use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::serialize::SerializationError;

/// What went wrong converting between a generated Rust type and CQL, beyond
/// what the driver's built-in errors describe.
///
/// It reaches users wrapped in the driver's `SerializationError`,
/// `TypeCheckError` or `DeserializationError` (use `downcast_ref` to get it
/// back), which `corm::Error` wraps in turn with the statement text.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// A row type reads more columns than the result holds.
    #[error("{rust_type} reads more columns than the row has")]
    MissingColumn {
        /// The Rust row type.
        rust_type: &'static str,
    },
    /// A field of a Rust UDT type is not in the database's definition of it.
    #[error("field `{field}` of {rust_type} is missing from the database's type")]
    MissingField {
        /// The Rust UDT type.
        rust_type: &'static str,
        /// The CQL name of the field.
        field: &'static str,
    },
    /// A Rust UDT type is written to a column whose type is not a UDT.
    #[error("{rust_type} is a UDT, but the database's type is {cql_type}")]
    NotUdt {
        /// The Rust UDT type.
        rust_type: &'static str,
        /// The database's type.
        cql_type: String,
    },
    /// A field of a UDT has a type in the database that its Rust field can't hold.
    #[error("field `{field}` of {rust_type} has an incompatible type: {source}")]
    FieldType {
        /// The Rust UDT type.
        rust_type: &'static str,
        /// The CQL name of the field.
        field: String,
        /// The driver's type check error.
        #[source]
        source: TypeCheckError,
    },
    /// A field of a UDT value could not be read.
    #[error("could not read field `{field}` of {rust_type}: {source}")]
    ReadField {
        /// The Rust UDT type.
        rust_type: &'static str,
        /// The CQL name of the field.
        field: String,
        /// The driver's error.
        #[source]
        source: DeserializationError,
    },
    /// A field of a UDT value could not be written.
    #[error("could not write field `{field}` of {rust_type}: {source}")]
    WriteField {
        /// The Rust UDT type.
        rust_type: &'static str,
        /// The CQL name of the field.
        field: String,
        /// The driver's error.
        #[source]
        source: SerializationError,
    },
    /// A statement binds more values than its `BoundValues` holds.
    #[error("a statement binds more than {max} values")]
    TooManyValues {
        /// The limit.
        max: usize,
    },
    /// A text column holds a value that is not a variant of the Rust enum.
    #[error("{value:?} is not a variant of {rust_type}")]
    UnknownVariant {
        /// The Rust enum type.
        rust_type: &'static str,
        /// The text found in the database.
        value: String,
    },
    /// A result is not the result of a conditional write: its first column
    /// is not a boolean `[applied]`.
    #[error("expected a boolean `[applied]` column first, found columns {columns:?}")]
    NotConditional {
        /// The names of the columns found.
        columns: Vec<String>,
    },
    /// A column of a conditional write's result has a type the Rust type can't hold.
    #[error("column `{column}` has an incompatible type: {source}")]
    ColumnType {
        /// The column name.
        column: String,
        /// The driver's type check error.
        #[source]
        source: TypeCheckError,
    },
    /// A column of a conditional write's result could not be read.
    #[error("could not read column `{column}`: {source}")]
    ReadColumn {
        /// The column name.
        column: String,
        /// The driver's error.
        #[source]
        source: DeserializationError,
    },
    /// A rollup's sum is larger than the Rust type of its sums holds.
    #[error("a sum in {rust_type} is outside what {sum_type} holds")]
    SumOutOfRange {
        /// The Rust rollup type.
        rust_type: &'static str,
        /// The Rust type of the sum.
        sum_type: &'static str,
    },
}

//! What a cache entry is found by: the statement and the bytes of its
//! bound values, exactly as they go to Cassandra.

use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::statement::prepared::PreparedStatement;

/// An entry's key: which statement (its key among the table's statements:
/// [`GET`] for a row, a named query's key otherwise) and its values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct CacheKey {
    pub(crate) statement: u64,
    pub(crate) values: Box<[u8]>,
}

/// The statement key of a row read by primary key.
pub(crate) const GET: u64 = u64::MAX;

impl CacheKey {
    /// The key of `prepared` (known to the table as `statement`) run with
    /// `values`.
    ///
    /// # Errors
    /// The driver's error when `values` do not fit the statement's markers.
    pub(crate) fn new(
        statement: u64,
        prepared: &PreparedStatement,
        values: &(impl SerializeRow + ?Sized),
    ) -> Result<Self, SerializationError> {
        let specs = prepared.get_variable_col_specs();
        let context = RowSerializationContext::from_specs(specs.as_slice());
        let mut bytes = Vec::new();
        values.serialize(&context, &mut RowWriter::new(&mut bytes))?;
        Ok(Self {
            statement,
            values: bytes.into_boxed_slice(),
        })
    }

    /// The bytes it weighs.
    pub(crate) fn bytes(&self) -> usize {
        self.values.len() + size_of::<Self>()
    }
}

//! Nearest-neighbour search: what generated `nearest_…` methods and named
//! vector queries call on a model's repository.

use scylla::deserialize::row::DeserializeRow;
use scylla::serialize::row::SerializeRow;

use super::{Similarity, Vector};
use crate::table::{NamedStatement, Repository, Table};
use crate::{Error, Result};

/// A row found by a nearest-neighbour search, and how close it is to the
/// query (the index's similarity: higher is closer).
#[derive(Clone, Debug, PartialEq)]
pub struct Scored<T> {
    /// The row.
    pub row: T,
    /// Its similarity to the query, as Cassandra's `similarity_…`
    /// function of the index computes it.
    pub score: f32,
}

/// What generated code states about one vector index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VectorIndex {
    /// `Model.field`, for errors.
    pub name: &'static str,
    /// The index's similarity function.
    pub similarity: Similarity,
}

/// The most rows one search returns: Cassandra refuses an `ANN OF` with a
/// larger `LIMIT`.
pub const MAX_K: i32 = 1000;

impl VectorIndex {
    /// Refuses what Cassandra can't search with, before anything is sent:
    /// a NaN or infinite component, the zero vector under cosine (the node
    /// fails the read), or `k` outside `1..=1000`.
    ///
    /// # Errors
    /// [`Error::InvalidVector`].
    pub fn check<const N: usize>(&self, query: &Vector<N>, k: i32) -> Result<()> {
        let problem = if let Some(position) = query.first_non_finite() {
            format!(
                "the query vector has {} at position {position}: a search needs finite components",
                query.0[position]
            )
        } else if self.similarity == Similarity::Cosine && query.is_zero() {
            "the query vector is the zero vector, which has no direction for cosine similarity"
                .to_owned()
        } else if !(1..=MAX_K).contains(&k) {
            format!("k = {k}: a search returns from 1 to {MAX_K} rows")
        } else {
            return Ok(());
        };
        Err(Error::InvalidVector {
            index: self.name,
            problem,
        })
    }
}

impl<'a, T: Table> Repository<'a, T> {
    /// The rows `named` (an `… ORDER BY v ANN OF ? LIMIT ?` read, `values`
    /// ending with the query and `k`) returns, each scored against `query`
    /// by `vector` (the row's indexed field), closest first. One request:
    /// a search returns at most 1,000 rows, which Cassandra sends at once.
    ///
    /// # Errors
    /// [`Error::InvalidVector`] (nothing sent), [`Error::Prepare`],
    /// [`Error::Execute`], or a row that does not read.
    #[doc(hidden)]
    pub async fn nearest<const N: usize>(
        &self,
        index: &VectorIndex,
        named: &NamedStatement,
        values: impl SerializeRow,
        (query, k): (&Vector<N>, i32),
        vector: impl Fn(&T) -> Option<&Vector<N>>,
    ) -> Result<Vec<Scored<T>>>
    where
        T: for<'f, 'm> DeserializeRow<'f, 'm>,
    {
        self.traced(named.name, async {
            index.check(query, k)?;
            let cached = self.named(named);
            let prepared = cached.prepared(self.session()).await?;
            let prepared = self.options().apply(prepared);
            let statement = || prepared.get_statement().to_owned();
            let result = self.session().execute(&prepared, values).await?;
            let rows = result.into_rows_result().map_err(|source| Error::NotRows {
                statement: statement(),
                source: Box::new(source),
            })?;
            let typed = rows.rows::<T>().map_err(|error| match error {
                scylla::response::query_result::RowsError::TypeCheckFailed(source) => {
                    Error::TypeCheck {
                        statement: statement(),
                        source,
                    }
                }
            })?;
            let mut scored = Vec::with_capacity(typed.rows_remaining());
            for row in typed {
                let row = row.map_err(|source| Error::Deserialize {
                    statement: statement(),
                    source,
                })?;
                let score = vector(&row).map_or(0.0, |found| {
                    index.similarity.score(found.as_slice(), query.as_slice())
                });
                scored.push(Scored { row, score });
            }
            // Closest first (the index's order is approximate); ties keep it.
            scored.sort_by(|a, b| b.score.total_cmp(&a.score));
            crate::trace::record_rows(scored.len());
            Ok(scored)
        })
        .await
    }
}

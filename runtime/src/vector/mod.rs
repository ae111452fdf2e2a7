//! Vectors and nearest-neighbour search: [`Vector<N>`] for
//! `vector<float, N>` fields, the [`Similarity`] functions of vector
//! indexes, and the search behind each generated `nearest_<field>` method
//! and named vector query, which return [`Scored`] rows.

mod search;
mod similarity;
mod value;

pub use search::{MAX_K, Scored, VectorIndex};
pub use similarity::Similarity;
pub use value::{DimensionError, Vector};

/// Where the statements of vector searches start among a repository's
/// extra statements (named queries count from 0, relation reads from
/// [`RELATION_STATEMENTS`](crate::loader::RELATION_STATEMENTS)).
#[doc(hidden)]
pub const VECTOR_STATEMENTS: u64 = 1 << 33;

//! [`Similarity`]: the similarity functions of Cassandra's vector indexes,
//! computed as Cassandra computes them.

/// How a vector index compares vectors (`vector_index f similarity …`).
/// Scores are Cassandra's: higher is closer, in `[0, 1]` for cosine and
/// Euclidean, and for dot products of unit vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Similarity {
    /// `similarity_cosine`: `(1 + cos θ) / 2`.
    Cosine,
    /// `similarity_dot_product`: `(1 + a · b) / 2`.
    DotProduct,
    /// `similarity_euclidean`: `1 / (1 + |a - b|²)`.
    Euclidean,
}

impl Similarity {
    /// The score of `a` against `b`, as the CQL function of the same name
    /// computes it (in `f32`, component by component).
    ///
    /// Slices of different lengths compare over the shorter one (generated
    /// code only passes vectors of one type, so of one length).
    #[must_use]
    pub fn score(self, a: &[f32], b: &[f32]) -> f32 {
        match self {
            Self::Cosine => {
                let (mut dot, mut norm_a, mut norm_b) = (0.0_f32, 0.0_f32, 0.0_f32);
                for (x, y) in a.iter().zip(b) {
                    dot += x * y;
                    norm_a += x * x;
                    norm_b += y * y;
                }
                let cosine = dot / (norm_a * norm_b).sqrt();
                (1.0 + cosine) / 2.0
            }
            Self::DotProduct => {
                let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
                (1.0 + dot) / 2.0
            }
            Self::Euclidean => {
                let squared: f32 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
                1.0 / (1.0 + squared)
            }
        }
    }

    /// The CQL function that computes the score (`similarity_cosine`, …).
    #[must_use]
    pub const fn cql_function(self) -> &'static str {
        match self {
            Self::Cosine => "similarity_cosine",
            Self::DotProduct => "similarity_dot_product",
            Self::Euclidean => "similarity_euclidean",
        }
    }

    /// The index option's value (`cosine`, `dot_product`, `euclidean`).
    #[must_use]
    pub const fn option(self) -> &'static str {
        match self {
            Self::Cosine => "cosine",
            Self::DotProduct => "dot_product",
            Self::Euclidean => "euclidean",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Similarity;

    #[test]
    fn scores_follow_cassandras_formulas() {
        let (a, b) = ([1.0, 0.0], [0.0, 1.0]);
        assert!((Similarity::Cosine.score(&a, &a) - 1.0).abs() < 1e-6);
        assert!((Similarity::Cosine.score(&a, &b) - 0.5).abs() < 1e-6);
        assert!((Similarity::Cosine.score(&a, &[-1.0, 0.0]) - 0.0).abs() < 1e-6);
        assert!((Similarity::DotProduct.score(&a, &b) - 0.5).abs() < 1e-6);
        assert!((Similarity::Euclidean.score(&a, &b) - 1.0 / 3.0).abs() < 1e-6);
        assert!((Similarity::Euclidean.score(&a, &a) - 1.0).abs() < 1e-6);
    }
}

//! Embeddings: the [`Embedder`] trait, which turns texts into vectors, and
//! its providers behind cargo features of `corm`, so that a program that
//! needs neither compiles neither:
//!
//! - `embed-http`: `HttpEmbedder`, any OpenAI-compatible
//!   `/v1/embeddings` endpoint (batching, retries with back-off, timeouts);
//! - `embed-local`: `LocalEmbedder`, a BERT sentence model such as
//!   all-MiniLM-L6-v2 run in-process with candle.
//!
//! [`embed`] checks what a provider returns (one vector per text, of the
//! dimension asked for, every component finite) and types it as
//! [`Vector<N>`](crate::Vector).

#[cfg(feature = "embed-http")]
mod http;
#[cfg(feature = "embed-local")]
mod local;

#[cfg(feature = "embed-http")]
pub use http::{HttpEmbedder, HttpEmbedderConfig};
#[cfg(feature = "embed-local")]
pub use local::LocalEmbedder;

use futures::future::BoxFuture;

use crate::Vector;

/// Something that turns texts into vectors: a model run in-process or a
/// remote service.
pub trait Embedder: Send + Sync + std::fmt::Debug {
    /// The model's name (recorded with cached vectors).
    fn model(&self) -> &str;

    /// The dimension of the vectors it returns.
    fn dimensions(&self) -> usize;

    /// The vectors of `texts`, one per text, in order. Callers send at
    /// most [`max_batch`](Self::max_batch) texts at once ([`embed`] splits
    /// longer lists).
    fn embed_batch<'a>(
        &'a self,
        texts: &'a [&'a str],
    ) -> BoxFuture<'a, Result<Vec<Vec<f32>>, EmbedError>>;

    /// The most texts one [`embed_batch`](Self::embed_batch) call takes.
    fn max_batch(&self) -> usize {
        32
    }
}

/// Why texts could not be embedded.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The provider is set up wrongly (a URL that does not parse, a
    /// dimension of 0, a missing setting).
    #[error("embedding provider setup: {0}")]
    Config(String),
    /// The service answered with an error status (after the retries, for
    /// the statuses worth retrying).
    #[error("the embedding service answered {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The start of its body.
        body: String,
    },
    /// The service could not be reached or did not answer in time (after
    /// the retries).
    #[error("the embedding service could not be reached: {0}")]
    Transport(String),
    /// The answer is not what the protocol says.
    #[error("the embedding service's answer does not read: {0}")]
    Protocol(String),
    /// A vector of another dimension than the one asked for.
    #[error("model `{model}` returned a vector of {found} components, not {expected}")]
    Dimension {
        /// The model.
        model: String,
        /// The dimension asked for.
        expected: usize,
        /// What came back.
        found: usize,
    },
    /// A vector with a NaN or infinite component.
    #[error("model `{model}` returned a vector with a non-finite component for text {index}")]
    NonFinite {
        /// The model.
        model: String,
        /// The text's position in the call.
        index: usize,
    },
    /// The model failed in-process.
    #[error("the embedding model failed: {0}")]
    Model(String),
}

/// The vectors of `texts` from `embedder`, typed as `Vector<N>`: the texts
/// are sent in batches of the embedder's `max_batch`, one after another,
/// and every vector is checked (its dimension is `N`, its components are
/// finite).
///
/// # Errors
/// The embedder's error, [`EmbedError::Dimension`] (also when the
/// embedder's stated dimension is not `N`), [`EmbedError::NonFinite`], or
/// [`EmbedError::Protocol`] when a batch does not return one vector per
/// text.
pub async fn embed<const N: usize>(
    embedder: &dyn Embedder,
    texts: &[&str],
) -> Result<Vec<Vector<N>>, EmbedError> {
    let dimension_error = |found| EmbedError::Dimension {
        model: embedder.model().to_owned(),
        expected: N,
        found,
    };
    if embedder.dimensions() != N {
        return Err(dimension_error(embedder.dimensions()));
    }
    let mut out = Vec::with_capacity(texts.len());
    for batch in texts.chunks(embedder.max_batch().max(1)) {
        let vectors = embedder.embed_batch(batch).await?;
        if vectors.len() != batch.len() {
            return Err(EmbedError::Protocol(format!(
                "{} vectors for {} texts",
                vectors.len(),
                batch.len()
            )));
        }
        for vector in vectors {
            let vector = Vector::<N>::try_from(vector.as_slice())
                .map_err(|error| dimension_error(error.found))?;
            if vector.first_non_finite().is_some() {
                return Err(EmbedError::NonFinite {
                    model: embedder.model().to_owned(),
                    index: out.len(),
                });
            }
            out.push(vector);
        }
    }
    Ok(out)
}

/// The embedder a generated `Db` holds, or the error that says it holds
/// none.
///
/// # Errors
/// [`crate::Error::Embed`] with [`EmbedError::Config`].
pub fn required(embedder: Option<&dyn Embedder>) -> crate::Result<&dyn Embedder> {
    embedder.ok_or_else(|| {
        crate::Error::Embed(EmbedError::Config(
            "no embedder is set for `@embed` fields: call `Db::with_embedder`".to_owned(),
        ))
    })
}

/// The text an `@embed` field's vector is computed from: the sources that
/// are set and not blank, one per line (`None`: nothing to embed).
#[must_use]
pub fn joined(sources: &[Option<&str>]) -> Option<String> {
    let texts: Vec<&str> = sources
        .iter()
        .flatten()
        .map(|text| text.trim())
        .filter(|text| !text.is_empty())
        .collect();
    (!texts.is_empty()).then(|| texts.join("\n"))
}

/// The vector of one text (see [`embed`]).
///
/// # Errors
/// As for [`embed`].
pub async fn embed_one<const N: usize>(
    embedder: &dyn Embedder,
    text: &str,
) -> Result<Vector<N>, EmbedError> {
    let mut vectors = embed::<N>(embedder, &[text]).await?;
    vectors
        .pop()
        .ok_or_else(|| EmbedError::Protocol("no vector for one text".to_owned()))
}

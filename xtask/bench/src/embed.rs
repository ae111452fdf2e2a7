//! `corm-bench embed` (the `embed-local` feature): sentences embedded per
//! second by `corm::embed::LocalEmbedder` (all-MiniLM-L6-v2 on this CPU),
//! one at a time and in batches of 32.

use std::path::Path;
use std::time::Instant;

use corm::embed::{Embedder, LocalEmbedder};
use corm::serde::Serialize;

use crate::BenchError;

/// What the run measured.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct EmbedReport {
    /// Sentences embedded per measurement.
    pub sentences: usize,
    /// Their mean length in words.
    pub mean_words: f64,
    /// Sentences per second, one per call.
    pub batch_1_per_second: f64,
    /// Sentences per second, 32 per call.
    pub batch_32_per_second: f64,
}

/// `count` sentences of 8 to 20 words, varied.
fn sentences(count: usize) -> Vec<String> {
    const WORDS: [&str; 24] = [
        "the",
        "cluster",
        "stores",
        "rows",
        "in",
        "partitions",
        "a",
        "storm",
        "flooded",
        "river",
        "users",
        "reset",
        "their",
        "passwords",
        "after",
        "login",
        "failed",
        "market",
        "shares",
        "fell",
        "sharply",
        "today",
        "quiet",
        "morning",
    ];
    (0..count)
        .map(|n| {
            let length = 8 + n % 13;
            (0..length)
                .map(|i| WORDS[(n * 7 + i * 5 + i * i) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Measures the model in `folder`.
///
/// # Errors
/// A model that does not load or fails.
pub async fn measure(folder: &Path, count: usize) -> Result<EmbedReport, BenchError> {
    let embedder = LocalEmbedder::load(folder).map_err(|e| BenchError::Run(e.to_string()))?;
    let texts = sentences(count);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    // Warm-up: the first call touches every weight.
    embedder
        .embed_batch(&refs[..8.min(refs.len())])
        .await
        .map_err(|e| BenchError::Run(e.to_string()))?;
    let mut rates = Vec::new();
    for batch in [1, 32] {
        let start = Instant::now();
        for chunk in refs.chunks(batch) {
            let vectors = embedder
                .embed_batch(chunk)
                .await
                .map_err(|e| BenchError::Run(e.to_string()))?;
            std::hint::black_box(vectors);
        }
        rates.push(count as f64 / start.elapsed().as_secs_f64());
    }
    let words: usize = texts
        .iter()
        .map(|text| text.split_whitespace().count())
        .sum();
    Ok(EmbedReport {
        sentences: count,
        mean_words: words as f64 / count.max(1) as f64,
        batch_1_per_second: rates.first().copied().unwrap_or(0.0),
        batch_32_per_second: rates.get(1).copied().unwrap_or(0.0),
    })
}

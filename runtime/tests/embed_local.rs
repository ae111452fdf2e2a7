//! The in-process model (all-MiniLM-L6-v2 through candle) against an
//! independent numpy forward pass of the same model
//! (`tests/reference/minilm_reference.py`, its output committed in
//! `tests/reference/minilm.json`): 20 sentences at cosine ≥ 0.999, the same
//! vectors alone and in a batch, and related sentences closer to each
//! other than to the rest.
//!
//! Needs the model files: `cargo xtask model fetch` (run by `cargo xtask
//! test --embeddings`, which also sets `CORM_MODEL_DIR`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use corm::Vector;
use corm::embed::{Embedder, LocalEmbedder, embed};
use serde_json::Value;

fn model_dir() -> PathBuf {
    let dir = std::env::var_os("CORM_MODEL_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/models/all-minilm-l6-v2"),
        PathBuf::from,
    );
    assert!(
        dir.join("model.safetensors").is_file(),
        "no model in {}: run `cargo xtask model fetch`",
        dir.display()
    );
    dir
}

fn reference() -> Vec<(String, Vec<f32>)> {
    let text = include_str!("reference/minilm.json");
    let json: Value = serde_json::from_str(text).unwrap();
    json["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|sentence| {
            let vector = sentence["vector"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_f64().unwrap() as f32)
                .collect();
            (sentence["text"].as_str().unwrap().to_owned(), vector)
        })
        .collect()
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

#[tokio::test]
async fn the_local_model_matches_an_independent_forward_pass() {
    let embedder = LocalEmbedder::load(model_dir()).unwrap();
    assert_eq!(embedder.dimensions(), 384);
    let reference = reference();
    assert_eq!(reference.len(), 20);
    let texts: Vec<&str> = reference.iter().map(|(text, _)| text.as_str()).collect();
    let vectors: Vec<Vector<384>> = embed(&embedder, &texts).await.unwrap();
    let mut worst = 1.0_f64;
    for ((text, expected), vector) in reference.iter().zip(&vectors) {
        let similarity = cosine(vector.as_slice(), expected);
        worst = worst.min(similarity);
        assert!(similarity >= 0.999, "{text:?}: cosine {similarity}");
        let norm = cosine(vector.as_slice(), vector.as_slice());
        assert!((norm - 1.0).abs() < 1e-5);
    }
    eprintln!("worst cosine against the numpy reference: {worst:.7}");

    // Alone or in a batch (padded to its longest text): the same vector.
    for (index, text) in texts.iter().enumerate().step_by(5) {
        let alone: Vec<Vector<384>> = embed(&embedder, &[text]).await.unwrap();
        let similarity = cosine(alone[0].as_slice(), vectors[index].as_slice());
        assert!(similarity > 0.99999, "{text:?}: {similarity}");
    }

    // Each pair of paraphrases (2 and 3, 4 and 5, …; 12 and 13 are
    // unrelated) is closer than either sentence is to any other sentence
    // from 2 to 17.
    for pair in [2, 4, 6, 8, 10, 14, 16] {
        let together = cosine(vectors[pair].as_slice(), vectors[pair + 1].as_slice());
        for other in (2..18).filter(|other| *other != pair && *other != pair + 1) {
            for own in [pair, pair + 1] {
                let apart = cosine(vectors[own].as_slice(), vectors[other].as_slice());
                assert!(
                    together > apart,
                    "{:?} ~ {:?} ({together:.3}) is not above {:?} ~ {:?} ({apart:.3})",
                    texts[pair],
                    texts[pair + 1],
                    texts[own],
                    texts[other]
                );
            }
        }
    }
}

#[test]
fn a_folder_without_the_model_is_a_clear_error() {
    let error = LocalEmbedder::load("/nonexistent/model").unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/model/config.json"),
        "{error}"
    );
}

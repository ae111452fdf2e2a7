//! [`LocalEmbedder`]: a BERT sentence model (all-MiniLM-L6-v2, 384
//! dimensions) run in-process with candle (the `embed-local` feature):
//! the texts tokenized together (padded to the longest, cut at 256
//! tokens), one forward pass, the token vectors averaged over the
//! attention mask, and the mean scaled to length 1, as
//! sentence-transformers computes it.

use std::path::Path;
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, DTYPE};
use futures::future::BoxFuture;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::{EmbedError, Embedder};

/// Tokens kept of a text (sentence-transformers' `max_seq_length` for
/// this model).
const MAX_TOKENS: usize = 256;

/// A sentence model loaded from a folder (see [`load`](Self::load)).
#[derive(Clone)]
pub struct LocalEmbedder {
    model: Arc<Model>,
    name: String,
    dimensions: usize,
}

struct Model {
    bert: BertModel,
    tokenizer: Tokenizer,
}

impl std::fmt::Debug for LocalEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalEmbedder")
            .field("name", &self.name)
            .field("dimensions", &self.dimensions)
            .finish_non_exhaustive()
    }
}

impl LocalEmbedder {
    /// The model in `folder`: `config.json` (a BERT config),
    /// `tokenizer.json` and `model.safetensors` (for all-MiniLM-L6-v2,
    /// `cargo xtask model fetch` puts them in `target/models/all-minilm-l6-v2`).
    /// Its name is the folder's.
    ///
    /// # Errors
    /// [`EmbedError::Config`] naming the file that is missing or does not
    /// read.
    pub fn load(folder: impl AsRef<Path>) -> Result<Self, EmbedError> {
        let folder = folder.as_ref();
        let read = |name: &str| {
            std::fs::read(folder.join(name)).map_err(|error| {
                EmbedError::Config(format!("{}: {error}", folder.join(name).display()))
            })
        };
        let unreadable = |name: &str, error: &dyn std::fmt::Display| {
            EmbedError::Config(format!("{}: {error}", folder.join(name).display()))
        };
        let config_json = read("config.json")?;
        let config: Config = serde_json::from_slice(&config_json)
            .map_err(|error| unreadable("config.json", &error))?;
        let hidden = serde_json::from_slice::<serde_json::Value>(&config_json)
            .ok()
            .and_then(|config| config.get("hidden_size")?.as_u64())
            .and_then(|size| usize::try_from(size).ok())
            .ok_or_else(|| unreadable("config.json", &"no `hidden_size`"))?;
        let mut tokenizer = Tokenizer::from_bytes(read("tokenizer.json")?)
            .map_err(|error| unreadable("tokenizer.json", &error))?;
        // The file pads every text to 128 tokens and cuts at 128: pad a
        // batch to its longest text instead, and keep up to 256 tokens.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|error| unreadable("tokenizer.json", &error))?;
        let weights =
            VarBuilder::from_buffered_safetensors(read("model.safetensors")?, DTYPE, &Device::Cpu)
                .map_err(|error| unreadable("model.safetensors", &error))?;
        let bert = BertModel::load(weights, &config)
            .map_err(|error| unreadable("model.safetensors", &error))?;
        let name = folder.file_name().map_or_else(
            || "local".to_owned(),
            |name| name.to_string_lossy().into_owned(),
        );
        Ok(Self {
            model: Arc::new(Model { bert, tokenizer }),
            name,
            dimensions: hidden,
        })
    }
}

impl Model {
    /// The normalised mean-pooled vectors of `texts`.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let failed = |error: &dyn std::fmt::Display| EmbedError::Model(error.to_string());
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| failed(&error))?;
        let rows = encodings.len();
        let tokens = encodings
            .first()
            .map_or(0, |encoding| encoding.get_ids().len());
        let device = Device::Cpu;
        let tensor = |part: fn(&tokenizers::Encoding) -> &[u32]| {
            let flat: Vec<u32> = encodings
                .iter()
                .flat_map(|encoding| part(encoding).iter().copied())
                .collect();
            Tensor::from_vec(flat, (rows, tokens), &device).map_err(|error| failed(&error))
        };
        let ids = tensor(tokenizers::Encoding::get_ids)?;
        let type_ids = tensor(tokenizers::Encoding::get_type_ids)?;
        let mask = tensor(tokenizers::Encoding::get_attention_mask)?;
        let pooled = (|| {
            let hidden = self.bert.forward(&ids, &type_ids, Some(&mask))?;
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let sums = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?.clamp(1e-9_f32, f32::MAX)?;
            let mean = sums.broadcast_div(&counts)?;
            let norms = mean
                .sqr()?
                .sum_keepdim(1)?
                .sqrt()?
                .clamp(1e-12_f32, f32::MAX)?;
            mean.broadcast_div(&norms)?.to_vec2::<f32>()
        })();
        pooled.map_err(|error| failed(&error))
    }
}

impl Embedder for LocalEmbedder {
    fn model(&self) -> &str {
        &self.name
    }

    fn dimensions(&self) -> usize {
        self.dimensions
    }

    fn embed_batch<'a>(
        &'a self,
        texts: &'a [&'a str],
    ) -> BoxFuture<'a, Result<Vec<Vec<f32>>, EmbedError>> {
        let model = Arc::clone(&self.model);
        let texts: Vec<String> = texts.iter().map(|text| (*text).to_owned()).collect();
        Box::pin(async move {
            // The forward pass is CPU work: off the async threads.
            tokio::task::spawn_blocking(move || {
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                model.embed(&texts)
            })
            .await
            .map_err(|error| EmbedError::Model(error.to_string()))?
        })
    }
}

//! [`HttpEmbedder`]: an OpenAI-compatible `/v1/embeddings` endpoint (the
//! `embed-http` feature): texts sent in batches as `POST {base}/embeddings`
//! with `{"model", "input": [...]}`, vectors read from `data[i].embedding`
//! in `data[i].index` order; 408, 429 and 5xx answers, timeouts and broken
//! connections retried with exponential back-off (honouring
//! `Retry-After`), other statuses returned at once.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{EmbedError, Embedder};

/// How to reach an embeddings endpoint.
#[derive(Clone)]
pub struct HttpEmbedderConfig {
    /// The API's base URL, up to the version (`https://api.openai.com/v1`,
    /// `http://127.0.0.1:8080/v1`); `/embeddings` is appended.
    pub base_url: String,
    /// The model's name, sent with every request.
    pub model: String,
    /// The dimension of its vectors.
    pub dimensions: usize,
    /// Sent as `Authorization: Bearer …` when set.
    pub api_key: Option<String>,
    /// Texts per request (64).
    pub batch: usize,
    /// Retries of a request that failed in a way worth retrying (4).
    pub retries: u32,
    /// The first back-off, doubled for each retry up to 10 s (200 ms).
    pub backoff: Duration,
    /// How long one request may take (30 s).
    pub timeout: Duration,
    /// Whether requests say `"dimensions"` (models that shorten their
    /// vectors on request, such as OpenAI's `text-embedding-3-*`).
    pub send_dimensions: bool,
}

impl HttpEmbedderConfig {
    /// `model` at `base_url`, returning vectors of `dimensions`, with the
    /// defaults above.
    #[must_use]
    pub fn new(base_url: impl Into<String>, model: impl Into<String>, dimensions: usize) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            dimensions,
            api_key: None,
            batch: 64,
            retries: 4,
            backoff: Duration::from_millis(200),
            timeout: Duration::from_secs(30),
            send_dimensions: false,
        }
    }

    /// The settings from the environment: `CORM_EMBED_URL`,
    /// `CORM_EMBED_MODEL`, `CORM_EMBED_DIMENSIONS`, and the key from
    /// `CORM_EMBED_API_KEY` or else `OPENAI_API_KEY` (none: no
    /// `Authorization` header).
    ///
    /// # Errors
    /// [`EmbedError::Config`] naming a missing or unreadable variable.
    pub fn from_env() -> Result<Self, EmbedError> {
        let var = |name: &str| {
            std::env::var(name).map_err(|_| EmbedError::Config(format!("{name} is not set")))
        };
        let dimensions = var("CORM_EMBED_DIMENSIONS")?;
        let dimensions = dimensions.trim().parse().map_err(|_| {
            EmbedError::Config(format!(
                "CORM_EMBED_DIMENSIONS is `{dimensions}`, not a number"
            ))
        })?;
        let mut config = Self::new(var("CORM_EMBED_URL")?, var("CORM_EMBED_MODEL")?, dimensions);
        config.api_key = var("CORM_EMBED_API_KEY")
            .or_else(|_| var("OPENAI_API_KEY"))
            .ok();
        Ok(config)
    }
}

impl fmt::Debug for HttpEmbedderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpEmbedderConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("dimensions", &self.dimensions)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("batch", &self.batch)
            .field("retries", &self.retries)
            .field("backoff", &self.backoff)
            .field("timeout", &self.timeout)
            .field("send_dimensions", &self.send_dimensions)
            .finish()
    }
}

/// An [`Embedder`] over HTTP (see the module docs).
#[derive(Debug, Clone)]
pub struct HttpEmbedder {
    config: HttpEmbedderConfig,
    url: String,
    client: reqwest::Client,
}

impl HttpEmbedder {
    /// The embedder `config` describes. Nothing is sent.
    ///
    /// # Errors
    /// [`EmbedError::Config`] for a dimension or batch of 0, or a base URL
    /// that is not `http://` or `https://`.
    pub fn new(config: HttpEmbedderConfig) -> Result<Self, EmbedError> {
        if config.dimensions == 0 || config.batch == 0 {
            return Err(EmbedError::Config(
                "the dimension and the batch size are at least 1".to_owned(),
            ));
        }
        let base = config.base_url.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(EmbedError::Config(format!(
                "the base URL `{}` is not http:// or https://",
                config.base_url
            )));
        }
        let url = format!("{base}/embeddings");
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|error| EmbedError::Config(error.to_string()))?;
        Ok(Self {
            config,
            url,
            client,
        })
    }

    /// One request, retried as the module docs say.
    async fn request(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let body = Request {
            model: &self.config.model,
            input: texts,
            encoding_format: "float",
            dimensions: self
                .config
                .send_dimensions
                .then_some(self.config.dimensions),
        };
        let mut attempt = 0;
        loop {
            let mut request = self.client.post(&self.url).json(&body);
            if let Some(key) = &self.config.api_key {
                request = request.bearer_auth(key);
            }
            let (error, wait) = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    let answer: Response = response
                        .json()
                        .await
                        .map_err(|error| EmbedError::Protocol(error.to_string()))?;
                    return ordered(answer, texts.len());
                }
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|value| value.to_str().ok())
                        .and_then(|value| value.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let text = response.text().await.unwrap_or_default();
                    let error = EmbedError::Status {
                        status,
                        body: text.chars().take(300).collect(),
                    };
                    if !matches!(status, 408 | 429 | 500..=599) {
                        return Err(error);
                    }
                    (error, retry_after)
                }
                Err(error) => (EmbedError::Transport(error.to_string()), None),
            };
            if attempt >= self.config.retries {
                return Err(error);
            }
            let backoff = self
                .config
                .backoff
                .saturating_mul(1 << attempt.min(16))
                .min(Duration::from_secs(10));
            tokio::time::sleep(wait.unwrap_or(backoff).min(Duration::from_secs(60))).await;
            attempt += 1;
        }
    }
}

impl Embedder for HttpEmbedder {
    fn model(&self) -> &str {
        &self.config.model
    }

    fn dimensions(&self) -> usize {
        self.config.dimensions
    }

    fn max_batch(&self) -> usize {
        self.config.batch
    }

    fn embed_batch<'a>(
        &'a self,
        texts: &'a [&'a str],
    ) -> BoxFuture<'a, Result<Vec<Vec<f32>>, EmbedError>> {
        Box::pin(self.request(texts))
    }
}

/// The request body.
#[derive(Serialize)]
struct Request<'a> {
    model: &'a str,
    input: &'a [&'a str],
    encoding_format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dimensions: Option<usize>,
}

/// The answer's body (other fields ignored).
#[derive(Deserialize)]
struct Response {
    data: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    index: usize,
    embedding: Vec<f32>,
}

/// The vectors in input order: one per text, each index once.
fn ordered(answer: Response, texts: usize) -> Result<Vec<Vec<f32>>, EmbedError> {
    let mut vectors: Vec<Option<Vec<f32>>> = vec![None; texts];
    for item in answer.data {
        let slot = vectors.get_mut(item.index).ok_or_else(|| {
            EmbedError::Protocol(format!("index {} for {texts} texts", item.index))
        })?;
        if slot.replace(item.embedding).is_some() {
            return Err(EmbedError::Protocol(format!("index {} twice", item.index)));
        }
    }
    vectors
        .into_iter()
        .enumerate()
        .map(|(index, vector)| {
            vector.ok_or_else(|| EmbedError::Protocol(format!("no vector for text {index}")))
        })
        .collect()
}

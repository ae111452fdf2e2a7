//! `corm-bench cache`: `get` through the read-through cache (every key
//! already loaded: the hit path) against the same `get` without it, in
//! the same run, sides alternating; then the hit rate of a Zipf key
//! distribution at several cache sizes.

use std::time::{Duration, Instant};

use corm::cache::{CacheConfig, CacheSettings};
use corm::serde::Serialize;
use futures::StreamExt;

use crate::BenchError;
use crate::data::{KEYSPACE, user};
use crate::generated::{Db, UserKey};
use crate::suite::median;

/// The medians of the rounds, and the hit rates.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct CacheReport {
    /// Rows, and so keys.
    pub rows: u64,
    /// Reads per side per round.
    pub reads: usize,
    /// Reads in flight at once.
    pub concurrency: usize,
    /// Cached `get`s per second (hits).
    pub cached_per_second: f64,
    /// Uncached `get`s per second.
    pub uncached_per_second: f64,
    /// `cached_per_second / uncached_per_second`.
    pub cached_vs_uncached: f64,
    /// The Zipf exponent of the hit-rate runs.
    pub zipf_exponent: f64,
    /// (cache size in entries, hit rate) for the Zipf reads.
    pub zipf_hit_rates: Vec<(u64, f64)>,
}

/// Inserts `rows` users, then measures `rounds` rounds of `reads` reads
/// each way and the Zipf hit rates.
///
/// # Errors
/// A request's error.
pub async fn measure(
    session: &corm::Session,
    rows: u64,
    reads: usize,
    concurrency: usize,
    rounds: usize,
) -> Result<CacheReport, BenchError> {
    let plain = Db::new(session.clone(), KEYSPACE);
    plain.setup().await?;
    let keys: Vec<UserKey> = (0..rows).map(|n| user(n).key()).collect();
    futures::stream::iter(0..rows)
        .map(|n| {
            let plain = &plain;
            async move { plain.user().insert(&user(n)).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()?;
    let everything = CacheConfig::new(Duration::from_secs(600), rows);
    let cached = Db::with_caches(
        session.clone(),
        KEYSPACE,
        &CacheSettings::new().model("User", everything),
    );
    for key in &keys {
        cached.user().get(key).await?;
    }
    let mut cached_rates = Vec::new();
    let mut uncached_rates = Vec::new();
    for _ in 0..rounds {
        uncached_rates.push(read_rate(&plain, &keys, reads, concurrency).await?);
        cached_rates.push(read_rate(&cached, &keys, reads, concurrency).await?);
    }
    let cached_per_second = median(cached_rates);
    let uncached_per_second = median(uncached_rates);

    let exponent = 1.0;
    let mut zipf_hit_rates = Vec::new();
    for share in [100, 20, 5, 1] {
        let size = (rows * share / 100).max(1);
        let db = Db::with_caches(
            session.clone(),
            KEYSPACE,
            &CacheSettings::new().model("User", CacheConfig::new(Duration::from_secs(600), size)),
        );
        let picks = zipf_picks(rows, exponent, reads.max(20_000));
        for pick in &picks {
            db.user().get(&keys[*pick]).await?;
        }
        let cache = db
            .user()
            .cache()
            .ok_or_else(|| BenchError::Run("the user model has no cache".to_owned()))?;
        let stats = cache.stats();
        zipf_hit_rates.push((size, stats.hit_rate()));
    }
    Ok(CacheReport {
        rows,
        reads,
        concurrency,
        cached_per_second,
        uncached_per_second,
        cached_vs_uncached: cached_per_second / uncached_per_second,
        zipf_exponent: exponent,
        zipf_hit_rates,
    })
}

/// `get`s per second of `reads` reads of `keys` in turn, `concurrency` at once.
async fn read_rate(
    db: &Db,
    keys: &[UserKey],
    reads: usize,
    concurrency: usize,
) -> Result<f64, BenchError> {
    let started = Instant::now();
    let results: Vec<_> = futures::stream::iter(0..reads)
        .map(|n| {
            let key = &keys[n % keys.len()];
            async move { db.user().get(key).await }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    for result in results {
        if result?.is_none() {
            return Err(BenchError::Run("a user row is missing".to_owned()));
        }
    }
    #[allow(clippy::cast_precision_loss)]
    Ok(reads as f64 / started.elapsed().as_secs_f64())
}

/// `count` key indexes below `keys` drawn from a Zipf distribution of
/// exponent `s` (rank 0 the most frequent), by inverting its CDF.
fn zipf_picks(keys: u64, s: f64, count: usize) -> Vec<usize> {
    #[allow(clippy::cast_precision_loss)]
    let weights: Vec<f64> = (1..=keys).map(|rank| 1.0 / (rank as f64).powf(s)).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut sum = 0.0;
    for weight in weights {
        sum += weight / total;
        cumulative.push(sum);
    }
    // xorshift64*: enough for picking keys, and the same picks each run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            #[allow(clippy::cast_precision_loss)]
            let u = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1_u64 << 53) as f64;
            cumulative
                .partition_point(|edge| *edge < u)
                .min(cumulative.len() - 1)
        })
        .collect()
}

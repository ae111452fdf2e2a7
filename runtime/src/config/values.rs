//! The textual forms of settings, shared by the variables and the file:
//! durations, consistency levels, switches, pool sizes, compression and
//! speculative execution. Each parser returns what it expected on failure.

use std::num::NonZeroUsize;
use std::time::Duration;

use scylla::statement::Consistency;

use super::policy::{Compression, PoolSize, Speculative};

const CONSISTENCY_NAMES: &str =
    "any, one, two, three, quorum, all, local_quorum, each_quorum, local_one, serial, local_serial";

/// `local_quorum`, `ONE`, …
pub(super) fn consistency(value: &str) -> Result<Consistency, String> {
    Ok(match value.trim().to_ascii_lowercase().as_str() {
        "any" => Consistency::Any,
        "one" => Consistency::One,
        "two" => Consistency::Two,
        "three" => Consistency::Three,
        "quorum" => Consistency::Quorum,
        "all" => Consistency::All,
        "local_quorum" => Consistency::LocalQuorum,
        "each_quorum" => Consistency::EachQuorum,
        "local_one" => Consistency::LocalOne,
        "serial" => Consistency::Serial,
        "local_serial" => Consistency::LocalSerial,
        _ => {
            return Err(format!(
                "not a consistency level; expected one of {CONSISTENCY_NAMES}"
            ));
        }
    })
}

/// `500ms`, `5s` or `1m`.
pub(super) fn duration(value: &str) -> Result<Duration, String> {
    parse_duration(value).ok_or_else(|| {
        "not a duration; write a whole number and a unit: `500ms`, `5s`, `1m`".to_owned()
    })
}

fn parse_duration(value: &str) -> Option<Duration> {
    let value = value.trim();
    let digits_end = value.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = value.split_at(digits_end);
    let number: u64 = number.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(number)),
        "s" => Some(Duration::from_secs(number)),
        "m" => number.checked_mul(60).map(Duration::from_secs),
        _ => None,
    }
}

/// A keepalive interval; `0s` turns it off.
pub(super) fn keepalive(value: &str) -> Result<Option<Duration>, String> {
    duration(value).map(|interval| (!interval.is_zero()).then_some(interval))
}

/// `true`/`false` (also `on`/`off`, `1`/`0`).
pub(super) fn switch(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "1" | "yes" => Ok(true),
        "false" | "off" | "0" | "no" => Ok(false),
        _ => Err("expected `true` or `false`".to_owned()),
    }
}

/// `per-host:N` or `per-shard:N`.
pub(super) fn pool(value: &str) -> Result<PoolSize, String> {
    let expected = || "expected `per-host:N` or `per-shard:N` with N at least 1".to_owned();
    let (kind, size) = value.trim().split_once(':').ok_or_else(expected)?;
    let size = size
        .trim()
        .parse::<NonZeroUsize>()
        .map_err(|_| expected())?;
    match kind.trim() {
        "per-host" | "per_host" => Ok(PoolSize::PerHost(size)),
        "per-shard" | "per_shard" => Ok(PoolSize::PerShard(size)),
        _ => Err(expected()),
    }
}

/// `lz4`, `snappy` or `none`.
pub(super) fn compression(value: &str) -> Result<Option<Compression>, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "lz4" => Ok(Some(Compression::Lz4)),
        "snappy" => Ok(Some(Compression::Snappy)),
        "none" | "" => Ok(None),
        _ => Err("expected `lz4`, `snappy` or `none`".to_owned()),
    }
}

/// `off`, a delay (`50ms`) or a percentile (`p99`, `p99.9`), optionally
/// followed by `x N` for at most N further executions (default 1).
pub(super) fn speculative(value: &str) -> Result<Speculative, String> {
    let expected = || {
        "expected `off`, a delay such as `50ms` or a percentile such as `p99`, optionally followed by `x2` (at most two more executions)".to_owned()
    };
    let value = value.trim();
    if value.eq_ignore_ascii_case("off") {
        return Ok(Speculative::Off);
    }
    let (when, count) = match value.rsplit_once('x') {
        Some((when, count)) if !when.trim().is_empty() => (when.trim(), Some(count.trim())),
        _ => (value, None),
    };
    let max_executions = match count {
        Some(count) => count
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(expected)?,
        None => 1,
    };
    if let Some(percentile) = when.strip_prefix('p') {
        let percentile: f64 = percentile.parse().map_err(|_| expected())?;
        return percentile_value(percentile, max_executions);
    }
    let delay = parse_duration(when).ok_or_else(expected)?;
    Ok(Speculative::Fixed {
        delay,
        max_executions,
    })
}

/// A percentile policy, checked: strictly between 0 and 100.
pub(super) fn percentile_value(
    percentile: f64,
    max_executions: usize,
) -> Result<Speculative, String> {
    if !(percentile > 0.0 && percentile < 100.0) {
        return Err(format!("percentile {percentile} is not between 0 and 100"));
    }
    Ok(Speculative::Percentile {
        percentile,
        max_executions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m"), Some(Duration::from_secs(60)));
        assert_eq!(parse_duration("12s"), Some(Duration::from_secs(12)));
        assert_eq!(parse_duration("0ms"), Some(Duration::ZERO));
        assert_eq!(parse_duration("ms"), None);
        assert_eq!(parse_duration("5h"), None);
        assert_eq!(parse_duration("5"), None);
    }

    #[test]
    fn speculative_forms() {
        assert_eq!(speculative("off"), Ok(Speculative::Off));
        assert_eq!(
            speculative("50ms"),
            Ok(Speculative::Fixed {
                delay: Duration::from_millis(50),
                max_executions: 1
            })
        );
        assert_eq!(
            speculative("p99.5 x2"),
            Ok(Speculative::Percentile {
                percentile: 99.5,
                max_executions: 2
            })
        );
        assert!(speculative("p100").is_err());
        assert!(speculative("50ms x0").is_err());
        assert!(speculative("soon").is_err());
    }

    #[test]
    fn pools_and_switches() {
        assert_eq!(
            pool("per-host:2"),
            Ok(PoolSize::PerHost(
                NonZeroUsize::new(2).unwrap_or(NonZeroUsize::MIN)
            ))
        );
        assert!(pool("per-host:0").is_err());
        assert!(pool("3").is_err());
        assert_eq!(switch("OFF"), Ok(false));
        assert!(switch("maybe").is_err());
        assert_eq!(compression("LZ4"), Ok(Some(Compression::Lz4)));
        assert!(compression("zstd").is_err());
    }
}

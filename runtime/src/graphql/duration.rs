//! The text of a CQL `duration` in GraphQL: Cassandra's own duration
//! literal (`1mo2d3h4m5s6ms7us8ns`, `-` in front when negative), which
//! `cqlsh` prints and CQL accepts, so a value can be pasted either way.

use scylla::value::CqlDuration;

/// Nanoseconds in each unit below a day, largest first.
const NANOSECOND_UNITS: [(&str, i64); 6] = [
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

/// `duration` as its literal: `0s` when zero.
pub(crate) fn print(duration: &CqlDuration) -> String {
    let negative = duration.months < 0 || duration.days < 0 || duration.nanoseconds < 0;
    let mut text = String::new();
    if negative {
        text.push('-');
    }
    let mut push = |amount: u64, unit: &str| {
        if amount > 0 {
            text.push_str(&amount.to_string());
            text.push_str(unit);
        }
    };
    let months = u64::from(duration.months.unsigned_abs());
    push(months / 12, "y");
    push(months % 12, "mo");
    push(u64::from(duration.days.unsigned_abs()), "d");
    let mut nanoseconds = duration.nanoseconds.unsigned_abs();
    for (unit, size) in NANOSECOND_UNITS {
        let size = size.unsigned_abs();
        push(nanoseconds / size, unit);
        nanoseconds %= size;
    }
    if text.is_empty() || text == "-" {
        return "0s".to_owned();
    }
    text
}

/// A duration literal: whole numbers each followed by a unit (`y`, `mo`,
/// `w`, `d`, `h`, `m`, `s`, `ms`, `us` or `µs`, `ns`), optionally led by
/// `-`.
pub(crate) fn parse(text: &str) -> Result<CqlDuration, String> {
    let refuse = || format!("\"{text}\" is not a duration (such as 1d12h or -30m)");
    let (negative, mut rest) = match text.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim()),
    };
    if rest.is_empty() {
        return Err(refuse());
    }
    let (mut months, mut days, mut nanoseconds) = (0_i64, 0_i64, 0_i64);
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(refuse)?;
        let amount: i64 = rest[..digits].parse().map_err(|_| refuse())?;
        rest = &rest[digits..];
        let unit_length = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_length];
        rest = &rest[unit_length..];
        let add = |total: i64, size: i64| {
            amount
                .checked_mul(size)
                .and_then(|part| total.checked_add(part))
        };
        let added = match unit.to_ascii_lowercase().as_str() {
            "y" => add(months, 12).map(|total| months = total),
            "mo" => add(months, 1).map(|total| months = total),
            "w" => add(days, 7).map(|total| days = total),
            "d" => add(days, 1).map(|total| days = total),
            "us" | "µs" => add(nanoseconds, 1_000).map(|total| nanoseconds = total),
            other => NANOSECOND_UNITS
                .iter()
                .find(|(name, _)| *name == other)
                .and_then(|(_, size)| add(nanoseconds, *size))
                .map(|total| nanoseconds = total),
        };
        added.ok_or_else(refuse)?;
    }
    let sign = if negative { -1 } else { 1 };
    Ok(CqlDuration {
        months: i32::try_from(months * sign).map_err(|_| refuse())?,
        days: i32::try_from(days * sign).map_err(|_| refuse())?,
        nanoseconds: nanoseconds * sign,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_and_parse_back() {
        for (months, days, nanoseconds, text) in [
            (0, 0, 0, "0s"),
            (14, 3, 3_723_000_000_004, "1y2mo3d1h2m3s4ns"),
            (-1, -2, -5_000_000, "-1mo2d5ms"),
            (0, 0, 1_500, "1us500ns"),
        ] {
            let duration = CqlDuration {
                months,
                days,
                nanoseconds,
            };
            assert_eq!(print(&duration), text);
            assert_eq!(parse(text), Ok(duration));
        }
        assert_eq!(parse("2w").map(|d| d.days), Ok(14));
        for bad in ["", "-", "5", "d", "3x", "1.5h", "99999999999y"] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}

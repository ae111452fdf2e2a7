//! Exact numbers written in a schema (`range(0, 1000000.50)`,
//! `having total > 10.5`) as Rust expressions of `corm::BigDecimal` or
//! `corm::BigInt`, built from their digits and scale: no parsing, nothing
//! fallible at run time.

/// `written` (a schema number: `[+-]digits[.digits]`) as an expression of
/// the type at `path` (`corm::BigDecimal` or `corm::BigInt`); `None` when it
/// does not fit that type (a fraction for an integer) or has more than 38
/// digits.
#[must_use]
pub fn literal(written: &str, path: &str) -> Option<String> {
    let written = written.trim_matches('"');
    let (negative, unsigned) = match written.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, written.strip_prefix('+').unwrap_or(written)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if whole.is_empty() || !(whole.chars().chain(fraction.chars())).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    let digits = if negative { -digits } else { digits };
    match path {
        "corm::BigDecimal" => Some(format!(
            "corm::BigDecimal::new(corm::BigInt::from({digits}_i128), {})",
            fraction.len()
        )),
        "corm::BigInt" if fraction.is_empty() => Some(format!("corm::BigInt::from({digits}_i128)")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::literal;

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(
            literal("1000000.50", "corm::BigDecimal").as_deref(),
            Some("corm::BigDecimal::new(corm::BigInt::from(100000050_i128), 2)")
        );
        assert_eq!(
            literal("-0.001", "corm::BigDecimal").as_deref(),
            Some("corm::BigDecimal::new(corm::BigInt::from(-1_i128), 3)")
        );
        assert_eq!(
            literal("+7", "corm::BigDecimal").as_deref(),
            Some("corm::BigDecimal::new(corm::BigInt::from(7_i128), 0)")
        );
    }

    #[test]
    fn integers_refuse_fractions_and_overflow() {
        assert_eq!(
            literal("-12", "corm::BigInt").as_deref(),
            Some("corm::BigInt::from(-12_i128)")
        );
        assert_eq!(literal("1.5", "corm::BigInt"), None);
        assert_eq!(literal(&"9".repeat(40), "corm::BigInt"), None);
        assert_eq!(literal("1e5", "corm::BigDecimal"), None);
        assert_eq!(literal("", "corm::BigDecimal"), None);
    }
}

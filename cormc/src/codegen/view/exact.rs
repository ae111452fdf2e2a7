//! Exact numbers written in a schema (`range(0, 1000000.50)`,
//! `having total > 10.5`) as Rust expressions of `corm::BigDecimal` or
//! `corm::BigInt`, built from their digits and scale: no parsing, nothing
//! fallible at run time.

/// An exact number written in a schema, as its digits and scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactNumber {
    /// Its digits as one integer, signed (`1000000.50` is `100000050`).
    pub digits: i128,
    /// Digits after the point for a `corm::BigDecimal`; `None` for a
    /// `corm::BigInt`.
    pub scale: Option<usize>,
}

impl ExactNumber {
    /// `written` (a schema number: `[+-]digits[.digits]`) as a number of
    /// the type at `path` (`corm::BigDecimal` or `corm::BigInt`); `None`
    /// when it does not fit that type (a fraction for an integer) or has
    /// more than 38 digits.
    #[must_use]
    pub fn parse(written: &str, path: &str) -> Option<Self> {
        let written = written.trim_matches('"');
        let (negative, unsigned) = match written.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, written.strip_prefix('+').unwrap_or(written)),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        if whole.is_empty() || !(whole.chars().chain(fraction.chars())).all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
        let digits = if negative { -digits } else { digits };
        match path {
            "corm::BigDecimal" => Some(Self {
                digits,
                scale: Some(fraction.len()),
            }),
            "corm::BigInt" if fraction.is_empty() => Some(Self {
                digits,
                scale: None,
            }),
            _ => None,
        }
    }
}

/// `written` as a Rust expression of the type at `path` (see
/// [`ExactNumber::parse`]), for the aggregates' view code, which still
/// writes its Rust as text.
#[must_use]
pub fn literal(written: &str, path: &str) -> Option<String> {
    ExactNumber::parse(written, path).map(|number| match number.scale {
        Some(scale) => format!(
            "corm::BigDecimal::new(corm::BigInt::from({}_i128), {scale})",
            number.digits
        ),
        None => format!("corm::BigInt::from({}_i128)", number.digits),
    })
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

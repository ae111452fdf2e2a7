//! The custom scalars of CQL types GraphQL has no type for, each written
//! as a string, with the description a client's tools show.

/// `bigint`, `counter` and `varint`: a whole number as decimal digits
/// (JSON numbers lose precision past 2^53). Input may also be an `Int`.
pub const BIG_INT: &str = "BigInt";
/// `decimal`: an exact decimal number as text (`-12.50`, `1E+3`).
pub const DECIMAL: &str = "Decimal";
/// `uuid`: hyphenated, lower case.
pub const UUID: &str = "UUID";
/// `timeuuid`: a version 1 UUID, hyphenated.
pub const TIME_UUID: &str = "TimeUUID";
/// `timestamp`: RFC 3339 in UTC, milliseconds (`2026-12-06T20:00:00.000Z`).
pub const TIMESTAMP: &str = "Timestamp";
/// `date`: `YYYY-MM-DD`.
pub const DATE: &str = "Date";
/// `time`: `HH:MM:SS` with up to nine fractional digits.
pub const TIME: &str = "Time";
/// `duration`: CQL's duration literal (`1mo2d3h`, `-30m`).
pub const DURATION: &str = "Duration";
/// `inet`: an IPv4 or IPv6 address.
pub const INET: &str = "Inet";
/// `blob`: the bytes in standard base64 with padding.
pub const BLOB: &str = "Blob";

/// Each scalar's description, as the schema states it.
pub(crate) fn description(name: &str) -> &'static str {
    match name {
        BIG_INT => {
            "A 64-bit or arbitrary-precision whole number (CQL bigint, counter, varint), as a string of decimal digits."
        }
        DECIMAL => "An exact decimal number (CQL decimal), as a string.",
        UUID => "A UUID (CQL uuid), hyphenated.",
        TIME_UUID => "A version 1, time-based UUID (CQL timeuuid), hyphenated.",
        TIMESTAMP => "A moment (CQL timestamp), as RFC 3339 text in UTC with milliseconds.",
        DATE => "A calendar date (CQL date), as YYYY-MM-DD.",
        TIME => "A time of day (CQL time), as HH:MM:SS with up to nine fractional digits.",
        DURATION => {
            "A duration (CQL duration), as CQL's literal: 1y2mo3w4d5h6m7s8ms9us10ns, - in front when negative."
        }
        INET => "An IPv4 or IPv6 address (CQL inet).",
        BLOB => "Bytes (CQL blob), in standard base64 with padding.",
        _ => "",
    }
}

//! Values that generated constructors fill in for `@default(now)` and
//! `@default(timeuuid)`.

use scylla::value::CqlTimeuuid;
use uuid::{Builder, Uuid};

/// 100 ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch.
pub(crate) const GREGORIAN_TO_UNIX_TICKS: u64 = 0x01B2_1DD2_1381_4000;

/// A new time-based (version 1) UUID for the current time, as a `timeuuid`
/// column stores it; its clock sequence and node are random, so two calls
/// in the same 100 ns still differ.
///
/// ```
/// let id = corm::rt::now_timeuuid();
/// assert_eq!(id.as_ref().get_version_num(), 1);
/// ```
#[must_use]
pub fn now_timeuuid() -> CqlTimeuuid {
    let nanos = chrono::Utc::now()
        .timestamp_nanos_opt()
        .map_or(0, |nanos| u64::try_from(nanos).unwrap_or(0));
    CqlTimeuuid::from(timeuuid_at(nanos / 100 + GREGORIAN_TO_UNIX_TICKS))
}

/// A time-based (version 1) UUID at `ticks` (100 ns intervals since the
/// Gregorian epoch) with a random clock sequence and node.
pub(crate) fn timeuuid_at(ticks: u64) -> Uuid {
    let random = Uuid::new_v4().into_bytes();
    let counter = u16::from_be_bytes([random[0], random[1]]);
    // The multicast bit marks a node id that is not a MAC address.
    let node = [
        random[2] | 0x01,
        random[3],
        random[4],
        random[5],
        random[6],
        random[7],
    ];
    Builder::from_gregorian_timestamp(ticks, counter, &node).into_uuid()
}

/// The current time at the precision a `timestamp` column keeps
/// (milliseconds), so that a row read back equals the row written.
///
/// ```
/// let now = corm::rt::now_timestamp();
/// assert_eq!(now.timestamp_subsec_nanos() % 1_000_000, 0);
/// ```
#[must_use]
pub fn now_timestamp() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

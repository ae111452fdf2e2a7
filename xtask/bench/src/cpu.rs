//! Process CPU time: `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`, the user +
//! system time of every thread of the process, with nanosecond resolution.
//! It is the sum that `getrusage(RUSAGE_SELF)` splits into `ru_utime` and
//! `ru_stime` (both come from the scheduler's run time of the threads);
//! read through `rustix`, whose API is safe (the workspace forbids
//! `unsafe`).

use std::time::Duration;

use rustix::time::{ClockId, clock_gettime};

/// The CPU time the process has used so far (user + system, all threads).
pub fn process_time() -> Duration {
    let now = clock_gettime(ClockId::ProcessCPUTime);
    let seconds = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(now.tv_nsec).unwrap_or(0);
    Duration::new(seconds, nanos)
}

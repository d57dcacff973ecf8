//! Token bucket per vendor, expressed as "`capacity` calls per `per`".
//!
//! Implemented as the generic cell rate algorithm: one token comes back every `per / capacity`
//! and at most `capacity` calls go out back to back. It computes how long to wait; the caller
//! waits through its [`super::Sleeper`], so tests observe the delays without sleeping.

use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    pub capacity: u32,
    pub per: Duration,
}

impl RateLimit {
    pub const fn new(capacity: u32, per: Duration) -> RateLimit {
        RateLimit { capacity, per }
    }

    fn interval(self) -> Duration {
        self.per / self.capacity.max(1)
    }
}

/// State of one bucket: the theoretical arrival time of the next call.
#[derive(Debug)]
pub(crate) struct Bucket {
    limit: RateLimit,
    next_free: Option<Instant>,
}

impl Bucket {
    pub(crate) fn new(limit: RateLimit) -> Bucket {
        Bucket {
            limit,
            next_free: None,
        }
    }

    /// Takes a token at `now`; returns how long the call must wait first.
    pub(crate) fn acquire(&mut self, now: Instant) -> Duration {
        let interval = self.limit.interval();
        // The burst allowance: capacity − 1 calls may run ahead of the steady pace.
        let tolerance = interval * (self.limit.capacity.max(1) - 1);
        let tat = match self.next_free {
            Some(t) if t > now => t,
            _ => now,
        };
        let wait = (tat.saturating_duration_since(now)).saturating_sub(tolerance);
        self.next_free = Some(tat + interval);
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_steady_pace() {
        // 3 calls per 3 s: interval 1 s, burst 3.
        let mut b = Bucket::new(RateLimit::new(3, Duration::from_secs(3)));
        let t0 = Instant::now();
        assert_eq!(b.acquire(t0), Duration::ZERO);
        assert_eq!(b.acquire(t0), Duration::ZERO);
        assert_eq!(b.acquire(t0), Duration::ZERO);
        // 4th at t0: next_free = t0+3s, tolerance 2 s → wait 1 s.
        assert_eq!(b.acquire(t0), Duration::from_secs(1));
        // 5th at t0+1s (after waiting): next_free t0+4s, 3 s ahead, minus 2 s → 1 s.
        assert_eq!(
            b.acquire(t0 + Duration::from_secs(1)),
            Duration::from_secs(1)
        );
        // Long idle: the bucket refills.
        let later = t0 + Duration::from_secs(100);
        assert_eq!(b.acquire(later), Duration::ZERO);
    }
}

//! Injectable waiting: real time in production, a virtual clock in tests.

use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where the HTTP layer reads time and waits. Object safe so that clients hold an
/// `Arc<dyn Sleeper>`.
pub trait Sleeper: Send + Sync {
    /// Monotonic time, for the rate limiter.
    fn now(&self) -> Instant;
    /// Wall-clock time, to read `Retry-After` given as an HTTP date.
    fn wall_clock(&self) -> DateTime<Utc>;
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Production sleeper: `tokio::time::sleep` and the system clocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall_clock(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(delay))
    }
}

/// Test sleeper: never waits; every requested delay is recorded and advances a virtual clock,
/// so the rate limiter and `Retry-After` arithmetic behave as if time had passed.
#[derive(Debug)]
pub struct RecordingSleeper {
    start: Instant,
    wall_start: DateTime<Utc>,
    delays: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    pub fn new(wall_start: DateTime<Utc>) -> RecordingSleeper {
        RecordingSleeper {
            start: Instant::now(),
            wall_start,
            delays: Mutex::new(Vec::new()),
        }
    }

    /// Every delay requested so far, in order.
    pub fn delays(&self) -> Vec<Duration> {
        self.delays.lock().expect("sleeper lock").clone()
    }

    fn elapsed(&self) -> Duration {
        self.delays.lock().expect("sleeper lock").iter().sum()
    }
}

impl Sleeper for RecordingSleeper {
    fn now(&self) -> Instant {
        self.start + self.elapsed()
    }

    fn wall_clock(&self) -> DateTime<Utc> {
        self.wall_start + chrono::Duration::from_std(self.elapsed()).unwrap_or_default()
    }

    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.delays.lock().expect("sleeper lock").push(delay);
        Box::pin(std::future::ready(()))
    }
}

//! Sign-in throttling: after 5 failed attempts for one e-mail address, or 20 from one client
//! address, within 15 minutes, further attempts are refused until the window has passed. Kept
//! in memory: a restart forgets it, which only helps the legitimate user.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

const WINDOW_MINUTES: i64 = 15;
const PER_ACCOUNT: usize = 5;
const PER_CLIENT: usize = 20;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
}

impl Throttle {
    /// Whether an attempt for `email` from `client` may be checked now.
    pub fn allows(&self, email: &str, client: &str, now: DateTime<Utc>) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let recent = |map: &mut HashMap<String, Vec<DateTime<Utc>>>, key: String| {
            let list = map.entry(key).or_default();
            list.retain(|t| now - *t < Duration::minutes(WINDOW_MINUTES));
            list.len()
        };
        recent(&mut map, format!("e:{email}")) < PER_ACCOUNT
            && recent(&mut map, format!("c:{client}")) < PER_CLIENT
    }

    pub fn failed(&self, email: &str, client: &str, now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(format!("e:{email}")).or_default().push(now);
        map.entry(format!("c:{client}")).or_default().push(now);
    }

    /// A successful sign-in clears the account's failures.
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("e:{email}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_account_for_fifteen_minutes() {
        let t = Throttle::default();
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        for i in 0..5 {
            assert!(t.allows("a@b.fr", "1.2.3.4", start), "attempt {i}");
            t.failed("a@b.fr", "1.2.3.4", start);
        }
        assert!(!t.allows("a@b.fr", "1.2.3.4", start + Duration::minutes(14)));
        assert!(t.allows("other@b.fr", "1.2.3.4", start));
        assert!(t.allows("a@b.fr", "1.2.3.4", start + Duration::minutes(15)));
    }
}

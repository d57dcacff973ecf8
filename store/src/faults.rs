//! Named fault points for the crash and concurrency tests, active in debug builds only.
//!
//! Code that must survive a crash at a given moment calls [`point`] with a stable name
//! (`import.batch`, `outputs.file`, …). A test runs the `releve` binary with
//!
//! - `RELEVE_TEST_KILL_AT=name:n` — the process aborts (no destructors, no flush: as hard as
//!   `kill -9`) on the n-th time it reaches `name`; it first writes
//!   `RELEVE_TEST_KILLED name:n` on stderr;
//! - `RELEVE_TEST_FAIL_AT=name:n:errno` — from the n-th time the process reaches the I/O
//!   point `name` ([`io_failure`]), the operation fails with that OS error (28 disk full,
//!   30 read-only file system, 13 permission denied), as a full or read-only disk would;
//! - `RELEVE_TEST_PAUSE_AT=name` — on the first time it reaches `name` the process writes
//!   `RELEVE_TEST_PAUSED name` on stderr and waits for a line (or the end) on its stdin, so that
//!   a test can act while the process is known to be at that point, without sleeping.
//!
//! - `RELEVE_TEST_BATCH_ROWS=n` — at most n rows per multi-row statement ([`batch_rows`]),
//!   so that a crash test kills an import between the same statements on SQLite (100 rows by
//!   default) and on PostgreSQL (500).
//!
//! Release builds compile [`point`] to nothing. The store owns this module because it is the
//! lowest crate with I/O that both the store's writes and the binary's steps can reach.

/// Marks a fault point (see the module documentation).
#[inline]
pub fn point(name: &str) {
    #[cfg(debug_assertions)]
    active::hit(name);
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// An injected I/O error for the I/O point `name`, if a test asked for one (see the module
/// documentation); always `None` in release builds.
pub fn io_failure(name: &str) -> Option<std::io::Error> {
    #[cfg(debug_assertions)]
    return active::io_failure(name);
    #[cfg(not(debug_assertions))]
    {
        let _ = name;
        None
    }
}

/// The rows-per-statement limit a test asked for (see the module documentation); always
/// `None` in release builds.
pub fn batch_rows() -> Option<usize> {
    #[cfg(debug_assertions)]
    {
        static ROWS: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
        *ROWS.get_or_init(|| {
            std::env::var("RELEVE_TEST_BATCH_ROWS")
                .ok()
                .and_then(|n| n.trim().parse().ok())
                .filter(|n| *n > 0)
        })
    }
    #[cfg(not(debug_assertions))]
    None
}

#[cfg(debug_assertions)]
mod active {
    use std::collections::HashMap;
    use std::io::{BufRead, Write};
    use std::sync::{Mutex, OnceLock};

    struct Plan {
        kill: Option<(String, u64)>,
        pause: Option<String>,
        fail: Option<(String, u64, i32)>,
    }

    fn plan() -> &'static Plan {
        static PLAN: OnceLock<Plan> = OnceLock::new();
        PLAN.get_or_init(|| Plan {
            kill: std::env::var("RELEVE_TEST_KILL_AT").ok().and_then(|spec| {
                let (name, n) = spec.trim().rsplit_once(':')?;
                Some((name.to_string(), n.parse().ok()?))
            }),
            pause: std::env::var("RELEVE_TEST_PAUSE_AT")
                .ok()
                .map(|p| p.trim().to_string()),
            fail: std::env::var("RELEVE_TEST_FAIL_AT").ok().and_then(|spec| {
                let mut parts = spec.trim().rsplitn(3, ':');
                let errno = parts.next()?.parse().ok()?;
                let n = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), n, errno))
            }),
        })
    }

    static HITS: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);

    fn count(name: &str) -> u64 {
        let mut hits = HITS.lock().unwrap_or_else(|e| e.into_inner());
        let counter = hits
            .get_or_insert_with(HashMap::new)
            .entry(name.to_string())
            .or_insert(0);
        *counter += 1;
        *counter
    }

    pub(super) fn io_failure(name: &str) -> Option<std::io::Error> {
        let (point, from, errno) = plan().fail.as_ref()?;
        if point != name || count(name) < *from {
            return None;
        }
        Some(std::io::Error::from_raw_os_error(*errno))
    }

    pub(super) fn hit(name: &str) {
        let plan = plan();
        if plan.kill.is_none() && plan.pause.is_none() {
            return;
        }
        let count = count(name);
        if let Some((kill, n)) = &plan.kill {
            if kill == name && *n == count {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "RELEVE_TEST_KILLED {name}:{count}");
                let _ = err.flush();
                std::process::abort();
            }
        }
        if plan.pause.as_deref() == Some(name) && count == 1 {
            {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "RELEVE_TEST_PAUSED {name}");
                let _ = err.flush();
            }
            let mut line = String::new();
            let _ = std::io::stdin().lock().read_line(&mut line);
        }
    }
}

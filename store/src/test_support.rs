//! Test harness: run one test body on SQLite and, when `DATABASE_URL` points to PostgreSQL,
//! again on PostgreSQL in a fresh schema of its own (tests run in parallel and must never see
//! each other's rows). The schema is dropped afterwards, even when the body panics.

use crate::connect::Store;
use chrono::{DateTime, Utc};
use sqlx::{Connection, Executor};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

/// A Paris local time (`"2025-11-14 20:30"`) as an instant.
pub(crate) fn at(local: &str) -> DateTime<Utc> {
    releve_domain::calendar::parse_instant(local).unwrap()
}

/// Runs `body` on an in-memory SQLite store, then on a PostgreSQL store if `DATABASE_URL`
/// starts with `postgres` (otherwise says that variant was skipped).
pub(crate) async fn each_backend<F, Fut>(body: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let sqlite = Store::connect("sqlite::memory:")
        .await
        .expect("in-memory SQLite");
    body(sqlite.clone()).await;
    sqlite.close().await;

    let test = std::thread::current()
        .name()
        .unwrap_or("store test")
        .to_string();
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => on_postgres(&url, body).await,
        _ => eprintln!("{test}: PostgreSQL variant skipped (DATABASE_URL is not postgres://…)"),
    }
}

async fn on_postgres<F, Fut>(url: &str, body: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    sqlx::any::install_default_drivers();
    let schema = unique_schema_name();
    let mut admin = sqlx::AnyConnection::connect(url)
        .await
        .expect("PostgreSQL from DATABASE_URL");
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    // `options` is passed to the server at connection: every connection of the pool, the
    // migrations included, works in the test's own schema.
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let outcome = match Store::connect(&scoped).await {
        Ok(store) => {
            // Spawned so that a panic is caught and the schema still dropped.
            let outcome = tokio::spawn(body(store.clone())).await;
            store.close().await;
            outcome.map_err(|e| e.into_panic())
        }
        Err(e) => Err(Box::new(format!("connect to {scoped}: {e}")) as Box<_>),
    };
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .unwrap();
    admin.close().await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// `t_<time>_<pid>_<counter>`: unique across the parallel tests of this and other processes.
fn unique_schema_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "t_{nanos:x}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs `body` with the URL of a fresh PostgreSQL schema (no store opened yet, so that the test
/// can open several, as several processes would); the schema is dropped afterwards.
pub(crate) async fn on_fresh_postgres_schema<F, Fut>(url: &str, body: F)
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    sqlx::any::install_default_drivers();
    let schema = unique_schema_name();
    let mut admin = sqlx::AnyConnection::connect(url)
        .await
        .expect("PostgreSQL from DATABASE_URL");
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let outcome = tokio::spawn(body(scoped)).await;
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .unwrap();
    admin.close().await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}

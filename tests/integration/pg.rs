//! PostgreSQL for the binary's tests: the server named by `DATABASE_URL` (CI:
//! `postgres://postgres@127.0.0.1:5432/test`), and a schema of its own for each scenario, so
//! that tests running in parallel (and other processes using the same server) never see each
//! other's tables. The schema is dropped when the [`Schema`] goes, even after a panic.

use std::sync::atomic::{AtomicU64, Ordering};

/// The server's URL, or `None` after saying clearly that `test`'s PostgreSQL variant is skipped.
pub fn server_url(test: &str) -> Option<String> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => Some(url),
        _ => {
            eprintln!(
                "{test}: PostgreSQL variant skipped (DATABASE_URL is not postgres://…; CI sets \
                 DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)"
            );
            None
        }
    }
}

/// A fresh schema on the server; [`Schema::url`] makes every connection work inside it.
pub struct Schema {
    server: String,
    pub name: String,
}

impl Schema {
    pub fn new(server: &str) -> Schema {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!(
            "it_{nanos:x}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        admin(server, &format!("CREATE SCHEMA {name}"));
        Schema {
            server: server.to_string(),
            name,
        }
    }

    /// The server's URL scoped to this schema (`options=-c search_path=…` is sent at every
    /// connection, the migrations' included).
    pub fn url(&self) -> String {
        self.url_via(&self.server)
    }

    /// The same scope on another address of the same server (a proxy in front of it).
    pub fn url_via(&self, server: &str) -> String {
        let separator = if server.contains('?') { '&' } else { '?' };
        format!(
            "{server}{separator}options=-c%20search_path%3D{}",
            self.name
        )
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        admin(
            &self.server,
            &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
        );
    }
}

/// One statement on its own connection, from a runtime of its own (tests are synchronous).
fn admin(url: &str, sql: &str) {
    let (url, sql) = (url.to_string(), sql.to_string());
    // A thread of its own: a drop may happen while a test's runtime is running.
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                use sqlx::{Connection, Executor};
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(&url)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {url}: {e}"));
                conn.execute(sql.as_str()).await.unwrap();
                conn.close().await.unwrap();
            })
    })
    .join()
    .expect("PostgreSQL administration statement");
}

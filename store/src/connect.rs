//! Opening the database: backend detection from the URL, pool settings, migrations.

use crate::error::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a database URL designates.
    pub fn of_url(url: &str) -> Result<Backend, StoreError> {
        let url = url.trim();
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }

    /// The embedded migrations of this backend (`migrations/<backend>/NNNN_*.sql`).
    pub fn migrator(self) -> &'static Migrator {
        match self {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// The releve database: a pool of the sqlx `Any` driver and the backend behind it.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    /// PostgreSQL only: a native pool for what `Any` cannot do (`COPY`, `tickets/copy.rs`).
    /// Lazy: it opens its first connection at the first bulk import.
    pub(crate) copy_pool: Option<sqlx::PgPool>,
}

impl Store {
    /// Connects and brings the schema up to date. SQLite files are created if missing (and
    /// their folder too); `sqlite::memory:` gives a private throw-away database.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let target = redact(url.trim());
        let unreachable = |source| StoreError::Unreachable {
            target: target.clone(),
            source,
        };
        let (url, memory) = match backend {
            Backend::Sqlite => sqlite_url(url.trim()),
            Backend::Postgres => (url.trim().to_string(), false),
        };
        if backend == Backend::Sqlite && !memory {
            create_parent_dir(&url).map_err(|e| unreachable(sqlx::Error::Io(e)))?;
        }
        if !memory {
            // The pool retries a refused connection until its timeout; one direct attempt first
            // reports an unreachable server at once.
            let probe = AnyConnection::connect(&url).await.map_err(unreachable)?;
            probe.close().await.map_err(unreachable)?;
        }
        let options = if memory {
            // Every connection to `:memory:` is a new, empty database: keep exactly one, forever.
            AnyPoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
        } else {
            AnyPoolOptions::new().max_connections(5)
        };
        let options = if backend == Backend::Sqlite {
            // Writers queue behind one another (one writer at a time): wait for the lock up to
            // a minute, long enough for the largest import transaction, instead of sqlx's 5 s.
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA busy_timeout = 60000").await?;
                    Ok(())
                })
            })
        } else {
            // An import runs the same statements hundreds of times in one transaction while
            // its table grows from empty; after five runs PostgreSQL may switch to a generic
            // plan chosen for the empty table (a sequential scan): 100 000 tickets took 80 s
            // instead of 2 s. Custom plans are re-planned for the table's current size.
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("SET plan_cache_mode = force_custom_plan")
                        .await?;
                    Ok(())
                })
            })
        };
        let pool = options
            .acquire_timeout(Duration::from_secs(10))
            .connect(&url)
            .await
            .map_err(unreachable)?;
        if backend == Backend::Sqlite && !memory {
            if let Err(source) = switch_to_wal(&pool).await {
                if is_damaged_file(&source) {
                    return Err(StoreError::Damaged { target, source });
                }
                return Err(source.into());
            }
        }
        let copy_pool = match backend {
            Backend::Postgres => Some(copy_pool(&url).map_err(unreachable)?),
            Backend::Sqlite => None,
        };
        let store = Store {
            pool,
            backend,
            copy_pool,
        };
        let damaged = |e: StoreError| match e {
            StoreError::Database(source) | StoreError::Migration(MigrateError::Execute(source))
                if is_damaged_file(&source) =>
            {
                StoreError::Damaged {
                    target: target.clone(),
                    source,
                }
            }
            other => other,
        };
        store.migrate().await.map_err(damaged)?;
        tracing::debug!(backend = ?backend, "store connected and migrated");
        Ok(store)
    }

    /// Brings the schema up to date under a lock, so that processes starting together on a
    /// new database do not both create the tables ("table organisations already exists").
    /// PostgreSQL: sqlx's migrator holds an advisory lock for the whole migration. SQLite:
    /// every migration runs inside one `BEGIN IMMEDIATE` transaction (sqlx's own transaction
    /// per migration becomes a savepoint), so a second process waits for the first to commit
    /// and then finds nothing left to do.
    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = self.backend.migrator();
        if self.backend == Backend::Postgres {
            return Ok(migrator.run(&self.pool).await?);
        }
        if self.schema_is_current().await {
            return Ok(());
        }
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        migrator.run_direct(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether every embedded migration is recorded as applied: most starts then need no
    /// write lock at all (a run may be importing meanwhile).
    async fn schema_is_current(&self) -> bool {
        let applied: Vec<i64> =
            match sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(&self.pool)
                .await
            {
                Ok(versions) => versions,
                Err(_) => return false,
            };
        self.backend
            .migrator()
            .iter()
            .all(|m| applied.contains(&m.version))
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with
    /// "database is locked" when another process wrote in between, whatever the busy timeout;
    /// taking the lock first makes concurrent writers wait their turn instead.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (waits for the ones in use).
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(pool) = &self.copy_pool {
            pool.close().await;
        }
    }
}

/// How long a start waits for another process to let go of a new SQLite file while it
/// switches it to write-ahead logging: as long as the busy timeout of every other statement.
const WAL_SWITCH_PATIENCE: Duration = Duration::from_secs(60);

/// Puts a SQLite file in write-ahead-log mode (readers do not block the writer; the setting is
/// stored in the file). Switching a file from the rollback journal to WAL needs an exclusive
/// lock that SQLite does not wait for (its busy timeout does not apply): when two processes
/// start together on a database that does not exist yet, the second one's switch fails at
/// once with "database is locked" while the first holds the file to switch it or to create
/// the tables. That was the failure of two cron runs started together under load; so a busy
/// answer is retried, with short growing pauses, until [`WAL_SWITCH_PATIENCE`] has passed.
/// Once the file is in WAL mode the statement is a no-op that needs no lock.
async fn switch_to_wal(pool: &AnyPool) -> Result<(), sqlx::Error> {
    switch_to_wal_noting(pool, WAL_SWITCH_PATIENCE, &mut || {}).await
}

/// [`switch_to_wal`], calling `on_busy` at each busy answer (so a test knows the race happened).
async fn switch_to_wal_noting(
    pool: &AnyPool,
    patience: Duration,
    on_busy: &mut (dyn FnMut() + Send),
) -> Result<(), sqlx::Error> {
    let deadline = std::time::Instant::now() + patience;
    let mut pause = Duration::from_millis(5);
    loop {
        match sqlx::query("PRAGMA journal_mode = WAL")
            .fetch_optional(pool)
            .await
        {
            Ok(_) => return Ok(()),
            Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                tracing::debug!("database file busy while switching it to WAL; trying again");
                on_busy();
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            Err(e) => return Err(e),
        }
    }
}

/// SQLite's "database is locked" (`SQLITE_BUSY`, 5, and its extended codes).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| code & 0xff == 5)
}

/// The native PostgreSQL pool of bulk imports, on the same URL (and so the same
/// `search_path` when the URL sets one). As many connections as the `Any` pool: each of a
/// process's workers (`run --jobs N`) may be importing at once. Notices are silenced: the staging table's `CREATE … IF NOT EXISTS` gives one per
/// batch.
fn copy_pool(url: &str) -> Result<sqlx::PgPool, sqlx::Error> {
    let options: sqlx::postgres::PgConnectOptions = url.parse()?;
    Ok(sqlx::postgres::PgPoolOptions::new()
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("SET client_min_messages = warning").await?;
                Ok(())
            })
        })
        .connect_lazy_with(options))
}

/// SQLite's "file is not a database" (26) and "database disk image is malformed" (11).
fn is_damaged_file(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "26" || code == "11")
}

/// The URL sqlx should open, and whether it is an in-memory database. Files get `mode=rwc`
/// (create if missing) unless the URL already chooses a mode.
fn sqlite_url(url: &str) -> (String, bool) {
    let memory = url.contains(":memory:") || url.contains("mode=memory");
    if memory || url.contains("mode=") {
        return (url.to_string(), memory);
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    (format!("{url}{separator}mode=rwc"), false)
}

/// Creates the folder of a SQLite file so that a fresh configuration works at once.
fn create_parent_dir(url: &str) -> std::io::Result<()> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let path = rest.split('?').next().unwrap_or(rest);
    match std::path::Path::new(path).parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
        _ => Ok(()),
    }
}

/// The URL with its password (if any) masked, for messages and logs.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_scheme() {
        assert_eq!(
            Backend::of_url("sqlite://releve.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(Backend::of_url("sqlite::memory:").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::of_url("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
        let err = Backend::of_url("mysql://root:secret@h/db").unwrap_err();
        assert!(matches!(err, StoreError::UnsupportedUrl(_)));
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn sqlite_files_are_created_if_missing() {
        assert_eq!(
            sqlite_url("sqlite://data/releve.db"),
            ("sqlite://data/releve.db?mode=rwc".to_string(), false)
        );
        assert_eq!(
            sqlite_url("sqlite://r.db?cache=shared"),
            ("sqlite://r.db?cache=shared&mode=rwc".to_string(), false)
        );
        assert_eq!(
            sqlite_url("sqlite://r.db?mode=ro"),
            ("sqlite://r.db?mode=ro".to_string(), false)
        );
        assert_eq!(
            sqlite_url("sqlite::memory:"),
            ("sqlite::memory:".to_string(), true)
        );
    }

    /// The race of two processes starting on a new file: one holds it (here: a write
    /// transaction in rollback-journal mode, as a process creating its tables does) while the
    /// other switches it to WAL. SQLite answers "database is locked" at once, whatever the
    /// busy timeout; the switch waits for the holder instead of failing the start.
    #[tokio::test]
    async fn switching_a_new_file_to_wal_waits_for_the_process_holding_it() {
        sqlx::any::install_default_drivers();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("new.db").display());
        let mut holder = AnyConnection::connect(&url).await.unwrap();
        holder.execute("BEGIN IMMEDIATE").await.unwrap();
        holder.execute("CREATE TABLE first (a)").await.unwrap();
        let pool = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        let (busy_tx, mut busy_rx) = tokio::sync::mpsc::unbounded_channel();
        let switching = tokio::spawn({
            let pool = pool.clone();
            async move {
                switch_to_wal_noting(&pool, Duration::from_secs(60), &mut || {
                    let _ = busy_tx.send(());
                })
                .await
            }
        });
        // The switch met the lock (without the retry, it failed here)…
        busy_rx
            .recv()
            .await
            .expect("the switch was refused while the file is held");
        // …and goes through once the holder commits.
        holder.execute("COMMIT").await.unwrap();
        switching.await.unwrap().unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        pool.close().await;
        holder.close().await.unwrap();
    }

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            redact("postgres://releve:s3cret@db.local:5432/releve"),
            "postgres://releve:***@db.local:5432/releve"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(redact("sqlite://releve.db"), "sqlite://releve.db");
    }
}

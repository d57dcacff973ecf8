//! Consistent copies of a SQLite database (`releve backup` / `releve restore`): the online copy,
//! the inspection of a copy before it is put back, and the WAL checkpoint that makes the file
//! alone hold everything. PostgreSQL is backed up with `pg_dump` (the binary prints how).

use crate::connect::{Backend, Store};
use crate::error::StoreError;
use sqlx::{AnyConnection, Connection, Row};
use std::path::{Path, PathBuf};

/// What a database (or a copy of one) holds, to tell the administrator what was saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contents {
    pub organisations: i64,
    pub tickets: i64,
    pub declaration_versions: i64,
    pub audit_entries: i64,
    /// Migration versions recorded as applied.
    pub migrations: Vec<i64>,
}

/// The file of a `sqlite://` URL (`None` for PostgreSQL and in-memory databases).
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    let url = url.trim();
    if Backend::of_url(url).ok()? != Backend::Sqlite
        || url.contains(":memory:")
        || url.contains("mode=memory")
    {
        return None;
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `target` while others may keep
    /// reading and writing (`VACUUM INTO`: one read transaction, so the copy is one instant of
    /// the database). `target` must not exist.
    pub async fn copy_sqlite_to(&self, target: &Path) -> Result<(), StoreError> {
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Moves everything in the write-ahead log into the database file, so that the file alone
    /// is the database (before it is moved aside by a restore).
    pub async fn checkpoint_sqlite(&self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_all(&self.pool)
            .await?;
        Ok(())
    }

    /// What the database holds.
    pub async fn contents(&self) -> Result<Contents, StoreError> {
        let mut conn = self.pool.acquire().await?;
        contents(&mut conn).await
    }
}

/// Opens a SQLite copy read-only, checks its integrity and says what it holds; refuses a file
/// that is not a releve database. The copy is not modified.
pub async fn inspect_sqlite_copy(path: &Path) -> Result<Contents, StoreError> {
    sqlx::any::install_default_drivers();
    let shown = path.display().to_string();
    let unreadable = |detail: String| StoreError::NotABackup {
        path: shown.clone(),
        detail,
    };
    if !path.is_file() {
        return Err(unreadable("fichier introuvable".into()));
    }
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = AnyConnection::connect(&url)
        .await
        .map_err(|e| unreadable(e.to_string()))?;
    let checks: Vec<String> = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .map_err(|e| unreadable(e.to_string()))?
        .iter()
        .map(|row| row.try_get::<String, _>(0).unwrap_or_default())
        .collect();
    if checks != ["ok"] {
        return Err(unreadable(format!(
            "contrôle d'intégrité : {}",
            checks.join(" ; ")
        )));
    }
    let found = contents(&mut conn)
        .await
        .map_err(|e| unreadable(format!("pas une base releve ({e})")))?;
    conn.close().await.ok();
    Ok(found)
}

async fn contents(conn: &mut AnyConnection) -> Result<Contents, StoreError> {
    let mut counts = [0i64; 4];
    let tables = [
        "organisations",
        "tickets",
        "declaration_versions",
        "audit_log",
    ];
    for (count, table) in counts.iter_mut().zip(tables) {
        *count = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
    }
    let mut migrations: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut *conn)
        .await?;
    migrations.sort();
    let [organisations, tickets, declaration_versions, audit_entries] = counts;
    Ok(Contents {
        organisations,
        tickets,
        declaration_versions,
        audit_entries,
        migrations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_file("sqlite:///srv/releve/releve.db?mode=rwc"),
            Some(PathBuf::from("/srv/releve/releve.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:releve.db"),
            Some(PathBuf::from("releve.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
    }

    #[tokio::test]
    async fn an_online_copy_holds_the_data_and_a_non_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("releve.db").display());
        let store = Store::connect(&url).await.unwrap();
        let org = releve_domain::testing::organisation(false);
        store.upsert_organisation(&org).await.unwrap();
        let copy = dir.path().join("copie.db");
        store.copy_sqlite_to(&copy).await.unwrap();
        // A second copy onto the first is refused by SQLite, never overwritten.
        assert!(store.copy_sqlite_to(&copy).await.is_err());
        let found = inspect_sqlite_copy(&copy).await.unwrap();
        assert_eq!(found.organisations, 1);
        assert_eq!(found.tickets, 0);
        assert!(found.migrations.contains(&6), "{found:?}");
        assert_eq!(found, store.contents().await.unwrap());
        store.close().await;

        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "ceci n'est pas une base").unwrap();
        let err = inspect_sqlite_copy(&text).await.unwrap_err().to_string();
        assert!(err.starts_with("« "), "{err}");
        assert!(
            err.contains("n'est pas une sauvegarde releve lisible"),
            "{err}"
        );
        let err = inspect_sqlite_copy(&dir.path().join("absente.db"))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("fichier introuvable"), "{err}");
    }
}

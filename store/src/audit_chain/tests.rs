//! The audit chain holds while entries are only appended, and names the first entry changed,
//! removed or inserted behind releve's back.

use super::{append, NewEntry};
use crate::test_support::{at, each_backend};
use crate::Store;

async fn add(store: &Store, org: &str, action: &str, details: &str) {
    let mut tx = store.begin_write().await.unwrap();
    let entry = NewEntry {
        org,
        at: at("2025-12-05 10:00"),
        actor: "Claire Martin, administratrice",
        action,
        body: Some("cnm"),
        month: Some("2025-11".into()),
        details_json: details.to_string(),
    };
    append(&mut tx, store.backend(), &entry).await.unwrap();
    tx.commit().await.unwrap();
}

async fn ids(store: &Store, org: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_log WHERE org = $1")
        .bind(org)
        .fetch_all(&store.pool)
        .await
        .unwrap();
    ids.sort();
    ids
}

async fn five_entries(store: &Store) -> Vec<i64> {
    for (i, action) in ["amendment_draft", "approve", "submit", "accept", "approve"]
        .iter()
        .enumerate()
    {
        add(
            store,
            "digues",
            action,
            &format!("{{\"version\":{}}}", i + 1),
        )
        .await;
        // Another organisation's entries interleave: they have a chain of their own.
        add(store, "autre", action, "{}").await;
    }
    ids(store, "digues").await
}

#[tokio::test]
async fn an_untouched_log_verifies_and_each_organisation_has_its_own_chain() {
    each_backend(|store| async move {
        five_entries(&store).await;
        for org in ["digues", "autre"] {
            let report = store.verify_audit_chain(org).await.unwrap();
            assert_eq!(report.entries, 5);
            assert_eq!(report.unchained, 0);
            assert_eq!(report.broken, None, "{org}");
        }
        // The first entry links to nothing, the second to the first.
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT prev_hash, hash FROM audit_log WHERE org = 'digues' ORDER BY id",
        )
        .fetch_all(&store.pool)
        .await
        .unwrap();
        assert_eq!(rows[0].0, "");
        assert_eq!(rows[1].0, rows[0].1);
        assert_eq!(rows[0].1.len(), 64);
        let empty = store.verify_audit_chain("personne").await.unwrap();
        assert_eq!((empty.entries, empty.broken), (0, None));
    })
    .await;
}

#[tokio::test]
async fn a_changed_entry_is_the_first_broken_link() {
    each_backend(|store| async move {
        let ids = five_entries(&store).await;
        sqlx::query("UPDATE audit_log SET details_json = '{\"version\":9}' WHERE id = $1")
            .bind(ids[2])
            .execute(&store.pool)
            .await
            .unwrap();
        let broken = store
            .verify_audit_chain("digues")
            .await
            .unwrap()
            .broken
            .unwrap();
        assert_eq!(broken.id, ids[2]);
        assert_eq!(broken.action, "submit");
        assert_eq!(
            broken.reason,
            "son contenu a été modifié depuis son enregistrement"
        );
        // Changing the actor, or recomputing nothing but the hash, breaks it as well.
        let ids2 = ids.clone();
        sqlx::query("UPDATE audit_log SET actor = 'Quelqu''un d''autre' WHERE id = $1")
            .bind(ids2[1])
            .execute(&store.pool)
            .await
            .unwrap();
        let broken = store
            .verify_audit_chain("digues")
            .await
            .unwrap()
            .broken
            .unwrap();
        assert_eq!(broken.id, ids[1]);
        // The other organisation's chain is untouched.
        assert_eq!(
            store.verify_audit_chain("autre").await.unwrap().broken,
            None
        );
    })
    .await;
}

#[tokio::test]
async fn a_removed_or_inserted_entry_breaks_the_next_link() {
    each_backend(|store| async move {
        let ids = five_entries(&store).await;
        sqlx::query("DELETE FROM audit_log WHERE id = $1")
            .bind(ids[1])
            .execute(&store.pool)
            .await
            .unwrap();
        let broken = store
            .verify_audit_chain("digues")
            .await
            .unwrap()
            .broken
            .unwrap();
        assert_eq!(broken.id, ids[2]);
        assert!(broken
            .reason
            .starts_with("son lien ne désigne pas l'entrée qui la précède"));

        // An entry written by hand (no hash) at the end of another chain.
        sqlx::query(
            "INSERT INTO audit_log (org, at, actor, action, body, month, details_json) \
             VALUES ('autre', 0, 'x', 'approve', 'cnm', '2025-11', '{}')",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        let report = store.verify_audit_chain("autre").await.unwrap();
        assert_eq!(report.entries, 6);
        let broken = report.broken.unwrap();
        assert_eq!(broken.action, "approve");
        assert!(
            broken.reason.starts_with("entrée sans empreinte"),
            "{}",
            broken.reason
        );
    })
    .await;
}

#[tokio::test]
async fn entries_from_before_the_chain_are_counted_and_the_chain_starts_after_them() {
    each_backend(|store| async move {
        for _ in 0..2 {
            sqlx::query(
                "INSERT INTO audit_log (org, at, actor, action, body, month, details_json) \
                 VALUES ('digues', 0, 'ancien', 'approve', 'cnm', '2025-10', '{}')",
            )
            .execute(&store.pool)
            .await
            .unwrap();
        }
        add(&store, "digues", "approve", "{}").await;
        add(&store, "digues", "submit", "{}").await;
        let report = store.verify_audit_chain("digues").await.unwrap();
        assert_eq!((report.entries, report.unchained), (4, 2));
        assert_eq!(report.broken, None);
    })
    .await;
}

/// Appends from many connections at once (two processes' pools on one file, or PostgreSQL
/// sessions): the chain never forks.
#[tokio::test]
async fn concurrent_appends_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("releve.db").display());
    concurrent_appends(
        Store::connect(&url).await.unwrap(),
        Store::connect(&url).await.unwrap(),
    )
    .await;
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            crate::test_support::on_fresh_postgres_schema(&url, |scoped| async move {
                let first = Store::connect(&scoped).await.unwrap();
                let second = Store::connect(&scoped).await.unwrap();
                concurrent_appends(first, second).await;
            })
            .await;
        }
        _ => eprintln!(
            "concurrent appends: PostgreSQL variant skipped (DATABASE_URL is not postgres://…)"
        ),
    }
}

async fn concurrent_appends(first: Store, second: Store) {
    let mut tasks = Vec::new();
    for i in 0..12 {
        let store = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        tasks.push(tokio::spawn(async move {
            add(&store, "digues", "approve", &format!("{{\"n\":{i}}}")).await;
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let report = first.verify_audit_chain("digues").await.unwrap();
    assert_eq!(report.entries, 12);
    assert_eq!(report.broken, None);
    first.close().await;
    second.close().await;
}

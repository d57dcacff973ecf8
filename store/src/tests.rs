//! Tests across modules: connection, persistence of a file database, organisation isolation.

use crate::test_support::{at, each_backend};
use crate::{Backend, Store, StoreError};
use releve_domain::{testing, PriceKind, Quarantined};

#[tokio::test]
async fn unreachable_server_gives_a_clear_message() {
    // Port 1 on the loopback: nothing listens there, the connection is refused at once.
    let err = Store::connect("postgres://releve:secret@127.0.0.1:1/releve")
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{message}");
    assert!(
        message.starts_with("base de données injoignable : "),
        "{message}"
    );
    assert!(message.contains("database unreachable"), "{message}");
    assert!(!message.contains("secret"), "{message}");
    let err = Store::connect("mysql://localhost/releve")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl(_)), "{err}");
}

#[tokio::test]
async fn sqlite_file_and_folder_are_created_and_persist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("donnees").join("releve.db");
    let url = format!("sqlite://{}", path.display());
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(path.exists());
    let org = testing::organisation(false);
    store.upsert_organisation(&org).await.unwrap();
    let run = store
        .start_run(&org.slug, "sync", at("2025-12-01 03:00"))
        .await
        .unwrap();
    store.close().await;

    // Reopening runs the migrations again (a no-op) and finds the rows.
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(
        store.organisation(&org.slug).await.unwrap(),
        Some(org.clone())
    );
    assert_eq!(store.runs(&org.slug).await.unwrap()[0].id, run);
    store.close().await;
}

#[tokio::test]
async fn organisations_never_see_each_other() {
    each_backend(|store| async move {
        // Both organisations use the same source, performance id and ticket ids.
        let perf = testing::performance("P1", "Le Misanthrope", "2025-03-14 20:30");
        store
            .upsert_performances("a", std::slice::from_ref(&perf))
            .await
            .unwrap();
        store
            .upsert_performances("b", std::slice::from_ref(&perf))
            .await
            .unwrap();
        let a_tickets = testing::tickets("P1", 1, 3, "18.00", "5.5", PriceKind::Full);
        let b_tickets = testing::tickets("P1", 1, 2, "25.00", "5.5", PriceKind::Full);
        let done_a = store.upsert_tickets("a", &a_tickets).await.unwrap();
        // B's T1 and T2 are new for B even though A has the same ids.
        let done_b = store.upsert_tickets("b", &b_tickets).await.unwrap();
        assert_eq!((done_a.inserted, done_b.inserted), (3, 2));

        let programme = testing::programme(
            Some("P1"),
            "Le Misanthrope",
            "2025-03-14 20:30",
            releve_domain::Discipline::Theatre,
        );
        store
            .replace_programme("a", "programme_csv", std::slice::from_ref(&programme))
            .await
            .unwrap();
        store
            .replace_programme("b", "programme_csv", &[programme])
            .await
            .unwrap();
        store
            .replace_programme("a", "programme_csv", &[])
            .await
            .unwrap();

        let problem = Quarantined {
            source: "tickets_csv".into(),
            line: Some(2),
            column: None,
            reason: "ligne vide".into(),
            raw: String::new(),
        };
        store
            .replace_quarantine("a", "tickets_csv", std::slice::from_ref(&problem))
            .await
            .unwrap();
        store
            .replace_quarantine("b", "tickets_csv", &[])
            .await
            .unwrap();

        let (from, to) = (at("2025-03-01 00:00"), at("2025-04-01 00:00"));
        assert_eq!(
            store.tickets_between("a", from, to).await.unwrap(),
            a_tickets
        );
        assert_eq!(
            store.tickets_between("b", from, to).await.unwrap(),
            b_tickets
        );
        assert_eq!(
            store.performances_between("b", from, to).await.unwrap(),
            vec![perf]
        );
        assert!(store
            .performances_between("c", from, to)
            .await
            .unwrap()
            .is_empty());
        // Emptying A's programme left B's.
        assert!(store
            .programme_between("a", from, to)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            store.programme_between("b", from, to).await.unwrap().len(),
            1
        );
        assert_eq!(store.quarantine("a").await.unwrap(), vec![problem]);
        assert!(store.quarantine("b").await.unwrap().is_empty());
    })
    .await;
}

use crate::test_support::each_backend;
use releve_domain::Quarantined;

fn q(source: &str, line: Option<u64>, column: Option<&str>, reason: &str) -> Quarantined {
    Quarantined {
        source: source.into(),
        line,
        column: column.map(Into::into),
        reason: reason.into(),
        raw: format!("brut {line:?}"),
    }
}

#[tokio::test]
async fn each_import_replaces_the_quarantine_of_its_source() {
    each_backend(|store| async move {
        let csv_first = vec![
            q(
                "tickets_csv",
                Some(12),
                Some("prix"),
                "montant illisible : « abc »",
            ),
            q(
                "tickets_csv",
                Some(3),
                Some("tva"),
                "taux de TVA inconnu : « 55 »",
            ),
            q("tickets_csv", None, None, "fichier vide"),
        ];
        store
            .replace_quarantine("digues", "tickets_csv", &csv_first)
            .await
            .unwrap();
        let api = vec![q("billetweb", None, Some("$.price"), "prix manquant")];
        store
            .replace_quarantine("digues", "billetweb", &api)
            .await
            .unwrap();

        let open = store.quarantine("digues").await.unwrap();
        // Sorted by source, then line with "no line" first: billetweb; csv None, 3, 12.
        let keys: Vec<(&str, Option<u64>)> =
            open.iter().map(|r| (r.source.as_str(), r.line)).collect();
        assert_eq!(
            keys,
            [
                ("billetweb", None),
                ("tickets_csv", None),
                ("tickets_csv", Some(3)),
                ("tickets_csv", Some(12))
            ]
        );
        assert_eq!(open[2], csv_first[1]);

        // The next CSV import has one problem left; the API quarantine stays.
        let csv_second = vec![q("tickets_csv", Some(7), Some("date"), "date illisible")];
        store
            .replace_quarantine("digues", "tickets_csv", &csv_second)
            .await
            .unwrap();
        assert_eq!(
            store.quarantine("digues").await.unwrap(),
            vec![api[0].clone(), csv_second[0].clone()]
        );
        // A clean import closes the quarantine of its source.
        store
            .replace_quarantine("digues", "tickets_csv", &[])
            .await
            .unwrap();
        assert_eq!(store.quarantine("digues").await.unwrap(), api);
    })
    .await;
}

use crate::test_support::{at, each_backend};
use crate::StoreError;
use releve_domain::{testing, ContractType, Discipline, Money, ProgrammeEntry};

fn entry(line: u64, id: &str, local_start: &str) -> ProgrammeEntry {
    let mut e = testing::programme(Some(id), "Le Misanthrope", local_start, Discipline::Theatre);
    e.line = line;
    e
}

#[tokio::test]
async fn a_new_import_replaces_the_whole_programme_of_its_source() {
    each_backend(|store| async move {
        let mut rich = entry(2, "P1", "2025-03-14 20:30");
        rich.cession_price_excl_vat = Some(Money::from_cents(250_000));
        rich.contract_type = Some(ContractType::Corealisation);
        rich.numero_objet = vec!["OBJ-2025-01".into()];
        rich.artists_total = Some(5);
        let first = vec![
            entry(4, "P3", "2025-03-20 20:30"),
            rich.clone(),
            entry(3, "P2", "2025-03-15 20:30"),
        ];
        store
            .replace_programme("digues", "programme_csv", &first)
            .await
            .unwrap();
        let mut other = entry(2, "X1", "2025-03-01 18:00");
        other.source = "agenda_ics".into();
        store
            .replace_programme("digues", "agenda_ics", &[other.clone()])
            .await
            .unwrap();

        let (from, to) = (at("2025-03-01 00:00"), at("2025-04-01 00:00"));
        let all = store.programme_between("digues", from, to).await.unwrap();
        // Sorted by source ("agenda_ics" first), then line: 2, 3, 4.
        let lines: Vec<(&str, u64)> = all.iter().map(|e| (e.source.as_str(), e.line)).collect();
        assert_eq!(
            lines,
            [
                ("agenda_ics", 2),
                ("programme_csv", 2),
                ("programme_csv", 3),
                ("programme_csv", 4)
            ]
        );
        assert_eq!(all[1], rich, "the whole entry survives the JSON round trip");

        // The second import has fewer rows: only those remain; the other source is untouched.
        let second = vec![entry(2, "P2", "2025-03-15 20:30")];
        store
            .replace_programme("digues", "programme_csv", &second)
            .await
            .unwrap();
        let all = store.programme_between("digues", from, to).await.unwrap();
        assert_eq!(all, vec![other, second[0].clone()]);

        // An empty import empties the source.
        store
            .replace_programme("digues", "programme_csv", &[])
            .await
            .unwrap();
        assert_eq!(
            store
                .programme_between("digues", from, to)
                .await
                .unwrap()
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn programme_range_is_from_inclusive_to_exclusive() {
    each_backend(|store| async move {
        let entries = vec![
            entry(2, "A", "2025-02-28 23:59"),
            entry(3, "B", "2025-03-01 00:00"),
            entry(4, "C", "2025-03-31 23:30"),
            entry(5, "D", "2025-04-01 00:00"),
        ];
        store
            .replace_programme("digues", "programme_csv", &entries)
            .await
            .unwrap();
        let march = store
            .programme_between("digues", at("2025-03-01 00:00"), at("2025-04-01 00:00"))
            .await
            .unwrap();
        let ids: Vec<_> = march
            .iter()
            .map(|e| e.performance_id.clone().unwrap())
            .collect();
        assert_eq!(ids, ["B", "C"]);
    })
    .await;
}

#[tokio::test]
async fn rows_of_another_source_are_refused() {
    each_backend(|store| async move {
        let e = entry(2, "P1", "2025-03-14 20:30");
        let err = store
            .replace_programme("digues", "agenda_ics", &[e])
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::SourceMismatch { .. }), "{err}");
    })
    .await;
}

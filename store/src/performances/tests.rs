use crate::test_support::{at, each_backend};
use releve_domain::testing;

#[tokio::test]
async fn late_performance_on_the_last_day_of_the_month_round_trips() {
    each_backend(|store| async move {
        // 31 January 2025 23:30 in Paris (UTC+1) is 22:30 UTC: still January for the venue.
        let mut january = testing::performance("P1", "Fin de mois", "2025-01-31 23:30");
        january.capacity = Some(420);
        january.cancelled = true;
        // 31 August 2025 23:30 in Paris (UTC+2) is 21:30 UTC.
        let august = testing::performance("P2", "Fin d'été", "2025-08-31 23:30");
        assert_eq!(january.starts_at.to_rfc3339(), "2025-01-31T22:30:00+00:00");
        assert_eq!(august.starts_at.to_rfc3339(), "2025-08-31T21:30:00+00:00");
        store
            .upsert_performances("digues", &[august.clone(), january.clone()])
            .await
            .unwrap();

        let jan = store
            .performances_between("digues", at("2025-01-01 00:00"), at("2025-02-01 00:00"))
            .await
            .unwrap();
        assert_eq!(jan, vec![january.clone()]);
        let feb = store
            .performances_between("digues", at("2025-02-01 00:00"), at("2025-03-01 00:00"))
            .await
            .unwrap();
        assert!(feb.is_empty());
        let aug = store
            .performances_between("digues", at("2025-08-01 00:00"), at("2025-09-01 00:00"))
            .await
            .unwrap();
        assert_eq!(aug, vec![august]);
    })
    .await;
}

#[tokio::test]
async fn range_is_from_inclusive_to_exclusive_and_sorted() {
    each_backend(|store| async move {
        let at_from = testing::performance("B", "Pile au début", "2025-03-01 00:00");
        let mut same_time_other_source =
            testing::performance("A", "Même heure", "2025-03-01 00:00");
        same_time_other_source.source = "billetweb".into();
        let inside = testing::performance("C", "Au milieu", "2025-03-15 20:30");
        let at_to = testing::performance("D", "Pile à la fin", "2025-04-01 00:00");
        let before = testing::performance("E", "Juste avant", "2025-02-28 23:59");
        store
            .upsert_performances(
                "digues",
                &[
                    inside.clone(),
                    at_to,
                    at_from.clone(),
                    before,
                    same_time_other_source.clone(),
                ],
            )
            .await
            .unwrap();
        let march = store
            .performances_between("digues", at("2025-03-01 00:00"), at("2025-04-01 00:00"))
            .await
            .unwrap();
        // Sorted by start, then source ("billetweb" < "tickets_csv"), then id.
        assert_eq!(march, vec![same_time_other_source, at_from, inside]);
    })
    .await;
}

#[tokio::test]
async fn a_later_import_replaces_the_performance() {
    each_backend(|store| async move {
        let mut p = testing::performance("P1", "Titre provisoire", "2025-05-10 20:00");
        store
            .upsert_performances("digues", &[p.clone()])
            .await
            .unwrap();
        p.show_title = "Titre définitif".into();
        p.cancelled = true;
        p.venue.address = None;
        // The same id twice in one call: the last one wins.
        let mut first = p.clone();
        first.show_title = "Ignoré".into();
        store
            .upsert_performances("digues", &[first, p.clone()])
            .await
            .unwrap();
        let got = store
            .performances_between("digues", at("2025-05-01 00:00"), at("2025-06-01 00:00"))
            .await
            .unwrap();
        assert_eq!(got, vec![p]);
    })
    .await;
}

use crate::test_support::{at, each_backend};
use crate::{StoreError, UpsertCounts};
use releve_domain::{testing, Money, PriceKind, Ticket, TicketStatus};

fn counts(inserted: u64, updated: u64, unchanged: u64) -> UpsertCounts {
    UpsertCounts {
        inserted,
        updated,
        unchanged,
    }
}

/// Stores performance P1 (14 March 2025) and returns the range of March.
async fn with_march_performance(
    store: &crate::Store,
) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let p = testing::performance("P1", "Le Misanthrope", "2025-03-14 20:30");
    store.upsert_performances("digues", &[p]).await.unwrap();
    (at("2025-03-01 00:00"), at("2025-04-01 00:00"))
}

#[tokio::test]
async fn same_import_twice_changes_nothing() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        let mut tickets = testing::tickets("P1", 1, 3, "18.00", "5.5", PriceKind::Full);
        tickets[0].sold_at = Some(at("2025-02-01 10:15"));
        tickets[1].price_category = Some("Plein tarif".into());
        tickets[2].price_kind = None;
        let first = store.upsert_tickets("digues", &tickets).await.unwrap();
        assert_eq!(first, counts(3, 0, 0));
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        let second = store.upsert_tickets("digues", &tickets).await.unwrap();
        assert_eq!(second, counts(0, 0, 3));
        assert_eq!(
            store.tickets_between("digues", from, to).await.unwrap(),
            stored
        );
        assert_eq!(stored, tickets);
    })
    .await;
}

#[tokio::test]
async fn a_refund_in_a_later_import_replaces_the_ticket() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        let first_import = testing::tickets("P1", 1, 2, "18.00", "5.5", PriceKind::Full);
        store.upsert_tickets("digues", &first_import).await.unwrap();

        // Next import: T1 unchanged, T2 refunded, T3 new.
        let mut second_import = testing::tickets("P1", 1, 3, "18.00", "5.5", PriceKind::Full);
        second_import[1].status = TicketStatus::Refunded;
        let done = store
            .upsert_tickets("digues", &second_import)
            .await
            .unwrap();
        assert_eq!(done, counts(1, 1, 1));

        let stored = store.tickets_between("digues", from, to).await.unwrap();
        let statuses: Vec<(&str, TicketStatus)> = stored
            .iter()
            .map(|t| (t.ticket_id.as_str(), t.status))
            .collect();
        assert_eq!(
            statuses,
            vec![
                ("T1", TicketStatus::Valid),
                ("T2", TicketStatus::Refunded),
                ("T3", TicketStatus::Valid)
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn money_round_trips_to_the_cent() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        let prices = ["18.00", "0.05", "123456.78", "0", "9.9"];
        let tickets: Vec<Ticket> = prices
            .iter()
            .enumerate()
            .map(|(i, price)| {
                let mut t = testing::tickets("P1", i, 1, price, "20", PriceKind::Other).remove(0);
                if *price == "0" {
                    t.vat_rate = releve_domain::VatRate::ZERO;
                    t.price_kind = Some(PriceKind::Free);
                }
                t
            })
            .collect();
        store.upsert_tickets("digues", &tickets).await.unwrap();
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        let cents: Vec<Option<i64>> = stored.iter().map(|t| t.price_incl_vat.to_cents()).collect();
        // T0..T4 in id order: 18.00 → 1800, 0.05 → 5, 123456.78 → 12345678, 0 → 0, 9.9 → 990.
        assert_eq!(
            cents,
            vec![Some(1800), Some(5), Some(12_345_678), Some(0), Some(990)]
        );
        let shown: Vec<String> = stored
            .iter()
            .map(|t| t.price_incl_vat.to_string())
            .collect();
        assert_eq!(shown, ["18.00", "0.05", "123456.78", "0.00", "9.90"]);
        assert_eq!(stored[3].vat_rate.to_string(), "0");
        assert_eq!(stored[0].vat_rate.to_string(), "20");
        assert_eq!(stored, tickets);
    })
    .await;
}

#[tokio::test]
async fn a_price_with_more_than_two_decimals_is_refused_and_nothing_written() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        let mut tickets = testing::tickets("P1", 1, 2, "18.00", "5.5", PriceKind::Full);
        tickets[1].price_incl_vat = Money::new(rust_decimal::Decimal::new(12345, 3)); // 12.345
        let err = store.upsert_tickets("digues", &tickets).await.unwrap_err();
        match &err {
            StoreError::PriceNotInCents {
                ticket_id, price, ..
            } => {
                assert_eq!(ticket_id, "T2");
                assert_eq!(price, "12.345");
            }
            other => panic!("unexpected error: {other}"),
        }
        assert!(err.to_string().contains("tickets_csv:T2"), "{err}");
        assert!(store
            .tickets_between("digues", from, to)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn large_imports_are_batched() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        // 1 234 tickets: 13 statements on SQLite (100 rows each), 3 on PostgreSQL (500 rows each).
        let mut tickets = testing::tickets("P1", 0, 1234, "12.50", "5.5", PriceKind::Reduced);
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(1234, 0, 0)
        );
        // Refund 7 tickets spread over the batches (ids 0, 200, …, 1200); add the same id twice.
        for i in (0..1234).step_by(200) {
            tickets[i].status = TicketStatus::Refunded;
        }
        let mut duplicate = tickets[5].clone();
        duplicate.price_incl_vat = Money::from_cents(999);
        tickets.push(duplicate);
        // 7 refunds + T5 repriced (last occurrence wins) = 8 updated; 1234 − 8 = 1226 unchanged.
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(0, 8, 1226)
        );
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        assert_eq!(stored.len(), 1234);
        let refunded = stored
            .iter()
            .filter(|t| t.status == TicketStatus::Refunded)
            .count();
        assert_eq!(refunded, 7);
        let t5 = stored.iter().find(|t| t.ticket_id == "T5").unwrap();
        assert_eq!(t5.price_incl_vat, Money::from_cents(999));
    })
    .await;
}

#[tokio::test]
async fn tickets_follow_the_start_of_their_performance() {
    each_backend(|store| async move {
        let march = testing::performance("P1", "Mars", "2025-03-31 23:30");
        let april = testing::performance("P2", "Avril", "2025-04-01 00:00");
        store
            .upsert_performances("digues", &[march, april])
            .await
            .unwrap();
        let mut tickets = testing::tickets("P1", 1, 2, "10", "5.5", PriceKind::Full);
        tickets.extend(testing::tickets("P2", 3, 1, "10", "5.5", PriceKind::Full));
        // A ticket of another source with the same performance id is another performance.
        let mut foreign = testing::tickets("P1", 9, 1, "10", "5.5", PriceKind::Full).remove(0);
        foreign.source = "billetweb".into();
        tickets.push(foreign);
        store.upsert_tickets("digues", &tickets).await.unwrap();

        let ids =
            |list: Vec<Ticket>| -> Vec<String> { list.into_iter().map(|t| t.ticket_id).collect() };
        let in_march = store
            .tickets_between("digues", at("2025-03-01 00:00"), at("2025-04-01 00:00"))
            .await
            .unwrap();
        assert_eq!(ids(in_march), ["T1", "T2"]);
        let in_april = store
            .tickets_between("digues", at("2025-04-01 00:00"), at("2025-05-01 00:00"))
            .await
            .unwrap();
        assert_eq!(ids(in_april), ["T3"]);
    })
    .await;
}

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

/// `(ticket_id, revision, content hash known)` of every stored ticket of `org`, by id.
async fn revisions(store: &crate::Store, org: &str) -> Vec<(String, i64, bool)> {
    use sqlx::Row;
    let rows = sqlx::query("SELECT ticket_id, revision, content_hash FROM tickets WHERE org = $1")
        .bind(org)
        .fetch_all(&store.pool)
        .await
        .unwrap();
    let mut list: Vec<(String, i64, bool)> = rows
        .iter()
        .map(|r| {
            (
                r.get::<String, _>("ticket_id"),
                r.get::<i64, _>("revision"),
                r.get::<Option<String>, _>("content_hash").is_some(),
            )
        })
        .collect();
    list.sort();
    list
}

async fn audit_rows(store: &crate::Store) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
        .fetch_one(&store.pool)
        .await
        .unwrap()
        .get("n")
}

/// 12 000 tickets of three performances, every optional column used, a few odd characters.
fn big_batch() -> Vec<Ticket> {
    let mut tickets = Vec::new();
    for (p, price, kind) in [
        ("P1", "18.00", PriceKind::Full),
        ("P2", "12.50", PriceKind::Reduced),
        ("P3", "0", PriceKind::Free),
    ] {
        let rate = if price == "0" { "0" } else { "5.5" };
        let first = tickets.len();
        for mut t in testing::tickets(p, first, 4_000, price, rate, kind) {
            t.sold_at = Some(at("2025-02-01 10:15"));
            t.price_category = Some("Tarif \"réduit\"\tgroupe\\n°1".into());
            tickets.push(t);
        }
    }
    tickets
}

async fn with_three_performances(store: &crate::Store) {
    let performances: Vec<_> = ["P1", "P2", "P3"]
        .iter()
        .map(|p| testing::performance(p, "Le Misanthrope", "2025-03-14 20:30"))
        .collect();
    store
        .upsert_performances("digues", &performances)
        .await
        .unwrap();
}

#[tokio::test]
async fn re_importing_a_big_identical_batch_writes_and_records_nothing() {
    each_backend(|store| async move {
        with_three_performances(&store).await;
        let tickets = big_batch();
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(12_000, 0, 0)
        );
        let (from, to) = (at("2025-03-01 00:00"), at("2025-04-01 00:00"));
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        let before = revisions(&store, "digues").await;
        let audit = audit_rows(&store).await;
        assert!(before
            .iter()
            .all(|(_, revision, hashed)| *revision == 1 && *hashed));

        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(0, 0, 12_000)
        );
        // Not one row rewritten (revisions unchanged), nothing in the audit log, same tickets.
        assert_eq!(revisions(&store, "digues").await, before);
        assert_eq!(audit_rows(&store).await, audit);
        assert_eq!(
            store.tickets_between("digues", from, to).await.unwrap(),
            stored
        );
        // Tabs, quotes, backslashes and accents survive the bulk path.
        assert_eq!(stored, {
            let mut sorted = tickets.clone();
            sorted.sort_by(|a, b| a.ticket_id.cmp(&b.ticket_id));
            sorted
        });
    })
    .await;
}

#[tokio::test]
async fn one_changed_ticket_in_a_big_batch_is_the_only_one_rewritten() {
    each_backend(|store| async move {
        with_three_performances(&store).await;
        let mut tickets = big_batch();
        store.upsert_tickets("digues", &tickets).await.unwrap();
        // T7777 (P2) refunded in the next export; everything else identical.
        let changed = tickets.iter_mut().find(|t| t.ticket_id == "T7777").unwrap();
        changed.status = TicketStatus::Refunded;
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(0, 1, 11_999)
        );
        let after = revisions(&store, "digues").await;
        let rewritten: Vec<&(String, i64, bool)> = after
            .iter()
            .filter(|(_, revision, _)| *revision != 1)
            .collect();
        assert_eq!(rewritten, [&("T7777".to_string(), 2, true)]);
        let (from, to) = (at("2025-03-01 00:00"), at("2025-04-01 00:00"));
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        let t = stored.iter().find(|t| t.ticket_id == "T7777").unwrap();
        assert_eq!(t.status, TicketStatus::Refunded);
        // Back to valid in a third export: a second replacement, revision 3.
        let t7777 = tickets.iter_mut().find(|t| t.ticket_id == "T7777").unwrap();
        t7777.status = TicketStatus::Valid;
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(0, 1, 11_999)
        );
        let after = revisions(&store, "digues").await;
        assert!(after.contains(&("T7777".to_string(), 3, true)));
    })
    .await;
}

#[tokio::test]
async fn rows_without_a_known_hash_are_compared_column_by_column() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        let mut tickets = testing::tickets("P1", 1, 3, "18.00", "5.5", PriceKind::Full);
        tickets[0].price_category = None;
        store.upsert_tickets("digues", &tickets).await.unwrap();
        // As rows stored before migration 0012, or cancelled by a push: no hash.
        sqlx::query("UPDATE tickets SET content_hash = NULL")
            .execute(&store.pool)
            .await
            .unwrap();
        // T1 unchanged (a NULL value on both sides is the same value), T2 refunded.
        tickets[1].status = TicketStatus::Refunded;
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(0, 1, 2)
        );
        assert_eq!(
            revisions(&store, "digues").await,
            [
                ("T1".to_string(), 1, false),
                ("T2".to_string(), 2, true),
                ("T3".to_string(), 1, false),
            ]
        );
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        assert_eq!(stored, tickets);
    })
    .await;
}

#[tokio::test]
async fn a_ticket_cancelled_by_a_push_and_sent_again_valid_is_restored() {
    each_backend(|store| async move {
        let (from, to) = with_march_performance(&store).await;
        let tickets = testing::tickets("P1", 1, 2, "18.00", "5.5", PriceKind::Full);
        store.upsert_tickets("digues", &tickets).await.unwrap();
        // The vendor replaces P1's tickets by T1 alone: T2 cancelled without a new hash…
        let keep = std::collections::HashSet::from(["T1".to_string()]);
        let cancelled = store
            .cancel_tickets_not_in("digues", "tickets_csv", "P1", &keep)
            .await
            .unwrap();
        assert_eq!(cancelled, 1);
        // …then sends T2 again, valid, exactly as first stored: it must not pass for unchanged.
        assert_eq!(
            store.upsert_tickets("digues", &tickets).await.unwrap(),
            counts(0, 1, 1)
        );
        let stored = store.tickets_between("digues", from, to).await.unwrap();
        assert_eq!(stored, tickets);
        assert!(revisions(&store, "digues")
            .await
            .contains(&("T2".to_string(), 3, true)));
    })
    .await;
}

#[tokio::test]
async fn both_write_paths_store_and_count_the_same() {
    each_backend(|store| async move {
        with_three_performances(&store).await;
        let mut tickets = big_batch();
        tickets.truncate(1_500);
        let rows = super::prepare(&tickets).unwrap();
        // The multi-row statements through `Any` (SQLite's path; PostgreSQL's fallback)…
        let first = super::statements::upsert(&store, "a", &rows).await.unwrap();
        // …and the path `upsert_tickets` takes on this backend (COPY on PostgreSQL).
        let second = store.upsert_tickets("b", &tickets).await.unwrap();
        assert_eq!((first, second), (counts(1_500, 0, 0), counts(1_500, 0, 0)));
        tickets[3].price_incl_vat = Money::from_cents(1);
        let rows = super::prepare(&tickets).unwrap();
        let first = super::statements::upsert(&store, "a", &rows).await.unwrap();
        let second = store.upsert_tickets("b", &tickets).await.unwrap();
        assert_eq!((first, second), (counts(0, 1, 1_499), counts(0, 1, 1_499)));
        assert_eq!(revisions(&store, "a").await, revisions(&store, "b").await);
        // The same hashes too: either path's rows are recognised by the other.
        let hashes = |org: &'static str| {
            let store = store.clone();
            async move {
                let mut list: Vec<(String, String)> =
                    sqlx::query_as("SELECT ticket_id, content_hash FROM tickets WHERE org = $1")
                        .bind(org)
                        .fetch_all(&store.pool)
                        .await
                        .unwrap();
                list.sort();
                list
            }
        };
        assert_eq!(hashes("a").await, hashes("b").await);
    })
    .await;
}

//! The outbox on both backends: one row per key, claims that only one holder wins, backoff,
//! takeover after a crash, the receipt of a deposit package, exchanges with their hashes.

use super::*;
use crate::test_support::{at, each_backend};

fn new<'a>(payload: &'a serde_json::Value) -> NewSubmission<'a> {
    NewSubmission {
        org: "venue",
        body: "sacd",
        period: "2025-11",
        version: 1,
        channel: "sacd_ws",
        queued_by: "Claire Martin, administratrice",
        payload,
    }
}

#[test]
fn backoff_doubles_from_five_minutes_and_stops() {
    assert_eq!(backoff(1), Some(Duration::minutes(5)));
    assert_eq!(backoff(2), Some(Duration::minutes(10)));
    assert_eq!(backoff(3), Some(Duration::minutes(20)));
    // 5 × 2^6 = 320 minutes, under the 24-hour cap.
    assert_eq!(backoff(7), Some(Duration::minutes(320)));
    assert_eq!(backoff(MAX_ATTEMPTS), None);
}

#[test]
fn the_key_names_the_whole_submission() {
    assert_eq!(
        idempotency_key("venue", "sacd", "2025-11", 2, "sacd_ws"),
        "venue:sacd:2025-11:v2:sacd_ws"
    );
    // SHA-256 of "abc" (FIPS 180-2 example).
    assert_eq!(
        sha256_hex("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[tokio::test]
async fn queuing_twice_gives_the_same_row_and_one_holder_wins() {
    each_backend(|store| async move {
        let now = at("2025-12-05 09:00");
        let payload = serde_json::json!({"xml": "<Declaration/>"});
        let (first, created) = store.enqueue_submission(&new(&payload), now).await.unwrap();
        assert!(created);
        assert_eq!(first.state, OutboxState::Queued);
        assert_eq!(first.idempotency_key, "venue:sacd:2025-11:v1:sacd_ws");
        assert_eq!(first.payload_sha256, sha256_hex(&payload.to_string()));
        let (again, created) = store.enqueue_submission(&new(&payload), now).await.unwrap();
        assert!(!created);
        assert_eq!(again.id, first.id);
        assert_eq!(store.submissions(Some("venue")).await.unwrap().len(), 1);

        let lease = Duration::minutes(10);
        let claimed = store
            .claim_submission(first.id, "a:1", lease, now, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claimed.state, OutboxState::Sending);
        assert_eq!(claimed.attempts, 1);
        assert!(store
            .claim_submission(first.id, "b:2", lease, now, false)
            .await
            .unwrap()
            .is_none());
        // Not due while its lease runs.
        assert!(store.due_submissions(now).await.unwrap().is_empty());
        // Someone else cannot finish it.
        let accepted = Outcome::Accepted {
            receipt: "OK".into(),
        };
        assert!(store
            .finish_submission(first.id, "b:2", &accepted, &[], now)
            .await
            .is_err());
        let done = store
            .finish_submission(first.id, "a:1", &accepted, &["attention".into()], now)
            .await
            .unwrap();
        assert_eq!(done.state, OutboxState::Accepted);
        assert_eq!(done.receipt.as_deref(), Some("OK"));
        assert_eq!(done.warnings, vec!["attention".to_string()]);
        assert!(!done.is_pending());
        // Accepted: never claimed again, even by a new queuing.
        let (same, _) = store.enqueue_submission(&new(&payload), now).await.unwrap();
        assert_eq!(same.state, OutboxState::Accepted);
        assert!(store
            .claim_submission(first.id, "c:3", lease, now, true)
            .await
            .unwrap()
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn failures_wait_their_backoff_and_crashed_sends_are_taken_again() {
    each_backend(|store| async move {
        let now = at("2025-12-05 09:00");
        let payload = serde_json::json!({});
        let (row, _) = store.enqueue_submission(&new(&payload), now).await.unwrap();
        let lease = Duration::minutes(10);
        store
            .claim_submission(row.id, "a:1", lease, now, false)
            .await
            .unwrap()
            .unwrap();
        let failed = store
            .finish_submission(
                row.id,
                "a:1",
                &Outcome::Failed {
                    reason: "serveur injoignable".into(),
                },
                &[],
                now,
            )
            .await
            .unwrap();
        assert_eq!(failed.state, OutboxState::Failed);
        // First failure: 5 minutes.
        assert_eq!(failed.next_attempt_at, Some(at("2025-12-05 09:05")));
        assert!(failed.is_pending());
        assert!(store
            .due_submissions(at("2025-12-05 09:04"))
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .claim_submission(row.id, "a:1", lease, at("2025-12-05 09:04"), false)
            .await
            .unwrap()
            .is_none());
        let later = at("2025-12-05 09:05");
        assert_eq!(store.due_submissions(later).await.unwrap().len(), 1);
        let second = store
            .claim_submission(row.id, "a:2", lease, later, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(second.attempts, 2);
        // a:2 is killed: its lease holds the row for 10 minutes, unless the caller knows a:2
        // is dead.
        assert!(store
            .claim_submission(row.id, "a:3", lease, later, false)
            .await
            .unwrap()
            .is_none());
        let third = store
            .claim_submission(row.id, "a:3", lease, later, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(third.claimed_by.as_deref(), Some("a:3"));
        assert_eq!(third.attempts, 3);
        // Expired lease: due again.
        assert_eq!(
            store
                .due_submissions(at("2025-12-05 09:15"))
                .await
                .unwrap()
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_deposit_package_waits_for_its_receipt_and_exchanges_keep_their_hash() {
    each_backend(|store| async move {
        let now = at("2025-12-05 09:00");
        let payload = serde_json::json!({"files": []});
        let mut cnm = new(&payload);
        cnm.body = "cnm";
        cnm.channel = "depot";
        let (row, _) = store.enqueue_submission(&cnm, now).await.unwrap();
        store
            .claim_submission(row.id, "a:1", Duration::minutes(10), now, false)
            .await
            .unwrap()
            .unwrap();
        store
            .record_exchange(row.id, "venue", "package", "cnm.csv cnm.pdf", None, now)
            .await
            .unwrap();
        store
            .record_exchange(row.id, "venue", "answer", "GET", Some("abc"), now)
            .await
            .unwrap();
        let sent = store
            .finish_submission(
                row.id,
                "a:1",
                &Outcome::Sent {
                    receipt: "dossier prêt".into(),
                },
                &[],
                now,
            )
            .await
            .unwrap();
        assert_eq!(sent.state, OutboxState::Sent);
        assert!(!store
            .record_submission_receipt("venue:sacd:2025-11:v1:sacd_ws", "x", now)
            .await
            .unwrap());
        assert!(store
            .record_submission_receipt(&row.idempotency_key, "CNM-2025-000123", now)
            .await
            .unwrap());
        let done = store.submission(row.id).await.unwrap().unwrap();
        assert_eq!(done.state, OutboxState::Accepted);
        assert_eq!(done.receipt.as_deref(), Some("CNM-2025-000123"));
        let exchanges = store.exchanges(row.id).await.unwrap();
        assert_eq!(exchanges.len(), 2);
        assert_eq!(exchanges[0].step, "package");
        assert_eq!(exchanges[0].answer, None);
        assert_eq!(
            exchanges[1].answer_sha256.as_deref(),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    })
    .await;
}

//! The vendor push (formats.md §6): same validation, ledger and quarantine as `tickets_csv`,
//! idempotency keys (same key same body: same answer, nothing applied; other body: 409; no key:
//! 422), size limits (413), full replacement of a performance's tickets.

use super::api_corrections::{run_and_read, write_sources, PROGRAMME_SOURCE};
use super::harness::{TestServer, OTHER, VENUE};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn push_config() -> String {
    format!(
        "{PROGRAMME_SOURCE}\n  [[organisation.source]]\n  kind = \"push\"\n  name = \"guichet\"\n"
    )
}

fn ticket(id: &str, price: &str, status: &str) -> Value {
    json!({"ticket_id": id, "performance_id": "S-1", "show_id": "VAGUES", "show_title": "Les Vagues",
           "starts_at": "2025-11-20T20:30:00+01:00", "venue_name": "Grande salle",
           "price_incl_vat": price, "vat_rate": "5.5", "status": status, "price_kind": "full"})
}

async fn push(
    server: &TestServer,
    token: &str,
    org: &str,
    key: Option<&str>,
    body: &Value,
) -> (StatusCode, Option<String>, Value) {
    let mut request = reqwest::Client::new()
        .post(server.api(&format!("/organisations/{org}/tickets")))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .map(|v| v.to_str().unwrap().to_string());
    (status, replayed, response.json().await.unwrap())
}

async fn statuses(server: &TestServer) -> Vec<(String, String)> {
    let from = chrono::DateTime::parse_from_rfc3339("2025-11-01T00:00:00+01:00").unwrap();
    let to = chrono::DateTime::parse_from_rfc3339("2025-12-01T00:00:00+01:00").unwrap();
    let mut got: Vec<(String, String)> = server
        .state
        .store()
        .tickets_between(VENUE, from.into(), to.into())
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.source == "guichet")
        .map(|t| (t.ticket_id, t.status.code().to_string()))
        .collect();
    got.sort();
    got
}

#[tokio::test]
async fn pushed_tickets_go_to_the_ledger_once_per_idempotency_key() {
    let server = TestServer::start_with("", &push_config()).await;
    write_sources(&server);
    let token = server.token("billetterie", "push", Some(VENUE), None).await;

    let mut bad = ticket("A4", "12.00", "valid");
    bad["vat_rate"] = json!("55");
    let first = json!({"source": "guichet", "tickets": [
        ticket("A1", "20.00", "valid"), ticket("A2", "20.00", "valid"), ticket("A3", "15.00", "valid"), bad
    ]});
    let (status, replayed, answer) = push(&server, &token, VENUE, Some("envoi-1"), &first).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(replayed, None);
    assert_eq!(answer["accepted"], 3);
    let rejected = answer["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["index"], 3);
    assert_eq!(rejected[0]["field"], "vat_rate");
    assert!(
        rejected[0]["message"].as_str().unwrap().contains("55"),
        "{answer}"
    );

    // The rejected ticket is kept in quarantine with its JSON and the French reason.
    let quarantine = server.state.store().quarantine(VENUE).await.unwrap();
    let q: Vec<_> = quarantine
        .iter()
        .filter(|q| q.source == "guichet")
        .collect();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].column.as_deref(), Some("vat_rate"));
    assert!(q[0].raw.contains("\"ticket_id\":\"A4\""), "{}", q[0].raw);
    assert!(
        q[0].reason.starts_with("billet d'index 3"),
        "{}",
        q[0].reason
    );

    // A refund of A1 arrives under another key.
    let refund = json!({"source": "guichet", "tickets": [ticket("A1", "20.00", "refunded")]});
    let (status, _, answer) = push(&server, &token, VENUE, Some("envoi-2"), &refund).await;
    assert_eq!(
        (status, answer["accepted"].clone()),
        (StatusCode::OK, json!(1))
    );

    // The first request replayed: the same answer, and A1 is not made valid again.
    let (status, replayed, again) = push(&server, &token, VENUE, Some("envoi-1"), &first).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replayed.as_deref(), Some("true"));
    assert_eq!(again["accepted"], 3);
    assert_eq!(again["rejected"][0]["index"], 3);
    assert_eq!(
        statuses(&server).await,
        [
            ("A1".to_string(), "refunded".to_string()),
            ("A2".into(), "valid".into()),
            ("A3".into(), "valid".into())
        ]
    );

    // The same key with another body.
    let (status, _, body) = push(&server, &token, VENUE, Some("envoi-1"), &refund).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "conflict");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("envoi-1"));
    // No key.
    let (status, _, body) = push(&server, &token, VENUE, None, &refund).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Idempotency-Key"));
    // Unknown source.
    let other_source = json!({"source": "tickets_csv", "tickets": []});
    let (status, _, body) = push(&server, &token, VENUE, Some("envoi-3"), &other_source).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("guichet"),
        "{body}"
    );

    // Full replacement of S-1: only A2 is carried, so A3 becomes cancelled (A1 stays refunded:
    // it already does not count).
    let replace = json!({"source": "guichet", "tickets": [ticket("A2", "20.00", "valid")],
                         "replace_performances": ["S-1"]});
    let (status, _, answer) = push(&server, &token, VENUE, Some("envoi-4"), &replace).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["cancelled"], 1);
    assert_eq!(
        statuses(&server).await,
        [
            ("A1".to_string(), "refunded".to_string()),
            ("A2".into(), "valid".into()),
            ("A3".into(), "cancelled".into())
        ]
    );

    // The run counts the pushed tickets like imported ones: A2 only, 20.00 incl. VAT,
    // excl. round(20 / 1.055) = 18.96.
    let files = run_and_read(&server, &["aggregates.json"]).await;
    let pushed = files[0]["performances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["performance_id"] == "guichet:S-1")
        .unwrap()
        .clone();
    assert_eq!(pushed["paid_tickets"], 1);
    assert_eq!(pushed["receipts_incl_vat"], "20.00");
    assert_eq!(pushed["receipts_excl_vat"], "18.96");
    server.stop().await;
}

#[tokio::test]
async fn pushes_are_limited_in_size_and_scope() {
    let server = TestServer::start_with("", &push_config()).await;
    let token = server.token("billetterie", "push", Some(VENUE), None).await;
    let read = server.token("lecture", "read", Some(VENUE), None).await;
    let elsewhere = server.token("ailleurs", "push", Some(OTHER), None).await;
    let small = json!({"source": "guichet", "tickets": [ticket("A1", "20.00", "valid")]});

    let (status, _, _) = push(&server, &read, VENUE, Some("k"), &small).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = push(&server, &elsewhere, VENUE, Some("k"), &small).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A push token reads nothing.
    let response = reqwest::Client::new()
        .get(server.api(&format!("/organisations/{VENUE}/months/2025-11")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let many = json!({"source": "guichet", "tickets": vec![json!({}); 10_001]});
    let (status, _, body) = push(&server, &token, VENUE, Some("gros"), &many).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("10000"),
        "{body}"
    );

    // Over 8 MB: refused before being read in full.
    let padding = "x".repeat(8 * 1024 * 1024);
    let huge = json!({"source": "guichet", "tickets": [], "padding": padding});
    let (status, _, body) = push(&server, &token, VENUE, Some("enorme"), &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "too_large");
    server.stop().await;
}

//! Protection of the API: per-token rate limit (429 with Retry-After), request size limit,
//! request ids sent back.

use super::harness::{TestServer, VENUE};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn a_token_over_its_quota_gets_429_with_retry_after() {
    // 3 a minute: one more every 20 s.
    let server = TestServer::start_with("[server]\napi_requests_per_minute = 3\n", "").await;
    let token = server.token("outil", "read", Some(VENUE), None).await;
    let other = server.token("autre-outil", "read", Some(VENUE), None).await;
    let client = reqwest::Client::new();
    let get = |token: String| {
        client
            .get(server.api("/organisations"))
            .bearer_auth(token)
            .send()
    };
    for _ in 0..3 {
        assert_eq!(get(token.clone()).await.unwrap().status(), StatusCode::OK);
    }
    let refused = get(token.clone()).await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait), "Retry-After {wait}");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("3 par minute"),
        "{body}"
    );
    // Another token has its own quota.
    assert_eq!(get(other).await.unwrap().status(), StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn large_bodies_are_refused_and_request_ids_come_back() {
    let server = TestServer::start().await;
    let token = server.token("outil", "write", Some(VENUE), None).await;
    let client = reqwest::Client::new();
    let big = format!("{{\"reason\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let response = client
        .post(server.api(&format!("/organisations/{VENUE}/corrections")))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large");

    let response = client
        .get(server.api("/organisations"))
        .bearer_auth(&token)
        .header("x-request-id", "outil-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "outil-42");
    // A strange id is replaced by one of releve's own (16 hex digits).
    let response = client
        .get(server.api("/organisations"))
        .bearer_auth(&token)
        .header("x-request-id", "pas un id; DROP")
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(id.len(), 16, "{id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    server.stop().await;
}

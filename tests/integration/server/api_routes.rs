//! The route table of the API: every route refuses a missing token with 401 and another
//! organisation's resources with 404 (never 403: their existence does not leak), and the
//! OpenAPI document lists exactly these routes.

use super::harness::{TestServer, OTHER, VENUE};
use releve_store::{JobRequest, RUN_JOB};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Every route of formats.md §6 built by this server, as
/// (method, OpenAPI path).
pub const ROUTES: [(&str, &str); 16] = [
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/organisations"),
    ("POST", "/api/v1/organisations/{org}/runs"),
    ("GET", "/api/v1/runs/{run_id}"),
    ("GET", "/api/v1/organisations/{org}/months/{month}"),
    (
        "GET",
        "/api/v1/organisations/{org}/months/{month}/aggregates",
    ),
    ("GET", "/api/v1/organisations/{org}/months/{month}/issues"),
    (
        "GET",
        "/api/v1/organisations/{org}/months/{month}/indicators",
    ),
    (
        "GET",
        "/api/v1/organisations/{org}/months/{month}/declarations/{body}",
    ),
    ("POST", "/api/v1/organisations/{org}/corrections"),
    ("GET", "/api/v1/organisations/{org}/corrections"),
    ("POST", "/api/v1/organisations/{org}/tickets"),
    ("GET", "/api/v1/ministry/sibil"),
    ("GET", "/api/v1/funders/{funder}/organisations"),
    ("GET", "/api/v1/funders/{funder}/indicators"),
    ("GET", "/api/v1/organisations/{org}/deadlines.ics"),
];

fn concrete(path: &str, run_id: i64) -> String {
    path.replace("{org}", VENUE)
        .replace("{month}", "2025-11")
        .replace("{body}", "cnm")
        .replace("{funder}", "drac-pdl")
        .replace("{run_id}", &run_id.to_string())
}

fn body_for(path: &str) -> Value {
    if path.ends_with("/runs") {
        json!({"month": "2025-11"})
    } else if path.ends_with("/corrections") {
        json!({"performance_id": "tickets_csv:P1", "field": "capacity", "value": "300", "reason": "x", "by": "y"})
    } else {
        json!({"source": "guichet", "tickets": []})
    }
}

async fn call(
    server: &TestServer,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, String) {
    let method: Method = method.parse().unwrap();
    let mut request = reqwest::Client::new()
        .request(method.clone(), format!("{}{path}", server.url))
        .header("Idempotency-Key", "route-table");
    if method == Method::POST {
        request = request.json(&body_for(path));
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn every_route_refuses_a_missing_token_and_hides_other_organisations() {
    let server = TestServer::start().await;
    // A run of the venue, so that /runs/{id} names a real resource of it.
    let job = server
        .state
        .store()
        .enqueue_job(
            &JobRequest {
                org: VENUE.into(),
                month: "2025-11".parse().unwrap(),
                kind: RUN_JOB.into(),
                requested_by: "test".into(),
                params: json!({}),
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap()
        .job;
    let other_write = server
        .token("autre-ecriture", "write", Some(OTHER), None)
        .await;
    let other_push = server.token("autre-push", "push", Some(OTHER), None).await;
    let ministry = server.token("ministere", "ministry", None, None).await;
    let other_funder = server
        .token("autre-financeur", "funder", None, Some("region-bretagne"))
        .await;

    for (method, path) in ROUTES {
        let url = concrete(path, job.id);
        let (status, body) = call(&server, method, &url, None).await;
        if path == "/api/v1/openapi.json" {
            assert_eq!(status, StatusCode::OK, "{method} {url} is public");
            continue;
        }
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{method} {url} without token: {body}"
        );
        let error: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["error"]["code"], "unauthorized", "{method} {url}");

        match path {
            // Lists: the venue is simply not in them.
            "/api/v1/organisations" | "/api/v1/ministry/sibil" => {
                let token = if path.contains("ministry") {
                    &ministry
                } else {
                    &other_write
                };
                let url = if path.contains("ministry") {
                    format!("{url}?quarter=2025-Q4")
                } else {
                    url
                };
                let (status, body) = call(&server, method, &url, Some(token)).await;
                assert_eq!(status, StatusCode::OK, "{method} {url}: {body}");
                assert!(
                    !body.contains(VENUE) && !body.contains("Théâtre des Digues"),
                    "{method} {url}: {body}"
                );
            }
            // Another funder's view does not exist for a funder token.
            p if p.starts_with("/api/v1/funders/") => {
                let url = format!("{url}?season=2025-2026");
                let (status, body) = call(&server, method, &url, Some(&other_funder)).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{method} {url}: {body}");
                let error: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(error["error"]["code"], "not_found", "{method} {url}");
            }
            _ => {
                let token = if path.ends_with("/tickets") {
                    &other_push
                } else {
                    &other_write
                };
                let (status, body) = call(&server, method, &url, Some(token)).await;
                assert_eq!(
                    status,
                    StatusCode::NOT_FOUND,
                    "{method} {url} with another organisation's token: {body}"
                );
                let error: Value = serde_json::from_str(&body).unwrap();
                assert_eq!(error["error"]["code"], "not_found", "{method} {url}");
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let server = TestServer::start().await;
    let document: Value = reqwest::get(server.api("/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        document["openapi"].as_str().unwrap().starts_with("3."),
        "{document}"
    );
    let paths = document["paths"].as_object().unwrap();
    let mut listed: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "delete", "patch"].contains(&k.as_str()))
                .map(|m| (m.to_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    listed.sort();
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    server.stop().await;
}

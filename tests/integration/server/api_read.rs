//! The read endpoints of formats.md §6 answer the same bytes as the run's files: month summary,
//! aggregates, issues, indicators, declarations (latest draft, `?version=N`, `?format=`),
//! ETags.

use super::api_corrections::{run_and_read, write_sources, PROGRAMME_SOURCE};
use super::harness::{TestServer, VENUE};
use reqwest::StatusCode;
use serde_json::Value;

async fn get(server: &TestServer, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.api(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn file(server: &TestServer, name: &str) -> Vec<u8> {
    std::fs::read(
        server
            .dir
            .path()
            .join("out")
            .join(VENUE)
            .join("2025-11")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn read_endpoints_answer_the_files_of_the_latest_run() {
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_sources(&server);
    run_and_read(&server, &["cnm.json"]).await;
    let read = server.token("lecture", "read", Some(VENUE), None).await;
    let base = format!("/organisations/{VENUE}/months/2025-11");

    // The month: one draft per body, version 1, with its deadline (CNM for November 2025:
    // last day of February 2026).
    let month: Value = get(&server, &read, &base).await.json().await.unwrap();
    assert_eq!(month["organisation"], VENUE);
    assert_eq!(month["month"], "2025-11");
    let cnm = month["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["body"] == "cnm")
        .unwrap();
    assert_eq!(cnm["version"], 1);
    assert_eq!(cnm["status"], "draft");
    assert_eq!(cnm["amends"], Value::Null);
    assert_eq!(cnm["deadline"], "2026-02-28");
    assert_eq!(month["declarations"].as_array().unwrap().len(), 5);
    assert!(month["issues"].is_array());

    for (path, name) in [
        ("/aggregates", "aggregates.json"),
        ("/issues", "issues.json"),
        ("/indicators", "indicators.json"),
    ] {
        let response = get(&server, &read, &format!("{base}{path}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{path}"
        );
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.as_ref(), file(&server, name).as_slice(), "{path}");
    }
    let aggregates: Value = serde_json::from_slice(&file(&server, "aggregates.json")).unwrap();
    assert_eq!(aggregates["totals"]["receipts_incl_vat"], "200.00");

    // A declaration: the content of cnm.json with version, status and amends.
    let response = get(&server, &read, &format!("{base}/declarations/cnm")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let etag = response.headers()["etag"].to_str().unwrap().to_string();
    let cnm: Value = response.json().await.unwrap();
    let mut expected: Value = serde_json::from_slice(&file(&server, "cnm.json")).unwrap();
    expected["version"] = 1.into();
    expected["status"] = "draft".into();
    expected["amends"] = Value::Null;
    assert_eq!(cnm, expected);
    assert_eq!(cnm["lines"][0]["tax_due"], "6.63");

    // Unchanged: 304 without a body.
    let response = reqwest::Client::new()
        .get(server.api(&format!("{base}/declarations/cnm")))
        .bearer_auth(&read)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);

    // The files themselves, byte for byte.
    for (query, name, kind) in [
        ("?format=csv", "cnm.csv", "text/csv; charset=utf-8"),
        ("?format=pdf", "cnm.pdf", "application/pdf"),
        (
            "?version=1&format=csv",
            "cnm.csv",
            "text/csv; charset=utf-8",
        ),
    ] {
        let response = get(&server, &read, &format!("{base}/declarations/cnm{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        assert_eq!(response.headers()["content-type"], kind, "{query}");
        assert!(response.headers().contains_key("etag"));
        let bytes = response.bytes().await.unwrap();
        assert_eq!(bytes.as_ref(), file(&server, name).as_slice(), "{query}");
    }
    let xml = get(
        &server,
        &read,
        &format!("{base}/declarations/sacd?format=xml"),
    )
    .await;
    assert_eq!(xml.status(), StatusCode::OK);
    assert_eq!(
        xml.bytes().await.unwrap().as_ref(),
        file(&server, "sacd.xml").as_slice()
    );

    // What does not exist, and what is malformed.
    for (path, status) in [
        (
            format!("{base}/declarations/cnm?version=9"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("{base}/declarations/sibil?format=pdf"),
            StatusCode::NOT_FOUND,
        ),
        (format!("{base}/declarations/urssaf"), StatusCode::NOT_FOUND),
        (
            format!("{base}/declarations/cnm?format=docx"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("{base}/declarations/cnm?version=deux"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/organisations/{VENUE}/months/2025-13"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            format!("/organisations/{VENUE}/months/2024-01"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/organisations/{VENUE}/months/2024-01/aggregates"),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let response = get(&server, &read, &path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"]["message"].is_string(), "{path}: {body}");
    }
    server.stop().await;
}

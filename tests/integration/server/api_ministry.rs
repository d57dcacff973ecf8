//! The Ministry pull (formats.md §6): the SIBIL declarations of sharing organisations only,
//! from approved or sent versions only, per quarter.

use super::api_corrections::{write_sources, PROGRAMME_SOURCE};
use super::harness::{TestServer, OTHER, VENUE};
use crate::support::{releve, GENERATED_AT, TICKETS_HEADER};
use reqwest::StatusCode;
use serde_json::Value;

async fn pull(server: &TestServer, token: &str, query: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(server.api(&format!("/ministry/sibil{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_ministry_sees_only_approved_sibil_figures_of_sharing_organisations() {
    let server = TestServer::start_with(
        "",
        &format!("share_with_ministry = true\n{PROGRAMME_SOURCE}"),
    )
    .await;
    write_sources(&server);
    // The other organisation (not sharing) sold two tickets at 12.00 the same month.
    let mut large = TICKETS_HEADER.to_string();
    for i in 0..2 {
        large.push_str(&format!(
            "L{i},LARGE-1,,Marées,2025-11-21 20:00,Chapiteau,29200,Brest,,full,12.00,5.5,valid,\n"
        ));
    }
    std::fs::write(server.dir.path().join("tickets-large.csv"), large).unwrap();
    let config = server.config_path.clone();
    let out = server.dir.path().join("out");
    let output = tokio::task::spawn_blocking(move || {
        releve(&[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--month",
            "2025-11",
            "--out",
            out.to_str().unwrap(),
            "--generated-at",
            GENERATED_AT,
        ])
    })
    .await
    .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let ministry = server.token("ministere", "ministry", None, None).await;

    // Drafts only: the sharing organisation is listed, with nothing yet.
    let (status, body) = pull(&server, &ministry, "?quarter=2025-Q4").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["quarter"], "2025-Q4");
    assert_eq!(body["organisations"].as_array().unwrap().len(), 1);
    assert_eq!(body["organisations"][0]["slug"], VENUE);
    assert_eq!(body["organisations"][0]["siret"], "81234567600009");
    assert_eq!(
        body["organisations"][0]["declarations"],
        serde_json::json!([])
    );
    assert_eq!(body["next_cursor"], Value::Null);

    let now = chrono::Utc::now();
    let month: releve_domain::Month = "2025-11".parse().unwrap();
    for org in [VENUE, OTHER] {
        server
            .state
            .store()
            .approve(org, "sibil", month, 1, "Claire Martin, directrice", now)
            .await
            .unwrap();
    }
    let (_, body) = pull(&server, &ministry, "?quarter=2025-Q4").await;
    let declarations = body["organisations"][0]["declarations"].as_array().unwrap();
    assert_eq!(declarations.len(), 1);
    // Ten tickets at 20.00: 200.00 incl. VAT, average 20.00.
    assert_eq!(declarations[0]["nbBilletsTotalBilletterie"], 10);
    assert_eq!(declarations[0]["recetteTotalBilletterie"], "200.00");
    assert_eq!(declarations[0]["prixMoyenTotalBilletterie"], "20.00");
    let text = body.to_string();
    assert!(
        !text.contains(OTHER) && !text.contains("Compagnie du Large") && !text.contains("Marées"),
        "{text}"
    );

    // Another quarter has nothing; the cursor past the last organisation gives an empty page.
    let (_, body) = pull(&server, &ministry, "?quarter=2026-Q1").await;
    assert_eq!(
        body["organisations"][0]["declarations"],
        serde_json::json!([])
    );
    let (_, body) = pull(
        &server,
        &ministry,
        &format!("?quarter=2025-Q4&cursor={VENUE}"),
    )
    .await;
    assert_eq!(body["organisations"], serde_json::json!([]));

    // Malformed quarter, other scopes, no token.
    let (status, _) = pull(&server, &ministry, "?quarter=2025-T4").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let read = server.token("lecture", "read", Some(VENUE), None).await;
    let (status, _) = pull(&server, &read, "?quarter=2025-Q4").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let response = reqwest::Client::new()
        .get(server.api("/ministry/sibil?quarter=2025-Q4"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // The Ministry token reads no organisation's own routes.
    let (status, _) = {
        let r = reqwest::Client::new()
            .get(server.api(&format!("/organisations/{VENUE}/months/2025-11")))
            .bearer_auth(&ministry)
            .send()
            .await
            .unwrap();
        (r.status(), ())
    };
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

use super::*;

async fn fetch(url: &str, auth: Option<&str>) -> (u16, String) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test]
async fn serves_sequences_checks_auth_and_records_requests() {
    let server = ReplayServer::start(
        Script::new()
            .route(
                Route::get("/v1/items")
                    .query("page", "2")
                    .header("authorization", "Bearer T")
                    .reply(Reply::json(
                        200,
                        "{\"next\":\"{{base_url}}/v1/items?page=3\"}",
                    )),
            )
            .route(
                Route::get("/v1/items")
                    .header("authorization", "Bearer T")
                    .reply(Reply::json(500, "oops"))
                    .reply(Reply::json(200, "first")),
            ),
    )
    .await
    .unwrap();
    let base = server.base_url().to_string();
    assert_eq!(fetch(&format!("{base}/v1/items"), None).await.0, 401);
    assert_eq!(
        fetch(&format!("{base}/v1/items"), Some("Bearer T")).await,
        (500, "oops".into())
    );
    assert_eq!(
        fetch(&format!("{base}/v1/items"), Some("Bearer T")).await,
        (200, "first".into())
    );
    // Last reply repeats.
    assert_eq!(
        fetch(&format!("{base}/v1/items"), Some("Bearer T")).await,
        (200, "first".into())
    );
    let (status, body) = fetch(&format!("{base}/v1/items?page=2"), Some("Bearer T")).await;
    assert_eq!(status, 200);
    assert_eq!(body, format!("{{\"next\":\"{base}/v1/items?page=3\"}}"));
    assert_eq!(fetch(&format!("{base}/nowhere"), None).await.0, 404);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 6);
    assert_eq!(reqs[4].query_value("page"), Some("2"));
    assert_eq!(reqs[1].header("Authorization"), Some("Bearer T"));
    assert_eq!(server.unmatched().len(), 1);
}

#[tokio::test]
async fn loads_a_fixture_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("events.json"), "[{\"id\":\"1\"}]").unwrap();
    std::fs::write(
        dir.path().join("routes.json"),
        r#"{"routes":[{"path":"/api/events","query":{"past":"1"},"replies":[{"file":"events.json"}]}]}"#,
    )
    .unwrap();
    let server = ReplayServer::from_dir(dir.path()).await.unwrap();
    let (status, body) = fetch(&format!("{}/api/events?past=1", server.base_url()), None).await;
    assert_eq!((status, body.as_str()), (200, "[{\"id\":\"1\"}]"));
    assert!(matches!(
        ReplayServer::from_dir(&dir.path().join("missing")).await,
        Err(ReplayError::Fixture { .. })
    ));
}

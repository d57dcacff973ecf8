//! The server's foundation: sign-in, sessions, CSRF, throttling, API tokens, and the rule that
//! another organisation's data does not exist for a caller (404, never 403).

use super::harness::{csrf_of, TestServer, OTHER, VENUE};
use releve::server::access::Role;
use reqwest::StatusCode;
use serde_json::Value;

async fn json(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json::<Value>().await.expect("JSON body");
    (status, body)
}

#[tokio::test]
async fn api_tokens_authenticate_and_see_only_their_organisation() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let url = server.api("/organisations");

    let (status, body) = json(client.get(&url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("jeton"),
        "{body}"
    );

    let (status, _) = json(
        client
            .get(&url)
            .bearer_auth("rlv_unknown")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let read = server.token("outil", "read", Some(VENUE), None).await;
    let (status, body) = json(client.get(&url).bearer_auth(&read).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        serde_json::json!({"organisations": [
            {"slug": VENUE, "name": "Théâtre des Digues", "siret": "81234567600009"}
        ]})
    );

    // A Ministry token reads no organisation through this list when none shares with it.
    let ministry = server.token("ministere", "ministry", None, None).await;
    let (_, body) = json(
        client
            .get(&url)
            .bearer_auth(&ministry)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(body["organisations"], serde_json::json!([]));

    // Revoked: refused at once.
    assert!(server
        .state
        .store()
        .revoke_api_token("outil", chrono::Utc::now())
        .await
        .unwrap());
    let (status, _) = json(client.get(&url).bearer_auth(&read).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Unknown API paths answer the JSON error body too.
    let (status, body) = json(client.get(server.api("/nothing")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    server.stop().await;
}

#[tokio::test]
async fn sign_in_opens_a_session_with_safe_cookies_and_sign_out_ends_it() {
    let server = TestServer::start().await;
    let password = server.user("admin@digues.fr", VENUE, Role::Admin).await;
    let mut browser = server.browser();

    // Not signed in: every page sends to the sign-in page, and comes back after.
    let response = browser.get("/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/connexion?suite=%2F");

    // Wrong password: the form again, with a French message, and no session.
    let response = browser
        .login("admin@digues.fr", "pas le bon mot de passe")
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Adresse e-mail ou mot de passe incorrect."));

    let response = browser.login("ADMIN@digues.fr ", &password).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let session_cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("releve_session="))
        .expect("session cookie");
    assert!(session_cookie.contains("HttpOnly"), "{session_cookie}");
    assert!(session_cookie.contains("SameSite=Lax"), "{session_cookie}");
    assert!(
        !session_cookie.contains("Secure"),
        "http public address: {session_cookie}"
    );

    // The dashboard shows the person's organisation, never the other one.
    let (status, html) = browser.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Théâtre des Digues"), "{html}");
    assert!(html.contains("administrateur"), "{html}");
    assert!(!html.contains("Compagnie du Large"), "{html}");

    // Sign-out needs the session's CSRF token.
    let response = browser.post("/deconnexion", &[("csrf", "forged")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/").await.status(), StatusCode::OK);
    let csrf = csrf_of(&html);
    let response = browser.post("/deconnexion", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/").await.status(), StatusCode::SEE_OTHER);
    server.stop().await;
}

#[tokio::test]
async fn the_sign_in_form_refuses_a_forged_post_and_throttles_guessing() {
    let server = TestServer::start().await;
    let password = server.user("sign@digues.fr", VENUE, Role::Signatory).await;

    // A post without the form's cookie (another site's form) is refused before any check.
    let mut stranger = server.browser();
    let response = stranger
        .post(
            "/connexion",
            &[
                ("email", "sign@digues.fr"),
                ("password", &password),
                ("csrf", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let mut browser = server.browser();
    for _ in 0..5 {
        let response = browser.login("sign@digues.fr", "mauvais essai").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // The sixth attempt is refused even with the right password.
    let response = browser.login("sign@digues.fr", &password).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Trop de tentatives"));
    server.stop().await;
}

#[tokio::test]
async fn a_person_may_belong_to_several_organisations() {
    let server = TestServer::start().await;
    let password = server.user("double@digues.fr", VENUE, Role::Viewer).await;
    server.user("double@digues.fr", OTHER, Role::Preparer).await;
    let mut browser = server.signed_in("double@digues.fr", &password).await;
    let (_, html) = browser.page("/").await;
    assert!(
        html.contains("Théâtre des Digues") && html.contains("Compagnie du Large"),
        "{html}"
    );
    assert!(
        html.contains("lecteur") && html.contains("préparateur"),
        "{html}"
    );
    server.stop().await;
}

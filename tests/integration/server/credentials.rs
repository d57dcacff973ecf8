//! *Administration → Identifiants*: an admin stores a source's key and the SIBIL password;
//! they are sealed in the database (never in clear), never shown back, and only the variables
//! the organisation's configuration reads can be stored, by an admin of that organisation.

use super::harness::{csrf_of, TestServer, OTHER, VENUE};
use releve::server::access::Role;
use reqwest::StatusCode;

const SECRET: &str = "cle-billetweb-de-l-atelier-5c2e";

const VENUE_KEYS: &str = "sibil_credentials_env = \"SIBILWS\"\n  [[organisation.source]]\n  kind = \"billetweb\"\n  credentials_env = \"BWWS\"\n";

#[tokio::test]
async fn an_admin_stores_credentials_sealed_and_never_sees_them_again() {
    let server = TestServer::start_with("", VENUE_KEYS).await;
    let password = server.user("admin@digues.fr", VENUE, Role::Admin).await;
    let mut admin = server.signed_in("admin@digues.fr", &password).await;
    let (status, html) = admin.page("/o/theatre-des-digues/admin").await;
    assert_eq!(status, StatusCode::OK);
    for name in [
        "BWWS_USER",
        "BWWS_KEY",
        "SIBILWS_USERNAME",
        "SIBILWS_PASSWORD",
    ] {
        assert!(
            html.contains(&format!("<code>{name}</code>")),
            "{name}: {html}"
        );
    }
    assert!(html.contains("manquant"), "{html}");
    let csrf = csrf_of(&html);

    let response = admin
        .post(
            "/o/theatre-des-digues/admin/identifiants",
            &[("csrf", &csrf), ("name", "BWWS_KEY"), ("value", SECRET)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("BWWS_KEY enregistré (chiffré)"), "{html}");
    assert!(html.contains("enregistré le "), "{html}");
    assert!(!html.contains(SECRET), "the value is never shown back");
    let key_file = server.dir.path().join("releve.key");
    assert!(key_file.exists(), "key file made beside the configuration");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let rows = server
        .state
        .store()
        .stored_credentials(Some(VENUE))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].ciphertext.contains(&hex_of(SECRET)));
    let mut db = std::fs::read(server.dir.path().join("releve.db")).unwrap();
    db.extend(std::fs::read(server.dir.path().join("releve.db-wal")).unwrap_or_default());
    assert!(
        !db.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
        "the value in clear in the database"
    );

    // An empty value is refused in French; a variable the configuration does not read is a 404.
    let response = admin
        .post(
            "/o/theatre-des-digues/admin/identifiants",
            &[("csrf", &csrf), ("name", "BWWS_USER"), ("value", "  ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("saisissez une valeur"));
    let response = admin
        .post(
            "/o/theatre-des-digues/admin/identifiants",
            &[("csrf", &csrf), ("name", "PATH"), ("value", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Another organisation's page does not exist for this admin.
    let response = admin
        .post(
            &format!("/o/{OTHER}/admin/identifiants"),
            &[("csrf", &csrf), ("name", "BWWS_KEY"), ("value", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // A preparer may not store one.
    let password = server.user("prep@digues.fr", VENUE, Role::Preparer).await;
    let mut preparer = server.signed_in("prep@digues.fr", &password).await;
    let (_, html) = preparer.page("/o/theatre-des-digues/sources").await;
    let response = preparer
        .post(
            "/o/theatre-des-digues/admin/identifiants",
            &[
                ("csrf", &csrf_of(&html)),
                ("name", "BWWS_KEY"),
                ("value", "x"),
            ],
        )
        .await;
    assert!(
        matches!(
            response.status(),
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        response.status()
    );

    // Removed: missing again.
    let response = admin
        .post(
            "/o/theatre-des-digues/admin/identifiants/retrait",
            &[("csrf", &csrf), ("name", "BWWS_KEY")],
        )
        .await;
    assert!(response.status().is_success() || response.status().is_redirection());
    assert!(server
        .state
        .store()
        .stored_credentials(Some(VENUE))
        .await
        .unwrap()
        .is_empty());
    server.stop().await;
}

fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

//! "Envoyer" on the declaration page (issue 11) over HTTP: only a signatory sends, with the
//! CSRF token; the CNM version goes into the outbox as a deposit package whose files are
//! offered for download (the approved bytes), the outbox state and exchanges are shown, and
//! "Enregistrer le dépôt" records the portal's receipt (row accepted, version sent). Scenario
//! of `reminders.rs` (CNM 1,00 € for November 2025).

use super::harness::{csrf_of, Browser, TestServer, OTHER, VENUE};
use super::reminders::{tickets, HEADER, PROGRAMME, PROGRAMME_SOURCE};
use releve::server::access::Role;
use releve_store::{OutboxState, VersionStatus};
use reqwest::StatusCode;

const CNM: &str = "/o/theatre-des-digues/2025-11/cnm";

async fn november() -> TestServer {
    let server = TestServer::start_serving_outputs(
        "",
        PROGRAMME_SOURCE,
        &[
            ("tickets.csv", &tickets()),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
    )
    .await;
    assert_eq!(server.run_month("2025-11").await, 0);
    server
}

async fn as_role(server: &TestServer, email: &str, role: Role) -> Browser {
    let password = server.user(email, VENUE, role).await;
    server.signed_in(email, &password).await
}

async fn post_form(
    browser: &mut Browser,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = browser.page(CNM).await;
    let csrf = csrf_of(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post(&format!("{CNM}/{action}"), &form).await
}

fn outbox_state(html: &str) -> Option<&str> {
    let start = html.find("data-outbox-state=\"")? + "data-outbox-state=\"".len();
    html[start..].split('"').next()
}

#[tokio::test]
async fn a_signatory_sends_a_deposit_package_and_records_its_receipt() {
    let server = november().await;
    let mut signatory = as_role(&server, "sign@digues.fr", Role::Signatory).await;
    let mut preparer = as_role(&server, "prep@digues.fr", Role::Preparer).await;
    let mut viewer = as_role(&server, "lect@digues.fr", Role::Viewer).await;
    let approved = post_form(
        &mut signatory,
        "approuver",
        &[
            ("version", "1"),
            ("signataire", "Claire Martin, directrice"),
        ],
    )
    .await;
    assert_eq!(approved.status(), StatusCode::SEE_OTHER);

    // Before sending: the channel is said, only the signatory gets the button.
    let (_, page) = viewer.page(CNM).await;
    assert!(page.contains("Canal de CNM : dossier de dépôt."), "{page}");
    assert!(!page.contains("/envoyer\""), "{page}");
    let (_, page) = signatory.page(CNM).await;
    assert!(
        page.contains("Envoyer la version 1 (préparer le dossier de dépôt)"),
        "{page}"
    );

    // Refusals: a preparer (403), a wrong CSRF token (403), no name (422), another
    // organisation (404); nothing is queued.
    let by = [
        ("version", "1"),
        ("signataire", "Claire Martin, directrice"),
    ];
    assert_eq!(
        post_form(&mut preparer, "envoyer", &by).await.status(),
        StatusCode::FORBIDDEN
    );
    let response = signatory
        .post(
            &format!("{CNM}/envoyer"),
            &[("csrf", "faux"), ("version", "1"), ("signataire", "C")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = post_form(
        &mut signatory,
        "envoyer",
        &[("version", "1"), ("signataire", " ")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, html) = signatory.page(CNM).await;
    let csrf = csrf_of(&html);
    let response = signatory
        .post(
            &format!("/o/{OTHER}/2025-11/cnm/envoyer"),
            &[("csrf", &csrf), ("version", "1"), ("signataire", "C")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(server
        .state
        .store()
        .submissions(None)
        .await
        .unwrap()
        .is_empty());

    // Sending: one outbox row, the package written, its files offered.
    let response = post_form(&mut signatory, "envoyer", &by).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{CNM}?version=1&fait=envoyee")
    );
    let rows = server.state.store().submissions(Some(VENUE)).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].channel.as_str(), rows[0].state),
        ("depot", OutboxState::Sent)
    );
    let (_, page) = signatory.page(CNM).await;
    assert_eq!(outbox_state(&page), Some("sent"), "{page}");
    assert!(
        page.contains(
            "Portail : <a href=\"https:&#x2F;&#x2F;cnm.fr&#x2F;taxe&#x2F;declaration&#x2F;\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<code>package</code>"),
        "the exchange is shown: {page}"
    );
    assert!(page.contains("Enregistrer le dépôt"), "{page}");
    assert!(
        !page.contains("Envoyer la version 1"),
        "not offered twice: {page}"
    );
    let response = viewer.get(&format!("{CNM}/depot/1/cnm.csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let frozen = std::fs::read(
        server
            .out()
            .join(VENUE)
            .join("2025-11")
            .join("versions")
            .join("cnm.v1.csv"),
    )
    .unwrap();
    assert_eq!(response.bytes().await.unwrap().to_vec(), frozen);
    let response = viewer.get(&format!("{CNM}/depot/1/A-LIRE-depot.txt")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Portail : https://cnm.fr/taxe/declaration/"));
    for missing in ["releve.toml", "cnm.json", "..%2Freleve.toml"] {
        let response = viewer.get(&format!("{CNM}/depot/1/{missing}")).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }

    // The portal's receipt: the row is accepted, the version sent.
    let today = chrono::Utc::now()
        .with_timezone(&releve_domain::PARIS)
        .date_naive()
        .to_string();
    let response = post_form(
        &mut signatory,
        "transmission",
        &[
            ("version", "1"),
            ("signataire", "Claire Martin, directrice"),
            ("canal", "portail"),
            ("recu", "CNM-2025-000123"),
            ("date", &today),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let row = &server.state.store().submissions(Some(VENUE)).await.unwrap()[0];
    assert_eq!(row.state, OutboxState::Accepted);
    assert_eq!(row.receipt.as_deref(), Some("CNM-2025-000123"));
    let version = server
        .state
        .store()
        .version(
            VENUE,
            "cnm",
            "2025-11".parse::<releve_domain::Month>().unwrap(),
            1,
        )
        .await
        .unwrap();
    assert_eq!(version.status, VersionStatus::Submitted);
    let (_, page) = viewer.page(CNM).await;
    assert_eq!(outbox_state(&page), Some("accepted"), "{page}");
    assert!(page.contains("Reçu : CNM-2025-000123"), "{page}");
    assert!(!page.contains("Enregistrer le dépôt"), "{page}");
    server.stop().await;
}

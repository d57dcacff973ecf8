//! The funders' side in a real browser (headless Chromium), on the two-venue fixture of
//! `funders.rs`: the Compagnie du Large's administrator previews what the DRAC will see, then
//! shares; the DRAC's reader sees both venues with the network's weighted fill rate, downloads
//! the workbook and opens a pre-filled survey; after a withdrawal the venue is gone at the next
//! page load. Every page is screenshotted and passes axe-core without a serious or critical
//! violation. Skips when Chromium is missing (see `browser.rs`).

use super::browser::{self, Chromium};
use super::funders::scenario;
use super::harness::{csrf_of, TestServer, OTHER};
use releve::server::access::Role;

async fn sign_in(chrome: &Chromium, server: &TestServer, email: &str, password: &str) {
    chrome.goto(&format!("{}/connexion", server.url)).await;
    chrome
        .field("Adresse e-mail")
        .await
        .send_keys(email)
        .await
        .unwrap();
    chrome
        .field("Mot de passe")
        .await
        .send_keys(password)
        .await
        .unwrap();
    chrome
        .by_text("button", "Se connecter")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_text("button", "Se déconnecter").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_venue_shares_and_a_funder_reads_in_a_real_browser() {
    let Some(chrome) = browser::start().await else {
        return;
    };
    let server = scenario().await;
    let url = |path: &str| format!("{}{path}", server.url);
    let password = server.user("admin@large.fr", OTHER, Role::Admin).await;
    releve::accounts_cmd::add_user(
        server.state.store(),
        "suivi@drac.gouv.fr",
        "mot de passe du financeur",
        &releve::accounts_cmd::Grant::Funder("drac-pdl"),
    )
    .await
    .unwrap();

    // The venue's administrator: preview, then share.
    sign_in(&chrome, &server, "admin@large.fr", &password).await;
    chrome.goto(&url(&format!("/o/{OTHER}/partage"))).await;
    chrome
        .by_text("h1", "Partage des indicateurs avec les financeurs")
        .await;
    chrome.check_page("partage").await;
    chrome
        .by_text("a", "Voir ce que DRAC Pays de la Loire verra")
        .await
        .click()
        .await
        .unwrap();
    chrome
        .by_prefix("p", "Aperçu : voici exactement ce que")
        .await;
    chrome.check_page("partage-apercu").await;
    chrome.goto(&url(&format!("/o/{OTHER}/partage"))).await;
    chrome
        .by_text("button", "Partager avec DRAC Pays de la Loire")
        .await
        .click()
        .await
        .unwrap();
    chrome
        .by_text("button", "Retirer le partage avec DRAC Pays de la Loire")
        .await;
    chrome
        .by_text("button", "Se déconnecter")
        .await
        .click()
        .await
        .unwrap();

    // The funder's reader.
    sign_in(
        &chrome,
        &server,
        "suivi@drac.gouv.fr",
        "mot de passe du financeur",
    )
    .await;
    // The dashboard links to the funder's page; the fixture's season is 2025-2026.
    chrome.by_text("a", "DRAC Pays de la Loire").await;
    chrome.goto(&url("/f/drac-pdl?saison=2025-2026")).await;
    chrome
        .by_prefix("h1", "DRAC Pays de la Loire — indicateurs des lieux")
        .await;
    chrome.by_prefix("th", "Compagnie du Large").await;
    chrome.by_prefix("th", "Théâtre des Digues").await;
    // The network's fill rate: 7 entries for 160 seats.
    chrome.by_text("td", "4,4\u{a0}%").await;
    chrome.check_page("financeur").await;
    let (content_type, start) = chrome
        .download(&url(
            "/f/drac-pdl/telechargement/2025-2026/indicateurs.xlsx",
        ))
        .await;
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(start.starts_with("PK"), "a zip package: {start:?}");
    chrome
        .goto(&url(
            "/f/drac-pdl/questionnaires/lolf-p131/theatre-des-digues?saison=2025-2026",
        ))
        .await;
    chrome.by_text("h2", "À saisir (1)").await;
    chrome.check_page("questionnaire").await;

    // The venue withdraws (from its workspace): gone at the funder's next page load.
    let mut admin = server.signed_in("admin@large.fr", &password).await;
    let (_, html) = admin.page(&format!("/o/{OTHER}/partage")).await;
    let csrf = csrf_of(&html);
    admin
        .post(
            &format!("/o/{OTHER}/partage"),
            &[
                ("csrf", &csrf),
                ("funder", "drac-pdl"),
                ("action", "retirer"),
            ],
        )
        .await;
    chrome.goto(&url("/f/drac-pdl?saison=2025-2026")).await;
    chrome.by_prefix("th", "Théâtre des Digues").await;
    let source = chrome.source().await;
    assert!(!source.contains("Compagnie du Large"));
    chrome.close().await;
    server.stop().await;
}

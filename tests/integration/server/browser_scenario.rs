//! The workspace in a real browser (headless Chromium): an administrator signs in, reads a
//! performance, the work list, collects the month from the Sources page and follows the run,
//! opens the indicators. Every main page is screenshotted and passes axe-core without a serious
//! or critical violation. Skips when Chromium is missing (see `browser.rs`).

use super::browser;
use super::harness::{TestServer, VENUE};
use super::work::{write_november, PROGRAMME_SOURCE};
use releve::server::access::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_works_the_month_in_a_real_browser() {
    let Some(chrome) = browser::start().await else {
        return;
    };
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_november(&server);
    let password = server.user("admin@digues.fr", VENUE, Role::Admin).await;
    let url = |path: &str| format!("{}{path}", server.url);

    // Sign in.
    chrome.goto(&url("/connexion")).await;
    chrome.check_page("connexion").await;
    chrome
        .field("Adresse e-mail")
        .await
        .send_keys("admin@digues.fr")
        .await
        .unwrap();
    chrome
        .field("Mot de passe")
        .await
        .send_keys(&password)
        .await
        .unwrap();
    chrome
        .by_text("button", "Se connecter")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_text("button", "Se déconnecter").await;

    // Collect November from the Sources page and follow the run to its end.
    chrome.goto(&url("/o/theatre-des-digues/sources")).await;
    chrome.check_page("sources").await;
    let month = chrome.field("Mois à relever").await;
    month.clear().await.unwrap();
    month.send_keys("2025-11").await.unwrap();
    chrome
        .by_text("button", "Collecter maintenant")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_text("h1", "Relevé de novembre 2025 (n° 1)").await;
    // The script polls the run's state until it is over.
    chrome.by_text("strong", "terminé, à vérifier").await;
    chrome.check_page("releve-en-cours").await;

    // The work list: the unlinked programme row, the quarantined ticket, P2's question.
    chrome
        .goto(&url("/o/theatre-des-digues/2025-11/a-traiter"))
        .await;
    chrome
        .by_text("h2", "Lignes de programme non rattachées (1)")
        .await;
    chrome.check_page("a-traiter").await;

    // The performance page, with its tickets.
    chrome
        .goto(&url("/o/theatre-des-digues/2025-11/p/tickets_csv%3AP1"))
        .await;
    chrome.by_text("h1", "Le Misanthrope").await;
    chrome.check_page("representation").await;

    // The indicators of the season, and the report shown in the frame.
    chrome
        .goto(&url("/o/theatre-des-digues/indicateurs?saison=2025-2026"))
        .await;
    chrome.by_text("h2", "Indicateurs et graphiques").await;
    chrome.check_page("indicateurs").await;

    chrome.close().await;
    server.stop().await;
}

//! The workspace in a real browser (headless Chromium): an administrator (also the signatory)
//! signs in, collects the month from the Sources page and follows the run, opens the month,
//! corrects a show's discipline from its performance page, approves CNM and downloads its PDF,
//! and opens the indicators. Every main page is screenshotted and passes axe-core without a serious
//! or critical violation. Skips when Chromium is missing (see `browser.rs`).

use super::browser;
use super::harness::{TestServer, VENUE};
use super::work::{write_november, PROGRAMME_SOURCE};
use fantoccini::Locator;
use releve::server::access::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_works_the_month_in_a_real_browser() {
    let Some(chrome) = browser::start().await else {
        return;
    };
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_november(&server);
    let password = server.user("admin@digues.fr", VENUE, Role::Admin).await;
    server.user("admin@digues.fr", VENUE, Role::Signatory).await;
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

    // The month, then its performances and points to handle.
    chrome.goto(&url("/o/theatre-des-digues/2025-11")).await;
    chrome
        .by_prefix("h1", "Théâtre des Digues — déclarations de novembre 2025")
        .await;
    chrome.check_page("mois").await;
    chrome
        .by_text("a", "Représentations et points à traiter")
        .await
        .click()
        .await
        .unwrap();
    chrome
        .by_text("h2", "Lignes de programme non rattachées (1)")
        .await;
    chrome.check_page("a-traiter").await;

    // The performance page of P1, with its tickets (the screenshot of docs/).
    chrome
        .by_text("a", "Le Misanthrope")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_text("h1", "Le Misanthrope").await;
    chrome.check_page("representation").await;

    // « Nuit du jazz » has no discipline: correct it from its page (variétés → CNM).
    chrome
        .goto(&url("/o/theatre-des-digues/2025-11/a-traiter"))
        .await;
    chrome
        .by_text("a", "Nuit du jazz")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_text("h1", "Nuit du jazz").await;
    chrome
        .field("Champ à corriger")
        .await
        .select_by_value("discipline")
        .await
        .unwrap();
    chrome
        .field("Nouvelle valeur")
        .await
        .send_keys("chanson_variete")
        .await
        .unwrap();
    chrome
        .field("Motif")
        .await
        .send_keys("concert de variétés")
        .await
        .unwrap();
    chrome
        .by_text("button", "Enregistrer la correction")
        .await
        .click()
        .await
        .unwrap();
    chrome
        .by_text(
            "p",
            "Correction enregistrée ; les brouillons du mois ont été recalculés.",
        )
        .await;
    chrome.check_page("representation-corrigee").await;

    // CNM now has its line: approve it as the signatory, then download its PDF.
    chrome.goto(&url("/o/theatre-des-digues/2025-11/cnm")).await;
    chrome.by_prefix("h1", "").await;
    chrome.check_page("declaration-cnm").await;
    chrome
        .field("Nom et fonction du signataire")
        .await
        .send_keys("Claire Martin, directrice")
        .await
        .unwrap();
    // The quarantined ticket stays open: approval needs a reason (printed on the document).
    chrome
        .field("Approuver malgré des points bloquants ouverts : raison (facultatif)")
        .await
        .send_keys("billet illisible sans effet sur la taxe")
        .await
        .unwrap();
    chrome
        .by_prefix("button", "Approuver la version")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_prefix("h2", "Enregistrer la transmission").await;
    let pdf = chrome
        .client
        .find(Locator::Css("a[download^=\"cnm\"][download$=\".pdf\"]"))
        .await
        .expect("a PDF download link");
    let href = pdf.attr("href").await.unwrap().expect("href");
    let (content_type, start) = chrome.download(&href).await;
    assert_eq!(content_type, "application/pdf");
    assert_eq!(start, "%PDF-");
    chrome.check_page("declaration-cnm-approuvee").await;

    // Send it: CNM has no API, so a deposit package, then the portal's receipt to record.
    chrome
        .field("Envoi demandé par (nom et fonction)")
        .await
        .send_keys("Claire Martin, directrice")
        .await
        .unwrap();
    chrome
        .by_prefix("button", "Envoyer la version")
        .await
        .click()
        .await
        .unwrap();
    chrome.by_text("button", "Enregistrer le dépôt").await;
    chrome.check_page("declaration-cnm-envoyee").await;

    // The indicators of the season, and the report shown in the frame.
    chrome
        .goto(&url("/o/theatre-des-digues/indicateurs?saison=2025-2026"))
        .await;
    chrome.by_text("h2", "Indicateurs et graphiques").await;
    chrome.check_page("indicateurs").await;

    chrome.close().await;
    server.stop().await;
}

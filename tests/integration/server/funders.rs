//! The funders' side (issue 18) over HTTP: a funder sees only the organisations that share with
//! it, a withdrawal from the workspace hides one at the next request, another funder's URL is a
//! 404 and an organisation's `read` token is refused; the figures are the organisations' own
//! `indicators.json`; the network's totals and weighted averages, the XLSX read back with
//! calamine, freshness after a correction, and the three shipped surveys pre-filled — all against
//! figures computed by hand on the two-venue fixture below.
//!
//! Fixture (season 2025-2026 unless said):
//! - Théâtre des Digues (shares with the DRAC in its configuration):
//!   P1 « Les Vagues » 2025-11-14, jauge 100, creation, directed by a woman, 4 artists of whom
//!   3 women: 3 tickets at 10.00 and 1 invitation;
//!   P2 « Marées » 2025-11-28, jauge 50, directed by a man, 2 artists (no woman): 1 ticket at
//!   10.00;
//!   P0 « Les Vagues » 2024-11-15 (season 2024-2025), jauge 100, creation: 2 tickets at 10.00.
//! - Compagnie du Large (shares from the workspace): LARGE-1 2025-11-21, 2 tickets at 12.00,
//!   jauge 10 given by a correction (no programme).
//!
//! By hand, season 2025-2026:
//! - performances 2 + 1 = 3; paid 4 + 2 = 6; free 1 + 0 = 1; receipts incl. VAT 40 + 24 = 64.00;
//! - fill rate: Digues (4 + 1) / 150 = 3.3 %, Large 2 / 10 = 20.0 %; the mean of the rates would
//!   be 11.7 %, the network is 7 / 160 = 4.375 → 4.4 %;
//! - average price: 10.00 and 12.00 (mean 11.00), network 64.00 / 6 = 10.666… → 10.67;
//! - creation seats: Digues 100 / 150 = 66.7 %, Large 0 / 10 = 0.0 %, network 100 / 160 = 62.5 %.

use super::harness::{TestServer, OTHER, VENUE};
use crate::support::TICKETS_HEADER;
use releve::server::access::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

const DRAC: &str = "drac-pdl";
const REGION: &str = "region-bretagne";

const FUNDERS: &str = r#"
[[funder]]
slug = "drac-pdl"
name = "DRAC Pays de la Loire"
kind = "etat"

[[funder]]
slug = "region-bretagne"
name = "Région Bretagne"
kind = "region"
"#;

const VENUE_KEYS: &str = r#"share_indicators_with = ["drac-pdl"]
  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"
"#;

const PROGRAMME: &str = "performance_id;show_title;starts_at;venue_name;capacity;discipline;creation;director_sex;artists_total;artists_women\n\
P0;Les Vagues;2024-11-15 20:30;Grande salle;100;theatre;yes;f;4;3\n\
P1;Les Vagues;2025-11-14 20:30;Grande salle;100;theatre;yes;f;4;3\n\
P2;Marées;2025-11-28 20:30;Grande salle;50;theatre;no;m;2;0\n";

fn ticket(id: &str, perf: &str, show: &str, title: &str, at: &str, price: &str) -> String {
    let kind = if price == "0.00" { "free" } else { "full" };
    let rate = if price == "0.00" { "" } else { "5.5" };
    format!(
        "{id},{perf},{show},{title},{at},Grande salle,44000,Nantes,,{kind},{price},{rate},valid,\n"
    )
}

fn write_fixture(server: &TestServer) {
    let mut tickets = TICKETS_HEADER.to_string();
    for i in 0..2 {
        tickets.push_str(&ticket(
            &format!("T0-{i}"),
            "P0",
            "VAGUES",
            "Les Vagues",
            "2024-11-15 20:30",
            "10.00",
        ));
    }
    for i in 0..3 {
        tickets.push_str(&ticket(
            &format!("T1-{i}"),
            "P1",
            "VAGUES",
            "Les Vagues",
            "2025-11-14 20:30",
            "10.00",
        ));
    }
    tickets.push_str(&ticket(
        "T1-inv",
        "P1",
        "VAGUES",
        "Les Vagues",
        "2025-11-14 20:30",
        "0.00",
    ));
    tickets.push_str(&ticket(
        "T2-0",
        "P2",
        "MAREES",
        "Marées",
        "2025-11-28 20:30",
        "10.00",
    ));
    std::fs::write(server.dir.path().join("tickets.csv"), tickets).unwrap();
    std::fs::write(server.dir.path().join("programme.csv"), PROGRAMME).unwrap();
    let mut large = TICKETS_HEADER.to_string();
    for i in 0..2 {
        large.push_str(&ticket(
            &format!("L{i}"),
            "LARGE-1",
            "MAREES-L",
            "Marées",
            "2025-11-21 20:00",
            "12.00",
        ));
    }
    std::fs::write(server.dir.path().join("tickets-large.csv"), large).unwrap();
}

/// Runs November 2025 for both organisations (collecting every ticket of the files).
async fn run_november(server: &TestServer) {
    let options = releve::run::RunOptions::from_cli(
        &server.config_path,
        Some("2025-11".to_string()),
        None,
        server.out(),
        Some("2025-12-05T09:00:00+01:00".to_string()),
    )
    .unwrap();
    let mut summary = Vec::new();
    let status = releve::run::run_monthly(&options, &mut summary)
        .await
        .unwrap();
    assert!(status.code() <= 1, "{}", String::from_utf8_lossy(&summary));
}

/// The fixture served, run, with the Compagnie du Large's jauge corrected to `capacity`.
pub async fn scenario() -> TestServer {
    let server = TestServer::start_with(FUNDERS, VENUE_KEYS).await;
    write_fixture(&server);
    run_november(&server).await;
    set_large_capacity(&server, "10").await;
    server
}

async fn set_large_capacity(server: &TestServer, capacity: &str) {
    let name = format!("ecriture-large-{capacity}");
    let write = server.token(&name, "write", Some(OTHER), None).await;
    let response = reqwest::Client::new()
        .post(server.api(&format!("/organisations/{OTHER}/corrections")))
        .bearer_auth(&write)
        .json(
            &json!({"performance_id": "tickets_csv:LARGE-1", "field": "capacity", "value": capacity,
                      "reason": "jauge du chapiteau", "by": "Yann Le Goff, administrateur"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
}

async fn get(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(server.api(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn slugs(body: &Value) -> Vec<String> {
    body["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap().to_string())
        .collect()
}

fn total<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no total {id} in {body}"))
}

fn row<'a>(rows: &'a Value, id: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
}

/// Shares or withdraws from the organisation's workspace, as its administrator.
async fn share(server: &TestServer, org: &str, funder: &str, action: &str) {
    let email = format!("admin@{org}.fr");
    let password = server.user(&email, org, Role::Admin).await;
    let mut admin = server.signed_in(&email, &password).await;
    let (status, html) = admin.page(&format!("/o/{org}/partage")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = super::harness::csrf_of(&html);
    let response = admin
        .post(
            &format!("/o/{org}/partage"),
            &[("csrf", &csrf), ("funder", funder), ("action", action)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_funder_reads_only_sharing_organisations_and_the_network_is_weighted() {
    let server = scenario().await;
    let drac = server.token("drac", "funder", None, Some(DRAC)).await;
    let region = server.token("region", "funder", None, Some(REGION)).await;
    let venue_read = server.token("lecture", "read", Some(VENUE), None).await;

    // Only the Digues share with the DRAC (configuration); nobody with the region.
    let (status, body) = get(&server, &drac, &format!("/funders/{DRAC}/organisations")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["funder"], DRAC);
    assert_eq!(slugs(&body), [VENUE]);
    assert_eq!(body["organisations"][0]["siret"], "81234567600009");
    let (_, body) = get(
        &server,
        &region,
        &format!("/funders/{REGION}/organisations"),
    )
    .await;
    assert_eq!(slugs(&body), Vec::<String>::new());

    // Another funder's URL does not exist for this token; a venue's read token is refused.
    for path in ["organisations", "indicators?season=2025-2026"] {
        let (status, body) = get(&server, &drac, &format!("/funders/{REGION}/{path}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found");
        let (status, _) = get(&server, &drac, &format!("/funders/inconnu/{path}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = get(&server, &venue_read, &format!("/funders/{DRAC}/{path}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
    }
    let (status, _) = get(
        &server,
        &drac,
        &format!("/funders/{DRAC}/indicators?season=2025"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // The Compagnie du Large shares from its workspace: visible at the next request.
    share(&server, OTHER, DRAC, "partager").await;
    let (_, body) = get(&server, &drac, &format!("/funders/{DRAC}/organisations")).await;
    assert_eq!(slugs(&body), [VENUE, OTHER]);

    let (status, body) = get(
        &server,
        &drac,
        &format!("/funders/{DRAC}/indicators?season=2025-2026"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["season"], "2025-2026");
    assert_eq!(slugs(&body), [VENUE, OTHER]);

    // Each organisation's items are its own indicators.json (the code path of `releve
    // indicators --season`), figure for figure.
    let reference = releve::reference::load_reference(server.state.config()).unwrap();
    for (i, slug) in [VENUE, OTHER].iter().enumerate() {
        let org = server
            .state
            .config()
            .organisations
            .iter()
            .find(|o| o.organisation.slug == *slug)
            .unwrap();
        let files = releve::indicators_cmd::period_files(
            server.state.store(),
            org,
            releve_indicators::Period::parse_season("2025-2026", 9).unwrap(),
            &reference,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let own: Value = serde_json::from_slice(
            &files
                .iter()
                .find(|(n, _)| n == "indicators.json")
                .unwrap()
                .1,
        )
        .unwrap();
        assert_eq!(
            body["organisations"][i]["indicators"], own["rows"],
            "{slug}"
        );
        assert!(body["organisations"][i]["run"]["run_id"].is_i64(), "{body}");
        assert_eq!(body["organisations"][i]["run"]["month"], "2025-11");
    }
    let digues = &body["organisations"][0]["indicators"];
    let large = &body["organisations"][1]["indicators"];
    assert_eq!(row(digues, "attendance.fill_rate")["value"], "3.3");
    assert_eq!(row(large, "attendance.fill_rate")["value"], "20.0");
    assert_eq!(
        row(digues, "attendance.fill_rate")["ratio"],
        json!({"numerator": 5, "denominator": 150})
    );
    assert_eq!(row(digues, "receipts.average_price")["value"], "10.00");
    assert_eq!(row(large, "receipts.average_price")["value"], "12.00");

    // The network: sums where an indicator adds up, Σ ÷ Σ where it does not.
    assert_eq!(total(&body, "performances.total")["value"], 3);
    assert_eq!(total(&body, "attendance.paid")["value"], 6);
    assert_eq!(total(&body, "attendance.free")["value"], 1);
    assert_eq!(total(&body, "attendance.total")["value"], 7);
    assert_eq!(
        total(&body, "receipts.ticketing_incl_vat")["value"],
        "64.00"
    );
    let fill = total(&body, "attendance.fill_rate");
    assert_eq!(fill["combination"], "weighted_average");
    assert_eq!(fill["value"], "4.4", "not the mean of the rates (11.7)");
    assert_eq!(fill["ratio"], json!({"numerator": 7, "denominator": 160}));
    assert_eq!(total(&body, "receipts.average_price")["value"], "10.67");
    assert_eq!(total(&body, "creation.seats_share")["value"], "62.5");
    assert_eq!(total(&body, "attendance.paid")["combination"], "sum");
    // The previous season: only the Digues had performances (P0), the Large has no data.
    assert_eq!(total(&body, "attendance.paid")["previous_value"], 2);
    assert!(
        total(&body, "attendance.paid")["note"]
            .as_str()
            .unwrap()
            .contains("somme de 2 lieux"),
        "{body}"
    );

    // The workbook: one sheet per family, the network's figure and each organisation's own.
    let response = reqwest::Client::new()
        .get(server.api(&format!(
            "/funders/{DRAC}/indicators?season=2025-2026&format=xlsx"
        )))
        .bearer_auth(&drac)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    let sheets = read_workbook(&bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Représentations",
            "Fréquentation",
            "Recettes",
            "Jeune public et scolaires",
            "Création",
            "Parité",
            "Emploi artistique",
            "Taxes et droits"
        ]
    );
    let attendance = &sheets[1].1;
    let line = |id: &str| {
        attendance
            .iter()
            .find(|r| r[0] == id)
            .unwrap_or_else(|| panic!("no line {id} in {attendance:?}"))
            .clone()
    };
    assert_eq!(line("attendance.fill_rate")[3], "4.4");
    assert_eq!(line(&format!("attendance.fill_rate:{VENUE}"))[3], "3.3");
    assert_eq!(line(&format!("attendance.fill_rate:{OTHER}"))[3], "20");
    assert_eq!(line(&format!("attendance.paid:{VENUE}"))[3], "4");
    assert_eq!(line(&format!("attendance.paid:{VENUE}"))[4], "2");
    assert!(line(&format!("attendance.paid:{VENUE}"))[1].contains("calcul n°"));
    assert_eq!(line("attendance.paid")[3], "6");

    // The CSV: the same lines (French Excel style by default).
    let response = reqwest::Client::new()
        .get(server.api(&format!(
            "/funders/{DRAC}/indicators?season=2025-2026&format=csv"
        )))
        .bearer_auth(&drac)
        .send()
        .await
        .unwrap();
    let csv = response.text().await.unwrap();
    assert!(
        csv.contains(&format!("attendance.fill_rate:{OTHER};")),
        "{csv}"
    );
    assert!(
        csv.contains("attendance.fill_rate;Taux de remplissage;percent;4,4;"),
        "{csv}"
    );

    // Freshness: unchanged since the download, until a correction changes the Large's jauge.
    let (_, body) = get(
        &server,
        &drac,
        &format!("/funders/{DRAC}/indicators?season=2025-2026"),
    )
    .await;
    assert_eq!(
        body["organisations"][1]["changed_since_last_download"],
        false
    );
    set_large_capacity(&server, "20").await;
    let (_, body) = get(
        &server,
        &drac,
        &format!("/funders/{DRAC}/indicators?season=2025-2026"),
    )
    .await;
    assert_eq!(
        body["organisations"][0]["changed_since_last_download"],
        false
    );
    assert_eq!(
        body["organisations"][1]["changed_since_last_download"],
        true
    );
    // 2 / 20 = 10.0 %; network 7 / 170 = 4.1 %.
    assert_eq!(
        row(
            &body["organisations"][1]["indicators"],
            "attendance.fill_rate"
        )["value"],
        "10.0"
    );
    assert_eq!(total(&body, "attendance.fill_rate")["value"], "4.1");

    // Withdrawal from the workspace: gone at the next request, nothing of it in the answer.
    share(&server, OTHER, DRAC, "retirer").await;
    let (_, body) = get(
        &server,
        &drac,
        &format!("/funders/{DRAC}/indicators?season=2025-2026"),
    )
    .await;
    assert_eq!(slugs(&body), [VENUE]);
    let text = body.to_string();
    assert!(
        !text.contains(OTHER) && !text.contains("Compagnie du Large"),
        "{text}"
    );
    assert_eq!(total(&body, "attendance.paid")["value"], 4);
    // Both decisions are in the organisation's hash-chained audit log.
    let chain = server
        .state
        .store()
        .verify_audit_chain(OTHER)
        .await
        .unwrap();
    assert_eq!(chain.broken, None);
    assert!(chain.entries >= 4, "{chain:?}");
    server.stop().await;
}

/// Every sheet of a workbook as rows of cell texts.
fn read_workbook(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = workbook.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = workbook.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[tokio::test]
async fn the_funder_workspace_and_the_venue_preview() {
    let server = scenario().await;
    let password = "mot de passe du financeur";
    releve::accounts_cmd::add_user(
        server.state.store(),
        "suivi@drac.gouv.fr",
        password,
        &releve::accounts_cmd::Grant::Funder(DRAC),
    )
    .await
    .unwrap();
    let mut funder = server.signed_in("suivi@drac.gouv.fr", password).await;
    let (status, html) = funder.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/f/{DRAC}\"")), "{html}");

    let (status, html) = funder.page(&format!("/f/{DRAC}?saison=2025-2026")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Théâtre des Digues"));
    assert!(!html.contains("Compagnie du Large"), "not sharing yet");
    assert!(html.contains("calcul n°"), "freshness of each venue");
    assert!(html.contains("<svg"), "charts");
    assert!(html.contains("jamais"), "never downloaded");
    // Another funder's page, a survey of a venue that does not share: 404.
    let (status, _) = funder.page(&format!("/f/{REGION}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = funder
        .page(&format!(
            "/f/{DRAC}/questionnaires/fedelima-opp/{OTHER}?saison=2025-2026"
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The venue's own pages do not exist for the funder.
    let (status, _) = funder.page(&format!("/o/{VENUE}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The Large's administrator previews what the DRAC would see, then shares.
    let password = server.user("admin@large.fr", OTHER, Role::Admin).await;
    let mut admin = server.signed_in("admin@large.fr", &password).await;
    let (status, html) = admin.page(&format!("/o/{OTHER}/partage")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("non partagé") && html.contains("Région Bretagne"));
    let (status, html) = admin
        .page(&format!(
            "/o/{OTHER}/partage/{DRAC}/apercu?saison=2025-2026"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Aperçu") && html.contains("Compagnie du Large"));
    assert!(
        !html.contains("Théâtre des Digues"),
        "the preview shows only this venue"
    );
    assert!(html.contains("20,0"), "its fill rate: {html}");
    // A viewer of the venue may not manage sharing.
    let password = server.user("lecteur@large.fr", OTHER, Role::Viewer).await;
    let mut viewer = server.signed_in("lecteur@large.fr", &password).await;
    let (status, _) = viewer.page(&format!("/o/{OTHER}/partage")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    share(&server, OTHER, DRAC, "partager").await;
    let (_, html) = funder.page(&format!("/f/{DRAC}?saison=2025-2026")).await;
    assert!(html.contains("Compagnie du Large"));
    assert!(html.contains("4,4"), "network fill rate: {html}");

    // Download, then a correction: the page says the Large's figures changed since.
    let response = funder
        .get(&format!(
            "/f/{DRAC}/telechargement/2025-2026/indicateurs.xlsx"
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, html) = funder.page(&format!("/f/{DRAC}?saison=2025-2026")).await;
    assert!(html.contains("inchangé") && !html.contains("modifié depuis"));
    set_large_capacity(&server, "20").await;
    let (_, html) = funder.page(&format!("/f/{DRAC}?saison=2025-2026")).await;
    assert!(html.contains("modifié depuis"), "{html}");

    // A survey page: answers with what is behind them, and the « à saisir » list.
    let (status, html) = funder
        .page(&format!(
            "/f/{DRAC}/questionnaires/lolf-p131/{VENUE}?saison=2025-2026"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("80,0"), "{html}");
    assert!(html.contains("À saisir (1)"), "{html}");
    server.stop().await;
}

/// The three shipped surveys pre-filled for the Digues (figures by hand in the module docs).
#[tokio::test]
async fn the_shipped_surveys_are_prefilled_with_their_to_enter_lists() {
    let server = scenario().await;
    let config = server.state.config();
    let org = config
        .organisations
        .iter()
        .find(|o| o.organisation.slug == VENUE)
        .unwrap();
    let reference = releve::reference::load_reference(config).unwrap();
    let surveys = releve::funders::surveys::load(config).unwrap();
    let season = releve_indicators::Period::parse_season("2025-2026", 9).unwrap();
    let mut answered = std::collections::BTreeMap::new();
    for survey in &surveys {
        let filled = releve::funders::surveys::prefill(
            server.state.store(),
            &reference,
            org,
            survey,
            season,
            2025,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        let answers: Vec<(String, String)> = filled
            .answers
            .iter()
            .map(|a| (a.question.id.clone(), a.text.clone()))
            .collect();
        let to_enter: Vec<String> = filled
            .to_enter()
            .iter()
            .map(|a| a.question.id.clone())
            .collect();
        // Every answer says what is behind it.
        for a in &filled.answers {
            assert!(!a.behind.is_empty(), "{}", a.question.id);
            if !a.to_enter() {
                assert!(
                    a.behind.iter().any(|b| b.contains("calcul n°")),
                    "{:?}",
                    a.behind
                );
            }
        }
        answered.insert(survey.id.clone(), (answers, to_enter));
    }
    let text = |survey: &str, q: &str| {
        answered[survey]
            .0
            .iter()
            .find(|(id, _)| id == q)
            .unwrap_or_else(|| panic!("{survey}: no {q}"))
            .1
            .clone()
    };
    let nbsp = |s: &str| s.replace(' ', "\u{a0}");

    // FEDELIMA, calendar year 2025 (P1 and P2): 2 performances, 4 paid, 1 free, 5 in all,
    // 40.00 / 4 = 10.00 average; receipts 40 € incl. VAT, own receipts 40 / 1.055 = 37.91 → 38 €.
    assert_eq!(text("fedelima-opp", "representations"), "2");
    assert_eq!(text("fedelima-opp", "entrees_payantes"), "4");
    assert_eq!(text("fedelima-opp", "entrees_exonerees_gratuites"), "1");
    assert_eq!(text("fedelima-opp", "entrees_totales"), "5");
    assert_eq!(text("fedelima-opp", "prix_moyen_billet"), nbsp("10,00 €"));
    assert_eq!(
        text("fedelima-opp", "recettes_billetterie"),
        nbsp("40,00 €")
    );
    assert_eq!(text("fedelima-opp", "recettes_propres"), nbsp("38,00 €"));
    assert_eq!(
        answered["fedelima-opp"].1,
        [
            "jauge_salle_principale",
            "jauge_seconde_salle",
            "artistes_programmes",
            "prix_moyen_plein_tarif",
            "salaries_permanents",
            "artistes_employes",
            "techniciens_employes",
            "benevoles",
            "budget_total",
            "part_subventions_fonctionnement",
            "masse_salariale_artistique",
        ],
        "no payroll source: employment questions are to enter"
    );

    // DGCA, year 2025: « Les Vagues » directed by a woman, « Marées » by a man → 50.0 %;
    // artists 3 women of 4 + 0 of 2 → 3 / 6 = 50.0 %; employment unknown (no payroll).
    assert_eq!(
        text("dgca-parite", "femmes_direction_spectacles"),
        nbsp("50,0 %")
    );
    assert_eq!(
        text("dgca-parite", "femmes_artistes_programmes"),
        nbsp("50,0 %")
    );
    assert_eq!(
        answered["dgca-parite"].1,
        [
            "femmes_employees",
            "femmes_coproductions",
            "femmes_residences",
            "femmes_direction_structure",
        ]
    );

    // LOLF P131: seats of creations over seasons 2023-2024 (no data), 2024-2025 (P0: 100 of
    // 100) and 2025-2026 (P1: 100 of 150) → 200 / 250 = 80.0 %; the last season 66.7 %; two
    // performances of creations? No: one (P1) in 2025-2026.
    assert_eq!(
        text("lolf-p131", "part_places_creations_trois_saisons"),
        nbsp("80,0 %")
    );
    assert_eq!(
        text("lolf-p131", "part_places_creations_saison"),
        nbsp("66,7 %")
    );
    assert_eq!(text("lolf-p131", "representations_creations"), "1");
    assert_eq!(answered["lolf-p131"].1, ["creations_nouvelles_productions"]);
    server.stop().await;
}

//! Issue 9, part B over HTTP: the performance page (tickets by category and VAT rate, the
//! programme row, the source values beside the correction fields), *À traiter*, *Sources*
//! ("tester la connexion", "collecter maintenant" through the job queue, one run per
//! organisation), *Indicateurs*, and the monthly schedule driven by a fixed clock.

use super::harness::{csrf_of, Setup, TestServer, OTHER, VENUE};
use crate::support::{ticket, PROGRAMME_HEADER, TICKETS_HEADER};
use releve::server::access::Role;
use releve::server::AppState;
use releve_domain::{FixedClock, Month};
use reqwest::StatusCode;
use std::sync::Arc;

/// The programme source, put before the tickets source of the harness's venue.
pub const PROGRAMME_SOURCE: &str =
    "  [[organisation.source]]\n  kind = \"programme_csv\"\n  path = \"programme.csv\"\n";

const NOV: &str = "2025-11";

/// November 2025 at the venue:
/// - P1 « Le Misanthrope », 14/11 20:30: two full-price tickets at 25,00 (5,5 %), one reduced at
///   15,00, one invitation, one full-price ticket refunded → 3 paid, 1 free, 1 void; receipts
///   65,00 TTC; HT 65 / 1,055 = 61,611… → 61,61; VAT 3,39. Programme line 2: theatre, 200 seats.
/// - P2 « Nuit du jazz », 20/11 20:00, one ticket at 12,00 (5,5 %), no programme row: its
///   discipline is unknown (a blocking question).
/// - programme line 3, « Lecture fantôme », links to nothing (reported as unlinked).
/// - tickets line 8 has the status « perdu »: quarantined with its raw text.
pub fn write_november(server: &TestServer) {
    let m = "2025-11-14T20:30:00+01:00";
    let j = "2025-11-20T20:00:00+01:00";
    let mut tickets = String::from(TICKETS_HEADER);
    for row in [
        ticket(
            "T1",
            "P1",
            "Le Misanthrope",
            m,
            "Salle des Digues",
            "Plein tarif",
            "full",
            "25.00",
            "5.5",
            "valid",
        ),
        ticket(
            "T2",
            "P1",
            "Le Misanthrope",
            m,
            "Salle des Digues",
            "Plein tarif",
            "full",
            "25.00",
            "5.5",
            "valid",
        ),
        ticket(
            "T3",
            "P1",
            "Le Misanthrope",
            m,
            "Salle des Digues",
            "Réduit",
            "reduced",
            "15.00",
            "5.5",
            "valid",
        ),
        ticket(
            "T4",
            "P1",
            "Le Misanthrope",
            m,
            "Salle des Digues",
            "Invitation",
            "free",
            "0",
            "0",
            "valid",
        ),
        ticket(
            "T5",
            "P1",
            "Le Misanthrope",
            m,
            "Salle des Digues",
            "Plein tarif",
            "full",
            "25.00",
            "5.5",
            "refunded",
        ),
        ticket(
            "J1",
            "P2",
            "Nuit du jazz",
            j,
            "Salle des Digues",
            "Plein tarif",
            "full",
            "12.00",
            "5.5",
            "valid",
        ),
        ticket(
            "X1",
            "P2",
            "Nuit du jazz",
            j,
            "Salle des Digues",
            "Plein tarif",
            "full",
            "12.00",
            "5.5",
            "perdu",
        ),
    ] {
        tickets.push_str(&row);
    }
    server.write("tickets.csv", &tickets);
    let programme = format!(
        "{PROGRAMME_HEADER}P1;Le Misanthrope;2025-11-14 20:30;Salle des Digues;44000;Nantes;THEATRE;200;theatre;tout_public;Compagnie du Vent;;yes;no;;no;no\n\
         ;Lecture fantôme;2025-11-25 19:00;Salle des Digues;44000;Nantes;THEATRE;80;lecture;tout_public;;;;no;;no;no\n"
    );
    server.write("programme.csv", &programme);
    server.write("tickets-large.csv", TICKETS_HEADER);
}

/// The venue with its November data, run once (as "collecter maintenant" does).
pub async fn november_server() -> TestServer {
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_november(&server);
    let started = releve::server::runs::start_run(
        &server.state,
        VENUE,
        NOV.parse().unwrap(),
        "test",
        serde_json::json!({}),
    )
    .await
    .unwrap();
    started.task.expect("a new job").await.unwrap();
    server
}

#[tokio::test]
async fn performance_page_shows_the_tickets_by_category_and_rate_and_the_programme_row() {
    let server = november_server().await;
    let password = server.user("prep@digues.fr", VENUE, Role::Preparer).await;
    let mut browser = server.signed_in("prep@digues.fr", &password).await;
    let (status, html) = browser
        .page("/o/theatre-des-digues/2025-11/p/tickets_csv%3AP1")
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<h1>Le Misanthrope</h1>"));
    // 3 paid, 1 free, 1 refunded; 65,00 TTC, 61,61 HT, 3,39 VAT.
    assert!(
        html.contains("<dt>Billets payants</dt><dd>3</dd>"),
        "{html}"
    );
    assert!(html.contains("<dt>Billets exonérés</dt><dd>1</dd>"));
    assert!(html.contains("<dt>Remboursés ou annulés</dt><dd>1</dd>"));
    assert!(html.contains("<dt>Recettes TTC</dt><dd>65,00\u{a0}€</dd>"));
    assert!(html.contains("<dt>Recettes HT</dt><dd>61,61\u{a0}€</dd>"));
    assert!(html.contains("<dt>TVA</dt><dd>3,39\u{a0}€</dd>"));
    // By category and rate: full price 2 paid + 1 refunded = 50,00; reduced 15,00; invitation.
    assert!(html.contains("<tr><td>Plein tarif</td><td>5,5\u{a0}%</td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">50,00\u{a0}€</td></tr>"), "{html}");
    assert!(html.contains("<tr><td>Réduit</td><td>5,5\u{a0}%</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">15,00\u{a0}€</td></tr>"));
    assert!(html.contains("<tr><td>Invitation</td><td>0\u{a0}%</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0,00\u{a0}€</td></tr>"));
    assert!(html.contains("Les 5 billet(s), un par un"));
    assert!(html.contains("<td>T5</td><td>remboursé</td>"));
    // The programme row, and its values beside the fields one may correct.
    assert!(html.contains("programme_csv, ligne 2"), "{html}");
    assert!(html.contains("<th scope=\"row\">Discipline</th><td>theatre</td><td>theatre</td>"));
    assert!(html.contains("<th scope=\"row\">Jauge (places en vente)</th><td>200</td><td>200</td>"));
    assert!(html.contains(
        "<th scope=\"row\">Producteur public ou subventionné</th><td>yes</td><td>yes</td>"
    ));
    assert!(html.contains("Enregistrer la correction"));

    // Unknown performance or month: 404.
    let (status, _) = browser
        .page("/o/theatre-des-digues/2025-11/p/tickets_csv%3ANOPE")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = browser
        .page("/o/theatre-des-digues/2025-13/p/tickets_csv%3AP1")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A viewer reads it without the form; another organisation's member gets a 404.
    let password = server.user("lire@digues.fr", VENUE, Role::Viewer).await;
    let mut viewer = server.signed_in("lire@digues.fr", &password).await;
    let (status, html) = viewer
        .page("/o/theatre-des-digues/2025-11/p/tickets_csv%3AP1")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("Enregistrer la correction"));
    assert!(html.contains("Votre rôle ne permet pas de corriger"));
    let password = server.user("admin@large.fr", OTHER, Role::Admin).await;
    let mut other = server.signed_in("admin@large.fr", &password).await;
    let (status, _) = other
        .page("/o/theatre-des-digues/2025-11/p/tickets_csv%3AP1")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn work_list_shows_quarantine_unlinked_rows_and_blocking_questions() {
    let server = november_server().await;
    let password = server.user("prep@digues.fr", VENUE, Role::Preparer).await;
    let mut browser = server.signed_in("prep@digues.fr", &password).await;
    let (status, html) = browser
        .page("/o/theatre-des-digues/2025-11/a-traiter")
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // The quarantined ticket: line 8 of tickets.csv, with its raw text.
    assert!(html.contains("Enregistrements mis de côté (1)"), "{html}");
    assert!(html.contains("<strong>tickets_csv</strong>, ligne 8"));
    assert!(html.contains("X1,P2,,Nuit du jazz"));
    // The programme row that links to nothing, with the manual link « programme_csv:3 ».
    assert!(html.contains("Lignes de programme non rattachées (1)"));
    assert!(html.contains("programme_csv, ligne 3"));
    assert!(html.contains("name=\"value\" value=\"programme_csv:3\""));
    assert!(
        html.contains(
            "<option value=\"tickets_csv:P2\">Nuit du jazz — 20&#x2F;11&#x2F;2025 20:00</option>"
        ),
        "{html}"
    );
    // P2 has no discipline: answered in place with a discipline correction.
    assert!(html.contains("name=\"performance_id\" value=\"tickets_csv:P2\""));
    assert!(html.contains("name=\"field\" value=\"discipline\""));

    // A viewer sees the list without forms.
    let password = server.user("lire@digues.fr", VENUE, Role::Viewer).await;
    let mut viewer = server.signed_in("lire@digues.fr", &password).await;
    let (_, html) = viewer.page("/o/theatre-des-digues/2025-11/a-traiter").await;
    assert!(html.contains("programme_csv, ligne 3"));
    assert!(!html.contains("Rattacher</button>"));
    server.stop().await;
}

#[tokio::test]
async fn collect_now_runs_the_month_through_the_queue_one_run_per_organisation() {
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_november(&server);
    let password = server.user("prep@digues.fr", VENUE, Role::Preparer).await;
    let mut browser = server.signed_in("prep@digues.fr", &password).await;
    let (status, html) = browser.page("/o/theatre-des-digues/sources").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<th scope=\"row\">tickets_csv</th>"));
    assert!(html.contains("jamais"));
    let csrf = csrf_of(&html);

    // Without the page's token: refused.
    let response = browser
        .post(
            "/o/theatre-des-digues/sources/collecter",
            &[("csrf", "faux"), ("month", NOV)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = browser
        .post(
            "/o/theatre-des-digues/sources/collecter",
            &[("csrf", &csrf), ("month", NOV)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    assert_eq!(location, format!("/o/theatre-des-digues/travaux/{id}"));
    let job = server.finished_job(id).await;
    // Quarantine and a blocking question: finished, needs attention (exit status 1).
    assert_eq!(job.exit_status, Some(1));
    assert_eq!(job.requested_by, "prep@digues.fr (espace de travail)");
    let (status, html) = browser.page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("terminé, à vérifier"), "{html}");
    let (_, json) = browser.page(&format!("{location}/etat")).await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["state"], "attention");
    assert_eq!(json["exit_status"], 1);

    // The sources now show their last sync: 2 performances and 6 readable tickets from the
    // tickets file (X1 is set aside), 2 programme rows.
    let (_, html) = browser.page("/o/theatre-des-digues/sources").await;
    assert!(
        html.contains("2 représentation(s), 6 billet(s), 0 ligne(s) de programme, 1 mis de côté"),
        "{html}"
    );
    assert!(
        html.contains("0 représentation(s), 0 billet(s), 2 ligne(s) de programme, 0 mis de côté"),
        "{html}"
    );

    // One run per organisation and month: while a job is queued, asking again gives that job.
    let queued = server
        .state
        .store()
        .enqueue_job(
            &releve_store::JobRequest {
                org: VENUE.into(),
                month: "2025-12".parse().unwrap(),
                kind: releve_store::RUN_JOB.into(),
                requested_by: "un autre processus".into(),
                params: serde_json::json!({}),
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let response = browser
        .post(
            "/o/theatre-des-digues/sources/collecter",
            &[("csrf", &csrf), ("month", "2025-12")],
        )
        .await;
    assert_eq!(
        response.headers()["location"].to_str().unwrap(),
        format!("/o/theatre-des-digues/travaux/{}", queued.job.id)
    );
    assert_eq!(
        server
            .state
            .store()
            .jobs(Some(VENUE), Some("2025-12".parse().unwrap()))
            .await
            .unwrap()
            .len(),
        1
    );

    // "Tester la connexion": the code of `releve check`.
    let response = browser
        .post("/o/theatre-des-digues/sources/tester", &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("OK</strong> tickets_csv"), "{html}");
    assert!(html.contains("en-tête conforme"));

    // A viewer may not collect; another organisation's job is a 404.
    let password = server.user("lire@digues.fr", VENUE, Role::Viewer).await;
    let mut viewer = server.signed_in("lire@digues.fr", &password).await;
    let (_, html) = viewer.page("/o/theatre-des-digues/sources").await;
    assert!(!html.contains("Collecter maintenant</button>"));
    let csrf = csrf_of(&html);
    let response = viewer
        .post(
            "/o/theatre-des-digues/sources/collecter",
            &[("csrf", &csrf), ("month", NOV)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let password = server.user("admin@large.fr", OTHER, Role::Admin).await;
    let mut other = server.signed_in("admin@large.fr", &password).await;
    let (status, _) = other
        .page(&format!("/o/compagnie-du-large/travaux/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn indicators_page_offers_the_season_report_and_its_downloads() {
    let server = november_server().await;
    let password = server.user("lire@digues.fr", VENUE, Role::Viewer).await;
    let mut browser = server.signed_in("lire@digues.fr", &password).await;
    let (status, html) = browser
        .page("/o/theatre-des-digues/indicateurs?saison=2025-2026")
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("src=\"/o/theatre-des-digues/indicateurs/2025-2026/indicators.html\""));
    let response = browser
        .get("/o/theatre-des-digues/indicateurs/2025-2026/indicators.json")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["organisation"], VENUE);
    let text = json.to_string();
    // The season holds P1 and P2 (and the unlinked reading, a performance of its own).
    assert!(text.contains("\"performances\""), "{text}");
    let response = browser
        .get("/o/theatre-des-digues/indicateurs/2025-2026/indicators.pdf")
        .await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF"));
    let (status, _) = browser
        .page("/o/theatre-des-digues/indicateurs/2025-2026/secret.txt")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The server's state with the same configuration and store, at a fixed instant (a restart).
fn state_at(server: &TestServer, instant: &str) -> AppState {
    AppState::new(
        server.state.config().clone(),
        server.state.store().clone(),
        Arc::new(FixedClock(at(instant))),
    )
    .unwrap()
}

async fn tick(state: &AppState) -> Vec<(String, Month)> {
    let mut done = Vec::new();
    for started in releve::server::schedule::tick(state).await.unwrap() {
        let job = started.enqueued.job;
        if let Some(task) = started.task {
            task.await.unwrap();
        }
        done.push((job.org, job.month));
    }
    done.sort();
    done
}

#[tokio::test]
async fn schedule_runs_the_previous_month_once_and_catches_up_once_after_a_stop() {
    // The server's own queue worker keeps the first instant: with the system clock it would see
    // the leases of jobs claimed at these past instants as long expired and take them over.
    let server = TestServer::start_setup(Setup {
        extra_root: "[schedule]\nday = 5\ntime = \"06:00\"\n",
        extra_venue: PROGRAMME_SOURCE,
        clock: Some(Arc::new(FixedClock(at("2025-12-05T06:00:00+01:00")))),
        ..Setup::default()
    })
    .await;
    write_november(&server);
    let nov: Month = NOV.parse().unwrap();
    let dec: Month = "2025-12".parse().unwrap();
    // 5 December 2025 at 06:00 Paris (05:00 UTC): November, for both organisations.
    let state = state_at(&server, "2025-12-05T06:00:00+01:00");
    assert_eq!(
        tick(&state).await,
        vec![(OTHER.to_string(), nov), (VENUE.to_string(), nov)]
    );
    // Recorded like any run: a run record and a finished job asked by the schedule.
    let jobs = server
        .state
        .store()
        .jobs(Some(VENUE), Some(nov))
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].requested_by, releve::server::schedule::REQUESTER);
    assert_eq!(jobs[0].exit_status, Some(1));
    let runs = server.state.store().runs(VENUE).await.unwrap();
    assert_eq!(runs.len(), 1, "{runs:#?}");
    assert!(runs[0].finished_at.is_some());
    // Later that day, and after a restart on the 20th: nothing again.
    assert!(tick(&state_at(&server, "2025-12-05T06:30:00+01:00"))
        .await
        .is_empty());
    assert!(tick(&state_at(&server, "2025-12-20T10:00:00+01:00"))
        .await
        .is_empty());
    // Stopped from the 1st to the 7th of January: December runs once at the next start…
    assert_eq!(
        tick(&state_at(&server, "2026-01-07T09:00:00+01:00")).await,
        vec![(OTHER.to_string(), dec), (VENUE.to_string(), dec)]
    );
    // …and not again.
    assert!(tick(&state_at(&server, "2026-01-07T09:00:30+01:00"))
        .await
        .is_empty());
    assert_eq!(server.state.store().runs(VENUE).await.unwrap().len(), 2);
    server.stop().await;
}

/// The performance ids on the lines of the latest draft of `body` for November.
async fn draft_performances(server: &TestServer, body: &str) -> Vec<String> {
    let versions = server
        .state
        .store()
        .versions(VENUE, Some(body), Some(NOV.parse().unwrap()))
        .await
        .unwrap();
    let latest = versions.last().expect("a draft");
    let text = latest.model.to_string();
    ["tickets_csv:P1", "tickets_csv:P2"]
        .iter()
        .filter(|id| text.contains(&format!("\"{id}\"")))
        .map(|id| id.to_string())
        .collect()
}

#[tokio::test]
async fn answering_the_discipline_question_puts_the_performance_in_cnm_and_the_audit_log() {
    let server = november_server().await;
    // P2 has no discipline: no declaration has it yet.
    assert!(draft_performances(&server, "cnm").await.is_empty());
    let password = server.user("prep@digues.fr", VENUE, Role::Preparer).await;
    let mut browser = server.signed_in("prep@digues.fr", &password).await;
    let (_, html) = browser
        .page("/o/theatre-des-digues/2025-11/a-traiter")
        .await;
    let csrf = csrf_of(&html);
    let response = browser
        .post(
            "/o/theatre-des-digues/2025-11/corrections",
            &[
                ("csrf", &csrf),
                ("performance_id", "tickets_csv:P2"),
                ("field", "discipline"),
                ("value", "chanson_variete"),
                ("reason", "concert de jazz vocal, variétés"),
                ("back", "a-traiter"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/o/theatre-des-digues/2025-11/a-traiter?fait=1"
    );
    // The month was recomputed by the run's job: P2 is now on the CNM draft.
    assert_eq!(
        draft_performances(&server, "cnm").await,
        vec!["tickets_csv:P2"]
    );
    let (_, html) = browser
        .page("/o/theatre-des-digues/2025-11/a-traiter?fait=1")
        .await;
    assert!(html.contains("Correction enregistrée"));
    assert!(
        !html.contains("name=\"field\" value=\"discipline\""),
        "{html}"
    );
    // The performance page: no source value (no programme row), the corrected one retained.
    let (_, html) = browser
        .page("/o/theatre-des-digues/2025-11/p/tickets_csv%3AP2")
        .await;
    assert!(
        html.contains("<th scope=\"row\">Discipline</th><td>—</td><td>chanson_variete</td>"),
        "{html}"
    );
    // In the audit log: who, old value (none), new value, reason.
    let audit = server.state.store().audit_log(VENUE).await.unwrap();
    let entry = audit
        .iter()
        .find(|a| a.details["field"] == "discipline")
        .expect("the correction is in the audit log");
    assert_eq!(entry.actor, "prep@digues.fr");
    assert_eq!(entry.details["value"], "chanson_variete");
    assert!(entry.details["old_value"].is_null());
    assert_eq!(entry.details["reason"], "concert de jazz vocal, variétés");
    server.stop().await;
}

#[tokio::test]
async fn the_performance_form_keeps_the_source_value_beside_and_explains_a_refused_value() {
    let server = november_server().await;
    let password = server.user("prep@digues.fr", VENUE, Role::Preparer).await;
    let mut browser = server.signed_in("prep@digues.fr", &password).await;
    let page = "/o/theatre-des-digues/2025-11/p/tickets_csv%3AP1";
    let (_, html) = browser.page(page).await;
    let csrf = csrf_of(&html);
    let action = "/o/theatre-des-digues/2025-11/p/tickets_csv%3AP1/corrections";
    let response = browser
        .post(
            action,
            &[
                ("csrf", &csrf),
                ("field", "capacity"),
                ("value", "beaucoup"),
                ("reason", "essai"),
            ],
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("?erreur="), "{location}");
    let (_, html) = browser.page(&location).await;
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("<th scope=\"row\">Jauge (places en vente)</th><td>200</td><td>200</td>"));

    let response = browser
        .post(
            action,
            &[
                ("csrf", &csrf),
                ("field", "capacity"),
                ("value", "250"),
                ("reason", "gradins ajoutés"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], format!("{page}?fait=1"));
    let (_, html) = browser.page(page).await;
    // The source says 200; the figures use 250.
    assert!(
        html.contains("<th scope=\"row\">Jauge (places en vente)</th><td>200</td><td>250</td>"),
        "{html}"
    );
    // Withdrawn (empty value): the source value applies again.
    browser
        .post(
            action,
            &[
                ("csrf", &csrf),
                ("field", "capacity"),
                ("value", ""),
                ("reason", "erreur"),
            ],
        )
        .await;
    let (_, html) = browser.page(page).await;
    assert!(html.contains("<th scope=\"row\">Jauge (places en vente)</th><td>200</td><td>200</td>"));

    // A viewer may not correct; a forged form is refused.
    let response = browser
        .post(
            action,
            &[
                ("csrf", "faux"),
                ("field", "capacity"),
                ("value", "300"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let password = server.user("lire@digues.fr", VENUE, Role::Viewer).await;
    let mut viewer = server.signed_in("lire@digues.fr", &password).await;
    let (_, html) = viewer.page(page).await;
    let csrf = csrf_of(&html);
    let response = viewer
        .post(
            action,
            &[
                ("csrf", &csrf),
                ("field", "capacity"),
                ("value", "300"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

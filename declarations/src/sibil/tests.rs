//! Hand-computed expectations for SIBIL, and the API client against the local contract server.

use super::client::{domain_id, wire, Action, Credentials, Domain, SibilClient, SibilError};
use super::fixture::{input, TestMonth};
use super::test_server::{self, PASSWORD, USER};
use super::*;
use crate::render::testing::assert_golden;
use releve_domain::{Audience, Discipline, PriceKind, Producer, Quarter, Severity};

fn built(m: &TestMonth) -> Draft {
    let facts = m.facts();
    Sibil.build(&input(&facts)).unwrap()
}

fn codes(d: &Draft, severity: Severity) -> Vec<&str> {
    d.issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| i.code.as_str())
        .collect()
}

#[test]
fn worked_example_with_subscriptions() {
    // domain.md §3 worked example plus 5 subscription tickets at 12.00 (5.5 %):
    // paid 120 + 30 + 5 = 155, free 10, total 165;
    // incl. 2160.00 + 900.00 + 60.00 = 3120.00; average round(3120.00 / 155 = 20.1290…) = 20.13;
    // full price 120 tickets, 2160.00, average 18.00.
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.worked_example("P1");
    m.sell("P1", 5, "12.00", "5.5", PriceKind::Subscription);
    let draft = built(&m);
    let j = &draft.model;
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["organisation"], "theatre-des-digues");
    assert_eq!(j["month"], "2025-11");
    assert_eq!(j["quarter"], "2025-Q4");
    assert_eq!(j["deadline"], "2026-01-09");
    let d = &j["declarations"][0];
    assert_eq!(d["idExtBilletterie"], "rl709cb3273c093ffa");
    assert_eq!(
        d["dateHeureRepresentationUnique"],
        "2025-11-14T20:30:00+01:00"
    );
    assert_eq!(d["nbRepresentations"], 1);
    assert_eq!(d["nbBilletsTotalBilletterie"], 165);
    assert_eq!(d["recetteTotalBilletterie"], "3120.00");
    assert_eq!(d["prixMoyenTotalBilletterie"], "20.13");
    assert_eq!(d["nbBilletsTarifPlein"], 120);
    assert_eq!(d["recetteTarifPlein"], "2160.00");
    assert_eq!(d["prixMoyenTarifPlein"], "18.00");
    assert_eq!(d["nbBilletsTarifAbonnementForfait"], 5);
    assert_eq!(d["nbBilletsExoneres"], 10);
    assert_eq!(d["jauge"], 400);
    assert_eq!(d["jeunePublic"], false);
    assert_eq!(d["domaineRepresentationLibelle"], "Théâtre");
    assert_eq!(d["lieuChamps"]["nom"], "Grande salle");
    assert_eq!(d["lieuChamps"]["adresse"], "2 quai des Digues");
    assert_eq!(d["lieuChamps"]["codePostal"], "44000");
    assert_eq!(d["lieuChamps"]["ville"], "Nantes");
    assert_eq!(d["lieuChamps"]["typeLieu"], "THEATRE");
    assert_eq!(d["spectacleChamps"]["critere1"], "Les Vagues");
    assert_eq!(d["statutDeclaration"], "ENREGISTRE");
    assert_eq!(d["performance_id"], "tickets_csv:P1");
    assert!(draft.issues.is_empty(), "{:?}", draft.issues);
    assert_eq!(draft.summary.lines, 1);
    assert_eq!(draft.summary.amount_due, None);
    assert_eq!(draft.summary.deadline.unwrap().to_string(), "2026-01-09");
    assert!(
        draft.summary.note.contains("1 déclaration"),
        "{}",
        draft.summary.note
    );
    // The file is the model.
    assert_eq!(draft.files.len(), 1);
    assert_eq!(draft.files[0].name, "sibil.json");
    let on_disk: serde_json::Value = serde_json::from_slice(&draft.files[0].bytes).unwrap();
    assert_eq!(&on_disk, j);
}

#[test]
fn all_free_performance_has_zero_averages() {
    // 50 invitations, nothing paid: total 50, receipts 0.00, averages "0.00" (no division).
    let mut m = TestMonth::new("2025-11");
    m.ticketed(
        "P1",
        "Répétition publique",
        "2025-11-20 19:00",
        Discipline::Danse,
    );
    m.sell("P1", 50, "0", "0", PriceKind::Free);
    let draft = built(&m);
    let d = &draft.model["declarations"][0];
    assert_eq!(d["nbBilletsTotalBilletterie"], 50);
    assert_eq!(d["nbBilletsExoneres"], 50);
    assert_eq!(d["recetteTotalBilletterie"], "0.00");
    assert_eq!(d["prixMoyenTotalBilletterie"], "0.00");
    assert_eq!(d["nbBilletsTarifPlein"], 0);
    assert_eq!(d["prixMoyenTarifPlein"], "0.00");
    assert_eq!(d["domaineRepresentationLibelle"], "Danse de création");
}

#[test]
fn performances_without_tickets_are_not_declared() {
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 1, "10.00", "5.5", PriceKind::Full);
    // Ticketed in the source but nothing issued.
    m.ticketed("P2", "Les Vagues", "2025-11-15 20:30", Discipline::Theatre);
    // Free admission without ticketing.
    m.programme_only("Lecture au jardin", "2025-11-16 16:00", Discipline::Lecture)
        .free_admission = true;
    let draft = built(&m);
    let ids: Vec<&str> = draft.model["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["performance_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tickets_csv:P1"]);
}

#[test]
fn cancelled_performance_with_tickets_is_sent_as_annule() {
    // 20 tickets sold then refunded when the performance was cancelled: nothing counts, but it
    // was declarable before, so it is re-sent as ANNULE with zero figures.
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre)
        .cancelled = true;
    m.refunded("P1", 20, "18.00");
    // Cancelled and never ticketed: nothing to say to SIBIL.
    m.ticketed("P2", "Les Vagues", "2025-11-15 20:30", Discipline::Theatre)
        .cancelled = true;
    let draft = built(&m);
    let list = draft.model["declarations"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["performance_id"], "tickets_csv:P1");
    assert_eq!(list[0]["statutDeclaration"], "ANNULE");
    assert_eq!(list[0]["nbBilletsTotalBilletterie"], 0);
    assert_eq!(list[0]["prixMoyenTotalBilletterie"], "0.00");
    assert!(
        draft.summary.note.contains("dont 1 annulée"),
        "{}",
        draft.summary.note
    );
}

#[test]
fn late_night_performance_keeps_its_paris_date_and_offset() {
    // 30 November 23:30 in Paris is 22:30 UTC: November, written with +01:00.
    let mut m = TestMonth::new("2025-11");
    m.ticketed(
        "P1",
        "Nuit blanche",
        "2025-11-30 23:30",
        Discipline::Theatre,
    );
    m.sell("P1", 2, "15.00", "5.5", PriceKind::Full);
    // 1 December 00:30 belongs to December.
    m.ticketed(
        "P2",
        "Nuit blanche",
        "2025-12-01 00:30",
        Discipline::Theatre,
    );
    m.sell("P2", 2, "15.00", "5.5", PriceKind::Full);
    let draft = built(&m);
    let list = draft.model["declarations"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0]["dateHeureRepresentationUnique"],
        "2025-11-30T23:30:00+01:00"
    );
}

#[test]
fn quarter_boundary_month_stays_in_its_quarter() {
    // March 2026: summer time from 29 March, so 31 March 23:30 is +02:00 (21:30 UTC); the
    // 1 April 00:30 performance belongs to April and Q2. The file is Q1, deadline 10 April.
    let mut m = TestMonth::new("2026-03");
    m.ticketed(
        "P1",
        "Fin de saison",
        "2026-03-02 20:00",
        Discipline::Theatre,
    );
    m.sell("P1", 3, "20.00", "5.5", PriceKind::Full);
    m.ticketed(
        "P2",
        "Fin de saison",
        "2026-03-31 23:30",
        Discipline::Theatre,
    );
    m.sell("P2", 3, "20.00", "5.5", PriceKind::Full);
    m.ticketed(
        "P3",
        "Fin de saison",
        "2026-04-01 00:30",
        Discipline::Theatre,
    );
    m.sell("P3", 3, "20.00", "5.5", PriceKind::Full);
    let facts = m.facts();
    let draft = Sibil.build(&input(&facts)).unwrap();
    let j = &draft.model;
    assert_eq!(j["quarter"], "2026-Q1");
    assert_eq!(j["deadline"], "2026-04-09");
    let starts: Vec<&str> = j["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dateHeureRepresentationUnique"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["2026-03-02T20:00:00+01:00", "2026-03-31T23:30:00+02:00"]
    );
    // Every declaration is one performance inside the file's quarter.
    let quarter: Quarter = facts.month.quarter();
    for p in &facts.performances {
        assert!(quarter.contains(p.date));
    }
    for d in j["declarations"].as_array().unwrap() {
        assert_eq!(d["nbRepresentations"], 1);
    }

    // December: 31 December 23:30 is still 2025-Q4, due 10 January 2026.
    let mut m = TestMonth::new("2025-12");
    m.ticketed("P9", "Réveillon", "2025-12-31 23:30", Discipline::Humour);
    m.sell("P9", 3, "20.00", "5.5", PriceKind::Full);
    let draft = built(&m);
    assert_eq!(draft.model["quarter"], "2025-Q4");
    assert_eq!(draft.model["deadline"], "2026-01-09");
    assert_eq!(
        draft.model["declarations"][0]["dateHeureRepresentationUnique"],
        "2025-12-31T23:30:00+01:00"
    );
    assert_eq!(
        draft.model["declarations"][0]["domaineRepresentationLibelle"],
        "Humour / sketch"
    );
}

#[test]
fn unknown_discipline_blocks_and_is_not_declared() {
    let mut m = TestMonth::new("2025-11");
    m.ticketing_only("P1", "Sans programme", "2025-11-14 20:30");
    m.sell("P1", 4, "10.00", "5.5", PriceKind::Full);
    let draft = built(&m);
    assert!(draft.model["declarations"].as_array().unwrap().is_empty());
    assert_eq!(codes(&draft, Severity::Blocking), ["sibil.domain.missing"]);
    let issue = &draft.issues[0];
    assert_eq!(issue.performance_id.as_deref(), Some("tickets_csv:P1"));
    assert_eq!(issue.body.as_deref(), Some("sibil"));
    assert!(issue
        .message
        .contains("« Sans programme » du 14/11/2025 à 20:30"));
}

#[test]
fn venue_type_capacity_and_audience() {
    let mut m = TestMonth::new("2025-11");
    // Venue type unknown, capacity unknown, young audience.
    let row = m.ticketed(
        "P1",
        "Petit Poucet",
        "2025-11-05 10:00",
        Discipline::Marionnettes,
    );
    row.venue.venue_type = None;
    row.capacity = None;
    row.audience = Audience::JeunePublic;
    m.records[0].venue.venue_type = None;
    m.sell("P1", 10, "6.00", "5.5", PriceKind::Full);
    // A venue type SIBIL does not know, school audience, lower-case type is accepted.
    let row = m.ticketed(
        "P2",
        "Petit Poucet",
        "2025-11-06 10:00",
        Discipline::Marionnettes,
    );
    row.venue.venue_type = Some("gymnase".into());
    row.audience = Audience::Scolaire;
    m.sell("P2", 10, "6.00", "5.5", PriceKind::Full);
    let row = m.ticketed(
        "P3",
        "Petit Poucet",
        "2025-11-07 20:00",
        Discipline::Marionnettes,
    );
    row.venue.venue_type = Some("espace_polyvalent".into());
    m.sell("P3", 10, "6.00", "5.5", PriceKind::Full);
    let draft = built(&m);
    let list = draft.model["declarations"].as_array().unwrap();
    assert_eq!(list[0]["lieuChamps"]["typeLieu"], "AUTRE");
    assert_eq!(list[0]["jauge"], serde_json::Value::Null);
    assert_eq!(list[0]["jeunePublic"], true);
    assert_eq!(list[1]["lieuChamps"]["typeLieu"], "AUTRE");
    assert_eq!(list[1]["jeunePublic"], true);
    assert_eq!(list[1]["jauge"], 400);
    assert_eq!(list[2]["lieuChamps"]["typeLieu"], "ESPACE_POLYVALENT");
    assert_eq!(list[2]["jeunePublic"], false);
    let mut warnings = codes(&draft, Severity::Warning);
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "sibil.capacity.missing",
            "sibil.venue_type.missing",
            "sibil.venue_type.unknown"
        ]
    );
    assert!(draft
        .issues
        .iter()
        .any(|i| i.message.contains("« gymnase »")));
}

#[test]
fn producer_goes_to_critere2_with_its_siren() {
    let mut m = TestMonth::new("2025-11");
    m.ticketed(
        "P1",
        "Le Misanthrope",
        "2025-11-14 20:30",
        Discipline::Theatre,
    )
    .producer = Some(Producer {
        name: "Cie du Vent".into(),
        siret: Some("73282932000074".into()),
        subsidised: None,
        address: None,
    });
    m.sell("P1", 1, "10.00", "5.5", PriceKind::Full);
    m.ticketed(
        "P2",
        "Seul en scène",
        "2025-11-15 20:30",
        Discipline::Theatre,
    );
    m.sell("P2", 1, "10.00", "5.5", PriceKind::Full);
    let draft = built(&m);
    let list = draft.model["declarations"].as_array().unwrap();
    assert_eq!(
        list[0]["spectacleChamps"]["critere2"],
        "Cie du Vent (SIREN 732 829 320)"
    );
    assert_eq!(
        list[1]["spectacleChamps"]["critere2"],
        serde_json::Value::Null
    );
}

#[test]
fn external_id_is_short_stable_and_distinct() {
    // sha256("theatre-des-digues\ntickets_csv:P1")[..8] in hex, computed independently.
    assert_eq!(
        external_id("theatre-des-digues", "tickets_csv:P1"),
        "rl709cb3273c093ffa"
    );
    assert_eq!(
        external_id("theatre-des-digues", "tickets_csv:P2"),
        "rl75845dfa59ba986a"
    );
    assert_eq!(
        external_id("autre-lieu", "tickets_csv:P1"),
        "rl33dd2f909cdf1c56"
    );
    let long = "x".repeat(500);
    assert_eq!(external_id("theatre-des-digues", &long).len(), 18);
}

/// A small month covering the cases above, as `sibil.json`.
fn golden_month() -> TestMonth {
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre)
        .producer = Some(Producer {
        name: "Cie du Vent".into(),
        siret: Some("73282932000074".into()),
        subsidised: Some(false),
        address: None,
    });
    m.worked_example("P1");
    m.sell("P1", 5, "12.00", "5.5", PriceKind::Subscription);
    let row = m.ticketed(
        "P2",
        "Petit Poucet",
        "2025-11-19 10:00",
        Discipline::Marionnettes,
    );
    row.audience = Audience::Scolaire;
    row.capacity = Some(120);
    m.sell("P2", 40, "0", "0", PriceKind::Free);
    m.ticketed("P3", "Les Vagues", "2025-11-21 20:30", Discipline::Theatre)
        .cancelled = true;
    m.refunded("P3", 12, "18.00");
    m.ticketed("P4", "Nuit blanche", "2025-11-30 23:30", Discipline::Opera);
    m.sell("P4", 3, "25.00", "5.5", PriceKind::Full);
    m
}

#[test]
fn golden_sibil_json() {
    let draft = built(&golden_month());
    let text = String::from_utf8(draft.files[0].bytes.clone()).unwrap();
    assert_golden("sibil/sibil_2025-11.json", &text);
    // Same input, same bytes.
    assert_eq!(built(&golden_month()).files[0].bytes, draft.files[0].bytes);
}

// ---- API client, against the local contract server ----

fn credentials(password: &str) -> Credentials {
    Credentials {
        username: USER.into(),
        password: password.into(),
    }
}

fn model_of(m: &TestMonth) -> SibilFile {
    let facts = m.facts();
    super::build::model(&input(&facts), None).unwrap().model
}

#[tokio::test]
async fn creates_then_updates_on_the_same_external_id() {
    let server = test_server::start().await;
    let mut client = SibilClient::new(&server.base_url, credentials(PASSWORD)).unwrap();
    let month = golden_month();
    let model = model_of(&month);
    // P1 Théâtre, P2 Marionnettes (no such domain on this server), P3 Théâtre, P4 Opéra.
    let report = client.send(&model).await.unwrap();
    let sent: Vec<(&str, Action)> = report
        .sent
        .iter()
        .map(|s| (s.id_ext_billetterie.as_str(), s.action))
        .collect();
    let ids: Vec<&str> = model
        .declarations
        .iter()
        .map(|d| d.id_ext_billetterie.as_str())
        .collect();
    assert_eq!(
        sent,
        [
            (ids[0], Action::Created),
            (ids[2], Action::Created),
            (ids[3], Action::Created)
        ]
    );
    assert_eq!(report.failed.len(), 1);
    assert!(matches!(
        &report.failed[0].1,
        SibilError::UnknownDomain { label, .. } if label == "Marionnettes"
    ));
    {
        let s = server.state.lock().unwrap();
        assert_eq!(s.logins, 1);
        assert_eq!(s.declarations.len(), 3);
        let stored = &s.declarations[0];
        // Amounts travel as numbers, the domain as this environment's id.
        assert_eq!(stored["recetteTotalBilletterie"], serde_json::json!(3120.0));
        assert_eq!(
            stored["prixMoyenTotalBilletterie"],
            serde_json::json!(20.13)
        );
        assert_eq!(stored["domaineRepresentationId"], 1);
        assert_eq!(stored["spectacleChamps"]["domaineSpectacleId"], 1);
        assert!(stored.get("performance_id").is_none());
        assert_eq!(s.declarations[1]["statutDeclaration"], "ANNULE");
        // "Opéra / théâtre lyrique" matched "Opéra/théâtre lyrique".
        assert_eq!(s.declarations[2]["domaineRepresentationId"], 7);
    }

    // A later run with corrected figures updates in place (PUT, version 2), creates nothing.
    let mut month = golden_month();
    month.sell("P1", 2, "18.00", "5.5", PriceKind::Full);
    let model = model_of(&month);
    let report = client.send(&model).await.unwrap();
    assert!(report.sent.iter().all(|s| s.action == Action::Updated));
    assert_eq!(report.sent[0].sibil_id, Some(123_456));
    let s = server.state.lock().unwrap();
    assert_eq!(s.declarations.len(), 3);
    assert_eq!(s.declarations[0]["version"], 2);
    // 3120.00 + 36.00 = 3156.00.
    assert_eq!(
        s.declarations[0]["recetteTotalBilletterie"],
        serde_json::json!(3156.0)
    );
    assert!(s.log.iter().any(|l| l == "PUT /api/v2/declarations"));
}

#[tokio::test]
async fn duplicate_under_another_id_is_a_clear_error() {
    let server = test_server::start().await;
    // Someone declared the same show at the same time by hand, under another id.
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 3, "10.00", "5.5", PriceKind::Full);
    let model = model_of(&m);
    let mut other = wire(&model.declarations[0], 1);
    other.insert("idExtBilletterie", "saisie-portail".into());
    other.insert("id", 99.into());
    let other: serde_json::Value = serde_json::from_str(&other.to_json()).unwrap();
    server.state.lock().unwrap().declarations.push(other);

    let mut client = SibilClient::new(&server.base_url, credentials(PASSWORD)).unwrap();
    let report = client.send(&model).await.unwrap();
    assert!(report.sent.is_empty());
    let (id, error) = &report.failed[0];
    assert_eq!(id, &model.declarations[0].id_ext_billetterie);
    assert!(matches!(error, SibilError::Duplicate { .. }), "{error:?}");
    let text = error.to_string();
    assert!(
        text.contains("« Les Vagues » du 2025-11-14T20:30:00+01:00"),
        "{text}"
    );
    assert!(text.contains("existe déjà"), "{text}");
}

#[tokio::test]
async fn expired_session_re_authenticates_once() {
    let server = test_server::start().await;
    // The session ends after two calls (domains, venue types): the search gets a 401.
    server.state.lock().unwrap().expire_after = Some(2);
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 3, "10.00", "5.5", PriceKind::Full);
    let mut client = SibilClient::new(&server.base_url, credentials(PASSWORD)).unwrap();
    let report = client.send(&model_of(&m)).await.unwrap();
    assert_eq!(report.sent.len(), 1, "{:?}", report.failed);
    let s = server.state.lock().unwrap();
    assert_eq!(s.logins, 2);
    assert_eq!(
        s.log,
        [
            "POST /api/v2/authenticate",
            "GET /api/v2/domaine-representations",
            "GET /api/v2/lieux/types",
            "GET /api/v2/declarations",
            "POST /api/v2/authenticate",
            "GET /api/v2/declarations",
            "POST /api/v2/declarations",
        ]
    );
}

#[tokio::test]
async fn second_401_and_bad_password_are_clear_errors() {
    let server = test_server::start().await;
    server.state.lock().unwrap().always_unauthorized = true;
    let mut client = SibilClient::new(&server.base_url, credentials(PASSWORD)).unwrap();
    let error = client.domains().await.unwrap_err();
    assert!(
        matches!(error, SibilError::Unauthorized { .. }),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .contains("même après une nouvelle connexion"));
    // Login, call, login again, call again: then stop.
    assert_eq!(server.state.lock().unwrap().logins, 2);

    let mut client = SibilClient::new(&server.base_url, credentials("faux")).unwrap();
    let error = client.authenticate().await.unwrap_err();
    assert!(matches!(error, SibilError::WrongCredentials { .. }));
    assert!(error
        .to_string()
        .contains("identifiants refusés pour le compte « theatre-des-digues »"));
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    // Bind then drop a listener: the port is closed.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut client = SibilClient::new(&format!("http://{addr}"), credentials(PASSWORD)).unwrap();
    let error = client.authenticate().await.unwrap_err();
    assert!(matches!(error, SibilError::Transport { .. }), "{error:?}");
}

#[test]
fn domain_labels_match_ignoring_case_accents_and_spaces() {
    let domains = vec![
        Domain {
            id: 4,
            libelle: "Humour/sketch".into(),
            actif: Some(true),
        },
        Domain {
            id: 5,
            libelle: "POP/ROCK/REGGAE et genres assimilés".into(),
            actif: None,
        },
    ];
    assert_eq!(domain_id(&domains, "Humour / sketch"), Some(4));
    assert_eq!(
        domain_id(&domains, "Pop / rock / reggae et genres assimilés"),
        Some(5)
    );
    assert_eq!(domain_id(&domains, "Théâtre"), None);
}

#[test]
fn a_cancelled_performance_is_sent_as_annule_only_if_sibil_had_it() {
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre)
        .cancelled = true;
    m.refunded("P1", 20, "18.00");
    let facts = m.facts();
    let id = super::external_id("theatre-des-digues", "tickets_csv:P1");
    // Never approved nor sent: nothing to cancel at SIBIL.
    let never = super::build_with_history(&input(&facts), Some(&Default::default())).unwrap();
    assert!(never.model["declarations"].as_array().unwrap().is_empty());
    // Sent before: re-sent with the same id as ANNULE.
    let sent: std::collections::BTreeSet<String> = [id.clone()].into();
    let again = super::build_with_history(&input(&facts), Some(&sent)).unwrap();
    let list = again.model["declarations"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["idExtBilletterie"], id.as_str());
    assert_eq!(list[0]["statutDeclaration"], "ANNULE");
}

#[test]
fn a_declared_performance_whose_tickets_were_all_refunded_is_resent_with_zeros() {
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.refunded("P1", 3, "18.00");
    let facts = m.facts();
    let sent: std::collections::BTreeSet<String> =
        [super::external_id("theatre-des-digues", "tickets_csv:P1")].into();
    let draft = super::build_with_history(&input(&facts), Some(&sent)).unwrap();
    let list = draft.model["declarations"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["statutDeclaration"], "ENREGISTRE");
    assert_eq!(list[0]["nbBilletsTotalBilletterie"], 0);
    assert_eq!(list[0]["prixMoyenTotalBilletterie"], "0.00");
    // Unknown to SIBIL: not declared.
    let none = super::build_with_history(&input(&facts), Some(&Default::default())).unwrap();
    assert!(none.model["declarations"].as_array().unwrap().is_empty());
}

/// Amounts leave as their decimal text: 1234567.89 exactly, and 90071992547409.93 (2^53 + 1
/// cents), whose nearest double prints as 90071992547409.94 — a float on the way would show.
#[tokio::test]
async fn amounts_go_out_as_their_exact_decimal_text() {
    let server = test_server::start().await;
    let mut m = TestMonth::new("2025-11");
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 3, "10.00", "5.5", PriceKind::Full);
    let mut model = model_of(&m);
    let d = &mut model.declarations[0];
    d.recette_total_billetterie = releve_domain::Money::parse("1234567.89").unwrap();
    d.recette_tarif_plein = releve_domain::Money::parse("90071992547409.93").unwrap();
    let text = wire(d, 7).to_json();
    assert!(
        text.contains("\"recetteTotalBilletterie\":1234567.89,"),
        "{text}"
    );
    assert!(
        text.contains("\"recetteTarifPlein\":90071992547409.93,"),
        "{text}"
    );
    assert!(text.contains("\"prixMoyenTotalBilletterie\":"), "{text}");
    assert!(
        !text.contains("\"recetteTotalBilletterie\":\""),
        "a number, not a string"
    );

    let mut client = SibilClient::new(&server.base_url, credentials(PASSWORD)).unwrap();
    let d = model.declarations[0].clone();
    client.upsert(&d, 1).await.unwrap();
    let state = server.state.lock().unwrap();
    let sent = &state.raw_saves[0];
    assert!(
        sent.contains("\"recetteTotalBilletterie\":1234567.89,"),
        "{sent}"
    );
    assert!(
        sent.contains("\"recetteTarifPlein\":90071992547409.93,"),
        "{sent}"
    );
}

#[test]
fn only_plain_decimal_text_becomes_a_raw_number() {
    let d = {
        let mut m = TestMonth::new("2025-11");
        m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
        m.sell("P1", 1, "10.00", "5.5", PriceKind::Full);
        model_of(&m).declarations[0].clone()
    };
    let mut w = wire(&d, 1);
    for bad in ["1e5", "01.00", "NaN", "12,50", "", "1.", "]"] {
        w.insert("recetteTotalBilletterie", bad.into());
        assert!(
            serde_json::to_string(&w).is_err(),
            "{bad} must not be written as a number"
        );
    }
    w.insert("recetteTotalBilletterie", "-0.50".into());
    assert!(w.to_json().contains("\"recetteTotalBilletterie\":-0.50"));
}

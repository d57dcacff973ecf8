//! Corrections over the API (formats.md §6): stored beside the source value, used by the next
//! run (a discipline correction moves a performance from CNM to ASTP), never undone by a later
//! sync, withdrawn with `value = null`; the status codes of §6.

use super::harness::{TestServer, OTHER, VENUE};
use crate::support::{releve, GENERATED_AT, PROGRAMME_HEADER, TICKETS_HEADER};
use reqwest::StatusCode;
use serde_json::{json, Value};

pub const PROGRAMME_SOURCE: &str = r#"
  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"
"#;

/// Ten tickets at 20.00 (5.5 %) for one performance of « Les Vagues » (show id VAGUES), a
/// chanson programme row with a subsidised producer.
pub fn write_sources(server: &TestServer) {
    let mut tickets = TICKETS_HEADER.to_string();
    for i in 0..10 {
        tickets.push_str(&format!(
            "T{i},P1,VAGUES,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,20.00,5.5,valid,2025-10-01T10:00:00+02:00\n"
        ));
    }
    std::fs::write(server.dir.path().join("tickets.csv"), tickets).unwrap();
    let programme = format!(
        "{PROGRAMME_HEADER}P1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;200;chanson_variete;tout_public;Cie du Port;;yes;;;;\n"
    );
    std::fs::write(server.dir.path().join("programme.csv"), programme).unwrap();
    std::fs::write(server.dir.path().join("tickets-large.csv"), TICKETS_HEADER).unwrap();
}

/// `releve run` for November 2025 on the server's configuration; the declaration `file`.
pub async fn run_and_read(server: &TestServer, files: &[&str]) -> Vec<Value> {
    let config = server.config_path.clone();
    let out = server.dir.path().join("out");
    let output = tokio::task::spawn_blocking(move || {
        releve(&[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--month",
            "2025-11",
            "--org",
            VENUE,
            "--out",
            out.to_str().unwrap(),
            "--generated-at",
            GENERATED_AT,
        ])
    })
    .await
    .unwrap();
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let folder = server.dir.path().join("out").join(VENUE).join("2025-11");
    files
        .iter()
        .map(|f| serde_json::from_slice(&std::fs::read(folder.join(f)).unwrap()).unwrap())
        .collect()
}

async fn post(
    server: &TestServer,
    token: Option<&str>,
    org: &str,
    body: Value,
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(server.api(&format!("/organisations/{org}/corrections")))
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

fn lines(declaration: &Value) -> Vec<(String, String, String)> {
    declaration["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["performance_id"].as_str().unwrap().to_string(),
                l["tax_base"].as_str().unwrap().to_string(),
                l["tax_due"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_correction_through_the_api_moves_the_next_runs_cnm_line_to_astp() {
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_sources(&server);
    let write = server
        .token("outil-ecriture", "write", Some(VENUE), None)
        .await;

    // Before: chanson → CNM. 10 × 20.00 = 200.00 incl.; excl. round(200 / 1.055) = 189.57;
    // tax round(189.57 × 3.5 %) = round(6.63495) = 6.63.
    let before = run_and_read(&server, &["cnm.json", "astp.json"]).await;
    let p1 = "tickets_csv:P1".to_string();
    assert_eq!(
        lines(&before[0]),
        [(p1.clone(), "189.57".into(), "6.63".into())]
    );
    assert!(lines(&before[1]).is_empty());

    // The performance is theatre (ASTP); the show's producer is not subsidised, so the
    // subsidised organiser owes the ASTP tax on it (domain.md §5).
    let (status, created) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"performance_id": p1, "field": "discipline", "value": "Théâtre",
               "reason": "le programme indiquait chanson par erreur", "by": "Claire Martin, administratrice"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["performance_id"], "tickets_csv:P1");
    assert_eq!(created["old_value"], "chanson_variete");
    assert_eq!(created["value"], "theatre");
    let (status, by_show) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"show_id": "VAGUES", "field": "producer_subsidised", "value": "non",
               "reason": "la compagnie n'est plus subventionnée", "by": "Claire Martin, administratrice"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{by_show}");
    assert_eq!(by_show["show_id"], "VAGUES");
    assert_eq!(by_show["old_value"], "yes");
    assert!(by_show.get("performance_id").is_none(), "{by_show}");

    // The next run re-imports the programme (which still says chanson): the corrections win.
    let after = run_and_read(&server, &["cnm.json", "astp.json"]).await;
    assert!(lines(&after[0]).is_empty(), "{}", after[0]);
    assert_eq!(
        lines(&after[1]),
        [(p1.clone(), "189.57".into(), "6.63".into())]
    );

    // Listed oldest first, with who and when; in the audit log with the token that sent them.
    let listed: Value = reqwest::Client::new()
        .get(server.api(&format!("/organisations/{VENUE}/corrections")))
        .bearer_auth(&write)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = listed["corrections"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["field"], "discipline");
    assert_eq!(items[1]["field"], "producer_subsidised");
    assert_eq!(items[0]["by"], "Claire Martin, administratrice");
    assert!(
        items[0]["at"].as_str().unwrap().ends_with("+01:00")
            || items[0]["at"].as_str().unwrap().ends_with("+02:00")
    );
    let audit = server.state.store().audit_log(VENUE).await.unwrap();
    let entry = audit.iter().find(|e| e.action == "correction").unwrap();
    assert_eq!(entry.actor, "jeton « outil-ecriture »");
    assert_eq!(entry.details["old_value"], "chanson_variete");
    assert_eq!(
        entry.details["reason"],
        "le programme indiquait chanson par erreur"
    );

    // Withdrawn: the programme's chanson applies again, back to CNM.
    let (status, withdrawn) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"performance_id": p1, "field": "discipline", "value": null,
               "reason": "retour au programme", "by": "Claire Martin, administratrice"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{withdrawn}");
    assert_eq!(withdrawn["value"], Value::Null);
    let again = run_and_read(&server, &["cnm.json"]).await;
    assert_eq!(lines(&again[0]), [(p1, "189.57".into(), "6.63".into())]);
    server.stop().await;
}

#[tokio::test]
async fn corrections_answer_the_status_codes_of_section_6() {
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    write_sources(&server);
    run_and_read(&server, &["cnm.json"]).await;
    let write = server.token("ecriture", "write", Some(VENUE), None).await;
    let read = server.token("lecture", "read", Some(VENUE), None).await;
    let other = server.token("autre", "write", Some(OTHER), None).await;
    let good = json!({"performance_id": "tickets_csv:P1", "field": "capacity", "value": "300",
                      "reason": "jauge réduite", "by": "Claire Martin"});

    let (status, body) = post(&server, None, VENUE, good.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, body) = post(&server, Some(&read), VENUE, good.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = post(&server, Some(&other), VENUE, good.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    let (status, body) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"performance_id": "tickets_csv:P1", "field": "discipline", "value": "opérette",
               "reason": "x", "by": "y"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "invalid");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("discipline inconnue « opérette »"),
        "{message}"
    );

    let (status, body) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"performance_id": "tickets_csv:INCONNUE", "field": "capacity", "value": "300",
               "reason": "x", "by": "y"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("INCONNUE"),
        "{body}"
    );

    let (status, body) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"performance_id": "tickets_csv:P1", "field": "couleur", "value": "bleu"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("champ « couleur » inconnu"), "{message}");
    assert!(message.contains("reason"), "{message}");

    let (status, _) = post(&server, Some(&write), VENUE, json!({"field": 3})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing to withdraw yet.
    let (status, body) = post(
        &server,
        Some(&write),
        VENUE,
        json!({"performance_id": "tickets_csv:P1", "field": "capacity", "value": null,
               "reason": "x", "by": "y"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let (status, body) = post(&server, Some(&write), VENUE, good).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["old_value"], "200");
    assert_eq!(body["value"], "300");
    server.stop().await;
}

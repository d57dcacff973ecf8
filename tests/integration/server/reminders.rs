//! Deadline reminders and run reports (issue 11) against the local SMTP sink, with an injected
//! clock: each reminder once at its threshold, never for a declaration already sent, a run
//! report after a scheduled run, and `releve submit` without arguments sending what is due
//! exactly once.
//!
//! Scenario (hand-computed): one jazz concert, « Nuit Jazz », 28 November 2025 at 20:30, two
//! paid tickets. Deadlines (rules.toml): SACEM the last day of the month after the show →
//! 31/12/2025; SIBIL before the 10th of the quarter's first month → 09/01/2026; CNM the last
//! day of the 3rd month after → 28/02/2026, and ASTP's (a declaration without lines) the same
//! day. Thresholds `days_before = [7, 2]` (the default).

use super::harness::{Setup, TestServer, VENUE};
use crate::submit::smtp_sink::{self, Inbox, Received};
use releve::reminders::ReminderReport;
use releve_domain::FixedClock;
use releve_store::{JobOutcome, JobRequest, Worker, RUN_JOB};

pub const HEADER: &str = "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,venue_city,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at\n";

pub fn tickets() -> String {
    format!(
        "{HEADER}J-1,PJ,,Nuit Jazz,2025-11-28 20:30,Club,44000,Nantes,Plein tarif,full,15.00,5.5,valid,2025-10-01T10:00:00+02:00\n\
         J-2,PJ,,Nuit Jazz,2025-11-28 20:30,Club,44000,Nantes,Plein tarif,full,15.00,5.5,valid,2025-10-01T10:00:00+02:00\n"
    )
}

pub const PROGRAMME: &str = "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;venue_type;capacity;discipline;audience;producer_name;producer_siret;producer_subsidised;free_admission;cession_price_excl_vat;creation;cancelled\n\
PJ;Nuit Jazz;2025-11-28 20:30;Club;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;jazz;;;;;;;;\n";

pub const PROGRAMME_SOURCE: &str =
    "\n  [[organisation.source]]\n  kind = \"programme_csv\"\n  path = \"programme.csv\"\n";

const CONTACT: &str = "administration@theatre-des-digues.fr";

/// A Paris wall-clock time as an instant.
pub fn paris(local: &str) -> chrono::DateTime<chrono::Utc> {
    releve_domain::calendar::parse_instant(local).unwrap()
}

/// The scenario with `[mail]` pointing at the sink on `port`, November 2025 run.
async fn november_with_mail(port: u16) -> TestServer {
    let root = format!(
        "[mail]\nsmtp_url = \"smtp://127.0.0.1:{port}\"\nfrom = \"releve@theatre-des-digues.fr\"\n\
         [server]\npublic_url = \"https://releve.example.org\"\n"
    );
    let venue = format!("contact_email = \"{CONTACT}\"\n{PROGRAMME_SOURCE}");
    let server = TestServer::start_setup(Setup {
        extra_root: &root,
        extra_venue: &venue,
        files: &[
            ("tickets.csv", &tickets()),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
        ..Setup::default()
    })
    .await;
    assert_eq!(server.run_month("2025-11").await, 0);
    server
}

async fn pass(server: &TestServer, local: &str) -> ReminderReport {
    releve::reminders::process_due(
        server.state.config(),
        server.state.store(),
        &FixedClock(paris(local)),
    )
    .await
    .expect("reminders pass")
}

fn taken(inbox: &Inbox) -> Vec<Received> {
    std::mem::take(&mut *inbox.lock().unwrap())
}

/// The decoded text part of a message (lettre writes French text quoted-printable or base64).
pub fn text_part(data: &str) -> String {
    let start = data
        .find("Content-Type: text/plain")
        .expect("a text/plain part");
    let part = &data[start..];
    let (headers, rest) = part.split_once("\r\n\r\n").expect("part headers");
    let body = rest.split("\r\n--").next().unwrap();
    if headers.contains("Content-Transfer-Encoding: base64") {
        let clean: String = body.split_whitespace().collect();
        String::from_utf8(base64_decode(&clean)).unwrap()
    } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        String::from_utf8(quoted_printable_decode(body)).unwrap()
    } else {
        body.to_string()
    }
}

fn quoted_printable_decode(text: &str) -> Vec<u8> {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let value = ALPHABET.iter().position(|a| *a == c).unwrap() as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

fn message_id(key: &str) -> String {
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("<releve.{}@theatre-des-digues.fr>", &hash[..32])
}

#[tokio::test]
async fn each_deadline_is_reminded_once_per_threshold_and_never_once_sent() {
    let (port, inbox) = smtp_sink::start().await;
    let server = november_with_mail(port).await;
    let versions = server
        .state
        .store()
        .versions(VENUE, None, None)
        .await
        .unwrap();
    let deadlines: Vec<(String, String)> = releve::reminders::deadlines::of_versions(&versions)
        .iter()
        .map(|d| (d.body.clone(), d.date.to_string()))
        .collect();
    let expected = [
        ("sacem", "2025-12-31"),
        ("sibil", "2026-01-09"),
        ("astp", "2026-02-28"),
        ("cnm", "2026-02-28"),
    ]
    .map(|(b, d)| (b.to_string(), d.to_string()));
    assert_eq!(deadlines, expected);

    // 23 December: SACEM is 8 days away, nothing is due.
    assert!(pass(&server, "2025-12-23 18:00").await.rows.is_empty());
    assert!(taken(&inbox).is_empty());

    // 24 December: 7 days before SACEM's deadline.
    let report = pass(&server, "2025-12-24 08:00").await;
    assert_eq!(report.rows.len(), 1, "{:?}", report.rows);
    let mail = taken(&inbox);
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m.to, vec![format!("<{CONTACT}>")]);
    assert_eq!(m.from, "<releve@theatre-des-digues.fr>");
    let key = "theatre-des-digues:deadline:sacem:2025-11:2025-12-31:J-7";
    assert!(
        m.data.contains(&format!("Message-ID: {}", message_id(key))),
        "{}",
        m.data
    );
    assert!(m.data.contains("Content-Type: text/html"), "{}", m.data);
    let text = text_part(&m.data);
    assert!(
        text.contains("La déclaration SACEM de novembre 2025 pour Théâtre des Digues est à envoyer au plus tard le 31/12/2025 (dans 7 jours)."),
        "{text}"
    );
    assert!(
        text.contains(
            "Ouvrir la déclaration : https://releve.example.org/o/theatre-des-digues/2025-11/sacem"
        ),
        "{text}"
    );
    // The same day again, and a restart later the same week: nothing twice.
    assert!(pass(&server, "2025-12-24 08:01").await.rows.is_empty());
    assert!(pass(&server, "2025-12-27 09:00").await.rows.is_empty());
    assert!(taken(&inbox).is_empty());

    // 29 December: 2 days before SACEM (SIBIL is 11 days away).
    let report = pass(&server, "2025-12-29 07:30").await;
    let keys: Vec<&str> = report.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        ["theatre-des-digues:deadline:sacem:2025-11:2025-12-31:J-2"]
    );
    assert_eq!(taken(&inbox).len(), 1);

    // SIBIL is sent before its 2-day threshold: its J-7 goes, its J-2 never does.
    let report = pass(&server, "2026-01-02 10:00").await;
    let keys: Vec<&str> = report.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        ["theatre-des-digues:deadline:sibil:2025-11:2026-01-09:J-7"]
    );
    let store = server.state.store();
    let month: releve_domain::Month = "2025-11".parse().unwrap();
    store
        .approve(
            VENUE,
            "sibil",
            month,
            1,
            "Claire Martin",
            paris("2026-01-03 10:00"),
        )
        .await
        .unwrap();
    store
        .mark_submitted(
            VENUE,
            "sibil",
            month,
            1,
            "Claire Martin",
            "api",
            "SIBIL-1",
            paris("2026-01-03 10:05"),
        )
        .await
        .unwrap();
    assert!(pass(&server, "2026-01-08 10:00").await.rows.is_empty());
    assert_eq!(taken(&inbox).len(), 1, "only the SIBIL J-7 of 2 January");
    server.stop().await;
}

/// A scheduled run that finished at `finished` (Paris), with exit status 1.
async fn scheduled_job(server: &TestServer, finished: chrono::DateTime<chrono::Utc>) -> i64 {
    let store = server.state.store();
    let request = JobRequest {
        org: VENUE.into(),
        month: "2025-11".parse().unwrap(),
        kind: RUN_JOB.into(),
        requested_by: releve::server::schedule::REQUESTER.into(),
        params: serde_json::json!({"scheduled_for": "2025-12-05T05:00:00+00:00"}),
    };
    let job = store.enqueue_job(&request, finished).await.unwrap().job;
    let claimed = store
        .claim_job(
            &releve_store::JobFilter::default(),
            &Worker::this_process("test"),
            finished,
            std::time::Duration::from_secs(60),
        )
        .await
        .unwrap()
        .expect("the job is claimed");
    assert_eq!(claimed.id, job.id);
    assert!(store
        .finish_job(&claimed, finished, &JobOutcome::from_exit_status(1, None))
        .await
        .unwrap());
    job.id
}

#[tokio::test]
async fn a_scheduled_run_is_reported_once_with_what_was_computed_and_what_needs_a_person() {
    let (port, inbox) = smtp_sink::start().await;
    let server = november_with_mail(port).await;
    let id = scheduled_job(&server, paris("2025-12-05 06:02")).await;
    // The same instant: no deadline is within 7 days yet (SACEM 31/12 is 26 days away).
    let report = pass(&server, "2025-12-05 06:03").await;
    let keys: Vec<&str> = report.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, [format!("theatre-des-digues:run_report:job-{id}")]);
    let mail = taken(&inbox);
    assert_eq!(mail.len(), 1);
    let text = text_part(&mail[0].data);
    assert!(
        text.contains("Le relevé mensuel planifié de novembre 2025 pour Théâtre des Digues s'est terminé le 05/12/2025 à 06:02 : terminé, à vérifier."),
        "{text}"
    );
    // 2 × 15,00 € TTC → 28,44 € HT → CNM 1,00 € (round(28.44 × 3.5 %)).
    let one_euro =
        releve_declarations::render::fr::money(releve_domain::Money::parse("1.00").unwrap());
    assert!(one_euro.starts_with("1,00") && one_euro.ends_with('€'));
    assert!(
        text.contains(&format!(
            "- CNM : version 1, brouillon, {one_euro} estimés, au plus tard le 28/02/2026"
        )),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_end() == "- SACD : version 1, brouillon"),
        "no deadline: {text}"
    );
    assert!(
        text.contains("À traiter par une personne : 2 point(s), dont 0 bloquant(s)."),
        "{text}"
    );
    assert!(
        text.contains("- SACEM : version 1, brouillon, au plus tard le 31/12/2025"),
        "{text}"
    );
    assert!(
        text.contains("Ouvrir le mois : https://releve.example.org/o/theatre-des-digues/2025-11"),
        "{text}"
    );
    // Once only.
    assert!(pass(&server, "2025-12-05 06:04").await.rows.is_empty());
    assert!(taken(&inbox).is_empty());
    server.stop().await;
}

#[tokio::test]
async fn releve_submit_without_arguments_sends_the_due_run_report_once() {
    let (port, inbox) = smtp_sink::start().await;
    let server = november_with_mail(port).await;
    // The binary runs on the real clock: a scheduled run that finished just now.
    let id = scheduled_job(&server, chrono::Utc::now()).await;
    let config = server.config_path.clone();
    let out = server.out();
    let submit = move || {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_releve"))
            .args(["submit", "--config", config.to_str().unwrap(), "--out"])
            .arg(&out)
            .env_remove("RELEVE_SMTP_USER")
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).to_string()
    };
    let submit_again = submit.clone();
    let first = tokio::task::spawn_blocking(submit).await.unwrap();
    assert!(
        first.contains(&format!(
            "theatre-des-digues : e-mail envoyé à {CONTACT} — Relevé de novembre 2025"
        )),
        "{first}"
    );
    let second = tokio::task::spawn_blocking(submit_again).await.unwrap();
    assert!(!second.contains("e-mail envoyé"), "{second}");
    let mail = taken(&inbox);
    assert_eq!(mail.len(), 1, "{mail:?}");
    let key = format!("theatre-des-digues:run_report:job-{id}");
    assert!(mail[0]
        .data
        .contains(&format!("Message-ID: {}", message_id(&key))));
    server.stop().await;
}

#[tokio::test]
async fn without_a_contact_address_nothing_is_sent() {
    let (port, inbox) = smtp_sink::start().await;
    let root = format!(
        "[mail]\nsmtp_url = \"smtp://127.0.0.1:{port}\"\nfrom = \"releve@theatre-des-digues.fr\"\n"
    );
    let server = TestServer::start_setup(Setup {
        extra_root: &root,
        extra_venue: PROGRAMME_SOURCE,
        files: &[
            ("tickets.csv", &tickets()),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
        ..Setup::default()
    })
    .await;
    assert_eq!(server.run_month("2025-11").await, 0);
    scheduled_job(&server, paris("2025-12-24 06:00")).await;
    // SACEM's J-7 and a fresh run report would both be due, but there is nobody to tell.
    assert!(pass(&server, "2025-12-24 08:00").await.rows.is_empty());
    assert!(taken(&inbox).is_empty());
    server.stop().await;
}

//! `releve submit` end to end: the binary against local SIBIL and SACD services shaped like
//! the real ones, the CNM deposit package and its receipt, refusals said in French, crashes at
//! each step of a send, and no secret anywhere in the database or the output.

mod fake_sacd;
mod fake_sibil;
pub mod smtp_sink;

use crate::month_run::november;
use crate::support::*;
use std::process::Command;
use std::sync::{Arc, Mutex};

struct Services {
    runtime: tokio::runtime::Runtime,
    sibil: fake_sibil::Shared,
    sacd: fake_sacd::Shared,
    sibil_url: String,
    sacd_url: String,
}

impl Services {
    fn start() -> Services {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sibil = Arc::new(Mutex::new(fake_sibil::SibilState::default()));
        let sacd = Arc::new(Mutex::new(fake_sacd::SacdState::default()));
        let serve = |router: axum::Router| {
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
                format!("http://{addr}")
            })
        };
        let sibil_url = serve(fake_sibil::router(sibil.clone()));
        let sacd_url = serve(fake_sacd::router(sacd.clone()));
        Services {
            runtime,
            sibil,
            sacd,
            sibil_url,
            sacd_url,
        }
    }
}

/// November's scenario with both channels configured, the month run and SIBIL and SACD
/// approved.
fn approved(services: &Services) -> Scenario {
    let mut s = november();
    s.extra_root_keys = format!(
        "[channels.sibil]\nbase_url = \"{}\"\n[channels.sacd]\nbase_url = \"{}\"\ncredentials_env = \"SACD_TEST\"\n\n",
        services.sibil_url, services.sacd_url
    );
    s.extra_org_keys = "sibil_credentials_env = \"SIBIL_TEST\"\n".into();
    s.run_month("2025-11").assert_status(0);
    for body in ["sibil", "sacd", "cnm"] {
        let (status, out) = releve_env(
            &s,
            &[
                "approve",
                "--month",
                "2025-11",
                "--body",
                body,
                "--by",
                "Claire Martin, directrice",
            ],
            None,
        );
        assert_eq!(status, 0, "{out}");
    }
    s
}

/// Runs the binary with the channels' secrets in its environment; `kill_at` sets a kill point
/// (`submit.after_request:1`).
fn releve_env(s: &Scenario, args: &[&str], kill_at: Option<&str>) -> (i32, String) {
    let config = s.write_config();
    let out = s.path("out");
    let mut all: Vec<&str> = vec![args[0], "--config", config.to_str().unwrap()];
    all.extend_from_slice(&args[1..]);
    if args[0] == "submit" {
        all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_releve"));
    command
        .args(&all)
        .env("RELEVE_LOG", "debug")
        .env("SIBIL_TEST_USERNAME", fake_sibil::USER)
        .env("SIBIL_TEST_PASSWORD", fake_sibil::PASSWORD)
        .env("SACD_TEST_PROVIDER_NAME", fake_sacd::PROVIDER)
        .env("SACD_TEST_REFFILE", fake_sacd::REFFILE)
        .env("SACD_TEST_PASSWORD", fake_sacd::PASSWORD)
        .env("SACD_TEST_CONSUMER_KEY", fake_sacd::CONSUMER_KEY)
        .env("SACD_TEST_SECRET_KEY", fake_sacd::SECRET_KEY)
        .env_remove("RELEVE_TEST_KILL_AT");
    if let Some(point) = kill_at {
        // The crash harness of the store (`releve_store::faults`): `submit.<step>:<n>`.
        command.env("RELEVE_TEST_KILL_AT", point);
    }
    let output = command.output().expect("run releve");
    let text = format!(
        "{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn submit(s: &Scenario, body: &str, kill_at: Option<&str>) -> (i32, String) {
    releve_env(
        s,
        &[
            "submit",
            "--month",
            "2025-11",
            "--body",
            body,
            "--by",
            "Claire Martin, directrice",
        ],
        kill_at,
    )
}

/// Every byte of the SQLite database (main file and WAL), to grep for secrets.
fn database_bytes(s: &Scenario) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["releve.db", "releve.db-wal"] {
        if let Ok(bytes) = std::fs::read(s.path(name)) {
            all.extend(bytes);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

const SECRETS: [&str; 5] = [
    fake_sibil::PASSWORD,
    fake_sacd::PASSWORD,
    fake_sacd::CONSUMER_KEY,
    fake_sacd::SECRET_KEY,
    "jeton-sibil-1",
];

/// The SIBIL ids of November's approved model.
fn sibil_ids(s: &Scenario) -> Vec<String> {
    let model: serde_json::Value = serde_json::from_slice(
        &std::fs::read(s.path("out/theatre-des-digues/2025-11/sibil.json")).unwrap(),
    )
    .unwrap();
    model["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["idExtBilletterie"].as_str().unwrap().to_string())
        .collect()
}

fn sacd_refs(s: &Scenario) -> Vec<String> {
    let xml = std::fs::read_to_string(s.path("out/theatre-des-digues/2025-11/sacd.xml")).unwrap();
    xml.split("<rep_ref_dec>")
        .skip(1)
        .map(|p| p.split('<').next().unwrap().to_string())
        .collect()
}

#[test]
fn sibil_and_sacd_go_out_once_with_proof_and_no_secret_is_kept() {
    let services = Services::start();
    // The first SIBIL token expires after 3 calls: the client logs in again and goes on.
    services.sibil.lock().unwrap().expire_first_token_after = Some(3);
    let s = approved(&services);
    let ids = sibil_ids(&s);
    assert!(ids.len() >= 2, "{ids:?}");

    let (status, out) = submit(&s, "sibil", None);
    assert_eq!(status, 0, "{out}");
    let mut printed = out.clone();
    let n = ids.len();
    assert!(
        out.contains(&format!(
            "SIBIL : {n} déclarations acceptées ({n} créées, 0 mise à jour)"
        )),
        "{out}"
    );
    {
        let sibil = services.sibil.lock().unwrap();
        assert_eq!(sibil.logins, 2, "token renewed once after the 401");
        assert_eq!(sibil.posts as usize, n);
        let held: Vec<String> = sibil
            .declarations
            .iter()
            .map(|d| d["idExtBilletterie"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(held, ids);
    }

    let (status, out) = submit(&s, "sacd", None);
    assert_eq!(status, 0, "{out}");
    printed += &out;
    let refs = sacd_refs(&s);
    assert!(
        out.contains(&format!("SACD : {} représentation", refs.len())),
        "{out}"
    );
    {
        let sacd = services.sacd.lock().unwrap();
        assert_eq!(sacd.declaration_posts, 1);
        let keys: Vec<(String, String, String)> = refs
            .iter()
            .map(|r| ("654321".to_string(), r.clone(), "1".to_string()))
            .collect();
        assert_eq!(sacd.received.keys().cloned().collect::<Vec<_>>(), {
            let mut k = keys;
            k.sort();
            k
        });
    }

    // Again: nothing is sent twice; the rows and the versions say accepted.
    let (status, out) = submit(&s, "sibil", None);
    assert_eq!(status, 0, "{out}");
    let (status, out) = releve_env(&s, &["submit"], None);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("theatre-des-digues sibil 2025-11 v1 (API SIBIL) : acceptée"),
        "{out}"
    );
    assert!(
        out.contains(
            "theatre-des-digues sacd 2025-11 v1 (télétransmission SACD, rep_version 1) : acceptée"
        ),
        "{out}"
    );
    assert_eq!(services.sibil.lock().unwrap().posts as usize, n);
    assert_eq!(services.sibil.lock().unwrap().puts, 0);
    assert_eq!(services.sacd.lock().unwrap().declaration_posts, 1);
    let (_, listing) = releve_env(&s, &["versions", "--month", "2025-11"], None);
    assert!(listing.contains("2025-11 sibil v1 — acceptée"), "{listing}");
    assert!(listing.contains("2025-11 sacd v1 — acceptée"), "{listing}");

    let db = database_bytes(&s);
    assert!(
        contains(&db, "parameters[Declaration]"),
        "the SACD request is kept"
    );
    for secret in SECRETS {
        assert!(!contains(&db, secret), "{secret} found in the database");
        assert!(
            // stdout and stderr (debug logs) of the sending commands too.
            !printed.contains(secret) && !out.contains(secret) && !listing.contains(secret),
            "{secret} printed"
        );
    }
    drop(services.runtime);
}

#[test]
fn refusals_are_said_in_french_with_what_to_fix() {
    let services = Services::start();
    let s = approved(&services);
    let ids = sibil_ids(&s);
    services.sibil.lock().unwrap().refuse_id_ext = Some(ids[0].clone());
    let refs = sacd_refs(&s);
    services.sacd.lock().unwrap().ko_ref = Some(refs[0].clone());

    let (status, out) = submit(&s, "sibil", None);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("(API SIBIL) : rejetée"), "{out}");
    assert!(
        out.contains(&format!(
            "SIBIL : 1 déclaration sur {} refusée ({} acceptée",
            ids.len(),
            ids.len() - 1
        )),
        "{out}"
    );
    assert!(
        out.contains("La jauge est obligatoire pour une représentation payante"),
        "{out}"
    );
    assert!(out.contains("Corrigez puis relancez `releve run`"), "{out}");
    // The others went.
    assert_eq!(
        services.sibil.lock().unwrap().declarations.len(),
        ids.len() - 1
    );

    let (status, out) = submit(&s, "sacd", None);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("SACD : 1 ligne refusée sur"), "{out}");
    assert!(
        out.contains(&format!(
            "({}), champ salle_jauge : La jauge doit être renseignée",
            refs[0]
        )),
        "{out}"
    );
    let (_, listing) = releve_env(&s, &["versions", "--month", "2025-11"], None);
    assert!(listing.contains("2025-11 sacd v1 — rejetée"), "{listing}");
    drop(services.runtime);
}

#[test]
fn a_deposit_package_waits_for_the_receipt_of_the_portal() {
    let services = Services::start();
    let s = approved(&services);
    let (status, out) = submit(&s, "cnm", None);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("(dossier de dépôt) : transmise"), "{out}");
    assert!(
        out.contains("releve submitted --month 2025-11 --body cnm --version 1"),
        "{out}"
    );
    let folder = s.path("out/theatre-des-digues/2025-11/depot/cnm.v1");
    for name in ["cnm.csv", "cnm.pdf", "A-LIRE-depot.txt"] {
        assert!(folder.join(name).exists(), "{name} missing in the package");
    }
    assert_eq!(
        std::fs::read(folder.join("cnm.csv")).unwrap(),
        std::fs::read(s.path("out/theatre-des-digues/2025-11/cnm.csv")).unwrap()
    );
    let note = std::fs::read_to_string(folder.join("A-LIRE-depot.txt")).unwrap();
    assert!(
        note.contains("Portail : https://cnm.fr/taxe/declaration/"),
        "{note}"
    );
    let (status, out) = releve_env(
        &s,
        &[
            "submitted",
            "--month",
            "2025-11",
            "--body",
            "cnm",
            "--version",
            "1",
            "--by",
            "Claire Martin",
            "--channel",
            "portail",
            "--receipt",
            "CNM-2025-000123",
        ],
        None,
    );
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("récépissé enregistré"), "{out}");
    let (status, out) = releve_env(&s, &["submit"], None);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("cnm 2025-11 v1 (dossier de dépôt) : acceptée — CNM-2025-000123"),
        "{out}"
    );
    drop(services.runtime);
}

/// Killed before the request, after the request before the answer is stored, after storing
/// (and, for SIBIL, after the second of several declarations was answered): after a restart,
/// SIBIL and SACD hold exactly one declaration per performance and the rows and versions are
/// accepted. SIBIL is asked what it holds (`idExtBilletterie`) before sending again; SACD keys
/// its lines on `rep_ref_dec` + `rep_version`.
#[test]
fn a_kill_at_any_step_of_a_send_never_sends_twice_nor_forgets() {
    for (point, n) in [
        ("before_request", 1),
        ("after_request", 1),
        ("after_request", 2),
        ("after_store", 1),
    ] {
        let services = Services::start();
        let s = approved(&services);
        let ids = sibil_ids(&s);
        let refs = sacd_refs(&s);
        let spec = format!("submit.{point}:{n}");
        for body in ["sibil", "sacd"] {
            if body == "sacd" && n > 1 {
                // One request per bordereau: the second is never reached.
                continue;
            }
            let (status, out) = submit(&s, body, Some(&spec));
            assert_eq!(
                status, -1,
                "{spec}: the process should have been killed\n{out}"
            );
            assert!(out.contains(&format!("RELEVE_TEST_KILLED {spec}")), "{out}");
        }
        // Restart: cron's `releve submit` without a body takes the crashed rows again.
        let (status, out) = releve_env(&s, &["submit"], None);
        if n > 1 {
            // SACD was not sent before the restart: it goes now, once.
            let (status, out) = submit(&s, "sacd", None);
            assert_eq!(status, 0, "{spec}\n{out}");
        }
        assert_eq!(status, 0, "{spec}\n{out}");
        assert!(
            out.contains("sibil 2025-11 v1 (API SIBIL) : acceptée"),
            "{spec}\n{out}"
        );
        let sibil = services.sibil.lock().unwrap();
        let held: Vec<String> = sibil
            .declarations
            .iter()
            .map(|d| d["idExtBilletterie"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(held, ids, "{spec}: one SIBIL declaration per performance");
        // Killed after SIBIL answered the n-th creation: the restart finds the n created ones
        // and updates them.
        let puts = if point == "after_request" { n } else { 0 };
        assert_eq!(
            (sibil.posts, sibil.puts),
            (ids.len() as u32, puts),
            "{spec}"
        );
        let sacd = services.sacd.lock().unwrap();
        assert_eq!(
            sacd.received.len(),
            refs.len(),
            "{spec}: one SACD line per performance"
        );
        let expected_posts = if point == "after_request" && n == 1 {
            2
        } else {
            1
        };
        assert_eq!(sacd.declaration_posts, expected_posts, "{spec}");
        drop(sibil);
        drop(sacd);
        let (_, listing) = releve_env(&s, &["versions", "--month", "2025-11"], None);
        assert!(
            listing.contains("2025-11 sibil v1 — acceptée"),
            "{spec}\n{listing}"
        );
        assert!(
            listing.contains("2025-11 sacd v1 — acceptée"),
            "{spec}\n{listing}"
        );
        drop(services);
    }
}

/// November with `[mail]` on the local sink at `port`, SACEM by e-mail, the month run and
/// SACEM approved.
fn sacem_approved(port: u16) -> Scenario {
    let mut s = november();
    s.extra_root_keys = format!(
        "[mail]\nsmtp_url = \"smtp://127.0.0.1:{port}\"\nfrom = \"releve@theatre-des-digues.fr\"\n[channels.sacem]\n\n"
    );
    s.extra_org_keys = "contact_email = \"administration@theatre-des-digues.fr\"\n".into();
    s.run_month("2025-11").assert_status(0);
    let (status, out) = releve_env(
        &s,
        &[
            "approve",
            "--month",
            "2025-11",
            "--body",
            "sacem",
            "--by",
            "Claire Martin, directrice",
        ],
        None,
    );
    assert_eq!(status, 0, "{out}");
    s
}

/// The e-mail killed at each step: SMTP cannot be asked what it delivered, so a kill after
/// the server accepted the message and before releve stored that sends it again on restart —
/// with the same `Message-ID`, which the delegation's mail system recognises as one message.
/// Before the request and after storing, it goes exactly once.
#[test]
fn a_kill_during_the_sacem_e_mail_resends_at_most_the_same_message() {
    for point in ["before_request", "after_request", "after_store"] {
        let services = Services::start();
        let (port, inbox) = services.runtime.block_on(smtp_sink::start());
        let s = sacem_approved(port);
        let spec = format!("submit.{point}:1");
        let (status, out) = submit(&s, "sacem", Some(&spec));
        assert_eq!(status, -1, "{spec}\n{out}");
        assert!(out.contains(&format!("RELEVE_TEST_KILLED {spec}")), "{out}");
        let (status, out) = releve_env(&s, &["submit"], None);
        assert_eq!(status, 0, "{spec}\n{out}");
        assert!(
            out.contains("(e-mail à la SACEM) : transmise"),
            "{spec}\n{out}"
        );
        let messages = inbox.lock().unwrap().clone();
        let expected = if point == "after_request" { 2 } else { 1 };
        assert_eq!(messages.len(), expected, "{spec}");
        let ids: Vec<&str> = messages
            .iter()
            .map(|m| {
                m.data
                    .lines()
                    .find(|l| l.starts_with("Message-ID: "))
                    .expect("a Message-ID header")
            })
            .collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "{spec}: {ids:?}");
        let (_, listing) = releve_env(&s, &["versions", "--month", "2025-11"], None);
        assert!(
            listing.contains("2025-11 sacem v1 — transmise"),
            "{spec}\n{listing}"
        );
        drop(services);
    }
}

#[test]
fn sacem_goes_by_e_mail_to_the_delegation_once_with_a_stable_message_id() {
    let services = Services::start();
    let (port, inbox) = services.runtime.block_on(smtp_sink::start());
    let s = sacem_approved(port);
    let model: serde_json::Value = serde_json::from_slice(
        &std::fs::read(s.path("out/theatre-des-digues/2025-11/sacem.json")).unwrap(),
    )
    .unwrap();
    let delegation = model["agency"]["email"]
        .as_str()
        .expect("delegation e-mail for 44000")
        .to_string();

    let (status, out) = submit(&s, "sacem", None);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("(e-mail à la SACEM) : transmise"), "{out}");
    // Again: the row is done, nothing is sent twice.
    let (status, out) = submit(&s, "sacem", None);
    assert_eq!(status, 0, "{out}");
    let messages = inbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert_eq!(m.to, vec![format!("<{delegation}>")]);
    assert_eq!(m.from, "<releve@theatre-des-digues.fr>");
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(b"theatre-des-digues:sacem:2025-11:v1:email")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let id = format!("<releve.{}@theatre-des-digues.fr>", &hash[..32]);
    assert!(m.data.contains(&format!("Message-ID: {id}")), "{}", m.data);
    assert!(
        m.data
            .contains("Reply-To: administration@theatre-des-digues.fr"),
        "{}",
        m.data
    );
    assert!(
        m.data.contains("Content-Type: application/pdf"),
        "{}",
        m.data
    );
    // « Déclaration SACEM - theatre-des-digues.pdf », RFC 2231-encoded by lettre.
    assert!(
        m.data
            .contains("filename*0*=utf-8''D%C3%A9claration%20SACEM%20-%20theatre-de"),
        "{}",
        m.data
    );
    let (_, listing) = releve_env(&s, &["versions", "--month", "2025-11"], None);
    assert!(
        listing.contains("2025-11 sacem v1 — transmise"),
        "{listing}"
    );
    drop(services);
}

/// A refund after SIBIL and SACD accepted version 1: the amendment (version 2) updates the same
/// `idExtBilletterie` in SIBIL and goes to SACD with `rep_version` 2.
#[test]
fn an_amendment_goes_out_under_the_same_ids_with_the_next_rep_version() {
    let services = Services::start();
    let s = approved(&services);
    let ids = sibil_ids(&s);
    for body in ["sibil", "sacd"] {
        let (status, out) = submit(&s, body, None);
        assert_eq!(status, 0, "{out}");
    }
    // T1-1 (Les Vagues, 18.00) refunded after the sending.
    let tickets = crate::month_run::november_tickets().replace(
        "T1-1,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,valid",
        "T1-1,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,refunded",
    );
    assert_ne!(tickets, crate::month_run::november_tickets());
    s.write("tickets.csv", tickets);
    s.run_month("2025-11").assert_status(1);
    for body in ["sibil", "sacd"] {
        let (status, out) = releve_env(
            &s,
            &[
                "approve",
                "--month",
                "2025-11",
                "--body",
                body,
                "--by",
                "Claire Martin, directrice",
            ],
            None,
        );
        assert_eq!(status, 0, "{out}");
        assert!(out.contains("version 2 approuvée"), "{out}");
        let (status, out) = submit(&s, body, None);
        assert_eq!(status, 0, "{out}");
        assert!(out.contains(&format!("{body} 2025-11 v2")), "{out}");
    }
    let sibil = services.sibil.lock().unwrap();
    let held: Vec<String> = sibil
        .declarations
        .iter()
        .map(|d| d["idExtBilletterie"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(held, ids, "still one SIBIL declaration per performance");
    assert_eq!(sibil.posts as usize, ids.len());
    assert_eq!(
        sibil.puts as usize,
        ids.len(),
        "version 2 updates every declaration in place"
    );
    let p1 = sibil
        .declarations
        .iter()
        .find(|d| d["idExtBilletterie"] == ids[0])
        .unwrap();
    // P1: 4 paid tickets (3 × 18.00 + 30.00) and 1 invitation; one 18.00 refunded → 4 in all.
    assert_eq!(p1["nbBilletsTotalBilletterie"], 4, "{p1}");
    let sacd = services.sacd.lock().unwrap();
    assert!(
        sacd.received.contains_key(&(
            "654321".to_string(),
            "tickets_csv:P1".to_string(),
            "2".to_string()
        )),
        "{:?}",
        sacd.received
    );
}

#[test]
fn a_weekly_sacd_bordereau_goes_out_through_the_outbox_once() {
    let services = Services::start();
    let mut s = november();
    s.extra_root_keys = format!(
        "[channels.sacd]\nbase_url = \"{}\"\ncredentials_env = \"SACD_TEST\"\n\n",
        services.sacd_url
    );
    let out = s.path("out");
    let week = [
        "--body",
        "sacd",
        "--from",
        "2025-11-14",
        "--to",
        "2025-11-20",
    ];
    let mut run = vec!["run"];
    run.extend_from_slice(&week);
    run.extend_from_slice(&[
        "--out",
        out.to_str().unwrap(),
        "--generated-at",
        "2025-11-21T09:00:00+01:00",
    ]);
    let (status, text) = releve_env(&s, &run, None);
    assert_eq!(status, 0, "{text}");
    // Not approved: nothing to send.
    let mut submit = vec!["submit"];
    submit.extend_from_slice(&week);
    submit.extend_from_slice(&["--by", "Claire Martin, directrice"]);
    let (status, text) = releve_env(&s, &submit, None);
    assert_eq!(status, 2, "{text}");
    assert!(text.contains("aucune version approuvée"), "{text}");
    let mut approve = vec!["approve"];
    approve.extend_from_slice(&week);
    approve.extend_from_slice(&["--by", "Claire Martin, directrice"]);
    let (status, text) = releve_env(&s, &approve, None);
    assert_eq!(status, 0, "{text}");
    // Sent once, under the performances' ids and rep_version 1; a second submit sends nothing.
    for _ in 0..2 {
        let (status, text) = releve_env(&s, &submit, None);
        assert_eq!(status, 0, "{text}");
        assert!(text.contains("sacd 2025-11-14_2025-11-20 v1"), "{text}");
    }
    {
        let sacd = services.sacd.lock().unwrap();
        assert_eq!(sacd.declaration_posts, 1);
        let keys: Vec<(String, String, String)> = sacd.received.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                ("654321".into(), "tickets_csv:P1".into(), "1".into()),
                ("654321".into(), "tickets_csv:P4".into(), "1".into()),
            ]
        );
    }
    // The version follows its row: transmitted, then accepted by SACD.
    let (_, text) = releve_env(&s, &["versions"], None);
    assert!(
        text.contains("du 2025-11-14 au 2025-11-20 sacd v1 — acceptée (v1)"),
        "{text}"
    );
    // November's bordereau no longer has them: SACD never receives them twice.
    let r = s.run_month("2025-11");
    let month: serde_json::Value =
        serde_json::from_slice(&r.bytes("2025-11", "sacd.json")).unwrap();
    assert!(month["lines"].as_array().unwrap().is_empty(), "{month:#}");
    assert_eq!(month["already_declared"].as_array().unwrap().len(), 2);
}

/// `serve --out DIR` works the outbox with the approved files of DIR: a CNM row queued while
/// the files were in `out/` is delivered after the folder moved to `sorties/`, because the
/// payload names files inside the output folder and the worker reads the server's own.
#[test]
fn serve_works_the_outbox_with_the_files_of_its_out_folder() {
    let services = Services::start();
    let s = approved(&services);
    let config_path = s.write_config();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let key = runtime.block_on(async {
        let config = releve::config::Config::load(&config_path).unwrap();
        let store = releve_store::Store::connect(&config.database_url)
            .await
            .unwrap();
        let out = s.path("out");
        let request = releve::submit::QueueRequest {
            org: &config.organisations[0],
            body: "cnm",
            month: "2025-11".parse().unwrap(),
            span: releve_store::Span::Month("2025-11".parse().unwrap()),
            version: None,
            by: "Claire Martin, directrice",
            out: &out,
        };
        let row =
            releve::submit::queue::queue(&config, &store, &releve_domain::SystemClock, &request)
                .await
                .unwrap();
        assert_eq!(row.state, releve_store::OutboxState::Queued);
        let files = row.payload["files"].as_array().unwrap();
        for f in files {
            let path = f["path"].as_str().unwrap();
            assert!(
                path.starts_with("theatre-des-digues/2025-11/"),
                "paths are inside the output folder: {path}"
            );
        }
        store.close().await;
        row.idempotency_key
    });
    std::fs::rename(s.path("out"), s.path("sorties")).unwrap();

    let sorties = s.path("sorties");
    let mut server = crate::child::spawn(
        &[
            "serve",
            "--config",
            config_path.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--out",
            sorties.to_str().unwrap(),
        ],
        &[("RELEVE_LOG", "info")],
    );
    server.wait_stdout("listening on http://");
    let line = server.wait_stderr("submission processed");
    server.kill();
    assert!(
        line.contains("state=\"sent\"") || line.contains("state=sent"),
        "{line}"
    );
    let folder = sorties.join("theatre-des-digues/2025-11/depot/cnm.v1");
    for name in ["cnm.csv", "cnm.pdf", "A-LIRE-depot.txt"] {
        assert!(
            folder.join(name).exists(),
            "{name} missing in {}",
            folder.display()
        );
    }
    runtime.block_on(async {
        let config = releve::config::Config::load(&config_path).unwrap();
        let store = releve_store::Store::connect(&config.database_url)
            .await
            .unwrap();
        let row = store.submission_by_key(&key).await.unwrap().unwrap();
        assert_eq!(
            row.state,
            releve_store::OutboxState::Sent,
            "{:?}",
            row.last_error
        );
        store.close().await;
    });
    drop(services);
}

/// A SACD bordereau with attachments: the XML goes by the web service, the attachments by a
/// separate e-mail row. The relay refuses the e-mail at first (451): the XML is accepted and
/// stays so; the retry sends only the e-mail — SACD never receives the XML twice.
#[test]
fn sacd_attachments_go_by_a_separate_e_mail_retried_without_the_xml() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let services = Services::start();
    let refuse = Arc::new(AtomicBool::new(true));
    let (port, inbox) = services
        .runtime
        .block_on(smtp_sink::start_refusing(refuse.clone()));
    let mut s = approved(&services);
    s.extra_root_keys = format!(
        "[mail]\nsmtp_url = \"smtp://127.0.0.1:{port}\"\nfrom = \"releve@theatre-des-digues.fr\"\n\
         [channels.sibil]\nbase_url = \"{}\"\n[channels.sacd]\nbase_url = \"{}\"\ncredentials_env = \"SACD_TEST\"\n\
         attachments_to = \"bordereaux@sacd.example\"\n\n",
        services.sibil_url, services.sacd_url
    );
    let pieces = s.path("out/theatre-des-digues/2025-11/pieces-jointes/sacd");
    std::fs::create_dir_all(&pieces).unwrap();
    std::fs::write(pieces.join("contrat-cession.pdf"), b"%PDF-1.4 contrat").unwrap();

    let (status, out) = submit(&s, "sacd", None);
    assert_eq!(status, 1, "{out}");
    assert!(
        out.contains("sacd 2025-11 v1 (télétransmission SACD, rep_version 1) : acceptée"),
        "{out}"
    );
    assert!(
        out.contains(
            "sacd 2025-11 v1 (e-mail des pièces jointes à la SACD) : échec, nouvel essai prévu"
        ),
        "{out}"
    );
    assert!(out.contains("SACD : envoi de l'e-mail impossible"), "{out}");
    assert_eq!(services.sacd.lock().unwrap().declaration_posts, 1);
    assert!(inbox.lock().unwrap().is_empty());

    refuse.store(false, Ordering::SeqCst);
    let (status, out) = submit(&s, "sacd", None);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("sacd 2025-11 v1 (e-mail des pièces jointes à la SACD) : transmise"),
        "{out}"
    );
    assert_eq!(
        services.sacd.lock().unwrap().declaration_posts,
        1,
        "the XML is not sent again"
    );
    let messages = inbox.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.to, vec!["<bordereaux@sacd.example>".to_string()]);
    assert!(m.data.contains("contrat-cession.pdf"), "{}", m.data);
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(b"theatre-des-digues:sacd:2025-11:v1:email")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(
        m.data.contains(&format!(
            "Message-ID: <releve.{}@theatre-des-digues.fr>",
            &hash[..32]
        )),
        "{}",
        m.data
    );
    let (_, listing) = releve_env(&s, &["versions", "--month", "2025-11"], None);
    assert!(listing.contains("2025-11 sacd v1 — acceptée"), "{listing}");
    drop(services);
}

/// A rejection, the fix, the corrected version: SACD refuses a line and SIBIL a declaration
/// for want of a capacity; the programme gets it, the month is run again, version 2 is approved
/// and goes out — to SACD with `rep_version` 2, to SIBIL under the same `idExtBilletterie` —
/// and the command says so in French at each step.
#[test]
fn after_a_rejection_the_corrected_version_goes_out_with_the_next_rep_version() {
    let services = Services::start();
    let s = approved(&services);
    let ids = sibil_ids(&s);
    let refs = sacd_refs(&s);
    services.sibil.lock().unwrap().refuse_id_ext = Some(ids[0].clone());
    services.sacd.lock().unwrap().ko_ref = Some(refs[0].clone());
    let (status, out) = submit(&s, "sacd", None);
    assert_eq!(status, 1, "{out}");
    assert!(
        out.contains("(télétransmission SACD, rep_version 1) : rejetée"),
        "{out}"
    );
    assert!(
        out.contains("La version corrigée (v2) partira avec rep_version 2."),
        "{out}"
    );
    let (status, out) = submit(&s, "sibil", None);
    assert_eq!(status, 1, "{out}");
    assert!(out.contains("sous les mêmes idExtBilletterie"), "{out}");

    // The fix: P1's capacity in the programme (400 → 420); the bodies now accept.
    let programme = crate::month_run::november_programme("44306184100047").replace(
        "P1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;400;",
        "P1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;420;",
    );
    assert_ne!(
        programme,
        crate::month_run::november_programme("44306184100047")
    );
    s.write("programme.csv", programme);
    services.sibil.lock().unwrap().refuse_id_ext = None;
    services.sacd.lock().unwrap().ko_ref = None;
    s.run_month("2025-11");
    for body in ["sacd", "sibil"] {
        let (status, out) = releve_env(
            &s,
            &[
                "approve",
                "--month",
                "2025-11",
                "--body",
                body,
                "--by",
                "Claire Martin, directrice",
            ],
            None,
        );
        assert_eq!(status, 0, "{out}");
        assert!(out.contains("version 2 approuvée"), "{out}");
    }
    let xml =
        std::fs::read_to_string(s.path("out/theatre-des-digues/2025-11/versions/sacd.v2.xml"))
            .unwrap();
    assert!(xml.contains("<rep_version>2</rep_version>"), "{xml}");

    let (status, out) = submit(&s, "sacd", None);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("sacd 2025-11 v2 (télétransmission SACD, rep_version 2) : acceptée"),
        "{out}"
    );
    assert!(
        out.contains("Version corrigée de la v1 rejetée : la SACD la reçoit avec rep_version 2."),
        "{out}"
    );
    let (status, out) = submit(&s, "sibil", None);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("sibil 2025-11 v2 (API SIBIL) : acceptée"),
        "{out}"
    );
    assert!(
        out.contains("Version corrigée de la v1 rejetée : mêmes idExtBilletterie"),
        "{out}"
    );

    let sacd = services.sacd.lock().unwrap();
    for r in &refs {
        assert!(
            sacd.received
                .contains_key(&("654321".to_string(), r.clone(), "2".to_string())),
            "{r} in rep_version 2: {:?}",
            sacd.received
        );
    }
    // The refused line was never recorded in version 1.
    assert!(!sacd
        .received
        .contains_key(&("654321".to_string(), refs[0].clone(), "1".to_string())));
    let sibil = services.sibil.lock().unwrap();
    let held: Vec<String> = sibil
        .declarations
        .iter()
        .map(|d| d["idExtBilletterie"].as_str().unwrap().to_string())
        .collect();
    let mut sorted_held = held.clone();
    sorted_held.sort();
    let mut sorted_ids = ids.clone();
    sorted_ids.sort();
    assert_eq!(sorted_held, sorted_ids, "one declaration per performance");
    // Version 1 created all but the refused one; version 2 updated those and created it.
    assert_eq!(sibil.posts as usize, ids.len());
    assert_eq!(sibil.puts as usize, ids.len() - 1);
    let p1 = sibil
        .declarations
        .iter()
        .find(|d| d["idExtBilletterie"] == ids[0])
        .unwrap();
    assert_eq!(p1["jauge"], 420, "{p1}");
}

/// The SIBIL account stored from the workspace (sealed) instead of the environment: the
/// sending works with no SIBIL variable set, and the password is nowhere in clear — not in the
/// database, the stored exchanges, the output or the logs.
#[test]
fn sibil_goes_out_with_the_account_stored_in_the_workspace() {
    let services = Services::start();
    let s = approved(&services);
    let config_path = s.write_config();
    let config = releve::config::Config::load(&config_path).unwrap();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = releve_store::Store::connect(&config.database_url)
            .await
            .unwrap();
        for (name, value) in [
            ("SIBIL_TEST_USERNAME", fake_sibil::USER),
            ("SIBIL_TEST_PASSWORD", fake_sibil::PASSWORD),
        ] {
            releve::credentials::store_value(
                &store,
                &config.submission.key_file,
                "theatre-des-digues",
                name,
                value,
                "admin@digues.fr",
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        }
        store.close().await;
    });
    let out = s.path("out");
    let output = Command::new(env!("CARGO_BIN_EXE_releve"))
        .args([
            "submit",
            "--config",
            config_path.to_str().unwrap(),
            "--month",
            "2025-11",
            "--body",
            "sibil",
            "--by",
            "Claire Martin, directrice",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("RELEVE_LOG", "debug")
        .env_remove("SIBIL_TEST_USERNAME")
        .env_remove("SIBIL_TEST_PASSWORD")
        .env_remove("RELEVE_MASTER_KEY")
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("(API SIBIL) : acceptée"), "{text}");
    assert_eq!(services.sibil.lock().unwrap().logins, 1);
    let db = database_bytes(&s);
    assert!(
        contains(&db, "SIBIL_TEST_PASSWORD"),
        "the sealed row is there"
    );
    assert!(
        !contains(&db, fake_sibil::PASSWORD),
        "password in clear in the database"
    );
    assert!(
        !text.contains(fake_sibil::PASSWORD),
        "password printed or logged"
    );
}

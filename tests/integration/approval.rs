//! Approval as a signatory uses it: refused with the list while something blocks the body,
//! approved with `--despite` (reason in the journal and on the frozen document), frozen files
//! in `versions/` that later runs never touch, and a late sale after sending that makes the
//! next draft a rectificatif of the version sent.

use crate::month_run::{november, november_tickets};
use crate::support::*;

fn cli(s: &Scenario, args: &[&str]) -> (i32, String, String) {
    let config = s.path("releve.toml");
    let out = s.path("out");
    let mut all = vec![args[0], "--config", config.to_str().unwrap()];
    all.extend_from_slice(&args[1..]);
    if args[0] == "approve" {
        all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    }
    let output = releve(&all);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn approve(s: &Scenario, body: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "approve",
        "--month",
        "2025-11",
        "--body",
        body,
        "--by",
        "Claire Martin, administratrice",
    ];
    args.extend_from_slice(extra);
    cli(s, &args)
}

fn pdf_text(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // No-break spaces (before €, in thousands) compared as spaces.
    pdf_extract::extract_text_from_mem(&bytes)
        .expect("PDF text")
        .replace(['\u{a0}', '\u{202f}'], " ")
}

/// A ticket with an unreadable price: quarantined, with its line.
fn with_quarantined_ticket() -> String {
    november_tickets()
        + "T9-1,P2,,Nuit Jazz,2025-11-30T23:30:00+01:00,Club,44000,Nantes,Plein tarif,full,quinze,5.5,valid,2025-10-01T10:00:00+02:00\n"
}

#[test]
fn quarantined_records_refuse_approval_until_a_reason_is_given() {
    let s = november();
    s.write("tickets.csv", with_quarantined_ticket());
    let r = s.run_month("2025-11");
    r.assert_status(1);
    // The summary says the CNM is incomplete instead of giving its figures as final.
    assert!(
        r.stdout.contains(
            "Centre national de la musique (CNM) : incomplet (1 enregistrement en quarantaine)"
        ),
        "{}",
        r.stdout
    );

    let (status, stdout, stderr) = approve(&s, "cnm", &[]);
    assert_eq!(status, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("approbation refusée : CNM de 2025-11, version 1 — 1 point(s) à résoudre"),
        "{stdout}"
    );
    assert!(
        stdout.contains("quinze"),
        "the quarantined row is named: {stdout}"
    );
    assert!(stdout.contains("--despite"), "{stdout}");
    let frozen = r.folder("2025-11").join("versions");
    assert!(!frozen.join("cnm.v1.pdf").exists());
    // An empty reason is no reason.
    let (status, _, stderr) = approve(&s, "CNM", &["--despite", "  "]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("donnez la raison"), "{stderr}");

    // `--body CNM` is accepted; the reason is recorded and printed on the frozen document.
    let reason = "billet en double déjà compté sur la feuille de caisse";
    let (status, stdout, stderr) = approve(&s, "CNM", &["--despite", reason]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(stdout.contains("version 1 approuvée"), "{stdout}");
    assert!(stdout.contains("malgré 1 point(s) ouvert(s)"), "{stdout}");
    for ext in ["json", "csv", "pdf"] {
        assert!(
            frozen.join(format!("cnm.v1.{ext}")).exists(),
            "cnm.v1.{ext}"
        );
    }
    let text = pdf_text(&frozen.join("cnm.v1.pdf"));
    assert!(
        text.contains("Version 1 approuvée par Claire Martin, administratrice"),
        "{text}"
    );
    assert!(
        text.contains("Approuvée malgré des points ouverts"),
        "{text}"
    );
    assert!(text.contains(reason), "{text}");
    // The frozen JSON is the approved model, byte for byte the draft that was reviewed.
    assert_eq!(
        std::fs::read(frozen.join("cnm.v1.json")).unwrap(),
        r.bytes("2025-11", "cnm.json")
    );
    let (_, listing, _) = cli(&s, &["versions", "--month", "2025-11"]);
    assert!(
        listing.contains(&format!(
            "Claire Martin, administratrice — approbation cnm 2025-11 v1 — malgré des points ouverts : « {reason} »"
        )),
        "{listing}"
    );
}

#[test]
fn a_missing_sacd_declarant_blocks_the_sacd_only() {
    let s = november();
    s.write_config();
    let config = std::fs::read_to_string(s.path("releve.toml"))
        .unwrap()
        .replace("sacd_declarant_id = \"654321\"\n", "");
    std::fs::write(s.path("releve.toml"), &config).unwrap();
    let out = s.path("out");
    let output = releve(&[
        "run",
        "--config",
        s.path("releve.toml").to_str().unwrap(),
        "--month",
        "2025-11",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let (status, stdout, _) = approve(&s, "sacd", &[]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("approbation refusée : SACD"), "{stdout}");
    assert!(stdout.contains("sacd_declarant_id"), "{stdout}");
    // The CNM is not touched by the SACD's point.
    let (status, stdout, stderr) = approve(&s, "cnm", &[]);
    assert_eq!(status, 0, "{stdout}{stderr}");
}

#[test]
fn a_late_sale_after_sending_gives_a_rectificatif_and_frozen_files_stay() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    let (status, stdout, stderr) = approve(&s, "cnm", &[]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let (status, stdout, stderr) = cli(
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
            "CNM-118",
        ],
    );
    assert_eq!(status, 0, "{stdout}{stderr}");
    let folder = s.path("out").join("theatre-des-digues").join("2025-11");
    let frozen_pdf = std::fs::read(folder.join("versions/cnm.v1.pdf")).unwrap();

    // A late sale for Nuit Jazz (P2): 2 → 3 tickets at 15.00, 5.5 %.
    // v1: 30.00 incl.; excl. round(30 / 1.055) = 28.44; tax round(28.44 × 3.5 %) = 1.00.
    // v2: 45.00 incl.; excl. round(45 / 1.055) = 42.65; tax round(1.49275) = 1.49 → +0.49.
    let tickets = november_tickets()
        + &ticket(
            "T2-3",
            "P2",
            "Nuit Jazz",
            "2025-11-30T23:30:00+01:00",
            "Club",
            "Plein tarif",
            "full",
            "15.00",
            "5.5",
            "valid",
        );
    s.write("tickets.csv", tickets);
    let r = s.run_month("2025-11");
    r.assert_status(1);
    let sentence = "rectificatif de la version 1 transmise : +0,49\u{a0}€ à déclarer en complément";
    assert!(r.stdout.contains(sentence), "{}", r.stdout);
    let report = String::from_utf8(r.bytes("2025-11", "report.html")).unwrap();
    assert!(report.contains(sentence), "the report says it");
    let text = pdf_text(&folder.join("cnm.pdf"));
    for expected in [
        "RECTIFICATIF de la version 1",
        "transmise le",
        "(portail, reçu CNM-118)",
        "Transmis (v1)",
        "« Nuit Jazz » du 30/11/2025",
        "28,44 €",
        "42,65 €",
        "+14,21 €",
        "+0,49 €",
        "Taxe à déclarer en complément : +0,49 €.",
        "Rectificatif : +0,49 € à déclarer en complément",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    let amendment = r.json("2025-11", "cnm-amendment.json");
    assert_eq!(amendment["base_version"], 1);
    // v1's files are never written again.
    assert_eq!(
        std::fs::read(folder.join("versions/cnm.v1.pdf")).unwrap(),
        frozen_pdf
    );
    assert!(!folder.join("versions/cnm.v2.pdf").exists());

    // Approving the rectificatif freezes v2 beside v1, titled as the rectificatif it is.
    let (status, stdout, stderr) = approve(&s, "cnm", &[]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let v2 = pdf_text(&folder.join("versions/cnm.v2.pdf"));
    assert!(v2.contains("RECTIFICATIF de la version 1"), "{v2}");
    assert!(v2.contains("Version 2 approuvée par Claire Martin"), "{v2}");
}

#[test]
fn a_failed_source_gives_no_draft_and_says_incomplete() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    std::fs::remove_file(s.path("tickets.csv")).unwrap();
    let r = s.run_month("2025-11");
    r.assert_status(1);
    assert!(
        !r.stdout.contains("rien à déclarer"),
        "nothing may look settled: {}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "Centre national de la musique (CNM) : incomplet (source non lue : tickets_csv)"
        ),
        "{}",
        r.stdout
    );
    let folder = r.folder("2025-11");
    for file in ["cnm.json", "cnm.csv", "cnm.pdf", "sacd.xml", "sibil.json"] {
        assert!(
            !folder.join(file).exists(),
            "{file} from the earlier run must go"
        );
    }
    let report = String::from_utf8(r.bytes("2025-11", "report.html")).unwrap();
    assert!(
        report.contains("incomplet (source non lue : tickets_csv"),
        "report"
    );
    // And nothing can be approved while the source is not read.
    let (status, stdout, _) = approve(&s, "sibil", &[]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("tickets_csv"), "{stdout}");
}

#[test]
fn a_month_in_the_future_is_announced() {
    let s = november();
    let r = s.run_month("2099-01");
    assert!(
        r.stdout
            .starts_with("Attention : janvier 2099 est dans le futur"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_quarantined_programme_row_is_named_as_such() {
    let s = november();
    // P2's row with an unknown discipline: quarantined, so P2 has no programme row.
    let programme = crate::month_run::november_programme("44306184100047")
        .replace("P2;Nuit Jazz;2025-11-30 23:30;Club;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;jazz;", "P2;Nuit Jazz;2025-11-30 23:30;Club;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;jaz;");
    s.write("programme.csv", programme);
    let r = s.run_month("2025-11");
    r.assert_status(1);
    let issues = r.json("2025-11", "issues.json");
    let missing = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "discipline.missing" && i["performance_id"] == "tickets_csv:P2")
        .unwrap_or_else(|| panic!("{issues:#}"));
    let message = missing["message"].as_str().unwrap();
    assert!(
        message.contains("sa ligne de programme est en quarantaine (source programme_csv, ligne 3"),
        "{message}"
    );
    assert!(
        !message.contains("n'a pas de ligne de programme"),
        "{message}"
    );
    assert!(r.stdout.contains("incomplet"), "{}", r.stdout);
}

//! `releve run --body sacd --from --to`: a SACD bordereau over any period, written beside the
//! months, leaving out what an approved bordereau already declared, with its deadline points.

use crate::month_run::november;
use crate::support::*;

/// `releve run --body sacd --from --to` at `generated_at`: status, stdout, stderr.
pub fn run_period(s: &Scenario, from: &str, to: &str, generated_at: &str) -> (i32, String, String) {
    let config = s.write_config();
    let out = s.path("out");
    let output = releve(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--body",
        "sacd",
        "--from",
        from,
        "--to",
        to,
        "--out",
        out.to_str().unwrap(),
        "--generated-at",
        generated_at,
    ]);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn bordereau(s: &Scenario, folder: &str) -> serde_json::Value {
    let path = s
        .path("out")
        .join("theatre-des-digues")
        .join("sacd")
        .join(folder)
        .join("sacd.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("sacd.json")).unwrap()
}

fn ids(j: &serde_json::Value) -> Vec<String> {
    j["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["performance_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_weekly_bordereau_declares_the_week_once() {
    let s = november();
    // 14–20 November: Les Vagues (14th, theatre) and Le Cercle (20th, theatre); the jazz nights
    // are not SACD repertoire. Declared on 5 December, both are due 14 and 20 December: more than
    // 7 days away, nothing blocking.
    let (status, stdout, stderr) = run_period(&s, "2025-11-14", "2025-11-20", GENERATED_AT);
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(stdout.contains("bordereau SACD du"), "{stdout}");
    let j = bordereau(&s, "2025-11-14_2025-11-20");
    assert_eq!(j["period"]["from"], "2025-11-14");
    assert_eq!(j["period"]["to"], "2025-11-20");
    assert!(j.get("month").is_none());
    assert_eq!(ids(&j), ["tickets_csv:P1", "tickets_csv:P4"]);
    assert_eq!(j["lines"][0]["deadline"], "2025-12-14");
    for name in ["sacd.xml", "sacd.pdf"] {
        assert!(s
            .path("out/theatre-des-digues/sacd/2025-11-14_2025-11-20")
            .join(name)
            .exists());
    }

    // Run on 10 December instead: Les Vagues is due on the 14th, 4 days away — blocking, exit 1.
    let (status, stdout, _) =
        run_period(&s, "2025-11-14", "2025-11-20", "2025-12-10T09:00:00+01:00");
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("au plus tard le 14 décembre 2025 (dans 4 jours)"),
        "{stdout}"
    );

    // Once November's bordereau is approved, the same week has nothing left to declare.
    s.run_month("2025-11").assert_status(0);
    let config = s.write_config();
    let output = releve(&[
        "approve",
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-11",
        "--body",
        "sacd",
        "--by",
        "Claire Martin, administratrice",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let (status, stdout, stderr) = run_period(&s, "2025-11-14", "2025-11-20", GENERATED_AT);
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(ids(&bordereau(&s, "2025-11-14_2025-11-20")).is_empty());
}

#[test]
fn a_period_is_for_sacd_only_and_needs_both_ends() {
    let s = november();
    let config = s.write_config();
    let output = releve(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--body",
        "cnm",
        "--from",
        "2025-11-01",
        "--to",
        "2025-11-07",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("seule la SACD"));
}

fn approve_period(s: &Scenario, from: &str, to: &str) -> (i32, String) {
    let config = s.write_config();
    let out = s.path("out");
    let output = releve(&[
        "approve",
        "--config",
        config.to_str().unwrap(),
        "--body",
        "sacd",
        "--from",
        from,
        "--to",
        to,
        "--by",
        "Claire Martin, administratrice",
        "--out",
        out.to_str().unwrap(),
    ]);
    (
        output.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[test]
fn a_weekly_bordereau_is_a_version_and_the_month_does_not_repeat_it() {
    let s = november();
    // The week of 14–20 November, run on 21 November: Les Vagues (P1, 14th) and Le Cercle (P4,
    // 20th). P1: 3 × 18.00 at 5.5 % + 30.00 at 20 % = 84.00 incl.; excl. round(54 / 1.055) =
    // 51.18 + round(30 / 1.2) = 25.00 → 76.18. P4: 2 × 12.00 at 2.1 % = 24.00 incl., excl.
    // round(24 / 1.021) = 23.51. Due 14 and 20 December, 23 and 29 days away: nothing blocking.
    let (status, stdout, stderr) =
        run_period(&s, "2025-11-14", "2025-11-20", "2025-11-21T09:00:00+01:00");
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(stdout.contains("brouillon (v1)"), "{stdout}");
    assert!(
        stdout.contains("releve approve --body sacd --from 2025-11-14 --to 2025-11-20"),
        "{stdout}"
    );
    let week = bordereau(&s, "2025-11-14_2025-11-20");
    assert_eq!(ids(&week), ["tickets_csv:P1", "tickets_csv:P4"]);
    assert_eq!(week["lines"][0]["receipts_incl_vat"], "84.00");
    assert_eq!(week["lines"][0]["receipts_excl_vat"], "76.18");
    assert_eq!(week["lines"][1]["receipts_excl_vat"], "23.51");
    assert_eq!(week["totals"]["receipts_incl_vat"], "108.00");

    // Approved: frozen once under the period's folder.
    let (status, out) = approve_period(&s, "2025-11-14", "2025-11-20");
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("sacd du 2025-11-14 au 2025-11-20 : version 1 approuvée"),
        "{out}"
    );
    let folder = s.path("out/theatre-des-digues/sacd/2025-11-14_2025-11-20");
    for name in ["sacd.v1.json", "sacd.v1.xml", "sacd.v1.pdf"] {
        assert!(folder.join("versions").join(name).exists(), "{name}: {out}");
    }
    let frozen = std::fs::read(folder.join("versions/sacd.v1.json")).unwrap();
    // Approving again is refused by the store: a version is approved once.
    let (status, out) = approve_period(&s, "2025-11-14", "2025-11-20");
    assert_ne!(status, 0, "{out}");
    // The same week run again gives back version 1, approved; its deadlines are no longer points.
    let (status, stdout, _) =
        run_period(&s, "2025-11-14", "2025-11-20", "2025-12-10T09:00:00+01:00");
    assert_eq!(status, 0, "{stdout}");
    assert!(stdout.contains("approuvée (v1)"), "{stdout}");
    assert_eq!(
        std::fs::read(folder.join("versions/sacd.v1.json")).unwrap(),
        frozen
    );

    // November's bordereau leaves P1 and P4 out, says so on the document and in issues.json.
    let r = s.run_month("2025-11");
    let month = r.json("2025-11", "sacd.json");
    assert!(ids(&month).is_empty(), "{month:#}");
    assert_eq!(month["totals"]["receipts_incl_vat"], "0.00");
    let already: Vec<&str> = month["already_declared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["performance_id"].as_str().unwrap())
        .collect();
    assert_eq!(already, ["tickets_csv:P1", "tickets_csv:P4"]);
    assert_eq!(
        month["already_declared"][0]["declared_in"],
        "bordereau du 14 novembre 2025 au 20 novembre 2025, version 1"
    );
    let issues = r.json("2025-11", "issues.json");
    let infos: Vec<&serde_json::Value> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "sacd.already_declared")
        .collect();
    assert_eq!(infos.len(), 2, "{issues:#}");
    assert_eq!(infos[0]["severity"], "info");
    assert_eq!(infos[0]["body"], "sacd");
    assert!(infos[0]["message"]
        .as_str()
        .unwrap()
        .contains("n'est pas répétée"));
    let pdf = pdf_text_of(&r.bytes("2025-11", "sacd.pdf"));
    assert!(pdf.contains("Représentations déjà déclarées"), "{pdf}");
    assert!(
        pdf.contains("du 14 novembre 2025 au 20 novembre 2025"),
        "{pdf}"
    );

    // `releve versions` lists the week beside the month.
    let config = s.write_config();
    let output = releve(&["versions", "--config", config.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("du 2025-11-14 au 2025-11-20 sacd v1 — approuvée (v1)"),
        "{text}"
    );

    // Sent through SACD's own portal: recorded like a month's (`releve submitted`).
    let output = releve(&[
        "submitted",
        "--config",
        config.to_str().unwrap(),
        "--body",
        "sacd",
        "--from",
        "2025-11-14",
        "--to",
        "2025-11-20",
        "--version",
        "1",
        "--by",
        "Claire Martin, administratrice",
        "--channel",
        "portail",
        "--receipt",
        "SACD-2025-0042",
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("sacd du 2025-11-14 au 2025-11-20 : version 1 transmise (portail)"),
        "{text}"
    );
    let output = releve(&["versions", "--config", config.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("du 2025-11-14 au 2025-11-20 sacd v1 — transmise (v1)"),
        "{text}"
    );
}

/// PDF text, for the checks above.
fn pdf_text_of(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("a readable PDF")
}

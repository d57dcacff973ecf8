//! `releve run --body sacd --from --to`: a SACD bordereau over any period, written beside the
//! months, leaving out what an approved bordereau already declared, with its deadline points.

use crate::month_run::november;
use crate::support::*;

fn run_period(s: &Scenario, from: &str, to: &str, generated_at: &str) -> (i32, String, String) {
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

//! `releve demo` runs the bundled season end to end, offline.

use crate::support::*;

#[test]
fn the_demo_writes_the_month_and_prints_what_is_due() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = releve(&["demo", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Exit 1: declared on 5 December, the SACD lines of 6–12 November are due 6–12 December,
    // within the 7-day notice — the blocking points a monthly run must not keep silent.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("novembre 2025"), "{stdout}");
    assert!(stdout.contains("CNM"), "{stdout}");
    // The summary says why it ends with status 1 and what to do: the performances of 6, 7 and
    // 8 November are due 6, 7 and 8 December (30 days), 1 to 3 days after the run.
    assert!(
        stdout.contains(
            "SACD : 3 représentation(s) à déclarer maintenant, la première au plus tard le 6 décembre 2025"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("le relevé se termine avec le statut 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("releve approve --config … --month 2025-11 --body sacd"),
        "{stdout}"
    );
    assert!(
        stdout.contains("releve run --config … --body sacd --from"),
        "{stdout}"
    );
    assert!(
        stdout.contains("La démonstration se termine avec le statut 1, voulu"),
        "{stdout}"
    );
    let folder = out.join("quai-des-arts").join("2025-11");
    let files = files_in(&folder);
    for expected in [
        "aggregates.json",
        "astp.csv",
        "astp.json",
        "astp.pdf",
        "cnm.csv",
        "cnm.json",
        "cnm.pdf",
        "indicators.csv",
        "indicators.json",
        "issues.json",
        "report.html",
        "report.pdf",
        "sacd.json",
        "sacd.pdf",
        "sacd.xml",
        "sacem.json",
        "sacem.pdf",
        "sibil.json",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "{expected} missing from {files:?}"
        );
    }

    // Figures computed independently by the generator of the demo data (Python, decimal
    // arithmetic, half-up rounding per VAT rate and per tax line).
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("../../fixtures/demo/expected-2025-11.json")).unwrap();
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(folder.join(name)).unwrap()).unwrap()
    };
    let aggregates = read("aggregates.json");
    for (id, figures) in expected["performances"].as_object().unwrap() {
        let p = performance(&aggregates, id);
        for field in [
            "paid_tickets",
            "free_tickets",
            "receipts_incl_vat",
            "receipts_excl_vat",
        ] {
            assert_eq!(p[field], figures[field], "{id} {field}");
        }
    }
    for field in [
        "performances",
        "paid_tickets",
        "free_tickets",
        "receipts_incl_vat",
        "receipts_excl_vat",
    ] {
        assert_eq!(
            aggregates["totals"][field], expected["totals"][field],
            "totals.{field}"
        );
    }
    for body in ["cnm", "astp"] {
        let declaration = read(&format!("{body}.json"));
        assert_eq!(
            declaration["lines"].as_array().unwrap().len() as u64,
            expected[body]["lines"].as_u64().unwrap(),
            "{body} lines"
        );
        assert_eq!(
            declaration["totals"]["tax_due"], expected[body]["tax_due"],
            "{body} tax"
        );
    }
    // Indicators of the month from the same independent figures.
    let indicators = read("indicators.json");
    let value = |id: &str| -> serde_json::Value {
        indicators["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["value"]
            .clone()
    };
    let performances = expected["performances"].as_object().unwrap();
    let kept: Vec<&serde_json::Value> = performances
        .values()
        .filter(|p| p["cancelled"] == false)
        .collect();
    let kept_ticketed: Vec<&serde_json::Value> = performances
        .iter()
        .filter(|(id, p)| id.starts_with("tickets_csv:") && p["cancelled"] == false)
        .map(|(_, p)| p)
        .collect();
    let paid: u64 = kept
        .iter()
        .map(|p| p["paid_tickets"].as_u64().unwrap())
        .sum();
    let free: u64 = kept
        .iter()
        .map(|p| p["free_tickets"].as_u64().unwrap())
        .sum();
    assert_eq!(value("attendance.paid"), paid);
    assert_eq!(value("attendance.free"), free);
    assert_eq!(
        value("receipts.ticketing_incl_vat"),
        expected["totals"]["receipts_incl_vat"]
    );
    assert_eq!(
        value("receipts.ticketing_excl_vat"),
        expected["totals"]["receipts_excl_vat"]
    );
    // The free concert is a performance too; the cancelled one is not counted.
    assert_eq!(
        value("performances.total"),
        expected["totals"]["performances"].as_u64().unwrap() - 1
    );
    // Average price: receipts incl. VAT / paid tickets, half-up at the cent, in integer cents.
    let receipts_cents: u64 = expected["totals"]["receipts_incl_vat"]
        .as_str()
        .unwrap()
        .replace('.', "")
        .parse()
        .unwrap();
    let average_cents = (2 * receipts_cents + paid) / (2 * paid);
    assert_eq!(
        value("receipts.average_price"),
        format!("{}.{:02}", average_cents / 100, average_cents % 100)
    );
    // Fill rate over ticketed performances with a known capacity (the free concert has no
    // ticketing), in tenths of a percent, half-up.
    let ticketed: Vec<&&serde_json::Value> = kept_ticketed
        .iter()
        .filter(|p| p["capacity"].as_u64().is_some())
        .collect();
    let seats: u64 = ticketed
        .iter()
        .map(|p| p["capacity"].as_u64().unwrap())
        .sum();
    let entries: u64 = ticketed
        .iter()
        .map(|p| p["paid_tickets"].as_u64().unwrap() + p["free_tickets"].as_u64().unwrap())
        .sum();
    let tenths = (2 * 1000 * entries + seats) / (2 * seats);
    assert_eq!(
        value("attendance.fill_rate"),
        format!("{}.{}", tenths / 10, tenths % 10)
    );
    assert_eq!(value("taxes_rights.cnm_tax"), expected["cnm"]["tax_due"]);
    assert_eq!(value("taxes_rights.astp_tax"), expected["astp"]["tax_due"]);

    // Nothing needs a person but the SACD deadlines near at a run on the 5th (issue 13): the
    // performances of 6, 7 and 8 November are due 6, 7 and 8 December, 1 to 3 days away.
    let issues = read("issues.json");
    let blocking: Vec<&str> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["severity"] == "blocking")
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert!(
        !blocking.is_empty() && blocking.iter().all(|c| *c == "sacd.deadline.near"),
        "{issues:#}"
    );
    assert_eq!(issues["counts"]["warning"], 0, "{issues:#}");
    // One suggestion from the company register's recorded answer (fixtures/demo-registry/),
    // read offline: the producer of the Quatuor Alcyone, given by SIRET only.
    let suggestions: Vec<_> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["suggestion"].is_object())
        .collect();
    assert_eq!(suggestions.len(), 1, "{issues:#}");
    let s = suggestions[0];
    assert_eq!(s["code"], "registry.producer.name_completed");
    assert_eq!(s["suggestion"]["field"], "producer_name");
    assert_eq!(s["suggestion"]["value"], "QUATUOR ALCYONE");
    assert_eq!(s["evidence"]["consulted_on"], "2025-12-01");
    assert!(s["message"]
        .as_str()
        .unwrap()
        .contains("selon le répertoire des entreprises, consulté le 1er décembre 2025"));
    assert!(
        stdout.contains("Répertoire des entreprises : 1 suggestion(s) à confirmer"),
        "{stdout}"
    );
}

#[test]
fn the_demo_can_read_ticketing_through_vendor_replay_servers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = releve(&["demo", "--with-vendors", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Exit 1 for the SACD deadlines near on 5 December (see above).
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let aggregates: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            out.join("theatre-des-digues")
                .join("2025-11")
                .join("aggregates.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // Figures of the replay fixtures (collectors/src/replay/demo.rs): Les Marées 11 paid,
    // 206.80 € incl. VAT, 3 invitations; the HelloAsso bal folk 10 paid, 108.00 €, 2 free.
    let marees = performance(&aggregates, "billetweb:61001-0");
    assert_eq!(marees["paid_tickets"], 11);
    assert_eq!(marees["free_tickets"], 3);
    assert_eq!(marees["receipts_incl_vat"], "206.80");
    assert_eq!(marees["discipline"], "theatre");
    let bal = performance(&aggregates, "helloasso:bal-folk-2025-11-15");
    assert_eq!(bal["paid_tickets"], 10);
    assert_eq!(bal["receipts_incl_vat"], "108.00");
    let late = performance(&aggregates, "billetweb:61002-880102");
    assert_eq!(late["date"], "2025-11-30");
    assert_eq!(late["starts_at"], "2025-11-30T23:30:00+01:00");
}

#[test]
fn the_demo_season_indicators_match_the_reviewed_golden_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for file in ["releve.toml", "tickets.csv", "programme.csv"] {
        std::fs::copy(root.join("fixtures/demo").join(file), dir.path().join(file)).unwrap();
    }
    // The golden file is the machine form of the CSV (`,`, decimal point, no BOM): the
    // default Excel form is checked on its own in `csv_style`.
    let config = dir.path().join("releve.toml");
    let demo = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("[output]\ncsv = \"international\"\n\n{demo}"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = releve(&[
        "indicators",
        "--config",
        config.to_str().unwrap(),
        "--season",
        "2025-2026",
        "--out",
        out.to_str().unwrap(),
        "--generated-at",
        GENERATED_AT,
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let folder = out.join("quai-des-arts").join("season-2025-2026");
    for name in ["indicators.json", "indicators.csv"] {
        let text = std::fs::read_to_string(folder.join(name)).unwrap();
        releve_testkit::assert_golden(
            &root.join("tests/golden/demo-season-2025-2026").join(name),
            &text,
        );
    }
    let html = std::fs::read_to_string(folder.join("indicators.html")).unwrap();
    assert!(html.contains("<svg"), "the season report has its charts");
}

/// The README's approval walk-through: `demo --keep DIR` leaves a configuration whose
/// database `versions` and `approve` work on.
#[test]
fn the_kept_demo_can_be_approved_as_the_readme_says() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("demo-base");
    let out = dir.path().join("out");
    let output = releve(&[
        "demo",
        "--keep",
        kept.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let config = kept.join("releve.toml");
    assert!(config.exists(), "{} missing", config.display());
    let config = config.to_str().unwrap();
    let output = releve(&["versions", "--config", config, "--month", "2025-11"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("cnm v1"), "{text}");
    let output = releve(&[
        "approve",
        "--config",
        config,
        "--month",
        "2025-11",
        "--body",
        "cnm",
        "--by",
        "Claire Martin, administratrice",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("version 1 approuvée"), "{text}");
}

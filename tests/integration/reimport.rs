//! A later export replaces the earlier one at the same path: refunds and late sales change the
//! figures, nothing is counted twice.

use crate::month_run::{november, november_tickets};
use crate::support::*;

#[test]
fn a_later_export_with_refunds_and_late_sales_gives_the_new_figures_without_double_counting() {
    let s = november();
    let first = s.run_month("2025-11");
    first.assert_status(0);
    let p2 = performance(&first.json("2025-11", "aggregates.json"), "tickets_csv:P2").clone();
    assert_eq!(p2["paid_tickets"], 2);

    // Later export: T2-2 refunded, one late sale on P1 (18.00 at 5.5 %).
    let sold = ticket(
        "T2-2",
        "P2",
        "Nuit Jazz",
        "2025-11-30T23:30:00+01:00",
        "Club",
        "Abonné",
        "subscription",
        "15.00",
        "5.5",
        "valid",
    );
    let refunded = sold.replace(",valid,", ",refunded,");
    let tickets = november_tickets();
    assert!(tickets.contains(&sold));
    let later = tickets.replace(&sold, &refunded)
        + &ticket(
            "T1-6",
            "P1",
            "Les Vagues",
            "2025-11-14 20:30",
            "Grande salle",
            "Plein tarif",
            "full",
            "18.00",
            "5.5",
            "valid",
        );
    s.write("tickets.csv", later);
    let second = s.run_month("2025-11");
    second.assert_status(0);
    let a = second.json("2025-11", "aggregates.json");
    let p2 = performance(&a, "tickets_csv:P2");
    assert_eq!(p2["paid_tickets"], 1);
    // 15.00 / 1.055 = 14.218 → 14.22
    assert_eq!(p2["receipts_excl_vat"], "14.22");
    let p1 = performance(&a, "tickets_csv:P1");
    assert_eq!(p1["paid_tickets"], 5);
    // 4 × 18.00 = 72.00 → 72 / 1.055 = 68.2464 → 68.25 ; + 25.00 = 93.25
    assert_eq!(p1["receipts_incl_vat"], "102.00");
    assert_eq!(p1["receipts_excl_vat"], "93.25");
    assert_eq!(a["totals"]["paid_tickets"], 8);
    let cnm = second.json("2025-11", "cnm.json");
    // 14.22 × 3.5 % = 0.4977 → 0.50
    assert_eq!(cnm["totals"]["tax_due"], "0.50");
    let astp = second.json("2025-11", "astp.json");
    // 93.25 × 3.5 % = 3.26375 → 3.26
    assert_eq!(astp["totals"]["tax_due"], "3.26");
}

#[test]
fn the_demo_season_replaced_by_its_later_export_matches_the_independent_figures() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("expected-2025-11.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for file in ["releve.toml", "tickets.csv", "programme.csv"] {
        std::fs::copy(root.join(file), dir.path().join(file)).unwrap();
    }
    let config = dir.path().join("releve.toml");
    // No test reaches the real company register.
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[registry]\nenabled = false\n");
    std::fs::write(&config, text).unwrap();
    let out = dir.path().join("out");
    let run = || {
        let output = releve(&[
            "run",
            "--config",
            config.to_str().unwrap(),
            "--month",
            "2025-11",
            "--out",
            out.to_str().unwrap(),
            "--generated-at",
            GENERATED_AT,
        ]);
        // Exit 1: the SACD lines of 6–8 November are due within 7 days of a run on 5 December.
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let folder = out.join("quai-des-arts").join("2025-11");
        let read = |name: &str| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(folder.join(name)).unwrap()).unwrap()
        };
        (read("aggregates.json"), read("cnm.json"), read("astp.json"))
    };
    let (first, _, _) = run();
    assert_eq!(
        first["totals"]["paid_tickets"],
        expected["totals"]["paid_tickets"]
    );

    // The same path now holds the later export: refunds and late sales, same ticket ids.
    std::fs::copy(
        root.join("tickets-later.csv"),
        dir.path().join("tickets.csv"),
    )
    .unwrap();
    let (aggregates, cnm, astp) = run();
    let later = &expected["after_tickets_later_csv"];
    for field in [
        "paid_tickets",
        "free_tickets",
        "receipts_incl_vat",
        "receipts_excl_vat",
    ] {
        assert_eq!(
            aggregates["totals"][field], later["totals"][field],
            "totals.{field}"
        );
    }
    assert_eq!(cnm["totals"]["tax_due"], later["cnm"]["tax_due"]);
    assert_eq!(astp["totals"]["tax_due"], later["astp"]["tax_due"]);
}

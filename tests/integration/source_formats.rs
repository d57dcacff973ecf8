//! Files as venues really export them: Windows-1252, semicolons, decimal commas, bad rows.

use crate::month_run::november_programme;
use crate::support::*;

#[test]
fn windows_1252_semicolon_files_with_decimal_commas_are_read() {
    let s = Scenario::new();
    let text = "ticket_id;performance_id;show_title;starts_at;venue_name;price_category;price_kind;price_incl_vat;vat_rate;status\r\n\
                A1;P1;Les Vagues — Été;14/11/2025 20:30;Grande salle;Plein tarif;full;18,50;5,5;valid\r\n\
                A2;P1;Les Vagues — Été;14/11/2025 20:30;Grande salle;Tarif réduit;reduced;12,00;5,5;valid\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    s.write("tickets.csv", bytes.as_ref());
    s.write("programme.csv", format!("{PROGRAMME_HEADER}P1;Les Vagues — Été;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;400;theatre;;;;;;;;;no\n"));
    let r = s.run_month("2025-11");
    r.assert_status(0);
    let a = r.json("2025-11", "aggregates.json");
    let p = performance(&a, "tickets_csv:P1");
    assert_eq!(p["show_title"], "Les Vagues — Été");
    // 18.50 + 12.00 = 30.50 → 30.50 / 1.055 = 28.9099 → 28.91
    assert_eq!(p["receipts_incl_vat"], "30.50");
    assert_eq!(p["receipts_excl_vat"], "28.91");
}

#[test]
fn malformed_rows_are_quarantined_listed_in_issues_and_give_status_1() {
    let s = Scenario::new();
    let mut tickets = String::from(TICKETS_HEADER);
    tickets += &ticket(
        "G1",
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
    // line 3: unreadable amount
    tickets += &ticket(
        "B1",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "Plein tarif",
        "full",
        "dix-huit",
        "5.5",
        "valid",
    );
    // line 4: a paid ticket without VAT rate
    tickets += &ticket(
        "B2",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "Plein tarif",
        "full",
        "18.00",
        "",
        "valid",
    );
    // line 5: unreadable date
    tickets += &ticket(
        "B3",
        "P9",
        "Les Vagues",
        "le 14 novembre",
        "Grande salle",
        "Plein tarif",
        "full",
        "18.00",
        "5.5",
        "valid",
    );
    tickets += &ticket(
        "G2",
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
    s.write("tickets.csv", tickets);
    s.write("programme.csv", november_programme("44306184100047"));
    let r = s.run_month("2025-11");
    r.assert_status(1);
    let issues = r.json("2025-11", "issues.json");
    let quarantined: Vec<&serde_json::Value> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "quarantine")
        .collect();
    let lines: Vec<u64> = quarantined
        .iter()
        .map(|i| i["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5], "{issues:#}");
    assert!(quarantined.iter().all(|i| i["raw"]
        .as_str()
        .is_some_and(|raw| raw.contains("Les Vagues"))));
    assert!(quarantined.iter().all(|i| i["source"] == "tickets_csv"));
    assert_eq!(issues["counts"]["quarantined"], 3);
    // The good rows still count: 2 × 18.00.
    let a = r.json("2025-11", "aggregates.json");
    assert_eq!(
        performance(&a, "tickets_csv:P1")["receipts_incl_vat"],
        "36.00"
    );
    assert!(r.stdout.contains("quarantaine"), "{}", r.stdout);
}

#[test]
fn a_missing_source_file_fails_that_source_only() {
    let s = Scenario::new();
    s.write("programme.csv", november_programme("44306184100047"));
    let r = s.run_month("2025-11");
    r.assert_status(1);
    let issues = r.json("2025-11", "issues.json");
    let failed = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "source.failed")
        .expect("failure reported");
    assert!(
        failed["message"].as_str().unwrap().contains("tickets.csv"),
        "{failed}"
    );
    // The programme was still read: the free concert is there.
    let a = r.json("2025-11", "aggregates.json");
    performance(&a, "programme_csv:concert-du-parc-20251123T1600");
}

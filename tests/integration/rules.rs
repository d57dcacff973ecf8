//! The rules of issue 13 through the binary: the configuration's `astp_member_theatre`, the
//! programme's other receipts and the VAT checks reach the files a user reads.

use crate::month_run::{november_programme, november_tickets};
use crate::support::*;

/// A humour show, 21 November: 100 tickets at 21.10 € (5.5 %), and the bar's 600.00 € at 20 %.
fn humour_month(member: bool) -> Scenario {
    let mut s = Scenario::new();
    s.subsidised = false;
    if member {
        s.extra_org_keys = "astp_member_theatre = true\n".into();
    }
    let mut t = String::from(TICKETS_HEADER);
    for i in 0..100 {
        t += &ticket(
            &format!("H-{i}"),
            "H1",
            "Seul en scène",
            "2025-11-21 20:30",
            "Grande salle",
            "Plein tarif",
            "full",
            "21.10",
            "5.5",
            "valid",
        );
    }
    s.write("tickets.csv", t);
    s.write(
        "programme.csv",
        "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;venue_type;capacity;discipline;sacem;bar_incl_vat;bar_vat_rate\n\
         H1;Seul en scène;2025-11-21 20:30;Grande salle;44000;Nantes;THEATRE;400;humour;yes;600,00;20\n",
    );
    s
}

#[test]
fn humour_in_an_astp_member_theatre_is_declared_to_astp() {
    // 2110.00 incl., excl. round(2110.00 / 1.055) = 2000.00, tax 2000.00 × 3.5 % = 70.00.
    let s = humour_month(true);
    let run = s.run_month("2025-11");
    run.assert_status(0);
    let astp = run.json("2025-11", "astp.json");
    assert_eq!(astp["lines"][0]["performance_id"], "tickets_csv:H1");
    assert_eq!(astp["lines"][0]["tax_due"], "70.00");
    assert!(astp["lines"][0]["fraction_reason"]
        .as_str()
        .unwrap()
        .contains("théâtre membre de l'ASTP"));
    let cnm = run.json("2025-11", "cnm.json");
    assert!(cnm["lines"].as_array().unwrap().is_empty());

    // Elsewhere the same show is variétés, and CNM's portal gets whole euros.
    let s = humour_month(false);
    let run = s.run_month("2025-11");
    let cnm = run.json("2025-11", "cnm.json");
    assert_eq!(cnm["lines"][0]["tax_due"], "70.00");
    assert_eq!(cnm["lines"][0]["tax_due_euros"], "70.00");
    assert_eq!(cnm["lines"][0]["receipts_excl_vat_euros"], "2000.00");
}

#[test]
fn a_bar_receipt_reaches_the_sacem_etat() {
    // Bar 600.00 incl. at 20 %: excl. 500.00, VAT 100.00; entries 2110.00 incl., 2000.00 excl.
    // Receipts excl. 2500.00; estimate 2500.00 × 8.80 % = 220.00.
    let s = humour_month(false);
    let run = s.run_month("2025-11");
    let sacem = run.json("2025-11", "sacem.json");
    let show = &sacem["shows"][0];
    let bar = show["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["origin"] == "consommations")
        .expect("a consommations row");
    assert_eq!(bar["vat_rate"], "20");
    assert_eq!(bar["excl_vat"], "500.00");
    assert_eq!(bar["vat"], "100.00");
    assert_eq!(show["receipts_total"]["excl_vat"], "2500.00");
    assert_eq!(show["rights_estimate"]["amount"], "220.00");
}

#[test]
fn a_super_reduced_ticket_on_a_show_not_marked_creation_is_a_point_to_check() {
    // Le Cercle (P4) sells at 2.1 %; here the programme no longer marks it as a creation.
    let s = Scenario::new();
    s.write("tickets.csv", november_tickets());
    let programme = november_programme("44306184100047");
    let changed = programme.replace("Cie du Cercle;;yes;;;yes;;no", "Cie du Cercle;;yes;;;;;no");
    assert_ne!(programme, changed, "the fixture row changed shape");
    s.write("programme.csv", changed);
    let run = s.run_month("2025-11");
    // A warning: the figures stand, the run needs no decision.
    run.assert_status(0);
    let issues = run.json("2025-11", "issues.json");
    let vat: Vec<&serde_json::Value> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "vat.super_reduced.not_creation")
        .collect();
    assert_eq!(vat.len(), 1, "{issues:#}");
    assert_eq!(vat[0]["severity"], "warning");
    assert_eq!(vat[0]["performance_id"], "tickets_csv:P4");
    assert!(vat[0]["message"].as_str().unwrap().contains("2,1 %"));
}

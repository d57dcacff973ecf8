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

/// One theatre performance, Les Vagues on 2 November 2025 at 16:00: 2 tickets at 18.00 (5.5 %).
fn second_of_november() -> Scenario {
    let s = Scenario::new();
    let mut t = String::from(TICKETS_HEADER);
    for i in 1..=2 {
        t += &ticket(
            &format!("V-{i}"),
            "V1",
            "Les Vagues",
            "2025-11-02 16:00",
            "Grande salle",
            "Plein tarif",
            "full",
            "18.00",
            "5.5",
            "valid",
        );
    }
    s.write("tickets.csv", t);
    s.write(
        "programme.csv",
        format!(
            "{PROGRAMME_HEADER}V1;Les Vagues;2025-11-02 16:00;Grande salle;44000;Nantes;THEATRE;400;theatre;tout_public;;;;;;;;no\n"
        ),
    );
    s
}

fn run_sacd_period(s: &Scenario, from: &str, to: &str, at: &str) -> (i32, String) {
    let (status, stdout, stderr) = crate::sacd_period::run_period(s, from, to, at);
    (status, stdout + &stderr)
}

#[test]
fn a_performance_on_the_2nd_declared_on_the_5th_is_late_and_says_so() {
    // 2 November + 30 days = 2 December, the last day on time. The monthly run dated
    // 5 December is 3 days late: a blocking point in issues.json and the report, exit 1.
    let s = second_of_november();
    let run = s.run_month("2025-11");
    run.assert_status(1);
    let sacd = run.json("2025-11", "sacd.json");
    assert_eq!(sacd["lines"][0]["performance_id"], "tickets_csv:V1");
    assert_eq!(sacd["lines"][0]["deadline"], "2025-12-02");
    // 36.00 incl.; excl. round(36.00 / 1.055) = round(34.1232…) = 34.12; VAT 1.88.
    assert_eq!(sacd["lines"][0]["receipts_excl_vat"], "34.12");
    assert_eq!(sacd["lines"][0]["vat_amount"], "1.88");
    let issues = run.json("2025-11", "issues.json");
    let late: Vec<&serde_json::Value> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "sacd.deadline.past")
        .collect();
    assert_eq!(late.len(), 1, "{issues:#}");
    assert_eq!(late[0]["severity"], "blocking");
    assert_eq!(late[0]["body"], "sacd");
    assert_eq!(late[0]["performance_id"], "tickets_csv:V1");
    let message = late[0]["message"].as_str().unwrap();
    assert!(
        message.contains("au plus tard le 2 décembre 2025"),
        "{message}"
    );
    assert!(message.contains("--body sacd --from"), "{message}");
    let report = String::from_utf8(run.bytes("2025-11", "report.html")).unwrap();
    assert!(
        report.contains("Le délai SACD de la représentation"),
        "the report lists it"
    );

    // Declared weekly instead, on Monday 10 November for 1–7 November: 22 days left, nothing
    // blocking, exit 0.
    let (status, out) =
        run_sacd_period(&s, "2025-11-01", "2025-11-07", "2025-11-10T09:00:00+01:00");
    assert_eq!(status, 0, "{out}");
    // On 26 November, 6 days left: the bordereau is due now (blocking, exit 1).
    let (status, out) =
        run_sacd_period(&s, "2025-11-01", "2025-11-07", "2025-11-26T09:00:00+01:00");
    assert_eq!(status, 1, "{out}");
    assert!(
        out.contains("au plus tard le 2 décembre 2025 (dans 6 jours)"),
        "{out}"
    );
}

#[test]
fn contract_money_and_the_producers_address_reach_the_sacd_xml() {
    // Les Vagues, 14 November: 3 tickets at 18.00 (5.5 %): 54.00 incl., excl. round(54 / 1.055)
    // = 51.18, VAT 2.82. Contract (programme, excl. VAT): cession 3000.00, frais d'approche
    // 450.00, co-production 1000.00, guarantee 500.00.
    // rep_mt_depenses = 3000 + 450 + 1000 + 500 = 4950.00; VAT on the cession 3000 × 5.5 % = 165.00.
    let mut s = Scenario::new();
    s.subsidised = false;
    let mut t = String::from(TICKETS_HEADER);
    for i in 1..=3 {
        t += &ticket(
            &format!("C-{i}"),
            "C1",
            "Les Vagues",
            "2025-11-14 20:30",
            "Grande salle",
            "Plein tarif",
            "full",
            "18.00",
            "5.5",
            "valid",
        );
    }
    s.write("tickets.csv", t);
    s.write(
        "programme.csv",
        "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;venue_type;capacity;discipline;producer_name;producer_siret;producer_address;contract_type;cession_price_excl_vat;frais_approche_excl_vat;coproduction_contribution_excl_vat;guarantee_excl_vat;sacem\n\
         C1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;400;theatre;Cie du Vent;73282932000074;5 rue du Moulin, 35000 Rennes;cession;3000,00;450,00;1000,00;500,00;no\n",
    );
    let run = s.run_month("2025-11");
    let xml = String::from_utf8(run.bytes("2025-11", "sacd.xml")).unwrap();
    for wanted in [
        "<rep_ref_dec>tickets_csv:C1</rep_ref_dec>",
        "<rep_mt_billets>51.18</rep_mt_billets>",
        "<rep_mt_tva_billets>2.82</rep_mt_tva_billets>",
        "<rep_mt_depenses>4950.00</rep_mt_depenses>",
        "<rep_mt_frais>450.00</rep_mt_frais>",
        "<rep_mt_cession>3000.00</rep_mt_cession>",
        "<rep_tx_tva_cession>5.5</rep_tx_tva_cession>",
        "<rep_mt_tva_cession>165.00</rep_mt_tva_cession>",
        "<rep_mt_apports_coprod>1000.00</rep_mt_apports_coprod>",
        "<rep_mt_garantie_rec>500.00</rep_mt_garantie_rec>",
        "<prod_nom>Cie du Vent</prod_nom>",
        "<prod_ref>732829320</prod_ref>",
        "<prod_adresse_1>5 rue du Moulin</prod_adresse_1>",
        "<prod_code_postal>35000</prod_code_postal>",
        "<prod_ville>Rennes</prod_ville>",
        "<prod_pays>FR</prod_pays>",
    ] {
        assert!(xml.contains(wanted), "missing {wanted} in\n{xml}");
    }
    let sacd = run.json("2025-11", "sacd.json");
    assert_eq!(sacd["totals"]["cession_price_excl_vat"], "3000.00");
    assert_eq!(sacd["lines"][0]["cession_vat_amount"], "165.00");
}

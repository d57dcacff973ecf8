//! A small month computed by hand: mixed VAT, the Paris month boundary, ASTP exemption and its
//! exception, free admission (organiser vs seller), a cancelled performance.

use crate::support::*;

/// Tickets of November 2025 (and one December performance just after midnight).
pub fn november_tickets() -> String {
    let mut s = String::from(TICKETS_HEADER);
    // P1 Les Vagues, 14/11 20:30: 3 × 18.00 at 5.5 %, 1 × 30.00 at 20 %, 1 invitation.
    for i in 1..=3 {
        s += &ticket(
            &format!("T1-{i}"),
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
    }
    s += &ticket(
        "T1-4",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "Carré or",
        "other",
        "30.00",
        "20",
        "valid",
    );
    s += &ticket(
        "T1-5",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "Invitation",
        "free",
        "0",
        "",
        "valid",
    );
    // P2 Nuit Jazz, 30/11 23:30 Paris (22:30 UTC): 2 × 15.00 at 5.5 %.
    s += &ticket(
        "T2-1",
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
    s += &ticket(
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
    // P3 Nuit Jazz, 01/12 00:30 Paris (23:30 UTC on 30/11): December.
    for i in 1..=5 {
        s += &ticket(
            &format!("T3-{i}"),
            "P3",
            "Nuit Jazz",
            "2025-12-01 00:30",
            "Club",
            "Plein tarif",
            "full",
            "15.00",
            "5.5",
            "valid",
        );
    }
    // P4 Le Cercle, 20/11 19:00, a creation at 2.1 %: 2 × 12.00.
    s += &ticket(
        "T4-1",
        "P4",
        "Le Cercle",
        "2025-11-20 19:00",
        "Studio",
        "Plein tarif",
        "full",
        "12.00",
        "2.1",
        "valid",
    );
    s += &ticket(
        "T4-2",
        "P4",
        "Le Cercle",
        "2025-11-20 19:00",
        "Studio",
        "Tarif réduit",
        "reduced",
        "12.00",
        "2.1",
        "valid",
    );
    // P6 Rire, 22/11 21:00, cancelled: both tickets refunded.
    s += &ticket(
        "T6-1",
        "P6",
        "Rire",
        "2025-11-22 21:00",
        "Grande salle",
        "Plein tarif",
        "full",
        "20.00",
        "5.5",
        "refunded",
    );
    s += &ticket(
        "T6-2",
        "P6",
        "Rire",
        "2025-11-22 21:00",
        "Grande salle",
        "Plein tarif",
        "full",
        "20.00",
        "5.5",
        "refunded",
    );
    s
}

/// The programme; `seller_siret` is the SIRET of the free concert's seller.
pub fn november_programme(seller_siret: &str) -> String {
    let mut s = String::from(PROGRAMME_HEADER);
    s += "P1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;THEATRE;400;theatre;tout_public;Prod Privée SAS;44306184100047;no;;;;\n";
    s += "P2;Nuit Jazz;2025-11-30 23:30;Club;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;jazz;;;;;;;;\n";
    s += "P3;Nuit Jazz;2025-12-01 00:30;Club;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;jazz;;;;;;;;\n";
    // Linked by title and time (no id): the subsidised co-producer.
    s += ";LE CERCLE;2025-11-20 19:05;Studio;44000;Nantes;THEATRE;80;theatre;jeune_public;Cie du Cercle;;yes;;;yes;\n";
    s += &format!(";Concert du parc;2025-11-23 16:00;Parvis;44000;Nantes;PLEIN_AIR_PARC_LOISIRS_ATTRACTION;;musiques_actuelles;;Prod Son SARL;{seller_siret};no;yes;1500,00;;\n");
    s += "P6;Rire;2025-11-22 21:00;Grande salle;44000;Nantes;THEATRE;400;humour;;;;;;;;yes\n";
    s
}

pub fn november() -> Scenario {
    let s = Scenario::new();
    s.write("tickets.csv", november_tickets());
    s.write("programme.csv", november_programme("44306184100047"));
    s
}

#[test]
fn aggregates_follow_the_paris_calendar_and_the_rounding_rule() {
    let s = november();
    let r = s.run_month("2025-11");
    let a = r.json("2025-11", "aggregates.json");
    assert_eq!(a["schema_version"], 1);
    assert_eq!(a["organisation"], "theatre-des-digues");
    assert_eq!(a["month"], "2025-11");
    let ids: Vec<&str> = a["performances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["performance_id"].as_str().unwrap())
        .collect();
    // Sorted by start time; P3 (00:30 on 1 December) is December's.
    assert_eq!(
        ids,
        [
            "tickets_csv:P1",
            "tickets_csv:P4",
            "tickets_csv:P6",
            "programme_csv:concert-du-parc-20251123T1600",
            "tickets_csv:P2"
        ]
    );
    let p1 = performance(&a, "tickets_csv:P1");
    assert_eq!(p1["starts_at"], "2025-11-14T20:30:00+01:00");
    assert_eq!(p1["date"], "2025-11-14");
    assert_eq!(p1["discipline"], "theatre");
    assert_eq!(p1["capacity"], 400);
    assert_eq!(
        (p1["paid_tickets"].as_u64(), p1["free_tickets"].as_u64()),
        (Some(4), Some(1))
    );
    // 3 × 18.00 = 54.00 at 5.5 % → 54 / 1.055 = 51.1848 → 51.18; 30.00 at 20 % → 25.00.
    assert_eq!(p1["receipts_incl_vat"], "84.00");
    assert_eq!(p1["receipts_excl_vat"], "76.18");
    assert_eq!(p1["vat"][0]["rate"], "5.5");
    assert_eq!(p1["vat"][0]["receipts_excl_vat"], "51.18");
    assert_eq!(p1["vat"][1]["rate"], "20");
    assert_eq!(p1["vat"][1]["receipts_excl_vat"], "25.00");
    assert_eq!(p1["full_price_tickets"], 3);
    let p2 = performance(&a, "tickets_csv:P2");
    assert_eq!(p2["starts_at"], "2025-11-30T23:30:00+01:00");
    assert_eq!(p2["date"], "2025-11-30");
    assert_eq!(p2["subscription_tickets"], 1);
    // 30.00 / 1.055 = 28.436 → 28.44
    assert_eq!(p2["receipts_excl_vat"], "28.44");
    // Le Cercle linked by title and time (5 minutes apart): 24.00 / 1.021 = 23.5064 → 23.51.
    let p4 = performance(&a, "tickets_csv:P4");
    assert_eq!(p4["audience"], "jeune_public");
    assert_eq!(p4["receipts_excl_vat"], "23.51");
    let totals = &a["totals"];
    assert_eq!(totals["performances"], 5);
    assert_eq!(totals["paid_tickets"], 8);
    assert_eq!(totals["free_tickets"], 1);
    // 84.00 + 30.00 + 24.00 = 138.00 ; 76.18 + 28.44 + 23.51 = 128.13
    assert_eq!(totals["receipts_incl_vat"], "138.00");
    assert_eq!(totals["receipts_excl_vat"], "128.13");

    let december = s.run_month("2025-12");
    let d = december.json("2025-12", "aggregates.json");
    let p3 = performance(&d, "tickets_csv:P3");
    assert_eq!(p3["date"], "2025-12-01");
    assert_eq!(p3["starts_at"], "2025-12-01T00:30:00+01:00");
    assert_eq!(p3["paid_tickets"], 5);
}

#[test]
fn cnm_declares_paid_variety_shows_and_leaves_the_free_concert_to_its_seller() {
    let s = november();
    let r = s.run_month("2025-11");
    r.assert_status(0);
    let cnm = r.json("2025-11", "cnm.json");
    assert_eq!(cnm["body"], "cnm");
    assert_eq!(cnm["deadline"], "2026-02-28");
    let lines = cnm["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{cnm:#}");
    let p2 = &lines[0];
    assert_eq!(p2["performance_id"], "tickets_csv:P2");
    assert_eq!(p2["base_kind"], "receipts");
    assert_eq!(p2["tax_base"], "28.44");
    assert_eq!(p2["tax_rate"], "3.5");
    // 28.44 × 3.5 % = 0.9954 → 1.00
    assert_eq!(p2["tax_due"], "1.00");
    assert_eq!(cnm["totals"]["tax_due"], "1.00");
    assert_eq!(cnm["totals"]["tax_base"], "28.44");
    assert_eq!(cnm["totals"]["performances"], 1);
    let concert = line(
        &cnm,
        "not_taxable",
        "programme_csv:concert-du-parc-20251123T1600",
    )
    .expect("free concert listed");
    assert!(
        concert["reason"].as_str().unwrap().contains("vendeur"),
        "{concert}"
    );
    let cancelled = line(&cnm, "not_taxable", "tickets_csv:P6").expect("cancelled listed");
    assert!(
        cancelled["reason"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("annul"),
        "{cancelled}"
    );
    // The default CSV is the Excel-French one (BOM, `;`, decimal comma).
    let csv = String::from_utf8(r.bytes("2025-11", "cnm.csv")).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("UTF-8 BOM");
    assert!(csv.lines().next().unwrap().contains(";tax_due;"));
    assert!(csv.contains(";28,44;") && csv.contains(";1,00;"), "{csv}");
}

#[test]
fn astp_exempts_a_subsidised_organiser_except_for_shows_bought_from_a_private_producer() {
    let s = november();
    let r = s.run_month("2025-11");
    let astp = r.json("2025-11", "astp.json");
    let lines = astp["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1, "{astp:#}");
    assert_eq!(lines[0]["performance_id"], "tickets_csv:P1");
    // 76.18 × 3.5 % = 2.6663 → 2.67
    assert_eq!(lines[0]["tax_base"], "76.18");
    assert_eq!(lines[0]["tax_due"], "2.67");
    assert_eq!(astp["totals"]["tax_due"], "2.67");
    let cercle =
        line(&astp, "not_taxable", "tickets_csv:P4").expect("co-production listed as exempt");
    assert!(
        cercle["reason"].as_str().unwrap().contains("subventionn"),
        "{cercle}"
    );

    // The same month for a private, unsubsidised organiser: both theatre shows are taxable.
    let mut s = november();
    s.subsidised = false;
    let r = s.run_month("2025-11");
    let astp = r.json("2025-11", "astp.json");
    let ids: Vec<&str> = astp["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["performance_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tickets_csv:P1", "tickets_csv:P4"]);
    // 76.18 × 3.5 % = 2.67 ; 23.51 × 3.5 % = 0.82285 → 0.82 ; total 3.49
    assert_eq!(astp["totals"]["tax_due"], "3.49");
}

#[test]
fn an_organisation_selling_a_free_show_declares_the_cession_price() {
    let s = november();
    s.write("programme.csv", november_programme(SIRET));
    let r = s.run_month("2025-11");
    let cnm = r.json("2025-11", "cnm.json");
    let concert = line(&cnm, "lines", "programme_csv:concert-du-parc-20251123T1600")
        .expect("seller declares");
    assert_eq!(concert["base_kind"], "cession_price");
    assert_eq!(concert["tax_base"], "1500.00");
    // 1500.00 × 3.5 % = 52.50 ; total with P2: 52.50 + 1.00 = 53.50
    assert_eq!(concert["tax_due"], "52.50");
    assert_eq!(cnm["totals"]["tax_due"], "53.50");
}

#[test]
fn declarations_pdfs_show_the_lines_and_totals() {
    let s = november();
    let r = s.run_month("2025-11");
    let cnm = releve_testkit::pdf_text(&r.bytes("2025-11", "cnm.pdf"));
    assert!(cnm.contains("CNM"), "{cnm}");
    assert!(cnm.contains("Nuit Jazz"), "{cnm}");
    assert!(cnm.contains("28,44"), "{cnm}");
    assert!(cnm.contains("Théâtre des Digues"), "{cnm}");
    let astp = releve_testkit::pdf_text(&r.bytes("2025-11", "astp.pdf"));
    assert!(astp.contains("ASTP"), "{astp}");
    assert!(astp.contains("Les Vagues"), "{astp}");
    assert!(astp.contains("76,18") && astp.contains("2,67"), "{astp}");
}

#[test]
fn the_run_writes_every_documented_file_and_a_french_report() {
    let s = november();
    let r = s.run_month("2025-11");
    let files = files_in(&r.folder("2025-11"));
    for expected in [
        "aggregates.json",
        "astp.csv",
        "astp.json",
        "astp.pdf",
        "cnm.csv",
        "cnm.json",
        "cnm.pdf",
        "issues.json",
        "report.html",
    ] {
        assert!(
            files.contains(&expected.to_string()),
            "{expected} missing from {files:?}"
        );
    }
    let report = String::from_utf8(r.bytes("2025-11", "report.html")).unwrap();
    assert!(report.contains("Relevé de novembre 2025"));
    assert!(report.contains("28 février 2026"), "CNM deadline in French");
    assert!(r.stdout.contains("novembre 2025"), "{}", r.stdout);
}

#[test]
fn two_runs_on_the_same_inputs_give_byte_identical_files() {
    let s = november();
    let first = s.run_month("2025-11");
    let folder = first.folder("2025-11");
    let before: Vec<(String, Vec<u8>)> = files_in(&folder)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(folder.join(&f)).unwrap()))
        .collect();
    let second = s.run_month("2025-11");
    second.assert_status(0);
    for (name, bytes) in before {
        assert_eq!(
            bytes,
            second.bytes("2025-11", &name),
            "{name} changed between two runs"
        );
    }
}

#[test]
fn the_month_run_writes_indicators_with_the_previous_month_beside() {
    let s = november();
    let r = s.run_month("2025-11");
    let indicators = r.json("2025-11", "indicators.json");
    assert_eq!(indicators["organisation"], "theatre-des-digues");
    assert_eq!(indicators["month"], "2025-11");
    let row = |id: &str| {
        indicators["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))
            .clone()
    };
    // Paid entries of non-cancelled performances: P1 4 + P4 2 + P2 2 = 8 (P6 cancelled).
    assert_eq!(row("attendance.paid")["value"], 8);
    // Five performances, one cancelled.
    assert_eq!(row("performances.total")["value"], 4);
    let csv = String::from_utf8(r.bytes("2025-11", "indicators.csv")).unwrap();
    assert!(csv.contains("attendance.paid"), "{csv}");
}

#[test]
fn the_indicators_command_covers_a_season_and_its_previous_one() {
    let s = november();
    let config = s.write_config();
    let out = s.path("out");
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
    let folder = out.join("theatre-des-digues").join("season-2025-2026");
    let files = files_in(&folder);
    assert_eq!(
        files,
        [
            "indicators.csv",
            "indicators.html",
            "indicators.json",
            "indicators.pdf",
            "indicators.xlsx"
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("indicators.json")).unwrap()).unwrap();
    let paid = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "attendance.paid")
        .unwrap();
    // November 8 + December 5 (P3) = 13; nothing in the previous season.
    assert_eq!(paid["value"], 13, "{paid}");
    let pdf = releve_testkit::pdf_text(&std::fs::read(folder.join("indicators.pdf")).unwrap());
    assert!(pdf.contains("13"), "{pdf}");
}

#[test]
fn trace_lists_the_tickets_behind_a_performance() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    let config = s.write_config();
    let output = releve(&[
        "trace",
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-11",
        "--performance",
        "tickets_csv:P1",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    // 3 × 18.00 at 5.5 % → 51.18 excl.; 30.00 at 20 % → 25.00.
    assert!(
        stdout.contains("TVA 5,5\u{a0}% : 3 billet(s), TTC 54,00\u{a0}€ → HT 51,18\u{a0}€"),
        "{stdout}"
    );
    for id in ["T1-1", "T1-2", "T1-3", "T1-4", "T1-5"] {
        assert!(
            stdout.contains(&format!("  {id}\t")),
            "{id} missing: {stdout}"
        );
    }
    assert!(!stdout.contains("T2-1"), "only this performance's tickets");
    // Statuses and prices in French: T1-4, 30.00 at 20 %.
    assert!(
        stdout.contains("  T1-4\tvalide\t30,00\u{a0}€\t20\u{a0}%\t"),
        "{stdout}"
    );
    let missing = releve(&[
        "trace",
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-11",
        "--performance",
        "tickets_csv:NOPE",
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

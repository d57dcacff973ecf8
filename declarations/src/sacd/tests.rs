//! Hand-computed expectations for the SACD bordereau, its XML and its PDF.

use super::*;
use crate::render::testing::{assert_golden, pdf_text};
use crate::sibil::fixture::{input, TestMonth};
use releve_domain::{Audience, Discipline, Money, PriceKind, Producer, Severity};

fn month() -> TestMonth {
    let mut m = TestMonth::new("2025-11");
    m.org.sacd_declarant_id = Some("123456".into());
    m
}

fn built(m: &TestMonth) -> Draft {
    let facts = m.facts();
    Sacd.build(&input(&facts)).unwrap()
}

fn xml_of(d: &Draft) -> String {
    String::from_utf8(d.files[1].bytes.clone()).unwrap()
}

fn codes(d: &Draft, severity: Severity) -> Vec<&str> {
    d.issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| i.code.as_str())
        .collect()
}

fn money(text: &str) -> Option<Money> {
    Some(Money::parse(text).unwrap())
}

#[test]
fn worked_example_line_with_mixed_rates() {
    // domain.md §3: 120 × 18.00 at 5.5 % and 30 × 30.00 at 20 %, 10 invitations.
    // incl. 2160.00 + 900.00 = 3060.00; excl. 2047.39 + 750.00 = 2797.39; VAT 262.61;
    // shown rate 5.5 (2160.00 > 900.00); average round(3060.00 / 150) = 20.40;
    // deadline 14 November + 30 days = 14 December.
    let mut m = month();
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.worked_example("P1");
    let draft = built(&m);
    let j = &draft.model;
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["body"], "sacd");
    assert_eq!(j["organisation"], "theatre-des-digues");
    assert_eq!(j["month"], "2025-11");
    assert_eq!(j["declarant_id"], "123456");
    assert_eq!(j["deadline"], "2025-12-14");
    let l = &j["lines"][0];
    for (field, value) in [
        ("performance_id", "tickets_csv:P1"),
        ("date", "2025-11-14"),
        ("time", "20:30"),
        ("nature", "TP"),
        ("receipts_incl_vat", "3060.00"),
        ("vat_rate", "5.5"),
        ("receipts_excl_vat", "2797.39"),
        ("vat_amount", "262.61"),
        ("average_price", "20.40"),
        ("deadline", "2025-12-14"),
        ("rep_ref", "tickets_csv:P1"),
    ] {
        assert_eq!(l[field], value, "{field}");
    }
    assert_eq!(l["paid_tickets"], 150);
    assert_eq!(l["exempted_tickets"], 10);
    assert_eq!(l["capacity"], 400);
    assert_eq!(l["vat_mixed"], true);
    assert_eq!(codes(&draft, Severity::Warning), ["sacd.vat.mixed"]);
    let warning = &draft.issues[0].message;
    assert!(
        warning.contains("5,5 % : 2 160,00 € TTC ; 20 % : 900,00 € TTC")
            || warning
                .replace(['\u{a0}', '\u{202f}'], " ")
                .contains("5,5 % : 2 160,00 € TTC ; 20 % : 900,00 € TTC"),
        "{warning}"
    );
    assert_eq!(j["totals"]["receipts_excl_vat"], "2797.39");
    assert_eq!(j["totals"]["vat_amount"], "262.61");
    let names: Vec<&str> = draft.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["sacd.json", "sacd.xml", "sacd.pdf"]);
    let on_disk: serde_json::Value = serde_json::from_slice(&draft.files[0].bytes).unwrap();
    assert_eq!(&on_disk, j);
    assert_eq!(draft.summary.lines, 1);
    assert_eq!(draft.summary.deadline.unwrap().to_string(), "2025-12-14");
}

#[test]
fn repertoire_nature_overrides_and_cancellations() {
    let mut m = month();
    m.ticketed("P1", "Lettres", "2025-11-03 10:00", Discipline::Lecture)
        .audience = Audience::Scolaire;
    m.ticketed("P2", "Le Loup", "2025-11-04 10:00", Discipline::Theatre)
        .audience = Audience::Scolaire;
    m.ticketed("P3", "Pas de deux", "2025-11-05 15:00", Discipline::Danse)
        .audience = Audience::JeunePublic;
    m.ticketed("P4", "Carmen", "2025-11-06 20:00", Discipline::Opera);
    // Jazz is not SACD repertoire, unless the programme says so.
    m.ticketed("P5", "Trio", "2025-11-07 21:00", Discipline::Jazz);
    m.ticketed("P6", "Jazz et poèmes", "2025-11-08 21:00", Discipline::Jazz)
        .sacd = Some(true);
    // Theatre the programme takes out.
    m.ticketed("P7", "Impro", "2025-11-09 21:00", Discipline::Theatre)
        .sacd = Some(false);
    // "review": blocking, not listed.
    m.ticketed(
        "P8",
        "Cabaret total",
        "2025-11-10 21:00",
        Discipline::Pluridisciplinaire,
    );
    // Cancelled.
    m.ticketed("P9", "Le Loup", "2025-11-11 20:00", Discipline::Theatre)
        .cancelled = true;
    let draft = built(&m);
    let lines: Vec<(&str, &str)> = draft.model["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["performance_id"].as_str().unwrap(),
                l["nature"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("tickets_csv:P1", "L"),
            ("tickets_csv:P2", "S"),
            ("tickets_csv:P3", "JP"),
            ("tickets_csv:P4", "TP"),
            ("tickets_csv:P6", "TP"),
        ]
    );
    // Generated on 1 December: the lines of 3–8 November are due 3–8 December, within the
    // 7-day notice (tested on their own below); here only the repertoire question matters.
    let blocking: Vec<&str> = codes(&draft, Severity::Blocking)
        .into_iter()
        .filter(|c| !c.starts_with("sacd.deadline."))
        .collect();
    assert_eq!(blocking, ["sacd.repertoire.review"]);
    let review = draft
        .issues
        .iter()
        .find(|i| i.code == "sacd.repertoire.review")
        .unwrap();
    assert_eq!(review.performance_id.as_deref(), Some("tickets_csv:P8"));
    let not_declared = &draft.model["not_declared"][0];
    assert_eq!(not_declared["performance_id"], "tickets_csv:P9");
    assert!(not_declared["reason"].as_str().unwrap().contains("annulée"));
}

#[test]
fn all_free_performance_has_no_rate_and_zero_average() {
    // 80 invitations: receipts 0.00, no VAT rate ("NA" on the form), average 0.00.
    let mut m = month();
    m.ticketed(
        "P1",
        "Portes ouvertes",
        "2025-11-12 18:00",
        Discipline::Cirque,
    );
    m.sell("P1", 80, "0", "0", PriceKind::Free);
    let draft = built(&m);
    let l = &draft.model["lines"][0];
    assert_eq!(l["receipts_incl_vat"], "0.00");
    assert_eq!(l["vat_rate"], serde_json::Value::Null);
    assert_eq!(l["average_price"], "0.00");
    assert_eq!(l["exempted_tickets"], 80);
    assert_eq!(l["vat_mixed"], false);
    let xml = xml_of(&draft);
    assert!(
        xml.contains("<rep_mt_billets>0.00</rep_mt_billets>"),
        "{xml}"
    );
    assert!(xml.contains("<rep_nb_billets_exo>80</rep_nb_billets_exo>"));
    assert!(draft.issues.is_empty(), "{:?}", draft.issues);
}

#[test]
fn late_night_performance_in_json_and_xml() {
    // 30 November 23:30 Paris (22:30 UTC): date 2025-11-30, time 23:30, deadline 30 December.
    let mut m = month();
    m.ticketed(
        "P1",
        "Nuit blanche",
        "2025-11-30 23:30",
        Discipline::Theatre,
    );
    m.sell("P1", 10, "21.10", "5.5", PriceKind::Full);
    let draft = built(&m);
    let l = &draft.model["lines"][0];
    assert_eq!(l["date"], "2025-11-30");
    assert_eq!(l["time"], "23:30");
    assert_eq!(l["deadline"], "2025-12-30");
    assert_eq!(l["starts_at"], "2025-11-30T23:30:00+01:00");
    let xml = xml_of(&draft);
    assert!(
        xml.contains("<rep_date_debut>2025/11/30</rep_date_debut>"),
        "{xml}"
    );
    assert!(xml.contains("<rep_date_fin>2025/11/30</rep_date_fin>"));
    assert!(xml.contains("<rep_horaire>23:30</rep_horaire>"));
    // 211.00 at 5.5 %: excl. round(211.00 / 1.055) = 200.00, VAT 11.00.
    assert!(xml.contains("<rep_mt_billets>200.00</rep_mt_billets>"));
    assert!(xml.contains("<rep_mt_tva_billets>11.00</rep_mt_tva_billets>"));
    // Declared on 1 December 2025 (generation time, Paris).
    assert!(xml.contains("<dec_date>2025/12/01</dec_date>"));
}

#[test]
fn texts_are_cut_at_128_characters() {
    // 130 characters, accented: the cut keeps 128 whole characters (129 and 130 dropped).
    let title = format!("{}xy", "é".repeat(128));
    assert_eq!(title.chars().count(), 130);
    let cut = xml::cut(&title);
    assert_eq!(cut.chars().count(), 128);
    assert_eq!(cut, "é".repeat(128));
    assert_eq!(xml::cut("  court  "), "court");

    let mut m = month();
    m.ticketed("P1", &title, "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 1, "10.00", "5.5", PriceKind::Full);
    let xml = xml_of(&built(&m));
    assert!(
        xml.contains(&format!("<rep_titre>{}</rep_titre>", "é".repeat(128))),
        "{xml}"
    );
}

#[test]
fn contract_money_per_performance_and_per_show() {
    // P1: cession 3000.00, frais d'approche 450.00, coproduction 1000.00, guarantee 500.00;
    // P2 (same show): cession 3000.00. Show: cession 6000.00, frais 450.00, coprod 1000.00,
    // guarantee 500.00. XML P1: dépenses = total expenses excl. VAT, frais d'approche included:
    // 3000 + 450 + 1000 + 500 = 4950.00; frais 450.00; cession 3000.00 at 5.5 % → VAT
    // 3000 × 5.5 % = 165.00; coprod 1000.00; guarantee 500.00. P2: 3000.00, frais 0.00, VAT
    // 165.00; P3 (no contract): only the nature of the exploitation (PRO).
    let mut m = month();
    let row = m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    row.producer = Some(Producer {
        name: "Cie du Vent".into(),
        siret: Some("73282932000074".into()),
        subsidised: Some(false),
        address: None,
    });
    row.cession_price_excl_vat = money("3000.00");
    row.frais_approche_excl_vat = money("450.00");
    row.coproduction_contribution_excl_vat = money("1000.00");
    row.guarantee_excl_vat = money("500.00");
    let row = m.ticketed("P2", "Les Vagues", "2025-11-15 20:30", Discipline::Theatre);
    row.cession_price_excl_vat = money("3000.00");
    m.ticketed("P3", "Maison", "2025-11-16 16:00", Discipline::Conte);
    for id in ["P1", "P2", "P3"] {
        m.sell(id, 2, "10.00", "5.5", PriceKind::Full);
    }
    let draft = built(&m);
    let shows = draft.model["shows"].as_array().unwrap();
    assert_eq!(shows.len(), 2);
    assert_eq!(shows[0]["show_title"], "Les Vagues");
    assert_eq!(shows[0]["performances"], 2);
    assert_eq!(shows[0]["first_date"], "2025-11-14");
    assert_eq!(shows[0]["last_date"], "2025-11-15");
    assert_eq!(shows[0]["cession_price_excl_vat"], "6000.00");
    assert_eq!(shows[0]["frais_approche_excl_vat"], "450.00");
    assert_eq!(shows[0]["coproduction_contribution_excl_vat"], "1000.00");
    assert_eq!(shows[0]["guarantee_excl_vat"], "500.00");
    assert_eq!(shows[0]["producer_name"], "Cie du Vent");
    assert_eq!(shows[1]["cession_price_excl_vat"], "0.00");
    assert_eq!(draft.model["totals"]["cession_price_excl_vat"], "6000.00");
    let xml = xml_of(&draft);
    let reps: Vec<&str> = xml.split("<Representation>").skip(1).collect();
    assert_eq!(reps.len(), 3);
    assert!(reps[0].contains("<rep_mt_depenses>4950.00</rep_mt_depenses>"));
    assert!(reps[0].contains("<rep_mt_frais>450.00</rep_mt_frais>"));
    assert!(reps[0].contains("<rep_mt_cession>3000.00</rep_mt_cession>"));
    assert!(reps[0].contains("<rep_tx_tva_cession>5.5</rep_tx_tva_cession>"));
    assert!(reps[0].contains("<rep_mt_tva_cession>165.00</rep_mt_tva_cession>"));
    assert!(reps[0].contains("<rep_mt_apports_coprod>1000.00</rep_mt_apports_coprod>"));
    assert!(reps[0].contains("<rep_mt_garantie_rec>500.00</rep_mt_garantie_rec>"));
    assert!(reps[0].contains("<expl_nat>PRO</expl_nat>"));
    assert_eq!(draft.model["lines"][0]["cession_vat_amount"], "165.00");
    assert!(reps[0].contains("<prod_nom>Cie du Vent</prod_nom>"));
    assert!(reps[0].contains("<prod_ref>732829320</prod_ref>"));
    assert!(reps[1].contains("<rep_mt_depenses>3000.00</rep_mt_depenses>"));
    assert!(reps[1].contains("<rep_mt_frais>0.00</rep_mt_frais>"));
    assert!(reps[1].contains("<rep_mt_tva_cession>165.00</rep_mt_tva_cession>"));
    assert!(!reps[1].contains("rep_mt_apports_coprod"));
    assert!(
        reps[2].contains("<Exploitation>\n        <expl_nat>PRO</expl_nat>\n      </Exploitation>")
    );
    assert!(!reps[2].contains("rep_mt_depenses"));
    // No producer named: the organisation's own production.
    assert!(reps[2].contains("<prod_nom>Théâtre des Digues</prod_nom>"));
    assert!(reps[2].contains("<prod_ref>812345676</prod_ref>"));
}

#[test]
fn missing_declarant_id_blocks() {
    let mut m = month();
    m.org.sacd_declarant_id = None;
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 1, "10.00", "5.5", PriceKind::Full);
    let draft = built(&m);
    assert_eq!(
        codes(&draft, Severity::Blocking),
        ["sacd.declarant_id.missing"]
    );
    assert!(xml_of(&draft).contains("<dec_ref></dec_ref>"));
    // Nothing to declare: no issue about the id.
    let empty = built(&{
        let mut m = month();
        m.org.sacd_declarant_id = None;
        m
    });
    assert!(empty.issues.is_empty());
    assert_eq!(empty.summary.deadline, None);
    assert!(empty.summary.note.contains("rien à déclarer"));
}

#[test]
fn amendments_carry_their_version() {
    let mut m = month();
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.sell("P1", 1, "10.00", "5.5", PriceKind::Full);
    let facts = m.facts();
    let first = Sacd.build(&input(&facts)).unwrap();
    assert!(xml_of(&first).contains("<rep_version>1</rep_version>"));
    let second = build_version(&input(&facts), 2).unwrap();
    let xml = xml_of(&second);
    assert!(xml.contains("<rep_version>2</rep_version>"));
    assert!(xml.contains("<rep_ref_dec>tickets_csv:P1</rep_ref_dec>"));
}

/// A small month: mixed rates with contract money, a school reading, an all-free circus
/// performance, a late-night show, a cancelled performance.
fn golden_month() -> TestMonth {
    let mut m = month();
    let row = m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    row.producer = Some(Producer {
        name: "Cie du Vent".into(),
        siret: Some("73282932000074".into()),
        subsidised: Some(false),
        address: Some("5 rue du Moulin, 35000 Rennes".into()),
    });
    row.cession_price_excl_vat = money("3000.00");
    row.frais_approche_excl_vat = money("450.00");
    m.worked_example("P1");
    let row = m.ticketed(
        "P2",
        "Lettres à Lou",
        "2025-11-18 14:00",
        Discipline::Lecture,
    );
    row.audience = Audience::Scolaire;
    row.capacity = Some(90);
    m.sell("P2", 60, "5.00", "5.5", PriceKind::Reduced);
    m.ticketed(
        "P3",
        "Portes ouvertes",
        "2025-11-22 18:00",
        Discipline::Cirque,
    );
    m.sell("P3", 80, "0", "0", PriceKind::Free);
    m.ticketed(
        "P4",
        "Nuit blanche",
        "2025-11-30 23:30",
        Discipline::Theatre,
    );
    m.sell("P4", 10, "21.10", "5.5", PriceKind::Full);
    m.ticketed("P5", "Les Vagues", "2025-11-15 20:30", Discipline::Theatre)
        .cancelled = true;
    m
}

#[test]
fn the_producers_address_is_in_the_producteur_element() {
    // The producer's one-line address « 5 rue du Moulin, 35000 Rennes » is split at its postal
    // code into the pilot schema's prod_adresse_1 / prod_code_postal / prod_ville / prod_pays;
    // the organisation's own production carries the organisation's address.
    let mut m = golden_month();
    m.org.address = Some("2 quai des Digues".into());
    m.org.postal_code = Some("44000".into());
    m.org.city = Some("Nantes".into());
    let xml = xml_of(&built(&m));
    let producer = |n: usize| -> String {
        let start = xml.match_indices("<Producteur>").nth(n).unwrap().0;
        let end = xml[start..].find("</Producteur>").unwrap() + start;
        xml[start..end].to_string()
    };
    let first = producer(0);
    assert!(
        first.contains("<prod_nom>Cie du Vent</prod_nom>"),
        "{first}"
    );
    assert!(
        first.contains("<prod_adresse_1>5 rue du Moulin</prod_adresse_1>"),
        "{first}"
    );
    assert!(
        first.contains("<prod_code_postal>35000</prod_code_postal>"),
        "{first}"
    );
    assert!(first.contains("<prod_ville>Rennes</prod_ville>"), "{first}");
    assert!(first.contains("<prod_pays>FR</prod_pays>"), "{first}");
    // The elements follow the schema's order: name, reference, then the address.
    let order = [
        "prod_nom",
        "prod_ref",
        "prod_adresse_1",
        "prod_code_postal",
        "prod_ville",
        "prod_pays",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| first.find(&format!("<{t}>")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{first}");
    let own = producer(1);
    assert!(
        own.contains("<prod_nom>Théâtre des Digues</prod_nom>"),
        "{own}"
    );
    assert!(
        own.contains("<prod_adresse_1>2 quai des Digues</prod_adresse_1>"),
        "{own}"
    );
    assert!(
        own.contains("<prod_code_postal>44000</prod_code_postal>"),
        "{own}"
    );
}

#[test]
fn golden_sacd_json_and_xml() {
    let draft = built(&golden_month());
    let json = String::from_utf8(draft.files[0].bytes.clone()).unwrap();
    assert_golden("sacd/sacd_2025-11.json", &json);
    assert_golden("sacd/sacd_2025-11.xml", &xml_of(&draft));
    // Same input, same bytes, PDF included.
    let again = built(&golden_month());
    for (a, b) in draft.files.iter().zip(&again.files) {
        assert_eq!(a.bytes, b.bytes, "{}", a.name);
    }
}

#[test]
fn pdf_bordereau_reads_like_the_form() {
    let draft = built(&golden_month());
    let text = pdf_text(&draft.files[2].bytes);
    for expected in [
        "Bordereau de recettes (SACD)",
        "Représentations de novembre 2025",
        "Théâtre des Digues",
        "Identifiant SACD 123456",
        "SIRET 812 345 676 00009",
        "A-B. Spectacles et lieux",
        "Cie du Vent (732 829 320 00074)",
        "C. Billetterie",
        // P1: date, time, nature, receipts, rate (mixed), paid, exempted, capacity, average.
        "14/11/2025 20:30 Les Vagues TP 3 060,00 € 5,5 % * 150 10 400 20,40 € 14/12/2025",
        "18/11/2025 14:00 Lettres à Lou L 300,00 € 5,5 % 60 0 90 5,00 €",
        "22/11/2025 18:00 Portes ouvertes TP 0,00 € NA 0 80 400 0,00 €",
        "30/11/2025 23:30 Nuit blanche TP 211,00 € 5,5 % 10 0 400 21,10 €",
        // 3060.00 + 300.00 + 0.00 + 211.00 = 3571.00; paid 150 + 60 + 10 = 220;
        // exempted 10 + 80 = 90; average round(3571.00 / 220 = 16.2318…) = 16.23.
        "Total 4 représentations 3 571,00 € 220 90 16,23 €",
        "D. Prix de cession du droit d'exploitation",
        "Les Vagues 3 000,00 € 450,00 € 0,00 € 0,00 € 3 450,00 €",
        "Représentations non déclarées",
        "Représentation annulée",
        "au plus tard le 14 décembre 2025",
    ] {
        assert!(
            text.contains(expected),
            "missing « {expected} » in:\n{text}"
        );
    }
}

#[test]
fn a_performance_of_the_2nd_declared_on_the_5th_is_late_and_blocking() {
    // 2 November + 30 days = 2 December, the last day on time; a run dated 5 December is three
    // days late. 14 November is due 14 December: 9 days away, beyond the 7-day notice; 10
    // November is due 10 December: 5 days away, near.
    let mut m = month();
    for (id, start) in [
        ("P1", "2025-11-02 20:30"),
        ("P2", "2025-11-10 20:30"),
        ("P3", "2025-11-14 20:30"),
    ] {
        m.ticketed(id, "Les Vagues", start, Discipline::Theatre);
        m.sell(id, 2, "10.00", "5.5", PriceKind::Full);
    }
    let facts = m.facts();
    let mut inp = input(&facts);
    // 5 December 2025, 06:00 in Paris.
    inp.generated_at = chrono::DateTime::parse_from_rfc3339("2025-12-05T06:00:00+01:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let draft = Sacd.build(&inp).unwrap();
    assert_eq!(draft.model["lines"][0]["deadline"], "2025-12-02");
    let deadline: Vec<(&str, &str)> = draft
        .issues
        .iter()
        .filter(|i| i.code.starts_with("sacd.deadline."))
        .map(|i| (i.code.as_str(), i.performance_id.as_deref().unwrap()))
        .collect();
    assert_eq!(
        deadline,
        [
            ("sacd.deadline.past", "tickets_csv:P1"),
            ("sacd.deadline.near", "tickets_csv:P2"),
        ]
    );
    let past = &draft.issues[0];
    assert_eq!(past.severity, Severity::Blocking);
    assert_eq!(past.body.as_deref(), Some("sacd"));
    assert!(
        past.message.contains("au plus tard le 2 décembre 2025"),
        "{}",
        past.message
    );
    let near = draft
        .issues
        .iter()
        .find(|i| i.code == "sacd.deadline.near")
        .unwrap();
    assert!(
        near.message
            .contains("au plus tard le 10 décembre 2025 (dans 5 jours)"),
        "{}",
        near.message
    );
}

#[test]
fn a_bordereau_over_any_period_leaves_out_what_was_already_declared() {
    // Performances on 3, 5 and 9 November; the period 3–7 November holds P1 and P2, and P1
    // was in an approved bordereau: only P2 is on this one.
    let mut m = month();
    for (id, start) in [
        ("P1", "2025-11-03 20:30"),
        ("P2", "2025-11-05 20:30"),
        ("P3", "2025-11-09 20:30"),
    ] {
        m.ticketed(id, "Les Vagues", start, Discipline::Theatre);
        m.sell(id, 2, "10.00", "5.5", PriceKind::Full);
    }
    let facts = m.facts();
    let period = Period {
        from: "2025-11-03".parse().unwrap(),
        to: "2025-11-07".parse().unwrap(),
    };
    let declared: Declared = [(
        "tickets_csv:P1".to_string(),
        "bordereau de novembre 2025, version 1".to_string(),
    )]
    .into();
    let draft = build_period(&input(&facts), period, &declared).unwrap();
    // P1 is listed as already declared, with an information point, and on the PDF.
    assert_eq!(
        draft.model["already_declared"][0]["performance_id"],
        "tickets_csv:P1"
    );
    let info = draft
        .issues
        .iter()
        .find(|i| i.code == "sacd.already_declared")
        .expect("an information point");
    assert_eq!(info.severity, releve_domain::Severity::Info);
    assert!(info
        .message
        .contains("bordereau de novembre 2025, version 1"));
    let ids: Vec<&str> = draft.model["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["performance_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tickets_csv:P2"]);
    assert_eq!(draft.model["period"]["from"], "2025-11-03");
    assert_eq!(draft.model["period"]["to"], "2025-11-07");
    assert!(draft.model.get("month").is_none());
    let pdf = pdf_text(&draft.files[2].bytes);
    assert!(
        pdf.contains("Représentations du 3 novembre 2025 au 7 novembre 2025"),
        "{pdf}"
    );
    assert!(pdf.contains("Représentations déjà déclarées"), "{pdf}");
}

#[test]
fn the_bordereau_has_every_section_of_the_form() {
    // A 0 % rate prints "NA"; sections A (dossier, amateur), E-F (VAT number), G, H (works,
    // duration) come from the organisation and the programme.
    let mut m = month();
    m.org.vat_number = Some("FR12812345676".into());
    let row = m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    row.works = vec!["Les Vagues — Virginia Woolf".into()];
    row.duration_minutes = Some(95);
    row.sacd_dossier = Some("456789".into());
    row.amateur = true;
    m.sell("P1", 3, "10.00", "0", PriceKind::Full);
    let draft = built(&m);
    let pdf = pdf_text(&draft.files[2].bytes);
    for wanted in [
        "FR12812345676",
        "456789",
        "amateur",
        "Les Vagues — Virginia Woolf",
        "95 min",
        "G. Qui règle les droits",
        "H. Œuvres représentées",
        "NA",
    ] {
        assert!(pdf.contains(wanted), "missing « {wanted} » in {pdf}");
    }
    let xml = xml_of(&draft);
    assert!(xml.contains("<expl_nat>AMA</expl_nat>"));
    assert!(xml.contains("<expl_ref>456789</expl_ref>"));
    assert!(xml.contains("<diff_tva>FR12812345676</diff_tva>"));
}

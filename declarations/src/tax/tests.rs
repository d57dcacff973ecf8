//! Hand-computed expectations for CNM and ASTP.

use super::build::model;
use super::*;
use crate::render::testing::{assert_golden, pdf_text};
use crate::Declaration;
use chrono::{DateTime, TimeZone, Utc};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::rules::Dated;
use releve_domain::testing::*;
use releve_domain::{
    Discipline, DisciplineTable, Fraction, Money, MonthFacts, Organisation, PerformanceRecord,
    PriceKind, Producer, ProgrammeEntry, Rules, Severity, Ticket,
};
use rust_decimal_macros::dec;

fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap()
}

/// A month of facts from ticketing records, tickets and programme rows.
struct Month {
    org: Organisation,
    records: Vec<PerformanceRecord>,
    tickets: Vec<Ticket>,
    programme: Vec<ProgrammeEntry>,
}

impl Month {
    fn new(subsidised: bool) -> Month {
        Month {
            org: organisation(subsidised),
            records: vec![],
            tickets: vec![],
            programme: vec![],
        }
    }

    /// A ticketed performance with its programme row; returns the row to adjust.
    fn ticketed(
        &mut self,
        id: &str,
        title: &str,
        start: &str,
        d: Discipline,
    ) -> &mut ProgrammeEntry {
        self.records.push(performance(id, title, start));
        self.programme.push(programme(Some(id), title, start, d));
        self.programme.last_mut().unwrap()
    }

    /// A performance without ticketing (free admission…), programme row only.
    fn programme_only(&mut self, title: &str, start: &str, d: Discipline) -> &mut ProgrammeEntry {
        let mut row = programme(None, title, start, d);
        row.line = 10 + self.programme.len() as u64;
        self.programme.push(row);
        self.programme.last_mut().unwrap()
    }

    /// The worked example of `domain.md` §3 on performance `id`: 120 tickets at 18.00 (5.5 %),
    /// 30 at 30.00 (20 %), 10 invitations.
    fn worked_example_tickets(&mut self, id: &str, first: usize) {
        self.tickets
            .extend(tickets(id, first, 120, "18.00", "5.5", PriceKind::Full));
        self.tickets.extend(tickets(
            id,
            first + 200,
            30,
            "30.00",
            "20",
            PriceKind::Reduced,
        ));
        self.tickets
            .extend(tickets(id, first + 400, 10, "0", "0", PriceKind::Free));
    }

    fn facts(&self) -> MonthFacts {
        build_month_facts(FactsInput {
            organisation: &self.org,
            month: "2025-11".parse().unwrap(),
            records: &self.records,
            tickets: &self.tickets,
            programme: &self.programme,
        })
    }
}

fn input<'a>(facts: &'a MonthFacts, rules: &'a Rules) -> BuildInput<'a> {
    BuildInput {
        facts,
        rules,
        disciplines: DisciplineTable::default_table(),
        generated_at: generated_at(),
    }
}

fn built(body: Body, m: &Month) -> build::Built {
    let facts = m.facts();
    model(body, &input(&facts, Rules::default_rules())).unwrap()
}

fn reasons(b: &build::Built) -> Vec<&str> {
    b.model
        .not_taxable
        .iter()
        .map(|n| n.reason.as_str())
        .collect()
}

fn blocking(b: &build::Built) -> Vec<&str> {
    b.issues
        .iter()
        .filter(|i| i.severity == Severity::Blocking)
        .map(|i| i.code.as_str())
        .collect()
}

fn producer(name: &str, siret: Option<&str>, subsidised: Option<bool>) -> Option<Producer> {
    Some(Producer {
        name: name.into(),
        siret: siret.map(Into::into),
        subsidised,
        address: None,
    })
}

/// Our organisation's SIRET (testing::organisation): the producer is ourselves.
const OUR_SIRET: &str = "81234567600009";
const OTHER_SIRET: &str = "73282932000074";

#[test]
fn worked_example_gives_97_91() {
    // excl. = round(2160.00 / 1.055) + round(900.00 / 1.20) = 2047.39 + 750.00 = 2797.39;
    // tax = round(2797.39 × 3.5 %) = round(97.90865) = 97.91.
    let mut m = Month::new(false);
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre);
    m.worked_example_tickets("P1", 0);
    let astp = built(Body::Astp, &m);
    assert_eq!(astp.model.lines.len(), 1);
    let l = &astp.model.lines[0];
    assert_eq!(l.performance_id, "tickets_csv:P1");
    assert_eq!((l.paid_tickets, l.free_tickets), (150, 10));
    assert_eq!(l.receipts_incl_vat.to_string(), "3060.00");
    assert_eq!(l.receipts_excl_vat.to_string(), "2797.39");
    assert_eq!(l.base_kind, BaseKind::Receipts);
    assert_eq!(l.tax_base.to_string(), "2797.39");
    assert_eq!(l.tax_rate, Percent(dec!(3.5)));
    assert_eq!(l.tax_due.to_string(), "97.91");
    assert_eq!(astp.model.totals.tax_due.to_string(), "97.91");
    assert_eq!(astp.model.totals.performances, 1);
    assert_eq!(astp.model.deadline.to_string(), "2026-02-28");
    // Theatre is not in the CNM field.
    let cnm = built(Body::Cnm, &m);
    assert!(cnm.model.lines.is_empty() && cnm.model.not_taxable.is_empty());
    assert!(cnm.issues.is_empty(), "{:?}", cnm.issues);
}

#[test]
fn json_contract_and_summary() {
    let mut m = Month::new(false);
    m.ticketed("P1", "Jazz à Nantes", "2025-11-14 20:30", Discipline::Jazz);
    m.worked_example_tickets("P1", 0);
    let facts = m.facts();
    let draft = crate::cnm::Cnm
        .build(&input(&facts, Rules::default_rules()))
        .unwrap();
    let j = &draft.model;
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["body"], "cnm");
    assert_eq!(j["organisation"], "theatre-des-digues");
    assert_eq!(j["month"], "2025-11");
    assert_eq!(j["deadline"], "2026-02-28");
    let l = &j["lines"][0];
    for (field, value) in [
        ("date", "2025-11-14"),
        ("show_title", "Jazz à Nantes"),
        ("venue_name", "Grande salle"),
        ("postal_code", "44000"),
        ("city", "Nantes"),
        ("receipts_incl_vat", "3060.00"),
        ("receipts_excl_vat", "2797.39"),
        ("base_kind", "receipts"),
        ("tax_base", "2797.39"),
        ("tax_rate", "3.5"),
        ("tax_due", "97.91"),
    ] {
        assert_eq!(l[field], value, "{field}");
    }
    assert_eq!(l["paid_tickets"], 150);
    assert_eq!(l["free_tickets"], 10);
    assert_eq!(j["totals"]["performances"], 1);
    assert_eq!(j["totals"]["paid_tickets"], 150);
    assert_eq!(j["totals"]["tax_base"], "2797.39");
    assert_eq!(j["totals"]["tax_due"], "97.91");
    assert!(j["not_taxable"].as_array().unwrap().is_empty());

    let names: Vec<&str> = draft.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["cnm.json", "cnm.csv", "cnm.pdf"]);
    // The file is the model.
    let file: serde_json::Value = serde_json::from_slice(&draft.files[0].bytes).unwrap();
    assert_eq!(&file, j);

    assert_eq!(draft.summary.lines, 1);
    assert_eq!(draft.summary.amount_due.unwrap().to_string(), "97.91");
    assert_eq!(draft.summary.deadline.unwrap().to_string(), "2026-02-28");
    assert!(
        draft.summary.note.contains("97,91"),
        "{}",
        draft.summary.note
    );
    // The yearly collection threshold is recalled, for information only.
    let info: Vec<_> = draft
        .issues
        .iter()
        .filter(|i| i.code == "tax.collection_threshold")
        .collect();
    assert_eq!(info.len(), 1);
    assert_eq!(info[0].severity, Severity::Info);
    assert!(info[0].message.contains("80,00"));
    assert_eq!(j["collection_threshold"], "80.00");
}

#[test]
fn free_admission_is_owed_by_the_seller() {
    let mut m = Month::new(false);
    // Bought from another company: that company owes the tax on its cession price.
    let bought = m.programme_only("Bal", "2025-11-08 20:00", Discipline::ChansonVariete);
    bought.free_admission = true;
    bought.producer = producer("Tournées du Large SARL", Some(OTHER_SIRET), None);
    bought.cession_price_excl_vat = Some(Money::from_cents(150_000));
    // Sold by us (our SIREN), free admission: we owe 3.5 % of 1000.00 = 35.00.
    let sold = m.programme_only("Fanfare", "2025-11-09 16:00", Discipline::Jazz);
    sold.free_admission = true;
    sold.producer = producer("Théâtre des Digues", Some("812 345 676"), None);
    sold.cession_price_excl_vat = Some(Money::from_cents(100_000));
    // Our own production, played for free and never sold (no cession price): not taxable,
    // "aucune cession", and no blocking question (issue 13, point 7).
    let unpriced = m.programme_only("Fanfare", "2025-11-10 16:00", Discipline::Jazz);
    unpriced.free_admission = true;
    unpriced.producer = producer("Théâtre des Digues", Some(OUR_SIRET), None);
    // No cession contract at all.
    let gratis = m.programme_only("Scène ouverte", "2025-11-11 19:00", Discipline::Humour);
    gratis.free_admission = true;

    let b = built(Body::Cnm, &m);
    assert_eq!(b.model.lines.len(), 1);
    let l = &b.model.lines[0];
    assert_eq!(l.show_title, "Fanfare");
    assert_eq!(l.base_kind, BaseKind::CessionPrice);
    assert_eq!(l.tax_base.to_string(), "1000.00");
    assert_eq!(l.tax_due.to_string(), "35.00");
    assert_eq!(
        reasons(&b),
        [
            "Entrée gratuite : taxe due par le vendeur du spectacle, Tournées du Large SARL \
             (prix de cession HT 1\u{202f}500,00\u{a0}€)",
            "Entrée gratuite, spectacle produit par la structure et jamais vendu (aucune cession) : non \
             taxable",
            "Entrée gratuite sans contrat de cession : non taxable",
        ]
    );
    assert!(blocking(&b).is_empty());
}

#[test]
fn humour_and_musicals_in_an_astp_member_theatre_go_to_astp() {
    // An unsubsidised organiser whose theatre belongs to the ASTP. Humour: 100 × 21.10 =
    // 2110.00 incl., excl. round(2110.00 / 1.055) = 2000.00, ASTP tax 2000.00 × 3.5 % = 70.00.
    // The same show in a venue the programme marks as not a member stays CNM (same figures);
    // jazz is variétés wherever it plays.
    let mut m = Month::new(false);
    m.org.astp_member_theatre = true;
    m.ticketed(
        "H1",
        "Seul en scène",
        "2025-11-05 20:00",
        Discipline::Humour,
    );
    m.tickets
        .extend(tickets("H1", 0, 100, "21.10", "5.5", PriceKind::Full));
    let away = m.ticketed(
        "H2",
        "Seul en scène",
        "2025-11-06 20:00",
        Discipline::Humour,
    );
    away.astp_member_theatre = Some(false);
    m.tickets
        .extend(tickets("H2", 100, 100, "21.10", "5.5", PriceKind::Full));
    m.ticketed("J1", "Trio", "2025-11-07 20:00", Discipline::Jazz);
    m.tickets
        .extend(tickets("J1", 200, 10, "10.55", "5.5", PriceKind::Full));

    let astp = built(Body::Astp, &m);
    assert_eq!(astp.model.lines.len(), 1);
    let l = &astp.model.lines[0];
    assert_eq!(l.performance_id, "tickets_csv:H1");
    assert_eq!(l.tax_base.to_string(), "2000.00");
    assert_eq!(l.tax_due.to_string(), "70.00");
    assert!(l
        .fraction_reason
        .as_deref()
        .unwrap()
        .contains("théâtre membre de l'ASTP"));
    // The ASTP portal takes cents: no whole-euro figures.
    assert_eq!(l.tax_due_euros, None);

    let cnm = built(Body::Cnm, &m);
    let ids: Vec<&str> = cnm
        .model
        .lines
        .iter()
        .map(|l| l.performance_id.as_str())
        .collect();
    assert_eq!(ids, ["tickets_csv:H2", "tickets_csv:J1"]);
    assert_eq!(cnm.model.lines[0].fraction_reason, None);
    // CNM's portal takes whole euros: 2110.00 → 2110, 2000.00 → 2000, 70.00 → 70; the jazz
    // line: 10 × 10.55 = 105.50 incl. → 106, excl. round(105.50 / 1.055) = 100.00 → 100, tax
    // 3.50 → 4 (half up).
    let j = &cnm.model.lines[1];
    assert_eq!(j.receipts_incl_vat_euros.unwrap().to_string(), "106.00");
    assert_eq!(j.receipts_excl_vat_euros.unwrap().to_string(), "100.00");
    assert_eq!(j.tax_due.to_string(), "3.50");
    assert_eq!(j.tax_due_euros.unwrap().to_string(), "4.00");
    assert!(cnm.model.estimate_note.contains("le CNM calcule la taxe"));
}

#[test]
fn astp_exemption_of_subsidised_organisers_and_its_exception() {
    let mut m = Month::new(true);
    // Own production (no producer): exempt.
    m.ticketed(
        "OWN",
        "Création maison",
        "2025-11-05 20:00",
        Discipline::Theatre,
    );
    m.tickets
        .extend(tickets("OWN", 0, 10, "10.00", "5.5", PriceKind::Full));
    // Bought from a subsidised company: exempt.
    let sub = m.ticketed(
        "SUB",
        "Compagnie aidée",
        "2025-11-06 20:00",
        Discipline::Danse,
    );
    sub.producer = producer("Cie Aidée", Some(OTHER_SIRET), Some(true));
    m.tickets
        .extend(tickets("SUB", 100, 10, "10.00", "5.5", PriceKind::Full));
    // Bought from a private unsubsidised producer: taxable (the exception).
    // 100 × 21.10 = 2110.00 incl.; excl. round(2110 / 1.055) = 2000.00; tax 70.00.
    let private = m.ticketed("PRIV", "Boulevard", "2025-11-07 20:00", Discipline::Theatre);
    private.producer = producer("Boulevard Productions", Some(OTHER_SIRET), Some(false));
    m.tickets
        .extend(tickets("PRIV", 200, 100, "21.10", "5.5", PriceKind::Full));
    // Unknown: listed as not taxable provisionally, with a blocking issue.
    let unknown = m.ticketed("UNK", "Mystère", "2025-11-08 20:00", Discipline::Opera);
    unknown.producer = producer("Lyrique & Co", None, None);
    m.tickets
        .extend(tickets("UNK", 400, 10, "10.00", "5.5", PriceKind::Full));

    let b = built(Body::Astp, &m);
    let ids: Vec<&str> = b
        .model
        .lines
        .iter()
        .map(|l| l.performance_id.as_str())
        .collect();
    assert_eq!(ids, ["tickets_csv:PRIV"]);
    assert_eq!(b.model.lines[0].tax_base.to_string(), "2000.00");
    assert_eq!(b.model.lines[0].tax_due.to_string(), "70.00");
    assert_eq!(
        b.model.lines[0].producer_name.as_deref(),
        Some("Boulevard Productions")
    );
    let exempt = "Organisateur subventionné, spectacle non acheté à un producteur privé non \
                  subventionné : exonéré de la taxe ASTP";
    let r = reasons(&b);
    assert_eq!(r.len(), 3);
    assert_eq!(&r[..2], [exempt, exempt]);
    assert!(
        r[2].contains("exonération non confirmée") && r[2].contains("Lyrique & Co"),
        "{}",
        r[2]
    );
    assert_eq!(blocking(&b), ["astp.producer_subsidised.missing"]);
    let issue = &b.issues[0];
    assert_eq!(issue.performance_id.as_deref(), Some("tickets_csv:UNK"));
    assert!(issue.message.contains("producer_subsidised"));
}

#[test]
fn cnm_has_no_subsidised_exemption_and_astp_exempts_amateurs() {
    let mut m = Month::new(true);
    // 10 × 10.55 = 105.50 incl., excl. 100.00, tax 3.50.
    m.ticketed(
        "J",
        "Big band amateur",
        "2025-11-05 20:00",
        Discipline::Jazz,
    )
    .amateur_unpaid = true;
    m.tickets
        .extend(tickets("J", 0, 10, "10.55", "5.5", PriceKind::Full));
    let mut other = Month::new(false);
    other
        .ticketed(
            "T",
            "Troupe du village",
            "2025-11-05 20:00",
            Discipline::Theatre,
        )
        .amateur_unpaid = true;
    other
        .tickets
        .extend(tickets("T", 0, 10, "10.55", "5.5", PriceKind::Full));

    let cnm = built(Body::Cnm, &m);
    assert_eq!(cnm.model.lines.len(), 1);
    assert_eq!(cnm.model.lines[0].tax_due.to_string(), "3.50");
    let astp = built(Body::Astp, &other);
    assert!(astp.model.lines.is_empty());
    assert_eq!(
        reasons(&astp),
        ["Troupe amateur ne rémunérant aucun artiste : exonérée de la taxe ASTP"]
    );
}

#[test]
fn cancelled_and_school_performances_owe_nothing() {
    let mut m = Month::new(false);
    m.ticketed(
        "C",
        "Concert annulé",
        "2025-11-05 20:00",
        Discipline::MusiquesActuelles,
    )
    .cancelled = true;
    m.tickets
        .extend(tickets("C", 0, 10, "10.00", "5.5", PriceKind::Full));
    m.ticketed(
        "S",
        "Séance scolaire",
        "2025-11-06 10:00",
        Discipline::ChansonVariete,
    )
    .educational_session = true;
    m.tickets
        .extend(tickets("S", 100, 10, "5.00", "5.5", PriceKind::Full));
    let b = built(Body::Cnm, &m);
    assert!(b.model.lines.is_empty());
    assert_eq!(
        reasons(&b),
        [
            "Représentation annulée : aucune taxe",
            "Représentation intégrée à un enseignement scolaire : exonérée",
        ]
    );
    assert_eq!(b.model.totals, TaxTotals::default());
    // No taxable line: no reminder of the collection threshold.
    assert!(b.issues.is_empty(), "{:?}", b.issues);
}

#[test]
fn review_discipline_blocks_until_the_programme_says() {
    let mut m = Month::new(false);
    m.ticketed(
        "PL",
        "Cabaret poétique",
        "2025-11-05 20:00",
        Discipline::Pluridisciplinaire,
    );
    m.tickets
        .extend(tickets("PL", 0, 10, "10.55", "5.5", PriceKind::Full));
    for body in [Body::Cnm, Body::Astp] {
        let b = built(body, &m);
        assert!(b.model.lines.is_empty() && b.model.not_taxable.is_empty());
        assert_eq!(blocking(&b), ["discipline.review"]);
        assert_eq!(b.issues[0].body.as_deref(), Some(body.code()));
        assert!(b.issues[0].message.contains("tax_fraction"));
    }
    // With tax_fraction = cnm the performance is a CNM line and not an ASTP question.
    m.programme[0].tax_fraction = Some(Fraction::Cnm);
    let cnm = built(Body::Cnm, &m);
    assert_eq!(cnm.model.lines.len(), 1);
    assert!(blocking(&cnm).is_empty());
    let astp = built(Body::Astp, &m);
    assert!(astp.model.lines.is_empty() && astp.issues.is_empty());
}

#[test]
fn no_discipline_is_left_to_the_facts_issue() {
    let mut m = Month::new(false);
    m.records
        .push(performance("X", "Sans programme", "2025-11-05 20:00"));
    m.tickets
        .extend(tickets("X", 0, 10, "10.00", "5.5", PriceKind::Full));
    let facts = m.facts();
    assert!(facts.issues.iter().any(|i| i.code == "discipline.missing"));
    let b = model(Body::Cnm, &input(&facts, Rules::default_rules())).unwrap();
    assert!(b.model.lines.is_empty() && b.model.not_taxable.is_empty() && b.issues.is_empty());
}

#[test]
fn zero_paid_tickets_means_no_receipts() {
    let mut m = Month::new(false);
    m.ticketed("Z", "Générale", "2025-11-05 20:00", Discipline::Humour);
    m.tickets
        .extend(tickets("Z", 0, 40, "0", "0", PriceKind::Free));
    let b = built(Body::Cnm, &m);
    assert!(b.model.lines.is_empty());
    assert_eq!(reasons(&b), ["Aucune recette de billetterie"]);
}

#[test]
fn the_rate_in_force_on_the_performance_date_applies() {
    // A (fictitious) law raises the CNM rate to 4 % from 15 November 2025.
    let mut rules = Rules::default_rules().clone();
    rules.cnm_rate.0.push(Dated {
        valid_from: "2025-11-15".parse().unwrap(),
        valid_to: None,
        value: dec!(4),
    });
    let mut m = Month::new(false);
    // 10 × 10.55 = 105.50 incl. → 100.00 excl. on each date.
    m.ticketed("A", "Avant", "2025-11-14 20:00", Discipline::Jazz);
    m.tickets
        .extend(tickets("A", 0, 10, "10.55", "5.5", PriceKind::Full));
    m.ticketed("B", "Après", "2025-11-15 20:00", Discipline::Jazz);
    m.tickets
        .extend(tickets("B", 100, 10, "10.55", "5.5", PriceKind::Full));
    let facts = m.facts();
    let b = model(Body::Cnm, &input(&facts, &rules)).unwrap();
    let got: Vec<(String, String)> = b
        .model
        .lines
        .iter()
        .map(|l| {
            (
                serde_json::to_value(l.tax_rate)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                l.tax_due.to_string(),
            )
        })
        .collect();
    // 100.00 × 3.5 % = 3.50; 100.00 × 4 % = 4.00; total 7.50.
    assert_eq!(
        got,
        [
            ("3.5".to_string(), "3.50".to_string()),
            ("4".to_string(), "4.00".to_string())
        ]
    );
    assert_eq!(b.model.totals.tax_due.to_string(), "7.50");

    // No rate in force at all: an error naming the rule, not a guess.
    let mut none = Rules::default_rules().clone();
    none.cnm_rate.0.clear();
    let err = model(Body::Cnm, &input(&facts, &none)).err().unwrap();
    assert!(err.to_string().contains("cnm_rate"), "{err}");
}

/// A small month touching every rule, for the golden files and the PDF.
fn small_month() -> Month {
    let mut m = Month::new(true);
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Theatre)
        .producer = producer("Boulevard Productions", Some(OTHER_SIRET), Some(false));
    m.worked_example_tickets("P1", 0);
    m.ticketed("P2", "Les Vagues", "2025-11-15 20:30", Discipline::Theatre);
    m.tickets
        .extend(tickets("P2", 1000, 10, "10.00", "5.5", PriceKind::Full));
    m.ticketed("P3", "Nuit jazz", "2025-11-20 21:00", Discipline::Jazz);
    m.worked_example_tickets("P3", 2000);
    let fanfare = m.programme_only("Fanfare", "2025-11-22 16:00", Discipline::Jazz);
    fanfare.free_admission = true;
    fanfare.producer = producer("Théâtre des Digues", Some(OUR_SIRET), None);
    fanfare.cession_price_excl_vat = Some(Money::from_cents(100_000));
    m.ticketed(
        "P4",
        "Concert annulé",
        "2025-11-28 20:00",
        Discipline::ChansonVariete,
    )
    .cancelled = true;
    m
}

#[test]
fn golden_files_for_a_small_month() {
    let facts = small_month().facts();
    let rules = Rules::default_rules();
    // The CNM and ASTP files only: the other bodies keep their own golden files.
    for declaration in crate::registry()
        .into_iter()
        .filter(|d| matches!(d.body(), Body::Cnm | Body::Astp))
    {
        let draft = declaration.build(&input(&facts, rules)).unwrap();
        let code = draft.body.code();
        for ext in ["json", "csv"] {
            let file = draft
                .files
                .iter()
                .find(|f| f.name == format!("{code}.{ext}"))
                .unwrap();
            let text = String::from_utf8(file.bytes.clone()).unwrap();
            assert_golden(&format!("{code}_2025-11.{ext}"), &text);
        }
    }
}

#[test]
fn pdf_shows_the_lines_totals_and_not_taxable_reasons() {
    let facts = small_month().facts();
    let draft = crate::cnm::Cnm
        .build(&input(&facts, Rules::default_rules()))
        .unwrap();
    let pdf = &draft
        .files
        .iter()
        .find(|f| f.name == "cnm.pdf")
        .unwrap()
        .bytes;
    let text = pdf_text(pdf);
    // CNM lines: Nuit jazz (worked example, 97.91) and Fanfare (cession 1000.00, 35.00);
    // total 97.91 + 35.00 = 132.91.
    for expected in [
        "Taxe sur les spectacles vivants — fraction variétés (CNM)",
        "représentations de novembre 2025",
        "au plus tard le 28 février 2026",
        "Déclarant",
        "Théâtre des Digues",
        "812 345 676 00009",
        "PLATESV-D-2021-001234",
        "2 quai des Digues, 44000 Nantes",
        "20/11/2025",
        "Nuit jazz",
        "3 060,00 €",
        "2 797,39 €",
        "97,91 €",
        "1 000,00 €",
        "35,00 €",
        "Total 2 représentations",
        "132,91 €",
        "Représentations non taxables",
        "Représentation annulée : aucune taxe",
        "Fait à Nantes",
        "Nom et qualité du signataire",
        "page 1/",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }

    let astp = crate::astp::Astp
        .build(&input(&facts, Rules::default_rules()))
        .unwrap();
    let text = pdf_text(
        &astp
            .files
            .iter()
            .find(|f| f.name == "astp.pdf")
            .unwrap()
            .bytes,
    );
    for expected in [
        "fraction art dramatique, lyrique et chorégraphique (ASTP)",
        "Boulevard Productions (732 829 320 00074)",
        "Recette HT (case 1)",
        "97,91 €",
        "exonéré de la taxe ASTP",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn same_facts_same_bytes() {
    let facts = small_month().facts();
    let rules = Rules::default_rules();
    for declaration in crate::registry() {
        let a = declaration.build(&input(&facts, rules)).unwrap();
        let b = declaration.build(&input(&facts, rules)).unwrap();
        assert_eq!(a.files, b.files, "{}", a.body);
    }
}

#[test]
fn csv_has_one_row_per_taxable_line() {
    let facts = small_month().facts();
    let draft = crate::cnm::Cnm
        .build(&input(&facts, Rules::default_rules()))
        .unwrap();
    let csv = String::from_utf8(draft.files[1].bytes.clone()).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], LINE_COLUMNS.join(","));
    assert_eq!(rows.len(), 1 + draft.summary.lines);
    assert!(
        rows[1].contains(",receipts,2797.39,3.5,97.91,"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains(",cession_price,1000.00,3.5,35.00,"),
        "{}",
        rows[2]
    );
}

#[test]
fn paid_tickets_win_over_a_free_admission_flag() {
    // Flagged free admission, but 2 tickets at 10.55 were sold: the receipts are the base.
    // 21.10 / 1.055 = 20.00 ; 20.00 × 3.5 % = 0.70
    let mut p =
        releve_domain::testing::programme(Some("P1"), "Fête", "2025-11-20 20:00", Discipline::Jazz);
    p.free_admission = true;
    let records = vec![releve_domain::testing::performance(
        "P1",
        "Fête",
        "2025-11-20 20:00",
    )];
    let tickets =
        releve_domain::testing::tickets("P1", 0, 2, "10.55", "5.5", releve_domain::PriceKind::Full);
    let org = releve_domain::testing::organisation(false);
    let facts = releve_domain::facts::build_month_facts(releve_domain::facts::FactsInput {
        organisation: &org,
        month: "2025-11".parse().unwrap(),
        records: &records,
        tickets: &tickets,
        programme: &[p],
    });
    let draft = crate::cnm::Cnm
        .build(&input(&facts, Rules::default_rules()))
        .unwrap();
    assert_eq!(draft.model["lines"][0]["base_kind"], "receipts");
    assert_eq!(draft.model["lines"][0]["tax_base"], "20.00");
    assert_eq!(draft.model["lines"][0]["tax_due"], "0.70");
}

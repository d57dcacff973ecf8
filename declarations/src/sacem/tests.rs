//! Hand-computed expectations for the SACEM state.

use super::*;
use crate::render::testing::{assert_golden, pdf_text};
use chrono::{DateTime, TimeZone, Utc};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::programme::{OtherOrigin, OtherReceipt};
use releve_domain::testing::*;
use releve_domain::{
    ContractType, Discipline, DisciplineTable, Money, MonthFacts, Organisation, PerformanceRecord,
    PriceKind, ProgrammeEntry, Rules, Severity, Ticket,
};

fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap()
}

fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

struct Month {
    org: Organisation,
    records: Vec<PerformanceRecord>,
    tickets: Vec<Ticket>,
    programme: Vec<ProgrammeEntry>,
}

impl Month {
    fn new() -> Month {
        let mut org = organisation(true);
        org.sacem_client_id = Some("0123456".into());
        Month {
            org,
            records: vec![],
            tickets: vec![],
            programme: vec![],
        }
    }

    fn ticketed(
        &mut self,
        id: &str,
        title: &str,
        start: &str,
        d: Discipline,
    ) -> &mut ProgrammeEntry {
        self.records.push(performance(id, title, start));
        let mut row = programme(Some(id), title, start, d);
        row.line = 2 + self.programme.len() as u64;
        self.programme.push(row);
        self.programme.last_mut().unwrap()
    }

    fn programme_only(&mut self, title: &str, start: &str, d: Discipline) -> &mut ProgrammeEntry {
        let mut row = programme(None, title, start, d);
        row.line = 2 + self.programme.len() as u64;
        self.programme.push(row);
        self.programme.last_mut().unwrap()
    }

    fn sell(&mut self, id: &str, first: usize, n: usize, price: &str, rate: &str) {
        let kind = if price == "0" {
            PriceKind::Free
        } else {
            PriceKind::Full
        };
        self.tickets
            .extend(tickets(id, first, n, price, rate, kind));
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

/// The month of the worked example:
/// - « Nuit Jazz » (jazz: SACEM yes), P1 on 14/11: 100 × 22.00 at 5.5 %, 5 invitations, cession
///   1 500.00 + frais d'approche 200.00; P2 on 21/11: 50 × 22.00 at 5.5 % and 10 × 30.00 at 20 %,
///   3 invitations, cession 1 500.00; P3 on 22/11 cancelled;
/// - « Les Vagues » (theatre: SACEM no);
/// - « Bal des Digues » (theatre, `sacem = yes`), free, programme only, cession 800.00;
/// - « Cabinet de curiosités » (pluridisciplinaire: review).
fn worked_month() -> Month {
    let mut m = Month::new();
    let row = m.ticketed("P1", "Nuit Jazz", "2025-11-14 20:30", Discipline::Jazz);
    row.contract_type = Some(ContractType::Cession);
    row.cession_price_excl_vat = Some(money("1500.00"));
    row.frais_approche_excl_vat = Some(money("200.00"));
    row.producer = Some(releve_domain::Producer {
        name: "Compagnie Swing".into(),
        siret: None,
        subsidised: None,
        address: None,
    });
    m.sell("P1", 0, 100, "22.00", "5.5");
    m.sell("P1", 100, 5, "0", "0");
    let row = m.ticketed("P2", "Nuit Jazz", "2025-11-21 20:30", Discipline::Jazz);
    row.contract_type = Some(ContractType::Cession);
    row.cession_price_excl_vat = Some(money("1500.00"));
    m.sell("P2", 200, 50, "22.00", "5.5");
    m.sell("P2", 300, 10, "30.00", "20");
    m.sell("P2", 400, 3, "0", "0");
    let row = m.ticketed("P3", "Nuit Jazz", "2025-11-22 20:30", Discipline::Jazz);
    row.cancelled = true;
    // A play: theatre is a SACEM question by default (music is common there); the programme
    // says this one uses none.
    m.ticketed("P4", "Les Vagues", "2025-11-15 20:30", Discipline::Theatre)
        .sacem = Some(false);
    m.sell("P4", 500, 10, "18.00", "5.5");
    let row = m.programme_only("Bal des Digues", "2025-11-28 21:00", Discipline::Theatre);
    row.sacem = Some(true);
    row.free_admission = true;
    row.contract_type = Some(ContractType::Cession);
    row.cession_price_excl_vat = Some(money("800.00"));
    m.ticketed(
        "P5",
        "Cabinet de curiosités",
        "2025-11-16 16:00",
        Discipline::Pluridisciplinaire,
    );
    m
}

fn input<'a>(facts: &'a MonthFacts) -> BuildInput<'a> {
    BuildInput {
        facts,
        rules: Rules::default_rules(),
        disciplines: DisciplineTable::default_table(),
        generated_at: generated_at(),
    }
}

fn engagements() -> Vec<EngagementExpense> {
    vec![EngagementExpense {
        show_id: "nuit jazz".into(),
        excl_vat: money("1000.00"),
    }]
}

fn draft(m: &Month, engagements: &[EngagementExpense]) -> Draft {
    let facts = m.facts();
    build_with_engagements(&input(&facts), AgencyTable::default_table(), engagements).unwrap()
}

fn model_of(d: &Draft) -> serde_json::Value {
    d.model.clone()
}

#[test]
fn shows_receipts_expenses_and_estimate_are_hand_computed() {
    let m = worked_month();
    let facts = m.facts();
    let built = build::model(&input(&facts), AgencyTable::default_table(), &engagements()).unwrap();
    let model = &built.model;
    let titles: Vec<&str> = model.shows.iter().map(|s| s.show_title.as_str()).collect();
    // Les Vagues: not in SACEM's repertoire; Cabinet: review; P3: cancelled.
    assert_eq!(titles, ["Nuit Jazz", "Bal des Digues"]);

    let jazz = &model.shows[0];
    assert_eq!(jazz.show_id, "nuit jazz");
    assert_eq!(jazz.performances, 2);
    assert_eq!(jazz.performance_ids, ["tickets_csv:P1", "tickets_csv:P2"]);
    assert_eq!(jazz.first_date.to_string(), "2025-11-14");
    assert_eq!(jazz.last_date.to_string(), "2025-11-21");
    assert_eq!((jazz.paid_tickets, jazz.free_tickets), (160, 8));
    assert_eq!(jazz.producer.as_deref(), Some("Compagnie Swing"));
    assert_eq!(jazz.genre, "Jazz");
    assert_eq!(jazz.capacity, Some(400));
    // 5.5 %: P1 2200.00 → round(2200 / 1.055) = 2085.31; P2 1100.00 → 1042.65;
    //        incl. 3300.00, excl. 3127.96, VAT 172.04.
    // 20 %:  P2 300.00 → 250.00, VAT 50.00.
    let r: Vec<(String, Money, Money, Money)> = jazz
        .receipts
        .iter()
        .map(|r| (r.vat_rate.to_string(), r.excl_vat, r.vat, r.incl_vat))
        .collect();
    assert_eq!(
        r,
        [
            (
                "5.5".into(),
                money("3127.96"),
                money("172.04"),
                money("3300.00")
            ),
            (
                "20".into(),
                money("250.00"),
                money("50.00"),
                money("300.00")
            ),
        ]
    );
    assert!(jazz
        .receipts
        .iter()
        .all(|r| r.origin == ReceiptOrigin::Entrees));
    assert_eq!(jazz.receipts_total.excl_vat, money("3377.96"));
    assert_eq!(jazz.receipts_total.incl_vat, money("3600.00"));
    // Engagement 1000.00 without VAT; cession 1500 + 1500 + 200 = 3200.00, VAT 5.5 % = 176.00.
    let e: Vec<(&str, String, Money, Money, Money)> = jazz
        .expenses
        .iter()
        .map(|e| {
            (
                e.contract.as_str(),
                e.vat_rate.to_string(),
                e.excl_vat,
                e.vat,
                e.incl_vat,
            )
        })
        .collect();
    assert_eq!(
        e,
        [
            (
                "engagement",
                "0".into(),
                money("1000.00"),
                money("0.00"),
                money("1000.00")
            ),
            (
                "cession",
                "5.5".into(),
                money("3200.00"),
                money("176.00"),
                money("3376.00")
            ),
        ]
    );
    assert_eq!(jazz.expenses_total.incl_vat, money("4376.00"));
    // 3377.96 × 8.8 % = 297.26048 → 297.26, on the receipts.
    let est = &jazz.rights_estimate;
    assert_eq!(est.base_kind, EstimateBase::Receipts);
    assert_eq!((est.base, est.amount), (money("3377.96"), money("297.26")));
    assert!(est.note.starts_with("Estimation indicative"));
    // Last performance 21/11 → last day of December.
    assert_eq!(jazz.deadline.to_string(), "2025-12-31");

    // Free admission: no receipt, the estimate falls back on the expenses:
    // 800.00 × 8.8 % = 70.40.
    let bal = &model.shows[1];
    assert!(bal.receipts.is_empty());
    assert_eq!(bal.expenses_total.excl_vat, money("800.00"));
    assert_eq!(bal.expenses_total.vat, money("44.00"));
    assert_eq!(bal.rights_estimate.base_kind, EstimateBase::Expenses);
    assert_eq!(bal.rights_estimate.amount, money("70.40"));

    assert_eq!(model.agency.as_ref().unwrap().name, "Délégation de Nantes");
    assert_eq!(model.estimate_total(), money("367.66"));

    let blocking: Vec<(&str, Option<&str>)> = built
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Blocking)
        .map(|i| (i.code.as_str(), i.performance_id.as_deref()))
        .collect();
    assert_eq!(blocking, [("sacem.review", Some("tickets_csv:P5"))]);
}

#[test]
fn without_engagements_the_declaration_impl_lists_cession_only() {
    let m = worked_month();
    let facts = m.facts();
    let d = Sacem.build(&input(&facts)).unwrap();
    let expenses = &d.model["shows"][0]["expenses"];
    assert_eq!(expenses.as_array().unwrap().len(), 1);
    assert_eq!(expenses[0]["contract"], "cession");
    assert_eq!(d.summary.lines, 2);
    assert_eq!(d.summary.amount_due, None);
    assert_eq!(d.summary.deadline.unwrap().to_string(), "2025-12-31");
    let names: Vec<&str> = d.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["sacem.json", "sacem.pdf"]);
}

#[test]
fn golden_json_and_deterministic_files() {
    let m = worked_month();
    let a = draft(&m, &engagements());
    let b = draft(&m, &engagements());
    assert_eq!(a.files, b.files);
    let json = String::from_utf8(a.files[0].bytes.clone()).unwrap();
    assert_golden("sacem/sacem.json", &json);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        model_of(&a)
    );
}

#[test]
fn pdf_reads_like_the_form() {
    let m = worked_month();
    let d = draft(&m, &engagements());
    let text = pdf_text(&d.files[1].bytes);
    for expected in [
        "État des recettes et des dépenses",
        "Délégation de Nantes",
        "N° client SACEM 0123456",
        "1. Spectacle",
        "du 14/11/2025 au 21/11/2025",
        "Nombre de représentations 2",
        "Compagnie Swing",
        "2. Recettes",
        "Entrées payantes 160",
        "Entrées gratuites 8",
        "3 127,96 €",
        "3. Dépenses",
        "Contrats d'engagement",
        "3 376,00 €",
        "Estimation indicative — montant calculé par la SACEM",
        "297,26 €",
        "31 décembre 2025",
        "Bal des Digues",
    ] {
        assert!(text.contains(expected), "missing « {expected} » in {text}");
    }
    assert!(!text.contains("Les Vagues"));
}

#[test]
fn unknown_postal_code_gives_a_warning_and_no_agency() {
    let mut m = Month::new();
    m.org.sacem_client_id = None;
    let row = m.ticketed("P1", "Nuit Jazz", "2025-11-14 20:30", Discipline::Jazz);
    row.venue.postal_code = Some("98800".into());
    m.sell("P1", 0, 2, "10.00", "5.5");
    let d = draft(&m, &[]);
    assert!(d.model["agency"].is_null());
    assert_eq!(d.model["agency_postal_code"], "98800");
    let warnings: Vec<&str> = d
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(
        warnings,
        ["sacem.agency.unknown", "sacem.client_id.missing"]
    );
    assert!(d
        .summary
        .note
        .contains("à adresser à la délégation régionale (à déterminer)"));
}

#[test]
fn no_show_means_nothing_to_declare() {
    let mut m = Month::new();
    // A tale: outside SACEM's repertoire by default (theatre would be a question now).
    m.ticketed("P1", "Les Vagues", "2025-11-14 20:30", Discipline::Conte);
    let d = draft(&m, &[]);
    assert_eq!(d.model["shows"].as_array().unwrap().len(), 0);
    assert!(d.issues.is_empty());
    assert_eq!(d.summary.deadline, None);
    assert!(pdf_text(&d.files[1].bytes).contains("Aucun spectacle du répertoire"));
}

#[test]
fn each_show_goes_to_the_delegation_of_its_venue() {
    // Nuit Jazz plays in Nantes (44 → Délégation de Nantes), Tournée Rock in Paris (75 →
    // Délégation de Paris): each state names its own delegation and a warning says the file
    // cannot go to a single one.
    let mut m = Month::new();
    m.ticketed("P1", "Nuit Jazz", "2025-11-14 20:30", Discipline::Jazz);
    let paris = m.ticketed(
        "P2",
        "Tournée Rock",
        "2025-11-20 20:30",
        Discipline::MusiquesActuelles,
    );
    paris.venue.postal_code = Some("75011".into());
    m.sell("P1", 0, 2, "10.00", "5.5");
    m.sell("P2", 2, 2, "10.00", "5.5");
    let d = draft(&m, &[]);
    let shows = d.model["shows"].as_array().unwrap();
    assert_eq!(shows[0]["agency"]["name"], "Délégation de Nantes");
    assert_eq!(shows[0]["agency_postal_code"], "44000");
    assert_eq!(shows[1]["agency"]["name"], "Délégation de Paris");
    assert_eq!(shows[1]["agency_postal_code"], "75011");
    // The file-level delegation is still the first show's.
    assert_eq!(d.model["agency"]["name"], "Délégation de Nantes");
    let several: Vec<&releve_domain::Issue> = d
        .issues
        .iter()
        .filter(|i| i.code == "sacem.agency.several")
        .collect();
    assert_eq!(several.len(), 1, "{:?}", d.issues);
    assert!(several[0]
        .message
        .contains("« Tournée Rock » → Délégation de Paris"));
    assert!(d
        .summary
        .note
        .contains("à la délégation de Nantes et à la délégation de Paris"));
    let text = pdf_text(&d.files[1].bytes);
    assert!(text.contains("Délégation de Paris (Paris)"), "{text}");

    // One delegation for every show: no warning.
    let mut m = Month::new();
    m.ticketed("P1", "Nuit Jazz", "2025-11-14 20:30", Discipline::Jazz);
    m.sell("P1", 0, 2, "10.00", "5.5");
    let d = draft(&m, &[]);
    assert_eq!(
        d.model["shows"][0]["agency"]["name"],
        "Délégation de Nantes"
    );
    assert!(d.issues.iter().all(|i| i.code != "sacem.agency.several"));
}

#[test]
fn a_bar_receipt_is_a_row_of_the_etat_and_counts_in_the_estimate() {
    // A concert: 100 × 22.00 at 5.5 % = 2200.00 incl., excl. round(2200 / 1.055) = 2085.31;
    // the bar sold 600.00 incl. at 20 %: excl. 500.00, VAT 100.00; programmes 52.75 at 5.5 %:
    // excl. round(52.75 / 1.055) = 50.00. Receipts total excl. 2085.31 + 500.00 + 50.00 =
    // 2635.31; estimate 2635.31 × 8.80 % = 231.907… → 231.91.
    let mut m = Month::new();
    let row = m.ticketed("P1", "Nuit Jazz", "2025-11-21 20:30", Discipline::Jazz);
    let rate = |t: &str| releve_domain::VatRate::parse(t).unwrap();
    row.other_receipts = vec![
        OtherReceipt {
            origin: OtherOrigin::Bar,
            incl_vat: money("600.00"),
            vat_rate: rate("20"),
        },
        OtherReceipt {
            origin: OtherOrigin::Programmes,
            incl_vat: money("52.75"),
            vat_rate: rate("5.5"),
        },
    ];
    m.sell("P1", 0, 100, "22.00", "5.5");
    let d = draft(&m, &[]);
    let show = &d.model["shows"][0];
    let rows: Vec<(&str, &str, &str, &str)> = show["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["origin"].as_str().unwrap(),
                r["vat_rate"].as_str().unwrap(),
                r["excl_vat"].as_str().unwrap(),
                r["vat"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("entrees", "5.5", "2085.31", "114.69"),
            ("consommations", "20", "500.00", "100.00"),
            ("programmes", "5.5", "50.00", "2.75"),
        ]
    );
    assert_eq!(show["receipts_total"]["excl_vat"], "2635.31");
    assert_eq!(show["rights_estimate"]["amount"], "231.91");
    // Every row of the form is printed, the empty ones at zero.
    let pdf = pdf_text(&d.files[1].bytes);
    for wanted in [
        "Consommations",
        "Restauration",
        "Vente de programmes",
        "Autres recettes",
        "Estimation indicative",
    ] {
        assert!(pdf.contains(wanted), "missing « {wanted} » in {pdf}");
    }
}

#[test]
fn works_in_the_public_domain_owe_no_estimated_rights() {
    let mut m = Month::new();
    m.ticketed(
        "P1",
        "Quatuor",
        "2025-11-21 20:30",
        Discipline::MusiqueClassique,
    )
    .public_domain = true;
    m.sell("P1", 0, 100, "22.00", "5.5");
    let d = draft(&m, &[]);
    let show = &d.model["shows"][0];
    assert_eq!(show["public_domain"], true);
    assert_eq!(show["rights_estimate"]["amount"], "0.00");
    assert!(show["rights_estimate"]["note"]
        .as_str()
        .unwrap()
        .contains("domaine public"));
    // The receipts are still declared: the état is due all the same.
    assert_eq!(show["receipts_total"]["incl_vat"], "2200.00");
}

//! Corrections laid over the facts: precedence, answered issues, manual links.

use super::*;
use crate::facts::FactsInput;
use crate::model::PriceKind;
use crate::testing::*;
use crate::Month;

fn month() -> Month {
    "2025-11".parse().unwrap()
}

fn facts_with(
    records: &[PerformanceRecord],
    programme: &[ProgrammeEntry],
    corrections: &Corrections,
) -> MonthFacts {
    let org = organisation(true);
    let tickets = tickets("P1", 0, 10, "20.00", "5.5", PriceKind::Full);
    build_corrected_month_facts(
        FactsInput {
            organisation: &org,
            month: month(),
            records,
            tickets: &tickets,
            programme,
        },
        corrections,
    )
}

fn field(target: CorrectionTarget, value: CorrectedValue) -> FieldCorrection {
    FieldCorrection { target, value }
}

#[test]
fn a_discipline_correction_wins_over_the_programme_and_a_performance_over_its_show() {
    let records = vec![
        performance("P1", "Les Vagues", "2025-11-14 20:30"),
        performance("P2", "Les Vagues", "2025-11-15 20:30"),
    ];
    let programme = vec![
        programme(
            Some("P1"),
            "Les Vagues",
            "2025-11-14 20:30",
            Discipline::ChansonVariete,
        ),
        programme(
            Some("P2"),
            "Les Vagues",
            "2025-11-15 20:30",
            Discipline::ChansonVariete,
        ),
    ];
    let corrections = Corrections {
        fields: vec![
            // Given in this order on purpose: the performance's own correction must still win.
            field(
                CorrectionTarget::Performance("tickets_csv:P2".into()),
                CorrectedValue::Discipline(Discipline::Danse),
            ),
            field(
                CorrectionTarget::Show("les vagues".into()),
                CorrectedValue::Discipline(Discipline::Theatre),
            ),
        ],
        links: vec![],
    };
    let f = facts_with(&records, &programme, &corrections);
    assert_eq!(f.performances[0].discipline, Some(Discipline::Theatre));
    assert_eq!(f.performances[1].discipline, Some(Discipline::Danse));
    // Receipts are untouched: 10 × 20.00 = 200.00, excl. round(200 / 1.055) = 189.57.
    assert_eq!(f.performances[0].receipts_excl_vat.to_string(), "189.57");
}

#[test]
fn a_correction_answers_the_missing_discipline_and_capacity_issues() {
    let records = vec![performance("P1", "Sans programme", "2025-11-14 20:30")];
    let plain = facts_with(&records, &[], &Corrections::default());
    let codes: Vec<&str> = plain.issues.iter().map(|i| i.code.as_str()).collect();
    assert!(codes.contains(&"discipline.missing"), "{codes:?}");
    assert!(codes.contains(&"capacity.missing"), "{codes:?}");

    let target = CorrectionTarget::Performance("tickets_csv:P1".into());
    let corrections = Corrections {
        fields: vec![
            field(target.clone(), CorrectedValue::Discipline(Discipline::Jazz)),
            field(target, CorrectedValue::Capacity(300)),
        ],
        links: vec![],
    };
    let f = facts_with(&records, &[], &corrections);
    assert_eq!(f.performances[0].discipline, Some(Discipline::Jazz));
    assert_eq!(f.performances[0].capacity, Some(300));
    assert!(f.issues.is_empty(), "{:?}", f.issues);
}

#[test]
fn producer_fields_and_flags_are_set_one_by_one() {
    let records = vec![performance("P1", "Les Vagues", "2025-11-14 20:30")];
    let programme = vec![programme(
        Some("P1"),
        "Les Vagues",
        "2025-11-14 20:30",
        Discipline::Theatre,
    )];
    let target = CorrectionTarget::Performance("tickets_csv:P1".into());
    let corrections = Corrections {
        fields: vec![
            field(target.clone(), CorrectedValue::ProducerSubsidised(false)),
            field(
                target.clone(),
                CorrectedValue::CessionPriceExclVat(Money::parse("2000.00").unwrap()),
            ),
            field(
                target.clone(),
                CorrectedValue::VenueType("ESPACE_POLYVALENT".into()),
            ),
            field(target, CorrectedValue::TaxFraction(Fraction::Cnm)),
        ],
        links: vec![],
    };
    let f = facts_with(&records, &programme, &corrections);
    let p = &f.performances[0];
    assert_eq!(
        p.producer.as_ref().and_then(|pr| pr.subsidised),
        Some(false)
    );
    assert_eq!(
        current_value(p, "producer_subsidised").as_deref(),
        Some("no")
    );
    assert_eq!(
        current_value(p, "cession_price_excl_vat").as_deref(),
        Some("2000.00")
    );
    assert_eq!(
        current_value(p, "venue_type").as_deref(),
        Some("ESPACE_POLYVALENT")
    );
    assert_eq!(current_value(p, "tax_fraction").as_deref(), Some("cnm"));
    assert_eq!(current_value(p, "discipline").as_deref(), Some("theatre"));
}

#[test]
fn a_manual_link_attaches_a_row_the_title_could_not_match() {
    let records = vec![performance("P1", "Les Vagues", "2025-11-14 20:30")];
    // Another title and no performance_id: the automatic matching leaves it on its own.
    let mut row = programme(None, "Vagues (Les)", "2025-11-14 20:30", Discipline::Danse);
    row.line = 7;
    let plain = facts_with(
        &records,
        std::slice::from_ref(&row),
        &Corrections::default(),
    );
    assert_eq!(plain.performances.len(), 2);

    let corrections = Corrections {
        fields: vec![],
        links: vec![ManualLink {
            performance_id: "tickets_csv:P1".into(),
            programme_source: "programme_csv".into(),
            programme_line: 7,
        }],
    };
    let f = facts_with(&records, &[row], &corrections);
    assert_eq!(f.performances.len(), 1);
    let p = &f.performances[0];
    assert_eq!(p.discipline, Some(Discipline::Danse));
    assert_eq!(
        current_value(p, "programme_row").as_deref(),
        Some("programme_csv:7")
    );
    assert!(
        f.issues.iter().all(|i| i.code != "programme.unlinked"),
        "{:?}",
        f.issues
    );
}

#[test]
fn a_manual_link_displaces_the_automatic_one_with_a_warning() {
    let records = vec![performance("P1", "Les Vagues", "2025-11-14 20:30")];
    let auto = programme(
        Some("P1"),
        "Les Vagues",
        "2025-11-14 20:30",
        Discipline::Theatre,
    );
    let mut manual = programme(None, "Autre titre", "2025-11-20 20:30", Discipline::Jazz);
    manual.line = 9;
    let corrections = Corrections {
        fields: vec![],
        links: vec![ManualLink {
            performance_id: "tickets_csv:P1".into(),
            programme_source: "programme_csv".into(),
            programme_line: 9,
        }],
    };
    let f = facts_with(&records, &[auto, manual], &corrections);
    assert_eq!(f.performances.len(), 1);
    assert_eq!(f.performances[0].discipline, Some(Discipline::Jazz));
    let displaced: Vec<&Issue> = f
        .issues
        .iter()
        .filter(|i| i.code == "programme.displaced")
        .collect();
    assert_eq!(displaced.len(), 1, "{:?}", f.issues);
    assert_eq!(displaced[0].line, Some(2));
}

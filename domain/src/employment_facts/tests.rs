use super::*;
use rust_decimal_macros::dec;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn march() -> Month {
    Month::new(2026, 3).unwrap()
}

#[allow(clippy::too_many_arguments)]
fn eng(
    person: &str,
    sex: Sex,
    role: Role,
    contract: &str,
    objet: Option<&str>,
    period: (&str, &str),
    hours: Decimal,
    cachets: Option<Decimal>,
    gross_cents: i64,
    conges_cents: Option<i64>,
) -> Engagement {
    Engagement {
        source: "dsn".into(),
        employer_siret: "81234567600009".into(),
        month: march(),
        person_key: person.into(),
        sex: Some(sex),
        role,
        contract_id: contract.into(),
        contract_nature: Some("02".into()),
        pcs_ese: None,
        intermittent: true,
        numero_objet: objet.map(str::to_string),
        period_start: day(period.0),
        period_end: day(period.1),
        hours,
        cachets,
        gross_pay: Money::from_cents(gross_cents),
        conges_spectacles: conges_cents.map(Money::from_cents),
    }
}

fn show(id: &str, title: &str, objet: &str, date: &str, cancelled: bool) -> ShowDate {
    ShowDate {
        show_id: id.into(),
        show_title: title.into(),
        numero_objet: vec![objet.into()],
        date: day(date),
        cancelled,
    }
}

/// The engagements of the DSN fixture of the collectors crate (after its "annule et remplace":
/// Luc's gross pay is 280.00).
fn engagements() -> Vec<Engagement> {
    use Role::*;
    use Sex::*;
    vec![
        eng(
            "claire",
            Female,
            Artist,
            "C1",
            Some("26XZ00123442"),
            ("2026-03-18", "2026-03-21"),
            dec!(24.00),
            Some(dec!(3.00)),
            78000,
            Some(11700),
        ),
        eng(
            "paul",
            Male,
            Technician,
            "T1",
            Some("26XZ00123442"),
            ("2026-03-19", "2026-03-21"),
            dec!(30.00),
            None,
            45000,
            None,
        ),
        eng(
            "paul",
            Male,
            Technician,
            "T2",
            Some("26XZ00555500"),
            ("2026-03-10", "2026-03-10"),
            dec!(8.00),
            None,
            12000,
            None,
        ),
        eng(
            "sofia",
            Female,
            Artist,
            "C2",
            Some("26XZ00987611"),
            ("2026-03-27", "2026-04-03"),
            dec!(16.00),
            Some(dec!(2.00)),
            60000,
            Some(9000),
        ),
        eng(
            "luc",
            Male,
            Artist,
            "C3",
            Some("26XZ00987611"),
            ("2026-03-27", "2026-03-27"),
            dec!(12.00),
            Some(dec!(1.00)),
            28000,
            None,
        ),
        eng(
            "anne",
            Female,
            Other,
            "A1",
            None,
            ("2026-03-01", "2026-03-31"),
            dec!(151.67),
            None,
            210000,
            None,
        ),
    ]
}

fn dates() -> Vec<ShowDate> {
    vec![
        show("show-a", "Les Vagues", "26XZ00123442", "2026-03-20", false),
        show("show-a", "Les Vagues", "26XZ00123442", "2026-03-21", false),
        // Written with a space and in lower case in the programme.
        show(
            "show-b",
            "Nuit blanche",
            "26xz 00987611",
            "2026-03-27",
            false,
        ),
        show(
            "show-b",
            "Nuit blanche",
            "26xz 00987611",
            "2026-03-28",
            true,
        ),
        show(
            "show-b",
            "Nuit blanche",
            "26xz 00987611",
            "2026-04-02",
            false,
        ),
    ]
}

#[test]
fn march_per_show_with_hand_computed_figures() {
    let report = employment_facts_from_dates(march(), &engagements(), &dates());
    assert_eq!(report.facts.len(), 2, "{report:#?}");
    let a = &report.facts[0];
    assert_eq!(a.show_title, "Les Vagues");
    assert_eq!(a.numero_objet.as_deref(), Some("26XZ00123442"));
    // Claire (artist, woman) and Paul (technician, man), both wholly in March.
    assert_eq!((a.artists, a.technicians, a.women, a.men), (1, 1, 1, 1));
    assert_eq!(a.hours, dec!(54.00)); // 24 + 30
    assert_eq!(a.cachets, dec!(3.00));
    assert_eq!(a.gross_pay, Money::from_cents(123000)); // 780 + 450
    assert_eq!(a.conges_spectacles, Some(Money::from_cents(11700)));
    assert!(!a.estimated);

    let b = &report.facts[1];
    assert_eq!(b.show_title, "Nuit blanche");
    assert_eq!(b.numero_objet.as_deref(), Some("26xz 00987611"));
    // Sofia's period covers 27/03 and 02/04 (28/03 is cancelled): half in March.
    // Luc covers 27/03 only: whole.
    assert_eq!((b.artists, b.technicians, b.women, b.men), (2, 0, 1, 1));
    assert_eq!(b.hours, dec!(20.00)); // 16/2 + 12
    assert_eq!(b.cachets, dec!(2.00)); // 2/2 + 1
    assert_eq!(b.gross_pay, Money::from_cents(58000)); // 600/2 + 280
    assert_eq!(b.conges_spectacles, Some(Money::from_cents(4500))); // 90/2
    assert!(b.estimated);
}

#[test]
fn unlinked_engagements_are_reported_in_french() {
    let report = employment_facts_from_dates(march(), &engagements(), &dates());
    assert_eq!(report.issues.len(), 2, "{:#?}", report.issues);
    let texts: Vec<&str> = report.issues.iter().map(|i| i.message.as_str()).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.contains("contrat A1") && t.contains("n'a pas de numéro d'objet")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("contrat T2") && t.contains("26XZ00555500")),
        "{texts:?}"
    );
    assert!(report
        .issues
        .iter()
        .all(|i| i.code == "employment.unlinked"));
}

#[test]
fn april_gets_the_other_half_without_repeating_warnings() {
    let april = Month::new(2026, 4).unwrap();
    let report = employment_facts_from_dates(april, &engagements(), &dates());
    assert!(report.issues.is_empty(), "{:#?}", report.issues);
    assert_eq!(report.facts.len(), 1);
    let b = &report.facts[0];
    assert_eq!((b.artists, b.technicians, b.women, b.men), (1, 0, 1, 0));
    assert_eq!(b.hours, dec!(8.00)); // 16 - 8
    assert_eq!(b.gross_pay, Money::from_cents(30000)); // 600 - 300
    assert_eq!(b.conges_spectacles, Some(Money::from_cents(4500)));
    assert!(b.estimated);
}

#[test]
fn spreading_keeps_the_total_to_the_cent() {
    // 100.00 over three dates: one in March, two in April.
    let e = eng(
        "x",
        Sex::Female,
        Role::Artist,
        "C9",
        Some("OBJ"),
        ("2026-03-30", "2026-04-05"),
        dec!(10.00),
        None,
        10000,
        None,
    );
    let dates = vec![
        show("s", "Trio", "OBJ", "2026-03-31", false),
        show("s", "Trio", "OBJ", "2026-04-01", false),
        show("s", "Trio", "OBJ", "2026-04-02", false),
    ];
    let m = employment_facts_from_dates(march(), std::slice::from_ref(&e), &dates).facts;
    let a = employment_facts_from_dates(Month::new(2026, 4).unwrap(), &[e], &dates).facts;
    // March: round(100 × 1/3) = 33.33; April: 100 − 33.33 = 66.67. Hours 3.33 + 6.67.
    assert_eq!(m[0].gross_pay, Money::from_cents(3333));
    assert_eq!(a[0].gross_pay, Money::from_cents(6667));
    assert_eq!((m[0].hours, a[0].hours), (dec!(3.33), dec!(6.67)));
}

#[test]
fn a_payroll_month_without_covered_date_is_an_estimate() {
    // Rehearsals paid in February for a show played in March.
    let mut e = eng(
        "y",
        Sex::Male,
        Role::Technician,
        "R1",
        Some("OBJ"),
        ("2026-02-20", "2026-02-27"),
        dec!(35.00),
        None,
        70000,
        None,
    );
    e.month = Month::new(2026, 2).unwrap();
    let dates = vec![show("s", "Trio", "OBJ", "2026-03-05", false)];
    let m = employment_facts_from_dates(march(), &[e], &dates);
    assert_eq!(m.facts[0].gross_pay, Money::from_cents(70000));
    assert_eq!(m.facts[0].technicians, 1);
    assert!(m.facts[0].estimated);
}

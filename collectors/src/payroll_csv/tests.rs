use super::*;
use rust_decimal_macros::dec;
use std::path::PathBuf;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/payroll/payroll_2026_03.csv")
}

fn rows() -> Vec<PayrollRow> {
    read("payroll_csv", &fixture(), "sel").unwrap().collect()
}

#[test]
fn good_rows_become_engagements() {
    let rows = rows();
    let PayrollRow::Engagement(a) = &rows[0] else {
        panic!("{:?}", rows[0])
    };
    assert_eq!(a.source, "payroll_csv");
    assert_eq!(a.employer_siret, "81234567600009");
    assert_eq!(a.month, Month::new(2026, 3).unwrap());
    // Hashed exactly like a DSN NIR.
    assert_eq!(a.person_key, pseudonym_key("sel", "2850375123456"));
    assert_eq!(a.sex, Some(Sex::Female));
    assert_eq!(a.role, Role::Artist);
    assert!(a.intermittent);
    assert_eq!(a.numero_objet.as_deref(), Some("26XZ00123442"));
    assert_eq!(a.period_start.to_string(), "2026-03-20");
    assert_eq!(a.hours, dec!(24));
    assert_eq!(a.cachets, Some(dec!(2)));
    assert_eq!(a.gross_pay, releve_domain::Money::from_cents(120000));
    assert_eq!(
        a.conges_spectacles,
        Some(releve_domain::Money::from_cents(18000))
    );

    let PayrollRow::Engagement(b) = &rows[1] else {
        panic!("{:?}", rows[1])
    };
    // "03/2026", "homme", "technicien", "8,5", "150.5", empty cachets and numéro d'objet.
    assert_eq!(b.month, Month::new(2026, 3).unwrap());
    assert_eq!((b.sex, b.role), (Some(Sex::Male), Role::Technician));
    assert!(!b.intermittent);
    assert_eq!(b.hours, dec!(8.5));
    assert_eq!(b.cachets, None);
    assert_eq!(b.numero_objet, None);
    assert_eq!(b.gross_pay, releve_domain::Money::from_cents(15050));
    assert_eq!(b.conges_spectacles, None);
}

#[test]
fn bad_rows_are_quarantined_with_line_column_and_reason() {
    let rows = rows();
    let expected: [(u64, &str, &str); 5] = [
        (4, "role", "rôle inconnu « régisseur »"),
        (5, "employer_siret", "SIRET invalide"),
        (6, "period_end", "fin de période antérieure au début"),
        (9, "month", "mois illisible « mars »"),
        (10, "intermittent", "valeur « peut-être » non reconnue"),
    ];
    assert_eq!(rows.len(), 2 + expected.len(), "{rows:#?}");
    for (row, (line, column, reason)) in rows[2..].iter().zip(expected) {
        let PayrollRow::Quarantined(q) = row else {
            panic!("line {line}: {row:?}")
        };
        assert_eq!(q.line, Some(line), "{q:?}");
        assert_eq!(q.column.as_deref(), Some(column), "{q:?}");
        assert!(q.reason.contains(reason), "{}", q.reason);
    }
}

#[test]
fn batches_group_by_employer_and_month() {
    let engagements: Vec<Engagement> = rows()
        .into_iter()
        .filter_map(|r| match r {
            PayrollRow::Engagement(e) => Some(e),
            PayrollRow::Quarantined(_) => None,
        })
        .collect();
    let b = batches(engagements);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].employer_siret, "81234567600009");
    assert_eq!(b[0].engagements.len(), 2);
}

#[test]
fn missing_required_columns_stop_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paie.csv");
    std::fs::write(&path, "employer_siret,month,person_id\n1,2,3\n").unwrap();
    let err = read("payroll_csv", &path, "sel").err().unwrap();
    assert!(err.to_string().contains("role, contract_id"), "{err}");
}

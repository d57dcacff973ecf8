//! Every family against figures computed by hand from `fixture.rs`.

use super::fixture::{all_months, m, month_data, november, october, Show};
use crate::catalogue::{find, Indicator};
use crate::inputs::{DeclaredAmounts, Inputs, PeriodInputs};
use crate::period::Period;
use crate::rows::{compute_rows, IndicatorRow};
use crate::value::Value;
use releve_domain::{Discipline, Money};
use rust_decimal_macros::dec;

fn season() -> Vec<IndicatorRow> {
    compute_rows(Period::parse_season("2025-2026", 9).unwrap(), &all_months())
}

fn get<'a>(rows: &'a [IndicatorRow], id: &str) -> &'a IndicatorRow {
    rows.iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn money(s: &str) -> Value {
    Value::Money(Money::parse(s).unwrap())
}

fn na(reason: &str) -> Value {
    Value::not_applicable(reason)
}

#[test]
fn performances_family() {
    let rows = season();
    // Held: P1..P5 = 5 (P6 cancelled). Previous season: P0 only.
    let total = get(&rows, "performances.total");
    assert_eq!(total.value, Value::Count(5));
    assert_eq!(total.previous_value, Value::Count(1));
    assert_eq!(
        total.note.as_deref(),
        Some("1 représentation annulée exclue")
    );
    // Théâtre P1, P2; marionnettes P4, P5; musiques actuelles P3 (table order).
    let by = get(&rows, "performances.by_discipline");
    let keys: Vec<(&str, Value, Value)> = by
        .breakdown
        .iter()
        .map(|b| (b.key.as_str(), b.value.clone(), b.previous_value.clone()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("theatre", Value::Count(2), Value::Count(1)),
            ("marionnettes", Value::Count(2), Value::Count(0)),
            ("musiques_actuelles", Value::Count(1), Value::Count(0)),
        ]
    );
    assert_eq!(by.breakdown[0].label, "Théâtre");
    // Audiences: tout public P1 P2 P3, jeune public P4, scolaire P5.
    let aud = get(&rows, "performances.by_audience");
    let counts: Vec<Value> = aud.breakdown.iter().map(|b| b.value.clone()).collect();
    assert_eq!(
        counts,
        vec![Value::Count(3), Value::Count(1), Value::Count(1)]
    );
    assert_eq!(get(&rows, "performances.in_venue").value, Value::Count(4));
    assert_eq!(get(&rows, "performances.off_site").value, Value::Count(1));
    assert_eq!(get(&rows, "performances.cancelled").value, Value::Count(1));
}

#[test]
fn attendance_family() {
    let rows = season();
    // Paid 10 + 5 + 8 + 6 + 0 = 29; free 2 + 0 + 0 + 4 + 30 = 36; total 65.
    assert_eq!(get(&rows, "attendance.paid").value, Value::Count(29));
    assert_eq!(get(&rows, "attendance.free").value, Value::Count(36));
    assert_eq!(get(&rows, "attendance.total").value, Value::Count(65));
    assert_eq!(
        get(&rows, "attendance.total").previous_value,
        Value::Count(20)
    );
    // Fill rate over known capacity: P1 12/400, P2 5/400, P3 8/200, P5 30/100 →
    // 55 / 1100 = 5.0 %; P4 (no capacity) left out. Previous: 20 / 100 = 20.0 %.
    let fill = get(&rows, "attendance.fill_rate");
    assert_eq!(fill.value, Value::Percent(dec!(5.0)));
    assert_eq!(fill.previous_value, Value::Percent(dec!(20.0)));
    assert_eq!(
        fill.note.as_deref(),
        Some("1 représentation sans jauge connue exclue")
    );
    // Attendance by discipline: théâtre 12 + 5, marionnettes 10 + 30, musiques actuelles 8.
    let by: Vec<Value> = get(&rows, "attendance.by_discipline")
        .breakdown
        .iter()
        .map(|b| b.value.clone())
        .collect();
    assert_eq!(
        by,
        vec![Value::Count(17), Value::Count(40), Value::Count(8)]
    );
}

#[test]
fn receipts_family() {
    let rows = season();
    // Incl. VAT: 200 + 100 + 120 + 48 = 468.00.
    // Excl. VAT per performance (5.5 %): 200/1.055 = 189.573 → 189.57; 100/1.055 = 94.787 →
    // 94.79; 120/1.055 = 113.744 → 113.74; 48/1.055 = 45.498 → 45.50; sum 443.60.
    assert_eq!(
        get(&rows, "receipts.ticketing_incl_vat").value,
        money("468.00")
    );
    assert_eq!(
        get(&rows, "receipts.ticketing_excl_vat").value,
        money("443.60")
    );
    assert_eq!(get(&rows, "receipts.own").value, money("443.60"));
    // Average price 468.00 / 29 = 16.1379… → 16.14; previous 200.00 / 20 = 10.00.
    let avg = get(&rows, "receipts.average_price");
    assert_eq!(avg.value, money("16.14"));
    assert_eq!(avg.previous_value, money("10.00"));
    assert_eq!(
        get(&rows, "receipts.ticketing_excl_vat").previous_value,
        money("189.57")
    );
}

#[test]
fn audiences_family() {
    let rows = season();
    assert_eq!(
        get(&rows, "audiences.young_performances").value,
        Value::Count(1)
    );
    // P4: 6 paid + 4 free.
    assert_eq!(
        get(&rows, "audiences.young_attendance").value,
        Value::Count(10)
    );
    assert_eq!(
        get(&rows, "audiences.school_performances").value,
        Value::Count(1)
    );
    assert_eq!(
        get(&rows, "audiences.school_attendance").value,
        Value::Count(30)
    );
    assert_eq!(
        get(&rows, "audiences.school_attendance").previous_value,
        Value::Count(0)
    );
}

#[test]
fn creation_family() {
    let rows = season();
    assert_eq!(get(&rows, "creation.performances").value, Value::Count(2));
    // P131: creation seats 400 + 400 = 800 over known capacity 400 + 400 + 200 + 100 = 1100
    // → 72.727… → 72.7 %; previous 0 / 100 = 0.0 %.
    let share = get(&rows, "creation.seats_share");
    assert_eq!(share.value, Value::Percent(dec!(72.7)));
    assert_eq!(share.previous_value, Value::Percent(dec!(0.0)));
    assert_eq!(
        share.note.as_deref(),
        Some("1 représentation sans jauge connue exclue")
    );
}

#[test]
fn parity_family() {
    let rows = season();
    // Payroll: women 3 + 2 = 5, men 3 + 1 = 4 → 5/9 = 55.55… → 55.6 %. No payroll before.
    let employed = get(&rows, "parity.employed_women");
    assert_eq!(employed.value, Value::Percent(dec!(55.6)));
    assert_eq!(employed.previous_value, na("aucune source de paie"));
    // Directors, per show: Les Vagues (woman), Concert Nuit (man), Petit Loup unknown → 1/2.
    let directors = get(&rows, "parity.directors_women");
    assert_eq!(directors.value, Value::Percent(dec!(50.0)));
    assert_eq!(
        directors.note.as_deref(),
        Some("1 spectacle sans sexe de la direction renseigné exclu")
    );
    assert!(!directors.previous_value.is_applicable());
    // Artists, per show (Les Vagues counted once though played twice): (3 + 1) / (4 + 5) =
    // 44.44… → 44.4 %.
    assert_eq!(
        get(&rows, "parity.artists_women").value,
        Value::Percent(dec!(44.4))
    );
}

#[test]
fn employment_family() {
    let rows = season();
    assert_eq!(get(&rows, "employment.artists").value, Value::Count(6));
    assert_eq!(get(&rows, "employment.technicians").value, Value::Count(3));
    assert_eq!(
        get(&rows, "employment.hours").value,
        Value::Number(dec!(150.5))
    );
    assert_eq!(
        get(&rows, "employment.cachets").value,
        Value::Number(dec!(11))
    );
    let gross = get(&rows, "employment.gross_pay");
    assert_eq!(gross.value, money("5200.50"));
    assert_eq!(gross.previous_value, na("aucune source de paie"));
    assert_eq!(
        gross.note.as_deref(),
        Some("chiffres en partie estimés (1 spectacle-mois répartis sur les dates)")
    );
}

#[test]
fn taxes_and_rights_family() {
    let rows = season();
    assert_eq!(get(&rows, "taxes_rights.cnm_tax").value, money("4.20"));
    // ASTP 10.00 + 1.59.
    assert_eq!(get(&rows, "taxes_rights.astp_tax").value, money("11.59"));
    assert_eq!(
        get(&rows, "taxes_rights.sacem").value,
        na("aucune déclaration SACEM pour la période")
    );
    assert_eq!(get(&rows, "taxes_rights.sacd").value, money("50.00"));
    assert_eq!(
        get(&rows, "taxes_rights.cnm_tax").previous_value,
        na("aucune déclaration CNM pour la période")
    );
}

#[test]
fn empty_period_is_not_applicable_where_a_ratio_is_needed() {
    let empty = PeriodInputs::default();
    let i = empty.inputs();
    let value = |id: &str| find(id).unwrap().compute(&i);
    assert_eq!(value("performances.total"), Value::Count(0));
    assert_eq!(value("attendance.paid"), Value::Count(0));
    assert_eq!(
        value("attendance.fill_rate"),
        na("aucune représentation dans la période")
    );
    assert_eq!(
        value("receipts.average_price"),
        na("aucun billet payant dans la période")
    );
    assert_eq!(
        value("creation.seats_share"),
        na("aucune représentation dans la période")
    );
    assert_eq!(value("employment.hours"), na("aucune source de paie"));
    assert!(!value("parity.directors_women").is_applicable());
    assert!(!value("parity.artists_women").is_applicable());
}

#[test]
fn unknown_capacity_everywhere_says_jauge_inconnue() {
    let data = month_data(
        m(2026, 1),
        &[Show {
            id: "X1",
            title: "Sans Jauge",
            start: "2026-01-09 20:00",
            discipline: Discipline::Danse,
            capacity: None,
            paid: (0, "10.00"),
            free: 3,
            edit: |_| {},
        }],
        Some(vec![]),
        DeclaredAmounts::default(),
    );
    let inputs = Inputs {
        performances: &data.facts.performances,
        employment: data.employment.as_deref(),
        declared: &data.declared,
    };
    let value = |id: &str| find(id).unwrap().compute(&inputs);
    assert_eq!(
        value("attendance.fill_rate"),
        na("jauge inconnue : aucune représentation de la période n'a de jauge renseignée")
    );
    assert_eq!(
        value("creation.seats_share"),
        na("jauge inconnue : aucune représentation de la période n'a de jauge renseignée")
    );
    // Only free tickets: no average price rather than 0.00.
    assert_eq!(
        value("receipts.average_price"),
        na("aucun billet payant dans la période")
    );
    // A payroll source with nobody employed: counts are true zeros, the share is undefined.
    assert_eq!(value("employment.artists"), Value::Count(0));
    assert_eq!(
        value("parity.employed_women"),
        na("sexe des salariés inconnu dans la paie de la période")
    );
}

#[test]
fn month_period_uses_the_previous_month() {
    let rows = compute_rows(Period::Month(m(2025, 11)), &[october(), november()]);
    // November: P4 + P5 held; October (previous month): P1 P2 P3.
    let total = get(&rows, "performances.total");
    assert_eq!(total.value, Value::Count(2));
    assert_eq!(total.previous_value, Value::Count(3));
    // November paid 6, receipts 48.00 → 8.00; October 23 paid, 420.00 → 18.26 (18.2608…).
    let avg = get(&rows, "receipts.average_price");
    assert_eq!(avg.value, money("8.00"));
    assert_eq!(avg.previous_value, money("18.26"));
    // A breakdown key seen only in the previous month is kept, with 0 now.
    let by = get(&rows, "performances.by_discipline");
    let musiques = by
        .breakdown
        .iter()
        .find(|b| b.key == "musiques_actuelles")
        .unwrap();
    assert_eq!(musiques.value, Value::Count(0));
    assert_eq!(musiques.previous_value, Value::Count(1));
}

#[test]
fn calendar_year_gathers_january_to_december() {
    // Year 2025 holds October and November 2025; 2024 holds December 2024.
    let rows = compute_rows(Period::Year(2025), &all_months());
    assert_eq!(get(&rows, "performances.total").value, Value::Count(5));
    assert_eq!(
        get(&rows, "performances.total").previous_value,
        Value::Count(1)
    );
}

#[test]
fn a_period_without_any_data_is_not_applicable_not_zero() {
    // October 2025 beside September 2025, for which no month of data was given.
    let rows = compute_rows(Period::Month(m(2025, 10)), &[october(), november()]);
    let total = get(&rows, "performances.total");
    assert_eq!(total.value, Value::Count(3));
    assert_eq!(
        total.previous_value,
        na("aucune donnée pour la période précédente")
    );
    let by = get(&rows, "performances.by_discipline");
    assert!(by
        .breakdown
        .iter()
        .all(|b| b.previous_value == na("aucune donnée pour la période précédente")));
    // A season with no data at all.
    let rows = compute_rows(Period::parse_season("2030-2031", 9).unwrap(), &all_months());
    assert_eq!(
        get(&rows, "attendance.paid").value,
        na("aucune donnée pour la période")
    );
}

//! The test data set, built with the domain's test builders (records, tickets, programme rows)
//! through the real monthly-facts pipeline.
//!
//! Season 2025-2026:
//! - 2025-10-10 20:30 « Les Vagues », théâtre, tout public, jauge 400, création, mise en scène
//!   par une femme, 4 artistes dont 3 femmes: 10 billets à 20,00 € (5,5 %) + 2 exonérés.
//! - 2025-10-11 20:30 « Les Vagues » (même spectacle), jauge 400, création: 5 billets à 20,00 €.
//! - 2025-10-20 21:00 « Concert Nuit », musiques actuelles, hors les murs, jauge 200, mise en
//!   scène par un homme, 5 artistes dont 1 femme: 8 billets à 15,00 € (5,5 %).
//! - 2025-11-05 10:00 « Petit Loup », marionnettes, jeune public, jauge inconnue: 6 billets à
//!   8,00 € + 4 exonérés.
//! - 2025-11-06 14:00 « Petit Loup », scolaire, jauge 100: 30 exonérés.
//! - 2025-11-20 20:30 « Annulé », théâtre, jauge 300, annulé.
//!
//! Payroll: October « Les Vagues » 4 artistes, 2 techniciens, 3 femmes, 3 hommes, 120 h,
//! 8 cachets, 4 000,00 €; November « Petit Loup » 2 artistes, 1 technicien, 2 femmes, 1 homme,
//! 30,5 h, 3 cachets, 1 200,50 €, estimated. Declared: October CNM 4,20, ASTP 10,00, SACD 50,00;
//! November ASTP 1,59.
//!
//! Season 2024-2025 (previous): 2024-12-12 20:30 « Ancien », théâtre, jauge 100: 20 billets à
//! 10,00 €; no payroll, nothing declared.

use crate::inputs::{DeclaredAmounts, MonthData};
use releve_domain::employment::{EmploymentFacts, Sex};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::testing::{organisation, performance, programme, tickets};
use releve_domain::{Audience, Discipline, Money, Month, PriceKind, ProgrammeEntry};
use releve_domain::{PerformanceRecord, Ticket};
use rust_decimal_macros::dec;

pub(crate) struct Show {
    pub id: &'static str,
    pub title: &'static str,
    pub start: &'static str,
    pub discipline: Discipline,
    pub capacity: Option<u32>,
    /// (count, price) of paid tickets at 5.5 %.
    pub paid: (usize, &'static str),
    pub free: usize,
    pub edit: fn(&mut ProgrammeEntry),
}

fn no_edit(_: &mut ProgrammeEntry) {}

pub(crate) fn month_data(
    month: Month,
    shows: &[Show],
    employment: Option<Vec<EmploymentFacts>>,
    declared: DeclaredAmounts,
) -> MonthData {
    let org = organisation(true);
    let mut records: Vec<PerformanceRecord> = Vec::new();
    let mut all_tickets: Vec<Ticket> = Vec::new();
    let mut rows: Vec<ProgrammeEntry> = Vec::new();
    let mut next_ticket = 1;
    for s in shows {
        let mut r = performance(s.id, s.title, s.start);
        r.capacity = s.capacity;
        records.push(r);
        all_tickets.extend(tickets(
            s.id,
            next_ticket,
            s.paid.0,
            s.paid.1,
            "5.5",
            PriceKind::Full,
        ));
        next_ticket += s.paid.0;
        all_tickets.extend(tickets(
            s.id,
            next_ticket,
            s.free,
            "0.00",
            "5.5",
            PriceKind::Free,
        ));
        next_ticket += s.free;
        let mut p = programme(None, s.title, s.start, s.discipline);
        p.capacity = s.capacity;
        (s.edit)(&mut p);
        rows.push(p);
    }
    let facts = build_month_facts(FactsInput {
        organisation: &org,
        month,
        records: &records,
        tickets: &all_tickets,
        programme: &rows,
    });
    MonthData {
        facts,
        employment,
        declared,
    }
}

pub(crate) fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn money(s: &str) -> Money {
    Money::parse(s).unwrap()
}

pub(crate) fn october() -> MonthData {
    month_data(
        m(2025, 10),
        &[
            Show {
                id: "P1",
                title: "Les Vagues",
                start: "2025-10-10 20:30",
                discipline: Discipline::Theatre,
                capacity: Some(400),
                paid: (10, "20.00"),
                free: 2,
                edit: |p| {
                    p.creation = true;
                    p.director_sex = Some(Sex::Female);
                    p.artists_total = Some(4);
                    p.artists_women = Some(3);
                },
            },
            Show {
                id: "P2",
                title: "Les Vagues",
                start: "2025-10-11 20:30",
                discipline: Discipline::Theatre,
                capacity: Some(400),
                paid: (5, "20.00"),
                free: 0,
                edit: |p| p.creation = true,
            },
            Show {
                id: "P3",
                title: "Concert Nuit",
                start: "2025-10-20 21:00",
                discipline: Discipline::MusiquesActuelles,
                capacity: Some(200),
                paid: (8, "15.00"),
                free: 0,
                edit: |p| {
                    p.off_site = true;
                    p.director_sex = Some(Sex::Male);
                    p.artists_total = Some(5);
                    p.artists_women = Some(1);
                },
            },
        ],
        Some(vec![EmploymentFacts {
            show_title: "Les Vagues".into(),
            numero_objet: Some("OBJ-1".into()),
            artists: 4,
            technicians: 2,
            women: 3,
            men: 3,
            hours: dec!(120),
            cachets: dec!(8),
            gross_pay: money("4000.00"),
            conges_spectacles: None,
            estimated: false,
        }]),
        DeclaredAmounts {
            cnm_tax: Some(money("4.20")),
            astp_tax: Some(money("10.00")),
            sacem_estimate: None,
            sacd_estimate: Some(money("50.00")),
        },
    )
}

pub(crate) fn november() -> MonthData {
    month_data(
        m(2025, 11),
        &[
            Show {
                id: "P4",
                title: "Petit Loup",
                start: "2025-11-05 10:00",
                discipline: Discipline::Marionnettes,
                capacity: None,
                paid: (6, "8.00"),
                free: 4,
                edit: |p| p.audience = Audience::JeunePublic,
            },
            Show {
                id: "P5",
                title: "Petit Loup",
                start: "2025-11-06 14:00",
                discipline: Discipline::Marionnettes,
                capacity: Some(100),
                paid: (0, "8.00"),
                free: 30,
                edit: |p| p.audience = Audience::Scolaire,
            },
            Show {
                id: "P6",
                title: "Annulé",
                start: "2025-11-20 20:30",
                discipline: Discipline::Theatre,
                capacity: Some(300),
                paid: (0, "10.00"),
                free: 0,
                edit: |p| p.cancelled = true,
            },
        ],
        Some(vec![EmploymentFacts {
            show_title: "Petit Loup".into(),
            numero_objet: None,
            artists: 2,
            technicians: 1,
            women: 2,
            men: 1,
            hours: dec!(30.5),
            cachets: dec!(3),
            gross_pay: money("1200.50"),
            conges_spectacles: None,
            estimated: true,
        }]),
        DeclaredAmounts {
            astp_tax: Some(money("1.59")),
            ..DeclaredAmounts::default()
        },
    )
}

pub(crate) fn previous_december() -> MonthData {
    month_data(
        m(2024, 12),
        &[Show {
            id: "P0",
            title: "Ancien",
            start: "2024-12-12 20:30",
            discipline: Discipline::Theatre,
            capacity: Some(100),
            paid: (20, "10.00"),
            free: 0,
            edit: no_edit,
        }],
        None,
        DeclaredAmounts::default(),
    )
}

/// Both seasons' months.
pub(crate) fn all_months() -> Vec<MonthData> {
    vec![previous_december(), october(), november()]
}

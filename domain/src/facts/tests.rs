//! Hand-computed expectations for the monthly facts.

use super::*;
use crate::model::{PriceKind, TicketStatus};
use crate::testing::*;

fn month(s: &str) -> Month {
    s.parse().unwrap()
}

#[test]
fn worked_example_of_domain_md_mixed_rates() {
    // 120 tickets at 18.00 (5.5 %), 30 at 30.00 (20 %), 10 invitations.
    let org = organisation(true);
    let records = vec![performance("P1", "Les Vagues", "2025-11-14 20:30")];
    let mut t = tickets("P1", 0, 120, "18.00", "5.5", PriceKind::Full);
    t.extend(tickets("P1", 200, 30, "30.00", "20", PriceKind::Reduced));
    t.extend(tickets("P1", 300, 10, "0", "0", PriceKind::Free));
    let prog = vec![programme(
        Some("P1"),
        "Les Vagues",
        "2025-11-14 20:30",
        Discipline::Theatre,
    )];
    let f = build_month_facts(FactsInput {
        organisation: &org,
        month: month("2025-11"),
        records: &records,
        tickets: &t,
        programme: &prog,
    });
    assert_eq!(f.performances.len(), 1);
    let p = &f.performances[0];
    assert_eq!((p.paid_tickets, p.free_tickets), (150, 10));
    assert_eq!(p.receipts_incl_vat.to_string(), "3060.00");
    assert_eq!(p.vat[0].receipts_excl_vat.to_string(), "2047.39");
    assert_eq!(p.vat[1].receipts_excl_vat.to_string(), "750.00");
    assert_eq!(p.receipts_excl_vat.to_string(), "2797.39");
    assert_eq!(p.vat_amount().to_string(), "262.61");
    assert_eq!(p.full_price_tickets, 120);
    assert_eq!(p.full_price_receipts_incl_vat.to_string(), "2160.00");
    assert_eq!(p.reduced_tickets, 30);
    assert_eq!(p.discipline, Some(Discipline::Theatre));
    assert_eq!(p.capacity, Some(400));
    assert!(f.issues.is_empty(), "{:?}", f.issues);
}

#[test]
fn month_boundary_is_the_paris_calendar() {
    let org = organisation(true);
    let records = vec![
        performance("LATE", "Nuit", "2025-11-30 23:30"),
        performance("EARLY", "Nuit", "2025-12-01 00:30"),
    ];
    let mut t = tickets("LATE", 0, 2, "10", "5.5", PriceKind::Full);
    t.extend(tickets("EARLY", 10, 3, "10", "5.5", PriceKind::Full));
    let prog = vec![
        programme(Some("LATE"), "Nuit", "2025-11-30 23:30", Discipline::Jazz),
        programme(Some("EARLY"), "Nuit", "2025-12-01 00:30", Discipline::Jazz),
    ];
    let build = |m: &str| {
        build_month_facts(FactsInput {
            organisation: &org,
            month: month(m),
            records: &records,
            tickets: &t,
            programme: &prog,
        })
    };
    let nov = build("2025-11");
    assert_eq!(nov.performances.len(), 1);
    assert_eq!(nov.performances[0].performance_id, "tickets_csv:LATE");
    assert_eq!(nov.performances[0].date.to_string(), "2025-11-30");
    assert_eq!(nov.performances[0].paid_tickets, 2);
    let dec = build("2025-12");
    assert_eq!(dec.performances.len(), 1);
    assert_eq!(dec.performances[0].paid_tickets, 3);
}

#[test]
fn refunded_and_cancelled_tickets_never_count() {
    let org = organisation(false);
    let records = vec![performance("P1", "Solo", "2025-11-10 20:00")];
    let mut t = tickets("P1", 0, 4, "12,50", "5.5", PriceKind::Full);
    t[0].status = TicketStatus::Refunded;
    t[1].status = TicketStatus::Cancelled;
    let prog = vec![programme(
        None,
        "SOLO",
        "2025-11-10 20:10",
        Discipline::Humour,
    )];
    let f = build_month_facts(FactsInput {
        organisation: &org,
        month: month("2025-11"),
        records: &records,
        tickets: &t,
        programme: &prog,
    });
    let p = &f.performances[0];
    assert_eq!(p.paid_tickets, 2);
    assert_eq!(p.void_tickets, 2);
    assert_eq!(p.receipts_incl_vat.to_string(), "25.00");
    // 25.00 / 1.055 = 23.6966… → 23.70
    assert_eq!(p.receipts_excl_vat.to_string(), "23.70");
    // Linked by title (case-insensitive) within 15 minutes.
    assert_eq!(p.discipline, Some(Discipline::Humour));
}

#[test]
fn unlinked_and_ambiguous_programme_rows_are_reported_not_guessed() {
    let org = organisation(true);
    let records = vec![
        performance("A", "Double", "2025-11-20 20:00"),
        performance("B", "Double", "2025-11-20 20:10"),
    ];
    let prog = vec![
        programme(None, "Double", "2025-11-20 20:05", Discipline::Theatre),
        programme(
            None,
            "Fête du parc",
            "2025-11-22 15:00",
            Discipline::MusiquesActuelles,
        ),
        programme(None, "Typo", "2025-11-23 15:00", Discipline::Theatre),
    ];
    let mut prog = prog;
    prog[1].free_admission = true;
    let f = build_month_facts(FactsInput {
        organisation: &org,
        month: month("2025-11"),
        records: &records,
        tickets: &[],
        programme: &prog,
    });
    let codes: Vec<&str> = f.issues.iter().map(|i| i.code.as_str()).collect();
    assert!(codes.contains(&"programme.ambiguous"));
    assert_eq!(
        codes.iter().filter(|c| **c == "programme.unlinked").count(),
        1,
        "only the typo row"
    );
    // Both ticketed performances stay without discipline; the two programme-only rows are
    // performances of their own.
    assert_eq!(f.performances.len(), 4);
    assert_eq!(
        codes.iter().filter(|c| **c == "discipline.missing").count(),
        2
    );
    let fete = f
        .performances
        .iter()
        .find(|p| p.show_title == "Fête du parc")
        .unwrap();
    assert_eq!(
        fete.performance_id,
        "programme_csv:fete-du-parc-20251122T1500"
    );
    assert!(fete.free_admission && !fete.ticketed);
}

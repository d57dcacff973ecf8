//! The report of a small month, built with the real declarations: text, totals, charts.

use super::*;
use crate::render::pdf::{layout, Op};
use crate::render::testing::pdf_text;
use crate::{BuildInput, Declaration};
use chrono::TimeZone;
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::testing::*;
use releve_domain::{Discipline, DisciplineTable, PriceKind, Rules};

fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap()
}

/// P1 « Les Vagues » (theatre → ASTP) 14/11: 120 × 18.00 at 5.5 % and 10 invitations:
///    incl. 2160.00, excl. round(2160 / 1.055) = 2047.39, ASTP round(2047.39 × 3.5 %) = 71.66.
/// P2 « Nuit Jazz » (jazz → CNM, SACEM) 21/11: 40 × 25.00 at 5.5 %:
///    incl. 1000.00, excl. round(1000 / 1.055) = 947.87, CNM round(947.87 × 3.5 %) = 33.18.
fn facts() -> MonthFacts {
    let org = organisation(false);
    let records = vec![
        performance("P1", "Les Vagues", "2025-11-14 20:30"),
        performance("P2", "Nuit Jazz", "2025-11-21 20:30"),
    ];
    // A play without music: theatre is a SACEM question unless the programme says.
    let mut play = programme(
        Some("P1"),
        "Les Vagues",
        "2025-11-14 20:30",
        Discipline::Theatre,
    );
    play.sacem = Some(false);
    let rows = vec![
        play,
        programme(
            Some("P2"),
            "Nuit Jazz",
            "2025-11-21 20:30",
            Discipline::Jazz,
        ),
    ];
    let mut t = tickets("P1", 0, 120, "18.00", "5.5", PriceKind::Full);
    t.extend(tickets("P1", 200, 10, "0", "0", PriceKind::Free));
    t.extend(tickets("P2", 300, 40, "25.00", "5.5", PriceKind::Full));
    build_month_facts(FactsInput {
        organisation: &org,
        month: "2025-11".parse().unwrap(),
        records: &records,
        tickets: &t,
        programme: &rows,
    })
}

fn drafts(facts: &MonthFacts) -> (Vec<Summary>, Vec<Issue>) {
    let input = BuildInput {
        facts,
        rules: Rules::default_rules(),
        disciplines: DisciplineTable::default_table(),
        generated_at: generated_at(),
    };
    let built: Vec<crate::Draft> = [
        &crate::cnm::Cnm as &dyn Declaration,
        &crate::astp::Astp,
        &crate::sacem::Sacem,
    ]
    .iter()
    .map(|d| d.build(&input).unwrap())
    .collect();
    let mut issues = facts.issues.clone();
    issues.extend(built.iter().flat_map(|d| d.issues.clone()));
    issues.push(
        Issue::blocking(
            "test.blocking",
            "Exemple bloquant : indiquez la discipline dans le programme.",
        )
        .for_performance("tickets_csv:P9")
        .for_body("sibil"),
    );
    (built.into_iter().map(|d| d.summary).collect(), issues)
}

#[test]
fn the_month_at_a_glance_in_french() {
    let facts = facts();
    let (summaries, issues) = drafts(&facts);
    let bytes = render_report_pdf(&facts, &summaries, &issues, generated_at()).unwrap();
    assert_eq!(
        bytes,
        render_report_pdf(&facts, &summaries, &issues, generated_at()).unwrap()
    );
    let text = pdf_text(&bytes);
    for expected in [
        "Relevé du mois — novembre 2025",
        "Représentations 2",
        // 120 + 40 paid, 10 free; 2160.00 + 1000.00; 2047.39 + 947.87.
        "Entrées payantes 160",
        "Entrées gratuites 10",
        "Recettes TTC 3 160,00 €",
        "Recettes HT 2 995,26 €",
        "Points à traiter 1 bloquant, 1 avertissement",
        "Centre national de la musique (CNM)",
        "28/02/2026",
        "brouillon",
        "33,18 €",
        "71,66 €",
        "calculé par l'organisme",
        // 33.18 + 71.66 = 104.84.
        "104,84 €",
        "SACEM, délégation régionale",
        "31/12/2025",
        "Ce qui demande une personne",
        // The message names the performance; its internal id is not a column for people.
        "bloquant SIBIL Exemple bloquant",
        "Fréquentation par représentation",
        "14/11 20:30 Les Vagues",
        "120 + 10",
        "Recettes TTC par représentation",
        "2 160,00 €",
    ] {
        assert!(text.contains(expected), "missing « {expected} » in {text}");
    }
}

fn fills(grey: f32, form: &Form) -> Vec<f32> {
    layout(form)
        .iter()
        .flat_map(|p| p.ops.iter())
        .filter_map(|op| match op {
            Op::Fill { w, grey: g, h, .. } if *g == grey && *h < 4.0 => Some(*w),
            _ => None,
        })
        .collect()
}

#[test]
fn bars_are_proportional_to_the_figures() {
    let facts = facts();
    let form = report_form(&facts, &[], &[], &Default::default(), generated_at());
    // Legend swatch first (2.8 mm), then P1 paid 120, P2 paid 40: 120 / 40 = 3.
    let paid = fills(PAID_GREY, &form);
    assert_eq!(paid.len(), 3);
    assert!((paid[1] / paid[2] - 3.0).abs() < 1e-3, "{paid:?}");
    // P1 free 10 against paid 120: 12 times shorter; P2 has no free bar.
    let free = fills(FREE_GREY, &form);
    assert_eq!(free.len(), 2);
    assert!((paid[1] / free[1] - 12.0).abs() < 1e-3, "{free:?}");
    // Receipts 2160.00 against 1000.00.
    let receipts = fills(RECEIPTS_GREY, &form);
    assert!(
        (receipts[1] / receipts[2] - 2.16).abs() < 1e-3,
        "{receipts:?}"
    );
}

#[test]
fn an_empty_month_says_so() {
    let mut facts = facts();
    facts.performances.clear();
    facts.issues.clear();
    let text = pdf_text(&render_report_pdf(&facts, &[], &[], generated_at()).unwrap());
    assert!(
        text.contains("Aucune déclaration préparée ce mois-ci."),
        "{text}"
    );
    assert!(text.contains("Rien à traiter"), "{text}");
    assert!(text.contains("Aucune représentation ce mois-ci."), "{text}");
}

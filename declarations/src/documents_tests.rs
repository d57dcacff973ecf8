//! Every document a person signs, checked as a whole: each body's PDF (and the monthly report's)
//! is laid out without defects (nothing outside its box or over its neighbour, no word cut, no
//! page holding only a signature; `render::pdf::check`) and its extracted text is a reviewed
//! golden file (`testdata/pdf/<body>.txt`, rewritten only with `UPDATE_GOLDEN=1`).
//!
//! The month is built to stress the layout: a long commune with hyphens, long titles and venue
//! names, two SACEM shows (one état per page), a cancelled and a free performance.

use crate::render::pdf::check::check;
use crate::render::pdf::rendered;
use crate::render::testing::{assert_golden, pdf_text};
use crate::{registry, BuildInput, Declaration};
use chrono::{TimeZone, Utc};
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::testing::*;
use releve_domain::{Discipline, DisciplineTable, MonthFacts, PriceKind, Producer, Rules};

fn month() -> MonthFacts {
    let mut org = organisation(true);
    org.city = Some("Lanvière-sur-Loire".into());
    org.postal_code = Some("49000".into());
    org.sacd_declarant_id = Some("654321".into());
    org.sacem_client_id = Some("123456".into());
    let long_venue = |mut v: releve_domain::Venue| {
        v.name = "Salle des fêtes municipale Jean-Baptiste-Poquelin".into();
        v.city = Some("Lanvière-sur-Loire".into());
        v.postal_code = Some("49000".into());
        v
    };
    let mut records = vec![
        performance("P1", "Les Vagues", "2025-11-14 20:30"),
        performance("P2", "Nuit Jazz au bord de l'eau", "2025-11-21 21:00"),
        performance(
            "P3",
            "Chansons pour une soirée d'automne interminable",
            "2025-11-22 20:00",
        ),
        performance("P4", "Rire", "2025-11-28 21:00"),
    ];
    for r in &mut records {
        r.venue = long_venue(r.venue.clone());
    }
    let mut rows = vec![
        programme(
            Some("P1"),
            "Les Vagues",
            "2025-11-14 20:30",
            Discipline::Theatre,
        ),
        programme(
            Some("P2"),
            "Nuit Jazz au bord de l'eau",
            "2025-11-21 21:00",
            Discipline::Jazz,
        ),
        programme(
            Some("P3"),
            "Chansons pour une soirée d'automne interminable",
            "2025-11-22 20:00",
            Discipline::ChansonVariete,
        ),
        programme(Some("P4"), "Rire", "2025-11-28 21:00", Discipline::Theatre),
    ];
    rows[0].producer = Some(Producer {
        name: "Compagnie des Vents-Contraires".into(),
        siret: Some("73282932000074".into()),
        subsidised: Some(false),
    });
    rows[3].cancelled = true;
    for (i, r) in rows.iter_mut().enumerate() {
        r.venue = long_venue(r.venue.clone());
        r.line = 2 + i as u64;
    }
    let mut sold = tickets("P1", 0, 120, "18.00", "5.5", PriceKind::Full);
    sold.extend(tickets("P1", 200, 30, "30.00", "20", PriceKind::Reduced));
    sold.extend(tickets("P1", 400, 10, "0", "0", PriceKind::Free));
    sold.extend(tickets("P2", 1000, 80, "15.00", "5.5", PriceKind::Full));
    sold.extend(tickets("P3", 2000, 1250, "22.00", "5.5", PriceKind::Full));
    build_month_facts(FactsInput {
        organisation: &org,
        month: "2025-11".parse().unwrap(),
        records: &records,
        tickets: &sold,
        programme: &rows,
    })
}

#[test]
fn every_document_is_laid_out_cleanly_and_reads_as_reviewed() {
    let facts = month();
    let input = BuildInput {
        facts: &facts,
        rules: Rules::default_rules(),
        disciplines: DisciplineTable::default_table(),
        generated_at: Utc.with_ymd_and_hms(2025, 12, 5, 8, 0, 0).unwrap(),
    };
    rendered::take();
    let mut summaries = Vec::new();
    let mut issues = facts.issues.clone();
    for declaration in registry() {
        let draft = declaration.build(&input).unwrap();
        let code = draft.body.code();
        for form in rendered::take() {
            let defects = check(&form);
            assert!(defects.is_empty(), "{code}.pdf: {defects:#?}");
        }
        if let Some(pdf) = draft.files.iter().find(|f| f.name == format!("{code}.pdf")) {
            let text = pdf_text(&pdf.bytes);
            assert!(
                !text.contains("tickets_csv:"),
                "{code}.pdf shows an internal id: {text}"
            );
            assert_golden(&format!("pdf/{code}.txt"), &lines(&text));
        }
        summaries.push(draft.summary);
        issues.extend(draft.issues);
    }
    let report =
        crate::report_pdf::render_report_pdf(&facts, &summaries, &issues, input.generated_at)
            .unwrap();
    for form in rendered::take() {
        let defects = check(&form);
        assert!(defects.is_empty(), "report.pdf: {defects:#?}");
    }
    assert_golden("pdf/report.txt", &lines(&pdf_text(&report)));
}

#[test]
fn each_sacem_etat_starts_on_its_own_page_with_its_signature() {
    let facts = month();
    let input = BuildInput {
        facts: &facts,
        rules: Rules::default_rules(),
        disciplines: DisciplineTable::default_table(),
        generated_at: Utc.with_ymd_and_hms(2025, 12, 5, 8, 0, 0).unwrap(),
    };
    rendered::take();
    crate::sacem::Sacem.build(&input).unwrap();
    let form = rendered::take().pop().expect("the SACEM form");
    let pages = crate::render::pdf::layout(&form);
    let starts: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.texts().iter().any(|t| t.starts_with("État n°")))
        .map(|(i, _)| i)
        .collect();
    assert!(starts.len() >= 2, "two états: {starts:?}");
    for (n, page) in starts.iter().enumerate() {
        // The état's signature is on the page before the next état starts (or the last page).
        let end = starts.get(n + 1).copied().unwrap_or(pages.len());
        let signed = pages[*page..end]
            .iter()
            .any(|p| p.texts().iter().any(|t| t.starts_with("Fait à")));
        assert!(
            signed,
            "état {} has its signature before the next one",
            n + 1
        );
        // No état starts below another one's content on the same page.
        let titles = pages[*page]
            .texts()
            .iter()
            .filter(|t| t.starts_with("État n°"))
            .count();
        assert_eq!(titles, 1, "one état per page");
    }
}

/// Golden text, one sentence-ish chunk per line so that diffs are readable.
fn lines(text: &str) -> String {
    let mut out = text.replace(" page ", "\npage ").replace(". ", ".\n");
    out.push('\n');
    out
}

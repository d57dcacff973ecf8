use super::*;
use crate::amendment::amendment;
use crate::render::pdf::stamp::with_stamp;
use crate::render::pdf::Form;
use crate::render::testing::pdf_text;
use chrono::TimeZone;
use serde_json::json;

/// CNM, one performance: v1 sent with 5 tickets at 23.50 (incl. 117.50; excl.
/// round(117.50 / 1.055) = 111.37; tax round(111.37 × 3.5 %) = round(3.89795) = 3.90), after a
/// late sale 6 tickets (incl. 141.00; excl. round(141 / 1.055) = 133.65; tax
/// round(4.67775) = 4.68). Difference: +1 ticket, +23.50, +22.28, tax +0.78.
fn models() -> (Value, Value) {
    let line = |paid: u64, incl: &str, excl: &str, tax: &str| {
        json!({ "performance_id": "tickets_csv:P-2025-11-14", "date": "2025-11-14",
                "show_title": "Les Vagues", "paid_tickets": paid, "free_tickets": 2,
                "receipts_incl_vat": incl, "receipts_excl_vat": excl, "tax_base": excl,
                "tax_due": tax })
    };
    (
        json!({ "month": "2025-11", "lines": [line(5, "117.50", "111.37", "3.90")] }),
        json!({ "month": "2025-11", "lines": [line(6, "141.00", "133.65", "4.68")] }),
    )
}

fn sent() -> BaseVersion {
    BaseVersion {
        number: 1,
        approved_by: Some("Jeanne Martin, administratrice".into()),
        approved_at: Some(Utc.with_ymd_and_hms(2025, 12, 2, 9, 0, 0).unwrap()),
        sent: Some(SentVersion {
            at: Utc.with_ymd_and_hms(2025, 12, 3, 10, 0, 0).unwrap(),
            channel: "portail".into(),
            receipt: "CNM-2025-118".into(),
        }),
    }
}

#[test]
fn a_rectificatif_says_what_to_declare_in_addition() {
    let (before, after) = models();
    let a = amendment(Body::Cnm, 1, &before, &after).unwrap();
    assert_eq!(tax_difference(&a), Some(Money::from_cents(78)));
    assert_eq!(
        sentence_fr(&a, &sent()),
        "rectificatif de la version 1 transmise : +0,78\u{a0}€ à déclarer en complément"
    );
    let mut not_sent = sent();
    not_sent.sent = None;
    assert_eq!(
        sentence_fr(&a, &not_sent),
        "remplace la version 1 (approuvée, jamais transmise) : +0,78\u{a0}€ à déclarer en complément"
    );
}

#[test]
fn the_document_shows_figures_sent_new_figures_and_differences() {
    let (before, after) = models();
    let a = amendment(Body::Cnm, 1, &before, &after).unwrap();
    let stamp = stamp(&a, &before, &after, &sent());
    let mut form = Form::new("Taxe sur les spectacles vivants — fraction variétés (CNM)");
    form.paragraph("Déclaration complète");
    let at = Utc.with_ymd_and_hms(2025, 12, 5, 8, 0, 0).unwrap();
    crate::render::pdf::check::assert_clean(&stamp.apply(&form));
    let text = pdf_text(&with_stamp(stamp, || form.render(at).unwrap()));
    for expected in [
        "RECTIFICATIF de la version 1 — Taxe sur les spectacles vivants",
        // 10:00 UTC is 11:00 in Paris in December.
        "transmise le 03/12/2025 à 11:00 (portail, reçu CNM-2025-118)",
        "Transmis (v1)",
        "« Les Vagues » du 14/11/2025",
        "Entrées payantes",
        "+1",
        "117,50 €",
        "141,00 €",
        "+23,50 €",
        "3,90 €",
        "4,68 €",
        "+0,78 €",
        "Taxe à déclarer en complément : +0,78 €.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    // No internal id is shown to people.
    assert!(!text.contains("tickets_csv:"), "{text}");
    // The declaration follows the comparison.
    assert!(text.find("+0,78 €").unwrap() < text.find("Déclaration complète").unwrap());
}

#[test]
fn a_replacement_before_sending_says_it_replaces() {
    let (before, after) = models();
    let a = amendment(Body::Cnm, 1, &before, &after).unwrap();
    let mut base = sent();
    base.sent = None;
    let s = stamp(&a, &before, &after, &base);
    assert_eq!(s.title_prefix, "Version 2 — remplace la version 1 — ");
    assert!(
        s.banner[0].contains("qui n'a pas été transmise : ne transmettez que la présente version")
    );
    assert!(
        s.banner[0].contains("approuvée par Jeanne Martin, administratrice le 02/12/2025 à 10:00")
    );
}

use super::*;
use chrono::TimeZone;

fn generated_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap()
}

use crate::testing::pdf_text as extract;

fn sample(rows: usize) -> Form {
    let mut form = Form::new("Taxe sur les spectacles vivants — fraction variétés (CNM)");
    form.subtitle("Mois de novembre 2025")
        .footer("Brouillon préparé par releve le 01/12/2025")
        .landscape();
    form.heading("Déclarant").fields([
        ("Nom", "Théâtre des Digues"),
        ("SIRET", "812 345 676 00009"),
        ("Adresse", "2 quai des Digues, 44000 Nantes"),
    ]);
    let mut table = Table::new(vec![
        Column::left("Date", 1.0),
        Column::left("Spectacle", 3.0),
        Column::right("Entrées payantes", 1.2),
        Column::right("Taxe", 1.5),
    ]);
    for i in 0..rows {
        table.row([
            "14/11/2025".to_string(),
            format!("Spectacle numéro {i} à l'affiche"),
            "150".to_string(),
            "97,91\u{a0}€".to_string(),
        ]);
    }
    table.totals(["Total", "", "150", "97,91\u{a0}€"]);
    form.heading("Représentations").table(table);
    form.note("Base légale : CIBS L452-14 et suivants.");
    form.signature(Signature {
        place: Some("Nantes".into()),
        ..Signature::default()
    });
    form
}

#[test]
fn wraps_at_spaces_and_cuts_long_words() {
    let lines = layout::wrap("Les Vagues de la mer d'Iroise en hiver", 25.0, 9.0, false);
    assert!(lines.len() > 1, "{lines:?}");
    for line in &lines {
        assert!(fonts::regular().width_mm(line, 9.0) <= 25.0, "{line}");
    }
    assert_eq!(lines.join(" "), "Les Vagues de la mer d'Iroise en hiver");
    let cut = layout::wrap("Anticonstitutionnellement", 10.0, 9.0, false);
    assert!(cut.len() > 1);
    assert_eq!(cut.concat(), "Anticonstitutionnellement");
    // A no-break space keeps an amount whole.
    assert_eq!(
        layout::wrap("1 234,50\u{a0}€", 100.0, 9.0, false),
        vec!["1 234,50\u{a0}€"]
    );
}

#[test]
fn long_tables_break_with_repeated_headers_and_page_numbers() {
    let pages = layout(&sample(60));
    assert!(
        pages.len() >= 2,
        "60 rows need more than one landscape page"
    );
    let n = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let texts = page.texts();
        assert!(texts.contains(&format!("page {}/{}", i + 1, n).as_str()));
        assert!(texts.contains(&"Brouillon préparé par releve le 01/12/2025"));
        // Every page with rows starts its table with the column headers.
        if texts.iter().any(|t| t.starts_with("Spectacle numéro")) {
            assert!(texts.contains(&"Spectacle"), "page {} lacks headers", i + 1);
        }
    }
    // Every row is drawn once, nothing below the bottom margin.
    let rows: usize = pages
        .iter()
        .map(|p| {
            p.texts()
                .iter()
                .filter(|t| t.starts_with("Spectacle numéro"))
                .count()
        })
        .sum();
    assert_eq!(rows, 60);
    for page in &pages {
        for op in &page.ops {
            if let Op::Text { y, text, .. } = op {
                assert!(*y <= layout::A4_SHORT - 10.0 + 0.01, "{text} at {y}");
            }
        }
    }
    // The signature block comes last, in one piece.
    let last = pages.last().unwrap().texts();
    assert!(last.iter().any(|t| t.starts_with("Fait à Nantes")));
    assert!(last.contains(&"Signature :"));
}

#[test]
fn amounts_are_right_aligned() {
    let pages = layout(&sample(2));
    let xs: Vec<(f32, f32)> = pages[0]
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Text {
                x,
                size,
                bold,
                text,
                ..
            } if text.contains('€') => {
                Some((*x, *x + fonts::metrics(*bold).width_mm(text, *size)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(xs.len(), 3, "two rows and the totals");
    // Same right edge (bold totals included), within a rounding hair.
    for (_, right) in &xs {
        assert!((right - xs[0].1).abs() < 0.01);
    }
}

#[test]
fn empty_tables_say_so() {
    let mut form = Form::new("Titre");
    let mut table = Table::new(vec![Column::left("A", 1.0), Column::right("B", 1.0)]);
    table.empty_text("Aucune représentation taxable ce mois-ci");
    form.table(table);
    let texts: Vec<String> = layout(&form)[0]
        .texts()
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert!(texts.contains(&"Aucune représentation taxable ce mois-ci".to_string()));
}

#[test]
fn pdf_text_is_extractable_with_accents() {
    let bytes = sample(3).render(generated_at()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = extract(&bytes);
    for expected in [
        "Taxe sur les spectacles vivants — fraction variétés (CNM)",
        "Mois de novembre 2025",
        "Déclarant",
        "Théâtre des Digues",
        "812 345 676 00009",
        "Entrées payantes",
        "Spectacle numéro 2 à l'affiche",
        "97,91 €",
        "Total",
        "Fait à Nantes",
        "Nom et qualité du signataire",
        "Signature :",
        "page 1/1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn same_form_same_bytes() {
    let form = sample(40);
    let a = form.render(generated_at()).unwrap();
    let b = form.render(generated_at()).unwrap();
    assert!(a == b, "two renders differ");
    // The generation time is in the document's dates.
    let text = String::from_utf8_lossy(&a);
    assert!(text.contains("D:20251201080000+00'00'"));
    // The metadata title is UTF-16BE with its byte-order mark: "Taxe" = 0054 0061 0078 0065,
    // "é" = 00E9, "—" = 2014.
    assert!(text.contains("/Title<FEFF0054006100780065"));
    assert!(text.contains("00E9"));
    assert!(text.contains("2014"));
    // Another generation time gives another file (dates and id change).
    let c = form
        .render(Utc.with_ymd_and_hms(2025, 12, 2, 8, 0, 0).unwrap())
        .unwrap();
    assert!(a != c);
}

#[test]
#[ignore = "writes /tmp/releve-sample.pdf for a visual check"]
fn write_sample() {
    let bytes = sample(45).render(generated_at()).unwrap();
    std::fs::write("/tmp/releve-sample.pdf", &bytes).unwrap();
    println!("{}", extract(&bytes));
}

#[test]
fn nothing_is_drawn_outside_the_margins() {
    let mut form = sample(5);
    form.paragraph("Un paragraphe très long ".repeat(40));
    let mut narrow = Table::new(vec![
        Column::left("Étroite", 0.3),
        Column::right("Large", 5.0),
    ]);
    narrow.row(["Anticonstitutionnellement", "1 234,50\u{a0}€"]);
    form.table(narrow);
    for page in layout(&form) {
        for op in &page.ops {
            if let Op::Text {
                x,
                size,
                bold,
                text,
                ..
            } = op
            {
                let right = x + fonts::metrics(*bold).width_mm(text, *size);
                assert!(*x >= 15.0 - 0.01, "{text} starts at {x}");
                assert!(
                    right <= layout::A4_LONG - 15.0 + 0.01,
                    "{text} ends at {right}"
                );
            }
        }
    }
}

//! Outputs: golden JSON and CSV (compared as text; `UPDATE_GOLDEN=1` rewrites them), the HTML
//! report's charts, the PDF's text, the workbook's sheets, and byte-identical re-runs.

use super::fixture::{all_months, m};
use crate::catalogue::Family;
use crate::period::Period;
use crate::{month_outputs, season_outputs, OutputFile};
use chrono::{DateTime, Utc};
use releve_domain::testing::organisation;
use std::path::PathBuf;

fn generated_at() -> DateTime<Utc> {
    "2026-09-01T08:00:00Z".parse().unwrap()
}

fn season_files() -> Vec<OutputFile> {
    season_outputs(
        &organisation(true),
        Period::parse_season("2025-2026", 9).unwrap(),
        &all_months(),
        generated_at(),
    )
    .unwrap()
}

fn file<'a>(files: &'a [OutputFile], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// Compares `actual` with `testdata/<name>`, or rewrites it when `UPDATE_GOLDEN=1`.
fn golden(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    let actual = std::str::from_utf8(actual).unwrap();
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with UPDATE_GOLDEN=1", path.display()));
    assert_eq!(actual, expected, "{name} differs from the golden file");
}

#[test]
fn season_json_and_csv_match_golden_files() {
    let files = season_files();
    golden("season-2025-2026.json", file(&files, "indicators.json"));
    golden("season-2025-2026.csv", file(&files, "indicators.csv"));
    let json: serde_json::Value = serde_json::from_slice(file(&files, "indicators.json")).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["organisation"], "theatre-des-digues");
    assert_eq!(json["season"], "2025-2026");
    assert_eq!(json["period"]["first_month"], "2025-09");
    assert_eq!(json["previous_period"]["id"], "2024-2025");
    let share = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "creation.seats_share")
        .unwrap();
    assert_eq!(share["value"], "72.7");
    assert_eq!(share["previous_value"], "0.0");
}

#[test]
fn month_json_and_csv_match_golden_files() {
    let files = month_outputs(
        &organisation(true),
        m(2025, 11),
        &all_months(),
        generated_at(),
    )
    .unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["indicators.json", "indicators.csv"]);
    golden("month-2025-11.json", file(&files, "indicators.json"));
    golden("month-2025-11.csv", file(&files, "indicators.csv"));
    let json: serde_json::Value = serde_json::from_slice(file(&files, "indicators.json")).unwrap();
    assert_eq!(json["month"], "2025-11");
    let csv = std::str::from_utf8(file(&files, "indicators.csv")).unwrap();
    assert!(csv.starts_with("id,label,unit,value,previous,note\n"));
    // November: fill rate over P5 only (30 / 100); P4 has no capacity.
    assert!(csv.contains(
        "attendance.fill_rate,Taux de remplissage,percent,30.0,2.5,1 représentation sans jauge connue exclue\n"
    ));
    // No SACEM statement: said, not zero.
    assert!(csv
        .contains("taxes_rights.sacem,Droits SACEM estimés,euros,non applicable,non applicable,"));
}

#[test]
fn season_outputs_are_byte_identical_on_a_rerun() {
    let a = season_files();
    let b = season_files();
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "indicators.json",
            "indicators.csv",
            "indicators.xlsx",
            "indicators.html",
            "indicators.pdf"
        ]
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        let first_difference = x.iter().zip(y.iter()).position(|(a, b)| a != b);
        assert!(
            x == y,
            "{name} differs between two runs (first difference at byte {first_difference:?})"
        );
    }
}

#[test]
fn html_report_has_the_three_svg_charts_and_the_figures() {
    let files = season_files();
    let html = std::str::from_utf8(file(&files, "indicators.html")).unwrap();
    for id in ["chart-attendance", "chart-receipts", "chart-disciplines"] {
        assert!(
            html.contains(&format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\""
            )),
            "{id} missing"
        );
    }
    // Twelve month rows in each monthly chart, three disciplines (each row label carries its
    // full text as a tooltip); a month with nothing has no bar.
    assert_eq!(html.matches("\"><title>").count(), 12 + 12 + 3);
    assert!(html.matches("<rect").count() <= 12 + 12 + 3);
    assert!(html.contains(">oct. 25<"));
    assert!(html.contains("72,7\u{a0}%"));
    assert!(html.contains("468,00\u{a0}€"));
    assert!(html.contains("non applicable (aucune source de paie)"));
    assert!(html.contains("<h2>Parité</h2>"));
    // Autoescape is on for data; the charts are raw SVG.
    assert!(!html.contains("&lt;svg"));
}

#[test]
fn pdf_text_shows_the_key_figures() {
    let files = season_files();
    let pdf = file(&files, "indicators.pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
    let flat: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    for expected in [
        "Indicateurs d'activité",
        "Théâtre des Digues",
        "Saison 2025-2026 (comparée à la saison 2024-2025)",
        "Entrées par mois",
        "Part des places mises en vente pour les créations (P131)",
        "72,7",
        "468,00",
        "16,14",
        "55,6",
        "non applicable",
    ] {
        assert!(
            flat.contains(expected),
            "PDF text lacks {expected:?}:\n{flat}"
        );
    }
}

#[test]
fn pdf_is_laid_out_without_defects() {
    // Nothing outside the margins or over its neighbour, no word cut mid-word.
    let report = crate::Report::build(
        &organisation(true),
        Period::parse_season("2025-2026", 9).unwrap(),
        &all_months(),
        generated_at(),
    );
    let defects = releve_documents::pdf::check::check(&crate::output::pdf::form(&report));
    assert!(defects.is_empty(), "{defects:#?}");
    // For a look at the pages: RELEVE_WRITE_PDF=/tmp/indicators.pdf cargo test -p releve-indicators
    if let Ok(path) = std::env::var("RELEVE_WRITE_PDF") {
        std::fs::write(path, crate::output::pdf::render(&report).unwrap()).unwrap();
    }
}

#[test]
fn pdf_says_each_note_once_and_cuts_nothing() {
    let files = season_files();
    let text = pdf_extract::extract_text_from_mem(file(&files, "indicators.pdf")).unwrap();
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Every employment figure is "non applicable" for the same reason: said once.
    assert_eq!(
        flat.matches("non applicable : aucune source de paie")
            .count(),
        1,
        "{flat}"
    );
    // Labels and notes wrap instead of being cut with an ellipsis.
    assert!(!flat.contains('…'), "{flat}");
    // The metadata title keeps its accents (UTF-16BE: "Indicateurs d'activit" then é = 00E9).
    let raw = String::from_utf8_lossy(file(&files, "indicators.pdf"));
    assert!(
        raw.contains("/Title<FEFF0049006E0064"),
        "title not in UTF-16"
    );
    assert!(raw.contains("00E9"));
}

/// A workbook cell as `indicators.json` says it: the figure's text, or null when "non
/// applicable".
fn cell_as_json(cell: Option<&calamine::Data>) -> serde_json::Value {
    match cell {
        Some(calamine::Data::Float(f)) => serde_json::Value::from(*f),
        Some(calamine::Data::Int(i)) => serde_json::Value::from(*i as f64),
        Some(calamine::Data::String(s)) if s == "non applicable" => serde_json::Value::Null,
        other => panic!("unexpected cell {other:?}"),
    }
}

/// A JSON figure (a count, or a decimal string) as a float, null kept.
fn json_as_float(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Null => serde_json::Value::Null,
        serde_json::Value::Number(n) => serde_json::Value::from(n.as_f64().unwrap()),
        serde_json::Value::String(s) => serde_json::Value::from(s.parse::<f64>().unwrap()),
        other => panic!("unexpected JSON figure {other}"),
    }
}

#[test]
fn workbook_read_back_has_one_sheet_per_family_and_the_figures_of_the_json() {
    use calamine::Reader;
    let files = season_files();
    let bytes = file(&files, "indicators.xlsx").to_vec();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let names: Vec<String> = Family::ALL
        .iter()
        .map(|f| f.label_fr().to_string())
        .collect();
    assert_eq!(book.sheet_names(), names);
    let json: serde_json::Value = serde_json::from_slice(file(&files, "indicators.json")).unwrap();
    let mut checked = 0;
    for family in Family::ALL {
        let sheet = book.worksheet_range(family.label_fr()).unwrap();
        let rows: Vec<&[calamine::Data]> = sheet.rows().collect();
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(
            header,
            [
                "Indicateur",
                "Libellé",
                "Unité",
                "saison 2025-2026",
                "saison 2024-2025",
                "Note"
            ]
        );
        let find = |id: &str| {
            rows.iter()
                .find(|r| r[0] == *id)
                .unwrap_or_else(|| panic!("{id} not in sheet {}", family.label_fr()))
        };
        for r in json["rows"].as_array().unwrap() {
            if r["family"] != family.code() {
                continue;
            }
            let id = r["id"].as_str().unwrap();
            let row = find(id);
            assert_eq!(cell_as_json(row.get(3)), json_as_float(&r["value"]), "{id}");
            assert_eq!(
                cell_as_json(row.get(4)),
                json_as_float(&r["previous_value"]),
                "{id}"
            );
            checked += 1;
            for b in r["breakdown"].as_array().into_iter().flatten() {
                let key = format!("{id}:{}", b["key"].as_str().unwrap());
                let row = find(&key);
                assert_eq!(
                    cell_as_json(row.get(3)),
                    json_as_float(&b["value"]),
                    "{key}"
                );
                checked += 1;
            }
        }
    }
    // The 33 indicators of the catalogue, and their breakdown entries.
    assert!(checked >= 33, "{checked}");
    // Figures the test fixture gives by hand: 72.7 % of the seats for creations, 5 200,50 € of
    // gross pay, and the SACEM estimate not applicable.
    let creation = book.worksheet_range("Création").unwrap();
    assert_eq!(
        creation.get_value((2, 3)),
        Some(&calamine::Data::Float(72.7))
    );
    // One chart per family, in the package.
    for n in 1..=Family::ALL.len() {
        let part = format!("xl/charts/chart{n}.xml");
        assert!(
            bytes.windows(part.len()).any(|w| w == part.as_bytes()),
            "{part} missing"
        );
    }
}

#[test]
fn catalogue_docs_match_golden_file() {
    // The table the lead copies into docs/indicators.md; reviewed as a diff when it changes.
    golden("catalogue.md", crate::docs().as_bytes());
}

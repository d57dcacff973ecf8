//! The season workbook: one sheet per family (`Représentations`, `Fréquentation`, …), columns
//! id, label, unit, value for the period, value for the previous period, note. Numbers are
//! numeric cells (amounts in euros, percents as shown, e.g. 62.5); "non applicable" is text.
//! Written as a minimal SpreadsheetML package (inline strings, one style sheet) zipped by
//! `zip.rs`, so the bytes are deterministic.

use super::zip;
use crate::catalogue::Family;
use crate::report::Report;
use crate::value::Value;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn column(i: usize) -> char {
    (b'A' + i as u8) as char
}

enum Cell {
    Text(String),
    Number(String),
}

fn value_cell(v: &Value) -> Cell {
    match v.machine_text() {
        Some(n) => Cell::Number(n),
        None => Cell::Text("non applicable".to_string()),
    }
}

fn row_xml(index: usize, cells: &[Cell], bold: bool) -> String {
    let style = if bold { " s=\"1\"" } else { "" };
    let mut xml = format!("<row r=\"{index}\">");
    for (i, c) in cells.iter().enumerate() {
        let r = format!("{}{}", column(i), index);
        match c {
            Cell::Text(t) => xml.push_str(&format!(
                "<c r=\"{r}\" t=\"inlineStr\"{style}><is><t xml:space=\"preserve\">{}</t></is></c>",
                escape(t)
            )),
            Cell::Number(n) => xml.push_str(&format!("<c r=\"{r}\"{style}><v>{n}</v></c>")),
        }
    }
    xml.push_str("</row>");
    xml
}

fn note(value: &Value, note: Option<&str>) -> String {
    let mut parts: Vec<String> = note.map(|n| vec![n.to_string()]).unwrap_or_default();
    if let Some(r) = value.reason() {
        parts.push(r.to_string());
    }
    parts.join(" ; ")
}

fn sheet_xml(report: &Report, family: Family) -> String {
    let t = |s: &str| Cell::Text(s.to_string());
    let mut rows = vec![row_xml(
        1,
        &[
            t("Indicateur"),
            t("Libellé"),
            t("Unité"),
            Cell::Text(report.period.to_french()),
            Cell::Text(report.previous.to_french()),
            t("Note"),
        ],
        true,
    )];
    for r in report.rows.iter().filter(|r| r.family == family) {
        let index = rows.len() + 1;
        rows.push(row_xml(
            index,
            &[
                t(r.id),
                t(r.label),
                t(r.unit.label_fr()),
                value_cell(&r.value),
                value_cell(&r.previous_value),
                Cell::Text(note(&r.value, r.note.as_deref())),
            ],
            false,
        ));
        for b in &r.breakdown {
            let index = rows.len() + 1;
            rows.push(row_xml(
                index,
                &[
                    Cell::Text(format!("{}:{}", r.id, b.key)),
                    Cell::Text(format!("    {}", b.label)),
                    t(r.unit.label_fr()),
                    value_cell(&b.value),
                    value_cell(&b.previous_value),
                    Cell::Text(note(&b.value, None)),
                ],
                false,
            ));
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
         <cols><col min=\"1\" max=\"1\" width=\"34\" customWidth=\"1\"/>\
         <col min=\"2\" max=\"2\" width=\"60\" customWidth=\"1\"/>\
         <col min=\"3\" max=\"3\" width=\"10\" customWidth=\"1\"/>\
         <col min=\"4\" max=\"5\" width=\"18\" customWidth=\"1\"/>\
         <col min=\"6\" max=\"6\" width=\"60\" customWidth=\"1\"/></cols>\
         <sheetData>{}</sheetData></worksheet>",
        rows.concat()
    )
}

const CONTENT_TYPES_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

/// The workbook bytes.
pub fn render(report: &Report) -> Vec<u8> {
    let mut content_types = String::from(CONTENT_TYPES_HEAD);
    let mut sheets = String::new();
    let mut rels = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, family) in Family::ALL.iter().enumerate() {
        let n = i + 1;
        content_types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        sheets.push_str(&format!(
            "<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>",
            escape(family.label_fr())
        ));
        rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
        entries.push((
            format!("xl/worksheets/sheet{n}.xml"),
            sheet_xml(report, *family).into_bytes(),
        ));
    }
    let styles_id = Family::ALL.len() + 1;
    rels.push_str(&format!(
        "<Relationship Id=\"rId{styles_id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"
    ));
    content_types.push_str("</Types>");
    let workbook = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <sheets>{sheets}</sheets></workbook>"
    );
    let mut all = vec![
        (
            "[Content_Types].xml".to_string(),
            content_types.into_bytes(),
        ),
        ("_rels/.rels".to_string(), ROOT_RELS.as_bytes().to_vec()),
        ("xl/workbook.xml".to_string(), workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels".to_string(), rels.into_bytes()),
        ("xl/styles.xml".to_string(), STYLES.as_bytes().to_vec()),
    ];
    all.extend(entries);
    zip::write(&all)
}

#[cfg(test)]
pub(crate) fn entries_for_tests(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    zip::read(bytes)
}

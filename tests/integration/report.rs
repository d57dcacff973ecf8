//! `report.html` as a person reads it: French numbers, French discipline labels, a totals row,
//! cancelled performances shown the same way in the chart and the table, chart labels that end
//! before the bars (full text in a tooltip).

use crate::month_run::november;

#[test]
fn the_report_reads_the_french_way() {
    let s = november();
    let r = s.run_month("2025-11");
    let html = String::from_utf8(r.bytes("2025-11", "report.html")).unwrap();
    // SIRET grouped 3-3-3-5.
    assert!(
        html.contains("SIRET 812\u{a0}345\u{a0}676\u{a0}00009")
            || html.contains("SIRET 812 345 676 00009"),
        "{html}"
    );
    // Disciplines by their French label, not their code.
    assert!(html.contains("<td>Théâtre</td>"), "{html}");
    assert!(!html.contains("<td>theatre</td>"), "{html}");
    // Five performances of November, one cancelled (Rire), said in the totals and the chart.
    assert!(html.contains("représentations (dont 1 annulée)"), "{html}");
    assert!(html.contains("(annulée)</title>"), "{html}");
    // Totals row: paid tickets 4 (P1) + 2 (P4) + 2 (P2) = 8; free 1 (P1);
    // receipts 84.00 + 24.00 + 30.00 = 138.00 incl. VAT.
    assert!(html.contains("<tr class=\"total\">"), "{html}");
    let total = html.split("<tr class=\"total\">").nth(1).unwrap();
    let total = total.split("</tr>").next().unwrap();
    assert!(total.contains(">8<") && total.contains(">1<"), "{total}");
    assert!(total.contains("138,00\u{a0}€"), "{total}");
    // Bodies whose amount the body computes say so instead of a bare dash.
    assert!(html.contains("calculé par l&#x27;organisme"), "{html}");
}

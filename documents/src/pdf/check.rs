//! Page-level checks of a laid-out form, for every document's tests: no text outside the page
//! margins, no text running over the next text of its line (a cell overflowing into its
//! neighbour, a chart label over its bar's value), no page holding only a signature block, no
//! word cut in the middle (the layout notes every piece it had to cut).

use super::fonts::metrics;
use super::layout::{layout_noting_cuts, page_size, Op, Page};
use super::Form;

const MARGIN: f32 = 15.0;
/// Tolerance for rounding, in millimetres.
const HAIR: f32 = 0.05;

/// One defect found on a page (1-based; 0 for the whole document), in English for test output.
#[derive(Clone, Debug, PartialEq)]
pub struct Defect {
    pub page: usize,
    pub what: String,
}

struct Placed<'a> {
    x: f32,
    right: f32,
    y: f32,
    size: f32,
    text: &'a str,
}

fn placed(page: &Page) -> Vec<Placed<'_>> {
    page.ops
        .iter()
        .filter_map(|op| match op {
            Op::Text {
                x,
                y,
                size,
                bold,
                text,
            } => Some(Placed {
                x: *x,
                right: x + metrics(*bold).width_mm(text, *size),
                y: *y,
                size: *size,
                text: text.as_str(),
            }),
            _ => None,
        })
        .collect()
}

/// Lays the form out and returns every defect found (empty when the document is clean).
pub fn check(form: &Form) -> Vec<Defect> {
    let (pages, cuts) = layout_noting_cuts(form);
    let (width, _) = page_size(form.orientation);
    let mut defects: Vec<Defect> = cuts
        .into_iter()
        .map(|piece| Defect {
            page: 0,
            what: format!("« {piece} » is wider than its column and was cut mid-word"),
        })
        .collect();
    for (n, page) in pages.iter().enumerate() {
        let number = n + 1;
        let texts = placed(page);
        for t in &texts {
            if t.x < MARGIN - HAIR || t.right > width - MARGIN + HAIR {
                defects.push(Defect {
                    page: number,
                    what: format!("« {} » runs outside the margins", t.text),
                });
            }
        }
        // Same baseline: each text must end before the next one starts.
        let mut by_line: Vec<&Placed> = texts.iter().collect();
        by_line.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        for pair in by_line.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if (a.y - b.y).abs() < HAIR && a.right > b.x + HAIR {
                defects.push(Defect {
                    page: number,
                    what: format!("« {} » runs over « {} »", a.text, b.text),
                });
            }
        }
        let body: Vec<&str> = texts
            .iter()
            .filter(|t| !t.text.starts_with("page ") && t.size > 7.0)
            .map(|t| t.text)
            .collect();
        if n > 0 && body.first().is_some_and(|t| t.starts_with("Fait à")) {
            defects.push(Defect {
                page: number,
                what: "the page starts with the signature block".into(),
            });
        }
    }
    defects
}

/// `check` as a test assertion, with every defect in the failure message.
pub fn assert_clean(form: &Form) {
    let defects = check(form);
    assert!(defects.is_empty(), "layout defects: {defects:#?}");
}

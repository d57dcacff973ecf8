//! What a new draft says about the approved version it follows (`formats.md` §5 "Versions"),
//! printed on its documents through a [`Stamp`] and in one sentence for the report:
//!
//! - the base version was **sent**: the draft is a *rectificatif* of it — its title says so and
//!   its first page shows, per line, the figures sent, the new figures and the difference, with
//!   the totals of the differences and, for CNM and ASTP, the tax to declare in addition (or to
//!   be credited);
//! - the base version was approved but **never sent**: the draft *replaces* it — only the new
//!   version is to be sent — and the same comparison says what changed.
//!
//! Pure: it reads the [`Amendment`] and the two models.

use crate::amendment::{Amendment, Change};
use crate::render::fr;
use crate::render::pdf::stamp::Stamp;
use crate::render::pdf::{Block, Column, Table};
use crate::Body;
use chrono::{DateTime, NaiveDate, Utc};
use releve_domain::Money;
use rust_decimal::Decimal;
use serde_json::Value;

/// The approved version a draft follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseVersion {
    pub number: u32,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// When and how it was sent; `None`: approved, never sent.
    pub sent: Option<SentVersion>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentVersion {
    pub at: DateTime<Utc>,
    pub channel: String,
    pub receipt: String,
}

/// The difference of tax owed (CNM, ASTP): the sum of the `tax_due` differences.
pub fn tax_difference(amendment: &Amendment) -> Option<Money> {
    if !matches!(amendment.body, Body::Cnm | Body::Astp) {
        return None;
    }
    let sum: Decimal = amendment
        .changes
        .iter()
        .filter(|c| c.field == "tax_due")
        .map(|c| c.delta.0)
        .sum();
    Some(Money::new(sum))
}

fn negative(m: Money) -> bool {
    m.amount() < Decimal::ZERO
}

/// `+0,83 €` / `-1,20 €` / `0,00 €`.
/// One sentence for the report and the summary: `rectificatif de la version 1 : +0,83 € à
/// déclarer en complément`, `remplace la version 1 (approuvée, non transmise)`.
pub fn sentence_fr(amendment: &Amendment, base: &BaseVersion) -> String {
    let lines = changed_keys(amendment).len();
    let what = match tax_difference(amendment) {
        Some(d) if d.is_positive() => format!("{} à déclarer en complément", fr::signed_money(d)),
        Some(d) if negative(d) => {
            format!(
                "{} : taxe à régulariser en votre faveur",
                fr::signed_money(d)
            )
        }
        _ => format!(
            "{lines} ligne{s} modifiée{s}",
            s = if lines > 1 { "s" } else { "" }
        ),
    };
    match base.sent {
        Some(_) => format!(
            "rectificatif de la version {} transmise : {what}",
            base.number
        ),
        None => format!(
            "remplace la version {} (approuvée, jamais transmise) : {what}",
            base.number
        ),
    }
}

/// The stamp of a draft that follows `base`: title, banner and the comparison table.
pub fn stamp(amendment: &Amendment, before: &Value, after: &Value, base: &BaseVersion) -> Stamp {
    let n = base.number;
    let (title_prefix, banner) = match &base.sent {
        Some(sent) => (
            format!("RECTIFICATIF de la version {n} — "),
            vec![
                format!(
                    "Déclaration rectificative de la version {n}, transmise le {} ({}{})",
                    fr::date_time(sent.at),
                    sent.channel,
                    if sent.receipt.is_empty() {
                        String::new()
                    } else {
                        format!(", reçu {}", sent.receipt)
                    }
                ),
                format!("Rectificatif : {}", sentence_fr(amendment, base)
                    .split_once(" : ")
                    .map_or(String::new(), |(_, w)| w.to_string())),
            ],
        ),
        None => (
            format!("Version {} — remplace la version {n} — ", n + 1),
            vec![format!(
                "Remplace la version {n}{}, qui n'a pas été transmise : ne transmettez que la présente version.",
                match (&base.approved_by, base.approved_at) {
                    (Some(by), Some(at)) => format!(" approuvée par {by} le {}", fr::date_time(at)),
                    _ => String::new(),
                }
            )],
        ),
    };
    let heading = match base.sent {
        Some(_) => format!(
            "Rectificatif : chiffres transmis (version {n}), nouveaux chiffres et différence"
        ),
        None => format!("Changements depuis la version {n}"),
    };
    let mut blocks = vec![
        Block::Heading(heading),
        Block::Table(table(amendment, before, after, n)),
    ];
    if let Some(d) = tax_difference(amendment) {
        blocks.push(Block::Paragraph(if d.is_positive() {
            format!("Taxe à déclarer en complément : {}.", fr::signed_money(d))
        } else if negative(d) {
            format!(
                "Taxe déclarée en trop, à régulariser : {}.",
                fr::signed_money(d)
            )
        } else {
            "La taxe due ne change pas.".to_string()
        }));
    }
    if base.sent.is_some() {
        blocks.push(Block::Note(amendment.note.clone()));
    }
    blocks.push(Block::Note(
        "La déclaration complète, avec les nouveaux chiffres, suit à partir de la page suivante."
            .into(),
    ));
    Stamp {
        title_prefix,
        banner,
        blocks,
        footer: None,
    }
}

/// The keys of the changed lines, in the amendment's order.
fn changed_keys(amendment: &Amendment) -> Vec<&str> {
    let mut keys: Vec<&str> = Vec::new();
    for c in &amendment.changes {
        if !keys.contains(&c.key.as_str()) {
            keys.push(&c.key);
        }
    }
    keys
}

fn table(amendment: &Amendment, before: &Value, after: &Value, n: u32) -> Table {
    let mut t = Table::new(vec![
        Column::left("Représentation", 3.2),
        Column::left("Donnée", 2.0),
        Column::right(format!("Transmis (v{n})"), 1.4),
        Column::right("Nouveau", 1.4),
        Column::right("Différence", 1.4),
    ]);
    t.empty_text("Aucun chiffre ne change.");
    for c in &amendment.changes {
        t.row([
            line_label(amendment.body, &c.key, after, before),
            field_label(&c.field).to_string(),
            figure(c, c.before.0),
            figure(c, c.after.0),
            signed(c, c.delta.0),
        ]);
    }
    // Totals of the differences, per field (counts and money), when several lines changed.
    if changed_keys(amendment).len() < 2 {
        return t;
    }
    let mut fields: Vec<&str> = Vec::new();
    for c in &amendment.changes {
        if !fields.contains(&c.field.as_str()) {
            fields.push(&c.field);
        }
    }
    for field in fields {
        let changes: Vec<&Change> = amendment
            .changes
            .iter()
            .filter(|c| c.field == field)
            .collect();
        let sum = |f: &dyn Fn(&Change) -> Decimal| changes.iter().map(|c| f(c)).sum::<Decimal>();
        let first = changes[0];
        t.row([
            "Total".to_string(),
            field_label(field).to_string(),
            figure(first, sum(&|c| c.before.0)),
            figure(first, sum(&|c| c.after.0)),
            signed(first, sum(&|c| c.delta.0)),
        ]);
    }
    t
}

/// Money for fields with cents, counts otherwise (as the model writes them).
fn is_money(c: &Change) -> bool {
    c.before.0.scale() > 0 || c.after.0.scale() > 0
}

fn figure(c: &Change, value: Decimal) -> String {
    if is_money(c) {
        Money::new(value).to_french()
    } else {
        fr::count(value.try_into().unwrap_or(0))
    }
}

fn signed(c: &Change, value: Decimal) -> String {
    let text = if is_money(c) {
        Money::new(value.abs()).to_french()
    } else {
        fr::count(value.abs().try_into().unwrap_or(0))
    };
    if value.is_sign_negative() && !value.is_zero() {
        format!("-{text}")
    } else if value.is_zero() {
        text
    } else {
        format!("+{text}")
    }
}

/// A line as people know it: the show and its date (the key only when the model has neither).
fn line_label(body: Body, key: &str, after: &Value, before: &Value) -> String {
    let lines_key = match body {
        Body::Sibil => "declarations",
        Body::Sacem => "shows",
        _ => "lines",
    };
    let key_field = match body {
        Body::Sibil => "idExtBilletterie",
        Body::Sacem => "show_id",
        _ => "performance_id",
    };
    let line = [after, before].into_iter().find_map(|m| {
        m.get(lines_key)?
            .as_array()?
            .iter()
            .find(|l| l.get(key_field).and_then(Value::as_str) == Some(key))
    });
    let Some(line) = line else {
        return key.to_string();
    };
    let text = |path: &[&str]| {
        path.iter()
            .try_fold(line, |v, p| v.get(*p))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let title = text(&["show_title"]).or_else(|| text(&["spectacleChamps", "critere1"]));
    let date = text(&["date"])
        .or_else(|| text(&["first_date"]))
        .or_else(|| text(&["dateHeureRepresentationUnique"]).map(|d| d.chars().take(10).collect()))
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .map(fr::date);
    match (title, date) {
        (Some(t), Some(d)) => format!("« {t} » du {d}"),
        (Some(t), None) => format!("« {t} »"),
        (None, Some(d)) => format!("représentation du {d}"),
        (None, None) => key.to_string(),
    }
}

/// The French name of a compared field.
fn field_label(field: &str) -> &str {
    match field {
        "paid_tickets" => "Entrées payantes",
        "free_tickets" | "exempted_tickets" => "Entrées exonérées",
        "receipts_incl_vat" => "Recette TTC",
        "receipts_excl_vat" => "Recette HT",
        "tax_base" => "Base HT",
        "tax_due" => "Taxe",
        "vat_amount" => "TVA",
        "performances" => "Représentations",
        "nbBilletsTotalBilletterie" => "Billets (total)",
        "nbBilletsExoneres" => "Billets exonérés",
        "nbBilletsTarifPlein" => "Billets plein tarif",
        "nbBilletsTarifAbonnementForfait" => "Billets abonnement ou forfait",
        "recetteTotalBilletterie" => "Recette totale",
        "recetteTarifPlein" => "Recette plein tarif",
        "receipts_total.excl_vat" => "Recettes HT",
        "receipts_total.vat" => "TVA des recettes",
        "receipts_total.incl_vat" => "Recettes TTC",
        "expenses_total.excl_vat" => "Dépenses HT",
        "expenses_total.incl_vat" => "Dépenses TTC",
        other => other,
    }
}

#[cfg(test)]
mod tests;

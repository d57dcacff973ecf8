//! From monthly facts to the CNM/ASTP model: which performances belong to the body, which owe
//! nothing and why, and the tax of each line.

use super::describe;
use super::model::{BaseKind, NotTaxable, Percent, TaxDeclaration, TaxLine, TaxTotals};
use crate::{Body, BuildInput, DeclarationError};
use chrono::NaiveDate;
use releve_domain::calendar::rfc3339_paris;
use releve_domain::{Discipline, Fraction, Issue, Money, Organisation, PerformanceFacts, Rules};
use rust_decimal::Decimal;

pub(crate) struct Built {
    pub model: TaxDeclaration,
    pub issues: Vec<Issue>,
}

/// What becomes of one performance of the body's field.
// Short-lived, one per performance: a line's size is not worth boxing.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Line(TaxLine),
    NotTaxable(String),
    /// Listed as not taxable, but only provisionally: the issue asks for the missing fact.
    Unconfirmed(String, Issue),
}

fn rules_error(body: Body, e: impl std::fmt::Display) -> DeclarationError {
    DeclarationError::Rules {
        body,
        reason: e.to_string(),
    }
}

fn rate(body: Body, rules: &Rules, date: NaiveDate) -> Result<Decimal, DeclarationError> {
    match body {
        Body::Cnm => rules.cnm_rate(date),
        _ => rules.astp_rate(date),
    }
    .map_err(|e| rules_error(body, e))
}

fn fraction_of(body: Body) -> Fraction {
    match body {
        Body::Cnm => Fraction::Cnm,
        _ => Fraction::Astp,
    }
}

pub(crate) fn model(body: Body, input: &BuildInput<'_>) -> Result<Built, DeclarationError> {
    debug_assert!(matches!(body, Body::Cnm | Body::Astp));
    let facts = input.facts;
    let org = &facts.organisation;
    let code = body.code();
    let mut lines = Vec::new();
    let mut not_taxable = Vec::new();
    let mut issues = Vec::new();

    for p in &facts.performances {
        // No discipline: the facts already carry a blocking issue; nothing to add here.
        let Some(discipline) = p.discipline else {
            continue;
        };
        let routing = input.disciplines.routing(discipline);
        let (fraction, routed_because) = route(org, p, discipline, routing.fraction);
        if fraction == Fraction::Review {
            issues.push(
                Issue::blocking(
                    "discipline.review",
                    format!(
                        "La représentation {} est de discipline « {} » : releve ne peut pas décider si elle relève \
                         de la taxe CNM (variétés) ou ASTP (art dramatique, lyrique et chorégraphique), elle \
                         n'apparaît donc pas dans la déclaration {}. Indiquez tax_fraction = cnm, astp ou none \
                         dans le programme.",
                        describe(p),
                        routing.label_fr,
                        code.to_uppercase()
                    ),
                )
                .for_performance(&p.performance_id)
                .for_body(code),
            );
            continue;
        }
        if fraction != fraction_of(body) {
            continue;
        }
        let explained = |reason: String| match &routed_because {
            Some(why) => format!("{reason} ({why})"),
            None => reason,
        };
        match classify(body, org, p, input.rules)? {
            Outcome::Line(mut line) => {
                line.fraction_reason = routed_because.clone();
                lines.push(line)
            }
            Outcome::NotTaxable(reason) => not_taxable.push(NotTaxable {
                performance_id: p.performance_id.clone(),
                date: p.date,
                show_title: p.show_title.clone(),
                reason: explained(reason),
            }),
            Outcome::Unconfirmed(reason, issue) => {
                not_taxable.push(NotTaxable {
                    performance_id: p.performance_id.clone(),
                    date: p.date,
                    show_title: p.show_title.clone(),
                    reason: explained(reason),
                });
                issues.push(issue.for_performance(&p.performance_id).for_body(code));
            }
        }
    }

    let month = facts.month;
    let deadline = input
        .rules
        .tax_deadline(month)
        .map_err(|e| rules_error(body, e))?;
    let collection_threshold = input
        .rules
        .collection_threshold(month.last_day())
        .map_err(|e| rules_error(body, e))?;
    if !lines.is_empty() {
        issues.push(
            Issue::info(
                "tax.collection_threshold",
                format!(
                    "Rappel {} : la taxe n'est pas recouvrée lorsque son montant cumulé sur l'année est inférieur \
                     à {}, mais la déclaration reste obligatoire pour chaque représentation taxable.",
                    code.to_uppercase(),
                    collection_threshold.to_french()
                ),
            )
            .for_body(code),
        );
    }
    if input
        .rules
        .portal_whole_euros(body == Body::Astp, month.last_day())
    {
        for line in &mut lines {
            line.with_whole_euros();
        }
    }
    fill_show_blocks(&mut lines);
    let totals = TaxTotals::of(&lines);
    Ok(Built {
        model: TaxDeclaration {
            schema_version: 1,
            body,
            organisation: org.slug.clone(),
            month,
            deadline,
            lines,
            not_taxable,
            totals,
            collection_threshold,
            estimate_note: super::model::estimate_note(body),
            portal_whole_euros: input
                .rules
                .portal_whole_euros(body == Body::Astp, month.last_day()),
        },
        issues,
    })
}

/// The fraction of a performance, and why when a rule other than the discipline table decided.
///
/// Humour and musicals are variétés (CNM) unless performed in a theatre that belongs to the
/// ASTP (décret 2004-117 art. 1 II as amended in 2017): the programme's `astp_member_theatre`
/// for the venue wins over the organisation's setting. An explicit `tax_fraction` wins over both.
fn route(
    org: &Organisation,
    p: &PerformanceFacts,
    discipline: Discipline,
    table: Fraction,
) -> (Fraction, Option<String>) {
    if let Some(chosen) = p.tax_fraction_override {
        return (chosen, None);
    }
    if !matches!(discipline, Discipline::Humour | Discipline::ComedieMusicale) {
        return (table, None);
    }
    let genre = match discipline {
        Discipline::Humour => "humour",
        _ => "comédie musicale",
    };
    let member = p.astp_member_theatre.unwrap_or(org.astp_member_theatre);
    if member {
        (
            Fraction::Astp,
            Some(format!(
                "{genre} joué dans un théâtre membre de l'ASTP : fraction ASTP (décret 2004-117, art. 1 II)"
            )),
        )
    } else {
        (table, None)
    }
}

/// Each line also carries its show's block of the ASTP form (dates from/to, performances and
/// tickets sold over the month's lines of that show).
fn fill_show_blocks(lines: &mut [TaxLine]) {
    let keys: Vec<String> = lines.iter().map(|l| l.show_title.clone()).collect();
    for key in keys {
        let of_show: Vec<&TaxLine> = lines.iter().filter(|l| l.show_title == key).collect();
        let first = of_show.iter().map(|l| l.date).min();
        let last = of_show.iter().map(|l| l.date).max();
        let count = of_show.len();
        let paid: u64 = of_show.iter().map(|l| l.paid_tickets).sum();
        for l in lines.iter_mut().filter(|l| l.show_title == key) {
            l.show_first_date = first;
            l.show_last_date = last;
            l.show_performances = count;
            l.show_paid_tickets = paid;
        }
    }
}

fn classify(
    body: Body,
    org: &Organisation,
    p: &PerformanceFacts,
    rules: &Rules,
) -> Result<Outcome, DeclarationError> {
    if p.cancelled {
        return Ok(Outcome::NotTaxable(
            "Représentation annulée : aucune taxe".into(),
        ));
    }
    if p.educational_session {
        return Ok(Outcome::NotTaxable(
            "Représentation intégrée à un enseignement scolaire : exonérée".into(),
        ));
    }
    let sold_by_us = p
        .producer
        .as_ref()
        .and_then(|pr| pr.siret.as_deref())
        .is_some_and(|siret| org.is_same_company(siret));
    if body == Body::Astp {
        if let Some(outcome) = astp_exemption(org, p, sold_by_us) {
            return Ok(outcome);
        }
    }
    // Paid tickets win over the programme's flag: receipts exist, so they are the base (the
    // facts carry a warning asking to check the programme).
    if p.free_admission && p.paid_tickets == 0 {
        return free_admission(body, p, sold_by_us, rules);
    }
    if p.paid_tickets == 0 {
        return Ok(Outcome::NotTaxable("Aucune recette de billetterie".into()));
    }
    Ok(Outcome::Line(line(
        body,
        p,
        BaseKind::Receipts,
        p.receipts_excl_vat,
        rules,
    )?))
}

/// The ASTP exemptions (CIBS L452-14 ff., ex art. 77 III LFR 2003): unpaid amateur troupes, and
/// subsidised organisers unless the show comes from a private unsubsidised producer.
fn astp_exemption(org: &Organisation, p: &PerformanceFacts, sold_by_us: bool) -> Option<Outcome> {
    if p.amateur_unpaid {
        return Some(Outcome::NotTaxable(
            "Troupe amateur ne rémunérant aucun artiste : exonérée de la taxe ASTP".into(),
        ));
    }
    if !org.subsidised {
        return None;
    }
    // Our own production counts as "no producer": nobody sold us the show.
    let producer = p.producer.as_ref().filter(|_| !sold_by_us);
    match producer.map(|pr| pr.subsidised) {
        None | Some(Some(true)) => Some(Outcome::NotTaxable(
            "Organisateur subventionné, spectacle non acheté à un producteur privé non subventionné : \
             exonéré de la taxe ASTP"
                .into(),
        )),
        Some(Some(false)) => None,
        Some(None) => {
            // A producer given by SIRET only is named by its number.
            let name = producer
                .map(|pr| match (pr.name.trim(), pr.siret.as_deref()) {
                    ("", Some(siret)) => format!("SIRET/SIREN {siret}"),
                    (name, _) => name.to_string(),
                })
                .unwrap_or_default();
            Some(Outcome::Unconfirmed(
                format!(
                    "Organisateur subventionné : exonération non confirmée, le programme ne dit pas si le producteur \
                     « {name} » est subventionné (producer_subsidised)"
                ),
                Issue::blocking(
                    "astp.producer_subsidised.missing",
                    format!(
                        "La représentation {} est organisée par une structure subventionnée : elle est exonérée de \
                         la taxe ASTP sauf si le producteur « {name} » est une entreprise privée non subventionnée. \
                         Renseignez producer_subsidised (yes ou no) dans le programme.",
                        describe(p)
                    ),
                ),
            ))
        }
    }
}

fn free_admission(
    body: Body,
    p: &PerformanceFacts,
    sold_by_us: bool,
    rules: &Rules,
) -> Result<Outcome, DeclarationError> {
    if sold_by_us {
        // Our own production played for free and never sold (no cession price): the free-show
        // base is the price of a cession, and there is none (art. 76 IV / 77 IV: the tax on a
        // free show is due on the sums received for selling it).
        return Ok(match p.cession_price_excl_vat {
            Some(price) => Outcome::Line(line(body, p, BaseKind::CessionPrice, price, rules)?),
            None => Outcome::NotTaxable(
                "Entrée gratuite, spectacle produit par la structure et jamais vendu (aucune cession) : non taxable"
                    .into(),
            ),
        });
    }
    let reason =
        match (&p.producer, p.cession_price_excl_vat) {
            (None, None) => "Entrée gratuite sans contrat de cession : non taxable".to_string(),
            (producer, price) => format!(
            "Entrée gratuite : taxe due par le vendeur du spectacle, {} (prix de cession HT {})",
            producer
                .as_ref()
                .map(|pr| pr.name.trim())
                .filter(|n| !n.is_empty())
                .unwrap_or("producteur non renseigné"),
            price.map(Money::to_french).unwrap_or_else(|| "non renseigné".into())
        ),
        };
    Ok(Outcome::NotTaxable(reason))
}

fn line(
    body: Body,
    p: &PerformanceFacts,
    base_kind: BaseKind,
    tax_base: Money,
    rules: &Rules,
) -> Result<TaxLine, DeclarationError> {
    let rate = rate(body, rules, p.date)?;
    Ok(TaxLine {
        performance_id: p.performance_id.clone(),
        date: p.date,
        starts_at: rfc3339_paris(p.starts_at),
        show_title: p.show_title.clone(),
        venue_name: p.venue.name.clone(),
        postal_code: p.venue.postal_code.clone(),
        city: p.venue.city.clone(),
        paid_tickets: p.paid_tickets,
        free_tickets: p.free_tickets,
        receipts_incl_vat: p.receipts_incl_vat,
        receipts_excl_vat: p.receipts_excl_vat,
        base_kind,
        tax_base,
        tax_rate: Percent(rate),
        tax_due: tax_base.percent(rate),
        producer_name: p.producer.as_ref().map(|pr| pr.name.clone()),
        producer_siret: p.producer.as_ref().and_then(|pr| pr.siret.clone()),
        fraction_reason: None,
        receipts_incl_vat_euros: None,
        receipts_excl_vat_euros: None,
        tax_base_euros: None,
        tax_due_euros: None,
        show_first_date: None,
        show_last_date: None,
        show_performances: 0,
        show_paid_tickets: 0,
        producer_address: p.producer.as_ref().and_then(|pr| pr.address.clone()),
    })
}
